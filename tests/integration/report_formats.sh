#!/usr/bin/env bash
# The JSON and JUnit reports of a made-up run (tests/test_report.c writes
# them): the JUnit file valid against tests/schema/junit.xsd, the JSON read
# back, both agreeing on every case's verdict and on the counts, and
# report_agree.py, the checker for real runs, agreeing with them and a TAP
# text written here by hand, and disagreeing when one of them lies.
# No lab, no root; skipped only without xmllint or python3.
TEST_REPORT=${1:?usage: report_formats.sh path/to/test_report path/to/junit.xsd}
XSD=${2:?usage: report_formats.sh path/to/test_report path/to/junit.xsd}
. "$(dirname "$0")/tap.sh"
here=$(cd "$(dirname "$0")" && pwd)
AGREE=$here/report_agree.py

command -v xmllint >/dev/null 2>&1 || skip_all "no xmllint (Debian: libxml2-utils)"
command -v python3 >/dev/null 2>&1 || skip_all "no python3"

dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
out=$dir/out

"$TEST_REPORT" "$out" >"$dir/test_report.tap" 2>&1
ok $? "test_report writes the reports (its own checks pass)"
[ "$tap_failed" -eq 0 ] || sed 's/^/#   | /' "$dir/test_report.tap"

# --- JUnit against the schema ----------------------------------------------

msg=$(xmllint --noout --schema "$XSD" "$out/report.xml" 2>&1)
ok $? "report.xml is valid against junit.xsd"
[ -z "$msg" ] || [ "$msg" = "$out/report.xml validates" ] || diag "$msg"
check "an empty run's JUnit is valid too" -- xmllint --noout --schema "$XSD" "$out/empty.xml"

# The schema is worth something only if it rejects what CI systems would
# misread: a case with two outcomes, a count that is no number, a misspelt
# attribute, an element out of place.
bad() { # bad DESCRIPTION SED-EXPRESSION
	sed "$2" "$out/report.xml" >"$dir/bad.xml"
	if cmp -s "$out/report.xml" "$dir/bad.xml"; then
		ok 1 "the schema rejects $1 (the edit changed nothing)"
		return
	fi
	xmllint --noout --schema "$XSD" "$dir/bad.xml" >/dev/null 2>&1
	[ $? -ne 0 ]
	ok $? "the schema rejects $1"
}
bad "a testcase with two outcomes" 's|<skipped |<failure type="FAIL"/><skipped |'
bad "a count that is no number" '0,/ tests="8"/s// tests="eight"/'
bad "a negative time" '0,/ time="0\.123456"/s// time="-0.123456"/'
bad "a misspelt attribute" '0,/ classname=/s// class=/'
bad "a testcase without a name" '0,/<testcase name="[^"]*"/s//<testcase/'
bad "system-out before the outcome" 's|<skipped |<system-out/><skipped |'

# --- JSON read back, and its verdicts against JUnit's ----------------------

py=$(python3 - "$out/report.json" "$out/report.xml" <<'EOF' 2>&1
import json, sys
import xml.etree.ElementTree as ET

doc = json.load(open(sys.argv[1], encoding="utf-8"))
errors = []
def want(what, got, exp):
    if got != exp:
        errors.append(f"{what}: got {got!r}, want {exp!r}")

want("top-level keys", sorted(doc), ["cases", "summary", "tool", "version"])
want("tool", doc["tool"], "tcprig")
want("version", doc["version"], 1)
want("summary", doc["summary"],
     dict(passed=2, failed=3, skipped=1, inconclusive=1, errors=1))
cases = doc["cases"]
want("number of cases", len(cases), 8)
want("verdicts", [c["verdict"] for c in cases],
     ["PASS", "FAIL", "SKIP", "INCONCLUSIVE", "ERROR", "FAIL", "FAIL", "PASS"])
case_keys = sorted(["path", "config", "verdict", "line", "reason", "elapsed_s", "outcome",
                    "events_done", "trace_overflow", "tries", "events"])
event_keys = sorted(["kind", "t", "t_end", "line", "status", "wire", "wire_t", "outcome",
                     "field", "expected", "actual", "note"])
for i, c in enumerate(cases):
    want(f"case {i + 1} keys", sorted(c), case_keys)
    for k, e in enumerate(c["events"]):
        want(f"case {i + 1} event {k + 1} keys", sorted(e), event_keys)
want("case 2 failed field", [e["field"] for e in cases[1]["events"] if e["field"]],
     ["tcp flags"])
want("case 5 reason", cases[4]["reason"],
     "lab: cannot create network namespace: Operation not permitted")
want("case 6 path", cases[5]["path"], 'cases/odd/we"ird <&> ]]>.pkt')
want("case 6 outcome", cases[5]["outcome"], 'a"b\\c')
want("case 6 reason starts", cases[5]["reason"][:45],
     'cases/odd/we"ird <&> ]]>.pkt:20: "quoted" <ta')
want("case 6 reason's bad bytes", "\ufffd" in cases[5]["reason"] and "\u00e9" in cases[5]["reason"],
     True)

# JUnit's verdicts, in the same order.
root = ET.parse(sys.argv[2]).getroot()
junit = []
for tc in root.iter("testcase"):
    o = [c for c in tc if c.tag in ("failure", "error", "skipped")]
    if not o:
        junit.append("PASS")
    elif o[0].tag == "failure":
        junit.append("INCONCLUSIVE" if o[0].get("type") == "INCONCLUSIVE" else "FAIL")
    else:
        junit.append(dict(error="ERROR", skipped="SKIP")[o[0].tag])
    want(f"testcase {len(junit)} system-out", tc.find("system-out") is not None, True)
want("JUnit verdicts = JSON verdicts", junit, [c["verdict"] for c in cases])
names = [c["path"] + (f" [{c['config']}]" if c["config"] is not None else "") for c in cases]
want("JUnit names = JSON path [config]", [tc.get("name") for tc in root.iter("testcase")], names)
suite = root.find("testsuite")
for el in (root, suite):
    want(f"<{el.tag}> counts", [el.get(k) for k in ("tests", "failures", "errors", "skipped")],
         ["8", "4", "1", "1"])
fail = root.findall(".//testcase")[1].find("failure")
want("a FAIL's message", fail.get("message"), "line 14: tcp flags: expected ., actual R")
want("a FAIL's text is the reason", fail.text, cases[1]["reason"])
out6 = root.findall(".//testcase")[5].find("system-out").text or ""
want("]]> survives the CDATA in the ladder", "<]]> \"x\" & y>" in out6, True)
for e in errors:
    print(e)
sys.exit(1 if errors else 0)
EOF
)
ok $? "JSON reads back: shape, counts, verdicts; JUnit agrees case by case"
[ -z "$py" ] || diag "$py"

py=$(python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); sys.exit(d["cases"] != [] or any(d["summary"].values()))' "$out/empty.json" 2>&1)
ok $? "an empty run's JSON: no cases, zero counts"
[ -z "$py" ] || diag "$py"

# --- report_agree.py -------------------------------------------------------

# What `tcprig run --tap` prints for the same run (see run_print in
# src/cmd/run.c).
cat >"$dir/run.tap" <<'EOF'
TAP version 13
ok 1 - cases/basic/passive_open.pkt (0.12 s, outcome ack)
not ok 2 - cases/timewait/tw_reack_fin.pkt (2.50 s)
# cases/timewait/tw_reack_fin.pkt:14: > . 1:1(0) ack 2 win 257
#   expected: 8080>40000 . 1:1(0) ack 2 win 257
#   actual:   8080>40000 R 1:1(0) win 0
#   tcp flags: expected ., actual R
ok 3 - cases/timewait/tw_rfc1337.pkt # SKIP net.ipv4.tcp_rfc1337: no such sysctl on this kernel
	sysctl said:
unknown key
ok 4 - cases/timewait/tw_reuse.pkt [net.ipv4.tcp_tw_reuse=1] # SKIP inconclusive: the target sent a segment for line 9 that the rig never got
# cases/timewait/tw_reuse.pkt:9: > . 1:1(0) ack 2
#   no segment in its window
not ok 5 - cases/basic/active_open.pkt (0.00 s)
# could not run: lab: cannot create network namespace: Operation not permitted
not ok 6 - cases/odd/we"ird <&> ]]>.pkt [a="1" & b=<2>] (0.00 s, outcome a"b\c)
# cases/odd/we"ird <&> ]]>.pkt:20: "quoted"
not ok 7 - cases/basic/close.pkt (0.00 s)
# cases/basic/close.pkt:31: close(4) = 0
#   close: expected = 0, actual = -1 EBADF
ok 8 - tw_reuse.pkt [net.ipv4.tcp_tw_reuse=0] (0.80 s)
1..8
EOF
msg=$(python3 "$AGREE" "$dir/run.tap" "$out/report.xml" "$out/report.json" 2>&1)
ok $? "report_agree: TAP, JUnit and JSON of the run agree"
like "$msg" '^report_agree: 8 cases agree \(2 PASS, 3 FAIL, 1 SKIP, 1 INCONCLUSIVE, 1 ERROR\)$' \
	"and it says how many, by verdict"

disagree() { # disagree DESCRIPTION TAP JUNIT JSON REGEX
	local msg
	msg=$(python3 "$AGREE" "$2" "$3" "$4" 2>&1)
	is "$?" 1 "report_agree: exit 1 when $1"
	like "$msg" "$5" "  naming the case and what each report says"
}
sed 's/^not ok 2 - /ok 2 - /' "$dir/run.tap" >"$dir/pass.tap"
disagree "TAP passes a FAIL" "$dir/pass.tap" "$out/report.xml" "$out/report.json" \
	"case 2 'cases/timewait/tw_reack_fin.pkt': verdicts differ"
sed 's/# SKIP inconclusive: /# SKIP /' "$dir/run.tap" >"$dir/skip.tap"
disagree "TAP calls an INCONCLUSIVE a SKIP" "$dir/skip.tap" "$out/report.xml" \
	"$out/report.json" "TAP: +ok # SKIP -> SKIP"
sed 's/^# could not run: .*/# cases\/basic\/active_open.pkt:1: no/' "$dir/run.tap" >"$dir/err.tap"
msg=$(python3 "$AGREE" "$dir/err.tap" "$out/report.xml" "$out/report.json" 2>&1)
ok $? "a not ok agrees with an ERROR without 'could not run' too"
python3 - "$out/report.json" "$dir/lie.json" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
d["cases"][4]["verdict"] = "FAIL"
d["summary"]["errors"] -= 1
d["summary"]["failed"] += 1
json.dump(d, open(sys.argv[2], "w"))
EOF
disagree "JSON calls an error a FAIL" "$dir/run.tap" "$out/report.xml" "$dir/lie.json" \
	"JUnit: <error> -> ERROR"
sed 's/"inconclusive":1/"inconclusive":0/' "$out/report.json" >"$dir/count.json"
disagree "JSON's summary does not add up" "$dir/run.tap" "$out/report.xml" "$dir/count.json" \
	'JSON: summary says "inconclusive": 0, its cases make 1'
sed '0,/<testsuite \(.*\) failures="4"/s//<testsuite \1 failures="3"/' "$out/report.xml" \
	>"$dir/count.xml"
disagree "a JUnit count does not add up" "$dir/run.tap" "$dir/count.xml" "$out/report.json" \
	'JUnit: testsuite "tcprig" says failures="3", its testcases make 4'
sed '/^ok 8 /d; s/^1\.\.8/1..7/' "$dir/run.tap" >"$dir/short.tap"
disagree "TAP lacks a case" "$dir/short.tap" "$out/report.xml" "$out/report.json" \
	"case counts differ: TAP 7, JUnit 8, JSON 8"
python3 "$AGREE" "$dir/run.tap" "$out/report.xml" "$dir/nonexistent.json" >/dev/null 2>&1
is "$?" 2 "report_agree: exit 2 when a file is missing"
done_testing
