/* syscall_names.c - the names a case may use in socket-call lines.
 *
 * Values come from this machine's libc headers, never from a copy of them:
 * the agent passes them straight to the kernel it runs on.
 */
#include "case/case.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>
#include <linux/errqueue.h>
#include <linux/net_tstamp.h>
#include <linux/sockios.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

struct case_name {
	const char *name;
	int64_t value;
};

/* Tables read better laid out by hand. */
/* clang-format off */
#define N(sym) { #sym, sym }

static const struct case_name case_symbols[] = {
	N(AF_INET), N(AF_INET6), N(AF_UNSPEC),
	N(SOCK_STREAM), N(SOCK_NONBLOCK), N(SOCK_CLOEXEC),
	N(IPPROTO_IP), N(IPPROTO_TCP), N(IPPROTO_IPV6),
	N(SOL_SOCKET), N(SOL_TCP), N(SOL_IP),
	N(SO_REUSEADDR), N(SO_REUSEPORT), N(SO_LINGER), N(SO_RCVBUF),
	N(SO_SNDBUF), N(SO_ERROR), N(SO_KEEPALIVE), N(SO_RCVLOWAT),
	N(TCP_NODELAY), N(TCP_MAXSEG), N(TCP_CORK), N(TCP_KEEPIDLE),
	N(TCP_KEEPINTVL), N(TCP_KEEPCNT), N(TCP_QUICKACK), N(TCP_CONGESTION),
	N(TCP_LINGER2), N(TCP_DEFER_ACCEPT), N(TCP_USER_TIMEOUT),
	N(F_GETFL), N(F_SETFL),
	N(O_RDONLY), N(O_WRONLY), N(O_RDWR), N(O_NONBLOCK),
	N(O_CREAT), N(O_TRUNC), N(O_APPEND), N(O_CLOEXEC),
	N(SPLICE_F_MOVE), N(SPLICE_F_NONBLOCK), N(SPLICE_F_MORE),
	N(SHUT_RD), N(SHUT_WR), N(SHUT_RDWR),
	N(INADDR_ANY),
	/* packetdrill's NULL: a NULL pointer where a buffer goes (EFAULT). */
	{ "NULL", 0 },
	N(SO_MARK), N(SO_ZEROCOPY), N(SO_TIMESTAMPING),
	N(TCP_SYNCNT), N(TCP_NOTSENT_LOWAT), N(TCP_FASTOPEN),
	N(TCP_FASTOPEN_CONNECT), N(TCP_FASTOPEN_KEY), N(TCP_INQ), N(TCP_CM_INQ),
	N(TCP_MD5SIG), N(TCP_MD5SIG_EXT),
	N(IP_TOS), N(IP_FREEBIND), N(IP_MTU_DISCOVER), N(IP_RECVERR),
	N(IP_PMTUDISC_DONT), N(IP_PMTUDISC_WANT), N(IP_PMTUDISC_DO),
	N(IP_PMTUDISC_PROBE),
	/* IPv6: the family, its socket level and options. */
	N(PF_INET), N(PF_INET6), N(SOL_IPV6), N(IPPROTO_ICMPV6),
	N(IPV6_V6ONLY), N(IPV6_TCLASS), N(IPV6_MTU_DISCOVER), N(IPV6_MTU),
	N(IPV6_RECVERR), N(IPV6_HOPLIMIT), N(IPV6_UNICAST_HOPS), N(IPV6_DONTFRAG),
	N(IPV6_AUTOFLOWLABEL), N(IPV6_FREEBIND), N(IPV6_RECVTCLASS),
	N(IPV6_PMTUDISC_DONT), N(IPV6_PMTUDISC_WANT), N(IPV6_PMTUDISC_DO),
	N(IPV6_PMTUDISC_PROBE),
	/* packetdrill's names for a cmsg's level and type. */
	{ "CMSG_LEVEL_IP", SOL_IP }, { "CMSG_TYPE_RECVERR", IP_RECVERR },
	N(MSG_DONTWAIT), N(MSG_EOR), N(MSG_ERRQUEUE), N(MSG_FASTOPEN),
	N(MSG_MORE), N(MSG_NOSIGNAL), N(MSG_PEEK), N(MSG_TRUNC),
	N(MSG_WAITALL), N(MSG_ZEROCOPY),
	N(SIOCINQ), N(SIOCOUTQ),
	N(POLLIN), N(POLLPRI), N(POLLOUT), N(POLLERR), N(POLLHUP),
	N(POLLNVAL), N(POLLRDNORM), N(POLLWRNORM), N(POLLRDHUP),
	N(EPOLLIN), N(EPOLLPRI), N(EPOLLOUT), N(EPOLLERR), N(EPOLLHUP),
	N(EPOLLRDHUP), N(EPOLLET), N(EPOLLONESHOT), N(EPOLLEXCLUSIVE),
	N(EPOLL_CTL_ADD), N(EPOLL_CTL_MOD), N(EPOLL_CTL_DEL),
	N(SOF_TIMESTAMPING_TX_SOFTWARE), N(SOF_TIMESTAMPING_SOFTWARE),
	N(SOF_TIMESTAMPING_OPT_ID), N(SOF_TIMESTAMPING_TX_SCHED),
	N(SOF_TIMESTAMPING_TX_ACK), N(SCM_TIMESTAMPING),
	N(SCM_TSTAMP_SND), N(SCM_TSTAMP_SCHED), N(SCM_TSTAMP_ACK),
	N(SO_EE_ORIGIN_TIMESTAMPING), N(SO_EE_ORIGIN_ZEROCOPY),
	N(SO_EE_CODE_ZEROCOPY_COPIED),
};

/* Aliases (EWOULDBLOCK, EDEADLOCK, ENOTSUP) follow their first name, so
 * that case_errno_name() prints the name packetdrill and strace print. */
static const struct case_name case_errnos[] = {
	N(EPERM), N(ENOENT), N(ESRCH), N(EINTR), N(EIO), N(ENXIO), N(E2BIG),
	N(ENOEXEC), N(EBADF), N(ECHILD), N(EAGAIN), N(EWOULDBLOCK), N(ENOMEM),
	N(EACCES), N(EFAULT), N(ENOTBLK), N(EBUSY), N(EEXIST), N(EXDEV),
	N(ENODEV), N(ENOTDIR), N(EISDIR), N(EINVAL), N(ENFILE), N(EMFILE),
	N(ENOTTY), N(ETXTBSY), N(EFBIG), N(ENOSPC), N(ESPIPE), N(EROFS),
	N(EMLINK), N(EPIPE), N(EDOM), N(ERANGE), N(EDEADLK), N(EDEADLOCK),
	N(ENAMETOOLONG), N(ENOLCK), N(ENOSYS), N(ENOTEMPTY), N(ELOOP),
	N(ENOMSG), N(EIDRM), N(ECHRNG), N(EL2NSYNC), N(EL3HLT), N(EL3RST),
	N(ELNRNG), N(EUNATCH), N(ENOCSI), N(EL2HLT), N(EBADE), N(EBADR),
	N(EXFULL), N(ENOANO), N(EBADRQC), N(EBADSLT), N(EBFONT), N(ENOSTR),
	N(ENODATA), N(ETIME), N(ENOSR), N(ENONET), N(ENOPKG), N(EREMOTE),
	N(ENOLINK), N(EADV), N(ESRMNT), N(ECOMM), N(EPROTO), N(EMULTIHOP),
	N(EDOTDOT), N(EBADMSG), N(EOVERFLOW), N(ENOTUNIQ), N(EBADFD),
	N(EREMCHG), N(ELIBACC), N(ELIBBAD), N(ELIBSCN), N(ELIBMAX),
	N(ELIBEXEC), N(EILSEQ), N(ERESTART), N(ESTRPIPE), N(EUSERS),
	N(ENOTSOCK), N(EDESTADDRREQ), N(EMSGSIZE), N(EPROTOTYPE),
	N(ENOPROTOOPT), N(EPROTONOSUPPORT), N(ESOCKTNOSUPPORT), N(EOPNOTSUPP),
	N(ENOTSUP), N(EPFNOSUPPORT), N(EAFNOSUPPORT), N(EADDRINUSE),
	N(EADDRNOTAVAIL), N(ENETDOWN), N(ENETUNREACH), N(ENETRESET),
	N(ECONNABORTED), N(ECONNRESET), N(ENOBUFS), N(EISCONN), N(ENOTCONN),
	N(ESHUTDOWN), N(ETOOMANYREFS), N(ETIMEDOUT), N(ECONNREFUSED),
	N(EHOSTDOWN), N(EHOSTUNREACH), N(EALREADY), N(EINPROGRESS), N(ESTALE),
	N(EUCLEAN), N(ENOTNAM), N(ENAVAIL), N(EISNAM), N(EREMOTEIO), N(EDQUOT),
	N(ENOMEDIUM), N(EMEDIUMTYPE), N(ECANCELED), N(ENOKEY), N(EKEYEXPIRED),
	N(EKEYREVOKED), N(EKEYREJECTED), N(EOWNERDEAD), N(ENOTRECOVERABLE),
	N(ERFKILL), N(EHWPOISON),
};

#undef N

/* sock_state() results: the kernel's TCP states (include/net/tcp_states.h),
 * which inet_diag reports, named without "TCP_". libc has them up to
 * TCP_CLOSING; the request socket's state comes after it. */
#define S(sym) { #sym, TCP_##sym }

static const struct case_name case_tcp_states[] = {
	{ "NONE", 0 }, /* no such socket */
	S(ESTABLISHED), S(SYN_SENT), S(SYN_RECV), S(FIN_WAIT1), S(FIN_WAIT2),
	S(TIME_WAIT), S(CLOSE), S(CLOSE_WAIT), S(LAST_ACK), S(LISTEN),
	S(CLOSING), { "NEW_SYN_RECV", TCP_CLOSING + 1 },
};

#undef S
/* clang-format on */

/* The calls the agent performs, with the argument counts their C
 * prototypes take (fcntl's third argument is optional). */
/* clang-format off */
static const struct case_call_sig case_calls[] = {
	{ "socket", 3, 3 },	{ "setsockopt", 5, 5 }, { "getsockopt", 5, 5 },
	{ "bind", 3, 3 },	{ "listen", 2, 2 },	{ "accept", 3, 3 },
	{ "connect", 3, 3 },	{ "read", 3, 3 },	{ "write", 3, 3 },
	{ "shutdown", 2, 2 },	{ "close", 1, 1 },	{ "fcntl", 2, 3 },
	{ "send", 4, 4 },	{ "sendto", 6, 6 },	{ "sendmsg", 3, 3 },
	{ "recv", 4, 4 },	{ "recvfrom", 6, 6 },	{ "recvmsg", 3, 3 },
	{ "ioctl", 3, 3 },	{ "poll", 3, 3 },	{ "epoll_create", 1, 1 },
	{ "epoll_ctl", 4, 4 },	{ "epoll_wait", 4, 4 },
	{ "open", 2, 3 },	{ "pipe", 1, 1 },	{ "splice", 6, 6 },
	{ "sendfile", 4, 4 },
	/* The runner's own (see case.h): state and counter assertions. */
	{ "sock_state", 2, 2 },	{ "nstat", 1, 1 },
};
/* clang-format on */

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

static const struct case_name *case_name_find(const struct case_name *tab, size_t n,
					      const char *name, size_t len)
{
	for (size_t i = 0; i < n; i++)
		if (strlen(tab[i].name) == len && !memcmp(tab[i].name, name, len))
			return &tab[i];
	return NULL;
}

int case_symbol_value(const char *name, size_t len, int64_t *value)
{
	const struct case_name *s;

	s = case_name_find(case_symbols, ARRAY_LEN(case_symbols), name, len);
	/* An errno name is a value too (ee_errno=ENOMSG in a cmsg). */
	if (!s)
		s = case_name_find(case_errnos, ARRAY_LEN(case_errnos), name, len);
	if (!s)
		return -1;
	*value = s->value;
	return 0;
}

int case_errno_value(const char *name, size_t len, int *value)
{
	const struct case_name *s;

	s = case_name_find(case_errnos, ARRAY_LEN(case_errnos), name, len);
	if (!s)
		return -1;
	*value = (int)s->value;
	return 0;
}

const char *case_errno_name(int value)
{
	for (size_t i = 0; i < ARRAY_LEN(case_errnos); i++)
		if (case_errnos[i].value == value)
			return case_errnos[i].name;
	return NULL;
}

const struct case_call_sig *case_call_find(const char *name, size_t len)
{
	for (size_t i = 0; i < ARRAY_LEN(case_calls); i++)
		if (strlen(case_calls[i].name) == len && !memcmp(case_calls[i].name, name, len))
			return &case_calls[i];
	return NULL;
}

int case_tcp_state_value(const char *name, size_t len, int64_t *value)
{
	const struct case_name *s;

	s = case_name_find(case_tcp_states, ARRAY_LEN(case_tcp_states), name, len);
	if (!s)
		return -1;
	*value = s->value;
	return 0;
}
