#!/usr/bin/env bash
# Cleanup: a `tcprig run` stopped mid-case leaves nothing behind.
#   - SIGINT and SIGTERM to the run, and SIGINT to its whole process group (what
#     Ctrl-C does): the run ends with the signal, the worker's lab is gone from
#     /run/netns and its target namespace is gone from the kernel (with it the
#     phantom's neighbour entry and the --sysctl values the case set there),
#     no process of the run is left, and the host's own net.* values are the
#     ones it had before.
#   - SIGKILL to the whole process group (run, worker, agent): the lab stays,
#     `tcprig lab list` shows it stale, and the next run of any case removes it.
# Runs alone (is_parallel false), as lab_lifecycle.sh does: any other tcprig
# run on the machine would reap the stale lab before this one looks at it.
TCPRIG=${1:?usage: cleanup.sh path/to/tcprig}
here=$(cd "$(dirname "$0")/.." && pwd)
. "$(dirname "$0")/tap.sh"
require_lab_privileges
command -v setsid >/dev/null || skip_all "setsid (util-linux) not installed"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"; cleanup_labs' EXIT

# Knobs the case sets in its target, each to a value the host does not have,
# and a few more the host must keep too.
knobs=(net.ipv4.tcp_rfc1337 net.ipv4.tcp_max_tw_buckets net.ipv4.tcp_fin_timeout)
others=(net.ipv4.tcp_tw_reuse net.ipv4.ip_local_port_range net.ipv4.tcp_timestamps)
host_values() { sysctl -n "${knobs[@]}" "${others[@]}" | tr '\t\n' ' '; }
before=$(host_values)
declare -A set_to
set_to[net.ipv4.tcp_rfc1337]=$((1 - $(sysctl -n net.ipv4.tcp_rfc1337)))
set_to[net.ipv4.tcp_max_tw_buckets]=$(($(sysctl -n net.ipv4.tcp_max_tw_buckets) + 7))
set_to[net.ipv4.tcp_fin_timeout]=$(($(sysctl -n net.ipv4.tcp_fin_timeout) + 13))

# A case that sets the knobs, then waits 20 s in which nothing may come.
fixture=$tmp/waits.pkt
{
	echo "// Sets three knobs in the target, then waits: long enough to be stopped."
	for k in "${knobs[@]}"; do
		echo "--sysctl=$k=${set_to[$k]}"
	done
	echo "0        < S 1000:1000(0) win 32792"
	echo "+0       > R. 0:0(0) ack 1 win 0"
	echo "+0~+20   > nothing"
} >"$fixture"

# Starts the fixture in a session of its own; sets pid, worker, agent, lab
# (tcprig-<worker>-<n>) and tgt_ino (the target namespace's inode) once the
# case is playing with its knobs set in the target.
# A non-interactive shell starts background jobs with SIGINT ignored.
start_waiting_run() {
	setsid env --default-signal=INT "$TCPRIG" run -j 1 "$fixture" >"$tmp/run.out" 2>&1 &
	pid=$!
	worker= agent= lab= tgt_ino=
	local i v
	for i in $(seq 1 200); do
		worker=$(pgrep -P "$pid" | head -1)
		[ -n "$worker" ] && agent=$(pgrep -P "$worker" | head -1)
		[ -n "$worker" ] && lab=$(tcprig_labs | sed -n "s/^\(tcprig-$worker-[0-9]*\)-tgt\$/\1/p")
		if [ -n "$lab" ] && [ -n "$agent" ]; then
			v=$(ip netns exec "$lab-tgt" sysctl -n net.ipv4.tcp_fin_timeout 2>/dev/null)
			[ "$v" = "${set_to[net.ipv4.tcp_fin_timeout]}" ] && break
		fi
		sleep 0.05
	done
	tgt_ino=$(stat -L -c %i "/run/netns/$lab-tgt" 2>/dev/null)
}

# Namespace inode -> processes in it, and mounts of it: none once it is gone.
ns_users() { # INODE
	local p
	for p in /proc/[0-9]*; do
		[ "$(stat -L -c %i "$p/ns/net" 2>/dev/null)" = "$1" ] && echo "${p#/proc/}"
	done
	grep -c "net:\[$1\]" /proc/self/mountinfo | grep -v '^0$'
}

# A zombie counts as gone: it has left its namespaces and holds nothing. (An
# agent whose worker died is reparented and waits for init to reap it.)
gone() { # PID: ends within 3 s
	local i
	for i in $(seq 1 60); do
		[ "$(awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null)" = Z ] && return 0
		kill -0 "$1" 2>/dev/null || return 0
		sleep 0.05
	done
	return 1
}
# Reaped, not only dead: `tcprig lab list` and the reaper judge a creator by
# kill(pid, 0), which a zombie still passes.
reaped() { # PID: within 5 s
	local i
	for i in $(seq 1 100); do
		kill -0 "$1" 2>/dev/null || return 0
		sleep 0.05
	done
	return 1
}

for how in INT TERM INT-group; do
	sig=${how%-group}
	start_waiting_run
	ok "$([ -n "$lab" ] && [ -n "$tgt_ino" ] && echo 0 || echo 1)" \
		"$how: the case is playing in lab $lab (worker $worker, agent $agent)"
	for k in "${knobs[@]}"; do
		is "$(ip netns exec "$lab-tgt" sysctl -n "$k" 2>&1)" "${set_to[$k]}" \
			"$how: the target has $k=${set_to[$k]} while the case runs"
	done
	like "$(ip netns exec "$lab-tgt" ip neigh show 192.0.2.2 2>&1)" 'PERMANENT' \
		"$how: the phantom's neighbour entry is in the target"
	is "$(ns_users "$tgt_ino" | grep -cx "$agent")" 1 "$how: the agent runs in the target namespace"
	if [ "$how" = INT-group ]; then
		kill -INT -- -"$pid"     # Ctrl-C: the run, its worker and its agent
	else
		kill -"$sig" "$pid"      # the run alone; it stops its workers
	fi
	wait "$pid"
	status=$?
	is "$status" $((128 + $(kill -l "$sig"))) "$how: the run ends with the signal's status"
	is "$(tcprig_labs | grep -c "^$lab-")" 0 "$how: both of the lab's namespaces are gone from /run/netns"
	gone "$worker" && gone "$agent"
	ok $? "$how: the worker and the agent are gone"
	is "$(ns_users "$tgt_ino")" "" \
		"$how: the target namespace is gone from the kernel (no process in it, no mount of it)"
	is "$(host_values)" "$before" "$how: the host's net.* values are unchanged"
	is "$(ip neigh show 192.0.2.2)" "" "$how: the host has no neighbour entry for the phantom"
	is "$(stale_labs "$TCPRIG" | grep -c "^$lab")" 0 "$how: lab list shows no stale lab of it"
done

# SIGKILL to everything of the run: nothing can clean up, the next run does.
start_waiting_run
ok "$([ -n "$lab" ] && echo 0 || echo 1)" "KILL: the case is playing in lab $lab"
{ kill -KILL -- -"$pid" && wait "$pid"; } 2>/dev/null   # not bash's "Killed" notice
reaped "$worker" && gone "$agent"
ok $? "KILL: the run, the worker and the agent are gone (the worker reaped)"
is "$(tcprig_labs | grep -c "^$lab-")" 2 "KILL: the lab is left behind (both namespaces)"
like "$("$TCPRIG" lab list)" "^$lab	creator $worker \(dead: stale\)" "KILL: lab list shows it stale"
is "$(host_values)" "$before" "KILL: the host's net.* values are unchanged"
expect_run 0 "KILL: the next run passes" "$here/../cases/basic/rst_closed_port.pkt"
is "$(tcprig_labs | grep -c "^$lab-")" 0 "KILL: the next run removed the stale lab"
is "$(ns_users "$tgt_ino")" "" "KILL: its target namespace is gone from the kernel"
done_testing
