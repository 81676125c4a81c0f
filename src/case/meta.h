/* meta.h - what a case says about itself in its header, the comment
 * lines before its first event: a one-line description (its first sentence),
 * tags (`// tags: slow, needs-knob:net.ipv4.x`), and the net.* sysctls it
 * touches (--sysctl options and sysctl shell lines). Read from the file's
 * text, since the parser drops comments. */
#ifndef TCPRIG_CASE_META_H
#define TCPRIG_CASE_META_H

#include <stdbool.h>
#include <stddef.h>

#include "case/case.h"
#include "core/err.h"

#define CASE_META_SYSCTLS 16

struct case_meta {
	char description[160];
	char tags[256];		/* as written, "slow, needs-knob:..." */
	char sysctls[CASE_META_SYSCTLS][64];
	size_t nsysctls;
};

int case_meta_read(const struct case_script *s, struct case_meta *m, struct tr_err *err);
bool case_meta_has_tag(const struct case_meta *m, const char *tag);
/* `// tags: slow` in the case's header: run only when asked (--slow). */
bool case_meta_is_slow(const struct case_script *s);

#endif
