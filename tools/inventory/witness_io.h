/**
 * @file
 * @brief Witness files (schema "capos-witness/1", docs/audit/witness-format.md): which source
 *        lines each test executed in one run, and the committed witness summary (schema
 *        "capos-witness-summary/1") the generated pages render from. The only JSON edge of the
 *        witness data: everything else reads the structs below.
 */
#ifndef INV_WITNESS_IO_H
#define INV_WITNESS_IO_H

#include <stdbool.h>
#include <stddef.h>

/** @brief Schema string of one witness file. */
#define WITNESS_SCHEMA "capos-witness/1"
/** @brief Schema string of the committed witness summary. */
#define WITNESS_SUMMARY_SCHEMA "capos-witness-summary/1"

/** @brief The executed lines of one file in one test's run. Invariant: lines sorted, unique. */
struct wit_file {
	char *path;          /**< Repository-relative path. */
	long long *lines;    /**< Executed lines. */
	size_t n;            /**< Count. */
};

/**
 * @brief One test's witness: what it executed in one run and whether it passed.
 * Invariants: I1. files sorted by path; I2. passed is the producer's own result (the JUnit
 * result of the same run is checked separately).
 */
struct wit_test {
	char *test;          /**< Test name (CTest test, or `qemu_ktest_<name>` JUnit case). */
	char *source;        /**< "host-coverage", "kernel-sites", ... */
	char *ctest;         /**< CTest test that ran it (qemu_ktests for a kernel test). */
	bool passed;         /**< The producer saw the test pass. */
	struct wit_file *files; size_t n_files;
};

/** @brief Every witness of one run. Invariant: sorted by test name, names unique. */
struct witness_set {
	struct wit_test *v; size_t n;
	bool loaded;         /**< A witness directory was read (even an empty one). */
};

/**
 * @brief Read every `*.json` witness file of a directory. Fails closed: an unreadable
 *        directory, a file of another schema, a missing or mistyped member, or two files for
 *        one test is an error (printed), never a test that executed nothing.
 * @param dir Directory. @param out Filled (zeroed first).
 * @return 0, or -1 after printing why (*out freed).
 */
int witness_load_dir(const char *dir, struct witness_set *out);

/** @brief Witness of a test, or NULL. @param ws Set. @param test Name. */
const struct wit_test *witness_get(const struct witness_set *ws, const char *test);

/** @brief Whether a test executed file:line. @param w Witness. @param file Path. @param line Line. */
bool witness_hit(const struct wit_test *w, const char *file, long long line);

/** @brief Whether a test executed any line of a file. @param w Witness. @param file Path. */
bool witness_touches(const struct wit_test *w, const char *file);

/** @brief Free a set (zeroed after). @param ws Set. */
void witness_free(struct witness_set *ws);

/** @brief One obligation's witnessing tests as the summary records them. */
struct sum_entry {
	char *id;            /**< Obligation ID (function:class:ordinal). */
	char *file; long long line; /**< Where the site was when the summary was made. */
	char **tests; size_t n_tests; /**< Sorted test names that executed it and passed. */
};

/**
 * @brief The committed witness summary: per obligation, the passing tests that executed its
 *        site in the run it was made from. Invariant: entries sorted by id.
 */
struct witness_summary {
	struct sum_entry *v; size_t n;
	/** Per file a backlog item names (`files`), the passing tests that executed any line of it. */
	struct sum_touch { char *file; char **tests; size_t n_tests; } *touched; size_t n_touched;
	/** Tests that ran under another CTest test (kernel tests under qemu_ktests), sorted. */
	struct sum_parent { char *test, *ctest; } *parents; size_t n_parents;
	bool loaded;         /**< A summary file was read. */
};

/**
 * @brief Read a summary. A missing file is an empty summary (loaded = false); a malformed one
 *        is an error.
 * @param path File. @param out Filled. @return 0, or -1 after printing why.
 */
int witness_summary_load(const char *path, struct witness_summary *out);

/**
 * @brief Write a summary (sorted, no timestamps, so it diffs cleanly).
 * @param path File (written through a temporary file). @param s Summary.
 * @return 0, or -1 after printing why.
 */
int witness_summary_write(const char *path, const struct witness_summary *s);

/** @brief Entry of an obligation, or NULL. @param s Summary. @param id Obligation ID. */
const struct sum_entry *witness_summary_get(const struct witness_summary *s, const char *id);

/** @brief CTest test a summary's test ran under, or NULL when it is its own. */
const char *witness_summary_parent(const struct witness_summary *s, const char *test);

/** @brief Whether the summary records @p test executing any line of @p file. */
bool witness_summary_touched(const struct witness_summary *s, const char *file, const char *test);

/** @brief Sort a summary's entries and parents (after filling it). @param s Summary. */
void witness_summary_sort(struct witness_summary *s);

/** @brief Free a summary (zeroed after). @param s Summary. */
void witness_summary_free(struct witness_summary *s);

#endif
