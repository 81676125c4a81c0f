/* guest.c - pid 1 of a `tcprig vm` guest: set up, run, report, reboot. */
#include "vm/guest.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "vm/tar.h"

/* Under /run, not /tmp: the host's /tmp/... paths (a case, a cwd) are in the
 * initramfs, and a tmpfs on /tmp would hide them. */
#define GUEST_OUT "/run/tcprig-vm"
#define GUEST_FILE_MAX (1u << 20)

static void guest_say(const char *fmt, const char *what)
{
	fprintf(stderr, "tcprig-vm guest: ");
	fprintf(stderr, fmt, what, strerror(errno));
	fputc('\n', stderr);
}

static void guest_mount(const char *src, const char *dir, const char *type)
{
	mkdir(dir, 0755);
	if (mount(src, dir, type, 0, NULL) && errno != EBUSY)
		guest_say("mount %s: %s", dir);
}

/* A small file of the initramfs, NUL-terminated, into buf; its length. */
static long guest_read(const char *path, char *buf, size_t cap)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	long n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, cap - 1);
	close(fd);
	if (n >= 0)
		buf[n] = '\0';
	return n;
}

/* Each module of the list, in order; what happened goes to log. */
static void guest_modules(FILE *log)
{
	static char list[65536];

	if (guest_read("/" GUEST_MODULES, list, sizeof(list)) < 0)
		return;
	for (char *save, *p = strtok_r(list, "\n", &save); p; p = strtok_r(NULL, "\n", &save)) {
		int fd = open(p, O_RDONLY | O_CLOEXEC), rc = -1;

		if (fd >= 0) {
			rc = (int)syscall(SYS_finit_module, fd, "", 0);
			close(fd);
		}
		if (rc && errno == EEXIST)
			rc = 0;
		fprintf(log, "%s %s\n", rc ? strerror(errno) : "loaded", p);
	}
}

/* Runs the command; its exit status, 128+signal, or 127 when it could not. */
static int guest_command(void)
{
	static char words[65536], cwd[4096], vars[16384];
	char *argv[GUEST_ARGS_MAX + 2], *envp[GUEST_ARGS_MAX + 4] = {
		"PATH=/bin:/sbin:/usr/bin:/usr/sbin", "HOME=/", "TERM=dumb"
	};
	long n = guest_read("/" GUEST_ARGV, words, sizeof(words)),
	     nvars = guest_read("/" GUEST_ENV, vars, sizeof(vars));
	int argc = 0, envc = 3, status = 0;
	pid_t pid;

	if (n <= 0 || guest_read("/" GUEST_CWD, cwd, sizeof(cwd)) <= 0)
		return 127;
	argv[argc++] = "tcprig";
	for (long i = 0; i < n && argc <= GUEST_ARGS_MAX; i += (long)strlen(words + i) + 1)
		argv[argc++] = words + i;
	argv[argc] = NULL;
	for (long i = 0; i < nvars && envc <= GUEST_ARGS_MAX; i += (long)strlen(vars + i) + 1)
		envp[envc++] = vars + i;
	envp[envc] = NULL;
	pid = fork();
	if (pid < 0)
		return 127;
	if (pid == 0) {
		int out = open(GUEST_OUT "/stdout", O_WRONLY | O_CREAT | O_TRUNC, 0644);
		int err = open(GUEST_OUT "/stderr", O_WRONLY | O_CREAT | O_TRUNC, 0644);

		if (out < 0 || err < 0 || dup2(out, 1) < 0 || dup2(err, 2) < 0)
			_exit(127);
		if (chdir(cwd))
			guest_say("chdir %s: %s", cwd);
		else
			execve("/" GUEST_BIN, argv, envp);
		guest_say("exec %s: %s", "/" GUEST_BIN);
		_exit(127);
	}
	/* pid 1 reaps every orphan too, until its own child is done. */
	for (;;) {
		pid_t got = wait(&status);

		if (got == pid)
			break;
		if (got < 0 && errno != EINTR)
			return 127;
	}
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* Directories under dir, and the files with an mtime (made in the guest). */
static int guest_new_files(struct tar_writer *w, const char *name, const char *dir, int depth,
			   struct tr_err *err)
{
	struct dirent **ents;
	int n, rc = 0;

	if (depth > GUEST_TREE_DEPTH)
		return 0;
	n = scandir(dir, &ents, NULL, alphasort);
	if (n < 0)
		return 0;
	for (int i = 0; i < n; i++) {
		char sub[4096], subname[4096];
		struct stat st;
		const char *d = ents[i]->d_name;

		if (rc || !strcmp(d, ".") || !strcmp(d, "..") ||
		    (size_t)snprintf(sub, sizeof(sub), "%s/%s", dir, d) >= sizeof(sub) ||
		    (size_t)snprintf(subname, sizeof(subname), "%s/%s", name, d) >=
			    sizeof(subname) ||
		    lstat(sub, &st))
			goto next;
		if (S_ISDIR(st.st_mode)) {
			rc = tar_add_dir(w, subname, err) ||
			     guest_new_files(w, subname, sub, depth + 1, err);
		} else if (S_ISREG(st.st_mode) && st.st_mtime != 0) {
			rc = tar_add_file(w, subname, sub, err);
		}
next:
		free(ents[i]);
	}
	free(ents);
	return rc;
}

static int guest_results(int status, struct tr_err *err)
{
	static char cwd[4096];
	struct utsname u;
	struct tar_writer w;
	struct termios t;
	char line[sizeof(u.release) + 2];
	int fd = open(GUEST_RESULTS_TTY, O_RDWR | O_NOCTTY | O_CLOEXEC), rc;

	if (fd < 0)
		return err_sys(err, "%s", GUEST_RESULTS_TTY);
	/* Raw: no \n -> \r\n, no echo, every byte as it is. */
	if (!tcgetattr(fd, &t)) {
		cfmakeraw(&t);
		tcsetattr(fd, TCSANOW, &t);
	}
	uname(&u);
	tar_writer_init(&w, fd);
	snprintf(line, sizeof(line), "%d\n", status);
	rc = tar_add_dir(&w, "out", err) || tar_add_data(&w, "out/status", line, strlen(line), err);
	snprintf(line, sizeof(line), "%s\n", u.release);
	rc = rc || tar_add_data(&w, "out/release", line, strlen(line), err) ||
	     tar_add_file(&w, "out/stdout", GUEST_OUT "/stdout", err) ||
	     tar_add_file(&w, "out/stderr", GUEST_OUT "/stderr", err) ||
	     tar_add_file(&w, "out/modules", GUEST_OUT "/modules", err) ||
	     tar_add_dir(&w, "files", err);
	if (!rc && guest_read("/" GUEST_CWD, cwd, sizeof(cwd)) > 0)
		rc = guest_new_files(&w, "files", cwd, 0, err);
	rc = rc || tar_finish(&w, err);
	tcdrain(fd);
	close(fd);
	return rc ? -1 : 0;
}

void guest_init(void)
{
	struct tr_err err = { 0 };
	FILE *log;
	int status;

	guest_mount("proc", "/proc", "proc");
	guest_mount("sysfs", "/sys", "sysfs");
	guest_mount("devtmpfs", "/dev", "devtmpfs");
	guest_mount("tmpfs", "/run", "tmpfs");
	mkdir(GUEST_OUT, 0755);
	log = fopen(GUEST_OUT "/modules", "w");
	if (log) {
		guest_modules(log);
		fclose(log);
	}
	status = guest_command();
	if (guest_results(status, &err))
		fprintf(stderr, "tcprig-vm guest: no results: %s\n", err.msg);
	sync();
	reboot(RB_AUTOBOOT);
	for (;;)
		pause();
}
