/* casegen_knobs.c - --sysctl-at lines read, sorted and made shell lines. */
#include "run/casegen_knobs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case/override.h"

int casegen_knob_parse(const char *text, struct casegen_knob *k, int *col, struct tr_err *err)
{
	const char *p = text, *set;
	int64_t sec = 0, frac = 0;
	int digits = 0, fdigits = 0;
	struct tr_err e = { 0 };

	memset(k, 0, sizeof(*k));
	*col = 1;
	for (; *p >= '0' && *p <= '9'; p++, digits++)
		if (digits < 12)
			sec = sec * 10 + (*p - '0');
	if (*p == '.')
		for (p++; *p >= '0' && *p <= '9'; p++, fdigits++)
			if (fdigits < 9)
				frac = frac * 10 + (*p - '0');
	if (!digits || digits > 10 || fdigits > 9 || (*p && *p != ' ' && *p != '\t'))
		return err_usage(err, "--sysctl-at: '%.*s' is not a time (seconds on the capture's "
				      "clock, as tcpdump -tt prints them: 1765118366.123456)",
				 (int)strcspn(text, " \t"), text);
	for (int i = fdigits; i < 9; i++)
		frac *= 10;
	k->ns = sec * 1000000000 + frac;
	set = p + strspn(p, " \t");
	*col = (int)(set - text) + 1;
	if (!*set)
		return err_usage(err, "--sysctl-at %.*s: NAME=VALUE missing", (int)(p - text), text);
	if (case_override_check("--sysctl-at", set, &e))
		return err_usage(err, "%s", e.msg);
	/* It becomes a shell line in single quotes. */
	if (strpbrk(set, "'`\\"))
		return err_usage(err, "--sysctl-at: '%s': a quote or backslash in it", set);
	if (strlen(set) >= sizeof(k->set))
		return err_usage(err, "--sysctl-at: '%.40s...': over %zu bytes", set,
				 sizeof(k->set) - 1);
	memcpy(k->set, set, strlen(set) + 1);
	return 0;
}

void casegen_knobs_sort(struct casegen_knob *k, size_t n)
{
	/* Insertion: a handful, and stable. */
	for (size_t i = 1; i < n; i++) {
		struct casegen_knob t = k[i];
		size_t j = i;

		for (; j > 0 && k[j - 1].ns > t.ns; j--)
			k[j] = k[j - 1];
		k[j] = t;
	}
}

void casegen_knob_time(int64_t ns, char *buf, size_t cap)
{
	int64_t us = (ns + 500) / 1000;

	snprintf(buf, cap, "%lld.%06lld", (long long)(us / 1000000), (long long)(us % 1000000));
}

void casegen_knob_line(const struct casegen_knob *k, char *buf, size_t cap)
{
	size_t name = strcspn(k->set, "=");

	if (strpbrk(k->set + name, " \t"))
		snprintf(buf, cap, "`sysctl -q %.*s='%s'`", (int)name, k->set, k->set + name + 1);
	else
		snprintf(buf, cap, "`sysctl -q %s`", k->set);
}
