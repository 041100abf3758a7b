
------------------------------------------------------------------------
-- replication, 1.1 -> 1.2: create_publication also publishes the D7/D8
-- tables of 45_commitments.sql, with the same row filter.  Same text as in
-- sql/src/60_replication.sql.
------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION @extschema@.create_publication(name text, all_origins boolean) RETURNS void
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
                        'merkle_node', 'signing_key', 'checkpoint',
                        -- D7, D8 (45_commitments.sql)
                        'commitment', 'commitment_event', 'arrears', 'arrears_payment', 'arrears_event',
                        'personal_report', 'clean_record', 'assessment']) WITH ORDINALITY AS t(tab, ord);
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
    '逐级归集 create the publication an upper level subscribes to: the tables subject, record, record_event, disclosure, chain_head, merkle_node, signing_key, checkpoint, commitment, commitment_event, arrears, arrears_payment, arrears_event, personal_report, clean_record, assessment, inserts and updates; all_origins false: only the local origin''s rows (PG15 row filter); true: also the rows of the lower origins held here (an intermediate level, e.g. a city re-publishing to its province)';

------------------------------------------------------------------------
-- Issue 16: rows replicated from below that contradict the rows held
-- here are neither applied nor an apply error.  A lower level that
-- rewrote its log (dropped and re-created the extension, say) sends rows
-- whose keys are already held with other contents; applied, they would
-- overwrite history, and a unique violation would stop the subscription
-- and with it every later row.  _replica_guard fires only in the apply
-- worker (ENABLE REPLICA: session_replication_role = replica) and before
-- the append-only guards (trigger names sort "_replica_guard" first): a
-- row that contradicts the one held here, a disclosure that does not
-- extend the entry held before it, an UPDATE of an append-only row or one
-- that moves a log's head back, and every row of an origin that has an
-- open replicated_row alarm, are kept in integrity.witness_evidence under
-- an alarm (integrity.witness_alarm) with a WARNING, and not applied.
-- The same row again (a table resync) is skipped quietly.
------------------------------------------------------------------------
CREATE FUNCTION @extschema@._replica_guard() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    o text;
    held jsonb;
    got jsonb;
    why text;
    alarm bigint;
BEGIN
    IF TG_OP = 'DELETE' THEN
        o := OLD.origin;
        got := NULL;
    ELSE
        o := NEW.origin;
        got := to_jsonb(NEW);
    END IF;
    SELECT a.id INTO alarm FROM @extschema@.witness_alarm a
     WHERE a.origin = o AND a.kind = 'replicated_row' AND a.resolved_at IS NULL
     ORDER BY a.id LIMIT 1;
    IF alarm IS NOT NULL THEN
        why := 'held back: the origin has an open replicated_row alarm';
        IF TG_OP <> 'INSERT' THEN
            held := to_jsonb(OLD);
        END IF;
    ELSIF TG_OP = 'INSERT' THEN
        -- the row held here with the same primary key
        IF TG_TABLE_NAME = 'disclosure' THEN
            SELECT to_jsonb(t) INTO held FROM @extschema@.disclosure t WHERE t.origin = NEW.origin AND t.seq = NEW.seq;
        ELSIF TG_TABLE_NAME = 'merkle_node' THEN
            SELECT to_jsonb(t) INTO held FROM @extschema@.merkle_node t
             WHERE t.origin = NEW.origin AND t.level = NEW.level AND t.idx = NEW.idx;
        ELSIF TG_TABLE_NAME = 'chain_head' THEN
            SELECT to_jsonb(t) INTO held FROM @extschema@.chain_head t WHERE t.origin = NEW.origin;
        ELSIF TG_TABLE_NAME = 'signing_key' THEN
            SELECT to_jsonb(t) INTO held FROM @extschema@.signing_key t WHERE t.origin = NEW.origin AND t.key_id = NEW.key_id;
        ELSIF TG_TABLE_NAME = 'checkpoint' THEN
            SELECT to_jsonb(t) INTO held FROM @extschema@.checkpoint t WHERE t.origin = NEW.origin AND t.tree_size = NEW.tree_size;
        ELSIF TG_TABLE_NAME = 'cosignature' THEN
            SELECT to_jsonb(t) INTO held FROM @extschema@.cosignature t
             WHERE t.origin = NEW.origin AND t.witness_name = NEW.witness_name AND t.tree_size = NEW.tree_size;
        ELSE
            -- the other published tables are keyed (origin, id); the table
            -- name is this trigger's own, never input
            EXECUTE format('SELECT to_jsonb(t) FROM %I.%I t WHERE t.origin = $1 AND t.id = $2',
                           TG_TABLE_SCHEMA, TG_TABLE_NAME)
               INTO held USING NEW.origin, NEW.id;
        END IF;
        IF held IS NOT NULL THEN
            IF held = got THEN
                RETURN NULL;            -- the same row again
            END IF;
            why := 'contradicts the row held here with the same key';
        ELSIF TG_TABLE_NAME = 'disclosure' THEN
            -- (a separate statement: NEW.seq exists in disclosure rows only)
            SELECT to_jsonb(t) INTO held FROM @extschema@.disclosure t
             WHERE t.origin = NEW.origin AND t.seq = NEW.seq - 1 AND t.entry_hash IS DISTINCT FROM NEW.prev_hash;
            IF held IS NOT NULL THEN
                why := 'does not extend the entry held before it (prev_hash)';
            END IF;
        END IF;
    ELSIF TG_OP = 'UPDATE' THEN
        IF TG_TABLE_NAME IN ('record_event', 'disclosure', 'merkle_node', 'checkpoint', 'cosignature',
                             'commitment_event', 'arrears_event') THEN
            why := 'changes an append-only row';
        ELSIF TG_TABLE_NAME = 'chain_head' THEN
            IF NEW.size < OLD.size OR (NEW.size = OLD.size AND NEW.head <> OLD.head) THEN
                why := 'moves the head of the log back';
            END IF;
        END IF;
        IF why IS NOT NULL THEN
            held := to_jsonb(OLD);
        END IF;
    ELSE
        held := to_jsonb(OLD);
        why := 'deletes a row';
    END IF;
    IF why IS NULL THEN
        RETURN NEW;
    END IF;
    IF alarm IS NULL THEN
        alarm := @extschema@._witness_alarm(o, 'replicated_row', held::text, got::text,
                     format('a replicated %s %s %s; the rows of origin %s are held back until the alarm is resolved',
                            TG_TABLE_NAME, lower(TG_OP), why, o));
        RAISE WARNING 'witness alarm %: a replicated % row of origin % %', alarm, TG_TABLE_NAME, o, why
            USING DETAIL = 'The row is kept in integrity.witness_evidence and not applied; the rows held here stay as they were.',
                  HINT = 'See docs/REPLICATION.md, "When a witness alarm fires".';
    END IF;
    INSERT INTO @extschema@.witness_evidence (alarm_id, table_name, operation, held, received)
        VALUES (alarm, TG_TABLE_NAME, TG_OP, held, got);
    RETURN NULL;
END $$;
REVOKE EXECUTE ON FUNCTION @extschema@._replica_guard() FROM PUBLIC;
CREATE TRIGGER _replica_guard BEFORE INSERT OR UPDATE OR DELETE ON @extschema@.subject
    FOR EACH ROW EXECUTE FUNCTION @extschema@._replica_guard();
ALTER TABLE @extschema@.subject ENABLE REPLICA TRIGGER _replica_guard;
CREATE TRIGGER _replica_guard BEFORE INSERT OR UPDATE OR DELETE ON @extschema@.record
    FOR EACH ROW EXECUTE FUNCTION @extschema@._replica_guard();
ALTER TABLE @extschema@.record ENABLE REPLICA TRIGGER _replica_guard;
CREATE TRIGGER _replica_guard BEFORE INSERT OR UPDATE OR DELETE ON @extschema@.record_event
    FOR EACH ROW EXECUTE FUNCTION @extschema@._replica_guard();
ALTER TABLE @extschema@.record_event ENABLE REPLICA TRIGGER _replica_guard;
CREATE TRIGGER _replica_guard BEFORE INSERT OR UPDATE OR DELETE ON @extschema@.disclosure
    FOR EACH ROW EXECUTE FUNCTION @extschema@._replica_guard();
ALTER TABLE @extschema@.disclosure ENABLE REPLICA TRIGGER _replica_guard;
CREATE TRIGGER _replica_guard BEFORE INSERT OR UPDATE OR DELETE ON @extschema@.chain_head
    FOR EACH ROW EXECUTE FUNCTION @extschema@._replica_guard();
ALTER TABLE @extschema@.chain_head ENABLE REPLICA TRIGGER _replica_guard;
CREATE TRIGGER _replica_guard BEFORE INSERT OR UPDATE OR DELETE ON @extschema@.merkle_node
    FOR EACH ROW EXECUTE FUNCTION @extschema@._replica_guard();
ALTER TABLE @extschema@.merkle_node ENABLE REPLICA TRIGGER _replica_guard;
CREATE TRIGGER _replica_guard BEFORE INSERT OR UPDATE OR DELETE ON @extschema@.signing_key
    FOR EACH ROW EXECUTE FUNCTION @extschema@._replica_guard();
ALTER TABLE @extschema@.signing_key ENABLE REPLICA TRIGGER _replica_guard;
CREATE TRIGGER _replica_guard BEFORE INSERT OR UPDATE OR DELETE ON @extschema@.checkpoint
    FOR EACH ROW EXECUTE FUNCTION @extschema@._replica_guard();
ALTER TABLE @extschema@.checkpoint ENABLE REPLICA TRIGGER _replica_guard;
CREATE TRIGGER _replica_guard BEFORE INSERT OR UPDATE OR DELETE ON @extschema@.cosignature
    FOR EACH ROW EXECUTE FUNCTION @extschema@._replica_guard();
ALTER TABLE @extschema@.cosignature ENABLE REPLICA TRIGGER _replica_guard;
CREATE TRIGGER _replica_guard BEFORE INSERT OR UPDATE OR DELETE ON @extschema@.commitment
    FOR EACH ROW EXECUTE FUNCTION @extschema@._replica_guard();
ALTER TABLE @extschema@.commitment ENABLE REPLICA TRIGGER _replica_guard;
CREATE TRIGGER _replica_guard BEFORE INSERT OR UPDATE OR DELETE ON @extschema@.commitment_event
    FOR EACH ROW EXECUTE FUNCTION @extschema@._replica_guard();
ALTER TABLE @extschema@.commitment_event ENABLE REPLICA TRIGGER _replica_guard;
CREATE TRIGGER _replica_guard BEFORE INSERT OR UPDATE OR DELETE ON @extschema@.arrears
    FOR EACH ROW EXECUTE FUNCTION @extschema@._replica_guard();
ALTER TABLE @extschema@.arrears ENABLE REPLICA TRIGGER _replica_guard;
CREATE TRIGGER _replica_guard BEFORE INSERT OR UPDATE OR DELETE ON @extschema@.arrears_payment
    FOR EACH ROW EXECUTE FUNCTION @extschema@._replica_guard();
ALTER TABLE @extschema@.arrears_payment ENABLE REPLICA TRIGGER _replica_guard;
CREATE TRIGGER _replica_guard BEFORE INSERT OR UPDATE OR DELETE ON @extschema@.arrears_event
    FOR EACH ROW EXECUTE FUNCTION @extschema@._replica_guard();
ALTER TABLE @extschema@.arrears_event ENABLE REPLICA TRIGGER _replica_guard;
CREATE TRIGGER _replica_guard BEFORE INSERT OR UPDATE OR DELETE ON @extschema@.personal_report
    FOR EACH ROW EXECUTE FUNCTION @extschema@._replica_guard();
ALTER TABLE @extschema@.personal_report ENABLE REPLICA TRIGGER _replica_guard;
CREATE TRIGGER _replica_guard BEFORE INSERT OR UPDATE OR DELETE ON @extschema@.clean_record
    FOR EACH ROW EXECUTE FUNCTION @extschema@._replica_guard();
ALTER TABLE @extschema@.clean_record ENABLE REPLICA TRIGGER _replica_guard;
CREATE TRIGGER _replica_guard BEFORE INSERT OR UPDATE OR DELETE ON @extschema@.assessment
    FOR EACH ROW EXECUTE FUNCTION @extschema@._replica_guard();
ALTER TABLE @extschema@.assessment ENABLE REPLICA TRIGGER _replica_guard;
