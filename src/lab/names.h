/* names.h - the names a lab goes by: its own ("tcprig-1234-0",
 * "tcprig-keep-demo"), its namespaces' under /run/netns (the lab's name plus
 * "-rig" or "-tgt"), its interfaces'. Parsing them, and checking a user's
 * name for a persistent lab. The bottom of lab/: it knows no struct lab.
 */
#ifndef TCPRIG_LAB_NAMES_H
#define TCPRIG_LAB_NAMES_H

#include <stdbool.h>

#include "core/err.h"

#define LAB_NETNS_DIR "/run/netns"
#define LAB_PREFIX "tcprig-"
#define LAB_KEEP_PREFIX LAB_PREFIX "keep-"
#define LAB_SUFFIX_RIG "-rig"
#define LAB_SUFFIX_TARGET "-tgt"
#define LAB_KEEP_NAME_MAX 20
#define LAB_NAME_MAX 48
#define LAB_IFNAME_RIG "rig0"
#define LAB_IFNAME_TARGET "tgt0"
/* The target's interface's second name: packetdrill's. */
#define LAB_IFNAME_TARGET_ALT "tun0"

enum lab_side {
	LAB_SIDE_RIG,
	LAB_SIDE_TARGET,
};

/* What a name under /run/netns says about the lab it belongs to. */
struct lab_ns_name {
	char lab[LAB_NAME_MAX];
	enum lab_side side;
	bool persistent;
	int pid; /* creator, 0 for a persistent lab */
};

/* A persistent lab's NAME: letters, digits and '_', up to LAB_KEEP_NAME_MAX. */
bool lab_keep_name_valid(const char *name);
/* Parses a namespace name: a lab name plus "-rig" or "-tgt". */
bool lab_parse_ns_name(const char *ns, struct lab_ns_name *out);
/* A user's name for a lab: the full "tcprig-..." name, or the NAME of a
 * persistent lab. TR_USAGE error if it is neither. */
int lab_resolve_name(const char *name, struct lab_ns_name *out, struct tr_err *err);

#endif
