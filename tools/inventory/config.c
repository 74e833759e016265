/* config.c: loads the inventory config and rejects anything it does not know (fails closed). */
#include "config.h"
#include "jschema.h"
#include "util.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const roles[ROLE_COUNT + 1] = {
	"pte_write", "pte_clear", "pte_weaken", "pte_query",
	"tlb_local", "tlb_shootdown", "tlb_wait",
	"frame_alloc", "frame_free", "frame_defer_free",
	"ledger_charge", "ledger_release", "ledger_transfer",
	"lock_acquire", "lock_release", "user_copy", "ipi",
	"dma", "swap", NULL,
};

const char *role_name(enum role r)
{
	return (unsigned)r < ROLE_COUNT ? roles[r] : "?";
}

int role_from_name(const char *name)
{
	for (int r = 0; name && r < ROLE_COUNT; r++)
		if (strcmp(roles[r], name) == 0)
			return r;
	return -1;
}

enum role_class role_class_of(int r)
{
	switch (r) {
	case ROLE_PTE_WRITE: case ROLE_PTE_CLEAR: case ROLE_PTE_WEAKEN: case ROLE_PTE_QUERY:
		return RC_PTE;
	case ROLE_TLB_LOCAL: case ROLE_TLB_SHOOTDOWN: case ROLE_TLB_WAIT: return RC_TLB;
	case ROLE_IPI: return RC_IPI;
	case ROLE_FRAME_ALLOC: case ROLE_FRAME_FREE: case ROLE_FRAME_DEFER_FREE: return RC_FRAME;
	case ROLE_LEDGER_CHARGE: case ROLE_LEDGER_RELEASE: case ROLE_LEDGER_TRANSFER: return RC_LEDGER;
	case ROLE_LOCK_ACQUIRE: case ROLE_LOCK_RELEASE: return RC_LOCK;
	case ROLE_USER_COPY: return RC_USER_COPY;
	case ROLE_DMA: case ROLE_SWAP: return RC_FORBIDDEN;
	default: return RC_NONE;
	}
}

bool role_removes_access(int r)
{
	return r == ROLE_PTE_CLEAR || r == ROLE_PTE_WEAKEN;
}

bool role_mutates_pte(int r)
{
	return r == ROLE_PTE_WRITE || role_removes_access(r);
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
	c->include = json_object_get(s, "include");
	c->exclude = json_object_get(s, "exclude");
	c->require_args = json_object_get(s, "require_args");
	c->source_ext = json_object_get(s, "source_extensions");
	if (!c->source_ext) {
		c->source_ext = json_pack("[s]", "c");
		json_object_set_new(s, "source_extensions", c->source_ext);  /* owned by root */
	}
	return want(f, "scope.include", c->include, JSON_ARRAY, true) |
	       want(f, "scope.exclude", c->exclude, JSON_ARRAY, false) |
	       want(f, "scope.require_args", c->require_args, JSON_ARRAY, false) |
	       want(f, "scope.source_extensions", c->source_ext, JSON_ARRAY, false);
}

static int load_prims(const char *f, struct config *c, json_t *p)
{
	const char *k;
	json_t *v;
	if (want(f, "primitives", p, JSON_OBJECT, true))
		return -1;
	unsigned bad = unknown_keys(f, "primitives", p, roles);
	json_object_foreach(p, k, v) {
		for (int r = 0; r < ROLE_COUNT; r++)
			if (strcmp(k, roles[r]) == 0) {
				char *key = xasprintf("primitives.%s", k);
				bad |= (unsigned)want(f, key, v, JSON_ARRAY, true);
				free(key);
				c->prim[r] = v;
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
	c->pairs = p;
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
	return 0;
}

static int load_transitions(const char *f, struct config *c, json_t *t)
{
	static const char *const k[] = {"function", "state_enum", "from_arg", "to_arg", "ignore_constants", "fields", NULL};
	if (want(f, "transitions", t, JSON_OBJECT, true) || unknown_keys(f, "transitions", t, k))
		return -1;
	c->trans_fn = NULL;
	c->state_enum = "{machine}_state";
	c->state_ignore = json_object_get(t, "ignore_constants");
	if (opt_str(f, "transitions", t, "function", &c->trans_fn) ||
	    opt_str(f, "transitions", t, "state_enum", &c->state_enum) ||
	    want(f, "transitions.from_arg", json_object_get(t, "from_arg"), JSON_INTEGER, true) ||
	    want(f, "transitions.to_arg", json_object_get(t, "to_arg"), JSON_INTEGER, true) ||
	    want(f, "transitions.ignore_constants", c->state_ignore, JSON_ARRAY, false))
		return -1;
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
	c->op_tables = json_object_get(o, "tables");
	c->op_functions = json_object_get(o, "functions");
	c->entries = json_object_get(o, "entries");
	c->table_object = "{object}";
	if (opt_str(f, "operations", o, "table_object", &c->table_object) ||
	    want(f, "operations.tables", c->op_tables, JSON_ARRAY, false) ||
	    want(f, "operations.functions", c->op_functions, JSON_ARRAY, false) ||
	    want(f, "operations.entries", c->entries, JSON_ARRAY, false))
		return -1;
	json_array_foreach(c->op_functions, i, e) {
		if (!strstr(json_string_value(e), "{op}")) {
			fprintf(stderr, "%s: operations.functions pattern '%s' needs {op}\n", f,
				json_string_value(e));
			return -1;
		}
	}
	json_array_foreach(c->entries, i, e) {
		static const char *const ek[] = {"name", "function", "optional", NULL};
		if (!json_is_object(e) || unknown_keys(f, "operations.entries[]", e, ek) ||
		    !json_is_string(json_object_get(e, "function")) ||
		    (json_object_get(e, "name") && !json_is_string(json_object_get(e, "name")))) {
			fprintf(stderr, "%s: operations.entries[%zu] needs {name, function}\n", f, i);
			return -1;
		}
	}
	return 0;
}

static int load_forbidden(const char *f, struct config *c)
{
	static const char *const k[] = {"role", "until", NULL};
	size_t i;
	json_t *e;
	json_array_foreach(c->forbidden, i, e) {
		const char *r = str_or(e, "role", "");
		int ok = -1;
		for (int j = 0; j < ROLE_COUNT; j++)
			ok = strcmp(roles[j], r) == 0 ? j : ok;
		if (!json_is_object(e) || unknown_keys(f, "forbidden[]", e, k) || ok < 0 ||
		    want(f, "forbidden[].until", json_object_get(e, "until"), JSON_ARRAY, true)) {
			fprintf(stderr, "%s: forbidden[%zu] needs a known role and until[]\n", f, i);
			return -1;
		}
	}
	return 0;
}

static int load_misc(const char *f, struct config *c, json_t *r)
{
	static const char *const sk[] = {"lock_held", "self_locking", "annotations", "suffixes", NULL};
	static const char *const ek[] = {"dirs", "exclude", "extensions", NULL};
	static const char *const rk[] = {"success", "families", NULL};
	json_t *s = json_object_get(r, "user_copy_stability"), *e = json_object_get(r, "evidence");
	json_t *ret = json_object_get(r, "returns");
	if (want(f, "user_copy_stability", s, JSON_OBJECT, false) || (s && unknown_keys(f, "user_copy_stability", s, sk)) ||
	    want(f, "evidence", e, JSON_OBJECT, true) || unknown_keys(f, "evidence", e, ek) ||
	    want(f, "returns", ret, JSON_OBJECT, false) || (ret && unknown_keys(f, "returns", ret, rk)))
		return -1;
	c->stable_lock = json_is_true(json_object_get(s, "lock_held"));
	c->stable_self = json_is_true(json_object_get(s, "self_locking"));
	c->stable_annotations = json_object_get(s, "annotations");
	c->stable_suffixes = json_object_get(s, "suffixes");
	c->success = json_object_get(ret, "success");
	c->returns = ret;
	c->ev_dirs = json_object_get(e, "dirs");
	c->ev_exclude = json_object_get(e, "exclude");
	c->ev_ext = json_object_get(e, "extensions");
	c->forbidden = json_object_get(r, "forbidden");
	const char *description = NULL;
	c->tlb_comment = "TLB:";
	c->proof_table = c->backlog = c->waivers = NULL;
	if (opt_str(f, "", r, "tlb_comment", &c->tlb_comment) || opt_str(f, "", r, "proof_table", &c->proof_table) ||
	    opt_str(f, "", r, "backlog", &c->backlog) || opt_str(f, "", r, "waivers", &c->waivers) || opt_str(f, "", r, "description", &description) ||
	    opt_bool(f, "user_copy_stability", s, "lock_held") || opt_bool(f, "user_copy_stability", s, "self_locking") ||
	    want(f, "user_copy_stability.annotations", c->stable_annotations, JSON_ARRAY, false) ||
	    want(f, "user_copy_stability.suffixes", c->stable_suffixes, JSON_ARRAY, false) ||
	    want(f, "evidence.dirs", c->ev_dirs, JSON_ARRAY, true) ||
	    want(f, "evidence.exclude", c->ev_exclude, JSON_ARRAY, false) ||
	    want(f, "evidence.extensions", c->ev_ext, JSON_ARRAY, true) ||
	    want(f, "returns.success", c->success, JSON_ARRAY, false) ||
	    want(f, "forbidden", c->forbidden, JSON_ARRAY, false))
		return -1;
	if (!c->proof_table || !c->backlog) {
		fprintf(stderr, "%s: config needs 'proof_table' and 'backlog' paths\n", f);
		return -1;
	}
	return load_forbidden(f, c);
}

static int config_from_root(const char *path, struct config *c);

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
	c->root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &err);
	free(text);
	if (!c->root) {
		fprintf(stderr, "%s:%d: config is not a JSON object: %s\n", path, err.line, err.text);
		return -1;
	}
	if (!json_is_object(c->root)) {
		fprintf(stderr, "%s: the config must be a JSON object ({\"schema\": \"capos-inventory-config/1\", ...}), "
			"not %s\n", path, json_is_array(c->root) ? "an array" : "a scalar");
		return -1;
	}
	if (schema_check(path, c->root) < 0)
		return -1;
	return config_from_root(path, c);
}

int config_with_wrappers(const struct config *base, json_t *derived, struct config *out)
{
	json_t *root = json_deep_copy(base->root), *d, *p;
	size_t i, j;
	json_array_foreach(derived, i, d) {
		const char *pair = json_string_value(json_object_get(d, "pair"));
		const char *fn = json_string_value(json_object_get(d, "function"));
		json_array_foreach(json_object_get(root, "pairs"), j, p) {
			if (strcmp(json_string_value(json_object_get(p, "name")), pair) != 0)
				continue;
			bool acq = json_integer_value(json_object_get(d, "dir")) > 0;
			json_array_append_new(json_object_get(p, acq ? "acquire" : "release"), json_string(fn));
			if (json_is_integer(json_object_get(d, "key_arg"))) {
				if (!json_object_get(p, "fn_key_args"))
					json_object_set_new(p, "fn_key_args", json_object());
				json_object_set_new(json_object_get(p, "fn_key_args"), fn,
						    json_pack("[O]", json_object_get(d, "key_arg")));
			} else {
				if (!json_object_get(p, "fixed_keys"))
					json_object_set_new(p, "fixed_keys", json_object());
				json_object_set(json_object_get(p, "fixed_keys"), fn, json_object_get(d, "key"));
			}
		}
	}
	/* The derived config is read from the tree itself; it is serialized once, only to give
	 * the per-TU cache a key that changes with the derived wrappers. */
	char *text = json_dumps(root, JSON_COMPACT | JSON_SORT_KEYS);
	memset(out, 0, sizeof *out);
	hash_hex(text, strlen(text), out->hash);
	free(text);
	memcpy(out->file_hash, base->file_hash, sizeof out->file_hash);
	out->root = root;
	out->root_dir = xstrdup(base->root_dir);
	out->config_dir = xstrdup(base->config_dir);
	return config_from_root("(config with derived wrappers)", out);
}

/* Resolve a file named in the config: absolute, or relative to the config file's directory. */
static char *config_file_path(const struct config *c, const char *p)
{
	return path_join(c->config_dir, p);
}

static int load_rules_pages(const char *f, struct config *c)
{
	c->stores = json_object_get(c->root, "stores");
	c->state_fields = json_object_get(json_object_get(c->root, "transitions"), "fields");
	json_t *rules = json_object_get(c->root, "rules"), *pages = json_object_get(c->root, "pages");
	c->rules = rules;
	c->inventory_title = "Memory-state inventory";
	c->backlog_group = "{group}";
	if (opt_str(f, "pages", pages, "inventory_title", &c->inventory_title) ||
	    opt_str(f, "pages", pages, "backlog_group", &c->backlog_group))
		return -1;
	if (!strstr(c->backlog_group, "{group}")) {
		fprintf(stderr, "%s: pages.backlog_group needs a {group} placeholder\n", f);
		return -1;
	}
	c->optional_prims = json_object_get(c->root, "optional_primitives");
	return 0;
}

static int config_from_root(const char *path, struct config *c)
{
	static const char *const top[] = {"schema", "scope", "primitives", "optional_primitives", "stores", "pairs",
		"returns", "transitions", "operations", "user_copy_stability", "tlb_comment", "forbidden",
		"evidence", "proof_table", "backlog", "waivers", "rules", "pages", "description", NULL};
	if (strcmp(str_or(c->root, "schema", ""), "capos-inventory-config/1") != 0) {
		fprintf(stderr, "%s: config schema must be \"capos-inventory-config/1\"\n", path);
		return -1;
	}
	if (unknown_keys(path, "", c->root, top) ||
	    load_scope(path, c, json_object_get(c->root, "scope")) ||
	    load_prims(path, c, json_object_get(c->root, "primitives")) ||
	    load_pairs(path, c, json_object_get(c->root, "pairs")) ||
	    load_transitions(path, c, json_object_get(c->root, "transitions")) ||
	    load_ops(path, c, json_object_get(c->root, "operations")) ||
	    load_misc(path, c, c->root) || load_rules_pages(path, c))
		return -1;
	c->proof_table_path = config_file_path(c, c->proof_table);
	c->backlog_path = config_file_path(c, c->backlog);
	c->waivers_path = c->waivers ? config_file_path(c, c->waivers) : NULL;
	return 0;
}

void config_free(struct config *c)
{
	json_decref(c->root);
	free(c->root_dir);
	free(c->config_dir);
	free(c->proof_table_path);
	free(c->backlog_path);
	free(c->waivers_path);
	memset(c, 0, sizeof *c);
}

bool json_globs_match(json_t *arr, const char *s)
{
	size_t i;
	json_t *e;
	json_array_foreach(arr, i, e) {
		if (json_is_string(e) && glob_match(json_string_value(e), s))
			return true;
	}
	return false;
}

/* Trimmed copy of [b, e). */
static char *trimmed(const char *b, const char *e)
{
	while (b < e && (*b == ' ' || *b == '\t'))
		b++;
	while (e > b && (e[-1] == ' ' || e[-1] == '\t'))
		e--;
	return xasprintf("%.*s", (int)(e - b), b);
}

bool prim_pattern_match_v(const char *pat, const char *name, const char *const *args, size_t nargs, bool known)
{
	const char *open = strchr(pat, '(');
	if (!open)
		return glob_match(pat, name);
	char *np = xasprintf("%.*s", (int)(open - pat), pat);
	bool ok = glob_match(np, name) && known;
	free(np);
	/* Argument conditions: "walk(_, _, 1)": `_` is any argument, anything else must equal the
	 * argument as written (macro arguments as the AST spells them). */
	const char *p = open + 1, *end = strrchr(pat, ')');
	size_t i = 0;
	while (ok && end && p <= end) {
		const char *q = p;
		while (q < end && *q != ',')
			q++;
		char *want = trimmed(p, q);
		const char *have = i < nargs ? args[i] : NULL;
		ok = strcmp(want, "_") == 0 ? have != NULL : (have && strcmp(want, have) == 0);
		free(want);
		i++;
		p = q + 1;
	}
	return ok;
}

bool prim_pattern_match(const char *pat, const char *name, json_t *args)
{
	size_t n = json_array_size(args);
	const char **v = xcalloc(n ? n : 1, sizeof *v);
	for (size_t i = 0; i < n; i++)
		v[i] = json_string_value(json_array_get(args, i));
	bool ok = prim_pattern_match_v(pat, name, v, n, json_is_array(args));
	free(v);
	return ok;
}

int config_call_role(const struct config *c, const char *name, json_t *args)
{
	size_t i;
	json_t *e;
	for (int r = 0; name && r < ROLE_COUNT; r++)
		json_array_foreach(c->prim[r], i, e)
			if (prim_pattern_match(json_string_value(e), name, args))
				return r;
	return -1;
}

int config_call_role_v(const struct config *c, const char *name, const char *const *args, size_t nargs)
{
	size_t i;
	json_t *e;
	for (int r = 0; name && r < ROLE_COUNT; r++)
		json_array_foreach(c->prim[r], i, e)
			if (prim_pattern_match_v(json_string_value(e), name, args, nargs, true))
				return r;
	return -1;
}

int config_role(const struct config *c, const char *name)
{
	return config_call_role(c, name, NULL);
}

const char *config_rule_reason(const struct config *c, const char *id, bool *enabled, const char **severity)
{
	json_t *r = json_object_get(c->rules, id);
	if (enabled)
		*enabled = !json_is_false(json_object_get(r, "enabled"));
	if (severity)
		*severity = S(r, "severity");
	return S(r, "reason");
}

bool config_in_scope(const struct config *c, const char *rel)
{
	return json_globs_match(c->include, rel) && !json_globs_match(c->exclude, rel);
}

int config_pair_of_key(const struct config *cfg, const char *key, char **inner)
{
	size_t i;
	json_t *p;
	json_array_foreach(cfg->pairs, i, p) {
		const char *n = json_string_value(json_object_get(p, "name"));
		size_t l = strlen(n), kl = strlen(key);
		if (strncmp(key, n, l) == 0 && key[l] == '(' && key[kl - 1] == ')') {
			*inner = xasprintf("%.*s", (int)(kl - l - 2), key + l + 1);
			return (int)i;
		}
	}
	return -1;
}

const char *config_pair_name(const struct config *cfg, int i)
{
	return json_string_value(json_object_get(json_array_get(cfg->pairs, (size_t)i), "name"));
}

bool config_pair_derives(const struct config *cfg, int i)
{
	return json_is_true(json_object_get(json_array_get(cfg->pairs, (size_t)i), "derive_wrappers"));
}

bool config_pair_names(const struct config *cfg, int i, const char *fn)
{
	json_t *p = json_array_get(cfg->pairs, (size_t)i);
	return json_globs_match(json_object_get(p, "acquire"), fn) || json_globs_match(json_object_get(p, "release"), fn);
}
