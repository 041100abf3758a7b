-- demo/lists.sql: at the city, the reporting views over every origin it
-- holds (its own rows and the county's): evaluation, blacklist, redlist and
-- the quarterly monitoring_ranking (SPEC 7).  Run by demo/run.sh.

\set ON_ERROR_STOP 1
\set QUIET 1
\pset footer off
\pset null '-'
SET client_min_messages = warning;

\echo
\echo '== 16. 政务诚信评价 View evaluation: governments and departments of both levels, scored today (top 5, bottom 5)'
SELECT rank_overall AS "排名 rank", origin AS "来源 origin", name, kind, score, grade, vetoed AS "否决 veto",
       rank_in_parent AS "同级 in parent"
  FROM (SELECT e.*, row_number() OVER (ORDER BY rank_overall, origin, subject_id) AS rn, count(*) OVER () AS n
          FROM integrity.evaluation e) t
 WHERE rn <= 5 OR rn > n - 5
 ORDER BY rn;

\echo
\echo '== 17. 黑名单 View blacklist: 联合惩戒 joint punishment and 黑名单 blacklist today (D3.1-D3.3)'
SELECT origin AS "来源 origin", name, code, level, listed_from, listed_until,
       substring(reasons[1] FROM 'by (D[0-9.]+ [^:]*):') AS "rule"
  FROM integrity.blacklist
 ORDER BY level DESC, origin, subject_id;

\echo
\echo '== 18. 红名单 View redlist: 守信联合激励, all six conditions of D3.4 met today'
SELECT origin AS "来源 origin", name, code, valid_until
  FROM integrity.redlist
 ORDER BY origin, subject_id;

\echo
\echo '== 19. 季度监测排名 View monitoring_ranking: the last four completed quarters (score at each quarter end)'
SELECT (array_agg(DISTINCT quarter ORDER BY quarter))[1] AS q1,
       (array_agg(DISTINCT quarter ORDER BY quarter))[2] AS q2,
       (array_agg(DISTINCT quarter ORDER BY quarter))[3] AS q3,
       (array_agg(DISTINCT quarter ORDER BY quarter))[4] AS q4
  FROM integrity.monitoring_ranking \gset
WITH m AS (SELECT * FROM integrity.monitoring_ranking),
h AS (SELECT origin, subject_id,
             max(score) FILTER (WHERE quarter = :'q1') AS s1,
             max(score) FILTER (WHERE quarter = :'q2') AS s2,
             max(score) FILTER (WHERE quarter = :'q3') AS s3
        FROM m GROUP BY origin, subject_id)
SELECT l.rank AS "排名 rank", l.rank_change AS "升降 change", l.origin AS "来源 origin", l.name,
       h.s1 AS :"q1", h.s2 AS :"q2", h.s3 AS :"q3", l.score AS :"q4", l.grade, l.vetoed AS "否决 veto",
       l.publish_on_time_pct AS "双公示及时率 %", l.records_in_publicity AS "公示中 in publicity",
       l.records_repaired AS "修复 repaired"
  FROM m l JOIN h ON h.origin = l.origin AND h.subject_id = l.subject_id
 WHERE l.quarter = :'q4'
 ORDER BY l.rank, l.origin, l.subject_id;
\echo '-- 升降: places gained since the previous quarter; 双公示及时率, 公示中, 修复: the platform indicators of' :q4

\echo
\echo '== 20. 政务承诺 Commitments and arrears of every origin held at the city (D7.5, D2.9)'
SELECT origin AS "来源 origin", subject_name, kind, left(title, 24) AS title, due_on AS "履行期限", state_name AS "状态",
       breach_record_id AS "失信记录"
  FROM integrity.commitment_public ORDER BY origin, commitment_id;
SELECT origin AS "来源 origin", subject_name, kind, creditor AS "债权人", amount, outstanding, due_on, state
  FROM integrity.arrears_public ORDER BY origin, arrears_id;
