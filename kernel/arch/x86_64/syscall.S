/*
 * syscall.S - the `syscall` entry and the first entry of a thread into ring 3.
 *
 * syscall_entry runs with user GS, user RSP and interrupts off (FMASK clears IF). It swaps to
 * the kernel GS, switches to the thread's kernel stack (per-CPU kstack_top), and saves a
 * struct trap_frame (vector SYSCALL_VECTOR_MARK) so the C side sees user state the same way as
 * after an interrupt. syscall_dispatch() may change the frame (results in rax/rdi/rsi/rdx).
 * The return goes through sysretq. syscall_dispatch() guarantees the return RIP is a user
 * address (a non-canonical RCX would make sysretq fault in ring 0 on the user stack).
 */
#include <kern/percpu.h>
#include "trapframe.inc"

#define SYSCALL_VECTOR_MARK 0x100
#define USER_CS 0x23
#define USER_DS 0x1b

	.text
	.code64
	.global syscall_entry
syscall_entry:
	swapgs
	mov %rsp, %gs:PERCPU_OFF_USER_RSP
	mov %gs:PERCPU_OFF_KSTACK_TOP, %rsp
	pushq $USER_DS			/* ss */
	pushq %gs:PERCPU_OFF_USER_RSP	/* rsp */
	pushq %r11			/* rflags */
	pushq $USER_CS			/* cs */
	pushq %rcx			/* rip */
	pushq $0			/* error */
	pushq $SYSCALL_VECTOR_MARK	/* vector */
	TRAPFRAME_PUSH_GPRS
	mov %rsp, %rdi
	xor %ebp, %ebp			/* the user RBP is no kernel frame */
	call syscall_dispatch
	/* fall through */
	.global user_return
user_return:				/* %rsp = struct trap_frame of the thread */
	cli
	TRAPFRAME_POP_GPRS
	add $16, %rsp			/* vector, error */
	/* Return RIP and RFLAGS from the frame, as sysretq wants them. */
	mov 0(%rsp), %rcx
	mov 16(%rsp), %r11
	mov 24(%rsp), %rsp		/* user rsp */
	swapgs
	sysretq

	/* enter_user(struct trap_frame *tf): start a thread in ring 3 from a built frame. */
	.global enter_user
enter_user:
	mov %rdi, %rsp
	jmp user_return
