/* counters.c - nstat-style counter names looked up in /proc/net. */
#include "lab/counters.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* thread-self, not self: /proc/self/net follows the thread group leader,
 * which need not be the thread that moved into the namespace. */
#define NETSTAT_DIR "/proc/thread-self/net/"

static int netstat_parse_value(const char *s, int64_t *value)
{
	char *end;

	errno = 0;
	if (*s == '-')
		*value = strtoll(s, &end, 10);
	else
		*value = (int64_t)strtoull(s, &end, 10);
	if (errno || end == s)
		return -1;
	return 0;
}

/* The field's position in a header line "Sect: A B C" whose section prefixes
 * name, or -1. */
static int netstat_field_index(char *header, const char *name)
{
	char *colon = strchr(header, ':'), *save, *tok;
	size_t plen;
	int i = 0;

	if (!colon)
		return -1;
	plen = (size_t)(colon - header);
	if (strncmp(name, header, plen) != 0)
		return -1;
	for (tok = strtok_r(colon + 1, " \t\n", &save); tok;
	     tok = strtok_r(NULL, " \t\n", &save), i++)
		if (strcmp(tok, name + plen) == 0)
			return i;
	return -1;
}

static int netstat_nth_value(char *line, int idx, int64_t *value)
{
	char *colon = strchr(line, ':'), *save, *tok;
	int i = 0;

	if (!colon)
		return -1;
	for (tok = strtok_r(colon + 1, " \t\n", &save); tok;
	     tok = strtok_r(NULL, " \t\n", &save), i++)
		if (i == idx)
			return netstat_parse_value(tok, value);
	return -1;
}

/* /proc/net/netstat and /proc/net/snmp: pairs of lines, a header naming
 * the fields and a line of values, both starting with "Section:". */
static int netstat_search_paired(const char *file, const char *name, int64_t *value, bool *found,
				 struct tr_err *err)
{
	char path[128], *header = NULL, *values = NULL;
	size_t hcap = 0, vcap = 0;
	int idx, ret = 0;
	FILE *f;

	snprintf(path, sizeof(path), NETSTAT_DIR "%s", file);
	f = fopen(path, "re");
	if (!f)
		return errno == ENOENT ? 0 : err_sys(err, "netstat: open %s", path);
	while (!*found && getline(&header, &hcap, f) > 0) {
		if (getline(&values, &vcap, f) <= 0)
			break;
		idx = netstat_field_index(header, name);
		if (idx < 0)
			continue;
		if (netstat_nth_value(values, idx, value)) {
			ret = err_env(err, "netstat: %s: no value for %s", path, name);
			break;
		}
		*found = true;
	}
	if (ferror(f))
		ret = err_sys(err, "netstat: read %s", path);
	free(header);
	free(values);
	fclose(f);
	return ret;
}

/* /proc/net/snmp6: one "Name value" per line, names already prefixed. */
static int netstat_search_flat(const char *file, const char *name, int64_t *value, bool *found,
			       struct tr_err *err)
{
	char path[128], *line = NULL, *save, *key, *val;
	size_t cap = 0;
	int ret = 0;
	FILE *f;

	snprintf(path, sizeof(path), NETSTAT_DIR "%s", file);
	f = fopen(path, "re");
	if (!f)
		return errno == ENOENT ? 0 : err_sys(err, "netstat: open %s", path);
	while (!*found && getline(&line, &cap, f) > 0) {
		key = strtok_r(line, " \t\n", &save);
		if (!key || strcmp(key, name) != 0)
			continue;
		val = strtok_r(NULL, " \t\n", &save);
		if (!val || netstat_parse_value(val, value)) {
			ret = err_env(err, "netstat: %s: no value for %s", path, name);
			break;
		}
		*found = true;
	}
	if (ferror(f))
		ret = err_sys(err, "netstat: read %s", path);
	free(line);
	fclose(f);
	return ret;
}

int netstat_counter_read(const char *name, int64_t *value, struct tr_err *err)
{
	bool found = false;

	if (!name[0] || strpbrk(name, ": \t\n"))
		return err_usage(err, "netstat: bad counter name '%s'", name);
	if (netstat_search_paired("netstat", name, value, &found, err) ||
	    (!found && netstat_search_paired("snmp", name, value, &found, err)) ||
	    (!found && netstat_search_flat("snmp6", name, value, &found, err)))
		return -1;
	return found ? 0 : 1;
}
