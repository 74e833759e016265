/* scan.c: the parallel, cached libclang front end. Threads share nothing but a work counter;
 * libclang does not chdir, so cdb.c made every path absolute. */
#include "scan.h"
#include "model.h"
#include "model_io.h"
#include "util.h"
#include "visit.h"

#include <pthread.h>
#include <sys/stat.h>
#include <stdio.h>
#include <string.h>

struct job {
	const struct config *cfg;
	struct tu *tus;
	int n, next, done, failed;
	struct scan_opts *o;
	json_t **res;
	json_t *hashes;  /* path -> content hash, computed once per run (headers are shared) */
	pthread_mutex_t mu;
};

/* Content hash of a file, memoized for the run; NULL when unreadable. */
static const char *memo_hash(struct job *j, const char *path)
{
	char h[33];
	pthread_mutex_lock(&j->mu);
	json_t *v = json_object_get(j->hashes, path);
	pthread_mutex_unlock(&j->mu);
	if (v)
		return json_string_value(v);
	bool ok = hash_file(path, h) == 0;
	pthread_mutex_lock(&j->mu);
	if (!json_object_get(j->hashes, path))  /* never replace: another thread may hold it */
		json_object_set_new(j->hashes, path, json_string(ok ? h : "unreadable"));
	v = json_object_get(j->hashes, path);
	pthread_mutex_unlock(&j->mu);
	return json_string_value(v);
}

/* Identity of this build of the tool (size and mtime of the executable): facts from another
 * build may differ, so they are not reused. */
static const char *tool_id(void)
{
	static char id[64];
	struct stat st;
	if (!id[0])
		snprintf(id, sizeof id, "%lld.%lld.%ld", stat("/proc/self/exe", &st) == 0 ? (long long)st.st_size : 0LL,
			 (long long)st.st_mtim.tv_sec, (long)st.st_mtim.tv_nsec);
	return id;
}

static char *cache_key(const struct config *cfg, const struct tu *t, const char *rdir)
{
	struct sbuf b = {0};
	char h[33];
	sb_printf(&b, "%s\n%s\n%s\n%s\n%s\n", INV_FACTS_VERSION, tool_id(), cfg->hash, t->file, rdir ? rdir : "");
	for (int i = 0; i < t->nargs; i++)
		sb_printf(&b, "%s\n", t->args[i]);
	hash_hex(b.s, b.n, h);
	sb_free(&b);
	return xstrdup(h);
}

static json_t *cache_get(struct job *j, const char *path)
{
	json_t *c = json_read_file(path, 0, NULL), *deps, *h;
	const char *f;
	if (!c)
		return NULL;
	deps = json_object_get(c, "deps");
	if (!json_is_object(deps) || !json_is_object(json_object_get(c, "facts")))
		goto miss;
	json_object_foreach(deps, f, h) {
		const char *now = memo_hash(j, f);
		if (!json_is_string(h) || !strcmp(now, "unreadable") || strcmp(now, json_string_value(h)) != 0)
			goto miss;
	}
	json_t *facts = json_incref(json_object_get(c, "facts"));
	json_decref(c);
	return facts;
miss:
	json_decref(c);
	return NULL;
}

struct incl { struct job *j; json_t *deps; };

static void incl_cb(CXFile f, CXSourceLocation *stack, unsigned n, CXClientData d)
{
	struct incl *in = d;
	CXString name = clang_getFileName(f);
	(void)stack;
	(void)n;
	json_object_set_new(in->deps, clang_getCString(name), json_string(memo_hash(in->j, clang_getCString(name))));
	clang_disposeString(name);
}

/* Parse one TU; on errors print them and return NULL. */
static json_t *parse_one(CXIndex idx, struct job *j, const struct tu *t, const char *rdir,
			 json_t **deps)
{
	CXTranslationUnit tu;
	const char **args = xcalloc((size_t)t->nargs + 4, sizeof *args);
	int na = 0, errors = 0;
	bool no_builtin = false;
	for (int i = 0; i < t->nargs; i++) {
		no_builtin = no_builtin || !strcmp(t->args[i], "-nostdinc") || !strcmp(t->args[i], "-nobuiltininc");
		args[na++] = t->args[i];
	}
	/* libclang overrides the driver's resource dir with a guess made from where libclang.so
	 * lives (wrong on Debian), and for bare-metal targets the driver adds no builtin include
	 * dir of its own: name the compiler's builtin headers (stdbool.h, stdarg.h) explicitly. */
	char *builtin = rdir && !no_builtin ? xasprintf("%s/include", rdir) : NULL;
	if (builtin) {
		args[na++] = "-isystem";
		args[na++] = builtin;
	}
	args[na++] = "-fparse-all-comments";  /* the "TLB:" comments are plain comments */
	enum CXErrorCode ec = clang_parseTranslationUnit2(idx, t->file, args, na, NULL, 0,
							  CXTranslationUnit_None, &tu);
	free(args);
	free(builtin);
	if (ec != CXError_Success) {
		fprintf(stderr, "%s: INV007: libclang could not parse this translation unit (error %d)\n",
			t->rel, (int)ec);
		return NULL;
	}
	for (unsigned i = 0; i < clang_getNumDiagnostics(tu); i++) {
		CXDiagnostic d = clang_getDiagnostic(tu, i);
		if (clang_getDiagnosticSeverity(d) >= CXDiagnostic_Error) {
			CXString s = clang_formatDiagnostic(d, CXDiagnostic_DisplaySourceLocation |
							    CXDiagnostic_DisplayColumn);
			fprintf(stderr, "%s: INV007: %s\n", t->rel, clang_getCString(s));
			clang_disposeString(s);
			errors++;
		}
		clang_disposeDiagnostic(d);
	}
	json_t *facts = NULL;
	if (errors == 0) {
		struct incl in = {j, json_object()};
		struct model tf;  /* the TU's facts, typed; their JSON is what the cache stores */
		visit_tu(j->cfg, tu, &tf);
		facts = model_write_facts(&tf);
		model_free(&tf);
		clang_getInclusions(tu, incl_cb, &in);
		*deps = in.deps;
	} else {
		fprintf(stderr, "%s: INV007: %d error(s); the inventory does not model a TU it cannot read\n",
			t->rel, errors);
	}
	clang_disposeTranslationUnit(tu);
	return facts;
}

static void *worker(void *arg)
{
	struct job *j = arg;
	CXIndex idx = clang_createIndex(0, 0);
	for (;;) {
		pthread_mutex_lock(&j->mu);
		int i = j->next++;
		pthread_mutex_unlock(&j->mu);
		if (i >= j->n)
			break;
		struct tu *t = &j->tus[i];
		char *key = cache_key(j->cfg, t, j->o->resource_dir), *cpath = NULL;
		json_t *facts = NULL, *deps = NULL;
		bool hit = false;
		json_t *reuse = j->o->reuse ? json_array_get(j->o->reuse, (size_t)i) : NULL;
		if (json_is_object(reuse)) {  /* unchanged by this round's config: no parse, no store */
			facts = json_deep_copy(reuse);
			hit = true;
		} else if (j->o->cache_dir) {
			cpath = xasprintf("%s/%s.json", j->o->cache_dir, key);
			facts = cache_get(j, cpath);
			hit = facts != NULL;
		}
		if (!facts)
			facts = parse_one(idx, j, t, j->o->resource_dir, &deps);
		if (facts && cpath && !hit) {
			json_t *entry = json_pack("{s:O,s:O}", "deps", deps, "facts", facts);
			char *txt = json_dumps(entry, JSON_COMPACT);
			if (write_file(cpath, txt, strlen(txt)) < 0)
				fprintf(stderr, "inventory: warning: cannot write cache %s\n", cpath);
			free(txt);
			json_decref(entry);
		}
		json_decref(deps);
		free(cpath);
		free(key);
		if (facts)
			json_object_set_new(facts, "tu", json_string(t->rel));
		pthread_mutex_lock(&j->mu);
		j->res[i] = facts;
		j->failed += facts == NULL;
		j->o->hits += hit;
		j->done++;
		if (j->o->progress)
			fprintf(stderr, "\r\033[K[%d/%d] %s", j->done, j->n, t->rel);
		pthread_mutex_unlock(&j->mu);
	}
	clang_disposeIndex(idx);
	return NULL;
}

int scan_tus(const struct config *cfg, struct tu *tus, int n, struct scan_opts *o, json_t **out)
{
	struct job j = {cfg, tus, n, 0, 0, 0, o, xcalloc((size_t)n, sizeof(json_t *)), json_object(),
			PTHREAD_MUTEX_INITIALIZER};
	int nt = o->jobs < 1 ? 1 : o->jobs > n ? n : o->jobs;
	pthread_t *th = xcalloc((size_t)nt, sizeof *th);
	o->hits = 0;
	(void)tool_id();  /* computed before the workers share it */
	if (!clang_api_load()) {
		free(th);
		free(j.res);
		json_decref(j.hashes);
		return -1;
	}
	if (o->cache_dir && mkdir_p(o->cache_dir) < 0)
		fprintf(stderr, "inventory: warning: cannot create cache dir %s\n", o->cache_dir);
	for (int i = 0; i < nt; i++)
		pthread_create(&th[i], NULL, worker, &j);
	for (int i = 0; i < nt; i++)
		pthread_join(th[i], NULL);
	free(th);
	if (o->deps) {  /* a later round: reused TUs hashed nothing, keep what earlier rounds read */
		json_object_update(o->deps, j.hashes);
		json_decref(j.hashes);
	} else {
		o->deps = j.hashes;
	}
	if (o->progress)
		fputs("\r\033[K", stderr);
	if (j.failed) {
		fprintf(stderr, "inventory: %d of %d translation units could not be read; no model written\n",
			j.failed, n);
		for (int i = 0; i < n; i++)
			json_decref(j.res[i]);
		free(j.res);
		return -1;
	}
	*out = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(*out, j.res[i]);
	free(j.res);
	return 0;
}

static char *model_key(const struct config *cfg, struct tu *tus, int n, const struct scan_opts *o)
{
	struct sbuf b = {0};
	char h[33];
	sb_printf(&b, "model\n%s\n", o->resource_dir ? o->resource_dir : "");
	for (int i = 0; i < n; i++) {
		char *k = cache_key(cfg, &tus[i], o->resource_dir);
		sb_printf(&b, "%s\n", k);
		free(k);
	}
	hash_hex(b.s, b.n, h);
	sb_free(&b);
	return xasprintf("%s/model-%s", o->cache_dir, h);
}

bool scan_cached_model(const struct config *cfg, struct tu *tus, int n, const struct scan_opts *o,
		       json_t **model, char **text_out)
{
	if (model)
		*model = NULL;
	if (text_out)
		*text_out = NULL;
	if (!o->cache_dir)
		return false;
	char *base = model_key(cfg, tus, n, o), *dp = xasprintf("%s.deps", base), *tp = xasprintf("%s.json", base);
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
			*model = json_loads(text, 0, NULL);
			const char *sc = json_string_value(json_object_get(*model, "schema"));
			ok = sc && strcmp(sc, INV_MODEL_SCHEMA) == 0 && !model_unsound(*model);
			if (!ok) {
				json_decref(*model);
				*model = NULL;
			}
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
	if (text_out)
		*text_out = text;
	else
		free(text);
	return ok && (text_out ? *text_out != NULL : model && *model);
}

void scan_store_model(const struct config *cfg, struct tu *tus, int n, const struct scan_opts *o,
		      const char *text)
{
	if (!o->cache_dir || !o->deps)
		return;
	char *base = model_key(cfg, tus, n, o), *dp = xasprintf("%s.deps", base), *tp = xasprintf("%s.json", base);
	char *d = json_dumps(o->deps, JSON_COMPACT), sum[33], *sp = xasprintf("%s.sum", base);
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
