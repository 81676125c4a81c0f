/* tcprig matrix: every case under every combination of sysctl values, each
 * run in its own lab, as a table of what the target did. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "case/case.h"
#include "case/family.h"
#include "case/files.h"
#include "case/meta.h"
#include "case/override.h"
#include "case/shard.h"
#include "cmd/matrix_kernels.h"
#include "cmd/matrix_out.h"
#include "cmd/matrix_tw.h"
#include "cmd/remote_opts.h"
#include "cmd/run_family.h"
#include "cmd/rig_opts.h"
#include "cmd/subcommands.h"
#include "core/parse_num.h"
#include "lab/lab.h"
#include "lab/registry.h"
#include "report/matrix.h"
#include "run/pool.h"
#include "run/pool_check.h"
#include "vm/session.h"

static void matrix_usage(FILE *f)
{
	fprintf(f,
		"Usage: %s matrix --sysctl NAME=V1,V2[,...] [--sysctl ...] [options] FILE|DIR...\n"
		"Runs every case under every combination of the sysctl values given, each\n"
		"run in its own throwaway lab, and prints a table: a row per case, a column\n"
		"per combination, and in each cell what the target did: the outcome labels\n"
		"of the alternatives that held (`=> ack`, `=> rst!`; '!' marks a risk the\n"
		"case names), \"pass\" for a case that names none and held, \"FAIL l.N\n"
		"field\" for one that did not, \"skip\" (a knob this kernel lacks) or\n"
		"\"error\" (could not run). The matrix's values replace a case's own\n"
		"--sysctl lines for the same knobs.\n\n"
		"  --sysctl NAME=V1,V2 a net.* knob and its values (repeat for more knobs;\n"
		"                      up to %d knobs, %d combinations)\n"
		"  -j, --jobs N        run up to N cases at once (default: the online CPUs)\n"
		"  --slow              also run the cases tagged '// tags: slow'\n"
		"  --html FILE         the table as one self-contained HTML page, with the\n"
		"                      ladder diagram of every cell\n"
		"  --json FILE         every cell and its events as JSON (each case's\n"
		"                      \"config\" names its combination)\n"
		"  --tolerance-usecs N override the scripts' timing tolerance\n"
		"  --family F          ipv4, ipv6 or both: a row per case and family, each\n"
		"                      run in the lab's IPv4 or IPv6 pair; a case whose\n"
		"                      '// family: ipv4' (or --ip_version) bars one is a\n"
		"                      skip there (default: each case once, in its own\n"
		"                      family, as run does: IPv4 unless its script pins\n"
		"                      IPv6). net.ipv6.* knobs are --sysctl knobs too;\n"
		"                      --kernel and --shard carry the family through\n"
		"  --shard K/N         only the K-th of N stable slices of the cases (as run)\n"
		"  --cells FILE        each cell as a line: case, combination, cell, tab-\n"
		"                      separated (for scripts; --sysctl optional then)\n"
		"  --kernel IMAGE|host one column per kernel instead (repeatable, up to %d):\n"
		"                      each IMAGE booted under qemu as by 'tcprig vm',\n"
		"                      'host' this machine's kernel; rows whose cells\n"
		"                      differ are marked (also in --html; --json: every\n"
		"                      case's config starts \"kernel=RELEASE\")\n"
		"  --vm-timeout S      with --kernel: a guest's bound (default %d)\n"
		"  --vm-append TEXT    with --kernel: more guest kernel command line, e.g.\n"
		"                      'sysctl.net.ipv4.tcp_rmem=\"4096 131072 33554432\"'\n"
		"  --events timewait   the TIME_WAIT event matrix instead: every segment kind\n"
		"                      at every position against a TIME_WAIT socket, on\n"
		"                      IPv4 and IPv6 (see\n"
		"                      '%s matrix --events timewait --help')\n",
		prog_name, MATRIX_KNOBS_MAX, MATRIX_COMBOS_MAX, MATRIX_KERNELS_MAX,
		VM_TIMEOUT_DEFAULT, prog_name);
	rig_opts_usage(f);
	remote_opts_usage(f, true);
	fprintf(f, "Every cell's call lines are built before any lab: one that cannot be is\n"
		   "bad input (path:line:col).\n"
		   "Exit: 0 every cell ran (whatever it shows), 2 bad input (nothing ran),\n"
		   "3 a cell could not run here.\n");
}

struct matrix_run {
	struct matrix *m;
	struct run_pool_case *cases; /* [case * ncombos + combo] */
	bool progress;		     /* stderr is a terminal */
	unsigned errors;
};

/* Called by the pool in order: the cell takes the result and its trace. */
static void matrix_report(size_t i, const struct run_pool_case *c, void *ctx)
{
	struct matrix_run *mr = ctx;
	struct matrix *m = mr->m;
	struct matrix_cell *cell = &m->cells[i];
	char combo[256];

	cell->ret = c->ret;
	cell->err = c->err;
	cell->res = c->res;
	memset(&mr->cases[i].res.trace, 0, sizeof(mr->cases[i].res.trace));
	matrix_cell_describe(cell);
	if (c->ret)
		mr->errors++;
	if (mr->progress) {
		matrix_out_label(m, i / m->ncombos, i % m->ncombos, combo, sizeof(combo));
		fprintf(stderr, "\r\033[K[%zu/%zu] %s  %s: %s", i + 1, m->ncases * m->ncombos,
			matrix_out_base(m->cases[i / m->ncombos]), combo, cell->text);
		fflush(stderr);
	}
}

static FILE *matrix_open_out(const char *opt, const char *path, struct tr_err *err)
{
	FILE *f = fopen(path, "w");

	if (!f)
		err_usage(err, "%s %s: %s", opt, path, strerror(errno));
	return f;
}

/* A combination's "NAME=VALUE" for each knob. */
typedef char matrix_sysctls[MATRIX_KNOBS_MAX][256];

/* The cells' scripts: each row's case (jobs: a case in a family) with its
 * combination's sysctls over its own. *setp keeps the strings their lists
 * point to, until the run is over. */
static int matrix_prepare(const struct matrix *m, const struct case_script *scripts,
			  const struct run_jobs *jobs, bool slow, const struct rig_opts *rig,
			  const struct run_remote *remote, struct case_script *cells,
			  struct run_pool_case *cases, matrix_sysctls **setp, struct tr_err *err)
{
	matrix_sysctls *set = calloc(m->ncombos, sizeof(*set));
	char *ptrs[MATRIX_KNOBS_MAX];

	if (!set)
		return err_sys(err, "matrix");
	for (size_t c = 0; c < m->ncombos; c++)
		for (size_t k = 0; k < m->nknobs; k++)
			matrix_combo_sysctl(m, c, k, set[c][k], sizeof(set[c][k]));
	for (size_t i = 0; i < m->ncases; i++) {
		const struct run_job *job = &jobs->j[i];
		const struct case_script *s = &scripts[job->script];

		for (size_t c = 0; c < m->ncombos; c++) {
			size_t j = i * m->ncombos + c;

			for (size_t k = 0; k < m->nknobs; k++)
				ptrs[k] = set[c][k];
			/* The override copies the pointers: the strings must stay. */
			if (case_override_sysctls(s, ptrs, m->nknobs, &cells[j], err)) {
				free(set);
				return -1;
			}
			cases[j].script = &cells[j];
			cases[j].cfg = (struct run_config){ .tolerance_us = -1,
							    .tolerance_pct = -1,
							    .pacer = rig->pacer,
							    .remote = remote,
							    .family = job->family };
			cases[j].retries = rig->retries;
			/* A family the case bars is a skip saying why, as in run. */
			if (job->skip[0])
				run_pool_case_skip(&cases[j], job->skip);
			else if (!slow && case_meta_is_slow(s))
				run_pool_case_skip(&cases[j], "slow case: run with --slow");
		}
	}
	*setp = set;
	return 0;
}

int matrix_main(int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "sysctl", required_argument, NULL, 'Y' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "slow", no_argument, NULL, 's' },
		{ "html", required_argument, NULL, 'H' },
		{ "json", required_argument, NULL, 'J' },
		{ "cells", required_argument, NULL, 'C' },
		{ "shard", required_argument, NULL, 'K' },
		{ "tolerance-usecs", required_argument, NULL, 'T' },
		{ "family", required_argument, NULL, 'A' },
		RIG_OPTS_LONG,
		REMOTE_OPTS_LONG,
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static struct case_files list;
	static struct matrix m;
	struct case_script *scripts = NULL, *cells = NULL;
	struct run_pool_case *cases = NULL;
	matrix_sysctls *set = NULL;
	struct matrix_run mr = { .m = &m };
	struct run_jobs rows = { 0 };
	const char **families = NULL;
	bool family_given = false, fam4 = true, fam6 = false;
	struct tr_err err = { 0 };
	FILE *html = NULL, *json = NULL, *cellsf = NULL;
	int64_t tolerance_us = -1;
	struct case_shard shard = { 1, 1 };
	unsigned jobs = run_pool_default_jobs(), reaped;
	struct rig_opts rig;
	struct remote_opts ro = { 0 };
	static struct run_remote remote;
	char remote_note[256] = "";
	bool slow = false, remote_on, jobs_set = false;
	size_t ncells = 0;
	uint64_t num;
	int opt, signo, status = TR_OK;

	if (matrix_kernels_given(argc, argv))
		return matrix_kernels_main(argc, argv);
	if (matrix_tw_given(argc, argv))
		return matrix_tw_main(argc, argv);
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
		case 'Y':
			if (matrix_add_knob(&m, optarg, &err))
				goto fail;
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
		case 'H':
			if (html)
				fclose(html);
			if (!(html = matrix_open_out("--html", optarg, &err)))
				goto fail;
			break;
		case 'J':
			if (json)
				fclose(json);
			if (!(json = matrix_open_out("--json", optarg, &err)))
				goto fail;
			break;
		case 'C':
			if (cellsf)
				fclose(cellsf);
			if (!(cellsf = matrix_open_out("--cells", optarg, &err)))
				goto fail;
			break;
		case 'K':
			if (case_shard_parse(optarg, &shard, &err))
				goto fail;
			break;
		case 'T':
			if (parse_u64("--tolerance-usecs", optarg, 0, 10000000, &num, &err))
				goto fail;
			tolerance_us = (int64_t)num;
			break;
		case 'A':
			if (case_family_parse(optarg, &fam4, &fam6, &err))
				goto fail;
			family_given = true;
			break;
		case 'h':
			matrix_usage(stdout);
			return TR_OK;
		default:
			err_usage(&err, "unknown or incomplete option '%s'", argv[optind - 1]);
			goto fail;
		}
	}
	if (!m.nknobs && !cellsf) {
		err_usage(&err, "no --sysctl NAME=V1,V2 given (see '%s matrix --help')", prog_name);
		goto fail;
	}
	if (optind == argc) {
		err_usage(&err, "no case given (see '%s matrix --help')", prog_name);
		goto fail;
	}
	if (remote_opts_check(&ro, &remote_on, &err))
		goto fail;
	if (remote_on && jobs_set && jobs > 1) {
		err_usage(&err, "--target: one case at a time (-j N is lab only)");
		goto fail;
	}
	if (remote_on && fam6) {
		/* As run: the remote mode's phantom and agent speak IPv4. */
		err_usage(&err, "--target: IPv4 only (--family ipv6 and both are lab only)");
		goto fail;
	}
	if (remote_on)
		jobs = 1;
	list.defs = &rig.defines;
	if (case_files_load(&list, argv + optind, (size_t)(argc - optind), &scripts, &err))
		goto fail;
	case_shard_apply(&shard, &list, scripts);
	/* A row per case, or with --family per case and family. */
	if (run_jobs_make(&rows, scripts, list.paths, list.n, family_given, fam4, fam6, &err))
		goto fail;
	m.cases = calloc(rows.n + 1, sizeof(*m.cases));
	families = calloc(rows.n + 1, sizeof(*families));
	if (!m.cases || !families) {
		err_sys(&err, "matrix");
		goto fail;
	}
	for (size_t i = 0; i < rows.n; i++) {
		m.cases[i] = list.paths[rows.j[i].script];
		families[i] = case_family_name(rows.j[i].family == AF_INET6 ? AF_INET6 : AF_INET);
	}
	m.families = family_given ? families : NULL;
	m.ncases = rows.n;
	if (matrix_alloc(&m, &err))
		goto fail;
	ncells = m.ncases * m.ncombos;
	cells = calloc(ncells, sizeof(*cells));
	cases = calloc(ncells, sizeof(*cases));
	if (!cells || !cases) {
		err_sys(&err, "matrix");
		goto fail;
	}
	if (matrix_prepare(&m, scripts, &rows, slow, &rig, remote_on ? &remote : NULL, cells, cases,
			   &set, &err))
		goto fail;
	for (size_t i = 0; i < ncells; i++)
		cases[i].cfg.tolerance_us = tolerance_us;
	/* Every cell's lines built before any lab: a bad one is exit 2. */
	if (run_pool_check(cases, ncells, &err))
		goto fail;
	if (pacer_check(&rig.pacer, &err) || lab_check_privileges(&err) ||
	    lab_reap_stale(&reaped, &err))
		goto fail;
	lab_install_signal_cleanup();
	if (remote_on && remote_opts_setup(&ro, &remote, remote_note, sizeof(remote_note), &err))
		goto fail;
	if (remote_note[0])
		printf("%s\n", remote_note);

	mr.cases = cases;
	mr.progress = isatty(STDERR_FILENO);
	if (run_pool_run(cases, ncells, jobs, matrix_report, &mr, &signo, &err))
		goto fail;
	if (mr.progress)
		fprintf(stderr, "\r\033[K");
	if (signo) {
		fflush(stdout);
		fprintf(stderr, "%s matrix: stopped by signal %d\n", prog_name, signo);
		remote_opts_stop(&ro);
		signal(signo, SIG_DFL);
		raise(signo);
		status = 128 + signo;
		goto out;
	}
	matrix_out_table(&m, isatty(STDOUT_FILENO) && !getenv("NO_COLOR"));
	printf("cells: the outcome labels that held ('!': a risk the case names), pass,\n"
	       "FAIL l.N and the first differing field, skip, inconclusive, error.\n");
	status = mr.errors ? TR_ENV : TR_OK;
	if ((json && matrix_out_json(json, &m, &err)) ||
	    (html && matrix_out_html(html, &m, &err)) ||
	    (cellsf && matrix_out_cells(cellsf, &m, &err))) {
		fprintf(stderr, "%s matrix: %s\n", prog_name, err.msg);
		status = TR_ENV;
	}
	goto out;
fail:
	fprintf(stderr, "%s matrix: %s\n", prog_name, err.msg);
	status = err.status ? (int)err.status : TR_ENV;
out:
	remote_opts_stop(&ro);
	if (html)
		fclose(html);
	if (json)
		fclose(json);
	if (cellsf)
		fclose(cellsf);
	for (size_t i = 0; cells && i < ncells; i++)
		case_override_free(&cells[i]);
	for (size_t i = 0; cases && i < ncells; i++)
		trace_free(&cases[i].res.trace);
	case_scripts_free(scripts, list.n);
	free(cells);
	free(cases);
	free(set);
	matrix_free(&m);
	free(m.cases);
	free(families);
	run_jobs_free(&rows);
	case_files_free(&list);
	case_defines_free(&rig.defines);
	return status;
}
