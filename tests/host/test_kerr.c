/*
 * test_kerr.c - the typed error names are complete, distinct and safe on bad values.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <capos/errors.h>

static void test_kerr_name_every_code_named_and_distinct(void **state)
{
	(void)state;
	for (int i = 0; i < KERR_COUNT; i++) {
		const char *n = kerr_name((kerr_t)i);
		assert_non_null(n);
		assert_int_equal(strncmp(n, "KERR_", 5), 0);
		assert_string_not_equal(n, "KERR_<invalid>");
		for (int j = 0; j < i; j++)
			assert_string_not_equal(n, kerr_name((kerr_t)j));
	}
}

static void test_kerr_name_out_of_range_is_invalid(void **state)
{
	(void)state;
	assert_string_equal(kerr_name(KERR_COUNT), "KERR_<invalid>");
	assert_string_equal(kerr_name((kerr_t)-1), "KERR_<invalid>");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kerr_name_every_code_named_and_distinct),
		cmocka_unit_test(test_kerr_name_out_of_range_is_invalid),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
