-- demo/simulate.sql: a step of the demo only, never of a real platform.
--
-- The demo enters a year of records today, as a backlog, so every
-- confirmation, publication, objection, repair and revocation is dated
-- today, and the quarterly ranking (which counts a record from its
-- confirmation) would show four identical quarters.  This script moves the
-- lifecycle dates of the local platform's records back to plausible days
-- after their decision, as if the year had really happened: confirmed 2-4
-- working days after the decision, published within the 7 working days of
-- 双公示 (one in eight late), objections some weeks later and decided within
-- 5 working days, repairs after the minimum publicity period, and so on.
-- No date goes past today.
--
-- It is an UPDATE by the table owner with the two lifecycle triggers
-- (record_guard, record_log) disabled by name for this one transaction:
-- the guard would refuse caller-set dates, and the log would write history
-- for it.  The history (record_event) and the signed disclosure log are not
-- touched: their rows keep today's timestamps and disclosed_on, and the
-- chain still verifies.  The ENABLE ALWAYS guards are not disabled, and
-- plain ENABLE gives record_guard and record_log back exactly their state.
-- Run by demo/run.sh at the county and at the city, before replication.

\set ON_ERROR_STOP 1
\set QUIET 1
\pset footer off
SET client_min_messages = warning;

\echo
\echo '== 模拟 Simulation (demo only): let the year happen over the last 13 months'
\echo '-- the records were entered today, so all their lifecycle dates are today; here they move back to'
\echo '-- plausible days after each decision (认定 +2-4 working days, 公示 within 7, one in eight late, ...).'
\echo '-- record_guard and record_log are disabled for this one UPDATE; history and signed disclosures are untouched.'
BEGIN;
ALTER TABLE integrity.record DISABLE TRIGGER record_guard, DISABLE TRIGGER record_log;
WITH b AS (
    SELECT r.origin, r.id,
           integrity.add_workdays(r.decided_on, 2 + (r.id % 3)::integer) AS c,
           CASE WHEN r.id % 8 = 0 THEN integrity.add_workdays(r.decided_on, 8 + (r.id % 13)::integer)
                ELSE integrity.add_workdays(r.decided_on, 3 + (r.id % 3)::integer + (r.id % 5 / 2)::integer) END AS p
      FROM integrity.record r
     WHERE r.origin = integrity.local_origin()),
n AS (
    SELECT r.origin, r.id,
           least(current_date, b.c) AS c,
           least(current_date, b.p) AS p,
           least(current_date, CASE WHEN r.published_on IS NOT NULL THEN b.p ELSE b.c END + 10 + (r.id % 40)::integer) AS o
      FROM integrity.record r JOIN b ON b.origin = r.origin AND b.id = r.id)
UPDATE integrity.record r
   SET confirmed_on = CASE WHEN r.confirmed_on IS NOT NULL THEN n.c END,
       published_on = CASE WHEN r.published_on IS NOT NULL THEN n.p END,
       -- a pending objection stays where it is; a decided one moves
       objected_on = CASE WHEN r.objected_on IS NOT NULL AND r.state <> 'objected' THEN n.o ELSE r.objected_on END,
       objection_due = CASE WHEN r.objected_on IS NOT NULL AND r.state <> 'objected'
                            THEN integrity.add_workdays(n.o, 5) ELSE r.objection_due END,
       repaired_on = CASE WHEN r.repaired_on IS NOT NULL
                          THEN least(current_date, greatest(r.repair_allowed_from, n.p, n.o) + (r.id % 25)::integer) END,
       revoked_on = CASE WHEN r.revoked_on IS NULL THEN NULL
                         WHEN r.objected_on IS NOT NULL          -- objection upheld
                              THEN least(current_date, integrity.add_workdays(n.o, 1 + (r.id % 4)::integer))
                         WHEN r.published_on IS NOT NULL         -- withdrawn after publication
                              THEN least(current_date, n.p + 20 + (r.id % 90)::integer)
                         WHEN r.confirmed_on IS NOT NULL
                              THEN least(current_date, n.c + 3)
                         ELSE least(current_date, integrity.add_workdays(r.decided_on, 3)) END,
       remedied_on = CASE WHEN r.remedied_on IS NOT NULL
                          THEN least(current_date, coalesce(n.p, n.c) + 15 + (r.id % 60)::integer) END
  FROM n
 WHERE n.origin = r.origin AND n.id = r.id
   AND (r.confirmed_on IS NOT NULL OR r.revoked_on IS NOT NULL);
ALTER TABLE integrity.record ENABLE TRIGGER record_guard, ENABLE TRIGGER record_log;
-- the triggers are as the extension made them: record_guard and record_log
-- for local sessions, the guards against DELETE and TRUNCATE always, the
-- replica guard (issue 16) in logical replication workers
DO $$
BEGIN
    IF (SELECT string_agg(tgname || ':' || tgenabled::text, ' ' ORDER BY tgname) FROM pg_trigger
         WHERE tgrelid = 'integrity.record'::regclass AND NOT tgisinternal)
       <> '_replica_guard:R record_guard:O record_log:O record_no_delete:A record_no_truncate:A' THEN
        RAISE EXCEPTION 'the triggers of integrity.record are not back in their state';
    END IF;
END $$;
COMMIT;

SELECT count(*) AS "records moved",
       min(confirmed_on) || ' … ' || max(confirmed_on) AS "认定 confirmed_on",
       round(100.0 * count(*) FILTER (WHERE published_on <= publish_due) / nullif(count(published_on), 0), 1)
           AS "双公示及时率 on time %",
       count(repaired_on) AS "修复 repaired",
       (SELECT ok FROM integrity.verify_chain()) AS "verify_chain() still ok"
  FROM integrity.record
 WHERE origin = integrity.local_origin() AND (confirmed_on IS NOT NULL OR revoked_on IS NOT NULL);
