/* pcap_read.h - captures in, segments out: the one way tcprig reads a pcap
 * (replay and pcap2case build on it).
 *
 * A reader opens a pcap (or pcapng) file through libpcap's offline API and
 * hands back its records one at a time: the timestamp (nanoseconds, whatever
 * the file's precision) and either a decoded segment or the reason the record
 * is not one. Link types: Ethernet (DLT_EN10MB, one 802.1Q tag allowed), raw
 * IP (DLT_RAW, DLT_IPV4), Linux cooked captures (DLT_LINUX_SLL, _SLL2) and
 * BSD loopback (DLT_NULL, DLT_LOOP).
 *
 * A record cut by the capture's snapshot length inside its payload still
 * decodes (payload_cut): replaying needs headers and lengths, not bytes.
 *
 * Errors are TR_USAGE and read "FILE: message", naming the record where the
 * file goes wrong ("x.pcap: record 3: truncated dump file; ..."). A record
 * that is simply not IPv4/TCP, or whose TCP is malformed, is not an error: it
 * comes back with a kind and a reason, and the caller decides.
 */
#ifndef TCPRIG_PCAP_READ_H
#define TCPRIG_PCAP_READ_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "core/err.h"
#include "core/segment.h"

struct pcap_reader;

enum pcap_rec_kind {
	PCAP_REC_TCP,       /* seg holds the decoded segment */
	PCAP_REC_OTHER,     /* not TCP over IPv4 or IPv6 (ARP, UDP ...): skip */
	PCAP_REC_MALFORMED, /* claims IPv4/TCP or IPv6/TCP but does not decode */
};

struct pcap_record {
	unsigned long number;   /* 1 for the file's first record */
	struct timespec ts;     /* as the capture stamped it */
	uint32_t caplen, len;   /* bytes captured, bytes on the wire */
	enum pcap_rec_kind kind;
	char reason[160];       /* PCAP_REC_OTHER and _MALFORMED: why */
	/* PCAP_REC_TCP. Its payload points into the reader's buffer, valid
	 * until the next pcap_read_next or pcap_read_close. */
	struct segment seg;
	/* The snapshot length cut the payload: seg has the headers and the
	 * payload's length, payload NULL, no checksum verified. */
	bool payload_cut;
};

/* Opens path ("-": standard input). Not a capture, a truncated file header,
 * or a link type the reader does not decode: NULL and err. */
struct pcap_reader *pcap_read_open(const char *path, struct tr_err *err);
/* The same on an open stream, named name in messages (tests, fuzzing). The
 * reader owns f from here on, failure included: pcap_read_close closes it. */
struct pcap_reader *pcap_read_fopen(FILE *f, const char *name,
				    struct tr_err *err);

/* The next record: 1 and *rec filled, 0 at the end of the file, -1 and err
 * on a truncated or corrupt record (and every later call says the same). */
int pcap_read_next(struct pcap_reader *r, struct pcap_record *rec,
		   struct tr_err *err);

/* The link type as libpcap names it ("EN10MB", "RAW" ...). */
const char *pcap_read_linktype(const struct pcap_reader *r);

void pcap_read_close(struct pcap_reader *r);

#endif
