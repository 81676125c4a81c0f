/* ends.c - a case's two ends in its family: wire tuple and sockaddrs. */
#include "run/ends.h"

#include <arpa/inet.h>
#include <string.h>

void run_ends_init(struct run_ends *e, const struct lab *lab, int wire, bool v4_mapped)
{
	memset(e, 0, sizeof(*e));
	e->wire = wire == AF_INET6 ? AF_INET6 : AF_INET;
	e->sock = e->wire == AF_INET6 || v4_mapped ? AF_INET6 : AF_INET;
	e->target4 = lab->target_addr;
	e->rig4 = lab->phantom_addr;
	e->target6 = lab->target_addr6;
	e->rig6 = lab->phantom_addr6;
}

/* a as a v4-mapped IPv6 address (::ffff:a). */
static void run_ends_map4(struct in6_addr *out, struct in_addr a)
{
	memset(out, 0, sizeof(*out));
	out->s6_addr[10] = out->s6_addr[11] = 0xff;
	memcpy(&out->s6_addr[12], &a, 4);
}

socklen_t run_ends_sockaddr(const struct run_ends *e, bool rig, uint16_t port,
			    struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (e->sock == AF_INET6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;

		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(port);
		if (e->wire == AF_INET6)
			s6->sin6_addr = rig ? e->rig6 : e->target6;
		else
			run_ends_map4(&s6->sin6_addr, rig ? e->rig4 : e->target4);
		return sizeof(*s6);
	}
	struct sockaddr_in *s4 = (struct sockaddr_in *)ss;

	s4->sin_family = AF_INET;
	s4->sin_port = htons(port);
	s4->sin_addr = rig ? e->rig4 : e->target4;
	return sizeof(*s4);
}

socklen_t run_ends_any(const struct run_ends *e, uint16_t port, struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (e->sock == AF_INET6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;

		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(port);
		s6->sin6_addr = in6addr_any;
		return sizeof(*s6);
	}
	struct sockaddr_in *s4 = (struct sockaddr_in *)ss;

	s4->sin_family = AF_INET;
	s4->sin_port = htons(port);
	s4->sin_addr.s_addr = htonl(INADDR_ANY);
	return sizeof(*s4);
}

void run_ends_tuple(const struct run_ends *e, struct map_tuple *t)
{
	t->family = e->wire;
	memset(&t->rig, 0, sizeof(t->rig));
	memset(&t->target, 0, sizeof(t->target));
	if (e->wire == AF_INET6) {
		t->rig.v6 = e->rig6;
		t->target.v6 = e->target6;
	} else {
		t->rig.v4 = e->rig4;
		t->target.v4 = e->target4;
	}
}
