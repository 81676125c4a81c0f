/* call_cmsg.c - recvmsg's control messages and flags judged. */
#include "run/call_cmsg.h"

#include <linux/errqueue.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "run/call_args.h"

/* The fields of a sock_extended_err a script may write. */
static const char *const ee_fields[] = { "ee_errno", "ee_origin", "ee_type",
					 "ee_code",  "ee_info",	  "ee_data" };

static int64_t ee_field(const struct sock_extended_err *ee, size_t i)
{
	switch (i) {
	case 0:
		return ee->ee_errno;
	case 1:
		return ee->ee_origin;
	case 2:
		return ee->ee_type;
	case 3:
		return ee->ee_code;
	case 4:
		return ee->ee_info;
	default:
		return ee->ee_data;
	}
}

bool call_cmsg_is_stamp(const struct case_expr *d)
{
	return d && d->kind == CASE_EXPR_STRUCT && d->nkids == 2 && d->kids[0].field &&
	       d->kids[1].field && !strcmp(d->kids[0].field, "scm_sec") &&
	       !strcmp(d->kids[1].field, "scm_nsec") && d->kids[0].kind == CASE_EXPR_INT &&
	       d->kids[1].kind == CASE_EXPR_INT;
}

static bool ee_field_known(const char *name)
{
	for (size_t i = 0; i < sizeof(ee_fields) / sizeof(ee_fields[0]); i++)
		if (!strcmp(name, ee_fields[i]))
			return true;
	return false;
}

int call_cmsg_valid(const struct case_call *c, const struct case_expr *ctl, struct tr_err *err)
{
	if (ctl->kind == CASE_EXPR_ELLIPSIS)
		return 0;
	if (ctl->kind != CASE_EXPR_LIST)
		return err_usage_at(err, ctl->col, "%s: msg_control is a list [{cmsg_level=, ...}]",
				    c->name);
	for (size_t i = 0; i < ctl->nkids; i++) {
		static const char *const members[] = { "cmsg_level", "cmsg_type", "cmsg_data",
						       NULL };
		const struct case_expr *m = &ctl->kids[i], *lv, *ty, *d;

		if (m->kind == CASE_EXPR_STRUCT && call_members(c, m, "cmsg", members, err))
			return -1;
		lv = m->kind == CASE_EXPR_STRUCT ? call_field(m, "cmsg_level") : NULL;
		ty = m->kind == CASE_EXPR_STRUCT ? call_field(m, "cmsg_type") : NULL;
		d = m->kind == CASE_EXPR_STRUCT ? call_field(m, "cmsg_data") : NULL;
		if (!lv || !ty || !d || lv->kind != CASE_EXPR_INT || ty->kind != CASE_EXPR_INT)
			return err_usage_at(err, m->col,
					    "%s: a cmsg is {cmsg_level=L, cmsg_type=T, cmsg_data=...}",
					    c->name);
		if (d->kind == CASE_EXPR_INT || d->kind == CASE_EXPR_ELLIPSIS ||
		    call_cmsg_is_stamp(d))
			continue;
		if (d->kind != CASE_EXPR_STRUCT)
			return err_usage_at(err, d->col,
					    "%s: cmsg_data is a number, {ee_...=} or "
					    "{scm_sec=S, scm_nsec=N}",
					    c->name);
		for (size_t k = 0; k < d->nkids; k++)
			if (!d->kids[k].field || !ee_field_known(d->kids[k].field) ||
			    d->kids[k].kind != CASE_EXPR_INT)
				return err_usage_at(err,
						    d->kids[k].field && !ee_field_known(d->kids[k].field)
							? d->kids[k].field_col
							: d->kids[k].col,
						    "%s: cmsg_data {...} takes ee_errno, ee_origin, "
						    "ee_type, ee_code, ee_info, ee_data (numbers), or "
						    "is {scm_sec=S, scm_nsec=N}",
						    c->name);
	}
	return 0;
}

static int cmsg_data_check(size_t n, const struct cmsghdr *h, const struct case_expr *d,
			   char *why, size_t cap)
{
	size_t len = h->cmsg_len - CMSG_LEN(0);

	if (d->kind == CASE_EXPR_INT) {
		int v;

		if (len < sizeof(v)) {
			snprintf(why, cap, "recvmsg: cmsg %zu carries %zu bytes, not an int", n, len);
			return -1;
		}
		memcpy(&v, CMSG_DATA(h), sizeof(v));
		if (v != d->num) {
			snprintf(why, cap, "recvmsg: cmsg %zu data %d, expected %lld", n, v,
				 (long long)d->num);
			return -1;
		}
		return 0;
	}
	if (call_cmsg_is_stamp(d)) {
		/* When the stamp says is the runner's to judge (tstamp.h):
		 * here only that there is one. */
		if (len < sizeof(struct scm_timestamping)) {
			snprintf(why, cap, "recvmsg: cmsg %zu carries %zu bytes, not a "
					   "scm_timestamping", n, len);
			return -1;
		}
		return 0;
	}
	if (d->kind == CASE_EXPR_STRUCT) {
		struct sock_extended_err ee;

		if (len < sizeof(ee)) {
			snprintf(why, cap, "recvmsg: cmsg %zu carries %zu bytes, not a "
					   "sock_extended_err", n, len);
			return -1;
		}
		memcpy(&ee, CMSG_DATA(h), sizeof(ee));
		for (size_t k = 0; k < d->nkids; k++)
			for (size_t i = 0; i < sizeof(ee_fields) / sizeof(ee_fields[0]); i++)
				if (!strcmp(d->kids[k].field, ee_fields[i]) &&
				    ee_field(&ee, i) != d->kids[k].num) {
					snprintf(why, cap, "recvmsg: cmsg %zu %s %lld, expected %lld",
						 n, ee_fields[i], (long long)ee_field(&ee, i),
						 (long long)d->kids[k].num);
					return -1;
				}
	}
	return 0;
}

int call_cmsg_check(const struct case_expr *msg, const struct agent_reply *rep, char *why,
		    size_t cap)
{
	const struct case_expr *flags, *ctl;
	struct msghdr mh = { 0 };
	struct cmsghdr *h;
	size_t n = 0;

	if (!msg || msg->kind != CASE_EXPR_STRUCT)
		return 0;
	flags = call_field(msg, "msg_flags");
	if (flags && flags->kind == CASE_EXPR_INT && flags->num != rep->value) {
		snprintf(why, cap, "recvmsg: msg_flags 0x%llx, expected 0x%llx",
			 (unsigned long long)rep->value, (unsigned long long)flags->num);
		return -1;
	}
	ctl = call_field(msg, "msg_control");
	if (!ctl || ctl->kind != CASE_EXPR_LIST)
		return 0;
	mh.msg_control = (void *)rep->data;
	mh.msg_controllen = rep->datalen > sizeof(rep->data) ? sizeof(rep->data) : rep->datalen;
	h = CMSG_FIRSTHDR(&mh);
	for (size_t i = 0; i < ctl->nkids; i++, h = h ? CMSG_NXTHDR(&mh, h) : NULL) {
		const struct case_expr *m = &ctl->kids[i];
		const struct case_expr *lv = call_field(m, "cmsg_level");
		const struct case_expr *ty = call_field(m, "cmsg_type");

		n = i + 1;
		if (!h) {
			snprintf(why, cap, "recvmsg: %zu cmsg%s, expected %zu", i, i == 1 ? "" : "s",
				 ctl->nkids);
			return -1;
		}
		if (h->cmsg_level != lv->num || h->cmsg_type != ty->num) {
			snprintf(why, cap, "recvmsg: cmsg %zu level %d type %d, expected level %lld "
					   "type %lld",
				 n, h->cmsg_level, h->cmsg_type, (long long)lv->num,
				 (long long)ty->num);
			return -1;
		}
		if (cmsg_data_check(n, h, call_field(m, "cmsg_data"), why, cap))
			return -1;
	}
	return 0;
}
