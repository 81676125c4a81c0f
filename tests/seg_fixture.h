/* seg_fixture.h - segments for unit tests, written the way a case writes
 * them, so that a test reads like the script it stands for. */
#ifndef TCPRIG_SEG_FIXTURE_H
#define TCPRIG_SEG_FIXTURE_H

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case/case.h"
#include "core/segment.h"

/* A packet line as the parser makes it: "< S 0:0(0) win 100" (time 0 is
 * put in front). A line that does not parse ends the test program. */
static inline struct case_packet fixture_packet(const char *text)
{
	struct case_script sc;
	struct case_packet p;
	struct tr_err err;
	char buf[600];

	snprintf(buf, sizeof(buf), "0 %s\n", text);
	if (case_parse_string("t", buf, &sc, &err)) {
		printf("# bad test line '%s': %s\n", text, err.msg);
		exit(1);
	}
	p = sc.events[0].u.pkt;
	case_script_free(&sc);
	return p;
}

/* The rig's SYN from 192.0.2.2:40000 to 192.0.2.1:8080, seq 1000, win 65535. */
static inline void fixture_base_segment(struct segment *s)
{
	segment_init(s);
	inet_pton(AF_INET, "192.0.2.2", &s->src.v4);
	inet_pton(AF_INET, "192.0.2.1", &s->dst.v4);
	s->sport = 40000;
	s->dport = 8080;
	s->seq = 1000;
	s->flags = SEG_SYN;
	s->win = 65535;
}

/* Its IPv6 twin: from [2001:db8::2]:40000 to [2001:db8::1]:8080. */
static inline void fixture_base6_segment(struct segment *s)
{
	fixture_base_segment(s);
	s->family = AF_INET6;
	memset(&s->src, 0, sizeof(s->src));
	memset(&s->dst, 0, sizeof(s->dst));
	inet_pton(AF_INET6, "2001:db8::2", &s->src.v6);
	inet_pton(AF_INET6, "2001:db8::1", &s->dst.v6);
}

#endif
