/* caps.h - a worker gives up the capabilities it no longer needs once its lab
 * is set up.
 *
 * Making a lab, starting the agent and opening the rig's packet sockets need
 * CAP_NET_ADMIN, CAP_NET_RAW and CAP_SYS_ADMIN. After that the worker only
 * plays the case: it writes to and reads from sockets it already holds (a
 * packet socket's privilege is checked when it is made, not when it sends),
 * and talks to the agent, which was forked before and keeps its own
 * capabilities for sysctls and shell lines. The one privileged thing left is
 * removing the lab: umount2() of its two names under /run/netns, by
 * lab_destroy or by the signal cleanup, which needs CAP_SYS_ADMIN.
 *
 * caps_drop_to_teardown() keeps CAP_SYS_ADMIN (and CAP_DAC_OVERRIDE only when
 * the effective uid could not unlink in /run/netns without it) and drops
 * every other capability from the bounding set (when CAP_SETPCAP allows it),
 * the ambient, inheritable, permitted and effective sets, then sets
 * no_new_privs. Raw capget/capset and prctl: no libcap.
 */
#ifndef TCPRIG_CAPS_H
#define TCPRIG_CAPS_H

#include <stdint.h>

#include "core/err.h"

/* The capabilities teardown needs, as a mask of (1 << CAP_x). */
uint64_t caps_teardown_mask(void);

/* Drops to caps_teardown_mask(); status TR_ENV on failure. */
int caps_drop_to_teardown(struct tr_err *err);

#endif
