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
	for (size_t i = 0; i < cfg->user_sources.n; i++) {
		const char *pat = cfg->user_sources.v[i];
		if (!globs_match(&cfg->optional_prims, pat) && !any_name(m, pat))
			msg(out, "config user-address source '%s' (user_addresses.sources) matches no call in the scanned "
			    "code: fix the name, or list it in optional_primitives", pat);
	}
	for (size_t i = 0; i < cfg->user_fields.n; i++) {
		bool found = globs_match(&cfg->optional_prims, cfg->user_fields.v[i]);
		for (size_t f = 0; f < m->n_functions && !found; f++)
			found = strv_has(&m->functions[f].ufields, cfg->user_fields.v[i]);
		if (!found)
			msg(out, "config user-address field '%s' (user_addresses.fields) is read nowhere in the scanned "
			    "code: fix the STRUCT.MEMBER name, or list it in optional_primitives", cfg->user_fields.v[i]);
	}
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

/* ---- deep copies of per-TU facts ---- */

static char *dupn(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

#define COPY_ARRAY(dst, src, n)                                                      \
	do {                                                                          \
		(dst) = xcalloc((n) ? (n) : 1, sizeof *(dst));                          \
		if (n)                                                                \
			memcpy((dst), (src), sizeof *(dst) * (n));                      \
	} while (0)

static void idxv_copy(struct idxv *d, const struct idxv *s)
{
	d->n = s->n;
	COPY_ARRAY(d->v, s->v, s->n);
}

static void strv_copy_n(struct strv *d, const struct strv *s)
{
	strv_copy(d, s);
}

static void call_copy(struct call *d, const struct call *s)
{
	*d = *s;
	d->name = dupn(s->name), d->usr = dupn(s->usr), d->label = dupn(s->label);
	strv_copy_n(&d->args, &s->args);
	strv_copy_n(&d->consts, &s->consts);
	COPY_ARRAY(d->fnrefs, s->fnrefs, s->n_fnrefs);
	for (size_t i = 0; i < s->n_fnrefs; i++)
		d->fnrefs[i].usr = dupn(s->fnrefs[i].usr);
	COPY_ARRAY(d->fwd, s->fwd, s->n_fwd);
	d->via = dupn(s->via), d->via_name = dupn(s->via_name), d->member = dupn(s->member), d->type = dupn(s->type);
	d->machine = dupn(s->machine), d->to = dupn(s->to), d->ret_var = dupn(s->ret_var);
}

static void ret_copy(struct ret_path *d, const struct ret_path *s)
{
	*d = *s;
	d->kind = dupn(s->kind), d->value = dupn(s->value);
	COPY_ARRAY(d->held, s->held, s->n_held);
	for (size_t i = 0; i < s->n_held; i++)
		d->held[i].key = dupn(s->held[i].key);
	idxv_copy(&d->preds, &s->preds);
}

static void function_copy(struct function *d, const struct function *s)
{
	*d = *s;
	d->usr = dupn(s->usr), d->name = dupn(s->name), d->file = dupn(s->file), d->tlb = dupn(s->tlb);
	strv_copy_n(&d->params, &s->params);
	strv_copy_n(&d->annotations, &s->annotations);
	strv_copy_n(&d->callees, &s->callees);
	strv_copy_n(&d->bounds, &s->bounds);
	strv_copy_n(&d->fail_vars, &s->fail_vars);
	d->calls = xcalloc(s->n_calls ? s->n_calls : 1, sizeof *d->calls);
	for (size_t i = 0; i < s->n_calls; i++)
		call_copy(&d->calls[i], &s->calls[i]);
	d->returns = xcalloc(s->n_returns ? s->n_returns : 1, sizeof *d->returns);
	for (size_t i = 0; i < s->n_returns; i++)
		ret_copy(&d->returns[i], &s->returns[i]);
	COPY_ARRAY(d->labels, s->labels, s->n_labels);
	for (size_t i = 0; i < s->n_labels; i++)
		d->labels[i].name = dupn(s->labels[i].name);
	COPY_ARRAY(d->copies, s->copies, s->n_copies);
	for (size_t i = 0; i < s->n_copies; i++) {
		struct copy *c = &d->copies[i];
		c->name = dupn(c->name), c->reason = dupn(c->reason), c->function = dupn(c->function), c->file = dupn(c->file);
	}
	strv_copy(&d->ufields, &s->ufields);
	if (s->n_uderefs) {
		COPY_ARRAY(d->uderefs, s->uderefs, s->n_uderefs);
		for (size_t i = 0; i < s->n_uderefs; i++)
			d->uderefs[i].var = dupn(s->uderefs[i].var), d->uderefs[i].text = dupn(s->uderefs[i].text);
	}
	COPY_ARRAY(d->unresolved, s->unresolved, s->n_unresolved);
	for (size_t i = 0; i < s->n_unresolved; i++) {
		struct unresolved *u = &d->unresolved[i];
		u->via = dupn(u->via), u->member = dupn(u->member), u->function = dupn(u->function), u->file = dupn(u->file);
	}
	COPY_ARRAY(d->order, s->order, s->n_order);
	for (size_t i = 0; i < s->n_order; i++)
		d->order[i].name = dupn(s->order[i].name), d->order[i].via = dupn(s->order[i].via);
	d->cfg = xcalloc(s->n_cfg ? s->n_cfg : 1, sizeof *d->cfg);
	for (size_t i = 0; i < s->n_cfg; i++)
		idxv_copy(&d->cfg[i], &s->cfg[i]);
	COPY_ARRAY(d->tlb_sites, s->tlb_sites, s->n_tlb_sites);
	for (size_t i = 0; i < s->n_tlb_sites; i++) {
		struct tlb_site *t = &d->tlb_sites[i];
		t->name = dupn(t->name), t->via = dupn(t->via), t->free_name = dupn(t->free_name);
		strv_copy_n(&t->by, &s->tlb_sites[i].by);
	}
}

void model_function_copy(struct function *dst, const struct function *src)
{
	function_copy(dst, src);
}

void model_decl_copy(struct decl *d, const struct decl *s)
{
	*d = (struct decl){dupn(s->usr), dupn(s->name), dupn(s->file), s->line};
}

void model_enum_copy(struct enum_def *d, const struct enum_def *s)
{
	*d = (struct enum_def){dupn(s->name), dupn(s->file), s->line, {0}};
	strv_copy(&d->constants, &s->constants);
}

void model_table_copy(struct table *d, const struct table *s)
{
	*d = *s;
	d->usr = dupn(s->usr), d->name = dupn(s->name), d->file = dupn(s->file), d->type = dupn(s->type);
	COPY_ARRAY(d->entries, s->entries, s->n_entries);
	for (size_t i = 0; i < s->n_entries; i++) {
		struct table_entry *e = &d->entries[i];
		e->key = dupn(e->key), e->name = dupn(e->name), e->usr = dupn(e->usr);
	}
}

void model_facts_copy(struct model *d, const struct model *s)
{
	memset(d, 0, sizeof *d);
	strv_copy(&d->tus, &s->tus);
	d->n_functions = s->n_functions;
	d->functions = xcalloc(s->n_functions ? s->n_functions : 1, sizeof *d->functions);
	for (size_t i = 0; i < s->n_functions; i++)
		function_copy(&d->functions[i], &s->functions[i]);
	d->n_decls = s->n_decls;
	d->decls = xcalloc(s->n_decls ? s->n_decls : 1, sizeof *d->decls);
	for (size_t i = 0; i < s->n_decls; i++)
		model_decl_copy(&d->decls[i], &s->decls[i]);
	d->n_enums = s->n_enums;
	d->enums = xcalloc(s->n_enums ? s->n_enums : 1, sizeof *d->enums);
	for (size_t i = 0; i < s->n_enums; i++)
		model_enum_copy(&d->enums[i], &s->enums[i]);
	d->n_tables = s->n_tables;
	d->tables = xcalloc(s->n_tables ? s->n_tables : 1, sizeof *d->tables);
	for (size_t i = 0; i < s->n_tables; i++)
		model_table_copy(&d->tables[i], &s->tables[i]);
}
