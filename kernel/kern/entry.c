/*
 * entry.c - the kernel entry interface (kern/entry.h): arch/ decodes, this file reaches into
 * the scheduler, the processes and capability invocation.
 */
#include <cap/invoke.h>
#include <kern/witness.h>
#include <kern/debug_checks.h>
#include <kern/entry.h>
#include <kern/percpu.h>
#include <kern/string.h>
#include <proc/process.h>
#include <proc/thread.h>

kerr_t kernel_syscall(struct kernel_call *call)
{
	struct invocation inv = {
		.proc = thread_current()->owner,
		.thread = thread_current(),
		.handle = call->handle,
		.method = call->method,
		.a = { call->a[0], call->a[1], call->a[2], call->a[3], call->a[4] },
	};
	kerr_t err = invoke(&inv);

	if (err != KERR_OK)
		memset(inv.r, 0, sizeof(inv.r));
	memcpy(call->r, inv.r, sizeof(call->r));
	debug_checks_syscall_exit();
	return err;
}

void kernel_return_to_user(void)
{
	process_check_killed();
	witness_return_to_user(); /* no lock held, no flush pending (kern/witness.h) */
}

static bool user_thread(void)
{
	struct thread *t = thread_current();

	return t && t->owner;
}

bool kernel_page_fault(struct trap_frame *tf)
{
	if (!user_thread())
		return false;
	process_page_fault_current(tf);
	return true;
}

bool kernel_user_fault(struct trap_frame *tf)
{
	if (!user_thread())
		return false;
	process_fault_current(tf);
}

void kernel_tick(bool from_user)
{
	if (this_cpu()->current)
		sched_tick(from_user); /* may switch threads */
}
