#!/bin/sh
# test/pg/upgrade.sh: the upgrade paths 1.0 -> current and 1.1 -> current
# (issue 7: "an upgrade-path test comparing the objects after ALTER EXTENSION
# integrity UPDATE with a fresh install").  Prints TAP; exits non-zero on failure.
#
#  - every object of an install of each released version (1.0, 1.1) updated
#    with ALTER EXTENSION ... UPDATE is described exactly like the same object
#    of a fresh install
#    (test/pg/catalog_snapshot.sql), and so are the rows the install seeds;
#  - the comparison is not blind: a changed comment, volatility or GRANT is
#    found;
#  - a platform database that worked under 1.0 (the new shared library with the
#    old SQL objects) keeps working, updates with its data, and its disclosure
#    chain continues across the update: entries signed before and after verify
#    as one chain.
#
# Run by test/run-all.sh inside pg_virtualenv (superuser, signing key set,
# $WORK writable).  By hand:
#   PGPORT=5511 PGUSER=postgres PGHOST=/var/run/postgresql WORK=$(mktemp -d) sh test/pg/upgrade.sh
set -u
: "${WORK:?WORK must name a writable directory}"
here=$(cd "$(dirname "$0")" && pwd)
SNAP=$here/catalog_snapshot.sql

UPD=integrity_upg_updated_$$
NEW=integrity_upg_fresh_$$
DATA=integrity_upg_data_$$
LOG=$WORK/integrity_upgrade_$$.log
CUR=$(sed -n "s/^default_version *= *'\(.*\)'/\1/p" "$here/../../integrity.control")

. "$(dirname "$0")/../tap.sh"		# ok, is, n, failed
q() {		# q DB SQL: one value (or lines), errors to $LOG
	psql -X -q -A -t -v ON_ERROR_STOP=1 -d "$1" -c "$2" 2>>"$LOG"
}
snapshot() {	# snapshot DB FILE: the catalog description, then the seeded rows
	psql -X -q -v ON_ERROR_STOP=1 -d "$1" -f "$SNAP" >"$2" 2>>"$LOG" || return 1
	# every table of the extension: its rows without the columns that record
	# when a row was made (timestamptz), fingerprinted in a stable order
	for t in $(q "$1" "SELECT c.oid::regclass FROM pg_class c JOIN pg_depend d
	                      ON d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e'
	                     WHERE d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'integrity')
	                       AND c.relkind = 'r' ORDER BY c.oid::regclass::text COLLATE \"C\""); do
		cols=$(q "$1" "SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum) FROM pg_attribute
		                WHERE attrelid = '$t'::regclass AND attnum > 0 AND NOT attisdropped
		                  AND atttypid <> 'timestamptz'::regtype")
		q "$1" "SELECT 'rows|$t|' || count(*) || '|' || md5(coalesce(string_agg(r, E'\n' ORDER BY r COLLATE \"C\"), ''))
		          FROM (SELECT ROW($cols)::text AS r FROM $t) x" >>"$2" || return 1
	done
}
cleanup() {
	for d in "$UPD" "$NEW" "$DATA"; do dropdb --if-exists "$d" >/dev/null 2>&1; done
	rm -f "$LOG" "$WORK"/upg_$$_*.txt
}
trap cleanup EXIT
trap 'exit 2' INT TERM
: >"$LOG"

is "$(q postgres "SELECT string_agg(source || '->' || target, ' ' ORDER BY source, target)
                    FROM pg_extension_update_paths('integrity') WHERE path IS NOT NULL")" \
   "1.0->1.1 1.0->$CUR 1.1->$CUR" "update paths from each released version to $CUR, and only those"

# ------------------------------------------------------------------ catalogs
createdb "$NEW" && q "$NEW" "CREATE EXTENSION integrity" >/dev/null
ok $? "fresh CREATE EXTENSION integrity (default version $CUR)"
snapshot "$NEW" "$WORK/upg_$$_fresh.txt"
ok $? "described the fresh catalog"
lines=$(wc -l <"$WORK/upg_$$_fresh.txt")
[ "$lines" -gt 300 ]
ok $? "the description covers the extension's objects ($lines lines)"
for k in member function aggregate relation column constraint index trigger type operator opclass cast rows; do
	grep -q "^$k|" "$WORK/upg_$$_fresh.txt"
	ok $? "the description has $k lines"
done
for FROM in 1.0 1.1; do
	dropdb --if-exists "$UPD" >/dev/null 2>&1
	createdb "$UPD" && q "$UPD" "CREATE EXTENSION integrity VERSION '$FROM'" >/dev/null
	ok $? "CREATE EXTENSION integrity VERSION '$FROM' (the released script) with the current library"
	q "$UPD" "ALTER EXTENSION integrity UPDATE TO '$CUR'" >/dev/null
	ok $? "ALTER EXTENSION integrity UPDATE TO '$CUR' from $FROM"
	is "$(q "$UPD" "SELECT extversion FROM pg_extension WHERE extname = 'integrity'")" "$CUR" \
	   "the extension updated from $FROM reports version $CUR"
	if snapshot "$UPD" "$WORK/upg_$$_updated.txt" &&
	   diff -u "$WORK/upg_$$_fresh.txt" "$WORK/upg_$$_updated.txt" >"$WORK/upg_$$_diff.txt"; then
		ok 0 "updated $FROM -> $CUR and fresh $CUR have the same objects, definitions, labels, ACLs, comments and seeded rows"
	else
		ok 1 "updated $FROM -> $CUR and fresh $CUR have the same objects, definitions, labels, ACLs, comments and seeded rows"
		sed 's/^/#   /' "$WORK/upg_$$_diff.txt" | head -80
	fi
done

# the comparison is not blind: each of these changes in the updated database
# must show up in its description
mutate() {	# mutate DESCRIPTION SQL UNDO-SQL
	q "$UPD" "$2" >/dev/null
	snapshot "$UPD" "$WORK/upg_$$_mut.txt"
	! cmp -s "$WORK/upg_$$_fresh.txt" "$WORK/upg_$$_mut.txt"
	ok $? "a difference is found: $1"
	q "$UPD" "$3" >/dev/null
}
mutate "a function's comment" \
	"COMMENT ON FUNCTION integrity.publish(bigint) IS 'changed'" \
	"COMMENT ON FUNCTION integrity.publish(bigint) IS NULL"
mutate "a function's volatility" \
	"ALTER FUNCTION integrity.uscc_is_valid(text) VOLATILE" \
	"ALTER FUNCTION integrity.uscc_is_valid(text) IMMUTABLE"
mutate "a GRANT" \
	"GRANT SELECT ON integrity.record TO PUBLIC" \
	"REVOKE SELECT ON integrity.record FROM PUBLIC"
mutate "a view's definition" \
	"CREATE OR REPLACE VIEW integrity.redlist AS SELECT * FROM integrity.redlist LIMIT 0" \
	"SELECT 1"
mutate "a row in a seeded table" \
	"INSERT INTO integrity.parameter (name, value) VALUES ('publish_workdays', '8')" \
	"SELECT 1"
# (the last two are not undone: the database is not compared again)

# ------------------------------------------------------------------ data
createdb "$DATA" 2>>"$LOG"
psql -X -q -v ON_ERROR_STOP=1 -d "$DATA" >>"$LOG" 2>&1 <<'EOF'
CREATE EXTENSION integrity VERSION '1.0';
SET search_path = integrity, public;
SELECT set_origin('140400');
CREATE TABLE public.s AS SELECT
    subject_add('government', '长治市人民政府', '11140400000000019L') AS gov,
    subject_add('enterprise', '晋城甲建设有限公司', '91140400000000043W') AS ent,
    subject_add('enterprise', '丙科技有限公司', '91350100M000100Y43') AS ent2;
CREATE TABLE public.s2 AS SELECT
    subject_add('department', '长治市财政局', '11140400000000027F', NULL, gov) AS dept,
    subject_add('civil_servant', '王小明', '140402198501011237', NULL, gov) AS cs
  FROM public.s;
CREATE FUNCTION public.rec(subj bigint, cat text, age integer, sev integrity.severity DEFAULT 'general')
    RETURNS bigint LANGUAGE sql AS $$
    SELECT integrity.record_add(subj, cat, sev, current_date - age, '长罚决字〔2025〕' || age || '号',
                                '长治市市场监督管理局', 'upgrade test ' || cat) $$;
CREATE FUNCTION public.to_confirmed(r bigint) RETURNS bigint LANGUAGE plpgsql AS $$
BEGIN
    PERFORM integrity.notify(r, '书面告知');
    PERFORM integrity.confirm(r, '认定');
    RETURN r;
END $$;
DO $$
DECLARE
    s record; t record; r bigint;
BEGIN
    SELECT * INTO s FROM public.s; SELECT * INTO t FROM public.s2;
    PERFORM integrity.publish(public.to_confirmed(public.rec(s.ent, 'admin_penalty', 400)));
    PERFORM integrity.publish(public.to_confirmed(public.rec(s.gov, 'breach_of_contract', 100, 'serious')));
    r := public.to_confirmed(public.rec(t.dept, 'accountability', 200));
    PERFORM integrity.publish(r);
    PERFORM integrity.object(r, '主体提出异议');
    r := public.to_confirmed(public.rec(s.ent2, 'admin_penalty', 400));
    PERFORM integrity.publish(r);
    PERFORM integrity.repair(r, '已整改并作出信用承诺');
    -- left for after the update: confirmed, and one published record to revoke
    PERFORM public.to_confirmed(public.rec(t.cs, 'disciplinary_sanction', 30));
    PERFORM integrity.publish(public.to_confirmed(public.rec(s.ent, 'admin_penalty', 50)));
END $$;
EOF
ok $? "under 1.0 (new library, 1.0 objects): subjects added, records published, objected, repaired"
before=$(q "$DATA" "SELECT count(*) FROM integrity.disclosure")
is "$(q "$DATA" "SELECT ok FROM integrity.verify_chain()")" "t" "under 1.0: the chain of $before entries verifies"
# the released columns (1.2 appends subject_id, issue 17: NULL on these rows)
DCOLS="origin, seq, record_id, event, payload, payload_hash, prev_hash, entry_hash, key_id, signature, disclosed_at"
fp_before=$(q "$DATA" "SELECT md5(string_agg(row($DCOLS)::text, E'\n' ORDER BY seq)) FROM integrity.disclosure d")
rec_before=$(q "$DATA" "SELECT md5(string_agg(r::text, E'\n' ORDER BY id)) FROM integrity.record r")

q "$DATA" "ALTER EXTENSION integrity UPDATE TO '$CUR'" >/dev/null
ok $? "a database with data updates to $CUR"
is "$(q "$DATA" "SELECT md5(string_agg(row($DCOLS)::text, E'\n' ORDER BY seq)) FROM integrity.disclosure d")" "$fp_before" \
   "the update leaves every disclosure row as it was"
is "$(q "$DATA" "SELECT md5(string_agg(r::text, E'\n' ORDER BY id)) FROM integrity.record r")" "$rec_before" \
   "the update leaves every record as it was"
psql -X -q -v ON_ERROR_STOP=1 -d "$DATA" >>"$LOG" 2>&1 <<'EOF'
DO $$
DECLARE r bigint;
BEGIN
    SELECT id INTO r FROM integrity.record WHERE state = 'confirmed';
    PERFORM integrity.publish(r);
    SELECT id INTO r FROM integrity.record WHERE state = 'published' ORDER BY id DESC LIMIT 1;
    PERFORM integrity.revoke(r, '信息错误');
    SELECT id INTO r FROM integrity.record WHERE state = 'objected';
    PERFORM integrity.resolve_objection(r, false, '异议不成立');
END $$;
EOF
ok $? "after the update: publish, revoke and resolve_objection on records made under 1.0"
is "$(q "$DATA" "SELECT count(*) - $before FROM integrity.disclosure")" "3" \
   "after the update: three more disclosures"
is "$(q "$DATA" "SELECT string_agg(((d.payload::jsonb ->> 'prev_seq')::bigint = (SELECT coalesce(max(p.seq), 0)
                   FROM integrity.disclosure p JOIN integrity.record pr ON pr.origin = p.origin AND pr.id = p.record_id
                  WHERE pr.subject_id = r.subject_id AND p.seq < d.seq)
                   AND d.subject_id = r.subject_id)::text, ' ' ORDER BY d.seq)
                   FROM integrity.disclosure d JOIN integrity.record r ON r.origin = d.origin AND r.id = d.record_id
                  WHERE d.seq > $before")" "true true true" \
   "issue 17: entries after the update name the previous entry about their subject, those of 1.0 included"
is "$(q "$DATA" "SELECT ok::text || ' ' || coalesce(first_bad::text, '-') FROM integrity.verify_chain(signatures => 'all')")" "true -" \
   "entries signed before and after the update verify as one chain, every signature checked"
is "$(q "$DATA" "SELECT count(*) || ' ' || count(DISTINCT d.record_id) FROM integrity.disclosure d
                 JOIN integrity.record r ON r.id = d.record_id WHERE d.event = 'publish'")" "6 6" \
   "every published record has exactly one publish disclosure across the update"

[ "$failed" -ne 0 ] && sed 's/^/# log: /' "$LOG" | tail -30
echo "1..$n"
[ "$failed" -eq 0 ]
