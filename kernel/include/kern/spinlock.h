/**
 * @file
 * @brief Spinlocks that know their holder: recursive acquire and foreign release are caught.
 */
#ifndef CAPOS_KERN_SPINLOCK_H
#define CAPOS_KERN_SPINLOCK_H

#include <lib/types.h>

/**
 * @brief A test-and-set spinlock with holder tracking.
 *
 * Invariants:
 *   I1. locked == 1 iff some CPU holds the lock; then holder is that CPU's id, else -1.
 *   I2. Only the holder releases it (spin_unlock asserts), and a CPU never re-acquires a lock
 *       it holds (spin_lock asserts: that would deadlock).
 * Locking: the lock word is changed only by atomic exchange (acquire) and release stores.
 * States: free <-> held(cpu).
 */
struct spinlock {
	uint32_t locked;  /**< 0 free, 1 held. */
	int32_t holder;   /**< cpu_id() of the holder, -1 when free. */
	const char *name; /**< For assertion messages. */
	uint64_t acquired; /**< Times acquired (statistics, written by the holder). */
};

/** @brief Static initialiser: `struct spinlock l = SPINLOCK_INIT("name");` */
#define SPINLOCK_INIT(n) { 0, -1, (n), 0 }

/** @brief Initialise @p l as free. @param l Lock. @param name Name shown in assertions. */
void spin_init(struct spinlock *l, const char *name);

/**
 * @brief Acquire @p l, spinning. Asserts that this CPU does not already hold it.
 *        Interrupts are left as they are: use spin_lock_irqsave() for locks that interrupt
 *        handlers also take.
 * @param l The lock.
 */
void spin_lock(struct spinlock *l);

/**
 * @brief Release a lock. Asserts that this CPU holds it.
 * @param l The lock.
 */
void spin_unlock(struct spinlock *l);

/**
 * @brief Disable interrupts on this CPU, then acquire @p l.
 * @param l The lock.
 * @return The previous RFLAGS, for spin_unlock_irqrestore().
 */
uint64_t spin_lock_irqsave(struct spinlock *l);

/**
 * @brief Release @p l, then restore the interrupt flag from @p flags.
 * @param l Lock held by this CPU. @param flags Value returned by spin_lock_irqsave().
 */
void spin_unlock_irqrestore(struct spinlock *l, uint64_t flags);

/**
 * @brief Try once to acquire @p l.
 * @param l The lock.
 * @return true when acquired; false when another CPU holds it (asserts it is not this CPU).
 */
bool spin_trylock(struct spinlock *l);

/**
 * @brief Whether this CPU holds a lock (for `_locked` functions' assertions).
 * @param l The lock.
 * @return true when this CPU holds @p l.
 */
bool spin_held(const struct spinlock *l);

#endif /* CAPOS_KERN_SPINLOCK_H */
