#include "wire/pcap_read.h"

#include <netinet/in.h>
#include <pcap/pcap.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "core/bytes.h"

#define ETH_HLEN_ 14
#define VLAN_HLEN_ 4
#define SLL_HLEN_ 16
#define SLL2_HLEN_ 20
#define NULL_HLEN_ 4
#define IPV4_HLEN_MIN_ 20
#define IPV6_HLEN_ 40
/* An IPv6 header, extension headers, a TCP header: what a cut record's
 * headers are copied into to be walked. */
#define FRAME_HDRS_MAX_ 2048

#define ETHERTYPE_IPV4_ 0x0800
#define ETHERTYPE_IPV6_ 0x86dd
#define ETHERTYPE_VLAN_ 0x8100

struct pcap_reader {
	pcap_t *p;
	char *name;
	int dlt;
	unsigned long nrec;     /* records handed out so far */
	bool failed;            /* a record was bad: every later call repeats it */
	struct tr_err fail;
};

static bool dlt_supported(int dlt)
{
	switch (dlt) {
	case DLT_EN10MB:
	case DLT_RAW:
	case DLT_IPV4:
	case DLT_LINUX_SLL:
	case DLT_LINUX_SLL2:
	case DLT_NULL:
	case DLT_LOOP:
		return true;
	}
	return false;
}

/* libpcap's words for a short file, said the way a user reads them; any
 * other wording (a pcapng file, a later libpcap) is passed on as it is. */
static bool say_truncated(char *out, size_t cap, const char *ebuf)
{
	static const char pre[] = "truncated dump file; tried to read %u ";
	static const struct {
		const char *what, *say;
	} kinds[] = {
		{ "file header", "file header truncated" },
		{ "header", "record header truncated" },
		{ "captured", "record truncated" },
	};
	char fmt[128];
	unsigned want, got;

	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		snprintf(fmt, sizeof(fmt), "%s%s bytes, only got %%u", pre, kinds[i].what);
		if (sscanf(ebuf, fmt, &want, &got) != 2)
			continue;
		if (i == 0 && want == 4 && got == 0)
			snprintf(out, cap, "empty file, not a pcap");
		else
			snprintf(out, cap, "%s (%u of %u%s bytes)", kinds[i].say, got,
				 want, i == 2 ? " captured" : "");
		return true;
	}
	return false;
}

static void open_error(const char *name, const char *ebuf, struct tr_err *err)
{
	char msg[128];

	size_t n = strlen(name);

	if (!strncmp(ebuf, name, n) && !strncmp(ebuf + n, ": ", 2))
		err_usage(err, "%s", ebuf); /* "FILE: No such file or directory" */
	else if (strstr(ebuf, "unknown file format"))
		err_usage(err, "%s: not a pcap or pcapng file", name);
	else if (say_truncated(msg, sizeof(msg), ebuf))
		err_usage(err, "%s: %s", name, msg);
	else
		err_usage(err, "%s: %s", name, ebuf);
}

static struct pcap_reader *reader_new(pcap_t *p, const char *name,
				      struct tr_err *err)
{
	struct pcap_reader *r;
	int dlt = pcap_datalink(p);

	if (!dlt_supported(dlt)) {
		const char *dname = pcap_datalink_val_to_name(dlt);

		err_usage(err, "%s: link type %s (%d) is not supported (Ethernet, raw IP, Linux cooked or BSD loopback only)",
			  name, dname ? dname : "unknown", dlt);
		pcap_close(p);
		return NULL;
	}
	r = calloc(1, sizeof(*r));
	if (r)
		r->name = strdup(name);
	if (!r || !r->name) {
		free(r);
		pcap_close(p);
		err_sys(err, "%s", name);
		return NULL;
	}
	r->p = p;
	r->dlt = dlt;
	return r;
}

struct pcap_reader *pcap_read_open(const char *path, struct tr_err *err)
{
	char ebuf[PCAP_ERRBUF_SIZE] = "";
	pcap_t *p;

	/* "-" is standard input, as everywhere in libpcap. */
	p = pcap_open_offline_with_tstamp_precision(path, PCAP_TSTAMP_PRECISION_NANO,
						    ebuf);
	if (!p) {
		open_error(path, ebuf, err);
		return NULL;
	}
	return reader_new(p, path, err);
}

struct pcap_reader *pcap_read_fopen(FILE *f, const char *name,
				    struct tr_err *err)
{
	char ebuf[PCAP_ERRBUF_SIZE] = "";
	pcap_t *p;

	p = pcap_fopen_offline_with_tstamp_precision(f, PCAP_TSTAMP_PRECISION_NANO,
						     ebuf);
	if (!p) {
		/* libpcap leaves the stream to its caller on failure. */
		fclose(f);
		open_error(name, ebuf, err);
		return NULL;
	}
	return reader_new(p, name, err);
}

const char *pcap_read_linktype(const struct pcap_reader *r)
{
	const char *n = pcap_datalink_val_to_name(r->dlt);

	return n ? n : "unknown";
}

void pcap_read_close(struct pcap_reader *r)
{
	if (!r)
		return;
	pcap_close(r->p); /* closes the stream too */
	free(r->name);
	free(r);
}

static void rec_set(struct pcap_record *rec, enum pcap_rec_kind kind,
		    const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void rec_set(struct pcap_record *rec, enum pcap_rec_kind kind,
		    const char *fmt, ...)
{
	va_list ap;

	rec->kind = kind;
	va_start(ap, fmt);
	vsnprintf(rec->reason, sizeof(rec->reason), fmt, ap);
	va_end(ap);
}

/* A record the snapshot length cut inside its payload: its headers are
 * whole, so the segment decodes with its payload length from the IP header
 * and no payload (nor a checksum to verify). 1 if it was such a record. */
static int decode_cut_payload(struct pcap_record *rec, const uint8_t *p, size_t n)
{
	uint8_t hdr[60 + 60];
	size_t ihl, doff, tot;
	struct tr_err e;

	if (rec->caplen >= rec->len || n < IPV4_HLEN_MIN_)
		return 0;
	ihl = (size_t)(p[0] & 0x0f) * 4;
	if (ihl < IPV4_HLEN_MIN_ || n < ihl + 20)
		return 0;
	doff = (size_t)(p[ihl + 12] >> 4) * 4;
	tot = get16(p + 2);
	if (doff < 20 || n < ihl + doff || tot < ihl + doff || tot <= n)
		return 0;
	memcpy(hdr, p, ihl + doff);
	put16(hdr + 2, (uint16_t)(ihl + doff));
	if (segment_decode_ip(&rec->seg, hdr, ihl + doff, &e)) {
		rec_set(rec, PCAP_REC_MALFORMED, "captured %u of %u bytes: %s", rec->caplen,
			rec->len, e.msg);
		return 1;
	}
	rec->seg.payload = NULL;
	rec->seg.payload_len = (uint32_t)(tot - ihl - doff);
	rec->seg.bad_csum = false;
	rec->payload_cut = true;
	rec->kind = PCAP_REC_TCP;
	return 1;
}

static void decode_ipv4(struct pcap_record *rec, const uint8_t *p, size_t n)
{
	struct tr_err e;
	uint16_t frag;

	if (n < IPV4_HLEN_MIN_) {
		rec_set(rec, PCAP_REC_MALFORMED, "IPv4 header truncated (%zu bytes)", n);
		return;
	}
	if (p[9] != IPPROTO_TCP) {
		rec_set(rec, PCAP_REC_OTHER, "IPv4 protocol %u is not TCP", p[9]);
		return;
	}
	frag = get16(p + 6);
	if (frag & 0x3fff) { /* more fragments, or an offset */
		rec_set(rec, PCAP_REC_OTHER, "IPv4 fragment (offset %u%s)",
			(frag & 0x1fff) * 8u, frag & 0x2000 ? ", more" : "");
		return;
	}
	if (decode_cut_payload(rec, p, n))
		return;
	if (segment_decode_ip(&rec->seg, p, n, &e)) {
		if (rec->caplen < rec->len)
			rec_set(rec, PCAP_REC_MALFORMED, "captured %u of %u bytes: %s",
				rec->caplen, rec->len, e.msg);
		else
			rec_set(rec, PCAP_REC_MALFORMED, "%s", e.msg);
		return;
	}
	rec->kind = PCAP_REC_TCP;
}

/* The IPv6 twin of decode_ipv4, a record cut inside its payload included
 * (decode_cut_payload): its headers decode, its payload keeps its length. */
static void decode_ipv6(struct pcap_record *rec, const uint8_t *p, size_t n)
{
	static uint8_t hdr[FRAME_HDRS_MAX_];
	const uint8_t *pkt = p;
	size_t tot, off, doff, have = n;
	struct tr_err e;
	uint8_t proto;
	bool cut;

	if (n < IPV6_HLEN_) {
		rec_set(rec, PCAP_REC_MALFORMED, "IPv6 header truncated (%zu bytes)", n);
		return;
	}
	tot = IPV6_HLEN_ + get16(p + 4);
	cut = rec->caplen < rec->len && tot > n;
	if (cut) {
		/* Walk the headers that were captured, as if they were all. */
		have = n < sizeof(hdr) ? n : sizeof(hdr);
		memcpy(hdr, p, have);
		put16(hdr + 4, (uint16_t)(have - IPV6_HLEN_));
		pkt = hdr;
	}
	if (segment_ip6_transport(pkt, have, &off, &proto, &e)) {
		rec_set(rec, PCAP_REC_MALFORMED, "%s", e.msg);
		return;
	}
	if (proto != IPPROTO_TCP) {
		rec_set(rec, PCAP_REC_OTHER, "IPv6 next header %u is not TCP", proto);
		return;
	}
	if (cut) {
		doff = have >= off + 20 ? (size_t)(hdr[off + 12] >> 4) * 4 : 0;
		if (doff < 20 || have < off + doff || tot < off + doff) {
			rec_set(rec, PCAP_REC_MALFORMED, "captured %u of %u bytes: TCP header cut",
				rec->caplen, rec->len);
			return;
		}
		put16(hdr + 4, (uint16_t)(off + doff - IPV6_HLEN_));
		have = off + doff;
	}
	if (segment_decode_ip6(&rec->seg, pkt, have, &e)) {
		rec_set(rec, PCAP_REC_MALFORMED, "%s", e.msg);
		return;
	}
	if (cut) {
		rec->seg.payload = NULL;
		rec->seg.payload_len = (uint32_t)(tot - off - doff);
		rec->seg.bad_csum = false;
		rec->payload_cut = true;
	}
	rec->kind = PCAP_REC_TCP;
}

/* p is an IP packet whose version only its first nibble tells. */
static void decode_ip_any(struct pcap_record *rec, const uint8_t *p, size_t n)
{
	if (n < 1)
		rec_set(rec, PCAP_REC_MALFORMED, "empty IP packet");
	else if (p[0] >> 4 == 4)
		decode_ipv4(rec, p, n);
	else if (p[0] >> 4 == 6)
		decode_ipv6(rec, p, n);
	else
		rec_set(rec, PCAP_REC_MALFORMED, "IP version %u", p[0] >> 4);
}

static void decode_ethertype(struct pcap_record *rec, uint16_t type,
			     const uint8_t *p, size_t n)
{
	if (type == ETHERTYPE_IPV4_)
		decode_ipv4(rec, p, n);
	else if (type == ETHERTYPE_IPV6_)
		decode_ipv6(rec, p, n);
	else
		rec_set(rec, PCAP_REC_OTHER, "ethertype 0x%04x is not IP", type);
}

static void decode_link(int dlt, struct pcap_record *rec, const uint8_t *p,
			size_t n)
{
	uint16_t type;

	switch (dlt) {
	case DLT_EN10MB:
		if (n < ETH_HLEN_)
			goto short_link;
		type = get16(p + 12);
		if (type == ETHERTYPE_VLAN_) {
			if (n < ETH_HLEN_ + VLAN_HLEN_)
				goto short_link;
			decode_ethertype(rec, get16(p + 16), p + ETH_HLEN_ + VLAN_HLEN_,
					 n - ETH_HLEN_ - VLAN_HLEN_);
		} else {
			decode_ethertype(rec, type, p + ETH_HLEN_, n - ETH_HLEN_);
		}
		return;
	case DLT_LINUX_SLL:
		if (n < SLL_HLEN_)
			goto short_link;
		decode_ethertype(rec, get16(p + 14), p + SLL_HLEN_, n - SLL_HLEN_);
		return;
	case DLT_LINUX_SLL2:
		if (n < SLL2_HLEN_)
			goto short_link;
		decode_ethertype(rec, get16(p), p + SLL2_HLEN_, n - SLL2_HLEN_);
		return;
	case DLT_NULL:
	case DLT_LOOP:
		/* The address family, in the capturing host's byte order (NULL)
		 * or in network order (LOOP); the IP header says which version
		 * anyway, and no family value is IPv4 in one order and something
		 * else in the other. */
		if (n < NULL_HLEN_)
			goto short_link;
		decode_ip_any(rec, p + NULL_HLEN_, n - NULL_HLEN_);
		return;
	case DLT_RAW:
		decode_ip_any(rec, p, n);
		return;
	case DLT_IPV4:
		decode_ipv4(rec, p, n);
		return;
	}
	rec_set(rec, PCAP_REC_OTHER, "link type %d", dlt); /* refused at open */
	return;
short_link:
	rec_set(rec, PCAP_REC_MALFORMED, "link-layer header truncated (%zu bytes)", n);
}

int pcap_read_next(struct pcap_reader *r, struct pcap_record *rec,
		   struct tr_err *err)
{
	struct pcap_pkthdr *h;
	const u_char *bytes;
	int rc;

	if (r->failed) {
		if (err)
			*err = r->fail;
		return -1;
	}
	rc = pcap_next_ex(r->p, &h, &bytes);
	if (rc == PCAP_ERROR_BREAK)
		return 0;
	if (rc != 1) {
		/* libpcap's offline reader fails only on the record it was at. */
		const char *ebuf = pcap_geterr(r->p);
		char msg[128];

		err_usage(&r->fail, "%s: record %lu: %s", r->name, r->nrec + 1,
			  say_truncated(msg, sizeof(msg), ebuf) ? msg : ebuf);
		r->failed = true;
		if (err)
			*err = r->fail;
		return -1;
	}
	memset(rec, 0, sizeof(*rec));
	rec->number = ++r->nrec;
	rec->ts.tv_sec = h->ts.tv_sec;
	rec->ts.tv_nsec = h->ts.tv_usec; /* nanoseconds: opened with NANO */
	rec->caplen = h->caplen;
	rec->len = h->len;
	decode_link(r->dlt, rec, bytes, h->caplen);
	return 1;
}
