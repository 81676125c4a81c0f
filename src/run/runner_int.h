/* runner_int.h - the runner's state: struct runner and what it holds,
 * shared by the files of run/ that play a case (state, record, timeline,
 * line, wire, review, wire_trace, pump, packet, ext, runner). Each of them
 * declares its own functions in its own header. Not for use outside run/.
 */
#ifndef TCPRIG_RUNNER_INT_H
#define TCPRIG_RUNNER_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "agent/agent.h"
#include "case/case.h"
#include "wire/fault.h"
#include "lab/lab.h"
#include "run/ends.h"
#include "run/fdmap.h"
#include "run/map.h"
#include "run/md5.h"
#include "run/reseg.h"
#include "wire/rig_io.h"
#include "core/result.h"
#include "run/config.h"
#include "core/trace.h"

/* How long before its time an agent request is sent, to wait there for
 * its time itself: a call then starts without a second wake-up. */
#define RUN_AGENT_LEAD_US 20000
/* Script time 0 lies this far after the case's clock starts: the first
 * agent request is sent ahead of its time like every other one. */
#define RUN_T0_LEAD_US 10000
/* How many anchors the runner keeps: a kernel's own stamp of a script
 * time is placed by the anchors around it (tstamp.h). */
#define RUN_PAST 256
/* How often the board is read while a blocking call is being started. */
#define RUN_START_POLL_US 50

/* Target segments that arrived and wait for a `>` line. */
#define RX_RING 256
/* Linux's TCP timestamp clock ticks at 1 kHz. */
#define TS_HZ 1000

struct wire;
struct code_snap;
struct knobwatch;

struct rx {
	int64_t t; /* script time of arrival */
	uint64_t hash; /* wire_hash of the frame */
	struct frame f;
	uint32_t skip; /* payload bytes an earlier `>` line took (reseg.h) */
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
	struct run_ends ends;  /* its two ends in the case's family */
	bool rig_port_set, target_port_set;

	uint64_t t0;		/* CLOCK_MONOTONIC us at script time 0 */
	int64_t real_minus_mono; /* pcap stamps are CLOCK_REALTIME */
	struct anchor anc;
	struct anchor past[RUN_PAST]; /* the anchors so far, a ring */
	size_t npast;		      /* how many were ever set */
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
	struct rig_window win; /* the rig's window edges (reseg.h) */
	bool rx_overflow;

	struct frame out; /* the frame being injected */
	struct pending_call call;
	struct fd_map fds; /* the script's fd numbers: names (fdmap.h) */
	struct run_md5 md5; /* the TCP MD5 keys the target holds (md5.h) */
	bool packetdrill;  /* run_config.packetdrill */
	bool listened;	   /* --packetdrill: listen() ran since the last SYN
			    * injected, so the next one is a new connection
			    * (packetdrill's new passive socket), on a port of
			    * its own */
	bool new_socket;   /* --packetdrill: socket() ran since the last `>`
			    * SYN held, so the next is the new socket's, and
			    * an older one's SYN again is passed over */
	bool call_pending;

	/* --sysctl values as they were before the case, to put back. */
	char (*sysctl_old)[AGENT_OUT_MAX];
	size_t sysctls_set;
	/* The knobs shell lines change, watched when a capture is recorded
	 * (knobwatch.h); NULL: not watched. */
	bool watch_knobs;
	struct knobwatch *knobs;
	/* nstat lines: each counter's value when the case started, by event. */
	int64_t *counter_base;
	bool done;		/* a verdict other than PASS was reached */
	bool ended;		/* an `=> label end` line held: no more lines */

	struct fault *fault;	/* NULL: no emulated faults */
	struct wire *wire;	/* NULL: no target-side capture (wire.h) */
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
	/* A range line held by a segment whose TS val was judged: how much
	 * later (us) than that TS val says the segment came (runner_match). */
	bool held_ts_set;
	int64_t held_ts_late;
	/* What the target acknowledged last, on which connection (fold.h). */
	bool fold_ack_set;
	uint32_t fold_ack;
	uint16_t fold_sport, fold_dport;
	int64_t wire_end; /* when the review began: the case was over */
	/* %{ }% blocks: the TCP_INFO read for each (code.c). */
	struct code_snap *code;
	size_t ncode;
	/* Where events go once the trace is full (it says so itself). */
	struct trace_event trace_spare;
};

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

static inline double us_to_s(int64_t us)
{
	return (double)us / 1e6;
}

#endif
