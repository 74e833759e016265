/**
 * @file
 * @brief `scan --shard I/N` and `merge`: split a very large tree over a CI job matrix and join
 *        the parts into the model an unsharded scan writes.
 */
#ifndef INV_SHARD_H
#define INV_SHARD_H

#include <jansson.h>
#include "cdb.h"
#include "config.h"
#include "scan.h"

/** @brief Parse "I/N" (0 <= I < N). @param spec Text. @param i Out. @param n Out. @return 0 or -1. */
int shard_parse(const char *spec, int *i, int *n);

/**
 * @brief Scan shard @p si of @p sn: the TUs whose index in @p tus is si modulo sn.
 * @param base Config. @param tus All TUs (sorted, from cdb_load). @param n Count.
 * @param si Shard. @param sn Shards. @param wrappers Derived wrappers to scan with (from a
 *        previous merge), or NULL. @param so Scan options.
 * @return New shard document, or NULL when a TU could not be read (printed).
 */
json_t *shard_scan(const struct config *base, struct tu *tus, int n, int si, int sn, json_t *wrappers,
		   struct scan_opts *so);

/**
 * @brief Join shard documents into the model.
 * @param base Config. @param docs Shards (any order). @param nd Count.
 * @param more Out: when the merged facts derive wrappers the shards did not scan with, the
 *        whole wrapper list to scan the shards again with (and NULL is returned); else NULL.
 * @return New model, or NULL (inconsistent shards are printed; or *more is set).
 */
json_t *shard_merge(const struct config *base, json_t **docs, int nd, json_t **more);

#endif
