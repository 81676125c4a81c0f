/* icmp.c - an icmp line put on the wire, ICMPv4 or ICMPv6 as the case's
 * wire is. The quoted segment is the target's: from its address and port to
 * the rig's, its seq counted from the target's ISN in the current
 * incarnation (as packetdrill maps it), so the kernel's in-flight check
 * (RFC 5927) sees a seq it sent. */
#include "run/icmp.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "run/packet.h"
#include "run/record.h"
#include "run/timeline.h"
#include "run/pump.h"
#include "run/wire.h"

#define ETH_HDR 14

/* The case's connection as the line means it: its ports, or the defaults. */
static void runner_icmp_tuple(const struct runner *r, struct map_tuple *t)
{
	*t = r->flow;
	if (!r->rig_port_set)
		t->rig_port = RUN_RIG_PORT;
	if (!r->target_port_set)
		t->target_port = RUN_TARGET_PORT;
}

/* The line's message in the family on the wire, its frame built in r->out;
 * the quote's seq into *seq. */
static int runner_icmp_build(struct runner *r, const struct case_icmp *ic,
			     const struct map_tuple *t, const struct icmp_error **msg,
			     uint32_t *seq)
{
	const struct map_inc *inc = map_current(&r->map, t);
	bool v6 = r->ends.wire == AF_INET6;
	struct icmp_quote q = {
		.src = r->ends.target4, .dst = r->ends.rig4,
		.src6 = r->ends.target6, .dst6 = r->ends.rig6,
		.sport = t->target_port, .dport = t->rig_port,
		.seq = inc && inc->tgt_known ? inc->tgt_isn + ic->seq : ic->seq,
		.len = ic->len,
	};
	uint8_t *ip = r->out.bytes + ETH_HDR;
	size_t cap = sizeof(r->out.bytes) - ETH_HDR, n;

	/* runner_icmp_check refused this before anything was sent. */
	if (!(v6 ? ic->v6 : ic->v4))
		return err_usage(r->err, "%s: an ICMP error with no %s form", r->s->path,
				 v6 ? "ICMPv6" : "ICMPv4");
	*msg = v6 ? &ic->msg6 : &ic->msg;
	*seq = q.seq;
	memcpy(r->out.bytes, r->io.l2.dst, 6);
	memcpy(r->out.bytes + 6, r->io.l2.src, 6);
	r->out.bytes[12] = v6 ? 0x86 : 0x08;
	r->out.bytes[13] = v6 ? 0xdd : 0x00;
	n = v6 ? icmp_build_ipv6(ip, cap, &r->ends.rig6, &r->ends.target6, *msg, &q) :
		 icmp_build_ipv4(ip, cap, r->ends.rig4, r->ends.target4, *msg, &q);
	r->out.len = ETH_HDR + n;
	return 0;
}

int runner_icmp_check(const struct case_script *s, int wire, struct tr_err *err)
{
	for (size_t i = 0; i < s->nevents; i++) {
		const struct case_event *ev = &s->events[i];

		if (ev->kind != CASE_EV_ICMP || (wire == AF_INET6 ? ev->u.icmp.v6 : ev->u.icmp.v4))
			continue;
		if (!err)
			return -1;
		return err_usage(err,
					 "%s:%d:%d: this ICMP error has no %s form: the case "
					 "cannot run on %s (%s names: %s)",
					 s->path, ev->line, ev->u.icmp.col,
					 wire == AF_INET6 ? "ICMPv6" : "ICMPv4",
					 wire == AF_INET6 ? "IPv6" : "IPv4",
					 wire == AF_INET6 ? "ICMPv6" : "ICMPv4",
					 icmp_type_names(wire));
	}
	return 0;
}

int runner_icmp(struct runner *r, const struct case_event *ev)
{
	const struct case_icmp *ic = &ev->u.icmp;
	int64_t due = runner_due(r, ev), script = runner_script_at(r, ev), wire_t;
	const struct icmp_error *msg = NULL;
	struct trace_event *e;
	struct map_tuple t;
	const char *code;
	char num[32] = "", mtu[20] = "";
	uint32_t seq = 0;
	int fam = r->ends.wire == AF_INET6 ? AF_INET6 : AF_INET;

	runner_icmp_tuple(r, &t);
	if (runner_icmp_build(r, ic, &t, &msg, &seq))
		return -1;
	r->tx_hash = wire_hash(r->out.bytes, r->out.len);
	if (runner_wait_due(r, due) || r->done)
		return r->done ? 0 : -1;
	runner_stall(r, ev);
	if (runner_send(r, ev, &wire_t))
		return -1;
	e = runner_trace(r, TRACE_SEND, ev, wire_t);
	code = icmp_code_name(fam, msg->type, msg->code);
	if (code)
		snprintf(num, sizeof(num), " %s", code);
	else if (msg->code)
		snprintf(num, sizeof(num), " code %u", msg->code);
	if (msg->mtu)
		snprintf(mtu, sizeof(mtu), " mtu %u", msg->mtu);
	snprintf(e->actual, sizeof(e->actual), "%s %s%s%s about %u>%u seq %u (%u)",
		 fam == AF_INET6 ? "icmp6" : "icmp", icmp_type_name(fam, msg->type), num, mtu,
		 t.target_port, t.rig_port, seq, ic->len);
	e->frame_hash = r->tx_hash;
	if (runner_late(r, ev, e, due, wire_t, "it sent the ICMP message"))
		return 0;
	runner_anchor(r, ev, wire_t, wire_t, due, script);
	return 0;
}
