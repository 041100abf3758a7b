
------------------------------------------------------------------------
-- integrity 1.0, part 90: privileges and pg_dump (SPEC 3, 8)
------------------------------------------------------------------------

-- pg_dump keeps the rows of the extension's tables: all of the data
-- tables, and the rows admins added to the seeded ones.
SELECT pg_catalog.pg_extension_config_dump('@extschema@.settings', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.subject', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.record', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.record_event', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.disclosure', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.chain_head', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.merkle_node', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.signing_key', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.calendar', 'WHERE NOT seeded');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.category', 'WHERE NOT seeded');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.parameter', 'WHERE NOT seeded');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.publicity_period', 'WHERE NOT seeded');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.subject_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.record_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.record_event_id_seq', '');

-- SPEC 8: nobody writes the tables directly; the API functions are
-- SECURITY DEFINER.  Reading the operator tables is for operators.
REVOKE ALL ON ALL TABLES IN SCHEMA @extschema@ FROM PUBLIC;
REVOKE ALL ON ALL SEQUENCES IN SCHEMA @extschema@ FROM PUBLIC;
GRANT SELECT ON @extschema@.category, @extschema@.calendar, @extschema@.parameter,
                @extschema@.publicity_period, @extschema@.disclosure, @extschema@.signing_key,
                @extschema@.chain_head, @extschema@.merkle_node
    TO integrity_reader;
GRANT SELECT ON @extschema@.settings, @extschema@.subject, @extschema@.record, @extschema@.record_event
    TO integrity_operator;
-- admins maintain the calendar, categories and parameters: they add rows
-- (never the "seeded" flag) and change or remove their own rows
GRANT INSERT (day, is_workday, note), UPDATE (is_workday, note), DELETE ON @extschema@.calendar TO integrity_admin;
GRANT INSERT (code, name, kind, default_severity, published, subject_kinds, note),
      UPDATE (name, default_severity, published, subject_kinds, note), DELETE
    ON @extschema@.category TO integrity_admin;
GRANT INSERT (name, value, note), UPDATE (value, note), DELETE ON @extschema@.parameter TO integrity_admin;
GRANT INSERT (severity, category, published, min_period, max_period),
      UPDATE (published, min_period, max_period), DELETE
    ON @extschema@.publicity_period TO integrity_admin;

-- Functions: the harmless ones (types, masking, calendar arithmetic,
-- verification) stay executable by everyone; the rest are granted.
REVOKE EXECUTE ON FUNCTION
    @extschema@._set_context(text, boolean, text), @extschema@._origin(), @extschema@._forget_origin(), @extschema@._param(text),
    @extschema@._last_seq(text, bigint),
    @extschema@._register_key(text, text, bytea),
    @extschema@._disclosure_payload(text, bigint, text),
    @extschema@._current_public_key(), @extschema@._current_key_id(),
    @extschema@._seeded_guard(),
    @extschema@.record_guard(), @extschema@.record_log(), @extschema@.refuse_change(),
    @extschema@.set_origin(text),
    @extschema@.subject_add(text, text, text, text, bigint, text),
    @extschema@.record_add(bigint, text, @extschema@.severity, date, text, text, text, text, text, integer),
    @extschema@.transition(bigint, @extschema@.record_state, text),
    @extschema@.notify(bigint, text), @extschema@.confirm(bigint, text), @extschema@.publish(bigint),
    @extschema@.object(bigint, text), @extschema@.resolve_objection(bigint, boolean, text),
    @extschema@.repair(bigint, text), @extschema@.revoke(bigint, text),
    @extschema@.mark_remedied(bigint, text), @extschema@.expire_due(date),
    @extschema@.public_key(text), @extschema@.tree_head(text),
    @extschema@.verify_chain(text, bigint, text), @extschema@.verify_entry(text, bigint),
    @extschema@.inclusion_proof(bigint, bigint, text), @extschema@.consistency_proof(bigint, bigint, text)
    FROM PUBLIC;

GRANT EXECUTE ON FUNCTION
    @extschema@.public_key(text), @extschema@.tree_head(text),
    @extschema@.verify_chain(text, bigint, text), @extschema@.verify_entry(text, bigint),
    @extschema@.inclusion_proof(bigint, bigint, text), @extschema@.consistency_proof(bigint, bigint, text)
    TO integrity_reader;
GRANT EXECUTE ON FUNCTION
    @extschema@.subject_add(text, text, text, text, bigint, text),
    @extschema@.record_add(bigint, text, @extschema@.severity, date, text, text, text, text, text, integer),
    @extschema@.transition(bigint, @extschema@.record_state, text),
    @extschema@.notify(bigint, text), @extschema@.confirm(bigint, text), @extschema@.publish(bigint),
    @extschema@.object(bigint, text), @extschema@.resolve_objection(bigint, boolean, text),
    @extschema@.repair(bigint, text), @extschema@.revoke(bigint, text),
    @extschema@.mark_remedied(bigint, text), @extschema@.expire_due(date)
    TO integrity_operator;
GRANT EXECUTE ON FUNCTION @extschema@.set_origin(text) TO integrity_admin;
