/*
 * isr.S - interrupt entry stubs for all 256 vectors and the common save/restore path.
 *
 * Each stub pushes a zero error code when the CPU does not push one, then the vector, and
 * jumps to isr_common, which saves the general registers into a struct trap_frame, loads a
 * clean RFLAGS (no AC, NT, DF: interrupt gates clear IF, TF and NT but not AC), loads the
 * kernel GS base when it is not loaded, and calls trap_dispatch(frame).
 *
 * GS: an entry from ring 3 always swaps. An entry from ring 0 normally finds the kernel GS
 * already loaded, except when it interrupted the few instructions between a swapgs and the
 * sysretq/iretq that leave to user mode (or the swapgs at syscall entry) - e.g. a #GP raised by
 * that iretq, or an NMI. So a ring-0 entry reads MSR_GS_BASE: the kernel's is a per-CPU
 * address in the upper half, the user's never is (user code cannot set it: CR4.FSGSBASE is
 * off). rbx (callee-saved, kept by trap_dispatch and any context switch in it) remembers
 * whether this entry swapped, and the exit swaps back exactly then (issue 12).
 */
#define MSR_GS_BASE 0xC0000101
#define TF_CS 144			/* offsetof(struct trap_frame, cs) */
#define TF_RIP 136			/* offsetof(struct trap_frame, rip) */
#include "trapframe.inc"

	.text
	.code64

/* One 16-byte stub per vector: vector v's stub is at isr_stubs_begin + 16 * v (idt.c). */
.macro ISR_STUB v
	.p2align 4
	.if !((\v == 8) || (\v >= 10 && \v <= 14) || (\v == 17) || (\v == 21) || (\v == 29) || (\v == 30))
	pushq $0
	.endif
	pushq $\v
	jmp isr_common
.endm

	.p2align 4
	.global isr_stubs_begin
isr_stubs_begin:
.set vec, 0
.rept 256
	ISR_STUB vec
	.set vec, vec + 1
.endr
	.p2align 4
	.global isr_stubs_end
isr_stubs_end:

isr_common:
	TRAPFRAME_PUSH_GPRS		/* no GS access: safe with either GS base */
	pushq $2			/* RFLAGS: only the reserved bit (IF stays off) */
	popfq
	xor %ebx, %ebx			/* 1 when this entry swapped GS */
	testb $3, TF_CS(%rsp)		/* CS of the interrupted context: user mode? */
	jnz 1f
	mov $MSR_GS_BASE, %ecx		/* ring 0: is the kernel GS base loaded? */
	rdmsr
	test %edx, %edx
	js 2f				/* upper-half address: yes */
1:	swapgs
	mov $1, %ebx
2:	mov %rsp, %rdi
	/* Link the frame into the RBP chain so stack traces cross the interrupt. */
	mov TF_RIP(%rsp), %rax		/* interrupted RIP */
	pushq %rax
	pushq %rbp
	mov %rsp, %rbp
	call trap_dispatch
	add $16, %rsp
	test %ebx, %ebx
	jz 3f
	swapgs
3:	TRAPFRAME_POP_GPRS
	add $16, %rsp			/* vector and error code */
	iretq

