/* diff.c: compares two models for review: transitions added, removed or changed (sites or
 * operations reaching them); operations whose primitives, locks or ledger effects changed; and
 * transitions that were proven and are not any more. */
#include "diff.h"
#include "model.h"
#include "order.h"
#include "util.h"

#include <string.h>


/* id -> sorted array of "function (file)" sites, from the model's transitions. */
static json_t *sites_by_id(json_t *m)
{
	json_t *sets = json_object(), *t, *out = json_object(), *v;
	size_t i;
	const char *k;
	json_array_foreach(json_object_get(m, "transitions"), i, t) {
		if (!json_object_get(sets, S(t, "id")))
			json_object_set_new(sets, S(t, "id"), json_object());
		char *s = xasprintf("%s (%s)", S(t, "function"), S(t, "file"));
		json_object_set_new(json_object_get(sets, S(t, "id")), s, json_true());
		free(s);
	}
	json_object_foreach(sets, k, v) json_object_set_new(out, k, set_to_array(v));
	json_decref(sets);
	return out;
}

static char *join(json_t *a)
{
	struct sbuf b = {0};
	size_t i;
	json_t *e;
	sb_puts(&b, "");
	json_array_foreach(a, i, e) {
		char *s = json_is_string(e) ? xstrdup(json_string_value(e)) : json_dumps(e, JSON_COMPACT);
		sb_printf(&b, "%s`%s`", i ? ", " : "", s);
		free(s);
	}
	if (!b.n)
		sb_puts(&b, "none");
	return b.s;
}

static void transitions(struct sbuf *b, json_t *o, json_t *n, int *changes)
{
	json_t *so = sites_by_id(o), *sn = sites_by_id(n), *v, *ids = json_object();
	const char *k;
	size_t i;
	json_object_foreach(so, k, v) json_object_set_new(ids, k, json_true());
	json_object_foreach(sn, k, v) json_object_set_new(ids, k, json_true());
	json_t *all = set_to_array(ids), *id;
	sb_puts(b, "## Transitions\n\n");
	int c0 = *changes;
	json_array_foreach(all, i, id) {
		const char *t = json_string_value(id);
		json_t *a = json_object_get(so, t), *z = json_object_get(sn, t);
		json_t *oa = model_ops_reaching(o, t), *oz = model_ops_reaching(n, t);
		char *ja = join(a), *jz = join(z), *opa = join(oa), *opz = join(oz);
		if (!a)
			sb_printf(b, "- **added** `%s` at %s; operations: %s\n", t, jz, opz), (*changes)++;
		else if (!z)
			sb_printf(b, "- **removed** `%s` (was at %s)\n", t, ja), (*changes)++;
		else if (!json_equal(a, z) || !json_equal(oa, oz))
			sb_printf(b, "- **changed** `%s`: sites %s -> %s; operations %s -> %s\n", t, ja, jz, opa, opz), (*changes)++;
		free(ja); free(jz); free(opa); free(opz);
		json_decref(oa);
		json_decref(oz);
	}
	if (*changes == c0)
		sb_puts(b, "No transition added, removed or changed.\n");
	json_decref(so); json_decref(sn); json_decref(ids); json_decref(all);
}

/* One line per operation field whose list changed: "+added -removed". Returns 1 on a change. */
static int list_change(struct sbuf *b, const char *op, const char *field, json_t *a, json_t *z)
{
	json_t *sa = json_object(), *sz = json_object(), *e;
	size_t i;
	struct sbuf d = {0};
	json_array_foreach(a, i, e) json_object_set_new(sa, json_string_value(e), json_true());
	json_array_foreach(z, i, e) json_object_set_new(sz, json_string_value(e), json_true());
	sb_puts(&d, "");
	json_array_foreach(z, i, e)
		if (!json_object_get(sa, json_string_value(e)))
			sb_printf(&d, " +`%s`", json_string_value(e));
	json_array_foreach(a, i, e)
		if (!json_object_get(sz, json_string_value(e)))
			sb_printf(&d, " -`%s`", json_string_value(e));
	int changed = d.n > 0;
	if (changed)
		sb_printf(b, "- `%s` %s:%s\n", op, field, d.s);
	sb_free(&d);
	json_decref(sa);
	json_decref(sz);
	return changed;
}

/* The entry's return paths that leave something held: "`VALUE` (kind) holding KEY", no line
 * numbers, so that moving code does not show up as a change. */
static json_t *held_returns(json_t *op)
{
	json_t *set = json_object(), *r, *h;
	size_t i, j;
	json_array_foreach(json_object_get(op, "returns"), i, r)
		json_array_foreach(json_object_get(r, "held"), j, h) {
			char *s = xasprintf("return %s (%s) holding %s", S(r, "value") ? S(r, "value") : "",
					    S(r, "kind") ? S(r, "kind") : "?", S(h, "key") ? S(h, "key") : "?");
			json_object_set_new(set, s, json_true());
			free(s);
		}
	json_t *a = set_to_array(set);
	json_decref(set);
	return a;
}

/* Every list of one operation that differs between a and z (an absent operation is empty). */
static void operation_fields(struct sbuf *b, const char *op, json_t *a, json_t *z, int *changes)
{
	static const char *const fields[] = {"transitions", "primitives", "locks"};
	for (int f = 0; f < 3; f++)
		*changes += list_change(b, op, fields[f], json_object_get(a, fields[f]), json_object_get(z, fields[f]));
	/* ledger: {charges, releases}; the union of both sides' kinds */
	json_t *la = json_object_get(a, "ledger"), *lz = json_object_get(z, "ledger"), *kinds = json_object(), *v;
	const char *sub;
	json_object_foreach(la, sub, v) json_object_set_new(kinds, sub, json_true());
	json_object_foreach(lz, sub, v) json_object_set_new(kinds, sub, json_true());
	json_object_foreach(kinds, sub, v) {
		char *label = xasprintf("ledger %s", sub);
		*changes += list_change(b, op, label, json_object_get(la, sub), json_object_get(lz, sub));
		free(label);
	}
	json_decref(kinds);
	json_t *ha = held_returns(a), *hz = held_returns(z);
	*changes += list_change(b, op, "unwind", ha, hz);
	json_decref(ha);
	json_decref(hz);
}

static void operations(struct sbuf *b, json_t *o, json_t *n, int *changes)
{
	json_t *oo = json_object_get(o, "operations"), *no = json_object_get(n, "operations"), *v;
	json_t *ids = json_object();
	const char *k;
	size_t i;
	json_object_foreach(oo, k, v) json_object_set_new(ids, k, json_true());
	json_object_foreach(no, k, v) json_object_set_new(ids, k, json_true());
	json_t *all = set_to_array(ids), *id;
	int c0 = *changes;
	sb_puts(b, "\n## Operations\n\n");
	json_array_foreach(all, i, id) {
		const char *op = json_string_value(id);
		json_t *a = json_object_get(oo, op), *z = json_object_get(no, op);
		if (!a || !z) {
			sb_printf(b, "- **%s** operation `%s`\n", a ? "removed" : "added", op);
			(*changes)++;
		}
		operation_fields(b, op, a, z, changes);
	}
	if (*changes == c0)
		sb_puts(b, "No operation changed its primitives, locks, ledger effects, unwind paths or transitions.\n");
	json_decref(ids);
	json_decref(all);
}

/* Functions by USR in either model, sorted. */
static json_t *all_functions(json_t *o, json_t *n)
{
	json_t *ids = json_object(), *v;
	const char *k;
	json_object_foreach(json_object_get(o, "functions"), k, v) json_object_set_new(ids, k, json_true());
	json_object_foreach(json_object_get(n, "functions"), k, v) json_object_set_new(ids, k, json_true());
	json_t *all = set_to_array(ids);
	json_decref(ids);
	return all;
}

/* Returns of one function that leave a pair key held, as "return V (kind) holding KEY". */
static json_t *fn_held(json_t *f)
{
	json_t *op = json_pack("{s:O}", "returns", json_object_get(f, "returns") ? json_object_get(f, "returns") : json_null());
	json_t *r = held_returns(op);
	json_decref(op);
	return r;
}

/* Per function: frees moved against clears and flushes, and pairs left held on a return that
 * were not before (a release moved off an error path, a lock pair broken), with a risk line. */
static void order_section(struct sbuf *b, json_t *o, json_t *n, int *changes)
{
	json_t *all = all_functions(o, n), *id;
	size_t i;
	int c0 = *changes;
	sb_puts(b, "\n## Order and pairing per function\n\n");
	json_array_foreach(all, i, id) {
		json_t *a = json_object_get(json_object_get(o, "functions"), json_string_value(id));
		json_t *z = json_object_get(json_object_get(n, "functions"), json_string_value(id));
		if (!a || !z)
			continue;  /* added and removed functions show up in their operations */
		json_t *ch = order_changes(json_object_get(a, "order"), json_object_get(z, "order"));
		if (json_array_size(ch)) {
			json_t *c = json_array_get(ch, 0), *va = order_violations(a), *vz = order_violations(z);
			bool worse = json_array_size(vz) > json_array_size(va), better = json_array_size(vz) < json_array_size(va);
			sb_printf(b, "- `%s` (`%s`): %s: `%s` -> `%s`\n", S(z, "name"), S(z, "file"),
				  worse ? "**free moved before the page-table clear or its TLB flush**" :
				  better ? "free moved after the page-table clear and its TLB flush" :
				  "order of clears, flushes and frees changed", S(c, "old"), S(c, "new"));
			sb_printf(b, "  - risk: %s\n", worse ?
				  "the frame can be reused while a mapping or a stale TLB entry still reaches it; the "
				  "free must follow the clear and the flush (or be deferred) on every path" :
				  better ? "none new; confirm the free still happens on every path that cleared the mapping" :
				  "check that every free still follows the clear and the flush on every path");
			(*changes)++;
			json_decref(va);
			json_decref(vz);
		}
		json_decref(ch);
		json_t *ha = fn_held(a), *hz = fn_held(z), *e, *sa = json_object();
		size_t j;
		json_array_foreach(ha, j, e) json_object_set_new(sa, json_string_value(e), json_true());
		json_array_foreach(hz, j, e) {
			if (json_object_get(sa, json_string_value(e)))
				continue;
			bool err = strstr(json_string_value(e), "(error)") != NULL;
			sb_printf(b, "- `%s` (`%s`): %s: `%s`\n  - risk: %s\n", S(z, "name"), S(z, "file"),
				  err ? "**a release moved off an error path**" : "**a pair is broken on a return**",
				  json_string_value(e), err ?
				  "the unwind path returns holding what it took (a charge leaks, a lock stays held)" :
				  "this return leaves an acquire without its release");
			(*changes)++;
		}
		json_decref(sa);
		json_decref(ha);
		json_decref(hz);
	}
	if (*changes == c0)
		sb_puts(b, "No free moved against a clear or flush; no return newly holds a pair.\n");
	json_decref(all);
}

static void unproven(struct sbuf *b, json_t *oe, json_t *ne, int *changes)
{
	json_t *ot = json_object_get(oe, "transitions"), *nt = json_object_get(ne, "transitions"), *v;
	const char *k;
	int c0 = *changes;
	sb_puts(b, "\n## Paths that became unproven\n\n");
	if (!oe || !ne) {
		sb_puts(b, "Not evaluated (no evidence given).\n");
		return;
	}
	json_t *keys = json_object();
	json_object_foreach(nt, k, v) json_object_set_new(keys, k, json_true());
	json_t *all = set_to_array(keys), *id;
	size_t i;
	json_array_foreach(all, i, id) {
		k = json_string_value(id);
		json_t *was = json_object_get(ot, k), *now = json_object_get(nt, k);
		if (json_is_true(json_object_get(now, "proven")))
			continue;
		if (!was || json_is_true(json_object_get(was, "proven"))) {
			char *m = join(json_object_get(now, "missing"));
			sb_printf(b, "- `%s` (%s, class `%s`): needs %s\n", k, was ? "was proven" : "new",
				  S(now, "class") ? S(now, "class") : "none", m);
			free(m);
			(*changes)++;
		}
	}
	if (*changes == c0)
		sb_puts(b, "None.\n");
	json_decref(keys);
	json_decref(all);
}

char *diff_models(json_t *o, json_t *n, json_t *oe, json_t *ne, int *changes)
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
