/* parse_options.c - the --name=value lines before the first event:
 * --tolerance_usecs, --tolerance_percent, --mss, --mtu, --ip_version, --sysctl,
 * --local_ip, --remote_ip, --tcp_ts_tick_usecs, and the flags
 * --strict_segments and --tcp_ts_ecr_scaled (accepted with a warning).
 */
#include "case/parse_options.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "core/segment.h"


static int case_option_num(struct case_ctx *c, const struct lex_token *opt,
			   const struct lex_token *v, double max, bool frac, double *out)
{
	char buf[64], *end;
	double d;

	if (v->len == 0 || v->len >= sizeof(buf) || v->text[0] < '0' || v->text[0] > '9')
		goto bad;
	memcpy(buf, v->text, v->len);
	buf[v->len] = '\0';
	errno = 0;
	d = frac ? strtod(buf, &end) : (double)strtoull(buf, &end, 10);
	if (*end || errno)
		goto bad;
	if (d > max)
		return case_err(c, v->col, "--%.*s=%s is out of range (0..%.0f)", (int)opt->len,
				opt->text, buf, max);
	*out = d;
	return 0;
bad:
	return case_err(c, v->col, "--%.*s takes a number", (int)opt->len, opt->text);
}

static bool case_sysctl_name(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_' ||
		      s[i] == '.' || s[i] == '-'))
			return false;
	return n > 0;
}

/* --sysctl=NAME=VALUE; the '=' after the option is read. VALUE is the rest
 * of the line up to a comment, blanks around it trimmed, so that it may
 * hold blanks (net.ipv4.ip_local_port_range=40000 40000). Only net.*
 * knobs: the target's namespace has its own copy of those alone. */
static int case_option_sysctl(struct case_ctx *c, const struct lex_token *opt)
{
	struct case_options *o = &c->p->script.opt;
	const char *s = c->line;
	size_t start = c->lx.pos, stop, end, eq, val;
	struct lex_token t;
	char b[200], **v;

	while (start < c->len && (s[start] == ' ' || s[start] == '\t'))
		start++;
	/* An outcome label ('=>') is no part of the value: stop there too, so
	 * that the line's end reports it as misplaced. */
	for (stop = start; stop < c->len; stop++)
		if (stop + 1 < c->len &&
		    ((s[stop] == '/' && (s[stop + 1] == '/' || s[stop + 1] == '*')) ||
		     (s[stop] == '=' && s[stop + 1] == '>')))
			break;
	for (end = stop; end > start && (s[end - 1] == ' ' || s[end - 1] == '\t');)
		end--;
	if (end == start)
		return case_err(c, (int)start + 1, "option --%.*s needs a value", (int)opt->len,
				opt->text);
	for (eq = start; eq < end && s[eq] != '='; eq++)
		;
	for (val = eq + 1; val < end && (s[val] == ' ' || s[val] == '\t');)
		val++;
	t = (struct lex_token){.kind = LEX_WORD, .col = (int)start + 1, .end = end};
	if (eq == end || val == end || !case_sysctl_name(s + start, eq - start))
		return case_err(c, t.col, "--sysctl: %s is not NAME=VALUE",
				case_tok_str(c, &t, b, sizeof(b)));
	for (size_t i = val; i < end; i++)
		if ((unsigned char)s[i] < 0x20 ? s[i] != '\t' : s[i] == 0x7f)
			return case_err(c, t.col, "--sysctl: %s is not NAME=VALUE",
					case_tok_str(c, &t, b, sizeof(b)));
	if (eq - start < 4 || memcmp(s + start, "net.", 4))
		return case_err(c, t.col,
				"--sysctl: only net.* knobs (%.*s is shared with the host)",
				(int)(eq - start), s + start);

	v = realloc(o->sysctls, (o->nsysctls + 1) * sizeof(*v));
	if (!v)
		return case_oom(c->err);
	o->sysctls = v;
	v[o->nsysctls] = malloc(eq - start + 1 + end - val + 1);
	if (!v[o->nsysctls])
		return case_oom(c->err);
	memcpy(v[o->nsysctls], s + start, eq - start + 1);
	memcpy(v[o->nsysctls] + (eq - start + 1), s + val, end - val);
	v[o->nsysctls][eq - start + 1 + end - val] = '\0';
	o->nsysctls++;
	c->lx.pos = stop;
	return 0;
}

/* --local_ip=A or --remote_ip=A: an IPv4 or an IPv6 address, for the lab's
 * end of that family. */
static int case_option_addr(struct case_ctx *c, const struct lex_token *opt)
{
	struct case_options *o = &c->p->script.opt;
	bool local = lex_text_is(opt, "local_ip");
	struct lex_token t, v;
	char b[64];

	lex_next(&c->lx, &t);
	if (!lex_is(&t, '='))
		return case_err(c, opt->col, "option --%.*s needs a value: --%.*s=ADDRESS",
				(int)opt->len, opt->text, (int)opt->len, opt->text);
	lex_run(&c->lx, &v);
	if (v.kind == LEX_END || v.len >= sizeof(b))
		return case_err(c, v.col, "option --%.*s needs an address", (int)opt->len,
				opt->text);
	memcpy(b, v.text, v.len);
	b[v.len] = '\0';
	if (strchr(b, ':')) {
		struct in6_addr *a6 = local ? &o->local_ip6 : &o->remote_ip6;

		if (inet_pton(AF_INET6, b, a6) != 1)
			return case_err(c, v.col, "--%.*s=%s is not an IPv6 address",
					(int)opt->len, opt->text, b);
		if (!seg_ipv6_lab_usable(a6))
			return case_err(c, v.col, "--%.*s=%s: a lab needs a unicast address, "
					"not ::, ::1, link-local, multicast or v4-mapped",
					(int)opt->len, opt->text, b);
		*(local ? &o->local_ip6_given : &o->remote_ip6_given) = true;
		return 0;
	}
	if (inet_pton(AF_INET, b, local ? &o->local_ip : &o->remote_ip) != 1)
		return case_err(c, v.col, "--%.*s=%s is not an IPv4 address", (int)opt->len,
				opt->text, b);
	if (!seg_ipv4_lab_usable((local ? o->local_ip : o->remote_ip).s_addr))
		return case_err(c, v.col, "--%.*s=%s: a lab needs a unicast address, "
				"not 0/8, 127/8 or multicast", (int)opt->len, opt->text, b);
	if (local)
		o->local_ip_given = true;
	else
		o->remote_ip_given = true;
	return 0;
}

/* --name=value, as upstream scripts write them at the top. */
static int case_option(struct case_ctx *c, const struct lex_token *opt)
{
	struct case_options *o = &c->p->script.opt;
	struct lex_token t, v;
	double d;
	char b[200];

	if (lex_text_is(opt, "strict_segments")) {
		o->strict_segments = true;
		return 0;
	}
	if (lex_text_is(opt, "loose_psh")) {
		o->loose_psh = true;
		return 0;
	}
	if (lex_text_is(opt, "loose_segments")) {
		o->loose_segments = true;
		return 0;
	}
	if (lex_text_is(opt, "loose_acks")) {
		o->loose_acks = true;
		return 0;
	}
	if (lex_text_is(opt, "tcp_ts_ecr_scaled"))
		return case_warn(c, opt->col, "--tcp_ts_ecr_scaled is accepted but not honoured: "
				 "TS ecr values are compared as written");
	if (lex_text_is(opt, "local_ip") || lex_text_is(opt, "remote_ip"))
		return case_option_addr(c, opt);
	if (!lex_text_is(opt, "tolerance_usecs") && !lex_text_is(opt, "tolerance_percent") &&
	    !lex_text_is(opt, "mss") && !lex_text_is(opt, "mtu") &&
	    !lex_text_is(opt, "ip_version") &&
	    !lex_text_is(opt, "sysctl") && !lex_text_is(opt, "tcp_ts_tick_usecs"))
		return case_err(c, opt->col, "unknown option %s",
				case_tok_str(c, opt, b, sizeof(b)));
	lex_next(&c->lx, &t);
	if (!lex_is(&t, '='))
		return case_err(c, opt->col, "option --%.*s needs a value: --%.*s=...",
				(int)opt->len, opt->text, (int)opt->len, opt->text);
	if (lex_text_is(opt, "sysctl"))
		return case_option_sysctl(c, opt);
	lex_run(&c->lx, &v);
	if (v.kind == LEX_END)
		return case_err(c, v.col, "option --%.*s needs a value", (int)opt->len, opt->text);
	if (lex_text_is(opt, "tolerance_usecs")) {
		if (case_option_num(c, opt, &v, UINT32_MAX, false, &d))
			return -1;
		o->tolerance_usecs = (int64_t)d;
	} else if (lex_text_is(opt, "tolerance_percent")) {
		if (case_option_num(c, opt, &v, 100, true, &d))
			return -1;
		o->tolerance_percent = d;
	} else if (lex_text_is(opt, "tcp_ts_tick_usecs")) {
		if (case_option_num(c, opt, &v, 1000000, false, &d))
			return -1;
		if (d != 1000)
			return case_err(c, v.col, "--tcp_ts_tick_usecs=%.0f: Linux's TS clock ticks "
					"every 1000 us, the only value known here", d);
		o->ts_tick_usecs = (uint32_t)d;
	} else if (lex_text_is(opt, "mss")) {
		if (case_option_num(c, opt, &v, UINT16_MAX, false, &d))
			return -1;
		if (d < 1)
			return case_err(c, v.col, "--mss must be at least 1");
		if (o->mtu)
			return case_err(c, opt->col, "--mss and --mtu both set the path MTU: give one");
		o->mss = (uint16_t)d;
	} else if (lex_text_is(opt, "mtu")) {
		/* packetdrill's: the MTU of its tun device, here the path MTU
		 * of the target's route into the lab. */
		if (case_option_num(c, opt, &v, UINT16_MAX, false, &d))
			return -1;
		if (d < 68)
			return case_err(c, v.col, "--mtu=%.0f: an MTU is at least 68 (RFC 791)", d);
		if (o->mss)
			return case_err(c, opt->col, "--mss and --mtu both set the path MTU: give one");
		o->mtu = (uint16_t)d;
	} else if (lex_is_word(&v, "ipv4") || lex_is_word(&v, "ipv6") ||
		   lex_is_word(&v, "ipv4-mapped-ipv6")) {
		o->family = lex_is_word(&v, "ipv6") ? AF_INET6 : AF_INET;
		o->v4_mapped = lex_is_word(&v, "ipv4-mapped-ipv6");
		o->ip_version_given = true;
	} else {
		return case_err(c, v.col, "unknown IP version %s",
				case_tok_str(c, &v, b, sizeof(b)));
	}
	return 0;
}

int case_options_line(struct case_ctx *c)
{
	struct lex_token t;

	for (lex_peek(&c->lx, &t); t.kind == LEX_OPTION; lex_peek(&c->lx, &t)) {
		lex_next(&c->lx, &t);
		if (c->p->script.nevents > 0)
			return case_err(c, t.col, "options must come before the first event");
		if (case_option(c, &t))
			return -1;
	}
	return case_expect_end(c);
}
