/**
 * @file
 * @brief The in-kernel test harness: tests registered in a linker section, run at boot.
 *
 * A test is a plain function registered with KTEST_REGISTER():
 *
 *     static void test_frame_alloc_free_roundtrip(struct ktest_ctx *t)
 *     {
 *             KT_ASSERT(t, frame_free_count() > 0);
 *     }
 *     KTEST_REGISTER(test_frame_alloc_free_roundtrip);
 *
 * The harness prints `ktest: PASS <name> (<ms> ms)` or `ktest: FAIL <name>: <reason> at
 * file:line` per test, then `ktest: N passed, M failed`, and ends the run with
 * QEMU_EXIT_SUCCESS only when no selected test failed (and at least one ran).
 */
#ifndef CAPOS_KERN_KTEST_H
#define CAPOS_KERN_KTEST_H

#include <lib/types.h>

/** @brief The running test's result, filled by the KT_ macros. */
struct ktest_ctx {
	const char *name;  /**< Test name. */
	bool failed;       /**< Set by the first failed check. */
	char reason[192];  /**< Why it failed. */
	const char *file;  /**< Where the first check failed. */
	int line;          /**< Line of the failed check. */
};

/** @brief A registered test (placed in the `ktests` section). */
struct ktest {
	const char *name;                   /**< Function name, printed and matched by ktest=. */
	void (*fn)(struct ktest_ctx *t);    /**< The test body. */
	bool explicit_only;                 /**< Run only when a ktest= or selftest= names it. */
};

/** @brief Register @p fn (a `void fn(struct ktest_ctx *)`) as a kernel test. */
#define KTEST_REGISTER(fn)                                                                 \
	static const struct ktest ktest_desc_##fn                                          \
		__attribute__((used, section("ktests"), aligned(8))) = { #fn, fn, false }

/** @brief Register @p fn as a test that runs only when selected by name (selftests). */
#define KTEST_REGISTER_EXPLICIT(fn)                                                        \
	static const struct ktest ktest_desc_##fn                                          \
		__attribute__((used, section("ktests"), aligned(8))) = { #fn, fn, true }

/**
 * @brief Record a failure of the running test (the first one wins).
 * @param t Context. @param file Source file. @param line Line. @param fmt Reason (printf).
 */
void ktest_fail(struct ktest_ctx *t, const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/** @brief Fail the test and return from it when @p cond is false. */
#define KT_ASSERT(t, cond)                                                                 \
	do {                                                                               \
		if (!(cond)) {                                                             \
			ktest_fail((t), __FILE__, __LINE__, "%s", #cond);                  \
			return;                                                            \
		}                                                                          \
	} while (0)

/** @brief Fail and return unless the unsigned values @p a and @p b are equal (both shown). */
#define KT_ASSERT_EQ(t, a, b)                                                              \
	do {                                                                               \
		uint64_t ka_ = (uint64_t)(a), kb_ = (uint64_t)(b);                         \
		if (ka_ != kb_) {                                                          \
			ktest_fail((t), __FILE__, __LINE__, "%s == %s (0x%lx != 0x%lx)", #a,  \
				   #b, ka_, kb_);                                          \
			return;                                                            \
		}                                                                          \
	} while (0)

/**
 * @brief Run every registered test that matches the command line (`ktest=<glob>`, default
 *        all but explicit-only tests), print the results and end the run. Never returns.
 * @param forced_glob When non-NULL, selects the tests instead of the command line.
 */
void ktest_run_all(const char *forced_glob) __attribute__((noreturn));

#endif /* CAPOS_KERN_KTEST_H */
