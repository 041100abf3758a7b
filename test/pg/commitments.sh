#!/bin/sh
# test/pg/commitments.sh: the nightly commitments_due (DOMAIN D7.2, D7.4)
# run by two sessions at once opens one breach record per broken
# commitment or arrears, never two, and the log with commitment entries
# (record_id NULL) verifies in SQL and offline with tools/integrity-verify.
# Prints TAP; exits non-zero on failure.
#
# Run by test/run-all.sh inside pg_virtualenv (PGHOST/PGPORT/PGUSER of a
# superuser, integrity.signing_key_file configured, $WORK writable).  By hand:
#   PGPORT=5541 PGUSER=postgres PGHOST=/var/run/postgresql WORK=$(mktemp -d) sh test/pg/commitments.sh
set -u
: "${WORK:?WORK must name a writable directory}"

DB=integrity_cm_$$
DIR=$WORK/integrity_cm_$$
LOG=$DIR/psql.log
TOOL=${INTEGRITY_VERIFY:-tools/integrity-verify/integrity-verify}

. "$(dirname "$0")/../tap.sh"		# ok, is, n, failed
q() {		# q SQL: the value(s), errors to $LOG
	psql -X -q -A -t -v ON_ERROR_STOP=1 -d "$DB" -c "$1" 2>>"$LOG"
}
cleanup() {
	dropdb --if-exists "$DB" >/dev/null 2>&1
	rm -rf "$DIR"
}
trap cleanup EXIT
trap 'exit 2' INT TERM
mkdir -p "$DIR"
: >"$LOG"

createdb "$DB" 2>>"$LOG"
ok $? "created database $DB"
# 300 commitments and 100 arrears due from 2026-03-02 to 2026-09-18;
# those due after 2026-06-30 are judged with a grace of 2 working days
psql -X -q -v ON_ERROR_STOP=1 -d "$DB" >>"$LOG" 2>&1 <<'SQL'
CREATE EXTENSION integrity;
SELECT integrity.set_origin('140400');
SELECT integrity.subject_add('government', '长治市人民政府', '11140400000000019L');
SELECT integrity.subject_add('department', '长治市统计局', '11140400000000027F', parent_id => 1);
SELECT integrity.commitment_add(1 + i % 2, (ARRAY['service', 'policy', 'contract', 'environment', 'debt'])[1 + i % 5],
                                '并发承诺 ' || i, '长政发〔2026〕' || i || '号', '2026-01-05', '2026-03-02'::date + i % 200)
  FROM generate_series(1, 300) i;
SELECT integrity.arrears_add(1, (ARRAY['project_payment', 'migrant_wages', 'enterprise_account'])[1 + i % 3],
                             '债权人' || i, 1000 + i, '2026-03-02'::date + i % 100, '欠〔2026〕' || i || '号')
  FROM generate_series(1, 100) i;
SQL
ok $? "set-up: 300 commitments and 100 arrears due in the past"

# ---------------------------------------------------- one session holds, one runs
# A takes every due row and holds it for 2 s; B, meanwhile, skips them
(psql -X -q -A -t -v ON_ERROR_STOP=1 -d "$DB" -c "BEGIN" \
      -c "SELECT integrity.commitments_due('2026-06-30')" -c "SELECT pg_sleep(2)" -c "COMMIT" \
      >"$DIR/a.out" 2>>"$LOG"; echo $? >"$DIR/a.rc") &
i=0	# until A sleeps, holding its locks
while [ "$(q "SELECT count(*) FROM pg_stat_activity WHERE query = 'SELECT pg_sleep(2)'")" != 1 ] && [ $i -lt 100 ]; do
	sleep 0.1; i=$((i + 1))
done
q "SELECT integrity.commitments_due('2026-06-30')" >"$DIR/b.out"; echo $? >"$DIR/b.rc"
wait
is "$(cat "$DIR/a.rc"),$(cat "$DIR/b.rc")" "0,0" "D7.2 two sessions run commitments_due at once, both succeed"
due=$(q "SELECT (SELECT count(*) FROM integrity.commitment WHERE due_on < '2026-06-30') + (SELECT count(*) FROM integrity.arrears WHERE due_on < '2026-06-30')")
is "$(( $(grep -E '^[0-9]+$' "$DIR/a.out") + $(cat "$DIR/b.out") ))" "$(( 2 * due ))" \
	"D7.2 together they took exactly two steps (overdue, broken) per due row ($due rows)"
is "$(cat "$DIR/b.out")" 0 "D7.2 the second session skipped the rows the first was breaking"

# ---------------------------------------------------- both at once, repeatedly
q "INSERT INTO integrity.parameter (name, value) VALUES ('commitment_grace_workdays', '2'), ('arrears_grace_workdays', '2')" >/dev/null
rc=0
for day in 2026-07-31 2026-08-31 2026-09-30 2026-10-31 "$(date +%F)"; do
	for s in 1 2 3; do
		(q "SELECT integrity.commitments_due('$day')" >"$DIR/r$s.out"; echo $? >"$DIR/r$s.rc") &
	done
	wait
	for s in 1 2 3; do [ "$(cat "$DIR/r$s.rc")" = 0 ] || rc=1; done
done
ok $rc "D7.2 three sessions at once, five times (as of five days up to today): no error"

is "$(q "SELECT count(*) FROM integrity.commitment WHERE state <> 'broken'")" 0 "D7.2 every commitment due in the past is broken"
is "$(q "SELECT count(*) FROM integrity.arrears WHERE state <> 'broken'")" 0 "D7.4 every arrears due in the past is broken"
is "$(q "SELECT count(*) FROM integrity.record WHERE category = 'breach_of_contract'")" 400 \
	"D7.2, D7.4 one breach record per broken commitment or arrears: 400, not more"
is "$(q "SELECT count(*) FROM (SELECT document_no FROM integrity.record GROUP BY document_no HAVING count(*) > 1) d")" 0 \
	"D7.2 no document_no has two breach records"
is "$(q "SELECT count(*) FROM integrity.commitment c JOIN integrity.record r ON r.id = c.breach_record_id
          WHERE r.document_no <> c.document_no OR r.subject_id <> c.subject_id OR r.state <> 'collected' OR r.decided_on <> c.broken_on")" 0 \
	"D7.2 each breach record is the commitment's: its document_no, subject, decision date = broken_on, state collected"
is "$(q "SELECT count(*) FROM integrity.commitment c
          WHERE c.broken_on <> CASE WHEN c.due_on < '2026-06-30' THEN c.due_on + 1 ELSE integrity.add_workdays(c.due_on, 2) + 1 END")" 0 \
	"D7.2 broken_on is the day after the grace (0 before the parameter changed, then 2 working days), whichever session broke it"
is "$(q "SELECT count(*) FROM (SELECT commitment_id FROM integrity.commitment_event WHERE event = 'break' GROUP BY 1 HAVING count(*) > 1) x")" 0 \
	"D7.2 no commitment has two break events"
is "$(q "SELECT string_agg(event || '=' || n, ',' ORDER BY event) FROM (SELECT event, count(*) n FROM integrity.disclosure GROUP BY 1) x")" \
	"commitment_broken=300,commitment_made=300" "SPEC 6 one disclosure per commitment made and per commitment broken"
is "$(q "SELECT ok || ' ' || checked FROM integrity.verify_chain()")" "true 600" "SPEC 6 verify_chain: the chain of 600 commitment entries is whole"

# ---------------------------------------------------- offline
psql -X -q -v ON_ERROR_STOP=1 -d "$DB" -c "\\copy (SELECT origin, seq, record_id, event, payload, payload_hash, prev_hash, entry_hash, key_id, signature, disclosed_at FROM integrity.disclosure WHERE origin = '140400' ORDER BY seq) TO '$DIR/log.csv' CSV HEADER" 2>>"$LOG"
q "SELECT encode(integrity.public_key(), 'hex')" >"$DIR/key.hex"
"$TOOL" --key "$DIR/key.hex" "$DIR/log.csv" >"$DIR/tool.out" 2>"$DIR/tool.err"
rc=$?
ok $rc "SPEC 6 integrity-verify accepts the exported log with commitment entries (empty record_id)" || sed 's/^/# /' "$DIR/tool.err"
grep -q '^ok: 600 entries verified' "$DIR/tool.out"
ok $? "integrity-verify checked 600 entries" || sed 's/^/# /' "$DIR/tool.out"
# an empty record_id on a record event is still refused
awk -F, 'NR == 2 { sub(/commitment_made/, "publish") } { print }' "$DIR/log.csv" >"$DIR/bad.csv"
"$TOOL" --key "$DIR/key.hex" "$DIR/bad.csv" >/dev/null 2>"$DIR/bad.err"
is "$?,$(grep -c 'bad row seq=1: record_id is empty' "$DIR/bad.err")" "1,1" \
	"integrity-verify refuses a record event without record_id (exit 1, bad row seq=1)"

echo "1..$n"
[ "$failed" = 0 ]
