/* probe.c - one hand-built segment, and what came back (probe.h). */
#include "run/probe.h"

#include <arpa/inet.h>
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "core/clock.h"
#include "run/probe_listen.h"
#include "wire/rig_io.h"

struct probe_ctx {
	const struct probe_plan *plan;
	uint8_t rig_mac[6];
	int family;
	union seg_ip rig, target;
	FILE *out;
	uint64_t t0_us;
	bool target_isn_known;
	uint32_t target_isn;
	unsigned answers;
	struct tr_err *err;
};

static void probe_print(struct probe_ctx *c, char dir, uint64_t t_us,
			const struct segment *seg)
{
	char line[512];

	segment_format(seg, line, sizeof(line));
	fprintf(c->out, "%.6f %c %s\n", (double)(t_us - c->t0_us) / 1e6, dir,
		line);
	fflush(c->out);
}

static bool probe_from_target(const struct probe_ctx *c, const struct segment *seg)
{
	bool v6 = c->family == AF_INET6;

	if (seg->family != c->family || seg->sport != c->plan->dport ||
	    seg->dport != c->plan->sport)
		return false;
	if (v6)
		return !memcmp(&seg->src.v6, &c->target.v6, sizeof(c->target.v6)) &&
		       !memcmp(&seg->dst.v6, &c->rig.v6, sizeof(c->rig.v6));
	return seg->src.v4.s_addr == c->target.v4.s_addr && seg->dst.v4.s_addr == c->rig.v4.s_addr;
}

static void probe_on_frame(void *ctx, const struct timeval *ts,
			   const uint8_t *frame, size_t len)
{
	struct probe_ctx *c = ctx;
	struct segment seg;
	struct tr_err derr;
	uint64_t t = clock_mono_us();

	(void)ts;
	/* The sniffer sees the rig's own frames too; those were printed when sent. */
	if (len < 12 || !memcmp(frame + 6, c->rig_mac, 6))
		return;
	if (segment_decode_frame(&seg, frame, len, &derr) != 1) {
		fprintf(c->out, "# undecodable frame of %zu bytes\n", len);
		return;
	}
	/* On a real segment other hosts' traffic may pass, and a lab carries
	 * both families: only the target's answers to the probe count. */
	if (!probe_from_target(c, &seg))
		return;
	c->answers++;
	if (!c->plan->absolute) {
		if (seg.flags & SEG_SYN) {
			c->target_isn = seg.seq;
			c->target_isn_known = true;
		}
		if (c->target_isn_known)
			seg.seq -= c->target_isn;
	}
	probe_print(c, '>', t, &seg);
}

/* Listens until deadline; returns -1 only on a sniffer error. */
static int probe_collect(struct probe_ctx *c, struct sniffer *sn,
			 uint64_t deadline)
{
	for (uint64_t t = clock_mono_us(); t < deadline; t = clock_mono_us()) {
		int ms = (int)((deadline - t + 999) / 1000);

		if (sniff_wait(sn, ms, probe_on_frame, c, c->err) < 0)
			return -1;
	}
	return 0;
}

int probe_run(const struct probe_plan *plan, struct lab *lab, FILE *out,
	      struct probe_result *res, struct tr_err *err)
{
	const struct run_remote *rm = plan->remote;
	struct probe_ctx c = { .plan = plan, .out = out, .err = err };
	struct rig_io_config io_cfg = { .pcap_path = plan->pcap_path };
	struct probe_listener listener = { .fd = -1 };
	struct rig_io io = { 0 };
	struct segment seg = plan->seg;
	struct sniff_stats st;
	struct frame frame;
	int rc = -1;

	/* A remote target is IPv4 (cmd/probe.c refuses --family ipv6 there). */
	c.family = !rm && plan->family == AF_INET6 ? AF_INET6 : AF_INET;
	if (c.family == AF_INET6) {
		c.rig.v6 = lab->phantom_addr6;
		c.target.v6 = lab->target_addr6;
	} else {
		c.rig.v4 = rm ? rm->wire.phantom : lab->phantom_addr;
		c.target.v4 = rm ? rm->wire.target : lab->target_addr;
	}
	memcpy(c.rig_mac, rm ? rm->wire.ifi.mac : lab->rig_mac, 6);
	seg.family = c.family;
	seg.src = c.rig;
	seg.dst = c.target;
	seg.sport = plan->sport;
	seg.dport = plan->dport;

	if (plan->listen && probe_listen_open(&listener, lab, rm, c.family, plan->dport, err))
		goto out;
	/* Remote: the crafter sends to the target only (craft_restrict_to). */
	if ((rm ? rig_io_open_remote(&io, &rm->wire, &io_cfg, err) :
		  rig_io_open(&io, lab, plan->pcap_path, err)) ||
	    craft_build(io.cr, &seg, &io.l2, &frame, err))
		goto out;

	c.t0_us = clock_mono_us();
	for (unsigned i = 0; i < plan->count; i++) {
		uint64_t sent_at = clock_mono_us();

		if (craft_send(io.cr, &frame, err))
			goto out;
		probe_print(&c, '<', sent_at, &seg);
		res->sent++;
		if (i + 1 < plan->count &&
		    probe_collect(&c, io.sn, sent_at + plan->interval_us))
			goto out;
	}
	if (probe_collect(&c, io.sn, clock_mono_us() + plan->wait_us))
		goto out;
	res->answers = c.answers;
	if (sniff_get_stats(io.sn, &st, err))
		goto out;
	res->pcap_received = st.received;
	res->pcap_dropped = st.dropped + st.if_dropped;
	if (c.target_isn_known)
		fprintf(out, "# target ISN %u (its sequence numbers above are relative to it)\n",
			c.target_isn);
	rc = 0;
out:
	rig_io_close(&io);
	probe_listen_close(&listener);
	return rc;
}
