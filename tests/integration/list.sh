#!/usr/bin/env bash
# tcprig list: each case with the first sentence of its header, its tags and
# the sysctls it sets; nothing runs, so no root is needed.
TCPRIG=${1:?usage: list.sh path/to/tcprig}
. "$(dirname "$0")/tap.sh"
here=$(cd "$(dirname "$0")/../.." && pwd)

out=$("$TCPRIG" list "$here/cases/timewait" 2>&1)
ok $? "list cases/timewait exits 0"
is "$(printf '%s\n' "$out" | grep -c '\.pkt$')" "$(ls "$here"/cases/timewait/*.pkt | wc -l)" \
	"one entry per case"
like "$out" 'tw_lasts_60s_fin_restarts\.pkt$' "the slow case is listed"
like "$out" '^    tags: slow$' "with its tag"
like "$out" '^    sysctls: net\.ipv4\.tcp_fin_timeout, net\.ipv4\.ip_local_port_range$' \
	"and the sysctls it sets"
like "$out" '^    TIME_WAIT lasts 60 s .*\.\.\.$' "and its first sentence, cut at a word"

out=$("$TCPRIG" list "$here/cases/risks/stale_rst_kills_reused_port.pkt")
like "$out" '^    outcomes: l\.[0-9]+ reused\|refused, l\.[0-9]+ killed!\|survives$' \
	"a risk case lists the outcomes it names, line by line"

out=$("$TCPRIG" list "$here/cases/basic/passive_open.pkt")
like "$out" '^    Passive open: the target listens;' "a file given by name"

out=$("$TCPRIG" list "$here/tests/cases_bad/unknown_tcp_option.pkt" 2>&1)
is "$?" 2 "a case that does not parse: exit 2"
like "$out" 'unknown_tcp_option\.pkt:[0-9]+:[0-9]+: ' "with file:line:col"
"$TCPRIG" list /no/such/dir >/dev/null 2>&1
is "$?" 2 "a missing path: exit 2"
done_testing
