/* jschema_io.c: the subset of JSON Schema the config schema uses, over jansson (see jschema_io.h). */
#include "jschema_io.h"
#include "json_io.h"
#include "util.h"

#include <string.h>

struct jv {
	json_t *root;
	jschema_report report;
	void *ctx;
	int n;
};

static void problem(struct jv *v, const char *path, const char *kind, const char *msg)
{
	v->n++;
	v->report(v->ctx, path, kind, msg);
}

/* "#/$defs/name" within the root; NULL when it is not one. */
static json_t *deref(struct jv *v, json_t *s)
{
	for (int depth = 0; depth < 16; depth++) {
		const char *ref = S(s, "$ref");
		if (!ref)
			return s;
		if (strncmp(ref, "#/$defs/", 8) != 0)
			return NULL;
		s = json_object_get(json_object_get(v->root, "$defs"), ref + 8);
		if (!s)
			return NULL;
	}
	return NULL;
}

static bool type_is(json_t *inst, const char *t)
{
	if (!strcmp(t, "object")) return json_is_object(inst);
	if (!strcmp(t, "array")) return json_is_array(inst);
	if (!strcmp(t, "string")) return json_is_string(inst);
	if (!strcmp(t, "integer")) return json_is_integer(inst);
	if (!strcmp(t, "number")) return json_is_number(inst);
	if (!strcmp(t, "boolean")) return json_is_boolean(inst);
	if (!strcmp(t, "null")) return json_is_null(inst);
	return false;
}

static const char *article(const char *t)
{
	return !strcmp(t, "object") || !strcmp(t, "array") || !strcmp(t, "integer") ? "an" : "a";
}

static void check(struct jv *v, json_t *s, json_t *inst, const char *path);

static char *child_path(const char *path, const char *key)
{
	return *path ? xasprintf("%s.%s", path, key) : xstrdup(key);
}

static void check_object(struct jv *v, json_t *s, json_t *inst, const char *path)
{
	json_t *props = json_object_get(s, "properties"), *addl = json_object_get(s, "additionalProperties");
	json_t *req = json_object_get(s, "required"), *e, *val;
	const char *k;
	size_t i;
	json_array_foreach(req, i, e) {
		if (!json_object_get(inst, json_string_value(e))) {
			char *p = child_path(path, json_string_value(e));
			problem(v, p, "missing", "required");
			free(p);
		}
	}
	/* Report in key order so the output does not depend on hash order. */
	size_t n = json_object_size(inst), j = 0;
	const char **keys = xcalloc(n ? n : 1, sizeof *keys);
	json_object_foreach(inst, k, val) keys[j++] = k;
	qsort(keys, n, sizeof *keys, cmp_strp);
	for (j = 0; j < n; j++) {
		char *p = child_path(path, keys[j]);
		json_t *ps = json_object_get(props, keys[j]);
		val = json_object_get(inst, keys[j]);
		if (ps)
			check(v, ps, val, p);
		else if (json_is_false(addl))
			problem(v, p, "unknown", "not a known key");
		else if (json_is_object(addl))
			check(v, addl, val, p);
		free(p);
	}
	free(keys);
}

static void check(struct jv *v, json_t *s0, json_t *inst, const char *path)
{
	json_t *s = deref(v, s0), *t, *e;
	size_t i;
	if (!s) {
		problem(v, path, "schema", "the schema has a $ref this validator cannot follow");
		return;
	}
	if ((t = json_object_get(s, "type"))) {
		bool ok = false;
		struct sbuf want = {0};
		if (json_is_string(t)) {
			ok = type_is(inst, json_string_value(t));
			sb_printf(&want, "%s %s", article(json_string_value(t)), json_string_value(t));
		}
		json_array_foreach(json_is_array(t) ? t : NULL, i, e) {
			ok = ok || type_is(inst, json_string_value(e));
			sb_printf(&want, "%s%s", i ? " or " : "", json_string_value(e));
		}
		if (!ok) {
			char *m = xasprintf("must be %s", want.s);
			problem(v, path, "type", m);
			free(m);
			sb_free(&want);
			return;  /* nothing below applies to a value of the wrong type */
		}
		sb_free(&want);
	}
	if ((t = json_object_get(s, "enum"))) {
		bool ok = false;
		struct sbuf b = {0};
		json_array_foreach(t, i, e) {
			ok = ok || json_equal(e, inst);
			char *d = json_dumps(e, JSON_ENCODE_ANY);
			sb_printf(&b, "%s%s", i ? ", " : "", d);
			free(d);
		}
		if (!ok) {
			char *m = xasprintf("must be one of %s", b.s);
			problem(v, path, "enum", m);
			free(m);
		}
		sb_free(&b);
	}
	if ((t = json_object_get(s, "minimum")) && json_is_number(inst) &&
	    json_number_value(inst) < json_number_value(t)) {
		char *m = xasprintf("must be at least %g", json_number_value(t));
		problem(v, path, "minimum", m);
		free(m);
	}
	if ((t = json_object_get(s, "minLength")) && json_is_string(inst) &&
	    (json_int_t)json_string_length(inst) < json_integer_value(t))
		problem(v, path, "minLength", "must not be empty");
	if (json_is_object(inst))
		check_object(v, s, inst, path);
	if (json_is_array(inst) && (t = json_object_get(s, "items"))) {
		json_array_foreach(inst, i, e) {
			char *p = xasprintf("%s[%zu]", path, i);
			check(v, t, e, p);
			free(p);
		}
	}
}

int jschema_validate(json_t *schema, json_t *inst, jschema_report report, void *ctx)
{
	struct jv v = {schema, report, ctx, 0};
	check(&v, schema, inst, "");
	return v.n;
}

static const char *const known_kw[] = {
	"$schema", "$id", "$ref", "$defs", "title", "description", "type", "enum", "properties",
	"required", "additionalProperties", "items", "minimum", "minLength", NULL,
};

static void unsupported(struct jv *v, json_t *s, const char *path)
{
	const char *k;
	json_t *val, *e;
	if (!json_is_object(s))
		return;
	json_object_foreach(s, k, val) {
		bool ok = false;
		for (const char *const *p = known_kw; *p; p++)
			ok = ok || !strcmp(*p, k);
		char *p = child_path(path, k);
		if (!ok)
			problem(v, p, "keyword", k);
		if (!strcmp(k, "properties") || !strcmp(k, "$defs")) {
			const char *k2;
			json_object_foreach(val, k2, e) {
				char *p2 = child_path(p, k2);
				unsupported(v, e, p2);
				free(p2);
			}
		} else if (!strcmp(k, "items") || !strcmp(k, "additionalProperties")) {
			unsupported(v, val, p);
		}
		free(p);
	}
}

int jschema_unsupported(json_t *schema, jschema_report report, void *ctx)
{
	struct jv v = {schema, report, ctx, 0};
	unsupported(&v, schema, "");
	return v.n;
}

int jschema_unsupported_file(const char *path, jschema_report report, void *ctx)
{
	json_error_t err;
	json_t *s = json_read_file(path, JSON_REJECT_DUPLICATES, &err);
	if (!s) {
		json_load_error("schema", path, &err);
		return -1;
	}
	int n = jschema_unsupported(s, report, ctx);
	json_decref(s);
	return n;
}
