/* matrix_tw.c - tcprig matrix --events timewait (matrix_tw.h). */
#include "cmd/matrix_tw.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "case/case.h"
#include "case/family.h"
#include "cmd/remote_opts.h"
#include "cmd/rig_opts.h"
#include "cmd/subcommands.h"
#include "core/parse_num.h"
#include "lab/lab.h"
#include "lab/registry.h"
#include "report/twcell.h"
#include "report/twtable.h"
#include "run/pool.h"
#include "run/pool_check.h"
#include "run/twgen.h"

/* Retries for an INCONCLUSIVE cell unless --retries or TCPRIG_RETRIES says:
 * a re-run must give the same table, and a late rig is no observation. */
#define TW_RETRIES_DEFAULT 3
#define TW_SCRIPT_MAX 4096

static void tw_usage(FILE *f)
{
	fprintf(f,
		"Usage: %s matrix --events timewait [options]\n"
		"The TIME_WAIT event matrix: for every cell the target closes a connection\n"
		"first (its socket goes to TIME_WAIT), then the rig sends ONE segment - SYN,\n"
		"SYN-ACK, ACK, FIN, FIN-ACK, RST, RST-ACK, data or SYN+FIN - at rcv_nxt-1,\n"
		"rcv_nxt, rcv_nxt+1, inside the window, at its right edge or beyond it, with\n"
		"a fresh or a stale timestamp, under net.ipv4.tcp_rfc1337 0 and 1, over IPv4\n"
		"and IPv6 (216 cells per family), and records what the target did: its\n"
		"first reply (silent, dup-ack, chal-ack, ack-other, rst, syn-ack) and\n"
		"whether the TIME_WAIT socket is kept, gone or replaced by a new connection\n"
		"(sock_diag). Cells that contradict an RFC statement are marked '!' and\n"
		"listed with the RFC and section. Each cell is a generated case run in its\n"
		"own lab.\n\n"
		"  --events timewait   the matrix to run (the only one so far)\n"
		"  -j, --jobs N        cells at once (default: the online CPUs)\n"
		"  --only KIND[,KIND]  only these segment kinds (SYN, SYN-ACK, ACK, FIN,\n"
		"                      FIN-ACK, RST, RST-ACK, data, SYN-FIN)\n"
		"  --family F          ipv4, ipv6 or both (the default): the cells of\n"
		"                      that family, each run in the lab's IPv4 or IPv6 pair\n"
		"  --json FILE         every cell as JSON\n"
		"  --html FILE         the table as one HTML page, each cell linking its\n"
		"                      ladder and (with --pcap) its capture\n"
		"  --pcap DIR          each cell's capture as DIR/<cell>.pcap\n"
		"  --print-case CELL   print the generated case of one cell (named as in\n"
		"                      --json's pcap names: ipv4-syn-rcv_nxt-fresh-rfc1337_0,\n"
		"                      ipv6-rst-edge-stale-rfc1337_1)\n"
		"                      and exit, nothing run\n"
		"Labs on this host only: --target (and the other remote options), --kernel\n"
		"and -D are refused here.\n",
		prog_name);
	rig_opts_usage(f);
	fprintf(f, "  (--retries defaults to %d here)\n"
		   "Exit: 0 every cell observed, 2 bad input (nothing ran), 3 a cell could not\n"
		   "be observed (error, FAIL, inconclusive).\n",
		TW_RETRIES_DEFAULT);
}

bool matrix_tw_given(int argc, char *argv[])
{
	for (int i = 1; i < argc && strcmp(argv[i], "--"); i++)
		if (!strcmp(argv[i], "--events") || !strncmp(argv[i], "--events=", 9))
			return true;
	return false;
}

/* "SYN,rst-ack" -> a kind mask; errors name the offending kind. */
static int tw_parse_only(const char *arg, unsigned *mask, struct tr_err *err)
{
	char buf[256], *save = NULL, *tok;

	if (snprintf(buf, sizeof(buf), "%s", arg) >= (int)sizeof(buf))
		return err_usage(err, "--only %.40s...: too long", arg);
	*mask = 0;
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		int k = tw_kind_parse(tok);

		if (k < 0)
			return err_usage(err,
					 "--only: unknown segment kind '%s' (SYN, SYN-ACK, ACK, FIN, "
					 "FIN-ACK, RST, RST-ACK, data, SYN-FIN)",
					 tok);
		*mask |= 1u << k;
	}
	if (!*mask)
		return err_usage(err, "--only: no segment kind given");
	return 0;
}

struct tw_run {
	struct tw_cell *cells;
	size_t n;
	bool progress;
	unsigned unobserved;
};

static void tw_report(size_t i, const struct run_pool_case *c, void *ctx)
{
	struct tw_run *tr = ctx;
	struct tw_cell *cell = &tr->cells[i];

	cell->ret = c->ret;
	cell->err = c->err;
	cell->res = c->res; /* the trace is the cell's now */
	tw_cell_observe(cell);
	if (!cell->observed)
		tr->unobserved++;
	if (tr->progress) {
		char name[96];

		tw_cell_name(&cell->p, name, sizeof(name));
		fprintf(stderr, "\r\033[K[%zu/%zu] %s: %s", i + 1, tr->n, name, cell->text);
		fflush(stderr);
	}
}

struct tw_opts {
	unsigned kinds;
	bool family[TW_FAMILIES]; /* the families whose cells run */
	unsigned jobs;
	const char *pcap_dir, *print_case;
	FILE *json, *html;
	struct rig_opts rig;
	bool retries_given;
};

static FILE *tw_open(const char *opt, const char *path, struct tr_err *err)
{
	FILE *f = fopen(path, "w");

	if (!f)
		err_usage(err, "%s %s: %s", opt, path, strerror(errno));
	return f;
}

/* Options; 1 when --help was shown. */
static int tw_options(int argc, char *argv[], struct tw_opts *o, struct tr_err *err)
{
	static const struct option opts[] = {
		{ "events", required_argument, NULL, 'E' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "only", required_argument, NULL, 'O' },
		{ "family", required_argument, NULL, 'F' },
		{ "json", required_argument, NULL, 'J' },
		{ "html", required_argument, NULL, 'H' },
		{ "pcap", required_argument, NULL, 'p' },
		{ "print-case", required_argument, NULL, 'P' },
		RIG_OPTS_LONG,
		REMOTE_OPTS_LONG,
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	uint64_t num;
	int opt, at;

	if (rig_opts_init(&o->rig, err))
		return -1;
	o->retries_given = getenv("TCPRIG_RETRIES") != NULL;
	opterr = 0;
	optind = 1;
	for (at = -1; (opt = getopt_long(argc, argv, "j:D:", opts, &at)) != -1; at = -1) {
		int taken;

		/* The cells are generated for, and pinned in, labs of their
		 * own run side by side; another host takes one session at a
		 * time and its TIME_WAIT sockets outlive a cell, so running
		 * the matrix there is not built: refused, not ignored. */
		if (opt >= REMOTE_OPT_TARGET && opt <= REMOTE_OPT_I_MEAN_IT)
			return err_usage(err,
					 "--%s does not go with --events timewait: its cells run "
					 "in labs on this host",
					 opts[at].name);
		/* The generated cells name no -D values: one given would be
		 * silently unused. */
		if (opt == RIG_OPT_DEFINE)
			return err_usage(err, "%s %s: the TIME_WAIT matrix's generated cases "
					      "use no -D names",
					 at < 0 ? "-D" : "--define", optarg);
		taken = rig_opts_take(&o->rig, opt, optarg, err);
		if (taken < 0)
			return -1;
		if (taken) {
			o->retries_given |= opt == RIG_OPT_RETRIES;
			continue;
		}
		switch (opt) {
		case 'E':
			if (strcmp(optarg, "timewait"))
				return err_usage(err, "--events %s: the only event matrix is 'timewait'",
						 optarg);
			break;
		case 'j':
			if (parse_u64("--jobs", optarg, 1, RUN_POOL_JOBS_MAX, &num, err))
				return -1;
			o->jobs = (unsigned)num;
			break;
		case 'O':
			if (tw_parse_only(optarg, &o->kinds, err))
				return -1;
			break;
		case 'F':
			if (case_family_parse(optarg, &o->family[TW_IPV4], &o->family[TW_IPV6],
					      err))
				return -1;
			break;
		case 'J':
			if (o->json)
				fclose(o->json);
			if (!(o->json = tw_open("--json", optarg, err)))
				return -1;
			break;
		case 'H':
			if (o->html)
				fclose(o->html);
			if (!(o->html = tw_open("--html", optarg, err)))
				return -1;
			break;
		case 'p':
			o->pcap_dir = optarg;
			break;
		case 'P':
			o->print_case = optarg;
			break;
		case 'h':
			tw_usage(stdout);
			return 1;
		default:
			return err_usage(err, "unknown or incomplete option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return err_usage(err, "matrix --events timewait takes no case files ('%s')",
				 argv[optind]);
	if (!o->retries_given)
		o->rig.retries = TW_RETRIES_DEFAULT;
	return 0;
}

/* --print-case CELL: its script on stdout. */
static int tw_print_case(const char *want, uint32_t win, struct tr_err *err)
{
	for (size_t i = 0; i < TW_FAMILIES * TW_CELLS_PER_FAMILY; i++) {
		struct tw_params p;
		char name[96], text[TW_SCRIPT_MAX];
		int line;

		tw_params_of(i, &p);
		tw_cell_name(&p, name, sizeof(name));
		if (strcmp(name, want))
			continue;
		if (twgen_script(&p, win, text, sizeof(text), &line, err))
			return -1;
		fputs(text, stdout);
		return 0;
	}
	return err_usage(err, "--print-case %s: no such cell (e.g. ipv4-syn-rcv_nxt-fresh-rfc1337_0)",
			 want);
}

struct tw_job {
	struct tw_cell *cells;
	struct case_script *scripts;
	struct run_pool_case *cases;
	char (*pcaps)[PATH_MAX];
	const char **pcap_links;
	size_t n;
};

/* The cells to run, each generated and parsed, and its pool case. */
static int tw_prepare(const struct tw_opts *o, struct tw_job *st, struct tr_err *err)
{
	size_t max = TW_FAMILIES * TW_CELLS_PER_FAMILY;

	st->cells = calloc(max, sizeof(*st->cells));
	st->scripts = calloc(max, sizeof(*st->scripts));
	st->cases = calloc(max, sizeof(*st->cases));
	st->pcaps = calloc(max, sizeof(*st->pcaps));
	st->pcap_links = calloc(max, sizeof(*st->pcap_links));
	if (!st->cells || !st->scripts || !st->cases || !st->pcaps || !st->pcap_links)
		return err_sys(err, "matrix");
	if (o->pcap_dir && mkdir(o->pcap_dir, 0755) && errno != EEXIST)
		return err_usage(err, "--pcap %s: %s", o->pcap_dir, strerror(errno));
	for (size_t k = 0; k < max; k++) {
		struct tw_params p;
		struct tw_cell *c = &st->cells[st->n];
		char text[TW_SCRIPT_MAX], name[96];

		tw_params_of(k, &p);
		if (!o->family[p.family] || (o->kinds && !(o->kinds & (1u << p.kind))))
			continue;
		c->p = p;
		c->ret = -1;
		snprintf(c->text, sizeof(c->text), "not run");
		tw_cell_name(&p, name, sizeof(name));
		if (twgen_script(&p, TWGEN_WINDOW, text, sizeof(text), &c->observe_line, err) ||
		    case_parse_string(name, text, &st->scripts[st->n], err))
			return -1;
		st->cases[st->n].script = &st->scripts[st->n];
		st->cases[st->n].cfg = (struct run_config){
			.tolerance_us = -1,
			.tolerance_pct = -1,
			.pacer = o->rig.pacer,
			.family = p.family == TW_IPV6 ? AF_INET6 : AF_INET,
		};
		st->cases[st->n].retries = o->rig.retries;
		if (o->pcap_dir) {
			snprintf(st->pcaps[st->n], sizeof(st->pcaps[0]), "%s/%s.pcap", o->pcap_dir,
				 name);
			st->cases[st->n].cfg.pcap_path = st->pcaps[st->n];
			st->pcap_links[st->n] = st->pcaps[st->n];
		}
		st->n++;
	}
	return 0;
}

static void tw_free(struct tw_job *st)
{
	for (size_t i = 0; st->cells && i < st->n; i++) {
		trace_free(&st->cells[i].res.trace);
		case_script_free(&st->scripts[i]);
	}
	free(st->cells);
	free(st->scripts);
	free(st->cases);
	free(st->pcaps);
	free(st->pcap_links);
}

int matrix_tw_main(int argc, char *argv[])
{
	/* Both families unless --family says: the table is "on both". */
	struct tw_opts o = { .jobs = run_pool_default_jobs(), .family = { true, true } };
	struct tw_job st = { 0 };
	struct tr_err err = { 0 };
	struct tw_run tr = { 0 };
	struct tw_table table;
	struct utsname u;
	char title[256];
	unsigned reaped;
	int rc, signo, status = TR_OK;

	rc = tw_options(argc, argv, &o, &err);
	if (rc > 0)
		goto out;
	if (rc < 0)
		goto fail;
	if (o.print_case) {
		if (tw_print_case(o.print_case, TWGEN_WINDOW, &err))
			goto fail;
		goto out;
	}
	if (tw_prepare(&o, &st, &err) || run_pool_check(st.cases, st.n, &err) ||
	    lab_check_privileges(&err) ||
	    lab_reap_stale(&reaped, &err))
		goto fail;
	lab_install_signal_cleanup();
	tr.cells = st.cells;
	tr.n = st.n;
	tr.progress = isatty(STDERR_FILENO);
	if (run_pool_run(st.cases, st.n, o.jobs, tw_report, &tr, &signo, &err))
		goto fail;
	/* Each case's trace now belongs to its cell. */
	for (size_t i = 0; i < st.n; i++)
		memset(&st.cases[i].res.trace, 0, sizeof(st.cases[i].res.trace));
	if (tr.progress)
		fprintf(stderr, "\r\033[K");
	if (signo) {
		fflush(stdout);
		fprintf(stderr, "%s matrix: stopped by signal %d\n", prog_name, signo);
		tw_free(&st);
		signal(signo, SIG_DFL);
		raise(signo);
		return 128 + signo;
	}
	uname(&u);
	snprintf(title, sizeof(title), "TIME_WAIT event matrix, kernel %s %s, %zu cells", u.sysname,
		 u.release, st.n);
	table = (struct tw_table){ st.cells, st.n, TWGEN_WINDOW,
				   o.pcap_dir ? st.pcap_links : NULL, title };
	tw_table_print(stdout, &table, isatty(STDOUT_FILENO) && !getenv("NO_COLOR"));
	status = tr.unobserved ? TR_ENV : TR_OK;
	if ((o.json && tw_table_json(o.json, &table, &err)) ||
	    (o.html && tw_table_html(o.html, &table, &err))) {
		fprintf(stderr, "%s matrix: %s\n", prog_name, err.msg);
		status = TR_ENV;
	}
	goto out;
fail:
	fprintf(stderr, "%s matrix: %s\n", prog_name, err.msg);
	status = err.status ? (int)err.status : TR_ENV;
out:
	if (o.json)
		fclose(o.json);
	if (o.html)
		fclose(o.html);
	tw_free(&st);
	case_defines_free(&o.rig.defines);
	return status;
}
