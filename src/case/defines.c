/* defines.c - the -D table: a handful of names, looked up linearly. */
#include "case/defines.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

int case_define_add(struct case_defines *d, const char *spec, struct tr_err *err)
{
	const char *eq = strchr(spec, '=');
	size_t len = eq ? (size_t)(eq - spec) : 0;
	char *name, *value;

	if (!eq || !len || !(isalpha((unsigned char)spec[0]) || spec[0] == '_'))
		return err_usage(err, "-D '%s': want NAME=VALUE, NAME a C identifier", spec);
	for (size_t i = 0; i < len; i++)
		if (!isalnum((unsigned char)spec[i]) && spec[i] != '_')
			return err_usage(err, "-D '%s': want NAME=VALUE, NAME a C identifier",
					 spec);
	name = strndup(spec, len);
	value = strdup(eq + 1);
	if (!name || !value) {
		free(name);
		free(value);
		return err_sys(err, "-D");
	}
	for (size_t i = 0; i < d->n; i++)
		if (!strcmp(d->name[i], name)) {
			free(d->name[i]);
			free(d->value[i]);
			d->name[i] = name;
			d->value[i] = value;
			return TR_OK;
		}
	if (d->n == CASE_DEFINES_MAX) {
		free(name);
		free(value);
		return err_usage(err, "-D '%s': more than %d definitions", spec, CASE_DEFINES_MAX);
	}
	d->name[d->n] = name;
	d->value[d->n++] = value;
	return TR_OK;
}

const char *case_define_find(const struct case_defines *d, const char *name, size_t len)
{
	for (size_t i = 0; d && i < d->n; i++)
		if (strlen(d->name[i]) == len && !memcmp(d->name[i], name, len))
			return d->value[i];
	return NULL;
}

void case_defines_free(struct case_defines *d)
{
	for (size_t i = 0; i < d->n; i++) {
		free(d->name[i]);
		free(d->value[i]);
	}
	d->n = 0;
}
