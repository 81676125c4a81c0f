#!/usr/bin/env bash
# Labs never outlive their use: a command's throwaway lab goes when it exits,
# on SIGINT and SIGTERM too; after SIGKILL the next run reaps it; a persistent
# lab stays until `lab down` and is never reaped.
TCPRIG=${1:?usage: lab_lifecycle.sh path/to/tcprig}
. "$(dirname "$0")/tap.sh"
require_lab_privileges

# A throwaway lab exists while its command runs; prints the lab's name.
wait_for_lab_of() { # PID
	local i
	for i in $(seq 1 100); do
		tcprig_labs | grep -q "^tcprig-$1-" && { echo "tcprig-$1"; return 0; }
		sleep 0.05
	done
	return 1
}

lab=$("$TCPRIG" probe --port 9 --wait 0.1 2>&1 | sed -n 's/^# lab \(tcprig-[0-9-]*\):.*/\1/p')
like "$lab" '^tcprig-[0-9]+-[0-9]+$' "the probe names its lab ($lab)"
is "$(tcprig_labs | grep -c "^$lab-")" 0 "a finished probe leaves no lab"

for sig in INT TERM HUP; do
	# A non-interactive shell starts background jobs with SIGINT ignored.
	env --default-signal=$sig "$TCPRIG" probe --port 9 --wait 20 >/dev/null 2>&1 &
	pid=$!
	lab=$(wait_for_lab_of $pid)
	ok $? "SIG$sig: the probe's lab $lab exists while it runs"
	kill -$sig $pid
	wait $pid
	status=$?
	ok $((status < 128 ? 1 : 0)) "SIG$sig: the probe died of the signal (status $status)"
	is "$(tcprig_labs | grep -c "^$lab-")" 0 "SIG$sig: its lab is gone"
done

"$TCPRIG" probe --port 9 --wait 20 >/dev/null 2>&1 &
pid=$!
lab=$(wait_for_lab_of $pid)
kill -KILL $pid
wait $pid 2>/dev/null
is "$(tcprig_labs | grep -c "^$lab-")" 2 "SIGKILL leaves the lab behind (both namespaces)"
like "$("$TCPRIG" lab list)" "^$lab-[0-9]+	creator $pid \(dead: stale\)" "lab list marks it stale"
"$TCPRIG" probe --port 9 --wait 0.1 >/dev/null 2>&1
is "$(tcprig_labs | grep -c "^$lab-")" 0 "the next run reaps it"

# Stale means the lock is free, not that a pid is gone: a stopped owner keeps
# its lab; a lab named after a live pid (1) whose lock nobody holds is stale.
"$TCPRIG" probe --port 9 --wait 20 >/dev/null 2>&1 &
pid=$!
lab=$(wait_for_lab_of $pid)
kill -STOP $pid
"$TCPRIG" lab reap >/dev/null
is "$(tcprig_labs | grep -c "^$lab-")" 2 "a stopped owner holds its lock: its lab is not reaped"
like "$("$TCPRIG" lab list)" "^$lab-[0-9]+	creator $pid \(running\)" "lab list: its owner holds the lock"
kill -KILL $pid
kill -CONT $pid 2>/dev/null
wait $pid 2>/dev/null
"$TCPRIG" lab reap >/dev/null
is "$(tcprig_labs | grep -c "^$lab-")" 0 "killed, its lock is free: reaped"
ls /run/tcprig/labs/"${lab#tcprig-}"*.lock >/dev/null 2>&1
ok $((! $?)) "and its lock file is gone"

fake=tcprig-1-$$
ip netns add "$fake-rig" && ip netns add "$fake-tgt"
ok $? "a leftover lab named after pid 1, which is alive"
like "$("$TCPRIG" lab list)" "^$fake	creator 1 \(dead: stale\)" "lab list: no lock held, stale"
"$TCPRIG" lab reap >/dev/null
is "$(tcprig_labs | grep -c "^$fake-")" 0 "reaped, though pid 1 is alive: its lock is free"

keep=life$$
tap_labs+=("$keep")
"$TCPRIG" lab up "$keep" >/dev/null
ok $? "lab up $keep"
like "$("$TCPRIG" lab list)" "^tcprig-keep-$keep	persistent" "lab list shows it persistent"
"$TCPRIG" lab reap >/dev/null
is "$(tcprig_labs | grep -c "^tcprig-keep-$keep-")" 2 "reaping never touches a persistent lab"
like "$(ip netns exec "tcprig-keep-$keep-tgt" ip -4 -o addr show dev tgt0)" \
	'inet 192\.0\.2\.1/24' "the target end has 192.0.2.1/24"
is "$(ip netns exec "tcprig-keep-$keep-rig" ip -4 -o addr show dev rig0 | wc -l)" 0 \
	"the rig end carries no IPv4 address"
like "$(ip netns exec "tcprig-keep-$keep-tgt" ip neigh show 192.0.2.2)" \
	'192\.0\.2\.2 dev tgt0 lladdr [0-9a-f:]+ PERMANENT' "the phantom is a permanent neighbour"
for end in rig:rig0 tgt:tgt0; do
	feats=$(ip netns exec "tcprig-keep-$keep-${end%%:*}" ethtool -k "${end#*:}" 2>/dev/null)
	if [ -z "$feats" ]; then
		ok 0 "# SKIP ethtool not installed"
		continue
	fi
	like "$feats" '^tcp-segmentation-offload: off' "${end#*:}: TSO off"
	like "$feats" '^generic-segmentation-offload: off' "${end#*:}: GSO off"
	like "$feats" '^generic-receive-offload: off' "${end#*:}: GRO off"
done
"$TCPRIG" lab up "$keep" >/dev/null 2>&1
ok $((! $?)) "lab up of an existing name fails"
"$TCPRIG" lab down "$keep"
ok $? "lab down $keep"
is "$(tcprig_labs | grep -c "^tcprig-keep-$keep-")" 0 "lab down removes both namespaces"
"$TCPRIG" lab down "$keep" >/dev/null 2>&1
is "$?" 2 "lab down of a lab that is not there: exit 2"
done_testing
