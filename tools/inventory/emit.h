/**
 * @file
 * @brief Output formats for findings: text, JSON, Markdown and SARIF 2.1.0 (one file each).
 */
#ifndef INV_EMIT_H
#define INV_EMIT_H

#include <jansson.h>

/* Every format takes the findings and the config's rule settings (check_apply_settings(): one
 * {rule, enabled, severity?, reason, suppressed} per configured rule), so a rule switched off or
 * re-graded by the project is shown with its reason in every report, never silently absent. */

/** @brief Findings as `file:line: RULE: message` lines plus a count. @param f Findings.
 * @param settings Rule settings. @return malloc'd. */
char *emit_text(json_t *f, json_t *settings);
/** @brief Findings as JSON ("capos-findings/1"). @param f Findings. @param settings Rule settings. @return malloc'd. */
char *emit_json(json_t *f, json_t *settings);
/** @brief Findings as a Markdown table. @param f Findings. @param settings Rule settings. @return malloc'd. */
char *emit_markdown(json_t *f, json_t *settings);
/** @brief Findings as a SARIF 2.1.0 log (settings as ruleConfigurationOverrides). @param f Findings.
 * @param settings Rule settings. @param version Tool version. @return malloc'd. */
char *emit_sarif(json_t *f, json_t *settings, const char *version);

/**
 * @brief One line per configured rule: "rule INV014 switched off by the config (N finding(s) not
 *        reported): REASON" or "rule INV011 reported as note by the config: REASON".
 * @param b Buffer to append to. @param settings Rule settings. @param prefix Line prefix.
 */
struct sbuf;
void emit_settings_lines(struct sbuf *b, json_t *settings, const char *prefix);

#endif
