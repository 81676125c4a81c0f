#!/usr/bin/env bash
# 'tcprig matrix --family': a row per case and family, each run in the
# family it says. The cells fail when the family is ignored: family_socket
# passes only when the target's listener is AF_INET6, bindv6only only when
# its socket is AF_INET6 and the net.ipv6.* knob reached the lab's target
# namespace (dual under bindv6only=0, v6only under 1). Also: the family
# column of the text table, the JSON's config, the HTML page, --cells, a
# '// family: ipv4' case skipped on IPv6 with its reason, --shard and merge,
# the output without --family as it always was, and bad input.
TCPRIG=${1:?usage: matrix6.sh path/to/tcprig}
. "$(dirname "$0")/tap.sh"
require_lab_privileges
here=$(cd "$(dirname "$0")/.." && pwd)
d=$here/cases_run/ipv6
tmp=$(mktemp -d)
trap 'cleanup_labs; rm -rf "$tmp"' EXIT

out=$("$TCPRIG" matrix --family inet6 --sysctl net.ipv6.bindv6only=0,1 "$d/bindv6only.pkt" 2>&1)
is "$?" 2 "--family inet6: exit 2"
is "$out" "$TCPRIG matrix: --family inet6: ipv4, ipv6 or both" "one line naming the value"
out=$("$TCPRIG" matrix --family both --target 203.0.113.2 --iface lo \
	--sysctl net.ipv6.bindv6only=0,1 "$d/bindv6only.pkt" 2>&1)
is "$?" 2 "--family both with --target: exit 2 (the remote mode is IPv4)"
like "$out" '--target: IPv4 only' "saying why"

cases=("$d/bindv6only.pkt" "$d/family_socket.pkt" "$d/v4_only.pkt")
table=$("$TCPRIG" matrix -j 2 --family both --sysctl net.ipv6.bindv6only=0,1 \
	--json "$tmp/m.json" --html "$tmp/m.html" --cells "$tmp/m.tsv" "${cases[@]}" \
	2>"$tmp/err")
is "$?" 0 "matrix --family both over a net.ipv6 knob: exit 0"
printf '%s\n' "$table" | sed 's/^/# /'
sed 's/^/# /' "$tmp/err"
is "$(printf '%s\n' "$table" | sed -n 1p | awk '{print $1, $2, $3}')" "bindv6only 0 1" \
	"the knob's header row"
like "$table" '^bindv6only +ipv6 +dual +v6only$' \
	"bindv6only on IPv6: the net.ipv6 knob set in the target (dual, then v6only)"
like "$table" '^bindv6only +ipv4 +skip +skip$' "its IPv4 row: skip ('// family: ipv6')"
like "$table" '^family_socket +ipv6 +pass +pass$' "family_socket passes on IPv6 (an AF_INET6 listener)"
like "$table" '^family_socket +ipv4 +FAIL l\.7 +FAIL l\.7$' "and fails on IPv4"
like "$table" '^v4_only +ipv4 +pass +pass$' "v4_only passes on IPv4"
like "$table" '^v4_only +ipv6 +skip +skip$' "and is a skip on IPv6"
is "$(printf '%s\n' "$table" | grep -cE '^[a-z_0-9]+ +ipv[46] ')" 6 "a row per case and family"

python3 - "$tmp/m.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
cells = {}
for c in d["cases"]:
    conf = dict(kv.split("=", 1) for kv in c["config"].split())
    cells[(c["path"].rsplit("/", 1)[1], conf.get("family"), conf.get("net.ipv6.bindv6only"))] = c
want = {
    ("bindv6only.pkt", "ipv6", "0"): ("PASS", "dual"),
    ("bindv6only.pkt", "ipv6", "1"): ("PASS", "v6only"),
    ("family_socket.pkt", "ipv6", "1"): ("PASS", ""),
    ("family_socket.pkt", "ipv4", "1"): ("FAIL", ""),
}
bad = len(cells) != 12
for k, v in want.items():
    c = cells.get(k)
    if not c or (c["verdict"], c["outcome"]) != v:
        print(f"# {k}: {c and (c['verdict'], c['outcome'])}, want {v}")
        bad = True
skip = cells.get(("v4_only.pkt", "ipv6", "0"))
if not skip or skip["verdict"] != "SKIP" or not skip["reason"].startswith("IPv4 only: a stand-in"):
    print(f"# v4_only on IPv6: {skip and (skip['verdict'], skip['reason'])}")
    bad = True
if not all(c["config"].startswith("family=") for c in d["cases"]):
    print("# a config without its family")
    bad = True
sys.exit(1 if bad else 0)
PY
ok $? "JSON: 12 cells, each config led by family=, the verdicts and the skip's reason"
like "$(cat "$tmp/m.tsv")" "bindv6only\.pkt	family=ipv6 bindv6only=1	v6only" \
	"--cells: the family leads the combination"
check "the HTML page is well-formed XML" -- xmllint --noout "$tmp/m.html"
is "$(grep -o '<th scope="row" class="family">ipv[46]</th>' "$tmp/m.html" | wc -l)" 6 \
	"HTML: a family cell per row"
like "$(cat "$tmp/m.html")" 'bindv6only.pkt &#183; ipv6 &#183; bindv6only=1' \
	"HTML: a cell's section names its family"

# --shard: a slice is of cases, each with both families; merge joins the
# shards' JSON into the unsharded run's cells (the family in the config
# keeps a case's two rows apart).
for k in 1 2; do
	"$TCPRIG" matrix -j 2 --family both --shard "$k/2" --sysctl net.ipv6.bindv6only=0,1 \
		--json "$tmp/p$k.json" "${cases[@]}" >/dev/null 2>&1
done
"$TCPRIG" merge -o "$tmp/merged.json" "$tmp/p2.json" "$tmp/p1.json"
is "$?" 0 "merge of two --family both shards: exit 0"
digest() {
	python3 -c '
import json, sys
for c in sorted(json.load(open(sys.argv[1]))["cases"], key=lambda c: (c["path"], c["config"])):
    print(c["path"].rsplit("/", 1)[1], c["config"], c["verdict"], c["outcome"])
' "$1"
}
is "$(digest "$tmp/merged.json")" "$(digest "$tmp/m.json")" \
	"the merged shards: the unsharded matrix's 12 cells, family by family"

table=$("$TCPRIG" matrix --family ipv6 --sysctl net.ipv6.bindv6only=1 "${cases[@]}" 2>&1)
is "$?" 0 "--family ipv6: exit 0"
is "$(printf '%s\n' "$table" | grep -cE ' ipv4 ')" 0 "no IPv4 row"
like "$table" '^family_socket +ipv6 +pass$' "family_socket passes"

# Without --family: each case once, in its own family, no family column.
table=$("$TCPRIG" matrix --sysctl net.ipv6.bindv6only=1 --cells "$tmp/d.tsv" "${cases[@]}" 2>&1)
is "$?" 0 "no --family: exit 0"
like "$table" '^family_socket +FAIL l\.7$' "family_socket in its own family, IPv4: FAIL"
like "$table" '^bindv6only +v6only$' "bindv6only in its own, IPv6"
unlike "$table" ' ipv[46] ' "no family column"
unlike "$(cat "$tmp/d.tsv")" 'family=' "--cells: no family in the combination"

done_testing
