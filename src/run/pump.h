/* pump.h - the runner's event loop: waiting for a time, for a segment, for a
 * call's return; a call's return judged.
 */
#ifndef TCPRIG_RUN_PUMP_H
#define TCPRIG_RUN_PUMP_H

#include "run/runner_int.h"

int runner_pump(struct runner *r, int64_t until);
/* Hands every frame captured by now to the runner, without waiting. */
int runner_drain(struct runner *r);
/* Waits until t, handling arrivals meanwhile (not precise: for windows). */
int runner_wait_until(struct runner *r, int64_t t);
/* Waits until t and acts then: sleeps and handles arrivals until shortly
 * before, then spins (pacer.h). */
int runner_wait_due(struct runner *r, int64_t t);
int runner_wait_call(struct runner *r);
/* The agent's request for line ev, due at due, is about to be sent: waits
 * until shortly before due (or, for the line TCPRIG_STALL names, past it)
 * and sets req's start time. */
int runner_agent_due(struct runner *r, const struct case_event *ev, int64_t due,
		     struct agent_req *req);
/* A blocking call was submitted: waits until the agent has entered it (the
 * lines after it count from then), bounded by its tolerance. */
int runner_wait_start(struct runner *r);
/* The pending blocking call entered the kernel at start: the timeline
 * anchors on it and its return window is set. e: its trace event if there
 * is one yet. True if the rig was late (the verdict is reached). */
bool runner_call_started(struct runner *r, int64_t start, struct trace_event *e);

#endif
