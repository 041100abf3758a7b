-- bench/smoke.sql: the checks of `make bench-smoke`, one row per target
-- of SPEC 9 and per correctness check: (ok, name, detail).  On small data
-- the targets themselves are not checked, only that every measurement ran
-- and gave a sane number (finite, positive); the extension and the
-- reference must agree exactly.
WITH req(ord, name, keys) AS (VALUES
    (1, 'uscc input: C type vs PL/pgSQL CHECK domain', ARRAY['ident.uscc.c_s', 'ident.uscc.ref_s', 'ident.uscc.base_s']),
    (2, 'cn_id input: C type vs PL/pgSQL CHECK domain', ARRAY['ident.cn_id.c_s', 'ident.cn_id.ref_s', 'ident.cn_id.base_s']),
    (3, 'COPY into uscc vs text', ARRAY['copy.copy_uscc_s', 'copy.copy_text_s', 'copy.copy_ref_s', 'copy.copy_cn_id_s', 'copy.copy_cn_text_s']),
    (4, 'publish rate, batches of 1000 (publish and publish_many)', ARRAY['publish.batch.per_s', 'publish.many.per_s']),
    (5, 'publish rate, one transaction each, synchronous_commit on and off', ARRAY['publish.sync_on.per_s', 'publish.sync_off.per_s']),
    (6, 'verify_chain all signatures vs openssl speed ed25519', ARRAY['verify.all.per_s', 'openssl.verify_per_s']),
    (7, 'verify_chain head, and the PL/pgSQL hash chain', ARRAY['verify.head.per_s', 'verify.head.c_us', 'verify.head.ref_us']),
    (8, 'punishment_status latency (and ref)', ARRAY['lat.punishment_status.p50_ms', 'lat.ref.punishment_status.p50_ms']),
    (9, 'incentive_status latency (and ref)', ARRAY['lat.incentive_status.p50_ms', 'lat.ref.incentive_status.p50_ms']),
    (10, 'evaluate latency (and ref)', ARRAY['lat.evaluate.p50_ms', 'lat.ref.evaluate.p50_ms']),
    (11, 'C path: record_guard trigger vs PL/pgSQL trigger', ARRAY['trigger.c_s', 'trigger.ref_s', 'trigger.none_s', 'trigger.floor_s', 'trigger.ref_own_s']),
    (12, 'C path: score_state aggregate vs SQL scoring', ARRAY['score.c_s', 'score.ref_s', 'score.base_s', 'score.sorted.c_s', 'score.sorted.ref_s', 'score.sorted.base_s']),
    (13, 'evaluation view vs ref.evaluation', ARRAY['view.c_s', 'view.ref_s', 'view.base_s']),
    (14, 'reporting views vs the plain GROUP BY (issue 15)',
        ARRAY['views.blacklist.s', 'views.redlist.s', 'views.monitoring_ranking.s', 'views.evaluation.s',
              'views.public_record.s', 'views.blacklist.base_s', 'views.blacklist.ref_s',
              'views.redlist.ref_s', 'views.monitoring_ranking.ref_s'])),
m AS (
    SELECT req.ord, req.name,
           bool_and(r.value IS NOT NULL AND r.value > 0 AND r.value < 'Infinity'::float8) AS ok,
           string_agg(k || '=' || coalesce(round(r.value::numeric, 4)::text, 'missing'), ', ' ORDER BY k) AS detail
      FROM req CROSS JOIN unnest(req.keys) AS k LEFT JOIN bench.raw r ON r.name = k
     GROUP BY req.ord, req.name),
c AS (
    SELECT 100 + row_number() OVER (ORDER BY k) AS ord,
           'same answers as the reference: ' || replace(replace(k, 'check.', ''), '.mismatches', '') AS name,
           r.value IS NOT NULL AND r.value = 0 AS ok,
           coalesce(r.value::bigint || ' mismatches of ' || r.n || coalesce(', ' || r.note, ''), 'missing') AS detail
      FROM unnest(ARRAY['check.uscc.mismatches', 'check.cn_id.mismatches', 'check.lifecycle.mismatches',
                        'check.evaluate.mismatches', 'check.score_all.mismatches', 'check.punishment.mismatches',
                        'check.incentive.mismatches', 'check.verify.mismatches', 'check.views_11.mismatches']) AS k
      LEFT JOIN bench.raw r ON r.name = k),
t AS (
    SELECT 200 AS ord, 'the report table' AS name, count(*) >= 20 AS ok, count(*) || ' rows' AS detail
      FROM bench.report())
SELECT ok, name, detail FROM (SELECT * FROM m UNION ALL SELECT * FROM c UNION ALL SELECT * FROM t) x ORDER BY ord;
