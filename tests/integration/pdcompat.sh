#!/usr/bin/env bash
# packetdrill's semantics that its users' scripts rely on, each in a case of
# our own (tests/cases_run/pdcompat): a `>` line met by the pieces that cover
# it unless --strict_segments; segments larger than the path MTU injected;
# fd numbers as names; a `> S.` line's ISN naming the target's; -D names; a
# SYN after a new listen() a new connection's; packetdrill's looser spellings;
# ECN marks; --mtu and the tun-like lab of --packetdrill; open, pipe, splice
# and sendfile; a sendmsg's iovecs in separate buffers.
TCPRIG=${1:?usage: pdcompat.sh path/to/tcprig}
. "$(dirname "$0")/tap.sh"
require_lab_privileges
d=$(cd "$(dirname "$0")/.." && pwd)/cases_run/pdcompat

expect_run 0 "a 3000-byte '>' line is met by three 1000-byte segments" "$d/coalesce.pkt"
if expect_run 1 "not under --strict_segments" "$d/coalesce_strict.pkt"; then
	like "$out" 'coalesce_strict\.pkt:[0-9]+: ' "names the line"
	like "$out" 'actual: .* \. 1:1001\(1000\) ack 1' "shows the first piece alone"
fi
expect_run 0 "a 10000-byte segment goes in at once; the target still advertises MSS 1460" \
	"$d/large_inject.pkt"
expect_run 0 "fd numbers are names: fd 3 reused is called 4, an accepted one 7" "$d/fd_names.pkt"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# The same script, but writing to a name it never gave: the call gets the
# number as written (no such fd), and fails.
sed 's/^+0    write(7,/+0    write(9,/' "$d/fd_names.pkt" >"$tmp/fd_unnamed.pkt"
if expect_run 1 "a number never named is no fd of the script's" "$tmp/fd_unnamed.pkt"; then
	like "$out" 'write returned -1 \(EBADF' "write(9, ...) meets EBADF"
fi
expect_run 0 "a '> S.' line's seq names the target's ISN" "$d/isn_named.pkt"
sed 's/> P\. 1:11(10)/> P. 5001:5011(10)/' "$d/isn_named.pkt" >"$tmp/isn_from_name.pkt"
if expect_run 1 "the target's other numbers count from its ISN, not from the name" \
	"$tmp/isn_from_name.pkt"; then
	like "$out" 'tcp seq: expected 5001, actual 1' "the seq is shown in the script's numbers"
fi
expect_run 0 "send, recv, sendmsg, recvfrom, ioctl, poll, epoll: results and what they fill" \
	"$d/io_calls.pkt"
sed 's/ioctl(4, SIOCINQ, \[100\])/ioctl(4, SIOCINQ, [99])/' "$d/io_calls.pkt" >"$tmp/ioctl_wrong.pkt"
if expect_run 1 "an ioctl value other than the line's fails" "$tmp/ioctl_wrong.pkt"; then
	like "$out" 'ioctl value 100, expected 99' "saying both"
fi
sed 's/revents=POLLIN|POLLOUT}/revents=POLLOUT}/' "$d/io_calls.pkt" >"$tmp/poll_wrong.pkt"
if expect_run 1 "so does a poll revents" "$tmp/poll_wrong.pkt"; then
	like "$out" 'poll: pollfd 1 revents 0x5, expected 0x4' "saying both"
fi
sed 's/epoll_wait(5, {events=EPOLLIN, fd=4}/epoll_wait(5, {events=EPOLLIN, fd=3}/' "$d/io_calls.pkt" \
	>"$tmp/epoll_wrong.pkt"
if expect_run 1 "and an epoll event's data" "$tmp/epoll_wrong.pkt"; then
	like "$out" 'epoll_wait: event 1 data 4, expected 3' "saying both"
fi

expect_run 0 "TCP Fast Open: a cookie asked for, given, and sent back with data in the SYN" \
	"$d/fastopen_client.pkt"
sed 's/^\(+0    > 8081>40001 S .*FO \)abcd1234/\1abcd1235/' "$d/fastopen_client.pkt" >"$tmp/fo_wrong.pkt"
if expect_run 1 "a cookie other than the one given fails" "$tmp/fo_wrong.pkt"; then
	like "$out" 'expected FO abcd1235, actual FO abcd1234' "naming both cookies"
fi

expect_run 0 "--local_ip and --remote_ip make the lab, in two subnets" "$d/addresses.pkt"
sed 's/^--local_ip=10.1.0.1$/--local_ip=10.1.0.9/' "$d/addresses.pkt" >"$tmp/addr_other.pkt"
expect_run 1 "another --local_ip is another lab (the script's check fails)" "$tmp/addr_other.pkt"
printf -- '--local_ip=127.0.0.1\n0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n' >"$tmp/addr_bad.pkt"
if expect_run 2 "a loopback --local_ip is bad input" "$tmp/addr_bad.pkt"; then
	like "$out" 'addr_bad\.pkt:1:12: --local_ip=127\.0\.0\.1: a lab needs a unicast address' \
		"named with its file, line and column"
fi
printf -- '--remote_ip=fe80::1\n0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n' >"$tmp/addr_v6.pkt"
if expect_run 2 "a link-local IPv6 --remote_ip is bad input" "$tmp/addr_v6.pkt"; then
	like "$out" 'addr_v6\.pkt:1:13: --remote_ip=fe80::1: a lab needs a unicast address' \
		"named with its file, line and column"
fi

# run --packetdrill: packetdrill's semantics where ours are stricter.
if expect_run 1 "a segment after the last '>' line fails the case" "$d/pd_tail.pkt"; then
	like "$out" 'unexpected segment at t=[0-9.]+: > 8080>40000 P\. 1:11\(10\)' "naming it"
fi
expect_run 0 "but goes unjudged under --packetdrill" --packetdrill "$d/pd_tail.pkt"
if expect_run 1 "a SYN-ACK's ack is relative to the rig's ISN" "$d/pd_syn_acks.pkt"; then
	like "$out" 'tcp ack: expected 1001, actual 1' "(written 1001, it is 1 here)"
fi
expect_run 0 "and absolute under --packetdrill" --packetdrill "$d/pd_syn_acks.pkt"
expect_run 0 "in packetdrill's lab (192.168.0.1 and 192.0.2.1) the calls run as well" \
	--packetdrill "$d/io_calls.pkt"

# A SYN after a listen() is a new connection's, from a port of its own.
expect_run 0 "a SYN after a new listen() opens a new connection under --packetdrill" \
	--packetdrill "$d/pd_new_listener.pkt"
if expect_run 1 "in tcprig's dialect it is the open connection's, which ACKs it" \
	"$d/pd_new_listener.pkt"; then
	like "$out" 'tcp flags: expected S\., actual \.' "(an ACK, not a SYN-ACK)"
fi
# An older socket in SYN-SENT sending its SYN again is not the new socket's.
expect_run 0 "under --packetdrill a new socket's SYN is found past an older socket's, sent again" \
	--packetdrill "$d/pd_old_syn.pkt"
if expect_run 1 "in tcprig's dialect the older SYN is the one the line meets" "$d/pd_old_syn.pkt"; then
	like "$out" 'pd_old_syn\.pkt:18: .*' "(at line 18)"
	like "$out" 'arrived too early at t=[0-9.]+: > [0-9]+>8080 S 0:0\(0\) .*<mss 1460,' \
		"(the old socket's SYN, MSS 1460)"
fi
# -D NAME=VALUE, packetdrill's definitions.
defs=(-D TFO_COOKIE=3021b9d889017eeb -D LEVEL=SOL_SOCKET --define ONE=1)
expect_run 0 "-D names: a Fast Open cookie, a level and a number" "${defs[@]}" "$d/pd_defines.pkt"
if expect_run 2 "without them the names are unknown, and nothing runs" "$d/pd_defines.pkt"; then
	like "$out" 'pd_defines\.pkt:5:21: unknown symbol .LEVEL.' "at the first one's line and column"
fi
if expect_run 0 "a cookie defined otherwise goes out as defined" --ladder \
	-D TFO_COOKIE=00112233445566778899 -D LEVEL=SOL_SOCKET -D ONE=1 "$d/pd_defines.pkt"; then
	like "$out" '40000>8080 S 0:0\(0\) .*FO 00112233445566778899,nop,nop>' "(the SYN in the ladder)"
fi
expect_run 2 "a -D that is not NAME=VALUE is bad input" -D 1X=2 "$d/pd_defines.pkt"
# packetdrill's looser spellings.
expect_run 0 "+0 first, '= -1' with any errno, AF_UNSPEC, a block ending in '\\', a long call" \
	"$d/pd_loose.pkt"
sed 's/^+0    fcntl(99, F_GETFL) = -1$/+0    fcntl(99, F_GETFL) = -1 EINVAL/' "$d/pd_loose.pkt" \
	>"$tmp/loose_errno.pkt"
if expect_run 1 "an errno named is still checked" "$tmp/loose_errno.pkt"; then
	like "$out" 'fcntl returned -1 \(EBADF' "(EBADF, not EINVAL)"
fi
sed 's/^--tolerance_usecs=4000$/--tolerance_usecs=4000\n--tolerance_percent=0/' "$d/pd_loose.pkt" \
	>"$tmp/loose_pct.pkt"
if expect_run 1 "a blocking call's return late by 40 ms fails without the percentage" \
	"$tmp/loose_pct.pkt"; then
	like "$out" 'read returned at t=' "(the read's return is judged)"
fi
# ICMP errors the rig sends: the kernel acts on one that quotes its own bytes.
expect_run 0 "an ICMP frag_needed about bytes in flight: they come again in 760-byte pieces" \
	"$d/icmp_frag_needed.pkt"
sed 's/frag_needed mtu 800 \[1:1001(1000)\]/frag_needed mtu 800 [5001:6001(1000)]/' \
	"$d/icmp_frag_needed.pkt" >"$tmp/icmp_stale.pkt"
if expect_run 1 "one quoting bytes never sent is ignored (RFC 5927)" "$tmp/icmp_stale.pkt"; then
	like "$out" 'icmp_stale\.pkt:18: ' "(no retransmission at line 18)"
fi
# recvmsg's control messages and flags, as the kernel filled them.
expect_run 0 "recvmsg: TCP_CM_INQ cmsgs say how much is still queued" "$d/recvmsg_cmsg.pkt"
sed 's/cmsg_type=TCP_CM_INQ, cmsg_data=600}/cmsg_type=TCP_CM_INQ, cmsg_data=500}/' \
	"$d/recvmsg_cmsg.pkt" >"$tmp/cmsg_count.pkt"
if expect_run 1 "another count fails" "$tmp/cmsg_count.pkt"; then
	like "$out" 'recvmsg: cmsg 1 data 600, expected 500' "saying both"
fi
sed '0,/msg_iov(1)=\[{..., 400}\], msg_flags=0/s//msg_iov(1)=[{..., 400}], msg_flags=MSG_TRUNC/' \
	"$d/recvmsg_cmsg.pkt" >"$tmp/cmsg_flags.pkt"
if expect_run 1 "so do other msg_flags" "$tmp/cmsg_flags.pkt"; then
	like "$out" 'recvmsg: msg_flags 0x0, expected 0x20' "saying both"
fi
# Transmit timestamps: SCM_TIMESTAMPING's realtime stamps on the script's clock.
expect_run 0 "SO_TIMESTAMPING: SCHED, SND and ACK stamps at the write's and the ACK's times" \
	"$d/tx_timestamps.pkt"
sed 's/scm_nsec=30000000/scm_nsec=20000000/' "$d/tx_timestamps.pkt" >"$tmp/ts_early.pkt"
if expect_run 1 "an ACK stamp written 10 ms before the ACK fails" "$tmp/ts_early.pkt"; then
	like "$out" 'cmsg 1 SCM_TIMESTAMPING stamped at t=0\.03[0-9]+, expected script time 0\.020000' \
		"saying when it was stamped and when it should have been"
fi
sed '0,/scm_nsec=10000000/s//scm_nsec=0/' \
	"$d/tx_timestamps.pkt" >"$tmp/ts_zero.pkt"
expect_run 0 "a stamp written 0 is not checked (packetdrill's rule)" "$tmp/ts_zero.pkt"
sed '0,/ee_info=SCM_TSTAMP_SCHED/s//ee_info=SCM_TSTAMP_ACK/' "$d/tx_timestamps.pkt" \
	>"$tmp/ts_kind.pkt"
if expect_run 1 "a stamp of another kind fails" "$tmp/ts_kind.pkt"; then
	like "$out" 'recvmsg: cmsg 2 ee_info 1, expected 2' "naming the field"
fi
# An MD5-signed segment the target has no key for is dropped.
expect_run 0 "an ACK with an md5 option the target has no key for is dropped" "$d/md5_dropped.pkt"
sed 's/ win 257 <md5 000102030405060708090a0b0c0d0e0f,nop,nop>$/ win 257/' "$d/md5_dropped.pkt" \
	>"$tmp/md5_unsigned.pkt"
if expect_run 1 "unsigned, the same ACK completes the connection" "$tmp/md5_unsigned.pkt"; then
	like "$out" 'accept returned 4, expected -1 EAGAIN' "(accept finds it at once)"
fi
# ECN marks: checked on '>' lines, crafted on '<' lines.
expect_run 0 "ECN marks: ECT(0) data, not-ECT ACKs, CE crafted and answered with ECE" \
	"$d/ecn_marks.pkt"
sed 's/> \[ect0\] P\. 51/> [ect1] P. 51/' "$d/ecn_marks.pkt" >"$tmp/ecn_other.pkt"
if expect_run 1 "another codepoint than the target's fails" "$tmp/ecn_other.pkt"; then
	like "$out" 'ip ecn: expected ect1, actual ect0' "naming both"
	like "$out" 'actual: +\[ect0\] P\. 51:101\(50\)' "the segment shown with its mark"
fi
sed 's/< \[ce\] P\./< P./' "$d/ecn_marks.pkt" >"$tmp/ecn_no_ce.pkt"
if expect_run 1 "without the CE mark on the rig's data the target sends no ECE" \
	"$tmp/ecn_no_ce.pkt"; then
	like "$out" 'tcp flags: expected \.E, actual \.' "(so the mark went on the wire)"
fi
expect_run 0 "the same over IPv6, in the traffic class" --family ipv6 "$d/ecn_marks.pkt"
printf -- '0 < [ect01] S 0:0(0) win 1000\n' >"$tmp/ecn_bad.pkt"
if expect_run 2 "[ect01] on a '<' line is bad input" "$tmp/ecn_bad.pkt"; then
	like "$out" "ecn_bad\\.pkt:1:6: \\[ect01\\] \\(ECT\\(0\\) or ECT\\(1\\)\\) is allowed only on '>' lines" \
		"at its column"
fi
# --mtu=N, packetdrill's option: the lab's path MTU, which the MSS follows.
expect_run 0 "--mtu=1000: the target advertises MSS 960 and sends 960-byte segments" \
	"$d/mtu_option.pkt"
sed 's/^--mtu=1000$/--mtu=1200/' "$d/mtu_option.pkt" >"$tmp/mtu_other.pkt"
if expect_run 1 "another --mtu, another MSS" "$tmp/mtu_other.pkt"; then
	like "$out" 'tcp option 1 \(mss\): expected 960, actual 1160' "(1200 - 40)"
fi
printf -- '--mtu=40\n0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n' >"$tmp/mtu_bad.pkt"
if expect_run 2 "an MTU below 68 is bad input" "$tmp/mtu_bad.pkt"; then
	like "$out" 'mtu_bad\.pkt:1:7: --mtu=40: an MTU is at least 68' "at its column"
fi
printf -- '--mss=900\n--mtu=1000\n0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n' >"$tmp/mtu_mss.pkt"
expect_run 2 "--mss and --mtu together are bad input" "$tmp/mtu_mss.pkt"
# packetdrill's tun resolves no neighbours; under --packetdrill neither
# does the lab's target end, so a route via an unanswered gateway works.
expect_run 0 "under --packetdrill a route via a gateway nobody answers ARP for works" \
	--packetdrill "$d/pd_gateway.pkt"
{ printf -- '--local_ip=192.168.0.1\n--remote_ip=192.0.2.1\n'; cat "$d/pd_gateway.pkt"; } \
	>"$tmp/gateway_arp.pkt"
if expect_run 1 "in tcprig's own lab (same addresses) the target waits for ARP" \
	"$tmp/gateway_arp.pkt"; then
	like "$out" 'nothing arrived' "(its SYN-ACK never leaves)"
fi
# open, pipe, splice, sendfile: their fds are names too.
expect_run 0 "open and sendfile (from an offset, then the file's position), pipe and splice" \
	"$d/file_calls.pkt"
sed 's/sendfile(4, 7, \[1\], 10) = 4/sendfile(4, 7, [0], 10) = 4/' "$d/file_calls.pkt" \
	>"$tmp/sendfile_offset.pkt"
if expect_run 1 "sendfile's offset is passed: from 0 all 5 bytes go" "$tmp/sendfile_offset.pkt"; then
	like "$out" 'sendfile returned 5, expected 4' "saying both"
fi
sed 's/pipe(\[5, 6\])/pipe([6, 5])/' "$d/file_calls.pkt" >"$tmp/pipe_names.pkt"
if expect_run 1 "pipe's [R, W] name its ends: swapped, the splice meets the read end" \
	"$tmp/pipe_names.pkt"; then
	like "$out" 'splice returned -1 \(EBADF' "(EBADF)"
fi
printf -- '0 open("/x", O_RDONLY, 0, 1) = 3\n' >"$tmp/open_bad.pkt"
if expect_run 2 "open with four arguments is bad input" "$tmp/open_bad.pkt"; then
	like "$out" 'open_bad\.pkt:1:' "at its line"
fi
# A sendmsg's iovecs are separate buffers (zerocopy/maxfrags.pkt).
if expect_run 0 "18 one-byte iovecs: one segment copied, 17 + 1 with MSG_ZEROCOPY" \
	--ladder "$d/sendmsg_iovecs.pkt"; then
	like "$out" '8080>40000 P\. 19:36\(17\)' "(17 fragments, a segment's most)"
fi
# The FIN's ACK in CLOSE_WAIT is a delayed ACK (up to two 4 ms ticks here).
expect_run 0 "a FIN moving the target to CLOSE_WAIT is ACKed within its delayed-ACK timer" \
	"$d/close_wait_ack.pkt"
# A try the rig was late for before line 16 (a loaded machine) never gets
# there: up to three tries, the first that reached line 16 judged.
for _ in 1 2 3; do
	out=$(TCPRIG_STALL=16:8 "$TCPRIG" run --retries 0 "$d/close_wait_ack.pkt" 2>&1)
	status=$?
	grep -Eq 'rig late by [0-9.]+ ms at line ([0-9]|1[0-5]):' <<<"$out" || break
done
is "$status" 3 "the rig 8 ms late with the FIN: exit 3, not a FAIL of the target"
if grep -Eq 'rig late by [0-9.]+ ms at line ([0-9]|1[0-5]):' <<<"$out"; then
	ok 0 "INCONCLUSIVE, naming the line the rig was late for # SKIP late before line 16 on all 3 tries"
else
	like "$out" 'close_wait_ack\.pkt:16: rig late by [0-9.]+ ms at line 16' \
		"INCONCLUSIVE, naming the line the rig was late for"
fi
# RFC 2385: the target given a key (TCP_MD5SIG), the rig signing and checking.
expect_run 0 "TCP_MD5SIG: the rig signs with the target's key, the target's digests verify" \
	"$d/md5_signed.pkt"
sed 's/^\(+0    < S 0:0(0) win 32792 <mss 1000,nop,wscale 7,nop,nop,md5\)>/\1 00112233445566778899aabbccddeeff>/' \
	"$d/md5_signed.pkt" >"$tmp/md5_forged.pkt"
if expect_run 1 "a SYN with a digest not made with the key is dropped" "$tmp/md5_forged.pkt"; then
	like "$out" 'md5_forged\.pkt:14: ' "(no SYN-ACK at line 14)"
fi
sed 's/^+0    write(4, ..., 100) = 100$/+0    socket(..., SOCK_STREAM, IPPROTO_TCP) = 5\n+0    setsockopt(5, SOL_TCP, TCP_MD5SIG, {tcpm_addr=..., tcpm_key="another-key"}, 216) = 0\n&/' \
	"$d/md5_signed.pkt" >"$tmp/md5_other.pkt"
if expect_run 1 "digests made with another key than the rig's do not verify" "$tmp/md5_other.pkt"; then
	like "$out" 'tcp option 3 \(kind 19\): expected md5 [0-9a-f]{32}, actual md5 [0-9a-f]{32}' \
		"showing the digest expected and the one that came"
fi
grep -v 'TCP_MD5SIG' "$d/md5_signed.pkt" >"$tmp/md5_nokey.pkt"
if expect_run 1 "'md5' with no key given is an error at its line" "$tmp/md5_nokey.pkt"; then
	like "$out" 'md5: the target holds no key for 192\.0\.2\.2' "naming the address"
fi
done_testing
