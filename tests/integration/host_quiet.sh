#!/usr/bin/env bash
# Privileges and blast radius.
#   - Once its lab, agent and rig sockets are set up, a worker keeps only what
#     removing the lab needs: while a case plays, the worker's effective,
#     permitted and bounding sets hold neither CAP_NET_RAW nor CAP_NET_ADMIN
#     (CAP_SYS_ADMIN stays, for umount2 under /run/netns), no_new_privs is
#     set; its agent, forked before the drop, keeps what sysctls and shell
#     lines need; the case still passes and its lab is still removed.
#   - No packet leaves a lab: `tcpdump -i any` in the host namespace, on the
#     labs' address ranges, sees 0 packets during a full default catalogue run
#     and a probe. The same capture in a lab's target namespace sees a probe
#     there: it would see them if they came.
TCPRIG=${1:?usage: host_quiet.sh path/to/tcprig}
here=$(cd "$(dirname "$0")/.." && pwd)
. "$(dirname "$0")/tap.sh"
require_lab_privileges

tmp=$(mktemp -d)
cap_pid=
trap '[ -n "$cap_pid" ] && kill "$cap_pid" 2>/dev/null; rm -rf "$tmp"; cleanup_labs' EXIT

CAP_DAC_OVERRIDE=1 CAP_NET_ADMIN=12 CAP_NET_RAW=13 CAP_SYS_ADMIN=21
status_field() { # PID FIELD: the value of FIELD in /proc/PID/status
	awk -v f="$2:" '$1 == f { print $2 }' "/proc/$1/status" 2>/dev/null
}
has_cap() { # HEX-MASK CAP
	[ -n "$1" ] && [ $(((16#$1 >> $2) & 1)) -eq 1 ]
}

# A case that plays for 2 s after its setup, and passes.
fixture=$tmp/waits.pkt
cat >"$fixture" <<'EOF'
// A closed port's RST, then 2 s in which nothing may come; sets a knob so
// that teardown restores it through the agent.
--sysctl=net.ipv4.tcp_rfc1337=1
0        < S 1000:1000(0) win 32792
+0       > R. 0:0(0) ack 1 win 0
+0~+2    > nothing
EOF
"$TCPRIG" run -j 1 "$fixture" >"$tmp/run.out" 2>&1 &
pid=$!
worker= agent= eff=
for _ in $(seq 1 100); do
	worker=$(pgrep -P "$pid" | head -1)
	[ -n "$worker" ] && agent=$(pgrep -P "$worker" | head -1)
	# The drop is the last step of the worker's setup: it has happened once
	# the worker has lost CAP_NET_RAW or the case has started (t = 0 is
	# after setup; the RST is back well within the 2 s that follow).
	eff=$(status_field "$worker" CapEff)
	[ -n "$agent" ] && [ -n "$eff" ] && ! has_cap "$eff" $CAP_NET_RAW && break
	sleep 0.02
done
prm=$(status_field "$worker" CapPrm)
bnd=$(status_field "$worker" CapBnd)
inh=$(status_field "$worker" CapInh)
amb=$(status_field "$worker" CapAmb)
nnp=$(status_field "$worker" NoNewPrivs)
agent_eff=$(status_field "$agent" CapEff)
diag "worker $worker: CapEff $eff CapPrm $prm CapBnd $bnd CapInh $inh CapAmb $amb NoNewPrivs $nnp"
command -v capsh >/dev/null && [ -n "$eff" ] && diag "worker keeps: $(capsh --decode="$eff")"
diag "agent $agent: CapEff $agent_eff"
ok "$([ -n "$eff" ] && echo 0 || echo 1)" "a running worker's capabilities can be read"
for set in eff prm bnd; do
	mask=${!set}
	ok "$(has_cap "$mask" $CAP_NET_RAW && echo 1 || echo 0)" "worker Cap${set^}: CAP_NET_RAW dropped"
	ok "$(has_cap "$mask" $CAP_NET_ADMIN && echo 1 || echo 0)" "worker Cap${set^}: CAP_NET_ADMIN dropped"
done
ok "$(has_cap "$eff" $CAP_SYS_ADMIN && echo 0 || echo 1)" "worker CapEff: CAP_SYS_ADMIN kept (umount2 of the lab)"
ok "$([ -n "$eff" ] && [ $((16#$eff & ~((1 << CAP_SYS_ADMIN) | (1 << CAP_DAC_OVERRIDE)))) -eq 0 ] &&
	echo 0 || echo 1)" "worker CapEff: nothing else (CAP_DAC_OVERRIDE at most, when /run/netns needs it)"
is "$inh/$amb" "0000000000000000/0000000000000000" "worker: empty inheritable and ambient sets"
is "$nnp" 1 "worker: no_new_privs"
ok "$(has_cap "$agent_eff" $CAP_NET_ADMIN && echo 0 || echo 1)" \
	"the agent keeps CAP_NET_ADMIN (sysctls and shell lines in the target)"
wait "$pid"
is_status "$?" 0 "the case passes with the worker's capabilities dropped" "$(cat "$tmp/run.out")"
like "$(cat "$tmp/run.out")" '^(PASS|INCONCLUSIVE)  ' "it says PASS (or INCONCLUSIVE: the rig late)"
is "$(tcprig_labs | grep -c "^tcprig-$worker-")" 0 "the worker still removed its lab"

# Blast radius.
filter='net 192.0.2.0/24 or net 198.51.100.0/24'
# A host whose own network lies in a lab range (on this kind of machine eth0
# is 192.0.2.2/24, its gateway 192.0.2.1) talks to it now and then: frames
# on that interface sent with its own MAC, or received from a neighbour it
# knows (the gateway), are the host's, not a lab's. A frame the rig put on
# a host interface would carry a lab veth's MAC: it still counts.
host_own=()
for dev in $(ip -o -4 addr show | awk '$4 ~ /^(192\.0\.2|198\.51\.100)\./ {print $2}' | sort -u); do
	mac=$(cat "/sys/class/net/$dev/address" 2>/dev/null)
	[ -n "$mac" ] || continue
	host_own+=("^[0-9:.]+ $dev +Out +ifindex [0-9]+ $mac ")
	for n in $(ip neigh show dev "$dev" | awk '{for (i = 1; i < NF; i++) if ($i == "lladdr") print $(i + 1)}'); do
		host_own+=("^[0-9:.]+ $dev +In +ifindex [0-9]+ $n ")
	done
	diag "host interface $dev has an address in a lab range: its own traffic is not counted"
done
host_own_count() { # FILE: how many of its packets are the host's own
	local n=0 re
	for re in "${host_own[@]}"; do
		n=$((n + $(tcpdump -r "$1" -n -e 2>/dev/null | grep -Ec "$re")))
	done
	echo "$n"
}

# Immediate mode: without it, packets still in the ring's current block when
# tcpdump is stopped are counted "received by filter" but never written.
capture_start() { # FILE [NETNS]: tcpdump -i any there, until capture_stop
	local in=()
	[ -n "${2:-}" ] && in=(ip netns exec "$2")
	"${in[@]}" tcpdump -i any -n -p -U --immediate-mode -Z root -w "$1" "$filter" 2>"$1.err" &
	cap_pid=$!
	for _ in $(seq 1 100); do
		grep -q 'listening on' "$1.err" && return 0
		sleep 0.05
	done
	return 1
}
capture_stop() { # FILE: prints how many packets it holds
	sleep 0.2
	kill -INT "$cap_pid"
	wait "$cap_pid"
	cap_pid=
	tcpdump -r "$1" -n 2>/dev/null | wc -l
}

# Control: the capture sees lab traffic where there is some.
keep=quiet$$
tap_labs+=("$keep")
"$TCPRIG" lab up "$keep" >/dev/null
capture_start "$tmp/control.pcap" "tcprig-keep-$keep-tgt"
ok $? "control: tcpdump -i any listens in a lab's target namespace"
"$TCPRIG" probe --lab "$keep" --port 9 --wait 0.2 >/dev/null 2>&1
n=$(capture_stop "$tmp/control.pcap")
ok "$([ "$n" -ge 2 ] && echo 0 || echo 1)" "control: it sees the probe and its answer there ($n packets)"
"$TCPRIG" lab down "$keep" >/dev/null

capture_start "$tmp/host.pcap"
ok $? "tcpdump -i any listens in the host namespace ($filter)"
out=$("$TCPRIG" run -j 2 "$here/../cases/basic" "$here/../cases/timewait" 2>&1)
status=$?
# Its verdicts are the catalogue tests' business; this one needs every case
# run (INCONCLUSIVE ran too: the rig was late, exit 3 all the same).
ok "$([ "$status" -le 1 ] || { [ "$status" -eq 3 ] && ! grep -q 'could not run' <<<"$out"; } && echo 0 || echo 1)" \
	"the default catalogue runs meanwhile (exit $status)"
diag "$(printf '%s\n' "$out" | tail -1)"
"$TCPRIG" probe --port 9 --listen --wait 0.2 >/dev/null 2>&1
is "$?" 0 "a probe answers meanwhile"
all=$(capture_stop "$tmp/host.pcap")
own=$(host_own_count "$tmp/host.pcap")
n=$((all - own))
[ "$own" -eq 0 ] || diag "$own packets of the host's own traffic with its network, not counted"
is "$n" 0 "the host side saw 0 packets to or from the lab ranges"
like "$(cat "$tmp/host.pcap.err")" "^$all packets received by filter" \
	"tcpdump's own count agrees: what the file holds ($all) is all it received"
[ "$n" -eq 0 ] || tcpdump -r "$tmp/host.pcap" -n -e 2>/dev/null | head -5 | sed 's/^/# /'
done_testing
