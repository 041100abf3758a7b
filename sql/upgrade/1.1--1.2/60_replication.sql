
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
                        'merkle_node', 'signing_key',
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
    '逐级归集 create the publication an upper level subscribes to: the tables subject, record, record_event, disclosure, chain_head, merkle_node, signing_key, commitment, commitment_event, arrears, arrears_payment, arrears_event, personal_report, clean_record, assessment, inserts and updates; all_origins false: only the local origin''s rows (PG15 row filter); true: also the rows of the lower origins held here (an intermediate level, e.g. a city re-publishing to its province)';

