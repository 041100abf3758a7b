#!/bin/sh
# demo/verify-offline.sh DIR ORIGIN LOG_DB [KEY_DB [FROM TO]]
#
# What anyone holding an export can check, with tools/integrity-verify.
# Exports the disclosure log of ORIGIN from the database LOG_DB (a psql
# connection string; at an upper level that is its replicated copy) to
# DIR/ORIGIN.csv, and writes the public key (DIR/ORIGIN.key.hex) and a
# signed checkpoint (DIR/ORIGIN.checkpoint) that the origin's own platform
# KEY_DB publishes (default LOG_DB; only an origin's own key signs its
# checkpoints).  Then it verifies every hash, every signature and the
# checkpoint's Merkle root offline.
#
# With FROM and TO it also shows that a copy with one payload edited (the
# first FROM after row 50 replaced by TO), a copy with a row deleted, and
# the log checked against another platform's key (any other DIR/*.key.hex)
# are each rejected with the first bad row named.  Run by demo/run.sh.
set -eu
dir=${1:?usage: sh demo/verify-offline.sh DIR ORIGIN LOG_DB [KEY_DB [FROM TO]]}
origin=${2:?origin missing}
logdb=${3:?LOG_DB missing}
keydb=${4:-$3}
from=${5:-}
to=${6:-}
cd "$(dirname "$0")/.."
verify=$(pwd)/tools/integrity-verify/integrity-verify
[ -x "$verify" ] || verify=$(pg_config --bindir)/integrity-verify
psql="psql -X -q -v ON_ERROR_STOP=1"
case $origin in *[!0-9]* | '') echo "bad origin $origin" >&2; exit 2 ;; esac

$psql -d "$logdb" -c "\\copy (SELECT origin, seq, record_id, event, payload, payload_hash, prev_hash, entry_hash, key_id, signature, disclosed_at FROM integrity.disclosure WHERE origin = '$origin' ORDER BY seq) TO '$dir/$origin.csv' CSV HEADER"
$psql -d "$keydb" -Atc "SELECT encode(integrity.public_key(), 'hex')" >"$dir/$origin.key.hex"
# the note ends with a newline; command substitution drops it, printf restores it
printf '%s\n' "$($psql -d "$keydb" -Atc "SELECT checkpoint FROM integrity.tree_head()")" >"$dir/$origin.checkpoint"

echo "exported: $origin.csv ($(($(wc -l <"$dir/$origin.csv") - 1)) rows); $origin.key.hex, $origin.checkpoint from the origin's platform"
echo "\$ integrity-verify --origin $origin --key $origin.key.hex --checkpoint $origin.checkpoint $origin.csv"
(cd "$dir" && "$verify" --origin "$origin" --key "$origin.key.hex" --checkpoint "$origin.checkpoint" "$origin.csv") 2>&1

[ -n "$from" ] || exit 0

# expect_rejected LABEL KEYFILE CSV: the verifier must exit with status 1
expect_rejected() {
    echo "-- $1:"
    echo "\$ integrity-verify --key $2 $3"
    set +e
    (cd "$dir" && "$verify" --key "$2" "$3") 2>&1
    rc=$?
    set -e
    if [ $rc -ne 1 ]; then
        echo "the $3 log was not rejected (exit $rc)" >&2
        exit 1
    fi
}
awk -v from="$from" -v to="$to" 'NR > 50 && !done && sub(from, to) { done = 1 } { print }' \
    "$dir/$origin.csv" >"$dir/$origin.changed.csv"
cmp -s "$dir/$origin.csv" "$dir/$origin.changed.csv" && { echo "nothing to change: no $from in $origin.csv" >&2; exit 1; }
expect_rejected "a payload edited after export ($from -> $to)" "$origin.key.hex" "$origin.changed.csv"
sed '6d' "$dir/$origin.csv" >"$dir/$origin.deleted.csv"
expect_rejected "the entry with seq 5 removed from the export" "$origin.key.hex" "$origin.deleted.csv"
for other in "$dir"/*.key.hex; do
    other=$(basename "$other")
    [ "$other" = "$origin.key.hex" ] && continue
    expect_rejected "checked with another platform's key ($other)" "$other" "$origin.csv"
    break
done
echo "(each exits with status 1: rejected, the first bad row named)"
