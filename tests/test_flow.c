/* Unit tests for the flow table (wire/flow.c): conversations numbered in the
 * order they began, client and server told by the SYN, packets, bytes and
 * duration counted, how each ended; a reused port after an end is a new
 * flow, unless its SYN repeats the conversation's ISN, a SYN-ACK seen first makes its receiver the client. The first
 * argument is a capture of curl against python3 -m http.server
 * (pcaps/replay/http_get.pcap), read through pcap_read. */
#include <arpa/inet.h>
#include <string.h>

#include "core/segment.h"
#include "wire/flow.h"
#include "wire/pcap_read.h"
#include "tap.h"

static struct segment seg(const char *src, unsigned sport, const char *dst, unsigned dport,
			  uint8_t flags, uint32_t len)
{
	struct segment s;

	segment_init(&s);
	inet_pton(AF_INET, src, &s.src.v4);
	inet_pton(AF_INET, dst, &s.dst.v4);
	s.sport = (uint16_t)sport;
	s.dport = (uint16_t)dport;
	s.flags = flags;
	s.payload_len = len;
	return s;
}

static struct segment with_seq(struct segment s, uint32_t seq)
{
	s.seq = seq;
	return s;
}

static unsigned long rec_no;

static long add(struct flow_table *t, struct segment s, bool *fc)
{
	struct timespec ts = { 100, (long)rec_no * 1000000 };
	struct tr_err err;

	return flow_table_add(t, &s, ++rec_no, &ts, fc, &err);
}

static void test_a_conversation_is_counted_and_ends_with_both_fins(void)
{
	struct flow_table t;
	const char *c = "10.0.0.1", *s = "10.0.0.2";
	bool fc = false;
	char buf[64];

	flow_table_init(&t);
	rec_no = 0;
	is_int(add(&t, seg(c, 5000, s, 80, SEG_SYN, 0), &fc), 0, "the SYN starts flow index 0");
	ok(fc, "the SYN's sender is the client");
	add(&t, seg(s, 80, c, 5000, SEG_SYN | SEG_ACK, 0), &fc);
	ok(!fc, "the SYN-ACK comes from the server");
	add(&t, seg(c, 5000, s, 80, SEG_ACK, 0), NULL);
	add(&t, seg(c, 5000, s, 80, SEG_ACK | SEG_PSH, 100), NULL);
	add(&t, seg(s, 80, c, 5000, SEG_ACK | SEG_PSH, 300), NULL);
	is_int(t.v[0].end, FLOW_OPEN, "no FIN yet: open");
	add(&t, seg(s, 80, c, 5000, SEG_ACK | SEG_FIN, 0), NULL);
	is_int(t.v[0].end, FLOW_OPEN, "one FIN: still open");
	add(&t, seg(c, 5000, s, 80, SEG_ACK | SEG_FIN, 0), NULL);
	add(&t, seg(s, 80, c, 5000, SEG_ACK, 0), NULL);
	is_int(t.n, 1, "one flow");
	is_int(t.v[0].number, 1, "numbered 1");
	is_int(t.v[0].packets, 8, "8 packets");
	is_int(t.v[0].bytes, 400, "400 payload bytes");
	is_int(t.v[0].end, FLOW_FIN, "both FINs: FIN");
	ok(t.v[0].syn_seen, "its SYN was seen");
	is_int(t.v[0].first_rec, 1, "from record 1");
	is_int(t.v[0].last_rec, 8, "to record 8");
	is_str(flow_ep_format(AF_INET, &t.v[0].client, buf, sizeof(buf)), "10.0.0.1:5000",
	       "the client");
	is_str(flow_ep_format(AF_INET, &t.v[0].server, buf, sizeof(buf)), "10.0.0.2:80",
	       "the server");
	is_str(flow_end_name(t.v[0].end), "FIN", "named FIN");
	flow_table_free(&t);
}

static void test_flows_interleave_and_a_reused_port_is_a_new_flow(void)
{
	struct flow_table t;
	const char *c = "10.0.0.1", *s = "10.0.0.2";

	flow_table_init(&t);
	rec_no = 0;
	add(&t, seg(c, 5000, s, 80, SEG_SYN, 0), NULL);
	add(&t, seg(c, 5001, s, 80, SEG_SYN, 0), NULL);
	is_int(add(&t, seg(s, 80, c, 5000, SEG_RST | SEG_ACK, 0), NULL), 0,
	       "the RST belongs to the first");
	is_int(add(&t, seg(s, 80, c, 5001, SEG_SYN | SEG_ACK, 0), NULL), 1,
	       "the SYN-ACK to the second");
	is_int(t.v[0].end, FLOW_RST, "the first ended by RST");
	is_int(t.v[1].end, FLOW_OPEN, "the second is open");
	is_int(add(&t, with_seq(seg(c, 5000, s, 80, SEG_SYN, 0), 7000), NULL), 2,
	       "a SYN with a new ISN on the ended flow's ports starts flow 3");
	is_int(t.v[2].number, 3, "numbered 3");
	is_int(add(&t, seg(c, 5001, s, 80, SEG_SYN, 0), NULL), 1,
	       "a SYN on an open flow's ports stays in it (a retransmitted SYN)");
	/* Enough flows to make the table grow several times. */
	for (unsigned p = 0; p < 1000; p++)
		add(&t, seg(c, 10000 + p, s, 80, SEG_SYN, 0), NULL);
	is_int(t.n, 1003, "1003 flows after 1000 more");
	is_int(add(&t, seg(s, 80, c, 10500, SEG_ACK, 7), NULL), 503,
	       "still found after the table grew");
	is_int(t.v[503].bytes, 7, "its bytes counted");
	flow_table_free(&t);
}

/* The catalogue's syn_to_tw_older_acked and lost_last_ack_meets_reused_port:
 * a SYN that repeats the conversation's ISN is that SYN again, not a new
 * connection (a kernel picks a new ISN for one). */
static void test_a_syn_repeating_the_isn_stays_in_its_flow(void)
{
	struct flow_table t;
	const char *c = "10.0.0.1", *s = "10.0.0.2";

	flow_table_init(&t);
	rec_no = 0;
	/* Closed with both FINs, then the old SYN sent again into TIME_WAIT. */
	add(&t, with_seq(seg(c, 5000, s, 80, SEG_SYN, 0), 1000), NULL);
	add(&t, seg(s, 80, c, 5000, SEG_SYN | SEG_ACK, 0), NULL);
	add(&t, seg(s, 80, c, 5000, SEG_FIN | SEG_ACK, 0), NULL);
	add(&t, seg(c, 5000, s, 80, SEG_FIN | SEG_ACK, 0), NULL);
	is_int(t.v[0].end, FLOW_FIN, "closed by FINs");
	is_int(add(&t, with_seq(seg(c, 5000, s, 80, SEG_SYN, 0), 1000), NULL), 0,
	       "the old SYN again after the FINs stays in flow 1");
	is_int(add(&t, seg(s, 80, c, 5000, SEG_ACK, 0), NULL), 0,
	       "and so does the TIME_WAIT's ACK of it");
	is_int(t.v[0].end, FLOW_FIN, "still ended by FINs: the old SYN opened nothing");
	/* A connect's SYN met by an RST, then sent again. */
	add(&t, with_seq(seg(c, 5001, s, 80, SEG_SYN, 0), 2000), NULL);
	add(&t, seg(s, 80, c, 5001, SEG_FIN | SEG_ACK, 0), NULL);
	add(&t, with_seq(seg(c, 5001, s, 80, SEG_RST, 0), 3000), NULL);
	is_int(t.v[1].end, FLOW_RST, "its RST ended the attempt");
	is_int(add(&t, with_seq(seg(c, 5001, s, 80, SEG_SYN, 0), 2000), NULL), 1,
	       "its SYN sent again stays in flow 2");
	is_int(t.v[1].end, FLOW_OPEN, "and opens it again");
	add(&t, seg(s, 80, c, 5001, SEG_SYN | SEG_ACK, 0), NULL);
	add(&t, seg(c, 5001, s, 80, SEG_ACK, 0), NULL);
	is_int(t.n, 2, "two flows, not four");
	is_int(t.v[1].packets, 6, "the second has all 6 packets");
	/* The server sending the client's ISN is no SYN again. */
	add(&t, seg(c, 5001, s, 80, SEG_RST, 0), NULL);
	is_int(add(&t, with_seq(seg(s, 80, c, 5001, SEG_SYN, 0), 2000), NULL), 2,
	       "the other side's SYN with that number starts a new flow");
	flow_table_free(&t);
}

static void test_a_syn_ack_first_makes_its_receiver_the_client(void)
{
	struct flow_table t;
	bool fc = true;

	flow_table_init(&t);
	rec_no = 0;
	add(&t, seg("10.0.0.2", 80, "10.0.0.1", 5000, SEG_SYN | SEG_ACK, 0), &fc);
	ok(!fc, "the SYN-ACK's sender is the server");
	is_int(t.v[0].client.port, 5000, "the client is the SYN-ACK's receiver");
	ok(!t.v[0].syn_seen, "no SYN seen");
	add(&t, seg("10.0.0.9", 1, "10.0.0.8", 2, SEG_ACK, 10), &fc);
	ok(fc, "mid-connection, the first sender is the client");
	ok(!t.v[1].syn_seen, "and no SYN seen");
	flow_table_free(&t);
}

static void test_a_real_capture(const char *path)
{
	struct pcap_reader *r;
	struct pcap_record rec;
	struct flow_table t;
	struct tr_err err = { 0 };
	char buf[64];
	double dur;

	flow_table_init(&t);
	r = pcap_read_open(path, &err);
	if (!ok(r != NULL, "%s opens", path)) {
		diag(err.msg);
		return;
	}
	while (pcap_read_next(r, &rec, &err) == 1)
		if (rec.kind == PCAP_REC_TCP)
			flow_table_add(&t, &rec.seg, rec.number, &rec.ts, NULL, &err);
	pcap_read_close(r);
	is_int(t.n, 1, "curl's capture: one flow");
	is_int(t.v[0].packets, 12, "12 packets");
	is_int(t.v[0].bytes, 88 + 186 + 30, "the request and the response's two writes");
	is_int(t.v[0].end, FLOW_FIN, "ended by FINs");
	is_str(flow_ep_format(AF_INET, &t.v[0].server, buf, sizeof(buf)), "127.0.0.1:18080",
	       "the server is http.server's port");
	dur = (double)(t.v[0].last_ts.tv_sec - t.v[0].first_ts.tv_sec) +
	      (double)(t.v[0].last_ts.tv_nsec - t.v[0].first_ts.tv_nsec) / 1e9;
	ok(dur > 0 && dur < 1, "a duration under a second (%.6f s)", dur);
	flow_table_free(&t);
}

int main(int argc, char **argv)
{
	test_a_conversation_is_counted_and_ends_with_both_fins();
	test_flows_interleave_and_a_reused_port_is_a_new_flow();
	test_a_syn_repeating_the_isn_stays_in_its_flow();
	test_a_syn_ack_first_makes_its_receiver_the_client();
	if (argc > 1)
		test_a_real_capture(argv[1]);
	return tap_done();
}
