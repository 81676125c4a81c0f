#include "wire/flow_read.h"

#include <stdlib.h>

#include "wire/pcap_read.h"

int flow_read_table(const char *path, struct flow_table *t,
		    struct flow_read_stats *st, struct tr_err *err)
{
	struct pcap_reader *r = pcap_read_open(path, err);
	struct pcap_record rec;
	int rc;

	flow_table_init(t);
	*st = (struct flow_read_stats){ 0 };
	if (!r)
		return -1;
	while ((rc = pcap_read_next(r, &rec, err)) == 1) {
		st->records++;
		switch (rec.kind) {
		case PCAP_REC_TCP:
			st->tcp++;
			if (flow_table_add(t, &rec.seg, rec.number, &rec.ts, NULL, err) < 0)
				rc = -1;
			break;
		case PCAP_REC_OTHER:
			st->other++;
			break;
		case PCAP_REC_MALFORMED:
			st->malformed++;
			break;
		}
		if (rc < 0)
			break;
	}
	pcap_read_close(r);
	if (rc < 0)
		flow_table_free(t);
	return rc < 0 ? -1 : 0;
}

struct flow_reader {
	const char *path;
	unsigned number;
	struct pcap_reader *r;
	/* The table again, so that a reused port's incarnations are told
	 * apart exactly as when the flows were numbered. */
	struct flow_table t;
	unsigned long truncated;
};

struct flow_reader *flow_reader_open(const char *path, unsigned number, struct tr_err *err)
{
	struct flow_reader *fr = calloc(1, sizeof(*fr));

	if (!fr) {
		err_sys(err, "%s", path);
		return NULL;
	}
	fr->path = path;
	fr->number = number;
	flow_table_init(&fr->t);
	fr->r = pcap_read_open(path, err);
	if (!fr->r) {
		free(fr);
		return NULL;
	}
	return fr;
}

int flow_reader_next(struct flow_reader *fr, struct flow_pkt *p, struct tr_err *err)
{
	struct pcap_record rec;
	int rc;

	while ((rc = pcap_read_next(fr->r, &rec, err)) == 1) {
		bool fc;
		long i;

		if (rec.kind != PCAP_REC_TCP)
			continue;
		i = flow_table_add(&fr->t, &rec.seg, rec.number, &rec.ts, &fc, err);
		if (i < 0)
			return -1;
		if (fr->t.v[i].number != fr->number)
			continue;
		if (rec.caplen < rec.len && !fr->truncated)
			fr->truncated = rec.number;
		*p = (struct flow_pkt){ .rec = rec.number, .ts = rec.ts, .from_client = fc,
					.seg = rec.seg };
		p->seg.payload = NULL;
		return 1;
	}
	return rc;
}

unsigned long flow_reader_truncated(const struct flow_reader *fr)
{
	return fr->truncated;
}

void flow_reader_close(struct flow_reader *fr)
{
	if (!fr)
		return;
	pcap_read_close(fr->r);
	flow_table_free(&fr->t);
	free(fr);
}

int flow_read_packets(const char *path, unsigned number, struct flow_pkt **pkts,
		      size_t *n, unsigned long *truncated, struct tr_err *err)
{
	struct flow_reader *fr = flow_reader_open(path, number, err);
	struct flow_pkt *v = NULL, pk;
	size_t cap = 0;
	int rc;

	*pkts = NULL;
	*n = 0;
	*truncated = 0;
	if (!fr)
		return -1;
	while ((rc = flow_reader_next(fr, &pk, err)) == 1) {
		if (*n == cap) {
			struct flow_pkt *nv;

			cap = cap ? 2 * cap : 64;
			nv = realloc(v, cap * sizeof(*v));
			if (!nv) {
				rc = err_sys(err, "%s: flow %u", path, number);
				break;
			}
			v = nv;
		}
		v[(*n)++] = pk;
	}
	*truncated = flow_reader_truncated(fr);
	flow_reader_close(fr);
	if (rc < 0) {
		free(v);
		*n = 0;
		return -1;
	}
	*pkts = v;
	return 0;
}
