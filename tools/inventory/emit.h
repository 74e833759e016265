/**
 * @file
 * @brief Output formats for findings: text, JSON, Markdown and SARIF 2.1.0 (one file each).
 */
#ifndef INV_EMIT_H
#define INV_EMIT_H

#include <jansson.h>

/** @brief Findings as `file:line: RULE: message` lines plus a count. @param f Findings. @return malloc'd. */
char *emit_text(json_t *f);
/** @brief Findings as JSON ("capos-findings/1"). @param f Findings. @return malloc'd. */
char *emit_json(json_t *f);
/** @brief Findings as a Markdown table. @param f Findings. @return malloc'd. */
char *emit_markdown(json_t *f);
/** @brief Findings as a SARIF 2.1.0 log. @param f Findings. @param version Tool version. @return malloc'd. */
char *emit_sarif(json_t *f, const char *version);

#endif
