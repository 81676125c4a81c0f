#!/usr/bin/env bash
# IPv6 through the whole stack, on the real kernel: a dual-stack lab (the
# target's 2001:db8::1 nodad, the rig's phantom 2001:db8::2 a permanent
# neighbour, the path MTU on a host route), run --family both (a line per
# family, tagged), a run really in the family asked for (the target's socket
# and the capture say so), the catalogue's basic cases passing on IPv6, the
# script forms (--ip_version=ipv6, ipv4-mapped-ipv6, AF_INET6 sockaddrs),
# `// family: ipv4` as a SKIP that says why, JSON, a capture's round trip
# (pcap2case, replay) and bad --family values.
TCPRIG=${1:?usage: ipv6.sh path/to/tcprig}
. "$(dirname "$0")/tap.sh"
require_lab_privileges
here=$(cd "$(dirname "$0")/.." && pwd)
cases=$(cd "$here/.." && pwd)/cases
d=$here/cases_run/ipv6
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"; cleanup_labs' EXIT

# The lab's IPv6 side, as the kernel shows it.
tap_labs+=(v6test)
if "$TCPRIG" lab up v6test >/dev/null 2>&1; then
	ns=tcprig-keep-v6test-tgt
	like "$(ip -n $ns -6 addr show dev tgt0 scope global)" 'inet6 2001:db8::1/64 scope global nodad' \
		"the target's IPv6 address is 2001:db8::1/64, nodad"
	like "$(ip -n $ns -6 neigh show dev tgt0)" '^2001:db8::2 lladdr .* PERMANENT' \
		"the rig's phantom 2001:db8::2 is a permanent neighbour"
	like "$(ip -n $ns -6 route show 2001:db8::2)" 'mtu 1520 advmss 1460' \
		"the path to it: MTU 1520, so the MSS is IPv4's 1460"
	is "$(ip -n tcprig-keep-v6test-rig -6 addr show dev rig0)" "" "the rig end has no IPv6 address"
	"$TCPRIG" lab down v6test >/dev/null 2>&1
else
	ok 1 "lab up v6test"
fi

# run --family both: every case twice, each line tagged, all passing.
if expect_run 0 "the basic cases pass on both families" --family both "$cases/basic"; then
	is "$(printf '%s\n' "$out" | grep -c '^PASS .* \[ipv4\] ')" 9 "nine [ipv4] lines"
	is "$(printf '%s\n' "$out" | grep -c '^PASS .* \[ipv6\] ')" 9 "nine [ipv6] lines"
	like "$out" '18 passed, 0 failed, 0 skipped' "eighteen runs"
fi

# The run is in the family asked for: a case that checks its listener is an
# AF_INET6 socket passes on IPv6 and fails on IPv4.
expect_run 0 "the target's socket is AF_INET6 under --family ipv6" --family ipv6 \
	"$d/family_socket.pkt"
expect_run 1 "and not under --family ipv4" --family ipv4 "$d/family_socket.pkt"

# The capture of an IPv6 run holds IPv6 frames, read back by tcprig itself.
if expect_run 0 "an IPv6 run with --pcap and --json" --family ipv6 --pcap "$tmp/pcap" \
	--json "$tmp/r.json" "$cases/basic/passive_open.pkt"; then
	list=$("$TCPRIG" replay --list "$tmp/pcap/passive_open.ipv6.pcap" 2>&1)
	like "$list" '\[2001:db8::2\]:40000 +\[2001:db8::1\]:8080' \
		"the capture (passive_open.ipv6.pcap) holds the IPv6 conversation"
	like "$list" '3 records, 3 TCP' "every record decodes as TCP"
	like "$(cat "$tmp/r.json")" '"path":"[^"]*passive_open.pkt","config":"family=ipv6","verdict":"PASS"' \
		"JSON: the family is the case's config"
	like "$("$TCPRIG" pcap2case "$tmp/pcap/passive_open.ipv6.pcap" 2>&1)" \
		'^--ip_version=ipv6$' "pcap2case: an IPv6 conversation's script says --ip_version=ipv6"
	out=$("$TCPRIG" replay "$tmp/pcap/passive_open.ipv6.pcap" 2>&1)
	is_status "$?" 0 "replay: the IPv6 capture replays over IPv6" "$out"
	like "$out" '^MATCH ' "and matches"
fi
if command -v tshark >/dev/null; then
	sums=$(tshark -r "$tmp/pcap/passive_open.ipv6.pcap" -o tcp.check_checksum:TRUE \
		-T fields -e tcp.checksum.status 2>/dev/null | sort | uniq -c | tr -s ' ')
	is "$sums" " 3 1" "tshark: all three TCP checksums (both sides') are good"
else
	ok 0 "tshark: checksums # SKIP no tshark"
fi

# A wrong expectation fails on IPv6 as it does on IPv4, in the script's words.
sed 's/^+0    > S\. 0:0(0) ack 1 <mss 1460,/+0    > S. 0:0(0) ack 1 <mss 1440,/' \
	"$cases/basic/passive_open.pkt" >"$tmp/mss_wrong.pkt"
if expect_run 1 "a wrong MSS fails the IPv6 run" --family ipv6 "$tmp/mss_wrong.pkt"; then
	like "$out" 'FAIL  .*mss_wrong\.pkt \[ipv6\]' "tagged [ipv6]"
	like "$out" 'tcp option 1 \(mss\): expected 1440, actual 1460' "naming the field"
fi

# Script forms: packetdrill's options and sockaddrs.
if expect_run 0 "--ip_version=ipv6 with an AF_INET6 sockaddr runs over IPv6 by itself" \
	"$d/explicit_v6.pkt"; then
	like "$out" '^PASS  [^ ]*explicit_v6\.pkt  ' "its line untagged without --family"
fi
expect_run 0 "ipv4-mapped-ipv6: AF_INET6 sockets over IPv4, TIME_WAIT found" "$d/mapped.pkt"
if expect_run 0 "--family both: a case pinned to one family is a SKIP on the other" \
	--family both "$d/explicit_v6.pkt" "$d/v4_only.pkt"; then
	like "$out" 'SKIP  [^ ]*explicit_v6\.pkt \[ipv4\]' "explicit_v6 [ipv4] skipped"
	like "$out" 'the script sets --ip_version=ipv6' "saying why"
	like "$out" 'PASS  [^ ]*v4_only\.pkt \[ipv4\]' "v4_only [ipv4] runs"
	like "$out" 'SKIP  [^ ]*v4_only\.pkt \[ipv6\]' "v4_only [ipv6] skipped"
	like "$out" 'IPv4 only: a stand-in for a case about something' "with its header's reason"
fi

# Bad input: exit 2, one line naming the value, nothing run.
out=$("$TCPRIG" run --family inet6 "$d/v4_only.pkt" 2>&1)
is "$?" 2 "--family inet6 is bad input"
is "$out" "$TCPRIG run: --family inet6: ipv4, ipv6 or both" "one line naming it"
printf '// family: ipv7\n0 listen(3, 1) = 0\n' >"$tmp/bad_family.pkt"
out=$("$TCPRIG" run --family both "$tmp/bad_family.pkt" 2>&1)
is "$?" 2 "a bad '// family:' header is bad input"
like "$out" 'bad_family\.pkt:1:12: unknown family .ipv7. in ./\/ family:. \(ipv4 or ipv6\)' \
	"at its line and column"
is "$(stale_labs "$TCPRIG")" "" "no stale lab left"
done_testing
