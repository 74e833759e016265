/*
 * user.c - ring 3: syscall MSR setup and the first entry of a user thread.
 */
#include <arch/cpu.h>
#include <arch/trap.h>
#include <arch/user.h>
#include <arch/layout.h>
#include <kern/entry.h>
#include <kern/percpu.h>
#include <kern/string.h>
#include <proc/thread.h>

#define EFER_SCE 0x1
/* RFLAGS bits cleared on `syscall` (the x86-64 psABI's kernel entry state): AC (0x40000),
 * NT (0x4000), DF (0x400), IF (0x200), TF (0x100). NT was missing before issue 12: it stayed
 * set in the kernel and reached another thread's iretq (#GP in ring 0, then a reset). */
#define FMASK_BITS 0x44700
#define USER_RFLAGS 0x202  /* IF */

extern char syscall_entry[];
void enter_user(struct trap_frame *tf) __attribute__((noreturn));

void syscall_init_cpu(void)
{
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
	/* sysret: CS = STAR[63:48] + 16, SS = STAR[63:48] + 8; syscall: CS = STAR[47:32]. */
	wrmsr(MSR_STAR, ((uint64_t)(GDT_KDATA) << 48) | ((uint64_t)GDT_KCODE << 32));
	wrmsr(MSR_LSTAR, (uint64_t)syscall_entry);
	wrmsr(MSR_FMASK, FMASK_BITS);
}

void user_thread_entry(void *arg)
{
	struct thread *t = thread_current();
	struct trap_frame *tf = (struct trap_frame *)(t->kstack_top - sizeof(*tf));

	kernel_return_to_user(); /* killed before it first ran: never enter user mode */
	memset(tf, 0, sizeof(*tf));
	tf->rip = t->ustart.rip;
	tf->rsp = t->ustart.rsp;
	tf->rdi = t->ustart.rdi;
	tf->rsi = t->ustart.rsi;
	tf->rdx = t->ustart.rdx;
	tf->cs = GDT_UCODE;
	tf->ss = GDT_UDATA;
	tf->rflags = USER_RFLAGS;
	irq_disable();
	enter_user(tf);
}

void syscall_dispatch(struct trap_frame *tf)
{
	struct kernel_call call = {
		.handle = tf->rdi,
		.method = tf->rax,
		.a = { tf->rsi, tf->rdx, tf->r10, tf->r8, tf->r9 },
	};

	irq_enable();
	tf->rax = (uint64_t)kernel_syscall(&call);
	tf->rdi = call.r[0];
	tf->rsi = call.r[1];
	tf->rdx = call.r[2];
	kernel_return_to_user();
	/* sysretq to a non-user RIP would fault in ring 0: end the process instead (#GP). */
	if (tf->rip >= USER_TOP) {
		tf->vector = VEC_GP;
		kernel_user_fault(tf);
	}
	irq_disable();
}
