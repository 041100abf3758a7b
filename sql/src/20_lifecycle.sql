
------------------------------------------------------------------------
-- integrity, part 20 (lifecycle): working days and the record lifecycle API
-- (SPEC 3, 4; DOMAIN D2)
------------------------------------------------------------------------

-- D2.5: working days come from the official calendar of the years loaded
-- (calendar_year).  A computation that looks at a day of a year that is not
-- loaded raises 55000 naming the year, unless the admin chose, by the
-- parameter calendar_missing_year = 'weekends', to count Monday to Friday
-- with a WARNING.  Dates are bounded to 1949-10-01 .. 2999-12-31 and n to
-- +-10000 working days (22023 with the range), so that no call runs long.
CREATE FUNCTION @extschema@._calendar_needs(lo date, hi date) RETURNS void
    LANGUAGE plpgsql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    missing integer;
BEGIN
    IF lo > hi THEN
        RETURN;
    END IF;
    SELECT min(y) INTO missing
      FROM generate_series(extract(year FROM lo)::integer, extract(year FROM hi)::integer) AS y
     WHERE NOT EXISTS (SELECT 1 FROM @extschema@.calendar_year cy WHERE cy.year = y);
    IF missing IS NULL THEN
        RETURN;
    END IF;
    IF @extschema@._param('calendar_missing_year') = 'weekends' THEN
        RAISE WARNING 'the official calendar of % is not loaded: its working days are counted Monday to Friday', missing
            USING DETAIL = 'The parameter calendar_missing_year is ''weekends''; deadlines computed now are listed by integrity.calendar_provisional().',
                  HINT = 'Load the year with integrity.calendar_load() once its official schedule is published.';
        RETURN;
    END IF;
    RAISE EXCEPTION 'the official calendar of % is not loaded', missing
        USING ERRCODE = '55000',
              DETAIL = format('Working days between %s and %s are needed; integrity.calendar_year lists the years loaded.', lo, hi),
              HINT = format('Load the 国务院办公厅 holiday schedule of %s with integrity.calendar_load(%s, holidays, makeup_workdays, source) as integrity_admin (a yearly task), or set the parameter calendar_missing_year to ''weekends'' to count Monday to Friday with a warning.', missing, missing);
END $$;
COMMENT ON FUNCTION @extschema@._calendar_needs(date, date) IS
    'internal (D2.5): raises 55000 (or warns, by calendar_missing_year) when a day between lo and hi lies in a year whose official calendar is not loaded';

CREATE FUNCTION @extschema@._workday_date_check(what text, d date) RETURNS void
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
    AS $$
BEGIN
    IF d < date '1949-10-01' OR d > date '2999-12-31' THEN
        RAISE EXCEPTION '% % is out of range for working days', what, d
            USING ERRCODE = '22023',
                  DETAIL = 'Working days are counted for dates from 1949-10-01 to 2999-12-31.';
    END IF;
END $$;
COMMENT ON FUNCTION @extschema@._workday_date_check(text, date) IS
    'internal: 22023 unless 1949-10-01 <= d <= 2999-12-31 (the dates working days are counted for)';

CREATE FUNCTION @extschema@.is_workday(d date) RETURNS boolean
    LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
    AS $$
BEGIN
    PERFORM @extschema@._workday_date_check('d', d);
    PERFORM @extschema@._calendar_needs(d, d);
    RETURN coalesce((SELECT c.is_workday FROM @extschema@.calendar c WHERE c.day = d),
                    extract(isodow FROM d) < 6);
END $$;
COMMENT ON FUNCTION @extschema@.is_workday(date) IS '工作日 true if the day is a working day (calendar overrides, else Monday-Friday); 55000 for a year whose official calendar is not loaded (D2.5)';

-- SPEC 4: the n-th working day after d (n < 0: before d; n = 0: d).
CREATE FUNCTION @extschema@.add_workdays(d date, n integer) RETURNS date
    LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    r date;
BEGIN
    PERFORM @extschema@._workday_date_check('d', d);
    IF n NOT BETWEEN -10000 AND 10000 THEN
        RAISE EXCEPTION 'n = % is out of range', n
            USING ERRCODE = '22023',
                  DETAIL = 'add_workdays counts at most 10000 working days (about 40 years) before or after d: n must be between -10000 and 10000.';
    END IF;
    IF n = 0 THEN
        RETURN d;
    END IF;
    -- 2n + 30 calendar days always hold n working days (holidays are at most
    -- a few weeks a year); the days looked at are bounded, and so is the year
    -- range checked below
    IF n > 0 THEN
        PERFORM @extschema@._workday_date_check('the result', d + (2 * n + 30));
        SELECT s.day INTO r FROM (SELECT d + i AS day FROM generate_series(1, 2 * n + 30) AS i) s
          LEFT JOIN @extschema@.calendar c ON c.day = s.day
         WHERE coalesce(c.is_workday, extract(isodow FROM s.day) < 6)
         ORDER BY s.day OFFSET n - 1 LIMIT 1;
        PERFORM @extschema@._calendar_needs(d + 1, r);
    ELSE
        PERFORM @extschema@._workday_date_check('the result', d - (-2 * n + 30));
        SELECT s.day INTO r FROM (SELECT d - i AS day FROM generate_series(1, -2 * n + 30) AS i) s
          LEFT JOIN @extschema@.calendar c ON c.day = s.day
         WHERE coalesce(c.is_workday, extract(isodow FROM s.day) < 6)
         ORDER BY s.day DESC OFFSET -n - 1 LIMIT 1;
        PERFORM @extschema@._calendar_needs(r, d - 1);
    END IF;
    RETURN r;
END $$;
COMMENT ON FUNCTION @extschema@.add_workdays(date, integer) IS
    '加工作日 the n-th working day after d (before d when n < 0), by the official calendar; |n| <= 10000; 55000 when a year on the way has no official calendar loaded (D2.5)';

-- SPEC 4: the number of working days w with a < w <= b (negative if b < a),
-- in closed form: the weekdays of the range, corrected by the calendar rows
-- in it (a holiday on a weekday, a make-up working day on a weekend).
CREATE FUNCTION @extschema@.workdays_between(a date, b date) RETURNS integer
    LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    lo date := least(a, b);
    hi date := greatest(a, b);
    monday constant date := date '1949-09-26';	-- a Monday before every date counted
    n integer;
BEGIN
    PERFORM @extschema@._workday_date_check('a', a);
    PERFORM @extschema@._workday_date_check('b', b);
    PERFORM @extschema@._calendar_needs(lo + 1, hi);
    -- weekdays in (monday, x]: 5 per whole week (Tuesday to the next
    -- Monday), then of the rest Tuesday to Friday
    n := (5 * ((hi - monday) / 7) + least((hi - monday) % 7, 4))
       - (5 * ((lo - monday) / 7) + least((lo - monday) % 7, 4));
    n := n + coalesce((SELECT sum(CASE WHEN c.is_workday THEN 1 ELSE -1 END)::integer
                         FROM @extschema@.calendar c
                        WHERE c.day > lo AND c.day <= hi
                          AND c.is_workday = (extract(isodow FROM c.day) >= 6)), 0);
    RETURN CASE WHEN b >= a THEN n ELSE -n END;
END $$;
COMMENT ON FUNCTION @extschema@.workdays_between(date, date) IS
    'number of working days w with a < w <= b, so that add_workdays(a, workdays_between(a, b)) = b for a working day b; 55000 when a year in between has no official calendar loaded (D2.5)';

-- D2.5: an admin loads a year's official schedule (the 国务院办公厅 notice,
-- published each autumn for the next year: a yearly task, README).  The
-- schedule is checked before anything is written: every day in that year,
-- each day once, make-up working days (调休上班) only on Saturdays and
-- Sundays.  Returns the number of days added to integrity.calendar.
CREATE FUNCTION @extschema@.calendar_load(year integer, holidays date[], makeup_workdays date[], source text)
    RETURNS integer
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    d date;
    n integer;
BEGIN
    IF year IS NULL OR holidays IS NULL OR makeup_workdays IS NULL OR source IS NULL OR btrim(source) = '' THEN
        RAISE EXCEPTION 'year, holidays, makeup_workdays and source are required'
            USING ERRCODE = '22004', HINT = 'Pass an empty array where the notice has no make-up working day; source names the notice.';
    END IF;
    IF year NOT BETWEEN 1949 AND 2999 THEN
        RAISE EXCEPTION 'year % is out of range', year USING ERRCODE = '22023', DETAIL = 'year must be between 1949 and 2999.';
    END IF;
    IF EXISTS (SELECT 1 FROM @extschema@.calendar_year cy WHERE cy.year = calendar_load.year) THEN
        RAISE EXCEPTION 'the official calendar of % is loaded already', year
            USING ERRCODE = '55000', HINT = 'Correct single days in integrity.calendar (INSERT, UPDATE or DELETE of unseeded rows).';
    END IF;
    IF cardinality(holidays) = 0 THEN
        RAISE EXCEPTION 'the schedule of % has no holiday', year
            USING ERRCODE = '22023', DETAIL = 'Every official schedule has public holidays (元旦, 春节, ...).';
    END IF;
    IF array_position(holidays, NULL) IS NOT NULL OR array_position(makeup_workdays, NULL) IS NOT NULL THEN
        RAISE EXCEPTION 'holidays and makeup_workdays must not hold NULL' USING ERRCODE = '22004';
    END IF;
    SELECT x INTO d FROM unnest(holidays || makeup_workdays) AS x
     WHERE extract(year FROM x)::integer <> year ORDER BY x LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'day % is not in %', d, year USING ERRCODE = '22023';
    END IF;
    SELECT x INTO d FROM unnest(holidays || makeup_workdays) AS x GROUP BY x HAVING count(*) > 1 ORDER BY x LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'day % is listed twice', d
            USING ERRCODE = '22023', DETAIL = 'Each day is a holiday or a make-up working day, once.';
    END IF;
    SELECT x INTO d FROM unnest(makeup_workdays) AS x WHERE extract(isodow FROM x) < 6 ORDER BY x LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'make-up working day % is not a Saturday or Sunday', d
            USING ERRCODE = '22023', DETAIL = 'A make-up working day (调休上班) moves a weekend day into the working week.';
    END IF;
    SELECT count(*) INTO n FROM @extschema@.calendar c WHERE extract(year FROM c.day)::integer = year;
    IF n > 0 THEN
        RAISE EXCEPTION 'integrity.calendar already has % days of %', n, year
            USING ERRCODE = '55000', HINT = 'Delete those rows first: the official schedule replaces them.';
    END IF;
    INSERT INTO @extschema@.calendar (day, is_workday, note)
        SELECT x, false, 'official holiday (' || source || ')' FROM unnest(holidays) AS x
        UNION ALL
        SELECT x, true, 'make-up working day (' || source || ')' FROM unnest(makeup_workdays) AS x;
    GET DIAGNOSTICS n = ROW_COUNT;
    INSERT INTO @extschema@.calendar_year (year, source) VALUES (year, source);
    RETURN n;
END $$;
COMMENT ON FUNCTION @extschema@.calendar_load(integer, date[], date[], text) IS
    '载入年度日历 load a year''s official holiday schedule (D2.5): holidays (including the weekend days of a holiday block) and make-up working days, validated; admin; a yearly task';

-- D2.5: the working-day deadlines stored in records whose computation looked
-- at a year that was not loaded at the time (counted Monday-Friday under
-- calendar_missing_year = 'weekends'): to be checked once the year is loaded.
CREATE FUNCTION @extschema@.calendar_provisional(year integer DEFAULT NULL)
    RETURNS TABLE(origin text, record_id bigint, deadline text, start_date date, due date,
                  computed_at timestamptz, missing_year integer, now_due date)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
    AS $$
    WITH d AS (
        SELECT r.origin, r.id, 'publish_due'::text AS deadline, r.decided_on AS start_date,
               r.publish_due AS due, r.created_at AS computed_at,
               @extschema@._param('publish_workdays')::integer AS n
          FROM @extschema@.record r
        UNION ALL
        SELECT r.origin, r.id, 'objection_due', r.objected_on, r.objection_due,
               (SELECT max(e.at) FROM @extschema@.record_event e
                 WHERE e.origin = r.origin AND e.record_id = r.id AND e.to_state = 'objected'),
               @extschema@._param('objection_workdays')::integer
          FROM @extschema@.record r WHERE r.objection_due IS NOT NULL
    )
    SELECT d.origin, d.id, d.deadline, d.start_date, d.due, d.computed_at, y.y,
           CASE WHEN NOT EXISTS (SELECT 1 FROM generate_series(extract(year FROM d.start_date + 1)::integer,
                                                               extract(year FROM d.due)::integer) g
                                  WHERE NOT EXISTS (SELECT 1 FROM @extschema@.calendar_year cy WHERE cy.year = g))
                THEN @extschema@.add_workdays(d.start_date, d.n) END
      FROM d
     CROSS JOIN LATERAL (
        SELECT min(g)::integer AS y
          FROM generate_series(extract(year FROM d.start_date + 1)::integer, extract(year FROM d.due)::integer) g
         WHERE NOT EXISTS (SELECT 1 FROM @extschema@.calendar_year cy
                            WHERE cy.year = g AND (cy.seeded OR cy.loaded_at <= d.computed_at))) y
     WHERE d.due > d.start_date AND y.y IS NOT NULL
       AND (calendar_provisional.year IS NULL OR y.y = calendar_provisional.year)
     ORDER BY d.origin, d.id, d.deadline
$$;
COMMENT ON FUNCTION @extschema@.calendar_provisional(integer) IS
    '暂定期限 deadlines (publish_due, objection_due) computed while a year they span had no official calendar loaded (D2.5), with the first such year and, once every year is loaded, the deadline the official calendar gives (now_due)';

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
