#!/bin/sh
# test/pg/witness_keys.sh: issue 16, the witness key
# (integrity.witness_key_file).  It is read by C like the signing key and
# never reaches SQL; c2sp.org/tlog-cosignature: one Ed25519 cosigner key
# serves one cosigner name, so the witness key must not be the signing
# key (docs/SECURITY.md, "Witness keys").  Errors about the file follow
# issue 13 F5: a non-superuser learns neither path nor mode.
#
# The setting is changed with ALTER SYSTEM and a reload, and put back at the
# end.  Run by test/run-all.sh inside pg_virtualenv (superuser, $WORK set,
# integrity.signing_key_file and integrity.witness_key_file configured).
set -u
: "${WORK:?WORK must name a writable directory}"
. "$(dirname "$0")/../tap.sh"
DB=integrity_wkey_$$
LOG=$WORK/wkey_$$.log
OPEN=$WORK/wkey_open_$$.key
q() { psql -X -q -A -t -v ON_ERROR_STOP=1 -d "$DB" -c "$1" 2>>"$LOG"; }
err() { psql -X -q -A -t -v VERBOSITY=verbose -d "$DB" -c "$1" 2>&1 >/dev/null; }
setkey() {
	psql -X -q -d "$DB" -c "ALTER SYSTEM SET integrity.witness_key_file = '$1'" -c "SELECT pg_reload_conf()" >>"$LOG" 2>&1
	sleep 1
}
cleanup() {
	psql -X -q -d postgres -c "ALTER SYSTEM RESET integrity.witness_key_file" -c "SELECT pg_reload_conf()" >/dev/null 2>&1
	dropdb --if-exists "$DB" >/dev/null 2>&1
	psql -X -q -d postgres -c "DROP ROLE IF EXISTS wkey_operator" >/dev/null 2>&1
	rm -f "$LOG" "$OPEN"
}
trap cleanup EXIT
: >"$LOG"

createdb "$DB" && q "CREATE EXTENSION integrity" >/dev/null && q "SELECT integrity.set_origin('140400')" >/dev/null &&
	q "CREATE ROLE wkey_operator IN ROLE integrity_operator" >/dev/null
ok $? "set-up: a database and an operator"
signing=$(q "SHOW integrity.signing_key_file")
witness=$(q "SHOW integrity.witness_key_file")
[ -n "$witness" ] && [ "$witness" != "$signing" ]
ok $? "the test cluster has a witness key of its own"
v=$(q "SELECT integrity.witness_vkey()")
case "$v" in "integrity/140400/witness+"*) r=0 ;; *) r=1 ;; esac
ok $r "with the witness key configured, witness_vkey() is the vkey of integrity/140400/witness"
out=$(err "SET ROLE wkey_operator; SHOW integrity.witness_key_file")
case "$out" in *42501*|*"must be superuser"*|*"permission denied"*) r=0 ;; *) r=1 ;; esac
ok $r "an operator may not read the witness key setting (GUC_SUPERUSER_ONLY)"

# 1. none configured
setkey ""
out=$(err "SELECT integrity.witness_vkey()")
case "$out" in *"55000: no witness key is configured"*) r=0 ;; *) r=1 ;; esac
ok $r "no witness key: 55000 no witness key is configured"
[ $r -ne 0 ] && echo "# $out"

# 2. the signing key as witness key
setkey "$signing"
out=$(err "SELECT integrity.witness_vkey()")
case "$out" in *"55000: the witness key is the signing key"*) r=0 ;; *) r=1 ;; esac
ok $r "the signing key as witness key: 55000 the witness key is the signing key (one key, one cosigner name)"
[ $r -ne 0 ] && echo "# $out"
cp "$signing" "$OPEN" && chmod 600 "$OPEN"
id postgres >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && chown postgres "$OPEN"
setkey "$OPEN"
out=$(err "SELECT integrity.witness_vkey()")
case "$out" in *"55000: the witness key is the signing key"*) r=0 ;; *) r=1 ;; esac
ok $r "a copy of the signing key in another file: refused the same way (the keys are compared, not the paths)"
rm -f "$OPEN"

# 3. a key file readable by others (0644)
openssl genpkey -algorithm ed25519 -out "$OPEN" 2>/dev/null
id postgres >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && chown postgres "$OPEN"
chmod 644 "$OPEN"
setkey "$OPEN"
out=$(err "SET ROLE wkey_operator; SELECT integrity.witness_vkey()")
case "$out" in *"55000: witness key is not usable"*) r=0 ;; *) r=1 ;; esac
case "$out" in *"$OPEN"*|*644*) r=1 ;; esac
ok $r "a 0644 witness key, as an operator: 55000 witness key is not usable, neither path nor mode"
[ $r -ne 0 ] && echo "# $out"
out=$(err "SELECT integrity.witness_vkey()")
case "$out" in *"witness key file \"$OPEN\" has wrong ownership or permissions"*) r=0 ;; *) r=1 ;; esac
ok $r "a 0644 witness key, as a superuser: the whole message with the path"

# 4. a missing file
setkey "/nonexistent/wkey_$$.key"
out=$(err "SELECT integrity.witness_vkey()")
case "$out" in *"could not access witness key file"*) r=0 ;; *) r=1 ;; esac
ok $r "a missing witness key file, as a superuser: could not access witness key file"

# 5. back to the configured key; the signing key was never affected
psql -X -q -d "$DB" -c "ALTER SYSTEM RESET integrity.witness_key_file" -c "SELECT pg_reload_conf()" >>"$LOG" 2>&1
sleep 1
is "$(q "SELECT integrity.witness_vkey()")" "$v" "the configured witness key again: the same vkey"
is "$(q "SELECT tree_size FROM integrity.tree_head()")" "0" "the signing key works throughout"
[ "$failed" -ne 0 ] && sed 's/^/# log: /' "$LOG" | tail -20
echo "1..$n"
[ "$failed" -eq 0 ]
