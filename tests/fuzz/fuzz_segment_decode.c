/* fuzz_segment_decode.c - libFuzzer harness for the segment decoder.
 *
 * The input is one frame, as the sniffer hands it over: decoded as Ethernet
 * (segment_decode_frame) and, past the Ethernet header, as a bare IPv4
 * packet (segment_decode_ip), so that mutations reach the IP and TCP parsing
 * without having to keep an Ethernet type intact. What decodes is printed in
 * script notation and its options encoded again, as the runner and the
 * crafter do with what they see.
 *
 * Built by -Dfuzz=true (see README.md, "Reliability"):
 *	CC=clang meson setup build-fuzz -Dfuzz=true && ninja -C build-fuzz
 *	mkdir -p /tmp/corpus /tmp/frames && python3 tests/fuzz/pcap_frames.py pcaps /tmp/frames
 *	build-fuzz/tests/fuzz_segment_decode /tmp/corpus /tmp/frames
 */
#include <stddef.h>
#include <stdint.h>

#include "core/segment.h"

static void use(const struct segment *s)
{
	char text[1024];
	uint8_t opts[SEG_OPT_SPACE];
	size_t optlen;
	struct tr_err err;
	volatile uint8_t sink = 0;

	segment_format(s, text, sizeof(text));
	segment_opts_encode(s, opts, &optlen, &err);
	/* The payload must lie inside the input. */
	if (s->payload_len)
		sink ^= s->payload[0] ^ s->payload[s->payload_len - 1];
	(void)sink;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct segment s;
	struct tr_err err;

	if (segment_decode_frame(&s, data, size, &err) == 1)
		use(&s);
	if (size > 14 && segment_decode_ip(&s, data + 14, size - 14, &err) == 0)
		use(&s);
	return 0;
}
