/* Unit tests for the check before a run (run/callcheck.c): a call line
 * whose arguments the agent request cannot be built from is refused at
 * path:line:col, the column under the argument to blame, with the builders'
 * own words - for every builder (call.c, call_args.c, call_io.c,
 * call_cmsg.c, call_file.c, call_md5.c), a `|` alternative, a statement
 * over several lines. Each refused line is built again with an env holding
 * run-time values (lab addresses, fd names, ports): the same verdict, so
 * nothing the check leaves out decides. The well-formed twin of each row
 * passes. Then every case file under the directories given (the catalogue,
 * the lab tests' cases) passes the check in every family it may run in:
 * none is refused. Arguments: [-D NAME=VALUE]... DIR|FILE...
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "case/case.h"
#include "case/defines.h"
#include "case/family.h"
#include "case/files.h"
#include "run/call.h"
#include "run/callcheck.h"
#include "tap.h"

#define SOCK "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"

struct bad_row {
	const char *name;
	const char *text; /* a case: SOCK, then the bad line */
	const char *want; /* the error's first line */
	const char *good; /* the same line put right: "" when there is none */
};

static const struct bad_row rows[] = {
	{ "tcp_md5sig: a member misspelt",
	  SOCK "+0 setsockopt(3, SOL_TCP, TCP_MD5SIG, {tcpm_addr=..., tcpm_kye=\"k\"}, 216) = 0\n",
	  "t.pkt:2:55: setsockopt: a tcp_md5sig has no member 'tcpm_kye' (it has tcpm_addr, "
	  "tcpm_key, tcpm_keylen, tcpm_flags, tcpm_prefixlen)",
	  SOCK "+0 setsockopt(3, SOL_TCP, TCP_MD5SIG, {tcpm_addr=..., tcpm_key=\"k\"}, 216) = 0\n" },
	{ "tcp_md5sig: a key that is no string",
	  SOCK "+0 setsockopt(3, SOL_TCP, TCP_MD5SIG, {tcpm_key=7}, 216) = 0\n",
	  "t.pkt:2:49: setsockopt: tcpm_key is a string \"...\"", "" },
	{ "tcp_md5sig: tcpm_addr neither ... nor a sockaddr",
	  SOCK "+0 setsockopt(3, SOL_TCP, TCP_MD5SIG, {tcpm_addr=5, tcpm_key=\"k\"}, 216) = 0\n",
	  "t.pkt:2:50: setsockopt: tcpm_addr is ... or a sockaddr {sa_family=AF_INET, "
	  "sin_addr=inet_addr(\"...\")}",
	  "" },
	{ "tcp_md5sig: an optlen longer than the struct",
	  SOCK "+0 setsockopt(3, SOL_TCP, TCP_MD5SIG, {tcpm_key=\"k\"}, 999) = 0\n",
	  "t.pkt:2:55: setsockopt: optlen 999: a tcp_md5sig is 216 bytes",
	  SOCK "+0 setsockopt(3, SOL_TCP, TCP_MD5SIG, {tcpm_key=\"k\"}, 216) = 0\n" },
	{ "linger: a member misspelt",
	  SOCK "+0 setsockopt(3, SOL_SOCKET, SO_LINGER, {onoff=1, lingr=0}, 8) = 0\n",
	  "t.pkt:2:51: setsockopt: a struct linger has no member 'lingr' (it has onoff, linger)",
	  SOCK "+0 setsockopt(3, SOL_SOCKET, SO_LINGER, {onoff=1, linger=0}, 8) = 0\n" },
	{ "setsockopt: a string for an int",
	  SOCK "+0 setsockopt(3, SOL_SOCKET, SO_REUSEADDR, \"yes\", 4) = 0\n",
	  "t.pkt:2:44: setsockopt: argument 4 must be a number",
	  SOCK "+0 setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0\n" },
	{ "getsockopt: a struct where [N] is checked",
	  SOCK "+0 getsockopt(3, SOL_SOCKET, SO_ERROR, {err=0}, [4]) = 0\n",
	  "t.pkt:2:40: getsockopt: the value is [N] (the int it must be) or ... (not checked)",
	  SOCK "+0 getsockopt(3, SOL_SOCKET, SO_ERROR, [0], [4]) = 0\n" },
	{ "sockaddr: a member misspelt",
	  SOCK "+0 bind(3, {sa_family=AF_INET, sin_prot=htons(8080)}, ...) = 0\n",
	  "t.pkt:2:32: bind: a sockaddr has no member 'sin_prot' (it has sa_family, sin_port, "
	  "sin_addr, sin6_port, sin6_addr)",
	  SOCK "+0 bind(3, {sa_family=AF_INET, sin_port=htons(8080)}, ...) = 0\n" },
	{ "sockaddr: a family the agent has no sockets of",
	  SOCK "+0 bind(3, {sa_family=1}, ...) = 0\n",
	  "t.pkt:2:23: bind: sa_family must be AF_INET or AF_INET6", "" },
	{ "sockaddr: an IPv6 address in an AF_INET one",
	  SOCK "+0 connect(3, {sin_addr=inet_addr(\"2001:db8::1\")}, ...) = 0\n",
	  "t.pkt:2:25: connect: an IPv6 address in an AF_INET sockaddr",
	  SOCK "+0 connect(3, {sin_addr=inet_addr(\"192.0.2.1\")}, ...) = 0\n" },
	{ "connect: a string for the address", SOCK "+0 connect(3, \"peer\", ...) = 0\n",
	  "t.pkt:2:15: connect: the address must be ..., a family (AF_UNSPEC) or a sockaddr",
	  SOCK "+0 connect(3, ..., ...) = 0\n" },
	{ "read: a length out of range", SOCK "+0 read(3, ..., -1) = 0\n",
	  "t.pkt:2:17: read: length -1 out of range", SOCK "+0 read(3, ..., 1) = 0\n" },
	{ "close: an fd that is no number", SOCK "+0 close(\"3\") = 0\n",
	  "t.pkt:2:10: close: argument 1 must be a number", SOCK "+0 close(3) = 0\n" },
	{ "msghdr: a member misspelt",
	  SOCK "+0 sendmsg(3, {msg_iov(1)=[{..., 10}], msg_flag=0}, 0) = 10\n",
	  "t.pkt:2:40: sendmsg: a msghdr has no member 'msg_flag' (it has msg_name, msg_iov, "
	  "msg_control, msg_flags)",
	  SOCK "+0 sendmsg(3, {msg_iov(1)=[{..., 10}], msg_flags=0}, 0) = 10\n" },
	{ "msghdr: msg_iov no list", SOCK "+0 sendmsg(3, {msg_iov={..., 10}}, 0) = 10\n",
	  "t.pkt:2:24: sendmsg: msg_iov is a list of iovecs [{..., LENGTH}]",
	  SOCK "+0 sendmsg(3, {msg_iov=[{..., 10}]}, 0) = 10\n" },
	{ "iovec: a member misspelt",
	  SOCK "+0 sendmsg(3, {msg_iov=[{iov_base=..., iov_ln=10}]}, 0) = 10\n",
	  "t.pkt:2:40: sendmsg: an iovec has no member 'iov_ln' (it has iov_base, iov_len)",
	  SOCK "+0 sendmsg(3, {msg_iov=[{iov_base=..., iov_len=10}]}, 0) = 10\n" },
	{ "iovec: a length that is no number",
	  SOCK "+0 sendmsg(3, {msg_iov=[{..., \"ten\"}]}, 0) = 10\n",
	  "t.pkt:2:31: sendmsg: an iovec is {..., LENGTH} or {iov_base=..., iov_len=LENGTH}", "" },
	{ "sendmsg: control messages",
	  SOCK "+0 sendmsg(3, {msg_iov=[{..., 1}], msg_control=[{cmsg_level=SOL_SOCKET, "
	       "cmsg_type=1, cmsg_data=5}]}, 0) = 1\n",
	  "t.pkt:2:48: sendmsg: sendmsg with cmsgs is not supported", "" },
	{ "cmsg: a member misspelt",
	  SOCK "+0 recvmsg(3, {msg_iov=[{..., 9}], msg_control=[{cmsg_lvl=SOL_TCP, "
	       "cmsg_type=TCP_CM_INQ, cmsg_data=0}]}, 0) = 9\n",
	  "t.pkt:2:50: recvmsg: a cmsg has no member 'cmsg_lvl' (it has cmsg_level, cmsg_type, "
	  "cmsg_data)",
	  SOCK "+0 recvmsg(3, {msg_iov=[{..., 9}], msg_control=[{cmsg_level=SOL_TCP, "
	       "cmsg_type=TCP_CM_INQ, cmsg_data=0}]}, 0) = 9\n" },
	{ "cmsg: a sock_extended_err member misspelt",
	  SOCK "+0 recvmsg(3, {msg_control=[{cmsg_level=SOL_IP, cmsg_type=IP_RECVERR, "
	       "cmsg_data={ee_errnum=0}}]}, MSG_ERRQUEUE) = 0\n",
	  "t.pkt:2:82: recvmsg: cmsg_data {...} takes ee_errno, ee_origin, ee_type, ee_code, "
	  "ee_info, ee_data (numbers), or is {scm_sec=S, scm_nsec=N}",
	  SOCK "+0 recvmsg(3, {msg_control=[{cmsg_level=SOL_IP, cmsg_type=IP_RECVERR, "
	       "cmsg_data={ee_errno=0}}]}, MSG_ERRQUEUE) = 0\n" },
	{ "cmsg: msg_control no list",
	  SOCK "+0 recvmsg(3, {msg_control=5}, 0) = 0\n",
	  "t.pkt:2:28: recvmsg: msg_control is a list [{cmsg_level=, ...}]", "" },
	{ "pollfd: a member misspelt",
	  SOCK "+0 poll([{fd=3, events=POLLIN, revnts=0}], 1, 0) = 0\n",
	  "t.pkt:2:32: poll: a pollfd has no member 'revnts' (it has fd, events, revents)",
	  SOCK "+0 poll([{fd=3, events=POLLIN, revents=0}], 1, 0) = 0\n" },
	{ "pollfd: events missing", SOCK "+0 poll([{fd=3}], 1, 0) = 0\n",
	  "t.pkt:2:10: poll: a pollfd is {fd=N, events=E[, revents=R]}", "" },
	{ "poll: no list of pollfds", SOCK "+0 poll(3, 1, 0) = 0\n",
	  "t.pkt:2:9: poll: argument 1 must be a list of {fd=, events=}", "" },
	{ "epoll_ctl: a member misspelt",
	  SOCK "+0 epoll_ctl(5, EPOLL_CTL_ADD, 3, {events=EPOLLIN, fdd=3}) = 0\n",
	  "t.pkt:2:52: epoll_ctl: an epoll_event has no member 'fdd' (it has events, fd, u32, u64, "
	  "ptr)",
	  SOCK "+0 epoll_ctl(5, EPOLL_CTL_ADD, 3, {events=EPOLLIN, fd=3}) = 0\n" },
	{ "epoll_ctl: events missing", SOCK "+0 epoll_ctl(5, EPOLL_CTL_ADD, 3, {fd=3}) = 0\n",
	  "t.pkt:2:35: epoll_ctl: an epoll_event is {events=E, fd=N}: events is missing", "" },
	{ "epoll_wait: a member misspelt",
	  SOCK "+0 epoll_wait(5, {event=EPOLLIN, fd=3}, 1, 0) = 1\n",
	  "t.pkt:2:19: epoll_wait: an epoll_event has no member 'event' (it has events, fd, u32, "
	  "u64, ptr)",
	  SOCK "+0 epoll_wait(5, {events=EPOLLIN, fd=3}, 1, 0) = 1\n" },
	{ "ioctl: a struct where [N] is checked", SOCK "+0 ioctl(3, SIOCINQ, {n=0}) = 0\n",
	  "t.pkt:2:22: ioctl: the value is [N] (checked) or ... (not)",
	  SOCK "+0 ioctl(3, SIOCINQ, [0]) = 0\n" },
	{ "splice: an offset neither NULL nor [N]",
	  SOCK "+0 pipe([5, 6]) = 0\n+0 splice(3, 7, 6, NULL, 10, 0) = 10\n",
	  "t.pkt:3:14: splice: argument 2: an offset is NULL or [N]",
	  SOCK "+0 pipe([5, 6]) = 0\n+0 splice(3, NULL, 6, NULL, 10, 0) = 10\n" },
	{ "sendfile: an offset neither NULL nor [N]",
	  SOCK "+0 open(\"f\", O_RDONLY) = 5\n+0 sendfile(3, 5, [-1], 5) = 5\n",
	  "t.pkt:3:19: sendfile: argument 3: an offset is NULL or [N]",
	  SOCK "+0 open(\"f\", O_RDONLY) = 5\n+0 sendfile(3, 5, [0], 5) = 5\n" },
	{ "open: flags of no open(2) meaning", SOCK "+0 open(\"f\", O_WRONLY|O_RDWR) = 5\n",
	  "t.pkt:2:14: open: flags 0x3 are no O_* flags (O_RDONLY, O_WRONLY or O_RDWR, with "
	  "O_CREAT, O_TRUNC, ...)",
	  SOCK "+0 open(\"f\", O_RDWR) = 5\n" },
	{ "open: a path not in quotes", SOCK "+0 open(5, O_RDONLY) = 5\n",
	  "t.pkt:2:9: open: argument 1 must be a path in quotes", "" },
	{ "pipe: one name for two ends", SOCK "+0 pipe([5]) = 0\n",
	  "t.pkt:2:9: pipe: argument 1 must be [R, W], the names of the two ends",
	  SOCK "+0 pipe([5, 6]) = 0\n" },
	{ "a `|` alternative that cannot be built",
	  SOCK "+0 connect(3, ..., ...) = 0 => up\n"
	       "| connect(3, {sin_port=htons(1), sin_adr=INADDR_ANY}, ...) = -1 => down\n",
	  "t.pkt:3:34: connect: a sockaddr has no member 'sin_adr' (it has sa_family, sin_port, "
	  "sin_addr, sin6_port, sin6_addr)",
	  SOCK "+0 connect(3, ..., ...) = 0 => up\n"
	       "| connect(3, {sin_port=htons(1), sin_addr=INADDR_ANY}, ...) = -1 => down\n" },
	{ "a statement over three lines: the line and column of the argument",
	  SOCK "+0 sendmsg(3, {msg_name(...)=...,\n"
	       "\t\tmsg_iov(2)=[{..., 10},\n"
	       "\t\t\t{iov_bse=..., iov_len=5}],\n"
	       "\t\tmsg_flags=0}, 0) = 15\n",
	  "t.pkt:4:5: sendmsg: an iovec has no member 'iov_bse' (it has iov_base, iov_len)",
	  SOCK "+0 sendmsg(3, {msg_name(...)=...,\n"
	       "\t\tmsg_iov(2)=[{..., 10},\n"
	       "\t\t\t{iov_base=..., iov_len=5}],\n"
	       "\t\tmsg_flags=0}, 0) = 15\n" },
};

static const struct case_event *first_call_line(const struct case_script *s, int line)
{
	for (size_t i = 0; i < s->nevents; i++) {
		const struct case_event *ev = &s->events[i];

		if (ev->kind == CASE_EV_CALL && ev->line == line)
			return ev;
		for (size_t k = 0; k < ev->nalts; k++)
			if (ev->alts[k].line == line)
				return &ev->alts[k];
	}
	return NULL;
}

/* The line of an error's first line "t.pkt:L:C: ..." */
static int err_line(const char *msg)
{
	const char *p = strchr(msg, ':');

	return p ? atoi(p + 1) : 0;
}

/* The refused line built with the values of a run: a lab's addresses, fd
 * names that stand for other fds: refused all the same (shape decides). */
static bool refused_with_values(const struct case_event *ev)
{
	struct run_ends ends = { .wire = AF_INET, .sock = AF_INET };
	struct fd_map fds = { 0 };
	struct call_env env = { .ends = &ends, .target_port = 8080, .rig_port = 40000,
				.fds = &fds };
	struct agent_req req;
	struct tr_err err = { 0 };

	inet_pton(AF_INET, "192.0.2.1", &ends.target4);
	inet_pton(AF_INET, "192.0.2.2", &ends.rig4);
	fd_map_name(&fds, 3, 9);
	fd_map_name(&fds, 5, 11);
	fd_map_name(&fds, 6, 12);
	return call_request(&ev->u.call, &env, &req, &err) != 0;
}

static void check_row(const struct bad_row *r)
{
	struct case_script s;
	struct tr_err err = { 0 };
	char first[1024];

	if (!ok(!case_parse_string("t.pkt", r->text, &s, &err), "%s: parses", r->name)) {
		printf("#   %s\n", err.msg);
		return;
	}
	ok(call_check_case(&s, AF_INET, false, &err) != 0 && err.status == TR_USAGE,
	   "%s: refused, TR_USAGE", r->name);
	snprintf(first, sizeof(first), "%.*s", (int)strcspn(err.msg, "\n"), err.msg);
	if (strcmp(first, r->want))
		printf("#   %s\n", err.msg); /* the line and its caret, to see */
	is_str(first, r->want, "%s: path:line:col and the builder's words", r->name);
	{
		const struct case_event *ev = first_call_line(&s, err_line(err.msg));

		/* A statement over several lines: the event begins before. */
		for (int l = err_line(err.msg); !ev && l > 0; l--)
			ev = first_call_line(&s, l);
		ok(ev && refused_with_values(ev), "%s: refused with a run's values too", r->name);
	}
	case_script_free(&s);
	if (!r->good[0])
		return;
	if (!ok(!case_parse_string("t.pkt", r->good, &s, &err), "%s, put right: parses",
		r->name))
		return;
	ok(!call_check_case(&s, AF_INET, false, &err), "%s, put right: passes", r->name);
	case_script_free(&s);
}

/* A family-specific row: an IPv6 address is fine in an AF_INET6 socket's
 * sockaddr, and the family decides, not the lab's addresses. */
static void check_families(void)
{
	const char *text = SOCK "+0 connect(3, {sin6_addr=inet6_addr(\"2001:db8::1\")}, ...) = 0\n";
	const char *v4only = SOCK "+0 connect(3, {sin_addr=inet_addr(\"2001:db8::1\")}, ...) = 0\n";
	struct case_script s;
	struct tr_err err = { 0 };

	if (case_parse_string("t.pkt", text, &s, &err) == 0) {
		ok(!call_check_case(&s, AF_INET6, false, &err), "an IPv6 sockaddr on IPv6: passes");
		case_script_free(&s);
	}
	if (case_parse_string("t.pkt", v4only, &s, &err) == 0) {
		ok(call_check_case(&s, AF_INET, false, &err) != 0,
		   "an IPv6 address for IPv4 sockets: refused");
		ok(!call_check_case(&s, AF_INET, true, &err),
		   "the same for ipv4-mapped-ipv6 sockets: passes");
		case_script_free(&s);
	}
}

/* Every case file under paths passes in each family it may run in. */
static void check_files(char **paths, size_t n, const struct case_defines *defs)
{
	static struct case_files files;
	struct tr_err err = { 0 };
	size_t checked = 0;

	files.defs = defs;
	for (size_t i = 0; i < n; i++)
		if (!ok(!case_files_add(&files, paths[i], &err), "%s: cases found", paths[i]))
			printf("#   %s\n", err.msg);
	for (size_t i = 0; i < files.n; i++) {
		struct case_script s;
		struct case_family fam;

		if (!ok(!case_parse_file_defs(files.paths[i], defs, &s, &err), "%s parses",
			files.paths[i])) {
			printf("#   %s\n", err.msg);
			continue;
		}
		if (case_family_read(&s, &fam, &err)) {
			ok(false, "%s: its family", files.paths[i]);
			case_script_free(&s);
			continue;
		}
		for (int k = 0; k < 2; k++) {
			int family = k ? AF_INET6 : AF_INET;
			struct run_config cfg = { .family = family };

			if (!case_family_allows(&fam, family))
				continue;
			if (!ok(!runner_check(&s, &cfg, &err), "%s (%s): passes the check",
				files.paths[i], case_family_name(family)))
				printf("#   %s\n", err.msg);
		}
		checked++;
		case_script_free(&s);
	}
	ok(checked > 0, "%zu case files checked", checked);
	case_files_free(&files);
}

int main(int argc, char **argv)
{
	struct case_defines defs = { 0 };
	struct tr_err err = { 0 };
	char **paths = calloc((size_t)argc, sizeof(*paths));
	size_t n = 0;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-D") && i + 1 < argc) {
			if (case_define_add(&defs, argv[++i], &err))
				ok(false, "-D %s: %s", argv[i], err.msg);
			continue;
		}
		paths[n++] = argv[i];
	}
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		check_row(&rows[i]);
	check_families();
	if (n)
		check_files(paths, n, &defs);
	free(paths);
	case_defines_free(&defs);
	return tap_done();
}
