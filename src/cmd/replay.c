/* tcprig replay: a captured conversation played against a live target in a
 * lab (pcap2case, then the runner), and where the target's answers first
 * differed from the recording's. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case/case.h"
#include "case/override.h"
#include "cmd/replay_int.h"
#include "cmd/rig_opts.h"
#include "cmd/subcommands.h"
#include "core/parse_num.h"
#include "lab/lab.h"
#include "lab/registry.h"
#include "report/ladder.h"
#include "run/pool.h"

#define REPLAY_SYSCTLS_MAX 16

static void replay_usage(FILE *f)
{
	fprintf(f,
		"Usage: %s replay CAPTURE [--flow N] [--side client|server] [options]\n"
		"       %s replay --list CAPTURE\n"
		"Plays one TCP conversation of a pcap or pcapng file against the live\n"
		"kernel in a throwaway lab: the rig sends what the chosen side sent, the\n"
		"target must answer as the other side did (see pcap2case --help for how\n"
		"the script is made). On a divergence it names the script line, the\n"
		"capture packet, the field, and what was recorded vs what came live.\n\n"
		"  --list CAPTURE      the TCP conversations of the capture, numbered:\n"
		"                      endpoints, packets, payload bytes, duration and\n"
		"                      how each ended (FIN, RST, open)\n"
		"  --flow N            the conversation (needed when there are several)\n"
		"  --side client|server  the side the rig plays (default client)\n"
		"  --keep-retransmits  keep retransmitted segments (default: dropped)\n"
		"  --sysctl NAME=VALUE a net.* sysctl in the target (repeatable)\n"
		"  --pcap FILE         the live run's capture\n"
		"  --json FILE         verdict, divergence and every event as JSON\n"
		"  --script FILE       the generated case script (tcprig run takes it)\n"
		"  --ladder            draw the ladder even when the replay matched\n"
		"  --tolerance-usecs N the timing tolerance (default the script's, 4000)\n",
		prog_name, prog_name);
	rig_opts_usage(f);
	fprintf(f,
		"Exit: 0 the target answered as recorded, 1 it diverged, 2 bad input\n"
		"(nothing sent), 3 could not run here (or INCONCLUSIVE: the rig was late).\n");
}

struct replay_ctx {
	const char *name;
	const struct casegen_script *cs;
	bool ladder;
	struct replay_divergence div;
};

static void replay_print(size_t i, const struct run_pool_case *c, void *arg)
{
	struct replay_ctx *x = arg;
	const struct run_result *res = &c->res;

	(void)i;
	if (c->ret) {
		printf("ERROR  %s  could not run: %s\n", x->name, c->err.msg);
		return;
	}
	printf("%s  %s  (%.2f s%s)\n", res->verdict == RUN_PASS ? "MATCH" :
				       res->verdict == RUN_FAIL ? "DIVERGED" :
								  run_verdict_name(res->verdict),
	       x->name, (double)res->elapsed_us / 1e6, c->ntries ? ", retried" : "");
	replay_divergence_find(res, x->cs, &x->div);
	if (res->verdict == RUN_FAIL) {
		replay_divergence_print(stdout, &x->div, res->reason);
	} else if (res->verdict != RUN_PASS) {
		for (const char *p = res->reason; *p;) {
			int n = (int)strcspn(p, "\n");

			printf("      %.*s\n", n, p);
			p += n + (p[n] == '\n');
		}
	}
	if (res->trace.n && (x->ladder || res->verdict != RUN_PASS)) {
		struct ladder_opts lo = { .colour = ladder_want_colour(stdout), .indent = "    " };

		ladder_print(stdout, &res->trace, &lo);
	}
	fflush(stdout);
}

int replay_main(int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "list", required_argument, NULL, 'l' },
		{ "flow", required_argument, NULL, 'f' },
		{ "side", required_argument, NULL, 's' },
		{ "keep-retransmits", no_argument, NULL, 'k' },
		{ "sysctl", required_argument, NULL, 'Y' },
		{ "pcap", required_argument, NULL, 'p' },
		{ "json", required_argument, NULL, 'J' },
		{ "script", required_argument, NULL, 'S' },
		{ "ladder", no_argument, NULL, 'L' },
		{ "tolerance-usecs", required_argument, NULL, 'T' },
		RIG_OPTS_LONG,
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct replay_case_opts ro = { .rig_is_client = true };
	struct run_config cfg = { .tolerance_us = -1, .tolerance_pct = -1 };
	struct casegen_script cs = { 0 };
	struct case_script script = { 0 }, ov = { 0 };
	bool parsed = false, overridden = false;
	struct run_pool_case *pc = NULL;
	struct replay_ctx x = { 0 };
	struct tr_err err = { 0 };
	struct rig_opts rig;
	struct flow flow;
	char *sysctls[REPLAY_SYSCTLS_MAX];
	size_t nsysctls = 0;
	const char *list = NULL, *json_path = NULL, *script_path = NULL;
	char name[4200], c_ep[64], s_ep[64];
	FILE *json = NULL;
	unsigned reaped;
	uint64_t num;
	int opt, signo, status = TR_OK;

	if (rig_opts_init(&rig, &err))
		goto fail;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		int taken = rig_opts_take(&rig, opt, optarg, &err);

		if (taken < 0)
			goto fail;
		if (taken)
			continue;
		switch (opt) {
		case 'l':
			list = optarg;
			break;
		case 'f':
			if (parse_u64("--flow", optarg, 1, 1u << 30, &num, &err))
				goto fail;
			ro.flow = (unsigned)num;
			break;
		case 's':
			if (replay_parse_side(optarg, &ro.rig_is_client, &err))
				goto fail;
			break;
		case 'k':
			ro.keep_retransmits = true;
			break;
		case 'Y':
			if (case_override_check("--sysctl", optarg, &err))
				goto fail;
			if (nsysctls == REPLAY_SYSCTLS_MAX) {
				err_usage(&err, "--sysctl: more than %d", REPLAY_SYSCTLS_MAX);
				goto fail;
			}
			sysctls[nsysctls++] = optarg;
			break;
		case 'p':
			cfg.pcap_path = optarg;
			break;
		case 'J':
			json_path = optarg;
			break;
		case 'S':
			script_path = optarg;
			break;
		case 'L':
			x.ladder = true;
			break;
		case 'T':
			if (parse_u64("--tolerance-usecs", optarg, 0, 10000000, &num, &err))
				goto fail;
			cfg.tolerance_us = (int64_t)num;
			break;
		case 'h':
			replay_usage(stdout);
			return TR_OK;
		default:
			err_usage(&err, "unknown or incomplete option '%s'", argv[optind - 1]);
			goto fail;
		}
	}
	if (list) {
		if (optind != argc) {
			err_usage(&err, "--list takes the capture alone ('%s' too)", argv[optind]);
			goto fail;
		}
		return replay_list(list);
	}
	if (optind != argc - 1) {
		err_usage(&err, "%s (see '%s replay --help')",
			  optind == argc ? "no capture given" : "one capture at a time", prog_name);
		goto fail;
	}
	ro.path = argv[optind];
	if (replay_case_make(&ro, &flow, &cs, &err))
		goto fail;
	snprintf(name, sizeof(name), "%s#%u", ro.path, flow.number);
	if (script_path) {
		FILE *f = fopen(script_path, "w");

		if (!f || fputs(cs.text, f) < 0 || fclose(f)) {
			err_usage(&err, "--script %s: %s", script_path, strerror(errno));
			goto fail;
		}
	}
	if (case_parse_string(name, cs.text, &script, &err)) {
		/* Something pcap2case wrote that the dialect does not take. */
		err.status = TR_USAGE;
		goto fail;
	}
	parsed = true;
	if (case_override_sysctls(&script, sysctls, nsysctls, &ov, &err))
		goto fail;
	overridden = true;
	if (json_path && !(json = fopen(json_path, "w"))) {
		err_usage(&err, "--json %s: %s", json_path, strerror(errno));
		goto fail;
	}
	cfg.pacer = rig.pacer;
	if (pacer_check(&cfg.pacer, &err) || lab_check_privileges(&err) ||
	    lab_reap_stale(&reaped, &err))
		goto fail;
	lab_install_signal_cleanup();
	pc = calloc(1, sizeof(*pc));
	if (!pc) {
		err_sys(&err, "replay");
		goto fail;
	}
	pc->script = &ov;
	pc->cfg = cfg;
	pc->retries = rig.retries;
	x.name = name;
	x.cs = &cs;
	printf("replay %s flow %u: client %s, server %s, packets #%lu..#%lu; the rig plays the %s\n",
	       ro.path, flow.number, flow_ep_format(flow.family, &flow.client, c_ep, sizeof(c_ep)),
	       flow_ep_format(flow.family, &flow.server, s_ep, sizeof(s_ep)), flow.first_rec,
	       flow.last_rec, ro.rig_is_client ? "client" : "server");
	fflush(stdout);
	if (run_pool_run(pc, 1, 1, replay_print, &x, &signo, &err))
		goto fail;
	if (signo) {
		fflush(stdout);
		signal(signo, SIG_DFL);
		raise(signo);
		status = 128 + signo;
		goto out;
	}
	status = pc->ret ? TR_ENV :
		 pc->res.verdict == RUN_PASS ? TR_OK :
		 pc->res.verdict == RUN_FAIL ? TR_FAILED :
					       TR_ENV;
	if (json) {
		struct report_case rc = { .path = name, .ret = pc->ret, .err = &pc->err,
					  .res = &pc->res, .tries = pc->tries,
					  .ntries = pc->ntries };
		struct replay_json j = { .capture = ro.path, .flow = flow.number,
					 .rig_is_client = ro.rig_is_client,
					 .verdict = status == TR_OK ? "MATCH" :
						    status == TR_FAILED ? "DIVERGED" : "ERROR",
					 .div = &x.div, .rc = &rc };

		if (replay_json_write(json, &j, &err)) {
			fprintf(stderr, "%s replay: %s\n", prog_name, err.msg);
			status = TR_ENV;
		}
	}
	goto out;
fail:
	fprintf(stderr, "%s replay: %s\n", prog_name, err.msg);
	status = err.status ? (int)err.status : TR_ENV;
out:
	if (json)
		fclose(json);
	if (pc)
		trace_free(&pc->res.trace);
	free(pc);
	if (overridden)
		case_override_free(&ov);
	if (parsed)
		case_script_free(&script);
	casegen_script_free(&cs);
	return status;
}
