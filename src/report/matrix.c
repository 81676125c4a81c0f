/* matrix.c - knobs, combinations and what each cell says; no network. */
#include "report/matrix.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A knob name: net.* and [a-z0-9_.] only, no empty dotted part. */
static int knob_name_check(const char *spec, const char *name, struct tr_err *err)
{
	const char *p;

	if (!*name)
		return err_usage(err, "matrix knob '%s': no sysctl name before '='", spec);
	for (p = name; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_' || *p == '.')
			continue;
		if (*p >= ' ' && *p < 0x7f)
			return err_usage(err,
					 "matrix knob '%s': '%c' in sysctl name '%s' "
					 "(only a-z, 0-9, '_' and '.')",
					 spec, *p, name);
		return err_usage(err,
				 "matrix knob '%s': byte 0x%02x in sysctl name '%s' "
				 "(only a-z, 0-9, '_' and '.')",
				 spec, (unsigned char)*p, name);
	}
	if (strncmp(name, "net.", 4) != 0)
		return err_usage(err, "matrix knob '%s': '%s' is not a net.* sysctl", spec, name);
	if (strstr(name, "..") || name[strlen(name) - 1] == '.')
		return err_usage(err, "matrix knob '%s': sysctl name '%s' has an empty part", spec,
				 name);
	return 0;
}

/* One value: non-empty, printable, no blank; not given before. */
static int knob_value_check(const char *spec, const struct matrix_knob *k, const char *v,
			    struct tr_err *err)
{
	const char *p;
	size_t i;

	if (!*v)
		return err_usage(err, "matrix knob '%s': an empty value", spec);
	for (p = v; *p; p++)
		if ((unsigned char)*p <= ' ' || *p == 0x7f)
			return err_usage(err,
					 "matrix knob '%s': value '%s' has a blank or a "
					 "control character",
					 spec, v);
	for (i = 0; i < k->nvalues; i++)
		if (strcmp(k->values[i], v) == 0)
			return err_usage(err, "matrix knob '%s': value '%s' given twice", spec, v);
	return 0;
}

static void knob_free(struct matrix_knob *k)
{
	size_t i;

	for (i = 0; i < k->nvalues; i++)
		free(k->values[i]);
	free(k->values);
	free(k->name);
	memset(k, 0, sizeof(*k));
}

int matrix_add_knob(struct matrix *m, const char *spec, struct tr_err *err)
{
	struct matrix_knob k = {0};
	const char *eq = strchr(spec, '=');
	char *list = NULL, *v, *save = NULL;
	size_t i, combos;
	int ret = -1;

	if (!eq)
		return err_usage(err, "matrix knob '%s': expected NAME=VALUE,VALUE,...", spec);
	if (m->nknobs >= MATRIX_KNOBS_MAX)
		return err_usage(err, "matrix knob '%s': more than %d knobs", spec,
				 MATRIX_KNOBS_MAX);
	k.name = strndup(spec, (size_t)(eq - spec));
	list = strdup(eq + 1);
	k.values = calloc(MATRIX_VALUES_MAX, sizeof(*k.values));
	if (!k.name || !list || !k.values) {
		err_sys(err, "matrix knob '%s'", spec);
		goto out;
	}
	if (knob_name_check(spec, k.name, err))
		goto out;
	for (i = 0; i < m->nknobs; i++)
		if (strcmp(m->knobs[i].name, k.name) == 0) {
			err_usage(err, "matrix knob '%s': knob '%s' given twice", spec, k.name);
			goto out;
		}
	if (!*list) {
		err_usage(err, "matrix knob '%s': no values after '='", spec);
		goto out;
	}
	/* strsep, not strtok: "0,,1" must show its empty value. */
	save = list;
	while ((v = strsep(&save, ",")) != NULL) {
		if (knob_value_check(spec, &k, v, err))
			goto out;
		if (k.nvalues == MATRIX_VALUES_MAX) {
			err_usage(err, "matrix knob '%s': more than %d values", spec,
				  MATRIX_VALUES_MAX);
			goto out;
		}
		k.values[k.nvalues] = strdup(v);
		if (!k.values[k.nvalues]) {
			err_sys(err, "matrix knob '%s'", spec);
			goto out;
		}
		k.nvalues++;
	}
	combos = k.nvalues;
	for (i = 0; i < m->nknobs; i++)
		combos *= m->knobs[i].nvalues;
	if (combos > MATRIX_COMBOS_MAX) {
		err_usage(err, "matrix knob '%s': %zu combinations, more than %d", spec, combos,
			  MATRIX_COMBOS_MAX);
		goto out;
	}
	m->knobs[m->nknobs++] = k;
	m->ncombos = combos;
	memset(&k, 0, sizeof(k));
	ret = 0;
out:
	free(list);
	knob_free(&k);
	return ret;
}

int matrix_alloc(struct matrix *m, struct tr_err *err)
{
	size_t i, n;

	if (m->nknobs == 0)
		m->ncombos = 1;
	n = m->ncases * m->ncombos;
	free(m->cells);
	m->cells = NULL;
	if (n == 0)
		return 0;
	m->cells = calloc(n, sizeof(*m->cells));
	if (!m->cells)
		return err_sys(err, "matrix of %zu cells", n);
	/* A cell nobody filled in must never read as a pass. */
	for (i = 0; i < n; i++) {
		m->cells[i].ret = -1;
		m->cells[i].err.status = TR_ENV;
		snprintf(m->cells[i].err.msg, sizeof(m->cells[i].err.msg), "not run");
		snprintf(m->cells[i].text, sizeof(m->cells[i].text), "error");
	}
	return 0;
}

/* How many combinations pass before knob k's value changes. */
static size_t knob_stride(const struct matrix *m, size_t knob)
{
	size_t s = 1, i;

	for (i = knob + 1; i < m->nknobs; i++)
		s *= m->knobs[i].nvalues;
	return s;
}

const char *matrix_value(const struct matrix *m, size_t combo, size_t knob)
{
	const struct matrix_knob *k;

	if (knob >= m->nknobs)
		return NULL;
	k = &m->knobs[knob];
	return k->values[(combo / knob_stride(m, knob)) % k->nvalues];
}

/* "net.ipv4.tcp_tw_reuse" -> "tw_reuse". */
static const char *knob_short(const char *name)
{
	const char *s = strrchr(name, '.');

	s = s ? s + 1 : name;
	if (strncmp(s, "tcp_", 4) == 0 && s[4])
		s += 4;
	return s;
}

void matrix_combo_label(const struct matrix *m, size_t combo, char *buf, size_t cap)
{
	size_t i, len = 0;
	int n;

	if (cap == 0)
		return;
	buf[0] = '\0';
	for (i = 0; i < m->nknobs && len < cap; i++) {
		n = snprintf(buf + len, cap - len, "%s%s=%s", i ? " " : "",
			     knob_short(m->knobs[i].name), matrix_value(m, combo, i));
		if (n < 0)
			return;
		len += (size_t)n;
	}
}

void matrix_combo_sysctl(const struct matrix *m, size_t combo, size_t knob, char *buf, size_t cap)
{
	if (cap == 0)
		return;
	if (knob >= m->nknobs) {
		buf[0] = '\0';
		return;
	}
	snprintf(buf, cap, "%s=%s", m->knobs[knob].name, matrix_value(m, combo, knob));
}

struct matrix_cell *matrix_cell(const struct matrix *m, size_t kase, size_t combo)
{
	if (!m->cells || kase >= m->ncases || combo >= m->ncombos)
		return NULL;
	return &m->cells[kase * m->ncombos + combo];
}

const char *matrix_family(const struct matrix *m, size_t kase)
{
	return m->families && kase < m->ncases && m->families[kase] ? m->families[kase] : "";
}

/* A label ending in '!' among the blank-separated outcome labels. */
static bool outcome_has_risk(const char *outcome)
{
	const char *p = outcome, *end;

	while (*p) {
		while (*p == ' ')
			p++;
		end = p;
		while (*end && *end != ' ')
			end++;
		if (end > p && end[-1] == '!')
			return true;
		p = end;
	}
	return false;
}

/* Copies the outcome's whole labels that fit in room characters (".." for
 * any left out, if that fits too); returns how many characters it wrote. */
static size_t outcome_fit(const char *outcome, char *out, size_t room)
{
	const char *p = outcome, *end;
	size_t len = 0, n;

	while (*p) {
		while (*p == ' ')
			p++;
		if (!*p)
			break;
		end = p;
		while (*end && *end != ' ')
			end++;
		n = (size_t)(end - p) + (len ? 1 : 0);
		if (len + n > room) {
			if (len + (len ? 3 : 2) <= room) {
				memcpy(out + len, len ? " .." : "..", len ? 3 : 2);
				len += len ? 3 : 2;
			}
			break;
		}
		if (len)
			out[len++] = ' ';
		memcpy(out + len, p, (size_t)(end - p));
		len += (size_t)(end - p);
		p = end;
	}
	out[len] = '\0';
	return len;
}

static const struct trace_event *failed_event(const struct trace *t)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		if (t->ev[i].status == TRACE_FAILED)
			return &t->ev[i];
	return NULL;
}

void matrix_cell_describe(struct matrix_cell *cell)
{
	const size_t cap = sizeof(cell->text);
	const struct run_result *r = &cell->res;
	const struct trace_event *ev;
	char tail[sizeof(cell->text)], head[sizeof(cell->text)];
	size_t n, h;

	cell->risk = false;
	if (cell->ret) {
		snprintf(cell->text, cap, "error");
		return;
	}
	switch (r->verdict) {
	case RUN_SKIP:
		snprintf(cell->text, cap, "skip");
		return;
	case RUN_INCONCLUSIVE:
		snprintf(cell->text, cap, "inconclusive");
		return;
	case RUN_PASS:
		cell->risk = outcome_has_risk(r->outcome);
		if (!outcome_fit(r->outcome, cell->text, cap - 1))
			snprintf(cell->text, cap, "pass");
		return;
	case RUN_FAIL:
		cell->risk = outcome_has_risk(r->outcome);
		ev = failed_event(&r->trace);
		if (r->line > 0)
			n = (size_t)snprintf(tail, sizeof(tail), "FAIL l.%d", r->line);
		else
			n = (size_t)snprintf(tail, sizeof(tail), "FAIL");
		/* The field, cut to what is left. */
		if (ev && ev->field[0] && n + 2 < sizeof(tail))
			snprintf(tail + n, sizeof(tail) - n, " %s", ev->field);
		n = strlen(tail);
		h = n + 2 < cap ? outcome_fit(r->outcome, head, cap - 2 - n) : 0;
		if (h) {
			memcpy(cell->text, head, h);
			cell->text[h++] = ' ';
		}
		memcpy(cell->text + h, tail, n + 1);
		return;
	}
	snprintf(cell->text, cap, "error");
}

void matrix_free(struct matrix *m)
{
	size_t i, n = m->cells ? m->ncases * m->ncombos : 0;

	for (i = 0; i < n; i++)
		trace_free(&m->cells[i].res.trace);
	free(m->cells);
	m->cells = NULL;
	for (i = 0; i < m->nknobs; i++)
		knob_free(&m->knobs[i]);
	m->nknobs = 0;
	m->ncombos = 0;
}
