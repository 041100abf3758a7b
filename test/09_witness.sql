-- pgTAP: witnessed logs (issue 16; SPEC 6, 10; DOMAIN D2.9 逐级归集).
--
-- One database plays both levels: the county 140421 writes its log, then
-- integrity.settings is switched to the city 140400, which holds that log
-- exactly as replication would have left it (the same rows, the same
-- public key) and witnesses it with its own witness key
-- (integrity.witness_key_file).  Savepoints make the checkpoints of trees
-- that the held log does not have (a fork, a tree ahead of what arrived).
-- Every cosignature is checked here in SQL from the C2SP texts
-- (tlog-cosignature: key ID = SHA-256(name || 0x0A || 0x04 || key)[:4],
-- signature over "cosignature/v1\ntime <t>\n" || the note body), with the
-- built-in sha256() and integrity.ed25519_verify.  Runs as a superuser;
-- everything is rolled back at the end.
BEGIN;
CREATE EXTENSION IF NOT EXISTS pgtap;
CREATE EXTENSION IF NOT EXISTS integrity;
SELECT plan(72);

CREATE SCHEMA w_t;
CREATE ROLE w09_reader IN ROLE integrity_reader;
CREATE ROLE w09_operator IN ROLE integrity_operator;
CREATE ROLE w09_admin IN ROLE integrity_admin;

-- play the level of origin o (what set_origin refuses once records exist)
CREATE FUNCTION w_t.be(o text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    UPDATE integrity.settings SET origin = o;
    PERFORM integrity._forget_origin();
END $$;

-- a record of subj, collected, notified, confirmed and published
CREATE FUNCTION w_t.published(subj bigint, doc text) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE id bigint;
BEGIN
    id := integrity.record_add(subj, 'admin_penalty', 'general', current_date - 100, doc,
                               '长治市市场监督管理局', '违法事实 ' || doc);
    PERFORM integrity.notify(id, '书面告知');
    PERFORM integrity.confirm(id, '认定');
    PERFORM integrity.publish(id);
    RETURN id;
END $$;

-- the body of a note (through the newline before its blank line)
CREATE FUNCTION w_t.body(note text) RETURNS text LANGUAGE sql AS $$
    SELECT substr(note, 1, strpos(note, E'\n\n'))
$$;

-- the bytes of a signature line "— <name> <base64>"
CREATE FUNCTION w_t.sig_bytes(line text) RETURNS bytea LANGUAGE sql AS $$
    SELECT decode(split_part(line, ' ', 3), 'base64')
$$;

-- a vkey's public key and type
-- (the name holds no '+', the key ID neither; the base64 may)
CREATE FUNCTION w_t.vkey_b64(vkey text) RETURNS bytea LANGUAGE sql AS $$
    SELECT decode(substr(vkey, length(split_part(vkey, '+', 1)) + length(split_part(vkey, '+', 2)) + 3), 'base64')
$$;
CREATE FUNCTION w_t.vkey_key(vkey text) RETURNS bytea LANGUAGE sql AS $$
    SELECT substr(w_t.vkey_b64(vkey), 2)
$$;
CREATE FUNCTION w_t.vkey_type(vkey text) RETURNS integer LANGUAGE sql AS $$
    SELECT get_byte(w_t.vkey_b64(vkey), 0)
$$;

-- C2SP: the key ID of a name, type and key
CREATE FUNCTION w_t.key_id(name text, typ integer, key bytea) RETURNS bytea LANGUAGE sql AS $$
    SELECT substr(sha256(convert_to(name, 'UTF8') || '\x0a'::bytea || set_byte('\x00'::bytea, 0, typ) || key), 1, 4)
$$;

-- a cosignature line of witness vkey w over note, verified from the C2SP
-- text: its name, key ID, timestamp (returned, or NULL if it fails)
CREATE FUNCTION w_t.cosig_time(line text, note text, w text) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    b bytea := w_t.sig_bytes(line);
    t bigint := 0;
    i integer;
BEGIN
    IF split_part(line, ' ', 1) <> '—' OR split_part(line, ' ', 2) <> split_part(w, '+', 1)
       OR length(b) <> 76 OR substr(b, 1, 4) <> w_t.key_id(split_part(w, '+', 1), 4, w_t.vkey_key(w)) THEN
        RETURN NULL;
    END IF;
    FOR i IN 4..11 LOOP
        t := t * 256 + get_byte(b, i);
    END LOOP;
    IF NOT integrity.ed25519_verify(w_t.vkey_key(w),
             convert_to('cosignature/v1' || E'\n' || 'time ' || t || E'\n' || w_t.body(note), 'UTF8'),
             substr(b, 13)) THEN
        RETURN NULL;
    END IF;
    RETURN t;
END $$;

-- the SQLSTATE and WARNING-free result of witness(o), as text
CREATE FUNCTION w_t.witness_state(o text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    PERFORM integrity.witness(o);
    RETURN 'none';
EXCEPTION WHEN OTHERS THEN
    RETURN SQLSTATE;
END $$;

------------------------------------------------------------------------
-- the county 140421 and its log
------------------------------------------------------------------------
SELECT integrity.set_origin('140421');
SELECT integrity.subject_add('enterprise', '长治市某某建设有限公司', '91140400000000043W') AS ent \gset
SELECT w_t.published(:ent, '长政罚〔2025〕1号');
SELECT w_t.published(:ent, '长政罚〔2025〕2号');

-- signed-note verifier keys (c2sp.org/signed-note)
SELECT integrity.log_vkey() AS county_vkey \gset
SELECT matches(:'county_vkey'::text, '^integrity/140421\+[0-9a-f]{8}\+[A-Za-z0-9+/]{44}$',
               'issue 16 log_vkey() is <name>+<8 hex>+<base64(type || key)>');
SELECT is(w_t.vkey_type(:'county_vkey'), 1, 'issue 16 log_vkey() has signature type 0x01 (Ed25519)');
SELECT is(w_t.vkey_key(:'county_vkey'), integrity.public_key(), 'issue 16 log_vkey() carries the signing key');
SELECT is(decode(split_part(:'county_vkey', '+', 2), 'hex'), w_t.key_id('integrity/140421', 1, integrity.public_key()),
          'issue 16 log_vkey() key ID = SHA-256(name || 0x0A || 0x01 || key)[:4]');
SELECT is(integrity.log_vkey('140421'), :'county_vkey', 'issue 16 log_vkey(origin) of the local origin');
SELECT throws_ok($$SELECT integrity.log_vkey('999999')$$, '22023', NULL,
                 'issue 16 log_vkey of an origin not held here: 22023');

-- publish_checkpoint: recorded, idempotent while the tree does not grow
SELECT integrity.publish_checkpoint() AS cp2 \gset
SELECT is(:'cp2', (SELECT checkpoint FROM integrity.tree_head()), 'issue 16 publish_checkpoint() returns the signed checkpoint of tree_head()');
SELECT is((SELECT row(tree_size, note = :'cp2')::text FROM integrity.checkpoint WHERE origin = '140421'), '(2,t)',
          'issue 16 publish_checkpoint() records it in integrity.checkpoint');
SELECT is(integrity.publish_checkpoint(), :'cp2', 'issue 16 publish_checkpoint() again: the same note');
SELECT is((SELECT count(*) FROM integrity.checkpoint), 1::bigint, 'issue 16 publish_checkpoint() again: no second row');

------------------------------------------------------------------------
-- the city 140400 witnesses it
------------------------------------------------------------------------
SELECT w_t.be('140400');
SELECT integrity.witness_vkey() AS city_w \gset
SELECT matches(:'city_w'::text, '^integrity/140400/witness\+[0-9a-f]{8}\+[A-Za-z0-9+/]{44}$',
               'issue 16 witness_vkey() names this level''s witness integrity/<origin>/witness');
SELECT is(w_t.vkey_type(:'city_w'), 4, 'issue 16 witness_vkey() has type 0x04 (cosignature/v1)');
SELECT isnt(w_t.vkey_key(:'city_w'), integrity.public_key(), 'issue 16 the witness key is not the signing key');
SELECT is(decode(split_part(:'city_w', '+', 2), 'hex'),
          w_t.key_id('integrity/140400/witness', 4, w_t.vkey_key(:'city_w')),
          'issue 16 witness_vkey() key ID = SHA-256(name || 0x0A || 0x04 || key)[:4]');

SELECT integrity.witness('140421') AS line2 \gset
SELECT ok(w_t.cosig_time(:'line2', :'cp2', :'city_w') BETWEEN extract(epoch FROM now())::bigint - 5
                                                           AND extract(epoch FROM clock_timestamp())::bigint,
          'issue 16 witness() returns a cosignature/v1 line that verifies (C2SP, checked in SQL), timestamped now');
SELECT is((SELECT row(tree_size, witness_name, key_id, line)::text FROM integrity.cosignature),
          row(2, 'integrity/140400/witness', split_part(:'city_w', '+', 2), :'line2')::text,
          'issue 16 witness() stores the cosignature');
SELECT is(integrity.witness('140421'), :'line2', 'issue 16 witness() again at the same tree: the same line');
SELECT is((SELECT checkpoint FROM integrity.tree_head('140421')), :'cp2' || :'line2' || E'\n',
          'issue 16 tree_head(lower origin) at an upper level: its checkpoint with the cosignature held here');
SELECT is((SELECT row(cosigned_size, checkpoint_size, held_size, open_alarms)::text FROM integrity.witness_status
            WHERE origin = '140421'), '(2,2,2,0)', 'issue 16 witness_status: cosigned, newest checkpoint, log held, no alarm');

-- back at the county: tree_head() carries the city's line
SELECT w_t.be('140421');
SELECT is((SELECT checkpoint FROM integrity.tree_head()), :'cp2' || :'line2' || E'\n',
          'issue 16 tree_head() at the county carries the cosignature that flowed down');

-- the log grows; the city cosigns the larger tree (a consistency proof from 2)
SELECT w_t.published(:ent, '长政罚〔2025〕3号');
SELECT checkpoint AS note3, root_hash AS root3 FROM integrity.tree_head() \gset
SELECT w_t.published(:ent, '长政罚〔2025〕4号');
SELECT w_t.published(:ent, '长政罚〔2025〕5号');
SELECT integrity.publish_checkpoint() AS cp5 \gset
SELECT w_t.be('140400');
SELECT integrity.witness('140421') AS line5 \gset
SELECT ok(w_t.cosig_time(:'line5', :'cp5', :'city_w') IS NOT NULL, 'issue 16 witness() cosigns the grown tree (size 5)');
SELECT is((SELECT array_agg(tree_size ORDER BY tree_size) FROM integrity.cosignature), '{2,5}'::bigint[],
          'issue 16 both cosignatures are kept');
SELECT is(w_t.cosig_time(:'line5', :'cp2', :'city_w'), NULL, 'issue 16 a cosignature does not verify over another tree');

------------------------------------------------------------------------
-- what witness() refuses, each with its SQLSTATE
------------------------------------------------------------------------
-- a smaller tree: the county's checkpoint of size 3 arrives after the one of size 5
INSERT INTO integrity.checkpoint (origin, tree_size, root_hash, note, published_at)
    VALUES ('140421', 3, :'root3', :'note3', now() + interval '1 minute');
SELECT throws_ok($$SELECT integrity.witness('140421')$$, '55000', NULL,
                 'issue 16 witness() refuses a smaller tree than it cosigned: 55000');
SELECT is((SELECT count(*) FROM integrity.witness_alarm), 0::bigint,
          'issue 16 a smaller tree that is a prefix of the log is no alarm');

-- a bad signature: the checkpoint of size 6 with one signature byte changed
SELECT w_t.be('140421');
SELECT w_t.published(:ent, '长政罚〔2025〕6号');
SELECT checkpoint AS note6, root_hash AS root6 FROM integrity.tree_head() \gset
SELECT w_t.be('140400');
INSERT INTO integrity.checkpoint (origin, tree_size, root_hash, note, published_at)
    VALUES ('140421', 6, :'root6',
            overlay(:'note6' placing CASE WHEN substr(:'note6', length(:'note6') - 5, 1) = 'A' THEN 'B' ELSE 'A' END
                    from length(:'note6') - 5 for 1),
            now() + interval '2 minutes');
SELECT throws_ok($$SELECT integrity.witness('140421')$$, 'XX001', NULL,
                 'issue 16 witness() refuses a checkpoint whose signature does not verify: XX001');
SELECT is((SELECT count(*) FROM integrity.cosignature WHERE tree_size = 6), 0::bigint,
          'issue 16 the badly signed tree is not cosigned');

-- an unknown origin, its own origin, NULL
SELECT throws_ok($$SELECT integrity.witness('999999')$$, '22023', NULL,
                 'issue 16 witness() of an origin not held here: 22023');
SELECT throws_ok($$SELECT integrity.witness('140400')$$, '22023', NULL,
                 'issue 16 witness() of its own origin: 22023');
SELECT is(integrity.witness(NULL), NULL, 'issue 16 witness(NULL) is NULL (STRICT)');

-- the size-7 checkpoint, published properly (after the bad one)
SELECT w_t.be('140421');
SELECT w_t.published(:ent, '长政罚〔2025〕7号');
SELECT checkpoint AS note7, root_hash AS root7 FROM integrity.tree_head() \gset
SELECT w_t.be('140400');
INSERT INTO integrity.checkpoint (origin, tree_size, root_hash, note, published_at)
    VALUES ('140421', 7, :'root7', :'note7', now() + interval '3 minutes');

-- roles: an operator may witness, a reader may not
SET ROLE w09_reader;
SELECT throws_ok($$SELECT integrity.witness('140421')$$, '42501', NULL, 'issue 16 a reader may not witness: 42501');
SELECT throws_ok($$SELECT integrity.publish_checkpoint()$$, '42501', NULL, 'issue 16 a reader may not publish a checkpoint: 42501');
SELECT throws_ok($$SELECT integrity.witness_check('x')$$, '42501', NULL, 'issue 16 a reader may not call witness_check: 42501');
SELECT is(integrity.witness_vkey(), :'city_w', 'issue 16 a reader may read the witness vkey');
RESET ROLE;
SET ROLE w09_operator;
SELECT integrity.witness('140421') AS line7 \gset
RESET ROLE;
SELECT ok(w_t.cosig_time(:'line7', :'note7', :'city_w') IS NOT NULL, 'issue 16 an operator may witness: size 7 cosigned');

------------------------------------------------------------------------
-- witness_check: gossip about checkpoints shown elsewhere
------------------------------------------------------------------------
SELECT is(integrity.witness_check(:'note7'), 'consistent', 'issue 16 witness_check of the held tree: consistent');
SELECT is(integrity.witness_check(:'note3'), 'consistent', 'issue 16 witness_check of a prefix of the held tree: consistent');
SELECT throws_ok($$SELECT integrity.witness_check('hello')$$, '22023', NULL,
                 'issue 16 witness_check of a text that is no checkpoint: 22023');
SELECT throws_ok(format('SELECT integrity.witness_check(%L)',
                        (SELECT note FROM integrity.checkpoint WHERE tree_size = 6)), '22023', NULL,
                 'issue 16 witness_check of a note whose signature does not verify: 22023');
SELECT is((SELECT count(*) FROM integrity.witness_alarm), 0::bigint, 'issue 16 a badly signed note is no alarm');

-- a tree ahead of the log held here (made in a savepoint, then undone)
SELECT w_t.be('140421');
SAVEPOINT ahead;
SELECT w_t.published(:ent, '长政罚〔2025〕8号-甲');
SELECT w_t.published(:ent, '长政罚〔2025〕9号-甲');
SELECT checkpoint AS note9a FROM integrity.tree_head() \gset
ROLLBACK TO SAVEPOINT ahead;
SELECT w_t.be('140400');
SELECT is(integrity.witness_check(:'note9a'), 'ahead', 'issue 16 witness_check of a tree larger than the log held here: ahead');
SELECT is((SELECT row(tree_size, checked_at IS NULL)::text FROM integrity.witness_gossip), '(9,t)',
          'issue 16 an ahead note is kept to be checked again by witness()');

-- a fork: the county shows the public a tree of size 8 that it never replicated
SELECT w_t.be('140421');
SAVEPOINT fork;
SELECT w_t.published(:ent, '长政罚〔2025〕8号-乙');
SELECT checkpoint AS note8b FROM integrity.tree_head() \gset
ROLLBACK TO SAVEPOINT fork;
SELECT w_t.published(:ent, '长政罚〔2025〕8号');
SELECT w_t.be('140400');
SELECT is(integrity.witness_check(:'note8b'), 'inconsistent', 'issue 16 witness_check of a forked tree: inconsistent');
SELECT is((SELECT row(origin, kind, received = :'note8b', held = :'note7')::text FROM integrity.witness_alarm),
          '(140421,split_view,t,t)', 'issue 16 the alarm holds both sides: the forked note and the checkpoint held here');
SELECT id AS fork_alarm FROM integrity.witness_alarm \gset
SELECT is((SELECT row(open_alarms, newest_open_alarm)::text FROM integrity.witness_status WHERE origin = '140421'),
          row(1, :fork_alarm)::text, 'issue 16 witness_status shows the open alarm');

-- with an alarm open, nothing is cosigned.  (From here on the county's
-- checkpoints are stored as they arrive at the city, with later
-- published_at: in one transaction now() does not move.)
SELECT w_t.be('140421');
SELECT checkpoint AS cp8 FROM integrity.tree_head() \gset
SELECT w_t.be('140400');
INSERT INTO integrity.checkpoint (origin, tree_size, root_hash, note, published_at)
    SELECT '140421', 8, root_hash, :'cp8', now() + interval '4 minutes' FROM integrity.tree_head('140421');
SELECT is(integrity.witness('140421'), NULL, 'issue 16 witness() cosigns nothing while an alarm of the origin is open');
SELECT is((SELECT max(tree_size) FROM integrity.cosignature), 7::bigint, 'issue 16 the forked county''s tree is not cosigned');
SET ROLE w09_operator;
SELECT throws_ok(format('SELECT integrity.witness_resolve(%s, %L)', :fork_alarm, 'x'), '42501', NULL,
                 'issue 16 an operator may not resolve an alarm: 42501');
RESET ROLE;
SET ROLE w09_admin;
SELECT lives_ok(format('SELECT integrity.witness_resolve(%s, %L)', :fork_alarm, '县级平台已停用分叉库，经市级核查'),
                'issue 16 an admin resolves the alarm with what was done');
SELECT throws_ok(format('SELECT integrity.witness_resolve(%s, %L)', :fork_alarm, 'again'), 'P0002', NULL,
                 'issue 16 a resolved alarm cannot be resolved again: P0002');
RESET ROLE;
SELECT throws_ok($$UPDATE integrity.witness_alarm SET detail = 'x'$$, '55000', NULL, 'issue 16 an alarm cannot be changed: 55000');
SELECT throws_ok($$DELETE FROM integrity.witness_alarm$$, '55000', NULL, 'issue 16 an alarm cannot be deleted: 55000');
SELECT integrity.witness('140421') AS line8 \gset
SELECT ok(w_t.cosig_time(:'line8', :'cp8', :'city_w') IS NOT NULL, 'issue 16 once resolved, the honest tree of size 8 is cosigned');

-- the ahead note, checked again by witness() when the log reaches size 9
SELECT w_t.be('140421');
SELECT w_t.published(:ent, '长政罚〔2025〕9号');
SELECT checkpoint AS cp9 FROM integrity.tree_head() \gset
SELECT w_t.be('140400');
INSERT INTO integrity.checkpoint (origin, tree_size, root_hash, note, published_at)
    SELECT '140421', 9, root_hash, :'cp9', now() + interval '5 minutes' FROM integrity.tree_head('140421');
SELECT is(integrity.witness('140421'), NULL, 'issue 16 witness() finds that the ahead note contradicts the log and cosigns nothing');
SELECT is((SELECT row(kind, received = :'note9a')::text FROM integrity.witness_alarm WHERE resolved_at IS NULL),
          '(split_view,t)', 'issue 16 the gossip alarm holds the note that was shown');
SELECT is((SELECT outcome FROM integrity.witness_gossip), 'inconsistent', 'issue 16 the gossip note is marked inconsistent');
SELECT integrity.witness_resolve(id, 'test') FROM integrity.witness_alarm WHERE resolved_at IS NULL;

------------------------------------------------------------------------
-- replicated rows that contradict the rows held here (the apply worker
-- runs with session_replication_role = replica)
------------------------------------------------------------------------
SET session_replication_role = replica;
INSERT INTO integrity.disclosure SELECT * FROM integrity.disclosure WHERE origin = '140421' AND seq = 1;
SELECT is((SELECT count(*) FROM integrity.witness_alarm WHERE resolved_at IS NULL), 0::bigint,
          'issue 16 a replicated row equal to the one held here is skipped quietly');
INSERT INTO integrity.disclosure (origin, seq, record_id, event, payload, payload_hash, prev_hash, entry_hash, key_id, signature)
    SELECT origin, seq, record_id, event, '{"rewritten":true}', payload_hash, prev_hash, entry_hash, key_id, signature
      FROM integrity.disclosure WHERE origin = '140421' AND seq = 1;
UPDATE integrity.merkle_node SET hash = sha256('x') WHERE origin = '140421' AND level = 0 AND idx = 0;
RESET session_replication_role;
SELECT is((SELECT payload <> '{"rewritten":true}' FROM integrity.disclosure WHERE origin = '140421' AND seq = 1), true,
          'issue 16 a replicated row that contradicts the held one is not applied');
SELECT is((SELECT row(kind, count(*) OVER ())::text FROM integrity.witness_alarm WHERE resolved_at IS NULL),
          '(replicated_row,1)', 'issue 16 it raises one replicated_row alarm');
SELECT is((SELECT array_agg(table_name || ':' || operation || ':' || (held IS NOT NULL) || ':' || (received IS NOT NULL) ORDER BY id)
             FROM integrity.witness_evidence),
          '{disclosure:INSERT:true:true,merkle_node:UPDATE:true:true}',
          'issue 16 both contradicting rows are kept as evidence beside the rows held');
SELECT is(integrity.witness('140421'), NULL, 'issue 16 witness() cosigns nothing while the replicated_row alarm is open');
SELECT is((SELECT row(ok, checked)::text FROM integrity.verify_chain('140421')), '(t,9)',
          'issue 16 the log held here is untouched (verify_chain)');
SELECT integrity.witness_resolve(id, 'test') FROM integrity.witness_alarm WHERE resolved_at IS NULL;

------------------------------------------------------------------------
-- a Merkle node held here that contradicts the checkpoint
------------------------------------------------------------------------
SELECT w_t.be('140421');
SELECT w_t.published(:ent, '长政罚〔2025〕10号');
SELECT checkpoint AS cp10 FROM integrity.tree_head() \gset
SELECT w_t.be('140400');
INSERT INTO integrity.checkpoint (origin, tree_size, root_hash, note, published_at)
    SELECT '140421', 10, root_hash, :'cp10', now() + interval '6 minutes' FROM integrity.tree_head('140421');
ALTER TABLE integrity.merkle_node DISABLE TRIGGER merkle_node_append_only;
UPDATE integrity.merkle_node SET hash = sha256('tampered') WHERE origin = '140421' AND level = 1 AND idx = 4;
SELECT is(integrity.witness('140421'), NULL, 'issue 16 witness() refuses a checkpoint the stored nodes do not give');
SELECT is((SELECT kind FROM integrity.witness_alarm WHERE resolved_at IS NULL), 'log_contradicts_checkpoint',
          'issue 16 it raises a log_contradicts_checkpoint alarm');
ALTER TABLE integrity.merkle_node ENABLE ALWAYS TRIGGER merkle_node_append_only;

------------------------------------------------------------------------
-- append-only, publications
------------------------------------------------------------------------
SELECT throws_ok($$UPDATE integrity.cosignature SET line = 'x'$$, '55000', NULL, 'issue 16 cosignatures are append-only: 55000');
SELECT throws_ok($$DELETE FROM integrity.checkpoint$$, '55000', NULL, 'issue 16 checkpoints are append-only: 55000');
SELECT is(integrity.create_witness_publication('140421'), 'integrity_witness_140421',
          'issue 16 create_witness_publication names its publication integrity_witness_<origin>');
SELECT is((SELECT row(tablename, rowfilter)::text FROM pg_publication_tables WHERE pubname = 'integrity_witness_140421'),
          '(cosignature,"(origin = ''140421''::text)")', 'issue 16 it publishes the cosignatures of that origin only');
SELECT throws_ok($$SELECT integrity.create_witness_publication('140421')$$, '42710', NULL,
                 'issue 16 create_witness_publication twice: 42710');
SELECT throws_ok($$SELECT integrity.create_witness_publication('140400')$$, '22023', NULL,
                 'issue 16 create_witness_publication of its own origin: 22023');
SELECT throws_ok($$SELECT integrity.create_witness_publication('14042x')$$, '22023', NULL,
                 'issue 16 create_witness_publication of an invalid origin: 22023');
SET ROLE w09_operator;
SELECT throws_ok($$SELECT integrity.create_witness_publication('140423')$$, '42501', NULL,
                 'issue 16 an operator may not create a witness publication: 42501');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
