/* override.c - command-line sysctls over a case's own. */
#include "case/override.h"

#include <stdlib.h>
#include <string.h>

/* The length of the NAME in "NAME=VALUE". */
static size_t sysctl_name_len(const char *spec)
{
	return strcspn(spec, "=");
}

int case_override_check(const char *what, const char *spec, struct tr_err *err)
{
	size_t n = sysctl_name_len(spec);

	if (!spec[n] || !spec[n + 1] || n == 0)
		return err_usage(err, "%s: '%s' is not NAME=VALUE", what, spec);
	if (strncmp(spec, "net.", 4) && strncmp(spec, "net/", 4))
		return err_usage(err, "%s: '%.*s': only net.* knobs (the others are shared "
				 "with the host)", what, (int)n, spec);
	for (size_t i = 0; i < n; i++)
		if (!strchr("abcdefghijklmnopqrstuvwxyz0123456789_./-", spec[i]))
			return err_usage(err, "%s: '%.*s' is not a sysctl name", what, (int)n,
					 spec);
	/* A knob of several fields is written with blanks between them
	 * ("net.ipv4.ip_local_port_range=40000 40001"), as in a case's own
	 * --sysctl line; blanks at either end are a quoting slip. */
	for (const char *v = spec + n + 1; *v; v++)
		if ((unsigned char)*v < ' ' && *v != '\t')
			return err_usage(err, "%s: the value of '%.*s' has a control "
					 "character (byte %d)", what, (int)n, spec,
					 (int)(v - spec) + 1);
	if (strchr(" \t", spec[n + 1]) || strchr(" \t", spec[strlen(spec) - 1]))
		return err_usage(err, "%s: the value in '%s' begins or ends with a blank", what,
				 spec);
	return 0;
}

int case_override_add(const char *spec, char **list, size_t *n, size_t max, struct tr_err *err)
{
	if (case_override_check("--sysctl", spec, err))
		return -1;
	if (*n == max)
		return err_usage(err, "--sysctl: more than %zu", max);
	list[(*n)++] = (char *)spec;
	return 0;
}

static bool sysctl_same_knob(const char *a, const char *b)
{
	size_t n = sysctl_name_len(a);

	return n == sysctl_name_len(b) && !strncmp(a, b, n);
}

int case_override_sysctls(const struct case_script *s, char *const *set, size_t nset,
			  struct case_script *out, struct tr_err *err)
{
	const struct case_options *o = &s->opt;
	char **list = calloc(o->nsysctls + nset + 1, sizeof(*list));
	size_t n = 0;

	if (!list)
		return err_sys(err, "sysctls");
	*out = *s;
	for (size_t i = 0; i < o->nsysctls; i++) {
		bool replaced = false;

		for (size_t j = 0; j < nset && !replaced; j++)
			replaced = sysctl_same_knob(o->sysctls[i], set[j]);
		if (!replaced)
			list[n++] = o->sysctls[i];
	}
	for (size_t j = 0; j < nset; j++)
		list[n++] = set[j];
	out->opt.sysctls = list;
	out->opt.nsysctls = n;
	return 0;
}

void case_override_free(struct case_script *out)
{
	free(out->opt.sysctls);
	out->opt.sysctls = NULL;
	out->opt.nsysctls = 0;
}
