/* rig_io.h - the rig's two hands on a lab: the sniffer and the crafter, both
 * opened on the rig end from inside the rig namespace (sockets stay in the
 * namespace they were made in, so the caller's thread can go back home). */
#ifndef TCPRIG_RIG_IO_H
#define TCPRIG_RIG_IO_H

#include "craft.h"
#include "err.h"
#include "lab.h"
#include "sniff.h"

struct rig_io {
	struct sniffer *sn;
	struct crafter *cr;
	struct l2_addrs l2; /* rig end -> target end */
};

/* pcap_path NULL: no capture file. On failure nothing stays open. */
int rig_io_open(struct rig_io *io, const struct lab *lab, const char *pcap_path,
		struct tr_err *err);
void rig_io_close(struct rig_io *io);

#endif
