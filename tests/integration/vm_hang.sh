#!/usr/bin/env bash
# tcprig vm: a guest that never reaches init (rdinit=/nonexistent, no root,
# panic=0: the kernel waits forever) is killed at --timeout, reported, its
# console log kept, and no qemu is left running.
TCPRIG=${1:?usage: vm_hang.sh path/to/tcprig}
. "$(dirname "$0")/tap.sh"
here=$(cd "$(dirname "$0")/../.." && pwd)

command -v qemu-system-x86_64 >/dev/null ||
	skip_all "qemu-system-x86_64 absent (apt-get install qemu-system-x86)"
kernel=${TCPRIG_VM_KERNEL:-$(ls /var/cache/tcprig/kernels/*/boot/vmlinuz-* 2>/dev/null | head -n 1)}
[ -n "$kernel" ] && [ -f "$kernel" ] ||
	skip_all "no kernel image: set TCPRIG_VM_KERNEL or run scripts/kernels /var/cache/tcprig/kernels"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export TMPDIR=$tmp
bound=8
start=$(date +%s%N)
timeout 60 "$TCPRIG" vm --kernel "$kernel" --timeout $bound --append "rdinit=/nonexistent panic=0" \
	-- list "$here/cases/basic" >"$tmp/out" 2>"$tmp/err"
status=$?
took=$((($(date +%s%N) - start) / 1000000))
err=$(cat "$tmp/err")
is "$status" 3 "a hung guest: exit 3"
ok "$([ "$took" -lt $(((bound + 4) * 1000)) ]; echo $?)" \
	"ended within the bound ($took ms for --timeout $bound)"
like "$err" "still running after $bound s: killed" "reported as killed"
log=$(printf '%s\n' "$err" | sed -n 's/.*console log kept: //p')
ok "$([ -f "$log" ]; echo $?)" "the console log is kept"
like "$(cat "$log" 2>/dev/null)" 'Kernel panic|Unable to mount root' "and shows why the guest hung"
is "$(cat "$tmp/out")" "" "nothing on stdout"
# ([c]: the pattern must not match grep's own command line)
left=$(grep -l -s "$tmp/tcprig-vm\.[A-Za-z0-9]*/[c]onsole" /proc/[0-9]*/cmdline 2>/dev/null || true)
is "$left" "" "no qemu left running"
done_testing
