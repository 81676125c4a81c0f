#!/usr/bin/env bash
# 'tcprig matrix': every case under every combination of two knobs, and the
# table's cells are what single-config runs of the same cases report
# (`run --sysctl ... --json`) for each combination: verdict and outcome.
# Also: the text table's shape, the JSON's and HTML's presence, bad input.
TCPRIG=${1:?usage: matrix.sh path/to/tcprig [CASE_DIR...]}
shift
. "$(dirname "$0")/tap.sh"
require_lab_privileges
here=$(cd "$(dirname "$0")/../.." && pwd)
[ $# -gt 0 ] || set -- "$here/cases/risks" "$here/cases/timewait"
tmp=$(mktemp -d)
trap 'cleanup_labs; rm -rf "$tmp"' EXIT

out=$("$TCPRIG" matrix cases 2>&1)
is "$?" 2 "no --sysctl: exit 2"
like "$out" 'no --sysctl' "it says what is missing"
out=$("$TCPRIG" matrix --sysctl net.ipv4.tcp_tw_reuse "$@" 2>&1)
is "$?" 2 "a knob without values: exit 2"
like "$out" "tcp_tw_reuse" "it names the knob"
out=$("$TCPRIG" matrix --sysctl kernel.panic=0,1 "$@" 2>&1)
is "$?" 2 "a knob outside net.*: exit 2"
out=$("$TCPRIG" matrix --sysctl net.ipv4.tcp_rfc1337=0,1 --html /nonexistent/dir/x.html "$@" 2>&1)
is "$?" 2 "an --html file that cannot be written: exit 2 before anything runs"

k1=net.ipv4.tcp_tw_reuse k2=net.ipv4.tcp_timestamps
table=$("$TCPRIG" matrix -j 2 --sysctl $k1=0,1 --sysctl $k2=0,1 \
	--json "$tmp/matrix.json" --html "$tmp/matrix.html" "$@" 2>"$tmp/matrix.err")
st=$?
is "$st" 0 "matrix over $k1 x $k2: exit 0 (every cell ran)"
[ "$st" -eq 0 ] || sed 's/^/# /' "$tmp/matrix.err"
printf '%s\n' "$table" | sed 's/^/# /'
ncases=$(find "$@" -name '*.pkt' | wc -l)
is "$(printf '%s\n' "$table" | sed -n 1p | awk '{print $1, NF}')" "tw_reuse 5" \
	"header row 1: the first knob and its value over 4 columns"
is "$(printf '%s\n' "$table" | sed -n 2p | awk '{print $1, $2, $3, $4, $5}')" \
	"timestamps 0 1 0 1" "header row 2: the second knob varies fastest"
is "$(printf '%s\n' "$table" | sed -n "3,$((ncases + 2))p" | wc -l)" "$ncases" \
	"a row per case"
# A cell the rig was late for on every try says nothing (a skip, as in
# twmatrix.sh); the cells it did conclude must still be these.
row='^stale_rst_kills_reused_port +refused +refused +refused +reused killed!'
if printf '%s\n' "$table" | grep -Eq '^stale_rst_kills_reused_port .*inconclusive' &&
	! printf '%s\n' "$table" | grep -Eq '^stale_rst_kills_reused_port .*FAIL'; then
	like "$table" '^stale_rst_kills_reused_port +(refused|inconclusive) +(refused|inconclusive) +(refused|inconclusive) +(reused killed!|inconclusive)$' \
		"the stale-RST row: only tw_reuse=1 with timestamps reuses the port, and the RST kills (the cells concluded; some inconclusive)"
else
	like "$table" "$row" \
		"the stale-RST row: only tw_reuse=1 with timestamps reuses the port, and the RST kills"
fi
check "the HTML report was written" -- test -s "$tmp/matrix.html"

# The same cases, one single-config run per combination.
for v1 in 0 1; do
	for v2 in 0 1; do
		"$TCPRIG" run -j 2 --sysctl $k1=$v1 --sysctl $k2=$v2 \
			--json "$tmp/run-$v1-$v2.json" "$@" >"$tmp/run-$v1-$v2.out" 2>&1
		st=$?
		ok $((st == 3 ? 1 : 0)) "run --sysctl $k1=$v1 --sysctl $k2=$v2: every case ran (exit $st)"
	done
done
python3 - "$tmp" "$k1" "$k2" <<'PY'
import json, sys
tmp, k1, k2 = sys.argv[1:4]
m = json.load(open(f"{tmp}/matrix.json"))
cells = {}
reasons = {}
for c in m["cases"]:
    conf = dict(kv.split("=", 1) for kv in c["config"].split())
    cells[(c["path"], conf[k1], conf[k2])] = (c["verdict"], c["outcome"])
    reasons[(c["path"], conf[k1], conf[k2])] = c["reason"]
bad = 0
n = 0
untold = 0
for v1 in "01":
    for v2 in "01":
        r = json.load(open(f"{tmp}/run-{v1}-{v2}.json"))
        for c in r["cases"]:
            n += 1
            want = (c["verdict"], c["outcome"])
            got = cells.get((c["path"], v1, v2))
            # The rig late even after its retries: that side says nothing
            # about the target, so there is nothing to compare.
            if "INCONCLUSIVE" in (want[0], got and got[0]):
                untold += 1
                print(f"# {c['path']} {k1}={v1} {k2}={v2}: matrix {got}, run {want}: not compared")
                continue
            if got != want:
                bad += 1
                print(f"# {c['path']} {k1}={v1} {k2}={v2}: matrix {got}, run {want}")
                for who, why in (("matrix", reasons.get((c["path"], v1, v2), "")),
                                 ("run", c["reason"])):
                    for line in why.splitlines():
                        print(f"#   {who}: {line}")
print(f"# compared {n - untold} cells with {len(cells)} in the matrix ({untold} inconclusive)")
sys.exit(1 if bad or n != len(cells) or n == 0 or untold * 4 > n else 0)
PY
ok $? "every matrix cell has the verdict and outcome of the single-config run"

done_testing
