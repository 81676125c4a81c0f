#!/usr/bin/env bash
# A runner that passes a mutated case is broken: for every expected segment
# in cases/basic, a copy with one field changed (a flag, an ack, a TS ecr)
# must FAIL, and the failure must name that field.
TCPRIG=${1:?usage: mutations.sh path/to/tcprig cases-dir}
CASES=${2:?usage: mutations.sh path/to/tcprig cases-dir}
. "$(dirname "$0")/tap.sh"
require_lab_privileges

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# mutate NAME CASE LINE FIELD SED-EXPR: run the copy with LINE changed.
mutate() {
	local name=$1 case=$2 line=$3 field=$4 expr=$5 copy out status
	copy=$tmp/$(basename "$case" .pkt)-$name-$line.pkt
	sed "${line}s/${expr}" "$case" >"$copy"
	if cmp -s "$case" "$copy"; then
		return
	fi
	out=$("$TCPRIG" run "$copy" 2>&1)
	status=$?
	is_status "$status" 1 "$(basename "$case"):$line $name mutant fails" "$out"
	if [ "$status" = 3 ] && inconclusive "$out"; then
		ok 0 "$(basename "$case"):$line $name mutant names '$field' # SKIP inconclusive"
	else
		like "$out" "$field" "$(basename "$case"):$line $name mutant names '$field'"
	fi
}

for case in "$CASES"/*.pkt; do
	out=$("$TCPRIG" run "$case" 2>&1)
	is_status $? 0 "$(basename "$case") passes unmutated" "$out"
	while IFS=: read -r line text; do
		# flags: the first letter after '>' swapped for one the target did not send
		if printf '%s' "$text" | grep -q '> S\.'; then
			mutate flags "$case" "$line" "tcp flags" '> S\./> R./'
		elif printf '%s' "$text" | grep -q '> R\.'; then
			mutate flags "$case" "$line" "tcp flags" '> R\./> S./'
		elif printf '%s' "$text" | grep -q '> F\.'; then
			mutate flags "$case" "$line" "tcp flags" '> F\./> ./'
		elif printf '%s' "$text" | grep -q '> \. '; then
			mutate flags "$case" "$line" "tcp flags" '> \. /> F. /'
		elif printf '%s' "$text" | grep -q '> P\.'; then
			mutate flags "$case" "$line" "tcp flags" '> P\./> ./'
		fi
		ack=$(printf '%s' "$text" | sed -n 's/.* ack \([0-9]*\).*/\1/p')
		[ -n "$ack" ] && mutate ack "$case" "$line" "tcp ack: expected $((ack + 1))" \
			" ack $ack/ ack $((ack + 1))/"
		ecr=$(printf '%s' "$text" | sed -n 's/.*ecr \([0-9]*\).*/\1/p')
		[ -n "$ecr" ] && mutate ecr "$case" "$line" "TS ecr): expected $((ecr + 1))" \
			"ecr $ecr/ecr $((ecr + 1))/"
	done < <(grep -n '^[^/`]*> ' "$case")
done
done_testing
