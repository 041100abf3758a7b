-- pgTAP: the record lifecycle (SPEC 3, 4, 8; DOMAIN D2)
-- Dates are relative to current_date, except calendar rules, which use the
-- official 2025/2026 calendar of data/cn_calendar.tsv.
BEGIN;
CREATE EXTENSION IF NOT EXISTS pgtap;
CREATE EXTENSION IF NOT EXISTS integrity;
SELECT plan(253);
SET LOCAL search_path = public, integrity;
SET LOCAL client_min_messages = warning;
SELECT lives_ok($$SELECT integrity.set_origin('140400')$$, 'SPEC 3 set_origin');

------------------------------------------------------------------------
-- helpers
------------------------------------------------------------------------
-- the subjects (reused if the database already holds them)
CREATE TEMP TABLE subj (name text PRIMARY KEY, id bigint NOT NULL);
GRANT SELECT ON subj TO PUBLIC;
INSERT INTO subj
SELECT n, coalesce((SELECT s.id FROM integrity.subject s
                     WHERE s.origin = integrity.local_origin() AND (s.uscc::text = code OR s.cn_id::text = code)),
                   integrity.subject_add(kind, name, code))
  FROM (VALUES ('ent', 'enterprise', '晋城甲建设有限公司', '91140400000000043W'),
               ('gov', 'government', '长治市人民政府', '11140400000000019L'),
               ('cs', 'civil_servant', '王小明', '140402198501011237')) AS v(n, kind, name, code);

CREATE FUNCTION pg_temp.sid(n text) RETURNS bigint LANGUAGE sql STABLE
    AS $$ SELECT id FROM subj WHERE name = n $$;

-- a general admin_penalty of the enterprise decided `age` days ago
CREATE FUNCTION pg_temp.rec(age integer, sev integrity.severity DEFAULT 'general',
                            cat text DEFAULT 'admin_penalty', who text DEFAULT 'ent')
    RETURNS bigint LANGUAGE sql
    AS $$ SELECT integrity.record_add(pg_temp.sid(who), cat, sev, current_date - age,
                                      '长罚决字〔2025〕' || age || '号', '长治市市场监督管理局',
                                      'test record') $$;

CREATE FUNCTION pg_temp.state(r bigint) RETURNS text LANGUAGE sql STABLE
    AS $$ SELECT state::text FROM integrity.record WHERE origin = integrity.local_origin() AND id = r $$;

CREATE FUNCTION pg_temp.events(r bigint) RETURNS bigint LANGUAGE sql STABLE
    AS $$ SELECT count(*) FROM integrity.record_event WHERE origin = integrity.local_origin() AND record_id = r $$;

-- a fresh record brought to a state through the API only.  Variants:
-- the 8 states, and objected_c / objected_p (objected from confirmed or
-- from published).  Decided 400 days ago: general, so its minimum (3
-- months) and maximum (1 year) publicity periods have passed; the
-- expired variant is decided 700 days ago and expired by expire_due as
-- of its own publicity_until, so no other record of this file expires.
CREATE FUNCTION pg_temp.fresh(variant text) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE r bigint; until date;
BEGIN
    r := pg_temp.rec(CASE variant WHEN 'expired' THEN 700 ELSE 400 END);
    IF variant <> 'collected' THEN PERFORM integrity.notify(r, '书面告知'); END IF;
    IF variant NOT IN ('collected', 'notified') THEN PERFORM integrity.confirm(r, '认定'); END IF;
    IF variant = 'objected_c' THEN PERFORM integrity.object(r, '异议申请'); END IF;
    IF variant IN ('published', 'objected_p', 'repaired', 'expired', 'revoked') THEN
        PERFORM integrity.publish(r);
    END IF;
    IF variant = 'objected_p' THEN PERFORM integrity.object(r, '异议申请'); END IF;
    IF variant = 'repaired' THEN PERFORM integrity.repair(r, '已整改并作出信用承诺'); END IF;
    IF variant = 'revoked' THEN PERFORM integrity.revoke(r, '信息错误'); END IF;
    IF variant = 'expired' THEN
        SELECT publicity_until INTO until FROM integrity.record
         WHERE origin = integrity.local_origin() AND id = r;
        PERFORM integrity.expire_due(until);
    END IF;
    IF pg_temp.state(r) <> regexp_replace(variant, '_[cp]$', '') THEN
        RAISE EXCEPTION 'test set-up: record % is %, not %', r, pg_temp.state(r), variant;
    END IF;
    RETURN r;
END $$;

-- a direct UPDATE of the state by the table owner; objection_due is set
-- too when entering objected (the trigger requires it)
CREATE FUNCTION pg_temp.try_direct(r bigint, to_state integrity.record_state) RETURNS text
    LANGUAGE plpgsql AS $$
DECLARE n0 bigint := pg_temp.events(r);
BEGIN
    UPDATE integrity.record x SET state = to_state,
           objection_due = CASE WHEN to_state = 'objected' AND x.state <> 'objected'
                                THEN integrity.add_workdays(current_date, 5) ELSE x.objection_due END
     WHERE x.origin = integrity.local_origin() AND x.id = r;
    RETURN format('ok: %s, %s event(s)', pg_temp.state(r), pg_temp.events(r) - n0);
EXCEPTION WHEN OTHERS THEN
    RETURN SQLSTATE || ': ' || SQLERRM;
END $$;

CREATE FUNCTION pg_temp.try_api(r bigint, to_state integrity.record_state) RETURNS text
    LANGUAGE plpgsql AS $$
DECLARE n0 bigint := pg_temp.events(r);
BEGIN
    PERFORM integrity.transition(r, to_state, 'matrix test');
    RETURN format('ok: %s, %s event(s)', pg_temp.state(r), pg_temp.events(r) - n0);
EXCEPTION WHEN OTHERS THEN
    RETURN SQLSTATE || ': ' || SQLERRM;
END $$;

-- any statement: 'ok' or SQLSTATE | message | detail
CREATE FUNCTION pg_temp.err(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE st text; msg text; det text;
BEGIN
    EXECUTE q;
    RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT, det = PG_EXCEPTION_DETAIL;
    RETURN st || ' | ' || msg || ' | ' || coalesce(det, '');
END $$;

CREATE FUNCTION pg_temp.row_counts() RETURNS text LANGUAGE sql STABLE AS $$
    SELECT format('subject %s, record %s, record_event %s, disclosure %s',
        (SELECT count(*) FROM integrity.subject), (SELECT count(*) FROM integrity.record),
        (SELECT count(*) FROM integrity.record_event), (SELECT count(*) FROM integrity.disclosure))
$$;

------------------------------------------------------------------------
-- SPEC 4, D2.2-D2.4: the state x state matrix (9 starting points x 8
-- target states), as a direct UPDATE by the table owner and through
-- transition().  Legal pairs:
------------------------------------------------------------------------
CREATE TEMP TABLE legal (f text, t text, PRIMARY KEY (f, t));
INSERT INTO legal VALUES
    ('collected', 'notified'), ('collected', 'revoked'),
    ('notified', 'confirmed'), ('notified', 'revoked'),
    ('confirmed', 'published'), ('confirmed', 'objected'), ('confirmed', 'revoked'),
    ('published', 'repaired'), ('published', 'expired'), ('published', 'objected'),
    ('published', 'revoked'),
    ('objected_c', 'confirmed'), ('objected_c', 'revoked'),
    ('objected_p', 'published'), ('objected_p', 'revoked');

CREATE TEMP TABLE matrix AS
SELECT v.n * 10 + t.n AS n, via, v.variant, regexp_replace(v.variant, '_[cp]$', '') AS f,
       t.s::text AS t, pg_temp.fresh(v.variant) AS id
  FROM unnest(ARRAY['collected', 'notified', 'confirmed', 'published', 'objected_c',
                    'objected_p', 'repaired', 'expired', 'revoked']) WITH ORDINALITY AS v(variant, n),
       unnest(enum_range(NULL::integrity.record_state)) WITH ORDINALITY AS t(s, n),
       unnest(ARRAY['direct UPDATE', 'transition()']) AS via;

-- Direct UPDATE: a legal transition writes one record_event row; an
-- UPDATE that keeps the state is no transition (nothing changes, no event).
SELECT is(pg_temp.try_direct(m.id, m.t::integrity.record_state),
          CASE WHEN l.f IS NOT NULL THEN format('ok: %s, 1 event(s)', m.t)
               WHEN m.f = m.t THEN format('ok: %s, 0 event(s)', m.t)
               ELSE format('55000: illegal transition of record %s from %s to %s', m.id, m.f, m.t) END,
          format('SPEC 4 D2.2-D2.4 direct UPDATE %s -> %s %s', m.variant, m.t,
                 CASE WHEN l.f IS NOT NULL THEN 'is legal' WHEN m.f = m.t THEN 'is no transition'
                      ELSE 'is refused (55000)' END))
  FROM matrix m LEFT JOIN legal l ON l.f = m.variant AND l.t = m.t
 WHERE m.via = 'direct UPDATE' ORDER BY m.n;

-- transition(): the same, but asking for the state the record is already
-- in is an illegal transition too (SPEC 4: "any other transition ... is
-- refused with SQLSTATE 55000 and a message naming both states")
SELECT is(pg_temp.try_api(m.id, m.t::integrity.record_state),
          CASE WHEN l.f IS NOT NULL THEN format('ok: %s, 1 event(s)', m.t)
               ELSE format('55000: illegal transition of record %s from %s to %s', m.id, m.f, m.t) END,
          format('SPEC 4 D2.2-D2.4 transition() %s -> %s %s', m.variant, m.t,
                 CASE WHEN l.f IS NOT NULL THEN 'is legal' ELSE 'is refused (55000)' END))
  FROM matrix m LEFT JOIN legal l ON l.f = m.variant AND l.t = m.t
 WHERE m.via = 'transition()' ORDER BY m.n;

------------------------------------------------------------------------
-- SPEC 4: history.  Every transition writes exactly one record_event row
-- (from, to, actor = session_user, the reason given); 'collect' on insert.
------------------------------------------------------------------------
CREATE TEMP TABLE walk AS SELECT pg_temp.rec(400) AS id;
DO $$ DECLARE r bigint := (SELECT id FROM walk); BEGIN
    PERFORM integrity.notify(r, '已书面告知, 可申辩');
    PERFORM integrity.confirm(r, '认定书 长信认〔2025〕1号');
    PERFORM integrity.publish(r);
    PERFORM integrity.object(r, '主体提出异议');
    PERFORM integrity.resolve_objection(r, false, '异议不成立');
    PERFORM integrity.repair(r, '已整改并作出信用承诺');
END $$;

SELECT results_eq(
    format($$SELECT event, from_state::text, to_state::text, actor, reason
               FROM integrity.record_event WHERE origin = integrity.local_origin() AND record_id = %s
              ORDER BY id$$, id),
    format($$VALUES ('collect', NULL::text, 'collected', %1$L::text, 'test record'::text),
                    ('notify', 'collected', 'notified', %1$L, '已书面告知, 可申辩'),
                    ('confirm', 'notified', 'confirmed', %1$L, '认定书 长信认〔2025〕1号'),
                    ('publish', 'confirmed', 'published', %1$L, NULL),
                    ('objection', 'published', 'objected', %1$L, '主体提出异议'),
                    ('objection_rejected', 'objected', 'published', %1$L, '异议不成立'),
                    ('repair', 'published', 'repaired', %1$L, '已整改并作出信用承诺')$$, session_user),
    'SPEC 4 one record_event per transition: collect on insert, then from/to, actor = session_user, reason')
  FROM walk;

SELECT is((SELECT count(*) FROM integrity.record_event e
            WHERE e.origin = integrity.local_origin() AND e.record_id = walk.id AND e.at IS NOT NULL),
          7::bigint, 'SPEC 4 seven events, each with its time') FROM walk;

SELECT results_eq(
    format($$SELECT event FROM integrity.disclosure
              WHERE origin = integrity.local_origin() AND record_id = %s ORDER BY seq$$, id),
    $$VALUES ('publish'), ('objection'), ('objection_resolved'), ('repair')$$,
    'SPEC 6 transitions of a published record are disclosed') FROM walk;

------------------------------------------------------------------------
-- SPEC 4: content is frozen from confirmed on; never deleted; history
-- append-only
------------------------------------------------------------------------
CREATE TEMP TABLE c AS SELECT pg_temp.fresh('confirmed') AS conf, pg_temp.fresh('published') AS pub,
                              pg_temp.fresh('collected') AS coll, pg_temp.fresh('notified') AS noti;

SELECT throws_ok(format('UPDATE integrity.record SET summary = %L WHERE origin = %L AND id = %s',
                        '改过的事实', integrity.local_origin(), conf),
                 '55000', format('cannot change the content of record %s in state confirmed (update to state confirmed)', conf),
                 'SPEC 4 content of a confirmed record cannot change') FROM c;
SELECT throws_ok(format('UPDATE integrity.record SET decided_on = decided_on - 1 WHERE origin = %L AND id = %s',
                        integrity.local_origin(), pub),
                 '55000', format('cannot change the content of record %s in state published (update to state published)', pub),
                 'SPEC 4 content of a published record cannot change') FROM c;
SELECT throws_ok(format('UPDATE integrity.record SET state = %L, summary = %L WHERE origin = %L AND id = %s',
                        'confirmed', '改过的事实', integrity.local_origin(), noti),
                 '55000', format('cannot change the content of record %s in state notified (update to state confirmed)', noti),
                 'SPEC 4 content never changes together with a transition') FROM c;

SELECT lives_ok(format('UPDATE integrity.record SET summary = %L WHERE origin = %L AND id = %s',
                       '更正后的事实', integrity.local_origin(), coll),
                'SPEC 4 content of a collected record can be corrected') FROM c;
SELECT lives_ok(format('UPDATE integrity.record SET document_no = %L WHERE origin = %L AND id = %s',
                       '长罚决字〔2025〕9号', integrity.local_origin(), noti),
                'SPEC 4 content of a notified record can be corrected') FROM c;
SELECT results_eq(
    format($$SELECT record_id, event, from_state::text, to_state::text, actor FROM integrity.record_event
              WHERE origin = integrity.local_origin() AND record_id IN (%s, %s) AND event = 'correction'
              ORDER BY record_id$$, coll, noti),
    format($$VALUES (%s::bigint, 'correction', 'collected', 'collected', %L::text),
                    (%s::bigint, 'correction', 'notified', 'notified', %2$L::text)$$,
           least(coll, noti), session_user, greatest(coll, noti)),
    'SPEC 3 a correction writes a correction event') FROM c;
SELECT is((SELECT summary FROM integrity.record WHERE origin = integrity.local_origin() AND id = coll),
          '更正后的事实', 'SPEC 4 the correction is stored') FROM c;

SELECT throws_ok(format('DELETE FROM integrity.record WHERE origin = %L AND id = %s', integrity.local_origin(), coll),
                 '55000', format('record %s cannot be deleted', coll), 'D2.4 DELETE of a collected record refused') FROM c;
SELECT throws_ok(format('DELETE FROM integrity.record WHERE origin = %L AND id = %s', integrity.local_origin(), pub),
                 '55000', format('record %s cannot be deleted', pub), 'D2.4 DELETE of a published record refused') FROM c;
SELECT throws_ok('TRUNCATE integrity.record', '55000',
                 'table integrity.record is append-only: TRUNCATE is not allowed', 'SPEC 4 TRUNCATE record refused');
SELECT throws_ok('TRUNCATE integrity.record_event', '55000',
                 'table integrity.record_event is append-only: TRUNCATE is not allowed', 'SPEC 3 TRUNCATE record_event refused');
SELECT throws_ok(format('UPDATE integrity.record_event SET reason = %L WHERE origin = %L AND record_id = %s',
                        'x', integrity.local_origin(), pub),
                 '55000', 'table integrity.record_event is append-only: UPDATE is not allowed',
                 'SPEC 3 UPDATE record_event refused') FROM c;
SELECT throws_ok(format('DELETE FROM integrity.record_event WHERE origin = %L AND record_id = %s',
                        integrity.local_origin(), pub),
                 '55000', 'table integrity.record_event is append-only: DELETE is not allowed',
                 'SPEC 3 DELETE record_event refused') FROM c;

-- SPEC 4: the reason belongs to the API call that gave it.  An API call
-- refused inside a subtransaction (plpgsql EXCEPTION block, savepoint)
-- must not leave its reason behind for the next event of the transaction.
SELECT alike(pg_temp.err(format('SELECT integrity.transition(%s, %L, %L)', pub, 'collected', '遗留的理由')),
            '55000 | illegal transition of record % from published to collected%',
            'SPEC 4 set-up: a refused transition() inside a subtransaction') FROM c;
UPDATE integrity.record SET source_unit = '长治市市场监督管理局执法支队'
 WHERE origin = integrity.local_origin() AND id = (SELECT coll FROM c);
SELECT results_eq(
    format($$SELECT event, reason FROM integrity.record_event WHERE origin = integrity.local_origin()
              AND record_id = %s AND event = 'correction' ORDER BY id DESC LIMIT 1$$, coll),
    $$VALUES ('correction', NULL::text)$$,
    'SPEC 4 a later direct correction carries no reason, not the refused call''s') FROM c;

-- D2.6: a direct UPDATE cannot expire a record before its publicity ends
CREATE TEMP TABLE young AS SELECT pg_temp.rec(10) AS id;
DO $$ DECLARE r bigint := (SELECT id FROM young); BEGIN
    PERFORM integrity.notify(r, '告知'); PERFORM integrity.confirm(r, '认定'); PERFORM integrity.publish(r);
END $$;
SELECT is(pg_temp.err(format('UPDATE integrity.record SET state = %L WHERE origin = %L AND id = %s',
                             'expired', integrity.local_origin(), y.id)),
          format('55000 | record %s cannot expire before %s | Its maximum publicity period ends on %s (D2.6).',
                 y.id, r.publicity_until, r.publicity_until),
          'D2.6 published -> expired refused before publicity_until, even for the table owner')
  FROM young y JOIN integrity.record r ON r.origin = integrity.local_origin() AND r.id = y.id;

------------------------------------------------------------------------
-- D2.5: publish_due = decided_on + 7 working days; SPEC 4 add_workdays,
-- workdays_between
------------------------------------------------------------------------
SELECT is(integrity.add_workdays('2025-11-07', 7), '2025-11-18'::date,
          'D2.5 add_workdays: Friday + 7 skips a weekend');
SELECT is(integrity.add_workdays('2026-09-30', 7), '2026-10-15'::date,
          'D2.5 add_workdays: National Day 2026-10-01..07 skipped, make-up Saturday 2026-10-10 counted');
SELECT is(integrity.add_workdays('2026-02-13', 7), '2026-03-02'::date,
          'D2.5 add_workdays: Spring Festival 2026 skipped, make-up Saturdays 02-14 and 02-28 counted');
SELECT is(integrity.add_workdays('2026-10-09', 1), '2026-10-10'::date, 'D2.5 the make-up Saturday is the next working day');
SELECT is(integrity.add_workdays('2026-10-11', 0), '2026-10-11'::date, 'SPEC 4 add_workdays n = 0 is d, even on a Sunday');
SELECT is(integrity.add_workdays('2026-10-08', -1), '2026-09-30'::date, 'SPEC 4 add_workdays n = -1 skips the holiday backwards');
SELECT is(integrity.add_workdays('2026-10-12', -1), '2026-10-10'::date, 'SPEC 4 add_workdays n = -1 lands on the make-up Saturday');
SELECT is(integrity.add_workdays('2026-10-15', -7), '2026-09-30'::date, 'SPEC 4 add_workdays(-7) inverts add_workdays(7)');
SELECT is(integrity.workdays_between('2026-09-30', '2026-10-15'), 7, 'SPEC 4 workdays_between across National Day');
SELECT is(integrity.workdays_between('2026-10-15', '2026-09-30'), -7, 'SPEC 4 workdays_between is negative backwards');
SELECT is(integrity.workdays_between('2026-10-03', '2026-10-03'), 0, 'SPEC 4 workdays_between(a, a) = 0');
SELECT is(integrity.workdays_between('2026-10-01', '2026-10-07'), 0, 'SPEC 4 no working day inside the holiday');
SELECT is(integrity.workdays_between('2026-10-09', '2026-10-10'), 1, 'SPEC 4 a < w <= b counts the make-up Saturday b');
SELECT is((SELECT count(*)::integer FROM generate_series('2026-01-01'::date, '2026-12-31', '1 day') g(d)
            WHERE integrity.is_workday(g.d::date)),
          integrity.workdays_between('2025-12-31', '2026-12-31'),
          'SPEC 4 workdays_between over 2026 counts the working days of 2026');
SELECT is((SELECT count(*) FROM generate_series('2025-12-01'::date, '2026-12-31', '1 day') g(b)
            WHERE integrity.is_workday(g.b::date)
              AND integrity.add_workdays('2026-02-10', integrity.workdays_between('2026-02-10', g.b::date)) <> g.b::date),
          0::bigint, 'SPEC 4 add_workdays(a, workdays_between(a, b)) = b for every working day b of 13 months, n < 0 and n > 0');
SELECT is((SELECT count(*) FROM generate_series('2026-01-01'::date, '2026-12-10', '1 day') g(d),
                                generate_series(-12, 12) n
            WHERE integrity.is_workday(g.d::date)
              AND integrity.add_workdays(integrity.add_workdays(g.d::date, n), -n) <> g.d::date),
          0::bigint, 'SPEC 4 add_workdays(add_workdays(d, n), -n) = d for every working day of 2026 to 10 December (2027 is not loaded), |n| <= 12');

CREATE TEMP TABLE due AS
SELECT d, integrity.record_add(pg_temp.sid('ent'), 'admin_penalty', 'general', d::date, NULL, NULL, NULL) AS id
  FROM unnest(ARRAY['2025-11-07', '2026-09-30', '2026-02-13']) AS d;
SELECT results_eq(
    'SELECT r.publish_due FROM due JOIN integrity.record r ON r.origin = integrity.local_origin() AND r.id = due.id ORDER BY due.d',
    $$VALUES ('2025-11-18'::date), ('2026-03-02'), ('2026-10-15')$$,
    'D2.5 publish_due across a weekend, Spring Festival and National Day with its make-up Saturday');

------------------------------------------------------------------------
-- D2.6: periods by severity, counted from decided_on; minor not published
------------------------------------------------------------------------
CREATE TEMP TABLE per AS
SELECT s::integrity.severity AS sev, pg_temp.rec(10, s::integrity.severity) AS id
  FROM unnest(ARRAY['minor', 'general', 'serious']) AS s;
SELECT results_eq(
    $$SELECT p.sev::text, r.publishable, r.repair_allowed_from = r.decided_on + m.min,
             r.publicity_until = (r.decided_on + m.max)::date, r.publish_due = integrity.add_workdays(r.decided_on, 7)
        FROM per p JOIN integrity.record r ON r.origin = integrity.local_origin() AND r.id = p.id
        JOIN (VALUES ('minor', interval '0', interval '3 months'), ('general', '3 months', '1 year'),
                     ('serious', '1 year', '3 years')) AS m(sev, min, max) ON m.sev = p.sev::text
       ORDER BY p.sev$$,
    $$VALUES ('minor', false, true, true, true), ('general', true, true, true, true),
             ('serious', true, true, true, true)$$,
    'D2.6 repair_allowed_from and publicity_until by severity; minor not publishable');

DO $$ BEGIN
    PERFORM integrity.notify(id, '告知'), integrity.confirm(id, '认定') FROM per WHERE sev = 'minor';
END $$;
SELECT throws_ok(format('SELECT integrity.publish(%s)', id), '55000', format('record %s cannot be published', id),
                 'D2.6 a minor record is not published (55000)') FROM per WHERE sev = 'minor';
SELECT is(pg_temp.state(id), 'confirmed', 'D2.6 the minor record stays confirmed') FROM per WHERE sev = 'minor';

------------------------------------------------------------------------
-- D2.7: repair only from repair_allowed_from, with that date in errdetail
------------------------------------------------------------------------
DO $$ DECLARE r bigint := (SELECT id FROM per WHERE sev = 'general'); BEGIN
    PERFORM integrity.notify(r, '告知'); PERFORM integrity.confirm(r, '认定'); PERFORM integrity.publish(r);
END $$;
SELECT is(pg_temp.err(format('SELECT integrity.repair(%s, %L)', p.id, '已整改')),
          format('55000 | record %s cannot be repaired before %s | Credit repair is allowed from %s, when the minimum publicity period ends (D2.6, D2.7).',
                 p.id, r.repair_allowed_from, r.repair_allowed_from),
          'D2.7 repair refused before the earliest repair date, which the errdetail names')
  FROM per p JOIN integrity.record r ON r.origin = integrity.local_origin() AND r.id = p.id WHERE p.sev = 'general';
SELECT is(pg_temp.state(id), 'published', 'D2.7 the refused repair changed nothing') FROM per WHERE sev = 'general';

CREATE TEMP TABLE rep AS SELECT pg_temp.fresh('published') AS id;
SELECT lives_ok(format('SELECT integrity.repair(%s, %L)', id, '已整改并作出信用承诺'),
                'D2.7 repair allowed once the minimum publicity period has passed') FROM rep;
SELECT is((SELECT repaired_on FROM integrity.record WHERE origin = integrity.local_origin() AND id = rep.id),
          current_date, 'D2.7 repaired_on is today') FROM rep;

------------------------------------------------------------------------
-- D2.3, D2.7a: objections
------------------------------------------------------------------------
CREATE TEMP TABLE obj AS SELECT pg_temp.fresh('confirmed') AS c1, pg_temp.fresh('published') AS p1,
                                pg_temp.fresh('confirmed') AS c2;
DO $$ BEGIN
    PERFORM integrity.object(c1, '异议: 文号有误'), integrity.object(p1, '异议: 主体有误'),
            integrity.object(c2, '异议: 并非本单位') FROM obj;
END $$;
SELECT results_eq(
    format($$SELECT id, state::text, state_before_objection::text, objected_on = current_date,
                    objection_due = integrity.add_workdays(current_date, 5)
               FROM integrity.record WHERE origin = integrity.local_origin() AND id IN (%s, %s) ORDER BY id$$, c1, p1),
    format($$VALUES (%s::bigint, 'objected', 'confirmed', true, true), (%s::bigint, 'objected', 'published', true, true)$$,
           c1, p1),
    'D2.7a objection_due = 5 working days after today; the former state is kept') FROM obj;
SELECT lives_ok(format('SELECT integrity.resolve_objection(%s, false, %L)', c1, '异议不成立'),
                'D2.3 objection to a confirmed record rejected') FROM obj;
SELECT is(pg_temp.state(c1), 'confirmed', 'D2.3 rejected: back to confirmed') FROM obj;
SELECT lives_ok(format('SELECT integrity.resolve_objection(%s, false, %L)', p1, '异议不成立'),
                'D2.3 objection to a published record rejected') FROM obj;
SELECT is(pg_temp.state(p1), 'published', 'D2.3 rejected: back to published') FROM obj;
SELECT lives_ok(format('SELECT integrity.resolve_objection(%s, true, %L)', c2, '异议成立, 撤销'),
                'D2.3 objection upheld') FROM obj;
SELECT is(pg_temp.state(c2), 'revoked', 'D2.3 upheld: revoked') FROM obj;
SELECT results_eq(
    format($$SELECT event, from_state::text, to_state::text, reason FROM integrity.record_event
              WHERE origin = integrity.local_origin() AND record_id = %s AND from_state = 'objected'$$, c2),
    $$VALUES ('objection_upheld', 'objected', 'revoked', '异议成立, 撤销')$$,
    'D2.3 the upheld objection is one objection_upheld event') FROM obj;
SELECT is((SELECT revoked_on FROM integrity.record WHERE origin = integrity.local_origin() AND id = c2),
          current_date, 'D2.4 revoked_on is today') FROM obj;

------------------------------------------------------------------------
-- D2.6: expire_due
------------------------------------------------------------------------
CREATE TEMP TABLE exp AS
SELECT pg_temp.fresh('published') AS gone,                 -- until = today - 400 days + 1 year
       pg_temp.rec(370) AS young,                          -- published below, until in the future of as_of
       pg_temp.fresh('confirmed') AS conf,                 -- never published
       pg_temp.fresh('objected_p') AS objp,                -- objected, not published
       pg_temp.rec((current_date - (current_date - 20 - interval '1 year')::date)) AS edge;
DO $$ DECLARE x bigint; BEGIN
    FOR x IN SELECT v.x FROM exp, LATERAL (VALUES (young), (edge)) v(x) LOOP
        PERFORM integrity.notify(x, '告知'); PERFORM integrity.confirm(x, '认定'); PERFORM integrity.publish(x);
    END LOOP;
END $$;
-- as_of: the edge record's publicity_until (about 20 days ago)
CREATE TEMP TABLE asof AS
SELECT publicity_until AS d FROM integrity.record, exp WHERE origin = integrity.local_origin() AND id = edge;
CREATE TEMP TABLE due_now AS
SELECT r.id, r.publicity_until FROM integrity.record r, asof
 WHERE r.origin = integrity.local_origin() AND r.state = 'published' AND r.publicity_until <= asof.d;
SELECT ok((SELECT count(*) FROM due_now) >= 2 AND (SELECT count(*) FROM due_now, exp WHERE due_now.id IN (gone, edge)) = 2
          AND NOT EXISTS (SELECT 1 FROM due_now, exp WHERE due_now.id = young),
          'D2.6 set-up: two records due, the young one not');
SELECT is(integrity.expire_due(d), (SELECT count(*)::integer FROM due_now),
          'D2.6 expire_due returns the number of published records whose publicity_until <= as_of') FROM asof;
SELECT is((SELECT count(*) FROM due_now d JOIN integrity.record r ON r.origin = integrity.local_origin() AND r.id = d.id
            WHERE r.state = 'expired' AND r.expired_on = d.publicity_until),
          (SELECT count(*) FROM due_now), 'D2.6 they are expired with expired_on = publicity_until');
SELECT is(integrity.expire_due(d), 0, 'SPEC 4 expire_due is idempotent: a second call returns 0') FROM asof;
SELECT results_eq(
    format($$SELECT id, state::text FROM integrity.record WHERE origin = integrity.local_origin()
              AND id IN (%s, %s, %s, %s, %s) ORDER BY id$$, gone, young, conf, objp, edge),
    format($$VALUES (%s::bigint, 'expired'), (%s::bigint, 'published'), (%s::bigint, 'confirmed'),
                    (%s::bigint, 'objected'), (%s::bigint, 'expired')$$, gone, young, conf, objp, edge),
    'D2.6 only published records at or past publicity_until expire (edge day included)') FROM exp;
SELECT results_eq(
    format($$SELECT event, from_state::text, to_state::text, reason FROM integrity.record_event
              WHERE origin = integrity.local_origin() AND record_id = %s AND event = 'expire'$$, edge),
    $$VALUES ('expire', 'published', 'expired', '公示期满 publicity period ended')$$,
    'D2.6 expiry writes one expire event') FROM exp;
SELECT throws_ok(format('SELECT integrity.expire_due(%L)', current_date + 1), '22023',
                 format('as_of %s is in the future', current_date + 1), 'SPEC 4 expire_due as_of in the future refused');

------------------------------------------------------------------------
-- D2.8: mark_remedied
------------------------------------------------------------------------
CREATE TEMP TABLE rem AS SELECT pg_temp.fresh('published') AS id;
SELECT lives_ok(format('SELECT integrity.mark_remedied(%s, %L)', id, '已主动挽回损失'),
                'D2.8 mark_remedied') FROM rem;
SELECT results_eq(
    format($$SELECT state::text, remedied, remedied_on = current_date FROM integrity.record
              WHERE origin = integrity.local_origin() AND id = %s$$, id),
    $$VALUES ('published', true, true)$$, 'D2.8 mark_remedied sets remedied and its date, state unchanged') FROM rem;
SELECT results_eq(
    format($$SELECT event, from_state::text, to_state::text, actor, reason FROM integrity.record_event
              WHERE origin = integrity.local_origin() AND record_id = %s AND event = 'remedied'$$, id),
    format($$VALUES ('remedied', 'published', 'published', %L::text, '已主动挽回损失')$$, session_user),
    'D2.8 mark_remedied writes one remedied event with the reason') FROM rem;
SELECT throws_ok(format('SELECT integrity.mark_remedied(%s, %L)', id, '再次'), '55000',
                 format('record %s is already marked remedied', id), 'D2.8 mark_remedied cannot be repeated') FROM rem;

------------------------------------------------------------------------
-- bad input: the SQLSTATE, and nothing written
------------------------------------------------------------------------
CREATE TEMP TABLE before AS SELECT pg_temp.row_counts() AS counts, pg_temp.fresh('confirmed') AS conf;
-- (the fresh record is made first; counts are taken again below)
UPDATE before SET counts = pg_temp.row_counts();

SELECT throws_ok(format('SELECT integrity.record_add(%s, %L, %L, current_date - 1, NULL, NULL, NULL)',
                        pg_temp.sid('ent'), 'no_such_category', 'general'),
                 '23503', 'unknown category "no_such_category"', 'SPEC 3 unknown category: 23503');
SELECT throws_ok(format('SELECT integrity.record_add(%s, %L, %L, current_date - 1, NULL, NULL, NULL)',
                        pg_temp.sid('ent'), 'disciplinary_sanction', 'general'),
                 '22023', 'category disciplinary_sanction does not apply to a subject of kind enterprise',
                 'D2.1 category for the wrong kind of subject: 22023');
SELECT throws_ok(format('SELECT integrity.record_add(%s, %L, %L, %L, NULL, NULL, NULL)',
                        pg_temp.sid('gov'), 'accountability', 'general', current_date + 1),
                 '22023', format('decision date %s is in the future', current_date + 1),
                 'SPEC 4 decision date in the future: 22023');
SELECT throws_ok($$SELECT integrity.subject_add('civil_servant', '李四', NULL)$$,
                 '22023', 'a civil servant needs a resident ID (cn_id)', 'SPEC 3 civil servant without cn_id: 22023');
SELECT throws_ok($$SELECT integrity.subject_add('enterprise', '乙公司', '91140400000000043X')$$,
                 '22P02', 'invalid input syntax for type integrity.uscc: "91140400000000043X"', 'D1.1 invalid uscc: 22P02');
SELECT throws_ok('SELECT integrity.notify(987654321, ''x'')', 'P0002', 'record 987654321 does not exist',
                 'SPEC 4 unknown record id: P0002');
SELECT throws_ok(format('SELECT integrity.revoke(%s, NULL)', conf), '22023',
                 format('a reason is required to move record %s to revoked', conf), 'D2.4 revoke without a reason: 22023')
  FROM before;
SELECT throws_ok(format('SELECT integrity.revoke(%s, %L)', conf, '   '), '22023',
                 format('a reason is required to move record %s to revoked', conf), 'D2.4 revoke with a blank reason: 22023')
  FROM before;
SELECT throws_ok($$SELECT integrity.set_origin('140500')$$, '55000',
                 'the origin is already 140400 and this platform has records', 'SPEC 3 set_origin refused once records exist');
SELECT is(integrity.local_origin(), '140400', 'SPEC 3 the origin is unchanged');
SELECT is(pg_temp.row_counts(), counts, 'SPEC 3-4 the refused calls wrote nothing') FROM before;

------------------------------------------------------------------------
-- SPEC 3 calendar
------------------------------------------------------------------------
SELECT throws_ok($$UPDATE integrity.calendar SET is_workday = true WHERE day = '2026-10-01'$$, '55000',
                 'row of integrity.calendar is seeded by the extension and cannot be changed',
                 'D2.5 a seeded calendar row cannot be updated');
SELECT throws_ok($$DELETE FROM integrity.calendar WHERE day = '2026-10-10'$$, '55000',
                 'row of integrity.calendar is seeded by the extension and cannot be changed',
                 'D2.5 a seeded calendar row cannot be deleted');
SELECT is(integrity.add_workdays('2025-11-07', 1), '2025-11-10'::date, 'D2.5 before: Friday + 1 is Monday');
SET LOCAL ROLE integrity_admin;
SELECT lives_ok($$INSERT INTO integrity.calendar (day, is_workday, note) VALUES ('2025-11-10', false, '测试停工日')$$,
                'SPEC 8 integrity_admin adds a calendar row');
RESET ROLE;
SELECT is(integrity.add_workdays('2025-11-07', 1), '2025-11-11'::date, 'D2.5 an admin-added holiday changes add_workdays');
SELECT is(integrity.workdays_between('2025-11-07', '2025-11-11'), 1, 'D2.5 and workdays_between');

------------------------------------------------------------------------
-- SPEC 8 roles (nothing granted beyond what CREATE EXTENSION grants)
------------------------------------------------------------------------
CREATE TEMP TABLE opr (subject bigint, rec bigint);
GRANT ALL ON opr TO PUBLIC;
SET LOCAL ROLE integrity_operator;
-- (a valid code the database does not hold yet)
SELECT lives_ok(format($$INSERT INTO opr (subject) VALUES (integrity.subject_add('enterprise', '丙科技有限公司', %L))$$,
                       (SELECT c FROM unnest(ARRAY['91350100M000100Y43', '11140400000000035A', 'A1110000600037341K',
                                                   '11140400000000027F']) c
                         WHERE NOT EXISTS (SELECT 1 FROM integrity.subject s
                                            WHERE s.origin = integrity.local_origin() AND s.uscc::text = c)
                         LIMIT 1)),
                'SPEC 8 integrity_operator calls subject_add');
SELECT lives_ok($$UPDATE opr SET rec = integrity.record_add(subject, 'breach_of_contract', 'serious', current_date - 30,
                                                            '合同纠纷', '长治市住建局', '拖欠工程款')$$,
                'SPEC 8 integrity_operator calls record_add');
SELECT lives_ok('SELECT integrity.notify(rec, ''书面告知'') FROM opr', 'SPEC 8 integrity_operator calls notify');
SELECT lives_ok('SELECT integrity.confirm(rec, ''认定'') FROM opr', 'SPEC 8 integrity_operator calls confirm');
SELECT lives_ok('SELECT integrity.publish(rec) FROM opr', 'SPEC 8 integrity_operator calls publish');
SELECT throws_ok($$INSERT INTO integrity.record (origin, id, subject_id, category, kind, severity, decided_on,
                        publishable, publish_due, repair_allowed_from, publicity_until)
                   SELECT '140400', 999999, subject, 'admin_penalty', 'dishonest', 'general', current_date,
                          true, current_date, current_date, current_date FROM opr$$,
                 '42501', 'permission denied for table record', 'SPEC 8 integrity_operator cannot INSERT into record');
SELECT throws_ok('UPDATE integrity.record SET state = ''revoked'' WHERE id = (SELECT rec FROM opr)',
                 '42501', 'permission denied for table record', 'SPEC 8 integrity_operator cannot UPDATE record');
SELECT throws_ok('DELETE FROM integrity.record WHERE id = (SELECT rec FROM opr)',
                 '42501', 'permission denied for table record', 'SPEC 8 integrity_operator cannot DELETE from record');
RESET ROLE;
SELECT results_eq('SELECT r.state::text, e.actor FROM opr JOIN integrity.record r ON r.origin = integrity.local_origin() AND r.id = opr.rec
                     JOIN integrity.record_event e ON e.origin = r.origin AND e.record_id = r.id AND e.event = ''publish''',
                  format($$VALUES ('published', %L::text)$$, session_user),
                  'SPEC 4 the operator''s calls took effect; actor is the session user');
SET LOCAL ROLE integrity_reader;
SELECT throws_ok(format('SELECT integrity.record_add(%s, %L, %L, current_date, NULL, NULL, NULL)',
                        pg_temp.sid('gov'), 'accountability', 'general'),
                 '42501', 'permission denied for function record_add', 'SPEC 8 integrity_reader cannot call record_add');
RESET ROLE;

------------------------------------------------------------------------
-- record_guard reads both rows once and compares them in one pass; rows
-- whose columns before the lifecycle tail are byte for byte the same are
-- not compared column by column.  The same rules on a copy of the table
-- (the trigger guards any table shaped like integrity.record), through
-- the fast path, the column-by-column path (a changed, a compressed or a
-- missing value) and after ALTER TABLE (the layout is rebuilt).
------------------------------------------------------------------------
CREATE TEMP TABLE g (LIKE integrity.record INCLUDING DEFAULTS INCLUDING CONSTRAINTS);
CREATE TRIGGER record_guard BEFORE INSERT OR UPDATE OR DELETE ON g
    FOR EACH ROW EXECUTE FUNCTION integrity.record_guard();
CREATE TEMP TABLE gsrc AS SELECT pg_temp.rec(40) AS a, pg_temp.rec(41) AS b;
INSERT INTO g SELECT r.* FROM integrity.record r, gsrc
 WHERE r.origin = integrity.local_origin() AND r.id IN (gsrc.a, gsrc.b);
ALTER TABLE g DISABLE TRIGGER record_guard;
UPDATE g SET id = CASE WHEN id = (SELECT a FROM gsrc) THEN 900000001 ELSE 900000002 END,
             updated_at = now() - interval '1 day';
ALTER TABLE g ENABLE TRIGGER record_guard;
SELECT lives_ok($$UPDATE g SET state = 'notified' WHERE id = 900000001;
                  UPDATE g SET state = 'confirmed' WHERE id = 900000001;
                  UPDATE g SET state = 'published' WHERE id = 900000001$$,
                'D2.2 direct transitions on a table guarded by record_guard');
SELECT results_eq($$SELECT state::text, confirmed_on, published_on, updated_at = now() FROM g WHERE id = 900000001$$,
                  $$VALUES ('published', current_date, current_date, true)$$,
                  'D2.2 the transition dates and updated_at are set by the trigger');
SELECT lives_ok($$UPDATE g SET state = state WHERE id = 900000001$$,
                'an UPDATE that changes nothing (updated_at already now) is taken as it is');
SELECT is(pg_temp.err($$UPDATE g SET summary = summary || '改' WHERE id = 900000001$$),
          '55000 | cannot change the content of record 900000001 in state published (update to state published) | Column "summary" would change; the content of a record is fixed once it is confirmed, and never changes together with a transition.',
          'SPEC 4 a content change of a published record names its column');
SELECT is(pg_temp.err($$UPDATE g SET state = 'objected', objection_due = current_date + 5, repaired_on = current_date WHERE id = 900000001$$),
          '55000 | column "repaired_on" of record 900000001 is set by the lifecycle, not by the caller (state published to objected) | ',
          'SPEC 4 a lifecycle column set together with a transition is refused');
SELECT lives_ok($$UPDATE g SET state = 'objected', objection_due = current_date + 5 WHERE id = 900000001$$,
                'D2.3 direct objection');
SELECT results_eq($$SELECT state::text, state_before_objection::text, objected_on FROM g WHERE id = 900000001$$,
                  $$VALUES ('objected', 'published', current_date)$$,
                  'D2.3 the objection records the state before it and its date');
SELECT lives_ok($$UPDATE g SET remedied = true WHERE id = 900000001$$, 'D2.8 remedied without a transition');
SELECT results_eq($$SELECT remedied, remedied_on FROM g WHERE id = 900000001$$, $$VALUES (true, current_date)$$,
                  'D2.8 remedied_on is set by the trigger');
-- a long summary: stored with a 4-byte header, and compressed when large
SELECT lives_ok($$UPDATE g SET summary = repeat('长治', 100) WHERE id = 900000002;
                  UPDATE g SET state = 'notified' WHERE id = 900000002;
                  UPDATE g SET summary = repeat('长治市', 2000) WHERE id = 900000002;
                  UPDATE g SET state = 'confirmed' WHERE id = 900000002$$,
                'corrections of a notified record, then its confirmation, with long summaries');
SELECT is(pg_temp.err($$UPDATE g SET summary = repeat('长治县', 2000) WHERE id = 900000002$$),
          '55000 | cannot change the content of record 900000002 in state confirmed (update to state confirmed) | Column "summary" would change; the content of a record is fixed once it is confirmed, and never changes together with a transition.',
          'SPEC 4 a change of a compressed summary of the same length is found');
SELECT results_eq($$SELECT state::text, confirmed_on, length(summary) FROM g WHERE id = 900000002$$,
                  $$VALUES ('confirmed', current_date, 6000)$$, 'the confirmed record with its long summary');
-- rows older than an added column; the new column is content
ALTER TABLE g ADD COLUMN note text DEFAULT '备注';
SELECT lives_ok($$UPDATE g SET state = 'published' WHERE id = 900000002$$,
                'a transition of a row older than an added column');
SELECT results_eq($$SELECT state::text, published_on, note FROM g WHERE id = 900000002$$,
                  $$VALUES ('published', current_date, '备注')$$, 'its date is set and the new column kept');
SELECT is(pg_temp.err($$UPDATE g SET note = '改' WHERE id = 900000002$$),
          '55000 | cannot change the content of record 900000002 in state published (update to state published) | Column "note" would change; the content of a record is fixed once it is confirmed, and never changes together with a transition.',
          'SPEC 4 a column added after the trigger''s first use is content too');
ALTER TABLE g DROP COLUMN document_no;
SELECT lives_ok($$UPDATE g SET state = 'revoked' WHERE id = 900000002$$, 'D2.4 a transition after a column is dropped');
SELECT results_eq($$SELECT state::text, revoked_on FROM g WHERE id = 900000002$$,
                  $$VALUES ('revoked', current_date)$$, 'D2.4 the revocation date is set');
SELECT is(pg_temp.err($$UPDATE g SET source_unit = '另一单位' WHERE id = 900000002$$),
          '55000 | cannot change the content of record 900000002 in state revoked (update to state revoked) | Column "source_unit" would change; the content of a record is fixed once it is confirmed, and never changes together with a transition.',
          'SPEC 4 content stays fixed after a column is dropped');

SELECT * FROM finish();
ROLLBACK;
