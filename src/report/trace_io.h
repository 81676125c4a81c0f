/* trace_io.h - a trace as text: what a run -j worker hands its parent over a
 * pipe, and the hand-written input of the ladder's golden tests. One event a
 * line, every field named, so a person can write one from memory and a diff
 * of two traces reads like a diff of two runs.
 *
 *	file     = { blank | comment } header { event | overflow | blank | comment }
 *	header   = "tcprig-trace 1"
 *	event    = kind { sp field }
 *	kind     = "send" | "recv" | "missing" | "quiet" | "call" | "check" | "shell"
 *	field    = name "=" value
 *	overflow = "overflow"        (the run dropped events after TRACE_MAX)
 *	comment  = "#" ...           (a line whose first non-blank is '#')
 *	sp       = 1*( " " | TAB )   (leading and trailing blanks, a final CR: ignored)
 *
 *	name      value                                  if omitted
 *	t         time: when it happened                 (required)
 *	line      0..2147483647: the case line           0
 *	status    ok | failed | unexpected | not-run     ok
 *	wire      none | ok | lost | late                none
 *	wire_t    time: when the target capture saw it   t
 *	end       time: window end, call return          t
 *	outcome   string                                 ""
 *	field     string: the first differing field      ""
 *	expected  string: the case line as written       ""
 *	actual    string: what happened                  ""
 *	note      string: why it failed                  ""
 *
 *	time     = [ "-" ] 1*digit [ "." 1*6digit ]      seconds, exact to the us
 *	string   = '"' { byte | "\\" | "\"" | "\n" | "\t" | "\r" | "\x" 2hexdigit } '"'
 *	byte     = any but '"', '\' and NUL; "\x00" is refused too
 *
 * Fields come in any order, each at most once; an unknown kind or field is
 * an error, never skipped, so that a typo cannot pass for a default. A
 * string longer than its field in struct trace_event is cut to fit.
 * trace_write writes every field, in the order of the table above, and
 * escapes every control byte, so that what it writes reads back to the same
 * bytes. trace_read stops at the first error; the events read before it
 * stay in the trace, for the caller to free.
 *
 *	tcprig-trace 1
 *	# the rig's SYN, and an RST where the SYN-ACK should be
 *	send t=0.000112 line=5 expected="< S 0:0(0) win 32792" actual="40000>8080 S 0:0(0)"
 *	recv t=0.000301 line=6 status=failed field="tcp flags" actual="8080>40000 R 1:1(0)"
 */
#ifndef TCPRIG_REPORT_TRACE_IO_H
#define TCPRIG_REPORT_TRACE_IO_H

#include <stdio.h>

#include "core/err.h"
#include "core/trace.h"

#define TRACE_IO_HEADER "tcprig-trace"
#define TRACE_IO_VERSION "1"

/* Writes t in the text form; -1 on a write error. */
int trace_write(FILE *f, const struct trace *t);
/* Appends what f holds to t; errors name "name:line: what". */
int trace_read(FILE *f, const char *name, struct trace *t, struct tr_err *err);

#endif
