/* capture_settings.c - CAPTURE.settings read and written. */
#include "cmd/capture_settings.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case/override.h"
#include "run/casegen_knobs.h"

/* The largest file read: a few lines; more is not a settings file. */
#define SETTINGS_MAX_BYTES 65536

static int settings_load(struct capture_settings *s, struct tr_err *err)
{
	FILE *f = fopen(s->path, "r");
	size_t n;

	if (!f) {
		if (errno == ENOENT)
			return 0;
		return err_usage(err, "%s: %s", s->path, strerror(errno));
	}
	s->text = malloc(SETTINGS_MAX_BYTES + 1);
	if (!s->text) {
		fclose(f);
		return err_sys(err, "%s", s->path);
	}
	n = fread(s->text, 1, SETTINGS_MAX_BYTES + 1, f);
	fclose(f);
	if (n > SETTINGS_MAX_BYTES)
		return err_usage(err, "%s: over %d bytes: not a settings file", s->path,
				 SETTINGS_MAX_BYTES);
	s->text[n] = '\0';
	if (strlen(s->text) != n)
		return err_usage(err, "%s: a NUL byte: not a settings file", s->path);
	s->found = true;
	return 1;
}

/* One line (NUL-terminated, no newline): `--side V`, `--sysctl V`,
 * `--sysctl-at TIME V`, a comment or nothing. */
static int settings_line(struct capture_settings *s, char *line, unsigned no, struct tr_err *err)
{
	char *p = line + strspn(line, " \t"), *v, *end = line + strlen(line);
	struct tr_err e = { 0 };

	while (end > p && strchr(" \t\r", end[-1]))
		*--end = '\0';
	if (!*p || *p == '#')
		return 0;
	v = p + strcspn(p, " \t");
	if (*v)
		*v++ = '\0';
	v += strspn(v, " \t");
	if (strcmp(p, "--side") && strcmp(p, "--sysctl") && strcmp(p, "--sysctl-at"))
		return err_usage(err, "%s:%u:%d: '%s': only --side ADDRESS, --sysctl NAME=VALUE "
				 "and --sysctl-at TIME NAME=VALUE lines",
				 s->path, no, (int)(p - line) + 1, p);
	if (!*v)
		return err_usage(err, "%s:%u:%d: %s needs a value", s->path, no,
				 (int)(p - line) + 1, p);
	if (!strcmp(p, "--side")) {
		if (s->side)
			return err_usage(err, "%s:%u:%d: a second --side", s->path, no,
					 (int)(p - line) + 1);
		s->side = v;
		return 0;
	}
	if (!strcmp(p, "--sysctl-at")) {
		int col;

		if (s->nknobs == CAPTURE_SETTINGS_MAX)
			return err_usage(err, "%s:%u:%d: more than %d --sysctl-at lines", s->path, no,
					 (int)(p - line) + 1, CAPTURE_SETTINGS_MAX);
		if (casegen_knob_parse(v, &s->knobs[s->nknobs], &col, &e))
			return err_usage(err, "%s:%u:%d: %s", s->path, no,
					 (int)(v - line) + col, e.msg);
		s->nknobs++;
		return 0;
	}
	if (case_override_add(v, s->sysctls, &s->nsysctls, CAPTURE_SETTINGS_MAX, &e))
		return err_usage(err, "%s:%u:%d: %s", s->path, no, (int)(v - line) + 1, e.msg);
	return 0;
}

int capture_settings_read(const char *capture, struct capture_settings *s, struct tr_err *err)
{
	unsigned no = 0;
	int ret;

	memset(s, 0, sizeof(*s));
	if ((size_t)snprintf(s->path, sizeof(s->path), "%s.settings", capture) >= sizeof(s->path))
		return err_usage(err, "%s: path too long", capture);
	ret = settings_load(s, err);
	if (ret <= 0)
		return ret;
	for (char *line = s->text; line && *line;) {
		char *nl = strchr(line, '\n');

		if (nl)
			*nl = '\0';
		if (settings_line(s, line, ++no, err))
			return -1;
		line = nl ? nl + 1 : NULL;
	}
	casegen_knobs_sort(s->knobs, s->nknobs);
	return 0;
}

void capture_settings_free(struct capture_settings *s)
{
	free(s->text);
	memset(s, 0, sizeof(*s));
}

int capture_settings_write(const char *capture, const char *from, const char *rig_addr,
			   char *const *sysctls, size_t n, const struct run_result *res,
			   struct tr_err *err)
{
	char path[4200];
	FILE *f;

	if ((size_t)snprintf(path, sizeof(path), "%s.settings", capture) >= sizeof(path))
		return err_usage(err, "%s: path too long", capture);
	f = fopen(path, "w");
	if (!f)
		return err_sys(err, "%s", path);
	fprintf(f, "# What %s was recorded under (tcprig run --pcap):\n", from);
	fprintf(f, "# tcprig replay and pcap2case take it with the capture.\n");
	if (rig_addr)
		fprintf(f, "--side %s\n", rig_addr);
	for (size_t i = 0; i < n; i++)
		fprintf(f, "--sysctl %s\n", sysctls[i]);
	if (res && (res->nknobs || res->knobs_lost))
		fprintf(f, "# Changed by the case's shell lines, at the capture's time (tcpdump -tt):\n");
	for (unsigned i = 0; res && i < res->nknobs; i++) {
		char t[32];

		casegen_knob_time(res->knobs[i].real_us * 1000, t, sizeof(t));
		fprintf(f, "--sysctl-at %s %s\n", t, res->knobs[i].set);
	}
	if (res && res->knobs_lost)
		fprintf(f, "# (more changes, or longer values, than a settings file keeps: left out)\n");
	if (fclose(f))
		return err_sys(err, "%s", path);
	return 0;
}
