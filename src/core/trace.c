/* trace.c - a case's events in memory, and their names (see trace.h). */
#include "core/trace.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct trace_event *trace_add(struct trace *t, enum trace_kind kind, int line, int64_t t_us)
{
	struct trace_event *e;

	if (t->n >= TRACE_MAX) {
		t->overflow = true;
		return NULL;
	}
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 16;
		struct trace_event *ev;

		if (cap > TRACE_MAX)
			cap = TRACE_MAX;
		ev = realloc(t->ev, cap * sizeof(*ev));
		if (!ev)
			return NULL;
		t->ev = ev;
		t->cap = cap;
	}
	e = &t->ev[t->n++];
	/* Zeroed whole, so that the fixed strings are terminated and a trace
	 * written to a pipe carries no stale bytes. */
	memset(e, 0, sizeof(*e));
	e->kind = kind;
	e->status = TRACE_OK;
	e->wire = TRACE_WIRE_NONE;
	e->line = line;
	e->t_us = t_us;
	e->t_end_us = t_us;
	e->wire_t_us = t_us;
	return e;
}

void trace_free(struct trace *t)
{
	free(t->ev);
	t->ev = NULL;
	t->n = t->cap = 0;
	t->overflow = false;
}

const char *trace_kind_name(enum trace_kind k)
{
	switch (k) {
	case TRACE_SEND:
		return "send";
	case TRACE_RECV:
		return "recv";
	case TRACE_MISSING:
		return "missing";
	case TRACE_QUIET:
		return "quiet";
	case TRACE_CALL:
		return "call";
	case TRACE_CHECK:
		return "check";
	case TRACE_SHELL:
		return "shell";
	}
	return "?";
}

const char *trace_status_name(enum trace_status s)
{
	switch (s) {
	case TRACE_OK:
		return "ok";
	case TRACE_FAILED:
		return "failed";
	case TRACE_UNEXPECTED:
		return "unexpected";
	case TRACE_NOT_RUN:
		return "not-run";
	}
	return "?";
}

const char *trace_wire_name(enum trace_wire w)
{
	switch (w) {
	case TRACE_WIRE_NONE:
		return "none";
	case TRACE_WIRE_OK:
		return "ok";
	case TRACE_WIRE_LOST:
		return "lost";
	case TRACE_WIRE_LATE:
		return "late";
	}
	return "?";
}

void trace_time_text(char *buf, size_t cap, int64_t us)
{
	uint64_t mag = us < 0 ? 0 - (uint64_t)us : (uint64_t)us;

	snprintf(buf, cap, "%s%" PRIu64 ".%06" PRIu64, us < 0 ? "-" : "", mag / 1000000,
		 mag % 1000000);
}
