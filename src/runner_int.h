/* runner_int.h - the runner's state, shared by its files (runner.c: setup,
 * teardown, calls and shell lines; runner_clock.c: the timeline, anchors
 * and the rig's own lateness; runner_packet.c: packet lines; runner_ext.c:
 * the extensions; runner_wire.c: the wire record, the fault layer's plumbing
 * and the review that says INCONCLUSIVE; runner_trace.c and
 * runner_wire_trace.c: the trace). Not for use outside the runner. */
#ifndef TCPRIG_RUNNER_INT_H
#define TCPRIG_RUNNER_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "agent.h"
#include "case/case.h"
#include "fault.h"
#include "lab.h"
#include "map.h"
#include "rig_io.h"
#include "runner.h"
#include "trace.h"

/* How long before its time an agent request is sent, to wait there for
 * its time itself: a call then starts without a second wake-up. */
#define RUN_AGENT_LEAD_US 20000
/* Script time 0 lies this far after the case's clock starts: the first
 * agent request is sent ahead of its time like every other one. */
#define RUN_T0_LEAD_US 10000
/* How often the board is read while a blocking call is being started. */
#define RUN_START_POLL_US 50

/* Target segments that arrived and wait for a `>` line. */
#define RX_RING 256
/* Linux's TCP timestamp clock ticks at 1 kHz. */
#define TS_HZ 1000

struct rx {
	int64_t t; /* script time of arrival */
	uint64_t hash; /* wire_hash of the frame */
	struct frame f;
};

/* The wire record, kept when a target-side capture is on: what the rig sent,
 * what reached it, and what the capture inside the target namespace saw.
 * The review pairs them by frame bytes (a frame crosses the veth unchanged)
 * to find segments lost, delayed or reordered on the way. */
#define WIRE_LOG 256
/* Frames still in flight at the end of a case get this long to be seen. */
#define WIRE_SETTLE_US 3000

struct wire_sent { /* a `<` segment the rig put on the wire */
	const struct case_event *ev;
	int64_t t;
	uint64_t hash;
};

struct wire_got { /* a target segment handed to the runner */
	int64_t t;
	uint64_t hash;
};

struct wire_seen { /* a frame the target-side capture saw */
	int64_t t;
	uint64_t hash;
	bool from_target;
	bool decoded;	    /* from_target only: seg holds it */
	struct segment seg; /* payload NULL */
};

struct wire {
	struct wire_sent sent[WIRE_LOG];
	struct wire_got got[WIRE_LOG];
	struct wire_seen *seen; /* WIRE_LOG of them */
	unsigned nsent, ngot, nseen;
	bool overflow;
};

enum wire_fate {
	WIRE_OK,
	WIRE_LOST,
	WIRE_LATE,
	WIRE_REORDERED,
};

/* Each segment's fate on the way: the rig's (sent[i]) at the target, the
 * target's (seen[j], from_target) at the rig. */
struct wire_review {
	enum wire_fate tx[WIRE_LOG], rx[WIRE_LOG];
	int64_t tx_at[WIRE_LOG]; /* when the target saw sent[i] */
	int rx_got[WIRE_LOG];	 /* got[] index of seen[j], -1: never */
};

struct pending_call {
	const struct case_event *ev;
	struct agent_req req;
	int64_t at;	/* when it was due to start, script time */
	int64_t script;	/* where it stands on the script's clock */
	int64_t lo, hi; /* when its return is due, script time */
	bool started;	/* a blocking call: its start is known (start) */
	int64_t start;
	int64_t drift0; /* the timeline's drift when it started */
};

/* The previous timed event as it really happened: where the next relative
 * line counts from (packetdrill's rule, on what the wire and the agent
 * saw rather than on when the rig got round to looking). */
struct anchor {
	int64_t lo, hi;	/* when it happened: a segment's capture time, a
			 * call's entry..return, a window's scheduled end */
	int64_t due;	/* when it was due */
	int64_t script;	/* where it stands on the script's own clock */
	bool inject;	/* a `<` line: the next `<` counts from its due
			 * time, so that a train keeps its spacing */
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
	struct anchor anc;
	int64_t agent_free_at;	/* when the agent's last call returned */
	/* The test hook TCPRIG_STALL=LINE:MS[:TRY]: the rig sleeps MS before
	 * acting on LINE (0: never). */
	int stall_line;
	int64_t stall_us;
	/* The rig's own frame being looked for in the capture, to time its
	 * send by the wire (tx_seen: found, at tx_t). */
	bool tx_wait, tx_seen;
	uint64_t tx_hash;
	int64_t tx_t;

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
	bool ended;		/* an `=> label end` line held: no more lines */

	struct fault *fault;	/* NULL: no emulated faults */
	struct wire *wire;	/* NULL: no target-side capture */
	/* What the first verdict other than PASS was about, for the review:
	 * its line, when it was reached, the segment that broke it if one did. */
	const struct case_event *fail_ev;
	int64_t fail_at;
	bool fail_rx_set;
	uint64_t fail_rx_hash;
	int64_t fail_rx_t;
	/* The window of the `>` line being waited for, how far the timeline
	 * has drifted from the script's for it, and the slack its TS vals get
	 * (in TS ticks). */
	int64_t exp_lo, exp_hi;
	int64_t exp_drift;
	uint32_t exp_ts_slack;
	int64_t wire_end; /* when the review began: the case was over */
	/* Where events go once the trace is full (it says so itself). */
	struct trace_event trace_spare;
};

/* runner_clock.c: the timeline. Script time is us since t0. */
int64_t runner_now(const struct runner *r);
/* The timing tolerance of line ev (packetdrill's rule: the larger of
 * tolerance_usecs and tolerance_percent of the gap before it); until: for
 * the end of its range rather than its start. */
int64_t runner_tolerance(const struct runner *r, const struct case_event *ev, bool until);
/* When the rig's action on line ev (`<`, a call, a shell line) is due. */
int64_t runner_due(const struct runner *r, const struct case_event *ev);
/* The span [*lo, *hi] in which line ev is due, before any tolerance: a `>`
 * line's segment, a `> nothing` window. */
void runner_span(const struct runner *r, const struct case_event *ev, int64_t *lo, int64_t *hi);
/* Where line ev stands on the script's own clock. */
int64_t runner_script_at(const struct runner *r, const struct case_event *ev);
/* Live minus script time at the anchor: what TS vals written for a
 * relative line move by. */
int64_t runner_drift(const struct runner *r);
/* Line ev happened in [lo, hi], due at due; the next relative line counts
 * from it. script: where it stands on the script's clock. */
void runner_anchor(struct runner *r, const struct case_event *ev, int64_t lo, int64_t hi,
		   int64_t due, int64_t script);
/* The rig acted on line ev at `at`, due at `due`: later than the line's
 * tolerance makes the case INCONCLUSIVE (the script was not played as
 * written), e is the line's trace event. True if it did. */
bool runner_late(struct runner *r, const struct case_event *ev, struct trace_event *e,
		 int64_t due, int64_t at, const char *what);
/* The test hook (run_stall_parse): sleeps if line ev is the one to stall. */
void runner_stall(const struct runner *r, const struct case_event *ev);
/* Reads TCPRIG_STALL for this try (1-based). */
int runner_stall_setup(struct runner *r, unsigned try_no);

/* The first verdict other than PASS sticks; ev NULL for the whole case. */
void runner_verdict(struct runner *r, enum run_verdict v, const struct case_event *ev,
		    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* runner_pump.c */
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

/* runner_packet.c */
/* Would live hold what `>` line ev expects, at its window? Looks
 * only: nothing is learned or reported. If it does, text gets it as the
 * line sees it: "8080>40000 . 2:2(0) ack 2 ...", script numbers. */
bool runner_line_matches(struct runner *r, const struct case_event *ev,
			 const struct segment *live, char *text, size_t cap);
/* A target segment in the script's numbers: "8080>40000 . 2:2(0) ack 2 ...". */
void runner_segment_text(struct runner *r, const struct segment *live, char *buf, size_t cap);
int runner_inject(struct runner *r, const struct case_event *ev);
int runner_expect(struct runner *r, const struct case_event *ev);
int runner_quiet(struct runner *r, const struct case_event *ev);
/* The oldest waiting segment, described as unexpected (ev NULL: at the end). */
void runner_describe_unexpected(struct runner *r, const struct rx *rx,
				const struct case_event *ev, const char *why);

/* runner_wire.c */
uint64_t wire_hash(const uint8_t *frame, size_t len);
int runner_wire_open(struct runner *r, const struct run_config *cfg, const char *case_path);
void runner_wire_close(struct runner *r);
/* A target segment reached the rig end (sniffer callback): through the
 * fault layer, if any, to the receive queue. */
void runner_on_frame(void *ctx, const struct timeval *ts, const uint8_t *frame, size_t len);
/* The capture inside the target namespace (sniffer callback). */
void runner_on_target_frame(void *ctx, const struct timeval *ts, const uint8_t *frame,
			    size_t len);
/* Puts r->out on the wire for line ev, through the fault layer if any;
 * *wire_t is when it left: the capture's own stamp of the frame (the fault
 * layer's hand-over time under --faults). */
int runner_send(struct runner *r, const struct case_event *ev, int64_t *wire_t);
/* Frames the fault layer keeps that are due by now leave: target segments
 * to the receive queue, the rig's to the wire. */
int runner_fault_release(struct runner *r, int64_t now);
/* When the fault layer next lets a frame go; INT64_MAX if never. */
int64_t runner_fault_next(const struct runner *r);
/* After the case, with a target-side capture: what the wire did to it may
 * turn PASS or FAIL into INCONCLUSIVE (see runner.h). */
int runner_wire_review(struct runner *r);
/* Pairs what the rig sent and got with what the target-side capture saw. */
void wire_pair(const struct runner *r, struct wire_review *v);

/* runner_trace.c */
/* A new event for line ev (NULL: none) at script time t, its expected text
 * and outcome label from the line; never NULL. */
struct trace_event *runner_trace(struct runner *r, enum trace_kind kind,
				 const struct case_event *ev, int64_t t);
/* Marks e as the line that failed (call it before runner_verdict: once a
 * verdict is reached a later failure is only UNEXPECTED). */
void runner_trace_fail(struct runner *r, struct trace_event *e, const char *field,
		       const char *note);
/* Adds the outcome label of the alternative that held to the result. */
void runner_outcome(struct runner *r, const struct case_event *ev);
/* After the case: a row for a verdict no event explains; time order. */
void runner_trace_finish(struct runner *r);
/* The pairs of the wire record, as events: runner_wire.c. */
void runner_wire_trace(struct runner *r);

/* An outcome group: the head line and its `|` alternatives; member 0 is the
 * head. */
static inline size_t runner_group_size(const struct case_event *head)
{
	return 1 + head->nalts;
}

static inline const struct case_event *runner_group_member(const struct case_event *head,
							   size_t i)
{
	return i ? &head->alts[i - 1] : head;
}

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
