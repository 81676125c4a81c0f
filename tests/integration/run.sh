#!/usr/bin/env bash
# 'tcprig run' verdicts and exit statuses: a case that could not say anything
# is SKIP, never PASS; a parse error runs nothing (exit 2); failures name why.
TCPRIG=${1:?usage: run.sh path/to/tcprig}
. "$(dirname "$0")/tap.sh"
require_lab_privileges
here=$(cd "$(dirname "$0")/.." && pwd)

if expect_run 0 "a case with an absent knob: exit 0" "$here/cases_run/knob_absent.pkt"; then
	like "$out" '^SKIP .*knob_absent\.pkt' "it is reported SKIP"
	like "$out" 'knob absent: net\.ipv4\.tcp_no_such_knob' "with the knob's name"
	like "$out" '^0 passed, 0 failed, 1 skipped$' "and counted as skipped, not passed"
fi

expect_run 0 "a '*' line matches whenever its segment comes" "$here/cases_run/any_time.pkt"

if expect_run 1 "a failing shell line: exit 1" "$here/cases_run/shell_fails.pkt"; then
	like "$out" 'shell_fails\.pkt:2: ' "names the line"
	like "$out" 'exited with status 3$' "and the status"
fi

if expect_run 1 "a segment that never comes: exit 1" "$here/cases_run/nothing_arrives.pkt"; then
	like "$out" 'nothing_arrives\.pkt:4: ' "names the line"
	like "$out" 'expected at t=[0-9.]+; nothing arrived by t=[0-9.]+$' \
		"says when it was expected and until when it waited"
	is "$(printf '%s\n' "$out" |
		sed -nE 's/.*expected at t=([0-9.]+); nothing arrived by t=([0-9.]+)$/\1 \2/p' |
		awk '{printf "%.6f", $2 - $1}')" 0.004000 \
		"  its window: the 4 ms tolerance after the RST before it really came"
fi

if expect_run 1 "an unexpected segment: exit 1" "$here/cases_run/unexpected_segment.pkt"; then
	like "$out" 'unexpected segment at t=[0-9.]+: > 8080>40000 R\. 0:0\(0\) ack 1 win 0' \
		"shows the segment in script notation"
fi

# Outcome groups at run time.
o=$here/cases_run/outcomes
if expect_run 0 "a group whose '> nothing' alternative holds: exit 0" "$o/quiet_holds.pkt"; then
	like "$out" '^PASS  .*quiet_holds\.pkt  \([0-9.]+ s, outcome silent(, try [0-9]+)?\)$' \
		"its outcome is that line's label"
fi
if expect_run 0 "a group whose second alternative holds, and lines after it: exit 0" \
	"$o/second_holds.pkt"; then
	like "$out" 'outcome closed(, try [0-9]+)?\)$' "the outcome is the second line's label"
fi
if expect_run 0 "'=> label end': the lines after it are not run" "$o/end_stops.pkt"; then
	like "$out" 'outcome closed(, try [0-9]+)?\)$' "and the outcome says which ended it"
fi
if NO_COLOR= expect_run 1 "a group none of whose alternatives holds: exit 1" "$o/none_holds.pkt"; then
	like "$out" 'none_holds\.pkt:4: ' "reported against the first '>' alternative"
	like "$out" 'tcp flags: expected S\., actual R\.$' "with its first differing field"
	like "$out" 'no alternative of line 4 held either \(1 more\)$' "and that no other alternative held"
	ok "$(printf '%s\n' "$out" | grep -q ', outcome ' && echo 1 || echo 0)" "a group that failed names no outcome"
fi

out=$("$TCPRIG" run "$here/cases_bad/unknown_tcp_option.pkt" "$here/cases_run/knob_absent.pkt" 2>&1)
is "$?" 2 "a parse error: exit 2"
like "$out" 'unknown_tcp_option\.pkt:[0-9]+:[0-9]+: ' "file:line:col"
like "$out" '\^' "a caret under the column"
ok "$(printf '%s\n' "$out" | grep -c '^SKIP\|^PASS\|^FAIL')" "no case ran, not even the good one"

out=$("$TCPRIG" run --tap "$here/cases_run/knob_absent.pkt" "$here/cases_run/shell_fails.pkt" 2>&1)
like "$out" '^1\.\.2$' "--tap prints the plan first"
like "$out" '^ok 1 - .*knob_absent\.pkt # SKIP .*knob absent' "--tap: SKIP directive"
like "$out" '^not ok 2 - .*shell_fails\.pkt' "--tap: not ok"

out=$("$TCPRIG" run "$here/cases_bad/no_events.pkt" 2>&1)
is "$?" 2 "a case with no timed event: exit 2, never a vacuous pass"
like "$out" 'no_events\.pkt:[0-9]+:1: the case has no timed event' "says so"

out=$("$TCPRIG" run /no/such/case.pkt 2>&1)
is "$?" 2 "a missing case file: exit 2"

# The extensions can fail too: each negative twin of time_wait_state.pkt.
tw=$here/../cases/basic/time_wait_state.pkt
tmp=$(mktemp -d)
trap 'cleanup_labs; rm -rf "$tmp"' EXIT
twin() { # NAME SED-EXPR PATTERN DESCRIPTION
	sed "$2" "$tw" >"$tmp/$1.pkt"
	expect_run 1 "$4: exit 1" "$tmp/$1.pkt" && like "$out" "$3" "$4: says why"
}
expect_run 0 "time_wait_state.pkt passes" "$tw"
twin state 's/= TIME_WAIT$/= NONE/' "socket 8080<->40000 is TIME_WAIT, expected NONE" \
	"sock_state expecting NONE while TIME_WAIT holds the port"
twin counter 's/TcpExtTW") = 1/TcpExtTW") = 2/' "TcpExtTW rose by 1 since the case began, expected 2" \
	"nstat expecting the wrong delta"
twin quiet 's/^+.01  < 40000>8080 \. 2:2(0)/+.01  < 40000>8080 F. 1:1(0)/' \
	"expected nothing, got a segment at t=[0-9.]+: > 8080>40000 \. 2:2\(0\) ack 2" \
	"a retransmitted FIN (re-ACKed from TIME_WAIT) inside a '> nothing' window"
sed 's/--sysctl=net.ipv4.tcp_rfc1337=1/--sysctl=net.ipv4.tcp_no_such_knob=1/' "$tw" >"$tmp/knob.pkt"
if expect_run 0 "--sysctl of an absent knob: exit 0" "$tmp/knob.pkt"; then
	like "$out" '^SKIP ' "--sysctl of an absent knob: SKIP"
	like "$out" 'knob absent: net\.ipv4\.tcp_no_such_knob' "--sysctl of an absent knob: names it"
fi

is "$(stale_labs "$TCPRIG")" "" "no lab left behind (none whose creator is gone)"
done_testing
