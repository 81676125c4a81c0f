/* knobwatch.c - the knobs a case's shell lines changed (knobwatch.h). */
#include "run/knobwatch.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"

/* One reading is one agent round trip per knob (tens of microseconds on a
 * lab's pipe): a short list, read only when a capture is recorded. */
#define KNOBWATCH_TIMEOUT_MS 2000
#define KNOBWATCH_MAX 32

/* The per-namespace TCP knobs the catalogue's questions turn on. */
static const char *const knobwatch_list[] = {
	"net.ipv4.tcp_tw_reuse",	 "net.ipv4.tcp_tw_reuse_delay",
	"net.ipv4.tcp_timestamps",	 "net.ipv4.tcp_max_tw_buckets",
	"net.ipv4.tcp_rfc1337",		 "net.ipv4.ip_local_port_range",
	"net.ipv4.tcp_invalid_ratelimit", "net.ipv4.tcp_fin_timeout",
	"net.ipv4.tcp_congestion_control", "net.ipv4.tcp_sack",
	"net.ipv4.tcp_window_scaling",	 "net.ipv4.tcp_ecn",
	"net.ipv4.tcp_syncookies",	 "net.ipv4.tcp_challenge_ack_limit",
};

struct knobwatch {
	size_t n;
	char name[KNOBWATCH_MAX][128];
	char value[KNOBWATCH_MAX][AGENT_OUT_MAX];
};

static bool knobwatch_has(const struct knobwatch *w, const char *name)
{
	for (size_t i = 0; i < w->n; i++)
		if (!strcmp(w->name[i], name))
			return true;
	return false;
}

static void knobwatch_add(struct knobwatch *w, const char *name, size_t len)
{
	char buf[128];

	if (len >= sizeof(buf) || w->n == KNOBWATCH_MAX)
		return;
	memcpy(buf, name, len);
	buf[len] = '\0';
	/* sysctl(8) takes either separator; the agent's reply is by name. */
	for (char *p = buf; *p; p++)
		if (*p == '/')
			*p = '.';
	if (!knobwatch_has(w, buf))
		memcpy(w->name[w->n++], buf, len + 1);
}

/* Knob i now: 1 and value, 0 when it cannot be read (absent here), -1. */
static int knobwatch_read(struct runner *r, const char *name, char *value)
{
	struct agent_req req;
	struct agent_reply rep;

	agent_req_init(&req, AGENT_SYSCTL_GET);
	snprintf(req.text, sizeof(req.text), "%s", name);
	if (agent_call(&r->agent, &req, &rep, KNOBWATCH_TIMEOUT_MS, r->err))
		return -1;
	if (rep.ret)
		return 0;
	memcpy(value, rep.out, sizeof(rep.out));
	value[AGENT_OUT_MAX - 1] = '\0';
	/* "32768\t60999" is written as a case writes it: "32768 60999". */
	for (char *p = value; *p; p++)
		if (*p == '\t')
			*p = ' ';
	return 1;
}

int runner_knobs_start(struct runner *r)
{
	const struct case_options *o = &r->s->opt;
	struct knobwatch *w;
	size_t k = 0;

	if (!r->watch_knobs || !r->agent_up || r->knobs)
		return 0;
	w = calloc(1, sizeof(*w));
	if (!w)
		return err_sys(r->err, "knobs");
	for (size_t i = 0; i < o->nsysctls; i++)
		knobwatch_add(w, o->sysctls[i], strcspn(o->sysctls[i], "="));
	for (size_t i = 0; i < sizeof(knobwatch_list) / sizeof(knobwatch_list[0]); i++)
		knobwatch_add(w, knobwatch_list[i], strlen(knobwatch_list[i]));
	r->knobs = w;
	for (size_t i = 0; i < w->n; i++) {
		int rc = knobwatch_read(r, w->name[i], w->value[k]);

		if (rc < 0)
			return -1;
		if (rc && k != i)
			memcpy(w->name[k], w->name[i], sizeof(w->name[k]));
		k += (size_t)rc;
	}
	w->n = k;
	return 0;
}

int runner_knobs_after(struct runner *r, uint64_t done_us)
{
	struct knobwatch *w = r->knobs;
	struct run_result *res = r->res;
	/* Setup lines run before the clock's offset is taken. */
	int64_t real_minus_mono = r->t0 ? r->real_minus_mono :
				  (int64_t)clock_real_us() - (int64_t)clock_mono_us();
	struct run_knob_change *c = NULL;
	char now[AGENT_OUT_MAX];
	size_t nlen, vlen;

	for (size_t i = 0; w && i < w->n; i++) {
		int rc = knobwatch_read(r, w->name[i], now);

		if (rc < 0)
			return -1;
		if (!rc || !strcmp(now, w->value[i]))
			continue;
		memcpy(w->value[i], now, sizeof(now));
		nlen = strlen(w->name[i]);
		vlen = strlen(now);
		/* A value too long to carry is lost, and the settings say so. */
		if (res->nknobs == RUN_KNOBS_MAX || nlen + 1 + vlen >= sizeof(c->set)) {
			res->knobs_lost = true;
			continue;
		}
		c = &res->knobs[res->nknobs++];
		c->real_us = (int64_t)done_us + real_minus_mono;
		memcpy(c->set, w->name[i], nlen);
		c->set[nlen] = '=';
		memcpy(c->set + nlen + 1, now, vlen + 1);
	}
	return 0;
}

void runner_knobs_free(struct runner *r)
{
	free(r->knobs);
	r->knobs = NULL;
}
