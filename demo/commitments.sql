-- demo/commitments.sql: at the county (平顺县, origin 140421), after
-- demo/demo.sql: government commitments and arrears (DOMAIN D7) and the
-- civil servant's integrity file (DOMAIN D8).  Run by demo/run.sh before
-- the county publishes its rows, so that the city sees them too.  Dates are
-- relative to today; they fall on days of the loaded official calendar.

\ir lib.sql

SELECT id AS gov FROM subject WHERE kind = 'government' AND origin = local_origin() ORDER BY id LIMIT 1 \gset
SELECT id AS dept FROM subject WHERE kind = 'department' AND origin = local_origin() ORDER BY id LIMIT 1 \gset

\echo
\echo '== 9a. 政务承诺 Commitments (D7.1-D7.3): a broken 招商引资 promise becomes a breach record'
SELECT commitment_add(:gov, 'policy', '招商引资: 入驻园区企业前三年厂房租金全免', '平政发〔' || extract(year FROM current_date - 200) || '〕8号',
                      current_date - 200, current_date - 45) AS c_policy \gset
SELECT commitment_add(:gov, 'service', '企业开办一日办结', '平政发〔' || extract(year FROM current_date - 200) || '〕9号',
                      current_date - 200, current_date - 50) AS c_service \gset
SELECT commitment_add(:gov, 'policy', '新能源项目配套道路一年内建成', '平政发〔' || extract(year FROM current_date - 200) || '〕10号',
                      current_date - 200, current_date + 20) AS c_road \gset
SELECT commitment_fulfil(:c_service, '企业开办一日办结情况通报 (平行审〔2026〕3号)', current_date - 52) AS ignore \gset
\echo '-- the due date as promised and as moved to a working day (D7.2):'
SELECT commitment_id, kind, title, promised_due_on AS "承诺期限", due_on AS "履行期限 (D7.2)", state_name AS "状态"
  FROM commitment_public WHERE commitment_id IN (:c_policy, :c_service, :c_road) ORDER BY commitment_id;
\echo '-- the nightly job (pg_cron, beside expire_due): overdue after the due date, broken after the grace'
SELECT commitments_due() AS "commitments_due(): steps taken", commitments_due() AS "again: idempotent";
SELECT c.commitment_id, c.state_name AS "状态", c.broken_on AS "毁约日期", r.id AS "失信记录 record", r.category,
       r.state AS "record state", r.document_no, left(r.summary, 60) AS summary
  FROM commitment_public c JOIN record r ON r.id = c.breach_record_id
 WHERE c.commitment_id = :c_policy;
\echo '-- notice and 申辩 follow on the breach record (D2.2):'
SELECT notify(breach_record_id, '书面告知平顺县人民政府, 可在 5 个工作日内申辩') AS ignore FROM commitment WHERE id = :c_policy \gset
SELECT pg_temp.try(format($$SELECT commitment_fulfil(%s, '补办', current_date)$$, :c_policy)) AS "fulfilling it now (D7.2)";

\echo
\echo '== 9b. 依法变更 A lawful change with compensation (D7.3): never a breach; without a legal basis refused'
SELECT pg_temp.try(format($$SELECT commitment_change(%s, '', '无')$$, :c_road)) AS "change without legal basis";
SELECT pg_temp.try(format($$SELECT commitment_change(%s, '公共利益: 国土空间规划调整, 线路避让水源保护区 (平政发〔2026〕21号, 县人大常委会审议)', '依法补偿项目企业前期投入 86 万元')$$, :c_road)) AS "lawful change";
SELECT commitment_id, state_name AS "状态", changed_on, legal_basis, compensation
  FROM commitment_public WHERE commitment_id = :c_road;

\echo
\echo '== 9c. 拖欠 Arrears (D7.4): 农民工工资 paid late'
SELECT arrears_add(:gov, 'migrant_wages', '李建国', 86500.00, current_date - 40, '平人社〔2026〕欠薪 4 号') AS a_wages \gset
SELECT arrears_add(:gov, 'project_payment', '山西太行建设工程有限公司', 1200000, current_date + 10, '平建〔2026〕合同 12 号') AS a_project \gset
SELECT arrears_pay(:a_wages, 30000, current_date - 42, '转账 0001') AS "paid before the due date: outstanding";
SELECT pg_temp.try(format($$SELECT arrears_pay(%s, 60000, current_date, '转账 0002')$$, :a_wages)) AS "a payment above the outstanding amount";
SELECT commitments_due() AS "commitments_due(): steps";
SELECT arrears_pay(:a_wages, 56500, current_date, '转账 0003') AS "paid late, in full: outstanding";
SELECT arrears_id, kind, creditor AS "债权人 (masked)", amount, paid, outstanding, due_on, state, broken_on, breach_record_id
  FROM arrears_public WHERE arrears_id IN (:a_wages, :a_project) ORDER BY arrears_id;
\echo '-- 践诺率 and arrears overdue of this quarter, as they stand today (D7.5; monitoring_ranking shows them per quarter):'
SELECT s.name, q.quarter, q.commitments_due, q.commitments_kept, q.fulfilment_pct AS "践诺率 %",
       q.arrears_overdue, q.arrears_overdue_amount
  FROM commitment_quarter() q JOIN subject s ON s.origin = q.origin AND s.id = q.subject_id;

\echo
\echo '== 9d. 公务员诚信档案 The integrity file (D8): 优秀 refused to a civil servant with a dishonesty record'
SELECT coalesce((SELECT id FROM subject s
                   WHERE kind = 'civil_servant' AND origin = local_origin()
                     AND NOT may_rate_excellent(id, extract(year FROM current_date)::integer)
                   ORDER BY id LIMIT 1),
                (SELECT min(id) FROM subject WHERE kind = 'civil_servant' AND origin = local_origin())) AS cs \gset
SELECT name AS "公务员 civil servant", array(SELECT restrictions(id)) AS "措施 restrictions" FROM subject WHERE id = :cs;
\echo '-- the personnel department (role integrity_personnel) sets the yearly grade:'
CREATE ROLE demo_personnel IN ROLE integrity_personnel;
SELECT pg_temp.try_as('demo_personnel', format($$SELECT integrity.assessment_set(%s, %s, '优秀')$$, :cs,
              extract(year FROM current_date))) AS "assessment_set(…, '优秀')";
SELECT pg_temp.try_as('demo_personnel', format($$SELECT integrity.assessment_set(%s, %s, '称职')$$, :cs,
              extract(year FROM current_date))) AS "assessment_set(…, '称职')";
SELECT pg_temp.try_as('demo_personnel', format($$SELECT integrity.personal_report_set(%s, %s, 'late', current_date - 250)$$, :cs,
              extract(year FROM current_date) - 1)) AS "personal_report_set (late)";
SELECT pg_temp.try_as('demo_personnel', format($$SELECT integrity.clean_record_add(%s, '廉政谈话', current_date - 100, '平纪谈〔2026〕6号')$$, :cs))
       AS "clean_record_add";
\echo '-- an operator reads the file but cannot set a grade; a reader sees none of it:'
CREATE ROLE demo_operator IN ROLE integrity_operator;
CREATE ROLE demo_reader IN ROLE integrity_reader;
SELECT pg_temp.try_as('demo_operator', format($$SELECT integrity.assessment_set(%s, %s, '称职')$$, :cs,
              extract(year FROM current_date))) AS "operator: assessment_set";
SELECT pg_temp.try_as('demo_reader', format($$SELECT integrity.integrity_file(%s)$$, :cs)) AS "reader: integrity_file";
\echo '-- integrity_file(subject_id), for operators and the personnel department only (D8.2):'
SELECT jsonb_pretty(jsonb_build_object(
           'assessments', f -> 'assessments', 'personal_reports', f -> 'personal_reports',
           'clean_records', f -> 'clean_records',
           'dishonesty_records', (SELECT jsonb_agg(x - 'summary') FROM jsonb_array_elements(f -> 'dishonesty_records') x),
           'restrictions', f -> 'restrictions')) AS "integrity_file"
  FROM integrity_file(:cs) f;
DROP ROLE demo_personnel;
DROP ROLE demo_operator;
DROP ROLE demo_reader;
\echo '-- the log now holds the commitment entries (record_id NULL, commitment_id in the payload):'
SELECT seq, event, record_id, payload::jsonb ->> 'commitment_id' AS commitment_id, payload::jsonb ->> 'state' AS state
  FROM disclosure WHERE event LIKE 'commitment%' ORDER BY seq;
SELECT * FROM verify_chain();
