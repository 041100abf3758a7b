-- pgTAP: security of the extension (SPEC 2, 4, 6, 8; STYLE "Habits").
--
--   A  the signing key setting is hidden from non-superusers, the key file
--      is out of SQL's reach (and a fresh session, before the library is
--      loaded, is checked through dblink when it is available)
--   B  privileges in the catalog: who may read, write, execute, create
--   C  function labels: volatility and parallel safety tell the truth
--   D  a reader sees the views and the public log, never raw identifiers
--   E  an operator changes records only through the API; admin-only and
--      internal functions; append-only tables even for a superuser
--   F  what a superuser can still do, and how verify_chain and signed
--      checkpoints expose it
--   G  SECURITY DEFINER functions cannot be hijacked through search_path:
--      schema "evil" shadows the functions and operators they use; every
--      API function is called with search_path = evil, integrity, public
--      and again with evil ahead of pg_catalog; views too (as a reader)
--   H  NULL for every argument of every API function: an SQLSTATE or a
--      result, never a crash
--   I  hostile input: 10 MB strings, multibyte text, boundary values,
--      empty strings
--
-- Runs as a superuser with integrity.signing_key_file configured, like the
-- other test/*.sql files; test roles are created inside the transaction and
-- everything is rolled back at the end.
BEGIN;
CREATE EXTENSION IF NOT EXISTS pgtap;
CREATE EXTENSION IF NOT EXISTS integrity;
SELECT plan(263);
SET LOCAL client_min_messages = warning;
SELECT integrity.set_origin('140400') \gset

CREATE SCHEMA sec_t;
GRANT USAGE ON SCHEMA sec_t TO PUBLIC;

CREATE ROLE sec06_reader LOGIN IN ROLE integrity_reader;
CREATE ROLE sec06_operator LOGIN IN ROLE integrity_operator;
CREATE ROLE sec06_admin LOGIN IN ROLE integrity_admin;

------------------------------------------------------------------------
-- helpers
------------------------------------------------------------------------
-- run q; 'ok: <first value>' or 'SQLSTATE: message'.  undo: roll back
-- whatever q did (a subtransaction that always aborts), so that a call
-- that unexpectedly succeeds changes nothing for the next test.
CREATE FUNCTION sec_t.try(q text, undo boolean DEFAULT true) RETURNS text LANGUAGE plpgsql AS $$
DECLARE r text; st text; msg text;
BEGIN
    BEGIN
        IF q ~* '^\s*(select|show|values|with|table)\M' THEN
            EXECUTE q INTO r;
        ELSE
            EXECUTE q;
        END IF;
        r := 'ok: ' || coalesce(r, 'NULL');
        IF undo THEN
            RAISE EXCEPTION 'undo' USING ERRCODE = 'ZX999';
        END IF;
    EXCEPTION
        WHEN SQLSTATE 'ZX999' THEN NULL;
        WHEN OTHERS THEN
            GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT;
            r := st || ': ' || msg;
    END;
    RETURN r;
END $$;

-- the SQLSTATE of q, or 'ok'
CREATE FUNCTION sec_t.code(q text) RETURNS text LANGUAGE sql AS $$
    SELECT CASE WHEN r LIKE 'ok: %' THEN 'ok' ELSE split_part(r, ':', 1) END FROM sec_t.try(q) r
$$;

-- q as role r (SET LOCAL ROLE inside the undone subtransaction)
CREATE FUNCTION sec_t.try_as(r text, q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE res text; st text; msg text;
BEGIN
    BEGIN
        EXECUTE format('SET LOCAL ROLE %I', r);
        IF q ~* '^\s*(select|show|values|with|table)\M' THEN
            EXECUTE q INTO res;
        ELSE
            EXECUTE q;
        END IF;
        res := 'ok: ' || coalesce(res, 'NULL');
        RAISE EXCEPTION 'undo' USING ERRCODE = 'ZX999';
    EXCEPTION
        WHEN SQLSTATE 'ZX999' THEN NULL;
        WHEN OTHERS THEN
            GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT;
            res := st || ': ' || msg;
    END;
    RETURN res;
END $$;

CREATE FUNCTION sec_t.code_as(r text, q text) RETURNS text LANGUAGE sql AS $$
    SELECT CASE WHEN x LIKE 'ok: %' THEN 'ok' ELSE split_part(x, ':', 1) END FROM sec_t.try_as(r, q) x
$$;

-- D1.1/D1.2: a valid uscc with the given 8-character prefix and body number n
CREATE FUNCTION sec_t.uscc(prefix text, n bigint) RETURNS text LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    body text := prefix || lpad(n::text, 8, '0');
    ow int[] := '{3,7,9,10,5,8,4,2}';
    cs text := '0123456789ABCDEFGHJKLMNPQRTUWXY';
    s int := 0; w int := 1; c int; i int;
BEGIN
    FOR i IN 1 .. 8 LOOP s := s + substr(body, 8 + i, 1)::int * ow[i]; END LOOP;
    c := 11 - s % 11;
    body := body || CASE c WHEN 10 THEN 'X' WHEN 11 THEN '0' ELSE c::text END;
    s := 0;
    FOR i IN 1 .. 17 LOOP
        s := s + (strpos(cs, substr(body, i, 1)) - 1) * w;
        w := w * 3 % 31;
    END LOOP;
    RETURN body || substr(cs, (31 - s % 31) % 31 + 1, 1);
END $$;

-- D1.3: a valid resident ID of 长治 (n picks birth date and sequence)
CREATE FUNCTION sec_t.cn_id(n bigint) RETURNS text LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    body text := '140402' || to_char(date '1970-01-01' + (n % 10000)::int, 'YYYYMMDD')
                 || lpad((n % 900 + 100)::text, 3, '0');
    w int[] := '{7,9,10,5,8,4,2,1,6,3,7,9,10,5,8,4,2}';
    s int := 0; i int;
BEGIN
    FOR i IN 1 .. 17 LOOP s := s + substr(body, i, 1)::int * w[i]; END LOOP;
    RETURN body || substr('10X98765432', s % 11 + 1, 1);
END $$;

CREATE SEQUENCE sec_t.codeno START 61060001;
GRANT USAGE ON SEQUENCE sec_t.codeno TO PUBLIC;

-- a record of subject s decided `age` days ago, brought to state upto
CREATE FUNCTION sec_t.rec(s bigint, cat text, sev text, age integer, upto text) RETURNS bigint
    LANGUAGE plpgsql AS $$
DECLARE r bigint;
BEGIN
    r := integrity.record_add(s, cat, sev::integrity.severity, current_date - age,
                              '长监罚〔' || age || '〕号', '长治市市场监督管理局', '安全测试记录');
    IF upto = 'collected' THEN RETURN r; END IF;
    PERFORM integrity.notify(r, '书面告知');
    IF upto = 'notified' THEN RETURN r; END IF;
    PERFORM integrity.confirm(r, '认定');
    IF upto = 'confirmed' THEN RETURN r; END IF;
    PERFORM integrity.publish(r);
    IF upto = 'objected' THEN PERFORM integrity.object(r, '异议'); END IF;
    RETURN r;
END $$;

------------------------------------------------------------------------
-- fixtures: a government, an enterprise, a civil servant (the person whose
-- identifiers must never reach a reader), records in every state
------------------------------------------------------------------------
SELECT integrity.subject_add('government', '长治市人民政府', sec_t.uscc('11140400', nextval('sec_t.codeno'))) AS gid \gset
SELECT integrity.subject_add('enterprise', '长治安全测试有限公司', sec_t.uscc('91140400', nextval('sec_t.codeno'))) AS eid \gset
SELECT sec_t.cn_id(nextval('sec_t.codeno')) AS person_code \gset
SELECT integrity.subject_add('civil_servant', '赵小明', :'person_code', NULL, :gid) AS cid \gset
SELECT sec_t.rec(:cid, 'admin_penalty', 'general', 20, 'published') AS cs_penalty \gset
SELECT sec_t.rec(:cid, 'disciplinary_sanction', 'general', 15, 'published') AS cs_sanction \gset
SELECT sec_t.rec(:eid, 'admin_penalty', 'general', 5, 'collected') AS r_collected \gset
SELECT sec_t.rec(:eid, 'admin_penalty', 'general', 5, 'notified') AS r_notified \gset
SELECT sec_t.rec(:eid, 'admin_penalty', 'general', 5, 'confirmed') AS r_confirmed \gset
SELECT sec_t.rec(:eid, 'admin_penalty', 'general', 5, 'published') AS r_published \gset
SELECT sec_t.rec(:eid, 'admin_penalty', 'general', 200, 'published') AS r_published_old \gset
SELECT sec_t.rec(:eid, 'admin_penalty', 'general', 5, 'objected') AS r_objected \gset
SELECT current_setting('integrity.signing_key_file') AS keyfile \gset
SELECT key_id AS key_id FROM integrity.signing_key WHERE origin = '140400' AND valid_until IS NULL \gset

------------------------------------------------------------------------
-- A. SPEC 6: the key setting and the key file
------------------------------------------------------------------------
-- A fresh session has not loaded the library, so integrity.signing_key_file
-- is still a placeholder variable there: readable by anyone unless the
-- library is preloaded.  Checked through dblink when possible.
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'dblink') THEN
        CREATE EXTENSION IF NOT EXISTS dblink SCHEMA public;
    END IF;
END $$;
CREATE FUNCTION sec_t.fresh_session(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE r text; st text; msg text;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'dblink') THEN
        RETURN 'skip: dblink is not installed';
    END IF;
    BEGIN
        PERFORM public.dblink_connect('sec06_fresh',
            format('dbname=%s port=%s host=%s user=%s', current_database(), current_setting('port'),
                   split_part(current_setting('unix_socket_directories'), ',', 1), current_user));
    EXCEPTION WHEN OTHERS THEN
        RETURN 'skip: cannot open a second session (' || SQLERRM || ')';
    END;
    BEGIN
        -- a predefined role without pg_read_all_settings
        PERFORM public.dblink_exec('sec06_fresh', 'SET ROLE pg_signal_backend');
        SELECT t.v INTO r FROM public.dblink('sec06_fresh', q) AS t(v text);
        r := 'ok: ' || coalesce(r, 'NULL');
    EXCEPTION WHEN OTHERS THEN
        GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT;
        r := st || ': ' || msg;
    END;
    PERFORM public.dblink_disconnect('sec06_fresh');
    RETURN r;
END $$;
SELECT sec_t.fresh_session('SHOW integrity.signing_key_file') AS fresh_show \gset
SELECT sec_t.fresh_session($$SELECT current_setting('integrity.signing_key_file')$$) AS fresh_setting \gset
SELECT CASE WHEN :'fresh_show' LIKE 'skip%' THEN skip(:'fresh_show', 1)
            ELSE is(split_part(:'fresh_show', ':', 1), '42501',
                    'SPEC 6 a fresh non-superuser session (library not loaded yet) cannot SHOW integrity.signing_key_file') END;
SELECT CASE WHEN :'fresh_setting' LIKE 'skip%' THEN skip(:'fresh_setting', 1)
            ELSE is(split_part(:'fresh_setting', ':', 1), '42501',
                    'SPEC 6 a fresh non-superuser session cannot read current_setting(''integrity.signing_key_file'')') END;

-- this session has loaded the library (the fixtures signed disclosures)
SELECT is(sec_t.code_as(r, 'SHOW integrity.signing_key_file'), '42501',
          format('SPEC 6 %s cannot SHOW integrity.signing_key_file', r))
  FROM unnest(ARRAY['sec06_reader', 'sec06_operator', 'sec06_admin']) r;
SELECT is(sec_t.code_as(r, $$SELECT current_setting('integrity.signing_key_file')$$), '42501',
          format('SPEC 6 %s cannot read current_setting(''integrity.signing_key_file'')', r))
  FROM unnest(ARRAY['sec06_reader', 'sec06_operator', 'sec06_admin']) r;
SELECT is(sec_t.code_as(r, $$SELECT current_setting('integrity.signing_key_file', true)$$), '42501',
          format('SPEC 6 %s cannot read it with missing_ok either', r))
  FROM unnest(ARRAY['sec06_reader', 'sec06_operator', 'sec06_admin']) r;
SELECT is(sec_t.try_as(r, $$SELECT count(*) FROM pg_catalog.pg_settings WHERE name = 'integrity.signing_key_file'$$), 'ok: 0',
          format('SPEC 6 pg_settings hides integrity.signing_key_file from %s', r))
  FROM unnest(ARRAY['sec06_reader', 'sec06_operator', 'sec06_admin']) r;
SELECT ok(sec_t.code_as(r, $$SET integrity.signing_key_file = '/tmp/attacker.key'$$) IN ('55P02', '42501'),
          format('SPEC 6 %s cannot point integrity.signing_key_file at another key', r))
  FROM unnest(ARRAY['sec06_reader', 'sec06_operator', 'sec06_admin']) r;
SELECT ok(sec_t.code_as('sec06_admin', $$SELECT set_config('integrity.signing_key_file', '/tmp/attacker.key', true)$$) IN ('55P02', '42501'),
          'SPEC 6 nor with set_config()');
SELECT is(sec_t.code_as('sec06_operator', format('SELECT pg_read_file(%L)', :'keyfile')), '42501',
          'SPEC 6 an operator cannot read the key file with pg_read_file');
SELECT is(sec_t.code_as('sec06_operator', format('SELECT pg_read_binary_file(%L)', :'keyfile')), '42501',
          'SPEC 6 nor with pg_read_binary_file');
SELECT is(sec_t.code_as('sec06_admin', format('COPY integrity.calendar (note) FROM %L', :'keyfile')), '42501',
          'SPEC 6 an admin cannot COPY the key file into a table');
SELECT is(sec_t.code_as('sec06_admin', format('SELECT lo_import(%L)', :'keyfile')), '42501',
          'SPEC 6 nor import it as a large object');
SELECT is(ARRAY(SELECT p.proname::text FROM pg_proc p
                 WHERE p.pronamespace = 'integrity'::regnamespace
                   AND p.proname ~ '(sign|private|secret|key)' ORDER BY 1),
          ARRAY['_current_key_id', '_current_public_key', '_register_key', 'log_vkey', 'public_key', 'witness_vkey'],
          'SPEC 6 no SQL function signs arbitrary messages or returns key material (only the public keys; issue 16: their vkeys)');
SELECT is(integrity.public_key(), (SELECT k.public_key FROM integrity.signing_key k
                                     WHERE k.origin = '140400' AND k.valid_until IS NULL),
          'SPEC 6 public_key() is the registered public key');
SELECT ok(octet_length(pg_read_binary_file(:'keyfile')) > 0,
          'documented limit (docs/SECURITY.md): a superuser can read the key file');

------------------------------------------------------------------------
-- B. SPEC 8: privileges in the catalog
------------------------------------------------------------------------
CREATE FUNCTION sec_t.selectable(r text) RETURNS text[] LANGUAGE sql AS $$
    SELECT coalesce(array_agg(c.relname::text ORDER BY c.relname), '{}') FROM pg_class c
     WHERE c.relnamespace = 'integrity'::regnamespace AND c.relkind IN ('r', 'v', 'm', 'p')
       AND (has_table_privilege(r, c.oid, 'SELECT') OR has_any_column_privilege(r, c.oid, 'SELECT'))
$$;
SELECT is(sec_t.selectable('sec06_reader'),
          ARRAY['arrears_public', 'blacklist', 'calendar', 'calendar_year', 'category', 'chain_head', 'checkpoint',
                'commitment_public', 'cosignature', 'disclosure', 'evaluation', 'measure',
                'merkle_node', 'monitoring_ranking', 'parameter', 'public_record', 'publicity_period',
                'redlist', 'score_model', 'signing_key', 'witness_status'],
          'SPEC 7, 8 a reader reads the views, the reference tables and the public log, nothing else');
SELECT is(sec_t.selectable('sec06_operator'),
          ARRAY['arrears', 'arrears_event', 'arrears_payment', 'arrears_public', 'assessment',
                'blacklist', 'calendar', 'calendar_year', 'category', 'chain_head', 'checkpoint', 'clean_record', 'commitment',
                'commitment_event', 'commitment_public', 'cosignature', 'disclosure', 'evaluation', 'measure',
                'merkle_node', 'monitoring_ranking', 'parameter', 'personal_report', 'public_record', 'publicity_period',
                'record', 'record_event', 'redlist', 'score_model', 'settings', 'signing_key', 'subject',
                'witness_alarm', 'witness_evidence', 'witness_gossip', 'witness_status'],
          'SPEC 8 an operator also reads subjects, records and their history, commitments, arrears, integrity files (D8.2) and witness alarms (issue 16)');
SELECT is(ARRAY(SELECT format('%s %s %s', r, c.relname, p) FROM pg_class c,
                       unnest(ARRAY['sec06_reader', 'sec06_operator', 'sec06_admin']) r,
                       unnest(ARRAY['INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER']) p
                 WHERE c.relnamespace = 'integrity'::regnamespace AND c.relkind IN ('r', 'p')
                   AND c.relname IN ('settings', 'subject', 'record', 'record_event', 'disclosure',
                                     'chain_head', 'merkle_node', 'signing_key')
                   AND (has_table_privilege(r, c.oid, p)
                        OR (p IN ('INSERT', 'UPDATE', 'REFERENCES') AND has_any_column_privilege(r, c.oid, p)))
                 ORDER BY 1),
          '{}'::text[], 'SPEC 8 no role may write the data tables or the log directly');
SELECT is(ARRAY(SELECT DISTINCT c.relname::text FROM pg_class c,
                       unnest(ARRAY['INSERT', 'UPDATE', 'DELETE', 'TRUNCATE']) p
                 WHERE c.relnamespace = 'integrity'::regnamespace AND c.relkind IN ('r', 'p')
                   AND (has_table_privilege('sec06_admin', c.oid, p)
                        OR (p IN ('INSERT', 'UPDATE') AND has_any_column_privilege('sec06_admin', c.oid, p)))
                 ORDER BY 1),
          ARRAY['calendar', 'category', 'parameter', 'publicity_period', 'score_model'],
          'SPEC 8 an admin writes only the calendar, categories, parameters, periods and score models');
SELECT is(ARRAY(SELECT DISTINCT c.relname::text FROM pg_class c, aclexplode(c.relacl) a
                 WHERE c.relnamespace = 'integrity'::regnamespace AND a.grantee = 0 ORDER BY 1),
          '{}'::text[], 'SPEC 8 PUBLIC has no privilege on any table, view or sequence of the extension');
SELECT is(ARRAY(SELECT r FROM unnest(ARRAY['sec06_reader', 'sec06_operator', 'sec06_admin', 'public']) r
                 WHERE has_schema_privilege(r, 'integrity', 'CREATE')),
          '{}'::text[], 'nobody but the owner may create objects in schema integrity');
SELECT is(ARRAY(SELECT format('%s %s', r, c.relname) FROM pg_class c,
                       unnest(ARRAY['sec06_reader', 'sec06_operator', 'sec06_admin']) r
                 WHERE c.relnamespace = 'integrity'::regnamespace AND c.relkind = 'S'
                   AND has_sequence_privilege(r, c.oid, 'USAGE,UPDATE')),
          '{}'::text[], 'SPEC 8 no role may draw or set the id sequences');
SELECT is(ARRAY(SELECT p.oid::regprocedure::text FROM pg_proc p,
                       aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) a
                 WHERE p.pronamespace = 'integrity'::regnamespace AND p.prosecdef
                   AND a.grantee = 0 AND a.privilege_type = 'EXECUTE' ORDER BY 1),
          '{}'::text[], 'SPEC 8 no SECURITY DEFINER function is executable by PUBLIC');
SELECT is(ARRAY(SELECT p.proname::text FROM pg_proc p
                 WHERE p.pronamespace = 'integrity'::regnamespace AND p.prosecdef
                   AND has_function_privilege('sec06_reader', p.oid, 'EXECUTE') ORDER BY 1),
          ARRAY['_blacklist_now', '_commitment_quarters_now', '_redlist_now', 'consistency_proof', 'inclusion_proof', 'log_vkey',
                'public_key', 'tree_head', 'verify_chain', 'verify_entry', 'witness_vkey'],
          'SPEC 6, 7 a reader executes only the log verifiers, the verifier keys (issue 16) and the today-only list wrappers behind the views (issue 13)');
SELECT is(ARRAY(SELECT p.proname::text FROM pg_proc p
                 WHERE p.pronamespace = 'integrity'::regnamespace
                   AND p.proname IN ('_set_context', '_register_key', '_disclosure_payload', '_current_public_key',
                                     '_current_key_id', '_origin', 'set_origin', 'record_guard', 'record_log',
                                     'refuse_change', '_seeded_guard')
                   AND has_function_privilege('sec06_operator', p.oid, 'EXECUTE') ORDER BY 1),
          '{}'::text[], 'SPEC 8 an operator cannot execute internal functions nor set_origin');
SELECT is(ARRAY(SELECT p.oid::regprocedure::text FROM pg_proc p
                  JOIN pg_roles o ON o.oid = p.proowner
                 WHERE p.pronamespace = 'integrity'::regnamespace AND p.prosecdef AND NOT o.rolsuper ORDER BY 1),
          '{}'::text[], 'every SECURITY DEFINER function belongs to the (superuser) installer');
SELECT is(ARRAY(SELECT p.oid::regprocedure::text FROM pg_proc p
                 WHERE p.pronamespace = 'integrity'::regnamespace AND p.prosecdef
                   AND NOT coalesce('search_path=pg_catalog, pg_temp' = ANY (p.proconfig), false) ORDER BY 1),
          '{}'::text[], 'STYLE every SECURITY DEFINER function has SET search_path = pg_catalog, pg_temp');

------------------------------------------------------------------------
-- C. STYLE: function labels
------------------------------------------------------------------------
CREATE TEMP VIEW fn AS
SELECT p.oid, p.proname::text AS name, p.oid::regprocedure::text AS sig, p.provolatile, p.proparallel,
       p.prosecdef, l.lanname, p.prosrc, p.prorettype = 'trigger'::regtype AS is_trigger
  FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang
 WHERE p.pronamespace = 'integrity'::regnamespace AND p.prokind = 'f';
SELECT is(ARRAY(SELECT sig FROM fn
                 WHERE name IN ('set_origin', 'subject_add', 'record_add', 'transition', 'notify', 'confirm',
                                'publish', 'object', 'resolve_objection', 'repair', 'revoke', 'mark_remedied',
                                'expire_due', '_set_context', '_register_key', 'tree_head')
                   AND (provolatile <> 'v' OR proparallel <> 'u') ORDER BY 1),
          '{}'::text[], 'STYLE every function that writes is VOLATILE PARALLEL UNSAFE');
SELECT is(ARRAY(SELECT sig FROM fn WHERE provolatile = 'v' AND proparallel = 's' ORDER BY 1),
          '{}'::text[], 'STYLE no VOLATILE function is marked PARALLEL SAFE');
SELECT is(ARRAY(SELECT sig FROM fn
                 WHERE name IN ('verify_chain', 'verify_entry', 'tree_head', 'inclusion_proof', 'consistency_proof',
                                'public_key', '_current_public_key', '_current_key_id')
                   AND proparallel = 's' ORDER BY 1),
          '{}'::text[], 'SPEC 6 the log readers and key functions are not PARALLEL SAFE (verify_chain, tree_head, ...)');
SELECT is(ARRAY(SELECT sig FROM fn
                 WHERE name IN ('tree_head', 'public_key', '_current_public_key', '_current_key_id')
                   AND provolatile <> 'v' ORDER BY 1),
          '{}'::text[], 'SPEC 6 functions reading the key file are VOLATILE (a reload may change the key)');
SELECT is(ARRAY(SELECT DISTINCT fn.sig FROM fn, pg_class c
                 WHERE c.relnamespace = 'integrity'::regnamespace AND c.relkind IN ('r', 'v', 'p', 'S')
                   AND fn.lanname IN ('sql', 'plpgsql') AND fn.provolatile = 'i'
                   AND fn.prosrc ~ ('integrity\.' || c.relname || '\M') ORDER BY 1),
          '{}'::text[], 'STYLE no IMMUTABLE function reads a table');
SELECT is(ARRAY(SELECT sig FROM fn
                 WHERE lanname IN ('sql', 'plpgsql') AND provolatile = 'i'
                   AND prosrc ~* '\m(current_date|current_timestamp|localtimestamp|now|clock_timestamp|statement_timestamp|transaction_timestamp)\M'
                 ORDER BY 1),
          '{}'::text[], 'STYLE no IMMUTABLE function reads the clock');
SELECT is(ARRAY(SELECT sig FROM fn WHERE name IN ('cn_id_in', 'cn_id_recv', 'cn_id_is_valid') AND provolatile = 'i' ORDER BY 1),
          '{}'::text[], 'SPEC 2 cn_id input and validation depend on today: not IMMUTABLE');
SELECT is(ARRAY(SELECT sig FROM fn WHERE is_trigger AND provolatile <> 'v' ORDER BY 1),
          '{}'::text[], 'trigger functions are VOLATILE');

------------------------------------------------------------------------
-- D. SPEC 7, 8; D1.4: what a reader sees
------------------------------------------------------------------------
SELECT is(sec_t.code_as('sec06_reader', format('SELECT count(*) FROM integrity.%I', v)), 'ok',
          format('SPEC 7 a reader reads integrity.%s', v))
  FROM unnest(ARRAY['public_record', 'blacklist', 'redlist', 'evaluation', 'monitoring_ranking',
                    'category', 'calendar', 'parameter', 'score_model', 'measure',
                    'disclosure', 'signing_key', 'chain_head', 'merkle_node']) v;
SELECT is(sec_t.code_as('sec06_reader', format('SELECT count(*) FROM integrity.%I', t)), '42501',
          format('SPEC 8 a reader cannot read integrity.%s', t))
  FROM unnest(ARRAY['subject', 'record', 'record_event', 'settings']) t;
SELECT is(sec_t.code_as('sec06_reader', $$SELECT nextval('integrity.record_id_seq')$$), '42501',
          'SPEC 8 a reader cannot draw record ids');
SELECT is(sec_t.code_as('sec06_reader', 'SELECT size FROM integrity.chain_head FOR SHARE'), '42501',
          'SPEC 6 a reader cannot lock the chain head row (no blocking of publishers)');
SELECT is(sec_t.code_as('sec06_reader', 'LOCK TABLE integrity.chain_head IN SHARE MODE'), '42501',
          'SPEC 6 nor lock the chain head table against publishers');
SELECT is(sec_t.code_as('sec06_reader', 'LOCK TABLE integrity.disclosure IN SHARE ROW EXCLUSIVE MODE'), '42501',
          'SPEC 6 nor the log');
SELECT is(sec_t.code_as('sec06_reader', format('SELECT integrity.publish(%s)', :r_confirmed)), '42501',
          'SPEC 8 a reader cannot publish');
SELECT is(sec_t.code_as('sec06_reader', format('SELECT integrity.subject_add(%L, %L, %L)', 'enterprise', '读者公司',
                                                sec_t.uscc('91140400', nextval('sec_t.codeno')))), '42501',
          'SPEC 8 a reader cannot add subjects');
SELECT is(sec_t.code_as('sec06_reader', format('SELECT integrity.evaluate(%s)', :gid)), '42501',
          'SPEC 8 a reader cannot call the operator''s evaluation functions');
SELECT is(ARRAY(SELECT format('%s.%s', c.relname, a.attname) FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid
                 WHERE c.relnamespace = 'integrity'::regnamespace AND a.attnum > 0 AND NOT a.attisdropped
                   AND has_table_privilege('sec06_reader', c.oid, 'SELECT')
                   AND a.atttypid IN ('integrity.cn_id'::regtype, 'integrity.cn_id[]'::regtype) ORDER BY 1),
          '{}'::text[], 'SPEC 2 no column a reader can see has type cn_id');

-- every row of every relation a reader can see, as the reader
CREATE FUNCTION sec_t.reader_text() RETURNS TABLE(rel text, row_text text) LANGUAGE plpgsql AS $$
DECLARE v text;
BEGIN
    FOREACH v IN ARRAY sec_t.selectable('sec06_reader') LOOP
        RETURN QUERY EXECUTE format('SELECT %L::text, t::text FROM integrity.%I t', v, v);
    END LOOP;
END $$;
SET LOCAL ROLE sec06_reader;
CREATE TEMP TABLE reader_rows AS SELECT * FROM sec_t.reader_text();
RESET ROLE;
SELECT is(ARRAY(SELECT DISTINCT rel FROM reader_rows WHERE row_text LIKE '%' || :'person_code' || '%' ORDER BY 1),
          '{}'::text[], 'D1.4 the civil servant''s resident ID appears in no row a reader can see (views, log payloads)');
SELECT is(ARRAY(SELECT DISTINCT rel FROM reader_rows WHERE row_text LIKE '%赵小明%' ORDER BY 1),
          '{}'::text[], 'D1.4 nor his full name');
SELECT ok((SELECT count(*) FROM reader_rows WHERE rel = 'public_record' AND row_text LIKE '%赵**%'
              AND row_text LIKE '%' || left(:'person_code', 6) || '********' || right(:'person_code', 4) || '%') = 2,
          'D1.4 the reader sees his two records with the masked name and ID (the search above is not vacuous)');
SELECT ok((SELECT count(*) FROM reader_rows WHERE rel = 'disclosure' AND row_text LIKE '%赵**%') = 2,
          'D1.4, D5a both payload shapes (双公示 and general) carry the masked name');

------------------------------------------------------------------------
-- E. SPEC 4, 8: an operator changes records only through the API
------------------------------------------------------------------------
SELECT is(sec_t.code_as('sec06_operator', q), '42501', d) FROM (VALUES
    (format($$INSERT INTO integrity.record (origin, id, subject_id, category, kind, severity, decided_on, publishable,
             publish_due, repair_allowed_from, publicity_until) VALUES ('140400', 9999999, %s, 'admin_penalty', 'dishonest',
             'general', current_date, true, current_date, current_date, current_date)$$, :eid),
     'SPEC 8 an operator cannot INSERT into record'),
    (format($$UPDATE integrity.record SET summary = 'changed' WHERE id = %s$$, :r_collected),
     'SPEC 8 an operator cannot UPDATE record'),
    (format($$DELETE FROM integrity.record WHERE id = %s$$, :r_collected), 'SPEC 8 an operator cannot DELETE from record'),
    ($$INSERT INTO integrity.subject (origin, id, kind, name, legacy_code, region)
       VALUES ('140400', 9999999, 'enterprise', 'x', '000000000000000000', '140400')$$,
     'SPEC 8 an operator cannot INSERT into subject'),
    (format($$UPDATE integrity.subject SET name = 'x' WHERE id = %s$$, :eid), 'SPEC 8 an operator cannot UPDATE subject'),
    (format($$DELETE FROM integrity.subject WHERE id = %s$$, :eid), 'SPEC 8 an operator cannot DELETE from subject'),
    (format($$INSERT INTO integrity.record_event (origin, id, record_id, event, to_state, actor)
             VALUES ('140400', 9999999, %s, 'revoke', 'revoked', 'x')$$, :r_collected),
     'SPEC 8 an operator cannot INSERT into record_event'),
    ($$UPDATE integrity.record_event SET reason = 'x'$$, 'SPEC 8 an operator cannot UPDATE record_event'),
    ($$DELETE FROM integrity.record_event$$, 'SPEC 8 an operator cannot DELETE from record_event'),
    ($$INSERT INTO integrity.disclosure (origin, seq, event, payload, payload_hash, prev_hash, entry_hash, key_id, signature)
       VALUES ('140400', 9999999, 'publish', '{}', '\x00', '\x00', '\x00', 'x', '\x00')$$,
     'SPEC 8 an operator cannot INSERT into disclosure'),
    ($$UPDATE integrity.disclosure SET payload = '{}'$$, 'SPEC 8 an operator cannot UPDATE disclosure'),
    ($$DELETE FROM integrity.disclosure$$, 'SPEC 8 an operator cannot DELETE from disclosure'),
    ('TRUNCATE integrity.record_event', 'SPEC 8 an operator cannot TRUNCATE record_event'),
    ('TRUNCATE integrity.disclosure', 'SPEC 8 an operator cannot TRUNCATE disclosure'),
    ($$UPDATE integrity.chain_head SET size = 0$$, 'SPEC 6 an operator cannot move the chain head'),
    ($$INSERT INTO integrity.signing_key (origin, key_id, public_key) VALUES ('140400', '0000000000000000', '\x00')$$,
     'SPEC 6 an operator cannot register a public key'),
    ($$INSERT INTO integrity.merkle_node (origin, level, idx, hash) VALUES ('140400', 0, 999999, '\x00')$$,
     'SPEC 6 an operator cannot add Merkle nodes'),
    ('ALTER TABLE integrity.record DISABLE TRIGGER USER', 'SPEC 4 an operator cannot disable the lifecycle trigger'),
    ('CREATE FUNCTION integrity.now() RETURNS timestamptz LANGUAGE sql AS $f$ SELECT now() $f$',
     'an operator cannot plant functions in schema integrity'),
    ($$SELECT integrity.set_origin('140400')$$, 'SPEC 3, 8 set_origin is for admins, not operators'),
    (format($$SELECT integrity._register_key('140400', '0000000000000000', '\x%s')$$, repeat('00', 32)),
     'SPEC 6 an operator cannot call _register_key (fake public keys)'),
    ($$SELECT integrity._set_context('forged reason', true)$$, 'SPEC 4 an operator cannot call _set_context'),
    (format($$SELECT integrity._disclosure_payload('140400', %s, 'publish')$$, :cs_penalty),
     'D1.4 an operator cannot call _disclosure_payload')
) v(q, d);
SELECT is(sec_t.try_as('sec06_admin', $$SELECT integrity.set_origin('140400')$$), 'ok: ',
          'SPEC 3, 8 an admin may call set_origin (same origin: nothing changes)');
SELECT is(sec_t.code_as('sec06_admin', $$SELECT integrity.set_origin('140500')$$), '55000',
          'SPEC 3 but not change it once records exist');
SELECT is(sec_t.code_as('sec06_admin', $$INSERT INTO integrity.calendar (day, is_workday, seeded) VALUES ('2030-01-02', false, true)$$),
          '42501', 'SPEC 8 an admin cannot set the seeded flag');
-- the superuser: append-only tables refuse even the owner (STYLE)
SELECT is(sec_t.code(q), '55000', d) FROM (VALUES
    ($$UPDATE integrity.record_event SET reason = 'rewritten'$$, 'SPEC 4 record_event refuses UPDATE, even by the owner'),
    ($$DELETE FROM integrity.record_event$$, 'SPEC 4 record_event refuses DELETE, even by the owner'),
    ($$TRUNCATE integrity.record_event$$, 'SPEC 4 record_event refuses TRUNCATE, even by the owner'),
    ($$UPDATE integrity.disclosure SET payload = payload || ' '$$, 'SPEC 6 disclosure refuses UPDATE, even by the owner'),
    ($$DELETE FROM integrity.disclosure$$, 'SPEC 6 disclosure refuses DELETE, even by the owner'),
    ($$TRUNCATE integrity.disclosure$$, 'SPEC 6 disclosure refuses TRUNCATE, even by the owner'),
    ($$UPDATE integrity.merkle_node SET hash = hash$$, 'SPEC 6 merkle_node refuses UPDATE, even by the owner'),
    (format($$DELETE FROM integrity.record WHERE id = %s$$, :r_collected), 'SPEC 4 a record is never deleted, even by the owner'),
    ($$TRUNCATE integrity.record$$, 'SPEC 4 record refuses TRUNCATE, even by the owner')
) v(q, d);

------------------------------------------------------------------------
-- F. what a superuser can still do, and what detects it (docs/SECURITY.md)
------------------------------------------------------------------------
SELECT size AS log_size, encode(head, 'hex') AS log_head FROM integrity.chain_head WHERE origin = '140400' \gset
SAVEPOINT tamper;
ALTER TABLE integrity.disclosure DISABLE TRIGGER USER;
UPDATE integrity.disclosure SET payload = replace(payload, '赵**', '钱**') WHERE origin = '140400' AND record_id = :cs_penalty;
ALTER TABLE integrity.disclosure ENABLE TRIGGER USER;
SELECT results_eq(format('SELECT ok, checked, first_bad FROM integrity.verify_chain()'),
                  format('VALUES (false, (SELECT seq - 1 FROM integrity.disclosure WHERE record_id = %s), (SELECT seq FROM integrity.disclosure WHERE record_id = %s))',
                         :cs_penalty, :cs_penalty),
                  'SPEC 6 a payload rewritten by a superuser (triggers disabled) is caught by verify_chain at its seq');
SELECT is(integrity.verify_entry('140400', (SELECT seq FROM integrity.disclosure WHERE record_id = :cs_penalty)), false,
          'SPEC 6 and by verify_entry');
ROLLBACK TO SAVEPOINT tamper;
SAVEPOINT tamper;
UPDATE integrity.signing_key SET public_key = decode(repeat('11', 32), 'hex') WHERE origin = '140400';
SELECT is((SELECT ok FROM integrity.verify_chain()), false,
          'SPEC 6 a public key swapped in signing_key fails verify_chain');
ROLLBACK TO SAVEPOINT tamper;
-- rewriting the tail consistently (delete the newest entry and its Merkle
-- nodes, move the head back): verify_chain cannot see it, but a checkpoint
-- taken before can, once anything is published again at the same size
SELECT tree_size AS ck_size, encode(root_hash, 'hex') AS ck_root, checkpoint AS ck_note FROM integrity.tree_head() \gset
SAVEPOINT tamper;
ALTER TABLE integrity.disclosure DISABLE TRIGGER USER;
ALTER TABLE integrity.merkle_node DISABLE TRIGGER USER;
DELETE FROM integrity.disclosure WHERE origin = '140400' AND seq = :log_size;
DELETE FROM integrity.merkle_node WHERE origin = '140400' AND (idx + 1) * (1::bigint << level) > :log_size - 1;
UPDATE integrity.chain_head SET size = size - 1,
       head = (SELECT entry_hash FROM integrity.disclosure WHERE origin = '140400' AND seq = :log_size - 1)
 WHERE origin = '140400';
ALTER TABLE integrity.disclosure ENABLE TRIGGER USER;
ALTER TABLE integrity.merkle_node ENABLE TRIGGER USER;
SELECT results_eq('SELECT ok FROM integrity.verify_chain()', 'VALUES (true)',
                  'documented limit: a superuser who truncates the tail consistently passes verify_chain');
SELECT lives_ok(format('SELECT integrity.publish(%s)', :r_confirmed), 'the rewritten log grows again');
SELECT isnt(encode((SELECT root_hash FROM integrity.tree_head()), 'hex'), :'ck_root',
            'SPEC 6 but the tree of the same size has another root than the earlier checkpoint');
SELECT ok(integrity.ed25519_verify(integrity.public_key(),
                                   convert_to(split_part(:'ck_note', E'\n\n', 1) || E'\n', 'UTF8'),
                                   substr(decode(split_part(split_part(:'ck_note', E'\n\n', 2), ' ', 3), 'base64'), 5)),
          'SPEC 6 and the earlier checkpoint is signed: two signed heads of one size prove the rewrite');
ROLLBACK TO SAVEPOINT tamper;
SELECT results_eq('SELECT ok, checked FROM integrity.verify_chain()', format('VALUES (true, %s::bigint)', :log_size),
                  'SPEC 6 after the rollback the log verifies again');

------------------------------------------------------------------------
-- G. SECURITY DEFINER functions and search_path
------------------------------------------------------------------------
CREATE SCHEMA evil;
CREATE TABLE evil.calls (fn text, by_role text DEFAULT current_user);
-- a sequence counts calls even when the call's transaction rolls back
CREATE SEQUENCE evil.calls_seq;
GRANT USAGE ON SCHEMA evil TO PUBLIC;
GRANT INSERT, SELECT ON evil.calls TO PUBLIC;
GRANT USAGE, SELECT ON evil.calls_seq TO PUBLIC;
-- the shadows that ran since the last reset
CREATE FUNCTION sec_t.shadows_ran() RETURNS text[] LANGUAGE sql AS $$
    SELECT ARRAY(SELECT DISTINCT fn FROM evil.calls ORDER BY 1)
           || CASE WHEN (SELECT is_called FROM evil.calls_seq) AND NOT EXISTS (SELECT 1 FROM evil.calls)
                   THEN ARRAY['(a shadow ran in a call that was rolled back)'] ELSE '{}' END
$$;
CREATE FUNCTION sec_t.shadows_reset() RETURNS void LANGUAGE sql AS $$
    DELETE FROM evil.calls;
    SELECT setval('evil.calls_seq', 1, false);
$$;
-- each shadow records its call and returns something wrong
DO $$
DECLARE f record;
BEGIN
    FOR f IN SELECT * FROM (VALUES
        ('now()', 'timestamptz', $v$'2000-01-01'$v$),
        ('nextval(regclass)', 'bigint', '-1'),
        ('nextval(text)', 'bigint', '-1'),
        ('currval(regclass)', 'bigint', '-1'),
        ('btrim(text)', 'text', $v$'evil'$v$),
        ('btrim(text, text)', 'text', $v$'evil'$v$),
        ('upper(text)', 'text', $v$'evil'$v$),
        ('lower(text)', 'text', $v$'evil'$v$),
        ('length(text)', 'integer', '-1'),
        ('substr(text, integer, integer)', 'text', $v$'evil'$v$),
        ('format(text)', 'text', $v$'evil'$v$),
        ('format(text, VARIADIC text[])', 'text', $v$'evil'$v$),
        ('concat(VARIADIC text[])', 'text', $v$'evil'$v$),
        ('array_to_string(integrity.subject_kind[], text)', 'text', $v$'evil'$v$),
        ('array_to_string(anyarray, text)', 'text', $v$'evil'$v$),
        ('enum_range(integrity.subject_kind)', 'integrity.subject_kind[]', $v$'{government}'$v$),
        ('enum_range(integrity.accident_level)', 'integrity.accident_level[]', $v$'{general}'$v$),
        ('cardinality(text[])', 'integer', '0'),
        ('make_date(integer, integer, integer)', 'date', $v$'2000-01-01'$v$),
        ('add_workdays(date, integer)', 'date', $v$'2000-01-01'$v$),
        ('is_workday(date)', 'boolean', 'false'),
        ('jsonb_build_object(VARIADIC text[])', 'jsonb', $v$'{}'$v$),
        ('sha256(bytea)', 'bytea', $v$'\x00'$v$),
        ('set_config(text, text, boolean)', 'text', $v$'evil'$v$),
        ('current_setting(text)', 'text', $v$'evil'$v$),
        ('extract(text, date)', 'numeric', '0'),
        ('date_part(text, date)', 'double precision', '0'),
        ('mask_name(text)', 'text', $v$'evil'$v$),
        ('mask(integrity.cn_id)', 'text', $v$'evil'$v$),
        ('local_origin()', 'text', $v$'999999'$v$),
        ('_origin()', 'text', $v$'999999'$v$),
        ('texteq(text, text)', 'boolean', 'false'),
        ('kind_eq(integrity.subject_kind, integrity.subject_kind)', 'boolean', 'false'),
        ('state_eq(integrity.record_state, integrity.record_state)', 'boolean', 'false'),
        ('state_ne(integrity.record_state, integrity.record_state)', 'boolean', 'true'),
        ('severity_eq(integrity.severity, integrity.severity)', 'boolean', 'false'),
        ('int8_eq(bigint, bigint)', 'boolean', 'false'),
        ('text_ne(text, text)', 'boolean', 'true'),
        ('text_match(text, text)', 'boolean', 'true'),
        ('text_nomatch(text, text)', 'boolean', 'false'),
        ('text_cat(text, text)', 'text', $v$'evil'$v$),
        ('date_pli(date, integer)', 'date', $v$'2000-01-01'$v$),
        ('date_mii(date, integer)', 'date', $v$'2000-01-01'$v$),
        ('date_gt(date, date)', 'boolean', 'false'),
        ('date_le(date, date)', 'boolean', 'true'),
        ('bytea_cat(bytea, bytea)', 'bytea', $v$'\x00'$v$)
    ) AS v(sig, ret, val)
    LOOP
        EXECUTE format('CREATE FUNCTION evil.%s RETURNS %s LANGUAGE plpgsql AS %L', f.sig, f.ret,
                       format('BEGIN PERFORM pg_catalog.nextval(%L::pg_catalog.regclass); '
                              'INSERT INTO evil.calls (fn) VALUES (%L); RETURN %s; END', 'evil.calls_seq', f.sig, f.val));
    END LOOP;
END $$;
CREATE FUNCTION evil.generate_series(integer, integer) RETURNS SETOF integer LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_catalog.nextval('evil.calls_seq'::pg_catalog.regclass);
    INSERT INTO evil.calls (fn) VALUES ('generate_series');
    RETURN NEXT 1;
END $$;
CREATE OPERATOR evil.= (LEFTARG = text, RIGHTARG = text, FUNCTION = evil.texteq);
CREATE OPERATOR evil.<> (LEFTARG = text, RIGHTARG = text, FUNCTION = evil.text_ne);
CREATE OPERATOR evil.~ (LEFTARG = text, RIGHTARG = text, FUNCTION = evil.text_match);
CREATE OPERATOR evil.!~ (LEFTARG = text, RIGHTARG = text, FUNCTION = evil.text_nomatch);
CREATE OPERATOR evil.|| (LEFTARG = text, RIGHTARG = text, FUNCTION = evil.text_cat);
CREATE OPERATOR evil.|| (LEFTARG = bytea, RIGHTARG = bytea, FUNCTION = evil.bytea_cat);
CREATE OPERATOR evil.= (LEFTARG = integrity.subject_kind, RIGHTARG = integrity.subject_kind, FUNCTION = evil.kind_eq);
CREATE OPERATOR evil.= (LEFTARG = integrity.record_state, RIGHTARG = integrity.record_state, FUNCTION = evil.state_eq);
CREATE OPERATOR evil.<> (LEFTARG = integrity.record_state, RIGHTARG = integrity.record_state, FUNCTION = evil.state_ne);
CREATE OPERATOR evil.= (LEFTARG = integrity.severity, RIGHTARG = integrity.severity, FUNCTION = evil.severity_eq);
CREATE OPERATOR evil.= (LEFTARG = bigint, RIGHTARG = bigint, FUNCTION = evil.int8_eq);
CREATE OPERATOR evil.+ (LEFTARG = date, RIGHTARG = integer, FUNCTION = evil.date_pli);
CREATE OPERATOR evil.- (LEFTARG = date, RIGHTARG = integer, FUNCTION = evil.date_mii);
CREATE OPERATOR evil.> (LEFTARG = date, RIGHTARG = date, FUNCTION = evil.date_gt);
CREATE OPERATOR evil.<= (LEFTARG = date, RIGHTARG = date, FUNCTION = evil.date_le);

-- results of the calls made under a hostile search_path
CREATE TABLE sec_t.hij (path text, step text, result text);
GRANT INSERT, SELECT ON sec_t.hij TO PUBLIC;

-- run q with search_path = p (inside only: this helper itself resolves
-- names in pg_catalog); record 'ok: value' or the error
CREATE FUNCTION sec_t.hostile(p text, step text, q text) RETURNS text
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE res text;
BEGIN
    BEGIN
        PERFORM pg_catalog.set_config('search_path', p, true);
        EXECUTE q INTO res;
        PERFORM pg_catalog.set_config('search_path', 'pg_catalog, pg_temp', true);
        res := 'ok: ' OPERATOR(pg_catalog.||) coalesce(res, 'NULL');
    EXCEPTION WHEN OTHERS THEN
        res := 'ERROR ' OPERATOR(pg_catalog.||) SQLSTATE OPERATOR(pg_catalog.||) ': ' OPERATOR(pg_catalog.||) SQLERRM;
    END;
    INSERT INTO sec_t.hij VALUES (p, step, res);
    RETURN res;
END $$;

-- the id in an 'ok: <id>' result, or NULL (so a failed step fails its
-- checks instead of aborting the file)
CREATE FUNCTION sec_t.id_of(h text) RETURNS bigint LANGUAGE sql IMMUTABLE
    SET search_path = pg_catalog, pg_temp
    AS $$ SELECT CASE WHEN h ~ '^ok: [0-9]+$' THEN substr(h, 5)::bigint END $$;

-- every API function, as the current role (an operator), under path p;
-- values are taken from the previous steps' results
CREATE FUNCTION sec_t.battery(p text) RETURNS void
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    sid bigint; cid bigint; r1 bigint; r2 bigint; r3 bigint; r4 bigint; seq bigint; size bigint;
    person text := sec_t.cn_id(nextval('sec_t.codeno'));
    h text;
BEGIN
    h := sec_t.hostile(p, 'subject_add', format('SELECT integrity.subject_add(%L, %L, %L)', 'enterprise',
                                                 '  恶意路径测试有限公司  ', sec_t.uscc('91140400', nextval('sec_t.codeno'))));
    sid := sec_t.id_of(h);
    h := sec_t.hostile(p, 'subject_add civil_servant',
                       format('SELECT integrity.subject_add(%L, %L, %L)', 'civil_servant', '钱小红', person));
    cid := sec_t.id_of(h);
    h := sec_t.hostile(p, 'record_add', format('SELECT integrity.record_add(%s, %L, %L, %L, %L, %L, %L)', sid,
                                                'admin_penalty', 'general', current_date - 200, '长监罚〔1〕号',
                                                '长治市市场监督管理局', '违法事实'));
    r1 := sec_t.id_of(h);
    PERFORM sec_t.hostile(p, 'notify', format('SELECT integrity.notify(%s, %L)', r1, '书面告知'));
    PERFORM sec_t.hostile(p, 'confirm', format('SELECT integrity.confirm(%s, %L)', r1, '认定'));
    h := sec_t.hostile(p, 'publish', format('SELECT integrity.publish(%s)', r1));
    PERFORM sec_t.hostile(p, 'object', format('SELECT integrity.object(%s, %L)', r1, '异议'));
    PERFORM sec_t.hostile(p, 'resolve_objection', format('SELECT integrity.resolve_objection(%s, false, %L)', r1, '驳回'));
    PERFORM sec_t.hostile(p, 'repair', format('SELECT integrity.repair(%s, %L)', r1, '信用修复'));
    h := sec_t.hostile(p, 'record_add 2', format('SELECT integrity.record_add(%s, %L, %L, %L, %L, %L, %L)', cid,
                                                  'disciplinary_sanction', 'general', current_date - 30, '处分〔2〕号',
                                                  '长治市纪委', '纪律处分'));
    r2 := sec_t.id_of(h);
    PERFORM sec_t.hostile(p, 'notify 2', format('SELECT integrity.notify(%s, %L)', r2, '书面告知'));
    PERFORM sec_t.hostile(p, 'revoke', format('SELECT integrity.revoke(%s, %L)', r2, '信息错误'));
    h := sec_t.hostile(p, 'record_add 3', format('SELECT integrity.record_add(%s, %L, %L, %L, %L, %L, %L)', sid,
                                                  'breach_of_contract', 'serious', current_date - 10, '合同〔3〕号',
                                                  '长治市住建局', '拖欠工程款'));
    r3 := sec_t.id_of(h);
    PERFORM sec_t.hostile(p, 'notify 3', format('SELECT integrity.notify(%s, %L)', r3, '书面告知'));
    PERFORM sec_t.hostile(p, 'confirm 3', format('SELECT integrity.confirm(%s, %L)', r3, '认定'));
    PERFORM sec_t.hostile(p, 'publish 3', format('SELECT integrity.publish(%s)', r3));
    PERFORM sec_t.hostile(p, 'mark_remedied', format('SELECT integrity.mark_remedied(%s, %L)', r3, '主动挽回损失'));
    h := sec_t.hostile(p, 'record_add 4', format('SELECT integrity.record_add(%s, %L, %L, %L, %L, %L, %L)', sid,
                                                  'admin_penalty', 'general', current_date - 400, '长监罚〔4〕号',
                                                  '长治市市场监督管理局', '已过公示期'));
    r4 := sec_t.id_of(h);
    PERFORM sec_t.hostile(p, 'notify 4', format('SELECT integrity.notify(%s, %L)', r4, '书面告知'));
    PERFORM sec_t.hostile(p, 'confirm 4', format('SELECT integrity.confirm(%s, %L)', r4, '认定'));
    PERFORM sec_t.hostile(p, 'publish 4', format('SELECT integrity.publish(%s)', r4));
    PERFORM sec_t.hostile(p, 'expire_due', format('SELECT integrity.expire_due(%L)', current_date));
    PERFORM sec_t.hostile(p, 'evaluate', format('SELECT t::text FROM integrity.evaluate(%s) t', sid));
    PERFORM sec_t.hostile(p, 'punishment_status', format('SELECT t::text FROM integrity.punishment_status(%s) t', sid));
    PERFORM sec_t.hostile(p, 'incentive_status', format('SELECT t::text FROM integrity.incentive_status(%s) t', sid));
    PERFORM sec_t.hostile(p, 'restrictions', format('SELECT array_agg(t ORDER BY t)::text FROM integrity.restrictions(%s) t', cid));
    PERFORM sec_t.hostile(p, 'may_rate_excellent',
                          format('SELECT integrity.may_rate_excellent(%s, %s)', cid, extract(year FROM current_date)::int));
    PERFORM sec_t.hostile(p, 'verify_chain', 'SELECT t::text FROM integrity.verify_chain() t');
    PERFORM sec_t.hostile(p, 'tree_head', 'SELECT t::text FROM integrity.tree_head() t');
    SELECT s.size INTO size FROM integrity.chain_head s WHERE s.origin = '140400';
    PERFORM sec_t.hostile(p, 'inclusion_proof', format('SELECT integrity.inclusion_proof(2, %s)::text', size));
    PERFORM sec_t.hostile(p, 'consistency_proof', format('SELECT integrity.consistency_proof(3, %s)::text', size));
    PERFORM sec_t.hostile(p, 'public_key', 'SELECT integrity.public_key()::text');
    -- remember the ids for the checks
    INSERT INTO sec_t.hij VALUES (p, 'ids', format('%s %s %s %s %s %s', sid, cid, r1, r2, r3, r4));
END $$;

-- the checks of one battery, in a clean context: one test per API function
CREATE FUNCTION sec_t.battery_checks(p text) RETURNS SETOF text LANGUAGE plpgsql AS $$
DECLARE
    ids text[] := string_to_array((SELECT result FROM sec_t.hij WHERE path = p AND step = 'ids'), ' ');
    sid bigint := nullif(ids[1], ''); cid bigint := nullif(ids[2], ''); r1 bigint := nullif(ids[3], '');
    r2 bigint := nullif(ids[4], ''); r3 bigint := nullif(ids[5], ''); r4 bigint := nullif(ids[6], '');
    size bigint := (SELECT c.size FROM integrity.chain_head c WHERE c.origin = '140400');
    rec integrity.record;
BEGIN
    RETURN NEXT ok((SELECT s.name = '恶意路径测试有限公司' AND s.kind = 'enterprise' AND s.region = '140400'
                            AND s.created_at = now()
                      FROM integrity.subject s WHERE s.origin = '140400' AND s.id = sid)
                   AND (SELECT s.cn_id IS NOT NULL AND s.name = '钱小红' FROM integrity.subject s
                         WHERE s.origin = '140400' AND s.id = cid),
                   format('search_path %s: subject_add stores the right rows (btrim, now, nextval not shadowed)', p));
    SELECT * INTO rec FROM integrity.record r WHERE r.origin = '140400' AND r.id = r1;
    RETURN NEXT ok(rec.publish_due = integrity.add_workdays(rec.decided_on, 7)
                   AND rec.repair_allowed_from = rec.decided_on + interval '3 months'
                   AND rec.publicity_until = rec.decided_on + interval '1 year'
                   AND rec.created_at = now() AND rec.decided_on = current_date - 200
                   AND (SELECT count(*) FROM integrity.record_event e WHERE e.origin = '140400' AND e.record_id = r1
                          AND e.actor = session_user) >= 1,
                   format('search_path %s: record_add computes the right dates', p));
    RETURN NEXT ok(EXISTS (SELECT 1 FROM integrity.record_event e WHERE e.origin = '140400' AND e.record_id = r1
                             AND e.event = 'notify' AND e.reason = '书面告知'),
                   format('search_path %s: notify', p));
    RETURN NEXT ok(rec.confirmed_on = current_date, format('search_path %s: confirm', p));
    RETURN NEXT is((SELECT result FROM sec_t.hij WHERE path = p AND step = 'publish'),
                   (SELECT 'ok: ' || d.seq FROM integrity.disclosure d WHERE d.origin = '140400' AND d.record_id = r1
                       AND d.event = 'publish'),
                   format('search_path %s: publish returns the seq of its disclosure', p));
    RETURN NEXT ok(EXISTS (SELECT 1 FROM integrity.record_event e WHERE e.origin = '140400' AND e.record_id = r1
                             AND e.event = 'objection' AND e.reason = '异议'),
                   format('search_path %s: object', p));
    RETURN NEXT ok(EXISTS (SELECT 1 FROM integrity.record_event e WHERE e.origin = '140400' AND e.record_id = r1
                             AND e.event = 'objection_rejected' AND e.to_state = 'published'),
                   format('search_path %s: resolve_objection returns the record to published', p));
    RETURN NEXT ok(rec.state = 'repaired' AND rec.repaired_on = current_date,
                   format('search_path %s: repair', p));
    RETURN NEXT ok((SELECT r.state = 'revoked' FROM integrity.record r WHERE r.origin = '140400' AND r.id = r2),
                   format('search_path %s: revoke', p));
    RETURN NEXT ok((SELECT r.remedied AND r.remedied_on = current_date FROM integrity.record r
                     WHERE r.origin = '140400' AND r.id = r3),
                   format('search_path %s: mark_remedied', p));
    RETURN NEXT ok((SELECT result FROM sec_t.hij WHERE path = p AND step = 'expire_due') = 'ok: 1'
                   AND (SELECT r.state = 'expired' FROM integrity.record r WHERE r.origin = '140400' AND r.id = r4),
                   format('search_path %s: expire_due expires exactly the due record', p));
    RETURN NEXT is((SELECT result FROM sec_t.hij WHERE path = p AND step = 'evaluate'),
                   sec_t.try(format('SELECT t::text FROM integrity.evaluate(%s) t', sid)),
                   format('search_path %s: evaluate', p));
    RETURN NEXT is((SELECT result FROM sec_t.hij WHERE path = p AND step = 'punishment_status'),
                   sec_t.try(format('SELECT t::text FROM integrity.punishment_status(%s) t', sid)),
                   format('search_path %s: punishment_status', p));
    RETURN NEXT is((SELECT result FROM sec_t.hij WHERE path = p AND step = 'incentive_status'),
                   sec_t.try(format('SELECT t::text FROM integrity.incentive_status(%s) t', sid)),
                   format('search_path %s: incentive_status', p));
    RETURN NEXT is((SELECT result FROM sec_t.hij WHERE path = p AND step = 'restrictions'),
                   sec_t.try(format('SELECT array_agg(t ORDER BY t)::text FROM integrity.restrictions(%s) t', cid)),
                   format('search_path %s: restrictions', p));
    RETURN NEXT is((SELECT result FROM sec_t.hij WHERE path = p AND step = 'may_rate_excellent'),
                   sec_t.try(format('SELECT integrity.may_rate_excellent(%s, %s)', cid, extract(year FROM current_date)::int)),
                   format('search_path %s: may_rate_excellent', p));
    RETURN NEXT is((SELECT result FROM sec_t.hij WHERE path = p AND step = 'verify_chain'),
                   format('ok: (t,%s,)', size), format('search_path %s: verify_chain', p));
    RETURN NEXT is((SELECT result FROM sec_t.hij WHERE path = p AND step = 'tree_head'),
                   sec_t.try('SELECT t::text FROM integrity.tree_head() t'), format('search_path %s: tree_head', p));
    RETURN NEXT is((SELECT result FROM sec_t.hij WHERE path = p AND step = 'inclusion_proof'),
                   sec_t.try(format('SELECT integrity.inclusion_proof(2, %s)::text', size)), format('search_path %s: inclusion_proof', p));
    RETURN NEXT is((SELECT result FROM sec_t.hij WHERE path = p AND step = 'consistency_proof'),
                   sec_t.try(format('SELECT integrity.consistency_proof(3, %s)::text', size)), format('search_path %s: consistency_proof', p));
    RETURN NEXT is((SELECT result FROM sec_t.hij WHERE path = p AND step = 'public_key'),
                   sec_t.try('SELECT integrity.public_key()::text'), format('search_path %s: public_key', p));
    RETURN NEXT is(ARRAY(SELECT h.step || ' -> ' || h.result FROM sec_t.hij h
                          WHERE h.path = p AND h.step <> 'ids' AND h.result NOT LIKE 'ok: %' ORDER BY 1),
                   '{}'::text[], format('search_path %s: every API call succeeded', p));
END $$;

SET LOCAL ROLE sec06_operator;
SET LOCAL search_path = evil, integrity, public;
DO $$ BEGIN PERFORM sec_t.battery('evil, integrity, public'); END $$;
RESET search_path;
RESET ROLE;
SELECT * FROM sec_t.battery_checks('evil, integrity, public');
SELECT is(sec_t.shadows_ran(), '{}'::text[],
          'STYLE search_path = evil, integrity, public: no shadow function or operator ran inside the API');
SELECT sec_t.shadows_reset() \gset

-- evil ahead of pg_catalog: even exact-signature shadows (now(), "=" on
-- text, nextval ...) would win if a function did not pin its search_path
SET LOCAL ROLE sec06_operator;
SET LOCAL search_path = evil, pg_catalog, integrity, public;
DO $$ BEGIN PERFORM sec_t.battery('evil, pg_catalog, integrity, public'); END $$;
RESET search_path;
RESET ROLE;
SELECT * FROM sec_t.battery_checks('evil, pg_catalog, integrity, public');
SELECT is(sec_t.shadows_ran(), '{}'::text[],
          'STYLE search_path = evil, pg_catalog, ...: no shadow function or operator ran inside the API');
SELECT sec_t.shadows_reset() \gset

-- the views, as a reader with a hostile search_path (a reader who owns a
-- schema can put it first): the masking must not depend on the caller's path
SET LOCAL ROLE sec06_reader;
DO $$
DECLARE v text;
BEGIN
    FOREACH v IN ARRAY ARRAY['public_record', 'blacklist', 'redlist', 'evaluation', 'monitoring_ranking'] LOOP
        PERFORM sec_t.hostile('evil, integrity, public', 'view ' || v,
                              format('SELECT array_agg(t::text)::text FROM integrity.%I t', v));
    END LOOP;
END $$;
RESET ROLE;
SELECT is(ARRAY(SELECT step FROM sec_t.hij WHERE step LIKE 'view %' AND result LIKE '%赵小明%' ORDER BY 1), '{}'::text[],
          'D1.4 a reader with search_path = evil, ... still sees only masked names in the views');
SELECT is(sec_t.shadows_ran(), '{}'::text[],
          'STYLE no shadow function or operator ran inside the views (functions inlined into views are pinned too)');
SELECT sec_t.shadows_reset() \gset

------------------------------------------------------------------------
-- H. NULL for every argument of every API function
------------------------------------------------------------------------
-- calls of f with valid arguments args, then all NULL and each one NULL in
-- turn; each call undone.  Every answer must be a result or an error with
-- a clear SQLSTATE (data exception, not found, wrong state, unknown
-- reference): no internal error, no leaked constraint name, no crash.
CREATE FUNCTION sec_t.nulls(f text, args text[]) RETURNS text[] LANGUAGE plpgsql AS $$
DECLARE
    i integer;
    a text[];
    q text;
    r text;
    bad text[] := '{}';
BEGIN
    FOR i IN 0 .. cardinality(args) LOOP
        IF i = 0 THEN
            a := array_fill('NULL'::text, ARRAY[cardinality(args)]);
        ELSE
            a := args;
            a[i] := 'NULL';
        END IF;
        q := format('SELECT integrity.%s(%s)::text', f, array_to_string(a, ', '));
        r := sec_t.try_as('sec06_admin', q);
        IF r NOT LIKE 'ok: %' AND split_part(r, ':', 1) NOT IN
               ('22004', '22023', '22P02', '22007', '22008', 'P0002', '23503', '55000') THEN
            bad := bad || (q || ' -> ' || r);
        END IF;
    END LOOP;
    RETURN bad;
END $$;

SELECT is(sec_t.nulls('subject_add', ARRAY[quote_literal('enterprise'), quote_literal('空值测试有限公司'),
                                           quote_literal(sec_t.uscc('91140400', nextval('sec_t.codeno'))),
                                           quote_literal('140400'), :'gid', 'NULL::text']),
          '{}'::text[], 'NULL arguments to subject_add: clear errors or results');
SELECT is((SELECT 1), 1, 'the server is up after NULL arguments to subject_add');
SELECT is(sec_t.nulls('record_add', ARRAY[:'eid', quote_literal('admin_penalty'), quote_literal('general'),
                                          quote_literal(current_date - 10), quote_literal('文号'), quote_literal('单位'),
                                          quote_literal('摘要'), quote_literal('其他'), 'NULL::text', '0']),
          '{}'::text[], 'NULL arguments to record_add: clear errors or results');
SELECT is((SELECT 1), 1, 'the server is up after NULL arguments to record_add');
SELECT is(sec_t.nulls(f, args), '{}'::text[], format('NULL arguments to %s: clear errors or results', f))
  FROM (VALUES
    ('notify', ARRAY[:'r_collected', quote_literal('r')]),
    ('confirm', ARRAY[:'r_notified', quote_literal('r')]),
    ('publish', ARRAY[:'r_confirmed']),
    ('object', ARRAY[:'r_published', quote_literal('r')]),
    ('resolve_objection', ARRAY[:'r_objected', 'false', quote_literal('r')]),
    ('repair', ARRAY[:'r_published_old', quote_literal('r')]),
    ('revoke', ARRAY[:'r_confirmed', quote_literal('r')]),
    ('mark_remedied', ARRAY[:'r_published', quote_literal('r')]),
    ('expire_due', ARRAY[quote_literal(current_date)]),
    ('transition', ARRAY[:'r_collected', quote_literal('notified'), quote_literal('r')]),
    ('evaluate', ARRAY[:'gid', quote_literal(current_date), quote_literal('default')]),
    ('punishment_status', ARRAY[:'eid', quote_literal(current_date)]),
    ('incentive_status', ARRAY[:'eid', quote_literal(current_date)]),
    ('restrictions', ARRAY[:'cid', quote_literal(current_date)]),
    ('may_rate_excellent', ARRAY[:'cid', '2025']),
    ('verify_chain', ARRAY[quote_literal('140400'), '1', quote_literal('all')]),
    ('verify_entry', ARRAY[quote_literal('140400'), '1']),
    ('tree_head', ARRAY[quote_literal('140400')]),
    ('inclusion_proof', ARRAY['1', '3', quote_literal('140400')]),
    ('consistency_proof', ARRAY['1', '3', quote_literal('140400')]),
    ('public_key', ARRAY[quote_literal(:'key_id')]),
    ('set_origin', ARRAY[quote_literal('140400')])
  ) v(f, args);
SELECT is((SELECT 1), 1, 'the server is up after NULL arguments to every API function');

------------------------------------------------------------------------
-- I. hostile input: long strings, multibyte text, boundary values
------------------------------------------------------------------------
SELECT ok(r ~ '^22P02: invalid input syntax for type integrity\.uscc: "9{64}\.\.\."$',
          'SPEC 2 a 10 MB uscc input: 22P02, the value clipped in the message')
  FROM sec_t.try($$SELECT repeat('9', 10 * 1024 * 1024)::integrity.uscc$$) r;
SELECT ok(r ~ '^22P02: invalid input syntax for type integrity\.cn_id: "张{1,64}\.\.\."$',
          'SPEC 2 a 10 MB multibyte cn_id input: 22P02, clipped on a character boundary')
  FROM sec_t.try($$SELECT repeat('张', 3500000)::integrity.cn_id$$) r;
SELECT is(integrity.uscc_is_valid(repeat('A', 10 * 1024 * 1024)), false, 'SPEC 2 uscc_is_valid of 10 MB: false');
SELECT is(integrity.uscc_is_valid(repeat(' ', 10 * 1024 * 1024) || '91350100M000100Y43' || repeat(E'\t', 1024)), true,
          'SPEC 2 uscc_is_valid trims 10 MB of blanks');
SELECT is(integrity.cn_id_is_valid(repeat('1', 10 * 1024 * 1024)), false, 'SPEC 2 cn_id_is_valid of 10 MB: false');
SELECT is(md5(integrity.mask_name(repeat('a', 10 * 1024 * 1024))), md5('a' || repeat('*', 10 * 1024 * 1024 - 1)),
          'D1.4 mask_name of 10 MB');
SELECT is(length(integrity.mask_name(repeat('欧阳', 1750000))), 3500000,
          'D1.4 mask_name of 10 MB of multibyte text keeps the character count');
SELECT sec_t.try(format('SELECT integrity.subject_add(%L, repeat(%L, 3500000), %L)', 'enterprise', '企',
                        sec_t.uscc('91140400', nextval('sec_t.codeno'))), false) AS big_subject \gset
SELECT is((SELECT length(s.name) FROM integrity.subject s
            WHERE s.id = CASE WHEN :'big_subject' LIKE 'ok: %' THEN substr(:'big_subject', 5)::bigint END),
          3500000, 'SPEC 3 subject_add takes a 10 MB name');
CREATE TEMP TABLE big AS SELECT integrity.record_add(:eid, 'admin_penalty', 'general', current_date - 3, 'd', 's',
                                                     repeat('事', 3500000)) AS id;
SELECT lives_ok('SELECT integrity.notify(id, ''n''), integrity.confirm(id, ''c''), integrity.publish(id) FROM big',
                'SPEC 6 a record with a 10 MB summary is published');
SELECT ok((SELECT length(payload::jsonb ->> '违法事实') = 3500000 FROM integrity.disclosure
            WHERE origin = '140400' AND record_id = (SELECT id FROM big)),
          'D5a its payload carries the whole summary');
SELECT results_eq('SELECT ok FROM integrity.verify_chain()', 'VALUES (true)', 'SPEC 6 and the log still verifies');

-- multibyte and special characters
SELECT is(split_part(sec_t.try($$SELECT '91110000600037341Ｌ'::integrity.uscc$$), ':', 1), '22P02',
          'SPEC 2 a full-width letter in a uscc: 22P02');
SELECT matches(sec_t.try($$SELECT '91110000600037341Ｌ'::integrity.uscc$$), 'integrity.uscc: "91110000600037341Ｌ"$',
               'SPEC 2 the message shows the multibyte input as given');
SELECT is(integrity.mask_name('𠀀𠀁𠀂'), '𠀀**', 'D1.4 mask_name of 4-byte characters');
SELECT is(integrity.mask_name(E' \t欧阳修文\n '), '欧阳**', 'D1.4 mask_name trims blanks and keeps a compound family name');
SELECT is(integrity.mask_name(''), '', 'D1.4 mask_name of the empty string');
SELECT is(integrity.mask_name('Zhang San'), 'Z**** ***', 'D1.4 mask_name keeps blanks inside a transliterated name');
SELECT integrity.subject_add('enterprise', E'"引号"\\反斜杠\u0001\t控制\u2028公司''); DROP TABLE x; --',
                             sec_t.uscc('91140400', nextval('sec_t.codeno'))) AS odd \gset
SELECT sec_t.rec(:odd, 'breach_of_contract', 'serious', 4, 'published') AS odd_rec \gset
SELECT is((SELECT payload::jsonb -> 'subject' ->> 'name' FROM integrity.disclosure
            WHERE origin = '140400' AND record_id = :odd_rec),
          E'"引号"\\反斜杠\u0001\t控制\u2028公司''); DROP TABLE x; --',
          'SPEC 6 quotes, backslashes, controls and U+2028 survive the payload exactly');
SELECT is((SELECT integrity.canonical_json(payload) = payload FROM integrity.disclosure
            WHERE origin = '140400' AND record_id = :odd_rec), true,
          'SPEC 6 and that payload is canonical JSON');

-- boundary values: every answer a clear SQLSTATE (or a result), never XX000
SELECT is(sec_t.code(q), want, d) FROM (VALUES
    ('SELECT integrity.notify(9223372036854775807, ''r'')', 'P0002', 'bigint max record id: P0002'),
    ('SELECT integrity.publish(-9223372036854775808)', 'P0002', 'bigint min record id: P0002'),
    ('SELECT integrity.evaluate(9223372036854775807)', 'P0002', 'bigint max subject id: P0002'),
    ('SELECT integrity.subject_add(''enterprise'', ''x'', ''91110000600037341L'', NULL, 9223372036854775807)', '23503',
     'bigint max parent id: 23503'),
    ('SELECT integrity.inclusion_proof(9223372036854775807, 9223372036854775807)', '22023', 'inclusion proof at bigint max: 22023'),
    ('SELECT integrity.consistency_proof(-1, 9223372036854775807)', '22023', 'consistency proof from -1: 22023'),
    ('SELECT integrity.verify_chain(NULL, -9223372036854775808)', '22023', 'verify_chain from bigint min: 22023'),
    ('SELECT integrity.verify_chain(NULL, 1, '''')', '22023', 'verify_chain with signatures '''': 22023'),
    ('SELECT integrity.evaluate(1, ''4713-01-01 BC'')', '22023', 'evaluate as of 4713 BC: 22023'),
    ('SELECT integrity.evaluate(1, ''5874897-12-31'')', '22023', 'evaluate as of 5874897 AD: 22023'),
    ('SELECT integrity.punishment_status(1, ''-infinity'')', '22023', 'punishment_status as of -infinity: 22023'),
    ('SELECT integrity.incentive_status(1, ''infinity'')', '22023', 'incentive_status as of infinity: 22023'),
    ('SELECT integrity.restrictions(1, ''5874897-12-31'')', '22023', 'restrictions as of 5874897 AD: 22023'),
    ('SELECT integrity.expire_due(''5874897-12-31'')', '22023', 'expire_due in 5874897 AD: 22023 (future)'),
    ('SELECT integrity.expire_due(''4713-01-01 BC'')', 'ok', 'expire_due as of 4713 BC: nothing to do'),
    (format('SELECT integrity.record_add(%s, ''admin_penalty'', ''general'', ''5874897-12-31'', ''d'', ''s'', ''x'')', :eid),
     '22023', 'record_add decided in 5874897 AD: 22023 (future)'),
    (format('SELECT integrity.record_add(%s, ''admin_penalty'', ''general'', ''infinity'', ''d'', ''s'', ''x'')', :eid),
     '22023', 'record_add decided on infinity: 22023'),
    (format('SELECT integrity.may_rate_excellent(%s, -1)', :cid), '22023', 'may_rate_excellent year -1: 22023'),
    (format('SELECT integrity.may_rate_excellent(%s, 0)', :cid), '22023', 'may_rate_excellent year 0: 22023'),
    (format('SELECT integrity.may_rate_excellent(%s, 2147483647)', :cid), '22023', 'may_rate_excellent year max: 22023'),
    (format('SELECT integrity.may_rate_excellent(%s, -2147483648)', :cid), '22023', 'may_rate_excellent year min: 22023'),
    (format('SELECT integrity.record_add(%s, ''admin_penalty'', ''general'', current_date, ''d'', ''s'', ''x'', ''其他'', NULL, -1)', :eid),
     '22023', 'negative deaths: 22023'),
    (format('SELECT integrity.record_add(%s, ''safety_accident'', ''serious'', current_date, ''d'', ''s'', ''x'', ''安全生产'', ''general'', -2147483648)', :eid),
     '22023', 'deaths int min: 22023'),
    (format('SELECT integrity.record_add(%s, ''safety_accident'', ''serious'', current_date, ''d'', ''s'', ''x'', ''安全生产'', ''general'', 2147483647)', :eid),
     'ok', 'deaths int max is stored'),
    ('SELECT integrity.add_workdays(''5874897-12-31'', 1)', '22023', 'add_workdays past the last date: 22023 (issue 13: bounded)'),
    ('SELECT integrity.add_workdays(current_date, 2147483647)', '22023', 'add_workdays by int max: 22023 (issue 13: bounded)'),
    -- empty strings
    ('SELECT integrity.subject_add('''', ''x'', ''91110000600037341L'')', '22023', 'subject_add kind '''': 22023'),
    ('SELECT integrity.subject_add(''enterprise'', '''', ''91110000600037341L'')', '22023', 'subject_add name '''': 22023'),
    ('SELECT integrity.subject_add(''enterprise'', E'' \t\n'', ''91110000600037341L'')', '22023', 'subject_add blank name: 22023'),
    ('SELECT integrity.subject_add(''enterprise'', ''x'', '''')', '22P02', 'subject_add code '''': 22P02'),
    ('SELECT integrity.subject_add(''civil_servant'', ''x'', '''')', '22P02', 'subject_add cn_id '''': 22P02'),
    ('SELECT integrity.subject_add(''enterprise'', ''x'', ''91110000600037341L'', '''')', '22023', 'subject_add region '''': 22023'),
    ('SELECT integrity.subject_add(''enterprise'', ''x'', NULL, NULL, NULL, '''')', '22P02', 'subject_add legacy_code '''': 22P02'),
    (format('SELECT integrity.record_add(%s, '''', ''general'', current_date, '''', '''', '''')', :eid), '23503',
     'record_add category '''': 23503 (unknown category)'),
    (format('SELECT integrity.record_add(%s, ''admin_penalty'', ''general'', current_date, '''', '''', '''', '''')', :eid), '22023',
     'record_add domain '''': 22023'),
    (format('SELECT integrity.record_add(%s, ''admin_penalty'', ''general'', current_date, '''', '''', '''')', :eid), 'ok',
     'record_add with empty document number, unit and summary is stored'),
    (format('SELECT integrity.object(%s, '''')', :r_published), '22023', 'object without a reason: 22023'),
    (format('SELECT integrity.repair(%s, '' '')', :r_published_old), '22023', 'repair without a reason: 22023'),
    (format('SELECT integrity.revoke(%s, '''')', :r_confirmed), '22023', 'revoke without a reason: 22023'),
    (format('SELECT integrity.mark_remedied(%s, '''')', :r_published), '22023', 'mark_remedied without a reason: 22023'),
    ('SELECT integrity.set_origin('''')', '22023', 'set_origin '''': 22023'),
    ('SELECT integrity.public_key('''')', 'P0002', 'public_key '''': P0002'),
    (format('SELECT integrity.evaluate(%s, current_date, '''')', :gid), '22023', 'evaluate model '''': 22023'),
    ('SELECT ''''::integrity.uscc', '22P02', 'uscc '''': 22P02'),
    ('SELECT ''''::integrity.cn_id', '22P02', 'cn_id '''': 22P02'),
    ('SELECT integrity.uscc_is_valid('''')', 'ok', 'uscc_is_valid '''' does not raise'),
    ('SELECT integrity.cn_id_is_valid('''')', 'ok', 'cn_id_is_valid '''' does not raise')
) v(q, want, d);
SELECT matches(sec_t.code(format($$SELECT integrity.record_add(%s, 'admin_penalty', 'general', '-infinity', 'd', 's', 'x')$$, :eid)),
               '^22(023|008|007)$', 'record_add decided on -infinity: a data exception (22023/22008), not a NOT NULL violation');
SELECT is(sec_t.try(format('SELECT integrity.verify_chain(NULL, %s)::text',
                           (SELECT size + 5 FROM integrity.chain_head WHERE origin = '140400'))) ~ '^(22023|ok: \(t,0,\))', true,
          'SPEC 6 verify_chain from beyond the end of the log: an error or "nothing to check", not a bad entry that does not exist');
SELECT is(sec_t.try(format($$SELECT integrity.record_add(%s, 'admin_penalty', 'general', '4713-01-01 BC', 'd', 's', 'x')::text$$, :eid))
            ~ '^(ok: [0-9]+|22[0-9A-Z]{3}: )', true,
          'record_add decided in 4713 BC: a record or a data exception');
SELECT is((SELECT 1), 1, 'the server is up after the hostile input');

SELECT * FROM finish();
ROLLBACK;
