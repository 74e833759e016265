/* shard_io.c: the JSON edge of shards (shard.c works on struct shard): shard files
 * (capos-inventory-shard/1: schema, config, shard, of, tus, wrappers, facts) and the wrapper
 * files `merge --wrappers-out` writes and `scan --shard --wrappers` reads. Reading fails closed:
 * an unknown, missing or mistyped member is refused with what is wrong. */
#include "shard.h"
#include "model_io.h"
#include "json_io.h"
#include "util.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static json_t *strv_json(const struct strv *s)
{
	json_t *a = json_array();
	for (size_t i = 0; i < s->n; i++)
		json_array_append_new(a, json_string(s->v[i]));
	return a;
}

char *shard_text(const struct shard *s)
{
	json_t *facts = json_array();  /* each TU's facts, with its name */
	for (size_t k = 0; k < s->n_facts; k++) {
		json_t *f = model_write_facts(&s->facts[k]);
		json_object_set_new(f, "tu", json_string(s->facts[k].tus.n ? s->facts[k].tus.v[0] : ""));
		json_array_append_new(facts, f);
	}
	json_t *doc = json_pack("{s:s,s:s,s:I,s:I,s:o,s:o,s:o}", "schema", s->schema, "config", s->config, "shard",
				(json_int_t)s->shard, "of", (json_int_t)s->of, "tus", strv_json(&s->tus), "wrappers",
				model_write_wrappers(s->wrappers, s->n_wrappers), "facts", facts);
	char *t = json_text(doc);
	json_decref(doc);
	return t;
}

/* What is wrong with a shard document, or NULL (*out filled). */
static const char *read_shard(json_t *j, struct shard *out)
{
	static const char *const keys[] = {"schema", "config", "shard", "of", "tus", "wrappers", "facts", NULL};
	static _Thread_local char why[300];
	if (!json_is_object(j))
		return "it is not a JSON object";
	const char *k;
	json_t *v;
	json_object_foreach(j, k, v) {
		const char *const *p = keys;
		while (*p && strcmp(*p, k))
			p++;
		if (!*p)
			return snprintf(why, sizeof why, "member '%s' is unknown", k), why;
	}
	json_t *schema = json_object_get(j, "schema"), *config = json_object_get(j, "config");
	json_t *si = json_object_get(j, "shard"), *of = json_object_get(j, "of"), *tus = json_object_get(j, "tus");
	json_t *facts = json_object_get(j, "facts");
	if (!json_is_string(schema) || strcmp(json_string_value(schema), INV_SHARD_SCHEMA))
		return "its schema is not " INV_SHARD_SCHEMA;
	if (!json_is_string(config))
		return "member 'config' is missing or not a string";
	if (!json_is_integer(si) || !json_is_integer(of))
		return "member 'shard' or 'of' is missing or not an integer";
	if (!json_is_array(tus) || !json_is_array(facts))
		return "member 'tus' or 'facts' is missing or not an array";
	size_t i;
	json_array_foreach(tus, i, v) if (!json_is_string(v)) return "member 'tus' has an element that is not a string";
	const char *w = model_read_wrappers(json_object_get(j, "wrappers"), &out->wrappers, &out->n_wrappers);
	if (w)
		return snprintf(why, sizeof why, "%s", w), why;
	out->schema = xstrdup(json_string_value(schema));
	out->config = xstrdup(json_string_value(config));
	out->shard = (long long)json_integer_value(si);
	out->of = (long long)json_integer_value(of);
	json_array_foreach(tus, i, v) strv_push(&out->tus, json_string_value(v));
	out->facts = xcalloc(json_array_size(facts) + 1, sizeof *out->facts);
	json_array_foreach(facts, i, v) {
		json_t *tu = json_object_get(v, "tu");
		if (!json_is_string(tu))
			return "a facts entry has no 'tu'";
		const char *fw = model_read_tu_facts(v, &out->facts[i]);
		if (fw)
			return snprintf(why, sizeof why, "the facts of '%s' are damaged: %s", json_string_value(tu), fw), why;
		out->n_facts++;
	}
	return NULL;
}

int shard_load(const char *path, struct shard *out)
{
	json_error_t err;
	memset(out, 0, sizeof *out);
	json_t *j = json_read_file(path, JSON_REJECT_DUPLICATES, &err);
	if (!j) {
		json_load_error("shard", path, &err);
		return -1;
	}
	const char *why = read_shard(j, out);
	json_decref(j);
	if (why) {
		fprintf(stderr, "inventory merge: %s is not a %s document: %s\n", path, INV_SHARD_SCHEMA, why);
		shard_free(out);
		return -1;
	}
	return 0;
}

char *wrappers_text(const struct wrapper *w, size_t n)
{
	json_t *a = model_write_wrappers(w, n);
	char *t = json_text(a);
	json_decref(a);
	return t;
}

int wrappers_load(const char *path, struct wrapper **w, size_t *n)
{
	json_error_t err;
	json_t *j = json_read_file(path, 0, &err);
	*w = NULL;
	*n = 0;
	if (!j) {
		json_load_error("wrappers", path, &err);
		return -1;
	}
	const char *why = json_is_array(j) ? model_read_wrappers(j, w, n) : "it is not a JSON array";
	json_decref(j);
	if (why) {
		fprintf(stderr, "%s: wrappers file must be the JSON array `merge` wrote: %s\n", path, why);
		return -1;
	}
	return 0;
}
