/*
 * selftest.c - `selftest=panic|triplefault|hang|fail` on the command line provokes each run
 * outcome on purpose, so the tests of ci/qemu-run can show it tells them apart;
 * `selftest=stackoverflow` overflows a thread's kernel stack into its guard page, which must
 * end in a double fault reported from the IST stack (a panic).
 */
#include <arch/cpu.h>
#include <arch/layout.h>
#include <kern/cmdline.h>
#include <kern/ktest.h>
#include <kern/printf.h>
#include <kern/selftest.h>
#include <kern/string.h>
#include <proc/thread.h>

static void selftest_triple_fault(void)
{
	struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) empty = { 0, 0 };

	/* No IDT: the breakpoint cannot be delivered (#GP), nor can the #GP (#DF), nor the #DF:
	 * the CPU shuts down, and QEMU under -no-reboot exits 0. */
	__asm__ volatile("lidt %0; int3" : : "m"(empty));
}

static void selftest_unmapped_write(void)
{
	/* Nothing is mapped at the start of the vmap area: a kernel page fault. */
	*(volatile uint64_t *)(KERNEL_VMAP_BASE + 0x5000) = 0xdead;
}

/* Recursion bounded only by the stack (limit far beyond 16 KiB); the volatile frame keeps the
 * compiler from turning it into a loop. */
static unsigned selftest_recurse(unsigned depth, unsigned limit)
{
	volatile uint8_t frame[256];

	frame[0] = (uint8_t)depth;
	if (depth == limit)
		return frame[0];
	return selftest_recurse(depth + 1, limit) + frame[0];
}

static void selftest_overflow_thread(void *arg)
{
	kprintf("selftest: recursing on a guarded kernel stack\n");
	kprintf("selftest: not reached (%u)\n", selftest_recurse(0, 1u << 20));
}

static void selftest_stack_overflow(void)
{
	struct thread *t;

	if (thread_create(selftest_overflow_thread, NULL, NULL, &t) != KERR_OK)
		return;
	thread_join(t); /* never returns: the overflow ends the run */
}

bool selftest_run(char *ktest_glob, size_t size)
{
	char what[32];

	if (!cmdline_value("selftest", what, sizeof(what)))
		return false;
	kprintf("selftest: %s\n", what);
	if (!strcmp(what, "panic")) {
		selftest_unmapped_write();
	} else if (!strcmp(what, "triplefault")) {
		irq_disable();
		selftest_triple_fault();
	} else if (!strcmp(what, "hang")) {
		irq_disable();
		for (;;)
			cpu_halt();
	} else if (!strcmp(what, "stackoverflow")) {
		selftest_stack_overflow();
	} else if (!strcmp(what, "fail")) {
		ksnprintf(ktest_glob, size, "test_selftest_fails_deliberately");
		return true;
	}
	kprintf("selftest: unknown selftest '%s' (panic|triplefault|hang|fail)\n", what);
	ksnprintf(ktest_glob, size, "<no test: unknown selftest>");
	return true;
}

/* The failing test behind selftest=fail: never selected otherwise. */
static void test_selftest_fails_deliberately(struct ktest_ctx *t)
{
	ktest_fail(t, __FILE__, __LINE__, "deliberate failure (selftest=fail)");
}
KTEST_REGISTER_EXPLICIT(test_selftest_fails_deliberately);
