/**
 * @file
 * @brief Joins the model with evidence: which proof-table class each transition belongs to,
 *        which evidence kinds it still lacks, and the status of every backlog item.
 */
#ifndef INV_PROOF_H
#define INV_PROOF_H

#include <jansson.h>
#include "config.h"
#include "evidence.h"
#include "witness_io.h"

struct model;

/** @brief How an evidence kind is measured (the proof table's `kinds[].level`). */
enum kind_level {
	LEVEL_SITE,     /**< A test run: counts for a site only if its witness executed the site. */
	LEVEL_STATIC,   /**< A static rule run (Coccinelle): counts for a site only if its match
			     record (a witness file) shows the site; never by its pass alone. */
	LEVEL_FUNCTION, /**< A proof of C code: counts for sites in the files it proves. */
	LEVEL_DESIGN,   /**< A model of a design (spin): counts for backlog items only. */
	LEVEL_RUN,      /**< A check whose pass is the evidence (docs, inventory): backlog items only. */
};

/** @brief Everything the evaluation reads. */
struct evidence_in {
	json_t *proof;   /**< proof-table.json (kinds normalised to objects by proof_load). */
	json_t *backlog; /**< backlog.json. */
	struct ev_tags tags;         /**< evidence_tags(). */
	struct ctest_list tests;     /**< ctest_tests(). */
	bool have_tests;             /**< The CTest list was read (else every test counts as known). */
	struct test_results junit;   /**< junit_merge() of every --junit (CTest's and the
					  per-kernel-test file), loaded = false when none was given. */
	bool declared;   /**< Evaluate declarations only: a cited test that exists counts, whatever
			      its result, and witnesses come from the committed summary (the
			      generated pages, so they do not change with a run; `check` judges the
			      live run with INV001/INV004/INV020). */
	bool witnessed;  /**< The proof table's `witnessed`: a citation counts for a site only when
			      the cited test's witness shows the site executed. */
	struct witness_set wit;      /**< The live run's witness files (`--witness-dir`). */
	struct witness_summary sum;  /**< The committed summary the pages render from. */
	char *summary_path;          /**< Absolute path of the summary (proof table's
					  `witness_summary`), or NULL. */
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
 * @brief Fill every obligation's `witnesses`: the tests that executed its site line and passed
 *        (live run when witnesses were loaded and not declared; else the committed summary).
 * @param m Model. @param in Evidence.
 */
void proof_fill_witnesses(struct model *m, const struct evidence_in *in);

/**
 * @brief The witness summary of a model whose witnesses were filled from a live run.
 * @param m Model. @param in Evidence (for the CTest test each kernel test ran under).
 * @param out Summary to fill (sorted).
 */
void proof_make_summary(const struct model *m, const struct evidence_in *in, struct witness_summary *out);

/** @brief Whether a test is known: a CTest test, a JUnit case, or a witness's test. */
bool proof_test_known(const struct evidence_in *in, const char *test);

/** @brief Free what proof_load and the witness loading filled. @param in Evidence. */
void proof_in_free(struct evidence_in *in);

/**
 * @brief Status of one test as evidence: "passed", "failed", "skipped", "not run",
 *        "unknown" (no JUnit given) or "declared" (declared mode).
 * @param in Evidence. @param test Name. @return Static string.
 */
const char *proof_test_status(const struct evidence_in *in, const char *test);

#endif
