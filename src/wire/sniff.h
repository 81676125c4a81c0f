/* sniff.h - the sniffer: libpcap on the rig end of a lab, in immediate mode
 * (without it a reply waits for the buffer timeout: ~99 ms measured, against
 * p50 ~10 us with it), non-blocking, its fd ready for poll().
 *
 * It sees both directions, so the pcap it writes on request holds what the
 * rig sent and what the target answered, in wire order. Frames are handed to
 * a callback raw; segment_decode_frame() turns them into segments.
 */
#ifndef TCPRIG_SNIFF_H
#define TCPRIG_SNIFF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/time.h>

#include "core/err.h"

struct sniffer;

struct sniff_config {
	const char *ifname;
	const char *filter;     /* BPF expression, NULL for everything */
	const char *pcap_path;  /* write every frame seen here, NULL for none */
	/* The caller writes the frames itself, with sniff_dump(): a capture of
	 * what reached it, not of what the interface saw (run --faults). */
	bool dump_by_caller;
};

struct sniff_stats {
	unsigned received, dropped, if_dropped;
};

typedef void (*sniff_fn)(void *ctx, const struct timeval *ts,
			 const uint8_t *frame, size_t len);

struct sniffer *sniff_open(const struct sniff_config *cfg, struct tr_err *err);
void sniff_close(struct sniffer *s);

/* The fd to poll for POLLIN. */
int sniff_fd(const struct sniffer *s);

/* Hands every frame available now to fn, without blocking; returns how many
 * (0 if none), -1 on error. */
int sniff_dispatch(struct sniffer *s, sniff_fn fn, void *ctx,
		   struct tr_err *err);

/* Waits up to timeout_ms for frames and dispatches them (poll + dispatch). */
int sniff_wait(struct sniffer *s, int timeout_ms, sniff_fn fn, void *ctx,
	       struct tr_err *err);

/* Writes one frame to the capture file (none open: does nothing). */
void sniff_dump(struct sniffer *s, const struct timeval *ts, const uint8_t *frame,
		size_t len);

int sniff_get_stats(struct sniffer *s, struct sniff_stats *st,
		    struct tr_err *err);

/* The BPF expression that keeps a lab's TCP traffic between two addresses. */
int sniff_filter_for(char *buf, size_t cap, const char *addr_a,
		     const char *addr_b);
/* The same for a dual-stack lab: TCP between a4 and b4 (IPv4) or between a6
 * and b6 (IPv6); neighbour discovery and the rest of ICMPv6 stay out. */
int sniff_filter_for_lab(char *buf, size_t cap, const char *a4, const char *b4, const char *a6,
			 const char *b6);

#endif
