# tap.sh - TAP 13 for the lab integration tests; sourced, not run.
# The plan is printed at the end (done_testing), so checks can be added freely.
# A failed check and its details also go to stderr: `meson test
# --print-errorlogs` shows stderr, so a CI log says what failed and why.
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
		echo "not ok $tap_n - $*" >&2
		tap_failed=$((tap_failed + 1))
	fi
}

# Details of a failed check: TAP diagnostics on stdout, the same on stderr.
fail_detail() { tee >(cat >&2); }

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
		printf "#   got:  '%s'\n#   want: '%s'\n" "$1" "$2" | fail_detail
	fi
}

like() { # like TEXT EXTENDED-REGEX DESCRIPTION
	if printf '%s\n' "$1" | grep -Eq -- "$2"; then
		ok 0 "$3"
	else
		ok 1 "$3"
		{ printf '%s\n' "$1" | sed 's/^/#   | /'; echo "#   does not match: $2"; } | fail_detail
	fi
}

unlike() { # unlike TEXT EXTENDED-REGEX DESCRIPTION: no line of TEXT matches
	if printf '%s\n' "$1" | grep -Eq -- "$2"; then
		ok 1 "$3"
		{ printf '%s\n' "$1" | grep -E -- "$2" | sed 's/^/#   | /'; echo "#   matches: $2"; } | fail_detail
	else
		ok 0 "$3"
	fi
}

diag() { printf '%s\n' "$*" | sed 's/^/# /'; }

# inconclusive OUTPUT: true when a tcprig run could not conclude some case
# (INCONCLUSIVE even after its tries: the rig itself was late, a machine too
# loaded) and nothing FAILed. Such a run says nothing about the target, so a
# check of its verdicts is skipped, never passed or failed.
inconclusive() {
	printf '%s\n' "$1" | grep -q '^INCONCLUSIVE ' && ! printf '%s\n' "$1" | grep -q '^FAIL '
}

# expect_run WANT DESCRIPTION ARGS...: `tcprig run ARGS...` into $out and
# $status, and `is` on the status. False, after a skip, when the run could
# not conclude: the caller then skips the checks of its output.
expect_run() {
	local want=$1 desc=$2
	shift 2
	out=$("$TCPRIG" run "$@" 2>&1)
	status=$?
	if [ "$status" = 3 ] && [ "$want" != 3 ] && inconclusive "$out"; then
		ok 0 "$desc # SKIP inconclusive: the rig was late on every try"
		return 1
	fi
	is "$status" "$want" "$desc"
	return 0
}

# replay_run WANT DESCRIPTION ARGS...: the same for `tcprig replay ARGS...`;
# a wrong status shows the replay's report (its first 40 lines).
replay_run() {
	local want=$1 desc=$2
	shift 2
	out=$("$TCPRIG" replay "$@" 2>&1)
	status=$?
	if [ "$status" = 3 ] && [ "$want" != 3 ] && inconclusive "$out"; then
		ok 0 "$desc # SKIP inconclusive: the rig was late on every try"
		return 1
	fi
	is "$status" "$want" "$desc"
	[ "$status" = "$want" ] || printf '%s\n' "$out" | head -40 | sed 's/^/#   /' | fail_detail
	[ "$status" = "$want" ] || keep_captures "$@"
	return 0
}

# keep_captures ARG...: with TCPRIG_KEEP_DIR=DIR, the captures among the
# arguments are copied there (DIR/PID.NAME), to look into a failure after
# the test's temporary directory is gone.
keep_captures() {
	[ -n "$TCPRIG_KEEP_DIR" ] || return 0
	for a in "$@"; do
		case $a in *.pcap | *.pcapng) ;; *) continue ;; esac
		[ -f "$a" ] && cp "$a" "$TCPRIG_KEEP_DIR/$$.${a##*/}" &&
			diag "kept: $TCPRIG_KEEP_DIR/$$.${a##*/}"
	done
}

# is_status GOT WANT DESCRIPTION OUTPUT: `is` for a tcprig run's exit status,
# a skip when the run could not conclude (exit 3, see inconclusive).
is_status() {
	if [ "$1" = 3 ] && [ "$2" != 3 ] && inconclusive "$4"; then
		ok 0 "$3 # SKIP inconclusive: the rig was late on every try"
		return 0
	fi
	is "$1" "$2" "$3"
}

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

# sweep_test_ns PREFIX: removes the namespaces a test made by hand, named
# PREFIX-PID-..., whose test process is gone (killed with SIGKILL, its EXIT
# trap never ran): tcprig's own labs are swept by tcprig, these by the test.
sweep_test_ns() {
	local ns pid
	for ns in $(ip netns list 2>/dev/null | awk '{print $1}' | grep "^$1-[0-9][0-9]*-"); do
		pid=${ns#"$1"-}
		pid=${pid%%-*}
		kill -0 "$pid" 2>/dev/null || ip netns del "$ns" 2>/dev/null
	done
}

tcprig_labs() { ip netns list 2>/dev/null | awk '{print $1}' | grep '^tcprig-' | sort; }

# Labs whose creator has exited: what a run that did not clean up leaves.
# (Other tests run in parallel, so live labs of other processes are normal.)
stale_labs() { "$1" lab list 2>/dev/null | grep 'dead: stale' || true; }
