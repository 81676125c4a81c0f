#!/usr/bin/env bash
# The catalogue's round trip (issue 14): every case of the catalogue run
# with --pcap, each capture replayed (tcprig replay --all: the rig on the
# side it played and the case's sysctls, both from CAPTURE.settings, which
# run --pcap writes), and the two verdicts compared: a case that PASSed must
# replay with every conversation MATCHing.
# Stories a capture cannot tell one conversation at a time (a port reused
# while its old incarnation is in TIME_WAIT or LAST_ACK: the incarnations
# must meet in one lab, in order) are replayed with --flows all and pinned
# below with what they give and why. CAPTURE.settings itself: written, carried into pcap2case's script,
# and needed (without it a case's sysctls are lost and its replay diverges);
# a bad one is bad input.
# Usage: [TCPRIG_SLOW=1] roundtrip.sh path/to/tcprig [CASES-DIR]
# TCPRIG_SLOW=1 runs the slow cases too (run --slow: about 2 minutes more);
# without it they are SKIPs.
TCPRIG=${1:?usage: roundtrip.sh path/to/tcprig [cases-dir]}
. "$(dirname "$0")/tap.sh"
require_lab_privileges
here=$(cd "$(dirname "$0")/../.." && pwd)
cases=${2:-$here/cases}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"; cleanup_labs' EXIT

# Several conversations on one port (a port reused while its old
# incarnation is in TIME_WAIT or LAST_ACK): replayed together, in one lab
# (replay --flows all: one script, the TS clocks going on). What each gives
# (MATCH, DIVERGED@packet, or REFUSED: exit 2) and why when not MATCH; the
# test pins it, so a change shows (and the list cannot rot).
declare -A together why
together[syn_to_tw_newer_opens]=MATCH
together[syn_to_tw_lower_seq_newer_ts_opens]=MATCH
together[reuse_stale_rst_at_rcv_nxt_kills]=MATCH
# (its tcp_tw_reuse=1, set by a shell line half-way, comes back as a
# --sysctl-at line of CAPTURE.settings: tests/integration/sysctl_at.sh)
together[port_exhaustion]=MATCH
together[reuse_stale_segments_survive]=MATCH
together[lost_last_ack_meets_reused_port]=MATCH
# Timing the recording owed to the moment (README, "Limits"): the target's
# delayed ACK of the rig's FIN, 4.8 ms in the recording, may leave at once
# live. MATCH, or DIVERGED at that packet and nowhere else.
declare -A timing
timing[passive_close]=5

# summary JSON: "1:MATCH 2:DIVERGED@7 FIELD ..." for replay --json's flows.
summary() {
	python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
out = []
for f in d["flows"]:
    s = "%d:%s" % (f["flow"], f["verdict"])
    if f["verdict"] == "DIVERGED" and f["divergence"]:
        s += "@%s %s" % (f["divergence"]["packet"], f["divergence"]["field"])
    out.append(s)
print(" ".join(out))' "$1"
}

# 1. The catalogue, captured.
out=$("$TCPRIG" run -j 2 ${TCPRIG_SLOW:+--slow} --pcap "$tmp/pc" --json "$tmp/run.json" "$cases" 2>&1)
status=$?
is_status "$status" 0 "the catalogue runs with --pcap" "$out"
[ "$status" = 0 ] || printf '%s\n' "$out" | grep -v '^PASS' | sed 's/^/#   /' | fail_detail
verdicts=$(python3 -c '
import json, os, sys
for c in json.load(open(sys.argv[1]))["cases"]:
    print(os.path.basename(c["path"])[:-4], c["verdict"])' "$tmp/run.json")
ncases=$(printf '%s\n' "$verdicts" | grep -c .)
like "$ncases" '^[1-9][0-9]*$' "run --json lists the cases ($ncases)"

# 2. Each capture replayed with its settings; the verdicts compared.
same=0 together_same=0 refused=0 diverged=0 timing_div=0 notrun=0
while read -r stem verdict; do
	cap=$tmp/pc/$stem.pcap
	if [ "$verdict" != PASS ]; then
		ok 0 "$stem: # SKIP run said $verdict (slow cases run with TCPRIG_SLOW=1; the catalogue tests judge the rest)"
		notrun=$((notrun + 1))
		continue
	fi
	if [ ! -e "$cap" ] || [ ! -e "$cap.settings" ]; then
		ok 1 "$stem: run --pcap wrote its capture and its settings"
		continue
	fi
	out=$("$TCPRIG" replay --all -j 2 --json "$tmp/$stem.json" "$cap" 2>&1)
	status=$?
	if [ "$status" = 3 ] && printf '%s\n' "$out" | grep -q '^INCONCLUSIVE '; then
		ok 0 "$stem: # SKIP inconclusive: the rig was late on every try"
		continue
	fi
	got=$(summary "$tmp/$stem.json" 2>/dev/null)
	if [ -n "${together[$stem]}" ]; then
		out=$("$TCPRIG" replay --flows all --json "$tmp/$stem.together.json" "$cap" 2>&1)
		status=$?
		if [ "$status" = 3 ] && inconclusive "$out"; then
			ok 0 "$stem: together in one lab # SKIP inconclusive: the rig was late on every try"
			continue
		fi
		case $status in
		0) jgot=MATCH ;;
		2) jgot=REFUSED ;;
		*) jgot=$(summary "$tmp/$stem.together.json" 2>/dev/null | sed 's/^1://; s/ .*//') ;;
		esac
		is "$jgot" "${together[$stem]}" "$stem: its conversations together in one lab: ${together[$stem]}${why[$stem]:+ (${why[$stem]})}"
		[ "$jgot" = "${together[$stem]}" ] || printf '%s\n' "$out" | head -12 | sed 's/^/#   /' | fail_detail
		case $jgot in
		MATCH) same=$((same + 1)) together_same=$((together_same + 1)) ;;
		REFUSED) refused=$((refused + 1)) ;;
		*) diverged=$((diverged + 1)) ;;
		esac
		continue
	fi
	if [ -n "${timing[$stem]}" ] && [ "$status" = 1 ]; then
		like "$got" "^1:DIVERGED@${timing[$stem]} " \
			"$stem: diverged, only at the delayed ACK's moment (packet #${timing[$stem]})"
		timing_div=$((timing_div + 1))
		continue
	fi
	# replay --all exits 0 when a flow it could not make into a case is a
	# SKIP: for the round trip that is no match.
	if [ "$status" = 0 ] && { [ -z "$got" ] ||
		printf '%s\n' "$got" | grep -qv '^\([0-9]*:MATCH \?\)*$'; }; then
		status="0 but not every flow matched"
	fi
	is "$status" 0 "$stem: PASS in run, every flow MATCHes in replay ($got)"
	[ "$status" = 0 ] && same=$((same + 1))
	[ "$status" = 0 ] || printf '%s\n' "$out" | head -30 | sed 's/^/#   /' | fail_detail
done <<<"$verdicts"
diag "round trip of $ncases cases: $same the same verdict ($together_same of them several" \
	"conversations replayed together in one lab), $refused refused (pinned above, with" \
	"why), $diverged diverge (pinned above, with why), $timing_div at a" \
	"delayed ACK's moment, $notrun not run"

# 3. The settings file: what it says, that it is needed, bad ones.
nt=$tmp/pc/no_tw_rst_on_retransmitted_fin.pcap
if [ -e "$nt.settings" ]; then
	like "$(cat "$nt.settings")" '^--side 192\.0\.2\.2$' "settings: the rig's side, by its address"
	like "$(cat "$nt.settings")" '^--sysctl net\.ipv4\.tcp_max_tw_buckets=0$' "settings: the case's sysctl"
	like "$(cat "$tmp/pc/port_exhaustion.pcap.settings")" \
		'^--sysctl net\.ipv4\.ip_local_port_range=40000 40001$' "settings: a value of two fields"
	like "$("$TCPRIG" pcap2case "$nt")" '^--sysctl=net\.ipv4\.tcp_max_tw_buckets=0$' \
		"pcap2case: the settings' sysctls are the script's own"
	like "$("$TCPRIG" pcap2case --no-settings "$nt")" '^// Retransmissions' "pcap2case --no-settings: a script"
	unlike "$("$TCPRIG" pcap2case --no-settings "$nt")" '^--sysctl' "pcap2case --no-settings: without them"
	like "$("$TCPRIG" pcap2case "$tmp/pc/active_open.pcap")" 'The rig plays the server' \
		"pcap2case: the rig plays the side it played (the server: the target connected)"
	# Without its sysctls the target keeps TIME_WAIT and re-ACKs the FIN
	# that drew an RST: the settings are what makes the round trip hold.
	if replay_run 1 "replay --no-settings: the case's tcp_max_tw_buckets=0 lost, diverges" \
		--no-settings "$nt"; then
		like "$out" 'first divergence: script line [0-9]+, capture packet #8$' "at the RST, packet #8"
	fi
	replay_run 1 "replay: --sysctl given wins over the settings' (diverges too)" \
		--sysctl net.ipv4.tcp_max_tw_buckets=4096 "$nt"
fi
cp "$tmp/pc/passive_open.pcap" "$tmp/bad.pcap"
printf '# a comment\n--side 192.0.2.2\n  --sysctls net.ipv4.tcp_rfc1337=1\n' >"$tmp/bad.pcap.settings"
out=$("$TCPRIG" replay "$tmp/bad.pcap" 2>&1)
is "$?" 2 "a bad settings file: exit 2"
like "$out" 'bad\.pcap\.settings:3:3: .--sysctls.: only --side ADDRESS, --sysctl NAME=VALUE and --sysctl-at TIME NAME=VALUE lines$' "names FILE:LINE:COL"
unlike "$out" '^(MATCH|DIVERGED)' "nothing replayed"
printf -- '--sysctl net.ipv4.tcp_rfc1337=1 \n--sysctl kernel.panic=1\n' >"$tmp/bad.pcap.settings"
out=$("$TCPRIG" pcap2case "$tmp/bad.pcap" 2>&1)
is "$?" 2 "pcap2case: a settings file with a knob outside net.*: exit 2"
like "$out" "bad\.pcap\.settings:2:10: --sysctl: 'kernel\.panic': only net\.\* knobs" "names it"
out=$("$TCPRIG" pcap2case --side 198.51.100.7 "$tmp/pc/passive_open.pcap" 2>&1)
is "$?" 2 "--side ADDRESS of neither endpoint: exit 2"
like "$out" '--side 198\.51\.100\.7: flow 1 is client 192\.0\.2\.2:40000, server 192\.0\.2\.1:8080: neither has that address' \
	"says which endpoints the flow has"
out=$("$TCPRIG" pcap2case --flows 2,1 "$tmp/pc/port_exhaustion.pcap" 2>&1)
is "$?" 2 "--flows out of capture order: exit 2"
like "$out" "--flows '2,1': in capture order, each once" "says so"
out=$("$TCPRIG" replay --flows all "$tmp/pc/passive_open.pcap" 2>&1)
is "$?" 2 "--flows all of a one-conversation capture: exit 2"
unlike "$out" '^(MATCH|DIVERGED)' "nothing replayed"
like "$("$TCPRIG" pcap2case --flows 1,2 "$tmp/pc/syn_to_tw_newer_opens.pcap")" \
	'accept\(3, \.\.\., \.\.\.\) = 5' "pcap2case --flows: the second accept on the one listener, fd 5"
is "$(stale_labs "$TCPRIG")" "" "no lab left behind"
done_testing
