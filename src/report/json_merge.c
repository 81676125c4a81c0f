/* json_merge.c - case lines from several reports, one report again. */
#include "report/json_merge.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define JM_HEAD "{\"tool\":\"tcprig\",\"version\":1,\"summary\":{"
#define JM_CASES ",\"cases\":["

struct jm_case {
	const char *line; /* the case's object, not NUL-terminated */
	size_t len;
	const char *path, *config; /* raw JSON text of each, from its '"' or 'n' */
	size_t path_len, config_len;
	char verdict[16];
	size_t file;
	char *owned; /* line, when rewritten with a config prefix */
};

/* A JSON string at p (its quotes, escapes kept): its length, 0 if none. */
static size_t jm_string(const char *p, const char *end)
{
	const char *s = p;

	if (s >= end || *s != '"')
		return 0;
	for (s++; s < end; s++) {
		if (*s == '\\') {
			s++;
			continue;
		}
		if (*s == '"')
			return (size_t)(s - p) + 1;
		if (*s == '\n')
			return 0;
	}
	return 0;
}

/* {"path":"...","config":"..."|null,"verdict":"..."... */
static int jm_case(struct jm_case *c, const char *p, const char *end)
{
	static const char k_path[] = "{\"path\":", k_config[] = ",\"config\":",
			  k_verdict[] = ",\"verdict\":";
	size_t n;

	c->line = p;
	c->len = (size_t)(end - p);
	if ((size_t)(end - p) < sizeof(k_path) || memcmp(p, k_path, sizeof(k_path) - 1))
		return -1;
	p += sizeof(k_path) - 1;
	c->path = p;
	c->path_len = jm_string(p, end);
	if (!c->path_len)
		return -1;
	p += c->path_len;
	if ((size_t)(end - p) < sizeof(k_config) || memcmp(p, k_config, sizeof(k_config) - 1))
		return -1;
	p += sizeof(k_config) - 1;
	c->config = p;
	c->config_len = (size_t)(end - p) >= 4 && !memcmp(p, "null", 4) ? 4 : jm_string(p, end);
	if (!c->config_len)
		return -1;
	p += c->config_len;
	if ((size_t)(end - p) < sizeof(k_verdict) || memcmp(p, k_verdict, sizeof(k_verdict) - 1))
		return -1;
	p += sizeof(k_verdict) - 1;
	n = jm_string(p, end);
	if (n < 3 || n - 2 >= sizeof(c->verdict))
		return -1;
	memcpy(c->verdict, p + 1, n - 2);
	c->verdict[n - 2] = '\0';
	return 0;
}

static int jm_cmp_raw(const char *a, size_t al, const char *b, size_t bl)
{
	int r = memcmp(a, b, al < bl ? al : bl);

	return r ? r : (al > bl) - (al < bl);
}

static int jm_cmp(const void *x, const void *y)
{
	const struct jm_case *a = x, *b = y;
	int r = jm_cmp_raw(a->path, a->path_len, b->path, b->path_len);

	return r ? r : jm_cmp_raw(a->config, a->config_len, b->config, b->config_len);
}

/* The case's line again with "PREFIX" or "PREFIX CONFIG" as its config. */
static int jm_prefix(struct jm_case *c, const char *prefix, struct tr_err *err)
{
	size_t head = (size_t)(c->config - c->line), tail = c->len - head - c->config_len;
	bool null = (c->config_len == 4 && !memcmp(c->config, "null", 4)) ||
		    (c->config_len == 2 && !memcmp(c->config, "\"\"", 2));
	size_t plen = strlen(prefix), cap = c->len + plen + 4, len = 0;
	char *line = malloc(cap);
	size_t file = c->file;

	if (!line)
		return err_sys(err, "merge");
	memcpy(line, c->line, head);
	len = head;
	line[len++] = '"';
	for (size_t i = 0; i < plen; i++) /* nothing that would end the string */
		line[len++] = prefix[i] == '"' || prefix[i] == '\\' || (unsigned char)prefix[i] < ' ' ?
				      '?' :
				      prefix[i];
	if (!null) {
		line[len++] = ' ';
		memcpy(line + len, c->config + 1, c->config_len - 1);
		len += c->config_len - 1;
	} else {
		line[len++] = '"';
	}
	memcpy(line + len, c->config + c->config_len, tail);
	len += tail;
	if (jm_case(c, line, line + len)) {
		free(line);
		return err_usage(err, "merge: a rewritten case does not parse");
	}
	c->owned = line;
	c->file = file;
	return 0;
}

/* One report's case lines into cases[*n...]. */
static int jm_read(const char *text, const char *name, size_t file, const char *prefix,
		   struct jm_case *cases, size_t *n, struct tr_err *err)
{
	const char *p = text, *cases_at;
	unsigned line = 1;

	if (strncmp(p, JM_HEAD, strlen(JM_HEAD)))
		return err_usage(err, "%s:1: not a tcprig JSON report (version 1)", name);
	cases_at = strstr(p, JM_CASES "\n");
	if (!cases_at || memchr(p, '\n', (size_t)(cases_at - p)))
		return err_usage(err, "%s:1: no \"cases\" list on the first line", name);
	p = cases_at + strlen(JM_CASES) + 1;
	for (;;) {
		const char *eol = strchr(p, '\n');
		bool more;

		line++;
		if (!eol)
			return err_usage(err, "%s:%u: the report ends early", name, line);
		if (eol - p == 2 && !memcmp(p, "]}", 2))
			break;
		more = eol > p && eol[-1] == ',';
		if (*n == JSON_MERGE_CASES_MAX)
			return err_usage(err, "more than %d cases", JSON_MERGE_CASES_MAX);
		if (jm_case(&cases[*n], p, more ? eol - 1 : eol))
			return err_usage(err, "%s:%u: not a case as tcprig writes it", name, line);
		cases[*n].file = file;
		if (prefix && jm_prefix(&cases[*n], prefix, err))
			return -1;
		(*n)++;
		p = eol + 1;
		if (!more) {
			line++;
			if (strncmp(p, "]}", 2) || (p[2] != '\n' && p[2]))
				return err_usage(err, "%s:%u: expected the closing ]}", name, line);
			break;
		}
	}
	return 0;
}

int json_merge(const char *const *texts, const char *const *names, size_t n, FILE *out,
	       struct tr_err *err)
{
	return json_merge_prefixed(texts, names, NULL, n, out, err);
}

int json_merge_prefixed(const char *const *texts, const char *const *names,
			const char *const *prefixes, size_t n, FILE *out, struct tr_err *err)
{
	struct jm_case *cases = calloc(JSON_MERGE_CASES_MAX, sizeof(*cases));
	unsigned passed = 0, failed = 0, skipped = 0, inconclusive = 0, errors = 0;
	size_t ncases = 0;
	int rc = -1;

	if (!cases)
		return err_sys(err, "merge");
	for (size_t i = 0; i < n; i++)
		if (jm_read(texts[i], names[i], i, prefixes ? prefixes[i] : NULL, cases, &ncases,
			    err))
			goto out;
	qsort(cases, ncases, sizeof(*cases), jm_cmp);
	for (size_t i = 0; i < ncases; i++) {
		const char *v = cases[i].verdict;

		if (i && !jm_cmp(&cases[i - 1], &cases[i])) {
			err_usage(err, "%.*s is in both %s and %s: the reports overlap",
				  (int)cases[i].path_len, cases[i].path, names[cases[i - 1].file],
				  names[cases[i].file]);
			goto out;
		}
		passed += !strcmp(v, "PASS");
		failed += !strcmp(v, "FAIL");
		skipped += !strcmp(v, "SKIP");
		inconclusive += !strcmp(v, "INCONCLUSIVE");
		errors += !strcmp(v, "ERROR");
	}
	fprintf(out,
		JM_HEAD "\"passed\":%u,\"failed\":%u,\"skipped\":%u,\"inconclusive\":%u,"
			"\"errors\":%u}" JM_CASES,
		passed, failed, skipped, inconclusive, errors);
	for (size_t i = 0; i < ncases; i++) {
		fputs(i ? ",\n" : "\n", out);
		fwrite(cases[i].line, 1, cases[i].len, out);
	}
	fputs("\n]}\n", out);
	rc = fflush(out) || ferror(out) ? err_sys(err, "writing the merged report") : 0;
out:
	for (size_t i = 0; i < ncases; i++)
		free(cases[i].owned);
	free(cases);
	return rc;
}
