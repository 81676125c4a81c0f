/* fuzz_pcap_read.c - libFuzzer harness for the pcap reader.
 *
 * The input is a whole capture file: opened through fmemopen and
 * pcap_read_fopen, read record by record to the end or the first error,
 * every TCP record printed in script notation. libpcap itself is the
 * system's, not instrumented: what is fuzzed is how tcprig takes what
 * libpcap hands it (link types, short frames, caplen against len).
 *
 * Built by -Dfuzz=true (see README.md, "Reliability"):
 *	CC=clang meson setup build-fuzz -Dfuzz=true && ninja -C build-fuzz
 *	mkdir -p /tmp/corpus && build-fuzz/tests/fuzz_pcap_read /tmp/corpus pcaps
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "wire/pcap_read.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pcap_reader *r;
	struct pcap_record rec;
	struct tr_err err;
	char text[1024];
	FILE *f;

	if (size == 0)
		return 0; /* fmemopen refuses an empty buffer */
	f = fmemopen((void *)data, size, "rb");
	if (!f)
		return 0;
	r = pcap_read_fopen(f, "fuzz.pcap", &err);
	if (!r)
		return 0;
	while (pcap_read_next(r, &rec, &err) == 1)
		if (rec.kind == PCAP_REC_TCP)
			segment_format(&rec.seg, text, sizeof(text));
	pcap_read_close(r);
	return 0;
}
