#!/bin/bash
# bench/run.sh: the benchmark of SPEC 9 (`make bench`) and its smoke test
# (`make bench-smoke`).
#
#   bash bench/run.sh            full run: SIZES (default "100000 1000000 10000000")
#   bash bench/run.sh --smoke    small data, every measurement once, TAP output,
#                                ends with "N passed, N failed" (part of make test)
#
# It needs the extension installed (make install).  As root it makes its
# own throw-away cluster (pg_createcluster 15 integrity_bench on a free
# port, a fresh Ed25519 signing key) and drops it at the end.  To use a
# cluster of your own instead (with integrity.signing_key_file set), give
# BENCH_PORT (and PGHOST/PGUSER if not /var/run/postgresql and postgres).
#
# Environment:
#   SIZES="100000 1000000"   record counts, one database each
#   BENCH_OUT=dir            where the tables go (default /tmp/integrity-bench-<time>)
#   BENCH_PORT=5531          use that running cluster, make none
#   KEEP=1                   keep the databases (and the cluster) afterwards
#   CHAIN_MAX=n              length cap of the loaded disclosure history
#   PG_MAJOR=15
set -u
here=$(cd "$(dirname "$0")" && pwd)
smoke=0
[ "${1:-}" = "--smoke" ] && smoke=1
PG_MAJOR=${PG_MAJOR:-15}
start_all=$(date +%s)

if [ $smoke = 1 ]; then
    SIZES=${SIZES:-5000}
    IDENT_N=5000; COPY_N=5000; TRIGGER_N=1000; LAT_N=50; XCHECK_N=100
    PUB_BATCH_N=300; PUB_MANY_N=300; PUB_SYNC_N=50; PUB_NOSYNC_N=100; CHAIN_MAX=${CHAIN_MAX:-3000}
    OPENSSL_SECONDS=1; REPS=1; REF_ROWS=3000; PUB_ROUNDS=1
else
    SIZES=${SIZES:-100000 1000000 10000000}
    IDENT_N=200000; COPY_N=1000000; TRIGGER_N=100000; LAT_N=1000; XCHECK_N=1000
    PUB_BATCH_N=20000; PUB_MANY_N=20000; PUB_SYNC_N=1000; PUB_NOSYNC_N=4000; CHAIN_MAX=${CHAIN_MAX:-2000000}
    OPENSSL_SECONDS=3; REPS=3; REF_ROWS=200000; PUB_ROUNDS=4
fi
POOL=$((PUB_BATCH_N + PUB_MANY_N + PUB_SYNC_N + PUB_NOSYNC_N + 100))
ANCHOR=2026-06-30
log() { printf '%s\n' "$*" >&2; }
failed_steps=""
# a failure before any measurement: the smoke test still ends with its count
fatal() {
    log "bench: $*"
    if [ $smoke = 1 ]; then
        echo "not ok 1 - bench smoke: $*"
        echo "0 passed, 1 failed"
    fi
    exit 2
}

# ------------------------------------------------------------------ cluster
work=$(mktemp -d /tmp/integrity-bench-work.XXXXXX)
chmod 755 "$work"
# the smoke test leaves nothing behind unless asked to
if [ $smoke = 1 ]; then
    BENCH_OUT=${BENCH_OUT:-$work/out}
else
    BENCH_OUT=${BENCH_OUT:-/tmp/integrity-bench-$(date +%Y%m%d-%H%M%S)}
fi
mkdir -p "$BENCH_OUT"
cluster=""
cleanup() {
    if [ "${KEEP:-0}" = 1 ]; then
        # the kept cluster still needs its key (in $work)
        [ -n "$cluster" ] && log "kept: cluster $PG_MAJOR/$cluster on port $PGPORT, key and files in $work"
        return
    fi
    if [ -n "$cluster" ]; then
        pg_dropcluster "$PG_MAJOR" "$cluster" --stop >/dev/null 2>&1 || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

export PGHOST=${PGHOST:-/var/run/postgresql}
export PGUSER=${PGUSER:-postgres}
if [ -n "${BENCH_PORT:-}" ]; then
    export PGPORT=$BENCH_PORT
else
    if [ "$(id -u)" != 0 ]; then
        fatal "run as root (it makes a throw-away cluster), or set BENCH_PORT to a cluster of your own"
    fi
    # the throw-away cluster: its socket, its superuser, nothing from the caller's environment
    export PGHOST=/var/run/postgresql PGUSER=postgres
    unset PGDATABASE PGSERVICE PGPASSWORD PGSSLMODE
    cluster=integrity_bench
    # a cluster left behind by an interrupted run
    if [ -d "/etc/postgresql/$PG_MAJOR/$cluster" ]; then
        pg_dropcluster "$PG_MAJOR" "$cluster" --stop >/dev/null 2>&1 ||
            rm -rf "/etc/postgresql/$PG_MAJOR/$cluster" "/var/lib/postgresql/$PG_MAJOR/$cluster"
    fi
    [ -d "/var/lib/postgresql/$PG_MAJOR/$cluster" ] && rm -rf "/var/lib/postgresql/$PG_MAJOR/$cluster"
    port=""
    for p in $(seq 5640 5760); do
        grep -qs "^[[:space:]]*port[[:space:]]*=[[:space:]]*$p\b" /etc/postgresql/*/*/postgresql.conf && continue
        [ -e "/var/run/postgresql/.s.PGSQL.$p" ] && continue
        if command -v ss >/dev/null 2>&1 && ss -ltn 2>/dev/null | grep -q "[:.]$p[[:space:]]"; then continue; fi
        port=$p; break
    done
    [ -n "$port" ] || fatal "no free port in 5640-5760"
    export PGPORT=$port
    mem_kb=$(awk '/MemTotal/ {print $2}' /proc/meminfo)
    if [ $smoke = 1 ]; then
        sb=256MB; mwm=64MB; wal=1GB
    else
        sb=$((mem_kb / 4 / 1024)); [ $sb -gt 8192 ] && sb=8192; sb=${sb}MB
        mwm=1GB; wal=16GB
    fi
    if ! pg_createcluster "$PG_MAJOR" "$cluster" -p "$PGPORT" -- -A trust >"$work/createcluster.log" 2>&1; then
        cat "$work/createcluster.log" >&2; fatal "pg_createcluster failed"
    fi
    # SPEC 6: a signing key owned by the server user, mode 0600
    openssl genpkey -algorithm ed25519 -out "$work/signing.key" 2>/dev/null
    chown postgres "$work/signing.key"
    chmod 600 "$work/signing.key"
    cat > "/etc/postgresql/$PG_MAJOR/$cluster/conf.d/integrity_bench.conf" <<EOF
integrity.signing_key_file = '$work/signing.key'
shared_buffers = $sb
work_mem = 64MB
maintenance_work_mem = $mwm
max_wal_size = $wal
checkpoint_timeout = 30min
log_min_messages = warning
EOF
    if ! pg_ctlcluster "$PG_MAJOR" "$cluster" start >"$work/start.log" 2>&1; then
        cat "$work/start.log" >&2; fatal "the cluster did not start"
    fi
fi

psql_q() { psql -X -q -v ON_ERROR_STOP=1 "$@"; }
# a measurement step: on failure, say so and go on (the smoke test counts it)
step() {
    local name=$1; shift
    local t0=$(date +%s.%N)
    if "$@" >"$work/step.out" 2>&1; then
        log "  $(printf '%-28s' "$name") $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN {printf "%7.1f s", b - a}')"
        [ "${VERBOSE:-0}" = 1 ] && grep -v 'NOTICE' "$work/step.out" | grep . >&2
        return 0
    fi
    log "  $name FAILED:"
    sed 's/^/    /' "$work/step.out" >&2
    failed_steps="$failed_steps $name"
    return 1
}

# ------------------------------------------------------------------ machine
{
    echo "machine: $(lscpu | sed -n 's/^Model name:[[:space:]]*//p' | head -1), $(nproc) cores, $(awk '/MemTotal/ {printf "%.1f GB", $2 / 1048576}' /proc/meminfo) RAM"
    echo "server:  $(psql -X -At -d postgres -c 'SELECT version()' 2>/dev/null)"
    echo "openssl: $(openssl version)"
    echo "kernel:  $(uname -sr)"
    echo "source:  $(git -C "$here/.." log -1 --format='%h %s' 2>/dev/null)$(git -C "$here/.." diff --quiet HEAD -- src sql 2>/dev/null || echo ' (with uncommitted changes in src/ or sql/)')"
    echo "load:    $(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min load average at the start)"
    echo "settings: $(psql -X -At -d postgres -c "SELECT string_agg(name || '=' || setting || coalesce(unit, ''), ', ' ORDER BY name) FROM pg_settings WHERE name IN ('shared_buffers', 'work_mem', 'max_wal_size', 'synchronous_commit', 'jit', 'wal_level', 'fsync')" 2>/dev/null)"
} > "$BENCH_OUT/machine.txt"
cat "$BENCH_OUT/machine.txt" >&2
key=$(psql -X -At -d postgres -c "SHOW integrity.signing_key_file" 2>/dev/null || true)
if [ -z "$key" ]; then
    psql -X -q -d postgres -c "LOAD 'integrity'" >/dev/null 2>&1
    key=$(psql -X -At -d postgres -c "LOAD 'integrity'; SHOW integrity.signing_key_file" 2>/dev/null | tail -1)
fi
[ -z "$key" ] && log "bench: integrity.signing_key_file is not set on this cluster: publish will fail"

openssl_verify() {
    openssl speed -seconds "$OPENSSL_SECONDS" ed25519 2>/dev/null |
        awk '/Ed25519/ && /EdDSA/ {print $NF}' | tail -1
}

# ------------------------------------------------------------------ sizes
for size in $SIZES; do
    db=integrity_bench_$size
    log ""
    log "== $size records (database $db)"
    t_size=$(date +%s)
    load_start=$(cut -d' ' -f1 /proc/loadavg)
    dropdb --if-exists "$db" 2>/dev/null
    createdb "$db" || { failed_steps="$failed_steps createdb"; continue; }
    step "install" psql_q -d "$db" -c "CREATE EXTENSION integrity" \
        -f "$here/reference.sql" -f "$here/generate.sql" -f "$here/measure.sql" || continue
    # small sizes: a smaller backlog to publish, fewer rows for the trigger
    pool=$POOL; pub_batch=$PUB_BATCH_N; pub_many=$PUB_MANY_N; pub_sync=$PUB_SYNC_N; pub_nosync=$PUB_NOSYNC_N
    if [ $pool -gt $((size / 2)) ]; then
        pool=$((size / 2))
        pub_batch=$((PUB_BATCH_N * (pool - 100) / POOL)); pub_many=$((PUB_MANY_N * (pool - 100) / POOL)); pub_sync=$((PUB_SYNC_N * (pool - 100) / POOL))
        pub_nosync=$((PUB_NOSYNC_N * (pool - 100) / POOL))
    fi
    trigger_n=$TRIGGER_N; [ $trigger_n -gt $size ] && trigger_n=$size
    step "generate subjects" psql_q -d "$db" -c "SELECT * FROM bench.generate($size, $pool, '$ANCHOR', false)" || continue
    # records: in as many sessions as there are cores (disjoint id ranges)
    jobs=1; [ $size -ge 200000 ] && jobs=$(nproc)
    [ $jobs -gt 4 ] && jobs=4
    t0=$(date +%s.%N)
    pids=""
    for j in $(seq 1 $jobs); do
        lo=$(( (size * (j - 1)) / jobs + 1 )); hi=$(( (size * j) / jobs ))
        psql_q -d "$db" -c "SELECT bench.generate_records($lo, $hi)" >"$work/gen_$j.log" 2>&1 &
        pids="$pids $!"
    done
    gen_ok=1
    for p in $pids; do wait $p || gen_ok=0; done
    if [ $gen_ok = 0 ]; then
        log "  generate records FAILED:"; cat "$work"/gen_*.log >&2
        failed_steps="$failed_steps generate"; continue
    fi
    secs=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN {printf "%.3f", b - a}')
    log "  $(printf '%-28s' "generate records") $(printf '%7.1f s' "$secs") ($jobs sessions)"
    psql_q -d "$db" -c "INSERT INTO bench.load_time VALUES ('records ($jobs sessions)', $secs, $size)" >/dev/null
    t0=$(date +%s.%N)
    step "vacuum analyze" psql_q -d "$db" -c "VACUUM ANALYZE"
    psql_q -d "$db" -c "INSERT INTO bench.load_time VALUES ('vacuum analyze', $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN {printf "%.3f", b - a}'), NULL)" >/dev/null
    step "disclosure history" psql_q -d "$db" -c "SELECT bench.put('chain.len', bench.build_chain($CHAIN_MAX))" &&
        psql_q -d "$db" -c "VACUUM ANALYZE integrity.disclosure" -c "VACUUM ANALYZE integrity.merkle_node" \
            -c "VACUUM ANALYZE integrity.chain_head"
    # identifier strings: made once per run, then copied in
    codes_n=$IDENT_N; [ $COPY_N -gt $codes_n ] && codes_n=$COPY_N
    if [ ! -f "$work/codes.csv" ]; then
        step "identifier strings" psql_q -d "$db" \
            -c "SELECT bench.make_codes($codes_n)" \
            -c "\\copy bench.codes TO '$work/codes.csv' (FORMAT csv)" \
            -c "\\copy (SELECT uscc FROM bench.codes WHERE i <= $COPY_N ORDER BY i) TO '$work/uscc.txt'" \
            -c "\\copy (SELECT cn_id FROM bench.codes WHERE i <= $COPY_N ORDER BY i) TO '$work/cn_id.txt'" &&
            chmod 644 "$work/codes.csv" "$work/uscc.txt" "$work/cn_id.txt"
    else
        step "identifier strings" psql_q -d "$db" \
            -c "CREATE TABLE bench.codes (i bigint PRIMARY KEY, uscc text NOT NULL, cn_id text NOT NULL)" \
            -c "\\copy bench.codes FROM '$work/codes.csv' (FORMAT csv)"
    fi
    psql_q -d "$db" -c "VACUUM ANALYZE bench.codes" >/dev/null 2>&1

    # measurements: one backend, no parallel query
    export PGOPTIONS="-c max_parallel_workers_per_gather=0"
    step "check identifiers" psql_q -d "$db" -c "SELECT bench.x_ident($((XCHECK_N * 5)))"
    step "check lifecycle" psql_q -d "$db" -c "SELECT bench.x_lifecycle()"
    step "identifier input" psql_q -d "$db" -c "SELECT bench.m_ident($IDENT_N, $REPS)"
    step "copy" psql_q -d "$db" -c "SELECT bench.m_copy('$work/uscc.txt', '$work/cn_id.txt', $COPY_N, $REPS)"
    step "trigger" psql_q -d "$db" -c "SELECT bench.m_trigger($trigger_n, $REPS)"
    step "scoring" psql_q -d "$db" -c "SELECT bench.m_score('$ANCHOR', $REPS)"
    # issue 15: the five reporting views against the plain GROUP BY (the 1.1
    # views too, up to 1M records: at 10M they take minutes)
    step "views" psql_q -d "$db" -c "SELECT bench.m_views($REPS, $([ $size -le 1000000 ] && echo true || echo false))"
    for fn in punishment_status ref.punishment_status incentive_status ref.incentive_status evaluate ref.evaluate; do
        step "latency $fn" psql_q -d "$db" -c "SELECT bench.m_latency('$fn', $LAT_N, '$ANCHOR')"
    done
    step "check evaluate" psql_q -d "$db" -c "SELECT bench.x_evaluate($XCHECK_N, '$ANCHOR')"
    step "check lists" psql_q -d "$db" -c "SELECT bench.x_lists($XCHECK_N, '$ANCHOR')"
    step "publish, batches of 1000" psql_q -d "$db" -c "SET synchronous_commit = on" \
        -c "CALL bench.p_publish('batch', $pub_batch, 1000, $PUB_ROUNDS)"
    step "publish_many, batches of 1000" psql_q -d "$db" -c "SET synchronous_commit = on" \
        -c "CALL bench.p_publish('many', $pub_many, 1000, $PUB_ROUNDS, true)"
    step "publish, sync commit on" psql_q -d "$db" -c "SET synchronous_commit = on" \
        -c "CALL bench.p_publish('sync_on', $pub_sync, 1, $PUB_ROUNDS)"
    step "publish, sync commit off" psql_q -d "$db" -c "SET synchronous_commit = off" \
        -c "CALL bench.p_publish('sync_off', $pub_nosync, 1, $PUB_ROUNDS)"
    psql_q -d "$db" -c "VACUUM ANALYZE integrity.disclosure" >/dev/null 2>&1
    # the physical limit, measured just before and just after verify_chain;
    # the higher of the two is the reference (the machine may be shared)
    ov1=$(openssl_verify)
    step "verify_chain" psql_q -d "$db" -c "SELECT bench.m_verify($([ $smoke = 1 ] && echo 1 || echo 2), $REF_ROWS)"
    ov2=$(openssl_verify)
    ov=$(printf '%s\n%s\n' "$ov1" "$ov2" | grep . | sort -g | tail -1)
    if [ -n "$ov" ]; then
        psql_q -d "$db" -c "SELECT bench.put('openssl.verify_per_s', $ov, NULL, '${ov1:-?} before, ${ov2:-?} after')" >/dev/null
        log "  openssl speed ed25519: ${ov1:-?} verify/s before, ${ov2:-?} after"
    else
        failed_steps="$failed_steps openssl"
    fi
    unset PGOPTIONS
    psql_q -d "$db" -c "SELECT bench.put('size.total_s', $(date +%s) - $t_size)" \
        -c "SELECT bench.put('size.loadavg', NULL, NULL, '$load_start at the start, $(cut -d' ' -f1 /proc/loadavg) at the end')" >/dev/null

    # the tables of this size
    psql -X -At -F $'\t' -d "$db" -c "SELECT ord, target, goal, measured, reference, ratio, result FROM bench.report() ORDER BY ord" \
        > "$BENCH_OUT/report_$size.tsv"
    psql -X -At -F $'\t' -d "$db" -c "SELECT name, value, n, coalesce(note, '') FROM bench.raw ORDER BY name" \
        > "$BENCH_OUT/raw_$size.tsv"
    psql -X -At -F $'\t' -d "$db" -c "SELECT phase, round(seconds::numeric, 2), n FROM bench.load_time ORDER BY phase" \
        > "$BENCH_OUT/load_$size.tsv"
    if [ $smoke = 1 ]; then
        psql -X -At -F $'\t' -d "$db" -f "$here/smoke.sql" > "$BENCH_OUT/smoke_$size.tsv" 2>"$work/smoke.err" ||
            { cat "$work/smoke.err" >&2; failed_steps="$failed_steps smoke-checks"; }
    fi
    log ""
    log "-- $size records: targets of SPEC 9 (one run, one backend each)"
    awk -F'\t' '{printf "%-4s %-92s %-13s %-36s %-26s %-9s %s\n", $7, $2, $3, $4, $5, $6, ""}' \
        "$BENCH_OUT/report_$size.tsv" >&2
    log "-- load ($size records)"
    awk -F'\t' '{printf "   %-24s %10s s  %s\n", $1, $2, $3}' "$BENCH_OUT/load_$size.tsv" >&2
    if [ "${KEEP:-0}" != 1 ]; then
        dropdb "$db" 2>/dev/null
    fi
done

# ------------------------------------------------------------------ summary
{
    echo "# integrity benchmark, $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo
    sed 's/^/    /' "$BENCH_OUT/machine.txt"
    for size in $SIZES; do
        [ -f "$BENCH_OUT/report_$size.tsv" ] || continue
        echo
        echo "## $size records"
        echo
        echo "| target | goal | measured | reference | ratio | result |"
        echo "| --- | --- | --- | --- | --- | --- |"
        awk -F'\t' '{printf "| %s | %s | %s | %s | %s | %s |\n", $2, $3, $4, $5, $6, $7}' "$BENCH_OUT/report_$size.tsv"
        echo
        echo "load: $(awk -F'\t' '{printf "%s%s %s s", (NR > 1 ? ", " : ""), $1, $2}' "$BENCH_OUT/load_$size.tsv")"
        echo
        echo "machine load (1-minute average): $(awk -F'\t' '$1 == "size.loadavg" {print $4}' "$BENCH_OUT/raw_$size.tsv"); this size took $(awk -F'\t' '$1 == "size.total_s" {print $2}' "$BENCH_OUT/raw_$size.tsv") s"
    done
    set -- $SIZES
    if [ $# -gt 1 ]; then
        echo
        echo "## growth with the number of records"
        echo
        printf '| target |'; for size in $SIZES; do printf ' %s |' "$size"; done; echo
        printf '| --- |'; for size in $SIZES; do printf ' --- |'; done; echo
        cat "$BENCH_OUT"/report_*.tsv | cut -f1,2 | sort -n -u -t$'\t' -k1,1 | while IFS=$'\t' read -r ord target; do
            printf '| %s |' "$(echo "$target" | sed 's/ among [0-9]* records//; s/), [0-9]* entries/)/; s/, [0-9]* entries,/,/')"
            for size in $SIZES; do
                v=$(awk -F'\t' -v o="$ord" '$1 == o {print $4 ($6 != "" ? " (" $6 ")" : "")}' "$BENCH_OUT/report_$size.tsv" 2>/dev/null)
                printf ' %s |' "${v:--}"
            done
            echo
        done
    fi
} > "$BENCH_OUT/results.md"

elapsed=$(( $(date +%s) - start_all ))
log ""
[ -n "$failed_steps" ] && log "failed steps:$failed_steps"

if [ $smoke = 1 ]; then
    # one test per target (the measurement ran and gave a sane number) and
    # per correctness check
    passed=0; failed=0; t=0
    for size in $SIZES; do
        if [ ! -s "$BENCH_OUT/smoke_$size.tsv" ]; then
            t=$((t + 1)); failed=$((failed + 1)); echo "not ok $t - bench smoke ($size records): no results"
            continue
        fi
        while IFS=$'\t' read -r ok name detail; do
            t=$((t + 1))
            if [ "$ok" = t ]; then
                passed=$((passed + 1)); echo "ok $t - bench smoke: $name${detail:+ ($detail)}"
            else
                failed=$((failed + 1)); echo "not ok $t - bench smoke: $name${detail:+ ($detail)}"
            fi
        done < "$BENCH_OUT/smoke_$size.tsv"
    done
    echo "# bench-smoke took ${elapsed} s"
    echo "$passed passed, $failed failed"
    [ $failed = 0 ]
else
    cat "$BENCH_OUT/results.md"
    echo
    echo "# took ${elapsed} s; tables in $BENCH_OUT (results.md, report_*.tsv, raw_*.tsv)"
    [ -z "$failed_steps" ]
fi
