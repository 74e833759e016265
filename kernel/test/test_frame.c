/*
 * test_frame.c - kernel tests of the frame allocator: round trips keep the free count, every
 * edge of the frame machine, illegal edges and wrong from-states are caught, freed frames are
 * poisoned and a write after free is detected, pins block frees, allocation failure injection.
 */
#include <arch/layout.h>
#include <arch/mmu.h>
#include <arch/tlb.h>
#include <kern/ipi.h>
#include <kern/kfault.h>
#include <kern/ktest.h>
#include <kern/witness.h>
#include <mm/frame.h>
#include <mm/phys.h>
#include <mm/shootdown.h>

#define ROUNDTRIP_FRAMES 64

static bool frame_all(paddr_t pa, uint64_t pattern)
{
	const uint64_t *p = phys_to_virt(pa);

	for (size_t i = 0; i < PAGE_SIZE / 8; i++)
		if (p[i] != pattern)
			return false;
	return true;
}

/* @proves qemu_ktest_frame_alloc_free_roundtrip: frame:FRAME_FREE->FRAME_ALLOCATED frame:FRAME_ALLOCATED->FRAME_FREE */
static void test_frame_alloc_free_roundtrip(struct ktest_ctx *t)
{
	paddr_t pa[ROUNDTRIP_FRAMES];
	size_t free0 = frame_free_count();

	for (int i = 0; i < ROUNDTRIP_FRAMES; i++) {
		KT_ASSERT_EQ(t, frame_alloc(FRAME_OWNER_TEST, &pa[i]), KERR_OK);
		struct frame *f = frame_of(pa[i]);
		KT_ASSERT_EQ(t, f->state, FRAME_ALLOCATED);
		KT_ASSERT_EQ(t, f->owner, FRAME_OWNER_TEST);
		KT_ASSERT(t, IS_PAGE_ALIGNED(pa[i]));
		KT_ASSERT(t, frame_all(pa[i], 0)); /* handed out zeroed */
		for (int j = 0; j < i; j++)
			KT_ASSERT(t, pa[j] != pa[i]);
	}
	KT_ASSERT_EQ(t, frame_free_count(), free0 - ROUNDTRIP_FRAMES);
	for (int i = 0; i < ROUNDTRIP_FRAMES; i++) {
		frame_free(pa[i]);
		KT_ASSERT_EQ(t, frame_of(pa[i])->state, FRAME_FREE);
		KT_ASSERT(t, frame_all(pa[i], FRAME_POISON)); /* poisoned on free */
	}
	KT_ASSERT_EQ(t, frame_free_count(), free0);
}
KTEST_REGISTER(test_frame_alloc_free_roundtrip);

/*
 * The whole life of a data frame through a real mapping: map, unhook, flush, reuse, free.
 * @proves qemu_ktest_frame_machine_every_edge: frame:FRAME_FLUSHED->FRAME_FREE
 * (It also takes FRAME_FLUSHED -> FRAME_ALLOCATED, an edge no kernel path uses yet.)
 */
static void test_frame_machine_every_edge(struct ktest_ctx *t)
{
	vaddr_t va = KERNEL_VMAP_BASE + 0x200000;
	paddr_t root = arch_mmu_kernel_root(), pa, old;
	struct frame_list pt_free = { 0, 0 };
	uint32_t seq;
	size_t free0 = frame_free_count();
	struct frame *f;

	KT_ASSERT_EQ(t, frame_alloc(FRAME_OWNER_TEST, &pa), KERR_OK);
	f = frame_of(pa);
	for (int round = 0; round < 2; round++) {
		KT_ASSERT_EQ(t, arch_mmu_map(root, va, pa, MMU_READ | MMU_WRITE), KERR_OK);
		frame_transition(f, FRAME_ALLOCATED, FRAME_MAPPED);
		*(volatile uint64_t *)va = 0x1234 + round;
		KT_ASSERT_EQ(t, arch_mmu_unmap(root, va, &old, &pt_free), KERR_OK);
		KT_ASSERT_EQ(t, old, pa);
		frame_transition(f, FRAME_MAPPED, FRAME_UNHOOKED);
		/* The kernel root is loaded everywhere: flush on every CPU. */
		seq = tlb_kernel_round_open(&pt_free);
		witness_frame_stamp(f, seq);
		ipi_call(cpumask_all(), tlb_flush_all_ipi, &seq);
		frame_transition(f, FRAME_UNHOOKED, FRAME_FLUSHED);
		frame_list_free(&pt_free);
		KT_ASSERT_EQ(t, *(volatile uint64_t *)phys_to_virt(pa), 0x1234 + round);
		if (round == 0)
			frame_transition(f, FRAME_FLUSHED, FRAME_ALLOCATED);
	}
	KT_ASSERT_EQ(t, f->state, FRAME_FLUSHED);
	frame_free(pa);
	KT_ASSERT_EQ(t, f->state, FRAME_FREE);
	KT_ASSERT_EQ(t, frame_free_count(), free0);
}
KTEST_REGISTER(test_frame_machine_every_edge);

static void test_frame_illegal_edge_asserts(struct ktest_ctx *t)
{
	struct kfault_expect fe;
	paddr_t pa;
	struct frame *f;

	KT_ASSERT(t, !frame_edge_legal(FRAME_ALLOCATED, FRAME_FLUSHED));
	KT_ASSERT(t, !frame_edge_legal(FRAME_MAPPED, FRAME_FREE));
	KT_ASSERT(t, !frame_edge_legal(FRAME_FREE, FRAME_MAPPED));
	KT_ASSERT(t, frame_edge_legal(FRAME_UNHOOKED, FRAME_FLUSHED));
	KT_ASSERT_EQ(t, frame_alloc(FRAME_OWNER_TEST, &pa), KERR_OK);
	f = frame_of(pa);
	/* An edge that is not in the machine. */
	if (kfault_expect_begin(&fe, KFAULT_ASSERT) == 0) {
		frame_transition(f, FRAME_ALLOCATED, FRAME_FLUSHED);
		kfault_expect_end(&fe);
	}
	KT_ASSERT(t, fe.hit);
	KT_ASSERT_EQ(t, f->state, FRAME_ALLOCATED);
	/* A legal edge from the wrong state. */
	if (kfault_expect_begin(&fe, KFAULT_ASSERT) == 0) {
		frame_transition(f, FRAME_MAPPED, FRAME_UNHOOKED);
		kfault_expect_end(&fe);
	}
	KT_ASSERT(t, fe.hit);
	KT_ASSERT_EQ(t, f->state, FRAME_ALLOCATED);
	frame_free(pa);
}
KTEST_REGISTER(test_frame_illegal_edge_asserts);

static void test_frame_write_after_free_detected(struct ktest_ctx *t)
{
	struct kfault_expect fe;
	size_t free0 = frame_free_count();
	paddr_t pa, again = 0;

	KT_ASSERT_EQ(t, frame_alloc(FRAME_OWNER_TEST, &pa), KERR_OK);
	frame_free(pa);
	((volatile uint64_t *)phys_to_virt(pa))[17] = 42; /* the bug */
	/* The free list is LIFO: the next allocation takes pa and checks its poison. */
	if (kfault_expect_begin(&fe, KFAULT_ASSERT) == 0) {
		frame_alloc(FRAME_OWNER_TEST, &again);
		kfault_expect_end(&fe);
	}
	KT_ASSERT(t, fe.hit);
	KT_ASSERT_EQ(t, frame_of(pa)->state, FRAME_ALLOCATED);
	frame_free(pa);
	KT_ASSERT_EQ(t, frame_free_count(), free0);
}
KTEST_REGISTER(test_frame_write_after_free_detected);

static void test_frame_pinned_free_refused(struct ktest_ctx *t)
{
	struct kfault_expect fe;
	size_t free0 = frame_free_count();
	paddr_t pa;

	KT_ASSERT_EQ(t, frame_alloc(FRAME_OWNER_TEST, &pa), KERR_OK);
	frame_pin(frame_of(pa));
	if (kfault_expect_begin(&fe, KFAULT_ASSERT) == 0) {
		frame_free(pa);
		kfault_expect_end(&fe);
	}
	KT_ASSERT(t, fe.hit);
	KT_ASSERT_EQ(t, frame_of(pa)->state, FRAME_ALLOCATED);
	frame_unpin(frame_of(pa));
	frame_free(pa);
	KT_ASSERT_EQ(t, frame_free_count(), free0);
}
KTEST_REGISTER(test_frame_pinned_free_refused);

static void test_frame_alloc_failure_injected(struct ktest_ctx *t)
{
	size_t free0 = frame_free_count();
	paddr_t a, b = 0;

	frame_inject_failure(2);
	KT_ASSERT_EQ(t, frame_alloc(FRAME_OWNER_TEST, &a), KERR_OK);
	KT_ASSERT_EQ(t, frame_alloc(FRAME_OWNER_TEST, &b), KERR_NO_MEMORY);
	KT_ASSERT_EQ(t, b, 0);
	KT_ASSERT_EQ(t, frame_free_count(), free0 - 1);
	frame_free(a);
	KT_ASSERT_EQ(t, frame_free_count(), free0);
}
KTEST_REGISTER(test_frame_alloc_failure_injected);
