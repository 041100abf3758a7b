-- pgTAP: published test vectors for the cryptography of the disclosure log
-- (SPEC 6; DOMAIN D6).
--   * RFC 8032 7.1 Ed25519 TEST 1, 2, 3 through integrity.ed25519_verify;
--   * RFC 6962 hashing: the empty-tree root and the 8-leaf test tree of
--     certificate-transparency / transparency-dev/merkle (leaf inputs, node
--     hashes, roots of sizes 1..8, inclusion and consistency proofs);
--   * the C2SP signed-note example of golang.org/x/mod/sumdb/note
--     (PeterNeumann), for the key hash and signature of a checkpoint.
-- The expected values are the published ones, typed in here.  To run the
-- extension's own Merkle code on the 8-leaf tree, its complete-subtree
-- hashes are stored for a made-up origin '999999' in integrity.merkle_node /
-- integrity.chain_head (white box: the layout of docs/DESIGN.md); no
-- disclosure row and no signing key are needed.
BEGIN;
CREATE EXTENSION IF NOT EXISTS pgtap;
CREATE EXTENSION IF NOT EXISTS integrity;
SELECT plan(48);

CREATE SCHEMA vectors_t;

-- RFC 8032 7.1 TEST 1, 2, 3
CREATE TABLE vectors_t.ed25519 (test int, pub bytea, msg bytea, sig bytea);
INSERT INTO vectors_t.ed25519 VALUES
 (1, '\xd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a', '\x',
     '\xe5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b'),
 (2, '\x3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c', '\x72',
     '\x92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00'),
 (3, '\xfc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025', '\xaf82',
     '\x6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a');

-- flip bit nbit of byte pos (0-based)
CREATE FUNCTION vectors_t.flip(b bytea, pos int, nbit int) RETURNS bytea LANGUAGE sql IMMUTABLE AS $$
    SELECT set_byte(b, pos, get_byte(b, pos) # (1 << nbit))
$$;

-- S + L (little-endian, 32 bytes): the same signature with a non-canonical S
CREATE FUNCTION vectors_t.s_plus_l(sig bytea) RETURNS bytea LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    l numeric := 7237005577332262213973186563042994240857116359379907606001950938285454250989;
    s numeric := 0;
    out bytea := substr(sig, 1, 32);
    i int;
BEGIN
    FOR i IN REVERSE 63 .. 32 LOOP s := s * 256 + get_byte(sig, i); END LOOP;
    s := s + l;
    FOR i IN 0 .. 31 LOOP
        out := out || set_byte('\x00'::bytea, 0, mod(s, 256)::int);
        s := div(s, 256);
    END LOOP;
    RETURN out;
END $$;

-- RFC 6962 2.1 Merkle Tree Hash of leaves[lo+1 .. hi]
CREATE FUNCTION vectors_t.mth(leaves bytea[], lo bigint, hi bigint) RETURNS bytea LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE n bigint := hi - lo; k bigint := 1;
BEGIN
    IF n = 0 THEN RETURN sha256(''::bytea); END IF;
    IF n = 1 THEN RETURN sha256('\x00'::bytea || leaves[lo + 1]); END IF;
    WHILE k * 2 < n LOOP k := k * 2; END LOOP;
    RETURN sha256('\x01'::bytea || vectors_t.mth(leaves, lo, lo + k) || vectors_t.mth(leaves, lo + k, hi));
END $$;

-- RFC 9162 2.1.3.2 and 2.1.4.2 verifiers (as in test/03_log.sql)
CREATE FUNCTION vectors_t.verify_inclusion(idx bigint, sz bigint, leaf_hash bytea, proof bytea[], root bytea)
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

CREATE FUNCTION vectors_t.verify_consistency(m bigint, n bigint, proof bytea[], root1 bytea, root2 bytea)
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

------------------------------------------------------------------------
-- RFC 8032 7.1: Ed25519 TEST 1, 2, 3
------------------------------------------------------------------------
SELECT ok(integrity.ed25519_verify(pub, msg, sig), format('RFC 8032 7.1 TEST %s verifies', test))
  FROM vectors_t.ed25519 ORDER BY test;
SELECT ok(NOT integrity.ed25519_verify(pub, msg, vectors_t.flip(sig, 0, 0))
          AND NOT integrity.ed25519_verify(pub, msg, vectors_t.flip(sig, 40, 5)),
          format('RFC 8032 7.1 TEST %s: a flipped bit in R or S does not verify', test))
  FROM vectors_t.ed25519 ORDER BY test;
SELECT ok(NOT integrity.ed25519_verify(pub, CASE WHEN length(msg) = 0 THEN '\x00'::bytea ELSE vectors_t.flip(msg, 0, 7) END, sig),
          format('RFC 8032 7.1 TEST %s: a changed message does not verify', test))
  FROM vectors_t.ed25519 ORDER BY test;
SELECT ok(NOT integrity.ed25519_verify(vectors_t.flip(pub, 0, 1), msg, sig),
          format('RFC 8032 7.1 TEST %s: a flipped bit in the public key does not verify', test))
  FROM vectors_t.ed25519 ORDER BY test;
SELECT ok(NOT integrity.ed25519_verify(pub, msg, vectors_t.s_plus_l(sig)),
          format('RFC 8032 5.1.7 TEST %s: the signature with S + L (non-canonical S) is rejected', test))
  FROM vectors_t.ed25519 ORDER BY test;
SELECT ok(NOT integrity.ed25519_verify(a.pub, a.msg, b.sig), 'RFC 8032 7.1 TEST 2 signature under the TEST 1 key does not verify')
  FROM vectors_t.ed25519 a, vectors_t.ed25519 b WHERE a.test = 1 AND b.test = 2;
SELECT ok(NOT integrity.ed25519_verify(substr(pub, 1, 31), msg, sig) AND NOT integrity.ed25519_verify(pub, msg, substr(sig, 1, 63))
          AND NOT integrity.ed25519_verify(pub || '\x00'::bytea, msg, sig) AND NOT integrity.ed25519_verify(pub, msg, sig || '\x00'::bytea),
          'SPEC 6 ed25519_verify: a key or signature of the wrong length is false, not an error')
  FROM vectors_t.ed25519 WHERE test = 3;

------------------------------------------------------------------------
-- RFC 6962 2.1 hashing: empty tree, the 8-leaf test tree
------------------------------------------------------------------------
CREATE TABLE vectors_t.leaf (i int, data bytea);  -- 0-based index
INSERT INTO vectors_t.leaf VALUES (0, '\x'), (1, '\x00'), (2, '\x10'), (3, '\x2021'), (4, '\x3031'), (5, '\x40414243'),
    (6, '\x5051525354555657'), (7, '\x606162636465666768696a6b6c6d6e6f');
-- complete subtree hashes (level, idx): transparency-dev/merkle testonly NodeHashes
CREATE TABLE vectors_t.node (level int, idx int, hash bytea);
INSERT INTO vectors_t.node VALUES
 (0, 0, '\x6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d'),
 (0, 1, '\x96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7'),
 (0, 2, '\x0298d122906dcfc10892cb53a73992fc5b9f493ea4c9badb27b791b4127a7fe7'),
 (0, 3, '\x07506a85fd9dd2f120eb694f86011e5bb4662e5c415a62917033d4a9624487e7'),
 (0, 4, '\xbc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b'),
 (0, 5, '\x4271a26be0d8a84f0bd54c8c302e7cb3a3b5d1fa6780a40bcce2873477dab658'),
 (0, 6, '\xb08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f'),
 (0, 7, '\x46f6ffadd3d06a09ff3c5860d2755c8b9819db7df44251788c7d8e3180de8eb1'),
 (1, 0, '\xfac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125'),
 (1, 1, '\x5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e'),
 (1, 2, '\x0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a'),
 (1, 3, '\xca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0'),
 (2, 0, '\xd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7'),
 (2, 1, '\x6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4'),
 (3, 0, '\x5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328');
-- roots of the trees of size 0..8: transparency-dev/merkle testonly RootHashes
CREATE TABLE vectors_t.root (size int, hash bytea);
INSERT INTO vectors_t.root VALUES
 (0, '\xe3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'),
 (1, '\x6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d'),
 (2, '\xfac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125'),
 (3, '\xaeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77'),
 (4, '\xd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7'),
 (5, '\x4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4'),
 (6, '\x76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef'),
 (7, '\xddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c'),
 (8, '\x5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328');
CREATE FUNCTION vectors_t.r(k int) RETURNS bytea LANGUAGE sql AS $$ SELECT hash FROM vectors_t.root WHERE size = k $$;
CREATE FUNCTION vectors_t.h(level int, idx int) RETURNS bytea LANGUAGE sql AS $$
    SELECT n.hash FROM vectors_t.node n WHERE n.level = h.level AND n.idx = h.idx $$;
CREATE FUNCTION vectors_t.leaves() RETURNS bytea[] LANGUAGE sql AS $$ SELECT array_agg(data ORDER BY i) FROM vectors_t.leaf $$;

SELECT is(sha256(''::bytea), vectors_t.r(0), 'RFC 6962 2.1 the empty-tree root is SHA-256 of the empty string (e3b0c442...)');
SAVEPOINT empty_log;
SELECT integrity.set_origin('999998');
SELECT is((SELECT row(tree_size, root_hash, checkpoint IS NOT NULL)::text FROM integrity.tree_head()),
          row(0::bigint, vectors_t.r(0), true)::text,
          'SPEC 6, RFC 6962 tree_head of a local log without entries: size 0, the empty-tree root, a signed checkpoint');
ROLLBACK TO SAVEPOINT empty_log;
SELECT throws_ok($$SELECT * FROM integrity.tree_head('999997')$$, '22023',
                 'no disclosure log of origin "999997" is held here',
                 'issue 13: tree_head of an origin whose log is not held here is an error, not an empty tree');
SELECT is(array(SELECT sha256('\x00'::bytea || data) FROM vectors_t.leaf ORDER BY i),
          array(SELECT hash FROM vectors_t.node WHERE level = 0 ORDER BY idx),
          'RFC 6962 2.1 leaf hash = SHA-256(0x00 || data): the 8 leaves of the test tree (SQL)');
SELECT is(array(SELECT integrity.merkle_leaf_hash(data) FROM vectors_t.leaf ORDER BY i),
          array(SELECT hash FROM vectors_t.node WHERE level = 0 ORDER BY idx),
          'RFC 6962 2.1 integrity.merkle_leaf_hash gives the 8 leaf hashes of the test tree');
SELECT is(array(SELECT sha256('\x01'::bytea || vectors_t.h(level - 1, 2 * idx) || vectors_t.h(level - 1, 2 * idx + 1))
                  FROM vectors_t.node WHERE level > 0 ORDER BY level, idx),
          array(SELECT hash FROM vectors_t.node WHERE level > 0 ORDER BY level, idx),
          'RFC 6962 2.1 node = SHA-256(0x01 || left || right): the 7 inner nodes of the test tree');
SELECT is(array(SELECT vectors_t.mth(vectors_t.leaves(), 0, k) FROM generate_series(0, 8) k),
          array(SELECT hash FROM vectors_t.root ORDER BY size),
          'RFC 6962 2.1 the SQL Merkle Tree Hash gives the published roots of sizes 0..8');

-- the extension's tree code over the stored test tree (origin 999999)
INSERT INTO integrity.merkle_node (origin, level, idx, hash) SELECT '999999', level, idx, hash FROM vectors_t.node;
INSERT INTO integrity.chain_head (origin, size, head) VALUES ('999999', 8, vectors_t.h(0, 7));
CREATE FUNCTION vectors_t.head_at(k int) RETURNS bytea LANGUAGE plpgsql AS $$
DECLARE r bytea;
BEGIN
    UPDATE integrity.chain_head SET size = k WHERE origin = '999999';
    SELECT root_hash INTO r FROM integrity.tree_head('999999');
    UPDATE integrity.chain_head SET size = 8 WHERE origin = '999999';
    RETURN r;
END $$;
SELECT is(array(SELECT vectors_t.head_at(k) FROM generate_series(1, 8) k),
          array(SELECT hash FROM vectors_t.root WHERE size >= 1 ORDER BY size),
          'SPEC 6, RFC 6962 tree_head over the test tree: the published roots of sizes 1..8');

-- transparency-dev/merkle proof/verify_test.go inclusionProofs (leaf is 1-based = seq)
SELECT is(integrity.inclusion_proof(1, 8, '999999'),
          ARRAY['\x96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
                '\x5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
                '\x6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4']::bytea[],
          'RFC 9162 inclusion proof vector: leaf 1 in 8');
SELECT is(integrity.inclusion_proof(6, 8, '999999'),
          ARRAY['\xbc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
                '\xca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
                '\xd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7']::bytea[],
          'RFC 9162 inclusion proof vector: leaf 6 in 8');
SELECT is(integrity.inclusion_proof(3, 3, '999999'),
          ARRAY['\xfac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125']::bytea[],
          'RFC 9162 inclusion proof vector: leaf 3 in 3');
SELECT is(integrity.inclusion_proof(2, 5, '999999'),
          ARRAY['\x6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
                '\x5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
                '\xbc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b']::bytea[],
          'RFC 9162 inclusion proof vector: leaf 2 in 5');
SELECT is(integrity.inclusion_proof(1, 1, '999999'), '{}'::bytea[], 'RFC 9162 inclusion proof vector: leaf 1 in 1 is empty');

-- transparency-dev/merkle proof/verify_test.go consistencyProofs
SELECT is(integrity.consistency_proof(1, 8, '999999'),
          ARRAY['\x96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
                '\x5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
                '\x6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4']::bytea[],
          'RFC 9162 consistency proof vector: 1 -> 8');
SELECT is(integrity.consistency_proof(6, 8, '999999'),
          ARRAY['\x0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
                '\xca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
                '\xd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7']::bytea[],
          'RFC 9162 consistency proof vector: 6 -> 8');
SELECT is(integrity.consistency_proof(2, 5, '999999'),
          ARRAY['\x5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
                '\xbc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b']::bytea[],
          'RFC 9162 consistency proof vector: 2 -> 5');
SELECT is(integrity.consistency_proof(6, 7, '999999'),
          ARRAY['\x0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
                '\xb08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f',
                '\xd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7']::bytea[],
          'RFC 9162 consistency proof vector: 6 -> 7');
SELECT is(integrity.consistency_proof(1, 1, '999999'), '{}'::bytea[], 'RFC 9162 consistency proof vector: 1 -> 1 is empty');
SELECT throws_ok($$SELECT integrity.inclusion_proof(1, 9, '999999')$$, '22023', NULL,
                 'SPEC 6 inclusion_proof past the stored tree size: 22023');

-- the SQL verifiers of test/03_log.sql against the same vectors
SELECT ok(vectors_t.verify_inclusion(0, 8, vectors_t.h(0, 0), integrity.inclusion_proof(1, 8, '999999'), vectors_t.r(8))
          AND vectors_t.verify_inclusion(5, 8, vectors_t.h(0, 5), integrity.inclusion_proof(6, 8, '999999'), vectors_t.r(8))
          AND vectors_t.verify_inclusion(2, 3, vectors_t.h(0, 2), integrity.inclusion_proof(3, 3, '999999'), vectors_t.r(3))
          AND vectors_t.verify_inclusion(1, 5, vectors_t.h(0, 1), integrity.inclusion_proof(2, 5, '999999'), vectors_t.r(5)),
          'RFC 9162 2.1.3.2 the SQL verifier accepts the inclusion vectors');
SELECT is((SELECT count(*) FROM generate_series(1, 8) n, generate_series(1, n) s
            WHERE NOT vectors_t.verify_inclusion(s - 1, n, vectors_t.h(0, s - 1),
                                                 integrity.inclusion_proof(s, n, '999999'), vectors_t.r(n))),
          0::bigint, 'RFC 9162 every inclusion proof of the test tree (36) verifies against the published roots');
SELECT ok(NOT vectors_t.verify_inclusion(4, 8, vectors_t.h(0, 5), integrity.inclusion_proof(6, 8, '999999'), vectors_t.r(8))
          AND NOT vectors_t.verify_inclusion(5, 16, vectors_t.h(0, 5), integrity.inclusion_proof(6, 8, '999999'), vectors_t.r(8))
          AND NOT vectors_t.verify_inclusion(5, 4, vectors_t.h(0, 5), integrity.inclusion_proof(6, 8, '999999'), vectors_t.r(8))
          AND NOT vectors_t.verify_inclusion(5, 8, vectors_t.h(0, 4), integrity.inclusion_proof(6, 8, '999999'), vectors_t.r(8))
          AND NOT vectors_t.verify_inclusion(5, 8, vectors_t.h(0, 5), integrity.inclusion_proof(6, 8, '999999'), vectors_t.r(0))
          AND NOT vectors_t.verify_inclusion(5, 8, vectors_t.h(0, 5), integrity.inclusion_proof(6, 8, '999999') || vectors_t.r(8), vectors_t.r(8))
          AND NOT vectors_t.verify_inclusion(5, 8, vectors_t.h(0, 5), trim_array(integrity.inclusion_proof(6, 8, '999999'), 1), vectors_t.r(8)),
          'RFC 9162 the SQL verifier rejects the corrupted inclusion probes (index, size, leaf, root, extra, missing)');
SELECT ok(vectors_t.verify_consistency(1, 8, integrity.consistency_proof(1, 8, '999999'), vectors_t.r(1), vectors_t.r(8))
          AND vectors_t.verify_consistency(6, 8, integrity.consistency_proof(6, 8, '999999'), vectors_t.r(6), vectors_t.r(8))
          AND vectors_t.verify_consistency(2, 5, integrity.consistency_proof(2, 5, '999999'), vectors_t.r(2), vectors_t.r(5))
          AND vectors_t.verify_consistency(6, 7, integrity.consistency_proof(6, 7, '999999'), vectors_t.r(6), vectors_t.r(7)),
          'RFC 9162 2.1.4.2 the SQL verifier accepts the consistency vectors');
SELECT is((SELECT count(*) FROM generate_series(1, 8) n, generate_series(1, n) m
            WHERE NOT vectors_t.verify_consistency(m, n, integrity.consistency_proof(m, n, '999999'), vectors_t.r(m), vectors_t.r(n))),
          0::bigint, 'RFC 9162 every consistency proof of the test tree (36) verifies against the published roots');
SELECT ok(NOT vectors_t.verify_consistency(5, 8, integrity.consistency_proof(6, 8, '999999'), vectors_t.r(5), vectors_t.r(8))
          AND NOT vectors_t.verify_consistency(6, 8, integrity.consistency_proof(6, 8, '999999'), vectors_t.r(8), vectors_t.r(6))
          AND NOT vectors_t.verify_consistency(6, 8, '{}', vectors_t.r(6), vectors_t.r(8))
          AND NOT vectors_t.verify_consistency(6, 8, integrity.consistency_proof(6, 8, '999999') || vectors_t.r(8), vectors_t.r(6), vectors_t.r(8))
          AND NOT vectors_t.verify_consistency(6, 8, trim_array(integrity.consistency_proof(6, 8, '999999'), 1), vectors_t.r(6), vectors_t.r(8))
          AND NOT vectors_t.verify_consistency(6, 8, vectors_t.r(6) || integrity.consistency_proof(6, 8, '999999'), vectors_t.r(6), vectors_t.r(8)),
          'RFC 9162 the SQL verifier rejects the corrupted consistency probes (size, swapped roots, empty, extra, missing)');
SELECT is((SELECT count(*) FROM generate_series(1, 3) i, generate_series(0, 7) b
            WHERE vectors_t.verify_consistency(6, 8,
                      array(SELECT CASE WHEN ord = i THEN vectors_t.flip(e, 0, b) ELSE e END
                              FROM unnest(integrity.consistency_proof(6, 8, '999999')) WITH ORDINALITY AS u(e, ord) ORDER BY ord),
                      vectors_t.r(6), vectors_t.r(8))), 0::bigint,
          'RFC 9162 the consistency vector 6 -> 8 with any bit of the first byte of any element flipped fails');
SELECT is((SELECT count(*) FROM generate_series(1, 3) i, generate_series(0, 7) b
            WHERE vectors_t.verify_inclusion(5, 8, vectors_t.h(0, 5),
                      array(SELECT CASE WHEN ord = i THEN vectors_t.flip(e, 31, b) ELSE e END
                              FROM unnest(integrity.inclusion_proof(6, 8, '999999')) WITH ORDINALITY AS u(e, ord) ORDER BY ord),
                      vectors_t.r(8))), 0::bigint,
          'RFC 9162 the inclusion vector 6 in 8 with any bit of the last byte of any element flipped fails');

------------------------------------------------------------------------
-- C2SP signed note (golang.org/x/mod/sumdb/note example)
------------------------------------------------------------------------
CREATE TABLE vectors_t.note AS SELECT
    'PeterNeumann'::text AS name,
    decode('ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW', 'base64') AS vkey,   -- 0x01 || public key
    E'If you think cryptography is the answer to your problem,\nthen you don''t know what your problem is.\n'::text AS body,
    decode('x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=', 'base64') AS blob;
SELECT is((SELECT substr(sha256(convert_to(name, 'UTF8') || '\x0a'::bytea || vkey), 1, 4) FROM vectors_t.note), '\xc74f20a3'::bytea,
          'C2SP signed-note key hash = SHA-256(name || 0x0A || 0x01 || key)[0:4] = c74f20a3 (PeterNeumann)');
SELECT ok((SELECT substr(blob, 1, 4) = '\xc74f20a3'::bytea AND length(blob) = 68 FROM vectors_t.note),
          'C2SP signed-note signature = key hash (4) || Ed25519 signature (64)');
SELECT ok((SELECT integrity.ed25519_verify(substr(vkey, 2), convert_to(body, 'UTF8'), substr(blob, 5)) FROM vectors_t.note),
          'C2SP signed note: the PeterNeumann signature verifies over the note text with integrity.ed25519_verify');
SELECT ok((SELECT NOT integrity.ed25519_verify(substr(vkey, 2), convert_to(body || E'\n', 'UTF8'), substr(blob, 5)) FROM vectors_t.note),
          'C2SP signed note: ... and not over the text with a blank line appended');

SELECT * FROM finish();
ROLLBACK;
