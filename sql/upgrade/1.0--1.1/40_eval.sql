
------------------------------------------------------------------------
-- 40_eval: score_state with an internal C state (SSPACE, serial/deserial
-- for parallel aggregation) and evaluate() in C (SPEC 9 C-path ratios).
-- An aggregate's state type cannot be altered: the aggregate is dropped
-- and created again, with the views that use it (their comments and grants
-- as a fresh install makes them).  The 1.0 C functions stay in the library
-- for databases still at 1.0.
------------------------------------------------------------------------
DROP VIEW @extschema@.monitoring_ranking;
DROP VIEW @extschema@.evaluation;
DROP AGGREGATE @extschema@.score_state(text, text, @extschema@.severity, date, date, date, date, date, jsonb);
DROP FUNCTION @extschema@._score_state_transfn(float8[], text, text, @extschema@.severity, date, date, date, date, date, jsonb);
DROP FUNCTION @extschema@._score_state_combine(float8[], float8[]);

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

-- in C (src/eval_fmgr.c evaluate_subject): the checks of _check_as_of,
-- _model and _subject, the subject's records read by a kept plan, the rules
-- of eval_core.c; the same answers as _evaluate (the SQL form of 1.0)
CREATE OR REPLACE FUNCTION @extschema@.evaluate(subject_id bigint, as_of date DEFAULT current_date, model text DEFAULT 'default')
    RETURNS TABLE(score numeric, grade text, vetoed boolean, breakdown jsonb)
    AS 'MODULE_PATHNAME', 'evaluate_subject'
    LANGUAGE C STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp ROWS 1;
COMMENT ON FUNCTION @extschema@.evaluate(bigint, date, text) IS
    '政务诚信评价 score 0-100, grade A-D, 一票否决 veto and a breakdown of every deduction and bonus, as of as_of under a named model (D5)';

CREATE VIEW @extschema@.evaluation AS
WITH model AS (SELECT m.params FROM @extschema@.score_model m WHERE m.name = 'default'),
-- only the records of governments and departments are scored
agg AS (
    SELECT r.origin, r.subject_id,
           @extschema@.score_state(r.category, r.kind, r.severity, r.decided_on, r.confirmed_on,
                                   r.revoked_on, r.repaired_on, current_date, (SELECT params FROM model)) AS st
      FROM @extschema@.record r
     WHERE EXISTS (SELECT 1 FROM @extschema@.subject s
                    WHERE s.origin = r.origin AND s.id = r.subject_id
                      AND s.kind IN ('government', 'department'))
     GROUP BY r.origin, r.subject_id),
scored AS (
    SELECT s.origin, s.id AS subject_id, s.name, s.kind, s.parent_id,
           @extschema@.score_of(a.st, (SELECT params FROM model)) AS score,
           @extschema@.grade_of(a.st, (SELECT params FROM model)) AS grade,
           coalesce(a.st[3] > 0, false) AS vetoed
      FROM @extschema@.subject s
      LEFT JOIN agg a ON a.origin = s.origin AND a.subject_id = s.id
     WHERE s.kind IN ('government', 'department')),
-- rank() without sorting every subject: 1 + the number of subjects ranked
-- higher, from the histogram of rank keys per parent (a few thousand rows),
-- joined back by hash.  A vetoed subject (一票否决, D5) ranks after every
-- subject that is not vetoed, then by score.
keyed AS (
    SELECT scored.*, score - CASE WHEN vetoed THEN 1000 ELSE 0 END AS rank_key FROM scored),
hist AS (
    SELECT origin, coalesce(parent_id, -1) AS parent, rank_key, count(*) AS n
      FROM keyed GROUP BY 1, 2, 3),
overall AS (
    SELECT t.rank_key,
           1 + coalesce(sum(t.n) OVER (ORDER BY t.rank_key DESC ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0)::bigint AS rank_overall
      FROM (SELECT rank_key, sum(n) AS n FROM hist GROUP BY rank_key) t),
ranks AS (
    SELECT h.origin, h.parent, h.rank_key, o.rank_overall,
           1 + coalesce(sum(h.n) OVER (PARTITION BY h.origin, h.parent ORDER BY h.rank_key DESC
                                       ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0)::bigint AS rank_in_parent
      FROM hist h JOIN overall o ON o.rank_key = h.rank_key)
SELECT sc.origin, sc.subject_id, sc.name, sc.kind, sc.parent_id, sc.score, sc.grade, sc.vetoed,
       r.rank_overall, r.rank_in_parent
  FROM keyed sc
  JOIN ranks r ON r.origin = sc.origin AND r.parent = coalesce(sc.parent_id, -1) AND r.rank_key = sc.rank_key;
COMMENT ON VIEW @extschema@.evaluation IS '政务诚信评价 every government and department scored today under the default model (D5)';
COMMENT ON COLUMN @extschema@.evaluation.origin IS '来源平台 origin';
COMMENT ON COLUMN @extschema@.evaluation.subject_id IS '主体编号 subject id within its origin';
COMMENT ON COLUMN @extschema@.evaluation.name IS '名称 name of the government or department';
COMMENT ON COLUMN @extschema@.evaluation.kind IS '类型 government or department';
COMMENT ON COLUMN @extschema@.evaluation.parent_id IS '上级 supervising government or department';
COMMENT ON COLUMN @extschema@.evaluation.score IS '得分 score 0-100';
COMMENT ON COLUMN @extschema@.evaluation.grade IS '等级 grade A, B, C or D';
COMMENT ON COLUMN @extschema@.evaluation.vetoed IS '一票否决 vetoed by a statistical-fraud record';
COMMENT ON COLUMN @extschema@.evaluation.rank_overall IS '总排名 rank among all governments and departments (vetoed ones after all others, then by score)';
COMMENT ON COLUMN @extschema@.evaluation.rank_in_parent IS '同级排名 rank among those with the same parent';

-- D5: the quarterly 政务诚信监测 ranking (广元 附件 1), the four last
-- completed quarters, with the platform indicators it can compute
CREATE VIEW @extschema@.monitoring_ranking AS
WITH model AS (SELECT m.params FROM @extschema@.score_model m WHERE m.name = 'default'),
q AS (
    SELECT (date_trunc('quarter', current_date) - make_interval(months => 3 * k))::date - 1 AS quarter_end,
           (date_trunc('quarter', current_date) - make_interval(months => 3 * k + 3))::date AS quarter_start
      FROM generate_series(0, 4) AS k),
subj AS (
    SELECT s.origin, s.id, s.name, s.kind, s.parent_id FROM @extschema@.subject s
     WHERE s.kind IN ('government', 'department')),
agg AS (
    SELECT q.quarter_end, r.origin, r.subject_id,
           @extschema@.score_state(r.category, r.kind, r.severity, r.decided_on, r.confirmed_on,
                                   r.revoked_on, r.repaired_on, q.quarter_end, (SELECT params FROM model)) AS st,
           count(*) FILTER (WHERE r.published_on BETWEEN q.quarter_start AND q.quarter_end) AS published,
           count(*) FILTER (WHERE r.published_on BETWEEN q.quarter_start AND q.quarter_end
                              AND r.published_on <= r.publish_due) AS published_on_time,
           count(*) FILTER (WHERE r.published_on <= q.quarter_end AND r.publicity_until > q.quarter_end
                              AND coalesce(r.repaired_on, r.revoked_on, r.expired_on, 'infinity') > q.quarter_end) AS in_publicity,
           count(*) FILTER (WHERE r.repaired_on BETWEEN q.quarter_start AND q.quarter_end) AS repaired
      FROM q JOIN @extschema@.record r ON r.decided_on <= q.quarter_end
      JOIN subj ON subj.origin = r.origin AND subj.id = r.subject_id
     GROUP BY q.quarter_end, r.origin, r.subject_id),
obj AS (
    -- D2.7a: objections resolved within objection_workdays working days
    SELECT q.quarter_end, e.origin, r.subject_id,
           count(*) AS objections,
           count(*) FILTER (WHERE res.at::date <= @extschema@.add_workdays(e.at::date,
                                   @extschema@._param('objection_workdays')::integer)) AS objections_on_time
      FROM q JOIN @extschema@.record_event e ON e.event = 'objection' AND e.at::date BETWEEN q.quarter_start AND q.quarter_end
      JOIN @extschema@.record r ON r.origin = e.origin AND r.id = e.record_id
      LEFT JOIN LATERAL (SELECT e2.at FROM @extschema@.record_event e2
                          WHERE e2.origin = e.origin AND e2.record_id = e.record_id AND e2.id > e.id
                            AND e2.event IN ('objection_rejected', 'objection_upheld')
                          ORDER BY e2.id LIMIT 1) res ON true
     GROUP BY q.quarter_end, e.origin, r.subject_id),
scored AS (
    SELECT q.quarter_end, subj.origin, subj.id AS subject_id, subj.name, subj.kind, subj.parent_id,
           @extschema@.score_of(a.st, (SELECT params FROM model)) AS score,
           @extschema@.grade_of(a.st, (SELECT params FROM model)) AS grade,
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
COMMENT ON VIEW @extschema@.monitoring_ranking IS '政务诚信监测排名 quarterly ranking of governments and departments (last four completed quarters) with platform indicators (D5, 广元 附件 1)';
COMMENT ON COLUMN @extschema@.monitoring_ranking.quarter IS '季度 quarter, e.g. 2026Q3';
COMMENT ON COLUMN @extschema@.monitoring_ranking.quarter_end IS '季末 last day of the quarter (the as_of of the scores)';
COMMENT ON COLUMN @extschema@.monitoring_ranking.origin IS '来源平台 origin';
COMMENT ON COLUMN @extschema@.monitoring_ranking.subject_id IS '主体编号 subject id within its origin';
COMMENT ON COLUMN @extschema@.monitoring_ranking.name IS '名称 name';
COMMENT ON COLUMN @extschema@.monitoring_ranking.kind IS '类型 government or department';
COMMENT ON COLUMN @extschema@.monitoring_ranking.parent_id IS '上级 supervising government or department';
COMMENT ON COLUMN @extschema@.monitoring_ranking.score IS '得分 score at the end of the quarter';
COMMENT ON COLUMN @extschema@.monitoring_ranking.grade IS '等级 grade';
COMMENT ON COLUMN @extschema@.monitoring_ranking.vetoed IS '一票否决 vetoed';
COMMENT ON COLUMN @extschema@.monitoring_ranking.rank IS '排名 rank in the quarter';
COMMENT ON COLUMN @extschema@.monitoring_ranking.rank_in_parent IS '同级排名 rank among those with the same parent';
COMMENT ON COLUMN @extschema@.monitoring_ranking.score_change IS '得分变化 change of the score from the previous quarter';
COMMENT ON COLUMN @extschema@.monitoring_ranking.rank_change IS '名次变化 places gained (positive) or lost since the previous quarter';
COMMENT ON COLUMN @extschema@.monitoring_ranking.publish_on_time_pct IS '双公示按时率 percent of records published in the quarter by their 7-working-day deadline (D2.5)';
COMMENT ON COLUMN @extschema@.monitoring_ranking.objection_on_time_pct IS '异议按时办结率 percent of objections of the quarter resolved within 5 working days (D2.7a)';
COMMENT ON COLUMN @extschema@.monitoring_ranking.records_in_publicity IS '公示中记录 records in publicity at the end of the quarter';
COMMENT ON COLUMN @extschema@.monitoring_ranking.records_repaired IS '信用修复 records repaired during the quarter';

GRANT SELECT ON @extschema@.evaluation, @extschema@.monitoring_ranking TO integrity_reader;
