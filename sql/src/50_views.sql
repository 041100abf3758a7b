
------------------------------------------------------------------------
-- integrity, part 50 (views): views for reporting tools (SPEC 7; D1.4, D6)
-- Readers see these views only: names of persons and resident IDs are
-- masked, and they cover every origin held here.
------------------------------------------------------------------------

-- the public name and code of a subject (D1.4); plain SQL so that the
-- planner inlines them into the views, and every name and operator
-- schema-qualified, because inlined SQL is parsed with the reader's path
CREATE FUNCTION @extschema@._public_name(kind @extschema@.subject_kind, name text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT CASE WHEN kind OPERATOR(pg_catalog.=) 'civil_servant'::@extschema@.subject_kind
                      THEN @extschema@.mask_name(name) ELSE name END $$;
CREATE FUNCTION @extschema@._public_code(kind @extschema@.subject_kind, u @extschema@.uscc, c @extschema@.cn_id, legacy text)
    RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT CASE WHEN kind OPERATOR(pg_catalog.=) 'civil_servant'::@extschema@.subject_kind
                      THEN @extschema@.mask(c)
                      ELSE coalesce(u::pg_catalog.text, legacy) END $$;

CREATE VIEW @extschema@.public_record WITH (security_barrier) AS
SELECT r.origin,
       r.id AS record_id,
       @extschema@._public_name(s.kind, s.name) AS subject_name,
       s.kind AS subject_kind,
       @extschema@._public_code(s.kind, s.uscc, s.cn_id, s.legacy_code) AS subject_code,
       r.category,
       coalesce(c.name, r.category) AS category_name,
       r.severity,
       r.domain,
       r.document_no,
       r.source_unit,
       r.summary,
       r.decided_on,
       r.published_on,
       r.publicity_until,
       CASE r.state WHEN 'objected' THEN '异议处理中' ELSE '公示中' END AS state,
       r.published_on > r.publish_due AS published_late
  FROM @extschema@.record r
  JOIN @extschema@.subject s ON s.origin = r.origin AND s.id = r.subject_id
  -- a category only a lower platform has still shows (replicated rows
  -- are not checked against this platform's categories)
  LEFT JOIN @extschema@.category c ON c.code = r.category
 WHERE (r.state = 'published' OR (r.state = 'objected' AND r.state_before_objection = 'published'))
   AND r.publicity_until > current_date;
COMMENT ON VIEW @extschema@.public_record IS '公示信息 public records: records in publicity now, persons masked (SPEC 7, D1.4, D2.3)';
COMMENT ON COLUMN @extschema@.public_record.origin IS '来源平台 origin: region code of the platform that collected the record';
COMMENT ON COLUMN @extschema@.public_record.record_id IS '记录编号 record id within its origin';
COMMENT ON COLUMN @extschema@.public_record.subject_name IS '主体名称 subject name (a person''s name masked: 张*)';
COMMENT ON COLUMN @extschema@.public_record.subject_kind IS '主体类型 subject kind';
COMMENT ON COLUMN @extschema@.public_record.subject_code IS '主体代码 uscc of an organization, masked resident ID of a person';
COMMENT ON COLUMN @extschema@.public_record.category IS '类别代码 category code';
COMMENT ON COLUMN @extschema@.public_record.category_name IS '类别 category name';
COMMENT ON COLUMN @extschema@.public_record.severity IS '失信程度 severity';
COMMENT ON COLUMN @extschema@.public_record.domain IS '领域 domain (政府采购, 招标投标, ...)';
COMMENT ON COLUMN @extschema@.public_record.document_no IS '决定文书号 decision document number';
COMMENT ON COLUMN @extschema@.public_record.source_unit IS '认定单位 deciding unit';
COMMENT ON COLUMN @extschema@.public_record.summary IS '失信事实 summary of the facts';
COMMENT ON COLUMN @extschema@.public_record.decided_on IS '决定日期 decision date';
COMMENT ON COLUMN @extschema@.public_record.published_on IS '公示日期 publication date';
COMMENT ON COLUMN @extschema@.public_record.publicity_until IS '公示截止 publicity ends on this day';
COMMENT ON COLUMN @extschema@.public_record.state IS '状态 公示中 in publicity, or 异议处理中 objection under review';
COMMENT ON COLUMN @extschema@.public_record.published_late IS '逾期公示 published after the 7-working-day deadline (D2.5)';

-- D3: the lists are computed in C in one pass over the records
-- (_blacklist_now, _redlist_now, part 45); the views add the public name
-- and code.  No argument is free: today, the default model.
CREATE VIEW @extschema@.blacklist WITH (security_barrier) AS
SELECT s.origin,
       s.id AS subject_id,
       @extschema@._public_name(s.kind, s.name) AS name,
       @extschema@._public_code(s.kind, s.uscc, s.cn_id, s.legacy_code) AS code,
       p.level,
       p.reasons,
       p.listed_from,
       p.listed_until
  FROM @extschema@._blacklist_now() p
  JOIN @extschema@.subject s ON s.origin = p.origin AND s.id = p.subject_id;
COMMENT ON VIEW @extschema@.blacklist IS '联合惩戒和黑名单 subjects under joint punishment or on the blacklist today (D3.1-D3.3)';
COMMENT ON COLUMN @extschema@.blacklist.origin IS '来源平台 origin';
COMMENT ON COLUMN @extschema@.blacklist.subject_id IS '主体编号 subject id within its origin';
COMMENT ON COLUMN @extschema@.blacklist.name IS '主体名称 subject name (persons masked)';
COMMENT ON COLUMN @extschema@.blacklist.code IS '主体代码 uscc, or masked resident ID';
COMMENT ON COLUMN @extschema@.blacklist.level IS '惩戒级别 joint_punishment 联合惩戒 or blacklist 黑名单';
COMMENT ON COLUMN @extschema@.blacklist.reasons IS '列入理由 the conditions and records behind the listing';
COMMENT ON COLUMN @extschema@.blacklist.listed_from IS '列入日期 listing date: decision date of the record that completed the condition';
COMMENT ON COLUMN @extschema@.blacklist.listed_until IS '移出日期 the listing ends on this day unless extended (D2.10)';

CREATE VIEW @extschema@.redlist WITH (security_barrier) AS
SELECT s.origin,
       s.id AS subject_id,
       @extschema@._public_name(s.kind, s.name) AS name,
       @extschema@._public_code(s.kind, s.uscc, s.cn_id, s.legacy_code) AS code,
       i.valid_until
  FROM @extschema@._redlist_now() i
  JOIN @extschema@.subject s ON s.origin = i.origin AND s.id = i.subject_id;
COMMENT ON VIEW @extschema@.redlist IS '守信联合激励 red list: subjects meeting all six conditions of D3.4 today';
COMMENT ON COLUMN @extschema@.redlist.origin IS '来源平台 origin';
COMMENT ON COLUMN @extschema@.redlist.subject_id IS '主体编号 subject id within its origin';
COMMENT ON COLUMN @extschema@.redlist.name IS '主体名称 subject name';
COMMENT ON COLUMN @extschema@.redlist.code IS '主体代码 uscc';
COMMENT ON COLUMN @extschema@.redlist.valid_until IS '有效期至 the listing is valid until this day (3 years, D2.10)';

CREATE VIEW @extschema@.evaluation WITH (security_barrier) AS
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
CREATE VIEW @extschema@.monitoring_ranking WITH (security_barrier) AS
WITH model AS (SELECT m.params FROM @extschema@.score_model m WHERE m.name = 'default'),
q AS (
    SELECT k,
           (date_trunc('quarter', current_date) - make_interval(months => 3 * k))::date - 1 AS quarter_end,
           (date_trunc('quarter', current_date) - make_interval(months => 3 * k + 3))::date AS quarter_start
      FROM generate_series(0, 4) AS k),
subj AS (
    SELECT s.origin, s.id, s.name, s.kind, s.parent_id FROM @extschema@.subject s
     WHERE s.kind IN ('government', 'department')),
-- the five quarters of a subject in one pass over its records (_rank_state,
-- part 45; an index-only scan of record_subject_idx per subject): per
-- quarter k the score_state at its end and the counts, at offset 9 k
-- (src/lists.h RQ_*); a quarter by whose end the subject had no record has
-- no row in agg
rs AS (
    SELECT subj.origin, subj.id AS subject_id, x.s
      FROM subj CROSS JOIN LATERAL (
        SELECT @extschema@._rank_state(r.category, r.kind, r.severity, r.decided_on, r.confirmed_on,
                                       r.revoked_on, r.repaired_on, r.published_on, r.publish_due,
                                       r.publicity_until, r.expired_on,
                                       (SELECT min(q.quarter_end) + 1 FROM q WHERE q.k = 0),
                                       (SELECT params FROM model)) AS s
          FROM @extschema@.record r
         WHERE r.origin = subj.origin AND r.subject_id = subj.id) x
     WHERE x.s IS NOT NULL),
agg AS (
    SELECT q.quarter_end, rs.origin, rs.subject_id,
           rs.s[9 * q.k + 1 : 9 * q.k + 4] AS st,
           rs.s[9 * q.k + 6]::bigint AS published,
           rs.s[9 * q.k + 7]::bigint AS published_on_time,
           rs.s[9 * q.k + 8]::bigint AS in_publicity,
           rs.s[9 * q.k + 9]::bigint AS repaired
      FROM rs CROSS JOIN q
     WHERE rs.s[9 * q.k + 5] > 0),
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
-- D7.5: 践诺率 and arrears overdue at each quarter end (45_commitments.sql)
cq AS (SELECT c.* FROM @extschema@._commitment_quarters_now() c),
scored AS (
    SELECT q.quarter_end, subj.origin, subj.id AS subject_id, subj.name, subj.kind, subj.parent_id,
           @extschema@.score_of(a.st, (SELECT params FROM model)) AS score,
           @extschema@.grade_of(a.st, (SELECT params FROM model)) AS grade,
           coalesce(a.st[3] > 0, false) AS vetoed,
           coalesce(a.published, 0) AS published, coalesce(a.published_on_time, 0) AS published_on_time,
           coalesce(a.in_publicity, 0) AS in_publicity, coalesce(a.repaired, 0) AS repaired,
           coalesce(o.objections, 0) AS objections, coalesce(o.objections_on_time, 0) AS objections_on_time,
           cq.fulfilment_pct, coalesce(cq.arrears_overdue, 0) AS arrears_overdue,
           coalesce(cq.arrears_overdue_amount, 0) AS arrears_overdue_amount
      FROM q CROSS JOIN subj
      LEFT JOIN agg a ON a.quarter_end = q.quarter_end AND a.origin = subj.origin AND a.subject_id = subj.id
      LEFT JOIN obj o ON o.quarter_end = q.quarter_end AND o.origin = subj.origin AND o.subject_id = subj.id
      LEFT JOIN cq ON cq.quarter_end = q.quarter_end AND cq.origin = subj.origin AND cq.subject_id = subj.id),
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
       repaired AS records_repaired,
       fulfilment_pct, arrears_overdue, arrears_overdue_amount
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
COMMENT ON COLUMN @extschema@.monitoring_ranking.fulfilment_pct IS '践诺率 percent of the commitments due in the quarter that were fulfilled by their due date (D7.5; NULL: none due)';
COMMENT ON COLUMN @extschema@.monitoring_ranking.arrears_overdue IS '逾期欠款 arrears past their due date with something outstanding at the end of the quarter (D7.5)';
COMMENT ON COLUMN @extschema@.monitoring_ranking.arrears_overdue_amount IS '逾期欠款金额 outstanding amount of those arrears at the end of the quarter, yuan (D7.5)';

GRANT SELECT ON @extschema@.public_record, @extschema@.blacklist, @extschema@.redlist,
                @extschema@.evaluation, @extschema@.monitoring_ranking, @extschema@.measure,
                @extschema@.score_model
    TO integrity_reader;
GRANT INSERT (name, params, note), UPDATE (params, note), DELETE ON @extschema@.score_model TO integrity_admin;
CREATE TRIGGER score_model_seeded_guard BEFORE UPDATE OR DELETE ON @extschema@.score_model
    FOR EACH ROW EXECUTE FUNCTION @extschema@._seeded_guard();
SELECT pg_catalog.pg_extension_config_dump('@extschema@.score_model', 'WHERE NOT seeded');

REVOKE EXECUTE ON FUNCTION
    @extschema@._model(text), @extschema@._subject(bigint), @extschema@._evaluate(text, bigint, date, jsonb),
    @extschema@._punishment(text, bigint, date, jsonb), @extschema@._incentive(text, bigint, date, jsonb),
    @extschema@._restrictions(text, bigint, @extschema@.subject_kind, date, jsonb),
    @extschema@.evaluate(bigint, date, text), @extschema@.punishment_status(bigint, date),
    @extschema@.incentive_status(bigint, date), @extschema@.may_rate_excellent(bigint, integer),
    @extschema@.restrictions(bigint, date)
    FROM PUBLIC;
GRANT EXECUTE ON FUNCTION
    @extschema@.evaluate(bigint, date, text), @extschema@.punishment_status(bigint, date),
    @extschema@.incentive_status(bigint, date), @extschema@.may_rate_excellent(bigint, integer),
    @extschema@.restrictions(bigint, date)
    TO integrity_operator;
-- monitoring_ranking calls this as the reader (the objection limit, D2.7a);
-- the lists' functions that the views call are granted in part 45
GRANT EXECUTE ON FUNCTION @extschema@._param(text) TO integrity_reader;
