/* parse_icmp.c - the icmp line. Names are packetdrill's (RFC 792's and RFC
 * 4443's), read in both families since the case may run in either; a code
 * may also be a number, as a test of odd codes needs. */
#include "case/parse_icmp.h"

#include <string.h>
#include <sys/socket.h>

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

/* The type's names, looked up in each family: a family whose tables lack
 * a name drops out. */
static int case_icmp_type(struct case_ctx *c, struct case_icmp *ic)
{
	struct lex_token t;

	lex_next(&c->lx, &t);
	ic->col = t.col;
	ic->v4 = t.kind == LEX_WORD && !icmp_type_named(AF_INET, t.text, t.len, &ic->msg.type);
	ic->v6 = t.kind == LEX_WORD && !icmp_type_named(AF_INET6, t.text, t.len, &ic->msg6.type);
	if (!ic->v4 && !ic->v6)
		return case_unexpected(c, &t,
				       "an ICMP error type (ICMPv4: unreachable, source_quench, "
				       "redirect, time_exceeded, parameter_problem; ICMPv6: "
				       "unreachable, packet_too_big, time_exceeded, "
				       "parameter_problem)");
	return 0;
}

/* An optional code: a name (its family's), or a number (either's). */
static int case_icmp_code(struct case_ctx *c, struct case_icmp *ic)
{
	struct lex_token t;
	uint64_t v;

	lex_peek(&c->lx, &t);
	if (t.kind == LEX_WORD && !lex_is_word(&t, "mtu")) {
		bool v4 = ic->v4 && !icmp_code_named(AF_INET, ic->msg.type, t.text, t.len,
						     &ic->msg.code);
		bool v6 = ic->v6 && !icmp_code_named(AF_INET6, ic->msg6.type, t.text, t.len,
						     &ic->msg6.code);

		if (!v4 && !v6)
			return case_err(c, t.col, "unknown code '%.*s' for ICMP%s %s", (int)t.len,
					t.text, ic->v4 ? "" : "v6",
					ic->v4 ? icmp_type_name(AF_INET, ic->msg.type) :
						 icmp_type_name(AF_INET6, ic->msg6.type));
		ic->v4 = v4;
		ic->v6 = v6;
		lex_next(&c->lx, &t);
	} else if (t.kind == LEX_INT) {
		if (case_uint(c, 255, "ICMP code", &v))
			return -1;
		ic->msg.code = ic->msg6.code = (uint8_t)v;
	}
	return 0;
}

/* An optional `mtu N`: only messages that carry one keep their family. */
static int case_icmp_mtu(struct case_ctx *c, struct case_icmp *ic)
{
	struct lex_token t;
	uint32_t max4 = 0, max6 = 0;
	bool v4, v6;
	uint64_t v;
	int col;

	lex_peek(&c->lx, &t);
	if (!lex_is_word(&t, "mtu"))
		return 0;
	lex_next(&c->lx, &t);
	col = t.col;
	v4 = ic->v4 && icmp_has_mtu(AF_INET, ic->msg.type, ic->msg.code, &max4);
	v6 = ic->v6 && icmp_has_mtu(AF_INET6, ic->msg6.type, ic->msg6.code, &max6);
	if (!v4 && !v6)
		return case_err(c, col,
				"'mtu' goes only with 'unreachable frag_needed' (ICMPv4) or "
				"'packet_too_big' (ICMPv6)");
	if (case_uint(c, v6 ? max6 : max4, "mtu", &v))
		return -1;
	ic->v4 = v4 && v <= max4;
	ic->v6 = v6;
	ic->msg.mtu = ic->msg6.mtu = (uint32_t)v;
	return 0;
}

int case_icmp_line(struct case_ctx *c, struct case_event *ev, const struct lex_token *dir)
{
	const struct case_options *o = &c->p->script.opt;
	struct case_icmp *ic = &ev->u.icmp;
	struct lex_token t;

	lex_next(&c->lx, &t); /* icmp */
	if (!lex_is(dir, '<'))
		return case_err(c, dir->col,
				"'> icmp': tcprig sends ICMP errors ('< icmp ...') but does not "
				"expect them from the target");
	ev->kind = CASE_EV_ICMP;
	memset(ic, 0, sizeof(*ic));
	if (case_icmp_type(c, ic) || case_icmp_code(c, ic) || case_icmp_mtu(c, ic))
		return -1;
	/* A script pinned to a family (--ip_version, before any event) must
	 * name that family's message: packetdrill's tables are per family. */
	if (o->ip_version_given && !(o->family == AF_INET6 ? ic->v6 : ic->v4))
		return case_err(c, ic->col,
				"this ICMP error has no %s form, and the script sets "
				"--ip_version=%s (%s names: %s)",
				o->family == AF_INET6 ? "ICMPv6" : "ICMPv4",
				o->family == AF_INET6 ? "ipv6" : o->v4_mapped ? "ipv4-mapped-ipv6" :
										 "ipv4",
				o->family == AF_INET6 ? "ICMPv6" : "ICMPv4",
				icmp_type_names(o->family == AF_INET6 ? AF_INET6 : AF_INET));
	lex_peek(&c->lx, &t);
	if (lex_is(&t, '[')) {
		lex_next(&c->lx, &t);
		if (case_icmp_range(c, ic))
			return -1;
	}
	return case_expect_end(c);
}
