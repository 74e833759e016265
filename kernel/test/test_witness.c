/*
 * test_witness.c - each run-time witness (kern/witness.h) and each CPU protection
 * (arch/cpuprot.h) shown catching the defect it exists for: the test commits the defect on
 * purpose with an expectation armed, checks that exactly the expected report came, then
 * repairs what it broke. Without CAPOS_DEBUG (release kernels) the witness tests pass vacuously
 * only in the sense that they check nothing is reported; the qemu tests run the debug kernel.
 */
#include <arch/cpu.h>
#include <arch/cpuprot.h>
#include <arch/mmu.h>
#include <arch/trap.h>
#include <kern/kfault.h>
#include <kern/ktest.h>
#include <kern/percpu.h>
#include <kern/spinlock.h>
#include <kern/string.h>
#include <kern/witness.h>
#include <mm/aspace.h>
#include <mm/frame.h>
#include <mm/phys.h>
#include <mm/shootdown.h>

#define WIT_VA 0x40000000ull /* a user page of a fresh address space */

#ifdef CAPOS_DEBUG

/* A frame through MAPPED -> UNHOOKED without a PTE, as a path that forgot the gather. */
static paddr_t unhooked_test_frame(void)
{
	paddr_t pa;

	KASSERT(frame_alloc(FRAME_OWNER_TEST, &pa) == KERR_OK);
	frame_transition(frame_of(pa), FRAME_ALLOCATED, FRAME_MAPPED);
	frame_transition(frame_of(pa), FRAME_MAPPED, FRAME_UNHOOKED);
	return pa;
}

/* Defect: an unhooked frame declared flushed (and freed) with no shootdown round at all. */
static void test_witness_frame_flushed_without_round(struct ktest_ctx *t)
{
	paddr_t pa = unhooked_test_frame();
	struct witness_expect we;

	witness_expect_begin(&we, WITNESS_FRAME_EARLY_FREE);
	frame_transition(frame_of(pa), FRAME_UNHOOKED, FRAME_FLUSHED);
	KT_ASSERT_EQ(t, witness_expect_end(&we), 1);
	frame_free(pa); /* the report cleared the wait: no second report */
}
KTEST_REGISTER(test_witness_frame_flushed_without_round);

/* Defect: the frame's round was issued but one CPU of its snapshot has not acknowledged; a
 * round acknowledged by every CPU of its mask lets the frame go without a report. */
static void test_witness_frame_freed_before_ack(struct ktest_ctx *t)
{
	paddr_t early = unhooked_test_frame(), done = unhooked_test_frame();
	uint64_t self = (uint64_t)1 << cpu_id(), other = ncpus > 1 ? (uint64_t)1 << (cpu_id() ^ 1) : 0;
	uint32_t seq_early = witness_round_open(self | other | ((uint64_t)1 << (MAX_CPUS - 1)));
	uint32_t seq_done = witness_round_open(self);
	struct witness_expect we;

	witness_round_ack(seq_early, cpu_id()); /* only this CPU: the others never flushed */
	witness_round_ack(seq_done, cpu_id());
	witness_frame_stamp(frame_of(early), seq_early);
	witness_frame_stamp(frame_of(done), seq_done);
	KT_ASSERT(t, !witness_round_complete(seq_early));
	KT_ASSERT(t, witness_round_complete(seq_done));
	witness_expect_begin(&we, WITNESS_FRAME_EARLY_FREE);
	frame_transition(frame_of(done), FRAME_UNHOOKED, FRAME_FLUSHED);
	KT_ASSERT_EQ(t, we.hits, 0);
	frame_transition(frame_of(early), FRAME_UNHOOKED, FRAME_FLUSHED);
	KT_ASSERT_EQ(t, witness_expect_end(&we), 1);
	/* Complete the stale round so its slot can be reused without a report. */
	for (unsigned c = 0; c < MAX_CPUS; c++)
		witness_round_ack(seq_early, c);
	frame_free(early);
	frame_free(done);
}
KTEST_REGISTER(test_witness_frame_freed_before_ack);

/* Map one user page in a fresh root and unmap it again: its frame (unhooked) and the emptied
 * tables on pt wait for a flush. A separate function: the tlb/free_before_shootdown rule would
 * (rightly) flag the seeded defect below, and the rules run over kernel/test too.
 * TLB: caller (each test flushes, or deliberately does not). */
static paddr_t map_unmap_user_page(paddr_t root, struct frame_list *pt)
{
	paddr_t pa, got;

	KASSERT(frame_alloc(FRAME_OWNER_TEST, &pa) == KERR_OK);
	KASSERT(arch_mmu_map(root, WIT_VA, pa, MMU_READ | MMU_WRITE | MMU_USER) == KERR_OK);
	frame_transition(frame_of(pa), FRAME_ALLOCATED, FRAME_MAPPED);
	KASSERT(arch_mmu_unmap(root, WIT_VA, &got, pt) == KERR_OK && got == pa);
	frame_transition(frame_of(pa), FRAME_MAPPED, FRAME_UNHOOKED);
	return pa;
}

/* Defect: the page-table pages emptied by an unmap are freed before the flush that drops the
 * paging-structure caches pointing at them (one report per table). */
static void test_witness_table_freed_without_flush(struct ktest_ctx *t)
{
	struct frame_list pt = { 0, 0 }, data = { 0, 0 };
	struct witness_expect we;
	unsigned ntables;
	paddr_t root, pa;

	KT_ASSERT_EQ(t, arch_mmu_root_create(&root), KERR_OK);
	pa = map_unmap_user_page(root, &pt);
	ntables = pt.count;
	KT_ASSERT_EQ(t, ntables, 3); /* PT, PD and PDPT of a fresh root */
	witness_expect_begin(&we, WITNESS_FRAME_EARLY_FREE);
	/* cocci-expect: tlb/callee_unmap_free: the defect the witness catches */
	frame_list_free(&pt);
	KT_ASSERT_EQ(t, witness_expect_end(&we), ntables);
	/* The data frame the right way: a round on every CPU, then free. */
	frame_list_push(&data, frame_of(pa));
	tlb_kernel_release_frames(&data);
	arch_mmu_root_destroy(root);
}
KTEST_REGISTER(test_witness_table_freed_without_flush);

/* Defect: a PTE weakened under the address-space lock, the lock released with no shootdown.
 * Then the repair: the same change covered by a round leaves nothing pending. */
static void test_witness_weaken_unlock_without_shootdown(struct ktest_ctx *t)
{
	struct witness_expect we;
	struct tlb_gather tg;
	struct aspace *as;

	KT_ASSERT_EQ(t, aspace_create(&as), KERR_OK);
	KT_ASSERT_EQ(t, aspace_map_page(as, WIT_VA, MMU_READ | MMU_WRITE, NULL), KERR_OK);
	KT_ASSERT_EQ(t, witness_pte_pending(as->root), 0);
	spin_lock(&as->lock);
	/* cocci-expect: tlb/round_after_unlock: the defect the witness catches */
	KASSERT(arch_mmu_protect(as->root, WIT_VA, MMU_READ | MMU_USER) == KERR_OK);
	KT_ASSERT_EQ(t, witness_pte_pending(as->root), 1);
	witness_expect_begin(&we, WITNESS_UNFLUSHED);
	spin_unlock(&as->lock);
	KT_ASSERT_EQ(t, witness_expect_end(&we), 1);
	tlb_gather_init(&tg, as);
	spin_lock(&as->lock);
	tlb_gather_page(&tg, WIT_VA);
	tlb_shootdown(&tg);
	witness_expect_begin(&we, WITNESS_UNFLUSHED);
	spin_unlock(&as->lock);
	KT_ASSERT_EQ(t, witness_expect_end(&we), 0);
	tlb_shootdown_wait(&tg);
	KT_ASSERT_EQ(t, witness_pte_pending(as->root), 0);
	aspace_put(as);
}
KTEST_REGISTER(test_witness_weaken_unlock_without_shootdown);

/* Defect: an error path returns to user space holding a spinlock; the report names its class. */
static void test_witness_return_to_user_lock_held(struct ktest_ctx *t)
{
	struct spinlock l = SPINLOCK_INIT("witness_test_class");
	struct witness_expect we;
	unsigned held0 = witness_locks_held();

	spin_lock(&l);
	KT_ASSERT_EQ(t, witness_locks_held(), held0 + 1);
	KT_ASSERT(t, strcmp(witness_lock_held_name(held0), "witness_test_class") == 0);
	witness_expect_begin(&we, WITNESS_LOCK_HELD);
	witness_return_to_user();
	KT_ASSERT_EQ(t, witness_expect_end(&we), 1);
	spin_unlock(&l);
	KT_ASSERT_EQ(t, witness_locks_held(), held0);
	witness_expect_begin(&we, WITNESS_LOCK_HELD);
	witness_return_to_user();
	KT_ASSERT_EQ(t, witness_expect_end(&we), 0);
}
KTEST_REGISTER(test_witness_return_to_user_lock_held);

/* Defect: returning to user space in an address space with a weakened PTE not yet flushed. */
static void test_witness_return_to_user_unflushed(struct ktest_ctx *t)
{
	struct aspace *as, *prev = this_cpu()->aspace;
	struct witness_expect we;
	struct tlb_gather tg;
	unsigned hits;

	KT_ASSERT_EQ(t, aspace_create(&as), KERR_OK);
	KT_ASSERT_EQ(t, aspace_map_page(as, WIT_VA, MMU_READ | MMU_WRITE, NULL), KERR_OK);
	irq_disable();
	aspace_switch(as);
	spin_lock(&as->lock);
	/* cocci-expect: tlb/round_after_unlock: the defect the witness catches */
	KASSERT(arch_mmu_protect(as->root, WIT_VA, MMU_READ | MMU_USER) == KERR_OK);
	tlb_gather_init(&tg, as);
	tlb_gather_page(&tg, WIT_VA); /* recorded, but the round is never issued before return */
	witness_expect_begin(&we, WITNESS_UNFLUSHED);
	spin_unlock(&as->lock);
	witness_return_to_user();
	hits = witness_expect_end(&we);
	aspace_switch(prev);
	irq_enable();
	KT_ASSERT_EQ(t, hits, 2); /* at the unlock, and at the return */
	spin_lock(&as->lock);
	tlb_shootdown(&tg);
	spin_unlock(&as->lock);
	tlb_shootdown_wait(&tg);
	KT_ASSERT_EQ(t, witness_pte_pending(as->root), 0);
	aspace_put(as);
}
KTEST_REGISTER(test_witness_return_to_user_unflushed);

/* Defect: a switch path that loads a root without recording residency (here: the record lost
 * after the load); the next switch of this CPU reports it. */
static void test_witness_residency_mismatch_at_switch(struct ktest_ctx *t)
{
	struct aspace *as, *prev = this_cpu()->aspace;
	uint64_t me = (uint64_t)1 << cpu_id();
	struct witness_expect we;
	unsigned hits;

	KT_ASSERT_EQ(t, aspace_create(&as), KERR_OK);
	irq_disable();
	witness_expect_begin(&we, WITNESS_RESIDENCY);
	aspace_switch(as);
	KASSERT(we.hits == 0); /* a correct switch reports nothing */
	__atomic_and_fetch(&as->resident, ~me, __ATOMIC_SEQ_CST);
	aspace_switch(prev);
	hits = witness_expect_end(&we);
	irq_enable();
	KT_ASSERT_EQ(t, hits, 1);
	aspace_put(as);
}
KTEST_REGISTER(test_witness_residency_mismatch_at_switch);

/* Defect: the frame's packed state byte written through a pointer (no field assignment for a
 * static rule to see); the next frame_transition() finds it disagreeing with its shadow. */
static void test_witness_frame_state_written_directly(struct ktest_ctx *t)
{
	struct witness_expect we;
	uint8_t *state;
	paddr_t pa;

	KT_ASSERT_EQ(t, frame_alloc(FRAME_OWNER_TEST, &pa), KERR_OK);
	state = &frame_of(pa)->state;
	/* cocci-expect: state/indirect_write, state/constant_store: the defect the witness catches */
	*state = FRAME_FLUSHED; /* the defect: bypasses frame_transition() */
	witness_expect_begin(&we, WITNESS_STATE_BYPASS);
	frame_free(pa); /* FRAME_FLUSHED -> FRAME_FREE: the witness sees the bypass */
	KT_ASSERT_EQ(t, witness_expect_end(&we), 1);
	KT_ASSERT_EQ(t, frame_of(pa)->state, FRAME_FREE);
}
KTEST_REGISTER(test_witness_frame_state_written_directly);

#endif /* CAPOS_DEBUG */

/* The kernel touches user memory only through the copy helpers (via the direct map): a direct
 * load through a user address is a fault, reported as the SMAP violation it is. */
static void test_cpuprot_smap_catches_kernel_read_of_user_page(struct ktest_ctx *t)
{
	struct aspace *as, *prev = this_cpu()->aspace;
	struct kfault_expect fe;
	volatile uint64_t got = 0;
	paddr_t pa;

	KT_ASSERT(t, cpu_protect_enabled() & CR4_SMAP); /* ci/qemu-run's CPU model has it */
	KT_ASSERT_EQ(t, aspace_create(&as), KERR_OK);
	KT_ASSERT_EQ(t, aspace_map_page(as, WIT_VA, MMU_READ | MMU_WRITE, &pa), KERR_OK);
	*(uint64_t *)phys_to_virt(pa) = 0x5a5a5a5a;
	irq_disable();
	aspace_switch(as);
	if (kfault_expect_begin(&fe, VEC_PF) == 0) {
		got = *(volatile uint64_t *)WIT_VA; /* the defect: a user address dereferenced */
		kfault_expect_end(&fe);
	}
	aspace_switch(prev);
	irq_enable();
	aspace_put(as);
	KT_ASSERT(t, fe.hit);
	KT_ASSERT_EQ(t, got, 0);
	KT_ASSERT_EQ(t, fe.cr2, WIT_VA);
	KT_ASSERT(t, cpu_pf_defect(fe.error, fe.cr2) != NULL);
	KT_ASSERT(t, strcmp(cpu_pf_defect(fe.error, fe.cr2),
			    "SMAP violation (kernel read of a user page)") == 0);
}
KTEST_REGISTER(test_cpuprot_smap_catches_kernel_read_of_user_page);

/* A kernel jump into a user page (a `ret` placed there) is a fault, reported as SMEP. */
static void test_cpuprot_smep_catches_kernel_exec_of_user_page(struct ktest_ctx *t)
{
	struct aspace *as, *prev = this_cpu()->aspace;
	struct kfault_expect fe;
	paddr_t pa;

	KT_ASSERT(t, cpu_protect_enabled() & CR4_SMEP);
	KT_ASSERT_EQ(t, aspace_create(&as), KERR_OK);
	KT_ASSERT_EQ(t, aspace_map_page(as, WIT_VA, MMU_READ | MMU_EXEC, &pa), KERR_OK);
	*(uint8_t *)phys_to_virt(pa) = 0xc3; /* ret */
	irq_disable();
	aspace_switch(as);
	if (kfault_expect_begin(&fe, VEC_PF) == 0) {
		((void (*)(void))WIT_VA)();
		kfault_expect_end(&fe);
	}
	aspace_switch(prev);
	irq_enable();
	aspace_put(as);
	KT_ASSERT(t, fe.hit);
	KT_ASSERT_EQ(t, fe.cr2, WIT_VA);
	KT_ASSERT(t, cpu_pf_defect(fe.error, fe.cr2) != NULL);
	KT_ASSERT(t, strcmp(cpu_pf_defect(fe.error, fe.cr2),
			    "SMEP violation (kernel executed a user page)") == 0);
}
KTEST_REGISTER(test_cpuprot_smep_catches_kernel_exec_of_user_page);
