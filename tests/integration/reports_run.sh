#!/usr/bin/env bash
# A real run's three machine outputs: TAP on stdout, --junit and --json
# files. They agree on every case's verdict (report_agree.py), the JUnit file
# is valid against tests/schema/junit.xsd, the JSON parses back with an event
# per settled line, and a failing case prints a ladder that marks the line
# that failed, with the first differing field.
TCPRIG=${1:?usage: reports_run.sh path/to/tcprig}
. "$(dirname "$0")/tap.sh"
require_lab_privileges
here=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'cleanup_labs; rm -rf "$tmp"' EXIT
cases=("$here/cases_run/parallel" "$here/cases_run/knob_absent.pkt"
	"$here/cases_run/worker_dies" "$here/../cases/risks/fin_retransmit_after_close.pkt")

"$TCPRIG" run --tap -j 2 --junit "$tmp/out.xml" --json "$tmp/out.json" "${cases[@]}" \
	>"$tmp/out.tap" 2>"$tmp/out.err"
st=$?
is_status "$st" 1 "a failing case among them: exit 1" "$(sed -n 's/^ok [0-9]* - \(.*\) # SKIP inconclusive.*/INCONCLUSIVE \1/p' "$tmp/out.tap")"
check "the JUnit file is valid against the schema" -- \
	xmllint --noout --schema "$here/schema/junit.xsd" "$tmp/out.xml"
out=$(python3 "$here/integration/report_agree.py" "$tmp/out.tap" "$tmp/out.xml" "$tmp/out.json" 2>&1)
ok $? "TAP, JUnit and JSON agree on every verdict"
diag "$out"
python3 - "$tmp/out.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
v = {c["path"].rsplit("/", 1)[1]: c for c in d["cases"]}
# A case the rig could not conclude (late on every try) says nothing here.
late = lambda c: c["verdict"] == "INCONCLUSIVE" and "rig late by" in c["reason"]
if not late(v["c_fails.pkt"]):
    assert v["c_fails.pkt"]["verdict"] == "FAIL", v["c_fails.pkt"]["verdict"]
    ev = v["c_fails.pkt"]["events"]
    failed = [e for e in ev if e["status"] == "failed"]
    assert len(failed) == 1 and failed[0]["line"] == 5 and failed[0]["kind"] == "missing", failed
assert v["kill_worker.pkt"]["verdict"] == "ERROR"
assert v["knob_absent.pkt"]["verdict"] == "SKIP"
fin = v["fin_retransmit_after_close.pkt"]
if not late(fin):
    assert fin["verdict"] == "PASS" and fin["outcome"] == "ack", fin["outcome"]
    sends = [e for e in fin["events"] if e["kind"] == "send"]
    recvs = [e for e in fin["events"] if e["kind"] == "recv"]
    assert len(sends) == 4 and len(recvs) == 4, (len(sends), len(recvs))
    assert all(e["expected"] and e["actual"] for e in sends + recvs)
    assert recvs[-1]["outcome"] == "ack"
PY
ok $? "the JSON parses back: the failed line, the error, the skip, every segment's expected and actual"

# The text output: a failing case gets its ladder, the failed row marked.
if expect_run 1 "one failing case: exit 1" "$here/cases_run/parallel/c_fails.pkt"; then
	like "$out" '^ +time\(s\) +line +rig +target$' "a ladder follows the failure"
	like "$out" '^ +[0-9.]+ +2 +\|---- .*S 1000:1000\(0\) win 32792 -+>\|$' "the rig's SYN as an arrow to the target"
	like "$out" '^ +[0-9.]+ +3 +\|<--- .*R\. 0:0\(0\) ack 1 win 0 -+\|$' "the target's RST as an arrow back"
	like "$out" '^ +[0-9.]+ +5 X ' "the line that failed is marked X"
fi
out=$(NO_COLOR= "$TCPRIG" run --ladder "$here/cases_run/parallel/a_quiet.pkt" 2>&1)
like "$out" 'time\(s\)' "--ladder draws a passing case too"
ok "$(printf '%s' "$out" | grep -c $'\033' | grep -qx 0; echo $?)" "no colour when stdout is not a terminal"
# The target-side capture on the ladder: with this seed the rig's FIN (line
# 15) is lost on the way; the ladder says so, and the line after it is
# INCONCLUSIVE, not FAIL. The loss is the seed's, the same on every try; a
# try the rig was late for before line 15 never gets there, so the first try
# it was not late for is the one judged (the ladder is the last try's).
for try in 1 2 3; do
	out=$(NO_COLOR= TCPRIG_RETRIES=0 "$TCPRIG" run --faults loss=30% --seed 3 \
		--json "$tmp/faults.json" "$here/../cases/basic/active_close.pkt" 2>&1)
	st=$?
	grep -q 'rig late by' <<<"$out" || break
done
if grep -q 'rig late by' <<<"$out"; then
	for what in "a segment lost on the wire: exit 3 (inconclusive)" \
		"the lost FIN stops short of the target's lane, and says why" \
		"segments that crossed say when the target-side capture saw them" \
		"the JSON has the same: one segment lost (line 15), every other with the capture's view"; do
		ok 0 "$what # SKIP the rig was late on all 3 tries"
	done
else
	is "$st" 3 "a segment lost on the wire: exit 3 (inconclusive)"
	like "$out" '^ +[0-9.]+ +15 +\|---- 40000>8080 F\. .*-x +\|  \(lost on the wire: the target never got it\)$' \
		"the lost FIN stops short of the target's lane, and says why"
	like "$out" '\|  \[tgt [0-9.]+\]$' "segments that crossed say when the target-side capture saw them"
	python3 - "$tmp/faults.json" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))["cases"][0]
lost = [e for e in c["events"] if e["wire"] == "lost"]
assert c["verdict"] == "INCONCLUSIVE" and len(lost) == 1 and lost[0]["line"] == 15, lost
assert all(e["wire"] in ("ok", "late", "lost") for e in c["events"] if e["kind"] in ("send", "recv"))
PY
	ok $? "the JSON has the same: one segment lost (line 15), every other with the capture's view"
	[ "$st" = 3 ] || printf '%s\n' "$out" | tail -30 | sed 's/^/#   /'
fi

out=$("$TCPRIG" run --json /nonexistent/dir/x.json "$here/cases_run/parallel/a_quiet.pkt" 2>&1)
is "$?" 2 "--json into a directory that does not exist: exit 2"
like "$out" '/nonexistent/dir/x.json' "it names the file"

done_testing
