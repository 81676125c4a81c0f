/* netns.h - named network namespaces, made the way `ip netns add` makes them.
 *
 * A named namespace is an nsfs file bind-mounted on /run/netns/NAME, which
 * is itself a shared mount point so that other mount namespaces see it.
 * Everything acts on the calling thread only: setns() and unshare() move one
 * thread, and every helper that steps into a namespace steps back out before
 * it returns. Functions return 0 (or an fd) and -1 with err filled.
 */
#ifndef TCPRIG_NETNS_H
#define TCPRIG_NETNS_H

#include <stdbool.h>
#include <stddef.h>

#include "core/err.h"

#define NETNS_RUN_DIR "/run/netns"

/* Creates /run/netns/NAME holding a new, empty network namespace; the
 * calling thread stays where it was. Fails (errno EEXIST) if NAME exists. */
int netns_add(const char *name, struct tr_err *err);
/* Unmounts and unlinks /run/netns/NAME; a missing one is not an error.
 * removed (may be NULL) tells whether this call took the file away. */
int netns_delete(const char *name, bool *removed, struct tr_err *err);
/* Only umount2() and unlink(), errors ignored: usable in a signal handler. */
void netns_delete_path_signal_safe(const char *path);

/* fd of /run/netns/NAME, O_CLOEXEC. */
int netns_open(const char *name, struct tr_err *err);
/* fd of the calling thread's current namespace, to come back to later. */
int netns_open_self(struct tr_err *err);
/* Moves the calling thread into the namespace nsfd refers to. */
int netns_enter(int nsfd, struct tr_err *err);

/* Runs fn(ctx, err) with the calling thread in nsfd's namespace, then moves
 * it back where it was; fn's result, or -1 if the thread could not get
 * back (that error wins: everything after would run in the wrong place). */
int netns_call(int nsfd, int (*fn)(void *ctx, struct tr_err *err), void *ctx,
	       struct tr_err *err);

/* A socket created inside nsfd's namespace (nsfd < 0: the current one). A
 * socket belongs for life to the namespace it was created in. */
int netns_socket(int nsfd, int domain, int type, int protocol,
		 struct tr_err *err);
/* Writes value to a /proc/sys/net file as seen from inside nsfd's namespace.
 * missing_ok: a knob that does not exist (IPv6 compiled out) is no error. */
int netns_write_sysctl(int nsfd, const char *path, const char *value,
		       bool missing_ok, struct tr_err *err);

/* "/run/netns/NAME" into buf; -1 with err if it does not fit. */
int netns_path(char *buf, size_t len, const char *name, struct tr_err *err);

#endif
