/* family.c - which address families a case may run in. */
#include "case/family.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "case/parse_util.h"

#define CASE_FAMILY_TAG "// family:"

const char *case_family_name(int family)
{
	return family == AF_INET6 ? "ipv6" : "ipv4";
}

int case_family_parse(const char *arg, bool *ipv4, bool *ipv6, struct tr_err *err)
{
	*ipv4 = !strcmp(arg, "ipv4") || !strcmp(arg, "both");
	*ipv6 = !strcmp(arg, "ipv6") || !strcmp(arg, "both");
	if (!*ipv4 && !*ipv6)
		return err_usage(err, "--family %s: ipv4, ipv6 or both", arg);
	return 0;
}

bool case_family_allows(const struct case_family *f, int family)
{
	return family == AF_INET6 ? f->ipv6 : f->ipv4;
}

/* The header line's value: "ipv4" or "ipv6", then why. */
static int case_family_line(const struct case_script *s, int line, const char *text,
			    struct case_family *f, struct tr_err *err)
{
	const char *v = text + strlen(CASE_FAMILY_TAG), *why;
	size_t n;

	v += strspn(v, " \t");
	n = strcspn(v, " \t");
	if (n == 4 && (!strncmp(v, "ipv4", 4) || !strncmp(v, "ipv6", 4))) {
		f->ipv4 = v[3] == '4';
		f->ipv6 = v[3] == '6';
		why = v + n + strspn(v + n, " \t");
		if (*why)
			snprintf(f->why, sizeof(f->why), "%s only: %s", v[3] == '4' ? "IPv4" : "IPv6",
				 why);
		else
			snprintf(f->why, sizeof(f->why), "the case says %.*s", (int)(v + n - text),
				 text);
		return 0;
	}
	return case_err_at(err, s->path, line, (int)(v - text) + 1, text, strlen(text),
			   "unknown family '%.*s' in '%s' (ipv4 or ipv6)", (int)n, v,
			   CASE_FAMILY_TAG);
}

/* An icmp line naming one family's message only (packet_too_big is ICMPv6's,
 * frag_needed ICMPv4's) keeps the case to that family. */
static int case_family_icmp(const struct case_script *s, struct case_family *f,
			    struct tr_err *err)
{
	for (size_t i = 0; i < s->nevents; i++) {
		const struct case_event *ev = &s->events[i];
		const struct case_icmp *ic = &ev->u.icmp;

		if (ev->kind != CASE_EV_ICMP)
			continue;
		if (!ic->v6 && f->ipv6) {
			f->ipv6 = false;
			snprintf(f->why, sizeof(f->why),
				 "IPv4 only: line %d's ICMP error has no ICMPv6 form", ev->line);
		}
		if (!ic->v4 && f->ipv4) {
			f->ipv4 = false;
			snprintf(f->why, sizeof(f->why),
				 "IPv6 only: line %d's ICMP error has no ICMPv4 form", ev->line);
		}
		if (!f->ipv4 && !f->ipv6)
			return err_usage(err,
					 "%s:%d:%d: this ICMP error has no %s form, and the rest "
					 "of the case runs on %s only: no family is left",
					 s->path, ev->line, ic->col, ic->v4 ? "ICMPv6" : "ICMPv4",
					 ic->v4 ? "IPv6" : "IPv4");
	}
	return 0;
}

int case_family_read(const struct case_script *s, struct case_family *f, struct tr_err *err)
{
	int first = INT_MAX, line = 0, ret = 0;
	char *text = NULL;
	size_t cap = 0;
	ssize_t len;
	FILE *fp;

	memset(f, 0, sizeof(*f));
	f->ipv4 = f->ipv6 = true;
	for (size_t i = 0; i < s->nevents; i++)
		if (s->events[i].line < first)
			first = s->events[i].line;
	fp = fopen(s->path, "r");
	if (!fp)
		return err_sys(err, "%s", s->path);
	while (!ret && ++line < first && (len = getline(&text, &cap, fp)) >= 0) {
		while (len && (text[len - 1] == '\n' || text[len - 1] == '\r'))
			text[--len] = '\0';
		if (!strncmp(text, CASE_FAMILY_TAG, strlen(CASE_FAMILY_TAG)))
			ret = case_family_line(s, line, text, f, err);
	}
	free(text);
	fclose(fp);
	if (!ret)
		ret = case_family_icmp(s, f, err);
	if (ret || !s->opt.ip_version_given)
		return ret;
	/* --ip_version wins: it is what the script was written for. */
	f->ipv4 = s->opt.family == AF_INET;
	f->ipv6 = s->opt.family == AF_INET6;
	snprintf(f->why, sizeof(f->why), "the script sets --ip_version=%s",
		 s->opt.v4_mapped ? "ipv4-mapped-ipv6" : case_family_name(s->opt.family));
	return 0;
}
