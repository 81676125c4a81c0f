/* callcheck.c - a case's lines built before its run. */
#include "run/callcheck.h"

#include <string.h>
#include <sys/socket.h>

#include "case/parse_util.h"
#include "run/call.h"
#include "run/icmp.h"

/* The column of call c's name in text (its line as written): where an error
 * that blames no one argument points. */
static int call_name_col(const char *text, const char *name)
{
	size_t n = strlen(name);

	for (const char *p = strstr(text, name); p; p = strstr(p + 1, name))
		if (p[n] == '(' && (p == text || !(p[-1] == '_' || (p[-1] >= 'a' && p[-1] <= 'z'))))
			return (int)(p - text) + 1;
	return 1;
}

/* err, built for ev's call, placed: path:line:col, the line, a caret
 * (case_err_at finds the line of a statement written over several). */
static int call_check_place(const struct case_script *s, const struct case_event *ev,
			    struct tr_err *err)
{
	int col = err->col ? err->col : call_name_col(ev->text, ev->u.call.name);
	char msg[sizeof(err->msg)];

	memcpy(msg, err->msg, sizeof(msg));
	return case_err_at(err, s->path, ev->line, col, ev->text, strlen(ev->text), "%s", msg);
}

static bool call_is_runners(const struct case_call *c)
{
	return !strcmp(c->name, "sock_state") || !strcmp(c->name, "nstat");
}

int call_check_case(const struct case_script *s, int wire, bool v4_mapped, struct tr_err *err)
{
	struct run_ends ends;
	struct call_env env;
	struct agent_req req;

	call_env_shape(&env, &ends, wire == AF_INET6 ? AF_INET6 : AF_INET,
		       wire == AF_INET6 || v4_mapped ? AF_INET6 : AF_INET);
	for (size_t i = 0; i < s->nevents; i++) {
		const struct case_event *ev = &s->events[i];

		if (ev->kind != CASE_EV_CALL || call_is_runners(&ev->u.call))
			continue;
		for (size_t k = 0; k <= ev->nalts; k++) {
			const struct case_event *m = k ? &ev->alts[k - 1] : ev;

			if (call_request(&m->u.call, &env, &req, err))
				return call_check_place(s, m, err);
		}
	}
	return 0;
}

int runner_wire_family(const struct case_script *s, const struct run_config *cfg)
{
	if (cfg->remote)
		return AF_INET;
	if (s->opt.ip_version_given)
		return s->opt.family;
	if (cfg->family)
		return cfg->family == AF_INET6 ? AF_INET6 : AF_INET;
	return runner_icmp_check(s, AF_INET, NULL) ? AF_INET6 : AF_INET;
}

int runner_check(const struct case_script *s, const struct run_config *cfg, struct tr_err *err)
{
	int wire = runner_wire_family(s, cfg);

	if (runner_icmp_check(s, wire, err))
		return -1;
	/* A remote target's sockets are IPv4 (runner.c). */
	return call_check_case(s, wire, !cfg->remote && s->opt.v4_mapped, err);
}
