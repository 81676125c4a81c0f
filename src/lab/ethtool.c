/* ethtool.c - offloads off through the SIOCETHTOOL ioctl. */
#include "lab/ethtool.h"

#include <linux/ethtool.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "lab/netns.h"

struct ethtool_knob {
	uint32_t cmd;
	const char *name;
};

static const struct ethtool_knob ethtool_off_knobs[] = {
	{ ETHTOOL_STXCSUM, "tx checksum offload" },
	{ ETHTOOL_STSO, "TSO" },
	{ ETHTOOL_SGSO, "GSO" },
	{ ETHTOOL_SGRO, "GRO" },
};

static int ethtool_ioctl(int fd, const char *ifname, void *data)
{
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	memcpy(ifr.ifr_name, ifname, strlen(ifname));
	ifr.ifr_data = data;
	return ioctl(fd, SIOCETHTOOL, &ifr);
}

static int ethtool_legacy_off(int fd, const char *ifname, struct tr_err *err)
{
	struct ethtool_value ev;
	size_t i;

	for (i = 0; i < sizeof(ethtool_off_knobs) / sizeof(ethtool_off_knobs[0]);
	     i++) {
		ev.cmd = ethtool_off_knobs[i].cmd;
		ev.data = 0;
		if (ethtool_ioctl(fd, ifname, &ev))
			return err_sys(err, "ethtool: turn off %s on %s",
				       ethtool_off_knobs[i].name, ifname);
	}
	return 0;
}

/* The feature names `ethtool -k` prints that shape what crosses the wire. */
static bool ethtool_is_offload(const char *name)
{
	static const char seg[] = "segmentation";
	size_t len = strlen(name), slen = strlen(seg);

	return !strncmp(name, "tx-checksum-", strlen("tx-checksum-")) ||
	       !strncmp(name, "rx-gro", strlen("rx-gro")) ||
	       !strcmp(name, "tx-generic-segmentation") ||
	       (!strncmp(name, "tx-tcp", strlen("tx-tcp")) && len > slen &&
		!strcmp(name + len - slen, seg));
}

/* The device's feature names (ETH_SS_FEATURES), malloc'd; count set. */
static struct ethtool_gstrings *ethtool_feature_names(int fd,
						       const char *ifname,
						       uint32_t *count,
						       struct tr_err *err)
{
	struct {
		struct ethtool_sset_info hdr;
		uint32_t count;
	} info;
	struct ethtool_gstrings *names;

	memset(&info, 0, sizeof(info));
	info.hdr.cmd = ETHTOOL_GSSET_INFO;
	info.hdr.sset_mask = 1ULL << ETH_SS_FEATURES;
	if (ethtool_ioctl(fd, ifname, &info)) {
		err_sys(err, "ethtool: list features of %s", ifname);
		return NULL;
	}
	*count = (info.hdr.sset_mask & (1ULL << ETH_SS_FEATURES)) ?
		 info.count : 0;
	names = calloc(1, sizeof(*names) + (size_t)*count * ETH_GSTRING_LEN);
	if (!names) {
		err_sys(err, "ethtool: list features of %s", ifname);
		return NULL;
	}
	names->cmd = ETHTOOL_GSTRINGS;
	names->string_set = ETH_SS_FEATURES;
	names->len = *count;
	if (ethtool_ioctl(fd, ifname, names)) {
		err_sys(err, "ethtool: list features of %s", ifname);
		free(names);
		return NULL;
	}
	return names;
}

static struct ethtool_gfeatures *ethtool_get_features(int fd,
						      const char *ifname,
						      uint32_t blocks,
						      struct tr_err *err)
{
	struct ethtool_gfeatures *g;

	g = calloc(1, sizeof(*g) + blocks * sizeof(g->features[0]));
	if (!g) {
		err_sys(err, "ethtool: read features of %s", ifname);
		return NULL;
	}
	g->cmd = ETHTOOL_GFEATURES;
	g->size = blocks;
	if (ethtool_ioctl(fd, ifname, g)) {
		err_sys(err, "ethtool: read features of %s", ifname);
		free(g);
		return NULL;
	}
	return g;
}

static void ethtool_name(const struct ethtool_gstrings *names, uint32_t i,
			 char out[ETH_GSTRING_LEN + 1])
{
	memcpy(out, names->data + (size_t)i * ETH_GSTRING_LEN,
	       ETH_GSTRING_LEN);
	out[ETH_GSTRING_LEN] = '\0';
}

/* The legacy switches cover only the features that existed when they were
 * made: since 6.18, tx-tcp-accecn-segmentation survives ETHTOOL_STSO. So
 * whatever offload is still on after them is turned off by name, and then
 * checked to really be off. */
static int ethtool_leftovers_off(int fd, const char *ifname,
				 struct tr_err *err)
{
	struct ethtool_gstrings *names;
	struct ethtool_gfeatures *g = NULL;
	struct ethtool_sfeatures *s = NULL;
	char name[ETH_GSTRING_LEN + 1];
	uint32_t count, blocks, i, bit;
	bool any = false;
	int ret = -1;

	names = ethtool_feature_names(fd, ifname, &count, err);
	if (!names)
		return -1;
	blocks = (count + 31) / 32;
	g = ethtool_get_features(fd, ifname, blocks, err);
	if (!g)
		goto out;
	s = calloc(1, sizeof(*s) + blocks * sizeof(s->features[0]));
	if (!s) {
		err_sys(err, "ethtool: set features of %s", ifname);
		goto out;
	}
	s->cmd = ETHTOOL_SFEATURES;
	s->size = blocks;
	for (i = 0; i < count; i++) {
		bit = 1U << (i % 32);
		ethtool_name(names, i, name);
		if (!(g->features[i / 32].active & bit) ||
		    !ethtool_is_offload(name))
			continue;
		s->features[i / 32].valid |= bit;
		any = true;
	}
	if (any && ethtool_ioctl(fd, ifname, s) < 0) {
		err_sys(err, "ethtool: turn off offloads on %s", ifname);
		goto out;
	}
	free(g);
	g = ethtool_get_features(fd, ifname, blocks, err);
	if (!g)
		goto out;
	for (i = 0; i < count; i++) {
		ethtool_name(names, i, name);
		if ((g->features[i / 32].active & (1U << (i % 32))) &&
		    ethtool_is_offload(name)) {
			err_env(err, "ethtool: cannot turn off %s on %s", name,
				ifname);
			goto out;
		}
	}
	ret = 0;
out:
	free(names);
	free(g);
	free(s);
	return ret;
}

int ethtool_offloads_off(int nsfd, const char *ifname, struct tr_err *err)
{
	int fd, ret;

	if (!ifname[0] || strlen(ifname) >= IFNAMSIZ)
		return err_usage(err, "ethtool: bad interface name '%s'",
				 ifname);
	/* SIOCETHTOOL finds the device in the socket's namespace. */
	fd = netns_socket(nsfd, AF_INET, SOCK_DGRAM, 0, err);
	if (fd < 0)
		return -1;
	ret = ethtool_legacy_off(fd, ifname, err);
	if (ret == 0)
		ret = ethtool_leftovers_off(fd, ifname, err);
	close(fd);
	return ret;
}
