
------------------------------------------------------------------------
-- integrity, part 30 (log): the signed, hash-chained disclosure log
-- (SPEC 6; DOMAIN D1.4, D5a, D6).  See docs/DESIGN.md.
------------------------------------------------------------------------

-- The tables of the log are written by C code only (src/log.c), which
-- computes every column; they carry no CHECK constraints, whose
-- expressions the executor would read again for every appended row.
CREATE TABLE @extschema@.disclosure (
    origin        text NOT NULL,
    seq           bigint NOT NULL,
    record_id     bigint,
    event         text NOT NULL,    -- publish, objection, objection_resolved, repair, revoke, expire
    payload       text NOT NULL,
    payload_hash  bytea NOT NULL,
    prev_hash     bytea NOT NULL,
    entry_hash    bytea NOT NULL,
    key_id        text NOT NULL,
    signature     bytea NOT NULL,
    disclosed_at  timestamptz NOT NULL DEFAULT pg_catalog.now(),
    -- 1.2 (issue 17): the subject the entry is about, as its payload's
    -- subject_id says; NULL on entries appended before 1.2 (the column is
    -- the last one, as ALTER TABLE ADD COLUMN puts it on an updated database)
    subject_id    bigint,
    PRIMARY KEY (origin, seq)
);
CREATE INDEX disclosure_record_idx ON @extschema@.disclosure (origin, record_id);
-- the previous entry about a subject (the payload's prev_seq) and a
-- subject's entries (credit_report) in one backward index probe
CREATE INDEX disclosure_subject_idx ON @extschema@.disclosure (origin, subject_id, seq);
COMMENT ON COLUMN @extschema@.disclosure.subject_id IS
    '主体 the subject the entry is about (the payload''s subject_id; NULL before 1.2): its entries form the chain of prev_seq back-links';
COMMENT ON TABLE @extschema@.disclosure IS
    '信息公示日志 signed, hash-chained public log: entry_hash = SHA-256(prev_hash || seq (8 bytes, big-endian) || payload_hash), signature = Ed25519(entry_hash)';

-- the counter row of each origin's chain: seq and prev_hash come from here,
-- under a row lock (a SEQUENCE would leave gaps on rollback)
CREATE TABLE @extschema@.chain_head (
    origin  text PRIMARY KEY,
    size    bigint NOT NULL,
    head    bytea NOT NULL
);
COMMENT ON TABLE @extschema@.chain_head IS 'size and newest entry_hash of each origin''s disclosure log';

-- RFC 6962 complete subtree hashes: node (level, idx) covers leaves
-- [idx * 2^level, (idx + 1) * 2^level); proofs read O(log n) of them
CREATE TABLE @extschema@.merkle_node (
    origin  text NOT NULL,
    level   smallint NOT NULL,
    idx     bigint NOT NULL,
    hash    bytea NOT NULL,
    PRIMARY KEY (origin, level, idx)
);
COMMENT ON TABLE @extschema@.merkle_node IS 'complete subtree hashes of the Merkle tree over each origin''s disclosure log (RFC 6962)';

CREATE TABLE @extschema@.signing_key (
    origin       text NOT NULL,
    key_id       text NOT NULL CHECK (key_id ~ '^[0-9a-f]{16}$'),
    public_key   bytea NOT NULL CHECK (length(public_key) = 32),
    valid_from   timestamptz NOT NULL DEFAULT pg_catalog.now(),
    valid_until  timestamptz,
    PRIMARY KEY (origin, key_id)
);
COMMENT ON TABLE @extschema@.signing_key IS
    '签名公钥 Ed25519 public keys of each origin; key_id = hex(SHA-256(public_key)[0:8]); valid_until is set when a newer key signs';

CREATE TRIGGER disclosure_append_only BEFORE UPDATE OR DELETE ON @extschema@.disclosure
    FOR EACH ROW EXECUTE FUNCTION @extschema@.refuse_change();
CREATE TRIGGER disclosure_no_truncate BEFORE TRUNCATE ON @extschema@.disclosure
    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.refuse_change();
CREATE TRIGGER merkle_node_append_only BEFORE UPDATE OR DELETE ON @extschema@.merkle_node
    FOR EACH ROW EXECUTE FUNCTION @extschema@.refuse_change();
CREATE TRIGGER merkle_node_no_truncate BEFORE TRUNCATE ON @extschema@.merkle_node
    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.refuse_change();

-- internal: record the key in use (called from C when it signs)
CREATE FUNCTION @extschema@._register_key(p_origin text, p_key_id text, p_public_key bytea) RETURNS void
    LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM @extschema@.signing_key k
                WHERE k.origin = p_origin AND k.key_id = p_key_id AND k.valid_until IS NULL) THEN
        RETURN;
    END IF;
    UPDATE @extschema@.signing_key k SET valid_until = now()
     WHERE k.origin = p_origin AND k.key_id <> p_key_id AND k.valid_until IS NULL;
    INSERT INTO @extschema@.signing_key (origin, key_id, public_key)
        VALUES (p_origin, p_key_id, p_public_key)
        ON CONFLICT (origin, key_id) DO UPDATE SET valid_until = NULL;
END $$;

-- D1.4, D5a: the public payload of a disclosure (canonicalized in C).
-- Personal identifiers are masked; admin_penalty uses the 双公示 names.
-- The record_log trigger writes the same bytes directly in C
-- (src/payload_core.c; test/03_log.sql compares the two): this is
-- the readable reference, and the path for payloads without a fast form
-- (called then from the trigger, inside the API function's search_path).
-- 1.2 (issue 17): with p_prev_seq given, the payload also names its
-- subject (subject_id) and the previous entry about that subject
-- (prev_seq, 0 for the first), which log.c reads under the chain's lock;
-- without it (NULL), the payload of 1.1.
CREATE FUNCTION @extschema@._disclosure_payload(p_origin text, p_record_id bigint, p_event text,
                                                p_prev_seq bigint DEFAULT NULL) RETURNS jsonb
    LANGUAGE plpgsql STABLE AS $$
BEGIN
    RETURN (SELECT CASE WHEN r.category = 'admin_penalty' THEN
        jsonb_build_object(
            'event', p_event, 'origin', r.origin, 'record_id', r.id, 'state', r.state,
            'disclosed_on', current_date,
            '行政相对人名称', CASE WHEN s.kind = 'civil_servant' THEN @extschema@.mask_name(s.name) ELSE s.name END,
            '行政相对人类别', CASE s.kind WHEN 'civil_servant' THEN '自然人' ELSE '法人及非法人组织' END,
            '统一社会信用代码', coalesce(s.uscc::text, s.legacy_code, ''),
            '法定代表人', '',
            '证件类型', CASE WHEN s.kind = 'civil_servant' THEN '身份证' ELSE '' END,
            '证件号码', CASE WHEN s.kind = 'civil_servant' THEN @extschema@.mask(s.cn_id) ELSE '' END,
            '行政处罚决定书文号', coalesce(r.document_no, ''),
            '违法行为类型', '',
            '违法事实', coalesce(r.summary, ''),
            '处罚依据', '',
            '处罚类别', '',
            '处罚内容', coalesce(r.summary, ''),
            '罚款金额（万元）', '',
            '处罚决定日期', r.decided_on,
            '处罚有效期', r.publicity_until,
            '公示截止期', r.publicity_until,
            '处罚机关', coalesce(r.source_unit, ''),
            '处罚机关统一社会信用代码', '',
            '数据来源单位', coalesce(r.source_unit, ''),
            '数据来源单位统一社会信用代码', '',
            '备注', CASE r.state WHEN 'objected' THEN '异议处理中' ELSE '' END)
        || CASE WHEN p_prev_seq IS NULL THEN '{}'::jsonb
                ELSE jsonb_build_object('subject_id', r.subject_id, 'prev_seq', p_prev_seq) END
    ELSE
        jsonb_build_object(
            'event', p_event, 'origin', r.origin, 'record_id', r.id, 'state', r.state,
            'disclosed_on', current_date,
            'subject', jsonb_build_object(
                'kind', s.kind,
                'name', CASE WHEN s.kind = 'civil_servant' THEN @extschema@.mask_name(s.name) ELSE s.name END,
                'code', CASE WHEN s.kind = 'civil_servant' THEN @extschema@.mask(s.cn_id)
                             ELSE coalesce(s.uscc::text, s.legacy_code) END),
            'category', r.category, 'category_name', c.name, 'severity', r.severity,
            'domain', r.domain, 'decided_on', r.decided_on,
            'document_no', coalesce(r.document_no, ''), 'source_unit', coalesce(r.source_unit, ''),
            'summary', coalesce(r.summary, ''), 'publicity_until', r.publicity_until,
            'accident_level', r.accident_level, 'deaths', r.deaths,
            'supersedes', r.supersedes)
        || CASE WHEN p_prev_seq IS NULL THEN '{}'::jsonb
                ELSE jsonb_build_object('subject_id', r.subject_id, 'prev_seq', p_prev_seq) END
    END
    FROM @extschema@.record r
    JOIN @extschema@.subject s ON s.origin = r.origin AND s.id = r.subject_id
    JOIN @extschema@.category c ON c.code = r.category
    WHERE r.origin = p_origin AND r.id = p_record_id);
END $$;

CREATE FUNCTION @extschema@._current_public_key() RETURNS bytea
    AS 'MODULE_PATHNAME', 'current_public_key' LANGUAGE C VOLATILE STRICT;
CREATE FUNCTION @extschema@._current_key_id() RETURNS text
    AS 'MODULE_PATHNAME', 'current_key_id' LANGUAGE C VOLATILE STRICT;

-- The C functions below read the log through SPI: SECURITY DEFINER so
-- that readers need no privilege on the tables, with a fixed search_path
-- (every name inside is schema-qualified anyway).

-- SPEC 6: the raw 32-byte Ed25519 public key (NULL: the key in use)
CREATE FUNCTION @extschema@.public_key(key_id text DEFAULT NULL) RETURNS bytea
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE k bytea;
BEGIN
    IF key_id IS NULL THEN
        RETURN @extschema@._current_public_key();
    END IF;
    SELECT sk.public_key INTO k FROM @extschema@.signing_key sk WHERE sk.key_id = public_key.key_id
     ORDER BY sk.origin = @extschema@.local_origin() DESC NULLS LAST LIMIT 1;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'unknown key_id "%"', key_id USING ERRCODE = 'P0002';
    END IF;
    RETURN k;
END $$;
COMMENT ON FUNCTION @extschema@.public_key(text) IS
    '签名公钥 the raw 32-byte Ed25519 public key of key_id, or of the key in use';

CREATE FUNCTION @extschema@.verify_chain(origin text DEFAULT NULL, from_seq bigint DEFAULT 1,
                                         signatures text DEFAULT 'all',
                                         OUT ok boolean, OUT checked bigint, OUT first_bad bigint)
    AS 'MODULE_PATHNAME', 'verify_chain' LANGUAGE C STABLE PARALLEL RESTRICTED
    SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION @extschema@.verify_chain(text, bigint, text) IS
    '校验公示链 recompute every payload hash and entry hash of an origin''s log and check its signatures (all, or the newest with ''head''); first_bad is the first bad seq';

CREATE FUNCTION @extschema@.verify_entry(origin text, seq bigint) RETURNS boolean
    AS 'MODULE_PATHNAME', 'verify_entry' LANGUAGE C STABLE PARALLEL RESTRICTED
    SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION @extschema@.verify_entry(text, bigint) IS
    'check one disclosure: payload hash, link to the previous entry, entry hash and signature';

CREATE FUNCTION @extschema@.tree_head(origin text DEFAULT NULL,
                                      OUT tree_size bigint, OUT root_hash bytea, OUT checkpoint text)
    AS 'MODULE_PATHNAME', 'tree_head' LANGUAGE C VOLATILE PARALLEL UNSAFE
    SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION @extschema@.tree_head(text) IS
    'Merkle tree head of an origin''s log and, for the local origin, a signed C2SP tlog-checkpoint note';

CREATE FUNCTION @extschema@.inclusion_proof(seq bigint, tree_size bigint, origin text DEFAULT NULL) RETURNS bytea[]
    AS 'MODULE_PATHNAME', 'inclusion_proof' LANGUAGE C STABLE PARALLEL RESTRICTED
    SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION @extschema@.inclusion_proof(bigint, bigint, text) IS
    'RFC 9162 inclusion proof of entry seq (leaf seq - 1) in the tree of tree_size entries';

CREATE FUNCTION @extschema@.consistency_proof(old_size bigint, new_size bigint, origin text DEFAULT NULL) RETURNS bytea[]
    AS 'MODULE_PATHNAME', 'consistency_proof' LANGUAGE C STABLE PARALLEL RESTRICTED
    SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION @extschema@.consistency_proof(bigint, bigint, text) IS
    'RFC 9162 consistency proof that the tree of new_size entries extends the tree of old_size entries';

CREATE FUNCTION @extschema@.merkle_leaf_hash(entry_hash bytea) RETURNS bytea
    AS 'MODULE_PATHNAME', 'sql_merkle_leaf_hash' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.merkle_leaf_hash(bytea) IS 'RFC 6962 leaf hash: SHA-256(0x00 || entry_hash)';

CREATE FUNCTION @extschema@.ed25519_verify(public_key bytea, message bytea, signature bytea) RETURNS boolean
    AS 'MODULE_PATHNAME', 'sql_ed25519_verify' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.ed25519_verify(bytea, bytea, bytea) IS 'true if signature is a valid Ed25519 signature of message under public_key';

CREATE FUNCTION @extschema@.canonical_json(doc text) RETURNS text
    AS 'MODULE_PATHNAME', 'canonical_json' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.canonical_json(text) IS
    'canonical JSON of a document: keys sorted by code point, no blanks (RFC 8785 where it applies), as hashed in disclosures';
