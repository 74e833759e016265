/*
 * switch.S - kernel context switch and the first return of a new thread.
 *
 * switch_context(uint64_t *save_rsp, uint64_t new_rsp): push the callee-saved registers, store
 * RSP into *save_rsp, load new_rsp, pop that thread's callee-saved registers and return into it.
 * A new thread's stack is prepared (thread.c) so that the return lands in thread_first_run.
 */
	.text
	.code64
	.global switch_context
switch_context:
	pushq %rbp
	pushq %rbx
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	mov %rsp, (%rdi)
	mov %rsi, %rsp
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %rbx
	popq %rbp
	ret

	.global thread_first_run
thread_first_run:
	xor %ebp, %ebp			/* end of the frame chain */
	sub $8, %rsp			/* 16-byte alignment for the call */
	call thread_entry_c		/* never returns */
	ud2
