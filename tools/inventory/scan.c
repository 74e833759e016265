/* scan.c: the parallel, cached libclang front end. Threads share nothing but a work counter;
 * libclang does not chdir, so cdb_io.c made every path absolute. */
#include "scan.h"
#include "cache_io.h"
#include "model.h"
#include "util.h"
#include "visit.h"

#include <pthread.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct job {
	const struct config *cfg;
	struct tu *tus;
	int n, next, done, failed;
	struct scan_opts *o;
	struct model *res;     /* per TU: its facts */
	bool *ok;              /* per TU: res[i] holds facts */
	struct cache_run *run; /* content hashes, computed once per run (headers are shared) */
	pthread_mutex_t mu;
};

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

struct incl { struct job *j; struct cache_deps *deps; };

static void incl_cb(CXFile f, CXSourceLocation *stack, unsigned n, CXClientData d)
{
	struct incl *in = d;
	CXString name = clang_getFileName(f);
	(void)stack;
	(void)n;
	cache_deps_add(in->j->run, in->deps, clang_getCString(name));
	clang_disposeString(name);
}

/* Parse one TU into *facts; on errors print them and return false. */
static bool parse_one(CXIndex idx, struct job *j, const struct tu *t, const char *rdir, struct cache_deps **deps,
		      struct model *facts)
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
		return false;
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
	if (errors == 0) {
		struct incl in = {j, cache_deps_new()};
		visit_tu(j->cfg, tu, facts);
		clang_getInclusions(tu, incl_cb, &in);
		*deps = in.deps;
	} else {
		fprintf(stderr, "%s: INV007: %d error(s); the inventory does not model a TU it cannot read\n",
			t->rel, errors);
	}
	clang_disposeTranslationUnit(tu);
	return errors == 0;
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
		struct model facts;
		struct cache_deps *deps = NULL;
		bool hit = false, ok = false;
		const struct model *reuse = j->o->reuse ? j->o->reuse[i] : NULL;
		if (reuse) {  /* unchanged by this round's config: no parse, no store */
			model_facts_copy(&facts, reuse);
			hit = ok = true;
		} else if (j->o->cache_dir) {
			cpath = xasprintf("%s/%s.json", j->o->cache_dir, key);
			hit = ok = cache_facts_get(j->run, cpath, &facts);
		}
		if (!ok)
			ok = parse_one(idx, j, t, j->o->resource_dir, &deps, &facts);
		if (ok && cpath && !hit)
			cache_facts_put(cpath, deps, &facts);
		cache_deps_free(deps);
		free(cpath);
		free(key);
		if (ok) {
			strv_free(&facts.tus);
			strv_push(&facts.tus, t->rel);
		}
		pthread_mutex_lock(&j->mu);
		if (ok)
			j->res[i] = facts;
		j->ok[i] = ok;
		j->failed += !ok;
		j->o->hits += hit;
		j->done++;
		if (j->o->progress)
			fprintf(stderr, "\r\033[K[%d/%d] %s", j->done, j->n, t->rel);
		pthread_mutex_unlock(&j->mu);
	}
	clang_disposeIndex(idx);
	return NULL;
}

int scan_tus(const struct config *cfg, struct tu *tus, int n, struct scan_opts *o, struct model **out)
{
	struct job j = {cfg, tus, n, 0, 0, 0, o, xcalloc((size_t)n + 1, sizeof(struct model)),
			xcalloc((size_t)n + 1, sizeof(bool)), cache_run_new(), PTHREAD_MUTEX_INITIALIZER};
	int nt = o->jobs < 1 ? 1 : o->jobs > n ? n : o->jobs;
	pthread_t *th = xcalloc((size_t)nt + 1, sizeof *th);
	o->hits = 0;
	(void)tool_id();  /* computed before the workers share it */
	if (!clang_api_load()) {
		free(th);
		free(j.res);
		free(j.ok);
		cache_run_free(j.run);
		return -1;
	}
	if (o->cache_dir && mkdir_p(o->cache_dir) < 0)
		fprintf(stderr, "inventory: warning: cannot create cache dir %s\n", o->cache_dir);
	for (int i = 0; i < nt; i++)
		pthread_create(&th[i], NULL, worker, &j);
	for (int i = 0; i < nt; i++)
		pthread_join(th[i], NULL);
	free(th);
	struct cache_deps *read = cache_run_deps(j.run);
	cache_run_free(j.run);
	if (o->deps) {  /* a later round: reused TUs hashed nothing, keep what earlier rounds read */
		cache_deps_merge(o->deps, read);
		cache_deps_free(read);
	} else {
		o->deps = read;
	}
	if (o->progress)
		fputs("\r\033[K", stderr);
	free(j.ok);
	if (j.failed) {
		fprintf(stderr, "inventory: %d of %d translation units could not be read; no model written\n",
			j.failed, n);
		scan_facts_free(j.res, n);
		return -1;
	}
	*out = j.res;
	return 0;
}

void scan_facts_free(struct model *facts, int n)
{
	for (int i = 0; facts && i < n; i++)
		model_free(&facts[i]);
	free(facts);
}

char *scan_model_key(const struct config *cfg, struct tu *tus, int n, const struct scan_opts *o)
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
