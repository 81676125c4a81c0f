#!/usr/bin/env bash
# Replaying a conversation an older incarnation answered (issue 14's round
# trip): the catalogue's syn_to_tw_older_acked (the rig's old SYN sent twice
# into TIME_WAIT, ACKed in the old numbers) and
# lost_last_ack_meets_reused_port (the target's SYN on a reused port met by
# the rig's FIN from LAST_ACK, the target's RST, its SYN again), captured
# with run --pcap. The SYNs repeating their conversation's ISN stay in it
# (replay --list), are kept as lines, not dropped as retransmissions; the
# FIN is written in the old numbers; both replay with MATCH. Without its
# TIME_WAIT (tcp_max_tw_buckets=0) the target answers the old SYN with a
# SYN-ACK: the replay diverges there, so those lines are checked.
TCPRIG=${1:?usage: replay_oldinc.sh path/to/tcprig}
. "$(dirname "$0")/tap.sh"
require_lab_privileges
here=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"; cleanup_labs' EXIT
tw=$tmp/syn_to_tw_older_acked.pcap
la=$tmp/lost_last_ack_meets_reused_port.pcap

out=$("$TCPRIG" run --pcap "$tmp" "$here/cases/timewait/syn_to_tw_older_acked.pkt" \
	"$here/cases/timewait/lost_last_ack_meets_reused_port.pkt" 2>&1)
status=$?
if [ "$status" = 3 ] && printf '%s\n' "$out" | grep -q INCONCLUSIVE; then
	skip_all "the rig was late on every try"
fi
is_status "$status" 0 "both cases pass and are captured" "$out"

# The splitter: a SYN with its conversation's ISN is that SYN again.
out=$("$TCPRIG" replay --list "$tw")
like "$out" ': 10 records, 10 TCP, 1 flow$' "old SYNs into TIME_WAIT: one conversation"
like "$out" '^ +1  192\.0\.2\.2:40000 +192\.0\.2\.1:8080 +10 +0 .* FIN$' \
	"  of all 10 packets, still ended by FINs"
out=$("$TCPRIG" replay --list "$la")
like "$out" ': 12 records, 12 TCP, 2 flows$' "LAST_ACK meets a reused port: two conversations"
like "$out" '^ +2  192\.0\.2\.1:40000 +192\.0\.2\.2:8080 +6 +0 .* open$' \
	"  the second of 6 packets (SYN, FIN, RST, SYN again, SYN-ACK, ACK), open"

# The scripts.
out=$("$TCPRIG" pcap2case "$tw")
is "$?" 0 "pcap2case: the TIME_WAIT capture converts"
like "$out" '^\+[0-9.]+ +< S 0:0\(0\) win 32792 <mss 1000,sackOK,nop,nop,nop,wscale 7>  // #7$' \
	"  the old SYN without TS kept, its ISN the conversation's (0)"
like "$out" '^\+[0-9.]+ +> \. 2:2\(0\) ack 2 <nop,nop,TS val [0-9]+ ecr 120>  // #8$' \
	"  and TIME_WAIT's ACK in the old numbers"
like "$out" '^\+[0-9.]+ +< S 0:0\(0\) win 32792 <mss 1000,sackOK,TS val 50 ecr 0,nop,wscale 7>  // #9$' \
	"  the old SYN with its old TS val (50) kept"
like "$out" '^// Kept: 2 SYNs sent again after a segment without SYN' "  the header says so"
unlike "$out" 'retransmission$' "  none of them taken for a retransmission"
out=$("$TCPRIG" pcap2case --flows all "$la")
is "$?" 0 "pcap2case --flows all: the LAST_ACK capture converts"
like "$out" '^\+[0-9.]+ +< F\. 1:1\(0\) ack 4294901759 win 65535 <nop,nop,TS val [0-9]+ ecr [0-9]+>  // #8$' \
	"  LAST_ACK's FIN: seq in the old numbers (absolute, 1), ack -65537 from the new SYN"
like "$out" '^\+[0-9.]+ +> R 4294901759:4294901759\(0\)  // #9$' "  the target's RST at that ack"
unlike "$out" 'SO_LINGER' "  its kernel's RST in SYN_SENT: no SO_LINGER, no close inferred"
like "$out" '^\+[0-9.]+~\+[0-9.]+ +> S 0:0\(0\) <mss 1460,sackOK,TS val [0-9]+ ecr [0-9]+,nop,wscale 10>  // #10$' \
	"  the target's SYN again kept, when its timer fired given a window"
like "$out" '^// flow 2: 1 SYN sent again on purpose, kept .*older incarnation \(#8\)' \
	"  the header says what was inferred"

# Replayed.
out=$("$TCPRIG" replay "$tw" 2>&1)
is_status "$?" 0 "replay: the TIME_WAIT capture matches" "$out"
unlike "$out" '^SKIP' "  no conversation skipped"
out=$("$TCPRIG" replay --flows all "$la" 2>&1)
is_status "$?" 0 "replay --flows all: the LAST_ACK capture matches" "$out"
out=$("$TCPRIG" replay --sysctl net.ipv4.tcp_max_tw_buckets=0 "$tw" 2>&1)
is_status "$?" 1 "without TIME_WAIT the old SYN opens a connection: diverged" "$out"
like "$out" 'first divergence: script line [0-9]+, capture packet #8$' "  at TIME_WAIT's ACK (#8)"
like "$out" 'tcp flags: expected \., actual S\.' "  a SYN-ACK instead"
done_testing
