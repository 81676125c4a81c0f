#!/usr/bin/env bash
# tcprig matrix --kernel: the basic cases on this host's kernel and in a
# guest kernel, one table, a column per kernel (uname -r), rows where they
# differ marked '*'. 6.1's default tcp_rmem[2] (6 MiB) offers window scale 7
# where this host's 32 MiB offers 10, so the cases that check a SYN's options
# differ; with the guest's tcp_rmem set like the host's (--vm-append
# sysctl....) they do not. Needs root (the host column), qemu and an image.
TCPRIG=${1:?usage: vm_matrix.sh path/to/tcprig}
. "$(dirname "$0")/tap.sh"
here=$(cd "$(dirname "$0")/../.." && pwd)
TCPRIG=$(cd "$(dirname "$TCPRIG")" && pwd)/$(basename "$TCPRIG")

require_lab_privileges
command -v qemu-system-x86_64 >/dev/null ||
	skip_all "qemu-system-x86_64 absent (apt-get install qemu-system-x86)"
kernel=${TCPRIG_VM_KERNEL:-$(ls /var/cache/tcprig/kernels/*/boot/vmlinuz-* 2>/dev/null | head -n 1)}
[ -n "$kernel" ] && [ -f "$kernel" ] ||
	skip_all "no kernel image: set TCPRIG_VM_KERNEL or run scripts/kernels /var/cache/tcprig/kernels"
release=$(basename "$kernel")
release=${release#vmlinuz-}
[ "$release" != "$(uname -r)" ] || skip_all "the image is the host's own kernel: nothing to compare"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export TMPDIR=$tmp
cd "$here" || exit 1
host_rmem=$(sysctl -n net.ipv4.tcp_rmem | tr '\t' ' ')

out=$(timeout 600 "$TCPRIG" matrix --kernel host --kernel "$kernel" --tolerance-usecs 50000 \
	--html "$tmp/k.html" --json "$tmp/k.json" cases/basic 2>"$tmp/err")
is "$?" 0 "matrix --kernel host --kernel IMAGE exits 0"
like "$(printf '%s\n' "$out" | head -n 1)" "^  case +$(uname -r) +$release\$" \
	"a column per kernel, named by its release"
is "$(printf '%s\n' "$out" | grep -c '\.pkt ')" "$(ls cases/basic/*.pkt | wc -l)" "a row per case"
if [ "$host_rmem" = "4096 131072 33554432" ]; then
	like "$(printf '%s\n' "$out" | grep ' passive_open\.pkt ')" \
		'^\* passive_open\.pkt +pass +FAIL l\.[0-9]+ tcp option 5 \(wscale\)$' \
		"a row where the kernels differ is marked, each cell says what happened"
else
	diag "host tcp_rmem is '$host_rmem', not 6.18's default: the wscale row is not checked"
fi
like "$(printf '%s\n' "$out" | grep ' rst_closed_port\.pkt ')" '^  rst_closed_port\.pkt +pass +pass$' \
	"a row where they agree is not"
html=$(cat "$tmp/k.html")
like "$html" "<th>$(uname -r)</th><th>$release</th>" "--html: a column per kernel"
like "$html" '<tr><th>rst_closed_port\.pkt</th><td class="ok">pass</td><td class="ok">pass</td></tr>' \
	"--html: an agreeing row as it is"
is "$(grep -c '<tr class="differ"><th>\* ' "$tmp/k.html")" \
	"$(printf '%s\n' "$out" | grep -c '^\* ')" "--html: the same rows marked as on the terminal"
# --json: every case once per kernel, its config naming the kernel; the same
# verdicts as the table.
jd=$(python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
for c in d["cases"]:
    print(c["config"], c["path"].split("/")[-1], c["verdict"])
' "$tmp/k.json" 2>&1)
is "$(printf '%s\n' "$jd" | grep -c "^kernel=$(uname -r) ")" "$(ls cases/basic/*.pkt | wc -l)" \
	"--json: every case on the host"
is "$(printf '%s\n' "$jd" | grep -c "^kernel=$release ")" "$(ls cases/basic/*.pkt | wc -l)" \
	"--json: every case in the guest"
like "$jd" "^kernel=$release rst_closed_port\.pkt PASS\$" "--json: a guest's verdict"
if command -v xmllint >/dev/null; then
	check "--html: well-formed" -- xmllint --noout "$tmp/k.html"
fi
like "$out" '\*: the kernels differ \([0-9]+ of [0-9]+ rows\)' "the count of differing rows"

# The guest's tcp_rmem set as the host's: the window scale agrees, so does
# every basic case.
out=$(timeout 600 "$TCPRIG" matrix --kernel host --kernel "$kernel" --tolerance-usecs 50000 \
	--vm-append "sysctl.net.ipv4.tcp_rmem=\"$host_rmem\"" cases/basic 2>"$tmp/err")
is "$?" 0 "with --vm-append: exits 0"
if printf '%s\n' "$out" | grep -q inconclusive; then
	ok 0 "# SKIP a cell was inconclusive (a loaded machine): agreement not checked"
else
	like "$out" '\*: the kernels differ \(0 of [0-9]+ rows\)' \
		"with the host's tcp_rmem in the guest, no row differs"
fi

# --family carried into every kernel's matrix: a row per case, family and
# combination, the family leading the combination; bindv6only's IPv6 rows
# read the net.ipv6 knob back in each kernel (the guest's too), its IPv4
# rows are skips (it says '// family: ipv6').
out=$(timeout 600 "$TCPRIG" matrix --kernel host --kernel "$kernel" --tolerance-usecs 50000 \
	--family both --sysctl net.ipv6.bindv6only=0,1 --json "$tmp/f.json" \
	tests/cases_run/ipv6/bindv6only.pkt 2>"$tmp/err")
is "$?" 0 "--kernel with --family both: exits 0"
printf '%s\n' "$out" | sed 's/^/# /'
like "$out" '^  bindv6only\.pkt family=ipv6 bindv6only=0 +dual +dual$' \
	"the IPv6 row, bindv6only=0: dual-stack socket in both kernels"
like "$out" '^  bindv6only\.pkt family=ipv6 bindv6only=1 +v6only +v6only$' \
	"bindv6only=1: IPv6-only in both kernels (the knob and the family reached the guest)"
like "$out" '^  bindv6only\.pkt family=ipv4 bindv6only=1 +skip +skip$' "the IPv4 rows: skips"
is "$(python3 -c '
import json, sys
print(sum(c["config"].split()[1:2] == ["family=ipv6"] for c in json.load(open(sys.argv[1]))["cases"]))
' "$tmp/f.json" 2>&1)" 4 "--json: kernel=R family=ipv6 ... for the IPv6 cells of both kernels"

# Bad input: exit 2, nothing boots.
"$TCPRIG" matrix --kernel host --kernel /etc/hostname cases/basic >/dev/null 2>"$tmp/err"
is "$?" 2 "an image that is no bzImage: exit 2"
like "$(cat "$tmp/err")" 'not a bzImage' "named"
"$TCPRIG" matrix --kernel host --cells "$tmp/x.tsv" cases/basic >/dev/null 2>&1
is "$?" 2 "--cells with --kernel: exit 2"
done_testing
