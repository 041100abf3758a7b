-- privileges (1.1 -> 1.2): the issue-13 rule for every function, and the
-- new objects.  calendar_year rows (admin-loaded years) are dumped by pg_dump.
SELECT pg_catalog.pg_extension_config_dump('@extschema@.calendar_year', 'WHERE NOT seeded');
REVOKE ALL ON @extschema@.calendar_year FROM PUBLIC;

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
