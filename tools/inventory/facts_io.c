/* facts_io.c: the JSON edge of the link step. The typed per-TU facts of a scan are merged,
 * linked, settled and derived on the structs (model.c, order.c, tlbflow.c, model_ops.c), and the
 * model is written out as the document `scan` writes and the cache stores; the derived wrappers
 * are handed to the driver as JSON (they become part of the config and the model file). */
#include "model.h"
#include "model_io.h"
#include "order.h"
#include "tlbflow.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Sort helpers: by USR or name, as a model file keys them. */
static int cmp_fn(const void *a, const void *b) { return strcmp(((const struct function *)a)->usr, ((const struct function *)b)->usr); }
static int cmp_decl(const void *a, const void *b) { return strcmp(((const struct decl *)a)->usr, ((const struct decl *)b)->usr); }
static int cmp_enum(const void *a, const void *b) { return strcmp(((const struct enum_def *)a)->name, ((const struct enum_def *)b)->name); }
static int cmp_table(const void *a, const void *b) { return strcmp(((const struct table *)a)->usr, ((const struct table *)b)->usr); }

/* The first TU that defines a key wins (a static inline in a header is one symbol). */
#define MERGE(dst, ndst, ix, src, nsrc, key, copy)                                        \
	for (size_t k_ = 0; k_ < (nsrc); k_++) {                                           \
		if (smap_get(&(ix), (src)[k_].key) >= 0)                                   \
			continue;                                                          \
		smap_put(&(ix), (src)[k_].key, (long long)(ndst));                         \
		(dst) = xrealloc((dst), sizeof *(dst) * ((ndst) + 1));                     \
		copy(&(dst)[(ndst)++], &(src)[k_]);                                        \
	}

json_t *model_build(const struct config *cfg, const struct model *facts, int n)
{
	/* The facts in, the model out: everything between is on the structs. */
	struct model tm = {0};
	struct smap fi = {0}, di = {0}, ei = {0}, ti = {0};
	tm.schema = xstrdup(INV_MODEL_SCHEMA);
	tm.config = xstrdup(cfg->file_hash);
	for (int t = 0; t < n; t++) {
		const struct model *f = &facts[t];
		for (size_t i = 0; i < f->tus.n; i++)
			strv_push(&tm.tus, f->tus.v[i]);
		MERGE(tm.functions, tm.n_functions, fi, f->functions, f->n_functions, usr, model_function_copy);
		MERGE(tm.decls, tm.n_decls, di, f->decls, f->n_decls, usr, model_decl_copy);
		MERGE(tm.enums, tm.n_enums, ei, f->enums, f->n_enums, name, model_enum_copy);
		MERGE(tm.tables, tm.n_tables, ti, f->tables, f->n_tables, usr, model_table_copy);
	}
	smap_free(&fi), smap_free(&di), smap_free(&ei), smap_free(&ti);
	if (tm.n_functions)
		qsort(tm.functions, tm.n_functions, sizeof *tm.functions, cmp_fn);
	if (tm.n_decls)
		qsort(tm.decls, tm.n_decls, sizeof *tm.decls, cmp_decl);
	if (tm.n_enums)
		qsort(tm.enums, tm.n_enums, sizeof *tm.enums, cmp_enum);
	if (tm.n_tables)
		qsort(tm.tables, tm.n_tables, sizeof *tm.tables, cmp_table);
	model_link(cfg, &tm);
	order_compute(cfg, &tm);
	model_settle(cfg, &tm);
	tlbflow_compute(cfg, &tm);
	model_derive(cfg, &tm);
	json_t *m = model_write(&tm);
	model_free(&tm);
	return m;
}

json_t *model_wrappers(const struct config *cfg, json_t *m)
{
	struct model tm;
	const char *why = model_read(m, &tm);
	json_t *out = json_array();
	if (why) {
		fprintf(stderr, "inventory: internal error: model: %s\n", why);
		abort();
	}
	struct wrapper *w;
	size_t n;
	model_wrappers_t(cfg, &tm, &w, &n);
	for (size_t i = 0; i < n; i++) {
		json_t *d = json_pack("{s:s,s:s,s:I,s:s}", "pair", w[i].pair, "function", w[i].function, "dir",
				      (json_int_t)w[i].dir, "key", w[i].key);
		if (w[i].has_key_arg)
			json_object_set_new(d, "key_arg", json_integer((json_int_t)w[i].key_arg));
		json_array_append_new(out, d);
	}
	wrappers_free(w, n);
	model_free(&tm);
	return out;
}
