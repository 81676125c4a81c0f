/* --shard K/N: parsing, and slices disjoint and covering; json_merge: two
 * reports joined as one run writes them, and its refusals. */
#include <stdlib.h>

#include "case/shard.h"
#include "report/json_merge.h"
#include "tap.h"

#define HEAD(p, f, s, i, e)                                                              \
	"{\"tool\":\"tcprig\",\"version\":1,\"summary\":{\"passed\":" #p ",\"failed\":" #f \
	",\"skipped\":" #s ",\"inconclusive\":" #i ",\"errors\":" #e "},\"cases\":["

static const char a_json[] =
	HEAD(1, 1, 0, 0, 0) "\n"
	"{\"path\":\"c/b.pkt\",\"config\":null,\"verdict\":\"FAIL\",\"line\":4,\"events\":[]},\n"
	"{\"path\":\"c/d.pkt\",\"config\":null,\"verdict\":\"PASS\",\"line\":null,\"events\":[]}\n"
	"]}\n";
static const char b_json[] =
	HEAD(0, 0, 1, 1, 0) "\n"
	"{\"path\":\"c/a \\\"q\\\".pkt\",\"config\":null,\"verdict\":\"SKIP\",\"events\":[]},\n"
	"{\"path\":\"c/c.pkt\",\"config\":null,\"verdict\":\"INCONCLUSIVE\",\"events\":[]}\n"
	"]}\n";
static const char empty_json[] = HEAD(0, 0, 0, 0, 0) "\n]}\n";

static char *merged(const char *const *texts, size_t n, struct tr_err *err)
{
	const char *names[] = { "a.json", "b.json", "c.json" };
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	int rc = json_merge(texts, names, n, f, err);

	fclose(f);
	if (rc) {
		free(buf);
		return NULL;
	}
	return buf;
}

int main(void)
{
	struct case_shard s;
	struct tr_err err = { 0 };
	const char *bad[] = { "0/3", "4/3", "3", "1/0", "a/b", "1/3x", "-1/3", "1/1001", "/3", "" };
	bool all_ok = true;
	char *out;

	ok(!case_shard_parse("2/5", &s, &err) && s.k == 2 && s.n == 5, "shard: 2/5");
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ok(case_shard_parse(bad[i], &s, &err) < 0 && err.status == TR_USAGE &&
			   strstr(err.msg, bad[i]),
		   "shard: '%s' refused, named", bad[i]);
	for (unsigned n = 1; n <= 9; n++)
		for (size_t i = 0; i < 100; i++) {
			unsigned holders = 0;

			for (unsigned k = 1; k <= n; k++) {
				struct case_shard t = { k, n };

				holders += case_shard_keeps(&t, i);
			}
			all_ok &= holders == 1;
		}
	ok(all_ok, "shard: for N in 1..9, each of 100 cases is in exactly one slice");

	out = merged((const char *[]){ a_json, b_json, empty_json }, 3, &err);
	is_str(out ? out : err.msg,
	       HEAD(1, 1, 1, 1, 0) "\n"
	       "{\"path\":\"c/a \\\"q\\\".pkt\",\"config\":null,\"verdict\":\"SKIP\",\"events\":[]},\n"
	       "{\"path\":\"c/b.pkt\",\"config\":null,\"verdict\":\"FAIL\",\"line\":4,\"events\":[]},\n"
	       "{\"path\":\"c/c.pkt\",\"config\":null,\"verdict\":\"INCONCLUSIVE\",\"events\":[]},\n"
	       "{\"path\":\"c/d.pkt\",\"config\":null,\"verdict\":\"PASS\",\"line\":null,\"events\":[]}\n"
	       "]}\n",
	       "merge: cases in path order, the summary counted again, an empty report adds none");
	free(out);
	{
		const char *names[] = { "a.json", "b.json" };
		const char *m_json = HEAD(1, 0, 0, 0, 0) "\n"
			"{\"path\":\"c/m.pkt\",\"config\":\"net.x=1\",\"verdict\":\"PASS\"}\n]}\n";
		char *buf = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&buf, &len);
		int rc = json_merge_prefixed((const char *[]){ m_json, a_json }, names,
					     (const char *[]){ "kernel=6.1", "kernel=\"x" }, 2, f,
					     &err);

		fclose(f);
		is_str(rc ? err.msg : buf,
		       HEAD(2, 1, 0, 0, 0) "\n"
		       "{\"path\":\"c/b.pkt\",\"config\":\"kernel=?x\",\"verdict\":\"FAIL\",\"line\":4,\"events\":[]},\n"
		       "{\"path\":\"c/d.pkt\",\"config\":\"kernel=?x\",\"verdict\":\"PASS\",\"line\":null,\"events\":[]},\n"
		       "{\"path\":\"c/m.pkt\",\"config\":\"kernel=6.1 net.x=1\",\"verdict\":\"PASS\"}\n"
		       "]}\n",
		       "merge: each report's configs prefixed with its kernel, quotes made harmless");
		free(buf);
		buf = NULL;
		f = open_memstream(&buf, &len);
		rc = json_merge_prefixed((const char *[]){ a_json, a_json }, names,
					 (const char *[]){ "kernel=A", "kernel=B" }, 2, f, &err);
		fclose(f);
		ok(!rc, "merge: the same cases under two kernels do not overlap");
		free(buf);
		buf = NULL;
		f = open_memstream(&buf, &len);
		rc = json_merge_prefixed(
			(const char *[]){ HEAD(1, 0, 0, 0, 0) "\n{\"path\":\"x\",\"config\":\"\","
					  "\"verdict\":\"PASS\"}\n]}\n" },
			names, (const char *[]){ "kernel=A" }, 1, f, &err);
		fclose(f);
		ok(!rc && strstr(buf, "\"config\":\"kernel=A\",\"verdict\""),
		   "merge: an empty config becomes the prefix alone");
		free(buf);
	}
	out = merged((const char *[]){ a_json, a_json }, 2, &err);
	ok(!out && err.status == TR_USAGE && strstr(err.msg, "\"c/b.pkt\" is in both a.json and b.json"),
	   "merge: overlapping reports refused (%s)", err.msg);
	free(out);
	out = merged((const char *[]){ a_json, "{\"tool\":\"x\"}\n" }, 2, &err);
	ok(!out && strstr(err.msg, "b.json:1: not a tcprig JSON report"), "merge: not a report (%s)",
	   err.msg);
	free(out);
	out = merged((const char *[]){ HEAD(0, 0, 0, 0, 0) "\n{\"path\":\"x\",\"config\":null,"
						       "\"verdict\":\"PASS\"},\n" },
		     1, &err);
	ok(!out && strstr(err.msg, "a.json:3: the report ends early"), "merge: cut short (%s)",
	   err.msg);
	free(out);
	out = merged((const char *[]){ HEAD(0, 0, 0, 0, 0) "\n{\"path\":\"x\",\"verdict\":\"PASS\"}\n]}\n" },
		     1, &err);
	ok(!out && strstr(err.msg, "a.json:2: not a case"), "merge: a line that is no case (%s)",
	   err.msg);
	free(out);
	return tap_done();
}
