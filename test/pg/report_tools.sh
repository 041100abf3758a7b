#!/bin/sh
# test/pg/report_tools.sh: the credit report end to end (issue 17), against
# a live server.  Prints TAP; exits non-zero on failure.
#
#  - a platform whose government has many disclosures (publish, objection,
#    repair) among those of other subjects, and a civil servant (D1.4);
#  - tools/integrity-verify --report accepts the honest report (and, with
#    --log, the full log export against it) and rejects, naming the check:
#    a changed payload, a removed middle entry (back-link broken), a proof
#    for another tree size, a changed checkpoint, a report signed by another
#    key, a changed as_of; a report that leaves out its newest entry passes
#    alone (a report cannot prove what comes after its newest entry) and is
#    rejected with --log; 4 sessions publishing records of one subject at
#    once leave it one unbroken chain.  The tampered reports other than the last two are
#    signed again with the platform's own key (openssl pkeyutl), as a lying
#    platform would: the inner checks, not the report signature, catch them;
#  - tools/verify.html, in headless Chromium (Debian's chromium), gives the
#    same verdicts: it is loaded with a report and a key in the URL fragment
#    and the test reads the verdict from the page's DOM; one screenshot of
#    the honest report is kept in $INTEGRITY_ARTEFACTS (default
#    test/artefacts/verify_report.png) for a person to look at.
#
# Runs inside a pg_virtualenv cluster (see test/run-all.sh): PGHOST, PGPORT,
# PGUSER name a superuser, integrity.signing_key_file = $WORK/signing.key
# (readable by this script: it signs the tampered reports), the current
# directory is the repository and tools/integrity-verify is built.  The
# database it creates is dropped at the end.  POSIX sh; needs openssl, od,
# base64, chromium.
set -u
. "$(dirname "$0")/../tap.sh"

: "${WORK:?set WORK to the directory that holds signing.key}"
top=$(cd "$(dirname "$0")/../.." && pwd)
TOOL=${INTEGRITY_VERIFY:-$top/tools/integrity-verify/integrity-verify}
PAGE=$top/tools/verify.html
KEY=$WORK/signing.key
ART=${INTEGRITY_ARTEFACTS:-$top/test/artefacts}
CHROMIUM=${CHROMIUM:-chromium}
DB=integrity_report_$$
T=$WORK/report_tools.$$
export PGCLIENTENCODING=UTF8

cleanup() {
	psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null 2>&1
	[ -n "${KEEP_TMP:-}" ] || rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 2' INT TERM HUP
mkdir -p "$T" "$ART" || exit 2

q() { psql -X -A -t -q -v ON_ERROR_STOP=1 -d "$DB" "$@"; }
# qv SQL -v NAME=VALUE...: SQL with psql variables (read from stdin: -c does not interpolate)
qv() { sql=$1; shift; printf '%s\n' "$sql" | q "$@"; }

# ------------------------------------------------------------------ setup
createdb -T template0 -E UTF8 --lc-collate=C --lc-ctype=C "$DB" &&
q >"$T/setup.log" 2>&1 <<'EOF'
CREATE EXTENSION integrity;
SELECT integrity.set_origin('140400');
CREATE TABLE public.s (name text PRIMARY KEY, id bigint);
INSERT INTO public.s VALUES
    ('gov', integrity.subject_add('government', '长治市人民政府', '11140400000000019L')),
    ('ent', integrity.subject_add('enterprise', '长治市某某建设有限公司', '91140400000000043W')),
    ('cs',  integrity.subject_add('civil_servant', '欧阳明华', '140402198501011237'));
CREATE FUNCTION public.rec(who text, cat text, age int, no int) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE r bigint;
BEGIN
    r := integrity.record_add((SELECT id FROM public.s WHERE name = who), cat, 'general', current_date - age,
                              '长治〔2025〕' || no || '号', '长治市纪委监委', '第 ' || no || ' 条记录');
    PERFORM integrity.notify(r, '书面告知');
    PERFORM integrity.confirm(r, '认定');
    PERFORM integrity.publish(r);
    RETURN r;
END $$;
-- the government's entries, each followed by one about another subject
SELECT public.rec('gov', 'accountability', 400, i), public.rec('ent', 'admin_penalty', 30, 100 + i)
  FROM generate_series(1, 5) i;
SELECT integrity.object(id, '异议') FROM integrity.record WHERE document_no = '长治〔2025〕2号';
SELECT public.rec('cs', 'disciplinary_sanction', 40, 200);
SELECT integrity.repair(id, '已整改') FROM integrity.record WHERE document_no = '长治〔2025〕3号';
EOF
ok $? "a platform: a government with many disclosures among others', a civil servant"
[ -x "$TOOL" ]
ok $? "$TOOL is built"

gov=$(q -c "SELECT id FROM public.s WHERE name = 'gov'")
cs=$(q -c "SELECT id FROM public.s WHERE name = 'cs'")
pubhex=$(q -c "SELECT encode(integrity.public_key(), 'hex')")
vkey=$(q -c "SELECT 'integrity/140400+' || encode(substr(sha256(convert_to('integrity/140400', 'UTF8') || '\\x0a01'::bytea || k), 1, 4), 'hex')
                    || '+' || encode('\\x01'::bytea || k, 'base64') FROM integrity.public_key() k")
printf '%s' "$(q -c "SELECT integrity.credit_report($gov)")" >"$T/honest.json"
printf '%s' "$(q -c "SELECT integrity.credit_report($cs)")" >"$T/person.json"
q -c "\\copy (SELECT origin, seq, record_id, event, payload, payload_hash, prev_hash, entry_hash, key_id, signature, disclosed_at FROM integrity.disclosure WHERE origin = '140400' ORDER BY seq) TO '$T/log.csv' CSV HEADER"
is "$(qv "SELECT jsonb_array_length(:'doc'::jsonb #> '{body,entries}')" -v doc="$(cat "$T/honest.json")")" 7 \
	"the government's report lists its 7 entries (5 publish, objection, repair)"

# a report around BODY (canonical JSON text in a file) signed by KEYFILE,
# the signature naming key_id KID: what a platform with that key would sign
sign_body() {	# sign_body BODYFILE KEYFILE KID OUT
	printf 'integrity-credit-report/v1\n' >"$T/msg" && cat "$1" >>"$T/msg" &&
		openssl pkeyutl -sign -inkey "$2" -rawin -in "$T/msg" -out "$T/sig" || return 1
	printf '%s' "$(qv "SELECT integrity.canonical_json(jsonb_build_object('body', :'body'::jsonb, 'signature',
		        jsonb_build_object('algorithm', 'Ed25519', 'domain', 'integrity-credit-report/v1',
		                           'key_id', :'kid', 'value', :'sig'))::text)" \
		-v body="$(cat "$1")" -v kid="$3" -v sig="$(od -An -v -tx1 "$T/sig" | tr -d ' \n')")" >"$4"
}
# the honest report's body changed by a jsonb expression of b, into a file
body_of() {	# body_of EXPR OUT
	printf '%s' "$(qv "SELECT integrity.canonical_json(($1)::text) FROM (SELECT :'doc'::jsonb -> 'body' AS b) x" \
		-v doc="$(cat "$T/honest.json")")" >"$2"
}
kid=$(q -c "SELECT integrity._current_key_id()")
size=$(qv "SELECT :'doc'::jsonb #>> '{body,checkpoint,tree_size}'" -v doc="$(cat "$T/honest.json")")
first=$(qv "SELECT :'doc'::jsonb #>> '{body,entries,0,seq}'" -v doc="$(cat "$T/honest.json")")

# 1. a changed payload (the second entry now says revoked), signed again
body_of "jsonb_set(b, '{entries,1,payload}', to_jsonb(replace(b #>> '{entries,1,payload}', '\"state\":\"published\"', '\"state\":\"revoked\"')))" "$T/b1"
sign_body "$T/b1" "$KEY" "$kid" "$T/payload.json"
# 2. the middle entry removed, signed again
body_of "b #- '{entries,3}'" "$T/b2"
sign_body "$T/b2" "$KEY" "$kid" "$T/middle.json"
# 3. the first entry's proof for another tree size, signed again
body_of "jsonb_set(b, '{entries,0,inclusion_proof}', (SELECT jsonb_agg(encode(h, 'hex')) FROM unnest(integrity.inclusion_proof($first, $size - 1)) h))" "$T/b3"
sign_body "$T/b3" "$KEY" "$kid" "$T/proof.json"
isnt_same=$(cmp -s "$T/b3" "$T/honest.json"; echo $?)
# 4. the checkpoint's note claims another size, signed again
body_of "jsonb_set(b, '{checkpoint,text}', to_jsonb(regexp_replace(b #>> '{checkpoint,text}', '\\n$size\\n', E'\\n' || ($size + 1) || E'\\n')))" "$T/b4"
sign_body "$T/b4" "$KEY" "$kid" "$T/checkpoint.json"
# 5. the honest body signed by another key (the platform's key_id kept)
openssl genpkey -algorithm ed25519 -out "$T/other.key" 2>/dev/null
body_of "b" "$T/b5"
sign_body "$T/b5" "$T/other.key" "$kid" "$T/otherkey.json"
# 6. a changed as_of, the platform's signature kept
printf '%s' "$(qv "SELECT integrity.canonical_json(jsonb_set(:'doc'::jsonb, '{body,as_of}', to_jsonb((current_date - 1)::text))::text)" -v doc="$(cat "$T/honest.json")")" >"$T/asof.json"
# 7. the newest entry left out, signed again: the chain before it is whole
body_of "b #- '{entries,6}'" "$T/b7"
sign_body "$T/b7" "$KEY" "$kid" "$T/newest.json"
# 9. the checkpoint carrying a cosignature line of a witness (issue 16's form), signed again
body_of "jsonb_set(b, '{checkpoint,text}', to_jsonb((b #>> '{checkpoint,text}') || '— witness.example/w1 AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' || chr(10)))" "$T/b9"
sign_body "$T/b9" "$KEY" "$kid" "$T/cosigned.json"
is "$isnt_same" 1 "the proof for tree size $((size - 1)) differs from the report's"

# ------------------------------------------------------------------ integrity-verify
verify() {	# verify FILE [OPTIONS...]: "exit N: first line of output"
	f=$1
	shift
	"$TOOL" --report "$f" --key "$pubhex" "$@" >"$T/out" 2>&1
	rc=$?
	echo "exit $rc: $(head -n 1 "$T/out")"
}
r=$(verify "$T/honest.json")
case $r in "exit 0: ok: credit report of subject $gov (origin 140400) at $(date +%F): report signature, checkpoint at tree size $size, 7 entries"*) ok 0 "integrity-verify accepts the honest report";; *) ok 1 "integrity-verify accepts the honest report"; echo "# $r";; esac
r=$(verify "$T/honest.json" --log "$T/log.csv")
case $r in "exit 0: "*"; the log leaves nothing about the subject out") ok 0 "integrity-verify --log: the full log export leaves nothing about the subject out";; *) ok 1 "integrity-verify --log accepts the honest report"; echo "# $r";; esac
r=$(verify "$T/person.json" --log "$T/log.csv")
case $r in "exit 0: "*) ok 0 "integrity-verify accepts the civil servant's report";; *) ok 1 "integrity-verify accepts the civil servant's report"; echo "# $r";; esac
e2=$(qv "SELECT :'doc'::jsonb #>> '{body,entries,1,seq}'" -v doc="$(cat "$T/honest.json")")
is "$(verify "$T/payload.json")" "exit 1: bad report: entry seq=$e2: payload_hash is not the sha-256 of payload" \
	"integrity-verify rejects a changed payload (entry hashes)"
r=$(verify "$T/middle.json")
case $r in "exit 1: bad report: back-link: entry seq="*" names prev_seq "*" (an entry is missing)") ok 0 "integrity-verify rejects a removed middle entry (back-link broken)";; *) ok 1 "integrity-verify rejects a removed middle entry"; echo "# $r";; esac
r=$(verify "$T/proof.json")
case $r in "exit 1: bad report: entry seq=$first: inclusion proof: does not lead to the checkpoint's root at tree size $size"*) ok 0 "integrity-verify rejects a proof for another tree size";; *) ok 1 "integrity-verify rejects a proof for another tree size"; echo "# $r";; esac
r=$(verify "$T/checkpoint.json")
case $r in "exit 1: bad report: checkpoint: "*) ok 0 "integrity-verify rejects a changed checkpoint (its signed note)";; *) ok 1 "integrity-verify rejects a changed checkpoint"; echo "# $r";; esac
r=$(verify "$T/cosigned.json")
case $r in "exit 0: "*) ok 0 "a checkpoint with a witness's cosignature line verifies (C2SP: other keys' lines are ignored here)";; *) ok 1 "a checkpoint with a cosignature line verifies"; echo "# $r";; esac
is "$(verify "$T/otherkey.json")" "exit 1: bad report: report signature: not a valid signature of key $kid over the body" \
	"integrity-verify rejects a report signed by another key"
is "$(verify "$T/asof.json")" "exit 1: bad report: report signature: not a valid signature of key $kid over the body" \
	"integrity-verify rejects a changed as_of"
r=$(verify "$T/newest.json")
case $r in "exit 0: "*"6 entries"*) ok 0 "a report without its newest entry passes alone (README: what a report cannot prove)";; *) ok 1 "a report without its newest entry passes alone"; echo "# $r";; esac
r=$(verify "$T/newest.json" --log "$T/log.csv")
case $r in "exit 1: bad report: completeness: the log's entry seq="*" is about subject $gov and inside the checkpoint"*) ok 0 "integrity-verify --log rejects it: the log has an entry about the subject the report leaves out";; *) ok 1 "integrity-verify --log rejects a report without its newest entry"; echo "# $r";; esac
# 8. no entries at all, signed again: only the log can tell
body_of "jsonb_set(b, '{entries}', '[]'::jsonb)" "$T/b8"
sign_body "$T/b8" "$KEY" "$kid" "$T/noentries.json"
r=$(verify "$T/noentries.json" --log "$T/log.csv")
case $r in "exit 1: bad report: completeness: the log's entry seq=1 is about subject $gov"*) ok 0 "integrity-verify --log rejects a report that claims no entries for a subject that has some";; *) ok 1 "integrity-verify --log rejects a report that claims no entries"; echo "# $r";; esac
empty=$(q -c "SELECT integrity.subject_add('department', '长治市统计局', '11140400000000027F')")
printf '%s' "$(q -c "SELECT integrity.credit_report($empty)")" >"$T/empty.json"
r=$(verify "$T/empty.json" --log "$T/log.csv")
case $r in "exit 0: "*", 0 entries with their inclusion proofs and back-links verified; the log leaves nothing about the subject out") ok 0 "a subject without disclosures: its report and the log agree";; *) ok 1 "a subject without disclosures: its report and the log agree"; echo "# $r";; esac
other_hex=$(openssl pkey -in "$T/other.key" -pubout -outform DER | tail -c 32 | od -An -v -tx1 | tr -d ' \n')
"$TOOL" --report "$T/honest.json" --key "$other_hex" >"$T/out" 2>&1
is "exit $?: $(head -n 1 "$T/out")" "exit 1: bad report: report signature: signed by key_id $kid, which is not one of the --key keys" \
	"integrity-verify with another --key names the key the report needs"
"$TOOL" --report "$T/honest.json" --key "$pubhex" "$T/log.csv" >/dev/null 2>&1
is "$?" 2 "--report takes no LOG.csv argument (usage error)"
"$TOOL" --key "$pubhex" --log "$T/log.csv" >/dev/null 2>&1
is "$?" 2 "--log without --report is a usage error"
printf 'not json' >"$T/junk.json"
r=$(verify "$T/junk.json")
case $r in "exit 1: bad report: format: not json: "*) ok 0 "integrity-verify rejects a file that is not a report";; *) ok 1 "integrity-verify rejects a file that is not a report"; echo "# $r";; esac

# ------------------------------------------------------------------ concurrent publishers
# 4 sessions publish 25 records each of one subject at once: the back-link
# is read under the chain's lock, so the subject's chain does not fork
q >"$T/conc.log" 2>&1 <<'EOF2'
INSERT INTO public.s VALUES ('conc', integrity.subject_add('enterprise', '福州某某科技有限公司', '91350100M000100Y43'));
CREATE TABLE public.conc (w int, id bigint);
INSERT INTO public.conc
SELECT i % 4, integrity.record_add((SELECT id FROM public.s WHERE name = 'conc'), 'admin_penalty', 'general',
                                   current_date - 20, '闽罚〔2026〕' || i || '号', '福州市市场监督管理局', '并发 ' || i)
  FROM generate_series(1, 100) i;
SELECT integrity.notify(id, '告知') FROM public.conc;
SELECT integrity.confirm(id, '认定') FROM public.conc;
EOF2
for w in 0 1 2 3; do
	q -c "SELECT count(integrity.publish(id)) FROM (SELECT id FROM public.conc WHERE w = $w ORDER BY id) x" >"$T/conc.$w" 2>&1 &
done
wait
conc=$(q -c "SELECT id FROM public.s WHERE name = 'conc'")
printf '%s' "$(q -c "SELECT integrity.credit_report($conc)")" >"$T/conc.json"
q -c "\\copy (SELECT origin, seq, record_id, event, payload, payload_hash, prev_hash, entry_hash, key_id, signature, disclosed_at FROM integrity.disclosure WHERE origin = '140400' ORDER BY seq) TO '$T/log2.csv' CSV HEADER"
r=$(verify "$T/conc.json" --log "$T/log2.csv")
case $r in "exit 0: "*", 100 entries with their inclusion proofs and back-links verified; the log leaves nothing about the subject out") ok 0 "4 concurrent publishers of one subject: its 100 entries form one unbroken chain";; *) ok 1 "4 concurrent publishers of one subject: one unbroken chain"; echo "# $r"; cat "$T"/conc.* | head -5 | sed 's/^/# /';; esac

# ------------------------------------------------------------------ the page, in headless Chromium
command -v "$CHROMIUM" >/dev/null 2>&1
ok $? "chromium is installed (tools/install-deps.sh)"
# page FILE KEY: "<verdict> <first failing check>" as the page shows them
page() {
	frag="report=$(base64 -w0 "$1" | tr '+/' '-_')&key=$(printf '%s' "$2" | sed 's/+/%2B/g; s/=/%3D/g; s|/|%2F|g' | awk 'NR > 1 { printf "%%0A" } { printf "%s", $0 }')"
	"$CHROMIUM" --headless --no-sandbox --disable-gpu --user-data-dir="$T/chrome" \
		--virtual-time-budget=15000 --dump-dom "file://$PAGE#$frag" 2>/dev/null >"$T/dom.html"
	v=$(sed -n 's/.*<div id="verdict" data-verdict="\([a-z]*\)"[^>]*data-first-failure="\([a-z_]*\)".*/\1 \2/p' "$T/dom.html" | head -n 1)
	echo "${v:-no verdict}"
}
is "$(page "$T/honest.json" "$vkey")" "ok " "verify.html accepts the honest report (key as a vkey)"
grep -q '长治市人民政府' "$T/dom.html" && grep -q '第 5 条记录' "$T/dom.html" && grep -q '信用修复 repair' "$T/dom.html"
ok $? "verify.html shows the subject and its records, in Chinese and English"
is "$(page "$T/person.json" "$pubhex")" "ok " "verify.html accepts the civil servant's report (key as hex)"
grep -q '欧阳\*\*' "$T/dom.html" && ! grep -q '欧阳明华' "$T/dom.html"
ok $? "D1.4 verify.html shows the person masked, never the full name"
is "$(page "$T/cosigned.json" "$pubhex")" "ok " "verify.html accepts a checkpoint with a witness's cosignature line"
grep -q 'cosignatures (not checked here): witness.example/w1' "$T/dom.html"
ok $? "verify.html lists the cosignatures it does not check"
is "$(page "$T/payload.json" "$pubhex")" "bad hashes" "verify.html rejects a changed payload: entry hashes"
is "$(page "$T/middle.json" "$pubhex")" "bad backlinks" "verify.html rejects a removed middle entry: back-links"
is "$(page "$T/proof.json" "$pubhex")" "bad inclusion" "verify.html rejects a proof for another tree size: inclusion proofs"
is "$(page "$T/checkpoint.json" "$pubhex")" "bad checkpoint" "verify.html rejects a changed checkpoint"
is "$(page "$T/otherkey.json" "$pubhex")" "bad signature" "verify.html rejects a report signed by another key: report signature"
is "$(page "$T/asof.json" "$pubhex")" "bad signature" "verify.html rejects a changed as_of: report signature"
is "$(page "$T/honest.json" "$other_hex")" "bad signature" "verify.html with another key: report signature"
grep -q 'data-check="checkpoint" data-ok="false"' "$T/dom.html"
ok $? "verify.html with another key also fails the checkpoint check"
# a vkey whose base64 holds '+' (C2SP: only the name and the key ID are
# free of it): a key made until its vkey has one signs the honest body; the
# page and the tool take it beside the platform's vkey (one key per line)
for i in $(seq 1 60); do
	openssl genpkey -algorithm ed25519 -out "$T/plus.key" 2>/dev/null
	plus_hex=$(openssl pkey -in "$T/plus.key" -pubout -outform DER | tail -c 32 | od -An -v -tx1 | tr -d ' \n')
	plus_vkey=$(q -c "SELECT 'integrity/140400+' || encode(substr(sha256(convert_to('integrity/140400', 'UTF8') || '\\x0a01'::bytea || k), 1, 4), 'hex')
	                         || '+' || encode('\\x01'::bytea || k, 'base64') FROM decode('$plus_hex', 'hex') k")
	case "$plus_vkey" in *+*+*+*) break ;; esac
done
plus_kid=$(q -c "SELECT encode(substr(sha256(decode('$plus_hex', 'hex')), 1, 8), 'hex')")
body_of "b" "$T/b9"
sign_body "$T/b9" "$T/plus.key" "$plus_kid" "$T/plus.json"
case "$plus_vkey" in *+*+*+*) r=0 ;; *) r=1 ;; esac
ok $r "a key whose vkey's base64 holds a '+': $plus_vkey"
is "$(page "$T/plus.json" "$vkey
$plus_vkey")" "ok " "verify.html reads a vkey with '+' in its base64 (the report signed by it, the checkpoint by the platform's vkey)"
"$TOOL" --report "$T/plus.json" --key "$vkey" --key "$plus_vkey" >"$T/out" 2>&1
ok $? "integrity-verify reads the same vkeys"
vkey_enc=$(printf '%s' "$vkey" | sed 's/+/%2B/g; s/=/%3D/g; s|/|%2F|g')
"$CHROMIUM" --headless --no-sandbox --disable-gpu --hide-scrollbars --user-data-dir="$T/chrome" \
	--virtual-time-budget=15000 --window-size=1100,1900 --screenshot="$ART/verify_report.png" \
	"file://$PAGE#report=$(base64 -w0 "$T/honest.json" | tr '+/' '-_')&key=$vkey_enc" >/dev/null 2>&1
[ -s "$ART/verify_report.png" ]
ok $? "a screenshot of the verified report: $ART/verify_report.png"

# 12. issue 16: a report whose checkpoint carries a real cosignature (the
# level above played in this database: the settings switched to 140000,
# which witnesses 140400's published checkpoint with its witness key), and
# --witness/--quorum applied to it through the one checkpoint check
q -c "SELECT integrity.publish_checkpoint()" >/dev/null &&
	q -c "UPDATE integrity.settings SET origin = '140000'" -c "SELECT integrity._forget_origin()" >/dev/null &&
	wvkey=$(q -c "SELECT integrity.witness_vkey()") &&
	q -c "SELECT integrity.witness('140400')" >/dev/null &&
	q -c "UPDATE integrity.settings SET origin = '140400'" -c "SELECT integrity._forget_origin()" >/dev/null
ok $? "the level above (played here) cosigns the platform's checkpoint"
printf '%s' "$(q -c "SELECT integrity.credit_report($gov)")" >"$T/witnessed.json"
other_w=$(q -c "SELECT 'integrity/140001/witness+' || encode(substr(sha256(convert_to('integrity/140001/witness', 'UTF8') || '\\x0a04'::bytea || k), 1, 4), 'hex')
                       || '+' || encode('\\x04'::bytea || k, 'base64') FROM sha256('another witness') k")
r=$("$TOOL" --report "$T/witnessed.json" --key "$vkey" --witness "$wvkey" --quorum 1 2>&1); rc=$?
case "$rc:$r" in "0:ok: "*"1 of 1 witnesses cosigned its checkpoint") ok 0 "integrity-verify --report with --witness (the vkey of witness_vkey()) --quorum 1: the report's checkpoint is cosigned";; *) ok 1 "integrity-verify --report --witness --quorum 1"; echo "# $rc $r";; esac
r=$("$TOOL" --report "$T/witnessed.json" --key "$vkey" --witness "$wvkey" --witness "$other_w" --quorum 2 2>&1); rc=$?
case "$rc:$r" in "1:bad report: checkpoint: 1 valid cosignature of the 2 needed"*) ok 0 "integrity-verify --report --quorum 2 with one cosignature: exit 1, naming the checkpoint's quorum";; *) ok 1 "integrity-verify --report --quorum 2"; echo "# $rc $r";; esac
r=$("$TOOL" --report "$T/honest.json" --key "$vkey" --witness "$wvkey" 2>&1); rc=$?
case "$rc:$r" in "1:bad report: checkpoint: 0 valid cosignatures"*) ok 0 "an earlier report, made before the witness cosigned: refused when a witness is required";; *) ok 1 "an uncosigned report with --witness"; echo "# $rc $r";; esac

echo "1..$n"
[ "$failed" -eq 0 ]
