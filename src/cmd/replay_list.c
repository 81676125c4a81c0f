/* replay --list: the TCP conversations of a capture, numbered as --flow
 * takes them. */
#include <stdio.h>

#include "cmd/replay_int.h"
#include "cmd/subcommands.h"
#include "wire/flow_read.h"

int replay_list(const char *path)
{
	struct flow_table t;
	struct flow_read_stats st;
	struct tr_err err = { 0 };
	char c[64], s[64];

	if (flow_read_table(path, &t, &st, &err)) {
		fprintf(stderr, "%s replay: %s\n", prog_name, err.msg);
		return err.status ? (int)err.status : TR_ENV;
	}
	printf("%s: %lu records, %lu TCP, %zu flow%s", path, st.records, st.tcp, t.n,
	       t.n == 1 ? "" : "s");
	if (st.other)
		printf(", %lu not TCP", st.other);
	if (st.malformed)
		printf(", %lu malformed", st.malformed);
	printf("\n");
	if (t.n)
		printf("%4s  %-22s %-22s %7s %9s %11s  %s\n", "flow", "client", "server",
		       "packets", "bytes", "duration", "end");
	for (size_t i = 0; i < t.n; i++) {
		const struct flow *f = &t.v[i];
		double d = (double)(f->last_ts.tv_sec - f->first_ts.tv_sec) +
			   (double)(f->last_ts.tv_nsec - f->first_ts.tv_nsec) / 1e9;

		printf("%4u  %-22s %-22s %7lu %9llu %9.6f s  %s%s\n", f->number,
		       flow_ep_format(f->family, &f->client, c, sizeof(c)),
		       flow_ep_format(f->family, &f->server, s, sizeof(s)), f->packets,
		       (unsigned long long)f->bytes, d, flow_end_name(f->end),
		       f->syn_seen ? "" : " (no SYN: began before the capture)");
	}
	flow_table_free(&t);
	return TR_OK;
}
