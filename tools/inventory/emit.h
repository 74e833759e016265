/**
 * @file
 * @brief Output formats for the typed findings (findings.h): text (out_text.c), Markdown
 *        (out_md.c), and the two JSON writers at the edge, JSON (findings_io.c) and SARIF 2.1.0
 *        (sarif_io.c).
 */
#ifndef INV_EMIT_H
#define INV_EMIT_H

#include "findings.h"

/* Every format takes the findings and the config's rule settings (check_apply_settings(): one
 * {rule, enabled, severity, reason, suppressed} per configured rule), so a rule switched off or
 * re-graded by the project is shown with its reason in every report, never silently absent. */

/** @brief Findings as `file:line: RULE: message` lines plus a count. @param f Findings.
 * @param settings Rule settings. @return malloc'd. */
char *emit_text(const struct findings *f, const struct rule_settings *settings);
/** @brief Findings as JSON ("capos-findings/1"). @param f Findings. @param settings Rule settings. @return malloc'd. */
char *emit_json(const struct findings *f, const struct rule_settings *settings);
/** @brief Findings as a Markdown table. @param f Findings. @param settings Rule settings. @return malloc'd. */
char *emit_markdown(const struct findings *f, const struct rule_settings *settings);
/** @brief Findings as a SARIF 2.1.0 log (settings as ruleConfigurationOverrides). @param f Findings.
 * @param settings Rule settings. @param version Tool version. @return malloc'd. */
char *emit_sarif(const struct findings *f, const struct rule_settings *settings, const char *version);

/**
 * @brief One line per configured rule: "rule INV014 switched off by the config (N finding(s) not
 *        reported): REASON" or "rule INV011 reported as note by the config: REASON".
 * @param b Buffer to append to. @param settings Rule settings. @param prefix Line prefix.
 */
void emit_settings_lines(struct sbuf *b, const struct rule_settings *settings, const char *prefix);

#endif
