-- bench/report_backlink.sql: the cost of the credit report's back-link
-- (issue 17: each disclosure names the previous one about its subject,
-- read under the chain's lock) on publish, in one session:
--   many_per_subject  N records of one government, published in batches of
--                     500 (the subject's chain grows to N entries)
--   one_per_subject   N records of N civil servants (each subject's first
--                     entry: the lookup of 1.1 entries runs too)
-- Prints "case|per_s".  Run it against a fresh database of each build in
-- the same run and compare (bench/RESULTS.md, "Back-link"):
--   PGOPTIONS='-c b.n=3000' psql -XAtq -d DB -f bench/report_backlink.sql
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
CREATE EXTENSION integrity;
SELECT integrity.set_origin('140400') \gset
CREATE FUNCTION cn(body text) RETURNS text LANGUAGE sql AS $$
    SELECT body || substr('10X98765432',
        (SELECT sum(substr(body, i, 1)::int * (ARRAY[7,9,10,5,8,4,2,1,6,3,7,9,10,5,8,4,2])[i])
           FROM generate_series(1, 17) i)::int % 11 + 1, 1) $$;
CREATE TABLE ids (k text, id bigint);
DO $$
DECLARE g bigint := integrity.subject_add('government', '长治市人民政府', '11140400000000019L'); r bigint; c bigint; i int;
BEGIN
  FOR i IN 1..current_setting('b.n')::int LOOP
    r := integrity.record_add(g, 'accountability', 'general', current_date - 30, 'd' || i, 'u', 's');
    PERFORM integrity.notify(r, 'n'); PERFORM integrity.confirm(r, 'c');
    INSERT INTO ids VALUES ('many', r);
    c := integrity.subject_add('civil_servant', '王' || i, cn('140402' || to_char(date '1980-01-01' + i, 'YYYYMMDD') || '001'));
    r := integrity.record_add(c, 'disciplinary_sanction', 'general', current_date - 30, 'c' || i, 'u', 's');
    PERFORM integrity.notify(r, 'n'); PERFORM integrity.confirm(r, 'c');
    INSERT INTO ids VALUES ('one_each', r);
  END LOOP;
END $$;
CREATE FUNCTION run(kind text) RETURNS numeric LANGUAGE plpgsql AS $$
DECLARE a bigint[] := ARRAY(SELECT id FROM ids WHERE k = kind ORDER BY id); t0 timestamptz := clock_timestamp(); k int := 0;
BEGIN
  WHILE k < cardinality(a) LOOP
    PERFORM integrity.publish_many(a[k + 1 : k + 500]);
    k := k + 500;
  END LOOP;
  RETURN round(cardinality(a) / extract(epoch FROM clock_timestamp() - t0), 0);
END $$;
SELECT 'many_per_subject', run('many');
SELECT 'one_per_subject', run('one_each');
SELECT 'chain_ok', ok FROM integrity.verify_chain();
