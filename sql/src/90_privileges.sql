
------------------------------------------------------------------------
-- integrity, part 90 (privileges): privileges and pg_dump (SPEC 3, 8)
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
SELECT pg_catalog.pg_extension_config_dump('@extschema@.calendar_year', 'WHERE NOT seeded');
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
    @extschema@._disclosure_payload(text, bigint, text, bigint),
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

-- Issue 13: the rule, made once for every function of the extension (those
-- of later parts included): nothing is executable by PUBLIC but the type
-- support and identifier functions (pure, STRICT, bounded by their input);
-- everything else is granted to the roles that need it, and the internals
-- stay the owner's.  docs/SECURITY.md has the reviewed table of who may
-- execute what and why; test/pg/privileges.sh checks the catalog against it.
REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA @extschema@ FROM PUBLIC;
GRANT EXECUTE ON FUNCTION
    @extschema@.uscc_in(cstring), @extschema@.uscc_out(@extschema@.uscc),
    @extschema@.uscc_recv(internal), @extschema@.uscc_send(@extschema@.uscc),
    @extschema@.uscc_eq(@extschema@.uscc, @extschema@.uscc), @extschema@.uscc_ne(@extschema@.uscc, @extschema@.uscc),
    @extschema@.uscc_lt(@extschema@.uscc, @extschema@.uscc), @extschema@.uscc_le(@extschema@.uscc, @extschema@.uscc),
    @extschema@.uscc_gt(@extschema@.uscc, @extschema@.uscc), @extschema@.uscc_ge(@extschema@.uscc, @extschema@.uscc),
    @extschema@.uscc_cmp(@extschema@.uscc, @extschema@.uscc),
    @extschema@.uscc_hash(@extschema@.uscc), @extschema@.uscc_hash_extended(@extschema@.uscc, bigint),
    @extschema@.uscc_is_valid(text), @extschema@.uscc_authority(@extschema@.uscc),
    @extschema@.uscc_category(@extschema@.uscc), @extschema@.uscc_region(@extschema@.uscc),
    @extschema@.uscc_org_code(@extschema@.uscc), @extschema@.uscc_categories(),
    @extschema@.cn_id_in(cstring), @extschema@.cn_id_out(@extschema@.cn_id),
    @extschema@.cn_id_recv(internal), @extschema@.cn_id_send(@extschema@.cn_id),
    @extschema@.cn_id_eq(@extschema@.cn_id, @extschema@.cn_id), @extschema@.cn_id_ne(@extschema@.cn_id, @extschema@.cn_id),
    @extschema@.cn_id_lt(@extschema@.cn_id, @extschema@.cn_id), @extschema@.cn_id_le(@extschema@.cn_id, @extschema@.cn_id),
    @extschema@.cn_id_gt(@extschema@.cn_id, @extschema@.cn_id), @extschema@.cn_id_ge(@extschema@.cn_id, @extschema@.cn_id),
    @extschema@.cn_id_cmp(@extschema@.cn_id, @extschema@.cn_id), @extschema@.cn_id_sortsupport(internal),
    @extschema@.cn_id_hash(@extschema@.cn_id), @extschema@.cn_id_hash_extended(@extschema@.cn_id, bigint),
    @extschema@.cn_id_is_valid(text), @extschema@.cn_id_birth_date(@extschema@.cn_id),
    @extschema@.cn_id_sex(@extschema@.cn_id), @extschema@.cn_id_region(@extschema@.cn_id),
    @extschema@.mask(@extschema@.cn_id), @extschema@.mask_name(text)
    TO PUBLIC;
-- readers: what the views call as the reader, the calendar arithmetic
-- (bounded), and the verification functions of the public log
GRANT EXECUTE ON FUNCTION
    @extschema@.is_workday(date), @extschema@.add_workdays(date, integer),
    @extschema@.workdays_between(date, date),
    @extschema@._calendar_needs(date, date), @extschema@._workday_date_check(text, date),
    @extschema@.local_origin(), @extschema@._public_name(@extschema@.subject_kind, text),
    @extschema@._public_code(@extschema@.subject_kind, @extschema@.uscc, @extschema@.cn_id, text),
    @extschema@.score_state(text, text, @extschema@.severity, date, date, date, date, date, jsonb),
    @extschema@.score_of(float8[], jsonb), @extschema@.grade_of(float8[], jsonb),
    @extschema@.score_result(float8[], jsonb),
    @extschema@.merkle_leaf_hash(bytea), @extschema@.ed25519_verify(bytea, bytea, bytea),
    @extschema@.canonical_json(text)
    TO integrity_reader;
GRANT SELECT ON @extschema@.calendar_year TO integrity_reader;
GRANT EXECUTE ON FUNCTION @extschema@.calendar_provisional(integer) TO integrity_operator;
-- admins: the calendar of a new year, and the check of the models they write
GRANT EXECUTE ON FUNCTION
    @extschema@.calendar_load(integer, date[], date[], text), @extschema@._model_check(jsonb)
    TO integrity_admin;
-- issue 17: the credit report is what a platform hands out: operators
-- request it (a reader role cannot); its body builder stays the owner's
GRANT EXECUTE ON FUNCTION @extschema@.credit_report(bigint, date) TO integrity_operator;
