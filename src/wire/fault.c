#include "wire/fault.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* splitmix64: small, fast, and the same sequence everywhere. */
static uint64_t fault_next(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15u);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
	return z ^ (z >> 31);
}

/* Uniform in [0, 1). */
static double fault_draw(uint64_t *state)
{
	return (double)(fault_next(state) >> 11) * 0x1.0p-53;
}

/* "12.5%" -> 0.125 */
static int fault_parse_share(const char *key, const char *v, size_t len, double *out,
			     struct tr_err *err)
{
	char buf[32], *end;
	double d;

	if (len == 0 || len >= sizeof(buf))
		return err_usage(err, "--faults: %s: want a percentage like 5%%", key);
	memcpy(buf, v, len);
	buf[len] = '\0';
	errno = 0;
	d = strtod(buf, &end);
	if (end == buf || errno || strcmp(end, "%") || !isfinite(d) || d < 0 || d > 100)
		return err_usage(err,
				 "--faults: %s=%s: want a percentage from 0%% to 100%%, "
				 "like 5%%",
				 key, buf);
	*out = d / 100.0;
	return 0;
}

/* "50ms" -> 50000 */
static int fault_parse_delay(const char *v, size_t len, int64_t *out, struct tr_err *err)
{
	static const struct {
		const char *unit;
		double us;
	} units[] = {{"us", 1}, {"ms", 1e3}, {"s", 1e6}};
	char buf[32], *end;
	double d;

	if (len == 0 || len >= sizeof(buf))
		return err_usage(err, "--faults: delay: want a time like 50ms");
	memcpy(buf, v, len);
	buf[len] = '\0';
	errno = 0;
	d = strtod(buf, &end);
	if (end == buf || errno || !isfinite(d) || d < 0)
		return err_usage(err, "--faults: delay=%s: want a time like 50ms", buf);
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (strcmp(end, units[i].unit))
			continue;
		if (d * units[i].us > FAULT_DELAY_MAX_US)
			return err_usage(err, "--faults: delay=%s: at most %d s", buf,
					 FAULT_DELAY_MAX_US / 1000000);
		*out = (int64_t)(d * units[i].us + 0.5);
		return 0;
	}
	return err_usage(err, "--faults: delay=%s: the unit must be us, ms or s", buf);
}

int fault_spec_parse(const char *text, struct fault_spec *spec, struct tr_err *err)
{
	const char *p = text;
	bool seen[3] = {false, false, false};

	memset(spec, 0, sizeof(*spec));
	if (!*text)
		return err_usage(err, "--faults: empty (want e.g. loss=5%%,delay=50ms)");
	while (*p) {
		size_t len = strcspn(p, ","), klen = strcspn(p, "=,");
		const char *v = p + klen + 1;
		size_t vlen = len > klen ? len - klen - 1 : 0;
		int which = -1;

		if (klen == 4 && !strncmp(p, "loss", 4))
			which = 0;
		else if (klen == 5 && !strncmp(p, "delay", 5))
			which = 1;
		else if (klen == 7 && !strncmp(p, "reorder", 7))
			which = 2;
		if (which < 0)
			return err_usage(err,
					 "--faults: unknown fault '%.*s' (use loss, delay "
					 "or reorder)",
					 (int)klen, p);
		if (klen >= len)
			return err_usage(err, "--faults: %.*s needs a value (%.*s=...)", (int)klen,
					 p, (int)klen, p);
		if (seen[which])
			return err_usage(err, "--faults: %.*s given twice", (int)klen, p);
		seen[which] = true;
		if (which == 0 && fault_parse_share("loss", v, vlen, &spec->loss, err))
			return -1;
		if (which == 2 && fault_parse_share("reorder", v, vlen, &spec->reorder, err))
			return -1;
		if (which == 1) {
			const char *at = memchr(v, '@', vlen);
			size_t dlen = at ? (size_t)(at - v) : vlen;

			spec->delay_share = 1.0;
			if (fault_parse_delay(v, dlen, &spec->delay_us, err) ||
			    (at && fault_parse_share("delay share", at + 1, vlen - dlen - 1,
						     &spec->delay_share, err)))
				return -1;
		}
		p += len;
		if (*p == ',' && !*++p)
			return err_usage(err, "--faults: '%s' ends with a comma", text);
	}
	return 0;
}

int fault_spec_format(const struct fault_spec *spec, char *buf, size_t cap)
{
	int n = 0;
	const char *sep = "";

#define FAULT_PUT(...)                                                                             \
	do {                                                                                       \
		int k =                                                                            \
		    snprintf(buf + (size_t)n, (size_t)n < cap ? cap - (size_t)n : 0, __VA_ARGS__); \
		n += k > 0 ? k : 0;                                                                \
		sep = ",";                                                                         \
	} while (0)

	if (cap)
		buf[0] = '\0';
	if (spec->loss > 0)
		FAULT_PUT("%sloss=%g%%", sep, spec->loss * 100);
	if (spec->delay_us > 0) {
		FAULT_PUT("%sdelay=%gms", sep, (double)spec->delay_us / 1000);
		if (spec->delay_share < 1.0)
			FAULT_PUT("@%g%%", spec->delay_share * 100);
	}
	if (spec->reorder > 0)
		FAULT_PUT("%sreorder=%g%%", sep, spec->reorder * 100);
	if (!n)
		FAULT_PUT("none");
#undef FAULT_PUT
	return n;
}

uint64_t fault_case_seed(uint64_t seed, const char *path)
{
	const char *base = strrchr(path, '/');
	uint64_t h = 0xcbf29ce484222325u; /* FNV-1a */

	for (base = base ? base + 1 : path; *base; base++)
		h = (h ^ (uint8_t)*base) * 0x100000001b3u;
	return seed ^ h;
}

int fault_init(struct fault *f, const struct fault_spec *spec, uint64_t seed, struct tr_err *err)
{
	memset(f, 0, sizeof(*f));
	f->spec = *spec;
	f->rng[FAULT_RX] = seed;
	f->rng[FAULT_TX] = seed ^ 0x5851f42d4c957f2du;
	f->q = calloc(FAULT_QUEUE, sizeof(*f->q));
	if (!f->q)
		return err_sys(err, "fault queue");
	return 0;
}

void fault_free(struct fault *f)
{
	free(f->q);
	f->q = NULL;
	f->n = 0;
}

/* Frames held behind the next one of their direction, the one that entered
 * as `order`, leave with it at t. */
static void fault_release_held(struct fault *f, enum fault_dir dir, uint64_t order, int64_t t)
{
	for (unsigned i = 0; i < f->n; i++)
		if (f->q[i].dir == dir && f->q[i].why == FAULT_HOLD && f->q[i].order < order &&
		    f->q[i].due > t)
			f->q[i].due = t;
}

enum fault_action fault_on_frame(struct fault *f, enum fault_dir dir, int64_t t,
				 const uint8_t *frame, size_t len)
{
	/* Always three draws, so the next frame's fate does not depend on
	 * this one's. */
	double lose = fault_draw(&f->rng[dir]), hold = fault_draw(&f->rng[dir]),
	       late = fault_draw(&f->rng[dir]);
	enum fault_action a = FAULT_PASS;
	struct fault_item *it;

	f->st.seen[dir]++;
	if (lose < f->spec.loss)
		a = FAULT_DROP;
	else if (hold < f->spec.reorder)
		a = FAULT_HOLD;
	else if (f->spec.delay_us > 0 && late < f->spec.delay_share)
		a = FAULT_DELAY;
	if (a == FAULT_PASS)
		fault_release_held(f, dir, f->order++, t);
	if (a == FAULT_PASS || a == FAULT_DROP) {
		f->st.dropped[dir] += a == FAULT_DROP;
		return a;
	}
	if (f->n == FAULT_QUEUE || len > FRAME_MAX) {
		f->st.full[dir]++;
		f->st.dropped[dir]++;
		return FAULT_DROP;
	}
	it = &f->q[f->n++];
	it->dir = dir;
	it->why = a;
	it->in_t = t;
	it->due = t + (a == FAULT_HOLD ? FAULT_HOLD_US : f->spec.delay_us);
	it->order = f->order++;
	it->f.len = len;
	memcpy(it->f.bytes, frame, len);
	if (a == FAULT_HOLD)
		f->st.held[dir]++;
	else
		f->st.delayed[dir]++;
	return a;
}

int64_t fault_next_due(const struct fault *f)
{
	int64_t due = INT64_MAX;

	for (unsigned i = 0; i < f->n; i++)
		if (f->q[i].due < due)
			due = f->q[i].due;
	return due;
}

int fault_take(struct fault *f, enum fault_dir dir, int64_t now, struct fault_item *out)
{
	unsigned best = f->n;

	for (unsigned i = 0; i < f->n; i++) {
		const struct fault_item *it = &f->q[i];

		if (it->dir != dir || it->due > now)
			continue;
		if (best == f->n || it->due < f->q[best].due ||
		    (it->due == f->q[best].due && it->order < f->q[best].order))
			best = i;
	}
	if (best == f->n)
		return 0;
	*out = f->q[best];
	f->q[best] = f->q[--f->n];
	/* A delayed frame leaving is "the next one" for a held frame. */
	if (out->why == FAULT_DELAY)
		fault_release_held(f, dir, out->order, out->due);
	return 1;
}
