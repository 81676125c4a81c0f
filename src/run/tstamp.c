/* tstamp.c - SCM_TIMESTAMPING stamps placed on the script's clock. */
#include "run/tstamp.h"

#include <linux/errqueue.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "run/call_args.h"
#include "run/call_cmsg.h"

void runner_live_span(const struct runner *r, int64_t s, int64_t *lo, int64_t *hi)
{
	size_t kept = r->npast < RUN_PAST ? r->npast : RUN_PAST;
	const struct anchor *before = NULL;
	bool at = false;

	/* Nothing happened yet: the script's clock is the live one. */
	*lo = *hi = s;
	for (size_t i = r->npast - kept; i < r->npast; i++) {
		const struct anchor *a = &r->past[i % RUN_PAST];

		if (a->script == s) {
			*lo = at && *lo < a->lo ? *lo : a->lo;
			*hi = at && *hi > a->hi ? *hi : a->hi;
			at = true;
		} else if (a->script < s && (!before || a->script >= before->script)) {
			before = a;
		}
	}
	if (!at && before) {
		*lo = before->lo + (s - before->script);
		*hi = before->hi + (s - before->script);
	}
}

static int64_t ts_us(const struct timespec *ts)
{
	return (int64_t)ts->tv_sec * 1000000 + ts->tv_nsec / 1000;
}

int runner_tstamps_check(const struct runner *r, const struct case_call *c,
			 const struct agent_req *req, const struct agent_reply *rep, char *why,
			 size_t cap)
{
	const struct case_expr *ctl;
	struct msghdr mh = {0};
	struct cmsghdr *h;

	if (req->op != AGENT_RECVFROM || !req->arg[2] || rep->ret < 0 || c->nargs < 2 ||
	    c->args[1].kind != CASE_EXPR_STRUCT)
		return 0;
	ctl = call_field(&c->args[1], "msg_control");
	if (!ctl || ctl->kind != CASE_EXPR_LIST)
		return 0;
	mh.msg_control = (void *)rep->data;
	mh.msg_controllen = rep->datalen > sizeof(rep->data) ? sizeof(rep->data) : rep->datalen;
	h = CMSG_FIRSTHDR(&mh);
	for (size_t i = 0; i < ctl->nkids && h; i++, h = CMSG_NXTHDR(&mh, h)) {
		const struct case_expr *d = call_field(&ctl->kids[i], "cmsg_data");
		struct scm_timestamping st;
		int64_t s, t, lo, hi;

		if (!call_cmsg_is_stamp(d) || h->cmsg_len < CMSG_LEN(sizeof(st)))
			continue;
		s = d->kids[0].num * 1000000 + d->kids[1].num / 1000;
		if (!s)
			continue; /* 0: not checked, as in packetdrill */
		memcpy(&st, CMSG_DATA(h), sizeof(st));
		if (!ts_us(&st.ts[0])) {
			snprintf(why, cap, "recvmsg: cmsg %zu has no software stamp (ts[0] is 0)",
				 i + 1);
			return -1;
		}
		t = ts_us(&st.ts[0]) - rep->real_minus_mono_us - (int64_t)r->t0;
		runner_live_span(r, s, &lo, &hi);
		if (t >= lo - r->tol_us && t <= hi + r->tol_us)
			continue;
		snprintf(why, cap,
			 "recvmsg: cmsg %zu SCM_TIMESTAMPING stamped at t=%.6f, expected script "
			 "time %.6f: between t=%.6f and t=%.6f (tolerance %.1f ms)",
			 i + 1, us_to_s(t), us_to_s(s), us_to_s(lo - r->tol_us),
			 us_to_s(hi + r->tol_us), (double)r->tol_us / 1000.0);
		return -1;
	}
	return 0;
}
