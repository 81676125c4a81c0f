/* registry.c - the labs under /run/netns: listing them, reaping stale
 * ones, removing one by name, checking the calling thread is on a rig side;
 * and the table of this process's throwaway labs for the signal cleanup. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "lab/lock.h"
#include "lab/netns.h"
#include "lab/registry.h"

/* How many throwaway labs one process may hold at once (parallel cases). */
#define LAB_SIGNAL_SLOTS 64
#define LAB_PATH_MAX (sizeof(NETNS_RUN_DIR) + LAB_NAME_MAX + 8)

/* The signal handler reads this table, so a slot is published in steps:
 * claimed (FILLING), paths written, then LIVE; the handler acts on LIVE only.
 * The paths are plain arrays: nothing in here may need malloc. */
enum lab_slot_state {
	LAB_SLOT_FREE,
	LAB_SLOT_FILLING,
	LAB_SLOT_LIVE,
};

struct lab_slot {
	atomic_int state;
	char rig_path[LAB_PATH_MAX];
	char target_path[LAB_PATH_MAX];
	char lock_path[LAB_LOCK_PATH_MAX];
};

_Static_assert(ATOMIC_INT_LOCK_FREE == 2, "the signal handler needs lock-free atomics");

static struct lab_slot lab_slots[LAB_SIGNAL_SLOTS];

static void lab_slot_paths(struct lab_slot *slot, const char *lab_name)
{
	snprintf(slot->rig_path, sizeof(slot->rig_path), "%s/%s%s", NETNS_RUN_DIR, lab_name,
		 LAB_SUFFIX_RIG);
	snprintf(slot->target_path, sizeof(slot->target_path), "%s/%s%s", NETNS_RUN_DIR,
		 lab_name, LAB_SUFFIX_TARGET);
	lab_lock_path(slot->lock_path, sizeof(slot->lock_path), lab_name);
}

int lab_register(const char *lab_name, struct tr_err *err)
{
	int i, expected;

	for (i = 0; i < LAB_SIGNAL_SLOTS; i++) {
		expected = LAB_SLOT_FREE;
		if (!atomic_compare_exchange_strong(&lab_slots[i].state, &expected,
						    LAB_SLOT_FILLING))
			continue;
		lab_slot_paths(&lab_slots[i], lab_name);
		atomic_store(&lab_slots[i].state, LAB_SLOT_LIVE);
		return 0;
	}
	return err_env(err, "lab: more than %d labs open in one process", LAB_SIGNAL_SLOTS);
}

void lab_unregister(const char *lab_name)
{
	char rig_path[LAB_PATH_MAX];
	int i;

	snprintf(rig_path, sizeof(rig_path), "%s/%s%s", NETNS_RUN_DIR, lab_name, LAB_SUFFIX_RIG);
	for (i = 0; i < LAB_SIGNAL_SLOTS; i++) {
		if (atomic_load(&lab_slots[i].state) == LAB_SLOT_LIVE &&
		    !strcmp(lab_slots[i].rig_path, rig_path)) {
			atomic_store(&lab_slots[i].state, LAB_SLOT_FREE);
			return;
		}
	}
}

static void lab_signal_cleanup(int sig)
{
	struct sigaction dfl;
	int saved = errno;
	int i;

	for (i = 0; i < LAB_SIGNAL_SLOTS; i++) {
		if (atomic_load(&lab_slots[i].state) != LAB_SLOT_LIVE)
			continue;
		netns_delete_path_signal_safe(lab_slots[i].rig_path);
		netns_delete_path_signal_safe(lab_slots[i].target_path);
		/* The lock itself goes with the process. */
		unlink(lab_slots[i].lock_path);
	}
	/* The signal stays blocked until we return, so re-raising it under the
	 * default disposition ends the process the way it was meant to. */
	memset(&dfl, 0, sizeof(dfl));
	dfl.sa_handler = SIG_DFL;
	sigemptyset(&dfl.sa_mask);
	sigaction(sig, &dfl, NULL);
	raise(sig);
	errno = saved;
}

void lab_install_signal_cleanup(void)
{
	static const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
	struct sigaction sa, old;
	size_t i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = lab_signal_cleanup;
	sigfillset(&sa.sa_mask);
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		/* A signal ignored on purpose (nohup) stays ignored. */
		if (sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler == SIG_IGN)
			continue;
		sigaction(sigs[i], &sa, NULL);
	}
}

int lab_ns_exists(const char *ns)
{
	char path[LAB_PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", NETNS_RUN_DIR, ns);
	return access(path, F_OK) == 0;
}

/* removed: this call took the rig namespace away. Of two concurrent
 * reapers only one can, so a lab is counted once. */
static int lab_remove_pair(const char *lab_name, bool *removed, struct tr_err *err)
{
	char ns[LAB_NAME_MAX + 8];

	snprintf(ns, sizeof(ns), "%s%s", lab_name, LAB_SUFFIX_TARGET);
	if (netns_delete(ns, NULL, err))
		return -1;
	snprintf(ns, sizeof(ns), "%s%s", lab_name, LAB_SUFFIX_RIG);
	return netns_delete(ns, removed, err);
}

/* Calls fn for each entry of /run/netns that names a lab's namespace (each
 * lab twice: its rig and its target); stops at fn's first -1. No
 * /run/netns: no lab, no error. */
static int lab_scan(int (*fn)(const struct lab_ns_name *ns, void *ctx, struct tr_err *err),
		    void *ctx, struct tr_err *err)
{
	struct lab_ns_name parsed;
	struct dirent *de;
	int ret = 0;
	DIR *dir = opendir(NETNS_RUN_DIR);

	if (!dir) {
		if (errno == ENOENT)
			return 0;
		return err_sys(err, "lab: open %s", NETNS_RUN_DIR);
	}
	while (!ret && (de = readdir(dir)))
		if (lab_parse_ns_name(de->d_name, &parsed))
			ret = fn(&parsed, ctx, err);
	closedir(dir);
	return ret;
}

static int lab_reap_one(const struct lab_ns_name *ns, void *ctx, struct tr_err *err)
{
	unsigned *reaped = ctx;
	bool removed;
	int fd, rc;

	if (ns->persistent || lab_lock_probe(ns->lab, &fd))
		return 0;
	/* Under its lock: no other reaper takes the same lab meanwhile. The
	 * partner entry, met later in the scan, is simply found gone. */
	rc = lab_remove_pair(ns->lab, &removed, err);
	if (fd >= 0)
		lab_lock_release(ns->lab, fd);
	if (rc)
		return -1;
	if (removed)
		(*reaped)++;
	return 0;
}

int lab_reap_stale(unsigned *reaped, struct tr_err *err)
{
	*reaped = 0;
	return lab_scan(lab_reap_one, reaped, err);
}

static int lab_info_cmp(const void *a, const void *b)
{
	const struct lab_info *x = a, *y = b;

	return strcmp(x->name, y->name);
}

struct lab_list_ctx {
	struct lab_info *out;
	size_t cap, n;
};

static int lab_list_one(const struct lab_ns_name *ns, void *ctx, struct tr_err *err)
{
	struct lab_list_ctx *l = ctx;
	struct lab_info *info;

	(void)err;
	for (size_t i = 0; i < l->n; i++)
		if (!strcmp(l->out[i].name, ns->lab))
			return 0;
	if (l->n == l->cap)
		return 0;
	info = &l->out[l->n++];
	memset(info, 0, sizeof(*info));
	snprintf(info->name, sizeof(info->name), "%s", ns->lab);
	info->persistent = ns->persistent;
	info->creator_pid = ns->pid;
	info->creator_alive = !ns->persistent && lab_lock_held(ns->lab);
	return 0;
}

int lab_list(struct lab_info *out, size_t cap, size_t *n, struct tr_err *err)
{
	struct lab_list_ctx l = { out, cap, 0 };
	int ret = lab_scan(lab_list_one, &l, err);

	*n = l.n;
	if (!ret)
		qsort(out, *n, sizeof(*out), lab_info_cmp);
	return ret;
}

int lab_remove_by_name(const char *name, struct tr_err *err)
{
	struct lab_ns_name parsed;
	char ns[LAB_NAME_MAX + 8];
	bool exists;
	int fd, rc;

	if (lab_resolve_name(name, &parsed, err))
		return -1;
	snprintf(ns, sizeof(ns), "%s%s", parsed.lab, LAB_SUFFIX_RIG);
	exists = lab_ns_exists(ns);
	snprintf(ns, sizeof(ns), "%s%s", parsed.lab, LAB_SUFFIX_TARGET);
	exists = exists || lab_ns_exists(ns);
	if (!exists)
		return err_usage(err, "no lab named '%s' (see `tcprig lab list`)", name);
	if (parsed.persistent)
		return lab_remove_pair(parsed.lab, NULL, err);
	/* A throwaway lab's lock file goes too once no owner holds it. */
	lab_lock_probe(parsed.lab, &fd);
	rc = lab_remove_pair(parsed.lab, NULL, err);
	lab_lock_release(parsed.lab, fd);
	return rc;
}

int lab_check_rig_side(const char *ifname, struct tr_err *err)
{
	struct lab_ns_name parsed;
	struct stat self, st;
	bool in_rig = false;
	struct dirent *de;
	DIR *dir;

	if (stat("/proc/thread-self/ns/net", &self))
		return err_sys(err, "lab: stat /proc/thread-self/ns/net");
	dir = opendir(NETNS_RUN_DIR);
	while (dir && !in_rig && (de = readdir(dir))) {
		if (!lab_parse_ns_name(de->d_name, &parsed) || parsed.side != LAB_SIDE_RIG)
			continue;
		if (fstatat(dirfd(dir), de->d_name, &st, 0) == 0 && st.st_dev == self.st_dev &&
		    st.st_ino == self.st_ino)
			in_rig = true;
	}
	if (dir)
		closedir(dir);
	if (in_rig && !strcmp(ifname, LAB_IFNAME_RIG))
		return 0;
	return err_usage(err,
			 "refusing to inject on '%s': not the rig side of a tcprig lab (name a "
			 "remote target explicitly to send elsewhere)",
			 ifname);
}
