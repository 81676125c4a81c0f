#!/usr/bin/env bash
# Faults on the wire (tcprig run --faults): the verdict is never a false PASS.
# A lost, delayed or reordered segment that a verdict hangs on makes the case
# INCONCLUSIVE, with the reason; a case that passes on a clean wire is never
# FAIL when only the wire misbehaved; every negative twin stays a non-PASS.
# Fixed seeds, so that a failure here can be replayed with the same --seed.
TCPRIG=${1:?usage: faults.sh path/to/tcprig [cases-dir]}
CASES=${2:-$(cd "$(dirname "$0")/../../cases" && pwd)}
. "$(dirname "$0")/tap.sh"
require_lab_privileges

SEEDS="1 2 3"
# A faulty wire's draws are the same on every try of a case (seed and file
# name): trying a wire-made INCONCLUSIVE again is no use here. The clean-wire
# run below asks for its own tries.
export TCPRIG_RETRIES=0
tmp=$(mktemp -d)
trap 'cleanup_labs; rm -rf "$tmp"' EXIT

# "VERDICT path" per case, from tcprig run's plain output.
verdicts() { grep -E '^(PASS|FAIL|SKIP|INCONCLUSIVE) ' | awk '{print $1, $2}'; }
count() { grep -c "^$1 " || true; }
# The cases a run found INCONCLUSIVE because the rig itself was late (a
# loaded machine), not the wire: one per line.
rig_late() { sed -nE 's/^      ([^ ]+\.pkt):[0-9]+: rig late by .*/\1/p'; }

# The clean-wire passes that FAILed in a faulty run (verdicts file $1), run
# again alone with the same faults (--faults $2 --seed $3): the faults are the
# same draw for draw, so a FAIL the faults caused comes back; one that a
# loaded machine caused (a timing flake, soak's business) does not, and is
# only reported (show_flakes).
fails_that_stay() {
	local c out
	for c in $(grep -Fxf <(sed 's/^/FAIL /' "$tmp/clean_pass") "$1" | cut -d' ' -f2); do
		out=$("$TCPRIG" run --faults "$2" --seed "$3" "$c" 2>&1)
		if printf '%s\n' "$out" | grep -q '^FAIL '; then
			printf '%s\n' "$out"
		else
			echo "$c: FAIL once, $(printf '%s\n' "$out" | verdicts | cut -d' ' -f1)" \
				"alone with the same faults (a timing flake)" >>"$tmp/flakes"
		fi
	done
}

# Bad specs: one line, exit 2, nothing run.
for spec in loss=5 loss=120% delay=50 jitter=1ms 'loss=5%,' 'loss=5%,loss=6%' delay=20s; do
	out=$("$TCPRIG" run --faults "$spec" "$CASES/basic/passive_open.pkt" 2>&1)
	is "$?" 2 "--faults '$spec' is bad input"
	like "$out" '^[^ ]+ run: --faults' "  and says so on one line"
done
out=$("$TCPRIG" run --seed 3 "$CASES/basic/passive_open.pkt" 2>&1)
is "$?" 2 "--seed without --faults is bad input"

want_status() { # VERDICTS-FILE: the exit status tcprig run owes
	if [ "$(count FAIL <"$1")" -gt 0 ]; then echo 1
	elif [ "$(count INCONCLUSIVE <"$1")" -gt 0 ]; then echo 3
	else echo 0; fi
}

# The reasons of the FAILs in a run's output, as diagnostics.
show_fails() { awk '/^[A-Z]+  / { on = /^FAIL/ } on' | sed 's/^/#   /'; }

show_flakes() {
	[ -s "$tmp/flakes" ] && diag "$(cat "$tmp/flakes")"
	rm -f "$tmp/flakes"
}

# A clean wire seen from both ends: the same verdicts as ever, a second pcap.
cases=$(ls "$CASES"/basic/*.pkt "$CASES"/timewait/*.pkt)
out=$("$TCPRIG" run -j 2 --retries 3 --target-capture --pcap "$tmp/pcaps" $cases 2>&1)
status=$?
ok "$([ $status = 0 ] || { [ $status = 3 ] && [ -z "$(printf '%s\n' "$out" | grep -E '^INCONCLUSIVE ' | grep -v -F -f <(printf '%s\n' "$out" | rig_late))" ]; }; echo $?)" \
	"--target-capture on a clean wire: every case passes (or the rig was late, even after 3 more tries)"
like "$out" '^[0-9]+ passed, 0 failed, [0-9]+ skipped, [0-9]+ inconclusive$' \
	"  and the summary counts inconclusive ones"
ok "$([ -s "$tmp/pcaps/passive_open.target.pcap" ] && [ -s "$tmp/pcaps/passive_open.pcap" ]; echo $?)" \
	"  each case has <case>.pcap and <case>.target.pcap"
printf '%s\n' "$out" | verdicts | awk '$1 == "PASS" {print $2}' >"$tmp/clean_pass"

# Only losses: a case that passes on a clean wire is PASS or INCONCLUSIVE,
# never FAIL; every INCONCLUSIVE names what went astray.
for seed in $SEEDS; do
	out=$("$TCPRIG" run -j 2 --faults loss=20% --seed "$seed" $cases 2>&1)
	status=$?
	printf '%s\n' "$out" | verdicts >"$tmp/loss$seed"
	printf '%s\n' "$out" | rig_late >>"$tmp/late$seed"
	failed=$(fails_that_stay "$tmp/loss$seed" loss=20% "$seed")
	is "$failed" "" "loss=20% seed $seed: no case that passes on a clean wire FAILs"
	[ -z "$failed" ] || printf '%s\n' "$failed" | sed 's/^/#   | /'
	show_flakes
	is "$(grep -cE 'on the wire\)|\.pkt:[0-9]+: rig late by ' <<<"$out")" \
		"$(count INCONCLUSIVE <"$tmp/loss$seed")" \
		"loss=20% seed $seed: each INCONCLUSIVE says what the wire did, or that the rig was late"
	is "$status" "$(want_status "$tmp/loss$seed")" \
		"loss=20% seed $seed: exit 1 if a case FAILed, else 3 (could not tell) if one is INCONCLUSIVE"
	like "$out" "^# faults loss=20%, seed $seed " "loss=20% seed $seed: the seed is printed"
	diag "loss=20% seed $seed, cases: $(count PASS <"$tmp/loss$seed") PASS," \
		"$(count INCONCLUSIVE <"$tmp/loss$seed") INCONCLUSIVE, $(count FAIL <"$tmp/loss$seed") FAIL"
done

# Cases a timing flake FAILed in either run, or that the rig was late for
# (INCONCLUSIVE by the machine, not the wire), are left out of the comparison.
out=$("$TCPRIG" run -j 2 --faults loss=20% --seed 1 $cases 2>&1)
printf '%s\n' "$out" | verdicts >"$tmp/again1"
printf '%s\n' "$out" | rig_late >>"$tmp/late1"
steady() { # VERDICTS-FILE: its lines but those of cases FAIL or late in either run
	awk 'NR == FNR { if ($1 == "FAIL" || $1 == "LATE") bad[$2] = 1; next } !($2 in bad)' \
		<(cat "$tmp/loss1" "$tmp/again1"; sed 's/^/LATE /' "$tmp/late1") "$1"
}
is "$(steady "$tmp/again1")" "$(steady "$tmp/loss1")" \
	"the same seed gives the same verdicts"

# The negative twins (see twins.sh): under faults, never a PASS.
mkdir "$tmp/twins"
for case in "$CASES"/timewait/*.pkt; do
	name=$(basename "$case" .pkt)
	n=0
	while IFS= read -r expr; do
		n=$((n + 1))
		sed -e "$expr" "$case" >"$tmp/twins/$name-twin$n.pkt"
	done < <(sed -n 's|^// twin: ||p' "$case")
done
ntwins=$(ls "$tmp/twins" | wc -l)
for seed in $SEEDS; do
	out=$("$TCPRIG" run -j 2 --faults loss=20% --seed "$seed" "$tmp/twins" 2>&1)
	status=$?
	printf '%s\n' "$out" | verdicts >"$tmp/twins$seed"
	is "$(count PASS <"$tmp/twins$seed")" 0 "loss=20% seed $seed: none of $ntwins twins PASSes"
	[ "$(count PASS <"$tmp/twins$seed")" -eq 0 ] || grep '^PASS' "$tmp/twins$seed" | sed 's/^/#   /'
	is "$status" "$(want_status "$tmp/twins$seed")" \
		"loss=20% seed $seed: twins exit 1 if one FAILs, else 3"
	diag "loss=20% seed $seed, twins: $(count PASS <"$tmp/twins$seed") PASS," \
		"$(count INCONCLUSIVE <"$tmp/twins$seed") INCONCLUSIVE, $(count FAIL <"$tmp/twins$seed") FAIL"
done

# A line that a lost segment makes hold vacuously: "> nothing" where the
# target answers RST. Twelve copies, twelve draws (the seed mixes in the
# file name): the RST seen is a FAIL; a lost SYN or RST must not be a PASS.
mkdir "$tmp/vacuous"
for i in $(seq 1 12); do
	sed 's/^+0    > R\. 0:0(0) ack 1 win 0$/+0~+0.05 > nothing/' \
		"$CASES/basic/rst_closed_port.pkt" >"$tmp/vacuous/nothing$i.pkt"
done
out=$("$TCPRIG" run -j 2 --faults loss=20% --seed 1 "$tmp/vacuous" 2>&1)
printf '%s\n' "$out" | verdicts >"$tmp/vac"
is "$(count PASS <"$tmp/vac")" 0 "'> nothing' after a lost segment: never a PASS"
like "$out" 'every line held as the rig saw it, but the verdict hangs on that segment' \
	"  INCONCLUSIVE says every line held, but on what the wire lost"
diag "loss=20% seed 1, '> nothing' twins: $(count PASS <"$tmp/vac") PASS," \
	"$(count INCONCLUSIVE <"$tmp/vac") INCONCLUSIVE, $(count FAIL <"$tmp/vac") FAIL"

# 50 ms of delay against a 4 ms tolerance: every case's first `>` segment (or
# the `<` it answers) is late, so nothing may PASS; each says it was delayed.
out=$("$TCPRIG" run -j 2 --faults delay=50ms --seed 1 $cases 2>&1)
printf '%s\n' "$out" | verdicts >"$tmp/delay"
is "$(count PASS <"$tmp/delay")" 0 "delay=50ms: no case PASSes"
printf '%s\n' "$out" | show_fails
like "$out" 'delayed on the wire\)' "delay=50ms: the reason says the segment was delayed"
diag "delay=50ms, cases: $(count PASS <"$tmp/delay") PASS, $(count INCONCLUSIVE <"$tmp/delay")" \
	"INCONCLUSIVE, $(count FAIL <"$tmp/delay") FAIL"

# Delay on a share of segments, and reordering: the clean-wire passes are
# PASS or INCONCLUSIVE, never FAIL.
for spec in delay=50ms@30% reorder=20%; do
	out=$("$TCPRIG" run -j 2 --faults "$spec" --seed 2 $cases 2>&1)
	printf '%s\n' "$out" | verdicts >"$tmp/mixed"
	failed=$(fails_that_stay "$tmp/mixed" "$spec" 2)
	is "$failed" "" "$spec: no case that passes on a clean wire FAILs"
	[ -z "$failed" ] || printf '%s\n' "$failed" | sed 's/^/#   | /'
	show_flakes
	diag "$spec seed 2, cases: $(count PASS <"$tmp/mixed") PASS," \
		"$(count INCONCLUSIVE <"$tmp/mixed") INCONCLUSIVE, $(count FAIL <"$tmp/mixed") FAIL"
done

# TAP: an INCONCLUSIVE case is a skip that says why, never a pass.
out=$("$TCPRIG" run --tap -j 2 --faults loss=20% --seed 1 $cases 2>&1)
like "$out" '^ok [0-9]+ - .* # SKIP inconclusive: .*on the wire\)$' \
	"--tap: INCONCLUSIVE is 'ok N - case # SKIP inconclusive: reason'"
like "$out" '^# [0-9]+ passed, [0-9]+ failed, [0-9]+ skipped, [0-9]+ inconclusive$' \
	"--tap: the summary counts them"

stale=$(stale_labs "$TCPRIG")
is "$stale" "" "no lab left behind"
done_testing
