/*
 * isr.S - interrupt entry stubs for all 256 vectors and the common save/restore path.
 *
 * Each stub pushes a zero error code when the CPU does not push one, then the vector, and
 * jumps to isr_common, which saves the general registers into a struct trap_frame, swaps GS
 * when the interrupt came from user mode, and calls trap_dispatch(frame).
 */
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
	cld
	testb $3, 24(%rsp)		/* CS of the interrupted context: user mode? */
	jz 1f
	swapgs
1:	TRAPFRAME_PUSH_GPRS
	mov %rsp, %rdi
	/* Link the frame into the RBP chain so stack traces cross the interrupt. */
	mov 136(%rsp), %rax		/* interrupted RIP */
	pushq %rax
	pushq %rbp
	mov %rsp, %rbp
	call trap_dispatch
	add $16, %rsp
	TRAPFRAME_POP_GPRS
	testb $3, 24(%rsp)
	jz 2f
	swapgs
2:	add $16, %rsp			/* vector and error code */
	iretq

