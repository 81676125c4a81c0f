/* qemu.c - one guest, bounded in time, never left behind. */
#include "vm/qemu.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int qemu_find(char *buf, unsigned long cap, struct tr_err *err)
{
	const char *path = getenv("PATH");
	char dirs[4096];

	snprintf(dirs, sizeof(dirs), "%s", path && *path ? path : "/usr/bin:/bin");
	for (char *save, *d = strtok_r(dirs, ":", &save); d; d = strtok_r(NULL, ":", &save)) {
		if ((unsigned long)snprintf(buf, cap, "%s/%s", d, QEMU_BIN) < cap &&
		    !access(buf, X_OK))
			return 0;
	}
	return err_env(err, "%s is not on PATH (Debian: apt-get install qemu-system-x86)",
		       QEMU_BIN);
}

static double qemu_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

int qemu_run(const struct qemu_boot *b, struct qemu_end *end, struct tr_err *err)
{
	char bin[4096], mem[16], con[4200], res[4200];
	struct timespec pause = { 0, 20 * 1000 * 1000 };
	double start, deadline;
	int status = 0;
	pid_t pid, got = 0;

	if (qemu_find(bin, sizeof(bin), err))
		return -1;
	/* qemu's option syntax takes ',' as a separator inside a value. */
	if (strchr(b->console_log, ',') || strchr(b->results, ','))
		return err_usage(err, "%s: a ',' in the work directory's path confuses qemu",
				 b->results);
	snprintf(mem, sizeof(mem), "%u", QEMU_MEMORY_MB);
	snprintf(con, sizeof(con), "file:%s", b->console_log);
	snprintf(res, sizeof(res), "file:%s", b->results);
	char *argv[] = { bin, "-accel", b->kvm ? "kvm" : "tcg", "-M", "pc", "-m", mem,
			 "-smp", "1", "-nodefaults", "-display", "none", "-no-reboot",
			 "-kernel", (char *)b->kernel, "-initrd", (char *)b->initrd,
			 "-append", (char *)b->append, "-serial", con, "-serial", res, NULL };

	fflush(stdout);
	fflush(stderr);
	start = qemu_now();
	pid = fork();
	if (pid < 0)
		return err_sys(err, "fork");
	if (pid == 0) {
		int null = open("/dev/null", O_RDWR);

		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() == 1)
			_exit(127);
		if (null >= 0) {
			dup2(null, 0);
			dup2(null, 1);
		}
		execv(bin, argv);
		_exit(127);
	}
	deadline = start + b->timeout_s;
	while (!got) {
		got = waitpid(pid, &status, WNOHANG);
		if (got < 0 && errno != EINTR)
			return err_sys(err, "waiting for %s", QEMU_BIN);
		if (got <= 0) {
			got = 0;
			if (qemu_now() >= deadline)
				break;
			nanosleep(&pause, NULL);
		}
	}
	memset(end, 0, sizeof(*end));
	if (!got) {
		kill(pid, SIGKILL);
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
		end->timed_out = true;
	}
	end->seconds = qemu_now() - start;
	end->status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	return 0;
}
