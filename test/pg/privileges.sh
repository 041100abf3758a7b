#!/bin/sh
# test/pg/privileges.sh: issue 13, "every function and view labelled and
# granted deliberately".  docs/SECURITY.md holds the reviewed table of every
# function of the extension with the least role that may execute it
# (PUBLIC, reader, operator, admin, or owner only); this test reads the
# catalog of a fresh install and checks that it says exactly what the table
# says, both ways: a function added without a row in the table, a row of a
# function that is gone, or a grant that differs, each fails here.
set -u
. "$(dirname "$0")/../tap.sh"
here=$(cd "$(dirname "$0")" && pwd)
DOC=$here/../../docs/SECURITY.md
DB=integrity_priv_$$
cleanup() {
	dropdb --if-exists "$DB" >/dev/null 2>&1
	psql -X -q -d postgres -c "DROP ROLE IF EXISTS priv_nobody, priv_reader, priv_operator, priv_admin" >/dev/null 2>&1
}
trap cleanup EXIT
q() { psql -X -q -A -t -v ON_ERROR_STOP=1 -d "$DB" -c "$1"; }

createdb "$DB" && q "CREATE EXTENSION integrity" >/dev/null &&
	q "CREATE ROLE priv_nobody; CREATE ROLE priv_reader IN ROLE integrity_reader;
	   CREATE ROLE priv_operator IN ROLE integrity_operator; CREATE ROLE priv_admin IN ROLE integrity_admin" >/dev/null
ok $? "a fresh install and one role of each kind"

catalog=$(q "SET search_path = integrity;
  SELECT p.oid::regprocedure::text || ' ' ||
         CASE WHEN has_function_privilege('priv_nobody', p.oid, 'EXECUTE') THEN 'PUBLIC'
              WHEN has_function_privilege('priv_reader', p.oid, 'EXECUTE') THEN 'reader'
              WHEN has_function_privilege('priv_operator', p.oid, 'EXECUTE') THEN 'operator'
              WHEN has_function_privilege('priv_admin', p.oid, 'EXECUTE') THEN 'admin' ELSE 'owner' END
    FROM pg_proc p JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
   WHERE d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'integrity')
" | sed 's/ \([A-Za-z]*\)$/|\1/')
doc=$(sed -n 's/^| `\([^`]*\)` | \(PUBLIC\|reader\|operator\|admin\|owner\) |.*/\1|\2/p' "$DOC" | LC_ALL=C sort)
nc=$(printf '%s\n' "$catalog" | grep -c .)
nd=$(printf '%s\n' "$doc" | grep -c .)
[ "$nc" -gt 100 ]
ok $? "the catalog lists the extension's functions ($nc)"
printf '%s\n' "$catalog" | LC_ALL=C sort >"${TMPDIR:-/tmp}/priv_c_$$"
printf '%s\n' "$doc" >"${TMPDIR:-/tmp}/priv_d_$$"
if diff "${TMPDIR:-/tmp}/priv_d_$$" "${TMPDIR:-/tmp}/priv_c_$$" >"${TMPDIR:-/tmp}/priv_x_$$"; then
	ok 0 "docs/SECURITY.md lists every function ($nd rows) with exactly the role the catalog grants it to"
else
	ok 1 "docs/SECURITY.md lists every function ($nd rows) with exactly the role the catalog grants it to"
	sed 's/^</# only in docs\/SECURITY.md:/; s/^>/# only in the catalog:/' "${TMPDIR:-/tmp}/priv_x_$$" | grep '^#' | head -40
fi
rm -f "${TMPDIR:-/tmp}"/priv_[cdx]_$$
is "$(q "SELECT count(*) FROM pg_proc p, aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) a
          WHERE p.pronamespace = 'integrity'::regnamespace AND a.grantee = 0 AND a.privilege_type = 'EXECUTE'
            AND p.proname !~ '^(uscc_|cn_id_)' AND p.proname NOT IN ('mask', 'mask_name')")" "0" \
   "issue 13: PUBLIC executes only the type and identifier functions"
is "$(q "SELECT string_agg(c.relname, ',' ORDER BY c.relname) FROM pg_class c
          WHERE c.relnamespace = 'integrity'::regnamespace AND c.relkind = 'v'
            AND has_table_privilege('priv_reader', c.oid, 'SELECT')
            AND NOT coalesce('security_barrier=true' = ANY (c.reloptions), false)")" "" \
   "issue 13: every view a reader may read is a security barrier"
echo "1..$n"
[ "$failed" -eq 0 ]
