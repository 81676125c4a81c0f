/* tcprig lab: persistent labs a user can enter with `ip netns exec`. */
#include <stdio.h>
#include <string.h>

#include "cmd/subcommands.h"
#include "lab/addr6.h"
#include "lab/lab.h"
#include "lab/registry.h"

#define LAB_DEFAULT_NAME "default"
#define LAB_LIST_MAX 256

static void lab_usage(FILE *f)
{
	fprintf(f,
		"Usage: %s lab up [NAME]     make a persistent lab (default name '%s')\n"
		"       %s lab down [NAME]   remove it\n"
		"       %s lab list          list tcprig labs and who made them\n"
		"       %s lab reap          remove labs whose creator is dead\n",
		prog_name, LAB_DEFAULT_NAME, prog_name, prog_name, prog_name);
}

static int lab_up(const char *name, struct tr_err *err)
{
	struct lab lab;

	if (lab_create(&lab, name, err))
		return -1;
	printf("lab %s is up:\n"
	       "  rig:    ip netns exec %s ...   (%s, no address; phantom %s and %s)\n"
	       "  target: ip netns exec %s ...   (%s, %s/%d and %s/%d)\n",
	       lab.name, lab.rig_ns, LAB_IFNAME_RIG, LAB_PHANTOM_ADDR, LAB_PHANTOM_ADDR6,
	       lab.target_ns, LAB_IFNAME_TARGET, LAB_TARGET_ADDR, LAB_PREFIXLEN,
	       LAB_TARGET_ADDR6, LAB_PREFIXLEN6);
	lab_close(&lab);
	return 0;
}

static int lab_print_list(struct tr_err *err)
{
	static struct lab_info labs[LAB_LIST_MAX];
	size_t n;

	if (lab_list(labs, LAB_LIST_MAX, &n, err))
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (labs[i].persistent)
			printf("%s\tpersistent\n", labs[i].name);
		else
			printf("%s\tcreator %d (%s)\n", labs[i].name,
			       labs[i].creator_pid,
			       labs[i].creator_alive ? "running" : "dead: stale");
	}
	return 0;
}

int lab_main(int argc, char *argv[])
{
	struct tr_err err = { 0 };
	const char *verb = argc > 1 ? argv[1] : NULL;
	const char *name = argc > 2 ? argv[2] : LAB_DEFAULT_NAME;
	unsigned reaped = 0;
	int rc;

	if (!verb || !strcmp(verb, "--help") || !strcmp(verb, "-h")) {
		lab_usage(verb ? stdout : stderr);
		return verb ? TR_OK : TR_USAGE;
	}
	if (argc > 3 || (argc > 2 && (!strcmp(verb, "list") || !strcmp(verb, "reap")))) {
		fprintf(stderr, "%s lab %s: unexpected argument '%s'\n",
			prog_name, verb, argv[argc - 1]);
		return TR_USAGE;
	}
	if (strcmp(verb, "up") && strcmp(verb, "down") && strcmp(verb, "list") &&
	    strcmp(verb, "reap")) {
		fprintf(stderr, "%s lab: unknown verb '%s'\n", prog_name, verb);
		lab_usage(stderr);
		return TR_USAGE;
	}
	if (lab_check_privileges(&err))
		goto fail;
	if (!strcmp(verb, "list"))
		rc = lab_print_list(&err);
	else if (!strcmp(verb, "down"))
		rc = lab_remove_by_name(name, &err);
	else if (lab_reap_stale(&reaped, &err))
		rc = -1;
	else if (!strcmp(verb, "up"))
		rc = lab_up(name, &err);
	else
		rc = printf("removed %u stale lab%s\n", reaped, reaped == 1 ? "" : "s") < 0;
	if (rc)
		goto fail;
	return TR_OK;
fail:
	fprintf(stderr, "%s lab %s: %s\n", prog_name, verb, err.msg);
	return err.status ? (int)err.status : TR_ENV;
}
