/**
 * @file
 * @brief Parses the translation units in parallel through libclang, with a per-TU cache keyed
 *        by the content of the TU and every file it includes, its flags, the config and the
 *        schema version.
 */
#ifndef INV_SCAN_H
#define INV_SCAN_H

#include "cdb.h"

/** @brief Version of the facts format; part of every cache key. */
#define INV_FACTS_VERSION "capos-inventory-facts/4"

/** @brief How to scan. */
struct scan_opts {
	int jobs;              /**< Parser threads (>= 1). */
	const char *cache_dir; /**< Cache directory, or NULL for none. */
	bool progress;         /**< Show progress on stderr. */
	const char *resource_dir; /**< clang resource dir (builtin headers), or NULL for libclang's guess. */
	int hits;              /**< Out: TUs served from the cache. */
	json_t *deps;          /**< Out (caller frees): every file read, path -> content hash. */
	json_t *reuse;         /**< In, optional: facts per TU (array in TU order) still valid under
				    this config; null entries are scanned. */
};

/**
 * @brief Parse and visit every TU.
 * @param cfg Config. @param tus TUs. @param n Count. @param o Options.
 * @param out Out: JSON array of per-TU facts ({"tu", "functions", ...}), in @p tus order.
 * @return 0, or -1 when any TU could not be read or has errors (each printed, INV007), in which
 *         case nothing is returned.
 */
int scan_tus(const struct config *cfg, struct tu *tus, int n, struct scan_opts *o, json_t **out);

/**
 * @brief The model text a previous scan of exactly these TUs wrote, when none of the files it
 *        read has changed since (a whole-run cache in front of the per-TU cache).
 * @param cfg Config. @param tus TUs. @param n Count. @param o Options (cache_dir).
 * @param model Out (may be NULL: then the model is not parsed, its text's stored hash vouches
 *        for it): the parsed model, checked sound. @param text Out (may be NULL): its text.
 * @return true on a hit (what was asked for is set), false on a miss or without a cache.
 *         Only a model that passed the config's fail-closed checks is ever stored.
 */
bool scan_cached_model(const struct config *cfg, struct tu *tus, int n, const struct scan_opts *o,
		       json_t **model, char **text);

/**
 * @brief Remember a model for scan_cached_model().
 * @param cfg Config. @param tus TUs. @param n Count. @param o Options (cache_dir, deps).
 * @param text Model text.
 */
void scan_store_model(const struct config *cfg, struct tu *tus, int n, const struct scan_opts *o,
		      const char *text);

#endif
