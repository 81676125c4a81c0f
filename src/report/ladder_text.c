/* ladder_text.c - what a ladder row says, as text: an arrow's label, the
 * notes after the target lane (what the target-side capture saw, an
 * outcome, why a row is odd), times and durations. */
#include "report/ladder_text.h"

#include <stdio.h>
#include <string.h>

/* A duration with its sign always written: "+0.040000". */
void ladder_delta(char *buf, size_t cap, int64_t us)
{
	trace_time_text(buf + 1, cap - 1, us);
	if (buf[1] == '-')
		memmove(buf, buf + 1, strlen(buf + 1) + 1);
	else
		buf[0] = '+';
}

/* The line as written, less its "<" or ">": the arrow says which way. */
const char *ladder_strip_dir(const char *s)
{
	if ((s[0] == '<' || s[0] == '>') && s[1] == ' ') {
		s++;
		while (*s == ' ')
			s++;
	}
	return s;
}

/* QUIET that held: the window, written between the lanes. */
void ladder_quiet_text(char *buf, size_t cap, const struct trace_event *e)
{
	char t[32];

	trace_time_text(t, sizeof(t), e->t_end_us);
	snprintf(buf, cap, "nothing from the target until %s", t);
}

bool ladder_is_segment(const struct trace_event *e)
{
	return e->kind == TRACE_SEND || e->kind == TRACE_RECV;
}

/* What labels an arrow, or NULL when the event draws none. The buffer is
 * for text the event does not hold as such. */
const char *ladder_label(const struct trace_event *e, char *buf, size_t cap)
{
	switch (e->kind) {
	case TRACE_SEND:
	case TRACE_RECV:
		return e->actual[0] ? e->actual : ladder_strip_dir(e->expected);
	case TRACE_MISSING:
		return ladder_strip_dir(e->expected);
	case TRACE_QUIET:
		/* Broken by a segment: that segment is the arrow. */
		if (e->status == TRACE_FAILED && e->actual[0])
			return e->actual;
		ladder_quiet_text(buf, cap, e);
		return buf;
	case TRACE_CALL:
	case TRACE_CHECK:
	case TRACE_SHELL:
		break;
	}
	return NULL;
}

/* Adds " text" to the notes after the target lane. */
static void ladder_note(char *buf, size_t cap, const char *text)
{
	size_t n = strlen(buf);

	snprintf(buf + n, cap - n, "%s%s", n ? "  " : "", text);
}

/* What the target-side capture saw, the outcome, why a row is odd. */
void ladder_notes(const struct trace_event *e, char *buf, size_t cap)
{
	char t[32], s[96];

	buf[0] = '\0';
	if (ladder_is_segment(e)) {
		bool send = e->kind == TRACE_SEND;

		switch (e->wire) {
		case TRACE_WIRE_NONE:
			break;
		case TRACE_WIRE_OK:
			if (e->wire_t_us != e->t_us) {
				trace_time_text(t, sizeof(t), e->wire_t_us);
				snprintf(s, sizeof(s), "[tgt %s]", t);
				ladder_note(buf, cap, s);
			}
			break;
		case TRACE_WIRE_LOST:
			ladder_note(buf, cap,
				 send ? "(lost on the wire: the target never got it)"
				      : "(lost on the wire: the rig never got it)");
			break;
		case TRACE_WIRE_LATE:
			ladder_delta(t, sizeof(t),
				  send ? e->wire_t_us - e->t_us : e->t_us - e->wire_t_us);
			snprintf(s, sizeof(s), "(late at %s: %s)", send ? "target" : "rig", t);
			ladder_note(buf, cap, s);
			break;
		}
	}
	if (e->kind == TRACE_MISSING) {
		trace_time_text(t, sizeof(t), e->t_end_us);
		snprintf(s, sizeof(s), "nothing came by %s", t);
		ladder_note(buf, cap, s);
	}
	if (e->kind == TRACE_QUIET && e->status == TRACE_FAILED && e->actual[0]) {
		trace_time_text(t, sizeof(t), e->t_end_us);
		snprintf(s, sizeof(s), "(expected nothing until %s)", t);
		ladder_note(buf, cap, s);
	}
	/* One the rig never got could not have been expected or not. */
	if (e->status == TRACE_UNEXPECTED && e->wire != TRACE_WIRE_LOST)
		ladder_note(buf, cap, "(not expected by any line)");
	if (e->outcome[0]) {
		snprintf(s, sizeof(s), "=> %s", e->outcome);
		ladder_note(buf, cap, s);
	}
}

