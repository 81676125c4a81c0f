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
 *
 * With a target-side capture (target_capture, always with faults) the runner
 * also records what the target really sent and received, and after the case
 * compares it with what the rig sent and got. INCONCLUSIVE, the rig cannot
 * tell, when
 *  - a line failed, and the target did send a segment that holds the failed
 *    `>` line in its window, which the rig did not get in time (lost,
 *    delayed or reordered on the way);
 *  - a line failed, and before it a segment went astray either way: one the
 *    rig sent that the target never got, or got late or out of order; one
 *    the target sent that the rig never got, or got late or out of order;
 *  - every line held, but a segment the rig sent went astray and a checked
 *    line came after it, or a segment the target sent went astray (the rig
 *    could not check what it never saw).
 * "Late" is by more than the case's timing tolerance (tolerance_usecs). A
 * FAIL stays a FAIL only when the wire was faithful up to it, so the target
 * capture shows the target really did not do what the line says. Without a
 * target-side capture the verdicts are the rig's own, as before.
 */
#ifndef TCPRIG_RUN_RUNNER_H
#define TCPRIG_RUN_RUNNER_H

#include "case/case.h"
#include "core/err.h"
#include "core/result.h"
#include "run/config.h"

/* Returns -1 with err when the case could not be run at all. */
int runner_run(const struct case_script *s, const struct run_config *cfg,
	       struct run_result *res, struct tr_err *err);

#endif
