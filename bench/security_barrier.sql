-- bench/security_barrier.sql: what WITH (security_barrier) costs the reader
-- views (issue 13).  Each query runs 5 times with the barrier and 5 without
-- (ALTER VIEW ... SET (security_barrier = ...)), on the same data in the same
-- run; the best of each is kept and their ratio printed.  Run by hand on a
-- database loaded by bench/run.sh (or bench.generate + generate_records):
--   psql -d integrity_bench_100000 -f bench/security_barrier.sql
-- The views are left WITH (security_barrier) as installed.
CREATE FUNCTION pg_temp.t(q text) RETURNS float8 LANGUAGE plpgsql AS $$
DECLARE t0 timestamptz; best float8 := 1e9; i int;
BEGIN
  FOR i IN 1..5 LOOP
    t0 := clock_timestamp(); EXECUTE q; best := least(best, extract(epoch FROM clock_timestamp() - t0) * 1000);
  END LOOP;
  RETURN best;
END $$;
CREATE TEMP TABLE res (view text, query text, barrier_ms float8, plain_ms float8);
DO $$
DECLARE v text; q text; a float8; b float8;
BEGIN
  FOR v, q IN VALUES
     ('public_record', 'SELECT count(*) FROM integrity.public_record'),
     ('public_record', 'SELECT count(*) FROM integrity.public_record WHERE document_no LIKE ''%1%'''),
     ('public_record', 'SELECT count(*) FROM integrity.public_record WHERE origin = ''140400'' AND record_id = 7'),
     ('evaluation', 'SELECT count(*) FROM integrity.evaluation'),
     ('evaluation', 'SELECT * FROM integrity.evaluation WHERE subject_id = 7'),
     ('monitoring_ranking', 'SELECT count(*) FROM integrity.monitoring_ranking'),
     ('blacklist', 'SELECT count(*) FROM integrity.blacklist'),
     ('redlist', 'SELECT count(*) FROM integrity.redlist')
  LOOP
    EXECUTE format('ALTER VIEW integrity.%I SET (security_barrier = true)', v);
    a := pg_temp.t(q);
    EXECUTE format('ALTER VIEW integrity.%I SET (security_barrier = false)', v);
    b := pg_temp.t(q);
    EXECUTE format('ALTER VIEW integrity.%I SET (security_barrier = true)', v);
    a := least(a, pg_temp.t(q));
    INSERT INTO res VALUES (v, q, a, b);
  END LOOP;
END $$;
SELECT view, query, round(barrier_ms::numeric, 1) AS barrier_ms, round(plain_ms::numeric, 1) AS plain_ms, round((barrier_ms / plain_ms)::numeric, 2) AS ratio FROM res;

