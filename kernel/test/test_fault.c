/*
 * test_fault.c - kernel tests of exception handling: a deliberate page fault (and an invalid
 * opcode) inside a test is caught by the handler, reported, and the test resumes.
 */
#include <arch/layout.h>
#include <arch/trap.h>
#include <kern/kfault.h>
#include <kern/ktest.h>
#include <kern/percpu.h>

static void test_fault_page_fault_caught_resumes(struct ktest_ctx *t)
{
	volatile uint64_t *bad = (volatile uint64_t *)(KERNEL_VMAP_BASE + 0x7008);
	struct kfault_expect fe;

	if (kfault_expect_begin(&fe, VEC_PF) == 0) {
		*bad = 1;
		kfault_expect_end(&fe);
		ktest_fail(t, __FILE__, __LINE__, "write to an unmapped page did not fault");
		return;
	}
	KT_ASSERT(t, fe.hit);
	KT_ASSERT_EQ(t, fe.vector, VEC_PF);
	KT_ASSERT_EQ(t, fe.cr2, (uint64_t)bad);
	/* Not present, write, supervisor. */
	KT_ASSERT_EQ(t, fe.error & (PF_ERR_PRESENT | PF_ERR_WRITE | PF_ERR_USER), PF_ERR_WRITE);
	KT_ASSERT(t, fe.rip >= KERNEL_VMA);
	KT_ASSERT(t, this_cpu()->fault_expect == NULL);
}
KTEST_REGISTER(test_fault_page_fault_caught_resumes);

static void test_fault_invalid_opcode_caught(struct ktest_ctx *t)
{
	struct kfault_expect fe;

	if (kfault_expect_begin(&fe, VEC_UD) == 0) {
		__asm__ volatile("ud2");
		kfault_expect_end(&fe);
		ktest_fail(t, __FILE__, __LINE__, "ud2 did not raise #UD");
		return;
	}
	KT_ASSERT(t, fe.hit);
	KT_ASSERT_EQ(t, fe.vector, VEC_UD);
}
KTEST_REGISTER(test_fault_invalid_opcode_caught);

static void test_fault_not_taken_disarms(struct ktest_ctx *t)
{
	struct kfault_expect fe;
	volatile int x = 0;

	if (kfault_expect_begin(&fe, VEC_PF) == 0) {
		x = 1;
		kfault_expect_end(&fe);
	}
	KT_ASSERT(t, !fe.hit);
	KT_ASSERT_EQ(t, x, 1);
	KT_ASSERT(t, this_cpu()->fault_expect == NULL);
}
KTEST_REGISTER(test_fault_not_taken_disarms);
