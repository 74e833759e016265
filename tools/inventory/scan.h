/**
 * @file
 * @brief Parses the translation units in parallel through libclang, with a per-TU cache keyed
 *        by the content of the TU and every file it includes, its flags, the config and the
 *        schema version.
 */
#ifndef INV_SCAN_H
#define INV_SCAN_H

#include "cdb.h"
#include "model.h"

/** @brief Version of the facts format; part of every cache key. */
#define INV_FACTS_VERSION "capos-inventory-facts/4"

/** @brief How to scan. */
struct scan_opts {
	int jobs;              /**< Parser threads (>= 1). */
	const char *cache_dir; /**< Cache directory, or NULL for none. */
	bool progress;         /**< Show progress on stderr. */
	const char *resource_dir; /**< clang resource dir (builtin headers), or NULL for libclang's guess. */
	int hits;              /**< Out: TUs served from the cache. */
	struct cache_deps *deps; /**< Out (caller frees, cache_deps_free): every file read, with its hash. */
	struct model **reuse;  /**< In, optional: per TU (TU order) facts still valid under this
				    config; NULL entries are scanned. */
};

struct cache_deps;

/**
 * @brief Parse and visit every TU.
 * @param cfg Config. @param tus TUs. @param n Count. @param o Options.
 * @param out Out: new array of per-TU facts (tus = the TU; functions, decls, enums, tables), in
 *        @p tus order; free with scan_facts_free().
 * @return 0, or -1 when any TU could not be read or has errors (each printed, INV007), in which
 *         case nothing is returned.
 */
int scan_tus(const struct config *cfg, struct tu *tus, int n, struct scan_opts *o, struct model **out);

/** @brief Free what scan_tus() returned. @param facts Array. @param n Count. */
void scan_facts_free(struct model *facts, int n);

/** @brief Path stem of the whole-run model cache entry for these TUs (cache_io.c). @return malloc'd. */
char *scan_model_key(const struct config *cfg, struct tu *tus, int n, const struct scan_opts *o);

#endif
