/* diff.c: compares two models for review: transitions added, removed or changed (sites or
 * operations reaching them); operations whose primitives, locks or ledger effects changed; and
 * transitions that were proven and are not any more. */
#include "diff.h"
#include "model.h"
#include "order.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>


/* Sorted "function (file)" sites of transition tid, or false when the model has none. */
static bool sites_of(const struct model *m, const char *tid, struct strv *out)
{
	bool any = false;
	for (size_t i = 0; i < m->n_transitions; i++) {
		const struct transition *t = &m->transitions[i];
		if (strcmp(t->id, tid))
			continue;
		char *s = xasprintf("%s (%s)", t->function, t->file);
		strv_push(out, s);
		free(s);
		any = true;
	}
	strv_sort_uniq(out);
	return any;
}

static char *join_strv(const struct strv *a)
{
	struct sbuf b = {0};
	sb_puts(&b, "");
	for (size_t i = 0; i < a->n; i++)
		sb_printf(&b, "%s`%s`", i ? ", " : "", a->v[i]);
	if (!b.n)
		sb_puts(&b, "none");
	return b.s;
}

static bool strv_equal(const struct strv *a, const struct strv *b)
{
	if (a->n != b->n)
		return false;
	for (size_t i = 0; i < a->n; i++)
		if (strcmp(a->v[i], b->v[i]))
			return false;
	return true;
}

static void transitions(struct sbuf *b, const struct model *o, const struct model *n, int *changes)
{
	struct strv ids = {0};
	for (size_t i = 0; i < o->n_transitions; i++)
		strv_push(&ids, o->transitions[i].id);
	for (size_t i = 0; i < n->n_transitions; i++)
		strv_push(&ids, n->transitions[i].id);
	strv_sort_uniq(&ids);
	sb_puts(b, "## Transitions\n\n");
	int c0 = *changes;
	for (size_t i = 0; i < ids.n; i++) {
		const char *t = ids.v[i];
		struct strv a = {0}, z = {0}, oa = {0}, oz = {0};
		bool in_a = sites_of(o, t, &a), in_z = sites_of(n, t, &z);
		model_ops_reaching_t(o, t, &oa);
		model_ops_reaching_t(n, t, &oz);
		char *ja = join_strv(&a), *jz = join_strv(&z), *opa = join_strv(&oa), *opz = join_strv(&oz);
		if (!in_a)
			sb_printf(b, "- **added** `%s` at %s; operations: %s\n", t, jz, opz), (*changes)++;
		else if (!in_z)
			sb_printf(b, "- **removed** `%s` (was at %s)\n", t, ja), (*changes)++;
		else if (!strv_equal(&a, &z) || !strv_equal(&oa, &oz))
			sb_printf(b, "- **changed** `%s`: sites %s -> %s; operations %s -> %s\n", t, ja, jz, opa, opz), (*changes)++;
		free(ja); free(jz); free(opa); free(opz);
		strv_free(&a); strv_free(&z); strv_free(&oa); strv_free(&oz);
	}
	if (*changes == c0)
		sb_puts(b, "No transition added, removed or changed.\n");
	strv_free(&ids);
}

/* One line per operation field whose list changed: "+added -removed". Returns 1 on a change. */
static int list_change(struct sbuf *b, const char *op, const char *field, const struct strv *a, const struct strv *z)
{
	struct sbuf d = {0};
	struct strv sa = {0}, sz = {0};
	for (size_t i = 0; i < a->n; i++)
		strv_push(&sa, a->v[i]);
	for (size_t i = 0; i < z->n; i++)
		strv_push(&sz, z->v[i]);
	strv_sort_uniq(&sa);
	strv_sort_uniq(&sz);
	sb_puts(&d, "");
	for (size_t i = 0; i < z->n; i++)
		if (!strv_has(&sa, z->v[i]))
			sb_printf(&d, " +`%s`", z->v[i]);
	for (size_t i = 0; i < a->n; i++)
		if (!strv_has(&sz, a->v[i]))
			sb_printf(&d, " -`%s`", a->v[i]);
	int changed = d.n > 0;
	if (changed)
		sb_printf(b, "- `%s` %s:%s\n", op, field, d.s);
	sb_free(&d);
	strv_free(&sa);
	strv_free(&sz);
	return changed;
}

/* Return paths that leave something held: "return VALUE (kind) holding KEY", no line numbers, so
 * that moving code does not show up as a change. A sorted set. */
static void held_returns(const struct ret_path *r, size_t n, struct strv *out)
{
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < r[i].n_held; j++) {
			char *s = xasprintf("return %s (%s) holding %s", r[i].value, r[i].kind, r[i].held[j].key);
			strv_push(out, s);
			free(s);
		}
	strv_sort_uniq(out);
}

/* "role:name" of every primitive an operation reaches, as the model file writes them. */
static void prim_texts(const struct operation *p, struct strv *out)
{
	for (size_t i = 0; p && i < p->n_primitives; i++) {
		char *s = xasprintf("%s:%s", role_name(p->primitives[i].role), p->primitives[i].name);
		strv_push(out, s);
		free(s);
	}
}

/* Every list of one operation that differs between a and z (an absent operation is empty). */
static void operation_fields(struct sbuf *b, const char *op, const struct operation *a,
			     const struct operation *z, int *changes)
{
	static const struct strv none;
	struct strv pa = {0}, pz = {0}, ha = {0}, hz = {0};
	*changes += list_change(b, op, "transitions", a ? &a->transitions : &none, z ? &z->transitions : &none);
	prim_texts(a, &pa);
	prim_texts(z, &pz);
	*changes += list_change(b, op, "primitives", &pa, &pz);
	*changes += list_change(b, op, "locks", a ? &a->locks : &none, z ? &z->locks : &none);
	*changes += list_change(b, op, "ledger charges", a ? &a->charges : &none, z ? &z->charges : &none);
	*changes += list_change(b, op, "ledger releases", a ? &a->releases : &none, z ? &z->releases : &none);
	if (a)
		held_returns(a->returns, a->n_returns, &ha);
	if (z)
		held_returns(z->returns, z->n_returns, &hz);
	*changes += list_change(b, op, "unwind", &ha, &hz);
	strv_free(&pa); strv_free(&pz); strv_free(&ha); strv_free(&hz);
}

static void operations(struct sbuf *b, const struct model *o, const struct model *n, int *changes)
{
	struct strv ids = {0};
	for (size_t i = 0; i < o->n_operations; i++)
		strv_push(&ids, o->operations[i].id);
	for (size_t i = 0; i < n->n_operations; i++)
		strv_push(&ids, n->operations[i].id);
	strv_sort_uniq(&ids);
	int c0 = *changes;
	sb_puts(b, "\n## Operations\n\n");
	for (size_t i = 0; i < ids.n; i++) {
		const char *op = ids.v[i];
		const struct operation *a = model_operation(o, op), *z = model_operation(n, op);
		if (!a || !z) {
			sb_printf(b, "- **%s** operation `%s`\n", a ? "removed" : "added", op);
			(*changes)++;
		}
		operation_fields(b, op, a, z, changes);
	}
	if (*changes == c0)
		sb_puts(b, "No operation changed its primitives, locks, ledger effects, unwind paths or transitions.\n");
	strv_free(&ids);
}

/* Per function: frees moved against clears and flushes, and pairs left held on a return that
 * were not before (a release moved off an error path, a lock pair broken), with a risk line.
 * Added and removed functions show up in their operations. */
static void order_section(struct sbuf *b, const struct model *o, const struct model *n, int *changes)
{
	int c0 = *changes;
	sb_puts(b, "\n## Order and pairing per function\n\n");
	for (size_t i = 0; i < n->n_functions; i++) {
		const struct function *z = &n->functions[i], *a = model_function(o, z->usr);
		char *so, *sn;
		if (!a)
			continue;
		if (order_changed_fn(a, z, &so, &sn)) {
			struct order_violation *va, *vz;
			size_t na = order_violations_fn(a, &va), nz = order_violations_fn(z, &vz);
			bool worse = nz > na, better = nz < na;
			sb_printf(b, "- `%s` (`%s`): %s: `%s` -> `%s`\n", z->name, z->file,
				  worse ? "**free moved before the page-table clear or its TLB flush**" :
				  better ? "free moved after the page-table clear and its TLB flush" :
				  "order of clears, flushes and frees changed", so, sn);
			sb_printf(b, "  - risk: %s\n", worse ?
				  "the frame can be reused while a mapping or a stale TLB entry still reaches it; the "
				  "free must follow the clear and the flush (or be deferred) on every path" :
				  better ? "none new; confirm the free still happens on every path that cleared the mapping" :
				  "check that every free still follows the clear and the flush on every path");
			(*changes)++;
			for (size_t j = 0; j < na; j++)
				free(va[j].message);
			for (size_t j = 0; j < nz; j++)
				free(vz[j].message);
			free(va);
			free(vz);
			free(so);
			free(sn);
		}
		struct strv ha = {0}, hz = {0};
		held_returns(a->returns, a->n_returns, &ha);
		held_returns(z->returns, z->n_returns, &hz);
		for (size_t j = 0; j < hz.n; j++) {
			if (strv_has(&ha, hz.v[j]))
				continue;
			bool err = strstr(hz.v[j], "(error)") != NULL;
			sb_printf(b, "- `%s` (`%s`): %s: `%s`\n  - risk: %s\n", z->name, z->file,
				  err ? "**a release moved off an error path**" : "**a pair is broken on a return**",
				  hz.v[j], err ?
				  "the unwind path returns holding what it took (a charge leaks, a lock stays held)" :
				  "this return leaves an acquire without its release");
			(*changes)++;
		}
		strv_free(&ha);
		strv_free(&hz);
	}
	if (*changes == c0)
		sb_puts(b, "No free moved against a clear or flush; no return newly holds a pair.\n");
}

static void unproven(struct sbuf *b, const struct evaluation *oe, const struct evaluation *ne, int *changes)
{
	int c0 = *changes;
	sb_puts(b, "\n## Paths that became unproven\n\n");
	if (!oe || !ne) {
		sb_puts(b, "Not evaluated (no evidence given).\n");
		return;
	}
	struct strv ids = {0};
	for (size_t i = 0; i < ne->n_edges; i++)
		strv_push(&ids, ne->edges[i].id);
	strv_sort_uniq(&ids);
	for (size_t i = 0; i < ids.n; i++) {
		const char *k = ids.v[i];
		const struct edge_eval *was = evaluation_edge(oe, k), *now = evaluation_edge(ne, k);
		if (now->proven)
			continue;
		if (!was || was->proven) {
			char *m = join_strv(&now->missing);
			sb_printf(b, "- `%s` (%s, class `%s`): needs %s\n", k, was ? "was proven" : "new",
				  now->cls ? now->cls->id : "none", m);
			free(m);
			(*changes)++;
		}
	}
	if (*changes == c0)
		sb_puts(b, "None.\n");
	strv_free(&ids);
}

char *diff_models(const struct model *o, const struct model *n, const struct evaluation *oe,
		  const struct evaluation *ne, int *changes)
{
	struct sbuf b = {0};
	*changes = 0;
	sb_puts(&b, "# Memory-authority review summary\n\n");
	transitions(&b, o, n, changes);
	operations(&b, o, n, changes);
	order_section(&b, o, n, changes);
	unproven(&b, oe, ne, changes);
	return b.s;
}
