/* parse_ipinfo.c - `[ect0]`, `[ce]`, `[tos 0x10]` ... after a packet
 * line's direction (packetdrill's ip_info). */
#include "case/parse_ipinfo.h"

#include <string.h>

/* The ECN codepoints (RFC 3168), the low two bits of the TOS byte. */
static const struct {
	const char *name;
	uint8_t ecn;
} case_ecn_names[] = {
    {"noecn", 0}, {"ect1", 1}, {"ect0", 2}, {"ce", 3},
};

static int case_ip_mark(struct case_ctx *c, struct case_event *ev, const struct lex_token *t)
{
	struct case_packet *pk = &ev->u.pkt;
	char b[200];
	uint64_t v;

	for (size_t i = 0; i < sizeof(case_ecn_names) / sizeof(case_ecn_names[0]); i++)
		if (lex_is_word(t, case_ecn_names[i].name)) {
			pk->seg.tos = case_ecn_names[i].ecn;
			pk->given |= CASE_PKT_ECN;
			return 0;
		}
	if (lex_is_word(t, "ect01")) {
		/* Only a check can accept two values; a segment carries one. */
		if (ev->kind != CASE_EV_EXPECT)
			return case_err(c, t->col, "[ect01] (ECT(0) or ECT(1)) is allowed only "
					"on '>' lines");
		pk->given |= CASE_PKT_ECT01;
		return 0;
	}
	if (lex_is_word(t, "tos")) {
		if (case_uint(c, UINT8_MAX, "tos", &v))
			return -1;
		pk->seg.tos = (uint8_t)v;
		pk->given |= CASE_PKT_TOS;
		return 0;
	}
	if (lex_is_word(t, "flowlabel") || lex_is_word(t, "ttl"))
		return case_err(c, t->col, "the IP mark %s is not supported (ECN marks and "
				"tos 0xNN are)", case_tok_str(c, t, b, sizeof(b)));
	return case_unexpected(c, t, "an IP mark: noecn, ect0, ect1, ce, ect01 or tos 0xNN");
}

int case_ip_info(struct case_ctx *c, struct case_event *ev, bool *given)
{
	struct lex_token open, t;
	char close;

	*given = false;
	lex_peek(&c->lx, &open);
	if (!lex_is(&open, '[') && !lex_is(&open, '('))
		return 0;
	close = lex_is(&open, '[') ? ']' : ')';
	lex_next(&c->lx, &open);
	lex_next(&c->lx, &t);
	if (t.kind != LEX_WORD)
		return case_unexpected(c, &t, "an IP mark: noecn, ect0, ect1, ce, ect01 or tos 0xNN");
	if (case_ip_mark(c, ev, &t))
		return -1;
	lex_peek(&c->lx, &t);
	if (lex_is(&t, ',')) {
		lex_next(&c->lx, &t);
		lex_next(&c->lx, &t);
		return case_err(c, t.col, "only one IP mark is supported in %c...%c",
				lex_is(&open, '[') ? '[' : '(', close);
	}
	*given = true;
	return case_expect(c, close, close == ']' ? "']' after the IP mark"
						: "')' after the IP mark");
}
