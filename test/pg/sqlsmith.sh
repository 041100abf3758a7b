#!/bin/sh
# test/pg/sqlsmith.sh: random queries of sqlsmith as a reader and as an
# operator cannot crash the server (issue 13).  Prints TAP; exits non-zero
# on failure.
#
# sqlsmith (Debian package sqlsmith) generates random SQL from the catalog:
# the extension's views, tables, functions and types and PostgreSQL's own
# functions and operators.  It runs SMITH_QUERIES queries (default 8000,
# about a minute on the 2-core machine) with a fixed seed as a LOGIN role
# in integrity_reader, then as one in integrity_operator, against a
# platform loaded by test/pg/platform.sql; each role has statement_timeout
# 1s, temp_file_limit 256MB and search_path integrity, public.  Errors go
# to a log database (sqlsmith --log-to) with their SQLSTATE.
#
# Fails when the server crashed (a crash restart starts a new checkpointer;
# pg_postmaster_start_time() does not change on one, so both are checked),
# when it does not accept connections afterwards, when sqlsmith lost its
# connection, or on an internal error (class XX) of a query that calls a
# function of the extension.  XX errors of queries that only use core
# functions are PostgreSQL's and listed as diagnostics.
#
# Run by test/run-all.sh inside pg_virtualenv: PGHOST/PGPORT/PGUSER/
# PGPASSWORD name a superuser; $WORK is a writable directory.  Skipped
# (one "ok # SKIP" line) when sqlsmith is not installed.
set -u
: "${WORK:?WORK must name a writable directory}"

DB=integrity_smith_$$
LOGDB=integrity_smithlog_$$
DIR=$WORK/sqlsmith_$$
LOG=$DIR/setup.log
QUERIES=${SMITH_QUERIES:-8000}
here=$(dirname "$0")
export PGCLIENTENCODING=UTF8

. "$here/../tap.sh"		# ok, is, n, failed
q() {		# q SQL: the value(s) from the test database, as the superuser
	psql -X -q -A -t -v ON_ERROR_STOP=1 -d "$DB" -c "$1" 2>>"$LOG"
}
ql() {		# ql SQL: the same from the log database
	psql -X -q -A -t -v ON_ERROR_STOP=1 -d "$LOGDB" -c "$1" 2>>"$LOG"
}
cleanup() {
	dropdb --if-exists "$DB" >/dev/null 2>&1
	dropdb --if-exists "$LOGDB" >/dev/null 2>&1
	for r in smith_reader smith_operator; do
		psql -X -q -d postgres -c "DROP ROLE IF EXISTS $r" >/dev/null 2>&1
	done
	[ -n "${KEEP_TMP:-}" ] || rm -rf "$DIR"
}

if ! command -v sqlsmith >/dev/null 2>&1; then
	echo "ok 1 # SKIP sqlsmith is not installed (apt-get install sqlsmith; tools/install-deps.sh)"
	echo "1..1"
	exit 0
fi
trap cleanup EXIT
trap 'exit 2' INT TERM HUP
mkdir -p "$DIR"
: >"$LOG"

# ------------------------------------------------------------------ set-up
createdb "$DB" 2>>"$LOG" && createdb "$LOGDB" 2>>"$LOG"
ok $? "created databases $DB and $LOGDB"
pw=$(openssl rand -hex 16)
psql -X -q -v ON_ERROR_STOP=1 -d "$DB" -f "$here/platform.sql" >>"$LOG" 2>&1 &&
psql -X -q -v ON_ERROR_STOP=1 -d "$DB" >>"$LOG" 2>&1 <<EOF
CREATE ROLE smith_reader LOGIN PASSWORD '$pw' IN ROLE integrity_reader;
CREATE ROLE smith_operator LOGIN PASSWORD '$pw' IN ROLE integrity_operator;
ALTER ROLE smith_reader SET statement_timeout = '1s';
ALTER ROLE smith_operator SET statement_timeout = '1s';
ALTER ROLE smith_reader SET temp_file_limit = '256MB';
ALTER ROLE smith_operator SET temp_file_limit = '256MB';
-- the operators of uscc and cn_id live in schema integrity (README, "search_path")
ALTER ROLE smith_reader SET search_path = integrity, public;
ALTER ROLE smith_operator SET search_path = integrity, public;
EOF
rc=$?
# the log schema of sqlsmith --log-to (its log.sql, and the columns its
# logger writes: instance.version and .seed, error.sqlstate, stat)
psql -X -q -v ON_ERROR_STOP=1 -d "$LOGDB" >>"$LOG" 2>&1 <<'EOF' || rc=1
CREATE TABLE instance (id bigserial PRIMARY KEY, rev text, target text, hostname text, version text, seed text,
                       t timestamptz DEFAULT now(), client inet DEFAULT inet_client_addr());
CREATE TABLE error (id bigint REFERENCES instance (id), msg text, query text, target text, sqlstate text,
                    t timestamptz DEFAULT now());
CREATE TABLE stat (id bigint REFERENCES instance (id), generated bigint, level float, nodes float,
                   updated timestamptz, retries float, impedance jsonb);
EOF
if ! ok $rc "a loaded platform (test/pg/platform.sql), LOGIN roles smith_reader and smith_operator, the log database"; then
	sed 's/^/# /' "$LOG" | tail -20
	echo "1..$n"
	exit 1
fi

generation() {		# postmaster start | checkpointer start
	psql -X -q -A -t -d "$DB" -c "SELECT pg_postmaster_start_time() || '|' ||
		(SELECT backend_start FROM pg_stat_activity WHERE backend_type = 'checkpointer')" 2>/dev/null
}
# the server log of this cluster (pg_lsclusters: port and log file), if readable
serverlog=$(pg_lsclusters -h 2>/dev/null | awk -v p="${PGPORT:-5432}" '$3 == p { print $7; exit }')
serverlog=${serverlog:-${INTEGRITY_SERVER_LOG:-/dev/null}}	# a private server may name its log
host=${PGHOST:-localhost}
port=${PGPORT:-5432}
logconn="host=$host port=$port dbname=$LOGDB user=${PGUSER:-postgres} password=${PGPASSWORD:-}"

# ------------------------------------------------------------------ runs
seed=13
for who in reader operator; do
	seed=$((seed + 1))
	gen0=$(generation)
	t0=$(date +%s)
	logpos=$(($(wc -c < "$serverlog" 2>/dev/null || echo 0) + 1))
	sqlsmith --verbose --exclude-catalog --seed=$seed --max-queries="$QUERIES" \
		--target="host=$host port=$port dbname=$DB user=smith_$who password=$pw" \
		--log-to="$logconn" > "$DIR/$who.out" 2> "$DIR/$who.err"
	rc=$?
	secs=$(($(date +%s) - t0))
	gen=$(generation)
	id=$(ql "SELECT max(id) FROM instance")
	queries=$(sed -n 's/^queries: \([0-9]*\).*/\1/p' "$DIR/$who.err" | tail -n 1)
	errors=$(ql "SELECT count(*) FROM error WHERE id = $id")
	ok $rc "sqlsmith as smith_$who (integrity_$who): ${queries:-?} queries, seed $seed, exit $rc, $secs s"
	[ $rc -eq 0 ] || tail -5 "$DIR/$who.err" | sed 's/^/# /'
	echo "# errors as $who: $errors; by SQLSTATE class: $(ql "SELECT string_agg(c || ' ' || k, ', ' ORDER BY k DESC, c)
		FROM (SELECT coalesce(left(sqlstate, 2), '?') AS c, count(*) AS k FROM error WHERE id = $id GROUP BY 1) x")"
	echo "# most frequent as $who: $(ql "SELECT string_agg(k || 'x ' || sqlstate || ' ' || m, '; ' ORDER BY k DESC)
		FROM (SELECT sqlstate, left(split_part(msg, E'\n', 1), 70) AS m, count(*) AS k FROM error WHERE id = $id
		       GROUP BY 1, 2 ORDER BY 3 DESC LIMIT 6) x")"
	is "${gen%%|*}" "${gen0%%|*}" "after sqlsmith as $who: pg_postmaster_start_time() unchanged"
	is "$gen" "$gen0" "after sqlsmith as $who: no crash restart (the checkpointer started at the same time)"
	# the queries that killed a backend, from the server log (Debian clusters log to a file)
	if [ "$gen" != "$gen0" ] && [ -n "$serverlog" ] && [ -r "$serverlog" ]; then
		tail -c +"$logpos" "$serverlog" | grep -A1 'terminated by signal' | sed -n 's/^.*Failed process was running: /#   crashed: /p' | cut -c1-1500 | head -5
	fi
	q "SELECT 1" >/dev/null
	ok $? "after sqlsmith as $who: the server accepts connections"
	# (a random pg_terminate_backend() of its own session is not a crash)
	lost=$(ql "SELECT count(*) FROM error WHERE id = $id AND query !~ 'pg_terminate_backend'
	             AND (sqlstate LIKE '08%' OR msg ~* 'server closed the connection|terminating connection|connection to server')")
	is "$lost" 0 "sqlsmith as $who never lost its connection (errors of class 08 or a closed connection)"
	[ "$lost" = 0 ] || ql "SELECT left(split_part(msg, E'\n', 1), 100) || ': ' || left(replace(query, E'\n', ' '), 300) FROM error
		     WHERE id = $id AND (sqlstate LIKE '08%' OR msg ~* 'server closed the connection|terminating connection|connection to server')
		     LIMIT 5" | sed 's/^/#   /'
	# internal errors: ours when the query calls a function of the extension
	q "SELECT p.proname FROM pg_proc p JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid
	     AND d.deptype = 'e' AND d.refclassid = 'pg_extension'::regclass
	     AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'integrity')" > "$DIR/procs"
	ql "SELECT sqlstate || E'\t' || replace(replace(split_part(msg, E'\n', 1), E'\t', ' '), E'\r', ' ') || E'\t' ||
	           replace(replace(query, E'\n', ' '), E'\t', ' ')
	      FROM error WHERE id = $id AND sqlstate LIKE 'XX%'" > "$DIR/$who.xx"
	awk -F '\t' -v procs="$DIR/procs" '
		BEGIN { while ((getline p < procs) > 0) fn[p] = 1 }
		{ ours = ""
		  for (p in fn) if (index($3, "integrity." p "(") > 0) ours = ours " " p
		  # core functions that check their own input with elog (an XX000
		  # naming the core function), fed by a random query with a value
		  # of ours: float8_avg(score_state(...)) checks for its 3-element
		  # transition array; intervaltypmodout for a typmod it never made;
		  # unknownsend(NULL::unknown) for the type unknown
		  if ($2 ~ /float8_[a-z_]+: expected [0-9]+-element float8 array/ || $2 ~ /invalid INTERVAL typmod/ ||
		      $2 ~ /failed to find conversion function from unknown to/) ours = ""
		  print (ours == "" ? "core" : "ours") "\t" $1 "\t" $2 "\t" ours "\t" substr($3, 1, 300) }
	' "$DIR/$who.xx" > "$DIR/$who.xxv"
	ours=$(grep -c '^ours' "$DIR/$who.xxv")
	is "$ours" 0 "sqlsmith as $who: no internal error (XX) from a query calling an integrity function"
	awk -F '\t' '$1 == "ours" { printf "#   %s %s (calls%s): %s\n", $2, $3, $4, $5 }' "$DIR/$who.xxv" | head -10
	awk -F '\t' '$1 == "core" { printf "# core XX error, not ours: %s %s\n", $2, substr($3, 1, 100) }' "$DIR/$who.xxv" | sort | uniq -c | head -5
done
echo "1..$n"
[ "$failed" -eq 0 ]
