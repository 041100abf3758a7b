-- integrity 1.0, part 00: roles and identifier types (SPEC 2, 8; DOMAIN D1)

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

------------------------------------------------------------------------
-- integrity 1.0, part 10: data model (SPEC 3; DOMAIN D2)
------------------------------------------------------------------------

CREATE TYPE @extschema@.subject_kind AS ENUM ('government', 'department', 'civil_servant', 'enterprise');
COMMENT ON TYPE @extschema@.subject_kind IS '主体类型 kind of subject: 政府, 部门, 公务员, 企业';

-- D2.2, D2.3: the states of a record.  The legal transitions are fixed in
-- src/lifecycle_core.c and enforced by the C trigger record_guard.
CREATE TYPE @extschema@.record_state AS ENUM (
    'collected', 'notified', 'confirmed', 'published', 'objected', 'repaired', 'expired', 'revoked');
COMMENT ON TYPE @extschema@.record_state IS
    '记录状态: 采集 collected, 告知 notified, 认定 confirmed, 公示 published, 异议处理中 objected, 信用修复 repaired, 公示期满 expired, 撤销 revoked';

CREATE TYPE @extschema@.severity AS ENUM ('minor', 'general', 'serious');
COMMENT ON TYPE @extschema@.severity IS '失信程度 severity: 轻微 minor, 一般 general, 严重 serious (D2.6)';

CREATE TYPE @extschema@.record_domain AS ENUM (
    '政府采购', '政府和社会资本合作', '招标投标', '招商引资', '政府债务',
    '安全生产', '环境保护', '统计', '街道乡镇', '其他');
COMMENT ON TYPE @extschema@.record_domain IS '领域 domain of a record: government procurement, PPP, tendering, investment promotion, government debt, work safety, environment, statistics, sub-districts and towns, other';

CREATE TYPE @extschema@.accident_level AS ENUM ('general', 'larger', 'major', 'especially_major');
COMMENT ON TYPE @extschema@.accident_level IS '事故等级: 一般 general, 较大 larger, 重大 major, 特别重大 especially_major';

-- SPEC 3: the local origin (6-digit region code of this platform), set once.
CREATE TABLE @extschema@.settings (
    singleton  boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    origin     text NOT NULL CHECK (origin ~ '^[0-9]{6}$'),
    set_at     timestamptz NOT NULL DEFAULT pg_catalog.now(),
    set_by     text NOT NULL DEFAULT session_user
);
COMMENT ON TABLE @extschema@.settings IS '本平台 the local platform: its origin region code (set_origin)';

-- D2.6 and D2.7a, D2.10: numeric parameters, never constants in C.
-- Seeded rows are the defaults; an admin adds a row with the same name and
-- seeded = false to override one (the unseeded row wins), so that the
-- override survives pg_dump (only unseeded rows are dumped).
CREATE TABLE @extschema@.parameter (
    name     text NOT NULL,
    value    text NOT NULL,
    seeded   boolean NOT NULL DEFAULT false,
    note     text,
    PRIMARY KEY (name, seeded)
);
COMMENT ON TABLE @extschema@.parameter IS '参数 rule parameters (working-day limits, list terms); unseeded rows override the defaults';
INSERT INTO @extschema@.parameter (name, value, seeded, note) VALUES
    ('publish_workdays', '7', true, 'D2.5 双公示: publish within 7 working days of the decision'),
    ('objection_workdays', '5', true, 'D2.7a objection decided within 5 working days (default)');

-- D2.6: publicity periods by severity, optionally per category.
CREATE TABLE @extschema@.publicity_period (
    severity    @extschema@.severity NOT NULL,
    category    text NOT NULL DEFAULT '*',
    published   boolean NOT NULL,
    min_period  interval NOT NULL,
    max_period  interval NOT NULL,
    seeded      boolean NOT NULL DEFAULT false,
    PRIMARY KEY (severity, category, seeded),
    CHECK (min_period <= max_period)
);
COMMENT ON TABLE @extschema@.publicity_period IS
    '公示期限 publicity periods (D2.6): minimum (earliest repair) and maximum (expiry), counted from decided_on; category ''*'' is the default; unseeded rows override';
INSERT INTO @extschema@.publicity_period (severity, category, published, min_period, max_period, seeded) VALUES
    ('minor',   '*', false, '0',        '3 months', true),
    ('general', '*', true,  '3 months', '1 year',   true),
    ('serious', '*', true,  '1 year',   '3 years',  true);

-- SPEC 3: the controlled vocabulary of record categories.
CREATE TABLE @extschema@.category (
    code              text PRIMARY KEY CHECK (code ~ '^[a-z][a-z0-9_]*$'),
    name              text NOT NULL,
    kind              text NOT NULL CHECK (kind IN ('dishonest', 'honest')),
    default_severity  @extschema@.severity NOT NULL,
    published         boolean NOT NULL DEFAULT true,
    subject_kinds     @extschema@.subject_kind[] NOT NULL,
    seeded            boolean NOT NULL DEFAULT false,
    note              text
);
COMMENT ON TABLE @extschema@.category IS '记录类别 record categories: kind, default severity, whether published, which subjects they apply to';
INSERT INTO @extschema@.category (code, name, kind, default_severity, published, subject_kinds, seeded, note) VALUES
    ('judicial_judgment', '司法判决', 'dishonest', 'serious', true,
        '{government,department,civil_servant,enterprise}', true, 'D2.1'),
    ('admin_penalty', '行政处罚', 'dishonest', 'general', true,
        '{government,department,civil_servant,enterprise}', true, 'D2.1, D5a 双公示'),
    ('disciplinary_sanction', '纪律处分', 'dishonest', 'general', true,
        '{civil_servant}', true, 'D2.1 行政机关公务员处分条例'),
    ('accountability', '问责处理', 'dishonest', 'general', true,
        '{government,department,civil_servant}', true, 'D2.1'),
    ('breach_of_contract', '失信违约', 'dishonest', 'serious', true,
        '{government,department,enterprise}', true, '毁约, 拖欠工程款和农民工工资'),
    ('safety_accident', '生产安全责任事故', 'dishonest', 'serious', true,
        '{enterprise}', true, 'D3.1, D3.2'),
    ('safety_violation', '安全生产严重违法违规', 'dishonest', 'serious', true,
        '{enterprise}', true, 'D3.1 listed situations'),
    ('occupational_disease', '新发职业病病例', 'dishonest', 'general', true,
        '{enterprise}', true, 'D3.4 (4)'),
    ('statistical_fraud', '统计造假、弄虚作假', 'dishonest', 'serious', true,
        '{government,department,civil_servant,enterprise}', true, 'D5 一票否决'),
    ('credit_commitment', '信用承诺', 'honest', 'general', true,
        '{government,department,civil_servant,enterprise}', true, 'D3.4 (1), D2.7'),
    ('safety_standard_level1', '安全生产标准化一级', 'honest', 'general', true,
        '{enterprise}', true, 'D3.4 (5)'),
    ('commendation', '表彰', 'honest', 'general', true,
        '{government,department,civil_servant,enterprise}', true, 'D5 bonus');

-- SPEC 3: the working-day calendar.  Without a row, Monday-Friday work.
CREATE TABLE @extschema@.calendar (
    day         date PRIMARY KEY,
    is_workday  boolean NOT NULL,
    note        text,
    seeded      boolean NOT NULL DEFAULT false
);
COMMENT ON TABLE @extschema@.calendar IS
    '工作日历 working-day calendar overrides: official holidays and make-up working days (seeded 2004-2026 from the 国务院办公厅 notices, data MIT-licensed from chinese-days); admins add rows';

CREATE SEQUENCE @extschema@.subject_id_seq;
CREATE SEQUENCE @extschema@.record_id_seq;
CREATE SEQUENCE @extschema@.record_event_id_seq;

CREATE TABLE @extschema@.subject (
    origin       text NOT NULL CHECK (origin ~ '^[0-9]{6}$'),
    id           bigint NOT NULL,
    kind         @extschema@.subject_kind NOT NULL,
    name         text NOT NULL CHECK (pg_catalog.btrim(name, E' \t\n\r\f\v\u3000') <> ''),
    uscc         @extschema@.uscc,
    cn_id        @extschema@.cn_id,
    legacy_code  text,
    region       text NOT NULL CHECK (region ~ '^[0-9]{6}$'),
    parent_id    bigint,
    created_at   timestamptz NOT NULL DEFAULT pg_catalog.now(),
    PRIMARY KEY (origin, id),
    FOREIGN KEY (origin, parent_id) REFERENCES @extschema@.subject (origin, id),
    CONSTRAINT subject_code_by_kind CHECK (
        CASE WHEN kind = 'civil_servant' THEN cn_id IS NOT NULL AND uscc IS NULL AND legacy_code IS NULL
             ELSE cn_id IS NULL AND (uscc IS NOT NULL) <> (legacy_code IS NOT NULL) END)
);
CREATE UNIQUE INDEX subject_uscc_key ON @extschema@.subject (origin, uscc);
CREATE UNIQUE INDEX subject_cn_id_key ON @extschema@.subject (origin, cn_id);
CREATE INDEX subject_parent_idx ON @extschema@.subject (origin, parent_id);
COMMENT ON TABLE @extschema@.subject IS '信用主体 subjects: governments, departments, civil servants, enterprises';

CREATE TABLE @extschema@.record (
    origin               text NOT NULL,     -- checked through the subject's key
    id                   bigint NOT NULL,
    subject_id           bigint NOT NULL,
    category             text NOT NULL REFERENCES @extschema@.category (code),
    kind                 text NOT NULL,     -- the category's kind, copied by record_add
    severity             @extschema@.severity NOT NULL,
    domain               @extschema@.record_domain NOT NULL DEFAULT '其他',
    decided_on           date NOT NULL,
    document_no          text,
    source_unit          text,
    summary              text,
    accident_level       @extschema@.accident_level,
    deaths               integer NOT NULL DEFAULT 0 CHECK (deaths >= 0),
    supersedes           bigint,
    publishable          boolean NOT NULL,
    publish_due          date NOT NULL,
    repair_allowed_from  date NOT NULL,
    publicity_until      date NOT NULL,
    state                @extschema@.record_state NOT NULL DEFAULT 'collected',
    state_before_objection @extschema@.record_state,
    confirmed_on         date,
    published_on         date,
    objected_on          date,
    objection_due        date,
    repaired_on          date,
    revoked_on           date,
    expired_on           date,
    remedied             boolean NOT NULL DEFAULT false,
    remedied_on          date,
    created_at           timestamptz NOT NULL DEFAULT pg_catalog.now(),
    updated_at           timestamptz NOT NULL DEFAULT pg_catalog.now(),
    PRIMARY KEY (origin, id),
    FOREIGN KEY (origin, subject_id) REFERENCES @extschema@.subject (origin, id),
    FOREIGN KEY (origin, supersedes) REFERENCES @extschema@.record (origin, id),
    CHECK (accident_level IS NULL OR category = 'safety_accident'),
    CHECK (repair_allowed_from <= publicity_until)
);
-- covering index: scoring and eligibility read a subject's records from
-- the index alone (index-only scans after VACUUM)
CREATE INDEX record_subject_idx ON @extschema@.record (origin, subject_id, decided_on)
    INCLUDE (category, kind, severity, confirmed_on, revoked_on, repaired_on);
CREATE INDEX record_due_idx ON @extschema@.record (publicity_until) WHERE state = 'published';
COMMENT ON TABLE @extschema@.record IS '信用记录 records (dishonest and honest) with their lifecycle state and dates';
COMMENT ON COLUMN @extschema@.record.publish_due IS '双公示 deadline: decided_on + 7 working days (D2.5)';
COMMENT ON COLUMN @extschema@.record.repair_allowed_from IS 'earliest credit repair date: decided_on + minimum publicity period (D2.6, D2.7)';
COMMENT ON COLUMN @extschema@.record.publicity_until IS 'publicity ends on this day: decided_on + maximum publicity period; expire_due expires the record from this day (D2.6)';
COMMENT ON COLUMN @extschema@.record.publishable IS 'false for minor records and unpublished categories (D2.6): publish is refused';

CREATE TABLE @extschema@.record_event (
    origin      text NOT NULL,
    id          bigint NOT NULL,
    record_id   bigint NOT NULL,
    event       text NOT NULL,
    from_state  @extschema@.record_state,
    to_state    @extschema@.record_state NOT NULL,
    at          timestamptz NOT NULL DEFAULT pg_catalog.now(),
    actor       text NOT NULL,
    reason      text,
    PRIMARY KEY (origin, id)
);
CREATE INDEX record_event_record_idx ON @extschema@.record_event (origin, record_id, id);
COMMENT ON TABLE @extschema@.record_event IS '记录变更历史 append-only history of every transition and correction of a record';

------------------------------------------------------------------------
-- integrity 1.0, part 20: working days and the record lifecycle API
-- (SPEC 3, 4; DOMAIN D2)
------------------------------------------------------------------------

-- D2.5: the calendar.  A day is a working day if calendar says so, else
-- Monday to Friday.
CREATE FUNCTION @extschema@.is_workday(d date) RETURNS boolean
    LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
    AS $$
BEGIN
    RETURN coalesce((SELECT c.is_workday FROM @extschema@.calendar c WHERE c.day = d),
                    extract(isodow FROM d) < 6);
END $$;
COMMENT ON FUNCTION @extschema@.is_workday(date) IS '工作日 true if the day is a working day (calendar overrides, else Monday-Friday)';

-- SPEC 4: the n-th working day after d (n < 0: before d; n = 0: d).
CREATE FUNCTION @extschema@.add_workdays(d date, n integer) RETURNS date
    LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
    AS $$
BEGIN
    RETURN CASE
        WHEN n = 0 THEN d
        WHEN n > 0 THEN (
            SELECT s.day FROM (SELECT d + i AS day FROM generate_series(1, 2 * n + 30) AS i) s
              LEFT JOIN @extschema@.calendar c ON c.day = s.day
             WHERE coalesce(c.is_workday, extract(isodow FROM s.day) < 6)
             ORDER BY s.day OFFSET n - 1 LIMIT 1)
        ELSE (
            SELECT s.day FROM (SELECT d - i AS day FROM generate_series(1, -2 * n + 30) AS i) s
              LEFT JOIN @extschema@.calendar c ON c.day = s.day
             WHERE coalesce(c.is_workday, extract(isodow FROM s.day) < 6)
             ORDER BY s.day DESC OFFSET -n - 1 LIMIT 1)
    END;
END $$;
COMMENT ON FUNCTION @extschema@.add_workdays(date, integer) IS
    '加工作日 the n-th working day after d (before d when n < 0), by the official calendar';

-- SPEC 4: the number of working days w with a < w <= b (negative if b < a).
CREATE FUNCTION @extschema@.workdays_between(a date, b date) RETURNS integer
    LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
    AS $$
BEGIN
    RETURN CASE WHEN b >= a THEN 1 ELSE -1 END * (
        SELECT count(*)::integer
          FROM generate_series(least(a, b) + 1, greatest(a, b), interval '1 day') AS g(t)
          LEFT JOIN @extschema@.calendar c ON c.day = g.t::date
         WHERE coalesce(c.is_workday, extract(isodow FROM g.t) < 6));
END $$;
COMMENT ON FUNCTION @extschema@.workdays_between(date, date) IS
    'number of working days w with a < w <= b, so that add_workdays(a, workdays_between(a, b)) = b for a working day b';

-- Seeded rows (the official calendar, the SPEC categories, the DOMAIN
-- defaults) are not changed in place: admins add rows (column privileges
-- keep "seeded" out of their reach), so pg_dump keeps exactly their rows.
CREATE FUNCTION @extschema@._seeded_guard() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF OLD.seeded THEN
        RAISE EXCEPTION 'row of %.% is seeded by the extension and cannot be changed', TG_TABLE_SCHEMA, TG_TABLE_NAME
            USING ERRCODE = '55000',
                  DETAIL = 'Seeded rows hold the official calendar and the documented defaults.',
                  HINT = 'Add a row of your own: for parameters and publicity periods it overrides the seeded one.';
    END IF;
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END $$;
CREATE TRIGGER calendar_seeded_guard BEFORE UPDATE OR DELETE ON @extschema@.calendar
    FOR EACH ROW EXECUTE FUNCTION @extschema@._seeded_guard();
CREATE TRIGGER category_seeded_guard BEFORE UPDATE OR DELETE ON @extschema@.category
    FOR EACH ROW EXECUTE FUNCTION @extschema@._seeded_guard();
CREATE TRIGGER parameter_seeded_guard BEFORE UPDATE OR DELETE ON @extschema@.parameter
    FOR EACH ROW EXECUTE FUNCTION @extschema@._seeded_guard();
CREATE TRIGGER publicity_period_seeded_guard BEFORE UPDATE OR DELETE ON @extschema@.publicity_period
    FOR EACH ROW EXECUTE FUNCTION @extschema@._seeded_guard();

------------------------------------------------------------------------
-- internal helpers
------------------------------------------------------------------------
CREATE FUNCTION @extschema@._set_context(reason text, adding boolean DEFAULT false, requested text DEFAULT NULL)
    RETURNS void
    AS 'MODULE_PATHNAME', 'set_context' LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION @extschema@._set_context(text, boolean, text) IS
    'internal: the reason written to the next record_event rows, whether record_add is inserting, and the state an API call asked for';

-- Internal helpers called by the SECURITY DEFINER API functions (whose
-- SET search_path is in force while they run) and revoked from PUBLIC: no
-- SET clause of their own, which would cost a GUC save and restore per call.

-- the local origin, or 55000 (C: read once per transaction)
CREATE FUNCTION @extschema@._origin() RETURNS text
    AS 'MODULE_PATHNAME', 'local_origin_cached' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@._forget_origin() RETURNS void
    AS 'MODULE_PATHNAME', 'forget_origin' LANGUAGE C VOLATILE PARALLEL UNSAFE;

-- a rule parameter: the unseeded (admin) row wins over the seeded default
CREATE FUNCTION @extschema@._param(p_name text) RETURNS text
    LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
BEGIN
    RETURN (SELECT p.value FROM @extschema@.parameter p WHERE p.name = p_name ORDER BY p.seeded LIMIT 1);
END $$;

CREATE FUNCTION @extschema@.local_origin() RETURNS text
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp AS $$
    SELECT s.origin FROM @extschema@.settings s
$$;
COMMENT ON FUNCTION @extschema@.local_origin() IS '本平台区划码 the origin of this platform, NULL before set_origin';

-- SPEC 3: set once, refused when records exist
CREATE FUNCTION @extschema@.set_origin(code text) RETURNS void
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp AS $$
DECLARE cur text;
BEGIN
    IF code IS NULL OR code !~ '^[0-9]{6}$' THEN
        RAISE EXCEPTION 'invalid origin "%"', code
            USING ERRCODE = '22023', DETAIL = 'An origin is a 6-digit administrative region code (GB/T 2260).';
    END IF;
    SELECT s.origin INTO cur FROM @extschema@.settings s FOR UPDATE;
    IF cur = code THEN
        RETURN;
    END IF;
    IF cur IS NOT NULL AND (EXISTS (SELECT 1 FROM @extschema@.record r WHERE r.origin = cur)
                            OR EXISTS (SELECT 1 FROM @extschema@.subject s WHERE s.origin = cur)) THEN
        RAISE EXCEPTION 'the origin is already % and this platform has records', cur
            USING ERRCODE = '55000',
                  DETAIL = 'Rows are keyed by origin; changing it would orphan them.';
    END IF;
    INSERT INTO @extschema@.settings (origin) VALUES (code)
        ON CONFLICT (singleton) DO UPDATE SET origin = EXCLUDED.origin, set_at = now(), set_by = session_user;
    PERFORM @extschema@._forget_origin();
END $$;
COMMENT ON FUNCTION @extschema@.set_origin(text) IS '设置本平台区划码 set the origin (6-digit region code) of this platform, once';

------------------------------------------------------------------------
-- SPEC 3: subjects
------------------------------------------------------------------------
CREATE FUNCTION @extschema@.subject_add(kind text, name text, code text, region text DEFAULT NULL,
                                        parent_id bigint DEFAULT NULL, legacy_code text DEFAULT NULL)
    RETURNS bigint
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    o text := @extschema@._origin();
    k @extschema@.subject_kind;
    u @extschema@.uscc;
    c @extschema@.cn_id;
    legacy text;
    r text := region;
    parent_kind @extschema@.subject_kind;
    new_id bigint;
BEGIN
    IF kind IS NULL OR NOT kind = ANY (enum_range(NULL::@extschema@.subject_kind)::text[]) THEN
        RAISE EXCEPTION 'unknown subject kind "%"', kind
            USING ERRCODE = '22023',
                  HINT = 'The kinds are government, department, civil_servant and enterprise.';
    END IF;
    k := kind::@extschema@.subject_kind;
    IF name IS NULL OR btrim(name, E' \t\n\r\f\v\u3000') = '' THEN
        RAISE EXCEPTION 'a subject needs a name' USING ERRCODE = '22023';
    END IF;
    IF k = 'civil_servant' THEN
        IF code IS NULL THEN
            RAISE EXCEPTION 'a civil servant needs a resident ID (cn_id)'
                USING ERRCODE = '22023',
                      HINT = 'Pass the 18-character 居民身份证号码 as code.';
        END IF;
        IF legacy_code IS NOT NULL THEN
            RAISE EXCEPTION 'legacy_code is for organizations, not civil servants' USING ERRCODE = '22023';
        END IF;
        c := code::@extschema@.cn_id;           -- 22P02 with the reason
        r := coalesce(r, @extschema@.cn_id_region(c));
    ELSE
        IF code IS NOT NULL THEN
            u := code::@extschema@.uscc;        -- 22P02 with the reason
        ELSIF legacy_code IS NOT NULL THEN
            -- D1.1b: an early pilot-area code that fails the check
            IF @extschema@.uscc_is_valid(legacy_code) THEN
                u := legacy_code::@extschema@.uscc;
            ELSE
                legacy := upper(btrim(legacy_code));
                IF legacy !~ '^[0-9A-Z]{18}$' THEN
                    RAISE EXCEPTION 'invalid legacy code "%"', legacy_code
                        USING ERRCODE = '22P02', DETAIL = 'A legacy code has 18 digits or upper-case letters.';
                END IF;
                RAISE WARNING 'code % is not a valid unified social credit code; stored as legacy_code', legacy
                    USING DETAIL = 'Early pilot-area codes fail the GB 32100 check but were legally issued (D1.1b).';
            END IF;
        ELSE
            RAISE EXCEPTION 'an organization needs a unified social credit code (uscc)'
                USING ERRCODE = '22023',
                      HINT = 'Pass the 18-character 统一社会信用代码 as code, or a legacy pilot code as legacy_code.';
        END IF;
        r := coalesce(r, CASE WHEN u IS NOT NULL THEN @extschema@.uscc_region(u) ELSE substr(legacy, 3, 6) END);
    END IF;
    IF r !~ '^[0-9]{6}$' THEN
        RAISE EXCEPTION 'invalid region "%"', r
            USING ERRCODE = '22023', DETAIL = 'A region is a 6-digit code (GB/T 2260).';
    END IF;
    IF subject_add.parent_id IS NOT NULL THEN
        SELECT s.kind INTO parent_kind FROM @extschema@.subject s WHERE s.origin = o AND s.id = subject_add.parent_id;
        IF NOT FOUND THEN
            RAISE EXCEPTION 'parent subject % does not exist', parent_id USING ERRCODE = '23503';
        END IF;
        IF parent_kind NOT IN ('government', 'department') THEN
            RAISE EXCEPTION 'parent subject % is a %, not a government or department', parent_id, parent_kind
                USING ERRCODE = '22023';
        END IF;
    END IF;
    new_id := nextval('@extschema@.subject_id_seq');
    INSERT INTO @extschema@.subject (origin, id, kind, name, uscc, cn_id, legacy_code, region, parent_id)
        VALUES (o, new_id, k, btrim(name, E' \t\n\r\f\v\u3000'), u, c, legacy, r, subject_add.parent_id);
    RETURN new_id;
END $$;
COMMENT ON FUNCTION @extschema@.subject_add(text, text, text, text, bigint, text) IS
    '添加信用主体 add a subject: code is the uscc of an organization or the cn_id of a civil servant; returns its id';

------------------------------------------------------------------------
-- SPEC 4: records
------------------------------------------------------------------------
CREATE FUNCTION @extschema@.record_add(subject_id bigint, category text, severity @extschema@.severity,
                                       decided_on date, document_no text, source_unit text, summary text,
                                       domain text DEFAULT '其他', accident_level text DEFAULT NULL,
                                       deaths integer DEFAULT 0)
    RETURNS bigint
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    o text := @extschema@._origin();
    s record;
    cat record;
    sev @extschema@.severity;
    lvl @extschema@.accident_level;
    period record;
    new_id bigint;
BEGIN
    IF subject_id IS NULL OR category IS NULL OR decided_on IS NULL THEN
        RAISE EXCEPTION 'subject_id, category and decided_on are required' USING ERRCODE = '22004';
    END IF;
    SELECT sj.kind, sj.name INTO s FROM @extschema@.subject sj WHERE sj.origin = o AND sj.id = subject_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'subject % does not exist', subject_id
            USING ERRCODE = '23503', HINT = 'Add it with integrity.subject_add().';
    END IF;
    SELECT c.* INTO cat FROM @extschema@.category c WHERE c.code = record_add.category;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'unknown category "%"', category
            USING ERRCODE = '23503', HINT = 'The categories are listed in integrity.category.';
    END IF;
    IF NOT s.kind = ANY (cat.subject_kinds) THEN
        RAISE EXCEPTION 'category % does not apply to a subject of kind %', category, s.kind
            USING ERRCODE = '22023',
                  DETAIL = format('%s (%s) applies to: %s.', category, cat.name, array_to_string(cat.subject_kinds, ', '));
    END IF;
    IF decided_on > current_date THEN
        RAISE EXCEPTION 'decision date % is in the future', decided_on
            USING ERRCODE = '22023', DETAIL = 'A record is collected after its decision.';
    END IF;
    IF NOT isfinite(decided_on) OR decided_on < date '1949-10-01' THEN
        RAISE EXCEPTION 'decision date % is out of range', decided_on
            USING ERRCODE = '22023', DETAIL = 'Decisions are dated from 1949-10-01 on.';
    END IF;
    IF domain IS NULL OR NOT domain = ANY (enum_range(NULL::@extschema@.record_domain)::text[]) THEN
        RAISE EXCEPTION 'unknown domain "%"', domain
            USING ERRCODE = '22023',
                  HINT = 'The domains are 政府采购, 政府和社会资本合作, 招标投标, 招商引资, 政府债务, 安全生产, 环境保护, 统计, 街道乡镇, 其他.';
    END IF;
    IF accident_level IS NOT NULL THEN
        IF category <> 'safety_accident' THEN
            RAISE EXCEPTION 'accident_level applies to safety_accident records only' USING ERRCODE = '22023';
        END IF;
        IF NOT accident_level = ANY (enum_range(NULL::@extschema@.accident_level)::text[]) THEN
            RAISE EXCEPTION 'unknown accident level "%"', accident_level
                USING ERRCODE = '22023', HINT = 'The levels are general, larger, major and especially_major.';
        END IF;
        lvl := accident_level::@extschema@.accident_level;
    ELSIF category = 'safety_accident' THEN
        RAISE EXCEPTION 'a safety_accident record needs its accident_level' USING ERRCODE = '22023';
    END IF;
    IF deaths IS NULL OR deaths < 0 THEN
        RAISE EXCEPTION 'deaths must be zero or more' USING ERRCODE = '22023';
    END IF;
    sev := coalesce(severity, cat.default_severity);
    -- D2.6: the publicity periods (category row over '*', admin row over seeded)
    SELECT p.published, p.min_period, p.max_period INTO period
      FROM @extschema@.publicity_period p
     WHERE p.severity = sev AND p.category IN (record_add.category, '*')
     ORDER BY p.category = '*', p.seeded LIMIT 1;
    new_id := nextval('@extschema@.record_id_seq');
    PERFORM @extschema@._set_context(summary, true);
    INSERT INTO @extschema@.record (origin, id, subject_id, category, kind, severity, domain, decided_on,
                                    document_no, source_unit, summary, accident_level, deaths,
                                    publishable, publish_due, repair_allowed_from, publicity_until)
    VALUES (o, new_id, subject_id, category, cat.kind, sev, domain::@extschema@.record_domain, decided_on,
            document_no, source_unit, summary, lvl, deaths,
            cat.published AND period.published,
            @extschema@.add_workdays(decided_on, @extschema@._param('publish_workdays')::integer),
            decided_on + period.min_period, decided_on + period.max_period);
    PERFORM @extschema@._set_context(NULL);
    RETURN new_id;
END $$;
COMMENT ON FUNCTION @extschema@.record_add(bigint, text, @extschema@.severity, date, text, text, text, text, text, integer) IS
    '采集记录 collect a record (state collected); dates follow D2.5-D2.6; returns its id';

-- SPEC 4: the generic transition; the C trigger decides what is legal.
CREATE FUNCTION @extschema@.transition(record_id bigint, to_state @extschema@.record_state, reason text)
    RETURNS void
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    o text := @extschema@._origin();
BEGIN
    IF record_id IS NULL OR to_state IS NULL THEN
        RAISE EXCEPTION 'record_id and to_state are required' USING ERRCODE = '22004';
    END IF;
    -- the C trigger checks the transition, including the rules of a
    -- requested one (not the current state; a reason where one is due)
    PERFORM @extschema@._set_context(reason, false, to_state::text);
    IF to_state = 'objected' THEN
        -- D2.7a: objection_due = objected on + 5 working days
        UPDATE @extschema@.record r SET state = to_state,
               objection_due = @extschema@.add_workdays(current_date, @extschema@._param('objection_workdays')::integer)
         WHERE r.origin = o AND r.id = record_id;
    ELSE
        UPDATE @extschema@.record r SET state = to_state WHERE r.origin = o AND r.id = record_id;
    END IF;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'record % does not exist', record_id
            USING ERRCODE = 'P0002', HINT = 'Record ids are those of this platform''s origin.';
    END IF;
    PERFORM @extschema@._set_context(NULL);
END $$;
COMMENT ON FUNCTION @extschema@.transition(bigint, @extschema@.record_state, text) IS
    '状态变更 move a record to another state (legal transitions only, SQLSTATE 55000 otherwise)';

CREATE FUNCTION @extschema@.notify(record_id bigint, reason text) RETURNS void
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$ BEGIN PERFORM @extschema@.transition(record_id, 'notified', reason); END $$;
COMMENT ON FUNCTION @extschema@.notify(bigint, text) IS '告知 tell the subject in writing; it may 申辩 (D2.2)';

CREATE FUNCTION @extschema@.confirm(record_id bigint, reason text) RETURNS void
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$ BEGIN PERFORM @extschema@.transition(record_id, 'confirmed', reason); END $$;
COMMENT ON FUNCTION @extschema@.confirm(bigint, text) IS '认定 confirm the record (D2.2); its content is fixed from now on';

CREATE FUNCTION @extschema@._last_seq(origin text, record_id bigint) RETURNS bigint
    AS 'MODULE_PATHNAME', 'last_disclosure_seq' LANGUAGE C VOLATILE STRICT PARALLEL UNSAFE;
COMMENT ON FUNCTION @extschema@._last_seq(text, bigint) IS
    'internal: the seq this session appended last, if it was for that record';

-- SPEC 6, 9: transition(record_id, 'published', NULL) in one C call (the hot
-- path): the origin read once, one UPDATE, the seq the trigger appended
CREATE FUNCTION @extschema@.publish(record_id bigint) RETURNS bigint
    AS 'MODULE_PATHNAME', 'publish_record' LANGUAGE C VOLATILE PARALLEL UNSAFE
    SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION @extschema@.publish(bigint) IS
    '公示 publish a confirmed record: appends the signed disclosure in the same transaction; returns its seq (D2.5, SPEC 6)';

-- SPEC 9: publish(id) for each element, in array order, in one call
CREATE FUNCTION @extschema@.publish_many(record_ids bigint[]) RETURNS SETOF bigint
    AS 'MODULE_PATHNAME', 'publish_records' LANGUAGE C VOLATILE PARALLEL UNSAFE ROWS 1000
    SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION @extschema@.publish_many(bigint[]) IS
    '批量公示 publish(id) for each record id in array order, in one call: the same rules and errors (the first error cancels all); returns the seqs in that order';
REVOKE EXECUTE ON FUNCTION @extschema@.publish_many(bigint[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION @extschema@.publish_many(bigint[]) TO integrity_operator;

CREATE FUNCTION @extschema@.object(record_id bigint, reason text) RETURNS void
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$ BEGIN PERFORM @extschema@.transition(record_id, 'objected', reason); END $$;
COMMENT ON FUNCTION @extschema@.object(bigint, text) IS
    '异议 the subject objects to a confirmed or published record; decided within 5 working days (D2.3, D2.7a)';

CREATE FUNCTION @extschema@.resolve_objection(record_id bigint, upheld boolean, reason text) RETURNS void
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE prev @extschema@.record_state;
BEGIN
    IF upheld IS NULL THEN
        RAISE EXCEPTION 'upheld must be true or false' USING ERRCODE = '22004';
    END IF;
    SELECT r.state_before_objection INTO prev FROM @extschema@.record r
     WHERE r.origin = @extschema@._origin() AND r.id = record_id AND r.state = 'objected';
    IF NOT FOUND THEN
        -- let transition() report the missing record or the wrong state
        PERFORM @extschema@.transition(record_id, CASE WHEN upheld THEN 'revoked' ELSE 'confirmed' END::@extschema@.record_state, reason);
        RETURN;
    END IF;
    PERFORM @extschema@.transition(record_id,
        CASE WHEN upheld THEN 'revoked' ELSE prev END::@extschema@.record_state, reason);
END $$;
COMMENT ON FUNCTION @extschema@.resolve_objection(bigint, boolean, text) IS
    '异议处理 upheld: the record is revoked (a corrected record may supersede it); rejected: back to its former state (D2.3)';

CREATE FUNCTION @extschema@.repair(record_id bigint, reason text) RETURNS void
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$ BEGIN PERFORM @extschema@.transition(record_id, 'repaired', reason); END $$;
COMMENT ON FUNCTION @extschema@.repair(bigint, text) IS
    '信用修复 credit repair of a published record once its minimum publicity period has passed (D2.7)';

CREATE FUNCTION @extschema@.revoke(record_id bigint, reason text) RETURNS void
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$ BEGIN PERFORM @extschema@.transition(record_id, 'revoked', reason); END $$;
COMMENT ON FUNCTION @extschema@.revoke(bigint, text) IS '撤销 withdraw wrong information, in any state that is not final (D2.4)';

CREATE FUNCTION @extschema@.mark_remedied(record_id bigint, reason text) RETURNS void
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE o text := @extschema@._origin(); st @extschema@.record_state; rem boolean;
BEGIN
    IF record_id IS NULL THEN
        RAISE EXCEPTION 'record_id is required' USING ERRCODE = '22004';
    END IF;
    IF reason IS NULL OR btrim(reason, E' \t\n\r\f\v\u3000') = '' THEN
        RAISE EXCEPTION 'a reason is required to mark record % remedied', record_id USING ERRCODE = '22023';
    END IF;
    SELECT r.state, r.remedied INTO st, rem FROM @extschema@.record r
     WHERE r.origin = o AND r.id = record_id FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'record % does not exist', record_id USING ERRCODE = 'P0002';
    END IF;
    IF rem THEN
        RAISE EXCEPTION 'record % is already marked remedied', record_id USING ERRCODE = '55000';
    END IF;
    PERFORM @extschema@._set_context(reason);
    UPDATE @extschema@.record r SET remedied = true WHERE r.origin = o AND r.id = record_id;
    PERFORM @extschema@._set_context(NULL);
END $$;
COMMENT ON FUNCTION @extschema@.mark_remedied(bigint, text) IS
    '主动挽回损失、消除不良影响 record that the subject remedied the act; lightens measures (D2.8, D4.4)';

-- SPEC 4, D2.6: expire published records whose publicity has ended.
CREATE FUNCTION @extschema@.expire_due(as_of date DEFAULT current_date) RETURNS integer
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE o text := @extschema@._origin(); n integer := 0; r record;
BEGIN
    IF as_of IS NULL THEN
        RAISE EXCEPTION 'as_of is required' USING ERRCODE = '22004';
    END IF;
    IF as_of > current_date THEN
        RAISE EXCEPTION 'as_of % is in the future', as_of USING ERRCODE = '22023';
    END IF;
    PERFORM @extschema@._set_context('公示期满 publicity period ended');
    FOR r IN SELECT rec.id FROM @extschema@.record rec
              WHERE rec.origin = o AND rec.state = 'published' AND rec.publicity_until <= as_of
              ORDER BY rec.publicity_until, rec.id FOR UPDATE SKIP LOCKED
    LOOP
        UPDATE @extschema@.record rec SET state = 'expired' WHERE rec.origin = o AND rec.id = r.id;
        n := n + 1;
    END LOOP;
    PERFORM @extschema@._set_context(NULL);
    RETURN n;
END $$;
COMMENT ON FUNCTION @extschema@.expire_due(date) IS
    '公示期满移除 expire every published record whose maximum publicity period ended by as_of; idempotent, for a nightly pg_cron job';

------------------------------------------------------------------------
-- the C triggers (src/lifecycle.c)
------------------------------------------------------------------------
CREATE FUNCTION @extschema@.record_guard() RETURNS trigger
    AS 'MODULE_PATHNAME' LANGUAGE C;
CREATE FUNCTION @extschema@.record_log() RETURNS trigger
    AS 'MODULE_PATHNAME' LANGUAGE C;
CREATE FUNCTION @extschema@.refuse_change() RETURNS trigger
    AS 'MODULE_PATHNAME' LANGUAGE C;

CREATE TRIGGER record_guard BEFORE INSERT OR UPDATE OR DELETE ON @extschema@.record
    FOR EACH ROW EXECUTE FUNCTION @extschema@.record_guard();
CREATE TRIGGER record_log AFTER INSERT OR UPDATE ON @extschema@.record
    FOR EACH ROW EXECUTE FUNCTION @extschema@.record_log();
CREATE TRIGGER record_no_truncate BEFORE TRUNCATE ON @extschema@.record
    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.refuse_change();
CREATE TRIGGER record_event_append_only BEFORE UPDATE OR DELETE ON @extschema@.record_event
    FOR EACH ROW EXECUTE FUNCTION @extschema@.refuse_change();
CREATE TRIGGER record_event_no_truncate BEFORE TRUNCATE ON @extschema@.record_event
    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.refuse_change();

------------------------------------------------------------------------
-- integrity 1.0, part 30: the signed, hash-chained disclosure log
-- (SPEC 6; DOMAIN D1.4, D5a, D6).  See docs/DESIGN.md.
------------------------------------------------------------------------

-- The tables of the log are written by C code only (src/chain.c), which
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
    PRIMARY KEY (origin, seq)
);
CREATE INDEX disclosure_record_idx ON @extschema@.disclosure (origin, record_id);
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
-- (src/payload_core.c; test/03_disclosure.sql compares the two): this is
-- the readable reference, and the path for payloads without a fast form
-- (called then from the trigger, inside the API function's search_path).
CREATE FUNCTION @extschema@._disclosure_payload(p_origin text, p_record_id bigint, p_event text) RETURNS jsonb
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

------------------------------------------------------------------------
-- integrity 1.0, part 40: evaluation, punishment and incentive
-- eligibility, restrictions (SPEC 5; DOMAIN D3, D4, D5, "How records count")
------------------------------------------------------------------------

CREATE FUNCTION @extschema@._model_check(params jsonb) RETURNS boolean
    AS 'MODULE_PATHNAME', 'model_check' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- D5: named evaluation models; parameters as jsonb, checked on write.
CREATE TABLE @extschema@.score_model (
    name    text PRIMARY KEY CHECK (name ~ '^[A-Za-z0-9_.-]+$'),
    params  jsonb NOT NULL CHECK (@extschema@._model_check(params)),
    seeded  boolean NOT NULL DEFAULT false,
    note    text
);
COMMENT ON TABLE @extschema@.score_model IS
    '评价模型 evaluation models: deductions, age factors, veto categories, grade bands and list terms (D5, D2.10); add a row to add a model';
INSERT INTO @extschema@.score_model (name, params, seeded, note) VALUES ('default', $json$
{
  "start": 100, "min": 0, "max": 100,
  "deduction": {"minor": 1, "general": 5, "serious": 15},
  "age_factors": [{"within_days": 365, "factor": 1.0}, {"within_days": 1095, "factor": 0.5}],
  "repaired_factor": 0.5,
  "bonus": {"commendation": {"points": 2, "within_days": 365}},
  "bonus_cap": 10,
  "veto": {"categories": ["statistical_fraud"], "within_days": 1095},
  "grades": [{"grade": "A", "min": 90}, {"grade": "B", "min": 75}, {"grade": "C", "min": 60}, {"grade": "D", "min": 0}],
  "veto_grade": "D",
  "punishment": {
    "window_days": 365,
    "term": "1 year",
    "joint_larger_accidents": 1,
    "joint_fatal_general_accidents": 3,
    "joint_categories": ["safety_violation"],
    "joint_serious_dishonesty": false,
    "blacklist_major_accidents": 1,
    "blacklist_larger_accidents": 2,
    "blacklist_categories": []
  },
  "incentive": {"lookback_days": 1095, "term": "3 years"}
}
$json$, true, 'DOMAIN.md D5 (score), D3 (lists), D2.10 (terms)');

-- D3.5, D4.1, D4.2: the measures restrictions() returns
CREATE TABLE @extschema@.measure (
    code  text PRIMARY KEY,
    name  text NOT NULL,
    rule  text NOT NULL
);
COMMENT ON TABLE @extschema@.measure IS '惩戒措施 measures that restrictions() returns, with their Chinese names and rules';
INSERT INTO @extschema@.measure (code, name, rule) VALUES
    ('written_explanation', '书面说明原因并限期整改', 'D4.1, D4.4'),
    ('honor_disqualified', '取消荣誉评选资格', 'D4.1'),
    ('public_criticism', '通报批评', 'D4.1'),
    ('leader_accountability', '主要负责人追责', 'D4.1'),
    ('no_commendation', '限制评优评先', 'D4.2'),
    ('no_excellent_rating', '年度考核不能确定为优秀', 'D4.2, D4.3'),
    ('appointment_reference', '作为考核、任用、职务晋升的重要参考', 'D4.2'),
    ('enhanced_supervision', '重点监管监察', 'D3.5'),
    ('no_honors', '取消评优评先', 'D3.5'),
    ('financing_review', '融资严格审查', 'D3.5'),
    ('land_restricted', '土地出让限制或禁入', 'D3.5'),
    ('public_exposure', '公开曝光', 'D3.5');

------------------------------------------------------------------------
-- the C aggregate (src/eval_core.c, src/eval_fmgr.c)
------------------------------------------------------------------------
-- The state is an internal C struct of 32 bytes, combinable and serializable
-- for parallel aggregation.  SSPACE is what a group's state costs a hash
-- aggregate: measured 84 bytes per group (10M records, 999,430 groups: 180 MB
-- against 98 MB for count(*)), of which the planner adds the 16-byte chunk
-- header itself; with it the planner sees when the hash table would spill and
-- takes the sorted index-only path instead (bench/RESULTS.md section 5); the final function gives the float8[4] {deductions, bonuses,
-- veto, counted} that score_of, grade_of and score_result read.  The columns
-- come as direct arguments (no row value per record).
CREATE FUNCTION @extschema@._score_state_sfunc(state internal, category text, kind text,
        severity @extschema@.severity, decided_on date, confirmed_on date, revoked_on date,
        repaired_on date, as_of date, model jsonb)
    RETURNS internal AS 'MODULE_PATHNAME', 'score_state_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@._score_state_combinefn(internal, internal) RETURNS internal
    AS 'MODULE_PATHNAME', 'score_state_combinefn' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@._score_state_serialize(internal) RETURNS bytea
    AS 'MODULE_PATHNAME', 'score_state_serialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@._score_state_deserialize(bytea, internal) RETURNS internal
    AS 'MODULE_PATHNAME', 'score_state_deserialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@._score_state_final(internal) RETURNS float8[]
    AS 'MODULE_PATHNAME', 'score_state_final' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- D5: sums (deductions, bonuses, veto, records counted) over a subject's
-- records as of as_of; float8[4], combinable in parallel
CREATE AGGREGATE @extschema@.score_state(category text, kind text, severity @extschema@.severity,
        decided_on date, confirmed_on date, revoked_on date, repaired_on date, as_of date, model jsonb) (
    SFUNC = @extschema@._score_state_sfunc,
    STYPE = internal,
    SSPACE = 64,
    FINALFUNC = @extschema@._score_state_final,
    COMBINEFUNC = @extschema@._score_state_combinefn,
    SERIALFUNC = @extschema@._score_state_serialize,
    DESERIALFUNC = @extschema@._score_state_deserialize,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.score_state(text, text, @extschema@.severity, date, date, date, date, date, jsonb) IS
    '评价汇总 evaluation sums of a subject''s records at as_of under a model: {deductions, bonuses, veto, counted}';

CREATE FUNCTION @extschema@.score_result(state float8[], model jsonb,
        OUT score numeric, OUT grade text, OUT vetoed boolean)
    AS 'MODULE_PATHNAME', 'score_result' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.score_result(float8[], jsonb) IS
    'score (start - deductions + capped bonuses, clamped), grade and veto of a score_state under a model (D5)';

CREATE FUNCTION @extschema@.score_of(state float8[], model jsonb) RETURNS numeric
    AS 'MODULE_PATHNAME', 'score_of' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.score_of(float8[], jsonb) IS 'the score of a score_state under a model (D5)';
CREATE FUNCTION @extschema@.grade_of(state float8[], model jsonb) RETURNS text
    AS 'MODULE_PATHNAME', 'grade_of' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.grade_of(float8[], jsonb) IS 'the grade of a score_state under a model; the veto grade when vetoed (D5)';

CREATE FUNCTION @extschema@._record_effect(category text, kind text, severity @extschema@.severity,
        decided_on date, confirmed_on date, revoked_on date, repaired_on date, as_of date, model jsonb,
        OUT counted boolean, OUT deduction float8, OUT bonus float8, OUT veto boolean, OUT age_factor float8)
    AS 'MODULE_PATHNAME', 'record_effect' LANGUAGE C IMMUTABLE PARALLEL SAFE;

-- the params of a model, or a clear error
CREATE FUNCTION @extschema@._model(p_name text) RETURNS jsonb
    LANGUAGE plpgsql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
DECLARE p jsonb;
BEGIN
    SELECT m.params INTO p FROM @extschema@.score_model m WHERE m.name = p_name;
    IF p IS NULL THEN
        RAISE EXCEPTION 'unknown score model "%"', p_name
            USING ERRCODE = '22023', HINT = 'The models are listed in integrity.score_model.';
    END IF;
    RETURN p;
END $$;

-- the subject (origin, id) of a local id, or a clear error
CREATE FUNCTION @extschema@._subject(p_id bigint, OUT origin text, OUT id bigint, OUT kind @extschema@.subject_kind)
    LANGUAGE plpgsql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF p_id IS NULL THEN
        RAISE EXCEPTION 'subject_id is required' USING ERRCODE = '22004';
    END IF;
    SELECT s.origin, s.id, s.kind INTO origin, id, kind FROM @extschema@.subject s
     WHERE s.origin = @extschema@._origin() AND s.id = p_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'subject % does not exist', p_id USING ERRCODE = 'P0002';
    END IF;
END $$;

CREATE FUNCTION @extschema@._check_as_of(as_of date) RETURNS void
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
BEGIN
    IF as_of IS NULL THEN
        RAISE EXCEPTION 'as_of is required' USING ERRCODE = '22004';
    END IF;
    IF as_of < date '1949-10-01' OR as_of > date '2999-12-31' THEN
        RAISE EXCEPTION 'as_of % is out of range', as_of USING ERRCODE = '22023';
    END IF;
END $$;

------------------------------------------------------------------------
-- SPEC 5 evaluate: score, grade, veto and the breakdown of every change
------------------------------------------------------------------------
CREATE FUNCTION @extschema@._evaluate(p_origin text, p_subject bigint, as_of date, params jsonb)
    RETURNS TABLE(score numeric, grade text, vetoed boolean, breakdown jsonb)
    LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
BEGIN
    -- PL/pgSQL so that the plan is cached per session (a SQL function with
    -- SET would be parsed and planned again on every call)
    RETURN QUERY
    WITH rec AS (
        SELECT r.*, e.*
          FROM @extschema@.record r
         CROSS JOIN LATERAL @extschema@._record_effect(r.category, r.kind, r.severity, r.decided_on,
                     r.confirmed_on, r.revoked_on, r.repaired_on, as_of, params) e
         WHERE r.origin = p_origin AND r.subject_id = p_subject AND r.decided_on <= as_of),
    st AS (
        SELECT @extschema@.score_state(r.category, r.kind, r.severity, r.decided_on, r.confirmed_on,
                                       r.revoked_on, r.repaired_on, as_of, params) AS s
          FROM @extschema@.record r
         WHERE r.origin = p_origin AND r.subject_id = p_subject AND r.decided_on <= as_of),
    res AS (SELECT sr.*, st.s FROM st CROSS JOIN LATERAL @extschema@.score_result(st.s, params) sr)
    SELECT res.score, res.grade, res.vetoed,
           jsonb_build_object(
               'as_of', as_of,
               'start', params -> 'start',
               'deductions', coalesce((SELECT jsonb_agg(jsonb_build_object(
                    'record_id', rec.id, 'category', rec.category, 'severity', rec.severity,
                    'decided_on', rec.decided_on, 'state_as_of', CASE WHEN rec.repaired_on <= as_of THEN 'repaired' ELSE 'counting' END,
                    'age_factor', rec.age_factor, 'points', -rec.deduction) ORDER BY rec.decided_on, rec.id)
                    FROM rec WHERE rec.deduction > 0), '[]'::jsonb),
               'bonuses', coalesce((SELECT jsonb_agg(jsonb_build_object(
                    'record_id', rec.id, 'category', rec.category, 'decided_on', rec.decided_on,
                    'points', rec.bonus) ORDER BY rec.decided_on, rec.id)
                    FROM rec WHERE rec.bonus > 0), '[]'::jsonb),
               'bonus_cap', params -> 'bonus_cap',
               'vetoes', coalesce((SELECT jsonb_agg(jsonb_build_object(
                    'record_id', rec.id, 'category', rec.category, 'decided_on', rec.decided_on,
                    'rule', 'D5 一票否决') ORDER BY rec.decided_on, rec.id)
                    FROM rec WHERE rec.veto), '[]'::jsonb),
               'not_counted', coalesce((SELECT jsonb_agg(jsonb_build_object('record_id', rec.id, 'state', rec.state))
                    FROM rec WHERE NOT rec.counted), '[]'::jsonb),
               'total_deduction', coalesce(res.s[1], 0),
               'total_bonus', least(coalesce(res.s[2], 0), (params ->> 'bonus_cap')::float8),
               'score', res.score)
      FROM res;
END $$;

-- in C (src/eval_fmgr.c evaluate_subject): the checks of _check_as_of,
-- _model and _subject, the subject's records read by a kept plan, the rules
-- of eval_core.c; the same answers as _evaluate (the SQL form of 1.0)
CREATE FUNCTION @extschema@.evaluate(subject_id bigint, as_of date DEFAULT current_date, model text DEFAULT 'default')
    RETURNS TABLE(score numeric, grade text, vetoed boolean, breakdown jsonb)
    AS 'MODULE_PATHNAME', 'evaluate_subject'
    LANGUAGE C STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp ROWS 1;
COMMENT ON FUNCTION @extschema@.evaluate(bigint, date, text) IS
    '政务诚信评价 score 0-100, grade A-D, 一票否决 veto and a breakdown of every deduction and bonus, as of as_of under a named model (D5)';

------------------------------------------------------------------------
-- D3: safety-production joint punishment and blacklist
------------------------------------------------------------------------
-- the records that count for punishment at as_of: confirmed, not revoked,
-- not repaired ("How records count")
CREATE FUNCTION @extschema@._punishment(p_origin text, p_subject bigint, as_of date, params jsonb,
        OUT level text, OUT reasons text[], OUT listed_from date, OUT listed_until date)
    LANGUAGE plpgsql STABLE PARALLEL SAFE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    p jsonb := params -> 'punishment';
    win integer := (p ->> 'window_days')::integer;
    term interval := (p ->> 'term')::interval;
    joint_cats text[] := ARRAY(SELECT jsonb_array_elements_text(p -> 'joint_categories'));
    black_cats text[] := ARRAY(SELECT jsonb_array_elements_text(p -> 'blacklist_categories'));
    recs record;
    t date;
    lv integer;
    why text[];
    best integer := 0;
    ep_from date; ep_until date; ep_reasons text[];
    trig_level integer[] := '{}';
    trig_date date[] := '{}';
    trig_why text[] := '{}';
    i integer;
BEGIN
    level := 'none';
    reasons := '{}';
    -- D3.3: a listing starts (or is extended) on the decision date of a
    -- record that completes a condition: every relevant record's date is a
    -- candidate, and the condition must hold with that record in it
    FOR t IN
        SELECT DISTINCT r.decided_on FROM @extschema@.record r
         WHERE r.origin = p_origin AND r.subject_id = p_subject
           AND r.decided_on <= as_of AND r.kind = 'dishonest'
           AND (r.category = 'safety_accident' OR r.category = ANY (joint_cats)
                OR r.category = ANY (black_cats)
                OR ((p ->> 'joint_serious_dishonesty')::boolean AND r.severity = 'serious'))
           AND r.confirmed_on <= as_of AND (r.revoked_on IS NULL OR r.revoked_on > as_of)
           AND (r.repaired_on IS NULL OR r.repaired_on > as_of)
         ORDER BY 1
    LOOP
        SELECT
            count(*) FILTER (WHERE r.category = 'safety_accident' AND r.accident_level IN ('major', 'especially_major')) AS major,
            count(*) FILTER (WHERE r.category = 'safety_accident' AND r.accident_level IN ('larger', 'major', 'especially_major')) AS larger_up,
            count(*) FILTER (WHERE r.category = 'safety_accident' AND r.accident_level = 'general' AND r.deaths > 0) AS fatal_general,
            count(*) FILTER (WHERE r.category = ANY (joint_cats)) AS joint_cat,
            count(*) FILTER (WHERE r.category = ANY (black_cats) AND r.severity = 'serious') AS black_cat,
            count(*) FILTER (WHERE r.severity = 'serious') AS serious,
            -- the same, among the records decided on t itself
            count(*) FILTER (WHERE r.decided_on = t AND r.category = 'safety_accident' AND r.accident_level IN ('major', 'especially_major')) AS t_major,
            count(*) FILTER (WHERE r.decided_on = t AND r.category = 'safety_accident' AND r.accident_level IN ('larger', 'major', 'especially_major')) AS t_larger_up,
            count(*) FILTER (WHERE r.decided_on = t AND r.category = 'safety_accident' AND r.accident_level = 'general' AND r.deaths > 0) AS t_fatal_general,
            count(*) FILTER (WHERE r.decided_on = t AND r.category = ANY (joint_cats)) AS t_joint_cat,
            count(*) FILTER (WHERE r.decided_on = t AND r.category = ANY (black_cats) AND r.severity = 'serious') AS t_black_cat,
            count(*) FILTER (WHERE r.decided_on = t AND r.severity = 'serious') AS t_serious,
            string_agg(format('record %s (%s %s%s, %s)', r.id, r.category,
                              coalesce(r.accident_level::text || ' ', ''),
                              CASE WHEN r.deaths > 0 THEN r.deaths || ' deaths' ELSE r.severity::text END,
                              r.decided_on), '; ' ORDER BY r.decided_on, r.id) AS list
          INTO recs
          FROM @extschema@.record r
         WHERE r.origin = p_origin AND r.subject_id = p_subject AND r.kind = 'dishonest'
           AND r.decided_on > t - win AND r.decided_on <= t
           AND r.confirmed_on <= as_of AND (r.revoked_on IS NULL OR r.revoked_on > as_of)
           AND (r.repaired_on IS NULL OR r.repaired_on > as_of);
        lv := 0;
        why := '{}';
        IF recs.t_major > 0 AND recs.major >= (p ->> 'blacklist_major_accidents')::integer THEN
            lv := 2; why := why || format('D3.2 重大及以上事故 a major or especially major accident within %s days', win);
        END IF;
        IF recs.t_larger_up > 0 AND recs.larger_up >= (p ->> 'blacklist_larger_accidents')::integer THEN
            lv := 2; why := why || format('D3.2 %s larger (较大) or worse accidents within %s days', recs.larger_up, win);
        END IF;
        IF recs.t_black_cat > 0 THEN
            lv := 2; why := why || 'D3.2 a serious record of a blacklisting category (性质恶劣)'::text;
        END IF;
        IF lv < 2 THEN
            IF recs.t_larger_up > 0 AND recs.larger_up >= (p ->> 'joint_larger_accidents')::integer THEN
                lv := 1; why := why || format('D3.1 a larger (较大) or worse accident within %s days', win);
            END IF;
            IF recs.t_fatal_general > 0 AND recs.fatal_general >= (p ->> 'joint_fatal_general_accidents')::integer THEN
                lv := 1; why := why || format('D3.1 %s fatal general accidents within %s days', recs.fatal_general, win);
            END IF;
            IF recs.t_joint_cat > 0 THEN
                lv := 1; why := why || 'D3.1 a safety_violation (安全生产严重违法违规)'::text;
            END IF;
            IF (p ->> 'joint_serious_dishonesty')::boolean AND recs.t_serious > 0 THEN
                lv := 1; why := why || format('D2.10 a serious (严重) dishonesty record within %s days', win);
            END IF;
        END IF;
        IF lv > 0 THEN
            trig_level := trig_level || lv;
            trig_date := trig_date || t;
            trig_why := trig_why || (array_to_string(why, ', ') || ': ' || recs.list);
            best := greatest(best, lv);
        END IF;
    END LOOP;
    -- D3.3: the highest level whose listing (extended by each new trigger
    -- of that level or above) is still in force at as_of
    FOR lvl IN REVERSE 2 .. 1 LOOP
        best := lvl;
        ep_until := NULL;
        FOR i IN 1 .. coalesce(array_length(trig_date, 1), 0) LOOP
            CONTINUE WHEN trig_level[i] < lvl;
            IF ep_until IS NULL OR trig_date[i] >= ep_until THEN
                ep_from := trig_date[i];
                ep_reasons := '{}';
            END IF;
            ep_until := greatest(coalesce(ep_until, trig_date[i]), (trig_date[i] + term)::date);
            ep_reasons := ep_reasons || format('listed on %s by %s', trig_date[i], trig_why[i]);
        END LOOP;
        EXIT WHEN ep_until > as_of;
    END LOOP;
    IF ep_until IS NULL OR ep_until <= as_of THEN
        RETURN;
    END IF;
    level := CASE best WHEN 2 THEN 'blacklist' ELSE 'joint_punishment' END;
    reasons := ep_reasons;
    listed_from := ep_from;
    listed_until := ep_until;
END $$;

CREATE FUNCTION @extschema@.punishment_status(subject_id bigint, as_of date DEFAULT current_date)
    RETURNS TABLE(level text, reasons text[], listed_from date, listed_until date)
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE s record;
BEGIN
    PERFORM @extschema@._check_as_of(as_of);
    s := @extschema@._subject(subject_id);
    RETURN QUERY SELECT * FROM @extschema@._punishment(s.origin, s.id, as_of, @extschema@._model('default'));
END $$;
COMMENT ON FUNCTION @extschema@.punishment_status(bigint, date) IS
    '联合惩戒/黑名单 none, joint_punishment or blacklist at as_of over rolling 365-day windows, with the records behind it and the listing term (D3.1-D3.3, D2.10)';

------------------------------------------------------------------------
-- D3.4: 守信联合激励 (red list)
------------------------------------------------------------------------
CREATE FUNCTION @extschema@._incentive(p_origin text, p_subject bigint, as_of date, params jsonb,
        OUT eligible boolean, OUT failed text[], OUT valid_until date)
    LANGUAGE plpgsql STABLE PARALLEL SAFE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    look integer := (params -> 'incentive' ->> 'lookback_days')::integer;
    term interval := (params -> 'incentive' ->> 'term')::interval;
    c record;
    pun text;
BEGIN
    -- counting at as_of (repaired records still count for look-backs)
    SELECT
        bool_or(r.category = 'credit_commitment' AND as_of < r.publicity_until
                AND (r.repaired_on IS NULL OR r.repaired_on > as_of)) AS commitment,
        bool_or(r.category = 'safety_standard_level1' AND as_of < r.publicity_until
                AND (r.repaired_on IS NULL OR r.repaired_on > as_of)) AS level1,
        bool_or(r.decided_on > as_of - look AND (r.category = 'safety_violation'
                OR (r.category = 'safety_accident' AND r.accident_level IN ('larger', 'major', 'especially_major')))) AS safety_dishonesty,
        bool_or(r.decided_on > as_of - look AND r.category = 'admin_penalty' AND r.domain = '安全生产') AS safety_penalty,
        bool_or(r.decided_on > as_of - look AND ((r.category = 'safety_accident' AND r.deaths > 0)
                OR r.category = 'occupational_disease')) AS fatality
      INTO c
      FROM @extschema@.record r
     WHERE r.origin = p_origin AND r.subject_id = p_subject AND r.decided_on <= as_of
       AND r.confirmed_on <= as_of AND (r.revoked_on IS NULL OR r.revoked_on > as_of);
    pun := (@extschema@._punishment(p_origin, p_subject, as_of, params)).level;
    failed := '{}';
    IF NOT coalesce(c.commitment, false) THEN failed := failed || 'commitment'::text; END IF;
    IF coalesce(c.safety_dishonesty, false) THEN failed := failed || 'no_dishonesty_3y'::text; END IF;
    IF coalesce(c.safety_penalty, false) THEN failed := failed || 'no_penalty_3y'::text; END IF;
    IF coalesce(c.fatality, false) THEN failed := failed || 'no_fatality_3y'::text; END IF;
    IF NOT coalesce(c.level1, false) THEN failed := failed || 'standard_level1'::text; END IF;
    IF pun <> 'none' THEN failed := failed || 'not_punished'::text; END IF;
    eligible := cardinality(failed) = 0;
    valid_until := CASE WHEN eligible THEN (as_of + term)::date END;
END $$;

CREATE FUNCTION @extschema@.incentive_status(subject_id bigint, as_of date DEFAULT current_date)
    RETURNS TABLE(eligible boolean, failed text[], valid_until date)
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE s record;
BEGIN
    PERFORM @extschema@._check_as_of(as_of);
    s := @extschema@._subject(subject_id);
    RETURN QUERY SELECT * FROM @extschema@._incentive(s.origin, s.id, as_of, @extschema@._model('default'));
END $$;
COMMENT ON FUNCTION @extschema@.incentive_status(bigint, date) IS
    '守信联合激励 red-list eligibility at as_of: all six conditions of D3.4; failed names each unmet one (commitment, no_dishonesty_3y, no_penalty_3y, no_fatality_3y, standard_level1, not_punished)';

------------------------------------------------------------------------
-- D4: restrictions and the 优秀 rating of civil servants
------------------------------------------------------------------------
CREATE FUNCTION @extschema@._restrictions(p_origin text, p_subject bigint, p_kind @extschema@.subject_kind,
                                          as_of date, params jsonb)
    RETURNS SETOF text
    LANGUAGE plpgsql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
DECLARE n integer; n_unremedied integer; pun text;
BEGIN
    -- D4.1/D4.2: dishonesty records in effect (confirmed, not revoked, not
    -- repaired, publicity not ended)
    SELECT count(*), count(*) FILTER (WHERE r.remedied_on IS NULL OR r.remedied_on > as_of)
      INTO n, n_unremedied
      FROM @extschema@.record r
     WHERE r.origin = p_origin AND r.subject_id = p_subject AND r.kind = 'dishonest'
       AND r.decided_on <= as_of AND r.confirmed_on <= as_of
       AND (r.revoked_on IS NULL OR r.revoked_on > as_of)
       AND (r.repaired_on IS NULL OR r.repaired_on > as_of)
       AND as_of < r.publicity_until;
    IF n > 0 AND p_kind <> 'enterprise' THEN
        IF n_unremedied = 0 THEN
            RETURN NEXT 'written_explanation';          -- D4.4
        ELSIF p_kind IN ('government', 'department') THEN
            RETURN NEXT 'written_explanation';          -- D4.1
            RETURN NEXT 'honor_disqualified';
            RETURN NEXT 'public_criticism';
            RETURN NEXT 'leader_accountability';
        ELSIF p_kind = 'civil_servant' THEN
            RETURN NEXT 'no_commendation';              -- D4.2
            RETURN NEXT 'no_excellent_rating';
            RETURN NEXT 'appointment_reference';
        END IF;                                         -- D4 is not for enterprises
    END IF;
    -- D3.5: measures of joint punishment and the blacklist
    pun := (@extschema@._punishment(p_origin, p_subject, as_of, params)).level;
    IF pun <> 'none' THEN
        RETURN NEXT 'enhanced_supervision';
        RETURN NEXT 'no_honors';
        RETURN NEXT 'financing_review';
        RETURN NEXT 'land_restricted';
        RETURN NEXT 'public_exposure';
    END IF;
END $$;

CREATE FUNCTION @extschema@.restrictions(subject_id bigint, as_of date DEFAULT current_date)
    RETURNS SETOF text
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE s record;
BEGIN
    PERFORM @extschema@._check_as_of(as_of);
    s := @extschema@._subject(subject_id);
    RETURN QUERY SELECT * FROM @extschema@._restrictions(s.origin, s.id, s.kind, as_of, @extschema@._model('default'));
END $$;
COMMENT ON FUNCTION @extschema@.restrictions(bigint, date) IS
    '惩戒措施 measure codes that apply at as_of (names in integrity.measure): D4.1 for governments and departments, D4.2 for civil servants, D3.5 for listed subjects; only written_explanation when every record behind them is remedied (D4.4)';

CREATE FUNCTION @extschema@.may_rate_excellent(subject_id bigint, year integer) RETURNS boolean
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE s record; y0 date; y1 date; hit boolean;
BEGIN
    IF year IS NULL OR year < 1949 OR year > extract(year FROM current_date)::integer + 1 THEN
        RAISE EXCEPTION 'year % is out of range', year
            USING ERRCODE = '22023', DETAIL = 'Annual ratings exist from 1949 to next year.';
    END IF;
    s := @extschema@._subject(subject_id);
    IF s.kind <> 'civil_servant' THEN
        RAISE EXCEPTION 'subject % is a %, not a civil servant', subject_id, s.kind
            USING ERRCODE = '22023', DETAIL = 'The 优秀 rating of D4.3 is for civil servants.';
    END IF;
    y0 := make_date(year, 1, 1);
    y1 := make_date(year, 12, 31);
    -- D4.3: a counting dishonesty record decided that year or in publicity during it
    SELECT EXISTS (
        SELECT 1 FROM @extschema@.record r
         WHERE r.origin = s.origin AND r.subject_id = s.id AND r.kind = 'dishonest'
           AND r.confirmed_on IS NOT NULL AND r.revoked_on IS NULL
           AND (r.repaired_on IS NULL OR r.repaired_on >= y0)
           AND ((r.decided_on BETWEEN y0 AND y1)
                OR (r.published_on IS NOT NULL AND r.published_on <= y1
                    AND coalesce(r.repaired_on, r.expired_on, r.publicity_until) > y0)))
      INTO hit;
    RETURN NOT hit;
END $$;
COMMENT ON FUNCTION @extschema@.may_rate_excellent(bigint, integer) IS
    '年度考核优秀 false when a counting dishonesty record of the civil servant was decided in that year or was in publicity during it (D4.3)';

------------------------------------------------------------------------
-- integrity 1.0, part 50: views for reporting tools (SPEC 7; D1.4, D6)
-- Readers see these views only: names of persons and resident IDs are
-- masked, and they cover every origin held here.
------------------------------------------------------------------------

-- the public name and code of a subject (D1.4); plain SQL so that the
-- planner inlines them into the views, and every name and operator
-- schema-qualified, because inlined SQL is parsed with the reader's path
CREATE FUNCTION @extschema@._public_name(kind @extschema@.subject_kind, name text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT CASE WHEN kind OPERATOR(pg_catalog.=) 'civil_servant'::@extschema@.subject_kind
                      THEN @extschema@.mask_name(name) ELSE name END $$;
CREATE FUNCTION @extschema@._public_code(kind @extschema@.subject_kind, u @extschema@.uscc, c @extschema@.cn_id, legacy text)
    RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT CASE WHEN kind OPERATOR(pg_catalog.=) 'civil_servant'::@extschema@.subject_kind
                      THEN @extschema@.mask(c)
                      ELSE coalesce(u::pg_catalog.text, legacy) END $$;

CREATE VIEW @extschema@.public_record AS
SELECT r.origin,
       r.id AS record_id,
       @extschema@._public_name(s.kind, s.name) AS subject_name,
       s.kind AS subject_kind,
       @extschema@._public_code(s.kind, s.uscc, s.cn_id, s.legacy_code) AS subject_code,
       r.category,
       coalesce(c.name, r.category) AS category_name,
       r.severity,
       r.domain,
       r.document_no,
       r.source_unit,
       r.summary,
       r.decided_on,
       r.published_on,
       r.publicity_until,
       CASE r.state WHEN 'objected' THEN '异议处理中' ELSE '公示中' END AS state,
       r.published_on > r.publish_due AS published_late
  FROM @extschema@.record r
  JOIN @extschema@.subject s ON s.origin = r.origin AND s.id = r.subject_id
  -- a category only a lower platform has still shows (replicated rows
  -- are not checked against this platform's categories)
  LEFT JOIN @extschema@.category c ON c.code = r.category
 WHERE (r.state = 'published' OR (r.state = 'objected' AND r.state_before_objection = 'published'))
   AND r.publicity_until > current_date;
COMMENT ON VIEW @extschema@.public_record IS '公示信息 public records: records in publicity now, persons masked (SPEC 7, D1.4, D2.3)';
COMMENT ON COLUMN @extschema@.public_record.origin IS '来源平台 origin: region code of the platform that collected the record';
COMMENT ON COLUMN @extschema@.public_record.record_id IS '记录编号 record id within its origin';
COMMENT ON COLUMN @extschema@.public_record.subject_name IS '主体名称 subject name (a person''s name masked: 张*)';
COMMENT ON COLUMN @extschema@.public_record.subject_kind IS '主体类型 subject kind';
COMMENT ON COLUMN @extschema@.public_record.subject_code IS '主体代码 uscc of an organization, masked resident ID of a person';
COMMENT ON COLUMN @extschema@.public_record.category IS '类别代码 category code';
COMMENT ON COLUMN @extschema@.public_record.category_name IS '类别 category name';
COMMENT ON COLUMN @extschema@.public_record.severity IS '失信程度 severity';
COMMENT ON COLUMN @extschema@.public_record.domain IS '领域 domain (政府采购, 招标投标, ...)';
COMMENT ON COLUMN @extschema@.public_record.document_no IS '决定文书号 decision document number';
COMMENT ON COLUMN @extschema@.public_record.source_unit IS '认定单位 deciding unit';
COMMENT ON COLUMN @extschema@.public_record.summary IS '失信事实 summary of the facts';
COMMENT ON COLUMN @extschema@.public_record.decided_on IS '决定日期 decision date';
COMMENT ON COLUMN @extschema@.public_record.published_on IS '公示日期 publication date';
COMMENT ON COLUMN @extschema@.public_record.publicity_until IS '公示截止 publicity ends on this day';
COMMENT ON COLUMN @extschema@.public_record.state IS '状态 公示中 in publicity, or 异议处理中 objection under review';
COMMENT ON COLUMN @extschema@.public_record.published_late IS '逾期公示 published after the 7-working-day deadline (D2.5)';

CREATE VIEW @extschema@.blacklist AS
SELECT s.origin,
       s.id AS subject_id,
       @extschema@._public_name(s.kind, s.name) AS name,
       @extschema@._public_code(s.kind, s.uscc, s.cn_id, s.legacy_code) AS code,
       p.level,
       p.reasons,
       p.listed_from,
       p.listed_until
  FROM @extschema@.subject s
 CROSS JOIN LATERAL @extschema@._punishment(s.origin, s.id, current_date,
                        (SELECT m.params FROM @extschema@.score_model m WHERE m.name = 'default')) p
 WHERE EXISTS (SELECT 1 FROM @extschema@.record r
                WHERE r.origin = s.origin AND r.subject_id = s.id AND r.kind = 'dishonest'
                  AND r.confirmed_on IS NOT NULL AND r.decided_on > current_date - 800)
   AND p.level <> 'none';
COMMENT ON VIEW @extschema@.blacklist IS '联合惩戒和黑名单 subjects under joint punishment or on the blacklist today (D3.1-D3.3)';
COMMENT ON COLUMN @extschema@.blacklist.origin IS '来源平台 origin';
COMMENT ON COLUMN @extschema@.blacklist.subject_id IS '主体编号 subject id within its origin';
COMMENT ON COLUMN @extschema@.blacklist.name IS '主体名称 subject name (persons masked)';
COMMENT ON COLUMN @extschema@.blacklist.code IS '主体代码 uscc, or masked resident ID';
COMMENT ON COLUMN @extschema@.blacklist.level IS '惩戒级别 joint_punishment 联合惩戒 or blacklist 黑名单';
COMMENT ON COLUMN @extschema@.blacklist.reasons IS '列入理由 the conditions and records behind the listing';
COMMENT ON COLUMN @extschema@.blacklist.listed_from IS '列入日期 listing date: decision date of the record that completed the condition';
COMMENT ON COLUMN @extschema@.blacklist.listed_until IS '移出日期 the listing ends on this day unless extended (D2.10)';

CREATE VIEW @extschema@.redlist AS
SELECT s.origin,
       s.id AS subject_id,
       @extschema@._public_name(s.kind, s.name) AS name,
       @extschema@._public_code(s.kind, s.uscc, s.cn_id, s.legacy_code) AS code,
       i.valid_until
  FROM @extschema@.subject s
 CROSS JOIN LATERAL @extschema@._incentive(s.origin, s.id, current_date,
                        (SELECT m.params FROM @extschema@.score_model m WHERE m.name = 'default')) i
 WHERE EXISTS (SELECT 1 FROM @extschema@.record r
                WHERE r.origin = s.origin AND r.subject_id = s.id AND r.category = 'safety_standard_level1'
                  AND r.confirmed_on IS NOT NULL AND r.revoked_on IS NULL)
   AND EXISTS (SELECT 1 FROM @extschema@.record r
                WHERE r.origin = s.origin AND r.subject_id = s.id AND r.category = 'credit_commitment'
                  AND r.confirmed_on IS NOT NULL AND r.revoked_on IS NULL)
   AND i.eligible;
COMMENT ON VIEW @extschema@.redlist IS '守信联合激励 red list: subjects meeting all six conditions of D3.4 today';
COMMENT ON COLUMN @extschema@.redlist.origin IS '来源平台 origin';
COMMENT ON COLUMN @extschema@.redlist.subject_id IS '主体编号 subject id within its origin';
COMMENT ON COLUMN @extschema@.redlist.name IS '主体名称 subject name';
COMMENT ON COLUMN @extschema@.redlist.code IS '主体代码 uscc';
COMMENT ON COLUMN @extschema@.redlist.valid_until IS '有效期至 the listing is valid until this day (3 years, D2.10)';

CREATE VIEW @extschema@.evaluation AS
WITH model AS (SELECT m.params FROM @extschema@.score_model m WHERE m.name = 'default'),
-- only the records of governments and departments are scored
agg AS (
    SELECT r.origin, r.subject_id,
           @extschema@.score_state(r.category, r.kind, r.severity, r.decided_on, r.confirmed_on,
                                   r.revoked_on, r.repaired_on, current_date, (SELECT params FROM model)) AS st
      FROM @extschema@.record r
     WHERE EXISTS (SELECT 1 FROM @extschema@.subject s
                    WHERE s.origin = r.origin AND s.id = r.subject_id
                      AND s.kind IN ('government', 'department'))
     GROUP BY r.origin, r.subject_id),
scored AS (
    SELECT s.origin, s.id AS subject_id, s.name, s.kind, s.parent_id,
           @extschema@.score_of(a.st, (SELECT params FROM model)) AS score,
           @extschema@.grade_of(a.st, (SELECT params FROM model)) AS grade,
           coalesce(a.st[3] > 0, false) AS vetoed
      FROM @extschema@.subject s
      LEFT JOIN agg a ON a.origin = s.origin AND a.subject_id = s.id
     WHERE s.kind IN ('government', 'department')),
-- rank() without sorting every subject: 1 + the number of subjects ranked
-- higher, from the histogram of rank keys per parent (a few thousand rows),
-- joined back by hash.  A vetoed subject (一票否决, D5) ranks after every
-- subject that is not vetoed, then by score.
keyed AS (
    SELECT scored.*, score - CASE WHEN vetoed THEN 1000 ELSE 0 END AS rank_key FROM scored),
hist AS (
    SELECT origin, coalesce(parent_id, -1) AS parent, rank_key, count(*) AS n
      FROM keyed GROUP BY 1, 2, 3),
overall AS (
    SELECT t.rank_key,
           1 + coalesce(sum(t.n) OVER (ORDER BY t.rank_key DESC ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0)::bigint AS rank_overall
      FROM (SELECT rank_key, sum(n) AS n FROM hist GROUP BY rank_key) t),
ranks AS (
    SELECT h.origin, h.parent, h.rank_key, o.rank_overall,
           1 + coalesce(sum(h.n) OVER (PARTITION BY h.origin, h.parent ORDER BY h.rank_key DESC
                                       ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0)::bigint AS rank_in_parent
      FROM hist h JOIN overall o ON o.rank_key = h.rank_key)
SELECT sc.origin, sc.subject_id, sc.name, sc.kind, sc.parent_id, sc.score, sc.grade, sc.vetoed,
       r.rank_overall, r.rank_in_parent
  FROM keyed sc
  JOIN ranks r ON r.origin = sc.origin AND r.parent = coalesce(sc.parent_id, -1) AND r.rank_key = sc.rank_key;
COMMENT ON VIEW @extschema@.evaluation IS '政务诚信评价 every government and department scored today under the default model (D5)';
COMMENT ON COLUMN @extschema@.evaluation.origin IS '来源平台 origin';
COMMENT ON COLUMN @extschema@.evaluation.subject_id IS '主体编号 subject id within its origin';
COMMENT ON COLUMN @extschema@.evaluation.name IS '名称 name of the government or department';
COMMENT ON COLUMN @extschema@.evaluation.kind IS '类型 government or department';
COMMENT ON COLUMN @extschema@.evaluation.parent_id IS '上级 supervising government or department';
COMMENT ON COLUMN @extschema@.evaluation.score IS '得分 score 0-100';
COMMENT ON COLUMN @extschema@.evaluation.grade IS '等级 grade A, B, C or D';
COMMENT ON COLUMN @extschema@.evaluation.vetoed IS '一票否决 vetoed by a statistical-fraud record';
COMMENT ON COLUMN @extschema@.evaluation.rank_overall IS '总排名 rank among all governments and departments (vetoed ones after all others, then by score)';
COMMENT ON COLUMN @extschema@.evaluation.rank_in_parent IS '同级排名 rank among those with the same parent';

-- D5: the quarterly 政务诚信监测 ranking (广元 附件 1), the four last
-- completed quarters, with the platform indicators it can compute
CREATE VIEW @extschema@.monitoring_ranking AS
WITH model AS (SELECT m.params FROM @extschema@.score_model m WHERE m.name = 'default'),
q AS (
    SELECT (date_trunc('quarter', current_date) - make_interval(months => 3 * k))::date - 1 AS quarter_end,
           (date_trunc('quarter', current_date) - make_interval(months => 3 * k + 3))::date AS quarter_start
      FROM generate_series(0, 4) AS k),
subj AS (
    SELECT s.origin, s.id, s.name, s.kind, s.parent_id FROM @extschema@.subject s
     WHERE s.kind IN ('government', 'department')),
agg AS (
    SELECT q.quarter_end, r.origin, r.subject_id,
           @extschema@.score_state(r.category, r.kind, r.severity, r.decided_on, r.confirmed_on,
                                   r.revoked_on, r.repaired_on, q.quarter_end, (SELECT params FROM model)) AS st,
           count(*) FILTER (WHERE r.published_on BETWEEN q.quarter_start AND q.quarter_end) AS published,
           count(*) FILTER (WHERE r.published_on BETWEEN q.quarter_start AND q.quarter_end
                              AND r.published_on <= r.publish_due) AS published_on_time,
           count(*) FILTER (WHERE r.published_on <= q.quarter_end AND r.publicity_until > q.quarter_end
                              AND coalesce(r.repaired_on, r.revoked_on, r.expired_on, 'infinity') > q.quarter_end) AS in_publicity,
           count(*) FILTER (WHERE r.repaired_on BETWEEN q.quarter_start AND q.quarter_end) AS repaired
      FROM q JOIN @extschema@.record r ON r.decided_on <= q.quarter_end
      JOIN subj ON subj.origin = r.origin AND subj.id = r.subject_id
     GROUP BY q.quarter_end, r.origin, r.subject_id),
obj AS (
    -- D2.7a: objections resolved within objection_workdays working days
    SELECT q.quarter_end, e.origin, r.subject_id,
           count(*) AS objections,
           count(*) FILTER (WHERE res.at::date <= @extschema@.add_workdays(e.at::date,
                                   @extschema@._param('objection_workdays')::integer)) AS objections_on_time
      FROM q JOIN @extschema@.record_event e ON e.event = 'objection' AND e.at::date BETWEEN q.quarter_start AND q.quarter_end
      JOIN @extschema@.record r ON r.origin = e.origin AND r.id = e.record_id
      LEFT JOIN LATERAL (SELECT e2.at FROM @extschema@.record_event e2
                          WHERE e2.origin = e.origin AND e2.record_id = e.record_id AND e2.id > e.id
                            AND e2.event IN ('objection_rejected', 'objection_upheld')
                          ORDER BY e2.id LIMIT 1) res ON true
     GROUP BY q.quarter_end, e.origin, r.subject_id),
scored AS (
    SELECT q.quarter_end, subj.origin, subj.id AS subject_id, subj.name, subj.kind, subj.parent_id,
           @extschema@.score_of(a.st, (SELECT params FROM model)) AS score,
           @extschema@.grade_of(a.st, (SELECT params FROM model)) AS grade,
           coalesce(a.st[3] > 0, false) AS vetoed,
           coalesce(a.published, 0) AS published, coalesce(a.published_on_time, 0) AS published_on_time,
           coalesce(a.in_publicity, 0) AS in_publicity, coalesce(a.repaired, 0) AS repaired,
           coalesce(o.objections, 0) AS objections, coalesce(o.objections_on_time, 0) AS objections_on_time
      FROM q CROSS JOIN subj
      LEFT JOIN agg a ON a.quarter_end = q.quarter_end AND a.origin = subj.origin AND a.subject_id = subj.id
      LEFT JOIN obj o ON o.quarter_end = q.quarter_end AND o.origin = subj.origin AND o.subject_id = subj.id),
ranked AS (
    SELECT scored.*,
           rank() OVER (PARTITION BY quarter_end ORDER BY vetoed, score DESC) AS rank,
           rank() OVER (PARTITION BY quarter_end, origin, parent_id ORDER BY vetoed, score DESC) AS rank_in_parent
      FROM scored),
changes AS (
    SELECT ranked.*,
           score - lag(score) OVER w AS score_change,
           lag(rank) OVER w - rank AS rank_change
      FROM ranked
    WINDOW w AS (PARTITION BY origin, subject_id ORDER BY quarter_end))
SELECT to_char(quarter_end, 'YYYY"Q"Q') AS quarter, quarter_end, origin, subject_id, name, kind, parent_id,
       score, grade, vetoed, rank, rank_in_parent, score_change, rank_change,
       CASE WHEN published > 0 THEN round(100.0 * published_on_time / published, 1) END AS publish_on_time_pct,
       CASE WHEN objections > 0 THEN round(100.0 * objections_on_time / objections, 1) END AS objection_on_time_pct,
       in_publicity AS records_in_publicity,
       repaired AS records_repaired
  FROM changes
 WHERE quarter_end > (SELECT min(quarter_end) FROM q);
COMMENT ON VIEW @extschema@.monitoring_ranking IS '政务诚信监测排名 quarterly ranking of governments and departments (last four completed quarters) with platform indicators (D5, 广元 附件 1)';
COMMENT ON COLUMN @extschema@.monitoring_ranking.quarter IS '季度 quarter, e.g. 2026Q3';
COMMENT ON COLUMN @extschema@.monitoring_ranking.quarter_end IS '季末 last day of the quarter (the as_of of the scores)';
COMMENT ON COLUMN @extschema@.monitoring_ranking.origin IS '来源平台 origin';
COMMENT ON COLUMN @extschema@.monitoring_ranking.subject_id IS '主体编号 subject id within its origin';
COMMENT ON COLUMN @extschema@.monitoring_ranking.name IS '名称 name';
COMMENT ON COLUMN @extschema@.monitoring_ranking.kind IS '类型 government or department';
COMMENT ON COLUMN @extschema@.monitoring_ranking.parent_id IS '上级 supervising government or department';
COMMENT ON COLUMN @extschema@.monitoring_ranking.score IS '得分 score at the end of the quarter';
COMMENT ON COLUMN @extschema@.monitoring_ranking.grade IS '等级 grade';
COMMENT ON COLUMN @extschema@.monitoring_ranking.vetoed IS '一票否决 vetoed';
COMMENT ON COLUMN @extschema@.monitoring_ranking.rank IS '排名 rank in the quarter';
COMMENT ON COLUMN @extschema@.monitoring_ranking.rank_in_parent IS '同级排名 rank among those with the same parent';
COMMENT ON COLUMN @extschema@.monitoring_ranking.score_change IS '得分变化 change of the score from the previous quarter';
COMMENT ON COLUMN @extschema@.monitoring_ranking.rank_change IS '名次变化 places gained (positive) or lost since the previous quarter';
COMMENT ON COLUMN @extschema@.monitoring_ranking.publish_on_time_pct IS '双公示按时率 percent of records published in the quarter by their 7-working-day deadline (D2.5)';
COMMENT ON COLUMN @extschema@.monitoring_ranking.objection_on_time_pct IS '异议按时办结率 percent of objections of the quarter resolved within 5 working days (D2.7a)';
COMMENT ON COLUMN @extschema@.monitoring_ranking.records_in_publicity IS '公示中记录 records in publicity at the end of the quarter';
COMMENT ON COLUMN @extschema@.monitoring_ranking.records_repaired IS '信用修复 records repaired during the quarter';

GRANT SELECT ON @extschema@.public_record, @extschema@.blacklist, @extschema@.redlist,
                @extschema@.evaluation, @extschema@.monitoring_ranking, @extschema@.measure,
                @extschema@.score_model
    TO integrity_reader;
GRANT INSERT (name, params, note), UPDATE (params, note), DELETE ON @extschema@.score_model TO integrity_admin;
CREATE TRIGGER score_model_seeded_guard BEFORE UPDATE OR DELETE ON @extschema@.score_model
    FOR EACH ROW EXECUTE FUNCTION @extschema@._seeded_guard();
SELECT pg_catalog.pg_extension_config_dump('@extschema@.score_model', 'WHERE NOT seeded');

REVOKE EXECUTE ON FUNCTION
    @extschema@._model(text), @extschema@._subject(bigint), @extschema@._evaluate(text, bigint, date, jsonb),
    @extschema@._punishment(text, bigint, date, jsonb), @extschema@._incentive(text, bigint, date, jsonb),
    @extschema@._restrictions(text, bigint, @extschema@.subject_kind, date, jsonb),
    @extschema@.evaluate(bigint, date, text), @extschema@.punishment_status(bigint, date),
    @extschema@.incentive_status(bigint, date), @extschema@.may_rate_excellent(bigint, integer),
    @extschema@.restrictions(bigint, date)
    FROM PUBLIC;
GRANT EXECUTE ON FUNCTION
    @extschema@.evaluate(bigint, date, text), @extschema@.punishment_status(bigint, date),
    @extschema@.incentive_status(bigint, date), @extschema@.may_rate_excellent(bigint, integer),
    @extschema@.restrictions(bigint, date)
    TO integrity_operator;
-- the views call these as the reader (public facts: the lists themselves)
GRANT EXECUTE ON FUNCTION
    @extschema@._punishment(text, bigint, date, jsonb), @extschema@._incentive(text, bigint, date, jsonb),
    @extschema@._param(text)
    TO integrity_reader;

------------------------------------------------------------------------
-- integrity 1.0, part 60: level-by-level collection over logical
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

-- The official calendar, 2004-2026 (data/cn_calendar.tsv; MIT licence in data/cn_calendar.LICENSE)
INSERT INTO @extschema@.calendar (day, is_workday, note, seeded) VALUES
    ('2004-01-01', false, '元旦', true),
    ('2004-01-17', true, '春节调休上班', true),
    ('2004-01-18', true, '春节调休上班', true),
    ('2004-01-22', false, '春节', true),
    ('2004-01-23', false, '春节', true),
    ('2004-01-24', false, '春节', true),
    ('2004-01-25', false, '春节', true),
    ('2004-01-26', false, '春节', true),
    ('2004-01-27', false, '春节', true),
    ('2004-01-28', false, '春节', true),
    ('2004-05-01', false, '劳动节', true),
    ('2004-05-02', false, '劳动节', true),
    ('2004-05-03', false, '劳动节', true),
    ('2004-05-04', false, '劳动节', true),
    ('2004-05-05', false, '劳动节', true),
    ('2004-05-06', false, '劳动节', true),
    ('2004-05-07', false, '劳动节', true),
    ('2004-05-08', true, '劳动节调休上班', true),
    ('2004-05-09', true, '劳动节调休上班', true),
    ('2004-10-01', false, '国庆节', true),
    ('2004-10-02', false, '国庆节', true),
    ('2004-10-03', false, '国庆节', true),
    ('2004-10-04', false, '国庆节', true),
    ('2004-10-05', false, '国庆节', true),
    ('2004-10-06', false, '国庆节', true),
    ('2004-10-07', false, '国庆节', true),
    ('2004-10-09', true, '国庆节调休上班', true),
    ('2004-10-10', true, '国庆节调休上班', true),
    ('2005-01-01', false, '元旦', true),
    ('2005-01-02', false, '元旦', true),
    ('2005-01-03', false, '元旦', true),
    ('2005-02-05', true, '春节调休上班', true),
    ('2005-02-06', true, '春节调休上班', true),
    ('2005-02-09', false, '春节', true),
    ('2005-02-10', false, '春节', true),
    ('2005-02-11', false, '春节', true),
    ('2005-02-12', false, '春节', true),
    ('2005-02-13', false, '春节', true),
    ('2005-02-14', false, '春节', true),
    ('2005-02-15', false, '春节', true),
    ('2005-04-30', true, '劳动节调休上班', true),
    ('2005-05-01', false, '劳动节', true),
    ('2005-05-02', false, '劳动节', true),
    ('2005-05-03', false, '劳动节', true),
    ('2005-05-04', false, '劳动节', true),
    ('2005-05-05', false, '劳动节', true),
    ('2005-05-06', false, '劳动节', true),
    ('2005-05-07', false, '劳动节', true),
    ('2005-05-08', true, '劳动节调休上班', true),
    ('2005-10-01', false, '国庆节', true),
    ('2005-10-02', false, '国庆节', true),
    ('2005-10-03', false, '国庆节', true),
    ('2005-10-04', false, '国庆节', true),
    ('2005-10-05', false, '国庆节', true),
    ('2005-10-06', false, '国庆节', true),
    ('2005-10-07', false, '国庆节', true),
    ('2005-10-08', true, '国庆节调休上班', true),
    ('2005-10-09', true, '国庆节调休上班', true),
    ('2006-01-01', false, '元旦', true),
    ('2006-01-02', false, '元旦', true),
    ('2006-01-03', false, '元旦', true),
    ('2006-01-28', true, '春节调休上班', true),
    ('2006-01-29', false, '春节', true),
    ('2006-01-30', false, '春节', true),
    ('2006-01-31', false, '春节', true),
    ('2006-02-01', false, '春节', true),
    ('2006-02-02', false, '春节', true),
    ('2006-02-03', false, '春节', true),
    ('2006-02-04', false, '春节', true),
    ('2006-02-05', true, '春节调休上班', true),
    ('2006-04-29', true, '劳动节调休上班', true),
    ('2006-04-30', true, '劳动节调休上班', true),
    ('2006-05-01', false, '劳动节', true),
    ('2006-05-02', false, '劳动节', true),
    ('2006-05-03', false, '劳动节', true),
    ('2006-05-04', false, '劳动节', true),
    ('2006-05-05', false, '劳动节', true),
    ('2006-05-06', false, '劳动节', true),
    ('2006-05-07', false, '劳动节', true),
    ('2006-09-30', true, '国庆节调休上班', true),
    ('2006-10-01', false, '国庆节', true),
    ('2006-10-02', false, '国庆节', true),
    ('2006-10-03', false, '国庆节', true),
    ('2006-10-04', false, '国庆节', true),
    ('2006-10-05', false, '国庆节', true),
    ('2006-10-06', false, '国庆节', true),
    ('2006-10-07', false, '国庆节', true),
    ('2006-10-08', true, '国庆节调休上班', true),
    ('2006-12-30', true, '元旦调休上班', true),
    ('2006-12-31', true, '元旦调休上班', true),
    ('2007-01-01', false, '元旦', true),
    ('2007-01-02', false, '元旦', true),
    ('2007-01-03', false, '元旦', true),
    ('2007-02-17', true, '春节调休上班', true),
    ('2007-02-18', false, '春节', true),
    ('2007-02-19', false, '春节', true),
    ('2007-02-20', false, '春节', true),
    ('2007-02-21', false, '春节', true),
    ('2007-02-22', false, '春节', true),
    ('2007-02-23', false, '春节', true),
    ('2007-02-24', false, '春节', true),
    ('2007-02-25', true, '春节调休上班', true),
    ('2007-04-28', true, '劳动节调休上班', true),
    ('2007-04-29', true, '劳动节调休上班', true),
    ('2007-05-01', false, '劳动节', true),
    ('2007-05-02', false, '劳动节', true),
    ('2007-05-03', false, '劳动节', true),
    ('2007-05-04', false, '劳动节', true),
    ('2007-05-05', false, '劳动节', true),
    ('2007-05-06', false, '劳动节', true),
    ('2007-05-07', false, '劳动节', true),
    ('2007-09-29', true, '国庆节调休上班', true),
    ('2007-09-30', true, '国庆节调休上班', true),
    ('2007-10-01', false, '国庆节', true),
    ('2007-10-02', false, '国庆节', true),
    ('2007-10-03', false, '国庆节', true),
    ('2007-10-04', false, '国庆节', true),
    ('2007-10-05', false, '国庆节', true),
    ('2007-10-06', false, '国庆节', true),
    ('2007-10-07', false, '国庆节', true),
    ('2007-12-29', true, '元旦调休上班', true),
    ('2007-12-30', false, '元旦', true),
    ('2007-12-31', false, '元旦', true),
    ('2008-01-01', false, '元旦', true),
    ('2008-02-02', true, '春节调休上班', true),
    ('2008-02-03', true, '春节调休上班', true),
    ('2008-02-06', false, '春节', true),
    ('2008-02-07', false, '春节', true),
    ('2008-02-08', false, '春节', true),
    ('2008-02-09', false, '春节', true),
    ('2008-02-10', false, '春节', true),
    ('2008-02-11', false, '春节', true),
    ('2008-02-12', false, '春节', true),
    ('2008-04-04', false, '清明', true),
    ('2008-04-05', false, '清明', true),
    ('2008-04-06', false, '清明', true),
    ('2008-05-01', false, '劳动节', true),
    ('2008-05-02', false, '劳动节', true),
    ('2008-05-03', false, '劳动节', true),
    ('2008-05-04', true, '劳动节调休上班', true),
    ('2008-06-07', false, '端午', true),
    ('2008-06-08', false, '端午', true),
    ('2008-06-09', false, '端午', true),
    ('2008-09-13', false, '中秋', true),
    ('2008-09-14', false, '中秋', true),
    ('2008-09-15', false, '中秋', true),
    ('2008-09-27', true, '国庆节调休上班', true),
    ('2008-09-28', true, '国庆节调休上班', true),
    ('2008-09-29', false, '国庆节', true),
    ('2008-09-30', false, '国庆节', true),
    ('2008-10-01', false, '国庆节', true),
    ('2008-10-02', false, '国庆节', true),
    ('2008-10-03', false, '国庆节', true),
    ('2008-10-04', false, '国庆节', true),
    ('2008-10-05', false, '国庆节', true),
    ('2009-01-01', false, '元旦', true),
    ('2009-01-02', false, '元旦', true),
    ('2009-01-03', false, '元旦', true),
    ('2009-01-04', true, '元旦调休上班', true),
    ('2009-01-24', true, '春节调休上班', true),
    ('2009-01-25', false, '春节', true),
    ('2009-01-26', false, '春节', true),
    ('2009-01-27', false, '春节', true),
    ('2009-01-28', false, '春节', true),
    ('2009-01-29', false, '春节', true),
    ('2009-01-30', false, '春节', true),
    ('2009-01-31', false, '春节', true),
    ('2009-02-01', true, '春节调休上班', true),
    ('2009-04-04', false, '清明', true),
    ('2009-04-05', false, '清明', true),
    ('2009-04-06', false, '清明', true),
    ('2009-05-01', false, '劳动节', true),
    ('2009-05-02', false, '劳动节', true),
    ('2009-05-03', false, '劳动节', true),
    ('2009-05-28', false, '端午', true),
    ('2009-05-29', false, '端午', true),
    ('2009-05-30', false, '端午', true),
    ('2009-05-31', true, '端午调休上班', true),
    ('2009-09-27', true, '国庆节调休上班', true),
    ('2009-10-01', false, '国庆节', true),
    ('2009-10-02', false, '国庆节', true),
    ('2009-10-03', false, '中秋', true),
    ('2009-10-04', false, '国庆节', true),
    ('2009-10-05', false, '国庆节', true),
    ('2009-10-06', false, '国庆节', true),
    ('2009-10-07', false, '国庆节', true),
    ('2009-10-08', false, '国庆节', true),
    ('2009-10-10', true, '国庆节调休上班', true),
    ('2010-01-01', false, '元旦', true),
    ('2010-01-02', false, '元旦', true),
    ('2010-01-03', false, '元旦', true),
    ('2010-02-13', false, '春节', true),
    ('2010-02-14', false, '春节', true),
    ('2010-02-15', false, '春节', true),
    ('2010-02-16', false, '春节', true),
    ('2010-02-17', false, '春节', true),
    ('2010-02-18', false, '春节', true),
    ('2010-02-19', false, '春节', true),
    ('2010-02-20', true, '春节调休上班', true),
    ('2010-02-21', true, '春节调休上班', true),
    ('2010-04-03', false, '清明', true),
    ('2010-04-04', false, '清明', true),
    ('2010-04-05', false, '清明', true),
    ('2010-05-01', false, '劳动节', true),
    ('2010-05-02', false, '劳动节', true),
    ('2010-05-03', false, '劳动节', true),
    ('2010-06-12', true, '端午调休上班', true),
    ('2010-06-13', true, '端午调休上班', true),
    ('2010-06-14', false, '端午', true),
    ('2010-06-15', false, '端午', true),
    ('2010-06-16', false, '端午', true),
    ('2010-09-19', true, '中秋调休上班', true),
    ('2010-09-22', false, '中秋', true),
    ('2010-09-23', false, '中秋', true),
    ('2010-09-24', false, '中秋', true),
    ('2010-09-25', true, '中秋调休上班', true),
    ('2010-09-26', true, '国庆节调休上班', true),
    ('2010-10-01', false, '国庆节', true),
    ('2010-10-02', false, '国庆节', true),
    ('2010-10-03', false, '国庆节', true),
    ('2010-10-04', false, '国庆节', true),
    ('2010-10-05', false, '国庆节', true),
    ('2010-10-06', false, '国庆节', true),
    ('2010-10-07', false, '国庆节', true),
    ('2010-10-09', true, '国庆节调休上班', true),
    ('2011-01-01', false, '元旦', true),
    ('2011-01-02', false, '元旦', true),
    ('2011-01-03', false, '元旦', true),
    ('2011-01-30', true, '春节调休上班', true),
    ('2011-02-02', false, '春节', true),
    ('2011-02-03', false, '春节', true),
    ('2011-02-04', false, '春节', true),
    ('2011-02-05', false, '春节', true),
    ('2011-02-06', false, '春节', true),
    ('2011-02-07', false, '春节', true),
    ('2011-02-08', false, '春节', true),
    ('2011-02-12', true, '春节调休上班', true),
    ('2011-04-02', true, '清明调休上班', true),
    ('2011-04-03', false, '清明', true),
    ('2011-04-04', false, '清明', true),
    ('2011-04-05', false, '清明', true),
    ('2011-04-30', false, '劳动节', true),
    ('2011-05-01', false, '劳动节', true),
    ('2011-05-02', false, '劳动节', true),
    ('2011-06-04', false, '端午', true),
    ('2011-06-06', false, '端午', true),
    ('2011-09-10', false, '中秋', true),
    ('2011-09-11', false, '中秋', true),
    ('2011-09-12', false, '中秋', true),
    ('2011-10-01', false, '国庆节', true),
    ('2011-10-02', false, '国庆节', true),
    ('2011-10-03', false, '国庆节', true),
    ('2011-10-04', false, '国庆节', true),
    ('2011-10-05', false, '国庆节', true),
    ('2011-10-06', false, '国庆节', true),
    ('2011-10-07', false, '国庆节', true),
    ('2011-10-08', true, '国庆节调休上班', true),
    ('2011-10-09', true, '国庆节调休上班', true),
    ('2011-12-31', true, '元旦调休上班', true),
    ('2012-01-01', false, '元旦', true),
    ('2012-01-02', false, '元旦', true),
    ('2012-01-03', false, '元旦', true),
    ('2012-01-21', true, '春节调休上班', true),
    ('2012-01-22', false, '春节', true),
    ('2012-01-23', false, '春节', true),
    ('2012-01-24', false, '春节', true),
    ('2012-01-25', false, '春节', true),
    ('2012-01-26', false, '春节', true),
    ('2012-01-27', false, '春节', true),
    ('2012-01-28', false, '春节', true),
    ('2012-01-29', true, '春节调休上班', true),
    ('2012-03-31', true, '清明调休上班', true),
    ('2012-04-01', true, '清明调休上班', true),
    ('2012-04-02', false, '清明', true),
    ('2012-04-03', false, '清明', true),
    ('2012-04-04', false, '清明', true),
    ('2012-04-28', true, '劳动节调休上班', true),
    ('2012-04-29', false, '劳动节', true),
    ('2012-04-30', false, '劳动节', true),
    ('2012-05-01', false, '劳动节', true),
    ('2012-06-22', false, '端午', true),
    ('2012-06-24', false, '端午', true),
    ('2012-09-29', true, '国庆节调休上班', true),
    ('2012-09-30', false, '中秋', true),
    ('2012-10-01', false, '国庆节', true),
    ('2012-10-02', false, '国庆节', true),
    ('2012-10-03', false, '国庆节', true),
    ('2012-10-04', false, '国庆节', true),
    ('2012-10-05', false, '国庆节', true),
    ('2012-10-06', false, '国庆节', true),
    ('2012-10-07', false, '国庆节', true),
    ('2013-01-01', false, '元旦', true),
    ('2013-01-02', false, '元旦', true),
    ('2013-01-03', false, '元旦', true),
    ('2013-01-05', true, '元旦调休上班', true),
    ('2013-01-06', true, '元旦调休上班', true),
    ('2013-02-09', false, '春节', true),
    ('2013-02-10', false, '春节', true),
    ('2013-02-11', false, '春节', true),
    ('2013-02-12', false, '春节', true),
    ('2013-02-13', false, '春节', true),
    ('2013-02-14', false, '春节', true),
    ('2013-02-15', false, '春节', true),
    ('2013-02-16', true, '春节调休上班', true),
    ('2013-02-17', true, '春节调休上班', true),
    ('2013-04-04', false, '清明', true),
    ('2013-04-05', false, '清明', true),
    ('2013-04-06', false, '清明', true),
    ('2013-04-07', true, '清明调休上班', true),
    ('2013-04-27', true, '劳动节调休上班', true),
    ('2013-04-28', true, '劳动节调休上班', true),
    ('2013-04-29', false, '劳动节', true),
    ('2013-04-30', false, '劳动节', true),
    ('2013-05-01', false, '劳动节', true),
    ('2013-06-08', true, '端午调休上班', true),
    ('2013-06-09', true, '端午调休上班', true),
    ('2013-06-10', false, '端午', true),
    ('2013-06-11', false, '端午', true),
    ('2013-06-12', false, '端午', true),
    ('2013-09-19', false, '中秋', true),
    ('2013-09-20', false, '中秋', true),
    ('2013-09-21', false, '中秋', true),
    ('2013-09-22', true, '中秋调休上班', true),
    ('2013-09-29', true, '国庆节调休上班', true),
    ('2013-10-01', false, '国庆节', true),
    ('2013-10-02', false, '国庆节', true),
    ('2013-10-03', false, '国庆节', true),
    ('2013-10-04', false, '国庆节', true),
    ('2013-10-05', false, '国庆节', true),
    ('2013-10-06', false, '国庆节', true),
    ('2013-10-07', false, '国庆节', true),
    ('2013-10-12', true, '国庆节调休上班', true),
    ('2014-01-01', false, '元旦', true),
    ('2014-01-26', true, '春节调休上班', true),
    ('2014-01-31', false, '春节', true),
    ('2014-02-01', false, '春节', true),
    ('2014-02-02', false, '春节', true),
    ('2014-02-03', false, '春节', true),
    ('2014-02-04', false, '春节', true),
    ('2014-02-05', false, '春节', true),
    ('2014-02-06', false, '春节', true),
    ('2014-02-08', true, '春节调休上班', true),
    ('2014-04-05', false, '清明', true),
    ('2014-04-06', false, '清明', true),
    ('2014-04-07', false, '清明', true),
    ('2014-05-01', false, '劳动节', true),
    ('2014-05-02', false, '劳动节', true),
    ('2014-05-03', false, '劳动节', true),
    ('2014-05-04', true, '劳动节调休上班', true),
    ('2014-06-02', false, '端午', true),
    ('2014-09-08', false, '中秋', true),
    ('2014-09-28', true, '国庆节调休上班', true),
    ('2014-10-01', false, '国庆节', true),
    ('2014-10-02', false, '国庆节', true),
    ('2014-10-03', false, '国庆节', true),
    ('2014-10-04', false, '国庆节', true),
    ('2014-10-05', false, '国庆节', true),
    ('2014-10-06', false, '国庆节', true),
    ('2014-10-07', false, '国庆节', true),
    ('2014-10-11', true, '国庆节调休上班', true),
    ('2015-01-01', false, '元旦', true),
    ('2015-01-02', false, '元旦', true),
    ('2015-01-03', false, '元旦', true),
    ('2015-01-04', true, '元旦调休上班', true),
    ('2015-02-15', true, '春节调休上班', true),
    ('2015-02-18', false, '春节', true),
    ('2015-02-19', false, '春节', true),
    ('2015-02-20', false, '春节', true),
    ('2015-02-21', false, '春节', true),
    ('2015-02-22', false, '春节', true),
    ('2015-02-23', false, '春节', true),
    ('2015-02-24', false, '春节', true),
    ('2015-02-28', true, '春节调休上班', true),
    ('2015-04-05', false, '清明', true),
    ('2015-04-06', false, '清明', true),
    ('2015-05-01', false, '劳动节', true),
    ('2015-06-20', false, '端午', true),
    ('2015-06-22', false, '端午', true),
    ('2015-09-03', false, '中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日', true),
    ('2015-09-04', false, '中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日', true),
    ('2015-09-06', true, '中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日调休上班', true),
    ('2015-09-27', false, '中秋', true),
    ('2015-10-01', false, '国庆节', true),
    ('2015-10-02', false, '国庆节', true),
    ('2015-10-03', false, '国庆节', true),
    ('2015-10-04', false, '国庆节', true),
    ('2015-10-05', false, '国庆节', true),
    ('2015-10-06', false, '国庆节', true),
    ('2015-10-07', false, '国庆节', true),
    ('2015-10-10', true, '国庆节调休上班', true),
    ('2016-01-01', false, '元旦', true),
    ('2016-02-06', true, '春节调休上班', true),
    ('2016-02-07', false, '春节', true),
    ('2016-02-08', false, '春节', true),
    ('2016-02-09', false, '春节', true),
    ('2016-02-10', false, '春节', true),
    ('2016-02-11', false, '春节', true),
    ('2016-02-12', false, '春节', true),
    ('2016-02-13', false, '春节', true),
    ('2016-02-14', true, '春节调休上班', true),
    ('2016-04-04', false, '清明', true),
    ('2016-05-01', false, '劳动节', true),
    ('2016-05-02', false, '劳动节', true),
    ('2016-06-09', false, '端午', true),
    ('2016-06-10', false, '端午', true),
    ('2016-06-11', false, '端午', true),
    ('2016-06-12', true, '端午调休上班', true),
    ('2016-09-15', false, '中秋', true),
    ('2016-09-16', false, '中秋', true),
    ('2016-09-17', false, '中秋', true),
    ('2016-09-18', true, '中秋调休上班', true),
    ('2016-10-01', false, '国庆节', true),
    ('2016-10-02', false, '国庆节', true),
    ('2016-10-03', false, '国庆节', true),
    ('2016-10-04', false, '国庆节', true),
    ('2016-10-05', false, '国庆节', true),
    ('2016-10-06', false, '国庆节', true),
    ('2016-10-07', false, '国庆节', true),
    ('2016-10-08', true, '国庆节调休上班', true),
    ('2016-10-09', true, '国庆节调休上班', true),
    ('2017-01-01', false, '元旦', true),
    ('2017-01-02', false, '元旦', true),
    ('2017-01-22', true, '春节调休上班', true),
    ('2017-01-27', false, '春节', true),
    ('2017-01-28', false, '春节', true),
    ('2017-01-29', false, '春节', true),
    ('2017-01-30', false, '春节', true),
    ('2017-01-31', false, '春节', true),
    ('2017-02-01', false, '春节', true),
    ('2017-02-02', false, '春节', true),
    ('2017-02-04', true, '春节调休上班', true),
    ('2017-04-01', true, '清明调休上班', true),
    ('2017-04-02', false, '清明', true),
    ('2017-04-03', false, '清明', true),
    ('2017-04-04', false, '清明', true),
    ('2017-05-01', false, '劳动节', true),
    ('2017-05-27', true, '端午调休上班', true),
    ('2017-05-28', false, '端午', true),
    ('2017-05-29', false, '端午', true),
    ('2017-05-30', false, '端午', true),
    ('2017-09-30', true, '国庆节调休上班', true),
    ('2017-10-01', false, '国庆节', true),
    ('2017-10-02', false, '国庆节', true),
    ('2017-10-03', false, '国庆节', true),
    ('2017-10-04', false, '中秋', true),
    ('2017-10-05', false, '国庆节', true),
    ('2017-10-06', false, '国庆节', true),
    ('2017-10-07', false, '国庆节', true),
    ('2017-10-08', false, '国庆节', true),
    ('2018-01-01', false, '元旦', true),
    ('2018-02-11', true, '春节调休上班', true),
    ('2018-02-15', false, '春节', true),
    ('2018-02-16', false, '春节', true),
    ('2018-02-17', false, '春节', true),
    ('2018-02-18', false, '春节', true),
    ('2018-02-19', false, '春节', true),
    ('2018-02-20', false, '春节', true),
    ('2018-02-21', false, '春节', true),
    ('2018-02-24', true, '春节调休上班', true),
    ('2018-04-05', false, '清明', true),
    ('2018-04-06', false, '清明', true),
    ('2018-04-07', false, '清明', true),
    ('2018-04-08', true, '清明调休上班', true),
    ('2018-04-28', true, '劳动节调休上班', true),
    ('2018-04-29', false, '劳动节', true),
    ('2018-04-30', false, '劳动节', true),
    ('2018-05-01', false, '劳动节', true),
    ('2018-06-18', false, '端午', true),
    ('2018-09-24', false, '中秋', true),
    ('2018-09-29', true, '国庆节调休上班', true),
    ('2018-09-30', true, '国庆节调休上班', true),
    ('2018-10-01', false, '国庆节', true),
    ('2018-10-02', false, '国庆节', true),
    ('2018-10-03', false, '国庆节', true),
    ('2018-10-04', false, '国庆节', true),
    ('2018-10-05', false, '国庆节', true),
    ('2018-10-06', false, '国庆节', true),
    ('2018-10-07', false, '国庆节', true),
    ('2018-12-29', true, '元旦调休上班', true),
    ('2018-12-30', false, '元旦', true),
    ('2018-12-31', false, '元旦', true),
    ('2019-01-01', false, '元旦', true),
    ('2019-02-02', true, '春节调休上班', true),
    ('2019-02-03', true, '春节调休上班', true),
    ('2019-02-04', false, '春节', true),
    ('2019-02-05', false, '春节', true),
    ('2019-02-06', false, '春节', true),
    ('2019-02-07', false, '春节', true),
    ('2019-02-08', false, '春节', true),
    ('2019-02-09', false, '春节', true),
    ('2019-02-10', false, '春节', true),
    ('2019-04-05', false, '清明', true),
    ('2019-04-06', false, '清明', true),
    ('2019-04-07', false, '清明', true),
    ('2019-04-28', true, '劳动节调休上班', true),
    ('2019-05-01', false, '劳动节', true),
    ('2019-05-02', false, '劳动节', true),
    ('2019-05-03', false, '劳动节', true),
    ('2019-05-04', false, '劳动节', true),
    ('2019-05-05', true, '劳动节调休上班', true),
    ('2019-06-07', false, '端午', true),
    ('2019-06-08', false, '端午', true),
    ('2019-06-09', false, '端午', true),
    ('2019-09-13', false, '中秋', true),
    ('2019-09-14', false, '中秋', true),
    ('2019-09-15', false, '中秋', true),
    ('2019-09-29', true, '国庆节调休上班', true),
    ('2019-10-01', false, '国庆节', true),
    ('2019-10-02', false, '国庆节', true),
    ('2019-10-03', false, '国庆节', true),
    ('2019-10-04', false, '国庆节', true),
    ('2019-10-05', false, '国庆节', true),
    ('2019-10-06', false, '国庆节', true),
    ('2019-10-07', false, '国庆节', true),
    ('2019-10-12', true, '国庆节调休上班', true),
    ('2020-01-01', false, '元旦', true),
    ('2020-01-19', true, '春节调休上班', true),
    ('2020-01-24', false, '春节', true),
    ('2020-01-25', false, '春节', true),
    ('2020-01-26', false, '春节', true),
    ('2020-01-27', false, '春节', true),
    ('2020-01-28', false, '春节', true),
    ('2020-01-29', false, '春节', true),
    ('2020-01-30', false, '春节', true),
    ('2020-01-31', false, '春节', true),
    ('2020-02-01', false, '春节', true),
    ('2020-02-02', false, '春节', true),
    ('2020-04-04', false, '清明', true),
    ('2020-04-05', false, '清明', true),
    ('2020-04-06', false, '清明', true),
    ('2020-04-26', true, '劳动节调休上班', true),
    ('2020-05-01', false, '劳动节', true),
    ('2020-05-02', false, '劳动节', true),
    ('2020-05-03', false, '劳动节', true),
    ('2020-05-04', false, '劳动节', true),
    ('2020-05-05', false, '劳动节', true),
    ('2020-05-09', true, '劳动节调休上班', true),
    ('2020-06-25', false, '端午', true),
    ('2020-06-26', false, '端午', true),
    ('2020-06-27', false, '端午', true),
    ('2020-06-28', true, '端午调休上班', true),
    ('2020-09-27', true, '国庆节调休上班', true),
    ('2020-10-01', false, '国庆节', true),
    ('2020-10-02', false, '国庆节', true),
    ('2020-10-03', false, '国庆节', true),
    ('2020-10-04', false, '国庆节', true),
    ('2020-10-05', false, '国庆节', true),
    ('2020-10-06', false, '国庆节', true),
    ('2020-10-07', false, '国庆节', true),
    ('2020-10-08', false, '国庆节', true),
    ('2020-10-10', true, '国庆节调休上班', true),
    ('2021-01-01', false, '元旦', true),
    ('2021-01-02', false, '元旦', true),
    ('2021-01-03', false, '元旦', true),
    ('2021-02-07', true, '春节调休上班', true),
    ('2021-02-11', false, '春节', true),
    ('2021-02-12', false, '春节', true),
    ('2021-02-13', false, '春节', true),
    ('2021-02-14', false, '春节', true),
    ('2021-02-15', false, '春节', true),
    ('2021-02-16', false, '春节', true),
    ('2021-02-17', false, '春节', true),
    ('2021-02-20', true, '春节调休上班', true),
    ('2021-04-03', false, '清明', true),
    ('2021-04-04', false, '清明', true),
    ('2021-04-05', false, '清明', true),
    ('2021-04-25', true, '劳动节调休上班', true),
    ('2021-05-01', false, '劳动节', true),
    ('2021-05-02', false, '劳动节', true),
    ('2021-05-03', false, '劳动节', true),
    ('2021-05-04', false, '劳动节', true),
    ('2021-05-05', false, '劳动节', true),
    ('2021-05-08', true, '劳动节调休上班', true),
    ('2021-06-12', false, '端午', true),
    ('2021-06-13', false, '端午', true),
    ('2021-06-14', false, '端午', true),
    ('2021-09-18', true, '中秋调休上班', true),
    ('2021-09-19', false, '中秋', true),
    ('2021-09-20', false, '中秋', true),
    ('2021-09-21', false, '中秋', true),
    ('2021-09-26', true, '国庆节调休上班', true),
    ('2021-10-01', false, '国庆节', true),
    ('2021-10-02', false, '国庆节', true),
    ('2021-10-03', false, '国庆节', true),
    ('2021-10-04', false, '国庆节', true),
    ('2021-10-05', false, '国庆节', true),
    ('2021-10-06', false, '国庆节', true),
    ('2021-10-07', false, '国庆节', true),
    ('2021-10-09', true, '国庆节调休上班', true),
    ('2022-01-01', false, '元旦', true),
    ('2022-01-02', false, '元旦', true),
    ('2022-01-03', false, '元旦', true),
    ('2022-01-29', true, '春节调休上班', true),
    ('2022-01-30', true, '春节调休上班', true),
    ('2022-01-31', false, '春节', true),
    ('2022-02-01', false, '春节', true),
    ('2022-02-02', false, '春节', true),
    ('2022-02-03', false, '春节', true),
    ('2022-02-04', false, '春节', true),
    ('2022-02-05', false, '春节', true),
    ('2022-02-06', false, '春节', true),
    ('2022-04-02', true, '清明调休上班', true),
    ('2022-04-03', false, '清明', true),
    ('2022-04-04', false, '清明', true),
    ('2022-04-05', false, '清明', true),
    ('2022-04-24', true, '劳动节调休上班', true),
    ('2022-04-30', false, '劳动节', true),
    ('2022-05-01', false, '劳动节', true),
    ('2022-05-02', false, '劳动节', true),
    ('2022-05-03', false, '劳动节', true),
    ('2022-05-04', false, '劳动节', true),
    ('2022-05-07', true, '劳动节调休上班', true),
    ('2022-06-03', false, '端午', true),
    ('2022-06-04', false, '端午', true),
    ('2022-06-05', false, '端午', true),
    ('2022-09-10', false, '中秋', true),
    ('2022-09-11', false, '中秋', true),
    ('2022-09-12', false, '中秋', true),
    ('2022-10-01', false, '国庆节', true),
    ('2022-10-02', false, '国庆节', true),
    ('2022-10-03', false, '国庆节', true),
    ('2022-10-04', false, '国庆节', true),
    ('2022-10-05', false, '国庆节', true),
    ('2022-10-06', false, '国庆节', true),
    ('2022-10-07', false, '国庆节', true),
    ('2022-10-08', true, '国庆节调休上班', true),
    ('2022-10-09', true, '国庆节调休上班', true),
    ('2022-12-31', false, '元旦', true),
    ('2023-01-01', false, '元旦', true),
    ('2023-01-02', false, '元旦', true),
    ('2023-01-21', false, '春节', true),
    ('2023-01-22', false, '春节', true),
    ('2023-01-23', false, '春节', true),
    ('2023-01-24', false, '春节', true),
    ('2023-01-25', false, '春节', true),
    ('2023-01-26', false, '春节', true),
    ('2023-01-27', false, '春节', true),
    ('2023-01-28', true, '春节调休上班', true),
    ('2023-01-29', true, '春节调休上班', true),
    ('2023-04-05', false, '清明', true),
    ('2023-04-23', true, '劳动节调休上班', true),
    ('2023-04-29', false, '劳动节', true),
    ('2023-04-30', false, '劳动节', true),
    ('2023-05-01', false, '劳动节', true),
    ('2023-05-02', false, '劳动节', true),
    ('2023-05-03', false, '劳动节', true),
    ('2023-05-06', true, '劳动节调休上班', true),
    ('2023-06-22', false, '端午', true),
    ('2023-06-23', false, '端午', true),
    ('2023-06-24', false, '端午', true),
    ('2023-06-25', true, '端午调休上班', true),
    ('2023-09-29', false, '中秋', true),
    ('2023-09-30', false, '国庆节', true),
    ('2023-10-01', false, '国庆节', true),
    ('2023-10-02', false, '国庆节', true),
    ('2023-10-03', false, '国庆节', true),
    ('2023-10-04', false, '国庆节', true),
    ('2023-10-05', false, '国庆节', true),
    ('2023-10-06', false, '国庆节', true),
    ('2023-10-07', true, '国庆节调休上班', true),
    ('2023-10-08', true, '国庆节调休上班', true),
    ('2024-01-01', false, '元旦', true),
    ('2024-02-04', true, '春节调休上班', true),
    ('2024-02-10', false, '春节', true),
    ('2024-02-11', false, '春节', true),
    ('2024-02-12', false, '春节', true),
    ('2024-02-13', false, '春节', true),
    ('2024-02-14', false, '春节', true),
    ('2024-02-15', false, '春节', true),
    ('2024-02-16', false, '春节', true),
    ('2024-02-17', false, '春节', true),
    ('2024-02-18', true, '春节调休上班', true),
    ('2024-04-04', false, '清明', true),
    ('2024-04-05', false, '清明', true),
    ('2024-04-06', false, '清明', true),
    ('2024-04-07', true, '清明调休上班', true),
    ('2024-04-28', true, '劳动节调休上班', true),
    ('2024-05-01', false, '劳动节', true),
    ('2024-05-02', false, '劳动节', true),
    ('2024-05-03', false, '劳动节', true),
    ('2024-05-04', false, '劳动节', true),
    ('2024-05-05', false, '劳动节', true),
    ('2024-05-11', true, '劳动节调休上班', true),
    ('2024-06-10', false, '端午', true),
    ('2024-09-14', true, '中秋调休上班', true),
    ('2024-09-15', false, '中秋', true),
    ('2024-09-16', false, '中秋', true),
    ('2024-09-17', false, '中秋', true),
    ('2024-09-29', true, '国庆节调休上班', true),
    ('2024-10-01', false, '国庆节', true),
    ('2024-10-02', false, '国庆节', true),
    ('2024-10-03', false, '国庆节', true),
    ('2024-10-04', false, '国庆节', true),
    ('2024-10-05', false, '国庆节', true),
    ('2024-10-06', false, '国庆节', true),
    ('2024-10-07', false, '国庆节', true),
    ('2024-10-12', true, '国庆节调休上班', true),
    ('2025-01-01', false, '元旦', true),
    ('2025-01-26', true, '春节调休上班', true),
    ('2025-01-28', false, '春节', true),
    ('2025-01-29', false, '春节', true),
    ('2025-01-30', false, '春节', true),
    ('2025-01-31', false, '春节', true),
    ('2025-02-01', false, '春节', true),
    ('2025-02-02', false, '春节', true),
    ('2025-02-03', false, '春节', true),
    ('2025-02-04', false, '春节', true),
    ('2025-02-08', true, '春节调休上班', true),
    ('2025-04-04', false, '清明', true),
    ('2025-04-05', false, '清明', true),
    ('2025-04-06', false, '清明', true),
    ('2025-04-27', true, '劳动节调休上班', true),
    ('2025-05-01', false, '劳动节', true),
    ('2025-05-02', false, '劳动节', true),
    ('2025-05-03', false, '劳动节', true),
    ('2025-05-04', false, '劳动节', true),
    ('2025-05-05', false, '劳动节', true),
    ('2025-05-31', false, '端午', true),
    ('2025-06-01', false, '端午', true),
    ('2025-06-02', false, '端午', true),
    ('2025-09-28', true, '国庆节调休上班', true),
    ('2025-10-01', false, '国庆节', true),
    ('2025-10-02', false, '国庆节', true),
    ('2025-10-03', false, '国庆节', true),
    ('2025-10-04', false, '国庆节', true),
    ('2025-10-05', false, '国庆节', true),
    ('2025-10-06', false, '中秋', true),
    ('2025-10-07', false, '国庆节', true),
    ('2025-10-08', false, '国庆节', true),
    ('2025-10-11', true, '国庆节调休上班', true),
    ('2026-01-01', false, '元旦', true),
    ('2026-01-02', false, '元旦', true),
    ('2026-01-03', false, '元旦', true),
    ('2026-01-04', true, '元旦调休上班', true),
    ('2026-02-14', true, '春节调休上班', true),
    ('2026-02-15', false, '春节', true),
    ('2026-02-16', false, '春节', true),
    ('2026-02-17', false, '春节', true),
    ('2026-02-18', false, '春节', true),
    ('2026-02-19', false, '春节', true),
    ('2026-02-20', false, '春节', true),
    ('2026-02-21', false, '春节', true),
    ('2026-02-22', false, '春节', true),
    ('2026-02-23', false, '春节', true),
    ('2026-02-28', true, '春节调休上班', true),
    ('2026-04-04', false, '清明', true),
    ('2026-04-05', false, '清明', true),
    ('2026-04-06', false, '清明', true),
    ('2026-05-01', false, '劳动节', true),
    ('2026-05-02', false, '劳动节', true),
    ('2026-05-03', false, '劳动节', true),
    ('2026-05-04', false, '劳动节', true),
    ('2026-05-05', false, '劳动节', true),
    ('2026-05-09', true, '劳动节调休上班', true),
    ('2026-06-19', false, '端午', true),
    ('2026-06-20', false, '端午', true),
    ('2026-06-21', false, '端午', true),
    ('2026-09-20', true, '国庆节调休上班', true),
    ('2026-09-25', false, '中秋', true),
    ('2026-09-26', false, '中秋', true),
    ('2026-09-27', false, '中秋', true),
    ('2026-10-01', false, '国庆节', true),
    ('2026-10-02', false, '国庆节', true),
    ('2026-10-03', false, '国庆节', true),
    ('2026-10-04', false, '国庆节', true),
    ('2026-10-05', false, '国庆节', true),
    ('2026-10-06', false, '国庆节', true),
    ('2026-10-07', false, '国庆节', true),
    ('2026-10-10', true, '国庆节调休上班', true);
