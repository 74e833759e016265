/*
 * boot.S - the multiboot1 entry: 32-bit protected mode to 64-bit long mode, higher half.
 *
 * The loader (QEMU -kernel) enters _start in 32-bit protected mode, paging off, with the
 * multiboot magic in %eax and the physical address of the multiboot information in %ebx.
 * We zero .bss, build the boot page tables, enable PAE + long mode + NX + paging, and jump to
 * the higher-half kernel (boot_long_high), which calls kmain(magic, mbi) on the boot stack.
 *
 * Boot page tables (all 2 MiB pages, built here, kept as the kernel's root afterwards):
 *   PML4[0]   -> boot_pdpt_direct   identity map of 0..4 GiB (removed after SMP bring-up)
 *   PML4[256] -> boot_pdpt_direct   direct map: KERNEL_DIRECT_BASE + phys, 0..4 GiB
 *   PML4[511] -> boot_pdpt_high     [510] -> boot_pd[0]: KERNEL_VMA + phys, 0..1 GiB
 */
#include <arch/layout.h>

#define MB_MAGIC 0x1BADB002
#define MB_FLAGS 0x00000003 /* page-align modules, want memory info (incl. the mmap) */

#define PHYS(x) ((x) - KERNEL_VMA)

#define PTE_P 0x1
#define PTE_W 0x2
#define PTE_PS 0x80

	.section .multiboot, "a"
	.p2align 2
	.long MB_MAGIC
	.long MB_FLAGS
	.long -(MB_MAGIC + MB_FLAGS)

	.section .boot.text, "ax"
	.code32
	.global _start
_start:
	cli
	cld
	mov %eax, %edi			/* multiboot magic, kept for kmain */
	mov %ebx, %esi			/* multiboot info (physical) */

	/* Zero .bss (page tables and boot stack live there). */
	mov $PHYS(__bss_start), %eax
	mov %eax, %ebx
	mov $PHYS(__bss_end), %ecx
	sub %eax, %ecx
	shr $2, %ecx
	mov %edi, %edx
	mov %ebx, %edi
	xor %eax, %eax
	rep stosl
	mov %edx, %edi

	mov $PHYS(boot_stack_top), %esp

	/* Long mode supported? CPUID 0x80000001 EDX bit 29. */
	mov $0x80000001, %eax
	push %edi
	push %esi
	cpuid
	pop %esi
	pop %edi
	bt $29, %edx
	jnc no_long_mode

	/* boot_pd[0..3]: 2048 2 MiB pages covering 0..4 GiB. */
	mov $PHYS(boot_pd), %ebx
	xor %ecx, %ecx
1:	mov %ecx, %eax
	shl $21, %eax			/* low 32 bits of the physical address */
	or $(PTE_P | PTE_W | PTE_PS), %eax
	mov %eax, (%ebx, %ecx, 8)
	mov %ecx, %eax
	shr $11, %eax			/* high bits: (i << 21) >> 32 */
	mov %eax, 4(%ebx, %ecx, 8)
	inc %ecx
	cmp $2048, %ecx
	jne 1b

	/* boot_pdpt_direct[0..3] -> boot_pd + i * 4096. */
	mov $PHYS(boot_pdpt_direct), %ebx
	xor %ecx, %ecx
2:	mov %ecx, %eax
	shl $12, %eax
	add $(PHYS(boot_pd) + PTE_P + PTE_W), %eax
	mov %eax, (%ebx, %ecx, 8)
	inc %ecx
	cmp $4, %ecx
	jne 2b

	mov $(PHYS(boot_pd) + PTE_P + PTE_W), %eax
	mov %eax, PHYS(boot_pdpt_high) + 510 * 8

	mov $PHYS(boot_pml4), %ebx
	mov $(PHYS(boot_pdpt_direct) + PTE_P + PTE_W), %eax
	mov %eax, (%ebx)
	mov %eax, 256 * 8(%ebx)
	mov $(PHYS(boot_pdpt_high) + PTE_P + PTE_W), %eax
	mov %eax, 511 * 8(%ebx)

	/* PAE, root, EFER.LME | EFER.NXE, then paging + write protect. */
	mov %cr4, %eax
	or $0x20, %eax
	mov %eax, %cr4
	mov %ebx, %cr3
	mov $0xC0000080, %ecx
	rdmsr
	or $0x900, %eax
	wrmsr
	mov %cr0, %eax
	or $0x80010001, %eax
	mov %eax, %cr0

	lgdt boot_gdt_ptr
	ljmp $0x08, $boot_long_low

no_long_mode:
	/* No long mode: report on COM1 and stop with the panic code. */
	mov $no_lm_msg, %esi
3:	lodsb
	test %al, %al
	jz 4f
	mov $0x3f8, %dx
	out %al, %dx
	jmp 3b
4:	mov $0x12, %al
	mov $0xf4, %dx
	out %al, %dx
	hlt
	jmp 4b

	.code64
boot_long_low:
	movabs $boot_long_high, %rax
	jmp *%rax

	.section .boot.data, "aw"
	.p2align 3
boot_gdt:
	.quad 0
	.quad 0x00209A0000000000	/* 0x08: 64-bit code */
	.quad 0x0000920000000000	/* 0x10: data */
boot_gdt_end:
boot_gdt_ptr:
	.word boot_gdt_end - boot_gdt - 1
	.long boot_gdt
no_lm_msg:
	.asciz "capOS: CPU has no long mode\n"

	.text
	.code64
boot_long_high:
	mov $0x10, %ax
	mov %ax, %ds
	mov %ax, %es
	mov %ax, %ss
	xor %ax, %ax
	mov %ax, %fs
	mov %ax, %gs
	movabs $boot_stack_top, %rsp
	xor %ebp, %ebp			/* ends the frame-pointer chain for stack traces */
	/* %edi = magic, %esi = mbi (zero-extended by the 32-bit moves above) */
	mov %edi, %edi
	mov %esi, %esi
	call kmain
5:	cli
	hlt
	jmp 5b

	.bss
	.p2align 12
	.global boot_pml4
boot_pml4:
	.skip 4096
boot_pdpt_direct:
	.skip 4096
boot_pdpt_high:
	.skip 4096
boot_pd:
	.skip 4 * 4096
	.p2align 4
	.global boot_stack_top
boot_stack:
	.skip 16384
boot_stack_top:
