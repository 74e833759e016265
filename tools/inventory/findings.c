/* findings.c: the typed findings vector and the rule settings (findings.h): growing, adding a
 * catalog rule's finding, freeing. No JSON: the formats are in out_*.c and the *_io.c writers. */
#include "findings.h"
#include "check.h"

#include <stdlib.h>
#include <string.h>

struct finding *findings_push(struct findings *f)
{
	if (f->n == f->cap) {
		f->cap = f->cap ? 2 * f->cap : 16;
		f->v = xrealloc(f->v, f->cap * sizeof *f->v);
	}
	struct finding *e = &f->v[f->n++];
	memset(e, 0, sizeof *e);
	return e;
}

struct finding *findings_add(struct findings *f, const char *rule, const char *file, long long line,
			     const char *symbol, char *msg)
{
	const struct rule *r = check_rule(rule);
	struct finding *e = findings_push(f);
	e->rule = xstrdup(rule);
	e->severity = xstrdup(r ? r->level : "error");
	e->file = xstrdup(file ? file : "(unknown)");
	e->line = line;
	e->message = msg;
	e->symbol = xstrdup(symbol ? symbol : "");
	e->tool = xstrdup("inventory");
	return e;
}

void finding_set_transition(struct finding *e, const char *trans)
{
	free(e->transition);
	e->has_transition = true;
	e->transition = trans ? xstrdup(trans) : NULL;
}

void finding_free(struct finding *e)
{
	free(e->rule);
	free(e->severity);
	free(e->file);
	free(e->message);
	free(e->symbol);
	free(e->transition);
	free(e->tool);
	free(e->description);
	free(e->obligation);
	strv_free(&e->witnesses);
	free(e->fingerprint);
	free(e->waiver_reason);
	free(e->waiver_by);
	free(e->waiver_on);
	memset(e, 0, sizeof *e);
}

void findings_free(struct findings *f)
{
	for (size_t i = 0; i < f->n; i++)
		finding_free(&f->v[i]);
	free(f->v);
	memset(f, 0, sizeof *f);
}

void rule_settings_free(struct rule_settings *s)
{
	for (size_t i = 0; i < s->n; i++) {
		free(s->v[i].rule);
		free(s->v[i].severity);
		free(s->v[i].reason);
	}
	free(s->v);
	memset(s, 0, sizeof *s);
}
