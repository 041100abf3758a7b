-- pgTAP: evaluation, punishment and incentive eligibility, restrictions and
-- the reporting views (SPEC 5, 7, 8; DOMAIN D3, D4, D5, "How records count").
--
-- Dates are relative to current_date (T).  The lifecycle stamps confirmed_on,
-- published_on, repaired_on and revoked_on with today, so a past is built
-- through decided_on; where a rule depends on *when* a state changed, the
-- test moves those dates back with pg_temp.backdate() (triggers disabled for
-- that one UPDATE, inside this transaction): it simulates a history that
-- took place over months.
BEGIN;
CREATE EXTENSION IF NOT EXISTS pgtap;
CREATE EXTENSION IF NOT EXISTS integrity;
SELECT plan(195);
SET LOCAL search_path = public, integrity;
SET LOCAL client_min_messages = warning;
SELECT integrity.set_origin('140400');

------------------------------------------------------------------------
-- helpers
------------------------------------------------------------------------
-- every subject of this file, by a short name
CREATE TEMP TABLE subj (name text PRIMARY KEY, id bigint NOT NULL, kind text NOT NULL, code text NOT NULL);
GRANT SELECT ON subj TO PUBLIC;
CREATE TEMP TABLE recs (name text PRIMARY KEY, id bigint NOT NULL);
GRANT SELECT ON recs TO PUBLIC;
CREATE TEMP SEQUENCE codeno START 51050001;

CREATE FUNCTION pg_temp.sid(n text) RETURNS bigint LANGUAGE sql STABLE
    AS $$ SELECT id FROM subj WHERE name = n $$;
CREATE FUNCTION pg_temp.rid(n text) RETURNS bigint LANGUAGE sql STABLE
    AS $$ SELECT id FROM recs WHERE name = n $$;

-- D1.1/D1.2: a valid uscc with the given 8-character prefix (authority,
-- category, region) and organization body number n
CREATE FUNCTION pg_temp.uscc(prefix text, n bigint) RETURNS text LANGUAGE plpgsql IMMUTABLE AS $$
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

-- D1.3: a valid resident ID of 长治 born some day after 1970 (n picks it)
CREATE FUNCTION pg_temp.cn_id(n bigint) RETURNS text LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    body text := '140402' || to_char(date '1970-01-01' + (n % 10000)::int, 'YYYYMMDD')
                 || lpad((n % 900 + 100)::text, 3, '0');
    w int[] := '{7,9,10,5,8,4,2,1,6,3,7,9,10,5,8,4,2}';
    s int := 0; i int;
BEGIN
    FOR i IN 1 .. 17 LOOP s := s + substr(body, i, 1)::int * w[i]; END LOOP;
    RETURN body || substr('10X98765432', s % 11 + 1, 1);
END $$;

-- a new subject: governments and departments get a 机构编制/机关 uscc,
-- enterprises a 工商/企业 uscc, civil servants a resident ID
CREATE FUNCTION pg_temp.mk(n text, k text DEFAULT 'government', person text DEFAULT NULL,
                           parent text DEFAULT NULL) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE no bigint := nextval('codeno'); code text; new_id bigint;
BEGIN
    code := CASE k WHEN 'civil_servant' THEN pg_temp.cn_id(no)
                   WHEN 'enterprise' THEN pg_temp.uscc('91140400', no)
                   ELSE pg_temp.uscc('11140400', no) END;
    new_id := integrity.subject_add(k,
        coalesce(person, CASE k WHEN 'civil_servant' THEN '李' || n
                                WHEN 'enterprise' THEN n || '有限公司'
                                ELSE '长治市' || n END),
        code, NULL, pg_temp.sid(parent));
    INSERT INTO subj VALUES (n, new_id, k, code);
    RETURN new_id;
END $$;

-- a record of subject s decided `age` days ago, brought through the API to
-- state `upto` (collected, notified, confirmed, published)
CREATE FUNCTION pg_temp.rec(s text, cat text, sev text, age integer, upto text DEFAULT 'confirmed',
                            lvl text DEFAULT NULL, deaths integer DEFAULT 0, dom text DEFAULT '其他',
                            rname text DEFAULT NULL) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE r bigint;
BEGIN
    r := integrity.record_add(pg_temp.sid(s), cat, sev::integrity.severity, current_date - age,
                              '长应急罚〔' || extract(year FROM current_date - age) || '〕' || age || '号',
                              '长治市应急管理局', 'test record', dom, lvl, deaths);
    IF upto <> 'collected' THEN PERFORM integrity.notify(r, '书面告知'); END IF;
    IF upto NOT IN ('collected', 'notified') THEN PERFORM integrity.confirm(r, '认定'); END IF;
    IF upto = 'published' THEN PERFORM integrity.publish(r); END IF;
    IF rname IS NOT NULL THEN INSERT INTO recs VALUES (rname, r); END IF;
    RETURN r;
END $$;

-- simulates a history that took place over months: the lifecycle dates a
-- transition today, so the test moves the date of one back (superuser,
-- record triggers disabled for this one UPDATE, all inside the test
-- transaction)
CREATE FUNCTION pg_temp.backdate(r bigint, col text, d date) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    ALTER TABLE integrity.record DISABLE TRIGGER USER;
    EXECUTE format('UPDATE integrity.record SET %I = $1 WHERE origin = integrity.local_origin() AND id = $2', col)
      USING d, r;
    ALTER TABLE integrity.record ENABLE TRIGGER USER;
END $$;

CREATE FUNCTION pg_temp.score(s text, as_of date DEFAULT current_date, model text DEFAULT 'default')
    RETURNS numeric LANGUAGE sql STABLE
    AS $$ SELECT score FROM integrity.evaluate(pg_temp.sid(s), as_of, model) $$;
CREATE FUNCTION pg_temp.ev(s text, as_of date DEFAULT current_date) RETURNS text LANGUAGE sql STABLE
    AS $$ SELECT format('%s %s %s', score::float8, grade, vetoed::text) FROM integrity.evaluate(pg_temp.sid(s), as_of) $$;
-- the text of a one-value query, or its error (so that an error fails one
-- test, not the whole file)
CREATE FUNCTION pg_temp.safely(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE r text;
BEGIN
    EXECUTE q INTO r;
    RETURN r;
EXCEPTION WHEN OTHERS THEN
    RETURN 'ERROR ' || SQLSTATE || ': ' || SQLERRM;
END $$;
-- punishment_status as 'level from until'
CREATE FUNCTION pg_temp.pun(s text, as_of date DEFAULT current_date) RETURNS text LANGUAGE sql
    AS $$ SELECT pg_temp.safely(format(
              'SELECT concat_ws('' '', level, listed_from, listed_until) FROM integrity.punishment_status(%s, %L)',
              pg_temp.sid(s), as_of)) $$;
CREATE FUNCTION pg_temp.reasons(s text) RETURNS text LANGUAGE sql
    AS $$ SELECT pg_temp.safely(format(
              'SELECT array_to_string(reasons, '' | '') FROM integrity.punishment_status(%s)', pg_temp.sid(s))) $$;
CREATE FUNCTION pg_temp.failed(s text, as_of date DEFAULT current_date) RETURNS text LANGUAGE sql
    AS $$ SELECT pg_temp.safely(format('SELECT failed FROM integrity.incentive_status(%s, %L)', pg_temp.sid(s), as_of)) $$;
CREATE FUNCTION pg_temp.measures(s text, as_of date DEFAULT current_date) RETURNS text LANGUAGE sql
    AS $$ SELECT pg_temp.safely(format(
              'SELECT coalesce(array_agg(m ORDER BY m), ''{}'') FROM integrity.restrictions(%s, %L) AS m',
              pg_temp.sid(s), as_of)) $$;
CREATE FUNCTION pg_temp.d(age integer) RETURNS date LANGUAGE sql STABLE AS $$ SELECT current_date - age $$;
CREATE FUNCTION pg_temp.plus_year(d date, years integer DEFAULT 1) RETURNS date LANGUAGE sql IMMUTABLE
    AS $$ SELECT (d + make_interval(years => years))::date $$;

SELECT ok(integrity.uscc_is_valid(pg_temp.uscc('91140400', 51050001)) AND integrity.uscc_is_valid(pg_temp.uscc('11140400', 51050002))
          AND integrity.cn_id_is_valid(pg_temp.cn_id(51050003)) AND integrity.uscc_is_valid('11140400000000019L'),
          'test set-up: generated identifiers are valid (D1.1, D1.2, D1.3)');

------------------------------------------------------------------------
-- D5: deductions by severity (start 100: minor 1, general 5, serious 15)
------------------------------------------------------------------------
SELECT pg_temp.mk('minor');   SELECT pg_temp.rec('minor', 'accountability', 'minor', 10);
SELECT pg_temp.mk('general'); SELECT pg_temp.rec('general', 'accountability', 'general', 10);
SELECT pg_temp.mk('serious'); SELECT pg_temp.rec('serious', 'accountability', 'serious', 10);
SELECT pg_temp.mk('clean');
SELECT is(pg_temp.ev('clean'), '100 A false', 'D5 deduction: no record, score 100, grade A');
SELECT is(pg_temp.score('minor'), 99.0, 'D5 deduction: minor deducts 1');
SELECT is(pg_temp.score('general'), 95.0, 'D5 deduction: general deducts 5');
SELECT is(pg_temp.score('serious'), 85.0, 'D5 deduction: serious deducts 15');

------------------------------------------------------------------------
-- D5 age factors at the edges: within 365 days 1.0, within 1095 days 0.5,
-- older 0 ("within N days": as_of - N < decided_on <= as_of)
------------------------------------------------------------------------
SELECT pg_temp.mk('age364');  SELECT pg_temp.rec('age364', 'accountability', 'serious', 364);
SELECT pg_temp.mk('age365');  SELECT pg_temp.rec('age365', 'accountability', 'serious', 365);
SELECT pg_temp.mk('age1094'); SELECT pg_temp.rec('age1094', 'accountability', 'serious', 1094);
SELECT pg_temp.mk('age1095'); SELECT pg_temp.rec('age1095', 'accountability', 'serious', 1095);
SELECT is(pg_temp.score('age364'), 85.0, 'D5 age: decided 364 days before as_of, factor 1.0');
SELECT is(pg_temp.score('age365'), 92.5, 'D5 age: decided 365 days before as_of, factor 0.5');
SELECT is(pg_temp.score('age1094'), 92.5, 'D5 age: decided 1094 days before as_of, factor 0.5');
SELECT is(pg_temp.score('age1095'), 100.0, 'D5 age: decided 1095 days before as_of, factor 0');
SELECT is((SELECT breakdown -> 'deductions' -> 0 ->> 'age_factor' FROM integrity.evaluate(pg_temp.sid('age365'))),
          '0.5', 'D5 age: breakdown shows the age factor');

------------------------------------------------------------------------
-- D5 repaired records count half; "How records count": revoked never,
-- collected and notified not, objected and expired do
------------------------------------------------------------------------
-- an expired record first (expire_due as of its own publicity_until, so no
-- other record of this file expires)
SELECT pg_temp.mk('expired');
SELECT pg_temp.rec('expired', 'accountability', 'general', 400, 'published', rname => 'expired');
SELECT integrity.expire_due((SELECT publicity_until FROM integrity.record
                              WHERE origin = integrity.local_origin() AND id = pg_temp.rid('expired')));
SELECT is((SELECT state::text FROM integrity.record WHERE origin = integrity.local_origin() AND id = pg_temp.rid('expired')),
          'expired', 'test set-up: the record expired');
SELECT is(pg_temp.score('expired'), 97.5, 'How records count: an expired record counts for evaluation (general, 400 days: 5 x 0.5)');

SELECT pg_temp.mk('rep_general');
SELECT integrity.repair(pg_temp.rec('rep_general', 'accountability', 'general', 100, 'published'), '已整改并作出信用承诺');
SELECT is(pg_temp.score('rep_general'), 97.5, 'D5 repaired: a repaired general record of 100 days counts half (5 x 0.5)');
SELECT pg_temp.mk('rep_serious');
SELECT integrity.repair(pg_temp.rec('rep_serious', 'accountability', 'serious', 400, 'published'), '已整改并作出信用承诺');
SELECT is(pg_temp.score('rep_serious'), 96.25, 'D5 repaired: a repaired serious record of 400 days counts 15 x 0.5 x 0.5');

SELECT pg_temp.mk('revoked');
SELECT integrity.revoke(pg_temp.rec('revoked', 'accountability', 'serious', 10), '信息错误');
SELECT integrity.revoke(pg_temp.rec('revoked', 'accountability', 'serious', 20, 'published'), '信息错误');
SELECT is(pg_temp.ev('revoked'), '100 A false', 'D5 revoked: revoked records never count');

SELECT pg_temp.mk('uncounted');
SELECT pg_temp.rec('uncounted', 'accountability', 'serious', 10, 'collected', rname => 'collected');
SELECT pg_temp.rec('uncounted', 'statistical_fraud', 'serious', 10, 'notified', rname => 'notified');
SELECT is(pg_temp.ev('uncounted'), '100 A false', 'How records count: collected and notified records do not count (not even a veto)');

SELECT pg_temp.mk('objected');
SELECT integrity.object(pg_temp.rec('objected', 'accountability', 'general', 10), '异议申请');
SELECT is(pg_temp.score('objected'), 95.0, 'How records count: an objected record still counts');

------------------------------------------------------------------------
-- D5 bonuses: commendation +2 each within a year, at most +10; 0 <= score <= 100
------------------------------------------------------------------------
SELECT pg_temp.mk('bonus');
SELECT pg_temp.rec('bonus', 'accountability', 'serious', 10);
SELECT pg_temp.rec('bonus', 'commendation', 'general', a) FROM unnest(ARRAY[10, 100, 364]) AS a;
SELECT is(pg_temp.score('bonus'), 91.0, 'D5 bonus: three commendations within a year add 2 each (100 - 15 + 6)');
SELECT pg_temp.mk('bonus_old');
SELECT pg_temp.rec('bonus_old', 'accountability', 'serious', 10);
SELECT pg_temp.rec('bonus_old', 'commendation', 'general', 365);
SELECT is(pg_temp.score('bonus_old'), 85.0, 'D5 bonus: a commendation 365 days old adds nothing');
SELECT pg_temp.mk('bonus_cap');
SELECT pg_temp.rec('bonus_cap', 'accountability', 'serious', 10);
SELECT pg_temp.rec('bonus_cap', 'commendation', 'general', a) FROM generate_series(1, 6) AS a;
SELECT is(pg_temp.score('bonus_cap'), 95.0, 'D5 bonus cap: six commendations add at most 10');
SELECT is((SELECT (breakdown ->> 'total_bonus')::numeric FROM integrity.evaluate(pg_temp.sid('bonus_cap'))), 10.0,
          'D5 bonus cap: breakdown total_bonus is capped at 10');
SELECT pg_temp.mk('bonus_max');
SELECT pg_temp.rec('bonus_max', 'commendation', 'general', a) FROM generate_series(1, 2) AS a;
SELECT is(pg_temp.score('bonus_max'), 100.0, 'D5 bonus: the score never exceeds 100');
SELECT pg_temp.mk('floor');
SELECT pg_temp.rec('floor', 'accountability', 'serious', a) FROM generate_series(1, 7) AS a;
SELECT is(pg_temp.ev('floor'), '0 D false', 'D5 the score never drops below 0 (7 serious records)');

------------------------------------------------------------------------
-- D5 veto 一票否决: a counting statistical_fraud within 3 years
------------------------------------------------------------------------
SELECT pg_temp.mk('veto');     SELECT pg_temp.rec('veto', 'statistical_fraud', 'minor', 10);
SELECT pg_temp.mk('veto1094'); SELECT pg_temp.rec('veto1094', 'statistical_fraud', 'minor', 1094);
SELECT pg_temp.mk('veto1095'); SELECT pg_temp.rec('veto1095', 'statistical_fraud', 'minor', 1095);
SELECT is(pg_temp.ev('veto'), '99 D true', 'D5 veto: statistical_fraud forces grade D whatever the score (99)');
SELECT is(pg_temp.ev('veto1094'), '99.5 D true', 'D5 veto: statistical_fraud decided 1094 days ago still vetoes');
SELECT is(pg_temp.ev('veto1095'), '100 A false', 'D5 veto: not after 3 years (decided 1095 days ago)');
SELECT is((SELECT (breakdown -> 'vetoes' -> 0 ->> 'record_id')::bigint FROM integrity.evaluate(pg_temp.sid('veto'))),
          (SELECT id FROM integrity.record WHERE origin = integrity.local_origin() AND subject_id = pg_temp.sid('veto')),
          'D5 veto: breakdown names the vetoing record');

------------------------------------------------------------------------
-- D5 grades: A >= 90, B >= 75, C >= 60, D below
------------------------------------------------------------------------
CREATE FUNCTION pg_temp.graded(n text, sevs text[]) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_temp.mk(n);
    PERFORM pg_temp.rec(n, 'accountability', s, 10) FROM unnest(sevs) AS s;
    RETURN pg_temp.ev(n);
END $$;
SELECT is(pg_temp.graded('g90', '{general,general}'), '90 A false', 'D5 grades: 90 is A');
SELECT is(pg_temp.graded('g89', '{general,general,minor}'), '89 B false', 'D5 grades: 89 is B');
SELECT is(pg_temp.graded('g75', '{serious,general,general}'), '75 B false', 'D5 grades: 75 is B');
SELECT is(pg_temp.graded('g74', '{serious,general,general,minor}'), '74 C false', 'D5 grades: 74 is C');
SELECT is(pg_temp.graded('g60', '{serious,serious,general,general}'), '60 C false', 'D5 grades: 60 is C');
SELECT is(pg_temp.graded('g59', '{serious,serious,general,general,minor}'), '59 D false', 'D5 grades: 59 is D');

------------------------------------------------------------------------
-- D5 breakdown: every record that changed the score, with its points
------------------------------------------------------------------------
SELECT pg_temp.mk('bd');
SELECT pg_temp.rec('bd', 'accountability', 'serious', 400, rname => 'bd_old');
SELECT pg_temp.rec('bd', 'accountability', 'general', 10, rname => 'bd_new');
SELECT pg_temp.rec('bd', 'accountability', 'general', 100, 'published', rname => 'bd_rep');
SELECT integrity.repair(pg_temp.rid('bd_rep'), '已整改并作出信用承诺');
SELECT pg_temp.rec('bd', 'commendation', 'general', 20, rname => 'bd_bonus');
SELECT pg_temp.rec('bd', 'accountability', 'serious', 30, rname => 'bd_rev');
SELECT integrity.revoke(pg_temp.rid('bd_rev'), '信息错误');
SELECT pg_temp.rec('bd', 'accountability', 'serious', 5, 'collected', rname => 'bd_coll');
SELECT is(pg_temp.ev('bd'), '87 B false', 'D5 breakdown: score 100 - 7.5 - 5 - 2.5 + 2 = 87');
SELECT set_eq(
    $$SELECT (e ->> 'record_id')::bigint, (e ->> 'points')::numeric
        FROM integrity.evaluate(pg_temp.sid('bd')), jsonb_array_elements(breakdown -> 'deductions') e$$,
    $$VALUES (pg_temp.rid('bd_old'), -7.5), (pg_temp.rid('bd_new'), -5), (pg_temp.rid('bd_rep'), -2.5)$$,
    'D5 breakdown: deductions list exactly the counting dishonesty records with their points');
SELECT is((SELECT e ->> 'state_as_of' FROM integrity.evaluate(pg_temp.sid('bd')), jsonb_array_elements(breakdown -> 'deductions') e
            WHERE (e ->> 'record_id')::bigint = pg_temp.rid('bd_rep')),
          'repaired', 'D5 breakdown: the repaired record is marked repaired');
SELECT set_eq(
    $$SELECT (e ->> 'record_id')::bigint, (e ->> 'points')::numeric
        FROM integrity.evaluate(pg_temp.sid('bd')), jsonb_array_elements(breakdown -> 'bonuses') e$$,
    $$VALUES (pg_temp.rid('bd_bonus'), 2)$$,
    'D5 breakdown: bonuses list the commendation with +2');
SELECT set_eq(
    $$SELECT (e ->> 'record_id')::bigint FROM integrity.evaluate(pg_temp.sid('bd')), jsonb_array_elements(breakdown -> 'not_counted') e$$,
    $$VALUES (pg_temp.rid('bd_rev')), (pg_temp.rid('bd_coll'))$$,
    'D5 breakdown: revoked and collected records are listed as not counted');
SELECT is((SELECT 100 + sum((e ->> 'points')::numeric) FROM integrity.evaluate(pg_temp.sid('bd')),
                  jsonb_array_elements((breakdown -> 'deductions') || (breakdown -> 'bonuses')) e),
          87.0, 'D5 breakdown: start plus the listed points is the score');

------------------------------------------------------------------------
-- D5 evaluate with as_of in the past (dates of transitions moved back)
------------------------------------------------------------------------
SELECT pg_temp.mk('past');
SELECT pg_temp.backdate(pg_temp.rec('past', 'accountability', 'serious', 200, rname => 'past_s'), 'confirmed_on', pg_temp.d(150));
SELECT pg_temp.rec('past', 'accountability', 'general', 30);
SELECT is(pg_temp.score('past', pg_temp.d(151)), 100.0, 'D5 as_of in the past: a record confirmed after as_of does not count yet');
SELECT is(pg_temp.score('past', pg_temp.d(150)), 85.0, 'D5 as_of in the past: it counts from its confirmation day');
SELECT is(pg_temp.score('past', pg_temp.d(250)), 100.0, 'D5 as_of in the past: a record decided after as_of does not count');
SELECT is(pg_temp.score('past'), 80.0, 'D5 as_of today: both records count');

SELECT pg_temp.mk('past_rev');
SELECT pg_temp.rec('past_rev', 'accountability', 'serious', 120, rname => 'past_rev');
SELECT integrity.revoke(pg_temp.rid('past_rev'), '信息错误');
SELECT pg_temp.backdate(pg_temp.rid('past_rev'), 'confirmed_on', pg_temp.d(100));
SELECT pg_temp.backdate(pg_temp.rid('past_rev'), 'revoked_on', pg_temp.d(20));
SELECT is(pg_temp.score('past_rev', pg_temp.d(21)), 85.0, 'How records count: before its revocation a record counts at as_of');
SELECT is(pg_temp.score('past_rev', pg_temp.d(20)), 100.0, 'How records count: from its revocation day it never counts');

SELECT pg_temp.mk('past_rep');
SELECT pg_temp.rec('past_rep', 'accountability', 'general', 400, 'published', rname => 'past_rep');
SELECT integrity.repair(pg_temp.rid('past_rep'), '已整改并作出信用承诺');
SELECT pg_temp.backdate(pg_temp.rid('past_rep'), 'confirmed_on', pg_temp.d(390));
SELECT pg_temp.backdate(pg_temp.rid('past_rep'), 'published_on', pg_temp.d(389));
SELECT pg_temp.backdate(pg_temp.rid('past_rep'), 'repaired_on', pg_temp.d(200));
SELECT is(pg_temp.score('past_rep', pg_temp.d(201)), 95.0, 'D5 as_of in the past: before its repair the record counted in full');
SELECT is(pg_temp.score('past_rep', pg_temp.d(200)), 97.5, 'D5 as_of in the past: from its repair day it counts half');

------------------------------------------------------------------------
-- D5 models: a second model added by an admin, chosen by name; errors
------------------------------------------------------------------------
SET LOCAL ROLE integrity_admin;
SELECT lives_ok($$INSERT INTO integrity.score_model (name, params, note)
                  SELECT 'strict_t05', jsonb_set(params, '{deduction}', '{"minor": 2, "general": 10, "serious": 30}'), 'test'
                    FROM integrity.score_model WHERE name = 'default'$$,
                'D5 an admin adds a second model (other deductions)');
RESET ROLE;
SELECT is(pg_temp.score('past', current_date, 'strict_t05'), 60.0, 'D5 model by name: the second model deducts 30 + 10');
SELECT is(pg_temp.score('past', current_date, 'default'), 80.0, 'D5 model by name: the default model is unchanged');
-- a model computed per row (jsonb_set in the per-tuple memory, so each
-- row's model may sit at the same address) is read for each row
SELECT is((SELECT array_agg((integrity._record_effect('accountability', 'dishonest', 'serious', current_date - 10, current_date - 10,
                                                      NULL, NULL, current_date,
                                                      jsonb_set(params, '{deduction,serious}', to_jsonb(d)))).deduction ORDER BY d)
             FROM integrity.score_model, generate_series(10, 15) AS d WHERE name = 'default'),
          '{10,11,12,13,14,15}'::float8[],
          'D5 models: a model that differs from row to row is read for each row');
SELECT throws_ok($$SELECT * FROM integrity.evaluate(pg_temp.sid('past'), current_date, 'no_such_model')$$,
                 '22023', NULL, 'D5 unknown model name: 22023');
SELECT throws_ok($$SELECT * FROM integrity.evaluate(-1)$$, 'P0002', NULL, 'D5 unknown subject: P0002');
SELECT throws_ok($$SELECT * FROM integrity.evaluate(pg_temp.sid('past'), NULL)$$, '22004', NULL, 'D5 NULL as_of: 22004');
SELECT throws_ok($$INSERT INTO integrity.score_model (name, params) VALUES ('bad_t05', '{"start": 100}')$$,
                 '22023', NULL, 'D5 an invalid model document (no deductions) is refused on INSERT');
SELECT throws_ok($$INSERT INTO integrity.score_model (name, params)
                   SELECT 'bad_t05', jsonb_set(params, '{grades}', '[{"grade": "A", "min": 60}, {"grade": "B", "min": 90}]')
                     FROM integrity.score_model WHERE name = 'default'$$,
                 '22023', NULL, 'D5 an invalid model document (grades not descending) is refused on INSERT');

------------------------------------------------------------------------
-- D3.1-D3.3 punishment_status of enterprises (safety accidents of
-- severity general, so only the D3 rules apply)
------------------------------------------------------------------------
SELECT pg_temp.mk('p_larger', 'enterprise');
SELECT pg_temp.rec('p_larger', 'safety_accident', 'general', 10, lvl => 'larger');
SELECT is(pg_temp.pun('p_larger'), concat_ws(' ', 'joint_punishment', pg_temp.d(10), pg_temp.plus_year(pg_temp.d(10))),
          'D3.1 one larger accident: joint_punishment from its decision for one year (D3.3)');

SELECT pg_temp.mk('p_fatal3', 'enterprise');
SELECT pg_temp.rec('p_fatal3', 'safety_accident', 'general', a, lvl => 'general', deaths => 1) FROM unnest(ARRAY[300, 200, 10]) a;
SELECT is(pg_temp.pun('p_fatal3'), concat_ws(' ', 'joint_punishment', pg_temp.d(10), pg_temp.plus_year(pg_temp.d(10))),
          'D3.1 three fatal general accidents within 365 days: joint_punishment from the third');
-- "within 365 days" is measured back from the record that completes the
-- condition (D3.3: the listing then lasts a year from it), not from as_of
SELECT pg_temp.mk('p_fatal364', 'enterprise');
SELECT pg_temp.rec('p_fatal364', 'safety_accident', 'general', a, lvl => 'general', deaths => 1) FROM unnest(ARRAY[374, 200, 10]) a;
SELECT is(pg_temp.pun('p_fatal364'), concat_ws(' ', 'joint_punishment', pg_temp.d(10), pg_temp.plus_year(pg_temp.d(10))),
          'D3.1 three fatal general accidents, the first 364 days before the third: joint_punishment');
SELECT pg_temp.mk('p_fatal365', 'enterprise');
SELECT pg_temp.rec('p_fatal365', 'safety_accident', 'general', a, lvl => 'general', deaths => 1) FROM unnest(ARRAY[375, 200, 10]) a;
SELECT is(pg_temp.pun('p_fatal365'), 'none',
          'D3.1 three fatal general accidents, the first 365 days before the third: none');
SELECT pg_temp.mk('p_fatal_aged', 'enterprise');
SELECT pg_temp.rec('p_fatal_aged', 'safety_accident', 'general', a, lvl => 'general', deaths => 1) FROM unnest(ARRAY[365, 200, 10]) a;
SELECT is(pg_temp.pun('p_fatal_aged'), concat_ws(' ', 'joint_punishment', pg_temp.d(10), pg_temp.plus_year(pg_temp.d(10))),
          'D3.1 three fatal general accidents within 355 days, the first now 365 days old: still listed from the third (D3.3)');
SELECT pg_temp.mk('p_nonfatal', 'enterprise');
SELECT pg_temp.rec('p_nonfatal', 'safety_accident', 'general', a, lvl => 'general') FROM unnest(ARRAY[30, 20, 10]) a;
SELECT is(pg_temp.pun('p_nonfatal'), 'none', 'D3.1 three general accidents without deaths: none');

SELECT pg_temp.mk('p_violation', 'enterprise');
SELECT pg_temp.rec('p_violation', 'safety_violation', 'general', 10);
SELECT is(pg_temp.pun('p_violation'), concat_ws(' ', 'joint_punishment', pg_temp.d(10), pg_temp.plus_year(pg_temp.d(10))),
          'D3.1 any safety_violation: joint_punishment');

SELECT pg_temp.mk('p_major', 'enterprise');
SELECT pg_temp.rec('p_major', 'safety_accident', 'general', 10, lvl => 'major');
SELECT is(pg_temp.pun('p_major'), concat_ws(' ', 'blacklist', pg_temp.d(10), pg_temp.plus_year(pg_temp.d(10))),
          'D3.2 one major accident: blacklist');
SELECT pg_temp.mk('p_esp', 'enterprise');
SELECT pg_temp.rec('p_esp', 'safety_accident', 'general', 10, lvl => 'especially_major');
SELECT is(pg_temp.pun('p_esp'), concat_ws(' ', 'blacklist', pg_temp.d(10), pg_temp.plus_year(pg_temp.d(10))),
          'D3.2 one especially major accident: blacklist');

SELECT pg_temp.mk('p_larger2', 'enterprise');
SELECT pg_temp.backdate(pg_temp.rec('p_larger2', 'safety_accident', 'general', 100, lvl => 'larger', rname => 'p_larger2_a'),
                        'confirmed_on', pg_temp.d(95));
SELECT pg_temp.backdate(pg_temp.rec('p_larger2', 'safety_accident', 'general', 10, lvl => 'larger', rname => 'p_larger2_b'),
                        'confirmed_on', pg_temp.d(5));
SELECT is(pg_temp.pun('p_larger2'), concat_ws(' ', 'blacklist', pg_temp.d(10), pg_temp.plus_year(pg_temp.d(10))),
          'D3.2 two larger accidents: blacklist, listed from the decision of the second (D3.3)');
SELECT ok(pg_temp.reasons('p_larger2') ~ ('record ' || pg_temp.rid('p_larger2_a') || '\M')
          AND pg_temp.reasons('p_larger2') ~ ('record ' || pg_temp.rid('p_larger2_b') || '\M'),
          'D3.3 reasons name the records behind the listing');
SELECT is(pg_temp.pun('p_larger2', pg_temp.d(50)), concat_ws(' ', 'joint_punishment', pg_temp.d(100), pg_temp.plus_year(pg_temp.d(100))),
          'D3.3 as_of between the two: only the first, joint_punishment');

-- a listing whose one-year term ended
SELECT pg_temp.mk('p_ended', 'enterprise');
SELECT pg_temp.backdate(pg_temp.rec('p_ended', 'safety_accident', 'general', 400, lvl => 'major'), 'confirmed_on', pg_temp.d(400));
SELECT is(pg_temp.pun('p_ended'), 'none', 'D3.3 a listing that ended after its one-year term is none');
SELECT is(pg_temp.pun('p_ended', pg_temp.plus_year(pg_temp.d(400)) - 1),
          concat_ws(' ', 'blacklist', pg_temp.d(400), pg_temp.plus_year(pg_temp.d(400))),
          'D3.3 the day before listed_until it is still in force');
SELECT is(pg_temp.pun('p_ended', pg_temp.plus_year(pg_temp.d(400))), 'none', 'D3.3 on listed_until the listing has ended');

-- extension by a new triggering record
SELECT pg_temp.mk('p_extended', 'enterprise');
SELECT pg_temp.rec('p_extended', 'safety_violation', 'general', 300, rname => 'p_ext_a');
SELECT pg_temp.rec('p_extended', 'safety_violation', 'general', 10, rname => 'p_ext_b');
SELECT is(pg_temp.pun('p_extended'), concat_ws(' ', 'joint_punishment', pg_temp.d(300), pg_temp.plus_year(pg_temp.d(10))),
          'D3.3 a new triggering record extends the listing');
SELECT ok(pg_temp.reasons('p_extended') ~ ('record ' || pg_temp.rid('p_ext_a') || '\M')
          AND pg_temp.reasons('p_extended') ~ ('record ' || pg_temp.rid('p_ext_b') || '\M'),
          'D3.3 reasons of an extended listing name both records');
-- D3.3: listed at -400 for a year, extended at -100 before that year ended:
-- one listing without a gap, dated from the first record, whether as_of is
-- before or after the end of the first term (regression: _punishment once
-- looked only at triggers whose own term was still running)
SELECT pg_temp.mk('p_ext_gapless', 'enterprise');
SELECT pg_temp.backdate(pg_temp.rec('p_ext_gapless', 'safety_violation', 'general', 400), 'confirmed_on', pg_temp.d(400));
SELECT pg_temp.backdate(pg_temp.rec('p_ext_gapless', 'safety_violation', 'general', 100), 'confirmed_on', pg_temp.d(100));
SELECT is(pg_temp.pun('p_ext_gapless', pg_temp.plus_year(pg_temp.d(400)) - 1),
          concat_ws(' ', 'joint_punishment', pg_temp.d(400), pg_temp.plus_year(pg_temp.d(100))),
          'D3.3 a listing extended before its term ended, seen before the first term ends');
SELECT is(pg_temp.pun('p_ext_gapless'),
          concat_ws(' ', 'joint_punishment', pg_temp.d(400), pg_temp.plus_year(pg_temp.d(100))),
          'D3.3 a listing extended before its term ended keeps its listing date after the first term');
-- D3.3: only a new *triggering* record extends a listing; a general
-- admin_penalty completes no condition (regression: every later decision
-- date inside the 365-day window of the safety_violation once counted as a
-- new trigger)
SELECT pg_temp.mk('p_not_extended', 'enterprise');
SELECT pg_temp.rec('p_not_extended', 'safety_violation', 'general', 300);
SELECT pg_temp.rec('p_not_extended', 'admin_penalty', 'general', 10);
SELECT is(pg_temp.pun('p_not_extended'), concat_ws(' ', 'joint_punishment', pg_temp.d(300), pg_temp.plus_year(pg_temp.d(300))),
          'D3.3 a later record that completes no condition (a general admin_penalty) does not extend the listing');

-- revoked after it listed the subject
SELECT pg_temp.mk('p_revoked', 'enterprise');
SELECT pg_temp.rec('p_revoked', 'safety_accident', 'general', 20, lvl => 'major', rname => 'p_revoked');
SELECT integrity.revoke(pg_temp.rid('p_revoked'), '事故责任认定错误');
SELECT pg_temp.backdate(pg_temp.rid('p_revoked'), 'confirmed_on', pg_temp.d(20));
SELECT pg_temp.backdate(pg_temp.rid('p_revoked'), 'revoked_on', pg_temp.d(5));
SELECT is(pg_temp.pun('p_revoked'), 'none', 'D3.3 a revoked record lifts the listing');
SELECT is(pg_temp.pun('p_revoked', pg_temp.d(6)), concat_ws(' ', 'blacklist', pg_temp.d(20), pg_temp.plus_year(pg_temp.d(20))),
          'D3.3 as_of before the revocation still shows the listing');
SELECT is(pg_temp.pun('p_revoked', pg_temp.d(5)), 'none', 'D3.3 from the revocation day the listing is lifted');

-- repaired
SELECT pg_temp.mk('p_repaired', 'enterprise');
SELECT pg_temp.rec('p_repaired', 'safety_accident', 'general', 100, 'published', lvl => 'larger', rname => 'p_repaired');
SELECT is(pg_temp.pun('p_repaired'), concat_ws(' ', 'joint_punishment', pg_temp.d(100), pg_temp.plus_year(pg_temp.d(100))),
          'D3.1 before its repair the larger accident lists the subject');
SELECT integrity.repair(pg_temp.rid('p_repaired'), '已整改并作出信用承诺');
SELECT is(pg_temp.pun('p_repaired'), 'none', 'D3.3 a repaired record lifts the listing (How records count)');

-- only confirmed records count
SELECT pg_temp.mk('p_unconfirmed', 'enterprise');
SELECT pg_temp.rec('p_unconfirmed', 'safety_accident', 'general', 10, 'notified', lvl => 'major');
SELECT pg_temp.rec('p_unconfirmed', 'safety_violation', 'general', 10, 'collected');
SELECT is(pg_temp.pun('p_unconfirmed'), 'none', 'How records count: collected and notified records list nobody');
SELECT pg_temp.mk('p_confirmed_late', 'enterprise');
SELECT pg_temp.backdate(pg_temp.rec('p_confirmed_late', 'safety_accident', 'general', 30, lvl => 'major'), 'confirmed_on', pg_temp.d(10));
SELECT is(pg_temp.pun('p_confirmed_late', pg_temp.d(11)), 'none', 'How records count: as_of before the confirmation, not listed');
SELECT is(pg_temp.pun('p_confirmed_late', pg_temp.d(10)), concat_ws(' ', 'blacklist', pg_temp.d(30), pg_temp.plus_year(pg_temp.d(30))),
          'How records count: from the confirmation, listed from the decision date (D3.3)');

------------------------------------------------------------------------
-- D3.4 incentive_status: all six conditions
------------------------------------------------------------------------
-- an enterprise with a credit commitment and 安全生产标准化一级 in effect
CREATE FUNCTION pg_temp.red(n text, commitment boolean DEFAULT true, level1 boolean DEFAULT true) RETURNS bigint
    LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_temp.mk(n, 'enterprise');
    IF commitment THEN PERFORM pg_temp.rec(n, 'credit_commitment', 'general', 30); END IF;
    IF level1 THEN PERFORM pg_temp.rec(n, 'safety_standard_level1', 'general', 30); END IF;
    RETURN pg_temp.sid(n);
END $$;
SELECT pg_temp.red('r_ok');
SELECT is((SELECT format('%s %s %s', eligible::text, failed, valid_until) FROM integrity.incentive_status(pg_temp.sid('r_ok'))),
          format('true {} %s', pg_temp.plus_year(current_date, 3)),
          'D3.4 all six conditions met: eligible, valid_until = as_of + 3 years');
SELECT pg_temp.red('r_commitment', commitment => false);
SELECT is(pg_temp.failed('r_commitment'), '{commitment}', 'D3.4 (1) no credit commitment: failed names commitment');
SELECT is((SELECT format('%s %s', eligible::text, valid_until) FROM integrity.incentive_status(pg_temp.sid('r_commitment'))),
          'false ', 'D3.4 not eligible: no valid_until');
SELECT pg_temp.red('r_commitment_old', commitment => false);
SELECT pg_temp.rec('r_commitment_old', 'credit_commitment', 'general', 400);
SELECT is(pg_temp.failed('r_commitment_old'), '{commitment}', 'D3.4 (1) a commitment no longer in effect does not count');
SELECT pg_temp.red('r_dishonesty');
SELECT pg_temp.rec('r_dishonesty', 'safety_violation', 'general', 800);
SELECT is(pg_temp.failed('r_dishonesty'), '{no_dishonesty_3y}', 'D3.4 (2) a safety_violation within 3 years: no_dishonesty_3y');
SELECT pg_temp.red('r_dishonesty_larger');
SELECT pg_temp.rec('r_dishonesty_larger', 'safety_accident', 'general', 800, lvl => 'larger');
SELECT is(pg_temp.failed('r_dishonesty_larger'), '{no_dishonesty_3y}', 'D3.4 (2) a larger accident within 3 years: no_dishonesty_3y');
SELECT pg_temp.red('r_dishonesty_old');
SELECT pg_temp.rec('r_dishonesty_old', 'safety_violation', 'general', 1095);
SELECT is(pg_temp.failed('r_dishonesty_old'), '{}', 'D3.4 (2) a safety_violation 1095 days old is outside the look-back');
SELECT pg_temp.red('r_penalty');
SELECT pg_temp.rec('r_penalty', 'admin_penalty', 'general', 100, dom => '安全生产');
SELECT is(pg_temp.failed('r_penalty'), '{no_penalty_3y}', 'D3.4 (3) a safety-domain admin_penalty: no_penalty_3y');
SELECT pg_temp.red('r_penalty_other');
SELECT pg_temp.rec('r_penalty_other', 'admin_penalty', 'general', 100, dom => '环境保护');
SELECT is(pg_temp.failed('r_penalty_other'), '{}', 'D3.4 (3) an admin_penalty of another domain does not fail it');
SELECT pg_temp.red('r_fatality');
SELECT pg_temp.rec('r_fatality', 'safety_accident', 'general', 100, lvl => 'general', deaths => 1);
SELECT is(pg_temp.failed('r_fatality'), '{no_fatality_3y}', 'D3.4 (4) a fatal general accident: no_fatality_3y');
SELECT pg_temp.red('r_disease');
SELECT pg_temp.rec('r_disease', 'occupational_disease', 'general', 100);
SELECT is(pg_temp.failed('r_disease'), '{no_fatality_3y}', 'D3.4 (4) a new occupational disease case: no_fatality_3y');
SELECT pg_temp.red('r_level1', level1 => false);
SELECT is(pg_temp.failed('r_level1'), '{standard_level1}', 'D3.4 (5) no 安全生产标准化一级: standard_level1');
-- (6) alone: under the default model every D3 listing also fails (2) or (4)
-- (a larger accident or a safety_violation is safety dishonesty, three fatal
-- accidents are fatalities), so the condition is checked on its own through
-- _incentive with a model that also lists breach_of_contract (superuser)
SELECT pg_temp.red('r_punished');
SELECT pg_temp.rec('r_punished', 'breach_of_contract', 'general', 10);
SELECT is((SELECT failed FROM integrity._incentive(integrity.local_origin(), pg_temp.sid('r_punished'), current_date,
                  (SELECT jsonb_set(params, '{punishment,joint_categories}', '["safety_violation", "breach_of_contract"]')
                     FROM integrity.score_model WHERE name = 'default'))),
          '{not_punished}', 'D3.4 (6) under joint punishment (and nothing else): not_punished');
SELECT is(pg_temp.failed('r_punished'), '{}', 'D3.4 (6) the same enterprise under the default model is not punished: eligible');
SELECT pg_temp.red('r_repaired');
SELECT integrity.repair(pg_temp.rec('r_repaired', 'safety_violation', 'general', 100, 'published'), '已整改并作出信用承诺');
SELECT is(pg_temp.failed('r_repaired'), '{no_dishonesty_3y}', 'D3.4 (2) a repaired safety record still fails no_dishonesty_3y (the act happened)');
SELECT pg_temp.red('r_revoked');
SELECT integrity.revoke(pg_temp.rec('r_revoked', 'safety_violation', 'general', 100), '信息错误');
SELECT is(pg_temp.failed('r_revoked'), '{}', 'D3.4 a revoked record fails nothing');
SELECT pg_temp.red('r_violation');
SELECT pg_temp.rec('r_violation', 'safety_violation', 'general', 10);
SELECT is(pg_temp.failed('r_violation'), '{no_dishonesty_3y,not_punished}',
          'D3.4 a recent safety_violation: no_dishonesty_3y and not_punished');
SELECT pg_temp.red('r_all', false, false);
SELECT pg_temp.rec('r_all', 'safety_accident', 'general', 10, lvl => 'larger', deaths => 3);
SELECT pg_temp.rec('r_all', 'admin_penalty', 'general', 10, dom => '安全生产');
SELECT is(pg_temp.failed('r_all'), '{commitment,no_dishonesty_3y,no_penalty_3y,no_fatality_3y,standard_level1,not_punished}',
          'D3.4 every unmet condition is named');

------------------------------------------------------------------------
-- D4 restrictions; D3.5 measures of listed subjects
------------------------------------------------------------------------
SELECT pg_temp.mk('m_gov');
SELECT pg_temp.rec('m_gov', 'accountability', 'general', 10);
SELECT is(pg_temp.measures('m_gov'), '{honor_disqualified,leader_accountability,public_criticism,written_explanation}',
          'D4.1 a government with a dishonesty record: the four measures');
SELECT pg_temp.mk('m_dep', 'department', parent => 'm_gov');
SELECT pg_temp.rec('m_dep', 'admin_penalty', 'general', 10, 'published');
SELECT is(pg_temp.measures('m_dep'), '{honor_disqualified,leader_accountability,public_criticism,written_explanation}',
          'D4.1 a department with a published dishonesty record: the four measures');
SELECT pg_temp.mk('m_cs', 'civil_servant');
SELECT pg_temp.rec('m_cs', 'disciplinary_sanction', 'general', 10);
SELECT is(pg_temp.measures('m_cs'), '{appointment_reference,no_commendation,no_excellent_rating}',
          'D4.2 a civil servant with a dishonesty record: the three measures');
-- D4.2 lists the measures for civil servants; the D3.5 measures (安全生产:
-- land, financing) are for enterprises (regression: a serious record once
-- listed a civil servant under the joint_serious_dishonesty rule and
-- restrictions() added the D3.5 measures)
SELECT pg_temp.mk('m_cs_serious', 'civil_servant');
SELECT pg_temp.rec('m_cs_serious', 'disciplinary_sanction', 'serious', 10);
SELECT is(pg_temp.measures('m_cs_serious'), '{appointment_reference,no_commendation,no_excellent_rating}',
          'D4.2 a civil servant with a serious record: the three D4.2 measures, no D3.5 enterprise measures');
SELECT pg_temp.mk('m_remedied');
SELECT integrity.mark_remedied(pg_temp.rec('m_remedied', 'accountability', 'general', a), '主动挽回损失') FROM unnest(ARRAY[10, 20]) a;
SELECT is(pg_temp.measures('m_remedied'), '{written_explanation}',
          'D4.4 every record remedied: only written_explanation');
SELECT pg_temp.mk('m_half_remedied');
SELECT integrity.mark_remedied(pg_temp.rec('m_half_remedied', 'accountability', 'general', 10), '主动挽回损失');
SELECT pg_temp.rec('m_half_remedied', 'accountability', 'general', 20);
SELECT is(pg_temp.measures('m_half_remedied'), '{honor_disqualified,leader_accountability,public_criticism,written_explanation}',
          'D4.4 one record not remedied: the four measures');
SELECT pg_temp.mk('m_repaired');
SELECT integrity.repair(pg_temp.rec('m_repaired', 'accountability', 'general', 100, 'published'), '已整改并作出信用承诺');
SELECT is(pg_temp.measures('m_repaired'), '{}', 'D4.1 no measures once the record is repaired');
SELECT pg_temp.mk('m_revoked');
SELECT integrity.revoke(pg_temp.rec('m_revoked', 'accountability', 'general', 10, 'published'), '信息错误');
SELECT is(pg_temp.measures('m_revoked'), '{}', 'D4.1 no measures once the record is revoked');
SELECT pg_temp.mk('m_ended');
SELECT pg_temp.rec('m_ended', 'accountability', 'general', 400);
SELECT is(pg_temp.measures('m_ended'), '{}', 'D4.1 no measures once the publicity period of the record has ended');
SELECT is(pg_temp.measures('m_gov', pg_temp.d(11)), '{}', 'D4.1 restrictions as_of before the record: none');
CREATE FUNCTION pg_temp.has_d35(s text) RETURNS text LANGUAGE sql AS $$
    SELECT CASE WHEN m !~ '^\{' THEN m
                WHEN m::text[] @> '{enhanced_supervision,no_honors,financing_review,land_restricted,public_exposure}' THEN 'all five'
                ELSE m END
      FROM pg_temp.measures(s) AS m $$;
SELECT is(pg_temp.has_d35('p_larger'), 'all five', 'D3.5 an enterprise under joint punishment: the five measures');
SELECT is(pg_temp.has_d35('p_major'), 'all five', 'D3.5 a blacklisted enterprise: the five measures');
SELECT is(pg_temp.has_d35('p_violation'), 'all five', 'D3.5 an enterprise listed for a safety_violation: the five measures');
-- D4 (written_explanation ...) is for governments, departments and civil
-- servants; an enterprise gets the D3.5 measures only (regression: the ELSE
-- branch of _restrictions once gave enterprises written_explanation)
SELECT is(pg_temp.measures('p_larger'), '{enhanced_supervision,financing_review,land_restricted,no_honors,public_exposure}',
          'D3.5 a listed enterprise: only the D3.5 measures (D4 is for governments and civil servants)');
SELECT is(pg_temp.measures('p_repaired'), '{}', 'D3.5 no measures once the listing record is repaired');

------------------------------------------------------------------------
-- D4.3 may_rate_excellent
------------------------------------------------------------------------
CREATE FUNCTION pg_temp.yr(k integer) RETURNS integer LANGUAGE sql STABLE
    AS $$ SELECT extract(year FROM current_date)::integer + k $$;
CREATE FUNCTION pg_temp.rec_on(s text, cat text, sev text, d date, upto text DEFAULT 'confirmed') RETURNS bigint
    LANGUAGE sql AS $$ SELECT pg_temp.rec(s, cat, sev, current_date - d, upto) $$;
SELECT pg_temp.mk('y_decided', 'civil_servant');
SELECT pg_temp.rec_on('y_decided', 'disciplinary_sanction', 'general', make_date(pg_temp.yr(-1), 3, 1));
SELECT is(integrity.may_rate_excellent(pg_temp.sid('y_decided'), pg_temp.yr(-1)), false,
          'D4.3 not 优秀 in a year with a dishonesty record decided in it');
SELECT is(integrity.may_rate_excellent(pg_temp.sid('y_decided'), pg_temp.yr(-2)), true,
          'D4.3 优秀 possible in the year before the record');
SELECT is(integrity.may_rate_excellent(pg_temp.sid('y_decided'), pg_temp.yr(0)), true,
          'D4.3 优秀 possible in a later year in which the (unpublished) record was not in publicity');
-- decided in year -2, published then, repaired in the middle of year -1
SELECT pg_temp.mk('y_publicity', 'civil_servant');
INSERT INTO recs VALUES ('y_publicity', pg_temp.rec_on('y_publicity', 'disciplinary_sanction', 'serious', make_date(pg_temp.yr(-2), 11, 1), 'published'));
SELECT pg_temp.backdate(pg_temp.rid('y_publicity'), 'confirmed_on', make_date(pg_temp.yr(-2), 11, 3));
SELECT pg_temp.backdate(pg_temp.rid('y_publicity'), 'published_on', make_date(pg_temp.yr(-2), 11, 5));
SELECT is(integrity.may_rate_excellent(pg_temp.sid('y_publicity'), pg_temp.yr(-1)), false,
          'D4.3 not 优秀 in a year in which a record was in publicity');
SELECT is(integrity.may_rate_excellent(pg_temp.sid('y_publicity'), pg_temp.yr(-3)), true,
          'D4.3 优秀 possible before the record');
SELECT integrity.repair(pg_temp.rid('y_publicity'), '已整改并作出信用承诺');
SELECT pg_temp.backdate(pg_temp.rid('y_publicity'), 'repaired_on', make_date(pg_temp.yr(-1), 6, 1));
SELECT is(integrity.may_rate_excellent(pg_temp.sid('y_publicity'), pg_temp.yr(-1)), false,
          'D4.3 not 优秀 in the year of the repair (in publicity until then)');
SELECT is(integrity.may_rate_excellent(pg_temp.sid('y_publicity'), pg_temp.yr(0)), true,
          'D4.3 优秀 possible in the year after the repair');
SELECT pg_temp.mk('y_uncounted', 'civil_servant');
SELECT pg_temp.rec_on('y_uncounted', 'disciplinary_sanction', 'general', make_date(pg_temp.yr(-1), 3, 1), 'notified');
SELECT integrity.revoke(pg_temp.rec_on('y_uncounted', 'disciplinary_sanction', 'general', make_date(pg_temp.yr(-1), 4, 1)), '信息错误');
SELECT is(integrity.may_rate_excellent(pg_temp.sid('y_uncounted'), pg_temp.yr(-1)), true,
          'D4.3 notified and revoked records do not count');
SELECT throws_ok($$SELECT integrity.may_rate_excellent(pg_temp.sid('m_gov'), pg_temp.yr(-1))$$, '22023', NULL,
                 'D4.3 may_rate_excellent of a government: 22023');
SELECT throws_ok($$SELECT integrity.may_rate_excellent(pg_temp.sid('y_decided'), 1900)$$, '22023', NULL,
                 'D4.3 may_rate_excellent of a year out of range (1900): 22023');
SELECT throws_ok($$SELECT integrity.may_rate_excellent(pg_temp.sid('y_decided'), pg_temp.yr(2))$$, '22023', NULL,
                 'D4.3 may_rate_excellent of a year out of range (the year after next): 22023');

------------------------------------------------------------------------
-- SPEC 5 functions: argument errors
------------------------------------------------------------------------
SELECT throws_ok($$SELECT * FROM integrity.punishment_status(-1)$$, 'P0002', NULL, 'D3 punishment_status of an unknown subject: P0002');
SELECT throws_ok($$SELECT * FROM integrity.punishment_status(pg_temp.sid('p_major'), NULL)$$, '22004', NULL, 'D3 punishment_status NULL as_of: 22004');
SELECT throws_ok($$SELECT * FROM integrity.incentive_status(-1)$$, 'P0002', NULL, 'D3.4 incentive_status of an unknown subject: P0002');
SELECT throws_ok($$SELECT * FROM integrity.restrictions(pg_temp.sid('m_gov'), NULL)$$, '22004', NULL, 'D4 restrictions NULL as_of: 22004');

------------------------------------------------------------------------
-- SPEC 7 views
------------------------------------------------------------------------
-- public_record: persons masked, objections shown, revoked/repaired gone
SELECT pg_temp.mk('v_person', 'civil_servant', '张伟');
SELECT pg_temp.rec('v_person', 'disciplinary_sanction', 'general', 10, 'published', rname => 'v_pub');
SELECT pg_temp.rec('v_person', 'disciplinary_sanction', 'general', 12, 'published', rname => 'v_obj');
SELECT integrity.object(pg_temp.rid('v_obj'), '异议申请');
SELECT pg_temp.rec('v_person', 'disciplinary_sanction', 'general', 14, 'published', rname => 'v_rev');
SELECT integrity.revoke(pg_temp.rid('v_rev'), '信息错误');
SELECT pg_temp.rec('v_person', 'disciplinary_sanction', 'general', 16, rname => 'v_conf');
SELECT pg_temp.rec('v_person', 'disciplinary_sanction', 'general', 18, rname => 'v_obj_c');
SELECT integrity.object(pg_temp.rid('v_obj_c'), '异议申请');
SELECT pg_temp.rec('v_person', 'disciplinary_sanction', 'general', 100, 'published', rname => 'v_rep');
SELECT integrity.repair(pg_temp.rid('v_rep'), '已整改并作出信用承诺');
SELECT set_eq(
    $$SELECT record_id, subject_name, subject_code, state FROM integrity.public_record
       WHERE origin = integrity.local_origin() AND record_id IN (SELECT id FROM recs WHERE name LIKE 'v\_%')$$,
    $$VALUES (pg_temp.rid('v_pub'), '张*', integrity.mask((SELECT code FROM subj WHERE name = 'v_person')::integrity.cn_id), '公示中'),
             (pg_temp.rid('v_obj'), '张*', integrity.mask((SELECT code FROM subj WHERE name = 'v_person')::integrity.cn_id), '异议处理中')$$,
    'SPEC 7 public_record: published records with the person masked, the objected one as 异议处理中; not revoked, repaired, merely confirmed ones');
SELECT is((SELECT subject_code FROM integrity.public_record WHERE origin = integrity.local_origin() AND record_id = pg_temp.rid('v_pub')),
          substr((SELECT code FROM subj WHERE name = 'v_person'), 1, 6) || '********'
              || substr((SELECT code FROM subj WHERE name = 'v_person'), 15, 4),
          'D1.4 public_record: the resident ID is masked (first 6, last 4)');

-- blacklist, redlist and evaluation against the functions
-- (through safely(): the view fails as a whole if _punishment fails for one subject)
SELECT is(pg_temp.safely($$
    WITH v AS (SELECT subject_id, level, reasons, listed_from, listed_until FROM integrity.blacklist
                WHERE origin = integrity.local_origin()),
         f AS (SELECT s.id, p.level, p.reasons, p.listed_from, p.listed_until
                 FROM integrity.subject s CROSS JOIN LATERAL integrity.punishment_status(s.id) p
                WHERE s.origin = integrity.local_origin() AND p.level <> 'none')
    SELECT format('%s rows differ', (SELECT count(*) FROM ((TABLE v EXCEPT TABLE f) UNION ALL (TABLE f EXCEPT TABLE v)) d))$$),
    '0 rows differ',
    'SPEC 7 blacklist: one row per listed subject, agreeing with punishment_status');
SELECT is(pg_temp.safely($$
    SELECT string_agg(s.name || ' ' || b.level, ', ' ORDER BY s.name) FROM integrity.blacklist b JOIN subj s ON s.id = b.subject_id
     WHERE b.origin = integrity.local_origin() AND s.name IN ('p_major', 'p_larger', 'p_revoked', 'p_repaired', 'p_ended')$$),
    'p_larger joint_punishment, p_major blacklist',
    'SPEC 7 blacklist: listed enterprises in, lifted or ended listings out');
SELECT is(pg_temp.safely($$
    WITH v AS (SELECT subject_id, valid_until FROM integrity.redlist WHERE origin = integrity.local_origin()),
         f AS (SELECT s.id, i.valid_until
                 FROM integrity.subject s CROSS JOIN LATERAL integrity.incentive_status(s.id) i
                WHERE s.origin = integrity.local_origin() AND i.eligible)
    SELECT format('%s rows differ', (SELECT count(*) FROM ((TABLE v EXCEPT TABLE f) UNION ALL (TABLE f EXCEPT TABLE v)) d))$$),
    '0 rows differ',
    'SPEC 7 redlist: one row per eligible subject, agreeing with incentive_status');
SELECT is(pg_temp.safely($$
    SELECT string_agg(s.name, ', ' ORDER BY s.name) FROM integrity.redlist r JOIN subj s ON s.id = r.subject_id
     WHERE r.origin = integrity.local_origin() AND s.name IN ('r_ok', 'r_violation', 'r_all', 'r_level1', 'r_repaired', 'r_revoked')$$),
    'r_ok, r_revoked',
    'SPEC 7 redlist: eligible enterprises in, the others out');

-- ranks within a parent
SELECT pg_temp.mk('e_parent');
SELECT pg_temp.mk('e_dep_a', 'department', parent => 'e_parent');
SELECT pg_temp.mk('e_dep_b', 'department', parent => 'e_parent');
SELECT pg_temp.mk('e_dep_c', 'department', parent => 'e_parent');
SELECT pg_temp.rec('e_dep_a', 'accountability', 'general', 10);
SELECT pg_temp.rec('e_dep_b', 'accountability', 'serious', 10);
SELECT results_eq(
    $$SELECT subject_id, score, rank_in_parent FROM integrity.evaluation
       WHERE origin = integrity.local_origin() AND parent_id = pg_temp.sid('e_parent') ORDER BY rank_in_parent$$,
    $$VALUES (pg_temp.sid('e_dep_c'), 100.0, 1::bigint), (pg_temp.sid('e_dep_a'), 95.0, 2::bigint), (pg_temp.sid('e_dep_b'), 85.0, 3::bigint)$$,
    'SPEC 7 evaluation: ranks within the parent');
SELECT set_eq(
    $$SELECT subject_id FROM integrity.evaluation WHERE origin = integrity.local_origin()$$,
    $$SELECT id FROM integrity.subject WHERE origin = integrity.local_origin() AND kind IN ('government', 'department')$$,
    'SPEC 7 evaluation: one row per government and department (and no other subject)');
SELECT is_empty(
    $$SELECT origin, subject_id FROM integrity.evaluation GROUP BY origin, subject_id HAVING count(*) > 1$$,
    'SPEC 7 evaluation: no subject twice');
SELECT set_eq(
    $$SELECT subject_id, score, grade, vetoed FROM integrity.evaluation WHERE origin = integrity.local_origin()$$,
    $$SELECT s.id, e.score, e.grade, e.vetoed
        FROM integrity.subject s CROSS JOIN LATERAL integrity.evaluate(s.id) e
       WHERE s.origin = integrity.local_origin() AND s.kind IN ('government', 'department')$$,
    'SPEC 7 evaluation: scores, grades and vetoes agree with evaluate()');
-- ranked higher: not vetoed while e is, or the same veto and a higher score
SELECT is_empty(
    $$SELECT subject_id FROM integrity.evaluation e
       WHERE rank_overall <> 1 + (SELECT count(*) FROM integrity.evaluation e2
                                   WHERE (NOT e2.vetoed AND e.vetoed)
                                      OR (e2.vetoed = e.vetoed AND e2.score > e.score))
          OR rank_in_parent <> 1 + (SELECT count(*) FROM integrity.evaluation e2
                                     WHERE e2.origin = e.origin AND e2.parent_id IS NOT DISTINCT FROM e.parent_id
                                       AND ((NOT e2.vetoed AND e.vetoed)
                                            OR (e2.vetoed = e.vetoed AND e2.score > e.score)))$$,
    'SPEC 7, D5 evaluation: rank_overall and rank_in_parent follow the scores, vetoed subjects last');

-- monitoring_ranking: the last four completed quarters
CREATE TEMP TABLE quarters AS
SELECT (date_trunc('quarter', current_date) - make_interval(months => 3 * k))::date - 1 AS quarter_end
  FROM generate_series(0, 3) AS k;
GRANT SELECT ON quarters TO PUBLIC;
-- an objection of the last completed quarter (simulated history: the
-- append-only trigger of record_event is disabled for this one UPDATE)
ALTER TABLE integrity.record_event DISABLE TRIGGER USER;
UPDATE integrity.record_event SET at = at - make_interval(days => current_date - ((SELECT max(quarter_end) FROM quarters) - 10))
 WHERE origin = integrity.local_origin()
   AND record_id = (SELECT id FROM integrity.record WHERE origin = integrity.local_origin() AND subject_id = pg_temp.sid('objected'));
ALTER TABLE integrity.record_event ENABLE TRIGGER USER;
SELECT is((SELECT format('%s %s', records_in_publicity, objection_on_time_pct) FROM integrity.monitoring_ranking
            WHERE subject_id = pg_temp.sid('objected') AND quarter_end = (SELECT max(quarter_end) FROM quarters)),
          '0 0.0', 'D5 monitoring_ranking: an objection of the quarter not resolved in 5 working days: 0% on time');
SELECT pg_temp.mk('q_gov');
SELECT pg_temp.backdate(pg_temp.rec_on('q_gov', 'accountability', 'serious', (SELECT min(quarter_end) FROM quarters) - 10),
                        'confirmed_on', (SELECT min(quarter_end) FROM quarters) - 5);
SELECT pg_temp.backdate(pg_temp.rec_on('q_gov', 'accountability', 'general', (SELECT max(quarter_end) FROM quarters) - 10),
                        'confirmed_on', (SELECT max(quarter_end) FROM quarters) - 5);
SELECT set_eq(
    $$SELECT quarter_end, subject_id FROM integrity.monitoring_ranking WHERE origin = integrity.local_origin()$$,
    $$SELECT q.quarter_end, s.id FROM quarters q, integrity.subject s
       WHERE s.origin = integrity.local_origin() AND s.kind IN ('government', 'department')$$,
    'D5 monitoring_ranking: one row per government or department and each of the last four completed quarters');
SELECT is((SELECT count(DISTINCT quarter) FROM integrity.monitoring_ranking), 4::bigint,
          'D5 monitoring_ranking: four quarters');
SELECT set_eq(
    $$SELECT quarter_end, subject_id, score, grade FROM integrity.monitoring_ranking WHERE origin = integrity.local_origin()$$,
    $$SELECT q.quarter_end, s.id, e.score, e.grade FROM quarters q, integrity.subject s
             CROSS JOIN LATERAL integrity.evaluate(s.id, q.quarter_end) e
       WHERE s.origin = integrity.local_origin() AND s.kind IN ('government', 'department')$$,
    'D5 monitoring_ranking: each score is evaluate() as of the end of its quarter');
SELECT results_eq(
    $$SELECT score, score_change FROM integrity.monitoring_ranking WHERE subject_id = pg_temp.sid('q_gov') ORDER BY quarter_end$$,
    $$VALUES (85.0, -15.0), (85.0, 0.0), (85.0, 0.0), (80.0, -5.0)$$,
    'D5 monitoring_ranking: the score of each quarter and its change from the previous one');
SELECT is_empty(
    $$SELECT 1 FROM integrity.monitoring_ranking m
       WHERE rank <> 1 + (SELECT count(*) FROM integrity.monitoring_ranking m2
                           WHERE m2.quarter_end = m.quarter_end AND m2.score > m.score)$$,
    'D5 monitoring_ranking: ranks within each quarter follow the scores');

-- D1.4, D6: no raw resident ID in any column of any row of any view
CREATE FUNCTION pg_temp.raw_ids_in_views() RETURNS text LANGUAGE plpgsql AS $$
DECLARE v record; n bigint; hits text := '';
        ids text[] := ARRAY(SELECT '%' || s.cn_id::text || '%' FROM integrity.subject s WHERE s.cn_id IS NOT NULL);
BEGIN
    FOR v IN SELECT c.relname FROM pg_class c WHERE c.relnamespace = 'integrity'::regnamespace AND c.relkind IN ('v', 'm')
    LOOP
        BEGIN
            EXECUTE format('SELECT count(*) FROM integrity.%I x WHERE x::text LIKE ANY ($1)', v.relname) INTO n USING ids;
            IF n > 0 THEN hits := hits || format('%s: %s rows; ', v.relname, n); END IF;
        EXCEPTION WHEN OTHERS THEN
            hits := hits || format('%s: ERROR %s %s; ', v.relname, SQLSTATE, SQLERRM);
        END;
    END LOOP;
    RETURN hits;
END $$;
SELECT ok((SELECT count(*) FROM integrity.subject WHERE cn_id IS NOT NULL) >= 6
          AND (SELECT count(*) FROM integrity.blacklist WHERE subject_id = pg_temp.sid('m_cs_serious')) + 
              (SELECT count(*) FROM integrity.public_record WHERE record_id = pg_temp.rid('v_pub')) >= 1,
          'test set-up: civil servants appear in the views');
SELECT is(pg_temp.raw_ids_in_views(), '', 'D1.4 no column of any row of any view holds a raw resident ID');

-- SPEC 7: every view and every column has a COMMENT (Chinese term + English)
SELECT is_empty(
    $$SELECT c.relname FROM pg_class c WHERE c.relnamespace = 'integrity'::regnamespace AND c.relkind = 'v'
        AND (obj_description(c.oid, 'pg_class') IS NULL
             OR obj_description(c.oid, 'pg_class') !~ '[一-龥]' OR obj_description(c.oid, 'pg_class') !~ '[A-Za-z]{3}')$$,
    'SPEC 7 every view has a COMMENT with a Chinese term and English');
SELECT is_empty(
    $$SELECT c.relname, a.attname FROM pg_class c
        JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
       WHERE c.relnamespace = 'integrity'::regnamespace AND c.relkind = 'v'
         AND (col_description(c.oid, a.attnum) IS NULL
              OR col_description(c.oid, a.attnum) !~ '[一-龥]' OR col_description(c.oid, a.attnum) !~ '[A-Za-z]{3}')$$,
    'SPEC 7 every column of every view has a COMMENT with a Chinese term and English');
SELECT is((SELECT count(*)::int FROM pg_class WHERE relnamespace = 'integrity'::regnamespace AND relkind = 'v'
             AND relname IN ('public_record', 'blacklist', 'redlist', 'evaluation', 'monitoring_ranking')),
          5, 'SPEC 7 the five views exist');

-- SPEC 8: integrity_reader reads every view, never the tables.  SELECT *:
-- every column is computed (monitoring_ranking's objection rate calls
-- _param() once an objection of a completed quarter exists)
SET LOCAL ROLE integrity_reader;
SELECT lives_ok($$SELECT * FROM integrity.public_record$$, 'SPEC 8 integrity_reader reads public_record');
SELECT lives_ok($$SELECT * FROM integrity.blacklist$$, 'SPEC 8 integrity_reader reads blacklist');
SELECT lives_ok($$SELECT * FROM integrity.redlist$$, 'SPEC 8 integrity_reader reads redlist');
SELECT lives_ok($$SELECT * FROM integrity.evaluation$$, 'SPEC 8 integrity_reader reads evaluation');
SELECT lives_ok($$SELECT * FROM integrity.monitoring_ranking$$, 'SPEC 8 integrity_reader reads monitoring_ranking');
SELECT throws_ok($$SELECT count(*) FROM integrity.record$$, '42501', NULL, 'SPEC 8 integrity_reader cannot read integrity.record');
SELECT throws_ok($$SELECT count(*) FROM integrity.subject$$, '42501', NULL, 'SPEC 8 integrity_reader cannot read integrity.subject');
SELECT throws_ok($$SELECT * FROM integrity.evaluate(1)$$, '42501', NULL, 'SPEC 8 integrity_reader cannot call evaluate (operator API)');
RESET ROLE;
-- the reader sees the same rows as the owner (a digest of every row)
CREATE FUNCTION pg_temp.view_digest(v text) RETURNS text LANGUAGE sql AS $$
    SELECT pg_temp.safely(format('SELECT count(*) || '' '' || md5(string_agg(x::text, '','' ORDER BY x::text)) FROM integrity.%I x', v)) $$;
CREATE TEMP TABLE owner_digest AS
SELECT v, pg_temp.view_digest(v) AS digest
  FROM unnest(ARRAY['public_record', 'evaluation', 'monitoring_ranking']) AS v;
GRANT SELECT ON owner_digest TO PUBLIC;
SET LOCAL ROLE integrity_reader;
SELECT is(pg_temp.view_digest(v), digest, format('SPEC 8 integrity_reader sees the same %s rows as the owner', v))
  FROM owner_digest ORDER BY v;
RESET ROLE;
-- as operator, the SPEC 5 functions
SET LOCAL ROLE integrity_operator;
SELECT is((SELECT score FROM integrity.evaluate(pg_temp.sid('serious'))), 85.0, 'SPEC 8 integrity_operator calls evaluate');
SELECT is((SELECT level FROM integrity.punishment_status(pg_temp.sid('p_major'))), 'blacklist', 'SPEC 8 integrity_operator calls punishment_status');
SELECT is((SELECT eligible FROM integrity.incentive_status(pg_temp.sid('r_ok'))), true, 'SPEC 8 integrity_operator calls incentive_status');
SELECT is((SELECT count(*)::int FROM integrity.restrictions(pg_temp.sid('m_gov'))), 4, 'SPEC 8 integrity_operator calls restrictions');
RESET ROLE;

------------------------------------------------------------------------
-- SPEC 5/9: evaluate() is C since 1.1; its answers are those of the SQL
-- form _evaluate (1.0), field by field, for every subject of this file at
-- several as_of dates and under three models (one without a bonus cap)
------------------------------------------------------------------------
SELECT pg_temp.mk('ev_empty');
SET LOCAL ROLE integrity_admin;
INSERT INTO integrity.score_model (name, params, note)
SELECT 'nocap_t05', params - 'bonus_cap', 'test' FROM integrity.score_model WHERE name = 'default';
RESET ROLE;
CREATE TEMP TABLE ev_cmp AS
SELECT s.name AS subject, d.as_of, mo.model, c.score AS c_score, c.grade AS c_grade, c.vetoed AS c_vetoed,
       c.breakdown AS c_bd, q.score AS q_score, q.grade AS q_grade, q.vetoed AS q_vetoed, q.breakdown AS q_bd
  FROM subj s
 CROSS JOIN (SELECT current_date - k AS as_of FROM unnest(ARRAY[0, 20, 150, 151, 200, 400, 1000]) AS k) d
 CROSS JOIN unnest(ARRAY['default', 'strict_t05', 'nocap_t05']) AS mo(model)
 CROSS JOIN LATERAL integrity.evaluate(s.id, d.as_of, mo.model) c
 CROSS JOIN LATERAL integrity._evaluate(integrity.local_origin(), s.id, d.as_of,
                                        (SELECT params FROM integrity.score_model m WHERE m.name = mo.model)) q;
SELECT cmp_ok((SELECT count(*)::int FROM ev_cmp), '>', 1000, 'SPEC 9 evaluate: compared on more than 1,000 (subject, as_of, model)');
SELECT is((SELECT count(*)::int FROM ev_cmp
            WHERE c_score IS DISTINCT FROM q_score OR c_grade IS DISTINCT FROM q_grade
               OR c_vetoed IS DISTINCT FROM q_vetoed),
          0, 'SPEC 9 evaluate in C: the score, grade and veto of the SQL form');
SELECT is((SELECT count(*)::int FROM ev_cmp WHERE (c_bd - 'not_counted')::text IS DISTINCT FROM (q_bd - 'not_counted')::text),
          0, 'SPEC 9 evaluate in C: the breakdown of the SQL form, to the text (numbers written alike)');
SELECT is((SELECT count(*)::int FROM ev_cmp
            WHERE (SELECT array_agg(x::text ORDER BY x::text) FROM jsonb_array_elements(c_bd -> 'not_counted') x)
                  IS DISTINCT FROM (SELECT array_agg(x::text ORDER BY x::text) FROM jsonb_array_elements(q_bd -> 'not_counted') x)),
          0, 'SPEC 9 evaluate in C: the same records not counted');
SELECT is((SELECT count(*)::int FROM ev_cmp
            WHERE jsonb_array_length(c_bd -> 'not_counted') > 1
              AND (SELECT array_agg((x ->> 'record_id')::bigint) FROM jsonb_array_elements(c_bd -> 'not_counted') x)
                  <> (SELECT array_agg((x ->> 'record_id')::bigint ORDER BY (x ->> 'record_id')::bigint)
                        FROM jsonb_array_elements(c_bd -> 'not_counted') x)),
          0, 'SPEC 5 breakdown: not_counted listed by record id');
SELECT ok((SELECT bool_and(jsonb_typeof(c_bd -> 'deductions') = 'array') AND count(*) FILTER (WHERE c_vetoed) > 0
                  AND count(*) FILTER (WHERE jsonb_array_length(c_bd -> 'bonuses') > 0) > 0
                  AND count(*) FILTER (WHERE jsonb_array_length(c_bd -> 'not_counted') > 0) > 0
                  AND count(*) FILTER (WHERE (c_bd ->> 'total_bonus')::numeric > 10) > 0
             FROM ev_cmp),
          'SPEC 9 evaluate comparison covers vetoes, bonuses, records not counted and an uncapped bonus');
SELECT is((SELECT format('%s %s %s %s', score, grade, vetoed, breakdown ->> 'deductions')
             FROM integrity.evaluate(pg_temp.sid('ev_empty'))),
          '100.00 A f []', 'SPEC 5 evaluate: a subject without records scores the start');
SELECT is((SELECT breakdown -> 'bonus_cap' FROM integrity.evaluate(pg_temp.sid('ev_empty'), current_date, 'nocap_t05')),
          'null'::jsonb, 'SPEC 5 breakdown: a model without a bonus cap shows bonus_cap null');
SELECT throws_ok($$SELECT * FROM integrity.evaluate(NULL)$$, '22004', 'subject_id is required', 'D5 NULL subject: 22004');
SELECT throws_ok($$SELECT * FROM integrity.evaluate(pg_temp.sid('past'), date '1900-01-01')$$, '22023',
                 'as_of 1900-01-01 is out of range', 'D5 as_of before 1949-10-01: 22023');
SELECT throws_ok($$SELECT * FROM integrity.evaluate(pg_temp.sid('past'), date '3000-01-01')$$, '22023', NULL,
                 'D5 as_of after 2999-12-31: 22023');
SELECT throws_ok($$SELECT * FROM integrity.evaluate(pg_temp.sid('past'), current_date, NULL)$$, '22023',
                 'unknown score model "<NULL>"', 'D5 NULL model: 22023');
SELECT throws_ok($$SELECT * FROM integrity.evaluate(NULL, current_date, 'no_such_model')$$, '22023', NULL,
                 'D5 the model is checked before the subject (as _model then _subject did)');
SELECT is((SELECT count(*)::int FROM integrity.evaluate(pg_temp.sid('past')) e, generate_series(1, 3)), 3,
          'SPEC 5 evaluate: one row, also called again in one statement (kept plans)');
SELECT is((SELECT score FROM integrity.evaluate(pg_temp.sid('past'))), 80.0,
          'SPEC 5 evaluate: the same score on a later call (kept plans, cached model)');
SELECT is((SELECT (integrity.evaluate(pg_temp.sid('past'))).score), 80.0, 'SPEC 5 evaluate in the select list');
SELECT is((SELECT format('%s %s %s', l.lanname, p.prosecdef::text, p.proconfig)
             FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang
            WHERE p.oid = 'integrity.evaluate(bigint, date, text)'::regprocedure),
          'c true {"search_path=pg_catalog, pg_temp"}', 'SPEC 9 evaluate is a C function, SECURITY DEFINER with a fixed search_path');

-- SPEC 9: the aggregate's state is internal (32 bytes), serializable
SELECT is((SELECT format('%s %s %s %s %s %s', a.aggtranstype::regtype, a.aggtransspace, a.aggfinalfn,
                         a.aggcombinefn, a.aggserialfn, a.aggdeserialfn)
             FROM pg_aggregate a
            WHERE a.aggfnoid = 'integrity.score_state(text, text, integrity.severity, date, date, date, date, date, jsonb)'::regprocedure),
          'internal 64 _score_state_final _score_state_combinefn _score_state_serialize _score_state_deserialize',
          'SPEC 9 score_state: internal state with SSPACE 64, final, combine, serial and deserial functions');
SELECT is((SELECT integrity.score_state(category, kind, severity, decided_on, confirmed_on, revoked_on, repaired_on,
                                        current_date, params)
             FROM integrity.record, integrity.score_model WHERE false),
          NULL, 'SPEC 5 score_state over no rows is NULL (score_of reads it as the start)');
SELECT is((SELECT integrity.score_state(NULL, 'dishonest', 'serious', current_date, current_date, NULL, NULL, current_date, params)
             FROM integrity.score_model WHERE name = 'default'),
          '{0,0,0,0}'::float8[], 'SPEC 5 score_state: a row without a category is not counted');
SELECT is((SELECT integrity.score_of(x.st, x.params)
             FROM (SELECT m.params, integrity.score_state('accountability', 'dishonest', 'serious', current_date - 10,
                                                          current_date - 10, NULL, NULL, current_date, m.params) AS st
                     FROM integrity.score_model m WHERE m.name = 'default' GROUP BY m.params) x),
          85.00, 'SPEC 5 score_of reads the final state of the aggregate');

------------------------------------------------------------------------
-- SPEC 5: score_state is a parallel aggregate; the same sums in parallel
------------------------------------------------------------------------
CREATE TABLE public.t05_score_input AS
SELECT i % 40 AS subj,
       (ARRAY['accountability', 'admin_penalty', 'statistical_fraud', 'commendation', 'judicial_judgment'])[i % 5 + 1] AS category,
       CASE WHEN i % 5 = 3 THEN 'honest' ELSE 'dishonest' END AS kind,
       (ARRAY['minor', 'general', 'serious'])[i % 3 + 1]::integrity.severity AS severity,
       current_date - (i * 7) % 1500 AS decided_on,
       CASE WHEN i % 11 <> 0 THEN current_date - (i * 7) % 1500 + i % 30 END AS confirmed_on,
       CASE WHEN i % 13 = 0 THEN current_date - (i * 3) % 700 END AS revoked_on,
       CASE WHEN i % 7 = 0 THEN current_date - (i * 5) % 500 END AS repaired_on
  FROM generate_series(1, 6000) AS i;
ANALYZE public.t05_score_input;
CREATE FUNCTION pg_temp.explain(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE line text; plan text := '';
BEGIN
    FOR line IN EXECUTE 'EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) ' || q LOOP
        plan := plan || line || E'\n';
    END LOOP;
    RETURN plan;
END $$;
CREATE TEMP TABLE par_plan (mode text PRIMARY KEY, plan text);
SET LOCAL parallel_setup_cost = 0;
SET LOCAL parallel_tuple_cost = 0;
SET LOCAL min_parallel_table_scan_size = 0;
SET LOCAL max_parallel_workers_per_gather = 2;
SET LOCAL parallel_leader_participation = off;
INSERT INTO par_plan SELECT 'parallel', pg_temp.explain($$CREATE TEMP TABLE par_on AS
    SELECT subj, integrity.score_state(category, kind, severity, decided_on, confirmed_on, revoked_on, repaired_on,
                                       current_date, (SELECT params FROM integrity.score_model WHERE name = 'default')) AS st
      FROM public.t05_score_input GROUP BY subj$$);
SET LOCAL max_parallel_workers_per_gather = 0;
INSERT INTO par_plan SELECT 'serial', pg_temp.explain($$CREATE TEMP TABLE par_off AS
    SELECT subj, integrity.score_state(category, kind, severity, decided_on, confirmed_on, revoked_on, repaired_on,
                                       current_date, (SELECT params FROM integrity.score_model WHERE name = 'default')) AS st
      FROM public.t05_score_input GROUP BY subj$$);
RESET max_parallel_workers_per_gather;
SELECT ok((SELECT plan ~ 'Partial (Hash|Group)?Aggregate' AND plan ~ 'Workers Launched: [1-9]' FROM par_plan WHERE mode = 'parallel'),
          'SPEC 5 parallel: score_state runs as a Partial Aggregate in parallel workers');
SELECT ok((SELECT plan !~ 'Partial' AND plan !~ 'Gather' FROM par_plan WHERE mode = 'serial'),
          'SPEC 5 parallel: the serial plan has no Gather');
SELECT is((SELECT count(*)::int FROM par_on), 40, 'SPEC 5 parallel: one state per subject');
SELECT set_eq($$SELECT subj, st FROM par_on$$, $$SELECT subj, st FROM par_off$$,
              'SPEC 5 parallel: the same states in parallel as serially');
SELECT set_eq(
    $$SELECT subj, st FROM par_on$$,
    $$SELECT subj, ARRAY[sum(e.deduction), sum(e.bonus), max(e.veto::int), sum(e.counted::int)]::float8[]
        FROM public.t05_score_input t,
             LATERAL integrity._record_effect(t.category, t.kind, t.severity, t.decided_on, t.confirmed_on, t.revoked_on,
                                              t.repaired_on, current_date,
                                              (SELECT params FROM integrity.score_model WHERE name = 'default')) e
       GROUP BY subj$$,
    'SPEC 5 parallel: the states are the sums of the per-record effects');

SELECT * FROM finish();
ROLLBACK;
