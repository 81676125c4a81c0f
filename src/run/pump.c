/* pump.c - the runner's event loop: waiting for a time, for a
 * segment or for a call's return, and judging a call once it returns. */
#include "run/pump.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <time.h>

#include "core/pacer.h"
#include "run/call.h"
#include "run/record.h"
#include "run/state.h"
#include "run/timeline.h"
#include "run/tstamp.h"
#include "run/wire.h"

/* What a call returned, as a line writes it: "= 3", "= -1 ECONNRESET (...)". */
static void runner_call_result(const struct agent_reply *rep, char *buf, size_t cap)
{
	const char *name = case_errno_name(rep->err);

	if (rep->ret != -1)
		snprintf(buf, cap, "= %lld", (long long)rep->ret);
	else if (name)
		snprintf(buf, cap, "= -1 %s (%s)", name, strerror(rep->err));
	else
		snprintf(buf, cap, "= -1 errno %d (%s)", rep->err, strerror(rep->err));
}

bool runner_call_started(struct runner *r, int64_t start, struct trace_event *e)
{
	struct pending_call *c = &r->call;
	int64_t base = c->at > r->agent_free_at ? c->at : r->agent_free_at;
	int64_t end = c->ev->time.until_us - c->ev->time.at_us;
	int64_t tol = runner_tolerance(r, c->ev, true);

	c->started = true;
	c->start = start;
	if (!e && start - base > runner_tolerance(r, c->ev, false))
		e = runner_trace(r, TRACE_CALL, c->ev, start);
	/* An agent still busy with an earlier call could not start sooner:
	 * lateness counts from when it was free. */
	if (e && runner_late(r, c->ev, e, base, start, "the agent entered the call"))
		return true;
	runner_anchor(r, c->ev, start, start, c->at, c->script);
	c->drift0 = runner_drift(r);
	c->lo = start + end - tol;
	c->hi = start + end + tol;
	return false;
}

/* A blocking call returned: judged against its end time, which moves with
 * the timeline while it blocked (a reply the rig's own late send delayed
 * is not the target's lateness), the agent's wait for a CPU taken off. */
static void runner_judge_blocking(struct runner *r, const struct agent_reply *rep,
				  struct trace_event *e)
{
	struct pending_call *c = &r->call;
	int64_t t = (int64_t)(rep->done_us - r->t0), slip = runner_drift(r) - c->drift0;
	int64_t lo = c->lo + (slip < 0 ? slip : 0), hi = c->hi + (slip > 0 ? slip : 0);

	if (rep->run_delay_us > 0)
		t -= rep->run_delay_us;
	if (t >= lo && t <= hi)
		return;
	if (t > hi && t - hi <= RUN_AGENT_LATE_US) {
		runner_trace_fail(r, e, NULL, "returned late, by less than the agent may be");
		runner_verdict(r, RUN_INCONCLUSIVE, c->ev,
			       "%s\n  %s returned at t=%.6f, %.1f ms after its window (%.6f to %.6f): "
			       "the agent may have been that late to run (a hypervisor's steal, which "
			       "it cannot measure); the rig cannot tell",
			       c->ev->text, c->ev->u.call.name, us_to_s(t), (double)(t - hi) / 1000.0,
			       us_to_s(lo), us_to_s(hi));
		return;
	}
	runner_trace_fail(r, e, NULL, "returned outside its window");
	runner_verdict(r, RUN_FAIL, c->ev, "%s\n  %s returned at t=%.6f, expected between %.6f and %.6f",
		       c->ev->text, c->ev->u.call.name, us_to_s(t), us_to_s(lo), us_to_s(hi));
}

/* A call written without an end time must return at once: it must not
 * sleep in the kernel longer than the tolerance. One that never went to
 * sleep returned at once, however long the clock says it took (a loaded
 * machine, a host that took the CPU away); else its time less the agent's
 * wait for a CPU is what it blocked. */
static void runner_judge_at_once(struct runner *r, const struct agent_reply *rep,
				 struct trace_event *e)
{
	const struct case_event *ev = r->call.ev;
	int64_t took = (int64_t)(rep->done_us - rep->start_us);
	int64_t waited = rep->run_delay_us > 0 ? rep->run_delay_us : 0;
	char cpu[96] = "";

	if (rep->slept == 0 || took - waited <= runner_tolerance(r, ev, false))
		return;
	if (waited)
		snprintf(cpu, sizeof(cpu), " (%.6f s of it waiting for a CPU)", us_to_s(waited));
	runner_trace_fail(r, e, NULL, "took too long for a call with no end time");
	runner_verdict(r, RUN_FAIL, ev,
		       "%s\n  %s took %.6f s%s; a call written without an end time must return "
		       "at once (write start...end for one that blocks)",
		       ev->text, ev->u.call.name, us_to_s(took), cpu);
}

static void runner_collect_call(struct runner *r)
{
	struct pending_call *c = &r->call;
	const struct case_event *held = NULL;
	struct trace_event *e;
	struct agent_reply rep;
	char why[512], alt_why[512];
	int64_t start, done;

	r->call_pending = false;
	if (agent_collect(&r->agent, &rep, r->err)) {
		e = runner_trace(r, TRACE_CALL, c->ev, runner_now(r));
		runner_trace_fail(r, e, NULL, "the agent failed");
		runner_verdict(r, RUN_FAIL, c->ev, "%s: the agent failed: %s", c->ev->u.call.name,
			       r->err->msg);
		return;
	}
	start = (int64_t)(rep.start_us - r->t0);
	done = (int64_t)(rep.done_us - r->t0);
	/* The line, or the first of its `|` alternatives whose result it is. */
	for (size_t i = 0; i < runner_group_size(c->ev) && !held; i++) {
		const struct case_event *m = runner_group_member(c->ev, i);

		if (!call_check(&m->u.call, &c->req, &rep, i ? alt_why : why,
				i ? sizeof(alt_why) : sizeof(why)))
			held = m;
	}
	e = runner_trace(r, TRACE_CALL, held ? held : c->ev, start);
	e->t_end_us = done;
	runner_call_result(&rep, e->actual, sizeof(e->actual));
	if (c->ev->time.blocking) {
		if (!c->started && runner_call_started(r, start, e))
			return;
	} else {
		if (runner_late(r, c->ev, e, c->at > r->agent_free_at ? c->at : r->agent_free_at,
				start, "the agent entered the call"))
			return;
		runner_anchor(r, c->ev, start, done, c->at, c->script);
	}
	r->agent_free_at = done;
	if (held && runner_tstamps_check(r, &held->u.call, &c->req, &rep, why, sizeof(why)))
		held = NULL;
	if (!held) {
		runner_trace_fail(r, e, NULL, why);
		runner_verdict(r, RUN_FAIL, c->ev, "%s\n  %s", c->ev->text, why);
		return;
	}
	if (c->req.op == AGENT_SETSOCKOPT && rep.ret == 0)
		run_md5_learn(&r->md5, &c->req);
	/* The number the line wrote names the fd the kernel returned. */
	call_name_fds(&held->u.call, &c->req, &rep, &r->fds);
	if (c->ev->time.blocking)
		runner_judge_blocking(r, &rep, e);
	else
		runner_judge_at_once(r, &rep, e);
	if (!r->done)
		runner_outcome(r, held);
}

static int runner_dispatch(struct runner *r, bool rig, bool target)
{
	if (rig && sniff_dispatch(r->io.sn, runner_on_frame, r, r->err) < 0)
		return -1;
	if (target && r->io.target_sn &&
	    sniff_dispatch(r->io.target_sn, runner_on_target_frame, r, r->err) < 0)
		return -1;
	return 0;
}

int runner_drain(struct runner *r)
{
	if (runner_fault_release(r, runner_now(r)) || runner_dispatch(r, true, true))
		return -1;
	if (r->rx_overflow)
		runner_verdict(r, RUN_FAIL, NULL, "more than %d target segments went unmatched",
			       RX_RING);
	return 0;
}

/* Waits until script time `until` or an arrival (segment, call return),
 * whichever comes first; frames the fault layer keeps leave when due. */
int runner_pump(struct runner *r, int64_t until)
{
	struct pollfd pfd[3] = { { .fd = sniff_fd(r->io.sn), .events = POLLIN } };
	int64_t wait, due = runner_fault_next(r);
	nfds_t n = 1, target = 3, agent = 3;
	struct timespec ts;
	int rc;

	if (due < until)
		until = due;
	wait = until - runner_now(r);
	if (wait < 0)
		wait = 0;
	ts.tv_sec = wait / 1000000;
	ts.tv_nsec = (long)(wait % 1000000) * 1000;
	if (r->io.target_sn) {
		target = n;
		pfd[n++] = (struct pollfd){ .fd = sniff_fd(r->io.target_sn), .events = POLLIN };
	}
	if (r->call_pending) {
		agent = n;
		pfd[n++] = (struct pollfd){ .fd = agent_fd(&r->agent), .events = POLLIN };
	}
	rc = ppoll(pfd, n, &ts, NULL);
	if (rc < 0 && errno != EINTR)
		return err_sys(r->err, "poll");
	if (runner_fault_release(r, runner_now(r)))
		return -1;
	if (rc > 0 && runner_dispatch(r, pfd[0].revents, target < n && pfd[target].revents))
		return -1;
	if (rc > 0 && agent < n && pfd[agent].revents)
		runner_collect_call(r);
	if (r->rx_overflow)
		runner_verdict(r, RUN_FAIL, NULL, "more than %d target segments went unmatched",
			       RX_RING);
	return 0;
}

int runner_wait_until(struct runner *r, int64_t t)
{
	while (!r->done && runner_now(r) < t)
		if (runner_pump(r, t))
			return -1;
	return 0;
}

int runner_wait_due(struct runner *r, int64_t t)
{
	/* Arrivals are handled while there is time; the last stretch is spun,
	 * with nothing else on the way to the deadline. */
	if (runner_wait_until(r, t - (int64_t)pacer_spin_us()))
		return -1;
	if (!r->done && (int64_t)r->t0 + t > 0)
		pacer_spin_until((uint64_t)((int64_t)r->t0 + t));
	return 0;
}

int runner_agent_due(struct runner *r, const struct case_event *ev, int64_t due,
		     struct agent_req *req)
{
	if (r->stall_line == ev->line) {
		if (runner_wait_due(r, due))
			return -1;
		runner_stall(r, ev);
	} else if (runner_wait_until(r, due - RUN_AGENT_LEAD_US)) {
		return -1;
	}
	req->start_at_us = (int64_t)r->t0 + due > 0 ? (uint64_t)((int64_t)r->t0 + due) : 0;
	return 0;
}

/* A call still running: the agent does one thing at a time. */
int runner_wait_call(struct runner *r)
{
	/* On a faulty wire a lost segment often leaves a call blocked, and a
	 * call written with an end time that is still blocked a second past it
	 * would be judged outside its window however late it came back: both
	 * are given up on sooner (the verdict is the same, and says so). Only
	 * a call with no end time gets the long wait. */
	bool windowed = r->call_pending && r->call.ev->time.blocking;
	int64_t limit = r->call.hi +
			(r->fault || windowed ? RUN_FAULTS_CALL_WAIT_US : RUN_ANY_WAIT_US);

	while (!r->done && r->call_pending) {
		/* Its window moves with the timeline while it blocks
		 * (runner_judge_blocking): so does the limit. */
		int64_t slip = windowed && r->call.started ? runner_drift(r) - r->call.drift0 : 0;
		int64_t until = limit + (slip > 0 ? slip : 0);

		if (runner_now(r) > until) {
			struct trace_event *e = runner_trace(r, TRACE_CALL, r->call.ev, r->call.at);

			e->t_end_us = runner_now(r);
			runner_trace_fail(r, e, NULL, "has not returned");
			runner_verdict(r, RUN_FAIL, r->call.ev, "%s\n  %s has not returned by t=%.6f",
				       r->call.ev->text, r->call.ev->u.call.name,
				       us_to_s(runner_now(r)));
			return 0;
		}
		if (runner_pump(r, until + 1))
			return -1;
	}
	return 0;
}

int runner_wait_start(struct runner *r)
{
	struct pending_call *c = &r->call;
	int64_t limit = c->at + runner_tolerance(r, c->ev, false);
	uint64_t start;

	while (!r->done && r->call_pending && !c->started) {
		if (agent_started(&r->agent, &start)) {
			runner_call_started(r, (int64_t)(start - r->t0), NULL);
			break;
		}
		if (runner_now(r) > limit) {
			struct trace_event *e = runner_trace(r, TRACE_CALL, c->ev, runner_now(r));

			runner_late(r, c->ev, e, c->at, runner_now(r),
				    "the agent had not yet entered the call");
			break;
		}
		if (runner_pump(r, runner_now(r) + RUN_START_POLL_US))
			return -1;
	}
	return 0;
}
