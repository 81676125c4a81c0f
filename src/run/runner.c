#include "run/runner.h"

#include <arpa/inet.h>
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "agent/agent.h"
#include "agent/remote.h"
#include "lab/caps.h"
#include "core/clock.h"
#include "lab/lab.h"
#include "run/ends.h"
#include "run/map.h"
#include "run/match.h"
#include "core/pacer.h"
#include "wire/rig_io.h"
#include "run/call.h"
#include "run/callcheck.h"
#include "run/code.h"
#include "run/icmp.h"
#include "run/knobwatch.h"
#include "run/ext.h"
#include "run/observe.h"
#include "run/packet.h"
#include "run/pump.h"
#include "run/record.h"
#include "run/review.h"
#include "run/runner_int.h"
#include "run/state.h"
#include "run/timeline.h"
#include "run/wire.h"
#include "run/wire_trace.h"

/* The lab's addresses: ours, or packetdrill's under --packetdrill (its
 * default local 192.168.0.1 and remote 192.0.2.1, and the IPv6 ones its
 * harness gives: Fast Open cookies depend on them); a script's --local_ip
 * and --remote_ip win. */
static void runner_lab_addrs(const struct case_script *s, const struct run_config *cfg,
			     struct lab_addrs *a)
{
	inet_pton(AF_INET, cfg->packetdrill ? RUN_PD_LOCAL_IP : LAB_TARGET_ADDR, &a->target);
	inet_pton(AF_INET, cfg->packetdrill ? RUN_PD_REMOTE_IP : LAB_PHANTOM_ADDR, &a->phantom);
	if (s->opt.local_ip_given)
		a->target = s->opt.local_ip;
	if (s->opt.remote_ip_given)
		a->phantom = s->opt.remote_ip;
	memset(&a->target6, 0, sizeof(a->target6));
	memset(&a->phantom6, 0, sizeof(a->phantom6));
	if (cfg->packetdrill) {
		inet_pton(AF_INET6, RUN_PD_LOCAL_IP6, &a->target6);
		inet_pton(AF_INET6, RUN_PD_REMOTE_IP6, &a->phantom6);
	}
	if (s->opt.local_ip6_given)
		a->target6 = s->opt.local_ip6;
	if (s->opt.remote_ip6_given)
		a->phantom6 = s->opt.remote_ip6;
}

static int runner_call(struct runner *r, const struct case_event *ev)
{
	const struct case_call *c = &ev->u.call;
	struct call_env env = { .ends = &r->ends, .fds = &r->fds };
	struct tr_err cerr;
	int64_t due;

	if (runner_wait_call(r) || r->done)
		return r->done ? 0 : -1;
	/* bind(..., ...) makes the target's port that of the default flow;
	 * connect(..., ...) aims at the rig's port of the default flow. */
	env.target_port = call_named_port(c) ? call_named_port(c) :
			  r->target_port_set ? r->flow.target_port : RUN_TARGET_PORT;
	env.rig_port = call_named_port(c) ? call_named_port(c) :
		       r->rig_port_set ? r->flow.rig_port : RUN_TARGET_PORT;
	/* runner_check built this line before the lab: it cannot fail here
	 * unless a builder came to judge a run-time value (call_args.h). */
	if (call_request(c, &env, &r->call.req, &cerr)) {
		runner_trace_fail(r, runner_trace(r, TRACE_CALL, ev, runner_now(r)), NULL, cerr.msg);
		runner_verdict(r, RUN_FAIL, ev, "%s\n  column %d: %s", ev->text, cerr.col, cerr.msg);
		return 0;
	}
	if (r->call.req.op == AGENT_BIND && !r->target_port_set) {
		r->flow.target_port = env.target_port;
		r->target_port_set = true;
	}
	if (r->call.req.op == AGENT_LISTEN)
		r->listened = true;
	if (r->call.req.op == AGENT_SOCKET)
		r->new_socket = true;
	if (r->call.req.op == AGENT_CONNECT && !r->rig_port_set) {
		r->flow.rig_port = env.rig_port;
		r->rig_port_set = true;
	}
	due = runner_due(r, ev);
	r->call.ev = ev;
	r->call.at = due;
	r->call.script = runner_script_at(r, ev);
	r->call.started = false;
	/* Until it starts (runner_call_started), a blocking call's return is
	 * due no sooner than it could be; a call without an end time must
	 * return within its tolerance. */
	r->call.lo = INT64_MIN;
	r->call.hi = due + (ev->time.until_us - ev->time.at_us) + runner_tolerance(r, ev, true);
	if (runner_agent_due(r, ev, due, &r->call.req) || r->done)
		return r->done ? 0 : -1;
	if (agent_submit(&r->agent, &r->call.req, r->err))
		return -1;
	r->call_pending = true;
	/* As in packetdrill, only a call written with an end time runs on while
	 * the script goes on; any other must have returned before the next line
	 * (a SYN injected before listen() returned would meet a closed port). */
	return ev->time.blocking ? runner_wait_start(r) : runner_wait_call(r);
}

/* "sysctl: cannot stat /proc/sys/net/ipv4/tcp_tw_reuse_delay: No such file
 * or directory": the kernel lacks the knob, so the case cannot say anything. */
static bool shell_knob_absent(const char *out, char *knob, size_t cap)
{
	const char *p = strstr(out, "cannot stat /proc/sys/");
	size_t n = 0;

	if (!p || !strstr(p, "No such file or directory"))
		return false;
	for (p += strlen("cannot stat /proc/sys/"); *p && *p != ':' && n + 1 < cap; p++)
		knob[n++] = *p == '/' ? '.' : *p;
	knob[n] = '\0';
	return true;
}

static int runner_shell(struct runner *r, const struct case_event *ev)
{
	bool timed = ev->time.kind != CASE_TIME_NONE;
	struct trace_event *e;
	struct agent_req req;
	struct agent_reply rep;
	char knob[128];
	int64_t due = 0, start = 0, done = 0;

	if (runner_wait_call(r) || r->done)
		return r->done ? 0 : -1;
	agent_req_init(&req, AGENT_SHELL);
	snprintf(req.text, sizeof(req.text), "%s", ev->u.shell.cmd);
	if (timed) {
		due = runner_due(r, ev);
		if (runner_agent_due(r, ev, due, &req) || r->done)
			return r->done ? 0 : -1;
	}
	if (agent_call(&r->agent, &req, &rep, AGENT_SHELL_TIMEOUT_MS + 2000, r->err))
		return -1;
	/* What it changed, for the capture's settings; cleanup lines act
	 * after the capture's last segment. */
	if (!ev->u.shell.cleanup && runner_knobs_after(r, rep.done_us))
		return -1;
	/* Setup and cleanup lines run off the clock: at 0 on the ladder. */
	if (timed && r->t0) {
		start = (int64_t)(rep.start_us - r->t0);
		done = (int64_t)(rep.done_us - r->t0);
	}
	e = runner_trace(r, TRACE_SHELL, ev, start);
	e->t_end_us = done;
	if (rep.status == AGENT_STATUS_TIMEOUT)
		snprintf(e->actual, sizeof(e->actual), "killed after %d ms", AGENT_SHELL_TIMEOUT_MS);
	else
		snprintf(e->actual, sizeof(e->actual), "exit %d%s%.200s", rep.status,
			 rep.out[0] ? ": " : "", rep.out);
	if (timed) {
		if (runner_late(r, ev, e, due, start, "the shell line started"))
			return 0;
		runner_anchor(r, ev, start, done, due, runner_script_at(r, ev));
	}
	if (rep.status == 0)
		return 0;
	if (rep.status == AGENT_STATUS_REFUSED) {
		runner_trace_fail(r, e, NULL, "refused by the agent");
		runner_verdict(r, RUN_SKIP, ev, "%s", rep.out);
	} else if (shell_knob_absent(rep.out, knob, sizeof(knob))) {
		runner_trace_fail(r, e, NULL, "knob absent");
		runner_verdict(r, RUN_SKIP, ev, "knob absent: %s", knob);
	} else if (rep.status == AGENT_STATUS_TIMEOUT) {
		runner_trace_fail(r, e, NULL, "killed: it ran too long");
		runner_verdict(r, RUN_FAIL, ev, "%s\n  killed after %d ms", ev->text,
			       AGENT_SHELL_TIMEOUT_MS);
	} else {
		runner_trace_fail(r, e, NULL, "exited with a status other than 0");
		runner_verdict(r, RUN_FAIL, ev, "%s\n  exited with status %d%s%s", ev->text,
			       rep.status, rep.out[0] ? ": " : "", rep.out);
	}
	return 0;
}

static int runner_event(struct runner *r, const struct case_event *ev)
{
	int rc;

	switch (ev->kind) {
	case CASE_EV_INJECT:
		return runner_inject(r, ev);
	case CASE_EV_EXPECT:
		return runner_expect(r, ev);
	case CASE_EV_CALL:
		rc = runner_ext_call(r, ev);
		return rc ? (rc < 0 ? -1 : 0) : runner_call(r, ev);
	case CASE_EV_QUIET:
		/* With alternatives it is a group, waited for as a `>` line. */
		return ev->nalts ? runner_expect(r, ev) : runner_quiet(r, ev);
	case CASE_EV_SHELL:
		return runner_shell(r, ev);
	case CASE_EV_CODE:
		return runner_code(r, ev);
	case CASE_EV_ICMP:
		return runner_icmp(r, ev);
	case CASE_EV_OBSERVE:
		return runner_observe(r, ev);
	}
	return err_usage(r->err, "unknown event kind %d", ev->kind);
}

/* Whether a case asks anything of the target's side: calls, shell lines,
 * socket state, counters, sysctls, a %{ }% block's TCP_INFO. */
static bool runner_needs_agent(const struct case_script *s)
{
	if (s->opt.nsysctls)
		return true;
	for (size_t i = 0; i < s->nevents; i++)
		if (s->events[i].kind == CASE_EV_CALL || s->events[i].kind == CASE_EV_SHELL ||
		    s->events[i].kind == CASE_EV_CODE)
			return true;
	return false;
}

/* A remote target instead of a lab: the lab's addresses are the target's
 * and the phantom's on the real segment, and there is no namespace. A case
 * this target cannot run is a SKIP with the reason (r->done). */
static int runner_setup_remote(struct runner *r, const struct run_config *cfg,
			       const struct rig_io_config *io_cfg)
{
	const struct run_remote *rm = cfg->remote;

	r->lab = (struct lab){.rig_nsfd = -1, .target_nsfd = -1, .family = AF_INET,
			      .lock_fd = -1};
	r->lab.target_addr = rm->wire.target;
	r->lab.phantom_addr = rm->wire.phantom;
	memcpy(r->lab.rig_mac, rm->wire.ifi.mac, 6);
	memcpy(r->lab.target_mac, rm->wire.target_mac, 6);
	if (!rm->has_agent && runner_needs_agent(r->s)) {
		runner_verdict(r, RUN_SKIP, NULL, "needs an agent (--agent): the case makes "
						  "socket calls, shell lines or sysctls on the target");
		return 0;
	}
	/* A lab is made with the MTU a case's --mss=N asks for (N + 40); a
	 * real segment has the one it has: the case runs where that is it. */
	if (r->s->opt.mss && r->s->opt.mss + 40u != rm->wire.ifi.mtu) {
		runner_verdict(r, RUN_SKIP, NULL, "--mss=%u needs a segment MTU of %u; %s's is %u "
						  "(a lab's is set, a remote target's is not)",
			       r->s->opt.mss, r->s->opt.mss + 40u, rm->wire.ifi.name,
			       rm->wire.ifi.mtu);
		return 0;
	}
	if (r->s->opt.mtu && r->s->opt.mtu != rm->wire.ifi.mtu) {
		runner_verdict(r, RUN_SKIP, NULL, "--mtu=%u: %s's MTU is %u (a lab's is set, a "
						  "remote target's is not)",
			       r->s->opt.mtu, rm->wire.ifi.name, rm->wire.ifi.mtu);
		return 0;
	}
	if (rm->has_agent) {
		if (agent_start_remote(&r->agent, &rm->agent, &rm->token, rm->wire.phantom,
				       rm->rig_self, r->err))
			return -1;
		r->agent_up = true;
	}
	if (rm->port) {
		r->flow.target_port = rm->port;
		r->target_port_set = true;
	}
	if (rig_io_open_remote(&r->io, &rm->wire, io_cfg, r->err))
		return -1;
	r->flow.family = AF_INET;
	r->flow.rig.v4 = r->lab.phantom_addr;
	r->flow.target.v4 = r->lab.target_addr;
	/* A remote target is IPv4 (cmd/run.c refuses --family ipv6 there). */
	run_ends_init(&r->ends, &r->lab, AF_INET, false);
	/* As in a lab: the worker needs no privilege past its set-up. */
	return caps_drop_to_teardown(r->err);
}

static int runner_setup(struct runner *r, const struct run_config *cfg)
{
	const struct case_script *s = r->s;
	struct rig_io_config io_cfg;
	char dir[PATH_MAX];
	struct lab_addrs addrs;

	r->tol_us = cfg->tolerance_us >= 0	  ? cfg->tolerance_us :
		    s->opt.tolerance_usecs >= 0 ? s->opt.tolerance_usecs :
						  RUN_DEFAULT_TOLERANCE_US;
	r->tol_pct = cfg->tolerance_pct >= 0	   ? cfg->tolerance_pct :
		     s->opt.tolerance_percent >= 0 ? s->opt.tolerance_percent :
						     RUN_DEFAULT_TOLERANCE_PCT;
	/* A line that cannot be played (an ICMP line of the other family
	 * only, a call that cannot be built): refused before any lab. The
	 * commands refuse it before any case starts; this is for any other
	 * way in. */
	if (runner_check(s, cfg, r->err) ||
	    runner_stall_setup(r, cfg->try_no ? cfg->try_no : 1) || pacer_setup(&cfg->pacer, r->err))
		return -1;
	r->rx = calloc(RX_RING, sizeof(*r->rx));
	if (!r->rx)
		return err_sys(r->err, "receive queue");
	map_init(&r->map);
	r->map.syn_acks_absolute = cfg->packetdrill;
	r->packetdrill = cfg->packetdrill;
	if (cfg->remote) {
		io_cfg = (struct rig_io_config){.pcap_path = cfg->pcap_path,
						.target_capture = cfg->target_capture};
		return runner_setup_remote(r, cfg, &io_cfg);
	}
	runner_lab_addrs(s, cfg, &addrs);
	/* packetdrill's tun resolves no neighbours: its scripts route via
	 * gateways nobody answers ARP for. */
	addrs.noarp = cfg->packetdrill;
	if (lab_create_at(&r->lab, NULL, &addrs, r->err))
		return -1;
	r->lab_up = true;
	run_ends_init(&r->ends, &r->lab, runner_wire_family(s, cfg), s->opt.v4_mapped);
	/* --mss is the target's MSS, in either family (lab/addr6.h). */
	if (s->opt.mss && lab_set_mtu(&r->lab, s->opt.mss + 40u, r->err))
		return -1;
	if (s->opt.mtu && lab_set_path_mtu(&r->lab, s->opt.mtu, r->err))
		return -1;
	snprintf(dir, sizeof(dir), "%s", s->path);
	if (agent_start(&r->agent, &r->lab, dirname(dir), r->err))
		return -1;
	r->agent_up = true;
	if (runner_wire_open(r, cfg, s->path))
		return -1;
	io_cfg = (struct rig_io_config){
		.pcap_path = cfg->pcap_path,
		.pcap_by_caller = r->fault != NULL,
		.target_capture = r->wire != NULL,
		.target_pcap_path = cfg->target_pcap_path,
	};
	if (rig_io_open_config(&r->io, &r->lab, &io_cfg, r->err))
		return -1;
	run_ends_tuple(&r->ends, &r->flow);
	return caps_drop_to_teardown(r->err);
}

static void runner_teardown(struct runner *r)
{
	struct tr_err terr;

	rig_io_close(&r->io);
	runner_wire_close(r);
	if (r->agent_up) {
		runner_sysctls_restore(r);
		agent_stop(&r->agent, &terr);
	}
	free(r->counter_base);
	runner_knobs_free(r);
	runner_code_free(r);
	if (r->lab_up)
		lab_destroy(&r->lab, &terr);
	map_free(&r->map);
	free(r->rx);
}

/* Untimed shell lines: setup ones before the clock starts, cleanup ones
 * after the case whatever happened. */
static int runner_untimed(struct runner *r, bool cleanup)
{
	for (size_t i = 0; i < r->s->nevents; i++) {
		const struct case_event *ev = &r->s->events[i];

		if (ev->kind != CASE_EV_SHELL || ev->time.kind != CASE_TIME_NONE ||
		    ev->u.shell.cleanup != cleanup)
			continue;
		if (runner_shell(r, ev))
			return -1;
	}
	return 0;
}

static int runner_play(struct runner *r)
{
	const struct case_script *s = r->s;

	if (runner_sysctls_apply(r) || r->done || runner_knobs_start(r) ||
	    runner_untimed(r, false) || r->done ||
	    runner_counters_baseline(r) || r->done)
		return r->done ? 0 : -1;
	r->real_minus_mono = (int64_t)clock_real_us() - (int64_t)clock_mono_us();
	r->t0 = clock_mono_us() + RUN_T0_LEAD_US;
	for (size_t i = 0; i < s->nevents && !r->done && !r->ended; i++) {
		const struct case_event *ev = &s->events[i];

		if (ev->time.kind == CASE_TIME_NONE)
			continue;
		if (runner_event(r, ev))
			return -1;
		if (!r->done)
			r->res->events_done++;
	}
	if (!r->done && runner_wait_call(r))
		return -1;
	/* A segment the target sent that no line expected fails the case, as
	 * in packetdrill; collect what is already on its way first. A case
	 * an outcome ended early leaves the rest to the lines it skipped. */
	if (!r->done && runner_pump(r, runner_now(r)))
		return -1;
	if (!r->done && !r->ended && r->rx_n && !r->packetdrill)
		runner_describe_unexpected(r, &r->rx[r->rx_head], NULL, "unexpected segment");
	return 0;
}

int runner_run(const struct case_script *s, const struct run_config *cfg, struct run_result *res,
	       struct tr_err *err)
{
	struct runner r = { .s = s, .res = res, .err = err, .watch_knobs = cfg->pcap_path != NULL };
	uint64_t start = clock_mono_us();
	int rc;

	memset(res, 0, sizeof(*res));
	res->verdict = RUN_PASS;
	rc = runner_setup(&r, cfg);
	if (!rc && !r.done)
		rc = runner_play(&r);
	if (!rc)
		rc = runner_code_review(&r);
	if (!rc)
		rc = runner_wire_review(&r);
	if (!rc && r.wire)
		runner_wire_trace(&r);
	if (!rc && r.agent_up) {
		struct run_result held = *res;
		bool was_done = r.done;
		size_t before = res->trace.n;

		/* Cleanup lines run even after a failure; their own failure only
		 * counts if the case had held so far. The trace keeps them all. */
		r.done = false;
		rc = runner_untimed(&r, true);
		if (was_done) {
			struct trace trace = res->trace;

			*res = held;
			res->trace = trace;
			/* Only the first failure decided the verdict. */
			for (size_t i = before; i < trace.n; i++)
				if (trace.ev[i].status == TRACE_FAILED)
					trace.ev[i].status = TRACE_UNEXPECTED;
		}
	}
	runner_trace_finish(&r);
	runner_teardown(&r);
	res->elapsed_us = clock_mono_us() - start;
	return rc;
}
