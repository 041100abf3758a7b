-- regress_ident: the identifier types uscc and cn_id (SPEC 2, DOMAIN D1)
CREATE EXTENSION IF NOT EXISTS integrity;
SET search_path = integrity, public;
SET client_min_messages = warning;

-- Runs a statement and reports its SQLSTATE, message and detail, so each
-- error path shows up as one line of the expected output.
CREATE FUNCTION pg_temp.try(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE st text; msg text; det text;
BEGIN
    EXECUTE q;
    RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT, det = PG_EXCEPTION_DETAIL;
    RETURN st || ' ' || msg || coalesce(' | ' || nullif(det, ''), '');
END $$;

-- D1: every public vector, through is_valid and through the input function
CREATE TEMP TABLE vectors (type text, expect text, code text, note text);
\copy vectors FROM 'test/vectors/codes.tsv' WITH (FORMAT text, HEADER true)
SELECT type, code, expect,
       CASE type WHEN 'uscc' THEN uscc_is_valid(code) ELSE cn_id_is_valid(code) END AS is_valid,
       pg_temp.try(format('SELECT %L::integrity.%s', code, type)) AS input
  FROM vectors ORDER BY type, expect DESC, code;
-- no vector disagrees with its expectation
SELECT count(*) AS disagreements FROM vectors
 WHERE (CASE type WHEN 'uscc' THEN uscc_is_valid(code) ELSE cn_id_is_valid(code) END)
       <> (expect = 'valid');

-- D1.1: blanks trimmed, letters folded; output is canonical
SELECT ' 91350100m000100y43 '::uscc AS folded, '44011320141005001x'::cn_id AS upper_x;

-- D1.1, D1.1a, D1.2: each error, with its reason
SELECT pg_temp.try($$SELECT ''::integrity.uscc$$) AS empty;
SELECT pg_temp.try($$SELECT '9135010'::integrity.uscc$$) AS short;
SELECT pg_temp.try($$SELECT '91350100M000100Y43X'::integrity.uscc$$) AS long;
SELECT pg_temp.try($$SELECT '91350100M000100Y4中'::integrity.uscc$$) AS multibyte;
SELECT pg_temp.try($$SELECT '9135010OM000100Y43'::integrity.uscc$$) AS letter_o;
SELECT pg_temp.try($$SELECT '91350100M000100-43'::integrity.uscc$$) AS dash;
SELECT pg_temp.try($$SELECT '91350100M000100Y4Z'::integrity.uscc$$) AS check_char;
SELECT pg_temp.try($$SELECT '91350100M000100Y56'::integrity.uscc$$) AS org_check;
SELECT pg_temp.try($$SELECT '99350100M000100Y4A'::integrity.uscc$$) AS category;
SELECT pg_temp.try($$SELECT 'B1350100M000100Y41'::integrity.uscc$$) AS authority;
SELECT pg_temp.try($$SELECT '91A50100M000100Y42'::integrity.uscc$$) AS region;
SELECT pg_temp.try(format('SELECT %L::integrity.uscc', repeat('9', 100000))) AS huge;

-- D1.3, D1.3a: each error, with its reason
SELECT pg_temp.try($$SELECT '11010519491231002'::integrity.cn_id$$) AS short;
SELECT pg_temp.try($$SELECT '1101051949123100XX'::integrity.cn_id$$) AS x_inside;
SELECT pg_temp.try($$SELECT '11010519491231002Y'::integrity.cn_id$$) AS bad_last;
SELECT pg_temp.try($$SELECT '36042619910102009X'::integrity.cn_id$$) AS check_char;
SELECT pg_temp.try($$SELECT '360426199113010079'::integrity.cn_id$$) AS month_13;
SELECT pg_temp.try($$SELECT '110105194902300020'::integrity.cn_id$$) AS feb_30;
SELECT pg_temp.try($$SELECT '110105179901010020'::integrity.cn_id$$) AS year_1799;
SELECT pg_temp.try($$SELECT '110105299901010023'::integrity.cn_id$$) AS year_2999;
SELECT pg_temp.try($$SELECT '１１０１０５１９４９１２３１００２Ｘ'::integrity.cn_id$$) AS fullwidth;

-- error shape as psql shows it
SELECT '91110000600037341N'::uscc;
SELECT '36042619910102009X'::cn_id;

-- NULL handling: strict functions return NULL, NULL casts stay NULL
SELECT uscc_is_valid(NULL) IS NULL AS a, cn_id_is_valid(NULL) IS NULL AS b,
       NULL::uscc IS NULL AS c, mask(NULL::cn_id) IS NULL AS d,
       uscc_region(NULL) IS NULL AS e, cn_id_birth_date(NULL) IS NULL AS f;
-- is_valid never raises, whatever it is given
SELECT uscc_is_valid(''), uscc_is_valid(repeat('中', 18)), cn_id_is_valid('x'),
       cn_id_is_valid(repeat('9', 1000000)), uscc_is_valid(E'\t91350100M000100Y43\n');

-- accessors
SELECT uscc_authority(u), uscc_category(u), uscc_region(u), uscc_org_code(u)
  FROM (VALUES ('91350100M000100Y43'::uscc), ('A1110000600037341K'), ('121200004013590816')) v(u);
SELECT c, cn_id_birth_date(c), cn_id_sex(c), cn_id_region(c), mask(c)
  FROM (VALUES ('11010519491231002X'::cn_id), ('440524188001010014'), ('360426199101010071')) v(c);
SELECT mask_name('张三') AS a, mask_name('欧阳修文') AS b, mask_name('李') AS c;
SELECT count(*) AS rows, count(DISTINCT authority) AS authorities FROM uscc_categories();
SELECT * FROM uscc_categories() WHERE authority IN ('1', 'Y');

-- comparison operators agree with the text order
CREATE TEMP TABLE u AS SELECT code::uscc AS u FROM vectors WHERE type = 'uscc' AND expect = 'valid';
SELECT array_agg(u ORDER BY u) = array_agg(u ORDER BY u::text) AS same_order FROM u;
SELECT a.u < b.u AS lt, a.u <= b.u AS le, a.u = b.u AS eq, a.u <> b.u AS ne,
       a.u >= b.u AS ge, a.u > b.u AS gt, uscc_cmp(a.u, b.u) AS cmp
  FROM (VALUES ('121200004013590816'::uscc, '91110000600037341L'::uscc),
               ('91110000600037341L', '91110000600037341L'),
               ('A1110000600037341K', '91110000600037341L')) AS v(x, y),
       LATERAL (SELECT v.x AS u) a, LATERAL (SELECT v.y AS u) b;
SELECT '11010519491231002X'::cn_id < '440524188001010014'::cn_id AS lt,
       '11010519491231002X'::cn_id = '11010519491231002x'::cn_id AS eq;

-- the operator classes are sound
SELECT opcname, amvalidate(oid) FROM pg_opclass
 WHERE opcnamespace = 'integrity'::regnamespace ORDER BY opcname;

-- storage: uscc 12 bytes, cn_id 8 bytes by value
SELECT typname, typlen, typbyval FROM pg_type
 WHERE typnamespace = 'integrity'::regnamespace AND typname IN ('uscc', 'cn_id') ORDER BY typname;

-- as a primary key
CREATE TEMP TABLE org (code uscc PRIMARY KEY, name text);
INSERT INTO org SELECT u, 'org ' || u FROM u;
INSERT INTO org VALUES ('91350100m000100y43', 'duplicate');
CREATE TEMP TABLE person (id cn_id PRIMARY KEY);
INSERT INTO person VALUES ('11010519491231002X'), ('11010519491231002x');

-- hash join on uscc and on cn_id
CREATE TEMP TABLE org2 AS SELECT code, 'copy' AS note FROM org;
ANALYZE org; ANALYZE org2;
SET enable_mergejoin = off; SET enable_nestloop = off;
EXPLAIN (COSTS OFF) SELECT count(*) FROM org JOIN org2 USING (code);
SELECT count(*) FROM org JOIN org2 USING (code);
CREATE TEMP TABLE person2 AS SELECT id FROM person;
EXPLAIN (COSTS OFF) SELECT count(*) FROM person JOIN person2 USING (id);
SELECT count(*) FROM person JOIN person2 USING (id);
RESET enable_mergejoin; RESET enable_nestloop;

-- hash partition key
CREATE TABLE org_part (code uscc, name text) PARTITION BY HASH (code);
CREATE TABLE org_part_0 PARTITION OF org_part FOR VALUES WITH (MODULUS 2, REMAINDER 0);
CREATE TABLE org_part_1 PARTITION OF org_part FOR VALUES WITH (MODULUS 2, REMAINDER 1);
INSERT INTO org_part SELECT code, name FROM org;
SELECT count(*) AS total, count(DISTINCT tableoid) AS partitions_used FROM org_part;
SELECT count(*) AS found FROM org_part WHERE code = '91350100M000100Y43';
EXPLAIN (COSTS OFF) SELECT * FROM org_part WHERE code = '91350100M000100Y43';
DROP TABLE org_part;

-- binary I/O: COPY BINARY out and back in gives the same values
CREATE TEMP TABLE bin (u uscc, c cn_id);
INSERT INTO bin VALUES ('91350100M000100Y43', '11010519491231002X'), ('A1110000600037341K', '440524188001010014');
COPY bin TO '/tmp/integrity_regress_bin.copy' WITH (FORMAT binary);
CREATE TEMP TABLE bin2 (LIKE bin);
COPY bin2 FROM '/tmp/integrity_regress_bin.copy' WITH (FORMAT binary);
SELECT (SELECT count(*) FROM bin2) AS rows_in,
       (SELECT count(*) FROM (TABLE bin EXCEPT TABLE bin2) d) AS missing,
       (SELECT count(*) FROM (TABLE bin2 EXCEPT TABLE bin) d) AS extra;
SELECT uscc_send('91350100M000100Y43') AS uscc_wire, cn_id_send('11010519491231002X') AS cn_id_wire;
-- a corrupted binary value is rejected: change the first row's uscc check
-- character (file offset 19 header + 2 field count + 4 length + 17)
SELECT lo_from_bytea(0, set_byte(pg_read_binary_file('/tmp/integrity_regress_bin.copy'), 42, 65)) AS lo \gset
SELECT lo_export(:lo, '/tmp/integrity_regress_bad.copy') > 0 AS written;
COPY bin2 FROM '/tmp/integrity_regress_bad.copy' WITH (FORMAT binary);
-- the cn_id check character (offset 43 + 4 length + 17)
SELECT lo_from_bytea(0, set_byte(pg_read_binary_file('/tmp/integrity_regress_bin.copy'), 64, 48)) AS lo \gset
SELECT lo_export(:lo, '/tmp/integrity_regress_bad.copy') > 0 AS written;
COPY bin2 FROM '/tmp/integrity_regress_bad.copy' WITH (FORMAT binary);
SELECT count(*) AS rows_after_bad_copies FROM bin2;
SELECT count(lo_unlink(oid)) AS unlinked FROM pg_largeobject_metadata;
