/* model.c: links the facts of every TU into one model. Functions are keyed by the USR of their
 * canonical cursor, so a static inline in a header seen by many TUs is one symbol. */
#include "model.h"
#include "order.h"
#include "util.h"

#include <stdio.h>
#include <string.h>

json_t *set_to_array(json_t *set)
{
	size_t n = json_object_size(set), i = 0;
	const char **keys = xcalloc(n, sizeof *keys);
	const char *k;
	json_t *v, *arr = json_array();
	json_object_foreach(set, k, v) keys[i++] = k;
	qsort(keys, n, sizeof *keys, cmp_strp);
	for (i = 0; i < n; i++)
		json_array_append_new(arr, json_string(keys[i]));
	free(keys);
	return arr;
}

static void merge_facts(json_t *m, json_t *facts)
{
	static const char *const parts[] = {"functions", "decls", "enums", "tables"};
	size_t i;
	json_t *tu;
	json_array_foreach(facts, i, tu) {
		json_array_append_new(json_object_get(m, "tus"), json_string(json_string_value(json_object_get(tu, "tu"))));
		for (int p = 0; p < 4; p++) {
			const char *k;
			json_t *v, *dst = json_object_get(m, parts[p]);
			json_object_foreach(json_object_get(tu, parts[p]), k, v)
				if (!json_object_get(dst, k))
					json_object_set(dst, k, v);
		}
	}
}


static char *call_text(const char *name, json_t *args)
{
	struct sbuf b = {0};
	size_t i;
	json_t *a;
	sb_printf(&b, "%s(", name);
	json_array_foreach(args, i, a) sb_printf(&b, "%s%s", i ? ", " : "", json_string_value(a));
	sb_puts(&b, ")");
	return b.s;
}

static bool key_has_member(const char *key, const char *member)
{
	size_t lk = strlen(key), lm = strlen(member);
	return strcmp(key, member) == 0 || (lk > lm && key[lk - lm - 1] == '.' && strcmp(key + lk - lm, member) == 0);
}

/* Targets of an indirect call: a static table it indexes, or tables of the member's struct, or
 * (a call through a parameter) every function the direct callers pass in that position. */
static json_t *resolve_indirect(json_t *m, const char *fusr, json_t *call)
{
	json_t *tables = json_object_get(m, "tables");
	json_t *vp = json_object_get(call, "via_param");
	if (json_is_integer(vp)) {
		char *k = xasprintf("%s#%lld", fusr, (long long)json_integer_value(vp));
		json_t *set = json_object_get(json_object_get(m, "passed"), k), *out = json_object(), *v;
		const char *u;
		json_object_foreach(set, u, v) json_object_set_new(out, u, json_true());
		free(k);
		return out;
	}
	const char *via = json_string_value(json_object_get(call, "via"));
	const char *member = json_string_value(json_object_get(call, "member"));
	const char *type = json_string_value(json_object_get(call, "type"));
	json_t *t = via ? json_object_get(tables, via) : NULL, *out = json_object(), *e;
	const char *k;
	size_t i;
	if (t) {
		json_array_foreach(json_object_get(t, "entries"), i, e)
			if (!member || key_has_member(json_string_value(json_object_get(e, "key")), member))
				json_object_set_new(out, json_string_value(json_object_get(e, "usr")), json_true());
	} else if (member && type) {
		json_object_foreach(tables, k, t) {
			if (strcmp(json_string_value(json_object_get(t, "type")), type) != 0)
				continue;
			json_array_foreach(json_object_get(t, "entries"), i, e)
				if (key_has_member(json_string_value(json_object_get(e, "key")), member))
					json_object_set_new(out, json_string_value(json_object_get(e, "usr")), json_true());
		}
	}
	return out;
}

/* Per function: callees (resolved), unresolved indirect calls, primitive roles, transitions. */
/* Role of one recorded call or store: a store carries the role its config pattern gave it; a
 * call is matched by name and argument conditions. -1 when it is no primitive. */
static int call_role(const struct config *cfg, json_t *call)
{
	if (json_is_true(json_object_get(call, "store")))
		return role_from_name(S(call, "role"));
	return S(call, "name") ? config_call_role(cfg, S(call, "name"), json_object_get(call, "args")) : -1;
}

/* `p->state = RUNNABLE`: a transition of a field state machine, from any state. */
static void field_transition(json_t *m, const char *usr, const char *fname, const char *file, json_t *e)
{
	json_t *to = json_object_get(e, "to"), *line = json_object_get(e, "line");
	const char *machine = S(e, "machine");
	if (!json_is_string(to)) {
		json_array_append_new(json_object_get(m, "transition_errors"), json_pack("{s:s,s:s,s:s,s:s,s:O,s:O}",
				      "machine", machine, "function", fname, "usr", usr, "file", file, "line", line,
				      "args", json_object_get(e, "args")));
		return;
	}
	char *id = xasprintf("%s:ANY->%s", machine, json_string_value(to));
	json_array_append_new(json_object_get(m, "transitions"), json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:O,s:s}",
			      "machine", machine, "from", "ANY", "to", json_string_value(to), "function", fname, "usr",
			      usr, "file", file, "line", line, "id", id));
	free(id);
}

static void link_function(const struct config *cfg, json_t *m, const char *usr, json_t *f)
{
	json_t *callees = json_object(), *unres = json_array(), *e;
	json_t *sites = json_object_get(m, "primitive_sites"), *trans = json_object_get(m, "transitions");
	json_t *terr = json_object_get(m, "transition_errors");
	size_t i;
	const char *fname = json_string_value(json_object_get(f, "name"));
	const char *file = json_string_value(json_object_get(f, "file"));
	json_array_foreach(json_object_get(f, "calls"), i, e) {
		const char *name = json_string_value(json_object_get(e, "name"));
		json_t *line = json_object_get(e, "line");
		if (json_is_true(json_object_get(e, "indirect"))) {
			json_t *tg = resolve_indirect(m, usr, e);
			const char *k;
			json_t *v;
			if (json_object_size(tg) == 0)
				json_array_append_new(unres, json_pack("{s:O,s:s?,s:s?}", "line", line, "via",
						      json_string_value(json_object_get(e, "via_name")), "member",
						      json_string_value(json_object_get(e, "member"))));
			json_object_foreach(tg, k, v) json_object_set_new(callees, k, json_true());
			json_decref(tg);
			continue;
		}
		if (json_is_true(json_object_get(e, "store")) && S(e, "machine"))
			field_transition(m, usr, fname, file, e);
		if (S(e, "usr"))
			json_object_set_new(callees, S(e, "usr"), json_true());
		int role = call_role(cfg, e);
		if (role >= 0)
			json_array_append_new(sites, json_pack("{s:s,s:s,s:s,s:s,s:s,s:O,s:O,s:O}", "role",
					      role_name(role), "name", name, "function", fname, "usr", usr, "file",
					      file, "line", line, "col", json_object_get(e, "col"), "args",
					      json_object_get(e, "args")));
		char *machine = cfg->trans_fn && !json_is_true(json_object_get(e, "store")) ?
			pattern_get(cfg->trans_fn, name, "machine") : NULL;
		if (!machine)
			continue;
		json_t *from = json_array_get(json_object_get(e, "consts"), (size_t)cfg->from_arg);
		json_t *to = json_array_get(json_object_get(e, "consts"), (size_t)cfg->to_arg);
		if (!json_is_string(from) || !json_is_string(to))
			json_array_append_new(terr, json_pack("{s:s,s:s,s:s,s:s,s:O,s:O}", "machine", machine,
					      "function", fname, "usr", usr, "file", file, "line", line, "args",
					      json_object_get(e, "args")));
		else {
			char *id = xasprintf("%s:%s->%s", machine, json_string_value(from), json_string_value(to));
			json_array_append_new(trans, json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:O,s:s}",
					      "machine", machine, "from", json_string_value(from), "to",
					      json_string_value(to), "function", fname, "usr", usr, "file", file,
					      "line", line, "id", id));
			free(id);
		}
		free(machine);
	}
	json_object_set_new(f, "callees", set_to_array(callees));
	json_object_set_new(f, "unresolved", unres);
	json_decref(callees);
}

static json_t *add_op(json_t *ops, const char *id, const char *object, const char *op,
		      const char *kind, const char *source, const char *fusr, json_t *f)
{
	json_t *o = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:O,s:O}", "id", id, "object", object, "op",
			      op, "kind", kind, "source", source, "function",
			      json_string_value(json_object_get(f, "name")), "usr", fusr, "file",
			      json_object_get(f, "file"), "line", json_object_get(f, "line"));
	json_object_set_new(ops, id, o);
	return o;
}

/* The op name a function pattern gives a function ("perform_{object}_{op}"), or NULL. */
static char *op_from_patterns(const struct config *cfg, const char *fname)
{
	size_t pi;
	json_t *pat;
	char *pop = NULL;
	json_array_foreach(cfg->op_functions, pi, pat)
		if (!pop)
			pop = pattern_get(json_string_value(pat), fname, "op");
	return pop;
}

/* Operations of step 1: the entries of static dispatch tables the config names. */
static void ops_from_tables(const struct config *cfg, json_t *m, json_t *ops, json_t *seen)
{
	json_t *fns = json_object_get(m, "functions"), *t, *e, *f;
	const char *k;
	size_t i;
	json_object_foreach(json_object_get(m, "tables"), k, t) {
		const char *tname = S(t, "name");
		if (!json_globs_match(cfg->op_tables, tname))
			continue;
		char *object = pattern_get(cfg->table_object, tname, "object");
		json_array_foreach(json_object_get(t, "entries"), i, e) {
			const char *fu = S(e, "usr"), *key = S(e, "key");
			if (!(f = json_object_get(fns, fu)))
				continue;  /* declared, defined out of scope */
			char *pop = op_from_patterns(cfg, S(f, "name"));
			char *id = xasprintf("%s.%s", object ? object : tname, pop ? pop : key);
			char *src = xasprintf("%s[%s]", tname, key);
			add_op(ops, id, object ? object : tname, pop ? pop : key, "operation", src, fu, f);
			json_object_set_new(seen, fu, json_true());
			free(pop);
			free(id);
			free(src);
		}
		free(object);
	}
}

/* Step 2: functions whose names fit an operation pattern, unless a table already made them one. */
static void ops_from_names(const struct config *cfg, json_t *m, json_t *ops, json_t *seen)
{
	json_t *f, *pat;
	const char *k;
	size_t i;
	json_object_foreach(json_object_get(m, "functions"), k, f) {
		json_array_foreach(cfg->op_functions, i, pat) {
			char *obj = pattern_get(json_string_value(pat), S(f, "name"), "object");
			char *op = pattern_get(json_string_value(pat), S(f, "name"), "op");
			if (op && !json_object_get(seen, k)) {
				char *id = xasprintf("%s.%s", obj ? obj : "-", op);
				add_op(ops, id, obj ? obj : "-", op, "operation", json_string_value(pat), k, f);
				json_object_set_new(seen, k, json_true());
				free(id);
			}
			free(obj);
			free(op);
		}
	}
}

/* Step 3: the other entry points the config declares. */
static void ops_from_entries(const struct config *cfg, json_t *m, json_t *ops)
{
	json_t *e, *f;
	const char *k;
	size_t i;
	json_array_foreach(cfg->entries, i, e) {
		const char *fn = S(e, "function"), *nm = S(e, "name");
		json_object_foreach(json_object_get(m, "functions"), k, f)
			if (strcmp(S(f, "name"), fn) == 0) {
				char *id = xasprintf("entry.%s", nm ? nm : fn);
				add_op(ops, id, "entry", nm ? nm : fn, "entry", "config", k, f);
				free(id);
			}
	}
}

static void find_operations(const struct config *cfg, json_t *m)
{
	json_t *ops = json_object(), *seen = json_object();
	ops_from_tables(cfg, m, ops, seen);
	ops_from_names(cfg, m, ops, seen);
	ops_from_entries(cfg, m, ops);
	json_decref(seen);
	json_object_set_new(m, "operations", ops);
}

/* Everything reachable from one entry, and what the reached functions do. */
/* What an operation reaches, gathered function by function (sets are JSON objects used as sets). */
struct reach {
	json_t *seen;      /* USRs reached */
	json_t *roles, *prims, *locks, *charges, *releases;
	json_t *unres, *cleanup, *copies;
};

/* Step 1: every function reachable from the entry over resolved calls (breadth first). */
static void reach_functions(json_t *fns, const char *entry, struct reach *r)
{
	json_t *queue = json_array(), *e;
	size_t qi, i;
	json_array_append_new(queue, json_string(entry));
	json_object_set_new(r->seen, entry, json_true());
	for (qi = 0; qi < json_array_size(queue); qi++) {
		json_t *f = json_object_get(fns, json_string_value(json_array_get(queue, qi)));
		json_array_foreach(json_object_get(f, "callees"), i, e)
			if (!json_object_get(r->seen, json_string_value(e)) && json_object_get(fns, json_string_value(e))) {
				json_object_set_new(r->seen, json_string_value(e), json_true());
				json_array_append(queue, e);
			}
	}
	json_decref(queue);
}

/* Step 2: the primitives one reached function calls (roles, locks, ledger charges/releases). */
static void reach_primitives(const struct config *cfg, json_t *f, struct reach *r)
{
	json_t *e;
	size_t i;
	json_array_foreach(json_object_get(f, "calls"), i, e) {
		const char *n = S(e, "name");
		int role = call_role(cfg, e);
		if (role < 0)
			continue;
		json_object_set_new(r->roles, role_name(role), json_true());
		char *pk = xasprintf("%s:%s", role_name(role), n);
		json_object_set_new(r->prims, pk, json_true());
		free(pk);
		char *s = call_text(n, json_object_get(e, "args"));
		if (role == ROLE_LOCK_ACQUIRE)
			json_object_set_new(r->locks, json_string_value(json_array_get(json_object_get(e, "args"), 0)), json_true());
		if (role == ROLE_LEDGER_CHARGE)
			json_object_set_new(r->charges, s, json_true());
		if (role == ROLE_LEDGER_RELEASE)
			json_object_set_new(r->releases, s, json_true());
		free(s);
	}
}

/* Step 3: its unresolved indirect calls, cleanup labels and user copies, with where they are. */
static void reach_sites(json_t *f, struct reach *r)
{
	json_t *e;
	size_t i;
	const char *fname = S(f, "name");
	json_array_foreach(json_object_get(f, "unresolved"), i, e)
		json_array_append_new(r->unres, json_pack("{s:s,s:O,s:O,s:O,s:O}", "function", fname, "file",
				      json_object_get(f, "file"), "line", json_object_get(e, "line"),
				      "via", json_object_get(e, "via"), "member", json_object_get(e, "member")));
	json_array_foreach(json_object_get(f, "labels"), i, e)
		if (json_integer_value(json_object_get(e, "gotos")) > 0)
			json_array_append_new(r->cleanup, json_pack("{s:s,s:O,s:O,s:O}", "function", fname,
					      "label", json_object_get(e, "name"), "file", json_object_get(f, "file"),
					      "line", json_object_get(e, "line")));
	json_array_foreach(json_object_get(f, "copies"), i, e) {
		json_t *c = json_deep_copy(e);
		json_object_set_new(c, "function", json_string(fname));
		json_object_set(c, "file", json_object_get(f, "file"));
		json_array_append_new(r->copies, c);
	}
}

/* Step 4: the transitions whose sites are in reached functions; everything onto the op. */
static void reach_store(json_t *m, json_t *op, struct reach *r)
{
	json_t *fns = json_object_get(m, "functions"), *tr = json_object(), *reach = json_object(), *t, *v;
	const char *k;
	size_t i;
	json_array_foreach(json_object_get(m, "transitions"), i, t)
		if (json_object_get(r->seen, S(t, "usr")))
			json_object_set_new(tr, S(t, "id"), json_true());
	json_object_foreach(r->seen, k, v)
		json_object_set_new(reach, S(json_object_get(fns, k), "name"), json_true());
	json_object_set_new(op, "reach", set_to_array(reach));
	json_object_set_new(op, "transitions", set_to_array(tr));
	json_object_set_new(op, "roles", set_to_array(r->roles));
	json_object_set_new(op, "primitives", set_to_array(r->prims));
	json_object_set_new(op, "locks", set_to_array(r->locks));
	json_object_set_new(op, "ledger", json_pack("{s:o,s:o}", "charges", set_to_array(r->charges),
			    "releases", set_to_array(r->releases)));
	json_object_set(op, "unresolved", r->unres);
	json_object_set(op, "cleanup", r->cleanup);
	json_object_set(op, "copies", r->copies);
	json_object_set(op, "returns", json_object_get(json_object_get(fns, S(op, "usr")), "returns"));
	json_object_set_new(op, "reach_usrs", set_to_array(r->seen));
	json_decref(tr);
	json_decref(reach);
}

/* Everything reachable from one entry, and what the reached functions do. */
static void reach_op(const struct config *cfg, json_t *m, json_t *op)
{
	json_t *fns = json_object_get(m, "functions"), *v;
	struct reach r = {json_object(), json_object(), json_object(), json_object(), json_object(),
			  json_object(), json_array(), json_array(), json_array()};
	const char *k;
	reach_functions(fns, S(op, "usr"), &r);
	/* In breadth-first order, as before: the arrays keep the order functions were reached. */
	json_t *order = json_array();
	json_object_foreach(r.seen, k, v) json_array_append_new(order, json_string(k));
	size_t i;
	json_t *u;
	json_array_foreach(order, i, u) {
		json_t *f = json_object_get(fns, json_string_value(u));
		reach_primitives(cfg, f, &r);
		reach_sites(f, &r);
	}
	json_decref(order);
	reach_store(m, op, &r);
	json_t *objs[] = {r.seen, r.roles, r.prims, r.locks, r.charges, r.releases, r.unres, r.cleanup, r.copies};
	for (size_t j = 0; j < sizeof objs / sizeof objs[0]; j++)
		json_decref(objs[j]);
}

static void machines(const struct config *cfg, json_t *m)
{
	json_t *ms = json_object(), *t, *e;
	const char *k;
	size_t i;
	json_object_foreach(json_object_get(m, "enums"), k, e) {
		char *mach = pattern_get(cfg->state_enum, k, "machine");
		json_t *sf;
		size_t fi;
		json_array_foreach(cfg->state_fields, fi, sf)
			if (!mach && !strcmp(S(sf, "state_enum"), k))
				mach = xstrdup(S(sf, "machine"));
		json_t *states = json_array(), *c;
		size_t ci;
		json_array_foreach(json_object_get(e, "constants"), ci, c)
			if (!json_globs_match(cfg->state_ignore, json_string_value(c)))
				json_array_append(states, c);
		if (mach)
			json_object_set_new(ms, mach, json_pack("{s:s,s:O,s:O,s:o,s:o}", "enum", k, "file",
					    json_object_get(e, "file"), "line", json_object_get(e, "line"),
					    "states", states, "transitions", json_array()));
		else
			json_decref(states);
		free(mach);
	}
	json_array_foreach(json_object_get(m, "transitions"), i, t) {
		const char *mach = json_string_value(json_object_get(t, "machine"));
		if (!json_object_get(ms, mach))
			json_object_set_new(ms, mach, json_pack("{s:n,s:n,s:n,s:[],s:[]}", "enum", "file",
					    "line", "states", "transitions"));
		json_array_append(json_object_get(json_object_get(ms, mach), "transitions"), t);
	}
	json_object_set_new(m, "machines", ms);
}

static int cmp_site(const void *a, const void *b)
{
	json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
	int c = strcmp(json_string_value(json_object_get(x, "file")), json_string_value(json_object_get(y, "file")));
	if (c)
		return c;
	c = (int)(json_integer_value(json_object_get(x, "line")) - json_integer_value(json_object_get(y, "line")));
	if (c)
		return c;
	const char *ix = json_string_value(json_object_get(x, "id")), *iy = json_string_value(json_object_get(y, "id"));
	return ix && iy ? strcmp(ix, iy) : 0;
}

/** Sort an array of objects with file and line in place. */
void sort_sites(json_t *arr);
void sort_sites(json_t *arr)
{
	size_t n = json_array_size(arr);
	json_t **v = xcalloc(n, sizeof *v);
	for (size_t i = 0; i < n; i++)
		v[i] = json_incref(json_array_get(arr, i));
	qsort(v, n, sizeof *v, cmp_site);
	json_array_clear(arr);
	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, v[i]);
	free(v);
}

static void forbidden_present(const struct config *cfg, json_t *m)
{
	json_t *pres = json_object(), *f, *e;
	const char *k;
	size_t i;
	json_t *srcs[] = {json_object_get(m, "functions"), json_object_get(m, "decls")};
	for (int s = 0; s < 2; s++)
		json_object_foreach(srcs[s], k, f) {
			const char *n = json_string_value(json_object_get(f, "name"));
			int r = config_role(cfg, n);
			if (r != ROLE_DMA && r != ROLE_SWAP)
				continue;
			if (!json_object_get(pres, role_name(r)))
				json_object_set_new(pres, role_name(r), json_array());
			json_array_append_new(json_object_get(pres, role_name(r)), json_pack("{s:s,s:O,s:O,s:s}",
					      "name", n, "file", json_object_get(f, "file"), "line",
					      json_object_get(f, "line"), "how", s ? "declared" : "defined"));
		}
	json_array_foreach(json_object_get(m, "primitive_sites"), i, e) {
		const char *r = json_string_value(json_object_get(e, "role"));
		if (strcmp(r, "dma") && strcmp(r, "swap"))
			continue;
		if (!json_object_get(pres, r))
			json_object_set_new(pres, r, json_array());
		json_array_append_new(json_object_get(pres, r), json_pack("{s:O,s:O,s:O,s:s}", "name",
				      json_object_get(e, "name"), "file", json_object_get(e, "file"), "line",
				      json_object_get(e, "line"), "how", "called"));
	}
	json_object_foreach(pres, k, e) sort_sites(e);
	json_object_set_new(m, "present", pres);
}

/* With self_locking, a copy through a primitive whose own definition takes and drops a lock is
 * stable: the primitive holds the address space still for the copy. Checked, not assumed. */
static void self_locking_copies(const struct config *cfg, json_t *m)
{
	json_t *fns = json_object_get(m, "functions"), *f, *c, *p;
	const char *k, *pk;
	size_t i, j;
	if (!cfg->stable_self)
		return;
	json_object_foreach(fns, k, f)
		json_array_foreach(json_object_get(f, "copies"), i, c) {
			if (json_is_true(json_object_get(c, "stable")))
				continue;
			json_object_foreach(fns, pk, p) {
				if (strcmp(S(p, "name"), S(c, "name")) != 0)
					continue;
				const char *lock = NULL;
				bool unlock = false;
				json_t *call;
				json_array_foreach(json_object_get(p, "calls"), j, call) {
					int r = call_role(cfg, call);
					if (r == ROLE_LOCK_ACQUIRE && !lock)
						lock = S(call, "name");
					unlock = unlock || (r == ROLE_LOCK_RELEASE && lock);
				}
				if (lock && unlock) {
					char *why = xasprintf("%s takes %s around the copy", S(c, "name"), lock);
					json_object_set_new(c, "stable", json_true());
					json_object_set_new(c, "reason", json_string(why));
					free(why);
				}
			}
		}
}

/* A function that hands its own parameter on (`lvl2(fn, as) { lvl1(fn, as); }`, call fact
 * "fwd": [[argument, parameter]]) passes whatever its callers pass in that parameter: propagate
 * "F#param" into "callee#argument" until nothing changes (each round only adds, so at most one
 * round per function along the longest chain). */
static void forward_passed(json_t *m, json_t *passed)
{
	bool changed = true;
	json_t *f, *c, *fw, *v;
	const char *k, *u;
	size_t i, j;
	while (changed) {
		changed = false;
		json_object_foreach(json_object_get(m, "functions"), k, f)
			json_array_foreach(json_object_get(f, "calls"), i, c)
				json_array_foreach(json_object_get(c, "fwd"), j, fw) {
				if (!S(c, "usr"))
					continue;
				char *from = xasprintf("%s#%lld", k, (long long)json_integer_value(json_array_get(fw, 1)));
				char *to = xasprintf("%s#%lld", S(c, "usr"), (long long)json_integer_value(json_array_get(fw, 0)));
				json_t *src = json_object_get(passed, from);
				if (src && !json_object_get(passed, to))
					json_object_set_new(passed, to, json_object());
				json_object_foreach(src, u, v)
					if (!json_object_get(json_object_get(passed, to), u)) {
						json_object_set_new(json_object_get(passed, to), u, json_true());
						changed = true;
					}
				free(from);
				free(to);
			}
	}
}

/* "callee#pos" -> set of functions passed in that argument position by direct calls. */
static void passed_functions(json_t *m)
{
	json_t *passed = json_object(), *f, *c, *r;
	const char *k;
	size_t i, j;
	json_object_foreach(json_object_get(m, "functions"), k, f)
		json_array_foreach(json_object_get(f, "calls"), i, c)
			json_array_foreach(json_object_get(c, "fnrefs"), j, r) {
				if (!S(c, "usr"))
					continue;
				char *key = xasprintf("%s#%lld", S(c, "usr"), (long long)json_integer_value(json_array_get(r, 0)));
				if (!json_object_get(passed, key))
					json_object_set_new(passed, key, json_object());
				json_object_set_new(json_object_get(passed, key), json_string_value(json_array_get(r, 1)), json_true());
				free(key);
			}
	forward_passed(m, passed);
	json_object_set_new(m, "passed", passed);
}

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

static int cmp_usr_name(const void *a, const void *b)
{
	json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
	int c = strcmp(S(x, "name"), S(y, "name"));
	return c ? c : strcmp(S(x, "file"), S(y, "file"));
}

/* One obligation per site, with a stable ID from the function, the class and the ordinal of the
 * site among that function's sites of that class in source order: never a line number, so an
 * edit above a site does not rename it. A name defined in two files (static functions) is
 * qualified by its file. Witnesses and mutant status are filled by the witness run (issue 11);
 * until then they say so. */
static void obligations(const struct config *cfg, json_t *m)
{
	json_t *fns = json_object_get(m, "functions"), *f, *c, *out = json_array(), *names = json_object();
	const char *k;
	size_t i, n = json_object_size(fns), j = 0;
	json_t **list = xcalloc(n ? n : 1, sizeof *list);
	json_object_foreach(fns, k, f) {
		list[j++] = f;
		json_object_set_new(names, S(f, "name"), json_integer(json_integer_value(json_object_get(names, S(f, "name"))) + 1));
	}
	qsort(list, n, sizeof *list, cmp_usr_name);
	for (j = 0; j < n; j++) {
		f = list[j];
		bool dup = json_integer_value(json_object_get(names, S(f, "name"))) > 1;
		json_t *ord = json_object();
		json_array_foreach(json_object_get(f, "calls"), i, c) {
			int r = call_role(cfg, c);
			const char *cls = r >= 0 ? obligation_class(r) : NULL;
			bool trans = (json_is_true(json_object_get(c, "store")) && S(c, "machine")) ||
				     (!json_is_true(json_object_get(c, "store")) && cfg->trans_fn && S(c, "name") &&
				      glob_match_placeholder(cfg->trans_fn, S(c, "name")));
			if (trans)
				cls = "transition";
			if (!cls)
				continue;
			json_int_t nth = json_integer_value(json_object_get(ord, cls)) + 1;
			json_object_set_new(ord, cls, json_integer(nth));
			char *id = dup ? xasprintf("%s:%s:%s:%lld", S(f, "file"), S(f, "name"), cls, (long long)nth)
				       : xasprintf("%s:%s:%lld", S(f, "name"), cls, (long long)nth);
			json_array_append_new(out, json_pack("{s:s,s:s,s:s?,s:s,s:s,s:O,s:s,s:[],s:{s:s}}", "id", id,
					      "class", cls, "role", r >= 0 ? role_name(r) : NULL, "function", S(f, "name"),
					      "file", S(f, "file"), "line", json_object_get(c, "line"), "site", S(c, "name"),
					      "witnesses", "mutant", "status", "not-run"));
			free(id);
		}
		json_decref(ord);
	}
	free(list);
	json_decref(names);
	json_object_set_new(m, "obligations", out);
}

json_t *model_build(const struct config *cfg, json_t *facts)
{
	json_t *m = json_pack("{s:s,s:s,s:[],s:{},s:{},s:{},s:{},s:[],s:[],s:[]}", "schema", INV_MODEL_SCHEMA,
			      "config", cfg->file_hash, "tus", "functions", "decls", "enums", "tables",
			      "transitions", "transition_errors", "primitive_sites");
	const char *k;
	json_t *f, *op;
	merge_facts(m, facts);
	passed_functions(m);
	json_object_foreach(json_object_get(m, "functions"), k, f) link_function(cfg, m, k, f);
	json_object_del(m, "passed");
	order_compute(cfg, m);
	self_locking_copies(cfg, m);
	void *tmp;
	json_object_foreach_safe(json_object_get(m, "decls"), tmp, k, f)
		if (json_object_get(json_object_get(m, "functions"), k))
			json_object_del(json_object_get(m, "decls"), k);
	sort_sites(json_object_get(m, "transitions"));
	sort_sites(json_object_get(m, "transition_errors"));
	sort_sites(json_object_get(m, "primitive_sites"));
	machines(cfg, m);
	find_operations(cfg, m);
	json_object_foreach(json_object_get(m, "operations"), k, op) reach_op(cfg, m, op);
	forbidden_present(cfg, m);
	obligations(cfg, m);
	return m;
}

/* Every member of obj named in keys ("name:type", type one of s i a o) has that JSON type;
 * a missing one too when required. */
static bool has_members(json_t *obj, const char *const *keys, bool required)
{
	if (!json_is_object(obj))
		return false;
	for (const char *const *k = keys; *k; k++) {
		const char *colon = strchr(*k, ':');
		char *name = xasprintf("%.*s", (int)(colon - *k), *k);
		json_t *v = json_object_get(obj, name);
		free(name);
		if (!v) {
			if (required)
				return false;
			continue;
		}
		char t = colon[1];
		if ((t == 's' && !json_is_string(v)) || (t == 'i' && !json_is_integer(v)) ||
		    (t == 'a' && !json_is_array(v)) || (t == 'o' && !json_is_object(v)))
			return false;
	}
	return true;
}

static bool all_strings(json_t *a)
{
	size_t i;
	json_t *e;
	json_array_foreach(a, i, e) if (!json_is_string(e)) return false;
	return true;
}

const char *model_unsound(json_t *m)
{
	static const char *const top[] = {"config:s", "functions:o", "transitions:a", "operations:o", "machines:o",
					  "enums:o", "tables:o", "transition_errors:a", "primitive_sites:a", "obligations:a", NULL};
	static const char *const tr[] = {"id:s", "machine:s", "from:s", "to:s", "function:s", "file:s", "line:i", NULL};
	static const char *const fn[] = {"name:s", "file:s", "line:i", "calls:a", "returns:a", NULL};
	static const char *const op[] = {"transitions:a", "primitives:a", "locks:a", "ledger:o", "returns:a", NULL};
	static const char *const lists[] = {"transitions", "primitives", "locks", "roles", NULL};
	json_t *v, *x;
	const char *k, *sub;
	size_t i;
	if (!has_members(m, top, true))
		return "a top-level member is missing or of the wrong type";
	json_array_foreach(json_object_get(m, "transitions"), i, v) if (!has_members(v, tr, true)) return "a transitions[] entry is malformed";
	json_object_foreach(json_object_get(m, "functions"), k, v) if (!has_members(v, fn, false)) return "a functions{} entry is malformed";
	json_object_foreach(json_object_get(m, "operations"), k, v) {
		if (!has_members(v, op, false))
			return "an operations{} entry is malformed";
		for (const char *const *l = lists; *l; l++)
			if (!all_strings(json_object_get(v, *l)))
				return "an operation lists something that is not a string";
		json_object_foreach(json_object_get(v, "ledger"), sub, x) if (!json_is_array(x) || !all_strings(x)) return "an operation's ledger effects are malformed";
	}
	return NULL;
}

json_t *model_load(const char *path)
{
	json_error_t err;
	json_t *m = json_read_file(path, 0, &err);
	if (!m) {
		json_load_error("model", path, &err);
		return NULL;
	}
	const char *s = json_string_value(json_object_get(m, "schema"));
	if (!s || strcmp(s, INV_MODEL_SCHEMA) != 0) {
		fprintf(stderr, "%s: model schema is '%s', this tool reads '%s'\n", path, s ? s : "(none)",
			INV_MODEL_SCHEMA);
		json_decref(m);
		return NULL;
	}
	const char *why = model_unsound(m);
	if (why) {
		fprintf(stderr, "%s: not a model `inventory scan` wrote: %s; run `inventory scan` again\n", path, why);
		json_decref(m);
		return NULL;
	}
	return m;
}

/* The pair (by name) a held key belongs to: "ledger(LEDGER_COMMIT)" -> ledger pair, inner text. */
static json_t *key_pair(const struct config *cfg, const char *key, char **inner)
{
	size_t i;
	json_t *p;
	json_array_foreach(cfg->pairs, i, p) {
		const char *n = S(p, "name");
		size_t l = strlen(n), kl = strlen(key);
		if (strncmp(key, n, l) == 0 && key[l] == '(' && key[kl - 1] == ')') {
			*inner = xasprintf("%.*s", (int)(kl - l - 2), key + l + 1);
			return p;
		}
	}
	return NULL;
}

/* dir if every return of f holds exactly key at count dir (error returns: nothing, for an
 * acquire), else 0; key is taken from the first return that holds something. */
static int wrapper_dir(json_t *f, const char **key)
{
	size_t i;
	json_t *r;
	int dir = 0;
	*key = NULL;
	json_array_foreach(json_object_get(f, "returns"), i, r) {
		json_t *h = json_object_get(r, "held");
		bool err = !strcmp(S(r, "kind"), "error");
		if (json_array_size(h) == 0 && err)
			continue;  /* a failed acquire holds nothing */
		if (json_array_size(h) != 1)
			return 0;
		json_t *e = json_array_get(h, 0);
		int n = (int)json_integer_value(json_object_get(e, "count"));
		if ((n != 1 && n != -1) || (dir && n != dir) || (*key && strcmp(*key, S(e, "key"))) || (err && n > 0))
			return 0;
		dir = n;
		*key = S(e, "key");
	}
	return dir;
}

json_t *model_wrappers(const struct config *cfg, json_t *m)
{
	json_t *out = json_array(), *f, *params;
	const char *k;
	json_object_foreach(json_object_get(m, "functions"), k, f) {
		const char *key, *name = S(f, "name");
		int dir = wrapper_dir(f, &key);
		char *inner = NULL;
		json_t *p = dir ? key_pair(cfg, key, &inner) : NULL;
		if (!p || !json_is_true(json_object_get(p, "derive_wrappers")) ||
		    json_globs_match(json_object_get(p, "acquire"), name) ||
		    json_globs_match(json_object_get(p, "release"), name)) {
			free(inner);
			continue;
		}
		json_t *d = json_pack("{s:s,s:s,s:i,s:s}", "pair", S(p, "name"), "function", name, "dir", dir, "key", inner);
		params = json_object_get(f, "params");
		for (size_t i = 0; i < json_array_size(params); i++)
			if (!strcmp(json_string_value(json_array_get(params, i)), inner))
				json_object_set_new(d, "key_arg", json_integer((json_int_t)i));  /* the key is a parameter */
		json_array_append_new(out, d);
		free(inner);
	}
	return out;
}
