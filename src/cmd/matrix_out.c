/* matrix_out.c - the matrix's table, JSON, HTML and cells (matrix_out.h). */
#include "cmd/matrix_out.h"

#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>

#include "report/html.h"
#include "report/report.h"

/* The family column: as wide as "ipv4" and "ipv6". */
#define FAMILY_W 4

const char *matrix_out_base(const char *path)
{
	const char *b = strrchr(path, '/');

	return b ? b + 1 : path;
}

/* "net.ipv4.tcp_tw_reuse" -> "tw_reuse": what a column header has room for. */
static const char *knob_short(const char *name)
{
	const char *b = strrchr(name, '.');

	b = b ? b + 1 : name;
	return strncmp(b, "tcp_", 4) ? b : b + 4;
}

void matrix_out_label(const struct matrix *m, size_t i, size_t combo, char *buf, size_t cap)
{
	const char *fam = matrix_family(m, i);
	int n = 0;

	if (!cap)
		return;
	if (*fam)
		n = snprintf(buf, cap, "family=%s", fam);
	if (n < 0 || (size_t)n >= cap)
		return;
	if (*fam && m->nknobs)
		buf[n++] = ' ';
	matrix_combo_label(m, combo, buf + n, cap - (size_t)n);
}

void matrix_out_table(const struct matrix *m, bool colour)
{
	size_t *w = calloc(m->ncombos, sizeof(*w)), name_w = 4, head_w;
	bool fam = m->families != NULL;

	if (!w)
		return;
	for (size_t k = 0; k < m->nknobs; k++)
		if (strlen(knob_short(m->knobs[k].name)) > name_w)
			name_w = strlen(knob_short(m->knobs[k].name));
	for (size_t i = 0; i < m->ncases; i++)
		if (strlen(matrix_out_base(m->cases[i])) - 4 > name_w)
			name_w = strlen(matrix_out_base(m->cases[i])) - 4;
	/* The knobs' names stand right-aligned over the case and family columns. */
	head_w = fam ? name_w + 2 + FAMILY_W : name_w;
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
		printf("%*s", (int)head_w, knob_short(m->knobs[k].name));
		for (size_t c = 0; c < m->ncombos; c++)
			printf("  %-*s", c + 1 < m->ncombos ? (int)w[c] : 0, matrix_value(m, c, k));
		printf("\n");
	}
	for (size_t i = 0; i < m->ncases; i++) {
		const char *b = matrix_out_base(m->cases[i]);

		printf("%-*.*s", (int)name_w, (int)strlen(b) - 4, b);
		if (fam)
			printf("  %-*s", FAMILY_W, matrix_family(m, i));
		for (size_t c = 0; c < m->ncombos; c++) {
			const struct matrix_cell *cell = matrix_cell(m, i, c);
			const char *on = !colour				      ? ""
					 : cell->risk				      ? "\033[1;31m"
					 : cell->res.verdict == RUN_FAIL || cell->ret ? "\033[33m"
										      : "";

			/* No padding after the last column: no trailing blanks. */
			printf("  %s%-*s%s", on, c + 1 < m->ncombos ? (int)w[c] : 0, cell->text,
			       *on ? "\033[0m" : "");
		}
		printf("\n");
	}
	free(w);
}

int matrix_out_json(FILE *f, const struct matrix *m, struct tr_err *err)
{
	size_t n = m->ncases * m->ncombos;
	struct report_case *rc = calloc(n + 1, sizeof(*rc));
	char(*labels)[256] = calloc(n + 1, sizeof(*labels));
	int ret = -1;

	if (!rc || !labels) {
		err_sys(err, "--json");
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		const struct matrix_cell *cell = &m->cells[i];
		const char *fam = matrix_family(m, i / m->ncombos);
		size_t len = 0;

		/* "family=ipv6" first, as run --family names it: merge keeps the
		 * two families' cells of a case apart by their config. */
		if (*fam)
			len = (size_t)snprintf(labels[i], sizeof(labels[i]), "family=%s", fam);
		for (size_t k = 0; k < m->nknobs && len < sizeof(labels[i]); k++)
			len += (size_t)snprintf(labels[i] + len, sizeof(labels[i]) - len, "%s%s=%s",
						len ? " " : "", m->knobs[k].name,
						matrix_value(m, i % m->ncombos, k));
		rc[i] = (struct report_case){.path = m->cases[i / m->ncombos],
					     .ret = cell->ret,
					     .err = &cell->err,
					     .res = &cell->res,
					     .config = labels[i]};
	}
	ret = report_json_write(f, rc, n, err);
	if (!ret && fflush(f))
		ret = err_sys(err, "--json");
out:
	free(rc);
	free(labels);
	return ret;
}

int matrix_out_html(FILE *f, const struct matrix *m, struct tr_err *err)
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

int matrix_out_cells(FILE *f, const struct matrix *m, struct tr_err *err)
{
	for (size_t i = 0; i < m->ncases; i++)
		for (size_t c = 0; c < m->ncombos; c++) {
			char combo[512];

			matrix_out_label(m, i, c, combo, sizeof(combo));
			fprintf(f, "%s\t%s\t%s\n", m->cases[i], combo[0] ? combo : "-",
				matrix_cell(m, i, c)->text);
		}
	if (fflush(f) || ferror(f))
		return err_sys(err, "--cells");
	return 0;
}
