/**
 * @file
 * @brief Evidence: `@proves <test>: <ID>...` declarations in test sources, the CTest test list
 *        with labels and each test's own sources, and pass/fail from JUnit XML, as typed lists.
 *        The CTest list is the one JSON input here (read in evidence.c only).
 */
#ifndef INV_EVIDENCE_H
#define INV_EVIDENCE_H

#include <stdbool.h>
#include <stddef.h>
#include "config.h"
#include "model.h"

/** @brief One `@proves` tag: the test it names, the IDs it cites, and where it is. */
struct ev_tag {
	char *test;        /**< CTest test or kernel-test JUnit case. */
	char *file;        /**< Repository-relative file of the tag. */
	long long line;    /**< Its line. */
	struct strv ids;   /**< Transition or backlog IDs, in tag order. */
};

/** @brief Every tag under the evidence dirs, in directory-walk order (sorted paths). */
struct ev_tags { struct ev_tag *v; size_t n; };

/**
 * @brief Read every `@proves` tag under the config's evidence dirs.
 * @param cfg Config. @param out Filled (zeroed first).
 * @return 0; -1 after printing each malformed tag (INV009, file:line) or an unreadable directory.
 */
int evidence_tags(const struct config *cfg, struct ev_tags *out);

/**
 * @brief Parse one source text for tags (exposed for tests of the parser).
 * @param rel Repo-relative name for messages. @param text Contents. @param out List to append to.
 * @return Number of malformed tags (each printed).
 */
int evidence_parse_text(const char *rel, const char *text, struct ev_tags *out);

/** @brief Free a tag list (zeroed after). @param t List. */
void ev_tags_free(struct ev_tags *t);

/** @brief One CTest test: its labels and its own sources. */
struct ctest_test {
	char *name;
	struct strv labels;   /**< LABELS property. */
	struct strv sources;  /**< Repository-relative: the CMake files on its add_test backtrace and
				   every file under the root its command names. */
	struct strv files;    /**< The C files among sources (what a proof test proves). */
};

/** @brief The CTest test list. Invariant: sorted by name, names unique. */
struct ctest_list { struct ctest_test *v; size_t n; };

/**
 * @brief The CTest test list.
 * @param json_path Output of `ctest --show-only=json-v1`, or NULL to run ctest in @p build_dir.
 * @param build_dir Build tree (used when @p json_path is NULL).
 * @param root Repository root (absolute). @param out Filled (zeroed first).
 * @return 0, or -1 after printing why.
 */
int ctest_tests(const char *json_path, const char *build_dir, const char *root, struct ctest_list *out);

/** @brief A test of the list by name, or NULL. */
const struct ctest_test *ctest_find(const struct ctest_list *l, const char *name);

/** @brief Free a test list (zeroed after). */
void ctest_list_free(struct ctest_list *l);

/** @brief Result of one JUnit testcase. */
enum test_result { TEST_PASSED, TEST_FAILED, TEST_SKIPPED };

/** @brief Results by test name. Invariant: sorted by name; a failure in any file wins. */
struct test_results {
	struct test_res { char *name; enum test_result res; } *v;
	size_t n;
	bool loaded;  /**< At least one JUnit file was read. */
};

/**
 * @brief Merge a JUnit file's results into @p into (a failure in either wins; a test run twice
 *        counts as failed if either run failed): CTest's own file and the per-kernel-test file
 *        of `ci/qemu-run --junit` together.
 * @param into Results. @param path JUnit XML.
 * @return 0, or -1 after printing why (unreadable, no testsuite, truncated, malformed testcase).
 */
int junit_merge(struct test_results *into, const char *path);

/** @brief "passed", "failed" or "skipped" for a test, or NULL when it has no result. */
const char *test_result_name(const struct test_results *r, const char *name);

/** @brief Free results (zeroed after). */
void test_results_free(struct test_results *r);

#endif
