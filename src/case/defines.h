/* defines.h - packetdrill's `-D NAME=VALUE`: names a script uses that the
 * command line gives a value (upstream's run_all.py passes TFO_COOKIE, CODE,
 * CMSG_LEVEL_IP, CMSG_TYPE_RECVERR). The lexer hands out a defined word as
 * its value: a number when the whole value is one (strtoll, base 0), a word
 * otherwise; a Fast Open cookie written as a name reads its value too.
 *
 * A table is filled once, before any case is parsed, and read only after;
 * values live as long as the table.
 */
#ifndef TCPRIG_CASE_DEFINES_H
#define TCPRIG_CASE_DEFINES_H

#include <stddef.h>

#include "core/err.h"

#define CASE_DEFINES_MAX 64

struct case_defines {
	size_t n;
	char *name[CASE_DEFINES_MAX];
	char *value[CASE_DEFINES_MAX];
};

/* "NAME=VALUE" (NAME a C identifier, VALUE anything, even empty); a later
 * definition of a name replaces the earlier one. Bad syntax is TR_USAGE
 * naming the offending text. */
int case_define_add(struct case_defines *d, const char *spec, struct tr_err *err);
/* The value of name[0..len), or NULL; d may be NULL (nothing defined). */
const char *case_define_find(const struct case_defines *d, const char *name, size_t len);
void case_defines_free(struct case_defines *d);

#endif
