/* remote_opts.h - the options that point `run`, `matrix`, `replay` and
 * `probe` at another host instead of a lab (--target, --iface, --agent, --token-file, --rig-addr, --port,
 * --i-mean-it), their checks, and the set-up they need before any case:
 * the agent's token tried, the phantom chosen and checked by ARP, the
 * target's MAC learnt, and the ARP responder for the phantom started.
 *
 * --rig-addr self: IF's own address instead of a phantom, no ARP responder,
 * and an nftables table (rst_guard.h) that keeps the rig's kernel from
 * resetting the target's segments, removed by remote_opts_stop.
 *
 * Safety: IF must carry no default route (else --i-mean-it), must not
 * forward, and the target must be on IF's subnet; the crafter then sends
 * only to the target (craft_restrict_to).
 */
#ifndef TCPRIG_CMD_REMOTE_OPTS_H
#define TCPRIG_CMD_REMOTE_OPTS_H

#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>

#include "core/err.h"
#include "run/config.h"
#include "wire/rst_guard.h"

struct remote_opts {
	const char *target, *iface, *agent, *token_file, *rig_addr;
	unsigned port;
	bool i_mean_it;
	pid_t responder; /* the phantom's ARP responder, once started */
	struct rst_guard guard; /* --rig-addr self: the rule against its RSTs */
};

enum {
	REMOTE_OPT_TARGET = 0x180,
	REMOTE_OPT_IFACE,
	REMOTE_OPT_AGENT,
	REMOTE_OPT_TOKEN,
	REMOTE_OPT_RIG_ADDR,
	REMOTE_OPT_PORT,
	REMOTE_OPT_I_MEAN_IT,
};

/* probe has a --port of its own (the port it sends to): it takes these. */
#define REMOTE_OPTS_LONG_NO_PORT                                         \
	{ "target", required_argument, NULL, REMOTE_OPT_TARGET },        \
	{ "iface", required_argument, NULL, REMOTE_OPT_IFACE },          \
	{ "agent", required_argument, NULL, REMOTE_OPT_AGENT },          \
	{ "token-file", required_argument, NULL, REMOTE_OPT_TOKEN },     \
	{ "rig-addr", required_argument, NULL, REMOTE_OPT_RIG_ADDR },    \
	{ "i-mean-it", no_argument, NULL, REMOTE_OPT_I_MEAN_IT }

#define REMOTE_OPTS_LONG                                                 \
	REMOTE_OPTS_LONG_NO_PORT,                                        \
	{ "port", required_argument, NULL, REMOTE_OPT_PORT }

/* 1 if opt was one of REMOTE_OPTS_LONG (taken), 0 if not, -1 bad value. */
int remote_opts_take(struct remote_opts *o, int opt, const char *arg, struct tr_err *err);
/* Their lines for a command's --help; port: --port's line too. */
void remote_opts_usage(FILE *f, bool port);
/* True if --target was given. Checks that the other options go with it
 * (TR_USAGE): every check that needs no network. */
int remote_opts_check(const struct remote_opts *o, bool *remote, struct tr_err *err);
/* The network set-up (see above), into rm; note says what it chose (one
 * line). The responder runs until remote_opts_stop. */
int remote_opts_setup(struct remote_opts *o, struct run_remote *rm, char *note, size_t cap,
		      struct tr_err *err);
void remote_opts_stop(struct remote_opts *o);

#endif
