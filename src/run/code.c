/* code.c - `%{ }%` blocks: TCP_INFO read at their time, Python after the
 * case (code.h). The struct is the kernel's uapi one, laid out by this
 * machine's headers; a field the running kernel did not fill (it returned
 * fewer bytes) is not defined for Python, so a block that uses it fails
 * with a NameError rather than reading a zero. */
#include "run/code.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "run/pump.h"
#include "run/record.h"
#include "run/state.h"
#include "run/timeline.h"

/* Python gets this long for all the blocks of a case. */
#define CODE_PYTHON_TIMEOUT_MS 20000
/* What Python may say about a failure, at most. */
#define CODE_OUT_MAX 4096

struct code_snap {
	const struct case_event *ev;
	uint32_t len;
	uint8_t info[AGENT_DATA_MAX];
};

struct code_field {
	const char *name;
	size_t off, size;
};

#define CF(f) { #f, offsetof(struct tcp_info, f), sizeof(((struct tcp_info *)0)->f) }
/* clang-format off */
static const struct code_field code_fields[] = {
	CF(tcpi_state), CF(tcpi_ca_state), CF(tcpi_retransmits), CF(tcpi_probes),
	CF(tcpi_backoff), CF(tcpi_options), CF(tcpi_rto), CF(tcpi_ato), CF(tcpi_snd_mss),
	CF(tcpi_rcv_mss), CF(tcpi_unacked), CF(tcpi_sacked), CF(tcpi_lost), CF(tcpi_retrans),
	CF(tcpi_fackets), CF(tcpi_last_data_sent), CF(tcpi_last_ack_sent),
	CF(tcpi_last_data_recv), CF(tcpi_last_ack_recv), CF(tcpi_pmtu), CF(tcpi_rcv_ssthresh),
	CF(tcpi_rtt), CF(tcpi_rttvar), CF(tcpi_snd_ssthresh), CF(tcpi_snd_cwnd),
	CF(tcpi_advmss), CF(tcpi_reordering), CF(tcpi_rcv_rtt), CF(tcpi_rcv_space),
	CF(tcpi_total_retrans), CF(tcpi_pacing_rate), CF(tcpi_max_pacing_rate),
	CF(tcpi_bytes_acked), CF(tcpi_bytes_received), CF(tcpi_segs_out), CF(tcpi_segs_in),
	CF(tcpi_notsent_bytes), CF(tcpi_min_rtt), CF(tcpi_data_segs_in),
	CF(tcpi_data_segs_out), CF(tcpi_delivery_rate), CF(tcpi_busy_time),
	CF(tcpi_rwnd_limited), CF(tcpi_sndbuf_limited), CF(tcpi_delivered),
	CF(tcpi_delivered_ce), CF(tcpi_bytes_sent), CF(tcpi_bytes_retrans),
	CF(tcpi_dsack_dups), CF(tcpi_reord_seen), CF(tcpi_rcv_ooopack), CF(tcpi_snd_wnd),
};

/* Names Python blocks use besides the fields: include/net/tcp_states.h's
 * states (a stable ABI), linux/tcp.h's congestion states and options. */
static const struct { const char *name; long long value; } code_consts[] = {
	{ "TCP_ESTABLISHED", 1 }, { "TCP_SYN_SENT", 2 }, { "TCP_SYN_RECV", 3 },
	{ "TCP_FIN_WAIT1", 4 }, { "TCP_FIN_WAIT2", 5 }, { "TCP_TIME_WAIT", 6 },
	{ "TCP_CLOSE", 7 }, { "TCP_CLOSE_WAIT", 8 }, { "TCP_LAST_ACK", 9 },
	{ "TCP_LISTEN", 10 }, { "TCP_CLOSING", 11 },
	{ "TCP_CA_Open", TCP_CA_Open }, { "TCP_CA_Disorder", TCP_CA_Disorder },
	{ "TCP_CA_CWR", TCP_CA_CWR }, { "TCP_CA_Recovery", TCP_CA_Recovery },
	{ "TCP_CA_Loss", TCP_CA_Loss },
	{ "TCPI_OPT_TIMESTAMPS", TCPI_OPT_TIMESTAMPS }, { "TCPI_OPT_SACK", TCPI_OPT_SACK },
	{ "TCPI_OPT_WSCALE", TCPI_OPT_WSCALE }, { "TCPI_OPT_ECN", TCPI_OPT_ECN },
	{ "TCPI_OPT_ECN_SEEN", TCPI_OPT_ECN_SEEN }, { "TCPI_OPT_SYN_DATA", TCPI_OPT_SYN_DATA },
	{ "TCP_INFINITE_SSTHRESH", 0x7fffffff },
};
/* clang-format on */

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

int runner_code(struct runner *r, const struct case_event *ev)
{
	struct code_snap *snap, *grown;
	struct trace_event *e;
	struct agent_req req;
	struct agent_reply rep;
	int64_t due = runner_due(r, ev), start, done;

	if (runner_wait_call(r) || r->done)
		return r->done ? 0 : -1;
	agent_req_init(&req, AGENT_TCP_INFO);
	run_ends_sockaddr(&r->ends, false, r->target_port_set ? r->flow.target_port : 0, &req.addr);
	run_ends_sockaddr(&r->ends, true, r->rig_port_set ? r->flow.rig_port : 0, &req.peer);
	if (runner_agent_due(r, ev, due, &req) || r->done)
		return r->done ? 0 : -1;
	if (agent_call(&r->agent, &req, &rep, 2000, r->err))
		return -1;
	start = (int64_t)(rep.start_us - r->t0);
	done = (int64_t)(rep.done_us - r->t0);
	e = runner_trace(r, TRACE_CHECK, ev, start);
	e->t_end_us = done;
	if (rep.ret) {
		snprintf(e->actual, sizeof(e->actual), "%.300s", rep.out);
		runner_trace_fail(r, e, NULL, "TCP_INFO could not be read");
		runner_verdict(r, RUN_FAIL, ev, "%s\n  TCP_INFO could not be read: %s", ev->text,
			       rep.out);
		return 0;
	}
	snprintf(e->actual, sizeof(e->actual), "TCP_INFO of fd %lld read",
		 (long long)rep.value);
	if (runner_late(r, ev, e, due, start, "the agent read TCP_INFO"))
		return 0;
	runner_anchor(r, ev, start, done, due, runner_script_at(r, ev));
	grown = realloc(r->code, (r->ncode + 1) * sizeof(*r->code));
	if (!grown)
		return err_sys(r->err, "%%{ }%% blocks");
	r->code = grown;
	snap = &r->code[r->ncode++];
	snap->ev = ev;
	snap->len = rep.datalen > sizeof(snap->info) ? sizeof(snap->info) : rep.datalen;
	memcpy(snap->info, rep.data, snap->len);
	return 0;
}

/* A Python string literal of s. */
static void code_py_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", f);
		else if (c < 0x20 || c >= 0x7f)
			fprintf(f, "\\x%02x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

static uint64_t code_field_value(const struct code_snap *s, const struct code_field *cf)
{
	uint64_t v = 0;

	switch (cf->size) {
	case 1:
		v = s->info[cf->off];
		break;
	case 2: {
		uint16_t x;

		memcpy(&x, s->info + cf->off, 2);
		v = x;
		break;
	}
	case 4: {
		uint32_t x;

		memcpy(&x, s->info + cf->off, 4);
		v = x;
		break;
	}
	default:
		memcpy(&v, s->info + cf->off, sizeof(v));
		break;
	}
	return v;
}

/* One block's values as a Python dict. */
static void code_py_vars(FILE *f, const struct code_snap *s)
{
	struct tcp_info ti;

	memset(&ti, 0, sizeof(ti));
	memcpy(&ti, s->info, s->len < sizeof(ti) ? s->len : sizeof(ti));
	fputc('{', f);
	for (size_t i = 0; i < ARRAY_LEN(code_fields); i++)
		if (code_fields[i].off + code_fields[i].size <= s->len)
			fprintf(f, "'%s': %llu, ", code_fields[i].name,
				(unsigned long long)code_field_value(s, &code_fields[i]));
	/* Bit fields, which have no offset of their own. */
	if (s->len > offsetof(struct tcp_info, tcpi_rto))
		fprintf(f, "'tcpi_snd_wscale': %u, 'tcpi_rcv_wscale': %u, "
			   "'tcpi_delivery_rate_app_limited': %u, 'tcpi_fastopen_client_fail': %u",
			ti.tcpi_snd_wscale, ti.tcpi_rcv_wscale, ti.tcpi_delivery_rate_app_limited,
			ti.tcpi_fastopen_client_fail);
	fputc('}', f);
}

/* The program: the blocks in order, each in its own namespace; the first
 * failure prints "LINE\tERROR\tSOURCE LINE\tVALUES" and exits 1. */
static int code_program(struct runner *r, char **text, size_t *len)
{
	FILE *f = open_memstream(text, len);

	if (!f)
		return err_sys(r->err, "%%{ }%% blocks");
	fputs("import re, sys, textwrap, traceback\n_consts = {", f);
	for (size_t i = 0; i < ARRAY_LEN(code_consts); i++)
		fprintf(f, "'%s': %lld, ", code_consts[i].name, code_consts[i].value);
	fputs("}\n_blocks = [\n", f);
	for (size_t i = 0; i < r->ncode; i++) {
		fprintf(f, "(%d, ", r->code[i].ev->line);
		code_py_vars(f, &r->code[i]);
		fputs(", ", f);
		code_py_str(f, r->code[i].ev->u.code.text);
		fputs("),\n", f);
	}
	fputs("]\n"
	      "for _line, _vars, _code in _blocks:\n"
	      /* The blank line ends a statement that a trailing backslash
	       * continued (upstream scripts end blocks with one). */
	      "    _src = textwrap.dedent(_code.strip('\\n')) + '\\n\\n'\n"
	      "    _g = dict(_consts)\n"
	      "    _g.update(_vars)\n"
	      "    try:\n"
	      "        exec(compile(_src, 'line %d' % _line, 'exec'), _g)\n"
	      "    except Exception as _e:\n"
	      "        _tb = traceback.extract_tb(sys.exc_info()[2])[-1]\n"
	      "        _lines = _src.splitlines()\n"
	      "        _at = _lines[_tb.lineno - 1].strip() if _tb.lineno and "
	      "_tb.lineno <= len(_lines) else ''\n"
	      "        if isinstance(_e, SyntaxError) and _e.text:\n"
	      "            _at = _e.text.strip()\n"
	      "        _names = sorted(set(re.findall(r'\\b[A-Za-z_]\\w*\\b', _at)) & set(_vars))\n"
	      "        _vals = ', '.join('%s=%s' % (n, _vars[n]) for n in _names)\n"
	      "        _msg = '%s: %s' % (type(_e).__name__, _e) if str(_e) else type(_e).__name__\n"
	      "        print('%d\\t%s\\t%s\\t%s' % (_line, _msg, _at, _vals))\n"
	      "        sys.exit(1)\n",
	      f);
	if (fclose(f))
		return err_sys(r->err, "%%{ }%% blocks");
	return 0;
}

/* Runs python3 on program; *status its exit status (127: no python3), out
 * what it printed. Bounded by CODE_PYTHON_TIMEOUT_MS. */
static int code_python(struct runner *r, const char *program, size_t len, int *status,
		       char *out, size_t cap)
{
	int in[2], res[2], st = 0;
	size_t n = 0, sent = 0;
	struct timespec t0, now;
	pid_t pid;

	if (pipe2(in, O_CLOEXEC) || pipe2(res, O_CLOEXEC))
		return err_sys(r->err, "%%{ }%% blocks: pipe");
	pid = fork();
	if (pid < 0)
		return err_sys(r->err, "%%{ }%% blocks: fork");
	if (pid == 0) {
		if (dup2(in[0], 0) < 0 || dup2(res[1], 1) < 0 || dup2(res[1], 2) < 0)
			_exit(127);
		/* Debian's own first: a version manager's shim on PATH may take
		 * half a second to start. */
		execl("/usr/bin/python3", "python3", "-", (char *)NULL);
		execlp("python3", "python3", "-", (char *)NULL);
		_exit(127);
	}
	close(in[0]);
	close(res[1]);
	signal(SIGPIPE, SIG_IGN);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		struct pollfd pfd[2] = { { .fd = res[0], .events = POLLIN },
					 { .fd = sent < len ? in[1] : -1, .events = POLLOUT } };
		long ms;

		clock_gettime(CLOCK_MONOTONIC, &now);
		ms = (now.tv_sec - t0.tv_sec) * 1000 + (now.tv_nsec - t0.tv_nsec) / 1000000;
		if (ms > CODE_PYTHON_TIMEOUT_MS) {
			kill(pid, SIGKILL);
			snprintf(out, cap, "python3 ran over %d ms and was killed",
				 CODE_PYTHON_TIMEOUT_MS);
			n = strlen(out);
			break;
		}
		if (poll(pfd, 2, (int)(CODE_PYTHON_TIMEOUT_MS - ms)) < 0 && errno != EINTR)
			break;
		if (pfd[1].revents) {
			ssize_t w = write(in[1], program + sent, len - sent);

			if (w > 0)
				sent += (size_t)w;
			if (w < 0 || sent == len) {
				close(in[1]);
				in[1] = -1;
				sent = len;
			}
		}
		if (pfd[0].revents) {
			char buf[512];
			ssize_t k = read(res[0], buf, sizeof(buf));

			if (k <= 0)
				break;
			if (n + 1 < cap) {
				size_t take = (size_t)k < cap - 1 - n ? (size_t)k : cap - 1 - n;

				memcpy(out + n, buf, take);
				n += take;
			}
		}
	}
	out[n] = '\0';
	if (in[1] >= 0)
		close(in[1]);
	close(res[0]);
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	*status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + (WIFSIGNALED(st) ? WTERMSIG(st) : 0);
	return 0;
}

/* "LINE\tERROR\tSOURCE\tVALUES" as the verdict of that block's line. */
static void code_fail(struct runner *r, const char *out)
{
	const struct case_event *ev = NULL;
	char msg[CODE_OUT_MAX], *f[4] = { NULL };
	struct trace_event *e;
	int line = atoi(out), k = 0;

	snprintf(msg, sizeof(msg), "%s", out);
	for (char *p = msg; k < 4 && p; k++) {
		f[k] = p;
		p = strchr(p, '\t');
		if (p)
			*p++ = '\0';
	}
	for (size_t i = 0; i < r->ncode && !ev; i++)
		if (r->code[i].ev->line == line)
			ev = r->code[i].ev;
	if (!ev || !f[1] || !f[2] || !f[3]) {
		runner_verdict(r, RUN_FAIL, ev, "%%{ }%% blocks: python3 said: %s", out);
		return;
	}
	f[3][strcspn(f[3], "\n")] = '\0';
	e = runner_trace(r, TRACE_CHECK, ev, runner_now(r));
	snprintf(e->actual, sizeof(e->actual), "%.300s", f[3]);
	runner_trace_fail(r, e, NULL, f[1]);
	runner_verdict(r, RUN_FAIL, ev, "%s\n  %s%s%s\n  with %s", ev->text, f[1],
		       f[2][0] ? " at: " : "", f[2], f[3][0] ? f[3] : "no tcpi_ value on that line");
}

int runner_code_review(struct runner *r)
{
	char *program = NULL, out[CODE_OUT_MAX];
	size_t len = 0;
	int status = 0, rc;

	if (!r->ncode || r->done)
		return 0;
	if (code_program(r, &program, &len))
		return -1;
	rc = code_python(r, program, len, &status, out, sizeof(out));
	free(program);
	if (rc)
		return -1;
	if (status == 127)
		runner_verdict(r, RUN_SKIP, r->code[0].ev,
			       "%%{ }%% blocks need python3, which is not installed");
	else if (status)
		code_fail(r, out);
	return 0;
}

void runner_code_free(struct runner *r)
{
	free(r->code);
	r->code = NULL;
	r->ncode = 0;
}
