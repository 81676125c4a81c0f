/* lab_int.h - what the lab's files share (lab.c: making, opening and
 * taking down a lab; lab_names.c: lab and namespace names; lab_registry.c:
 * the labs under /run/netns and the signal cleanup). Not for use outside the
 * lab. */
#ifndef TCPRIG_LAB_INT_H
#define TCPRIG_LAB_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"
#include "lab.h"

#define LAB_KEEP_PREFIX LAB_PREFIX "keep-"
#define LAB_SUFFIX_RIG "-rig"
#define LAB_SUFFIX_TARGET "-tgt"
#define LAB_KEEP_NAME_MAX 20

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

/* lab_lock.c: a throwaway lab's lock, held by its owner for its lifetime. */
#define LAB_LOCK_DIR "/run/tcprig/labs"
#define LAB_LOCK_PATH_MAX (sizeof(LAB_LOCK_DIR) + LAB_NAME_MAX + 8)
void lab_lock_path(char *buf, size_t cap, const char *lab_name);
/* Takes lab_name's lock (waiting a moment for a prober or a reaper). */
int lab_lock_take(const char *lab_name, int *fd_out, struct tr_err *err);
/* Unlinks the lock file and drops the lock (fd < 0: nothing). */
void lab_lock_release(const char *lab_name, int fd);
/* 1 if an owner holds the lock; 0 if not, with the lock now held in *fd_out
 * (-1: there is no lock file) for the caller to reap the lab under. */
int lab_lock_probe(const char *lab_name, int *fd_out);
/* Whether an owner holds the lock (a probe that lets go again). */
bool lab_lock_held(const char *lab_name);

/* Adds lab to the signal cleanup's table; fails when the table is full. */
int lab_register(const struct lab *lab, struct tr_err *err);
/* Takes lab out of the table; one not in it is left alone. */
void lab_unregister(const struct lab *lab);
/* Whether /run/netns/NS exists. */
int lab_ns_exists(const char *ns);

#endif
