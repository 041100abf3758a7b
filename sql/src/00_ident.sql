-- integrity, part 00 (ident): roles and identifier types (SPEC 2, 8; DOMAIN D1)

\echo Use "CREATE EXTENSION integrity" to load this file. \quit

-- SPEC 8: roles, created if missing.  Operator includes reader, admin
-- includes operator.
DO $roles$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'integrity_reader') THEN
        CREATE ROLE integrity_reader NOLOGIN;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'integrity_operator') THEN
        CREATE ROLE integrity_operator NOLOGIN;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'integrity_admin') THEN
        CREATE ROLE integrity_admin NOLOGIN;
    END IF;
END
$roles$;
GRANT integrity_reader TO integrity_operator;
GRANT integrity_operator TO integrity_admin;

GRANT USAGE ON SCHEMA @extschema@ TO integrity_reader;

------------------------------------------------------------------------
-- integrity.uscc: 统一社会信用代码 (GB 32100-2015), D1.1, D1.1a, D1.2
-- Stored as 12 bytes: positions 1-17 as a base-31 number, big-endian, so
-- that byte order equals text order.  The check character is derived.
------------------------------------------------------------------------
CREATE TYPE @extschema@.uscc;

CREATE FUNCTION @extschema@.uscc_in(cstring) RETURNS @extschema@.uscc
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.uscc_out(@extschema@.uscc) RETURNS cstring
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.uscc_recv(internal) RETURNS @extschema@.uscc
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.uscc_send(@extschema@.uscc) RETURNS bytea
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE @extschema@.uscc (
    INPUT = @extschema@.uscc_in,
    OUTPUT = @extschema@.uscc_out,
    RECEIVE = @extschema@.uscc_recv,
    SEND = @extschema@.uscc_send,
    INTERNALLENGTH = 12,
    ALIGNMENT = char,
    STORAGE = plain
);
COMMENT ON TYPE @extschema@.uscc IS
    '统一社会信用代码 unified social credit code (GB 32100-2015), validated, stored in 12 bytes';

CREATE FUNCTION @extschema@.uscc_eq(@extschema@.uscc, @extschema@.uscc) RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION @extschema@.uscc_ne(@extschema@.uscc, @extschema@.uscc) RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION @extschema@.uscc_lt(@extschema@.uscc, @extschema@.uscc) RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION @extschema@.uscc_le(@extschema@.uscc, @extschema@.uscc) RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION @extschema@.uscc_gt(@extschema@.uscc, @extschema@.uscc) RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION @extschema@.uscc_ge(@extschema@.uscc, @extschema@.uscc) RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION @extschema@.uscc_cmp(@extschema@.uscc, @extschema@.uscc) RETURNS integer
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION @extschema@.uscc_hash(@extschema@.uscc) RETURNS integer
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION @extschema@.uscc_hash_extended(@extschema@.uscc, bigint) RETURNS bigint
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;

CREATE OPERATOR @extschema@.= (
    LEFTARG = @extschema@.uscc, RIGHTARG = @extschema@.uscc,
    FUNCTION = @extschema@.uscc_eq, COMMUTATOR = OPERATOR(@extschema@.=),
    NEGATOR = OPERATOR(@extschema@.<>), RESTRICT = eqsel, JOIN = eqjoinsel,
    MERGES, HASHES);
CREATE OPERATOR @extschema@.<> (
    LEFTARG = @extschema@.uscc, RIGHTARG = @extschema@.uscc,
    FUNCTION = @extschema@.uscc_ne, COMMUTATOR = OPERATOR(@extschema@.<>),
    NEGATOR = OPERATOR(@extschema@.=), RESTRICT = neqsel, JOIN = neqjoinsel);
CREATE OPERATOR @extschema@.< (
    LEFTARG = @extschema@.uscc, RIGHTARG = @extschema@.uscc,
    FUNCTION = @extschema@.uscc_lt, COMMUTATOR = OPERATOR(@extschema@.>),
    NEGATOR = OPERATOR(@extschema@.>=), RESTRICT = scalarltsel, JOIN = scalarltjoinsel);
CREATE OPERATOR @extschema@.<= (
    LEFTARG = @extschema@.uscc, RIGHTARG = @extschema@.uscc,
    FUNCTION = @extschema@.uscc_le, COMMUTATOR = OPERATOR(@extschema@.>=),
    NEGATOR = OPERATOR(@extschema@.>), RESTRICT = scalarlesel, JOIN = scalarlejoinsel);
CREATE OPERATOR @extschema@.> (
    LEFTARG = @extschema@.uscc, RIGHTARG = @extschema@.uscc,
    FUNCTION = @extschema@.uscc_gt, COMMUTATOR = OPERATOR(@extschema@.<),
    NEGATOR = OPERATOR(@extschema@.<=), RESTRICT = scalargtsel, JOIN = scalargtjoinsel);
CREATE OPERATOR @extschema@.>= (
    LEFTARG = @extschema@.uscc, RIGHTARG = @extschema@.uscc,
    FUNCTION = @extschema@.uscc_ge, COMMUTATOR = OPERATOR(@extschema@.<=),
    NEGATOR = OPERATOR(@extschema@.<), RESTRICT = scalargesel, JOIN = scalargejoinsel);

CREATE OPERATOR CLASS @extschema@.uscc_ops
    DEFAULT FOR TYPE @extschema@.uscc USING btree AS
        OPERATOR 1 @extschema@.<,
        OPERATOR 2 @extschema@.<=,
        OPERATOR 3 @extschema@.=,
        OPERATOR 4 @extschema@.>=,
        OPERATOR 5 @extschema@.>,
        FUNCTION 1 @extschema@.uscc_cmp(@extschema@.uscc, @extschema@.uscc);
CREATE OPERATOR CLASS @extschema@.uscc_hash_ops
    DEFAULT FOR TYPE @extschema@.uscc USING hash AS
        OPERATOR 1 @extschema@.=,
        FUNCTION 1 @extschema@.uscc_hash(@extschema@.uscc),
        FUNCTION 2 @extschema@.uscc_hash_extended(@extschema@.uscc, bigint);

CREATE CAST (@extschema@.uscc AS text) WITH INOUT AS ASSIGNMENT;
CREATE CAST (text AS @extschema@.uscc) WITH INOUT AS ASSIGNMENT;

CREATE FUNCTION @extschema@.uscc_is_valid(code text) RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.uscc_is_valid(text) IS
    'true if the text is a valid 统一社会信用代码 (never raises)';
CREATE FUNCTION @extschema@.uscc_authority(@extschema@.uscc) RETURNS text
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.uscc_authority(@extschema@.uscc) IS
    '登记管理部门码 registration authority code (position 1)';
CREATE FUNCTION @extschema@.uscc_category(@extschema@.uscc) RETURNS text
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.uscc_category(@extschema@.uscc) IS
    '机构类别码 organization category code (position 2)';
CREATE FUNCTION @extschema@.uscc_region(@extschema@.uscc) RETURNS text
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.uscc_region(@extschema@.uscc) IS
    '登记管理机关行政区划码 6-digit region code (positions 3-8)';
CREATE FUNCTION @extschema@.uscc_org_code(@extschema@.uscc) RETURNS text
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.uscc_org_code(@extschema@.uscc) IS
    '组织机构代码 organization code, GB 11714 (positions 9-17)';

CREATE FUNCTION @extschema@.uscc_categories(
    OUT authority text, OUT authority_name text, OUT category text, OUT category_name text)
    RETURNS SETOF record
    AS 'MODULE_PATHNAME', 'uscc_category_table' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 40;
COMMENT ON FUNCTION @extschema@.uscc_categories() IS
    'GB 32100 登记管理部门 and 机构类别 pairs accepted by the uscc type (D1.1a)';

------------------------------------------------------------------------
-- integrity.cn_id: 居民身份证号码 (GB 11643-1999), D1.3, D1.3a
-- Stored as the 17-digit number in an int8, so btree and hash support
-- come from the server's own int8 functions.  The input function is
-- STABLE, like timestamptz_in: a birth date may not be in the future.
------------------------------------------------------------------------
CREATE TYPE @extschema@.cn_id;

CREATE FUNCTION @extschema@.cn_id_in(cstring) RETURNS @extschema@.cn_id
    AS 'MODULE_PATHNAME' LANGUAGE C STABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.cn_id_out(@extschema@.cn_id) RETURNS cstring
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.cn_id_recv(internal) RETURNS @extschema@.cn_id
    AS 'MODULE_PATHNAME' LANGUAGE C STABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.cn_id_send(@extschema@.cn_id) RETURNS bytea
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE @extschema@.cn_id (
    INPUT = @extschema@.cn_id_in,
    OUTPUT = @extschema@.cn_id_out,
    RECEIVE = @extschema@.cn_id_recv,
    SEND = @extschema@.cn_id_send,
    LIKE = pg_catalog.int8
);
COMMENT ON TYPE @extschema@.cn_id IS
    '居民身份证号码 resident identity number (GB 11643-1999), validated, stored in 8 bytes';

CREATE FUNCTION @extschema@.cn_id_eq(@extschema@.cn_id, @extschema@.cn_id) RETURNS boolean
    AS 'int8eq' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION @extschema@.cn_id_ne(@extschema@.cn_id, @extschema@.cn_id) RETURNS boolean
    AS 'int8ne' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION @extschema@.cn_id_lt(@extschema@.cn_id, @extschema@.cn_id) RETURNS boolean
    AS 'int8lt' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION @extschema@.cn_id_le(@extschema@.cn_id, @extschema@.cn_id) RETURNS boolean
    AS 'int8le' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION @extschema@.cn_id_gt(@extschema@.cn_id, @extschema@.cn_id) RETURNS boolean
    AS 'int8gt' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION @extschema@.cn_id_ge(@extschema@.cn_id, @extschema@.cn_id) RETURNS boolean
    AS 'int8ge' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION @extschema@.cn_id_cmp(@extschema@.cn_id, @extschema@.cn_id) RETURNS integer
    AS 'btint8cmp' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION @extschema@.cn_id_sortsupport(internal) RETURNS void
    AS 'btint8sortsupport' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.cn_id_hash(@extschema@.cn_id) RETURNS integer
    AS 'hashint8' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION @extschema@.cn_id_hash_extended(@extschema@.cn_id, bigint) RETURNS bigint
    AS 'hashint8extended' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;

CREATE OPERATOR @extschema@.= (
    LEFTARG = @extschema@.cn_id, RIGHTARG = @extschema@.cn_id,
    FUNCTION = @extschema@.cn_id_eq, COMMUTATOR = OPERATOR(@extschema@.=),
    NEGATOR = OPERATOR(@extschema@.<>), RESTRICT = eqsel, JOIN = eqjoinsel,
    MERGES, HASHES);
CREATE OPERATOR @extschema@.<> (
    LEFTARG = @extschema@.cn_id, RIGHTARG = @extschema@.cn_id,
    FUNCTION = @extschema@.cn_id_ne, COMMUTATOR = OPERATOR(@extschema@.<>),
    NEGATOR = OPERATOR(@extschema@.=), RESTRICT = neqsel, JOIN = neqjoinsel);
CREATE OPERATOR @extschema@.< (
    LEFTARG = @extschema@.cn_id, RIGHTARG = @extschema@.cn_id,
    FUNCTION = @extschema@.cn_id_lt, COMMUTATOR = OPERATOR(@extschema@.>),
    NEGATOR = OPERATOR(@extschema@.>=), RESTRICT = scalarltsel, JOIN = scalarltjoinsel);
CREATE OPERATOR @extschema@.<= (
    LEFTARG = @extschema@.cn_id, RIGHTARG = @extschema@.cn_id,
    FUNCTION = @extschema@.cn_id_le, COMMUTATOR = OPERATOR(@extschema@.>=),
    NEGATOR = OPERATOR(@extschema@.>), RESTRICT = scalarlesel, JOIN = scalarlejoinsel);
CREATE OPERATOR @extschema@.> (
    LEFTARG = @extschema@.cn_id, RIGHTARG = @extschema@.cn_id,
    FUNCTION = @extschema@.cn_id_gt, COMMUTATOR = OPERATOR(@extschema@.<),
    NEGATOR = OPERATOR(@extschema@.<=), RESTRICT = scalargtsel, JOIN = scalargtjoinsel);
CREATE OPERATOR @extschema@.>= (
    LEFTARG = @extschema@.cn_id, RIGHTARG = @extschema@.cn_id,
    FUNCTION = @extschema@.cn_id_ge, COMMUTATOR = OPERATOR(@extschema@.<=),
    NEGATOR = OPERATOR(@extschema@.<), RESTRICT = scalargesel, JOIN = scalargejoinsel);

CREATE OPERATOR CLASS @extschema@.cn_id_ops
    DEFAULT FOR TYPE @extschema@.cn_id USING btree AS
        OPERATOR 1 @extschema@.<,
        OPERATOR 2 @extschema@.<=,
        OPERATOR 3 @extschema@.=,
        OPERATOR 4 @extschema@.>=,
        OPERATOR 5 @extschema@.>,
        FUNCTION 1 @extschema@.cn_id_cmp(@extschema@.cn_id, @extschema@.cn_id),
        FUNCTION 2 @extschema@.cn_id_sortsupport(internal);
CREATE OPERATOR CLASS @extschema@.cn_id_hash_ops
    DEFAULT FOR TYPE @extschema@.cn_id USING hash AS
        OPERATOR 1 @extschema@.=,
        FUNCTION 1 @extschema@.cn_id_hash(@extschema@.cn_id),
        FUNCTION 2 @extschema@.cn_id_hash_extended(@extschema@.cn_id, bigint);

CREATE CAST (@extschema@.cn_id AS text) WITH INOUT AS ASSIGNMENT;
CREATE CAST (text AS @extschema@.cn_id) WITH INOUT AS ASSIGNMENT;

CREATE FUNCTION @extschema@.cn_id_is_valid(code text) RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.cn_id_is_valid(text) IS
    'true if the text is a valid 居民身份证号码 (never raises; birth dates after today are invalid)';
CREATE FUNCTION @extschema@.cn_id_birth_date(@extschema@.cn_id) RETURNS date
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.cn_id_birth_date(@extschema@.cn_id) IS '出生日期 birth date';
CREATE FUNCTION @extschema@.cn_id_sex(@extschema@.cn_id) RETURNS text
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.cn_id_sex(@extschema@.cn_id) IS '性别 sex: M or F';
CREATE FUNCTION @extschema@.cn_id_region(@extschema@.cn_id) RETURNS text
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.cn_id_region(@extschema@.cn_id) IS '户籍行政区划码 6-digit region code';
CREATE FUNCTION @extschema@.mask(@extschema@.cn_id) RETURNS text
    AS 'MODULE_PATHNAME', 'cn_id_mask_fn' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.mask(@extschema@.cn_id) IS
    'public masked form of a resident ID: first 6 and last 4 characters (D1.4)';
CREATE FUNCTION @extschema@.mask_name(name text) RETURNS text
    AS 'MODULE_PATHNAME', 'mask_person_name' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.mask_name(text) IS
    'public masked name of a natural person: family name, then * for each other character (D1.4)';
