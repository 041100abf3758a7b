#!/bin/sh
# test/pg/key_errors.sh: issue 13 finding 5.  integrity.signing_key_file is
# GUC_SUPERUSER_ONLY, so an error about the key file must not tell a
# non-superuser its path or its mode: a reader or operator gets "signing key
# is not usable" (55000) with a hint to ask the DBA, a superuser gets the
# whole message, and the server log gets the whole message either way.
#
# The setting is changed with ALTER SYSTEM and a reload, and put back at the
# end.  Run by test/run-all.sh inside pg_virtualenv (superuser, $WORK set).
set -u
: "${WORK:?WORK must name a writable directory}"
. "$(dirname "$0")/../tap.sh"
DB=integrity_keyerr_$$
LOG=$WORK/keyerr_$$.log
MISSING=/nonexistent/integrity_keyerr_$$.key
OPEN=$WORK/keyerr_open_$$.key
q() { psql -X -q -A -t -v ON_ERROR_STOP=1 -d "$DB" -c "$1" 2>>"$LOG"; }
err() { psql -X -q -A -t -v VERBOSITY=verbose -d "$DB" -c "$1" 2>&1 >/dev/null; }
setkey() {
	psql -X -q -d "$DB" -c "ALTER SYSTEM SET integrity.signing_key_file = '$1'" -c "SELECT pg_reload_conf()" >>"$LOG" 2>&1
	sleep 1
}
cleanup() {
	psql -X -q -d postgres -c "ALTER SYSTEM RESET integrity.signing_key_file" -c "SELECT pg_reload_conf()" >/dev/null 2>&1
	dropdb --if-exists "$DB" >/dev/null 2>&1
	psql -X -q -d postgres -c "DROP ROLE IF EXISTS keyerr_reader, keyerr_operator" >/dev/null 2>&1
	rm -f "$LOG" "$OPEN"
}
trap cleanup EXIT
: >"$LOG"

createdb "$DB" && q "CREATE EXTENSION integrity" >/dev/null && q "SELECT integrity.set_origin('140400')" >/dev/null &&
	q "CREATE ROLE keyerr_reader IN ROLE integrity_reader; CREATE ROLE keyerr_operator IN ROLE integrity_operator" >/dev/null
ok $? "set-up: a database, a reader and an operator"
rid=$(q "SELECT integrity.record_add(integrity.subject_add('enterprise', '密钥测试有限公司', '91140400000000043W'),
                                     'admin_penalty', 'general', current_date - 3, '长罚〔1〕号', '长治市市场监督管理局', '密钥测试');
         SELECT max(id) FROM integrity.record" | tail -1)
q "SELECT integrity.notify($rid, '告知'); SELECT integrity.confirm($rid, '认定')" >/dev/null
ok $? "set-up: a confirmed record to publish"
is "$(q "SET ROLE keyerr_reader; SELECT tree_size FROM integrity.tree_head()")" "0" \
   "with the configured key a reader gets the signed tree head"

# 1. a key file that does not exist
setkey "$MISSING"
out=$(err "SET ROLE keyerr_reader; SELECT * FROM integrity.tree_head()")
case "$out" in *"55000: signing key is not usable"*) r=0 ;; *) r=1 ;; esac
ok $r "F5 missing key file, as a reader: 55000 signing key is not usable"
[ $r -ne 0 ] && echo "# $out"
case "$out" in *"$MISSING"*|*nonexistent*) r=1 ;; *) r=0 ;; esac
ok $r "F5 missing key file, as a reader: the message names no path"
case "$out" in *"Ask the database administrator"*) r=0 ;; *) r=1 ;; esac
ok $r "F5 the hint says to ask the DBA"
out=$(err "SET ROLE keyerr_operator; SELECT integrity.publish($rid)")
case "$out" in *"55000: signing key is not usable"*) case "$out" in *"$MISSING"*) r=1 ;; *) r=0 ;; esac ;; *) r=1 ;; esac
ok $r "F5 missing key file, an operator's publish (SECURITY DEFINER, owner a superuser): the generic error, no path"
[ $r -ne 0 ] && echo "# $out"
out=$(err "SELECT * FROM integrity.tree_head()")
case "$out" in *"could not access signing key file \"$MISSING\""*) r=0 ;; *) r=1 ;; esac
ok $r "F5 missing key file, as a superuser: the whole message with the path"
logs="$(ls /var/log/postgresql/*.log 2>/dev/null) ${INTEGRITY_SERVER_LOG:-}"	# pg_virtualenv logs there; a private server may say where
if [ -n "$logs" ] && grep -qs "could not access signing key file \"$MISSING\"" $logs; then r=0; else r=1; fi
ok $r "F5 the server log has the whole message of the reader's failure"

# 2. a key file readable by others (0644)
openssl genpkey -algorithm ed25519 -out "$OPEN" 2>/dev/null
id postgres >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && chown postgres "$OPEN"
chmod 644 "$OPEN"
setkey "$OPEN"
out=$(err "SET ROLE keyerr_reader; SELECT * FROM integrity.tree_head()")
case "$out" in *"55000: signing key is not usable"*) r=0 ;; *) r=1 ;; esac
ok $r "F5 a 0644 key file, as a reader: 55000 signing key is not usable"
case "$out" in *"$OPEN"*|*644*|*permission*) r=1 ;; *) r=0 ;; esac
ok $r "F5 a 0644 key file, as a reader: neither path nor mode"
out=$(err "SELECT * FROM integrity.tree_head()")
case "$out" in *"has wrong ownership or permissions"*) r=0 ;; *) r=1 ;; esac
ok $r "F5 a 0644 key file, as a superuser: wrong ownership or permissions, with the path"

# 3. back to the configured key
psql -X -q -d "$DB" -c "ALTER SYSTEM RESET integrity.signing_key_file" -c "SELECT pg_reload_conf()" >>"$LOG" 2>&1
sleep 1
is "$(q "SET ROLE keyerr_reader; SELECT tree_size FROM integrity.tree_head()")" "0" \
   "after ALTER SYSTEM RESET the configured key signs again"

[ "$failed" -ne 0 ] && sed 's/^/# log: /' "$LOG" | tail -20
echo "1..$n"
[ "$failed" -eq 0 ]
