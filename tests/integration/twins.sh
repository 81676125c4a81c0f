#!/usr/bin/env bash
# The catalogue can never pass vacuously: every case names, in '// twin:'
# lines, sed expressions that flip its key expectation (R <-> ., TIME_WAIT
# <-> NONE, silence <-> a segment). Each case must pass; each twin must change
# the case and FAIL.
TCPRIG=${1:?usage: twins.sh path/to/tcprig cases-dir}
CASES=${2:?usage: twins.sh path/to/tcprig cases-dir}
. "$(dirname "$0")/tap.sh"
require_lab_privileges

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

for case in "$CASES"/*.pkt; do
	name=$(basename "$case" .pkt)
	out=$("$TCPRIG" run "$case" 2>&1)
	status=$?
	if printf '%s\n' "$out" | grep -q '^SKIP '; then
		ok 0 "# SKIP $name: $(printf '%s\n' "$out" | sed -n '2s/^ *//p')"
		continue
	fi
	is_status "$status" 0 "$name passes" "$out"
	n=0
	while IFS= read -r expr; do
		n=$((n + 1))
		twin=$tmp/$name-twin$n.pkt
		sed -e "$expr" "$case" >"$twin"
		if cmp -s "$case" "$twin"; then
			ok 1 "$name twin $n changes the case ($expr)"
			continue
		fi
		out=$("$TCPRIG" run "$twin" 2>&1)
		status=$?
		is_status "$status" 1 "$name twin $n fails ($expr)" "$out"
		[ "$status" -eq 1 ] || inconclusive "$out" || printf '%s\n' "$out" | sed 's/^/#   | /'
	done < <(sed -n 's|^// twin: ||p' "$case")
	ok $((n == 0)) "$name has at least one twin"
done
done_testing
