/* Unit tests for the pcap reader, offline: captures written by libpcap from
 * frames the crafter built read back field by field, on every link type the
 * reader takes; non-TCP records come back with a reason; truncated files,
 * garbage and a wrong link type each give one line naming the file and the
 * record. The first argument is a reference capture of the repository. */
#include <arpa/inet.h>
#include <pcap/pcap.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "wire/craft.h"
#include "wire/pcap_read.h"
#include "core/segment.h"
#include "seg_fixture.h"
#include "tap.h"

static struct crafter *cr;
static char dir[] = "/tmp/tcprig-pcap-read-XXXXXX";
static const struct l2_addrs l2 = {
	{ 0x02, 0, 0, 0, 0, 0x02 }, { 0x02, 0, 0, 0, 0, 0x01 }
};

/* A record to write: bytes, the wire length if more than was captured, and
 * its time stamp. */
struct rec_in {
	const uint8_t *bytes;
	size_t caplen, len;
	long sec, nsec;
};

static const char *tmp_path(const char *name)
{
	static char path[4][256];
	static int i;

	i = (i + 1) % 4;
	snprintf(path[i], sizeof(path[i]), "%s/%s", dir, name);
	return path[i];
}

static bool write_pcap(const char *path, int dlt, int precision,
		       const struct rec_in *recs, size_t n)
{
	pcap_t *dead = pcap_open_dead_with_tstamp_precision(dlt, 65535, precision);
	pcap_dumper_t *d = dead ? pcap_dump_open(dead, path) : NULL;

	if (!d) {
		if (dead)
			pcap_close(dead);
		return false;
	}
	for (size_t i = 0; i < n; i++) {
		struct pcap_pkthdr h = { 0 };

		h.ts.tv_sec = recs[i].sec;
		h.ts.tv_usec = precision == PCAP_TSTAMP_PRECISION_NANO ?
				       recs[i].nsec : recs[i].nsec / 1000;
		h.caplen = (bpf_u_int32)recs[i].caplen;
		h.len = (bpf_u_int32)(recs[i].len ? recs[i].len : recs[i].caplen);
		pcap_dump((u_char *)d, &h, recs[i].bytes);
	}
	pcap_dump_close(d);
	pcap_close(dead);
	return true;
}

static bool write_bytes(const char *path, const void *p, size_t n)
{
	FILE *f = fopen(path, "wb");
	bool ok_ = f && fwrite(p, 1, n, f) == n;

	if (f && fclose(f))
		ok_ = false;
	return ok_;
}

/* The first n bytes of src, written to dst. */
static bool truncate_copy(const char *src, const char *dst, size_t n)
{
	static uint8_t buf[1 << 16];
	FILE *f = fopen(src, "rb");
	size_t got = f ? fread(buf, 1, sizeof(buf), f) : 0;

	if (f)
		fclose(f);
	return got >= n && write_bytes(dst, buf, n);
}

/* Three segments unlike each other in every field the model has. */
static uint8_t payload[300];

static void make_segments(struct segment s[3])
{
	struct seg_opt *o;

	for (size_t i = 0; i < sizeof(payload); i++)
		payload[i] = (uint8_t)(i * 7 + 1);

	fixture_base_segment(&s[0]);
	o = segment_opt_add(&s[0], SEG_OPT_MSS);
	o->v.mss = 1460;
	segment_opt_add(&s[0], SEG_OPT_SACK_PERM);
	o = segment_opt_add(&s[0], SEG_OPT_TS);
	o->v.ts.val = 100;
	o->v.ts.ecr = 0;
	segment_opt_add(&s[0], SEG_OPT_NOP);
	o = segment_opt_add(&s[0], SEG_OPT_WSCALE);
	o->v.wscale = 7;

	fixture_base_segment(&s[1]);
	inet_pton(AF_INET, "198.51.100.7", &s[1].src.v4);
	inet_pton(AF_INET, "203.0.113.9", &s[1].dst.v4);
	s[1].sport = 8080;
	s[1].dport = 65535;
	s[1].seq = 0xfffffff0u;
	s[1].ack = 0x12345678u;
	s[1].flags = SEG_PSH | SEG_ACK | SEG_URG | SEG_ECE | SEG_CWR;
	s[1].win = 257;
	s[1].urg = 3;
	s[1].ttl = 1;
	s[1].tos = 0x10;
	s[1].ip_id = 54321;
	s[1].payload = payload;
	s[1].payload_len = sizeof(payload);
	segment_opt_add(&s[1], SEG_OPT_NOP);
	segment_opt_add(&s[1], SEG_OPT_NOP);
	o = segment_opt_add(&s[1], SEG_OPT_SACK);
	o->v.sack.n = 2;
	o->v.sack.b[0] = (struct seg_sack_block){ 1, 2 };
	o->v.sack.b[1] = (struct seg_sack_block){ 4000000000u, 4000000100u };

	fixture_base_segment(&s[2]);
	s[2].flags = SEG_RST;
	s[2].win = 0;
	s[2].seq = 2;
	s[2].bad_csum = true;
}

/* Every field, and the first that differs in the message. */
static void is_same_segment(const struct segment *got, const struct segment *want,
			    const char *what)
{
	const char *diff = NULL;

	if (got->family != want->family)
		diff = "family";
	else if (memcmp(&got->src.v4, &want->src.v4, 4))
		diff = "src";
	else if (memcmp(&got->dst.v4, &want->dst.v4, 4))
		diff = "dst";
	else if (got->ttl != want->ttl)
		diff = "ttl";
	else if (got->tos != want->tos)
		diff = "tos";
	else if (got->ip_id != want->ip_id)
		diff = "ip_id";
	else if (got->sport != want->sport || got->dport != want->dport)
		diff = "ports";
	else if (got->seq != want->seq)
		diff = "seq";
	else if (got->ack != want->ack)
		diff = "ack";
	else if (got->flags != want->flags)
		diff = "flags";
	else if (got->win != want->win)
		diff = "win";
	else if (got->urg != want->urg)
		diff = "urg";
	else if (got->payload_len != want->payload_len)
		diff = "payload_len";
	else if (want->payload && memcmp(got->payload, want->payload, want->payload_len))
		diff = "payload bytes";
	else if (got->bad_csum != want->bad_csum)
		diff = "bad_csum";
	else if (got->nopts < want->nopts)
		diff = "nopts";
	for (unsigned i = 0; !diff && i < want->nopts; i++)
		if (got->opts[i].kind != want->opts[i].kind ||
		    memcmp(&got->opts[i].v, &want->opts[i].v, sizeof(got->opts[i].v)))
			diff = "options";
	/* What the wire adds past the options written: EOL padding only. */
	for (unsigned i = want->nopts; !diff && i < got->nopts; i++)
		if (got->opts[i].kind != SEG_OPT_EOL)
			diff = "options past the written ones";
	if (!ok(diff == NULL, "%s: every field", what))
		printf("#   first difference: %s\n", diff);
}

/* The three segments as Ethernet frames. */
static struct frame frames[3];

static bool build_frames(const struct segment s[3])
{
	struct tr_err err;

	for (int i = 0; i < 3; i++)
		if (craft_build(cr, &s[i], &l2, &frames[i], &err))
			return false;
	return true;
}

/* Writes the three frames with link type dlt (their Ethernet header swapped
 * for that link's), reads them back, compares. */
static void check_link_type(int dlt, int precision, const char *what)
{
	static uint8_t bufs[3][FRAME_MAX + 32];
	struct segment want[3];
	struct rec_in in[3];
	struct pcap_record rec;
	struct pcap_reader *r;
	struct tr_err err = { 0 };
	const char *path = tmp_path("link.pcap");
	char name[128];

	make_segments(want);
	if (!ok(build_frames(want), "%s: frames built", what))
		return;
	for (int i = 0; i < 3; i++) {
		const uint8_t *ip = frames[i].bytes + 14;
		size_t iplen = frames[i].len - 14, hl = 0;

		if (dlt == DLT_EN10MB) {
			memcpy(bufs[i], frames[i].bytes, 14);
			hl = 14;
		} else if (dlt == DLT_LINUX_SLL) {
			memset(bufs[i], 0, 16);
			bufs[i][1] = 4;            /* sent by us */
			bufs[i][3] = 1;            /* ARPHRD_ETHER */
			bufs[i][5] = 6;            /* address length */
			bufs[i][14] = 0x08;        /* protocol: IPv4 */
			hl = 16;
		} else if (dlt == DLT_LINUX_SLL2) {
			memset(bufs[i], 0, 20);
			bufs[i][0] = 0x08;         /* protocol: IPv4 */
			bufs[i][9] = 1;            /* ARPHRD_ETHER */
			hl = 20;
		} else if (dlt == DLT_NULL) {
			uint32_t fam = AF_INET;    /* the capturing host's order */

			memcpy(bufs[i], &fam, 4);
			hl = 4;
		} else if (dlt == DLT_LOOP) {
			memset(bufs[i], 0, 4);
			bufs[i][3] = AF_INET;      /* network order */
			hl = 4;
		}
		memcpy(bufs[i] + hl, ip, iplen);
		in[i] = (struct rec_in){ bufs[i], hl + iplen, 0, 1700000000 + i,
					 i * 123456789L };
	}
	if (!ok(write_pcap(path, dlt, precision, in, 3), "%s: written", what))
		return;
	r = pcap_read_open(path, &err);
	if (!ok(r != NULL, "%s: opens", what)) {
		printf("#   %s\n", err.msg);
		return;
	}
	for (int i = 0; i < 3; i++) {
		long want_ns = precision == PCAP_TSTAMP_PRECISION_NANO ?
				       i * 123456789L : i * 123456789L / 1000 * 1000;

		snprintf(name, sizeof(name), "%s: record %d", what, i + 1);
		if (!ok(pcap_read_next(r, &rec, &err) == 1, "%s: read", name)) {
			printf("#   %s\n", err.msg);
			break;
		}
		is_int(rec.number, i + 1, "%s: numbered", name);
		is_int(rec.kind, PCAP_REC_TCP, "%s: TCP", name);
		is_int(rec.ts.tv_sec, 1700000000 + i, "%s: seconds", name);
		is_int(rec.ts.tv_nsec, want_ns, "%s: nanoseconds", name);
		is_int(rec.caplen, in[i].caplen, "%s: caplen", name);
		is_int(rec.len, in[i].caplen, "%s: len", name);
		is_same_segment(&rec.seg, &want[i], name);
	}
	is_int(pcap_read_next(r, &rec, &err), 0, "%s: then the end", what);
	is_int(pcap_read_next(r, &rec, &err), 0, "%s: and the end again", what);
	pcap_read_close(r);
}

static void test_reads_back_every_field_on_every_link_type(void)
{
	check_link_type(DLT_EN10MB, PCAP_TSTAMP_PRECISION_MICRO, "Ethernet, microseconds");
	check_link_type(DLT_EN10MB, PCAP_TSTAMP_PRECISION_NANO, "Ethernet, nanoseconds");
	check_link_type(DLT_RAW, PCAP_TSTAMP_PRECISION_MICRO, "raw IP");
	check_link_type(DLT_IPV4, PCAP_TSTAMP_PRECISION_MICRO, "IPv4");
	check_link_type(DLT_LINUX_SLL, PCAP_TSTAMP_PRECISION_MICRO, "Linux cooked");
	check_link_type(DLT_LINUX_SLL2, PCAP_TSTAMP_PRECISION_MICRO, "Linux cooked v2");
	check_link_type(DLT_NULL, PCAP_TSTAMP_PRECISION_MICRO, "BSD loopback (NULL)");
	check_link_type(DLT_LOOP, PCAP_TSTAMP_PRECISION_MICRO, "OpenBSD loopback (LOOP)");
}

static void test_non_tcp_records_say_why(void)
{
	static uint8_t arp[42], udp[42], ip6[54], vlan[FRAME_MAX + 4], frag[FRAME_MAX],
		bad_doff[FRAME_MAX], shortf[10];
	static const struct {
		const char *what;
		enum pcap_rec_kind kind;
		const char *reason;
	} want[] = {
		{ "ARP", PCAP_REC_OTHER, "ethertype 0x0806 is not IP" },
		{ "UDP", PCAP_REC_OTHER, "IPv4 protocol 17 is not TCP" },
		{ "IPv6", PCAP_REC_OTHER, "IPv6 next header 64 is not TCP" },
		{ "802.1Q", PCAP_REC_TCP, "" },
		{ "fragment", PCAP_REC_OTHER, "IPv4 fragment (offset 0, more)" },
		{ "bad data offset", PCAP_REC_MALFORMED, "TCP data offset 8 out of range" },
		{ "short capture", PCAP_REC_MALFORMED,
		  "captured 40 of 54 bytes: IPv4 header: bad lengths (ihl 20, total 40, captured 26)" },
		{ "runt", PCAP_REC_MALFORMED, "link-layer header truncated (10 bytes)" },
	};
	struct segment s;
	struct rec_in in[8];
	struct pcap_record rec;
	struct pcap_reader *r;
	struct tr_err err = { 0 };
	const char *path = tmp_path("other.pcap");

	fixture_base_segment(&s);
	if (!ok(craft_build(cr, &s, &l2, &frames[0], &err) == 0, "SYN built"))
		return;
	memcpy(arp, frames[0].bytes, sizeof(arp));
	arp[12] = 0x08, arp[13] = 0x06;
	memcpy(udp, frames[0].bytes, sizeof(udp));
	udp[14 + 9] = 17;
	memcpy(ip6, frames[0].bytes, sizeof(ip6));
	ip6[12] = 0x86, ip6[13] = 0xdd, ip6[14] = 0x60;
	memcpy(vlan, frames[0].bytes, 12);
	vlan[12] = 0x81, vlan[13] = 0x00, vlan[14] = 0, vlan[15] = 5;
	memcpy(vlan + 16, frames[0].bytes + 12, frames[0].len - 12);
	memcpy(frag, frames[0].bytes, frames[0].len);
	frag[14 + 6] = 0x20; /* MF */
	memcpy(bad_doff, frames[0].bytes, frames[0].len);
	bad_doff[34 + 12] = 0x20; /* 8 bytes */
	memcpy(shortf, frames[0].bytes, sizeof(shortf));

	in[0] = (struct rec_in){ arp, sizeof(arp), 0, 1, 0 };
	in[1] = (struct rec_in){ udp, sizeof(udp), 0, 1, 0 };
	in[2] = (struct rec_in){ ip6, sizeof(ip6), 0, 1, 0 };
	in[3] = (struct rec_in){ vlan, frames[0].len + 4, 0, 1, 0 };
	in[4] = (struct rec_in){ frag, frames[0].len, 0, 1, 0 };
	in[5] = (struct rec_in){ bad_doff, frames[0].len, 0, 1, 0 };
	in[6] = (struct rec_in){ frames[0].bytes, 40, frames[0].len, 1, 0 };
	in[7] = (struct rec_in){ shortf, sizeof(shortf), 0, 1, 0 };
	if (!ok(write_pcap(path, DLT_EN10MB, PCAP_TSTAMP_PRECISION_MICRO, in, 8),
		"written"))
		return;
	r = pcap_read_open(path, &err);
	if (!ok(r != NULL, "opens"))
		return;
	for (size_t i = 0; i < 8; i++) {
		if (!ok(pcap_read_next(r, &rec, &err) == 1, "%s: read", want[i].what))
			break;
		is_int(rec.kind, want[i].kind, "%s: kind", want[i].what);
		if (want[i].kind == PCAP_REC_TCP)
			is_same_segment(&rec.seg, &s, want[i].what);
		else
			is_str(rec.reason, want[i].reason, "%s: reason", want[i].what);
	}
	is_int(rec.caplen, 10, "caplen of the runt");
	is_int(pcap_read_next(r, &rec, &err), 0, "then the end");
	pcap_read_close(r);
}

/* err.msg after opening path and reading it to the end or the first error. */
static const char *read_error(const char *path)
{
	static struct tr_err err;
	struct pcap_record rec;
	struct pcap_reader *r;
	int rc;

	memset(&err, 0, sizeof(err));
	r = pcap_read_open(path, &err);
	if (!r)
		return err.status == TR_USAGE ? err.msg : "(not TR_USAGE)";
	while ((rc = pcap_read_next(r, &rec, &err)) == 1)
		;
	pcap_read_close(r);
	if (rc == 0)
		return "(no error)";
	return err.status == TR_USAGE ? err.msg : "(not TR_USAGE)";
}

/* A capture made with a small snapshot length (tcpdump -s 96) cuts data
 * segments after their headers: they still decode, with the payload's
 * length and no payload, since a replay sends lengths, not bytes. */
static void test_a_payload_cut_by_the_snapshot_length_still_decodes(void)
{
	struct segment s;
	struct rec_in in[1];
	struct pcap_record rec;
	struct pcap_reader *r;
	struct tr_err err = { 0 };
	const char *path = tmp_path("snaplen.pcap");

	fixture_base_segment(&s);
	s.flags = SEG_ACK | SEG_PSH;
	s.ack = 77;
	s.payload_len = 1000;
	if (!ok(craft_build(cr, &s, &l2, &frames[0], &err) == 0, "snaplen: a data segment built"))
		return;
	in[0] = (struct rec_in){ frames[0].bytes, 14 + 20 + 20 + 10, frames[0].len, 1, 0 };
	if (!ok(write_pcap(path, DLT_EN10MB, PCAP_TSTAMP_PRECISION_MICRO, in, 1),
		"snaplen: written, 10 payload bytes of 1000 captured"))
		return;
	r = pcap_read_open(path, &err);
	if (!ok(r != NULL, "snaplen: opens"))
		return;
	if (ok(pcap_read_next(r, &rec, &err) == 1, "snaplen: read")) {
		is_int(rec.kind, PCAP_REC_TCP, "snaplen: TCP, not malformed");
		ok(rec.payload_cut, "snaplen: says the payload was cut");
		is_int(rec.seg.payload_len, 1000, "snaplen: the payload's length from the IP header");
		ok(rec.seg.payload == NULL, "snaplen: no payload bytes");
		is_int(rec.seg.seq, 1000, "snaplen: seq");
		is_int(rec.seg.ack, 77, "snaplen: ack");
		is_int(rec.seg.flags, SEG_ACK | SEG_PSH, "snaplen: flags");
	}
	pcap_read_close(r);
}

static void test_bad_files_give_one_line(void)
{
	static const char garbage[] = "0     socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n";
	struct rec_in in[3];
	struct segment s[3];
	const char *p;
	char want[512], good[256];
	size_t rec_len;

	snprintf(good, sizeof(good), "%s", tmp_path("good.pcap"));
	make_segments(s);
	if (!ok(build_frames(s), "frames built"))
		return;
	for (int i = 0; i < 3; i++)
		in[i] = (struct rec_in){ frames[i].bytes, frames[i].len, 0, 1, 0 };
	if (!ok(write_pcap(good, DLT_EN10MB, PCAP_TSTAMP_PRECISION_MICRO, in, 3),
		"written"))
		return;
	is_str(read_error(good), "(no error)", "the whole file reads");

	p = tmp_path("missing.pcap");
	snprintf(want, sizeof(want), "%s: No such file or directory", p);
	is_str(read_error(p), want, "a missing file");

	p = tmp_path("empty.pcap");
	write_bytes(p, "", 0);
	snprintf(want, sizeof(want), "%s: empty file, not a pcap", p);
	is_str(read_error(p), want, "an empty file");

	p = tmp_path("garbage.pcap");
	write_bytes(p, garbage, sizeof(garbage) - 1);
	snprintf(want, sizeof(want), "%s: not a pcap or pcapng file", p);
	is_str(read_error(p), want, "a case file is not a pcap");

	p = tmp_path("short_header.pcap");
	truncate_copy(good, p, 10);
	snprintf(want, sizeof(want), "%s: file header truncated (6 of 24 bytes)", p);
	is_str(read_error(p), want, "a truncated file header");

	p = tmp_path("short_rec_header.pcap");
	truncate_copy(good, p, 24 + 5);
	snprintf(want, sizeof(want), "%s: record 1: record header truncated (5 of 16 bytes)", p);
	is_str(read_error(p), want, "a truncated record header");

	/* Records 1 and 2 whole, record 3 cut 4 bytes into its data. */
	rec_len = 24 + 16 + frames[0].len + 16 + frames[1].len + 16 + 4;
	p = tmp_path("short_rec.pcap");
	truncate_copy(good, p, rec_len);
	snprintf(want, sizeof(want), "%s: record 3: record truncated (4 of %zu captured bytes)",
		 p, frames[2].len);
	is_str(read_error(p), want, "a truncated third record names record 3");

	p = tmp_path("wifi.pcap");
	write_pcap(p, DLT_IEEE802_11, PCAP_TSTAMP_PRECISION_MICRO, in, 1);
	snprintf(want, sizeof(want),
		 "%s: link type IEEE802_11 (105) is not supported (Ethernet, raw IP, Linux cooked or BSD loopback only)", p);
	is_str(read_error(p), want, "an 802.11 capture");
}

static void test_a_stream_reads_like_a_file(void)
{
	static uint8_t buf[1 << 16];
	struct pcap_record rec;
	struct pcap_reader *r;
	struct tr_err err = { 0 };
	const char *good = tmp_path("good.pcap");
	FILE *f = fopen(good, "rb");
	size_t n = f ? fread(buf, 1, sizeof(buf), f) : 0;
	int count = 0, rc;

	if (f)
		fclose(f);
	f = fmemopen(buf, n, "rb");
	r = f ? pcap_read_fopen(f, "memory", &err) : NULL;
	if (!ok(r != NULL, "fmemopen'd capture opens"))
		return;
	is_str(pcap_read_linktype(r), "EN10MB", "link type named");
	while ((rc = pcap_read_next(r, &rec, &err)) == 1)
		count += rec.kind == PCAP_REC_TCP;
	is_int(rc, 0, "read to the end");
	is_int(count, 3, "three segments");
	pcap_read_close(r);

	f = fmemopen(buf, 10, "rb");
	r = f ? pcap_read_fopen(f, "memory", &err) : NULL;
	ok(r == NULL, "a truncated stream is refused (and closed)");
	is_str(err.msg, "memory: file header truncated (6 of 24 bytes)", "named by its name");
}

static void test_reference_capture_starts_with_a_syn(const char *path)
{
	struct pcap_record rec;
	struct pcap_reader *r;
	struct tr_err err = { 0 };
	struct segment want;
	struct seg_opt *o;
	int n = 0, rc;

	r = pcap_read_open(path, &err);
	if (!ok(r != NULL, "%s opens", path)) {
		printf("#   %s\n", err.msg);
		return;
	}
	ok(pcap_read_next(r, &rec, &err) == 1 && rec.kind == PCAP_REC_TCP,
	   "its first record is a TCP segment");
	/* passive_open.pkt: < S 0:0(0) win 32792 <mss 1000,sackOK,TS val 100 ecr 0,nop,wscale 7> */
	fixture_base_segment(&want);
	want.win = 32792;
	want.seq = rec.seg.seq; /* the script's 0, as the rig's ISN on the wire */
	want.ip_id = rec.seg.ip_id;
	o = segment_opt_add(&want, SEG_OPT_MSS);
	o->v.mss = 1000;
	segment_opt_add(&want, SEG_OPT_SACK_PERM);
	o = segment_opt_add(&want, SEG_OPT_TS);
	o->v.ts.val = 100;
	segment_opt_add(&want, SEG_OPT_NOP);
	o = segment_opt_add(&want, SEG_OPT_WSCALE);
	o->v.wscale = 7;
	is_int(rec.seg.flags, SEG_SYN, "a SYN");
	is_same_segment(&rec.seg, &want, "the case's first line");
	for (n = 1; (rc = pcap_read_next(r, &rec, &err)) == 1; n++)
		;
	is_int(rc, 0, "read to the end");
	is_int(n, 3, "three records, as pcaps/README.md says");
	pcap_read_close(r);
}

static void remove_dir(void)
{
	static const char *names[] = { "link.pcap", "other.pcap", "good.pcap",
				       "empty.pcap", "garbage.pcap", "short_header.pcap",
				       "short_rec_header.pcap", "short_rec.pcap",
				       "wifi.pcap" };

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		unlink(tmp_path(names[i]));
	rmdir(dir);
}

int main(int argc, char **argv)
{
	struct tr_err err;

	if (!mkdtemp(dir)) {
		perror(dir);
		return 1;
	}
	cr = craft_open_offline(&err);
	if (ok(cr != NULL, "offline crafter opens")) {
		test_reads_back_every_field_on_every_link_type();
		test_non_tcp_records_say_why();
		test_a_payload_cut_by_the_snapshot_length_still_decodes();
	test_bad_files_give_one_line();
		test_a_stream_reads_like_a_file();
		craft_close(cr);
	}
	if (argc > 1)
		test_reference_capture_starts_with_a_syn(argv[1]);
	else
		diag("no reference capture given: skipped its check");
	remove_dir();
	return tap_done();
}
