/* runner.h - plays one parsed case against a real kernel in its own lab.
 *
 * One clock: script time 0 is when the first timed event is due. `<` lines
 * are injected at their time; `>` lines are waited for within the tolerance
 * (packetdrill's rule: the larger of tolerance_usecs and tolerance_percent of
 * the gap since the previous event); socket calls go to the target agent,
 * which may block while the runner goes on; shell lines run on the target
 * side. The loop is event driven: poll() on the pcap fd, the agent's fd and a
 * timer.
 *
 * Verdicts: PASS only when every line held. A case that could not run at all
 * (no lab, no agent) is an error for the caller, never a PASS; a case whose
 * shell or sysctl line names a knob this kernel lacks is a SKIP.
 */
#ifndef TCPRIG_RUNNER_H
#define TCPRIG_RUNNER_H

#include <stdint.h>

#include "case/case.h"
#include "err.h"

/* packetdrill's defaults. */
#define RUN_DEFAULT_TOLERANCE_US 4000
#define RUN_DEFAULT_TOLERANCE_PCT 12.5
/* How long a `*` line, or a call with no end time that blocks, may take. */
#define RUN_ANY_WAIT_US 10000000
/* The target's port when a script does not name one (packetdrill's). */
#define RUN_TARGET_PORT 8080
/* The rig's port for connections the rig opens, when a script names none. */
#define RUN_RIG_PORT 40000

enum run_verdict {
	RUN_PASS,
	RUN_FAIL,
	RUN_SKIP,
};

struct run_config {
	int64_t tolerance_us;	/* < 0: the script's, else the default */
	double tolerance_pct;	/* < 0: the script's, else the default */
	const char *pcap_path;	/* NULL: no capture file */
};

struct run_result {
	enum run_verdict verdict;
	int line;		/* the line that failed or skipped, 0 if none */
	char reason[2048];	/* why, several lines for a mismatch */
	uint64_t elapsed_us;
	unsigned events_done;	/* lines that ran and held */
};

/* Returns -1 with err when the case could not be run at all. */
int runner_run(const struct case_script *s, const struct run_config *cfg,
	       struct run_result *res, struct tr_err *err);

const char *run_verdict_name(enum run_verdict v);

#endif
