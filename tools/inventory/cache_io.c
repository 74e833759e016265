/* cache_io.c: the caches on disk. A per-TU entry is {"deps": {path: content hash}, "facts":
 * the TU's facts (model_write_facts)}; it is used only when every file it read still has that
 * hash. The whole-run model cache keeps the model text, its hash and the files the run read. */
#include "cache_io.h"
#include "model_io.h"
#include "json_io.h"
#include "util.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct cache_run { pthread_mutex_t mu; json_t *hashes; };
struct cache_deps { json_t *d; };

struct cache_run *cache_run_new(void)
{
	struct cache_run *r = xcalloc(1, sizeof *r);
	pthread_mutex_init(&r->mu, NULL);
	r->hashes = json_object();
	return r;
}

void cache_run_free(struct cache_run *r)
{
	if (!r)
		return;
	json_decref(r->hashes);
	pthread_mutex_destroy(&r->mu);
	free(r);
}

const char *cache_run_hash(struct cache_run *r, const char *path)
{
	char h[33];
	pthread_mutex_lock(&r->mu);
	json_t *v = json_object_get(r->hashes, path);
	pthread_mutex_unlock(&r->mu);
	if (v)
		return json_string_value(v);
	bool ok = hash_file(path, h) == 0;
	pthread_mutex_lock(&r->mu);
	if (!json_object_get(r->hashes, path))  /* never replace: another thread may hold it */
		json_object_set_new(r->hashes, path, json_string(ok ? h : "unreadable"));
	v = json_object_get(r->hashes, path);
	pthread_mutex_unlock(&r->mu);
	return json_string_value(v);
}

struct cache_deps *cache_run_deps(struct cache_run *r)
{
	struct cache_deps *d = cache_deps_new();
	json_object_update(d->d, r->hashes);
	return d;
}

struct cache_deps *cache_deps_new(void)
{
	struct cache_deps *d = xcalloc(1, sizeof *d);
	d->d = json_object();
	return d;
}

void cache_deps_add(struct cache_run *r, struct cache_deps *d, const char *path)
{
	json_object_set_new(d->d, path, json_string(cache_run_hash(r, path)));
}

void cache_deps_merge(struct cache_deps *into, const struct cache_deps *from)
{
	json_object_update(into->d, from->d);
}

void cache_deps_free(struct cache_deps *d)
{
	if (!d)
		return;
	json_decref(d->d);
	free(d);
}

bool cache_facts_get(struct cache_run *r, const char *path, struct model *out)
{
	json_t *c = json_read_file(path, 0, NULL), *deps, *h;
	const char *f;
	bool ok = c && json_is_object(deps = json_object_get(c, "deps")) && json_is_object(json_object_get(c, "facts"));
	memset(out, 0, sizeof *out);
	if (ok)
		json_object_foreach(deps, f, h) {
			const char *now = cache_run_hash(r, f);
			if (!json_is_string(h) || !strcmp(now, "unreadable") || strcmp(now, json_string_value(h)) != 0) {
				ok = false;
				break;
			}
		}
	/* A damaged entry is a miss: it is parsed again, never trusted. */
	ok = ok && model_read_tu_facts(json_object_get(c, "facts"), out) == NULL;
	json_decref(c);
	return ok;
}

void cache_facts_put(const char *path, const struct cache_deps *deps, const struct model *facts)
{
	json_t *entry = json_pack("{s:O,s:o}", "deps", deps->d, "facts", model_write_facts(facts));
	char *txt = json_dumps(entry, JSON_COMPACT);
	if (write_file(path, txt, strlen(txt)) < 0)
		fprintf(stderr, "inventory: warning: cannot write cache %s\n", path);
	free(txt);
	json_decref(entry);
}

bool scan_cached_model(const struct config *cfg, struct tu *tus, int n, const struct scan_opts *o,
		       struct model *model, char **text_out)
{
	if (model)
		memset(model, 0, sizeof *model);
	if (text_out)
		*text_out = NULL;
	if (!o->cache_dir)
		return false;
	char *base = scan_model_key(cfg, tus, n, o), *dp = xasprintf("%s.deps", base), *tp = xasprintf("%s.json", base);
	char *sp = xasprintf("%s.sum", base);
	json_t *deps = json_read_file(dp, 0, NULL), *h;
	const char *f;
	char *text = NULL, *sum = NULL;
	bool ok = json_is_object(deps);
	json_object_foreach(deps, f, h) {
		char now[33];
		if (!ok || !json_is_string(h) || hash_file(f, now) < 0 || strcmp(now, json_string_value(h)) != 0) {
			ok = false;
			break;
		}
	}
	if (ok)
		text = read_file(tp, NULL);
	if (text) {
		/* A damaged cache entry is a miss, never the output: the text must be the one stored
		 * (its hash), and when the caller needs the model, parse as a sound model. */
		char got[33];
		hash_hex(text, strlen(text), got);
		sum = read_file(sp, NULL);
		ok = sum && strncmp(sum, got, 32) == 0;
		if (ok && model) {
			json_t *j = json_loads(text, 0, NULL);
			const char *sc = json_string_value(json_object_get(j, "schema"));
			ok = sc && strcmp(sc, INV_MODEL_SCHEMA) == 0 && !model_unsound(j) && !model_read(j, model);
			json_decref(j);
		}
		if (!ok) {
			free(text);
			text = NULL;
		}
	}
	json_decref(deps);
	free(base);
	free(dp);
	free(tp);
	free(sp);
	free(sum);
	bool hit = ok && text;
	if (text_out)
		*text_out = text;
	else
		free(text);
	return hit;
}

void scan_store_model(const struct config *cfg, struct tu *tus, int n, const struct scan_opts *o,
		      const char *text)
{
	if (!o->cache_dir || !o->deps)
		return;
	char *base = scan_model_key(cfg, tus, n, o), *dp = xasprintf("%s.deps", base), *tp = xasprintf("%s.json", base);
	char *d = json_dumps(o->deps->d, JSON_COMPACT), sum[33], *sp = xasprintf("%s.sum", base);
	hash_hex(text, strlen(text), sum);
	/* Text first, deps last: a reader that finds the deps finds the text they vouch for. */
	if (write_file(tp, text, strlen(text)) < 0 || write_file(sp, sum, 32) < 0 ||
	    write_file(dp, d, strlen(d)) < 0)
		fprintf(stderr, "inventory: warning: cannot write cache %s\n", base);
	free(d);
	free(sp);
	free(base);
	free(dp);
	free(tp);
}
