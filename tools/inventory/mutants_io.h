/**
 * @file
 * @brief The JSON edge of the mutation data (mutants_io.c): the record of
 *        `tests/mutants/mutate --record` (`mutants.json`, schema capos-mutant-record/1) and the
 *        reviewed justifications of survivors (`mutant-justifications.json`,
 *        capos-mutant-justifications/1), read and validated into typed entries. Judging them
 *        (freshness, obligations, INV025/INV026) is mutants.c.
 */
#ifndef INV_MUTANTS_IO_H
#define INV_MUTANTS_IO_H

#include <stddef.h>

#include "util.h"

/** @brief One record entry: one obligation site with its call removed, and the verdict. */
struct mutant_site {
	char *id;             /**< Site ID (obligation-style, "file:function:callee#n"). */
	char *file;           /**< Repository-relative file. */
	char *function;       /**< Function the site is in. */
	char *cls;            /**< Obligation class. */
	char *status;         /**< killed, survived, invalid, unmutable, baseline, untested, not-run. */
	char *key;            /**< The runner's cache key. */
	char *source_sha256;  /**< SHA-256 of the function's text at the run. */
	char *callee;         /**< The call removed, or NULL when the entry names none. */
	long long line;       /**< Line of the site. */
	struct strv tests_run;/**< Tests run against the mutant (an element is NULL when not a string). */
};

/** @brief One reviewed justification of a surviving mutant. */
struct mutant_justification {
	char *site;       /**< Site ID it justifies. */
	char *reason;     /**< Why the survivor is acceptable (non-empty). */
	char *reviewer;   /**< Who reviewed it (non-empty). */
	long long line;   /**< Line of the first `"SITE"` in the file (1 when absent), for findings. */
};

/** @brief Both files; a missing file gives no entries ("no mutation run yet"). */
struct mutant_files {
	struct mutant_site *sites;           /**< Record entries, in file order. */
	size_t n_sites;                      /**< Count. */
	struct mutant_justification *just;   /**< Justifications, in file order. */
	size_t n_just;                       /**< Count. */
};

/**
 * @brief Read and validate both files; every problem is printed (the record's and the
 *        justifications' documents, then each justification, then each record entry).
 * @param rec_path Record file (absolute). @param just_path Justifications file (absolute).
 * @param out Filled on success.
 * @return 0, or -1 when a file is not JSON, has a wrong schema, or an entry misses a member
 *         (nothing is loaded).
 */
int mutants_read(const char *rec_path, const char *just_path, struct mutant_files *out);

/** @brief Free what mutants_read() loaded (zeroed after). @param f Files. */
void mutants_files_free(struct mutant_files *f);

#endif
