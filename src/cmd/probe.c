/* tcprig probe: one hand-built segment into a lab, or to another host
 * with --target (remote_opts.h), hping-like. */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/remote_opts.h"
#include "cmd/subcommands.h"
#include "core/parse_num.h"
#include "lab/addr6.h"
#include "lab/lab.h"
#include "lab/registry.h"
#include "run/probe.h"
#include "wire/craft.h"

static void probe_usage(FILE *f)
{
	fprintf(f,
		"Usage: %s probe --port N [options]\n"
		"Sends one hand-built TCP segment from the rig into a lab's target (or,\n"
		"with --target, to another host) and prints it and every answer in\n"
		"script notation.\n\n"
		"Where:\n"
		"  --port N         target port (required)\n"
		"  --listen         listen on that port in the target first (with\n"
		"                   --target: made by the agent, so --agent is needed)\n"
		"  --lab NAME       use the persistent lab NAME (from 'lab up'), else a\n"
		"                   throwaway lab is made and removed\n"
		"  --family F       ipv4 (192.0.2.2 -> 192.0.2.1, the default) or ipv6\n"
		"                   (2001:db8::2 -> 2001:db8::1): the lab's pair the\n"
		"                   segment crosses; a lab only\n"
		"Segment:\n"
		"  --flags F        flags in script letters S F R P . U E W, '-' for none (S)\n"
		"  --seq N --ack N  sequence and acknowledgment numbers (1000, 0)\n"
		"  --win N --urg N  window and urgent pointer (65535, 0)\n"
		"  --sport N        the rig's source port (40000)\n"
		"  --len N          payload bytes, zeros (0)\n"
		"  --ttl N --tos N --ip-id N   IP header fields (64, 0, 0); on IPv6 the hop\n"
		"                   limit and traffic class, and no --ip-id\n"
		"  --bad-csum       put a wrong TCP checksum on the wire\n"
		"Options, in the order given (at most 40 bytes):\n"
		"  --mss N  --wscale N  --sack-ok  --ts VAL:ECR  --sack L:R  --nop  --eol\n"
		"Sending and output:\n"
		"  --count N        send the same frame N times, 1..%d (1)\n"
		"  --interval S     seconds between sends (0.1)\n"
		"  --wait S         seconds to listen after the last send (0.5)\n"
		"  --pcap FILE      write every frame seen on the rig's veth (or IF)\n"
		"  --absolute       print raw wire numbers\n",
		prog_name, PROBE_COUNT_MAX);
	remote_opts_usage(f, false);
	fprintf(f, "Exit: 0 answered, 1 no answer, 2 bad input, 3 cannot run here.\n");
}

enum {
	OPT_PORT = 256, OPT_LISTEN, OPT_LAB, OPT_FLAGS, OPT_SEQ, OPT_ACK,
	OPT_WIN, OPT_URG, OPT_SPORT, OPT_LEN, OPT_TTL, OPT_TOS, OPT_IPID,
	OPT_BADCSUM, OPT_MSS, OPT_WSCALE, OPT_SACKOK, OPT_TS, OPT_SACK,
	OPT_NOP, OPT_EOL, OPT_COUNT, OPT_INTERVAL, OPT_WAIT, OPT_PCAP,
	OPT_ABSOLUTE, OPT_FAMILY, OPT_HELP,
};

static const struct option probe_options[] = {
	{ "port", required_argument, NULL, OPT_PORT },
	{ "listen", no_argument, NULL, OPT_LISTEN },
	{ "lab", required_argument, NULL, OPT_LAB },
	{ "flags", required_argument, NULL, OPT_FLAGS },
	{ "seq", required_argument, NULL, OPT_SEQ },
	{ "ack", required_argument, NULL, OPT_ACK },
	{ "win", required_argument, NULL, OPT_WIN },
	{ "urg", required_argument, NULL, OPT_URG },
	{ "sport", required_argument, NULL, OPT_SPORT },
	{ "len", required_argument, NULL, OPT_LEN },
	{ "ttl", required_argument, NULL, OPT_TTL },
	{ "tos", required_argument, NULL, OPT_TOS },
	{ "ip-id", required_argument, NULL, OPT_IPID },
	{ "bad-csum", no_argument, NULL, OPT_BADCSUM },
	{ "mss", required_argument, NULL, OPT_MSS },
	{ "wscale", required_argument, NULL, OPT_WSCALE },
	{ "sack-ok", no_argument, NULL, OPT_SACKOK },
	{ "ts", required_argument, NULL, OPT_TS },
	{ "sack", required_argument, NULL, OPT_SACK },
	{ "nop", no_argument, NULL, OPT_NOP },
	{ "eol", no_argument, NULL, OPT_EOL },
	{ "count", required_argument, NULL, OPT_COUNT },
	{ "interval", required_argument, NULL, OPT_INTERVAL },
	{ "wait", required_argument, NULL, OPT_WAIT },
	{ "pcap", required_argument, NULL, OPT_PCAP },
	{ "absolute", no_argument, NULL, OPT_ABSOLUTE },
	{ "family", required_argument, NULL, OPT_FAMILY },
	REMOTE_OPTS_LONG_NO_PORT,
	{ "help", no_argument, NULL, OPT_HELP },
	{ NULL, 0, NULL, 0 },
};

/* "A:B" into two 32-bit numbers. */
static int parse_pair(const char *what, const char *text, uint32_t *a,
		      uint32_t *b, struct tr_err *err)
{
	char buf[64];
	char *colon;

	if (strlen(text) >= sizeof(buf) || !(colon = strchr(text, ':')))
		return err_usage(err, "%s: '%s' is not of the form A:B", what, text);
	strcpy(buf, text);
	buf[colon - text] = '\0';
	if (parse_u32(what, buf, UINT32_MAX, a, err) ||
	    parse_u32(what, buf + (colon - text) + 1, UINT32_MAX, b, err))
		return err_usage(err, "%s: '%s' is not of the form A:B with 32-bit numbers",
				 what, text);
	return 0;
}

static int add_opt(struct segment *s, uint8_t kind, struct seg_opt **o,
		   struct tr_err *err)
{
	*o = segment_opt_add(s, kind);
	if (!*o)
		return err_usage(err, "more than %d TCP options", SEG_OPT_MAX);
	return 0;
}

/* A capture file that cannot be written is bad input: found before a lab
 * is made, not after. */
static int probe_check_pcap_path(const char *path, struct tr_err *err)
{
	char dir[PATH_MAX];

	snprintf(dir, sizeof(dir), "%s", path);
	if (access(dirname(dir), W_OK))
		return err_usage(err, "--pcap: cannot write '%s': %s", path, strerror(errno));
	return 0;
}

static int probe_parse_opt(int opt, const char *arg, struct probe_plan *p,
			   const char **lab_name, struct tr_err *err)
{
	struct segment *s = &p->seg;
	struct seg_opt *o;
	size_t bad;
	uint32_t a, b;
	uint64_t v;

	switch (opt) {
	case OPT_PORT:
		return parse_u16("--port", arg, &p->dport, err) ? -1 :
		       p->dport ? 0 : err_usage(err, "--port: 0 is not a port");
	case OPT_LISTEN:
		p->listen = true;
		return 0;
	case OPT_LAB:
		*lab_name = arg;
		return 0;
	case OPT_FLAGS:
		if (!arg[0])
			return err_usage(err, "--flags: empty (use S F R P . U E W, or - for none)");
		if (segment_flags_parse(arg, strlen(arg), &s->flags, &bad))
			return err_usage(err, "--flags: unknown flag '%c' in '%s' (use S F R P . U E W or -)",
					 arg[bad], arg);
		return 0;
	case OPT_SEQ:
		return parse_u32("--seq", arg, UINT32_MAX, &s->seq, err);
	case OPT_ACK:
		return parse_u32("--ack", arg, UINT32_MAX, &s->ack, err);
	case OPT_WIN:
		return parse_u16("--win", arg, &s->win, err);
	case OPT_URG:
		return parse_u16("--urg", arg, &s->urg, err);
	case OPT_SPORT:
		return parse_u16("--sport", arg, &p->sport, err) ? -1 :
		       p->sport ? 0 : err_usage(err, "--sport: 0 is not a port");
	case OPT_LEN:
		return parse_u32("--len", arg, 1460, &s->payload_len, err);
	case OPT_TTL:
		return parse_u8("--ttl", arg, &s->ttl, err);
	case OPT_TOS:
		return parse_u8("--tos", arg, &s->tos, err);
	case OPT_IPID:
		return parse_u16("--ip-id", arg, &s->ip_id, err);
	case OPT_BADCSUM:
		s->bad_csum = true;
		return 0;
	case OPT_MSS:
		if (add_opt(s, SEG_OPT_MSS, &o, err))
			return -1;
		return parse_u16("--mss", arg, &o->v.mss, err);
	case OPT_WSCALE:
		if (add_opt(s, SEG_OPT_WSCALE, &o, err))
			return -1;
		return parse_u8("--wscale", arg, &o->v.wscale, err);
	case OPT_SACKOK:
		return add_opt(s, SEG_OPT_SACK_PERM, &o, err);
	case OPT_TS:
		if (add_opt(s, SEG_OPT_TS, &o, err) ||
		    parse_pair("--ts", arg, &o->v.ts.val, &o->v.ts.ecr, err))
			return -1;
		return 0;
	case OPT_SACK:
		if (parse_pair("--sack", arg, &a, &b, err))
			return -1;
		/* Consecutive --sack blocks share one option, as on the wire. */
		o = s->nopts ? &s->opts[s->nopts - 1] : NULL;
		if (!o || o->kind != SEG_OPT_SACK || o->v.sack.n == SEG_SACK_MAX) {
			if (add_opt(s, SEG_OPT_SACK, &o, err))
				return -1;
		}
		o->v.sack.b[o->v.sack.n].left = a;
		o->v.sack.b[o->v.sack.n].right = b;
		o->v.sack.n++;
		o->len = (uint8_t)(2 + 8 * o->v.sack.n);
		return 0;
	case OPT_NOP:
		return add_opt(s, SEG_OPT_NOP, &o, err);
	case OPT_EOL:
		return add_opt(s, SEG_OPT_EOL, &o, err);
	case OPT_COUNT:
		if (parse_u64("--count", arg, 1, PROBE_COUNT_MAX, &v, err))
			return -1;
		p->count = (unsigned)v;
		return 0;
	case OPT_INTERVAL:
		return parse_seconds("--interval", arg, 10000000, &p->interval_us, err);
	case OPT_WAIT:
		return parse_seconds("--wait", arg, 60000000, &p->wait_us, err);
	case OPT_PCAP:
		return probe_check_pcap_path(arg, err) ? -1 : (p->pcap_path = arg, 0);
	case OPT_ABSOLUTE:
		p->absolute = true;
		return 0;
	case OPT_FAMILY:
		/* One segment crosses one pair: no "both" here. */
		if (strcmp(arg, "ipv4") && strcmp(arg, "ipv6"))
			return err_usage(err, "--family %s: ipv4 or ipv6 (a probe sends one "
					      "segment, in one family)",
					 arg);
		p->family = arg[3] == '6' ? AF_INET6 : AF_INET;
		s->family = p->family;
		return 0;
	}
	return err_usage(err, "unknown option");
}

/* Everything a user can get wrong is caught here, before a lab exists or
 * a frame leaves on a remote interface. */
static int probe_parse(int argc, char *argv[], struct probe_plan *p, const char **lab_name,
		       struct remote_opts *ro, bool *remote, struct tr_err *err)
{
	struct crafter *offline;
	struct l2_addrs l2 = { { 0 }, { 0 } };
	struct frame *f;
	int opt, rc, taken;

	segment_init(&p->seg);
	p->seg.flags = SEG_SYN;
	p->seg.seq = 1000;
	p->seg.win = 65535;
	p->sport = 40000;
	p->count = 1;
	p->interval_us = 100000;
	p->wait_us = 500000;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, "", probe_options, NULL)) != -1) {
		if (opt == OPT_HELP) {
			probe_usage(stdout);
			exit(TR_OK);
		}
		if (opt == '?')
			return err_usage(err, "unknown or incomplete option '%s'",
					 argv[optind - 1]);
		taken = remote_opts_take(ro, opt, optarg, err);
		if (taken < 0)
			return -1;
		if (!taken && probe_parse_opt(opt, optarg, p, lab_name, err))
			return -1;
	}
	if (optind < argc)
		return err_usage(err, "unexpected argument '%s'", argv[optind]);
	if (!p->dport)
		return err_usage(err, "--port is required");
	if (remote_opts_check(ro, remote, err))
		return -1;
	if (*remote && *lab_name)
		return err_usage(err, "--lab %s and --target %s: a lab or another host, not both",
				 *lab_name, ro->target);
	if (*remote && p->family == AF_INET6)
		return err_usage(err, "--family ipv6 and --target %s: another host is probed over "
				      "IPv4 only",
				 ro->target);
	if (p->family == AF_INET6 && p->seg.ip_id)
		return err_usage(err, "--ip-id %u with --family ipv6: IPv6 has no "
				      "identification field (in its fixed header)",
				 p->seg.ip_id);
	if (*remote && p->listen && !ro->agent)
		return err_usage(err, "--listen with --target needs --agent HOST:PORT: only the "
				      "target's agent can make a listener there");

	/* An offline build proves the segment encodes (option space, sizes). */
	offline = craft_open_offline(err);
	if (!offline)
		return -1;
	f = malloc(sizeof(*f));
	rc = f ? craft_build(offline, &p->seg, &l2, f, err) : err_sys(err, "frame");
	free(f);
	craft_close(offline);
	return rc;
}

/* --target: the segment set up as for run --target, then the same probe
 * from the phantom on IF. */
static int probe_remote(struct probe_plan *plan, struct remote_opts *ro,
			struct probe_result *res, struct tr_err *err)
{
	static struct run_remote remote;
	char note[256], phantom[INET_ADDRSTRLEN];

	if (remote_opts_setup(ro, &remote, note, sizeof(note), err))
		return -1;
	inet_ntop(AF_INET, &remote.wire.phantom, phantom, sizeof(phantom));
	printf("%s\n# rig %s:%u -> target %s:%u on %s%s\n", note, phantom, plan->sport,
	       ro->target, plan->dport, ro->iface,
	       plan->listen ? ", listening (made by the agent)" : "");
	plan->remote = &remote;
	return probe_run(plan, NULL, stdout, res, err);
}

int probe_main(int argc, char *argv[])
{
	struct probe_plan plan = { 0 };
	struct probe_result res = { 0 };
	struct remote_opts ro = { 0 };
	const char *lab_name = NULL;
	struct tr_err err = { 0 };
	struct lab lab;
	unsigned reaped;
	bool remote;
	int rc;

	if (probe_parse(argc, argv, &plan, &lab_name, &ro, &remote, &err))
		goto fail;
	if (lab_check_privileges(&err) || lab_reap_stale(&reaped, &err))
		goto fail;
	lab_install_signal_cleanup();
	if (remote) {
		rc = probe_remote(&plan, &ro, &res, &err);
		/* The ARP responder and an nftables table go with the probe. */
		remote_opts_stop(&ro);
		if (rc)
			goto fail;
		goto done;
	}
	if (lab_name ? lab_open(&lab, lab_name, &err) :
		       lab_create(&lab, NULL, &err))
		goto fail;
	if (plan.family == AF_INET6)
		printf("# lab %s: rig [%s]:%u (phantom, %s) -> target [%s]:%u (%s)%s\n", lab.name,
		       LAB_PHANTOM_ADDR6, plan.sport, LAB_IFNAME_RIG, LAB_TARGET_ADDR6, plan.dport,
		       LAB_IFNAME_TARGET, plan.listen ? ", listening" : "");
	else
		printf("# lab %s: rig %s:%u (phantom, %s) -> target %s:%u (%s)%s\n", lab.name,
		       LAB_PHANTOM_ADDR, plan.sport, LAB_IFNAME_RIG, LAB_TARGET_ADDR, plan.dport,
		       LAB_IFNAME_TARGET, plan.listen ? ", listening" : "");
	rc = probe_run(&plan, &lab, stdout, &res, &err);
	if (lab_name) {
		lab_close(&lab);
	} else {
		struct tr_err derr;

		if (lab_destroy(&lab, &derr))
			fprintf(stderr, "%s probe: %s\n", prog_name, derr.msg);
	}
	if (rc)
		goto fail;
done:
	printf("# %u sent, %u answered; pcap saw %u frames, dropped %u\n",
	       res.sent, res.answers, res.pcap_received, res.pcap_dropped);
	return res.answers ? TR_OK : TR_FAILED;
fail:
	fprintf(stderr, "%s probe: %s\n", prog_name, err.msg);
	return err.status ? (int)err.status : TR_ENV;
}
