#!/bin/sh
# The whole test suite, as `make test` runs it after building and
# installing: pure-C unit tests, then pg_regress (sql/ + expected/) and
# pgTAP (test/*.sql) inside a throw-away cluster made by pg_virtualenv,
# with a fresh Ed25519 signing key.  Ends with "N passed, N failed".
set -u
cd "$(dirname "$0")/.."
top=$(pwd)
work=$(mktemp -d /tmp/integrity-test.XXXXXX)
chmod 755 "$work"
passed=0
failed=0

count_tap() {   # count ok / not ok lines of a TAP log
    p=$(grep -c '^ok ' "$1" || true)
    f=$(grep -c '^not ok ' "$1" || true)
    passed=$((passed + p)); failed=$((failed + f))
}

echo "== unit tests (pure C)"
make -s unit > "$work/unit.tap" 2>&1; rc=$?
cat "$work/unit.tap"
count_tap "$work/unit.tap"
[ $rc -ne 0 ] && [ "$(grep -c '^not ok ' "$work/unit.tap")" = 0 ] && failed=$((failed + 1))

# the same unit tests under AddressSanitizer and UndefinedBehaviorSanitizer
if command -v clang >/dev/null 2>&1; then
    echo "== unit tests under ASan+UBSan (make sanitize)"
    make -s sanitize > "$work/san.tap" 2>&1; rc=$?
    cat "$work/san.tap"
    count_tap "$work/san.tap"
    [ $rc -ne 0 ] && [ "$(grep -c '^not ok' "$work/san.tap")" = 0 ] && failed=$((failed + 1))
fi

for t in test/shell/*.sh; do
    [ -f "$t" ] || continue
    echo "== $t"
    INTEGRITY_VERIFY="$top/tools/integrity-verify/integrity-verify" bash "$t" > "$work/sh.tap" 2>&1; rc=$?
    cat "$work/sh.tap"
    count_tap "$work/sh.tap"
    [ $rc -ne 0 ] && [ "$(grep -c '^not ok ' "$work/sh.tap")" = 0 ] && failed=$((failed + 1))
done

# signing key and witness key (issue 16: a key of its own) for the
# cluster: owned by postgres, mode 0600 (SPEC 6)
for k in signing witness; do
    openssl genpkey -algorithm ed25519 -out "$work/$k.key" 2>/dev/null
    if id postgres >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
        chown postgres "$work/$k.key"
    fi
    chmod 600 "$work/$k.key"
done

echo "== pg_regress and pgTAP"
# a throw-away cluster left behind by an interrupted run would block pg_virtualenv
# (pg_dropcluster leaves the marker file, and so the directory, behind)
if [ -f /etc/postgresql/15/regress/.by_pg_virtualenv ]; then
    pg_dropcluster 15 regress --stop 2>/dev/null
    rm -rf /etc/postgresql/15/regress /var/lib/postgresql/15/regress
fi
pg_virtualenv -o "integrity.signing_key_file=$work/signing.key" -o "integrity.witness_key_file=$work/witness.key" \
    -o "session_preload_libraries=integrity" \
    sh -c "cd '$top' && { make -s installcheck > '$work/regress.log' 2>&1; echo \$? > '$work/regress.rc'; } ;
           pg_prove --ext .sql -d postgres test/*.sql > '$work/prove.log' 2>&1; echo \$? > '$work/prove.rc';
           for t in test/pg/*.sh; do [ -f \"\$t\" ] || continue; echo \"== \$t\"; WORK='$work' sh \"\$t\"; echo \"# exit \$?\"; done > '$work/pg.log' 2>&1"
cat "$work/regress.log"
[ -f regression.diffs ] && cat regression.diffs
rp=$(grep -cE '^(ok|test) .* ok( |$)|^ok [0-9]+ ' "$work/regress.log" || true)
rf=$(grep -cE 'FAILED|failed \(ignored\)|^not ok ' "$work/regress.log" || true)
passed=$((passed + rp)); failed=$((failed + rf))
if [ "$(cat "$work/regress.rc" 2>/dev/null)" != 0 ] && [ "$rf" = 0 ]; then failed=$((failed + 1)); fi
cat "$work/prove.log"
pt=$(sed -n 's/^Files=[0-9]*, Tests=\([0-9]*\),.*/\1/p' "$work/prove.log")
pf=$(awk '/^Failed [0-9]+\/[0-9]+ subtests/ { split($2, a, "/"); s += a[1] } END { print s + 0 }' "$work/prove.log")
pt=${pt:-0}; pf=${pf:-0}
passed=$((passed + pt - pf)); failed=$((failed + pf))
if [ "$(cat "$work/prove.rc" 2>/dev/null)" != 0 ] && [ "$pf" = 0 ]; then failed=$((failed + 1)); fi
cat "$work/pg.log"
count_tap "$work/pg.log"
bad=$(grep -c '^# exit [1-9]' "$work/pg.log" || true)
[ "$bad" != 0 ] && [ "$(grep -c '^not ok ' "$work/pg.log")" = 0 ] && failed=$((failed + bad))
# the benchmark code must not rot: its smoke version (small data, every
# measurement once) makes its own cluster, after pg_virtualenv is done
echo "== bench/run.sh --smoke"
bash bench/run.sh --smoke > "$work/bench.tap" 2>"$work/bench.err"; rc=$?
cat "$work/bench.tap"
count_tap "$work/bench.tap"
if [ $rc -ne 0 ] && [ "$(grep -c '^not ok' "$work/bench.tap")" = 0 ]; then
    tail -20 "$work/bench.err"; failed=$((failed + 1))
fi

# multi-cluster tests (replication, crash, pg_cron) make their own clusters
for t in test/cluster/*.sh; do
    [ -f "$t" ] || continue
    echo "== $t"
    bash "$t" > "$work/cl.tap" 2>&1; rc=$?
    cat "$work/cl.tap"
    count_tap "$work/cl.tap"
    [ $rc -ne 0 ] && [ "$(grep -c '^not ok ' "$work/cl.tap")" = 0 ] && failed=$((failed + 1))
done
rm -rf "$work"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
