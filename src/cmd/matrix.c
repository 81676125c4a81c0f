/* tcprig matrix: every case under every combination of sysctl values, each
 * run in its own lab, as a table of what the target did. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "case/case.h"
#include "case/files.h"
#include "case/meta.h"
#include "case/override.h"
#include "case/shard.h"
#include "cmd/matrix_kernels.h"
#include "cmd/matrix_tw.h"
#include "cmd/remote_opts.h"
#include "cmd/rig_opts.h"
#include "cmd/subcommands.h"
#include "core/parse_num.h"
#include "lab/lab.h"
#include "lab/registry.h"
#include "report/html.h"
#include "report/matrix.h"
#include "report/report.h"
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

static const char *matrix_base(const char *path)
{
	const char *b = strrchr(path, '/');

	return b ? b + 1 : path;
}

/* "net.ipv4.tcp_tw_reuse" -> "tw_reuse": what a column header has room for. */
static const char *matrix_knob_short(const char *name)
{
	const char *b = strrchr(name, '.');

	b = b ? b + 1 : name;
	return strncmp(b, "tcp_", 4) ? b : b + 4;
}

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
		matrix_combo_label(m, i % m->ncombos, combo, sizeof(combo));
		fprintf(stderr, "\r\033[K[%zu/%zu] %s  %s: %s", i + 1, m->ncases * m->ncombos,
			matrix_base(m->cases[i / m->ncombos]), combo, cell->text);
		fflush(stderr);
	}
}

static void matrix_print_table(const struct matrix *m, bool colour)
{
	size_t *w = calloc(m->ncombos, sizeof(*w)), name_w = 4;

	if (!w)
		return;
	for (size_t k = 0; k < m->nknobs; k++)
		if (strlen(matrix_knob_short(m->knobs[k].name)) > name_w)
			name_w = strlen(matrix_knob_short(m->knobs[k].name));
	for (size_t i = 0; i < m->ncases; i++)
		if (strlen(matrix_base(m->cases[i])) - 4 > name_w)
			name_w = strlen(matrix_base(m->cases[i])) - 4;
	for (size_t c = 0; c < m->ncombos; c++) {
		w[c] = 4;
		for (size_t k = 0; k < m->nknobs; k++)
			if (strlen(matrix_value(m, c, k)) > w[c])
				w[c] = strlen(matrix_value(m, c, k));
		for (size_t i = 0; i < m->ncases; i++)
			if (strlen(matrix_cell(m, i, c)->text) > w[c])
				w[c] = strlen(matrix_cell(m, i, c)->text);
	}
	/* One header row per knob, its values over the columns. */
	for (size_t k = 0; k < m->nknobs; k++) {
		printf("%*s", (int)name_w, matrix_knob_short(m->knobs[k].name));
		for (size_t c = 0; c < m->ncombos; c++)
			printf("  %-*s", c + 1 < m->ncombos ? (int)w[c] : 0, matrix_value(m, c, k));
		printf("\n");
	}
	for (size_t i = 0; i < m->ncases; i++) {
		const char *b = matrix_base(m->cases[i]);

		printf("%-*.*s", (int)name_w, (int)strlen(b) - 4, b);
		for (size_t c = 0; c < m->ncombos; c++) {
			const struct matrix_cell *cell = matrix_cell(m, i, c);
			const char *on = !colour	    ? "" :
					 cell->risk	    ? "\033[1;31m" :
					 cell->res.verdict == RUN_FAIL || cell->ret ? "\033[33m" :
										      "";

			/* No padding after the last column: no trailing blanks. */
			printf("  %s%-*s%s", on, c + 1 < m->ncombos ? (int)w[c] : 0, cell->text,
			       *on ? "\033[0m" : "");
		}
		printf("\n");
	}
	free(w);
}

static int matrix_write_json(FILE *f, const struct matrix *m, struct tr_err *err)
{
	size_t n = m->ncases * m->ncombos;
	struct report_case *rc = calloc(n, sizeof(*rc));
	char (*labels)[256] = calloc(n, sizeof(*labels));
	int ret = -1;

	if (!rc || !labels) {
		err_sys(err, "--json");
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		const struct matrix_cell *cell = &m->cells[i];
		size_t len = 0;

		for (size_t k = 0; k < m->nknobs; k++)
			len += (size_t)snprintf(labels[i] + len, sizeof(labels[i]) - len, "%s%s=%s",
						k ? " " : "", m->knobs[k].name,
						matrix_value(m, i % m->ncombos, k));
		rc[i] = (struct report_case){ .path = m->cases[i / m->ncombos], .ret = cell->ret,
					      .err = &cell->err, .res = &cell->res,
					      .config = labels[i] };
	}
	ret = report_json_write(f, rc, n, err);
	if (!ret && fflush(f))
		ret = err_sys(err, "--json");
out:
	free(rc);
	free(labels);
	return ret;
}

static int matrix_write_html(FILE *f, const struct matrix *m, struct tr_err *err)
{
	char title[512], date[64];
	struct utsname u;
	time_t now = time(NULL);
	int ret;

	uname(&u);
	strftime(date, sizeof(date), "%Y-%m-%d %H:%M UTC", gmtime(&now));
	snprintf(title, sizeof(title), "tcprig matrix\nkernel %s %s, %s", u.sysname, u.release,
		 date);
	ret = report_html_write(f, m, title, err);
	if (!ret && fflush(f))
		ret = err_sys(err, "--html");
	return ret;
}

/* case TAB combination TAB cell, a line each: what matrix --kernel joins. */
static int matrix_write_cells(FILE *f, const struct matrix *m, struct tr_err *err)
{
	for (size_t i = 0; i < m->ncases; i++)
		for (size_t c = 0; c < m->ncombos; c++) {
			char combo[512];

			matrix_combo_label(m, c, combo, sizeof(combo));
			fprintf(f, "%s\t%s\t%s\n", m->cases[i], combo[0] ? combo : "-",
				matrix_cell(m, i, c)->text);
		}
	if (fflush(f) || ferror(f))
		return err_sys(err, "--cells");
	return 0;
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

/* The cells' scripts: each case with its combination's sysctls over its own.
 * *setp keeps the strings their lists point to, until the run is over. */
static int matrix_prepare(const struct matrix *m, const struct case_script *scripts, bool slow,
			  const struct rig_opts *rig, const struct run_remote *remote,
			  struct case_script *cells,
			  struct run_pool_case *cases,
			  matrix_sysctls **setp, struct tr_err *err)
{
	matrix_sysctls *set = calloc(m->ncombos, sizeof(*set));
	char *ptrs[MATRIX_KNOBS_MAX];

	if (!set)
		return err_sys(err, "matrix");
	for (size_t c = 0; c < m->ncombos; c++)
		for (size_t k = 0; k < m->nknobs; k++)
			matrix_combo_sysctl(m, c, k, set[c][k], sizeof(set[c][k]));
	for (size_t i = 0; i < m->ncases; i++) {
		bool skip = !slow && case_meta_is_slow(&scripts[i]);

		for (size_t c = 0; c < m->ncombos; c++) {
			size_t j = i * m->ncombos + c;

			for (size_t k = 0; k < m->nknobs; k++)
				ptrs[k] = set[c][k];
			/* The override copies the pointers: the strings must stay. */
			if (case_override_sysctls(&scripts[i], ptrs, m->nknobs, &cells[j], err)) {
				free(set);
				return -1;
			}
			cases[j].script = &cells[j];
			cases[j].cfg = (struct run_config){ .tolerance_us = -1,
							    .tolerance_pct = -1,
							    .pacer = rig->pacer,
							    .remote = remote };
			cases[j].retries = rig->retries;
			if (skip)
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
	if (remote_on)
		jobs = 1;
	list.defs = &rig.defines;
	if (case_files_load(&list, argv + optind, (size_t)(argc - optind), &scripts, &err))
		goto fail;
	case_shard_apply(&shard, &list, scripts);
	m.cases = list.paths;
	m.ncases = list.n;
	if (matrix_alloc(&m, &err))
		goto fail;
	ncells = m.ncases * m.ncombos;
	cells = calloc(ncells, sizeof(*cells));
	cases = calloc(ncells, sizeof(*cases));
	if (!cells || !cases) {
		err_sys(&err, "matrix");
		goto fail;
	}
	if (matrix_prepare(&m, scripts, slow, &rig, remote_on ? &remote : NULL, cells, cases, &set,
			   &err))
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
	matrix_print_table(&m, isatty(STDOUT_FILENO) && !getenv("NO_COLOR"));
	printf("cells: the outcome labels that held ('!': a risk the case names), pass,\n"
	       "FAIL l.N and the first differing field, skip, inconclusive, error.\n");
	status = mr.errors ? TR_ENV : TR_OK;
	if ((json && matrix_write_json(json, &m, &err)) ||
	    (html && matrix_write_html(html, &m, &err)) ||
	    (cellsf && matrix_write_cells(cellsf, &m, &err))) {
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
	case_files_free(&list);
	case_defines_free(&rig.defines);
	return status;
}
