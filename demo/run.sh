#!/bin/sh
# demo/run.sh: the showcase that `make demo` runs after building and
# installing the extension.  In a throw-away cluster made by pg_virtualenv,
# with a fresh Ed25519 signing key, it runs the guided tour demo/demo.sql,
# then exports the disclosure log to CSV and verifies it offline with
# tools/integrity-verify (demo/verify-offline.sh).  Takes a few seconds.
#
# Run from anywhere, as root (Debian: the cluster is owned by postgres) or as
# a user who may run pg_virtualenv.  Leaves nothing behind.
set -eu
cd "$(dirname "$0")/.."
top=$(pwd)
start=$(date +%s)

# a directory the server user can traverse, for the key and the export
work=$(mktemp -d /tmp/integrity-demo.XXXXXX)
chmod 755 "$work"
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM

# the signing key (SPEC 6): owned by the server user, mode 0600
openssl genpkey -algorithm ed25519 -out "$work/signing.key" 2>/dev/null
if [ "$(id -u)" = 0 ] && id postgres >/dev/null 2>&1; then
    chown postgres "$work/signing.key"
fi
chmod 600 "$work/signing.key"

# a throw-away cluster left behind by an interrupted run would block pg_virtualenv
if [ -f /etc/postgresql/15/regress/.by_pg_virtualenv ]; then
    pg_dropcluster 15 regress --stop 2>/dev/null || rm -rf /etc/postgresql/15/regress /var/lib/postgresql/15/regress
fi

pg_virtualenv -o "integrity.signing_key_file=$work/signing.key" \
    sh -c "cd '$top' && psql -X -v ON_ERROR_STOP=1 -f demo/demo.sql && sh demo/verify-offline.sh '$work'"

echo
echo "demo finished in $(( $(date +%s) - start )) s; the cluster and the key are gone."
