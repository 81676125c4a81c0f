#!/usr/bin/env bash
# Bad input: one clear line naming the value, exit 2 (usage) or 3
# (environment), nothing sent, no lab left behind.
TCPRIG=${1:?usage: bad_input.sh path/to/tcprig}
. "$(dirname "$0")/tap.sh"
require_lab_privileges


expect_error() { # STATUS PATTERN DESCRIPTION -- ARGS...
	local want=$1 pattern=$2 desc=$3 out status
	shift 4
	out=$("$TCPRIG" "$@" 2>&1 >/dev/null)
	status=$?
	is "$status" "$want" "$desc: exit $want"
	like "$out" "$pattern" "$desc: the message names it"
	is "$(printf '%s\n' "$out" | grep -c .)" 1 "$desc: one line"
}

expect_error 2 "unknown flag 'X' in 'SX'" "unknown flag letter" -- probe --port 80 --flags SX
expect_error 2 "--seq: '12x' is not a number" "bad number" -- probe --port 80 --seq 12x
expect_error 2 "--seq: '4294967296' is not a number in 0..4294967295" "number out of range" \
	-- probe --port 80 --seq 4294967296
expect_error 2 "--port: '-1' is not a number" "negative port" -- probe --port -1
expect_error 2 "--port is required" "missing port" -- probe
expect_error 2 "TCP options take 50 bytes" "options over 40 bytes" \
	-- probe --port 80 --ts 1:2 --ts 1:2 --ts 1:2 --ts 1:2 --ts 1:2
expect_error 2 "--ts: '100' is not of the form A:B" "bad TS value" -- probe --port 80 --ts 100
expect_error 2 "--wait: 'soon' is not a time" "bad time" -- probe --port 80 --wait soon
expect_error 2 "unknown or incomplete option '--bogus'" "unknown option" -- probe --port 80 --bogus
expect_error 2 "unknown command 'frobnicate'" "unknown command" -- frobnicate
expect_error 2 "'bad-name!'" "bad lab name" -- lab up 'bad-name!'

if command -v setpriv >/dev/null; then
	out=$(setpriv --reuid=65534 --regid=65534 --clear-groups "$TCPRIG" probe --port 80 2>&1)
	is "$?" 3 "as an unprivileged user: exit 3"
	like "$out" "CAP_NET_RAW|root" "as an unprivileged user: says what is missing"
fi
if command -v capsh >/dev/null; then
	out=$(capsh --drop=cap_net_raw -- -c "\"$TCPRIG\" probe --port 80" 2>&1)
	is "$?" 3 "root without CAP_NET_RAW: exit 3"
	like "$out" "CAP_NET_RAW" "root without CAP_NET_RAW: names the capability"
fi

is "$(stale_labs "$TCPRIG")" "" "no lab was left by any of these (none whose creator is gone)"
done_testing
