/* model_ops.c: what the linked model implies, derived on the structs of model.h: the state
 * machines (an enum and its transition sites), the operations (dispatch-table entries, functions
 * matching an op pattern, declared entry points) and everything each one's paths reach, the
 * forbidden roles present, and one obligation per site. Each step is its own function. */
#include "model.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

/* Role of one recorded call or store: a store carries the role its config pattern gave it; a
 * call is matched by name and argument conditions. -1 when it is no primitive. */
static int call_role(const struct config *cfg, const struct call *c)
{
	if (c->store)
		return c->role;
	return c->name ? config_call_role_v(cfg, c->name, (const char *const *)c->args.v, c->args.n) : -1;
}

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

static struct transition copy_transition(const struct transition *t)
{
	return (struct transition){xstrdup(t->id), xstrdup(t->machine), xstrdup(t->from), xstrdup(t->to),
				   xstrdup(t->function), xstrdup(t->usr), xstrdup(t->file), t->line};
}

/* ---- machines ---- */

static struct machine *machine_named(struct machine *ms, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(ms[i].name, name))
			return &ms[i];
	return NULL;
}

static int cmp_machine(const void *a, const void *b)
{
	return strcmp(((const struct machine *)a)->name, ((const struct machine *)b)->name);
}

/* The machine an enum is the state set of: the state_enum pattern, or a state field's enum. */
static char *machine_of_enum(const struct config *cfg, const char *enum_name)
{
	char *mach = pattern_get(cfg->state_enum, enum_name, "machine");
	for (size_t fi = 0; fi < cfg->n_state_fields; fi++) {
		const struct state_field_cfg *sf = &cfg->state_fields[fi];
		if (!mach && sf->state_enum && !strcmp(sf->state_enum, enum_name))
			mach = xstrdup(sf->machine);
	}
	return mach;
}

static void derive_machines(const struct config *cfg, struct model *m)
{
	size_t cap = m->n_enums + m->n_transitions + 1, n = 0;
	struct machine *ms = xcalloc(cap, sizeof *ms);
	for (size_t i = 0; i < m->n_enums; i++) {
		const struct enum_def *e = &m->enums[i];
		char *mach = machine_of_enum(cfg, e->name);
		if (!mach)
			continue;
		struct machine *x = machine_named(ms, n, mach);
		if (x) {  /* a later enum of the same machine replaces the earlier one */
			free(x->name); free(x->enum_name); free(x->file);
			strv_free(&x->states);
		} else {
			x = &ms[n++];
		}
		*x = (struct machine){mach, xstrdup(e->name), xstrdup(e->file), e->line, true, {0}, NULL, 0};
		for (size_t c = 0; c < e->constants.n; c++)
			if (!globs_match(&cfg->state_ignore, e->constants.v[c]))
				strv_push(&x->states, e->constants.v[c]);
	}
	for (size_t i = 0; i < m->n_transitions; i++) {
		const struct transition *t = &m->transitions[i];
		struct machine *x = machine_named(ms, n, t->machine);
		if (!x) {
			x = &ms[n++];
			*x = (struct machine){xstrdup(t->machine), NULL, NULL, 0, false, {0}, NULL, 0};
		}
		x->transitions = xrealloc(x->transitions, (x->n_transitions + 1) * sizeof *x->transitions);
		x->transitions[x->n_transitions++] = copy_transition(t);
	}
	if (n)
		qsort(ms, n, sizeof *ms, cmp_machine);
	m->machines = ms;
	m->n_machines = n;
}

/* ---- operations ---- */

struct ops {
	struct operation *v;
	size_t n;
};

/* Add (or replace: the last definition of an id wins) an operation entered at function f. */
static void add_op(struct ops *ops, const char *id, const char *object, const char *op, const char *kind,
		   const char *source, const struct function *f)
{
	struct operation *o = NULL;
	for (size_t i = 0; i < ops->n && !o; i++)
		if (!strcmp(ops->v[i].id, id))
			o = &ops->v[i];
	if (o) {
		free(o->id); free(o->object); free(o->op); free(o->kind); free(o->source);
		free(o->function); free(o->usr); free(o->file);
	} else {
		ops->v = xrealloc(ops->v, (ops->n + 1) * sizeof *ops->v);
		o = &ops->v[ops->n++];
	}
	*o = (struct operation){0};
	o->id = xstrdup(id);
	o->object = xstrdup(object);
	o->op = xstrdup(op);
	o->kind = xstrdup(kind);
	o->source = xstrdup(source);
	o->function = xstrdup(f->name);
	o->usr = xstrdup(f->usr);
	o->file = xstrdup(f->file);
	o->line = f->line;
}

/* Operations from the configured dispatch tables: one per entry defined in scope. */
static void table_operations(const struct config *cfg, const struct model *m, struct ops *ops, bool *seen)
{
	for (size_t ti = 0; ti < m->n_tables; ti++) {
		const struct table *t = &m->tables[ti];
		if (!globs_match(&cfg->op_tables, t->name))
			continue;
		char *object = pattern_get(cfg->table_object, t->name, "object");
		for (size_t ei = 0; ei < t->n_entries; ei++) {
			const struct table_entry *e = &t->entries[ei];
			const struct function *f = model_function(m, e->usr);
			if (!f)
				continue;  /* declared, defined out of scope */
			/* The op's name: from a function pattern when the entry's name fits one. */
			char *pop = NULL;
			for (size_t pi = 0; pi < cfg->op_functions.n && !pop; pi++)
				pop = pattern_get(cfg->op_functions.v[pi], f->name, "op");
			char *id = xasprintf("%s.%s", object ? object : t->name, pop ? pop : e->key);
			char *src = xasprintf("%s[%s]", t->name, e->key);
			add_op(ops, id, object ? object : t->name, pop ? pop : e->key, "operation", src, f);
			seen[f - m->functions] = true;
			free(pop);
			free(id);
			free(src);
		}
		free(object);
	}
}

/* Operations from function-name patterns ("perform_{object}_{op}"), for functions no table has. */
static void pattern_operations(const struct config *cfg, const struct model *m, struct ops *ops, bool *seen)
{
	for (size_t fi = 0; fi < m->n_functions; fi++) {
		const struct function *f = &m->functions[fi];
		for (size_t i = 0; i < cfg->op_functions.n; i++) {
			const char *pat = cfg->op_functions.v[i];
			char *obj = pattern_get(pat, f->name, "object");
			char *op = pattern_get(pat, f->name, "op");
			if (op && !seen[fi]) {
				char *id = xasprintf("%s.%s", obj ? obj : "-", op);
				add_op(ops, id, obj ? obj : "-", op, "operation", pat, f);
				seen[fi] = true;
				free(id);
			}
			free(obj);
			free(op);
		}
	}
}

/* Operations the config declares as entry points (boot, interrupt handlers). */
static void entry_operations(const struct config *cfg, const struct model *m, struct ops *ops)
{
	for (size_t i = 0; i < cfg->n_entries; i++) {
		const char *fn = cfg->entries[i].function, *nm = cfg->entries[i].name;
		for (size_t fi = 0; fi < m->n_functions; fi++)
			if (!strcmp(m->functions[fi].name, fn)) {
				char *id = xasprintf("entry.%s", nm ? nm : fn);
				add_op(ops, id, "entry", nm ? nm : fn, "entry", "config", &m->functions[fi]);
				free(id);
			}
	}
}

/* The functions an operation reaches: its entry and every callee defined in scope, breadth
 * first (callees in their sorted order). Returns the count; *order lists their indexes. */
static size_t reach_functions(const struct model *m, const struct function *entry, size_t **order, bool *seen)
{
	size_t n = 0;
	*order = xcalloc(m->n_functions ? m->n_functions : 1, sizeof **order);
	(*order)[n++] = (size_t)(entry - m->functions);
	seen[entry - m->functions] = true;
	for (size_t qi = 0; qi < n; qi++) {
		const struct function *f = &m->functions[(*order)[qi]];
		for (size_t i = 0; i < f->callees.n; i++) {
			const struct function *c = model_function(m, f->callees.v[i]);
			if (c && !seen[c - m->functions]) {
				seen[c - m->functions] = true;
				(*order)[n++] = (size_t)(c - m->functions);
			}
		}
	}
	return n;
}

static char *call_text(const struct call *c)
{
	struct sbuf b = {0};
	sb_printf(&b, "%s(", c->name);
	for (size_t i = 0; i < c->args.n; i++)
		sb_printf(&b, "%s%s", i ? ", " : "", c->args.v[i]);
	sb_puts(&b, ")");
	return b.s;
}

static int cmp_prim_use(const void *a, const void *b)
{
	const struct prim_use *x = a, *y = b;
	char *sx = xasprintf("%s:%s", role_name(x->role), x->name), *sy = xasprintf("%s:%s", role_name(y->role), y->name);
	int c = strcmp(sx, sy);
	free(sx);
	free(sy);
	return c;
}

static int cmp_role_name(const void *a, const void *b)
{
	return strcmp(role_name(*(const enum role *)a), role_name(*(const enum role *)b));
}

/* What the primitives of one reached function contribute: roles, primitives, locks, ledger. */
static void reach_calls(const struct config *cfg, const struct function *f, uint32_t *roles, struct strv *prims,
			struct strv *locks, struct strv *charges, struct strv *releases)
{
	for (size_t i = 0; i < f->n_calls; i++) {
		const struct call *c = &f->calls[i];
		int r = call_role(cfg, c);
		if (r < 0)
			continue;
		*roles |= 1u << r;
		char *pk = xasprintf("%s:%s", role_name((enum role)r), c->name);
		strv_push(prims, pk);
		free(pk);
		if (r == ROLE_LOCK_ACQUIRE && c->args.n)
			strv_push(locks, c->args.v[0]);
		if (r == ROLE_LEDGER_CHARGE || r == ROLE_LEDGER_RELEASE) {
			char *s = call_text(c);
			strv_push(r == ROLE_LEDGER_CHARGE ? charges : releases, s);
			free(s);
		}
	}
}

/* The unresolved calls, cleanup labels and user copies of one reached function, in order. */
static void reach_sites(const struct function *f, struct operation *op)
{
	for (size_t i = 0; i < f->n_unresolved; i++) {
		const struct unresolved *u = &f->unresolved[i];
		op->unresolved = xrealloc(op->unresolved, (op->n_unresolved + 1) * sizeof *op->unresolved);
		op->unresolved[op->n_unresolved++] = (struct unresolved){u->line, dup_or_null(u->via), dup_or_null(u->member),
									 xstrdup(f->name), xstrdup(f->file)};
	}
	for (size_t i = 0; i < f->n_labels; i++) {
		if (f->labels[i].gotos <= 0)
			continue;
		op->cleanup = xrealloc(op->cleanup, (op->n_cleanup + 1) * sizeof *op->cleanup);
		op->cleanup[op->n_cleanup++] = (struct cleanup){xstrdup(f->name), xstrdup(f->labels[i].name),
								 xstrdup(f->file), f->labels[i].line};
	}
	for (size_t i = 0; i < f->n_copies; i++) {
		const struct copy *c = &f->copies[i];
		op->copies = xrealloc(op->copies, (op->n_copies + 1) * sizeof *op->copies);
		op->copies[op->n_copies++] = (struct copy){xstrdup(c->name), c->line, c->stable, dup_or_null(c->reason),
							   xstrdup(f->name), xstrdup(f->file)};
	}
}

static void copy_returns(struct operation *op, const struct function *f)
{
	op->n_returns = f->n_returns;
	op->returns = xcalloc(f->n_returns ? f->n_returns : 1, sizeof *op->returns);
	for (size_t i = 0; i < f->n_returns; i++) {
		const struct ret_path *r = &f->returns[i];
		struct ret_path *d = &op->returns[i];
		*d = (struct ret_path){r->line, xstrdup(r->kind), xstrdup(r->value), NULL, r->n_held, false, {0}};
		d->held = xcalloc(r->n_held ? r->n_held : 1, sizeof *d->held);
		for (size_t j = 0; j < r->n_held; j++)
			d->held[j] = (struct held){xstrdup(r->held[j].key), r->held[j].count};
	}
}

/* Everything reachable from one operation's entry, and what the reached functions do. */
static void reach_op(const struct config *cfg, const struct model *m, struct operation *op)
{
	const struct function *entry = model_function(m, op->usr);
	bool *seen = xcalloc(m->n_functions ? m->n_functions : 1, sizeof *seen);
	size_t *order, n = reach_functions(m, entry, &order, seen);
	uint32_t roles = 0;
	struct strv prims = {0};
	for (size_t i = 0; i < n; i++) {
		const struct function *f = &m->functions[order[i]];
		reach_calls(cfg, f, &roles, &prims, &op->locks, &op->charges, &op->releases);
		reach_sites(f, op);
		strv_push(&op->reach, f->name);
		strv_push(&op->reach_usrs, f->usr);
	}
	for (size_t i = 0; i < m->n_transitions; i++) {
		const struct function *f = model_function(m, m->transitions[i].usr);
		if (f && seen[f - m->functions])
			strv_push(&op->transitions, m->transitions[i].id);
	}
	struct strv *sets[] = {&op->reach, &op->reach_usrs, &op->transitions, &op->locks, &op->charges, &op->releases, &prims};
	for (size_t i = 0; i < sizeof sets / sizeof sets[0]; i++)
		strv_sort_uniq(sets[i]);
	op->roles = xcalloc(ROLE_COUNT, sizeof *op->roles);
	for (int r = 0; r < ROLE_COUNT; r++)
		if (roles & (1u << r))
			op->roles[op->n_roles++] = (enum role)r;
	qsort(op->roles, op->n_roles, sizeof *op->roles, cmp_role_name);
	op->primitives = xcalloc(prims.n ? prims.n : 1, sizeof *op->primitives);
	for (size_t i = 0; i < prims.n; i++) {
		char *colon = strchr(prims.v[i], ':');
		*colon = 0;
		op->primitives[op->n_primitives++] = (struct prim_use){(enum role)role_from_name(prims.v[i]), xstrdup(colon + 1)};
	}
	qsort(op->primitives, op->n_primitives, sizeof *op->primitives, cmp_prim_use);
	strv_free(&prims);
	copy_returns(op, entry);
	free(order);
	free(seen);
}

static int cmp_operation(const void *a, const void *b)
{
	return strcmp(((const struct operation *)a)->id, ((const struct operation *)b)->id);
}

static void derive_operations(const struct config *cfg, struct model *m)
{
	struct ops ops = {0};
	bool *seen = xcalloc(m->n_functions ? m->n_functions : 1, sizeof *seen);
	table_operations(cfg, m, &ops, seen);
	pattern_operations(cfg, m, &ops, seen);
	entry_operations(cfg, m, &ops);
	free(seen);
	if (ops.n)
		qsort(ops.v, ops.n, sizeof *ops.v, cmp_operation);
	for (size_t i = 0; i < ops.n; i++)
		reach_op(cfg, m, &ops.v[i]);
	m->operations = ops.v;
	m->n_operations = ops.n;
}

/* ---- forbidden roles present ---- */

static int cmp_presence(const void *a, const void *b)
{
	const struct presence *x = a, *y = b;
	int c = strcmp(x->file, y->file);
	return c ? c : (x->line > y->line) - (x->line < y->line);
}

static int cmp_present_role(const void *a, const void *b)
{
	return strcmp(role_name(((const struct present_role *)a)->role), role_name(((const struct present_role *)b)->role));
}

static void add_presence(struct model *m, enum role r, const char *name, const char *file, long long line, const char *how)
{
	struct present_role *p = NULL;
	for (size_t i = 0; i < m->n_present && !p; i++)
		if (m->present[i].role == r)
			p = &m->present[i];
	if (!p) {
		m->present = xrealloc(m->present, (m->n_present + 1) * sizeof *m->present);
		p = &m->present[m->n_present++];
		*p = (struct present_role){r, NULL, 0};
	}
	p->v = xrealloc(p->v, (p->n + 1) * sizeof *p->v);
	p->v[p->n++] = (struct presence){xstrdup(name), xstrdup(file), xstrdup(how), line};
}

static void derive_present(const struct config *cfg, struct model *m)
{
	for (size_t i = 0; i < m->n_functions; i++) {
		int r = config_role(cfg, m->functions[i].name);
		if (r == ROLE_DMA || r == ROLE_SWAP)
			add_presence(m, (enum role)r, m->functions[i].name, m->functions[i].file, m->functions[i].line, "defined");
	}
	for (size_t i = 0; i < m->n_decls; i++) {
		int r = config_role(cfg, m->decls[i].name);
		if (r == ROLE_DMA || r == ROLE_SWAP)
			add_presence(m, (enum role)r, m->decls[i].name, m->decls[i].file, m->decls[i].line, "declared");
	}
	for (size_t i = 0; i < m->n_primitive_sites; i++) {
		const struct prim_site *s = &m->primitive_sites[i];
		if (s->role == ROLE_DMA || s->role == ROLE_SWAP)
			add_presence(m, s->role, s->name, s->file, s->line, "called");
	}
	for (size_t i = 0; i < m->n_present; i++)
		qsort(m->present[i].v, m->present[i].n, sizeof *m->present[i].v, cmp_presence);
	if (m->n_present)
		qsort(m->present, m->n_present, sizeof *m->present, cmp_present_role);
}

/* ---- obligations ---- */

/* The obligation class of a primitive role, or NULL: what issue 11's witnesses and mutants are
 * attached to (a transition, a PTE removal with its flush and free, a charge with its releases,
 * a lock with its release on every path). */
static const char *obligation_class(int r)
{
	if (role_removes_access(r))
		return "tlb";
	if (r == ROLE_LEDGER_CHARGE)
		return "ledger";
	if (r == ROLE_LOCK_ACQUIRE)
		return "lock";
	return NULL;
}

static int cmp_fn_name_file(const void *a, const void *b)
{
	const struct function *x = *(const struct function *const *)a, *y = *(const struct function *const *)b;
	int c = strcmp(x->name, y->name);
	return c ? c : strcmp(x->file, y->file);
}

/* One obligation per site, with a stable ID from the function, the class and the ordinal of the
 * site among that function's sites of that class in source order: never a line number, so an
 * edit above a site does not rename it. A name defined in two files (static functions) is
 * qualified by its file. Witnesses and mutant status are filled by the witness run (issue 11);
 * until then they say so. */
static void derive_obligations(const struct config *cfg, struct model *m)
{
	static const char *const classes[] = {"transition", "tlb", "ledger", "lock"};
	size_t n = m->n_functions, cap = 0;
	const struct function **list = xcalloc(n ? n : 1, sizeof *list);
	for (size_t i = 0; i < n; i++)
		list[i] = &m->functions[i];
	if (n)
		qsort(list, n, sizeof *list, cmp_fn_name_file);
	for (size_t j = 0; j < n; j++) {
		const struct function *f = list[j];
		bool dup = (j > 0 && !strcmp(list[j - 1]->name, f->name)) || (j + 1 < n && !strcmp(list[j + 1]->name, f->name));
		long long ord[4] = {0};
		for (size_t i = 0; i < f->n_calls; i++) {
			const struct call *c = &f->calls[i];
			int r = call_role(cfg, c);
			const char *cls = r >= 0 ? obligation_class(r) : NULL;
			bool trans = (c->store && c->machine) ||
				     (!c->store && cfg->trans_fn && c->name && glob_match_placeholder(cfg->trans_fn, c->name));
			if (trans)
				cls = "transition";
			if (!cls || !c->name)
				continue;
			int k = 0;
			while (strcmp(classes[k], cls))
				k++;
			long long nth = ++ord[k];
			if (m->n_obligations == cap) {
				cap = cap ? cap * 2 : 64;
				m->obligations = xrealloc(m->obligations, cap * sizeof *m->obligations);
			}
			struct obligation *o = &m->obligations[m->n_obligations++];
			*o = (struct obligation){0};
			o->id = dup ? xasprintf("%s:%s:%s:%lld", f->file, f->name, cls, nth) : xasprintf("%s:%s:%lld", f->name, cls, nth);
			o->cls = xstrdup(cls);
			o->role = r;
			o->function = xstrdup(f->name);
			o->file = xstrdup(f->file);
			o->line = c->line;
			o->site = xstrdup(c->name);
			o->witnesses = xcalloc(1, sizeof *o->witnesses);
			o->mutant.status = xstrdup("not-run");
		}
	}
	free(list);
}

/* ---- settling the linked model ---- */

/* With self_locking, a copy through a primitive whose own definition takes and drops a lock is
 * stable: the primitive holds the address space still for the copy. Checked, not assumed. */
static void self_locking_copies(const struct config *cfg, struct model *m)
{
	if (!cfg->stable_self)
		return;
	for (size_t fi = 0; fi < m->n_functions; fi++)
		for (size_t ci = 0; ci < m->functions[fi].n_copies; ci++) {
			struct copy *c = &m->functions[fi].copies[ci];
			if (c->stable)
				continue;
			for (size_t pi = 0; pi < m->n_functions; pi++) {
				const struct function *p = &m->functions[pi];
				if (strcmp(p->name, c->name) != 0)
					continue;
				const char *lock = NULL;
				bool unlock = false;
				for (size_t k = 0; k < p->n_calls; k++) {
					int r = call_role(cfg, &p->calls[k]);
					if (r == ROLE_LOCK_ACQUIRE && !lock)
						lock = p->calls[k].name;
					unlock = unlock || (r == ROLE_LOCK_RELEASE && lock);
				}
				if (lock && unlock) {
					free(c->reason);
					c->reason = xasprintf("%s takes %s around the copy", c->name, lock);
					c->stable = true;
				}
			}
		}
}

/* A function defined in scope is no longer a mere declaration. */
static void prune_decls(struct model *m)
{
	size_t j = 0;
	for (size_t i = 0; i < m->n_decls; i++) {
		if (model_function(m, m->decls[i].usr)) {
			free(m->decls[i].usr);
			free(m->decls[i].name);
			free(m->decls[i].file);
		} else {
			m->decls[j++] = m->decls[i];
		}
	}
	m->n_decls = j;
}

/* Sites in file, line (and id) order. */
static int cmp_at(const char *fa, long long la, const char *ia, const char *fb, long long lb, const char *ib)
{
	int c = strcmp(fa, fb);
	if (c)
		return c;
	if (la != lb)
		return la < lb ? -1 : 1;
	return ia && ib ? strcmp(ia, ib) : 0;
}

static int cmp_transition(const void *a, const void *b)
{
	const struct transition *x = a, *y = b;
	return cmp_at(x->file, x->line, x->id, y->file, y->line, y->id);
}

static int cmp_terr(const void *a, const void *b)
{
	const struct transition_error *x = a, *y = b;
	return cmp_at(x->file, x->line, NULL, y->file, y->line, NULL);
}

static int cmp_psite(const void *a, const void *b)
{
	const struct prim_site *x = a, *y = b;
	return cmp_at(x->file, x->line, NULL, y->file, y->line, NULL);
}

void model_settle(const struct config *cfg, struct model *m)
{
	self_locking_copies(cfg, m);
	prune_decls(m);
	if (m->n_transitions)
		qsort(m->transitions, m->n_transitions, sizeof *m->transitions, cmp_transition);
	if (m->n_transition_errors)
		qsort(m->transition_errors, m->n_transition_errors, sizeof *m->transition_errors, cmp_terr);
	if (m->n_primitive_sites)
		qsort(m->primitive_sites, m->n_primitive_sites, sizeof *m->primitive_sites, cmp_psite);
}

void model_derive(const struct config *cfg, struct model *m)
{
	derive_machines(cfg, m);
	derive_operations(cfg, m);
	derive_present(cfg, m);
	derive_obligations(cfg, m);
}
