/* twtable.h - the TIME_WAIT matrix for people and machines: the terminal
 * table, JSON, and the HTML page.
 *
 * The table: a row per kind x position, a column per timestamp x
 * tcp_rfc1337, each cell "reply state" (twcell.h), '!' after a cell that
 * contradicts an RFC statement (twrfc.h); under it each contradicted
 * statement with its cells, and which cells a rate limit governs. Rows and
 * columns with no cell run (--only) are left out.
 *
 * JSON: {"events": "timewait", "window": W, "cells": [...]}, a cell with its
 * family, kind, position, seq_offset, ts, rfc1337, verdict, reply,
 * reply_segment, replies, state, outcome, ratelimit, flags (rfc, section,
 * says) and pcap. Everything but reply_segment (its TS vals are the clock's)
 * is the same from run to run on the same kernel.
 *
 * HTML: one self-contained page (inline CSS, no script), the table with
 * each cell linked to its section: the outcome, the flags, the case's pcap
 * (a relative link, when pcaps were written) and its ladder as SVG.
 */
#ifndef TCPRIG_REPORT_TWTABLE_H
#define TCPRIG_REPORT_TWTABLE_H

#include <stdbool.h>
#include <stdio.h>

#include "core/err.h"
#include "report/twcell.h"

struct tw_table {
	struct tw_cell *cells; /* in tw_index order, only those that ran */
	size_t n;
	uint32_t window;
	const char *const *pcaps; /* per cell, as the page links it; NULL: none */
	const char *title;	  /* the page's and the table's first line */
};

void tw_table_print(FILE *f, const struct tw_table *t, bool colour);
int tw_table_json(FILE *f, const struct tw_table *t, struct tr_err *err);
int tw_table_html(FILE *f, const struct tw_table *t, struct tr_err *err);

#endif
