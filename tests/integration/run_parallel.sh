#!/usr/bin/env bash
# 'tcprig run -j N': cases run side by side, each in its own lab and worker
# process, yet the output keeps case order and the verdicts are those of a
# -j 1 run; a stop signal leaves no lab; a dead worker is never a pass;
# '// tags: slow' cases wait for --slow.
TCPRIG=${1:?usage: run_parallel.sh path/to/tcprig}
. "$(dirname "$0")/tap.sh"
require_lab_privileges
here=$(cd "$(dirname "$0")/.." && pwd)
par=$here/cases_run/parallel
tmp=$(mktemp -d)
trap 'cleanup_labs; rm -rf "$tmp"' EXIT

now_ms() { echo $(($(date +%s%N) / 1000000)); }
# "PASS path" per case, without the times.
verdicts() { printf '%s\n' "$1" | awk '/^(PASS|FAIL|SKIP)  /{print $1, $2}'; }

t0=$(now_ms)
out1=$("$TCPRIG" run -j 1 "$par" 2>&1)
st1=$?
t1=$(now_ms)
out2=$("$TCPRIG" run -j 2 "$par" 2>&1)
st2=$?
t2=$(now_ms)
ms1=$((t1 - t0)) ms2=$((t2 - t1))

is_status "$st2" 1 "-j 2, one case failing: exit 1" "$out2"
is_status "$st1" 1 "-j 1, the same cases: exit 1" "$out1"
is "$(printf '%s\n' "$out2" | awk '/^(PASS|FAIL|SKIP|INCONCLUSIVE)  /{print $2}')" \
	"$(ls "$par"/*.pkt | LC_ALL=C sort)" "-j 2 lists the cases in name order"
if inconclusive "$out1$out2"; then
	ok 0 "-j 2 verdicts are those of -j 1 # SKIP inconclusive: the rig was late on every try"
else
	is "$(verdicts "$out2")" "$(verdicts "$out1")" "-j 2 verdicts are those of -j 1"
	like "$out2" '^3 passed, 1 failed, 0 skipped$' "-j 2: the summary"
fi
if ! inconclusive "$out2"; then
	like "$out2" '^FAIL  .*c_fails\.pkt' "the failing case says FAIL"
	like "$(printf '%s\n' "$out2" | grep -A2 '^FAIL ')" '^      .*c_fails\.pkt:5: ' \
		"its reason follows it, indented, naming the line"
fi
diag "wall time: -j 1 ${ms1} ms, -j 2 ${ms2} ms"
ok "$((ms2 * 10 < ms1 * 8 ? 0 : 1))" "-j 2 takes under 0.8 x the time of -j 1 (${ms2} vs ${ms1} ms)"

out=$("$TCPRIG" run --tap -j 2 "$par" 2>&1)
st=$?
if [ "$st" = 3 ] && ! printf '%s\n' "$out" | grep -q '^not ok '; then
	ok 0 "--tap -j 2: exit 1 # SKIP inconclusive: the rig was late on every try"
else
	is "$st" 1 "--tap -j 2: exit 1"
fi
is "$(printf '%s\n' "$out" | sed -n 1,2p | tr '\n' ' ')" "TAP version 13 1..4 " \
	"--tap -j 2: version, then the plan first"
# Valid TAP: every line a test line numbered in sequence, or a comment.
tap_check() {
	printf '%s\n' "$1" | awk -v plan=4 '
		NR <= 2 { next }
		/^#/ { next }
		/^(not )?ok [0-9]+ - / { n++; split($0, f, " "); num = f[1] == "ok" ? f[2] : f[3]
					 if (num != n) bad = 1; next }
		{ bad = 1 }
		END { exit bad || n != plan }'
}
tap_check "$out"
ok $? "--tap -j 2: valid TAP, four test lines numbered 1..4, comments otherwise"
like "$out" '^(not ok 3 - .*c_fails\.pkt|ok 3 - .*c_fails\.pkt # SKIP inconclusive)' \
	"--tap -j 2: case 3 is the failing one"

out=$("$TCPRIG" run -j 2 "$here/cases_run/worker_dies" "$par/a_quiet.pkt" 2>&1)
is "$?" 3 "a worker killed mid-case: exit 3 (could not run)"
like "$out" '^FAIL  .*kill_worker\.pkt' "its case is not a pass"
like "$out" 'could not run: worker died \(signal 15\)' "it says the worker died, and how"
like "$out" '^PASS  .*a_quiet\.pkt' "the other case still runs"

# SIGTERM to the parent only (as meson or a supervisor would send it): the
# parent must pass it on, every worker's lab must go.
"$TCPRIG" run -j 2 "$par" >"$tmp/stopped.out" 2>&1 &
pid=$!
workers=
for _ in $(seq 100); do
	workers=$(pgrep -P "$pid" | tr '\n' ' ')
	labs=
	for w in $workers; do
		labs+=$(tcprig_labs | grep "^tcprig-$w-")
	done
	[ -n "$labs" ] && break
	sleep 0.02
done
ok "$([ -n "$labs" ] && echo 0 || echo 1)" "a -j 2 run has its workers' labs up (workers: $workers)"
kill -TERM "$pid"
wait "$pid"
is "$?" 143 "SIGTERM mid-run: the run ends with the signal's status"
left=
for w in $workers; do
	left+=$(tcprig_labs | grep "^tcprig-$w-")
done
is "$left" "" "SIGTERM mid-run: none of the workers' labs is left"
is "$(stale_labs "$TCPRIG")" "" "SIGTERM mid-run: tcprig lab list shows no stale lab"
like "$(cat "$tmp/stopped.out")" 'stopped by signal 15' "SIGTERM mid-run: says it was stopped"

out=$("$TCPRIG" run -j 2 "$here/cases_run/slow" 2>&1)
is "$?" 0 "a slow case without --slow: exit 0"
like "$out" '^SKIP  .*slow/tagged\.pkt' "a '// tags: slow' case is SKIP without --slow"
like "$out" 'slow case: run with --slow' "and says how to run it"
like "$out" '^PASS  .*tag_after_first_event\.pkt' "a tags line after the first event is no tag"
out=$("$TCPRIG" run --tap --slow "$here/cases_run/slow" 2>&1)
is "$?" 0 "with --slow: exit 0"
like "$out" '^ok 2 - .*slow/tagged\.pkt \(' "with --slow the tagged case runs and passes"

"$TCPRIG" run -j 0 "$par" >/dev/null 2>&1
is "$?" 2 "-j 0: bad input"
out=$("$TCPRIG" run --jobs 65 "$par" 2>&1)
is "$?" 2 "--jobs 65: bad input"
like "$out" '--jobs' "names the option"

is "$(stale_labs "$TCPRIG")" "" "no lab left behind (none whose creator is gone)"
done_testing
