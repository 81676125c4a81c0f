/* tcprig replay: a captured conversation played against a live target in a
 * lab, or on another host with --target (pcap2case, then the runner, as
 * `run` plays a case), and where the target's answers first differed from
 * the recording's. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "case/case.h"
#include "case/override.h"
#include "cmd/capture_settings.h"
#include "cmd/remote_opts.h"
#include "cmd/replay_int.h"
#include "cmd/rig_opts.h"
#include "cmd/subcommands.h"
#include "core/parse_num.h"
#include "lab/lab.h"
#include "lab/registry.h"
#include "report/ladder.h"
#include "run/casegen_knobs.h"
#include "run/pool.h"
#include "run/pool_check.h"
#include "wire/flow_read.h"

#define REPLAY_SYSCTLS_MAX 16

/* One flow of the replay: its script, the case made of it, its divergence. */
struct replay_flow {
	struct flow flow;
	struct casegen_script cs;
	struct case_script script, ov;
	bool parsed, overridden;
	bool rig_is_client;     /* the side settled for this flow */
	char name[4200];
	char pcap[4200];
	struct replay_divergence div;
};

struct replay_ctx {
	struct replay_flow *flows;
	bool ladder;
	unsigned matched, diverged, skipped, errors;
};

static void replay_print(size_t i, const struct run_pool_case *c, void *arg)
{
	struct replay_ctx *x = arg;
	struct replay_flow *rf = &x->flows[i];
	const struct run_result *res = &c->res;

	if (c->ret) {
		printf("ERROR  %s  could not run: %s\n", rf->name, c->err.msg);
		x->errors++;
		return;
	}
	printf("%s  %s  (%.2f s%s)\n", res->verdict == RUN_PASS ? "MATCH" :
				       res->verdict == RUN_FAIL ? "DIVERGED" :
								  run_verdict_name(res->verdict),
	       rf->name, (double)res->elapsed_us / 1e6, c->ntries ? ", retried" : "");
	x->matched += res->verdict == RUN_PASS;
	x->diverged += res->verdict == RUN_FAIL;
	x->skipped += res->verdict == RUN_SKIP;
	x->errors += res->verdict == RUN_INCONCLUSIVE;
	replay_divergence_find(res, &rf->cs, &rf->div);
	if (res->verdict == RUN_FAIL) {
		replay_divergence_print(stdout, &rf->div, res->reason);
	} else if (res->verdict != RUN_PASS) {
		for (const char *p = res->reason; *p;) {
			int n = (int)strcspn(p, "\n");

			printf("      %.*s\n", n, p);
			p += n + (p[n] == '\n');
		}
	}
	if (res->trace.n && (x->ladder || res->verdict == RUN_FAIL ||
			     res->verdict == RUN_INCONCLUSIVE)) {
		struct ladder_opts lo = { .colour = ladder_want_colour(stdout), .indent = "    " };

		ladder_print(stdout, &res->trace, &lo);
	}
	fflush(stdout);
}

/* Flow number's script and case; with --all a flow that cannot be made into
 * one is a SKIP that says why, alone it is bad input. */
static int replay_flow_make(struct replay_case_opts ro, unsigned number, bool all,
			    char *const *sysctls, size_t nsysctls, struct replay_flow *rf,
			    struct run_pool_case *pc, struct tr_err *err)
{
	struct tr_err e = { 0 };

	ro.flow = number;
	snprintf(rf->name, sizeof(rf->name), "%s#%u", ro.path, number ? number : 1);
	if (!replay_case_make(&ro, &rf->flow, &rf->cs, &e))
		snprintf(rf->name, sizeof(rf->name), "%s#%u", ro.path, rf->flow.number);
	rf->rig_is_client = ro.rig_is_client;
	if (e.msg[0] || case_parse_string(rf->name, rf->cs.text, &rf->script, &e)) {
		if (!all || e.status != TR_USAGE) {
			*err = e;
			err->status = e.status ? e.status : TR_USAGE;
			return -1;
		}
		run_pool_case_skip(pc, e.msg);
		return 0;
	}
	rf->parsed = true;
	if (case_override_sysctls(&rf->script, sysctls, nsysctls, &rf->ov, err))
		return -1;
	rf->overridden = true;
	pc->script = &rf->ov;
	return 0;
}

static int replay_write_json(FILE *f, const char *capture, bool rig_is_client,
			     const struct replay_flow *flows, const struct run_pool_case *pc,
			     size_t n, struct tr_err *err)
{
	struct report_case *rc = calloc(n ? n : 1, sizeof(*rc));
	struct replay_json_flow *jf = calloc(n ? n : 1, sizeof(*jf));
	struct replay_json j = { .capture = capture, .rig_is_client = rig_is_client,
				 .flows = jf, .rc = rc, .n = n };
	int ret;

	if (!rc || !jf) {
		free(rc);
		free(jf);
		return err_sys(err, "--json");
	}
	for (size_t i = 0; i < n; i++) {
		rc[i] = (struct report_case){ .path = flows[i].name, .ret = pc[i].ret,
					      .err = &pc[i].err, .res = &pc[i].res,
					      .tries = pc[i].tries, .ntries = pc[i].ntries };
		jf[i] = (struct replay_json_flow){
			.flow = flows[i].flow.number ? flows[i].flow.number : (unsigned)i + 1,
			.verdict = pc[i].ret ? "ERROR" :
				   pc[i].res.verdict == RUN_PASS ? "MATCH" :
				   pc[i].res.verdict == RUN_FAIL ? "DIVERGED" :
								   run_verdict_name(pc[i].res.verdict),
			.div = &flows[i].div,
		};
	}
	ret = replay_json_write(f, &j, err);
	free(rc);
	free(jf);
	return ret;
}

int replay_main(int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "list", required_argument, NULL, 'l' },
		{ "flow", required_argument, NULL, 'f' },
		{ "all", no_argument, NULL, 'a' },
		{ "flows", required_argument, NULL, 'F' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "side", required_argument, NULL, 's' },
		{ "keep-retransmits", no_argument, NULL, 'k' },
		{ "sysctl", required_argument, NULL, 'Y' },
		{ "pcap", required_argument, NULL, 'p' },
		{ "json", required_argument, NULL, 'J' },
		{ "script", required_argument, NULL, 'S' },
		{ "ladder", no_argument, NULL, 'L' },
		{ "tolerance-usecs", required_argument, NULL, 'T' },
		{ "no-settings", no_argument, NULL, 'N' },
		RIG_OPTS_LONG,
		REMOTE_OPTS_LONG,
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct replay_case_opts ro = { .rig_is_client = true };
	struct run_config cfg = { .tolerance_us = -1, .tolerance_pct = -1 };
	struct replay_flow *flows = NULL;
	struct run_pool_case *pc = NULL;
	struct replay_ctx x = { 0 };
	struct tr_err err = { 0 };
	struct rig_opts rig;
	struct remote_opts rmo = { 0 };
	static struct run_remote remote;
	char remote_note[256] = "";
	bool remote_on, jobs_set = false;
	char *sysctls[REPLAY_SYSCTLS_MAX];
	size_t nsysctls = 0, n = 0;
	const char *list = NULL, *json_path = NULL, *script_path = NULL, *pcap = NULL;
	bool all = false, side_given = false, settings = true;
	struct capture_settings set = { 0 };
	unsigned jobs = run_pool_default_jobs(), reaped;
	FILE *json = NULL;
	uint64_t num;
	int opt, signo, status = TR_OK;

	if (rig_opts_init(&rig, &err))
		goto fail;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "j:", opts, NULL)) != -1) {
		int taken = rig_opts_take(&rig, opt, optarg, &err);

		/* The case is generated: no script of the user's names anything. */
		if (taken > 0 && opt == RIG_OPT_DEFINE) {
			err_usage(&err, "--define %s: replay writes its own case; -D is for run and matrix",
				  optarg);
			goto fail;
		}
		if (!taken)
			taken = remote_opts_take(&rmo, opt, optarg, &err);
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
		case 'a':
			all = true;
			break;
		case 'F':
			if (replay_parse_flows(optarg, &ro, &err))
				goto fail;
			break;
		case 'j':
			if (parse_u64("--jobs", optarg, 1, RUN_POOL_JOBS_MAX, &num, &err))
				goto fail;
			jobs = (unsigned)num;
			jobs_set = true;
			break;
		case 's':
			if (replay_parse_side(optarg, &ro, &err))
				goto fail;
			side_given = true;
			break;
		case 'N':
			settings = false;
			break;
		case 'k':
			ro.keep_retransmits = true;
			break;
		case 'Y':
			if (case_override_add(optarg, sysctls, &nsysctls, REPLAY_SYSCTLS_MAX, &err))
				goto fail;
			break;
		case 'p':
			pcap = optarg;
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
	if ((all || ro.flow) && (ro.nflows || ro.flows_all)) {
		err_usage(&err, "--flows and --%s: one or the other", all ? "all" : "flow");
		goto fail;
	}
	if (all && ro.flow) {
		err_usage(&err, "--all and --flow %u: one or the other", ro.flow);
		goto fail;
	}
	if (all && script_path) {
		err_usage(&err, "--script: one flow at a time, not with --all");
		goto fail;
	}
	if (remote_opts_check(&rmo, &remote_on, &err))
		goto fail;
	if (remote_on && jobs_set && jobs > 1) {
		err_usage(&err, "--target: one flow at a time (-j N is lab only)");
		goto fail;
	}
	if (remote_on) {
		jobs = 1;
		cfg.remote = &remote;
	}
	ro.path = argv[optind];
	if (settings && replay_settings_take(&ro, side_given, &set, &err))
		goto fail;
	/* A knob given here holds for the whole replay: the recording's
	 * changes to it are left out. */
	replay_knobs_pin(&ro, set.knobs, sysctls, nsysctls);
	if (all) {
		struct flow_table t;
		struct flow_read_stats st;

		if (flow_read_table(ro.path, &t, &st, &err))
			goto fail;
		n = t.n;
		flow_table_free(&t);
		if (!n) {
			err_usage(&err, "%s: no TCP conversation in the capture", ro.path);
			goto fail;
		}
	} else {
		n = 1;
	}
	flows = calloc(n, sizeof(*flows));
	pc = calloc(n, sizeof(*pc));
	if (!flows || !pc) {
		err_sys(&err, "replay");
		goto fail;
	}
	if (pcap && all && mkdir(pcap, 0755) && errno != EEXIST) {
		err_usage(&err, "--pcap %s: %s", pcap, strerror(errno));
		goto fail;
	}
	for (size_t i = 0; i < n; i++) {
		if (replay_flow_make(ro, all ? (unsigned)i + 1 : ro.flow, all, sysctls, nsysctls,
				     &flows[i], &pc[i], &err))
			goto fail;
		pc[i].cfg = cfg;
		pc[i].retries = rig.retries;
		if (pcap && all) {
			snprintf(flows[i].pcap, sizeof(flows[i].pcap), "%s/flow-%zu.pcap", pcap,
				 i + 1);
			pc[i].cfg.pcap_path = flows[i].pcap;
		} else {
			pc[i].cfg.pcap_path = pcap;
		}
	}
	if (script_path) {
		FILE *f = fopen(script_path, "w");

		if (!f || fputs(flows[0].cs.text, f) < 0 || fclose(f)) {
			err_usage(&err, "--script %s: %s", script_path, strerror(errno));
			goto fail;
		}
	}
	/* A script whose calls cannot be built (pcap2case's to avoid) is
	 * refused before any lab, as run refuses it. */
	if (run_pool_check(pc, n, &err))
		goto fail;
	if (json_path && !(json = fopen(json_path, "w"))) {
		err_usage(&err, "--json %s: %s", json_path, strerror(errno));
		goto fail;
	}
	cfg.pacer = rig.pacer;
	for (size_t i = 0; i < n; i++)
		pc[i].cfg.pacer = rig.pacer;
	if (pacer_check(&cfg.pacer, &err) || lab_check_privileges(&err) ||
	    lab_reap_stale(&reaped, &err))
		goto fail;
	lab_install_signal_cleanup();
	if (remote_on && remote_opts_setup(&rmo, &remote, remote_note, sizeof(remote_note), &err))
		goto fail;
	if (remote_note[0])
		printf("%s\n", remote_note);
	x.flows = flows;
	if (!all) {
		const struct flow *f = &flows[0].flow;
		char c_ep[64], s_ep[64];

		printf("replay %s flow %u%s: client %s, server %s, packets #%lu..#%lu; the rig "
		       "plays the %s\n",
		       ro.path, f->number, ro.nflows || ro.flows_all ? " and the others of --flows, "
		       "in one lab (the script's header lists them)" : "", flow_ep_format(f->family, &f->client, c_ep, sizeof(c_ep)),
		       flow_ep_format(f->family, &f->server, s_ep, sizeof(s_ep)), f->first_rec,
		       f->last_rec, flows[0].rig_is_client ? "client" : "server");
	}
	if (ro.settings) {
		printf("settings from %s: the rig's side %s", ro.settings,
		       ro.rig_addr ? ro.rig_addr : ro.rig_is_client ? "client" : "server");
		for (size_t i = 0; i < ro.nsysctls; i++)
			printf(", %s", ro.sysctls[i]);
		for (size_t i = 0; i < ro.nknobs; i++) {
			char t[32];

			casegen_knob_time(ro.knobs[i].ns, t, sizeof(t));
			printf(", %s at %s", ro.knobs[i].set, t);
		}
		printf("%s\n", nsysctls ? " (--sysctl given here wins)" : "");
	}
	fflush(stdout);
	if (run_pool_run(pc, n, all ? jobs : 1, replay_print, &x, &signo, &err))
		goto fail;
	if (signo) {
		fflush(stdout);
		/* The nftables table and the ARP responder go before we do. */
		remote_opts_stop(&rmo);
		signal(signo, SIG_DFL);
		raise(signo);
		status = 128 + signo;
		goto out;
	}
	if (all)
		printf("%u matched, %u diverged, %u skipped, %u could not tell\n", x.matched,
		       x.diverged, x.skipped, x.errors);
	/* 1 a divergence; else 3 a flow that could not run or tell; a SKIP of
	 * --all (a flow that is no conversation to replay) is said, not failed. */
	status = x.diverged ? TR_FAILED :
		 x.errors || (!all && x.skipped) ? TR_ENV :
						   TR_OK;
	if (json && replay_write_json(json, ro.path, flows[0].rig_is_client, flows, pc, n, &err)) {
		fprintf(stderr, "%s replay: %s\n", prog_name, err.msg);
		status = TR_ENV;
	}
	goto out;
fail:
	fprintf(stderr, "%s replay: %s\n", prog_name, err.msg);
	status = err.status ? (int)err.status : TR_ENV;
out:
	remote_opts_stop(&rmo);
	if (json)
		fclose(json);
	for (size_t i = 0; flows && i < n; i++) {
		trace_free(&pc[i].res.trace);
		if (flows[i].overridden)
			case_override_free(&flows[i].ov);
		if (flows[i].parsed)
			case_script_free(&flows[i].script);
		casegen_script_free(&flows[i].cs);
	}
	free(flows);
	free(ro.flows);
	free(pc);
	capture_settings_free(&set);
	case_defines_free(&rig.defines);
	return status;
}
