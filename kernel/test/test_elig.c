/*
 * test_elig.c - kernel tests of page eligibility (mm/frame.h I7, lib/elig.h): every kind of
 * page a process can hold and the kernel's own get their bits from the code that creates them
 * and lose them when it releases them; the query's answer for swap and DMA; a release with a
 * role bit left and a reuse with a stale bit are caught (debug kernels).
 */
#include <arch/mmu.h>
#include <cap/invoke.h>
#include <capos/abi.h>
#include <kern/kfault.h>
#include <kern/ktest.h>
#include <mm/aspace.h>
#include <mm/frame.h>
#include <mm/kheap.h>
#include <mm/memobj.h>
#include <mm/phys.h>
#include <mm/pin.h>
#include <mm/vm.h>
#include <proc/elfload.h>
#include <proc/process.h>

static const struct cap console_cap = {
	CAP_TYPE_CONSOLE, CAP_RIGHT_WRITE | CAP_RIGHT_COPY, (uintptr_t)&console_object
};

#define AT 0x10000000ull /* anonymous page */
#define OBJ_AT 0x20000000ull /* object pages, 2 of them */

/* The answer for both purposes and the bits of the frame behind va in as. */
static bool elig_at(struct aspace *as, uint64_t va, uint64_t *swap, uint64_t *dma,
		    uint64_t *bits)
{
	uint64_t b2;

	return aspace_vm_eligibility(as, va, ELIG_FOR_SWAP, swap, bits) == KERR_OK &&
	       aspace_vm_eligibility(as, va, ELIG_FOR_DMA, dma, &b2) == KERR_OK && b2 == *bits;
}

/* Anonymous, pinned, page-table: bits set by commit, pin and the MMU's table allocation,
 * cleared by unpin; the VirtualMemory method's bad arguments change nothing.
 * @proves qemu_ktest_elig_anonymous_pinned_and_table_pages: MAM-F3
 */
static void test_elig_anonymous_pinned_and_table_pages(struct ktest_ctx *t)
{
	size_t free0 = frame_free_count();
	uint64_t base, swap, dma, bits;
	struct aspace *as;
	paddr_t pa;
	unsigned prot;

	KT_ASSERT_EQ(t, aspace_create(&as), KERR_OK);
	KT_ASSERT_EQ(t, aspace_vm_reserve(as, PAGE_SIZE, AT, VM_FIXED, VM_PROT_ALL, &base), KERR_OK);
	KT_ASSERT_EQ(t, aspace_vm_eligibility(as, AT, ELIG_FOR_SWAP, &swap, &bits), KERR_NOT_FOUND);
	KT_ASSERT_EQ(t, aspace_vm_commit(as, AT, PAGE_SIZE, VM_PROT_READ | VM_PROT_WRITE), KERR_OK);
	KT_ASSERT(t, elig_at(as, AT + 123, &swap, &dma, &bits));
	KT_ASSERT_EQ(t, bits, 0);
	KT_ASSERT_EQ(t, swap, ELIG_OK);
	KT_ASSERT_EQ(t, dma, ELIG_R_NOT_OBJECT);
	KT_ASSERT_EQ(t, aspace_vm_eligibility(as, AT, ELIG_PURPOSE_COUNT, &swap, &bits),
		     KERR_INVALID_ARG);
	KT_ASSERT_EQ(t, aspace_vm_eligibility(as, ~0ull, ELIG_FOR_SWAP, &swap, &bits),
		     KERR_INVALID_ARG);

	KT_ASSERT_EQ(t, pin_pin(as, as->acct, AT, PAGE_SIZE), KERR_OK);
	KT_ASSERT(t, elig_at(as, AT, &swap, &dma, &bits));
	KT_ASSERT_EQ(t, bits, ELIG_PINNED);
	KT_ASSERT_EQ(t, swap, ELIG_R_PINNED);
	KT_ASSERT_EQ(t, dma, ELIG_R_NOT_OBJECT); /* anonymous memory never reaches a device */
	KT_ASSERT_EQ(t, pin_unpin(as, AT, PAGE_SIZE), KERR_OK);
	KT_ASSERT(t, elig_at(as, AT, &swap, &dma, &bits));
	KT_ASSERT_EQ(t, bits, 0);

	/* The root and the tables below it: ELIG_PAGETABLE from FRAME_OWNER_PAGETABLE. */
	KT_ASSERT_EQ(t, frame_eligibility(as->root, ELIG_FOR_SWAP), ELIG_R_PAGETABLE);
	KT_ASSERT_EQ(t, frame_eligibility(as->root, ELIG_FOR_DMA), ELIG_R_PAGETABLE);
	KT_ASSERT_EQ(t, arch_mmu_query(as->root, AT, &pa, &prot), KERR_OK);
	KT_ASSERT_EQ(t, frame_eligibility(pa, ELIG_FOR_SWAP), ELIG_OK);
	aspace_put(as);
	/* Released: the page's frame is free (its word empty), never eligible. */
	KT_ASSERT_EQ(t, frame_eligibility(pa, ELIG_FOR_SWAP), ELIG_R_FREE);
	KT_ASSERT_EQ(t, frame_of(pa)->elig, 0);
	KT_ASSERT_EQ(t, frame_free_count(), free0);
}
KTEST_REGISTER(test_elig_anonymous_pinned_and_table_pages);

/* MemoryObject pages: ELIG_OBJECT from allocation to release; ELIG_SHARED_IPC while two
 * address spaces map them; ELIG_RING while a SharedBuffer is built on them; a pin makes them
 * the one kind a device may get; ELIG_DMA and ELIG_SECRET as a device or key owner would set
 * them.
 * @proves qemu_ktest_elig_object_shared_ring_pages: MAM-F3
 */
static void test_elig_object_shared_ring_pages(struct ktest_ctx *t)
{
	size_t free0 = frame_free_count();
	uint64_t base, swap, dma, bits;
	struct aspace *as, *peer;
	struct memobj *o;
	paddr_t pa;

	KT_ASSERT_EQ(t, aspace_create(&as), KERR_OK);
	KT_ASSERT_EQ(t, aspace_create(&peer), KERR_OK);
	KT_ASSERT_EQ(t, memobj_create(as->acct, 2, &o), KERR_OK);
	memobj_published(o);
	pa = o->frames[1];
	KT_ASSERT_EQ(t, frame_elig_bits(frame_of(pa)), ELIG_OBJECT);
	KT_ASSERT_EQ(t, memobj_map(o, as, OBJ_AT, 0, 2 * PAGE_SIZE, VM_PROT_READ | VM_PROT_WRITE,
				   VM_PROT_READ | VM_PROT_WRITE, VM_FIXED, &base), KERR_OK);
	KT_ASSERT(t, elig_at(as, OBJ_AT + PAGE_SIZE, &swap, &dma, &bits));
	KT_ASSERT_EQ(t, bits, ELIG_OBJECT);
	KT_ASSERT_EQ(t, swap, ELIG_R_OBJECT);
	KT_ASSERT_EQ(t, dma, ELIG_R_NOT_PINNED);

	/* Pinned object page: the one page a device may get. */
	KT_ASSERT_EQ(t, pin_object(as, as->acct, o, PAGE_SIZE, PAGE_SIZE), KERR_OK);
	KT_ASSERT(t, elig_at(as, OBJ_AT + PAGE_SIZE, &swap, &dma, &bits));
	KT_ASSERT_EQ(t, bits, ELIG_OBJECT | ELIG_PINNED);
	KT_ASSERT_EQ(t, swap, ELIG_R_PINNED);
	KT_ASSERT_EQ(t, dma, ELIG_OK);
	/* What a DMA map would do (none exists): the device owns it, nothing else may. */
	frame_elig_set(frame_of(pa), ELIG_DMA);
	KT_ASSERT_EQ(t, frame_eligibility(pa, ELIG_FOR_SWAP), ELIG_R_DMA);
	KT_ASSERT_EQ(t, frame_eligibility(pa, ELIG_FOR_DMA), ELIG_R_DMA);
	frame_elig_clear(frame_of(pa), ELIG_DMA);
	KT_ASSERT_EQ(t, pin_unpin_object(as, o, PAGE_SIZE, PAGE_SIZE), KERR_OK);

	/* Shared: a second address space maps it. */
	KT_ASSERT_EQ(t, memobj_map(o, peer, OBJ_AT, 0, PAGE_SIZE, VM_PROT_READ, VM_PROT_READ,
				   VM_FIXED, &base), KERR_OK);
	KT_ASSERT(t, elig_at(as, OBJ_AT + PAGE_SIZE, &swap, &dma, &bits));
	KT_ASSERT_EQ(t, bits, ELIG_OBJECT | ELIG_SHARED_IPC);
	KT_ASSERT_EQ(t, swap, ELIG_R_SHARED_IPC);
	KT_ASSERT_EQ(t, dma, ELIG_R_SHARED_IPC);
	KT_ASSERT_EQ(t, memobj_unmap(o, peer, OBJ_AT, PAGE_SIZE), KERR_OK);
	KT_ASSERT_EQ(t, frame_elig_bits(frame_of(pa)), ELIG_OBJECT);

	/* Ring: a SharedBuffer on it (two, then none). */
	memobj_ring_attach(o);
	memobj_ring_attach(o);
	KT_ASSERT(t, elig_at(as, OBJ_AT, &swap, &dma, &bits));
	KT_ASSERT_EQ(t, bits, ELIG_OBJECT | ELIG_RING);
	KT_ASSERT_EQ(t, swap, ELIG_R_RING);
	KT_ASSERT_EQ(t, dma, ELIG_R_RING);
	memobj_ring_detach(o);
	KT_ASSERT_EQ(t, frame_elig_bits(frame_of(pa)), ELIG_OBJECT | ELIG_RING);
	memobj_ring_detach(o);
	KT_ASSERT_EQ(t, frame_elig_bits(frame_of(pa)), ELIG_OBJECT);

	/* Secret, as a key's owner would mark it. */
	frame_elig_set(frame_of(pa), ELIG_SECRET);
	KT_ASSERT_EQ(t, frame_eligibility(pa, ELIG_FOR_SWAP), ELIG_R_SECRET);
	KT_ASSERT_EQ(t, frame_eligibility(pa, ELIG_FOR_DMA), ELIG_R_SECRET);
	frame_elig_clear(frame_of(pa), ELIG_SECRET);

	memobj_cap_put(o); /* the last capability: mappings torn down, frames released */
	KT_ASSERT_EQ(t, frame_eligibility(pa, ELIG_FOR_SWAP), ELIG_R_FREE);
	KT_ASSERT_EQ(t, frame_of(pa)->elig, 0);
	aspace_put(peer);
	aspace_put(as);
	KT_ASSERT_EQ(t, frame_free_count(), free0);
}
KTEST_REGISTER(test_elig_object_shared_ring_pages);

/* Kernel pages: a capability table (FRAME_OWNER_CAPTABLE), a heap slab, and addresses that
 * are no allocatable RAM; the answer never depends on an unchecked address.
 * @proves qemu_ktest_elig_kernel_captable_and_unmanaged: MAM-F3
 */
static void test_elig_kernel_captable_and_unmanaged(struct ktest_ctx *t)
{
	struct capos_exit_status s;
	struct process *p;
	void *h = kmalloc(64);

	KT_ASSERT(t, h != NULL);
	KT_ASSERT_EQ(t, frame_eligibility(virt_to_phys(h) & ~PAGE_MASK, ELIG_FOR_SWAP),
		     ELIG_R_KERNEL);
	KT_ASSERT_EQ(t, frame_eligibility(virt_to_phys(h) & ~PAGE_MASK, ELIG_FOR_DMA),
		     ELIG_R_KERNEL);
	kfree(h);
	KT_ASSERT_EQ(t, frame_eligibility(1ull << 50, ELIG_FOR_SWAP), ELIG_R_UNMANAGED);
	KT_ASSERT_EQ(t, frame_eligibility(0x1000123, ELIG_FOR_SWAP), ELIG_R_UNMANAGED);
	KT_ASSERT_EQ(t, frame_eligibility(0, ELIG_FOR_DMA), ELIG_R_UNMANAGED);

	KT_ASSERT(t, elfload_find("spin", 4));
	KT_ASSERT_EQ(t, process_spawn("spin", "", &console_cap, 1, &p), KERR_OK);
	paddr_t ct = virt_to_phys(p->slots);
	KT_ASSERT_EQ(t, frame_eligibility(ct, ELIG_FOR_SWAP), ELIG_R_CAPTABLE);
	KT_ASSERT_EQ(t, frame_eligibility(ct, ELIG_FOR_DMA), ELIG_R_CAPTABLE);
	KT_ASSERT_EQ(t, frame_elig_bits(frame_of(ct)), ELIG_CAPTABLE);
	process_kill(p);
	process_wait(p, &s);
	process_put(p);
}
KTEST_REGISTER(test_elig_kernel_captable_and_unmanaged);

/* I7: a release with a role bit left asserts and frees nothing; a frame that reaches the free
 * list with a bit (here written by hand, as a stray store would) asserts when it is reused. */
static void test_elig_stale_bits_caught(struct ktest_ctx *t)
{
	struct kfault_expect fe;
	size_t free0 = frame_free_count();
	paddr_t pa, again = 0;

	KT_ASSERT_EQ(t, frame_alloc(FRAME_OWNER_TEST, &pa), KERR_OK);
	frame_elig_set(frame_of(pa), ELIG_SECRET);
	if (kfault_expect_begin(&fe, KFAULT_ASSERT) == 0) {
		frame_free(pa); /* the bug: the secret's owner did not clear it */
		kfault_expect_end(&fe);
	}
	KT_ASSERT(t, fe.hit);
	KT_ASSERT_EQ(t, frame_of(pa)->state, FRAME_ALLOCATED); /* nothing was freed */
	frame_elig_clear(frame_of(pa), ELIG_SECRET);
	frame_free(pa);
	KT_ASSERT_EQ(t, frame_eligibility(pa, ELIG_FOR_SWAP), ELIG_R_FREE);
#ifdef CAPOS_DEBUG
	frame_of(pa)->elig = ELIG_SECRET; /* the stray store */
	/* The free list is LIFO: the next allocation takes pa. */
	if (kfault_expect_begin(&fe, KFAULT_ASSERT) == 0) {
		frame_alloc(FRAME_OWNER_TEST, &again);
		kfault_expect_end(&fe);
	}
	KT_ASSERT(t, fe.hit);
	KT_ASSERT_EQ(t, frame_of(pa)->state, FRAME_ALLOCATED);
	frame_of(pa)->elig = 0;
	frame_free(pa);
#endif
	(void)again;
	KT_ASSERT_EQ(t, frame_free_count(), free0);
}
KTEST_REGISTER(test_elig_stale_bits_caught);
