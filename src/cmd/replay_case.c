/* The capture -> script step pcap2case and replay share. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case/case.h"
#include "cmd/capture_settings.h"
#include "cmd/replay_int.h"
#include "wire/flow_read.h"

/* --side ADDRESS: the endpoint of f with that address is the rig's. */
int replay_side_of(struct replay_case_opts *ro, const struct flow *f, struct tr_err *err)
{
	union seg_ip a;
	size_t len = f->family == AF_INET6 ? sizeof(a.v6) : sizeof(a.v4);
	char c[64], s[64];

	memset(&a, 0, sizeof(a));
	if (inet_pton(f->family, ro->rig_addr, &a) == 1) {
		if (!memcmp(&a, &f->client.addr, len) && memcmp(&a, &f->server.addr, len)) {
			ro->rig_is_client = true;
			return 0;
		}
		if (!memcmp(&a, &f->server.addr, len) && memcmp(&a, &f->client.addr, len)) {
			ro->rig_is_client = false;
			return 0;
		}
	}
	return err_usage(err, "--side %s: flow %u is client %s, server %s: %s", ro->rig_addr,
			 f->number, flow_ep_format(f->family, &f->client, c, sizeof(c)),
			 flow_ep_format(f->family, &f->server, s, sizeof(s)),
			 memcmp(&f->client.addr, &f->server.addr, len) ?
				 "neither has that address" :
				 "both have that address (say client or server)");
}

int replay_case_find(struct replay_case_opts *ro, struct flow *flow,
		     unsigned long *malformed, struct tr_err *err)
{
	struct flow_table t;
	struct flow_read_stats st;
	unsigned number = ro->flow;

	if (flow_read_table(ro->path, &t, &st, err))
		return -1;
	if (!t.n) {
		flow_table_free(&t);
		return err_usage(err, "%s: no TCP conversation in the capture (%lu records)",
				 ro->path, st.records);
	}
	if (!number && t.n > 1) {
		err_usage(err, "%s: %zu TCP conversations: choose one with --flow N (see "
			       "'replay --list %s')", ro->path, t.n, ro->path);
		flow_table_free(&t);
		return -1;
	}
	if (!number)
		number = 1;
	if (number > t.n) {
		err_usage(err, "--flow %u: %s has %zu flow%s", number, ro->path, t.n,
			  t.n == 1 ? "" : "s");
		flow_table_free(&t);
		return -1;
	}
	*flow = t.v[number - 1];
	*malformed = st.malformed;
	flow_table_free(&t);
	if (ro->rig_addr && replay_side_of(ro, flow, err))
		return -1;
	return 0;
}

void replay_case_note(char *buf, size_t cap, const struct replay_case_opts *ro, unsigned long cut,
		      unsigned long malformed)
{
	buf[0] = '\0';
	if (cut)
		snprintf(buf, cap,
			 "The capture's snapshot length cut payloads (first at packet #%lu): "
			 "only their lengths are replayed, as always.", cut);
	else if (malformed)
		snprintf(buf, cap,
			 "%lu record%s of the capture did not decode (snapshot length?) and "
			 "were left out.", malformed, malformed == 1 ? "" : "s");
	if (ro->settings)
		snprintf(buf + strlen(buf), cap - strlen(buf),
			 "%sSettings from %s: its side, %zu sysctl%s, %zu changed on the way.",
			 buf[0] ? " " : "", ro->settings, ro->nsysctls, ro->nsysctls == 1 ? "" : "s",
			 ro->nknobs);
}

int replay_case_check(const struct replay_case_opts *ro, unsigned number,
		      struct casegen_script *out, struct tr_err *err)
{
	/* What pcap2case writes must be a case: checked here rather than
	 * found by whoever runs it. */
	struct case_script sc;
	struct tr_err e;

	if (case_parse_string(ro->path, out->text, &sc, &e)) {
		casegen_script_free(out);
		return err_usage(err, "flow %u: the script made of it does not parse "
				      "(pcap2case's fault): %s", number, e.msg);
	}
	case_script_free(&sc);
	return 0;
}

int replay_case_make(struct replay_case_opts *ro, struct flow *flow,
		     struct casegen_script *out, struct tr_err *err)
{
	struct flow_pkt *pkts = NULL;
	size_t n = 0;
	unsigned long cut, malformed;
	char note[4400];
	struct casegen_opts o = { .source = ro->path, .keep_retransmits = ro->keep_retransmits,
				  .sysctls = ro->sysctls, .nsysctls = ro->nsysctls,
				  .knobs = ro->knobs, .nknobs = ro->nknobs };
	int ret;

	if (ro->flows_all || ro->nflows)
		return replay_joint_make(ro, flow, out, err);
	if (replay_case_find(ro, flow, &malformed, err))
		return -1;
	if (flow_read_packets(ro->path, flow->number, &pkts, &n, &cut, err))
		return -1;
	o.rig_is_client = ro->rig_is_client;
	replay_case_note(note, sizeof(note), ro, cut, malformed);
	o.flow = flow;
	o.note = note[0] ? note : NULL;
	ret = casegen_make(pkts, n, &o, out, err);
	free(pkts);
	if (!ret)
		ret = replay_case_check(ro, flow->number, out, err);
	return ret;
}

int replay_settings_take(struct replay_case_opts *ro, bool side_given,
			 struct capture_settings *s, struct tr_err *err)
{
	struct tr_err e = { 0 };

	if (capture_settings_read(ro->path, s, err))
		return -1;
	if (!s->found)
		return 0;
	if (s->side && !side_given && replay_parse_side(s->side, ro, &e))
		return err_usage(err, "%s: %s", s->path, e.msg);
	ro->settings = s->path;
	ro->sysctls = s->sysctls;
	ro->nsysctls = s->nsysctls;
	ro->knobs = s->knobs;
	ro->nknobs = s->nknobs;
	return 0;
}

void replay_knobs_pin(struct replay_case_opts *ro, struct casegen_knob *knobs,
		      char *const *sysctls, size_t nsysctls)
{
	size_t k = 0;

	for (size_t i = 0; i < ro->nknobs; i++) {
		size_t len = strcspn(knobs[i].set, "=");
		bool pinned = false;

		for (size_t j = 0; j < nsysctls && !pinned; j++)
			pinned = strcspn(sysctls[j], "=") == len &&
				 !strncmp(sysctls[j], knobs[i].set, len);
		if (!pinned)
			knobs[k++] = knobs[i];
	}
	ro->nknobs = k;
}

static int replay_src_rewind(void *ctx, struct tr_err *err)
{
	struct replay_src *s = ctx;

	flow_reader_close(s->fr);
	s->fr = flow_reader_open(s->path, s->number, err);
	return s->fr ? 0 : -1;
}

static int replay_src_next(void *ctx, struct flow_pkt *p, struct tr_err *err)
{
	return flow_reader_next(((struct replay_src *)ctx)->fr, p, err);
}

struct casegen_src replay_src_of(struct replay_src *s)
{
	return (struct casegen_src){ replay_src_rewind, replay_src_next, s };
}
