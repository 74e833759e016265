/**
 * @file
 * @brief Evidence: `@proves <test>: <ID>...` declarations in test sources, the CTest test list
 *        with labels, and pass/fail from CTest's JUnit XML.
 */
#ifndef INV_EVIDENCE_H
#define INV_EVIDENCE_H

#include <jansson.h>
#include "config.h"

/**
 * @brief Read every `@proves` tag under the config's evidence dirs.
 * @param cfg Config.
 * @return Array of {test, ids[], file, line}, sorted; NULL after printing each malformed tag
 *         (INV009, file:line) or an unreadable directory.
 */
json_t *evidence_tags(const struct config *cfg);

/**
 * @brief The CTest test list: name -> {labels[]}.
 * @param json_path Output of `ctest --show-only=json-v1`, or NULL to run ctest in @p build_dir.
 * @param build_dir Build tree (used when @p json_path is NULL).
 * @return Object, or NULL after printing why.
 */
json_t *ctest_tests(const char *json_path, const char *build_dir);

/**
 * @brief Results from a CTest JUnit file: name -> "passed" | "failed" | "skipped".
 * @param path JUnit XML. @return Object, or NULL after printing why (unreadable, no testsuite).
 */
json_t *junit_results(const char *path);

/**
 * @brief Parse one source text for tags (exposed for tests of the parser).
 * @param rel Repo-relative name for messages. @param text Contents. @param out Array to append.
 * @return Number of malformed tags (each printed).
 */
int evidence_parse_text(const char *rel, const char *text, json_t *out);

#endif
