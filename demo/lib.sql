-- demo/lib.sql: psql settings and session-local helpers (schema pg_temp)
-- shared by the demo scripts, included with \ir.  Nothing here is part of
-- the extension.

\set QUIET 1
\pset footer off
\pset null '-'
SET client_min_messages = warning;
-- the types' operators live in schema integrity (README, "search_path")
SET search_path = public, integrity;

-- Runs a statement and returns "ok", or its SQLSTATE, message and detail,
-- so that the tour can show an error and go on.
CREATE FUNCTION pg_temp.try(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE st text; msg text; det text;
BEGIN
    EXECUTE q;
    RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT, det = PG_EXCEPTION_DETAIL;
    RETURN st || ' ' || msg || coalesce(E'\n' || repeat(' ', 35) || nullif(det, ''), '');
END $$;

-- The same, as another role (SET LOCAL ROLE for the one statement).
CREATE FUNCTION pg_temp.try_as(r text, q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE st text; msg text;
BEGIN
    PERFORM set_config('role', r, true);
    EXECUTE q;
    PERFORM set_config('role', 'none', true);
    RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT;
    RETURN st || ' ' || msg;
END $$;

-- a decision document number such as 平应急罚〔2026〕7号
CREATE FUNCTION pg_temp.docno(prefix text, d date, n integer) RETURNS text LANGUAGE sql AS $$
    SELECT format('%s〔%s〕%s号', prefix, extract(year FROM d), n)
$$;

-- 告知 -> 认定 -> 公示 in one go; returns the disclosure seq.
CREATE FUNCTION pg_temp.publish_now(rid bigint) RETURNS bigint LANGUAGE plpgsql AS $$
BEGIN
    PERFORM integrity.notify(rid, '书面告知当事人，可在5个工作日内申辩');
    PERFORM integrity.confirm(rid, '申辩期满未提出新的事实和理由，予以认定');
    RETURN integrity.publish(rid);
END $$;

-- Made-up identifiers with valid check characters (D1.1, D1.3): the
-- 16 leading characters of a 统一社会信用代码 get the organization-code
-- check character (GB 11714) and the USCC check character (GB 32100);
-- the 17 leading digits of a 居民身份证号码 get its check character.
-- (Created before CREATE EXTENSION, so their bodies are checked on use.)
SET check_function_bodies = off;
CREATE FUNCTION pg_temp.mk_uscc(p text) RETURNS text LANGUAGE sql AS $$
    SELECT p || a || b
      FROM unnest(string_to_array('0123456789X', NULL)) a,
           unnest(string_to_array('0123456789ABCDEFGHJKLMNPQRTUWXY', NULL)) b
     WHERE integrity.uscc_is_valid(p || a || b) ORDER BY 1 LIMIT 1
$$;
CREATE FUNCTION pg_temp.mk_cnid(p text) RETURNS text LANGUAGE sql AS $$
    SELECT p || c FROM unnest(string_to_array('0123456789X', NULL)) c
     WHERE integrity.cn_id_is_valid(p || c) ORDER BY 1 LIMIT 1
$$;
RESET check_function_bodies;
