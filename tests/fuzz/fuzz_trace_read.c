/* fuzz_trace_read.c - libFuzzer harness for the trace's text form.
 *
 * A worker's trace crosses a pipe as text and the parent parses it; the
 * golden tests' traces are hand-written. The input is read as a trace file;
 * what parses is drawn as a ladder (with colour, so every branch runs),
 * written back, and the written text must read back to the same trace.
 *
 * Built by -Dfuzz=true (see README.md, "Reliability"):
 *	build-fuzz/tests/fuzz_trace_read /tmp/corpus tests/ladder
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/trace.h"
#include "report/ladder.h"
#include "report/trace_io.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct trace t = { 0 }, back = { 0 };
	struct ladder_opts lo = { .colour = true, .indent = "# " };
	struct tr_err err;
	char *text = NULL, *drawn = NULL;
	size_t len = 0, dlen = 0;
	FILE *in = fmemopen((void *)data, size, "r"), *out, *sink;

	if (!in)
		return 0;
	if (trace_read(in, "fuzz", &t, &err)) {
		fclose(in);
		trace_free(&t);
		return 0;
	}
	fclose(in);
	sink = open_memstream(&drawn, &dlen);
	if (sink) {
		ladder_print(sink, &t, &lo);
		fclose(sink);
	}
	out = open_memstream(&text, &len);
	if (out && !trace_write(out, &t) && !fclose(out)) {
		FILE *again = fmemopen(text, len, "r");

		/* What trace_write wrote, trace_read takes back whole. */
		if (!again || trace_read(again, "fuzz-again", &back, &err) || back.n != t.n ||
		    back.overflow != t.overflow)
			abort();
		for (size_t i = 0; i < t.n; i++) {
			const struct trace_event *a = &t.ev[i], *b = &back.ev[i];

			if (a->kind != b->kind || a->status != b->status || a->wire != b->wire ||
			    a->line != b->line || a->t_us != b->t_us || a->t_end_us != b->t_end_us ||
			    a->wire_t_us != b->wire_t_us || strcmp(a->expected, b->expected) ||
			    strcmp(a->actual, b->actual) || strcmp(a->note, b->note) ||
			    strcmp(a->outcome, b->outcome) || strcmp(a->field, b->field))
				abort();
		}
		fclose(again);
	}
	free(text);
	free(drawn);
	trace_free(&t);
	trace_free(&back);
	return 0;
}
