/* capture_settings.h - what a capture was recorded under, in a small text
 * file beside it (CAPTURE.settings), so that replaying it asks the target
 * the same question.
 *
 * `tcprig run --pcap DIR` writes DIR/<case>.pcap.settings for each case:
 * the side the rig played (its address) and the sysctls the case ran under
 * (its --sysctl lines with run's --sysctl over them). `replay` and
 * `pcap2case` read the file when it exists beside the capture they are
 * given, unless told --no-settings; a user may write one for any capture.
 * The format: lines of `--side client|server|ADDRESS` (once) and `--sysctl
 * NAME=VALUE` (as on the command line, blanks between a value's fields),
 * `--sysctl-at TIME NAME=VALUE` (a knob changed on the way, at TIME on the
 * capture's clock: run/casegen_knobs.h), `#` comments, blank lines.
 * Anything else is bad input at FILE:LINE:COL.
 */
#ifndef TCPRIG_CMD_CAPTURE_SETTINGS_H
#define TCPRIG_CMD_CAPTURE_SETTINGS_H

#include <stdbool.h>
#include <stddef.h>

#include "core/err.h"
#include "core/result.h"
#include "run/casegen_opts.h"

#define CAPTURE_SETTINGS_MAX 16 /* sysctls */

struct capture_settings {
	bool found;         /* the file exists (else nothing below is set) */
	char path[4200];    /* CAPTURE.settings */
	char *side;         /* NULL: not said */
	char *sysctls[CAPTURE_SETTINGS_MAX];
	size_t nsysctls;
	struct casegen_knob knobs[CAPTURE_SETTINGS_MAX]; /* in time order */
	size_t nknobs;
	char *text;         /* the file, the strings above point into it */
};

/* Reads capture's settings file; found is false (and 0 returned) when
 * there is none. */
int capture_settings_read(const char *capture, struct capture_settings *s, struct tr_err *err);
void capture_settings_free(struct capture_settings *s);

/* Writes capture's settings file: where it came from (a comment), the
 * rig's address (NULL: not known, no --side line), the sysctls and the
 * knobs the case changed on the way (a run's result; NULL: none). */
int capture_settings_write(const char *capture, const char *from, const char *rig_addr,
			   char *const *sysctls, size_t n, const struct run_result *res,
			   struct tr_err *err);

#endif
