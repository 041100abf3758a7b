-- views (1.1 -> 1.2): every reader view is a security barrier (issue 13
-- finding 2: a reader's cheap function in WHERE must not see the rows the
-- view filters out); the list views read the one-pass C lists of part 45
-- (_blacklist_now, _redlist_now: today, the default model, no free
-- argument; issue 13 finding 3, issue 15), and monitoring_ranking scores
-- its five quarters in one pass (_rank_state).  CREATE OR REPLACE keeps the
-- views' comments and grants.
ALTER VIEW @extschema@.public_record SET (security_barrier = true);
ALTER VIEW @extschema@.evaluation SET (security_barrier = true);
-- D3: the lists are computed in C in one pass over the records
-- (_blacklist_now, _redlist_now, part 45); the views add the public name
-- and code.  No argument is free: today, the default model.
CREATE OR REPLACE VIEW @extschema@.blacklist WITH (security_barrier) AS
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
CREATE OR REPLACE VIEW @extschema@.redlist WITH (security_barrier) AS
SELECT s.origin,
       s.id AS subject_id,
       @extschema@._public_name(s.kind, s.name) AS name,
       @extschema@._public_code(s.kind, s.uscc, s.cn_id, s.legacy_code) AS code,
       i.valid_until
  FROM @extschema@._redlist_now() i
  JOIN @extschema@.subject s ON s.origin = i.origin AND s.id = i.subject_id;
-- with the D7.5 columns 践诺率 (fulfilment_pct) and the arrears overdue at
-- the quarter end (45_commitments.sql), appended after the 1.1 columns
CREATE OR REPLACE VIEW @extschema@.monitoring_ranking WITH (security_barrier) AS
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
COMMENT ON COLUMN @extschema@.monitoring_ranking.fulfilment_pct IS '践诺率 percent of the commitments due in the quarter that were fulfilled by their due date (D7.5; NULL: none due)';
COMMENT ON COLUMN @extschema@.monitoring_ranking.arrears_overdue IS '逾期欠款 arrears past their due date with something outstanding at the end of the quarter (D7.5)';
COMMENT ON COLUMN @extschema@.monitoring_ranking.arrears_overdue_amount IS '逾期欠款金额 outstanding amount of those arrears at the end of the quarter, yuan (D7.5)';
