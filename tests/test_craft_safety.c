/* The crafter's safety gate, against real namespaces: it opens only the rig
 * end of a tcprig lab, from inside that lab's rig namespace. */
#include <string.h>
#include <unistd.h>

#include "lab/lab.h"
#include "lab/registry.h"
#include "tap.h"
#include "wire/craft.h"

static void refused(const char *ifname, const char *where)
{
	struct tr_err err = { 0 };
	struct crafter *c = craft_open(ifname, CRAFT_LAB_ONLY, &err);

	ok(c == NULL, "'%s' %s: refused", ifname, where);
	if (c) {
		craft_close(c);
		return;
	}
	is_int(err.status, TR_USAGE, "'%s' %s: as a usage error", ifname, where);
	ok(strstr(err.msg, "refusing to inject") != NULL, "'%s' %s: says why: %s",
	   ifname, where, err.msg);
}

int main(void)
{
	struct tr_err err = { 0 };
	struct crafter *c;
	struct lab lab;
	int host;

	if (geteuid() != 0) {
		printf("1..0 # SKIP needs root (labs are network namespaces)\n");
		return 0;
	}
	lab_install_signal_cleanup();
	if (!ok(lab_create(&lab, NULL, &err) == 0, "lab up: %s", err.msg))
		return tap_done();
	host = lab_self_netns(&err);

	refused("lo", "in the host namespace");
	refused(LAB_IFNAME_RIG, "in the host namespace");

	ok(lab_enter(lab.target_nsfd, &err) == 0, "enter the target namespace");
	refused(LAB_IFNAME_TARGET, "in the target namespace");
	refused(LAB_IFNAME_RIG, "in the target namespace");

	ok(lab_enter(lab.rig_nsfd, &err) == 0, "enter the rig namespace");
	refused("lo", "in the rig namespace");
	c = craft_open(LAB_IFNAME_RIG, CRAFT_LAB_ONLY, &err);
	ok(c != NULL, "'%s' in the rig namespace: opens", LAB_IFNAME_RIG);
	craft_close(c);

	ok(lab_enter(host, &err) == 0, "back to the host namespace");
	close(host);
	ok(lab_destroy(&lab, &err) == 0, "lab down");
	return tap_done();
}
