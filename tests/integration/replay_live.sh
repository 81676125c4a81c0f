#!/usr/bin/env bash
# 'tcprig replay' of captures this test makes itself: real programs (curl,
# python3 -m http.server, small python servers and clients) talking across
# a throwaway pair of network namespaces joined by a veth (offloads off, MTU
# 1500), captured with tcpdump (Ethernet, and -i any: Linux cooked v2) and
# dumpcap (pcapng). Each capture is replayed against the live kernel in a
# lab and must match (exit 0): a plain GET (HTTP/1.0: the server closes
# first), a keep-alive connection carrying two requests, a server that
# answers and closes, a refused connection, a client that aborts with RST
# (SO_LINGER 0), a 200 KB transfer. Both namespaces and the replay's target
# run reno: a replay is asked under the sysctls of the recording.
# The rig plays the server too, for the small ones (curl's kernel the
# target). The 200 KB transfer replayed against a target that probes the
# path MTU (tcp_mtu_probing=2) must diverge: the slack pcap2case gives to
# what the recording owed to timing (PSH, data segments' TS ecr) hides no
# real change.
# Nothing here touches the host's interfaces: the namespaces hold the only
# addresses (198.51.100.0/24) and are removed on exit.
TCPRIG=${1:?usage: replay_live.sh path/to/tcprig}
. "$(dirname "$0")/tap.sh"
require_lab_privileges
for tool in curl tcpdump dumpcap python3 ethtool; do
	command -v $tool >/dev/null || skip_all "needs $tool (scripts/setup installs it)"
done
tmp=$(mktemp -d)
sweep_test_ns replay-live
ns_c=replay-live-$$-c ns_s=replay-live-$$-s
if_c=rlc$$ if_s=rls$$
srv=
cleanup() {
	[ -n "$srv" ] && kill "$srv" 2>/dev/null
	ip netns del "$ns_c" 2>/dev/null
	ip netns del "$ns_s" 2>/dev/null
	rm -rf "$tmp"
	cleanup_labs
}
trap cleanup EXIT
trap 'exit 130' INT TERM
inc() { ip netns exec "$ns_c" "$@"; }
ins() { ip netns exec "$ns_s" "$@"; }
S=198.51.100.1 C=198.51.100.2 CC=reno

ip netns add "$ns_c" && ip netns add "$ns_s" &&
	ip link add "$if_c" netns "$ns_c" type veth peer name "$if_s" netns "$ns_s" &&
	inc ip addr add $C/24 dev "$if_c" && ins ip addr add $S/24 dev "$if_s" &&
	inc ip link set "$if_c" up && ins ip link set "$if_s" up &&
	inc ip link set lo up && ins ip link set lo up
ok $? "a pair of namespaces joined by a veth"
for end in "$ns_c $if_c" "$ns_s $if_s"; do
	set -- $end
	ip netns exec "$1" ethtool -K "$2" tso off gso off gro off >/dev/null 2>&1
	ip netns exec "$1" sysctl -qw net.ipv4.tcp_congestion_control=$CC
done

mkdir -p "$tmp/www"
printf 'hello from a live capture\n' >"$tmp/www/hello.txt"
head -c 204800 /dev/zero | tr '\0' x >"$tmp/www/big.bin"

# http_server PROTOCOL: python3 -m http.server in the server namespace.
http_server() {
	(cd "$tmp/www" && exec ip netns exec "$ns_s" python3 -m http.server -p "$1" \
		-b $S 8000 >/dev/null 2>&1) &
	srv=$!
	wait_port 8000
}
# A server that answers one line and closes first, once per connection.
closing_server() {
	ip netns exec "$ns_s" python3 -c '
import socket
l = socket.create_server(("'$S'", 8001))
while True:
    c, _ = l.accept()
    c.recv(1000)
    c.sendall(b"bye\n")
    c.close()
' >/dev/null 2>&1 &
	srv=$!
	wait_port 8001
}
wait_port() {
	for _ in $(seq 50); do
		ins ss -Hltn "sport = :$1" | grep -q . && return 0
		sleep 0.1
	done
	return 1
}
stop_server() { kill "$srv" 2>/dev/null; wait "$srv" 2>/dev/null; srv=; }

# capture FILE TOOL COMMAND...: COMMAND run in the client namespace while
# TOOL (tcpdump, tcpdump-any, dumpcap) records the veth in it.
capture() {
	local file=$1 tool=$2 pid
	shift 2
	# Not through inc: a background function is a subshell, which would
	# outlive the signal meant for the capture.
	case $tool in
	tcpdump) ip netns exec "$ns_c" tcpdump --immediate-mode -Z root -i "$if_c" -s 0 -U -w "$file" tcp >/dev/null 2>&1 & ;;
	tcpdump-any) ip netns exec "$ns_c" tcpdump --immediate-mode -Z root -i any -s 0 -U -w "$file" tcp >/dev/null 2>&1 & ;;
	dumpcap) ip netns exec "$ns_c" dumpcap -q -i "$if_c" -f tcp -w "$file" >/dev/null 2>&1 & ;;
	esac
	pid=$!
	sleep 1 # the capture is open before the first packet
	inc timeout 10 "$@" >/dev/null 2>&1
	sleep 0.5
	kill -TERM $pid 2>/dev/null
	wait $pid 2>/dev/null
	[ -s "$file" ]
}

http_server HTTP/1.0
capture "$tmp/get.pcap" tcpdump curl -s -o /dev/null http://$S:8000/hello.txt
ok $? "captured: a plain GET (tcpdump, Ethernet)"
# in_order FILE: no segment of the server's acknowledges client bytes that
# come later in the file. A packet socket on "any" may hand over packets of
# two CPUs out of order (seen: the server's FIN, acking the client's, written
# before it); pcap2case puts such a pair back in causal order, and the
# replay below must match either way: this only says which it got.
in_order() {
	tshark -r "$1" -T fields -e tcp.srcport -e tcp.seq_raw -e tcp.len -e tcp.flags.syn \
		-e tcp.flags.fin -e tcp.ack_raw 2>/dev/null | python3 -c '
import sys
end = None
for line in sys.stdin:
    f = line.split("\t")
    if len(f) < 6 or not f[0].strip():
        continue
    port, seq, ln = f[0], int(f[1]), int(f[2])
    syn, fin = f[3].strip() in ("1", "True"), f[4].strip() in ("1", "True")
    ack = f[5].strip()
    if port != "8000":
        e = (seq + ln + syn + fin) % 2**32
        if end is None or 0 < (e - end) % 2**32 < 2**31:
            end = e
    elif ack and end is not None and 0 < (int(ack) - end) % 2**32 < 2**31:
        sys.exit(1)
'
}
capture "$tmp/get_any.pcap" tcpdump-any curl -s -o /dev/null http://$S:8000/hello.txt
ok $? "captured: a plain GET (tcpdump -i any, Linux cooked v2)"
in_order "$tmp/get_any.pcap" || diag "get_any.pcap: out of causal order, as captured (pcap2case puts it back)"
capture "$tmp/get.pcapng" dumpcap curl -s -o /dev/null http://$S:8000/hello.txt
ok $? "captured: a plain GET (dumpcap, pcapng)"
# A transfer the veth lost segments of (a loaded machine: the backlog
# overflowed) is another story, retransmissions and SACKs: taken again.
for try in 1 2 3; do
	capture "$tmp/big.pcap" tcpdump curl -s -o /dev/null http://$S:8000/big.bin &&
		"$TCPRIG" pcap2case "$tmp/big.pcap" | grep -q '^// Retransmissions: 0,' && break
done
ok $? "captured: a 200 KB transfer without a retransmission (try $try)"
capture "$tmp/abort.pcap" tcpdump python3 -c '
import socket, struct, time
s = socket.create_connection(("'$S'", 8000))
s.sendall(b"GET /hello.txt HTTP/1.0\r\n")
time.sleep(0.05)
s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
s.close()
'
ok $? "captured: a client that aborts with RST (SO_LINGER 0)"
capture "$tmp/refused.pcap" tcpdump curl -s -o /dev/null http://$S:8009/
ok $? "captured: a refused connection"
stop_server
http_server HTTP/1.1
capture "$tmp/keepalive.pcap" tcpdump curl -s -o /dev/null -o /dev/null \
	http://$S:8000/hello.txt http://$S:8000/hello.txt
ok $? "captured: a keep-alive connection with two requests"
stop_server
closing_server
capture "$tmp/closing.pcap" tcpdump curl -s --http0.9 -o /dev/null http://$S:8001/
ok $? "captured: a server that answers and closes"
stop_server
ip netns del "$ns_c"
ip netns del "$ns_s"

# The captures are what they claim to be.
link() { tcpdump -r "$1" -c 1 2>&1 >/dev/null | sed -n 's/.*link-type \([A-Z0-9_]*\).*/\1/p'; }
is "$(link "$tmp/get.pcap")" EN10MB "get.pcap: Ethernet"
is "$(link "$tmp/get_any.pcap")" LINUX_SLL2 "get_any.pcap: Linux cooked v2"
is "$(head -c 4 "$tmp/get.pcapng" | od -An -tx1 | tr -d ' ')" 0a0d0d0a "get.pcapng: pcapng"
like "$("$TCPRIG" replay --list "$tmp/keepalive.pcap")" \
	'^ +1  198\.51\.100\.2:[0-9]+ +198\.51\.100\.1:8000 .* FIN$' \
	"keepalive.pcap: one conversation"
like "$("$TCPRIG" pcap2case "$tmp/keepalive.pcap")" 'read of [0-9]+ bytes in 2 reads' \
	"keepalive.pcap: two requests read on one connection"
like "$("$TCPRIG" replay --list "$tmp/big.pcap")" ' 20[0-9]{4} +[0-9.]+ s  FIN$' \
	"big.pcap: 200 KB and more from the server"
like "$("$TCPRIG" replay --list "$tmp/refused.pcap")" ' 2 +0 +[0-9.]+ s  RST$' \
	"refused.pcap: SYN, RST"
like "$("$TCPRIG" replay --list "$tmp/abort.pcap")" ' RST$' "abort.pcap: ended by RST"

cc=--sysctl=net.ipv4.tcp_congestion_control=$CC
for cap in get.pcap get_any.pcap get.pcapng keepalive.pcap closing.pcap refused.pcap \
	abort.pcap; do
	replay_run 0 "$cap: the live target answers as recorded (exit 0)" "$tmp/$cap" $cc
done
# The 200 KB download. Before the writes went on past the rig's window edge
# with MSG_EOR, TCP_NODELAY and TCP_CORK before a FIN that rode on data, and
# before --loose_segments, about one capture in three diverged on every try;
# after, 56 of 58 replays of 28 captures matched, but one fresh-clone run
# still diverged (a corked last write's full segments held back, fixed
# since). About one fresh capture in 14 still diverges on every replay under
# reno (the recording's congestion control; under BBR it matches): the live
# target's window opens less (README, "Replaying a capture"). Until that is
# found, a divergence here is a TAP TODO, shown, not a failure; any other
# status (bad input, could not run) fails.
# replay_or_todo DESC WHY KNOWN CAPTURE ARGS...: `replay ARGS... CAPTURE`
# must exit 0; a divergence the function KNOWN accepts (given the output)
# is a TAP TODO saying WHY, shown with its capture kept; a run the rig was
# late for on every try is a skip; anything else fails.
replay_or_todo() {
	local desc=$1 why=$2 known=$3 cap=$4
	shift 4
	out=$("$TCPRIG" replay "$@" "$cap" 2>&1)
	status=$?
	if [ "$status" = 1 ] && "$known" "$out"; then
		tap_n=$((tap_n + 1))
		echo "not ok $tap_n - $desc # TODO $why"
		printf '%s\n' "$out" | grep -A4 'first divergence' | sed 's/^/#   /'
		keep_captures "$cap"
	elif [ "$status" = 3 ] && inconclusive "$out"; then
		ok 0 "$desc # SKIP inconclusive: the rig was late on every try"
	else
		is "$status" 0 "$desc"
		[ "$status" = 0 ] || printf '%s\n' "$out" | head -40 | sed 's/^/#   /' | fail_detail
		[ "$status" = 0 ] || keep_captures "$cap"
	fi
}
diverged() { printf '%s\n' "$1" | grep -q '^DIVERGED '; }
replay_or_todo "big.pcap: the live target answers as recorded (exit 0)" \
	'diverged (README "Replaying a capture")' diverged "$tmp/big.pcap" $cc
# The rig as the server: curl's kernel ACKed the response and the FIN that
# followed it 50 us later in one ACK, or the response at once (quick-ACK or
# delayed-ACK mode follows the application's timing to the microsecond,
# which the agent does not reproduce); pcap2case writes --loose_acks, and
# either passes (before it, a fresh-clone run diverged there once).
never() { false; }
for cap in get.pcap keepalive.pcap closing.pcap; do
	replay_or_todo "$cap, the rig as the server (curl's kernel the target): exit 0" \
		"" never "$tmp/$cap" --side server $cc
done

# Real changes still diverge: the slack given to timing hides none. MTU
# probing from the start (tcp_mtu_probing=2) cuts the 200 KB differently.
if replay_run 1 "big.pcap, the target probing the path MTU: diverges (exit 1)" "$tmp/big.pcap" \
	$cc --sysctl net.ipv4.tcp_mtu_probing=2; then
	like "$out" '^        field:    tcp len$' "in the data, at a segment's length"
fi
replay_run 1 "keepalive.pcap against a target without timestamps: diverges" \
	"$tmp/keepalive.pcap" $cc --sysctl net.ipv4.tcp_timestamps=0

done_testing
