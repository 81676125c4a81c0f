/* trace_read.c - a trace read back from its text form (trace_io.h): strict,
 * the first error stops it, naming the line and quoting the offending text. */
#include "report/trace_io.h"

#include <ctype.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* The longest piece of the input an error message quotes. */
#define TIO_QUOTE 40

enum tio_field {
	TIO_T,
	TIO_LINE,
	TIO_STATUS,
	TIO_WIRE,
	TIO_WIRE_T,
	TIO_END,
	TIO_OUTCOME,
	TIO_FIELD,
	TIO_EXPECTED,
	TIO_ACTUAL,
	TIO_NOTE,
	TIO_NFIELDS,
};

static const char *const tio_field_names[TIO_NFIELDS] = {
    [TIO_T] = "t",
    [TIO_LINE] = "line",
    [TIO_STATUS] = "status",
    [TIO_WIRE] = "wire",
    [TIO_WIRE_T] = "wire_t",
    [TIO_END] = "end",
    [TIO_OUTCOME] = "outcome",
    [TIO_FIELD] = "field",
    [TIO_EXPECTED] = "expected",
    [TIO_ACTUAL] = "actual",
    [TIO_NOTE] = "note",
};

struct tio_reader {
	const char *name;
	unsigned long lineno;
	struct tr_err *err;
};

static int tio_err(const struct tio_reader *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static int tio_err(const struct tio_reader *r, const char *fmt, ...)
{
	char what[768];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	return err_usage(r->err, "%s:%lu: %s", r->name, r->lineno, what);
}

/* How much of a bad token an error quotes: enough to find it, never a whole
 * line of garbage. */
static int tio_quote_len(size_t len)
{
	return len > TIO_QUOTE ? TIO_QUOTE : (int)len;
}

static bool tio_blank(char c)
{
	return c == ' ' || c == '\t';
}

static const char *tio_skip_blanks(const char *p)
{
	while (tio_blank(*p))
		p++;
	return p;
}

/* The end of a bare word: the next blank or the end of the line. */
static size_t tio_word_len(const char *p)
{
	size_t n = 0;

	while (p[n] && !tio_blank(p[n]))
		n++;
	return n;
}

static bool tio_word_is(const char *p, size_t len, const char *word)
{
	return strlen(word) == len && memcmp(p, word, len) == 0;
}

/* Seconds to microseconds, exactly: no floating point, so that what
 * trace_write printed reads back to the same integer, INT64_MIN included. */
static bool tio_time_parse(const char *s, size_t len, int64_t *out)
{
	uint64_t sec = 0, frac = 0, mag, limit;
	size_t i = 0, nint = 0, nfrac = 0;
	bool neg = false;

	if (i < len && s[i] == '-') {
		neg = true;
		i++;
	}
	for (; i < len && isdigit((unsigned char)s[i]); i++, nint++) {
		/* Far above any int64 microsecond count; stops the wrap. */
		if (sec >= 100000000000000ULL)
			return false;
		sec = sec * 10 + (uint64_t)(s[i] - '0');
	}
	if (nint == 0)
		return false;
	if (i < len && s[i] == '.') {
		for (i++; i < len && isdigit((unsigned char)s[i]); i++, nfrac++) {
			if (nfrac == 6)
				return false;
			frac = frac * 10 + (uint64_t)(s[i] - '0');
		}
		if (nfrac == 0)
			return false;
	}
	if (i != len)
		return false;
	for (; nfrac < 6; nfrac++)
		frac *= 10;
	limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	if (sec > limit / 1000000 || sec * 1000000 > limit - frac)
		return false;
	mag = sec * 1000000 + frac;
	*out = neg ? -(int64_t)(mag - 1) - 1 : (int64_t)mag;
	return true;
}

static bool tio_line_parse(const char *s, size_t len, int *out)
{
	long v = 0;

	if (len == 0)
		return false;
	for (size_t i = 0; i < len; i++) {
		if (!isdigit((unsigned char)s[i]))
			return false;
		v = v * 10 + (s[i] - '0');
		if (v > INT_MAX)
			return false;
	}
	*out = (int)v;
	return true;
}

static int tio_hex(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* *pp points at the opening quote; on success it is left after the closing
 * one. Bytes past cap - 1 are read and dropped. */
static int tio_string_parse(const struct tio_reader *r, const char *field, const char **pp,
			    char *dst, size_t cap)
{
	const char *p = *pp + 1;
	size_t n = 0;

	for (;;) {
		char c = *p;

		if (c == '\0')
			return tio_err(r, "unterminated string in field '%s'", field);
		if (c == '"')
			break;
		if (c == '\\') {
			int hi, lo;

			p++;
			switch (*p) {
			case '"':
			case '\\':
				c = *p;
				break;
			case 'n':
				c = '\n';
				break;
			case 't':
				c = '\t';
				break;
			case 'r':
				c = '\r';
				break;
			case 'x':
				hi = p[1] ? tio_hex(p[1]) : -1;
				lo = hi >= 0 && p[2] ? tio_hex(p[2]) : -1;
				if (lo < 0 || (hi == 0 && lo == 0))
					return tio_err(
					    r,
					    "bad escape in field '%s': \\x takes two hex "
					    "digits, not 00",
					    field);
				c = (char)(hi << 4 | lo);
				p += 2;
				break;
			case '\0':
				return tio_err(r, "unterminated string in field '%s'", field);
			default:
				if (isprint((unsigned char)*p))
					return tio_err(r, "unknown escape '\\%c' in field '%s'", *p,
						       field);
				return tio_err(r, "unknown escape '\\x%02x' in field '%s'",
					       (unsigned char)*p, field);
			}
		}
		if (n + 1 < cap)
			dst[n++] = c;
		p++;
	}
	dst[n] = '\0';
	*pp = p + 1;
	return 0;
}

static int tio_kind_parse(const char *s, size_t len, enum trace_kind *out)
{
	for (int k = TRACE_SEND; k <= TRACE_SHELL; k++)
		if (tio_word_is(s, len, trace_kind_name((enum trace_kind)k))) {
			*out = (enum trace_kind)k;
			return 0;
		}
	return -1;
}

static int tio_status_parse(const char *s, size_t len, enum trace_status *out)
{
	for (int k = TRACE_OK; k <= TRACE_NOT_RUN; k++)
		if (tio_word_is(s, len, trace_status_name((enum trace_status)k))) {
			*out = (enum trace_status)k;
			return 0;
		}
	return -1;
}

static int tio_wire_parse(const char *s, size_t len, enum trace_wire *out)
{
	for (int k = TRACE_WIRE_NONE; k <= TRACE_WIRE_LATE; k++)
		if (tio_word_is(s, len, trace_wire_name((enum trace_wire)k))) {
			*out = (enum trace_wire)k;
			return 0;
		}
	return -1;
}

/* A string field's buffer, or NULL for the others. */
static char *tio_string_dst(struct trace_event *e, enum tio_field fi, size_t *cap)
{
	switch (fi) {
	case TIO_OUTCOME:
		*cap = sizeof(e->outcome);
		return e->outcome;
	case TIO_FIELD:
		*cap = sizeof(e->field);
		return e->field;
	case TIO_EXPECTED:
		*cap = sizeof(e->expected);
		return e->expected;
	case TIO_ACTUAL:
		*cap = sizeof(e->actual);
		return e->actual;
	case TIO_NOTE:
		*cap = sizeof(e->note);
		return e->note;
	case TIO_T:
	case TIO_LINE:
	case TIO_STATUS:
	case TIO_WIRE:
	case TIO_WIRE_T:
	case TIO_END:
	case TIO_NFIELDS:
		break;
	}
	return NULL;
}

/* A bare (unquoted) value: a time, a number or a name. */
static int tio_value_parse(const struct tio_reader *r, struct trace_event *e, enum tio_field fi,
			   const char *v, size_t len)
{
	const char *name = tio_field_names[fi];
	int q = tio_quote_len(len);

	switch (fi) {
	case TIO_T:
	case TIO_WIRE_T:
	case TIO_END:
		if (!tio_time_parse(v, len,
				    fi == TIO_T	       ? &e->t_us
				    : fi == TIO_WIRE_T ? &e->wire_t_us
						       : &e->t_end_us))
			return tio_err(r,
				       "bad time '%.*s' in field '%s': seconds with at most 6 "
				       "decimals, like 0.100187",
				       q, v, name);
		return 0;
	case TIO_LINE:
		if (!tio_line_parse(v, len, &e->line))
			return tio_err(r, "bad line number '%.*s' in field 'line'", q, v);
		return 0;
	case TIO_STATUS:
		if (tio_status_parse(v, len, &e->status))
			return tio_err(r, "unknown status '%.*s' (ok, failed, unexpected, not-run)",
				       q, v);
		return 0;
	case TIO_WIRE:
		if (tio_wire_parse(v, len, &e->wire))
			return tio_err(r, "unknown wire '%.*s' (none, ok, lost, late)", q, v);
		return 0;
	case TIO_OUTCOME:
	case TIO_FIELD:
	case TIO_EXPECTED:
	case TIO_ACTUAL:
	case TIO_NOTE:
		return tio_err(r, "field '%s' needs a quoted string, not '%.*s'", name, q, v);
	case TIO_NFIELDS:
		break;
	}
	return tio_err(r, "unknown field '%s'", name);
}

/* The fields of an event line, from just after its kind. */
static int tio_fields_parse(const struct tio_reader *r, const char *p, struct trace_event *e)
{
	bool seen[TIO_NFIELDS] = {false};

	for (p = tio_skip_blanks(p); *p; p = tio_skip_blanks(p)) {
		size_t nlen = 0, vlen, cap;
		enum tio_field fi;
		char *dst;

		while (p[nlen] && p[nlen] != '=' && !tio_blank(p[nlen]))
			nlen++;
		for (fi = 0; fi < TIO_NFIELDS; fi++)
			if (tio_word_is(p, nlen, tio_field_names[fi]))
				break;
		if (fi == TIO_NFIELDS)
			return tio_err(r, "unknown field '%.*s'", tio_quote_len(nlen), p);
		if (p[nlen] != '=')
			return tio_err(r, "field '%s' without '=value'", tio_field_names[fi]);
		if (seen[fi])
			return tio_err(r, "field '%s' given twice", tio_field_names[fi]);
		seen[fi] = true;
		p += nlen + 1;

		dst = tio_string_dst(e, fi, &cap);
		if (dst && *p == '"') {
			if (tio_string_parse(r, tio_field_names[fi], &p, dst, cap))
				return -1;
			if (*p && !tio_blank(*p))
				return tio_err(r, "a blank must follow the string of field '%s'",
					       tio_field_names[fi]);
			continue;
		}
		vlen = tio_word_len(p);
		if (tio_value_parse(r, e, fi, p, vlen))
			return -1;
		p += vlen;
	}
	if (!seen[TIO_T])
		return tio_err(r, "event without a time (t=)");
	if (!seen[TIO_END])
		e->t_end_us = e->t_us;
	if (!seen[TIO_WIRE_T])
		e->wire_t_us = e->t_us;
	return 0;
}

static int tio_header_parse(const struct tio_reader *r, const char *p)
{
	size_t n = tio_word_len(p);

	if (!tio_word_is(p, n, TRACE_IO_HEADER))
		return tio_err(r, "not a trace: the first line must be '" TRACE_IO_HEADER
				  " " TRACE_IO_VERSION "'");
	p = tio_skip_blanks(p + n);
	n = tio_word_len(p);
	if (!tio_word_is(p, n, TRACE_IO_VERSION))
		return tio_err(
		    r,
		    "trace version '%.*s' is not supported (this tcprig reads " TRACE_IO_VERSION
		    ")",
		    tio_quote_len(n), p);
	if (*tio_skip_blanks(p + n))
		return tio_err(r, "junk after the trace header");
	return 0;
}

static int tio_line_read(const struct tio_reader *r, const char *p, struct trace *t)
{
	struct trace_event ev, *e;
	size_t n = tio_word_len(p);
	enum trace_kind kind;

	if (tio_word_is(p, n, "overflow")) {
		if (*tio_skip_blanks(p + n))
			return tio_err(r, "'overflow' takes no fields");
		t->overflow = true;
		return 0;
	}
	if (tio_kind_parse(p, n, &kind))
		return tio_err(r, "unknown event kind '%.*s'", tio_quote_len(n), p);

	memset(&ev, 0, sizeof(ev));
	ev.kind = kind;
	if (tio_fields_parse(r, p + n, &ev))
		return -1;
	e = trace_add(t, kind, ev.line, ev.t_us);
	if (!e) {
		/* A full trace keeps its first events, as the runner's did. */
		if (t->overflow)
			return 0;
		return err_env(r->err, "%s:%lu: out of memory", r->name, r->lineno);
	}
	*e = ev;
	return 0;
}

int trace_read(FILE *f, const char *name, struct trace *t, struct tr_err *err)
{
	struct tio_reader r = {.name = name, .lineno = 0, .err = err};
	bool header = false;
	char *buf = NULL;
	size_t cap = 0;
	ssize_t len;
	int ret = 0;

	while ((len = getline(&buf, &cap, f)) >= 0) {
		const char *p;

		r.lineno++;
		if (memchr(buf, '\0', (size_t)len)) {
			ret = tio_err(&r, "a NUL byte: this is not a text trace");
			break;
		}
		if (len && buf[len - 1] == '\n')
			buf[--len] = '\0';
		if (len && buf[len - 1] == '\r')
			buf[--len] = '\0';
		p = tio_skip_blanks(buf);
		if (*p == '\0' || *p == '#')
			continue;
		if (!header) {
			ret = tio_header_parse(&r, p);
			header = true;
		} else {
			ret = tio_line_read(&r, p, t);
		}
		if (ret)
			break;
	}
	if (!ret && ferror(f))
		ret = err_sys(err, "%s: reading the trace", name);
	else if (!ret && !header)
		ret = err_usage(
		    err, "%s:%lu: not a trace: no '" TRACE_IO_HEADER " " TRACE_IO_VERSION "' line",
		    name, r.lineno + 1);
	free(buf);
	return ret;
}

