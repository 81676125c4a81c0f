/* err.h - an error travels up as a message plus the exit status it calls for.
 *
 * Library code never prints or exits: it fills a struct tr_err and returns -1.
 * Only a subcommand's *_main decides what to print and which status to exit with
 * (2: bad input or usage, 3: the environment cannot run this).
 */
#ifndef TCPRIG_ERR_H
#define TCPRIG_ERR_H

enum tr_status {
	TR_OK = 0,
	TR_FAILED = 1,  /* a case ran and did not hold */
	TR_USAGE = 2,   /* bad input: nothing was sent */
	TR_ENV = 3,     /* could not run: privileges, netns, missing knob */
};

struct tr_err {
	enum tr_status status;
	char msg[1024];
	/* The 1-based column of the input line the error is about, when the
	 * code that found it reads a parsed line but not its text (a socket
	 * call's argument): whoever holds the line's path and text places it
	 * (path:line:col and a caret). 0: none; every err_* call resets it. */
	int col;
};

/* Both return -1 so that callers can write `return err_usage(e, ...);`. */
int err_usage(struct tr_err *e, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int err_env(struct tr_err *e, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* A TR_USAGE error about column col of the line being read (see col). */
int err_usage_at(struct tr_err *e, int col, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Environment error with ": strerror(errno)" appended. */
int err_sys(struct tr_err *e, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
