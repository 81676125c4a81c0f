/* rst_guard.h - `run --target ... --rig-addr self`: the rig uses its
 * interface's own address instead of a phantom, so its kernel sees the
 * target's segments for connections it has no socket for and would answer
 * them with RSTs. An nftables table drops those: TCP RSTs from the rig's
 * address to the target, on every port but the agent connection's. The
 * crafter's own frames leave through a packet socket, which no netfilter
 * hook sees, so a case's `<` RSTs still go out.
 *
 * The table is made by `nft -f` with a generated file (nft(8) run directly,
 * no shell), named tcprig_<pid>, and deleted by rst_guard_remove; a table
 * whose process is gone (SIGKILL) is deleted by the next rst_guard_install.
 */
#ifndef TCPRIG_WIRE_RST_GUARD_H
#define TCPRIG_WIRE_RST_GUARD_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/err.h"

struct rst_guard {
	bool installed;
	char table[32];
};

/* agent_port 0: no exception. TR_ENV if nft is missing or refuses. */
int rst_guard_install(struct rst_guard *g, struct in_addr rig, struct in_addr target,
		      uint16_t agent_port, struct tr_err *err);
/* Deletes the table; safe to call twice or when none was installed. */
void rst_guard_remove(struct rst_guard *g);

#endif
