/* parse_packet.c - '<' and '>' lines: ports, flags, sequence numbers,
 * ack/win/urg, the TCP option list, and '> nothing'.
 */
#include "case/parse_packet.h"
#include "case/defines.h"
#include "case/parse_icmp.h"
#include "case/parse_ipinfo.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>


#define CASE_WSCALE_RFC 14

static int case_opt_size(struct case_ctx *c, size_t *total, size_t add, int col)
{
	*total += add;
	if (*total > SEG_OPT_SPACE)
		return case_err(c, col,
				"TCP options take %zu bytes here; at most %d fit in a header",
				*total, SEG_OPT_SPACE);
	return 0;
}

/* Blocks after "sack", each 8 bytes on the wire; the first one's size
 * (with the option's kind and length) is counted by the caller. */
static int case_opt_sack(struct case_ctx *c, struct seg_opt *o, size_t *total)
{
	struct lex_token t;
	uint64_t l, r;

	for (lex_peek(&c->lx, &t); o->v.sack.n == 0 || t.kind == LEX_INT; lex_peek(&c->lx, &t)) {
		if (o->v.sack.n == SEG_SACK_MAX)
			return case_err(c, t.col, "at most %d SACK blocks fit in a header",
					SEG_SACK_MAX);
		if (o->v.sack.n > 0 && case_opt_size(c, total, 8, t.col))
			return -1;
		if (case_uint(c, UINT32_MAX, "SACK left edge", &l) ||
		    case_expect(c, ':', "':' in a SACK block left:right") ||
		    case_uint(c, UINT32_MAX, "SACK right edge", &r))
			return -1;
		o->v.sack.b[o->v.sack.n].left = (uint32_t)l;
		o->v.sack.b[o->v.sack.n].right = (uint32_t)r;
		o->v.sack.n++;
	}
	o->len = (uint8_t)(2 + 8 * o->v.sack.n);
	return 0;
}

static const struct {
	const char *name;
	enum seg_opt_kind kind;
	uint8_t len; /* on the wire; sack: with one block */
} case_opt_names[] = {
    {"nop", SEG_OPT_NOP, 1},	   {"eol", SEG_OPT_EOL, 1},	     {"mss", SEG_OPT_MSS, 4},
    {"wscale", SEG_OPT_WSCALE, 3}, {"sackOK", SEG_OPT_SACK_PERM, 2}, {"sack", SEG_OPT_SACK, 10},
    {"TS", SEG_OPT_TS, 10},
};

/* `FO [cookie]` or `FOEXP [cookie]`: a cookie in hex digits, or none (a
 * cookie request). RFC 7413 wants 4 to 16 bytes, but a test may offer a
 * target a malformed one, so any even count that fits the option space
 * goes (as in packetdrill). Read off the line itself: a cookie may start
 * with digits and run on into letters. */
static int case_opt_fastopen(struct case_ctx *c, struct segment *s, const struct lex_token *name,
			     size_t *total)
{
	bool exp = lex_is_word(name, "FOEXP");
	uint8_t cookie[SEG_OPT_SPACE - 2];
	size_t pos = c->lx.pos, start, n = 0, nhex;
	const char *text, *hex;
	struct seg_opt *o;
	int col;

	while (pos < c->len && (c->line[pos] == ' ' || c->line[pos] == '\t'))
		pos++;
	start = pos;
	col = (int)start + 1;
	while (pos < c->len && (isalnum((unsigned char)c->line[pos]) || c->line[pos] == '_'))
		pos++;
	if ((text = case_define_find(c->lx.defs, c->line + start, pos - start))) {
		hex = text;
		nhex = strlen(text);
	} else {
		hex = c->line + start;
		nhex = pos - start;
	}
	for (size_t i = 0; i < nhex; i++)
		if (!isxdigit((unsigned char)hex[i]))
			return case_err(c, col, "%s: the cookie is hex digits or a name given a value with -D (%.*s)",
					exp ? "FOEXP" : "FO", (int)(pos - start), c->line + start);
	if (nhex % 2)
		return case_err(c, col, "%s: a cookie is an even number of hex digits", exp ? "FOEXP" : "FO");
	if (nhex / 2 > sizeof(cookie) - (exp ? 2 : 0))
		return case_err(c, col, "%s: a cookie of %zu bytes does not fit in the option space",
				exp ? "FOEXP" : "FO", nhex / 2);
	for (size_t i = 0; i < nhex; i += 2) {
		char two[3] = { hex[i], hex[i + 1], 0 };

		cookie[n++] = (uint8_t)strtoul(two, NULL, 16);
	}
	c->lx.pos = pos;
	if (case_opt_size(c, total, (exp ? 4 : 2) + n, name->col))
		return -1;
	o = segment_opt_add(s, exp ? SEG_OPT_EXP : SEG_OPT_FASTOPEN);
	if (!o)
		return case_err(c, name->col, "too many TCP options");
	o->len = (uint8_t)((exp ? 4 : 2) + n);
	if (exp) {
		o->v.raw[0] = SEG_EXP_FASTOPEN_MAGIC >> 8;
		o->v.raw[1] = SEG_EXP_FASTOPEN_MAGIC & 0xff;
	}
	memcpy(o->v.raw + (exp ? 2 : 0), cookie, n);
	return 0;
}

/* `md5 DIGEST`: 32 hex digits, carried as written (kind 19, RFC 2385);
 * `md5` alone: signed with the case's key (segment.h's md5_sign). */
static int case_opt_md5(struct case_ctx *c, struct segment *s, const struct lex_token *name,
			size_t *total)
{
	size_t pos = c->lx.pos, start;
	struct seg_opt *o;

	while (pos < c->len && (c->line[pos] == ' ' || c->line[pos] == '\t'))
		pos++;
	start = pos;
	while (pos < c->len && isxdigit((unsigned char)c->line[pos]))
		pos++;
	if (pos == start && pos < c->len && (c->line[pos] == ',' || c->line[pos] == '>'))
		s->md5_sign = true;
	else if (pos - start != 32 || (pos < c->len && (isalnum((unsigned char)c->line[pos]) ||
						   c->line[pos] == '_')))
		return case_err(c, (int)start + 1,
				"md5: the digest is 32 hex digits (16 bytes), or none to sign");
	c->lx.pos = pos;
	if (case_opt_size(c, total, 18, name->col))
		return -1;
	o = segment_opt_add(s, SEG_OPT_MD5);
	if (!o)
		return case_err(c, name->col, "too many TCP options");
	o->len = 18;
	for (size_t i = 0; i < 16 && !s->md5_sign; i++) {
		char two[3] = { c->line[start + 2 * i], c->line[start + 2 * i + 1], 0 };

		o->v.raw[i] = (uint8_t)strtoul(two, NULL, 16);
	}
	return 0;
}

/* "ecr A~B" on a `>` line: any echo from A to B holds (replays write it
 * where the recording's echo was a matter of timing). */
static int case_ecr_range(struct case_ctx *c, struct case_event *ev, uint32_t lo)
{
	struct case_packet *pk = &ev->u.pkt;
	struct lex_token t;
	uint64_t v;
	int col;

	lex_peek(&c->lx, &t);
	if (!lex_is(&t, '~'))
		return 0;
	lex_next(&c->lx, &t);
	col = lex_col(&c->lx);
	if (ev->kind != CASE_EV_EXPECT)
		return case_err(c, t.col, "a TS ecr range (A~B) is allowed only on '>' lines");
	if (case_uint(c, UINT32_MAX, "TS ecr", &v))
		return -1;
	if ((uint32_t)v < lo)
		return case_err(c, col, "the TS ecr range ends before it starts");
	pk->ecr_hi = (uint32_t)v;
	pk->given |= CASE_PKT_ECR_RANGE;
	return 0;
}

/* One option; its name is already read. */
static int case_opt(struct case_ctx *c, struct case_event *ev, const struct lex_token *name,
		    size_t *total)
{
	struct segment *s = &ev->u.pkt.seg;
	struct seg_opt *o;
	struct lex_token t;
	uint64_t v;
	size_t i;
	char b[200];
	int col;

	for (i = 0; i < sizeof(case_opt_names) / sizeof(case_opt_names[0]); i++)
		if (lex_is_word(name, case_opt_names[i].name))
			break;
	if (i == sizeof(case_opt_names) / sizeof(case_opt_names[0])) {
		if (lex_is_word(name, "FO") || lex_is_word(name, "FOEXP"))
			return case_opt_fastopen(c, s, name, total);
		if (lex_is_word(name, "md5"))
			return case_opt_md5(c, s, name, total);
		return case_err(c, name->col, "unknown TCP option %s",
				case_tok_str(c, name, b, sizeof(b)));
	}
	if (case_opt_size(c, total, case_opt_names[i].len, name->col))
		return -1;
	o = segment_opt_add(s, case_opt_names[i].kind);
	if (!o)
		return case_err(c, name->col, "too many TCP options");
	o->len = case_opt_names[i].len;

	switch (case_opt_names[i].kind) {
	case SEG_OPT_EOL:
	case SEG_OPT_NOP:
	case SEG_OPT_SACK_PERM:
	case SEG_OPT_FASTOPEN: /* case_opt_fastopen */
	case SEG_OPT_MD5:      /* case_opt_md5 */
	case SEG_OPT_EXP:
		break;
	case SEG_OPT_MSS:
		if (case_uint(c, UINT16_MAX, "mss", &v))
			return -1;
		o->v.mss = (uint16_t)v;
		break;
	case SEG_OPT_WSCALE:
		col = lex_col(&c->lx);
		if (case_uint(c, UINT8_MAX, "wscale", &v))
			return -1;
		o->v.wscale = (uint8_t)v;
		if (v > CASE_WSCALE_RFC &&
		    case_warn(c, col, "wscale %u is above %d, the largest RFC 7323 allows",
			      (unsigned)v, CASE_WSCALE_RFC))
			return -1;
		break;
	case SEG_OPT_SACK:
		return case_opt_sack(c, o, total);
	case SEG_OPT_TS:
		lex_next(&c->lx, &t);
		if (!lex_is_word(&t, "val"))
			return case_unexpected(c, &t, "'val' after 'TS'");
		if (case_uint(c, UINT32_MAX, "TS val", &v))
			return -1;
		o->v.ts.val = (uint32_t)v;
		lex_next(&c->lx, &t);
		if (!lex_is_word(&t, "ecr"))
			return case_unexpected(c, &t, "'ecr' after 'TS val N'");
		if (case_uint(c, UINT32_MAX, "TS ecr", &v))
			return -1;
		o->v.ts.ecr = (uint32_t)v;
		return case_ecr_range(c, ev, o->v.ts.ecr);
	}
	return 0;
}

/* <mss 1460,sackOK,...> or <...>; the '<' is already read. */
static int case_opts(struct case_ctx *c, struct case_event *ev, const struct lex_token *lt)
{
	struct case_packet *pk = &ev->u.pkt;
	struct lex_token t;
	size_t total = 0;

	lex_peek(&c->lx, &t);
	if (t.kind == LEX_ELLIPSIS) {
		lex_next(&c->lx, &t);
		lex_next(&c->lx, &t);
		if (t.kind == LEX_END)
			return case_err(c, lt->col, "unterminated TCP option list: missing '>'");
		if (!lex_is(&t, '>'))
			return case_unexpected(c, &t, "'>' after '<...'");
		if (ev->kind != CASE_EV_EXPECT)
			return case_err(
			    c, lt->col,
			    "'<...>' (options not checked) is allowed only on '>' lines");
		pk->given |= CASE_PKT_OPTS_ANY;
		return 0;
	}
	pk->given |= CASE_PKT_OPTS;
	for (;;) {
		lex_next(&c->lx, &t);
		if (t.kind == LEX_END)
			return case_err(c, lt->col, "unterminated TCP option list: missing '>'");
		if (t.kind != LEX_WORD)
			return case_unexpected(c, &t, "a TCP option");
		if (case_opt(c, ev, &t, &total))
			return -1;
		lex_next(&c->lx, &t);
		if (lex_is(&t, '>'))
			return 0;
		if (t.kind == LEX_END)
			return case_err(c, lt->col, "unterminated TCP option list: missing '>'");
		if (!lex_is(&t, ','))
			return case_unexpected(c, &t, "',' or '>' in the TCP option list");
	}
}

/* start:end(len) */
static int case_seq(struct case_ctx *c, struct segment *s)
{
	uint64_t start, end, len;
	int col = lex_col(&c->lx);

	if (case_uint(c, UINT32_MAX, "sequence number", &start) ||
	    case_expect(c, ':', "':' in start:end(length)") ||
	    case_uint(c, UINT32_MAX, "end sequence number", &end) ||
	    case_expect(c, '(', "'(' in start:end(length)") ||
	    case_uint(c, UINT16_MAX, "payload length", &len) ||
	    case_expect(c, ')', "')' in start:end(length)"))
		return -1;
	/* Modulo 2^32: a segment may cross the wrap of sequence space. */
	if (((start + len) & UINT32_MAX) != end)
		return case_err(c, col, "end %llu is not start %llu + length %llu = %llu",
				(unsigned long long)end, (unsigned long long)start,
				(unsigned long long)len,
				(unsigned long long)((start + len) & UINT32_MAX));
	s->seq = (uint32_t)start;
	s->payload_len = (uint32_t)len;
	return 0;
}

static int case_flags(struct case_ctx *c, struct segment *s)
{
	struct lex_token t;
	size_t bad;
	char b[200];

	lex_run(&c->lx, &t);
	if (t.kind == LEX_END || (t.text[0] >= '0' && t.text[0] <= '9'))
		return case_err(c, t.col,
				"expected TCP flags (S F R P . U E W, or - for none), got %s",
				case_tok_str(c, &t, b, sizeof(b)));
	if (segment_flags_parse(t.text, t.len, &s->flags, &bad)) {
		unsigned char ch = (unsigned char)t.text[bad];

		if (ch > 0x20 && ch < 0x7f)
			return case_err(c, t.col + (int)bad, "unknown TCP flag '%c'", ch);
		return case_err(c, t.col + (int)bad, "unknown TCP flag '\\x%02x'", ch);
	}
	return 0;
}

/* Upstream order (ack, win, urg, then options) in any order of the first
 * three, each at most once. */
static int case_pkt_fields(struct case_ctx *c, struct case_event *ev)
{
	static const struct {
		const char *name;
		unsigned bit;
		uint64_t max;
	} fields[] = {
	    {"ack", CASE_PKT_ACK, UINT32_MAX},
	    {"win", CASE_PKT_WIN, UINT16_MAX},
	    {"urg", CASE_PKT_URG, UINT16_MAX},
	};
	struct case_packet *pk = &ev->u.pkt;
	struct lex_token t;
	uint64_t v;
	char b[200];

	for (;;) {
		size_t i;

		lex_next(&c->lx, &t);
		if (t.kind == LEX_END)
			return 0;
		if (lex_is(&t, '<'))
			return case_opts(c, ev, &t) || case_expect_end(c);
		for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
			if (lex_is_word(&t, fields[i].name))
				break;
		if (i == sizeof(fields) / sizeof(fields[0])) {
			if (t.kind == LEX_ERROR)
				return case_err(c, t.col, "%s", t.msg);
			return case_err(c, t.col, "unexpected %s after the sequence numbers",
					case_tok_str(c, &t, b, sizeof(b)));
		}
		if (pk->given & fields[i].bit)
			return case_err(c, t.col, "'%s' given twice", fields[i].name);
		if (case_uint(c, fields[i].max, fields[i].name, &v))
			return -1;
		pk->given |= fields[i].bit;
		if (fields[i].bit == CASE_PKT_ACK)
			pk->seg.ack = (uint32_t)v;
		else if (fields[i].bit == CASE_PKT_WIN)
			pk->seg.win = (uint16_t)v;
		else
			pk->seg.urg = (uint16_t)v;
	}
}

/* < [[mark]] [sport>dport] flags start:end(len) [ack N] [win N] [urg N] [<options>]
 * or a quiet period: > [sport>dport] nothing
 * or an observation: > [sport>dport] any */
int case_packet(struct case_ctx *c, struct case_event *ev)
{
	struct case_packet *pk = &ev->u.pkt;
	struct lex_token dir, t, t2;
	struct lexer ahead;
	uint64_t sport = 0, dport = 0;
	bool marked;

	lex_next(&c->lx, &dir);
	lex_peek(&c->lx, &t);
	if (lex_is_word(&t, "icmp"))
		return case_icmp_line(c, ev, &dir);
	ev->kind = lex_is(&dir, '<') ? CASE_EV_INJECT : CASE_EV_EXPECT;
	segment_init(&pk->seg);
	if (case_ip_info(c, ev, &marked))
		return -1;
	ahead = c->lx;

	lex_next(&ahead, &t);
	lex_next(&ahead, &t2);
	if (t.kind == LEX_INT && lex_is(&t2, '>')) {
		if (case_uint(c, UINT16_MAX, "source port", &sport) ||
		    case_expect(c, '>', "'>' in sport>dport") ||
		    case_uint(c, UINT16_MAX, "destination port", &dport))
			return -1;
		pk->seg.sport = (uint16_t)sport;
		pk->seg.dport = (uint16_t)dport;
		pk->given |= CASE_PKT_PORTS;
	}
	lex_peek(&c->lx, &t);
	if (marked && (lex_is_word(&t, "nothing") || lex_is_word(&t, "any")))
		return case_err(c, t.col, "'> %.*s' takes no IP mark", (int)t.len, t.text);
	if (lex_is_word(&t, "nothing")) {
		if (ev->kind != CASE_EV_EXPECT)
			return case_err(c, t.col, "'nothing' is allowed only on '>' lines");
		lex_next(&c->lx, &t);
		ev->kind = CASE_EV_QUIET;
		memset(&pk->seg, 0, sizeof(pk->seg));
		pk->seg.sport = (uint16_t)sport;
		pk->seg.dport = (uint16_t)dport;
		return case_expect_end(c);
	}
	if (lex_is_word(&t, "any")) {
		if (ev->kind != CASE_EV_EXPECT)
			return case_err(c, t.col, "'any' is allowed only on '>' lines");
		lex_next(&c->lx, &t);
		ev->kind = CASE_EV_OBSERVE;
		memset(&pk->seg, 0, sizeof(pk->seg));
		pk->seg.sport = (uint16_t)sport;
		pk->seg.dport = (uint16_t)dport;
		lex_peek(&c->lx, &t);
		if (t.outcome)
			return case_err(c, t.col,
					"'> any' records whatever comes: it takes no outcome label "
					"and is no alternative");
		return case_expect_end(c);
	}
	if (case_flags(c, &pk->seg) || case_seq(c, &pk->seg) || case_pkt_fields(c, ev))
		return -1;
	/* The rig must put some window on the wire; guessing one would hide
	 * what the case is about. */
	if (ev->kind == CASE_EV_INJECT && !(pk->given & CASE_PKT_WIN))
		return case_err(c, dir.col, "'<' lines need 'win N'");
	return 0;
}
