#!/bin/sh
# demo/verify-offline.sh DIR: what anyone holding an export can check.
# Exports the local origin's disclosure log to DIR/log.csv, the public key to
# DIR/public_key.hex and a signed checkpoint to DIR/checkpoint.txt, then
# verifies them with tools/integrity-verify (every hash, every signature, the
# checkpoint's Merkle root), and shows that a changed or a deleted row is
# caught.  Connects like psql does (PGHOST, PGPORT, PGDATABASE, ...); run by
# demo/run.sh inside pg_virtualenv after demo/demo.sql.
set -eu
dir=${1:?usage: sh demo/verify-offline.sh DIR}
cd "$(dirname "$0")/.."
verify=$(pwd)/tools/integrity-verify
[ -x "$verify" ] || verify=$(pg_config --bindir)/integrity-verify
psql="psql -X -q -v ON_ERROR_STOP=1"

echo
echo "== 10. 离线校验 Offline verification of the exported log (tools/integrity-verify)"
origin=$($psql -Atc "SELECT integrity.local_origin()")
$psql -c "\\copy (SELECT origin, seq, record_id, event, payload, payload_hash, prev_hash, entry_hash, key_id, signature, disclosed_at FROM integrity.disclosure WHERE origin = '$origin' ORDER BY seq) TO '$dir/log.csv' CSV HEADER"
$psql -Atc "SELECT encode(integrity.public_key(), 'hex')" >"$dir/public_key.hex"
# the note ends with a newline; command substitution drops it, printf restores it
printf '%s\n' "$($psql -Atc "SELECT checkpoint FROM integrity.tree_head()")" >"$dir/checkpoint.txt"

echo "exported: log.csv ($(($(wc -l <"$dir/log.csv") - 1)) rows), public_key.hex, checkpoint.txt"
echo
echo "\$ integrity-verify --key public_key.hex --checkpoint checkpoint.txt log.csv"
(cd "$dir" && "$verify" --key public_key.hex --checkpoint checkpoint.txt log.csv) 2>&1

# one changed byte: a name in the first payload that holds 长治市
awk 'NR > 100 && !done && sub(/长治市/, "晋城市") { done = 1 } { print }' "$dir/log.csv" >"$dir/changed.csv"
# one deleted row: the fifth entry
sed '6d' "$dir/log.csv" >"$dir/deleted.csv"
for f in changed deleted; do
    echo
    case $f in
    changed) echo "-- a payload edited after export (长治市 -> 晋城市):" ;;
    deleted) echo "-- the entry with seq 5 removed from the export:" ;;
    esac
    echo "\$ integrity-verify --key public_key.hex $f.csv"
    set +e
    (cd "$dir" && "$verify" --key public_key.hex "$f.csv") 2>&1
    rc=$?
    set -e
    if [ $rc -ne 1 ]; then
        echo "the $f log was not rejected (exit $rc)" >&2
        exit 1
    fi
    echo "(exit status $rc: rejected, the first bad row named)"
done
