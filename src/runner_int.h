/* runner_int.h - the runner's state, shared by its files (runner.c: the
 * clock, setup and teardown; runner_packet.c: packet lines; runner_ext.c:
 * the extensions). Not for use outside the runner. */
#ifndef TCPRIG_RUNNER_INT_H
#define TCPRIG_RUNNER_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "agent.h"
#include "case/case.h"
#include "lab.h"
#include "map.h"
#include "rig_io.h"
#include "runner.h"

/* Target segments that arrived and wait for a `>` line. */
#define RX_RING 256
/* Linux's TCP timestamp clock ticks at 1 kHz. */
#define TS_HZ 1000

struct rx {
	int64_t t; /* script time of arrival */
	struct frame f;
};

struct pending_call {
	const struct case_event *ev;
	struct agent_req req;
	int64_t at;	/* when it was due to start, script time */
	int64_t lo, hi; /* when its return is due, script time */
};

struct runner {
	const struct case_script *s;
	struct run_result *res;
	struct tr_err *err;
	int64_t tol_us;
	double tol_pct;

	struct lab lab;
	bool lab_up;
	struct agent agent;
	bool agent_up;
	struct rig_io io;
	struct map map;
	struct map_tuple flow; /* the case's default connection */
	bool rig_port_set, target_port_set;

	uint64_t t0;		/* CLOCK_MONOTONIC us at script time 0 */
	int64_t real_minus_mono; /* pcap stamps are CLOCK_REALTIME */
	int64_t prev_us;	/* when the previous timed event happened */
	/* As packetdrill does, a `>` line with a range or `*` moves the relative
	 * times after it to when its segment really came: shift is added to
	 * every relative time until an absolute one resets it. base_us is the
	 * script time a relative line after a `*` counts from. */
	int64_t shift, base_us;
	/* `a~b > nothing` takes its whole window: relative times after it count
	 * from b. That is script time, not a shift, so TS vals do not move. */
	int64_t quiet_us;

	struct rx *rx;
	unsigned rx_head, rx_n;
	bool rx_overflow;

	struct frame out; /* the frame being injected */
	struct pending_call call;
	bool call_pending;

	/* --sysctl values as they were before the case, to put back. */
	char (*sysctl_old)[AGENT_OUT_MAX];
	size_t sysctls_set;
	/* nstat lines: each counter's value when the case started, by event. */
	int64_t *counter_base;
	bool done;		/* a verdict other than PASS was reached */
};

int64_t runner_now(const struct runner *r);
/* When an event is due, its relative time moved by the current shift. */
int64_t runner_ev_at(const struct runner *r, const struct case_event *ev);
int64_t runner_ev_until(const struct runner *r, const struct case_event *ev);
int64_t runner_tolerance(const struct runner *r, int64_t at);
/* The first verdict other than PASS sticks; ev NULL for the whole case. */
void runner_verdict(struct runner *r, enum run_verdict v, const struct case_event *ev,
		    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
int runner_pump(struct runner *r, int64_t until);
int runner_wait_until(struct runner *r, int64_t t);
int runner_wait_call(struct runner *r);

/* runner_packet.c */
int runner_inject(struct runner *r, const struct case_event *ev);
int runner_expect(struct runner *r, const struct case_event *ev);
int runner_quiet(struct runner *r, const struct case_event *ev);
/* The oldest waiting segment, described as unexpected (ev NULL: at the end). */
void runner_describe_unexpected(struct runner *r, const struct rx *rx,
				const struct case_event *ev, const char *why);

/* runner_ext.c */
int runner_sysctls_apply(struct runner *r);
void runner_sysctls_restore(struct runner *r);
int runner_counters_baseline(struct runner *r);
/* 1 if ev is an extension call it handled, 0 if not one, -1 on error. */
int runner_ext_call(struct runner *r, const struct case_event *ev);

static inline double us_to_s(int64_t us)
{
	return (double)us / 1e6;
}

#endif
