/* casegen_opts.h - what pcap2case's generator (run/casegen.h) is asked
 * for, and where it reads the conversation from: the words its passes
 * share (casegen_body.h), below the generator itself.
 */
#ifndef TCPRIG_RUN_CASEGEN_OPTS_H
#define TCPRIG_RUN_CASEGEN_OPTS_H

#include <stdbool.h>

#include "core/err.h"
#include "wire/flow.h"

struct casegen_opts {
	const char *source;     /* the capture's name, for the header */
	const struct flow *flow; /* its number and endpoints, for the header */
	bool rig_is_client;
	bool keep_retransmits;
	const char *note;       /* one more header line (may be NULL) */
	char *const *sysctls;   /* "NAME=VALUE": --sysctl lines of the script */
	size_t nsysctls;
};

/* Where a conversation's segments come from, in capture order, as many
 * times as it is rewound (payloads are not needed). */
struct casegen_src {
	int (*rewind)(void *ctx, struct tr_err *err);
	/* 1 and *p, 0 at the end, -1 and err */
	int (*next)(void *ctx, struct flow_pkt *p, struct tr_err *err);
	void *ctx;
};

#endif
