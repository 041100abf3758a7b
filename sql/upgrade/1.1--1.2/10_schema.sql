
------------------------------------------------------------------------
-- 1.1 -> 1.2, part 10: the covering index also holds the columns of the
-- D3 list rules and of the ranking's indicators, so that the lists read
-- every subject's records in one index-only pass (src/lists.c) and
-- monitoring_ranking a government's or department's from the index alone.  Rebuilding it reads the table once
-- (about a minute per 10M records on two cores).
------------------------------------------------------------------------
DROP INDEX @extschema@.record_subject_idx;
CREATE INDEX record_subject_idx ON @extschema@.record (origin, subject_id, decided_on)
    INCLUDE (category, kind, severity, confirmed_on, revoked_on, repaired_on,
             id, accident_level, deaths, domain, publicity_until, published_on, publish_due, expired_on);
