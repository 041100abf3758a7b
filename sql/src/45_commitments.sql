
------------------------------------------------------------------------
-- commitments: government commitments and arrears (DOMAIN D7) and the
-- civil servant's integrity file (DOMAIN D8).  See docs/DESIGN.md
-- ("Commitments, arrears and the integrity file").
--
-- The same text is the install part (sql/src/45_commitments.sql) and the
-- upgrade part (sql/upgrade/1.1--1.2/45_commitments.sql): every object is
-- new in 1.2.  It comes before 50_views because monitoring_ranking joins
-- the quarterly figures of commitment_quarter().
------------------------------------------------------------------------

-- D8.2: the personnel department reads integrity files and sets the yearly
-- assessments; it is no reader role (the file is never public).
DO $roles$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'integrity_personnel') THEN
        CREATE ROLE integrity_personnel NOLOGIN;
    END IF;
END
$roles$;
GRANT USAGE ON SCHEMA @extschema@ TO integrity_personnel;

-- D7.1-D7.3: the states of a commitment, D7.4 of arrears.  The legal
-- transitions are fixed in src/commitments_core.c and enforced by the C
-- trigger obligation_guard.
CREATE TYPE @extschema@.commitment_state AS ENUM ('open', 'fulfilled', 'overdue', 'broken', 'changed_lawfully');
COMMENT ON TYPE @extschema@.commitment_state IS
    '承诺状态: 待履行 open, 已践诺 fulfilled, 逾期 overdue, 毁约 broken, 依法变更 changed_lawfully (D7.2, D7.3)';
CREATE TYPE @extschema@.arrears_state AS ENUM ('open', 'overdue', 'broken', 'paid');
COMMENT ON TYPE @extschema@.arrears_state IS
    '欠款状态: 未到期 open, 逾期 overdue, 拖欠失信 broken (past the grace), 已清偿 paid (D7.4)';

-- D7.2, D7.4: the graces, in working days after the (moved) due date
INSERT INTO @extschema@.parameter (name, value, seeded, note) VALUES
    ('commitment_grace_workdays', '0', true, 'D7.2 a commitment not fulfilled within this many working days after its due date is broken (default 0)'),
    ('arrears_grace_workdays', '0', true, 'D7.4 arrears unpaid this many working days after the due date are a breach (default 0; migrant_wages have none)');

CREATE SEQUENCE @extschema@.commitment_id_seq;
CREATE SEQUENCE @extschema@.commitment_event_id_seq;
CREATE SEQUENCE @extschema@.arrears_id_seq;
CREATE SEQUENCE @extschema@.arrears_payment_id_seq;
CREATE SEQUENCE @extschema@.arrears_event_id_seq;
CREATE SEQUENCE @extschema@.personnel_id_seq;

-- D7.1: a public commitment of a government or department
CREATE TABLE @extschema@.commitment (
    origin            text NOT NULL,    -- checked through the subject's key
    id                bigint NOT NULL,
    subject_id        bigint NOT NULL,
    kind              text NOT NULL CHECK (kind IN ('service', 'policy', 'contract', 'environment', 'debt')),
    title             text NOT NULL,
    document_no       text NOT NULL,
    made_on           date NOT NULL,
    promised_due_on   date NOT NULL,
    due_on            date NOT NULL,
    state             @extschema@.commitment_state NOT NULL DEFAULT 'open',
    fulfilled_on      date,
    evidence          text,
    overdue_on        date,
    broken_on         date,
    breach_record_id  bigint,
    changed_on        date,
    legal_basis       text,
    compensation      text,
    created_at        timestamptz NOT NULL DEFAULT pg_catalog.now(),
    PRIMARY KEY (origin, id),
    FOREIGN KEY (origin, subject_id) REFERENCES @extschema@.subject (origin, id),
    -- breach_record_id: no FOREIGN KEY, which would make a TRUNCATE of
    -- record fail with 0A000 before its own guard refuses it (55000); the
    -- guard requires it and commitments_due sets it from record_add
    CHECK (promised_due_on >= made_on AND due_on >= promised_due_on)
);
CREATE INDEX commitment_subject_idx ON @extschema@.commitment (origin, subject_id, due_on);
CREATE INDEX commitment_due_idx ON @extschema@.commitment (origin, due_on) WHERE state IN ('open', 'overdue');
COMMENT ON TABLE @extschema@.commitment IS '政务承诺 public commitments of governments and departments, with their fulfilment, breach or lawful change (D7.1-D7.3)';
COMMENT ON COLUMN @extschema@.commitment.promised_due_on IS '承诺期限 the due date as the commitment states it';
COMMENT ON COLUMN @extschema@.commitment.due_on IS '履行期限 the due date moved to the next working day when it is a rest day or holiday (D7.2, 民法典 第二百零三条)';
COMMENT ON COLUMN @extschema@.commitment.breach_record_id IS '失信记录 the breach_of_contract record opened when the commitment was broken (D7.2)';

CREATE TABLE @extschema@.commitment_event (
    origin         text NOT NULL,
    id             bigint NOT NULL,
    commitment_id  bigint NOT NULL,
    event          text NOT NULL,
    from_state     @extschema@.commitment_state,
    to_state       @extschema@.commitment_state NOT NULL,
    at             timestamptz NOT NULL DEFAULT pg_catalog.now(),
    actor          text NOT NULL,
    reason         text,
    PRIMARY KEY (origin, id)
);
CREATE INDEX commitment_event_commitment_idx ON @extschema@.commitment_event (origin, commitment_id, id);
COMMENT ON TABLE @extschema@.commitment_event IS '承诺变更历史 append-only history of every step of a commitment';

-- D7.4: an obligation to pay, its payments and history
CREATE TABLE @extschema@.arrears (
    origin              text NOT NULL,
    id                  bigint NOT NULL,
    subject_id          bigint NOT NULL,
    kind                text NOT NULL CHECK (kind IN ('project_payment', 'migrant_wages', 'enterprise_account')),
    creditor            text NOT NULL,
    creditor_is_person  boolean NOT NULL,
    amount              numeric NOT NULL CHECK (amount > 0),
    document_no         text,
    promised_due_on     date NOT NULL,
    due_on              date NOT NULL CHECK (due_on >= promised_due_on),
    state               @extschema@.arrears_state NOT NULL DEFAULT 'open',
    overdue_on          date,
    broken_on           date,
    breach_record_id    bigint,
    paid_on             date,
    created_at          timestamptz NOT NULL DEFAULT pg_catalog.now(),
    PRIMARY KEY (origin, id),
    FOREIGN KEY (origin, subject_id) REFERENCES @extschema@.subject (origin, id)
    -- breach_record_id: no FOREIGN KEY (see commitment)
);
CREATE INDEX arrears_subject_idx ON @extschema@.arrears (origin, subject_id, due_on);
CREATE INDEX arrears_due_idx ON @extschema@.arrears (origin, due_on) WHERE state IN ('open', 'overdue');
COMMENT ON TABLE @extschema@.arrears IS '拖欠 obligations of governments and departments to pay: 工程款, 农民工工资, 企业账款 (D7.4)';
COMMENT ON COLUMN @extschema@.arrears.due_on IS '支付期限 the due date moved to the next working day when it is a rest day or holiday (D7.2, D7.4)';
COMMENT ON COLUMN @extschema@.arrears.creditor_is_person IS '债权人为自然人 the creditor is a natural person: masked in public (D1.4)';
COMMENT ON COLUMN @extschema@.arrears.paid_on IS '清偿日期 the date of the payment that settled the amount';

CREATE TABLE @extschema@.arrears_payment (
    origin       text NOT NULL,
    id           bigint NOT NULL,
    arrears_id   bigint NOT NULL,
    amount       numeric NOT NULL CHECK (amount > 0),
    paid_on      date NOT NULL,
    document_no  text,
    recorded_at  timestamptz NOT NULL DEFAULT pg_catalog.now(),
    actor        text NOT NULL DEFAULT session_user,
    PRIMARY KEY (origin, id),
    FOREIGN KEY (origin, arrears_id) REFERENCES @extschema@.arrears (origin, id)
);
CREATE INDEX arrears_payment_arrears_idx ON @extschema@.arrears_payment (origin, arrears_id, paid_on);
COMMENT ON TABLE @extschema@.arrears_payment IS '支付记录 payments of arrears, append-only; outstanding = amount - payments (D7.4)';

CREATE TABLE @extschema@.arrears_event (
    origin      text NOT NULL,
    id          bigint NOT NULL,
    arrears_id  bigint NOT NULL,
    event       text NOT NULL,
    from_state  @extschema@.arrears_state,
    to_state    @extschema@.arrears_state NOT NULL,
    at          timestamptz NOT NULL DEFAULT pg_catalog.now(),
    actor       text NOT NULL,
    reason      text,
    PRIMARY KEY (origin, id)
);
CREATE INDEX arrears_event_arrears_idx ON @extschema@.arrears_event (origin, arrears_id, id);
COMMENT ON TABLE @extschema@.arrears_event IS '欠款变更历史 append-only history of every step of an obligation to pay';

-- D8.1: the civil servant's integrity file (append-only; the newest row of
-- a year counts)
CREATE TABLE @extschema@.personal_report (
    origin       text NOT NULL,
    id           bigint NOT NULL,
    subject_id   bigint NOT NULL,
    year         integer NOT NULL,
    status       text NOT NULL CHECK (status IN ('on_time', 'late', 'not_filed')),
    filed_on     date,
    recorded_at  timestamptz NOT NULL DEFAULT pg_catalog.now(),
    actor        text NOT NULL DEFAULT session_user,
    PRIMARY KEY (origin, id),
    FOREIGN KEY (origin, subject_id) REFERENCES @extschema@.subject (origin, id),
    CHECK ((status = 'not_filed') = (filed_on IS NULL))
);
CREATE INDEX personal_report_subject_idx ON @extschema@.personal_report (origin, subject_id, year);
COMMENT ON TABLE @extschema@.personal_report IS '个人有关事项报告 yearly reports of personal matters: filed on time, late or not filed (D8.1); not public (D8.2)';

CREATE TABLE @extschema@.clean_record (
    origin       text NOT NULL,
    id           bigint NOT NULL,
    subject_id   bigint NOT NULL,
    kind         text NOT NULL,
    recorded_on  date NOT NULL,
    document_no  text,
    note         text,
    recorded_at  timestamptz NOT NULL DEFAULT pg_catalog.now(),
    actor        text NOT NULL DEFAULT session_user,
    PRIMARY KEY (origin, id),
    FOREIGN KEY (origin, subject_id) REFERENCES @extschema@.subject (origin, id)
);
CREATE INDEX clean_record_subject_idx ON @extschema@.clean_record (origin, subject_id, recorded_on);
COMMENT ON TABLE @extschema@.clean_record IS '廉政记录 clean-government records of civil servants: kind, date, document (D8.1); not public (D8.2)';

CREATE TABLE @extschema@.assessment (
    origin      text NOT NULL,
    id          bigint NOT NULL,
    subject_id  bigint NOT NULL,
    year        integer NOT NULL,
    grade       text NOT NULL CHECK (grade IN ('优秀', '称职', '基本称职', '不称职')),
    set_at      timestamptz NOT NULL DEFAULT pg_catalog.now(),
    actor       text NOT NULL DEFAULT session_user,
    PRIMARY KEY (origin, id),
    FOREIGN KEY (origin, subject_id) REFERENCES @extschema@.subject (origin, id)
);
CREATE INDEX assessment_subject_idx ON @extschema@.assessment (origin, subject_id, year, id);
COMMENT ON TABLE @extschema@.assessment IS '年度考核结果 yearly assessment grades of civil servants (D8.1); 优秀 refused when may_rate_excellent is false (D8.3); not public (D8.2)';

------------------------------------------------------------------------
-- the C triggers and helpers (src/commitments.c)
------------------------------------------------------------------------
CREATE FUNCTION @extschema@.obligation_guard() RETURNS trigger
    AS 'MODULE_PATHNAME' LANGUAGE C;
COMMENT ON FUNCTION @extschema@.obligation_guard() IS
    'trigger: legal transitions of commitments and arrears, the columns each state needs, no edit of content or of a closed row, no DELETE (D7)';
CREATE FUNCTION @extschema@.obligation_log() RETURNS trigger
    AS 'MODULE_PATHNAME' LANGUAGE C;
COMMENT ON FUNCTION @extschema@.obligation_log() IS
    'trigger: the history row of every step and the signed disclosure of making, fulfilling, breaking and changing a commitment (D7, SPEC 6)';
CREATE FUNCTION @extschema@._obligation_context(reason text, adding boolean) RETURNS void
    AS 'MODULE_PATHNAME', 'obligation_context' LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION @extschema@._obligation_context(text, boolean) IS
    'internal: the reason written to the next commitment_event / arrears_event rows, and whether the API is inserting';
CREATE FUNCTION @extschema@._due_step(kind text, state text, unpaid boolean, as_of date, due date, grace_end date)
    RETURNS text
    AS 'MODULE_PATHNAME', 'obligation_due_step_sql' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@._due_step(text, text, boolean, date, date, date) IS
    'internal: the next state the nightly job moves a commitment or arrears to on as_of (NULL: none), and the date of that step is _step_date (D7.2, D7.4)';
CREATE FUNCTION @extschema@._step_date(kind text, to_state text, due date, grace_end date) RETURNS date
    AS 'MODULE_PATHNAME', 'obligation_step_date_sql' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@._step_date(text, text, date, date) IS
    'internal: overdue from the day after the due date, broken from the day after the grace (D7.2)';

CREATE TRIGGER commitment_guard BEFORE INSERT OR UPDATE OR DELETE ON @extschema@.commitment
    FOR EACH ROW EXECUTE FUNCTION @extschema@.obligation_guard('commitment');
CREATE TRIGGER commitment_log AFTER INSERT OR UPDATE ON @extschema@.commitment
    FOR EACH ROW EXECUTE FUNCTION @extschema@.obligation_log('commitment');
CREATE TRIGGER arrears_guard BEFORE INSERT OR UPDATE OR DELETE ON @extschema@.arrears
    FOR EACH ROW EXECUTE FUNCTION @extschema@.obligation_guard('arrears');
CREATE TRIGGER arrears_log AFTER INSERT OR UPDATE ON @extschema@.arrears
    FOR EACH ROW EXECUTE FUNCTION @extschema@.obligation_log('arrears');
-- append-only everywhere, also for session_replication_role = replica (as
-- the record history in 60_replication.sql)
CREATE TRIGGER commitment_no_truncate BEFORE TRUNCATE ON @extschema@.commitment
    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.refuse_change();
CREATE TRIGGER arrears_no_truncate BEFORE TRUNCATE ON @extschema@.arrears
    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.refuse_change();
CREATE TRIGGER commitment_event_append_only BEFORE UPDATE OR DELETE ON @extschema@.commitment_event
    FOR EACH ROW EXECUTE FUNCTION @extschema@.refuse_change();
CREATE TRIGGER commitment_event_no_truncate BEFORE TRUNCATE ON @extschema@.commitment_event
    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.refuse_change();
CREATE TRIGGER arrears_event_append_only BEFORE UPDATE OR DELETE ON @extschema@.arrears_event
    FOR EACH ROW EXECUTE FUNCTION @extschema@.refuse_change();
CREATE TRIGGER arrears_event_no_truncate BEFORE TRUNCATE ON @extschema@.arrears_event
    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.refuse_change();
CREATE TRIGGER arrears_payment_append_only BEFORE UPDATE OR DELETE ON @extschema@.arrears_payment
    FOR EACH ROW EXECUTE FUNCTION @extschema@.refuse_change();
CREATE TRIGGER arrears_payment_no_truncate BEFORE TRUNCATE ON @extschema@.arrears_payment
    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.refuse_change();
CREATE TRIGGER personal_report_append_only BEFORE UPDATE OR DELETE ON @extschema@.personal_report
    FOR EACH ROW EXECUTE FUNCTION @extschema@.refuse_change();
CREATE TRIGGER personal_report_no_truncate BEFORE TRUNCATE ON @extschema@.personal_report
    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.refuse_change();
CREATE TRIGGER clean_record_append_only BEFORE UPDATE OR DELETE ON @extschema@.clean_record
    FOR EACH ROW EXECUTE FUNCTION @extschema@.refuse_change();
CREATE TRIGGER clean_record_no_truncate BEFORE TRUNCATE ON @extschema@.clean_record
    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.refuse_change();
CREATE TRIGGER assessment_append_only BEFORE UPDATE OR DELETE ON @extschema@.assessment
    FOR EACH ROW EXECUTE FUNCTION @extschema@.refuse_change();
CREATE TRIGGER assessment_no_truncate BEFORE TRUNCATE ON @extschema@.assessment
    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.refuse_change();
ALTER TABLE @extschema@.commitment ENABLE ALWAYS TRIGGER commitment_no_truncate;
ALTER TABLE @extschema@.arrears ENABLE ALWAYS TRIGGER arrears_no_truncate;
ALTER TABLE @extschema@.commitment_event ENABLE ALWAYS TRIGGER commitment_event_append_only;
ALTER TABLE @extschema@.commitment_event ENABLE ALWAYS TRIGGER commitment_event_no_truncate;
ALTER TABLE @extschema@.arrears_event ENABLE ALWAYS TRIGGER arrears_event_append_only;
ALTER TABLE @extschema@.arrears_event ENABLE ALWAYS TRIGGER arrears_event_no_truncate;
ALTER TABLE @extschema@.arrears_payment ENABLE ALWAYS TRIGGER arrears_payment_append_only;
ALTER TABLE @extschema@.arrears_payment ENABLE ALWAYS TRIGGER arrears_payment_no_truncate;
ALTER TABLE @extschema@.personal_report ENABLE ALWAYS TRIGGER personal_report_append_only;
ALTER TABLE @extschema@.personal_report ENABLE ALWAYS TRIGGER personal_report_no_truncate;
ALTER TABLE @extschema@.clean_record ENABLE ALWAYS TRIGGER clean_record_append_only;
ALTER TABLE @extschema@.clean_record ENABLE ALWAYS TRIGGER clean_record_no_truncate;
ALTER TABLE @extschema@.assessment ENABLE ALWAYS TRIGGER assessment_append_only;
ALTER TABLE @extschema@.assessment ENABLE ALWAYS TRIGGER assessment_no_truncate;

------------------------------------------------------------------------
-- internal helpers
------------------------------------------------------------------------
-- D7.2: a due date on a rest day or official holiday moves to the first
-- working day after it (民法典 第二百零三条), by the official calendar
CREATE FUNCTION @extschema@._due_workday(d date) RETURNS date
    LANGUAGE sql STABLE STRICT PARALLEL SAFE
    AS $$ SELECT @extschema@.add_workdays(d OPERATOR(pg_catalog.-) 1, 1) $$;
COMMENT ON FUNCTION @extschema@._due_workday(date) IS
    'internal: d if it is a working day, else the next working day (D7.2)';

-- D7.2, D7.4: the last day of the grace (the due date itself by default);
-- migrant wages never have one (D7.4)
CREATE FUNCTION @extschema@._grace_end(table_name text, kind text, due date) RETURNS date
    LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
DECLARE g integer;
BEGIN
    IF table_name = 'arrears' AND kind = 'migrant_wages' THEN
        RETURN due;
    END IF;
    g := @extschema@._param(CASE table_name WHEN 'commitment' THEN 'commitment_grace_workdays'
                                            ELSE 'arrears_grace_workdays' END)::integer;
    IF g IS NULL OR g < 0 THEN
        RAISE EXCEPTION 'the grace parameter of % is not a number of working days', table_name
            USING ERRCODE = '22023', HINT = 'Set it in integrity.parameter to 0 or more.';
    END IF;
    RETURN @extschema@.add_workdays(due, g);
END $$;
COMMENT ON FUNCTION @extschema@._grace_end(text, text, date) IS
    'internal: the last day of the grace of a commitment or arrears due on due (D7.2, D7.4)';

-- the outstanding amount of arrears on as_of (D7.4)
CREATE FUNCTION @extschema@._arrears_paid(p_origin text, p_id bigint, as_of date) RETURNS numeric
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$ SELECT coalesce(pg_catalog.sum(p.amount), 0) FROM @extschema@.arrears_payment p
           WHERE p.origin OPERATOR(pg_catalog.=) p_origin AND p.arrears_id OPERATOR(pg_catalog.=) p_id
             AND p.paid_on OPERATOR(pg_catalog.<=) as_of $$;
COMMENT ON FUNCTION @extschema@._arrears_paid(text, bigint, date) IS
    'internal: the sum of the payments of arrears made by as_of';

-- a government or department of this origin (D7.1), or the error
CREATE FUNCTION @extschema@._obligor(p_id bigint) RETURNS text
    LANGUAGE plpgsql STABLE AS $$
DECLARE k @extschema@.subject_kind;
BEGIN
    IF p_id IS NULL THEN
        RAISE EXCEPTION 'subject_id is required' USING ERRCODE = '22004';
    END IF;
    SELECT s.kind INTO k FROM @extschema@.subject s WHERE s.origin = @extschema@._origin() AND s.id = p_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'subject % does not exist', p_id
            USING ERRCODE = '23503', HINT = 'Add it with integrity.subject_add().';
    END IF;
    IF k NOT IN ('government', 'department') THEN
        RAISE EXCEPTION 'subject % is a %, not a government or department', p_id, k
            USING ERRCODE = '22023', DETAIL = 'Commitments and arrears are those of governments and departments (D7.1, D7.4).';
    END IF;
    RETURN k::text;
END $$;

CREATE FUNCTION @extschema@._blank(t text) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT t IS NULL OR pg_catalog.btrim(t, E' \t\n\r\f\v\u3000') OPERATOR(pg_catalog.=) '' $$;

-- D7, SPEC 6: the public payload of a commitment disclosure (canonicalized
-- in C by canonical_json).  record_id is absent: the entry is keyed by
-- commitment_id in the payload and has a NULL record_id column.
CREATE FUNCTION @extschema@._commitment_payload(p_origin text, p_id bigint, p_event text) RETURNS jsonb
    LANGUAGE sql STABLE AS $$
    SELECT pg_catalog.jsonb_build_object(
        'event', p_event, 'origin', c.origin, 'commitment_id', c.id, 'state', c.state,
        'disclosed_on', CURRENT_DATE,
        'subject', pg_catalog.jsonb_build_object('kind', s.kind, 'name', s.name,
                                                 'code', coalesce(s.uscc::pg_catalog.text, s.legacy_code)),
        'kind', c.kind, 'title', c.title, 'document_no', c.document_no,
        'made_on', c.made_on, 'promised_due_on', c.promised_due_on, 'due_on', c.due_on,
        'fulfilled_on', c.fulfilled_on, 'evidence', c.evidence,
        'broken_on', c.broken_on, 'breach_record_id', c.breach_record_id,
        'changed_on', c.changed_on, 'legal_basis', c.legal_basis, 'compensation', c.compensation)
      FROM @extschema@.commitment c
      JOIN @extschema@.subject s ON s.origin OPERATOR(pg_catalog.=) c.origin AND s.id OPERATOR(pg_catalog.=) c.subject_id
     WHERE c.origin OPERATOR(pg_catalog.=) p_origin AND c.id OPERATOR(pg_catalog.=) p_id
$$;
COMMENT ON FUNCTION @extschema@._commitment_payload(text, bigint, text) IS
    'internal: the disclosure payload of a commitment event (D7, SPEC 6)';

------------------------------------------------------------------------
-- D7.1-D7.3: commitments
------------------------------------------------------------------------
CREATE FUNCTION @extschema@.commitment_add(subject_id bigint, kind text, title text, document_no text,
                                           made_on date, due_on date) RETURNS bigint
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp AS $$
DECLARE o text := @extschema@._origin(); new_id bigint;
BEGIN
    PERFORM @extschema@._obligor(subject_id);
    IF kind IS NULL OR kind NOT IN ('service', 'policy', 'contract', 'environment', 'debt') THEN
        RAISE EXCEPTION 'unknown commitment kind "%"', kind
            USING ERRCODE = '22023', HINT = 'The kinds are service, policy, contract, environment and debt (D7.1).';
    END IF;
    IF @extschema@._blank(title) OR @extschema@._blank(document_no) THEN
        RAISE EXCEPTION 'a commitment needs a title and a document number'
            USING ERRCODE = '22023', DETAIL = 'A commitment is made publicly, by a document (D7.1).';
    END IF;
    IF made_on IS NULL OR due_on IS NULL THEN
        RAISE EXCEPTION 'made_on and due_on are required' USING ERRCODE = '22004';
    END IF;
    IF made_on > current_date OR NOT isfinite(made_on) OR made_on < date '1949-10-01' THEN
        RAISE EXCEPTION 'made_on % is out of range', made_on
            USING ERRCODE = '22023', DETAIL = 'A commitment is recorded once it is made, not before.';
    END IF;
    IF due_on < made_on OR NOT isfinite(due_on) THEN
        RAISE EXCEPTION 'due date % is before the commitment was made (%)', due_on, made_on USING ERRCODE = '22023';
    END IF;
    new_id := nextval('@extschema@.commitment_id_seq');
    PERFORM @extschema@._obligation_context(format('承诺 made: %s', btrim(title)), true);
    INSERT INTO @extschema@.commitment (origin, id, subject_id, kind, title, document_no, made_on,
                                        promised_due_on, due_on)
    VALUES (o, new_id, subject_id, kind, btrim(title, E' \t\n\r\f\v\u3000'),
            btrim(document_no, E' \t\n\r\f\v\u3000'), made_on, due_on,
            @extschema@._due_workday(due_on));          -- D7.2
    PERFORM @extschema@._obligation_context(NULL, false);
    RETURN new_id;
END $$;
COMMENT ON FUNCTION @extschema@.commitment_add(bigint, text, text, text, date, date) IS
    '作出承诺 record a public commitment of a government or department (D7.1); its due date moves to the next working day when it is a rest day (D7.2); disclosed; returns its id';

-- the commitment row locked, or the error
CREATE FUNCTION @extschema@._commitment_locked(p_id bigint) RETURNS @extschema@.commitment
    LANGUAGE plpgsql VOLATILE AS $$
DECLARE c @extschema@.commitment;
BEGIN
    IF p_id IS NULL THEN
        RAISE EXCEPTION 'commitment_id is required' USING ERRCODE = '22004';
    END IF;
    SELECT * INTO c FROM @extschema@.commitment x WHERE x.origin = @extschema@._origin() AND x.id = p_id FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'commitment % does not exist', p_id
            USING ERRCODE = 'P0002', HINT = 'Commitment ids are those of this platform''s origin.';
    END IF;
    RETURN c;
END $$;

CREATE FUNCTION @extschema@.commitment_fulfil(commitment_id bigint, evidence text,
                                              fulfilled_on date DEFAULT current_date) RETURNS void
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp AS $$
DECLARE c @extschema@.commitment; g date;
BEGIN
    c := @extschema@._commitment_locked(commitment_id);
    IF @extschema@._blank(evidence) THEN
        RAISE EXCEPTION 'fulfilling commitment % needs the evidence document', commitment_id
            USING ERRCODE = '22023', DETAIL = 'A commitment is fulfilled by an evidence document (D7.2).';
    END IF;
    IF fulfilled_on IS NULL OR fulfilled_on > current_date OR fulfilled_on < c.made_on THEN
        RAISE EXCEPTION 'fulfilment date % is out of range', fulfilled_on
            USING ERRCODE = '22023', DETAIL = format('It lies between the day the commitment was made (%s) and today.', c.made_on);
    END IF;
    IF c.state IN ('open', 'overdue') THEN
        g := @extschema@._grace_end('commitment', c.kind, c.due_on);
        IF fulfilled_on > g THEN
            RAISE EXCEPTION 'commitment % can no longer be fulfilled: its grace ended on %', commitment_id, g
                USING ERRCODE = '55000',
                      DETAIL = format('Due on %s; not fulfilled by then nor within the grace, it is broken (D7.2).', c.due_on),
                      HINT = 'integrity.commitments_due() marks it broken and opens the breach_of_contract record.';
        END IF;
    END IF;
    -- the trigger refuses a closed commitment (55000)
    PERFORM @extschema@._obligation_context(btrim(evidence), false);
    UPDATE @extschema@.commitment x SET state = 'fulfilled', fulfilled_on = commitment_fulfil.fulfilled_on,
           evidence = btrim(commitment_fulfil.evidence, E' \t\n\r\f\v\u3000')
     WHERE x.origin = c.origin AND x.id = c.id;
    PERFORM @extschema@._obligation_context(NULL, false);
END $$;
COMMENT ON FUNCTION @extschema@.commitment_fulfil(bigint, text, date) IS
    '践诺 record the fulfilment of a commitment by an evidence document; refused after the grace (then it is broken, D7.2); disclosed';

CREATE FUNCTION @extschema@.commitment_change(commitment_id bigint, legal_basis text, compensation text) RETURNS void
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp AS $$
DECLARE c @extschema@.commitment;
BEGIN
    c := @extschema@._commitment_locked(commitment_id);
    IF @extschema@._blank(legal_basis) THEN
        RAISE EXCEPTION 'a change of commitment % without a legal basis is refused', commitment_id
            USING ERRCODE = '22023',
                  DETAIL = 'A commitment is changed or withdrawn only for 国家利益、公共利益或者其他法定事由, by the legal procedure (D7.3); a change of government or of the people in charge is no reason.',
                  HINT = 'Give the legal basis (the law, the decision and its procedure).';
    END IF;
    IF compensation IS NULL THEN
        RAISE EXCEPTION 'a change of commitment % needs the compensation to enterprises and investors', commitment_id
            USING ERRCODE = '22023', DETAIL = 'Losses of enterprises and investors are compensated by law (D7.3).',
                  HINT = 'Describe the compensation, or say why there is none.';
    END IF;
    PERFORM @extschema@._obligation_context(btrim(legal_basis), false);
    UPDATE @extschema@.commitment x SET state = 'changed_lawfully', changed_on = current_date,
           legal_basis = btrim(commitment_change.legal_basis, E' \t\n\r\f\v\u3000'),
           compensation = btrim(commitment_change.compensation, E' \t\n\r\f\v\u3000')
     WHERE x.origin = c.origin AND x.id = c.id;
    PERFORM @extschema@._obligation_context(NULL, false);
END $$;
COMMENT ON FUNCTION @extschema@.commitment_change(bigint, text, text) IS
    '依法变更 change or withdraw an open or overdue commitment on a legal basis, with the compensation recorded (D7.3: never a breach); disclosed';

------------------------------------------------------------------------
-- D7.4: arrears
------------------------------------------------------------------------
CREATE FUNCTION @extschema@.arrears_add(subject_id bigint, kind text, creditor text, amount numeric,
                                        due_on date, document_no text,
                                        creditor_is_person boolean DEFAULT NULL) RETURNS bigint
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp AS $$
DECLARE o text := @extschema@._origin(); new_id bigint;
BEGIN
    PERFORM @extschema@._obligor(subject_id);
    IF kind IS NULL OR kind NOT IN ('project_payment', 'migrant_wages', 'enterprise_account') THEN
        RAISE EXCEPTION 'unknown arrears kind "%"', kind
            USING ERRCODE = '22023', HINT = 'The kinds are project_payment 工程款, migrant_wages 农民工工资 and enterprise_account 企业账款 (D7.4).';
    END IF;
    IF @extschema@._blank(creditor) THEN
        RAISE EXCEPTION 'arrears need a creditor' USING ERRCODE = '22023';
    END IF;
    IF amount IS NULL OR amount <= 0 OR amount = 'NaN'::numeric THEN
        RAISE EXCEPTION 'amount % is not a positive sum of yuan', amount USING ERRCODE = '22023';
    END IF;
    IF due_on IS NULL OR NOT isfinite(due_on) THEN
        RAISE EXCEPTION 'due_on is required' USING ERRCODE = '22004';
    END IF;
    new_id := nextval('@extschema@.arrears_id_seq');
    PERFORM @extschema@._obligation_context(NULL, true);
    INSERT INTO @extschema@.arrears (origin, id, subject_id, kind, creditor, creditor_is_person, amount,
                                     document_no, promised_due_on, due_on)
    VALUES (o, new_id, subject_id, kind, btrim(creditor, E' \t\n\r\f\v\u3000'),
            coalesce(creditor_is_person, kind = 'migrant_wages'), amount,
            nullif(btrim(document_no, E' \t\n\r\f\v\u3000'), ''), due_on,
            @extschema@._due_workday(due_on));          -- D7.2
    PERFORM @extschema@._obligation_context(NULL, false);
    RETURN new_id;
END $$;
COMMENT ON FUNCTION @extschema@.arrears_add(bigint, text, text, numeric, date, text, boolean) IS
    '登记欠款 record an obligation of a government or department to pay (D7.4); creditor_is_person (default: true for migrant_wages) masks the creditor in public; returns its id';

CREATE FUNCTION @extschema@.arrears_pay(arrears_id bigint, amount numeric, paid_on date, document_no text)
    RETURNS numeric
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp AS $$
DECLARE a @extschema@.arrears; outstanding numeric;
BEGIN
    IF arrears_id IS NULL THEN
        RAISE EXCEPTION 'arrears_id is required' USING ERRCODE = '22004';
    END IF;
    SELECT * INTO a FROM @extschema@.arrears x WHERE x.origin = @extschema@._origin() AND x.id = arrears_id FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'arrears % do not exist', arrears_id USING ERRCODE = 'P0002';
    END IF;
    IF amount IS NULL OR amount <= 0 OR amount = 'NaN'::numeric THEN
        RAISE EXCEPTION 'a payment of % is refused: payments are positive', amount USING ERRCODE = '22023';
    END IF;
    IF paid_on IS NULL OR paid_on > current_date OR NOT isfinite(paid_on) THEN
        RAISE EXCEPTION 'payment date % is out of range', paid_on
            USING ERRCODE = '22023', DETAIL = 'A payment is recorded once it is made.';
    END IF;
    outstanding := a.amount - @extschema@._arrears_paid(a.origin, a.id, 'infinity');
    IF a.state = 'paid' OR outstanding <= 0 THEN
        RAISE EXCEPTION 'arrears % are paid', arrears_id USING ERRCODE = '55000';
    END IF;
    IF amount > outstanding THEN
        RAISE EXCEPTION 'a payment of % exceeds the outstanding % of arrears %', amount, outstanding, arrears_id
            USING ERRCODE = '22023', DETAIL = format('Amount %s, paid so far %s (D7.4).', a.amount, a.amount - outstanding);
    END IF;
    INSERT INTO @extschema@.arrears_payment (origin, id, arrears_id, amount, paid_on, document_no)
    VALUES (a.origin, nextval('@extschema@.arrears_payment_id_seq'), a.id, amount, paid_on,
            nullif(btrim(document_no, E' \t\n\r\f\v\u3000'), ''));
    outstanding := outstanding - amount;
    IF outstanding = 0 THEN
        PERFORM @extschema@._obligation_context(format('清偿 paid in full on %s', paid_on), false);
        UPDATE @extschema@.arrears x SET state = 'paid',
               paid_on = (SELECT max(p.paid_on) FROM @extschema@.arrears_payment p
                           WHERE p.origin = a.origin AND p.arrears_id = a.id)
         WHERE x.origin = a.origin AND x.id = a.id;
        PERFORM @extschema@._obligation_context(NULL, false);
    END IF;
    RETURN outstanding;
END $$;
COMMENT ON FUNCTION @extschema@.arrears_pay(bigint, numeric, date, text) IS
    '支付欠款 record a payment (positive, never more than outstanding, never edited); the arrears are paid when nothing is outstanding; returns the outstanding amount (D7.4)';

------------------------------------------------------------------------
-- D7.2, D7.4: the nightly job, beside expire_due
------------------------------------------------------------------------
CREATE FUNCTION @extschema@.commitments_due(as_of date DEFAULT current_date) RETURNS integer
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    o text := @extschema@._origin();
    n integer := 0;
    c record;
    g date;
    nxt text;
    st text;
    rec bigint;
    owed numeric;
BEGIN
    IF as_of IS NULL THEN
        RAISE EXCEPTION 'as_of is required' USING ERRCODE = '22004';
    END IF;
    IF as_of > current_date THEN
        RAISE EXCEPTION 'as_of % is in the future', as_of
            USING ERRCODE = '22023', DETAIL = 'A breach signed ahead of time would be false.';
    END IF;
    -- rows another session is handling are skipped: it breaks them once
    FOR c IN SELECT x.id, x.subject_id, x.kind, x.title, x.document_no, x.due_on, x.state::text AS state
               FROM @extschema@.commitment x
              WHERE x.origin = o AND x.state IN ('open', 'overdue') AND x.due_on < as_of
              ORDER BY x.due_on, x.id FOR UPDATE SKIP LOCKED
    LOOP
        g := @extschema@._grace_end('commitment', c.kind, c.due_on);
        st := c.state;
        LOOP
            nxt := @extschema@._due_step('commitment', st, true, as_of, c.due_on, g);
            EXIT WHEN nxt IS NULL;
            IF nxt = 'overdue' THEN
                PERFORM @extschema@._obligation_context(format('逾期 not fulfilled by %s', c.due_on), false);
                UPDATE @extschema@.commitment x SET state = 'overdue',
                       overdue_on = @extschema@._step_date('commitment', 'overdue', c.due_on, g)
                 WHERE x.origin = o AND x.id = c.id;
            ELSE
                -- D7.2: the breach_of_contract record of the committing subject, state collected
                rec := @extschema@.record_add(c.subject_id, 'breach_of_contract', NULL,
                        @extschema@._step_date('commitment', 'broken', c.due_on, g), c.document_no,
                        'integrity.commitments_due',
                        format('毁约: 未履行政务承诺「%s」(承诺 %s, 文号 %s), 履行期限 %s, 宽限期至 %s',
                               c.title, c.id, c.document_no, c.due_on, g),
                        CASE c.kind WHEN 'policy' THEN '招商引资' WHEN 'debt' THEN '政府债务'
                                    WHEN 'environment' THEN '环境保护' ELSE '其他' END);
                PERFORM @extschema@._obligation_context(format('毁约 breach record %s', rec), false);
                UPDATE @extschema@.commitment x SET state = 'broken', breach_record_id = rec,
                       broken_on = @extschema@._step_date('commitment', 'broken', c.due_on, g)
                 WHERE x.origin = o AND x.id = c.id;
            END IF;
            st := nxt;
            n := n + 1;
        END LOOP;
    END LOOP;
    FOR c IN SELECT x.id, x.subject_id, x.kind, x.creditor, x.creditor_is_person, x.amount, x.document_no,
                    x.due_on, x.state::text AS state
               FROM @extschema@.arrears x
              WHERE x.origin = o AND x.state IN ('open', 'overdue') AND x.due_on < as_of
              ORDER BY x.due_on, x.id FOR UPDATE SKIP LOCKED
    LOOP
        g := @extschema@._grace_end('arrears', c.kind, c.due_on);
        owed := c.amount - @extschema@._arrears_paid(o, c.id, as_of);
        st := c.state;
        LOOP
            nxt := @extschema@._due_step('arrears', st, owed > 0, as_of, c.due_on, g);
            EXIT WHEN nxt IS NULL;
            IF nxt = 'overdue' THEN
                PERFORM @extschema@._obligation_context(format('逾期 unpaid on %s', c.due_on), false);
                UPDATE @extschema@.arrears x SET state = 'overdue',
                       overdue_on = @extschema@._step_date('arrears', 'overdue', c.due_on, g)
                 WHERE x.origin = o AND x.id = c.id;
            ELSE
                -- D7.4: unpaid past the due date plus the grace is a breach as in D7.2
                rec := @extschema@.record_add(c.subject_id, 'breach_of_contract', NULL,
                        @extschema@._step_date('arrears', 'broken', c.due_on, g), c.document_no,
                        'integrity.commitments_due',
                        format('拖欠%s: 应于 %s 支付的 %s 元未付清 (欠款 %s, 债权人 %s), 未付 %s 元',
                               CASE c.kind WHEN 'project_payment' THEN '工程款' WHEN 'migrant_wages' THEN '农民工工资'
                                           ELSE '企业账款' END,
                               c.due_on, c.amount, c.id,
                               CASE WHEN c.creditor_is_person THEN @extschema@.mask_name(c.creditor) ELSE c.creditor END,
                               owed));
                PERFORM @extschema@._obligation_context(format('拖欠 breach record %s', rec), false);
                UPDATE @extschema@.arrears x SET state = 'broken', breach_record_id = rec,
                       broken_on = @extschema@._step_date('arrears', 'broken', c.due_on, g)
                 WHERE x.origin = o AND x.id = c.id;
            END IF;
            st := nxt;
            n := n + 1;
        END LOOP;
    END LOOP;
    PERFORM @extschema@._obligation_context(NULL, false);
    RETURN n;
END $$;
COMMENT ON FUNCTION @extschema@.commitments_due(date) IS
    '践诺检查 the nightly job beside expire_due: commitments and arrears past their due date become overdue, past the grace broken, with a breach_of_contract record in state collected (D7.2, D7.4); as_of in the past re-runs a day, in the future is refused; idempotent; returns the number of steps taken';

------------------------------------------------------------------------
-- D7.5: the quarterly monitoring figures (joined by monitoring_ranking)
------------------------------------------------------------------------
CREATE FUNCTION @extschema@.commitment_quarter(as_of date DEFAULT current_date)
    RETURNS TABLE(origin text, subject_id bigint, quarter text, quarter_end date,
                  commitments_due integer, commitments_kept integer, fulfilment_pct numeric,
                  arrears_overdue integer, arrears_overdue_amount numeric)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp AS $$
DECLARE q0 date; q1 date; e date;
BEGIN
    IF as_of IS NULL OR NOT isfinite(as_of) THEN
        RAISE EXCEPTION 'as_of is required' USING ERRCODE = '22004';
    END IF;
    q0 := date_trunc('quarter', as_of)::date;
    q1 := (q0 + interval '3 months')::date - 1;
    e := least(as_of, q1);          -- the figures as they stood on e
    RETURN QUERY
    WITH c AS (
        -- D7.5: commitments due in the quarter (by e), fulfilled by their due date;
        -- one changed lawfully by e is no longer due (D7.3: never a breach)
        SELECT x.origin, x.subject_id, count(*)::integer AS due,
               count(*) FILTER (WHERE x.fulfilled_on <= x.due_on AND x.fulfilled_on <= e)::integer AS kept
          FROM @extschema@.commitment x
         WHERE x.due_on BETWEEN q0 AND e AND x.made_on <= e
           AND NOT coalesce(x.changed_on <= e, false)
         GROUP BY 1, 2),
    a AS (
        -- D7.5: arrears overdue at e: due before e, something outstanding on e
        SELECT x.origin, x.subject_id, count(*)::integer AS n, sum(x.owed) AS owed
          FROM (SELECT y.origin, y.subject_id,
                       y.amount - @extschema@._arrears_paid(y.origin, y.id, e) AS owed
                  FROM @extschema@.arrears y WHERE y.due_on < e) x
         WHERE x.owed > 0
         GROUP BY 1, 2)
    SELECT coalesce(c.origin, a.origin), coalesce(c.subject_id, a.subject_id),
           to_char(q1, 'YYYY"Q"Q'), q1,
           coalesce(c.due, 0), coalesce(c.kept, 0),
           CASE WHEN c.due > 0 THEN round(100.0 * c.kept / c.due, 1) END,
           coalesce(a.n, 0), coalesce(a.owed, 0)
      FROM c FULL JOIN a ON a.origin = c.origin AND a.subject_id = c.subject_id;
END $$;
COMMENT ON FUNCTION @extschema@.commitment_quarter(date) IS
    '践诺监测 per government and department with commitments or arrears, the quarter holding as_of as it stood on as_of (or the quarter''s end): commitments due, kept by their due date, 践诺率, arrears overdue and their outstanding amount (D7.5); every origin held here';

-- the figures of the five quarter ends monitoring_ranking shows (its
-- quarters: the current one's start - 1 day, and the four before), for
-- the reader view: no free as_of (as _punishment_now, issue 13)
CREATE FUNCTION @extschema@._commitment_quarters_now()
    RETURNS TABLE(origin text, subject_id bigint, quarter text, quarter_end date,
                  commitments_due integer, commitments_kept integer, fulfilment_pct numeric,
                  arrears_overdue integer, arrears_overdue_amount numeric)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp AS $$
    SELECT c.* FROM generate_series(0, 4) AS k
     CROSS JOIN LATERAL @extschema@.commitment_quarter(
         (date_trunc('quarter', current_date) - make_interval(months => 3 * k))::date - 1) c
$$;
COMMENT ON FUNCTION @extschema@._commitment_quarters_now() IS
    'internal: commitment_quarter() at the five quarter ends of monitoring_ranking, for the reader view (no free as_of)';

------------------------------------------------------------------------
-- D7.5: the public views (every origin held here, D2.9)
------------------------------------------------------------------------
CREATE VIEW @extschema@.commitment_public WITH (security_barrier) AS
SELECT c.origin,
       c.id AS commitment_id,
       c.subject_id,
       s.name AS subject_name,
       c.kind,
       c.title,
       c.document_no,
       c.made_on,
       c.promised_due_on,
       c.due_on,
       c.state,
       CASE c.state WHEN 'open' THEN '待履行' WHEN 'fulfilled' THEN '已践诺' WHEN 'overdue' THEN '逾期'
                    WHEN 'broken' THEN '毁约' ELSE '依法变更' END AS state_name,
       c.fulfilled_on,
       c.fulfilled_on <= c.due_on AS fulfilled_on_time,
       c.evidence,
       c.broken_on,
       c.breach_record_id,
       c.changed_on,
       c.legal_basis,
       c.compensation
  FROM @extschema@.commitment c
  JOIN @extschema@.subject s ON s.origin = c.origin AND s.id = c.subject_id;
COMMENT ON VIEW @extschema@.commitment_public IS '政务承诺公示 public commitments of governments and departments and how each was kept, broken or lawfully changed (D7.1-D7.3, D7.5)';
COMMENT ON COLUMN @extschema@.commitment_public.origin IS '来源平台 origin: region code of the platform that recorded the commitment';
COMMENT ON COLUMN @extschema@.commitment_public.commitment_id IS '承诺编号 commitment id within its origin';
COMMENT ON COLUMN @extschema@.commitment_public.subject_id IS '主体编号 id of the committing government or department';
COMMENT ON COLUMN @extschema@.commitment_public.subject_name IS '承诺主体 name of the committing government or department';
COMMENT ON COLUMN @extschema@.commitment_public.kind IS '承诺类型 service 行政服务, policy 招商引资政策, contract 合同协议, environment 环境保护, debt 政府债务 (D7.1)';
COMMENT ON COLUMN @extschema@.commitment_public.title IS '承诺事项 what was promised';
COMMENT ON COLUMN @extschema@.commitment_public.document_no IS '承诺文号 number of the document that made the commitment';
COMMENT ON COLUMN @extschema@.commitment_public.made_on IS '承诺日期 date the commitment was made';
COMMENT ON COLUMN @extschema@.commitment_public.promised_due_on IS '承诺期限 due date as the commitment states it';
COMMENT ON COLUMN @extschema@.commitment_public.due_on IS '履行期限 due date, moved to the next working day when it is a rest day or holiday (D7.2)';
COMMENT ON COLUMN @extschema@.commitment_public.state IS '状态 open, fulfilled, overdue, broken or changed_lawfully';
COMMENT ON COLUMN @extschema@.commitment_public.state_name IS '状态名称 the state in Chinese: 待履行 open, 已践诺 fulfilled, 逾期 overdue, 毁约 broken, 依法变更 changed lawfully';
COMMENT ON COLUMN @extschema@.commitment_public.fulfilled_on IS '践诺日期 date of fulfilment';
COMMENT ON COLUMN @extschema@.commitment_public.fulfilled_on_time IS '按期践诺 fulfilled by its due date (D7.2, counted in 践诺率 D7.5)';
COMMENT ON COLUMN @extschema@.commitment_public.evidence IS '践诺证明 the evidence document of fulfilment';
COMMENT ON COLUMN @extschema@.commitment_public.broken_on IS '毁约日期 first day after the grace without fulfilment (D7.2)';
COMMENT ON COLUMN @extschema@.commitment_public.breach_record_id IS '失信记录编号 the breach_of_contract record opened for the breach (D7.2)';
COMMENT ON COLUMN @extschema@.commitment_public.changed_on IS '变更日期 date of the lawful change or withdrawal (D7.3)';
COMMENT ON COLUMN @extschema@.commitment_public.legal_basis IS '法定事由 legal basis of the change (D7.3)';
COMMENT ON COLUMN @extschema@.commitment_public.compensation IS '补偿 compensation to enterprises and investors (D7.3)';

CREATE VIEW @extschema@.arrears_public WITH (security_barrier) AS
SELECT a.origin,
       a.id AS arrears_id,
       a.subject_id,
       s.name AS subject_name,
       a.kind,
       CASE WHEN a.creditor_is_person THEN @extschema@.mask_name(a.creditor) ELSE a.creditor END AS creditor,
       a.amount,
       p.paid,
       a.amount - p.paid AS outstanding,
       a.document_no,
       a.promised_due_on,
       a.due_on,
       a.state,
       a.paid_on,
       a.broken_on,
       a.breach_record_id
  FROM @extschema@.arrears a
  JOIN @extschema@.subject s ON s.origin = a.origin AND s.id = a.subject_id
 CROSS JOIN LATERAL (SELECT coalesce(sum(x.amount), 0) AS paid FROM @extschema@.arrears_payment x
                      WHERE x.origin = a.origin AND x.arrears_id = a.id) p;
COMMENT ON VIEW @extschema@.arrears_public IS '拖欠公示 obligations of governments and departments to pay, what is paid and outstanding (D7.4, D7.5); persons masked (D1.4)';
COMMENT ON COLUMN @extschema@.arrears_public.origin IS '来源平台 origin';
COMMENT ON COLUMN @extschema@.arrears_public.arrears_id IS '欠款编号 arrears id within its origin';
COMMENT ON COLUMN @extschema@.arrears_public.subject_id IS '主体编号 id of the owing government or department';
COMMENT ON COLUMN @extschema@.arrears_public.subject_name IS '欠款主体 name of the owing government or department';
COMMENT ON COLUMN @extschema@.arrears_public.kind IS '欠款类型 project_payment 工程款, migrant_wages 农民工工资, enterprise_account 企业账款 (D7.4)';
COMMENT ON COLUMN @extschema@.arrears_public.creditor IS '债权人 creditor (a natural person''s name masked: 张*, D1.4)';
COMMENT ON COLUMN @extschema@.arrears_public.amount IS '应付金额 amount owed, yuan';
COMMENT ON COLUMN @extschema@.arrears_public.paid IS '已付金额 sum of the payments, yuan';
COMMENT ON COLUMN @extschema@.arrears_public.outstanding IS '未付金额 outstanding: amount less payments, yuan (D7.4)';
COMMENT ON COLUMN @extschema@.arrears_public.document_no IS '文号 number of the contract or decision';
COMMENT ON COLUMN @extschema@.arrears_public.promised_due_on IS '约定期限 due date as agreed';
COMMENT ON COLUMN @extschema@.arrears_public.due_on IS '支付期限 due date, moved to the next working day when it is a rest day or holiday (D7.2)';
COMMENT ON COLUMN @extschema@.arrears_public.state IS '状态 open, overdue, broken (拖欠失信) or paid';
COMMENT ON COLUMN @extschema@.arrears_public.paid_on IS '清偿日期 date of the payment that settled the amount';
COMMENT ON COLUMN @extschema@.arrears_public.broken_on IS '失信日期 first day after the grace with something unpaid (D7.4)';
COMMENT ON COLUMN @extschema@.arrears_public.breach_record_id IS '失信记录编号 the breach_of_contract record opened for the breach';

------------------------------------------------------------------------
-- D8: the civil servant's integrity file (never public, D8.2)
------------------------------------------------------------------------
-- a civil servant of this origin, or the error
CREATE FUNCTION @extschema@._civil_servant(p_id bigint) RETURNS void
    LANGUAGE plpgsql STABLE AS $$
DECLARE k @extschema@.subject_kind;
BEGIN
    IF p_id IS NULL THEN
        RAISE EXCEPTION 'subject_id is required' USING ERRCODE = '22004';
    END IF;
    SELECT s.kind INTO k FROM @extschema@.subject s WHERE s.origin = @extschema@._origin() AND s.id = p_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'subject % does not exist', p_id USING ERRCODE = 'P0002';
    END IF;
    IF k <> 'civil_servant' THEN
        RAISE EXCEPTION 'subject % is a %, not a civil servant', p_id, k
            USING ERRCODE = '22023', DETAIL = 'The integrity file is that of a civil servant (D8.1).';
    END IF;
END $$;

CREATE FUNCTION @extschema@._check_year(y integer) RETURNS void
    LANGUAGE plpgsql STABLE AS $$
BEGIN
    IF y IS NULL OR y < 1949 OR y > extract(year FROM current_date)::integer THEN
        RAISE EXCEPTION 'year % is out of range', y
            USING ERRCODE = '22023', DETAIL = 'Reports and assessments are of years from 1949 to this year.';
    END IF;
END $$;

CREATE FUNCTION @extschema@.personal_report_set(subject_id bigint, year integer, status text,
                                                filed_on date DEFAULT NULL) RETURNS bigint
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp AS $$
DECLARE new_id bigint := nextval('@extschema@.personnel_id_seq');
BEGIN
    PERFORM @extschema@._civil_servant(subject_id);
    PERFORM @extschema@._check_year(year);
    IF status IS NULL OR status NOT IN ('on_time', 'late', 'not_filed') THEN
        RAISE EXCEPTION 'unknown report status "%"', status
            USING ERRCODE = '22023', HINT = 'The statuses are on_time, late and not_filed (D8.1).';
    END IF;
    IF (status = 'not_filed') <> (filed_on IS NULL) OR filed_on > current_date THEN
        RAISE EXCEPTION 'filed_on % does not fit status %', filed_on, status
            USING ERRCODE = '22023', DETAIL = 'A filed report has its filing date (not in the future); one not filed has none.';
    END IF;
    INSERT INTO @extschema@.personal_report (origin, id, subject_id, year, status, filed_on)
    VALUES (@extschema@._origin(), new_id, subject_id, year, status, filed_on);
    RETURN new_id;
END $$;
COMMENT ON FUNCTION @extschema@.personal_report_set(bigint, integer, text, date) IS
    '个人有关事项报告 record the yearly report of personal matters of a civil servant: on_time, late or not_filed (D8.1); the newest row of a year counts; returns its id';

CREATE FUNCTION @extschema@.clean_record_add(subject_id bigint, kind text, recorded_on date,
                                             document_no text, note text DEFAULT NULL) RETURNS bigint
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp AS $$
DECLARE new_id bigint := nextval('@extschema@.personnel_id_seq');
BEGIN
    PERFORM @extschema@._civil_servant(subject_id);
    IF @extschema@._blank(kind) THEN
        RAISE EXCEPTION 'a clean-government record needs its kind' USING ERRCODE = '22023';
    END IF;
    IF recorded_on IS NULL OR recorded_on > current_date OR NOT isfinite(recorded_on) THEN
        RAISE EXCEPTION 'date % is out of range', recorded_on USING ERRCODE = '22023';
    END IF;
    INSERT INTO @extschema@.clean_record (origin, id, subject_id, kind, recorded_on, document_no, note)
    VALUES (@extschema@._origin(), new_id, subject_id, btrim(kind, E' \t\n\r\f\v\u3000'), recorded_on,
            nullif(btrim(document_no, E' \t\n\r\f\v\u3000'), ''), note);
    RETURN new_id;
END $$;
COMMENT ON FUNCTION @extschema@.clean_record_add(bigint, text, date, text, text) IS
    '廉政记录 add a clean-government record (kind, date, document) to a civil servant''s file (D8.1); returns its id';

-- D8.3: where the grade is stored, 优秀 is refused when may_rate_excellent
-- is false, whoever inserts the row.  A row that carries an earlier set_at
-- is a load of a grade stored back then (pg_restore): it was checked when
-- it was set, and a record decided later must not make the restore fail
-- (the conflict shows in the file instead).
CREATE FUNCTION @extschema@._assessment_guard() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE why text;
BEGIN
    IF NEW.set_at < pg_catalog.now() THEN
        RETURN NEW;
    END IF;
    IF NEW.grade = '优秀' AND NOT @extschema@.may_rate_excellent(NEW.subject_id, NEW.year) THEN
        SELECT string_agg(format('record %s (%s, decided %s%s)', r.id, r.category, r.decided_on,
                                 CASE WHEN r.document_no IS NOT NULL THEN ', ' || r.document_no ELSE '' END),
                          '; ' ORDER BY r.decided_on, r.id)
          INTO why
          FROM @extschema@.record r
         WHERE r.origin = NEW.origin AND r.subject_id = NEW.subject_id AND r.kind = 'dishonest'
           AND r.confirmed_on IS NOT NULL AND r.revoked_on IS NULL
           AND (r.repaired_on IS NULL OR r.repaired_on >= make_date(NEW.year, 1, 1))
           AND ((r.decided_on BETWEEN make_date(NEW.year, 1, 1) AND make_date(NEW.year, 12, 31))
                OR (r.published_on IS NOT NULL AND r.published_on <= make_date(NEW.year, 12, 31)
                    AND coalesce(r.repaired_on, r.expired_on, r.publicity_until) > make_date(NEW.year, 1, 1)));
        RAISE EXCEPTION 'civil servant % cannot be rated 优秀 for %', NEW.subject_id, NEW.year
            USING ERRCODE = '55000',
                  DETAIL = format('Dishonesty records in effect that year: %s.', coalesce(why, '(see may_rate_excellent)')),
                  HINT = '公务员存在政务失信记录的, 年度考核不能确定为优秀等次 (D8.3, D4.3).';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER assessment_guard BEFORE INSERT ON @extschema@.assessment
    FOR EACH ROW EXECUTE FUNCTION @extschema@._assessment_guard();

CREATE FUNCTION @extschema@.assessment_set(subject_id bigint, year integer, grade text) RETURNS void
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    PERFORM @extschema@._civil_servant(subject_id);
    PERFORM @extschema@._check_year(year);
    IF grade IS NULL OR grade NOT IN ('优秀', '称职', '基本称职', '不称职') THEN
        RAISE EXCEPTION 'unknown assessment grade "%"', grade
            USING ERRCODE = '22023', HINT = 'The grades are 优秀, 称职, 基本称职 and 不称职 (D8.1).';
    END IF;
    INSERT INTO @extschema@.assessment (origin, id, subject_id, year, grade)
    VALUES (@extschema@._origin(), nextval('@extschema@.personnel_id_seq'), subject_id, year, grade);
END $$;
COMMENT ON FUNCTION @extschema@.assessment_set(bigint, integer, text) IS
    '年度考核 store the yearly assessment grade of a civil servant; 优秀 is refused (55000, the records in errdetail) when may_rate_excellent is false (D8.3); the newest grade of a year counts';

CREATE FUNCTION @extschema@.integrity_file(subject_id bigint) RETURNS jsonb
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp AS $$
DECLARE o text := @extschema@._origin(); s record;
BEGIN
    PERFORM @extschema@._civil_servant(subject_id);
    SELECT x.* INTO s FROM @extschema@.subject x WHERE x.origin = o AND x.id = integrity_file.subject_id;
    RETURN jsonb_build_object(
        'subject', jsonb_build_object('origin', s.origin, 'subject_id', s.id, 'name', s.name,
                                      'cn_id', s.cn_id::text, 'region', s.region, 'parent_id', s.parent_id),
        -- D8.1 个人有关事项报告: the newest row of each year
        'personal_reports', coalesce((
            SELECT jsonb_agg(jsonb_build_object('year', p.year, 'status', p.status, 'filed_on', p.filed_on,
                                                'recorded_at', p.recorded_at) ORDER BY p.year)
              FROM (SELECT DISTINCT ON (r.year) r.* FROM @extschema@.personal_report r
                     WHERE r.origin = o AND r.subject_id = s.id ORDER BY r.year, r.id DESC) p), '[]'),
        -- D8.1 廉政记录
        'clean_records', coalesce((
            SELECT jsonb_agg(jsonb_build_object('id', c.id, 'kind', c.kind, 'recorded_on', c.recorded_on,
                                                'document_no', c.document_no, 'note', c.note)
                             ORDER BY c.recorded_on, c.id)
              FROM @extschema@.clean_record c WHERE c.origin = o AND c.subject_id = s.id), '[]'),
        -- D8.1 年度考核结果; D8.3: a grade 优秀 that a later record contradicts
        -- stays as stored, the conflict is shown
        'assessments', coalesce((
            SELECT jsonb_agg(jsonb_build_object('year', a.year, 'grade', a.grade, 'set_at', a.set_at,
                                                'conflict', a.grade = '优秀' AND NOT @extschema@.may_rate_excellent(s.id, a.year))
                             ORDER BY a.year)
              FROM (SELECT DISTINCT ON (x.year) x.* FROM @extschema@.assessment x
                     WHERE x.origin = o AND x.subject_id = s.id ORDER BY x.year, x.id DESC) a), '[]'),
        -- D8.1, D2.1: the dishonesty records, every state
        'dishonesty_records', coalesce((
            SELECT jsonb_agg(jsonb_build_object('record_id', r.id, 'category', r.category, 'severity', r.severity,
                                                'decided_on', r.decided_on, 'document_no', r.document_no,
                                                'summary', r.summary, 'state', r.state)
                             ORDER BY r.decided_on, r.id)
              FROM @extschema@.record r
             WHERE r.origin = o AND r.subject_id = s.id AND r.kind = 'dishonest'), '[]'),
        'restrictions', to_jsonb(ARRAY(SELECT @extschema@.restrictions(s.id))));
END $$;
COMMENT ON FUNCTION @extschema@.integrity_file(bigint) IS
    '公务员诚信档案 the whole integrity file of a civil servant: personal-matters reports, clean-government records, assessments (with any 优秀 that a record contradicts marked conflict), dishonesty records, restrictions (D8.1-D8.3); for operators and the personnel department only (D8.2)';

------------------------------------------------------------------------
-- pg_dump and privileges (SPEC 3, 8; D8.2)
------------------------------------------------------------------------
SELECT pg_catalog.pg_extension_config_dump('@extschema@.commitment', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.commitment_event', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.arrears', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.arrears_payment', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.arrears_event', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.personal_report', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.clean_record', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.assessment', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.commitment_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.commitment_event_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.arrears_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.arrears_payment_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.arrears_event_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.personnel_id_seq', '');

REVOKE ALL ON @extschema@.commitment, @extschema@.commitment_event, @extschema@.arrears,
              @extschema@.arrears_payment, @extschema@.arrears_event, @extschema@.personal_report,
              @extschema@.clean_record, @extschema@.assessment,
              @extschema@.commitment_public, @extschema@.arrears_public FROM PUBLIC;
REVOKE ALL ON SEQUENCE @extschema@.commitment_id_seq, @extschema@.commitment_event_id_seq,
              @extschema@.arrears_id_seq, @extschema@.arrears_payment_id_seq,
              @extschema@.arrears_event_id_seq, @extschema@.personnel_id_seq FROM PUBLIC;
GRANT SELECT ON @extschema@.commitment_public, @extschema@.arrears_public TO integrity_reader;
GRANT SELECT ON @extschema@.commitment, @extschema@.commitment_event, @extschema@.arrears,
                @extschema@.arrears_payment, @extschema@.arrears_event TO integrity_operator;
-- D8.2: the file is read by operators and the personnel department only
GRANT SELECT ON @extschema@.personal_report, @extschema@.clean_record, @extschema@.assessment
    TO integrity_operator, integrity_personnel;

REVOKE EXECUTE ON FUNCTION
    @extschema@.obligation_guard(), @extschema@.obligation_log(), @extschema@._obligation_context(text, boolean),
    @extschema@._due_step(text, text, boolean, date, date, date), @extschema@._step_date(text, text, date, date),
    @extschema@._due_workday(date), @extschema@._grace_end(text, text, date),
    @extschema@._arrears_paid(text, bigint, date), @extschema@._obligor(bigint), @extschema@._blank(text),
    @extschema@._commitment_payload(text, bigint, text), @extschema@._commitment_locked(bigint),
    @extschema@.commitment_add(bigint, text, text, text, date, date),
    @extschema@.commitment_fulfil(bigint, text, date), @extschema@.commitment_change(bigint, text, text),
    @extschema@.arrears_add(bigint, text, text, numeric, date, text, boolean),
    @extschema@.arrears_pay(bigint, numeric, date, text), @extschema@.commitments_due(date),
    @extschema@.commitment_quarter(date), @extschema@._commitment_quarters_now(),
    @extschema@._civil_servant(bigint), @extschema@._check_year(integer), @extschema@._assessment_guard(),
    @extschema@.personal_report_set(bigint, integer, text, date),
    @extschema@.clean_record_add(bigint, text, date, text, text),
    @extschema@.assessment_set(bigint, integer, text), @extschema@.integrity_file(bigint)
    FROM PUBLIC;
GRANT EXECUTE ON FUNCTION
    @extschema@.commitment_add(bigint, text, text, text, date, date),
    @extschema@.commitment_fulfil(bigint, text, date), @extschema@.commitment_change(bigint, text, text),
    @extschema@.arrears_add(bigint, text, text, numeric, date, text, boolean),
    @extschema@.arrears_pay(bigint, numeric, date, text), @extschema@.commitments_due(date),
    @extschema@.commitment_quarter(date)
    TO integrity_operator;
-- monitoring_ranking (a reader view) calls it as the reader: today's quarters only
GRANT EXECUTE ON FUNCTION @extschema@._commitment_quarters_now() TO integrity_reader;
-- D8.2, D8.3: the personnel department keeps the file; operators read it
GRANT EXECUTE ON FUNCTION
    @extschema@.personal_report_set(bigint, integer, text, date),
    @extschema@.clean_record_add(bigint, text, date, text, text),
    @extschema@.assessment_set(bigint, integer, text), @extschema@.integrity_file(bigint)
    TO integrity_personnel;
GRANT EXECUTE ON FUNCTION @extschema@.integrity_file(bigint) TO integrity_operator;
