
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
