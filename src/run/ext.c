/* ext.c - the dialect's extensions: --sysctl options, sock_state()
 * and nstat() lines. */
#include "run/ext.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run/pump.h"
#include "run/record.h"
#include "run/state.h"
#include "run/timeline.h"

/* Extension lines answer at once: they ask the agent and wait for it. */
#define EXT_TIMEOUT_MS 2000

int runner_sysctls_apply(struct runner *r)
{
	const struct case_options *o = &r->s->opt;
	struct agent_req req;
	struct agent_reply rep;

	if (!o->nsysctls)
		return 0;
	r->sysctl_old = calloc(o->nsysctls, sizeof(*r->sysctl_old));
	if (!r->sysctl_old)
		return err_sys(r->err, "sysctls");
	for (size_t i = 0; i < o->nsysctls && !r->done; i++) {
		agent_req_init(&req, AGENT_SYSCTL_SET);
		snprintf(req.text, sizeof(req.text), "%s", o->sysctls[i]);
		if (agent_call(&r->agent, &req, &rep, EXT_TIMEOUT_MS, r->err))
			return -1;
		if (rep.status == AGENT_STATUS_ABSENT) {
			runner_verdict(r, RUN_SKIP, NULL, "%s", rep.out);
		} else if (rep.ret) {
			runner_verdict(r, RUN_FAIL, NULL, "--sysctl=%s: %s", o->sysctls[i],
				       rep.out);
		} else {
			/* On the ladder, so that a report says what it ran under. */
			struct trace_event *e = runner_trace(r, TRACE_SHELL, NULL, 0);

			snprintf(e->expected, sizeof(e->expected), "--sysctl=%s", o->sysctls[i]);
			snprintf(e->actual, sizeof(e->actual), "set (was %.200s)", rep.out);
			memcpy(r->sysctl_old[i], rep.out, sizeof(rep.out));
			r->sysctls_set = i + 1;
		}
	}
	return 0;
}

/* A lab is thrown away with its sysctls; putting them back still matters
 * for a lab that outlives the case. */
void runner_sysctls_restore(struct runner *r)
{
	struct agent_req req;
	struct agent_reply rep;
	struct tr_err err;

	while (r->sysctls_set) {
		const char *set = r->s->opt.sysctls[--r->sysctls_set];
		int name_len = (int)strcspn(set, "=");

		agent_req_init(&req, AGENT_SYSCTL_SET);
		snprintf(req.text, sizeof(req.text), "%.*s=%s", name_len, set,
			 r->sysctl_old[r->sysctls_set]);
		agent_call(&r->agent, &req, &rep, EXT_TIMEOUT_MS, &err);
	}
	free(r->sysctl_old);
	r->sysctl_old = NULL;
}

/* ev's counter; due: when the line is due (< 0: at once, the baseline). */
static int ext_counter(struct runner *r, const char *name, int64_t *value,
		       const struct case_event *ev, int64_t due, struct agent_reply *out)
{
	struct agent_req req;
	struct agent_reply rep;

	agent_req_init(&req, AGENT_COUNTER);
	snprintf(req.text, sizeof(req.text), "%s", name);
	if (due >= 0 && (runner_agent_due(r, ev, due, &req) || r->done))
		return r->done ? 1 : -1;
	if (agent_call(&r->agent, &req, &rep, EXT_TIMEOUT_MS, r->err))
		return -1;
	if (out)
		*out = rep;
	if (rep.status == AGENT_STATUS_ABSENT) {
		runner_verdict(r, RUN_SKIP, ev, "counter absent: %s", name);
		return 1;
	}
	if (rep.ret)
		return err_env(r->err, "nstat %s: %s", name, rep.out);
	*value = rep.value;
	return 0;
}

static bool ext_is(const struct case_event *ev, const char *name)
{
	return ev->kind == CASE_EV_CALL && !strcmp(ev->u.call.name, name);
}

/* nstat() lines compare against the counter when the case started. */
int runner_counters_baseline(struct runner *r)
{
	const struct case_script *s = r->s;

	r->counter_base = calloc(s->nevents ? s->nevents : 1, sizeof(*r->counter_base));
	if (!r->counter_base)
		return err_sys(r->err, "counters");
	for (size_t i = 0; i < s->nevents && !r->done; i++) {
		const struct case_event *ev = &s->events[i];

		if (ext_is(ev, "nstat") &&
		    ext_counter(r, ev->u.call.args[0].text, &r->counter_base[i], ev, -1, NULL) < 0)
			return -1;
	}
	return 0;
}

static uint16_t ext_port(const struct case_call *c, size_t i, uint16_t def)
{
	return c->args[i].kind == CASE_EXPR_INT ? (uint16_t)c->args[i].num : def;
}

/* The line, or the first of its `|` alternatives, that expects value. */
static const struct case_event *ext_held(const struct case_event *ev, int64_t value)
{
	for (size_t i = 0; i < runner_group_size(ev); i++)
		if (runner_group_member(ev, i)->u.call.ret == value)
			return runner_group_member(ev, i);
	return NULL;
}

/* A check is a rig action too: late, the case is INCONCLUSIVE; on time,
 * the next relative line counts from when the agent made it. */
static bool ext_settle(struct runner *r, const struct case_event *ev, struct trace_event *e,
		       int64_t due, const struct agent_reply *rep)
{
	int64_t start = (int64_t)(rep->start_us - r->t0), done = (int64_t)(rep->done_us - r->t0);

	e->t_us = start;
	e->t_end_us = done;
	if (runner_late(r, ev, e, due, start, "the agent made the check"))
		return true;
	runner_anchor(r, ev, start, done, due, runner_script_at(r, ev));
	return false;
}

static int ext_sock_state(struct runner *r, const struct case_event *ev, int64_t due)
{
	const struct case_call *c = &ev->u.call;
	uint16_t rig_port = ext_port(c, 0, r->flow.rig_port);
	uint16_t target_port = ext_port(c, 1, r->flow.target_port);
	const struct case_event *held;
	struct trace_event *e;
	struct agent_req req;
	struct agent_reply rep;

	agent_req_init(&req, AGENT_SOCK_STATE);
	run_ends_sockaddr(&r->ends, false, target_port, &req.addr);
	run_ends_sockaddr(&r->ends, true, rig_port, &req.peer);
	if (runner_agent_due(r, ev, due, &req) || r->done)
		return r->done ? 0 : -1;
	if (agent_call(&r->agent, &req, &rep, EXT_TIMEOUT_MS, r->err))
		return -1;
	if (rep.ret)
		return err_env(r->err, "sock_state: %s", rep.out);
	held = ext_held(ev, rep.value);
	e = runner_trace(r, TRACE_CHECK, held ? held : ev, runner_now(r));
	snprintf(e->actual, sizeof(e->actual), "= %.300s", rep.value ? rep.out : "NONE");
	if (ext_settle(r, ev, e, due, &rep))
		return 0;
	if (held) {
		runner_outcome(r, held);
		return 0;
	}
	runner_trace_fail(r, e, NULL, "the socket is in another state");
	runner_verdict(r, RUN_FAIL, ev, "%s\n  the target's socket %u<->%u is %s, expected %s",
		       ev->text, target_port, rig_port, rep.value ? rep.out : "NONE (no such socket)",
		       c->retname ? c->retname : "?");
	return 0;
}

static int ext_nstat(struct runner *r, const struct case_event *ev, int64_t due)
{
	const struct case_call *c = &ev->u.call;
	const struct case_event *held;
	struct trace_event *e;
	struct agent_reply rep;
	int64_t now, delta;
	int rc = ext_counter(r, c->args[0].text, &now, ev, due, &rep);

	if (rc)
		return rc < 0 ? -1 : 0;
	delta = now - r->counter_base[ev - r->s->events];
	held = ext_held(ev, delta);
	e = runner_trace(r, TRACE_CHECK, held ? held : ev, runner_now(r));
	snprintf(e->actual, sizeof(e->actual), "= %lld", (long long)delta);
	if (ext_settle(r, ev, e, due, &rep))
		return 0;
	if (held) {
		runner_outcome(r, held);
		return 0;
	}
	runner_trace_fail(r, e, NULL, "the counter rose by another amount");
	runner_verdict(r, RUN_FAIL, ev, "%s\n  %s rose by %lld since the case began, expected %lld",
		       ev->text, c->args[0].text, (long long)delta, (long long)c->ret);
	return 0;
}

int runner_ext_call(struct runner *r, const struct case_event *ev)
{
	bool state = ext_is(ev, "sock_state"), nstat = ext_is(ev, "nstat");
	int64_t due;

	if (!state && !nstat)
		return 0;
	if (runner_wait_call(r) || r->done)
		return r->done ? 1 : -1;
	due = runner_due(r, ev);
	if ((state ? ext_sock_state(r, ev, due) : ext_nstat(r, ev, due)) < 0)
		return -1;
	return 1;
}
