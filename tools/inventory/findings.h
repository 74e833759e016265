/**
 * @file
 * @brief The typed findings of `inventory check` and the config's per-rule settings, as they
 *        pass from the rules (check.c, mutants.c) through the merged Coccinelle findings, the
 *        settings, the waivers and the fingerprints to the output formats. JSON is only at the
 *        edges: findings_io.c reads a findings file and writes the JSON format, sarif_io.c
 *        writes SARIF.
 */
#ifndef INV_FINDINGS_H
#define INV_FINDINGS_H

#include <stdbool.h>
#include <stddef.h>

#include "util.h"

/**
 * @brief One finding.
 *
 * Invariants:
 *   I1. rule, severity, file, message, symbol and tool are never NULL (symbol "" for none).
 *   I2. line >= 1 for every finding but an INV017 of a wrapper whose function is not in the
 *       model (line 0, as the rule always reported it); col is 0 (none) or >= 1.
 *   I3. witnesses is meaningful only when obligation is set (a site finding of INV001).
 *   I4. fingerprint is NULL until check_finish(); waived implies waiver_reason, waiver_by and
 *       waiver_on are set.
 * The JSON format writes exactly the members set here: `transition` only when has_transition
 * (null when transition is NULL), `col`, `description`, `obligation`/`witnesses`, `fingerprint`
 * and `waiver` only when present.
 */
struct finding {
	char *rule;            /**< Rule ID ("INV012", "cocci/tlb/..."). */
	char *severity;        /**< "error", "warning" or "note". */
	char *file;            /**< Repository-relative file (absolute outside the root). */
	long long line;        /**< 1-based line. */
	long long col;         /**< 1-based column, 0 for none (merged findings only). */
	char *message;         /**< What is wrong. */
	char *symbol;          /**< Function (or test, or name) the finding is about; "" for none. */
	bool has_transition;   /**< Whether the finding has a transition member (inventory rules). */
	char *transition;      /**< Transition, key or name; NULL with has_transition: a JSON null. */
	char *tool;            /**< "inventory", or the merged file's tool ("external" when unnamed). */
	char *description;     /**< Rule description of a merged finding, or NULL. */
	char *obligation;      /**< Obligation ID of a site finding, or NULL. */
	struct strv witnesses; /**< Tests that executed the site (with obligation). */
	char *fingerprint;     /**< SARIF partial fingerprint (check_finish), or NULL. */
	bool waived;           /**< A reviewed waiver matched it (waivers_apply). */
	char *waiver_reason;   /**< The waiver's justification. */
	char *waiver_by;       /**< Who reviewed it. */
	char *waiver_on;       /**< When (YYYY-MM-DD). */
};

/** @brief The findings of one run, in the order the steps left them. */
struct findings {
	struct finding *v;  /**< Findings. */
	size_t n;           /**< Count. */
	size_t cap;         /**< Allocated. */
};

/** @brief One rule the config switches off or re-grades, with the reason reports show. */
struct rule_setting {
	char *rule;           /**< Rule ID. */
	bool enabled;         /**< false: its findings are dropped (and counted in suppressed). */
	char *severity;       /**< Configured severity, or NULL (a JSON null). */
	char *reason;         /**< The config's reason. */
	long long suppressed; /**< Findings dropped because the rule is off (0 when enabled). */
};

/** @brief The config's rule settings, in catalog order. */
struct rule_settings {
	struct rule_setting *v;  /**< Settings. */
	size_t n;                /**< Count. */
};

/**
 * @brief Append a zeroed finding (the caller fills every member I1 requires).
 * @param f Findings. @return The new finding (valid until the next push).
 */
struct finding *findings_push(struct findings *f);

/**
 * @brief Append a finding of a catalog rule (severity: the rule's level) with tool "inventory".
 * @param f Findings. @param rule Rule ID. @param file File (NULL: "(unknown)").
 * @param line Line. @param symbol Symbol (NULL: ""). @param msg Message (consumed).
 * @return The new finding (no transition member; see findings_add_transition).
 */
struct finding *findings_add(struct findings *f, const char *rule, const char *file, long long line,
			     const char *symbol, char *msg);

/** @brief Set a finding's transition member (@p trans NULL: a JSON null). @param e Finding.
 * @param trans Transition or NULL. */
void finding_set_transition(struct finding *e, const char *trans);

/** @brief Free one finding's members. @param e Finding. */
void finding_free(struct finding *e);
/** @brief Free every finding (zeroed after). @param f Findings. */
void findings_free(struct findings *f);
/** @brief Free rule settings (zeroed after). @param s Settings. */
void rule_settings_free(struct rule_settings *s);

/**
 * @brief Merge a findings file ("capos-findings/1", e.g. the Coccinelle runner's) into @p f
 *        (findings_io.c: the file's JSON edge).
 * @param path File. @param f Findings to append to.
 * @return 0, or -1 after printing why (unreadable, wrong schema, malformed entry); on -1
 *         entries before the malformed one may have been appended (the run stops with exit 2).
 */
int findings_merge_file(const char *path, struct findings *f);

/**
 * @brief A string as JSON text, exactly as the JSON writer quotes it ("a\"b" -> "\"a\\\"b\"")
 *        (findings_io.c).
 * @param s String (NULL, or not UTF-8: "(null)", as a failed quote always printed).
 * @return malloc'd text.
 */
char *findings_json_string(const char *s);

#endif
