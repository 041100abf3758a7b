-- pgTAP: hardening (issue 13).  Each finding of the attack on 1.1 is a
-- named test with its SQLSTATE:
--   F1  C functions reached with NULL arguments: an SQLSTATE, never a crash
--   F2  reader views are security barriers: a reader's cheap function in
--       WHERE sees only rows the view shows
--   F3  internals with free arguments are out of readers' reach; the list
--       parameters of a model are checked, naming the field
--   F4  working-day functions are bounded (22023 with the range)
--   F6  working days never silently past the loaded calendar (D2.5):
--       55000 naming the year, the weekends fallback with a WARNING,
--       calendar_load and calendar_provisional
--   F7  verify_chain of an unknown origin, inclusion_proof(NULL, ..),
--       mask_name of a one-character name
-- (F5, key errors of non-superusers, needs a reload of the server's
-- settings: test/pg/key_errors.sh.)
BEGIN;
CREATE EXTENSION IF NOT EXISTS pgtap;
CREATE EXTENSION IF NOT EXISTS integrity;
SELECT plan(68);
SET LOCAL client_min_messages = warning;
SELECT integrity.set_origin('140400') \gset

CREATE SCHEMA h07;
GRANT USAGE ON SCHEMA h07 TO PUBLIC;
CREATE ROLE h07_reader IN ROLE integrity_reader;
CREATE ROLE h07_operator IN ROLE integrity_operator;
CREATE ROLE h07_admin IN ROLE integrity_admin;

-- 'ok: <first value>' or 'SQLSTATE: message' of q run as role r; whatever
-- q did is undone
CREATE FUNCTION h07.try_as(r text, q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE res text; st text; msg text;
BEGIN
    BEGIN
        EXECUTE format('SET LOCAL ROLE %I', r);
        EXECUTE q INTO res;
        res := 'ok: ' || coalesce(res, 'NULL');
        RAISE EXCEPTION 'undo' USING ERRCODE = 'ZX999';
    EXCEPTION
        WHEN SQLSTATE 'ZX999' THEN NULL;
        WHEN OTHERS THEN
            GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT;
            res := st || ': ' || msg;
    END;
    RETURN res;
END $$;
CREATE FUNCTION h07.code_as(r text, q text) RETURNS text LANGUAGE sql AS $$
    SELECT CASE WHEN x LIKE 'ok: %' THEN 'ok' ELSE split_part(x, ':', 1) END FROM h07.try_as(r, q) x
$$;
-- the same with the detail and hint of the error
CREATE FUNCTION h07.full_as(r text, q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE st text; msg text; det text; hint text;
BEGIN
    BEGIN
        EXECUTE format('SET LOCAL ROLE %I', r);
        EXECUTE q;
        RAISE EXCEPTION 'undo' USING ERRCODE = 'ZX999';
    EXCEPTION
        WHEN SQLSTATE 'ZX999' THEN RETURN 'ok';
        WHEN OTHERS THEN
            GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT,
                                    det = PG_EXCEPTION_DETAIL, hint = PG_EXCEPTION_HINT;
            RETURN st || ': ' || msg || ' | ' || coalesce(det, '') || ' | ' || coalesce(hint, '');
    END;
END $$;

-- D1.1/D1.2: a valid uscc with the given 8-character prefix and body number n
CREATE FUNCTION h07.uscc(prefix text, n bigint) RETURNS text LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    body text := prefix || lpad(n::text, 8, '0');
    ow int[] := '{3,7,9,10,5,8,4,2}';
    cs text := '0123456789ABCDEFGHJKLMNPQRTUWXY';
    s int := 0; w int := 1; c int; i int;
BEGIN
    FOR i IN 1 .. 8 LOOP s := s + substr(body, 8 + i, 1)::int * ow[i]; END LOOP;
    c := 11 - s % 11;
    body := body || CASE c WHEN 10 THEN 'X' WHEN 11 THEN '0' ELSE c::text END;
    s := 0;
    FOR i IN 1 .. 17 LOOP
        s := s + (strpos(cs, substr(body, i, 1)) - 1) * w;
        w := w * 3 % 31;
    END LOOP;
    RETURN body || substr(cs, (31 - s % 31) % 31 + 1, 1);
END $$;

------------------------------------------------------------------------
-- F1: NULL models and states, as a reader (1.1 crashed the server here)
------------------------------------------------------------------------
SELECT is(h07.code_as('h07_reader', 'SELECT integrity.score_of(NULL, NULL)'), '22004',
          'F1 score_of(NULL, NULL) as a reader: 22004, no crash');
SELECT is(h07.code_as('h07_reader', $$SELECT integrity.score_of('{0,0,0,0}', NULL)$$), '22004',
          'F1 score_of(state, NULL model): 22004');
SELECT is(h07.code_as('h07_reader', $$SELECT integrity.grade_of('{0,0,0,0}', NULL)$$), '22004',
          'F1 grade_of(state, NULL model): 22004');
SELECT is(h07.code_as('h07_reader', 'SELECT (integrity.score_result(NULL, NULL)).score'), '22004',
          'F1 score_result(NULL, NULL): 22004');
SELECT is(h07.code_as('h07_reader', $$SELECT integrity.score_of(NULL, (SELECT params FROM integrity.score_model WHERE name = 'default'))$$),
          'ok', 'F1 a NULL state is a subject without records: the start score');
SELECT is(h07.code_as('h07_reader', $$SELECT integrity.score_of('{}', (SELECT params FROM integrity.score_model WHERE name = 'default'))$$),
          '22023', 'F1 a state of the wrong length: 22023');
SELECT is(h07.code_as('h07_reader', 'SELECT integrity.score_of(NULL, ''{}'')'), '22023',
          'F1 an empty model document: 22023');
SELECT is(h07.code_as('h07_reader', $$SELECT integrity.score_state(NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)::text$$),
          'ok', 'F1 the score_state aggregate over one all-NULL row');
SELECT is(h07.code_as('h07_reader', 'SELECT integrity.verify_entry(NULL, NULL)::text'), 'ok',
          'F1 verify_entry(NULL, NULL) answers NULL');

------------------------------------------------------------------------
-- fixtures: a subject with records in every state, each with a summary
-- and a document number of its own, so that a leak is recognised
------------------------------------------------------------------------
SELECT integrity.subject_add('enterprise', '长治加固测试有限公司', h07.uscc('91140400', 71070001)) AS eid \gset
SELECT integrity.subject_add('government', '长治市加固测试政府', h07.uscc('11140400', 71070002)) AS gid \gset
CREATE TABLE h07.rec (state text, id bigint);
DO $$
DECLARE s bigint; r bigint; st text;
BEGIN
    SELECT id INTO s FROM integrity.subject WHERE name = '长治加固测试有限公司';
    FOREACH st IN ARRAY ARRAY['collected', 'notified', 'confirmed', 'published', 'objected', 'revoked', 'repaired'] LOOP
        r := integrity.record_add(s, 'admin_penalty', 'general', current_date - CASE st WHEN 'repaired' THEN 200 ELSE 10 END,
                                  'H07-DOC-' || st, '长治市市场监督管理局', 'H07-SUMMARY-' || st);
        IF st <> 'collected' THEN PERFORM integrity.notify(r, '书面告知'); END IF;
        IF st NOT IN ('collected', 'notified') THEN PERFORM integrity.confirm(r, '认定'); END IF;
        IF st IN ('published', 'objected', 'revoked', 'repaired') THEN PERFORM integrity.publish(r); END IF;
        IF st = 'objected' THEN PERFORM integrity.object(r, '异议'); END IF;
        IF st = 'revoked' THEN PERFORM integrity.revoke(r, '信息错误'); END IF;
        IF st = 'repaired' THEN PERFORM integrity.repair(r, '已整改'); END IF;
        INSERT INTO h07.rec VALUES (st, r);
    END LOOP;
END $$;
SELECT is((SELECT string_agg(r.state::text, ',' ORDER BY h.id) FROM h07.rec h JOIN integrity.record r ON r.id = h.id),
          'collected,notified,confirmed,published,objected,revoked,repaired', 'fixtures: a record in each state');

------------------------------------------------------------------------
-- F2: security barriers
------------------------------------------------------------------------
SELECT is((SELECT count(*)::integer FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = 'integrity' AND c.relkind = 'v'
              AND NOT coalesce('security_barrier=true' = ANY (c.reloptions), false)), 0,
          'F2 every view of the extension is WITH (security_barrier)');
-- the leaky function of the attack: as cheap as can be, it writes what it
-- sees where the test can read it
CREATE TABLE h07.seen (v text);
GRANT INSERT ON h07.seen TO PUBLIC;
CREATE FUNCTION public.h07_leak(a text, b text DEFAULT NULL) RETURNS boolean LANGUAGE plpgsql COST 0.0000001 AS $$
BEGIN
    INSERT INTO h07.seen VALUES (a), (b);
    RETURN true;
END $$;
SELECT is(h07.code_as('h07_reader', $$SELECT count(*) FROM (
              SELECT 1 FROM integrity.public_record WHERE public.h07_leak(document_no, source_unit)) x$$),
          'ok', 'F2 a reader runs the leak through public_record');
-- the subtransaction of code_as undid the inserts: run the leak for real
SET LOCAL ROLE h07_reader;
SELECT count(*) FROM integrity.public_record WHERE public.h07_leak(document_no, subject_name) \gset leak1_
SELECT count(*) FROM integrity.public_record WHERE public.h07_leak(category_name, state) \gset leak2_
RESET ROLE;
SELECT is((SELECT count(*)::integer FROM h07.seen WHERE v ~ 'H07-DOC-(collected|notified|confirmed|revoked|repaired)'), 0,
          'F2 the leak saw no document_no of a collected, notified, confirmed, revoked or repaired record');
SELECT ok((SELECT count(*) FROM h07.seen WHERE v IN ('H07-DOC-published', 'H07-DOC-objected')) = 2,
          'F2 (the leak is real: it saw the two records in publicity)');
SELECT is((SELECT count(*)::integer FROM h07.seen s
            WHERE s.v IS NOT NULL AND s.v LIKE 'H07-%'
              AND NOT EXISTS (SELECT 1 FROM integrity.public_record p WHERE s.v IN (p.document_no, p.subject_name))), 0,
          'F2 every value the leak saw is shown by the view itself');

------------------------------------------------------------------------
-- F3: internals out of readers' reach, list parameters checked
------------------------------------------------------------------------
SELECT is(h07.code_as('h07_reader', format($$SELECT (integrity._punishment('140400', %s, current_date,
              '{"punishment": {"window_days": 36500}}'::jsonb)).level$$, :eid)), '42501',
          'F3 a reader cannot call _punishment with its own window: 42501');
SELECT is(h07.code_as('h07_reader', format($$SELECT (integrity._incentive('140400', %s, date '2020-01-01',
              (SELECT params FROM integrity.score_model WHERE name = 'default'))).eligible$$, :eid)), '42501',
          'F3 a reader cannot call _incentive with a past as_of: 42501');
SELECT is(h07.code_as('h07_operator', format($$SELECT (integrity._punishment('140400', %s, current_date,
              (SELECT params FROM integrity.score_model WHERE name = 'default'))).level$$, :eid)), '42501',
          'F3 nor can an operator: the internals are the owner''s');
SELECT is(h07.code_as('h07_reader', 'SELECT count(*) FROM integrity._blacklist_now()'), 'ok',
          'F3 the view''s list function (today, default model, no argument) is open to readers');
SELECT is(h07.code_as('h07_reader', format('SELECT integrity.punishment_status(%s)', :eid)), '42501',
          'F3 punishment_status (any as_of) is for operators, not readers: 42501');
SELECT is(h07.code_as('h07_reader', 'SELECT count(*) FROM integrity.blacklist'), 'ok', 'F3 a reader reads blacklist');
SELECT is(h07.code_as('h07_reader', 'SELECT count(*) FROM integrity.redlist'), 'ok', 'F3 a reader reads redlist');
SELECT is(h07.code_as('h07_reader', 'SELECT count(*) FROM integrity.monitoring_ranking'), 'ok', 'F3 a reader reads monitoring_ranking');
SELECT is(h07.code_as('h07_reader', 'SELECT count(*) FROM integrity.evaluation'), 'ok', 'F3 a reader reads evaluation');
-- a model whose list sections are wrong is refused where it is written
CREATE FUNCTION h07.model_with(path text[], v jsonb) RETURNS text LANGUAGE sql AS $$
    SELECT format('INSERT INTO integrity.score_model (name, params) VALUES (''h07'', %L) RETURNING name',
                  jsonb_set((SELECT params FROM integrity.score_model WHERE name = 'default'), path, v))
$$;
SELECT is(h07.code_as('h07_admin', h07.model_with('{punishment,window_days}', '36500')), '22023',
          'F3 D3.1 a window of 100 years: 22023');
SELECT matches(h07.full_as('h07_admin', h07.model_with('{punishment,window_days}', '"365"')),
               'punishment\.window_days', 'F3 the error names the field punishment.window_days');
SELECT matches(h07.full_as('h07_admin', h07.model_with('{punishment,term}', '"forever"')),
               '^22023: .*punishment\.term', 'F3 D2.10 a term that is not N years/months/days: 22023 naming punishment.term');
SELECT matches(h07.full_as('h07_admin', h07.model_with('{incentive,lookback_days}', '-1')),
               '^22023: .*incentive\.lookback_days', 'F3 D3.4 a negative look-back: 22023 naming incentive.lookback_days');
SELECT matches(h07.full_as('h07_admin', h07.model_with('{punishment,joint_categories}', '[1]')),
               '^22023: .*punishment\.joint_categories', 'F3 a category list of numbers: 22023 naming the field');
SELECT is(h07.code_as('h07_admin', h07.model_with('{punishment,window_days}', '730')), 'ok',
          'F3 a model with a two-year window is accepted');

------------------------------------------------------------------------
-- F4: bounded working-day functions
------------------------------------------------------------------------
SELECT matches(h07.full_as('h07_reader', $$SELECT integrity.add_workdays('2025-01-01', 10000000)$$),
               '^22023: n = 10000000 is out of range \| .*between -10000 and 10000',
               'F4 add_workdays with n = 10000000: 22023, the range in errdetail');
SELECT is(h07.code_as('h07_reader', $$SELECT integrity.add_workdays('2025-01-01', 2147483647)$$), '22023',
          'F4 add_workdays with n = 2^31 - 1: 22023, not 22003');
SELECT matches(h07.full_as('h07_reader', $$SELECT integrity.add_workdays('4713-01-01 BC', 1000000000)$$),
               '^22023: .*1949-10-01 to 2999-12-31', 'F4 add_workdays from 4713 BC: 22023 with the date range');
SELECT is(h07.code_as('h07_reader', $$SELECT integrity.add_workdays('infinity', 1)$$), '22023',
          'F4 add_workdays from infinity: 22023');
SELECT is(h07.code_as('h07_reader', $$SELECT integrity.workdays_between('4713-01-01 BC', '5874897-12-31')$$), '22023',
          'F4 workdays_between of the extreme dates: 22023');
SELECT is(h07.code_as('h07_reader', $$SELECT integrity.is_workday('-infinity')::text$$), '22023',
          'F4 is_workday(-infinity): 22023');
SELECT is(integrity.workdays_between('2004-01-01', '2026-12-31'),
          (SELECT count(*)::integer FROM generate_series(date '2004-01-02', date '2026-12-31', '1 day') g
             LEFT JOIN integrity.calendar c ON c.day = g::date
            WHERE coalesce(c.is_workday, extract(isodow FROM g) < 6)),
          'F4 D2.5 workdays_between in closed form equals the day-by-day count over the whole calendar');
SELECT is(integrity.workdays_between('2026-12-31', '2004-01-01'), -integrity.workdays_between('2004-01-01', '2026-12-31'),
          'F4 workdays_between is antisymmetric');
SELECT is((SELECT count(*)::integer FROM generate_series(date '2025-09-01', date '2025-10-31', '1 day') g(d)
            WHERE integrity.add_workdays(g::date, integrity.workdays_between(g::date, date '2025-11-20')) <> date '2025-11-20'), 0,
          'F4 SPEC 4 add_workdays(a, workdays_between(a, b)) = b over two months around National Day 2025');

------------------------------------------------------------------------
-- F6: the calendar ends with 2026 (D2.5)
------------------------------------------------------------------------
SELECT is((SELECT min(year) || '-' || max(year) || ' ' || count(*) FROM integrity.calendar_year), '2004-2026 23',
          'F6 the years loaded are those of the shipped calendar');
SELECT matches(h07.full_as('h07_reader', $$SELECT integrity.add_workdays('2027-09-28', 5)$$),
               '^55000: the official calendar of 2027 is not loaded \| .* \| .*calendar_load\(2027',
               'F6 D2.5 add_workdays into 2027: 55000 naming the year, errhint how to load it');
SELECT matches(h07.full_as('h07_reader', $$SELECT integrity.add_workdays('2026-12-28', 7)$$),
               '^55000: the official calendar of 2027 is not loaded',
               'F6 D2.5 a publish deadline of late December 2026 runs into 2027: 55000');
SELECT is(integrity.add_workdays('2026-12-18', 7), date '2026-12-29',
          'F6 a deadline inside 2026 is computed as before');
SELECT is(h07.code_as('h07_reader', $$SELECT integrity.workdays_between('2026-12-01', '2027-01-15')$$), '55000',
          'F6 workdays_between into 2027: 55000');
SELECT is(h07.code_as('h07_reader', $$SELECT integrity.is_workday('2027-10-01')::text$$), '55000',
          'F6 is_workday of a day of 2027: 55000');
SELECT is(h07.code_as('h07_reader', $$SELECT integrity.add_workdays('2003-12-25', 7)$$), '55000',
          'F6 years before the shipped calendar are not loaded either: 55000');
-- A decision cannot be dated in the future, so the record of a late
-- December decision is played with 2026 taken out of calendar_year (its
-- calendar rows stay: only the year's being loaded is what is checked).
DELETE FROM integrity.calendar_year WHERE year = 2026;
SELECT is(h07.code_as('h07_operator', format($$SELECT integrity.record_add(%s, 'admin_penalty', 'general', current_date - 1,
              'H07-LATE', '长治市市场监督管理局', '年末决定')$$, :eid)), '55000',
          'F6 D2.5 record_add whose publish_due runs into a year not loaded: 55000 (the deadline would be silently wrong)');
-- the admin's choice: weekends only, with a WARNING, and the deadline listed
INSERT INTO integrity.parameter (name, value) VALUES ('calendar_missing_year', 'weekends');
SELECT is(integrity.add_workdays('2027-09-28', 5), date '2027-10-05',
          'F6 with calendar_missing_year = weekends: Monday to Friday');
SELECT integrity.record_add(:eid, 'admin_penalty', 'general', current_date - 1, 'H07-LATE', '长治市市场监督管理局', '年末决定') AS late \gset
SELECT is((SELECT publish_due FROM integrity.record WHERE id = :late), integrity.add_workdays(current_date - 1, 7),
          'F6 record_add under the fallback: publish_due computed (with a WARNING)');
SELECT is((SELECT string_agg(deadline || ' ' || (due = integrity.add_workdays(current_date - 1, 7)) || ' ' || missing_year || ' ' || coalesce(now_due::text, '-'), ';')
             FROM integrity.calendar_provisional() WHERE record_id = :late),
          'publish_due true 2026 -', 'F6 calendar_provisional lists the deadline computed while its year was missing');
SELECT is(h07.code_as('h07_reader', 'SELECT count(*) FROM integrity.calendar_provisional()'), '42501',
          'F6 calendar_provisional is for operators');
INSERT INTO integrity.calendar_year (year, source, loaded_at) VALUES (2026, 'test: loaded later', now() + interval '1 hour');
SELECT is((SELECT missing_year || ' ' || (now_due = integrity.add_workdays(current_date - 1, 7)) FROM integrity.calendar_provisional(2026) WHERE record_id = :late),
          '2026 true', 'F6 once the year is loaded, calendar_provisional shows what the official calendar gives');
DELETE FROM integrity.parameter WHERE name = 'calendar_missing_year' AND NOT seeded;
-- loading a year: validated
SELECT matches(h07.full_as('h07_admin', $$SELECT integrity.calendar_load(2027, '{2027-01-01,2026-12-31}', '{}', 'test')$$),
               '^22023: day 2026-12-31 is not in 2027', 'F6 calendar_load: a day of another year, 22023');
SELECT matches(h07.full_as('h07_admin', $$SELECT integrity.calendar_load(2027, '{2027-10-01,2027-10-01}', '{}', 'test')$$),
               '^22023: day 2027-10-01 is listed twice', 'F6 calendar_load: a day twice, 22023');
SELECT matches(h07.full_as('h07_admin', $$SELECT integrity.calendar_load(2027, '{2027-10-01}', '{2027-10-01}', 'test')$$),
               '^22023: day 2027-10-01 is listed twice', 'F6 calendar_load: a day both holiday and working day, 22023');
SELECT matches(h07.full_as('h07_admin', $$SELECT integrity.calendar_load(2027, '{2027-10-01}', '{2027-09-29}', 'test')$$),
               '^22023: make-up working day 2027-09-29 is not a Saturday or Sunday',
               'F6 calendar_load: a make-up working day on a Wednesday, 22023');
SELECT is(h07.code_as('h07_admin', $$SELECT integrity.calendar_load(2026, '{2026-10-01}', '{}', 'test')$$), '55000',
          'F6 calendar_load of a year loaded already: 55000');
SELECT is(h07.code_as('h07_admin', $$SELECT integrity.calendar_load(2027, NULL, '{}', 'test')$$), '22004',
          'F6 calendar_load without holidays: 22004');
SELECT is(h07.code_as('h07_operator', $$SELECT integrity.calendar_load(2027, '{2027-10-01}', '{}', 'test')$$), '42501',
          'F6 calendar_load is for admins: 42501');
-- a test schedule (made up for this test: the holidays of a National Day week)
SET LOCAL ROLE h07_admin;
SELECT is(integrity.calendar_load(2027, '{2027-01-01,2027-10-01,2027-10-02,2027-10-03,2027-10-04,2027-10-05,2027-10-06,2027-10-07}',
                                  '{2027-09-26,2027-10-09}', 'test schedule'), 10,
          'F6 calendar_load of a valid schedule adds its days');
RESET ROLE;
SELECT is(integrity.add_workdays('2027-09-28', 5), date '2027-10-11',
          'F6 D2.5 with 2027 loaded, five working days from Tuesday 2027-09-28 skip the holiday week and count the make-up Saturday 10-09');

------------------------------------------------------------------------
-- F7: smaller findings
------------------------------------------------------------------------
SELECT matches(h07.full_as('h07_reader', $$SELECT ok::text FROM integrity.verify_chain('999999')$$),
               '^22023: no disclosure log of origin "999999" is held here',
               'F7 verify_chain of an origin with no log: 22023, not ok = true');
SELECT is(h07.code_as('h07_reader', $$SELECT count(*) FROM integrity.tree_head('999999')$$), '22023',
          'F7 tree_head of an unknown origin: 22023');
SELECT is(h07.code_as('h07_reader', 'SELECT (integrity.verify_chain()).ok::text'), 'ok',
          'F7 verify_chain of the local origin still answers');
SELECT is(integrity.inclusion_proof(NULL, 4), NULL, 'F7 inclusion_proof(NULL, 4) is NULL, not "seq 0"');
SELECT is(integrity.consistency_proof(1, NULL), NULL, 'F7 consistency_proof(1, NULL) is NULL');
SELECT is(integrity.mask_name('张'), '*', 'F7 D1.4 a one-character name is masked whole');
SELECT is(integrity.mask_name('欧阳'), '欧*', 'F7 D1.4 a name of two characters keeps one');

SELECT * FROM finish();
ROLLBACK;
