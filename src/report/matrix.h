/* matrix.h - every case under every combination of sysctl values: the model
 * behind `tcprig matrix`, its text table and its HTML report.
 *
 * Knobs come in the order given, each with its values; combination c takes
 * value index (c / stride_k) % nvalues_k for knob k, the last knob varying
 * fastest. A case runs once per combination, the matrix's values replacing
 * the case's own --sysctl lines for the same knobs.
 *
 * A cell says what the target did: the outcome labels of the alternatives
 * that held (`=> ack`, `=> rst!`; a label ending in '!' is a risk the case
 * names), "pass" for a case that names none and held, "FAIL l.N" with the
 * first differing field, "skip", "inconclusive" or "error".
 */
#ifndef TCPRIG_MATRIX_H
#define TCPRIG_MATRIX_H

#include <stdbool.h>
#include <stddef.h>

#include "core/err.h"
#include "core/result.h"

#define MATRIX_KNOBS_MAX 8
#define MATRIX_VALUES_MAX 16
#define MATRIX_COMBOS_MAX 256

struct matrix_knob {
	char *name;    /* "net.ipv4.tcp_tw_reuse" */
	char **values; /* "0", "1", "2" */
	size_t nvalues;
};

struct matrix_cell {
	int ret; /* 0: res holds the verdict; -1: could not run (err) */
	struct tr_err err;
	struct run_result res; /* its trace is the cell's ladder */
	char text[64];	       /* what the table shows, see above */
	bool risk;	       /* an outcome label that held ends in '!' */
};

struct matrix {
	struct matrix_knob knobs[MATRIX_KNOBS_MAX];
	size_t nknobs;
	size_t ncombos; /* the product of the knobs' nvalues */
	char **cases;	/* each row's case path, in order */
	/* each row's family ("ipv4", "ipv6"); NULL: no family axis, each case
	 * ran in its own family. The caller's, like cases. */
	const char **families;
	size_t ncases;		   /* rows */
	struct matrix_cell *cells; /* [case * ncombos + combo] */
};

/* "net.ipv4.tcp_tw_reuse=0,1,2" -> a knob; errors name the offending text
 * (status 2). The name is a net.* sysctl of [a-z0-9_.]; values are
 * non-empty, without blanks or control characters, each given once; a knob
 * given twice, or more knobs, values or combinations than the limits above,
 * is an error. Starts from a zeroed struct matrix. */
int matrix_add_knob(struct matrix *m, const char *spec, struct tr_err *err);
/* Allocates the cells for m->ncases cases (m->cases set by the caller); with
 * no knob there is one combination, the cases as written. Every cell starts
 * as an error "not run" (ret -1), never as a pass. */
int matrix_alloc(struct matrix *m, struct tr_err *err);
const char *matrix_value(const struct matrix *m, size_t combo, size_t knob);
/* "tw_reuse=1 timestamps=0": each knob's last name part without "tcp_". */
void matrix_combo_label(const struct matrix *m, size_t combo, char *buf, size_t cap);
/* "net.ipv4.tcp_tw_reuse=1" for each knob, as --sysctl lines take them. */
void matrix_combo_sysctl(const struct matrix *m, size_t combo, size_t knob, char *buf, size_t cap);
/* NULL when kase or combo is out of range or the cells are not allocated. */
struct matrix_cell *matrix_cell(const struct matrix *m, size_t kase, size_t combo);
/* Fills cell->text and cell->risk from its result: ret -1 "error"; SKIP
 * "skip"; INCONCLUSIVE "inconclusive"; PASS the outcome labels, or "pass";
 * FAIL "FAIL l.N field" (the FAILED event's field) after the outcome labels
 * if any ("rst! FAIL l.20 tcp flags"). Labels that do not fit are cut whole
 * (".."). risk only for PASS and FAIL, the verdicts whose text shows the
 * labels. */
void matrix_cell_describe(struct matrix_cell *cell);
/* Row kase's family, "" without a family axis. */
const char *matrix_family(const struct matrix *m, size_t kase);
/* Frees the knobs, the cells and each cell's trace. m->cases and
 * m->families belong to the caller and are left alone (and kept). */
void matrix_free(struct matrix *m);

#endif
