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

int flow_read_packets(const char *path, unsigned number, struct flow_pkt **pkts,
		      size_t *n, unsigned long *truncated, struct tr_err *err)
{
	/* The table again, so that a reused port's incarnations are told
	 * apart exactly as when the flows were numbered. */
	struct pcap_reader *r = pcap_read_open(path, err);
	struct flow_table t;
	struct pcap_record rec;
	struct flow_pkt *v = NULL;
	size_t cap = 0;
	int rc;

	*pkts = NULL;
	*n = 0;
	*truncated = 0;
	if (!r)
		return -1;
	flow_table_init(&t);
	while ((rc = pcap_read_next(r, &rec, err)) == 1) {
		bool fc;
		long i;

		if (rec.kind != PCAP_REC_TCP)
			continue;
		i = flow_table_add(&t, &rec.seg, rec.number, &rec.ts, &fc, err);
		if (i < 0) {
			rc = -1;
			break;
		}
		if (t.v[i].number != number)
			continue;
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
		if (rec.caplen < rec.len && !*truncated)
			*truncated = rec.number;
		v[*n] = (struct flow_pkt){ .rec = rec.number, .ts = rec.ts, .from_client = fc,
					   .seg = rec.seg };
		v[*n].seg.payload = NULL;
		(*n)++;
	}
	pcap_read_close(r);
	flow_table_free(&t);
	if (rc < 0) {
		free(v);
		*n = 0;
		return -1;
	}
	*pkts = v;
	return 0;
}
