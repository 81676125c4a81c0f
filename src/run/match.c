#include "run/match.h"

#include <stdio.h>
#include <string.h>

static bool match_fail(struct match_result *r, const char *field, const char *expected,
		       const char *actual)
{
	r->ok = false;
	snprintf(r->field, sizeof(r->field), "%s", field);
	snprintf(r->expected, sizeof(r->expected), "%s", expected);
	snprintf(r->actual, sizeof(r->actual), "%s", actual);
	snprintf(r->message, sizeof(r->message), "%s: expected %s, actual %s", r->field,
		 r->expected, r->actual);
	return false;
}

static bool match_fail_u(struct match_result *r, const char *field, uint32_t expected,
			 uint32_t actual)
{
	char e[16], a[16];

	snprintf(e, sizeof(e), "%u", expected);
	snprintf(a, sizeof(a), "%u", actual);
	return match_fail(r, field, e, a);
}

/* One option in script notation, by the segment module's own printer. */
static void match_opt_format(const struct seg_opt *o, char *buf, size_t cap)
{
	struct segment one;
	size_t n;

	segment_init(&one);
	one.opts[0] = *o;
	one.nopts = 1;
	segment_opts_format(&one, buf, cap);
	/* Drop the list's "<" and ">". */
	n = strlen(buf);
	if (n && buf[n - 1] == '>')
		buf[--n] = '\0';
	if (n && buf[0] == '<')
		memmove(buf, buf + 1, n);
}

static void match_sack_format(const struct seg_opt *o, char *buf, size_t cap)
{
	size_t n = 0;

	buf[0] = '\0';
	for (unsigned k = 0; k < o->v.sack.n && n < cap; k++) {
		int w = snprintf(buf + n, cap - n, "%s%u:%u", k ? " " : "", o->v.sack.b[k].left,
				 o->v.sack.b[k].right);

		if (w < 0)
			break;
		n += (size_t)w;
	}
}

static bool match_sack_eq(const struct seg_opt *e, const struct seg_opt *a)
{
	if (e->v.sack.n != a->v.sack.n)
		return false;
	for (unsigned k = 0; k < e->v.sack.n; k++)
		if (e->v.sack.b[k].left != a->v.sack.b[k].left ||
		    e->v.sack.b[k].right != a->v.sack.b[k].right)
			return false;
	return true;
}

static bool match_raw_eq(const struct seg_opt *e, const struct seg_opt *a)
{
	size_t body = e->len >= 2 ? e->len - 2u : 0;

	if (body > sizeof(e->v.raw))
		body = sizeof(e->v.raw);
	return e->len == a->len && memcmp(e->v.raw, a->v.raw, body) == 0;
}

static bool match_ts_val(const struct match_args *a, unsigned i, struct match_result *r)
{
	uint32_t e = a->exp_wire->opts[i].v.ts.val, v = a->act_wire->opts[i].v.ts.val;
	int64_t d = (int32_t)(v - e);
	char field[32], es[64], as[16];

	if (d < 0)
		d = -d;
	if (d <= a->ts_tolerance)
		return true;
	snprintf(field, sizeof(field), "tcp option %u (TS val)", i + 1);
	snprintf(es, sizeof(es), "%u (tolerance %u)", a->exp_script->opts[i].v.ts.val,
		 a->ts_tolerance);
	snprintf(as, sizeof(as), "%u", a->act_script->opts[i].v.ts.val);
	return match_fail(r, field, es, as);
}

/* TS ecr A~B: the live echo, in script numbers, from A to B (mod 2^32). */
static bool match_ecr_range(const struct match_args *a, unsigned i, struct match_result *r,
			    const char *field)
{
	uint32_t lo = a->exp_script->opts[i].v.ts.ecr, v = a->act_script->opts[i].v.ts.ecr;
	char es[32], as[16];

	if (v - lo <= a->ecr_hi - lo)
		return true;
	snprintf(es, sizeof(es), "%u~%u", lo, a->ecr_hi);
	snprintf(as, sizeof(as), "%u", v);
	return match_fail(r, field, es, as);
}

/* Same kind at index i: compares the values that kind carries. */
static bool match_opt_value(const struct match_args *a, unsigned i, struct match_result *r)
{
	const struct seg_opt *e = &a->exp_wire->opts[i], *v = &a->act_wire->opts[i];
	const struct seg_opt *es = &a->exp_script->opts[i], *vs = &a->act_script->opts[i];
	char field[32], eb[64], ab[64];

	switch ((enum seg_opt_kind)e->kind) {
	case SEG_OPT_EOL:
	case SEG_OPT_NOP:
	case SEG_OPT_SACK_PERM:
		return true;
	case SEG_OPT_MSS:
		snprintf(field, sizeof(field), "tcp option %u (mss)", i + 1);
		return e->v.mss == v->v.mss || match_fail_u(r, field, es->v.mss, vs->v.mss);
	case SEG_OPT_WSCALE:
		snprintf(field, sizeof(field), "tcp option %u (wscale)", i + 1);
		return e->v.wscale == v->v.wscale ||
		       match_fail_u(r, field, es->v.wscale, vs->v.wscale);
	case SEG_OPT_SACK:
		if (match_sack_eq(e, v))
			return true;
		snprintf(field, sizeof(field), "tcp option %u (sack)", i + 1);
		match_sack_format(es, eb, sizeof(eb));
		match_sack_format(vs, ab, sizeof(ab));
		return match_fail(r, field, eb, ab);
	case SEG_OPT_TS:
		if (!match_ts_val(a, i, r))
			return false;
		snprintf(field, sizeof(field), "tcp option %u (TS ecr)", i + 1);
		if (a->given & CASE_PKT_ECR_RANGE)
			return match_ecr_range(a, i, r, field);
		return e->v.ts.ecr == v->v.ts.ecr ||
		       match_fail_u(r, field, es->v.ts.ecr, vs->v.ts.ecr);
	case SEG_OPT_FASTOPEN:
	case SEG_OPT_EXP:
	case SEG_OPT_MD5:
		break; /* by their bytes, below */
	}
	if (match_raw_eq(e, v))
		return true;
	snprintf(field, sizeof(field), "tcp option %u (kind %u)", i + 1, e->kind);
	match_opt_format(es, eb, sizeof(eb));
	match_opt_format(vs, ab, sizeof(ab));
	return match_fail(r, field, eb, ab);
}

/* Options from i on are eol padding only. */
static bool match_opts_padding(const struct segment *s, unsigned i)
{
	for (; i < s->nopts; i++)
		if (s->opts[i].kind != SEG_OPT_EOL)
			return false;
	return true;
}

static bool match_opts(const struct match_args *a, struct match_result *r)
{
	const struct segment *e = a->exp_wire, *v = a->act_wire;
	char field[32], eb[64], ab[64];

	for (unsigned i = 0; i < e->nopts || i < v->nopts; i++) {
		snprintf(field, sizeof(field), "tcp option %u", i + 1);
		if (i >= e->nopts || i >= v->nopts) {
			if (match_opts_padding(i >= e->nopts ? v : e, i))
				return true;
			snprintf(eb, sizeof(eb), "none");
			snprintf(ab, sizeof(ab), "none");
			if (i < e->nopts)
				match_opt_format(&a->exp_script->opts[i], eb, sizeof(eb));
			else
				match_opt_format(&a->act_script->opts[i], ab, sizeof(ab));
			return match_fail(r, field, eb, ab);
		}
		if (e->opts[i].kind != v->opts[i].kind) {
			match_opt_format(&a->exp_script->opts[i], eb, sizeof(eb));
			match_opt_format(&a->act_script->opts[i], ab, sizeof(ab));
			return match_fail(r, field, eb, ab);
		}
		if (!match_opt_value(a, i, r))
			return false;
	}
	return true;
}

static const char *match_ecn_name(uint8_t tos)
{
	static const char *const names[] = { "noecn", "ect1", "ect0", "ce" };

	return names[tos & 3];
}

/* The IP marks a `>` line writes (parse_ipinfo.h), as packetdrill checks
 * them: the ECN bits, either ECT, or the whole TOS byte. */
static bool match_ip(const struct match_args *a, struct match_result *r)
{
	uint8_t e = a->exp_wire->tos, v = a->act_wire->tos;
	char eb[16], ab[16];

	if ((a->given & CASE_PKT_ECN) && (e & 3) != (v & 3))
		return match_fail(r, "ip ecn", match_ecn_name(e), match_ecn_name(v));
	if ((a->given & CASE_PKT_ECT01) && (v & 3) != 1 && (v & 3) != 2)
		return match_fail(r, "ip ecn", "ect0 or ect1", match_ecn_name(v));
	if ((a->given & CASE_PKT_TOS) && e != v) {
		snprintf(eb, sizeof(eb), "0x%02x", e);
		snprintf(ab, sizeof(ab), "0x%02x", v);
		return match_fail(r, "ip tos", eb, ab);
	}
	return true;
}

static void match_len_format(const struct segment *s, char *buf, size_t cap)
{
	snprintf(buf, cap, "%u:%u(%u)", s->seq, s->seq + s->payload_len, s->payload_len);
}

static bool match_header(const struct match_args *a, struct match_result *r)
{
	const struct segment *e = a->exp_wire, *v = a->act_wire;
	const struct segment *es = a->exp_script, *vs = a->act_script;
	char eb[64], ab[64];

	if (e->sport != v->sport)
		return match_fail_u(r, "tcp sport", e->sport, v->sport);
	if (e->dport != v->dport)
		return match_fail_u(r, "tcp dport", e->dport, v->dport);
	if ((e->flags ^ v->flags) & ~(a->loose_psh ? SEG_PSH : 0))
		return match_fail(r, "tcp flags", segment_flags_format(e->flags, eb),
				  segment_flags_format(v->flags, ab));
	if (e->seq != v->seq)
		return match_fail_u(r, "tcp seq", es->seq, vs->seq);
	if (e->payload_len != v->payload_len) {
		match_len_format(es, eb, sizeof(eb));
		match_len_format(vs, ab, sizeof(ab));
		return match_fail(r, "tcp len", eb, ab);
	}
	if ((a->given & CASE_PKT_ACK) && (e->flags & SEG_ACK) && e->ack != v->ack)
		return match_fail_u(r, "tcp ack", es->ack, vs->ack);
	if ((a->given & CASE_PKT_WIN) && e->win != v->win)
		return match_fail_u(r, "tcp win", es->win, vs->win);
	if ((a->given & CASE_PKT_URG) && e->urg != v->urg)
		return match_fail_u(r, "tcp urg", es->urg, vs->urg);
	return match_ip(a, r);
}

bool match_segment(const struct match_args *a, struct match_result *r)
{
	struct match_args m = *a;

	memset(r, 0, sizeof(*r));
	r->ok = true;
	if (!m.exp_script)
		m.exp_script = m.exp_wire;
	if (!m.act_script)
		m.act_script = m.act_wire;
	if (!match_header(&m, r))
		return false;
	if ((m.given & CASE_PKT_OPTS) && !(m.given & CASE_PKT_OPTS_ANY) && !match_opts(&m, r))
		return false;
	if (m.exp_wire->bad_csum != m.act_wire->bad_csum)
		return match_fail(r, "tcp checksum", m.exp_wire->bad_csum ? "bad" : "good",
				  m.act_wire->bad_csum ? "bad" : "good");
	return true;
}

void match_expected_view(const struct case_packet *line, const struct segment *act_script,
			 struct segment *out)
{
	*out = line->seg;
	if (!(line->given & CASE_PKT_ACK))
		out->ack = act_script->ack;
	if (!(line->given & CASE_PKT_WIN))
		out->win = act_script->win;
	if (!(line->given & CASE_PKT_URG))
		out->urg = act_script->urg;
	if (!(line->given & CASE_PKT_OPTS) || (line->given & CASE_PKT_OPTS_ANY)) {
		out->nopts = act_script->nopts;
		memcpy(out->opts, act_script->opts, sizeof(out->opts));
	}
	out->bad_csum = false;
}

/* A segment in script notation, with the IP mark in front when the line
 * writes one: "[ect0] P. 1:1001(1000) ...". */
static void match_mark_format(const struct case_packet *line, const struct segment *s,
			      bool actual, char *buf, size_t cap)
{
	int n = 0;

	if (line->given & CASE_PKT_TOS)
		n = snprintf(buf, cap, "[tos 0x%02x] ", s->tos);
	else if ((line->given & CASE_PKT_ECT01) && !actual)
		n = snprintf(buf, cap, "[ect01] ");
	else if (line->given & (CASE_PKT_ECN | CASE_PKT_ECT01))
		n = snprintf(buf, cap, "[%s] ", match_ecn_name(s->tos));
	if (n < 0 || (size_t)n >= cap)
		n = 0;
	segment_format(s, buf + n, cap - (size_t)n);
}

int match_report(char *buf, size_t cap, const char *where, const char *text,
		 const struct case_packet *line, const struct segment *act_script,
		 const struct match_result *r)
{
	struct segment exp;
	char eb[512], ab[512];
	size_t tlen;

	match_expected_view(line, act_script, &exp);
	match_mark_format(line, &exp, false, eb, sizeof(eb));
	match_mark_format(line, act_script, true, ab, sizeof(ab));
	/* The line as written, without its indentation or line end. */
	while (*text == ' ' || *text == '\t')
		text++;
	tlen = strcspn(text, "\r\n");
	return snprintf(buf, cap, "%s: %.*s\n  expected: %s\n  actual:   %s\n  %s\n", where,
			(int)tlen, text, eb, ab, r->message);
}
