/* netns.c - named network namespaces under /run/netns, as iproute2 does it. */
#include "lab/netns.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

/* /proc/self is the thread group leader; only thread-self follows a thread
 * that has moved on its own with setns() or unshare(). */
#define NETNS_SELF_PATH "/proc/thread-self/ns/net"

int netns_path(char *buf, size_t len, const char *name, struct tr_err *err)
{
	int n;

	if (!name[0] || strchr(name, '/'))
		return err_usage(err, "netns: bad namespace name '%s'", name);
	n = snprintf(buf, len, "%s/%s", NETNS_RUN_DIR, name);
	if (n < 0 || (size_t)n >= len)
		return err_usage(err, "netns: namespace name '%s' too long",
				 name);
	return 0;
}

int netns_open_self(struct tr_err *err)
{
	int fd = open(NETNS_SELF_PATH, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return err_sys(err, "netns: open %s", NETNS_SELF_PATH);
	return fd;
}

int netns_open(const char *name, struct tr_err *err)
{
	char path[PATH_MAX];
	int fd;

	if (netns_path(path, sizeof(path), name, err))
		return -1;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return err_sys(err, "netns: open %s", path);
	return fd;
}

int netns_enter(int nsfd, struct tr_err *err)
{
	if (setns(nsfd, CLONE_NEWNET))
		return err_sys(err, "netns: setns");
	return 0;
}

/* Steps back into orig and closes it. A thread that cannot get back is in
 * the wrong namespace for everything that follows, so that error wins over
 * whatever the caller was about to report. */
static int netns_return(int orig, int ret, struct tr_err *err)
{
	if (setns(orig, CLONE_NEWNET)) {
		err_sys(err, "netns: cannot return to the original namespace");
		ret = -1;
	}
	close(orig);
	return ret;
}

/* /run/netns must be a shared mount point: the nsfs bind mounts made under
 * it then propagate to mount namespaces made later (ip netns exec makes one
 * per command). The lock keeps parallel creators from stacking binds. */
static int netns_prepare_run_dir(struct tr_err *err)
{
	int dirfd, ret = 0;

	if (mkdir(NETNS_RUN_DIR, 0755) && errno != EEXIST)
		return err_sys(err, "netns: mkdir %s", NETNS_RUN_DIR);
	dirfd = open(NETNS_RUN_DIR, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0)
		return err_sys(err, "netns: open %s", NETNS_RUN_DIR);
	if (flock(dirfd, LOCK_EX)) {
		ret = err_sys(err, "netns: lock %s", NETNS_RUN_DIR);
		goto out;
	}
	if (!mount("", NETNS_RUN_DIR, "none", MS_SHARED | MS_REC, NULL))
		goto out;
	if (errno != EINVAL) {
		ret = err_sys(err, "netns: make %s shared", NETNS_RUN_DIR);
		goto out;
	}
	/* EINVAL: not a mount point yet; make it one, then share it. */
	if (mount(NETNS_RUN_DIR, NETNS_RUN_DIR, "none", MS_BIND | MS_REC,
		  NULL)) {
		ret = err_sys(err, "netns: bind %s onto itself", NETNS_RUN_DIR);
		goto out;
	}
	if (mount("", NETNS_RUN_DIR, "none", MS_SHARED | MS_REC, NULL))
		ret = err_sys(err, "netns: make %s shared", NETNS_RUN_DIR);
out:
	close(dirfd); /* drops the lock */
	return ret;
}

int netns_add(const char *name, struct tr_err *err)
{
	char path[PATH_MAX];
	int fd, orig, ret = 0;

	if (netns_path(path, sizeof(path), name, err))
		return -1;
	if (netns_prepare_run_dir(err))
		return -1;
	fd = open(path, O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0);
	if (fd < 0)
		return err_sys(err, "netns: create %s", path);
	close(fd);
	orig = netns_open_self(err);
	if (orig < 0)
		goto fail;
	if (unshare(CLONE_NEWNET)) {
		err_sys(err, "netns: unshare(CLONE_NEWNET) for %s", name);
		close(orig);
		goto fail;
	}
	if (mount(NETNS_SELF_PATH, path, "none", MS_BIND, NULL))
		ret = err_sys(err, "netns: bind %s onto %s", NETNS_SELF_PATH,
			      path);
	if (netns_return(orig, ret, err) == 0)
		return 0;
fail:
	netns_delete_path_signal_safe(path);
	return -1;
}

void netns_delete_path_signal_safe(const char *path)
{
	umount2(path, MNT_DETACH);
	unlink(path);
}

int netns_delete(const char *name, bool *removed, struct tr_err *err)
{
	char path[PATH_MAX];

	if (removed)
		*removed = false;
	if (netns_path(path, sizeof(path), name, err))
		return -1;
	/* EINVAL: not mounted (a half-made namespace); ENOENT: already gone,
	 * e.g. taken by a concurrent reaper. */
	if (umount2(path, MNT_DETACH) && errno != EINVAL && errno != ENOENT)
		return err_sys(err, "netns: unmount %s", path);
	if (unlink(path)) {
		if (errno == ENOENT)
			return 0;
		return err_sys(err, "netns: unlink %s", path);
	}
	if (removed)
		*removed = true;
	return 0;
}

int netns_call(int nsfd, int (*fn)(void *ctx, struct tr_err *err), void *ctx,
	       struct tr_err *err)
{
	int orig = netns_open_self(err);

	if (orig < 0)
		return -1;
	if (netns_enter(nsfd, err)) {
		close(orig);
		return -1;
	}
	return netns_return(orig, fn(ctx, err), err);
}

struct netns_socket_args {
	int domain, type, protocol;
	const char *what; /* for the error */
	int fd;
};

static int netns_socket_here(void *ctx, struct tr_err *err)
{
	struct netns_socket_args *a = ctx;

	a->fd = socket(a->domain, a->type | SOCK_CLOEXEC, a->protocol);
	return a->fd < 0 ? err_sys(err, "%s", a->what) : 0;
}

int netns_socket(int nsfd, int domain, int type, int protocol,
		 struct tr_err *err)
{
	struct netns_socket_args a = { domain, type, protocol, "netns: socket", -1 };

	if (nsfd < 0)
		return netns_socket_here(&a, err) ? -1 : a.fd;
	a.what = "netns: socket in namespace";
	if (netns_call(nsfd, netns_socket_here, &a, err)) {
		if (a.fd >= 0)
			close(a.fd);
		return -1;
	}
	return a.fd;
}

struct netns_sysctl_args {
	const char *path, *value;
	bool missing_ok;
};

static int netns_write_sysctl_here(void *ctx, struct tr_err *err)
{
	const struct netns_sysctl_args *a = ctx;
	size_t len = strlen(a->value);
	int fd, ret = 0;
	ssize_t n;

	/* The namespace a /proc/sys/net file speaks for is fixed when the file
	 * is opened, by the opening thread's namespace. */
	fd = open(a->path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return a->missing_ok && errno == ENOENT ? 0 :
			err_sys(err, "netns: open %s", a->path);
	n = write(fd, a->value, len);
	if (n < 0)
		ret = err_sys(err, "netns: write '%s' to %s", a->value, a->path);
	else if ((size_t)n != len)
		ret = err_env(err, "netns: short write of '%s' to %s", a->value, a->path);
	close(fd);
	return ret;
}

int netns_write_sysctl(int nsfd, const char *path, const char *value,
		       bool missing_ok, struct tr_err *err)
{
	struct netns_sysctl_args a = { path, value, missing_ok };

	return netns_call(nsfd, netns_write_sysctl_here, &a, err);
}
