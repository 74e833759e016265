/**
 * @file
 * @brief Descriptor tables (GDT, TSS, IDT), the trap frame and interrupt vector numbers.
 */
#ifndef CAPOS_ARCH_TRAP_H
#define CAPOS_ARCH_TRAP_H

#include <lib/types.h>

#define GDT_KCODE 0x08 /**< Kernel code selector. */
#define GDT_KDATA 0x10 /**< Kernel data selector. */
#define GDT_UDATA 0x1b /**< User data selector (RPL 3); sysret's SS. */
#define GDT_UCODE 0x23 /**< User 64-bit code selector (RPL 3); sysret's CS. */
#define GDT_TSS 0x28   /**< TSS selector (16-byte descriptor). */

#define VEC_DE 0   /**< Divide error. */
#define VEC_NMI 2  /**< Non-maskable interrupt (IST 2). */
#define VEC_BP 3   /**< Breakpoint. */
#define VEC_UD 6   /**< Invalid opcode. */
#define VEC_DF 8   /**< Double fault (IST 1). */
#define VEC_GP 13  /**< General protection. */
#define VEC_PF 14  /**< Page fault. */
#define VEC_MC 18  /**< Machine check (IST 1). */
#define VEC_TIMER 0x20     /**< LAPIC timer. */
#define VEC_IPI_CALL 0xf0  /**< ipi_call() request. */
#define VEC_SPURIOUS 0xff  /**< LAPIC spurious vector. */

#define PF_ERR_PRESENT 0x1 /**< Page fault on a present page (protection violation). */
#define PF_ERR_WRITE 0x2   /**< Page fault on a write. */
#define PF_ERR_USER 0x4    /**< Page fault in user mode. */
#define PF_ERR_FETCH 0x10  /**< Page fault on an instruction fetch. */

/** @brief Registers saved by the interrupt entry stubs (isr.S), lowest address first. */
struct trap_frame {
	uint64_t r15;  /**< Saved R15. */
	uint64_t r14;  /**< Saved R14. */
	uint64_t r13;  /**< Saved R13. */
	uint64_t r12;  /**< Saved R12. */
	uint64_t r11;  /**< Saved R11. */
	uint64_t r10;  /**< Saved R10. */
	uint64_t r9;   /**< Saved R9. */
	uint64_t r8;   /**< Saved R8. */
	uint64_t rbp;  /**< Saved RBP. */
	uint64_t rdi;  /**< Saved RDI. */
	uint64_t rsi;  /**< Saved RSI. */
	uint64_t rdx;  /**< Saved RDX. */
	uint64_t rcx;  /**< Saved RCX. */
	uint64_t rbx;  /**< Saved RBX. */
	uint64_t rax;  /**< Saved RAX. */
	uint64_t vector; /**< Interrupt vector (pushed by the stub). */
	uint64_t error;  /**< CPU error code, or 0 for vectors without one. */
	uint64_t rip;    /**< Interrupted instruction (pushed by the CPU from here on). */
	uint64_t cs;     /**< Interrupted code segment (RPL 3: user mode). */
	uint64_t rflags; /**< Interrupted flags. */
	uint64_t rsp;    /**< Interrupted stack pointer. */
	uint64_t ss;     /**< Interrupted stack segment. */
};

/** @brief Handler of one interrupt vector; runs with interrupts disabled. */
typedef void (*irq_handler_t)(struct trap_frame *tf);

/**
 * @brief Build and load this CPU's GDT and TSS (IST 1 for double fault and machine check, IST 2 for NMI).
 * @param id Dense CPU id (selects the CPU's own tables and IST stacks).
 */
void gdt_init_cpu(unsigned id);

/**
 * @brief Set the stack the CPU switches to on an interrupt from user mode (TSS.RSP0).
 * @param rsp0 Top of the current thread's kernel stack.
 */
void tss_set_rsp0(uint64_t rsp0);

/** @brief Fill the shared IDT (boot CPU, once). */
void idt_init(void);

/** @brief Load the shared IDT on this CPU. */
void idt_load(void);

/**
 * @brief Install @p fn as the handler of @p vector (>= 32). The IDT is shared by all CPUs.
 * @param vector Vector 32..255 not already taken (asserted).
 * @param fn Handler, called with interrupts disabled; it sends the EOI itself.
 */
void irq_register(uint8_t vector, irq_handler_t fn);

/**
 * @brief Called by the entry stubs for every interrupt and exception.
 * @param tf The saved state of the interrupted context (may be changed to resume elsewhere).
 */
void trap_dispatch(struct trap_frame *tf);

/**
 * @brief Handle a CPU exception (vector 0..31): recover an expected fault armed by a
 *        kernel test (kern/kfault.h), otherwise report and panic.
 * @param tf The exception's trap frame.
 */
void trap_exception(struct trap_frame *tf);

/**
 * @brief Handle a page fault: an expected fault of a kernel test resumes; a user-mode fault
 *        ends the faulting process with a FAULT status (there is no demand paging yet); a
 *        kernel fault is reported and panics.
 * @param tf The page fault's trap frame.
 */
void arch_page_fault(struct trap_frame *tf);

/**
 * @brief Report an unexpected exception (vector, error, RIP, CR2, registers, stack trace)
 *        and end the run with the panic code.
 * @param tf The exception's trap frame.
 */
void trap_report_and_panic(const struct trap_frame *tf) __attribute__((noreturn));

#endif /* CAPOS_ARCH_TRAP_H */
