# remote_ns.sh - the remote tests' segment; sourced, not run (after tap.sh,
# with TCPRIG set). Three network namespaces made with ip(8), not with
# tcprig's lab code -- a rig ($RIG, interface r0, $RIG_IP), a bridge ($BR),
# a target ($TGT, interface t0, $TGT_IP) -- joined by two veth pairs on the
# bridge, so the target is another host on the rig's segment. Offloads are
# off everywhere: segments cross as on a wire, as in a lab.
#
# It gives: $tmp (removed at exit), $tmp/token and $tmp/wrong (two tokens),
# $pids (processes killed at exit: add yours), start_agent [ARGS...] (the
# agent in $TGT on $TGT_IP:$APORT, its stderr in $tmp/agent.log;
# AGENT_ENV=... for its environment), stop_agent, tgt_sysctl NAME. The EXIT
# trap removes every namespace and process.
require_lab_privileges
command -v tcpdump >/dev/null || skip_all "tcpdump not installed"
command -v python3 >/dev/null || skip_all "python3 not installed"

tmp=$(mktemp -d)
RIG=trm-$$-rig BR=trm-$$-br TGT=trm-$$-tgt
RIG_IP=203.0.113.1 TGT_IP=203.0.113.2 APORT=7777
pids=()
remote_ns_cleanup() {
	local p
	for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null; done
	for p in "${pids[@]}"; do wait "$p" 2>/dev/null; done
	ip netns del $RIG 2>/dev/null
	ip netns del $BR 2>/dev/null
	ip netns del $TGT 2>/dev/null
	rm -rf "$tmp"
}
trap remote_ns_cleanup EXIT
sweep_test_ns trm

nooffload() { ip netns exec "$1" ethtool -K "$2" tx off rx off tso off gso off gro off >/dev/null 2>&1 || true; }
ip netns add $RIG && ip netns add $BR && ip netns add $TGT || skip_all "cannot make namespaces"
ip -n $BR link add br0 type bridge && ip -n $BR link set br0 up
ip -n $RIG link add r0 type veth peer name br-r netns $BR
ip -n $TGT link add t0 type veth peer name br-t netns $BR
for p in br-r br-t; do
	ip -n $BR link set $p master br0 && ip -n $BR link set $p up && nooffload $BR $p
done
ip -n $RIG addr add $RIG_IP/24 dev r0 && ip -n $RIG link set r0 up && ip -n $RIG link set lo up
ip -n $TGT addr add $TGT_IP/24 dev t0 && ip -n $TGT link set t0 up && ip -n $TGT link set lo up
nooffload $RIG r0
nooffload $TGT t0

head -c 32 /dev/urandom | base64 >"$tmp/token" && chmod 600 "$tmp/token"
head -c 32 /dev/urandom | base64 >"$tmp/wrong" && chmod 600 "$tmp/wrong"

# start_agent [ARGS...]: the agent in the target namespace; waits for it.
start_agent() {
	ip netns exec $TGT env ${AGENT_ENV:-} "$TCPRIG" agent --listen $TGT_IP:$APORT \
		--token-file "$tmp/token" "$@" 2>"$tmp/agent.log" &
	agent_pid=$!
	pids+=("$agent_pid")
	for _ in $(seq 1 100); do
		grep -q listening "$tmp/agent.log" && return 0
		sleep 0.05
	done
	return 1
}
stop_agent() { kill "$agent_pid" 2>/dev/null; wait "$agent_pid" 2>/dev/null; }
tgt_sysctl() { ip netns exec $TGT sysctl -n "$1"; }
