/*
 * trampoline.S - the application processors' real-mode start code. smp.c copies
 * [ap_trampoline, ap_trampoline_end) to AP_TRAMPOLINE_PHYS and fills the parameter block at
 * its end; a SIPI starts the AP in real mode at that page. It goes to protected mode, enables
 * PAE, loads the kernel root (which still identity-maps low memory), enables long mode and
 * paging, and calls smp_ap_main(id) in the higher half on its own stack.
 */
#include <arch/layout.h>

#define T(x) ((x) - ap_trampoline + AP_TRAMPOLINE_PHYS)

	.section .rodata
	.p2align 4
	.global ap_trampoline
ap_trampoline:
	.code16
	cli
	cld
	xor %ax, %ax
	mov %ax, %ds
	lgdtl T(tr_gdt_ptr)
	mov %cr0, %eax
	or $1, %eax
	mov %eax, %cr0
	ljmpl $0x08, $T(tr_prot)

	.code32
tr_prot:
	mov $0x10, %ax
	mov %ax, %ds
	mov %ax, %es
	mov %ax, %ss
	mov %cr4, %eax
	or $0x20, %eax			/* PAE */
	mov %eax, %cr4
	mov T(tr_cr3), %eax
	mov %eax, %cr3
	mov $0xC0000080, %ecx
	rdmsr
	or $0x900, %eax			/* LME | NXE */
	wrmsr
	mov %cr0, %eax
	or $0x80010001, %eax		/* PG | WP | PE */
	mov %eax, %cr0
	ljmp $0x18, $T(tr_long)

	.code64
tr_long:
	mov $0x10, %ax
	mov %ax, %ds
	mov %ax, %es
	mov %ax, %ss
	mov T(tr_stack), %rsp
	mov T(tr_id), %edi
	xor %ebp, %ebp
	mov T(tr_entry), %rax
	call *%rax
1:	hlt
	jmp 1b

	.p2align 3
tr_gdt:
	.quad 0
	.quad 0x00CF9A000000FFFF	/* 0x08: 32-bit code */
	.quad 0x00CF92000000FFFF	/* 0x10: data */
	.quad 0x00209A0000000000	/* 0x18: 64-bit code */
tr_gdt_end:
tr_gdt_ptr:
	.word tr_gdt_end - tr_gdt - 1
	.long T(tr_gdt)

	/* Parameter block, filled by smp.c before each SIPI (struct ap_params). */
	.p2align 3
	.global ap_trampoline_params
ap_trampoline_params:
tr_cr3:
	.quad 0
tr_stack:
	.quad 0
tr_entry:
	.quad 0
tr_id:
	.quad 0
	.global ap_trampoline_end
ap_trampoline_end:
