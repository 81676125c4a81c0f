#!/usr/bin/env bash
# packetdrill's semantics that its users' scripts rely on, each in a case of
# our own (tests/cases_run/pdcompat): a `>` line met by the pieces that cover
# it unless --strict_segments; segments larger than the path MTU injected;
# fd numbers as names; a `> S.` line's ISN naming the target's.
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
done_testing
