/**
 * @file
 * @brief Joins the model with evidence: which proof-table class each transition belongs to,
 *        which evidence kinds it still lacks, and the status of every backlog item.
 */
#ifndef INV_PROOF_H
#define INV_PROOF_H

#include <jansson.h>
#include "config.h"

struct model;

/** @brief Everything the evaluation reads. */
struct evidence_in {
	json_t *proof;   /**< proof-table.json. */
	json_t *backlog; /**< backlog.json. */
	json_t *tags;    /**< evidence_tags(). */
	json_t *tests;   /**< ctest_tests(), or NULL when unknown. */
	json_t *junit;   /**< junit_results(), or NULL when no results were given. */
	bool declared;   /**< Evaluate declarations only: a cited test that exists counts, whatever
			      its result (the generated pages, so they do not change with test
			      results; `check` enforces results with INV001/INV004). */
};

/**
 * @brief Load and validate the proof table and the backlog named by the config.
 * @param cfg Config. @param in Out: proof and backlog set.
 * @return 0, or -1 after printing why (unreadable, wrong schema, unknown key, bad class).
 */
int proof_load(const struct config *cfg, struct evidence_in *in);

/**
 * @brief Evaluate evidence against the model.
 * @param cfg Config. @param model Model. @param in Evidence.
 * @return {"transitions": {id: {...}}, "backlog": {id: {...}}, "tests": {name: {...}}}.
 */
json_t *proof_eval(const struct config *cfg, const struct model *model, const struct evidence_in *in);

/**
 * @brief Status of one test as evidence: "passed", "failed", "skipped", "not run",
 *        "unknown" (no JUnit given) or "declared" (declared mode).
 * @param in Evidence. @param test Name. @return Static string.
 */
const char *proof_test_status(const struct evidence_in *in, const char *test);

#endif
