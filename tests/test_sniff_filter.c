/* Unit tests for the sniffer's filter, offline: the BPF expression a lab's
 * sniffer compiles keeps TCP between the lab's two ends in both families and
 * both directions, and nothing else (other hosts, neighbour discovery). The
 * frames come from the crafter; the filter runs as libpcap compiles it. */
#include <arpa/inet.h>
#include <pcap/pcap.h>
#include <string.h>

#include "wire/craft.h"
#include "wire/sniff.h"
#include "core/segment.h"
#include "seg_fixture.h"
#include "tap.h"

static struct crafter *cr;
static const struct l2_addrs l2 = {
	{ 0x02, 0, 0, 0, 0, 0x02 }, { 0x02, 0, 0, 0, 0, 0x01 }
};

/* Whether the compiled filter keeps the frame s becomes; next_header, if
 * not 0, replaces an IPv6 frame's next header after it is built. */
static int kept(const struct bpf_program *prog, const struct segment *s, uint8_t next_header)
{
	static struct frame f;
	struct pcap_pkthdr h = { 0 };
	struct tr_err err;

	if (craft_build(cr, s, &l2, &f, &err))
		return -1;
	if (next_header)
		f.bytes[14 + 6] = next_header;
	h.caplen = h.len = (bpf_u_int32)f.len;
	return pcap_offline_filter(prog, &h, f.bytes) != 0;
}

static void swap(struct segment *s)
{
	union seg_ip a = s->src;

	s->src = s->dst;
	s->dst = a;
}

static void test_lab_filter_keeps_both_families_and_nothing_else(void)
{
	char expr[256];
	struct bpf_program prog;
	struct segment s;
	pcap_t *dead = pcap_open_dead(DLT_EN10MB, 65535);

	sniff_filter_for_lab(expr, sizeof(expr), "192.0.2.1", "192.0.2.2", "2001:db8::1",
			     "2001:db8::2");
	if (!ok(dead && pcap_compile(dead, &prog, expr, 1, PCAP_NETMASK_UNKNOWN) == 0,
		"compiles: %s", expr))
		return;
	fixture_base_segment(&s);
	is_int(kept(&prog, &s, 0), 1, "IPv4 rig -> target kept");
	swap(&s);
	is_int(kept(&prog, &s, 0), 1, "IPv4 target -> rig kept");
	inet_pton(AF_INET, "192.0.2.3", &s.dst.v4);
	is_int(kept(&prog, &s, 0), 0, "IPv4 to another host dropped");

	fixture_base6_segment(&s);
	is_int(kept(&prog, &s, 0), 1, "IPv6 rig -> target kept");
	swap(&s);
	is_int(kept(&prog, &s, 0), 1, "IPv6 target -> rig kept");
	inet_pton(AF_INET6, "2001:db8::3", &s.dst.v6);
	is_int(kept(&prog, &s, 0), 0, "IPv6 to another host dropped");
	fixture_base6_segment(&s);
	is_int(kept(&prog, &s, 58), 0, "ICMPv6 between the ends dropped");
	/* An IPv4 end with an IPv6 end's partner: the pairs do not mix. */
	memset(&s.dst, 0, sizeof(s.dst));
	inet_pton(AF_INET6, "::ffff:192.0.2.1", &s.dst.v6);
	is_int(kept(&prog, &s, 0), 0, "IPv6 to a v4-mapped target dropped");
	pcap_freecode(&prog);
	pcap_close(dead);
}

int main(void)
{
	struct tr_err err;

	cr = craft_open_offline(&err);
	if (!ok(cr != NULL, "offline crafter opens"))
		return tap_done();
	test_lab_filter_keeps_both_families_and_nothing_else();
	craft_close(cr);
	return tap_done();
}
