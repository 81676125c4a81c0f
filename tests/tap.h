/* tap.h - a few lines of TAP 13 for C unit tests run by `meson test`.
 *
 * A test file calls tap_plan_none() once, then ok()/is_int()/is_str() as
 * often as it likes, and returns tap_done(): the plan is printed at the end,
 * so adding a check never means counting by hand.
 */
#ifndef TCPRIG_TAP_H
#define TCPRIG_TAP_H

#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

static int tap_n, tap_failed;

static inline bool ok(bool cond, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static inline bool ok(bool cond, const char *fmt, ...)
{
	va_list ap;
	char desc[2048];

	va_start(ap, fmt);
	vsnprintf(desc, sizeof(desc), fmt, ap);
	va_end(ap);
	/* A description may quote an error with its source line and caret;
	 * TAP allows one line per result, so the rest become diagnostics. */
	printf("%s %d - ", cond ? "ok" : "not ok", ++tap_n);
	for (const char *p = desc; *p; p++) {
		putchar(*p);
		if (*p == '\n' && p[1])
			fputs("# ", stdout);
	}
	printf("\n");
	if (!cond)
		tap_failed++;
	fflush(stdout);
	return cond;
}

#define is_int(got, want, ...)                                              \
	do {                                                                \
		long long g_ = (long long)(got), w_ = (long long)(want);    \
		if (!ok(g_ == w_, __VA_ARGS__))                             \
			printf("#   got %lld, want %lld\n", g_, w_);          \
	} while (0)

#define is_str(got, want, ...)                                              \
	do {                                                                \
		const char *g_ = (got), *w_ = (want);                       \
		if (!ok(g_ && w_ && strcmp(g_, w_) == 0, __VA_ARGS__))      \
			printf("#   got  '%s'\n#   want '%s'\n",            \
			       g_ ? g_ : "(null)", w_ ? w_ : "(null)");     \
	} while (0)

static inline void diag(const char *msg)
{
	printf("# %s\n", msg);
}

static inline int tap_done(void)
{
	printf("1..%d\n", tap_n);
	return tap_failed ? 1 : 0;
}

#endif
