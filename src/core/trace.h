/* trace.h - what happened in one case, event by event, as the runner saw it:
 * the record that the ladder diagram, the JSON and JUnit reports and the
 * matrix's HTML are drawn from.
 *
 * The runner appends an event when a line of the case is settled: a segment
 * it injected, a segment the target sent (matched by a `>` line, or not
 * wanted by any), a `>` line that nothing answered, a quiet window, a socket
 * call and what it returned, a shell line, a check of its own (sock_state,
 * nstat). Every event carries the case line it answers, the line as written
 * (`expected`) and what really happened (`actual`), in the script's numbers:
 * relative seq/ack, the target's TS val mapped back, ports as tcpdump prints
 * them ("8080>40000 S. 0:0(0) ack 1 win 65160 <mss 1460,...>").
 *
 * With a target-side capture each segment also says what the capture inside
 * the target namespace saw of it (`wire`): that the target got the rig's
 * segment, or never did; that a segment the target sent was lost on the way
 * to the rig (an event of its own, TRACE_RECV with TRACE_WIRE_LOST: the rig
 * never had it).
 *
 * A trace crosses a pipe (a run -j worker to its parent) and is the input of
 * the ladder's golden tests as text, one event per line: report/trace_io.h.
 */
#ifndef TCPRIG_TRACE_H
#define TCPRIG_TRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "core/err.h"

/* A case with more events than this keeps the first ones and says so. */
#define TRACE_MAX 1024
#define TRACE_TEXT 320

enum trace_kind {
	TRACE_SEND,    /* rig -> target: a `<` line put on the wire */
	TRACE_RECV,    /* target -> rig: a segment from the target */
	TRACE_MISSING, /* a `>` line that no segment answered in its window */
	TRACE_QUIET,   /* a `> nothing` window */
	TRACE_CALL,    /* a socket call the agent made on the target */
	TRACE_CHECK,   /* sock_state(), nstat(): the runner's own call lines */
	TRACE_SHELL,   /* a backtick line run on the target side */
};

enum trace_status {
	TRACE_OK,	  /* the line held */
	TRACE_FAILED,	  /* the line that decided a verdict other than PASS */
	TRACE_UNEXPECTED, /* RECV: a segment no line wanted (line 0 at the end) */
	TRACE_NOT_RUN,	  /* after the verdict: the line was not reached */
};

/* What the target-side capture saw of a segment (SEND and RECV only). */
enum trace_wire {
	TRACE_WIRE_NONE, /* no target-side capture in this run */
	TRACE_WIRE_OK,	 /* crossed the veth as sent (wire_t_us: when the
			  * capture saw it) */
	TRACE_WIRE_LOST, /* SEND: the target never got it; RECV: the target
			  * sent it and the rig never got it */
	TRACE_WIRE_LATE, /* crossed, later than the tolerance allows */
};

struct trace_event {
	enum trace_kind kind;
	enum trace_status status;
	enum trace_wire wire;
	int line;	  /* the case line; 0 when none (an unwanted segment) */
	int64_t t_us;	  /* script time it happened: sent, arrived, returned */
	int64_t t_end_us; /* QUIET: the window's end; MISSING: when waiting
			   * stopped; CALL: its return; else t_us */
	int64_t wire_t_us; /* when the target-side capture saw it */
	char outcome[32];  /* the outcome label of the alternative that held */
	char field[40];	   /* FAILED: the first differing field, or "" */
	/* The line as written, without its time ("> . 1:1(0) ack 2 win 257",
	 * "close(4) = 0"); "" for an unwanted segment. */
	char expected[TRACE_TEXT];
	/* What happened: a segment in script notation with its ports, a call's
	 * return ("= -1 ECONNRESET"), a check's value ("= NONE"); "" when
	 * nothing did (MISSING, QUIET that held). */
	char actual[TRACE_TEXT];
	char note[160];	   /* one line on why it failed, else "" */
	/* The runner's own: the frame's hash, to pair a segment with what the
	 * target-side capture saw (0: none). Not part of the text form. */
	uint64_t frame_hash;
};

struct trace {
	struct trace_event *ev;
	size_t n, cap;
	bool overflow; /* events after TRACE_MAX were dropped */
};

/* Appends a zeroed event (t_end_us and wire_t_us set to t) and returns it,
 * or NULL when the trace is full (overflow set) or memory ran out. */
struct trace_event *trace_add(struct trace *t, enum trace_kind kind, int line, int64_t t_us);
void trace_free(struct trace *t);

const char *trace_kind_name(enum trace_kind k);
/* Microseconds as seconds, exactly, as every output writes a time:
 * "-0.000250", "12.000001". TRACE_TIME_MAX bytes hold any int64_t. */
#define TRACE_TIME_MAX 24
void trace_time_text(char *buf, size_t cap, int64_t us);
const char *trace_status_name(enum trace_status s);
const char *trace_wire_name(enum trace_wire w);


#endif
