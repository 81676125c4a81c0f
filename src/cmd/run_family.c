/* run_family.c - run --family: cases as jobs, one per family. */
#include "cmd/run_family.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "case/family.h"

static int run_job_set(struct run_job *j, size_t i, const char *path, bool given, int family,
		       const struct case_family *f, struct tr_err *err)
{
	size_t cap = strlen(path) + sizeof(" [ipv6]");

	j->script = i;
	j->family = given ? family : family == AF_INET6 ? AF_INET6 : 0;
	j->label = malloc(cap);
	if (!j->label)
		return err_sys(err, "jobs");
	if (given)
		snprintf(j->label, cap, "%s [%s]", path, case_family_name(family));
	else
		snprintf(j->label, cap, "%s", path);
	j->config = !given ? NULL : family == AF_INET6 ? "family=ipv6" : "family=ipv4";
	j->skip[0] = '\0';
	if (!case_family_allows(f, family))
		snprintf(j->skip, sizeof(j->skip), "%s", f->why);
	return 0;
}

int run_jobs_make(struct run_jobs *jobs, const struct case_script *scripts, char *const *paths,
		  size_t n, bool given, bool ipv4, bool ipv6, struct tr_err *err)
{
	size_t per = given && ipv4 && ipv6 ? 2 : 1;

	jobs->n = 0;
	jobs->j = calloc(n * per + 1, sizeof(*jobs->j));
	if (!jobs->j)
		return err_sys(err, "jobs");
	for (size_t i = 0; i < n; i++) {
		struct case_family f;

		int rc = case_family_read(&scripts[i], &f, err);

		/* The case's own family: IPv4 unless it bars it. */
		if (!rc && !given)
			rc = run_job_set(&jobs->j[jobs->n++], i, paths[i], false,
					 f.ipv4 ? AF_INET : AF_INET6, &f, err);
		if (!rc && given && ipv4)
			rc = run_job_set(&jobs->j[jobs->n++], i, paths[i], true, AF_INET, &f, err);
		if (!rc && given && ipv6)
			rc = run_job_set(&jobs->j[jobs->n++], i, paths[i], true, AF_INET6, &f, err);
		if (rc) {
			run_jobs_free(jobs);
			return -1;
		}
	}
	return 0;
}

void run_jobs_free(struct run_jobs *jobs)
{
	for (size_t i = 0; jobs->j && i < jobs->n; i++)
		free(jobs->j[i].label);
	free(jobs->j);
	jobs->j = NULL;
	jobs->n = 0;
}
