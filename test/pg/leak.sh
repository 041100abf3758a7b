#!/bin/sh
# test/pg/leak.sh: a reader's own cheap function cannot see, through a
# reader view, what the view does not show (issue 13, finding 2; SPEC 7,
# D1.4).  Prints TAP; exits non-zero on failure.
#
# Against every view of schema integrity that integrity_reader may read
# (listed from the catalog) and every text-like column of it (text,
# varchar, char, name, the extension's uscc and cn_id, and arrays of them,
# cast to text), as integrity_reader:
#     SELECT * FROM integrity.<view> WHERE public.leak(<column>)
# where public.leak(text) RETURNS boolean COST 0.0000001 raises a NOTICE
# with its argument and returns true; once VOLATILE (the issue's form) and
# once IMMUTABLE (which may also be pushed into subqueries and CTEs), and
# the issue's two-argument form public.leak2(a text, b text) over pairs of
# columns.  Every NOTICE is captured; a value is a leak when the view,
# read by the same reader without the function, does not return it in that
# column.  Besides, no NOTICE may hold "SECRET" (the texts of the records
# that are not public, test/pg/platform.sql) nor the name or resident ID
# of a civil servant (masked in the views).
#
# Views that are not WITH (security_barrier) fail this test: the planner
# runs the cheap function before the view's own WHERE clause.
#
# Run by test/run-all.sh inside pg_virtualenv (PGHOST/PGPORT/PGUSER name a
# superuser, integrity.signing_key_file is set, $WORK is writable).
set -u
: "${WORK:?WORK must name a writable directory}"

DB=integrity_leak_$$
DIR=$WORK/leak_$$
LOG=$DIR/setup.log
here=$(dirname "$0")
export PGCLIENTENCODING=UTF8

. "$here/../tap.sh"		# ok, is, n, failed
q() {		# q SQL: the value(s), as the superuser
	psql -X -q -A -t -v ON_ERROR_STOP=1 -d "$DB" -c "$1" 2>>"$LOG"
}
cleanup() {
	dropdb --if-exists "$DB" >/dev/null 2>&1
	[ -n "${KEEP_TMP:-}" ] || rm -rf "$DIR"
}
trap cleanup EXIT
trap 'exit 2' INT TERM HUP
mkdir -p "$DIR"
chmod 755 "$DIR"
: >"$LOG"

# ------------------------------------------------------------------ set-up
createdb "$DB" 2>>"$LOG"
ok $? "created database $DB"
psql -X -q -v ON_ERROR_STOP=1 -d "$DB" -f "$here/platform.sql" >>"$LOG" 2>&1 &&
psql -X -q -v ON_ERROR_STOP=1 -d "$DB" >>"$LOG" 2>&1 <<'EOF'
-- the attacker's functions (issue 13 (2)): cheap, so the planner runs them
-- first; each NOTICE names the column (leak.tag) and holds the argument in hex
CREATE FUNCTION public.leak(a text) RETURNS boolean LANGUAGE plpgsql COST 0.0000001 AS $$
BEGIN
    RAISE NOTICE 'LEAK|%|%', current_setting('leak.tag'), coalesce('v' || encode(convert_to(a, 'UTF8'), 'hex'), 'n');
    RETURN true;
END $$;
CREATE FUNCTION public.leak_immutable(a text) RETURNS boolean LANGUAGE plpgsql IMMUTABLE COST 0.0000001 AS $$
BEGIN
    RAISE NOTICE 'LEAK|%|%', current_setting('leak.tag'), coalesce('v' || encode(convert_to(a, 'UTF8'), 'hex'), 'n');
    RETURN true;
END $$;
CREATE FUNCTION public.leak2(a text, b text) RETURNS boolean LANGUAGE plpgsql COST 0.0000001 AS $$
BEGIN
    RAISE NOTICE 'LEAK|%|%', split_part(current_setting('leak.tag'), ',', 1), coalesce('v' || encode(convert_to(a, 'UTF8'), 'hex'), 'n');
    RAISE NOTICE 'LEAK|%|%', split_part(current_setting('leak.tag'), ',', 2), coalesce('v' || encode(convert_to(b, 'UTF8'), 'hex'), 'n');
    RETURN true;
END $$;
GRANT EXECUTE ON FUNCTION public.leak(text), public.leak_immutable(text), public.leak2(text, text) TO PUBLIC;

-- the reader views and their text-like columns
CREATE TABLE hostile.leak_col AS
SELECT c.relname AS view, a.attname AS col, a.attnum,
       CASE WHEN a.atttypid IN ('text'::regtype, 'varchar'::regtype, 'bpchar'::regtype, 'name'::regtype)
            THEN format('%I', a.attname) ELSE format('%I::text', a.attname) END AS expr
  FROM pg_class c
  JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
  JOIN pg_type t ON t.oid = a.atttypid
  LEFT JOIN pg_type e ON e.oid = t.typelem AND t.typcategory = 'A'
 WHERE c.relnamespace = 'integrity'::regnamespace AND c.relkind IN ('v', 'm')
   AND has_table_privilege('integrity_reader', c.oid, 'SELECT')
   AND (t.typcategory = 'S' OR e.typcategory = 'S'
        OR t.oid IN ('integrity.uscc'::regtype, 'integrity.cn_id'::regtype)
        OR e.oid IN ('integrity.uscc'::regtype, 'integrity.cn_id'::regtype));
CREATE TABLE hostile.leak_view AS
SELECT c.relname AS view, coalesce('security_barrier=true' = ANY (c.reloptions), false) AS barrier
  FROM pg_class c
 WHERE c.relnamespace = 'integrity'::regnamespace AND c.relkind IN ('v', 'm')
   AND has_table_privilege('integrity_reader', c.oid, 'SELECT');
-- what the views show the reader, and what the functions saw
CREATE TABLE hostile.shown (tag text, val text);
CREATE TABLE hostile.seen (form text, tag text, hex text);
GRANT INSERT ON hostile.shown TO integrity_reader;
EOF
if ! ok $? "a loaded platform, public.leak(text), leak_immutable(text), leak2(text, text) (test/pg/platform.sql)"; then
	sed 's/^/# /' "$LOG" | tail -20
	echo "1..$n"
	exit 1
fi
views=$(q "SELECT count(*) || ' reader views (' || string_agg(view || CASE WHEN barrier THEN '' ELSE ' not security_barrier' END, ', ' ORDER BY view) || ')' FROM hostile.leak_view")
cols=$(q "SELECT count(*) FROM hostile.leak_col")
ok 0 "$views; $cols text-like columns"
for v in $(q "SELECT view FROM hostile.leak_view ORDER BY view"); do
	echo "# integrity.$v: $(q "SELECT count(*) FROM integrity.\"$v\"") rows"
done

# ------------------------------------------------------------------ runs
# one script per form, run as integrity_reader; the NOTICEs go to stderr
q "SELECT 'SET ROLE integrity_reader;' UNION ALL
   SELECT format('INSERT INTO hostile.shown SELECT %L, %s FROM integrity.%I;', view || '.' || col, expr, view)
     FROM hostile.leak_col" > "$DIR/shown.sql"
for form in leak leak_immutable; do
	q "SELECT 'SET ROLE integrity_reader;' UNION ALL SELECT 'SET client_min_messages = notice;' UNION ALL
	   SELECT format(E'SET leak.tag = %L;\nSELECT * FROM integrity.%I WHERE public.$form(%s) \\\\g /dev/null',
	                 view || '.' || col, view, expr)
	     FROM hostile.leak_col" > "$DIR/$form.sql"
done
# leak2 over each column and the next one of the same view (the last with the first)
q "SELECT 'SET ROLE integrity_reader;' UNION ALL SELECT 'SET client_min_messages = notice;' UNION ALL
   SELECT format(E'SET leak.tag = %L;\nSELECT * FROM integrity.%I WHERE public.leak2(%s, %s) \\\\g /dev/null',
                 view || '.' || col || ',' || view || '.' || nxt, view, expr, nexpr)
     FROM (SELECT view, col, expr,
                  coalesce(lead(col) OVER w, first_value(col) OVER w) AS nxt,
                  coalesce(lead(expr) OVER w, first_value(expr) OVER w) AS nexpr
             FROM hostile.leak_col WINDOW w AS (PARTITION BY view ORDER BY attnum)) x" > "$DIR/leak2.sql"

psql -X -q -v ON_ERROR_STOP=1 -d "$DB" -f "$DIR/shown.sql" > "$DIR/shown.out" 2>&1
ok $? "integrity_reader reads every text-like column of every reader view" || sed 's/^/# /' "$DIR/shown.out" | head -5
for form in leak leak_immutable leak2; do
	psql -X -q -v ON_ERROR_STOP=1 -d "$DB" -f "$DIR/$form.sql" > "$DIR/$form.out" 2> "$DIR/$form.err"
	ok $? "as integrity_reader: SELECT * FROM integrity.<view> WHERE public.$form(...) for every view and column" ||
		grep -v 'NOTICE' "$DIR/$form.err" | head -5 | sed 's/^/# /'
	sed -n "s/^.*NOTICE:  LEAK|\\([^|]*\\)|\\([nv][0-9a-f]*\\)\$/$form	\\1	\\2/p" "$DIR/$form.err" > "$DIR/$form.tsv"
	psql -X -q -v ON_ERROR_STOP=1 -d "$DB" -c "\\copy hostile.seen FROM '$DIR/$form.tsv'" >>"$LOG" 2>&1
done
echo "# NOTICEs captured: $(q "SELECT string_agg(form || ' ' || c, ', ') FROM (SELECT form, count(*) AS c FROM hostile.seen GROUP BY form ORDER BY form) x")"

# ------------------------------------------------------------------ verdicts
# per form, view and column: the values the function saw that the view
# does not show in that column; the secrets among them
q "CREATE VIEW hostile.leaked AS
   SELECT s.form, s.tag, v.val, v.val IS NOT NULL AND (v.val LIKE '%SECRET%'
              OR EXISTS (SELECT 1 FROM hostile.person p WHERE strpos(v.val, p.name) > 0 OR strpos(v.val, p.code) > 0)) AS secret
     FROM (SELECT DISTINCT form, tag, hex FROM hostile.seen) s,
          LATERAL (SELECT CASE WHEN s.hex = 'n' THEN NULL ELSE convert_from(decode(substr(s.hex, 2), 'hex'), 'UTF8') END AS val) v
    WHERE NOT EXISTS (SELECT 1 FROM hostile.shown w WHERE w.tag = s.tag AND w.val IS NOT DISTINCT FROM v.val)" >/dev/null
q "SELECT f.form || E'\t' || c.view || '.' || c.col || E'\t' || lv.barrier || E'\t' ||
          (SELECT count(*) FROM hostile.seen s WHERE s.form = f.form AND s.tag = c.view || '.' || c.col) || E'\t' ||
          count(l.tag) || E'\t' ||
          count(*) FILTER (WHERE l.secret) || E'\t' ||
          left(coalesce(string_agg(left(coalesce(l.val, 'NULL'), 60), ' | ' ORDER BY l.secret DESC, l.val)
                        FILTER (WHERE l.tag IS NOT NULL), ''), 300)
     FROM (VALUES ('leak'), ('leak_immutable'), ('leak2')) f(form)
     CROSS JOIN hostile.leak_col c
     JOIN hostile.leak_view lv ON lv.view = c.view
     LEFT JOIN hostile.leaked l ON l.form = f.form AND l.tag = c.view || '.' || c.col
    GROUP BY f.form, c.view, c.col, c.attnum, lv.barrier
    ORDER BY c.view, c.attnum, f.form" > "$DIR/verdict.tsv"
while IFS="$(printf '\t')" read -r form col barrier nseen nleak nsecret examples; do
	case $form in
	leak2) call="public.leak2(a text, b text)" ;;
	*) call="public.$form(text)" ;;
	esac
	bar=
	[ "$barrier" = t ] || bar=", the view is not security_barrier"
	if [ "$nleak" = 0 ]; then
		ok 0 "integrity.$col through $call: $nseen NOTICEs, all of them values the view shows"
	else
		ok 1 "integrity.$col through $call: $nleak values the view does not show reached the function ($nsecret SECRET or a civil servant's name/ID)$bar"
		echo "#   e.g. $examples"
	fi
done < "$DIR/verdict.tsv"
total=$(q "SELECT count(*) FROM hostile.leaked")
secret=$(q "SELECT count(*) FROM hostile.leaked WHERE secret")
is "$secret" 0 "no NOTICE holds the text of a record that is not public, nor a civil servant's name or resident ID (SECRET values seen: $secret)"
echo "# values leaked in all (form x column): $total, of which SECRET or personal: $secret"
echo "1..$n"
[ "$failed" -eq 0 ]
