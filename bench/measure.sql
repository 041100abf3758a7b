-- bench/measure.sql: the measurements of `make bench` (SPEC 9).  Every
-- measurement runs in the server, timed with clock_timestamp(), in one
-- backend with parallel query off (both sides of a comparison on one
-- core), and stores raw figures in bench.raw; bench.report() turns them
-- into the table of targets.  Needs bench/generate.sql and
-- bench/reference.sql.

CREATE SCHEMA IF NOT EXISTS bench;

CREATE TABLE IF NOT EXISTS bench.raw (
    name   text PRIMARY KEY,
    value  float8,
    n      bigint,
    note   text
);

CREATE OR REPLACE FUNCTION bench.put(p_name text, p_value float8, p_n bigint DEFAULT NULL, p_note text DEFAULT NULL)
    RETURNS void LANGUAGE sql AS $$
    INSERT INTO bench.raw VALUES (p_name, p_value, p_n, p_note)
    ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value, n = EXCLUDED.n, note = EXCLUDED.note
$$;

CREATE OR REPLACE FUNCTION bench.get(p_name text) RETURNS float8
    LANGUAGE sql STABLE AS $$ SELECT value FROM bench.raw WHERE name = p_name $$;

-- the best (smallest) time of reps runs of a statement, in seconds
CREATE OR REPLACE FUNCTION bench.best(sql text, reps integer DEFAULT 3) RETURNS float8
    LANGUAGE plpgsql AS $$
DECLARE
    t0 timestamptz;
    t float8;
    best float8 := 'Infinity';
BEGIN
    FOR k IN 1 .. reps LOOP
        t0 := clock_timestamp();
        EXECUTE sql;
        t := extract(epoch FROM clock_timestamp() - t0);
        best := least(best, t);
    END LOOP;
    RETURN best;
END $$;

-- the k-th subject of the deterministic sample (stream s)
CREATE OR REPLACE FUNCTION bench.sample_subject(k bigint, s integer DEFAULT 77) RETURNS bigint
    LANGUAGE sql STABLE AS $$
    SELECT 1 + (pg_catalog.hashint8extended(k, s) & 2147483647) % (SELECT n_subj FROM bench.shape)
$$;

------------------------------------------------------------------------
-- SPEC 9 identifier input: a cast of n strings to the C type against a
-- cast to the domain over text with the PL/pgSQL CHECK; the same scan
-- without a cast is the baseline subtracted from both
------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION bench.m_ident(n bigint, reps integer DEFAULT 3) RETURNS void
    LANGUAGE plpgsql AS $$
BEGIN
    PERFORM count(*) FROM bench.codes WHERE i <= n;    -- warm the cache
    PERFORM bench.put('ident.n', n, n);
    PERFORM bench.put('ident.uscc.base_s', bench.best(format('SELECT count(uscc) FROM bench.codes WHERE i <= %s', n), reps), n);
    PERFORM bench.put('ident.uscc.c_s', bench.best(format('SELECT count(uscc::integrity.uscc) FROM bench.codes WHERE i <= %s', n), reps), n);
    PERFORM bench.put('ident.uscc.ref_s', bench.best(format('SELECT count(uscc::ref.uscc_text) FROM bench.codes WHERE i <= %s', n), reps), n);
    PERFORM bench.put('ident.cn_id.base_s', bench.best(format('SELECT count(cn_id) FROM bench.codes WHERE i <= %s', n), reps), n);
    PERFORM bench.put('ident.cn_id.c_s', bench.best(format('SELECT count(cn_id::integrity.cn_id) FROM bench.codes WHERE i <= %s', n), reps), n);
    PERFORM bench.put('ident.cn_id.ref_s', bench.best(format('SELECT count(cn_id::ref.cn_id_text) FROM bench.codes WHERE i <= %s', n), reps), n);
END $$;

------------------------------------------------------------------------
-- SPEC 9 COPY: n rows from a server file into a uscc column and into a
-- text column (and cn_id, and the reference domain, for comparison)
------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION bench.m_copy(uscc_file text, cn_id_file text, n bigint, reps integer DEFAULT 3)
    RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    t0 timestamptz;
    best float8[] := '{Infinity,Infinity,Infinity,Infinity,Infinity}';
    tabs text[] := '{copy_text,copy_uscc,copy_ref,copy_cn_text,copy_cn_id}';
    files text[] := ARRAY[uscc_file, uscc_file, uscc_file, cn_id_file, cn_id_file];
    got bigint;
BEGIN
    DROP TABLE IF EXISTS bench.copy_text, bench.copy_uscc, bench.copy_ref, bench.copy_cn_text, bench.copy_cn_id;
    CREATE TABLE bench.copy_text (code text);
    CREATE TABLE bench.copy_uscc (code integrity.uscc);
    CREATE TABLE bench.copy_ref (code ref.uscc_text);
    CREATE TABLE bench.copy_cn_text (code text);
    CREATE TABLE bench.copy_cn_id (code integrity.cn_id);
    FOR r IN 1 .. reps LOOP
        -- interleaved, so that drifts of the machine hit every table alike
        FOR k IN 1 .. 5 LOOP
            CONTINUE WHEN k = 3 AND r > 1;          -- the PL/pgSQL domain: once is enough
            EXECUTE format('TRUNCATE bench.%I', tabs[k]);
            t0 := clock_timestamp();
            EXECUTE format('COPY bench.%I FROM %L', tabs[k], files[k]);
            best[k] := least(best[k], extract(epoch FROM clock_timestamp() - t0));
            GET DIAGNOSTICS got = ROW_COUNT;
            IF got <> n THEN
                RAISE EXCEPTION 'COPY into bench.% loaded % rows, not %', tabs[k], got, n;
            END IF;
        END LOOP;
    END LOOP;
    FOR k IN 1 .. 5 LOOP
        PERFORM bench.put('copy.' || tabs[k] || '_s', best[k], n);
    END LOOP;
    DROP TABLE bench.copy_text, bench.copy_uscc, bench.copy_ref, bench.copy_cn_text, bench.copy_cn_id;
END $$;

------------------------------------------------------------------------
-- C path: the record_guard trigger against ref.record_guard, on copies
-- of n records (no indexes, so that the trigger is a large part of the
-- UPDATE): collected -> notified -> confirmed -> published.  The same
-- UPDATEs on a copy without a trigger are subtracted.
------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION bench.m_trigger(n bigint, reps integer DEFAULT 3) RETURNS void
    LANGUAGE plpgsql AS $$
DECLARE
    tabs text[] := '{trg_none,trg_c,trg_p,trg_floor}';
    best float8[] := '{Infinity,Infinity,Infinity,Infinity}';
    t float8[] := '{0,0,0,0}';
    own_c float8[] := '{}';
    own_p float8[] := '{}';
    rounds integer := greatest(reps * 3, 3);
    cols text;
    t0 timestamptz;
BEGIN
    -- the columns of the installed integrity.record, lifecycle reset
    SELECT string_agg(CASE a.attname
                        WHEN 'state' THEN '''collected'''
                        WHEN 'publishable' THEN 'true'
                        WHEN 'remedied' THEN 'false'
                        ELSE CASE WHEN a.attname IN ('state_before_objection', 'confirmed_on', 'published_on',
                                                     'objected_on', 'objection_due', 'repaired_on', 'revoked_on',
                                                     'expired_on', 'remedied_on')
                                  THEN 'NULL' ELSE quote_ident(a.attname) END
                      END, ', ' ORDER BY a.attnum)
      INTO cols
      FROM pg_attribute a
     WHERE a.attrelid = 'integrity.record'::regclass AND a.attnum > 0 AND NOT a.attisdropped;
    FOR k IN 1 .. 4 LOOP
        EXECUTE format('DROP TABLE IF EXISTS bench.%I', tabs[k]);
        EXECUTE format('CREATE TABLE bench.%I (LIKE integrity.record INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', tabs[k]);
    END LOOP;
    CREATE TRIGGER record_guard BEFORE INSERT OR UPDATE OR DELETE ON bench.trg_c
        FOR EACH ROW EXECUTE FUNCTION integrity.record_guard();
    CREATE TRIGGER record_guard BEFORE INSERT OR UPDATE OR DELETE ON bench.trg_p
        FOR EACH ROW EXECUTE FUNCTION ref.record_guard();
    -- the floor: the trigger machinery with the cheapest C trigger there is
    CREATE TRIGGER floor BEFORE UPDATE ON bench.trg_floor
        FOR EACH ROW EXECUTE FUNCTION suppress_redundant_updates_trigger();
    -- rounds of the four tables back to back; the functions' own times are
    -- the differences to the trivial trigger within each round (pairs taken
    -- close together), their median over the rounds is the figure: the
    -- differences are small against the UPDATE, so the rounds are many
    FOR r IN 1 .. rounds LOOP
        FOR k IN 1 .. 4 LOOP
            EXECUTE format('TRUNCATE bench.%I', tabs[k]);
            EXECUTE format('INSERT INTO bench.%I SELECT %s FROM integrity.record WHERE id <= %s',
                           tabs[k], cols, n);
            t0 := clock_timestamp();
            EXECUTE format('UPDATE bench.%I SET state = ''notified''', tabs[k]);
            EXECUTE format('UPDATE bench.%I SET state = ''confirmed''', tabs[k]);
            EXECUTE format('UPDATE bench.%I SET state = ''published''', tabs[k]);
            t[k] := extract(epoch FROM clock_timestamp() - t0);
            best[k] := least(best[k], t[k]);
        END LOOP;
        own_c := own_c || (t[2] - t[4]);
        own_p := own_p || (t[3] - t[4]);
    END LOOP;
    PERFORM bench.put('trigger.c_own_s', (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY x) FROM unnest(own_c) x),
                      rounds, format('median of %s rounds', rounds));
    PERFORM bench.put('trigger.ref_own_s', (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY x) FROM unnest(own_p) x),
                      rounds, format('median of %s rounds', rounds));
    PERFORM bench.put('trigger.none_s', best[1], 3 * n);
    PERFORM bench.put('trigger.c_s', best[2], 3 * n);
    PERFORM bench.put('trigger.ref_s', best[3], 3 * n);
    PERFORM bench.put('trigger.floor_s', best[4], 3 * n);
    FOR k IN 1 .. 4 LOOP
        EXECUTE format('DROP TABLE bench.%I', tabs[k]);
    END LOOP;
END $$;

------------------------------------------------------------------------
-- C path: scores of every subject (the C aggregate score_state) against
-- the SQL CASE aggregate of ref.score_all; plain GROUP BY count as the
-- floor; and the two evaluation views (SPEC 7)
------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION bench.m_score(as_of date, reps integer DEFAULT 3) RETURNS void
    LANGUAGE plpgsql AS $$
DECLARE
    n bigint;
    tag text;
    q_base text := 'SELECT count(*) FROM (SELECT r.origin, r.subject_id, count(*) FROM integrity.record r GROUP BY 1, 2) x';
    q_c text := format(
        'SELECT count(*), sum(integrity.score_of(st, m.params)) FROM (
             SELECT r.origin, r.subject_id,
                    integrity.score_state(r.category, r.kind, r.severity, r.decided_on, r.confirmed_on,
                                          r.revoked_on, r.repaired_on, %L::date,
                                          (SELECT params FROM integrity.score_model WHERE name = ''default'')) AS st
               FROM integrity.record r GROUP BY 1, 2) x,
             (SELECT params FROM integrity.score_model WHERE name = ''default'') m', as_of);
    q_ref text := format(
        'SELECT count(*), sum(greatest(0, least(100, 100 - deduction + least(bonus, 10)))) FROM ref.score_all(%L::date)',
        as_of);
BEGIN
    SELECT count(*) INTO n FROM integrity.record;
    -- first with the plans the planner chooses (score.*), then the aggregates'
    -- own time: the same three queries with one plan shape for all (no hash
    -- aggregation: an index-only scan of record_subject_idx and a sorted
    -- GroupAggregate), so that only the aggregate differs (score.sorted.*)
    FOREACH tag IN ARRAY ARRAY['score.', 'score.sorted.'] LOOP
        IF tag = 'score.sorted.' THEN
            SET LOCAL enable_hashagg = off;
        END IF;
        PERFORM bench.put(tag || 'base_s', bench.best(q_base, reps), n);
        PERFORM bench.put(tag || 'c_s', bench.best(q_c, reps), n);
        PERFORM bench.put(tag || 'ref_s', bench.best(q_ref, reps), n);
    END LOOP;
    RESET enable_hashagg;
    -- the view's shape with count(*) for the score: every record grouped
    -- by subject, joined to the governments and departments
    PERFORM bench.put('view.base_s', bench.best(
        'SELECT count(*), sum(a.n) FROM integrity.subject s
           LEFT JOIN (SELECT r.origin, r.subject_id, count(*) AS n FROM integrity.record r GROUP BY 1, 2) a
                  ON a.origin = s.origin AND a.subject_id = s.id
          WHERE s.kind IN (''government'', ''department'')', reps), n);
    -- the same, grouping only the records of governments and departments
    PERFORM bench.put('view.filtered_s', bench.best(
        'SELECT count(*), sum(a.n) FROM integrity.subject s
           LEFT JOIN (SELECT r.origin, r.subject_id, count(*) AS n FROM integrity.record r
                        JOIN integrity.subject s2 ON s2.origin = r.origin AND s2.id = r.subject_id
                       WHERE s2.kind IN (''government'', ''department'') GROUP BY 1, 2) a
                  ON a.origin = s.origin AND a.subject_id = s.id
          WHERE s.kind IN (''government'', ''department'')', reps), n);
    PERFORM bench.put('view.c_s', bench.best(
        'SELECT count(*), sum(score), count(grade), count(*) FILTER (WHERE vetoed), max(rank_in_parent) FROM integrity.evaluation', reps), n);
    PERFORM bench.put('view.ref_s', bench.best(
        'SELECT count(*), sum(score), count(grade), count(*) FILTER (WHERE vetoed), max(rank_in_parent) FROM ref.evaluation', reps), n);
END $$;

------------------------------------------------------------------------
-- issue 15: every reporting view against the plain aggregate of the same
-- rows in the same run (SELECT origin, subject_id, count(*),
-- max(decided_on) FROM integrity.record GROUP BY 1, 2), count(*) over each,
-- rounds interleaved (view, aggregate, view, ...) and the best of each;
-- the 1.1 forms (ref.*_11) once, where they finish in reasonable time
------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION bench.m_views(reps integer DEFAULT 3, with_ref boolean DEFAULT true) RETURNS void
    LANGUAGE plpgsql AS $$
DECLARE
    n bigint;
    v text;
    views text[] := '{blacklist,redlist,monitoring_ranking,evaluation,public_record}';
    q_base text := 'SELECT count(*) FROM (SELECT origin, subject_id, count(*), max(decided_on) FROM integrity.record GROUP BY 1, 2) x';
    best_v float8;
    best_b float8;
    t float8;
    rows_v bigint;
    bad bigint := 0;
    checked bigint := 0;
    cols text;
BEGIN
    SELECT count(*) INTO n FROM integrity.record;
    PERFORM bench.best(q_base, 1);      -- warm the cache
    FOREACH v IN ARRAY views LOOP
        best_v := 'Infinity';
        best_b := 'Infinity';
        FOR k IN 1 .. reps LOOP
            t := bench.best(format('SELECT count(*) FROM integrity.%I', v), 1);
            best_v := least(best_v, t);
            t := bench.best(q_base, 1);
            best_b := least(best_b, t);
        END LOOP;
        EXECUTE format('SELECT count(*) FROM integrity.%I', v) INTO rows_v;
        PERFORM bench.put('views.' || v || '.s', best_v, rows_v, format('best of %s', reps));
        PERFORM bench.put('views.' || v || '.base_s', best_b, n, format('best of %s, interleaved', reps));
        IF with_ref AND v IN ('blacklist', 'redlist', 'monitoring_ranking') THEN
            PERFORM bench.put('views.' || v || '.ref_s',
                              bench.best(format('SELECT count(*) FROM ref.%I', v || '_11'), 1), n, 'once');
            -- and the same rows as 1.1's view, over 1.1's columns (1.2 appended
            -- the D7.5 columns to monitoring_ranking)
            SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum) INTO cols
              FROM pg_attribute a WHERE a.attrelid = ('ref.' || v || '_11')::regclass AND a.attnum > 0 AND NOT a.attisdropped;
            EXECUTE format('SELECT count(*) FROM ((SELECT %3$s FROM integrity.%1$I EXCEPT ALL SELECT %3$s FROM ref.%2$I)
                                                  UNION ALL (SELECT %3$s FROM ref.%2$I EXCEPT ALL SELECT %3$s FROM integrity.%1$I)) x',
                           v, v || '_11', cols) INTO t;
            bad := bad + t::bigint;
            checked := checked + rows_v;
        END IF;
    END LOOP;
    IF with_ref THEN
        PERFORM bench.put('check.views_11.mismatches', bad, checked,
                          'rows of blacklist, redlist, monitoring_ranking against the 1.1 views');
    END IF;
END $$;

------------------------------------------------------------------------
-- SPEC 9 latency of one call for one subject: n calls on a fixed sample
-- of subjects (after warm-up calls on others), median and tail in ms
------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION bench.m_latency(fn text, n_calls integer, as_of date) RETURNS void
    LANGUAGE plpgsql AS $$
DECLARE
    sid bigint;
    t0 timestamptz;
    lat float8[] := '{}';
    q record;
BEGIN
    FOR j IN -19 .. n_calls LOOP
        sid := bench.sample_subject(j + 1000000);
        t0 := clock_timestamp();
        CASE fn
            WHEN 'evaluate' THEN PERFORM * FROM integrity.evaluate(sid, as_of);
            WHEN 'punishment_status' THEN PERFORM * FROM integrity.punishment_status(sid, as_of);
            WHEN 'incentive_status' THEN PERFORM * FROM integrity.incentive_status(sid, as_of);
            WHEN 'ref.evaluate' THEN PERFORM * FROM ref.evaluate(sid, as_of);
            WHEN 'ref.punishment_status' THEN PERFORM * FROM ref.punishment_status(sid, as_of);
            WHEN 'ref.incentive_status' THEN PERFORM * FROM ref.incentive_status(sid, as_of);
        END CASE;
        IF j > 0 THEN
            lat := lat || extract(epoch FROM clock_timestamp() - t0) * 1000;
        END IF;
    END LOOP;
    SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY x) AS p50,
           percentile_cont(0.9) WITHIN GROUP (ORDER BY x) AS p90,
           percentile_cont(0.99) WITHIN GROUP (ORDER BY x) AS p99,
           avg(x) AS mean, max(x) AS mx
      INTO q FROM unnest(lat) AS x;
    PERFORM bench.put('lat.' || fn || '.p50_ms', q.p50, n_calls);
    PERFORM bench.put('lat.' || fn || '.p90_ms', q.p90, n_calls);
    PERFORM bench.put('lat.' || fn || '.p99_ms', q.p99, n_calls);
    PERFORM bench.put('lat.' || fn || '.mean_ms', q.mean, n_calls);
    PERFORM bench.put('lat.' || fn || '.max_ms', q.mx, n_calls);
END $$;

------------------------------------------------------------------------
-- SPEC 9 publish in one session: n confirmed records of the backlog,
-- batch per transaction (a procedure, so that it can COMMIT)
------------------------------------------------------------------------
-- (many: the array form, publish_many() of each batch in one call)
CREATE OR REPLACE PROCEDURE bench.p_publish(tag text, n integer, batch integer, rounds integer DEFAULT 1,
                                            many boolean DEFAULT false)
    LANGUAGE plpgsql AS $$
DECLARE
    ids bigint[];
    rid bigint;
    t0 timestamptz;
    k integer;
    secs float8;
    best float8 := 0;
    total float8 := 0;
    per integer := n / rounds;
BEGIN
    -- rounds of n / rounds records each: the best round is the figure (the
    -- machine is shared), the mean is kept beside it
    FOR r IN 1 .. rounds LOOP
        SELECT array_agg(x.id ORDER BY x.id) INTO ids
          FROM (SELECT rec.id FROM integrity.record rec
                 WHERE rec.origin = integrity.local_origin() AND rec.state = 'confirmed' AND rec.publishable
                   AND rec.id > (SELECT n_hist FROM bench.shape)
                 ORDER BY rec.id LIMIT per) x;
        IF coalesce(cardinality(ids), 0) < per THEN
            RAISE EXCEPTION 'only % records left to publish, % wanted', coalesce(cardinality(ids), 0), per;
        END IF;
        COMMIT;
        k := 0;
        t0 := clock_timestamp();
        IF many THEN
            WHILE k < per LOOP
                PERFORM integrity.publish_many(ids[k + 1 : k + batch]);
                k := k + batch;
                COMMIT;
            END LOOP;
        ELSE
            FOREACH rid IN ARRAY ids LOOP
                PERFORM integrity.publish(rid);
                k := k + 1;
                IF k % batch = 0 THEN
                    COMMIT;
                END IF;
            END LOOP;
        END IF;
        COMMIT;
        secs := extract(epoch FROM clock_timestamp() - t0);
        best := greatest(best, per / secs);
        total := total + secs;
    END LOOP;
    PERFORM bench.put('publish.' || tag || '.per_s', best, per * rounds,
                      format('batch %s, synchronous_commit %s', batch, current_setting('synchronous_commit')));
    PERFORM bench.put('publish.' || tag || '.mean_per_s', per * rounds / total, per * rounds,
                      format('%s rounds of %s', rounds, per));
    COMMIT;
END $$;

------------------------------------------------------------------------
-- SPEC 9 verify_chain: every signature of the entries that publish
-- signed (after the loaded history), and 'head' over the whole log;
-- the PL/pgSQL hash chain on a prefix of the same log
------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION bench.m_verify(reps integer DEFAULT 2, ref_rows bigint DEFAULT 200000) RETURNS void
    LANGUAGE plpgsql AS $$
DECLARE
    hist bigint := coalesce(bench.get('chain.len'), 0)::bigint;
    r record;
    t0 timestamptz;
    t float8;
    best float8;
    total bigint;
BEGIN
    SELECT count(*) INTO total FROM integrity.disclosure;      -- warm the cache
    best := 'Infinity';
    FOR k IN 1 .. reps LOOP
        t0 := clock_timestamp();
        SELECT * INTO r FROM integrity.verify_chain(NULL, hist + 1, 'all');
        t := extract(epoch FROM clock_timestamp() - t0);
        IF NOT r.ok THEN
            RAISE EXCEPTION 'verify_chain(all) from % failed at %', hist + 1, r.first_bad;
        END IF;
        best := least(best, t);
    END LOOP;
    PERFORM bench.put('verify.all.per_s', r.checked / best, r.checked);
    best := 'Infinity';
    FOR k IN 1 .. reps LOOP
        t0 := clock_timestamp();
        SELECT * INTO r FROM integrity.verify_chain(NULL, 1, 'head');
        t := extract(epoch FROM clock_timestamp() - t0);
        IF NOT r.ok THEN
            RAISE EXCEPTION 'verify_chain(head) failed at %', r.first_bad;
        END IF;
        best := least(best, t);
    END LOOP;
    PERFORM bench.put('verify.head.per_s', r.checked / best, r.checked);
    PERFORM bench.put('verify.head.c_us', best * 1e6 / r.checked, r.checked);
    t0 := clock_timestamp();
    SELECT * INTO r FROM ref.verify_chain_hashes(NULL, CASE WHEN total > ref_rows THEN ref_rows END);
    t := extract(epoch FROM clock_timestamp() - t0);
    PERFORM bench.put('verify.head.ref_us', t * 1e6 / greatest(r.checked, 1), r.checked);
    PERFORM bench.put('check.verify.mismatches', CASE WHEN r.ok THEN 0 ELSE 1 END, r.checked,
                      CASE WHEN NOT r.ok THEN format('reference chain check failed at %s', r.first_bad) END);
END $$;

------------------------------------------------------------------------
-- correctness: the extension and the reference give the same answers
------------------------------------------------------------------------

-- D1: valid codes, and variants of them that are mostly invalid
CREATE OR REPLACE FUNCTION bench.x_ident(n bigint) RETURNS void
    LANGUAGE plpgsql AS $$
DECLARE q record;
BEGIN
    WITH c AS (SELECT i, uscc, cn_id FROM bench.codes WHERE i <= n),
    u(s) AS (
        SELECT uscc FROM c
        UNION ALL SELECT lower(uscc) FROM c WHERE i % 7 = 0
        UNION ALL SELECT ' ' || uscc || E'\t' FROM c WHERE i % 11 = 0
        UNION ALL SELECT overlay(uscc PLACING substr('0123456789ABCDEFGHJKLMNPQRTUWXYIOSVZ#a é', 1 + (i * 7 % 41)::integer, 1)
                                 FROM 1 + (i % 18)::integer FOR 1) FROM c
        UNION ALL SELECT overlay(uscc PLACING substr(uscc, 2 + (i % 16)::integer, 1) || substr(uscc, 1 + (i % 16)::integer, 1)
                                 FROM 1 + (i % 16)::integer FOR 2) FROM c
        UNION ALL SELECT left(uscc, 17) FROM c WHERE i % 13 = 0
        UNION ALL SELECT uscc || '0' FROM c WHERE i % 13 = 1
        UNION ALL VALUES ('91350100M000100Y43'), ('91350100M0001TGQXM'), ('A1110000600037341K'), (''), ('Y1'))
    SELECT count(*) AS total,
           count(*) FILTER (WHERE integrity.uscc_is_valid(s) IS DISTINCT FROM ref.uscc_valid(s)) AS bad,
           count(*) FILTER (WHERE ref.uscc_valid(s)) AS valid,
           min(s) FILTER (WHERE integrity.uscc_is_valid(s) IS DISTINCT FROM ref.uscc_valid(s)) AS example
      INTO q FROM u;
    PERFORM bench.put('check.uscc.mismatches', q.bad, q.total,
                      format('%s of %s strings valid%s', q.valid, q.total,
                             CASE WHEN q.example IS NOT NULL THEN ', e.g. ' || quote_literal(q.example) ELSE '' END));
    WITH c AS (SELECT i, cn_id FROM bench.codes WHERE i <= n),
    u(s) AS (
        SELECT cn_id FROM c
        UNION ALL SELECT lower(cn_id) FROM c WHERE cn_id LIKE '%X'
        UNION ALL SELECT ' ' || cn_id || ' ' FROM c WHERE i % 11 = 0
        UNION ALL SELECT overlay(cn_id PLACING substr('0123456789Xx#A ', 1 + (i * 7 % 15)::integer, 1)
                                 FROM 1 + (i % 18)::integer FOR 1) FROM c
        -- dates: month 13, 30 February, 29 February, the future, before 1800
        UNION ALL SELECT overlay(cn_id PLACING '13' FROM 11 FOR 2) FROM c WHERE i % 5 = 0
        UNION ALL SELECT overlay(cn_id PLACING CASE i % 4 WHEN 0 THEN '20000229' WHEN 1 THEN '19000229'
                                                          WHEN 2 THEN '19990230' ELSE '17991231' END
                                 FROM 7 FOR 8) FROM c WHERE i % 3 = 0
        UNION ALL SELECT overlay(cn_id PLACING to_char(current_date + 1 + (i % 400)::integer, 'YYYYMMDD') FROM 7 FOR 8)
                    FROM c WHERE i % 17 = 0
        UNION ALL VALUES ('11010519491231002X'), ('440524188001010014'), ('11010519491231002x'), (''))
    SELECT count(*) AS total,
           count(*) FILTER (WHERE integrity.cn_id_is_valid(s) IS DISTINCT FROM ref.cn_id_valid(s)) AS bad,
           count(*) FILTER (WHERE ref.cn_id_valid(s)) AS valid,
           min(s) FILTER (WHERE integrity.cn_id_is_valid(s) IS DISTINCT FROM ref.cn_id_valid(s)) AS example
      INTO q FROM u;
    PERFORM bench.put('check.cn_id.mismatches', q.bad, q.total,
                      format('%s of %s strings valid%s', q.valid, q.total,
                             CASE WHEN q.example IS NOT NULL THEN ', e.g. ' || quote_literal(q.example) ELSE '' END));
END $$;

-- D2: every (state, target state) pair, with the earliest repair date and
-- the end of publicity passed or not, publishable or not; and changes of
-- content and of lifecycle columns without a transition
CREATE OR REPLACE FUNCTION bench.x_lifecycle() RETURNS void
    LANGUAGE plpgsql AS $$
DECLARE
    tabs text[] := '{lc_c,lc_p}';
    c record;
    outcome text;
    res text[];
    bad integer := 0;
    total integer := 0;
    example text;
    ops text[] := ARRAY['state', 'summary', 'remedied', 'confirmed_on'];
BEGIN
    FOR k IN 1 .. 2 LOOP
        EXECUTE format('DROP TABLE IF EXISTS bench.%I', tabs[k]);
        EXECUTE format('CREATE TABLE bench.%I (LIKE integrity.record INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', tabs[k]);
    END LOOP;
    CREATE TRIGGER record_guard BEFORE INSERT OR UPDATE OR DELETE ON bench.lc_c
        FOR EACH ROW EXECUTE FUNCTION integrity.record_guard();
    CREATE TRIGGER record_guard BEFORE INSERT OR UPDATE OR DELETE ON bench.lc_p
        FOR EACH ROW EXECUTE FUNCTION ref.record_guard();
    DROP TABLE IF EXISTS bench.lc_case;
    CREATE TABLE bench.lc_case AS
    SELECT 1000000000 + row_number() OVER () AS id, f.s AS from_state, t.s AS to_state, v.variant, o.op
      FROM unnest(enum_range(NULL::integrity.record_state)) AS f(s)
     CROSS JOIN unnest(enum_range(NULL::integrity.record_state)) AS t(s)
     CROSS JOIN generate_series(0, 3) AS v(variant)
     CROSS JOIN unnest(ops) AS o(op)
     WHERE o.op = 'state' OR t.s = 'collected';     -- the other operations once per state
    -- one row per case, made from a real record, in state from_state
    -- (loaded as pg_restore would: without the triggers)
    PERFORM set_config('session_replication_role', 'replica', true);
    FOR k IN 1 .. 2 LOOP
        EXECUTE format('INSERT INTO bench.%I SELECT * FROM integrity.record ORDER BY id LIMIT 1', tabs[k]);
        EXECUTE format($f$
            INSERT INTO bench.%1$I
            SELECT p.* FROM bench.%1$I t CROSS JOIN bench.lc_case lc
             CROSS JOIN LATERAL jsonb_populate_record(t, to_jsonb(t) || jsonb_build_object(
                    'id', lc.id, 'state', lc.from_state,
                    'publishable', lc.variant <> 2,
                    'repair_allowed_from', CASE WHEN lc.variant IN (0, 2) THEN current_date - 10 ELSE current_date + 10 END,
                    'publicity_until', CASE WHEN lc.variant IN (0, 2) THEN current_date ELSE current_date + 100 END,
                    'state_before_objection', CASE WHEN lc.from_state = 'objected'
                                                   THEN CASE WHEN lc.variant %% 2 = 0 THEN 'published' ELSE 'confirmed' END END,
                    'objection_due', CASE WHEN lc.from_state = 'objected' THEN current_date + 5 END,
                    'objected_on', CASE WHEN lc.from_state = 'objected' THEN current_date - 1 END,
                    'confirmed_on', CASE WHEN lc.from_state NOT IN ('collected', 'notified') THEN current_date - 20 END,
                    'published_on', CASE WHEN lc.from_state IN ('published', 'repaired', 'expired')
                                           OR (lc.from_state = 'objected' AND lc.variant %% 2 = 0) THEN current_date - 15 END,
                    'repaired_on', CASE WHEN lc.from_state = 'repaired' THEN current_date - 2 END,
                    'revoked_on', CASE WHEN lc.from_state = 'revoked' THEN current_date - 2 END,
                    'expired_on', CASE WHEN lc.from_state = 'expired' THEN current_date - 2 END,
                    'remedied', lc.variant = 3 AND lc.op <> 'remedied',
                    'remedied_on', CASE WHEN lc.variant = 3 AND lc.op <> 'remedied' THEN current_date - 1 END)) AS p$f$, tabs[k]);
        EXECUTE format('DELETE FROM bench.%I WHERE id < 1000000000', tabs[k]);
    END LOOP;
    PERFORM set_config('session_replication_role', 'origin', true);
    FOR c IN SELECT * FROM bench.lc_case ORDER BY id LOOP
        res := '{}';
        FOR k IN 1 .. 2 LOOP
            BEGIN
                CASE c.op
                    WHEN 'state' THEN
                        EXECUTE format('UPDATE bench.%I SET state = %L, objection_due = CASE WHEN %L = ''objected'' THEN current_date + 5 ELSE objection_due END WHERE id = %s',
                                       tabs[k], c.to_state, c.to_state, c.id);
                    WHEN 'summary' THEN
                        EXECUTE format('UPDATE bench.%I SET summary = summary || ''!'' WHERE id = %s', tabs[k], c.id);
                    WHEN 'remedied' THEN
                        EXECUTE format('UPDATE bench.%I SET remedied = true WHERE id = %s', tabs[k], c.id);
                    WHEN 'confirmed_on' THEN
                        EXECUTE format('UPDATE bench.%I SET confirmed_on = current_date - 3 WHERE id = %s', tabs[k], c.id);
                END CASE;
                EXECUTE format($f$SELECT concat_ws(',', state, state_before_objection, confirmed_on, published_on,
                                       objected_on, objection_due, repaired_on, revoked_on, expired_on, remedied,
                                       remedied_on, summary) FROM bench.%I WHERE id = %s$f$, tabs[k], c.id)
                   INTO outcome;
                outcome := 'ok ' || outcome;
            EXCEPTION WHEN OTHERS THEN
                outcome := 'error ' || SQLSTATE;
            END;
            res := res || outcome;
        END LOOP;
        total := total + 1;
        IF res[1] IS DISTINCT FROM res[2] THEN
            bad := bad + 1;
            example := coalesce(example, format('%s %s->%s variant %s: C %s, reference %s',
                                                c.op, c.from_state, c.to_state, c.variant, res[1], res[2]));
        END IF;
    END LOOP;
    PERFORM bench.put('check.lifecycle.mismatches', bad, total, example);
    DROP TABLE bench.lc_c, bench.lc_p, bench.lc_case;
END $$;

-- D5: evaluate against ref.evaluate on a sample of subjects, and the
-- bulk scores of every subject
CREATE OR REPLACE FUNCTION bench.x_evaluate(n integer, as_of date) RETURNS void
    LANGUAGE plpgsql AS $$
DECLARE
    sid bigint;
    a record;
    b record;
    bad integer := 0;
    example text;
BEGIN
    FOR j IN 1 .. n LOOP
        sid := bench.sample_subject(j, 91);
        SELECT * INTO a FROM integrity.evaluate(sid, as_of);
        SELECT * INTO b FROM ref.evaluate(sid, as_of);
        IF a.score IS DISTINCT FROM b.score OR a.grade IS DISTINCT FROM b.grade OR a.vetoed IS DISTINCT FROM b.vetoed
           OR (a.breakdown - 'not_counted') IS DISTINCT FROM (b.breakdown - 'not_counted')
           OR (SELECT array_agg(x ORDER BY x::text) FROM jsonb_array_elements(a.breakdown -> 'not_counted') x)
              IS DISTINCT FROM (SELECT array_agg(x ORDER BY x::text) FROM jsonb_array_elements(b.breakdown -> 'not_counted') x) THEN
            bad := bad + 1;
            example := coalesce(example, format('subject %s: C %s %s %s, reference %s %s %s', sid,
                                                a.score, a.grade, a.vetoed, b.score, b.grade, b.vetoed));
        END IF;
    END LOOP;
    PERFORM bench.put('check.evaluate.mismatches', bad, n, example);

    -- every subject: the C aggregate against the SQL aggregate
    WITH c AS (
        SELECT x.origin, x.subject_id, integrity.score_of(x.st, m.params) AS score, coalesce(x.st[3] > 0, false) AS vetoed
          FROM (SELECT r.origin, r.subject_id,
                       integrity.score_state(r.category, r.kind, r.severity, r.decided_on, r.confirmed_on,
                                             r.revoked_on, r.repaired_on, as_of,
                                             (SELECT params FROM integrity.score_model WHERE name = 'default')) AS st
                  FROM integrity.record r GROUP BY 1, 2) x,
               (SELECT params FROM integrity.score_model WHERE name = 'default') m),
    r AS (
        SELECT s.origin, s.id AS subject_id,
               round(greatest(0, least(100, 100 - coalesce(sa.deduction, 0) + least(coalesce(sa.bonus, 0), 10))), 2) AS score,
               coalesce(sa.vetoed, false) AS vetoed
          FROM integrity.subject s LEFT JOIN ref.score_all(as_of) sa ON sa.origin = s.origin AND sa.subject_id = s.id)
    SELECT count(*) AS total,
           count(*) FILTER (WHERE coalesce(c.score, 100) <> r.score OR coalesce(c.vetoed, false) <> r.vetoed) AS bad,
           min(r.subject_id) FILTER (WHERE coalesce(c.score, 100) <> r.score OR coalesce(c.vetoed, false) <> r.vetoed) AS example
      INTO a
      FROM r LEFT JOIN c ON c.origin = r.origin AND c.subject_id = r.subject_id;
    PERFORM bench.put('check.score_all.mismatches', a.bad, a.total,
                      CASE WHEN a.example IS NOT NULL THEN format('e.g. subject %s', a.example) END);
END $$;

-- D3: punishment_status and incentive_status against the reference, on
-- the subjects with safety records (where the rules bite) and a sample
CREATE OR REPLACE FUNCTION bench.x_lists(n integer, as_of date) RETURNS void
    LANGUAGE plpgsql AS $$
DECLARE
    sid bigint;
    a record;
    b record;
    bad_p integer := 0;
    bad_i integer := 0;
    total integer := 0;
    listed integer := 0;
    eligible integer := 0;
    ex_p text;
    ex_i text;
BEGIN
    FOR sid IN
        (SELECT DISTINCT r.subject_id FROM integrity.record r
          WHERE r.category IN ('safety_accident', 'safety_violation', 'safety_standard_level1')
            AND r.decided_on > as_of - 1200 AND r.decided_on <= as_of
          ORDER BY r.subject_id LIMIT n)
        UNION
        (SELECT bench.sample_subject(j, 93) FROM generate_series(1, n) AS j)
    LOOP
        total := total + 1;
        SELECT * INTO a FROM integrity.punishment_status(sid, as_of);
        SELECT * INTO b FROM ref.punishment_status(sid, as_of);
        IF a.level IS DISTINCT FROM b.level OR a.listed_from IS DISTINCT FROM b.listed_from
           OR a.listed_until IS DISTINCT FROM b.listed_until THEN
            bad_p := bad_p + 1;
            ex_p := coalesce(ex_p, format('subject %s: C %s %s-%s, reference %s %s-%s', sid,
                                          a.level, a.listed_from, a.listed_until, b.level, b.listed_from, b.listed_until));
        END IF;
        IF a.level <> 'none' THEN listed := listed + 1; END IF;
        SELECT * INTO a FROM integrity.incentive_status(sid, as_of);
        SELECT * INTO b FROM ref.incentive_status(sid, as_of);
        IF a.eligible IS DISTINCT FROM b.eligible OR a.failed IS DISTINCT FROM b.failed
           OR a.valid_until IS DISTINCT FROM b.valid_until THEN
            bad_i := bad_i + 1;
            ex_i := coalesce(ex_i, format('subject %s: C %s %s, reference %s %s', sid, a.eligible, a.failed,
                                          b.eligible, b.failed));
        END IF;
        IF a.eligible THEN eligible := eligible + 1; END IF;
    END LOOP;
    PERFORM bench.put('check.punishment.mismatches', bad_p, total,
                      coalesce(ex_p, format('%s of %s subjects listed', listed, total)));
    PERFORM bench.put('check.incentive.mismatches', bad_i, total,
                      coalesce(ex_i, format('%s of %s subjects eligible', eligible, total)));
END $$;

------------------------------------------------------------------------
-- the table of targets
------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION bench.report()
    RETURNS TABLE(ord integer, target text, goal text, measured text, reference text, ratio text, result text)
    LANGUAGE plpgsql STABLE AS $$
DECLARE
    v float8;
    c float8;
    r float8;
    b float8;
    n float8;
    nrec bigint := (SELECT n_records FROM bench.shape);
BEGIN
    -- identifier input (net of the scan that both sides share)
    FOR k IN 1 .. 2 LOOP
        DECLARE t text := (ARRAY['uscc', 'cn_id'])[k];
        BEGIN
            n := bench.get('ident.n');
            b := bench.get('ident.' || t || '.base_s');
            c := bench.get('ident.' || t || '.c_s');
            r := bench.get('ident.' || t || '.ref_s');
            IF c IS NOT NULL THEN
                ord := k; target := t || ' input (cast of ' || n::bigint || ' strings) vs PL/pgSQL CHECK domain';
                goal := '>= 20x';
                measured := format('%s us/value', round(((c - b) * 1e6 / n)::numeric, 3));
                reference := format('%s us/value', round(((r - b) * 1e6 / n)::numeric, 3));
                v := (r - b) / greatest(c - b, 1e-9);
                ratio := format('%sx', round(v::numeric, 1));
                result := CASE WHEN v >= 20 THEN 'PASS' ELSE 'MISS' END;
                RETURN NEXT;
            END IF;
        END;
    END LOOP;
    -- COPY
    c := bench.get('copy.copy_uscc_s');
    b := bench.get('copy.copy_text_s');
    IF c IS NOT NULL THEN
        n := (SELECT raw.n FROM bench.raw WHERE name = 'copy.copy_uscc_s');
        ord := 3; target := format('COPY %s rows into a uscc column vs a text column', n::bigint);
        goal := '<= 1.20x';
        measured := format('%s s', round(c::numeric, 3));
        reference := format('%s s (text)', round(b::numeric, 3));
        v := c / b;
        ratio := format('%sx', round(v::numeric, 2));
        result := CASE WHEN v <= 1.2 THEN 'PASS' ELSE 'MISS' END;
        RETURN NEXT;
        c := bench.get('copy.copy_cn_id_s');
        b := bench.get('copy.copy_cn_text_s');
        ord := 4; target := format('COPY %s rows into a cn_id column vs a text column', n::bigint);
        goal := '(info)';
        measured := format('%s s', round(c::numeric, 3));
        reference := format('%s s (text)', round(b::numeric, 3));
        ratio := format('%sx', round((c / b)::numeric, 2));
        result := 'info';
        RETURN NEXT;
        c := bench.get('copy.copy_ref_s');
        b := bench.get('copy.copy_text_s');
        ord := 5; target := format('COPY %s rows into the PL/pgSQL domain ref.uscc_text vs text', n::bigint);
        goal := '(info)';
        measured := format('%s s', round(c::numeric, 3));
        reference := format('%s s (text)', round(b::numeric, 3));
        ratio := format('%sx', round((c / b)::numeric, 2));
        result := 'info';
        RETURN NEXT;
    END IF;
    -- publish
    v := bench.get('publish.batch.per_s');
    IF v IS NOT NULL THEN
        ord := 6; target := 'publish (sign + chain), one session, '
                            || (SELECT note FROM bench.raw WHERE name = 'publish.batch.per_s');
        goal := '>= 5000/s';
        measured := format('%s/s (best round; mean %s/s)', round(v::numeric),
                           round(bench.get('publish.batch.mean_per_s')::numeric));
        reference := '';
        ratio := format('%sx', round((v / 5000)::numeric, 2));
        result := CASE WHEN v >= 5000 THEN 'PASS' ELSE 'MISS' END;
        RETURN NEXT;
    END IF;
    v := bench.get('publish.many.per_s');
    IF v IS NOT NULL THEN
        ord := 29; target := 'publish_many (the array form, one call per batch), one session, '
                            || (SELECT note FROM bench.raw WHERE name = 'publish.many.per_s');
        goal := '(info)';
        measured := format('%s/s (best round; mean %s/s)', round(v::numeric),
                           round(bench.get('publish.many.mean_per_s')::numeric));
        reference := '';
        ratio := format('%sx', round((v / 5000)::numeric, 2));
        result := 'info';
        RETURN NEXT;
    END IF;
    FOR k IN 1 .. 2 LOOP
        DECLARE t text := (ARRAY['sync_on', 'sync_off'])[k];
        BEGIN
            v := bench.get('publish.' || t || '.per_s');
            IF v IS NOT NULL THEN
                ord := 6 + k; target := 'publish, one transaction each, '
                                        || (SELECT note FROM bench.raw WHERE name = 'publish.' || t || '.per_s');
                goal := '(info)';
                measured := format('%s/s', round(v::numeric));
                reference := '';
                ratio := format('%sx', round((v / 5000)::numeric, 2));
                result := 'info';
                RETURN NEXT;
            END IF;
        END;
    END LOOP;
    -- verify_chain
    v := bench.get('verify.all.per_s');
    r := bench.get('openssl.verify_per_s');
    IF v IS NOT NULL THEN
        ord := 9; target := format('verify_chain(signatures => ''all''), %s entries, vs openssl speed ed25519 verify',
                                   (SELECT raw.n FROM bench.raw WHERE name = 'verify.all.per_s'));
        goal := '>= 80%';
        measured := format('%s/s', round(v::numeric));
        reference := format('%s/s (openssl speed: %s)', round(r::numeric),
                            (SELECT note FROM bench.raw WHERE name = 'openssl.verify_per_s'));
        ratio := format('%s%%', round((100 * v / r)::numeric, 1));
        result := CASE WHEN v >= 0.8 * r THEN 'PASS' ELSE 'MISS' END;
        RETURN NEXT;
    END IF;
    v := bench.get('verify.head.per_s');
    IF v IS NOT NULL THEN
        ord := 10; target := format('verify_chain(signatures => ''head''), %s entries',
                                    (SELECT raw.n FROM bench.raw WHERE name = 'verify.head.per_s'));
        goal := '>= 500000/s';
        measured := format('%s/s', round(v::numeric));
        reference := '';
        ratio := format('%sx', round((v / 500000)::numeric, 2));
        result := CASE WHEN v >= 500000 THEN 'PASS' ELSE 'MISS' END;
        RETURN NEXT;
    END IF;
    -- one subject among n_records
    FOR k IN 1 .. 3 LOOP
        DECLARE fn text := (ARRAY['punishment_status', 'incentive_status', 'evaluate'])[k];
        BEGIN
            v := bench.get('lat.' || fn || '.p50_ms');
            IF v IS NOT NULL THEN
                ord := 10 + k;
                target := format('%s, one subject among %s records, median of %s', fn, nrec,
                                 (SELECT raw.n FROM bench.raw WHERE name = 'lat.' || fn || '.p50_ms'));
                goal := '< 1 ms';
                measured := format('%s ms (p90 %s, p99 %s)', round(v::numeric, 3),
                                   round(bench.get('lat.' || fn || '.p90_ms')::numeric, 3),
                                   round(bench.get('lat.' || fn || '.p99_ms')::numeric, 3));
                reference := format('%s ms (ref.%s)', round(bench.get('lat.ref.' || fn || '.p50_ms')::numeric, 3), fn);
                ratio := format('%sx', round((1 / v)::numeric, 2));
                result := CASE WHEN v < 1 THEN 'PASS' ELSE 'MISS' END;
                RETURN NEXT;
            END IF;
        END;
    END LOOP;
    -- C paths against their references.  Each comparison is made on the
    -- function's own time: the same statement without the function's work
    -- (the UPDATE with the cheapest C trigger there is; the same GROUP BY
    -- with count(*)) is what both sides pay and is subtracted; the ratio of
    -- the whole statements follows as an info row.
    c := bench.get('trigger.c_own_s');
    r := bench.get('trigger.ref_own_s');
    IF c IS NOT NULL THEN
        n := (SELECT raw.n FROM bench.raw WHERE name = 'trigger.c_s');
        ord := 20; target := format('C path: record_guard trigger vs PL/pgSQL trigger (%s transitions; '
                                    'the functions'' own time: net of the UPDATE with a trivial C trigger, '
                                    'median of %s paired rounds)', n::bigint,
                                    (SELECT raw.n FROM bench.raw WHERE name = 'trigger.c_own_s')::bigint);
        goal := '>= 10x';
        measured := format('%s us/row', round((c * 1e6 / n)::numeric, 3));
        reference := format('%s us/row', round((r * 1e6 / n)::numeric, 3));
        v := r / greatest(c, 1e-12);
        IF c <= 0 THEN      -- below what the rounds can resolve: no ratio
            ratio := 'n/a'; result := 'MISS';
        ELSE
            ratio := format('%sx', round(v::numeric, 1));
            result := CASE WHEN v >= 10 THEN 'PASS' ELSE 'MISS' END;
        END IF;
        RETURN NEXT;
        c := bench.get('trigger.c_s') - bench.get('trigger.none_s');
        r := bench.get('trigger.ref_s') - bench.get('trigger.none_s');
        ord := 27; target := 'record_guard vs PL/pgSQL trigger, with the trigger machinery (net of the UPDATE without a trigger)';
        goal := '(info)';
        measured := format('%s us/row (a trivial C trigger: %s)', round((c * 1e6 / n)::numeric, 3),
                           round(((bench.get('trigger.floor_s') - bench.get('trigger.none_s')) * 1e6 / n)::numeric, 3));
        reference := format('%s us/row', round((r * 1e6 / n)::numeric, 3));
        ratio := format('%sx', round((r / greatest(c, 1e-9))::numeric, 1));
        result := 'info';
        RETURN NEXT;
    END IF;
    c := bench.get('score.sorted.c_s');
    r := bench.get('score.sorted.ref_s');
    b := bench.get('score.sorted.base_s');
    IF c IS NOT NULL THEN
        n := (SELECT raw.n FROM bench.raw WHERE name = 'score.c_s');
        ord := 21; target := 'C path: score aggregate vs SQL CASE aggregate (ref.score_all), every subject '
                             '(own time: net of the same GROUP BY with count(*), all three with one sorted plan)';
        goal := '>= 10x';
        measured := format('%s s (%s us/record)', round((c - b)::numeric, 3), round(((c - b) * 1e6 / n)::numeric, 3));
        reference := format('%s s (%s us/record)', round((r - b)::numeric, 3), round(((r - b) * 1e6 / n)::numeric, 3));
        v := (r - b) / greatest(c - b, 1e-9);
        ratio := format('%sx', round(v::numeric, 1));
        result := CASE WHEN v >= 10 AND c - b > 0 THEN 'PASS' ELSE 'MISS' END;
        RETURN NEXT;
        c := bench.get('score.c_s');
        r := bench.get('score.ref_s');
        b := bench.get('score.base_s');
        ord := 28; target := 'score aggregate vs ref.score_all, whole queries, plans of the planner''s choice';
        goal := '(info)';
        measured := format('%s s (GROUP BY count alone %s s)', round(c::numeric, 3), round(b::numeric, 3));
        reference := format('%s s', round(r::numeric, 3));
        ratio := format('%sx', round((r / c)::numeric, 2));
        result := 'info';
        RETURN NEXT;
    END IF;
    c := bench.get('lat.evaluate.p50_ms');
    r := bench.get('lat.ref.evaluate.p50_ms');
    IF c IS NOT NULL THEN
        ord := 22; target := 'C path: evaluate vs ref.evaluate (SQL), one subject, median';
        goal := '>= 10x';
        measured := format('%s ms', round(c::numeric, 3));
        reference := format('%s ms', round(r::numeric, 3));
        v := r / c;
        ratio := format('%sx', round(v::numeric, 2));
        result := CASE WHEN v >= 10 THEN 'PASS' ELSE 'MISS' END;
        RETURN NEXT;
    END IF;
    c := bench.get('verify.head.c_us');
    r := bench.get('verify.head.ref_us');
    IF c IS NOT NULL THEN
        ord := 23; target := 'C path: verify_chain(head) vs PL/pgSQL hash chain (ref.verify_chain_hashes)';
        goal := '>= 10x';
        measured := format('%s us/entry', round(c::numeric, 3));
        reference := format('%s us/entry', round(r::numeric, 3));
        v := r / c;
        ratio := format('%sx', round(v::numeric, 1));
        result := CASE WHEN v >= 10 THEN 'PASS' ELSE 'MISS' END;
        RETURN NEXT;
    END IF;
    FOR k IN 1 .. 2 LOOP
        DECLARE fn text := (ARRAY['punishment_status', 'incentive_status'])[k];
        BEGIN
            c := bench.get('lat.' || fn || '.p50_ms');
            r := bench.get('lat.ref.' || fn || '.p50_ms');
            IF c IS NOT NULL THEN
                ord := 23 + k; target := format('%s (PL/pgSQL in the extension, no C path) vs ref.%s, median', fn, fn);
                goal := '(info)';
                measured := format('%s ms', round(c::numeric, 3));
                reference := format('%s ms', round(r::numeric, 3));
                ratio := format('%sx', round((r / c)::numeric, 2));
                result := 'info';
                RETURN NEXT;
            END IF;
        END;
    END LOOP;
    c := bench.get('view.c_s');
    r := bench.get('view.ref_s');
    b := bench.get('view.base_s');
    IF c IS NOT NULL THEN
        ord := 26; target := 'evaluation view (all governments and departments) vs ref.evaluation';
        goal := '(info)';
        measured := format('%s s (= %sx the same GROUP BY with count(*); %sx a count of their records only)',
                           round(c::numeric, 3), round((c / b)::numeric, 2),
                           round((c / bench.get('view.filtered_s'))::numeric, 1));
        reference := format('%s s', round(r::numeric, 3));
        ratio := format('%sx', round((r / c)::numeric, 2));
        result := 'info';
        RETURN NEXT;
    END IF;
    -- issue 15: each reporting view against the plain GROUP BY of the same rows
    FOR k IN 1 .. 5 LOOP
        DECLARE vw text := (ARRAY['blacklist', 'redlist', 'monitoring_ranking', 'evaluation', 'public_record'])[k];
        BEGIN
            c := bench.get('views.' || vw || '.s');
            b := bench.get('views.' || vw || '.base_s');
            IF c IS NOT NULL THEN
                ord := 50 + k;
                target := format('view %s, count(*), vs SELECT origin, subject_id, count(*), max(decided_on) ... GROUP BY 1, 2 (%s rows)',
                                 vw, (SELECT raw.n FROM bench.raw WHERE name = 'views.' || vw || '.s'));
                goal := '<= 2x';
                measured := format('%s s', round(c::numeric, 3));
                r := bench.get('views.' || vw || '.ref_s');
                reference := format('%s s (GROUP BY)%s', round(b::numeric, 3),
                                    CASE WHEN r IS NOT NULL THEN format('; 1.1 view %s s', round(r::numeric, 3)) ELSE '' END);
                v := c / b;
                ratio := format('%sx', round(v::numeric, 2));
                result := CASE WHEN v <= 2 THEN 'PASS' ELSE 'MISS' END;
                RETURN NEXT;
            END IF;
        END;
    END LOOP;
    -- correctness
    ord := 30;
    FOR target, v, n, reference IN
        SELECT raw.name, raw.value, raw.n, raw.note FROM bench.raw WHERE raw.name LIKE 'check.%' ORDER BY raw.name
    LOOP
        ord := ord + 1;
        target := 'same answers as the reference: ' || replace(replace(target, 'check.', ''), '.mismatches', '');
        goal := '0 mismatches';
        measured := format('%s of %s', v::bigint, n::bigint);
        reference := coalesce(reference, '');
        ratio := '';
        result := CASE WHEN v = 0 THEN 'PASS' ELSE 'FAIL' END;
        RETURN NEXT;
    END LOOP;
END $$;
