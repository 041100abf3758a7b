-- demo/demo.sql: the county platform of the demo, 平顺县 (origin 140421),
-- as a guided tour of the integrity extension (政务诚信).
--
-- `make demo` (demo/run.sh) runs it in the county's own cluster, then goes
-- on with the city (demo/city.sql), replication and offline verification.
-- It also runs alone, in an empty database of a cluster whose
-- integrity.signing_key_file is set:
--     psql -X -v ON_ERROR_STOP=1 -d DB -f demo/demo.sql
-- It creates the extension in the current database, so that database must
-- not have it yet.  All dates are relative to today.  Identifiers, names and
-- cases below are made up; the identifiers have valid check characters.

\ir lib.sql

\echo
\echo '=================================================================='
\echo ' 第一级 平顺县 County platform, origin 140421'
\echo '=================================================================='
CREATE EXTENSION integrity;
SELECT extversion AS "integrity version" FROM pg_extension WHERE extname = 'integrity';

------------------------------------------------------------------------
\echo
\echo '== 1. 身份标识 Identifiers: 统一社会信用代码 (uscc) and 居民身份证号码 (cn_id), C types'
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

\echo '-- 1b. accepted 居民身份证号码 (GB 11643 examples included; births before 1900 are fine), masked for the public'
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
  FROM (VALUES ('9111000060003IOZSV', 'uscc'),
               ('91350100M000100Y4Z', 'uscc'),
               ('911404000000000479', 'uscc'),
               ('151404000000000198', 'uscc'),
               ('110105194902300020', 'cn_id'),
               ('36042619910102009X', 'cn_id'),
               ('140402209912310013', 'cn_id')) AS v(t, ty);
\pset format aligned
\pset tuples_only off

------------------------------------------------------------------------
\echo
\echo '== 2. 本平台与信用主体 The platform (origin) and its subjects'
SELECT set_origin('140421') IS NULL AS ignore \gset
SELECT local_origin() AS origin \gset
\echo 'local_origin():' :origin '平顺县 (set once with set_origin)'

-- codes: 11 = 机关 (governments, departments), 91 = 企业 (enterprises),
-- region 140421, then a made-up organization code
SELECT subject_add('government', '平顺县人民政府', pg_temp.mk_uscc('1114042101100001')) AS gov \gset
SELECT subject_add('department', '平顺县应急管理局', pg_temp.mk_uscc('1114042101100002'), parent_id => :gov) AS d_safety \gset
SELECT subject_add('department', '平顺县统计局', pg_temp.mk_uscc('1114042101100003'), parent_id => :gov) AS d_stats \gset
SELECT subject_add('department', '平顺县财政局', pg_temp.mk_uscc('1114042101100004'), parent_id => :gov) AS d_finance \gset
SELECT subject_add('department', '平顺县住房和城乡建设局', pg_temp.mk_uscc('1114042101100005'), parent_id => :gov) AS d_housing \gset
SELECT subject_add('department', '平顺县市场监督管理局', pg_temp.mk_uscc('1114042101100006'), parent_id => :gov) AS d_market \gset
SELECT subject_add('department', '平顺县自然资源局', pg_temp.mk_uscc('1114042101100007'), parent_id => :gov) AS d_land \gset
SELECT subject_add('government', '平顺县青羊镇人民政府', pg_temp.mk_uscc('1114042101100008'), parent_id => :gov) AS town_qy \gset
-- civil servants, each under their government or department
SELECT subject_add('civil_servant', '张伟', pg_temp.mk_cnid('14042119850101123'), parent_id => :d_safety) AS cs_zhang \gset
SELECT subject_add('civil_servant', '李娜', pg_temp.mk_cnid('14042119900202234'), parent_id => :d_finance) AS cs_li \gset
SELECT subject_add('civil_servant', '王强', pg_temp.mk_cnid('14042119780315031'), parent_id => :d_housing) AS cs_wang \gset
SELECT subject_add('civil_servant', '赵敏', pg_temp.mk_cnid('14042119830722042'), parent_id => :d_market) AS cs_zhao \gset
SELECT subject_add('civil_servant', '欧阳明华', pg_temp.mk_cnid('14042119920510053'), parent_id => :d_stats) AS cs_ouyang \gset
SELECT subject_add('civil_servant', '刘芳', pg_temp.mk_cnid('14042119860606017'), parent_id => :town_qy) AS cs_liu \gset
-- enterprises (企业): safety-production cases, red-list candidates, others
SELECT subject_add('enterprise', '平顺县安泰煤业有限公司', pg_temp.mk_uscc('91140421MA0K0001')) AS e_antai \gset
SELECT subject_add('enterprise', '平顺县恒信化工有限公司', pg_temp.mk_uscc('91140421MA0K0002')) AS e_hengxin \gset
SELECT subject_add('enterprise', '平顺县鑫源焦化有限公司', pg_temp.mk_uscc('91140421MA0K0014')) AS e_xinyuan \gset
SELECT subject_add('enterprise', '平顺县宏达矿业有限公司', pg_temp.mk_uscc('91140421MA0K0003')) AS e_hongda \gset
SELECT subject_add('enterprise', '平顺县通达建筑工程有限公司', pg_temp.mk_uscc('91140421MA0K0004')) AS e_tongda \gset
SELECT subject_add('enterprise', '平顺县绿源电力有限公司', pg_temp.mk_uscc('91140421MA0K0005')) AS e_lvyuan \gset
SELECT subject_add('enterprise', '平顺县漳河水务有限公司', pg_temp.mk_uscc('91140421MA0K0006')) AS e_zhanghe \gset
SELECT subject_add('enterprise', '平顺县潞安机械制造有限公司', pg_temp.mk_uscc('91140421MA0K0007')) AS e_luan \gset
SELECT subject_add('enterprise', '平顺县太行物流有限公司', pg_temp.mk_uscc('91140421MA0K0008')) AS e_taihang \gset
SELECT subject_add('enterprise', '平顺县上党建设有限公司', pg_temp.mk_uscc('91140421MA0K0009')) AS e_shangdang \gset
SELECT subject_add('enterprise', '平顺县虹梯关旅游开发有限公司', pg_temp.mk_uscc('91140421MA0K0010')) AS e_hongti \gset
SELECT subject_add('enterprise', '平顺县华晟置业有限公司', pg_temp.mk_uscc('91140421MA0K0011')) AS e_huasheng \gset
SELECT subject_add('enterprise', '平顺县长兴商贸有限公司', pg_temp.mk_uscc('91140421MA0K0012')) AS e_changxing \gset
SELECT subject_add('enterprise', '平顺县瑞丰食品有限公司', pg_temp.mk_uscc('91140421MA0K0013')) AS e_ruifeng \gset
SELECT subject_add('enterprise', '福建闽江路桥有限公司', '91350100M000100Y43') AS e_minjiang \gset
\echo '-- an early pilot-area code that fails the check is kept as legacy_code, with a WARNING (D1.1b):'
SELECT subject_add('enterprise', '福州试点商贸有限公司', NULL, legacy_code => '91350100M0001TGQXM') AS e_legacy \gset

SELECT kind, count(*) AS "数量 n",
       string_agg(name, '、' ORDER BY id) FILTER (WHERE rn <= 4) || CASE WHEN count(*) > 4 THEN ' …' ELSE '' END
           AS "例 names",
       (array_agg(code ORDER BY id))[1] AS "第一个代码 first code"
  FROM (SELECT s.id, s.kind, s.name, row_number() OVER (PARTITION BY s.kind ORDER BY s.id) AS rn,
               coalesce(s.uscc::text, mask(s.cn_id), s.legacy_code || ' (legacy)') AS code
          FROM subject s) t
 GROUP BY kind ORDER BY kind;

------------------------------------------------------------------------
\echo
\echo '== 3. 一年的记录 A year of records: 采集 -> 告知 -> 认定 -> 公示, 异议, 修复, 撤销, 期满'
-- who gets the decisions: enterprises most, governments and departments a few
-- (财政局, 自然资源局, 李娜, 张伟 and 刘芳 none: they get their own cases in section 4)
CREATE TEMP TABLE pool AS
SELECT row_number() OVER (ORDER BY w.id, k) - 1 AS n, w.id, s.kind
  FROM (VALUES (:gov, 1), (:d_safety, 1), (:d_stats, 1), (:d_housing, 2), (:d_market, 3), (:town_qy, 1),
               (:cs_wang, 1), (:cs_zhao, 1), (:cs_ouyang, 1),
               (:e_shangdang, 8), (:e_hongti, 8), (:e_huasheng, 8), (:e_changxing, 8), (:e_ruifeng, 8),
               (:e_minjiang, 8), (:e_legacy, 8)) AS w(id, weight)
  JOIN subject s ON s.origin = :'origin' AND s.id = w.id
 CROSS JOIN LATERAL generate_series(1, w.weight) AS k;
\set place 平顺县
\set abbr 平
\set court 平顺县人民法院
\set days 400
\set shift 0
\ir year.sql

------------------------------------------------------------------------
\echo
\echo '== 4. 安全生产与专项记录 Safety-production records and the cases for evaluation'
SELECT max(rid) AS last_generated FROM gen \gset
-- pg_temp.publish_now(record_add(...)): 告知, 认定 and 公示 of each new record
SELECT count(pg_temp.publish_now(record_add(s, c, 'serious', current_date - d, pg_temp.docno(doc, current_date - d, n),
                                             '平顺县应急管理局', summ, '安全生产', lvl, deaths))) AS ignore
  FROM (VALUES
    -- D3.2 blacklist: one major accident; two larger accidents within 365 days
    (:e_antai,    'safety_accident', 90,  '平应急罚', 7,  '井下透水重大事故，造成10人死亡', 'major', 10),
    (:e_hengxin,  'safety_accident', 200, '平应急罚', 3,  '反应釜爆炸较大事故，造成3人死亡', 'larger', 3),
    (:e_hengxin,  'safety_accident', 40,  '平应急罚', 9,  '储罐泄漏中毒较大事故，造成4人死亡', 'larger', 4),
    -- D3.1 joint punishment: one larger accident; a listed violation; three fatal general accidents
    (:e_xinyuan,  'safety_accident', 120, '平应急罚', 5,  '煤气中毒较大事故，造成3人死亡', 'larger', 3),
    (:e_hongda,   'safety_violation', 60, '平应急罚', 8,  '拒不执行停产整顿指令，擅自组织生产', NULL, 0),
    (:e_tongda,   'safety_accident', 300, '平应急罚', 21, '高处坠落一般事故，造成1人死亡', 'general', 1),
    (:e_tongda,   'safety_accident', 150, '平应急罚', 22, '物体打击一般事故，造成1人死亡', 'general', 1),
    (:e_tongda,   'safety_accident', 20,  '平应急罚', 23, '坍塌一般事故，造成1人死亡', 'general', 1),
    -- a larger accident two years ago: no longer punished, but it blocks the red list
    (:e_taihang,  'safety_accident', 700, '平应急罚', 12, '车辆伤害较大事故，造成3人死亡', 'larger', 3)
  ) AS v(s, c, d, doc, n, summ, lvl, deaths) \gset
-- D3.4 red list: a public credit commitment and 安全生产标准化一级, nothing against them
SELECT count(pg_temp.publish_now(record_add(s, c, 'general', current_date - d, pg_temp.docno(doc, current_date - d, n),
                                             '平顺县应急管理局', summ, '安全生产'))) AS ignore
  FROM (VALUES
    (:e_lvyuan,   'credit_commitment',      100, '平信承',   11, '向社会公开作出安全生产信用承诺'),
    (:e_lvyuan,   'safety_standard_level1', 200, '晋应急标', 1,  '安全生产标准化一级企业'),
    (:e_zhanghe,  'credit_commitment',      50,  '平信承',   15, '向社会公开作出安全生产信用承诺'),
    (:e_zhanghe,  'safety_standard_level1', 300, '晋应急标', 6,  '安全生产标准化一级企业'),
    (:e_taihang,  'credit_commitment',      70,  '平信承',   13, '向社会公开作出安全生产信用承诺'),
    (:e_taihang,  'safety_standard_level1', 250, '晋应急标', 9,  '安全生产标准化一级企业'),
    -- a commitment, no level-1 standard, and a safety-domain penalty
    (:e_luan,     'credit_commitment',      80,  '平信承',   12, '向社会公开作出安全生产信用承诺'),
    (:e_luan,     'admin_penalty',          150, '平应急罚', 4,  '未按规定开展安全生产教育培训，责令限期改正并处罚款')
  ) AS v(s, c, d, doc, n, summ) \gset
-- D5: 一票否决 statistical fraud of a township government; commendations; D2.8, D4.4 a remedied
-- penalty of the 自然资源局; D4.2, D4.3 a disciplinary sanction of 张伟 this year
SELECT count(pg_temp.publish_now(record_add(s, c, sev::severity, dd, pg_temp.docno(doc, dd, n), unit, summ, dom))) AS ignore
  FROM (VALUES
    (:town_qy,   'statistical_fraud',     'serious', 150, '晋统执', 3,  '山西省统计局', '虚报规模以上工业企业产值，统计造假', '统计'),
    (:d_finance, 'commendation',          'general', 25,  '平政表', 5,  '平顺县人民政府', '预算绩效管理先进单位', '其他'),
    (:e_zhanghe, 'commendation',          'general', 30,  '平政表', 2,  '平顺县人民政府', '安全生产先进单位', '安全生产'),
    (:d_land,    'commendation',          'general', 45,  '平政表', 3,  '平顺县人民政府', '耕地保护先进集体', '其他'),
    (:d_land,    'admin_penalty',         'general', 100, '晋自然罚', 21, '山西省自然资源厅', '违法批准占用耕地，责令改正并处罚款', '其他'),
    (:cs_zhang,  'disciplinary_sanction', 'general', least(20, extract(doy FROM current_date)::integer - 1),
                                                          '平纪处', 31, '平顺县纪委监委', '履职不力，给予警告处分', '其他')
  ) AS v(s, c, sev, d, doc, n, unit, summ, dom)
 CROSS JOIN LATERAL (SELECT current_date - d AS dd) AS x \gset
SELECT mark_remedied(id, '已主动恢复耕地并完成整改，消除不良影响') IS NULL AS ignore
  FROM record WHERE subject_id = :d_land AND category = 'admin_penalty' \gset

SELECT s.name, r.category, r.severity, r.decided_on, r.document_no, r.accident_level AS "事故等级",
       r.deaths, r.state, r.remedied
  FROM record r JOIN subject s ON s.origin = r.origin AND s.id = r.subject_id
 WHERE r.id > :last_generated
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
    ('set_origin again', format('SELECT integrity.set_origin(%L)', '140423'))
  ) AS v(what, q);
\pset format aligned
\pset tuples_only off

------------------------------------------------------------------------
\echo
\echo '== 6. 一条记录的历史 The history of one record (record_event, append-only)'
SELECT min(rid) AS hist_id FROM gen WHERE j % 17 = 0 AND j % 34 <> 0 AND i > 20 AND severity <> 'minor' AND j % 23 <> 0 \gset
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
    ('integrity_operator', 'add a record', format('SELECT integrity.record_add(%s, %L, NULL, current_date, %L, %L, %L)', :d_market, 'admin_penalty', '平市监罚〔2026〕99号', '平顺县市场监督管理局', '示例')),
    ('integrity_operator', 'write a table directly', 'INSERT INTO integrity.calendar (day, is_workday) VALUES (''2030-01-02'', false)'),
    ('integrity_operator', 'set the origin', 'SELECT integrity.set_origin(''140421'')'),
    ('integrity_admin', 'add a calendar day', 'INSERT INTO integrity.calendar (day, is_workday, note) VALUES (''2030-01-02'', false, ''示例'')')
  ) AS v(r, what, q);

------------------------------------------------------------------------
\echo
\echo '== 8. 评价接口 Evaluation functions: evaluate, punishment_status, incentive_status, restrictions (D3-D5)'
SELECT s.name, e.score, e.grade, e.vetoed AS "否决 veto", p.level AS "惩戒 punishment",
       CASE WHEN s.kind <> 'enterprise' THEN '-' WHEN i.eligible THEN 'eligible'
            ELSE 'no: ' || array_to_string(i.failed, ',') END AS "激励 red list",
       coalesce(nullif(array_to_string(array(SELECT restrictions(s.id)), ','), ''), '-') AS "措施 restrictions"
  FROM subject s
 CROSS JOIN LATERAL evaluate(s.id) e
 CROSS JOIN LATERAL punishment_status(s.id) p
 CROSS JOIN LATERAL incentive_status(s.id) i
 WHERE s.id IN (:town_qy, :d_land, :d_market, :cs_zhang, :e_antai, :e_tongda, :e_lvyuan, :e_luan, :e_taihang)
 ORDER BY s.id;
\echo '-- the reasons name the rule and the records, e.g. for 恒信化工:'
\pset format unaligned
\pset tuples_only on
SELECT r FROM punishment_status(:e_hengxin) p CROSS JOIN LATERAL unnest(p.reasons) AS r;
\pset format aligned
\pset tuples_only off

------------------------------------------------------------------------
\echo
\echo '== 9. 签名公示日志 The signed, hash-chained disclosure log of 平顺县'
SELECT d.seq, d.event, d.key_id, left(d.payload, 72) AS payload
  FROM disclosure d ORDER BY d.seq LIMIT 4;
SELECT string_agg(event || ' ' || n, ', ' ORDER BY first) AS "entries by event"
  FROM (SELECT event, count(*) AS n, min(seq) AS first FROM disclosure GROUP BY event) t;
\echo '-- entry_hash = SHA-256(prev_hash || seq || SHA-256(payload)); signature = Ed25519(entry_hash)'
SELECT encode(public_key(), 'hex') AS "public_key() Ed25519", key_id, valid_from::date
  FROM signing_key;
SELECT 'all signatures' AS mode, * FROM verify_chain()
UNION ALL
SELECT 'head signature', * FROM verify_chain(signatures => 'head');
SELECT tree_size, encode(root_hash, 'hex') AS root_hex, checkpoint FROM tree_head() \gset
\echo 'tree_head(): tree_size' :tree_size ', Merkle root (RFC 6962)' :root_hex
\echo '-- its C2SP tlog-checkpoint, signed by the same key:'
\echo :checkpoint
SELECT cardinality(inclusion_proof(3, :tree_size)) AS "inclusion_proof(3, size): hashes",
       cardinality(consistency_proof(10, :tree_size)) AS "consistency_proof(10, size): hashes",
       verify_entry(local_origin(), 1) AS "verify_entry(origin, 1)";
