#!/bin/bash
# SPEC 6: the signing key works with the module in shared_preload_libraries
# too, is read again after a reload that changed integrity.signing_key_file,
# and the GUC is superuser-only.  A throw-away cluster on port 5551.
set -u
PORT=5551
NAME=integrity_preload
n=0
failed=0
ok() { n=$((n + 1)); if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; failed=$((failed + 1)); fi; }
work=$(mktemp -d /tmp/integrity-preload.XXXXXX)
chmod 755 "$work"
cleanup() {
    pg_dropcluster 15 "$NAME" --stop >/dev/null 2>&1
    rm -rf "$work"
}
trap cleanup EXIT
pg_dropcluster 15 "$NAME" --stop >/dev/null 2>&1

for k in k1 k2; do
    openssl genpkey -algorithm ed25519 -out "$work/$k.key" 2>/dev/null
    chown postgres "$work/$k.key"
    chmod 600 "$work/$k.key"
done
pg_createcluster 15 "$NAME" -p $PORT -- -A trust >/dev/null 2>&1
conf=/etc/postgresql/15/$NAME/postgresql.conf
{
    echo "shared_preload_libraries = 'integrity'"
    echo "integrity.signing_key_file = '$work/k1.key'"
} >> "$conf"
pg_ctlcluster 15 "$NAME" start
ok $? "cluster starts with shared_preload_libraries = 'integrity'"

export PGHOST=/var/run/postgresql PGPORT=$PORT PGUSER=postgres
q() { psql -X -At -v ON_ERROR_STOP=1 -d postgres -c "$1" 2>&1; }

q "CREATE EXTENSION integrity" >/dev/null
q "SELECT integrity.set_origin('140400')" >/dev/null
gov=$(q "SELECT integrity.subject_add('government', '长治市人民政府', '11140400000000019L')")
pub() {
    r=$(q "SELECT integrity.record_add($gov, 'admin_penalty', 'general', current_date - 10, 'd', 'u', 's')")
    q "SELECT integrity.notify($r, 'n'), integrity.confirm($r, 'c')" >/dev/null
    q "SELECT integrity.publish($r)"
}
[ "$(pub)" = 1 ]
ok $? "SPEC 6 publish signs with the preloaded module (seq 1)"
k1=$(q "SELECT key_id FROM integrity.disclosure WHERE seq = 1")

# a reload that changes the setting: the next signature uses the new key
sed -i "s|^integrity.signing_key_file = .*|integrity.signing_key_file = '$work/k2.key'|" "$conf"
pg_ctlcluster 15 "$NAME" reload
sleep 1
[ "$(pub)" = 2 ]
ok $? "SPEC 6 publish after the reload"
k2=$(q "SELECT key_id FROM integrity.disclosure WHERE seq = 2")
[ -n "$k1" ] && [ -n "$k2" ] && [ "$k1" != "$k2" ]
ok $? "SPEC 6 rotation by reload: seq 2 carries the new key_id ($k1 -> $k2)"
[ "$(q "SELECT ok FROM integrity.verify_chain()")" = t ]
ok $? "SPEC 6 verify_chain ok across the rotation"
[ "$(q "SELECT count(*) FROM integrity.signing_key WHERE valid_until IS NOT NULL")" = 1 ]
ok $? "SPEC 6 the old key's valid_until is set"

# the GUC is superuser-only
q "CREATE ROLE integrity_preload_user LOGIN IN ROLE integrity_operator" >/dev/null
out=$(psql -X -At -d postgres -U integrity_preload_user -c "SHOW integrity.signing_key_file" 2>&1)
echo "$out" | grep -q "permission denied\|must be superuser\|pg_read_all_settings"
ok $? "SPEC 6 a non-superuser cannot SHOW integrity.signing_key_file"

# a key file readable by others is refused, nothing is written
chmod 644 "$work/k2.key"
out=$(pub)
echo "$out" | grep -q "wrong ownership or permissions"
ok $? "SPEC 6 a key file with mode 0644 is refused (like ssl_key_file)"
[ "$(q "SELECT count(*) FROM integrity.disclosure")" = 2 ]
ok $? "SPEC 6 nothing was disclosed with the refused key"
chmod 600 "$work/k2.key"

echo "1..$n"
[ "$failed" = 0 ]
