
------------------------------------------------------------------------
-- witness, 1.1 -> 1.2 (all new; the same text as sql/src/35_witness.sql): witnessed logs (issue 16; SPEC 6, 10;
-- DOMAIN D2.9 逐级归集).  Each level publishes the signed checkpoints of
-- its log (C2SP tlog-checkpoint) into integrity.checkpoint, which
-- replicates upward with the log; an upper level checks the newest one it
-- holds against the replicated entries and Merkle nodes and against what it
-- cosigned before, and cosigns it (C2SP tlog-cosignature, cosignature/v1)
-- with a witness key of its own; cosignatures flow down through
-- create_witness_publication(), so that a county's tree_head() carries its
-- city's and province's lines.  Contradictions are kept as evidence in
-- integrity.witness_alarm and never cosigned.  See docs/REPLICATION.md
-- ("Witnesses") and docs/SECURITY.md ("Witness keys").
------------------------------------------------------------------------

-- the signed checkpoints an origin published (publish_checkpoint), its own
-- and, at an upper level, those of the origins replicated here
CREATE TABLE @extschema@.checkpoint (
    origin        text NOT NULL,
    tree_size     bigint NOT NULL CHECK (tree_size >= 0),
    root_hash     bytea NOT NULL CHECK (length(root_hash) = 32),
    note          text NOT NULL,
    published_at  timestamptz NOT NULL DEFAULT pg_catalog.now(),
    PRIMARY KEY (origin, tree_size)
);
COMMENT ON TABLE @extschema@.checkpoint IS
    '签名树头 the signed C2SP checkpoints of each origin''s log, as the origin published them (publish_checkpoint); replicated upward with the log';

-- the cosignatures held here: this level's own (witness) and, below the
-- top, those received from the levels above (create_witness_publication)
CREATE TABLE @extschema@.cosignature (
    origin        text NOT NULL,
    tree_size     bigint NOT NULL CHECK (tree_size >= 0),
    root_hash     bytea NOT NULL CHECK (length(root_hash) = 32),
    witness_name  text NOT NULL,
    key_id        text NOT NULL CHECK (key_id ~ '^[0-9a-f]{8}$'),
    cosigned_at   timestamptz NOT NULL,
    line          text NOT NULL,
    PRIMARY KEY (origin, witness_name, tree_size)
);
COMMENT ON TABLE @extschema@.cosignature IS
    '见证签名 C2SP cosignature/v1 lines of witnesses over an origin''s checkpoint (tree_size, root_hash); key_id is the 4-byte C2SP key ID in hex';

-- evidence of a rewritten or forked log: never deleted; an admin closes
-- an alarm (witness_resolve) once it has been dealt with
CREATE TABLE @extschema@.witness_alarm (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    origin       text NOT NULL,
    kind         text NOT NULL CHECK (kind IN ('split_view', 'log_contradicts_checkpoint', 'replicated_row')),
    detected_at  timestamptz NOT NULL DEFAULT pg_catalog.now(),
    held         text,
    received     text,
    detail       text NOT NULL,
    resolved_at  timestamptz,
    resolved_by  text,
    resolution   text,
    CHECK ((resolved_at IS NULL) = (resolved_by IS NULL) AND (resolved_at IS NULL) = (resolution IS NULL))
);
CREATE INDEX witness_alarm_open_idx ON @extschema@.witness_alarm (origin) WHERE resolved_at IS NULL;
COMMENT ON TABLE @extschema@.witness_alarm IS
    '见证告警 evidence that an origin''s log was rewritten or shown forked: what is held here and what was received that contradicts it';

-- the replicated rows that were held back (not applied) under a
-- replicated_row alarm: the row held here and the row received
CREATE TABLE @extschema@.witness_evidence (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    alarm_id     bigint NOT NULL REFERENCES @extschema@.witness_alarm (id),
    table_name   text NOT NULL,
    operation    text NOT NULL,
    held         jsonb,
    received     jsonb,
    received_at  timestamptz NOT NULL DEFAULT pg_catalog.now()
);
CREATE INDEX witness_evidence_alarm_idx ON @extschema@.witness_evidence (alarm_id);
COMMENT ON TABLE @extschema@.witness_evidence IS
    'replicated rows held back because they contradict what is held here (or arrived while their origin had an open replicated_row alarm): both sides';

-- checkpoints shown elsewhere (witness_check) that were ahead of the log
-- held here: checked again by witness() when the log has caught up
CREATE TABLE @extschema@.witness_gossip (
    origin       text NOT NULL,
    tree_size    bigint NOT NULL,
    root_hash    bytea NOT NULL,
    note         text NOT NULL,
    received_at  timestamptz NOT NULL DEFAULT pg_catalog.now(),
    checked_at   timestamptz,
    outcome      text CHECK (outcome IN ('consistent', 'inconsistent')),
    PRIMARY KEY (origin, tree_size, root_hash)
);
COMMENT ON TABLE @extschema@.witness_gossip IS
    'checkpoints shown elsewhere (witness_check) that were larger than the log held here, checked again by witness()';

CREATE TRIGGER checkpoint_append_only BEFORE UPDATE OR DELETE ON @extschema@.checkpoint
    FOR EACH ROW EXECUTE FUNCTION @extschema@.refuse_change();
CREATE TRIGGER checkpoint_no_truncate BEFORE TRUNCATE ON @extschema@.checkpoint
    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.refuse_change();
CREATE TRIGGER cosignature_append_only BEFORE UPDATE OR DELETE ON @extschema@.cosignature
    FOR EACH ROW EXECUTE FUNCTION @extschema@.refuse_change();
CREATE TRIGGER cosignature_no_truncate BEFORE TRUNCATE ON @extschema@.cosignature
    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.refuse_change();
CREATE TRIGGER witness_alarm_no_truncate BEFORE TRUNCATE ON @extschema@.witness_alarm
    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.refuse_change();
CREATE TRIGGER witness_evidence_append_only BEFORE UPDATE OR DELETE ON @extschema@.witness_evidence
    FOR EACH ROW EXECUTE FUNCTION @extschema@.refuse_change();
CREATE TRIGGER witness_evidence_no_truncate BEFORE TRUNCATE ON @extschema@.witness_evidence
    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.refuse_change();
CREATE TRIGGER witness_gossip_no_truncate BEFORE TRUNCATE ON @extschema@.witness_gossip
    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.refuse_change();
ALTER TABLE @extschema@.checkpoint ENABLE ALWAYS TRIGGER checkpoint_append_only;
ALTER TABLE @extschema@.checkpoint ENABLE ALWAYS TRIGGER checkpoint_no_truncate;
ALTER TABLE @extschema@.cosignature ENABLE ALWAYS TRIGGER cosignature_append_only;
ALTER TABLE @extschema@.cosignature ENABLE ALWAYS TRIGGER cosignature_no_truncate;
ALTER TABLE @extschema@.witness_alarm ENABLE ALWAYS TRIGGER witness_alarm_no_truncate;
ALTER TABLE @extschema@.witness_gossip ENABLE ALWAYS TRIGGER witness_gossip_no_truncate;
ALTER TABLE @extschema@.witness_evidence ENABLE ALWAYS TRIGGER witness_evidence_append_only;
ALTER TABLE @extschema@.witness_evidence ENABLE ALWAYS TRIGGER witness_evidence_no_truncate;

-- an alarm is never deleted, and only its resolution is ever written, once
CREATE FUNCTION @extschema@._witness_alarm_guard() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'witness alarm % cannot be deleted', OLD.id
            USING ERRCODE = '55000', DETAIL = 'Alarms are evidence; close one with integrity.witness_resolve(id, resolution).';
    END IF;
    IF OLD.resolved_at IS NOT NULL
       OR (NEW.id, NEW.origin, NEW.kind, NEW.detected_at, NEW.held, NEW.received, NEW.detail)
          IS DISTINCT FROM (OLD.id, OLD.origin, OLD.kind, OLD.detected_at, OLD.held, OLD.received, OLD.detail) THEN
        RAISE EXCEPTION 'witness alarm % cannot be changed', OLD.id
            USING ERRCODE = '55000', DETAIL = 'Only the resolution of an open alarm is written, once (integrity.witness_resolve).';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER witness_alarm_guard BEFORE UPDATE OR DELETE ON @extschema@.witness_alarm
    FOR EACH ROW EXECUTE FUNCTION @extschema@._witness_alarm_guard();
ALTER TABLE @extschema@.witness_alarm ENABLE ALWAYS TRIGGER witness_alarm_guard;

-- internal: store an alarm (called by witness(), witness_check() and the
-- replica guard of 60_replication.sql)
CREATE FUNCTION @extschema@._witness_alarm(p_origin text, p_kind text, p_held text, p_received text, p_detail text)
    RETURNS bigint
    LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
    INSERT INTO @extschema@.witness_alarm (origin, kind, held, received, detail)
        VALUES (p_origin, p_kind, p_held, p_received, p_detail) RETURNING id;
$$;

CREATE FUNCTION @extschema@.publish_checkpoint() RETURNS text
    AS 'MODULE_PATHNAME', 'publish_checkpoint' LANGUAGE C VOLATILE PARALLEL UNSAFE
    SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION @extschema@.publish_checkpoint() IS
    '发布签名树头 record the signed checkpoint of the local log in integrity.checkpoint (replicated upward with the log) and return it; idempotent when the tree did not grow (meant for pg_cron)';

CREATE FUNCTION @extschema@.log_vkey(origin text DEFAULT NULL) RETURNS text
    AS 'MODULE_PATHNAME', 'log_vkey' LANGUAGE C VOLATILE PARALLEL RESTRICTED
    SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION @extschema@.log_vkey(text) IS
    'the C2SP signed-note verifier key integrity/<origin>+<key ID>+<base64(0x01 || key)> of an origin''s checkpoints (NULL: the local origin)';

CREATE FUNCTION @extschema@.witness_vkey() RETURNS text
    AS 'MODULE_PATHNAME', 'witness_vkey' LANGUAGE C VOLATILE PARALLEL RESTRICTED
    SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION @extschema@.witness_vkey() IS
    'the C2SP verifier key (type 0x04, cosignature/v1) of this level''s witness integrity/<origin>/witness';

CREATE FUNCTION @extschema@.witness(origin text) RETURNS text
    AS 'MODULE_PATHNAME', 'witness' LANGUAGE C VOLATILE STRICT PARALLEL UNSAFE
    SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION @extschema@.witness(text) IS
    '见证 at an upper level: check the newest replicated checkpoint of origin against the replicated log and the tree cosigned before, cosign it and return the cosignature line; NULL with a WARNING and an alarm when it contradicts what is held here';

CREATE FUNCTION @extschema@.witness_check(note text) RETURNS text
    AS 'MODULE_PATHNAME', 'witness_check' LANGUAGE C VOLATILE STRICT PARALLEL UNSAFE
    SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION @extschema@.witness_check(text) IS
    '核验树头 gossip: consistent, ahead or inconsistent (an alarm) for a checkpoint of an origin held here, shown elsewhere; 22023 when its signature does not verify';

CREATE FUNCTION @extschema@.witness_resolve(alarm_id bigint, resolution text) RETURNS void
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF resolution IS NULL OR btrim(resolution) = '' THEN
        RAISE EXCEPTION 'a resolution says what was done' USING ERRCODE = '22023';
    END IF;
    UPDATE @extschema@.witness_alarm a
       SET resolved_at = now(), resolved_by = session_user, resolution = witness_resolve.resolution
     WHERE a.id = alarm_id AND a.resolved_at IS NULL;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no open witness alarm %', alarm_id USING ERRCODE = 'P0002';
    END IF;
END $$;
COMMENT ON FUNCTION @extschema@.witness_resolve(bigint, text) IS
    'close a witness alarm with what was done (the alarm and its evidence stay); an origin with an open alarm is not cosigned, and its replicated rows are held back while a replicated_row alarm is open';

-- Cosignatures flow down: the publication of the cosignatures held here
-- for one lower origin (this level's and those received from above).  The
-- log publications never carry integrity.cosignature, so no loop.
CREATE FUNCTION @extschema@.create_witness_publication(origin text) RETURNS text
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    pub text;
BEGIN
    IF origin IS NULL OR origin !~ '^[0-9]{6}$' THEN
        RAISE EXCEPTION 'invalid origin "%"', origin
            USING ERRCODE = '22023', DETAIL = 'An origin is a 6-digit administrative region code (GB/T 2260).';
    END IF;
    IF origin = @extschema@._origin() THEN
        RAISE EXCEPTION 'the cosignatures of origin % flow down from the levels above, not from here', origin
            USING ERRCODE = '22023';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM @extschema@.chain_head h WHERE h.origin = create_witness_publication.origin)
       AND NOT EXISTS (SELECT 1 FROM @extschema@.signing_key k WHERE k.origin = create_witness_publication.origin) THEN
        RAISE EXCEPTION 'no disclosure log of origin "%" is held here', origin USING ERRCODE = '22023';
    END IF;
    IF NOT has_database_privilege(session_user, current_database(), 'CREATE') THEN
        RAISE EXCEPTION 'permission denied to create a publication in database %', current_database()
            USING ERRCODE = '42501',
                  HINT = format('GRANT CREATE ON DATABASE %I TO %I;', current_database(), session_user);
    END IF;
    pub := 'integrity_witness_' || origin;
    IF EXISTS (SELECT 1 FROM pg_publication p WHERE p.pubname = pub) THEN
        RAISE EXCEPTION 'publication "%" already exists', pub USING ERRCODE = '42710';
    END IF;
    -- origin is six digits (checked above): the statement holds no other input
    EXECUTE format('CREATE PUBLICATION %I FOR TABLE %I.%I WHERE (origin = %L) WITH (publish = %L)',
                   pub, '@extschema@', 'cosignature', origin, 'insert');
    EXECUTE format('COMMENT ON PUBLICATION %I IS %L', pub,
                   format('integrity: the cosignatures of origin %s held here, for the level below', origin));
    RETURN pub;
END $$;
COMMENT ON FUNCTION @extschema@.create_witness_publication(text) IS
    '见证下行 create, at an upper level, the publication integrity_witness_<origin> of the cosignatures held here for origin; the level below subscribes to it with CREATE SUBSCRIPTION';

-- what a DBA watches: per origin held, the last cosignature, the newest
-- checkpoint and its age, the log held, open alarms
CREATE VIEW @extschema@.witness_status WITH (security_barrier) AS
SELECT o.origin,
       o.origin IS NOT DISTINCT FROM l.origin AS is_local,
       c.tree_size AS cosigned_size,
       c.witness_name AS cosigned_by,
       c.cosigned_at,
       k.tree_size AS checkpoint_size,
       k.published_at AS checkpoint_published_at,
       pg_catalog.now() - k.published_at AS checkpoint_age,
       h.size AS held_size,
       (SELECT count(*) FROM @extschema@.witness_alarm a
         WHERE a.origin = o.origin AND a.resolved_at IS NULL) AS open_alarms,
       (SELECT max(a.id) FROM @extschema@.witness_alarm a
         WHERE a.origin = o.origin AND a.resolved_at IS NULL) AS newest_open_alarm
  FROM (SELECT ch.origin FROM @extschema@.chain_head ch
        UNION SELECT cp.origin FROM @extschema@.checkpoint cp) o
  -- the local origin read by the view (its owner's right), not by local_origin() (the caller's)
  LEFT JOIN (SELECT s.origin FROM @extschema@.settings s) l ON true
  LEFT JOIN @extschema@.chain_head h ON h.origin = o.origin
  LEFT JOIN LATERAL (
        SELECT cs.tree_size, cs.witness_name, cs.cosigned_at
          FROM @extschema@.cosignature cs
         WHERE cs.origin = o.origin
           AND (o.origin IS NOT DISTINCT FROM l.origin
                OR cs.witness_name = 'integrity/' || l.origin || '/witness')
         ORDER BY cs.tree_size DESC, cs.cosigned_at DESC LIMIT 1) c ON true
  LEFT JOIN LATERAL (
        SELECT cp.tree_size, cp.published_at
          FROM @extschema@.checkpoint cp
         WHERE cp.origin = o.origin
         ORDER BY cp.published_at DESC, cp.tree_size DESC LIMIT 1) k ON true;
COMMENT ON VIEW @extschema@.witness_status IS
    '见证状态 per origin held: the newest cosignature (by this level''s witness; for the local origin by the levels above), the newest checkpoint and its age, the log held here and the open alarms';

COMMENT ON COLUMN @extschema@.witness_status.origin IS '来源平台 origin: the region code of a log held here';
COMMENT ON COLUMN @extschema@.witness_status.is_local IS '本级 is_local: true for this platform''s own log';
COMMENT ON COLUMN @extschema@.witness_status.cosigned_size IS '已见证规模 cosigned_size: tree size of the newest cosignature (by this level''s witness; for the local log by the levels above)';
COMMENT ON COLUMN @extschema@.witness_status.cosigned_by IS '见证方 cosigned_by: the witness name of that cosignature';
COMMENT ON COLUMN @extschema@.witness_status.cosigned_at IS '见证时间 cosigned_at: its timestamp';
COMMENT ON COLUMN @extschema@.witness_status.checkpoint_size IS '最新树头规模 checkpoint_size: tree size of the newest checkpoint held here';
COMMENT ON COLUMN @extschema@.witness_status.checkpoint_published_at IS '树头发布时间 checkpoint_published_at: when the origin published it (its clock)';
COMMENT ON COLUMN @extschema@.witness_status.checkpoint_age IS '树头时长 checkpoint_age: how long ago: a log that stops publishing or replicating shows here';
COMMENT ON COLUMN @extschema@.witness_status.held_size IS '已归集条数 held_size: entries of the log held here (chain_head)';
COMMENT ON COLUMN @extschema@.witness_status.open_alarms IS '未处理告警 open_alarms: witness alarms not yet resolved';
COMMENT ON COLUMN @extschema@.witness_status.newest_open_alarm IS '最新告警 newest_open_alarm: id of the newest open alarm in integrity.witness_alarm';

-- privileges (the 90_privileges rule: nothing for PUBLIC)
REVOKE ALL ON @extschema@.checkpoint, @extschema@.cosignature, @extschema@.witness_alarm,
              @extschema@.witness_evidence, @extschema@.witness_gossip, @extschema@.witness_status FROM PUBLIC;
REVOKE ALL ON SEQUENCE @extschema@.witness_alarm_id_seq, @extschema@.witness_evidence_id_seq FROM PUBLIC;
GRANT SELECT ON @extschema@.checkpoint, @extschema@.cosignature, @extschema@.witness_status TO integrity_reader;
GRANT SELECT ON @extschema@.witness_alarm, @extschema@.witness_evidence, @extschema@.witness_gossip
    TO integrity_operator;
REVOKE EXECUTE ON FUNCTION
    @extschema@._witness_alarm_guard(), @extschema@._witness_alarm(text, text, text, text, text),
    @extschema@.publish_checkpoint(), @extschema@.log_vkey(text), @extschema@.witness_vkey(),
    @extschema@.witness(text), @extschema@.witness_check(text),
    @extschema@.witness_resolve(bigint, text), @extschema@.create_witness_publication(text)
    FROM PUBLIC;
GRANT EXECUTE ON FUNCTION @extschema@.log_vkey(text), @extschema@.witness_vkey() TO integrity_reader;
GRANT EXECUTE ON FUNCTION
    @extschema@.publish_checkpoint(), @extschema@.witness(text), @extschema@.witness_check(text)
    TO integrity_operator;
GRANT EXECUTE ON FUNCTION
    @extschema@.witness_resolve(bigint, text), @extschema@.create_witness_publication(text)
    TO integrity_admin;
SELECT pg_catalog.pg_extension_config_dump('@extschema@.checkpoint', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.cosignature', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.witness_alarm', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.witness_gossip', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.witness_evidence', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.witness_alarm_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.witness_evidence_id_seq', '');
