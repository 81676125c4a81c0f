/* rst_guard.c - the nftables table that keeps the rig's kernel quiet when
 * the rig uses its own address. */
#include "wire/rst_guard.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define RST_GUARD_PREFIX "tcprig_"

/* Runs nft with argv; its stdout into out (cap bytes) if out. Returns its
 * exit status, -1 if it could not run. */
static int rst_guard_nft(char *const argv[], char *out, size_t cap)
{
	int pfd[2] = {-1, -1}, st = 0;
	size_t got = 0;
	pid_t pid;

	if (out && pipe2(pfd, O_CLOEXEC))
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		int null = open("/dev/null", O_RDWR);

		if (null >= 0) {
			dup2(null, STDIN_FILENO);
			dup2(out ? pfd[1] : null, STDOUT_FILENO);
		}
		execvp("nft", argv);
		_exit(127);
	}
	if (out) {
		ssize_t n;

		close(pfd[1]);
		while ((n = read(pfd[0], out + got, cap - 1 - got)) > 0 && got + 1 < cap)
			got += (size_t)n;
		out[got] = '\0';
		close(pfd[0]);
	}
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void rst_guard_delete(const char *table)
{
	char *argv[] = {"nft", "delete", "table", "ip", (char *)table, NULL};

	rst_guard_nft(argv, NULL, 0);
}

/* Tables of ours whose process is gone. */
static void rst_guard_reap(void)
{
	char *argv[] = {"nft", "list", "tables", "ip", NULL};
	static char out[16384];
	char *line, *save = NULL;

	if (rst_guard_nft(argv, out, sizeof(out)))
		return;
	for (line = strtok_r(out, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char name[64];
		long pid;

		if (sscanf(line, "table ip %63s", name) != 1 ||
		    strncmp(name, RST_GUARD_PREFIX, strlen(RST_GUARD_PREFIX)))
			continue;
		pid = strtol(name + strlen(RST_GUARD_PREFIX), NULL, 10);
		if (pid > 0 && kill((pid_t)pid, 0) && errno == ESRCH)
			rst_guard_delete(name);
	}
}

int rst_guard_install(struct rst_guard *g, struct in_addr rig, struct in_addr target,
		      uint16_t agent_port, struct tr_err *err)
{
	char path[] = "/tmp/tcprig-rst-guard-XXXXXX", r[INET_ADDRSTRLEN], t[INET_ADDRSTRLEN];
	char except[48] = "";
	char *argv[] = {"nft", "-f", path, NULL};
	FILE *f;
	int fd, rc;

	memset(g, 0, sizeof(*g));
	rst_guard_reap();
	snprintf(g->table, sizeof(g->table), RST_GUARD_PREFIX "%d", (int)getpid());
	inet_ntop(AF_INET, &rig, r, sizeof(r));
	inet_ntop(AF_INET, &target, t, sizeof(t));
	if (agent_port)
		snprintf(except, sizeof(except), " tcp dport != %u", agent_port);
	fd = mkstemp(path);
	if (fd < 0)
		return err_sys(err, "--rig-addr self: %s", path);
	f = fdopen(fd, "w");
	if (!f) {
		close(fd);
		unlink(path);
		return err_sys(err, "--rig-addr self: %s", path);
	}
	fprintf(f,
		"table ip %s {\n"
		"\tchain out {\n"
		"\t\ttype filter hook output priority 0; policy accept;\n"
		"\t\tip saddr %s ip daddr %s tcp flags & rst == rst%s drop\n"
		"\t}\n"
		"}\n",
		g->table, r, t, except);
	fclose(f);
	rc = rst_guard_nft(argv, NULL, 0);
	unlink(path);
	if (rc == 127 || rc < 0)
		return err_env(err, "--rig-addr self needs nft(8) (apt-get install nftables)");
	if (rc)
		return err_env(err, "--rig-addr self: nft -f refused the rule against the rig's RSTs "
				    "(exit %d)", rc);
	g->installed = true;
	return 0;
}

void rst_guard_remove(struct rst_guard *g)
{
	if (!g->installed)
		return;
	rst_guard_delete(g->table);
	g->installed = false;
}
