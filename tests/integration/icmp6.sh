#!/usr/bin/env bash
# ICMPv6 where cases expect ICMP, on the real kernel: `< icmp` lines on an
# IPv6 wire are ICMPv6 errors quoting the target's segment, as packetdrill
# builds them for its IPv6 scripts. IPv6 path MTU discovery (packet_too_big:
# the target lowers its segment size, for bytes in flight and new ones; a
# quoted seq never sent is ignored, and so is an MTU under IPv6's minimum
# of 1280), one line that names a message in each family (port_unreachable: 3/3
# on ICMPv4, 1/4 on ICMPv6), a case that names one family's message running in
# that family only (SKIP on the other, saying why), and bad input.
TCPRIG=${1:?usage: icmp6.sh path/to/tcprig}
. "$(dirname "$0")/tap.sh"
require_lab_privileges
here=$(cd "$(dirname "$0")/.." && pwd)
d=$here/cases_run/ipv6
ptb=$d/icmp6_packet_too_big.pkt
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"; cleanup_labs' EXIT

# packet_too_big: the bytes in flight again in 1220-byte pieces, new data too.
if expect_run 0 "packet_too_big mtu 1280: the target resends in 1220-byte pieces" \
	--family both --ladder "$ptb"; then
	like "$out" '^PASS  [^ ]*icmp6_packet_too_big\.pkt \[ipv6\]' "  on IPv6"
	like "$out" '^SKIP  [^ ]*icmp6_packet_too_big\.pkt \[ipv4\]' "  a SKIP on IPv4"
	like "$out" "IPv6 only: line 19's ICMP error has no ICMPv4 form" "  saying why"
	like "$out" '\|---- icmp6 packet_too_big mtu 1280 about 8080>40000 seq [0-9]+ \(1460\)' \
		"  the ladder names the ICMPv6 message"
fi
# The checks can fail: without the message, or quoting bytes never sent
# (RFC 5927), nothing is resent at line 20.
sed 's/^+\.01  < icmp packet_too_big.*$/\/\/ (no packet_too_big)/' "$ptb" >"$tmp/no_ptb.pkt"
if expect_run 1 "without packet_too_big the case fails" "$tmp/no_ptb.pkt"; then
	like "$out" 'no_ptb\.pkt:20: ' "  at line 20 (no 1220-byte piece)"
fi
sed 's/\[1:1461(1460)\]/[5001:6461(1460)]/' "$ptb" >"$tmp/ptb_stale.pkt"
if expect_run 1 "one quoting bytes never sent is ignored (RFC 5927)" "$tmp/ptb_stale.pkt"; then
	like "$out" 'ptb_stale\.pkt:20: ' "  (no retransmission at line 20)"
fi
# Under IPv6's minimum link MTU (1280, RFC 8200 5) the message is dropped,
# not clamped: Linux's tcp_v6_err ignores it, so nothing is resent.
sed 's/packet_too_big mtu 1280/packet_too_big mtu 1000/' "$ptb" >"$tmp/ptb_small.pkt"
if expect_run 1 "mtu 1000, under IPv6's minimum: ignored, nothing resent" "$tmp/ptb_small.pkt"; then
	like "$out" 'ptb_small\.pkt:20: ' "  (no retransmission at line 20)"
fi
sed 's/packet_too_big mtu 1280/packet_too_big mtu 1400/' "$ptb" >"$tmp/ptb_1400.pkt"
if expect_run 1 "mtu 1400 gives other pieces: the MTU is the message's" "$tmp/ptb_1400.pkt"; then
	like "$out" 'actual: +\. 1:1341\(1340\)' "  (1340 bytes: 1400 - 60)"
fi

# One line, a message in each family: both runs end connect() with
# ECONNREFUSED. Code 3 written as a number is ICMPv4's port unreachable but
# ICMPv6's address unreachable, EHOSTUNREACH: the IPv6 run fails.
pu=$d/icmp_port_unreachable.pkt
if expect_run 0 "unreachable port_unreachable: ECONNREFUSED on both families" --family both "$pu"; then
	like "$out" '^PASS  [^ ]*icmp_port_unreachable\.pkt \[ipv4\]' "  IPv4 passes"
	like "$out" '^PASS  [^ ]*icmp_port_unreachable\.pkt \[ipv6\]' "  IPv6 passes"
fi
sed 's/unreachable port_unreachable/unreachable 3/' "$pu" >"$tmp/code3.pkt"
if expect_run 1 "code 3 by number: ICMPv6 address unreachable fails the IPv6 run" \
	--family both "$tmp/code3.pkt"; then
	like "$out" '^PASS  [^ ]*code3\.pkt \[ipv4\]' "  IPv4 still passes (3 is port unreachable there)"
	like "$out" '^FAIL  [^ ]*code3\.pkt \[ipv6\]' "  IPv6 fails"
	like "$out" 'getsockopt value 113, expected 111' "  the socket's error is EHOSTUNREACH (113)"
fi

# ICMPv4's frag_needed has no ICMPv6 form: that case is IPv4's only.
if expect_run 0 "frag_needed under --family ipv6: a SKIP" --family ipv6 \
	"$here/cases_run/pdcompat/icmp_frag_needed.pkt"; then
	like "$out" "^SKIP  .*icmp_frag_needed\.pkt \[ipv6\]" "  SKIP"
	like "$out" "IPv4 only: line 17's ICMP error has no ICMPv6 form" "  saying why"
fi

# Bad input: exit 2, file:line:col, nothing run.
sed 's/^--tolerance_usecs=10000$/--ip_version=ipv4\n--tolerance_usecs=10000/' "$ptb" >"$tmp/ptb_v4.pkt"
out=$("$TCPRIG" run "$tmp/ptb_v4.pkt" 2>&1)
is "$?" 2 "packet_too_big in an --ip_version=ipv4 script: exit 2"
like "$out" 'ptb_v4\.pkt:20:14: this ICMP error has no ICMPv4 form, and the script sets --ip_version=ipv4' \
	"  at its line and column"
printf '0 < icmp packet_too_big\n+0 < icmp unreachable host_unreachable\n' >"$tmp/none.pkt"
out=$("$TCPRIG" run --family both "$tmp/none.pkt" 2>&1)
is "$?" 2 "an ICMPv6-only and an ICMPv4-only line together: exit 2"
like "$out" 'none\.pkt:2:11: this ICMP error has no ICMPv6 form.*no family is left' "  saying why"
out=$("$TCPRIG" run "$tmp/none.pkt" 2>&1)
is "$?" 2 "  also without --family"
printf '0 < icmp packet_too_big mtu 4294967296\n' >"$tmp/big.pkt"
out=$("$TCPRIG" run "$tmp/big.pkt" 2>&1)
is "$?" 2 "an MTU past 32 bits: exit 2"
is "$(stale_labs "$TCPRIG")" "" "no stale lab left"
done_testing
