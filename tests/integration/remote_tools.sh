#!/usr/bin/env bash
# replay and probe against a remote target: remote.sh's segment (three
# namespaces made with ip(8), remote_ns.sh), `tcprig agent --listen` in the
# target namespace.
#   - replay --target: a packet-only capture (refused.pcap) matches; a
#     loopback capture's --mss=65495 is SKIP on a 1500-byte segment, saying
#     so, and matches, as in a lab, once the segment's MTU is 65535 (its
#     listen, accept, read, write, close made by the agent); the rig plays
#     the server too. The target's kernel is the one answering: with its
#     timestamps turned off by hand in the target namespace (not in a lab's)
#     the same replay diverges at the SYN-ACK. Without an agent a capture
#     with calls is SKIP "needs an agent"; -j 2 is refused.
#   - probe --target: RST from a closed port agentless; SYN-ACK from a
#     listener the agent made (gone after the probe); the bridge sees the
#     probe's frames go from the phantom to the target only. --listen without
#     an agent, a target off the interface's subnet, --lab with --target, an
#     interface carrying the default route: exit 2, nothing on the bridge.
#     A host on the subnet that does not answer ARP: exit 3.
TCPRIG=${1:?usage: remote_tools.sh path/to/tcprig}
here=$(cd "$(dirname "$0")/.." && pwd)
root=$(cd "$here/.." && pwd)
. "$(dirname "$0")/tap.sh"
. "$(dirname "$0")/remote_ns.sh"
caps=pcaps/replay
AGENT=(--agent $TGT_IP:$APORT --token-file "$tmp/token")

# rig CMD ARGS...: `tcprig CMD --target $TGT_IP --iface r0 ARGS...` from the
# rig namespace, into $out and $status.
rig() {
	local cmd=$1
	shift
	out=$(cd "$root" && ip netns exec $RIG "$TCPRIG" "$cmd" --target $TGT_IP --iface r0 "$@" 2>&1)
	status=$?
}
# bridge_start / bridge_stop: a capture of the segment (the agent connection
# left out) into $tmp/bridge.pcap; bridge_lines: what it saw, one a line.
bridge_start() {
	ip netns exec $BR tcpdump -i br0 -nn -U -w "$tmp/bridge.pcap" "not (tcp port $APORT)" \
		>/dev/null 2>&1 &
	dump_pid=$!
	pids+=("$dump_pid")
	sleep 0.5
}
bridge_stop() { sleep 0.3; kill "$dump_pid"; wait "$dump_pid" 2>/dev/null; }
bridge_lines() { tcpdump -nn -r "$tmp/bridge.pcap" 2>/dev/null; }
segment_mtu() {
	ip -n $RIG link set r0 mtu "$1" && ip -n $TGT link set t0 mtu "$1" &&
		ip -n $BR link set br-r mtu "$1" && ip -n $BR link set br-t mtu "$1"
}

start_agent
ok $? "the agent listens in the target namespace"

# --- replay --target ------------------------------------------------------------
rig replay "${AGENT[@]}" $caps/refused.pcap
is_status "$status" 0 "replay --target of refused.pcap: exit 0" "$out"
like "$out" "^# target $TGT_IP \\(.*\\) on r0, rig phantom 203\\.0\\.113\\.[0-9]+, agent $TGT_IP:$APORT" \
	"it says which target, phantom and agent it uses"
like "$out" "^MATCH  $caps/refused\\.pcap#1 " "the target refuses the SYN as recorded: MATCH"

rig replay "${AGENT[@]}" $caps/http_get.pcap
is "$status" 3 "http_get.pcap on a 1500-byte segment: exit 3 (not run)"
like "$out" "^SKIP  $caps/http_get\\.pcap#1" "SKIP"
like "$out" "needs a segment MTU of 65535; r0's is 1500" "saying which MTU the capture's MSS needs"

segment_mtu 65535
ok $? "the segment's MTU set to 65535, loopback's"
rig replay "${AGENT[@]}" $caps/http_get.pcap
is_status "$status" 0 "replay --target of http_get.pcap: exit 0, as replay.sh wants of a lab" "$out"
like "$out" "^MATCH  $caps/http_get\\.pcap#1 " "MATCH: listen, accept, read, write, close by the agent"
rig replay "${AGENT[@]}" --side server $caps/http_get.pcap
is_status "$status" 0 "the rig as the server (the target's connect by the agent): exit 0" "$out"

# The target's own kernel answers: its timestamps off (by hand, in the target
# namespace only), the recorded SYN-ACK's TS option is missing live.
ts_before=$(tgt_sysctl net.ipv4.tcp_timestamps)
ip netns exec $TGT sysctl -qw net.ipv4.tcp_timestamps=0
rig replay "${AGENT[@]}" $caps/http_get.pcap
ip netns exec $TGT sysctl -qw net.ipv4.tcp_timestamps="$ts_before"
# The rig late on every try (a loaded machine) says nothing of the target:
# a skip, and the checks of what it diverged at are skipped with it.
if is_status "$status" 1 "with the target's timestamps off: exit 1 (it is the target's kernel that answers)" "$out" &&
	[ "$status" = 1 ]; then
	like "$out" "first divergence: script line [0-9]+, capture packet #2" "diverging at the SYN-ACK, packet #2"
	like "$out" "live: +8080>40000 S\\. 0:0\\(0\\) ack 1 win [0-9]+ <mss 65495,nop,nop,sackOK,nop,wscale 10>$" \
		"whose options have no timestamp, and the segment's MSS"
else
	[ "$status" = 1 ] || printf '%s\n' "$out" | head -20 | sed 's/^/#   /' | fail_detail
fi
rig replay "${AGENT[@]}" --sysctl net.ipv4.tcp_timestamps=0 $caps/http_get.pcap
is_status "$status" 1 "--sysctl through the agent: the same divergence" "$out"
sleep 0.2
is "$(tgt_sysctl net.ipv4.tcp_timestamps)" "$ts_before" "and the agent put the sysctl back"

rig replay $caps/client_abort.pcap
is "$status" 3 "agentless, a capture whose target makes calls: exit 3 (not run)"
like "$out" "^SKIP  $caps/client_abort\\.pcap#1" "SKIP"
like "$out" "needs an agent" "needs an agent"
rig replay "${AGENT[@]}" --all -j 2 $caps/three_flows.pcap
is "$status" 2 "replay --target --all -j 2: exit 2 (one flow at a time)"
segment_mtu 1500

# --- probe --target ---------------------------------------------------------------
bridge_start
rig probe --port 8080 --seq 5000 --count 3 --interval 0.05
bridge_stop
is "$status" 0 "probe --target of a closed port, agentless: exit 0 (answered)"
like "$out" '^[0-9.]+ > R\. 0:0\(0\) ack 5001 win 0$' "RST-ACK, ack 5001"
like "$out" '^# 3 sent, 3 answered' "3 sent, 3 answered"
phantom=$(printf '%s\n' "$out" | sed -n 's/^# rig \([0-9.]*\):40000 -> target .*/\1/p')
sent=$(bridge_lines | grep -c " IP $phantom\\.40000 > ")
to_target=$(bridge_lines | grep -c " IP $phantom\\.40000 > $TGT_IP\\.8080: Flags \\[S\\]")
is "$sent $to_target" "3 3" "the bridge saw the 3 SYNs, all from the phantom to the target"

rig probe --port 9000 --listen "${AGENT[@]}" --mss 1460 --ts 100:0
is "$status" 0 "probe --target --listen, the listener made by the agent: exit 0"
like "$out" '^[0-9.]+ > S\. 0:0\(0\) ack 1001 win [0-9]+ <mss 1460,nop,nop,TS val [0-9]+ ecr 100>$' \
	"SYN-ACK: ack 1001, TS ecr 100"
like "$out" ', listening \(made by the agent\)$' "saying who made the listener"
sleep 0.2
is "$(ip netns exec $TGT ss -Htan 'sport = :9000' | wc -l)" 0 "no socket on port 9000 left on the target"

rig probe --port 9000 --listen "${AGENT[@]}" --bad-csum --wait 0.3
is "$status" 1 "a bad checksum: the target drops it, exit 1"

bridge_start
rig probe --port 9000 --listen
is "$status" 2 "--listen without --agent: exit 2"
like "$out" "needs --agent" "saying so"
out=$(cd "$root" && ip netns exec $RIG "$TCPRIG" probe --target 198.51.100.7 --iface r0 --port 80 2>&1)
is "$?" 2 "a --target off r0's subnet: exit 2"
like "$out" "198\\.51\\.100\\.7 is not on r0's subnet" "naming it"
rig probe --port 80 --lab x
is "$status" 2 "--lab with --target: exit 2"
out=$(cd "$root" && ip netns exec $RIG "$TCPRIG" probe --target 203.0.113.300 --iface r0 --port 80 2>&1)
is "$?" 2 "--target 203.0.113.300: exit 2"
ip -n $RIG route add default via $TGT_IP dev r0
rig probe --port 8080
ip -n $RIG route del default
is "$status" 2 "an --iface carrying the default route: exit 2"
bridge_stop
# The agent's own connection of the probe before may still be closing
# (its listener ends the session after restoring, under load late): its
# port is not the commands' doing.
tcp_frames=$(bridge_lines | grep -F 'Flags [' | grep -Ev "$TGT_IP\.$APORT[ :]|$TGT_IP\.$APORT\$")
is "$(printf '%s' "$tcp_frames" | grep -c .)" 0 "none of them put a TCP frame on the segment"
[ -z "$tcp_frames" ] || printf '%s\n' "$tcp_frames" | sed 's/^/#   /' | fail_detail
out=$(cd "$root" && ip netns exec $RIG "$TCPRIG" probe --target 203.0.113.77 --iface r0 --port 80 2>&1)
is "$?" 3 "a --target nobody answers ARP for: exit 3"
like "$out" "does not answer ARP on r0" "saying so"

done_testing
