# test/tap.sh: TAP helpers of the shell tests (test/pg/*.sh, test/cluster/*.sh),
# sourced by them: ok, is, and the counters n (tests run) and failed.
n=0
failed=0
ok() {		# ok EXIT-STATUS DESCRIPTION
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
		failed=$((failed + 1))
	fi
}
is() {		# is HAVE WANT DESCRIPTION
	if [ "$1" = "$2" ]; then
		ok 0 "$3"
	else
		ok 1 "$3"
		printf '%s\n' "$1" | head -20 | sed 's/^/#   have: /'
		echo "#   want: $2"
	fi
}
