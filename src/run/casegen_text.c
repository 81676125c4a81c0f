#include "run/casegen_text.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run/casegen_knobs.h"

static void cg_vadd(struct cg *g, unsigned long rec, const char *fmt, va_list ap)
{
	char *text;

	if (g->oom)
		return;
	if (!g->keep) {
		if (g->out && (vfprintf(g->out, fmt, ap) < 0 || putc('\n', g->out) == EOF))
			g->oom = true; /* the caller reads ferror() */
		g->n++;
		return;
	}
	if (g->n == g->cap) {
		size_t cap = g->cap ? 2 * g->cap : 64;
		struct cg_line *v = realloc(g->v, cap * sizeof(*v));

		if (!v) {
			g->oom = true;
			return;
		}
		g->v = v;
		g->cap = cap;
	}
	if (vasprintf(&text, fmt, ap) < 0) {
		g->oom = true;
		return;
	}
	g->v[g->n++] = (struct cg_line){ text, rec };
}

void cg_add(struct cg *g, unsigned long rec, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cg_vadd(g, rec, fmt, ap);
	va_end(ap);
}

/* "+0.000016" from nanoseconds, trailing zeros cut as cases write it. */
void cg_delta(int64_t ns, char *buf, size_t cap)
{
	int64_t us = ns < 0 ? 0 : (ns + 500) / 1000;
	size_t len;

	if (!us) {
		snprintf(buf, cap, "+0");
		return;
	}
	snprintf(buf, cap, "+%lld.%06lld", (long long)(us / 1000000), (long long)(us % 1000000));
	len = strlen(buf);
	while (buf[len - 1] == '0')
		buf[--len] = '\0';
}

static void cg_vtimed(struct cg *g, int64_t ns, unsigned long rec, const char *fmt, va_list ap)
{
	char t[64], body[512];

	if (!g->timed) {
		snprintf(t, sizeof(t), "0");
		g->range_ns = 0; /* the first line has no line before to count from */
	} else if (g->range_ns) {
		char lo[24], hi[24];

		cg_delta(g->range_lo_ns < ns - g->last_ns ? g->range_lo_ns : ns - g->last_ns, lo,
			 sizeof(lo));
		cg_delta(g->range_ns, hi, sizeof(hi));
		snprintf(t, sizeof(t), "%s~%s", lo, hi);
		g->range_ns = 0;
	} else {
		cg_delta(ns - g->last_ns, t, sizeof(t));
	}
	/* A damaged capture's clock may jump by years: the length saturates
	 * (it is only compared with what a replay may last). */
	if (g->timed && ns > g->last_ns)
		g->script_ns = ns - g->last_ns > INT64_MAX - g->script_ns ? INT64_MAX :
			       g->script_ns + (ns - g->last_ns);
	g->timed = true;
	g->last_ns = ns;
	vsnprintf(body, sizeof(body), fmt, ap);
	cg_add(g, rec, "%-9s %s", t, body);
}

static void cg_raw_timed(struct cg *g, int64_t ns, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void cg_raw_timed(struct cg *g, int64_t ns, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cg_vtimed(g, ns, 0, fmt, ap);
	va_end(ap);
}

/* The knobs changed by ns, each at its moment; one changed before the
 * script's first line is set at its start. */
static void cg_knobs_due(struct cg *g, int64_t ns)
{
	while (g->knob_next < g->nknobs && g->knobs[g->knob_next].ns <= ns) {
		const struct casegen_knob *k = &g->knobs[g->knob_next++];
		char line[CASEGEN_KNOB_TEXT + 32];
		int64_t at = k->ns;

		if (!g->timed) {
			at = ns;
			g->knobs_start++;
		} else if (at < g->last_ns) {
			at = g->last_ns;
		}
		casegen_knob_line(k, line, sizeof(line));
		cg_raw_timed(g, at, "%s", line);
	}
}

/* A line at capture time ns: "0" for the first, then relative. */
void cg_timed(struct cg *g, int64_t ns, unsigned long rec, const char *fmt, ...)
{
	/* the line's own, not a knob's before it */
	int64_t range = g->range_ns, range_lo = g->range_lo_ns;
	va_list ap;

	g->range_ns = 0;
	cg_knobs_due(g, ns);
	g->range_ns = range;
	g->range_lo_ns = range_lo;
	va_start(ap, fmt);
	cg_vtimed(g, ns, rec, fmt, ap);
	va_end(ap);
}

void cg_knobs_use(struct cg *g, const struct casegen_opts *o)
{
	if (g->knobs)
		return;
	g->knobs = o->knobs;
	g->nknobs = o->nknobs;
}

void cg_knobs_note(struct cg *h, const struct cg *g)
{
	size_t late = g->nknobs - g->knob_next;

	if (!g->nknobs)
		return;
	cg_add(h, 0, "// Sysctls the recording changed on the way (--sysctl-at): %zu set by a shell",
	       g->knob_next);
	if (late)
		cg_add(h, 0, "// line at the moment it changed (%zu at the start: changed before the "
			     "first line); %zu after the last packet, left out.", g->knobs_start, late);
	else
		cg_add(h, 0, "// line at the moment it changed (%zu at the start: changed before the "
			     "first line).", g->knobs_start);
}

int64_t cg_ts_ns(const struct flow_pkt *p)
{
	/* A pcapng stamp may lie past 2262 (a damaged capture): saturated. */
	if (p->ts.tv_sec >= INT64_MAX / 1000000000 || p->ts.tv_sec <= INT64_MIN / 1000000000)
		return p->ts.tv_sec < 0 ? INT64_MIN / 2 : INT64_MAX / 2;
	return (int64_t)p->ts.tv_sec * 1000000000 + p->ts.tv_nsec;
}

/* A segment in script notation: no window on a `>` line. */
void cg_segment(const struct segment *s, bool out, uint32_t ecr_hi, char *buf, size_t cap)
{
	const struct seg_opt *ts = segment_opt_find(s, SEG_OPT_TS);
	char flags[9], opts[400];
	int k;

	k = snprintf(buf, cap, "%s %u:%u(%u)", segment_flags_format(s->flags, flags), s->seq,
		     (uint32_t)(s->seq + s->payload_len), s->payload_len);
	if (s->flags & SEG_ACK)
		k += snprintf(buf + k, cap - (size_t)k, " ack %u", s->ack);
	if (!out)
		k += snprintf(buf + k, cap - (size_t)k, " win %u", s->win);
	if (s->flags & SEG_URG)
		k += snprintf(buf + k, cap - (size_t)k, " urg %u", s->urg);
	segment_opts_format(s, opts, sizeof(opts));
	if (out && ts && ecr_hi != ts->v.ts.ecr) {
		char *e = strstr(opts, " ecr ");

		if (e) {
			char rest[400];
			size_t at = (size_t)(e - opts) + 5 + strspn(e + 5, "0123456789");

			snprintf(rest, sizeof(rest), "%s", opts + at);
			snprintf(opts + at, sizeof(opts) - at, "~%u%s", ecr_hi, rest);
		}
	}
	if (opts[0])
		snprintf(buf + k, cap - (size_t)k, " %s", opts);
}

void cg_free(struct cg *g)
{
	for (size_t i = 0; g->v && i < g->n; i++)
		free(g->v[i].text);
	free(g->v);
}
