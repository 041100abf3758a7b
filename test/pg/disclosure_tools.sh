#!/bin/sh
# test/pg/disclosure_tools.sh: the disclosure log end to end, against a live
# server (SPEC 6; DOMAIN D6).  Prints TAP; exits non-zero on failure.
#
#  - a database with a few dozen disclosures, exported with psql \copy and
#    checked offline by tools/integrity-verify with the public key and the
#    checkpoint;
#  - a row changed by a superuser: verify_chain and the tool name the same
#    first bad seq;
#  - key rotation (ALTER SYSTEM + reload): new rows carry the new key_id,
#    signing_key keeps both keys, the chain and the tool verify across it;
#  - no key, or a key file with mode 0644: publish fails with 55000 and
#    writes nothing;
#  - 4 sessions publishing 50 records each at once: seq stays 1..n without
#    gap or duplicate, one publish disclosure per record, chain ok.
#
# Runs inside a pg_virtualenv cluster (see test/run-all.sh): PGHOST, PGPORT,
# PGUSER name a superuser, integrity.signing_key_file = $WORK/signing.key is
# set with `pg_virtualenv -o`, $WORK is a writable directory the server can
# read, the current directory is the repository and tools/integrity-verify is
# built.  The database it creates and the ALTER SYSTEM settings it makes are
# removed at the end.  POSIX sh; needs openssl, od, stat (GNU coreutils).
set -u

: "${WORK:?set WORK to the directory that holds signing.key}"
TOOL=${INTEGRITY_VERIFY:-tools/integrity-verify/integrity-verify}
KEY1=$WORK/signing.key
DB=integrity_tools_$$
T=$WORK/disclosure_tools.$$
export PGCLIENTENCODING=UTF8

n=0
failed=0
ok() {		# ok EXIT-STATUS DESCRIPTION; returns non-zero on failure
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then
		printf 'ok %d - %s\n' "$n" "$2"
	else
		printf 'not ok %d - %s\n' "$n" "$2"
		failed=$((failed + 1))
		return 1
	fi
}
is() {		# is GOT WANT DESCRIPTION
	n=$((n + 1))
	if [ "$1" = "$2" ]; then
		printf 'ok %d - %s\n' "$n" "$3"
	else
		printf 'not ok %d - %s\n' "$n" "$3"
		printf '#   got: %s\n#  want: %s\n' "'$1'" "'$2'"
		failed=$((failed + 1))
		return 1
	fi
}
diag() { sed 's/^/# /' "$@"; }

# one value from the test database
q() { psql -X -A -t -q -v ON_ERROR_STOP=1 -d "$DB" -c "$1"; }
# a script on the test database
run() { psql -X -q -v ON_ERROR_STOP=1 -d "$DB" "$@"; }

set_key_file() {	# set_key_file PATH|'' ; or set_key_file RESET
	if [ "$1" = RESET ]; then
		stmt="ALTER SYSTEM RESET integrity.signing_key_file"
	else
		stmt="ALTER SYSTEM SET integrity.signing_key_file = '$1'"
	fi
	psql -X -q -v ON_ERROR_STOP=1 -d "$DB" -c "SELECT integrity.canonical_json('{}')" \
		-c "$stmt" -c "SELECT pg_reload_conf()" >/dev/null
	rc=$?
	sleep 1
	return $rc
}

cleanup() {
	if [ -n "${DB_CREATED:-}" ]; then
		set_key_file RESET 2>/dev/null
		psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null 2>&1
	fi
	[ -n "${KEEP_TMP:-}" ] || rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 2' INT TERM HUP

export_log() {		# export_log FILE
	psql -X -q -v ON_ERROR_STOP=1 -d "$DB" -c "\\copy (SELECT origin, seq, record_id, event, payload, payload_hash, prev_hash, entry_hash, key_id, signature, disclosed_at FROM integrity.disclosure WHERE origin = '140400' ORDER BY seq) TO '$1' CSV HEADER"
}
save_checkpoint() {	# save_checkpoint FILE: the note, ending in exactly one newline
	cp=$(q "SELECT checkpoint FROM integrity.tree_head()") || return 1
	printf '%s\n' "$cp" > "$1"
}
# hex of the raw public key of a PEM private key file
pem_public_hex() {
	openssl pkey -in "$1" -pubout -outform DER | tail -c 32 | od -An -v -tx1 | tr -d ' \n'
}
# first bad seq reported by the tool ("bad row seq=S: ..."), or its exit status
tool_first_bad() {	# tool_first_bad LOG KEY...
	log=$1
	shift
	keys=
	for k in "$@"; do keys="$keys --key $k"; done
	# shellcheck disable=SC2086
	"$TOOL" $keys "$log" > "$T/tool.out" 2> "$T/tool.err"
	rc=$?
	if [ $rc -eq 0 ]; then
		echo ok
	else
		s=$(sed -n 's/^.*bad row seq=\([0-9]*\).*$/\1/p' "$T/tool.err" | head -n 1)
		echo "${s:-exit $rc}"
	fi
}

mkdir -p "$T" || exit 2
chmod 755 "$T"

# ------------------------------------------------------------------ setup
if [ ! -x "$TOOL" ]; then
	printf 'not ok 1 - %s is built\n1..1\n' "$TOOL"
	exit 1
fi
psql -X -q -v ON_ERROR_STOP=1 -d postgres \
	-c "CREATE DATABASE $DB TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'" > "$T/setup.log" 2>&1
rc=$?
ok $rc "create database $DB"
if [ $rc -ne 0 ]; then
	diag "$T/setup.log"
	echo "1..$n"
	exit 1
fi
DB_CREATED=1

run > "$T/setup.log" 2>&1 <<'EOF'
CREATE EXTENSION integrity;
SELECT integrity.set_origin('140400');
CREATE TABLE public.subj (i int PRIMARY KEY, id bigint, cat text);
INSERT INTO public.subj VALUES
    (0, integrity.subject_add('government', '长治市人民政府', '11140400000000019L'), 'admin_penalty'),
    (1, integrity.subject_add('enterprise', '长治市某某建设有限公司', '91140400000000043W'), 'breach_of_contract'),
    (2, integrity.subject_add('enterprise', '福州某某科技有限公司', '91350100M000100Y43'), 'admin_penalty'),
    (3, integrity.subject_add('civil_servant', '欧阳明华', '140402198501011237'), 'disciplinary_sanction'),
    (4, integrity.subject_add('civil_servant', '张三', '11010519491231002X'), 'admin_penalty');
-- k new confirmed records (decided days ago), their ids in order
CREATE FUNCTION public.confirmed(k int, days int DEFAULT 120) RETURNS SETOF bigint LANGUAGE plpgsql AS $$
DECLARE j int; r bigint; s record;
BEGIN
    FOR j IN 1 .. k LOOP
        SELECT * INTO s FROM public.subj WHERE subj.i = j % 5;
        r := integrity.record_add(s.id, s.cat, 'general', current_date - days, format('长文书〔2025〕%s号', j),
                                  '长治市市场监督管理局', '违法事实 ' || j);
        PERFORM integrity.notify(r, '书面告知');
        PERFORM integrity.confirm(r, '认定');
        RETURN NEXT r;
    END LOOP;
END $$;
SELECT count(integrity.publish(r)) FROM public.confirmed(36) r;
-- a few more events of published records
SELECT integrity.object(min(id), '异议') FROM integrity.record;
SELECT integrity.resolve_objection(min(id), false, '异议不成立') FROM integrity.record;
SELECT integrity.repair(min(id) + 1, '已整改') FROM integrity.record;
SELECT integrity.revoke(min(id) + 2, '信息错误') FROM integrity.record;
EOF
if ! ok $? "a database with a few dozen disclosures (36 publish, 4 more events)"; then
	diag "$T/setup.log"
	echo "Bail out! could not set up the test database"
	exit 1
fi
size1=$(q "SELECT count(*) FROM integrity.disclosure")
is "$size1" 40 "40 disclosures"

# ------------------------------------------------------- export, verify offline
export_log "$T/log1.csv" > "$T/export.log" 2>&1
ok $? "export with psql \\copy ... CSV HEADER" || diag "$T/export.log"
is "$(head -n 1 "$T/log1.csv")" "origin,seq,record_id,event,payload,payload_hash,prev_hash,entry_hash,key_id,signature,disclosed_at" \
	"the export has the header of docs/DESIGN.md"
q "SELECT encode(integrity.public_key(), 'hex')" > "$T/key1.hex"
is "$(cat "$T/key1.hex")" "$(pem_public_hex "$KEY1")" "public_key() is the public half of integrity.signing_key_file"
save_checkpoint "$T/checkpoint1"
ok $? "checkpoint of tree_head() saved"
root1=$(q "SELECT encode(root_hash, 'hex') FROM integrity.tree_head()")
"$TOOL" --key "$T/key1.hex" --checkpoint "$T/checkpoint1" "$T/log1.csv" > "$T/tool.out" 2> "$T/tool.err"
rc=$?
ok $rc "integrity-verify --key --checkpoint log.csv: exit 0" || diag "$T/tool.err"
case $(cat "$T/tool.out") in
"ok: 40 entries verified, root $root1"*) r=0 ;;
*) r=1 ;;
esac
ok $r "integrity-verify reports 40 entries and the root of tree_head()" || diag "$T/tool.out"
openssl genpkey -algorithm ed25519 -out "$T/other.key" 2>/dev/null
pem_public_hex "$T/other.key" > "$T/other.hex"
is "$(tool_first_bad "$T/log1.csv" "$T/other.hex")" 1 "integrity-verify with another key: bad row seq=1"
sed '2s/.*/41/' "$T/checkpoint1" > "$T/checkpoint_forged"
"$TOOL" --key "$T/key1.hex" --checkpoint "$T/checkpoint_forged" "$T/log1.csv" > "$T/tool.out" 2> "$T/tool.err"
is $? 1 "integrity-verify with a checkpoint whose size was changed: exit 1"

# ------------------------------------------------------------- tampering
for col in payload payload_hash prev_hash signature; do
	case $col in
	payload) set_expr="payload = convert_from(set_byte(convert_to(payload, 'UTF8'), 2, get_byte(convert_to(payload, 'UTF8'), 2) # 1), 'UTF8')" ;;
	*) set_expr="$col = set_byte($col, 5, get_byte($col, 5) # 1)" ;;
	esac
	tamper="BEGIN; ALTER TABLE integrity.disclosure DISABLE TRIGGER USER;
		UPDATE integrity.disclosure SET $set_expr WHERE origin = '140400' AND seq = 20;
		ALTER TABLE integrity.disclosure ENABLE TRIGGER USER; COMMIT;"
	run -c "$tamper" > "$T/tamper.log" 2>&1
	ok $? "superuser changes one byte of $col of seq 20" || diag "$T/tamper.log"
	db_bad=$(q "SELECT first_bad FROM integrity.verify_chain()")
	export_log "$T/tampered.csv" >/dev/null 2>&1
	tool_bad=$(tool_first_bad "$T/tampered.csv" "$T/key1.hex")
	is "$db_bad" 20 "verify_chain finds the changed $col: first_bad = 20"
	is "$tool_bad" "$db_bad" "integrity-verify on a fresh export names the same first bad seq ($col)"
	run -c "$tamper" > "$T/tamper.log" 2>&1		# the same XOR again restores the row
	is "$(q "SELECT ok FROM integrity.verify_chain()")" t "the row restored: verify_chain ok again ($col)"
done

# ------------------------------------------------------------ key rotation
owner=$(stat -c %u "$KEY1")
openssl genpkey -algorithm ed25519 -out "$T/signing2.key" 2>/dev/null
chmod 600 "$T/signing2.key"
[ "$(id -u)" = "$owner" ] || chown "$owner" "$T/signing2.key"
is "$(stat -c '%u %a' "$T/signing2.key")" "$owner 600" "second key: owned like the first (uid $owner), mode 0600"
set_key_file "$T/signing2.key"
ok $? "ALTER SYSTEM SET integrity.signing_key_file = the second key; pg_reload_conf()"
kid1=$(q "SELECT encode(substr(sha256(decode('$(cat "$T/key1.hex")', 'hex')), 1, 8), 'hex')")
pem_public_hex "$T/signing2.key" > "$T/key2.hex"
kid2=$(q "SELECT encode(substr(sha256(decode('$(cat "$T/key2.hex")', 'hex')), 1, 8), 'hex')")
is "$(q "SELECT encode(integrity.public_key(), 'hex')")" "$(cat "$T/key2.hex")" "after the reload public_key() is the second key"
is "$(q "SELECT count(integrity.publish(r)) FROM public.confirmed(10) r")" 10 "10 more records published"
is "$(q "SELECT count(*) FILTER (WHERE key_id = '$kid2') || '/' || count(*) FROM integrity.disclosure WHERE seq > 40")" "10/10" \
	"the new rows carry the new key_id ($kid2)"
is "$(q "SELECT count(*) FROM integrity.disclosure WHERE seq <= 40 AND key_id = '$kid1'")" 40 "the old rows keep the old key_id ($kid1)"
is "$(q "SELECT string_agg(key_id || ':' || (valid_until IS NULL), ',' ORDER BY valid_from) FROM integrity.signing_key WHERE origin = '140400'")" \
	"$kid1:false,$kid2:true" "signing_key has both keys; the old one has valid_until set"
is "$(q "SELECT row(ok, checked, first_bad) FROM integrity.verify_chain()")" "(t,50,)" "verify_chain() is ok across the rotation (50 checked)"
is "$(q "SELECT row(ok, checked, first_bad) FROM integrity.verify_chain(signatures => 'head')")" "(t,50,)" "verify_chain(signatures => 'head') is ok across the rotation"
export_log "$T/log2.csv" >/dev/null 2>&1
save_checkpoint "$T/checkpoint2"
"$TOOL" --key "$T/key1.hex" --key "$T/key2.hex" --checkpoint "$T/checkpoint2" "$T/log2.csv" > "$T/tool.out" 2> "$T/tool.err"
ok $? "integrity-verify with both keys and the new checkpoint: exit 0" || diag "$T/tool.err"
"$TOOL" --key "$T/key1.hex" --key "$T/key2.hex" --checkpoint "$T/checkpoint1" "$T/log2.csv" > "$T/tool.out" 2> "$T/tool.err"
ok $? "the checkpoint of size 40 (old key) still verifies against the longer log" || diag "$T/tool.err"
is "$(tool_first_bad "$T/log2.csv" "$T/key1.hex")" 41 "integrity-verify with the old key only stops at the first new row (41)"

# --------------------------------------------------------------- no key
id_nokey=$(q "SELECT r FROM public.confirmed(1) r")
count_before=$(q "SELECT count(*) FROM integrity.disclosure")
set_key_file ''
ok $? "ALTER SYSTEM SET integrity.signing_key_file = ''; pg_reload_conf()"
psql -X -q -v VERBOSITY=verbose -d "$DB" -c "SELECT integrity.publish($id_nokey)" > "$T/nokey.out" 2> "$T/nokey.err"
rc=$?
[ $rc -ne 0 ] && grep -q 'ERROR: *55000' "$T/nokey.err"
ok $? "without a key publish fails with SQLSTATE 55000" || diag "$T/nokey.err"
grep -q '^HINT: .*openssl genpkey' "$T/nokey.err"
ok $? "... with a hint that says how to make a key (openssl genpkey)" || diag "$T/nokey.err"
is "$(q "SELECT state FROM integrity.record WHERE id = $id_nokey")" confirmed "... the record is still confirmed"
is "$(q "SELECT count(*) FROM integrity.disclosure")" "$count_before" "... and no disclosure was written"
is "$(q "SELECT size FROM integrity.chain_head WHERE origin = '140400'")" "$count_before" "... and the chain head did not move"
psql -X -q -v VERBOSITY=verbose -d "$DB" -c "SELECT checkpoint FROM integrity.tree_head()" > "$T/nokey.out" 2> "$T/nokey.err"
grep -q 'ERROR: *55000' "$T/nokey.err"
ok $? "without a key tree_head() cannot sign its checkpoint: 55000" || diag "$T/nokey.err"

# a key file readable by others
openssl genpkey -algorithm ed25519 -out "$T/open.key" 2>/dev/null
[ "$(id -u)" = "$owner" ] || chown "$owner" "$T/open.key"
chmod 644 "$T/open.key"
set_key_file "$T/open.key"
ok $? "ALTER SYSTEM SET integrity.signing_key_file = a key file with mode 0644"
psql -X -q -v VERBOSITY=verbose -d "$DB" -c "SELECT integrity.publish($id_nokey)" > "$T/open.out" 2> "$T/open.err"
rc=$?
[ $rc -ne 0 ] && grep -q 'ERROR: *55000' "$T/open.err"
ok $? "a key file with mode 0644 is refused: 55000" || diag "$T/open.err"
grep -q 'permission' "$T/open.err"
ok $? "... and the error says why (permissions)" || diag "$T/open.err"
is "$(q "SELECT state || ' ' || (SELECT count(*) FROM integrity.disclosure) FROM integrity.record WHERE id = $id_nokey")" \
	"confirmed $count_before" "... nothing was written"

# a raw 32-byte seed (the last 32 bytes of the PKCS#8 DER of a PEM key)
openssl genpkey -algorithm ed25519 -out "$T/seed.pem" 2>/dev/null
openssl pkey -in "$T/seed.pem" -outform DER | tail -c 32 > "$T/seed.key"
chmod 600 "$T/seed.key"
[ "$(id -u)" = "$owner" ] || chown "$owner" "$T/seed.key"
set_key_file "$T/seed.key"
ok $? "ALTER SYSTEM SET integrity.signing_key_file = a raw 32-byte seed"
is "$(q "SELECT encode(integrity.public_key(), 'hex')")" "$(pem_public_hex "$T/seed.pem")" "a raw seed file gives the same key as its PEM form"
is "$(q "SELECT integrity.publish($id_nokey)")" "$((count_before + 1))" "publish works with the raw seed and gets the next seq"
pem_public_hex "$T/seed.pem" > "$T/key3.hex"

# a key owned by root with mode 0640, readable through the server's group
if [ "$(id -u)" = 0 ]; then
	group=$(id -g "$(getent passwd "$owner" | cut -d: -f1)")
	openssl genpkey -algorithm ed25519 -out "$T/root.key" 2>/dev/null
	chown "0:$group" "$T/root.key"
	chmod 640 "$T/root.key"
	set_key_file "$T/root.key"
	is "$(q "SELECT encode(integrity.public_key(), 'hex')")" "$(pem_public_hex "$T/root.key")" \
		"a key file owned by root with mode 0640 is accepted"
else
	n=$((n + 1))
	echo "ok $n # SKIP a root-owned key file needs root"
fi

set_key_file RESET
ok $? "ALTER SYSTEM RESET integrity.signing_key_file; pg_reload_conf()"
is "$(q "SELECT encode(integrity.public_key(), 'hex')")" "$(cat "$T/key1.hex")" "after the reset the first key signs again"
is "$(q "SELECT integrity.publish(r) FROM public.confirmed(1) r")" "$((count_before + 2))" "publish works again and gets the next seq"
is "$(q "SELECT string_agg(key_id || ':' || (valid_until IS NULL), ',' ORDER BY key_id) FROM integrity.signing_key WHERE origin = '140400'")" \
	"$(printf '%s\n' "$kid1:true" "$kid2:false" "$(q "SELECT encode(substr(sha256(decode('$(cat "$T/key3.hex")', 'hex')), 1, 8), 'hex')")":false | LC_ALL=C sort | paste -sd, -)" \
	"signing_key: the first key is in use again, the others have valid_until set"

# ------------------------------------------------------------- concurrency
ids=$(q "SELECT string_agg(r::text, ' ') FROM public.confirmed(200) r")
i=0
for id in $ids; do
	echo "SELECT integrity.publish($id);" >> "$T/worker$((i % 4)).sql"
	i=$((i + 1))
done
is "$i" 200 "200 confirmed records prepared for 4 sessions"
size_before=$(q "SELECT count(*) FROM integrity.disclosure")
# a barrier: the sessions start when this lock is released
psql -X -q -d "$DB" -c "SELECT pg_advisory_lock(424242)" -c "SELECT pg_sleep(2)" > /dev/null 2>&1 &
holder=$!
sleep 1
pids=
for w in 0 1 2 3; do
	{ echo "SELECT pg_advisory_lock_shared(424242); SELECT pg_advisory_unlock_shared(424242);"; cat "$T/worker$w.sql"; } > "$T/run$w.sql"
	psql -X -q -A -t -v ON_ERROR_STOP=1 -d "$DB" -f "$T/run$w.sql" > /dev/null 2> "$T/worker$w.err" &
	pids="$pids $!"
done
wait $holder
start=$(date +%s%N)
rcs=0
for p in $pids; do
	wait "$p" || rcs=$((rcs + 1))
done
end=$(date +%s%N)
is "$rcs" 0 "4 sessions published 50 records each at the same time, without error"
[ "$rcs" -eq 0 ] || for w in 0 1 2 3; do diag "$T/worker$w.err"; done
case $start$end in
*N*) echo "# concurrency: 200 publishes in 4 sessions (date without %N: no timing)" ;;
*) ms=$(( (end - start) / 1000000 )); [ "$ms" -gt 0 ] || ms=1
   echo "# concurrency: 200 publishes in 4 sessions took ${ms} ms after the barrier ($((200000 / ms)) publishes/s)" ;;
esac
size_after=$(q "SELECT count(*) FROM integrity.disclosure")
is "$size_after" "$((size_before + 200))" "200 more disclosures"
is "$(q "SELECT row(min(seq), max(seq), count(*), count(DISTINCT seq)) FROM integrity.disclosure WHERE origin = '140400'")" \
	"(1,$size_after,$size_after,$size_after)" "seq is exactly 1..$size_after: no gap, no duplicate"
is "$(q "SELECT size FROM integrity.chain_head WHERE origin = '140400'")" "$size_after" "the chain head size is $size_after"
is "$(q "SELECT count(*) FROM (SELECT r.id FROM integrity.record r LEFT JOIN integrity.disclosure d
           ON d.origin = r.origin AND d.record_id = r.id AND d.event = 'publish'
         WHERE r.id IN ($(echo "$ids" | tr ' ' ',')) AND r.state = 'published'
         GROUP BY r.id HAVING count(d.seq) = 1) x")" 200 "each of the 200 records is published with exactly one publish disclosure"
is "$(q "SELECT count(*) FROM (SELECT record_id FROM integrity.disclosure WHERE event = 'publish' GROUP BY record_id HAVING count(*) > 1) x")" 0 \
	"no record has two publish disclosures"
is "$(q "SELECT count(*) FROM (SELECT seq, prev_hash, lag(entry_hash) OVER (ORDER BY seq) AS want FROM integrity.disclosure WHERE origin = '140400') x
         WHERE seq > 1 AND prev_hash <> want")" 0 "the chain did not fork: each prev_hash is the previous entry_hash"
is "$(q "SELECT row(ok, checked, first_bad) FROM integrity.verify_chain()")" "(t,$size_after,)" "verify_chain() is ok after the concurrent publishes"
export_log "$T/log3.csv" >/dev/null 2>&1
save_checkpoint "$T/checkpoint3"
"$TOOL" --key "$T/key1.hex" --key "$T/key2.hex" --key "$T/key3.hex" --checkpoint "$T/checkpoint3" "$T/log3.csv" > "$T/tool.out" 2> "$T/tool.err"
ok $? "integrity-verify accepts the whole log ($size_after rows, three keys) and its checkpoint" || diag "$T/tool.err"
diag "$T/tool.out"

echo "1..$n"
[ "$failed" -eq 0 ]
