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
-- D3.1-D3.4: the PL/pgSQL forms that 1.1 shipped as integrity._punishment
-- and integrity._incentive (one query per candidate date), kept verbatim
-- as the reference of the C path of 1.2 (src/lists_core.c): the same
-- arguments, the same answers, the same reasons text.  test/pg/lists.sh
-- compares every subject of a platform with them.
------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION ref.punishment_11(p_origin text, p_subject bigint, as_of date, params jsonb,
        OUT level text, OUT reasons text[], OUT listed_from date, OUT listed_until date)
    LANGUAGE plpgsql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    p jsonb := params -> 'punishment';
    win integer := (p ->> 'window_days')::integer;
    term interval := (p ->> 'term')::interval;
    joint_cats text[] := ARRAY(SELECT jsonb_array_elements_text(p -> 'joint_categories'));
    black_cats text[] := ARRAY(SELECT jsonb_array_elements_text(p -> 'blacklist_categories'));
    recs record;
    t date;
    lv integer;
    why text[];
    best integer := 0;
    ep_from date; ep_until date; ep_reasons text[];
    trig_level integer[] := '{}';
    trig_date date[] := '{}';
    trig_why text[] := '{}';
    i integer;
BEGIN
    level := 'none';
    reasons := '{}';
    -- D3.3: a listing starts (or is extended) on the decision date of a
    -- record that completes a condition: every relevant record's date is a
    -- candidate, and the condition must hold with that record in it
    FOR t IN
        SELECT DISTINCT r.decided_on FROM integrity.record r
         WHERE r.origin = p_origin AND r.subject_id = p_subject
           AND r.decided_on <= as_of AND r.kind = 'dishonest'
           AND (r.category = 'safety_accident' OR r.category = ANY (joint_cats)
                OR r.category = ANY (black_cats)
                OR ((p ->> 'joint_serious_dishonesty')::boolean AND r.severity = 'serious'))
           AND r.confirmed_on <= as_of AND (r.revoked_on IS NULL OR r.revoked_on > as_of)
           AND (r.repaired_on IS NULL OR r.repaired_on > as_of)
         ORDER BY 1
    LOOP
        SELECT
            count(*) FILTER (WHERE r.category = 'safety_accident' AND r.accident_level IN ('major', 'especially_major')) AS major,
            count(*) FILTER (WHERE r.category = 'safety_accident' AND r.accident_level IN ('larger', 'major', 'especially_major')) AS larger_up,
            count(*) FILTER (WHERE r.category = 'safety_accident' AND r.accident_level = 'general' AND r.deaths > 0) AS fatal_general,
            count(*) FILTER (WHERE r.category = ANY (joint_cats)) AS joint_cat,
            count(*) FILTER (WHERE r.category = ANY (black_cats) AND r.severity = 'serious') AS black_cat,
            count(*) FILTER (WHERE r.severity = 'serious') AS serious,
            -- the same, among the records decided on t itself
            count(*) FILTER (WHERE r.decided_on = t AND r.category = 'safety_accident' AND r.accident_level IN ('major', 'especially_major')) AS t_major,
            count(*) FILTER (WHERE r.decided_on = t AND r.category = 'safety_accident' AND r.accident_level IN ('larger', 'major', 'especially_major')) AS t_larger_up,
            count(*) FILTER (WHERE r.decided_on = t AND r.category = 'safety_accident' AND r.accident_level = 'general' AND r.deaths > 0) AS t_fatal_general,
            count(*) FILTER (WHERE r.decided_on = t AND r.category = ANY (joint_cats)) AS t_joint_cat,
            count(*) FILTER (WHERE r.decided_on = t AND r.category = ANY (black_cats) AND r.severity = 'serious') AS t_black_cat,
            count(*) FILTER (WHERE r.decided_on = t AND r.severity = 'serious') AS t_serious,
            string_agg(format('record %s (%s %s%s, %s)', r.id, r.category,
                              coalesce(r.accident_level::text || ' ', ''),
                              CASE WHEN r.deaths > 0 THEN r.deaths || ' deaths' ELSE r.severity::text END,
                              r.decided_on), '; ' ORDER BY r.decided_on, r.id) AS list
          INTO recs
          FROM integrity.record r
         WHERE r.origin = p_origin AND r.subject_id = p_subject AND r.kind = 'dishonest'
           AND r.decided_on > t - win AND r.decided_on <= t
           AND r.confirmed_on <= as_of AND (r.revoked_on IS NULL OR r.revoked_on > as_of)
           AND (r.repaired_on IS NULL OR r.repaired_on > as_of);
        lv := 0;
        why := '{}';
        IF recs.t_major > 0 AND recs.major >= (p ->> 'blacklist_major_accidents')::integer THEN
            lv := 2; why := why || format('D3.2 重大及以上事故 a major or especially major accident within %s days', win);
        END IF;
        IF recs.t_larger_up > 0 AND recs.larger_up >= (p ->> 'blacklist_larger_accidents')::integer THEN
            lv := 2; why := why || format('D3.2 %s larger (较大) or worse accidents within %s days', recs.larger_up, win);
        END IF;
        IF recs.t_black_cat > 0 THEN
            lv := 2; why := why || 'D3.2 a serious record of a blacklisting category (性质恶劣)'::text;
        END IF;
        IF lv < 2 THEN
            IF recs.t_larger_up > 0 AND recs.larger_up >= (p ->> 'joint_larger_accidents')::integer THEN
                lv := 1; why := why || format('D3.1 a larger (较大) or worse accident within %s days', win);
            END IF;
            IF recs.t_fatal_general > 0 AND recs.fatal_general >= (p ->> 'joint_fatal_general_accidents')::integer THEN
                lv := 1; why := why || format('D3.1 %s fatal general accidents within %s days', recs.fatal_general, win);
            END IF;
            IF recs.t_joint_cat > 0 THEN
                lv := 1; why := why || 'D3.1 a safety_violation (安全生产严重违法违规)'::text;
            END IF;
            IF (p ->> 'joint_serious_dishonesty')::boolean AND recs.t_serious > 0 THEN
                lv := 1; why := why || format('D2.10 a serious (严重) dishonesty record within %s days', win);
            END IF;
        END IF;
        IF lv > 0 THEN
            trig_level := trig_level || lv;
            trig_date := trig_date || t;
            trig_why := trig_why || (array_to_string(why, ', ') || ': ' || recs.list);
            best := greatest(best, lv);
        END IF;
    END LOOP;
    -- D3.3: the highest level whose listing (extended by each new trigger
    -- of that level or above) is still in force at as_of
    FOR lvl IN REVERSE 2 .. 1 LOOP
        best := lvl;
        ep_until := NULL;
        FOR i IN 1 .. coalesce(array_length(trig_date, 1), 0) LOOP
            CONTINUE WHEN trig_level[i] < lvl;
            IF ep_until IS NULL OR trig_date[i] >= ep_until THEN
                ep_from := trig_date[i];
                ep_reasons := '{}';
            END IF;
            ep_until := greatest(coalesce(ep_until, trig_date[i]), (trig_date[i] + term)::date);
            ep_reasons := ep_reasons || format('listed on %s by %s', trig_date[i], trig_why[i]);
        END LOOP;
        EXIT WHEN ep_until > as_of;
    END LOOP;
    IF ep_until IS NULL OR ep_until <= as_of THEN
        RETURN;
    END IF;
    level := CASE best WHEN 2 THEN 'blacklist' ELSE 'joint_punishment' END;
    reasons := ep_reasons;
    listed_from := ep_from;
    listed_until := ep_until;
END $$;

CREATE OR REPLACE FUNCTION ref.incentive_11(p_origin text, p_subject bigint, as_of date, params jsonb,
        OUT eligible boolean, OUT failed text[], OUT valid_until date)
    LANGUAGE plpgsql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    look integer := (params -> 'incentive' ->> 'lookback_days')::integer;
    term interval := (params -> 'incentive' ->> 'term')::interval;
    c record;
    pun text;
BEGIN
    -- counting at as_of (repaired records still count for look-backs)
    SELECT
        bool_or(r.category = 'credit_commitment' AND as_of < r.publicity_until
                AND (r.repaired_on IS NULL OR r.repaired_on > as_of)) AS commitment,
        bool_or(r.category = 'safety_standard_level1' AND as_of < r.publicity_until
                AND (r.repaired_on IS NULL OR r.repaired_on > as_of)) AS level1,
        bool_or(r.decided_on > as_of - look AND (r.category = 'safety_violation'
                OR (r.category = 'safety_accident' AND r.accident_level IN ('larger', 'major', 'especially_major')))) AS safety_dishonesty,
        bool_or(r.decided_on > as_of - look AND r.category = 'admin_penalty' AND r.domain = '安全生产') AS safety_penalty,
        bool_or(r.decided_on > as_of - look AND ((r.category = 'safety_accident' AND r.deaths > 0)
                OR r.category = 'occupational_disease')) AS fatality
      INTO c
      FROM integrity.record r
     WHERE r.origin = p_origin AND r.subject_id = p_subject AND r.decided_on <= as_of
       AND r.confirmed_on <= as_of AND (r.revoked_on IS NULL OR r.revoked_on > as_of);
    pun := (ref.punishment_11(p_origin, p_subject, as_of, params)).level;
    failed := '{}';
    IF NOT coalesce(c.commitment, false) THEN failed := failed || 'commitment'::text; END IF;
    IF coalesce(c.safety_dishonesty, false) THEN failed := failed || 'no_dishonesty_3y'::text; END IF;
    IF coalesce(c.safety_penalty, false) THEN failed := failed || 'no_penalty_3y'::text; END IF;
    IF coalesce(c.fatality, false) THEN failed := failed || 'no_fatality_3y'::text; END IF;
    IF NOT coalesce(c.level1, false) THEN failed := failed || 'standard_level1'::text; END IF;
    IF pun <> 'none' THEN failed := failed || 'not_punished'::text; END IF;
    eligible := cardinality(failed) = 0;
    valid_until := CASE WHEN eligible THEN (as_of + term)::date END;
END $$;


------------------------------------------------------------------------
-- The views of 1.1 over the PL/pgSQL forms above (blacklist, redlist:
-- one _punishment/_incentive call per subject; monitoring_ranking: the
-- records joined to five quarter ends), the reference of the one-pass
-- views of 1.2 in the benchmark and in test/pg/lists.sh.
------------------------------------------------------------------------
CREATE OR REPLACE VIEW ref.blacklist_11 AS
SELECT s.origin,
       s.id AS subject_id,
       integrity._public_name(s.kind, s.name) AS name,
       integrity._public_code(s.kind, s.uscc, s.cn_id, s.legacy_code) AS code,
       p.level,
       p.reasons,
       p.listed_from,
       p.listed_until
  FROM integrity.subject s
 CROSS JOIN LATERAL ref.punishment_11(s.origin, s.id, current_date,
                        (SELECT m.params FROM integrity.score_model m WHERE m.name = 'default')) p
 WHERE EXISTS (SELECT 1 FROM integrity.record r
                WHERE r.origin = s.origin AND r.subject_id = s.id AND r.kind = 'dishonest'
                  AND r.confirmed_on IS NOT NULL AND r.decided_on > current_date - 800)
   AND p.level <> 'none';
CREATE OR REPLACE VIEW ref.redlist_11 AS
SELECT s.origin,
       s.id AS subject_id,
       integrity._public_name(s.kind, s.name) AS name,
       integrity._public_code(s.kind, s.uscc, s.cn_id, s.legacy_code) AS code,
       i.valid_until
  FROM integrity.subject s
 CROSS JOIN LATERAL ref.incentive_11(s.origin, s.id, current_date,
                        (SELECT m.params FROM integrity.score_model m WHERE m.name = 'default')) i
 WHERE EXISTS (SELECT 1 FROM integrity.record r
                WHERE r.origin = s.origin AND r.subject_id = s.id AND r.category = 'safety_standard_level1'
                  AND r.confirmed_on IS NOT NULL AND r.revoked_on IS NULL)
   AND EXISTS (SELECT 1 FROM integrity.record r
                WHERE r.origin = s.origin AND r.subject_id = s.id AND r.category = 'credit_commitment'
                  AND r.confirmed_on IS NOT NULL AND r.revoked_on IS NULL)
   AND i.eligible;
CREATE OR REPLACE VIEW ref.monitoring_ranking_11 AS
WITH model AS (SELECT m.params FROM integrity.score_model m WHERE m.name = 'default'),
q AS (
    SELECT (date_trunc('quarter', current_date) - make_interval(months => 3 * k))::date - 1 AS quarter_end,
           (date_trunc('quarter', current_date) - make_interval(months => 3 * k + 3))::date AS quarter_start
      FROM generate_series(0, 4) AS k),
subj AS (
    SELECT s.origin, s.id, s.name, s.kind, s.parent_id FROM integrity.subject s
     WHERE s.kind IN ('government', 'department')),
agg AS (
    SELECT q.quarter_end, r.origin, r.subject_id,
           integrity.score_state(r.category, r.kind, r.severity, r.decided_on, r.confirmed_on,
                                   r.revoked_on, r.repaired_on, q.quarter_end, (SELECT params FROM model)) AS st,
           count(*) FILTER (WHERE r.published_on BETWEEN q.quarter_start AND q.quarter_end) AS published,
           count(*) FILTER (WHERE r.published_on BETWEEN q.quarter_start AND q.quarter_end
                              AND r.published_on <= r.publish_due) AS published_on_time,
           count(*) FILTER (WHERE r.published_on <= q.quarter_end AND r.publicity_until > q.quarter_end
                              AND coalesce(r.repaired_on, r.revoked_on, r.expired_on, 'infinity') > q.quarter_end) AS in_publicity,
           count(*) FILTER (WHERE r.repaired_on BETWEEN q.quarter_start AND q.quarter_end) AS repaired
      FROM q JOIN integrity.record r ON r.decided_on <= q.quarter_end
      JOIN subj ON subj.origin = r.origin AND subj.id = r.subject_id
     GROUP BY q.quarter_end, r.origin, r.subject_id),
obj AS (
    -- D2.7a: objections resolved within objection_workdays working days
    SELECT q.quarter_end, e.origin, r.subject_id,
           count(*) AS objections,
           count(*) FILTER (WHERE res.at::date <= integrity.add_workdays(e.at::date,
                                   integrity._param('objection_workdays')::integer)) AS objections_on_time
      FROM q JOIN integrity.record_event e ON e.event = 'objection' AND e.at::date BETWEEN q.quarter_start AND q.quarter_end
      JOIN integrity.record r ON r.origin = e.origin AND r.id = e.record_id
      LEFT JOIN LATERAL (SELECT e2.at FROM integrity.record_event e2
                          WHERE e2.origin = e.origin AND e2.record_id = e.record_id AND e2.id > e.id
                            AND e2.event IN ('objection_rejected', 'objection_upheld')
                          ORDER BY e2.id LIMIT 1) res ON true
     GROUP BY q.quarter_end, e.origin, r.subject_id),
scored AS (
    SELECT q.quarter_end, subj.origin, subj.id AS subject_id, subj.name, subj.kind, subj.parent_id,
           integrity.score_of(a.st, (SELECT params FROM model)) AS score,
           integrity.grade_of(a.st, (SELECT params FROM model)) AS grade,
           coalesce(a.st[3] > 0, false) AS vetoed,
           coalesce(a.published, 0) AS published, coalesce(a.published_on_time, 0) AS published_on_time,
           coalesce(a.in_publicity, 0) AS in_publicity, coalesce(a.repaired, 0) AS repaired,
           coalesce(o.objections, 0) AS objections, coalesce(o.objections_on_time, 0) AS objections_on_time
      FROM q CROSS JOIN subj
      LEFT JOIN agg a ON a.quarter_end = q.quarter_end AND a.origin = subj.origin AND a.subject_id = subj.id
      LEFT JOIN obj o ON o.quarter_end = q.quarter_end AND o.origin = subj.origin AND o.subject_id = subj.id),
ranked AS (
    SELECT scored.*,
           rank() OVER (PARTITION BY quarter_end ORDER BY vetoed, score DESC) AS rank,
           rank() OVER (PARTITION BY quarter_end, origin, parent_id ORDER BY vetoed, score DESC) AS rank_in_parent
      FROM scored),
changes AS (
    SELECT ranked.*,
           score - lag(score) OVER w AS score_change,
           lag(rank) OVER w - rank AS rank_change
      FROM ranked
    WINDOW w AS (PARTITION BY origin, subject_id ORDER BY quarter_end))
SELECT to_char(quarter_end, 'YYYY"Q"Q') AS quarter, quarter_end, origin, subject_id, name, kind, parent_id,
       score, grade, vetoed, rank, rank_in_parent, score_change, rank_change,
       CASE WHEN published > 0 THEN round(100.0 * published_on_time / published, 1) END AS publish_on_time_pct,
       CASE WHEN objections > 0 THEN round(100.0 * objections_on_time / objections, 1) END AS objection_on_time_pct,
       in_publicity AS records_in_publicity,
       repaired AS records_repaired
  FROM changes
 WHERE quarter_end > (SELECT min(quarter_end) FROM q);
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
