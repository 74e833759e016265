/* config_io.c: the config's JSON edge. Reads the config file, validates it against the schema
 * compiled into the tool (every problem at once) and against the tool's own rules (unknown keys,
 * wrong types, missing placeholders), and fills the typed struct config; nothing after this
 * file sees JSON. */
#include "config.h"
#include "model.h"
#include "jschema_io.h"
#include "json_io.h"
#include "util.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- JSON -> typed ---- */

static void to_strv(json_t *arr, struct strv *out)
{
	size_t i;
	json_t *e;
	memset(out, 0, sizeof *out);
	json_array_foreach(arr, i, e)
		if (json_is_string(e))
			strv_push(out, json_string_value(e));
}

static char *dup_str(json_t *o, const char *k, const char *def)
{
	json_t *v = json_object_get(o, k);
	return json_is_string(v) ? xstrdup(json_string_value(v)) : def ? xstrdup(def) : NULL;
}

static void to_positions(json_t *arr, long long **v, size_t *n)
{
	*n = json_array_size(arr);
	*v = xcalloc(*n ? *n : 1, sizeof **v);
	for (size_t i = 0; i < *n; i++)
		(*v)[i] = (long long)json_integer_value(json_array_get(arr, i));
}

static void to_pair(json_t *e, struct pair_cfg *p)
{
	const char *k;
	json_t *v;
	memset(p, 0, sizeof *p);
	p->name = dup_str(e, "name", NULL);
	to_strv(json_object_get(e, "acquire"), &p->acquire);
	to_strv(json_object_get(e, "release"), &p->release);
	to_strv(json_object_get(e, "key_return"), &p->key_return);
	to_positions(json_object_get(e, "key_args"), &p->key_args, &p->n_key_args);
	json_t *fk = json_object_get(e, "fixed_keys"), *fa = json_object_get(e, "fn_key_args");
	p->fixed = xcalloc(json_object_size(fk) ? json_object_size(fk) : 1, sizeof *p->fixed);
	json_object_foreach(fk, k, v)
		p->fixed[p->n_fixed++] = (struct pair_fixed){xstrdup(k), xstrdup(json_string_value(v))};
	p->fn_args = xcalloc(json_object_size(fa) ? json_object_size(fa) : 1, sizeof *p->fn_args);
	json_object_foreach(fa, k, v) {
		struct pair_fn_args *x = &p->fn_args[p->n_fn_args++];
		x->fn = xstrdup(k);
		to_positions(v, &x->v, &x->n);
	}
	p->fallible = json_is_true(json_object_get(e, "fallible"));
	p->derive_wrappers = json_is_true(json_object_get(e, "derive_wrappers"));
}

/* Report every key of obj not in the NULL-terminated list; returns the count. */
static int unknown_keys(const char *file, const char *where, json_t *obj, const char *const *known)
{
	const char *k;
	json_t *v;
	int bad = 0;
	json_object_foreach(obj, k, v) {
		bool ok = false;
		for (const char *const *p = known; *p; p++)
			ok = ok || strcmp(*p, k) == 0;
		if (!ok) {
			fprintf(stderr, "%s: INV008: unknown config key '%s%s%s'\n", file, where,
				*where ? "." : "", k);
			bad++;
		}
		(void)v;
	}
	return bad;
}

static int want(const char *file, const char *key, json_t *v, json_type t, bool required)
{
	if (!v)
		return required ? (fprintf(stderr, "%s: missing config key '%s'\n", file, key), -1) : 0;
	if (json_typeof(v) != t) {
		fprintf(stderr, "%s: config key '%s' has the wrong type\n", file, key);
		return -1;
	}
	if (t == JSON_ARRAY && !strstr(key, "pairs") && !strstr(key, "entries") && !strstr(key, "forbidden")) {
		/* Every other array in the config is a list of names or globs. */
		size_t i;
		json_t *e;
		json_array_foreach(v, i, e) {
			if (!json_is_string(e)) {
				fprintf(stderr, "%s: config key '%s' must list strings\n", file, key);
				return -1;
			}
		}
	}
	return 0;
}

static const char *str_or(json_t *o, const char *k, const char *def)
{
	json_t *v = json_object_get(o, k);
	return json_is_string(v) ? json_string_value(v) : def;
}

/* Optional scalar key k of obj (named where.k in messages): absent leaves *out alone; present
 * with another JSON type is an error, never a silent default. */
static int opt_str(const char *f, const char *where, json_t *obj, const char *k, const char **out)
{
	json_t *v = json_object_get(obj, k);
	if (v && !json_is_string(v))
		return fprintf(stderr, "%s: config key '%s%s%s' must be a string\n", f, where, *where ? "." : "", k), -1;
	if (v)
		*out = json_string_value(v);
	return 0;
}

static int opt_bool(const char *f, const char *where, json_t *obj, const char *k)
{
	json_t *v = json_object_get(obj, k);
	if (v && !json_is_boolean(v))
		return fprintf(stderr, "%s: config key '%s.%s' must be true or false\n", f, where, k), -1;
	return 0;
}

/* v is an array of argument positions (integers >= 0). */
static int want_positions(const char *f, const char *key, json_t *v)
{
	size_t i;
	json_t *e;
	if (v && !json_is_array(v))
		return fprintf(stderr, "%s: config key '%s' must list argument positions\n", f, key), -1;
	json_array_foreach(v, i, e)
		if (!json_is_integer(e) || json_integer_value(e) < 0)
			return fprintf(stderr, "%s: config key '%s' must list argument positions (integers >= 0)\n", f, key), -1;
	return 0;
}

/* The typed members of one pairs[] entry: key_args, fn_key_args (name -> positions),
 * fixed_keys (name -> key text), fallible and derive_wrappers. */
static int pair_members(const char *f, json_t *e)
{
	const char *k;
	json_t *v, *fk = json_object_get(e, "fixed_keys"), *fa = json_object_get(e, "fn_key_args");
	if (want_positions(f, "pairs[].key_args", json_object_get(e, "key_args")) ||
	    opt_bool(f, "pairs[]", e, "fallible") || opt_bool(f, "pairs[]", e, "derive_wrappers") ||
	    want(f, "pairs[].fixed_keys", fk, JSON_OBJECT, false) || want(f, "pairs[].fn_key_args", fa, JSON_OBJECT, false))
		return -1;
	json_object_foreach(fk, k, v)
		if (!json_is_string(v))
			return fprintf(stderr, "%s: pairs[].fixed_keys.%s must be a string\n", f, k), -1;
	json_object_foreach(fa, k, v)
		if (want_positions(f, "pairs[].fn_key_args", v))
			return -1;
	return 0;
}

static int load_scope(const char *f, struct config *c, json_t *s)
{
	static const char *const k[] = {"include", "exclude", "require_args", "source_extensions", NULL};
	if (want(f, "scope", s, JSON_OBJECT, true) || unknown_keys(f, "scope", s, k))
		return -1;
	json_t *inc = json_object_get(s, "include"), *exc = json_object_get(s, "exclude");
	json_t *req = json_object_get(s, "require_args"), *ext = json_object_get(s, "source_extensions");
	int rc = want(f, "scope.include", inc, JSON_ARRAY, true) | want(f, "scope.exclude", exc, JSON_ARRAY, false) |
		 want(f, "scope.require_args", req, JSON_ARRAY, false) |
		 want(f, "scope.source_extensions", ext, JSON_ARRAY, false);
	to_strv(inc, &c->include);
	to_strv(exc, &c->exclude);
	to_strv(req, &c->require_args);
	if (ext)
		to_strv(ext, &c->source_ext);
	else
		strv_push(&c->source_ext, "c");
	return rc;
}

static int load_prims(const char *f, struct config *c, json_t *p)
{
	const char *k;
	json_t *v;
	if (want(f, "primitives", p, JSON_OBJECT, true))
		return -1;
	const char *roles[ROLE_COUNT + 1];
	for (int r = 0; r < ROLE_COUNT; r++)
		roles[r] = role_name((enum role)r);
	roles[ROLE_COUNT] = NULL;
	unsigned bad = unknown_keys(f, "primitives", p, roles);
	json_object_foreach(p, k, v) {
		for (int r = 0; r < ROLE_COUNT; r++)
			if (strcmp(k, roles[r]) == 0) {
				char *key = xasprintf("primitives.%s", k);
				bad |= (unsigned)want(f, key, v, JSON_ARRAY, true);
				free(key);
				strv_free(&c->prim[r]);
				to_strv(v, &c->prim[r]);
			}
	}
	return bad ? -1 : 0;
}

static int load_pairs(const char *f, struct config *c, json_t *p)
{
	static const char *const k[] = {"name", "acquire", "release", "key_args", "fixed_keys", "fn_key_args",
					"fallible", "derive_wrappers", "key_return", NULL};
	size_t i;
	json_t *e;
	if (want(f, "pairs", p, JSON_ARRAY, false) || !p)
		return p ? -1 : 0;
	json_array_foreach(p, i, e) {
		if (!json_is_object(e) || unknown_keys(f, "pairs[]", e, k) ||
		    !json_is_string(json_object_get(e, "name")) ||
		    want(f, "pairs[].acquire", json_object_get(e, "acquire"), JSON_ARRAY, true) ||
		    want(f, "pairs[].release", json_object_get(e, "release"), JSON_ARRAY, true) || pair_members(f, e)) {
			fprintf(stderr, "%s: pairs[%zu] is not a valid pair (a string name, acquire[] and release[], typed members)\n", f, i);
			return -1;
		}
	}
	c->n_pairs = json_array_size(p);
	c->pairs = xcalloc(c->n_pairs ? c->n_pairs : 1, sizeof *c->pairs);
	json_array_foreach(p, i, e) to_pair(e, &c->pairs[i]);
	return 0;
}

static int load_transitions(const char *f, struct config *c, json_t *t)
{
	static const char *const k[] = {"function", "state_enum", "from_arg", "to_arg", "ignore_constants", "fields", NULL};
	if (want(f, "transitions", t, JSON_OBJECT, true) || unknown_keys(f, "transitions", t, k))
		return -1;
	const char *trans_fn = NULL, *state_enum = "{machine}_state";
	json_t *ignore = json_object_get(t, "ignore_constants");
	if (opt_str(f, "transitions", t, "function", &trans_fn) ||
	    opt_str(f, "transitions", t, "state_enum", &state_enum) ||
	    want(f, "transitions.from_arg", json_object_get(t, "from_arg"), JSON_INTEGER, true) ||
	    want(f, "transitions.to_arg", json_object_get(t, "to_arg"), JSON_INTEGER, true) ||
	    want(f, "transitions.ignore_constants", ignore, JSON_ARRAY, false))
		return -1;
	c->trans_fn = trans_fn ? xstrdup(trans_fn) : NULL;
	c->state_enum = xstrdup(state_enum);
	to_strv(ignore, &c->state_ignore);
	c->from_arg = (int)json_integer_value(json_object_get(t, "from_arg"));
	c->to_arg = (int)json_integer_value(json_object_get(t, "to_arg"));
	bool fields = json_array_size(json_object_get(t, "fields")) > 0;
	if ((!c->trans_fn && !fields) || (c->trans_fn && !strstr(c->trans_fn, "{machine}")) ||
	    !strstr(c->state_enum, "{machine}")) {
		fprintf(stderr, "%s: transitions need a function pattern with a {machine} placeholder, or fields; "
			".state_enum needs {machine}\n", f);
		return -1;
	}
	if (c->from_arg < 0 || c->to_arg < 0 || c->from_arg == c->to_arg) {
		fprintf(stderr, "%s: transitions.from_arg/to_arg must be distinct positions\n", f);
		return -1;
	}
	return 0;
}

static int load_ops(const char *f, struct config *c, json_t *o)
{
	static const char *const k[] = {"tables", "table_object", "functions", "entries", NULL};
	size_t i;
	json_t *e;
	if (want(f, "operations", o, JSON_OBJECT, true) || unknown_keys(f, "operations", o, k))
		return -1;
	json_t *tables = json_object_get(o, "tables"), *fns = json_object_get(o, "functions");
	json_t *entries = json_object_get(o, "entries");
	const char *table_object = "{object}";
	if (opt_str(f, "operations", o, "table_object", &table_object) ||
	    want(f, "operations.tables", tables, JSON_ARRAY, false) ||
	    want(f, "operations.functions", fns, JSON_ARRAY, false) ||
	    want(f, "operations.entries", entries, JSON_ARRAY, false))
		return -1;
	c->table_object = xstrdup(table_object);
	to_strv(tables, &c->op_tables);
	to_strv(fns, &c->op_functions);
	json_array_foreach(fns, i, e) {
		if (!strstr(json_string_value(e), "{op}")) {
			fprintf(stderr, "%s: operations.functions pattern '%s' needs {op}\n", f,
				json_string_value(e));
			return -1;
		}
	}
	json_array_foreach(entries, i, e) {
		static const char *const ek[] = {"name", "function", "optional", NULL};
		if (!json_is_object(e) || unknown_keys(f, "operations.entries[]", e, ek) ||
		    !json_is_string(json_object_get(e, "function")) ||
		    (json_object_get(e, "name") && !json_is_string(json_object_get(e, "name")))) {
			fprintf(stderr, "%s: operations.entries[%zu] needs {name, function}\n", f, i);
			return -1;
		}
	}
	c->n_entries = json_array_size(entries);
	c->entries = xcalloc(c->n_entries ? c->n_entries : 1, sizeof *c->entries);
	json_array_foreach(entries, i, e)
		c->entries[i] = (struct entry_cfg){dup_str(e, "name", NULL), dup_str(e, "function", NULL),
						   json_is_true(json_object_get(e, "optional"))};
	return 0;
}

static int load_forbidden(const char *f, struct config *c, json_t *forbidden)
{
	static const char *const k[] = {"role", "until", NULL};
	size_t i;
	json_t *e;
	json_array_foreach(forbidden, i, e) {
		int ok = role_from_name(str_or(e, "role", ""));
		if (!json_is_object(e) || unknown_keys(f, "forbidden[]", e, k) || ok < 0 ||
		    want(f, "forbidden[].until", json_object_get(e, "until"), JSON_ARRAY, true)) {
			fprintf(stderr, "%s: forbidden[%zu] needs a known role and until[]\n", f, i);
			return -1;
		}
	}
	c->n_forbidden = json_array_size(forbidden);
	c->forbidden = xcalloc(c->n_forbidden ? c->n_forbidden : 1, sizeof *c->forbidden);
	json_array_foreach(forbidden, i, e) {
		c->forbidden[i].role = role_from_name(str_or(e, "role", ""));
		to_strv(json_object_get(e, "until"), &c->forbidden[i].until);
	}
	return 0;
}

static int load_misc(const char *f, struct config *c, json_t *r)
{
	static const char *const sk[] = {"lock_held", "self_locking", "annotations", "suffixes", NULL};
	static const char *const ek[] = {"dirs", "exclude", "extensions", NULL};
	static const char *const rk[] = {"success", "families", NULL};
	static const char *const uk[] = {"sources", "marker", "fields", NULL};
	json_t *ua = json_object_get(r, "user_addresses");
	const char *marker = NULL;
	if (want(f, "user_addresses", ua, JSON_OBJECT, false) || (ua && unknown_keys(f, "user_addresses", ua, uk)) ||
	    want(f, "user_addresses.sources", json_object_get(ua, "sources"), JSON_ARRAY, false) ||
	    want(f, "user_addresses.fields", json_object_get(ua, "fields"), JSON_ARRAY, false) ||
	    opt_str(f, "user_addresses", ua, "marker", &marker))
		return -1;
	to_strv(json_object_get(ua, "sources"), &c->user_sources);
	to_strv(json_object_get(ua, "fields"), &c->user_fields);
	c->user_marker = marker ? xstrdup(marker) : NULL;
	json_t *s = json_object_get(r, "user_copy_stability"), *e = json_object_get(r, "evidence");
	json_t *ret = json_object_get(r, "returns");
	if (want(f, "user_copy_stability", s, JSON_OBJECT, false) || (s && unknown_keys(f, "user_copy_stability", s, sk)) ||
	    want(f, "evidence", e, JSON_OBJECT, true) || unknown_keys(f, "evidence", e, ek) ||
	    want(f, "returns", ret, JSON_OBJECT, false) || (ret && unknown_keys(f, "returns", ret, rk)))
		return -1;
	json_t *annot = json_object_get(s, "annotations"), *suffixes = json_object_get(s, "suffixes");
	json_t *success = json_object_get(ret, "success"), *forbidden = json_object_get(r, "forbidden");
	json_t *dirs = json_object_get(e, "dirs"), *exclude = json_object_get(e, "exclude");
	json_t *exts = json_object_get(e, "extensions");
	const char *description = NULL, *tlb_comment = "TLB:", *proof_table = NULL, *backlog = NULL, *waivers = NULL;
	if (opt_str(f, "", r, "tlb_comment", &tlb_comment) || opt_str(f, "", r, "proof_table", &proof_table) ||
	    opt_str(f, "", r, "backlog", &backlog) || opt_str(f, "", r, "waivers", &waivers) || opt_str(f, "", r, "description", &description) ||
	    opt_bool(f, "user_copy_stability", s, "lock_held") || opt_bool(f, "user_copy_stability", s, "self_locking") ||
	    want(f, "user_copy_stability.annotations", annot, JSON_ARRAY, false) ||
	    want(f, "user_copy_stability.suffixes", suffixes, JSON_ARRAY, false) ||
	    want(f, "evidence.dirs", dirs, JSON_ARRAY, true) ||
	    want(f, "evidence.exclude", exclude, JSON_ARRAY, false) ||
	    want(f, "evidence.extensions", exts, JSON_ARRAY, true) ||
	    want(f, "returns.success", success, JSON_ARRAY, false) ||
	    want(f, "forbidden", forbidden, JSON_ARRAY, false))
		return -1;
	c->stable_lock = json_is_true(json_object_get(s, "lock_held"));
	c->stable_self = json_is_true(json_object_get(s, "self_locking"));
	to_strv(annot, &c->stable_annotations);
	to_strv(suffixes, &c->stable_suffixes);
	to_strv(success, &c->success);
	json_t *fams = json_object_get(ret, "families"), *fam;
	size_t i;
	c->n_families = json_array_size(fams);
	c->families = xcalloc(c->n_families ? c->n_families : 1, sizeof *c->families);
	json_array_foreach(fams, i, fam) {
		to_strv(json_object_get(fam, "functions"), &c->families[i].functions);
		to_strv(json_object_get(fam, "success"), &c->families[i].success);
	}
	to_strv(dirs, &c->ev_dirs);
	to_strv(exclude, &c->ev_exclude);
	to_strv(exts, &c->ev_ext);
	c->tlb_comment = xstrdup(tlb_comment);
	if (!proof_table || !backlog) {
		fprintf(stderr, "%s: config needs 'proof_table' and 'backlog' paths\n", f);
		return -1;
	}
	c->proof_table = xstrdup(proof_table);
	c->backlog = xstrdup(backlog);
	c->waivers = waivers ? xstrdup(waivers) : NULL;
	return load_forbidden(f, c, forbidden);
}

static int config_from_root(const char *path, json_t *root, struct config *c);

/* Directory of the config file, absolute: relative paths in the config are taken from it. */
static char *config_dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *d = slash ? xasprintf("%.*s", (int)(slash - path), path) : xstrdup(".");
	char buf[PATH_MAX];
	char *abs = realpath(*d ? d : "/", buf) ? xstrdup(buf) : xstrdup(d);
	free(d);
	return abs;
}

struct schema_ctx { const char *file; };

static void schema_problem(void *ctx, const char *path, const char *kind, const char *msg)
{
	const char *f = ((struct schema_ctx *)ctx)->file;
	if (!strcmp(kind, "unknown"))
		fprintf(stderr, "%s: INV008: unknown config key '%s'\n", f, path);
	else if (!strcmp(kind, "missing"))
		fprintf(stderr, "%s: missing config key '%s'\n", f, path);
	else
		fprintf(stderr, "%s: config key '%s' %s\n", f, *path ? path : "(the config)", msg);
}

/* Every problem against the schema compiled into the tool, all reported at once. */
static int schema_check(const char *path, json_t *root)
{
	static json_t *schema;
	if (!schema) {
		json_error_t err;
		schema = json_loads(inv_config_schema, 0, &err);
		if (!schema) {
			fprintf(stderr, "inventory: the compiled-in config schema does not parse: %s\n", err.text);
			return -1;
		}
		struct schema_ctx sc = {"(compiled-in config schema)"};
		if (jschema_unsupported(schema, schema_problem, &sc)) {  /* never validate with a partial reading */
			json_decref(schema);
			schema = NULL;
			return -1;
		}
	}
	struct schema_ctx ctx = {path};
	int n = jschema_validate(schema, root, schema_problem, &ctx);
	if (n)
		fprintf(stderr, "%s: %d problem(s) against the config schema (tools/inventory/config.schema.json)\n", path, n);
	return n ? -1 : 0;
}

int config_load(const char *path, const char *root_dir, struct config *c)
{
	size_t len;
	char *text = read_file(path, &len);
	memset(c, 0, sizeof *c);
	c->root_dir = xstrdup(root_dir);
	c->config_dir = config_dir_of(path);
	if (!text) {
		fprintf(stderr, "inventory: cannot read config '%s': %s\n", path, strerror(errno));
		return -1;
	}
	json_error_t err;
	hash_hex(text, len, c->hash);
	memcpy(c->file_hash, c->hash, sizeof c->hash);
	json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &err);
	free(text);
	if (!root) {
		fprintf(stderr, "%s:%d: config is not a JSON object: %s\n", path, err.line, err.text);
		return -1;
	}
	int rc;
	if (!json_is_object(root)) {
		fprintf(stderr, "%s: the config must be a JSON object ({\"schema\": \"capos-inventory-config/1\", ...}), "
			"not %s\n", path, json_is_array(root) ? "an array" : "a scalar");
		rc = -1;
	} else {
		rc = schema_check(path, root) < 0 ? -1 : config_from_root(path, root, c);
	}
	json_decref(root);
	return rc;
}

/* Resolve a file named in the config: absolute, or relative to the config file's directory. */
static char *config_file_path(const struct config *c, const char *p)
{
	return path_join(c->config_dir, p);
}

static int load_rules_pages(const char *f, json_t *root, struct config *c)
{
	json_t *stores = json_object_get(root, "stores"), *fields = json_object_get(json_object_get(root, "transitions"), "fields");
	json_t *rules = json_object_get(root, "rules"), *pages = json_object_get(root, "pages"), *e;
	const char *title = "Memory-state inventory", *group = "{group}", *k;
	size_t i;
	if (opt_str(f, "pages", pages, "inventory_title", &title) || opt_str(f, "pages", pages, "backlog_group", &group))
		return -1;
	if (!strstr(group, "{group}")) {
		fprintf(stderr, "%s: pages.backlog_group needs a {group} placeholder\n", f);
		return -1;
	}
	c->inventory_title = xstrdup(title);
	c->backlog_group = xstrdup(group);
	to_strv(json_object_get(root, "optional_primitives"), &c->optional_prims);
	c->n_stores = json_array_size(stores);
	c->stores = xcalloc(c->n_stores ? c->n_stores : 1, sizeof *c->stores);
	json_array_foreach(stores, i, e) {
		json_t *cp = json_object_get(e, "compound");
		c->stores[i] = (struct store_cfg){role_from_name(S(e, "role")), dup_str(e, "lvalue_type", NULL),
						  dup_str(e, "base_type", NULL), dup_str(e, "field", NULL),
						  dup_str(e, "value", NULL), json_is_boolean(cp) ? json_is_true(cp) : -1};
	}
	c->n_state_fields = json_array_size(fields);
	c->state_fields = xcalloc(c->n_state_fields ? c->n_state_fields : 1, sizeof *c->state_fields);
	json_array_foreach(fields, i, e)
		c->state_fields[i] = (struct state_field_cfg){dup_str(e, "machine", ""), dup_str(e, "field", ""),
							      dup_str(e, "state_enum", NULL)};
	json_t *r;
	c->rules = xcalloc(json_object_size(rules) ? json_object_size(rules) : 1, sizeof *c->rules);
	json_object_foreach(rules, k, r) {
		json_t *en = json_object_get(r, "enabled");
		c->rules[c->n_rules++] = (struct rule_cfg){xstrdup(k), dup_str(r, "severity", NULL), dup_str(r, "reason", NULL),
							   json_is_boolean(en), json_is_true(en)};
	}
	return 0;
}

static int config_from_root(const char *path, json_t *root, struct config *c)
{
	static const char *const top[] = {"schema", "scope", "primitives", "optional_primitives", "stores", "pairs",
		"returns", "transitions", "operations", "user_copy_stability", "user_addresses", "tlb_comment", "forbidden",
		"evidence", "proof_table", "backlog", "waivers", "rules", "pages", "description", NULL};
	if (strcmp(str_or(root, "schema", ""), "capos-inventory-config/1") != 0) {
		fprintf(stderr, "%s: config schema must be \"capos-inventory-config/1\"\n", path);
		return -1;
	}
	if (unknown_keys(path, "", root, top) ||
	    load_scope(path, c, json_object_get(root, "scope")) ||
	    load_prims(path, c, json_object_get(root, "primitives")) ||
	    load_pairs(path, c, json_object_get(root, "pairs")) ||
	    load_transitions(path, c, json_object_get(root, "transitions")) ||
	    load_ops(path, c, json_object_get(root, "operations")) ||
	    load_misc(path, c, root) || load_rules_pages(path, root, c))
		return -1;
	c->proof_table_path = config_file_path(c, c->proof_table);
	c->backlog_path = config_file_path(c, c->backlog);
	c->waivers_path = c->waivers ? config_file_path(c, c->waivers) : NULL;
	return 0;
}


