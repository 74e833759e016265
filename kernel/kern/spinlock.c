/*
 * spinlock.c - spinlocks that record their holder CPU (see kern/spinlock.h for invariants).
 */
#include <arch/cpu.h>
#include <kern/kfault.h>
#include <kern/panic.h>
#include <kern/percpu.h>
#include <kern/spinlock.h>
#include <kern/witness.h>

void spin_init(struct spinlock *l, const char *name)
{
	l->locked = 0;
	l->holder = -1;
	l->name = name;
	l->acquired = 0;
}

static void spin_check_not_held(const struct spinlock *l)
{
	if (__atomic_load_n(&l->holder, __ATOMIC_RELAXED) == (int32_t)cpu_id()) {
		kfault_recover_assert("spinlock recursive acquire"); /* a test expected it */
		panic("spinlock %s: recursive acquire on cpu %u", l->name, cpu_id());
	}
}

bool spin_trylock(struct spinlock *l)
{
	spin_check_not_held(l);
	if (__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE) != 0)
		return false;
	l->holder = (int32_t)cpu_id();
	l->acquired++;
	witness_lock_acquired(l);
	return true;
}

void spin_lock(struct spinlock *l)
{
	spin_check_not_held(l);
	for (;;) {
		if (__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE) == 0)
			break;
		/* Wait on a plain load so the cache line is not bounced by the exchange. */
		while (__atomic_load_n(&l->locked, __ATOMIC_RELAXED))
			cpu_relax();
	}
	l->holder = (int32_t)cpu_id();
	l->acquired++;
	witness_lock_acquired(l);
}

void spin_unlock(struct spinlock *l)
{
	if (l->holder != (int32_t)cpu_id()) {
		kfault_recover_assert("spinlock foreign release"); /* a test expected it */
		panic("spinlock %s: released by cpu %u, held by %d", l->name, cpu_id(),
		      (int)l->holder);
	}
	witness_lock_releasing(l); /* after the holder check, which a kernel test may expect */
	__atomic_store_n(&l->holder, -1, __ATOMIC_RELAXED);
	__atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
}

uint64_t spin_lock_irqsave(struct spinlock *l)
{
	uint64_t flags = read_rflags();

	irq_disable();
	spin_lock(l);
	return flags;
}

void spin_unlock_irqrestore(struct spinlock *l, uint64_t flags)
{
	spin_unlock(l);
	if (flags & RFLAGS_IF)
		irq_enable();
}

bool spin_held(const struct spinlock *l)
{
	return __atomic_load_n(&l->locked, __ATOMIC_RELAXED) &&
	       __atomic_load_n(&l->holder, __ATOMIC_RELAXED) == (int32_t)cpu_id();
}
