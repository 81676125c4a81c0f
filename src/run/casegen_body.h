/* casegen_body.h - one pass of pcap2case's generator over a conversation
 * (run/casegen.c runs it twice: a dry run that learns what the header says
 * and the send buffer the writes need, then the real one).
 *
 * The segments come from the source in capture order and go through the
 * window (casegen_win.h), which holds what a line still needs to look
 * ahead at; each becomes its line, in the script's order, with the socket
 * calls the target made around it (casegen.h says which). Memory: the
 * window's, never the conversation's.
 */
#ifndef TCPRIG_RUN_CASEGEN_BODY_H
#define TCPRIG_RUN_CASEGEN_BODY_H

#include <stdbool.h>

#include "core/err.h"
#include "run/casegen_opts.h"
#include "run/casegen_shape.h"
#include "run/casegen_text.h"

/* The script's body into g, from the shape the first pass learned; sets
 * sh->sndbuf when learn is true (the dry run), else writes the one it has.
 * A source that ends otherwise than the first pass saw it (the file
 * changed) is an error (TR_USAGE). */
int cg_body_pass(const struct casegen_src *src, const struct casegen_opts *o,
		 struct cg_shape *sh, struct cg *g, bool learn, struct tr_err *err);

/* The header's lines on the windows the target's timers got (cg->timers,
 * cg->delacks of the dry run, or a joint script's sums). */
void cg_timer_notes(struct cg *h, unsigned timers, unsigned delacks);

#endif
