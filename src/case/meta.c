#include "case/meta.h"

#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Columns a description may take in a listing. */
#define CASE_META_LINE 96

static int case_meta_first_line(const struct case_script *s)
{
	int first = INT_MAX;

	for (size_t i = 0; i < s->nevents; i++)
		if (s->events[i].line < first)
			first = s->events[i].line;
	return first;
}

/* Appends a comment line's text to the description until a sentence ends. */
static void case_meta_describe(struct case_meta *m, const char *text, bool *done)
{
	size_t n = strlen(m->description);
	const char *end;

	while (isspace((unsigned char)*text))
		text++;
	if (!*text || *done)
		return;
	if (n && n + 1 < sizeof(m->description))
		m->description[n++] = ' ';
	end = strstr(text, ". ");
	if (!end && text[strlen(text) - 1] == '.')
		end = text + strlen(text) - 1;
	snprintf(m->description + n, sizeof(m->description) - n, "%.*s",
		 end ? (int)(end - text + 1) : (int)strlen(text), text);
	*done = end != NULL || strlen(m->description) + 1 >= sizeof(m->description);
}

/* One line of a listing: a long first sentence is cut at a word. */
static void case_meta_shorten(char *text, size_t max)
{
	char *space;

	if (strlen(text) <= max)
		return;
	text[max - 4] = '\0';
	space = strrchr(text, ' ');
	strcpy(space ? space : text + max - 4, " ...");
}

static void case_meta_add_sysctl(struct case_meta *m, const char *name, size_t len)
{
	for (size_t i = 0; i < m->nsysctls; i++)
		if (strlen(m->sysctls[i]) == len && !strncmp(m->sysctls[i], name, len))
			return;
	if (m->nsysctls < CASE_META_SYSCTLS && len < sizeof(m->sysctls[0]))
		snprintf(m->sysctls[m->nsysctls++], sizeof(m->sysctls[0]), "%.*s", (int)len, name);
}

/* net.* names in a --sysctl option or a shell line that runs sysctl. */
static void case_meta_scan_sysctls(struct case_meta *m, const char *text)
{
	for (const char *p = strstr(text, "net."); p; p = strstr(p, "net.")) {
		size_t len = strspn(p, "abcdefghijklmnopqrstuvwxyz0123456789_.-");

		if (p == text || !isalnum((unsigned char)p[-1]))
			case_meta_add_sysctl(m, p, len);
		p += len;
	}
}

int case_meta_read(const struct case_script *s, struct case_meta *m, struct tr_err *err)
{
	int first = case_meta_first_line(s), line = 0;
	bool described = false;
	char *text = NULL;
	size_t cap = 0;
	ssize_t len;
	FILE *f;

	memset(m, 0, sizeof(*m));
	f = fopen(s->path, "r");
	if (!f)
		return err_sys(err, "%s", s->path);
	while (++line < first && (len = getline(&text, &cap, f)) >= 0) {
		while (len && (text[len - 1] == '\n' || text[len - 1] == '\r'))
			text[--len] = '\0';
		if (strncmp(text, "//", 2))
			continue;
		if (!strncmp(text, "// tags:", 8))
			snprintf(m->tags, sizeof(m->tags), "%s", text + 8 + strspn(text + 8, " \t"));
		else if (strncmp(text, "// twin:", 8) && strncmp(text, "// family:", 10))
			case_meta_describe(m, text + 2, &described);
	}
	free(text);
	fclose(f);
	case_meta_shorten(m->description, CASE_META_LINE);
	for (size_t i = 0; i < s->opt.nsysctls; i++)
		case_meta_scan_sysctls(m, s->opt.sysctls[i]);
	for (size_t i = 0; i < s->nevents; i++)
		if (s->events[i].kind == CASE_EV_SHELL && strstr(s->events[i].u.shell.cmd, "sysctl"))
			case_meta_scan_sysctls(m, s->events[i].u.shell.cmd);
	return 0;
}

bool case_meta_has_tag(const struct case_meta *m, const char *tag)
{
	size_t n = strlen(tag);

	for (const char *p = m->tags; *p; p += strcspn(p, " \t,")) {
		p += strspn(p, " \t,");
		if (!strncmp(p, tag, n) && (!p[n] || strchr(" \t,", p[n])))
			return true;
	}
	return false;
}

bool case_meta_is_slow(const struct case_script *s)
{
	struct case_meta meta;
	struct tr_err err;

	return !case_meta_read(s, &meta, &err) && case_meta_has_tag(&meta, "slow");
}
