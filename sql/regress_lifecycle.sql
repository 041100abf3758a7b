-- regress_lifecycle: the record lifecycle as psql shows it (SPEC 4, DOMAIN D2)
-- Everything runs in one transaction that is rolled back at the end, so
-- the files after this one find the database as it was (no origin, no
-- rows); ON_ERROR_ROLLBACK lets the transaction go on after each expected
-- error.  No value of current_date is printed: the records shown in full
-- have fixed decision dates, and dates of today are shown as booleans.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS integrity;
RESET client_min_messages;
SET search_path = integrity, public;
SET datestyle = 'ISO, YMD';
\set VERBOSITY default
\set SHOW_CONTEXT never
\set ON_ERROR_ROLLBACK on
BEGIN;
SELECT set_origin('140400');

SELECT subject_add('enterprise', '晋城甲建设有限公司', '91140400000000043W') AS ent \gset
SELECT subject_add('government', '长治市人民政府', '11140400000000019L') AS gov \gset

-- D2.5, D2.6: the dates of a serious record decided on Tuesday 2025-09-30,
-- the eve of the 2025 National Day holiday (10-01..08, make-up Saturday
-- 10-11): published within 7 working days, repair from 1 year, publicity
-- for at most 3 years
SELECT record_add(:ent, 'admin_penalty', 'serious', '2025-09-30', '长罚决字〔2025〕17号',
                  '长治市市场监督管理局', '未按规定公示年度报告') AS r \gset
SELECT state, decided_on, publish_due, workdays_between(decided_on, publish_due) AS workdays,
       repair_allowed_from, publicity_until, publishable
  FROM record WHERE id = :r;

-- SPEC 4: illegal transitions, whoever asks
UPDATE record SET state = 'published' WHERE id = :r;
SELECT publish(:r);
SELECT notify(:r, '已送达告知书');

-- SPEC 4: the content of a collected or notified record can be corrected
UPDATE record SET summary = '未按规定公示2024年度报告' WHERE id = :r;
SELECT confirm(:r, '认定书 长信认〔2025〕3号');
-- ... and is fixed from confirmed on
UPDATE record SET summary = '改过的事实' WHERE id = :r;
-- D2.4: never deleted, not even by the table owner
DELETE FROM record WHERE id = :r;
TRUNCATE record_event;

SELECT publish(:r) AS disclosure_seq;
SELECT object(:r, '主体称已于期限内公示');
SELECT state, state_before_objection, objected_on = current_date AS objected_today,
       workdays_between(current_date, objection_due) AS objection_workdays
  FROM record WHERE id = :r;
-- D2.3: the objection is rejected, back to published (not confirmed)
UPDATE record SET state = 'confirmed' WHERE id = :r;
SELECT resolve_objection(:r, false, '经核查, 异议不成立');
SELECT mark_remedied(:r, '已补报并公示年度报告');
SELECT mark_remedied(:r, '再次申请');
SELECT repair(:r, '已整改并作出信用承诺');
SELECT state, published_on = current_date AS published_today, repaired_on = current_date AS repaired_today,
       remedied, remedied_on = current_date AS remedied_today
  FROM record WHERE id = :r;
-- D2.4: a repaired record is final
SELECT revoke(:r, '撤销');

-- SPEC 4: the record's full history (record_event, without timestamps)
SELECT row_number() OVER (ORDER BY id) AS n, event, from_state, to_state,
       actor = session_user AS by_session_user, reason
  FROM record_event WHERE record_id = :r ORDER BY id;
-- SPEC 6: what of it was disclosed
SELECT seq, event, payload::jsonb ->> 'state' AS state FROM disclosure WHERE record_id = :r ORDER BY seq;
SELECT ok, checked, first_bad FROM verify_chain();

-- D2.7: no repair before the minimum publicity period ends.  An admin
-- category with a 100-year minimum makes the date independent of today.
INSERT INTO category (code, name, kind, default_severity, published, subject_kinds, note)
    VALUES ('regress_long_term', '测试: 长期公示', 'dishonest', 'serious', true, '{enterprise}', 'regression test');
INSERT INTO publicity_period (severity, category, published, min_period, max_period)
    VALUES ('serious', 'regress_long_term', true, '100 years', '100 years');
SELECT record_add(:ent, 'regress_long_term', 'serious', '2025-09-30', NULL, NULL, NULL) AS long \gset
SELECT notify(:long, '告知'), confirm(:long, '认定'), publish(:long) IS NOT NULL AS published;
SELECT repair(:long, '已整改');
SELECT repair(:long, NULL);
SELECT revoke(:long, '');

-- D2.6: a minor record is never published
SELECT record_add(:ent, 'admin_penalty', 'minor', '2025-09-30', NULL, NULL, NULL) AS minor \gset
SELECT publishable, repair_allowed_from, publicity_until FROM record WHERE id = :minor;
SELECT notify(:minor, '告知'), confirm(:minor, '认定');
SELECT publish(:minor);

-- bad input
SELECT record_add(:ent, 'no_such_category', 'general', '2025-09-30', NULL, NULL, NULL);
SELECT record_add(:ent, 'disciplinary_sanction', 'general', '2025-09-30', NULL, NULL, NULL);
SELECT record_add(:gov, 'accountability', 'general', '2999-12-31', NULL, NULL, NULL);
SELECT subject_add('civil_servant', '李四', NULL);
SELECT notify(987654321, '告知');
SELECT set_origin('140500');
-- nothing was written by the refused calls
SELECT (SELECT count(*) FROM subject) AS subjects, (SELECT count(*) FROM record) AS records;

ROLLBACK;
