-- pgTAP: the signed, hash-chained disclosure log and its Merkle tree
-- (SPEC 6, 8; DOMAIN D1.4, D5a, D6).
--
-- Every hash, signature, Merkle root and proof is recomputed here in SQL with
-- the built-in sha256() and small PL/pgSQL verifiers written from RFC 6962 /
-- RFC 9162 (2.1.3.2 inclusion, 2.1.4.2 consistency) and the C2SP signed-note
-- rules, independently of src/log.c and src/merkle_core.c.  Runs as a
-- superuser with integrity.signing_key_file configured; everything is rolled
-- back at the end.
BEGIN;
CREATE EXTENSION IF NOT EXISTS pgtap;
CREATE EXTENSION IF NOT EXISTS integrity;
SELECT plan(182);

CREATE SCHEMA disclosure_t;

------------------------------------------------------------------------
-- helpers
------------------------------------------------------------------------
-- Merkle tree heads seen while the log grew: (size, root, checkpoint)
CREATE TABLE disclosure_t.heads (tree_size bigint, root_hash bytea, checkpoint text);

CREATE FUNCTION disclosure_t.size() RETURNS bigint LANGUAGE sql AS $$
    SELECT count(*) FROM integrity.disclosure WHERE origin = integrity.local_origin()
$$;

-- run cmd; return the disclosures it appended as 'event:record_id', in seq
-- order, and remember the tree head after each change
CREATE FUNCTION disclosure_t.step(cmd text) RETURNS text[] LANGUAGE plpgsql AS $$
DECLARE before bigint; r text[];
BEGIN
    SELECT coalesce(max(seq), 0) INTO before FROM integrity.disclosure WHERE origin = integrity.local_origin();
    EXECUTE cmd;
    SELECT coalesce(array_agg(event || ':' || record_id ORDER BY seq), '{}') INTO r
      FROM integrity.disclosure WHERE origin = integrity.local_origin() AND seq > before;
    IF cardinality(r) > 0 THEN
        INSERT INTO disclosure_t.heads SELECT * FROM integrity.tree_head();
    END IF;
    RETURN r;
END $$;

-- a new record of subj, collected, notified and confirmed
CREATE FUNCTION disclosure_t.confirmed(subj bigint, cat text, sev text, days integer, doc text) RETURNS bigint
    LANGUAGE plpgsql AS $$
DECLARE id bigint;
BEGIN
    id := integrity.record_add(subj, cat, sev::integrity.severity, current_date - days, doc,
                               '长治市市场监督管理局', '违法事实 ' || doc);
    PERFORM integrity.notify(id, '书面告知');
    PERFORM integrity.confirm(id, '认定');
    RETURN id;
END $$;

-- entry hashes of seq 1..n of the local log
CREATE FUNCTION disclosure_t.entries(n bigint) RETURNS bytea[] LANGUAGE sql AS $$
    SELECT coalesce(array_agg(entry_hash ORDER BY seq), '{}') FROM integrity.disclosure
     WHERE origin = integrity.local_origin() AND seq <= n
$$;

-- RFC 6962 2.1 Merkle Tree Hash of leaves[lo+1 .. hi] (leaf data, 1-based array)
CREATE FUNCTION disclosure_t.mth(leaves bytea[], lo bigint, hi bigint) RETURNS bytea
    LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE n bigint := hi - lo; k bigint := 1;
BEGIN
    IF n = 0 THEN RETURN sha256(''::bytea); END IF;
    IF n = 1 THEN RETURN sha256('\x00'::bytea || leaves[lo + 1]); END IF;
    WHILE k * 2 < n LOOP k := k * 2; END LOOP;
    RETURN sha256('\x01'::bytea || disclosure_t.mth(leaves, lo, lo + k) || disclosure_t.mth(leaves, lo + k, hi));
END $$;

CREATE FUNCTION disclosure_t.root(n bigint) RETURNS bytea LANGUAGE sql AS $$
    SELECT disclosure_t.mth(disclosure_t.entries(n), 0, n)
$$;

CREATE FUNCTION disclosure_t.leaf(seq bigint) RETURNS bytea LANGUAGE sql AS $$
    SELECT sha256('\x00'::bytea || d.entry_hash) FROM integrity.disclosure d
     WHERE d.origin = integrity.local_origin() AND d.seq = leaf.seq
$$;

-- RFC 9162 2.1.3.2: verify an inclusion proof of the leaf hash at 0-based
-- index idx in a tree of size sz with root hash root
CREATE FUNCTION disclosure_t.verify_inclusion(idx bigint, sz bigint, leaf_hash bytea, proof bytea[], root bytea)
    RETURNS boolean LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE fn bigint := idx; sn bigint := sz - 1; r bytea := leaf_hash; p bytea;
BEGIN
    IF idx IS NULL OR sz IS NULL OR idx < 0 OR idx >= sz OR leaf_hash IS NULL OR root IS NULL THEN
        RETURN false;
    END IF;
    FOREACH p IN ARRAY coalesce(proof, '{}'::bytea[]) LOOP
        IF p IS NULL OR length(p) <> 32 OR sn = 0 THEN RETURN false; END IF;
        IF fn & 1 = 1 OR fn = sn THEN
            r := sha256('\x01'::bytea || p || r);
            IF fn & 1 = 0 THEN
                WHILE NOT (fn & 1 = 1 OR fn = 0) LOOP fn := fn >> 1; sn := sn >> 1; END LOOP;
            END IF;
        ELSE
            r := sha256('\x01'::bytea || r || p);
        END IF;
        fn := fn >> 1; sn := sn >> 1;
    END LOOP;
    RETURN sn = 0 AND r = root;
END $$;

-- RFC 9162 2.1.4.2: verify a consistency proof between trees of size m and n
CREATE FUNCTION disclosure_t.verify_consistency(m bigint, n bigint, proof bytea[], root1 bytea, root2 bytea)
    RETURNS boolean LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE path bytea[] := coalesce(proof, '{}'::bytea[]); fn bigint; sn bigint; fr bytea; sr bytea; c bytea; i int;
BEGIN
    IF m IS NULL OR n IS NULL OR m < 1 OR n < m OR root1 IS NULL OR root2 IS NULL THEN RETURN false; END IF;
    IF m = n THEN RETURN cardinality(path) = 0 AND root1 = root2; END IF;
    IF cardinality(path) = 0 THEN RETURN false; END IF;
    FOREACH c IN ARRAY path LOOP
        IF c IS NULL OR length(c) <> 32 THEN RETURN false; END IF;
    END LOOP;
    IF m & (m - 1) = 0 THEN path := array_prepend(root1, path); END IF;
    fn := m - 1; sn := n - 1;
    WHILE fn & 1 = 1 LOOP fn := fn >> 1; sn := sn >> 1; END LOOP;
    fr := path[1]; sr := path[1];
    FOR i IN 2 .. cardinality(path) LOOP
        c := path[i];
        IF sn = 0 THEN RETURN false; END IF;
        IF fn & 1 = 1 OR fn = sn THEN
            fr := sha256('\x01'::bytea || c || fr);
            sr := sha256('\x01'::bytea || c || sr);
            IF fn & 1 = 0 THEN
                WHILE NOT (fn & 1 = 1 OR fn = 0) LOOP fn := fn >> 1; sn := sn >> 1; END LOOP;
            END IF;
        ELSE
            sr := sha256('\x01'::bytea || sr || c);
        END IF;
        fn := fn >> 1; sn := sn >> 1;
    END LOOP;
    RETURN fr = root1 AND sr = root2 AND sn = 0;
END $$;

-- flip bit 3 of the first byte
CREATE FUNCTION disclosure_t.flip(b bytea) RETURNS bytea LANGUAGE sql IMMUTABLE AS $$
    SELECT set_byte(b, 0, get_byte(b, 0) # 8)
$$;

-- C2SP signed note: true if the checkpoint's signature line verifies over
-- its body under pub, with key hash SHA-256(name || 0x0A || 0x01 || pub)[0:4]
CREATE FUNCTION disclosure_t.checkpoint_ok(cp text, pub bytea) RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE
    name text := split_part(cp, E'\n', 1);
    body text := split_part(cp, E'\n', 1) || E'\n' || split_part(cp, E'\n', 2) || E'\n'
                 || split_part(cp, E'\n', 3) || E'\n';
    sigline text := split_part(cp, E'\n', 5);
    prefix text := '— ' || split_part(cp, E'\n', 1) || ' ';
    blob bytea;
BEGIN
    IF left(sigline, length(prefix)) <> prefix OR split_part(cp, E'\n', 4) <> '' THEN RETURN false; END IF;
    blob := decode(substr(sigline, length(prefix) + 1), 'base64');
    RETURN length(blob) = 68
       AND substr(blob, 1, 4) = substr(sha256(convert_to(name, 'UTF8') || '\x0a01'::bytea || pub), 1, 4)
       AND integrity.ed25519_verify(pub, convert_to(body, 'UTF8'), substr(blob, 5, 64));
END $$;

-- tamper with the log (triggers must be disabled), run verify_chain, undo
-- the change; returns first_bad, 0 if the change went unnoticed, -1 if the
-- command itself failed
CREATE FUNCTION disclosure_t.tamper(cmd text, sigs text DEFAULT 'all') RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE okv boolean; fb bigint; undone boolean := false;
BEGIN
    BEGIN
        EXECUTE cmd;
        SELECT v.ok, v.first_bad INTO okv, fb FROM integrity.verify_chain(signatures => sigs) v;
        undone := true;
        RAISE EXCEPTION 'undo the tampering';
    EXCEPTION WHEN OTHERS THEN
        IF NOT undone THEN RETURN -1; END IF;
    END;
    RETURN CASE WHEN okv THEN 0 ELSE fb END;
END $$;

-- the same, returning verify_entry(origin, seq) on the tampered log
CREATE FUNCTION disclosure_t.tamper_entry(cmd text, s bigint) RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE res boolean; undone boolean := false;
BEGIN
    BEGIN
        EXECUTE cmd;
        res := integrity.verify_entry(integrity.local_origin(), s);
        undone := true;
        RAISE EXCEPTION 'undo the tampering';
    EXCEPTION WHEN OTHERS THEN
        IF NOT undone THEN RETURN NULL; END IF;
    END;
    RETURN res;
END $$;

-- run cmd as role r; 'ok' or 'SQLSTATE: message'
CREATE FUNCTION disclosure_t.as_role(r text, cmd text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE st text; msg text;
BEGIN
    BEGIN
        EXECUTE format('SET LOCAL ROLE %I', r);
        EXECUTE cmd;
        RESET ROLE;
        RETURN 'ok';
    EXCEPTION WHEN OTHERS THEN
        GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT;
        RETURN st || ': ' || msg;
    END;
END $$;
GRANT USAGE ON SCHEMA disclosure_t TO PUBLIC;

------------------------------------------------------------------------
-- subjects
------------------------------------------------------------------------
SELECT integrity.set_origin('140400');
SELECT integrity.subject_add('government', '长治市人民政府', '11140400000000019L') AS gov \gset
SELECT integrity.subject_add('department', '长治市统计局', '11140400000000027F', parent_id => :gov) AS dept \gset
SELECT integrity.subject_add('enterprise', '长治市某某建设有限公司', '91140400000000043W') AS ent \gset
SELECT integrity.subject_add('enterprise', '福州某某科技有限公司', '91350100M000100Y43') AS ent2 \gset
SELECT integrity.subject_add('civil_servant', '欧阳明华', '140402198501011237', parent_id => :gov) AS cs1 \gset
SELECT integrity.subject_add('civil_servant', '张三', '11010519491231002X', parent_id => :dept) AS cs2 \gset

-- SPEC 6, RFC 6962 2.1: the empty log
SELECT is((SELECT tree_size FROM integrity.tree_head()), 0::bigint, 'SPEC 6 tree_head of the empty log: size 0');
SELECT is((SELECT root_hash FROM integrity.tree_head()),
          '\xe3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'::bytea,
          'SPEC 6 tree_head of the empty log: root = SHA-256 of the empty string (RFC 6962)');
SELECT is((SELECT row(ok, checked, first_bad)::text FROM integrity.verify_chain()), '(t,0,)',
          'SPEC 6 verify_chain of the empty log is ok, 0 checked');
INSERT INTO disclosure_t.heads SELECT * FROM integrity.tree_head();

------------------------------------------------------------------------
-- SPEC 6: which transitions are disclosed, one row each
------------------------------------------------------------------------
SELECT disclosure_t.confirmed(:gov, 'admin_penalty', 'general', 100, '长政罚〔2025〕1号') AS p1 \gset
SELECT disclosure_t.confirmed(:cs1, 'admin_penalty', 'general', 100, '长政罚〔2025〕2号') AS p2 \gset
SELECT disclosure_t.confirmed(:cs2, 'disciplinary_sanction', 'general', 400, '长纪〔2024〕3号') AS p3 \gset
SELECT disclosure_t.confirmed(:ent, 'judicial_judgment', 'serious', 100, '(2025)晋04民初4号') AS p4 \gset

SELECT integrity.publish(:p1) AS p1_seq \gset
SELECT is(:p1_seq::bigint, 1::bigint, 'SPEC 6 the first publish returns seq 1');
SELECT is(array(SELECT event || ':' || record_id FROM integrity.disclosure ORDER BY seq), ARRAY['publish:' || :p1],
          'SPEC 6 publish appends exactly one row (event publish)');
SELECT ok((SELECT d.xmin = r.xmin FROM integrity.disclosure d, integrity.record r
            WHERE d.seq = 1 AND r.origin = d.origin AND r.id = d.record_id),
          'SPEC 6 the disclosure is written by the transaction that published the record');
INSERT INTO disclosure_t.heads SELECT * FROM integrity.tree_head();
SELECT is(disclosure_t.step(format('SELECT integrity.object(%s, %L)', :p1, '当事人提出异议')),
          ARRAY['objection:' || :p1], 'SPEC 6, D2.3 objection to a published record: one row (objection)');
SELECT is((SELECT payload::jsonb ->> '备注' FROM integrity.disclosure ORDER BY seq DESC LIMIT 1), '异议处理中',
          'D2.3, D5a objection disclosure of an admin_penalty says 异议处理中 in 备注');
SELECT is(disclosure_t.step(format('SELECT integrity.resolve_objection(%s, false, %L)', :p1, '异议不成立')),
          ARRAY['objection_resolved:' || :p1], 'SPEC 6, D2.3 rejected objection: one row (objection_resolved)');
SELECT is((SELECT state::text FROM integrity.record WHERE id = :p1), 'published', 'D2.3 rejected objection: back to published');
SELECT is(disclosure_t.step(format('SELECT integrity.repair(%s, %L)', :p1, '已整改并作出信用承诺')),
          ARRAY['repair:' || :p1], 'SPEC 6, D2.7 repair of a published record: one row (repair)');

SELECT is(disclosure_t.step(format('SELECT integrity.publish(%s)', :p2)), ARRAY['publish:' || :p2],
          'SPEC 6 publish of a civil servant''s admin_penalty: one row');
SELECT is(disclosure_t.step(format('SELECT integrity.revoke(%s, %L)', :p2, '信息错误')),
          ARRAY['revoke:' || :p2], 'SPEC 6, D2.4 revoke of a published record: one row (revoke)');

SELECT is(disclosure_t.step(format('SELECT integrity.publish(%s)', :p3)), ARRAY['publish:' || :p3],
          'SPEC 6 publish of a disciplinary_sanction: one row');
SELECT is(disclosure_t.step('SELECT integrity.expire_due()'), ARRAY['expire:' || :p3],
          'SPEC 6, D2.6 expire_due: one row (expire) for the one record past its publicity period');
SELECT is(disclosure_t.step('SELECT integrity.expire_due()'), '{}'::text[],
          'SPEC 4, 6 expire_due again: idempotent, no row');

SELECT is(disclosure_t.step(format('SELECT integrity.publish(%s)', :p4)), ARRAY['publish:' || :p4],
          'SPEC 6 publish of an enterprise judicial_judgment: one row');
SELECT is(disclosure_t.step(format('SELECT integrity.object(%s, %L)', :p4, '判决已撤销')),
          ARRAY['objection:' || :p4], 'SPEC 6 second objection case: one row (objection)');
SELECT is(disclosure_t.step(format('SELECT integrity.resolve_objection(%s, true, %L)', :p4, '异议成立')),
          ARRAY['objection_resolved:' || :p4], 'SPEC 6, D2.3 upheld objection of a published record: one row (objection_resolved)');
SELECT is((SELECT payload::jsonb ->> 'state' FROM integrity.disclosure ORDER BY seq DESC LIMIT 1), 'revoked',
          'D2.3 the upheld objection''s disclosure shows state revoked');

-- records that were never published are never disclosed
SELECT is(disclosure_t.step(format(
    $q$SELECT integrity.record_add(%s, 'accountability', 'general', current_date - 30, '长问责〔2025〕5号', '长治市纪委监委', '问责')$q$, :gov)),
    '{}'::text[], 'SPEC 6 collecting a record appends no row');
SELECT max(id) AS n1 FROM integrity.record \gset
SELECT is(disclosure_t.step(format('SELECT integrity.notify(%s, %L)', :n1, '告知')), '{}'::text[],
          'SPEC 6 notify of a never-published record: no row');
SELECT is(disclosure_t.step(format('SELECT integrity.confirm(%s, %L)', :n1, '认定')), '{}'::text[],
          'SPEC 6 confirm of a never-published record: no row');
SELECT is(disclosure_t.step(format('SELECT integrity.object(%s, %L)', :n1, '异议')), '{}'::text[],
          'SPEC 6 objection to a confirmed, never-published record: no row');
SELECT is(disclosure_t.step(format('SELECT integrity.resolve_objection(%s, false, %L)', :n1, '驳回')), '{}'::text[],
          'SPEC 6 rejected objection of a never-published record: no row');
SELECT is(disclosure_t.step(format('SELECT integrity.object(%s, %L)', :n1, '再次异议')), '{}'::text[],
          'SPEC 6 second objection to the never-published record: no row');
SELECT is(disclosure_t.step(format('SELECT integrity.resolve_objection(%s, true, %L)', :n1, '异议成立')), '{}'::text[],
          'SPEC 6 upheld objection of a never-published record: no row');
SELECT disclosure_t.confirmed(:ent, 'breach_of_contract', 'serious', 20, '拖欠工程款') AS n2 \gset
SELECT is(disclosure_t.step(format('SELECT integrity.revoke(%s, %L)', :n2, '信息错误')), '{}'::text[],
          'SPEC 6 revoke of a confirmed, never-published record: no row');
SELECT integrity.record_add(:ent, 'admin_penalty', 'general', current_date - 10, '未告知', '单位', '摘要') AS n3 \gset
SELECT is(disclosure_t.step(format('SELECT integrity.revoke(%s, %L)', :n3, '信息错误')), '{}'::text[],
          'SPEC 6 revoke of a collected record: no row');
SELECT disclosure_t.confirmed(:ent, 'admin_penalty', 'minor', 10, '轻微') AS n4 \gset
SELECT throws_ok(format('SELECT integrity.publish(%s)', :n4), '55000', NULL,
                 'D2.6 a minor record is not published (55000)');
SELECT is(disclosure_t.size(), 11::bigint, 'SPEC 6 eleven disclosures so far, none for never-published records');

------------------------------------------------------------------------
-- a rolled-back publish leaves no trace and no gap
------------------------------------------------------------------------
SELECT disclosure_t.confirmed(:ent2, 'admin_penalty', 'general', 50, '榕市监罚〔2025〕9号') AS rb \gset
SAVEPOINT before_publish;
SELECT integrity.publish(:rb) AS rb_seq_rolled_back \gset
ROLLBACK TO SAVEPOINT before_publish;
SELECT is(:rb_seq_rolled_back::bigint, 12::bigint, 'SPEC 6 the publish that will be rolled back got seq 12');
SELECT is(disclosure_t.size(), 11::bigint, 'SPEC 6 ROLLBACK TO SAVEPOINT removes the disclosure with the publish');
SELECT is((SELECT state::text FROM integrity.record WHERE id = :rb), 'confirmed', 'SPEC 6 ... and the record is still confirmed');
SELECT is((SELECT size FROM integrity.chain_head WHERE origin = '140400'), 11::bigint, 'SPEC 6 ... and the chain head is back at 11');
SELECT is(integrity.publish(:rb), 12::bigint, 'SPEC 6 the next publish gets seq 12: no gap');
INSERT INTO disclosure_t.heads SELECT * FROM integrity.tree_head();

------------------------------------------------------------------------
-- grow the log to 30 entries, remembering every tree head
------------------------------------------------------------------------
SELECT count(*) AS bulk FROM (
    SELECT disclosure_t.step(format('SELECT integrity.publish(%s)',
               disclosure_t.confirmed(s, c, 'general', 30 + i, '长文书〔2025〕' || i || '号')))
      FROM generate_series(1, 18) AS i,
           LATERAL (SELECT (ARRAY[:gov, :dept, :ent, :ent2, :cs1, :cs2])[1 + i % 6] AS s) subj,
           LATERAL (SELECT CASE WHEN i % 3 = 0 AND s IN (:cs1, :cs2) THEN 'disciplinary_sanction'
                                WHEN i % 3 = 1 THEN 'admin_penalty'
                                WHEN s IN (:ent, :ent2) THEN 'breach_of_contract'
                                ELSE 'statistical_fraud' END AS c) cat
     ORDER BY i) x \gset
SELECT is(disclosure_t.size(), 30::bigint, 'SPEC 6 thirty disclosures');

------------------------------------------------------------------------
-- SPEC 6: the chain, recomputed in SQL
------------------------------------------------------------------------
SELECT is(array(SELECT seq FROM integrity.disclosure WHERE origin = '140400' ORDER BY seq),
          array(SELECT generate_series(1, 30)::bigint), 'SPEC 6 seq is gap-free 1..30');
SELECT is((SELECT count(*) FROM integrity.disclosure WHERE payload_hash <> sha256(convert_to(payload, 'UTF8'))),
          0::bigint, 'SPEC 6 payload_hash = SHA-256(payload as UTF-8) on every row');
SELECT is((SELECT prev_hash FROM integrity.disclosure WHERE origin = '140400' AND seq = 1),
          '\x0000000000000000000000000000000000000000000000000000000000000000'::bytea,
          'SPEC 6 the first prev_hash is 32 zero bytes');
SELECT is((SELECT count(*) FROM (SELECT prev_hash, lag(entry_hash) OVER (ORDER BY seq) AS want, seq
                                   FROM integrity.disclosure WHERE origin = '140400') x
            WHERE seq > 1 AND prev_hash IS DISTINCT FROM want), 0::bigint,
          'SPEC 6 each prev_hash is the previous entry_hash');
SELECT is((SELECT count(*) FROM integrity.disclosure
            WHERE entry_hash <> sha256(prev_hash || int8send(seq) || payload_hash)), 0::bigint,
          'SPEC 6 entry_hash = SHA-256(prev_hash || seq as 8-byte big-endian || payload_hash) on every row');
SELECT is((SELECT count(*) FROM integrity.disclosure
            WHERE length(payload_hash) <> 32 OR length(prev_hash) <> 32 OR length(entry_hash) <> 32
               OR length(signature) <> 64), 0::bigint, 'SPEC 6 hashes are 32 bytes, signatures 64');
SELECT is((SELECT count(*) FROM integrity.disclosure
            WHERE NOT integrity.ed25519_verify(integrity.public_key(key_id), entry_hash, signature)), 0::bigint,
          'SPEC 6 every signature is a valid Ed25519 signature of entry_hash under public_key(key_id)');
SELECT is((SELECT count(*) FROM integrity.disclosure
            WHERE integrity.ed25519_verify(integrity.public_key(key_id), disclosure_t.flip(entry_hash), signature)
               OR integrity.ed25519_verify(integrity.public_key(key_id), entry_hash, disclosure_t.flip(signature))),
          0::bigint, 'SPEC 6 ... and none verifies with one bit of entry_hash or signature flipped');
SELECT is(length(integrity.public_key()), 32, 'SPEC 6 public_key() is the raw 32-byte Ed25519 key');
SELECT is(array(SELECT DISTINCT key_id FROM integrity.disclosure),
          ARRAY[encode(substr(sha256(integrity.public_key()), 1, 8), 'hex')],
          'SPEC 6 key_id = hex(SHA-256(public key)[0:8]) of the key in use, on every row');
SELECT is(integrity.public_key((SELECT key_id FROM integrity.disclosure WHERE seq = 1)),
          integrity.public_key(), 'SPEC 6 public_key(key_id) returns the same key');
SELECT is((SELECT count(*) FROM integrity.signing_key k
            WHERE k.origin = '140400' AND k.public_key = integrity.public_key() AND k.valid_until IS NULL
              AND k.key_id = encode(substr(sha256(k.public_key), 1, 8), 'hex')), 1::bigint,
          'SPEC 6 signing_key holds the key in use for origin 140400');
SELECT throws_ok($$SELECT integrity.public_key('0000000000000000')$$, 'P0002', NULL,
                 'SPEC 6 public_key of an unknown key_id is an error');

-- the payload: canonical JSON, masked, 双公示 names
SELECT is((SELECT count(*) FROM integrity.disclosure WHERE integrity.canonical_json(payload) <> payload), 0::bigint,
          'SPEC 6 every payload is in canonical form (canonical_json(payload) = payload)');
SELECT is((SELECT count(*) FROM integrity.disclosure d
            WHERE (SELECT array_agg(key ORDER BY o) FROM json_each(d.payload::json) WITH ORDINALITY AS j(key, value, o))
               <> (SELECT array_agg(key ORDER BY key COLLATE "C") FROM json_each(d.payload::json))), 0::bigint,
          'SPEC 6 RFC 8785 payload keys are sorted by code point (checked with json_each, collation C)');
SELECT is((SELECT count(*) FROM integrity.disclosure
            WHERE regexp_replace(payload, '"([^"\\]|\\.)*"', '', 'g') ~ '\s'), 0::bigint,
          'SPEC 6 RFC 8785 no blanks outside strings');
SELECT is((SELECT count(*) FROM integrity.disclosure
            WHERE payload::jsonb ->> 'event' IS DISTINCT FROM event
               OR (payload::jsonb ->> 'record_id')::bigint IS DISTINCT FROM record_id
               OR payload::jsonb ->> 'origin' IS DISTINCT FROM origin), 0::bigint,
          'SPEC 6 the payload names its event, record_id and origin (the unsigned columns agree with it)');
SELECT is((SELECT count(*) FROM integrity.disclosure
            WHERE payload ~ '140402198501011237|11010519491231002X|1101051949123|1404021985010'), 0::bigint,
          'D1.4 no payload holds a raw resident ID (nor its birth date part)');
SELECT ok((SELECT bool_and(payload LIKE '%140402********1237%') FROM integrity.disclosure WHERE record_id IN (:p2))
          AND (SELECT bool_or(payload LIKE '%110105********002X%') FROM integrity.disclosure),
          'D1.4 resident IDs appear only masked: first 6 and last 4 kept');
SELECT is((SELECT count(*) FROM integrity.disclosure WHERE payload ~ '欧阳明华|张三|明华'), 0::bigint,
          'D1.4 no payload holds a civil servant''s full name');
SELECT ok((SELECT bool_or(payload LIKE '%"欧阳**"%') AND bool_or(payload LIKE '%"张*"%') FROM integrity.disclosure),
          'D1.4 names of persons are masked: 欧阳**, 张*');
SELECT is((SELECT count(*) FROM integrity.disclosure d JOIN integrity.record r ON r.origin = d.origin AND r.id = d.record_id
            WHERE r.category = 'admin_penalty'
              AND NOT d.payload::jsonb ?& ARRAY['行政相对人名称', '行政相对人类别', '统一社会信用代码', '法定代表人',
                  '证件类型', '证件号码', '行政处罚决定书文号', '违法行为类型', '违法事实', '处罚依据', '处罚类别',
                  '处罚内容', '罚款金额（万元）', '处罚决定日期', '处罚有效期', '公示截止期', '处罚机关',
                  '处罚机关统一社会信用代码', '数据来源单位', '数据来源单位统一社会信用代码', '备注']), 0::bigint,
          'D5a every admin_penalty payload has the 21 双公示 field names');
SELECT ok((SELECT count(*) FROM integrity.disclosure d JOIN integrity.record r ON r.origin = d.origin AND r.id = d.record_id
            WHERE r.category = 'admin_penalty') >= 8, 'D5a (at least 8 admin_penalty disclosures were checked)');
SELECT is((SELECT row(p ->> '行政相对人名称', p ->> '行政相对人类别', p ->> '证件类型', p ->> '证件号码',
                      p ->> '行政处罚决定书文号')::text
             FROM (SELECT payload::jsonb AS p FROM integrity.disclosure WHERE record_id = :p2 AND event = 'publish') x),
          row('欧阳**', '自然人', '身份证', '140402********1237', '长政罚〔2025〕2号')::text,
          'D5a, D1.4 a civil servant''s admin_penalty: masked name and 证件号码, 自然人, 身份证');
SELECT is((SELECT row(p ->> '行政相对人名称', p ->> '统一社会信用代码', p ->> '处罚决定日期')::text
             FROM (SELECT payload::jsonb AS p FROM integrity.disclosure WHERE record_id = :p1 AND event = 'publish') x),
          row('长治市人民政府', '11140400000000019L', to_char(current_date - 100, 'YYYY-MM-DD'))::text,
          'D5a an organization''s admin_penalty: name, 统一社会信用代码, 处罚决定日期');

-- SPEC 6: verify_chain and verify_entry
SELECT is((SELECT row(ok, checked, first_bad)::text FROM integrity.verify_chain()), '(t,30,)',
          'SPEC 6 verify_chain() is ok, 30 checked');
SELECT is((SELECT row(ok, checked, first_bad)::text FROM integrity.verify_chain(signatures => 'head')), '(t,30,)',
          'SPEC 6 verify_chain(signatures => ''head'') is ok, 30 checked');
SELECT is((SELECT row(ok, checked, first_bad)::text FROM integrity.verify_chain('140400', 11)), '(t,20,)',
          'SPEC 6 verify_chain(origin, from_seq => 11) checks 11..30');
SELECT throws_ok($$SELECT * FROM integrity.verify_chain(signatures => 'some')$$, '22023', NULL,
                 'SPEC 6 verify_chain(signatures) other than all/head: 22023');
SELECT ok((SELECT bool_and(integrity.verify_entry('140400', s)) FROM generate_series(1, 30) s),
          'SPEC 6 verify_entry is true for seq 1..30');
SELECT ok(NOT integrity.verify_entry('140400', 31) AND NOT integrity.verify_entry('140400', 0),
          'SPEC 6 verify_entry is false for seq 0 and for a seq past the end');

------------------------------------------------------------------------
-- SPEC 6: the Merkle tree (RFC 6962), recomputed in SQL
------------------------------------------------------------------------
SELECT is((SELECT row(tree_size, root_hash)::text FROM integrity.tree_head()),
          row(30::bigint, disclosure_t.root(30))::text, 'SPEC 6 tree_head(): size 30 and the RFC 6962 root of the entry hashes');
SELECT is((SELECT count(DISTINCT tree_size) FROM disclosure_t.heads), 31::bigint,
          'SPEC 6 (a tree head was recorded at every size 0..30 while the log grew)');
SELECT is((SELECT count(*) FROM disclosure_t.heads WHERE root_hash <> disclosure_t.root(tree_size)), 0::bigint,
          'SPEC 6 every tree head seen at sizes 0..30 has the RFC 6962 root recomputed in SQL');
SELECT is((SELECT count(*) FROM integrity.merkle_node m
            WHERE m.origin = '140400' AND m.level = 0 AND m.hash <> disclosure_t.leaf(m.idx + 1)), 0::bigint,
          'SPEC 6 leaf i = SHA-256(0x00 || entry_hash of seq i+1)');

-- inclusion proofs: every (seq, size), recomputed with the RFC 9162 verifier
SELECT is((SELECT count(*) FROM generate_series(1, 30) n, generate_series(1, n) s
            WHERE NOT disclosure_t.verify_inclusion(s - 1, n, disclosure_t.leaf(s),
                                                    integrity.inclusion_proof(s, n), disclosure_t.root(n))),
          0::bigint, 'SPEC 6, RFC 9162 2.1.3.2 all 465 inclusion proofs (1 <= seq <= size <= 30) verify');
SELECT is(cardinality(integrity.inclusion_proof(5, 16)), 4, 'RFC 9162 inclusion proof in a tree of 16 has 4 hashes');
SELECT is(cardinality(integrity.inclusion_proof(1, 1)), 0, 'RFC 9162 inclusion proof in a tree of 1 is empty');
SELECT inclusion_proof AS ip FROM integrity.inclusion_proof(6, 13) \gset
SELECT ok(disclosure_t.verify_inclusion(5, 13, disclosure_t.leaf(6), :'ip', disclosure_t.root(13)),
          'RFC 9162 inclusion proof of seq 6 in 13 verifies (the base of the negative cases)');
SELECT is((SELECT count(*) FROM generate_subscripts(:'ip'::bytea[], 1) i
            WHERE disclosure_t.verify_inclusion(5, 13, disclosure_t.leaf(6),
                      (:'ip'::bytea[])[:i - 1] || disclosure_t.flip((:'ip'::bytea[])[i]) || (:'ip'::bytea[])[i + 1:],
                      disclosure_t.root(13))), 0::bigint,
          'RFC 9162 inclusion proof with a flipped bit in any element fails');
SELECT ok(NOT disclosure_t.verify_inclusion(5, 13, disclosure_t.leaf(7), :'ip', disclosure_t.root(13)),
          'RFC 9162 inclusion proof for the wrong leaf fails');
SELECT ok(NOT disclosure_t.verify_inclusion(6, 13, disclosure_t.leaf(6), :'ip', disclosure_t.root(13))
          AND NOT disclosure_t.verify_inclusion(4, 13, disclosure_t.leaf(6), :'ip', disclosure_t.root(13)),
          'RFC 9162 inclusion proof at the wrong index fails');
SELECT ok(NOT disclosure_t.verify_inclusion(5, 14, disclosure_t.leaf(6), :'ip', disclosure_t.root(14))
          AND NOT disclosure_t.verify_inclusion(5, 12, disclosure_t.leaf(6), :'ip', disclosure_t.root(12))
          AND NOT disclosure_t.verify_inclusion(5, 13, disclosure_t.leaf(6), :'ip', disclosure_t.root(14)),
          'RFC 9162 inclusion proof for the wrong tree size or root fails');
SELECT ok(NOT disclosure_t.verify_inclusion(5, 13, disclosure_t.leaf(6), :'ip'::bytea[] || disclosure_t.root(13), disclosure_t.root(13))
          AND NOT disclosure_t.verify_inclusion(5, 13, disclosure_t.leaf(6), disclosure_t.root(13) || :'ip'::bytea[], disclosure_t.root(13)),
          'RFC 9162 inclusion proof with an extra element (appended or prepended) fails');
SELECT ok(NOT disclosure_t.verify_inclusion(5, 13, disclosure_t.leaf(6), trim_array(:'ip'::bytea[], 1), disclosure_t.root(13))
          AND NOT disclosure_t.verify_inclusion(5, 13, disclosure_t.leaf(6), (:'ip'::bytea[])[2:], disclosure_t.root(13)),
          'RFC 9162 inclusion proof with a missing element fails');

-- consistency proofs: every (old, new), recomputed with the RFC 9162 verifier
SELECT is((SELECT count(*) FROM generate_series(1, 30) n, generate_series(1, n) m
            WHERE NOT disclosure_t.verify_consistency(m, n, integrity.consistency_proof(m, n),
                                                      disclosure_t.root(m), disclosure_t.root(n))),
          0::bigint, 'SPEC 6, RFC 9162 2.1.4.2 all 465 consistency proofs (1 <= old <= new <= 30) verify');
SELECT is((SELECT count(*) FROM disclosure_t.heads h1, disclosure_t.heads h2
            WHERE h1.tree_size >= 1 AND h1.tree_size < h2.tree_size
              AND NOT disclosure_t.verify_consistency(h1.tree_size, h2.tree_size,
                          integrity.consistency_proof(h1.tree_size, h2.tree_size), h1.root_hash, h2.root_hash)),
          0::bigint, 'SPEC 6 the log only grew: every tree head seen earlier is consistent with every later one');
SELECT is(cardinality(integrity.consistency_proof(7, 7)), 0, 'RFC 9162 consistency proof of a tree with itself is empty');
SELECT consistency_proof AS cp FROM integrity.consistency_proof(6, 13) \gset
SELECT ok(disclosure_t.verify_consistency(6, 13, :'cp', disclosure_t.root(6), disclosure_t.root(13)),
          'RFC 9162 consistency proof 6 -> 13 verifies (the base of the negative cases)');
SELECT is((SELECT count(*) FROM generate_subscripts(:'cp'::bytea[], 1) i
            WHERE disclosure_t.verify_consistency(6, 13,
                      (:'cp'::bytea[])[:i - 1] || disclosure_t.flip((:'cp'::bytea[])[i]) || (:'cp'::bytea[])[i + 1:],
                      disclosure_t.root(6), disclosure_t.root(13))), 0::bigint,
          'RFC 9162 consistency proof with a flipped bit in any element fails');
SELECT ok(NOT disclosure_t.verify_consistency(5, 13, :'cp', disclosure_t.root(5), disclosure_t.root(13))
          AND NOT disclosure_t.verify_consistency(7, 13, :'cp', disclosure_t.root(7), disclosure_t.root(13))
          AND NOT disclosure_t.verify_consistency(6, 12, :'cp', disclosure_t.root(6), disclosure_t.root(12))
          AND NOT disclosure_t.verify_consistency(6, 14, :'cp', disclosure_t.root(6), disclosure_t.root(14)),
          'RFC 9162 consistency proof for the wrong sizes fails');
SELECT ok(NOT disclosure_t.verify_consistency(6, 13, :'cp', disclosure_t.root(13), disclosure_t.root(6))
          AND NOT disclosure_t.verify_consistency(6, 13, :'cp', disclosure_t.root(7), disclosure_t.root(13))
          AND NOT disclosure_t.verify_consistency(6, 13, :'cp', disclosure_t.root(6), disclosure_t.root(14)),
          'RFC 9162 consistency proof with wrong or swapped roots fails');
SELECT ok(NOT disclosure_t.verify_consistency(6, 13, :'cp'::bytea[] || disclosure_t.root(6), disclosure_t.root(6), disclosure_t.root(13))
          AND NOT disclosure_t.verify_consistency(6, 13, disclosure_t.root(6) || :'cp'::bytea[], disclosure_t.root(6), disclosure_t.root(13)),
          'RFC 9162 consistency proof with an extra element (appended or prepended) fails');
SELECT ok(NOT disclosure_t.verify_consistency(6, 13, trim_array(:'cp'::bytea[], 1), disclosure_t.root(6), disclosure_t.root(13))
          AND NOT disclosure_t.verify_consistency(6, 13, (:'cp'::bytea[])[2:], disclosure_t.root(6), disclosure_t.root(13))
          AND NOT disclosure_t.verify_consistency(6, 13, '{}', disclosure_t.root(6), disclosure_t.root(13)),
          'RFC 9162 consistency proof with a missing element, or empty, fails');
SELECT ok(disclosure_t.verify_consistency(8, 13, integrity.consistency_proof(8, 13), disclosure_t.root(8), disclosure_t.root(13))
          AND NOT disclosure_t.verify_consistency(8, 13, integrity.consistency_proof(8, 13), disclosure_t.root(7), disclosure_t.root(13)),
          'RFC 9162 consistency proof from a power-of-two size: verifies, and fails with the wrong old root');

-- bad arguments
SELECT throws_ok($$SELECT integrity.inclusion_proof(0, 5)$$, '22023', NULL, 'SPEC 6 inclusion_proof(seq 0): 22023');
SELECT throws_ok($$SELECT integrity.inclusion_proof(6, 5)$$, '22023', NULL, 'SPEC 6 inclusion_proof(seq > tree_size): 22023');
SELECT throws_ok($$SELECT integrity.inclusion_proof(1, 31)$$, '22023', NULL, 'SPEC 6 inclusion_proof(tree_size > log size): 22023');
SELECT throws_ok($$SELECT integrity.consistency_proof(0, 5)$$, '22023', NULL, 'SPEC 6 consistency_proof(old_size 0): 22023');
SELECT throws_ok($$SELECT integrity.consistency_proof(6, 5)$$, '22023', NULL, 'SPEC 6 consistency_proof(old > new): 22023');
SELECT throws_ok($$SELECT integrity.consistency_proof(1, 31)$$, '22023', NULL, 'SPEC 6 consistency_proof(new > log size): 22023');

-- the checkpoint: a C2SP tlog-checkpoint signed note
SELECT checkpoint AS ckpt, encode(root_hash, 'base64') AS root64 FROM integrity.tree_head() \gset
SELECT is(split_part(:'ckpt', E'\n', 1), 'integrity/140400', 'SPEC 6 checkpoint line 1: origin integrity/140400');
SELECT is(split_part(:'ckpt', E'\n', 2), '30', 'SPEC 6 checkpoint line 2: the decimal tree size');
SELECT is(split_part(:'ckpt', E'\n', 3), :'root64', 'SPEC 6 checkpoint line 3: the base64 root hash');
SELECT is(split_part(:'ckpt', E'\n', 4), '', 'SPEC 6 checkpoint line 4: blank');
SELECT matches(:'ckpt'::text, E'^integrity/140400\n30\n[A-Za-z0-9+/]{43}=\n\n— integrity/140400 [A-Za-z0-9+/]{91}=\n$',
               'SPEC 6 checkpoint: exactly body, blank line, one signature line (em dash), final newline');
SELECT is(length(decode(substr(split_part(:'ckpt', E'\n', 5), length('— integrity/140400 ') + 1), 'base64')), 68,
          'SPEC 6 the signature is base64 of 68 bytes: key hash (4) || Ed25519 signature (64)');
SELECT is(substr(decode(substr(split_part(:'ckpt', E'\n', 5), length('— integrity/140400 ') + 1), 'base64'), 1, 4),
          substr(sha256(convert_to('integrity/140400', 'UTF8') || '\x0a01'::bytea || integrity.public_key()), 1, 4),
          'SPEC 6 key hash = SHA-256(key name || 0x0A || 0x01 || public key)[0:4]');
SELECT ok(integrity.ed25519_verify(integrity.public_key(), convert_to(E'integrity/140400\n30\n' || :'root64' || E'\n', 'UTF8'),
              substr(decode(substr(split_part(:'ckpt', E'\n', 5), length('— integrity/140400 ') + 1), 'base64'), 5, 64)),
          'SPEC 6 the checkpoint signature verifies over the body (through its last newline)');
SELECT ok(NOT disclosure_t.checkpoint_ok(replace(:'ckpt', E'\n30\n', E'\n31\n'), integrity.public_key()),
          'SPEC 6 a checkpoint with a changed size does not verify');
SELECT is((SELECT count(*) FROM disclosure_t.heads
            WHERE NOT disclosure_t.checkpoint_ok(checkpoint, integrity.public_key())
               OR split_part(checkpoint, E'\n', 2) <> tree_size::text
               OR decode(split_part(checkpoint, E'\n', 3), 'base64') <> root_hash), 0::bigint,
          'SPEC 6 every checkpoint seen at sizes 0..30 names its size and root and verifies');

------------------------------------------------------------------------
-- SPEC 6, D6: tampering by a superuser is found
------------------------------------------------------------------------
SELECT throws_ok($$UPDATE integrity.disclosure SET payload = payload WHERE seq = 15$$, '55000', NULL,
                 'SPEC 6 UPDATE of disclosure is refused (55000)');
SELECT throws_ok($$DELETE FROM integrity.disclosure WHERE seq = 30$$, '55000', NULL,
                 'SPEC 6 DELETE from disclosure is refused (55000)');
SELECT throws_ok($$TRUNCATE integrity.disclosure$$, '55000', NULL, 'SPEC 6 TRUNCATE of disclosure is refused (55000)');
SELECT throws_ok($$UPDATE integrity.merkle_node SET hash = hash WHERE level = 0 AND idx = 0$$, '55000', NULL,
                 'SPEC 6 UPDATE of merkle_node is refused (55000)');

ALTER TABLE integrity.disclosure DISABLE TRIGGER USER;
SELECT is(disclosure_t.tamper($$UPDATE integrity.disclosure
        SET payload = convert_from(set_byte(convert_to(payload, 'UTF8'), 2, get_byte(convert_to(payload, 'UTF8'), 2) # 1), 'UTF8')
        WHERE seq = 15$$), 15::bigint, 'D6 one byte of a middle payload changed: verify_chain first_bad = 15');
SELECT is(disclosure_t.tamper($$UPDATE integrity.disclosure SET payload_hash = set_byte(payload_hash, 31, get_byte(payload_hash, 31) # 1) WHERE seq = 15$$),
          15::bigint, 'D6 one byte of payload_hash changed: first_bad = 15');
SELECT is(disclosure_t.tamper($$UPDATE integrity.disclosure SET prev_hash = set_byte(prev_hash, 0, get_byte(prev_hash, 0) # 128) WHERE seq = 15$$),
          15::bigint, 'D6 one byte of prev_hash changed: first_bad = 15');
SELECT is(disclosure_t.tamper($$UPDATE integrity.disclosure SET entry_hash = set_byte(entry_hash, 7, get_byte(entry_hash, 7) # 2) WHERE seq = 15$$),
          15::bigint, 'D6 one byte of entry_hash changed: first_bad = 15');
SELECT is(disclosure_t.tamper($$UPDATE integrity.disclosure SET signature = set_byte(signature, 10, get_byte(signature, 10) # 4) WHERE seq = 15$$),
          15::bigint, 'D6 one byte of the signature changed: first_bad = 15');
SELECT is(disclosure_t.tamper($$UPDATE integrity.disclosure
        SET key_id = overlay(key_id placing CASE WHEN right(key_id, 1) = '0' THEN '1' ELSE '0' END from 16 for 1) WHERE seq = 15$$),
          15::bigint, 'D6 one character of key_id changed: first_bad = 15');
SELECT is(disclosure_t.tamper($$UPDATE integrity.disclosure
        SET payload = convert_from(set_byte(convert_to(payload, 'UTF8'), 2, get_byte(convert_to(payload, 'UTF8'), 2) # 1), 'UTF8')
        WHERE seq = 15$$, 'head'), 15::bigint, 'D6 with signatures => ''head'' a changed middle payload is still found at 15');
SELECT is(disclosure_t.tamper($$UPDATE integrity.disclosure SET signature = set_byte(signature, 0, get_byte(signature, 0) # 1) WHERE seq = 30$$, 'head'),
          30::bigint, 'D6 with signatures => ''head'' a changed newest signature is found at 30');
SELECT is(disclosure_t.tamper($$DELETE FROM integrity.disclosure WHERE seq = 30$$), 30::bigint,
          'D6 the last row deleted: first_bad = 30');
SELECT is(disclosure_t.tamper($$DELETE FROM integrity.disclosure WHERE seq = 15$$), 15::bigint,
          'D6 a middle row deleted: first_bad = 15');
SELECT is(disclosure_t.tamper_entry($$UPDATE integrity.disclosure SET signature = set_byte(signature, 10, get_byte(signature, 10) # 4) WHERE seq = 15$$, 15),
          false, 'D6 verify_entry is false for a row whose signature was changed');
-- verify_chain reads a whole log in table order while its rows come in seq
-- order, and goes on through the primary key from the first row that does
-- not: the same rows are checked, in the same order, either way
SELECT is(disclosure_t.tamper($$UPDATE integrity.disclosure SET payload = payload WHERE seq IN (3, 17)$$), 0::bigint,
          'SPEC 6 rows rewritten unchanged (table order no longer seq order): the chain still verifies');
SELECT is(disclosure_t.tamper($$UPDATE integrity.disclosure SET payload = payload WHERE seq IN (3, 17)$$, 'head'), 0::bigint,
          'SPEC 6 the same with signatures => ''head''');
SELECT is(disclosure_t.tamper($$UPDATE integrity.disclosure SET payload = payload WHERE seq = 5;
        UPDATE integrity.disclosure
           SET payload = convert_from(set_byte(convert_to(payload, 'UTF8'), 2, get_byte(convert_to(payload, 'UTF8'), 2) # 1), 'UTF8')
         WHERE seq = 20$$), 20::bigint, 'D6 a changed payload after a moved row is found at 20');
SELECT is(disclosure_t.tamper($$UPDATE integrity.disclosure
        SET payload = convert_from(set_byte(convert_to(payload, 'UTF8'), 2, get_byte(convert_to(payload, 'UTF8'), 2) # 1), 'UTF8')
        WHERE seq = 30$$), 30::bigint, 'D6 a changed newest payload (read in table order) is found at 30');
SELECT is(disclosure_t.tamper($$UPDATE integrity.disclosure
        SET payload = convert_from(set_byte(convert_to(payload, 'UTF8'), 2, get_byte(convert_to(payload, 'UTF8'), 2) # 1), 'UTF8')
        WHERE seq = 30$$, 'head'), 30::bigint, 'D6 the same with signatures => ''head''');
SELECT is(disclosure_t.tamper($$INSERT INTO integrity.disclosure
        SELECT '999999', seq, record_id, event, payload || ' ', payload_hash, prev_hash, entry_hash, key_id, signature, disclosed_at
          FROM integrity.disclosure WHERE origin = integrity.local_origin() AND seq BETWEEN 1 AND 12$$), 0::bigint,
          'SPEC 6 rows of another origin among the table''s rows do not disturb the local log');
ALTER TABLE integrity.disclosure ENABLE TRIGGER USER;
SELECT is((SELECT row(ok, checked, first_bad)::text FROM integrity.verify_chain()), '(t,30,)',
          'SPEC 6 after the undone tampering the chain verifies again');

------------------------------------------------------------------------
-- SPEC 6, 8: the private key never reaches SQL; readers can verify
------------------------------------------------------------------------
SELECT is(array(SELECT p.proname::text FROM pg_proc p
                 WHERE p.pronamespace = 'integrity'::regnamespace
                   AND p.proname ~* 'sign|priv|secret|seed(?!ed)|ed25519' ORDER BY 1),
          ARRAY['ed25519_verify'],
          'SPEC 6 no function in schema integrity signs arbitrary input: only ed25519_verify exists');
SELECT is((SELECT count(*) FROM pg_proc p
            WHERE p.pronamespace = 'integrity'::regnamespace AND p.prorettype = 'bytea'::regtype
              AND p.proname NOT IN ('public_key', '_current_public_key', 'merkle_leaf_hash', 'merkle_node_hash',
                                    'uscc_send', 'cn_id_send', '_score_state_serialize')), 0::bigint,
          'SPEC 6 the bytea-returning functions are only public keys, hashes, send functions and an aggregate serial function');
SELECT matches(disclosure_t.as_role('integrity_operator', $$SELECT current_setting('integrity.signing_key_file')$$),
               '^42501', 'SPEC 6 integrity.signing_key_file is superuser-only (an operator cannot read it)');
SELECT is(disclosure_t.as_role('integrity_admin',
              $$INSERT INTO integrity.disclosure (origin, seq, event, payload, payload_hash, prev_hash, entry_hash, key_id, signature)
                SELECT origin, 31, event, payload, payload_hash, prev_hash, entry_hash, key_id, signature
                  FROM integrity.disclosure WHERE seq = 30$$) ~ '^42501', true,
          'SPEC 8 integrity_admin cannot write disclosure directly');
-- the operator's record has a document number that needs JSON escaping
SELECT disclosure_t.confirmed(:ent2, 'admin_penalty', 'serious', 5, E'"引号" \\反斜杠\t换行\n\u0001 😀\u2028 \x7f') AS op \gset
SELECT is(disclosure_t.as_role('integrity_operator', format('SELECT integrity.publish(%s)', :op)), 'ok',
          'SPEC 6, 8 integrity_operator can publish (signing needs no superuser)');
SELECT is((SELECT row(ok, checked, first_bad)::text FROM integrity.verify_chain()), '(t,31,)',
          'SPEC 6 the operator''s disclosure is signed and chained: verify_chain ok, 31 checked');
SELECT is((SELECT payload::jsonb ->> '行政处罚决定书文号' FROM integrity.disclosure WHERE seq = 31),
          E'"引号" \\反斜杠\t换行\n\u0001 😀\u2028 \x7f', 'SPEC 6 a text with quotes, backslash, controls, emoji round-trips through the payload');
SELECT ok((SELECT strpos(payload, E'"行政处罚决定书文号":"\\"引号\\" \\\\反斜杠\\t换行\\n\\u0001 😀\u2028 \x7f"') > 0
             FROM integrity.disclosure WHERE seq = 31),
          'SPEC 6 RFC 8785 3.2.2.2 string escaping: \" \\ \t \n, \u0001 in lower-case hex, emoji, U+2028 and DEL literal');
SELECT is(disclosure_t.as_role('integrity_reader', $$SELECT * FROM integrity.verify_chain()$$), 'ok',
          'SPEC 6, 8 integrity_reader can run verify_chain() for the local origin');
SELECT is(disclosure_t.as_role('integrity_reader', $$SELECT * FROM integrity.tree_head()$$), 'ok',
          'SPEC 6, 8 integrity_reader can read the signed tree head');
SELECT is(disclosure_t.as_role('integrity_reader', $$SELECT integrity.inclusion_proof(3, 30), integrity.consistency_proof(3, 30)$$), 'ok',
          'SPEC 6, 8 integrity_reader can get inclusion and consistency proofs for the local origin');
SELECT is(disclosure_t.as_role('integrity_operator', $$SELECT * FROM integrity.tree_head()$$), 'ok',
          'SPEC 6, 8 integrity_operator can read the signed tree head');


------------------------------------------------------------------------
-- SPEC 6, 9: the payload that record_log writes in C (src/payload_core.c)
-- is byte for byte the canonical form of integrity._disclosure_payload(),
-- the SQL reference, for every category, subject kind and disclosed event
-- (D1.4 masking, D5a 双公示 names), with NULLs, multibyte text, quotes,
-- backslashes and control characters.  Each disclosure is compared right
-- after the statement that appended it (the reference reads the row as it
-- is now), under a DateStyle that is not ISO.
------------------------------------------------------------------------
CREATE TABLE disclosure_t.c_vs_sql (seq bigint, record_id bigint, event text, payload text, reference text);
-- issue 17: the back-link the payload must name, computed here independently
-- of log.c: the newest earlier entry about a record of the same subject
CREATE FUNCTION disclosure_t.prev_seq(o text, s bigint) RETURNS bigint LANGUAGE sql AS $$
    SELECT coalesce(max(p.seq), 0)
      FROM integrity.disclosure d
      JOIN integrity.record r ON r.origin = d.origin AND r.id = d.record_id
      JOIN integrity.record pr ON pr.origin = r.origin AND pr.subject_id = r.subject_id
      JOIN integrity.disclosure p ON p.origin = pr.origin AND p.record_id = pr.id AND p.seq < d.seq
     WHERE d.origin = o AND d.seq = s
$$;
CREATE FUNCTION disclosure_t.compare(cmd text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE before bigint;
BEGIN
    SELECT coalesce(max(seq), 0) INTO before FROM integrity.disclosure WHERE origin = integrity.local_origin();
    EXECUTE cmd;
    INSERT INTO disclosure_t.c_vs_sql
    SELECT d.seq, d.record_id, d.event, d.payload,
           integrity.canonical_json(integrity._disclosure_payload(d.origin, d.record_id, d.event,
                                                                  disclosure_t.prev_seq(d.origin, d.seq))::text)
      FROM integrity.disclosure d WHERE d.origin = integrity.local_origin() AND d.seq > before;
END $$;
-- a valid resident ID (GB 11643 check character) from 17 digits
CREATE FUNCTION disclosure_t.cn_id(body text) RETURNS text LANGUAGE sql AS $$
    SELECT body || substr('10X98765432',
        (SELECT sum(substr(body, i, 1)::int * (ARRAY[7,9,10,5,8,4,2,1,6,3,7,9,10,5,8,4,2])[i])
           FROM generate_series(1, 17) i)::int % 11 + 1, 1)
$$;
-- a valid unified social credit code (GB 32100, GB 11714 check characters) from 16 characters
CREATE FUNCTION disclosure_t.uscc(body text) RETURNS text LANGUAGE sql AS $$
    SELECT body || a || b FROM unnest(string_to_array('0123456789ABCDEFGHJKLMNPQRTUWXY', NULL)) a,
                               unnest(string_to_array('0123456789ABCDEFGHJKLMNPQRTUWXY', NULL)) b
     WHERE integrity.uscc_is_valid(body || a || b) ORDER BY a, b LIMIT 1
$$;
CREATE TABLE disclosure_t.c_subjects (id bigint);
CREATE TABLE disclosure_t.c_transitions (n integer);
CREATE TABLE disclosure_t.c_records (id bigint);
SET LOCAL client_min_messages = error;
INSERT INTO disclosure_t.c_subjects VALUES
    (integrity.subject_add('enterprise', E'"引号"商贸\\有限公司\t\u0001', NULL, legacy_code => 'ZZ1404000000000001')),
    (integrity.subject_add('enterprise', E'Ｆｕｌｌ　width 😀 \u2028 \x7f', disclosure_t.uscc('91140400MA000000'))),
    (integrity.subject_add('government', '长治市潞州区人民政府', disclosure_t.uscc('1114040200000000'))),
    (integrity.subject_add('department', E'统计局/"办公室"', disclosure_t.uscc('1114040000000003'), parent_id => :gov)),
    (integrity.subject_add('civil_servant', E'司马"相如\\', disclosure_t.cn_id('14040219850505123'), parent_id => :gov)),
    (integrity.subject_add('civil_servant', E'李\t四\n', disclosure_t.cn_id('14040219900202456'), parent_id => :dept)),
    (integrity.subject_add('civil_servant', '王小', disclosure_t.cn_id('14040220000303789'), parent_id => :dept)),
    (:ent), (:cs1);
RESET client_min_messages;
SET LOCAL datestyle = 'SQL, DMY';
DO $$
DECLARE
    s record; c record; rid bigint; i integer := 0; pub boolean; n integer := 0;
    texts text[] := ARRAY[NULL, '', E'"引号"\\反斜杠\t制表\n换行\r\u0001\u001f', E'😀 \u2028 \x7f /斜杠', '普通文本 plain'];
    domains text[] := ARRAY['其他', '安全生产', '招标投标', '统计'];
BEGIN
    FOR s IN SELECT sj.id, sj.kind FROM integrity.subject sj JOIN disclosure_t.c_subjects cs ON cs.id = sj.id
              WHERE sj.origin = integrity.local_origin() ORDER BY sj.id LOOP
        FOR c IN SELECT cat.code FROM integrity.category cat WHERE s.kind = ANY (cat.subject_kinds) ORDER BY cat.code LOOP
            i := i + 1;
            rid := integrity.record_add(s.id, c.code, NULL, current_date - 3000 - i,
                                       texts[i % 5 + 1], texts[(i + 1) % 5 + 1], texts[(i + 2) % 5 + 1],
                                       domain => domains[i % 4 + 1],
                                       accident_level => CASE WHEN c.code = 'safety_accident' THEN 'major' END,
                                       deaths => CASE WHEN c.code = 'safety_accident' THEN i % 4 ELSE 0 END);
            INSERT INTO disclosure_t.c_records VALUES (rid);
            PERFORM integrity.notify(rid, '书面告知');
            PERFORM integrity.confirm(rid, '认定');
            n := n + 2;
            SELECT r.publishable INTO pub FROM integrity.record r WHERE r.origin = integrity.local_origin() AND r.id = rid;
            CONTINUE WHEN NOT pub;
            PERFORM disclosure_t.compare(format('SELECT integrity.publish(%s)', rid));
            n := n + 1;
            CASE i % 6
                WHEN 1 THEN
                    PERFORM disclosure_t.compare(format($q$SELECT integrity.object(%s, E'异议"理由\\')$q$, rid));
                    PERFORM disclosure_t.compare(format($q$SELECT integrity.resolve_objection(%s, false, '驳回')$q$, rid));
                    n := n + 2;
                WHEN 2 THEN
                    PERFORM disclosure_t.compare(format($q$SELECT integrity.object(%s, '异议')$q$, rid));
                    PERFORM disclosure_t.compare(format($q$SELECT integrity.resolve_objection(%s, true, '成立')$q$, rid));
                    n := n + 2;
                WHEN 3 THEN
                    PERFORM disclosure_t.compare(format($q$SELECT integrity.repair(%s, '信用修复')$q$, rid));
                    n := n + 1;
                WHEN 4 THEN
                    PERFORM disclosure_t.compare(format($q$SELECT integrity.revoke(%s, '撤销')$q$, rid));
                    n := n + 1;
                WHEN 5 THEN
                    PERFORM disclosure_t.compare(format($q$SELECT integrity.object(%s, E'异议\t中')$q$, rid));
                    n := n + 1;
                ELSE NULL;
            END CASE;
        END LOOP;
    END LOOP;
    -- the rest expire (their publicity ended long ago); one statement, many disclosures
    SELECT n + count(*) INTO n FROM integrity.record r JOIN disclosure_t.c_records cr ON cr.id = r.id
     WHERE r.origin = integrity.local_origin() AND r.state = 'published';
    PERFORM disclosure_t.compare('SELECT integrity.expire_due()');
    INSERT INTO disclosure_t.c_transitions VALUES (n);
END $$;
RESET datestyle;

SELECT cmp_ok((SELECT count(*) FROM disclosure_t.c_vs_sql), '>=', 150::bigint,
              'SPEC 9 C payload: at least 150 disclosures of the workload compared with the SQL reference');
SELECT is((SELECT count(*) FROM disclosure_t.c_vs_sql WHERE payload IS DISTINCT FROM reference), 0::bigint,
          'SPEC 6, 9 every C payload equals canonical_json(_disclosure_payload(...)) byte for byte');
SELECT is((SELECT array_agg(DISTINCT event ORDER BY event) FROM disclosure_t.c_vs_sql),
          ARRAY['expire', 'objection', 'objection_resolved', 'publish', 'repair', 'revoke'],
          'SPEC 6 C payload compared for all six disclosed events');
SELECT is((SELECT count(DISTINCT r.category) FROM disclosure_t.c_vs_sql v
             JOIN integrity.record r ON r.origin = integrity.local_origin() AND r.id = v.record_id),
          (SELECT count(*) FROM integrity.category WHERE published),
          'SPEC 6 C payload compared for every published category');
SELECT is((SELECT array_agg(DISTINCT s.kind::text ORDER BY s.kind::text) FROM disclosure_t.c_vs_sql v
             JOIN integrity.record r ON r.origin = integrity.local_origin() AND r.id = v.record_id
             JOIN integrity.subject s ON s.origin = r.origin AND s.id = r.subject_id),
          ARRAY['civil_servant', 'department', 'enterprise', 'government'],
          'SPEC 6 C payload compared for every subject kind');
SELECT ok((SELECT count(*) FILTER (WHERE payload ~ '\\u0001') > 0 AND count(*) FILTER (WHERE payload ~ '😀') > 0
              AND count(*) FILTER (WHERE payload ~ '"document_no":""') > 0
              AND count(*) FILTER (WHERE payload ~ '"备注":"异议处理中"') > 0
              AND count(*) FILTER (WHERE payload ~ '"supersedes":null') > 0
              AND count(*) FILTER (WHERE payload ~ '"code":"ZZ1404000000000001"') > 0
             FROM disclosure_t.c_vs_sql),
          'SPEC 6 the compared payloads include escapes, emoji, coalesced NULLs, 异议处理中, null, a legacy code');
SELECT is((SELECT count(*) FROM disclosure_t.c_vs_sql v, integrity.subject s
            WHERE s.origin = integrity.local_origin() AND s.kind = 'civil_servant'
              AND (strpos(v.payload, s.cn_id::text) > 0 OR strpos(v.payload, '"' || s.name || '"') > 0)), 0::bigint,
          'D1.4 no C payload holds a person''s resident ID or full name');
SELECT ok((SELECT count(*) FILTER (WHERE payload ~ '"行政相对人名称":"司马\*+"') > 0
              AND count(*) FILTER (WHERE payload ~ '"name":"王\*"') > 0
              AND count(*) FILTER (WHERE payload ~ '"code":"140402\*\*\*\*\*\*\*\*') > 0
             FROM disclosure_t.c_vs_sql),
          'D1.4 persons masked in the C payload: 司马*** (compound family name), 王*, 140402********xxxx');
SELECT ok((SELECT bool_and(payload ~ '"(disclosed_on|decided_on|处罚决定日期)":"\d{4}-\d{2}-\d{2}"') FROM disclosure_t.c_vs_sql),
          'SPEC 6 dates in the C payload are ISO 8601 whatever the DateStyle');
SELECT is((SELECT count(*) FROM integrity.record_event e JOIN disclosure_t.c_records cr ON cr.id = e.record_id
            WHERE e.origin = integrity.local_origin() AND e.from_state IS NOT NULL),
          (SELECT n::bigint FROM disclosure_t.c_transitions),
          'SPEC 4 one record_event row per transition, disclosed or not (the disclosure''s statement writes it)');
SELECT is((SELECT count(*) FROM integrity.record_event e JOIN disclosure_t.c_records cr ON cr.id = e.record_id
            WHERE e.origin = integrity.local_origin() AND ((e.from_state = 'confirmed' AND e.to_state = 'published') OR e.from_state = 'objected'
               OR e.to_state IN ('objected', 'repaired', 'revoked', 'expired'))),
          (SELECT count(*) FROM disclosure_t.c_vs_sql v JOIN disclosure_t.c_records cr ON cr.id = v.record_id),
          'SPEC 4 one record_event row for each disclosed transition');
SELECT is((SELECT string_agg(e.reason, '|' ORDER BY e.id) FROM integrity.record_event e
            WHERE e.origin = integrity.local_origin() AND e.record_id = (SELECT min(record_id) FROM disclosure_t.c_vs_sql WHERE event = 'objection_resolved')
              AND e.from_state IN ('published', 'objected') AND e.to_state IN ('published', 'objected')),
          E'异议"理由\\|驳回', 'SPEC 4 the reasons of disclosed transitions are in record_event');
SELECT is((SELECT row(ok, first_bad)::text FROM integrity.verify_chain()), '(t,)',
          'SPEC 6 the chain with the C payloads verifies');
SELECT ok((SELECT bool_and(integrity.verify_entry(integrity.local_origin(), seq)) FROM disclosure_t.c_vs_sql),
          'SPEC 6 every entry with a C payload verifies on its own');

-- SPEC 4, 9: publish() in C keeps the rules and errors of transition()
SELECT throws_ok('SELECT integrity.publish(NULL)', '22004', 'record_id is required', 'SPEC 4 publish(NULL): 22004');
SELECT throws_ok('SELECT integrity.publish(987654321)', 'P0002', 'record 987654321 does not exist',
                 'SPEC 4 publish of an unknown record: P0002');
SELECT throws_ok(format('SELECT integrity.publish(%s)', (SELECT min(record_id) FROM disclosure_t.c_vs_sql WHERE event = 'repair')),
                 '55000', NULL, 'SPEC 4 publish of a repaired record: 55000');
SELECT disclosure_t.confirmed(:ent, 'judicial_judgment', 'serious', 20, '(2026)晋04民初9号') AS c9 \gset
SAVEPOINT c9;
SELECT integrity.publish(:c9) AS c9_seq \gset
SELECT is(:c9_seq::bigint, (SELECT max(seq) FROM integrity.disclosure WHERE origin = integrity.local_origin()),
          'SPEC 6 publish() returns the seq of the disclosure it appended');
ROLLBACK TO SAVEPOINT c9;
SELECT is((SELECT count(*) FROM integrity.disclosure WHERE origin = integrity.local_origin() AND record_id = :c9), 0::bigint,
          'SPEC 6 a publish rolled back leaves no disclosure');
SELECT is((SELECT count(*) FROM integrity.record_event WHERE origin = integrity.local_origin() AND record_id = :c9
              AND to_state = 'published'), 0::bigint,
          'SPEC 4 a publish rolled back leaves no record_event row');
SELECT integrity.publish(:c9) AS c9_seq2 \gset
SELECT is(:c9_seq2::bigint, :c9_seq::bigint, 'SPEC 6 published again after the rollback: the same seq, no gap');
SELECT is((SELECT row(ok, first_bad)::text FROM integrity.verify_chain()), '(t,)',
          'SPEC 6 the chain verifies after a rolled-back publish');


-- SPEC 9: publish_many(record_ids), publish() for each element in one call
SELECT disclosure_t.confirmed(:ent, 'judicial_judgment', 'serious', 21, '(2026)晋04民初21号') AS m1 \gset
SELECT disclosure_t.confirmed(:cs1, 'admin_penalty', 'general', 22, E'长政罚"22"\\号') AS m2 \gset
SELECT disclosure_t.confirmed(:gov, 'accountability', 'general', 23, NULL) AS m3 \gset
SELECT max(seq) AS m_before FROM integrity.disclosure WHERE origin = integrity.local_origin() \gset
SELECT throws_ok(format('SELECT integrity.publish_many(ARRAY[%s, NULL, %s])', :m1, :m2), '22004', 'record_id is required',
                 'SPEC 4 publish_many with a NULL element: 22004');
SELECT throws_ok('SELECT integrity.publish_many(NULL)', '22004', 'record_ids is required', 'SPEC 4 publish_many(NULL): 22004');
SELECT throws_ok(format('SELECT integrity.publish_many(ARRAY[%s, 987654321, %s])', :m1, :m2), 'P0002', 'record 987654321 does not exist',
                 'SPEC 4 publish_many with an unknown record: P0002');
SELECT throws_ok(format('SELECT integrity.publish_many(ARRAY[%s, %s, %s])', :m1, :m2, :m1), '55000', NULL,
                 'SPEC 4 publish_many with a record twice: 55000 (illegal transition)');
SELECT is((SELECT count(*) FROM integrity.disclosure WHERE origin = integrity.local_origin() AND seq > :m_before), 0::bigint,
          'SPEC 6 a failed publish_many leaves no disclosure (the first error cancels all)');
SELECT is(disclosure_t.as_role('integrity_reader', format('SELECT integrity.publish_many(ARRAY[%s])', :m1)) ~ '^42501', true,
          'SPEC 8 a reader cannot call publish_many');
SELECT is(ARRAY(SELECT integrity.publish_many('{}')), '{}'::bigint[], 'SPEC 9 publish_many of no record returns no row');
SELECT is(disclosure_t.as_role('integrity_operator', format('SELECT integrity.publish_many(ARRAY[%s, %s, %s])', :m2, :m1, :m3)), 'ok',
          'SPEC 8 integrity_operator can call publish_many');
INSERT INTO disclosure_t.c_vs_sql
SELECT d.seq, d.record_id, d.event, d.payload,
       integrity.canonical_json(integrity._disclosure_payload(d.origin, d.record_id, d.event,
                                                              disclosure_t.prev_seq(d.origin, d.seq))::text)
  FROM integrity.disclosure d WHERE d.origin = integrity.local_origin() AND d.seq > :m_before;
SELECT is(ARRAY(SELECT seq FROM integrity.disclosure WHERE origin = integrity.local_origin() AND seq > :m_before ORDER BY seq),
          ARRAY[:m_before + 1, :m_before + 2, :m_before + 3]::bigint[], 'SPEC 6 publish_many: three consecutive seqs');
SELECT is(ARRAY(SELECT record_id FROM integrity.disclosure WHERE origin = integrity.local_origin() AND seq > :m_before ORDER BY seq),
          ARRAY[:m2, :m1, :m3]::bigint[], 'SPEC 9 publish_many publishes in array order');
SELECT is((SELECT count(*) FROM disclosure_t.c_vs_sql WHERE seq > :m_before AND payload = reference AND event = 'publish'), 3::bigint,
          'SPEC 6, 9 the payloads of publish_many equal the SQL reference');
SELECT disclosure_t.confirmed(:ent, 'judicial_judgment', 'serious', 24, '(2026)晋04民初24号') AS m4 \gset
SELECT disclosure_t.confirmed(:ent, 'judicial_judgment', 'serious', 25, '(2026)晋04民初25号') AS m5 \gset
SELECT ARRAY(SELECT integrity.publish_many(ARRAY[:m5, :m4]))::text AS m_seqs \gset
SELECT is(:'m_seqs'::bigint[],
          ARRAY(SELECT seq FROM integrity.disclosure WHERE origin = integrity.local_origin() AND seq > :m_before + 3 ORDER BY record_id DESC),
          'SPEC 9 publish_many returns the seqs in array order');
SELECT is((SELECT row(ok, first_bad)::text FROM integrity.verify_chain()), '(t,)',
          'SPEC 6 the chain verifies after publish_many');


-- a payload without a fast form (an id beyond 2^53, which the reference
-- writes through an IEEE double) is built by the reference itself
SELECT last_value AS rid_last FROM integrity.record_id_seq \gset
SELECT setval('integrity.record_id_seq', 9007199254740992);
SELECT disclosure_t.confirmed(:ent, 'judicial_judgment', 'serious', 26, '(2026)晋04民初26号') AS big \gset
SELECT setval('integrity.record_id_seq', :rid_last);
SELECT disclosure_t.compare(format('SELECT integrity.publish(%s)', :big));
SELECT is((SELECT payload = reference FROM disclosure_t.c_vs_sql WHERE record_id = :big),
          true, 'SPEC 6 a record id beyond 2^53 takes the reference path: the same payload');
SELECT is((SELECT row(ok, first_bad)::text FROM integrity.verify_chain()), '(t,)',
          'SPEC 6 the chain verifies with a reference-built payload in it');


-- the Merkle nodes written by these appends (the newest node of each level
-- comes from the appending backend's memory while nobody else appends)
SELECT disclosure_t.size() AS m_size \gset
SELECT is((SELECT count(*) FROM integrity.merkle_node n
            WHERE n.origin = integrity.local_origin()
              AND n.hash IS DISTINCT FROM disclosure_t.mth(disclosure_t.entries(:m_size), n.idx << n.level, (n.idx + 1) << n.level)),
          0::bigint, 'SPEC 6 every stored Merkle node is the RFC 6962 hash of its leaves, across rollbacks');
SELECT is((SELECT count(*) FROM integrity.merkle_node n WHERE n.origin = integrity.local_origin()),
          2 * :m_size - (SELECT length(replace((:m_size::bit(64))::text, '0', '')))::bigint,
          'SPEC 6 one node per complete subtree, none missing or left over');
SELECT is((SELECT root_hash FROM integrity.tree_head()), disclosure_t.root(:m_size),
          'SPEC 6 tree_head root = RFC 6962 root recomputed in SQL');

SELECT * FROM finish();
ROLLBACK;
