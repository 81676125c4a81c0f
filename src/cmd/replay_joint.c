/* --flows LIST: several conversations of a capture as one script, for
 * pcap2case and replay (run/casegen_joint.h makes it). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/replay_int.h"
#include "core/parse_num.h"
#include "run/casegen_joint.h"
#include "wire/flow_read.h"

int replay_parse_flows(const char *v, struct replay_case_opts *ro, struct tr_err *err)
{
	const char *p = v;

	free(ro->flows);
	ro->flows = NULL;
	ro->nflows = 0;
	ro->flows_all = !strcmp(v, "all");
	if (ro->flows_all)
		return 0;
	while (*p) {
		char num[24];
		size_t len = strcspn(p, ",");
		uint64_t n;
		unsigned *nv;

		if (!len || len >= sizeof(num))
			return err_usage(err, "--flows '%s': all, or flow numbers with commas (1,3)", v);
		memcpy(num, p, len);
		num[len] = '\0';
		if (parse_u64("--flows", num, 1, 1u << 30, &n, err))
			return -1;
		for (size_t i = 0; i < ro->nflows; i++)
			if (ro->flows[i] >= n)
				return err_usage(err, "--flows '%s': in capture order, each once "
						      "(%u before %s)", v, ro->flows[i], num);
		nv = realloc(ro->flows, (ro->nflows + 1) * sizeof(*nv));
		if (!nv)
			return err_sys(err, "--flows");
		ro->flows = nv;
		ro->flows[ro->nflows++] = (unsigned)n;
		p += len + !!p[len];
		if (!*p && p[-1] == ',')
			return err_usage(err, "--flows '%s': all, or flow numbers with commas (1,3)", v);
	}
	if (ro->nflows < 2)
		return err_usage(err, "--flows '%s': two conversations or more (one: --flow N)", v);
	return 0;
}

int replay_joint_make(struct replay_case_opts *ro, struct flow *first,
		      struct casegen_script *out, struct tr_err *err)
{
	struct casegen_opts o = { .source = ro->path, .keep_retransmits = ro->keep_retransmits,
				  .sysctls = ro->sysctls, .nsysctls = ro->nsysctls,
				  .knobs = ro->knobs, .nknobs = ro->nknobs };
	struct flow_table t;
	struct flow_read_stats st;
	struct casegen_part *parts = NULL;
	struct replay_src *srcs = NULL;
	struct flow *fv = NULL;
	size_t n = 0;
	char note[4400];
	int ret = -1;

	memset(out, 0, sizeof(*out));
	if (flow_read_table(ro->path, &t, &st, err))
		return -1;
	n = ro->flows_all ? t.n : ro->nflows;
	if (ro->flows_all && t.n < 2) {
		err_usage(err, "--flows all: %s has %zu conversation%s (one: no --flows)", ro->path,
			  t.n, t.n == 1 ? "" : "s");
		goto done;
	}
	parts = calloc(n, sizeof(*parts));
	srcs = calloc(n, sizeof(*srcs));
	fv = calloc(n, sizeof(*fv));
	if (!parts || !srcs || !fv) {
		err_sys(err, "--flows");
		goto done;
	}
	for (size_t i = 0; i < n; i++) {
		unsigned num = ro->flows_all ? (unsigned)i + 1 : ro->flows[i];

		if (num > t.n) {
			err_usage(err, "--flows: flow %u: %s has %zu flows", num, ro->path, t.n);
			goto done;
		}
		fv[i] = t.v[num - 1];
		if (ro->rig_addr && replay_side_of(ro, &fv[i], err))
			goto done;
		srcs[i] = (struct replay_src){ .path = ro->path, .number = num };
		parts[i] = (struct casegen_part){ replay_src_of(&srcs[i]), &fv[i],
						  ro->rig_is_client };
	}
	replay_case_note(note, sizeof(note), ro, 0, st.malformed);
	o.note = note[0] ? note : NULL;
	if (casegen_joint_collect(parts, n, &o, out, err))
		goto done;
	*first = fv[0];
	ret = replay_case_check(ro, fv[0].number, out, err);
done:
	for (size_t i = 0; srcs && i < n; i++)
		flow_reader_close(srcs[i].fr);
	free(parts);
	free(srcs);
	free(fv);
	flow_table_free(&t);
	return ret;
}
