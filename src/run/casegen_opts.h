/* casegen_opts.h - what pcap2case's generator (run/casegen.h) is asked
 * for, and where it reads the conversation from: the words its passes
 * share (casegen_body.h), below the generator itself.
 */
#ifndef TCPRIG_RUN_CASEGEN_OPTS_H
#define TCPRIG_RUN_CASEGEN_OPTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "wire/flow.h"

/* A sysctl the recording changed on the way (CAPTURE.settings'
 * `--sysctl-at TIME NAME=VALUE`, casegen_knobs.h): the script sets it with
 * a shell line at that moment, among the packets. */
#define CASEGEN_KNOB_TEXT 160
struct casegen_knob {
	int64_t ns;                  /* on the capture's clock: ns since the epoch */
	char set[CASEGEN_KNOB_TEXT]; /* "NAME=VALUE" */
};

struct casegen_opts {
	const char *source;     /* the capture's name, for the header */
	const struct flow *flow; /* its number and endpoints, for the header */
	bool rig_is_client;
	bool keep_retransmits;
	const char *note;       /* one more header line (may be NULL) */
	char *const *sysctls;   /* "NAME=VALUE": --sysctl lines of the script */
	size_t nsysctls;
	const struct casegen_knob *knobs; /* in time order (casegen_knobs_sort) */
	size_t nknobs;
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
