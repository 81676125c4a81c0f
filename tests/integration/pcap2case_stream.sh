#!/usr/bin/env bash
# 'tcprig pcap2case' on large captures, in bounded memory: scripts/pcapgen
# writes one bulk conversation of N packets and one of 10 N (headers only,
# -s 128), and 10 N packets of short conversations. Each converts (exit 0)
# into a script that parses (tcprig list), with a line for every packet, the
# last one last, and writes that add up to what the server sent; and the
# peak RSS of the 10 N conversion is within a quarter of the N one's (before
# streaming it was 10 times: O(packets)). RSS is counted, not timed: it does
# not depend on the machine's load. No lab, no root.
TCPRIG=${1:?usage: pcap2case_stream.sh path/to/tcprig path/to/rss_of}
RSS_OF=${2:?usage: pcap2case_stream.sh path/to/tcprig path/to/rss_of}
. "$(dirname "$0")/tap.sh"
here=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=${PCAP2CASE_STREAM_N:-20000}

# "EXIT-STATUS PEAK-RSS-KiB" of a command (its stdout and stderr to files).
rss_of() { "$RSS_OF" "$tmp/out" "$tmp/err" "$@"; }

declare -A rss
for size in $n $((10 * n)); do
	cap=$tmp/bulk$size.pcap
	if ! "$here/scripts/pcapgen" bulk --packets "$size" --snaplen 128 -o "$cap" 2>"$tmp/err"; then
		ok 1 "pcapgen bulk $size"
		fail_detail <"$tmp/err"
		continue
	fi
	read -r status kib < <(rss_of "$TCPRIG" pcap2case "$cap" -o "$tmp/bulk$size.pkt")
	rss[$size]=$kib
	is "$status" 0 "$size packets: converted"
	s=$tmp/bulk$size.pkt
	is "$(grep -c ' // #[0-9]*$' "$s")" "$size" "$size packets: a line for each packet"
	like "$(tail -n 1 "$s")" " // #$size\$" "$size packets: the last one last"
	like "$(head -n 3 "$s")" "capture packets #1\.\.#$size \($size\)\." "$size packets: the header counts them"
	# What the server sent: the flow's bytes less the client's 100-byte request.
	bytes=$("$TCPRIG" replay --list "$cap" | awk '$1 == 1 {print $5}')
	sum=$(grep -oE '(write|send)\(4, \.\.\., [0-9]+' "$s" | grep -oE '[0-9]+$' |
		awk '{ t += $1 } END { print t + 0 }')
	is "$sum" "$((bytes - 100))" "$size packets: its writes carry what the server sent"
	like "$(head -n 8 "$s")" "write of $((bytes - 100)) bytes in [0-9]+ chunks" \
		"$size packets: and the header says so"
	"$TCPRIG" list "$s" >"$tmp/list" 2>&1
	ok $? "$size packets: the script parses (tcprig list)" ||
		head -5 "$tmp/list" | sed 's/^/#   /' | fail_detail
	rm -f "$cap"
done

diag "peak RSS: ${rss[$n]} KiB for $n packets, ${rss[$((10 * n))]} KiB for $((10 * n))"
if [ -n "${ASAN_OPTIONS:-}" ]; then
	ok 0 "peak RSS does not grow with the capture # SKIP a sanitizer's quarantine holds freed memory"
elif [ -n "${rss[$n]:-}" ] && [ -n "${rss[$((10 * n))]:-}" ]; then
	[ "${rss[$((10 * n))]}" -le $((rss[$n] + rss[$n] / 4)) ]
	ok $? "peak RSS does not grow with the capture (${rss[$((10 * n))]} KiB for 10x, ${rss[$n]} KiB)"
else
	ok 1 "peak RSS measured"
fi

# Many short conversations: one of them, found among 10 N packets.
cap=$tmp/flows.pcap
"$here/scripts/pcapgen" flows --packets $((10 * n)) --snaplen 128 -o "$cap" 2>/dev/null
flows=$((10 * n / 10))
"$TCPRIG" pcap2case "$cap" --flow "$flows" -o "$tmp/last.pkt" 2>"$tmp/err"
ok $? "the last of $flows conversations: converted"
like "$(head -n 2 "$tmp/last.pkt")" "flow $flows:" "its header names it"
is "$(grep -c ' // #[0-9]*$' "$tmp/last.pkt")" 10 "its 10 packets, no other's"
like "$(tail -n 1 "$tmp/last.pkt")" " // #$((10 * n))\$" "the capture's last packet is its last"

done_testing
