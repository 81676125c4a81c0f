# tap.sh - TAP 13 for the lab integration tests; sourced, not run.
# The plan is printed at the end (done_testing), so checks can be added freely.
# A test needs root and a kernel with network namespaces; without them the
# whole file is skipped, never passed.
tap_n=0
tap_failed=0

ok() { # ok CONDITION-STATUS DESCRIPTION
	local status=$1
	shift
	tap_n=$((tap_n + 1))
	if [ "$status" -eq 0 ]; then
		echo "ok $tap_n - $*"
	else
		echo "not ok $tap_n - $*"
		tap_failed=$((tap_failed + 1))
	fi
}

check() { # check DESCRIPTION -- COMMAND...: ok if COMMAND succeeds
	local desc=$1
	shift 2
	"$@" >/dev/null 2>&1
	ok $? "$desc"
}

is() { # is GOT WANT DESCRIPTION
	if [ "$1" = "$2" ]; then
		ok 0 "$3"
	else
		ok 1 "$3"
		echo "#   got:  '$1'"
		echo "#   want: '$2'"
	fi
}

like() { # like TEXT EXTENDED-REGEX DESCRIPTION
	if printf '%s\n' "$1" | grep -Eq -- "$2"; then
		ok 0 "$3"
	else
		ok 1 "$3"
		printf '%s\n' "$1" | sed 's/^/#   | /'
		echo "#   does not match: $2"
	fi
}

diag() { printf '%s\n' "$*" | sed 's/^/# /'; }

done_testing() {
	echo "1..$tap_n"
	[ "$tap_failed" -eq 0 ]
}

skip_all() {
	echo "1..0 # SKIP $*"
	exit 0
}

require_lab_privileges() {
	[ "$(id -u)" -eq 0 ] || skip_all "needs root (labs are network namespaces)"
	[ -e /proc/self/ns/net ] || skip_all "kernel without network namespaces"
}

# Labs this test file made: removed on exit whatever happens.
tap_labs=()
cleanup_labs() {
	local l
	for l in "${tap_labs[@]}"; do
		"$TCPRIG" lab down "$l" >/dev/null 2>&1 || true
	done
}
trap cleanup_labs EXIT

tcprig_labs() { ip netns list 2>/dev/null | awk '{print $1}' | grep '^tcprig-' | sort; }

# Labs whose creator has exited: what a run that did not clean up leaves.
# (Other tests run in parallel, so live labs of other processes are normal.)
stale_labs() { "$1" lab list 2>/dev/null | grep 'dead: stale' || true; }
