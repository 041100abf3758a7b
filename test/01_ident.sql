-- pgTAP: identifier types, roles and privileges (SPEC 2, 8; DOMAIN D1)
BEGIN;
CREATE EXTENSION IF NOT EXISTS pgtap;
CREATE EXTENSION IF NOT EXISTS integrity;
SELECT plan(30);
-- operators of the types live in schema integrity: it must be on the path
SET LOCAL search_path = public, integrity;

SELECT has_type('integrity', 'uscc', 'type uscc exists');
SELECT has_type('integrity', 'cn_id', 'type cn_id exists');
SELECT has_role('integrity_reader');
SELECT has_role('integrity_operator');
SELECT has_role('integrity_admin');
SELECT is_member_of('integrity_reader', 'integrity_operator', 'SPEC 8 operator includes reader');
SELECT is_member_of('integrity_operator', 'integrity_admin', 'SPEC 8 admin includes operator');

-- D1.1: input and output
SELECT is('91350100m000100y43'::integrity.uscc::text, '91350100M000100Y43', 'D1.1 uscc folded to upper case');
SELECT is(' A1110000600037341K '::integrity.uscc::text, 'A1110000600037341K', 'D1.1a letter authority, blanks trimmed');
SELECT throws_ok($$SELECT '91110000600037341N'::integrity.uscc$$, '22P02',
    'invalid input syntax for type integrity.uscc: "91110000600037341N"', 'D1.1 wrong check character: 22P02');
SELECT throws_ok($$SELECT '36042619910102009X'::integrity.cn_id$$, '22P02',
    'invalid input syntax for type integrity.cn_id: "36042619910102009X"', 'D1.3 wrong check character: 22P02');
SELECT ok(integrity.uscc_is_valid('91350100M000100Y43'), 'D1.1b worked example valid');
SELECT ok(NOT integrity.uscc_is_valid('91350100M0001TGQXM'), 'D1.1b legacy pilot code invalid');
SELECT ok(integrity.cn_id_is_valid('440524188001010014'), 'D1.3a born 1880 valid');
-- D1.3: a resident ID born tomorrow, with a correct check character
WITH id AS (SELECT to_char(current_date + 1, '"110105"YYYYMMDD"002"') AS d17),
     c AS (SELECT d17 || substr('10X98765432', (SELECT sum(substr(d17, i::int, 1)::int * w) FROM
              unnest(ARRAY[7,9,10,5,8,4,2,1,6,3,7,9,10,5,8,4,2]) WITH ORDINALITY AS t(w, i))::int % 11 + 1, 1) AS code FROM id)
SELECT throws_like(format('SELECT %L::integrity.cn_id', code), '%%invalid input syntax%%',
                   'D1.3 birth date tomorrow refused') FROM c;
WITH id AS (SELECT to_char(current_date, '"110105"YYYYMMDD"002"') AS d17),
     c AS (SELECT d17 || substr('10X98765432', (SELECT sum(substr(d17, i::int, 1)::int * w) FROM
              unnest(ARRAY[7,9,10,5,8,4,2,1,6,3,7,9,10,5,8,4,2]) WITH ORDINALITY AS t(w, i))::int % 11 + 1, 1) AS code FROM id)
SELECT ok(integrity.cn_id_is_valid(code), 'D1.3 birth date today accepted') FROM c;
SELECT is(integrity.cn_id_birth_date('11010519491231002X'), date '1949-12-31', 'D1.3 birth date');
SELECT is(integrity.cn_id_sex('11010519491231002X'), 'F', 'D1.3 even sequence is female');
SELECT is(integrity.mask('140402199001011235'::integrity.cn_id), '140402********1235', 'D1.4 mask');
SELECT is(integrity.uscc_org_code('9144030071526726XG'), '71526726X', 'D1.2 organization code with X');

-- every public vector (test/vectors/codes.tsv is loaded by the regression
-- test; here the same list is checked through the is_valid functions)
SELECT is(
    (SELECT count(*)::int FROM (VALUES
        ('uscc', true, '91350100M000100Y43'), ('uscc', true, '91110000600037341L'),
        ('uscc', true, '121200004013590816'), ('uscc', true, '91310115MA1K3BTP2B'),
        ('uscc', true, '9144030071526726XG'), ('uscc', true, '91620105L015101280'),
        ('uscc', true, '92340602MA2PBMEM24'), ('uscc', true, '914403001922038216'),
        ('uscc', true, '91330100799655058B'), ('uscc', true, 'A1110000600037341K'),
        ('uscc', false, '91110000600037341N'), ('uscc', false, '91350100M000100Y4Z'),
        ('uscc', false, '914403001922038217'), ('uscc', false, '9111000060003IOZSV'),
        ('uscc', false, 'A1110000600037341L'), ('uscc', false, '91350100M0001TGQXM'),
        ('uscc', false, '91110108717809965C'), ('uscc', false, '12345'),
        ('cn_id', true, '11010519491231002X'), ('cn_id', true, '440524188001010014'),
        ('cn_id', true, '360426199101010071'), ('cn_id', true, '44011320141005001x'),
        ('cn_id', true, '513101198201130014'), ('cn_id', false, '36042619910102009X'),
        ('cn_id', false, '360426199113010079'), ('cn_id', false, '110105194902300020')) v(t, valid, code)
      WHERE valid = CASE t WHEN 'uscc' THEN integrity.uscc_is_valid(code) ELSE integrity.cn_id_is_valid(code) END),
    26, 'D1 all 26 public vectors');

-- operator classes
SELECT ok(bool_and(amvalidate(oid)), 'amvalidate on every operator class')
  FROM pg_opclass WHERE opcnamespace = 'integrity'::regnamespace;
SELECT is(count(*)::int, 4, 'btree and hash opclasses for both types')
  FROM pg_opclass WHERE opcnamespace = 'integrity'::regnamespace AND opcdefault;

-- function labels: validation IMMUTABLE or STABLE, never VOLATILE
SELECT is(count(*)::int, 0, 'no identifier function is VOLATILE')
  FROM pg_proc WHERE pronamespace = 'integrity'::regnamespace
   AND (proname LIKE 'uscc%' OR proname LIKE 'cn_id%' OR proname LIKE 'mask%') AND provolatile = 'v';
SELECT is(count(*)::int, 0, 'every identifier function is PARALLEL SAFE')
  FROM pg_proc WHERE pronamespace = 'integrity'::regnamespace
   AND (proname LIKE 'uscc%' OR proname LIKE 'cn_id%' OR proname LIKE 'mask%') AND proparallel <> 's';
SELECT is((SELECT provolatile FROM pg_proc WHERE oid = 'integrity.cn_id_in'::regproc), 's',
          'cn_id input is STABLE: it compares with the current date');

-- usable as keys in a real table
CREATE TEMP TABLE t (u integrity.uscc PRIMARY KEY, c integrity.cn_id UNIQUE);
INSERT INTO t VALUES ('91350100M000100Y43', '11010519491231002X');
SELECT throws_ok($$INSERT INTO t VALUES ('91350100m000100y43', '440524188001010014')$$, '23505',
    NULL, 'uscc primary key refuses a duplicate in another spelling');
SELECT throws_ok($$INSERT INTO t VALUES ('A1110000600037341K', '11010519491231002x')$$, '23505',
    NULL, 'cn_id unique refuses a duplicate in another spelling');
SELECT is((SELECT u FROM t WHERE u = '91350100M000100Y43'), '91350100M000100Y43'::integrity.uscc, 'lookup by key');
SELECT is((SELECT count(*)::int FROM t JOIN (VALUES ('91350100M000100Y43'::integrity.uscc)) v(u) USING (u)), 1,
          'join on uscc');

SELECT * FROM finish();
ROLLBACK;
