-- schema (1.1 -> 1.2): the years whose official calendar is loaded (D2.5),
-- seeded from the calendar rows shipped with 1.0/1.1 (2004-2026), and the
-- parameter that says what a computation in another year does.
INSERT INTO @extschema@.parameter (name, value, seeded, note) VALUES
    ('calendar_missing_year', 'error', true,
     'D2.5 a working day in a year whose official schedule is not loaded: error (default), or weekends (count Monday-Friday, with a WARNING)');

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
INSERT INTO @extschema@.calendar_year (year, source, seeded)
    SELECT DISTINCT extract(year FROM day)::integer, '国务院办公厅 holiday notices (data/cn_calendar.tsv)', true
      FROM @extschema@.calendar WHERE seeded;

------------------------------------------------------------------------
-- 1.1 -> 1.2, part 10: the covering index also holds the columns of the
-- D3 list rules and of the ranking's indicators, so that the lists read
-- every subject's records in one index-only pass (src/lists.c) and
-- monitoring_ranking a government's or department's from the index alone.
-- Rebuilding it reads the table once
-- (about a minute per 10M records on two cores).
------------------------------------------------------------------------
DROP INDEX @extschema@.record_subject_idx;
CREATE INDEX record_subject_idx ON @extschema@.record (origin, subject_id, decided_on)
    INCLUDE (category, kind, severity, confirmed_on, revoked_on, repaired_on,
             id, accident_level, deaths, domain, publicity_until, published_on, publish_due, expired_on);
