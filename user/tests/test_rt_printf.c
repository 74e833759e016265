/*
 * test_rt_printf.c - host test of the user runtime's formatter (user/lib/printf.c, compiled
 * unchanged with the host flags): every conversion, width and padding, length modifiers,
 * truncation at the buffer size, and rt_printf's single console write per call.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <caprt.h>

/* The runtime state and the console method printf.c uses, faked to capture the output. */
cap_handle_t rt_console = CAP_HANDLE_NONE;
static char written[1024];
static size_t nwritten, ncalls;

kerr_t console_write(cap_handle_t con, const void *buf, size_t len)
{
	assert_int_equal(con, rt_console);
	assert_true(nwritten + len < sizeof(written));
	memcpy(written + nwritten, buf, len);
	nwritten += len;
	ncalls++;
	return KERR_OK;
}

static void expect_fmt(const char *want, const char *fmt, ...)
{
	char buf[128];
	va_list ap;
	va_start(ap, fmt);
	int n = rt_vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	assert_string_equal(buf, want);
	assert_int_equal(n, (int)strlen(want));
}

static void test_rt_vsnprintf_conversions(void **state)
{
	(void)state;
	expect_fmt("plain", "plain");
	expect_fmt("42 -7 0 2147483647 -2147483648", "%d %i %d %d %d", 42, -7, 0, 2147483647,
		   (int)(-2147483647 - 1));
	expect_fmt("4294967295 ff 0", "%u %x %x", 4294967295u, 255u, 0u);
	expect_fmt("18446744073709551615 ffffffffffffffff", "%lu %llx", 18446744073709551615ul,
		   0xffffffffffffffffull);
	expect_fmt("-9223372036854775808", "%ld", (long)(-9223372036854775807L - 1));
	expect_fmt("123456789012", "%zu", (size_t)123456789012ull);
	expect_fmt("0x401000", "%p", (void *)(uintptr_t)0x401000);
	expect_fmt("s=abc c=Z %", "s=%s c=%c %%", "abc", 'Z');
	expect_fmt("(null)", "%s", (const char *)NULL);
	expect_fmt("[   42] [00042] [0000ff] [-0042]", "[%5d] [%05u] [%06x] [%05d]", 42, 42u, 255u,
		   -42);
	expect_fmt("[12345]", "[%3d]", 12345);
	expect_fmt("[  -42]", "[%5d]", -42);
}

static void test_rt_vsnprintf_truncates_to_size(void **state)
{
	(void)state;
	char buf[8];
	memset(buf, 'X', sizeof(buf));
	int n = rt_snprintf(buf, sizeof(buf), "%s-%d", "abcdef", 1234);
	assert_string_equal(buf, "abcdef-");
	assert_int_equal(n, 7);
	char one[1] = { 'X' };
	assert_int_equal(rt_snprintf(one, 1, "abc"), 0);
	assert_int_equal(one[0], '\0');
	/* A trailing lone '%' ends the format. */
	const char *lone = "ab%";
	assert_int_equal(rt_snprintf(buf, sizeof(buf), lone, 0), 2);
	assert_string_equal(buf, "ab");
}

/* size 0 writes nothing (not even the NUL), as C's snprintf; a width far beyond the buffer
 * costs no more than the buffer. */
static void test_rt_vsnprintf_size_zero_and_huge_width(void **state)
{
	(void)state;
	char guard[4] = { 'G', 'G', 'G', 'G' };
	assert_int_equal(rt_snprintf(guard + 1, 0, "abc"), 0);
	assert_memory_equal(guard, "GGGG", 4);
	char buf[8];
	const char *wide = "%4000000000d";
	assert_int_equal(rt_snprintf(buf, sizeof(buf), wide, 7), 7);
	assert_string_equal(buf, "       ");
}

static void test_rt_printf_one_console_write(void **state)
{
	(void)state;
	nwritten = ncalls = 0;
	rt_console = CAP_HANDLE_NONE;
	assert_int_equal(rt_printf("dropped %d\n", 1), 10);
	rt_puts("dropped too");
	assert_int_equal(ncalls, 0);
	rt_console = CAP_HANDLE_MAKE(3, 1);
	rt_printf("hello %s %d\n", "user", 3);
	rt_puts("line\n");
	assert_int_equal(ncalls, 2);
	assert_int_equal(nwritten, strlen("hello user 3\nline\n"));
	assert_memory_equal(written, "hello user 3\nline\n", nwritten);
	/* Output longer than rt_printf's 255-byte buffer is cut, never overflowed. */
	char big[400];
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	nwritten = ncalls = 0;
	assert_int_equal(rt_printf("%s", big), 255);
	assert_int_equal(nwritten, 255);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rt_vsnprintf_conversions),
		cmocka_unit_test(test_rt_vsnprintf_truncates_to_size),
		cmocka_unit_test(test_rt_vsnprintf_size_zero_and_huge_width),
		cmocka_unit_test(test_rt_printf_one_console_write),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
