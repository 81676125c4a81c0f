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
};

/* Both return -1 so that callers can write `return err_usage(e, ...);`. */
int err_usage(struct tr_err *e, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int err_env(struct tr_err *e, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Environment error with ": strerror(errno)" appended. */
int err_sys(struct tr_err *e, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
