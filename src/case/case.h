/* case.h - a case script (a packetdrill dialect) parsed into a timeline.
 *
 * The parser turns the text of a case into a struct case_script: the options
 * given at the top, then one struct case_event per timed line, in script
 * order, each with its timing as written and resolved, its line number and
 * text (for reports), and what it asks for: a segment to inject (`<`), a
 * segment to expect (`>`), a quiet period (`> nothing`), a socket call for
 * the agent, or a shell command.
 * It checks what can be checked without a network; it knows nothing about
 * sockets, labs or live sequence numbers.
 *
 * The language, in short (packetdrill's, from the same side: `<` goes into
 * the target, `>` comes out of it):
 *
 *	--tolerance_usecs=10000		options, before the first event
 *	`../common/defaults.sh`		untimed shell: setup (cleanup if last)
 *	0     socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
 *	+0    fcntl(3, F_SETFL, O_RDWR|O_NONBLOCK) = 0
 *	+0    connect(3, ..., ...) = -1 EINPROGRESS (Operation now in progress)
 *	+0    > S 0:0(0) <mss 1460,sackOK,TS val 100 ecr 0,nop,wscale 7>
 *	+.1   < 8080>40000 S. 0:0(0) ack 1 win 5792 <mss 1460,nop,wscale 2>
 *	+0~+0.2 > . 1:1(0) ack 1 <...>
 *	+.1...0.2 read(3, ..., 1000) = 1000	(blocks; returns by +0.2)
 *	*     > F. 1:1(0) ack 1
 *	+0    `sysctl -q net.ipv4.tcp_rfc1337=1`
 *
 * Ports: packetdrill's own optional `sport>dport` right after the direction
 * (its grammar's opt_port_info), e.g. `< 40000>8080 S 0:0(0) win 1000`. The
 * ports are that segment's own source and destination, as tcpdump prints
 * them: on `<` lines sport is the rig's port and dport the target's, on `>`
 * lines the other way round. Without them the runner picks the ports.
 *
 * Extensions (not packetdrill's; each reads like the lines above):
 *
 *	--sysctl=net.ipv4.tcp_rfc1337=1	a net.* knob set in the target's
 *					namespace for the case, then restored
 *	+0 sock_state(40000, 8080) = TIME_WAIT	the socket of rig port 40000,
 *					target port 8080 is in TIME_WAIT
 *	+0 nstat("TcpExtTCPChallengeACK") = 1	the counter rose by 1 since
 *					the case started
 *	+0~+0.5 > nothing		no segment from the target in the window
 *					(`> 8080>40000 nothing`: none of that
 *					connection)
 *	+0~+0.1 > any			records what the target sends in the
 *					window (or that nothing came); holds
 *					whatever it was (the TIME_WAIT matrix
 *					observes with it). No label, no `|`.
 *
 * sock_state() and nstat() are call lines (CASE_EV_CALL) that the runner
 * answers itself; `> nothing` is a CASE_EV_QUIET event, `> any` a
 * CASE_EV_OBSERVE one.
 *
 * Outcomes: where more than one answer of the target is legitimate, a case
 * names each and lets the report say which one held:
 *
 *	+0~+0.3 > . 2:2(0) ack 2 <...>	=> ack
 *	      | > R 2:2(0) win 0		=> rst!
 *	      | > nothing			=> nothing
 *
 *	+0    sock_state(40000, 8080) = TIME_WAIT	=> survives
 *	    | sock_state(40000, 8080) = NONE		=> killed!
 *
 * `=> LABEL` ends a `>` line, a `> nothing` line or a call line (after the
 * errno note, before a comment) and names the outcome that line stands for.
 * LABEL is [A-Za-z0-9_-]{1,24}, optionally followed by `!`: an outcome the
 * case exposes as a risk. A line starting with `|` is an alternative to the
 * timed event before it (the group's head; blank and comment lines may come
 * between): it takes the head's time and writes none of its own; after a
 * `>` or `> nothing` head it is a `>` or `> nothing` line, after a call a
 * call of the same name. In a group every line has a label, no two alike
 * (`!` aside), at most one is `> nothing`, and if one is, the head's time is
 * a range a~b. Alternatives hang off their head (alts), not in events.
 * `=> LABEL end` ends the case when that line holds, with what held so far
 * (the lines after it are for the other outcomes):
 *
 *	+0    connect(3, ..., ...) = -1 EINPROGRESS (...)	=> reused
 *	    | connect(3, ..., ...) = -1 EADDRNOTAVAIL (...)	=> refused end
 *	+0    > 40000>8080 S 0:0(0) <...>			(only if reused)
 *
 * At run time the first line of a group that holds is the outcome; the
 * group fails only when none does.
 *
 * Lines: a statement ends at the end of its line. Only a backtick command
 * and a C comment may run over several lines (as upstream scripts write
 * `../common/defaults.sh` followed by more commands).
 *
 * Errors: the first error stops the parse. It is a struct tr_err with status
 * TR_USAGE and the message
 *	path:line:col: what is wrong
 *	the offending line
 *	      ^ (under the 1-based byte column of the offending token)
 */
#ifndef TCPRIG_CASE_H
#define TCPRIG_CASE_H

#include <stdbool.h>
#include <stddef.h>
#include <netinet/in.h>
#include <stdint.h>

#include "core/err.h"
#include "core/icmp.h"
#include "core/segment.h"

enum case_event_kind {
	CASE_EV_INJECT, /* `<`: the rig sends this segment */
	CASE_EV_EXPECT, /* `>`: the target must send a segment like this */
	CASE_EV_CALL,	/* a socket call the agent makes on the target */
	CASE_EV_SHELL,	/* a backtick command run on the target side */
	CASE_EV_QUIET,	/* `> nothing`: no segment from the target during
			 * [at_us, until_us]; u.pkt holds only the ports,
			 * when given (CASE_PKT_PORTS) */
	CASE_EV_CODE,	/* `%{ ... }%`: packetdrill's Python assertions over
			 * the socket's TCP_INFO at that time, run after the
			 * case (u.code) */
	CASE_EV_ICMP,	/* `< icmp TYPE [CODE] [mtu N] [[a:b(n)]]`: the rig
			 * sends an ICMP error about a segment the target
			 * sent (u.icmp) */
	CASE_EV_OBSERVE, /* `> any`: whatever the target sends during
			  * [at_us, until_us] is recorded, nothing is judged;
			  * u.pkt holds only the ports, as for QUIET */
};

enum case_time_kind {
	CASE_TIME_NONE, /* untimed backtick line: setup before the first timed
			 * event, or cleanup after the last one */
	CASE_TIME_ABS,	/* 0.1 or 0.1~0.2: from the start of the script */
	CASE_TIME_REL,	/* +0.1 or +0~+0.2: from the previous timed event */
	CASE_TIME_ANY,	/* *: whenever it comes (`>` lines only) */
};

/* Times are microseconds. Fields "as written" keep the script's numbers;
 * at_us / until_us are resolved on the script's clock, where the first
 * event is at 0 and a relative time counts from the start of the previous
 * timed event (`*` lines and untimed lines do not move that base). */
struct case_time {
	enum case_time_kind kind;
	int64_t us;	  /* as written: "+.1" -> 100000 */
	bool range;	  /* a~b: any time in [us, range_us] (`>` only;
			   * `> nothing` always has one) */
	int64_t range_us; /* as written, same base as us */
	bool blocking;	  /* a...b: a call that returns at end_us */
	int64_t end_us;	  /* as written, same base as us (packetdrill's
			   * rule: "+.1...0.2" ends 0.2 after the base) */
	int64_t at_us;	  /* resolved start; 0 for NONE and ANY */
	int64_t until_us; /* resolved end of the range or of the blocking
			   * call; at_us when there is neither */
};

/* Which fields a packet line wrote: the matcher checks only those. */
enum case_pkt_given {
	CASE_PKT_PORTS = 1 << 0,    /* sport>dport */
	CASE_PKT_ACK = 1 << 1,	    /* ack N */
	CASE_PKT_WIN = 1 << 2,	    /* win N (always on `<` lines) */
	CASE_PKT_URG = 1 << 3,	    /* urg N */
	CASE_PKT_OPTS = 1 << 4,	    /* an option list <...,...> */
	CASE_PKT_OPTS_ANY = 1 << 5, /* <...>: options not checked */
	/* An IP mark (parse_ipinfo.h), in seg.tos: */
	CASE_PKT_ECN = 1 << 6,	    /* [ect0] ...: the low two bits */
	CASE_PKT_ECT01 = 1 << 7,    /* [ect01]: ECT(0) or ECT(1), `>` only */
	CASE_PKT_TOS = 1 << 8,	    /* [tos 0xNN]: the whole byte */
	CASE_PKT_ECR_RANGE = 1 << 9, /* TS ecr A~B on a `>` line: ecr_hi is B */
};

/* seg holds the numbers as the script wrote them: seq is absolute on a
 * segment carrying SYN, relative to the sender's ISN otherwise (mapping is
 * the runner's job). Without an option list seg.nopts is 0 and neither
 * CASE_PKT_OPTS nor CASE_PKT_OPTS_ANY is set. */
struct case_packet {
	struct segment seg;
	unsigned given; /* enum case_pkt_given bits */
	uint32_t ecr_hi; /* CASE_PKT_ECR_RANGE: the TS ecr may be A..ecr_hi */
};

/* An ICMP error the rig sends about the target's segment seq:seq+len (in
 * the target's numbers, like a `>` line's; seq 0 when not given). Its names
 * are read in both families, as the case may run in either: msg is the
 * ICMPv4 message they name (when v4), msg6 the ICMPv6 one (when v6);
 * `unreachable port_unreachable` names one in each, `packet_too_big` only
 * ICMPv6's, `unreachable frag_needed` only ICMPv4's. */
struct case_icmp {
	struct icmp_error msg, msg6;
	bool v4, v6;
	int col; /* the type's column, for messages */
	uint32_t seq, len;
};

enum case_expr_kind {
	CASE_EXPR_INT,	    /* 4, 0x2, -1, or a symbol such as SO_LINGER */
	CASE_EXPR_ELLIPSIS, /* ...: the agent fills it (addresses, buffers) */
	CASE_EXPR_STRING,   /* "reno" */
	CASE_EXPR_OR,	    /* O_RDWR|O_NONBLOCK: kids[0] | kids[1] */
	CASE_EXPR_LIST,	    /* [1]: an int by reference (or an array) */
	CASE_EXPR_STRUCT,   /* {onoff=1, linger=0}: kids carry field names */
	CASE_EXPR_CALL,	    /* htons(8080), inet_addr("192.0.2.1") */
};

struct case_expr {
	enum case_expr_kind kind;
	int col;		/* where it starts on the line */
	int64_t num;		/* INT: the value (a symbol's resolved value);
				 * OR: the value of the whole expression */
	char *text;		/* INT: the symbol's name, or NULL for a number;
				 * STRING: the unescaped text; CALL: the name */
	char *field;		/* a STRUCT member's field name, else NULL */
	int field_col;		/* where that name starts on the line */
	bool count_given;	/* the field was written name(N)=: msg_iov(1)= */
	int64_t count;		/* that N; -1 for name(...)= */
	struct case_expr *kids; /* OR: 2 operands; LIST, STRUCT, CALL: items */
	size_t nkids;
};

/* Two calls are the runner's own, not the agent's:
 *	sock_state(RIG_PORT, TARGET_PORT) = STATE: each port a CASE_EXPR_INT
 *	  (0..65535, no symbol) or CASE_EXPR_ELLIPSIS (the case's default
 *	  connection); ret is the kernel's state number (TCP_ESTABLISHED 1 ..
 *	  TCP_NEW_SYN_RECV 12, include/net/tcp_states.h; NONE, no such socket,
 *	  is 0) and retname the name as written.
 *	nstat("NAME") = N: one CASE_EXPR_STRING of [A-Za-z0-9]+; ret (>= 0)
 *	  is how much the counter rose since the case started.
 * Neither takes an errno; a note in parentheses is allowed. */
struct case_call {
	char *name; /* "connect": one that case_call_find() knows */
	struct case_expr *args;
	size_t nargs;
	int64_t ret;   /* the expected return value */
	int err;       /* the expected errno, 0 when the line names none */
	char *errname; /* "EINPROGRESS", or NULL */
	char *retname; /* sock_state's "TIME_WAIT"; NULL for a number */
	char *note;    /* the text in parentheses after it, or NULL */
};

struct case_shell {
	char *cmd;    /* between the backticks, newlines kept; run with
		       * the script's directory as working directory */
	bool cleanup; /* untimed and after the timed events: run at the
		       * end of the case, whatever happened */
};

struct case_code {
	char *text; /* between %{ and }%, newlines kept, indentation as
		     * written (Python's business) */
};

struct case_event {
	enum case_event_kind kind;
	int line;   /* 1-based; a backtick command's opening line */
	char *text; /* the line as written (all lines of a command
		     * that spans several, joined by '\n') */
	struct case_time time;
	union {
		struct case_packet pkt;	 /* INJECT, EXPECT, QUIET */
		struct case_call call;	 /* CALL */
		struct case_shell shell; /* SHELL */
		struct case_code code;	 /* CODE */
		struct case_icmp icmp;	 /* ICMP */
	} u;
	char *outcome;		 /* `=> label`, '!' included; NULL if none */
	bool ends;		 /* `=> label end`: the case ends when it holds */
	struct case_event *alts; /* the `|` lines after it, in order: EXPECT,
				  * QUIET or CALL, each with its own line and
				  * text, the head's time and no alts */
	size_t nalts;
};

struct case_options {
	int64_t tolerance_usecs;  /* --tolerance_usecs=N; -1 if not given */
	double tolerance_percent; /* --tolerance_percent=N; -1 if not given */
	/* --ip_version=ipv4 (the default): AF_INET; ipv6: AF_INET6;
	 * ipv4-mapped-ipv6: AF_INET on the wire, v4_mapped: the target's
	 * sockets are AF_INET6 and their addresses ::ffff:a.b.c.d. Given, it
	 * pins the case to that family (run --family). */
	int family;
	bool v4_mapped;
	bool ip_version_given;
	uint16_t mss;		  /* --mss=N; 0 if not given */
	uint16_t mtu;		  /* --mtu=N, packetdrill's: the lab's path
				   * MTU (the MSS follows it); 0 if not given */
	bool strict_segments;	  /* --strict_segments: no `>` line met by pieces */
	bool loose_psh;		  /* --loose_psh: `>` lines' PSH not compared */
	/* --loose_segments: the target's data may be cut elsewhere than the
	 * `>` lines where it met the right edge of the rig's window (reseg.h) */
	bool loose_segments;
	/* --loose_acks: a pure ACK of the target's that a `>` pure-ACK line's
	 * ACK covers may come before it (run/fold.h) */
	bool loose_acks;
	/* --local_ip=A (the target's address) and --remote_ip=A (the rig's),
	 * packetdrill's names; the lab is made with them. */
	bool local_ip_given, remote_ip_given;
	struct in_addr local_ip, remote_ip;
	/* The same given as IPv6 addresses: the lab's IPv6 ends. */
	bool local_ip6_given, remote_ip6_given;
	struct in6_addr local_ip6, remote_ip6;
	/* --tcp_ts_tick_usecs=N: the target's TS clock tick; given, TS vals
	 * are checked under run --packetdrill too (as packetdrill does). */
	uint32_t ts_tick_usecs;
	/* --sysctl=NAME=VALUE, in script order: "NAME=VALUE" as sysctl -w
	 * takes it, NAME a net.* knob, VALUE the rest of the line (up to a
	 * comment) with the blanks around it trimmed. */
	char **sysctls;
	size_t nsysctls;
};

struct case_script {
	char *path;
	struct case_options opt;
	struct case_event *events;
	size_t nevents;
	/* "path:line:col: warning: ..." for things that parse but look wrong
	 * (wscale above 14); the caller decides whether to print them. */
	char **warnings;
	size_t nwarnings;
};

struct case_defines;

/* The parser is fed one line at a time, so that a file, a string or a fuzzer
 * can drive it. Its state lives here, never in globals; treat it as opaque. */
struct case_parser {
	char *path;
	int line;		   /* lines seen so far */
	bool failed;		   /* a line failed: only _free is left */
	struct case_script script; /* built so far */
	size_t cap;		   /* room in script.events */
	int64_t last_us;	   /* start of the previous timed event */
	bool timed;		   /* a timed event has been seen */
	int cleanup_line;	   /* the untimed shell line after the timed
				    * events, which must be the last event */
	int head_end_col;	   /* just past the last event's statement:
				    * where its missing `=> label` would go */
	bool in_comment;	   /* a C comment is open at the line's end */
	int comment_line, comment_col;
	char *comment_text;	 /* the line that opened it */
	bool in_shell;		 /* a backtick command is open */
	int shell_col;		 /* its opening backtick */
	struct case_event shell; /* the event being built */
	size_t shell_len;	 /* bytes in shell.u.shell.cmd */
	size_t text_len;	 /* bytes in shell.text */
	/* A statement that runs over several lines (an open bracket, an
	 * open %{ at a line's end): its lines so far, joined by '\n', and
	 * where it began. */
	char *pending;
	size_t pending_len;
	int pending_line;
	const struct case_defines *defs; /* -D names (case/defines.h), or NULL */
};

/* Returns -1 only when out of memory. */
int case_parser_init(struct case_parser *p, const char *path);
/* One line, with or without its '\n' (a '\r' before it is dropped too).
 * After a failure only case_parser_free() is useful. */
int case_parser_line(struct case_parser *p, const char *text, size_t len, struct tr_err *err);
/* Checks what only the end can tell (an unterminated comment or command),
 * moves the result into script, and frees the parser in every case. */
int case_parser_finish(struct case_parser *p, struct case_script *script, struct tr_err *err);
/* Frees a parser that will not be finished. */
void case_parser_free(struct case_parser *p);

int case_parse_file(const char *path, struct case_script *script, struct tr_err *err);
/* The same, with packetdrill's -D names given a value (defs may be NULL). */
int case_parse_file_defs(const char *path, const struct case_defines *defs,
			 struct case_script *script, struct tr_err *err);
/* name stands in for the path in messages. */
int case_parse_string(const char *name, const char *text, struct case_script *script,
		      struct tr_err *err);
void case_script_free(struct case_script *script);

/* The symbol table (syscall_names.c): names a call line may use, with this
 * machine's values. Lookups return 0, or -1 for an unknown name. */
struct case_call_sig {
	const char *name;
	unsigned min_args, max_args;
};

int case_symbol_value(const char *name, size_t len, int64_t *value);
int case_errno_value(const char *name, size_t len, int *value);
const char *case_errno_name(int value); /* NULL if it has no name */
const struct case_call_sig *case_call_find(const char *name, size_t len);
/* "TIME_WAIT" -> 6 (the kernel's numbers), "NONE" -> 0. */
int case_tcp_state_value(const char *name, size_t len, int64_t *value);

#endif
