#!/usr/bin/env bash
# --shard K/N and merge: the N slices of list are disjoint and together hold
# every case, in every N from 1 to 7; run's shards, merged, give the
# unsharded run's results (case by case: path, verdict, outcome; and the
# summary); merge refuses overlapping reports and what is no report.
TCPRIG=${1:?usage: shard.sh path/to/tcprig}
. "$(dirname "$0")/tap.sh"
here=$(cd "$(dirname "$0")/../.." && pwd)
cd "$here" || exit 1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

all=$("$TCPRIG" list cases/basic cases/timewait | grep '\.pkt$')
n_all=$(printf '%s\n' "$all" | wc -l)
for n in 1 2 3 5 7; do
	: >"$tmp/slices"
	sizes=""
	for k in $(seq 1 $n); do
		"$TCPRIG" list --shard "$k/$n" cases/basic cases/timewait | grep '\.pkt$' >"$tmp/s$k"
		cat "$tmp/s$k" >>"$tmp/slices"
		sizes="$sizes $(wc -l <"$tmp/s$k")"
	done
	is "$(sort "$tmp/slices" | uniq -d)" "" "--shard K/$n: no case in two slices"
	is "$(sort "$tmp/slices")" "$(printf '%s\n' "$all" | sort)" \
		"--shard K/$n: the slices together hold every case ($n_all)"
	min=$(printf '%s\n' $sizes | sort -n | head -n 1)
	max=$(printf '%s\n' $sizes | sort -n | tail -n 1)
	ok "$([ $((max - min)) -le 1 ]; echo $?)" "--shard K/$n: sizes differ by one at most ($sizes)"
done
is "$("$TCPRIG" list --shard 2/3 cases/basic | grep '\.pkt$')" \
	"$("$TCPRIG" list --shard 2/3 cases/basic | grep '\.pkt$')" "the same slice twice"
for bad in 0/3 4/3 3 1/0 a/b 1/3x -1/3 1/1001; do
	"$TCPRIG" list --shard "$bad" cases/basic >/dev/null 2>"$tmp/err"
	is "$?" 2 "--shard $bad: exit 2"
done
like "$(cat "$tmp/err")" "'1/1001'" "naming the value"

# Merging JSON: needs labs.
if [ "$(id -u)" -ne 0 ]; then
	ok 0 "# SKIP merge of real runs needs root (labs)"
	done_testing
	exit
fi
"$TCPRIG" run -j 2 --json "$tmp/whole.json" cases/basic >/dev/null 2>&1
for k in 1 2 3; do
	"$TCPRIG" run -j 2 --shard "$k/3" --json "$tmp/part$k.json" cases/basic >/dev/null 2>&1
done
"$TCPRIG" merge -o "$tmp/merged.json" "$tmp/part3.json" "$tmp/part1.json" "$tmp/part2.json"
is "$?" 0 "merge of the three shards' JSON: exit 0"
# What a run says about each case; timings and events differ from run to run.
digest() {
	python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
s = d["summary"]
print("summary", s["passed"] + s["inconclusive"], s["failed"], s["skipped"], s["errors"])
for c in d["cases"]:
    v = "PASS" if c["verdict"] == "INCONCLUSIVE" else c["verdict"]
    print(c["path"], c["config"], v, c.get("outcome"))
' "$1"
}
whole=$(digest "$tmp/whole.json")
is "$(digest "$tmp/merged.json")" "$whole" "merged = the unsharded run: every case, its verdict, the summary"
like "$whole" "cases/basic/time_wait_state.pkt None PASS" "(the digest holds the cases)"
is "$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["cases"]))' "$tmp/merged.json")" \
	"$(ls cases/basic/*.pkt | wc -l)" "every case once"
"$TCPRIG" merge "$tmp/part1.json" "$tmp/part1.json" >"$tmp/out" 2>"$tmp/err"
is "$?" 2 "a report given twice: exit 2"
like "$(cat "$tmp/err")" 'is in both .*part1\.json and .*part1\.json' "naming the case and the files"
is "$(cat "$tmp/out")" "" "and nothing written"
printf '{"tool":"other"}\n' >"$tmp/bad.json"
"$TCPRIG" merge "$tmp/part1.json" "$tmp/bad.json" >/dev/null 2>"$tmp/err"
is "$?" 2 "what is no tcprig report: exit 2"
like "$(cat "$tmp/err")" 'bad\.json:1: not a tcprig JSON report' "with file:line"
head -c 300 "$tmp/part1.json" >"$tmp/cut.json"
"$TCPRIG" merge "$tmp/cut.json" >/dev/null 2>"$tmp/err"
is "$?" 2 "a report cut short: exit 2"
done_testing
