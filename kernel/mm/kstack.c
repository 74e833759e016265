/*
 * kstack.c - thread kernel stacks in the vmap area: slot i covers (KSTACK_PAGES + 1) pages
 * starting at KSTACK_BASE + i * slot size; the lowest page of each slot stays unmapped (guard).
 */
#include <arch/layout.h>
#include <arch/mmu.h>
#include <kern/spinlock.h>
#include <lib/assert.h>
#include <mm/frame.h>
#include <mm/shootdown.h>
#include <mm/kstack.h>

#define KSTACK_BASE (KERNEL_VMAP_BASE + 0x4000000000ull) /* 256 GiB into the vmap slot */
#define KSTACK_SLOT_SIZE ((KSTACK_PAGES + 1) * PAGE_SIZE)
#define KSTACK_SLOTS 1024

/* Locking: kstack_lock protects used[] and the page tables of the stack region. */
static struct spinlock kstack_lock = SPINLOCK_INIT("kstack");
static uint64_t used[KSTACK_SLOTS / 64];
static unsigned live;

static vaddr_t slot_base(unsigned slot)
{
	return KSTACK_BASE + (vaddr_t)slot * KSTACK_SLOT_SIZE;
}

static int kstack_take_slot_locked(void)
{
	KASSERT(spin_held(&kstack_lock));
	for (unsigned i = 0; i < KSTACK_SLOTS; i++) {
		if (!(used[i / 64] & (1ull << (i % 64)))) {
			used[i / 64] |= 1ull << (i % 64);
			return (int)i;
		}
	}
	return -1;
}

/* Unmap pages [0, n) of the slot's stack; the frames and emptied tables go to @fl. */
/* TLB: caller (tlb_kernel_release_frames flushes every CPU before anything is freed). */
static void kstack_unmap_locked(unsigned slot, int n, struct frame_list *fl)
{
	paddr_t pa;

	KASSERT(spin_held(&kstack_lock));
	for (int i = 0; i < n; i++) {
		vaddr_t va = slot_base(slot) + (vaddr_t)(i + 1) * PAGE_SIZE;
		KASSERT(arch_mmu_unmap(arch_mmu_kernel_root(), va, &pa, fl) == KERR_OK);
		frame_transition(frame_of(pa), FRAME_MAPPED, FRAME_UNHOOKED);
		frame_list_push(fl, frame_of(pa));
	}
}

/* TLB: shootdown on failure (tlb_kernel_release_frames flushes every CPU before the partial stack's
 * frames are freed); success only adds entries no CPU can have cached. */
kerr_t kstack_alloc(vaddr_t *top)
{
	struct frame_list fl = { 0, 0 };
	int slot, mapped = 0;
	kerr_t err = KERR_OK;
	paddr_t pa;

	spin_lock(&kstack_lock);
	slot = kstack_take_slot_locked();
	if (slot < 0) {
		spin_unlock(&kstack_lock);
		return KERR_NO_SLOTS;
	}
	for (; mapped < KSTACK_PAGES; mapped++) {
		vaddr_t va = slot_base((unsigned)slot) + (vaddr_t)(mapped + 1) * PAGE_SIZE;
		err = frame_alloc(FRAME_OWNER_KERNEL, &pa);
		if (err == KERR_OK && (err = arch_mmu_map(arch_mmu_kernel_root(), va, pa,
							  MMU_READ | MMU_WRITE)) != KERR_OK)
			frame_free(pa);
		if (err != KERR_OK)
			break;
		frame_transition(frame_of(pa), FRAME_ALLOCATED, FRAME_MAPPED);
	}
	if (err != KERR_OK) {
		kstack_unmap_locked((unsigned)slot, mapped, &fl);
		used[slot / 64] &= ~(1ull << (slot % 64));
	} else {
		live++;
	}
	spin_unlock(&kstack_lock);
	if (err != KERR_OK) {
		tlb_kernel_release_frames(&fl); /* the partial stack was never used: flush anyway, cheaply */
		return err;
	}
	*top = slot_base((unsigned)slot) + KSTACK_SLOT_SIZE;
	return KERR_OK;
}

/* TLB: shootdown (ipi_call flush on every CPU in tlb_kernel_release_frames). */
void kstack_free(vaddr_t top)
{
	struct frame_list fl = { 0, 0 };
	unsigned slot = (unsigned)((top - KSTACK_BASE) / KSTACK_SLOT_SIZE) - 1;

	KASSERT(top > KSTACK_BASE && (top - KSTACK_BASE) % KSTACK_SLOT_SIZE == 0);
	KASSERT(slot < KSTACK_SLOTS);
	spin_lock(&kstack_lock);
	KASSERT(used[slot / 64] & (1ull << (slot % 64)));
	kstack_unmap_locked(slot, KSTACK_PAGES, &fl);
	live--;
	spin_unlock(&kstack_lock);
	/* TLB: shootdown. The slot is reusable only after every CPU flushed it. */
	tlb_kernel_release_frames(&fl);
	spin_lock(&kstack_lock);
	used[slot / 64] &= ~(1ull << (slot % 64));
	spin_unlock(&kstack_lock);
}

unsigned kstack_live_count(void)
{
	return __atomic_load_n(&live, __ATOMIC_RELAXED);
}
