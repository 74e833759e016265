/*
 * process.c - process creation from embedded images, exit causes, the reaper that tears
 * exited processes down, and waiting. See proc/process.h for the machine and invariants.
 */
#include <arch/cpu.h>
#include <arch/mmu.h>
#include <arch/trap.h>
#include <arch/user.h>
#include <cap/capobj.h>
#include <cap/sharedbuf.h>
#include <kern/panic.h>
#include <kern/string.h>
#include <lib/assert.h>
#include <mm/acct.h>
#include <mm/aspace.h>
#include <mm/frame.h>
#include <mm/kheap.h>
#include <mm/memobj.h>
#include <mm/phys.h>
#include <mm/vm.h>
#include <proc/elfload.h>
#include <proc/process.h>
#include <proc/sched_priv.h>
#include <proc/thread.h>

/* Rights of the capabilities every process gets to itself. */
#define SELF_PROCESS_RIGHTS (CAP_RIGHT_WAIT | CAP_RIGHT_EXIT | CAP_RIGHT_COPY | CAP_RIGHT_SPAWN)
#define SELF_THREAD_RIGHTS \
	(CAP_RIGHT_WAIT | CAP_RIGHT_EXIT | CAP_RIGHT_COPY | CAP_RIGHT_TRANSFER)
#define SELF_VM_RIGHTS                                                                    \
	(CAP_RIGHT_READ | CAP_RIGHT_WRITE | CAP_RIGHT_EXEC | CAP_RIGHT_MODIFY | CAP_RIGHT_COPY | \
	 CAP_RIGHT_TRANSFER)
#define SELF_LEDGER_RIGHTS (CAP_RIGHT_READ | CAP_RIGHT_COPY | CAP_RIGHT_TRANSFER)

static struct process *reap_head;  /* exiting processes for the reaper, under sched_lock */
static struct thread *reap_threads; /* exited threads (not a process's last), under sched_lock */
static unsigned next_pid = 1;
static unsigned live_processes;

static const uint8_t legal[PROCESS_STATE_COUNT] = {
	[PROCESS_LIVE] = 1u << PROCESS_EXITING,
	[PROCESS_EXITING] = 1u << PROCESS_EXITED,
};

void process_transition(struct process *p, enum process_state from, enum process_state to)
{
	DASSERT(p->state == from);
	DASSERT(from < PROCESS_STATE_COUNT && to < PROCESS_STATE_COUNT && ((legal[from] >> to) & 1));
	p->state = (uint8_t)to;
}

void process_get(struct process *p)
{
	KASSERT(__atomic_add_fetch(&p->refs, 1, __ATOMIC_RELAXED) > 1);
}

_Static_assert(PROCESS_CAP_SLOTS * sizeof(struct cap_slot) <= PAGE_SIZE,
	       "a capability table fits its frame");

/* A capability table gets a frame of its own (FRAME_OWNER_CAPTABLE: ELIG_CAPTABLE, never
 * swapped nor handed to a device, mm/frame.h I7), zeroed by frame_alloc(). */
static struct cap_slot *captable_pages_alloc(void)
{
	paddr_t pa;

	if (frame_alloc(FRAME_OWNER_CAPTABLE, &pa) != KERR_OK)
		return NULL;
	return phys_to_virt(pa);
}

/* Its frame goes back with its kind bit (frame_free() clears it, I7). */
static void captable_pages_free(struct cap_slot *slots)
{
	if (slots)
		frame_free(virt_to_phys(slots));
}

void process_put(struct process *p)
{
	if (__atomic_sub_fetch(&p->refs, 1, __ATOMIC_ACQ_REL) != 0)
		return;
	KASSERT(p->state == PROCESS_EXITED); /* I2: live processes hold their own reference */
	while (p->threads) {
		struct thread *t = p->threads;
		p->threads = t->proc_next;
		thread_put(t); /* the list's; no Thread capability is left (they hold p, I5) */
	}
	captable_pages_free(p->slots);
	kfree(p);
}

/* The start record page, read-only and not executable for the process. */
static kerr_t process_start_info(struct process *p, const char *arg, const cap_handle_t self[4])
{
	struct capos_start_info *si;
	kerr_t err = aspace_map_page(p->as, CAPOS_USER_START_INFO_VA, MMU_READ, &p->start_info);

	if (err != KERR_OK)
		return err;
	si = phys_to_virt(p->start_info);
	si->magic = CAPOS_START_INFO_MAGIC;
	si->abi_version = CAPOS_ABI_VERSION;
	si->process = self[0];
	si->thread = self[1];
	si->vm = self[2];
	si->ledger = self[3];
	si->arg_len = (uint32_t)strlen(arg);
	memcpy(si->arg, arg, si->arg_len + 1);
	return KERR_OK;
}

void process_set_start_caps(struct process *p, const cap_handle_t *h, size_t n)
{
	struct capos_start_info *si = phys_to_virt(p->start_info);

	KASSERT(n <= CAPOS_START_MAX_CAPS && p->state == PROCESS_LIVE);
	si->ncaps = (uint32_t)n;
	for (size_t i = 0; i < n; i++)
		si->caps[i] = h[i];
}

static kerr_t process_stack(struct process *p)
{
	for (unsigned i = 1; i <= CAPOS_USER_STACK_PAGES; i++) {
		kerr_t err = aspace_map_page(p->as, CAPOS_USER_STACK_TOP - i * PAGE_SIZE,
					     MMU_READ | MMU_WRITE, NULL);
		if (err != KERR_OK)
			return err;
	}
	return KERR_OK;
}

/* Table entries: self, own thread, VirtualMemory, Ledger. Cannot fail (empty table). */
static void process_self_caps(struct process *p, struct thread *t, cap_handle_t self[4])
{
	const struct cap c[4] = {
		{ CAP_TYPE_PROCESS, SELF_PROCESS_RIGHTS, (uintptr_t)p },
		{ CAP_TYPE_THREAD, SELF_THREAD_RIGHTS, (uintptr_t)t },
		{ CAP_TYPE_VIRTUAL_MEMORY, SELF_VM_RIGHTS, (uintptr_t)p->as },
		{ CAP_TYPE_LEDGER, SELF_LEDGER_RIGHTS, (uintptr_t)p->as->acct },
	};

	for (int i = 0; i < 4; i++) {
		KASSERT(captable_insert(&p->caps, &c[i], &self[i]) == KERR_OK);
		cap_obj_get(&c[i]); /* I5 for the thread */
	}
}

static kerr_t process_alloc(struct acct *acct, struct process **out)
{
	struct process *p = kmalloc(sizeof(*p));

	if (!p)
		return KERR_NO_MEMORY;
	p->slots = captable_pages_alloc();
	if (!p->slots || aspace_create_acct(acct, &p->as) != KERR_OK) {
		captable_pages_free(p->slots);
		kfree(p);
		return KERR_NO_MEMORY;
	}
	KASSERT(captable_init(&p->caps, p->slots, PROCESS_CAP_SLOTS) == KERR_OK);
	spin_init(&p->lock, "process");
	p->refs = 1; /* the running reference (I2) */
	*out = p;
	return KERR_OK;
}

void process_discard(struct process *p)
{
	process_drop_all_caps(p); /* its self capabilities' references included */
	while (p->threads) {
		struct thread *t = p->threads;
		p->threads = t->proc_next;
		thread_discard(t);
	}
	aspace_put(p->as);
	KASSERT(p->refs == 1);
	captable_pages_free(p->slots);
	kfree(p);
}

kerr_t process_create(const struct user_image *img, const char *arg, struct acct *acct,
		       struct process **out)
{
	cap_handle_t self[4];
	struct thread *t;
	struct process *p;
	vaddr_t entry;
	kerr_t err;

	if (strlen(arg) >= CAPOS_START_ARG_MAX)
		return KERR_INVALID_ARG;
	err = process_alloc(acct, &p);
	if (err != KERR_OK)
		return err;
	err = elfload_load(p->as, img, &entry);
	if (err == KERR_OK)
		err = process_stack(p);
	if (err == KERR_OK)
		err = thread_create_stopped(user_thread_entry, NULL, p->as, &t);
	if (err == KERR_OK) {
		p->threads = t;
		p->nthreads = 1;
		t->owner = p;
		t->ustart = (struct user_start){ .rip = entry, .rsp = CAPOS_USER_STACK_TOP,
						 .rdi = CAPOS_USER_START_INFO_VA };
		process_self_caps(p, t, self);
		err = process_start_info(p, arg, self);
	}
	if (err != KERR_OK) {
		process_discard(p);
		return err;
	}
	*out = p;
	return KERR_OK;
}

void process_start(struct process *p)
{
	p->id = __atomic_fetch_add(&next_pid, 1, __ATOMIC_RELAXED);
	__atomic_add_fetch(&live_processes, 1, __ATOMIC_RELAXED);
	p->nlive = 1;
	thread_start(p->threads);
}

kerr_t process_spawn(const char *name, const char *arg, const struct cap *give, size_t ngive,
		     struct process **out)
{
	const struct user_image *img = elfload_find(name, strlen(name));
	cap_handle_t given[CAPOS_START_MAX_CAPS];
	struct process *p;
	struct acct *acct;
	kerr_t err;

	if (!img || ngive > CAPOS_START_MAX_CAPS)
		return KERR_INVALID_ARG;
	err = acct_create_root(&acct);
	if (err != KERR_OK)
		return err;
	err = process_create(img, arg, acct, &p);
	acct_put(acct); /* the address space holds it */
	if (err != KERR_OK)
		return err;
	for (size_t i = 0; i < ngive; i++) {
		KASSERT(captable_insert(&p->caps, &give[i], &given[i]) == KERR_OK);
		cap_obj_get(&give[i]);
	}
	process_set_start_caps(p, given, ngive);
	process_get(p); /* the caller's reference */
	process_start(p);
	*out = p;
	return KERR_OK;
}

void process_drop_all_caps(struct process *p)
{
	uint32_t cursor = 0;
	struct cap c;

	for (;;) {
		spin_lock(&p->lock);
		bool got = captable_take_next(&p->caps, &cursor, &c);
		spin_unlock(&p->lock);
		if (!got)
			break;
		cap_obj_put(&c); /* outside the lock: may free another process */
	}
}

static void process_queue_for_reaper(struct process *p)
{
	uint64_t flags = sched_lock_irqsave();

	p->reap_next = reap_head;
	reap_head = p;
	sched_wakeup_locked(&reap_head);
	sched_unlock_irqrestore(flags);
}

/* Wake p's threads blocked in the kernel so they notice kill_pending. Lock order: p->lock,
 * then sched_lock. */
static void process_interrupt_waits_locked(struct process *p)
{
	uint64_t flags;

	KASSERT(spin_held(&p->lock));
	flags = sched_lock_irqsave();
	for (struct thread *t = p->threads; t; t = t->proc_next)
		sched_wake_thread_locked(t);
	sched_unlock_irqrestore(flags);
}

/*
 * proc_exit - the one way a user thread ends (thread exit, process exit, fault, kill): it
 * leaves its process, and the last one hands the process to the reaper. Never returns.
 */
static void proc_exit(uint64_t value) __attribute__((noreturn));

static void proc_exit(uint64_t value)
{
	struct thread *t = thread_current();
	struct process *p = t->owner;
	uint64_t flags;
	bool last;

	spin_lock(&p->lock);
	KASSERT(p->nlive > 0);
	last = --p->nlive == 0;
	if (last && p->state == PROCESS_LIVE) {
		p->status = (struct capos_exit_status){ .reason = CAPOS_EXIT_NORMAL, .code = value };
		process_transition(p, PROCESS_LIVE, PROCESS_EXITING);
	}
	if (!last) {
		/* Its slot comes back now (issue 12: exited threads counted against the limit
		 * for the process's whole life); the reaper frees its stack once it is off it.
		 * Queued under p->lock (then sched_lock), so before the last thread can queue
		 * the process: the reaper takes threads first, and a waiter of the process
		 * finds every stack of it freed. */
		struct thread **pp = &p->threads;
		while (*pp != t)
			pp = &(*pp)->proc_next;
		*pp = t->proc_next;
		p->nthreads--;
		flags = sched_lock_irqsave(); /* the list's reference moves to the queue */
		t->proc_next = reap_threads;
		reap_threads = t;
		sched_wakeup_locked(&reap_head);
		sched_unlock_irqrestore(flags);
	}
	spin_unlock(&p->lock);
	if (last)
		process_queue_for_reaper(p); /* I4: exactly once */
	thread_exit(value);
}

void process_exit_current(const struct capos_exit_status *status)
{
	struct process *p = thread_current()->owner;

	KASSERT(p);
	spin_lock(&p->lock);
	if (p->state == PROCESS_LIVE) {
		p->status = *status;
		process_transition(p, PROCESS_LIVE, PROCESS_EXITING);
		/* The other threads end at their next return to user mode. */
		__atomic_store_n(&p->kill_pending, true, __ATOMIC_RELEASE);
		process_interrupt_waits_locked(p);
	}
	spin_unlock(&p->lock);
	proc_exit(0);
}

void process_thread_exit_current(uint64_t value)
{
	proc_exit(value);
}

kerr_t process_thread_start(struct process *p, const struct user_start *us,
			    cap_handle_t *handle)
{
	struct thread *t;
	struct cap c;
	kerr_t err;

	if (__atomic_load_n(&p->nthreads, __ATOMIC_RELAXED) >= PROCESS_MAX_THREADS)
		return KERR_NO_SLOTS;
	err = thread_create_stopped(user_thread_entry, NULL, p->as, &t);
	if (err != KERR_OK)
		return err;
	t->owner = p;
	t->ustart = *us;
	c = (struct cap){ CAP_TYPE_THREAD, SELF_THREAD_RIGHTS, (uintptr_t)t };
	spin_lock(&p->lock);
	if (p->state != PROCESS_LIVE)
		err = KERR_INVALID_ARG;
	else if (p->nthreads >= PROCESS_MAX_THREADS)
		err = KERR_NO_SLOTS;
	else if (captable_insert(&p->caps, &c, handle) != KERR_OK)
		err = KERR_PUBLISH_FAILED;
	if (err == KERR_OK) {
		cap_obj_get(&c); /* the published capability: thread and process (I5) */
		t->ustart.rdx = *handle;
		t->proc_next = p->threads;
		p->threads = t;
		p->nthreads++;
		p->nlive++;
	}
	spin_unlock(&p->lock);
	if (err != KERR_OK) {
		thread_discard(t);
		return err;
	}
	thread_start(t);
	return KERR_OK;
}

void process_fault_current(const struct trap_frame *tf)
{
	struct capos_exit_status s = {
		.reason = CAPOS_EXIT_FAULT,
		.vector = (uint32_t)tf->vector,
		.error_code = (uint32_t)tf->error,
		.code = tf->rip,
		.address = tf->vector == VEC_PF ? read_cr2() : 0,
	};

	process_exit_current(&s);
}

/* Page-fault error code bit 0: the page was present (a protection fault, never lazy). */
#define PF_PRESENT 1u

void process_page_fault_current(const struct trap_frame *tf)
{
	struct process *p = thread_current()->owner;
	uint64_t addr = read_cr2();
	kerr_t err = KERR_NOT_FOUND;

	/*
	 * The fill spins on the address-space lock, whose holder may wait for an IPI that this
	 * CPU must answer (tlb_kernel_release_frames() from a kvbig free): take it with
	 * interrupts enabled, as a system call does. CR2 was read first.
	 */
	if (!(tf->error & PF_PRESENT) && p->as) {
		irq_enable();
		err = aspace_vm_fault(p->as, addr);
		irq_disable();
	}
	if (err == KERR_OK)
		return; /* a lazy page was filled (by this thread or another): retry */
	if (err == KERR_NO_MEMORY) {
		struct capos_exit_status s = {
			.reason = CAPOS_EXIT_OOM,
			.vector = (uint32_t)tf->vector,
			.error_code = (uint32_t)tf->error,
			.code = tf->rip,
			.address = addr,
		};
		process_exit_current(&s);
	}
	process_fault_current(tf);
}

void process_kill(struct process *p)
{
	spin_lock(&p->lock);
	if (p->state == PROCESS_LIVE) {
		p->status = (struct capos_exit_status){ .reason = CAPOS_EXIT_KILLED };
		process_transition(p, PROCESS_LIVE, PROCESS_EXITING);
		__atomic_store_n(&p->kill_pending, true, __ATOMIC_RELEASE);
		process_interrupt_waits_locked(p);
	}
	spin_unlock(&p->lock);
}

void process_check_killed(void)
{
	struct thread *t = thread_current();
	struct process *p = t->owner;

	if (p && __atomic_load_n(&p->kill_pending, __ATOMIC_ACQUIRE))
		process_exit_current(&p->status); /* the status is already KILLED */
}

/* Runs in the reaper thread: the process's last thread has left (or is about to exit). */
static void process_teardown(struct process *p)
{
	uint64_t flags;

	/* No thread can be added now (the process is not LIVE): reap them all. */
	for (struct thread *t = p->threads; t; t = t->proc_next)
		thread_reap(t); /* kernel stack and address-space reference */
	process_drop_all_caps(p);
	memobj_detach_all(p->as); /* objects held elsewhere must not keep it alive */
	aspace_put(p->as);      /* not resident anywhere: every thread is gone */
	spin_lock(&p->lock);
	p->as = NULL;
	process_transition(p, PROCESS_EXITING, PROCESS_EXITED);
	spin_unlock(&p->lock);
	flags = sched_lock_irqsave();
	sched_wakeup_locked(p);
	sched_unlock_irqrestore(flags);
	__atomic_sub_fetch(&live_processes, 1, __ATOMIC_RELAXED);
	process_put(p); /* the running reference (I2) */
}

static void reaper(void *unused)
{
	for (;;) {
		uint64_t flags = sched_lock_irqsave();
		while (!reap_head && !reap_threads)
			sched_sleep_locked(&reap_head);
		if (reap_threads) {
			struct thread *t = reap_threads;
			reap_threads = t->proc_next;
			t->proc_next = NULL;
			sched_unlock_irqrestore(flags);
			thread_reap(t); /* waits until it is off its stack (thread I3) */
			thread_put(t);  /* the queue's: Thread capabilities may keep the struct */
			continue;
		}
		struct process *p = reap_head;
		reap_head = p->reap_next;
		sched_unlock_irqrestore(flags);
		process_teardown(p);
	}
}

void process_init(void)
{
	struct thread *t;

	if (thread_create(reaper, NULL, NULL, &t) != KERR_OK)
		panic("process: cannot start the reaper");
}

bool process_current_ending(void)
{
	struct process *me = thread_current()->owner;

	return me && __atomic_load_n(&me->kill_pending, __ATOMIC_ACQUIRE);
}

kerr_t process_wait_user(struct process *p, struct capos_exit_status *status)
{
	uint64_t flags = sched_lock_irqsave();

	while (__atomic_load_n(&p->state, __ATOMIC_ACQUIRE) != PROCESS_EXITED) {
		if (process_current_ending()) {
			sched_unlock_irqrestore(flags);
			return KERR_WOULD_BLOCK;
		}
		sched_sleep_locked(p);
	}
	sched_unlock_irqrestore(flags);
	*status = p->status;
	return KERR_OK;
}

void process_wait(struct process *p, struct capos_exit_status *status)
{
	uint64_t flags = sched_lock_irqsave();

	while (__atomic_load_n(&p->state, __ATOMIC_ACQUIRE) != PROCESS_EXITED)
		sched_sleep_locked(p);
	sched_unlock_irqrestore(flags);
	*status = p->status;
}

unsigned process_live_count(void)
{
	return __atomic_load_n(&live_processes, __ATOMIC_RELAXED);
}
