/* proto.h - what the runner and the target agent say to each other: one
 * fixed-size struct agent_req per request, one struct agent_reply per
 * answer, and the board where the agent publishes the start of the call it
 * is making. Both ends (agent.c, server.c) and the transports speak only
 * this.
 *
 * Replies, per op. Socket calls: ret and err are the call's return value and
 * errno. Every other op: ret 0, or -1 with err (an errno) and out saying
 * what went wrong.
 *
 * Timing. start_us and done_us (CLOCK_MONOTONIC) are stamped right around
 * the system call itself, after the agent's own preparation, so that what
 * lies between them is the kernel's. run_delay_us is how long the agent
 * waited for a CPU in that span (the scheduler's run_delay of its thread,
 * /proc/thread-self/schedstat; -1 where the kernel keeps none): a call that
 * took long only because a loaded machine kept the agent off the CPU did
 * not block. slept says whether the agent's thread went to sleep in it at
 * all (voluntary context switches, getrusage): one that never did returned
 * at once, whatever the clock says (a host may take a virtual CPU away from
 * a running thread, which no guest counter sees). The start is also published on a board the runner can read at
 * any moment (agent_started): a blocking call's start is where the lines
 * after it count from, long before its reply comes.
 */
#ifndef TCPRIG_AGENT_PROTO_H
#define TCPRIG_AGENT_PROTO_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/types.h>

/* Room for setsockopt's struct tcp_md5sig (216 bytes). */
#define AGENT_OPTVAL_MAX 256
#define AGENT_TEXT_MAX 4096
#define AGENT_OUT_MAX 1024
/* Room for a struct the kernel fills (tcp_info: 232 bytes on 6.x). */
#define AGENT_DATA_MAX 512
/* A shell line that runs longer is killed (with whatever it started). */
#define AGENT_SHELL_TIMEOUT_MS 10000
/* The agent's end of the channel, if RLIMIT_NOFILE allows; else lower. */
#define AGENT_CONTROL_FD 1000

enum agent_op {
	/* arg[0] domain, arg[1] type, arg[2] protocol */
	AGENT_SOCKET,
	/* arg[0] fd; addr, addrlen */
	AGENT_BIND,
	/* arg[0] fd, arg[1] backlog */
	AGENT_LISTEN,
	/* arg[0] fd; the peer's address comes back in nothing: scripts write
	 * `...` for it */
	AGENT_ACCEPT,
	/* arg[0] fd; addr, addrlen */
	AGENT_CONNECT,
	/* arg[0] fd; len bytes at most; ret is what read() returned; arg[3]
	 * 1: a NULL buffer */
	AGENT_READ,
	/* arg[0] fd; len bytes of zeros; arg[3] 1: a NULL buffer */
	AGENT_WRITE,
	/* arg[0] fd, arg[1] how */
	AGENT_SHUTDOWN,
	/* arg[0] fd */
	AGENT_CLOSE,
	/* arg[0] fd, arg[1] level, arg[2] optname; optval, optlen */
	AGENT_SETSOCKOPT,
	/* arg[0] fd, arg[1] level, arg[2] optname; optlen = the length asked
	 * for. The reply's optval and optlen carry the result. */
	AGENT_GETSOCKOPT,
	/* arg[0] fd, arg[1] cmd (F_GETFL, F_SETFL, F_GETFD, F_SETFD only),
	 * arg[2] the int argument */
	AGENT_FCNTL,
	/* text: the command for /bin/sh -c; arg[0]: timeout in ms, 0 for
	 * AGENT_SHELL_TIMEOUT_MS. Reply: status is the exit status (128 + N
	 * when killed by signal N), out the tail of stdout and stderr with the
	 * final newlines cut, value how many bytes the command wrote in all.
	 * Past the timeout the command's process group is killed: ret -1, err
	 * ETIMEDOUT, status AGENT_STATUS_TIMEOUT. A shell line's background
	 * processes end with it: nothing it started outlives the line. */
	AGENT_SHELL,
	/* addr: the local end, peer: the remote end (AF_UNSPEC, a wildcard
	 * address or port 0 match anything; see sock_diag.h). Reply: value is
	 * the TCP state (enum sock_diag_state, SOCK_DIAG_NONE when no socket
	 * matched), out its name ("TIME_WAIT", "none"), status how many
	 * sockets matched. */
	AGENT_SOCK_STATE,
	/* text: an nstat counter name ("TcpExtTWRecycled"). Reply: value. An
	 * unknown name: ret -1, err ENOENT, status AGENT_STATUS_ABSENT. */
	AGENT_COUNTER,
	/* text: a net.* knob ("net.ipv4.tcp_rfc1337"). Reply: out is its
	 * value, a string ("32768\t60999"). A knob the kernel lacks: ret -1,
	 * err ENOENT, status AGENT_STATUS_ABSENT, out "knob absent: NAME". */
	AGENT_SYSCTL_GET,
	/* text: "NAME=VALUE" as sysctl -w takes it. Reply as for SYSCTL_GET,
	 * out being the value it held before, to restore it with. */
	AGENT_SYSCTL_SET,
	/* addr: the local end, peer: the remote end of the connection whose
	 * socket to read (as for SOCK_STATE); none matching: the socket the
	 * agent made or accepted last. Reply: data holds its struct tcp_info
	 * (getsockopt TCP_INFO), datalen its length; value the fd read. */
	AGENT_TCP_INFO,
	/* Socket calls packetdrill's scripts make, after the first ones. */
	/* arg[0] fd, arg[1] flags, arg[3] 1: a NULL buffer; len bytes of
	 * zeros (in niov iovecs, if any); addr, addrlen (0: no address).
	 * send, sendto, sendmsg. */
	AGENT_SENDTO,
	/* arg[0] fd, arg[1] flags, arg[3] 1: a NULL buffer; len bytes at
	 * most. recv, recvfrom, recvmsg. arg[2] 1: recvmsg, whose reply
	 * carries the control messages in data (datalen bytes) and
	 * msg_flags in value. */
	AGENT_RECVFROM,
	/* arg[0] fd, arg[1] request (SIOCINQ, SIOCOUTQ): reply value is the
	 * int the kernel filled. */
	AGENT_IOCTL,
	/* optval: arg[1] struct pollfd; arg[2] timeout ms. Reply optval: the
	 * pollfds with their revents. */
	AGENT_POLL,
	/* arg[0] size. */
	AGENT_EPOLL_CREATE,
	/* arg[0] epfd, arg[1] op, arg[2] fd, arg[3] events; optval: the u64
	 * the events carry back (the script's data). */
	AGENT_EPOLL_CTL,
	/* arg[0] epfd, arg[1] maxevents, arg[2] timeout ms. Reply optval:
	 * the struct epoll_events returned. */
	AGENT_EPOLL_WAIT,
	/* Files and pipes, for sendfile and splice scripts. */
	/* text: the path; arg[1] flags, arg[2] mode. Only where shell lines
	 * are allowed: a file opened may be a file created or truncated. */
	AGENT_OPEN,
	/* Reply optval: the two fds (int[2]), optlen 8. */
	AGENT_PIPE,
	/* arg[0] fd_in, arg[1] fd_out, arg[2] len, arg[3] flags; optval: the
	 * two offsets (int64_t[2], in then out), -1 for NULL. */
	AGENT_SPLICE,
	/* arg[0] out_fd, arg[1] in_fd, arg[2] offset (-1: NULL), arg[3]
	 * count. Reply value: the offset after the call. */
	AGENT_SENDFILE,
};
/* The last op, for range checks of an enum that came off a socket. */
#define AGENT_OP_LAST AGENT_SENDFILE

enum agent_status {
	AGENT_STATUS_TIMEOUT = -1, /* SHELL: killed at the timeout */
	AGENT_STATUS_ABSENT = -2,  /* COUNTER, SYSCTL_*: no such name here */
	AGENT_STATUS_REFUSED = -3, /* SHELL: this agent runs no shell lines
				    * (`tcprig agent` without --allow-shell);
				    * ret -1, err EPERM, nothing ran */
};

/* agent_req.flags */
enum {
	/* Say when the call starts, as soon as it does: a blocking call's
	 * lines count from its start. The pipe transport always does (the
	 * board); over TCP it costs a message, sent only when asked. */
	AGENT_REQ_NOTIFY_START = 1u << 0,
};

/* The iovecs a sendmsg line may have: the kernel's UIO_MAXIOV. */
#define AGENT_IOV_MAX 1024

/* read/write/sendto/recvfrom sizes above this are refused rather than
 * allocated. */
#define AGENT_IO_MAX (64u << 20)

struct agent_req {
	enum agent_op op;
	uint32_t seq; /* set by agent_submit: names the request on the board */
	uint32_t flags; /* AGENT_REQ_* */
	/* CLOCK_MONOTONIC us at which to make the call (the agent waits for it
	 * as precisely as the runner would); 0: at once. A request sent ahead
	 * of its time starts without a second process waking up late. */
	uint64_t start_at_us;
	int64_t arg[4]; /* integer arguments in call order */
	struct sockaddr_storage addr, peer;
	socklen_t addrlen;
	uint32_t optlen;
	uint8_t optval[AGENT_OPTVAL_MAX];
	uint32_t len;
	char text[AGENT_TEXT_MAX];
	/* SENDTO from a sendmsg line: its iovecs' lengths (summing to len),
	 * each sent from a buffer of its own, as packetdrill allocates them
	 * (MSG_ZEROCOPY makes each a fragment of its own: adjoining ones
	 * would merge into one). 0: one buffer of len bytes. */
	uint32_t niov;
	uint32_t iov_len[AGENT_IOV_MAX];
};

struct agent_reply {
	int64_t ret;
	int err;
	int status;
	uint64_t start_us;    /* the system call entered, CLOCK_MONOTONIC */
	uint64_t done_us;     /* ... and returned */
	int64_t run_delay_us; /* time runnable but not running in between; -1 unknown */
	int64_t slept;	      /* voluntary context switches in between; -1 unknown */
	/* CLOCK_REALTIME less CLOCK_MONOTONIC at the return: what a kernel
	 * stamp in real time (SCM_TIMESTAMPING) is on the monotonic clock
	 * of start_us and done_us. */
	int64_t real_minus_mono_us;
	int64_t value;
	uint32_t optlen;
	uint8_t optval[AGENT_OPTVAL_MAX];
	char out[AGENT_OUT_MAX];
	uint32_t datalen;
	uint8_t data[AGENT_DATA_MAX];
};

/* One shared page: the agent stores start_us, then started = the request's
 * seq (release); the runner reads started (acquire), then start_us. It lets
 * the runner read the start of a blocking call without a message (and so
 * without waking up). */
struct agent_board {
	_Atomic uint32_t started;
	_Atomic uint64_t start_us;
};

/* A zeroed request for op. */
void agent_req_init(struct agent_req *req, enum agent_op op);
/* For log lines: "socket", "sysctl_set", ... */
const char *agent_op_name(enum agent_op op);
/* In the agent: rep fails with errnum (ret -1) and out says why. */
void agent_fail(struct agent_reply *rep, int errnum, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* What a request must be before the agent acts on it, whatever sent it: an
 * op it knows (up to AGENT_OP_LAST), terminated text, lengths within their
 * buffers (addresses, options, pollfds, epoll events), an fcntl command it
 * serves, a read/write/sendto/recvfrom size under AGENT_IO_MAX, fds that
 * fit an int, and a shell line only where shell lines are allowed. 0 if it
 * may be served; else -1 with rep failed (ret -1, err, out). Pure: it makes
 * no call, so that the wire protocol can be fuzzed through it. */
/* Whether op is a socket call the agent makes on a case's behalf (the
 * ops agent_do_call serves), rather than a query, a sysctl or a shell line. */
bool agent_op_is_call(enum agent_op op);
/* Whether a call's arg[0] is an fd (all but socket, epoll_create, open,
 * pipe). */
bool agent_op_takes_fd(enum agent_op op);
int agent_req_check(const struct agent_req *req, bool allow_shell, struct agent_reply *rep);

#endif
