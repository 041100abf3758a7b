-- bench/generate.sql: deterministic data generator for the integrity
-- benchmark (SPEC 9).  Loaded into a database that has the extension; it
-- creates schema "bench" with:
--
--   bench.generate(n_records, pool, anchor)  subjects and records
--   bench.generate_records(lo, hi)            records lo..hi (parallel loads)
--   bench.make_codes(n)                       identifier strings for input tests
--   bench.build_chain(max_len)                the disclosure history of the load
--   bench.load_time                           how long each phase took
--
-- Every pseudo-random choice is bench.u(row, stream): a hash of the row
-- number, so the same arguments give the same rows on every machine,
-- with or without parallel query.  Dates are relative to a fixed anchor
-- date (default 2026-06-30), not to today.
--
-- Records are loaded directly (the way pg_restore loads them), not through
-- record_add/notify/confirm/publish: session_replication_role = replica
-- skips the user triggers and the foreign-key triggers during the load;
-- the generator itself keeps every state consistent with its dates
-- (confirmed_on, published_on, repaired_on, revoked_on, expired_on,
-- publish_due, repair_allowed_from, publicity_until, publishable).

CREATE SCHEMA IF NOT EXISTS bench;

CREATE TABLE IF NOT EXISTS bench.load_time (
    phase    text PRIMARY KEY,
    seconds  float8 NOT NULL,
    n        bigint
);

-- the shape of the generated data (one row), for the measurements
CREATE TABLE IF NOT EXISTS bench.shape (
    n_records bigint, pool bigint, anchor date, n_subj bigint, n_gov bigint, n_dept bigint,
    n_cs bigint, n_ent bigint, g0 bigint, d0 bigint, c0 bigint, e0 bigint, n_hist bigint);

-- uniform [0, 1) from a hash of (row, stream)
CREATE OR REPLACE FUNCTION bench.u(i bigint, k integer) RETURNS float8
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT ((pg_catalog.hashint8extended(i, k) >> 11) & 4503599627370495)::float8 / 4503599627370496.0 $$;

-- an element of arr chosen by (row, stream)
CREATE OR REPLACE FUNCTION bench.pick(arr text[], i bigint, k integer) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT arr[1 + floor(bench.u(i, k) * cardinality(arr))::integer] $$;

------------------------------------------------------------------------
-- identifiers (DOMAIN D1): computed here independently of both the C
-- types and the PL/pgSQL reference, so that loading them checks both.
------------------------------------------------------------------------

-- D1.1 check character of 17 USCC characters
CREATE OR REPLACE FUNCTION bench.uscc_check(c17 text) RETURNS text
    LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
    cs constant text := '0123456789ABCDEFGHJKLMNPQRTUWXY';
    w  constant integer[] := '{1,3,9,27,19,26,16,17,20,29,25,13,8,24,10,30,28}';
    s integer := 0;
BEGIN
    FOR k IN 1 .. 17 LOOP
        s := s + (strpos(cs, substr(c17, k, 1)) - 1) * w[k];
    END LOOP;
    RETURN substr(cs, (31 - s % 31) % 31 + 1, 1);
END $$;

-- D1.2 GB 11714 check character of an 8-character organization code body
CREATE OR REPLACE FUNCTION bench.org_check(b8 text) RETURNS text
    LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
    w constant integer[] := '{3,7,9,10,5,8,4,2}';
    s integer := 0;
    ch text;
    c integer;
BEGIN
    FOR k IN 1 .. 8 LOOP
        ch := substr(b8, k, 1);
        s := s + CASE WHEN ch BETWEEN '0' AND '9' THEN ascii(ch) - 48 ELSE ascii(ch) - 55 END * w[k];
    END LOOP;
    c := 11 - s % 11;
    RETURN CASE c WHEN 10 THEN 'X' WHEN 11 THEN '0' ELSE c::text END;
END $$;

-- A valid USCC: prefix = authority + category (e.g. '91'), region, and a
-- serial n that is mapped one-to-one onto the organization code body:
-- eight digits for organs (1x), 'MA' + six characters for market
-- entities (9x, 5x: the newer codes), so distinct n give distinct codes.
CREATE OR REPLACE FUNCTION bench.uscc_make(prefix text, region text, n bigint) RETURNS text
    LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
    cs constant text := '0123456789ABCDEFGHJKLMNPQRTUWXY';
    body text;
    x bigint;
    c17 text;
BEGIN
    IF left(prefix, 1) = '1' THEN
        body := lpad(((n * 7919 + 1234567) % 100000000)::text, 8, '0');
    ELSE
        x := (n * 7919 + 104729) % 887503681;          -- 31^6: one-to-one
        body := '';
        FOR k IN 1 .. 6 LOOP
            body := substr(cs, (x % 31)::integer + 1, 1) || body;
            x := x / 31;
        END LOOP;
        body := 'MA' || body;
    END IF;
    c17 := prefix || region || body || bench.org_check(body);
    RETURN c17 || bench.uscc_check(c17);
END $$;

-- D1.3 a valid resident ID: region, birth date, 3-digit sequence, check
CREATE OR REPLACE FUNCTION bench.cn_id_make(region text, birth date, seqno integer) RETURNS text
    LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
    w constant integer[] := '{7,9,10,5,8,4,2,1,6,3,7,9,10,5,8,4,2}';
    d17 text := region || to_char(birth, 'YYYYMMDD') || lpad((seqno % 1000)::text, 3, '0');
    s integer := 0;
BEGIN
    FOR k IN 1 .. 17 LOOP
        s := s + (ascii(substr(d17, k, 1)) - 48) * w[k];
    END LOOP;
    RETURN d17 || substr('10X98765432', s % 11 + 1, 1);
END $$;

-- resident ID number n (one-to-one for n < 14.6 million): birth date
-- 1960-01-01 + (n * 7919 mod 14600) days, sequence n / 14600
CREATE OR REPLACE FUNCTION bench.cn_id_of(region text, n bigint) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT bench.cn_id_make(region, date '1960-01-01' + ((n * 7919) % 14600)::integer,
                                  ((n / 14600) % 1000)::integer) $$;

------------------------------------------------------------------------
-- vocabulary: 长治市 and its districts and counties (GB/T 2260), names
------------------------------------------------------------------------
CREATE TABLE IF NOT EXISTS bench.region (ix integer PRIMARY KEY, code text NOT NULL, name text NOT NULL);
INSERT INTO bench.region VALUES
    (0, '140400', '长治市'), (1, '140402', '潞州区'), (2, '140403', '上党区'), (3, '140404', '屯留区'),
    (4, '140405', '潞城区'), (5, '140423', '襄垣县'), (6, '140425', '平顺县'), (7, '140426', '黎城县'),
    (8, '140427', '壶关县'), (9, '140428', '长子县'), (10, '140429', '武乡县'), (11, '140430', '沁县'),
    (12, '140431', '沁源县')
ON CONFLICT DO NOTHING;

CREATE OR REPLACE FUNCTION bench.words(what text) RETURNS text[]
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE what
    WHEN 'dept' THEN ARRAY['发展和改革局', '财政局', '应急管理局', '市场监督管理局', '统计局', '生态环境局',
        '住房和城乡建设局', '交通运输局', '教育局', '卫生健康局', '自然资源局', '人力资源和社会保障局',
        '农业农村局', '水利局', '商务局', '审计局', '行政审批服务管理局', '能源局']
    WHEN 'town' THEN ARRAY['东街街道办事处', '西街街道办事处', '英雄南路街道办事处', '太行东街街道办事处',
        '大辛庄镇人民政府', '马厂镇人民政府', '黄碾镇人民政府', '西火镇人民政府', '苏店镇人民政府',
        '荫城镇人民政府', '店上镇人民政府', '余吾镇人民政府', '丰宜镇人民政府', '郭河镇人民政府']
    WHEN 'family' THEN ARRAY['王', '李', '张', '刘', '陈', '杨', '赵', '黄', '周', '吴', '徐', '孙', '马',
        '朱', '胡', '郭', '何', '林', '高', '罗', '郑', '梁', '谢', '宋', '唐', '韩', '冯', '邓', '曹',
        '彭', '申', '牛', '史', '段', '武', '郝', '秦', '崔', '李', '王', '张', '欧阳', '司马', '上官']
    WHEN 'given' THEN ARRAY['伟', '芳', '娜', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰',
        '娟', '涛', '明', '超', '秀英', '霞', '平', '刚', '桂英', '华', '建国', '志强', '海燕', '晓东',
        '红梅', '国庆', '文博', '晋生', '潞平']
    WHEN 'brand' THEN ARRAY['鑫盛', '华泰', '宏达', '晋能', '潞宝', '恒通', '瑞丰', '永昌', '金鼎', '天和',
        '佳诚', '泰丰', '隆兴', '广源', '兴旺', '漳泽', '太行', '上党', '沁水', '三元', '富康', '德润']
    WHEN 'trade' THEN ARRAY['煤业', '建筑工程', '化工', '焦化', '物流', '商贸', '建材', '机械制造', '食品',
        '房地产开发', '电力', '矿业', '钢铁', '医药', '农业开发', '环保科技']
    WHEN 'company' THEN ARRAY['有限公司', '有限责任公司', '股份有限公司', '集团有限公司']
    END $$;

------------------------------------------------------------------------
-- working days: publish_due = add_workdays(decided_on, 7) (D2.5),
-- computed with the extension's own calendar once per day, then joined
------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION bench.make_workday_due(first date, last date) RETURNS void
    LANGUAGE plpgsql AS $$
BEGIN
    DROP TABLE IF EXISTS bench.workday_due;
    CREATE TABLE bench.workday_due AS
        SELECT d::date AS day,
               integrity.add_workdays(d::date, coalesce(integrity._param('publish_workdays'), '7')::integer) AS due
          FROM generate_series(first, last, interval '1 day') AS g(d);
    ALTER TABLE bench.workday_due ADD PRIMARY KEY (day);
END $$;

CREATE OR REPLACE FUNCTION bench.timed(p_phase text, t0 timestamptz, p_n bigint) RETURNS void
    LANGUAGE sql AS $$
    INSERT INTO bench.load_time VALUES (p_phase, extract(epoch FROM clock_timestamp() - t0), p_n)
    ON CONFLICT (phase) DO UPDATE SET seconds = EXCLUDED.seconds, n = EXCLUDED.n
$$;

------------------------------------------------------------------------
-- bench.generate(n_records, pool, anchor)
--   n_records  total records, of which
--   pool       confirmed, publishable records decided in the last days
--              before anchor: the backlog that the publish benchmark
--              publishes
-- Subjects: n_records / 10 (at least 200): governments 0.5 %,
-- departments 4.5 %, civil servants 25 %, enterprises 70 %.
------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION bench.generate(n_records bigint, pool bigint DEFAULT 0,
                                          anchor date DEFAULT date '2026-06-30',
                                          with_records boolean DEFAULT true)
    RETURNS TABLE(phase text, seconds float8, n bigint)
    LANGUAGE plpgsql AS $$
DECLARE
    t0 timestamptz;
    n_subj bigint := greatest(200, n_records / 10);
    n_gov bigint := greatest(13, n_subj * 5 / 1000);
    n_dept bigint := greatest(40, n_subj * 45 / 1000);
    n_cs bigint := n_subj * 25 / 100;
    n_ent bigint;
    g0 bigint := 1;            -- first id of each kind
    d0 bigint;
    c0 bigint;
    e0 bigint;
    n_hist bigint := n_records - pool;
    span integer := 6 * 365;  -- history: six years before anchor
BEGIN
    IF pool > n_records THEN
        RAISE EXCEPTION 'pool % is larger than n_records %', pool, n_records;
    END IF;
    n_ent := n_subj - n_gov - n_dept - n_cs;
    d0 := g0 + n_gov;
    c0 := d0 + n_dept;
    e0 := c0 + n_cs;
    DELETE FROM bench.load_time;
    PERFORM integrity.set_origin('140400');
    -- the bounds, for the benchmark driver
    DELETE FROM bench.shape;
    INSERT INTO bench.shape VALUES (n_records, pool, anchor, n_subj, n_gov, n_dept, n_cs, n_ent,
                                    g0, d0, c0, e0, n_hist);

    t0 := clock_timestamp();
    PERFORM bench.make_workday_due(anchor - span - 10, anchor);
    PERFORM bench.timed('workday table', t0, anchor - (anchor - span - 10));

    SET LOCAL session_replication_role = replica;
    SET LOCAL synchronous_commit = off;
    SET LOCAL jit = off;
    -- D2.6: the publicity periods of each (severity, category): the
    -- category's own row over '*', an admin row over the seeded one
    DROP TABLE IF EXISTS bench.period;
    CREATE TABLE bench.period AS
        SELECT sv.severity, c.code AS category, p.published, p.min_period, p.max_period
          FROM unnest(enum_range(NULL::integrity.severity)) AS sv(severity)
         CROSS JOIN integrity.category c
         CROSS JOIN LATERAL (SELECT pp.published, pp.min_period, pp.max_period
                               FROM integrity.publicity_period pp
                              WHERE pp.severity = sv.severity AND pp.category IN (c.code, '*')
                              ORDER BY pp.category = '*', pp.seeded LIMIT 1) p;

    --------------------------------------------------------------------
    -- subjects
    --------------------------------------------------------------------
    t0 := clock_timestamp();
    -- governments: the city (id 1), the 12 districts and counties, then
    -- streets and towns under them
    INSERT INTO integrity.subject (origin, id, kind, name, uscc, region, parent_id)
    SELECT '140400', i, 'government',
           CASE WHEN i <= 13 THEN r.name || '人民政府'
                ELSE r.name || bench.pick(bench.words('town'), i, 1) || CASE WHEN i > 13 + 14 * 12 THEN (i::text) ELSE '' END END,
           bench.uscc_make('11', r.code, i)::integrity.uscc,
           r.code,
           CASE WHEN i = 1 THEN NULL WHEN i <= 13 THEN 1 ELSE 2 + (i % 12) END
      FROM generate_series(g0, g0 + n_gov - 1) AS i
      JOIN bench.region r ON r.ix = CASE WHEN i <= 13 THEN i - 1 ELSE 1 + (i % 12) END;
    -- departments: under a district or county government (or the city)
    INSERT INTO integrity.subject (origin, id, kind, name, uscc, region, parent_id)
    SELECT '140400', i, 'department',
           r.name || bench.pick(bench.words('dept'), i, 2) || CASE WHEN i - d0 >= 13 * 18 THEN ((i - d0) / (13 * 18))::text || '分局' ELSE '' END,
           bench.uscc_make(CASE WHEN bench.u(i, 3) < 0.85 THEN '11' ELSE '12' END, r.code, i)::integrity.uscc,
           r.code, p
      FROM generate_series(d0, d0 + n_dept - 1) AS i
     CROSS JOIN LATERAL (SELECT (i % 13) AS p0) x
     CROSS JOIN LATERAL (SELECT x.p0 + 1 AS p) y
      JOIN bench.region r ON r.ix = x.p0;
    -- civil servants: in a department, resident IDs of its region
    INSERT INTO integrity.subject (origin, id, kind, name, cn_id, region, parent_id)
    SELECT '140400', i, 'civil_servant',
           bench.pick(bench.words('family'), i, 4) || bench.pick(bench.words('given'), i, 5),
           bench.cn_id_of(dp.region, i)::integrity.cn_id,
           dp.region, dp.id
      FROM generate_series(c0, c0 + n_cs - 1) AS i
     CROSS JOIN LATERAL (SELECT s.id, s.region FROM integrity.subject s
                          WHERE s.origin = '140400' AND s.id = d0 + (i * 7919) % n_dept) dp;
    -- enterprises: 91 企业 (most), 92 个体工商户, 93 农民专业合作社, 52 民办非企业单位
    INSERT INTO integrity.subject (origin, id, kind, name, uscc, region)
    SELECT '140400', i, 'enterprise',
           r.name || bench.pick(bench.words('brand'), i, 6) || bench.pick(bench.words('trade'), i, 7)
               || bench.pick(bench.words('company'), i, 8),
           bench.uscc_make(CASE WHEN v < 0.90 THEN '91' WHEN v < 0.95 THEN '92' WHEN v < 0.98 THEN '93' ELSE '52' END,
                           r.code, i)::integrity.uscc,
           r.code
      FROM generate_series(e0, e0 + n_ent - 1) AS i
     CROSS JOIN LATERAL (SELECT bench.u(i, 9) AS v) x
      JOIN bench.region r ON r.ix = (i % 13);
    PERFORM setval('integrity.subject_id_seq', e0 + n_ent - 1);
    PERFORM bench.timed('subjects', t0, n_subj);

    IF with_records THEN
        t0 := clock_timestamp();
        PERFORM bench.generate_records(1, n_records);
        PERFORM bench.timed('records', t0, n_records);
    END IF;
    RETURN QUERY SELECT lt.phase, lt.seconds, lt.n FROM bench.load_time lt ORDER BY lt.seconds DESC;
END $$;

------------------------------------------------------------------------
-- bench.generate_records(lo, hi): records lo .. hi of the shape that
-- bench.generate set up (several sessions may load disjoint ranges at
-- the same time)
------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION bench.generate_records(lo bigint, hi bigint) RETURNS void
    LANGUAGE plpgsql AS $$
DECLARE
    sh record;
    span integer := 6 * 365;  -- history: six years before anchor
    dom_type text := (SELECT format_type(a.atttypid, a.atttypmod) FROM pg_attribute a
                       WHERE a.attrelid = 'integrity.record'::regclass AND a.attname = 'domain');
BEGIN
    SELECT * INTO sh FROM bench.shape;
    IF sh IS NULL THEN
        RAISE EXCEPTION 'run bench.generate first';
    END IF;
    SET LOCAL session_replication_role = replica;
    SET LOCAL synchronous_commit = off;
    SET LOCAL jit = off;
    -- the column types of the installed version (domain: text or an enum)
    EXECUTE replace($q$
    INSERT INTO integrity.record (origin, id, subject_id, category, kind, severity, domain, decided_on,
           document_no, source_unit, summary, accident_level, deaths, publishable, publish_due,
           repair_allowed_from, publicity_until, state, state_before_objection, confirmed_on,
           published_on, objected_on, objection_due, repaired_on, revoked_on, expired_on,
           remedied, remedied_on, created_at, updated_at)
    SELECT '140400', i, subject_id, category, c.kind, severity, domain, decided_on,
           document_no, source_unit, summary, accident_level, deaths, publishable, publish_due,
           repair_allowed_from, publicity_until, st,
           CASE WHEN st = 'objected' THEN 'published'::integrity.record_state END,
           CASE WHEN st IN ('confirmed', 'published', 'objected', 'repaired', 'expired')
                     OR (st = 'revoked' AND us < 0.02) THEN conf_on END,
           CASE WHEN st IN ('published', 'objected', 'repaired', 'expired')
                     OR (st = 'revoked' AND us < 0.01 AND publishable) THEN pub_on END,
           CASE WHEN st = 'objected' THEN obj_on END,
           CASE WHEN st = 'objected' THEN obj_on + 7 END,
           CASE WHEN st = 'repaired' THEN rep_on END,
           CASE WHEN st = 'revoked' THEN least(decided_on + 10 + floor(bench.u(i, 30) * 60)::integer, $3) END,
           CASE WHEN st = 'expired' THEN publicity_until END,
           c.kind = 'dishonest' AND st IN ('confirmed', 'published', 'objected', 'repaired', 'expired')
               AND bench.u(i, 31) < 0.05,
           CASE WHEN c.kind = 'dishonest' AND st IN ('confirmed', 'published', 'objected', 'repaired', 'expired')
               AND bench.u(i, 31) < 0.05 THEN least(conf_on + 15, $3) END,
           decided_on::timestamptz, coalesce(pub_on, conf_on, decided_on)::timestamptz
      FROM (
        SELECT b.*, w.due AS publish_due,
               (b.decided_on + p.min_period)::date AS repair_allowed_from,
               (b.decided_on + p.max_period)::date AS publicity_until,
               p.published AND cat.published AS publishable,
               least(b.decided_on + 1 + floor(bench.u(b.i, 21) * 4)::integer, $3) AS conf_on,
               -- D2.5: most on time, 8 % late
               least(CASE WHEN bench.u(b.i, 22) < 0.08 THEN w.due + 1 + floor(bench.u(b.i, 23) * 20)::integer
                          ELSE greatest(least(b.decided_on + 1 + floor(bench.u(b.i, 21) * 4)::integer, $3),
                                        w.due - floor(bench.u(b.i, 23) * 4)::integer) END, $3) AS pub_on,
               $3 - floor(bench.u(b.i, 24) * 4)::integer AS obj_on
          FROM (
            SELECT a.*,
                   CASE WHEN a.category = 'safety_accident' THEN
                            CASE WHEN a.accident_level = 'general' THEN 'general' ELSE 'serious' END
                        WHEN a.category = 'safety_violation' THEN 'serious'
                        WHEN a.category IN ('credit_commitment', 'safety_standard_level1', 'commendation') THEN 'general'
                        WHEN a.category = 'statistical_fraud' THEN CASE WHEN bench.u(a.i, 5) < 0.6 THEN 'serious' ELSE 'general' END
                        WHEN a.i > $2 THEN CASE WHEN bench.u(a.i, 5) < 0.7 THEN 'general' ELSE 'serious' END
                        ELSE CASE WHEN bench.u(a.i, 5) < 0.15 THEN 'minor'
                                  WHEN bench.u(a.i, 5) < 0.70 THEN 'general' ELSE 'serious' END
                   END::integrity.severity AS severity,
                   CASE WHEN a.category IN ('safety_accident', 'safety_violation', 'occupational_disease',
                                            'safety_standard_level1') THEN '安全生产'
                        WHEN a.category = 'statistical_fraud' THEN '统计'
                        WHEN a.category = 'admin_penalty' AND a.skind = 3 AND bench.u(a.i, 6) < 0.25 THEN '安全生产'
                        ELSE bench.pick(ARRAY['政府采购', '政府和社会资本合作', '招标投标', '招商引资', '政府债务',
                                              '环境保护', '街道乡镇', '其他', '其他', '其他'], a.i, 7)
                   END::@DOMTYPE@ AS domain,
                   CASE a.category
                        WHEN 'admin_penalty' THEN format('长%s罚字〔%s〕第%s号',
                             bench.pick(ARRAY['应急', '市监', '环', '交', '住建', '自然资源'], a.i, 8),
                             extract(year FROM a.decided_on), lpad((a.i % 10000)::text, 4, '0'))
                        WHEN 'judicial_judgment' THEN format('（%s）晋04民初%s号', extract(year FROM a.decided_on), a.i % 10000)
                        WHEN 'disciplinary_sanction' THEN format('长纪处〔%s〕%s号', extract(year FROM a.decided_on), a.i % 10000)
                        WHEN 'accountability' THEN format('长问责〔%s〕%s号', extract(year FROM a.decided_on), a.i % 10000)
                        WHEN 'breach_of_contract' THEN format('（%s）晋0402执%s号', extract(year FROM a.decided_on), a.i % 10000)
                        WHEN 'safety_accident' THEN format('长应急调〔%s〕%s号', extract(year FROM a.decided_on), a.i % 10000)
                        WHEN 'safety_violation' THEN format('长应急执罚〔%s〕%s号', extract(year FROM a.decided_on), a.i % 10000)
                        WHEN 'occupational_disease' THEN format('长卫职〔%s〕%s号', extract(year FROM a.decided_on), a.i % 10000)
                        WHEN 'statistical_fraud' THEN format('长统执〔%s〕%s号', extract(year FROM a.decided_on), a.i % 10000)
                        WHEN 'credit_commitment' THEN format('长信承〔%s〕%s号', extract(year FROM a.decided_on), a.i % 10000)
                        WHEN 'safety_standard_level1' THEN format('晋应急标一〔%s〕%s号', extract(year FROM a.decided_on), a.i % 10000)
                        ELSE format('长政表〔%s〕%s号', extract(year FROM a.decided_on), a.i % 10000)
                   END AS document_no,
                   CASE a.category
                        WHEN 'admin_penalty' THEN '长治市' || bench.pick(bench.words('dept'), a.i, 8)
                        WHEN 'judicial_judgment' THEN '长治市中级人民法院'
                        WHEN 'breach_of_contract' THEN '长治市潞州区人民法院'
                        WHEN 'disciplinary_sanction' THEN '中共长治市纪律检查委员会'
                        WHEN 'accountability' THEN '中共长治市纪律检查委员会'
                        WHEN 'occupational_disease' THEN '长治市卫生健康委员会'
                        WHEN 'statistical_fraud' THEN '长治市统计局'
                        WHEN 'credit_commitment' THEN '长治市发展和改革委员会'
                        WHEN 'commendation' THEN '长治市人民政府'
                        ELSE '长治市应急管理局'
                   END AS source_unit,
                   CASE a.category
                        WHEN 'admin_penalty' THEN '未按规定履行法定义务，违反《中华人民共和国行政处罚法》相关规定，依法给予警告并处罚款。'
                        WHEN 'judicial_judgment' THEN '经人民法院判决，被执行人未按期履行生效法律文书确定的给付义务。'
                        WHEN 'disciplinary_sanction' THEN '违反工作纪律，在履行职责过程中不作为、慢作为，给予警告处分。'
                        WHEN 'accountability' THEN '落实主体责任不力，造成不良影响，予以通报问责。'
                        WHEN 'breach_of_contract' THEN '拖欠工程款和农民工工资，经催告后仍未履行合同约定的付款义务。'
                        WHEN 'safety_accident' THEN format('发生生产安全责任事故，造成%s人死亡，直接经济损失%s万元。', a.deaths, 10 + a.i % 900)
                        WHEN 'safety_violation' THEN bench.pick(ARRAY['未依法取得安全生产许可证擅自从事生产经营活动。',
                             '重大事故隐患不及时整改仍组织生产。', '拒绝、阻碍安全生产监管监察部门依法实施监管。',
                             '瞒报、谎报、迟报生产安全事故。', '被责令停产整顿期间仍然从事生产经营活动。'], a.i, 9)
                        WHEN 'occupational_disease' THEN '新发职业病病例，未落实职业病防护措施。'
                        WHEN 'statistical_fraud' THEN '在统计调查中提供不真实统计资料，弄虚作假。'
                        WHEN 'credit_commitment' THEN '作出公开信用承诺：依法诚信经营，自觉接受社会监督。'
                        WHEN 'safety_standard_level1' THEN '经评审达到安全生产标准化一级。'
                        ELSE '在政务诚信建设工作中成绩突出，予以表彰。'
                   END AS summary
              FROM (
                SELECT k.*, cat.code AS category,
                       CASE WHEN cat.code = 'safety_accident' THEN
                            CASE WHEN bench.u(k.i, 10) < 0.80 THEN 'general' WHEN bench.u(k.i, 10) < 0.95 THEN 'larger'
                                 WHEN bench.u(k.i, 10) < 0.99 THEN 'major' ELSE 'especially_major' END
                       END::integrity.accident_level AS accident_level,
                       CASE WHEN cat.code <> 'safety_accident' THEN 0
                            WHEN bench.u(k.i, 10) < 0.80 THEN CASE WHEN bench.u(k.i, 11) < 0.6 THEN 0 ELSE 1 + floor(bench.u(k.i, 12) * 2)::integer END
                            WHEN bench.u(k.i, 10) < 0.95 THEN 3 + floor(bench.u(k.i, 12) * 7)::integer
                            WHEN bench.u(k.i, 10) < 0.99 THEN 10 + floor(bench.u(k.i, 12) * 20)::integer
                            ELSE 30 + floor(bench.u(k.i, 12) * 30)::integer END AS deaths
                  FROM (
                    SELECT i,
                           skind,
                           -- a subject of that kind, skewed towards low ids (busy subjects)
                           CASE skind WHEN 0 THEN $4 + floor($5 * power(bench.u(i, 2), 1.3))::bigint
                                      WHEN 1 THEN $6 + floor($7 * power(bench.u(i, 2), 1.3))::bigint
                                      WHEN 2 THEN $8 + floor($9 * power(bench.u(i, 2), 1.3))::bigint
                                      ELSE $10 + floor($11 * power(bench.u(i, 2), 1.3))::bigint END AS subject_id,
                           CASE WHEN i <= $2 THEN $3 - (($2 - i) * $12 / greatest($2, 1))::integer
                                ELSE $3 - (i % 5)::integer END AS decided_on,
                           -- category by kind of subject (mixes of the seed plans)
                           CASE skind
                             WHEN 2 THEN CASE WHEN uc < 0.35 THEN 'disciplinary_sanction' WHEN uc < 0.55 THEN 'accountability'
                                              WHEN uc < 0.59 THEN 'judicial_judgment' WHEN uc < 0.65 THEN 'admin_penalty'
                                              WHEN uc < 0.67 THEN 'statistical_fraud' WHEN uc < 0.77 THEN 'credit_commitment'
                                              ELSE 'commendation' END
                             WHEN 3 THEN CASE WHEN uc < 0.33 THEN 'admin_penalty' WHEN uc < 0.42 THEN 'breach_of_contract'
                                              WHEN uc < 0.48 THEN 'judicial_judgment' WHEN uc < 0.58 THEN 'safety_accident'
                                              WHEN uc < 0.63 THEN 'safety_violation' WHEN uc < 0.67 THEN 'occupational_disease'
                                              WHEN uc < 0.69 THEN 'statistical_fraud' WHEN uc < 0.83 THEN 'credit_commitment'
                                              WHEN uc < 0.90 THEN 'safety_standard_level1' ELSE 'commendation' END
                             ELSE CASE WHEN uc < 0.10 THEN 'admin_penalty' WHEN uc < 0.22 THEN 'judicial_judgment'
                                       WHEN uc < 0.42 THEN 'accountability' WHEN uc < 0.60 THEN 'breach_of_contract'
                                       WHEN uc < 0.63 THEN 'statistical_fraud' WHEN uc < 0.78 THEN 'credit_commitment'
                                       ELSE 'commendation' END
                           END AS cat_code
                      FROM (
                        SELECT i,
                               CASE WHEN bench.u(i, 1) < 0.04 THEN 0 WHEN bench.u(i, 1) < 0.20 THEN 1
                                    WHEN bench.u(i, 1) < 0.40 THEN 2 ELSE 3 END AS skind,
                               -- the backlog to publish: dishonesty records only
                               CASE WHEN i > $2 THEN 0.6 * bench.u(i, 3) ELSE bench.u(i, 3) END AS uc
                          FROM generate_series($13, $14) AS i
                         OFFSET 0
                      ) s
                  ) k
                  JOIN integrity.category cat ON cat.code = k.cat_code
                 OFFSET 0
              ) a
             OFFSET 0
          ) b
          JOIN bench.workday_due w ON w.day = b.decided_on
          JOIN integrity.category cat ON cat.code = b.category
          JOIN bench.period p ON p.severity = b.severity AND p.category = b.category
         OFFSET 0
      ) d
      JOIN integrity.category c ON c.code = d.category
     CROSS JOIN LATERAL (SELECT bench.u(d.i, 20) AS us) v
     CROSS JOIN LATERAL (
        SELECT CASE
                 WHEN d.i > $2 THEN 'confirmed'
                 WHEN v.us < 0.03 THEN 'revoked'
                 WHEN v.us < 0.07 AND d.decided_on > $3 - 30 THEN
                      CASE WHEN v.us < 0.05 THEN 'collected' ELSE 'notified' END
                 WHEN NOT d.publishable OR v.us < 0.14 OR d.pub_on < d.conf_on THEN 'confirmed'
                 WHEN d.repair_allowed_from <= $3 AND d.repair_allowed_from < d.publicity_until
                      AND bench.u(d.i, 25) < 0.15 THEN 'repaired'
                 WHEN d.publicity_until <= $3 THEN 'expired'
                 WHEN bench.u(d.i, 25) < 0.18 THEN 'objected'
                 ELSE 'published'
               END::integrity.record_state AS st,
               -- a repair between the earliest repair date and the end of publicity
               greatest(d.pub_on, d.repair_allowed_from
                        + floor(bench.u(d.i, 26) * greatest(0, least(d.publicity_until - 1, $3) - d.repair_allowed_from))::integer) AS rep_on
     ) z
    $q$, '@DOMTYPE@', dom_type)
    USING sh.n_records, sh.n_hist, sh.anchor, sh.g0, sh.n_gov, sh.d0, sh.n_dept, sh.c0, sh.n_cs, sh.e0, sh.n_ent,
          span, lo, hi;
    IF hi >= sh.n_records THEN
        PERFORM setval('integrity.record_id_seq', sh.n_records);
    END IF;
END $$;


------------------------------------------------------------------------
-- identifier strings for the input benchmarks: n valid USCCs (organs,
-- enterprises, social organizations) and n valid resident IDs
------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION bench.make_codes(n bigint) RETURNS void
    LANGUAGE plpgsql AS $$
DECLARE t0 timestamptz := clock_timestamp();
BEGIN
    DROP TABLE IF EXISTS bench.codes;
    CREATE TABLE bench.codes (i bigint PRIMARY KEY, uscc text NOT NULL, cn_id text NOT NULL);
    INSERT INTO bench.codes
    SELECT i,
           bench.uscc_make(bench.pick(ARRAY['91', '91', '91', '91', '91', '91', '92', '93', '11', '12', '52', '51'], i, 40),
                           r.code, 10000000 + i),
           bench.cn_id_of(r.code, 20000 + i)
      FROM generate_series(1, n) AS i
      JOIN bench.region r ON r.ix = i % 13;
    PERFORM bench.timed('identifier strings', t0, n);
END $$;

------------------------------------------------------------------------
-- bench.build_chain(max_len): the disclosure history of the loaded
-- records (their 'publish' disclosures, oldest first), so that
-- verify_chain has a long log to read and publish appends to one.
-- Payloads are the extension's own (integrity._disclosure_payload,
-- canonicalized by integrity.canonical_json); payload_hash, entry_hash,
-- the Merkle nodes (RFC 6962) and the chain head are computed in SQL.
-- The signatures of this history are placeholders (64 bytes): only the
-- newest signature is checked by verify_chain(signatures => 'head'), and
-- the entries that the publish benchmark appends after it carry real
-- ones; verify_chain(signatures => 'all') is measured on those.
------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION bench.build_chain(max_len bigint) RETURNS bigint
    LANGUAGE plpgsql AS $$
DECLARE
    t0 timestamptz := clock_timestamp();
    o text := integrity.local_origin();
    kid text := integrity._current_key_id();
    len bigint;
    lvl integer := 0;
    moved bigint;
BEGIN
    IF EXISTS (SELECT 1 FROM integrity.disclosure d WHERE d.origin = o) THEN
        RAISE EXCEPTION 'the log of origin % is not empty', o;
    END IF;
    SET LOCAL session_replication_role = replica;
    SET LOCAL synchronous_commit = off;
    -- register the key as the extension does when it signs
    PERFORM integrity._register_key(o, kid, integrity._current_public_key());

    DROP TABLE IF EXISTS bench.chain_src;
    -- the payload of integrity._disclosure_payload(origin, id, 'publish'),
    -- built for all rows in one query (the function, called per row, costs
    -- about 80 us a call), then canonicalized by the extension's C code
    -- (no UPDATE afterwards: the index on seq must be usable in this transaction)
    CREATE UNLOGGED TABLE bench.chain_src AS
    SELECT y.*, sha256(convert_to(y.payload, 'UTF8')) AS payload_hash FROM (
    SELECT row_number() OVER (ORDER BY x.published_on, x.id) AS seq, x.id AS record_id, x.published_on,
           integrity.canonical_json(CASE WHEN r.category = 'admin_penalty' THEN
        jsonb_build_object(
            'event', 'publish', 'origin', r.origin, 'record_id', r.id, 'state', 'published',
            'disclosed_on', x.published_on,
            '行政相对人名称', CASE WHEN s.kind = 'civil_servant' THEN integrity.mask_name(s.name) ELSE s.name END,
            '行政相对人类别', CASE s.kind WHEN 'civil_servant' THEN '自然人' ELSE '法人及非法人组织' END,
            '统一社会信用代码', coalesce(s.uscc::text, s.legacy_code, ''),
            '法定代表人', '',
            '证件类型', CASE WHEN s.kind = 'civil_servant' THEN '身份证' ELSE '' END,
            '证件号码', CASE WHEN s.kind = 'civil_servant' THEN integrity.mask(s.cn_id) ELSE '' END,
            '行政处罚决定书文号', coalesce(r.document_no, ''),
            '违法行为类型', '',
            '违法事实', coalesce(r.summary, ''),
            '处罚依据', '',
            '处罚类别', '',
            '处罚内容', coalesce(r.summary, ''),
            '罚款金额（万元）', '',
            '处罚决定日期', r.decided_on,
            '处罚有效期', r.publicity_until,
            '公示截止期', r.publicity_until,
            '处罚机关', coalesce(r.source_unit, ''),
            '处罚机关统一社会信用代码', '',
            '数据来源单位', coalesce(r.source_unit, ''),
            '数据来源单位统一社会信用代码', '',
            '备注', '')
    ELSE
        jsonb_build_object(
            'event', 'publish', 'origin', r.origin, 'record_id', r.id, 'state', 'published',
            'disclosed_on', x.published_on,
            'subject', jsonb_build_object(
                'kind', s.kind,
                'name', CASE WHEN s.kind = 'civil_servant' THEN integrity.mask_name(s.name) ELSE s.name END,
                'code', CASE WHEN s.kind = 'civil_servant' THEN integrity.mask(s.cn_id)
                             ELSE coalesce(s.uscc::text, s.legacy_code) END),
            'category', r.category, 'category_name', c.name, 'severity', r.severity,
            'domain', r.domain, 'decided_on', r.decided_on,
            'document_no', coalesce(r.document_no, ''), 'source_unit', coalesce(r.source_unit, ''),
            'summary', coalesce(r.summary, ''), 'publicity_until', r.publicity_until,
            'accident_level', r.accident_level, 'deaths', r.deaths,
            'supersedes', r.supersedes)
    END::text) AS payload
      FROM (SELECT r0.id, r0.published_on FROM integrity.record r0
             WHERE r0.origin = o AND r0.published_on IS NOT NULL
             ORDER BY r0.published_on, r0.id LIMIT max_len) x
      JOIN integrity.record r ON r.origin = o AND r.id = x.id
      JOIN integrity.subject s ON s.origin = r.origin AND s.id = r.subject_id
      JOIN integrity.category c ON c.code = r.category) y;
    ALTER TABLE bench.chain_src ADD PRIMARY KEY (seq);
    ANALYZE bench.chain_src;
    SELECT count(*) INTO len FROM bench.chain_src;
    PERFORM bench.timed('chain: payloads', t0, len);

    -- SPEC 6: entry_hash = SHA-256(prev_hash || seq (8 bytes, big-endian) || payload_hash)
    t0 := clock_timestamp();
    DROP TABLE IF EXISTS bench.chain_hash;
    -- one index probe per step of the recursion
    SET LOCAL enable_hashjoin = off;
    SET LOCAL enable_mergejoin = off;
    CREATE UNLOGGED TABLE bench.chain_hash AS
    WITH RECURSIVE ch(seq, prev, entry) AS (
        SELECT 0::bigint, NULL::bytea, '\x0000000000000000000000000000000000000000000000000000000000000000'::bytea
        UNION ALL
        SELECT c.seq, ch.entry, sha256(ch.entry || int8send(c.seq) || c.payload_hash)
          FROM ch JOIN bench.chain_src c ON c.seq = ch.seq + 1
    )
    SELECT seq, prev, entry FROM ch WHERE seq > 0;
    RESET enable_hashjoin;
    RESET enable_mergejoin;
    PERFORM bench.timed('chain: hashes', t0, len);

    t0 := clock_timestamp();
    INSERT INTO integrity.disclosure (origin, seq, record_id, event, payload, payload_hash, prev_hash,
                                      entry_hash, key_id, signature, disclosed_at)
    SELECT o, c.seq, c.record_id, 'publish', c.payload, c.payload_hash, h.prev, h.entry, kid,
           sha512(int8send(c.seq)), c.published_on::timestamptz
      FROM bench.chain_src c JOIN bench.chain_hash h USING (seq)
     ORDER BY c.seq;
    INSERT INTO integrity.chain_head (origin, size, head)
    SELECT o, len, coalesce((SELECT h.entry FROM bench.chain_hash h WHERE h.seq = len),
                            '\x0000000000000000000000000000000000000000000000000000000000000000'::bytea)
    ON CONFLICT (origin) DO UPDATE SET size = EXCLUDED.size, head = EXCLUDED.head;
    PERFORM bench.timed('chain: disclosure rows', t0, len);

    -- RFC 6962: leaf = SHA-256(0x00 || entry_hash); complete subtrees
    -- node(level, idx) = SHA-256(0x01 || node(level-1, 2 idx) || node(level-1, 2 idx + 1))
    t0 := clock_timestamp();
    DROP TABLE IF EXISTS bench.merkle_level;
    CREATE UNLOGGED TABLE bench.merkle_level AS
        SELECT h.seq - 1 AS idx, sha256('\x00'::bytea || h.entry) AS hash FROM bench.chain_hash h;
    LOOP
        INSERT INTO integrity.merkle_node (origin, level, idx, hash)
        SELECT o, lvl, m.idx, m.hash FROM bench.merkle_level m ORDER BY m.idx;
        GET DIAGNOSTICS moved = ROW_COUNT;
        EXIT WHEN moved < 2;
        CREATE UNLOGGED TABLE bench.merkle_next AS
            SELECT p.idx / 2 AS idx, sha256('\x01'::bytea || p.hash || p.nxt) AS hash
              FROM (SELECT m.idx, m.hash, lead(m.hash) OVER (ORDER BY m.idx) AS nxt FROM bench.merkle_level m) p
             WHERE p.idx % 2 = 0 AND p.nxt IS NOT NULL;
        DROP TABLE bench.merkle_level;
        ALTER TABLE bench.merkle_next RENAME TO merkle_level;
        lvl := lvl + 1;
    END LOOP;
    DROP TABLE bench.merkle_level;
    PERFORM bench.timed('chain: merkle nodes', t0, len);
    DROP TABLE bench.chain_hash;
    RETURN len;
END $$;
