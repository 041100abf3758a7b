-- lifecycle (1.1 -> 1.2): working days bounded and never silently past the
-- loaded calendar (D2.5; issue 13 findings 4 and 6); calendar_load and
-- calendar_provisional.  The parameter row and calendar_year are in
-- 10_schema.sql.

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

CREATE OR REPLACE FUNCTION @extschema@.is_workday(d date) RETURNS boolean
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
CREATE OR REPLACE FUNCTION @extschema@.add_workdays(d date, n integer) RETURNS date
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
CREATE OR REPLACE FUNCTION @extschema@.workdays_between(a date, b date) RETURNS integer
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
