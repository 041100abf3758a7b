#!/bin/sh
# test/pg/dump_restore.sh: pg_dump -Fc / pg_restore of a platform database
# keeps every row of the extension and its rules (SPEC 3 "dumped by
# pg_dump", SPEC 4, 6).  Prints TAP; exits non-zero on failure.
#
# Run by test/run-all.sh inside pg_virtualenv: PGHOST/PGPORT/PGUSER point
# at a superuser, integrity.signing_key_file is configured, $WORK is a
# writable temporary directory.  By hand:
#   PGPORT=5511 PGUSER=postgres PGHOST=/var/run/postgresql WORK=$(mktemp -d) sh test/pg/dump_restore.sh
set -u
: "${WORK:?WORK must name a writable directory}"

SRC=integrity_dump_src_$$
DST=integrity_dump_dst_$$
DUMP=$WORK/integrity_dump_$$.dump
LOG=$WORK/integrity_dump_$$.log

. "$(dirname "$0")/../tap.sh"		# ok, is, n, failed
diag() { sed 's/^/# /' "$@"; }

q() {		# q DB SQL: one value (or lines), errors to $LOG
	psql -X -q -A -t -v ON_ERROR_STOP=1 -d "$1" -c "$2" 2>>"$LOG"
}
# fingerprint of a query's rows (order independent)
fp() {		# fp DB QUERY
	q "$1" "SELECT count(*) || ' rows, md5 ' || md5(coalesce(string_agg(t::text, E'\n' ORDER BY t::text), ''))
	          FROM ($2) t"
}

cleanup() {
	dropdb --if-exists "$SRC" >/dev/null 2>&1
	dropdb --if-exists "$DST" >/dev/null 2>&1
	rm -f "$DUMP" "$LOG"
}
trap cleanup EXIT
trap 'exit 2' INT TERM
: >"$LOG"

# ------------------------------------------------------------------ source
createdb "$SRC" 2>>"$LOG"
ok $? "created source database"

psql -X -q -v ON_ERROR_STOP=1 -d "$SRC" >>"$LOG" 2>&1 <<'EOF'
CREATE EXTENSION integrity;
SET search_path = integrity, public;
SELECT set_origin('140400');

-- admin rows in the seeded tables (SPEC 3: admins may add rows)
SELECT calendar_load(2027, '{2027-01-04}', '{2027-01-10}', '测试: 管理员载入的年度日历');
INSERT INTO category (code, name, kind, default_severity, published, subject_kinds, note) VALUES
    ('environmental_violation', '环境违法', 'dishonest', 'general', true, '{government,department,enterprise}', 'admin row');

CREATE TEMP TABLE s AS SELECT
    subject_add('government', '长治市人民政府', '11140400000000019L') AS gov,
    subject_add('enterprise', '晋城甲建设有限公司', '91140400000000043W') AS ent,
    subject_add('enterprise', '丙科技有限公司', '91350100M000100Y43') AS ent2;
CREATE TEMP TABLE s2 AS SELECT
    subject_add('department', '长治市财政局', '11140400000000027F', NULL, gov) AS dept,
    subject_add('civil_servant', '王小明', '140402198501011237', NULL, gov) AS cs
  FROM s;

CREATE FUNCTION pg_temp.rec(subj bigint, cat text, age integer, sev integrity.severity DEFAULT 'general')
    RETURNS bigint LANGUAGE sql AS $$
    SELECT integrity.record_add(subj, cat, sev, current_date - age, '长罚决字〔2025〕' || age || '号',
                                '长治市市场监督管理局', 'dump test ' || cat) $$;
CREATE FUNCTION pg_temp.to_published(r bigint) RETURNS bigint LANGUAGE plpgsql AS $$
BEGIN
    PERFORM integrity.notify(r, '书面告知');
    PERFORM integrity.confirm(r, '认定');
    PERFORM integrity.publish(r);
    RETURN r;
END $$;

DO $$
DECLARE
    gov bigint := (SELECT gov FROM s); ent bigint := (SELECT ent FROM s); ent2 bigint := (SELECT ent2 FROM s);
    dept bigint := (SELECT dept FROM s2); cs bigint := (SELECT cs FROM s2);
    r bigint; until date;
BEGIN
    -- expired: decided 700 days ago, expired as of its own publicity_until
    r := pg_temp.to_published(pg_temp.rec(ent2, 'admin_penalty', 700));
    SELECT publicity_until INTO until FROM integrity.record WHERE id = r;
    PERFORM integrity.expire_due(until);
    -- published, then marked remedied
    r := pg_temp.to_published(pg_temp.rec(ent, 'admin_penalty', 400));
    PERFORM integrity.mark_remedied(r, '已主动挽回损失');
    -- published (serious)
    PERFORM pg_temp.to_published(pg_temp.rec(gov, 'breach_of_contract', 100, 'serious'));
    -- objected from published
    r := pg_temp.to_published(pg_temp.rec(dept, 'accountability', 200));
    PERFORM integrity.object(r, '主体提出异议');
    -- objection rejected: back to published
    r := pg_temp.to_published(pg_temp.rec(ent, 'environmental_violation', 150));
    PERFORM integrity.object(r, '主体提出异议');
    PERFORM integrity.resolve_objection(r, false, '异议不成立');
    -- repaired
    r := pg_temp.to_published(pg_temp.rec(ent2, 'admin_penalty', 400));
    PERFORM integrity.repair(r, '已整改并作出信用承诺');
    -- revoked after publication
    r := pg_temp.to_published(pg_temp.rec(gov, 'admin_penalty', 50));
    PERFORM integrity.revoke(r, '信息错误');
    -- objected from confirmed, upheld: revoked
    r := pg_temp.rec(cs, 'disciplinary_sanction', 60);
    PERFORM integrity.notify(r, '书面告知');
    PERFORM integrity.confirm(r, '认定');
    PERFORM integrity.object(r, '异议');
    PERFORM integrity.resolve_objection(r, true, '异议成立');
    -- confirmed (the record the restored database publishes)
    r := pg_temp.rec(cs, 'disciplinary_sanction', 30);
    PERFORM integrity.notify(r, '书面告知');
    PERFORM integrity.confirm(r, '认定');
    -- notified, collected with a correction
    PERFORM integrity.notify(pg_temp.rec(dept, 'statistical_fraud', 20), '书面告知');
    r := pg_temp.rec(ent, 'environmental_violation', 10);
    UPDATE integrity.record SET summary = '更正后的事实' WHERE id = r;
END $$;
EOF
rc=$?
ok $rc "source: subjects, records in every state, admin calendar rows and category"
[ $rc -eq 0 ] || diag "$LOG"
is "$(q "$SRC" "SELECT string_agg(DISTINCT state::text, ',' ORDER BY state::text) FROM integrity.record")" \
	"collected,confirmed,expired,notified,objected,published,repaired,revoked" \
	"source holds records in the 8 states"

# ------------------------------------------------------------ dump, restore
pg_dump -Fc -f "$DUMP" "$SRC" 2>>"$LOG"
ok $? "pg_dump -Fc"
createdb "$DST" 2>>"$LOG"
ok $? "created target database"
: >"$WORK/restore_$$.err"
pg_restore -d "$DST" "$DUMP" 2>"$WORK/restore_$$.err"
rc=$?
ok $rc "pg_restore -d into a fresh database, without errors"
[ $rc -eq 0 ] || diag "$WORK/restore_$$.err"
rm -f "$WORK/restore_$$.err"

# ------------------------------------------------------------------ compare
same() {	# same DESCRIPTION QUERY
	a=$(fp "$SRC" "$2")
	b=$(fp "$DST" "$2")
	if [ -n "$a" ] && [ "$a" = "$b" ]; then
		ok 0 "$1 ($a)"
	else
		ok 1 "$1"
		echo "#   source:   $a"
		echo "#   restored: $b"
	fi
}
same "SPEC 3 settings (the origin) restored" "SELECT origin FROM integrity.settings"
same "SPEC 3 subject rows restored" "SELECT * FROM integrity.subject"
same "SPEC 3 record rows restored" "SELECT * FROM integrity.record"
same "SPEC 3 record_event rows restored" "SELECT * FROM integrity.record_event"
same "SPEC 6 disclosure rows restored" "SELECT * FROM integrity.disclosure"
same "SPEC 6 chain_head, merkle_node and signing_key restored" \
	"SELECT 'head' k, h::text v FROM integrity.chain_head h UNION ALL SELECT 'node', m::text FROM integrity.merkle_node m
	 UNION ALL SELECT 'key', k::text FROM integrity.signing_key k"
same "SPEC 3 admin calendar rows restored" "SELECT * FROM integrity.calendar WHERE NOT seeded"
a=$(q "$SRC" "SELECT count(*) FROM integrity.calendar WHERE seeded")
is "$(q "$DST" "SELECT count(*) FROM integrity.calendar WHERE seeded")" "$a" \
	"SPEC 3 seeded calendar rows: the same number ($a), from the install script"
same "SPEC 3 category rows (seeded and admin) restored" "SELECT * FROM integrity.category"
is "$(q "$DST" "SELECT count(*) FROM integrity.calendar WHERE NOT seeded")" "2" \
	"SPEC 3 the two admin calendar rows are there once"
is "$(q "$DST" "SELECT count(*) FROM integrity.category WHERE code = 'environmental_violation'")" "1" \
	"SPEC 3 the admin category is there once"
is "$(q "$DST" "SELECT integrity.add_workdays('2027-01-01', 1) || ' ' || integrity.add_workdays('2027-01-08', 1)")" \
	"2027-01-05 2027-01-10" \
	"D2.5 the admin holiday (Monday 2027-01-04) and working Sunday (2027-01-10) count in the restored database"

# --------------------------------------------------------- rules still hold
N=$(q "$SRC" "SELECT count(*) FROM integrity.disclosure")
is "$(q "$DST" "SELECT ok::text || ' ' || checked FROM integrity.verify_chain()")" "true $N" \
	"SPEC 6 verify_chain() ok on the restored database"

# a record id of the restored database in a state ("0" if there is none)
rec_in() { q "$DST" "SELECT coalesce($1(id), 0) FROM integrity.record WHERE state = '$2'"; }
r_revoked=$(rec_in min revoked)
out=$(psql -X -q -A -t -d "$DST" -v VERBOSITY=verbose -c \
	"UPDATE integrity.record SET state = 'published' WHERE id = $r_revoked" 2>&1)
case $out in
*"55000"*"illegal transition of record $r_revoked from revoked to published"*) rc=0 ;;
*) rc=1 ;;
esac
ok $rc "SPEC 4 an illegal direct UPDATE is refused in the restored database (55000)"
[ $rc -eq 0 ] || { [ "$r_revoked" = 0 ] && echo "# no revoked record in the restored database"; echo "$out" | sed 's/^/# /'; }

out=$(psql -X -q -A -t -d "$DST" -c "DELETE FROM integrity.record WHERE id = $r_revoked" 2>&1)
case $out in
*"record $r_revoked cannot be deleted"*) rc=0 ;;
*) rc=1 ;;
esac
ok $rc "D2.4 DELETE is refused in the restored database"

events_before=$(q "$DST" "SELECT count(*) FROM integrity.record_event")
r_conf=$(rec_in max confirmed)
seq=$(q "$DST" "SELECT integrity.publish($r_conf)")
is "$seq" "$((N + 1))" "SPEC 6 publish in the restored database appends disclosure seq N+1 = $((N + 1))"
is "$(q "$DST" "SELECT d.prev_hash = p.entry_hash FROM integrity.disclosure d JOIN integrity.disclosure p
                 ON p.origin = d.origin AND p.seq = d.seq - 1
                WHERE d.origin = integrity.local_origin() AND d.seq = $((N + 1))")" "t" \
	"SPEC 6 the new entry is chained to entry N"
is "$(q "$DST" "SELECT ok::text || ' ' || checked FROM integrity.verify_chain()")" "true $((N + 1))" \
	"SPEC 6 verify_chain() still ok after the new entry"
is "$(q "$DST" "SELECT (count(*) - $events_before) || ' ' || max(id) FILTER (WHERE record_id = $r_conf AND event = 'publish')
                FROM integrity.record_event")" \
	"1 $(q "$SRC" "SELECT max(id) + 1 FROM integrity.record_event")" \
	"SPEC 4 the transition wrote one record_event, numbered after the restored ones"
max_rec=$(q "$SRC" "SELECT max(id) FROM integrity.record")
subj=$(q "$DST" "SELECT min(id) FROM integrity.subject WHERE kind = 'enterprise'")
is "$(q "$DST" "SELECT integrity.record_add($subj, 'admin_penalty', 'general', current_date, NULL, NULL, NULL)")" \
	"$((max_rec + 1))" "SPEC 3 record_add in the restored database continues the record ids"
out=$(psql -X -q -A -t -d "$DST" -c "SELECT integrity.set_origin('110105')" 2>&1)
case $out in
*"the origin is already 140400 and this platform has records"*) rc=0 ;;
*) rc=1 ;;
esac
ok $rc "SPEC 3 the restored origin is 140400 and cannot be changed"

echo "1..$n"
[ "$failed" -eq 0 ]
