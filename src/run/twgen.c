/* twgen.c - a TIME_WAIT matrix cell as a case script (twgen.h). */
#include "run/twgen.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "lab/addr6.h"
#include "lab/lab.h"

/* TS.Recent of the TIME_WAIT socket is the rig's FIN's TS val. */
#define TS_RECENT 120
#define TS_FRESH 200
#define TS_STALE 50

struct out {
	char *buf;
	size_t cap, len;
	int line;
	bool full;
};

static void put(struct out *o, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(o->buf + o->len, o->len < o->cap ? o->cap - o->len : 0, fmt, ap);
	va_end(ap);
	if (n < 0 || o->len + (size_t)n >= o->cap) {
		o->full = true;
		return;
	}
	o->len += (size_t)n;
	for (const char *c = o->buf + o->len - n; *c; c++)
		o->line += *c == '\n';
}

unsigned twgen_target_mss(enum tw_family f)
{
	switch (f) {
	case TW_IPV6:
		return LAB_DEFAULT_MTU + LAB_MTU6_EXTRA - LAB_TCP_IP6_HDRS;
	case TW_IPV4:
	case TW_FAMILIES:
		break;
	}
	return LAB_DEFAULT_MTU - LAB_TCP_IP4_HDRS;
}

/* The probe's flags as the dialect writes them, and whether it acks. */
static const char *twgen_flags(enum tw_kind k, bool *acks, bool *syn)
{
	static const struct {
		const char *flags;
		bool acks, syn;
	} f[TW_KINDS] = {
		[TW_SYN] = { "S", false, true },     [TW_SYNACK] = { "S.", true, true },
		[TW_ACK] = { ".", true, false },     [TW_FIN] = { "F", false, false },
		[TW_FINACK] = { "F.", true, false }, [TW_RST] = { "R", false, false },
		[TW_RSTACK] = { "R.", true, false }, [TW_DATA] = { "P.", true, false },
		[TW_SYNFIN] = { "SF", false, true },
	};

	*acks = f[k].acks;
	*syn = f[k].syn;
	return f[k].flags;
}

int twgen_script(const struct tw_params *p, uint32_t win, char *buf, size_t cap,
		 int *observe_line, struct tr_err *err)
{
	struct out o = { buf, cap, 0, 0, false };
	uint32_t seq = (uint32_t)(2 + tw_pos_offset(p->pos, win));
	unsigned len = p->kind == TW_DATA ? 1 : 0;
	unsigned tsval = p->ts == TW_FRESH ? TS_FRESH : TS_STALE;
	const char *flags;
	bool acks, syn;

	flags = twgen_flags(p->kind, &acks, &syn);
	put(&o, "// TIME_WAIT matrix cell: %s at %s (seq %u), TS %s (val %u, TS.Recent %d), "
		"tcp_rfc1337=%d, %s\n",
	    tw_kind_name(p->kind), tw_pos_name(p->pos), seq, tw_ts_name(p->ts), tsval, TS_RECENT,
	    p->rfc1337, tw_family_name(p->family));
	if (p->family == TW_IPV6)
		put(&o, "--ip_version=ipv6\n");
	/* net.ipv4.tcp_* govern IPv6 TCP too: one set of knobs for both. */
	put(&o, "--sysctl=net.ipv4.tcp_timestamps=1\n");
	put(&o, "--sysctl=net.ipv4.tcp_rfc1337=%d\n", p->rfc1337);
	put(&o, "0     socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"
		"+0    setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0\n"
		"+0    bind(3, ..., ...) = 0\n"
		"+0    listen(3, 1) = 0\n"
		"+0    < S 0:0(0) win 32792 <mss 1000,sackOK,TS val 100 ecr 0,nop,wscale 7>\n"
		"+0    > S. 0:0(0) ack 1 <mss %u,sackOK,TS val 700 ecr 100,nop,wscale 10>\n"
		"+.01  < . 1:1(0) ack 1 win 257 <nop,nop,TS val 110 ecr 700>\n"
		"+0    accept(3, ..., ...) = 4\n",
	    twgen_target_mss(p->family));
	put(&o, "// The target closes first: TIME_WAIT, rcv_nxt 2, TS.Recent %d.\n", TS_RECENT);
	put(&o, "+.01  close(4) = 0\n"
		"+0    > F. 1:1(0) ack 1 <nop,nop,TS val 720 ecr 110>\n"
		"+.01  < F. 1:1(0) ack 2 win 257 <nop,nop,TS val %d ecr 720>\n"
		"+0    > . 2:2(0) ack 2 win %u <nop,nop,TS val 730 ecr %d>\n"
		"+0    sock_state(40000, 8080) = TIME_WAIT\n",
	    TS_RECENT, win >> 10, TS_RECENT);
	put(&o, "// The one segment, then whatever comes.\n");
	if (syn)
		put(&o, "+.01  < %s %u:%u(0)%s win 257 <mss 1000,sackOK,TS val %u ecr %s,nop,wscale 7>\n",
		    flags, seq, seq, acks ? " ack 2" : "", tsval, acks ? "730" : "0");
	else
		put(&o, "+.01  < %s %u:%u(%u)%s win 257 <nop,nop,TS val %u ecr %s>\n", flags, seq,
		    seq + len, len, acks ? " ack 2" : "", tsval, acks ? "730" : "0");
	*observe_line = o.line + 1;
	put(&o, "+0~+%d.%03d > any\n", TWGEN_OBSERVE_MS / 1000, TWGEN_OBSERVE_MS % 1000);
	put(&o, "+0    sock_state(40000, 8080) = TIME_WAIT     => kept\n"
		"    | sock_state(40000, 8080) = NONE          => gone\n"
		"    | sock_state(40000, 8080) = SYN_RECV      => new\n"
		"    | sock_state(40000, 8080) = ESTABLISHED   => new-est\n");
	if (o.full)
		return err_env(err, "twgen: a script of more than %zu bytes", cap);
	return 0;
}
