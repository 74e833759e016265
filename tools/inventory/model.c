/* model.c: links the facts of every TU into one model, on the typed model (struct model).
 * Functions are keyed by the USR of their canonical cursor, so a static inline in a header seen
 * by many TUs is one symbol. JSON is read and written only in model_io.c. */
#include "model.h"
#include "order.h"
#include "tlbflow.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* "callee#pos" -> the functions passed in that argument position by direct calls. */
struct passed { char *key; struct strv set; };
struct passed_map { struct passed *v; size_t n; };

static struct passed *passed_get(struct passed_map *pm, const char *key, bool add)
{
	for (size_t i = 0; i < pm->n; i++)
		if (!strcmp(pm->v[i].key, key))
			return &pm->v[i];
	if (!add)
		return NULL;
	pm->v = xrealloc(pm->v, sizeof *pm->v * (pm->n + 1));
	pm->v[pm->n] = (struct passed){xstrdup(key), {0}};
	return &pm->v[pm->n++];
}

static bool set_add(struct strv *s, const char *v)
{
	for (size_t i = 0; i < s->n; i++)
		if (!strcmp(s->v[i], v))
			return false;
	strv_push(s, v);
	return true;
}

/* A function that hands its own parameter on (`lvl2(fn, as) { lvl1(fn, as); }`, call fact
 * "fwd": [[argument, parameter]]) passes whatever its callers pass in that parameter: propagate
 * "F#param" into "callee#argument" until nothing changes (each round only adds). */
static void passed_functions(const struct model *m, struct passed_map *pm)
{
	for (size_t fi = 0; fi < m->n_functions; fi++) {
		const struct function *f = &m->functions[fi];
		for (size_t i = 0; i < f->n_calls; i++)
			for (size_t j = 0; f->calls[i].usr && j < f->calls[i].n_fnrefs; j++) {
				char *key = xasprintf("%s#%lld", f->calls[i].usr, f->calls[i].fnrefs[j].arg);
				set_add(&passed_get(pm, key, true)->set, f->calls[i].fnrefs[j].usr);
				free(key);
			}
	}
	for (bool changed = true; changed;) {
		changed = false;
		for (size_t fi = 0; fi < m->n_functions; fi++) {
			const struct function *f = &m->functions[fi];
			for (size_t i = 0; i < f->n_calls; i++)
				for (size_t j = 0; f->calls[i].usr && j < f->calls[i].n_fwd; j++) {
					char *from = xasprintf("%s#%lld", f->usr, f->calls[i].fwd[j].param);
					char *to = xasprintf("%s#%lld", f->calls[i].usr, f->calls[i].fwd[j].arg);
					struct passed *src = passed_get(pm, from, false);
					if (src) {
						struct strv copy = {0};
						for (size_t k = 0; k < src->set.n; k++)
							strv_push(&copy, src->set.v[k]);
						struct passed *dst = passed_get(pm, to, true);  /* may move src */
						for (size_t k = 0; k < copy.n; k++)
							changed = set_add(&dst->set, copy.v[k]) || changed;
						strv_free(&copy);
					}
					free(from);
					free(to);
				}
		}
	}
}

static bool key_has_member(const char *key, const char *member)
{
	size_t lk = strlen(key), lm = strlen(member);
	return strcmp(key, member) == 0 || (lk > lm && key[lk - lm - 1] == '.' && strcmp(key + lk - lm, member) == 0);
}

static const struct table *table_by_usr(const struct model *m, const char *usr)
{
	size_t lo = 0, hi = m->n_tables;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(m->tables[mid].usr, usr);
		if (!c)
			return &m->tables[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* Targets of an indirect call into *out: a static table it indexes, or tables of the member's
 * struct, or (a call through a parameter) every function the direct callers pass there. */
static void resolve_indirect(const struct model *m, struct passed_map *pm, const char *fusr, const struct call *c,
			     struct strv *out)
{
	if (c->has & CALL_HAS_VIA_PARAM) {
		char *k = xasprintf("%s#%lld", fusr, c->via_param);
		struct passed *p = passed_get(pm, k, false);
		for (size_t i = 0; p && i < p->set.n; i++)
			strv_push(out, p->set.v[i]);
		free(k);
		return;
	}
	const struct table *t = c->via ? table_by_usr(m, c->via) : NULL;
	if (t) {
		for (size_t i = 0; i < t->n_entries; i++)
			if (t->entries[i].usr && (!c->member || key_has_member(t->entries[i].key, c->member)))
				strv_push(out, t->entries[i].usr);
	} else if (c->member && c->type) {
		for (size_t ti = 0; ti < m->n_tables; ti++) {
			t = &m->tables[ti];
			if (strcmp(t->type, c->type) != 0)
				continue;
			for (size_t i = 0; i < t->n_entries; i++)
				if (t->entries[i].usr && key_has_member(t->entries[i].key, c->member))
					strv_push(out, t->entries[i].usr);
		}
	}
}

/* Role of one recorded call or store: a store carries the role its config pattern gave it; a
 * call is matched by name and argument conditions. -1 when it is no primitive. */
static int call_role(const struct config *cfg, const struct call *c)
{
	if (c->store)
		return c->role;
	return c->name ? config_call_role_v(cfg, c->name, (const char *const *)c->args.v, c->args.n) : -1;
}

#define APPEND(arr, n, val)                                                   \
	do {                                                                  \
		(arr) = xrealloc((arr), sizeof *(arr) * ((n) + 1));           \
		(arr)[(n)++] = (val);                                         \
	} while (0)

static void add_terr(struct model *m, const char *machine, const struct function *f, const struct call *c)
{
	struct transition_error e = {xstrdup(machine), xstrdup(f->name), xstrdup(f->usr), xstrdup(f->file), c->line, {0}};
	strv_copy(&e.args, &c->args);
	APPEND(m->transition_errors, m->n_transition_errors, e);
}

static void add_trans(struct model *m, const char *machine, const char *from, const char *to, const struct function *f,
		      const struct call *c)
{
	struct transition t = {xasprintf("%s:%s->%s", machine, from, to), xstrdup(machine), xstrdup(from), xstrdup(to),
			       xstrdup(f->name), xstrdup(f->usr), xstrdup(f->file), c->line};
	APPEND(m->transitions, m->n_transitions, t);
}

/* Per function: callees (resolved), unresolved indirect calls, primitive sites, transitions. */
static void link_function(const struct config *cfg, struct model *m, struct passed_map *pm, struct function *f)
{
	struct strv callees = {0};
	for (size_t i = 0; i < f->n_calls; i++) {
		const struct call *c = &f->calls[i];
		if (c->indirect) {
			struct strv tg = {0};
			resolve_indirect(m, pm, f->usr, c, &tg);
			if (!tg.n) {
				struct unresolved u = {c->line, c->via_name ? xstrdup(c->via_name) : NULL,
						       c->member ? xstrdup(c->member) : NULL, NULL, NULL};
				APPEND(f->unresolved, f->n_unresolved, u);
			}
			for (size_t k = 0; k < tg.n; k++)
				strv_push(&callees, tg.v[k]);
			strv_free(&tg);
			continue;
		}
		if (c->store && c->machine && config_field_machine(cfg, c->machine)) {
			/* `p->state = RUNNABLE`: a field state machine, from any state (a store of a
			 * transition-function machine's state is no transition: INV023) */
			if (!c->to)
				add_terr(m, c->machine, f, c);
			else
				add_trans(m, c->machine, "ANY", c->to, f, c);
		}
		if (c->usr)
			strv_push(&callees, c->usr);
		int role = call_role(cfg, c);
		if (role >= 0) {
			struct prim_site ps = {(enum role)role, xstrdup(c->name), xstrdup(f->name), xstrdup(f->usr),
					       xstrdup(f->file), c->line, c->col, {0}};
			strv_copy(&ps.args, &c->args);
			APPEND(m->primitive_sites, m->n_primitive_sites, ps);
		}
		char *machine = cfg->trans_fn && !c->store && c->name ? pattern_get(cfg->trans_fn, c->name, "machine") : NULL;
		if (!machine)
			continue;
		const char *from = (size_t)cfg->from_arg < c->consts.n ? c->consts.v[cfg->from_arg] : NULL;
		const char *to = (size_t)cfg->to_arg < c->consts.n ? c->consts.v[cfg->to_arg] : NULL;
		if (!from || !to)
			add_terr(m, machine, f, c);
		else
			add_trans(m, machine, from, to, f, c);
		free(machine);
	}
	strv_sort_uniq(&callees);
	strv_free(&f->callees);
	f->callees = callees;
}

void model_link(const struct config *cfg, struct model *m)
{
	struct passed_map pm = {0};
	passed_functions(m, &pm);
	for (size_t i = 0; i < m->n_functions; i++) {
		struct function *f = &m->functions[i];
		free(f->unresolved);  /* facts have none: the link step makes them */
		f->unresolved = NULL;
		f->n_unresolved = 0;
		link_function(cfg, m, &pm, f);
	}
	for (size_t i = 0; i < pm.n; i++) {
		free(pm.v[i].key);
		strv_free(&pm.v[i].set);
	}
	free(pm.v);
}

/* dir if every return of f holds exactly key at count dir (error returns: nothing, for an
 * acquire), else 0; key is taken from the first return that holds something. */
static int wrapper_dir(const struct function *f, const char **key)
{
	int dir = 0;
	*key = NULL;
	for (size_t i = 0; i < f->n_returns; i++) {
		const struct ret_path *r = &f->returns[i];
		bool err = !strcmp(r->kind, "error");
		if (r->n_held == 0 && err)
			continue;  /* a failed acquire holds nothing */
		if (r->n_held != 1)
			return 0;
		int n = (int)r->held[0].count;
		if ((n != 1 && n != -1) || (dir && n != dir) || (*key && strcmp(*key, r->held[0].key)) || (err && n > 0))
			return 0;
		dir = n;
		*key = r->held[0].key;
	}
	return dir;
}

void model_wrappers_t(const struct config *cfg, const struct model *m, struct wrapper **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	for (size_t fi = 0; fi < m->n_functions; fi++) {
		const struct function *f = &m->functions[fi];
		const char *key;
		int dir = wrapper_dir(f, &key);
		char *inner = NULL;
		int p = dir ? config_pair_of_key(cfg, key, &inner) : -1;
		if (p < 0 || !config_pair_derives(cfg, p) || config_pair_names(cfg, p, f->name)) {
			free(inner);
			continue;
		}
		struct wrapper w = {xstrdup(config_pair_name(cfg, p)), xstrdup(f->name), inner, dir, 0, false};
		for (size_t i = 0; i < f->params.n; i++)
			if (f->params.v[i] && !strcmp(f->params.v[i], inner))
				w.key_arg = (long long)i, w.has_key_arg = true;  /* the key is a parameter */
		APPEND(*out, *n, w);
	}
}

void wrappers_free(struct wrapper *w, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(w[i].pair);
		free(w[i].function);
		free(w[i].key);
	}
	free(w);
}

/* ---- the whole link step, on the structs ---- */

/* Sort helpers: by USR or name, as a model file keys them. */
static int cmp_fn(const void *a, const void *b) { return strcmp(((const struct function *)a)->usr, ((const struct function *)b)->usr); }
static int cmp_decl(const void *a, const void *b) { return strcmp(((const struct decl *)a)->usr, ((const struct decl *)b)->usr); }
static int cmp_enum(const void *a, const void *b) { return strcmp(((const struct enum_def *)a)->name, ((const struct enum_def *)b)->name); }
static int cmp_table(const void *a, const void *b) { return strcmp(((const struct table *)a)->usr, ((const struct table *)b)->usr); }

/* The first TU that defines a key wins (a static inline in a header is one symbol). */
#define MERGE(dst, ndst, ix, src, nsrc, key, copy)                                        \
	for (size_t k_ = 0; k_ < (nsrc); k_++) {                                           \
		if (smap_get(&(ix), (src)[k_].key) >= 0)                                   \
			continue;                                                          \
		smap_put(&(ix), (src)[k_].key, (long long)(ndst));                         \
		(dst) = xrealloc((dst), sizeof *(dst) * ((ndst) + 1));                     \
		copy(&(dst)[(ndst)++], &(src)[k_]);                                        \
	}

void model_build_t(const struct config *cfg, const struct model *facts, int n, struct model *out)
{
	struct model tm = {0};
	struct smap fi = {0}, di = {0}, ei = {0}, ti = {0};
	tm.schema = xstrdup(INV_MODEL_SCHEMA);
	tm.config = xstrdup(cfg->file_hash);
	for (int t = 0; t < n; t++) {
		const struct model *f = &facts[t];
		for (size_t i = 0; i < f->tus.n; i++)
			strv_push(&tm.tus, f->tus.v[i]);
		MERGE(tm.functions, tm.n_functions, fi, f->functions, f->n_functions, usr, model_function_copy);
		MERGE(tm.decls, tm.n_decls, di, f->decls, f->n_decls, usr, model_decl_copy);
		MERGE(tm.enums, tm.n_enums, ei, f->enums, f->n_enums, name, model_enum_copy);
		MERGE(tm.tables, tm.n_tables, ti, f->tables, f->n_tables, usr, model_table_copy);
	}
	smap_free(&fi), smap_free(&di), smap_free(&ei), smap_free(&ti);
	if (tm.n_functions)
		qsort(tm.functions, tm.n_functions, sizeof *tm.functions, cmp_fn);
	if (tm.n_decls)
		qsort(tm.decls, tm.n_decls, sizeof *tm.decls, cmp_decl);
	if (tm.n_enums)
		qsort(tm.enums, tm.n_enums, sizeof *tm.enums, cmp_enum);
	if (tm.n_tables)
		qsort(tm.tables, tm.n_tables, sizeof *tm.tables, cmp_table);
	model_link(cfg, &tm);
	order_compute(cfg, &tm);
	model_settle(cfg, &tm);
	tlbflow_compute(cfg, &tm);
	model_derive(cfg, &tm);
	*out = tm;
}
