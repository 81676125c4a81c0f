#include "rig_io.h"

#include <string.h>
#include <unistd.h>

int rig_io_open(struct rig_io *io, const struct lab *lab, const char *pcap_path,
		struct tr_err *err)
{
	char filter[128];
	struct sniff_config cfg = { .ifname = LAB_IFNAME_RIG, .filter = filter,
				    .pcap_path = pcap_path };
	int back, rc = -1;

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
	if (io->sn && io->cr)
		rc = 0;
	if (lab_enter(back, err))
		rc = -1;
out:
	close(back);
	if (rc)
		rig_io_close(io);
	return rc;
}

void rig_io_close(struct rig_io *io)
{
	craft_close(io->cr);
	sniff_close(io->sn);
	io->cr = NULL;
	io->sn = NULL;
}
