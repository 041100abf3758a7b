
------------------------------------------------------------------------
-- integrity, part 40 (eval): evaluation, punishment and incentive
-- eligibility, restrictions (SPEC 5; DOMAIN D3, D4, D5, "How records count")
------------------------------------------------------------------------

CREATE FUNCTION @extschema@._model_check(params jsonb) RETURNS boolean
    AS 'MODULE_PATHNAME', 'model_check' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- D5: named evaluation models; parameters as jsonb, checked on write.
CREATE TABLE @extschema@.score_model (
    name    text PRIMARY KEY CHECK (name ~ '^[A-Za-z0-9_.-]+$'),
    params  jsonb NOT NULL CHECK (@extschema@._model_check(params)),
    seeded  boolean NOT NULL DEFAULT false,
    note    text
);
COMMENT ON TABLE @extschema@.score_model IS
    '评价模型 evaluation models: deductions, age factors, veto categories, grade bands and list terms (D5, D2.10); add a row to add a model';
INSERT INTO @extschema@.score_model (name, params, seeded, note) VALUES ('default', $json$
{
  "start": 100, "min": 0, "max": 100,
  "deduction": {"minor": 1, "general": 5, "serious": 15},
  "age_factors": [{"within_days": 365, "factor": 1.0}, {"within_days": 1095, "factor": 0.5}],
  "repaired_factor": 0.5,
  "bonus": {"commendation": {"points": 2, "within_days": 365}},
  "bonus_cap": 10,
  "veto": {"categories": ["statistical_fraud"], "within_days": 1095},
  "grades": [{"grade": "A", "min": 90}, {"grade": "B", "min": 75}, {"grade": "C", "min": 60}, {"grade": "D", "min": 0}],
  "veto_grade": "D",
  "punishment": {
    "window_days": 365,
    "term": "1 year",
    "joint_larger_accidents": 1,
    "joint_fatal_general_accidents": 3,
    "joint_categories": ["safety_violation"],
    "joint_serious_dishonesty": false,
    "blacklist_major_accidents": 1,
    "blacklist_larger_accidents": 2,
    "blacklist_categories": []
  },
  "incentive": {"lookback_days": 1095, "term": "3 years"}
}
$json$, true, 'DOMAIN.md D5 (score), D3 (lists), D2.10 (terms)');

-- D3.5, D4.1, D4.2: the measures restrictions() returns
CREATE TABLE @extschema@.measure (
    code  text PRIMARY KEY,
    name  text NOT NULL,
    rule  text NOT NULL
);
COMMENT ON TABLE @extschema@.measure IS '惩戒措施 measures that restrictions() returns, with their Chinese names and rules';
INSERT INTO @extschema@.measure (code, name, rule) VALUES
    ('written_explanation', '书面说明原因并限期整改', 'D4.1, D4.4'),
    ('honor_disqualified', '取消荣誉评选资格', 'D4.1'),
    ('public_criticism', '通报批评', 'D4.1'),
    ('leader_accountability', '主要负责人追责', 'D4.1'),
    ('no_commendation', '限制评优评先', 'D4.2'),
    ('no_excellent_rating', '年度考核不能确定为优秀', 'D4.2, D4.3'),
    ('appointment_reference', '作为考核、任用、职务晋升的重要参考', 'D4.2'),
    ('enhanced_supervision', '重点监管监察', 'D3.5'),
    ('no_honors', '取消评优评先', 'D3.5'),
    ('financing_review', '融资严格审查', 'D3.5'),
    ('land_restricted', '土地出让限制或禁入', 'D3.5'),
    ('public_exposure', '公开曝光', 'D3.5');

------------------------------------------------------------------------
-- the C aggregate (src/eval_core.c, src/eval.c)
------------------------------------------------------------------------
-- The state is an internal C struct of 32 bytes, combinable and serializable
-- for parallel aggregation.  SSPACE is what a group's state costs a hash
-- aggregate: measured 84 bytes per group (10M records, 999,430 groups: 180 MB
-- against 98 MB for count(*)), of which the planner adds the 16-byte chunk
-- header itself; with it the planner sees when the hash table would spill and
-- takes the sorted index-only path instead (bench/RESULTS.md section 5); the final function gives the float8[4] {deductions, bonuses,
-- veto, counted} that score_of, grade_of and score_result read.  The columns
-- come as direct arguments (no row value per record).
CREATE FUNCTION @extschema@._score_state_sfunc(state internal, category text, kind text,
        severity @extschema@.severity, decided_on date, confirmed_on date, revoked_on date,
        repaired_on date, as_of date, model jsonb)
    RETURNS internal AS 'MODULE_PATHNAME', 'score_state_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@._score_state_combinefn(internal, internal) RETURNS internal
    AS 'MODULE_PATHNAME', 'score_state_combinefn' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@._score_state_serialize(internal) RETURNS bytea
    AS 'MODULE_PATHNAME', 'score_state_serialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@._score_state_deserialize(bytea, internal) RETURNS internal
    AS 'MODULE_PATHNAME', 'score_state_deserialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@._score_state_final(internal) RETURNS float8[]
    AS 'MODULE_PATHNAME', 'score_state_final' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- D5: sums (deductions, bonuses, veto, records counted) over a subject's
-- records as of as_of; float8[4], combinable in parallel
CREATE AGGREGATE @extschema@.score_state(category text, kind text, severity @extschema@.severity,
        decided_on date, confirmed_on date, revoked_on date, repaired_on date, as_of date, model jsonb) (
    SFUNC = @extschema@._score_state_sfunc,
    STYPE = internal,
    SSPACE = 64,
    FINALFUNC = @extschema@._score_state_final,
    COMBINEFUNC = @extschema@._score_state_combinefn,
    SERIALFUNC = @extschema@._score_state_serialize,
    DESERIALFUNC = @extschema@._score_state_deserialize,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.score_state(text, text, @extschema@.severity, date, date, date, date, date, jsonb) IS
    '评价汇总 evaluation sums of a subject''s records at as_of under a model: {deductions, bonuses, veto, counted}';

CREATE FUNCTION @extschema@.score_result(state float8[], model jsonb,
        OUT score numeric, OUT grade text, OUT vetoed boolean)
    AS 'MODULE_PATHNAME', 'score_result' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.score_result(float8[], jsonb) IS
    'score (start - deductions + capped bonuses, clamped), grade and veto of a score_state under a model (D5)';

CREATE FUNCTION @extschema@.score_of(state float8[], model jsonb) RETURNS numeric
    AS 'MODULE_PATHNAME', 'score_of' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.score_of(float8[], jsonb) IS 'the score of a score_state under a model (D5)';
CREATE FUNCTION @extschema@.grade_of(state float8[], model jsonb) RETURNS text
    AS 'MODULE_PATHNAME', 'grade_of' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.grade_of(float8[], jsonb) IS 'the grade of a score_state under a model; the veto grade when vetoed (D5)';

CREATE FUNCTION @extschema@._record_effect(category text, kind text, severity @extschema@.severity,
        decided_on date, confirmed_on date, revoked_on date, repaired_on date, as_of date, model jsonb,
        OUT counted boolean, OUT deduction float8, OUT bonus float8, OUT veto boolean, OUT age_factor float8)
    AS 'MODULE_PATHNAME', 'record_effect' LANGUAGE C IMMUTABLE PARALLEL SAFE;

-- the params of a model, or a clear error
CREATE FUNCTION @extschema@._model(p_name text) RETURNS jsonb
    LANGUAGE plpgsql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
DECLARE p jsonb;
BEGIN
    SELECT m.params INTO p FROM @extschema@.score_model m WHERE m.name = p_name;
    IF p IS NULL THEN
        RAISE EXCEPTION 'unknown score model "%"', p_name
            USING ERRCODE = '22023', HINT = 'The models are listed in integrity.score_model.';
    END IF;
    RETURN p;
END $$;

-- the subject (origin, id) of a local id, or a clear error
CREATE FUNCTION @extschema@._subject(p_id bigint, OUT origin text, OUT id bigint, OUT kind @extschema@.subject_kind)
    LANGUAGE plpgsql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF p_id IS NULL THEN
        RAISE EXCEPTION 'subject_id is required' USING ERRCODE = '22004';
    END IF;
    SELECT s.origin, s.id, s.kind INTO origin, id, kind FROM @extschema@.subject s
     WHERE s.origin = @extschema@._origin() AND s.id = p_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'subject % does not exist', p_id USING ERRCODE = 'P0002';
    END IF;
END $$;

CREATE FUNCTION @extschema@._check_as_of(as_of date) RETURNS void
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
BEGIN
    IF as_of IS NULL THEN
        RAISE EXCEPTION 'as_of is required' USING ERRCODE = '22004';
    END IF;
    IF as_of < date '1949-10-01' OR as_of > date '2999-12-31' THEN
        RAISE EXCEPTION 'as_of % is out of range', as_of
            USING ERRCODE = '22023', DETAIL = 'as_of must be between 1949-10-01 and 2999-12-31.';
    END IF;
END $$;

------------------------------------------------------------------------
-- SPEC 5 evaluate: score, grade, veto and the breakdown of every change
------------------------------------------------------------------------
CREATE FUNCTION @extschema@._evaluate(p_origin text, p_subject bigint, as_of date, params jsonb)
    RETURNS TABLE(score numeric, grade text, vetoed boolean, breakdown jsonb)
    LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
BEGIN
    -- PL/pgSQL so that the plan is cached per session (a SQL function with
    -- SET would be parsed and planned again on every call)
    RETURN QUERY
    WITH rec AS (
        SELECT r.*, e.*
          FROM @extschema@.record r
         CROSS JOIN LATERAL @extschema@._record_effect(r.category, r.kind, r.severity, r.decided_on,
                     r.confirmed_on, r.revoked_on, r.repaired_on, as_of, params) e
         WHERE r.origin = p_origin AND r.subject_id = p_subject AND r.decided_on <= as_of),
    st AS (
        SELECT @extschema@.score_state(r.category, r.kind, r.severity, r.decided_on, r.confirmed_on,
                                       r.revoked_on, r.repaired_on, as_of, params) AS s
          FROM @extschema@.record r
         WHERE r.origin = p_origin AND r.subject_id = p_subject AND r.decided_on <= as_of),
    res AS (SELECT sr.*, st.s FROM st CROSS JOIN LATERAL @extschema@.score_result(st.s, params) sr)
    SELECT res.score, res.grade, res.vetoed,
           jsonb_build_object(
               'as_of', as_of,
               'start', params -> 'start',
               'deductions', coalesce((SELECT jsonb_agg(jsonb_build_object(
                    'record_id', rec.id, 'category', rec.category, 'severity', rec.severity,
                    'decided_on', rec.decided_on, 'state_as_of', CASE WHEN rec.repaired_on <= as_of THEN 'repaired' ELSE 'counting' END,
                    'age_factor', rec.age_factor, 'points', -rec.deduction) ORDER BY rec.decided_on, rec.id)
                    FROM rec WHERE rec.deduction > 0), '[]'::jsonb),
               'bonuses', coalesce((SELECT jsonb_agg(jsonb_build_object(
                    'record_id', rec.id, 'category', rec.category, 'decided_on', rec.decided_on,
                    'points', rec.bonus) ORDER BY rec.decided_on, rec.id)
                    FROM rec WHERE rec.bonus > 0), '[]'::jsonb),
               'bonus_cap', params -> 'bonus_cap',
               'vetoes', coalesce((SELECT jsonb_agg(jsonb_build_object(
                    'record_id', rec.id, 'category', rec.category, 'decided_on', rec.decided_on,
                    'rule', 'D5 一票否决') ORDER BY rec.decided_on, rec.id)
                    FROM rec WHERE rec.veto), '[]'::jsonb),
               'not_counted', coalesce((SELECT jsonb_agg(jsonb_build_object('record_id', rec.id, 'state', rec.state))
                    FROM rec WHERE NOT rec.counted), '[]'::jsonb),
               'total_deduction', coalesce(res.s[1], 0),
               'total_bonus', least(coalesce(res.s[2], 0), (params ->> 'bonus_cap')::float8),
               'score', res.score)
      FROM res;
END $$;

-- in C (src/eval_subject.c evaluate_subject): the checks of _check_as_of,
-- _model and _subject, the subject's records read by a kept plan, the rules
-- of eval_core.c; the same answers as _evaluate (the SQL form of 1.0)
CREATE FUNCTION @extschema@.evaluate(subject_id bigint, as_of date DEFAULT current_date, model text DEFAULT 'default')
    RETURNS TABLE(score numeric, grade text, vetoed boolean, breakdown jsonb)
    AS 'MODULE_PATHNAME', 'evaluate_subject'
    LANGUAGE C STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp ROWS 1;
COMMENT ON FUNCTION @extschema@.evaluate(bigint, date, text) IS
    '政务诚信评价 score 0-100, grade A-D, 一票否决 veto and a breakdown of every deduction and bonus, as of as_of under a named model (D5)';

-- D3 (the lists: _punishment, punishment_status, _incentive,
-- incentive_status) is part 45_lists.sql.

-- What the blacklist and redlist views call from a reader's session (issue
-- 13): _blacklist_now() and _redlist_now() of part 45, today's lists under
-- the default model, no argument.

------------------------------------------------------------------------
-- D4: restrictions and the 优秀 rating of civil servants
------------------------------------------------------------------------
CREATE FUNCTION @extschema@._restrictions(p_origin text, p_subject bigint, p_kind @extschema@.subject_kind,
                                          as_of date, params jsonb)
    RETURNS SETOF text
    LANGUAGE plpgsql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
DECLARE n integer; n_unremedied integer; pun text;
BEGIN
    -- D4.1/D4.2: dishonesty records in effect (confirmed, not revoked, not
    -- repaired, publicity not ended)
    SELECT count(*), count(*) FILTER (WHERE r.remedied_on IS NULL OR r.remedied_on > as_of)
      INTO n, n_unremedied
      FROM @extschema@.record r
     WHERE r.origin = p_origin AND r.subject_id = p_subject AND r.kind = 'dishonest'
       AND r.decided_on <= as_of AND r.confirmed_on <= as_of
       AND (r.revoked_on IS NULL OR r.revoked_on > as_of)
       AND (r.repaired_on IS NULL OR r.repaired_on > as_of)
       AND as_of < r.publicity_until;
    IF n > 0 AND p_kind <> 'enterprise' THEN
        IF n_unremedied = 0 THEN
            RETURN NEXT 'written_explanation';          -- D4.4
        ELSIF p_kind IN ('government', 'department') THEN
            RETURN NEXT 'written_explanation';          -- D4.1
            RETURN NEXT 'honor_disqualified';
            RETURN NEXT 'public_criticism';
            RETURN NEXT 'leader_accountability';
        ELSIF p_kind = 'civil_servant' THEN
            RETURN NEXT 'no_commendation';              -- D4.2
            RETURN NEXT 'no_excellent_rating';
            RETURN NEXT 'appointment_reference';
        END IF;                                         -- D4 is not for enterprises
    END IF;
    -- D3.5: measures of joint punishment and the blacklist
    pun := (@extschema@._punishment(p_origin, p_subject, as_of, params)).level;
    IF pun <> 'none' THEN
        RETURN NEXT 'enhanced_supervision';
        RETURN NEXT 'no_honors';
        RETURN NEXT 'financing_review';
        RETURN NEXT 'land_restricted';
        RETURN NEXT 'public_exposure';
    END IF;
END $$;

CREATE FUNCTION @extschema@.restrictions(subject_id bigint, as_of date DEFAULT current_date)
    RETURNS SETOF text
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE s record;
BEGIN
    PERFORM @extschema@._check_as_of(as_of);
    s := @extschema@._subject(subject_id);
    RETURN QUERY SELECT * FROM @extschema@._restrictions(s.origin, s.id, s.kind, as_of, @extschema@._model('default'));
END $$;
COMMENT ON FUNCTION @extschema@.restrictions(bigint, date) IS
    '惩戒措施 measure codes that apply at as_of (names in integrity.measure): D4.1 for governments and departments, D4.2 for civil servants, D3.5 for listed subjects; only written_explanation when every record behind them is remedied (D4.4)';

CREATE FUNCTION @extschema@.may_rate_excellent(subject_id bigint, year integer) RETURNS boolean
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE s record; y0 date; y1 date; hit boolean;
BEGIN
    IF year IS NULL OR year < 1949 OR year > extract(year FROM current_date)::integer + 1 THEN
        RAISE EXCEPTION 'year % is out of range', year
            USING ERRCODE = '22023', DETAIL = 'Annual ratings exist from 1949 to next year.';
    END IF;
    s := @extschema@._subject(subject_id);
    IF s.kind <> 'civil_servant' THEN
        RAISE EXCEPTION 'subject % is a %, not a civil servant', subject_id, s.kind
            USING ERRCODE = '22023', DETAIL = 'The 优秀 rating of D4.3 is for civil servants.';
    END IF;
    y0 := make_date(year, 1, 1);
    y1 := make_date(year, 12, 31);
    -- D4.3: a counting dishonesty record decided that year or in publicity during it
    SELECT EXISTS (
        SELECT 1 FROM @extschema@.record r
         WHERE r.origin = s.origin AND r.subject_id = s.id AND r.kind = 'dishonest'
           AND r.confirmed_on IS NOT NULL AND r.revoked_on IS NULL
           AND (r.repaired_on IS NULL OR r.repaired_on >= y0)
           AND ((r.decided_on BETWEEN y0 AND y1)
                OR (r.published_on IS NOT NULL AND r.published_on <= y1
                    AND coalesce(r.repaired_on, r.expired_on, r.publicity_until) > y0)))
      INTO hit;
    RETURN NOT hit;
END $$;
COMMENT ON FUNCTION @extschema@.may_rate_excellent(bigint, integer) IS
    '年度考核优秀 false when a counting dishonesty record of the civil servant was decided in that year or was in publicity during it (D4.3)';
