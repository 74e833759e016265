/*
 * cap_process.c - Process and Thread capabilities: exit, wait, kill, statistics, thread start,
 * thread exit, thread wait, thread CPU.
 */
#include <cap/invoke.h>
#include <kern/percpu.h>
#include <proc/process.h>
#include <proc/thread.h>

static kerr_t perform_process_exit(struct invocation *inv)
{
	struct capos_exit_status s = { .reason = CAPOS_EXIT_NORMAL, .code = inv->a[0] };

	if ((struct process *)inv->cap.obj != inv->proc)
		return KERR_INVALID_ARG; /* only one's own process can be exited */
	invoke_release(inv); /* never returns; the running reference keeps it */
	process_exit_current(&s);
}

static kerr_t decode_process_wait(struct invocation *inv, struct process **target)
{
	*target = (struct process *)inv->cap.obj;
	if (inv->a[0] & ~(uint64_t)CAPOS_WAIT_NOHANG)
		return KERR_INVALID_ARG;
	if (*target == inv->proc)
		return KERR_INVALID_ARG;
	if ((inv->a[0] & CAPOS_WAIT_NOHANG) &&
	    __atomic_load_n(&(*target)->state, __ATOMIC_ACQUIRE) != PROCESS_EXITED)
		return KERR_WOULD_BLOCK;
	return KERR_OK;
}

static kerr_t perform_process_wait(struct invocation *inv, struct process *target)
{
	struct capos_exit_status s;
	kerr_t err = process_wait_user(target, &s);

	if (err == KERR_OK)
		capos_exit_status_pack(&s, inv->r);
	return err;
}

static kerr_t perform_process_stat(struct invocation *inv)
{
	struct process *p = (struct process *)inv->cap.obj;

	spin_lock(&p->lock);
	inv->r[0] = captable_used(&p->caps);
	inv->r[1] = p->caps.capacity;
	inv->r[2] = p->nlive;
	spin_unlock(&p->lock);
	return KERR_OK;
}

/* Entry and stack must be user addresses; the stack 16-byte aligned; only one's own process. */
static kerr_t decode_process_thread_start(struct invocation *inv)
{
	if ((struct process *)inv->cap.obj != inv->proc)
		return KERR_INVALID_ARG;
	if (!capos_user_range_ok(inv->a[0], 1) || inv->a[0] < CAPOS_USER_VA_MIN)
		return KERR_INVALID_ARG;
	if (!capos_user_range_ok(inv->a[1], 0) || (inv->a[1] & 15) ||
	    inv->a[1] < CAPOS_USER_VA_MIN + 16)
		return KERR_INVALID_ARG;
	return KERR_OK;
}

static kerr_t perform_process_thread_start(struct invocation *inv)
{
	struct user_start us = { .rip = inv->a[0], .rsp = inv->a[1], .rdi = inv->a[2],
				 .rsi = inv->a[3] };
	cap_handle_t h;
	kerr_t err = process_thread_start(inv->proc, &us, &h);

	if (err == KERR_OK)
		inv->r[0] = h;
	return err;
}

kerr_t invoke_process(struct invocation *inv)
{
	struct process *target;
	kerr_t err;

	switch (inv->method) {
	case CAP_PROCESS_EXIT:
		return perform_process_exit(inv);
	case CAP_PROCESS_WAIT:
		err = decode_process_wait(inv, &target);
		return err != KERR_OK ? err : perform_process_wait(inv, target);
	case CAP_PROCESS_KILL:
		process_kill((struct process *)inv->cap.obj);
		return KERR_OK;
	case CAP_PROCESS_STAT:
		return perform_process_stat(inv);
	case CAP_PROCESS_THREAD_START:
		err = decode_process_thread_start(inv);
		return err != KERR_OK ? err : perform_process_thread_start(inv);
	}
	return KERR_UNKNOWN_METHOD;
}

static kerr_t decode_thread_wait(struct invocation *inv, struct thread *t)
{
	if (inv->a[0] & ~(uint64_t)CAPOS_WAIT_NOHANG)
		return KERR_INVALID_ARG;
	if (t == inv->thread)
		return KERR_INVALID_ARG;
	if ((inv->a[0] & CAPOS_WAIT_NOHANG) &&
	    __atomic_load_n(&t->state, __ATOMIC_ACQUIRE) != THREAD_EXITED)
		return KERR_WOULD_BLOCK;
	return KERR_OK;
}

static kerr_t perform_thread_wait(struct invocation *inv, struct thread *t)
{
	uint64_t flags = sched_lock_irqsave();

	/* The struct stays valid: this capability holds a reference on its process (I5). */
	while (t->state != THREAD_EXITED) {
		if (process_current_ending()) {
			sched_unlock_irqrestore(flags);
			return KERR_WOULD_BLOCK; /* the caller ends on its way out */
		}
		sched_sleep_locked(t);
	}
	sched_unlock_irqrestore(flags);
	inv->r[0] = t->exit_value;
	return KERR_OK;
}

kerr_t invoke_thread(struct invocation *inv)
{
	struct thread *t = (struct thread *)inv->cap.obj;
	kerr_t err;

	switch (inv->method) {
	case CAP_THREAD_EXIT:
		if (t != inv->thread)
			return KERR_INVALID_ARG;
		invoke_release(inv); /* never returns; its process's list keeps the thread */
		process_thread_exit_current(inv->a[0]);
	case CAP_THREAD_WAIT:
		err = decode_thread_wait(inv, t);
		return err != KERR_OK ? err : perform_thread_wait(inv, t);
	case CAP_THREAD_CPU:
		inv->r[0] = t == inv->thread ? cpu_id() : t->cpu;
		return KERR_OK;
	}
	return KERR_UNKNOWN_METHOD;
}
