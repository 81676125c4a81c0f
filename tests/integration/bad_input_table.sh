#!/usr/bin/env bash
# Bad input, systematically, at the command line: a table of malformed cases
# (one per rule family of the parser and the lexer) and of bad values for
# `run` and `probe` (and `--shard`, `vm`, `merge`). Every row must end in exit
# 2 before anything is made:
#   - a case error is three lines on stderr: "tcprig run: PATH:LINE:COL: message",
#     the offending line as written, and a caret under column COL;
#   - a call line that parses but cannot be built into the agent's request
#     (a struct member misspelt, an offset neither NULL nor [N]) is such a
#     case error too, at the argument's column, for run and matrix alike;
#   - a command-line error is one line naming the offending value;
#   - nothing on stdout (no case ran, no probe was sent), no network namespace
#     made and no packet or netlink socket opened (checked with strace when it
#     is installed), and no lab left behind.
# The parser's own rules, message by message, are unit tested in
# tests/test_case_parser.c; this checks what a user sees.
TCPRIG=${1:?usage: bad_input_table.sh path/to/tcprig}
here=$(cd "$(dirname "$0")/.." && pwd)
. "$(dirname "$0")/tap.sh"
require_lab_privileges

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"; cleanup_labs' EXIT
have_strace=$(command -v strace >/dev/null && echo 1 || echo 0)
[ "$have_strace" = 1 ] || diag "strace not installed: the 'nothing made' checks are skipped"

# Runs tcprig ARGS... with stdout in $tmp/out, stderr in $tmp/err, status in
# $status; under strace, the calls that would make a lab or send go to $tmp/trace.
run_tcprig() {
	if [ "$have_strace" = 1 ]; then
		# LeakSanitizer cannot run under ptrace (a sanitizer build).
		ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
		strace -f -qq -o "$tmp/trace" -e trace=unshare,setns,socket -e signal=none \
			"$TCPRIG" "$@" >"$tmp/out" 2>"$tmp/err"
	else
		"$TCPRIG" "$@" >"$tmp/out" 2>"$tmp/err"
	fi
	status=$?
}

nothing_made() { # DESCRIPTION
	if [ "$have_strace" = 0 ]; then
		ok 0 "# SKIP $1: nothing made (strace not installed)"
		return
	fi
	local made
	made=$(grep -E 'unshare\(.*CLONE_NEWNET|setns\(|socket\((AF_PACKET|AF_NETLINK)|SOCK_RAW' \
		"$tmp/trace")
	is "$made" "" "$1: no namespace made, no packet or netlink socket opened"
}

# A malformed case: FILE (under tests/), LINE, COL, MESSAGE (an extended regex),
# given to `tcprig ${bad_cmd[@]}` (run unless the caller says).
bad_cmd=(run)
bad_case() {
	local file=$here/$1 line=$2 col=$3 msg=$4 name=${1#*/} src pre caret
	[ "${bad_cmd[*]}" = run ] || name="${bad_cmd[*]} $name"
	run_tcprig "${bad_cmd[@]}" "$file"
	is "$status" 2 "$name: exit 2"
	is "$(cat "$tmp/out")" "" "$name: nothing on stdout (no case ran)"
	is "$(wc -l <"$tmp/err")" 3 "$name: three lines on stderr"
	like "$(sed -n 1p "$tmp/err")" "^$TCPRIG ${bad_cmd[0]}: $file:$line:$col: ($msg)" \
		"$name: line 1 is path:$line:$col: message"
	# Control characters other than tab show as '?', not to garble a terminal.
	src=$(sed -n "${line}p" "$file" | LC_ALL=C tr '\001-\010\013-\037\177' '?')
	is "$(sed -n 2p "$tmp/err")" "$src" "$name: line 2 is the case's line $line"
	# The caret stands under column COL; tabs before it are kept.
	pre=${src:0:col-1}
	caret="${pre//[^$'\t']/ }^"
	is "$(sed -n 3p "$tmp/err")" "$caret" "$name: line 3 is a caret under column $col"
	nothing_made "$name"
}

# A bad command line: MESSAGE (an extended regex) -- ARGS...
bad_cli() {
	local msg=$1
	shift 2
	run_tcprig "$@"
	local name="tcprig $*"
	is "$status" 2 "$name: exit 2"
	is "$(cat "$tmp/out")" "" "$name: nothing on stdout"
	is "$(wc -l <"$tmp/err")" 1 "$name: one line on stderr"
	like "$(cat "$tmp/err")" "^$TCPRIG (run|probe|list|matrix|vm|merge|agent): .*($msg)" \
		"$name: the line names it"
	nothing_made "$name"
}

# Malformed cases: FILE LINE COL MESSAGE. The parser checks more than one
# rule per family (tests/test_case_parser.c has them all); here each family
# has at least one file, as a user would meet it.
while IFS='|' read -r file line col msg; do
	[ -n "$file" ] && bad_case "$file" "$line" "$col" "$msg"
done <<'EOF'
cases_bad/unknown_option.pkt|2|1|unknown option '--foo'
cases_bad_cli/option_without_value.pkt|1|1|option --mss needs a value: --mss=\.\.\.
cases_bad_cli/option_out_of_range.pkt|1|21|--tolerance_percent=1000 is out of range \(0\.\.100\)
cases_bad_cli/mss_zero.pkt|1|7|--mss must be at least 1
cases_bad_cli/bad_ip_version.pkt|1|14|unknown IP version 'ipv5'
cases_bad_cli/bad_sysctl.pkt|2|10|--sysctl: 'net\.ipv4\.tcp_rfc1337' is not NAME=VALUE
cases_bad_cli/option_after_event.pkt|2|1|options must come before the first event
cases_bad/first_event_not_at_0.pkt|1|1|the first event must be at time 0 \(0 or \+0\)
cases_bad/time_backwards.pkt|3|1|time 0\.1 goes back before the previous event at 0\.2
cases_bad_cli/time_out_of_range.pkt|2|2|time '99999999999' is out of range
cases_bad_cli/range_backwards.pkt|2|1|the time range ends before it starts
cases_bad_cli/range_on_inject.pkt|2|1|a time range is allowed only on '>' lines
cases_bad_cli/any_time_on_inject.pkt|2|1|'\*' \(any time\) is allowed only on '>' lines
cases_bad_cli/call_ends_before_start.pkt|2|8|the call ends at 0\.1, before it starts at 0\.2
cases_bad_cli/bad_flag.pkt|2|6|unknown TCP flag 'X'
cases_bad_cli/bad_flag_after_tabs.pkt|2|6|unknown TCP flag 'X'
cases_bad/end_not_start_plus_len.pkt|1|7|end 10 is not start 0 \+ length 5 = 5
cases_bad_cli/number_too_large.pkt|1|7|sequence number '4294967296' is out of range \(0\.\.4294967295\)
cases_bad/win_missing.pkt|1|3|'<' lines need 'win N'
cases_bad_cli/field_given_twice.pkt|1|20|'ack' given twice
cases_bad_cli/junk_after_fields.pkt|2|23|unexpected 'junk' after the sequence numbers
cases_bad/any_options_on_inject.pkt|1|20|'<\.\.\.>' \(options not checked\) is allowed only on '>' lines
cases_bad/unknown_tcp_option.pkt|1|25|unknown TCP option 'tss'
cases_bad_cli/tcp_option_md5_short.pkt|1|28|md5: the digest is 32 hex digits \(16 bytes\)
cases_bad_cli/unterminated_tcp_options.pkt|1|23|unterminated TCP option list: missing '>'
cases_bad_cli/too_many_sack_blocks.pkt|1|51|at most 4 SACK blocks fit in a header
cases_bad/nothing_without_range.pkt|3|1|'> nothing' needs a time range a~b
cases_bad_cli/nothing_on_inject.pkt|2|11|'nothing' is allowed only on '>' lines
cases_bad_cli/unknown_socket_call.pkt|1|3|unknown socket call 'sockett'
cases_bad_cli/wrong_arg_count.pkt|1|3|listen\(\) takes 2 arguments, not 1
cases_bad_cli/unclosed_call.pkt|1|14|expected ',' or '\)', got the end of the line
cases_bad_cli/unknown_symbol.pkt|1|15|unknown symbol 'SOCK_STREAMY'
cases_bad_cli/bad_bit_or.pkt|1|28|'\|' joins numbers and symbols only
cases_bad_cli/unknown_errno.pkt|1|46|unknown errno name 'EWHATEVER'
cases_bad_cli/unterminated_note.pkt|1|16|unterminated note: missing '\)'
cases_bad_cli/unknown_tcp_state.pkt|3|30|unknown TCP state 'TIME_WAITING'
cases_bad_cli/bad_nstat_name.pkt|1|9|'Tcp Ext' is not an nstat counter name
cases_bad/unterminated_backtick.pkt|1|1|unterminated backtick command: missing '`'
cases_bad_cli/event_after_cleanup.pkt|3|1|nothing may follow the cleanup command on line 2
cases_bad/unterminated_comment.pkt|1|20|unterminated comment: missing '\*/'
cases_bad_cli/unterminated_string.pkt|1|9|unterminated string
cases_bad_cli/unexpected_character.pkt|1|23|unexpected character '@'
cases_bad_cli/garbage_bytes.pkt|1|1|unexpected character '\\x01'
cases_bad_cli/outcome_alt_without_head.pkt|2|1|'\|' adds an alternative to the '>' line or socket call before it, but there is none
cases_bad_cli/outcome_alt_after_inject.pkt|3|5|'\|' adds an alternative to the '>' line or socket call before it; line 2 is a '<' line
cases_bad_cli/outcome_alt_other_call.pkt|3|3|an alternative to a sock_state\(\) call is another sock_state\(\) call, not 'nstat'
cases_bad_cli/outcome_alt_with_time.pkt|4|3|an alternative has no time of its own: it takes line 3's
cases_bad_cli/outcome_alt_without_label.pkt|4|18|an alternative needs an outcome label: '=> label'
cases_bad_cli/outcome_duplicate_label.pkt|3|37|outcome 'gone' is already line 2's
cases_bad_cli/outcome_nothing_without_window.pkt|4|6|a '> nothing' alternative needs a window: write line 3's time as a~b
cases_bad_cli/outcome_label_on_inject.pkt|2|23|an outcome label \('=> label'\) ends only a '>' line, a '> nothing' line or a socket call
cases_bad_cli/outcome_bad_label.pkt|2|25|bad character '\?' in outcome label 'closed\?'
EOF

# Call lines that parse but from which no agent request can be built
# (run/callcheck.h): refused by the builders themselves before any lab, at
# the argument's line and column, where the run used to build the lab, play
# the case up to that line and FAIL it (exit 1). Besides bad_case's checks
# (strace: no namespace made, no packet or netlink socket opened), `ip netns
# list` shows no namespace of the run's after it that was not there before.
# (Other tests make labs in parallel: only the run's own, tcprig-PID-N,
# count. A lab made and removed again only strace sees.)
netns_unchanged() { # FILE DESCRIPTION
	local before after pid
	before=$(ip netns list 2>/dev/null | awk '{print $1}' | sort)
	"$TCPRIG" "${bad_cmd[@]}" "$1" >/dev/null 2>&1 &
	pid=$!
	wait "$pid"
	after=$(ip netns list 2>/dev/null | awk '{print $1}' | sort)
	is "$(comm -13 <(printf '%s\n' "$before") <(printf '%s\n' "$after") | grep "^tcprig-$pid-")" \
		"" "$2: ip netns list before and after: no namespace of the run's"
}
bad_call() { # FILE LINE COL MESSAGE
	bad_case "$@"
	netns_unchanged "$here/$1" "${1#*/}"
}
while IFS='|' read -r file line col msg; do
	[ -n "$file" ] && bad_call "$file" "$line" "$col" "$msg"
done <<'EOF'
cases_bad_calls/md5_member.pkt|3|58|setsockopt: a tcp_md5sig has no member 'tcpm_kye' \(it has tcpm_addr, tcpm_key, tcpm_keylen, tcpm_flags, tcpm_prefixlen\)
cases_bad_calls/splice_offset.pkt|11|17|splice: argument 2: an offset is NULL or \[N\]
cases_bad_calls/sendfile_offset.pkt|10|22|sendfile: argument 3: an offset is NULL or \[N\]
cases_bad_calls/msghdr_member.pkt|9|62|sendmsg: a msghdr has no member 'msg_flag'
cases_bad_calls/iovec_multiline.pkt|12|11|sendmsg: an iovec has no member 'iov_bse'
cases_bad_calls/cmsg_member.pkt|11|57|recvmsg: a cmsg has no member 'cmsg_lvl'
cases_bad_calls/poll_member.pkt|9|36|poll: a pollfd has no member 'revnts' \(it has fd, events, revents\)
cases_bad_calls/epoll_member.pkt|10|56|epoll_ctl: an epoll_event has no member 'fdd'
cases_bad_calls/open_flags.pkt|7|29|open: flags 0x3 are no O_\* flags
cases_bad_calls/linger_member.pkt|9|54|setsockopt: a struct linger has no member 'lingr'
cases_bad_calls/sockaddr_alternative.pkt|5|41|connect: a sockaddr has no member 'sin_adr'
cases_bad_calls/read_length.pkt|9|20|read: length -1 out of range
EOF
# The commands that run cases other than run itself check the same way:
# each matrix cell, each family of run --family both.
bad_cmd=(matrix --sysctl net.ipv4.tcp_rfc1337=0,1)
bad_call cases_bad_calls/poll_member.pkt 9 36 "poll: a pollfd has no member 'revnts'"
bad_cmd=(run --family both)
bad_call cases_bad_calls/md5_member.pkt 3 58 "setsockopt: a tcp_md5sig has no member 'tcpm_kye'"
bad_cmd=(run)
# One malformed call line after good cases: none of them runs either.
run_tcprig run "$here/../cases/basic" "$here/cases_bad_calls/epoll_member.pkt"
is "$status" 2 "a bad call line after cases/basic: exit 2"
is "$(cat "$tmp/out")" "" "a bad call line after cases/basic: no case ran"
nothing_made "a bad call line after cases/basic"

# One bad case among good ones: every case parses before any runs.
run_tcprig run "$here/../cases/basic" "$here/cases_bad/win_missing.pkt"
is "$status" 2 "a bad case after cases/basic: exit 2"
is "$(cat "$tmp/out")" "" "a bad case after cases/basic: no case ran"
nothing_made "a bad case after cases/basic"

# Bad command-line values for run.
bad_cli "--jobs: '0' is not a number in 1\.\.64" -- run -j 0 "$here/../cases/basic"
bad_cli "--jobs: '999' is not a number in 1\.\.64" -- run -j 999 "$here/../cases/basic"
bad_cli "--jobs: '2x' is not a number" -- run --jobs=2x "$here/../cases/basic"
bad_cli "--tolerance-usecs: 'x' is not a number" -- run --tolerance-usecs x "$here/../cases/basic"
bad_cli "--tolerance-usecs: '-1' is not a number" -- run --tolerance-usecs -1 "$here/../cases/basic"
bad_cli "unknown or incomplete option '--bogus'" -- run --bogus "$here/../cases/basic"
bad_cli "unknown or incomplete option '-j'" -- run -j
bad_cli "/no/such\.pkt: no such case file or directory" -- run /no/such.pkt
bad_cli "no case given" -- run
bad_cli "no \*\.pkt case found" -- run "$here/integration"

# Bad values for run against another host, and for the agent: found before
# any interface is opened or any frame or connection made.
basic=$here/../cases/basic
printf 'short\n' >"$tmp/short.token" && chmod 600 "$tmp/short.token"
printf '0123456789abcdef0123\n' >"$tmp/open.token" && chmod 644 "$tmp/open.token"
bad_cli "--target '192\.0\.2': not an IPv4 address" -- run --target 192.0.2 --iface lo "$basic"
bad_cli "--target needs --iface IF" -- run --target 192.0.2.1 "$basic"
bad_cli "--iface, --agent, .* go with --target ADDR" -- run --iface lo "$basic"
bad_cli "--agent needs --token-file FILE" -- run --target 192.0.2.1 --iface lo --agent 192.0.2.1:7777 "$basic"
bad_cli "--token-file goes with --agent" -- run --target 192.0.2.1 --iface lo --token-file "$tmp/short.token" "$basic"
bad_cli "--port: '0' is not a number in 1\.\.65535" -- run --target 192.0.2.1 --iface lo --port 0 "$basic"
bad_cli "--rig-addr '1\.2\.3': not an IPv4 address" -- run --target 192.0.2.1 --iface lo --rig-addr 1.2.3 "$basic"
bad_cli "--target: one case at a time" -- run --target 192.0.2.1 --iface lo -j 2 "$basic"
bad_cli "--target: one case at a time, and no target-side capture" -- run --target 192.0.2.1 --iface lo --faults loss=5% "$basic"
bad_cli "--iface 'nosuch0': no such interface here" -- run --target 192.0.2.1 --iface nosuch0 "$basic"
bad_cli "--iface 'lo': not an Ethernet interface" -- run --target 192.0.2.1 --iface lo "$basic"
bad_cli "'1\.2\.3:80': '1\.2\.3' is not an IPv4 address" -- agent --listen 1.2.3:80 --token-file "$tmp/short.token"
bad_cli "'127\.0\.0\.1:0': port '0' is not 1\.\.65535" -- agent --listen 127.0.0.1:0 --token-file "$tmp/short.token"
bad_cli "--listen ADDR:PORT and --token-file FILE are both needed" -- agent --listen 127.0.0.1:7777
bad_cli "token file .*short\.token: 5 bytes, at least 16 wanted" -- agent --listen 127.0.0.1:7777 --token-file "$tmp/short.token"
bad_cli "token file .*open\.token: others may read or write it \(mode 644\): chmod 600 it" -- agent --listen 127.0.0.1:7777 --token-file "$tmp/open.token"
bad_cli "unknown option '--bogus'" -- agent --bogus

# Bad command-line values for probe: ports, times, flags, numbers, options,
# the lab it names (probe takes no address: the lab fixes both ends).
bad_cli "--port: 0 is not a port" -- probe --port 0
bad_cli "--port: '65536' is not a number in 0\.\.65535" -- probe --port 65536
bad_cli "--port: '-1' is not a number" -- probe --port -1
bad_cli "--port: '80x' is not a number" -- probe --port 80x
bad_cli "--port is required" -- probe --flags S
bad_cli "--sport: '70000' is not a number in 0\.\.65535" -- probe --port 80 --sport 70000
bad_cli "--wait: '-1' is not a time" -- probe --port 80 --wait -1
bad_cli "--wait: 'nan' is not a time" -- probe --port 80 --wait nan
bad_cli "--wait: '61' is not a time in seconds from 0 to 60" -- probe --port 80 --wait 61
bad_cli "--interval: '0\.1s' is not a time" -- probe --port 80 --interval 0.1s
bad_cli "--count: '0' is not a number in 1\.\.1000" -- probe --port 80 --count 0
bad_cli "--count: '1001' is not a number" -- probe --port 80 --count 1001
bad_cli "--flags: unknown flag 'X' in 'SX'" -- probe --port 80 --flags SX
bad_cli "--flags: unknown flag .* in 'S S'" -- probe --port 80 --flags 'S S'
bad_cli "--flags: empty" -- probe --port 80 --flags ''
bad_cli "--win: '65536' is not a number in 0\.\.65535" -- probe --port 80 --win 65536
bad_cli "--ttl: '256' is not a number in 0\.\.255" -- probe --port 80 --ttl 256
bad_cli "--len: '99999' is not a number in 0\.\.1460" -- probe --port 80 --len 99999
bad_cli "--ts: '100' is not of the form A:B" -- probe --port 80 --ts 100
bad_cli "--sack: '5:x' is not of the form A:B" -- probe --port 80 --sack 5:x
bad_cli "TCP options take 50 bytes" -- probe --port 80 --ts 1:2 --ts 1:2 --ts 1:2 --ts 1:2 --ts 1:2
bad_cli "bad lab name 'a b'" -- probe --port 80 --lab 'a b'
bad_cli "no lab named 'nosuch'" -- probe --port 80 --lab nosuch
bad_cli "unexpected argument 'extra'" -- probe --port 80 extra

# --sysctl: blanks only between a value's fields.
bad_cli "the value in 'net\.ipv4\.ip_local_port_range= 40000' begins or ends with a blank" -- \
	run --sysctl 'net.ipv4.ip_local_port_range= 40000' "$here/../cases/basic"
bad_cli "the value of 'net\.ipv4\.tcp_rfc1337' has a control character \\(byte 23\\)" -- \
	run --sysctl "$(printf 'net.ipv4.tcp_rfc1337=1\0012')" "$here/../cases/basic"

# --shard, for run, list and matrix; vm (nothing boots); merge.
bad_cli "--shard '0/3': not K/N" -- run --shard 0/3 "$here/../cases/basic"
bad_cli "--shard '4/3': not K/N" -- run --shard 4/3 "$here/../cases/basic"
bad_cli "--shard '1/2/3': not K/N" -- list --shard 1/2/3 "$here/../cases/basic"
bad_cli "--shard 'x': not K/N" -- matrix --shard x --sysctl net.ipv4.tcp_rfc1337=0,1 "$here/../cases/basic"
bad_cli "--kernel /etc/hostname: not a bzImage" -- vm --kernel /etc/hostname -- run "$here/../cases/basic"
bad_cli "--kernel /no/such: No such file" -- vm --kernel /no/such -- run "$here/../cases/basic"
bad_cli "--kernel IMAGE is required" -- vm -- run "$here/../cases/basic"
bad_cli "'lab' cannot run in a guest" -- vm --kernel /etc/hostname -- lab list
bad_cli "--timeout: '0' is not a number in 1\.\.3600" -- vm --timeout 0 --kernel /etc/hostname -- run x
bad_cli "--kernel /etc/hostname: not a bzImage" -- matrix --kernel host --kernel /etc/hostname "$here/../cases/basic"
bad_cli "--target does not go with --kernel" -- matrix --kernel host --target 192.0.2.9 --iface lo "$here/../cases/basic"
bad_cli "/no/such\.json: No such file" -- merge /no/such.json
bad_cli "unknown option '--bogus'" -- merge --bogus x.json

is "$(stale_labs "$TCPRIG")" "" "no lab was left by any of these (none whose creator is gone)"
done_testing
