/* test_ladder.c - the ladder looks the way its golden files say.
 *
 *	test_ladder [--update] DIR | FILE.trace...
 *
 * For every X.trace (all of DIR's, or those named), the trace is read with
 * trace_read and drawn with ladder_print; X.txt holds the drawing without
 * colour, X.colour.txt with it, and each one present must match byte for
 * byte. A trace with neither is a failure: a golden test that compares
 * nothing passes vacuously. --update writes what is drawn into the files
 * that exist (X.txt when none does): then read them, they define the look.
 */
#include "report/ladder.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "report/trace_io.h"
#include "tap.h"

static bool update;

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t cap = 0, n = 0, got;

	if (!f)
		return NULL;
	do {
		if (n + 4096 > cap) {
			char *nb = realloc(buf, cap = cap * 2 + 4096);

			if (!nb) {
				free(buf);
				fclose(f);
				return NULL;
			}
			buf = nb;
		}
		got = fread(buf + n, 1, cap - n - 1, f);
		n += got;
	} while (got > 0);
	fclose(f);
	buf[n] = '\0';
	*len = n;
	return buf;
}

static bool exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

static char *render(const struct trace *t, const struct ladder_opts *o, size_t *len)
{
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);

	if (!f)
		return NULL;
	ladder_print(f, t, o);
	fclose(f);
	return buf;
}

/* One line of a diff hint, ESC shown as "\e" so that TAP output stays
 * plain text. */
static void diag_line(char sign, const char *s, size_t len)
{
	printf("#   %c", sign);
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\033')
			fputs("\\e", stdout);
		else
			putchar(s[i]);
	}
	putchar('\n');
}

/* Splits s into its lines (in place: the newlines become NULs). */
static size_t split_lines(char *s, char ***out)
{
	size_t n = 0;
	char **v = NULL;

	while (*s) {
		char **nv = realloc(v, (n + 1) * sizeof(*v));

		if (!nv)
			break;
		v = nv;
		v[n++] = s;
		s += strcspn(s, "\n");
		if (*s)
			*s++ = '\0';
	}
	*out = v;
	return n;
}

/* A unified-diff-ish hint: the lines between the common head and the common
 * tail, eight of each side at most, after two lines of context. */
static void diff_hint(const char *want, const char *got)
{
	char *w = strdup(want), *g = strdup(got), **wl, **gl;
	size_t nw = split_lines(w, &wl), ng = split_lines(g, &gl), k = 0, ew = nw, eg = ng;

	while (k < nw && k < ng && !strcmp(wl[k], gl[k]))
		k++;
	while (ew > k && eg > k && !strcmp(wl[ew - 1], gl[eg - 1])) {
		ew--;
		eg--;
	}
	printf("#   @@ line %zu @@\n", k + 1);
	for (size_t c = k >= 2 ? k - 2 : 0; c < k; c++)
		diag_line(' ', wl[c], strlen(wl[c]));
	for (size_t c = k; c < ew && c < k + 8; c++)
		diag_line('-', wl[c], strlen(wl[c]));
	for (size_t c = k; c < eg && c < k + 8; c++)
		diag_line('+', gl[c], strlen(gl[c]));
	free(wl);
	free(gl);
	free(w);
	free(g);
}

static void check_golden(const char *name, const struct trace *t, const char *golden, bool colour)
{
	struct ladder_opts o = {.colour = colour};
	size_t glen = 0, wlen = 0;
	char *got = render(t, &o, &glen), *want;

	if (!got) {
		ok(false, "%s: rendered", golden);
		return;
	}
	if (update) {
		FILE *f = fopen(golden, "wb");

		ok(f && fwrite(got, 1, glen, f) == glen && fclose(f) == 0, "%s: written", golden);
		free(got);
		return;
	}
	want = slurp(golden, &wlen);
	if (!ok(want && wlen == glen && memcmp(want, got, glen) == 0, "%s: ladder of %s%s", golden,
		name, colour ? " in colour" : "")) {
		if (!want)
			printf("#   cannot read %s\n", golden);
		else
			diff_hint(want, got);
		printf("#   (if the new look is right: test_ladder --update %s)\n", name);
	}
	free(want);
	free(got);
}

static void check_trace(const char *path)
{
	size_t n = strlen(path), base = n - strlen(".trace");
	char *txt = malloc(n + 16), *ctxt = malloc(n + 16);
	struct trace t = {0};
	struct tr_err err = {0};
	FILE *f = fopen(path, "r");
	int ret;

	memcpy(txt, path, base);
	strcpy(txt + base, ".txt");
	memcpy(ctxt, path, base);
	strcpy(ctxt + base, ".colour.txt");

	ret = f ? trace_read(f, path, &t, &err) : -1;
	if (f)
		fclose(f);
	if (!ok(ret == 0, "%s reads", path)) {
		printf("#   %s\n", f ? err.msg : "cannot open");
	} else {
		bool plain = exists(txt), colour = exists(ctxt);

		if (!plain && !colour && !update)
			ok(false, "%s has a golden file (%s or %s)", path, txt, ctxt);
		if (plain || (!colour && update))
			check_golden(path, &t, txt, false);
		if (colour)
			check_golden(path, &t, ctxt, true);
	}
	trace_free(&t);
	free(txt);
	free(ctxt);
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcmp(s + n - m, suffix) == 0;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The directory's traces in name order, so TAP numbers stay put. */
static size_t check_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char **names = NULL;
	size_t n = 0;

	if (!d)
		return 0;
	while ((de = readdir(d))) {
		char **nn;

		if (!ends_with(de->d_name, ".trace"))
			continue;
		nn = realloc(names, (n + 1) * sizeof(*names));
		if (!nn)
			break;
		names = nn;
		names[n] = malloc(strlen(dir) + strlen(de->d_name) + 2);
		sprintf(names[n++], "%s/%s", dir, de->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof(*names), by_name);
	for (size_t i = 0; i < n; i++) {
		check_trace(names[i]);
		free(names[i]);
	}
	free(names);
	return n;
}

static struct trace small_trace(void)
{
	struct trace t = {0};
	struct trace_event *e;

	e = trace_add(&t, TRACE_CALL, 1, 0);
	snprintf(e->expected, sizeof(e->expected), "socket(..., SOCK_STREAM, IPPROTO_TCP) = 3");
	e = trace_add(&t, TRACE_SEND, 2, 100);
	snprintf(e->actual, sizeof(e->actual), "40000>8080 S 0:0(0) win 32792");
	e = trace_add(&t, TRACE_RECV, 3, 200);
	e->status = TRACE_FAILED;
	snprintf(e->actual, sizeof(e->actual), "8080>40000 R. 0:0(0) ack 1 win 0");
	snprintf(e->expected, sizeof(e->expected), "> S. 0:0(0) ack 1");
	snprintf(e->field, sizeof(e->field), "tcp flags");
	return t;
}

static void test_ladder_indents_every_row(void)
{
	struct trace t = small_trace();
	size_t plen, ilen;
	char *plain = render(&t, &(struct ladder_opts){0}, &plen);
	char *ind = render(&t, &(struct ladder_opts){.indent = "  # "}, &ilen);
	const char *p = plain, *q = ind;
	bool same = plain && ind;

	while (same && *p) {
		size_t n = strcspn(p, "\n") + 1;

		same = strncmp(q, "  # ", 4) == 0 && strncmp(q + 4, p, n) == 0;
		p += n;
		q += 4 + n;
	}
	ok(same && *q == '\0', "every row, failure block included, starts with the indent");
	free(plain);
	free(ind);
	trace_free(&t);
}

static void test_ladder_colour_resets_every_row(void)
{
	struct trace t = small_trace();
	size_t len;
	char *out = render(&t, &(struct ladder_opts){.colour = true}, &len);
	char *plain = render(&t, &(struct ladder_opts){0}, &len);
	bool resets = out != NULL;

	for (char *p = out; resets && p && *p; p = strchr(p, '\n') + 1) {
		size_t n = strcspn(p, "\n");

		resets = n >= 4 && strncmp(p + n - 4, "\033[0m", 4) == 0;
		if (!p[n])
			break;
	}
	ok(resets, "in colour, every row ends with a reset");
	ok(plain && !strchr(plain, '\033'), "without colour, no escape at all");
	free(out);
	free(plain);
	trace_free(&t);
}

static void test_ladder_hides_control_bytes(void)
{
	struct trace t = {0};
	struct trace_event *e = trace_add(&t, TRACE_RECV, 4, 0);
	size_t len;
	char *out;

	snprintf(e->actual, sizeof(e->actual), "evil\033[2Jline\nbreak");
	e->status = TRACE_FAILED;
	snprintf(e->note, sizeof(e->note), "\033]0;title\007");
	out = render(&t, &(struct ladder_opts){0}, &len);
	ok(out && !strchr(out, '\033') && !strchr(out, '\007'),
	   "an escape in a trace never reaches the terminal");
	ok(out && strstr(out, "evil?[2Jline?break"), "and a newline in a label cannot break a row");
	free(out);
	trace_free(&t);
}

static void test_ladder_want_colour(void)
{
	char *buf = NULL;
	size_t len;
	FILE *f = open_memstream(&buf, &len);

	ok(!ladder_want_colour(f), "no colour for a stream that is not a terminal");
	fclose(f);
	free(buf);
}

int main(int argc, char **argv)
{
	int i = 1;
	size_t n = 0;

	if (i < argc && !strcmp(argv[i], "--update")) {
		update = true;
		i++;
	}
	if (i >= argc) {
		fprintf(stderr, "usage: test_ladder [--update] DIR | FILE.trace...\n");
		return 2;
	}
	for (; i < argc; i++) {
		if (ends_with(argv[i], ".trace")) {
			check_trace(argv[i]);
			n++;
		} else {
			n += check_dir(argv[i]);
		}
	}
	ok(n > 0, "golden traces found (%zu)", n);
	test_ladder_indents_every_row();
	test_ladder_colour_resets_every_row();
	test_ladder_hides_control_bytes();
	test_ladder_want_colour();
	return tap_done();
}
