/* lock.h - a throwaway lab's lock, held by its owner for the lab's
 * lifetime: a lab is stale exactly when its lock is free (lock.c says why).
 */
#ifndef TCPRIG_LAB_LOCK_H
#define TCPRIG_LAB_LOCK_H

#include <stdbool.h>
#include <stddef.h>

#include "core/err.h"
#include "lab/names.h"

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

#endif
