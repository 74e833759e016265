/* model.c: links the facts of every TU into one model. Functions are keyed by the USR of their
 * canonical cursor, so a static inline in a header seen by many TUs is one symbol. */
#include "model.h"
#include "order.h"
#include "tlbflow.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
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

json_t *model_build(const struct config *cfg, json_t *facts)
{
	json_t *m = json_pack("{s:s,s:s,s:[],s:{},s:{},s:{},s:{},s:[],s:[],s:[]}", "schema", INV_MODEL_SCHEMA,
			      "config", cfg->file_hash, "tus", "functions", "decls", "enums", "tables",
			      "transitions", "transition_errors", "primitive_sites");
	const char *k;
	json_t *f;
	merge_facts(m, facts);
	passed_functions(m);
	json_object_foreach(json_object_get(m, "functions"), k, f) link_function(cfg, m, k, f);
	json_object_del(m, "passed");
	/* From here on the model is settled and what it implies derived on the structs (model_ops.c). */
	struct model tm;
	const char *why = model_read_linked(m, &tm);
	json_decref(m);
	if (why) {  /* the link step wrote something its own reader refuses: a bug here, not input */
		fprintf(stderr, "inventory: internal error: linked model: %s\n", why);
		abort();
	}
	order_compute(cfg, &tm);
	model_settle(cfg, &tm);
	tlbflow_compute(cfg, &tm);
	model_derive(cfg, &tm);
	m = model_write(&tm);
	model_free(&tm);
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
