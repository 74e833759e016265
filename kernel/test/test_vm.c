/*
 * test_vm.c - kernel tests of the memory-model pieces below the capabilities: large
 * allocations (kvbig), account donation and reclaim, the exact page-table estimate behind a
 * commit, a commit/decommit/unmap cycle that returns every frame and charge, and the lazy
 * commit's fault-time fill.
 */
#include <arch/mmu.h>
#include <capos/abi.h>
#include <kern/ktest.h>
#include <lib/vmspace.h>
#include <mm/acct.h>
#include <mm/aspace.h>
#include <mm/frame.h>
#include <mm/kvbig.h>
#include <mm/memobj.h>
#include <mm/vm.h>

/* @proves qemu_ktest_kvbig_alloc_free_restores_frames: frame:FRAME_ALLOCATED->FRAME_MAPPED frame:FRAME_MAPPED->FRAME_UNHOOKED */
static void test_kvbig_alloc_free_restores_frames(struct ktest_ctx *t)
{
	size_t free0 = frame_free_count();
	unsigned live0 = kvbig_live_count();
	uint8_t *p = kvbig_alloc(5 * PAGE_SIZE + 7), *q = kvbig_alloc(70000);

	KT_ASSERT(t, p && q && p != q);
	KT_ASSERT(t, p[0] == 0 && p[5 * PAGE_SIZE + 6] == 0 && q[69999] == 0);
	p[5 * PAGE_SIZE + 6] = 1;
	q[0] = 2;
	KT_ASSERT_EQ(t, kvbig_live_count(), live0 + 2);
	kvbig_free(p, 5 * PAGE_SIZE + 7);
	kvbig_free(q, 70000);
	KT_ASSERT_EQ(t, kvbig_live_count(), live0);
	KT_ASSERT_EQ(t, frame_free_count(), free0);
}
KTEST_REGISTER(test_kvbig_alloc_free_restores_frames);

static void test_acct_donation_returns_on_last_put(struct ktest_ctx *t)
{
	uint64_t lim[LEDGER_KIND_COUNT] = { 100, 50, 10, 10, 5, 0 }, used, limit;
	unsigned live0 = acct_live_count();
	struct acct *root, *child;

	KT_ASSERT_EQ(t, acct_create_root(&root), KERR_OK);
	KT_ASSERT_EQ(t, acct_donate(root, lim, &child), KERR_OK);
	acct_usage(root, LEDGER_COMMIT, &used, &limit);
	KT_ASSERT_EQ(t, used, 50);
	KT_ASSERT_EQ(t, acct_charge(child, LEDGER_COMMIT, 51), KERR_QUOTA_COMMIT);
	KT_ASSERT_EQ(t, acct_charge(child, LEDGER_COMMIT, 50), KERR_OK);
	acct_release(child, LEDGER_COMMIT, 50);
	acct_put(child); /* reclaim: the donation returns */
	acct_usage(root, LEDGER_COMMIT, &used, &limit);
	KT_ASSERT_EQ(t, used, 0);
	acct_put(root);
	KT_ASSERT_EQ(t, acct_live_count(), live0);
}
KTEST_REGISTER(test_acct_donation_returns_on_last_put);

/* The estimate is exact: a commit KASSERTs its table pool is used up; check the count too. */
/* @proves qemu_ktest_vm_commit_tables_exact_and_cycle_returns_all: frame:FRAME_MAPPED->FRAME_UNHOOKED frame:FRAME_ALLOCATED->FRAME_MAPPED */
static void test_vm_commit_tables_exact_and_cycle_returns_all(struct ktest_ctx *t)
{
	const uint64_t at = 0x200000000000ull - 8 * PAGE_SIZE; /* crosses a 512 GiB boundary */
	size_t free0 = frame_free_count();
	struct aspace *as;
	uint64_t base, used, limit;

	KT_ASSERT_EQ(t, aspace_create(&as), KERR_OK);
	KT_ASSERT_EQ(t, arch_mmu_tables_needed(as->root, at, 16 * PAGE_SIZE), 6);
	KT_ASSERT_EQ(t, aspace_vm_reserve(as, 16 * PAGE_SIZE, at, VM_FIXED, VM_PROT_ALL, &base),
		     KERR_OK);
	KT_ASSERT_EQ(t, aspace_vm_commit(as, at, 16 * PAGE_SIZE, VM_PROT_READ | VM_PROT_WRITE),
		     KERR_OK);
	acct_usage(as->acct, LEDGER_PAGETABLE, &used, &limit);
	KT_ASSERT_EQ(t, used, 6); /* PDPT, PD and PT on each side of the boundary */
	KT_ASSERT_EQ(t, arch_mmu_tables_needed(as->root, at, 16 * PAGE_SIZE), 0);
	KT_ASSERT_EQ(t, aspace_vm_decommit(as, at + 4 * PAGE_SIZE, 4 * PAGE_SIZE), KERR_OK);
	KT_ASSERT_EQ(t, aspace_vm_unmap(as, at, 16 * PAGE_SIZE), KERR_OK);
	acct_usage(as->acct, LEDGER_PAGETABLE, &used, &limit);
	KT_ASSERT_EQ(t, used, 0);
	acct_usage(as->acct, LEDGER_COMMIT, &used, &limit);
	KT_ASSERT_EQ(t, used, 0);
	aspace_put(as);
	KT_ASSERT_EQ(t, frame_free_count(), free0);
}
KTEST_REGISTER(test_vm_commit_tables_exact_and_cycle_returns_all);

/*
 * A memory object's state follows its borrowed mappings (struct memobj I4: MAPPED iff a
 * mapping exists and a capability is held): the last object-specific unmap and the exit-time
 * detach both return it to PUBLISHED. Nothing else reads the state until the last capability
 * goes, and MAPPED and PUBLISHED objects are both released the same way, so the mutation run
 * removed either MAPPED -> PUBLISHED transition with every test passing.
 * @proves qemu_ktest_vm_memobj_state_follows_mappings: memobj:MEMOBJ_PUBLISHED->MEMOBJ_MAPPED memobj:MEMOBJ_MAPPED->MEMOBJ_PUBLISHED
 */
static void test_vm_memobj_state_follows_mappings(struct ktest_ctx *t)
{
	const uint64_t at = 0x40000000ull;
	size_t free0 = frame_free_count();
	struct aspace *as;
	struct memobj *o;
	uint64_t base;

	KT_ASSERT_EQ(t, aspace_create(&as), KERR_OK);
	KT_ASSERT_EQ(t, memobj_create(as->acct, 2, &o), KERR_OK);
	memobj_published(o);
	KT_ASSERT_EQ(t, o->state, MEMOBJ_PUBLISHED);
	KT_ASSERT_EQ(t, memobj_map(o, as, at, 0, 2 * PAGE_SIZE, VM_PROT_READ, VM_PROT_READ,
				   VM_FIXED, &base), KERR_OK);
	KT_ASSERT_EQ(t, o->state, MEMOBJ_MAPPED);
	KT_ASSERT_EQ(t, memobj_unmap(o, as, at, 2 * PAGE_SIZE), KERR_OK);
	KT_ASSERT_EQ(t, o->state, MEMOBJ_PUBLISHED); /* the last mapping went */
	KT_ASSERT_EQ(t, memobj_map(o, as, at, 0, PAGE_SIZE, VM_PROT_READ, VM_PROT_READ, VM_FIXED,
				   &base), KERR_OK);
	KT_ASSERT_EQ(t, o->state, MEMOBJ_MAPPED);
	memobj_detach_all(as); /* what process exit does */
	KT_ASSERT_EQ(t, o->state, MEMOBJ_PUBLISHED);
	memobj_cap_put(o); /* the last capability: released and freed */
	aspace_put(as);
	KT_ASSERT_EQ(t, frame_free_count(), free0);
}
KTEST_REGISTER(test_vm_memobj_state_follows_mappings);

/* Lazy commit: charges at commit time, no data frame until aspace_vm_fault() fills a page;
 * a second fault on a filled page takes nothing; uncommitted and PROT_NONE pages are no lazy
 * pages; a failed frame allocation (the OOM exit's cause) changes nothing; untouched pages
 * decommit without frames; the teardown returns the table pool. */
/* @proves qemu_ktest_vm_lazy_commit_fault_fill: frame:FRAME_ALLOCATED->FRAME_MAPPED */
static void test_vm_lazy_commit_fault_fill(struct ktest_ctx *t)
{
	const uint64_t at = 0x200000000000ull - 8 * PAGE_SIZE; /* crosses a 512 GiB boundary */
	struct aspace *as;
	uint64_t base, used, limit;
	size_t free0 = frame_free_count(), free1;
	paddr_t pa;
	unsigned prot;

	KT_ASSERT_EQ(t, aspace_create(&as), KERR_OK);
	KT_ASSERT_EQ(t, aspace_vm_reserve(as, 16 * PAGE_SIZE, at, VM_FIXED, VM_PROT_ALL, &base),
		     KERR_OK);
	free1 = frame_free_count();
	KT_ASSERT_EQ(t, aspace_vm_commit_lazy(as, at, 16 * PAGE_SIZE, VM_PROT_READ | VM_PROT_WRITE),
		     KERR_OK);
	acct_usage(as->acct, LEDGER_COMMIT, &used, &limit);
	KT_ASSERT_EQ(t, used, 16);
	acct_usage(as->acct, LEDGER_PAGETABLE, &used, &limit);
	KT_ASSERT_EQ(t, used, 6);
	/* The tables (and maybe a heap page for the page-state array), no data frame. */
	KT_ASSERT(t, frame_free_count() <= free1 - 6 && frame_free_count() >= free1 - 7);
	free1 = frame_free_count(); /* from here: data frames only */
	KT_ASSERT_EQ(t, arch_mmu_query(as->root, at, &pa, &prot), KERR_NOT_FOUND);
	KT_ASSERT_EQ(t, aspace_vm_fault(as, at + 5 * PAGE_SIZE + 123), KERR_OK);
	KT_ASSERT_EQ(t, frame_free_count(), free1 - 1);
	KT_ASSERT_EQ(t, arch_mmu_query(as->root, at + 5 * PAGE_SIZE, &pa, &prot), KERR_OK);
	KT_ASSERT_EQ(t, aspace_vm_fault(as, at + 5 * PAGE_SIZE), KERR_OK); /* already filled */
	KT_ASSERT_EQ(t, frame_free_count(), free1 - 1);
	KT_ASSERT_EQ(t, aspace_vm_fault(as, at + 16 * PAGE_SIZE), KERR_NOT_FOUND); /* free */
	KT_ASSERT_EQ(t, aspace_vm_protect(as, at + 6 * PAGE_SIZE, PAGE_SIZE, VM_PROT_NONE),
		     KERR_OK);
	KT_ASSERT_EQ(t, aspace_vm_fault(as, at + 6 * PAGE_SIZE), KERR_NOT_FOUND); /* PROT_NONE */
	frame_inject_failure(1);
	KT_ASSERT_EQ(t, aspace_vm_fault(as, at + 7 * PAGE_SIZE), KERR_NO_MEMORY);
	KT_ASSERT_EQ(t, arch_mmu_query(as->root, at + 7 * PAGE_SIZE, &pa, &prot), KERR_NOT_FOUND);
	KT_ASSERT_EQ(t, frame_free_count(), free1 - 1);
	KT_ASSERT_EQ(t, aspace_vm_fault(as, at + 7 * PAGE_SIZE), KERR_OK); /* still pending */
	KT_ASSERT_EQ(t, frame_free_count(), free1 - 2);
	KT_ASSERT_EQ(t, aspace_vm_decommit(as, at, 16 * PAGE_SIZE), KERR_OK);
	acct_usage(as->acct, LEDGER_COMMIT, &used, &limit);
	KT_ASSERT_EQ(t, used, 0);
	KT_ASSERT_EQ(t, aspace_vm_unmap(as, at, 16 * PAGE_SIZE), KERR_OK);
	aspace_put(as);
	KT_ASSERT_EQ(t, frame_free_count(), free0);
}
KTEST_REGISTER(test_vm_lazy_commit_fault_fill);
