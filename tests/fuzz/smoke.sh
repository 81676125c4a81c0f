#!/usr/bin/env bash
# smoke.sh FUZZER SECONDS SCRATCH SEED... - runs a libFuzzer harness for
# SECONDS on a scratch corpus (SCRATCH/corpus, kept between runs) after the
# seed corpora, and fails on any crash; the crashing input is left in
# SCRATCH/artifacts/. A seed directory that does not exist is left out (a
# harness with no regression inputs yet). "--frames DIR" is a seed corpus of
# every record of every capture under DIR, one file per frame, for the
# segment decoder.
set -euo pipefail
fuzzer=$1 seconds=$2 scratch=$3
shift 3
mkdir -p "$scratch/corpus" "$scratch/artifacts"
seeds=()
while [ $# -gt 0 ]; do
	if [ "$1" = --frames ]; then
		rm -rf "$scratch/frames"
		python3 "$(dirname "$0")/pcap_frames.py" "$2" "$scratch/frames"
		seeds+=("$scratch/frames")
		shift 2
		continue
	fi
	[ -d "$1" ] && seeds+=("$1")
	shift
done
# libFuzzer's own exit status for a crash is 77, which meson counts as a
# SKIP: a harness that aborted would pass unseen.
exec "$fuzzer" -max_total_time="$seconds" -print_final_stats=1 -error_exitcode=1 \
	-artifact_prefix="$scratch/artifacts/" "$scratch/corpus" "${seeds[@]}"
