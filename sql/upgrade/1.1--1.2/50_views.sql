-- views (1.1 -> 1.2): every reader view is a security barrier (issue 13
-- finding 2: a reader's cheap function in WHERE must not see the rows the
-- view filters out), and the list views call the _now wrappers instead of
-- the internals (finding 3).
ALTER VIEW @extschema@.public_record SET (security_barrier = true);
ALTER VIEW @extschema@.evaluation SET (security_barrier = true);
ALTER VIEW @extschema@.monitoring_ranking SET (security_barrier = true);
CREATE OR REPLACE VIEW @extschema@.blacklist WITH (security_barrier) AS
SELECT s.origin,
       s.id AS subject_id,
       @extschema@._public_name(s.kind, s.name) AS name,
       @extschema@._public_code(s.kind, s.uscc, s.cn_id, s.legacy_code) AS code,
       p.level,
       p.reasons,
       p.listed_from,
       p.listed_until
  FROM @extschema@.subject s
 CROSS JOIN LATERAL @extschema@._punishment_now(s.origin, s.id) p
 WHERE EXISTS (SELECT 1 FROM @extschema@.record r
                WHERE r.origin = s.origin AND r.subject_id = s.id AND r.kind = 'dishonest'
                  AND r.confirmed_on IS NOT NULL AND r.decided_on > current_date - 800)
   AND p.level <> 'none';

CREATE OR REPLACE VIEW @extschema@.redlist WITH (security_barrier) AS
SELECT s.origin,
       s.id AS subject_id,
       @extschema@._public_name(s.kind, s.name) AS name,
       @extschema@._public_code(s.kind, s.uscc, s.cn_id, s.legacy_code) AS code,
       i.valid_until
  FROM @extschema@.subject s
 CROSS JOIN LATERAL @extschema@._incentive_now(s.origin, s.id) i
 WHERE EXISTS (SELECT 1 FROM @extschema@.record r
                WHERE r.origin = s.origin AND r.subject_id = s.id AND r.category = 'safety_standard_level1'
                  AND r.confirmed_on IS NOT NULL AND r.revoked_on IS NULL)
   AND EXISTS (SELECT 1 FROM @extschema@.record r
                WHERE r.origin = s.origin AND r.subject_id = s.id AND r.category = 'credit_commitment'
                  AND r.confirmed_on IS NOT NULL AND r.revoked_on IS NULL)
   AND i.eligible;

REVOKE EXECUTE ON FUNCTION
    @extschema@._punishment(text, bigint, date, jsonb), @extschema@._incentive(text, bigint, date, jsonb)
    FROM integrity_reader;
GRANT EXECUTE ON FUNCTION
    @extschema@._punishment_now(text, bigint), @extschema@._incentive_now(text, bigint)
    TO integrity_reader;
