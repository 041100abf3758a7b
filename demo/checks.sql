-- demo/checks.sql: at the city, the checks an upper level makes on what it
-- holds (docs/REPLICATION.md, section 3).  Run by demo/run.sh with
--   -v county=140421 -v note_b64=<the county's checkpoint, base64>
-- where the checkpoint is the signed note the county itself published
-- (SELECT checkpoint FROM integrity.tree_head() at the county).

\set ON_ERROR_STOP 1
\set QUIET 1
\pset footer off
\pset null '-'
SET client_min_messages = warning;

\echo '-- verify_chain(origin): every payload hash, link, entry hash and signature, with the keys that'
\echo '-- replicated with the log; tree_head(origin): the Merkle tree built from the replicated nodes'
SELECT v.call AS "校验 call", v.platform, c.ok, c.checked, c.first_bad,
       t.tree_size, left(encode(t.root_hash, 'hex'), 16) || '…' AS "Merkle root",
       t.checkpoint IS NOT NULL AS "signs a note here"
  FROM (VALUES (format('verify_chain(%L)', :'county'), :'county', '平顺县 county (replicated)'),
               ('verify_chain()', integrity.local_origin(), '长治市 city (own)')) AS v(call, origin, platform)
 CROSS JOIN LATERAL integrity.verify_chain(CASE WHEN v.origin = integrity.local_origin() THEN NULL ELSE v.origin END) c
 CROSS JOIN LATERAL integrity.tree_head(v.origin) t;

\echo '-- the county''s own signed checkpoint, checked at the city against the replicated tree and public key:'
SELECT convert_from(decode(:'note_b64', 'base64'), 'UTF8') AS note \gset
WITH p AS (SELECT substr(:'note', 1, strpos(:'note', E'\n\n')) AS body,
                  split_part(substr(:'note', strpos(:'note', E'\n\n') + 2), E'\n', 1) AS sigline),
s AS (SELECT body, split_part(sigline, ' ', 2) AS keyname,
             decode(split_part(sigline, ' ', 3), 'base64') AS blob FROM p)
SELECT split_part(s.body, E'\n', 1) AS "note of",
       split_part(s.body, E'\n', 2)::bigint AS "its tree size",
       split_part(s.body, E'\n', 2)::bigint = t.tree_size AS size_ok,
       decode(split_part(s.body, E'\n', 3), 'base64') = t.root_hash AS root_ok,
       bool_or(substr(s.blob, 1, 4) = substr(sha256(convert_to(s.keyname, 'UTF8')
                                              || '\x0a01'::bytea || k.public_key), 1, 4)
               AND integrity.ed25519_verify(k.public_key, convert_to(s.body, 'UTF8'),
                                            substr(s.blob, 5))) AS signature_ok
  FROM s CROSS JOIN integrity.tree_head(:'county') t
  JOIN integrity.signing_key k ON k.origin = :'county'
 GROUP BY 1, 2, 3, 4;
