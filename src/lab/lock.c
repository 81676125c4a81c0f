/* lock.c - a throwaway lab's owner holds a lock for the lab's lifetime:
 * flock(LOCK_EX) on LAB_LOCK_DIR/<lab>.lock. A lab is stale exactly when
 * its lock is free: the kernel drops it the moment the owner is gone, however
 * it went (SIGKILL, a crash), with no race against a process that is dying
 * but not yet reaped, and no pid that a new process could reuse.
 *
 * The file is unlinked only by whoever holds its lock, after the lab's
 * namespaces are gone; an owner checks that the file it locked is still the
 * one its path names (a reaper may have unlinked it in between), else it
 * locks the new one. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "lab/lock.h"

/* An owner waits this long for a lock someone else holds for a moment (a
 * `lab list` probing it, a reaper finishing a stale lab of the same name). */
#define LAB_LOCK_WAIT_MS 2000

void lab_lock_path(char *buf, size_t cap, const char *lab_name)
{
	snprintf(buf, cap, "%s/%s.lock", LAB_LOCK_DIR, lab_name);
}

static int lab_lock_dir(struct tr_err *err)
{
	char parent[sizeof(LAB_LOCK_DIR)];
	char *slash;

	snprintf(parent, sizeof(parent), "%s", LAB_LOCK_DIR);
	slash = strrchr(parent, '/');
	if (slash)
		*slash = '\0';
	if ((mkdir(parent, 0700) && errno != EEXIST) || (mkdir(LAB_LOCK_DIR, 0700) && errno != EEXIST))
		return err_sys(err, "lab: make %s", LAB_LOCK_DIR);
	return 0;
}

static bool lab_lock_same_file(int fd, const char *path)
{
	struct stat a, b;

	return !fstat(fd, &a) && !stat(path, &b) && a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

int lab_lock_take(const char *lab_name, int *fd_out, struct tr_err *err)
{
	struct timespec pause = { .tv_nsec = 1000000 };
	char path[LAB_LOCK_PATH_MAX];
	int fd, waited = 0;

	*fd_out = -1;
	if (lab_lock_dir(err))
		return -1;
	lab_lock_path(path, sizeof(path), lab_name);
	for (;;) {
		fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
		if (fd < 0)
			return err_sys(err, "lab: lock %s", path);
		if (flock(fd, LOCK_EX | LOCK_NB) == 0) {
			if (lab_lock_same_file(fd, path)) {
				*fd_out = fd;
				return 0;
			}
		} else if (errno != EWOULDBLOCK) {
			close(fd);
			return err_sys(err, "lab: lock %s", path);
		} else if (waited++ >= LAB_LOCK_WAIT_MS) {
			close(fd);
			return err_env(err, "lab: %s is locked by another process", path);
		} else {
			nanosleep(&pause, NULL);
		}
		close(fd);
	}
}

void lab_lock_release(const char *lab_name, int fd)
{
	char path[LAB_LOCK_PATH_MAX];

	if (fd < 0)
		return;
	lab_lock_path(path, sizeof(path), lab_name);
	unlink(path);
	close(fd);
}

int lab_lock_probe(const char *lab_name, int *fd_out)
{
	char path[LAB_LOCK_PATH_MAX];
	int fd;

	*fd_out = -1;
	lab_lock_path(path, sizeof(path), lab_name);
	fd = open(path, O_RDWR | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return errno == ENOENT ? 0 : 1;
	if (flock(fd, LOCK_EX | LOCK_NB)) {
		close(fd);
		/* Held; or something we cannot judge, which is not ours to reap. */
		return 1;
	}
	*fd_out = fd;
	return 0;
}

bool lab_lock_held(const char *lab_name)
{
	int fd;

	if (lab_lock_probe(lab_name, &fd))
		return true;
	if (fd >= 0)
		close(fd);
	return false;
}
