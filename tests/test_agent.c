/* Lab test of the target agent: socket calls, blocking calls that do not
 * block the runner, shell lines, socket states, counters and sysctls, all
 * inside a throwaway lab's target namespace. Needs root.
 *
 * Traffic stays in the lab: loopback inside the target namespace, and one
 * SYN to the lab's phantom address, which nothing answers. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "agent/agent.h"
#include "lab/lab.h"
#include "lab/registry.h"
#include "lab/sock_diag.h"
#include "tap.h"

#define CALL_TIMEOUT_MS 5000

static struct lab lab;
static struct agent agent, peer;
static char workdir[] = "/tmp/tcprig-test-agent-XXXXXX";

static uint64_t now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

static void set_v4(struct sockaddr_storage *ss, const char *ip, int port)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)ss;

	memset(ss, 0, sizeof(*ss));
	sin->sin_family = AF_INET;
	sin->sin_port = htons((uint16_t)port);
	inet_pton(AF_INET, ip, &sin->sin_addr);
}

/* One synchronous call; a transport failure shows as ret -2 and a diag. */
static struct agent_reply call(struct agent *a, struct agent_req *req)
{
	struct agent_reply rep;
	struct tr_err err;

	if (agent_call(a, req, &rep, CALL_TIMEOUT_MS, &err)) {
		memset(&rep, 0, sizeof(rep));
		rep.ret = -2;
		diag(err.msg);
	}
	return rep;
}

static struct agent_reply call_args(struct agent *a, enum agent_op op, int64_t a0, int64_t a1,
				    int64_t a2)
{
	struct agent_req req;

	agent_req_init(&req, op);
	req.arg[0] = a0;
	req.arg[1] = a1;
	req.arg[2] = a2;
	return call(a, &req);
}

static struct agent_reply call_addr(struct agent *a, enum agent_op op, int fd, const char *ip,
				    int port)
{
	struct agent_req req;

	agent_req_init(&req, op);
	req.arg[0] = fd;
	set_v4(&req.addr, ip, port);
	req.addrlen = sizeof(struct sockaddr_in);
	return call(a, &req);
}

static struct agent_reply call_io(struct agent *a, enum agent_op op, int fd, uint32_t len)
{
	struct agent_req req;

	agent_req_init(&req, op);
	req.arg[0] = fd;
	req.len = len;
	return call(a, &req);
}

static struct agent_reply call_text(struct agent *a, enum agent_op op, const char *text, int64_t a0)
{
	struct agent_req req;

	agent_req_init(&req, op);
	snprintf(req.text, sizeof(req.text), "%s", text);
	req.arg[0] = a0;
	return call(a, &req);
}

static struct agent_reply sock_state(const char *lip, int lport, const char *rip, int rport)
{
	struct agent_req req;

	agent_req_init(&req, AGENT_SOCK_STATE);
	set_v4(&req.addr, lip, lport);
	set_v4(&req.peer, rip, rport);
	return call(&agent, &req);
}

/* Loopback answers at once, but the state change is the kernel's: allow it
 * a moment before calling it wrong. */
static struct agent_reply wait_state(const char *lip, int lport, const char *rip, int rport,
				     const char *want)
{
	struct agent_reply rep;
	int i;

	for (i = 0; i < 100; i++) {
		rep = sock_state(lip, lport, rip, rport);
		if (rep.ret != 0 || strcmp(rep.out, want) == 0)
			break;
		usleep(10000);
	}
	return rep;
}

static bool readable_within(int fd, int ms)
{
	struct pollfd pfd = {.fd = fd, .events = POLLIN};

	return poll(&pfd, 1, ms) > 0;
}

static void test_first_socket_is_3_then_4(void)
{
	struct agent_reply r;

	r = call_args(&agent, AGENT_SOCKET, AF_INET, SOCK_STREAM, IPPROTO_TCP);
	is_int(r.ret, 3, "the case's first socket() returns 3");
	r = call_args(&agent, AGENT_SOCKET, AF_INET, SOCK_STREAM, IPPROTO_TCP);
	is_int(r.ret, 4, "the second returns 4");
	ok(r.done_us > 0 && r.done_us <= now_us(), "done_us is a CLOCK_MONOTONIC time in the past");
}

static void test_setsockopt_then_getsockopt(void)
{
	struct agent_req req;
	struct agent_reply r;
	int one = 1, got = 0;

	agent_req_init(&req, AGENT_SETSOCKOPT);
	req.arg[0] = 3;
	req.arg[1] = SOL_SOCKET;
	req.arg[2] = SO_REUSEADDR;
	memcpy(req.optval, &one, sizeof(one));
	req.optlen = sizeof(one);
	r = call(&agent, &req);
	is_int(r.ret, 0, "setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0");
	agent_req_init(&req, AGENT_GETSOCKOPT);
	req.arg[0] = 3;
	req.arg[1] = SOL_SOCKET;
	req.arg[2] = SO_REUSEADDR;
	req.optlen = sizeof(int);
	r = call(&agent, &req);
	memcpy(&got, r.optval, sizeof(got));
	ok(r.ret == 0 && r.optlen == sizeof(int) && got == 1,
	   "getsockopt(SO_REUSEADDR) gives back [1], 4");
}

static void test_connect_accept_write_read(void)
{
	struct agent_reply r;

	r = call_addr(&agent, AGENT_BIND, 3, "0.0.0.0", 8080);
	is_int(r.ret, 0, "bind(3, 0.0.0.0:8080) = 0");
	r = call_args(&agent, AGENT_LISTEN, 3, 8, 0);
	is_int(r.ret, 0, "listen(3, 8) = 0");
	r = call_addr(&agent, AGENT_BIND, 4, "127.0.0.1", 40000);
	is_int(r.ret, 0, "bind(4, 127.0.0.1:40000) = 0");
	r = call_addr(&agent, AGENT_CONNECT, 4, "127.0.0.1", 8080);
	is_int(r.ret, 0, "connect(4, 127.0.0.1:8080) = 0 in the target namespace");
	r = call_args(&agent, AGENT_ACCEPT, 3, 0, 0);
	is_int(r.ret, 5, "accept(3, ..., ...) = 5");
	r = call_io(&agent, AGENT_WRITE, 4, 100);
	is_int(r.ret, 100, "write(4, ..., 100) = 100");
	r = call_io(&agent, AGENT_READ, 5, 1000);
	is_int(r.ret, 100, "read(5, ..., 1000) = 100");
	r = call_addr(&agent, AGENT_BIND, 3, "0.0.0.0", 8081);
	ok(r.ret == -1 && r.err == EINVAL,
	   "a failing call reports -1 and its errno (bind again: EINVAL)");
	r = call_args(&agent, AGENT_CLOSE, 77, 0, 0);
	ok(r.ret == -1 && r.err == EBADF, "close(77) = -1 EBADF");
}

static void test_sock_state_established_then_time_wait(void)
{
	struct agent_reply r;

	r = sock_state("127.0.0.1", 8080, "127.0.0.1", 40000);
	ok(r.ret == 0 && r.value == SOCK_DIAG_ESTABLISHED && r.status == 1,
	   "sock_state: the accepted end is ESTABLISHED");
	is_str(r.out, "ESTABLISHED", "its state's name");
	r = sock_state("127.0.0.1", 40000, "127.0.0.1", 8080);
	is_str(r.out, "ESTABLISHED", "sock_state: the connecting end too");
	r = sock_state("127.0.0.1", 8080, "127.0.0.1", 40001);
	ok(r.ret == 0 && r.value == SOCK_DIAG_NONE && r.status == 0,
	   "sock_state: no socket for another port");
	is_str(r.out, "none", "which is named none");

	r = call_args(&agent, AGENT_CLOSE, 4, 0, 0);
	is_int(r.ret, 0, "close(4): the connecting end closes first");
	r = wait_state("127.0.0.1", 8080, "127.0.0.1", 40000, "CLOSE_WAIT");
	is_str(r.out, "CLOSE_WAIT", "the accepted end is in CLOSE_WAIT");
	r = call_args(&agent, AGENT_CLOSE, 5, 0, 0);
	is_int(r.ret, 0, "close(5)");
	r = wait_state("127.0.0.1", 40000, "127.0.0.1", 8080, "TIME_WAIT");
	ok(r.value == SOCK_DIAG_TIME_WAIT, "sock_state finds the active closer in TIME_WAIT");
	is_str(r.out, "TIME_WAIT", "named TIME_WAIT");
	r = wait_state("127.0.0.1", 8080, "127.0.0.1", 40000, "none");
	is_str(r.out, "none", "the passive closer is gone after LAST_ACK");
}

static void test_nonblocking_connect(void)
{
	struct agent_reply r;
	int fd;

	r = call_args(&agent, AGENT_SOCKET, AF_INET, SOCK_STREAM, IPPROTO_TCP);
	fd = (int)r.ret;
	is_int(fd, 4, "socket() reuses the lowest free fd, 4");
	r = call_args(&agent, AGENT_FCNTL, fd, F_SETFL, O_RDWR | O_NONBLOCK);
	is_int(r.ret, 0, "fcntl(4, F_SETFL, O_RDWR|O_NONBLOCK) = 0");
	r = call_args(&agent, AGENT_FCNTL, fd, F_GETFL, 0);
	ok(r.ret >= 0 && (r.ret & O_NONBLOCK), "F_GETFL shows O_NONBLOCK");
	r = call_addr(&agent, AGENT_CONNECT, fd, LAB_PHANTOM_ADDR, 9);
	ok(r.ret == -1 && r.err == EINPROGRESS, "connect to the phantom address = -1 EINPROGRESS");
	r = sock_state(LAB_TARGET_ADDR, 0, LAB_PHANTOM_ADDR, 9);
	is_str(r.out, "SYN_SENT", "sock_state: that socket is in SYN_SENT");
	r = call_args(&agent, AGENT_CLOSE, fd, 0, 0);
	is_int(r.ret, 0, "close(4)");
	r = call_args(&agent, AGENT_FCNTL, 3, F_DUPFD, 0);
	ok(r.ret == -1 && r.err == EINVAL, "fcntl F_DUPFD is refused");
}

static void test_control_channel_is_not_the_cases(void)
{
	struct agent_reply r;

	r = call_args(&agent, AGENT_CLOSE, AGENT_CONTROL_FD, 0, 0);
	ok(r.ret == -1 && r.err == EBADF, "close() of the agent's own channel is EBADF");
	r = call_args(&agent, AGENT_FCNTL, 3, F_GETFL, 0);
	ok(r.ret >= 0, "and the agent still answers");
}

/* A blocking accept, then a blocking read: the runner's side stays free,
 * and a second agent in the same lab plays the peer. */
static void test_blocking_calls_do_not_block_the_runner(void)
{
	struct agent_req req;
	struct agent_reply r;
	struct tr_err err;
	uint64_t before;
	int fd;

	agent_req_init(&req, AGENT_ACCEPT);
	req.arg[0] = 3;
	before = now_us();
	ok(agent_submit(&agent, &req, &err) == 0, "submit a blocking accept(3)");
	ok(now_us() - before < 50000, "agent_submit returns at once");
	ok(agent_busy(&agent), "agent_busy while the call is out");
	ok(!readable_within(agent_fd(&agent), 200),
	   "agent_fd stays unreadable while accept() blocks (200 ms)");
	agent_req_init(&req, AGENT_SOCKET);
	ok(agent_submit(&agent, &req, &err) == -1 && err.status == TR_USAGE,
	   "a second submit while busy is refused");
	ok(agent_collect(&agent, &r, &err) == -1, "collect before the reply fails");

	r = call_args(&peer, AGENT_SOCKET, AF_INET, SOCK_STREAM, IPPROTO_TCP);
	is_int(r.ret, 3, "a second agent in the same lab has its own fds: 3");
	r = call_addr(&peer, AGENT_CONNECT, 3, LAB_TARGET_ADDR, 8080);
	is_int(r.ret, 0, "the second agent connects to the first's listener");
	ok(readable_within(agent_fd(&agent), 2000), "then agent_fd becomes readable");
	ok(agent_collect(&agent, &r, &err) == 0 && r.ret == 4, "accept(3, ..., ...) = 4");
	ok(!agent_busy(&agent), "not busy after collect");

	fd = (int)r.ret;
	agent_req_init(&req, AGENT_READ);
	req.arg[0] = fd;
	req.len = 1000;
	ok(agent_submit(&agent, &req, &err) == 0, "submit a blocking read(4)");
	ok(!readable_within(agent_fd(&agent), 100),
	   "agent_fd stays unreadable while read() blocks (100 ms)");
	before = now_us();
	r = call_io(&peer, AGENT_WRITE, 3, 10);
	is_int(r.ret, 10, "the peer writes 10 bytes");
	ok(readable_within(agent_fd(&agent), 2000), "the read returns");
	ok(agent_collect(&agent, &r, &err) == 0 && r.ret == 10, "read(4, ..., 1000) = 10");
	ok(r.done_us >= before, "its done_us is when it returned, not when "
				"it was submitted");
	r = call_args(&agent, AGENT_CLOSE, fd, 0, 0);
	is_int(r.ret, 0, "close(4)");
}

/* True once pid is gone or a zombie (whoever inherited it may not reap). */
static bool process_gone(long pid, int wait_ms)
{
	char path[64], line[256];
	bool gone = false;
	FILE *f;
	int i;

	snprintf(path, sizeof(path), "/proc/%ld/stat", pid);
	for (i = 0; i <= wait_ms / 10 && !gone; i++) {
		f = fopen(path, "r");
		if (!f || !fgets(line, sizeof(line), f) || strstr(line, ") Z "))
			gone = true;
		if (f)
			fclose(f);
		if (!gone)
			usleep(10000);
	}
	return gone;
}

static void test_shell(void)
{
	char want[PATH_MAX + 32], nsfile[PATH_MAX];
	struct agent_reply r;
	struct stat st;
	uint64_t before;
	char *end;
	long pid;

	r = call_text(&agent, AGENT_SHELL, "exit 3", 0);
	ok(r.ret == 0 && r.status == 3, "shell `exit 3`: status 3");
	r = call_text(&agent, AGENT_SHELL, "echo hi", 0);
	ok(r.ret == 0 && r.status == 0, "shell `echo hi`: status 0");
	is_str(r.out, "hi", "its output, final newline cut");
	r = call_text(&agent, AGENT_SHELL, "echo oops >&2; false", 0);
	ok(r.status == 1 && strcmp(r.out, "oops") == 0,
	   "stderr is captured too, and false gives status 1");
	r = call_text(&agent, AGENT_SHELL, "pwd", 0);
	is_str(r.out, workdir, "the shell runs in the working directory");
	r = call_text(&agent, AGENT_SHELL, "readlink /proc/self/ns/net", 0);
	snprintf(nsfile, sizeof(nsfile), "%s/%s", LAB_NETNS_DIR, lab.target_ns);
	if (stat(nsfile, &st) == 0)
		snprintf(want, sizeof(want), "net:[%lu]", (unsigned long)st.st_ino);
	else
		snprintf(want, sizeof(want), "(cannot stat %s)", nsfile);
	is_str(r.out, want, "the shell runs in the target namespace");
	r = call_text(&agent, AGENT_SHELL, "[ -e /proc/$$/fd/3 ] && echo open || echo closed", 0);
	is_str(r.out, "closed", "the case's sockets are not the shell's");
	r = call_text(&agent, AGENT_SHELL, "cat; echo done", 0);
	is_str(r.out, "done", "stdin is /dev/null");
	r = call_text(&agent, AGENT_SHELL, "seq 1 2000", 0);
	ok(r.value > AGENT_OUT_MAX && strlen(r.out) >= AGENT_OUT_MAX - 2 &&
	       strcmp(r.out + strlen(r.out) - 5, "\n2000") == 0,
	   "a long output keeps its tail, and value counts all of it");

	before = now_us();
	r = call_text(&agent, AGENT_SHELL, "echo started; sleep 30", 300);
	ok(r.ret == -1 && r.err == ETIMEDOUT && r.status == AGENT_STATUS_TIMEOUT,
	   "a shell line past its timeout is killed and reported");
	is_str(r.out, "started", "its output so far is kept");
	ok(now_us() - before < 2000000, "it took about the timeout");

	before = now_us();
	r = call_text(&agent, AGENT_SHELL, "sleep 30 & echo $!", 0);
	ok(r.ret == 0 && r.status == 0 && now_us() - before < 2000000,
	   "a line that leaves a background process returns when sh exits");
	pid = strtol(r.out, &end, 10);
	ok(pid > 1 && *end == '\0' && process_gone(pid, 1000),
	   "and that background process is gone with the line");
}

static void test_counters(void)
{
	struct agent_reply r;

	r = call_text(&agent, AGENT_COUNTER, "TcpExtTWRecycled", 0);
	ok(r.ret == 0 && r.value >= 0, "counter TcpExtTWRecycled reads a number");
	r = call_text(&agent, AGENT_COUNTER, "TcpActiveOpens", 0);
	ok(r.ret == 0 && r.value >= 3,
	   "counter TcpActiveOpens (/proc/net/snmp) counts this lab's connects");
	r = call_text(&agent, AGENT_COUNTER, "TcpExtNoSuchCounter", 0);
	ok(r.ret == -1 && r.err == ENOENT && r.status == AGENT_STATUS_ABSENT,
	   "an unknown counter is reported absent");
	ok(strstr(r.out, "TcpExtNoSuchCounter") != NULL, "and the error names it: %s", r.out);
}

static int host_sysctl(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");
	int ok_ = f && fgets(buf, (int)len, f);

	if (f)
		fclose(f);
	buf[strcspn(buf, "\n")] = '\0';
	return ok_ ? 0 : -1;
}

static void test_sysctl(void)
{
	static const char *host_path = "/proc/sys/net/ipv4/tcp_rfc1337";
	char host_before[64] = "", host_after[64] = "", old[AGENT_OUT_MAX], text[AGENT_TEXT_MAX];
	struct agent_reply r;

	host_sysctl(host_path, host_before, sizeof(host_before));
	r = call_text(&agent, AGENT_SYSCTL_GET, "net.ipv4.tcp_rfc1337", 0);
	ok(r.ret == 0 && (strcmp(r.out, "0") == 0 || strcmp(r.out, "1") == 0),
	   "sysctl get net.ipv4.tcp_rfc1337 in the target: '%s'", r.out);
	snprintf(old, sizeof(old), "%s", r.out);
	snprintf(text, sizeof(text), "net.ipv4.tcp_rfc1337=%s", strcmp(old, "0") == 0 ? "1" : "0");
	r = call_text(&agent, AGENT_SYSCTL_SET, text, 0);
	ok(r.ret == 0, "sysctl set %s", text);
	is_str(r.out, old, "set returns the old value");
	r = call_text(&agent, AGENT_SYSCTL_GET, "net.ipv4.tcp_rfc1337", 0);
	is_str(r.out, strchr(text, '=') + 1, "get reads the new value");
	host_sysctl(host_path, host_after, sizeof(host_after));
	is_str(host_after, host_before, "the host's value is unchanged");
	snprintf(text, sizeof(text), "net.ipv4.tcp_rfc1337=%s", old);
	r = call_text(&agent, AGENT_SYSCTL_SET, text, 0);
	r = call_text(&agent, AGENT_SYSCTL_GET, "net.ipv4.tcp_rfc1337", 0);
	is_str(r.out, old, "restoring the old value puts it back");

	r = call_text(&agent, AGENT_SYSCTL_GET, "net.ipv4.ip_local_port_range", 0);
	snprintf(old, sizeof(old), "%s", r.out);
	ok(r.ret == 0 && strchr(old, '\t'), "a two-field knob reads as '%s'", old);
	r = call_text(&agent, AGENT_SYSCTL_SET, "net/ipv4/ip_local_port_range=40000 40101", 0);
	is_str(r.out, old, "set by slash name returns both old fields");
	r = call_text(&agent, AGENT_SYSCTL_GET, "net.ipv4.ip_local_port_range", 0);
	is_str(r.out, "40000\t40101", "the new fields read back");
	snprintf(text, sizeof(text), "net.ipv4.ip_local_port_range=%s", old);
	call_text(&agent, AGENT_SYSCTL_SET, text, 0);
	r = call_text(&agent, AGENT_SYSCTL_GET, "net.ipv4.ip_local_port_range", 0);
	is_str(r.out, old, "writing the old string back restores both fields");

	r = call_text(&agent, AGENT_SYSCTL_GET, "net.ipv4.tcp_no_such_knob", 0);
	ok(r.ret == -1 && r.err == ENOENT && r.status == AGENT_STATUS_ABSENT,
	   "an absent knob is reported as absent");
	is_str(r.out, "knob absent: net.ipv4.tcp_no_such_knob", "in words a SKIP can use");
	r = call_text(&agent, AGENT_SYSCTL_SET, "net.ipv4.tcp_no_such_knob=1", 0);
	ok(r.status == AGENT_STATUS_ABSENT, "setting it too");
	r = call_text(&agent, AGENT_SYSCTL_SET, "net.ipv4.tcp_rfc1337=banana", 0);
	ok(r.ret == -1 && r.err == EINVAL && r.status == 0,
	   "a bad value is an error, not an absent knob: %s", r.out);
	r = call_text(&agent, AGENT_SYSCTL_GET, "kernel.hostname", 0);
	ok(r.ret == -1 && r.status == 0, "a knob outside net.* is refused: %s", r.out);
}

static void test_call_timeout_then_stop(void)
{
	struct agent_reply r;
	struct agent_req req;
	struct tr_err err;
	uint64_t before;
	pid_t pid = peer.pid;

	agent_req_init(&req, AGENT_ACCEPT);
	r = call_args(&peer, AGENT_SOCKET, AF_INET, SOCK_STREAM, IPPROTO_TCP);
	call_addr(&peer, AGENT_BIND, (int)r.ret, "127.0.0.1", 9090);
	call_args(&peer, AGENT_LISTEN, (int)r.ret, 1, 0);
	req.arg[0] = r.ret;
	ok(agent_call(&peer, &req, &r, 100, &err) == -1 && strstr(err.msg, "no reply within"),
	   "agent_call gives up at its timeout: %s", err.msg);
	ok(agent_busy(&peer), "the call stays outstanding");
	before = now_us();
	ok(agent_stop(&peer, &err) == 0, "agent_stop ends an agent stuck in accept");
	ok(now_us() - before < 900000, "without waiting out the grace period");
	ok(waitpid(pid, NULL, WNOHANG) == -1 && errno == ECHILD, "and leaves no child behind");
	ok(agent_stop(&peer, &err) == 0, "agent_stop twice is harmless");
}

/* A runner killed in the middle of a shell line: its agent dies with it,
 * and so does what the line started, so nothing keeps the namespace. */
static void test_runner_death_takes_the_shell_line_along(void)
{
	char pidfile[PATH_MAX], buf[32] = "";
	pid_t runner;
	long pid = 0;
	FILE *f;
	int i;

	snprintf(pidfile, sizeof(pidfile), "%s/bg.pid", workdir);
	fflush(stdout);
	runner = fork();
	if (runner == 0) {
		struct agent a;
		struct agent_req req;
		struct tr_err e;

		if (agent_start(&a, &lab, workdir, &e))
			_exit(1);
		agent_req_init(&req, AGENT_SHELL);
		snprintf(req.text, sizeof(req.text),
			 "sleep 60 & echo $! > bg.pid.tmp; "
			 "mv bg.pid.tmp bg.pid; wait");
		if (agent_submit(&a, &req, &e))
			_exit(1);
		for (i = 0; i < 200 && access(pidfile, F_OK); i++)
			usleep(10000);
		_exit(0);
	}
	waitpid(runner, NULL, 0);
	f = fopen(pidfile, "r");
	if (f && fgets(buf, sizeof(buf), f))
		pid = strtol(buf, NULL, 10);
	if (f)
		fclose(f);
	unlink(pidfile);
	ok(pid > 1, "a runner started a shell line with a background sleep");
	ok(pid > 1 && process_gone(pid, 2000), "the runner gone, that sleep is gone too");
}

static void test_bad_workdir(void)
{
	struct agent bad;
	struct tr_err err;

	ok(agent_start(&bad, &lab, "/nonexistent/tcprig", &err) == -1 && strstr(err.msg, "chdir"),
	   "agent_start reports a working directory it cannot enter: %s", err.msg);
	ok(bad.pid == 0 && waitpid(-1, NULL, WNOHANG) == -1 && errno == ECHILD,
	   "and leaves no child behind");
}

static bool ns_exists(const char *name)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", LAB_NETNS_DIR, name);
	return access(path, F_OK) == 0;
}

int main(void)
{
	struct tr_err err;
	pid_t pid;
	int ret;

	if (geteuid() != 0) {
		printf("1..0 # SKIP needs root\n");
		return 0;
	}
	lab_install_signal_cleanup();
	if (!mkdtemp(workdir)) {
		printf("Bail out! mkdtemp: %s\n", strerror(errno));
		return 1;
	}
	if (lab_create(&lab, NULL, &err)) {
		printf("Bail out! %s\n", err.msg);
		rmdir(workdir);
		return 1;
	}
	ret = agent_start(&agent, &lab, workdir, &err);
	ok(ret == 0, "agent_start: %s", ret ? err.msg : "running");
	ret = agent_start(&peer, &lab, workdir, &err);
	ok(ret == 0, "a second agent on the same lab: %s", ret ? err.msg : "running");
	if (agent.pid > 0 && peer.pid > 0) {
		test_first_socket_is_3_then_4();
		test_setsockopt_then_getsockopt();
		test_connect_accept_write_read();
		test_sock_state_established_then_time_wait();
		test_nonblocking_connect();
		test_control_channel_is_not_the_cases();
		test_blocking_calls_do_not_block_the_runner();
		test_shell();
		test_counters();
		test_sysctl();
		test_call_timeout_then_stop();
		test_runner_death_takes_the_shell_line_along();
	}

	pid = agent.pid;
	ret = agent_stop(&agent, &err);
	ok(ret == 0, "agent_stop: %s", ret ? err.msg : "stopped");
	ok(pid > 0 && kill(pid, 0) == -1 && errno == ESRCH, "the agent's process is gone");
	agent_stop(&peer, &err);
	ok(waitpid(-1, NULL, WNOHANG) == -1 && errno == ECHILD, "no child is left");
	/* Last: with no agent running, any child left would be its. */
	test_bad_workdir();
	ret = lab_destroy(&lab, &err);
	ok(ret == 0, "lab_destroy: %s", ret ? err.msg : "done");
	ok(!ns_exists(lab.target_ns) && !ns_exists(lab.rig_ns),
	   "nothing of the lab is left under " LAB_NETNS_DIR);
	rmdir(workdir);
	return tap_done();
}
