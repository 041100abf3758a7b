#!/bin/bash
# bench/profile.sh: run SQL statements in one backend under `perf record -g`
# and print where the time went (the profiles of bench/RESULTS.md).
#
#   bash bench/profile.sh DB 'SQL;' ['SQL;' ...]
#   PGPORT=5531 bash bench/profile.sh integrity_bench_1000000 \
#       "CALL bench.p_publish('prof', 5000, 1000);"
#
# Needs perf and permission to attach to the backend (root).  Keeps the
# raw data in ${PERF_OUT:-/tmp/integrity-profile}.data.  FUNCS lists the
# functions whose inclusive share and direct callees are shown.
set -u
db=$1; shift
out=${PERF_OUT:-/tmp/integrity-profile}
FUNCS=${FUNCS:-"record_log disclosure_append record_guard verify_chain check_row uscc_in cn_id_in score_state_transfn fmgr_sql standard_planner plpgsql_exec_function SPI_execute_plan"}
export PGHOST=${PGHOST:-/var/run/postgresql} PGUSER=${PGUSER:-postgres}

coproc P { psql -X -q -At -d "$db"; }
echo "SELECT 'pid=' || pg_backend_pid();" >&"${P[1]}"
pid=""
while read -r line <&"${P[0]}"; do
    case "$line" in pid=*) pid=${line#pid=}; break ;; esac
done
[ -n "$pid" ] || { echo "no backend" >&2; exit 1; }
perf record -F 2000 -g -p "$pid" -o "$out.data" >/dev/null 2>&1 &
perf_pid=$!
sleep 1
for s in "$@"; do echo "$s" >&"${P[1]}"; done
echo "SELECT 'done-marker';" >&"${P[1]}"
while read -r line <&"${P[0]}"; do
    case "$line" in *done-marker*) break ;; esac
done
kill -INT $perf_pid; wait $perf_pid 2>/dev/null
echo '\q' >&"${P[1]}"

echo "== self time, top 25"
perf report -i "$out.data" --no-children --stdio --sort dso,symbol 2>/dev/null |
    grep '%' | grep -v '^ *|' | grep -v -- '--' | head -25
perf script -i "$out.data" 2>/dev/null > "$out.txt"
python3 - "$out.txt" $FUNCS <<'EOF'
import sys, collections
path, funcs = sys.argv[1], sys.argv[2:]
samples, cur = [], []
for line in open(path):
    if not line.strip():
        if cur:
            samples.append(cur)
        cur = []
        continue
    if line[0] not in ' \t':
        cur = []
        continue
    parts = line.strip().split(None, 1)
    if len(parts) == 2:
        cur.append(parts[1].split(' (')[0].rsplit('+0x', 1)[0])
if cur:
    samples.append(cur)
n = len(samples) or 1
print(f"== inclusive share and direct callees ({len(samples)} samples)")
for f in funcs:
    callees, hit = collections.Counter(), 0
    for s in samples:
        idx = [i for i, x in enumerate(s) if x == f]
        if not idx:
            continue
        hit += 1
        i = max(idx)
        callees[s[i - 1] if i > 0 else '(self)'] += 1
    if not hit:
        continue
    print(f"{100 * hit / n:6.1f}% {f}")
    for c, k in callees.most_common(8):
        print(f"        {100 * k / n:6.1f}% {c}")
EOF
