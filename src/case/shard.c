/* shard.c - every N-th case, from the K-th. */
#include "case/shard.h"

#include <stdlib.h>
#include <string.h>

static int case_shard_num(const char **p, unsigned *out)
{
	unsigned long v = 0;
	const char *s = *p;

	if (*s < '0' || *s > '9')
		return -1;
	for (; *s >= '0' && *s <= '9'; s++) {
		v = v * 10 + (unsigned long)(*s - '0');
		if (v > CASE_SHARDS_MAX)
			return -1;
	}
	*out = (unsigned)v;
	*p = s;
	return 0;
}

int case_shard_parse(const char *text, struct case_shard *s, struct tr_err *err)
{
	const char *p = text;
	unsigned k, n;

	if (case_shard_num(&p, &k) || *p++ != '/' || case_shard_num(&p, &n) || *p || k < 1 ||
	    n < 1 || k > n)
		return err_usage(err, "--shard '%s': not K/N with 1 <= K <= N <= %d", text,
				 CASE_SHARDS_MAX);
	s->k = k;
	s->n = n;
	return 0;
}

bool case_shard_keeps(const struct case_shard *s, size_t i)
{
	return i % s->n == s->k - 1;
}

void case_shard_apply(const struct case_shard *s, struct case_files *l,
		      struct case_script *scripts)
{
	size_t kept = 0;

	for (size_t i = 0; i < l->n; i++) {
		if (!case_shard_keeps(s, i)) {
			free(l->paths[i]);
			if (scripts)
				case_script_free(&scripts[i]);
			continue;
		}
		l->paths[kept] = l->paths[i];
		if (scripts && kept != i)
			scripts[kept] = scripts[i];
		kept++;
	}
	l->n = kept;
}
