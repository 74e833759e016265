/**
 * @file
 * @brief Mutation results (issue 11, "teeth"): the committed record of
 *        `tests/mutants/mutate --record` and the reviewed justifications of survivors, read
 *        into each obligation's `mutant` and judged by rules INV025 (surviving mutant without a
 *        justification) and INV026 (stale mutation evidence).
 *
 * Both files sit next to the config's proof table: `mutants.json` (schema
 * capos-mutant-record/1) and `mutant-justifications.json` (capos-mutant-justifications/1). A
 * missing file means "no mutation run yet": every obligation stays "not-run", no finding. A
 * record entry is current only while the SHA-256 of its function's text (from the model's
 * definition line through the closing brace; the runner's cache key hashes the same bytes)
 * equals the entry's `source_sha256`; otherwise, or when the function is gone, it is stale.
 */
#ifndef INV_MUTANTS_H
#define INV_MUTANTS_H

#include "config.h"
#include "findings.h"
#include "model.h"

/**
 * @brief Fill every obligation's mutant from the record: the entries of the obligation's
 *        function and class (a transition by its line) decide, worst first: stale, survived,
 *        invalid, unmutable, baseline, untested, killed; none: "not-run".
 * @param cfg Config (the record sits next to its proof table; paths are under root_dir).
 * @param m Model (obligations changed in place).
 * @return 0, or -1 after printing why (a file that is not JSON, a wrong schema, an entry
 *         missing a member, a justification without reason or reviewer): exit 2.
 */
int mutants_attach(const struct config *cfg, struct model *m);

/**
 * @brief Rules INV025 and INV026 over the record (every entry, not only those an obligation
 *        matched): a current survivor without a justification; an entry whose file changed
 *        (or is gone) since the run; a justification that justifies no current survivor.
 * @param cfg Config. @param m Model (where each function is defined now).
 * @param out Findings to append to.
 * @return 0, or -1 after printing why (as mutants_attach).
 */
int mutants_rules(const struct config *cfg, const struct model *m, struct findings *out);

/**
 * @brief SHA-256 of a buffer, as 64 lowercase hex characters.
 * @param data Bytes. @param len Length. @param out 65-byte buffer.
 */
void mutants_sha256_hex(const void *data, size_t len, char out[65]);

#endif
