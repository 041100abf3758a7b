#!/bin/bash
# test/cluster/pg_cron.sh: the nightly expiry (SPEC 4 expire_due, SPEC 10
# "expire_due is safe to run from pg_cron on every level", D2.6) scheduled
# with pg_cron, as docs/REPLICATION.md describes:
#   SELECT cron.schedule('integrity-expire', '5 0 * * *', $$SELECT integrity.expire_due()$$);
#
# Prints TAP; exits non-zero on failure; skips when pg_cron is not
# installed (Debian: apt-get install postgresql-15-cron).  Runs as root.
# Creates the cluster repl_cron on port 5529 and drops it again.
set -u

PGV=15
NAME=repl_cron
PORT=5529
DB=integrity_cron
ORIGIN=140421
TIMEOUT=${CRON_TIMEOUT:-130}      # pg_cron < 1.5 runs jobs on minute boundaries

export PGTZ=UTC PGUSER=postgres PGHOST=/var/run/postgresql PGPORT=$PORT PGDATABASE=$DB PGCONNECT_TIMEOUT=5
unset PGSERVICE PGOPTIONS

SHAREDIR=$(/usr/lib/postgresql/$PGV/bin/pg_config --sharedir 2>/dev/null)
if [ ! -f "$SHAREDIR/extension/pg_cron.control" ]; then
	echo "1..1"
	echo "ok 1 # SKIP pg_cron not installed (apt-get install postgresql-$PGV-cron)"
	exit 0
fi
if [ "$(id -u)" != 0 ] || ! command -v pg_createcluster >/dev/null 2>&1; then
	echo "1..1"
	echo "ok 1 # SKIP needs root and postgresql-common (pg_createcluster)"
	exit 0
fi
if [ ! -f "$SHAREDIR/extension/integrity.control" ]; then
	echo "1..1"
	echo "ok 1 # SKIP extension integrity is not installed (make install)"
	exit 0
fi

. "$(dirname "$0")/../tap.sh"		# ok, is, n, failed
diag() { printf '%s\n' "$@" | sed 's/^/# /'; }

WORK=$(mktemp -d /tmp/integrity-cron.XXXXXX)
chmod 755 "$WORK"
LOG=$WORK/test.log
: >"$LOG"
T0=$SECONDS

drop_cluster() {
	if [ -d "/etc/postgresql/$PGV/$NAME" ]; then
		pg_dropcluster $PGV $NAME --stop >/dev/null 2>&1 ||
			{ pg_ctlcluster $PGV $NAME stop -m immediate >/dev/null 2>&1; pg_dropcluster $PGV $NAME >/dev/null 2>&1; }
	fi
}
cleanup() {
	drop_cluster
	rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 2' INT TERM HUP

q() { psql -X -q -A -t -v ON_ERROR_STOP=1 -c "$1" 2>>"$LOG"; }
eq() { [ "$(q "$1")" = "$2" ]; }
wait_for() {	# wait_for SECONDS COMMAND...
	local deadline=$((SECONDS + $1))
	shift
	until "$@"; do
		[ $SECONDS -ge $deadline ] && return 1
		sleep 0.5
	done
	return 0
}

# ------------------------------------------------------------------ cluster
drop_cluster
key=$WORK/signing.key
rc=0
openssl genpkey -algorithm ed25519 -out "$key" 2>>"$LOG" && chown postgres "$key" && chmod 600 "$key" || rc=1
[ $rc = 0 ] && pg_createcluster $PGV $NAME -p $PORT --locale=C.UTF-8 --start-conf=manual \
	-o shared_preload_libraries=pg_cron -o cron.database_name=$DB -o cron.use_background_workers=on \
	-o "integrity.signing_key_file=$key" -o fsync=off -o log_min_messages=warning \
	-- -A trust --no-sync >>"$LOG" 2>&1 || rc=1
[ $rc = 0 ] && pg_ctlcluster $PGV $NAME start >>"$LOG" 2>&1 || rc=1
[ $rc = 0 ] && psql -X -q -d postgres -c "CREATE DATABASE $DB" >>"$LOG" 2>&1 || rc=1
ok $rc "cluster $NAME with shared_preload_libraries = 'pg_cron' and cron.database_name = '$DB'"
if [ $rc -ne 0 ]; then
	sed 's/^/#   /' "$LOG" | tail -n 20
	echo "1..$n"
	exit 1
fi

psql -X -q -v ON_ERROR_STOP=1 >>"$LOG" 2>&1 <<EOF
CREATE EXTENSION pg_cron;
CREATE EXTENSION integrity;
SELECT integrity.set_origin('$ORIGIN');
EOF
ok $? "CREATE EXTENSION pg_cron, integrity; set_origin"
cron_version=$(q "SELECT extversion FROM pg_extension WHERE extname = 'pg_cron'")
diag "pg_cron $cron_version"

# a published record whose publicity ended yesterday: an admin publicity
# period of 1 day for its category (D2.6), decided 2 days ago
psql -X -q -v ON_ERROR_STOP=1 >>"$LOG" 2>&1 <<'EOF'
INSERT INTO integrity.publicity_period (severity, category, published, min_period, max_period)
    VALUES ('general', 'occupational_disease', true, '0', '1 day');
CREATE TABLE public.t AS SELECT integrity.subject_add('enterprise', '平顺县化工有限公司', '91350100M000100Y43') AS ent;
ALTER TABLE public.t ADD r bigint, ADD r_current bigint;
UPDATE public.t SET
    r = integrity.record_add(ent, 'occupational_disease', 'general', current_date - 2, '职〔1〕号', '平顺县卫健局', '新发职业病'),
    r_current = integrity.record_add(ent, 'admin_penalty', 'general', current_date - 2, '罚〔2〕号', '平顺县市场监督管理局', '行政处罚');
SELECT integrity.notify(r, '告知'), integrity.confirm(r, '认定'), integrity.publish(r),
       integrity.notify(r_current, '告知'), integrity.confirm(r_current, '认定'), integrity.publish(r_current)
  FROM public.t;
EOF
is "$?:$(q "SELECT string_agg(state || ',' || (publicity_until < current_date), ' ' ORDER BY id) FROM integrity.record")" \
	"0:published,true published,false" "a published record past its publicity_until, and one still in publicity"

# ------------------------------------------------------------ the nightly job
jobid=$(q "SELECT cron.schedule('integrity-expire', '5 0 * * *', \$\$SELECT integrity.expire_due()\$\$)")
is "$(q "SELECT concat_ws('|', jobname, schedule, command, database, username, active) FROM cron.job WHERE jobid = '$jobid'")" \
	"integrity-expire|5 0 * * *|SELECT integrity.expire_due()|$DB|postgres|t" \
	"cron.schedule('integrity-expire', '5 0 * * *', \$\$SELECT integrity.expire_due()\$\$) is in cron.job"
jobid2=$(q "SELECT cron.schedule('integrity-expire', '5 0 * * *', \$\$SELECT integrity.expire_due()\$\$)")
is "$jobid2:$(q "SELECT count(*) FROM cron.job WHERE jobname = 'integrity-expire'")" "$jobid:1" \
	"scheduling it again by name updates the same job (a set-up script may run twice)"

# ---------------------------------------------------- prove that a job runs
# pg_cron >= 1.5 knows second intervals; 1.4 (Debian bookworm) runs on the
# next minute boundary.
case "$cron_version" in
1.[0-4]|1.[0-4].*|1.[0-4]-*) every='* * * * *' ;;
*) every='1 seconds' ;;
esac
t=$SECONDS
testjob=$(q "SELECT cron.schedule('integrity-expire-test', '$every', \$\$SELECT integrity.expire_due()\$\$)")
ok $? "a test job with the same command, schedule '$every'"
wait_for $TIMEOUT eq "SELECT count(*) > 0 FROM cron.job_run_details WHERE jobid = '$testjob' AND status = 'succeeded'" t
ok $? "cron.job_run_details shows a succeeded run of the test job ($(($SECONDS - t)) s)"
is "$(q "SELECT string_agg(state::text || ',' || coalesce(expired_on = publicity_until, false), ' ' ORDER BY id) FROM integrity.record")" \
	"expired,true published,false" \
	"the job expired the record past its publicity (expired_on = publicity_until) and left the other one"
is "$(q "SELECT string_agg(e.actor || ',' || e.event, ' ') FROM integrity.record_event e WHERE e.to_state = 'expired'"):$(q "SELECT string_agg(event, ',' ORDER BY seq) FROM integrity.disclosure"):$(q "SELECT concat_ws(',', ok, checked) FROM integrity.verify_chain()")" \
	"postgres,expire:publish,publish,expire:t,3" \
	"the expiry is in record_event (actor: the job's user) and in the signed log, which verifies"
is "$(q "SELECT count(*) FROM cron.job_run_details WHERE jobid = '$testjob' AND status = 'failed'"):$(q "SELECT integrity.expire_due()")" "0:0" \
	"no failed run; expire_due() again expires nothing (idempotent)"
diag "$(q "SELECT string_agg(DISTINCT status || ' ' || coalesce(return_message, ''), '; ') FROM cron.job_run_details WHERE jobid = '$testjob'")"

# ---------------------------------------------------------------- clean up
is "$(q "SELECT cron.unschedule('integrity-expire-test')"),$(q "SELECT cron.unschedule('integrity-expire')"),$(q "SELECT count(*) FROM cron.job")" \
	"t,t,0" "both jobs unscheduled"
drop_cluster
[ -d "/etc/postgresql/$PGV/$NAME" ]
ok $((1 - $?)) "cluster dropped ($(($SECONDS - T0)) s in all)"

if [ $failed -ne 0 ]; then
	grep -n -A3 ERROR "$LOG" | head -n 30 | sed 's/^/#   /'
fi
echo "1..$n"
[ $failed -eq 0 ]
