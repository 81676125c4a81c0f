/* lab.c - throwaway (rig, target) namespace pairs joined by a veth. */
#include "lab.h"

#include <arpa/inet.h>
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

#include "ethtool.h"
#include "netns.h"
#include "rtnl.h"

#define LAB_KEEP_PREFIX LAB_PREFIX "keep-"
#define LAB_SUFFIX_RIG "-rig"
#define LAB_SUFFIX_TARGET "-tgt"
#define LAB_KEEP_NAME_MAX 20
#define LAB_DEFAULT_MTU 1500
#define LAB_MIN_MTU 68
#define LAB_MAX_MTU 65535
/* How many throwaway labs one process may hold at once (parallel cases). */
#define LAB_SIGNAL_SLOTS 64
#define LAB_PATH_MAX (sizeof(NETNS_RUN_DIR) + LAB_NAME_MAX + 8)
#define LAB_CREATE_TRIES 16

enum lab_side {
	LAB_SIDE_RIG,
	LAB_SIDE_TARGET,
};

/* What a name under /run/netns says about the lab it belongs to. */
struct lab_ns_name {
	char lab[LAB_NAME_MAX];
	enum lab_side side;
	bool persistent;
	int pid;   /* creator, 0 for a persistent lab */
};

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
};

_Static_assert(ATOMIC_INT_LOCK_FREE == 2,
	       "the signal handler needs lock-free atomics");

static struct lab_slot lab_slots[LAB_SIGNAL_SLOTS];
static atomic_uint lab_counter;

static bool lab_is_digits(const char *s, size_t len)
{
	size_t i;

	if (len == 0)
		return false;
	for (i = 0; i < len; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

/* ASCII only, whatever the locale says is a letter. */
static bool lab_is_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_';
}

static bool lab_keep_name_valid(const char *name)
{
	size_t i, len = strlen(name);

	if (len == 0 || len > LAB_KEEP_NAME_MAX)
		return false;
	for (i = 0; i < len; i++)
		if (!lab_is_name_char(name[i]))
			return false;
	return true;
}

/* Parses a lab name ("tcprig-1234-0", "tcprig-keep-demo") of len bytes. */
static bool lab_parse_lab_name(const char *s, size_t len,
			       struct lab_ns_name *out)
{
	size_t plen = strlen(LAB_PREFIX), klen = strlen(LAB_KEEP_PREFIX);
	char keep[LAB_KEEP_NAME_MAX + 1];
	const char *body, *dash;
	size_t blen;
	long pid;

	if (len >= sizeof(out->lab) || len <= plen ||
	    strncmp(s, LAB_PREFIX, plen))
		return false;
	memcpy(out->lab, s, len);
	out->lab[len] = '\0';
	if (len > klen && !strncmp(s, LAB_KEEP_PREFIX, klen)) {
		if (len - klen > LAB_KEEP_NAME_MAX)
			return false;
		memcpy(keep, s + klen, len - klen);
		keep[len - klen] = '\0';
		out->persistent = true;
		out->pid = 0;
		return lab_keep_name_valid(keep);
	}
	body = s + plen;
	blen = len - plen;
	dash = memchr(body, '-', blen);
	if (!dash || !lab_is_digits(body, dash - body) ||
	    !lab_is_digits(dash + 1, blen - (dash - body) - 1) ||
	    dash - body > 9)
		return false;
	pid = strtol(body, NULL, 10);
	if (pid <= 0)
		return false;
	out->persistent = false;
	out->pid = (int)pid;
	return true;
}

/* Parses a namespace name: a lab name plus "-rig" or "-tgt". */
static bool lab_parse_ns_name(const char *ns, struct lab_ns_name *out)
{
	size_t len = strlen(ns), slen = strlen(LAB_SUFFIX_RIG);

	if (len <= slen)
		return false;
	if (!strcmp(ns + len - slen, LAB_SUFFIX_RIG))
		out->side = LAB_SIDE_RIG;
	else if (!strcmp(ns + len - slen, LAB_SUFFIX_TARGET))
		out->side = LAB_SIDE_TARGET;
	else
		return false;
	return lab_parse_lab_name(ns, len - slen, out);
}

/* A user's name for a lab: the full "tcprig-..." name, or the NAME of a
 * persistent lab. */
static int lab_resolve_name(const char *name, struct lab_ns_name *out,
			    struct tr_err *err)
{
	char full[LAB_NAME_MAX];

	if (!strncmp(name, LAB_PREFIX, strlen(LAB_PREFIX))) {
		if (lab_parse_lab_name(name, strlen(name), out))
			return 0;
	} else if (lab_keep_name_valid(name)) {
		snprintf(full, sizeof(full), "%s%s", LAB_KEEP_PREFIX, name);
		if (lab_parse_lab_name(full, strlen(full), out))
			return 0;
	}
	return err_usage(err,
			 "bad lab name '%s': expected a name of letters, digits and '_' (up to %d), or %s<pid>-<n>",
			 name, LAB_KEEP_NAME_MAX, LAB_PREFIX);
}

static void lab_init(struct lab *lab, const char *name, bool persistent)
{
	memset(lab, 0, sizeof(*lab));
	snprintf(lab->name, sizeof(lab->name), "%s", name);
	snprintf(lab->rig_ns, sizeof(lab->rig_ns), "%s%s", name,
		 LAB_SUFFIX_RIG);
	snprintf(lab->target_ns, sizeof(lab->target_ns), "%s%s", name,
		 LAB_SUFFIX_TARGET);
	lab->rig_nsfd = -1;
	lab->target_nsfd = -1;
	lab->family = AF_INET;
	inet_pton(AF_INET, LAB_TARGET_ADDR, &lab->target_addr);
	inet_pton(AF_INET, LAB_PHANTOM_ADDR, &lab->phantom_addr);
	lab->persistent = persistent;
}

static void lab_slot_paths(struct lab_slot *slot, const struct lab *lab)
{
	snprintf(slot->rig_path, sizeof(slot->rig_path), "%s/%s",
		 NETNS_RUN_DIR, lab->rig_ns);
	snprintf(slot->target_path, sizeof(slot->target_path), "%s/%s",
		 NETNS_RUN_DIR, lab->target_ns);
}

static int lab_register(const struct lab *lab, struct tr_err *err)
{
	int i, expected;

	for (i = 0; i < LAB_SIGNAL_SLOTS; i++) {
		expected = LAB_SLOT_FREE;
		if (!atomic_compare_exchange_strong(&lab_slots[i].state,
						    &expected,
						    LAB_SLOT_FILLING))
			continue;
		lab_slot_paths(&lab_slots[i], lab);
		atomic_store(&lab_slots[i].state, LAB_SLOT_LIVE);
		return 0;
	}
	return err_env(err, "lab: more than %d labs open in one process",
		       LAB_SIGNAL_SLOTS);
}

static void lab_unregister(const struct lab *lab)
{
	char rig_path[LAB_PATH_MAX];
	int i;

	snprintf(rig_path, sizeof(rig_path), "%s/%s", NETNS_RUN_DIR,
		 lab->rig_ns);
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
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
	struct sigaction sa, old;
	size_t i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = lab_signal_cleanup;
	sigfillset(&sa.sa_mask);
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		/* A signal ignored on purpose (nohup) stays ignored. */
		if (sigaction(sigs[i], NULL, &old) == 0 &&
		    old.sa_handler == SIG_IGN)
			continue;
		sigaction(sigs[i], &sa, NULL);
	}
}

int lab_check_privileges(struct tr_err *err)
{
	static const struct {
		int bit;
		const char *name;
	} caps[] = {
		{ 13, "CAP_NET_RAW" },
		{ 12, "CAP_NET_ADMIN" },
		{ 21, "CAP_SYS_ADMIN" },
	};
	char line[256], missing[64] = "";
	unsigned long long eff = 0;
	bool found = false;
	size_t i;
	FILE *f;

	f = fopen("/proc/self/status", "re");
	if (f) {
		while (fgets(line, sizeof(line), f)) {
			if (!strncmp(line, "CapEff:", 7)) {
				eff = strtoull(line + 7, NULL, 16);
				found = true;
				break;
			}
		}
		fclose(f);
	}
	/* Without a readable CapEff, root is the best guess we have. */
	if (!found && geteuid() == 0)
		eff = ~0ULL;
	for (i = 0; i < sizeof(caps) / sizeof(caps[0]); i++) {
		if (eff & (1ULL << caps[i].bit))
			continue;
		if (missing[0])
			strcat(missing, ", ");
		strcat(missing, caps[i].name);
	}
	if (missing[0]) {
		if (geteuid() == 0)
			return err_env(err,
				       "need root or CAP_NET_RAW, CAP_NET_ADMIN and CAP_SYS_ADMIN (running as uid 0 without %s)",
				       missing);
		return err_env(err,
			       "need root or CAP_NET_RAW, CAP_NET_ADMIN and CAP_SYS_ADMIN (running as uid %u)",
			       (unsigned)geteuid());
	}
	if (access("/proc/self/ns/net", F_OK))
		return err_sys(err,
			       "need network namespace support (/proc/self/ns/net)");
	return 0;
}

/* Everything a lab is made of, in an order where each step has what it
 * needs. made_* tell the caller what to take down if a step fails. */
static int lab_build(struct lab *lab, bool *made_rig, bool *made_target,
		     struct tr_err *err)
{
	struct rtnl rig = { 0 }, tgt = { 0 };
	struct rtnl_link rl, tl;
	char sysctl[128];
	int ret = -1;

	if (netns_add(lab->rig_ns, err))
		return -1;
	*made_rig = true;
	if (netns_add(lab->target_ns, err))
		return -1;
	*made_target = true;
	lab->rig_nsfd = netns_open(lab->rig_ns, err);
	if (lab->rig_nsfd < 0)
		return -1;
	lab->target_nsfd = netns_open(lab->target_ns, err);
	if (lab->target_nsfd < 0)
		return -1;
	if (rtnl_open(&rig, lab->rig_nsfd, err) ||
	    rtnl_open(&tgt, lab->target_nsfd, err))
		goto out;
	if (rtnl_link_set_up(&rig, "lo", err) ||
	    rtnl_link_set_up(&tgt, "lo", err))
		goto out;
	if (rtnl_veth_add(&rig, LAB_IFNAME_RIG, LAB_IFNAME_TARGET,
			  lab->target_nsfd, err))
		goto out;
	/* Before rig0 goes up: otherwise it would already have sent router
	 * solicitations and DAD probes from a link-local address. */
	snprintf(sysctl, sizeof(sysctl),
		 "/proc/sys/net/ipv6/conf/%s/disable_ipv6", LAB_IFNAME_RIG);
	if (netns_write_sysctl(lab->rig_nsfd, sysctl, "1", true, err))
		goto out;
	if (ethtool_offloads_off(lab->rig_nsfd, LAB_IFNAME_RIG, err) ||
	    ethtool_offloads_off(lab->target_nsfd, LAB_IFNAME_TARGET, err))
		goto out;
	if (rtnl_link_set_mtu(&rig, LAB_IFNAME_RIG, LAB_DEFAULT_MTU, err) ||
	    rtnl_link_set_mtu(&tgt, LAB_IFNAME_TARGET, LAB_DEFAULT_MTU, err))
		goto out;
	if (rtnl_addr_add(&tgt, LAB_IFNAME_TARGET, AF_INET, &lab->target_addr,
			  LAB_PREFIXLEN, err))
		goto out;
	if (rtnl_link_set_up(&rig, LAB_IFNAME_RIG, err) ||
	    rtnl_link_set_up(&tgt, LAB_IFNAME_TARGET, err))
		goto out;
	if (rtnl_link_get(&rig, LAB_IFNAME_RIG, &rl, err) ||
	    rtnl_link_get(&tgt, LAB_IFNAME_TARGET, &tl, err))
		goto out;
	/* After the links are up: taking a link down flushes even permanent
	 * neighbours, so the entry goes in last. */
	if (rtnl_neigh_add_permanent(&tgt, LAB_IFNAME_TARGET, AF_INET,
				     &lab->phantom_addr, rl.mac, err))
		goto out;
	memcpy(lab->rig_mac, rl.mac, sizeof(lab->rig_mac));
	memcpy(lab->target_mac, tl.mac, sizeof(lab->target_mac));
	lab->rig_ifindex = rl.ifindex;
	lab->target_ifindex = tl.ifindex;
	lab->mtu = rl.mtu;
	ret = 0;
out:
	rtnl_close(&rig);
	rtnl_close(&tgt);
	return ret;
}

static int lab_ns_exists(const char *ns)
{
	char path[LAB_PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", NETNS_RUN_DIR, ns);
	return access(path, F_OK) == 0;
}

static bool lab_exists(const struct lab *lab)
{
	return lab_ns_exists(lab->rig_ns) || lab_ns_exists(lab->target_ns);
}

/* Fills lab with a name no namespace uses yet. A throwaway name can only be
 * taken by the leftover of a dead process that had our pid (the reaper
 * spares it: the pid is alive, it is us); step over it, never touch it. */
static int lab_pick_name(struct lab *lab, const char *persistent_name,
			 struct tr_err *err)
{
	char name[LAB_NAME_MAX];
	int tries;

	if (persistent_name) {
		if (!lab_keep_name_valid(persistent_name))
			return err_usage(err,
					 "bad lab name '%s': use letters, digits and '_', up to %d characters",
					 persistent_name, LAB_KEEP_NAME_MAX);
		snprintf(name, sizeof(name), "%s%s", LAB_KEEP_PREFIX,
			 persistent_name);
		lab_init(lab, name, true);
		if (lab_exists(lab))
			return err_usage(err, "lab '%s' already exists",
					 persistent_name);
		return 0;
	}
	for (tries = 0; tries < LAB_CREATE_TRIES; tries++) {
		snprintf(name, sizeof(name), "%s%d-%u", LAB_PREFIX,
			 (int)getpid(), atomic_fetch_add(&lab_counter, 1));
		lab_init(lab, name, false);
		if (!lab_exists(lab))
			return 0;
	}
	return err_env(err, "lab: no free lab name for pid %d under %s",
		       (int)getpid(), NETNS_RUN_DIR);
}

int lab_create(struct lab *lab, const char *persistent_name,
	       struct tr_err *err)
{
	bool made_rig = false, made_target = false;

	/* A failed lab has no name and no fds: a lab_destroy on it touches
	 * nothing, least of all a persistent lab that had the same name. */
	lab_init(lab, "", persistent_name != NULL);
	if (lab_pick_name(lab, persistent_name, err))
		goto fail;
	/* Registered before anything exists, so that a signal during the
	 * build still finds what was made so far. */
	if (!lab->persistent && lab_register(lab, err))
		goto fail;
	if (lab_build(lab, &made_rig, &made_target, err) == 0)
		return 0;
	lab_close(lab);
	if (made_target)
		netns_delete(lab->target_ns, NULL, NULL);
	if (made_rig)
		netns_delete(lab->rig_ns, NULL, NULL);
	if (!lab->persistent)
		lab_unregister(lab);
fail:
	lab->name[0] = '\0';
	return -1;
}

int lab_open(struct lab *lab, const char *name, struct tr_err *err)
{
	struct lab_ns_name parsed;
	struct rtnl rig = { 0 }, tgt = { 0 };
	struct rtnl_link rl, tl;
	int ret = -1;

	if (lab_resolve_name(name, &parsed, err))
		return -1;
	lab_init(lab, parsed.lab, parsed.persistent);
	if (!lab_ns_exists(lab->rig_ns) || !lab_ns_exists(lab->target_ns)) {
		err_usage(err, "no lab named '%s' (see `tcprig lab list`)",
			  name);
		lab->name[0] = '\0';
		return -1;
	}
	lab->rig_nsfd = netns_open(lab->rig_ns, err);
	if (lab->rig_nsfd < 0)
		goto out;
	lab->target_nsfd = netns_open(lab->target_ns, err);
	if (lab->target_nsfd < 0)
		goto out;
	if (rtnl_open(&rig, lab->rig_nsfd, err) ||
	    rtnl_open(&tgt, lab->target_nsfd, err) ||
	    rtnl_link_get(&rig, LAB_IFNAME_RIG, &rl, err) ||
	    rtnl_link_get(&tgt, LAB_IFNAME_TARGET, &tl, err))
		goto out;
	memcpy(lab->rig_mac, rl.mac, sizeof(lab->rig_mac));
	memcpy(lab->target_mac, tl.mac, sizeof(lab->target_mac));
	lab->rig_ifindex = rl.ifindex;
	lab->target_ifindex = tl.ifindex;
	lab->mtu = rl.mtu;
	ret = 0;
out:
	rtnl_close(&rig);
	rtnl_close(&tgt);
	if (ret) {
		lab_close(lab);
		lab->name[0] = '\0';
	}
	return ret;
}

void lab_close(struct lab *lab)
{
	if (lab->rig_nsfd >= 0)
		close(lab->rig_nsfd);
	if (lab->target_nsfd >= 0)
		close(lab->target_nsfd);
	lab->rig_nsfd = -1;
	lab->target_nsfd = -1;
}

int lab_destroy(struct lab *lab, struct tr_err *err)
{
	int ret = 0;

	lab_close(lab);
	if (!lab->name[0])
		return 0;
	if (netns_delete(lab->target_ns, NULL, err))
		ret = -1;
	/* On an error here the first one is the one reported. */
	if (netns_delete(lab->rig_ns, NULL, ret ? NULL : err))
		ret = -1;
	/* Only now: a signal arriving before the namespaces were gone must
	 * still find them in the table. */
	if (!lab->persistent)
		lab_unregister(lab);
	lab->name[0] = '\0';
	return ret;
}

/* removed: this call took the rig namespace away. Of two concurrent
 * reapers only one can, so a lab is counted once. */
static int lab_remove_pair(const char *lab_name, bool *removed,
			   struct tr_err *err)
{
	char ns[LAB_NAME_MAX + 8];

	snprintf(ns, sizeof(ns), "%s%s", lab_name, LAB_SUFFIX_TARGET);
	if (netns_delete(ns, NULL, err))
		return -1;
	snprintf(ns, sizeof(ns), "%s%s", lab_name, LAB_SUFFIX_RIG);
	return netns_delete(ns, removed, err);
}

static bool lab_pid_alive(int pid)
{
	/* EPERM means someone's process lives there: not ours to judge. */
	return !(kill(pid, 0) && errno == ESRCH);
}

int lab_reap_stale(unsigned *reaped, struct tr_err *err)
{
	struct lab_ns_name parsed;
	struct dirent *de;
	bool removed;
	int ret = 0;
	DIR *dir;

	*reaped = 0;
	dir = opendir(NETNS_RUN_DIR);
	if (!dir) {
		if (errno == ENOENT)
			return 0;
		return err_sys(err, "lab: open %s", NETNS_RUN_DIR);
	}
	while ((de = readdir(dir))) {
		if (!lab_parse_ns_name(de->d_name, &parsed) ||
		    parsed.persistent || lab_pid_alive(parsed.pid))
			continue;
		/* The partner entry, met later in the scan or taken by a
		 * concurrent reaper, is simply found gone. */
		if (lab_remove_pair(parsed.lab, &removed, err)) {
			ret = -1;
			break;
		}
		if (removed)
			(*reaped)++;
	}
	closedir(dir);
	return ret;
}

static int lab_info_cmp(const void *a, const void *b)
{
	const struct lab_info *x = a, *y = b;

	return strcmp(x->name, y->name);
}

int lab_list(struct lab_info *out, size_t cap, size_t *n, struct tr_err *err)
{
	struct lab_ns_name parsed;
	struct dirent *de;
	size_t i;
	DIR *dir;

	*n = 0;
	dir = opendir(NETNS_RUN_DIR);
	if (!dir) {
		if (errno == ENOENT)
			return 0;
		return err_sys(err, "lab: open %s", NETNS_RUN_DIR);
	}
	while ((de = readdir(dir))) {
		if (!lab_parse_ns_name(de->d_name, &parsed))
			continue;
		for (i = 0; i < *n; i++)
			if (!strcmp(out[i].name, parsed.lab))
				break;
		if (i < *n || *n == cap)
			continue;
		memset(&out[i], 0, sizeof(out[i]));
		snprintf(out[i].name, sizeof(out[i].name), "%s", parsed.lab);
		out[i].persistent = parsed.persistent;
		out[i].creator_pid = parsed.pid;
		out[i].creator_alive = parsed.pid && lab_pid_alive(parsed.pid);
		(*n)++;
	}
	closedir(dir);
	qsort(out, *n, sizeof(*out), lab_info_cmp);
	return 0;
}

int lab_remove_by_name(const char *name, struct tr_err *err)
{
	struct lab_ns_name parsed;
	char ns[LAB_NAME_MAX + 8];
	bool exists;

	if (lab_resolve_name(name, &parsed, err))
		return -1;
	snprintf(ns, sizeof(ns), "%s%s", parsed.lab, LAB_SUFFIX_RIG);
	exists = lab_ns_exists(ns);
	snprintf(ns, sizeof(ns), "%s%s", parsed.lab, LAB_SUFFIX_TARGET);
	exists = exists || lab_ns_exists(ns);
	if (!exists)
		return err_usage(err, "no lab named '%s' (see `tcprig lab list`)",
				 name);
	return lab_remove_pair(parsed.lab, NULL, err);
}

int lab_enter(int nsfd, struct tr_err *err)
{
	return netns_enter(nsfd, err);
}

int lab_self_netns(struct tr_err *err)
{
	return netns_open_self(err);
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
		if (!lab_parse_ns_name(de->d_name, &parsed) ||
		    parsed.side != LAB_SIDE_RIG)
			continue;
		if (fstatat(dirfd(dir), de->d_name, &st, 0) == 0 &&
		    st.st_dev == self.st_dev &&
		    st.st_ino == self.st_ino)
			in_rig = true;
	}
	if (dir)
		closedir(dir);
	if (in_rig && !strcmp(ifname, LAB_IFNAME_RIG))
		return 0;
	return err_usage(err,
			 "refusing to inject on '%s': not the rig side of a tcprig lab (name a remote target explicitly to send elsewhere)",
			 ifname);
}

int lab_set_mtu(struct lab *lab, unsigned mtu, struct tr_err *err)
{
	struct rtnl rig = { 0 }, tgt = { 0 };
	int ret = -1;

	if (mtu < LAB_MIN_MTU || mtu > LAB_MAX_MTU)
		return err_usage(err, "lab: mtu %u out of range %d..%d", mtu,
				 LAB_MIN_MTU, LAB_MAX_MTU);
	if (rtnl_open(&rig, lab->rig_nsfd, err) ||
	    rtnl_open(&tgt, lab->target_nsfd, err))
		goto out;
	if (rtnl_link_set_mtu(&rig, LAB_IFNAME_RIG, mtu, err) ||
	    rtnl_link_set_mtu(&tgt, LAB_IFNAME_TARGET, mtu, err))
		goto out;
	lab->mtu = mtu;
	ret = 0;
out:
	rtnl_close(&rig);
	rtnl_close(&tgt);
	return ret;
}
