
------------------------------------------------------------------------
-- 1.1 -> 1.2, part 45 (as sql/src/45_lists.sql): the safety-production lists (DOMAIN D3.1-D3.4,
-- D2.10) and the one-pass sums of the quarterly ranking (D5), in C
-- (src/lists_core.c, glue src/lists.c; docs/DESIGN.md "lists")
--
-- One rule set, two ways in: per subject at any as_of (_punishment,
-- _incentive, behind the operator API punishment_status and
-- incentive_status), and every subject at once in one pass over
-- record_subject_idx (_blacklist_at, _redlist_at, and the argument-free
-- _blacklist_now/_redlist_now that the reader views call).  Both hand the
-- same records to the same C functions, so the views and the API agree.
------------------------------------------------------------------------

-- D3.1-D3.3: the punishment level of one subject at as_of under params
-- (its "punishment" section), with the records behind it and the term
CREATE OR REPLACE FUNCTION @extschema@._punishment(p_origin text, p_subject bigint, as_of date, params jsonb,
        OUT level text, OUT reasons text[], OUT listed_from date, OUT listed_until date)
    AS 'MODULE_PATHNAME', 'lists_punishment_one'
    LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@._punishment(text, bigint, date, jsonb) IS
    'internal 联合惩戒/黑名单: the D3.1-D3.3 level of one subject at as_of under a model''s params (for punishment_status and restrictions)';


-- D3.4: 守信联合激励 (red list) of one subject at as_of
CREATE OR REPLACE FUNCTION @extschema@._incentive(p_origin text, p_subject bigint, as_of date, params jsonb,
        OUT eligible boolean, OUT failed text[], OUT valid_until date)
    AS 'MODULE_PATHNAME', 'lists_incentive_one'
    LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@._incentive(text, bigint, date, jsonb) IS
    'internal 守信联合激励: the six D3.4 conditions of one subject at as_of under a model''s params (for incentive_status)';


-- Every subject at once, under the default model: one pass over the
-- records in (origin, subject_id, decided_on) order.  The _at forms take
-- any as_of and are for the owner (tests, audits); the _now forms are
-- fixed to current_date, take no argument, and are what the reader views
-- call (SECURITY DEFINER: they read integrity.record).
CREATE FUNCTION @extschema@._blacklist_at(as_of date)
    RETURNS TABLE(origin text, subject_id bigint, level text, reasons text[], listed_from date, listed_until date)
    AS 'MODULE_PATHNAME', 'lists_blacklist_at'
    LANGUAGE C STABLE STRICT PARALLEL RESTRICTED ROWS 1000;
COMMENT ON FUNCTION @extschema@._blacklist_at(date) IS
    'internal 联合惩戒和黑名单: every subject listed at as_of under the default model, as punishment_status says (D3.1-D3.3)';
CREATE FUNCTION @extschema@._blacklist_now()
    RETURNS TABLE(origin text, subject_id bigint, level text, reasons text[], listed_from date, listed_until date)
    AS 'MODULE_PATHNAME', 'lists_blacklist_now'
    LANGUAGE C STABLE PARALLEL RESTRICTED SECURITY DEFINER SET search_path = pg_catalog, pg_temp ROWS 1000;
COMMENT ON FUNCTION @extschema@._blacklist_now() IS
    'internal 联合惩戒和黑名单: every subject listed today under the default model (what the blacklist view shows; no argument)';
CREATE FUNCTION @extschema@._redlist_at(as_of date)
    RETURNS TABLE(origin text, subject_id bigint, valid_until date)
    AS 'MODULE_PATHNAME', 'lists_redlist_at'
    LANGUAGE C STABLE STRICT PARALLEL RESTRICTED ROWS 1000;
COMMENT ON FUNCTION @extschema@._redlist_at(date) IS
    'internal 守信联合激励: every subject eligible at as_of under the default model, as incentive_status says (D3.4)';
CREATE FUNCTION @extschema@._redlist_now()
    RETURNS TABLE(origin text, subject_id bigint, valid_until date)
    AS 'MODULE_PATHNAME', 'lists_redlist_now'
    LANGUAGE C STABLE PARALLEL RESTRICTED SECURITY DEFINER SET search_path = pg_catalog, pg_temp ROWS 1000;
COMMENT ON FUNCTION @extschema@._redlist_now() IS
    'internal 守信联合激励: every subject eligible today under the default model (what the redlist view shows; no argument)';

-- D5 (广元 附件 1): the five quarters of monitoring_ranking in one pass
-- over a subject's records: per quarter (k = 0 the last completed one
-- before quarter_start, to 4) the score sums of score_state at its end,
-- the records decided by then, and the platform indicators, as a float8[]
-- of 5 x 9 (src/lists.h RQ_*).  It computes over the values it is given
-- only.
CREATE FUNCTION @extschema@._rank_state_sfunc(state internal, category text, kind text,
        severity @extschema@.severity, decided_on date, confirmed_on date, revoked_on date,
        repaired_on date, published_on date, publish_due date, publicity_until date, expired_on date,
        quarter_start date, model jsonb)
    RETURNS internal AS 'MODULE_PATHNAME', 'rank_state_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@._rank_state_final(internal) RETURNS float8[]
    AS 'MODULE_PATHNAME', 'rank_state_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE @extschema@._rank_state(category text, kind text, severity @extschema@.severity,
        decided_on date, confirmed_on date, revoked_on date, repaired_on date, published_on date,
        publish_due date, publicity_until date, expired_on date, quarter_start date, model jsonb) (
    SFUNC = @extschema@._rank_state_sfunc,
    STYPE = internal,
    SSPACE = 400,
    FINALFUNC = @extschema@._rank_state_final,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@._rank_state(text, text, @extschema@.severity, date, date, date, date,
        date, date, date, date, date, jsonb) IS
    'internal 政务诚信监测: score sums and indicators of a subject''s records for the five quarters before quarter_start, one pass (D5)';

-- 1.1 granted the internals to readers so that its views could call them
-- (SECURITY DEFINER, with free as_of and params): no more (issue 13)
REVOKE EXECUTE ON FUNCTION
    @extschema@._punishment(text, bigint, date, jsonb), @extschema@._incentive(text, bigint, date, jsonb)
    FROM integrity_reader;
REVOKE EXECUTE ON FUNCTION
    @extschema@._punishment(text, bigint, date, jsonb), @extschema@._incentive(text, bigint, date, jsonb),
    @extschema@._blacklist_at(date), @extschema@._redlist_at(date),
    @extschema@._blacklist_now(), @extschema@._redlist_now(),
    @extschema@._rank_state_sfunc(internal, text, text, @extschema@.severity, date, date, date, date,
                                  date, date, date, date, date, jsonb),
    @extschema@._rank_state_final(internal),
    @extschema@._rank_state(text, text, @extschema@.severity, date, date, date, date,
                            date, date, date, date, date, jsonb)
    FROM PUBLIC;
-- what the reader views call: no free argument (today, the default model)
-- or nothing but the values the view passes (the ranking's aggregate)
GRANT EXECUTE ON FUNCTION @extschema@._blacklist_now(), @extschema@._redlist_now(),
    @extschema@._rank_state(text, text, @extschema@.severity, date, date, date, date,
                            date, date, date, date, date, jsonb)
    TO integrity_reader;
