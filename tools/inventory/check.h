/**
 * @file
 * @brief The check rules: model + evidence (+ Coccinelle findings, + committed tables) ->
 *        findings (findings.h), each with a stable rule ID, a repository-relative location and
 *        a fingerprint.
 */
#ifndef INV_CHECK_H
#define INV_CHECK_H

#include "model.h"
#include "config.h"
#include "proof.h"
#include "findings.h"

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
 * @param out Filled with the findings, in rule order (check_finish() sorts them).
 * @return 0, or -1 after printing why (a malformed mutation record): @p out is empty.
 */
int check_run(const struct config *cfg, const struct model *model, const struct evidence_in *in,
	      const struct evaluation *eval, const struct strv *stale, struct findings *out);

/** @brief Sort findings (file, line, column, rule, message, symbol) and add fingerprints.
 * @param f Findings (reordered in place). */
void check_finish(struct findings *f);

/**
 * @brief Apply the config's `rules` to @p f: drop findings of rules switched off, set the
 *        configured severity on the others.
 * @param cfg Config. @param f Findings (changed in place).
 * @param settings Out: the settings applied (rule, enabled, severity, reason, suppressed), for
 *        the reports, in catalog order.
 */
void check_apply_settings(const struct config *cfg, struct findings *f, struct rule_settings *settings);

#endif
