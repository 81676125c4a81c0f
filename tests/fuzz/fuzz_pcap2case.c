/* fuzz_pcap2case.c - libFuzzer harness for pcap2case: a capture's bytes in,
 * scripts out, and every script made must parse.
 *
 * The input is a capture file (through a memfd, so that the path-based
 * readers run as pcap2case runs them): its flows are listed, the first few
 * made into scripts with the rig on either side, with and without
 * retransmissions; casegen may refuse a flow (TR_USAGE), but what it makes
 * the case parser must take, or the harness aborts.
 *
 * Built by -Dfuzz=true (see README.md, "Reliability"):
 *	build-fuzz/tests/fuzz_pcap2case /tmp/corpus pcaps
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "case/case.h"
#include "run/casegen.h"
#include "wire/flow_read.h"

#define FUZZ_FLOWS 4

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void try_flow(const char *path, const struct flow *f, bool client, bool keep)
{
	struct casegen_opts o = { .source = "fuzz", .flow = f, .rig_is_client = client,
				  .keep_retransmits = keep };
	struct casegen_script cs;
	struct case_script sc;
	struct flow_pkt *p;
	unsigned long cut;
	struct tr_err err;
	size_t n;

	if (flow_read_packets(path, f->number, &p, &n, &cut, &err))
		return;
	if (!casegen_make(p, n, &o, &cs, &err)) {
		if (case_parse_string("fuzz", cs.text, &sc, &err)) {
			fprintf(stderr, "a script pcap2case made does not parse: %s\n%s", err.msg,
				cs.text);
			abort();
		}
		if (casegen_line_rec(&cs, (int)cs.nlines + 1) != 0)
			abort();
		case_script_free(&sc);
		casegen_script_free(&cs);
	} else if (err.status != TR_USAGE) {
		abort(); /* refusals are bad input, never anything else */
	}
	free(p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int fd = memfd_create("fuzz-capture", 0);
	struct flow_read_stats st;
	struct flow_table t;
	struct tr_err err;
	char path[64];

	if (fd < 0)
		return 0;
	if (write(fd, data, size) != (ssize_t)size) {
		close(fd);
		return 0;
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	if (!flow_read_table(path, &t, &st, &err)) {
		for (size_t i = 0; i < t.n && i < FUZZ_FLOWS; i++)
			for (int k = 0; k < 4; k++)
				try_flow(path, &t.v[i], k & 1, k & 2);
		flow_table_free(&t);
	}
	close(fd);
	return 0;
}
