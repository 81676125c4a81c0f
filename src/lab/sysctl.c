/* sysctl.c - net.* sysctls through /proc/sys, in the caller's namespace. */
#include "lab/sysctl.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define SYSCTL_DIR "/proc/sys/"

/* sysctl(8)'s rule: without a slash, dots separate the components; with
 * one, slashes do and dots are part of the names. */
static int sysctl_path(char *path, size_t len, const char *name, struct tr_err *err)
{
	bool slashes = strchr(name, '/') != NULL;
	size_t off = strlen(SYSCTL_DIR), i;

	if (strncmp(name, slashes ? "net/" : "net.", 4) != 0)
		return err_usage(err, "sysctl: '%s' is not a net.* knob", name);
	if (strstr(name, "..") || strstr(name, "//") || strchr(name, ' ') ||
	    name[strlen(name) - 1] == '/' || name[strlen(name) - 1] == '.')
		return err_usage(err, "sysctl: bad knob name '%s'", name);
	if (off + strlen(name) + 1 > len)
		return err_usage(err, "sysctl: knob name '%s' too long", name);
	memcpy(path, SYSCTL_DIR, off);
	for (i = 0; name[i]; i++)
		path[off + i] = (!slashes && name[i] == '.') ? '/' : name[i];
	path[off + i] = '\0';
	return 0;
}

/* 0, 1 when the file is not there, -1. */
static int sysctl_read_path(const char *path, const char *name, char *value, size_t len,
			    struct tr_err *err)
{
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT)
			return 1;
		return err_sys(err, "sysctl: read %s", name);
	}
	n = read(fd, value, len - 1);
	if (n < 0) {
		err_sys(err, "sysctl: read %s", name);
		close(fd);
		return -1;
	}
	close(fd);
	if ((size_t)n == len - 1)
		return err_env(err, "sysctl: value of %s longer than %zu bytes", name, len - 1);
	while (n > 0 && value[n - 1] == '\n')
		n--;
	value[n] = '\0';
	return 0;
}

int sysctl_get(const char *name, char *value, size_t len, struct tr_err *err)
{
	char path[PATH_MAX];

	if (len < 2)
		return err_usage(err, "sysctl: no room for the value of %s", name);
	if (sysctl_path(path, sizeof(path), name, err))
		return -1;
	return sysctl_read_path(path, name, value, len, err);
}

int sysctl_set(const char *name, const char *value, char *old, size_t oldlen, struct tr_err *err)
{
	char path[PATH_MAX], prev[SYSCTL_VALUE_MAX];
	size_t len = strlen(value);
	ssize_t n;
	int fd, ret;

	if (sysctl_path(path, sizeof(path), name, err))
		return -1;
	ret = sysctl_read_path(path, name, prev, sizeof(prev), err);
	if (ret)
		return ret;
	/* A truncated old value would restore something else: refuse first. */
	if (old && strlen(prev) >= oldlen)
		return err_usage(err, "sysctl: no room for the old value of %s", name);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return err_sys(err, "sysctl: write %s", name);
	n = write(fd, value, len);
	if (n < 0) {
		err_sys(err, "sysctl: write '%s' to %s", value, name);
		close(fd);
		return -1;
	}
	close(fd);
	if ((size_t)n != len)
		return err_env(err, "sysctl: short write of '%s' to %s", value, name);
	if (old)
		memcpy(old, prev, strlen(prev) + 1);
	return 0;
}
