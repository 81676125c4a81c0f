#include "core/err.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int err_vset(struct tr_err *e, enum tr_status status, const char *fmt,
		    va_list ap)
{
	if (!e)
		return -1;
	e->status = status;
	e->col = 0;
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	return -1;
}

int err_usage(struct tr_err *e, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	err_vset(e, TR_USAGE, fmt, ap);
	va_end(ap);
	return -1;
}

int err_usage_at(struct tr_err *e, int col, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	err_vset(e, TR_USAGE, fmt, ap);
	va_end(ap);
	if (e)
		e->col = col;
	return -1;
}

int err_env(struct tr_err *e, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	err_vset(e, TR_ENV, fmt, ap);
	va_end(ap);
	return -1;
}

int err_sys(struct tr_err *e, const char *fmt, ...)
{
	int saved = errno;
	va_list ap;
	size_t n;

	va_start(ap, fmt);
	err_vset(e, TR_ENV, fmt, ap);
	va_end(ap);
	if (e) {
		n = strlen(e->msg);
		snprintf(e->msg + n, sizeof(e->msg) - n, ": %s", strerror(saved));
	}
	errno = saved;
	return -1;
}
