/* Unit tests for the pcap reader on IPv6, offline: segments the crafter built
 * read back field by field (traffic class and flow label included) from
 * Ethernet, raw IP and Linux cooked captures; a payload cut by the snapshot
 * length still decodes; ICMPv6 and fragments come back as other records with
 * a reason. */
#include <arpa/inet.h>
#include <pcap/pcap.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "wire/craft.h"
#include "wire/pcap_read.h"
#include "core/segment.h"
#include "seg_fixture.h"
#include "tap.h"

static struct crafter *cr;
static char dir[] = "/tmp/tcprig-pcap-read6-XXXXXX";
static char path[256];
static const struct l2_addrs l2 = {
	{ 0x02, 0, 0, 0, 0, 0x02 }, { 0x02, 0, 0, 0, 0, 0x01 }
};

/* One record per frame, at link type dlt; caplen[i] 0: all of it. */
static bool write_pcap(int dlt, uint8_t *const frames[], const size_t len[],
		       const size_t caplen[], size_t n)
{
	pcap_t *dead = pcap_open_dead(dlt, 65535);
	pcap_dumper_t *d = dead ? pcap_dump_open(dead, path) : NULL;

	if (!d) {
		if (dead)
			pcap_close(dead);
		return false;
	}
	for (size_t i = 0; i < n; i++) {
		struct pcap_pkthdr h = { .ts = { 1700000000, 0 } };

		h.len = (bpf_u_int32)len[i];
		h.caplen = (bpf_u_int32)(caplen[i] ? caplen[i] : len[i]);
		pcap_dump((u_char *)d, &h, frames[i]);
	}
	pcap_dump_close(d);
	pcap_close(dead);
	return true;
}

static struct pcap_reader *reopen(void)
{
	struct tr_err err;
	struct pcap_reader *r = pcap_read_open(path, &err);

	if (!r)
		printf("#   %s\n", err.msg);
	return r;
}

static void make_data_segment(struct segment *s)
{
	static uint8_t data[200];

	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i + 3);
	fixture_base6_segment(s);
	s->flags = SEG_ACK | SEG_PSH;
	s->ack = 0x12345678u;
	s->seq = 0xfffffff0u;
	s->tos = 0x02;
	s->flowlabel = 0xfedcb;
	s->ttl = 9;
	s->payload = data;
	s->payload_len = sizeof(data);
	segment_opt_add(s, SEG_OPT_NOP);
	segment_opt_add(s, SEG_OPT_NOP);
	segment_opt_add(s, SEG_OPT_TS)->v.ts.val = 99;
}

static bool same(const struct segment *a, const struct segment *b)
{
	return b->family == AF_INET6 && !memcmp(&a->src.v6, &b->src.v6, 16) &&
	       !memcmp(&a->dst.v6, &b->dst.v6, 16) && a->sport == b->sport &&
	       a->dport == b->dport && a->seq == b->seq && a->ack == b->ack &&
	       a->flags == b->flags && a->tos == b->tos && a->flowlabel == b->flowlabel &&
	       a->ttl == b->ttl && a->payload_len == b->payload_len && a->nopts == b->nopts;
}

/* The same frame behind each link-layer header the reader takes. */
static void test_ipv6_segment_reads_back_on_each_link_type(void)
{
	static const struct {
		int dlt;
		const char *what;
		size_t hlen;
	} links[] = {
		{ DLT_EN10MB, "Ethernet", 14 },
		{ DLT_RAW, "raw IP", 0 },
		{ DLT_LINUX_SLL, "Linux cooked", 16 },
		{ DLT_LINUX_SLL2, "Linux cooked v2", 20 },
	};
	static struct frame f;
	static uint8_t buf[FRAME_MAX + 20];
	struct segment s;
	struct pcap_record rec;
	struct tr_err err;

	make_data_segment(&s);
	if (!ok(craft_build(cr, &s, &l2, &f, &err) == 0, "IPv6 data segment built"))
		return;
	for (size_t i = 0; i < sizeof(links) / sizeof(links[0]); i++) {
		uint8_t *frames[1] = { buf };
		size_t len[1] = { f.len - 14 + links[i].hlen }, cap[1] = { 0 };
		struct pcap_reader *r = NULL;

		memset(buf, 0, links[i].hlen);
		if (links[i].dlt == DLT_EN10MB)
			memcpy(buf, f.bytes, 14);
		else if (links[i].dlt == DLT_LINUX_SLL)
			buf[14] = 0x86, buf[15] = 0xdd;
		else if (links[i].dlt == DLT_LINUX_SLL2)
			buf[0] = 0x86, buf[1] = 0xdd;
		memcpy(buf + links[i].hlen, f.bytes + 14, f.len - 14);
		if (!ok(write_pcap(links[i].dlt, frames, len, cap, 1) && (r = reopen()),
			"%s: written and opened", links[i].what))
			continue;
		ok(pcap_read_next(r, &rec, &err) == 1 && rec.kind == PCAP_REC_TCP &&
		   same(&s, &rec.seg) && !rec.seg.bad_csum &&
		   !memcmp(rec.seg.payload, s.payload, s.payload_len),
		   "%s: every field back, checksum verified", links[i].what);
		pcap_read_close(r);
	}
}

static void test_ipv6_cut_payload_and_other_records(void)
{
	static struct frame data, syn;
	static uint8_t icmp[FRAME_MAX], frag[FRAME_MAX];
	struct segment s;
	struct pcap_record rec;
	struct pcap_reader *r = NULL;
	struct tr_err err;

	make_data_segment(&s);
	if (!ok(craft_build(cr, &s, &l2, &data, &err) == 0, "data segment built"))
		return;
	fixture_base6_segment(&s);
	if (!ok(craft_build(cr, &s, &l2, &syn, &err) == 0, "SYN built"))
		return;
	memcpy(icmp, syn.bytes, syn.len);
	icmp[14 + 6] = 58;
	memcpy(frag, syn.bytes, syn.len);
	frag[14 + 6] = 44;
	{
		uint8_t *frames[3] = { data.bytes, icmp, frag };
		size_t len[3] = { data.len, syn.len, syn.len };
		size_t cap[3] = { 14 + 40 + 32 + 10, 0, 0 };

		if (!ok(write_pcap(DLT_EN10MB, frames, len, cap, 3) && (r = reopen()),
			"cut, ICMPv6, fragment: written"))
			return;
	}
	if (ok(pcap_read_next(r, &rec, &err) == 1, "cut: read")) {
		ok(rec.kind == PCAP_REC_TCP && rec.payload_cut, "cut: TCP, payload cut");
		is_int(rec.seg.payload_len, 200, "cut: the payload's length from the IPv6 header");
		is_int(rec.seg.ack, 0x12345678, "cut: ack");
		is_int(rec.seg.flowlabel, 0xfedcb, "cut: flow label");
	}
	ok(pcap_read_next(r, &rec, &err) == 1 && rec.kind == PCAP_REC_OTHER &&
	   !strcmp(rec.reason, "IPv6 next header 58 is not TCP"), "ICMPv6: other, '%s'",
	   rec.reason);
	ok(pcap_read_next(r, &rec, &err) == 1 && rec.kind == PCAP_REC_OTHER &&
	   !strcmp(rec.reason, "IPv6 next header 44 is not TCP"), "fragment: other, '%s'",
	   rec.reason);
	is_int(pcap_read_next(r, &rec, &err), 0, "then the end");
	pcap_read_close(r);
}

int main(void)
{
	struct tr_err err;

	if (!mkdtemp(dir) || !(cr = craft_open_offline(&err))) {
		ok(false, "temporary directory and offline crafter");
		return tap_done();
	}
	snprintf(path, sizeof(path), "%s/v6.pcap", dir);
	test_ipv6_segment_reads_back_on_each_link_type();
	test_ipv6_cut_payload_and_other_records();
	craft_close(cr);
	unlink(path);
	rmdir(dir);
	return tap_done();
}
