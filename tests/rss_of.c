/* rss_of - runs a command and prints "EXIT-STATUS PEAK-RSS-KiB" of it.
 *
 *	rss_of OUT ERR COMMAND [ARG...]
 *
 * The command's stdout and stderr go to the files OUT and ERR. Its peak RSS
 * comes from wait4(): a small process of its own starts it, because a
 * child's peak counts the memory of whoever forked it (Linux keeps the
 * high-water mark across execve), and a Python parent alone is 13 MB.
 * Used by tests/integration/pcap2case_stream.sh and scripts/bench. */
#include <fcntl.h>
#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char *argv[])
{
	struct rusage ru;
	int status;
	pid_t pid;

	if (argc < 4) {
		fprintf(stderr, "usage: rss_of OUT ERR COMMAND [ARG...]\n");
		return 2;
	}
	pid = fork();
	if (pid < 0) {
		perror("rss_of: fork");
		return 2;
	}
	if (!pid) {
		int out = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC, 0644);
		int err = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC, 0644);

		if (out < 0 || err < 0 || dup2(out, 1) < 0 || dup2(err, 2) < 0) {
			perror("rss_of: output files");
			_exit(127);
		}
		execvp(argv[3], argv + 3);
		perror("rss_of: exec");
		_exit(127);
	}
	if (wait4(pid, &status, 0, &ru) < 0) {
		perror("rss_of: wait4");
		return 2;
	}
	printf("%d %ld\n", WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status),
	       ru.ru_maxrss);
	return 0;
}
