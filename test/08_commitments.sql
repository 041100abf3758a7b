-- pgTAP: government commitments and arrears (DOMAIN D7) and the civil
-- servant's integrity file (DOMAIN D8).  Test names cite the rule.
--
-- Dates are fixed days of 2026, whose official calendar is loaded
-- (国庆 2026-10-01..07, 2026-09-20 and 2026-10-10 make-up working days).
-- Runs as a superuser with integrity.signing_key_file configured; test
-- roles are created inside the transaction, everything is rolled back.
BEGIN;
CREATE EXTENSION IF NOT EXISTS pgtap;
CREATE EXTENSION IF NOT EXISTS integrity;
SELECT plan(163);
SET LOCAL client_min_messages = warning;
SELECT integrity.set_origin('140400') \gset

CREATE SCHEMA cm_t;
GRANT USAGE ON SCHEMA cm_t TO PUBLIC;
-- the errdetail of a failing statement (NULL if it succeeds)
CREATE FUNCTION cm_t.detail_of(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE d text;
BEGIN
    EXECUTE q;
    RETURN NULL;
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS d = PG_EXCEPTION_DETAIL;
    RETURN d;
END $$;
CREATE FUNCTION cm_t.events(p_id bigint) RETURNS text LANGUAGE sql AS $$
    SELECT string_agg(event, ',' ORDER BY id) FROM integrity.commitment_event WHERE commitment_id = p_id
$$;
CREATE FUNCTION cm_t.disclosed(p_id bigint) RETURNS text LANGUAGE sql AS $$
    SELECT string_agg(event, ',' ORDER BY seq) FROM integrity.disclosure
     WHERE record_id IS NULL AND (payload::jsonb ->> 'commitment_id')::bigint = p_id
$$;

SELECT integrity.subject_add('government', '长治市人民政府', '11140400000000019L') AS gov \gset
SELECT integrity.subject_add('department', '长治市统计局', '11140400000000027F', parent_id => :gov) AS dept \gset
SELECT integrity.subject_add('civil_servant', '欧阳明华', '140402198501011237', parent_id => :gov) AS cs \gset
SELECT integrity.subject_add('civil_servant', '张三', '11010519491231002X', parent_id => :dept) AS cs2 \gset

------------------------------------------------------------------------
-- D7.1 making a commitment
------------------------------------------------------------------------
SELECT integrity.commitment_add(:gov, 'policy', '招商引资: 入驻企业三年免租', '长政发〔2026〕1号',
                                '2026-01-05', '2026-10-03') AS c_holiday \gset
SELECT is((SELECT state::text || ' ' || promised_due_on || ' ' || due_on FROM integrity.commitment WHERE id = :c_holiday),
          'open 2026-10-03 2026-10-08',
          'D7.1, D7.2 a commitment starts open; due on 2026-10-03 (国庆) it is due on the first working day after, 2026-10-08');
SELECT is(cm_t.events(:c_holiday), 'make', 'D7.1 making is the first event of its history');
SELECT is(cm_t.disclosed(:c_holiday), 'commitment_made', 'D7.1, SPEC 6 making a commitment appends a signed disclosure');
SELECT is((SELECT count(*)::int FROM integrity.disclosure d WHERE d.record_id IS NULL
            AND d.payload::jsonb ->> 'commitment_id' = :c_holiday::text
            AND d.payload::jsonb ->> 'title' = '招商引资: 入驻企业三年免租'
            AND d.payload::jsonb ->> 'due_on' = '2026-10-08'
            AND NOT (d.payload::jsonb ? 'record_id')
            AND d.payload = integrity.canonical_json(d.payload)),
          1, 'SPEC 6 the entry has no record_id; its canonical payload names the commitment, its title and moved due date');

SELECT integrity.commitment_add(:gov, 'service', '办结时限', '长政发〔2026〕2号', '2026-01-05', '2026-02-14') AS c_sat_work \gset
SELECT integrity.commitment_add(:gov, 'service', '办结时限', '长政发〔2026〕3号', '2026-01-05', '2026-11-07') AS c_sat \gset
SELECT integrity.commitment_add(:gov, 'service', '办结时限', '长政发〔2026〕4号', '2026-01-05', '2026-11-10') AS c_tue \gset
SELECT is((SELECT due_on FROM integrity.commitment WHERE id = :c_sat_work), '2026-02-14'::date,
          'D7.2 a Saturday that is an official make-up working day (春节调休) stays the due date');
SELECT is((SELECT due_on FROM integrity.commitment WHERE id = :c_sat), '2026-11-09'::date, 'D7.2 a Saturday moves to Monday');
SELECT is((SELECT due_on FROM integrity.commitment WHERE id = :c_tue), '2026-11-10'::date, 'D7.2 a working day stays');
SELECT throws_ok(format($$SELECT integrity.commitment_add(%s, 'policy', 't', 'd', '2026-01-05', '2031-05-06')$$, :gov),
                 '55000', 'the official calendar of 2031 is not loaded',
                 'D7.2, D2.5 a due date in a year whose official calendar is not loaded cannot be moved to a working day: refused, naming the year (55000)');
SELECT throws_ok(format($$SELECT integrity.commitment_add(%s, 'promise', 't', 'd', '2026-01-05', '2026-02-01')$$, :gov),
                 '22023', 'unknown commitment kind "promise"', 'D7.1 an unknown kind is refused (22023)');
SELECT throws_ok(format($$SELECT integrity.commitment_add(%s, 'policy', 't', 'd', '2026-01-05', '2026-02-01')$$, :cs),
                 '22023', NULL, 'D7.1 a civil servant makes no government commitment (22023)');
SELECT throws_ok($$SELECT integrity.commitment_add(999999, 'policy', 't', 'd', '2026-01-05', '2026-02-01')$$,
                 '23503', 'subject 999999 does not exist', 'D7.1 an unknown subject is refused (23503)');
SELECT throws_ok($$SELECT integrity.commitment_add(NULL, 'policy', 't', 'd', '2026-01-05', '2026-02-01')$$,
                 '22004', NULL, 'D7.1 subject_id is required (22004)');
SELECT throws_ok(format($$SELECT integrity.commitment_add(%s, 'policy', E' \u3000', 'd', '2026-01-05', '2026-02-01')$$, :gov),
                 '22023', 'a commitment needs a title and a document number', 'D7.1 a blank title is refused (22023)');
SELECT throws_ok(format($$SELECT integrity.commitment_add(%s, 'policy', 't', NULL, '2026-01-05', '2026-02-01')$$, :gov),
                 '22023', NULL, 'D7.1 a commitment without its document is refused (22023)');
SELECT throws_ok(format($$SELECT integrity.commitment_add(%s, 'policy', 't', 'd', current_date + 1, current_date + 30)$$, :gov),
                 '22023', NULL, 'D7.1 a commitment made in the future is refused (22023)');
SELECT throws_ok(format($$SELECT integrity.commitment_add(%s, 'policy', 't', 'd', '2026-03-01', '2026-02-01')$$, :gov),
                 '22023', NULL, 'D7.1 a due date before the commitment is refused (22023)');
SELECT throws_ok(format($$SELECT integrity.commitment_add(%s, 'policy', 't', 'd', NULL, '2026-02-01')$$, :gov),
                 '22004', NULL, 'D7.1 made_on is required (22004)');

------------------------------------------------------------------------
-- D7.2 fulfilment, overdue, broken; the nightly job
------------------------------------------------------------------------
SELECT integrity.commitment_add(:gov, 'service', '当月办结', '长政发〔2026〕10号', '2026-07-01', '2026-07-31') AS c_kept \gset
SELECT lives_ok(format($$SELECT integrity.commitment_fulfil(%s, '办结通知书 第1号', '2026-07-30')$$, :c_kept),
                'D7.2 open -> fulfilled by its due date with the evidence document');
SELECT is((SELECT state::text || ' ' || fulfilled_on || ' ' || evidence FROM integrity.commitment WHERE id = :c_kept),
          'fulfilled 2026-07-30 办结通知书 第1号', 'D7.2 the fulfilment date and evidence are stored');
SELECT is(cm_t.events(:c_kept) || ' / ' || cm_t.disclosed(:c_kept), 'make,fulfil / commitment_made,commitment_fulfilled',
          'D7.2, SPEC 6 fulfilling is in the history and disclosed');
SELECT throws_ok(format($$SELECT integrity.commitment_fulfil(%s, '再次', '2026-07-30')$$, :c_kept),
                 '55000', 'commitment ' || :c_kept || ' is closed (fulfilled) and cannot be changed',
                 'D7.2 fulfilled -> fulfilled is refused: a fulfilled commitment is closed (55000)');
SELECT throws_ok(format($$SELECT integrity.commitment_change(%s, '公共利益', '无')$$, :c_kept),
                 '55000', NULL, 'D7.3 fulfilled -> changed_lawfully is refused (55000)');

SELECT integrity.commitment_add(:gov, 'contract', '按期付款', '长政发〔2026〕11号', '2026-07-01', '2026-08-14') AS c_f \gset
SELECT throws_ok(format($$SELECT integrity.commitment_fulfil(%s, E'\u3000', '2026-08-01')$$, :c_f),
                 '22023', NULL, 'D7.2 fulfilment without evidence is refused (22023)');
SELECT throws_ok(format($$SELECT integrity.commitment_fulfil(%s, 'e', current_date + 1)$$, :c_f),
                 '22023', NULL, 'D7.2 a fulfilment dated in the future is refused (22023)');
SELECT throws_ok(format($$SELECT integrity.commitment_fulfil(%s, 'e', '2026-06-30')$$, :c_f),
                 '22023', NULL, 'D7.2 a fulfilment before the commitment was made is refused (22023)');
SELECT throws_ok($$SELECT integrity.commitment_fulfil(999999, 'e', '2026-08-01')$$,
                 'P0002', 'commitment 999999 does not exist', 'D7.2 an unknown commitment (P0002)');
SELECT throws_ok($$SELECT integrity.commitment_fulfil(NULL, 'e')$$, '22004', NULL, 'D7.2 commitment_id is required (22004)');
SELECT throws_ok(format($$SELECT integrity.commitment_fulfil(%s, 'e', '2026-08-17')$$, :c_f),
                 '55000', 'commitment ' || :c_f || ' can no longer be fulfilled: its grace ended on 2026-08-14',
                 'D7.2 grace 0 (default): a fulfilment after the due date is too late even before the nightly job ran (55000)');

SELECT throws_ok($$SELECT integrity.commitments_due(current_date + 1)$$, '22023', NULL,
                 'D7.2 commitments_due refuses an as_of in the future: a breach signed ahead of time would be false (22023)');
SELECT throws_ok($$SELECT integrity.commitments_due(NULL)$$, '22004', NULL, 'D7.2 as_of is required (22004)');

-- the past day after the due date: overdue, and broken the same day (grace 0)
SELECT integrity.commitments_due('2026-08-14') AS n \gset
SELECT is((SELECT state::text FROM integrity.commitment WHERE id = :c_f), 'open', 'D7.2 on its due date a commitment is still open');
SELECT is(integrity.commitments_due('2026-08-15') >= 2, true, 'D7.2 as_of the day after: steps were taken');
SELECT is((SELECT state::text || ' ' || overdue_on || ' ' || broken_on FROM integrity.commitment WHERE id = :c_f),
          'broken 2026-08-15 2026-08-15',
          'D7.2 not fulfilled by its due date: overdue from the next day, and with no grace broken that day');
SELECT is(cm_t.events(:c_f) || ' / ' || cm_t.disclosed(:c_f), 'make,overdue,break / commitment_made,commitment_broken',
          'D7.2, SPEC 6 overdue and break are in the history; breaking is disclosed (overdue is not)');
SELECT is((SELECT format('%s %s %s %s %s %s', r.category, r.state, r.subject_id = :gov, r.document_no, r.decided_on, r.domain)
             FROM integrity.record r JOIN integrity.commitment c ON c.breach_record_id = r.id WHERE c.id = :c_f),
          format('breach_of_contract collected t 长政发〔2026〕11号 2026-08-15 其他'),
          'D7.2 the breach opens a breach_of_contract record of the committing subject in state collected, with the commitment''s document_no, decided on the breach date');
SELECT matches((SELECT r.summary FROM integrity.record r JOIN integrity.commitment c ON c.breach_record_id = r.id WHERE c.id = :c_f),
               '按期付款.*承诺 ' || :c_f, 'D7.2 the summary of the breach record names the commitment (title and id)');
SELECT is(integrity.commitments_due('2026-08-15'), 0, 'D7.2 commitments_due is idempotent: the same day again takes no step');
SELECT integrity.commitments_due('2026-09-01') AS n \gset
SELECT is(cm_t.events(:c_f), 'make,overdue,break', 'D7.2 ... and a later day takes none for what is already broken');
SELECT is((SELECT count(*)::int FROM integrity.record WHERE category = 'breach_of_contract' AND document_no = '长政发〔2026〕11号'),
          1, 'D7.2 one breach record, however often the job runs');
SELECT throws_ok(format($$SELECT integrity.commitment_change(%s, '公共利益: 规划调整', '补偿')$$, :c_f),
                 '55000', NULL, 'D7.3 broken -> changed_lawfully is refused: a breach is never justified afterwards (55000)');
SELECT throws_ok(format($$SELECT integrity.commitment_fulfil(%s, 'e', '2026-08-14')$$, :c_f),
                 '55000', NULL, 'D7.2 broken -> fulfilled is refused (55000)');
SELECT lives_ok(format($$SELECT integrity.notify(%s, '书面告知 申辩')$$,
                       (SELECT breach_record_id FROM integrity.commitment WHERE id = :c_f)),
                'D7.2, D2.2 notice and 申辩 follow on the breach record');

-- the policy commitment due on the holiday: its breach is 招商引资
SELECT is(integrity.commitments_due('2026-10-08'), 0, 'D7.2 on the moved due date (2026-10-08) it is not yet overdue');
SELECT is(integrity.commitments_due('2026-10-09') > 0, true, 'D7.2 the day after the moved due date it is');
SELECT is((SELECT c.state::text || ' ' || c.broken_on || ' ' || r.domain FROM integrity.commitment c
             JOIN integrity.record r ON r.id = c.breach_record_id WHERE c.id = :c_holiday),
          'broken 2026-10-09 招商引资', 'D7.2 a broken 招商引资 policy promise becomes a breach record of domain 招商引资');

-- grace in working days over a holiday
INSERT INTO integrity.parameter (name, value) VALUES ('commitment_grace_workdays', '2');
SELECT integrity.commitment_add(:dept, 'environment', '整改目标', '长环〔2026〕5号', '2026-07-01', '2026-09-30') AS c_g \gset
SELECT integrity.commitment_add(:dept, 'environment', '整改目标二', '长环〔2026〕6号', '2026-07-01', '2026-09-30') AS c_g2 \gset
SELECT is(integrity.commitments_due('2026-10-01') > 0, true, 'D7.2 grace 2: the day after the due date the job takes steps');
SELECT is((SELECT string_agg(state::text, ',' ORDER BY id) FROM integrity.commitment WHERE id IN (:c_g, :c_g2)),
          'overdue,overdue', 'D7.2 with a grace the commitment is overdue, not broken');
SELECT lives_ok(format($$SELECT integrity.commitment_fulfil(%s, '验收报告', '2026-10-09')$$, :c_g2),
                'D7.2 overdue -> fulfilled on the last working day of the grace (2026-09-30 + 2 working days over 国庆 = 2026-10-09)');
SELECT is(integrity.commitments_due('2026-10-09'), 0, 'D7.2 on the last day of the grace it is not broken');
SELECT is(integrity.commitments_due('2026-10-10'), 1, 'D7.2 the next day (a make-up working Saturday) it is');
SELECT is((SELECT state::text || ' ' || broken_on FROM integrity.commitment WHERE id = :c_g), 'broken 2026-10-10',
          'D7.2 overdue -> broken from the day after the grace');
SELECT is((SELECT fulfilled_on_time::text FROM integrity.commitment_public WHERE commitment_id = :c_g2), 'false',
          'D7.5 fulfilled within the grace but after the due date: not on time');
DELETE FROM integrity.parameter WHERE name = 'commitment_grace_workdays' AND NOT seeded;

------------------------------------------------------------------------
-- D7.3 lawful change
------------------------------------------------------------------------
SELECT integrity.commitment_add(:gov, 'policy', '土地出让优惠', '长政发〔2026〕20号', '2026-03-01', '2026-12-30') AS c_ch \gset
SELECT throws_ok(format($$SELECT integrity.commitment_change(%s, E' \u3000', '补偿')$$, :c_ch),
                 '22023', 'a change of commitment ' || :c_ch || ' without a legal basis is refused',
                 'D7.3 a change without a legal basis is refused (22023)');
SELECT throws_ok(format($$SELECT integrity.commitment_change(%s, '公共利益', NULL)$$, :c_ch),
                 '22023', NULL, 'D7.3 a change without the compensation is refused (22023)');
SELECT lives_ok(format($$SELECT integrity.commitment_change(%s, '公共利益: 国土空间规划调整 (长政发〔2026〕30号)', '依法补偿企业损失 120 万元')$$, :c_ch),
                'D7.3 open -> changed_lawfully with the legal basis and compensation');
SELECT is((SELECT state::text || ' ' || (changed_on = current_date) || ' ' || compensation FROM integrity.commitment WHERE id = :c_ch),
          'changed_lawfully true 依法补偿企业损失 120 万元', 'D7.3 the change, its date and the compensation are stored');
SELECT is(cm_t.disclosed(:c_ch), 'commitment_made,commitment_changed', 'D7.3, SPEC 6 a lawful change is disclosed');
SELECT throws_ok(format($$SELECT integrity.commitment_change(%s, '公共利益', '无')$$, :c_ch),
                 '55000', NULL, 'D7.3 changed_lawfully is closed (55000)');
SELECT integrity.commitment_add(:gov, 'debt', '偿还债券', '长财〔2026〕1号', '2026-01-05', '2026-06-30') AS c_ov \gset
SELECT lives_ok(format($$SELECT integrity.commitment_change(%s, '国务院决定 债务置换', '无损失, 无需补偿')$$,
                       integrity.commitment_add(:gov, 'debt', '偿还债券二', '长财〔2026〕2号', '2026-01-05', current_date)),
                'D7.3 a commitment due today may still be changed lawfully');
SELECT is((SELECT count(*)::int FROM integrity.record WHERE document_no = '长财〔2026〕2号'), 0,
          'D7.3 a lawful change is never a breach: no record');

------------------------------------------------------------------------
-- D7 the trigger: whoever writes the table
------------------------------------------------------------------------
SELECT throws_ok(format($$UPDATE integrity.commitment SET title = '改' WHERE id = %s$$, :c_ov),
                 '55000', NULL, 'D7 the content of a commitment cannot be edited, not even by the owner (55000)');
SELECT throws_ok(format($$UPDATE integrity.commitment SET state = 'broken', broken_on = '2026-07-01' WHERE id = %s$$, :c_ov),
                 '55000', NULL, 'D7.2 open -> broken directly is refused (55000)');
SELECT throws_ok(format($$UPDATE integrity.commitment SET state = 'fulfilled', fulfilled_on = '2026-06-01' WHERE id = %s$$, :c_ov),
                 '55000', 'commitment ' || :c_ov || ' in state fulfilled needs evidence',
                 'D7.2 fulfilled without evidence is refused by the trigger (55000)');
SELECT throws_ok(format($$UPDATE integrity.commitment SET state = 'overdue', overdue_on = current_date + 1 WHERE id = %s$$, :c_ov),
                 '22023', NULL, 'D7.2 a step dated in the future is refused by the trigger (22023)');
SELECT throws_ok(format($$UPDATE integrity.commitment SET state = 'changed_lawfully', changed_on = current_date, legal_basis = 'x', compensation = 'y', evidence = 'z' WHERE id = %s$$, :c_ov),
                 '55000', NULL, 'D7 a step cannot set the columns of another state (55000)');
SELECT throws_ok(format($$UPDATE integrity.commitment SET state = 'open' WHERE id = %s$$, :c_kept),
                 '55000', NULL, 'D7.2 fulfilled -> open is refused (55000)');
SELECT throws_ok(format($$UPDATE integrity.commitment SET broken_on = '2026-08-16' WHERE id = %s$$, :c_f),
                 '55000', NULL, 'D7.2 a broken commitment cannot be edited (55000)');
SELECT throws_ok(format($$DELETE FROM integrity.commitment WHERE id = %s$$, :c_ov),
                 '55000', 'commitment ' || :c_ov || ' cannot be deleted', 'D7 commitments are never deleted (55000)');
SELECT throws_ok($$TRUNCATE integrity.commitment CASCADE$$, '55000', NULL, 'D7 nor truncated (55000)');
SELECT throws_ok($$UPDATE integrity.commitment_event SET reason = 'x'$$, '55000', NULL, 'D7 the history is append-only (55000)');
SELECT is((SELECT count(*)::int FROM integrity.commitment_event e
            WHERE NOT EXISTS (SELECT 1 FROM integrity.commitment c WHERE c.origin = e.origin AND c.id = e.commitment_id)),
          0, 'D7 every history row belongs to a commitment');

------------------------------------------------------------------------
-- D7.4 arrears
------------------------------------------------------------------------
INSERT INTO integrity.parameter (name, value) VALUES ('arrears_grace_workdays', '3');
SELECT integrity.arrears_add(:gov, 'migrant_wages', '王小二', 52000.50, '2026-11-14', '欠薪〔2026〕1号') AS a_w \gset
SELECT integrity.arrears_add(:gov, 'project_payment', '长治市建工集团有限公司', 1000000, '2026-11-13', '工程〔2026〕7号') AS a_p \gset
SELECT is((SELECT due_on || ' ' || creditor_is_person FROM integrity.arrears WHERE id = :a_w), '2026-11-16 true',
          'D7.4, D7.2 arrears due on a Saturday are due on Monday; a migrant worker is a natural person');
SELECT throws_ok(format($$SELECT integrity.arrears_add(%s, 'loan', 'x', 1, '2026-11-13', 'd')$$, :gov),
                 '22023', NULL, 'D7.4 an unknown kind is refused (22023)');
SELECT throws_ok(format($$SELECT integrity.arrears_add(%s, 'migrant_wages', 'x', 0, '2026-11-13', 'd')$$, :gov),
                 '22023', NULL, 'D7.4 an amount must be positive (22023)');
SELECT throws_ok(format($$SELECT integrity.arrears_add(%s, 'migrant_wages', 'x', 5, '2026-11-13', 'd')$$, :cs),
                 '22023', NULL, 'D7.4 arrears are those of a government or department (22023)');
SELECT throws_ok(format($$SELECT integrity.arrears_pay(%s, 60000, '2026-11-10', '付1')$$, :a_w),
                 '22023', NULL, 'D7.4 a payment exceeding the amount is refused (22023)');
SELECT is(integrity.arrears_pay(:a_w, 20000, '2026-11-10', '付1'), 32000.50, 'D7.4 a payment returns the outstanding amount');
SELECT throws_ok(format($$SELECT integrity.arrears_pay(%s, 32000.51, '2026-11-11', '付2')$$, :a_w),
                 '22023', 'a payment of 32000.51 exceeds the outstanding 32000.50 of arrears ' || :a_w,
                 'D7.4 a payment exceeding the outstanding amount is refused (22023)');
SELECT throws_ok(format($$SELECT integrity.arrears_pay(%s, -1, '2026-11-11', '付2')$$, :a_w),
                 '22023', NULL, 'D7.4 a negative payment is refused (22023)');
SELECT throws_ok(format($$SELECT integrity.arrears_pay(%s, 1, current_date + 1, '付2')$$, :a_w),
                 '22023', NULL, 'D7.4 a payment dated in the future is refused (22023)');
SELECT throws_ok($$SELECT integrity.arrears_pay(999999, 1, '2026-11-11', 'x')$$, 'P0002', NULL, 'D7.4 unknown arrears (P0002)');
SELECT integrity.commitments_due('2026-11-17') AS n \gset
SELECT is((SELECT string_agg(state::text || ' ' || overdue_on || ' ' || coalesce(broken_on::text, '-'), ',' ORDER BY id)
             FROM integrity.arrears WHERE id IN (:a_w, :a_p)),
          'broken 2026-11-17 2026-11-17,overdue 2026-11-14 -',
          'D7.4 as of 2026-11-17 migrant wages unpaid after their due date are broken at once (no grace whatever the parameter); the project payment is overdue in its grace of 3 working days');
SELECT matches((SELECT r.summary FROM integrity.record r JOIN integrity.arrears a ON a.breach_record_id = r.id WHERE a.id = :a_w),
               '拖欠农民工工资.*王\*\*.*未付 32000.50', 'D7.4, D1.4 the breach record of unpaid wages masks the worker''s name');
SELECT integrity.commitments_due('2026-11-18') AS n \gset
SELECT is((SELECT state::text FROM integrity.arrears WHERE id = :a_p), 'overdue',
          'D7.4 on 2026-11-18, the last day of the grace (2026-11-13 + 3 working days), the project payment is overdue, not broken');
SELECT integrity.commitments_due('2026-11-19') AS n \gset
SELECT is((SELECT state::text || ' ' || broken_on FROM integrity.arrears WHERE id = :a_p), 'broken 2026-11-19',
          'D7.4 the day after the grace the unpaid project payment is a breach');
SELECT is(integrity.arrears_pay(:a_w, 32000.50, current_date, '付2'), 0.00, 'D7.4 paid late: nothing outstanding');
SELECT is((SELECT state::text || ' ' || broken_on || ' ' || (paid_on = current_date) FROM integrity.arrears WHERE id = :a_w),
          'paid 2026-11-17 true', 'D7.4 broken -> paid: the breach date stays on record');
SELECT throws_ok(format($$SELECT integrity.arrears_pay(%s, 1, current_date, '付3')$$, :a_w),
                 '55000', NULL, 'D7.4 paid arrears take no more payments (55000)');
SELECT throws_ok($$UPDATE integrity.arrears_payment SET amount = 1$$, '55000', NULL, 'D7.4 payments are never edited (55000)');
SELECT throws_ok(format($$UPDATE integrity.arrears SET state = 'open' WHERE id = %s$$, :a_w),
                 '55000', NULL, 'D7.4 paid is closed (55000)');
SELECT throws_ok(format($$DELETE FROM integrity.arrears WHERE id = %s$$, :a_p), '55000', NULL, 'D7.4 arrears are never deleted (55000)');
SELECT is((SELECT string_agg(event, ',' ORDER BY id) FROM integrity.arrears_event WHERE arrears_id = :a_w),
          'add,overdue,break,paid', 'D7.4 every step of the arrears is in its history');
SELECT is((SELECT format('%s %s %s %s', creditor, amount, paid, outstanding) FROM integrity.arrears_public WHERE arrears_id = :a_w),
          '王** 52000.50 52000.50 0.00', 'D7.4, D1.4 arrears_public: the worker masked, paid and outstanding computed');
SELECT is((SELECT creditor FROM integrity.arrears_public WHERE arrears_id = :a_p), '长治市建工集团有限公司',
          'D7.4 an organization as creditor is shown as it is');
SELECT integrity.arrears_add(:dept, 'enterprise_account', '长治市印刷厂', 800, '2026-11-20', '账〔2026〕1号') AS a_open \gset
SELECT integrity.arrears_add(:dept, 'enterprise_account', '长治市印刷厂', 900, '2026-11-20', '账〔2026〕2号') AS a_late \gset
SELECT is(integrity.arrears_pay(:a_open, 800, '2026-11-19', '付'), 0::numeric, 'D7.4 open -> paid in full before the due date');
SELECT integrity.commitments_due('2026-11-23') AS n \gset
SELECT is((SELECT string_agg(state::text, ',' ORDER BY id) FROM integrity.arrears WHERE id IN (:a_open, :a_late)), 'paid,overdue',
          'D7.4 paid arrears take no step; unpaid ones are overdue after the due date (grace 3)');
SELECT is(integrity.arrears_pay(:a_late, 900, '2026-11-24', '付'), 0::numeric, 'D7.4 overdue -> paid within the grace');
SELECT is((SELECT state::text || ' ' || coalesce(broken_on::text, '-') || ' ' || coalesce(breach_record_id::text, '-')
             FROM integrity.arrears WHERE id = :a_late), 'paid - -', 'D7.4 paid within the grace: no breach');
-- D7.3 overdue -> changed_lawfully (with a grace long enough to be overdue)
INSERT INTO integrity.parameter (name, value) VALUES ('commitment_grace_workdays', '5');
SELECT integrity.commitment_add(:dept, 'contract', '采购合同履约', '长统采〔2026〕2号', '2026-07-01', '2026-11-20') AS c_ov2 \gset
SELECT integrity.commitments_due('2026-11-23') AS n \gset
SELECT is((SELECT state::text FROM integrity.commitment WHERE id = :c_ov2), 'overdue', 'D7.2 overdue within a grace of 5 working days');
SELECT lives_ok(format($$SELECT integrity.commitment_change(%s, '国家利益: 上级决定终止该项目 (晋政函〔2026〕8号)', '按合同约定补偿供应商 5 万元')$$, :c_ov2),
                'D7.3 overdue -> changed_lawfully');
SELECT is((SELECT state::text || ' ' || coalesce(breach_record_id::text, '-') FROM integrity.commitment WHERE id = :c_ov2),
          'changed_lawfully -', 'D7.3 a lawful change of an overdue commitment is no breach');
DELETE FROM integrity.parameter WHERE name = 'commitment_grace_workdays' AND NOT seeded;
DELETE FROM integrity.parameter WHERE name = 'arrears_grace_workdays' AND NOT seeded;

------------------------------------------------------------------------
-- D7.5 monitoring: 践诺率 and arrears overdue per quarter, re-evaluated as of any day
------------------------------------------------------------------------
-- Q3 2026 for the government: c_kept kept (07-30), c_f broken (due 08-14);
-- Q3 for the department: c_g, c_g2 due 09-30, c_g2 fulfilled late
SELECT is((SELECT format('%s %s %s %s', quarter, commitments_due, commitments_kept, fulfilment_pct)
             FROM integrity.commitment_quarter('2026-09-30') WHERE subject_id = :gov),
          '2026Q3 2 1 50.0', 'D7.5 践诺率 of 2026Q3: one of the two commitments due was fulfilled by its due date');
SELECT is((SELECT format('%s %s %s', commitments_due, commitments_kept, fulfilment_pct)
             FROM integrity.commitment_quarter('2026-09-30') WHERE subject_id = :dept),
          '2 0 0.0', 'D7.5 fulfilled within the grace, after the due date, does not count as kept');
SELECT is((SELECT format('%s %s %s', commitments_due, commitments_kept, fulfilment_pct)
             FROM integrity.commitment_quarter('2026-07-31') WHERE subject_id = :gov),
          '1 1 100.0', 'D7.5 as_of 2026-07-31 re-evaluates the quarter as it stood then: one due, kept');
SELECT is((SELECT count(*)::int FROM integrity.commitment_quarter('2026-08-01') WHERE subject_id = :dept), 0,
          'D7.5 ... and the department had nothing due yet');
SELECT is((SELECT format('%s %s %s %s', quarter, arrears_overdue, arrears_overdue_amount, commitments_due)
             FROM integrity.commitment_quarter('2026-11-30') WHERE subject_id = :gov),
          '2026Q4 2 1032000.50 3', 'D7.5 arrears overdue as of 2026-11-30: both, with the outstanding amount as it stood then (paid later)');
SELECT is((SELECT arrears_overdue FROM integrity.commitment_quarter(current_date) WHERE subject_id = :gov), 1,
          'D7.5 today only the unpaid project payment is overdue');
SELECT is((SELECT count(*)::int FROM integrity.monitoring_ranking m
             LEFT JOIN integrity.commitment_quarter(m.quarter_end) q ON q.origin = m.origin AND q.subject_id = m.subject_id
            WHERE m.fulfilment_pct IS DISTINCT FROM q.fulfilment_pct
               OR m.arrears_overdue <> coalesce(q.arrears_overdue, 0)
               OR m.arrears_overdue_amount <> coalesce(q.arrears_overdue_amount, 0)), 0,
          'D7.5 monitoring_ranking shows, for each subject and quarter, the 践诺率 and arrears of commitment_quarter at the quarter end (NULL when nothing was due)');
SELECT is((SELECT count(*)::int FROM integrity.monitoring_ranking WHERE fulfilment_pct IS NOT NULL), 
          (SELECT count(*)::int FROM integrity.monitoring_ranking m, integrity.commitment_quarter(m.quarter_end) q
            WHERE q.origin = m.origin AND q.subject_id = m.subject_id AND q.commitments_due > 0),
          'D7.5 a 践诺率 exactly where commitments were due');

------------------------------------------------------------------------
-- D7.5 the public views
------------------------------------------------------------------------
SELECT is((SELECT format('%s %s %s %s', subject_name, due_on, state_name, breach_record_id IS NOT NULL)
             FROM integrity.commitment_public WHERE commitment_id = :c_holiday),
          '长治市人民政府 2026-10-08 毁约 t', 'D7.5 commitment_public shows the moved due date, the state and the breach record');
SELECT is((SELECT count(*)::int FROM pg_attribute a WHERE a.attrelid = v::regclass AND a.attnum > 0
             AND col_description(a.attrelid, a.attnum) IS NULL), 0, 'D7.5 every column of ' || v || ' has a comment')
  FROM unnest(ARRAY['integrity.commitment_public', 'integrity.arrears_public']) v;
SELECT is((SELECT array_agg(c.relname::text ORDER BY c.relname) FROM pg_class c
            WHERE c.relnamespace = 'integrity'::regnamespace AND c.relname IN ('commitment_public', 'arrears_public')
              AND 'security_barrier=true' = ANY (c.reloptions)),
          ARRAY['arrears_public', 'commitment_public'], 'D7.5 both views are security_barrier');
SELECT is((SELECT count(*)::int FROM integrity.commitment_public), (SELECT count(*)::int FROM integrity.commitment),
          'D2.9 the view shows every commitment held here');
SELECT is((SELECT array_agg(attname::text ORDER BY attnum) FROM pg_attribute
            WHERE attrelid = 'integrity.commitment_public'::regclass AND attnum > 0)
          @> ARRAY['origin', 'commitment_id', 'subject_id', 'subject_name', 'kind', 'title', 'document_no', 'made_on',
                   'due_on', 'state', 'fulfilled_on', 'broken_on', 'changed_on'], true,
          'D7.5 commitment_public has the columns of the contract');
SELECT is((SELECT array_agg(attname::text ORDER BY attnum) FROM pg_attribute
            WHERE attrelid = 'integrity.arrears_public'::regclass AND attnum > 0)
          @> ARRAY['origin', 'arrears_id', 'subject_id', 'kind', 'creditor', 'amount', 'paid', 'outstanding', 'due_on', 'state'], true,
          'D7.5 arrears_public has the columns of the contract');

------------------------------------------------------------------------
-- SPEC 6 the log still verifies, in SQL and offline format
------------------------------------------------------------------------
SELECT is((SELECT ok FROM integrity.verify_chain()), true, 'SPEC 6 verify_chain holds with commitment entries in the chain');
SELECT is((SELECT count(*)::int FROM integrity.disclosure WHERE record_id IS NULL AND event NOT LIKE 'commitment\_%'), 0,
          'SPEC 6 only commitment entries have no record_id');
SELECT is((SELECT count(*)::int FROM integrity.disclosure WHERE record_id IS NULL
            AND event <> payload::jsonb ->> 'event'), 0, 'SPEC 6 the event column agrees with the payload');

------------------------------------------------------------------------
-- D8 the integrity file
------------------------------------------------------------------------
SELECT integrity.record_add(:cs, 'disciplinary_sanction', 'general', '2026-03-01', '纪〔2026〕1号', '长治市纪委', '警告处分') AS r26 \gset
SELECT integrity.notify(:r26, '告知') AS n \gset
SELECT integrity.confirm(:r26, '认定') AS n \gset
SELECT throws_ok(format($$SELECT integrity.assessment_set(%s, 2026, '优秀')$$, :cs),
                 '55000', 'civil servant ' || :cs || ' cannot be rated 优秀 for 2026',
                 'D8.3 优秀 is refused when may_rate_excellent is false (55000)');
SELECT matches(cm_t.detail_of(format($$SELECT integrity.assessment_set(%s, 2026, '优秀')$$, :cs)),
               'record ' || :r26 || ' \(disciplinary_sanction, decided 2026-03-01, 纪〔2026〕1号\)',
               'D8.3 the errdetail names the records');
SELECT throws_ok(format($$INSERT INTO integrity.assessment (origin, id, subject_id, year, grade) VALUES ('140400', 999, %s, 2026, '优秀')$$, :cs),
                 '55000', NULL, 'D8.3 the rule holds where the grade is stored, for a direct INSERT too (55000)');
SELECT lives_ok(format($$SELECT integrity.assessment_set(%s, 2026, '称职')$$, :cs), 'D8.1 称职 is stored');
SELECT lives_ok(format($$SELECT integrity.assessment_set(%s, 2025, '优秀')$$, :cs), 'D8.3 优秀 for a clean year is stored');
SELECT throws_ok(format($$SELECT integrity.assessment_set(%s, 2025, '良好')$$, :cs), '22023', NULL, 'D8.1 an unknown grade is refused (22023)');
SELECT throws_ok(format($$SELECT integrity.assessment_set(%s, 2025, '称职')$$, :gov), '22023', NULL, 'D8.1 only civil servants are assessed (22023)');
SELECT throws_ok(format($$SELECT integrity.assessment_set(%s, 1900, '称职')$$, :cs), '22023', NULL, 'D8.1 a year out of range is refused (22023)');
SELECT throws_ok($$SELECT integrity.assessment_set(NULL, 2025, '称职')$$, '22004', NULL, 'D8.1 subject_id is required (22004)');
-- a record decided later in the year already rated 优秀
SELECT integrity.record_add(:cs, 'accountability', 'general', '2025-09-01', '问责〔2025〕3号', '长治市纪委', '问责') AS r25 \gset
SELECT integrity.notify(:r25, '告知') AS n \gset
SELECT integrity.confirm(:r25, '认定') AS n \gset
SELECT is((SELECT grade FROM integrity.assessment WHERE subject_id = :cs AND year = 2025 ORDER BY id DESC LIMIT 1), '优秀',
          'D8.3 a later record leaves the stored 优秀 as it is');
SELECT is(integrity.integrity_file(:cs) -> 'assessments' -> 0 ->> 'conflict', 'true',
          'D8.3 ... and the file shows the conflict');
SELECT is(integrity.integrity_file(:cs) -> 'assessments' -> 1 ->> 'grade', '称职', 'D8.1 the newest grade of a year counts');
SELECT lives_ok(format($$SELECT integrity.personal_report_set(%s, 2025, 'late', '2026-02-10')$$, :cs), 'D8.1 a late personal-matters report');
SELECT throws_ok(format($$SELECT integrity.personal_report_set(%s, 2025, 'on_time', NULL)$$, :cs), '22023', NULL,
                 'D8.1 a filed report needs its date (22023)');
SELECT throws_ok(format($$SELECT integrity.personal_report_set(%s, 2025, 'lost', NULL)$$, :cs), '22023', NULL,
                 'D8.1 an unknown status is refused (22023)');
SELECT lives_ok(format($$SELECT integrity.clean_record_add(%s, '廉政谈话', '2026-05-01', '谈〔2026〕1号')$$, :cs), 'D8.1 a clean-government record');
SELECT throws_ok(format($$SELECT integrity.clean_record_add(%s, '', '2026-05-01', 'x')$$, :cs), '22023', NULL,
                 'D8.1 a clean-government record needs its kind (22023)');
SELECT is((SELECT array_agg(k ORDER BY k) FROM jsonb_object_keys(integrity.integrity_file(:cs)) k),
          ARRAY['assessments', 'clean_records', 'dishonesty_records', 'personal_reports', 'restrictions', 'subject'],
          'D8.1 the file holds reports, clean-government records, assessments and the dishonesty records');
SELECT is(jsonb_array_length(integrity.integrity_file(:cs) -> 'dishonesty_records'), 2, 'D8.1 both dishonesty records are in the file');
SELECT is(integrity.integrity_file(:cs) -> 'personal_reports' -> 0 ->> 'status', 'late', 'D8.1 the report status is in the file');
SELECT throws_ok(format($$SELECT integrity.integrity_file(%s)$$, :gov), '22023', NULL, 'D8.1 a government has no integrity file (22023)');
SELECT is((SELECT count(*)::int FROM integrity.disclosure WHERE payload LIKE '%廉政谈话%' OR payload LIKE '%优秀%'
                                                             OR payload LIKE '%late%'), 0,
          'D8.2 nothing of the file reaches a disclosure payload');

SELECT lives_ok(format($$INSERT INTO integrity.assessment (origin, id, subject_id, year, grade, set_at)
                         VALUES ('140400', 998, %s, 2026, '优秀', '2026-01-10 09:00+08')$$, :cs),
                'D8.3 a load (pg_restore) of a grade stored earlier is kept: it was checked when it was set');
SELECT is(integrity.integrity_file(:cs) -> 'assessments' -> 1 ->> 'conflict', 'true', 'D8.3 ... and its conflict shows in the file');
------------------------------------------------------------------------
-- D8.2, SPEC 8 roles
------------------------------------------------------------------------
CREATE ROLE cm07_reader IN ROLE integrity_reader;
CREATE ROLE cm07_operator IN ROLE integrity_operator;
CREATE ROLE cm07_personnel IN ROLE integrity_personnel;
CREATE ROLE cm07_both IN ROLE integrity_operator, integrity_personnel;
SELECT is(pg_has_role('integrity_personnel', 'integrity_reader', 'MEMBER'), false, 'D8.2 integrity_personnel is no reader role');
SET LOCAL ROLE cm07_reader;
SELECT is((SELECT count(*) > 0 FROM integrity.commitment_public), true, 'D7.5 a reader reads commitment_public');
SELECT is((SELECT count(*) > 0 FROM integrity.arrears_public), true, 'D7.5 a reader reads arrears_public');
SELECT is((SELECT count(*) > 0 FROM integrity.monitoring_ranking), true, 'D7.5 a reader reads monitoring_ranking with its new columns');
SELECT throws_ok($$SELECT count(*) FROM integrity.commitment$$, '42501', NULL, 'D7.5 a reader does not read the commitment table (42501)');
SELECT throws_ok($$SELECT count(*) FROM integrity.assessment$$, '42501', NULL, 'D8.2 a reader does not read assessments (42501)');
SELECT throws_ok(format($$SELECT integrity.integrity_file(%s)$$, :cs), '42501', NULL, 'D8.2 a reader cannot read a file (42501)');
SELECT throws_ok($$SELECT integrity.commitments_due()$$, '42501', NULL, 'D7.2 a reader cannot run the nightly job (42501)');
SELECT throws_ok($$SELECT * FROM integrity.commitment_quarter('2020-03-31')$$, '42501', NULL,
                 'D7.5 a reader has no free as_of: commitment_quarter is for operators (42501), the view shows the quarters');
RESET ROLE;
SET LOCAL ROLE cm07_operator;
SELECT throws_ok(format($$SELECT integrity.assessment_set(%s, 2024, '称职')$$, :cs), '42501', NULL,
                 'D8.2 an operator cannot set assessments (42501)');
SELECT is(integrity.integrity_file(:cs) -> 'subject' ->> 'name', '欧阳明华', 'D8.2 an operator reads the file');
SELECT lives_ok(format($$SELECT integrity.commitment_add(%s, 'service', '窗口办结', '长政发〔2026〕40号', '2026-11-02', '2026-12-31')$$, :gov),
                'D7.1 an operator records commitments');
RESET ROLE;
SET LOCAL ROLE cm07_personnel;
SELECT lives_ok(format($$SELECT integrity.assessment_set(%s, 2024, '称职')$$, :cs), 'D8.2 the personnel department sets assessments');
SELECT is(jsonb_array_length(integrity.integrity_file(:cs) -> 'assessments'), 3, 'D8.2 the personnel department reads the file');
SELECT throws_ok(format($$SELECT integrity.commitment_add(%s, 'service', 'x', 'y', '2026-11-02', '2026-12-31')$$, :gov),
                 '42501', NULL, 'D8.2 the personnel department does not record commitments (42501)');
SELECT throws_ok($$SELECT count(*) FROM integrity.commitment_public$$, '42501', NULL, 'D8.2 nor is it a reader (42501)');
RESET ROLE;
SET LOCAL ROLE cm07_both;
SELECT lives_ok(format($$SELECT integrity.assessment_set(%s, 2023, '称职')$$, :cs2), 'D8.2 an operator granted personnel sets assessments');
RESET ROLE;

------------------------------------------------------------------------
-- D2.9, SPEC 10 level-by-level collection
------------------------------------------------------------------------
SET LOCAL client_min_messages = error;
SELECT integrity.create_publication('cm07_pub') AS n \gset
SET LOCAL client_min_messages = warning;
SELECT is((SELECT string_agg(tablename || ' ' || rowfilter, '; ' ORDER BY tablename) FROM pg_publication_tables
            WHERE pubname = 'cm07_pub' AND tablename IN ('commitment', 'commitment_event', 'arrears', 'arrears_payment',
                                                         'arrears_event', 'personal_report', 'clean_record', 'assessment')),
          'arrears (origin = ''140400''::text); arrears_event (origin = ''140400''::text); arrears_payment (origin = ''140400''::text); assessment (origin = ''140400''::text); clean_record (origin = ''140400''::text); commitment (origin = ''140400''::text); commitment_event (origin = ''140400''::text); personal_report (origin = ''140400''::text)',
          'D2.9, D8.4 create_publication publishes the new tables with the same origin row filter');
-- a lower origin's commitment, as the apply worker would store it
SET LOCAL session_replication_role = replica;
INSERT INTO integrity.subject (origin, id, kind, name, uscc, region)
    VALUES ('140421', 1, 'government', '长治市上党区人民政府', '11140400000000019L', '140421');
INSERT INTO integrity.commitment (origin, id, subject_id, kind, title, document_no, made_on, promised_due_on, due_on, state, broken_on)
    VALUES ('140421', 1, 1, 'policy', '县招商承诺', '上政发〔2026〕1号', '2026-01-05', '2026-03-31', '2026-03-31', 'broken', '2026-04-01');
SET LOCAL session_replication_role = origin;
SELECT is((SELECT state::text FROM integrity.commitment_public WHERE origin = '140421'), 'broken',
          'D2.9 the upper level shows every origin''s commitments');
SELECT integrity.commitments_due() AS n \gset
SELECT is((SELECT count(*)::int FROM integrity.commitment_event WHERE origin = '140421')
          || ' ' || (SELECT state::text FROM integrity.commitment WHERE origin = '140421'), '0 broken',
          'D2.9 commitments_due acts on the local origin only');

SELECT * FROM finish();
ROLLBACK;
