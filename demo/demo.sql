-- demo/demo.sql: a guided tour of the integrity extension (政务诚信).
--
-- Run by `make demo` (demo/run.sh) in a throw-away cluster with a signing
-- key, or by hand in an empty database of a cluster whose
-- integrity.signing_key_file is set:
--     psql -X -v ON_ERROR_STOP=1 -d DB -f demo/demo.sql
-- It creates the extension in the current database, so that database must
-- not have it yet.  All dates are relative to today.  Identifiers, names and
-- cases below are made up; the identifiers have valid check characters.

\set QUIET 1
\pset footer off
\pset null '-'
SET client_min_messages = warning;
-- the types' operators live in schema integrity (README, "search_path")
SET search_path = public, integrity;

\echo
\echo '=================================================================='
\echo ' integrity: 政务诚信 government integrity records in PostgreSQL'
\echo '=================================================================='
CREATE EXTENSION integrity;
SELECT extversion AS "integrity version" FROM pg_extension WHERE extname = 'integrity';

-- Runs a statement and returns "ok", or its SQLSTATE, message and detail,
-- so that the tour can show an error and go on.
CREATE FUNCTION pg_temp.try(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE st text; msg text; det text;
BEGIN
    EXECUTE q;
    RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT, det = PG_EXCEPTION_DETAIL;
    RETURN st || ' ' || msg || coalesce(E'\n' || repeat(' ', 35) || nullif(det, ''), '');
END $$;

-- The same, as another role (SET LOCAL ROLE for the one statement).
CREATE FUNCTION pg_temp.try_as(r text, q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE st text; msg text;
BEGIN
    PERFORM set_config('role', r, true);
    EXECUTE q;
    PERFORM set_config('role', 'none', true);
    RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT;
    RETURN st || ' ' || msg;
END $$;

-- a decision document number such as 长应急罚〔2025〕7号
CREATE FUNCTION pg_temp.docno(prefix text, d date, n integer) RETURNS text LANGUAGE sql AS $$
    SELECT format('%s〔%s〕%s号', prefix, extract(year FROM d), n)
$$;

-- 告知 -> 认定 -> 公示 in one go; returns the disclosure seq.
CREATE FUNCTION pg_temp.publish_now(rid bigint) RETURNS bigint LANGUAGE plpgsql AS $$
BEGIN
    PERFORM integrity.notify(rid, '书面告知当事人，可在5个工作日内申辩');
    PERFORM integrity.confirm(rid, '申辩期满未提出新的事实和理由，予以认定');
    RETURN integrity.publish(rid);
END $$;

------------------------------------------------------------------------
\echo
\echo '== 1. 身份标识 Identifiers: 统一社会信用代码 (uscc) and 居民身份证号码 (cn_id)'
\echo '-- 1a. accepted 统一社会信用代码 (blanks trimmed, letters folded to upper case)'
SELECT u AS uscc,
       uscc_authority(u) || ' ' || c.authority_name AS "登记管理部门 authority",
       uscc_category(u) || ' ' || c.category_name AS "机构类别 category",
       uscc_region(u) AS "区划 region",
       uscc_org_code(u) AS "组织机构代码 org code"
  FROM (VALUES ('11140400000000019L'), ('91140400000000043W'), (' 91350100m000100y43 '),
               ('A1110000600037341K')) AS v(t)
 CROSS JOIN LATERAL (SELECT v.t::uscc AS u) AS x
  LEFT JOIN uscc_categories() c ON c.authority = uscc_authority(u) AND c.category = uscc_category(u);

\echo '-- 1b. accepted 居民身份证号码 (GB 11643 examples included; births before 1900 are fine)'
SELECT i AS cn_id, cn_id_birth_date(i) AS "出生日期 birth", cn_id_sex(i) AS "性别 sex",
       cn_id_region(i) AS "区划 region", mask(i) AS "公示形式 masked"
  FROM (VALUES ('11010519491231002X'), ('440524188001010014'), ('140402198501011237'),
               ('14040219900202234x')) AS v(t)
 CROSS JOIN LATERAL (SELECT v.t::cn_id AS i) AS x;

\echo '-- 1c. rejected, with SQLSTATE 22P02 and the reason in the detail (uscc_is_valid/cn_id_is_valid never raise)'
\pset format unaligned
\pset tuples_only on
SELECT format('%-20s %-6s is_valid=%s  %s', t, ty, uscc_is_valid(t) OR cn_id_is_valid(t),
              pg_temp.try(format('SELECT %L::integrity.%s', t, ty)))
  FROM (VALUES ('9135010', 'uscc'),
               ('9111000060003IOZSV', 'uscc'),
               ('91350100M000100Y4Z', 'uscc'),
               ('91350100M0001TGQXM', 'uscc'),
               ('911404000000000479', 'uscc'),
               ('151404000000000198', 'uscc'),
               ('1404021985010112', 'cn_id'),
               ('110105194902300020', 'cn_id'),
               ('36042619910102009X', 'cn_id'),
               ('140402209912310013', 'cn_id')) AS v(t, ty);
\pset format aligned
\pset tuples_only off

\echo '-- 1d. masking for public views (D1.4): resident IDs and names of natural persons'
SELECT mask('140402198501011237'::cn_id) AS "mask(cn_id)",
       mask_name('张伟') AS "张伟", mask_name('欧阳明华') AS "欧阳明华";

------------------------------------------------------------------------
\echo
\echo '== 2. 本平台与信用主体 The platform (origin) and its subjects'
SELECT set_origin('140400') IS NULL AS ignore \gset
SELECT local_origin() AS origin \gset
\echo 'local_origin():' :origin '长治市 (set once with set_origin)'

-- a government, the departments it supervises, a county government
SELECT subject_add('government', '长治市人民政府', '11140400000000019L') AS gov \gset
SELECT subject_add('department', '长治市应急管理局', '11140400000000027F', parent_id => :gov) AS d_safety \gset
SELECT subject_add('department', '长治市统计局', '11140400000000035A', parent_id => :gov) AS d_stats \gset
SELECT subject_add('department', '长治市财政局', '111404000000000435', parent_id => :gov) AS d_finance \gset
SELECT subject_add('department', '长治市住房和城乡建设局', '111404000000000510', parent_id => :gov) AS d_housing \gset
SELECT subject_add('department', '长治市市场监督管理局', '1114040000000006XP', parent_id => :gov) AS d_market \gset
SELECT subject_add('department', '长治市生态环境局', '11140400000000078P', parent_id => :gov) AS d_env \gset
SELECT subject_add('government', '长治市潞州区人民政府', '111404030000000190', parent_id => :gov) AS county \gset
-- civil servants, each under their department
SELECT subject_add('civil_servant', '张伟', '140402198501011237', parent_id => :d_safety) AS cs_zhang \gset
SELECT subject_add('civil_servant', '李娜', '14040219900202234X', parent_id => :d_finance) AS cs_li \gset
SELECT subject_add('civil_servant', '王强', '140402197803150318', parent_id => :d_housing) AS cs_wang \gset
SELECT subject_add('civil_servant', '赵敏', '140402198307220422', parent_id => :d_market) AS cs_zhao \gset
SELECT subject_add('civil_servant', '欧阳明华', '140402199205100539', parent_id => :d_stats) AS cs_ouyang \gset
SELECT subject_add('civil_servant', '刘芳', '140403198606060170', parent_id => :county) AS cs_liu \gset
-- enterprises (企业): safety-production cases, red-list candidates, others
SELECT subject_add('enterprise', '长治市安泰煤业有限公司', '91140400000000043W') AS e_antai \gset
SELECT subject_add('enterprise', '长治市恒信化工有限公司', '91140400000000051P') AS e_hengxin \gset
SELECT subject_add('enterprise', '长治市鑫源焦化有限公司', '9114040000000006XF') AS e_xinyuan \gset
SELECT subject_add('enterprise', '长治市宏达矿业有限公司', '91140400000000078F') AS e_hongda \gset
SELECT subject_add('enterprise', '长治市通达建筑工程有限公司', '91140400000000086A') AS e_tongda \gset
SELECT subject_add('enterprise', '长治市绿源电力有限公司', '911404000000000945') AS e_lvyuan \gset
SELECT subject_add('enterprise', '长治市晋东钢铁有限公司', '91140400000000107T') AS e_jindong \gset
SELECT subject_add('enterprise', '长治市潞安机械制造有限公司', '91140400000000115M') AS e_luan \gset
SELECT subject_add('enterprise', '长治市太行物流有限公司', '91140400000000123G') AS e_taihang \gset
SELECT subject_add('enterprise', '长治市上党建设集团有限公司', '91140400000000131B') AS e_shangdang \gset
SELECT subject_add('enterprise', '长治市漳河水务有限公司', '9114040000000014X3') AS e_zhanghe \gset
SELECT subject_add('enterprise', '长治市华晟置业有限公司', '911404000000001583') AS e_huasheng \gset
SELECT subject_add('enterprise', '长治市长兴商贸有限公司', '91140400000000166X') AS e_changxing \gset
SELECT subject_add('enterprise', '长治市瑞丰食品有限公司', '91140400000000174Q') AS e_ruifeng \gset
SELECT subject_add('enterprise', '福建闽江路桥有限公司', '91350100M000100Y43') AS e_minjiang \gset
\echo '-- an early pilot-area code that fails the check is kept as legacy_code, with a WARNING (D1.1b):'
SELECT subject_add('enterprise', '福州试点商贸有限公司', NULL, legacy_code => '91350100M0001TGQXM') AS e_legacy \gset

SELECT s.id, s.kind, s.name, coalesce(s.uscc::text, mask(s.cn_id), s.legacy_code || ' (legacy)') AS code,
       s.region, p.name AS "上级 parent"
  FROM subject s LEFT JOIN subject p ON p.origin = s.origin AND p.id = s.parent_id
 ORDER BY s.kind, s.id;

------------------------------------------------------------------------
\echo
\echo '== 3. 一年的记录 A year of records: 采集 -> 告知 -> 认定 -> 公示, 异议, 修复, 撤销, 期满'
\echo '-- every working day of the last 400 days: one decision about a government, department,'
\echo '-- civil servant or enterprise, entered today as a backlog (so publication is late for most)'
-- who gets the decisions: enterprises most, governments and departments a few
-- (财政局 and 生态环境局, 李娜, 张伟 and 刘芳 none: they get their own cases in section 4)
CREATE TEMP TABLE pool AS
SELECT row_number() OVER (ORDER BY w.id, k) - 1 AS n, w.id, s.kind
  FROM (VALUES (:gov, 1), (:d_safety, 1), (:d_stats, 1), (:d_housing, 2), (:d_market, 3), (:county, 1),
               (:cs_wang, 1), (:cs_zhao, 1), (:cs_ouyang, 1),
               (:e_shangdang, 8), (:e_zhanghe, 8), (:e_huasheng, 8), (:e_changxing, 8), (:e_ruifeng, 8),
               (:e_minjiang, 8), (:e_legacy, 8)) AS w(id, weight)
  JOIN subject s ON s.id = w.id
 CROSS JOIN LATERAL generate_series(1, w.weight) AS k;

CREATE TEMP TABLE gen AS
SELECT i, row_number() OVER (ORDER BY i) AS rn, d AS decided_on, p.id AS subject_id,
       x.category, x.severity, x.domain, NULL::bigint AS rid
  FROM generate_series(400, 1, -1) AS i
 CROSS JOIN LATERAL (SELECT current_date - i AS d) AS dd
  JOIN pool p ON p.n = (i + 5) % (SELECT count(*) FROM pool)
 CROSS JOIN LATERAL (SELECT
        (CASE p.kind
              WHEN 'civil_servant' THEN ARRAY['disciplinary_sanction', 'accountability', 'disciplinary_sanction', 'admin_penalty']
              WHEN 'enterprise' THEN ARRAY['admin_penalty', 'breach_of_contract', 'admin_penalty', 'judicial_judgment']
              ELSE ARRAY['admin_penalty', 'accountability', 'breach_of_contract', 'judicial_judgment'] END)[1 + (i / 7) % 4]
            AS category,
        (CASE WHEN i % 11 = 0 THEN 'minor' WHEN i % 7 = 0 THEN 'serious' ELSE 'general' END)::severity AS severity,
        (ARRAY['政府采购', '招标投标', '招商引资', '政府债务', '环境保护', '街道乡镇', '其他'])[1 + i % 7] AS domain) AS x
 WHERE is_workday(d)
 ORDER BY i DESC;

UPDATE gen SET rid = record_add(
    subject_id, category, severity, decided_on,
    pg_temp.docno(CASE category WHEN 'admin_penalty' THEN '长市监罚' WHEN 'judicial_judgment' THEN '长中法民初'
                                WHEN 'breach_of_contract' THEN '长中法执' ELSE '长纪监' END,
                  decided_on, 100 + i),
    CASE category WHEN 'admin_penalty' THEN '长治市市场监督管理局'
                  WHEN 'judicial_judgment' THEN '长治市中级人民法院'
                  WHEN 'breach_of_contract' THEN '长治市中级人民法院'
                  ELSE '长治市纪委监委' END,
    CASE category WHEN 'admin_penalty' THEN '违反《政府采购法》相关规定，责令改正并处罚款'
                  WHEN 'judicial_judgment' THEN '合同纠纷案件判决败诉，未按期履行'
                  WHEN 'breach_of_contract' THEN '拖欠工程款和农民工工资，经法院强制执行'
                  WHEN 'accountability' THEN '招商引资承诺未兑现，对相关单位问责'
                  ELSE '违反工作纪律，给予警告处分' END,
    domain);

-- the lifecycle, record by record; the C trigger enforces every step
DO $$
DECLARE g record;
BEGIN
    FOR g IN SELECT gen.*, r.repair_allowed_from FROM gen JOIN integrity.record r ON r.id = gen.rid ORDER BY gen.rid LOOP
        CONTINUE WHEN g.rn <= 3;                        -- the newest three: just collected (采集)
        PERFORM integrity.notify(g.rid, '书面告知当事人，可在5个工作日内申辩');
        CONTINUE WHEN g.rn <= 6;                        -- the next three: within the 申辩 period
        IF g.i % 23 = 0 THEN                            -- wrong information found before publication
            PERFORM integrity.revoke(g.rid, '核查发现主体信息错误，予以撤销');
            CONTINUE;
        END IF;
        PERFORM integrity.confirm(g.rid, '申辩期满未提出新的事实和理由，予以认定');
        CONTINUE WHEN g.severity = 'minor';             -- D2.6: minor records are not published
        PERFORM integrity.publish(g.rid);
        IF g.i % 17 = 0 THEN                            -- 异议, decided both ways
            PERFORM integrity.object(g.rid, '当事人对认定事实提出异议');
            IF g.i % 34 = 0 THEN
                PERFORM integrity.resolve_objection(g.rid, true, '异议成立：处罚决定已被行政复议撤销');
            ELSE
                PERFORM integrity.resolve_objection(g.rid, false, '异议不成立：事实清楚，证据确凿，维持公示');
            END IF;
        ELSIF g.i % 29 = 0 THEN                         -- an objection still being handled
            PERFORM integrity.object(g.rid, '当事人称已履行判决，申请更正');
        ELSIF g.i % 31 = 0 THEN                         -- withdrawn after publication
            PERFORM integrity.revoke(g.rid, '作出决定的机关撤销原决定');
        ELSIF g.i % 5 = 0 AND g.repair_allowed_from <= current_date THEN
            PERFORM integrity.repair(g.rid, '已纠正失信行为、履行义务并作出信用承诺，申请信用修复');
        END IF;
        IF g.i % 19 = 0 AND g.i % 31 <> 0 THEN          -- 主动挽回损失 (D2.8)
            PERFORM integrity.mark_remedied(g.rid, '主动足额支付拖欠款项，消除不良影响');
        END IF;
    END LOOP;
END $$;

\echo '-- 公示期满 expire_due(): publicity of general records decided over a year ago has ended (run it twice: idempotent)'
SELECT expire_due() AS "expired now", expire_due() AS "expired on a second run";

\echo '-- the year by category and state'
SELECT r.category, c.name AS "类别",
       count(*) AS total,
       count(*) FILTER (WHERE state = 'collected') AS collected,
       count(*) FILTER (WHERE state = 'notified') AS notified,
       count(*) FILTER (WHERE state = 'confirmed') AS confirmed,
       count(*) FILTER (WHERE state = 'published') AS published,
       count(*) FILTER (WHERE state = 'objected') AS objected,
       count(*) FILTER (WHERE state = 'repaired') AS repaired,
       count(*) FILTER (WHERE state = 'expired') AS expired,
       count(*) FILTER (WHERE state = 'revoked') AS revoked,
       count(*) FILTER (WHERE remedied) AS remedied
  FROM record r JOIN category c ON c.code = r.category
 GROUP BY r.category, c.name ORDER BY total DESC;

------------------------------------------------------------------------
\echo
\echo '== 4. 安全生产与专项记录 Safety-production records and the cases for evaluation'
-- pg_temp.publish_now(record_add(...)): 告知, 认定 and 公示 of each new record
SELECT count(pg_temp.publish_now(record_add(s, c, 'serious', current_date - d, pg_temp.docno(doc, current_date - d, n),
                                             '长治市应急管理局', summ, '安全生产', lvl, deaths))) AS ignore
  FROM (VALUES
    -- D3.2 blacklist: one major accident; two larger accidents within 365 days
    (:e_antai,    'safety_accident', 90,  '长应急罚', 7,  '井下透水重大事故，造成10人死亡', 'major', 10),
    (:e_hengxin,  'safety_accident', 200, '长应急罚', 3,  '反应釜爆炸较大事故，造成3人死亡', 'larger', 3),
    (:e_hengxin,  'safety_accident', 40,  '长应急罚', 9,  '储罐泄漏中毒较大事故，造成4人死亡', 'larger', 4),
    -- D3.1 joint punishment: one larger accident; a listed violation; three fatal general accidents
    (:e_xinyuan,  'safety_accident', 120, '长应急罚', 5,  '煤气中毒较大事故，造成3人死亡', 'larger', 3),
    (:e_hongda,   'safety_violation', 60, '长应急罚', 8,  '拒不执行停产整顿指令，擅自组织生产', NULL, 0),
    (:e_tongda,   'safety_accident', 300, '长应急罚', 21, '高处坠落一般事故，造成1人死亡', 'general', 1),
    (:e_tongda,   'safety_accident', 150, '长应急罚', 22, '物体打击一般事故，造成1人死亡', 'general', 1),
    (:e_tongda,   'safety_accident', 20,  '长应急罚', 23, '坍塌一般事故，造成1人死亡', 'general', 1),
    -- a larger accident two years ago: no longer punished, but it blocks the red list
    (:e_taihang,  'safety_accident', 700, '长应急罚', 12, '车辆伤害较大事故，造成3人死亡', 'larger', 3)
  ) AS v(s, c, d, doc, n, summ, lvl, deaths) \gset
-- D3.4 red list: a public credit commitment and 安全生产标准化一级, nothing against them
SELECT count(pg_temp.publish_now(record_add(s, c, 'general', current_date - d, pg_temp.docno(doc, current_date - d, n),
                                             '长治市应急管理局', summ, '安全生产'))) AS ignore
  FROM (VALUES
    (:e_lvyuan,   'credit_commitment',      100, '长信承',   11, '向社会公开作出安全生产信用承诺'),
    (:e_lvyuan,   'safety_standard_level1', 200, '晋应急标', 1,  '安全生产标准化一级企业'),
    (:e_jindong,  'credit_commitment',      50,  '长信承',   15, '向社会公开作出安全生产信用承诺'),
    (:e_jindong,  'safety_standard_level1', 300, '晋应急标', 6,  '安全生产标准化一级企业'),
    (:e_taihang,  'credit_commitment',      70,  '长信承',   13, '向社会公开作出安全生产信用承诺'),
    (:e_taihang,  'safety_standard_level1', 250, '晋应急标', 9,  '安全生产标准化一级企业'),
    -- a commitment, no level-1 standard, and a safety-domain penalty
    (:e_luan,     'credit_commitment',      80,  '长信承',   12, '向社会公开作出安全生产信用承诺'),
    (:e_luan,     'admin_penalty',          150, '长应急罚', 4,  '未按规定开展安全生产教育培训，责令限期改正并处罚款')
  ) AS v(s, c, d, doc, n, summ) \gset
-- D5: 一票否决 statistical fraud of the county government; commendations; D2.8, D4.4 a remedied
-- penalty of the 生态环境局; D4.2, D4.3 a disciplinary sanction of 张伟 this year
SELECT count(pg_temp.publish_now(record_add(s, c, sev::severity, dd, pg_temp.docno(doc, dd, n), unit, summ, dom))) AS ignore
  FROM (VALUES
    (:county,    'statistical_fraud',     'serious', 150, '晋统执', 3,  '山西省统计局', '虚报规模以上工业企业产值，统计造假', '统计'),
    (:d_finance, 'commendation',          'general', 25,  '长政表', 5,  '长治市人民政府', '预算绩效管理先进单位', '其他'),
    (:e_jindong, 'commendation',          'general', 30,  '长政表', 2,  '长治市人民政府', '安全生产先进单位', '安全生产'),
    (:d_env,     'commendation',          'general', 45,  '长政表', 3,  '长治市人民政府', '生态环境保护先进集体', '环境保护'),
    (:d_env,     'admin_penalty',         'general', 100, '晋环罚', 21, '山西省生态环境厅', '污水处理项目未批先建，责令改正并处罚款', '环境保护'),
    (:cs_zhang,  'disciplinary_sanction', 'general', least(20, extract(doy FROM current_date)::integer - 1),
                                                          '长纪处', 31, '长治市纪委监委', '履职不力，给予警告处分', '其他')
  ) AS v(s, c, sev, d, doc, n, unit, summ, dom)
 CROSS JOIN LATERAL (SELECT current_date - d AS dd) AS x \gset
SELECT mark_remedied(id, '已主动拆除违规设施并完成整改，消除不良影响') IS NULL AS ignore
  FROM record WHERE subject_id = :d_env AND category = 'admin_penalty' \gset

SELECT s.name, r.category, r.severity, r.decided_on, r.document_no, r.accident_level AS "事故等级",
       r.deaths, r.state, r.remedied
  FROM record r JOIN subject s ON s.origin = r.origin AND s.id = r.subject_id
 WHERE r.id > (SELECT max(rid) FROM gen)
 ORDER BY s.id, r.decided_on;

------------------------------------------------------------------------
\echo
\echo '== 5. 规则由数据库强制执行 The rules hold even for the table owner (SQLSTATE 55000 and others)'
SELECT min(id) AS collected_id FROM record WHERE state = 'collected' \gset
SELECT min(id) AS young_id FROM record WHERE state = 'published' AND repair_allowed_from > current_date \gset
SELECT min(id) AS minor_id FROM record WHERE state = 'confirmed' AND severity = 'minor' \gset
SELECT min(id) AS expired_id FROM record WHERE state = 'expired' \gset
SELECT min(id) AS published_id FROM record WHERE state = 'published' \gset
\pset format unaligned
\pset tuples_only on
SELECT format('%-34s %s', what || ':', pg_temp.try(q))
  FROM (VALUES
    ('publish a collected record', format('SELECT integrity.publish(%s)', :collected_id)),
    ('repair before the minimum period', format('SELECT integrity.repair(%s, %L)', :young_id, '申请信用修复')),
    ('publish a minor record', format('SELECT integrity.publish(%s)', :minor_id)),
    ('object to an expired record', format('SELECT integrity.object(%s, %L)', :expired_id, '异议')),
    ('UPDATE content as table owner', format('UPDATE integrity.record SET summary = %L WHERE id = %s', '改写', :published_id)),
    ('UPDATE state as table owner', format('UPDATE integrity.record SET state = %L WHERE id = %s', 'collected', :published_id)),
    ('DELETE a record', format('DELETE FROM integrity.record WHERE id = %s', :published_id)),
    ('UPDATE the history', 'UPDATE integrity.record_event SET reason = ''x'''),
    ('TRUNCATE the disclosure log', 'TRUNCATE integrity.disclosure'),
    ('decision in the future', format('SELECT integrity.record_add(%s, %L, NULL, current_date + 1, NULL, NULL, NULL)', :d_market, 'admin_penalty')),
    ('accident of a department', format('SELECT integrity.record_add(%s, %L, %L, current_date, NULL, NULL, NULL, %L, %L, 1)', :d_safety, 'safety_accident', 'serious', '安全生产', 'major')),
    ('enterprise with a bad code', format('SELECT integrity.subject_add(%L, %L, %L)', 'enterprise', '某公司', '91140400000000043X')),
    ('set_origin again', format('SELECT integrity.set_origin(%L)', '140500'))
  ) AS v(what, q);
\pset format aligned
\pset tuples_only off

------------------------------------------------------------------------
\echo
\echo '== 6. 一条记录的历史 The history of one record (record_event, append-only)'
SELECT min(rid) AS hist_id FROM gen WHERE i % 17 = 0 AND i % 34 <> 0 AND i > 20 AND severity <> 'minor' AND i % 23 <> 0 \gset
SELECT r.id, s.name, r.category, r.severity, r.decided_on, r.publish_due AS "双公示 due",
       r.repair_allowed_from AS "可修复 from", r.publicity_until AS "公示至 until", r.state
  FROM record r JOIN subject s ON s.origin = r.origin AND s.id = r.subject_id WHERE r.id = :hist_id;
SELECT e.id AS event_id, e.event, e.from_state, e.to_state, e.actor, e.reason
  FROM record_event e WHERE e.record_id = :hist_id ORDER BY e.id;

------------------------------------------------------------------------
\echo
\echo '== 7. 角色 Roles: integrity_reader / integrity_operator / integrity_admin'
SELECT r AS role, what, pg_temp.try_as(r, q) AS result
  FROM (VALUES
    ('integrity_reader', 'read the disclosure log', 'SELECT count(*) FROM integrity.disclosure'),
    ('integrity_reader', 'read operator tables', 'SELECT count(*) FROM integrity.record'),
    ('integrity_reader', 'add a record', format('SELECT integrity.record_add(%s, %L, NULL, current_date, NULL, NULL, NULL)', :d_market, 'admin_penalty')),
    ('integrity_operator', 'add a record', format('SELECT integrity.record_add(%s, %L, NULL, current_date, %L, %L, %L)', :d_market, 'admin_penalty', '长市监罚〔2025〕99号', '长治市市场监督管理局', '示例')),
    ('integrity_operator', 'write a table directly', 'INSERT INTO integrity.calendar (day, is_workday) VALUES (''2030-01-02'', false)'),
    ('integrity_operator', 'set the origin', 'SELECT integrity.set_origin(''140400'')'),
    ('integrity_admin', 'add a calendar day', 'INSERT INTO integrity.calendar (day, is_workday, note) VALUES (''2030-01-02'', false, ''示例'')')
  ) AS v(r, what, q);

------------------------------------------------------------------------
\echo
\echo '== 8. 签名公示日志 The signed, hash-chained disclosure log'
SELECT d.seq, d.event, d.key_id, left(d.payload, 80) AS payload
  FROM disclosure d ORDER BY d.seq LIMIT 8;
SELECT event, count(*) AS entries FROM disclosure GROUP BY event ORDER BY min(seq);
\echo '-- entry_hash = SHA-256(prev_hash || seq || SHA-256(payload)); signature = Ed25519(entry_hash)'
SELECT encode(public_key(), 'hex') AS "public_key() Ed25519", key_id, valid_from::date
  FROM signing_key;
SELECT 'all signatures' AS mode, * FROM verify_chain()
UNION ALL
SELECT 'head signature', * FROM verify_chain(signatures => 'head');
SELECT verify_entry(local_origin(), 1) AS "verify_entry(origin, 1)";
SELECT tree_size, encode(root_hash, 'hex') AS root_hex, checkpoint FROM tree_head() \gset
\echo 'tree_head(): tree_size' :tree_size ', Merkle root (RFC 6962)' :root_hex
\echo '-- its C2SP tlog-checkpoint, signed by the same key:'
\echo :checkpoint
SELECT cardinality(inclusion_proof(3, :tree_size)) AS "inclusion_proof(3, size): hashes",
       cardinality(consistency_proof(10, :tree_size)) AS "consistency_proof(10, size): hashes";

------------------------------------------------------------------------
\echo
\echo '== 9. 评价与名单 Scores and lists: evaluate, punishment_status, incentive_status, views'
SELECT (to_regprocedure('integrity.evaluate(bigint,date,text)') IS NOT NULL
        AND to_regprocedure('integrity.punishment_status(bigint,date)') IS NOT NULL
        AND to_regprocedure('integrity.incentive_status(bigint,date)') IS NOT NULL
        AND to_regprocedure('integrity.may_rate_excellent(bigint,integer)') IS NOT NULL
        AND to_regprocedure('integrity.restrictions(bigint,date)') IS NOT NULL
        AND to_regclass('integrity.evaluation') IS NOT NULL
        AND to_regclass('integrity.blacklist') IS NOT NULL
        AND to_regclass('integrity.redlist') IS NOT NULL
        AND to_regclass('integrity.public_record') IS NOT NULL
        AND to_regclass('integrity.monitoring_ranking') IS NOT NULL) AS has_eval \gset
\if :has_eval
\echo '-- 9a. evaluate(subject): 100 points, deductions by severity and age, 一票否决 veto (D5)'
SELECT s.name, s.kind, e.score, e.grade, e.vetoed
  FROM subject s CROSS JOIN LATERAL evaluate(s.id) e
 WHERE s.kind IN ('government', 'department')
 ORDER BY e.score DESC, s.id;
\echo '-- the breakdown explains every change, e.g. for 长治市生态环境局 (a remedied penalty, a commendation):'
\pset format unaligned
\pset tuples_only on
SELECT jsonb_pretty(breakdown) FROM evaluate(:d_env);
\pset format aligned
\pset tuples_only off

\echo '-- 9b. view evaluation: every government and department today, ranked overall and within its parent'
SELECT subject_id, name, kind, parent_id, score, grade, vetoed, rank_overall, rank_in_parent
  FROM evaluation ORDER BY rank_overall, subject_id;

\echo '-- 9c. punishment_status(subject): 联合惩戒 joint punishment / 黑名单 blacklist (D3.1-D3.3)'
SELECT s.name, p.level, p.listed_from, p.listed_until, cardinality(p.reasons) AS reasons
  FROM subject s CROSS JOIN LATERAL punishment_status(s.id) p
 WHERE s.id IN (:e_antai, :e_hengxin, :e_xinyuan, :e_hongda, :e_tongda, :e_taihang, :e_lvyuan)
 ORDER BY s.id;
\echo '-- the reasons name the rule and the records, e.g. for 恒信化工 and 通达建筑:'
\pset format unaligned
\pset tuples_only on
SELECT s.name || ': ' || r
  FROM subject s CROSS JOIN LATERAL punishment_status(s.id) p CROSS JOIN LATERAL unnest(p.reasons) AS r
 WHERE s.id IN (:e_hengxin, :e_tongda) ORDER BY s.id;
\pset format aligned
\pset tuples_only off
\echo '-- any day can be re-evaluated (as_of): records count from their confirmation (today), and the'
\echo '-- listing of 安泰煤业 lasts one year from its accident'
SELECT d AS as_of, p.level, p.listed_from, p.listed_until
  FROM (VALUES (current_date - 1), (current_date), (current_date + 270), (current_date + 280)) AS v(d)
 CROSS JOIN LATERAL punishment_status(:e_antai, d) p;

\echo '-- 9d. incentive_status(subject): 守信联合激励 red-list eligibility (D3.4)'
SELECT s.name, i.eligible, i.failed, i.valid_until
  FROM subject s CROSS JOIN LATERAL incentive_status(s.id) i
 WHERE s.id IN (:e_lvyuan, :e_jindong, :e_luan, :e_taihang, :e_antai)
 ORDER BY s.id;

\echo '-- 9e. restrictions(subject) (D4.1-D4.4) and may_rate_excellent(civil servant, year) (D4.3)'
SELECT s.name, s.kind, array(SELECT restrictions(s.id)) AS restrictions
  FROM subject s WHERE s.id IN (:d_market, :d_env, :cs_zhang, :e_hongda) ORDER BY s.id;
SELECT s.name, y AS year, may_rate_excellent(s.id, y) AS "可评优秀 may be rated excellent"
  FROM subject s CROSS JOIN (VALUES (extract(year FROM current_date)::integer)) AS v(y)
 WHERE s.kind = 'civil_servant' ORDER BY s.id;

\echo '-- 9f. views blacklist and redlist (granted to integrity_reader)'
SELECT subject_id, name, code, level, listed_from, listed_until FROM blacklist ORDER BY level DESC, subject_id;
SELECT subject_id, name, code, valid_until FROM redlist ORDER BY subject_id;

\echo '-- 9g. view public_record: what the public sees (persons masked, objections shown as 异议处理中)'
SELECT subject_name, subject_code, category_name, severity, decided_on, publicity_until, state
  FROM public_record ORDER BY decided_on DESC, record_id LIMIT 10;

\echo '-- 9h. view monitoring_ranking: the quarterly 政务诚信监测 ranking of the last completed quarter'
\echo '-- (this demo confirmed its whole backlog today, so it first counts in the current quarter)'
SELECT quarter, name, score, grade, vetoed, rank, rank_change AS "名次变化 change",
       publish_on_time_pct AS "双公示及时率 %", records_in_publicity AS "公示中 in publicity"
  FROM monitoring_ranking
 WHERE quarter = (SELECT max(quarter) FROM monitoring_ranking)
 ORDER BY rank, subject_id;
\else
\echo 'NOTICE: the evaluation part (SPEC 5 and 7) is not installed in this build yet; skipping this section.'
\endif

\echo
\echo '== 完 Done.  The log of origin' :origin 'can now be exported and verified offline (demo/run.sh).'
