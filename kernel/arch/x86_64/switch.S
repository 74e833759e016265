/*
 * switch.S - kernel context switch and the first return of a new thread.
 *
 * switch_context(uint64_t *save_rsp, uint64_t new_rsp): push RFLAGS and the callee-saved
 * registers, store RSP into *save_rsp, load new_rsp, pop that thread's callee-saved registers and
 * RFLAGS and return into it. A new thread's stack is prepared (thread.c) so that the return
 * lands in thread_first_run.
 *
 * RFLAGS is per thread: a flag one thread entered the kernel with (NT, AC, DF set in ring 3
 * before an interrupt, or anything a future entry path lets through) must never reach another
 * thread. NT left set makes the next iretq raise #GP in ring 0 (issue 12: a machine reset from
 * ring 3).
 */
	.text
	.code64
	.global switch_context
switch_context:
	pushfq
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
	popfq
	ret

	.global thread_first_run
thread_first_run:
	xor %ebp, %ebp			/* end of the frame chain */
	sub $8, %rsp			/* 16-byte alignment for the call */
	call thread_entry_c		/* never returns */
	ud2
