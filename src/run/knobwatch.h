/* knobwatch.h - which sysctls a case's shell lines changed in the target's
 * namespace, and when: so that a capture (run --pcap) can carry them into
 * its settings file and a replay set them at the same moment.
 *
 * No shell text is parsed: the runner reads the watched knobs (the case's
 * own --sysctl names and KNOBWATCH's list of per-namespace TCP knobs; one
 * this kernel lacks is left out) through the agent once the case's --sysctl
 * lines are set, and again after every shell line that is not a cleanup
 * line; each value that changed is one run_knob_change in the result, at
 * the moment the line had returned, on CLOCK_REALTIME (the capture's
 * clock). A knob read that fails is left out, never a verdict.
 */
#ifndef TCPRIG_RUN_KNOBWATCH_H
#define TCPRIG_RUN_KNOBWATCH_H

#include <stdint.h>

#include "run/runner_int.h"

/* The first reading (the case's starting values). 0, or -1 with r->err
 * when the agent failed. Does nothing unless r->watch_knobs. */
int runner_knobs_start(struct runner *r);
/* After a shell line that returned at done_us (CLOCK_MONOTONIC): the knobs
 * read again, the changes into r->res. */
int runner_knobs_after(struct runner *r, uint64_t done_us);
void runner_knobs_free(struct runner *r);

#endif
