/*
 * kvbig.c - large kernel allocations in [KVBIG_BASE, KVBIG_END) of the vmap area: a resmap of
 * the ranges in use (each with one unmapped guard page after it) and zeroed frames mapped into
 * them. See mm/kvbig.h.
 */
#include <arch/layout.h>
#include <arch/mmu.h>
#include <kern/spinlock.h>
#include <lib/assert.h>
#include <lib/resmap.h>
#include <mm/frame.h>
#include <mm/shootdown.h>
#include <mm/kheap.h>
#include <mm/kvbig.h>

#define KVBIG_BASE (KERNEL_VMAP_BASE + 0x2000000000ull) /* 128 GiB into the vmap slot */
#define KVBIG_END (KERNEL_VMAP_BASE + 0x4000000000ull)  /* kstack.c's region starts here */

/* Locking: kvbig_lock protects map and the page tables of the region. */
static struct spinlock kvbig_lock = SPINLOCK_INIT("kvbig");
static struct resmap map;
static bool ready;
static unsigned live;

/* Unmap [va, va + n pages); frames and emptied tables go to fl.
 * TLB: caller (tlb_kernel_release_frames flushes every CPU before anything is freed). */
static void kvbig_unmap_locked(vaddr_t va, uint64_t n, struct frame_list *fl)
{
	paddr_t pa;

	KASSERT(spin_held(&kvbig_lock));
	for (uint64_t i = 0; i < n; i++) {
		KASSERT(arch_mmu_unmap(arch_mmu_kernel_root(), va + i * PAGE_SIZE, &pa, fl) ==
			KERR_OK);
		frame_transition(frame_of(pa), FRAME_MAPPED, FRAME_UNHOOKED);
		frame_list_push(fl, frame_of(pa));
	}
}

/* Take a virtual range of n pages plus a guard page; 0 when there is no room. */
static vaddr_t kvbig_take(struct resmap_node *node, uint64_t n)
{
	uint64_t va = 0;

	spin_lock(&kvbig_lock);
	if (!ready) {
		KASSERT(resmap_init(&map, KVBIG_BASE, KVBIG_END) == KERR_OK);
		ready = true;
	}
	if (resmap_find_fit(&map, KVBIG_BASE, (n + 1) * PAGE_SIZE, &va) == KERR_OK) {
		node->base = va;
		node->end = va + (n + 1) * PAGE_SIZE;
		resmap_insert(&map, node);
	}
	spin_unlock(&kvbig_lock);
	return va;
}

/* TLB: shootdown on failure (tlb_kernel_release_frames flushes every CPU before the partial range's
 * frames are freed); success only adds entries no CPU can have cached. */
void *kvbig_alloc(size_t size)
{
	uint64_t n = PAGE_ALIGN_UP(size) / PAGE_SIZE, mapped = 0;
	struct resmap_node *node = kmalloc(sizeof(*node));
	struct frame_list fl = { 0, 0 };
	kerr_t err = KERR_OK;
	vaddr_t va;
	paddr_t pa;

	if (!node || size == 0 || !(va = kvbig_take(node, n))) {
		kfree(node);
		return NULL;
	}
	spin_lock(&kvbig_lock);
	for (; mapped < n; mapped++) {
		err = frame_alloc(FRAME_OWNER_KERNEL, &pa);
		if (err == KERR_OK && (err = arch_mmu_map(arch_mmu_kernel_root(),
							  va + mapped * PAGE_SIZE, pa,
							  MMU_READ | MMU_WRITE)) != KERR_OK)
			frame_free(pa);
		if (err != KERR_OK)
			break;
		frame_transition(frame_of(pa), FRAME_ALLOCATED, FRAME_MAPPED);
	}
	if (err != KERR_OK) {
		kvbig_unmap_locked(va, mapped, &fl);
		resmap_remove(&map, node);
	} else {
		live++;
	}
	spin_unlock(&kvbig_lock);
	if (err != KERR_OK) {
		tlb_kernel_release_frames(&fl);
		kfree(node);
		return NULL;
	}
	return (void *)va;
}

/* TLB: shootdown (ipi_call flush on every CPU in tlb_kernel_release_frames). */
void kvbig_free(void *p, size_t size)
{
	uint64_t n = PAGE_ALIGN_UP(size) / PAGE_SIZE;
	struct frame_list fl = { 0, 0 };
	struct resmap_node *node;

	spin_lock(&kvbig_lock);
	node = resmap_find(&map, (vaddr_t)p);
	KASSERT(node && node->base == (vaddr_t)p && node->end == (vaddr_t)p + (n + 1) * PAGE_SIZE);
	kvbig_unmap_locked((vaddr_t)p, n, &fl);
	live--;
	spin_unlock(&kvbig_lock);
	tlb_kernel_release_frames(&fl); /* TLB: shootdown before the range or its frames are reused */
	spin_lock(&kvbig_lock);
	resmap_remove(&map, node);
	spin_unlock(&kvbig_lock);
	kfree(node);
}

unsigned kvbig_live_count(void)
{
	return __atomic_load_n(&live, __ATOMIC_RELAXED);
}
