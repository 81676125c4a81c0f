/* rig_opts.c - --retries, --cpu, --realtime, --nice. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "cmd/rig_opts.h"
#include "core/parse_num.h"
#include "run/pool.h"
#include "run/config.h"

int rig_opts_init(struct rig_opts *o, struct tr_err *err)
{
	const char *env = getenv("TCPRIG_RETRIES");
	uint64_t n;

	struct run_stall stall;

	*o = (struct rig_opts){ 0 };
	if (run_stall_parse(getenv("TCPRIG_STALL"), &stall, err))
		return -1;
	if (env && *env) {
		if (parse_u64("TCPRIG_RETRIES", env, 0, RUN_RETRIES_MAX, &n, err))
			return -1;
		o->retries = (unsigned)n;
	}
	return 0;
}

static int rig_opts_nice(const char *arg, int *out, struct tr_err *err)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(arg, &end, 10);
	if (errno || end == arg || *end || v < -20 || v > 19)
		return err_usage(err, "--nice: '%s' is not a number in -20..19", arg);
	*out = (int)v;
	return 0;
}

int rig_opts_take(struct rig_opts *o, int opt, const char *arg, struct tr_err *err)
{
	uint64_t n;

	switch (opt) {
	case RIG_OPT_RETRIES:
		if (parse_u64("--retries", arg, 0, RUN_RETRIES_MAX, &n, err))
			return -1;
		o->retries = (unsigned)n;
		return 1;
	case RIG_OPT_CPU:
		if (parse_u64("--cpu", arg, 0, 4095, &n, err))
			return -1;
		o->pacer.pin = true;
		o->pacer.cpu = (unsigned)n;
		return 1;
	case RIG_OPT_REALTIME:
		o->pacer.realtime = true;
		return 1;
	case RIG_OPT_SPIN:
		if (parse_u64("--spin-us", arg, 1, PACER_SPIN_MAX_US, &n, err))
			return -1;
		o->pacer.spin_us = (unsigned)n;
		return 1;
	case RIG_OPT_NICE:
		if (rig_opts_nice(arg, &o->pacer.nice, err))
			return -1;
		o->pacer.nice_set = true;
		return 1;
	case RIG_OPT_DEFINE:
		if (case_define_add(&o->defines, arg, err))
			return -1;
		return 1;
	}
	return 0;
}

void rig_opts_usage(FILE *f)
{
	fprintf(f,
		"  --retries N         run an INCONCLUSIVE case again, each try in a fresh\n"
		"                      lab, up to N more times (0..%d; default 0, or\n"
		"                      TCPRIG_RETRIES); every try is reported, and a FAIL\n"
		"                      is never tried again\n"
		"  --cpu N             pin each case's rig (runner and agent) to CPU N\n"
		"  --realtime          run the rig SCHED_FIFO (needs CAP_SYS_NICE and\n"
		"                      real-time runtime; refused with a clear message)\n"
		"  --nice N            the rig's nice value, -20..19 (default %d: a loaded\n"
		"                      machine delays the rig less)\n"
		"  --spin-us N         spin the last N us before each scheduled action\n"
		"                      instead of sleeping (default %d; on a virtual\n"
		"                      machine whose idle vCPU wakes late, the gap)\n"
		"  -D, --define NAME=VALUE\n"
		"                      give a name a script uses its value, as\n"
		"                      packetdrill's -D does (TFO_COOKIE=3021b9d889017eeb)\n",
		RUN_RETRIES_MAX, PACER_NICE_DEFAULT, PACER_SPIN_US);
}
