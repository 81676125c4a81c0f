#include "rig_io.h"

#include <string.h>
#include <unistd.h>

int rig_io_open(struct rig_io *io, const struct lab *lab, const char *pcap_path,
		struct tr_err *err)
{
	struct rig_io_config cfg = { .pcap_path = pcap_path };

	return rig_io_open_config(io, lab, &cfg, err);
}

/* The target-side sniffer, from inside the target namespace. */
static int rig_io_open_target(struct rig_io *io, const struct lab *lab, const char *filter,
			      const char *pcap_path, struct tr_err *err)
{
	struct sniff_config cfg = { .ifname = LAB_IFNAME_TARGET, .filter = filter,
				    .pcap_path = pcap_path };

	if (lab_enter(lab->target_nsfd, err))
		return -1;
	io->target_sn = sniff_open(&cfg, err);
	return io->target_sn ? 0 : -1;
}

int rig_io_open_config(struct rig_io *io, const struct lab *lab,
		       const struct rig_io_config *c, struct tr_err *err)
{
	char filter[128];
	struct sniff_config cfg = { .ifname = LAB_IFNAME_RIG, .filter = filter,
				    .pcap_path = c->pcap_path,
				    .dump_by_caller = c->pcap_by_caller };
	int back, ret = -1;

	memset(io, 0, sizeof(*io));
	memcpy(io->l2.src, lab->rig_mac, 6);
	memcpy(io->l2.dst, lab->target_mac, 6);
	sniff_filter_for(filter, sizeof(filter), LAB_TARGET_ADDR,
			 LAB_PHANTOM_ADDR);
	back = lab_self_netns(err);
	if (back < 0)
		return -1;
	if (lab_enter(lab->rig_nsfd, err))
		goto out;
	io->sn = sniff_open(&cfg, err);
	if (io->sn)
		io->cr = craft_open(LAB_IFNAME_RIG, CRAFT_LAB_ONLY, err);
	if (io->sn && io->cr &&
	    (!c->target_capture ||
	     !rig_io_open_target(io, lab, filter, c->target_pcap_path, err)))
		ret = 0;
	if (lab_enter(back, err))
		ret = -1;
out:
	close(back);
	if (ret)
		rig_io_close(io);
	return ret;
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
