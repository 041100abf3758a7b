-- evaluation (1.1 -> 1.2): the wrappers the list views call from a reader's
-- session (issue 13 finding 3), and the allowed as_of range in errdetail.
CREATE OR REPLACE FUNCTION @extschema@._check_as_of(as_of date) RETURNS void
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
BEGIN
    IF as_of IS NULL THEN
        RAISE EXCEPTION 'as_of is required' USING ERRCODE = '22004';
    END IF;
    IF as_of < date '1949-10-01' OR as_of > date '2999-12-31' THEN
        RAISE EXCEPTION 'as_of % is out of range', as_of
            USING ERRCODE = '22023', DETAIL = 'as_of must be between 1949-10-01 and 2999-12-31.';
    END IF;
END $$;

-- What the blacklist and redlist views call from a reader's session (issue
-- 13): today's lists under the default model, for a subject the view names.
-- No free as_of or params: a reader learns what the views show, no more.
CREATE FUNCTION @extschema@._punishment_now(p_origin text, p_subject bigint,
        OUT level text, OUT reasons text[], OUT listed_from date, OUT listed_until date)
    LANGUAGE sql STABLE PARALLEL SAFE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
    SELECT * FROM @extschema@._punishment(p_origin, p_subject, current_date, @extschema@._model('default'))
$$;
COMMENT ON FUNCTION @extschema@._punishment_now(text, bigint) IS
    'internal, for the blacklist view: punishment level of a subject today under the default model (D3.1-D3.3)';
CREATE FUNCTION @extschema@._incentive_now(p_origin text, p_subject bigint,
        OUT eligible boolean, OUT failed text[], OUT valid_until date)
    LANGUAGE sql STABLE PARALLEL SAFE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
    SELECT * FROM @extschema@._incentive(p_origin, p_subject, current_date, @extschema@._model('default'))
$$;
COMMENT ON FUNCTION @extschema@._incentive_now(text, bigint) IS
    'internal, for the redlist view: red-list eligibility of a subject today under the default model (D3.4)';
