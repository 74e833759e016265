/*
 * selftest.c - `selftest=panic|triplefault|hang|fail` on the command line provokes each run
 * outcome on purpose, so the tests of ci/qemu-run can show it tells them apart.
 */
#include <arch/cpu.h>
#include <arch/layout.h>
#include <kern/cmdline.h>
#include <kern/ktest.h>
#include <kern/printf.h>
#include <kern/selftest.h>
#include <kern/string.h>

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
