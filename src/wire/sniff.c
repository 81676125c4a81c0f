#include "wire/sniff.h"

#include <errno.h>
#include <pcap/pcap.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>

/* Room for jumbo frames; a lab's MTU is 1500 unless a case asks otherwise. */
#define SNAPLEN 65535

struct sniffer {
	pcap_t *p;
	pcap_dumper_t *dump;
	int fd;
	bool dump_by_caller;
	sniff_fn fn;
	void *ctx;
};

static int sniff_fail(struct tr_err *err, pcap_t *p, const char *what,
		      const char *ifname)
{
	return err_env(err, "pcap %s on %s: %s", what, ifname, pcap_geterr(p));
}

static int sniff_activate(pcap_t *p, const char *ifname, struct tr_err *err)
{
	int rc;

	if (pcap_set_snaplen(p, SNAPLEN) || pcap_set_promisc(p, 0) ||
	    pcap_set_immediate_mode(p, 1) || pcap_set_timeout(p, 1))
		return sniff_fail(err, p, "settings", ifname);
	rc = pcap_activate(p);
	if (rc < 0)
		return err_env(err, "pcap activate on %s: %s (%s)", ifname,
			       pcap_statustostr(rc), pcap_geterr(p));
	if (pcap_datalink(p) != DLT_EN10MB)
		return err_env(err, "pcap on %s: link type %s, want Ethernet",
			       ifname, pcap_datalink_val_to_name(pcap_datalink(p)));
	return 0;
}

static int sniff_set_filter(pcap_t *p, const char *ifname, const char *expr,
			    struct tr_err *err)
{
	struct bpf_program prog;
	int rc;

	if (!expr)
		return 0;
	if (pcap_compile(p, &prog, expr, 1, PCAP_NETMASK_UNKNOWN))
		return err_usage(err, "BPF filter '%s': %s", expr, pcap_geterr(p));
	rc = pcap_setfilter(p, &prog);
	pcap_freecode(&prog);
	if (rc)
		return sniff_fail(err, p, "setfilter", ifname);
	return 0;
}

struct sniffer *sniff_open(const struct sniff_config *cfg, struct tr_err *err)
{
	char ebuf[PCAP_ERRBUF_SIZE] = "";
	struct sniffer *s = calloc(1, sizeof(*s));

	if (!s) {
		err_sys(err, "sniffer");
		return NULL;
	}
	s->p = pcap_create(cfg->ifname, ebuf);
	if (!s->p) {
		err_env(err, "pcap on %s: %s", cfg->ifname, ebuf);
		goto fail;
	}
	if (sniff_activate(s->p, cfg->ifname, err) ||
	    sniff_set_filter(s->p, cfg->ifname, cfg->filter, err))
		goto fail;
	if (pcap_setnonblock(s->p, 1, ebuf)) {
		err_env(err, "pcap nonblock on %s: %s", cfg->ifname, ebuf);
		goto fail;
	}
	s->dump_by_caller = cfg->dump_by_caller;
	s->fd = pcap_get_selectable_fd(s->p);
	if (s->fd < 0) {
		err_env(err, "pcap on %s has no selectable fd", cfg->ifname);
		goto fail;
	}
	if (cfg->pcap_path) {
		s->dump = pcap_dump_open(s->p, cfg->pcap_path);
		if (!s->dump) {
			err_env(err, "pcap file %s: %s", cfg->pcap_path,
				pcap_geterr(s->p));
			goto fail;
		}
	}
	return s;
fail:
	sniff_close(s);
	return NULL;
}

void sniff_close(struct sniffer *s)
{
	if (!s)
		return;
	if (s->dump)
		pcap_dump_close(s->dump);
	if (s->p)
		pcap_close(s->p);
	free(s);
}

int sniff_fd(const struct sniffer *s)
{
	return s->fd;
}

static void sniff_on_frame(u_char *user, const struct pcap_pkthdr *h,
			   const u_char *bytes)
{
	struct sniffer *s = (struct sniffer *)user;

	if (s->dump && !s->dump_by_caller)
		pcap_dump((u_char *)s->dump, h, bytes);
	if (s->fn)
		s->fn(s->ctx, &h->ts, bytes, h->caplen);
}

int sniff_dispatch(struct sniffer *s, sniff_fn fn, void *ctx,
		   struct tr_err *err)
{
	int n;

	s->fn = fn;
	s->ctx = ctx;
	n = pcap_dispatch(s->p, -1, sniff_on_frame, (u_char *)s);
	if (n == PCAP_ERROR)
		return err_env(err, "pcap read: %s", pcap_geterr(s->p));
	if (s->dump)
		pcap_dump_flush(s->dump);
	return n < 0 ? 0 : n;
}

int sniff_wait(struct sniffer *s, int timeout_ms, sniff_fn fn, void *ctx,
	       struct tr_err *err)
{
	struct pollfd pfd = { .fd = s->fd, .events = POLLIN };
	int rc;

	rc = poll(&pfd, 1, timeout_ms);
	if (rc < 0) {
		if (errno == EINTR)
			return 0;
		return err_sys(err, "poll");
	}
	if (rc == 0)
		return 0;
	return sniff_dispatch(s, fn, ctx, err);
}

void sniff_dump(struct sniffer *s, const struct timeval *ts, const uint8_t *frame,
		size_t len)
{
	struct pcap_pkthdr h = { .ts = *ts, .caplen = (bpf_u_int32)len,
				 .len = (bpf_u_int32)len };

	if (!s->dump)
		return;
	pcap_dump((u_char *)s->dump, &h, frame);
	pcap_dump_flush(s->dump);
}

int sniff_get_stats(struct sniffer *s, struct sniff_stats *st,
		    struct tr_err *err)
{
	struct pcap_stat ps;

	if (pcap_stats(s->p, &ps))
		return err_env(err, "pcap stats: %s", pcap_geterr(s->p));
	st->received = ps.ps_recv;
	st->dropped = ps.ps_drop;
	st->if_dropped = ps.ps_ifdrop;
	return 0;
}

int sniff_filter_for(char *buf, size_t cap, const char *addr_a,
		     const char *addr_b)
{
	return snprintf(buf, cap, "tcp and host %s and host %s", addr_a, addr_b);
}

int sniff_filter_for_lab(char *buf, size_t cap, const char *a4, const char *b4, const char *a6,
			 const char *b6)
{
	/* pcap's `and` and `or` bind alike, left to right: the brackets matter. */
	return snprintf(buf, cap, "tcp and ((host %s and host %s) or (host %s and host %s))", a4,
			b4, a6, b6);
}
