/*
 * host_assert.c - the host side of kernel/include/lib/assert.h.
 *
 * Routes KASSERT/DASSERT failures in kernel/lib into cmocka: a test that expects an assertion
 * (expect_assert_failure) catches it; anywhere else the failure fails the running test with
 * the expression and location, instead of aborting the whole program.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <lib/assert.h>

void capos_assert_fail(const char *expr, const char *file, int line)
{
	mock_assert(0, expr, file, line);
}
