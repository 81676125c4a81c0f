/* casegen.h - one captured TCP conversation turned into a case script
 * (tcprig pcap2case; tcprig replay runs what it makes).
 *
 * The side the rig plays (the client unless rig_is_client is false) becomes
 * `<` lines, the other side `>` expectations against the live target, at
 * the lab's addresses and ports (the target's port 8080, the rig's 40000
 * when the rig connects, 8080 when the target does). The target's
 * application is inferred as socket calls: socket/bind/listen and accept
 * after the handshake, or a blocking connect; a write before each chunk of
 * data it sent (a chunk ends at a segment with PSH or FIN), a read of each
 * in-order segment it received; shutdown(SHUT_WR) at its FIN when it still
 * received data afterwards, else close; SO_LINGER {1, 0} and close before
 * an RST it sent on a connection it had not closed (not one before its
 * connect's answer: that was its kernel's, in SYN_SENT). Times are the
 * capture's, relative; numbers as casegen_num.h rewrites them, except a
 * segment of the rig's before its own SYN or SYN-ACK (an older
 * incarnation answering the target's SYN: LAST_ACK's FIN), whose seq is
 * absolute in the rig's space, as the runner reads it; `>` lines leave the
 * window unchecked (the live target's buffers are its own).
 * Retransmissions are dropped unless keep_retransmits; a SYN its side
 * sends again after a segment without SYN (an old duplicate into
 * TIME_WAIT, a connect trying again after its RST) is none: kept.
 *
 * Every line that stands for a captured segment ends with "// #N", its
 * capture record number, and line_rec maps every script line to it (a call
 * line to the segment it was inferred from): replay's divergence report
 * names the packet. A conversation without its client's SYN, with a segment
 * bigger than the rig's frames, or longer than CASEGEN_MAX_SECONDS, is
 * refused (TR_USAGE, with the reason), never guessed.
 *
 * Streaming: the conversation is read three times from its source (the
 * shape, casegen_shape.h; a dry run that learns what the header says; the
 * lines), each pass holding only a window of it (casegen_win.h), so a
 * script of any length is written in bounded memory (casegen_write).
 * casegen_collect and casegen_make keep the script in memory instead, for
 * replay, which runs it.
 */
#ifndef TCPRIG_RUN_CASEGEN_H
#define TCPRIG_RUN_CASEGEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "core/err.h"
#include "run/casegen_opts.h"
#include "wire/flow.h"

/* A replay plays in real time: a conversation longer than this is refused. */
#define CASEGEN_MAX_SECONDS 3600

struct casegen_script {
	char *text;
	unsigned long *line_rec; /* [l - 1]: capture record of line l; 0: none */
	size_t nlines;
	size_t retransmits;      /* found in the conversation */
	bool kept;               /* ... and kept in the script */
};

/* A conversation read and judged, ready to be written: what the first two
 * passes learned. */
struct casegen_gen;

/* Reads src twice; NULL and err when the conversation cannot be a script.
 * src and o are used again by the calls below (o's note may change). */
struct casegen_gen *casegen_prepare(const struct casegen_src *src, const struct casegen_opts *o,
				    struct tr_err *err);
/* The conversation's segments. */
size_t casegen_packets(const struct casegen_gen *gen);
/* The script to f as it is made: memory O(the window), not O(the script). */
int casegen_write(struct casegen_gen *gen, FILE *f, struct tr_err *err);
/* The script into memory, with its line -> packet map. */
int casegen_collect(struct casegen_gen *gen, struct casegen_script *out, struct tr_err *err);
void casegen_gen_free(struct casegen_gen *gen);

/* prepare and collect over the segments p[0..n). */
/* The segments of an array, read in order, as a source: casegen_make's,
 * and the parts of casegen_joint_collect held in memory (the tests'). */
struct casegen_array {
	const struct flow_pkt *p;
	size_t n, i;
};

struct casegen_src casegen_array_src(struct casegen_array *a);

int casegen_make(const struct flow_pkt *p, size_t n, const struct casegen_opts *o,
		 struct casegen_script *out, struct tr_err *err);

/* For a script of several conversations (casegen_joint.h): the shape the
 * first passes learned (its numbers may be shifted before the body is
 * made), the dry run's counts, and the body's lines into g, which carries
 * its clock, fd names and ports from one conversation to the next. */
struct cg;
struct cg_shape;
struct cg_shape *casegen_gen_shape(struct casegen_gen *gen);
const struct cg *casegen_gen_dry(const struct casegen_gen *gen);
int casegen_body(struct casegen_gen *gen, struct cg *g, struct tr_err *err);
/* A header's lines and a body's into one script with its line map; -1
 * when out of memory (out then partly made: free it). */
int casegen_script_join(const struct cg *h, const struct cg *g, struct casegen_script *out);

/* The capture record of script line `line`, 0 if none. */
unsigned long casegen_line_rec(const struct casegen_script *s, int line);

void casegen_script_free(struct casegen_script *s);

#endif
