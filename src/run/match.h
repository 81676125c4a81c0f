/* match.h - does a live segment hold what a `>` line expects?
 *
 * The comparison is on wire numbers (map.h turns the line into them); what
 * a mismatch says is in the script's numbers (relative seq and ack, TS val
 * mapped back), as the script's author wrote them.
 *
 * Fields are compared in a fixed order and the first difference is the
 * answer: ports, flags, seq, payload length, ack, win, urg, the IP marks,
 * options, checksum.
 *  - flags all, but PSH under --loose_psh (loose_psh);
 *  - ack only if the line wrote `ack N` and the ACK flag; win and urg only if
 *    the line wrote them; options only if the line wrote an option list and
 *    it is not `<...>`; the IPv4 TOS / IPv6 traffic class only as a mark
 *    the line wrote says (`[ect0]`: its ECN bits, `[ect01]`: ECT(0) or
 *    ECT(1), `[tos 0x10]`: the byte).
 *  - Options kind by kind, in order, nop and eol included: mss, wscale and
 *    sack blocks exactly, TS val within the tolerance (in TS units, either
 *    way, modulo 2^32), TS ecr exactly (or within A~B, CASE_PKT_ECR_RANGE,
 *    compared in the script's numbers), an unknown kind by its bytes. Trailing
 *    eol padding that only one side has is not a difference.
 *  - The checksum: a script cannot ask for a bad one, so a live segment
 *    whose TCP checksum did not verify fails.
 * Field names: "tcp sport", "tcp dport", "tcp flags", "tcp seq", "tcp len",
 * "tcp ack", "tcp win", "tcp urg", "ip ecn", "ip tos", "tcp option N" (N
 * counts from 1; a different kind, or one missing), "tcp option N (mss|
 * wscale|sack|TS val|TS ecr|kind K)", "tcp checksum".
 */
#ifndef TCPRIG_MATCH_H
#define TCPRIG_MATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "case/case.h"
#include "core/segment.h"

struct match_result {
	bool ok;
	char field[32];	   /* "tcp ack", "tcp option 3 (TS ecr)" */
	char expected[64]; /* in script notation and numbers */
	char actual[64];
	char message[256]; /* "tcp ack: expected 1, actual 2" */
};

struct match_args {
	unsigned given;			  /* the line's CASE_PKT_* bits */
	const struct segment *exp_wire;	  /* the line in wire numbers */
	const struct segment *act_wire;	  /* the live segment */
	const struct segment *exp_script; /* the line as written; NULL: exp_wire */
	const struct segment *act_script; /* map_to_script(live); NULL: act_wire */
	uint32_t ts_tolerance;		  /* TS val units */
	uint32_t ecr_hi;		  /* CASE_PKT_ECR_RANGE: the range's end, in the
					   * script's numbers like exp_script's ecr */
	bool loose_psh;			  /* --loose_psh: PSH not compared */
};

/* Fills r; returns r->ok. */
bool match_segment(const struct match_args *a, struct match_result *r);

/* What the line accepts, for printing: the line's segment, with the fields
 * it leaves open (ack, win, urg, options) taken from the actual one. */
void match_expected_view(const struct case_packet *line, const struct segment *act_script,
			 struct segment *out);

/* A mismatch as the runner prints it, '\n' after each line:
 *	where: the line as written
 *	  expected: <match_expected_view, script notation>
 *	  actual:   <act_script, script notation>
 *	  <r->message>
 * where is "path:line". Returns the length snprintf would have written. */
int match_report(char *buf, size_t cap, const char *where, const char *text,
		 const struct case_packet *line, const struct segment *act_script,
		 const struct match_result *r);

#endif
