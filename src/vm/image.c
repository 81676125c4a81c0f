/* image.c - a guest's initramfs from this host's tcprig. */
#include "vm/image.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "vm/guest.h"
#include "vm/initramfs.h"
#include "vm/kmod.h"

#define IMAGE_LDD_BYTES 65536

int image_release(const char *kernel, char *release, size_t cap, struct tr_err *err)
{
	unsigned char hdr[0x210];
	char buf[IMAGE_RELEASE_MAX];
	int fd = open(kernel, O_RDONLY | O_CLOEXEC);
	unsigned off;
	ssize_t n;
	size_t i;

	if (fd < 0)
		return err_usage(err, "--kernel %s: %s", kernel, strerror(errno));
	n = pread(fd, hdr, sizeof(hdr), 0);
	/* The boot protocol's setup header: "HdrS" at 0x202, and at 0x20e the
	 * offset (from 0x200) of the kernel's version string. */
	if (n != (ssize_t)sizeof(hdr) || memcmp(hdr + 0x202, "HdrS", 4)) {
		close(fd);
		return err_usage(err, "--kernel %s: not a bzImage (no setup header)", kernel);
	}
	off = (unsigned)hdr[0x20e] | (unsigned)hdr[0x20f] << 8;
	n = pread(fd, buf, sizeof(buf) - 1, (off_t)off + 0x200);
	close(fd);
	if (!off || n <= 0)
		return err_usage(err, "--kernel %s: names no version", kernel);
	buf[n] = '\0';
	for (i = 0; buf[i] > ' ' && buf[i] < 0x7f; i++)
		;
	if (!i || i >= cap)
		return err_usage(err, "--kernel %s: names no version", kernel);
	memcpy(release, buf, i);
	release[i] = '\0';
	return 0;
}

/* ldd's output for file into out. */
static int image_ldd(const char *file, char *out, size_t cap, struct tr_err *err)
{
	int p[2], status;
	size_t len = 0;
	pid_t pid;

	if (pipe2(p, O_CLOEXEC))
		return err_sys(err, "pipe");
	pid = fork();
	if (pid < 0)
		return err_sys(err, "fork");
	if (pid == 0) {
		dup2(p[1], 1);
		execlp("ldd", "ldd", file, (char *)NULL);
		_exit(127);
	}
	close(p[1]);
	for (;;) {
		ssize_t n = read(p[0], out + len, cap - 1 - len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
		if (len == cap - 1)
			break;
	}
	close(p[0]);
	out[len] = '\0';
	waitpid(pid, &status, 0);
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		return err_env(err, "ldd %s failed (is ldd installed? a static binary?)", file);
	return 0;
}

/* A program at guest path dst, and every library ldd names for it. */
static int image_program(struct initramfs *ir, const char *dst, const char *src,
			 struct tr_err *err)
{
	static char out[IMAGE_LDD_BYTES];

	if (initramfs_file(ir, dst, src, 0755, err) || image_ldd(src, out, sizeof(out), err))
		return -1;
	for (char *save, *l = strtok_r(out, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		char *arrow = strstr(l, "=> "), *lib = arrow ? arrow + 3 : l, *end;

		while (*lib == ' ' || *lib == '\t')
			lib++;
		if (strstr(l, "not found"))
			return err_env(err, "ldd %s: %s", src, l);
		if (*lib != '/')
			continue; /* linux-vdso.so.1: the kernel's own */
		end = strstr(lib, " (");
		if (end)
			*end = '\0';
		if (initramfs_file(ir, lib, lib, 0, err))
			return -1;
	}
	return 0;
}

/* A program on PATH, or NULL. */
static const char *image_which(const char *name, char *buf, size_t cap)
{
	static const char *const dirs[] = { "/usr/sbin", "/usr/bin", "/sbin", "/bin" };

	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++)
		if ((size_t)snprintf(buf, cap, "%s/%s", dirs[i], name) < cap && !access(buf, X_OK))
			return buf;
	return NULL;
}

static int image_modules(struct initramfs *ir, const struct image_spec *s, struct tr_err *err)
{
	/* veth for the lab, tcp_diag for socket states; netem for --faults
	 * where the kernel has it. */
	static const char *const needed[] = { "veth", "tcp_diag" };
	static const char *const wanted[] = { "sch_netem" };
	static struct kmod_set set, extra;
	struct tr_err ignored;
	char list[16384], dst[PATH_MAX];
	size_t len = 0;

	if (kmod_resolve(s->moddir, s->release, needed, 2, &set, err))
		return -1;
	if (kmod_resolve(s->moddir, s->release, wanted, 1, &extra, &ignored))
		extra.n = 0;
	for (size_t i = 0; i < set.n + extra.n; i++) {
		const struct kmod *m = i < set.n ? &set.mods[i] : &extra.mods[i - set.n];

		if (m->compressed)
			return err_env(err, "%s: compressed; the guest loads only .ko files",
				       m->path);
		snprintf(dst, sizeof(dst), "/%s/mod/%s.ko", GUEST_DIR, m->name);
		if (initramfs_file(ir, dst, m->path, 0644, err))
			return -1;
		len += (size_t)snprintf(list + len, sizeof(list) - len, "%s\n", dst);
		if (len >= sizeof(list))
			return err_env(err, "too many modules");
	}
	return initramfs_data(ir, GUEST_MODULES, list, len, 0644, err);
}

/* The caller's TCPRIG_* variables (TCPRIG_RETRIES...), for the command. */
static int image_env(struct initramfs *ir, struct tr_err *err)
{
	extern char **environ;
	char env[16384];
	size_t len = 0;

	for (char **e = environ; *e; e++) {
		size_t l = strlen(*e) + 1;

		if (strncmp(*e, "TCPRIG_", 7) || len + l > sizeof(env))
			continue;
		memcpy(env + len, *e, l);
		len += l;
	}
	return initramfs_data(ir, GUEST_ENV, env, len, 0644, err);
}

int image_build(const struct image_spec *s, struct tr_err *err)
{
	static const char *const dirs[] = { "proc", "sys", "dev", "run", "tmp", "root" };
	static const char *const tools[] = { "sysctl", "ip" };
	struct initramfs ir;
	char self[PATH_MAX], buf[PATH_MAX], argv[65536];
	size_t len = 0;
	ssize_t n;
	int rc = -1;

	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n <= 0)
		return err_sys(err, "/proc/self/exe");
	self[n] = '\0';
	for (size_t i = 0; i < s->argc; i++) {
		size_t l = strlen(s->argv[i]) + 1;

		if (len + l > sizeof(argv) || i == GUEST_ARGS_MAX)
			return err_usage(err, "the command for the guest is too long");
		memcpy(argv + len, s->argv[i], l);
		len += l;
	}
	if (initramfs_open(&ir, s->initrd, err))
		return -1;
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++)
		if (initramfs_dir(&ir, dirs[i], err))
			goto out;
	if (initramfs_chardev(&ir, "dev/console", 5, 1, 0600, err) ||
	    image_program(&ir, GUEST_BIN, self, err) ||
	    initramfs_symlink(&ir, "init", "/" GUEST_BIN, err) ||
	    image_program(&ir, "bin/sh", "/bin/sh", err))
		goto out;
	for (size_t i = 0; i < sizeof(tools) / sizeof(tools[0]); i++) {
		char dst[64];

		snprintf(dst, sizeof(dst), "bin/%s", tools[i]);
		if (image_which(tools[i], buf, sizeof(buf)) &&
		    image_program(&ir, dst, buf, err))
			goto out;
	}
	for (size_t i = 0; i < s->ninputs; i++)
		if (initramfs_tree(&ir, s->inputs[i], s->inputs[i], err))
			goto out;
	if (initramfs_dir(&ir, s->cwd, err) ||
	    initramfs_data(&ir, GUEST_CWD, s->cwd, strlen(s->cwd), 0644, err) ||
	    initramfs_data(&ir, GUEST_ARGV, argv, len, 0644, err) ||
	    image_env(&ir, err) ||
	    (s->moddir && image_modules(&ir, s, err)))
		goto out;
	return initramfs_close(&ir, err);
out:
	initramfs_abort(&ir);
	return rc;
}
