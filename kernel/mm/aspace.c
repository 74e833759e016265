/*
 * aspace.c - user address spaces: creation, user page mapping, teardown, and the residency
 * record updated at every address-space switch. See mm/aspace.h for the invariants.
 */
#include <arch/cpu.h>
#include <arch/layout.h>
#include <arch/mmu.h>
#include <kern/percpu.h>
#include <lib/assert.h>
#include <mm/aspace.h>
#include <mm/kheap.h>

/* One mapped user page. */
struct aspace_page {
	vaddr_t va;
	paddr_t pa;
	struct aspace_page *next;
};

static struct spinlock aspaces_lock = SPINLOCK_INIT("aspaces");
static struct aspace *aspaces; /* every live address space, under aspaces_lock */
static unsigned next_id = 1;
static unsigned live;

kerr_t aspace_create(struct aspace **out)
{
	struct aspace *as = kmalloc(sizeof(*as));
	uint64_t flags;

	if (!as)
		return KERR_NO_MEMORY;
	if (arch_mmu_root_create(&as->root) != KERR_OK) {
		kfree(as);
		return KERR_NO_MEMORY;
	}
	spin_init(&as->lock, "aspace");
	tlbgen_as_init(&as->tlb);
	as->refs = 1;
	flags = spin_lock_irqsave(&aspaces_lock);
	as->id = next_id++;
	as->next = aspaces;
	aspaces = as;
	live++;
	spin_unlock_irqrestore(&aspaces_lock, flags);
	*out = as;
	return KERR_OK;
}

void aspace_get(struct aspace *as)
{
	KASSERT(__atomic_add_fetch(&as->refs, 1, __ATOMIC_RELAXED) > 1);
}

/* TLB: none (new PTEs only). Locks: as->lock. */
kerr_t aspace_map_page(struct aspace *as, vaddr_t va, unsigned prot, paddr_t *pa_out)
{
	struct aspace_page *p;
	paddr_t pa;
	kerr_t err;

	if (va >= USER_TOP || !IS_PAGE_ALIGNED(va))
		return KERR_INVALID_ARG;
	p = kmalloc(sizeof(*p));
	if (!p)
		return KERR_NO_MEMORY;
	err = frame_alloc(FRAME_OWNER_USER, &pa);
	if (err != KERR_OK) {
		kfree(p);
		return err;
	}
	spin_lock(&as->lock);
	err = arch_mmu_map(as->root, va, pa, prot | MMU_USER | MMU_READ);
	if (err == KERR_OK) {
		frame_transition(frame_of(pa), FRAME_ALLOCATED, FRAME_MAPPED);
		p->va = va;
		p->pa = pa;
		p->next = as->pages;
		as->pages = p;
		as->npages++;
	}
	spin_unlock(&as->lock);
	if (err != KERR_OK) {
		frame_free(pa);
		kfree(p);
		return err;
	}
	if (pa_out)
		*pa_out = pa;
	return KERR_OK;
}

void tlb_assert_not_resident(const struct aspace *as)
{
	KASSERT(__atomic_load_n(&as->resident, __ATOMIC_ACQUIRE) == 0);
}

/* Unmap and free every page. No CPU has the root loaded (I3), so no TLB holds its entries. */
/* TLB: none: tlb_assert_not_resident() (no CPU has the root loaded). */
static void aspace_teardown(struct aspace *as)
{
	struct frame_list pt_free = { 0, 0 };
	struct aspace_page *p;

	while ((p = as->pages)) {
		as->pages = p->next;
		KASSERT(arch_mmu_unmap(as->root, p->va, NULL, &pt_free) == KERR_OK);
		struct frame *f = frame_of(p->pa);
		frame_transition(f, FRAME_MAPPED, FRAME_UNHOOKED);
		/* TLB: none needed: resident == 0 and a root switch dropped all its entries. */
		tlb_assert_not_resident(as);
		frame_transition(f, FRAME_UNHOOKED, FRAME_FLUSHED);
		frame_free(p->pa);
		kfree(p);
	}
	as->npages = 0;
	frame_list_free(&pt_free);
	arch_mmu_root_destroy(as->root);
}

void aspace_put(struct aspace *as)
{
	uint64_t flags;

	if (__atomic_sub_fetch(&as->refs, 1, __ATOMIC_ACQ_REL) != 0)
		return;
	flags = spin_lock_irqsave(&aspaces_lock);
	for (struct aspace **pp = &aspaces; *pp; pp = &(*pp)->next) {
		if (*pp == as) {
			*pp = as->next;
			break;
		}
	}
	live--;
	spin_unlock_irqrestore(&aspaces_lock, flags);
	aspace_teardown(as);
	kfree(as);
}

void aspace_switch(struct aspace *to)
{
	struct cpu *c = this_cpu();
	struct aspace *from = c->aspace;
	cpumask_t me = (cpumask_t)1 << c->id;

	KASSERT(!irq_enabled());
	if (from == to)
		return;
	/* Record before loading (a shootdown that reads the mask now includes us), drop the old
	 * record only after CR3 no longer points at it. */
	if (to)
		__atomic_or_fetch(&to->resident, me, __ATOMIC_SEQ_CST);
	write_cr3(to ? to->root : arch_mmu_kernel_root());
	c->aspace = to;
	if (from)
		__atomic_and_fetch(&from->resident, ~me, __ATOMIC_SEQ_CST);
}

bool aspace_residency_exact_local(void)
{
	struct cpu *c = this_cpu();
	cpumask_t me = (cpumask_t)1 << c->id;
	paddr_t want = c->aspace ? c->aspace->root : arch_mmu_kernel_root();
	bool ok = (read_cr3() & ~PAGE_MASK) == want;
	uint64_t flags = spin_lock_irqsave(&aspaces_lock);

	for (struct aspace *as = aspaces; as; as = as->next) {
		bool recorded = __atomic_load_n(&as->resident, __ATOMIC_ACQUIRE) & me;
		if (recorded != (as == c->aspace))
			ok = false;
	}
	spin_unlock_irqrestore(&aspaces_lock, flags);
	return ok;
}

unsigned aspace_live_count(void)
{
	return __atomic_load_n(&live, __ATOMIC_RELAXED);
}
