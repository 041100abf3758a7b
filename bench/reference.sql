-- bench/reference.sql: the PL/pgSQL and SQL reference implementation of
-- the integrity rules, in schema "ref": the code a platform team would
-- otherwise write.  `make bench` measures the C paths of the extension
-- against it (SPEC 9: every C function at least 10x faster than its
-- reference) and checks that both give the same answers.
--
--   ref.uscc_valid(text), ref.cn_id_valid(text)     D1 validators
--   ref.uscc_text, ref.cn_id_text                   domains over text with a CHECK
--   ref.record_guard()                              D2 state machine (BEFORE trigger)
--   ref.score_all(as_of), ref.evaluate(...)         D5 scoring in SQL
--   ref.punishment_status(...), ref.incentive_status(...)   D3
--   ref.verify_chain_hashes(...)                    SPEC 6 hash chain in PL/pgSQL
--
-- It reads the extension's tables (integrity.record, integrity.subject,
-- integrity.disclosure) but none of its functions, except
-- integrity.ed25519_verify for the one signature a PL/pgSQL program could
-- not check by itself.  Parameters are the DOMAIN.md defaults, written as
-- constants, as a platform team would.

CREATE SCHEMA IF NOT EXISTS ref;

------------------------------------------------------------------------
-- D1.1, D1.1a, D1.2: 统一社会信用代码
------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION ref.uscc_valid(code text) RETURNS boolean
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
    cs constant text := '0123456789ABCDEFGHJKLMNPQRTUWXY';
    w constant integer[] := '{1,3,9,27,19,26,16,17,20,29,25,13,8,24,10,30,28}';
    ow constant integer[] := '{3,7,9,10,5,8,4,2}';
    c text;
    s integer := 0;
    v integer;
    ch text;
BEGIN
    IF code IS NULL THEN
        RETURN NULL;
    END IF;
    c := upper(btrim(code, E' \t\n\r\f\v'));
    IF length(c) <> 18 OR octet_length(c) <> 18 THEN
        RETURN false;
    END IF;
    -- character set and the check character over positions 1-17
    FOR i IN 1 .. 17 LOOP
        v := strpos(cs, substr(c, i, 1)) - 1;
        IF v < 0 THEN
            RETURN false;
        END IF;
        s := s + v * w[i];
    END LOOP;
    IF substr(cs, (31 - s % 31) % 31 + 1, 1) <> substr(c, 18, 1) THEN
        RETURN false;
    END IF;
    -- the organization code (positions 9-17) and its own check
    s := 0;
    FOR i IN 1 .. 8 LOOP
        ch := substr(c, 8 + i, 1);
        s := s + CASE WHEN ch BETWEEN '0' AND '9' THEN ascii(ch) - 48 ELSE ascii(ch) - 55 END * ow[i];
    END LOOP;
    v := 11 - s % 11;
    IF substr(c, 17, 1) <> (CASE v WHEN 10 THEN 'X' WHEN 11 THEN '0' ELSE v::text END) THEN
        RETURN false;
    END IF;
    -- authority and category (GB 32100 table)
    IF substr(c, 1, 2) <> ALL ('{11,12,13,19,21,29,31,32,33,34,35,39,41,49,51,52,53,59,61,62,69,71,72,79,81,89,91,92,93,A1,A9,N1,N2,N3,N9,Y1}'::text[]) THEN
        RETURN false;
    END IF;
    -- region: six digits
    RETURN substr(c, 3, 6) ~ '^[0-9]{6}$';
END $$;

CREATE DOMAIN ref.uscc_text AS text CHECK (ref.uscc_valid(VALUE));

------------------------------------------------------------------------
-- D1.3, D1.3a: 居民身份证号码
------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION ref.cn_id_valid(code text) RETURNS boolean
    LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
DECLARE
    w constant integer[] := '{7,9,10,5,8,4,2,1,6,3,7,9,10,5,8,4,2}';
    c text;
    s integer := 0;
    y integer;
    m integer;
    d integer;
BEGIN
    IF code IS NULL THEN
        RETURN NULL;
    END IF;
    c := upper(btrim(code, E' \t\n\r\f\v'));
    IF c !~ '^[0-9]{17}[0-9X]$' THEN
        RETURN false;
    END IF;
    y := substr(c, 7, 4)::integer;
    m := substr(c, 11, 2)::integer;
    d := substr(c, 13, 2)::integer;
    IF y < 1800 OR m < 1 OR m > 12 OR d < 1
       OR d > (CASE WHEN m = 2 THEN CASE WHEN (y % 4 = 0 AND y % 100 <> 0) OR y % 400 = 0 THEN 29 ELSE 28 END
                    WHEN m IN (4, 6, 9, 11) THEN 30 ELSE 31 END) THEN
        RETURN false;
    END IF;
    IF make_date(y, m, d) > current_date THEN
        RETURN false;
    END IF;
    FOR i IN 1 .. 17 LOOP
        s := s + (ascii(substr(c, i, 1)) - 48) * w[i];
    END LOOP;
    RETURN substr('10X98765432', s % 11 + 1, 1) = substr(c, 18, 1);
END $$;

CREATE DOMAIN ref.cn_id_text AS text CHECK (ref.cn_id_valid(VALUE));

------------------------------------------------------------------------
-- D2.2-D2.7: the record state machine as a PL/pgSQL BEFORE trigger, for
-- a table with the columns of integrity.record
------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION ref.record_guard() RETURNS trigger
    LANGUAGE plpgsql AS $$
DECLARE
    today date := current_date;
    legal boolean;
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'record % cannot be deleted', OLD.id USING ERRCODE = '55000';
    END IF;
    IF TG_OP = 'INSERT' THEN
        RETURN NEW;            -- loads are taken as they are
    END IF;
    -- the content of a confirmed record never changes, nor with a transition
    IF (NEW.origin, NEW.id, NEW.subject_id, NEW.category, NEW.kind, NEW.severity, NEW.domain,
        NEW.decided_on, NEW.document_no, NEW.source_unit, NEW.summary, NEW.accident_level,
        NEW.deaths, NEW.supersedes, NEW.publishable, NEW.publish_due, NEW.repair_allowed_from,
        NEW.publicity_until, NEW.created_at)
       IS DISTINCT FROM
       (OLD.origin, OLD.id, OLD.subject_id, OLD.category, OLD.kind, OLD.severity, OLD.domain,
        OLD.decided_on, OLD.document_no, OLD.source_unit, OLD.summary, OLD.accident_level,
        OLD.deaths, OLD.supersedes, OLD.publishable, OLD.publish_due, OLD.repair_allowed_from,
        OLD.publicity_until, OLD.created_at)
       AND (OLD.state NOT IN ('collected', 'notified') OR NEW.state <> OLD.state
            OR NEW.origin <> OLD.origin OR NEW.id <> OLD.id) THEN
        RAISE EXCEPTION 'cannot change the content of record % in state %', OLD.id, OLD.state
            USING ERRCODE = '55000';
    END IF;
    IF NEW.state = OLD.state THEN
        IF OLD.remedied AND NOT NEW.remedied THEN
            RAISE EXCEPTION 'record % is remedied; that cannot be undone', OLD.id USING ERRCODE = '55000';
        END IF;
        IF NEW.remedied AND NOT OLD.remedied AND OLD.state = 'revoked' THEN
            RAISE EXCEPTION 'record % is revoked and cannot be marked remedied', OLD.id USING ERRCODE = '55000';
        END IF;
        IF (NEW.state_before_objection, NEW.confirmed_on, NEW.published_on, NEW.objected_on,
            NEW.objection_due, NEW.repaired_on, NEW.revoked_on, NEW.expired_on)
           IS DISTINCT FROM
           (OLD.state_before_objection, OLD.confirmed_on, OLD.published_on, OLD.objected_on,
            OLD.objection_due, OLD.repaired_on, OLD.revoked_on, OLD.expired_on) THEN
            RAISE EXCEPTION 'lifecycle columns of record % change only with a transition', OLD.id
                USING ERRCODE = '55000';
        END IF;
        IF NEW.remedied AND NOT OLD.remedied AND NEW.remedied_on IS NULL THEN
            NEW.remedied_on := today;
        END IF;
    ELSE
        legal := CASE
            WHEN OLD.state IS NULL OR NEW.state IS NULL THEN false
            WHEN OLD.state IN ('repaired', 'expired', 'revoked') THEN false
            WHEN NEW.state = 'revoked' THEN true
            WHEN OLD.state = 'collected' THEN NEW.state = 'notified'
            WHEN OLD.state = 'notified' THEN NEW.state = 'confirmed'
            WHEN OLD.state = 'confirmed' THEN NEW.state IN ('published', 'objected')
            WHEN OLD.state = 'published' THEN NEW.state IN ('repaired', 'expired', 'objected')
            WHEN OLD.state = 'objected' THEN NEW.state = OLD.state_before_objection
                                             AND NEW.state IN ('confirmed', 'published')
            ELSE false END;
        IF NOT legal THEN
            RAISE EXCEPTION 'illegal transition of record % from % to %', OLD.id, OLD.state, NEW.state
                USING ERRCODE = '55000';
        END IF;
        IF NEW.state = 'published' AND OLD.state = 'confirmed' AND NOT NEW.publishable THEN
            RAISE EXCEPTION 'record % cannot be published', OLD.id USING ERRCODE = '55000';
        END IF;
        IF NEW.state = 'repaired' AND today < NEW.repair_allowed_from THEN
            RAISE EXCEPTION 'record % cannot be repaired before %', OLD.id, NEW.repair_allowed_from
                USING ERRCODE = '55000';
        END IF;
        IF NEW.state = 'expired' AND NEW.publicity_until > today THEN
            RAISE EXCEPTION 'record % cannot expire before %', OLD.id, NEW.publicity_until
                USING ERRCODE = '55000';
        END IF;
        IF NEW.state = 'objected' AND NEW.objection_due IS NULL THEN
            RAISE EXCEPTION 'objection to record % needs objection_due', OLD.id USING ERRCODE = '55000';
        END IF;
        -- the other lifecycle columns are set here, not by the caller
        IF (NEW.state_before_objection, NEW.confirmed_on, NEW.published_on, NEW.objected_on,
            NEW.repaired_on, NEW.revoked_on, NEW.expired_on)
           IS DISTINCT FROM
           (OLD.state_before_objection, OLD.confirmed_on, OLD.published_on, OLD.objected_on,
            OLD.repaired_on, OLD.revoked_on, OLD.expired_on)
           OR (NEW.state <> 'objected' AND NEW.objection_due IS DISTINCT FROM OLD.objection_due) THEN
            RAISE EXCEPTION 'lifecycle columns of record % are set by the lifecycle', OLD.id
                USING ERRCODE = '55000';
        END IF;
        CASE NEW.state
            WHEN 'objected' THEN
                NEW.state_before_objection := OLD.state;
                NEW.objected_on := today;
            WHEN 'confirmed' THEN
                IF OLD.state = 'notified' THEN NEW.confirmed_on := today; END IF;
            WHEN 'published' THEN
                IF OLD.state = 'confirmed' THEN NEW.published_on := today; END IF;
            WHEN 'repaired' THEN
                NEW.repaired_on := today;
            WHEN 'revoked' THEN
                NEW.revoked_on := today;
            WHEN 'expired' THEN
                NEW.expired_on := coalesce(NEW.publicity_until, today);
            ELSE
                NULL;
        END CASE;
    END IF;
    NEW.updated_at := transaction_timestamp();
    RETURN NEW;
END $$;

------------------------------------------------------------------------
-- D5: scoring, in SQL ("How records count": confirmed by as_of, not
-- revoked by as_of; repaired records count half)
------------------------------------------------------------------------

-- every subject's sums at as_of (the bulk form, as in a reporting view)
CREATE OR REPLACE FUNCTION ref.score_all(as_of date)
    RETURNS TABLE(origin text, subject_id bigint, deduction numeric, bonus numeric, vetoed boolean, counted bigint)
    LANGUAGE sql STABLE AS $$
    SELECT r.origin, r.subject_id,
           coalesce(sum(CASE WHEN r.kind = 'dishonest' THEN
                    CASE r.severity WHEN 'minor' THEN 1 WHEN 'general' THEN 5 ELSE 15 END
                  * CASE WHEN as_of - r.decided_on < 365 THEN 1.0 WHEN as_of - r.decided_on < 1095 THEN 0.5 ELSE 0 END
                  * CASE WHEN r.repaired_on <= as_of THEN 0.5 ELSE 1 END END), 0),
           coalesce(sum(CASE WHEN r.kind = 'honest' AND r.category = 'commendation'
                              AND as_of - r.decided_on < 365 THEN 2 END), 0),
           coalesce(bool_or(r.kind = 'dishonest' AND r.category = 'statistical_fraud'
                            AND as_of - r.decided_on < 1095), false),
           count(*)
      FROM integrity.record r
     WHERE r.decided_on <= as_of AND r.confirmed_on <= as_of
       AND (r.revoked_on IS NULL OR r.revoked_on > as_of)
     GROUP BY r.origin, r.subject_id
$$;

CREATE OR REPLACE FUNCTION ref.grade(score numeric, vetoed boolean) RETURNS text
    LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN vetoed THEN 'D' WHEN score >= 90 THEN 'A' WHEN score >= 75 THEN 'B'
                WHEN score >= 60 THEN 'C' ELSE 'D' END
$$;

-- the evaluation of every government and department today (SPEC 7 view)
CREATE OR REPLACE VIEW ref.evaluation AS
WITH scored AS (
    SELECT s.origin, s.id AS subject_id, s.name, s.kind, s.parent_id,
           greatest(0, least(100, 100 - coalesce(a.deduction, 0) + least(coalesce(a.bonus, 0), 10))) AS score,
           coalesce(a.vetoed, false) AS vetoed
      FROM integrity.subject s
      LEFT JOIN ref.score_all(current_date) a ON a.origin = s.origin AND a.subject_id = s.id
     WHERE s.kind IN ('government', 'department'))
SELECT origin, subject_id, name, kind, parent_id, round(score, 2) AS score,
       ref.grade(score, vetoed) AS grade, vetoed,
       rank() OVER (ORDER BY score DESC) AS rank_overall,
       rank() OVER (PARTITION BY origin, parent_id ORDER BY score DESC) AS rank_in_parent
  FROM scored;

-- one subject, with the breakdown of every deduction and bonus
CREATE OR REPLACE FUNCTION ref.evaluate(subject_id bigint, as_of date DEFAULT current_date)
    RETURNS TABLE(score numeric, grade text, vetoed boolean, breakdown jsonb)
    LANGUAGE plpgsql STABLE AS $$
DECLARE
    o text;
BEGIN
    SELECT s.origin INTO o FROM integrity.subject s
     WHERE s.origin = (SELECT st.origin FROM integrity.settings st) AND s.id = evaluate.subject_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'subject % does not exist', evaluate.subject_id USING ERRCODE = 'P0002';
    END IF;
    RETURN QUERY
    WITH rec AS (
        SELECT r.id, r.category, r.severity, r.decided_on, r.state, r.repaired_on,
               (coalesce(r.confirmed_on <= as_of, false) AND NOT coalesce(r.revoked_on <= as_of, false)) AS counted,
               r.kind = 'dishonest' AS dishonest,
               CASE WHEN as_of - r.decided_on < 365 THEN 1.0 WHEN as_of - r.decided_on < 1095 THEN 0.5 ELSE 0 END
                 * CASE WHEN r.repaired_on <= as_of THEN 0.5 ELSE 1 END AS factor,
               CASE r.severity WHEN 'minor' THEN 1 WHEN 'general' THEN 5 ELSE 15 END AS points
          FROM integrity.record r
         WHERE r.origin = o AND r.subject_id = evaluate.subject_id AND r.decided_on <= as_of),
    eff AS (
        SELECT rec.*,
               CASE WHEN counted AND dishonest THEN points * factor ELSE 0 END AS deduction,
               CASE WHEN counted AND NOT dishonest AND category = 'commendation'
                         AND as_of - decided_on < 365 THEN 2 ELSE 0 END AS bonus,
               counted AND dishonest AND category = 'statistical_fraud' AND as_of - decided_on < 1095 AS veto
          FROM rec),
    tot AS (
        SELECT coalesce(sum(deduction), 0) AS ded, least(coalesce(sum(bonus), 0), 10) AS bon,
               coalesce(bool_or(veto), false) AS vet
          FROM eff),
    res AS (
        SELECT round(greatest(0, least(100, 100 - ded + bon)), 2) AS sc, vet, ded, bon FROM tot)
    SELECT res.sc, ref.grade(res.sc, res.vet), res.vet,
           jsonb_build_object(
               'as_of', as_of,
               'start', 100,
               'deductions', coalesce((SELECT jsonb_agg(jsonb_build_object(
                    'record_id', e.id, 'category', e.category, 'severity', e.severity,
                    'decided_on', e.decided_on,
                    'state_as_of', CASE WHEN e.repaired_on <= as_of THEN 'repaired' ELSE 'counting' END,
                    'age_factor', CASE WHEN e.counted AND e.dishonest THEN e.factor ELSE 0 END,
                    'points', -e.deduction) ORDER BY e.decided_on, e.id)
                    FROM eff e WHERE e.deduction > 0), '[]'::jsonb),
               'bonuses', coalesce((SELECT jsonb_agg(jsonb_build_object(
                    'record_id', e.id, 'category', e.category, 'decided_on', e.decided_on,
                    'points', e.bonus) ORDER BY e.decided_on, e.id)
                    FROM eff e WHERE e.bonus > 0), '[]'::jsonb),
               'bonus_cap', 10,
               'vetoes', coalesce((SELECT jsonb_agg(jsonb_build_object(
                    'record_id', e.id, 'category', e.category, 'decided_on', e.decided_on,
                    'rule', 'D5 一票否决') ORDER BY e.decided_on, e.id)
                    FROM eff e WHERE e.veto), '[]'::jsonb),
               'not_counted', coalesce((SELECT jsonb_agg(jsonb_build_object('record_id', e.id, 'state', e.state)
                                                         ORDER BY e.id)
                    FROM eff e WHERE NOT e.counted), '[]'::jsonb),
               'total_deduction', res.ded,
               'total_bonus', res.bon,
               'score', res.sc)
      FROM res;
END $$;

------------------------------------------------------------------------
-- D3.1-D3.3: joint punishment and blacklist over rolling 365-day windows
------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION ref.punishment_status(subject_id bigint, as_of date DEFAULT current_date)
    RETURNS TABLE(level text, reasons text[], listed_from date, listed_until date)
    LANGUAGE plpgsql STABLE AS $$
DECLARE
    o text;
    t record;
    trig_t date[] := '{}';
    trig_lvl integer[] := '{}';
    trig_why text[] := '{}';
    ep_from date;
    ep_until date;
    why text[];
BEGIN
    SELECT s.origin INTO o FROM integrity.subject s
     WHERE s.origin = (SELECT st.origin FROM integrity.settings st) AND s.id = punishment_status.subject_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'subject % does not exist', punishment_status.subject_id USING ERRCODE = 'P0002';
    END IF;
    level := 'none';
    reasons := '{}';
    -- the records that count for punishment at as_of, and the level each
    -- candidate date t reaches with the window (t - 365, t] complete
    FOR t IN
        WITH rel AS (
            SELECT r.id, r.decided_on,
                   r.category = 'safety_accident' AND r.accident_level IN ('major', 'especially_major') AS major,
                   r.category = 'safety_accident' AND r.accident_level IN ('larger', 'major', 'especially_major') AS larger_up,
                   r.category = 'safety_accident' AND r.accident_level = 'general' AND r.deaths > 0 AS fatal_general,
                   r.category = 'safety_violation' AS violation
              FROM integrity.record r
             WHERE r.origin = o AND r.subject_id = punishment_status.subject_id
               AND r.kind = 'dishonest' AND r.category IN ('safety_accident', 'safety_violation')
               AND r.decided_on <= as_of AND r.confirmed_on <= as_of
               AND (r.revoked_on IS NULL OR r.revoked_on > as_of)
               AND (r.repaired_on IS NULL OR r.repaired_on > as_of)),
        win AS (
            SELECT d.t,
                   count(*) FILTER (WHERE w.major) AS n_major,
                   count(*) FILTER (WHERE w.larger_up) AS n_larger,
                   count(*) FILTER (WHERE w.fatal_general) AS n_fatal,
                   bool_or(w.decided_on = d.t AND w.major) AS t_major,
                   bool_or(w.decided_on = d.t AND w.larger_up) AS t_larger,
                   bool_or(w.decided_on = d.t AND w.fatal_general) AS t_fatal,
                   bool_or(w.decided_on = d.t AND w.violation) AS t_violation,
                   string_agg('record ' || w.id, ', ' ORDER BY w.decided_on, w.id) AS ids
              FROM (SELECT DISTINCT rel.decided_on AS t FROM rel) d
              JOIN rel w ON w.decided_on > d.t - 365 AND w.decided_on <= d.t
             GROUP BY d.t)
        SELECT win.t,
               CASE WHEN (t_major AND n_major >= 1) OR (t_larger AND n_larger >= 2) THEN 2
                    WHEN (t_larger AND n_larger >= 1) OR (t_fatal AND n_fatal >= 3) OR t_violation THEN 1
                    ELSE 0 END AS lvl,
               win.ids
          FROM win ORDER BY win.t
    LOOP
        IF t.lvl > 0 THEN
            trig_t := trig_t || t.t;
            trig_lvl := trig_lvl || t.lvl;
            trig_why := trig_why || t.ids;
        END IF;
    END LOOP;
    -- D3.3: the highest level whose listing (1 year from each trigger of
    -- that level or above, extended by later ones) is in force at as_of
    FOR l IN REVERSE 2 .. 1 LOOP
        ep_from := NULL;
        ep_until := NULL;
        FOR i IN 1 .. coalesce(array_length(trig_t, 1), 0) LOOP
            CONTINUE WHEN trig_lvl[i] < l;
            IF ep_until IS NULL OR trig_t[i] >= ep_until THEN
                ep_from := trig_t[i];
                why := '{}';
            END IF;
            ep_until := greatest(coalesce(ep_until, trig_t[i]), (trig_t[i] + interval '1 year')::date);
            why := why || format('listed on %s by %s', trig_t[i], trig_why[i]);
        END LOOP;
        IF ep_until > as_of THEN
            level := CASE l WHEN 2 THEN 'blacklist' ELSE 'joint_punishment' END;
            reasons := why;
            listed_from := ep_from;
            listed_until := ep_until;
            EXIT;
        END IF;
    END LOOP;
    RETURN NEXT;
END $$;

------------------------------------------------------------------------
-- D3.4: 守信联合激励, all six conditions
------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION ref.incentive_status(subject_id bigint, as_of date DEFAULT current_date)
    RETURNS TABLE(eligible boolean, failed text[], valid_until date)
    LANGUAGE plpgsql STABLE AS $$
DECLARE
    o text;
    c record;
BEGIN
    SELECT s.origin INTO o FROM integrity.subject s
     WHERE s.origin = (SELECT st.origin FROM integrity.settings st) AND s.id = incentive_status.subject_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'subject % does not exist', incentive_status.subject_id USING ERRCODE = 'P0002';
    END IF;
    SELECT coalesce(bool_or(r.category = 'credit_commitment' AND as_of < r.publicity_until
                            AND (r.repaired_on IS NULL OR r.repaired_on > as_of)), false) AS commitment,
           coalesce(bool_or(r.category = 'safety_standard_level1' AND as_of < r.publicity_until
                            AND (r.repaired_on IS NULL OR r.repaired_on > as_of)), false) AS level1,
           coalesce(bool_or(as_of - r.decided_on < 1095 AND (r.category = 'safety_violation'
                    OR (r.category = 'safety_accident' AND r.accident_level <> 'general'))), false) AS dishonesty,
           coalesce(bool_or(as_of - r.decided_on < 1095 AND r.category = 'admin_penalty'
                            AND r.domain = '安全生产'), false) AS penalty,
           coalesce(bool_or(as_of - r.decided_on < 1095 AND ((r.category = 'safety_accident' AND r.deaths > 0)
                            OR r.category = 'occupational_disease')), false) AS fatality
      INTO c
      FROM integrity.record r
     WHERE r.origin = o AND r.subject_id = incentive_status.subject_id AND r.decided_on <= as_of
       AND r.confirmed_on <= as_of AND (r.revoked_on IS NULL OR r.revoked_on > as_of);
    failed := '{}';
    IF NOT c.commitment THEN failed := failed || 'commitment'::text; END IF;
    IF c.dishonesty THEN failed := failed || 'no_dishonesty_3y'::text; END IF;
    IF c.penalty THEN failed := failed || 'no_penalty_3y'::text; END IF;
    IF c.fatality THEN failed := failed || 'no_fatality_3y'::text; END IF;
    IF NOT c.level1 THEN failed := failed || 'standard_level1'::text; END IF;
    IF (SELECT p.level FROM ref.punishment_status(incentive_status.subject_id, as_of) p) <> 'none' THEN
        failed := failed || 'not_punished'::text;
    END IF;
    eligible := cardinality(failed) = 0;
    valid_until := CASE WHEN eligible THEN (as_of + interval '3 years')::date END;
    RETURN NEXT;
END $$;

------------------------------------------------------------------------
-- SPEC 6: the hash chain, recomputed in PL/pgSQL (payload_hash,
-- prev_hash, entry_hash of every entry); the newest signature is checked
-- with integrity.ed25519_verify, as PL/pgSQL has no Ed25519.
------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION ref.verify_chain_hashes(p_origin text DEFAULT NULL, max_rows bigint DEFAULT NULL,
                                                   OUT ok boolean, OUT checked bigint, OUT first_bad bigint)
    LANGUAGE plpgsql STABLE AS $$
DECLARE
    o text := coalesce(p_origin, (SELECT st.origin FROM integrity.settings st));
    prev bytea := '\x0000000000000000000000000000000000000000000000000000000000000000';
    ph bytea;
    eh bytea;
    d record;
    last_sig bytea;
    last_kid text;
BEGIN
    ok := true;
    checked := 0;
    FOR d IN SELECT x.seq, x.payload, x.payload_hash, x.prev_hash, x.entry_hash, x.key_id, x.signature
               FROM integrity.disclosure x WHERE x.origin = o ORDER BY x.seq LIMIT max_rows LOOP
        ph := sha256(convert_to(d.payload, 'UTF8'));
        eh := sha256(prev || int8send(d.seq) || ph);
        IF d.seq <> checked + 1 OR d.payload_hash <> ph OR d.prev_hash <> prev OR d.entry_hash <> eh THEN
            ok := false;
            first_bad := checked + 1;
            RETURN;
        END IF;
        prev := eh;
        last_sig := d.signature;
        last_kid := d.key_id;
        checked := checked + 1;
    END LOOP;
    IF checked > 0 AND max_rows IS NULL AND NOT integrity.ed25519_verify(
            (SELECT k.public_key FROM integrity.signing_key k WHERE k.origin = o AND k.key_id = last_kid),
            prev, last_sig) THEN
        ok := false;
        first_bad := checked;
    END IF;
END $$;
