/*
 * panic.c - the end of a run: panic(), assertion failures, stack traces and the QEMU exit port.
 */
#include <stdarg.h>
#include <arch/cpu.h>
#include <arch/layout.h>
#include <kern/console.h>
#include <kern/kfault.h>
#include <kern/panic.h>
#include <kern/percpu.h>
#include <kern/printf.h>
#include <lib/assert.h>

static uint32_t panicking;

void qemu_exit(uint8_t code)
{
	outb(0xf4, code);
	irq_disable();
	for (;;)
		cpu_halt();
}

void stack_trace(uint64_t rbp)
{
	kprintf("stack trace (addr2line -e build/kernel/capos.elf):\n");
	for (int depth = 0; depth < 16 && rbp; depth++) {
		/* Only follow frames inside the kernel half, 8-byte aligned. */
		if (rbp < KERNEL_DIRECT_BASE || (rbp & 7))
			break;
		uint64_t *frame = (uint64_t *)rbp;
		uint64_t ret = frame[1];
		if (ret < KERNEL_VMA)
			break;
		kprintf("  #%d %p\n", depth, (void *)ret);
		rbp = frame[0];
	}
}

void panic(const char *fmt, ...)
{
	char buf[256];
	va_list ap;

	irq_disable();
	if (__atomic_exchange_n(&panicking, 1, __ATOMIC_ACQ_REL))
		qemu_exit(QEMU_EXIT_PANIC); /* nested or concurrent panic: the first one reports */
	console_break_lock();
	va_start(ap, fmt);
	kvsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	kprintf("\nPANIC (cpu %u): %s\n", cpu_id(), buf);
	stack_trace(read_rbp());
	kprintf("capOS: panic, exit code 0x%x\n", QEMU_EXIT_PANIC);
	qemu_exit(QEMU_EXIT_PANIC);
}

/* The kernel's assertion hook (lib/assert.h): an assertion failure is a kernel panic. */
void capos_assert_fail(const char *expr, const char *file, int line)
{
	kfault_recover_assert(expr); /* returns unless a kernel test expected this assertion */
	panic("assertion failed: %s at %s:%d", expr, file, line);
}
