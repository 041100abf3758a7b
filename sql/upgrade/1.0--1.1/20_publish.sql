
-- 20_publish: SPEC 9 publish rate.  integrity.publish(bigint) becomes one C
-- call (the same checks, errors, privileges and comment); the record_log
-- trigger writes the disclosure payload in C (src/payload_core.c), and
-- integrity._disclosure_payload() stays as the reference it is tested
-- against (and as the path for payloads without a fast form).
CREATE OR REPLACE FUNCTION @extschema@.publish(record_id bigint) RETURNS bigint
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
