/* lab.c - throwaway (rig, target) namespace pairs joined by a veth: what a
 * lab needs, making one, opening one, taking it down. (names.c parses
 * names; registry.c lists, reaps and removes labs, and keeps the signal
 * cleanup's table.) */
#include "lab/lab.h"

#include <arpa/inet.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/segment.h"
#include "lab/addr6.h"
#include "lab/ethtool.h"
#include "lab/lock.h"
#include "lab/names.h"
#include "lab/registry.h"
#include "lab/netns.h"
#include "lab/rtnl.h"

/* The veth ends take frames far larger than the path MTU: a script may
 * inject a 10000-byte segment at once (packetdrill's tun takes it), while
 * the target still sends and advertises for LAB_DEFAULT_MTU, set on its
 * route (rtnl_route_set_path). */
#define LAB_DEVICE_MTU 16000
#define LAB_MAX_MTU 65535 /* veth's largest */
#define LAB_MIN_MTU 68
#define LAB_CREATE_TRIES 16

static atomic_uint lab_counter;

static void lab_init(struct lab *lab, const char *name, bool persistent)
{
	memset(lab, 0, sizeof(*lab));
	lab->mtu = LAB_DEFAULT_MTU;
	snprintf(lab->name, sizeof(lab->name), "%s", name);
	snprintf(lab->rig_ns, sizeof(lab->rig_ns), "%s%s", name, LAB_SUFFIX_RIG);
	snprintf(lab->target_ns, sizeof(lab->target_ns), "%s%s", name, LAB_SUFFIX_TARGET);
	lab->rig_nsfd = -1;
	lab->target_nsfd = -1;
	lab->lock_fd = -1;
	lab->family = AF_INET;
	inet_pton(AF_INET, LAB_TARGET_ADDR, &lab->target_addr);
	inet_pton(AF_INET, LAB_PHANTOM_ADDR, &lab->phantom_addr);
	lab6_default_addrs(&lab->target_addr6, &lab->phantom_addr6);
	lab->persistent = persistent;
}

int lab_check_privileges(struct tr_err *err)
{
	static const struct {
		int bit;
		const char *name;
	} caps[] = {
	    {13, "CAP_NET_RAW"},
	    {12, "CAP_NET_ADMIN"},
	    {21, "CAP_SYS_ADMIN"},
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
				       "need root or CAP_NET_RAW, CAP_NET_ADMIN and CAP_SYS_ADMIN "
				       "(running as uid 0 without %s)",
				       missing);
		return err_env(
		    err,
		    "need root or CAP_NET_RAW, CAP_NET_ADMIN and CAP_SYS_ADMIN (running as uid %u)",
		    (unsigned)geteuid());
	}
	if (access("/proc/self/ns/net", F_OK))
		return err_sys(err, "need network namespace support (/proc/self/ns/net)");
	return 0;
}

/* What the rest of the rig needs to know of the two veth ends. */
static void lab_take_links(struct lab *lab, const struct rtnl_link *rl,
			   const struct rtnl_link *tl)
{
	memcpy(lab->rig_mac, rl->mac, sizeof(lab->rig_mac));
	memcpy(lab->target_mac, tl->mac, sizeof(lab->target_mac));
	lab->rig_ifindex = rl->ifindex;
	lab->target_ifindex = tl->ifindex;
}

static bool lab_same_subnet(const struct lab *lab)
{
	uint32_t mask = htonl(~0u << (32 - LAB_PREFIXLEN));

	return (lab->target_addr.s_addr & mask) == (lab->phantom_addr.s_addr & mask);
}

/* The target's route to the rig's phantom address carries the path MTU:
 * the MSS it advertises and the largest segment it sends follow it, not
 * the device. The connected route of the lab's subnet, or, for a phantom
 * outside it (packetdrill's 192.0.2.1 beside 192.168.0.1), a host route
 * on the link made here. */
static int lab_set_path(struct rtnl *tgt, const struct lab *lab, unsigned mtu, unsigned advmss,
			struct tr_err *err)
{
	struct in_addr net = lab->target_addr;
	unsigned plen = LAB_PREFIXLEN;

	if (lab_same_subnet(lab))
		net.s_addr &= htonl(~0u << (32 - LAB_PREFIXLEN));
	else
		net = lab->phantom_addr, plen = 32;
	return rtnl_route_set_path(tgt, LAB_IFNAME_TARGET, AF_INET, &net, plen, &lab->target_addr,
				   mtu, advmss, err);
}


/* Everything a lab is made of, in an order where each step has what it
 * needs. made_* tell the caller what to take down if a step fails. */
static int lab_build(struct lab *lab, bool *made_rig, bool *made_target, struct tr_err *err)
{
	struct rtnl rig = {0}, tgt = {0};
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
	if (rtnl_open(&rig, lab->rig_nsfd, err) || rtnl_open(&tgt, lab->target_nsfd, err))
		goto out;
	if (rtnl_link_set_up(&rig, "lo", err) || rtnl_link_set_up(&tgt, "lo", err))
		goto out;
	if (rtnl_veth_add(&rig, LAB_IFNAME_RIG, LAB_IFNAME_TARGET, lab->target_nsfd, err))
		goto out;
	/* packetdrill's scripts call the target's interface tun0 (their shell
	 * lines run `tc qdisc add dev tun0 ...`): it answers to both names. */
	if (rtnl_link_add_altname(&tgt, LAB_IFNAME_TARGET, LAB_IFNAME_TARGET_ALT, err))
		goto out;
	/* Before rig0 goes up: otherwise it would already have sent router
	 * solicitations and DAD probes from a link-local address. */
	snprintf(sysctl, sizeof(sysctl), "/proc/sys/net/ipv6/conf/%s/disable_ipv6", LAB_IFNAME_RIG);
	if (netns_write_sysctl(lab->rig_nsfd, sysctl, "1", true, err))
		goto out;
	if (ethtool_offloads_off(lab->rig_nsfd, LAB_IFNAME_RIG, err) ||
	    ethtool_offloads_off(lab->target_nsfd, LAB_IFNAME_TARGET, err))
		goto out;
	if (rtnl_link_set_mtu(&rig, LAB_IFNAME_RIG, LAB_DEVICE_MTU, err) ||
	    rtnl_link_set_mtu(&tgt, LAB_IFNAME_TARGET, LAB_DEVICE_MTU, err))
		goto out;
	/* Before any neighbour exists: changing the flag flushes them all. */
	if (lab->noarp && rtnl_link_set_noarp(&tgt, LAB_IFNAME_TARGET, err))
		goto out;
	if (rtnl_addr_add(&tgt, LAB_IFNAME_TARGET, AF_INET, &lab->target_addr, LAB_PREFIXLEN, err))
		goto out;
	if (rtnl_link_set_up(&rig, LAB_IFNAME_RIG, err) ||
	    rtnl_link_set_up(&tgt, LAB_IFNAME_TARGET, err))
		goto out;
	if (rtnl_link_get(&rig, LAB_IFNAME_RIG, &rl, err) ||
	    rtnl_link_get(&tgt, LAB_IFNAME_TARGET, &tl, err))
		goto out;
	/* No advmss of its own by default: the kernel derives it from the
	 * path MTU, which an ICMP "fragmentation needed" may lower (a SYN
	 * after one advertises the lower MSS, as packetdrill's tests expect). */
	if (lab_set_path(&tgt, lab, LAB_DEFAULT_MTU, 0, err))
		goto out;
	/* After the links are up: taking a link down flushes even permanent
	 * neighbours, so the entry goes in last. */
	if (rtnl_neigh_add_permanent(&tgt, LAB_IFNAME_TARGET, AF_INET, &lab->phantom_addr, rl.mac,
				     err))
		goto out;
	if (lab6_build(&tgt, LAB_IFNAME_TARGET, &lab->target_addr6, &lab->phantom_addr6, rl.mac,
		       LAB_DEFAULT_MTU, err))
		goto out;
	lab_take_links(lab, &rl, &tl);
	ret = 0;
out:
	rtnl_close(&rig);
	rtnl_close(&tgt);
	return ret;
}

/* Unicast addresses a lab can give its two ends: not the same, none of
 * 0/8, 127/8, multicast or above. */
static int lab_addrs_check(const struct lab_addrs *a, struct tr_err *err)
{
	const struct in_addr *ends[2] = { &a->target, &a->phantom };

	for (int i = 0; i < 2; i++) {
		char text[INET_ADDRSTRLEN];

		if (!seg_ipv4_lab_usable(ends[i]->s_addr)) {
			inet_ntop(AF_INET, ends[i], text, sizeof(text));
			return err_usage(err, "lab: %s is no unicast address a lab can use", text);
		}
	}
	if (a->target.s_addr == a->phantom.s_addr)
		return err_usage(err, "lab: the target and the rig cannot share an address");
	return lab6_addrs_check(&a->target6, &a->phantom6, err);
}

static bool lab_exists(const struct lab *lab)
{
	return lab_ns_exists(lab->rig_ns) || lab_ns_exists(lab->target_ns);
}

/* Fills lab with a name no namespace uses yet. A throwaway name can only be
 * taken by the leftover of a dead process that had our pid (the reaper
 * spares it: the pid is alive, it is us); step over it, never touch it. */
static int lab_pick_name(struct lab *lab, const char *persistent_name, struct tr_err *err)
{
	char name[LAB_NAME_MAX];
	int tries;

	if (persistent_name) {
		if (!lab_keep_name_valid(persistent_name))
			return err_usage(
			    err,
			    "bad lab name '%s': use letters, digits and '_', up to %d characters",
			    persistent_name, LAB_KEEP_NAME_MAX);
		snprintf(name, sizeof(name), "%s%s", LAB_KEEP_PREFIX, persistent_name);
		lab_init(lab, name, true);
		if (lab_exists(lab))
			return err_usage(err, "lab '%s' already exists", persistent_name);
		return 0;
	}
	for (tries = 0; tries < LAB_CREATE_TRIES; tries++) {
		snprintf(name, sizeof(name), "%s%d-%u", LAB_PREFIX, (int)getpid(),
			 atomic_fetch_add(&lab_counter, 1));
		lab_init(lab, name, false);
		if (!lab_exists(lab))
			return 0;
	}
	return err_env(err, "lab: no free lab name for pid %d under %s", (int)getpid(),
		       NETNS_RUN_DIR);
}

int lab_create(struct lab *lab, const char *persistent_name, struct tr_err *err)
{
	return lab_create_at(lab, persistent_name, NULL, err);
}

int lab_create_at(struct lab *lab, const char *persistent_name, const struct lab_addrs *addrs,
		  struct tr_err *err)
{
	bool made_rig = false, made_target = false;
	struct lab_addrs given;

	/* A failed lab has no name and no fds: a lab_destroy on it touches
	 * nothing, least of all a persistent lab that had the same name. */
	lab_init(lab, "", persistent_name != NULL);
	if (addrs) {
		/* IPv6 ends not given (::) are the defaults. */
		given = *addrs;
		if (IN6_IS_ADDR_UNSPECIFIED(&given.target6))
			given.target6 = lab->target_addr6;
		if (IN6_IS_ADDR_UNSPECIFIED(&given.phantom6))
			given.phantom6 = lab->phantom_addr6;
		addrs = &given;
	}
	if (addrs && lab_addrs_check(addrs, err))
		return -1;
	if (lab_pick_name(lab, persistent_name, err))
		goto fail;
	if (addrs) {
		lab->target_addr = addrs->target;
		lab->phantom_addr = addrs->phantom;
		lab->target_addr6 = addrs->target6;
		lab->phantom_addr6 = addrs->phantom6;
		lab->noarp = addrs->noarp;
	}
	/* Locked and registered before anything exists: a reaper never takes
	 * a lab that is being built, and a signal during the build still
	 * finds what was made so far. */
	if (!lab->persistent && lab_lock_take(lab->name, &lab->lock_fd, err))
		goto fail;
	if (!lab->persistent && lab_register(lab->name, err))
		goto fail;
	if (lab_build(lab, &made_rig, &made_target, err) == 0)
		return 0;
	lab_close(lab);
	if (made_target)
		netns_delete(lab->target_ns, NULL, NULL);
	if (made_rig)
		netns_delete(lab->rig_ns, NULL, NULL);
	if (!lab->persistent)
		lab_unregister(lab->name);
fail:
	lab_lock_release(lab->name, lab->lock_fd);
	lab->lock_fd = -1;
	lab->name[0] = '\0';
	return -1;
}

int lab_open(struct lab *lab, const char *name, struct tr_err *err)
{
	struct lab_ns_name parsed;
	struct rtnl rig = {0}, tgt = {0};
	struct rtnl_link rl, tl;
	int ret = -1;

	if (lab_resolve_name(name, &parsed, err))
		return -1;
	lab_init(lab, parsed.lab, parsed.persistent);
	if (!lab_ns_exists(lab->rig_ns) || !lab_ns_exists(lab->target_ns)) {
		err_usage(err, "no lab named '%s' (see `tcprig lab list`)", name);
		lab->name[0] = '\0';
		return -1;
	}
	lab->rig_nsfd = netns_open(lab->rig_ns, err);
	if (lab->rig_nsfd < 0)
		goto out;
	lab->target_nsfd = netns_open(lab->target_ns, err);
	if (lab->target_nsfd < 0)
		goto out;
	if (rtnl_open(&rig, lab->rig_nsfd, err) || rtnl_open(&tgt, lab->target_nsfd, err) ||
	    rtnl_link_get(&rig, LAB_IFNAME_RIG, &rl, err) ||
	    rtnl_link_get(&tgt, LAB_IFNAME_TARGET, &tl, err))
		goto out;
	lab_take_links(lab, &rl, &tl);
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
	 * still find them in the table, and a reaper must find them owned. */
	if (!lab->persistent)
		lab_unregister(lab->name);
	lab_lock_release(lab->name, lab->lock_fd);
	lab->lock_fd = -1;
	lab->name[0] = '\0';
	return ret;
}

int lab_enter(int nsfd, struct tr_err *err)
{
	return netns_enter(nsfd, err);
}

int lab_self_netns(struct tr_err *err)
{
	return netns_open_self(err);
}

/* advmss 0: the kernel's, from the path MTU. */
static int lab_path(struct lab *lab, unsigned mtu, unsigned advmss, struct tr_err *err)
{
	struct rtnl rig = {0}, tgt = {0};
	int ret = -1;

	if (mtu < LAB_MIN_MTU || mtu > LAB_MAX_MTU)
		return err_usage(err, "lab: mtu %u out of range %d..%d", mtu, LAB_MIN_MTU,
				 LAB_MAX_MTU);
	if (rtnl_open(&rig, lab->rig_nsfd, err) || rtnl_open(&tgt, lab->target_nsfd, err))
		goto out;
	/* A path MTU above the devices' (a loopback capture's 65535) takes
	 * the devices with it. */
	if (mtu > LAB_DEVICE_MTU && (rtnl_link_set_mtu(&rig, LAB_IFNAME_RIG, mtu, err) ||
				     rtnl_link_set_mtu(&tgt, LAB_IFNAME_TARGET, mtu, err)))
		goto out;
	if (lab_set_path(&tgt, lab, mtu, advmss, err) ||
	    lab6_set_path(&tgt, LAB_IFNAME_TARGET, &lab->target_addr6, &lab->phantom_addr6, mtu,
			  err))
		goto out;
	lab->mtu = mtu;
	ret = 0;
out:
	rtnl_close(&rig);
	rtnl_close(&tgt);
	return ret;
}

int lab_set_mtu(struct lab *lab, unsigned mtu, struct tr_err *err)
{
	/* An explicit MSS (--mss): the kernel caps a route's MTU at 65520, so
	 * a loopback capture's 65495 is set, not derived. */
	return lab_path(lab, mtu, mtu >= LAB_MIN_MTU ? mtu - 40 : 0, err);
}

int lab_set_path_mtu(struct lab *lab, unsigned mtu, struct tr_err *err)
{
	return lab_path(lab, mtu, 0, err);
}
