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
 * an RST it sent on a connection it had not closed. Times are the
 * capture's, relative; numbers as casegen_num.h rewrites them; `>` lines
 * leave the window unchecked (the live target's buffers are its own).
 * Retransmissions are dropped unless keep_retransmits.
 *
 * Every line that stands for a captured segment ends with "// #N", its
 * capture record number, and line_rec maps every script line to it (a call
 * line to the segment it was inferred from): replay's divergence report
 * names the packet. A conversation without its client's SYN, with a segment
 * bigger than the rig's frames, or longer than CASEGEN_MAX_SECONDS, is
 * refused (TR_USAGE, with the reason), never guessed.
 */
#ifndef TCPRIG_RUN_CASEGEN_H
#define TCPRIG_RUN_CASEGEN_H

#include <stdbool.h>
#include <stddef.h>

#include "core/err.h"
#include "wire/flow.h"

/* A replay plays in real time: a conversation longer than this is refused. */
#define CASEGEN_MAX_SECONDS 3600

struct casegen_opts {
	const char *source;     /* the capture's name, for the header */
	const struct flow *flow; /* its number and endpoints, for the header */
	bool rig_is_client;
	bool keep_retransmits;
	const char *note;       /* one more header line (may be NULL) */
	char *const *sysctls;   /* "NAME=VALUE": --sysctl lines of the script */
	size_t nsysctls;
};

struct casegen_script {
	char *text;
	unsigned long *line_rec; /* [l - 1]: capture record of line l; 0: none */
	size_t nlines;
	size_t retransmits;      /* found in the conversation */
	bool kept;               /* ... and kept in the script */
};

int casegen_make(const struct flow_pkt *p, size_t n, const struct casegen_opts *o,
		 struct casegen_script *out, struct tr_err *err);

/* The capture record of script line `line`, 0 if none. */
unsigned long casegen_line_rec(const struct casegen_script *s, int line);

void casegen_script_free(struct casegen_script *s);

#endif
