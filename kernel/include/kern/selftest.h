/**
 * @file
 * @brief Provoking each run outcome on purpose (`selftest=` on the kernel command line).
 */
#ifndef CAPOS_KERN_SELFTEST_H
#define CAPOS_KERN_SELFTEST_H

#include <lib/types.h>

/**
 * @brief Act on `selftest=`: panic (a kernel page fault), triplefault, hang (never return),
 *        stackoverflow (a kernel thread overflows into its guard page: double fault on the IST
 *        stack, then panic), or fail (select the deliberately failing test into
 *        @p ktest_glob).
 * @param ktest_glob Receives the test selection for "fail" or an unknown selftest.
 * @param size Size of @p ktest_glob.
 * @return false when there is no selftest= word (run the normal tests); true when
 *         @p ktest_glob was set.
 */
bool selftest_run(char *ktest_glob, size_t size);

#endif /* CAPOS_KERN_SELFTEST_H */
