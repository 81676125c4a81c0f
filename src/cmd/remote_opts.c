/* remote_opts.c - --target (run, matrix, replay, probe): the options, their checks and the set-up
 * on the real segment before any case. */
#include "cmd/remote_opts.h"

#include <arpa/inet.h>
#include <string.h>

#include "agent/listen.h"
#include "agent/remote.h"
#include "core/parse_num.h"
#include "wire/arp.h"

/* Free addresses tried for a phantom, from the top of the subnet down. */
#define REMOTE_PHANTOM_TRIES 8

int remote_opts_take(struct remote_opts *o, int opt, const char *arg, struct tr_err *err)
{
	uint64_t num;

	switch (opt) {
	case REMOTE_OPT_TARGET:
		o->target = arg;
		return 1;
	case REMOTE_OPT_IFACE:
		o->iface = arg;
		return 1;
	case REMOTE_OPT_AGENT:
		o->agent = arg;
		return 1;
	case REMOTE_OPT_TOKEN:
		o->token_file = arg;
		return 1;
	case REMOTE_OPT_RIG_ADDR:
		o->rig_addr = arg;
		return 1;
	case REMOTE_OPT_PORT:
		if (parse_u64("--port", arg, 1, 65535, &num, err))
			return -1;
		o->port = (unsigned)num;
		return 1;
	case REMOTE_OPT_I_MEAN_IT:
		o->i_mean_it = true;
		return 1;
	}
	return 0;
}

void remote_opts_usage(FILE *f, bool port)
{
	fprintf(f,
		"Another host instead of a lab (one case at a time):\n"
		"  --target ADDR       the host under test, an IPv4 address on IF's subnet;\n"
		"                      the rig sends to it only\n"
		"  --iface IF          the interface to send and sniff on (Ethernet); one\n"
		"                      carrying the default route is refused\n"
		"  --i-mean-it         ... unless this is given too\n"
		"  --agent HOST:PORT   `tcprig agent --listen` on the target; without it,\n"
		"                      cases with socket calls, shell lines or sysctls are\n"
		"                      SKIP (needs an agent)\n"
		"  --token-file FILE   the agent's token (mode 600)\n"
		"  --rig-addr A        the rig's phantom address (default: a free one of\n"
		"                      IF's subnet, checked by ARP); the rig answers ARP\n"
		"                      for it itself. 'self': IF's own address, with an\n"
		"                      nftables table dropping its kernel's RSTs to the\n"
		"                      target, removed on exit\n");
	if (port)
		fprintf(f, "  --port N            the port the target already listens on, for cases\n"
			   "                      that name none (agentless targets)\n");
}

int remote_opts_check(const struct remote_opts *o, bool *remote, struct tr_err *err)
{
	struct in_addr a;

	*remote = o->target != NULL;
	if (!o->target) {
		if (o->iface || o->agent || o->token_file || o->rig_addr || o->port ||
		    o->i_mean_it)
			return err_usage(err, "--iface, --agent, --token-file, --rig-addr, --port "
					      "and --i-mean-it go with --target ADDR");
		return 0;
	}
	if (inet_pton(AF_INET, o->target, &a) != 1)
		return err_usage(err, "--target '%s': not an IPv4 address", o->target);
	if (!o->iface)
		return err_usage(err, "--target needs --iface IF: the interface that reaches it");
	if (o->agent && !o->token_file)
		return err_usage(err, "--agent needs --token-file FILE");
	if (o->token_file && !o->agent)
		return err_usage(err, "--token-file goes with --agent HOST:PORT");
	if (o->rig_addr && strcmp(o->rig_addr, "self") && inet_pton(AF_INET, o->rig_addr, &a) != 1)
		return err_usage(err, "--rig-addr '%s': not an IPv4 address", o->rig_addr);
	return 0;
}

static bool remote_same(struct in_addr a, struct in_addr b)
{
	return a.s_addr == b.s_addr;
}

/* A phantom nobody answers ARP for: the one given, or the first free from
 * the top of the subnet down. */
static int remote_phantom(const struct remote_opts *o, struct run_remote *rm, struct tr_err *err)
{
	const struct iface_info *ifi = &rm->wire.ifi;
	struct in_addr zero = {0}, c;
	uint8_t mac[6];
	uint32_t net, host, top;
	int rc;

	if (o->rig_addr && !strcmp(o->rig_addr, "self")) {
		if (!ifi->has_addr)
			return err_usage(err, "--rig-addr self: %s has no IPv4 address", ifi->name);
		rm->wire.phantom = ifi->addr;
		return 0;
	}
	if (o->rig_addr) {
		inet_pton(AF_INET, o->rig_addr, &c);
		/* An interface without an address has no subnet to be on. */
		if (ifi->has_addr && !iface_on_link(ifi, c))
			return err_usage(err, "--rig-addr %s is not on %s's subnet", o->rig_addr,
					 ifi->name);
		if (remote_same(c, ifi->addr) || remote_same(c, rm->wire.target))
			return err_usage(err, "--rig-addr %s is %s's own address or the target's: "
					      "a phantom must be an address nobody owns",
					 o->rig_addr, ifi->name);
		rc = arp_ask(ifi, zero, c, mac, err);
		if (rc < 0)
			return -1;
		if (rc == 0)
			return err_usage(err, "--rig-addr %s: another host answers ARP for it "
					      "(%02x:%02x:%02x:%02x:%02x:%02x)", o->rig_addr,
					 mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
		rm->wire.phantom = c;
		return 0;
	}
	if (!ifi->has_addr)
		return err_usage(err, "%s has no IPv4 address to find a free phantom in: name "
				      "one with --rig-addr", ifi->name);
	net = ntohl(ifi->addr.s_addr & ifi->mask.s_addr);
	top = ~ntohl(ifi->mask.s_addr);
	if (top < 3)
		return err_usage(err, "%s's subnet has no room for a phantom: name one with "
				      "--rig-addr", ifi->name);
	for (host = top - 1, rc = 0; host >= 1 && rc < REMOTE_PHANTOM_TRIES; host--) {
		c.s_addr = htonl(net | host);
		if (remote_same(c, ifi->addr) || remote_same(c, rm->wire.target))
			continue;
		rc++;
		switch (arp_ask(ifi, zero, c, mac, err)) {
		case -1:
			return -1;
		case 1:
			rm->wire.phantom = c;
			return 0;
		}
	}
	return err_env(err, "no free address for a phantom among the top %d of %s's subnet: "
			    "name one with --rig-addr", REMOTE_PHANTOM_TRIES, ifi->name);
}

int remote_opts_setup(struct remote_opts *o, struct run_remote *rm, char *note, size_t cap,
		      struct tr_err *err)
{
	struct iface_info *ifi = &rm->wire.ifi;
	bool self = o->rig_addr && !strcmp(o->rig_addr, "self");
	char phantom[INET_ADDRSTRLEN], how[160];
	struct agent a;
	int rc;

	memset(rm, 0, sizeof(*rm));
	rm->port = (uint16_t)o->port;
	rm->rig_self = self;
	inet_pton(AF_INET, o->target, &rm->wire.target);
	if (iface_info_get(o->iface, ifi, err))
		return -1;
	if (ifi->default_route && !o->i_mean_it)
		return err_usage(err, "--iface %s carries this host's default route: refusing "
				      "to inject there (--i-mean-it if you do)", ifi->name);
	if (ifi->forwarding)
		return err_usage(err, "--iface %s forwards IPv4: the rig's kernel would send the "
				      "target's segments back (sysctl net.ipv4.conf.%s.forwarding=0)",
				 ifi->name, ifi->name);
	if (ifi->has_addr && !iface_on_link(ifi, rm->wire.target))
		return err_usage(err, "--target %s is not on %s's subnet: the rig talks to "
				      "hosts on its own segment only", o->target, ifi->name);
	if (o->agent) {
		/* The token first: a wrong one stops everything before a frame
		 * goes out. */
		if (agent_parse_hostport(o->agent, &rm->agent, err) ||
		    agent_token_load(o->token_file, &rm->token, err))
			return -1;
		rm->has_agent = true;
		struct in_addr none = {0};

		rc = agent_start_remote(&a, &rm->agent, &rm->token, none, false, err);
		if (rc)
			return -1;
		agent_stop(&a, NULL);
	}
	if (remote_phantom(o, rm, err))
		return -1;
	inet_ntop(AF_INET, &rm->wire.phantom, phantom, sizeof(phantom));
	rc = arp_ask(ifi, rm->wire.phantom, rm->wire.target, rm->wire.target_mac, err);
	if (rc < 0)
		return -1;
	if (rc > 0)
		return err_env(err, "--target %s does not answer ARP on %s", o->target, ifi->name);
	if (self) {
		/* The agent on the target's own address: its connection is
		 * between the same two addresses as the cases'. */
		if (rm->has_agent && rm->agent.sin_addr.s_addr == rm->wire.target.s_addr)
			rm->wire.skip_port = ntohs(rm->agent.sin_port);
		if (rst_guard_install(&o->guard, rm->wire.phantom, rm->wire.target,
				      rm->wire.skip_port, err))
			return -1;
	} else {
		o->responder = arp_responder_start(ifi, rm->wire.phantom, err);
		if (o->responder < 0)
			return -1;
	}
	if (self)
		snprintf(how, sizeof(how), "rig address %s (self: its kernel's RSTs dropped by "
					   "nftables table %s)", phantom, o->guard.table);
	else
		snprintf(how, sizeof(how), "rig phantom %s", phantom);
	snprintf(note, cap, "# target %s (%02x:%02x:%02x:%02x:%02x:%02x) on %s, %s, %s%s",
		 o->target, rm->wire.target_mac[0], rm->wire.target_mac[1], rm->wire.target_mac[2],
		 rm->wire.target_mac[3], rm->wire.target_mac[4], rm->wire.target_mac[5], ifi->name,
		 how, rm->has_agent ? "agent " : "no agent", rm->has_agent ? o->agent : "");
	return 0;
}

void remote_opts_stop(struct remote_opts *o)
{
	arp_responder_stop(o->responder);
	o->responder = 0;
	rst_guard_remove(&o->guard);
}
