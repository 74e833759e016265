/*
 * fuzz_support.h - what every libFuzzer harness under tests/fuzz shares: the kernel/lib
 * assertion hook and REQUIRE(), both ending the run with abort() so libFuzzer records the input
 * as a crash (kernel/lib's KASSERT and a model mismatch are equally fatal here).
 * Include it in exactly one .c file per harness (it defines capos_assert_fail).
 */
#ifndef CAPOS_FUZZ_SUPPORT_H
#define CAPOS_FUZZ_SUPPORT_H

#include <stdio.h>
#include <stdlib.h>

#include <lib/assert.h>

void capos_assert_fail(const char *expr, const char *file, int line)
{
	fprintf(stderr, "KASSERT failed: %s at %s:%d\n", expr, file, line);
	abort();
}

/** Abort with the harness's file and line when @p c is false (a model mismatch). */
#define REQUIRE(c)                                                                    \
	do {                                                                          \
		if (!(c)) {                                                           \
			fprintf(stderr, "%s:%d: REQUIRE(%s) failed\n", __FILE__, __LINE__, #c); \
			abort();                                                      \
		}                                                                     \
	} while (0)

#endif /* CAPOS_FUZZ_SUPPORT_H */
