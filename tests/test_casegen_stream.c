/* Unit tests for pcap2case's streaming (run/casegen.c with casegen_win,
 * casegen_body): a conversation read from a source that makes its segments
 * on the fly, never held. The script written as it is made is the script
 * made in memory, byte for byte and line for line, for a bulk transfer with
 * retransmissions and crossed FINs, with either side as the rig and with
 * retransmissions kept or dropped; a write longer than the window
 * (casegen_win.h: CASEGEN_WINDOW segments) is cut into writes that still
 * add up to every byte the target sent; a source that yields other segments
 * on a later pass (the capture changed) is an error, not a wrong script. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case/case.h"
#include "run/casegen.h"
#include "run/casegen_win.h"
#include "wire/flow.h"
#include "casegen_fixture.h"
#include "tap.h"

/* A made-up bulk transfer, segment by segment: the server answers a
 * request with `data` segments of 1000 bytes, PSH on every psh-th (0:
 * none but the last), the client ACKs every second one; every rtx-th
 * (0: none) is sent again three later, and the client answers that with a
 * duplicate ACK; the FINs cross at the end. */
struct bulk {
	unsigned long data, psh, rtx;
	/* where the generator is */
	unsigned long rec, sent;
	long us;
	uint32_t sseq, cack;
	int phase;           /* 0 handshake/request, 1 data, 2 close, 3 done */
	int step;
	bool changed;        /* a later pass yields one segment fewer */
	int passes;
};

static const uint32_t CISN = 4294960000u, SISN = 7000u;

static struct flow_pkt mk(struct bulk *b, bool fc, uint8_t flags, uint32_t seq, uint32_t ack,
			  uint32_t len)
{
	b->us += 10;
	return fx_pkt((struct fx_seg){
		.rec = ++b->rec, .us = b->us, .fc = fc, .flags = flags, .seq = seq, .ack = ack,
		.len = len, .cisn = CISN, .sisn = SISN, .ts = true,
		.tsval = (fc ? 100000u : 900000u) + (uint32_t)(b->us / 1000),
		.tsecr = flags == SEG_SYN ? 0 : (fc ? 900000u : 100000u) + (uint32_t)(b->us / 1000) });
}

static int bulk_rewind(void *ctx, struct tr_err *err)
{
	struct bulk *b = ctx;

	(void)err;
	b->rec = b->sent = 0;
	b->us = 0;
	b->sseq = 1;
	b->cack = 1;
	b->phase = b->step = 0;
	b->passes++;
	return 0;
}

static int bulk_next(void *ctx, struct flow_pkt *p, struct tr_err *err)
{
	struct bulk *b = ctx;
	const uint8_t A = SEG_ACK;

	(void)err;
	if (b->phase == 0) {
		switch (b->step++) {
		case 0: *p = mk(b, true, SEG_SYN, 0, 0, 0); return 1;
		case 1: *p = mk(b, false, SEG_SYN | A, 0, 1, 0); return 1;
		case 2: *p = mk(b, true, A, 1, 1, 0); return 1;
		case 3: *p = mk(b, true, A | SEG_PSH, 1, 1, 100); return 1;
		default: b->phase = 1; b->step = 0; break;
		}
	}
	if (b->phase == 1) {
		/* step: 0 data, 1 the client's ACK, 2 a retransmission, 3 its dup ACK */
		for (;;) {
			if (b->step == 0) {
				bool psh;

				if (b->sent == b->data) {
					b->phase = 2;
					b->step = 0;
					break;
				}
				b->sent++;
				psh = b->sent == b->data || (b->psh && b->sent % b->psh == 0);
				*p = mk(b, false, A | (psh ? SEG_PSH : 0), b->sseq, 101, 1000);
				b->sseq += 1000;
				b->step = b->sent % 2 ? 2 : 1;
				return 1;
			}
			if (b->step == 1) {
				b->step = 2;
				b->cack = b->sseq;
				*p = mk(b, true, A, 101, b->cack, 0);
				return 1;
			}
			if (b->step == 2) {
				b->step = 0;
				if (b->rtx && b->sent > 3 && b->sent % b->rtx == 0) {
					b->step = 3;
					*p = mk(b, false, A, b->sseq - 3000, 101, 1000);
					return 1;
				}
				continue;
			}
			b->step = 0;
			*p = mk(b, true, A, 101, b->cack, 0);
			return 1;
		}
	}
	if (b->phase == 2) {
		if (b->changed && b->passes > 1 && b->step == 0)
			b->step = 1; /* this pass lacks the server's FIN */
		switch (b->step++) {
		/* Both FINs cross: neither acknowledges the other's. */
		case 0: *p = mk(b, false, A | SEG_FIN, b->sseq, 101, 0); return 1;
		case 1: *p = mk(b, true, A | SEG_FIN, 101, b->sseq, 0); return 1;
		case 2: *p = mk(b, false, A, b->sseq + 1, 102, 0); return 1;
		case 3: *p = mk(b, true, A, 102, b->sseq + 1, 0); return 1;
		default: b->phase = 3; break;
		}
	}
	return 0;
}

static const struct flow fl = { .number = 1 };

/* The script written to a stream and the one collected in memory. */
static void test_streamed_is_collected(const char *what, unsigned long data, unsigned long psh,
				       unsigned long rtx, bool rig_is_client, bool keep)
{
	struct bulk b = { .data = data, .psh = psh, .rtx = rtx };
	struct casegen_src src = { bulk_rewind, bulk_next, &b };
	struct casegen_opts o = { .source = "bulk.pcap", .flow = &fl,
				  .rig_is_client = rig_is_client, .keep_retransmits = keep };
	struct casegen_script cs = { 0 };
	struct casegen_gen *gen;
	struct tr_err err = { 0 };
	char *text = NULL;
	size_t len = 0, lines = 0;
	FILE *f;

	gen = casegen_prepare(&src, &o, &err);
	if (!ok(gen != NULL, "%s: prepared", what)) {
		diag(err.msg);
		return;
	}
	f = open_memstream(&text, &len);
	is_int(casegen_write(gen, f, &err), 0, "%s: written", what);
	fclose(f);
	is_int(casegen_collect(gen, &cs, &err), 0, "%s: collected", what);
	ok(cs.text && text && !strcmp(cs.text, text), "%s: the stream is the script, byte for byte",
	   what);
	for (const char *c = text; c && *c; c++)
		lines += *c == '\n';
	is_int((long)lines, (long)cs.nlines, "%s: and its lines are the map's", what);
	if (cs.text) {
		struct case_script sc;

		if (ok(case_parse_string(what, cs.text, &sc, &err) == 0, "%s: it parses", what))
			case_script_free(&sc);
		else
			diag(err.msg);
	}
	casegen_script_free(&cs);
	casegen_gen_free(gen);
	free(text);
}

/* A write of more segments than the window holds: the window is taken as
 * the conversation's end for its size, so it becomes several writes, which
 * together are every byte the target sent. */
static void test_a_write_longer_than_the_window(void)
{
	unsigned long data = CASEGEN_WINDOW; /* and their ACKs: 1.5 windows */
	struct bulk b = { .data = data };
	struct casegen_src src = { bulk_rewind, bulk_next, &b };
	struct casegen_opts o = { .source = "long.pcap", .flow = &fl, .rig_is_client = true };
	struct casegen_gen *gen;
	struct tr_err err = { 0 };
	char *text = NULL, *line, want[128];
	size_t len = 0;
	unsigned long long sum = 0, writes = 0;
	FILE *f;

	gen = casegen_prepare(&src, &o, &err);
	if (!ok(gen != NULL, "longer than the window: prepared")) {
		diag(err.msg);
		return;
	}
	f = open_memstream(&text, &len);
	is_int(casegen_write(gen, f, &err), 0, "longer than the window: written");
	fclose(f);
	/* A bulk write of more than a segment is a send with MSG_EOR. */
	for (line = text; (line = strstr(line, "(4, ..., ")); line++)
		if (!strncmp(line - 5, "write", 5) || !strncmp(line - 4, "send", 4)) {
			sum += strtoull(line + 9, NULL, 10);
			writes++;
		}
	ok(sum == 1000ull * data, "longer than the window: its writes carry every byte (%llu)", sum);
	ok(writes > 1, "longer than the window: in more than one write (%llu)", writes);
	snprintf(want, sizeof(want), "write of %llu bytes in %llu chunks", 1000ull * data, writes);
	ok(strstr(text, want) != NULL, "longer than the window: the header says so (%s)", want);
	snprintf(want, sizeof(want), "// #%lu\n", b.rec);
	ok(len > strlen(want) && !strcmp(text + len - strlen(want), want),
	   "longer than the window: the last line is the last packet's (#%lu)", b.rec);
	casegen_gen_free(gen);
	free(text);
}

static void test_a_capture_that_changed(void)
{
	struct bulk b = { .data = 50, .changed = true };
	struct casegen_src src = { bulk_rewind, bulk_next, &b };
	struct casegen_opts o = { .source = "moving.pcap", .flow = &fl, .rig_is_client = true };
	struct tr_err err = { 0 };

	ok(casegen_prepare(&src, &o, &err) == NULL, "a capture that changed between passes: refused");
	ok(strstr(err.msg, "moving.pcap: flow 1: 82 packets now, 83 before: the capture changed") !=
		   NULL,
	   "and says so (%s)", err.msg);
}

int main(void)
{
	test_streamed_is_collected("small", 10, 0, 0, true, false);
	test_streamed_is_collected("bulk", 3000, 45, 50, true, false);
	test_streamed_is_collected("bulk, kept", 3000, 45, 50, true, true);
	test_streamed_is_collected("bulk, rig as server", 3000, 45, 50, false, false);
	test_streamed_is_collected("bulk, rig as server, kept", 3000, 45, 50, false, true);
	test_streamed_is_collected("no PSH but the last", 3000, 0, 0, true, false);
	test_a_write_longer_than_the_window();
	test_a_capture_that_changed();
	return tap_done();
}
