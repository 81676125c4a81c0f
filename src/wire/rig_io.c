/* rig_io.c - a lab's rig end opened for a case: sniffer, crafter and, on request,
 * the target-side sniffer, each opened from inside its own namespace. */
#include "wire/rig_io.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "lab/netns.h"

int rig_io_open(struct rig_io *io, const struct lab *lab, const char *pcap_path,
		struct tr_err *err)
{
	struct rig_io_config cfg = { .pcap_path = pcap_path };

	return rig_io_open_config(io, lab, &cfg, err);
}

/* What the openers below need, inside the namespaces they run in. */
struct rig_io_open_args {
	struct rig_io *io;
	const struct lab *lab;
	const struct rig_io_config *c;
	const char *filter;
};

/* The target-side sniffer, from inside the target namespace. */
static int rig_io_open_target(void *ctx, struct tr_err *err)
{
	const struct rig_io_open_args *a = ctx;
	struct sniff_config cfg = { .ifname = LAB_IFNAME_TARGET, .filter = a->filter,
				    .pcap_path = a->c->target_pcap_path };

	a->io->target_sn = sniff_open(&cfg, err);
	return a->io->target_sn ? 0 : -1;
}

/* The rig end's sniffer and crafter, from inside the rig namespace. */
static int rig_io_open_rig(void *ctx, struct tr_err *err)
{
	const struct rig_io_open_args *a = ctx;
	struct sniff_config cfg = { .ifname = LAB_IFNAME_RIG, .filter = a->filter,
				    .pcap_path = a->c->pcap_path,
				    .dump_by_caller = a->c->pcap_by_caller };

	a->io->sn = sniff_open(&cfg, err);
	if (a->io->sn)
		a->io->cr = craft_open(LAB_IFNAME_RIG, CRAFT_LAB_ONLY, err);
	if (!a->io->sn || !a->io->cr)
		return -1;
	return a->c->target_capture ?
		       netns_call(a->lab->target_nsfd, rig_io_open_target, ctx, err) : 0;
}

int rig_io_open_config(struct rig_io *io, const struct lab *lab,
		       const struct rig_io_config *c, struct tr_err *err)
{
	char filter[256], target[INET_ADDRSTRLEN], phantom[INET_ADDRSTRLEN];
	char target6[INET6_ADDRSTRLEN], phantom6[INET6_ADDRSTRLEN];
	struct rig_io_open_args a = { io, lab, c, filter };

	memset(io, 0, sizeof(*io));
	memcpy(io->l2.src, lab->rig_mac, 6);
	memcpy(io->l2.dst, lab->target_mac, 6);
	inet_ntop(AF_INET, &lab->target_addr, target, sizeof(target));
	inet_ntop(AF_INET, &lab->phantom_addr, phantom, sizeof(phantom));
	inet_ntop(AF_INET6, &lab->target_addr6, target6, sizeof(target6));
	inet_ntop(AF_INET6, &lab->phantom_addr6, phantom6, sizeof(phantom6));
	sniff_filter_for_lab(filter, sizeof(filter), target, phantom, target6, phantom6);
	if (netns_call(lab->rig_nsfd, rig_io_open_rig, &a, err)) {
		rig_io_close(io);
		return -1;
	}
	return 0;
}

int rig_io_open_remote(struct rig_io *io, const struct wire_remote *rm,
		       const struct rig_io_config *c, struct tr_err *err)
{
	char filter[128], target[INET_ADDRSTRLEN], phantom[INET_ADDRSTRLEN];
	struct sniff_config cfg = {.ifname = rm->ifi.name, .filter = filter,
				   .pcap_path = c->pcap_path, .dump_by_caller = c->pcap_by_caller};

	memset(io, 0, sizeof(*io));
	if (c->target_capture)
		return err_usage(err, "a remote target has no target-side capture "
				      "(--target-capture, --faults): lab only");
	memcpy(io->l2.src, rm->ifi.mac, 6);
	memcpy(io->l2.dst, rm->target_mac, 6);
	inet_ntop(AF_INET, &rm->target, target, sizeof(target));
	inet_ntop(AF_INET, &rm->phantom, phantom, sizeof(phantom));
	sniff_filter_for(filter, sizeof(filter), target, phantom);
	if (rm->skip_port)
		snprintf(filter + strlen(filter), sizeof(filter) - strlen(filter),
			 " and not port %u", rm->skip_port);
	io->sn = sniff_open(&cfg, err);
	if (io->sn)
		io->cr = craft_open(rm->ifi.name, CRAFT_REMOTE_NAMED, err);
	if (!io->sn || !io->cr) {
		rig_io_close(io);
		return -1;
	}
	craft_restrict_to(io->cr, rm->target);
	return 0;
}

void rig_io_close(struct rig_io *io)
{
	craft_close(io->cr);
	sniff_close(io->sn);
	sniff_close(io->target_sn);
	io->cr = NULL;
	io->sn = NULL;
	io->target_sn = NULL;
}
