/* arp.c - ARP requests and the phantom's responder, over an AF_PACKET
 * datagram socket bound to the interface (the kernel adds the Ethernet
 * header). */
#include "wire/arp.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if_arp.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/clock.h"

struct arp_pkt {
	uint16_t htype, ptype;
	uint8_t hlen, plen;
	uint16_t op;
	uint8_t sha[6], spa[4], tha[6], tpa[4];
} __attribute__((packed));

static int arp_socket(const struct iface_info *ifi, struct tr_err *err)
{
	struct sockaddr_ll sll = {.sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_ARP),
				  .sll_ifindex = ifi->ifindex};
	int fd = socket(AF_PACKET, SOCK_DGRAM | SOCK_CLOEXEC, htons(ETH_P_ARP));

	if (fd < 0)
		return err_sys(err, "ARP socket on %s", ifi->name);
	if (bind(fd, (struct sockaddr *)&sll, sizeof(sll))) {
		err_sys(err, "ARP socket on %s: bind", ifi->name);
		close(fd);
		return -1;
	}
	return fd;
}

static int arp_send(int fd, const struct iface_info *ifi, uint16_t op, struct in_addr spa,
		    const uint8_t tha[6], struct in_addr tpa, const uint8_t to[6])
{
	struct sockaddr_ll sll = {.sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_ARP),
				  .sll_ifindex = ifi->ifindex, .sll_halen = 6};
	struct arp_pkt p = {.htype = htons(ARPHRD_ETHER), .ptype = htons(ETH_P_IP),
			    .hlen = 6, .plen = 4, .op = htons(op)};

	memcpy(p.sha, ifi->mac, 6);
	memcpy(p.spa, &spa, 4);
	memcpy(p.tha, tha, 6);
	memcpy(p.tpa, &tpa, 4);
	memcpy(sll.sll_addr, to, 6);
	return sendto(fd, &p, sizeof(p), 0, (struct sockaddr *)&sll, sizeof(sll)) ==
			       (ssize_t)sizeof(p) ?
		       0 :
		       -1;
}

static bool arp_valid(const struct arp_pkt *p, ssize_t n)
{
	return n >= (ssize_t)sizeof(*p) && p->htype == htons(ARPHRD_ETHER) &&
	       p->ptype == htons(ETH_P_IP) && p->hlen == 6 && p->plen == 4;
}

int arp_ask(const struct iface_info *ifi, struct in_addr sender, struct in_addr who,
	    uint8_t mac[6], struct tr_err *err)
{
	static const uint8_t bcast[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, zero[6];
	struct arp_pkt p;
	int fd = arp_socket(ifi, err);

	if (fd < 0)
		return -1;
	for (int t = 0; t < ARP_TRIES; t++) {
		uint64_t until = clock_mono_us() + ARP_WAIT_MS * 1000u;

		if (arp_send(fd, ifi, ARPOP_REQUEST, sender, zero, who, bcast)) {
			err_sys(err, "ARP request on %s", ifi->name);
			close(fd);
			return -1;
		}
		for (uint64_t now; (now = clock_mono_us()) < until;) {
			struct pollfd pfd = {.fd = fd, .events = POLLIN};
			ssize_t n;

			if (poll(&pfd, 1, (int)((until - now) / 1000u) + 1) <= 0)
				continue;
			n = recv(fd, &p, sizeof(p), MSG_DONTWAIT);
			if (arp_valid(&p, n) && p.op == htons(ARPOP_REPLY) &&
			    !memcmp(p.spa, &who, 4)) {
				memcpy(mac, p.sha, 6);
				close(fd);
				return 0;
			}
		}
	}
	close(fd);
	return 1;
}

static void arp_respond(int fd, const struct iface_info *ifi, struct in_addr phantom)
{
	uint64_t window = 0;
	unsigned sent = 0;
	struct arp_pkt p;

	for (;;) {
		ssize_t n = recv(fd, &p, sizeof(p), 0);
		struct in_addr spa;

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			_exit(1);
		if (!arp_valid(&p, n) || p.op != htons(ARPOP_REQUEST) ||
		    memcmp(p.tpa, &phantom, 4) || !memcmp(p.sha, ifi->mac, 6))
			continue;
		/* Bounded: a storm of requests gets ARP_REPLIES_PER_S answers. */
		if (clock_mono_us() - window >= 1000000u) {
			window = clock_mono_us();
			sent = 0;
		}
		if (sent++ >= ARP_REPLIES_PER_S)
			continue;
		memcpy(&spa, p.spa, 4);
		arp_send(fd, ifi, ARPOP_REPLY, phantom, p.sha, spa, p.sha);
	}
}

pid_t arp_responder_start(const struct iface_info *ifi, struct in_addr phantom,
			  struct tr_err *err)
{
	pid_t parent = getpid(), pid;
	int fd = arp_socket(ifi, err);

	if (fd < 0)
		return -1;
	pid = fork();
	if (pid < 0) {
		close(fd);
		return err_sys(err, "ARP responder: fork");
	}
	if (pid == 0) {
		signal(SIGINT, SIG_IGN); /* the run's Ctrl-C is the run's */
		signal(SIGTERM, SIG_DFL);
		if (prctl(PR_SET_PDEATHSIG, SIGKILL) || getppid() != parent)
			_exit(1);
		arp_respond(fd, ifi, phantom);
		_exit(1);
	}
	close(fd);
	return pid;
}

void arp_responder_stop(pid_t pid)
{
	if (pid <= 0)
		return;
	kill(pid, SIGKILL);
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
}
