/*
 * cap_process.c - Process and Thread capabilities: exit, wait, kill, statistics, thread exit.
 * One thread per process for now: CAP_PROCESS_THREAD_START answers KERR_NO_SLOTS (the thread
 * limit is 1) and CAP_THREAD_WAIT on the only thread is waiting on oneself.
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

	process_wait(target, &s);
	capos_exit_status_pack(&s, inv->r);
	return KERR_OK;
}

static kerr_t perform_process_stat(struct invocation *inv)
{
	struct process *p = (struct process *)inv->cap.obj;

	spin_lock(&p->lock);
	inv->r[0] = captable_used(&p->caps);
	inv->r[1] = p->caps.capacity;
	inv->r[2] = p->state == PROCESS_LIVE ? 1 : 0;
	spin_unlock(&p->lock);
	return KERR_OK;
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
		return KERR_NO_SLOTS; /* thread limit: one thread per process for now */
	}
	return KERR_UNKNOWN_METHOD;
}

kerr_t invoke_thread(struct invocation *inv)
{
	struct thread *t = (struct thread *)inv->cap.obj;
	struct capos_exit_status s = { .reason = CAPOS_EXIT_NORMAL };

	switch (inv->method) {
	case CAP_THREAD_EXIT:
		if (t != inv->thread)
			return KERR_INVALID_ARG;
		/* The last (only) thread ends: the process ends with its value as the code. */
		s.code = inv->a[0];
		process_exit_current(&s);
	case CAP_THREAD_WAIT:
		if (inv->a[0] & ~(uint64_t)CAPOS_WAIT_NOHANG)
			return KERR_INVALID_ARG;
		return KERR_INVALID_ARG; /* the only thread is the caller: waiting on oneself */
	case CAP_THREAD_CPU:
		inv->r[0] = t == inv->thread ? cpu_id() : t->cpu;
		return KERR_OK;
	}
	return KERR_UNKNOWN_METHOD;
}
