#!/usr/bin/env bash
# 'tcprig pcap2case': captures of real programs (pcaps/replay/, made by
# scripts/replay-captures: curl against python3 -m http.server on loopback,
# with tcpdump -i lo and -i any, a refused connect, a client that aborts
# with RST) become scripts that parse and PASS in a lab, with the rig
# playing either side; the script says what it inferred; bad input is exit 2
# with the file's name and nothing written.
TCPRIG=${1:?usage: pcap2case.sh path/to/tcprig}
. "$(dirname "$0")/tap.sh"
require_lab_privileges
here=$(cd "$(dirname "$0")/../.." && pwd)
caps=$here/pcaps/replay
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"; cleanup_labs' EXIT

for cap in http_get http_get_any refused client_abort; do
	for side in client server; do
		s=$tmp/$cap-$side.pkt
		"$TCPRIG" pcap2case "$caps/$cap.pcap" --side $side -o "$s" 2>"$tmp/err"
		ok $? "$cap, rig as $side: converted"
		expect_run 0 "$cap, rig as $side: the script passes against the live kernel" "$s" ||
			continue
		[ "$status" = 0 ] || printf '%s\n' "$out" | sed 's/^/#   /' | head -20 | fail_detail
	done
done

s=$(cat "$tmp/http_get-client.pkt")
like "$s" '^// Made by tcprig pcap2case from .*/http_get\.pcap, flow 1:' "the header names capture and flow"
like "$s" 'Inferred in the target: listen, accept; write of 216 bytes in 2 chunks; read of 88 bytes in 1 read; close at its FIN \(#10\)\.' \
	"and what it inferred"
like "$s" 'Retransmissions: 0, dropped \(--keep-retransmits keeps them\)\.' "and what became of retransmissions"
like "$s" '^--mss=65495$' "loopback's MSS becomes the lab's"
like "$(cat "$tmp/http_get_any-server.pkt")" '^\+0\.\.\.[0-9.]+ connect\(3, \.\.\., \.\.\.\) = 0$' \
	"the rig as server: the target connects"
like "$(cat "$tmp/client_abort-server.pkt")" 'SO_LINGER, \{onoff=1, linger=0\}, 8\) = 0' \
	"an abort: SO_LINGER 0 before the close that sent the RST"
like "$(cat "$tmp/refused-server.pkt")" 'connect\(3, \.\.\., \.\.\.\) = -1 ECONNREFUSED' \
	"a refused connect"

# A capture cut to 96 bytes a packet (headers only) converts to the same
# lines, and says so.
if command -v editcap >/dev/null; then
	editcap -s 96 "$caps/http_get.pcap" "$tmp/cut96.pcap"
	"$TCPRIG" pcap2case "$caps/http_get.pcap" | grep -v '^//' >"$tmp/whole.lines"
	s=$("$TCPRIG" pcap2case "$tmp/cut96.pcap")
	is "$(printf '%s\n' "$s" | grep -v '^//')" "$(cat "$tmp/whole.lines")" \
		"a capture cut by its snapshot length (-s 96) gives the same lines"
	like "$s" "snapshot length cut payloads \(first at packet #4\)" "and says so in the header"
else
	ok 0 "snapshot length # SKIP no editcap"
	ok 0 "snapshot length note # SKIP no editcap"
fi

# A script whose target behaves otherwise fails: the check can fail.
sed 's/^\(+[0-9.]*  *> S\. 0:0(0) ack 1 <mss 65495,sackOK,TS val 700 ecr 100\),nop,wscale 10>/\1,nop,wscale 9>/' \
	"$tmp/http_get-client.pkt" >"$tmp/wrong.pkt"
if expect_run 1 "an edited expectation (wscale 9) fails" "$tmp/wrong.pkt"; then
	like "$out" 'wscale' "on the window scale"
fi

# Bad input: exit 2, one line naming the file, nothing written.
printf 'not a capture' >"$tmp/garbage.pcap"
out=$("$TCPRIG" pcap2case "$tmp/garbage.pcap" -o "$tmp/g.pkt" 2>&1)
is "$?" 2 "garbage: exit 2"
like "$out" "garbage\.pcap: not a pcap or pcapng file" "names the file"
[ ! -e "$tmp/g.pkt" ]
ok $? "writes nothing"
head -c 100 "$caps/http_get.pcap" >"$tmp/cut.pcap"
out=$("$TCPRIG" pcap2case "$tmp/cut.pcap" 2>&1)
is "$?" 2 "a truncated capture: exit 2"
like "$out" 'cut\.pcap: record 1: record truncated' "names the file and the record"
out=$("$TCPRIG" pcap2case "$caps/http_get.pcap" --flow 2 2>&1)
is "$?" 2 "no such flow: exit 2"
like "$out" -- '--flow 2: .*http_get\.pcap has 1 flow$' "says how many there are"
out=$("$TCPRIG" pcap2case "$caps/http_get.pcap" --side middle 2>&1)
is "$?" 2 "a bad side: exit 2"
like "$out" "--side 'middle': client, server or an IP address" "names the value"
"$TCPRIG" pcap2case "$here/pcaps/linux-6.18.44/port_exhaustion.pcap" >/dev/null 2>"$tmp/err"
is "$?" 2 "several flows and no --flow: exit 2"
like "$(cat "$tmp/err")" '3 TCP conversations: choose one with --flow N' "says so"

done_testing
