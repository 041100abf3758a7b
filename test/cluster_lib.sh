# test/cluster_lib.sh: the helpers of the multi-cluster tests
# (test/cluster/*.sh), sourced by them after test/tap.sh.  They expect PGV
# (the PostgreSQL major version), CLUSTERS (the clusters the test made) and
# LOG (where psql's error output goes); PGUSER, PGHOST and PGDATABASE are
# set by the test.  Not a test itself: test/run-all.sh runs test/cluster/*.sh.
diag() { printf '%s\n' "$@" | sed 's/^/# /'; }
eq() { [ "$(q "$1" "$2")" = "$3" ]; }		# eq PORT SQL VALUE
more_errors() { [ "$(errors "$1" "$2")" -gt "$3" ]; }	# more_errors PORT SUBSCRIPTION BASELINE
log_lines() { wc -l <"/var/log/postgresql/postgresql-$PGV-$1.log" 2>/dev/null || echo 0; }
# fingerprint of the published tables' rows of an origin: one line per
# table, the row count and the md5 of the sorted rows
TABLES="subject record record_event disclosure chain_head merkle_node signing_key"
FP_SQL=$(for t in $TABLES; do
	printf "SELECT '%s' || ' ' || count(*) || ':' || md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '')) FROM integrity.%s t WHERE t.origin = :'o'\nUNION ALL\n" "$t" "$t"
done | sed '$d')
drop_clusters() {
	for c in $CLUSTERS; do
		if [ -d "/etc/postgresql/$PGV/$c" ]; then
			pg_dropcluster $PGV "$c" --stop >/dev/null 2>&1 ||
				{ pg_ctlcluster $PGV "$c" stop -m immediate >/dev/null 2>&1; pg_dropcluster $PGV "$c" >/dev/null 2>&1; }
		fi
	done
}
# q PORT SQL: run SQL (ON_ERROR_STOP), print the unaligned tuples; errors go to $LOG
q() {
	psql -X -q -A -t -v ON_ERROR_STOP=1 -p "$1" -c "$2" 2>>"$LOG"
}
# qf PORT [psql -v args...] < script
qf() {
	local port=$1; shift
	psql -X -q -A -t -v ON_ERROR_STOP=1 -p "$port" "$@" 2>>"$LOG"
}
# sqlstate PORT SQL [USER]: the SQLSTATE the statement fails with ("none" if it succeeds)
sqlstate() {
	local out
	out=$(printf '\\set VERBOSITY sqlstate\n%s;\n' "$2" |
		psql -X -q -A -t -p "$1" ${3:+-U "$3"} 2>&1 >/dev/null)
	out=$(printf '%s\n' "$out" | sed -n 's/^ERROR: *\([0-9A-Z]\{5\}\).*/\1/p' | head -1)
	echo "${out:-none}"
}
fp_all() {	# fp_all PORT ORIGIN
	printf '%s;\n' "$FP_SQL" | qf "$1" -v o="$2"
}
# same PORT_A PORT_B ORIGIN: the origin's rows are the same at both
same() {
	local a b
	a=$(fp_all "$1" "$3") && b=$(fp_all "$2" "$3") &&
		[ "$(printf '%s\n' "$a" | wc -l)" = 7 ] && [ "$a" = "$b" ]
}
# wait_for SECONDS COMMAND...: poll until COMMAND succeeds
wait_for() {
	local deadline=$((SECONDS + $1))
	shift
	until "$@"; do
		[ $SECONDS -ge $deadline ] && return 1
		sleep 0.2
	done
	return 0
}
errors() {	# errors PORT SUBSCRIPTION: apply errors counted so far
	q "$1" "SELECT coalesce((SELECT apply_error_count FROM pg_stat_subscription_stats WHERE subname = '$2'), 0)"
}
sub_synced() {	# every table of every subscription is ready, and the workers run
	eq "$1" "SELECT count(*) FROM pg_subscription_rel WHERE srsubstate <> 'r'" 0 &&
		eq "$1" "SELECT count(*) FROM pg_subscription s WHERE s.subenabled AND NOT EXISTS
		           (SELECT 1 FROM pg_stat_subscription w WHERE w.subid = s.oid AND w.pid IS NOT NULL AND w.relid IS NULL)" 0
}
log_tail() {	# the server logs, on failure
	local c
	for c in "$@"; do
		echo "#   -- /var/log/postgresql/postgresql-$PGV-$c.log (tail)"
		tail -n 15 "/var/log/postgresql/postgresql-$PGV-$c.log" 2>/dev/null | sed 's/^/#   /'
	done
	echo "#   -- $LOG (tail)"
	grep -n -A3 "ERROR" "$LOG" | tail -n 40 | sed 's/^/#   /'
}
new_log() {	# new_log CLUSTER FROM_LINE: the lines logged since
	tail -n +"$(($2 + 1))" "/var/log/postgresql/postgresql-$PGV-$1.log" 2>/dev/null
}
new_errors() {	# new_errors CLUSTER FROM_LINE: the ERROR lines logged since
	new_log "$@" | grep 'ERROR' | sed 's/^.*ERROR: *//' | sort -u
}
