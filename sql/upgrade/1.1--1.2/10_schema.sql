
------------------------------------------------------------------------
-- 1.1 -> 1.2, part 10: the covering index also holds the columns of the
-- D3 list rules, so that the lists read every subject's records in one
-- index-only pass (src/lists.c).  Rebuilding it reads the table once
-- (about a minute per 10M records on two cores).
------------------------------------------------------------------------
DROP INDEX @extschema@.record_subject_idx;
CREATE INDEX record_subject_idx ON @extschema@.record (origin, subject_id, decided_on)
    INCLUDE (category, kind, severity, confirmed_on, revoked_on, repaired_on,
             id, accident_level, deaths, domain, publicity_until);
