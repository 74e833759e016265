/*
 * park.c - ParkSpace in the kernel: the one waiter queue and its lock, key derivation from the
 * caller's mapping under its address-space lock (never from the raw address), the blocking
 * wait on the thread's preallocated waiter, wake, and the failure of the waiters of a mapping
 * that goes away. See mm/park.h for the lock order and docs/architecture/shared-memory.md for why this
 * is a validation critical section rather than a pin.
 */
#include <arch/mmu.h>
#include <lib/assert.h>
#include <mm/aspace.h>
#include <mm/memobj.h>
#include <mm/park.h>
#include <mm/phys.h>
#include <mm/vm.h>
#include <proc/process.h>
#include <proc/thread.h>

static struct spinlock park_lock = SPINLOCK_INIT("park");
static struct park_queue park_q; /* every waiting thread's node, under park_lock */
static unsigned park_waiting;    /* park_q.count, readable without the lock */
#ifdef CAPOS_DEBUG
static void park_test_waker_act(const struct park_key *key);
#endif

/*
 * Derive the key of the word at va and read it. Locks: as->lock (the mapping cannot change
 * until the caller releases it). TLB: none (reads through the kernel's direct map).
 */
static kerr_t park_resolve_locked(struct aspace *as, uint64_t va, struct park_key *key,
				  uint32_t *word)
{
	struct vm_mapid id;
	paddr_t pa;
	unsigned prot;

	KASSERT(spin_held(&as->lock));
	if (aspace_vm_identity_locked(as, va, &id) != KERR_OK || !(id.prot & VM_PROT_READ))
		return KERR_BAD_ADDRESS;
	if (id.object) /* by the object, so every mapping of it names the same word */
		*key = park_key_shared(&id.obj, id.offset + (va & PAGE_MASK));
	else
		*key = park_key_private(&as->ident, va);
	if (id.zero_pending) {
		*word = 0; /* lazily committed, never touched: it reads zero */
		return KERR_OK;
	}
	KASSERT(arch_mmu_query(as->root, PAGE_ALIGN_DOWN(va), &pa, &prot) == KERR_OK);
	*word = __atomic_load_n((const uint32_t *)phys_to_virt(pa + (va & PAGE_MASK)),
				__ATOMIC_SEQ_CST);
	return KERR_OK;
}

/* A waiter was dequeued by a wake or a failure: make its thread runnable. Locks: park_lock. */
static void park_notify(struct park_waiter *w, void *ctx)
{
	uint64_t flags = sched_lock_irqsave();

	(void)ctx;
	sched_wakeup_locked(w);
	sched_unlock_irqrestore(flags);
}

kerr_t park_wait_user(struct aspace *as, uint64_t va, uint32_t expected)
{
	struct park_waiter *w = &thread_current()->park;
	struct park_key key;
	uint32_t word;
	uint64_t flags;
	kerr_t err;

	spin_lock(&as->lock);
	/*
	 * The read of the word, the comparison and the queueing happen under park_lock together
	 * (mm/park.h): a waker changes the word before it takes park_lock to wake, so either it
	 * finds this waiter queued, or this read sees its new value. Reading before taking
	 * park_lock lost wake-ups: the change and the whole wake could fall between the read and
	 * the queueing, and the waiter then slept on a word that had already changed (a SharedBuffer
	 * consumer hung that way in qemu_scenario_park_sbuf).
	 */
	spin_lock(&park_lock);
	err = park_resolve_locked(as, va, &key, &word);
	if (err == KERR_OK && word != expected)
		err = KERR_WOULD_BLOCK;
	if (err != KERR_OK) {
		spin_unlock(&park_lock);
		spin_unlock(&as->lock);
		return err;
	}
#ifdef CAPOS_DEBUG
	park_test_waker_act(&key);
#endif
	park_enqueue(&park_q, w, &key, as->ident.id, va);
	park_waiting = park_q.count;
	spin_unlock(&as->lock); /* queued: an unmap from now on finds and fails it */
	flags = sched_lock_irqsave();
	spin_unlock(&park_lock);
	/* A wake sets the state under park_lock and then needs sched_lock, which we hold until
	 * we sleep: it cannot be lost between the check and the sleep. */
	while (__atomic_load_n(&w->state, __ATOMIC_ACQUIRE) == PARK_WAITING &&
	       !process_current_ending())
		sched_sleep_locked(w);
	sched_unlock_irqrestore(flags);
	spin_lock(&park_lock);
	if (w->state == PARK_WAITING)
		park_cancel(&park_q, w); /* the process is ending: leave the queue ourselves */
	park_waiting = park_q.count;
	err = park_finish(w);
	spin_unlock(&park_lock);
	return err;
}

kerr_t park_wake_user(struct aspace *as, uint64_t va, unsigned count, unsigned *woken)
{
	struct park_key key;
	uint32_t word;
	kerr_t err;

	spin_lock(&as->lock);
	err = park_resolve_locked(as, va, &key, &word);
	if (err == KERR_OK) {
		spin_lock(&park_lock);
		*woken = park_wake(&park_q, &key, count, park_notify, NULL);
		park_waiting = park_q.count;
		spin_unlock(&park_lock);
	}
	spin_unlock(&as->lock);
	return err;
}

unsigned park_mapping_gone_locked(struct aspace *as, uint64_t addr, uint64_t len)
{
	unsigned failed;

	KASSERT(spin_held(&as->lock));
	if (__atomic_load_n(&park_waiting, __ATOMIC_ACQUIRE) == 0)
		return 0; /* a waiter is queued under as->lock, which we hold: none can appear */
	spin_lock(&park_lock);
	failed = park_fail_range(&park_q, as->ident.id, addr, addr + len, KERR_NOT_FOUND,
				 park_notify, NULL);
	park_waiting = park_q.count;
	spin_unlock(&park_lock);
	return failed;
}

unsigned park_wake_key(const struct park_key *key, unsigned count)
{
	unsigned woken;

	spin_lock(&park_lock);
	woken = park_wake(&park_q, key, count, park_notify, NULL);
	park_waiting = park_q.count;
	spin_unlock(&park_lock);
	return woken;
}

unsigned park_waiting_count(void)
{
	return __atomic_load_n(&park_waiting, __ATOMIC_RELAXED);
}

#ifdef CAPOS_DEBUG
static struct park_test_waker test_waker;

struct park_test_waker *park_test_arm_waker(volatile uint32_t *word, uint32_t value)
{
	test_waker = (struct park_test_waker){ word, value, true, 0, false, 0 };
	return &test_waker;
}

/* The armed waker at a wait's comparison point (park_test_arm_waker()). */
static void park_test_waker_act(const struct park_key *key)
{
	struct park_test_waker *t = &test_waker;

	if (!__atomic_exchange_n(&t->armed, false, __ATOMIC_ACQ_REL))
		return;
	t->acted++;
	__atomic_store_n(t->word, t->value, __ATOMIC_SEQ_CST);
	/* Held by this CPU (the waiter's own critical section) or by another: a waker waits. */
	if (spin_held(&park_lock) || !spin_trylock(&park_lock))
		return;
	t->wake_ran = true;
	t->woken = park_wake(&park_q, key, UINT32_MAX, park_notify, NULL);
	park_waiting = park_q.count;
	spin_unlock(&park_lock);
}
#endif
