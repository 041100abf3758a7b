
------------------------------------------------------------------------
-- integrity, part 10 (schema): data model (SPEC 3; DOMAIN D2)
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
    ('objection_workdays', '5', true, 'D2.7a objection decided within 5 working days (default)'),
    ('calendar_missing_year', 'error', true,
     'D2.5 a working day in a year whose official schedule is not loaded: error (default), or weekends (count Monday-Friday, with a WARNING)');

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

-- D2.5: the years whose official schedule (国务院办公厅 notice) is loaded.
-- A working-day computation that needs another year is refused (or, by the
-- parameter calendar_missing_year, counted Monday-Friday with a WARNING):
-- a legal deadline is never silently wrong.  calendar_load() adds a year.
CREATE TABLE @extschema@.calendar_year (
    year       integer PRIMARY KEY CHECK (year BETWEEN 1949 AND 2999),
    source     text NOT NULL,
    loaded_at  timestamptz NOT NULL DEFAULT pg_catalog.now(),
    loaded_by  text NOT NULL DEFAULT session_user,
    seeded     boolean NOT NULL DEFAULT false
);
COMMENT ON TABLE @extschema@.calendar_year IS
    '日历年度 years whose official holiday schedule is loaded into calendar (D2.5); seeded 2004-2026, later years by calendar_load()';
COMMENT ON COLUMN @extschema@.calendar_year.year IS '年度 the calendar year';
COMMENT ON COLUMN @extschema@.calendar_year.source IS '来源 the notice the schedule comes from';
COMMENT ON COLUMN @extschema@.calendar_year.loaded_at IS '载入时间 when the schedule was loaded: deadlines computed before it may have missed its holidays';
COMMENT ON COLUMN @extschema@.calendar_year.loaded_by IS '载入人 who loaded it';
COMMENT ON COLUMN @extschema@.calendar_year.seeded IS 'shipped with the extension';

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
-- covering index: scoring and the lists read a subject's records, and the
-- lists every subject's (one pass in this order, src/lists.c), from the
-- index alone (index-only scans after VACUUM); 1.2 added the columns of
-- D3 rules and of the ranking's indicators (id, accident_level, deaths,
-- domain, publicity_until, published_on, publish_due, expired_on)
CREATE INDEX record_subject_idx ON @extschema@.record (origin, subject_id, decided_on)
    INCLUDE (category, kind, severity, confirmed_on, revoked_on, repaired_on,
             id, accident_level, deaths, domain, publicity_until, published_on, publish_due, expired_on);
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
