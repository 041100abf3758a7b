-- views (1.1 -> 1.2): every reader view is a security barrier (issue 13
-- finding 2: a reader's cheap function in WHERE must not see the rows the
-- view filters out), and the list views call the _now wrappers instead of
-- the internals (finding 3).
ALTER VIEW @extschema@.public_record SET (security_barrier = true);
ALTER VIEW @extschema@.evaluation SET (security_barrier = true);
ALTER VIEW @extschema@.monitoring_ranking SET (security_barrier = true);
CREATE OR REPLACE VIEW @extschema@.blacklist WITH (security_barrier) AS
SELECT s.origin,
       s.id AS subject_id,
       @extschema@._public_name(s.kind, s.name) AS name,
       @extschema@._public_code(s.kind, s.uscc, s.cn_id, s.legacy_code) AS code,
       p.level,
       p.reasons,
       p.listed_from,
       p.listed_until
  FROM @extschema@.subject s
 CROSS JOIN LATERAL @extschema@._punishment_now(s.origin, s.id) p
 WHERE EXISTS (SELECT 1 FROM @extschema@.record r
                WHERE r.origin = s.origin AND r.subject_id = s.id AND r.kind = 'dishonest'
                  AND r.confirmed_on IS NOT NULL AND r.decided_on > current_date - 800)
   AND p.level <> 'none';

CREATE OR REPLACE VIEW @extschema@.redlist WITH (security_barrier) AS
SELECT s.origin,
       s.id AS subject_id,
       @extschema@._public_name(s.kind, s.name) AS name,
       @extschema@._public_code(s.kind, s.uscc, s.cn_id, s.legacy_code) AS code,
       i.valid_until
  FROM @extschema@.subject s
 CROSS JOIN LATERAL @extschema@._incentive_now(s.origin, s.id) i
 WHERE EXISTS (SELECT 1 FROM @extschema@.record r
                WHERE r.origin = s.origin AND r.subject_id = s.id AND r.category = 'safety_standard_level1'
                  AND r.confirmed_on IS NOT NULL AND r.revoked_on IS NULL)
   AND EXISTS (SELECT 1 FROM @extschema@.record r
                WHERE r.origin = s.origin AND r.subject_id = s.id AND r.category = 'credit_commitment'
                  AND r.confirmed_on IS NOT NULL AND r.revoked_on IS NULL)
   AND i.eligible;

REVOKE EXECUTE ON FUNCTION
    @extschema@._punishment(text, bigint, date, jsonb), @extschema@._incentive(text, bigint, date, jsonb)
    FROM integrity_reader;
GRANT EXECUTE ON FUNCTION
    @extschema@._punishment_now(text, bigint), @extschema@._incentive_now(text, bigint)
    TO integrity_reader;

------------------------------------------------------------------------
-- views, 1.1 -> 1.2: monitoring_ranking gains the D7.5 columns 践诺率
-- (fulfilment_pct) and the arrears overdue at the quarter end, appended
-- after the 1.1 columns (CREATE OR REPLACE VIEW keeps the others, their
-- comments and grants; the WITH clause keeps it a security barrier, as
-- CREATE OR REPLACE VIEW replaces the options).  Same text as in
-- sql/src/50_views.sql.
------------------------------------------------------------------------
-- D5: the quarterly 政务诚信监测 ranking (广元 附件 1), the four last
-- completed quarters, with the platform indicators it can compute
CREATE OR REPLACE VIEW @extschema@.monitoring_ranking WITH (security_barrier) AS
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
COMMENT ON COLUMN @extschema@.monitoring_ranking.fulfilment_pct IS '践诺率 percent of the commitments due in the quarter that were fulfilled by their due date (D7.5; NULL: none due)';
COMMENT ON COLUMN @extschema@.monitoring_ranking.arrears_overdue IS '逾期欠款 arrears past their due date with something outstanding at the end of the quarter (D7.5)';
COMMENT ON COLUMN @extschema@.monitoring_ranking.arrears_overdue_amount IS '逾期欠款金额 outstanding amount of those arrears at the end of the quarter, yuan (D7.5)';
