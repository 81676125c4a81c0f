#!/usr/bin/env bash
# The risk cases pass whichever of their outcomes held, so a PASS alone says
# little: a target that answered nothing would pass fin_retransmit_after_close
# as "nothing". This pins each case's outcome on this kernel, under its
# defaults and under the settings that should change it, so that every
# label is seen to be reachable and the cases are seen to tell them apart.
TCPRIG=${1:?usage: risks.sh path/to/tcprig}
. "$(dirname "$0")/tap.sh"
require_lab_privileges
risks=$(cd "$(dirname "$0")/../.." && pwd)/cases/risks

# "case=outcome" per case, in name order; a case the rig could not conclude
# (INCONCLUSIVE on every try) is "case=?", and matches any outcome.
outcomes() {
	printf '%s\n' "$1" | sed -n \
		-e 's|^PASS  .*/\([a-z_0-9]*\)\.pkt  ([0-9.]* s, outcome \([^,)]*\)\(, try [0-9]*\)\{0,1\})$|\1=\2|p' \
		-e 's|^INCONCLUSIVE  .*/\([a-z_0-9]*\)\.pkt  .*|\1=?|p'
}

# is_outcomes OUTPUT WANT DESCRIPTION: `is` on the run's outcomes (WANT:
# "case=outcome" separated by '; '), a case=? matching any outcome.
is_outcomes() {
	local g w i got=()
	mapfile -t g < <(outcomes "$1")
	mapfile -t w < <(printf '%s\n' "$2" | sed 's/; /\n/g')
	for i in "${!g[@]}"; do
		if [ "${g[$i]#*=}" = "?" ] && [ "${g[$i]%%=*}" = "${w[$i]%%=*}" ]; then
			got+=("${w[$i]}")
		else
			got+=("${g[$i]}")
		fi
	done
	is "$(printf '%s; ' "${got[@]}")" "$2; " "$3"
}

out=$("$TCPRIG" run -j 2 "$risks" 2>&1)
is_status "$?" 0 "the risk cases under the namespace's defaults (tw_reuse=2, rfc1337=0): exit 0" "$out"
is_outcomes "$out" \
	"fin_retransmit_after_close=ack; port_exhaustion_one_port=exhausted!; stale_rst_kills_reused_port=refused; tw_assassinated_by_rst=killed!" \
	"TIME_WAIT re-ACKs the FIN; one port in TIME_WAIT exhausts connect(); the RST assassinates"

out=$("$TCPRIG" run -j 2 --sysctl net.ipv4.tcp_rfc1337=1 "$risks/tw_assassinated_by_rst.pkt" 2>&1)
is_outcomes "$out" "tw_assassinated_by_rst=survives" \
	"rfc1337=1: the TIME_WAIT socket survives the RST"

out=$("$TCPRIG" run -j 2 --sysctl net.ipv4.tcp_tw_reuse=1 "$risks/port_exhaustion_one_port.pkt" \
	"$risks/stale_rst_kills_reused_port.pkt" 2>&1)
is_outcomes "$out" \
	"port_exhaustion_one_port=reused; stale_rst_kills_reused_port=reused killed!" \
	"tw_reuse=1: the port is reused, and the stale RST kills the new connection"

out=$("$TCPRIG" run -j 2 --sysctl net.ipv4.tcp_max_tw_buckets=0 "$risks/fin_retransmit_after_close.pkt" 2>&1)
is_outcomes "$out" "fin_retransmit_after_close=rst!" \
	"no TIME_WAIT kept (tcp_max_tw_buckets=0): the retransmitted FIN draws an RST"

done_testing
