/*
 * test_basic.c - kernel tests of the freestanding basics: printf formatting, string functions,
 * command-line glob matching.
 */
#include <kern/cmdline.h>
#include <kern/ktest.h>
#include <kern/printf.h>
#include <kern/string.h>

static bool fmt_is(const char *want, const char *fmt, ...)
{
	char buf[64];
	va_list ap;

	va_start(ap, fmt);
	kvsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return strcmp(buf, want) == 0;
}

static void test_printf_conversions_all(struct ktest_ctx *t)
{
	KT_ASSERT(t, fmt_is("-42 42 ff", "%d %u %x", -42, 42u, 255u));
	KT_ASSERT(t, fmt_is("ffffffffffffffff", "%lx", ~0ul));
	KT_ASSERT(t, fmt_is("0x00000000deadbeef", "%p", (void *)0xdeadbeef));
	KT_ASSERT(t, fmt_is("[ab  ] [  ab] [0007] [-007]", "[%-4s] [%4s] [%04d] [%04d]", "ab",
			    "ab", 7, -7));
	KT_ASSERT(t, fmt_is("x% (null)", "%c%% %s", 'x', (char *)0));
	KT_ASSERT(t, fmt_is("-9223372036854775808", "%ld", (long)(-9223372036854775807L - 1)));
}
KTEST_REGISTER(test_printf_conversions_all);

static void test_printf_truncation_terminated(struct ktest_ctx *t)
{
	char buf[4];
	int n = ksnprintf(buf, sizeof(buf), "%s", "abcdef");

	KT_ASSERT_EQ(t, n, 6);
	KT_ASSERT(t, strcmp(buf, "abc") == 0);
}
KTEST_REGISTER(test_printf_truncation_terminated);

static void test_string_memmove_overlap(struct ktest_ctx *t)
{
	char b[8] = "abcdef";

	memmove(b + 1, b, 5);
	KT_ASSERT(t, memcmp(b, "aabcde", 6) == 0);
	memmove(b, b + 1, 5);
	KT_ASSERT(t, memcmp(b, "abcdee", 6) == 0);
	KT_ASSERT_EQ(t, strlen("capOS"), 5);
}
KTEST_REGISTER(test_string_memmove_overlap);

static void test_glob_match_patterns(struct ktest_ctx *t)
{
	KT_ASSERT(t, glob_match("*", "anything"));
	KT_ASSERT(t, glob_match("test_frame_*", "test_frame_alloc"));
	KT_ASSERT(t, !glob_match("test_frame_*", "test_mmu_map"));
	KT_ASSERT(t, glob_match("t?st_*_x", "test_a_b_x"));
	KT_ASSERT(t, !glob_match("abc", "abcd"));
}
KTEST_REGISTER(test_glob_match_patterns);
