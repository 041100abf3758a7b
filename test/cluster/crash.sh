#!/bin/bash
# test/cluster/crash.sh: the disclosure log survives a crash in the middle of
# concurrent publishing (SPEC 6: "after any crash, the chain is still
# whole").  Prints TAP; exits non-zero on failure.
#
# Runs as root outside pg_virtualenv (like the other test/cluster/*.sh):
# creates cluster 15/crash1 on port 5542 (CRASH_PORT) with its own Ed25519
# key, prepares confirmed records, publishes them with pgbench from several
# clients (plus one client that notes every publish acknowledged by COMMIT),
# stops the server with "pg_ctlcluster 15 crash1 stop -m immediate" in the
# middle of the load, starts it again and checks:
#   - verify_chain() is ok over the whole log, chain_head.size is the last
#     seq, the chain is gap-free and linear;
#   - the number of disclosures equals the number of published records,
#     every published record has its disclosure and every disclosure its
#     record in state published;
#   - every publish acknowledged before the crash is in the log (durable);
#   - the Merkle tree head equals the root recomputed from the entries;
#   - publishing continues after the restart.
# Then the key file rules (SPEC 6) on the restarted server: a key file with
# loose permissions or a foreign owner is refused, a root-owned 0640 one is
# accepted.  The cluster is dropped at the end.  About 30 s.
set -u
VERSION=15
CLUSTER=crash1
PORT=${CRASH_PORT:-5542}
CLIENTS=${CRASH_CLIENTS:-4}
RECORDS=${CRASH_RECORDS:-2500}
CRASH_AFTER=${CRASH_AFTER:-3}
WORKDIR=$(mktemp -d /tmp/integrity-crash.XXXXXX)
chmod 755 "$WORKDIR"
LOG=$WORKDIR/psql.log
KEY=$WORKDIR/signing.key
export PGHOST=/var/run/postgresql PGPORT=$PORT PGUSER=postgres
unset PGSERVICE PGOPTIONS PGDATABASE PGHOSTADDR
DB=integrity_crash

. "$(dirname "$0")/../tap.sh"		# ok, is, n, failed
q() {		# q SQL: the value(s), errors to $LOG
	psql -X -q -A -t -v ON_ERROR_STOP=1 -d "$DB" -c "$1" 2>>"$LOG"
}
wait_ready() {
	local _
	for _ in $(seq 1 60); do
		pg_isready -q -d postgres && return 0
		sleep 0.5
	done
	return 1
}
cleanup() {
	[ -n "${pgbench_pid:-}" ] && kill "$pgbench_pid" 2>/dev/null
	[ -n "${witness_pid:-}" ] && kill "$witness_pid" 2>/dev/null
	pg_dropcluster "$VERSION" "$CLUSTER" --stop >/dev/null 2>&1
	rm -rf "$WORKDIR"
}
trap cleanup EXIT
trap 'exit 2' INT TERM

if [ "$(id -u)" != 0 ]; then
	echo "1..0 # SKIP needs root (creates cluster $CLUSTER and chowns its key)"
	exit 0
fi
: >"$LOG"

# ------------------------------------------------------------------ cluster
# a cluster left behind by an interrupted run
if pg_lsclusters -h | awk '{print $1, $2}' | grep -qx "$VERSION $CLUSTER"; then
	pg_dropcluster "$VERSION" "$CLUSTER" --stop >/dev/null 2>&1
fi
openssl genpkey -algorithm ed25519 -out "$KEY" 2>>"$LOG" && chown postgres "$KEY" && chmod 600 "$KEY"
ok $? "an Ed25519 key owned by postgres, mode 0600"
pg_createcluster "$VERSION" "$CLUSTER" -p "$PORT" \
	-o "integrity.signing_key_file=$KEY" -o fsync=on -o synchronous_commit=on \
	-o "max_connections=40" -- -A trust >>"$LOG" 2>&1 &&
	pg_ctlcluster "$VERSION" "$CLUSTER" start >>"$LOG" 2>&1 && wait_ready
ok $? "cluster $VERSION/$CLUSTER on port $PORT is up"

createdb "$DB" 2>>"$LOG"
psql -X -q -v ON_ERROR_STOP=1 -d "$DB" >>"$LOG" 2>&1 <<EOF
CREATE EXTENSION integrity;
SELECT integrity.set_origin('140400');
CREATE SCHEMA crash;
CREATE FUNCTION crash.uscc(prefix text, n bigint) RETURNS text LANGUAGE plpgsql IMMUTABLE AS \$\$
DECLARE
    body text := prefix || lpad(n::text, 8, '0');
    ow int[] := '{3,7,9,10,5,8,4,2}';
    cs text := '0123456789ABCDEFGHJKLMNPQRTUWXY';
    s int := 0; w int := 1; c int; i int;
BEGIN
    FOR i IN 1 .. 8 LOOP s := s + substr(body, 8 + i, 1)::int * ow[i]; END LOOP;
    c := 11 - s % 11;
    body := body || CASE c WHEN 10 THEN 'X' WHEN 11 THEN '0' ELSE c::text END;
    s := 0;
    FOR i IN 1 .. 17 LOOP
        s := s + (strpos(cs, substr(body, i, 1)) - 1) * w;
        w := w * 3 % 31;
    END LOOP;
    RETURN body || substr(cs, (31 - s % 31) % 31 + 1, 1);
END \$\$;
-- publish one confirmed record (the row is locked first: no two clients
-- take the same one); NULL when none is left
CREATE FUNCTION crash.publish_one() RETURNS text LANGUAGE plpgsql AS \$\$
DECLARE r bigint;
BEGIN
    SELECT id INTO r FROM integrity.record WHERE origin = '140400' AND state = 'confirmed'
     ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED;
    IF r IS NULL THEN RETURN NULL; END IF;
    RETURN r || ' ' || integrity.publish(r);
END \$\$;
DO \$\$
DECLARE i integer; r bigint; s bigint[];
BEGIN
    FOR i IN 1 .. 10 LOOP
        s := s || integrity.subject_add('enterprise', '崩溃测试' || i || '有限公司', crash.uscc('91140400', 72000000 + i));
    END LOOP;
    FOR i IN 1 .. $RECORDS LOOP
        r := integrity.record_add(s[1 + i % 10], 'admin_penalty', 'general', current_date - 30,
                                  '崩溃罚〔' || i || '〕号', '长治市市场监督管理局', '崩溃测试');
        PERFORM integrity.notify(r, '书面告知');
        PERFORM integrity.confirm(r, '认定');
        IF i <= 50 THEN PERFORM integrity.publish(r); END IF;
    END LOOP;
END \$\$;
EOF
ok $? "set-up: $RECORDS confirmed records, 50 of them published"
size_before=$(q "SELECT size FROM integrity.chain_head WHERE origin = '140400'")

# ------------------------------------------------------------------ load and crash
echo "SELECT crash.publish_one();" >"$WORKDIR/publish.sql"
pgbench -n -c "$CLIENTS" -j 2 -T 60 -f "$WORKDIR/publish.sql" "$DB" >"$WORKDIR/pgbench.log" 2>&1 &
pgbench_pid=$!
# the witness: one publish per transaction, noted only once COMMIT returned
(
	while :; do
		r=$(psql -X -q -A -t -d "$DB" -c "SELECT crash.publish_one()" 2>/dev/null) || break
		[ -n "$r" ] && echo "$r" >>"$WORKDIR/acked.txt"
	done
) &
witness_pid=$!
sleep "$CRASH_AFTER"
published_seen=$(q "SELECT size FROM integrity.chain_head WHERE origin = '140400'")
pg_ctlcluster "$VERSION" "$CLUSTER" stop -m immediate >>"$LOG" 2>&1
ok $? "pg_ctlcluster $VERSION $CLUSTER stop -m immediate after ${CRASH_AFTER} s of publishing (log size then about $published_seen)"
wait "$pgbench_pid" 2>/dev/null
pgbench_pid=
wait "$witness_pid" 2>/dev/null
witness_pid=
acked=$(wc -l <"$WORKDIR/acked.txt" 2>/dev/null || echo 0)
echo "# pgbench: $CLIENTS clients until the crash; $(grep -c 'aborted\|terminat\|server closed' "$WORKDIR/pgbench.log") client errors; the witness saw $acked publishes committed"
pg_ctlcluster "$VERSION" "$CLUSTER" start >>"$LOG" 2>&1 && wait_ready
ok $? "the cluster starts again (crash recovery)"

# ------------------------------------------------------------------ checks
size=$(q "SELECT size FROM integrity.chain_head WHERE origin = '140400'")
echo "# log size: $size_before before the load, $size after recovery"
[ "${size:-0}" -gt "${size_before:-0}" ]
ok $? "the log grew during the load"
is "$(q "SELECT ok::text || ' ' || checked FROM integrity.verify_chain()")" "true $size" \
	"SPEC 6 verify_chain() is ok over all $size entries after the crash"
is "$(q "SELECT count(*) || ' ' || min(seq) || ' ' || max(seq) || ' ' || count(DISTINCT seq)
           FROM integrity.disclosure WHERE origin = '140400'")" "$size 1 $size $size" \
	"SPEC 6 chain_head.size equals the last seq and the log is gap-free"
is "$(q "SELECT count(*) FROM (
           SELECT seq, prev_hash, lag(entry_hash) OVER (ORDER BY seq) AS before
             FROM integrity.disclosure WHERE origin = '140400') x
          WHERE CASE WHEN seq = 1 THEN prev_hash <> decode(repeat('00', 32), 'hex')
                     ELSE prev_hash IS DISTINCT FROM before END")" 0 \
	"SPEC 6 the chain is linear"
is "$(q "SELECT (head = (SELECT entry_hash FROM integrity.disclosure WHERE origin = '140400' AND seq = $size))::text
           FROM integrity.chain_head WHERE origin = '140400'")" true \
	"SPEC 6 chain_head.head is the newest entry hash"
is "$(q "SELECT count(*) FROM integrity.record WHERE origin = '140400' AND state = 'published'")" "$size" \
	"SPEC 6 the number of disclosures equals the number of published records"
is "$(q "SELECT count(*) FROM integrity.record r WHERE r.origin = '140400' AND r.state = 'published'
            AND NOT EXISTS (SELECT 1 FROM integrity.disclosure d
                             WHERE d.origin = r.origin AND d.record_id = r.id AND d.event = 'publish')")" 0 \
	"SPEC 6 every published record has its disclosure"
is "$(q "SELECT count(*) FROM integrity.disclosure d
          WHERE d.origin = '140400'
            AND NOT EXISTS (SELECT 1 FROM integrity.record r WHERE r.origin = d.origin AND r.id = d.record_id
                              AND r.state = 'published' AND r.published_on IS NOT NULL)")" 0 \
	"SPEC 6 every disclosure has its record in state published"
is "$(q "SELECT count(*) FROM integrity.record r WHERE r.origin = '140400' AND r.state = 'published'
            AND (SELECT count(*) FROM integrity.record_event e
                  WHERE e.origin = r.origin AND e.record_id = r.id AND e.event = 'publish') <> 1")" 0 \
	"SPEC 4 every published record has exactly one publish event in its history"
missing=0
if [ -s "$WORKDIR/acked.txt" ]; then
	missing=$(sed 's/^\([0-9]*\) \([0-9]*\)$/(\1, \2)/' "$WORKDIR/acked.txt" | paste -sd, - |
		sed 's/^/SELECT count(*) FROM (VALUES /; s/$/) a(record_id, seq) WHERE NOT EXISTS (SELECT 1 FROM integrity.disclosure d WHERE d.origin = '"'140400'"' AND d.record_id = a.record_id AND d.seq = a.seq AND d.event = '"'publish'"')/' |
		psql -X -q -A -t -d "$DB" 2>>"$LOG")
fi
is "$missing" 0 "every publish acknowledged before the crash ($acked) is in the log with its seq"
# RFC 6962 root recomputed bottom-up (an odd last node moves up unchanged)
is "$(q "CREATE FUNCTION pg_temp.root(n bigint) RETURNS bytea LANGUAGE plpgsql AS \$\$
         DECLARE lvl bytea[]; nxt bytea[]; i integer;
         BEGIN
             SELECT array_agg(sha256('\\x00'::bytea || entry_hash) ORDER BY seq) INTO lvl
               FROM integrity.disclosure WHERE origin = '140400' AND seq <= n;
             WHILE cardinality(lvl) > 1 LOOP
                 nxt := '{}';
                 FOR i IN 1 .. cardinality(lvl) BY 2 LOOP
                     IF i = cardinality(lvl) THEN nxt := nxt || lvl[i];
                     ELSE nxt := nxt || sha256('\\x01'::bytea || lvl[i] || lvl[i + 1]); END IF;
                 END LOOP;
                 lvl := nxt;
             END LOOP;
             RETURN lvl[1];
         END \$\$;
         SELECT (t.tree_size = $size AND t.root_hash = pg_temp.root($size))::text FROM integrity.tree_head() t")" true \
	"SPEC 6 the Merkle tree head after recovery is the root of all $size entries"
is "$(q "SELECT cardinality(integrity.consistency_proof(${size_before:-1}, $size)) > 0")" t \
	"SPEC 6 the tree after the crash is consistent with the tree before the load"
next=$(q "SELECT crash.publish_one()")
is "${next#* }" "$((size + 1))" "publishing continues after the restart with seq $((size + 1))"
is "$(q "SELECT ok::text FROM integrity.verify_chain()")" true "and the log still verifies"

# ------------------------------------------------------------------ key file rules (SPEC 6)
try_publish() {	# the SQLSTATE of publishing one more record, or ok
	psql -X -q -A -t -d "$DB" -v VERBOSITY=verbose -c "SELECT crash.publish_one()" 2>&1 >/dev/null |
		sed -n 's/^ERROR:  \([0-9A-Z]\{5\}\): .*/\1/p' | head -1 | grep . || echo ok
}
chmod 644 "$KEY"
is "$(try_publish)" 55000 "SPEC 6 a key file readable by others (0644) is refused with 55000"
chmod 600 "$KEY"; chown nobody "$KEY"
is "$(try_publish)" 55000 "SPEC 6 a key file owned by another user is refused"
chown root:postgres "$KEY"; chmod 640 "$KEY"
is "$(try_publish)" ok "SPEC 6 a key file owned by root with mode 0640 (group postgres) is accepted"
chmod 644 "$KEY"
is "$(try_publish)" 55000 "SPEC 6 but not root-owned with mode 0644"
chown postgres:postgres "$KEY"; chmod 600 "$KEY"
is "$(try_publish)" ok "SPEC 6 the key owned by postgres with mode 0600 signs again"
is "$(q "SELECT ok::text FROM integrity.verify_chain()")" true "the log verifies at the end"

pg_dropcluster "$VERSION" "$CLUSTER" --stop >>"$LOG" 2>&1
ok $? "cluster $VERSION/$CLUSTER dropped"
if grep -q ERROR "$LOG"; then
	echo "# errors seen:"
	grep ERROR "$LOG" | sort | uniq -c | head -10 | sed 's/^/# /'
fi
echo "1..$n"
[ "$failed" -eq 0 ]
