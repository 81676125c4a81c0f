/* event.c - events and scripts, built up and freed. */
#include "case/event.h"

#include <stdlib.h>
#include <string.h>

#include "case/parse_util.h"

void case_expr_clear(struct case_expr *e)
{
	for (size_t i = 0; i < e->nkids; i++)
		case_expr_clear(&e->kids[i]);
	free(e->kids);
	free(e->text);
	free(e->field);
	memset(e, 0, sizeof(*e));
}

void case_event_clear(struct case_event *ev)
{
	free(ev->text);
	free(ev->outcome);
	for (size_t i = 0; i < ev->nalts; i++)
		case_event_clear(&ev->alts[i]);
	free(ev->alts);
	switch (ev->kind) {
	case CASE_EV_INJECT:
	case CASE_EV_EXPECT:
	case CASE_EV_QUIET:
	case CASE_EV_OBSERVE:
	case CASE_EV_ICMP:
		break;
	case CASE_EV_CALL:
		for (size_t i = 0; i < ev->u.call.nargs; i++)
			case_expr_clear(&ev->u.call.args[i]);
		free(ev->u.call.args);
		free(ev->u.call.name);
		free(ev->u.call.errname);
		free(ev->u.call.retname);
		free(ev->u.call.note);
		break;
	case CASE_EV_SHELL:
		free(ev->u.shell.cmd);
		break;
	case CASE_EV_CODE:
		free(ev->u.code.text);
		break;
	}
	memset(ev, 0, sizeof(*ev));
}

int case_event_push(struct case_parser *p, struct case_event *ev, struct tr_err *err)
{
	struct case_script *s = &p->script;

	if (s->nevents == p->cap) {
		size_t cap = p->cap ? 2 * p->cap : 32;
		struct case_event *e = realloc(s->events, cap * sizeof(*e));

		if (!e)
			return case_oom(err);
		s->events = e;
		p->cap = cap;
	}
	s->events[s->nevents++] = *ev;
	memset(ev, 0, sizeof(*ev));
	return 0;
}

void case_script_free(struct case_script *s)
{
	for (size_t i = 0; i < s->nevents; i++)
		case_event_clear(&s->events[i]);
	free(s->events);
	for (size_t i = 0; i < s->nwarnings; i++)
		free(s->warnings[i]);
	free(s->warnings);
	for (size_t i = 0; i < s->opt.nsysctls; i++)
		free(s->opt.sysctls[i]);
	free(s->opt.sysctls);
	free(s->path);
	memset(s, 0, sizeof(*s));
}
