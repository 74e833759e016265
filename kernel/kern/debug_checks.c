/*
 * debug_checks.c - kernel/lib invariant checkers run at system-call exit in debug kernels
 * (kern/debug_checks.h). Each checker runs under the lock that protects what it reads.
 */
#include <kern/debug_checks.h>
#include <kern/panic.h>
#include <lib/captable.h>
#include <lib/ledger.h>
#include <lib/vmspace.h>
#include <mm/acct.h>
#include <mm/aspace.h>
#include <mm/frame.h>
#include <proc/process.h>
#include <proc/thread.h>

static uint64_t calls;
static uint64_t rounds;

uint64_t debug_checks_count(void)
{
	return __atomic_load_n(&rounds, __ATOMIC_RELAXED);
}

#ifdef CAPOS_DEBUG
static void check_process(struct process *p)
{
	unsigned bad;
	bool ok;

	spin_lock(&p->lock);
	bad = captable_check(&p->caps);
	spin_unlock(&p->lock);
	if (bad)
		panic("debug check: process %u capability table violates I%u", p->id, bad);
	spin_lock(&p->as->lock);
	ok = vmspace_check(&p->as->vm);
	spin_unlock(&p->as->lock);
	if (!ok)
		panic("debug check: process %u address space fails vmspace_check()", p->id);
	for (struct acct *a = p->as->acct; a; a = a->parent) {
		spin_lock(&a->lock);
		ok = ledger_check(&a->led);
		spin_unlock(&a->lock);
		if (!ok)
			panic("debug check: process %u ledger %p fails ledger_check()", p->id, a);
	}
}
#endif

void debug_checks_syscall_exit(void)
{
#ifdef CAPOS_DEBUG
	struct process *p = thread_current()->owner;

	if (__atomic_add_fetch(&calls, 1, __ATOMIC_RELAXED) % DEBUG_CHECKS_EVERY != 0 || !p)
		return;
	check_process(p); /* p is live: the calling thread has not left it */
	if (frame_free_count() > frame_total_count())
		panic("debug check: %lu free frames of %lu", (unsigned long)frame_free_count(),
		      (unsigned long)frame_total_count());
	__atomic_add_fetch(&rounds, 1, __ATOMIC_RELAXED);
#else
	(void)calls;
#endif
}
