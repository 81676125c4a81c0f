/* rig_io.h - the rig's two hands on a lab: the sniffer and the crafter, both
 * opened on the rig end from inside the rig namespace (sockets stay in the
 * namespace they were made in, so the caller's thread can go back home).
 *
 * On request, a third thing: a second sniffer on the target end, opened from
 * inside the target namespace, that sees what the target really sent and
 * really received. It is never used to send. */
#ifndef TCPRIG_RIG_IO_H
#define TCPRIG_RIG_IO_H

#include <stdbool.h>

#include "wire/craft.h"
#include "wire/iface.h"
#include "core/err.h"
#include "lab/lab.h"
#include "wire/sniff.h"

struct rig_io {
	struct sniffer *sn;
	struct crafter *cr;
	struct l2_addrs l2; /* rig end -> target end */
	struct sniffer *target_sn; /* on the target end; NULL unless asked for */
};

struct rig_io_config {
	const char *pcap_path;	      /* the rig end's capture file; NULL: none */
	bool pcap_by_caller;	      /* the caller writes it (sniff_dump) */
	bool target_capture;	      /* open target_sn too */
	const char *target_pcap_path; /* target_sn's capture file; NULL: none */
};

/* pcap_path NULL: no capture file. On failure nothing stays open. */
int rig_io_open(struct rig_io *io, const struct lab *lab, const char *pcap_path,
		struct tr_err *err);
int rig_io_open_config(struct rig_io *io, const struct lab *lab,
		       const struct rig_io_config *cfg, struct tr_err *err);
/* A remote target's rig end: the sniffer and a crafter that sends only
 * to rm->target, on rm->ifi in this namespace; no target-side capture. */
int rig_io_open_remote(struct rig_io *io, const struct wire_remote *rm,
		       const struct rig_io_config *cfg, struct tr_err *err);
void rig_io_close(struct rig_io *io);

#endif
