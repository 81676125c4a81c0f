/* trace_write.c - a trace written in its text form (trace_io.h): every
 * field, in the grammar's order, every control byte escaped, so that what
 * is written reads back to the same bytes. */
#include "report/trace_io.h"

#include <stdint.h>

static void tio_time_write(FILE *f, int64_t us)
{
	char t[TRACE_TIME_MAX];

	trace_time_text(t, sizeof(t), us);
	fputs(t, f);
}

/* Bounded by the field's size: an event filled in carelessly still writes a
 * line that reads back. */
static void tio_string_write(FILE *f, const char *s, size_t cap)
{
	fputc('"', f);
	for (size_t i = 0; i + 1 < cap && s[i]; i++) {
		unsigned char c = (unsigned char)s[i];

		switch (c) {
		case '"':
			fputs("\\\"", f);
			break;
		case '\\':
			fputs("\\\\", f);
			break;
		case '\n':
			fputs("\\n", f);
			break;
		case '\t':
			fputs("\\t", f);
			break;
		case '\r':
			fputs("\\r", f);
			break;
		default:
			/* A raw control byte would survive the pipe, but
			 * not an editor or a terminal showing a diff. */
			if (c < 0x20 || c == 0x7f)
				fprintf(f, "\\x%02x", c);
			else
				fputc(c, f);
		}
	}
	fputc('"', f);
}

int trace_write(FILE *f, const struct trace *t)
{
	fputs(TRACE_IO_HEADER " " TRACE_IO_VERSION "\n", f);
	for (size_t i = 0; i < t->n; i++) {
		const struct trace_event *e = &t->ev[i];

		fprintf(f, "%s t=", trace_kind_name(e->kind));
		tio_time_write(f, e->t_us);
		fprintf(f, " line=%d status=%s wire=%s wire_t=", e->line,
			trace_status_name(e->status), trace_wire_name(e->wire));
		tio_time_write(f, e->wire_t_us);
		fputs(" end=", f);
		tio_time_write(f, e->t_end_us);
		fputs(" outcome=", f);
		tio_string_write(f, e->outcome, sizeof(e->outcome));
		fputs(" field=", f);
		tio_string_write(f, e->field, sizeof(e->field));
		fputs(" expected=", f);
		tio_string_write(f, e->expected, sizeof(e->expected));
		fputs(" actual=", f);
		tio_string_write(f, e->actual, sizeof(e->actual));
		fputs(" note=", f);
		tio_string_write(f, e->note, sizeof(e->note));
		fputc('\n', f);
	}
	if (t->overflow)
		fputs("overflow\n", f);
	return ferror(f) ? -1 : 0;
}
