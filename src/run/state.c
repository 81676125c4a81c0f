/* state.c - the runner's clock and its verdict: what every other part of
 * the runner reads or sets. */
#include "run/state.h"

#include <stdarg.h>
#include <stdio.h>

#include "core/clock.h"

int64_t runner_now(const struct runner *r)
{
	return (int64_t)(clock_mono_us() - r->t0);
}

void runner_verdict(struct runner *r, enum run_verdict v,
			   const struct case_event *ev, const char *fmt, ...)
{
	va_list ap;
	size_t n = 0;

	if (r->done)
		return;
	r->done = true;
	r->res->verdict = v;
	r->res->line = ev ? ev->line : 0;
	r->fail_ev = ev;
	r->fail_at = runner_now(r);
	if (ev)
		n = (size_t)snprintf(r->res->reason, sizeof(r->res->reason), "%s:%d: ",
				     r->s->path, ev->line);
	if (n >= sizeof(r->res->reason))
		return;
	va_start(ap, fmt);
	vsnprintf(r->res->reason + n, sizeof(r->res->reason) - n, fmt, ap);
	va_end(ap);
}

