-- pgTAP: the signed credit report 信用报告 (issue 17; SPEC 11; DOMAIN
-- D1.4, D6).  Subjects with no, one and many disclosures (publish,
-- objection, objection_resolved, repair, revoke, expire, a commitment),
-- persons masked, the report's signature checked in SQL, every inclusion
-- proof checked against tree_head() by an RFC 9162 verifier written here,
-- the back-links, and every error path.  Runs as a superuser with
-- integrity.signing_key_file configured; everything is rolled back.
BEGIN;
CREATE EXTENSION IF NOT EXISTS pgtap;
CREATE EXTENSION IF NOT EXISTS integrity;
SELECT plan(45);
SET LOCAL client_min_messages = warning;
SELECT integrity.set_origin('140400') \gset

CREATE SCHEMA rp_t;
GRANT USAGE ON SCHEMA rp_t TO PUBLIC;

-- the subjects of this test (fresh ones: the database may hold others)
CREATE TABLE rp_t.subj (name text PRIMARY KEY, id bigint NOT NULL);
GRANT SELECT ON rp_t.subj TO PUBLIC;
INSERT INTO rp_t.subj VALUES
    ('none', integrity.subject_add('enterprise', '晋城无记录有限公司', '91140400000000078F')),
    ('one',  integrity.subject_add('enterprise', '长治一条记录有限公司', '91350100M000100Y43')),
    ('many', integrity.subject_add('government', '长治市人民政府', '11140400000000019L')),
    ('cs',   integrity.subject_add('civil_servant', '欧阳明华', '140402198501011237'));
CREATE FUNCTION rp_t.sid(n text) RETURNS bigint LANGUAGE sql STABLE
    AS $$ SELECT id FROM rp_t.subj WHERE name = n $$;

-- a general record of subject n decided `age` days ago, brought to confirmed
CREATE FUNCTION rp_t.confirmed(n text, age integer, cat text DEFAULT 'accountability') RETURNS bigint
    LANGUAGE plpgsql AS $$
DECLARE r bigint;
BEGIN
    r := integrity.record_add(rp_t.sid(n), cat, 'general', current_date - age,
                              '长治问责〔2025〕' || age || '号', '长治市纪委监委', '测试记录 ' || n);
    PERFORM integrity.notify(r, '书面告知');
    PERFORM integrity.confirm(r, '认定');
    RETURN r;
END $$;

-- RFC 9162 2.1.3.2, written here independently of src/merkle_core.c
CREATE FUNCTION rp_t.inclusion_ok(idx bigint, size bigint, leaf bytea, proof bytea[], root bytea)
    RETURNS boolean LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE fn bigint := idx; sn bigint := size - 1; r bytea := leaf; p bytea;
BEGIN
    IF idx >= size THEN RETURN false; END IF;
    FOREACH p IN ARRAY coalesce(proof, '{}') LOOP
        IF sn = 0 THEN RETURN false; END IF;
        IF fn & 1 = 1 OR fn = sn THEN
            r := sha256('\x01'::bytea || p || r);
            WHILE fn & 1 = 0 AND fn <> 0 LOOP
                fn := fn >> 1; sn := sn >> 1;
            END LOOP;
        ELSE
            r := sha256('\x01'::bytea || r || p);
        END IF;
        fn := fn >> 1; sn := sn >> 1;
    END LOOP;
    RETURN sn = 0 AND r = root;
END $$;

-- the report's signature, checked with the SQL primitives only
CREATE FUNCTION rp_t.signed(doc text) RETURNS boolean LANGUAGE sql AS $$
    SELECT integrity.ed25519_verify(
        integrity.public_key(doc::jsonb #>> '{signature,key_id}'),
        convert_to('integrity-credit-report/v1' || chr(10), 'UTF8')
            || convert_to(integrity.canonical_json((doc::jsonb -> 'body')::text), 'UTF8'),
        decode(doc::jsonb #>> '{signature,value}', 'hex'))
$$;

-- the error of a statement as 'SQLSTATE: message'
CREATE FUNCTION rp_t.err(q text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE q;
    RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
    RETURN SQLSTATE || ': ' || SQLERRM;
END $$;

------------------------------------------------------------------------
-- the workload: "many" gets every disclosed event, interleaved with
-- disclosures about other subjects so that its back-links skip them
------------------------------------------------------------------------
CREATE TABLE rp_t.r (k text PRIMARY KEY, id bigint);
INSERT INTO rp_t.r VALUES ('one', rp_t.confirmed('one', 30, 'admin_penalty'));
SELECT integrity.publish(id) FROM rp_t.r WHERE k = 'one';
INSERT INTO rp_t.r VALUES ('m_pub', rp_t.confirmed('many', 400)), ('m_obj', rp_t.confirmed('many', 400)),
                          ('m_rep', rp_t.confirmed('many', 400)), ('m_rev', rp_t.confirmed('many', 400)),
                          ('m_exp', rp_t.confirmed('many', 700)), ('cs', rp_t.confirmed('cs', 40, 'disciplinary_sanction')),
                          ('cs2', rp_t.confirmed('cs', 41, 'disciplinary_sanction'));
SELECT integrity.publish(id) FROM rp_t.r WHERE k IN ('m_pub', 'm_obj', 'm_rep', 'm_rev', 'm_exp', 'cs') ORDER BY k;
SELECT integrity.object((SELECT id FROM rp_t.r WHERE k = 'm_obj'), '主体提出异议');
SELECT integrity.publish(id) FROM rp_t.r WHERE k = 'cs2';
SELECT integrity.resolve_objection((SELECT id FROM rp_t.r WHERE k = 'm_obj'), false, '异议不成立');
SELECT integrity.repair((SELECT id FROM rp_t.r WHERE k = 'm_rep'), '已整改并作出信用承诺');
SELECT integrity.revoke((SELECT id FROM rp_t.r WHERE k = 'm_rev'), '信息错误');
SELECT integrity.expire_due((SELECT publicity_until FROM integrity.record
                              WHERE origin = '140400' AND id = (SELECT id FROM rp_t.r WHERE k = 'm_exp')));
SELECT integrity.commitment_add(rp_t.sid('many'), 'service', '行政审批三个工作日办结', '平政发〔2026〕1号',
                                date '2026-06-01', date '2026-06-30') AS commitment \gset

CREATE TABLE rp_t.rep AS
SELECT name, integrity.credit_report(id) AS doc FROM rp_t.subj;
CREATE FUNCTION rp_t.doc(n text) RETURNS text LANGUAGE sql STABLE AS $$ SELECT doc FROM rp_t.rep WHERE name = n $$;
CREATE FUNCTION rp_t.body(n text) RETURNS jsonb LANGUAGE sql STABLE AS $$ SELECT doc::jsonb -> 'body' FROM rp_t.rep WHERE name = n $$;
-- the entries of a report with their payloads parsed
CREATE VIEW rp_t.entry AS
SELECT r.name, (e ->> 'seq')::bigint AS seq, e ->> 'event' AS event, (e ->> 'payload')::jsonb AS payload, e, i
  FROM rp_t.rep r, jsonb_array_elements(r.doc::jsonb #> '{body,entries}') WITH ORDINALITY AS x(e, i);
SELECT * INTO TEMP th FROM integrity.tree_head();

------------------------------------------------------------------------
-- the document
------------------------------------------------------------------------
SELECT is((SELECT count(*) FROM rp_t.rep WHERE integrity.canonical_json(doc) = doc), 4::bigint,
          'issue 17 every report is canonical JSON (RFC 8785, the payloads'' writer)');
SELECT is((SELECT array_agg(k ORDER BY k) FROM jsonb_object_keys(rp_t.doc('one')::jsonb) k),
          '{body,signature}', 'issue 17 a report is {body, signature}');
SELECT is((rp_t.doc('one')::jsonb -> 'signature') - 'key_id'::text - 'value'::text,
          '{"algorithm": "Ed25519", "domain": "integrity-credit-report/v1"}'::jsonb,
          'issue 17 the signature is Ed25519 in the report''s own domain');
SELECT is(rp_t.doc('one')::jsonb #>> '{signature,key_id}', integrity._current_key_id(),
          'issue 17 signed by the platform key in use');
SELECT is((SELECT count(*) FROM rp_t.rep WHERE rp_t.signed(doc)), 4::bigint,
          'issue 17 the report signature verifies in SQL over "integrity-credit-report/v1\n" || body');
SELECT ok(NOT rp_t.signed(replace(rp_t.doc('one'), '"as_of":"' || current_date, '"as_of":"' || (current_date - 1))),
          'issue 17 a changed as_of breaks the signature');
SELECT ok(NOT integrity.ed25519_verify(integrity.public_key(rp_t.doc('one')::jsonb #>> '{signature,key_id}'),
                                       convert_to(integrity.canonical_json(rp_t.body('one')::text), 'UTF8'),
                                       decode(rp_t.doc('one')::jsonb #>> '{signature,value}', 'hex')),
          'issue 17 domain separation: the signature is not one over the body alone');
SELECT is(rp_t.body('one') ->> 'format', 'integrity-credit-report/v1', 'issue 17 format');
SELECT is(rp_t.body('one') ->> 'origin', '140400', 'issue 17 the platform origin');
SELECT is(rp_t.body('one') ->> 'as_of', current_date::text, 'issue 17 as_of defaults to today');
SELECT is(rp_t.body('many') -> 'subject',
          jsonb_build_object('id', rp_t.sid('many'), 'kind', 'government', 'name', '长治市人民政府',
                             'code', '11140400000000019L', 'region', '140400', 'parent_id', NULL),
          'issue 17 the subject, unmasked for an organization');
SELECT ok(rp_t.body('none') ? 'proves' AND rp_t.body('none') ? 'does_not_prove'
          AND jsonb_array_length(rp_t.body('none') #> '{does_not_prove,zh}') = jsonb_array_length(rp_t.body('none') #> '{does_not_prove,en}'),
          'issue 17 the report says what it proves and what not, in Chinese and English');

------------------------------------------------------------------------
-- D1.4: persons masked
------------------------------------------------------------------------
SELECT is(rp_t.body('cs') #>> '{subject,name}', integrity.mask_name('欧阳明华'), 'D1.4 a person''s name masked in the report');
SELECT is(rp_t.body('cs') #>> '{subject,code}', integrity.mask('140402198501011237'::integrity.cn_id),
          'D1.4 a person''s resident ID masked in the report');
SELECT is(strpos(rp_t.doc('cs'), '明华') + strpos(rp_t.doc('cs'), '19850101'), 0,
          'D1.4 the full name and ID appear nowhere in the report, entries included');

------------------------------------------------------------------------
-- the evaluation and the lists at as_of
------------------------------------------------------------------------
SELECT is(rp_t.body('many') -> 'punishment_status',
          (SELECT jsonb_build_object('level', level, 'reasons', to_jsonb(reasons), 'listed_from', listed_from,
                                     'listed_until', listed_until)
             FROM integrity.punishment_status(rp_t.sid('many'))),
          'SPEC 5 punishment_status in the report is the function''s at as_of');
SELECT is(rp_t.body('many') -> 'incentive_status',
          (SELECT jsonb_build_object('eligible', eligible, 'failed', to_jsonb(failed), 'valid_until', valid_until)
             FROM integrity.incentive_status(rp_t.sid('many'))),
          'SPEC 5 incentive_status in the report is the function''s at as_of');
SELECT is(rp_t.body('many') -> 'restrictions',
          coalesce((SELECT jsonb_agg(m) FROM integrity.restrictions(rp_t.sid('many')) m), '[]'),
          'SPEC 5 restrictions in the report');
SELECT is((rp_t.body('many') #>> '{evaluation,score}')::numeric,
          (SELECT score FROM integrity.evaluate(rp_t.sid('many'))), 'SPEC 5 the evaluation''s score in the report');
SELECT is(integrity.credit_report(rp_t.sid('many'), current_date - 365)::jsonb #>> '{body,as_of}',
          (current_date - 365)::text, 'SPEC 5 a report of a past day says so');
SELECT is((integrity.credit_report(rp_t.sid('many'), current_date - 365)::jsonb #>> '{body,evaluation,score}')::numeric,
          (SELECT score FROM integrity.evaluate(rp_t.sid('many'), current_date - 365)),
          'SPEC 5 a past day''s evaluation is re-evaluated at that day');

------------------------------------------------------------------------
-- the entries: none, one, many
------------------------------------------------------------------------
SELECT is(jsonb_array_length(rp_t.body('none') -> 'entries'), 0, 'issue 17 a subject without disclosures: no entries');
SELECT is((SELECT array_agg(event ORDER BY seq) FROM rp_t.entry WHERE name = 'one'), '{publish}',
          'issue 17 a subject with one disclosure: that entry');
SELECT is((SELECT array_agg(seq ORDER BY seq) FROM rp_t.entry WHERE name = 'many'),
          (SELECT array_agg(d.seq ORDER BY d.seq) FROM integrity.disclosure d
            WHERE d.origin = '140400' AND (d.record_id IN (SELECT id FROM rp_t.r WHERE k LIKE 'm\_%')
                                           OR d.payload::jsonb ->> 'commitment_id' = :'commitment')),
          'issue 17 many disclosures: every entry about the subject, in seq order, records and commitment');
SELECT is((SELECT array_agg(DISTINCT event ORDER BY event) FROM rp_t.entry WHERE name = 'many'),
          '{commitment_made,expire,objection,objection_resolved,publish,repair,revoke}',
          'issue 17 the entries cover every disclosed event');
SELECT is((SELECT count(*) FROM rp_t.entry x JOIN integrity.disclosure d ON d.origin = '140400' AND d.seq = x.seq
            WHERE x.name = 'many' AND x.e ->> 'payload' = d.payload AND decode(x.e ->> 'entry_hash', 'hex') = d.entry_hash
              AND decode(x.e ->> 'payload_hash', 'hex') = d.payload_hash AND decode(x.e ->> 'prev_hash', 'hex') = d.prev_hash
              AND decode(x.e ->> 'signature', 'hex') = d.signature AND x.e ->> 'key_id' = d.key_id),
          (SELECT count(*) FROM rp_t.entry WHERE name = 'many'),
          'issue 17 each entry is the log''s row: payload, hashes, key_id, signature');
SELECT is((SELECT count(*) FROM rp_t.entry x
            WHERE integrity.ed25519_verify(integrity.public_key(x.e ->> 'key_id'), decode(x.e ->> 'entry_hash', 'hex'),
                                           decode(x.e ->> 'signature', 'hex'))),
          (SELECT count(*) FROM rp_t.entry), 'SPEC 6 every entry''s signature verifies');
SELECT is((SELECT count(*) FROM rp_t.entry x WHERE sha256(convert_to(x.e ->> 'payload', 'UTF8')) = decode(x.e ->> 'payload_hash', 'hex')),
          (SELECT count(*) FROM rp_t.entry), 'SPEC 6 every entry''s payload_hash is the SHA-256 of its payload');

------------------------------------------------------------------------
-- the back-links (prev_seq)
------------------------------------------------------------------------
SELECT is((SELECT count(*) FROM rp_t.entry x WHERE (x.payload ->> 'subject_id')::bigint = rp_t.sid(x.name)),
          (SELECT count(*) FROM rp_t.entry), 'issue 17 every entry''s payload names its subject (subject_id)');
SELECT is((SELECT array_agg((payload ->> 'prev_seq')::bigint ORDER BY seq) FROM rp_t.entry WHERE name = 'many'),
          (SELECT array_agg(p ORDER BY seq) FROM (SELECT seq, coalesce(lag(seq) OVER (ORDER BY seq), 0) AS p
                                                    FROM rp_t.entry WHERE name = 'many') l),
          'issue 17 each entry names the previous entry about the same subject, 0 for the first: an unbroken chain');
SELECT ok((SELECT bool_or(x.seq - (x.payload ->> 'prev_seq')::bigint > 1) FROM rp_t.entry x WHERE x.name = 'many' AND x.i > 1),
          'issue 17 the chain skips the entries about other subjects');
SELECT is((SELECT (payload ->> 'prev_seq')::bigint FROM rp_t.entry WHERE name = 'one'), 0::bigint,
          'issue 17 a subject''s first disclosure names prev_seq 0');
SELECT is((SELECT count(*) FROM integrity.disclosure d WHERE d.origin = '140400' AND d.seq > (SELECT tree_size FROM th) - 12
              AND d.subject_id IS DISTINCT FROM (d.payload::jsonb ->> 'subject_id')::bigint), 0::bigint,
          'issue 17 disclosure.subject_id is the payload''s subject_id');

------------------------------------------------------------------------
-- the checkpoint and the inclusion proofs, against tree_head()
------------------------------------------------------------------------
SELECT is(rp_t.body('many') #>> '{checkpoint,text}', (SELECT checkpoint FROM th),
          'issue 17 the checkpoint is tree_head()''s text, as it returns it');
SELECT is((rp_t.body('many') #>> '{checkpoint,tree_size}')::bigint, (SELECT tree_size FROM th),
          'issue 17 the checkpoint''s tree size');
SELECT is(decode(rp_t.body('many') #>> '{checkpoint,root_hash}', 'hex'), (SELECT root_hash FROM th),
          'issue 17 the checkpoint''s root hash');
SELECT is((SELECT count(*) FROM rp_t.entry x
            WHERE rp_t.inclusion_ok(x.seq - 1, (SELECT tree_size FROM th), integrity.merkle_leaf_hash(decode(x.e ->> 'entry_hash', 'hex')),
                                    ARRAY(SELECT decode(h, 'hex') FROM jsonb_array_elements_text(x.e -> 'inclusion_proof') WITH ORDINALITY p(h, o) ORDER BY o),
                                    (SELECT root_hash FROM th))),
          (SELECT count(*) FROM rp_t.entry), 'RFC 9162 every inclusion proof leads to tree_head()''s root');
SELECT is((SELECT count(*) FROM rp_t.entry x
            WHERE ARRAY(SELECT decode(h, 'hex') FROM jsonb_array_elements_text(x.e -> 'inclusion_proof') WITH ORDINALITY p(h, o) ORDER BY o)
                  = integrity.inclusion_proof(x.seq, (SELECT tree_size FROM th))),
          (SELECT count(*) FROM rp_t.entry), 'RFC 9162 every proof is inclusion_proof(seq, tree size)');
SELECT ok(NOT rp_t.inclusion_ok(x.seq - 1, (SELECT tree_size FROM th), integrity.merkle_leaf_hash(decode(x.e ->> 'entry_hash', 'hex')),
                                integrity.inclusion_proof(x.seq, (SELECT tree_size FROM th) - 1), (SELECT root_hash FROM th)),
          'RFC 9162 a proof for another tree size does not lead to the root')
  FROM rp_t.entry x WHERE x.name = 'many' ORDER BY x.seq LIMIT 1;

------------------------------------------------------------------------
-- who may ask, and the errors
------------------------------------------------------------------------
CREATE ROLE rp10_reader IN ROLE integrity_reader;
CREATE ROLE rp10_operator IN ROLE integrity_operator;
SET LOCAL ROLE rp10_reader;
SELECT is(rp_t.err(format('SELECT integrity.credit_report(%s)', rp_t.sid('one'))),
          '42501: permission denied for function credit_report', 'issue 17 a reader role cannot request a report');
RESET ROLE;
SET LOCAL ROLE rp10_operator;
SELECT ok(rp_t.signed(integrity.credit_report(rp_t.sid('one'))), 'issue 17 an operator requests a signed report');
RESET ROLE;
SELECT is(rp_t.err('SELECT integrity.credit_report(999999999)'), 'P0002: subject 999999999 does not exist',
          'issue 17 an unknown subject: P0002');
SELECT is(rp_t.err(format('SELECT integrity.credit_report(%s, current_date + 1)', rp_t.sid('one'))),
          format('22023: a credit report is of today or a past day, not %s', current_date + 1),
          'SPEC 5 a report of a future day is refused: 22023');
SELECT is(rp_t.err(format('SELECT integrity.credit_report(%s, ''infinity'')', rp_t.sid('one'))),
          '22023: a credit report is of today or a past day, not infinity', 'issue 17 an infinite as_of: 22023');
SELECT ok(integrity.credit_report(NULL) IS NULL AND integrity.credit_report(rp_t.sid('one'), NULL) IS NULL,
          'issue 17 STRICT: a NULL argument gives NULL');

SELECT * FROM finish();
ROLLBACK;
