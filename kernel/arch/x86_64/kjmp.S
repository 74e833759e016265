/*
 * kjmp.S - ksetjmp/klongjmp for the kernel (expected faults in tests), and kfault_resume, the
 * address an exception returns to so that klongjmp runs on the normal kernel stack.
 */
	.text
	.code64
	.global ksetjmp
ksetjmp:
	mov %rbx, 0(%rdi)
	mov %rbp, 8(%rdi)
	mov %r12, 16(%rdi)
	mov %r13, 24(%rdi)
	mov %r14, 32(%rdi)
	mov %r15, 40(%rdi)
	lea 8(%rsp), %rax		/* caller's RSP after our return */
	mov %rax, 48(%rdi)
	mov (%rsp), %rax		/* our return address */
	mov %rax, 56(%rdi)
	xor %eax, %eax
	ret

	.global klongjmp
klongjmp:
	mov %esi, %eax
	mov 0(%rdi), %rbx
	mov 8(%rdi), %rbp
	mov 16(%rdi), %r12
	mov 24(%rdi), %r13
	mov 32(%rdi), %r14
	mov 40(%rdi), %r15
	mov 48(%rdi), %rsp
	jmp *56(%rdi)

	/* Entered by iretq from the exception handler with %rdi = &kjmp_buf. */
	.global kfault_resume
kfault_resume:
	mov $1, %esi
	jmp klongjmp
