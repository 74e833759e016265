/**
 * @file
 * @brief Thin wrappers around x86_64 instructions: port I/O, MSRs, control registers, flags.
 *
 * Each wrapper is one instruction; callers own the locking and the meaning.
 */
#ifndef CAPOS_ARCH_CPU_H
#define CAPOS_ARCH_CPU_H

#include <lib/types.h>

#define MSR_EFER 0xC0000080         /**< Extended feature enables (LME, NXE, SCE). */
#define MSR_STAR 0xC0000081         /**< syscall/sysret segment selectors. */
#define MSR_LSTAR 0xC0000082        /**< syscall entry RIP. */
#define MSR_FMASK 0xC0000084        /**< RFLAGS bits cleared on syscall. */
#define MSR_GS_BASE 0xC0000101      /**< Current GS base (per-CPU data in the kernel). */
#define MSR_KERNEL_GS_BASE 0xC0000102 /**< GS base swapped in by swapgs. */
#define MSR_APIC_BASE 0x1B          /**< Local APIC base and enable bits. */
#define RFLAGS_IF 0x200             /**< Interrupt enable flag. */

/**
 * @brief Write a byte to an I/O port.
 * @param port Port number.
 * @param v Byte to write.
 */
static inline void outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

/**
 * @brief Read a byte from an I/O port.
 * @param port Port number.
 * @return The byte read.
 */
static inline uint8_t inb(uint16_t port)
{
	uint8_t v;
	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

/**
 * @brief Write a 16-bit value to an I/O port.
 * @param port Port number.
 * @param v Value to write.
 */
static inline void outw(uint16_t port, uint16_t v)
{
	__asm__ volatile("outw %0, %1" : : "a"(v), "Nd"(port));
}

/**
 * @brief Read a model-specific register.
 * @param msr Register number (MSR_*).
 * @return Its 64-bit value.
 */
static inline uint64_t rdmsr(uint32_t msr)
{
	uint32_t lo, hi;
	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((uint64_t)hi << 32) | lo;
}

/**
 * @brief Write a model-specific register.
 * @param msr Register number (MSR_*).
 * @param v Value to write.
 */
static inline void wrmsr(uint32_t msr, uint64_t v)
{
	__asm__ volatile("wrmsr" : : "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)));
}

/** @brief Read CR2 (the faulting address of the last page fault). @return CR2. */
static inline uint64_t read_cr2(void)
{
	uint64_t v;
	__asm__ volatile("mov %%cr2, %0" : "=r"(v));
	return v;
}

/** @brief Read CR3 (physical address of the active PML4). @return CR3. */
static inline uint64_t read_cr3(void)
{
	uint64_t v;
	__asm__ volatile("mov %%cr3, %0" : "=r"(v));
	return v;
}

/**
 * @brief Load CR3 (switches address space and flushes non-global TLB entries).
 * @param v Physical address of a PML4.
 */
static inline void write_cr3(uint64_t v)
{
	__asm__ volatile("mov %0, %%cr3" : : "r"(v) : "memory");
}

/** @brief Read the time-stamp counter. @return The TSC. */
static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

/** @brief Read RFLAGS. @return RFLAGS. */
static inline uint64_t read_rflags(void)
{
	uint64_t f;
	__asm__ volatile("pushfq; popq %0" : "=r"(f) : : "memory");
	return f;
}

/** @brief Disable interrupts on this CPU. */
static inline void irq_disable(void)
{
	__asm__ volatile("cli" : : : "memory");
}

/** @brief Enable interrupts on this CPU. */
static inline void irq_enable(void)
{
	__asm__ volatile("sti" : : : "memory");
}

/** @brief True when interrupts are enabled on this CPU. @return IF. */
static inline bool irq_enabled(void)
{
	return (read_rflags() & RFLAGS_IF) != 0;
}

/** @brief Spin-wait hint for busy loops. */
static inline void cpu_relax(void)
{
	__asm__ volatile("pause" : : : "memory");
}

/** @brief Halt until the next interrupt. */
static inline void cpu_halt(void)
{
	__asm__ volatile("hlt" : : : "memory");
}

/** @brief Current frame pointer (start of a stack trace). @return RBP. */
static inline uint64_t read_rbp(void)
{
	uint64_t v;
	__asm__ volatile("mov %%rbp, %0" : "=r"(v));
	return v;
}

#endif /* CAPOS_ARCH_CPU_H */
