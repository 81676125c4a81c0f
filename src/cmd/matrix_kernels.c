/* matrix --kernel: one matrix per kernel, joined column by column. */
#include "cmd/matrix_kernels.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cmd/subcommands.h"
#include "core/err.h"
#include "core/parse_num.h"
#include "report/json_merge.h"
#include "report/kernels_html.h"
#include "vm/image.h"
#include "vm/session.h"

#define MK_ROWS_MAX 4096
#define MK_ARGS_MAX 256
/* Relative: the guest brings back only files under its working directory. */
#define MK_GUEST_CELLS ".tcprig-matrix-cells.tsv"
#define MK_GUEST_JSON ".tcprig-matrix.json"

struct mk_row {
	char *kase, *combo;
	char *cell[MATRIX_KERNELS_MAX];
};

struct mk {
	const char *kernel[MATRIX_KERNELS_MAX];
	char name[MATRIX_KERNELS_MAX][IMAGE_RELEASE_MAX + 8];
	bool ran[MATRIX_KERNELS_MAX];
	size_t nkernels;
	struct mk_row rows[MK_ROWS_MAX];
	size_t nrows;
	bool knobs; /* some row has a combination */
};

bool matrix_kernels_given(int argc, char *argv[])
{
	for (int i = 1; i < argc && strcmp(argv[i], "--"); i++)
		if (!strcmp(argv[i], "--kernel") || !strncmp(argv[i], "--kernel=", 9))
			return true;
	return false;
}

static struct mk_row *mk_row(struct mk *mk, const char *kase, const char *combo)
{
	for (size_t i = 0; i < mk->nrows; i++)
		if (!strcmp(mk->rows[i].kase, kase) && !strcmp(mk->rows[i].combo, combo))
			return &mk->rows[i];
	if (mk->nrows == MK_ROWS_MAX)
		return NULL;
	mk->rows[mk->nrows].kase = strdup(kase);
	mk->rows[mk->nrows].combo = strdup(combo);
	mk->knobs |= strcmp(combo, "-") != 0;
	return &mk->rows[mk->nrows++];
}

/* Kernel k's cells file into the rows. */
static int mk_read_cells(struct mk *mk, size_t k, const char *path, struct tr_err *err)
{
	char line[4096];
	FILE *f = fopen(path, "re");

	if (!f)
		return err_env(err, "%s: no cells came back from %s", path, mk->name[k]);
	while (fgets(line, sizeof(line), f)) {
		char *tab1 = strchr(line, '\t'), *tab2 = tab1 ? strchr(tab1 + 1, '\t') : NULL;
		struct mk_row *r;

		if (!tab2)
			continue;
		*tab1 = *tab2 = '\0';
		tab2[1 + strcspn(tab2 + 1, "\n")] = '\0';
		r = mk_row(mk, line, tab1 + 1);
		if (!r) {
			fclose(f);
			return err_env(err, "more than %d rows", MK_ROWS_MAX);
		}
		free(r->cell[k]);
		r->cell[k] = strdup(tab2 + 1);
	}
	fclose(f);
	return 0;
}

/* This host's kernel: the matrix run here by this same binary. */
static int mk_run_host(char **argv, const char *out, int *status, struct tr_err *err)
{
	pid_t pid;
	int st;

	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return err_sys(err, "fork");
	if (pid == 0) {
		int fd = open(out, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

		if (fd < 0 || dup2(fd, 1) < 0)
			_exit(TR_ENV);
		execv("/proc/self/exe", argv);
		_exit(TR_ENV);
	}
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return err_sys(err, "waitpid");
	*status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	return 0;
}

static bool mk_differs(const struct mk *mk, const struct mk_row *r)
{
	const char *first = NULL;

	for (size_t k = 0; k < mk->nkernels; k++) {
		const char *c = r->cell[k] ? r->cell[k] : "-";

		if (!mk->ran[k])
			continue;
		if (first && strcmp(first, c))
			return true;
		first = c;
	}
	return false;
}

static const char *mk_base(const char *path)
{
	const char *b = strrchr(path, '/');

	return b ? b + 1 : path;
}

static void mk_print(const struct mk *mk, bool colour)
{
	size_t w0 = strlen("case"), w[MATRIX_KERNELS_MAX], ndiff = 0;
	char label[1024];

	for (size_t i = 0; i < mk->nrows; i++) {
		const struct mk_row *r = &mk->rows[i];
		size_t l = strlen(mk_base(r->kase)) + (mk->knobs ? strlen(r->combo) + 1 : 0);

		w0 = l > w0 ? l : w0;
	}
	for (size_t k = 0; k < mk->nkernels; k++) {
		w[k] = strlen(mk->name[k]);
		for (size_t i = 0; i < mk->nrows; i++) {
			const char *c = mk->rows[i].cell[k];

			if (c && strlen(c) > w[k])
				w[k] = strlen(c);
		}
	}
	printf("  %-*s", (int)w0, "case");
	for (size_t k = 0; k < mk->nkernels; k++)
		printf("  %-*s", k + 1 < mk->nkernels ? (int)w[k] : 0, mk->name[k]);
	printf("\n");
	for (size_t i = 0; i < mk->nrows; i++) {
		const struct mk_row *r = &mk->rows[i];
		bool d = mk_differs(mk, r);

		ndiff += d;
		snprintf(label, sizeof(label), "%s%s%s", mk_base(r->kase), mk->knobs ? " " : "",
			 mk->knobs ? r->combo : "");
		printf("%s %-*s", d ? "*" : " ", (int)w0, label);
		for (size_t k = 0; k < mk->nkernels; k++)
			printf("  %s%-*s%s", d && colour ? "\033[1;33m" : "",
			       k + 1 < mk->nkernels ? (int)w[k] : 0,
			       !mk->ran[k] ? "error" : r->cell[k] ? r->cell[k] : "-",
			       d && colour ? "\033[0m" : "");
		printf("\n");
	}
	printf("*: the kernels differ (%zu of %zu rows). Cells as in 'tcprig matrix --help'.\n",
	       ndiff, mk->nrows);
}

/* The kernels' JSON reports as one, each case's config led by its kernel. */
static int mk_json(const struct mk *mk, const char *tmpdir, FILE *f, struct tr_err *err)
{
	static char prefix[MATRIX_KERNELS_MAX][IMAGE_RELEASE_MAX + 16];
	const char *texts[MATRIX_KERNELS_MAX], *names[MATRIX_KERNELS_MAX],
		*prefixes[MATRIX_KERNELS_MAX];
	static char path[MATRIX_KERNELS_MAX][PATH_MAX + 32];
	size_t n = 0;
	int rc = 0;

	for (size_t k = 0; !rc && k < mk->nkernels; k++) {
		FILE *in;
		char *buf;
		size_t len;

		if (!mk->ran[k])
			continue;
		snprintf(path[n], sizeof(path[n]), "%s/json-%zu.json", tmpdir, k);
		in = fopen(path[n], "re");
		if (!in) {
			rc = err_env(err, "no JSON came back from %s", mk->name[k]);
			break;
		}
		buf = malloc(JSON_MERGE_BYTES_MAX + 1);
		len = buf ? fread(buf, 1, JSON_MERGE_BYTES_MAX, in) : 0;
		fclose(in);
		if (!buf) {
			rc = err_sys(err, "--json");
			break;
		}
		buf[len] = '\0';
		snprintf(prefix[n], sizeof(prefix[n]), "kernel=%s", mk->name[k]);
		texts[n] = buf;
		names[n] = path[n];
		prefixes[n] = prefix[n];
		n++;
	}
	if (!rc)
		rc = json_merge_prefixed(texts, names, prefixes, n, f, err);
	for (size_t i = 0; i < n; i++)
		free((char *)texts[i]);
	return rc;
}

static int mk_html(const struct mk *mk, FILE *f, struct tr_err *err)
{
	static const char *kernels[MATRIX_KERNELS_MAX], *rows[MK_ROWS_MAX];
	static char labels[MK_ROWS_MAX][512];
	static const char *cells[MK_ROWS_MAX * MATRIX_KERNELS_MAX];
	static bool differ[MK_ROWS_MAX];
	struct kernels_table t = { .nkernels = mk->nkernels, .nrows = mk->nrows,
				   .kernels = kernels, .rows = rows, .cells = cells,
				   .differ = differ };

	for (size_t k = 0; k < mk->nkernels; k++)
		kernels[k] = mk->name[k];
	for (size_t i = 0; i < mk->nrows; i++) {
		const struct mk_row *r = &mk->rows[i];

		snprintf(labels[i], sizeof(labels[i]), "%s%s%s", mk_base(r->kase),
			 mk->knobs ? " " : "", mk->knobs ? r->combo : "");
		rows[i] = labels[i];
		differ[i] = mk_differs(mk, r);
		for (size_t k = 0; k < mk->nkernels; k++)
			cells[i * mk->nkernels + k] = !mk->ran[k] ? "error" :
						      r->cell[k]  ? r->cell[k] :
								    "-";
	}
	return report_kernels_html_write(f, &t, err);
}

int matrix_kernels_main(int argc, char *argv[])
{
	static struct mk mk;
	char *inner[MK_ARGS_MAX + 4], tmpdir[PATH_MAX], cells[PATH_MAX + 32], out[PATH_MAX + 32];
	const char *tmp = getenv("TMPDIR");
	struct tr_err err = { 0 };
	unsigned timeout_s = VM_TIMEOUT_DEFAULT;
	const char *append = NULL;
	FILE *html = NULL, *json = NULL;
	char jsons[MATRIX_KERNELS_MAX][PATH_MAX + 32];
	size_t json_at = 0;
	size_t n = 0, cells_at;
	int status = TR_OK;

	/* inner: prog matrix --cells FILE ARGS (the guest gets it from "matrix") */
	inner[n++] = (char *)prog_name;
	inner[n++] = "matrix";
	inner[n++] = "--cells";
	cells_at = n++;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *val = NULL;

		if (!strcmp(a, "--kernel") || !strcmp(a, "--vm-timeout") ||
		    !strcmp(a, "--vm-append") || !strcmp(a, "--html") || !strcmp(a, "--json")) {
			if (i + 1 == argc)
				return fprintf(stderr, "%s matrix: %s needs a value\n", prog_name, a),
				       TR_USAGE;
			val = argv[++i];
		} else if (!strncmp(a, "--kernel=", 9) || !strncmp(a, "--vm-timeout=", 13) ||
			   !strncmp(a, "--vm-append=", 12) || !strncmp(a, "--html=", 7) ||
			   !strncmp(a, "--json=", 7)) {
			val = strchr(a, '=') + 1;
		} else if (!strncmp(a, "--cells", 7)) {
			fprintf(stderr, "%s matrix: %s does not go with --kernel yet\n", prog_name,
				a);
			return TR_USAGE;
		} else if (!strncmp(a, "--events", 8)) {
			/* The guest would get --cells, which the TIME_WAIT
			 * matrix does not take: refused here, before a boot. */
			fprintf(stderr, "%s matrix: --events does not go with --kernel yet\n",
				prog_name);
			return TR_USAGE;
		} else if (!strncmp(a, "--target", 8)) {
			/* The guests' kernels are the targets: another host is not. */
			fprintf(stderr, "%s matrix: --target does not go with --kernel\n",
				prog_name);
			return TR_USAGE;
		} else {
			if (n == MK_ARGS_MAX + 1)
				return fprintf(stderr, "%s matrix: too many arguments\n", prog_name),
				       TR_USAGE;
			inner[n++] = argv[i];
			continue;
		}
		if (!strncmp(a, "--vm-append", 11)) {
			append = val;
			continue;
		}
		if (!strncmp(a, "--json", 6)) {
			if (json)
				fclose(json);
			json = fopen(val, "we");
			if (!json)
				return fprintf(stderr, "%s matrix: --json %s: %s\n", prog_name, val,
					       strerror(errno)),
				       TR_USAGE;
			continue;
		}
		if (!strncmp(a, "--html", 6)) {
			if (html)
				fclose(html);
			html = fopen(val, "we");
			if (!html)
				return fprintf(stderr, "%s matrix: --html %s: %s\n", prog_name, val,
					       strerror(errno)),
				       TR_USAGE;
			continue;
		}
		if (!strncmp(a, "--vm-timeout", 12)) {
			uint64_t v;

			if (parse_u64("--vm-timeout", val, 1, 3600, &v, &err))
				return fprintf(stderr, "%s matrix: %s\n", prog_name, err.msg), TR_USAGE;
			timeout_s = (unsigned)v;
			continue;
		}
		if (mk.nkernels == MATRIX_KERNELS_MAX)
			return fprintf(stderr, "%s matrix: more than %d --kernel\n", prog_name,
				       MATRIX_KERNELS_MAX),
			       TR_USAGE;
		mk.kernel[mk.nkernels++] = val;
	}
	if (json) {
		inner[n++] = "--json";
		json_at = n++;
	}
	inner[n] = NULL;
	/* Every image checked before anything boots. */
	for (size_t k = 0; k < mk.nkernels; k++) {
		struct utsname u;

		if (!strcmp(mk.kernel[k], "host")) {
			uname(&u);
			snprintf(mk.name[k], sizeof(mk.name[k]), "%s", u.release);
		} else if (image_release(mk.kernel[k], mk.name[k], sizeof(mk.name[k]), &err)) {
			fprintf(stderr, "%s matrix: %s\n", prog_name, err.msg);
			return TR_USAGE;
		}
	}
	snprintf(tmpdir, sizeof(tmpdir), "%s/tcprig-matrix.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(tmpdir)) {
		fprintf(stderr, "%s matrix: mkdtemp %s: %s\n", prog_name, tmpdir, strerror(errno));
		return TR_ENV;
	}
	for (size_t k = 0; k < mk.nkernels; k++) {
		int st = TR_ENV;

		cells[0] = '\0';
		err.msg[0] = '\0';
		fprintf(stderr, "%s matrix: kernel %zu of %zu: %s\n", prog_name, k + 1, mk.nkernels,
			mk.name[k]);
		if (!strcmp(mk.kernel[k], "host")) {
			snprintf(cells, sizeof(cells), "%s/cells-%zu.tsv", tmpdir, k);
			snprintf(out, sizeof(out), "%s/out-%zu", tmpdir, k);
			snprintf(jsons[k], sizeof(jsons[k]), "%s/json-%zu.json", tmpdir, k);
			inner[cells_at] = cells;
			if (json)
				inner[json_at] = jsons[k];
			if (mk_run_host(inner, out, &st, &err))
				fprintf(stderr, "%s matrix: %s\n", prog_name, err.msg);
		} else {
			struct vm_opts o = { .kernel = mk.kernel[k], .timeout_s = timeout_s,
					     .append = append,
					     .argv = inner + 1, .argc = n - 1 };
			struct vm_result r = { 0 };

			inner[cells_at] = MK_GUEST_CELLS;
			if (json)
				inner[json_at] = MK_GUEST_JSON;
			if (vm_session(&o, &r, &err)) {
				fprintf(stderr, "%s matrix: %s: %s\n", prog_name, mk.name[k], err.msg);
			} else if (!r.ok) {
				fprintf(stderr, "%s matrix: %s: %s; console log kept: %s/console.log\n",
					prog_name, mk.name[k], r.why, r.dir);
				status = TR_ENV;
				continue;
			} else {
				char *e = vm_result_read(&r, "stderr");

				st = r.status;
				if (st && e)
					fputs(e, stderr);
				free(e);
				snprintf(cells, sizeof(cells), "%s/cells-%zu.tsv", tmpdir, k);
				snprintf(out, sizeof(out), "%s/files/%s", r.dir, MK_GUEST_CELLS);
				if (rename(out, cells))
					cells[0] = '\0';
				snprintf(out, sizeof(out), "%s/files/%s", r.dir, MK_GUEST_JSON);
				snprintf(jsons[k], sizeof(jsons[k]), "%s/json-%zu.json", tmpdir, k);
				rename(out, jsons[k]);
				snprintf(mk.name[k], sizeof(mk.name[k]), "%s", r.release);
			}
			vm_result_remove(&r);
		}
		if (st == TR_USAGE) {
			status = TR_USAGE;
			break;
		}
		/* A matrix with a cell that could not run (3) still wrote its
		 * cells: "error" shows in those. */
		if (cells[0] && !mk_read_cells(&mk, k, cells, &err))
			mk.ran[k] = true;
		else
			fprintf(stderr, "%s matrix: %s: %s\n", prog_name, mk.name[k],
				err.msg[0] ? err.msg : "no cells");
		if (st != TR_OK || !mk.ran[k])
			status = TR_ENV;
	}
	if (json && status != TR_USAGE && mk_json(&mk, tmpdir, json, &err)) {
		fprintf(stderr, "%s matrix: --json: %s\n", prog_name, err.msg);
		status = TR_ENV;
	}
	for (size_t k = 0; k < mk.nkernels; k++) {
		snprintf(cells, sizeof(cells), "%s/json-%zu.json", tmpdir, k);
		unlink(cells);
		snprintf(cells, sizeof(cells), "%s/cells-%zu.tsv", tmpdir, k);
		unlink(cells);
		snprintf(out, sizeof(out), "%s/out-%zu", tmpdir, k);
		unlink(out);
	}
	rmdir(tmpdir);
	if (status != TR_USAGE) {
		mk_print(&mk, isatty(STDOUT_FILENO) && !getenv("NO_COLOR"));
		if (html && mk_html(&mk, html, &err)) {
			fprintf(stderr, "%s matrix: --html: %s\n", prog_name, err.msg);
			status = TR_ENV;
		}
	}
	if (html)
		fclose(html);
	if (json)
		fclose(json);
	return status;
}
