-- demo/city.sql: the city platform of the demo, 长治市 (origin 140400).
-- Run by demo/run.sh in the city's own cluster, which has its own signing
-- key; the county 平顺县 (demo/demo.sql) is one of the city's lower
-- platforms and is subscribed to afterwards.  Needs an empty database.

\ir lib.sql

\echo
\echo '=================================================================='
\echo ' 第二级 长治市 City platform, origin 140400'
\echo '=================================================================='
CREATE EXTENSION integrity;

\echo
\echo '== 11. 长治市 subjects and a year of records of its own'
SELECT set_origin('140400') IS NULL AS ignore \gset
SELECT local_origin() AS origin \gset
\echo 'local_origin():' :origin '长治市'

SELECT subject_add('government', '长治市人民政府', '11140400000000019L') AS gov \gset
SELECT subject_add('department', '长治市应急管理局', '11140400000000027F', parent_id => :gov) AS d_safety \gset
SELECT subject_add('department', '长治市统计局', '11140400000000035A', parent_id => :gov) AS d_stats \gset
SELECT subject_add('department', '长治市财政局', '111404000000000435', parent_id => :gov) AS d_finance \gset
SELECT subject_add('department', '长治市住房和城乡建设局', '111404000000000510', parent_id => :gov) AS d_housing \gset
SELECT subject_add('department', '长治市市场监督管理局', '1114040000000006XP', parent_id => :gov) AS d_market \gset
SELECT subject_add('department', '长治市生态环境局', '11140400000000078P', parent_id => :gov) AS d_env \gset
SELECT subject_add('government', '长治市潞州区人民政府', '111404030000000190', parent_id => :gov) AS district \gset
SELECT subject_add('civil_servant', '孙磊', '140402197803150318', parent_id => :d_housing) AS cs_sun \gset
SELECT subject_add('civil_servant', '周静', '140402198307220422', parent_id => :d_market) AS cs_zhou \gset
SELECT subject_add('civil_servant', '吴刚', '140403198606060170', parent_id => :district) AS cs_wu \gset
SELECT subject_add('enterprise', '长治市潞城焦化有限公司', '9114040000000006XF') AS e_lucheng \gset
SELECT subject_add('enterprise', '长治市潞宝化工有限公司', '91140400000000078F') AS e_lubao \gset
SELECT subject_add('enterprise', '长治市晋东钢铁有限公司', '91140400000000107T') AS e_jindong \gset
SELECT subject_add('enterprise', '长治市漳泽电力有限公司', '911404000000000945') AS e_zhangze \gset
SELECT subject_add('enterprise', '长治市上党建设集团有限公司', '91140400000000131B') AS e_shangdang \gset
SELECT subject_add('enterprise', '长治市华晟置业有限公司', '911404000000001583') AS e_huasheng \gset
SELECT subject_add('enterprise', '长治市长兴商贸有限公司', '91140400000000166X') AS e_changxing \gset
SELECT subject_add('enterprise', '长治市瑞丰食品有限公司', '91140400000000174Q') AS e_ruifeng \gset
SELECT subject_add('enterprise', '长治市通达建筑工程有限公司', '91140400000000086A') AS e_tongda \gset
SELECT subject_add('enterprise', '长治市潞安机械制造有限公司', '91140400000000115M') AS e_luan \gset

SELECT kind, count(*) AS "数量 n",
       string_agg(name, '、' ORDER BY id) FILTER (WHERE rn <= 4) || CASE WHEN count(*) > 4 THEN ' …' ELSE '' END
           AS "例 names"
  FROM (SELECT s.id, s.kind, s.name, row_number() OVER (PARTITION BY s.kind ORDER BY s.id) AS rn
          FROM subject s) t
 GROUP BY kind ORDER BY kind;

CREATE TEMP TABLE pool AS
SELECT row_number() OVER (ORDER BY w.id, k) - 1 AS n, w.id, s.kind
  FROM (VALUES (:gov, 1), (:d_safety, 1), (:d_stats, 2), (:d_finance, 1), (:d_housing, 2), (:d_market, 2),
               (:d_env, 1), (:district, 2), (:cs_sun, 1), (:cs_zhou, 1), (:cs_wu, 1),
               (:e_shangdang, 8), (:e_huasheng, 8), (:e_changxing, 8), (:e_ruifeng, 8), (:e_tongda, 8),
               (:e_luan, 8)) AS w(id, weight)
  JOIN subject s ON s.origin = :'origin' AND s.id = w.id
 CROSS JOIN LATERAL generate_series(1, w.weight) AS k;
\set place 长治市
\set abbr 长
\set court 长治市中级人民法院
\set days 400
\set shift 3
\ir year.sql

SELECT max(rid) AS last_generated FROM gen \gset
-- D3.1, D3.2: a larger accident (joint punishment), a major one (blacklist);
-- D3.4: two red-list enterprises; commendations; a remedied penalty (D2.8)
SELECT count(pg_temp.publish_now(record_add(s, c, sev::severity, current_date - d, pg_temp.docno(doc, current_date - d, n),
                                             unit, summ, dom, lvl, deaths))) AS ignore
  FROM (VALUES
    (:e_lucheng,  'safety_accident',        'serious', 160, '长应急罚', 5,  '长治市应急管理局', '焦炉煤气泄漏较大事故，造成4人死亡', '安全生产', 'larger', 4),
    (:e_lubao,    'safety_accident',        'serious', 45,  '长应急罚', 11, '长治市应急管理局', '粗苯储罐爆炸重大事故，造成11人死亡', '安全生产', 'major', 11),
    (:e_jindong,  'safety_standard_level1', 'general', 300, '晋应急标', 6,  '山西省应急管理厅', '安全生产标准化一级企业', '安全生产', NULL, 0),
    (:e_jindong,  'credit_commitment',      'general', 50,  '长信承',   15, '长治市应急管理局', '向社会公开作出安全生产信用承诺', '安全生产', NULL, 0),
    (:e_jindong,  'commendation',           'general', 30,  '长政表',   2,  '长治市人民政府', '安全生产先进单位', '安全生产', NULL, 0),
    (:e_zhangze,  'safety_standard_level1', 'general', 220, '晋应急标', 8,  '山西省应急管理厅', '安全生产标准化一级企业', '安全生产', NULL, 0),
    (:e_zhangze,  'credit_commitment',      'general', 90,  '长信承',   16, '长治市应急管理局', '向社会公开作出安全生产信用承诺', '安全生产', NULL, 0),
    (:d_finance,  'commendation',           'general', 25,  '长政表',   5,  '长治市人民政府', '预算绩效管理先进单位', '其他', NULL, 0),
    (:d_env,      'commendation',           'general', 45,  '长政表',   3,  '长治市人民政府', '生态环境保护先进集体', '环境保护', NULL, 0),
    (:d_env,      'admin_penalty',          'general', 100, '晋环罚',   21, '山西省生态环境厅', '污水处理项目未批先建，责令改正并处罚款', '环境保护', NULL, 0)
  ) AS v(s, c, sev, d, doc, n, unit, summ, dom, lvl, deaths) \gset
SELECT mark_remedied(id, '已主动拆除违规设施并完成整改，消除不良影响') IS NULL AS ignore
  FROM record WHERE subject_id = :d_env AND category = 'admin_penalty' \gset

\echo '-- and the city''s own cases for the lists:'
SELECT s.name, r.category, r.decided_on, r.document_no, r.accident_level AS "事故等级", r.deaths, r.state, r.remedied
  FROM record r JOIN subject s ON s.origin = r.origin AND s.id = r.subject_id
 WHERE r.id > :last_generated
 ORDER BY s.id, r.decided_on;
