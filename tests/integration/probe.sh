#!/usr/bin/env bash
# The probe against the real kernel in a lab: a listening port answers SYN-ACK,
# a closed port RST-ACK, the rig's own kernel stays silent, tshark reads our
# pcap the same way we do; the same over the lab's IPv6 pair (--family ipv6).
TCPRIG=${1:?usage: probe.sh path/to/tcprig}
. "$(dirname "$0")/tap.sh"
require_lab_privileges

lab=probe$$
tap_labs+=("$lab")
tmp=$(mktemp -d)
trap 'cleanup_labs; rm -rf "$tmp"' EXIT

out=$("$TCPRIG" lab up "$lab" 2>&1)
ok $? "lab up $lab" || { echo "$out" | sed 's/^/# /'; done_testing; exit; }
rig_ns=tcprig-keep-$lab-rig

rig_out_rsts() { ip netns exec "$rig_ns" nstat -asz TcpOutRsts | awk '/TcpOutRsts/ {print $2}'; }
rsts_before=$(rig_out_rsts)

# SYN to a listening port: SYN-ACK, ack = seq + 1, TS ecr = our TS val.
out=$("$TCPRIG" probe --lab "$lab" --listen --port 8080 --seq 1000 \
	--mss 1460 --sack-ok --ts 100:0 --nop --wscale 7 --pcap "$tmp/listen.pcap" 2>&1)
ok $? "probe of a listening port exits 0 (answered)"
diag "$(echo "$out" | grep '^[0-9]')"
like "$out" '^[0-9.]+ < S 1000:1000\(0\) win 65535 <mss 1460,sackOK,TS val 100 ecr 0,nop,wscale 7>$' \
	"the SYN is printed as sent"
like "$out" '^[0-9.]+ > S\. 0:0\(0\) ack 1001 win [0-9]+ <mss 1460,sackOK,TS val [0-9]+ ecr 100,nop,wscale [0-9]+>$' \
	"SYN-ACK: seq relative to its ISN, ack = 1000 + 1, TS ecr = 100"

# SYN to a closed port: RST-ACK with ack = seq + 1.
out=$("$TCPRIG" probe --lab "$lab" --port 8081 --seq 5000 --ts 100:0 \
	--absolute --pcap "$tmp/closed.pcap" 2>&1)
ok $? "probe of a closed port exits 0 (answered)"
like "$out" '^[0-9.]+ > R\. 0:0\(0\) ack 5001 win 0$' "closed port: RST-ACK, ack 5001, no options"

# A FIN-less bare ACK to a closed port: RST with seq = its ack.
out=$("$TCPRIG" probe --lab "$lab" --port 8081 --flags . --seq 7 --ack 12345 --absolute 2>&1)
like "$out" '^[0-9.]+ > R 12345:12345\(0\) win 0$' "stray ACK: bare RST, seq = the ACK's ack"

is "$(rig_out_rsts)" "$rsts_before" "the rig namespace's kernel sent no RST (TcpOutRsts delta 0)"

# tshark reads our pcap: same flags, numbers and timestamps as the probe printed.
fields() {
	tshark -r "$1" -o tcp.relative_sequence_numbers:FALSE -T fields -E separator=' ' \
		-e tcp.flags -e tcp.seq -e tcp.ack -e tcp.options.timestamp.tsval \
		-e tcp.options.timestamp.tsecr 2>/dev/null
}
if command -v tshark >/dev/null; then
	out=$("$TCPRIG" probe --lab "$lab" --listen --port 8082 --seq 3000 --ack 0 \
		--ts 4000000000:0 --absolute --pcap "$tmp/ts.pcap" 2>&1)
	synack=$(echo "$out" | grep ' > S\. ')
	isn=$(echo "$synack" | awk '{print $4}' | cut -d: -f1)
	tsval=$(echo "$synack" | sed -n 's/.*TS val \([0-9]*\) ecr.*/\1/p')
	got=$(fields "$tmp/ts.pcap")
	like "$got" "^0x0*2 3000 0 4000000000 0$" "tshark: our SYN, seq 3000, TS val 4000000000"
	like "$got" "^0x0*12 $isn 3001 $tsval 4000000000$" \
		"tshark: the SYN-ACK with the ISN, ack and TS the probe printed"
	is "$(tshark -r "$tmp/closed.pcap" -T fields -e tcp.checksum.status \
		-o tcp.check_checksum:TRUE 2>/dev/null | sort -u | tr '\n' ' ')" "1 " \
		"tshark finds every TCP checksum in the capture good (status 1)"
else
	ok 1 "tshark is installed (scripts/setup installs it)"
fi

# A deliberately bad checksum: the target must drop it, so nothing answers.
out=$("$TCPRIG" probe --lab "$lab" --listen --port 8083 --bad-csum --wait 0.3 2>&1)
is "$?" 1 "a SYN with a bad checksum draws no answer (exit 1)"

# Over IPv6 (--family ipv6): the lab's IPv6 pair, the same answers.
out=$("$TCPRIG" probe --lab "$lab" --family ipv6 --listen --port 8084 --seq 1000 \
	--mss 1460 --sack-ok --ts 100:0 --nop --wscale 7 --ttl 9 --pcap "$tmp/v6.pcap" 2>&1)
ok $? "IPv6: probe of a listening port exits 0 (answered)"
like "$out" '^# lab [^ ]*: rig \[2001:db8::2\]:40000 \(phantom, rig0\) -> target \[2001:db8::1\]:8084 \(tgt0\), listening$' \
	"  between the lab's IPv6 ends"
like "$out" '^[0-9.]+ > S\. 0:0\(0\) ack 1001 win [0-9]+ <mss 1460,sackOK,TS val [0-9]+ ecr 100,nop,wscale [0-9]+>$' \
	"  SYN-ACK: ack = 1000 + 1, TS ecr = 100"
out=$("$TCPRIG" probe --lab "$lab" --family ipv6 --port 8085 --seq 5000 --absolute 2>&1)
like "$out" '^[0-9.]+ > R\. 0:0\(0\) ack 5001 win 0$' "IPv6: a closed port answers RST-ACK, ack 5001"
if command -v tshark >/dev/null; then
	is "$(tshark -r "$tmp/v6.pcap" -T fields -E separator=' ' -e ipv6.src -e ipv6.dst -e ipv6.hlim \
		-e tcp.flags -e tcp.checksum.status -o tcp.check_checksum:TRUE 2>/dev/null | head -2)" \
		"$(printf '2001:db8::2 2001:db8::1 9 0x0002 1\n2001:db8::1 2001:db8::2 64 0x0012 1')" \
		"tshark: an IPv6 SYN (hop limit 9, --ttl), the IPv6 SYN-ACK, good checksums"
fi
is "$(rig_out_rsts)" "$rsts_before" "the rig's kernel still sent no RST"
out=$("$TCPRIG" probe --lab "$lab" --family both --port 8084 2>&1)
is "$?" 2 "--family both: exit 2 (one segment, one family)"
out=$("$TCPRIG" probe --lab "$lab" --family ipv6 --ip-id 7 --port 8084 2>&1)
is "$?" 2 "--ip-id with --family ipv6: exit 2"
like "$out" 'IPv6 has no identification field' "  saying why"
out=$("$TCPRIG" probe --family ipv6 --target 192.0.2.1 --iface lo --port 8084 2>&1)
is "$?" 2 "--family ipv6 with --target: exit 2"

out=$("$TCPRIG" lab down "$lab" 2>&1)
ok $? "lab down"
is "$(tcprig_labs | grep -c "keep-$lab")" 0 "nothing of the lab is left"
done_testing
