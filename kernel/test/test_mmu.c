/*
 * test_mmu.c - kernel tests of the page-table interface: map/unmap/protect/query in the kernel
 * vmap area and in a fresh user root, with every data frame and every page-table page back in
 * the allocator afterwards; protection weakening enforced by the CPU; bad arguments refused
 * without changes; allocation failure in the middle of a map changes nothing.
 */
#include <arch/layout.h>
#include <arch/mmu.h>
#include <arch/tlb.h>
#include <arch/trap.h>
#include <kern/ipi.h>
#include <kern/kfault.h>
#include <kern/ktest.h>
#include <kern/witness.h>
#include <mm/frame.h>
#include <mm/phys.h>
#include <mm/shootdown.h>

#define NPAGES 8
/* Straddles a 1 GiB boundary: two PDs and two PTs below the fixed vmap PDPT. */
#define VMAP_TEST_VA (KERNEL_VMAP_BASE + 0x40000000 - 4 * PAGE_SIZE)
#define USER_TEST_VA 0x400000ull

static void test_mmu_map_unmap_returns_every_frame(struct ktest_ctx *t)
{
	paddr_t root = arch_mmu_kernel_root(), pa[NPAGES], got;
	struct frame_list pt_free = { 0, 0 };
	size_t free0 = frame_free_count();
	unsigned prot;
	uint32_t seq;

	for (int i = 0; i < NPAGES; i++) {
		vaddr_t va = VMAP_TEST_VA + i * PAGE_SIZE;
		KT_ASSERT_EQ(t, frame_alloc(FRAME_OWNER_TEST, &pa[i]), KERR_OK);
		KT_ASSERT_EQ(t, arch_mmu_map(root, va, pa[i], MMU_READ | MMU_WRITE), KERR_OK);
		frame_transition(frame_of(pa[i]), FRAME_ALLOCATED, FRAME_MAPPED);
		*(volatile uint64_t *)va = 0xc0de0000 + i;
	}
	/* 8 data frames + 2 PDs + 2 PTs. */
	KT_ASSERT_EQ(t, frame_free_count(), free0 - NPAGES - 4);
	for (int i = 0; i < NPAGES; i++) {
		vaddr_t va = VMAP_TEST_VA + i * PAGE_SIZE;
		KT_ASSERT_EQ(t, arch_mmu_query(root, va + 8, &got, &prot), KERR_OK);
		KT_ASSERT_EQ(t, got, pa[i] + 8);
		KT_ASSERT_EQ(t, prot, MMU_READ | MMU_WRITE);
		KT_ASSERT_EQ(t, *(volatile uint64_t *)phys_to_virt(pa[i]), 0xc0de0000 + i);
	}
	for (int i = 0; i < NPAGES; i++) {
		KT_ASSERT_EQ(t, arch_mmu_unmap(root, VMAP_TEST_VA + i * PAGE_SIZE, &got, &pt_free),
			     KERR_OK);
		KT_ASSERT_EQ(t, got, pa[i]);
		frame_transition(frame_of(pa[i]), FRAME_MAPPED, FRAME_UNHOOKED);
	}
	KT_ASSERT_EQ(t, pt_free.count, 4); /* both PTs and both PDs emptied */
	/* The kernel root is live on every CPU: flush everywhere before anything is freed. */
	seq = tlb_kernel_round_open(&pt_free);
	ipi_call(cpumask_all(), tlb_flush_all_ipi, &seq);
	frame_list_free(&pt_free);
	for (int i = 0; i < NPAGES; i++) {
		witness_frame_stamp(frame_of(pa[i]), seq);
		frame_transition(frame_of(pa[i]), FRAME_UNHOOKED, FRAME_FLUSHED);
		frame_free(pa[i]);
		KT_ASSERT_EQ(t, arch_mmu_query(root, VMAP_TEST_VA + i * PAGE_SIZE, NULL, NULL),
			     KERR_NOT_FOUND);
	}
	KT_ASSERT_EQ(t, frame_free_count(), free0);
}
KTEST_REGISTER(test_mmu_map_unmap_returns_every_frame);

static void test_mmu_user_root_tables_freed(struct ktest_ctx *t)
{
	size_t free0 = frame_free_count();
	struct frame_list pt_free = { 0, 0 };
	uint32_t seq;
	paddr_t root, pa, got;
	unsigned prot;

	KT_ASSERT_EQ(t, arch_mmu_root_create(&root), KERR_OK);
	KT_ASSERT_EQ(t, frame_alloc(FRAME_OWNER_TEST, &pa), KERR_OK);
	KT_ASSERT_EQ(t, arch_mmu_map(root, USER_TEST_VA, pa, MMU_READ | MMU_USER), KERR_OK);
	KT_ASSERT_EQ(t, frame_free_count(), free0 - 5); /* root, data, PDPT, PD, PT */
	KT_ASSERT_EQ(t, arch_mmu_query(root, USER_TEST_VA, &got, &prot), KERR_OK);
	KT_ASSERT_EQ(t, got, pa);
	KT_ASSERT_EQ(t, prot, MMU_READ | MMU_USER);
	/* The kernel half is shared: the kernel image is visible through the new root. */
	KT_ASSERT_EQ(t, arch_mmu_query(root, (vaddr_t)&test_mmu_user_root_tables_freed, NULL, NULL),
		     KERR_OK);
	KT_ASSERT_EQ(t, arch_mmu_unmap(root, USER_TEST_VA, &got, &pt_free), KERR_OK);
	KT_ASSERT_EQ(t, pt_free.count, 3);
	/* The root was never loaded on any CPU; flush everywhere anyway, it is cheap. */
	seq = tlb_kernel_round_open(&pt_free);
	ipi_call(cpumask_all(), tlb_flush_all_ipi, &seq);
	frame_list_free(&pt_free);
	frame_free(pa);
	arch_mmu_root_destroy(root);
	KT_ASSERT_EQ(t, frame_free_count(), free0);
}
KTEST_REGISTER(test_mmu_user_root_tables_freed);

static void test_mmu_protect_weakening_enforced(struct ktest_ctx *t)
{
	vaddr_t va = VMAP_TEST_VA;
	paddr_t root = arch_mmu_kernel_root(), pa;
	struct frame_list pt_free = { 0, 0 };
	uint32_t seq;
	size_t free0 = frame_free_count();
	struct kfault_expect fe;
	unsigned prot;

	KT_ASSERT_EQ(t, frame_alloc(FRAME_OWNER_TEST, &pa), KERR_OK);
	KT_ASSERT_EQ(t, arch_mmu_map(root, va, pa, MMU_READ | MMU_WRITE), KERR_OK);
	*(volatile uint64_t *)va = 1;
	KT_ASSERT_EQ(t, arch_mmu_protect(root, va, MMU_READ), KERR_OK);
	seq = tlb_kernel_round_open(&pt_free);
	ipi_call(cpumask_all(), tlb_flush_all_ipi, &seq);
	KT_ASSERT_EQ(t, arch_mmu_query(root, va, NULL, &prot), KERR_OK);
	KT_ASSERT_EQ(t, prot, MMU_READ);
	KT_ASSERT_EQ(t, *(volatile uint64_t *)va, 1); /* still readable */
	if (kfault_expect_begin(&fe, VEC_PF) == 0) {
		*(volatile uint64_t *)va = 2;
		kfault_expect_end(&fe);
	}
	KT_ASSERT(t, fe.hit);
	KT_ASSERT_EQ(t, fe.cr2, va);
	KT_ASSERT_EQ(t, fe.error & (PF_ERR_PRESENT | PF_ERR_WRITE), PF_ERR_PRESENT | PF_ERR_WRITE);
	KT_ASSERT_EQ(t, *(volatile uint64_t *)phys_to_virt(pa), 1); /* the write did not land */
	/* Not executable (NX): a jump into the page faults with the fetch bit. */
	if (kfault_expect_begin(&fe, VEC_PF) == 0) {
		((void (*)(void))va)();
		kfault_expect_end(&fe);
	}
	KT_ASSERT(t, fe.hit);
	KT_ASSERT(t, fe.error & PF_ERR_FETCH);
	KT_ASSERT_EQ(t, arch_mmu_unmap(root, va, NULL, &pt_free), KERR_OK);
	seq = tlb_kernel_round_open(&pt_free);
	ipi_call(cpumask_all(), tlb_flush_all_ipi, &seq);
	frame_list_free(&pt_free);
	frame_free(pa);
	KT_ASSERT_EQ(t, frame_free_count(), free0);
}
KTEST_REGISTER(test_mmu_protect_weakening_enforced);

static void test_mmu_bad_arguments_change_nothing(struct ktest_ctx *t)
{
	paddr_t root = arch_mmu_kernel_root(), pa, got;
	struct frame_list pt_free = { 0, 0 };
	uint32_t seq;
	size_t free0;
	vaddr_t va = VMAP_TEST_VA;

	KT_ASSERT_EQ(t, frame_alloc(FRAME_OWNER_TEST, &pa), KERR_OK);
	free0 = frame_free_count();
	KT_ASSERT_EQ(t, arch_mmu_map(root, va + 1, pa, MMU_READ), KERR_INVALID_ARG);
	KT_ASSERT_EQ(t, arch_mmu_map(root, va, pa + 1, MMU_READ), KERR_INVALID_ARG);
	KT_ASSERT_EQ(t, arch_mmu_map(root, va, pa, MMU_WRITE), KERR_INVALID_ARG);
	KT_ASSERT_EQ(t, arch_mmu_map(root, va, pa, MMU_READ | MMU_USER), KERR_INVALID_ARG);
	KT_ASSERT_EQ(t, arch_mmu_map(root, 0x0000900000000000, pa, MMU_READ), KERR_INVALID_ARG);
	KT_ASSERT_EQ(t, arch_mmu_map(root, USER_TEST_VA, pa, MMU_READ | MMU_USER),
		     KERR_INVALID_ARG); /* the kernel root has no user half */
	KT_ASSERT_EQ(t, arch_mmu_map(root, KERNEL_DIRECT_BASE + 0x200000, pa, MMU_READ),
		     KERR_INVALID_ARG); /* kernel mappings only in the vmap area */
	KT_ASSERT_EQ(t, arch_mmu_unmap(root, va, NULL, &pt_free), KERR_NOT_FOUND);
	KT_ASSERT_EQ(t, arch_mmu_protect(root, va, MMU_READ), KERR_NOT_FOUND);
	KT_ASSERT_EQ(t, arch_mmu_query(root, va, NULL, NULL), KERR_NOT_FOUND);
	KT_ASSERT_EQ(t, frame_free_count(), free0);
	/* Double map: conflict, first mapping intact. */
	KT_ASSERT_EQ(t, arch_mmu_map(root, va, pa, MMU_READ), KERR_OK);
	KT_ASSERT_EQ(t, arch_mmu_map(root, va, pa, MMU_READ | MMU_WRITE), KERR_CONFLICT);
	KT_ASSERT_EQ(t, arch_mmu_protect(root, va, MMU_READ | MMU_USER), KERR_INVALID_ARG);
	KT_ASSERT_EQ(t, arch_mmu_query(root, va, &got, NULL), KERR_OK);
	KT_ASSERT_EQ(t, got, pa);
	KT_ASSERT_EQ(t, arch_mmu_unmap(root, va, NULL, &pt_free), KERR_OK);
	seq = tlb_kernel_round_open(&pt_free);
	ipi_call(cpumask_all(), tlb_flush_all_ipi, &seq);
	frame_list_free(&pt_free);
	frame_free(pa);
}
KTEST_REGISTER(test_mmu_bad_arguments_change_nothing);

static void test_mmu_map_no_memory_changes_nothing(struct ktest_ctx *t)
{
	size_t free0;
	paddr_t root, pa;

	KT_ASSERT_EQ(t, arch_mmu_root_create(&root), KERR_OK);
	KT_ASSERT_EQ(t, frame_alloc(FRAME_OWNER_TEST, &pa), KERR_OK);
	free0 = frame_free_count();
	/* The map needs PDPT, PD and PT: let the second table allocation fail. */
	frame_inject_failure(2);
	KT_ASSERT_EQ(t, arch_mmu_map(root, USER_TEST_VA, pa, MMU_READ | MMU_USER), KERR_NO_MEMORY);
	KT_ASSERT_EQ(t, frame_free_count(), free0);
	KT_ASSERT_EQ(t, frame_of(root)->pt_entries, 0);
	KT_ASSERT_EQ(t, arch_mmu_query(root, USER_TEST_VA, NULL, NULL), KERR_NOT_FOUND);
	frame_free(pa);
	arch_mmu_root_destroy(root);
}
KTEST_REGISTER(test_mmu_map_no_memory_changes_nothing);

static void test_mmu_query_direct_map_large_pages(struct ktest_ctx *t)
{
	paddr_t root = arch_mmu_kernel_root(), got;
	unsigned prot;

	KT_ASSERT_EQ(t, arch_mmu_query(root, KERNEL_DIRECT_BASE + 0x1234567, &got, &prot), KERR_OK);
	KT_ASSERT_EQ(t, got, 0x1234567);
	KT_ASSERT(t, prot & MMU_WRITE);
	KT_ASSERT_EQ(t, arch_mmu_query(root, (vaddr_t)&frame_alloc, &got, NULL), KERR_OK);
	KT_ASSERT_EQ(t, got, (vaddr_t)&frame_alloc - KERNEL_VMA);
	/* The boot identity map is gone once the APs are up: null is not mapped. */
	KT_ASSERT_EQ(t, arch_mmu_query(root, 0, NULL, NULL), KERR_NOT_FOUND);
}
KTEST_REGISTER(test_mmu_query_direct_map_large_pages);
