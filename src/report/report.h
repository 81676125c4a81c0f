/* report.h - a run's results as files for machines: JSON and JUnit XML.
 *
 * Both take the cases in the order they were reported, each with its verdict
 * (or the error that kept it from running: never a pass) and its trace.
 * Verdicts agree with the TAP and text output by construction: all of them
 * read the same run_result.
 */
#ifndef TCPRIG_REPORT_H
#define TCPRIG_REPORT_H

#include <stddef.h>
#include <stdio.h>

#include "core/err.h"
#include "core/result.h"

struct report_case {
	const char *path;
	/* 0: res holds the verdict; -1: the case could not run, err says why
	 * (JSON: verdict "ERROR"; JUnit: an <error>). */
	int ret;
	const struct tr_err *err;
	const struct run_result *res;
	const char *config; /* matrix: "net.ipv4.tcp_tw_reuse=1 ..."; NULL: none */
	/* run --retries: the INCONCLUSIVE tries before the one res holds. */
	const struct run_try *tries;
	unsigned ntries;
};

int report_json_write(FILE *f, const struct report_case *c, size_t n, struct tr_err *err);
int report_junit_write(FILE *f, const char *suite, const struct report_case *c, size_t n,
		       struct tr_err *err);

#endif
