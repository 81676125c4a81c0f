/* run_print.c - run's report lines and report files. */
#include "cmd/run_print.h"

#include <stdlib.h>
#include <string.h>

#include "report/ladder.h"
#include "report/report.h"

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
void run_report(size_t i, const struct run_pool_case *c, void *ctx)
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
 * and TAP lines did. A job under --family carries it as its config. */
int run_write_reports(const struct run_pool_case *cases, char **paths,
			     const struct run_jobs *jobs, FILE *json, FILE *junit,
			     struct tr_err *err)
{
	struct report_case *rc;
	size_t n = jobs->n;
	int ret = 0;

	if (!json && !junit)
		return 0;
	rc = calloc(n ? n : 1, sizeof(*rc));
	if (!rc)
		return err_sys(err, "reports");
	for (size_t i = 0; i < n; i++)
		rc[i] = (struct report_case){ .path = paths[jobs->j[i].script],
					      .config = jobs->j[i].config, .ret = cases[i].ret,
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

