/*
 * sched.c - the scheduler: one global run queue (FIFO) under sched_lock, served by every CPU;
 * context switches with the address-space switch and TSS.RSP0 update; sleep/wakeup.
 * Kernel code is never preempted; user mode is preempted on the timer tick.
 */
#include <arch/cpu.h>
#include <arch/trap.h>
#include <kern/panic.h>
#include <kern/percpu.h>
#include <kern/spinlock.h>
#include <lib/assert.h>
#include <mm/aspace.h>
#include <proc/process.h>
#include <proc/sched_priv.h>
#include <proc/thread.h>

struct spinlock sched_lock = SPINLOCK_INIT("sched");
struct thread *all_threads;   /* every thread not yet joined, under sched_lock */
static struct thread *rq_head, *rq_tail;

void switch_context(uint64_t *save_rsp, uint64_t new_rsp);

uint64_t sched_lock_irqsave(void)
{
	return spin_lock_irqsave(&sched_lock);
}

void sched_unlock_irqrestore(uint64_t flags)
{
	spin_unlock_irqrestore(&sched_lock, flags);
}

struct thread *thread_current(void)
{
	return this_cpu()->current;
}

void sched_enqueue_locked(struct thread *t)
{
	KASSERT(spin_held(&sched_lock));
	KASSERT(t->state == THREAD_RUNNABLE && !t->idle);
	t->rq_next = NULL;
	if (rq_tail)
		rq_tail->rq_next = t;
	else
		rq_head = t;
	rq_tail = t;
}

/* The first queued thread allowed on this CPU (FIFO otherwise). */
static struct thread *sched_dequeue_locked(void)
{
	unsigned me = cpu_id();
	struct thread *prev = NULL;

	KASSERT(spin_held(&sched_lock));
	for (struct thread *t = rq_head; t; prev = t, t = t->rq_next) {
		if (t->pinned && t->pin_cpu != me)
			continue;
		if (prev)
			prev->rq_next = t->rq_next;
		else
			rq_head = t->rq_next;
		if (rq_tail == t)
			rq_tail = prev;
		t->rq_next = NULL;
		return t;
	}
	return NULL;
}

bool sched_runnable_locked(void)
{
	unsigned me = cpu_id();

	KASSERT(spin_held(&sched_lock));
	for (struct thread *t = rq_head; t; t = t->rq_next)
		if (!t->pinned || t->pin_cpu == me)
			return true;
	return false;
}

void thread_pin_current(void)
{
	uint64_t flags = sched_lock_irqsave();
	struct thread *t = thread_current();

	t->pin_cpu = cpu_id();
	t->pinned = true;
	sched_unlock_irqrestore(flags);
}

/*
 * Switch from the current thread (already moved out of RUNNING by the caller, or the idle
 * thread) to the next runnable one, or to this CPU's idle thread. sched_lock is held across
 * the switch and released by whichever thread runs next (I3 of struct thread).
 */
void sched_switch_locked(void)
{
	struct cpu *c = this_cpu();
	struct thread *prev = c->current, *next = sched_dequeue_locked();

	KASSERT(spin_held(&sched_lock) && !irq_enabled());
	if (!next)
		next = c->idle;
	if (next == prev) {
		thread_transition(prev, THREAD_RUNNABLE, THREAD_RUNNING);
		return;
	}
	thread_transition(next, THREAD_RUNNABLE, THREAD_RUNNING);
	next->cpu = c->id;
	next->ran_on |= (cpumask_t)1 << c->id;
	c->current = next;
	c->kstack_top = next->kstack_top;
	tss_set_rsp0(next->kstack_top);
	aspace_switch(next->as);
	switch_context(&prev->saved_rsp, next->saved_rsp);
	/* Back in prev, possibly on another CPU; sched_lock is held again. */
}

void sched_yield(void)
{
	uint64_t flags = sched_lock_irqsave();
	struct thread *t = thread_current();

	if (sched_runnable_locked()) {
		thread_transition(t, THREAD_RUNNING, THREAD_RUNNABLE);
		if (!t->idle)
			sched_enqueue_locked(t);
		sched_switch_locked();
	}
	sched_unlock_irqrestore(flags);
}

void sched_tick(bool from_user)
{
	if (!from_user)
		return; /* kernel code is not preempted */
	sched_yield();
	process_check_killed();
}

void sched_sleep_locked(const void *chan)
{
	struct thread *t = thread_current();

	KASSERT(spin_held(&sched_lock) && !t->idle);
	t->wait_chan = chan;
	thread_transition(t, THREAD_RUNNING, THREAD_BLOCKED);
	sched_switch_locked();
	t->wait_chan = NULL;
}

void sched_wake_thread_locked(struct thread *t)
{
	KASSERT(spin_held(&sched_lock));
	if (t->state == THREAD_BLOCKED) {
		thread_transition(t, THREAD_BLOCKED, THREAD_RUNNABLE);
		sched_enqueue_locked(t);
	}
}

void sched_wakeup_locked(const void *chan)
{
	KASSERT(spin_held(&sched_lock));
	for (struct thread *t = all_threads; t; t = t->all_next) {
		if (t->state == THREAD_BLOCKED && t->wait_chan == chan) {
			thread_transition(t, THREAD_BLOCKED, THREAD_RUNNABLE);
			sched_enqueue_locked(t);
		}
	}
}

void sched_idle_loop(void)
{
	for (;;) {
		uint64_t flags = sched_lock_irqsave();
		if (sched_runnable_locked()) {
			struct thread *idle = thread_current();
			thread_transition(idle, THREAD_RUNNING, THREAD_RUNNABLE);
			sched_switch_locked();
		}
		(void)flags; /* idle always runs with interrupts enabled: sti below restores them */
		spin_unlock(&sched_lock);
		/* sti; hlt back to back: a wake-up interrupt cannot slip in between. */
		__asm__ volatile("sti; hlt" : : : "memory");
	}
}
