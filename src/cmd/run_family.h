/* run_family.h - run --family: the cases as jobs, one per family each runs
 * in. Without --family a case runs once, in its own family (its
 * --ip_version, else IPv4), and its line looks as it always did; with it,
 * once per family asked for, its line tagged "[ipv6]" and its JSON config
 * "family=ipv6", and a family the case bars (`// family: ipv4`,
 * --ip_version) is a SKIP that says why.
 */
#ifndef TCPRIG_CMD_RUN_FAMILY_H
#define TCPRIG_CMD_RUN_FAMILY_H

#include <stdbool.h>
#include <stddef.h>

#include "case/case.h"
#include "core/err.h"

struct run_job {
	size_t script;	   /* the case it runs: an index into the scripts */
	int family;	   /* run_config.family: 0 (the case's own) or AF_INET6 ... */
	char *label;	   /* the case's path, "[ipv6]" after it under --family */
	const char *config; /* "family=ipv6" under --family, else NULL */
	char skip[200];	   /* why it does not run, "" if it does */
};

struct run_jobs {
	struct run_job *j;
	size_t n;
};

/* The jobs of scripts[0..n); given: --family was, asking for ipv4 and/or
 * ipv6. A bad `// family:` header is TR_USAGE (path:line:col). */
int run_jobs_make(struct run_jobs *jobs, const struct case_script *scripts, char *const *paths,
		  size_t n, bool given, bool ipv4, bool ipv6, struct tr_err *err);
void run_jobs_free(struct run_jobs *jobs);

#endif
