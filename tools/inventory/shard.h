/**
 * @file
 * @brief `scan --shard I/N` and `merge`: split a very large tree over a CI job matrix and join
 *        the parts into the model an unsharded scan writes. Shards are typed (struct shard);
 *        their files and the wrapper files are read and written only in shard_io.c.
 */
#ifndef INV_SHARD_H
#define INV_SHARD_H

#include "cdb.h"
#include "config.h"
#include "model.h"
#include "scan.h"

/** @brief Schema string of a shard document. */
#define INV_SHARD_SCHEMA "capos-inventory-shard/1"

/**
 * @brief One shard document (schema capos-inventory-shard/1).
 * Invariants: I1. 0 <= shard < of; I2. facts[k].tus.v[0] names the TU facts[k] came from, one
 * of tus; I3. wrappers are the derived wrappers the shard was scanned with (possibly none).
 */
struct shard {
	char *schema, *config;     /**< Schema string; hash of the config file scanned with. */
	long long shard, of;       /**< This shard's index, and the number of shards. */
	struct strv tus;           /**< The whole TU list (every shard's), in compile-database order. */
	struct wrapper *wrappers; size_t n_wrappers;
	struct model *facts; size_t n_facts; /**< Facts of this shard's TUs. */
};

/** @brief Free what a shard owns. @param s Shard (zeroed after). */
void shard_free(struct shard *s);

/** @brief Parse "I/N" (0 <= I < N). @param spec Text. @param i Out. @param n Out. @return 0 or -1. */
int shard_parse(const char *spec, int *i, int *n);

/**
 * @brief Scan shard @p si of @p sn: the TUs whose index in @p tus is si modulo sn.
 * @param base Config. @param tus All TUs (sorted, from cdb_load). @param n Count.
 * @param si Shard. @param sn Shards. @param w Derived wrappers to scan with (from a previous
 *        merge; copied). @param nw Count. @param so Scan options. @param out Out: the shard.
 * @return 0, or -1 when a TU could not be read (printed; *out empty).
 */
int shard_scan(const struct config *base, struct tu *tus, int n, int si, int sn, const struct wrapper *w,
	       size_t nw, struct scan_opts *so, struct shard *out);

/**
 * @brief Join shards into the model. The shards' facts are moved into the model.
 * @param base Config. @param docs Shards (any order). @param nd Count.
 * @param out Out: the model (with derived_wrappers), when 0 is returned.
 * @param more Out: when the merged facts derive wrappers the shards did not scan with, the
 *        whole wrapper list to scan the shards again with (1 is returned). @param nmore Out.
 * @return 0 (model), 1 (*more set), -1 (inconsistent shards, printed).
 */
int shard_merge(const struct config *base, struct shard *docs, int nd, struct model *out,
		struct wrapper **more, size_t *nmore);

/* ---- their files (shard_io.c, the JSON edge) ---- */

/**
 * @brief Read a shard file. Fails closed: a document of another schema, a missing or mistyped
 *        member, damaged facts are refused.
 * @param path File. @param out Shard (zeroed first). @return 0, or -1 after printing why.
 */
int shard_load(const char *path, struct shard *out);

/** @brief A shard as the text `scan --shard` writes. @param s Shard. @return New text. */
char *shard_text(const struct shard *s);

/**
 * @brief Read a wrappers file (`merge --wrappers-out`).
 * @param path File. @param w Out: new array. @param n Out: count.
 * @return 0, or -1 after printing why.
 */
int wrappers_load(const char *path, struct wrapper **w, size_t *n);

/** @brief Wrappers as the text `merge --wrappers-out` writes. @param w Wrappers. @param n Count. @return New text. */
char *wrappers_text(const struct wrapper *w, size_t n);

#endif
