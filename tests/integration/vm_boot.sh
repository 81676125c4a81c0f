#!/usr/bin/env bash
# tcprig vm: the basic cases run inside a guest kernel (Debian's 6.1 cloud
# image, under TCG here), their output, exit status and JSON come back, and
# neither the guest nor its work directory is left behind.
# The kernel: $TCPRIG_VM_KERNEL, else the first image scripts/kernels
# unpacked under /var/cache/tcprig/kernels (scripts/test fetches it).
TCPRIG=${1:?usage: vm_boot.sh path/to/tcprig}
. "$(dirname "$0")/tap.sh"
here=$(cd "$(dirname "$0")/../.." && pwd)
TCPRIG=$(cd "$(dirname "$TCPRIG")" && pwd)/$(basename "$TCPRIG")

command -v qemu-system-x86_64 >/dev/null ||
	skip_all "qemu-system-x86_64 absent (apt-get install qemu-system-x86)"
kernel=${TCPRIG_VM_KERNEL:-$(ls /var/cache/tcprig/kernels/*/boot/vmlinuz-* 2>/dev/null | head -n 1)}
[ -n "$kernel" ] && [ -f "$kernel" ] ||
	skip_all "no kernel image: set TCPRIG_VM_KERNEL or run scripts/kernels /var/cache/tcprig/kernels"
release=$(basename "$kernel")
release=${release#vmlinuz-}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export TMPDIR=$tmp/tmp
mkdir -p "$TMPDIR" "$tmp/w"
cd "$tmp/w" || exit 1
cp -r "$here/cases/basic" basic

# Bounded twice: by --timeout, and from outside should the bound itself break.
# Under TCG the guest kernel answers milliseconds late: a 50 ms tolerance
# keeps its slowness from reading as a verdict. The basic cases were written
# on a kernel whose tcp_rmem[2] is 32 MiB (window scale 10): the guest gets
# the same on its command line, so every case must hold there too.
timeout 400 "$TCPRIG" vm --kernel "$kernel" --timeout 300 \
	--append 'sysctl.net.ipv4.tcp_rmem="4096 131072 33554432"' \
	-- run -j 1 --tolerance-usecs 50000 --json r.json basic >out 2>err
status=$?
out=$(cat out)
like "$(cat err)" "^[^ ]+ vm: $release under (KVM|TCG)" "the guest ran $release"
n_cases=$(ls basic/*.pkt | wc -l)
is "$(grep -cE '^(PASS|FAIL|SKIP|INCONCLUSIVE) ' out)" "$n_cases" "a verdict per basic case came back"
like "$out" "^[0-9]+ passed, [0-9]+ failed, [0-9]+ skipped" "and the run's summary"
want=0
grep -q '^INCONCLUSIVE ' out && want=3
grep -q '^FAIL ' out && want=1
is "$status" "$want" "tcprig vm exits with the guest command's status"
is "$(grep -E '^(FAIL|SKIP) ' out)" "" "no case fails or skips in the guest"
ok "$([ -s r.json ] && python3 -c 'import json,sys; d=json.load(open("r.json")); sys.exit(0 if d else 1)' 2>/dev/null; echo $?)" \
	"the JSON the guest wrote came back here, and parses"
like "$(python3 -c 'import json; print(json.dumps(json.load(open("r.json"))))' 2>/dev/null)" \
	'rst_closed_port' "it names the guest's cases"
is "$(ls "$TMPDIR")" "" "no work directory left"
# ([c]: the pattern must not match grep's own command line)
left=$(grep -l -s "$TMPDIR/tcprig-vm\.[A-Za-z0-9]*/[c]onsole" /proc/[0-9]*/cmdline 2>/dev/null || true)
is "$left" "" "no qemu left running"

# The command's own errors come back as they are: exit 2, its message.
timeout 120 "$TCPRIG" vm --kernel "$kernel" --timeout 60 -- list no/such/dir >out 2>err
is "$?" 2 "a bad command in the guest: its exit status 2"
like "$(cat err)" 'no/such/dir' "and its message"

# Bad input on the host: nothing boots.
"$TCPRIG" vm --kernel /etc/hostname -- run basic >/dev/null 2>err
is "$?" 2 "a file that is no bzImage: exit 2"
like "$(cat err)" 'not a bzImage' "named as such"
"$TCPRIG" vm --kernel "$kernel" -- replay x >/dev/null 2>&1
is "$?" 2 "a command that cannot run in a guest: exit 2"
"$TCPRIG" vm --kernel "$kernel" --timeout 0 -- run basic >/dev/null 2>&1
is "$?" 2 "--timeout 0: exit 2"
done_testing
