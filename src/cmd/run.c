/* tcprig run: cases against the real kernel, each in its own lab. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "case/case.h"
#include "case/files.h"
#include "case/meta.h"
#include "case/override.h"
#include "case/shard.h"
#include "cmd/remote_opts.h"
#include "cmd/rig_opts.h"
#include "cmd/subcommands.h"
#include "core/parse_num.h"
#include "lab/lab.h"
#include "lab/registry.h"
#include "report/ladder.h"
#include "report/report.h"
#include "run/pool.h"
#include "run/runner.h"
#include "wire/fault.h"


/* --sysctl options a run takes. */
#define RUN_SYSCTLS_MAX 16

/* What the in-order report adds up. */
struct run_tally {
	bool tap;
	bool wire; /* a target-side capture: INCONCLUSIVE is possible */
	bool ladder; /* a ladder for every case, not only those that failed */
	char **paths;
	unsigned passed, failed, skipped, inconclusive, errors;
};

static void run_usage(FILE *f)
{
	fprintf(f,
		"Usage: %s run [options] FILE|DIR...\n"
		"Runs case scripts (*.pkt; directories recursively, in name order),\n"
		"each in its own throwaway lab, and says per case PASS, FAIL, SKIP or\n"
		"INCONCLUSIVE.\n\n"
		"  -j, --jobs N        run up to N cases at once, each in its own lab\n"
		"                      (1..%d; default: the online CPUs); output stays\n"
		"                      in case order\n"
		"  --slow              also run the cases tagged '// tags: slow'\n"
		"  --tap               TAP 13 output (for meson test and prove)\n"
		"  --sysctl NAME=VALUE run every case with this net.* sysctl in the target\n"
		"                      (replaces the case's own --sysctl for NAME;\n"
		"                      repeatable)\n"
		"  --ladder            draw every case's ladder diagram (a case that\n"
		"                      does not pass always gets one)\n"
		"  --json FILE         every case and every event as JSON\n"
		"  --junit FILE        JUnit XML (a testcase per case) for CI systems\n"
		"  --pcap DIR          write each case's capture to DIR/<case>.pcap\n"
		"  --tolerance-usecs N override the scripts' timing tolerance\n"
		"  --target-capture    capture inside the target namespace too (with --pcap:\n"
		"                      DIR/<case>.target.pcap) and say INCONCLUSIVE when a\n"
		"                      verdict hangs on a segment lost on the way\n"
		"  --faults SPEC       emulate a faulty wire: loss=P%%, delay=D[@P%%],\n"
		"                      reorder=P%% (e.g. loss=5%%,delay=50ms); implies\n"
		"                      --target-capture\n"
		"  --seed N            the faults' seed (default: from the clock, printed)\n"
		"  --packetdrill       packetdrill's semantics where tcprig's differ:\n"
		"                      segments after the last '>' line go unjudged, a\n"
		"                      SYN segment's ack is absolute like its seq, TS vals\n"
		"                      are checked only with --tcp_ts_tick_usecs, and the\n"
		"                      lab has packetdrill's addresses (192.168.0.1 for\n"
		"                      the target, 192.0.2.1 for the rig)\n"
		"  --shard K/N         run only the K-th of N stable slices of the cases\n"
		"                      (case i, from 0, when i %% N = K - 1): N machines\n"
		"                      run the N slices, 'tcprig merge' joins their JSON\n",
		prog_name, RUN_POOL_JOBS_MAX);
	rig_opts_usage(f);
	remote_opts_usage(f, true);
	fprintf(f,
		"A case is INCONCLUSIVE when the rig could not tell: its own action came\n"
		"later than the tolerance (a loaded machine), or, with a target-side\n"
		"capture, the wire lost what the verdict hung on.\n"
		"Exit: 0 all passed (or skipped), 1 a case failed, 2 bad input (no case\n"
		"ran), 3 a case could not run here, or none failed and one was\n"
		"INCONCLUSIVE.\n");
}

/* The reason's lines, each after prefix; from its second line if skip_first. */
static void run_print_reason(const char *prefix, const char *reason, bool skip_first)
{
	for (const char *p = reason; *p;) {
		const char *nl = strchr(p, '\n');
		int len = nl ? (int)(nl - p) : (int)strlen(p);

		if (!skip_first)
			printf("%s%.*s\n", prefix, len, p);
		skip_first = false;
		p += len + (nl ? 1 : 0);
	}
}

/* The tries before the last of a case that was run again. */
static void run_print_tries(const char *prefix, const struct run_pool_case *c)
{
	for (unsigned k = 0; k < c->ntries; k++)
		printf("%stry %u: %s (%.2f s): %s\n", prefix, k + 1,
		       run_verdict_name(c->tries[k].verdict), (double)c->tries[k].elapsed_us / 1e6,
		       c->tries[k].reason);
}

static void run_print(bool tap, size_t i, const char *path, const struct run_pool_case *c,
		      const struct run_result *res)
{
	const char *v = run_verdict_name(res->verdict);
	double s = (double)res->elapsed_us / 1e6;
	char outcome[sizeof(res->outcome) + 32] = "";
	size_t n = 0;

	/* What the target did, for a case that names its outcomes; which try
	 * said it, for one that was run again. */
	if (res->outcome[0])
		n = (size_t)snprintf(outcome, sizeof(outcome), ", outcome %s", res->outcome);
	if (c->ntries && n < sizeof(outcome))
		snprintf(outcome + n, sizeof(outcome) - n, ", try %u", c->ntries + 1);
	if (!tap) {
		printf("%s  %s  (%.2f s%s)\n", v, path, s, outcome);
		if (res->verdict != RUN_PASS)
			run_print_reason("      ", res->reason, false);
		run_print_tries("      ", c);
	} else if (res->verdict == RUN_SKIP) {
		printf("ok %zu - %s # SKIP %s\n", i + 1, path, res->reason);
	} else if (res->verdict == RUN_INCONCLUSIVE) {
		/* Not a pass for any TAP consumer, not a failure either: a skip
		 * that says why; the rest of the reason as diagnostics. */
		printf("ok %zu - %s # SKIP inconclusive: %.*s\n", i + 1, path,
		       (int)strcspn(res->reason, "\n"), res->reason);
		run_print_reason("# ", res->reason, true);
		run_print_tries("# ", c);
	} else {
		printf("%s %zu - %s (%.2f s%s)\n", res->verdict == RUN_PASS ? "ok" : "not ok",
		       i + 1, path, s, outcome);
		if (res->verdict == RUN_FAIL)
			run_print_reason("# ", res->reason, false);
		run_print_tries("# ", c);
	}
	fflush(stdout);
}

/* Called by the pool in case order. */
static void run_report(size_t i, const struct run_pool_case *c, void *ctx)
{
	struct run_tally *t = ctx;
	struct run_result res = c->res;

	if (c->ret) {
		/* Could not run: never reported as a pass. */
		res.verdict = RUN_FAIL;
		snprintf(res.reason, sizeof(res.reason), "could not run: %s", c->err.msg);
		t->errors++;
	}
	run_print(t->tap, i, t->paths[i], c, &res);
	if (res.trace.n && (t->ladder || (res.verdict != RUN_PASS && res.verdict != RUN_SKIP))) {
		struct ladder_opts lo = {
			.colour = !t->tap && ladder_want_colour(stdout),
			.indent = t->tap ? "# " : "    ",
		};

		ladder_print(stdout, &res.trace, &lo);
		fflush(stdout);
	}
	switch (res.verdict) {
	case RUN_PASS:
		t->passed++;
		break;
	case RUN_FAIL:
		t->failed++;
		break;
	case RUN_SKIP:
		t->skipped++;
		break;
	case RUN_INCONCLUSIVE:
		t->inconclusive++;
		break;
	}
}

/* --json and --junit, after the run: both read the same results the text
 * and TAP lines did. */
static int run_write_reports(const struct run_pool_case *cases, char **paths, size_t n,
			     FILE *json, FILE *junit, struct tr_err *err)
{
	struct report_case *rc;
	int ret = 0;

	if (!json && !junit)
		return 0;
	rc = calloc(n ? n : 1, sizeof(*rc));
	if (!rc)
		return err_sys(err, "reports");
	for (size_t i = 0; i < n; i++)
		rc[i] = (struct report_case){ .path = paths[i], .ret = cases[i].ret,
					      .err = &cases[i].err, .res = &cases[i].res,
					      .tries = cases[i].tries, .ntries = cases[i].ntries };
	if (json && report_json_write(json, rc, n, err))
		ret = -1;
	else if (json && fflush(json))
		ret = err_sys(err, "--json");
	else if (junit && report_junit_write(junit, "tcprig", rc, n, err))
		ret = -1;
	else if (junit && fflush(junit))
		ret = err_sys(err, "--junit");
	free(rc);
	return ret;
}

/* A seed nobody chose: printed, so that the run can be repeated. */
static uint64_t run_clock_seed(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ((uint64_t)ts.tv_sec * 1000003u ^ (uint64_t)ts.tv_nsec ^
		(uint64_t)getpid() << 16) % 1000000000u;
}

int run_main(int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "tap", no_argument, NULL, 't' },
		{ "pcap", required_argument, NULL, 'p' },
		{ "tolerance-usecs", required_argument, NULL, 'T' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "slow", no_argument, NULL, 's' },
		{ "target-capture", no_argument, NULL, 'C' },
		{ "faults", required_argument, NULL, 'F' },
		{ "seed", required_argument, NULL, 'S' },
		{ "packetdrill", no_argument, NULL, 'P' },
		{ "ladder", no_argument, NULL, 'L' },
		{ "sysctl", required_argument, NULL, 'Y' },
		{ "json", required_argument, NULL, 'J' },
		{ "junit", required_argument, NULL, 'U' },
		{ "shard", required_argument, NULL, 'K' },
		RIG_OPTS_LONG,
		REMOTE_OPTS_LONG,
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct run_config cfg = { .tolerance_us = -1, .tolerance_pct = -1 };
	struct case_shard shard = { 1, 1 };
	static struct case_files list;
	struct case_script *scripts = NULL, *overridden = NULL;
	char *sysctls[RUN_SYSCTLS_MAX];
	size_t nsysctls = 0;
	struct run_pool_case *cases = NULL;
	char (*pcaps)[PATH_MAX] = NULL;
	const char *pcap_dir = NULL, *json_path = NULL, *junit_path = NULL;
	FILE *json = NULL, *junit = NULL;
	struct run_tally tally = { .paths = list.paths };
	struct tr_err err = { 0 };
	unsigned jobs = run_pool_default_jobs(), reaped;
	struct rig_opts rig;
	struct remote_opts ro = { 0 };
	static struct run_remote remote;
	char remote_note[256] = "";
	bool slow = false, seeded = false, remote_on, jobs_set = false;
	char faults[128];
	uint64_t num;
	int opt, signo, status = TR_OK;

	if (rig_opts_init(&rig, &err))
		goto fail;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "j:D:", opts, NULL)) != -1) {
		int taken = rig_opts_take(&rig, opt, optarg, &err);

		if (!taken)
			taken = remote_opts_take(&ro, opt, optarg, &err);
		if (taken < 0)
			goto fail;
		if (taken)
			continue;
		switch (opt) {
		case 't':
			tally.tap = true;
			break;
		case 'p':
			pcap_dir = optarg;
			break;
		case 'T':
			if (parse_u64("--tolerance-usecs", optarg, 0, 10000000, &num, &err))
				goto fail;
			cfg.tolerance_us = (int64_t)num;
			break;
		case 'j':
			if (parse_u64("--jobs", optarg, 1, RUN_POOL_JOBS_MAX, &num, &err))
				goto fail;
			jobs = (unsigned)num;
			jobs_set = true;
			break;
		case 's':
			slow = true;
			break;
		case 'C':
			cfg.target_capture = true;
			break;
		case 'P':
			cfg.packetdrill = true;
			break;
		case 'F':
			if (fault_spec_parse(optarg, &cfg.fault_spec, &err))
				goto fail;
			cfg.faults = cfg.target_capture = true;
			break;
		case 'S':
			if (parse_u64("--seed", optarg, 0, UINT64_MAX, &num, &err))
				goto fail;
			cfg.fault_seed = num;
			seeded = true;
			break;
		case 'L':
			tally.ladder = true;
			break;
		case 'Y':
			if (case_override_add(optarg, sysctls, &nsysctls, RUN_SYSCTLS_MAX, &err))
				goto fail;
			break;
		case 'J':
			json_path = optarg;
			break;
		case 'U':
			junit_path = optarg;
			break;
		case 'K':
			if (case_shard_parse(optarg, &shard, &err))
				goto fail;
			break;
		case 'h':
			run_usage(stdout);
			return TR_OK;
		default:
			err_usage(&err, "unknown or incomplete option '%s'", argv[optind - 1]);
			goto fail;
		}
	}
	if (optind == argc) {
		err_usage(&err, "no case given (see '%s run --help')", prog_name);
		goto fail;
	}
	if (seeded && !cfg.faults) {
		err_usage(&err, "--seed: only with --faults");
		goto fail;
	}
	if (cfg.faults && !seeded)
		cfg.fault_seed = run_clock_seed();
	if (remote_opts_check(&ro, &remote_on, &err))
		goto fail;
	if (remote_on && (cfg.target_capture || (jobs_set && jobs > 1))) {
		err_usage(&err, "--target: one case at a time, and no target-side capture "
				"(--target-capture, --faults, -j N are lab only)");
		goto fail;
	}
	if (remote_on) {
		jobs = 1;
		cfg.remote = &remote;
	}
	tally.wire = cfg.target_capture;
	list.defs = &rig.defines;
	if (case_files_load(&list, argv + optind, (size_t)(argc - optind), &scripts, &err))
		goto fail;
	case_shard_apply(&shard, &list, scripts);
	/* (+ 1: a shard may hold no case at all) */
	overridden = calloc(list.n + 1, sizeof(*overridden));
	cases = calloc(list.n + 1, sizeof(*cases));
	if (pcap_dir)
		pcaps = calloc(2 * list.n + 1, sizeof(*pcaps));
	if (!overridden || !cases || (pcap_dir && !pcaps)) {
		err_sys(&err, "cases");
		goto fail;
	}
	for (size_t i = 0; i < list.n; i++)
		if (case_override_sysctls(&scripts[i], sysctls, nsysctls, &overridden[i], &err))
			goto fail;
	if (pcap_dir && mkdir(pcap_dir, 0755) && errno != EEXIST) {
		err_sys(&err, "--pcap %s", pcap_dir);
		goto fail;
	}
	for (size_t i = 0; i < list.n; i++) {
		const char *base = strrchr(list.paths[i], '/');

		base = base ? base + 1 : list.paths[i];
		cases[i].script = &overridden[i];
		cases[i].cfg = cfg;
		cases[i].retries = rig.retries;
		if (pcap_dir) {
			char stem[NAME_MAX + 1];

			/* The case's file name without ".pkt". */
			snprintf(stem, sizeof(stem), "%s", base);
			stem[strlen(stem) > 4 ? strlen(stem) - 4 : 0] = '\0';
			snprintf(pcaps[2 * i], sizeof(pcaps[0]), "%s/%s.pcap", pcap_dir, stem);
			cases[i].cfg.pcap_path = pcaps[2 * i];
			snprintf(pcaps[2 * i + 1], sizeof(pcaps[0]), "%s/%s.target.pcap", pcap_dir,
				 stem);
			if (cfg.target_capture)
				cases[i].cfg.target_pcap_path = pcaps[2 * i + 1];
		}
		if (!slow && case_meta_is_slow(&scripts[i]))
			run_pool_case_skip(&cases[i], "slow case: run with --slow");
	}
	/* A report file that cannot be written is bad input: found before any
	 * case runs. */
	if (json_path && !(json = fopen(json_path, "w"))) {
		err_usage(&err, "--json %s: %s", json_path, strerror(errno));
		goto fail;
	}
	if (junit_path && !(junit = fopen(junit_path, "w"))) {
		err_usage(&err, "--junit %s: %s", junit_path, strerror(errno));
		goto fail;
	}
	cfg.pacer = rig.pacer;
	if (pacer_check(&cfg.pacer, &err) || lab_check_privileges(&err) ||
	    lab_reap_stale(&reaped, &err))
		goto fail;
	lab_install_signal_cleanup();
	if (remote_on && remote_opts_setup(&ro, &remote, remote_note, sizeof(remote_note), &err))
		goto fail;

	if (tally.tap)
		printf("TAP version 13\n1..%zu\n", list.n);
	if (remote_note[0])
		printf("%s\n", remote_note);
	if (cfg.faults) {
		fault_spec_format(&cfg.fault_spec, faults, sizeof(faults));
		printf("# faults %s, seed %llu (--seed %llu repeats them)\n", faults,
		       (unsigned long long)cfg.fault_seed, (unsigned long long)cfg.fault_seed);
	}
	/* Each case in a worker process of its own, -j 1 included. */
	if (run_pool_run(cases, list.n, jobs, run_report, &tally, &signo, &err))
		goto fail;
	if (signo) {
		fflush(stdout);
		fprintf(stderr, "%s run: stopped by signal %d; %u of %zu cases reported\n",
			prog_name, signo,
			tally.passed + tally.failed + tally.skipped + tally.inconclusive, list.n);
		/* The nftables table and the ARP responder go before we do. */
		remote_opts_stop(&ro);
		signal(signo, SIG_DFL);
		raise(signo);
		status = 128 + signo;
		goto out;
	}
	/* The inconclusive count when there is one, or could have been one of
	 * the wire's (a target-side capture): else the line stays short. */
	printf("%s%u passed, %u failed, %u skipped", tally.tap ? "# " : "", tally.passed,
	       tally.failed, tally.skipped);
	if (tally.wire || tally.inconclusive)
		printf(", %u inconclusive", tally.inconclusive);
	printf("\n");
	/* 1 a failure; else 3 "could not tell": a case that could not run, or
	 * an INCONCLUSIVE one; else 0. */
	status = tally.failed > tally.errors		  ? TR_FAILED :
		 tally.errors || tally.inconclusive ? TR_ENV :
						      TR_OK;
	if (run_write_reports(cases, list.paths, list.n, json, junit, &err)) {
		fprintf(stderr, "%s run: %s\n", prog_name, err.msg);
		status = TR_ENV;
	}
	goto out;
fail:
	fprintf(stderr, "%s run: %s\n", prog_name, err.msg);
	status = err.status ? (int)err.status : TR_ENV;
out:
	remote_opts_stop(&ro);
	if (json)
		fclose(json);
	if (junit)
		fclose(junit);
	for (size_t i = 0; cases && i < list.n; i++)
		trace_free(&cases[i].res.trace);
	if (overridden)
		for (size_t i = 0; i < list.n; i++)
			case_override_free(&overridden[i]);
	free(overridden);
	case_scripts_free(scripts, list.n);
	free(cases);
	free(pcaps);
	case_files_free(&list);
	return status;
}
