/**
 * @file
 * @brief Per-CPU data, reached through the GS base: this_cpu(), cpu_id(), the CPU table.
 */
#ifndef CAPOS_KERN_PERCPU_H
#define CAPOS_KERN_PERCPU_H

#define PERCPU_OFF_KSTACK_TOP 8 /**< offsetof(struct cpu, kstack_top), for syscall.S. */
#define PERCPU_OFF_USER_RSP 16  /**< offsetof(struct cpu, user_rsp), for syscall.S. */

#ifndef __ASSEMBLER__
#include <stddef.h>
#include <lib/types.h>

#define MAX_CPUS 16 /**< Most CPUs the kernel brings up; more are ignored with a message. */

struct kfault_expect;
struct thread;
struct aspace;

/**
 * @brief One CPU's private data. GS base points at it while the CPU runs kernel code.
 *
 * Invariants:
 *   I1. self == this struct; id == its index in cpus[]; ids are dense from 0 (0 = boot CPU).
 *   I2. online becomes true once, when the CPU finished its own setup and enabled interrupts;
 *       it never goes back (no CPU hotplug).
 *   I3. fault_expect is non-NULL only while a kernel test on this CPU armed an expected fault.
 * Locking: fields are written only by the owning CPU, except apic_id/id/kstack_top (written
 *   by the boot CPU before the AP starts) and online (read by others with acquire loads).
 * States: absent -> starting (SIPI sent) -> online.
 */
struct cpu {
	struct cpu *self;                   /**< Must stay first: this_cpu() reads %gs:0. */
	uint64_t kstack_top;                /**< Kernel stack top of the running thread (syscall). */
	uint64_t user_rsp;                  /**< Scratch: user RSP during syscall entry. */
	unsigned id;                        /**< Dense logical id (cpu_id()). */
	uint32_t apic_id;                   /**< Local APIC id from the MADT. */
	bool online;                        /**< Set when the CPU runs with interrupts on (I2). */
	struct thread *current;             /**< Thread running here (never NULL once scheduling). */
	struct thread *idle;                /**< This CPU's idle thread (never on the run queue). */
	struct aspace *aspace;              /**< User address space loaded in CR3, NULL = kernel. */
	struct kfault_expect *fault_expect; /**< Armed expected fault (kernel tests), or NULL. */
	uint64_t timer_ticks;               /**< LAPIC timer interrupts taken. */
	uint64_t ipi_calls;                 /**< ipi_call() functions run on this CPU. */
};

extern struct cpu cpus[MAX_CPUS]; /**< Every CPU's data; ncpus entries are valid. */
extern unsigned ncpus;            /**< CPUs found in the MADT (and started). */

/** @brief This CPU's data (valid after percpu_init()). @return Pointer into cpus[]. */
static inline struct cpu *this_cpu(void)
{
	struct cpu *c;
	__asm__ volatile("movq %%gs:0, %0" : "=r"(c));
	return c;
}

/** @brief This CPU's dense id (0 = boot CPU). @return The id. */
static inline unsigned cpu_id(void)
{
	unsigned id;
	__asm__ volatile("movl %%gs:%c1, %0" : "=r"(id) : "i"(offsetof(struct cpu, id)));
	return id;
}

/**
 * @brief Point this CPU's GS base at cpus[id] and fill self/id. Called first thing on every
 *        CPU (the boot CPU from kmain, APs from their entry).
 * @param id The dense id of the calling CPU.
 */
void percpu_init(unsigned id);

/** @brief Number of CPUs marked online. @return Count. */
unsigned cpus_online(void);

#endif /* __ASSEMBLER__ */
#endif /* CAPOS_KERN_PERCPU_H */
