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
 * @brief The CTest test list: name -> {labels[], sources[], files[]}. `sources` are the test's own
 *        files (repository-relative): the CMake files on the backtrace of its add_test and every
 *        file under @p root its command names; `files` the C files among those (what a proof
 *        test proves).
 * @param json_path Output of `ctest --show-only=json-v1`, or NULL to run ctest in @p build_dir.
 * @param build_dir Build tree (used when @p json_path is NULL).
 * @param root Repository root (absolute).
 * @return Object, or NULL after printing why.
 */
json_t *ctest_tests(const char *json_path, const char *build_dir, const char *root);

/**
 * @brief Merge a JUnit file's results into @p into (a failure in either wins): CTest's own file
 *        and the per-kernel-test file of `ci/qemu-run --junit` together.
 * @param into Results object. @param path JUnit XML. @return 0, or -1 after printing why.
 */
int junit_merge(json_t *into, const char *path);

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
