#!/usr/bin/env bash
# 'tcprig replay': captured conversations played against the live kernel in
# a lab. Captures of real programs (pcaps/replay/) and a catalogue capture
# (the target's TIME_WAIT re-ACKs a retransmitted FIN) match; the same
# capture against a target without TIME_WAIT (tcp_max_tw_buckets=0), or
# without timestamps, diverges, and the report names the script line, the
# capture packet, the field, recorded vs live, also in --json. --list shows
# the flows. Bad input: exit 2, the file named, no lab made.
TCPRIG=${1:?usage: replay.sh path/to/tcprig}
. "$(dirname "$0")/tap.sh"
require_lab_privileges
here=$(cd "$(dirname "$0")/../.." && pwd)
caps=$here/pcaps/replay
tw=$here/pcaps/linux-6.18.44/tw_reacks_retransmitted_fin.pcap
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"; cleanup_labs' EXIT

# --loose_segments (pcap2case writes it for bulk data): a cut at the rig's
# window edge may move the target's segment boundaries, nothing else may.
d=$here/tests/cases_run/reseg
expect_run 0 "--loose_segments: data cut at the rig's window edge, lines cut elsewhere" \
	"$d/edge_cut.pkt"
if expect_run 1 "without --loose_segments the same cut is a difference" "$d/edge_cut_strict.pkt"; then
	like "$out" 'first difference: tcp len' "of length"
fi
if expect_run 1 "--loose_segments: shorter lines with no window edge near still differ" \
	"$d/no_edge.pkt"; then
	like "$out" 'first difference: tcp len' "of length"
fi

# --loose_acks (pcap2case writes it when the recording's kernel folded its
# ACK of the rig's data into a later one): live, that ACK may come first,
# before the line's window or inside it, and is passed over; without the
# option it fails the line, and a line that is not a pure ACK passes over
# nothing.
d=$here/tests/cases_run/fold
for c in early within; do
	if expect_run 0 "--loose_acks: an ACK the script folded into the FIN's, passed over ($c)" \
		--ladder "$d/$c.pkt"; then
		like "$out" 'note: an ACK of less than line [0-9]+.s, which the recording folded into it: passed over \(--loose_acks\)' \
			"  the ladder shows it, saying why"
	fi
	sed '/^--loose_acks$/d' "$d/$c.pkt" >"$tmp/$c-strict.pkt"
	expect_run 1 "without --loose_acks the same ACK fails the line ($c)" "$tmp/$c-strict.pkt"
done
sed 's/^+0~+.25 > \. 1:1(0) ack 12/+0~+.25 > F. 1:1(0) ack 12/' "$d/early.pkt" >"$tmp/not_pure.pkt"
expect_run 1 "--loose_acks passes over nothing for a line that is not a pure ACK" "$tmp/not_pure.pkt"

# --list
out=$("$TCPRIG" replay --list "$caps/http_get.pcap")
is "$?" 0 "--list: exit 0"
like "$out" '^ +1  127\.0\.0\.1:[0-9]+ +127\.0\.0\.1:18080 +12 +304 +0\.[0-9]{6} s  FIN$' \
	"--list: flow 1, curl to http.server: 12 packets, 304 bytes, ended by FIN"
out=$("$TCPRIG" replay --list "$here/pcaps/linux-6.18.44/port_exhaustion.pcap")
like "$out" '^ +3  192\.0\.2\.1:40000 +192\.0\.2\.2:8080 +3 +0 .* open$' \
	"--list: a reused port is a new flow; one without FIN or RST is open"
like "$("$TCPRIG" replay --list "$caps/refused.pcap")" ' 2 +0 +0\.[0-9]+ s  RST$' \
	"--list: a refused connection ended by RST"

# Real programs, replayed: they match.
# http_get_any_swapped: two packets written out of causal order (the
# server's ACK of the client's FIN before that FIN), as a packet socket on
# "any" does now and then; pcap2case puts them back.
for cap in http_get http_get_any http_get_any_swapped refused client_abort; do
	if replay_run 0 "$cap: the live target answers as recorded (exit 0)" "$caps/$cap.pcap"; then
		like "$out" "^MATCH  .*/$cap\.pcap#1  " "$cap: MATCH"
	fi
done
replay_run 0 "http_get as pcapng: exit 0" "$caps/http_get.pcapng"
replay_run 0 "http_get, the rig as the server (curl's kernel is the target): exit 0" \
	--side server "$caps/http_get.pcap"

# The TIME_WAIT capture: the recorded target re-ACKed the rig's retransmitted
# FIN; a target without TIME_WAIT answers RST, at capture packet #7.
if replay_run 0 "TIME_WAIT re-ACKs: the default kernel matches" "$tw" \
	--pcap "$tmp/live.pcap" --script "$tmp/tw.pkt"; then
	like "$("$TCPRIG" replay --list "$tmp/live.pcap")" '1 TCP, 1 flow$|, 1 flow$' "--pcap: the live run's capture, one flow"
	like "$(cat "$tmp/tw.pkt")" 'Kept all the same, with the target.s answer: 2 retransmissions of a FIN' \
		"--script: the generated script keeps the retransmitted FINs with the re-ACKs"
fi
replay_run 0 "TIME_WAIT re-ACKs, --keep-retransmits: matches too" --keep-retransmits "$tw"
if replay_run 1 "no TIME_WAIT (tcp_max_tw_buckets=0): diverges (exit 1)" "$tw" \
	--sysctl net.ipv4.tcp_max_tw_buckets=0 --json "$tmp/tw.json"; then
	like "$out" '^DIVERGED  ' "DIVERGED"
	like "$out" '^      first divergence: script line 24, capture packet #7$' \
		"names the script line and the capture packet"
	like "$out" '^        field:    tcp flags$' "the field"
	like "$out" '^        recorded: > \. 2:2\(0\) ack 2 <nop,nop,TS val 741 ecr 120>$' "what was recorded"
	like "$out" '^        live:     8080>40000 R 2:2\(0\) win 0$' "what came live"
	like "$out" ' 24 X \|<--- 8080>40000 R 2:2\(0\) win 0' "and the ladder marks it"
	is "$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))["flows"][0]["divergence"]; print(d["line"], d["packet"], d["field"], "|", d["recorded"], "|", d["live"])' "$tmp/tw.json")" \
		"24 7 tcp flags | > . 2:2(0) ack 2 <nop,nop,TS val 741 ecr 120> | 8080>40000 R 2:2(0) win 0" \
		"--json: the same divergence"
	is "$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["flows"][0]["verdict"], d["run"]["cases"][0]["verdict"])' "$tmp/tw.json")" \
		"DIVERGED FAIL" "--json: the verdict, and the run as run --json writes it"
fi
if replay_run 1 "curl's capture against a target without timestamps: diverges" \
	"$caps/http_get.pcap" --sysctl net.ipv4.tcp_timestamps=0; then
	like "$out" 'first divergence: script line [0-9]+, capture packet #2$' "at the SYN-ACK, packet #2"
fi

# --all: every flow in its own lab, two at a time.
if replay_run 0 "--all -j 2: two curl requests and a refused connect all match" \
	--all -j 2 "$caps/three_flows.pcap" --json "$tmp/all.json" --pcap "$tmp/alldir"; then
	like "$out" '^3 matched, 0 diverged, 0 skipped, 0 could not tell$' "--all: the summary"
	like "$out" '^MATCH  .*three_flows\.pcap#3  ' "--all: each flow named"
	is "$(python3 -c 'import json,sys; print(" ".join("%d:%s" % (f["flow"], f["verdict"]) for f in json.load(open(sys.argv[1]))["flows"]))' "$tmp/all.json")" \
		"1:MATCH 2:MATCH 3:MATCH" "--all --json: a verdict per flow"
	is "$(ls "$tmp/alldir" | tr '\n' ' ')" "flow-1.pcap flow-2.pcap flow-3.pcap " "--all --pcap DIR: a capture per flow"
fi
if replay_run 1 "--all: a flow that diverges makes the whole exit 1" \
	--all "$caps/three_flows.pcap" --sysctl net.ipv4.tcp_timestamps=0; then
	like "$out" '^1 matched, 2 diverged, 0 skipped, 0 could not tell$' \
		"the refused connect (no timestamps in it) still matches"
fi
out=$("$TCPRIG" replay --all --flow 2 "$caps/three_flows.pcap" 2>&1)
is "$?" 2 "--all with --flow: exit 2"

# Bad input: exit 2, one line naming the file, nothing on stdout, no lab.
printf 'garbage' >"$tmp/garbage.pcap"
out=$("$TCPRIG" replay "$tmp/garbage.pcap" 2>"$tmp/err")
is "$?" 2 "a garbage capture: exit 2"
like "$(cat "$tmp/err")" 'garbage\.pcap: not a pcap or pcapng file$' "names the file"
is "$out" "" "nothing on stdout (no lab was made, nothing sent)"
out=$("$TCPRIG" replay "$tmp/missing.pcap" 2>&1)
is "$?" 2 "a missing capture: exit 2"
like "$out" 'missing\.pcap: No such file or directory' "names it"
out=$("$TCPRIG" replay "$caps/http_get.pcap" --sysctl kernel.panic=1 2>&1)
is "$?" 2 "a sysctl outside net.*: exit 2"
out=$("$TCPRIG" replay "$caps/http_get.pcap" --flow 0 2>&1)
is "$?" 2 "--flow 0: exit 2"

done_testing
