#!/bin/sh
# demo/run.sh: the showcase that `make demo` runs after building and
# installing the extension.  Two levels of 逐级归集 (SPEC 10), each a
# PostgreSQL cluster of its own with its own Ed25519 signing key:
#
#   平顺县 county, origin 140421: cluster demo_county, database county_140421
#   长治市 city,   origin 140400: cluster demo_city,   database city_140400
#
# The county runs the guided tour demo/demo.sql (a year of records through
# their lifecycle, the rules, the signed log) and publishes its rows with
# integrity.create_publication(); the city adds its own year
# (demo/city.sql) and subscribes.  A repair and a revocation made at the
# county afterwards arrive at the city; the city verifies both chains
# (demo/checks.sql), exports each origin's log for tools/integrity-verify
# (demo/verify-offline.sh) and prints the blacklist, the red list, the
# evaluation and the quarterly ranking over both levels (demo/lists.sql).
# demo/commitments.sql adds the county's commitments, arrears and a civil
# servant's integrity file (D7, D8), which the city then shows as well.
# demo/simulate.sql moves the lifecycle dates of the generated year back
# into the year, so that the quarters differ; the demo says so.
#
# The servers listen on no TCP port: only on a Unix socket in a private
# directory (mode 0700, owned by the server user), so the trust
# authentication of these throw-away clusters reaches no other user, and
# the city's subscription connects to the county through that socket.
#
# Run from anywhere as root (Debian, postgresql-common: pg_createcluster)
# or as any user (then initdb and pg_ctl in a temporary directory).  Takes
# well under a minute.  Leaves nothing behind, whatever happens.
set -eu
cd "$(dirname "$0")/.."
start=$(date +%s)

PGV=15
bindir=/usr/lib/postgresql/$PGV/bin
[ -x "$bindir/initdb" ] || bindir=$(pg_config --bindir)
C_CLUSTER=demo_county; C_PORT=5561; C_ORIGIN=140421; C_DB=county_140421
T_CLUSTER=demo_city;   T_PORT=5562; T_ORIGIN=140400; T_DB=city_140400
TIMEOUT=${DEMO_TIMEOUT:-90}        # seconds to wait for replication to catch up

unset PGHOST PGHOSTADDR PGPORT PGDATABASE PGUSER PGSERVICE PGOPTIONS PGSSLMODE PGPASSWORD
export PGCONNECT_TIMEOUT=10

if [ "$(id -u)" = 0 ] && command -v pg_createcluster >/dev/null 2>&1 && id postgres >/dev/null 2>&1; then
    mode=pgcommon
else
    mode=pgctl
fi

drop_clusters() {
    for c in $T_CLUSTER $C_CLUSTER; do
        if [ $mode = pgcommon ]; then
            [ -d "/etc/postgresql/$PGV/$c" ] || continue
            pg_dropcluster $PGV "$c" --stop >/dev/null 2>&1 ||
                { pg_ctlcluster $PGV "$c" stop -m immediate >/dev/null 2>&1; pg_dropcluster $PGV "$c" >/dev/null 2>&1; } || true
        elif [ -f "$work/$c/postmaster.pid" ]; then
            "$bindir/pg_ctl" -D "$work/$c" stop -m fast >/dev/null 2>&1 ||
                "$bindir/pg_ctl" -D "$work/$c" stop -m immediate >/dev/null 2>&1 || true
        fi
    done
}
server_log() {     # server_log CLUSTER
    if [ $mode = pgcommon ]; then
        echo "/var/log/postgresql/postgresql-$PGV-$1.log"
    else
        echo "$work/$1.log"
    fi
}
cleanup() {
    rc=$?
    trap - EXIT INT TERM HUP
    if [ $rc -ne 0 ]; then
        echo >&2
        echo "demo failed (exit $rc); the end of the logs:" >&2
        for f in "$setup_log" "$(server_log $C_CLUSTER)" "$(server_log $T_CLUSTER)"; do
            [ -s "$f" ] || continue
            echo "--- $f" >&2
            tail -n 15 "$f" >&2
        done
    fi
    drop_clusters
    rm -rf "$work"
    exit $rc
}

# a directory the server user can traverse, for the keys, the sockets and the exports
work=$(mktemp -d /tmp/integrity-demo.XXXXXX)
setup_log=$work/setup.log
trap cleanup EXIT
trap 'exit 130' INT TERM HUP
chmod 755 "$work"
: >"$setup_log"
sock=$work/sock
mkdir "$sock"
[ $mode = pgcommon ] && chown postgres "$sock"
chmod 700 "$sock"

# clusters left behind by an interrupted run (root: registered with postgresql-common)
if [ $mode = pgcommon ]; then
    for c in $C_CLUSTER $T_CLUSTER; do
        if [ -d "/etc/postgresql/$PGV/$c" ]; then
            echo "dropping cluster $c left behind by an earlier run"
            pg_dropcluster $PGV "$c" --stop >/dev/null 2>&1 ||
                { pg_ctlcluster $PGV "$c" stop -m immediate >/dev/null 2>&1; pg_dropcluster $PGV "$c"; }
        fi
    done
fi

# each level its own Ed25519 signing key (SPEC 6): owned by the server user, mode 0600
for c in $C_CLUSTER $T_CLUSTER; do
    # the signing key and (issue 16) a witness key of its own
    for k in "$c" "$c.witness"; do
        openssl genpkey -algorithm ed25519 -out "$work/$k.key" 2>>"$setup_log"
        [ $mode = pgcommon ] && chown postgres "$work/$k.key"
        chmod 600 "$work/$k.key"
    done
done

SETTINGS="wal_level=logical
session_preload_libraries=integrity
max_worker_processes=16
max_logical_replication_workers=8
max_sync_workers_per_subscription=4
wal_retrieve_retry_interval=500ms
fsync=off
synchronous_commit=off
full_page_writes=off
shared_buffers=32MB
log_min_messages=warning"

make_cluster() {   # make_cluster NAME PORT
    key=$work/$1.key
    if [ $mode = pgcommon ]; then
        name=$1 port=$2
        set -- -o "integrity.signing_key_file=$key" -o "integrity.witness_key_file=$work/$1.witness.key"
        for s in $SETTINGS; do set -- "$@" -o "$s"; done
        pg_createcluster $PGV "$name" -p "$port" --socketdir="$sock" --locale=C.UTF-8 --start-conf=manual \
            "$@" -- -A trust --no-sync >>"$setup_log" 2>&1 || return 1
        echo "listen_addresses = ''" >>"/etc/postgresql/$PGV/$name/postgresql.conf"
        pg_ctlcluster $PGV "$name" start >>"$setup_log" 2>&1 || return 1
    else
        "$bindir/initdb" -D "$work/$1" -U postgres -A trust --no-sync --locale=C.UTF-8 >>"$setup_log" 2>&1 || return 1
        {
            echo "port = $2"
            echo "listen_addresses = ''"
            echo "unix_socket_directories = '$sock'"
            echo "integrity.signing_key_file = '$key'"
            echo "integrity.witness_key_file = '$work/$1.witness.key'"
            for s in $SETTINGS; do echo "$s" | sed "s/=\(.*\)/ = '\1'/"; done
        } >>"$work/$1/postgresql.conf"
        "$bindir/pg_ctl" -D "$work/$1" -l "$work/$1.log" -w start >>"$setup_log" 2>&1 || return 1
    fi
}

county="host=$sock port=$C_PORT dbname=$C_DB user=postgres"
city="host=$sock port=$T_PORT dbname=$T_DB user=postgres"
psql="psql -X -q -v ON_ERROR_STOP=1 -P footer=off -P null=-"
q() {              # q DB SQL: one value
    psql -X -q -A -t -v ON_ERROR_STOP=1 -d "$1" -c "$2"
}
# the rows of an origin in the seven published tables, as one fingerprint
fingerprint() {    # fingerprint DB ORIGIN
    q "$1" "SELECT string_agg(t || ':' || n || ':' || h, ' ' ORDER BY t) FROM (
        SELECT 'subject' AS t, count(*) AS n, md5(coalesce(string_agg(x::text, ',' ORDER BY x.id), '')) AS h FROM integrity.subject x WHERE origin = '$2'
        UNION ALL SELECT 'record', count(*), md5(coalesce(string_agg(x::text, ',' ORDER BY x.id), '')) FROM integrity.record x WHERE origin = '$2'
        UNION ALL SELECT 'record_event', count(*), md5(coalesce(string_agg(x::text, ',' ORDER BY x.id), '')) FROM integrity.record_event x WHERE origin = '$2'
        UNION ALL SELECT 'disclosure', count(*), md5(coalesce(string_agg(x::text, ',' ORDER BY x.seq), '')) FROM integrity.disclosure x WHERE origin = '$2'
        UNION ALL SELECT 'chain_head', count(*), md5(coalesce(string_agg(x::text, ','), '')) FROM integrity.chain_head x WHERE origin = '$2'
        UNION ALL SELECT 'merkle_node', count(*), md5(coalesce(string_agg(x::text, ',' ORDER BY x.level, x.idx), '')) FROM integrity.merkle_node x WHERE origin = '$2'
        UNION ALL SELECT 'signing_key', count(*), md5(coalesce(string_agg(x::text, ',' ORDER BY x.key_id), '')) FROM integrity.signing_key x WHERE origin = '$2') s"
}
caught_up() {      # the city holds the county's rows exactly as the county does
    a=$(fingerprint "$county" $C_ORIGIN) && b=$(fingerprint "$city" $C_ORIGIN) && [ "$a" = "$b" ]
}
wait_caught_up() { # wait_caught_up: prints how long it took
    t0=$(date +%s)
    until caught_up; do
        if [ $(($(date +%s) - t0)) -ge "$TIMEOUT" ]; then
            echo "the city did not catch up with the county within $TIMEOUT s" >&2
            $psql -d "$city" -c "SELECT * FROM pg_stat_subscription" -c "SELECT srrelid::regclass, srsubstate FROM pg_subscription_rel" >&2 || true
            return 1
        fi
        sleep 0.2
    done
    t=$(($(date +%s) - t0))
    if [ $t -eq 0 ]; then echo "within a second"; else echo "in about $t s"; fi
}

echo "integrity demo: two levels of 逐级归集, each a cluster of its own with its own Ed25519 key"
make_cluster $C_CLUSTER $C_PORT & p1=$!
make_cluster $T_CLUSTER $T_PORT & p2=$!
rc=0
wait $p1 || rc=1
wait $p2 || rc=1
[ $rc -eq 0 ] || { echo "could not create the clusters" >&2; exit 1; }
q "host=$sock port=$C_PORT dbname=postgres user=postgres" "CREATE DATABASE $C_DB" >/dev/null
q "host=$sock port=$T_PORT dbname=postgres user=postgres" "CREATE DATABASE $T_DB" >/dev/null
echo "  平顺县 county $C_ORIGIN: cluster $C_CLUSTER, port $C_PORT, database $C_DB"
echo "  长治市 city   $T_ORIGIN: cluster $T_CLUSTER, port $T_PORT, database $T_DB"
echo "  (wal_level = logical, session_preload_libraries = integrity, no TCP: a private Unix socket only)"

# ------------------------------------------------------------ the county
$psql -d "$county" -f demo/demo.sql
$psql -d "$county" -f demo/simulate.sql
$psql -d "$county" -f demo/commitments.sql

echo
echo "== 10. 逐级归集 The county publishes its rows for the city: create_publication()"
echo "SELECT integrity.create_publication();"
$psql -d "$county" <<'EOF'
SELECT integrity.create_publication() IS NULL AS ignore \gset
SELECT p.pubname AS publication, count(*) AS tables,
       string_agg(DISTINCT t.rowfilter, ', ') AS "row filter",
       p.pubinsert AS insert, p.pubupdate AS update, p.pubdelete AS delete, p.pubtruncate AS truncate
  FROM pg_publication p JOIN pg_publication_tables t ON t.pubname = p.pubname
 GROUP BY p.pubname, p.pubinsert, p.pubupdate, p.pubdelete, p.pubtruncate;
EOF

# -------------------------------------------------------------- the city
$psql -d "$city" -f demo/city.sql
$psql -d "$city" -f demo/simulate.sql

echo
echo "== 12. 订阅 The city subscribes to the county (a plain CREATE SUBSCRIPTION)"
echo "CREATE SUBSCRIPTION sub_$C_ORIGIN CONNECTION '$county' PUBLICATION integrity_pub;"
$psql -d "$city" -c "CREATE SUBSCRIPTION sub_$C_ORIGIN CONNECTION '$county' PUBLICATION integrity_pub"
secs=$(wait_caught_up)
echo "-- the county's rows arrived $secs; the city now holds both origins side by side:"
$psql -d "$city" <<'EOF'
SELECT o.origin AS "来源 origin", CASE WHEN o.origin = integrity.local_origin() THEN '长治市 (own)' ELSE '平顺县 (replicated)' END AS platform,
       (SELECT count(*) FROM integrity.subject s WHERE s.origin = o.origin) AS subjects,
       (SELECT count(*) FROM integrity.record r WHERE r.origin = o.origin) AS records,
       (SELECT count(*) FROM integrity.record_event e WHERE e.origin = o.origin) AS "history rows",
       (SELECT count(*) FROM integrity.disclosure d WHERE d.origin = o.origin) AS disclosures,
       (SELECT string_agg(k.key_id, ',') FROM integrity.signing_key k WHERE k.origin = o.origin) AS "public key_id"
  FROM (SELECT DISTINCT origin FROM integrity.chain_head) o ORDER BY 1 DESC;
EOF

echo
echo "== 13. 状态变化到达上级 A repair and a revocation made at the county afterwards arrive at the city"
rep=$(q "$county" "SELECT min(id) FROM integrity.record WHERE state = 'published' AND repair_allowed_from <= current_date AND NOT remedied")
rev=$(q "$county" "SELECT r.id FROM integrity.record r JOIN integrity.subject s ON s.origin = r.origin AND s.id = r.subject_id
                    WHERE r.state = 'published' AND r.category = 'admin_penalty' AND s.kind = 'enterprise' AND r.decided_on < current_date - 30
                    ORDER BY r.decided_on DESC, r.id LIMIT 1")
if [ -z "$rep" ] || [ -z "$rev" ]; then echo "no record to repair or revoke at the county" >&2; exit 1; fi
before=$(q "$city" "SELECT string_agg(state::text, ' ' ORDER BY id) FROM integrity.record WHERE origin = '$C_ORIGIN' AND id IN ($rep, $rev)")
echo "-- at the county: SELECT integrity.repair($rep, ...); SELECT integrity.revoke($rev, ...);"
$psql -d "$county" -v rep="$rep" -v rev="$rev" <<'EOF'
SELECT integrity.repair(:rep, '已履行法定义务并作出信用承诺，申请信用修复') IS NULL AS ignore \gset
SELECT integrity.revoke(:rev, '作出决定的机关撤销原处罚决定') IS NULL AS ignore \gset
EOF
secs=$(wait_caught_up)
echo "-- at the city, $secs: the county's new states, dates and signed entries, as the county wrote them"
$psql -d "$city" -v rep="$rep" -v rev="$rev" -v o=$C_ORIGIN -v before="$before" <<'EOF'
SELECT r.origin AS "来源 origin", r.id, s.name, r.category, r.decided_on,
       split_part(:'before', ' ', CASE WHEN r.id = least(:rep, :rev) THEN 1 ELSE 2 END) AS "state before", r.state,
       r.repaired_on, r.revoked_on, d.seq AS "disclosure seq", d.event, d.key_id
  FROM integrity.record r
  JOIN integrity.subject s ON s.origin = r.origin AND s.id = r.subject_id
  LEFT JOIN LATERAL (SELECT * FROM integrity.disclosure x WHERE x.origin = r.origin AND x.record_id = r.id
                      ORDER BY x.seq DESC LIMIT 1) d ON true
 WHERE r.origin = :'o' AND r.id IN (:rep, :rev)
 ORDER BY r.id;
EOF

echo
echo "== 14. 上级校验 The city checks the chains it holds"
note_b64=$(q "$county" "SELECT encode(convert_to(checkpoint, 'UTF8'), 'base64') FROM integrity.tree_head()" | tr -d '\n')
$psql -d "$city" -v county=$C_ORIGIN -v note_b64="$note_b64" -f demo/checks.sql

echo
echo "== 15. 离线校验 Offline verification with tools/integrity-verify, from the city's exports"
echo "-- 长治市 $T_ORIGIN: the city's own log, public key and checkpoint"
sh demo/verify-offline.sh "$work" $T_ORIGIN "$city" "$city"
echo
echo "-- 平顺县 $C_ORIGIN: the city's copy of the county's log; the public key and the checkpoint come from the county"
sh demo/verify-offline.sh "$work" $C_ORIGIN "$city" "$county" 平顺县 壶关县


# ------------------------------------------------ witness and credit report
verify=$(pwd)/tools/integrity-verify/integrity-verify
[ -x "$verify" ] || verify=$(pg_config --bindir)/integrity-verify
wait_for() {       # wait_for DB SQL: until the query returns t
    t0=$(date +%s)
    until [ "$(q "$1" "$2")" = t ]; do
        if [ $(($(date +%s) - t0)) -ge "$TIMEOUT" ]; then echo "timed out: $2" >&2; return 1; fi
        sleep 0.2
    done
}
echo
echo "== 15a. 见证 Witnessed log (issue 16): the city checks and cosigns the county's checkpoint (C2SP cosignature/v1)"
echo "-- at the county: SELECT integrity.publish_checkpoint();  (for pg_cron; it replicates up with the log)"
q "$county" "SELECT integrity.publish_checkpoint()" >/dev/null
wait_for "$city" "SELECT EXISTS (SELECT 1 FROM integrity.checkpoint WHERE origin = '$C_ORIGIN')"
echo "-- at the city: SELECT integrity.witness('$C_ORIGIN');  and the publication of its cosignatures for the county"
$psql -d "$city" -c "SELECT integrity.witness('$C_ORIGIN') AS \"cosignature line\"" \
                 -c "SELECT integrity.create_witness_publication('$C_ORIGIN') AS \"publication for the county\""
$psql -d "$county" -c "CREATE SUBSCRIPTION wit_$C_ORIGIN CONNECTION '$city' PUBLICATION integrity_witness_$C_ORIGIN" 2>/dev/null
wait_for "$county" "SELECT EXISTS (SELECT 1 FROM integrity.cosignature)"
echo "-- at the county, tree_head() now carries the city's line: one note anyone can check"
printf '%s\n' "$(q "$county" "SELECT checkpoint FROM integrity.tree_head()")" >"$work/witnessed.txt"
sed 's/^/   /' "$work/witnessed.txt"
county_vkey=$(q "$county" "SELECT integrity.log_vkey()")
city_w=$(q "$city" "SELECT integrity.witness_vkey()")
echo "\$ integrity-verify --checkpoint witnessed.txt --key '$county_vkey' --witness '$city_w' --quorum 1"
"$verify" --checkpoint "$work/witnessed.txt" --key "$county_vkey" --witness "$city_w" --quorum 1
$psql -d "$city" -c "SELECT origin, is_local, cosigned_size, checkpoint_size, held_size, open_alarms FROM integrity.witness_status ORDER BY origin"

echo
echo "== 15b. 信用报告 A credit report (issue 17): signed by the county, its entries proven against the witnessed checkpoint"
gov=$(q "$county" "SELECT id FROM integrity.subject WHERE origin = integrity.local_origin() AND kind = 'government' ORDER BY id LIMIT 1")
printf '%s' "$(q "$county" "SELECT integrity.credit_report($gov)")" >"$work/report.json"
q "$county" "\\copy (SELECT origin, seq, record_id, event, payload, payload_hash, prev_hash, entry_hash, key_id, signature, disclosed_at FROM integrity.disclosure WHERE origin = '$C_ORIGIN' ORDER BY seq) TO '$work/county.csv' CSV HEADER"
echo "-- SELECT integrity.credit_report($gov);  ($(wc -c <"$work/report.json") bytes of canonical JSON; open it in tools/verify.html to read it)"
echo "\$ integrity-verify --report report.json --key '$county_vkey' --witness '$city_w' --quorum 1 --log county.csv"
"$verify" --report "$work/report.json" --key "$county_vkey" --witness "$city_w" --quorum 1 --log "$work/county.csv"

# --------------------------------------------------------- the views
$psql -d "$city" -f demo/lists.sql

echo
echo "demo finished in $(( $(date +%s) - start )) s; the clusters, the keys and the exports are removed."
