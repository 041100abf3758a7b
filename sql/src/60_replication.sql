
------------------------------------------------------------------------
-- integrity, part 60 (replication): level-by-level collection over logical
-- replication (SPEC 10; DOMAIN D2.9 逐级归集).  See docs/REPLICATION.md.
--
-- A lower platform (县) publishes its own rows with create_publication();
-- an upper platform (市, 省) subscribes with a plain CREATE SUBSCRIPTION
-- and holds the rows beside its own, keyed by origin.  Nothing is
-- recomputed at the upper level: the lower level's history, disclosures,
-- Merkle nodes and public keys arrive as they were written, and the upper
-- level checks them with verify_chain(origin) and the origin's checkpoints.
------------------------------------------------------------------------

-- The tables an upper level needs, in the order they are published.  All
-- of them carry origin in their primary key (the replica identity), which
-- a PG15 row filter on UPDATE requires.  Not published: settings (each
-- platform its own origin), calendar, category, parameter,
-- publicity_period, score_model, measure (each level keeps its seeded and
-- admin rows; see docs/REPLICATION.md).
CREATE FUNCTION @extschema@.create_publication(name text, all_origins boolean) RETURNS void
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    o text;
    tables text;
    stmt text;
BEGIN
    IF name IS NULL OR name !~ '^[a-z_][a-z0-9_]*$' OR octet_length(name) > 63 THEN
        RAISE EXCEPTION 'invalid publication name "%"', name
            USING ERRCODE = '42602',
                  DETAIL = 'A publication name here is 1 to 63 lower-case ASCII letters, digits and underscores, not starting with a digit.';
    END IF;
    IF all_origins IS NULL THEN
        RAISE EXCEPTION 'all_origins must be true or false' USING ERRCODE = '22004';
    END IF;
    o := @extschema@._origin();                  -- 55000 when the origin is not set
    -- the caller must be allowed to create publications in this database;
    -- the table ownership that FOR TABLE ... WHERE needs comes from
    -- SECURITY DEFINER (the extension owner owns the tables)
    IF NOT has_database_privilege(session_user, current_database(), 'CREATE') THEN
        RAISE EXCEPTION 'permission denied to create a publication in database %', current_database()
            USING ERRCODE = '42501',
                  DETAIL = format('Role %s needs the CREATE privilege on the database, as CREATE PUBLICATION does.', session_user),
                  HINT = format('GRANT CREATE ON DATABASE %I TO %I;', current_database(), session_user);
    END IF;
    IF EXISTS (SELECT 1 FROM pg_publication p WHERE p.pubname = create_publication.name) THEN
        RAISE EXCEPTION 'publication "%" already exists', name
            USING ERRCODE = '42710',
                  HINT = 'Drop it first (DROP PUBLICATION), or choose another name.';
    END IF;
    SELECT string_agg(CASE WHEN all_origins THEN format('%I.%I', '@extschema@', t.tab)
                           ELSE format('%I.%I WHERE (origin = %L)', '@extschema@', t.tab, o) END,
                      ', ' ORDER BY t.ord)
      INTO tables
      FROM unnest(ARRAY['subject', 'record', 'record_event', 'disclosure', 'chain_head',
                        'merkle_node', 'signing_key']) WITH ORDINALITY AS t(tab, ord);
    -- insert and update only: nothing is ever deleted legitimately, and a
    -- TRUNCATE, which no row filter limits, would empty the table of every
    -- origin at the subscriber
    stmt := format('CREATE PUBLICATION %I FOR TABLE %s WITH (publish = %L)',
                   name, tables, 'insert, update');
    EXECUTE stmt;
    EXECUTE format('COMMENT ON PUBLICATION %I IS %L', name,
                   CASE WHEN all_origins
                        THEN format('integrity: rows of origin %s and of every lower origin held here (逐级归集, D2.9)', o)
                        ELSE format('integrity: rows of origin %s (逐级归集, D2.9)', o) END);
END $$;
COMMENT ON FUNCTION @extschema@.create_publication(text, boolean) IS
    '逐级归集 create the publication an upper level subscribes to: the tables subject, record, record_event, disclosure, chain_head, merkle_node, signing_key, inserts and updates; all_origins false: only the local origin''s rows (PG15 row filter); true: also the rows of the lower origins held here (an intermediate level, e.g. a city re-publishing to its province)';

CREATE FUNCTION @extschema@.create_publication(name text DEFAULT 'integrity_pub') RETURNS void
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    PERFORM @extschema@.create_publication(name, false);
END $$;
COMMENT ON FUNCTION @extschema@.create_publication(text) IS
    '逐级归集 create, on a lower platform, the publication of the local origin''s rows (PG15 row filter origin = local origin) that an upper level subscribes to with CREATE SUBSCRIPTION ... PUBLICATION integrity_pub (SPEC 10, D2.9)';

REVOKE EXECUTE ON FUNCTION @extschema@.create_publication(text),
                           @extschema@.create_publication(text, boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION @extschema@.create_publication(text),
                          @extschema@.create_publication(text, boolean) TO integrity_admin;

------------------------------------------------------------------------
-- Triggers at a subscriber.  The logical replication apply worker runs
-- with session_replication_role = replica, where only ENABLE REPLICA and
-- ENABLE ALWAYS triggers fire.
--
-- record_guard and record_log stay ENABLE (origin/local only): the rows
-- of a lower origin arrive with their history, disclosures and dates as
-- the lower level wrote them.  Fired by the apply worker, record_log
-- would append a second record_event row and a disclosure signed with
-- this platform's key into the lower origin's chain, and record_guard
-- would refuse the transition dates that come with a replicated update
-- and stamp this platform's date instead.
--
-- The append-only guards are ENABLE ALWAYS: the apply worker only ever
-- inserts into record_event, disclosure and merkle_node, so they never
-- stand in its way, and they keep holding when somebody at this level
-- sets session_replication_role = replica to get around them, or when a
-- lower level that got around its own guards sends an UPDATE of its
-- history: the apply worker then stops with the error instead of
-- overwriting the copy held here (docs/REPLICATION.md, "Tampering").
------------------------------------------------------------------------
ALTER TABLE @extschema@.record_event ENABLE ALWAYS TRIGGER record_event_append_only;
ALTER TABLE @extschema@.record_event ENABLE ALWAYS TRIGGER record_event_no_truncate;
ALTER TABLE @extschema@.disclosure ENABLE ALWAYS TRIGGER disclosure_append_only;
ALTER TABLE @extschema@.disclosure ENABLE ALWAYS TRIGGER disclosure_no_truncate;
ALTER TABLE @extschema@.merkle_node ENABLE ALWAYS TRIGGER merkle_node_append_only;
ALTER TABLE @extschema@.merkle_node ENABLE ALWAYS TRIGGER merkle_node_no_truncate;
ALTER TABLE @extschema@.record ENABLE ALWAYS TRIGGER record_no_truncate;

-- D2.4: records are never deleted.  record_guard refuses a DELETE in a
-- normal session; this guard refuses it in every session, including one
-- with session_replication_role = replica (record_guard itself cannot be
-- ENABLE ALWAYS, see above).  In a normal session record_guard fires
-- first (triggers fire in name order) and reports the DELETE.
CREATE FUNCTION @extschema@._record_no_delete() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    RAISE EXCEPTION 'record % of origin % cannot be deleted', OLD.id, OLD.origin
        USING ERRCODE = '55000',
              DETAIL = 'Records are never deleted (D2.4), not even with session_replication_role = replica.',
              HINT = 'Withdraw wrong information with integrity.revoke(record_id, reason) at the platform of its origin.';
END $$;
REVOKE EXECUTE ON FUNCTION @extschema@._record_no_delete() FROM PUBLIC;
CREATE TRIGGER record_no_delete BEFORE DELETE ON @extschema@.record
    FOR EACH ROW EXECUTE FUNCTION @extschema@._record_no_delete();
ALTER TABLE @extschema@.record ENABLE ALWAYS TRIGGER record_no_delete;
