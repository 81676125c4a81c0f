/* rig_opts.h - the options of the rig itself, for every command that runs
 * cases (run, matrix): how often an INCONCLUSIVE case is tried again, how
 * the rig's processes are scheduled (pacer.h), and the names packetdrill's
 * -D gives a value (case/defines.h).
 *
 * TCPRIG_RETRIES=N in the environment sets --retries's default: a CI job
 * sets it once for every command it runs.
 */
#ifndef TCPRIG_CMD_RIG_OPTS_H
#define TCPRIG_CMD_RIG_OPTS_H

#include <getopt.h>

#include "core/err.h"
#include "core/pacer.h"
#include "case/defines.h"

struct rig_opts {
	struct pacer_opts pacer;
	unsigned retries;
	struct case_defines defines;
};

/* getopt_long values, above any short option. */
enum {
	RIG_OPT_RETRIES = 0x100,
	RIG_OPT_CPU,
	RIG_OPT_REALTIME,
	RIG_OPT_NICE,
	RIG_OPT_SPIN,
	RIG_OPT_DEFINE = 'D', /* -D too, as packetdrill spells it */
};

#define RIG_OPTS_LONG                                                     \
	{ "retries", required_argument, NULL, RIG_OPT_RETRIES },          \
	{ "cpu", required_argument, NULL, RIG_OPT_CPU },                  \
	{ "realtime", no_argument, NULL, RIG_OPT_REALTIME },              \
	{ "nice", required_argument, NULL, RIG_OPT_NICE },                \
	{ "spin-us", required_argument, NULL, RIG_OPT_SPIN },             \
	{ "define", required_argument, NULL, RIG_OPT_DEFINE }

/* The defaults, TCPRIG_RETRIES read; a bad value is TR_USAGE. */
int rig_opts_init(struct rig_opts *o, struct tr_err *err);
/* 1 if opt was one of RIG_OPTS_LONG (taken), 0 if not, -1 on a bad value. */
int rig_opts_take(struct rig_opts *o, int opt, const char *arg, struct tr_err *err);
/* Their lines for a command's --help. */
void rig_opts_usage(FILE *f);

#endif
