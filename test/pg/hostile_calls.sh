#!/bin/sh
# test/pg/hostile_calls.sh: no role can crash the server, tie it up or get
# an internal error out of any function of the extension (issue 13, "a
# catalog-driven test").  Prints TAP: one line per function and role that
# may execute it; exits non-zero on failure.
#
# The functions come from the catalog (pg_proc joined to pg_depend on the
# extension, test/pg/hostile_calls.sql), so a new function is covered
# without editing this test.  Not called: trigger functions, and functions
# that take `internal` (aggregate support and binary I/O functions; the
# aggregate itself is called).  For each function and each of the roles
# integrity_reader, integrity_operator and integrity_admin that has EXECUTE
# on it: a call with every argument NULL, one with every argument at a
# plausible value, and for each argument in turn every boundary value of
# its type with the other arguments plausible.  Each call runs in its own
# transaction, rolled back, as that role (SET ROLE in a superuser session),
# under statement_timeout = 5s and temp_file_limit = 256MB, on a platform
# loaded by test/pg/platform.sql.
#
# A call fails when
#   - the backend dies (the server restarts: the start time of its
#     checkpointer changes; pg_postmaster_start_time() survives a crash
#     restart, so it is checked too but cannot show one), or the session
#     is lost;
#   - it runs into statement_timeout (57014), temp_file_limit or memory
#     (class 53), or hangs past the timeout (cancelled by a watchdog);
#   - its error is an internal error (class XX) or has no SQLSTATE of its
#     own (P0001, a RAISE without ERRCODE).
# Other errors are fine (the SQLSTATEs are counted in each TAP line).  A
# call that crashed or timed out as one role is not repeated as the next
# ones (the same code runs; it is reported for each of them).
#
# Run by test/run-all.sh inside pg_virtualenv: PGHOST/PGPORT/PGUSER name a
# superuser, integrity.signing_key_file is configured, $WORK is a writable
# directory.  By hand:
#   WORK=$(mktemp -d) pg_virtualenv -o integrity.signing_key_file=KEY sh test/pg/hostile_calls.sh
# HOSTILE_ONLY=REGEX limits the functions (regprocedure text) for debugging.
set -u
: "${WORK:?WORK must name a writable directory}"

DB=integrity_hostile_$$
DIR=$WORK/hostile_calls_$$
LOG=$DIR/setup.log
TIMEOUT=${HOSTILE_TIMEOUT:-5s}
ONLY=${HOSTILE_ONLY:-}
here=$(dirname "$0")
export PGCLIENTENCODING=UTF8

. "$here/../tap.sh"		# ok, is, n, failed
q() {		# q SQL: one value from the test database (as the superuser)
	psql -X -q -A -t -v ON_ERROR_STOP=1 -d "$DB" -c "$1" 2>>"$LOG"
}

cleanup() {
	[ -n "${WATCHDOG:-}" ] && kill "$WATCHDOG" 2>/dev/null
	dropdb --if-exists "$DB" >/dev/null 2>&1
	[ -n "${KEEP_TMP:-}" ] || rm -rf "$DIR"
}
trap cleanup EXIT
trap 'exit 2' INT TERM HUP
mkdir -p "$DIR"
: >"$LOG"
t0=$(date +%s)

# ------------------------------------------------------------------ set-up
createdb "$DB" 2>>"$LOG"
ok $? "created database $DB"
psql -X -q -v ON_ERROR_STOP=1 -d "$DB" -f "$here/platform.sql" >>"$LOG" 2>&1 &&
	psql -X -q -v ON_ERROR_STOP=1 -d "$DB" -f "$here/hostile_calls.sql" >>"$LOG" 2>&1
if ! ok $? "a loaded platform and the call list (test/pg/platform.sql, hostile_calls.sql)"; then
	sed 's/^/# /' "$LOG" | tail -20
	echo "1..$n"
	exit 1
fi

# the functions: fid, signature, roles (space-separated), why skipped
q "SELECT fid || E'\t' || sig || E'\t' || array_to_string(roles, ' ') || E'\t' || coalesce(skip, '')
     FROM hostile.fn ORDER BY fid" > "$DIR/fn.tsv"
# the calls: fid, vno, label, SQL (one line each: no tab or newline in them)
q "SELECT fid || E'\t' || vno || E'\t' || label || E'\t' || sql FROM hostile.call ORDER BY fid, vno" > "$DIR/call.tsv"
nfn=$(wc -l < "$DIR/fn.tsv")
ncall=$(wc -l < "$DIR/call.tsv")
ok 0 "$nfn functions in schema integrity belong to the extension; $ncall calls per role"
is "$(awk -F '\t' 'NF != 4' "$DIR/call.tsv" | wc -l)" 0 "every generated call is one line of 4 fields"
awk -F '\t' '$4 != "" { printf "# not called: %s (%s)\n", $2, $4 }' "$DIR/fn.tsv"
awk -F '\t' '$4 == "" && $3 == "" { printf "# not called: %s (no integrity role may execute it)\n", $2 }' "$DIR/fn.tsv"

# "server generation": a crash restart restarts the checkpointer
generation() {
	psql -X -q -A -t -d "$DB" -c "SELECT pg_postmaster_start_time() || '|' ||
		(SELECT backend_start FROM pg_stat_activity WHERE backend_type = 'checkpointer')" 2>/dev/null
}
wait_server() {		# wait until the server accepts connections (60 s at most)
	i=0
	while [ $i -lt 120 ]; do
		psql -X -q -A -t -d "$DB" -c "SELECT 1" >/dev/null 2>&1 && return 0
		sleep 0.5
		i=$((i + 1))
	done
	return 1
}
gen0=$(generation)
pm0=${gen0%%|*}
# the server log of this cluster (pg_lsclusters: port and log file), if readable
serverlog=$(pg_lsclusters -h 2>/dev/null | awk -v p="${PGPORT:-5432}" '$3 == p { print $7; exit }')

# the watchdog: a call still active 4 s after its statement_timeout is hung
# (no CHECK_FOR_INTERRUPTS); terminate it, then kill it (a crash restart)
(
	while [ ! -f "$DIR/stop" ]; do
		sleep 2
		for pid in $(psql -X -q -A -t -d "$DB" -c "SELECT pid FROM pg_stat_activity
				WHERE application_name = 'hostile_calls' AND state = 'active'
				  AND now() - query_start > interval '$TIMEOUT' + interval '4 s'" 2>/dev/null); do
			echo "$pid" >> "$DIR/hung"
			psql -X -q -d "$DB" -c "SELECT pg_terminate_backend($pid)" >/dev/null 2>&1
			sleep 3
			kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null
		done
	done
) &
WATCHDOG=$!

# ------------------------------------------------------------------ calls
# run_batch FID ROLE: the calls of FID not in $DIR/skip.FID, as ROLE;
# appends "vno <tab> status <tab> sqlstate <tab> message" to $DIR/res.FID.ROLE
run_batch() {
	fid=$1 role=$2
	res=$DIR/res.$fid.$role
	: > "$res"
	from=0
	tries=0
	while :; do
		awk -F '\t' -v fid="$fid" -v from="$from" -v skipf="$DIR/skip.$fid" -v role="$role" -v to="$TIMEOUT" '
			BEGIN {
				while ((getline l < skipf) > 0) { split(l, s, "\t"); skip[s[1]] = 1 }
				print "SET client_min_messages = error;"
				print "SET temp_file_limit = '\''256MB'\'';"
				print "SET ROLE " role ";"
				print "SET statement_timeout = '\''" to "'\'';"
			}
			$1 == fid && $2 > from && !($2 in skip) {
				print "\\echo @@S " $2
				print "BEGIN;"
				print $4 " \\g /dev/null"
				print "\\echo @@R " $2 " :SQLSTATE :LAST_ERROR_MESSAGE"
				print "ROLLBACK;"
			}
			END { print "RESET ROLE;"; print "RESET statement_timeout;"; print "\\echo @@E" }
		' "$DIR/call.tsv" > "$DIR/batch.sql"
		logpos=$(($(wc -c < "${serverlog:-/dev/null}" 2>/dev/null || echo 0) + 1))
		PGAPPNAME=hostile_calls psql -X -q -A -t -d "$DB" -f "$DIR/batch.sql" > "$DIR/batch.out" 2> "$DIR/batch.err"
		rc=$?
		# results of this run; the call that was running when the session was lost
		lost=$(awk -v res="$res" '
			/^@@S / { cur = $2 }
			/^@@R / { st = $3; msg = $0; sub(/^@@R [0-9]+ [^ ]* ?/, "", msg);
			          if (st == "00000") msg = ""; else msg = substr(msg, 1, 300);
			          printf "%s\t%s\t%s\t%s\n", $2, (st == "00000" ? "ok" : "error"), st, msg >> res; cur = "" }
			/^@@E/ { done = 1 }
			END { if (!done) print (cur == "" ? "none" : cur) }
		' "$DIR/batch.out")
		[ -z "$lost" ] && break
		# the session was lost: which call, and did the server restart?  The
		# postmaster may not have noticed the dead backend yet: wait for the
		# restart (a new checkpointer) when psql saw the connection close
		died=$(grep -c 'server closed the connection unexpectedly' "$DIR/batch.err")
		detail=$(grep -E 'FATAL|PANIC|terminat|server closed' "$DIR/batch.err" | sed 's/^psql:[^ ]*: //' | tail -n 1 | cut -c1-200)
		i=0
		while [ $i -lt 100 ]; do
			sleep 0.2
			i=$((i + 1))
			psql -X -q -A -t -d "$DB" -c "SELECT 1" >/dev/null 2>&1 || continue
			gen=$(generation)
			[ "$gen" != "$gen0" ] || [ "$died" = 0 ] && break
			[ $i -ge 25 ] && break
		done
		wait_server || { echo "Bail out! the server does not come back after $fid/$role"; exit 1; }
		gen=$(generation)
		if [ "$gen" != "$gen0" ]; then
			# the signal, from the server log when it is readable
			signal=$(tail -c +"$logpos" "${serverlog:-/dev/null}" 2>/dev/null | sed -n 's/^.*process (PID [0-9]*) was \(terminated by signal [^:]*: [A-Za-z ]*\).*$/\1/p' | head -n 1)
			why="server crash (the backend died${signal:+, $signal}; crash restart)"
		elif [ "$died" != 0 ]; then
			why="the backend died (no crash restart seen)"
		else
			why="session lost"
		fi
		[ -s "$DIR/hung" ] && why="$why after a hang: cancelled by the watchdog (pid $(tr '\n' ' ' < "$DIR/hung"))" && : > "$DIR/hung"
		gen0=$gen
		if [ "$lost" = none ]; then
			tries=$((tries + 1))
			[ $tries -gt 3 ] && { echo "Bail out! cannot run the calls of $fid as $role: $detail"; exit 1; }
			continue
		fi
		printf '%s\tcrash\t\t%s: %s\n' "$lost" "$why" "$detail" >> "$res"
		from=$lost
	done
}

: > "$DIR/summary"
# only the functions to call, as "fid|sig|roles" (a tab is white space to
# read: an empty roles field would take the next field's words)
awk -F '\t' '$4 == "" && $3 != "" { print $1 "|" $2 "|" $3 }' "$DIR/fn.tsv" > "$DIR/fn.call"
while IFS='|' read -r fid sig roles; do
	if [ -n "$ONLY" ] && ! printf '%s\n' "$sig" | grep -Eq -- "$ONLY"; then continue; fi
	: > "$DIR/skip.$fid"
	for role in $roles; do
		run_batch "$fid" "$role"
		# verdict: one TAP line; failing calls as diagnostics
		verdict=$(awk -F '\t' -v fid="$fid" -v callf="$DIR/call.tsv" -v sig="$sig" -v role="$role" \
		              -v skipf="$DIR/skip.$fid" -v sumf="$DIR/summary" '
			BEGIN {
				while ((getline l < callf) > 0) {
					split(l, c, "\t"); if (c[1] != fid) continue
					label[c[2]] = c[3]; t = l; sub(/^[^\t]*\t[^\t]*\t[^\t]*\t/, "", t); sql[c[2]] = t
				}
				# calls not repeated: they crashed or timed out as an earlier role
				while ((getline l < skipf) > 0) {
					split(l, p, "\t"); nrep++; rep[nrep] = p[1]
					repwhy[nrep] = (p[2] == "crash" ? "CRASH " p[4] : p[3] " " p[4]) " as " p[5]
				}
				close(skipf)
			}
			{
				v = $1; st = $2; ss = $3; msg = $4; ncall++
				bad = ""
				if (st == "crash") bad = "CRASH: " msg
				else if (ss == "57014") bad = "57014 timeout: " msg
				else if (ss ~ /^53/) bad = ss " resources: " msg
				else if (ss ~ /^XX/) bad = ss " internal error: " msg
				else if (ss == "P0001") bad = "P0001 (RAISE without ERRCODE): " msg
				else if (ss == "42601" || (ss == "42883" && msg ~ /function integrity\./)) bad = ss " the generated call is wrong (test bug): " msg
				else if (st == "error" && ss !~ /^[0-9A-Z][0-9A-Z][0-9A-Z][0-9A-Z][0-9A-Z]$/) bad = "no SQLSTATE: " msg
				if (st == "error") { codes[ss]++; nerr++ }
				if (ss == "42501") { nperm++; perm[nperm] = sql[v] " -- " msg }
				if (bad != "") {
					nbad++; fail[nbad] = sql[v] " -- " bad; first[nbad] = label[v] ": " bad
					if (st == "crash" || ss == "57014" || ss ~ /^53/) printf "%s\t%s\t%s\t%s\t%s\n", v, st, ss, msg, role >> skipf
				}
			}
			END {
				for (i = 1; i <= nrep; i++) {
					v = rep[i]; nbad++; ncall++
					first[nbad] = label[v] ": not repeated, " substr(repwhy[i], 1, 100)
					fail[nbad] = sql[v] " -- not repeated: " repwhy[i]
				}
				s = ""
				for (k in codes) s = s (s == "" ? "" : ", ") k " x" codes[k]
				desc = sprintf("%s as %s: %d calls, %d errors%s", sig, role, ncall, nerr, (s == "" ? "" : " (" s ")"))
				# not a failure, but a grant that does not work: worth a look
				for (i = 1; i <= nperm; i++) print "PERM\t" substr(perm[i], 1, 300)
				if (nbad == 0) print "OK\t" desc
				else {
					print "NOTOK\t" desc "; " nbad " failing, first: " substr(first[1], 1, 200)
					for (i = 1; i <= nbad; i++) { print "DIAG\t" substr(fail[i], 1, 600); print sig "\t" role "\t" substr(fail[i], 1, 600) >> sumf }
				}
			}
		' "$DIR/res.$fid.$role")
		printf '%s\n' "$verdict" | sed -n "s/^PERM	/# note: 42501 as $role although it may execute $sig: /p"
		line1=$(printf '%s\n' "$verdict" | grep -v '^PERM' | head -n 1)
		case $line1 in
		OK*) ok 0 "${line1#OK	}" ;;
		*) ok 1 "${line1#NOTOK	}"
		   printf '%s\n' "$verdict" | sed -n 's/^DIAG	/#   /p' ;;
		esac
	done
done < "$DIR/fn.call"
touch "$DIR/stop"

# ------------------------------------------------------------------ after
gen=$(generation)
is "${gen%%|*}" "$pm0" "pg_postmaster_start_time() unchanged ($pm0)"
psql -X -q -A -t -d "$DB" -c "SELECT 1" >/dev/null 2>&1
ok $? "the server accepts connections after all calls"
crashes=$(grep -c 'CRASH' "$DIR/summary")
timeouts=$(grep -c '57014' "$DIR/summary")
internal=$(grep -c ' XX[0-9A-Z]\{3\} internal' "$DIR/summary")
echo "# totals: $(ls "$DIR" | sed -n 's/^res\.\([0-9]*\)\..*/\1/p' | sort -u | wc -l) functions called, $(cat "$DIR"/res.* 2>/dev/null | wc -l) calls run; failing calls: $(wc -l < "$DIR/summary") ($crashes crash, $timeouts timeout, $internal internal error); $(($(date +%s) - t0)) s"
echo "# errors by SQLSTATE: $(cat "$DIR"/res.* 2>/dev/null | awk -F '\t' '$2 == "error" { c[$3]++ } END { for (k in c) printf "%s %d, ", k, c[k] }')"
echo "1..$n"
[ "$failed" -eq 0 ]
