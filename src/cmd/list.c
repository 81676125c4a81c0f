/* tcprig list: the cases, what each says it shows, its tags and sysctls. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "case/case.h"
#include "case/files.h"
#include "case/shard.h"
#include "case/meta.h"
#include "cmd/subcommands.h"

static void list_usage(FILE *f)
{
	fprintf(f,
		"Usage: %s list [--shard K/N] FILE|DIR...\n"
		"Lists case scripts (*.pkt; directories recursively, in name order) with the\n"
		"first sentence of each one's header comment, its tags, the net.* sysctls\n"
		"it sets and the outcomes it names (`=> label`, by line). Nothing is run; a\n"
		"case that does not parse is an error (exit 2).\n"
		"  --shard K/N  only the K-th of N stable slices of the cases, as run and\n"
		"               matrix take them\n",
		prog_name);
}

/* "outcomes: l.26 ack|rst!|nothing": each labelled line with its alternatives. */
static void list_outcomes(const struct case_script *s)
{
	bool any = false;

	for (size_t i = 0; i < s->nevents; i++) {
		const struct case_event *ev = &s->events[i];

		if (!ev->outcome)
			continue;
		printf("%s l.%d %s", any ? "," : "    outcomes:", ev->line, ev->outcome);
		for (size_t j = 0; j < ev->nalts; j++)
			printf("|%s", ev->alts[j].outcome);
		any = true;
	}
	if (any)
		printf("\n");
}

static void list_print(const char *path, const struct case_meta *m)
{
	printf("%s\n", path);
	if (m->description[0])
		printf("    %s\n", m->description);
	if (m->tags[0])
		printf("    tags: %s\n", m->tags);
	if (m->nsysctls) {
		printf("    sysctls:");
		for (size_t i = 0; i < m->nsysctls; i++)
			printf("%s %s", i ? "," : "", m->sysctls[i]);
		printf("\n");
	}
}

int list_main(int argc, char *argv[])
{
	static struct case_files files;
	struct tr_err err = { 0 };
	struct case_shard shard = { 1, 1 };
	int status = TR_OK;

	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		list_usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? TR_USAGE : TR_OK;
	}
	for (int i = 1; i < argc; i++) {
		const char *sh = !strcmp(argv[i], "--shard") ? argv[i + 1] :
				 !strncmp(argv[i], "--shard=", 8) ? argv[i] + 8 : NULL;

		if (!strcmp(argv[i], "--shard") && !sh) {
			err_usage(&err, "--shard needs K/N");
			goto fail;
		}
		if (sh) {
			if (case_shard_parse(sh, &shard, &err))
				goto fail;
			i += !strcmp(argv[i], "--shard");
			continue;
		}
		if (argv[i][0] == '-') {
			err_usage(&err, "unknown option '%s'", argv[i]);
			goto fail;
		}
		if (case_files_add(&files, argv[i], &err))
			goto fail;
	}
	case_shard_apply(&shard, &files, NULL);
	for (size_t i = 0; i < files.n; i++) {
		struct case_script script;
		struct case_meta meta;
		int rc;

		if (case_parse_file(files.paths[i], &script, &err))
			goto fail;
		rc = case_meta_read(&script, &meta, &err);
		if (!rc) {
			list_print(files.paths[i], &meta);
			list_outcomes(&script);
		}
		case_script_free(&script);
		if (rc)
			goto fail;
	}
	goto out;
fail:
	fprintf(stderr, "%s list: %s\n", prog_name, err.msg);
	status = err.status ? (int)err.status : TR_ENV;
out:
	case_files_free(&files);
	return status;
}
