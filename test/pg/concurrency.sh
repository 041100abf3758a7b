#!/bin/sh
# test/pg/concurrency.sh: concurrent publishing, objections, resolutions,
# repairs, revocations, remedies and expiries never fork or damage the
# disclosure log (SPEC 4, 6: "Concurrent publishers never fork the chain").
# Prints TAP; exits non-zero on failure.
#
# pgbench runs several scripts at once; each picks the record it acts on
# with SELECT ... FOR UPDATE SKIP LOCKED among the records in the right
# state (the record row is locked before the API call, so legal
# concurrency never raises), and a "collect" script keeps the pools full.
# Afterwards: the chain is linear and gap-free, verify_chain() is ok, every
# published record has exactly one publish disclosure, the disclosures of
# every record match its history, and every history is a legal path of the
# state machine.
#
# Run by test/run-all.sh inside pg_virtualenv: PGHOST/PGPORT/PGUSER point
# at a superuser, integrity.signing_key_file is configured, $WORK is a
# writable temporary directory.  By hand:
#   PGPORT=5541 PGUSER=postgres PGHOST=/var/run/postgresql WORK=$(mktemp -d) sh test/pg/concurrency.sh
# CONC_CLIENTS, CONC_THREADS and CONC_SECONDS change the load (4, 2, 15).
set -u
: "${WORK:?WORK must name a writable directory}"

DB=integrity_conc_$$
DIR=$WORK/integrity_conc_$$
LOG=$DIR/psql.log
CLIENTS=${CONC_CLIENTS:-4}
THREADS=${CONC_THREADS:-2}
SECONDS_=${CONC_SECONDS:-15}

. "$(dirname "$0")/../tap.sh"		# ok, is, n, failed
diag() { sed 's/^/# /'; }
q() {		# q SQL: the value(s), errors to $LOG
	psql -X -q -A -t -v ON_ERROR_STOP=1 -d "$DB" -c "$1" 2>>"$LOG"
}

cleanup() {
	dropdb --if-exists "$DB" >/dev/null 2>&1
	rm -rf "$DIR"
}
trap cleanup EXIT
trap 'exit 2' INT TERM
mkdir -p "$DIR"
: >"$LOG"

# ------------------------------------------------------------------ set-up
createdb "$DB" 2>>"$LOG"
ok $? "created database $DB"
psql -X -q -v ON_ERROR_STOP=1 -d "$DB" >>"$LOG" 2>&1 <<'EOF'
CREATE EXTENSION integrity;
SELECT integrity.set_origin('140400');
CREATE SCHEMA conc;

-- D1.1/D1.2: a valid uscc with an 8-character prefix and body number n
CREATE FUNCTION conc.uscc(prefix text, n bigint) RETURNS text LANGUAGE plpgsql IMMUTABLE AS $$
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
END $$;

-- a new confirmed record (general: published; decided 200 days ago, so it
-- may be repaired, or 400 days ago, so that expire_due takes it)
CREATE FUNCTION conc.collect_one() RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE r bigint; s bigint;
BEGIN
    SELECT id INTO s FROM integrity.subject ORDER BY random() LIMIT 1;
    r := integrity.record_add(s, 'admin_penalty', 'general',
                              current_date - CASE WHEN random() < 0.1 THEN 400 ELSE 200 END,
                              '并发罚〔' || nextval('conc.docno') || '〕号', '长治市市场监督管理局', '并发测试');
    PERFORM integrity.notify(r, '书面告知');
    PERFORM integrity.confirm(r, '认定');
    RETURN r;
END $$;
CREATE SEQUENCE conc.docno;

-- lock one record of the local origin in one of the states, or NULL
CREATE FUNCTION conc.pick(states integrity.record_state[], repairable boolean DEFAULT false,
                          unremedied boolean DEFAULT false) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE r bigint;
BEGIN
    SELECT id INTO r FROM integrity.record
     WHERE origin = '140400' AND state = ANY (states)
       AND (NOT repairable OR repair_allowed_from <= current_date)
       AND (NOT unremedied OR NOT remedied)
     ORDER BY CASE WHEN random() < 0.5 THEN id ELSE -id END
     LIMIT 1 FOR UPDATE SKIP LOCKED;
    RETURN r;
END $$;

CREATE FUNCTION conc.publish_one() RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE r bigint := conc.pick('{confirmed}');
BEGIN
    IF r IS NULL THEN RETURN NULL; END IF;
    RETURN integrity.publish(r);
END $$;
CREATE FUNCTION conc.object_one() RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE r bigint := conc.pick(CASE WHEN random() < 0.7 THEN '{published}' ELSE '{confirmed}' END::integrity.record_state[]);
BEGIN
    IF r IS NOT NULL THEN PERFORM integrity.object(r, '异议'); END IF;
    RETURN r;
END $$;
CREATE FUNCTION conc.resolve_one() RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE r bigint := conc.pick('{objected}');
BEGIN
    IF r IS NOT NULL THEN PERFORM integrity.resolve_objection(r, random() < 0.3, '异议处理'); END IF;
    RETURN r;
END $$;
CREATE FUNCTION conc.repair_one() RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE r bigint := conc.pick('{published}', repairable => true);
BEGIN
    IF r IS NOT NULL THEN PERFORM integrity.repair(r, '信用修复'); END IF;
    RETURN r;
END $$;
CREATE FUNCTION conc.revoke_one() RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE r bigint := conc.pick('{collected,notified,confirmed,published,objected}');
BEGIN
    IF r IS NOT NULL THEN PERFORM integrity.revoke(r, '信息错误'); END IF;
    RETURN r;
END $$;
CREATE FUNCTION conc.remedy_one() RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE r bigint := conc.pick('{published}', unremedied => true);
BEGIN
    IF r IS NOT NULL THEN PERFORM integrity.mark_remedied(r, '主动挽回损失'); END IF;
    RETURN r;
END $$;

-- 20 enterprises; 600 records: confirmed, a third published, some objected
DO $$
DECLARE i integer; r bigint;
BEGIN
    FOR i IN 1 .. 20 LOOP
        PERFORM integrity.subject_add('enterprise', '并发测试' || i || '有限公司', conc.uscc('91140400', 71000000 + i));
    END LOOP;
    FOR i IN 1 .. 600 LOOP
        r := conc.collect_one();
        IF i % 3 = 0 THEN PERFORM integrity.publish(r); END IF;
        IF i % 9 = 0 THEN PERFORM integrity.object(r, '异议'); END IF;
    END LOOP;
END $$;
EOF
ok $? "set-up: extension, origin, 20 subjects, 600 records in several states"

# ------------------------------------------------------------------ load
for s in collect publish object resolve repair revoke remedy; do
	echo "SELECT conc.${s}_one();" >"$DIR/$s.sql"
done
echo "SELECT integrity.expire_due();" >"$DIR/expire.sql"
q "SELECT event || ' ' || count(*) FROM integrity.disclosure GROUP BY event ORDER BY event" >"$DIR/before.txt"

pgbench -n -c "$CLIENTS" -j "$THREADS" -T "$SECONDS_" --failures-detailed \
	-f "$DIR/collect.sql@6" -f "$DIR/publish.sql@6" -f "$DIR/object.sql@4" -f "$DIR/resolve.sql@4" \
	-f "$DIR/repair.sql@2" -f "$DIR/revoke.sql@1" -f "$DIR/remedy.sql@1" -f "$DIR/expire.sql@1" \
	"$DB" >"$DIR/pgbench.log" 2>&1
rc=$?
clients=$(sed -n 's/^number of clients: //p' "$DIR/pgbench.log")
txns=$(sed -n 's/^number of transactions actually processed: \([0-9]*\).*/\1/p' "$DIR/pgbench.log")
fails=$(sed -n 's/^number of failed transactions: \([0-9]*\).*/\1/p' "$DIR/pgbench.log")
deadlocks=$(sed -n 's/^number of deadlock failures: \([0-9]*\).*/\1/p' "$DIR/pgbench.log")
tps=$(sed -n 's/^tps = \([0-9.]*\) (without initial connection time)/\1/p' "$DIR/pgbench.log")
aborted=$(grep -c 'aborted in command' "$DIR/pgbench.log")
deadlock_msgs=$(grep -c 'deadlock detected' "$DIR/pgbench.log")
echo "# pgbench: $clients clients, $THREADS threads, $SECONDS_ s: $txns transactions, tps $tps," \
	"${fails:-0} failed (${deadlocks:-0} deadlocks), $aborted clients aborted"
awk '/^SQL script/ { n = $NF; sub(/.*\//, "", n); sub(/\.sql$/, "", n) }
     /^ - [0-9]+ transactions/ { t = $0; sub(/.*tps = /, "", t); sub(/\).*/, "", t);
                                 printf "#   %s: %s transactions, %s tps\n", n, $2, t }' "$DIR/pgbench.log"
is "$rc" 0 "pgbench ran to the end (exit 0)"
is "$aborted" 0 "no client was aborted by an error"
is "${fails:-0}" 0 "no transaction failed (deadlocks: ${deadlocks:-0})"
is "$deadlock_msgs" 0 "no deadlock was detected"
if [ "$rc" -ne 0 ] || [ "$aborted" -ne 0 ]; then
	grep -E 'ERROR|aborted|fatal' "$DIR/pgbench.log" | head -10 | diag
fi
[ "${txns:-0}" -gt 0 ]
ok $? "the load ran transactions"

q "SELECT event || ' ' || count(*) FROM integrity.disclosure GROUP BY event ORDER BY event" >"$DIR/after.txt"
echo "# disclosures by event, before -> after:"
join -a 2 -e 0 -o '0,1.2,2.2' "$DIR/before.txt" "$DIR/after.txt" | sed 's/^\([a-z_]*\) \([0-9]*\) \([0-9]*\)/#   \1: \2 -> \3/'

# ------------------------------------------------------------------ checks
is "$(q "SELECT count(*) = max(seq) AND min(seq) = 1 AND count(DISTINCT seq) = count(*)
           FROM integrity.disclosure WHERE origin = '140400'")" t \
	"SPEC 6 the chain is gap-free: seq 1..n, each once"
is "$(q "SELECT count(*) FROM (
           SELECT seq, prev_hash, lag(entry_hash) OVER (ORDER BY seq) AS before
             FROM integrity.disclosure WHERE origin = '140400') x
          WHERE CASE WHEN seq = 1 THEN prev_hash <> decode(repeat('00', 32), 'hex')
                     ELSE prev_hash IS DISTINCT FROM before END")" 0 \
	"SPEC 6 the chain is linear: each prev_hash is the previous entry_hash (the first is 32 zero bytes)"
is "$(q "SELECT c.size = max(d.seq) AND c.head = (SELECT entry_hash FROM integrity.disclosure
                                                    WHERE origin = '140400' AND seq = c.size)
           FROM integrity.chain_head c JOIN integrity.disclosure d ON d.origin = c.origin
          WHERE c.origin = '140400' GROUP BY c.size, c.head")" t \
	"SPEC 6 chain_head holds the size and the newest entry hash"
is "$(q "SELECT ok::text || ' ' || (checked = (SELECT max(seq) FROM integrity.disclosure WHERE origin = '140400'))::text
           FROM integrity.verify_chain()")" "true true" \
	"SPEC 6 verify_chain() checks every entry and signature: ok"
is "$(q "SELECT (tree_size = (SELECT max(seq) FROM integrity.disclosure WHERE origin = '140400'))::text
           FROM integrity.tree_head()")" true \
	"SPEC 6 the Merkle tree covers every entry"
is "$(q "SELECT count(*) FROM integrity.record r
          WHERE r.origin = '140400' AND r.published_on IS NOT NULL
            AND (SELECT count(*) FROM integrity.disclosure d
                  WHERE d.origin = r.origin AND d.record_id = r.id AND d.event = 'publish') <> 1")" 0 \
	"SPEC 6 every published record has exactly one publish disclosure"
is "$(q "SELECT count(*) FROM integrity.disclosure d JOIN integrity.record r ON r.origin = d.origin AND r.id = d.record_id
          WHERE d.origin = '140400' AND r.published_on IS NULL")" 0 \
	"SPEC 6 no record that was never published has a disclosure"
# the disclosures of a record, in seq order, are exactly its disclosed
# transitions (publish, and every later transition), in history order
is "$(q "WITH ev AS (
             SELECT e.record_id, e.id, e.event,
                    min(e.id) FILTER (WHERE e.event = 'publish') OVER (PARTITION BY e.record_id) AS published_at
               FROM integrity.record_event e WHERE e.origin = '140400'),
           want AS (
             SELECT record_id, string_agg(CASE WHEN event IN ('objection_rejected', 'objection_upheld')
                                               THEN 'objection_resolved' ELSE event END, ',' ORDER BY id) AS events
               FROM ev
              WHERE event = 'publish' OR (id > published_at AND event IN
                    ('objection', 'objection_rejected', 'objection_upheld', 'repair', 'expire', 'revoke'))
              GROUP BY record_id),
           have AS (
             SELECT record_id, string_agg(event, ',' ORDER BY seq) AS events
               FROM integrity.disclosure WHERE origin = '140400' GROUP BY record_id)
         SELECT count(*) FROM want FULL JOIN have USING (record_id)
          WHERE want.events IS DISTINCT FROM have.events")" 0 \
	"SPEC 6 each record's disclosures match its disclosed transitions, in order"
# SPEC 4, D2.2-D2.4: every history is a legal path ending in the record's state
is "$(q "WITH legal (f, t) AS (VALUES
             ('collected', 'notified'), ('notified', 'confirmed'), ('confirmed', 'published'),
             ('confirmed', 'objected'), ('published', 'objected'), ('published', 'repaired'),
             ('published', 'expired'), ('objected', 'confirmed'), ('objected', 'published')),
           ev AS (
             SELECT e.*, lag(e.to_state) OVER w AS prev_to, row_number() OVER w AS n,
                    (SELECT e2.from_state FROM integrity.record_event e2
                      WHERE e2.origin = e.origin AND e2.record_id = e.record_id AND e2.id < e.id
                        AND e2.event = 'objection' ORDER BY e2.id DESC LIMIT 1) AS before_objection
               FROM integrity.record_event e WHERE e.origin = '140400'
             WINDOW w AS (PARTITION BY e.record_id ORDER BY e.id))
         SELECT count(*) FROM ev
          WHERE NOT CASE
                WHEN n = 1 THEN event = 'collect' AND from_state IS NULL AND to_state = 'collected'
                WHEN from_state IS DISTINCT FROM prev_to THEN false
                WHEN event IN ('remedied', 'correction') THEN from_state = to_state
                WHEN from_state IN ('repaired', 'expired', 'revoked') THEN false
                WHEN to_state = 'revoked' THEN true
                WHEN from_state = 'objected' THEN to_state = before_objection
                ELSE (from_state::text, to_state::text) IN (SELECT f, t FROM legal) END")" 0 \
	"SPEC 4 every record's history is a legal path of the state machine"
is "$(q "SELECT count(*) FROM integrity.record r
          WHERE r.origin = '140400'
            AND r.state IS DISTINCT FROM (SELECT e.to_state FROM integrity.record_event e
                                           WHERE e.origin = r.origin AND e.record_id = r.id
                                           ORDER BY e.id DESC LIMIT 1)")" 0 \
	"SPEC 4 every history ends in its record's state"
is "$(q "SELECT count(*) FROM integrity.record WHERE origin = '140400' AND remedied
            AND (SELECT count(*) FROM integrity.record_event e
                  WHERE e.origin = '140400' AND e.record_id = record.id AND e.event = 'remedied') <> 1")" 0 \
	"D2.8 every remedied record has exactly one remedied event"
q "SELECT state || ' ' || count(*) FROM integrity.record WHERE origin = '140400' GROUP BY state ORDER BY state" |
	tr '\n' ',' | sed 's/,$//; s/^/# records by state: /; s/,/, /g'
echo

if [ -s "$LOG" ] && grep -q ERROR "$LOG"; then
	echo "# psql errors:"
	grep -A2 ERROR "$LOG" | head -20 | diag
fi
echo "1..$n"
[ "$failed" -eq 0 ]
