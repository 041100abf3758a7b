
-- 15_indexes: record_subject_only_idx (record (subject_id)) served no query:
-- every query of the extension looks a subject's records up by (origin,
-- subject_id), which record_subject_idx covers, as it covers the foreign key
-- to subject.  Each non-HOT update of a record (every publish) still had to
-- insert into it, at a random leaf page: among 10M records that was about one
-- full-page image and 6 KB of WAL per publish after each checkpoint, and
-- publish ran at 2,356/s with it against 3,499/s without it on the same
-- database (bench/RESULTS.md, "publish among 10M records").
DROP INDEX IF EXISTS @extschema@.record_subject_only_idx;
