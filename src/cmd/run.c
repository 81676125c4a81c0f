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
#include "case/family.h"
#include "cmd/capture_settings.h"
#include "cmd/remote_opts.h"
#include "cmd/rig_opts.h"
#include "cmd/run_family.h"
#include "cmd/run_print.h"
#include "cmd/subcommands.h"
#include "core/parse_num.h"
#include "lab/addr6.h"
#include "lab/lab.h"
#include "lab/registry.h"
#include "report/ladder.h"
#include "report/report.h"
#include "run/pool.h"
#include "run/pool_check.h"
#include "run/runner.h"
#include "wire/fault.h"


/* --sysctl options a run takes. */
#define RUN_SYSCTLS_MAX 16


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
		"  --family F          ipv4, ipv6 or both: run each case in that family,\n"
		"                      or once in each (both); a line per run, tagged\n"
		"                      [ipv4] or [ipv6]; a case whose header says\n"
		"                      '// family: ipv4' is a SKIP on IPv6 (default: each\n"
		"                      case once, in its own family: IPv4 unless its\n"
		"                      --ip_version says otherwise)\n"
		"  --slow              also run the cases tagged '// tags: slow'\n"
		"  --tap               TAP 13 output (for meson test and prove)\n"
		"  --sysctl NAME=VALUE run every case with this net.* sysctl in the target\n"
		"                      (replaces the case's own --sysctl for NAME;\n"
		"                      repeatable; a value of several fields is quoted:\n"
		"                      'net.ipv4.ip_local_port_range=40000 40001')\n"
		"  --ladder            draw every case's ladder diagram (a case that\n"
		"                      does not pass always gets one)\n"
		"  --json FILE         every case and every event as JSON\n"
		"  --junit FILE        JUnit XML (a testcase per case) for CI systems\n"
		"  --pcap DIR          write each case's capture to DIR/<case>.pcap, and\n"
		"                      what it ran under to DIR/<case>.pcap.settings\n"
		"                      (the rig's side, the sysctls, and those its shell\n"
		"                      lines changed, with their moments: --sysctl-at),\n"
		"                      which replay and pcap2case take with the capture\n"
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
		"                      are checked only with --tcp_ts_tick_usecs, a new\n"
		"                      socket's SYN is looked for past what older sockets\n"
		"                      send (their SYNs sent again included), and the\n"
		"                      lab has packetdrill's addresses (192.168.0.1 for\n"
		"                      the target, 192.0.2.1 for the rig; on IPv6\n"
		"                      fd3d:a0b:17d6::1 and fd3d:fa7b:d17d::1), its\n"
		"                      target end resolving no neighbours (a route via\n"
		"                      any gateway reaches the rig, as with its tun)\n"
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
		"Every case is parsed, and every socket-call line built into the agent's\n"
		"request, before any lab is made: a bad one is path:line:col, exit 2.\n"
		"Exit: 0 all passed (or skipped), 1 a case failed, 2 bad input (no case\n"
		"ran), 3 a case could not run here, or none failed and one was\n"
		"INCONCLUSIVE.\n");
}

/* A seed nobody chose: printed, so that the run can be repeated. */
static uint64_t run_clock_seed(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ((uint64_t)ts.tv_sec * 1000003u ^ (uint64_t)ts.tv_nsec ^
		(uint64_t)getpid() << 16) % 1000000000u;
}

/* Beside the capture, what it was recorded under (capture_settings.h): the
 * rig's address, where it is the lab's own, and the sysctls; once the case
 * has run (res), the knobs its shell lines changed too. */
static int run_write_settings(const struct run_pool_case *c, const char *path, bool remote,
			      const struct run_result *res, struct tr_err *err)
{
	const char *rig = c->cfg.packetdrill || remote	? NULL :
			  c->cfg.family == AF_INET6	? LAB_PHANTOM_ADDR6 :
							  LAB_PHANTOM_ADDR;

	return capture_settings_write(c->cfg.pcap_path, path, rig, c->script->opt.sysctls,
				      c->script->opt.nsysctls, res, err);
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
		{ "family", required_argument, NULL, 'A' },
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
	struct run_tally tally = { 0 };
	struct run_jobs jobs = { 0 };
	bool family_given = false, fam4 = true, fam6 = false;
	struct tr_err err = { 0 };
	unsigned njobs = run_pool_default_jobs(), reaped;
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
			njobs = (unsigned)num;
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
		case 'A':
			if (case_family_parse(optarg, &fam4, &fam6, &err))
				goto fail;
			family_given = true;
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
	if (remote_on && (cfg.target_capture || (jobs_set && njobs > 1) || fam6)) {
		err_usage(&err, "--target: one case at a time, and no target-side capture "
				"(--target-capture, --faults, -j N are lab only; so is --family ipv6)");
		goto fail;
	}
	if (remote_on) {
		njobs = 1;
		cfg.remote = &remote;
	}
	tally.wire = cfg.target_capture;
	list.defs = &rig.defines;
	if (case_files_load(&list, argv + optind, (size_t)(argc - optind), &scripts, &err))
		goto fail;
	case_shard_apply(&shard, &list, scripts);
	if (run_jobs_make(&jobs, scripts, list.paths, list.n, family_given, fam4, fam6, &err))
		goto fail;
	/* (+ 1: a shard may hold no case at all) */
	overridden = calloc(list.n + 1, sizeof(*overridden));
	cases = calloc(jobs.n + 1, sizeof(*cases));
	tally.paths = calloc(jobs.n + 1, sizeof(*tally.paths));
	if (pcap_dir)
		pcaps = calloc(2 * jobs.n + 1, sizeof(*pcaps));
	if (!overridden || !cases || !tally.paths || (pcap_dir && !pcaps)) {
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
	for (size_t i = 0; i < jobs.n; i++) {
		size_t k = jobs.j[i].script;
		const char *base = strrchr(list.paths[k], '/');
		/* An IPv6 run's captures are told apart from the IPv4 run's. */
		const char *fam = jobs.j[i].family == AF_INET6 ? ".ipv6" : "";

		base = base ? base + 1 : list.paths[k];
		tally.paths[i] = jobs.j[i].label;
		cases[i].script = &overridden[k];
		cases[i].cfg = cfg;
		cases[i].cfg.family = jobs.j[i].family;
		cases[i].retries = rig.retries;
		if (pcap_dir) {
			char stem[NAME_MAX + 1];

			/* The case's file name without ".pkt". */
			snprintf(stem, sizeof(stem), "%s", base);
			stem[strlen(stem) > 4 ? strlen(stem) - 4 : 0] = '\0';
			snprintf(pcaps[2 * i], sizeof(pcaps[0]), "%s/%s%s.pcap", pcap_dir, stem, fam);
			cases[i].cfg.pcap_path = pcaps[2 * i];
			snprintf(pcaps[2 * i + 1], sizeof(pcaps[0]), "%s/%s%s.target.pcap", pcap_dir,
				 stem, fam);
			if (cfg.target_capture)
				cases[i].cfg.target_pcap_path = pcaps[2 * i + 1];
		}
		if (jobs.j[i].skip[0])
			run_pool_case_skip(&cases[i], jobs.j[i].skip);
		else if (!slow && case_meta_is_slow(&scripts[k]))
			run_pool_case_skip(&cases[i], "slow case: run with --slow");
		else if (pcap_dir && run_write_settings(&cases[i], list.paths[k], remote_on, NULL,
						 &err))
			goto fail;
	}
	/* A line no run could play (a call that cannot be built as written)
	 * is bad input too, found before anything is made or opened. */
	if (run_pool_check(cases, jobs.n, &err))
		goto fail;
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
		printf("TAP version 13\n1..%zu\n", jobs.n);
	if (remote_note[0])
		printf("%s\n", remote_note);
	if (cfg.faults) {
		fault_spec_format(&cfg.fault_spec, faults, sizeof(faults));
		printf("# faults %s, seed %llu (--seed %llu repeats them)\n", faults,
		       (unsigned long long)cfg.fault_seed, (unsigned long long)cfg.fault_seed);
	}
	/* Each case in a worker process of its own, -j 1 included. */
	if (run_pool_run(cases, jobs.n, njobs, run_report, &tally, &signo, &err))
		goto fail;
	if (signo) {
		fflush(stdout);
		fprintf(stderr, "%s run: stopped by signal %d; %u of %zu cases reported\n",
			prog_name, signo,
			tally.passed + tally.failed + tally.skipped + tally.inconclusive, jobs.n);
		/* The nftables table and the ARP responder go before we do. */
		remote_opts_stop(&ro);
		signal(signo, SIG_DFL);
		raise(signo);
		status = 128 + signo;
		goto out;
	}
	/* Written again with what the cases' shell lines changed. */
	for (size_t i = 0; pcap_dir && i < jobs.n; i++)
		if (!cases[i].skip && !cases[i].ret &&
		    (cases[i].res.nknobs || cases[i].res.knobs_lost) &&
		    run_write_settings(&cases[i], list.paths[jobs.j[i].script], remote_on,
				       &cases[i].res, &err))
			fprintf(stderr, "%s run: %s\n", prog_name, err.msg);
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
	if (run_write_reports(cases, list.paths, &jobs, json, junit, &err)) {
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
	for (size_t i = 0; cases && i < jobs.n; i++)
		trace_free(&cases[i].res.trace);
	run_jobs_free(&jobs);
	free(tally.paths);
	if (overridden)
		for (size_t i = 0; i < list.n; i++)
			case_override_free(&overridden[i]);
	free(overridden);
	case_scripts_free(scripts, list.n);
	free(cases);
	free(pcaps);
	case_files_free(&list);
	case_defines_free(&rig.defines);
	return status;
}
