/**
 * @file
 * @brief The inventory's caches on disk (their JSON edge): per-TU facts keyed by the TU's
 *        content, flags, config and facts version, each stored with the content hashes of every
 *        file the TU read; and the whole-run model in front of them.
 */
#ifndef INV_CACHE_IO_H
#define INV_CACHE_IO_H

#include <stdbool.h>
#include "cdb.h"
#include "model.h"
#include "scan.h"

/** @brief One run's memo of file content hashes (shared by the scan's threads, locked). */
struct cache_run;
/** @brief A set of files read, with their content hashes (a TU's, or a whole run's). */
struct cache_deps;

/** @brief A new run memo. */
struct cache_run *cache_run_new(void);
/** @brief Free a run memo. */
void cache_run_free(struct cache_run *r);
/** @brief Content hash of @p path, memoized for the run ("unreadable" when it cannot be read). */
const char *cache_run_hash(struct cache_run *r, const char *path);
/** @brief Every file the run hashed, with its hash (new set). */
struct cache_deps *cache_run_deps(struct cache_run *r);

/** @brief A new empty set. */
struct cache_deps *cache_deps_new(void);
/** @brief Add @p path with its memoized hash. */
void cache_deps_add(struct cache_run *r, struct cache_deps *d, const char *path);
/** @brief Add every file of @p from to @p into. */
void cache_deps_merge(struct cache_deps *into, const struct cache_deps *from);
/** @brief Free a set (NULL is fine). */
void cache_deps_free(struct cache_deps *d);

/**
 * @brief Facts of one TU from its cache entry, when every file it read is unchanged.
 * @param r Run memo. @param path Entry. @param out Facts (zeroed first). @return true on a hit.
 */
bool cache_facts_get(struct cache_run *r, const char *path, struct model *out);
/** @brief Store one TU's facts with the files it read (a warning when it cannot be written). */
void cache_facts_put(const char *path, const struct cache_deps *deps, const struct model *facts);

/**
 * @brief The model text a previous scan of exactly these TUs wrote, when none of the files it
 *        read has changed since (a whole-run cache in front of the per-TU cache).
 * @param cfg Config. @param tus TUs. @param n Count. @param o Options (cache_dir).
 * @param model Out (may be NULL: then the model is not read, its text's stored hash vouches
 *        for it): the typed model, read fail-closed. @param text Out (may be NULL): its text.
 * @return true on a hit (what was asked for is set), false on a miss or without a cache.
 *         Only a model that passed the config's fail-closed checks is ever stored.
 */
bool scan_cached_model(const struct config *cfg, struct tu *tus, int n, const struct scan_opts *o,
		       struct model *model, char **text);

/**
 * @brief Remember a model for scan_cached_model().
 * @param cfg Config. @param tus TUs. @param n Count. @param o Options (cache_dir, deps).
 * @param text Model text.
 */
void scan_store_model(const struct config *cfg, struct tu *tus, int n, const struct scan_opts *o,
		      const char *text);

#endif
