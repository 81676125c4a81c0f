/* test_matrix.c - knob specs and their errors, the order of combinations,
 * their labels, and what a cell says for every verdict. */
#include "report/matrix.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"

/* spec must be refused with exactly msg, leaving m as it was. */
static void refuses(struct matrix *m, const char *spec, const char *msg)
{
	struct tr_err err = {0};
	size_t nknobs = m->nknobs, ncombos = m->ncombos;
	int ret = matrix_add_knob(m, spec, &err);

	ok(ret == -1 && err.status == TR_USAGE, "'%s' is refused with status 2", spec);
	is_str(err.msg, msg, "  saying so");
	ok(m->nknobs == nknobs && m->ncombos == ncombos, "  and leaves the matrix as it was");
}

static void test_knob_parses_name_and_values(void)
{
	struct matrix m = {0};
	struct tr_err err = {0};

	is_int(matrix_add_knob(&m, "net.ipv4.tcp_tw_reuse=0,1,2", &err), 0,
	       "net.ipv4.tcp_tw_reuse=0,1,2 parses");
	is_int(m.nknobs, 1, "one knob");
	is_str(m.knobs[0].name, "net.ipv4.tcp_tw_reuse", "its name");
	is_int(m.knobs[0].nvalues, 3, "three values");
	is_str(m.knobs[0].values[0], "0", "in the order given: 0");
	is_str(m.knobs[0].values[2], "2", "... 2");
	is_int(m.ncombos, 3, "three combinations");
	is_int(matrix_add_knob(&m, "net.core.somaxconn=128,4096", &err), 0,
	       "a second knob, net.core.*");
	is_int(m.ncombos, 6, "combinations multiply: 6");
	is_int(matrix_add_knob(&m, "net.ipv4.tcp_rmem=4096:131072:6291456", &err), 0,
	       "a value with any printable character but ',' and blanks");
	matrix_free(&m);
	is_int(m.nknobs, 0, "matrix_free forgets the knobs");
}

static void test_knob_errors_name_the_offending_text(void)
{
	struct matrix m = {0};
	struct tr_err err = {0};
	char spec[256];
	int i;

	refuses(&m, "net.ipv4.tcp_tw_reuse",
		"matrix knob 'net.ipv4.tcp_tw_reuse': expected NAME=VALUE,VALUE,...");
	refuses(&m, "=0,1", "matrix knob '=0,1': no sysctl name before '='");
	refuses(&m, "net.ipv4.TCP_tw_reuse=1",
		"matrix knob 'net.ipv4.TCP_tw_reuse=1': 'T' in sysctl name "
		"'net.ipv4.TCP_tw_reuse' (only a-z, 0-9, '_' and '.')");
	refuses(&m, "net.ipv4.tcp_tw reuse=1",
		"matrix knob 'net.ipv4.tcp_tw reuse=1': ' ' in sysctl name "
		"'net.ipv4.tcp_tw reuse' (only a-z, 0-9, '_' and '.')");
	refuses(&m, "net/ipv4/tcp_tw_reuse=1",
		"matrix knob 'net/ipv4/tcp_tw_reuse=1': '/' in sysctl name "
		"'net/ipv4/tcp_tw_reuse' (only a-z, 0-9, '_' and '.')");
	refuses(&m, "net.ipv4.tcp\ttw=1",
		"matrix knob 'net.ipv4.tcp\ttw=1': byte 0x09 in sysctl name "
		"'net.ipv4.tcp\ttw' (only a-z, 0-9, '_' and '.')");
	refuses(&m, "kernel.pid_max=1",
		"matrix knob 'kernel.pid_max=1': 'kernel.pid_max' is not a net.* sysctl");
	refuses(&m, "net=1", "matrix knob 'net=1': 'net' is not a net.* sysctl");
	refuses(&m, "net..tcp_tw_reuse=1",
		"matrix knob 'net..tcp_tw_reuse=1': sysctl name 'net..tcp_tw_reuse' has an "
		"empty part");
	refuses(&m, "net.ipv4.=1",
		"matrix knob 'net.ipv4.=1': sysctl name 'net.ipv4.' has an empty part");
	refuses(&m, "net.ipv4.tcp_tw_reuse=",
		"matrix knob 'net.ipv4.tcp_tw_reuse=': no values after '='");
	refuses(&m, "net.ipv4.tcp_tw_reuse=0,,1",
		"matrix knob 'net.ipv4.tcp_tw_reuse=0,,1': an empty value");
	refuses(&m, "net.ipv4.tcp_tw_reuse=0,1,",
		"matrix knob 'net.ipv4.tcp_tw_reuse=0,1,': an empty value");
	refuses(&m, "net.ipv4.tcp_tw_reuse=0, 1",
		"matrix knob 'net.ipv4.tcp_tw_reuse=0, 1': value ' 1' has a blank or a "
		"control character");
	refuses(&m, "net.ipv4.ip_local_port_range=1000 2000",
		"matrix knob 'net.ipv4.ip_local_port_range=1000 2000': value '1000 2000' has "
		"a blank or a control character");
	refuses(&m, "net.ipv4.tcp_tw_reuse=1,0,1",
		"matrix knob 'net.ipv4.tcp_tw_reuse=1,0,1': value '1' given twice");
	refuses(&m, "net.ipv4.x=0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16",
		"matrix knob 'net.ipv4.x=0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16': more than "
		"16 values");

	is_int(matrix_add_knob(&m, "net.ipv4.tcp_tw_reuse=0,1", &err), 0, "a good knob");
	refuses(&m, "net.ipv4.tcp_tw_reuse=2",
		"matrix knob 'net.ipv4.tcp_tw_reuse=2': knob 'net.ipv4.tcp_tw_reuse' given "
		"twice");
	matrix_free(&m);

	is_int(matrix_add_knob(&m, "net.a=0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15", &err), 0,
	       "16 values");
	is_int(matrix_add_knob(&m, "net.b=0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15", &err), 0,
	       "16 x 16 = 256 combinations");
	refuses(&m, "net.c=0,1", "matrix knob 'net.c=0,1': 512 combinations, more than 256");
	matrix_free(&m);

	for (i = 0; i < MATRIX_KNOBS_MAX; i++) {
		snprintf(spec, sizeof(spec), "net.k%d=1", i);
		if (matrix_add_knob(&m, spec, &err))
			break;
	}
	is_int(m.nknobs, MATRIX_KNOBS_MAX, "8 knobs");
	refuses(&m, "net.k8=1", "matrix knob 'net.k8=1': more than 8 knobs");
	matrix_free(&m);
}

static void test_combinations_vary_the_last_knob_fastest(void)
{
	static const char *const want[] = {
	    "tw_reuse=0 timestamps=1 rfc1337=0", "tw_reuse=0 timestamps=1 rfc1337=1",
	    "tw_reuse=0 timestamps=0 rfc1337=0", "tw_reuse=0 timestamps=0 rfc1337=1",
	    "tw_reuse=1 timestamps=1 rfc1337=0", "tw_reuse=1 timestamps=1 rfc1337=1",
	    "tw_reuse=1 timestamps=0 rfc1337=0", "tw_reuse=1 timestamps=0 rfc1337=1",
	    "tw_reuse=2 timestamps=1 rfc1337=0", "tw_reuse=2 timestamps=1 rfc1337=1",
	    "tw_reuse=2 timestamps=0 rfc1337=0", "tw_reuse=2 timestamps=0 rfc1337=1",
	};
	struct matrix m = {0};
	struct tr_err err = {0};
	char buf[128];
	size_t c;

	matrix_add_knob(&m, "net.ipv4.tcp_tw_reuse=0,1,2", &err);
	matrix_add_knob(&m, "net.ipv4.tcp_timestamps=1,0", &err);
	matrix_add_knob(&m, "net.ipv4.tcp_rfc1337=0,1", &err);
	is_int(m.ncombos, 12, "3 x 2 x 2 = 12 combinations");
	for (c = 0; c < m.ncombos; c++) {
		matrix_combo_label(&m, c, buf, sizeof(buf));
		is_str(buf, want[c], "combination %zu", c);
	}
	is_str(matrix_value(&m, 7, 0), "1", "matrix_value: combination 7, knob 0");
	is_str(matrix_value(&m, 7, 1), "0", "... knob 1");
	is_str(matrix_value(&m, 7, 2), "1", "... knob 2");
	ok(matrix_value(&m, 7, 3) == NULL, "... no knob 3");
	matrix_combo_sysctl(&m, 7, 0, buf, sizeof(buf));
	is_str(buf, "net.ipv4.tcp_tw_reuse=1", "matrix_combo_sysctl as --sysctl takes it");
	matrix_combo_sysctl(&m, 7, 1, buf, sizeof(buf));
	is_str(buf, "net.ipv4.tcp_timestamps=0", "... for each knob");
	matrix_combo_label(&m, 11, buf, 12);
	is_str(buf, "tw_reuse=2 ", "a label is cut to the buffer");
	matrix_free(&m);

	matrix_add_knob(&m, "net.core.somaxconn=128", &err);
	matrix_add_knob(&m, "net.ipv4.tcp_=1", &err);
	matrix_add_knob(&m, "net.ipv4.ip_forward=0", &err);
	matrix_combo_label(&m, 0, buf, sizeof(buf));
	is_str(buf, "somaxconn=128 tcp_=1 ip_forward=0",
	       "labels: the last part, 'tcp_' dropped only before a name");
	matrix_free(&m);
}

static void test_alloc_makes_cells_that_are_not_passes(void)
{
	const char *cases[] = {"a.pkt", "b.pkt"};
	struct matrix m = {0};
	struct tr_err err = {0};
	struct matrix_cell *c;
	char buf[32];

	matrix_add_knob(&m, "net.ipv4.tcp_tw_reuse=0,1", &err);
	matrix_add_knob(&m, "net.ipv4.tcp_rfc1337=0,1", &err);
	m.cases = (char **)cases;
	m.ncases = 2;
	is_int(matrix_alloc(&m, &err), 0, "matrix_alloc");
	ok(matrix_cell(&m, 1, 3) == &m.cells[7], "cell (case 1, combination 3) is the 8th");
	ok(matrix_cell(&m, 2, 0) == NULL, "no case 2");
	ok(matrix_cell(&m, 0, 4) == NULL, "no combination 4");
	c = matrix_cell(&m, 0, 0);
	ok(c->ret == -1, "a cell nobody filled is an error");
	is_str(c->text, "error", "  and reads so");
	matrix_free(&m);
	ok(m.cases == (char **)cases && m.ncases == 2, "matrix_free leaves the cases alone");
	ok(m.cells == NULL, "  and frees the cells");

	is_int(matrix_alloc(&m, &err), 0, "no knob");
	is_int(m.ncombos, 1, "one combination: the cases as written");
	matrix_combo_label(&m, 0, buf, sizeof(buf));
	is_str(buf, "", "with an empty label");
	matrix_free(&m);
}

/* A cell with verdict v, line, outcome; field != NULL adds a FAILED event. */
static void cell_set(struct matrix_cell *c, enum run_verdict v, int line, const char *outcome,
		     const char *field)
{
	struct trace_event *e;

	trace_free(&c->res.trace);
	memset(c, 0, sizeof(*c));
	c->res.verdict = v;
	c->res.line = line;
	snprintf(c->res.outcome, sizeof(c->res.outcome), "%s", outcome);
	e = trace_add(&c->res.trace, TRACE_SEND, 3, 0);
	if (e)
		e->status = TRACE_OK;
	if (field) {
		e = trace_add(&c->res.trace, TRACE_RECV, line, 100000);
		if (e) {
			e->status = TRACE_FAILED;
			snprintf(e->field, sizeof(e->field), "%s", field);
		}
		e = trace_add(&c->res.trace, TRACE_CALL, line + 1, 200000);
		if (e) {
			e->status = TRACE_NOT_RUN;
			snprintf(e->field, sizeof(e->field), "not this one");
		}
	}
	matrix_cell_describe(c);
}

static void test_cell_describes_every_verdict(void)
{
	struct matrix_cell c = {0};
	char longest[128];

	cell_set(&c, RUN_PASS, 0, "", NULL);
	c.ret = -1;
	matrix_cell_describe(&c);
	is_str(c.text, "error", "could not run: error");
	ok(!c.risk, "  no risk");

	cell_set(&c, RUN_SKIP, 4, "", NULL);
	is_str(c.text, "skip", "SKIP: skip");
	cell_set(&c, RUN_INCONCLUSIVE, 9, "rst!", "tcp flags");
	is_str(c.text, "inconclusive", "INCONCLUSIVE: inconclusive");
	ok(!c.risk, "  no risk: the labels are not shown, nor trusted");

	cell_set(&c, RUN_PASS, 0, "", NULL);
	is_str(c.text, "pass", "PASS, no outcome label: pass");
	ok(!c.risk, "  no risk");
	cell_set(&c, RUN_PASS, 0, "ack", NULL);
	is_str(c.text, "ack", "PASS with a label: the label");
	ok(!c.risk, "  no risk");
	cell_set(&c, RUN_PASS, 0, "rst!", NULL);
	is_str(c.text, "rst!", "PASS with a risk label");
	ok(c.risk, "  risk");
	cell_set(&c, RUN_PASS, 0, "rst! ack", NULL);
	is_str(c.text, "rst! ack", "PASS with two labels, in order");
	ok(c.risk, "  risk from any label ending in '!'");
	cell_set(&c, RUN_PASS, 0, "a!b ack", NULL);
	ok(!c.risk, "a '!' inside a label is no risk");

	cell_set(&c, RUN_FAIL, 20, "", "tcp flags");
	is_str(c.text, "FAIL l.20 tcp flags", "FAIL: the line and the failed event's field");
	ok(!c.risk, "  no risk");
	cell_set(&c, RUN_FAIL, 7, "", NULL);
	is_str(c.text, "FAIL l.7", "FAIL without a failed event: the line");
	cell_set(&c, RUN_FAIL, 12, "", "");
	is_str(c.text, "FAIL l.12", "FAIL whose event names no field");
	cell_set(&c, RUN_FAIL, 20, "rst!", "tcp flags");
	is_str(c.text, "rst! FAIL l.20 tcp flags", "FAIL after a label that held: label first");
	ok(c.risk, "  risk");
	cell_set(&c, RUN_FAIL, 20, "", "tcp option 3 (TS ecr) and then some mor");
	is_str(c.text, "FAIL l.20 tcp option 3 (TS ecr) and then some mor",
	       "the longest field fits");

	cell_set(&c, RUN_FAIL, 123, "challenge_ack established_survives! time_wait_kept",
		 "tcp option 3 (TS ecr)");
	is_str(c.text, "challenge_ack .. FAIL l.123 tcp option 3 (TS ecr)",
	       "labels that do not fit are cut whole");
	ok(strlen(c.text) < sizeof(c.text), "  within the cell");
	ok(c.risk, "  risk counts every label, shown or not");

	memset(longest, 'x', 100);
	longest[100] = '\0';
	cell_set(&c, RUN_PASS, 0, longest, NULL);
	is_str(c.text, "..", "a single label too long for the cell");
	memcpy(longest, "ack ", 4);
	memset(longest + 4, 'y', 59);
	longest[63] = '\0';
	cell_set(&c, RUN_PASS, 0, longest, NULL);
	is_int(strlen(c.text), 63, "a PASS label list of 63 characters fits whole");
	trace_free(&c.res.trace);
}

int main(void)
{
	test_knob_parses_name_and_values();
	test_knob_errors_name_the_offending_text();
	test_combinations_vary_the_last_knob_fastest();
	test_alloc_makes_cells_that_are_not_passes();
	test_cell_describes_every_verdict();
	return tap_done();
}
