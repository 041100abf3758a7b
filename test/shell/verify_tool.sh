#!/bin/bash
# test/shell/verify_tool.sh: end-to-end test of tools/integrity-verify (TAP).
#
# Needs no PostgreSQL.  The log is built here with the openssl command line
# and coreutils (sha256sum, od, base64) only, independently of the C code
# under test: an Ed25519 key from `openssl genpkey`, canonical JSON payloads,
# entry hashes, signatures (`openssl pkeyutl -sign -rawin`), an RFC 6962
# Merkle root and a C2SP checkpoint note.  Then one byte of each column of a
# middle row is changed in turn and the tool must exit 1 naming that row.
#
# Usage: test/shell/verify_tool.sh            (builds the tool with gcc)
#        INTEGRITY_VERIFY=path/to/integrity-verify test/shell/verify_tool.sh
set -u
export LC_ALL=C

cd "$(dirname "$0")/../.." || exit 2
tmp=$(mktemp -d) || exit 2
trap '[ -n "${KEEP_TMP:-}" ] || rm -rf "$tmp"' EXIT

n=0
failed=0
ok() {		# ok CONDITION-EXIT-STATUS DESCRIPTION
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
		failed=$((failed + 1))
	fi
}
diag() { sed 's/^/# /' "$@"; }

# ------------------------------------------------------------------ build
if [ -n "${INTEGRITY_VERIFY:-}" ]; then
	TOOL=$INTEGRITY_VERIFY
	ok 0 "using $TOOL"
else
	TOOL=$tmp/integrity-verify
	gcc -std=gnu99 -Wall -Wextra -Werror -O2 -Isrc -Itools/integrity-verify -o "$TOOL" \
		tools/integrity-verify/*.c src/text_core.c src/crypto_core.c src/log_core.c \
		src/checkpoint_core.c src/merkle_core.c src/json_canon_core.c src/lifecycle_core.c \
		-lcrypto -lm 2>"$tmp/build.err"
	rc=$?
	ok $rc "integrity-verify builds with -Wall -Wextra -Werror"
	if [ $rc -ne 0 ]; then
		diag "$tmp/build.err"
		echo "1..$n"
		exit 1
	fi
fi

# ---------------------------------------------------------------- helpers
hex_of() { od -An -v -tx1 | tr -d ' \n'; }				# stdin bytes -> hex
unhex() { printf "$(printf '%s' "$1" | sed 's/../\\x&/g')"; }	# hex -> stdout bytes
sha_hex() { sha256sum | cut -c1-64; }					# stdin -> sha-256 hex
ZERO=0000000000000000000000000000000000000000000000000000000000000000

make_key() {	# make_key NAME: NAME.pem, NAME.pub.pem, NAME.raw, NAME.hex, NAME.id
	openssl genpkey -algorithm ed25519 -out "$tmp/$1.pem" 2>/dev/null &&
	openssl pkey -in "$tmp/$1.pem" -pubout -out "$tmp/$1.pub.pem" &&
	openssl pkey -in "$tmp/$1.pem" -pubout -outform DER | tail -c 32 >"$tmp/$1.raw" &&
	hex_of <"$tmp/$1.raw" >"$tmp/$1.hex" &&
	sha_hex <"$tmp/$1.raw" | cut -c1-16 >"$tmp/$1.id"
}
make_key A && make_key B
ok $? "made two ed25519 keys with openssl genpkey"
KEY_A_HEX=$(cat "$tmp/A.hex")

csv_field() {	# RFC 4180 quoting when needed
	case "$1" in
	*[,\"$'\n'$'\r']*) printf '"%s"' "${1//\"/\"\"}" ;;
	*) printf '%s' "$1" ;;
	esac
}

COLS=(origin seq record_id event payload payload_hash prev_hash entry_hash key_id signature disclosed_at)
N=7
MID=4
ORIGIN=110105
EVENTS=(publish publish objection objection_resolved repair publish revoke)

# build_log KEYNAME-PER-ROW... : fills the F_* arrays for rows 1..N.
# Payload of row 4 is non-canonical (a blank) when NONCANON=1.
build_log() {
	local prev=$ZERO i key p ph eh
	for ((i = 1; i <= N; i++)); do
		key=${1:-A}
		[ $# -gt 1 ] && shift
		p="{\"amount\":$i.5,\"event\":\"${EVENTS[i-1]}\",\"items\":[1,{\"k\":\"v\"}],\"name\":\"测试单位$i，\\\"引号\\\", comma\",\"record_id\":$((1000 + i))}"
		[ "${NONCANON:-0}" = 1 ] && [ $i -eq $MID ] && p="{\"amount\": $i.5,\"event\":\"${EVENTS[i-1]}\",\"record_id\":$((1000 + i))}"
		ph=$(printf '%s' "$p" | sha_hex)
		eh=$(unhex "$prev$(printf '%016x' $i)$ph" | sha_hex)
		unhex "$eh" >"$tmp/entry.bin"
		F_origin[i]=$ORIGIN
		F_seq[i]=$i
		F_record_id[i]=$((1000 + i))
		F_event[i]=${EVENTS[i-1]}
		F_payload[i]=$p
		F_payload_hash[i]="\\x$ph"
		F_prev_hash[i]="\\x$prev"
		F_entry_hash[i]="\\x$eh"
		F_key_id[i]=$(cat "$tmp/$key.id")
		F_signature[i]="\\x$(openssl pkeyutl -sign -rawin -inkey "$tmp/$key.pem" -in "$tmp/entry.bin" | hex_of)"
		F_disclosed_at[i]="2024-05-0$i 10:0$i:00.12345$i+08"
		LEAF[i-1]=$(unhex "00$eh" | sha_hex)
		prev=$eh
	done
}

# write_csv FILE [ROW COLUMN VALUE]: the log, with one field replaced.
write_csv() {
	local file=$1 trow=${2:-0} tcol=${3:-} tval=${4:-} i c v sep
	{
		(IFS=,; echo "${COLS[*]}")
		for ((i = 1; i <= N; i++)); do
			sep=
			for c in "${COLS[@]}"; do
				eval "v=\${F_$c[i]}"
				[ "$i" = "$trow" ] && [ "$c" = "$tcol" ] && v=$tval
				printf '%s' "$sep"
				csv_field "$v"
				sep=,
			done
			printf '\n'
		done
	} >"$file"
}

# RFC 6962 MTH over LEAF[start .. start+count-1] (hex)
mth() {
	local start=$1 count=$2 k=1 l r
	if [ "$count" -eq 1 ]; then
		echo "${LEAF[start]}"
		return
	fi
	while [ $((k * 2)) -lt "$count" ]; do k=$((k * 2)); done
	l=$(mth "$start" $k)
	r=$(mth $((start + k)) $((count - k)))
	unhex "01$l$r" | sha_hex
}

# checkpoint KEYNAME ORIGIN SIZE ROOTHEX > note
checkpoint() {
	local body sig kh
	body=$(printf 'integrity/%s\n%s\n%s\n' "$2" "$3" "$(unhex "$4" | base64 -w0)"; echo x)
	body=${body%x}
	printf '%s' "$body" >"$tmp/body.txt"
	openssl pkeyutl -sign -rawin -inkey "$tmp/$1.pem" -in "$tmp/body.txt" >"$tmp/cpsig.bin"
	kh=$( { printf 'integrity/%s\n\001' "$2"; cat "$tmp/$1.raw"; } | sha_hex | cut -c1-8)
	printf '%s\n\xe2\x80\x94 integrity/%s %s\n' "$body" "$2" \
		"$( { unhex "$kh"; cat "$tmp/cpsig.bin"; } | base64 -w0)"
}

run() {		# run ARGS...: exit status in $rc, stdout/stderr in files
	"$TOOL" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
}

# -------------------------------------------------------------- valid log
build_log A
write_csv "$tmp/log.csv"
ROOT7=$(mth 0 $N)
ROOT5=$(mth 0 5)

run --key "$tmp/A.pub.pem" "$tmp/log.csv"
[ $rc -eq 0 ] && grep -qx "ok: $N entries verified, root $ROOT7" "$tmp/out"
ok $? "valid log verifies; summary names the rfc 6962 root computed by the shell"
[ $rc -eq 0 ] || diag "$tmp/err"

run --key "$tmp/A.raw" "$tmp/log.csv"
ok $rc "public key as a file of 32 raw bytes"
run --key "$KEY_A_HEX" "$tmp/log.csv"
ok $rc "public key as 64 hex digits"
run --key "\\x$KEY_A_HEX" --origin $ORIGIN "$tmp/log.csv"
ok $rc "public key as \\x hex, with --origin"
run --key "$tmp/A.pub.pem" - <"$tmp/log.csv"
ok $rc "log read from standard input"

# columns in another order, an extra column holding a newline and a comma,
# CRLF line ends: found by header name
{
	echo 'note,signature,key_id,entry_hash,prev_hash,payload_hash,payload,event,record_id,seq,origin,disclosed_at'
	for ((i = 1; i <= N; i++)); do
		printf '"line one\nline two, with ""quotes"""'
		for c in signature key_id entry_hash prev_hash payload_hash payload event record_id seq origin disclosed_at; do
			eval "v=\${F_$c[i]}"
			printf ','
			csv_field "$v"
		done
		printf '\r\n'
	done
} >"$tmp/reordered.csv"
run --key "$tmp/A.pub.pem" "$tmp/reordered.csv"
[ $rc -eq 0 ] && grep -qx "ok: $N entries verified, root $ROOT7" "$tmp/out"
ok $? "reordered columns, extra quoted column with newline, CRLF line ends"
[ $rc -eq 0 ] || diag "$tmp/err"

# -------------------------------------------------------------- checkpoint
checkpoint A $ORIGIN 5 "$ROOT5" >"$tmp/cp5.txt"
run --key "$tmp/A.pub.pem" --checkpoint "$tmp/cp5.txt" "$tmp/log.csv"
[ $rc -eq 0 ] && grep -q "checkpoint at tree size 5 verified" "$tmp/out"
ok $? "checkpoint (made with openssl) at tree size 5 verifies against the log"
[ $rc -eq 0 ] || diag "$tmp/err"

checkpoint A $ORIGIN $N "$ROOT7" >"$tmp/cp7.txt"
run --key "$tmp/B.pub.pem" --key "$tmp/A.pub.pem" --checkpoint "$tmp/cp7.txt" "$tmp/log.csv"
ok $rc "checkpoint at the full size verifies, with an extra --key"

checkpoint A $ORIGIN 5 "$ROOT7" >"$tmp/cpbad.txt"
run --key "$tmp/A.pub.pem" --checkpoint "$tmp/cpbad.txt" "$tmp/log.csv"
[ $rc -eq 1 ] && grep -q '^bad checkpoint: root hash at tree size 5' "$tmp/err"
ok $? "signed checkpoint whose root is not the log's: exit 1"

sed '2s/5/6/' "$tmp/cp5.txt" >"$tmp/cptamper.txt"
run --key "$tmp/A.pub.pem" --checkpoint "$tmp/cptamper.txt" "$tmp/log.csv"
[ $rc -eq 1 ] && grep -q '^bad checkpoint: .*does not verify' "$tmp/err"
ok $? "checkpoint with a changed tree size: signature rejected"

checkpoint B $ORIGIN 5 "$ROOT5" >"$tmp/cpB.txt"
run --key "$tmp/A.pub.pem" --checkpoint "$tmp/cpB.txt" "$tmp/log.csv"
[ $rc -eq 1 ] && grep -q '^bad checkpoint:' "$tmp/err"
ok $? "checkpoint signed by another key: exit 1"

checkpoint A 110106 5 "$ROOT5" >"$tmp/cpO.txt"
run --key "$tmp/A.pub.pem" --checkpoint "$tmp/cpO.txt" "$tmp/log.csv"
[ $rc -eq 1 ] && grep -q '^bad checkpoint:' "$tmp/err"
ok $? "checkpoint for another origin: exit 1"

head -n 5 "$tmp/log.csv" >"$tmp/short.csv"	# header + 4 rows
run --key "$tmp/A.pub.pem" --checkpoint "$tmp/cp5.txt" "$tmp/short.csv"
[ $rc -eq 1 ] && grep -q '^bad checkpoint: tree size 5 exceeds the 4 entries' "$tmp/err"
ok $? "log truncated below the checkpoint's tree size: exit 1"

# ------------------------------------------ one byte of each column of row 4
tamper() {	# change the byte in the middle of $1 to another harmless one
	local s=$1 pos c r
	pos=$(( ${#s} / 2 ))
	c=${s:pos:1}
	case "$c" in
	[0-8]) r=$((c + 1)) ;;
	9) r=0 ;;
	[a-e]) r=$(printf '%s' "$c" | tr 'a-e' 'b-f') ;;
	f) r=a ;;
	[A-Za-z]) r=$([ "$c" = x ] && echo y || echo x) ;;
	*) r=Z ;;
	esac
	printf '%s' "${s:0:pos}$r${s:pos+1}"
}

for c in "${COLS[@]}"; do
	eval "orig=\${F_$c[MID]}"
	new=$(tamper "$orig")
	write_csv "$tmp/t.csv" $MID "$c" "$new"
	run --key "$tmp/A.pub.pem" "$tmp/t.csv"
	if [ "$c" = disclosed_at ]; then
		# disclosed_at lies outside the signed entry (DESIGN.md): a
		# plausible change cannot be detected, a malformed one is
		ok $rc "row $MID $c changed to a plausible time is accepted (not signed)"
		write_csv "$tmp/t.csv" $MID "$c" "${orig/:/x}"
		run --key "$tmp/A.pub.pem" "$tmp/t.csv"
		new="${orig/:/x}"
	fi
	[ $rc -eq 1 ] && grep -q "^bad row seq=$MID: " "$tmp/err"
	ok $? "row $MID column $c: '$orig' -> '$new' reported as bad row seq=$MID"
	diag "$tmp/err"
done

# a second byte of the payload (ascii, inside the name) and one inside a
# multi-byte character
p=${F_payload[MID]}
write_csv "$tmp/t.csv" $MID payload "${p/comma/cOmma}"
run --key "$tmp/A.pub.pem" "$tmp/t.csv"
[ $rc -eq 1 ] && grep -q "^bad row seq=$MID: payload_hash" "$tmp/err"
ok $? "row $MID payload letter changed: payload_hash mismatch"
pre=${p%%测*}
write_csv "$tmp/t.csv" $MID payload "${pre}$(printf '\xe6\xb5')X${p:${#pre}+3}"
run --key "$tmp/A.pub.pem" "$tmp/t.csv"
[ $rc -eq 1 ] && grep -q "^bad row seq=$MID: payload is not valid json" "$tmp/err"
ok $? "row $MID payload with a broken utf-8 sequence rejected"

# -------------------------------------------------------- structural changes
sed "$((MID + 1))d" "$tmp/log.csv" >"$tmp/t.csv"
run --key "$tmp/A.pub.pem" "$tmp/t.csv"
[ $rc -eq 1 ] && grep -q "^bad row seq=$MID: seq is $((MID + 1)), expected $MID" "$tmp/err"
ok $? "deleted row $MID reported"

{
	sed -n "1,${MID}p" "$tmp/log.csv"
	sed -n "$((MID + 2))p" "$tmp/log.csv"
	sed -n "$((MID + 1))p" "$tmp/log.csv"
	sed -n "$((MID + 3)),\$p" "$tmp/log.csv"
} >"$tmp/t.csv"
run --key "$tmp/A.pub.pem" "$tmp/t.csv"
[ $rc -eq 1 ] && grep -q "^bad row seq=$MID: " "$tmp/err"
ok $? "rows $MID and $((MID + 1)) swapped: seq=$MID reported"

sed -n "1,$((MID + 1))p;$((MID + 1))p;$((MID + 2)),\$p" "$tmp/log.csv" >"$tmp/t.csv"
run --key "$tmp/A.pub.pem" "$tmp/t.csv"
[ $rc -eq 1 ] && grep -q "^bad row seq=$((MID + 1)): seq is $MID" "$tmp/err"
ok $? "duplicated row $MID: the copy is reported as seq=$((MID + 1))"

# all hashes of rows 4.. recomputed after replacing row 4: only the
# signature (and for row 4 nothing else) gives it away
saved_payload=${F_payload[MID]}
F_payload[MID]=${saved_payload/comma/forged}
ph=$(printf '%s' "${F_payload[MID]}" | sha_hex)
eh=$(unhex "${F_prev_hash[MID]#\\x}$(printf '%016x' $MID)$ph" | sha_hex)
F_payload_hash[MID]="\\x$ph"
F_entry_hash[MID]="\\x$eh"
write_csv "$tmp/t.csv"
run --key "$tmp/A.pub.pem" "$tmp/t.csv"
[ $rc -eq 1 ] && grep -q "^bad row seq=$MID: signature does not verify" "$tmp/err"
ok $? "forged payload with consistent hashes: signature rejected at seq=$MID"
build_log A

run --key "$tmp/B.pub.pem" "$tmp/log.csv"
[ $rc -eq 1 ] && grep -q "^bad row seq=1: unknown key_id" "$tmp/err"
ok $? "wrong public key: bad row seq=1"

NONCANON=1 build_log A
write_csv "$tmp/t.csv"
run --key "$tmp/A.pub.pem" "$tmp/t.csv"
[ $rc -eq 1 ] && grep -q "^bad row seq=$MID: payload is not in canonical json form" "$tmp/err"
ok $? "correctly signed but non-canonical payload rejected"

# ------------------------------------------------------------ key rotation
build_log A A A B B B B
write_csv "$tmp/rot.csv"
run --key "$tmp/A.pub.pem" --key "$tmp/B.pub.pem" "$tmp/rot.csv"
ok $rc "rotated keys: every row checked under its key_id"
run --key "$tmp/A.pub.pem" "$tmp/rot.csv"
[ $rc -eq 1 ] && grep -q "^bad row seq=4: unknown key_id" "$tmp/err"
ok $? "rotated log with only the old key: first row of the new key reported"
build_log A
ok 0 "log rebuilt with one key"

# ------------------------------------------------------------------ --from
{ head -n 1 "$tmp/log.csv"; tail -n +4 "$tmp/log.csv"; } >"$tmp/tail.csv"
run --key "$tmp/A.pub.pem" --from "$tmp/tail.csv"
[ $rc -eq 0 ] && grep -q "^ok: 5 entries verified (seq 3..7" "$tmp/out"
ok $? "--from: a log export starting at seq 3 verifies"
run --key "$tmp/A.pub.pem" --from=3 "$tmp/tail.csv"
ok $rc "--from=3 matches the first row"
run --key "$tmp/A.pub.pem" "$tmp/tail.csv"
[ $rc -eq 1 ] && grep -q "^bad row seq=1: seq is 3, expected 1" "$tmp/err"
ok $? "without --from a log not starting at seq 1 is rejected"

# ------------------------------------------------------------ other input
run --key "$tmp/A.pub.pem" --origin 110106 "$tmp/log.csv"
[ $rc -eq 1 ] && grep -q "^bad row seq=1: origin" "$tmp/err"
ok $? "--origin that the rows do not have: bad row seq=1"
printf 'origin,seq\n' >"$tmp/t.csv"
run --key "$tmp/A.pub.pem" "$tmp/t.csv"
[ $rc -eq 1 ] && grep -q "^bad log: the csv header has no column" "$tmp/err"
ok $? "csv without the needed columns: bad log"
head -c -40 "$tmp/log.csv" >"$tmp/t.csv"
run --key "$tmp/A.pub.pem" "$tmp/t.csv"
[ $rc -eq 1 ] && grep -q "^bad row seq=$N: " "$tmp/err"
ok $? "last row cut short: bad row seq=$N"
head -n 1 "$tmp/log.csv" >"$tmp/t.csv"
run --key "$tmp/A.pub.pem" "$tmp/t.csv"
[ $rc -eq 0 ] && grep -qx "ok: 0 entries verified, root $(printf '' | sha_hex)" "$tmp/out"
ok $? "empty log (header only): ok with the empty-tree root"

# ------------------------------------------------------------ usage errors
run "$tmp/log.csv"
ok $([ $rc -eq 2 ]; echo $?) "no --key: exit 2"
run --key "$tmp/A.pub.pem"
ok $([ $rc -eq 2 ]; echo $?) "no log: exit 2"
run --key "$tmp/nonexistent.pem" "$tmp/log.csv"
ok $([ $rc -eq 2 ]; echo $?) "unreadable key file: exit 2"
run --key "$tmp/A.pem" "$tmp/log.csv"
ok $([ $rc -eq 2 ]; echo $?) "private key given as --key: exit 2"
run --key "$tmp/A.pub.pem" "$tmp/nonexistent.csv"
ok $([ $rc -eq 2 ]; echo $?) "unreadable log: exit 2"
run --key "$tmp/A.pub.pem" --bogus "$tmp/log.csv"
ok $([ $rc -eq 2 ]; echo $?) "unknown option: exit 2"

echo "1..$n"
[ $failed -eq 0 ]
