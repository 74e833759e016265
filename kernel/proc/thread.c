/*
 * thread.c - thread creation, first run, exit and join, and the thread state machine.
 */
#include <arch/cpu.h>
#include <arch/trap.h>
#include <kern/compiler.h>
#include <kern/panic.h>
#include <kern/percpu.h>
#include <lib/assert.h>
#include <mm/aspace.h>
#include <mm/kheap.h>
#include <mm/kstack.h>
#include <proc/sched_priv.h>
#include <proc/thread.h>

#define IDLE_STACK_SIZE 8192
/* A new thread's first RFLAGS: reserved bit 1 only (interrupts stay off until
 * thread_entry_c() drops sched_lock). */
#define THREAD_INITIAL_RFLAGS 0x2
#define USER_FRAME_RESERVE 192 /* >= sizeof(struct trap_frame), 16-byte multiple */

extern char thread_first_run[];

_Static_assert(USER_FRAME_RESERVE >= sizeof(struct trap_frame), "user frame reserve");

static unsigned next_tid = 1;
static unsigned live_threads;
static struct thread bsp_idle;

/* Edges: legal[from] has bit `to`. */
static const uint8_t legal[THREAD_STATE_COUNT] = {
	[THREAD_NEW] = (1u << THREAD_RUNNABLE) | (1u << THREAD_RUNNING),
	[THREAD_RUNNABLE] = 1u << THREAD_RUNNING,
	[THREAD_RUNNING] = (1u << THREAD_RUNNABLE) | (1u << THREAD_BLOCKED) | (1u << THREAD_EXITED),
	[THREAD_BLOCKED] = 1u << THREAD_RUNNABLE,
	[THREAD_EXITED] = 0,
};

void thread_transition(struct thread *t, enum thread_state from, enum thread_state to)
{
	DASSERT(t->state == from);
	DASSERT(from < THREAD_STATE_COUNT && to < THREAD_STATE_COUNT && ((legal[from] >> to) & 1));
	t->state = (uint8_t)to;
}

static void thread_register_locked(struct thread *t)
{
	KASSERT(spin_held(&sched_lock));
	t->id = next_tid++;
	t->all_next = all_threads;
	all_threads = t;
}

void sched_init_cpu(struct thread *boot, bool is_idle)
{
	struct cpu *c = this_cpu();
	uint64_t flags = sched_lock_irqsave();

	thread_transition(boot, THREAD_NEW, THREAD_RUNNING); /* it is running already */
	boot->idle = is_idle;
	boot->cpu = c->id;
	boot->ran_on = (cpumask_t)1 << c->id;
	boot->kstack_top = c->kstack_top;
	thread_register_locked(boot);
	c->current = boot;
	c->idle = is_idle ? boot : NULL;
	sched_unlock_irqrestore(flags);
}

/* The boot CPU's idle thread, on a static stack: the boot context itself runs kmain. */
void sched_init_bsp_idle(void)
{
	static uint8_t stack[IDLE_STACK_SIZE] __aligned(16);
	uint64_t *sp = (uint64_t *)&stack[IDLE_STACK_SIZE];
	uint64_t flags;

	bsp_idle.idle = true;
	thread_transition(&bsp_idle, THREAD_NEW, THREAD_RUNNABLE); /* never queued (I1) */
	bsp_idle.kstack_top = (uint64_t)sp;
	bsp_idle.fn = NULL;
	*--sp = 0;
	*--sp = (uint64_t)thread_first_run;
	*--sp = THREAD_INITIAL_RFLAGS;
	for (int i = 0; i < 6; i++)
		*--sp = 0;
	bsp_idle.saved_rsp = (uint64_t)sp;
	flags = sched_lock_irqsave();
	thread_register_locked(&bsp_idle);
	this_cpu()->idle = &bsp_idle;
	sched_unlock_irqrestore(flags);
}

/* First C code of a new thread: sched_lock is held by the switch that brought us here. */
void thread_entry_c(void);
void thread_entry_c(void)
{
	struct thread *t = thread_current();

	spin_unlock(&sched_lock);
	irq_enable();
	if (t->idle)
		sched_idle_loop();
	t->fn(t->arg);
	thread_exit(0);
}

kerr_t thread_create_stopped(void (*fn)(void *), void *arg, struct aspace *as,
			     struct thread **out)
{
	struct thread *t = kmalloc(sizeof(*t));
	vaddr_t top;
	kerr_t err;
	uint64_t *sp, flags;

	if (!t)
		return KERR_NO_MEMORY;
	err = kstack_alloc(&top);
	if (err != KERR_OK) {
		kfree(t);
		return err;
	}
	t->kstack_top = top;
	t->refs = 1; /* the creator's (I5) */
	t->fn = fn;
	t->arg = arg;
	t->as = as;
	if (as)
		aspace_get(as);
	/* The stack switch_context() pops: six callee-saved registers, RFLAGS, then the return
	 * address. The top USER_FRAME_RESERVE bytes stay free for the ring-3 frame of a user
	 * thread. */
	sp = (uint64_t *)(top - USER_FRAME_RESERVE);
	*--sp = 0;
	*--sp = (uint64_t)thread_first_run;
	*--sp = THREAD_INITIAL_RFLAGS;
	for (int i = 0; i < 6; i++)
		*--sp = 0;
	t->saved_rsp = (uint64_t)sp;
	flags = sched_lock_irqsave();
	thread_register_locked(t);
	live_threads++;
	sched_unlock_irqrestore(flags);
	*out = t;
	return KERR_OK;
}

void thread_start(struct thread *t)
{
	uint64_t flags = sched_lock_irqsave();

	thread_transition(t, THREAD_NEW, THREAD_RUNNABLE);
	sched_enqueue_locked(t);
	sched_unlock_irqrestore(flags);
}

kerr_t thread_create(void (*fn)(void *), void *arg, struct aspace *as, struct thread **out)
{
	kerr_t err = thread_create_stopped(fn, arg, as, out);

	if (err == KERR_OK)
		thread_start(*out);
	return err;
}

void thread_exit(uint64_t value)
{
	struct thread *t = thread_current();

	KASSERT(!t->idle);
	sched_lock_irqsave();
	t->exit_value = value;
	thread_transition(t, THREAD_RUNNING, THREAD_EXITED);
	sched_wakeup_locked(t);
	sched_switch_locked();
	panic("exited thread %u ran again", t->id);
}

static void thread_unlink_locked(struct thread *t)
{
	KASSERT(spin_held(&sched_lock));
	for (struct thread **pp = &all_threads; *pp; pp = &(*pp)->all_next) {
		if (*pp == t) {
			*pp = t->all_next;
			return;
		}
	}
	KASSERT(!"thread not on all_threads");
}

void thread_reap(struct thread *t)
{
	uint64_t flags;

	KASSERT(t != thread_current() && !t->idle);
	flags = sched_lock_irqsave();
	while (t->state != THREAD_EXITED)
		sched_sleep_locked(t);
	thread_unlink_locked(t);
	live_threads--;
	sched_unlock_irqrestore(flags);
	/* I3: t switched off its stack before we could take sched_lock. */
	kstack_free(t->kstack_top);
	t->kstack_top = 0;
	if (t->as)
		aspace_put(t->as);
	t->as = NULL;
}

void thread_get(struct thread *t)
{
	KASSERT(__atomic_add_fetch(&t->refs, 1, __ATOMIC_RELAXED) > 1);
}

void thread_put(struct thread *t)
{
	if (__atomic_sub_fetch(&t->refs, 1, __ATOMIC_ACQ_REL) == 0)
		thread_free(t);
}

void thread_free(struct thread *t)
{
	KASSERT(t->state == THREAD_EXITED && t->kstack_top == 0);
	kfree(t);
}

uint64_t thread_join(struct thread *t)
{
	uint64_t value;

	thread_reap(t);
	value = t->exit_value;
	thread_free(t);
	return value;
}

void thread_discard(struct thread *t)
{
	uint64_t flags = sched_lock_irqsave();

	KASSERT(t->state == THREAD_NEW);
	thread_unlink_locked(t);
	live_threads--;
	sched_unlock_irqrestore(flags);
	kstack_free(t->kstack_top);
	if (t->as)
		aspace_put(t->as);
	kfree(t);
}

unsigned thread_live_count(void)
{
	return __atomic_load_n(&live_threads, __ATOMIC_RELAXED);
}
