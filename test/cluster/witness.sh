#!/bin/bash
# test/cluster/witness.sh: witnessed logs (issue 16) with real clusters on
# loopback.  Two counties (140421, 140423) publish their logs to a city
# (140400), which re-publishes every origin to a province (140000); each
# level is subscribed only to its neighbours.  The upper levels cosign the
# lower levels' checkpoints (integrity.witness, C2SP tlog-cosignature
# cosignature/v1), and the cosignatures flow back down
# (create_witness_publication), so that a county's tree_head() carries the
# city's and the province's cosignature.  Then a county that rewrites its
# log and a county that runs a forked database are caught at the city, and
# a county drops its publication.  c2sp_verify.py, an independent verifier
# written from the C2SP texts, and integrity-verify check each other.
# See docs/REPLICATION.md, section 10.
#
# Prints TAP; exits non-zero on failure.  Runs as root on a machine where
# the extension is installed (make install).  Creates the clusters
# witness_county1 (5531), witness_county2 (5532), witness_city (5533) and
# witness_province (5534) and drops them again, whatever happens.
set -u

PGV=15
DB=integrity_wit
C1=witness_county1;   P1=5531; O1=140421
C2=witness_county2;   P2=5532; O2=140423
CT=witness_city;      P3=5533; O3=140400
PV=witness_province;  P4=5534; O4=140000
CLUSTERS="$C1 $C2 $CT $PV"
TIMEOUT=${WITNESS_TIMEOUT:-60}     # seconds to wait for any one catch-up
FAST=10                            # "within seconds"

export PGTZ=UTC PGUSER=postgres PGHOST=/var/run/postgresql PGDATABASE=$DB PGCONNECT_TIMEOUT=5
unset PGPORT PGSERVICE PGOPTIONS

HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../tap.sh"		# ok, is, n, failed
. "$HERE/../cluster_lib.sh"	# q, qf, sqlstate, fp_all, same, wait_for, ...

if [ "$(id -u)" != 0 ] || ! command -v pg_createcluster >/dev/null 2>&1; then
	echo "1..0 # SKIP needs root and postgresql-common (pg_createcluster)"
	exit 0
fi
SHAREDIR=$(/usr/lib/postgresql/$PGV/bin/pg_config --sharedir 2>/dev/null)
if [ ! -f "$SHAREDIR/extension/integrity.control" ]; then
	echo "1..0 # SKIP extension integrity is not installed (make install)"
	exit 0
fi
VERIFY_TOOL=$(/usr/lib/postgresql/$PGV/bin/pg_config --bindir)/integrity-verify
# the independent verifier: Debian's python3 with python3-cryptography
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
C2SP="$PY $HERE/c2sp_verify.py"
if ! $PY -c 'import cryptography.hazmat.primitives.asymmetric.ed25519' 2>/dev/null; then
	echo "1..0 # SKIP needs python3-cryptography"
	exit 0
fi

WORK=$(mktemp -d /tmp/integrity-wit.XXXXXX)
chmod 755 "$WORK"
LOG=$WORK/test.log
: >"$LOG"
T0=$SECONDS

cleanup() {
	drop_clusters
	[ -n "${KEEP_WORK:-}" ] || rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 2' INT TERM HUP

# qd PORT DATABASE SQL: the same in another database
qd() {
	psql -X -q -A -t -v ON_ERROR_STOP=1 -p "$1" -d "$2" -c "$3" 2>>"$LOG"
}
# qw PORT SQL: run SQL, print the tuples and the WARNING/ERROR lines (to one stream)
qw() {
	psql -X -q -A -t -p "$1" -c "$2" 2>&1 | tee -a "$LOG"
}
# rows PORT ORIGIN: every row of the origin in the published tables, one per line
rows() {
	local t tabs="$TABLES checkpoint"
	for t in $tabs; do
		printf "SELECT '%s ' || t::text FROM integrity.%s t WHERE t.origin = :'o'\nUNION ALL\n" "$t" "$t"
	done | sed '$d' | { cat; echo ';'; } | qf "$1" -v o="$2" | LC_ALL=C sort
}
# caught_up PORT SLOT: the subscriber of the slot has confirmed all WAL written so far
caught_up() {
	eq "$1" "SELECT confirmed_flush_lsn >= pg_current_wal_insert_lsn() FROM pg_replication_slots WHERE slot_name = '$2'" t
}
# note PORT SQL FILE: write the text value of SQL byte for byte to FILE
note() {
	q "$1" "SELECT encode(convert_to(($2), 'UTF8'), 'base64')" | base64 -d >"$3"
}
b64root() {	# b64root PORT ORIGIN: the base64 root hash of tree_head(ORIGIN)
	q "$1" "SELECT encode(root_hash, 'base64') FROM integrity.tree_head('$2')"
}

# --------------------------------------------- the independent verifier
st=$($C2SP selftest 2>&1)
ok $? "c2sp_verify.py selftest: $(printf '%s\n' "$st" | grep -c '^ok ') checks of its own keys, and the example of c2sp.org/signed-note"
printf '%s\n' "$st" | grep '^not ok' | sed 's/^/#   /'

# ------------------------------------------------------------------ clusters
drop_clusters		# what an interrupted earlier run left behind

make_cluster() {	# make_cluster NAME PORT
	local key=$WORK/$1.key wkey=$WORK/$1.witness.key
	openssl genpkey -algorithm ed25519 -out "$key" 2>>"$LOG" || return 1
	openssl genpkey -algorithm ed25519 -out "$wkey" 2>>"$LOG" || return 1
	chown postgres "$key" "$wkey" && chmod 600 "$key" "$wkey" || return 1
	pg_createcluster $PGV "$1" -p "$2" --locale=C.UTF-8 --start-conf=manual \
		-o wal_level=logical -o "integrity.signing_key_file=$key" -o "integrity.witness_key_file=$wkey" \
		-o max_worker_processes=24 -o max_logical_replication_workers=16 \
		-o max_sync_workers_per_subscription=2 -o max_wal_senders=20 -o max_replication_slots=30 \
		-o wal_retrieve_retry_interval=500ms -o fsync=off -o synchronous_commit=off \
		-o full_page_writes=off -o shared_buffers=32MB -o log_min_messages=warning \
		-- -A trust --no-sync >>"$LOG" 2>&1 || return 1
	pg_ctlcluster $PGV "$1" start >>"$LOG" 2>&1 || return 1
	psql -X -q -p "$2" -d postgres -c "CREATE DATABASE $DB" >>"$LOG" 2>&1
}
pids=""
for spec in "$C1 $P1" "$C2 $P2" "$CT $P3" "$PV $P4"; do
	make_cluster $spec &
	pids="$pids $!"
done
rc=0
for p in $pids; do wait "$p" || rc=1; done
ok $rc "four clusters with wal_level = logical, each with its own signing key and its own witness key ($(($SECONDS - T0)) s)"
if [ $rc -ne 0 ]; then
	log_tail $CLUSTERS
	echo "1..$n"
	exit 1
fi

# test-only helpers: valid codes from a prefix (D1.1, D1.3), publish (D2.2)
HELPERS="CREATE FUNCTION public.mk_uscc(p text) RETURNS text LANGUAGE sql AS \$\$
  SELECT p || a || b FROM unnest(string_to_array('0123456789X', NULL)) a,
         unnest(string_to_array('0123456789ABCDEFGHJKLMNPQRTUWXY', NULL)) b
   WHERE integrity.uscc_is_valid(p || a || b) ORDER BY 1 LIMIT 1 \$\$;
CREATE FUNCTION public.pub(r bigint) RETURNS bigint LANGUAGE plpgsql AS \$\$
BEGIN
  PERFORM integrity.notify(r, '书面告知'); PERFORM integrity.confirm(r, '认定');
  RETURN integrity.publish(r);
END \$\$;
-- records(tag, n): n published records of the platform's enterprise
CREATE FUNCTION public.records(tag text, k int) RETURNS bigint LANGUAGE plpgsql AS \$\$
BEGIN
  RETURN (SELECT max(public.pub(integrity.record_add(i.ent, 'admin_penalty', 'general', current_date - g,
                 tag || '〔' || g || '〕号', '市场监督管理局', tag || ' ' || g)))
            FROM public.ids i, generate_series(1, k) g);
END \$\$;"
rc=0
for spec in "$P1 $O1 平顺县" "$P2 $O2 壶关县" "$P3 $O3 长治市" "$P4 $O4 山西省"; do
	set -- $spec
	qf $1 -v o=$2 -v nm=$3 >/dev/null <<EOF || rc=1
CREATE EXTENSION integrity;
SELECT integrity.set_origin(:'o');
$HELPERS
CREATE TABLE public.ids AS SELECT
    integrity.subject_add('government', :'nm' || '人民政府', public.mk_uscc('11' || :'o' || '00000001')) AS gov,
    integrity.subject_add('enterprise', :'nm' || '建设工程有限公司', public.mk_uscc('91' || :'o' || '00000002')) AS ent;
SELECT public.records(:'o' || '罚', 5);
EOF
done
ok $rc "CREATE EXTENSION and set_origin on every level; five published records each"

# ------------------------------------------------------ the log, upward
CONN="host=127.0.0.1 dbname=$DB user=postgres"
rc=0
q $P1 "SELECT integrity.create_publication()" >/dev/null || rc=1
q $P2 "SELECT integrity.create_publication()" >/dev/null || rc=1
q $P3 "SELECT integrity.create_publication('integrity_all', true)" >/dev/null || rc=1
q $P3 "CREATE SUBSCRIPTION sub_$O1 CONNECTION '$CONN port=$P1' PUBLICATION integrity_pub" >/dev/null || rc=1
q $P3 "CREATE SUBSCRIPTION sub_$O2 CONNECTION '$CONN port=$P2' PUBLICATION integrity_pub" >/dev/null || rc=1
q $P4 "CREATE SUBSCRIPTION sub_$O3 CONNECTION '$CONN port=$P3' PUBLICATION integrity_all" >/dev/null || rc=1
ok $rc "the log upward: the counties' integrity_pub to the city, the city's integrity_all to the province"
t=$SECONDS
wait_for $TIMEOUT sub_synced $P3 && wait_for $TIMEOUT sub_synced $P4 &&
	wait_for $TIMEOUT same $P1 $P4 $O1 && wait_for $TIMEOUT same $P2 $P4 $O2 && wait_for $TIMEOUT same $P3 $P4 $O3
ok $? "initial copy: the province holds the rows of both counties and the city ($(($SECONDS - t)) s)"
api=$(q $P3 "SELECT count(*) FROM pg_proc WHERE pronamespace = 'integrity'::regnamespace AND proname IN
              ('publish_checkpoint', 'log_vkey', 'witness', 'witness_vkey', 'witness_check', 'create_witness_publication')")
is "$api" 6 "the witness API is installed (publish_checkpoint, log_vkey, witness, witness_vkey, witness_check, create_witness_publication)"
if [ $failed -ne 0 ]; then	# nothing below makes sense without these
	log_tail $CLUSTERS
	echo "1..$n"
	exit 1
fi

# ------------------------------------------------------ vkeys and errors
WN1=integrity/$O3/witness; WN2=integrity/$O4/witness       # the witness names of city and province
rc=0
for spec in "$P1 $C1 $O1" "$P2 $C2 $O2" "$P3 $CT $O3" "$P4 $PV $O4"; do
	set -- $spec
	[ "$(q $1 "SELECT integrity.witness_vkey()")" = "$($C2SP vkey --name integrity/$3/witness --type 4 --key $WORK/$2.witness.key)" ] || rc=1
	[ "$(q $1 "SELECT integrity.log_vkey()")" = "$($C2SP vkey --name integrity/$3 --type 1 --key $WORK/$2.key)" ] || rc=1
done
ok $rc "every level's witness_vkey() and log_vkey() are the vkeys c2sp_verify.py computes from its key files (integrity/<origin>/witness, type 0x04; integrity/<origin>, type 0x01)"
VC=$(q $P3 "SELECT integrity.witness_vkey()"); VP=$(q $P4 "SELECT integrity.witness_vkey()")
LV1=$(q $P3 "SELECT integrity.log_vkey('$O1')"); LV2=$(q $P3 "SELECT integrity.log_vkey('$O2')"); LV3=$(q $P4 "SELECT integrity.log_vkey('$O3')")
is "$LV1,$LV2" "$(q $P1 "SELECT integrity.log_vkey()"),$(q $P2 "SELECT integrity.log_vkey('$O2')")" \
	"log_vkey(origin) at the city is the county's own log_vkey() (from the replicated signing_key)"
out=$($C2SP vkey-parse "$VC" && $C2SP vkey-parse "$LV1")
ok $? "c2sp_verify.py parses the project's vkeys, and their key IDs are SHA-256(name || 0x0A || type || key)[:4]"
diag "$VC" "$LV1"

q $P3 "CREATE ROLE wit_reader LOGIN IN ROLE integrity_reader" >/dev/null
is "$(sqlstate $P3 "SELECT integrity.witness('$O3')"),$(sqlstate $P3 "SELECT integrity.witness('999999')"),$(sqlstate $P3 "SELECT integrity.witness('$O1')"),$(sqlstate $P3 "SELECT integrity.witness('$O1')" wit_reader),$(sqlstate $P3 "SELECT integrity.witness_check('x')" wit_reader)" \
	"22023,22023,55000,42501,42501" \
	"witness(): the local origin and an unknown one are refused (22023), an origin without a checkpoint yet (55000), a reader (42501, also for witness_check)"
q $P1 "CREATE ROLE wit_reader LOGIN IN ROLE integrity_reader" >/dev/null
is "$(sqlstate $P1 "SELECT integrity.publish_checkpoint()" wit_reader),$(q $P1 "SELECT count(*) FROM integrity.checkpoint")" "42501,0" \
	"publish_checkpoint() is refused to a reader (42501)"

# ------------------------------------------- the cosignatures, downward
# province: integrity_witness_<origin> of every origin below it; the city
# subscribes to the three and publishes its counties' own; each county
# subscribes to its own.
rc=0
for o in $O1 $O2 $O3; do q $P4 "SELECT integrity.create_witness_publication('$o')" >/dev/null || rc=1; done
q $P3 "CREATE SUBSCRIPTION wit_$O3 CONNECTION '$CONN port=$P4'
       PUBLICATION integrity_witness_$O1, integrity_witness_$O2, integrity_witness_$O3" >/dev/null || rc=1
for o in $O1 $O2; do q $P3 "SELECT integrity.create_witness_publication('$o')" >/dev/null || rc=1; done
q $P1 "CREATE SUBSCRIPTION wit_$O1 CONNECTION '$CONN port=$P3' PUBLICATION integrity_witness_$O1" >/dev/null || rc=1
q $P2 "CREATE SUBSCRIPTION wit_$O2 CONNECTION '$CONN port=$P3' PUBLICATION integrity_witness_$O2" >/dev/null || rc=1
ok $rc "create_witness_publication at the province (3) and the city (2); plain CREATE SUBSCRIPTION one level down (wit_<subscriber's origin>)"
is "$(q $P1 "SELECT count(*) FROM pg_publication_tables WHERE pubname = 'integrity_pub' AND tablename = 'checkpoint'"),$(q $P3 "SELECT string_agg(pubname, ',' ORDER BY pubname) FROM pg_publication_tables WHERE tablename = 'cosignature'")" \
	"1,integrity_witness_$O1,integrity_witness_$O2" \
	"checkpoint travels up in the log publications; cosignature is only in the witness publications (no loop through integrity_all)"
diag "$(q $P4 "SELECT string_agg(pubname || ': ' || schemaname || '.' || tablename || coalesce(' WHERE ' || rowfilter, ''), '; ' ORDER BY pubname, tablename) FROM pg_publication_tables WHERE pubname LIKE 'integrity_witness_%'")"
wait_for $TIMEOUT sub_synced $P1 && wait_for $TIMEOUT sub_synced $P2 && wait_for $TIMEOUT sub_synced $P3
ok $? "the witness subscriptions are ready"

# ------------------------------------------------------- the happy path
# publish_checkpoint at a county; the checkpoint travels up with the log;
# witness() at the city and at the province; the cosignatures travel down
cosigs() {	# cosigs PORT: the witness names on the cosignature lines of tree_head(), sorted
	q "$1" "SELECT checkpoint FROM integrity.tree_head()" | sed -n 's/^— \(integrity\/[0-9]*\/witness\) .*/\1/p' | LC_ALL=C sort | tr '\n' ' '
}
has_cosigs() { [ "$(cosigs "$1")" = "$2" ]; }		# has_cosigs PORT "NAME NAME " (sorted)
has_checkpoint() {	# has_checkpoint PORT ORIGIN SIZE
	eq "$1" "SELECT count(*) FROM integrity.checkpoint WHERE origin = '$2' AND tree_size = $3" 1
}
note1=$(q $P1 "SELECT integrity.publish_checkpoint()")
note1b=$(q $P1 "SELECT integrity.publish_checkpoint()")
is "$note1b:$(q $P1 "SELECT count(*) || ',' || max(tree_size) FROM integrity.checkpoint")" "$note1:1,5" \
	"publish_checkpoint() at county $O1 records the checkpoint of size 5 once (idempotent while the tree does not grow)"
note $P1 "SELECT integrity.publish_checkpoint()" $WORK/c1.note
is "$(q $P1 "SELECT checkpoint = note FROM integrity.tree_head(), integrity.checkpoint")" t \
	"before any cosignature, tree_head().checkpoint is the recorded note"
out=$($C2SP verify --key "$LV1" $WORK/c1.note 2>&1)
ok $? "c2sp_verify.py verifies the note publish_checkpoint() writes under log_vkey()"
diag "$out"
wait_for $TIMEOUT has_checkpoint $P3 $O1 5
ok $? "the checkpoint replicates to the city with the log"
line_c=$(qw $P3 "SELECT integrity.witness('$O1')")
t=$SECONDS
is "$(printf '%s' "$line_c" | sed 's/ [A-Za-z0-9+\/=]*$/ B64/')" "— $WN1 B64" "witness('$O1') at the city returns its cosignature line '— $WN1 <base64>'"
q $P3 "CREATE ROLE wit_oper LOGIN IN ROLE integrity_operator" >/dev/null
again=$(psql -X -q -A -t -p $P3 -U wit_oper -c "SELECT integrity.witness('$O1')" 2>>"$LOG")
is "$again:$(q $P3 "SELECT count(*) FROM integrity.cosignature WHERE origin = '$O1'")" "$line_c:1" \
	"witness() again at the same tree (by an integrity_operator login) returns the same line and stores nothing new"
pc=$($C2SP sig-parse "$line_c")
is "$pc" "name=$WN1 id=$(printf %s "$VC" | cut -d+ -f2) bytes=76 time=$(q $P3 "SELECT floor(extract(epoch FROM cosigned_at))::bigint FROM integrity.cosignature WHERE origin = '$O1'")" \
	"the line carries the witness key ID, an 8-byte time equal to cosigned_at (seconds) and a 64-byte signature"
wait_for $TIMEOUT has_cosigs $P1 "$WN1 "
is "$?:$(cosigs $P1)" "0:$WN1 " "within seconds ($(($SECONDS - t)) s) county $O1's tree_head() carries the city's cosignature"
wait_for $TIMEOUT has_checkpoint $P4 $O1 5
ok $? "the checkpoint reaches the province through the city's integrity_all"
line_p=$(qw $P4 "SELECT integrity.witness('$O1')")
t=$SECONDS
is "$(printf '%s' "$line_p" | sed 's/ [A-Za-z0-9+\/=]*$/ B64/')" "— $WN2 B64" "witness('$O1') at the province returns its line"
wait_for $TIMEOUT has_cosigs $P1 "$WN2 $WN1 "
rc=$?; el=$(($SECONDS - t))
is "$rc:$(cosigs $P1)" "0:$WN2 $WN1 " "county $O1's tree_head() carries both cosignatures $el s after the province's witness() (province -> city -> county)"
[ $el -le $FAST ]
ok $? "... within $FAST s"
is "$(q $P3 "SELECT count(*) FROM integrity.cosignature WHERE origin = '$O1'")" 2 "the city holds both cosignatures of $O1 (its own and the province's)"

# ----------------------------- integrity-verify and c2sp_verify.py, both ways
tamper_time() {	# tamper_time NAME < NOTE: the line of NAME with its timestamp + 1, same signature
	$PY -c '
import base64, struct, sys
name = sys.argv[1]
for line in sys.stdin.read().split("\n")[:-1]:
    p = line.split(" ")
    if len(p) == 3 and p[0] == "\u2014" and p[1] == name:
        raw = base64.b64decode(p[2])
        t = struct.unpack(">Q", raw[4:12])[0] + 1
        line = "%s %s %s" % (p[0], name, base64.b64encode(raw[:4] + struct.pack(">Q", t) + raw[12:]).decode())
    print(line)' "$1"
}
iv() {	# iv FILE ARGS...: integrity-verify --checkpoint FILE ARGS, "exit:first line of stderr"
	local f=$1 out rc; shift
	out=$("$VERIFY_TOOL" --checkpoint "$f" "$@" 2>&1 >/dev/null); rc=$?
	echo "$rc${out:+: $(printf '%s' "$out" | head -1)}"
}
cv() {	# cv FILE ARGS...: c2sp_verify.py verify, the exit status
	local f=$1; shift
	$C2SP verify "$@" "$f" >>"$LOG" 2>&1
}
note $P1 "SELECT checkpoint FROM integrity.tree_head()" $WORK/c1.cosigned
diag "county $O1 tree_head().checkpoint:" "$(cat $WORK/c1.cosigned)"
r=$(iv $WORK/c1.cosigned --key "$LV1" --witness "$VC" --witness "$VP" --quorum 2)
is "$r" 0 "integrity-verify accepts the county's tree_head() with quorum 2 (city and province)"
openssl genpkey -algorithm ed25519 -out $WORK/auditor.key 2>>"$LOG"
VA=$($C2SP vkey --name example.org/auditor --type 4 --key $WORK/auditor.key)
r=$(iv $WORK/c1.cosigned --key "$LV1" --witness "$VC" --witness "$VP" --witness "$VA" --quorum 3)
is "${r%%:*}" 1 "integrity-verify refuses it with quorum 3 (a third witness given, who did not cosign: $r)"
r=$(iv $WORK/c1.cosigned --key "$LV1" --witness "$VC" --witness "$VP" --quorum 3)
[ "${r%%:*}" != 0 ]
ok $? "... and with quorum 3 and only the two witnesses ($r)"
tamper_time "$WN1" <$WORK/c1.cosigned >$WORK/c1.time
r=$(iv $WORK/c1.time --key "$LV1" --witness "$VC" --witness "$VP" --quorum 2)
is "${r%%:*}" 1 "integrity-verify refuses the city's cosignature with its time line changed (quorum 2: $r)"
# another body, properly signed with the county's key (the test holds it),
# under the same cosignature lines
sed -n '1,3p' $WORK/c1.cosigned | sed '3s/^.*$/'"$(head -c 32 /dev/urandom | base64 | sed 's/[\/&]/\\&/g')"'/' >$WORK/other.body
$C2SP sign --name integrity/$O1 --key $WORK/$C1.key $WORK/other.body >$WORK/c1.body
grep '^— integrity/[0-9]*/witness ' $WORK/c1.cosigned >>$WORK/c1.body
r0=$(iv $WORK/c1.body --key "$LV1")
r=$(iv $WORK/c1.body --key "$LV1" --witness "$VC" --witness "$VP" --quorum 2)
is "$r0:${r%%:*}" "0:1" "a note of another body, signed by the log key, with the same cosignature lines: the note verifies, the cosignatures do not (quorum 2: $r)"
openssl genpkey -algorithm ed25519 -out $WORK/stranger.key 2>>"$LOG"
$C2SP cosign --name example.org/stranger --key $WORK/stranger.key --append $WORK/c1.cosigned >$WORK/c1.third
r=$(iv $WORK/c1.third --key "$LV1" --witness "$VC" --witness "$VP" --quorum 2)
is "$r:$(grep -c '^— ' $WORK/c1.third)" "0:4" "integrity-verify ignores a third line from an unknown witness (quorum 2 still met)"
$C2SP cosign --name "$WN1" --key $WORK/stranger.key --append $WORK/c1.cosigned >$WORK/c1.samename
r=$(iv $WORK/c1.samename --key "$LV1" --witness "$VC" --witness "$VP" --quorum 2)
is "$r" 0 "... and one under the city's witness name with another key (another key ID)"
rc=0
cv $WORK/c1.cosigned --key "$LV1" --witness "$VC" --witness "$VP" --quorum 2 || rc=1
cv $WORK/c1.third --key "$LV1" --witness "$VC" --witness "$VP" --quorum 2 || rc=1
cv $WORK/c1.cosigned --key "$LV1" --witness "$VC" --witness "$VP" --quorum 3; [ $? = 1 ] || rc=1
cv $WORK/c1.time --key "$LV1" --witness "$VC" --witness "$VP" --quorum 2; [ $? = 1 ] || rc=1
cv $WORK/c1.body --key "$LV1" --witness "$VC" --witness "$VP" --quorum 2; [ $? = 1 ] || rc=1
cv $WORK/c1.body --key "$LV1" || rc=1
ok $rc "c2sp_verify.py agrees: accepts the project's note and cosignatures with quorum 2 (also with the third line), refuses (exit 1) quorum 3, the changed time and the changed body, whose log signature alone verifies"
$C2SP cosign --name example.org/auditor --key $WORK/auditor.key --log-key "$LV1" --append $WORK/c1.cosigned >$WORK/c1.audited
r=$(iv $WORK/c1.audited --key "$LV1" --witness "$VC" --witness "$VP" --witness "$VA" --quorum 3)
r1=$(iv $WORK/c1.audited --key "$LV1" --witness "$VA" --quorum 1)
is "$r,$r1" "0,0" "integrity-verify accepts a cosignature written by c2sp_verify.py (quorum 3 with city and province; quorum 1 alone)"
$C2SP cosign --name example.org/auditor --key $WORK/auditor.key --time $(($(date +%s) + 3600)) --append $WORK/c1.cosigned >$WORK/c1.future
diag "integrity-verify on a cosignature dated an hour ahead: $(iv $WORK/c1.future --key "$LV1" --witness "$VA" --quorum 1)"
tamper_time example.org/auditor <$WORK/c1.audited >$WORK/c1.atime
r=$(iv $WORK/c1.atime --key "$LV1" --witness "$VA" --quorum 1)
is "${r%%:*}" 1 "... and refuses it with its time changed ($r)"

# the city's own log (cosigned by the province) and county 140423
rc=0
q $P3 "SELECT integrity.publish_checkpoint()" >/dev/null || rc=1
q $P2 "SELECT integrity.publish_checkpoint()" >/dev/null || rc=1
wait_for $TIMEOUT has_checkpoint $P4 $O3 5 && wait_for $TIMEOUT has_checkpoint $P3 $O2 5 || rc=1
q $P4 "SELECT integrity.witness('$O3')" >/dev/null || rc=1
q $P3 "SELECT integrity.witness('$O2')" >/dev/null || rc=1
wait_for $TIMEOUT has_checkpoint $P4 $O2 5 || rc=1
q $P4 "SELECT integrity.witness('$O2')" >/dev/null || rc=1
wait_for $TIMEOUT has_cosigs $P3 "$WN2 " && wait_for $TIMEOUT has_cosigs $P2 "$WN2 $WN1 " || rc=1
ok $rc "the city's own checkpoint is cosigned by the province, county $O2's by both, and the lines arrive at their logs"
note $P3 "SELECT checkpoint FROM integrity.tree_head()" $WORK/c3.cosigned
note $P2 "SELECT checkpoint FROM integrity.tree_head()" $WORK/c2.cosigned
rc=0
cv $WORK/c3.cosigned --key "$LV3" --witness "$VP" --quorum 1 || rc=1
cv $WORK/c2.cosigned --key "$LV2" --witness "$VC" --witness "$VP" --quorum 2 || rc=1
is "$rc:$(iv $WORK/c3.cosigned --key "$LV3" --witness "$VP" --quorum 1):$(iv $WORK/c2.cosigned --key "$LV2" --witness "$VC" --witness "$VP" --quorum 2)" "0:0:0" \
	"c2sp_verify.py and integrity-verify accept the city's note (quorum 1) and county $O2's (quorum 2)"
is "$(q $P3 "SELECT concat_ws(',', origin, cosigned_size, checkpoint_size, held_size, open_alarms) FROM integrity.witness_status WHERE origin = '$O1'")" \
	"$O1,5,5,5,0" "witness_status at the city: $O1 cosigned, checkpoint and held at size 5, no alarm"
is "$(q $P3 "SELECT integrity.witness_check(convert_from(decode('$(base64 -w0 $WORK/c1.cosigned)', 'base64'), 'UTF8'))"),$(q $P4 "SELECT integrity.witness_check(convert_from(decode('$(base64 -w0 $WORK/c1.note)', 'base64'), 'UTF8'))")" \
	"consistent,consistent" "witness_check of the county's note (with or without cosignature lines) is consistent at the city and the province"
is "$(sqlstate $P3 "SELECT integrity.witness_check(convert_from(decode('$(sed 's/^5$/6/' $WORK/c1.note | base64 -w0)', 'base64'), 'UTF8'))")" 22023 \
	"witness_check of a note whose signature does not verify (tree size changed): 22023"
$C2SP sign --name integrity/$O1 --key $WORK/$C2.key $WORK/c1.note >$WORK/c1.wrongkey
is "$(sqlstate $P3 "SELECT integrity.witness_check(convert_from(decode('$(base64 -w0 $WORK/c1.wrongkey)', 'base64'), 'UTF8'))"),$(q $P3 "SELECT count(*) FROM integrity.witness_alarm")" "22023,0" \
	"... and of the same body signed under the name integrity/$O1 with county $O2's key: 22023, no alarm"

# ------------------------------------------------------------- the fork
# County 140421 runs a second database for the public: CREATE DATABASE ...
# TEMPLATE of its platform database, in the same cluster.  The template must
# have no other sessions: the city's walsender and the county's witness
# subscription are stopped for that moment.  Then the honest database goes
# on to size 8 (checkpoints at 7 and 8), the fork to size 7 with other
# records; the fork's tree_head() checkpoint is given to the city.
FORK=${DB}_fork
no_sessions() {	# no_sessions PORT: nobody else in $DB
	eq "$1" "SELECT count(*) FROM pg_stat_activity WHERE datname = '$DB' AND pid <> pg_backend_pid()" 0
}
rc=0
q $P3 "ALTER SUBSCRIPTION sub_$O1 DISABLE" >/dev/null || rc=1
q $P1 "ALTER SUBSCRIPTION wit_$O1 DISABLE" >/dev/null || rc=1
wait_for $TIMEOUT no_sessions $P1 || rc=1
qd $P1 postgres "CREATE DATABASE $FORK TEMPLATE $DB" >/dev/null || rc=1
ok $rc "county $O1 forks its platform database (CREATE DATABASE $FORK TEMPLATE $DB, its city's subscription disabled for that moment)"
rc=0
q $P1 "SELECT public.records('$O1' || '续', 2)" >/dev/null || rc=1
note $P1 "SELECT integrity.publish_checkpoint()" $WORK/c1.7 || rc=1
q $P1 "SELECT public.records('$O1' || '再', 1)" >/dev/null || rc=1
note $P1 "SELECT integrity.publish_checkpoint()" $WORK/c1.8 || rc=1
qd $P1 $FORK "SELECT public.records('$O1' || '伪', 2)" >/dev/null || rc=1
qd $P1 $FORK "SELECT integrity.publish_checkpoint()" >/dev/null || rc=1
q $P1 "SELECT encode(convert_to(checkpoint, 'UTF8'), 'base64') FROM integrity.tree_head()" | base64 -d >$WORK/c1.head
psql -X -q -A -t -p $P1 -d $FORK -c "SELECT encode(convert_to(checkpoint, 'UTF8'), 'base64') FROM integrity.tree_head()" 2>>"$LOG" | base64 -d >$WORK/fork.note
is "$rc:$(q $P1 "SELECT tree_size FROM integrity.tree_head()"):$(qd $P1 $FORK "SELECT tree_size FROM integrity.tree_head()")" "0:8:7" \
	"the honest database grows to size 8 (checkpoints at 7 and 8), the fork to size 7 with other records"
is "$(cosigs $P1)|$(grep -c '^— ' $WORK/c1.head)" "|1" "past the cosigned size (5), the county's tree_head() carries no cosignature line, only its own signature"
root_fork=$(qd $P1 $FORK "SELECT encode(root_hash, 'base64') FROM integrity.tree_head()")
is "$(q $P3 "SELECT integrity.witness_check(convert_from(decode('$(base64 -w0 $WORK/c1.8)', 'base64'), 'UTF8'))")" ahead \
	"while the city holds size 5, witness_check of the county's checkpoint at 8 is 'ahead'"
rc=0
q $P3 "ALTER SUBSCRIPTION sub_$O1 ENABLE" >/dev/null || rc=1
q $P1 "ALTER SUBSCRIPTION wit_$O1 ENABLE" >/dev/null || rc=1
t=$SECONDS
wait_for $TIMEOUT same $P1 $P3 $O1 || rc=1
wait_for $TIMEOUT has_checkpoint $P3 $O1 8 || rc=1
ok $rc "subscriptions enabled again: the city catches up with the honest database ($(($SECONDS - t)) s)"
root7=$(q $P3 "SELECT encode(root_hash, 'base64') FROM integrity.checkpoint WHERE origin = '$O1' AND tree_size = 7")
alarms0=$(q $P3 "SELECT count(*) FROM integrity.witness_alarm WHERE origin = '$O1'")
is "$(q $P3 "SELECT integrity.witness_check(convert_from(decode('$(base64 -w0 $WORK/c1.8)', 'base64'), 'UTF8'))")" consistent \
	"witness_check of the honest checkpoint at 8: consistent"
out=$(qw $P3 "SELECT integrity.witness_check(convert_from(decode('$(base64 -w0 $WORK/fork.note)', 'base64'), 'UTF8'))")
is "$(printf '%s\n' "$out" | tail -1)" inconsistent "witness_check of the fork's tree_head() checkpoint (size 7, other root) at the city: inconsistent"
diag "$out"
is "$(q $P3 "SELECT count(*) FROM integrity.witness_alarm WHERE origin = '$O1'")" $((alarms0 + 1)) "it stores one alarm"
is "$(q $P3 "SELECT concat_ws(',', held IS NOT NULL AND received IS NOT NULL AND held <> received,
                                 strpos(received, '$root_fork') > 0, strpos(held, '$root7') > 0, resolved_at IS NULL)
               FROM integrity.witness_alarm WHERE origin = '$O1' ORDER BY id DESC LIMIT 1")" "t,t,t,t" \
	"the alarm holds both sides: what the city holds (root $root7 at size 7) and what it received (the fork's root $root_fork)"
diag "$(q $P3 "SELECT concat_ws(' | ', kind, detail) FROM integrity.witness_alarm WHERE origin = '$O1' ORDER BY id DESC LIMIT 1")"
out=$(qw $P3 "SELECT integrity.witness('$O1')")
is "$(printf '%s\n' "$out" | grep -c '^— '):$(printf '%s\n' "$out" | grep -c "^WARNING:.*alarm")" "0:1" \
	"with the alarm open the city cosigns nothing more for $O1, not even the honest tree at 8 (a WARNING names the alarm)"
diag "$out"
is "$(q $P3 "SELECT string_agg(tree_size::text, ',' ORDER BY tree_size) FROM integrity.cosignature WHERE origin = '$O1' AND witness_name = '$WN1'")" 5 \
	"the city's cosignatures of $O1: still only the one at size 5"
wait_for $TIMEOUT has_checkpoint $P4 $O1 8
line_p8=$(qw $P4 "SELECT integrity.witness('$O1')")
is "$(printf '%s' "$line_p8" | sed 's/ [A-Za-z0-9+\/=]*$/ B64/'):$(q $P4 "SELECT encode(root_hash, 'base64') FROM integrity.cosignature WHERE origin = '$O1' AND tree_size = 8")" \
	"— $WN2 B64:$(b64root $P1 $O1)" "the province, which was not shown the fork, cosigns the honest tree at 8"
wait_for $TIMEOUT has_cosigs $P1 "$WN2 "
ok $? "the honest county's tree_head() at 8 carries the province's cosignature only"
rc=0
for p in $P1 $P3 $P4; do
	[ "$(q $p "SELECT count(*) FROM integrity.cosignature WHERE encode(root_hash, 'base64') = '$root_fork'")" = 0 ] || rc=1
done
[ "$(qd $P1 $FORK "SELECT count(*) FROM integrity.cosignature WHERE encode(root_hash, 'base64') = '$root_fork'")" = 0 ] || rc=1
ok $rc "nobody cosigned the fork's tree (no cosignature of its root at the county, the fork, the city or the province)"
r=$(iv $WORK/fork.note --key "$LV1")
r2=$(iv $WORK/fork.note --key "$LV1" --witness "$VC" --witness "$VP" --quorum 1)
is "$r:${r2%%:*}" "0:1" "the fork's note is signed with the county's own key, but the public finds no cosignature on it ($r2)"

# ---------------------------------------------------------- the rewrite
# County 140421 rewrites its log: DROP EXTENSION CASCADE, CREATE EXTENSION,
# the same origin and the same key, other records.  Its publication loses
# its tables with the extension; the county drops it and creates it again
# (in one transaction, so that nothing is written while it is missing).
qd $P1 postgres "DROP DATABASE $FORK" >/dev/null
wait_for $TIMEOUT same $P1 $P4 $O1
rows $P3 $O1 >$WORK/before.city
rows $P4 $O1 >$WORK/before.province
aid0=$(q $P3 "SELECT coalesce(max(id), 0) FROM integrity.witness_alarm")
err0=$(errors $P3 sub_$O1)
from_ct=$(log_lines $CT)
rc=0
q $P1 "DROP EXTENSION integrity CASCADE" >/dev/null || rc=1
is "$(q $P1 "SELECT count(*) FROM pg_publication WHERE pubname = 'integrity_pub'"),$(q $P1 "SELECT count(*) FROM pg_publication_tables WHERE pubname = 'integrity_pub'")" "1,0" \
	"DROP EXTENSION integrity CASCADE leaves the publication integrity_pub behind, without tables"
qf $P1 -v o=$O1 -v nm=平顺县 >/dev/null <<EOF || rc=1
DROP TABLE public.ids;
CREATE EXTENSION integrity;
SELECT integrity.set_origin(:'o');
BEGIN;
DROP PUBLICATION integrity_pub;
SELECT integrity.create_publication();
COMMIT;
CREATE TABLE public.ids AS SELECT
    integrity.subject_add('government', :'nm' || '人民政府', public.mk_uscc('11' || :'o' || '00000001')) AS gov,
    integrity.subject_add('enterprise', :'nm' || '另一家有限公司', public.mk_uscc('91' || :'o' || '00000009')) AS ent;
SELECT public.records(:'o' || '改', 3);
EOF
ok $rc "county $O1 rewrites its log: DROP EXTENSION integrity CASCADE, CREATE EXTENSION, set_origin('$O1'), the same key, its publication dropped and created again, three other records"
note $P1 "SELECT integrity.publish_checkpoint()" $WORK/c1.rewritten
root_rw=$(b64root $P1 $O1)
is "$(q $P1 "SELECT tree_size FROM integrity.tree_head()"),$(q $P1 "SELECT count(*) FROM integrity.signing_key"),$([ "$(q $P1 "SELECT public_key FROM integrity.signing_key")" = "$(q $P3 "SELECT public_key FROM integrity.signing_key WHERE origin = '$O1'")" ] && echo same)" \
	"3,1,same" "the rewritten log has 3 entries, signed with the same key"
t=$SECONDS
wait_for $TIMEOUT caught_up $P1 sub_$O1
ok $? "the city's subscription takes in everything the rewritten county sends ($(($SECONDS - t)) s)"
diag "city, sub_$O1: $(q $P3 "SELECT concat_ws(', ', 'worker ' || CASE WHEN pid IS NULL THEN 'not running' ELSE 'running' END, 'received_lsn ' || received_lsn) FROM pg_stat_subscription WHERE subname = 'sub_$O1' AND relid IS NULL"), apply errors $(errors $P3 sub_$O1) (before: $err0)"
diag "city log: $(new_errors $CT $from_ct | head -5)"
rows $P3 $O1 >$WORK/after.city
lost=$(LC_ALL=C comm -23 $WORK/before.city $WORK/after.city)
is "$(wc -l <$WORK/before.city):$(printf '%s' "$lost" | grep -c .)" "$(wc -l <$WORK/before.city):0" \
	"every row the city held of $O1 before the rewrite is still there, unchanged"
[ -n "$lost" ] && printf '%s\n' "$lost" | head -5 | sed 's/^/#   lost: /'
diag "rows of $O1 at the city that are new since the rewrite: $(LC_ALL=C comm -13 $WORK/before.city $WORK/after.city | wc -l)"
is "$(q $P3 "SELECT concat_ws(',', ok, checked) FROM integrity.verify_chain('$O1')"),$(q $P3 "SELECT size FROM integrity.chain_head WHERE origin = '$O1'"),$(errors $P3 sub_$O1),$(q $P3 "SELECT count(*) FROM pg_stat_subscription WHERE subname = 'sub_$O1' AND relid IS NULL AND pid IS NOT NULL")" \
	"t,8,8,$err0,1" "the city's copy of $O1 still verifies at size 8; no apply error, the worker still runs"
alarms=$(q $P3 "SELECT count(*) FROM integrity.witness_alarm WHERE origin = '$O1' AND id > $aid0")
[ "$alarms" -gt 0 ]
ok $? "the rows that contradict what the city holds are diverted into witness_alarm ($alarms alarms), not applied"
diag "alarms: $(q $P3 "SELECT string_agg(kind || ' ' || n, ', ' ORDER BY kind) FROM (SELECT kind, count(*) n FROM integrity.witness_alarm WHERE origin = '$O1' AND id > $aid0 GROUP BY kind) a")"
is "$(q $P3 "SELECT bool_and(held IS NOT NULL AND received IS NOT NULL AND held <> received) FROM integrity.witness_alarm WHERE origin = '$O1'")" t \
	"every alarm holds both sides (held, received)"
out=$(qw $P3 "SELECT integrity.witness_check(convert_from(decode('$(base64 -w0 $WORK/c1.rewritten)', 'base64'), 'UTF8'))")
is "$(printf '%s\n' "$out" | tail -1)" inconsistent "witness_check of the rewritten county's checkpoint (size 3, same key) at the city: inconsistent"
n_cos=$(q $P3 "SELECT count(*) FROM integrity.cosignature WHERE origin = '$O1'")
out=$(qw $P3 "SELECT integrity.witness('$O1')")
diag "city: witness('$O1') after the rewrite: $(printf '%s' "$out" | tr '\n' ' ')"
rc=0
for p in $P1 $P3 $P4; do
	[ "$(q $p "SELECT count(*) FROM integrity.cosignature WHERE encode(root_hash, 'base64') = '$root_rw'")" = 0 ] || rc=1
done
is "$rc:$(q $P3 "SELECT count(*) FROM integrity.cosignature WHERE origin = '$O1'"):$(printf '%s\n' "$out" | grep -c '^— ')" "0:$n_cos:0" \
	"the city cosigns nothing for the rewritten log; nobody holds a cosignature of its root"
is "$(q $P3 "SELECT concat_ws(',', cosigned_size, held_size, open_alarms) FROM integrity.witness_status WHERE origin = '$O1'")" "5,8,3" \
	"witness_status at the city: $O1 cosigned at 5, held at 8, three open alarms (the fork, the replicated rows, the rewritten checkpoint)"
wait_for $TIMEOUT caught_up $P3 sub_$O3
rows $P4 $O1 >$WORK/after.province
is "$(LC_ALL=C comm -23 $WORK/before.province $WORK/after.province | grep -c .)" 0 "every row the province held of $O1 is still there"

# ------------------------------------------ the other county is unaffected
rc=0
q $P2 "SELECT public.records('$O2' || '续', 2)" >/dev/null || rc=1
q $P2 "SELECT integrity.publish_checkpoint()" >/dev/null || rc=1
t=$SECONDS
wait_for $TIMEOUT same $P2 $P3 $O2 && wait_for $TIMEOUT same $P2 $P4 $O2 || rc=1
is "$rc:$(errors $P3 sub_$O2):$(errors $P4 sub_$O3)" "0:0:0" "county $O2 keeps replicating: its new records reach the city and the province ($(($SECONDS - t)) s), without an apply error"
rc=0
wait_for $TIMEOUT has_checkpoint $P3 $O2 7 || rc=1
q $P3 "SELECT integrity.witness('$O2')" >/dev/null || rc=1
wait_for $TIMEOUT has_checkpoint $P4 $O2 7 || rc=1
q $P4 "SELECT integrity.witness('$O2')" >/dev/null || rc=1
wait_for $TIMEOUT has_cosigs $P2 "$WN2 $WN1 " || rc=1
note $P2 "SELECT checkpoint FROM integrity.tree_head()" $WORK/c2.7
is "$rc:$(iv $WORK/c2.7 --key "$LV2" --witness "$VC" --witness "$VP" --quorum 2)" "0:0" \
	"... and is cosigned at size 7 by both levels, as before"
is "$(q $P3 "SELECT concat_ws(',', cosigned_size, checkpoint_size, held_size, open_alarms) FROM integrity.witness_status WHERE origin = '$O2'")" \
	"7,7,7,0" "witness_status at the city: $O2 at 7, no alarm"

# -------------------------------------- a county drops its publication
# County 140423 drops integrity_pub and goes on working.  What the city's
# subscription does is measured here and written down in docs/REPLICATION.md.
err0=$(errors $P3 sub_$O2)
from_ct=$(log_lines $CT); from_c2=$(log_lines $C2)
pid0=$(q $P3 "SELECT pid FROM pg_stat_subscription WHERE subname = 'sub_$O2' AND relid IS NULL")
size0=$(q $P3 "SELECT size FROM integrity.chain_head WHERE origin = '$O2'")
q $P2 "CREATE TABLE public.scratch (x int)" >/dev/null
rc=0
q $P2 "DROP PUBLICATION integrity_pub" >/dev/null || rc=1
sleep 1.5
e=$(errors $P3 sub_$O2)
w=$(q $P3 "SELECT count(*) FROM pg_stat_subscription WHERE subname = 'sub_$O2' AND pid IS NOT NULL")
q $P2 "INSERT INTO public.scratch VALUES (1)" >/dev/null || rc=1
wait_for 5 more_errors $P3 sub_$O2 "$e"
e_scratch=$?
is "$e:$w" "$err0:1" \
	"nothing happens at the city while the county writes nothing (no apply error, the worker runs)"
diag "an INSERT into a table outside the publication then $([ $e_scratch = 0 ] && echo "already makes the city's worker fail" || echo "does not make the city's worker fail")"
t=$SECONDS
q $P2 "SELECT public.records('$O2' || '停', 1)" >/dev/null || rc=1
q $P2 "SELECT integrity.publish_checkpoint()" >/dev/null || rc=1
ok $rc "county $O2 drops its publication (DROP PUBLICATION integrity_pub) and publishes one more record"
wait_for $TIMEOUT more_errors $P3 sub_$O2 "$err0"
is "$?:$(new_errors $CT $from_ct | grep -c 'publication "integrity_pub" does not exist')" "0:1" \
	"the city's apply worker for sub_$O2 fails ($(($SECONDS - t)) s): 'could not receive data from WAL stream: ERROR: publication \"integrity_pub\" does not exist', counted in pg_stat_subscription_stats"
diag "city log:" "$(new_log $CT $from_ct | grep -A2 'integrity_pub' | sed 's/^[-0-9: .]*UTC //' | head -4)"
diag "county log:" "$(new_log $C2 $from_c2 | grep -A3 'integrity_pub' | sed 's/^[-0-9: .]*UTC //' | head -5)"
# watch the worker for 3 seconds
samples=""
for i in 1 2 3 4 5 6; do
	samples="$samples $(q $P3 "SELECT coalesce(pid::text, '-') FROM pg_stat_subscription WHERE subname = 'sub_$O2' AND relid IS NULL")"
	sleep 0.5
done
e1=$(errors $P3 sub_$O2)
diag "pg_stat_subscription pid of sub_$O2 every 0.5 s: $samples (before: $pid0); apply_error_count $err0 -> $e1"
is "$(q $P3 "SELECT size FROM integrity.chain_head WHERE origin = '$O2'"),$(q $P3 "SELECT count(*) FROM pg_subscription WHERE subname = 'sub_$O2' AND subenabled")" "$size0,1" \
	"the subscription stays enabled, retries, and the city's copy of $O2 stays at size $size0"
ws=$(q $P3 "SELECT concat_ws(',', cosigned_size, checkpoint_size, held_size, open_alarms, checkpoint_age > interval '2 seconds') FROM integrity.witness_status WHERE origin = '$O2'")
is "$ws" "7,7,7,0,t" "witness_status at the city: $O2 still at 7 (cosigned, checkpoint, held), no alarm, only checkpoint_age grows"
diag "witness_status: $(q $P3 "SELECT row_to_json(s) FROM integrity.witness_status s WHERE origin = '$O2'")"
# the publication is created again
q $P2 "SELECT integrity.create_publication()" >/dev/null
t=$SECONDS
e2=$(errors $P3 sub_$O2)
slot2=$(q $P2 "SELECT confirmed_flush_lsn FROM pg_replication_slots WHERE slot_name = 'sub_$O2'")
sleep 5
e3=$(errors $P3 sub_$O2)
diag "county: slot sub_$O2 confirmed_flush_lsn $slot2 -> $(q $P2 "SELECT confirmed_flush_lsn || ' (' || wal_status || ')' FROM pg_replication_slots WHERE slot_name = 'sub_$O2'") in 5 s"
is "$(q $P3 "SELECT size FROM integrity.chain_head WHERE origin = '$O2'"):$([ "$e3" -gt "$e2" ] && echo still-failing)" "$size0:still-failing" \
	"create_publication() again does not help: the slot still has to decode the changes made while the publication was missing (errors $e2 -> $e3 in 5 s)"

# the way out that PostgreSQL 15 leaves: move the slot past the gap (the
# subscription disabled meanwhile); what was written in the gap is skipped
rc=0
q $P3 "ALTER SUBSCRIPTION sub_$O2 DISABLE" >/dev/null || rc=1
wait_for $TIMEOUT eq $P2 "SELECT active FROM pg_replication_slots WHERE slot_name = 'sub_$O2'" f || rc=1
q $P2 "SELECT pg_replication_slot_advance('sub_$O2', pg_current_wal_lsn())" >/dev/null || rc=1
q $P3 "ALTER SUBSCRIPTION sub_$O2 ENABLE" >/dev/null || rc=1
e4=$(errors $P3 sub_$O2)
q $P2 "SELECT public.records('$O2' || '后', 1)" >/dev/null || rc=1
q $P2 "SELECT integrity.publish_checkpoint()" >/dev/null || rc=1
t=$SECONDS
wait_for $TIMEOUT caught_up $P2 sub_$O2 || rc=1
ok $rc "with the subscription disabled, pg_replication_slot_advance() at the county moves its slot past the gap; enabled again, the worker runs ($(($SECONDS - t)) s)"
gap=$(q $P2 "SELECT max(seq) FROM integrity.disclosure") ; gap=$((gap - 1))
is "$(errors $P3 sub_$O2):$(q $P3 "SELECT count(*) || ',' || max(seq) FROM integrity.disclosure WHERE origin = '$O2'"):$(q $P3 "SELECT concat_ws(',', ok, first_bad) FROM integrity.verify_chain('$O2')")" \
	"$e4:$gap,$((gap + 1)):f,$gap" \
	"the record written after the advance arrives, the one written in the gap (seq $gap) never does: the city's copy has a hole and verify_chain('$O2') stops there"
out=$(qw $P3 "SELECT integrity.witness('$O2')")
is "$(printf '%s\n' "$out" | grep -c '^— '):$(printf '%s\n' "$out" | grep -c '^WARNING:  witness alarm'):$(q $P3 "SELECT string_agg(kind, ',') FROM integrity.witness_alarm WHERE origin = '$O2' AND resolved_at IS NULL")" \
	"0:1:log_contradicts_checkpoint" "the city's witness() does not cosign the county's new checkpoint over the hole: an alarm"
diag "$out"
diag "witness_status: $(q $P3 "SELECT row_to_json(s) FROM integrity.witness_status s WHERE origin = '$O2'")"

# filling the hole: the resynchronization of docs/REPLICATION.md section 7
rc=0
q $P3 "DROP SUBSCRIPTION sub_$O2" >/dev/null || rc=1
qf $P3 -v o=$O2 >/dev/null <<'EOF' || rc=1
BEGIN;
ALTER TABLE integrity.record DISABLE TRIGGER record_guard, DISABLE TRIGGER record_no_delete;
ALTER TABLE integrity.record_event DISABLE TRIGGER record_event_append_only;
ALTER TABLE integrity.disclosure DISABLE TRIGGER disclosure_append_only;
ALTER TABLE integrity.merkle_node DISABLE TRIGGER merkle_node_append_only;
DELETE FROM integrity.record_event WHERE origin = :'o';
DELETE FROM integrity.disclosure   WHERE origin = :'o';
DELETE FROM integrity.merkle_node  WHERE origin = :'o';
DELETE FROM integrity.chain_head   WHERE origin = :'o';
DELETE FROM integrity.record       WHERE origin = :'o';
DELETE FROM integrity.subject      WHERE origin = :'o';
DELETE FROM integrity.signing_key  WHERE origin = :'o';
ALTER TABLE integrity.record ENABLE TRIGGER record_guard, ENABLE ALWAYS TRIGGER record_no_delete;
ALTER TABLE integrity.record_event ENABLE ALWAYS TRIGGER record_event_append_only;
ALTER TABLE integrity.disclosure ENABLE ALWAYS TRIGGER disclosure_append_only;
ALTER TABLE integrity.merkle_node ENABLE ALWAYS TRIGGER merkle_node_append_only;
COMMIT;
EOF
q $P3 "CREATE SUBSCRIPTION sub_$O2 CONNECTION '$CONN port=$P2' PUBLICATION integrity_pub" >/dev/null || rc=1
t=$SECONDS
wait_for $TIMEOUT sub_synced $P3 && wait_for $TIMEOUT same $P2 $P3 $O2 || rc=1
is "$rc:$(q $P3 "SELECT concat_ws(',', ok, checked) FROM integrity.verify_chain('$O2')"):$(q $P3 "SELECT string_agg(tree_size::text, ',' ORDER BY tree_size) FROM integrity.checkpoint WHERE origin = '$O2'"):$(errors $P3 sub_$O2)" \
	"0:t,$((gap + 1)):5,7,$gap,$((gap + 1)):0" \
	"the resynchronization of section 7 (copy_data = true into the emptied tables; the checkpoints held are copied again unchanged) fills the hole ($(($SECONDS - t)) s)"
aid=$(q $P3 "SELECT id FROM integrity.witness_alarm WHERE origin = '$O2' AND resolved_at IS NULL")
q $P3 "SELECT integrity.witness_resolve($aid, 'resynchronized after a dropped publication')" >/dev/null
out=$(qw $P3 "SELECT integrity.witness('$O2')")
is "$(printf '%s' "$out" | sed 's/ [A-Za-z0-9+\/=]*$/ B64/'):$(q $P3 "SELECT concat_ws(',', cosigned_size, checkpoint_size, held_size, open_alarms) FROM integrity.witness_status WHERE origin = '$O2'")" \
	"— $WN1 B64:$((gap + 1)),$((gap + 1)),$((gap + 1)),0" "with the alarm resolved, the city cosigns $O2 at size $((gap + 1)) again"

# ------------------------------------------------------------- tear down
drop_clusters
rc=0
for c in $CLUSTERS; do [ -d "/etc/postgresql/$PGV/$c" ] && rc=1; done
ok $rc "clusters dropped ($(($SECONDS - T0)) s in all)"

[ $failed -ne 0 ] && log_tail $CLUSTERS 2>/dev/null
echo "1..$n"
[ $failed -eq 0 ]
