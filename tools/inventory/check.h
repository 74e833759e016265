/**
 * @file
 * @brief The check rules: model + evidence (+ Coccinelle findings, + committed tables) ->
 *        findings, each with a stable rule ID, a repository-relative location and a fingerprint.
 */
#ifndef INV_CHECK_H
#define INV_CHECK_H

#include <jansson.h>
#include "model.h"
#include "config.h"
#include "proof.h"

/** @brief One rule of the catalog. */
struct rule {
	const char *id;      /**< Stable ID ("INV001"). */
	const char *level;   /**< SARIF level: "error" or "warning". */
	const char *title;   /**< Short name. */
	const char *help;    /**< What it means and how to fix it. */
};

/** @brief The rule catalog, terminated by an entry with a NULL id. */
extern const struct rule check_rules[];

/** @brief Look up a rule. @param id Rule ID. @return The rule, or NULL. */
const struct rule *check_rule(const char *id);

/**
 * @brief Run every rule.
 * @param cfg Config. @param model Model. @param in Evidence. @param eval proof_eval() result.
 * @param stale Stale table files (repo-relative), or NULL when not checked.
 * @return Findings array, sorted by file, line, rule.
 */
json_t *check_run(const struct config *cfg, const struct model *model, const struct evidence_in *in,
		  const struct evaluation *eval, const struct strv *stale);

/**
 * @brief Merge a Coccinelle findings file ("capos-findings/1").
 * @param path File. @param findings Array to append to.
 * @return 0, or -1 after printing why (unreadable, wrong schema, malformed entry).
 */
int check_merge_findings(const char *path, json_t *findings);

/** @brief Sort findings (file, line, rule, message) and add fingerprints. @param f Array. */
void check_finish(json_t *f);

/**
 * @brief Apply the config's `rules` to @p f: drop findings of rules switched off, set the
 *        configured severity on the others.
 * @param cfg Config. @param f Findings (changed in place).
 * @return New array of the settings applied ({rule, enabled, severity?, reason, suppressed}),
 *         for the reports.
 */
json_t *check_apply_settings(const struct config *cfg, json_t *f);

#endif
