/* model_query.c: small questions asked of the typed model (sets of names, lookups by key). */
#include "model.h"
#include "util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const struct operation *model_operation(const struct model *m, const char *id)
{
	size_t lo = 0, hi = m->n_operations;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(m->operations[mid].id, id);
		if (!c)
			return &m->operations[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

void model_ops_reaching_t(const struct model *m, const char *tid, struct strv *out)
{
	for (size_t i = 0; i < m->n_operations; i++)
		for (size_t j = 0; j < m->operations[i].transitions.n; j++)
			if (!strcmp(m->operations[i].transitions.v[j], tid))
				strv_push(out, m->operations[i].id);
	strv_sort_uniq(out);
}

/* Is there a recorded call matching pat (with argument conditions), a store of pattern index
 * store, or an assignment of field machine? */
static bool any_call(const struct model *m, const char *pat, const char *machine, long long store)
{
	for (size_t i = 0; i < m->n_functions; i++)
		for (size_t j = 0; j < m->functions[i].n_calls; j++) {
			const struct call *c = &m->functions[i].calls[j];
			if (pat && !c->store && c->name &&
			    prim_pattern_match_v(pat, c->name, (const char *const *)c->args.v, c->args.n, true))
				return true;
			if (store >= 0 && c->store && (c->has & CALL_HAS_PATTERN) && c->pattern == store)
				return true;
			if (machine && c->store && c->machine && !strcmp(c->machine, machine))
				return true;
		}
	return false;
}

/* Does any direct call's name match glob? */
static bool any_name(const struct model *m, const char *glob)
{
	for (size_t i = 0; i < m->n_functions; i++)
		for (size_t j = 0; j < m->functions[i].n_calls; j++)
			if (m->functions[i].calls[j].name && glob_match(glob, m->functions[i].calls[j].name))
				return true;
	return false;
}

static bool role_forbidden(const struct config *cfg, int r)
{
	for (size_t i = 0; i < cfg->n_forbidden; i++)
		if (cfg->forbidden[i].role == r)
			return true;
	return false;
}

static void msg(struct strv *out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void msg(struct strv *out, const char *fmt, ...)
{
	va_list ap;
	char *s = NULL;
	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		s = NULL;
	va_end(ap);
	strv_push(out, s ? s : "(out of memory)");
	free(s);
}

void model_unmatched(const struct config *cfg, const struct model *m, struct strv *out)
{
	for (int r = 0; r < ROLE_COUNT; r++) {
		if (role_forbidden(cfg, r))
			continue;  /* a forbidden role's names are there to find code that must not exist */
		for (size_t i = 0; i < cfg->prim[r].n; i++) {
			const char *pat = cfg->prim[r].v[i];
			if (globs_match(&cfg->optional_prims, pat) ||
			    (strchr(pat, '(') ? any_call(m, pat, NULL, -1) : any_name(m, pat)))
				continue;
			msg(out, "config primitive '%s' (primitives.%s) matches no call in the scanned code: fix the "
			    "name, or list it in optional_primitives", pat, role_name((enum role)r));
		}
	}
	for (size_t i = 0; i < cfg->n_stores; i++)
		if (!any_call(m, NULL, NULL, (long long)i))
			msg(out, "config store pattern stores[%zu] (role %s) matches no assignment in the scanned code: "
			    "fix its type, field or value", i, role_name((enum role)cfg->stores[i].role));
	for (size_t i = 0; i < cfg->n_state_fields; i++)
		if (!any_call(m, NULL, cfg->state_fields[i].machine, -1))
			msg(out, "config state field transitions.fields[%zu] (%s.%s) matches no assignment in the "
			    "scanned code", i, cfg->state_fields[i].machine, cfg->state_fields[i].field);
	for (size_t i = 0; i < cfg->n_entries; i++) {
		const struct entry_cfg *e = &cfg->entries[i];
		bool found = e->optional;
		for (size_t f = 0; f < m->n_functions && !found; f++)
			found = glob_match(e->function, m->functions[f].name);
		if (!found)
			msg(out, "config entry point '%s' (operations.entries[%zu]) matches no function defined in the "
			    "scanned code: fix the name, or mark it \"optional\": true", e->function, i);
	}
}
