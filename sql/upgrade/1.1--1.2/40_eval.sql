-- evaluation (1.1 -> 1.2): the allowed as_of range in errdetail.
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
