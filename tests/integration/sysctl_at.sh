#!/usr/bin/env bash
# Sysctls a case changes on the way (issue 14's round trip): run --pcap
# notes every knob a shell line changed in the target's namespace, with the
# moment on the capture's clock, as `--sysctl-at TIME NAME=VALUE` lines of
# CAPTURE.settings; pcap2case sets each with a shell line at that moment
# among the packets, and replay MATCHes port_exhaustion (tcp_tw_reuse
# turned on half-way) only with it. Bad --sysctl-at lines are bad input.
# Usage: sysctl_at.sh path/to/tcprig
TCPRIG=${1:?usage: sysctl_at.sh path/to/tcprig}
. "$(dirname "$0")/tap.sh"
require_lab_privileges
here=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"; cleanup_labs' EXIT

# The time of capture record N (1-based), as tcpdump -tt prints it.
pcap_time() {
	python3 -c '
import struct, sys
f = open(sys.argv[1], "rb")
magic, = struct.unpack("<I", f.read(4))
nano = magic == 0xa1b23c4d
f.read(20)
for i in range(int(sys.argv[2])):
    sec, frac, incl, orig = struct.unpack("<IIII", f.read(16))
    f.read(incl)
print("%d.%09d" % (sec, frac if nano else frac * 1000))' "$1" "$2"
}

out=$("$TCPRIG" run --pcap "$tmp/pc" "$here/cases/timewait/port_exhaustion.pkt" \
	"$here/cases/basic/data_both_ways.pkt" "$here/cases/timewait/no_tw_rst_on_retransmitted_fin.pkt" 2>&1)
status=$?
is_status "$status" 0 "three cases run with --pcap" "$out"
pe=$tmp/pc/port_exhaustion.pcap
settings=$(cat "$pe.settings" 2>/dev/null)
like "$settings" '^--sysctl-at [0-9]+\.[0-9]{6} net\.ipv4\.tcp_tw_reuse=1$' \
	"settings: the shell line's tcp_tw_reuse=1, with its moment"
is "$(printf '%s\n' "$settings" | grep -c '^--sysctl-at')" 1 "settings: that change only"
like "$settings" '^--sysctl net\.ipv4\.tcp_tw_reuse=0$' "settings: the starting value stays a --sysctl line"
at=$(printf '%s\n' "$settings" | awk '$1 == "--sysctl-at" { print $2 }')
# The case: two connections (#1..#12), then the knob, then the third (#13).
t12=$(pcap_time "$pe" 12) t13=$(pcap_time "$pe" 13)
check "its moment lies between packet #12 ($t12) and #13 ($t13): $at" -- \
	python3 -c 'import sys; a, b, c = map(float, sys.argv[1:]); sys.exit(not a < b < c)' \
	"$t12" "$at" "$t13"
like "$(cat "$tmp/pc/data_both_ways.pcap.settings")" \
	'^--sysctl-at [0-9.]+ net\.ipv4\.tcp_congestion_control=reno$' \
	"settings: a setup shell line's change too (data_both_ways' reno)"
unlike "$(cat "$tmp/pc/no_tw_rst_on_retransmitted_fin.pcap.settings")" '^--sysctl-at' \
	"settings: none for a case whose shell lines change nothing"

script=$("$TCPRIG" pcap2case --flows all "$pe")
like "$script" '^\+0\.[0-9]+ +`sysctl -q net\.ipv4\.tcp_tw_reuse=1`$' "pcap2case: a timed shell line sets it"
sh_line=$(printf '%s\n' "$script" | grep -n 'sysctl -q net.ipv4.tcp_tw_reuse=1' | cut -d: -f1)
l12=$(printf '%s\n' "$script" | grep -n '// #12$' | cut -d: -f1)
l13=$(printf '%s\n' "$script" | grep -n '// #13$' | cut -d: -f1)
check "... after packet #12's line ($l12) and before #13's ($l13): line $sh_line" -- \
	test -n "$sh_line" -a -n "$l12" -a -n "$l13" -a "${sh_line:-0}" -gt "${l12:-0}" -a "${sh_line:-0}" -lt "${l13:-0}"
like "$script" '^// Sysctls the recording changed on the way \(--sysctl-at\): 1 set by a shell$' \
	"pcap2case: the header says so"
like "$("$TCPRIG" pcap2case "$tmp/pc/data_both_ways.pcap")" \
	'^0 +`sysctl -q net\.ipv4\.tcp_congestion_control=reno`$' \
	"pcap2case: a change before the conversation is set at its start"

# The round trip holds with it, and only with it.
replay_run 0 "replay --flows all: MATCH with the knob set at its moment" --flows all "$pe"
like "$out" 'net\.ipv4\.tcp_tw_reuse=1 at [0-9.]+$' "replay says which change it carries"
cp "$pe" "$tmp/bare.pcap"
grep -v '^--sysctl-at' "$pe.settings" >"$tmp/bare.pcap.settings"
if replay_run 1 "replay without the --sysctl-at line: diverges" --flows all "$tmp/bare.pcap"; then
	like "$out" 'capture packet #14$' "at #14: the third connect got EADDRNOTAVAIL, no SYN"
fi
replay_run 1 "replay --sysctl net.ipv4.tcp_tw_reuse=0: the knob pinned, the change left out, diverges" \
	--flows all --sysctl net.ipv4.tcp_tw_reuse=0 "$pe"
unlike "$out" ' at [0-9]+\.[0-9]+' "... and the settings line lists no change"

# Bad --sysctl-at lines: FILE:LINE:COL, exit 2, nothing replayed.
printf -- '--side 192.0.2.2\n--sysctl-at soon net.ipv4.tcp_tw_reuse=1\n' >"$tmp/bare.pcap.settings"
out=$("$TCPRIG" replay --flows all "$tmp/bare.pcap" 2>&1)
is "$?" 2 "a --sysctl-at line without a time: exit 2"
like "$out" "bare\.pcap\.settings:2:13: --sysctl-at: 'soon' is not a time" "names FILE:LINE:COL"
unlike "$out" '^(MATCH|DIVERGED)' "nothing replayed"
printf -- '--sysctl-at 1.5 kernel.panic=1\n' >"$tmp/bare.pcap.settings"
out=$("$TCPRIG" pcap2case --flows all "$tmp/bare.pcap" 2>&1)
is "$?" 2 "pcap2case: a --sysctl-at knob outside net.*: exit 2"
like "$out" "bare\.pcap\.settings:1:17: --sysctl-at: 'kernel\.panic': only net\.\* knobs" "names it"
printf -- '--sysctl-at 1.5\n' >"$tmp/bare.pcap.settings"
out=$("$TCPRIG" pcap2case --flows all "$tmp/bare.pcap" 2>&1)
is "$?" 2 "pcap2case: --sysctl-at without NAME=VALUE: exit 2"
like "$out" 'bare\.pcap\.settings:1:16: --sysctl-at 1\.5: NAME=VALUE missing' "says so"
is "$(stale_labs "$TCPRIG")" "" "no lab left behind"
done_testing
