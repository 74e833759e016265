/*
 * trap.c - CPU exceptions: expected faults resume, everything else is reported (vector, error
 * code, RIP, CR2, registers, frame-pointer stack trace) and ends the run with the panic code.
 */
#include <arch/cpu.h>
#include <arch/cpuprot.h>
#include <arch/trap.h>
#include <kern/console.h>
#include <kern/entry.h>
#include <kern/kfault.h>
#include <kern/panic.h>
#include <kern/percpu.h>
#include <kern/printf.h>

static const char *const exception_names[32] = {
	"divide error", "debug", "NMI", "breakpoint", "overflow", "bound range",
	"invalid opcode", "device not available", "double fault", "coprocessor overrun",
	"invalid TSS", "segment not present", "stack fault", "general protection",
	"page fault", "reserved", "x87 floating point", "alignment check", "machine check",
	"SIMD floating point", "virtualization", "control protection",
};

void trap_report_and_panic(const struct trap_frame *tf)
{
	static uint32_t reporting;
	const char *name = exception_names[tf->vector & 31];

	irq_disable();
	if (__atomic_exchange_n(&reporting, 1, __ATOMIC_ACQ_REL))
		panic("nested exception %lu", tf->vector);
	console_break_lock();
	kprintf("\nEXCEPTION on cpu %u: vector %lu (%s) error 0x%lx\n", cpu_id(), tf->vector,
		name ? name : "reserved", tf->error);
	kprintf("  RIP %p  CS 0x%lx  RFLAGS 0x%lx  RSP %p  CR2 %p\n", (void *)tf->rip, tf->cs,
		tf->rflags, (void *)tf->rsp, (void *)read_cr2());
	kprintf("  RAX %016lx RBX %016lx RCX %016lx RDX %016lx\n", tf->rax, tf->rbx, tf->rcx,
		tf->rdx);
	kprintf("  RSI %016lx RDI %016lx RBP %016lx R8  %016lx\n", tf->rsi, tf->rdi, tf->rbp,
		tf->r8);
	kprintf("  at %p\n", (void *)tf->rip);
	if (tf->vector == VEC_PF && cpu_pf_defect(tf->error, read_cr2()))
		kprintf("  DEFECT: %s at %p\n", cpu_pf_defect(tf->error, read_cr2()), (void *)read_cr2());
	stack_trace(tf->rbp);
	panic("unhandled exception %lu (%s) at %p", tf->vector, name ? name : "reserved",
	      (void *)tf->rip);
}

void arch_page_fault(struct trap_frame *tf)
{
	if (kfault_recover(tf))
		return; /* a kernel test expected it */
	/* From ring 3: fills a lazily committed page and returns, or ends the process. */
	if ((tf->cs & 3) && kernel_page_fault(tf))
		return;
	trap_report_and_panic(tf);
}

void trap_exception(struct trap_frame *tf)
{
	if (tf->vector == VEC_PF) {
		arch_page_fault(tf);
		return;
	}
	if (kfault_recover(tf))
		return;
	if (tf->cs & 3)
		kernel_user_fault(tf); /* user fault: the process ends, the kernel goes on */
	trap_report_and_panic(tf);
}
