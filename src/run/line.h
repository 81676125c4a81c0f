/* line.h - a packet line and a live segment, in each other's numbers.
 */
#ifndef TCPRIG_RUN_LINE_H
#define TCPRIG_RUN_LINE_H

#include "run/map.h"
#include "run/match.h"
#include "run/runner_int.h"

/* A `>` line held up against a live segment: everything a verdict needs. */
struct candidate {
	struct case_packet shifted;
	const struct case_packet *p; /* the line, its TS val moved with the timeline */
	struct segment expected, view;
	struct map_learned learned;
	struct map_tuple t;
	struct match_result mr;
};

/* The connection a packet line means: its own ports, else the default (for
 * a `>` line, live's ports where the case has none yet). */
void runner_tuple(struct runner *r, const struct case_event *ev, const struct segment *live,
		  struct map_tuple *t);
/* The case's default connection takes t's ports, unless the line names its own. */
void runner_adopt_ports(struct runner *r, const struct case_event *ev, const struct map_tuple *t);
/* 1 if live holds line ev, 0 if not (c->mr says why), -1 if the line cannot
 * be mapped (merr). Learns nothing. */
int runner_candidate(struct runner *r, const struct case_event *ev, const struct segment *live,
		     struct candidate *c, struct tr_err *merr);
/* Would live hold what `>` line ev expects, at its window? Looks
 * only: nothing is learned or reported. If it does, text gets it as the
 * line sees it: "8080>40000 . 2:2(0) ack 2 ...", script numbers. */
bool runner_line_matches(struct runner *r, const struct case_event *ev,
			 const struct segment *live, char *text, size_t cap);
/* A target segment in the script's numbers: "8080>40000 . 2:2(0) ack 2 ...". */
void runner_segment_text(struct runner *r, const struct segment *live, char *buf, size_t cap);

#endif
