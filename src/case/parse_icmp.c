/* parse_icmp.c - the icmp line. Names are packetdrill's (and RFC 792's);
 * a code may also be a number, as a test of odd codes needs. */
#include "case/parse_icmp.h"

#include <string.h>

/* [start:end(len)], the '[' already read. */
static int case_icmp_range(struct case_ctx *c, struct case_icmp *ic)
{
	uint64_t start, end, len;
	struct lex_token t;
	int col = lex_col(&c->lx);

	if (case_uint(c, UINT32_MAX, "the quoted segment's first seq", &start) ||
	    case_expect(c, ':', "':' in [start:end(len)]") ||
	    case_uint(c, UINT32_MAX, "the quoted segment's end seq", &end) ||
	    case_expect(c, '(', "'(' in [start:end(len)]") ||
	    case_uint(c, UINT32_MAX, "the quoted segment's length", &len) ||
	    case_expect(c, ')', "')' in [start:end(len)]") ||
	    case_expect(c, ']', "']' after [start:end(len)"))
		return -1;
	if (((uint32_t)start + (uint32_t)len) != (uint32_t)end)
		return case_err(c, col, "[%llu:%llu(%llu)]: the end is not start + length",
				(unsigned long long)start, (unsigned long long)end,
				(unsigned long long)len);
	ic->seq = (uint32_t)start;
	ic->len = (uint32_t)len;
	lex_peek(&c->lx, &t);
	return 0;
}

int case_icmp_line(struct case_ctx *c, struct case_event *ev, const struct lex_token *dir)
{
	struct case_icmp *ic = &ev->u.icmp;
	struct lex_token t;
	uint64_t v;

	lex_next(&c->lx, &t); /* icmp */
	if (!lex_is(dir, '<'))
		return case_err(c, dir->col,
				"'> icmp': tcprig sends ICMP errors ('< icmp ...') but does not "
				"expect them from the target");
	ev->kind = CASE_EV_ICMP;
	memset(ic, 0, sizeof(*ic));
	lex_next(&c->lx, &t);
	if (t.kind != LEX_WORD || icmp_type_named(t.text, t.len, &ic->msg.type))
		return case_unexpected(c, &t,
				       "an ICMP error type (unreachable, source_quench, redirect, "
				       "time_exceeded, parameter_problem)");
	lex_peek(&c->lx, &t);
	if (t.kind == LEX_WORD && !lex_is_word(&t, "mtu")) {
		if (icmp_code_named(ic->msg.type, t.text, t.len, &ic->msg.code))
			return case_err(c, t.col, "unknown code '%.*s' for ICMP %s", (int)t.len,
					t.text, icmp_type_name(ic->msg.type));
		lex_next(&c->lx, &t);
	} else if (t.kind == LEX_INT) {
		if (case_uint(c, 255, "ICMP code", &v))
			return -1;
		ic->msg.code = (uint8_t)v;
	}
	lex_peek(&c->lx, &t);
	if (lex_is_word(&t, "mtu")) {
		lex_next(&c->lx, &t);
		if (ic->msg.type != 3 || ic->msg.code != 4)
			return case_err(c, t.col, "'mtu' goes only with 'unreachable frag_needed'");
		if (case_uint(c, UINT16_MAX, "mtu", &v))
			return -1;
		ic->msg.mtu = (uint16_t)v;
	}
	lex_peek(&c->lx, &t);
	if (lex_is(&t, '[')) {
		lex_next(&c->lx, &t);
		if (case_icmp_range(c, ic))
			return -1;
	}
	return case_expect_end(c);
}
