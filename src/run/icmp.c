/* icmp.c - an icmp line put on the wire. The quoted segment is the
 * target's: from its address and port to the rig's, its seq counted from
 * the target's ISN in the current incarnation (as packetdrill maps it), so
 * the kernel's in-flight check (RFC 5927) sees a seq it sent. */
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

int runner_icmp(struct runner *r, const struct case_event *ev)
{
	const struct case_icmp *ic = &ev->u.icmp;
	int64_t due = runner_due(r, ev), script = runner_script_at(r, ev), wire_t;
	const struct map_inc *inc;
	struct trace_event *e;
	struct map_tuple t;
	struct icmp_quote q;
	const char *code;
	char num[32], mtu[16] = "";
	size_t n;

	runner_icmp_tuple(r, &t);
	inc = map_current(&r->map, &t);
	q = (struct icmp_quote){ .src = r->lab.target_addr, .dst = r->lab.phantom_addr,
				 .sport = t.target_port, .dport = t.rig_port,
				 .seq = inc && inc->tgt_known ? inc->tgt_isn + ic->seq : ic->seq,
				 .len = ic->len };
	memcpy(r->out.bytes, r->io.l2.dst, 6);
	memcpy(r->out.bytes + 6, r->io.l2.src, 6);
	r->out.bytes[12] = 0x08;
	r->out.bytes[13] = 0x00;
	n = icmp_build_ipv4(r->out.bytes + ETH_HDR, sizeof(r->out.bytes) - ETH_HDR,
			    r->lab.phantom_addr, r->lab.target_addr, &ic->msg, &q);
	r->out.len = ETH_HDR + n;
	r->tx_hash = wire_hash(r->out.bytes, r->out.len);
	if (runner_wait_due(r, due) || r->done)
		return r->done ? 0 : -1;
	runner_stall(r, ev);
	if (runner_send(r, ev, &wire_t))
		return -1;
	e = runner_trace(r, TRACE_SEND, ev, wire_t);
	code = icmp_code_name(ic->msg.type, ic->msg.code);
	if (code)
		snprintf(num, sizeof(num), "%s", code);
	else
		snprintf(num, sizeof(num), "code %u", ic->msg.code);
	if (ic->msg.mtu)
		snprintf(mtu, sizeof(mtu), " mtu %u", ic->msg.mtu);
	snprintf(e->actual, sizeof(e->actual), "icmp %s %s%s about %u>%u seq %u (%u)",
		 icmp_type_name(ic->msg.type), num, mtu, t.target_port, t.rig_port, q.seq, ic->len);
	e->frame_hash = r->tx_hash;
	if (runner_late(r, ev, e, due, wire_t, "it sent the ICMP message"))
		return 0;
	runner_anchor(r, ev, wire_t, wire_t, due, script);
	return 0;
}
