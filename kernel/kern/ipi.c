/*
 * ipi.c - ipi_call(): one system-wide call slot, a vector, and an acknowledgement counter.
 */
#include <arch/apic.h>
#include <arch/cpu.h>
#include <arch/trap.h>
#include <kern/ipi.h>
#include <kern/percpu.h>
#include <kern/spinlock.h>
#include <lib/assert.h>

/*
 * The call slot.
 * Invariants:
 *   I1. fn/arg are written only by the holder of call_lock, before any IPI of the call.
 *   I2. pending == number of targeted remote CPUs that have not finished fn; the caller
 *       returns (and releases call_lock) only at pending == 0, so the slot is never
 *       overwritten while a target still reads it.
 * Locking: call_lock, taken with interrupts enabled (a waiter still serves incoming calls).
 */
static struct spinlock call_lock = SPINLOCK_INIT("ipi_call");
static void (*call_fn)(void *);
static void *call_arg;
static uint32_t pending;

cpumask_t cpumask_all(void)
{
	cpumask_t m = 0;

	for (unsigned i = 0; i < ncpus; i++)
		if (__atomic_load_n(&cpus[i].online, __ATOMIC_ACQUIRE))
			m |= (cpumask_t)1 << i;
	return m;
}

static void ipi_call_irq(struct trap_frame *tf)
{
	void (*fn)(void *) = __atomic_load_n(&call_fn, __ATOMIC_ACQUIRE);

	fn(call_arg);
	this_cpu()->ipi_calls++;
	lapic_eoi();
	__atomic_sub_fetch(&pending, 1, __ATOMIC_RELEASE);
}

void ipi_init(void)
{
	irq_register(VEC_IPI_CALL, ipi_call_irq);
}

void ipi_call(cpumask_t mask, void (*fn)(void *arg), void *arg)
{
	unsigned self = cpu_id();
	uint32_t remote = 0;

	KASSERT(irq_enabled());
	KASSERT((mask & ~cpumask_all()) == 0);
	spin_lock(&call_lock);
	call_arg = arg;
	__atomic_store_n(&call_fn, fn, __ATOMIC_RELEASE);
	for (unsigned i = 0; i < ncpus; i++)
		remote += i != self && (mask >> i) & 1;
	__atomic_store_n(&pending, remote, __ATOMIC_RELEASE);
	for (unsigned i = 0; i < ncpus; i++)
		if (i != self && (mask >> i) & 1)
			lapic_send_ipi(cpus[i].apic_id, VEC_IPI_CALL);
	if ((mask >> self) & 1) {
		irq_disable();
		fn(arg);
		this_cpu()->ipi_calls++;
		irq_enable();
	}
	while (__atomic_load_n(&pending, __ATOMIC_ACQUIRE) != 0)
		cpu_relax();
	spin_unlock(&call_lock);
}
