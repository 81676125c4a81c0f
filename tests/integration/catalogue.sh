#!/usr/bin/env bash
# catalogue.sh TCPRIG DIR: a directory of cases as TAP, each case one test.
# A case the rig could not conclude, even after its retries (TCPRIG_RETRIES),
# is a TAP skip that says why; `tcprig run` then exits 3 ("could not tell"),
# which is no failure of the suite. A FAIL, or a case that could not run at
# all (a "not ok" line), fails it.
TCPRIG=${1:?usage: catalogue.sh path/to/tcprig DIR}
out=$("$TCPRIG" run --tap "$2" 2>&1)
status=$?
printf '%s\n' "$out"
if [ "$status" -eq 3 ] && ! printf '%s\n' "$out" | grep -q '^not ok '; then
	exit 0
fi
exit "$status"
