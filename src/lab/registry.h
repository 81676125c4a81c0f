/* registry.h - the labs under /run/netns, as a whole: which exist, which are
 * stale (their lock is free), removing them; the signal cleanup's table of
 * this process's throwaway labs; and the crafter's safety gate, which asks
 * whether the calling thread stands on a lab's rig side.
 */
#ifndef TCPRIG_LAB_REGISTRY_H
#define TCPRIG_LAB_REGISTRY_H

#include <stdbool.h>
#include <stddef.h>

#include "core/err.h"
#include "lab/names.h"

struct lab_info {
	char name[LAB_NAME_MAX];
	bool persistent;
	int creator_pid;   /* 0 for a persistent lab */
	bool creator_alive; /* its lock is held: the owner is there */
};

/* Removes labs whose lock is free (their owner is gone); returns how many. */
int lab_reap_stale(unsigned *reaped, struct tr_err *err);
/* Lists tcprig labs found under /run/netns, sorted by name, at most cap;
 * *n is how many were stored. creator_alive is false for a persistent lab. */
int lab_list(struct lab_info *out, size_t cap, size_t *n, struct tr_err *err);
/* Removes a lab by name without opening it (for `lab down`). */
int lab_remove_by_name(const char *name, struct tr_err *err);
/* SIGINT, SIGTERM and SIGHUP remove this process's throwaway labs, then the
 * signal takes its default course. Only async-signal-safe calls in there. */
void lab_install_signal_cleanup(void);
/* Safety gate for the crafter: 0 if the calling thread is in the rig namespace
 * of a tcprig lab and ifname is that lab's rig end; else TR_USAGE error. */
int lab_check_rig_side(const char *ifname, struct tr_err *err);

/* Adds lab_name's namespaces to the signal cleanup's table; fails when
 * the table is full. */
int lab_register(const char *lab_name, struct tr_err *err);
/* Takes lab_name out of the table; one not in it is left alone. */
void lab_unregister(const char *lab_name);
/* Whether /run/netns/NS exists. */
int lab_ns_exists(const char *ns);

#endif
