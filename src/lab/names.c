/* names.c - the names of labs and of their namespaces: parsing them
 * and checking a user's name for a lab. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lab/names.h"

static bool lab_is_digits(const char *s, size_t len)
{
	size_t i;

	if (len == 0)
		return false;
	for (i = 0; i < len; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

/* ASCII only, whatever the locale says is a letter. */
static bool lab_is_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_';
}

bool lab_keep_name_valid(const char *name)
{
	size_t i, len = strlen(name);

	if (len == 0 || len > LAB_KEEP_NAME_MAX)
		return false;
	for (i = 0; i < len; i++)
		if (!lab_is_name_char(name[i]))
			return false;
	return true;
}

/* Parses a lab name ("tcprig-1234-0", "tcprig-keep-demo") of len bytes. */
static bool lab_parse_lab_name(const char *s, size_t len, struct lab_ns_name *out)
{
	size_t plen = strlen(LAB_PREFIX), klen = strlen(LAB_KEEP_PREFIX);
	char keep[LAB_KEEP_NAME_MAX + 1];
	const char *body, *dash;
	size_t blen;
	long pid;

	if (len >= sizeof(out->lab) || len <= plen || strncmp(s, LAB_PREFIX, plen))
		return false;
	memcpy(out->lab, s, len);
	out->lab[len] = '\0';
	if (len > klen && !strncmp(s, LAB_KEEP_PREFIX, klen)) {
		if (len - klen > LAB_KEEP_NAME_MAX)
			return false;
		memcpy(keep, s + klen, len - klen);
		keep[len - klen] = '\0';
		out->persistent = true;
		out->pid = 0;
		return lab_keep_name_valid(keep);
	}
	body = s + plen;
	blen = len - plen;
	dash = memchr(body, '-', blen);
	if (!dash || !lab_is_digits(body, dash - body) ||
	    !lab_is_digits(dash + 1, blen - (dash - body) - 1) || dash - body > 9)
		return false;
	pid = strtol(body, NULL, 10);
	if (pid <= 0)
		return false;
	out->persistent = false;
	out->pid = (int)pid;
	return true;
}

/* Parses a namespace name: a lab name plus "-rig" or "-tgt". */
bool lab_parse_ns_name(const char *ns, struct lab_ns_name *out)
{
	size_t len = strlen(ns), slen = strlen(LAB_SUFFIX_RIG);

	if (len <= slen)
		return false;
	if (!strcmp(ns + len - slen, LAB_SUFFIX_RIG))
		out->side = LAB_SIDE_RIG;
	else if (!strcmp(ns + len - slen, LAB_SUFFIX_TARGET))
		out->side = LAB_SIDE_TARGET;
	else
		return false;
	return lab_parse_lab_name(ns, len - slen, out);
}

/* A user's name for a lab: the full "tcprig-..." name, or the NAME of a
 * persistent lab. */
int lab_resolve_name(const char *name, struct lab_ns_name *out, struct tr_err *err)
{
	char full[LAB_NAME_MAX];

	if (!strncmp(name, LAB_PREFIX, strlen(LAB_PREFIX))) {
		if (lab_parse_lab_name(name, strlen(name), out))
			return 0;
	} else if (lab_keep_name_valid(name)) {
		snprintf(full, sizeof(full), "%s%s", LAB_KEEP_PREFIX, name);
		if (lab_parse_lab_name(full, strlen(full), out))
			return 0;
	}
	return err_usage(err,
			 "bad lab name '%s': expected a name of letters, digits and '_' (up to "
			 "%d), or %s<pid>-<n>",
			 name, LAB_KEEP_NAME_MAX, LAB_PREFIX);
}
