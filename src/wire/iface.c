/* iface.c - what the rig learns of a real interface: ioctls and two /proc
 * files, nothing it changes. */
#include "wire/iface.h"

#include <errno.h>
#include <net/if_arp.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

/* /proc/net/route: "Iface Destination Gateway Flags ...", hex, one route a
 * line; the default is Destination 00000000 with mask 00000000. */
static bool iface_has_default_route(const char *ifname)
{
	char line[256], name[IF_NAMESIZE + 1];
	unsigned dest, gw, flags, refcnt, use, metric, mask;
	bool found = false;
	FILE *f = fopen("/proc/net/route", "re");

	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f))
		if (sscanf(line, "%16s %x %x %x %u %u %u %x", name, &dest, &gw, &flags, &refcnt,
			   &use, &metric, &mask) == 8 &&
		    dest == 0 && mask == 0 && !strcmp(name, ifname))
			found = true;
	fclose(f);
	return found;
}

static bool iface_forwards(const char *ifname)
{
	char path[128], v = '0';
	FILE *f;

	snprintf(path, sizeof(path), "/proc/sys/net/ipv4/conf/%s/forwarding", ifname);
	f = fopen(path, "re");
	if (!f)
		return false;
	if (fread(&v, 1, 1, f) != 1)
		v = '0';
	fclose(f);
	return v == '1';
}

int iface_info_get(const char *ifname, struct iface_info *info, struct tr_err *err)
{
	struct ifreq ifr;
	int fd;

	memset(info, 0, sizeof(*info));
	if (!*ifname || strlen(ifname) >= IF_NAMESIZE || strchr(ifname, '/'))
		return err_usage(err, "--iface '%s': not an interface name", ifname);
	snprintf(info->name, sizeof(info->name), "%s", ifname);
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return err_sys(err, "socket");
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	if (ioctl(fd, SIOCGIFINDEX, &ifr)) {
		close(fd);
		return err_usage(err, "--iface '%s': no such interface here", ifname);
	}
	info->ifindex = ifr.ifr_ifindex;
	if (ioctl(fd, SIOCGIFHWADDR, &ifr) || ifr.ifr_hwaddr.sa_family != ARPHRD_ETHER) {
		close(fd);
		return err_usage(err, "--iface '%s': not an Ethernet interface", ifname);
	}
	memcpy(info->mac, ifr.ifr_hwaddr.sa_data, 6);
	if (ioctl(fd, SIOCGIFMTU, &ifr) == 0 && ifr.ifr_mtu > 0)
		info->mtu = (unsigned)ifr.ifr_mtu;
	if (ioctl(fd, SIOCGIFADDR, &ifr) == 0) {
		info->addr = ((struct sockaddr_in *)&ifr.ifr_addr)->sin_addr;
		if (ioctl(fd, SIOCGIFNETMASK, &ifr) == 0) {
			info->mask = ((struct sockaddr_in *)&ifr.ifr_netmask)->sin_addr;
			info->has_addr = true;
		}
	}
	close(fd);
	info->default_route = iface_has_default_route(ifname);
	info->forwarding = iface_forwards(ifname);
	return 0;
}

bool iface_on_link(const struct iface_info *info, struct in_addr a)
{
	return info->has_addr &&
	       (a.s_addr & info->mask.s_addr) == (info->addr.s_addr & info->mask.s_addr);
}
