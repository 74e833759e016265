/*
 * mmu.c - x86_64 4-level page tables behind arch_mmu_map/unmap/protect/query.
 *
 * The only file that writes PTEs. Tables are allocated on demand and freed once empty: each
 * table page's struct frame counts its present entries (pt_entries). Kernel-half PML4 entries
 * are fixed at boot (the direct map, the kernel image and the vmap slot), so every root shares
 * them; 4 KiB mappings in the kernel half are allowed only in the vmap slot.
 */
#include <arch/layout.h>
#include <arch/mmu.h>
#include <kern/string.h>
#include <kern/witness.h>
#include <lib/assert.h>
#include <mm/phys.h>

#define PTE_P 0x1ull
#define PTE_W 0x2ull
#define PTE_U 0x4ull
#define PTE_PS 0x80ull
#define PTE_NX (1ull << 63)
#define PTE_ADDR 0x000ffffffffff000ull
#define PT_LEVELS 4
#define PML4_KERNEL_FIRST 256

extern uint64_t boot_pml4[512];

static paddr_t kernel_root;

static inline unsigned pt_index(vaddr_t va, int level)
{
	return (va >> (PAGE_SHIFT + 9 * (level - 1))) & 511;
}

static inline uint64_t *pt_table(paddr_t pa)
{
	return phys_to_virt(pa);
}

static bool va_is_user(vaddr_t va)
{
	return va < USER_TOP;
}

static bool va_is_vmap(vaddr_t va)
{
	return va >= KERNEL_VMAP_BASE && va - KERNEL_VMAP_BASE < KERNEL_VMAP_SIZE;
}

static bool va_canonical(vaddr_t va)
{
	return va < USER_TOP || va >= KERNEL_DIRECT_BASE;
}

static uint64_t prot_to_pte(unsigned prot)
{
	uint64_t pte = PTE_P;

	if (prot & MMU_WRITE)
		pte |= PTE_W;
	if ((prot & MMU_USER) && !(prot & MMU_GUARD))
		pte |= PTE_U;
	if (!(prot & MMU_EXEC))
		pte |= PTE_NX;
	return pte;
}

static unsigned pte_to_prot(uint64_t pte)
{
	unsigned prot = MMU_READ;

	if (pte & PTE_W)
		prot |= MMU_WRITE;
	if (pte & PTE_U)
		prot |= MMU_USER;
	if (!(pte & PTE_NX))
		prot |= MMU_EXEC;
	return prot;
}

static bool prot_valid(vaddr_t va, unsigned prot)
{
	if (prot & MMU_GUARD) /* PROT_NONE: present, ring 0 only, read-only, not executable */
		return va_is_user(va) && prot == (MMU_READ | MMU_USER | MMU_GUARD);
	if (prot & ~(MMU_READ | MMU_WRITE | MMU_EXEC | MMU_USER) || !(prot & MMU_READ))
		return false;
	return !!(prot & MMU_USER) == va_is_user(va);
}

/* TLB: none (new PML4 entry only). */
void mmu_init(void)
{
	unsigned slot = pt_index(KERNEL_VMAP_BASE, 4);
	paddr_t pdpt;

	kernel_root = virt_to_phys(boot_pml4);
	/* The vmap slot's PDPT exists from boot on, so roots made later share it. */
	KASSERT(!(boot_pml4[slot] & PTE_P));
	if (frame_alloc(FRAME_OWNER_PAGETABLE, &pdpt) != KERR_OK)
		KASSERT(!"no frame for the vmap PDPT");
	boot_pml4[slot] = pdpt | PTE_P | PTE_W;
}

paddr_t arch_mmu_kernel_root(void)
{
	return kernel_root;
}

void mmu_drop_identity(void)
{
	/* TLB: caller. Entry 0 points at the boot direct-map PDPT, which stays in use. */
	boot_pml4[0] = 0;
}

/* TLB: none (a new root, loaded nowhere). */
kerr_t arch_mmu_root_create(paddr_t *out)
{
	paddr_t root;
	kerr_t err = frame_alloc(FRAME_OWNER_PAGETABLE, &root);

	if (err != KERR_OK)
		return err;
	memcpy(pt_table(root) + PML4_KERNEL_FIRST, boot_pml4 + PML4_KERNEL_FIRST,
	       (512 - PML4_KERNEL_FIRST) * sizeof(uint64_t));
	*out = root;
	return KERR_OK;
}

/* TLB: caller (the root is loaded nowhere; its user half is already empty). */
void arch_mmu_root_destroy(paddr_t root)
{
	KASSERT(root != kernel_root);
	KASSERT(frame_of(root)->pt_entries == 0); /* user half empty: no lower tables left */
	memset(pt_table(root) + PML4_KERNEL_FIRST, 0, (512 - PML4_KERNEL_FIRST) * sizeof(uint64_t));
	frame_free(root);
}

static kerr_t mmu_check_va(paddr_t root, vaddr_t va)
{
	if (!IS_PAGE_ALIGNED(va) || !va_canonical(va))
		return KERR_INVALID_ARG;
	if (!va_is_user(va) && !va_is_vmap(va))
		return KERR_INVALID_ARG;
	if (va_is_user(va) && root == kernel_root)
		return KERR_INVALID_ARG; /* the kernel root has no user half */
	return KERR_OK;
}

/* Tables missing on the path to va's leaf (0..3); KERR_CONFLICT if a large page is in the way. */
static kerr_t mmu_missing_tables(paddr_t root, vaddr_t va, int *missing)
{
	uint64_t *table = pt_table(root);

	for (int level = PT_LEVELS; level > 1; level--) {
		uint64_t e = table[pt_index(va, level)];
		if (!(e & PTE_P)) {
			*missing = level - 1;
			return KERR_OK;
		}
		if (e & PTE_PS)
			return KERR_CONFLICT;
		table = pt_table(e & PTE_ADDR);
	}
	*missing = 0;
	return table[pt_index(va, 1)] & PTE_P ? KERR_CONFLICT : KERR_OK;
}

/* TLB: none (new PTEs only). Locks: the caller serialises changes to root. */
kerr_t arch_mmu_map(paddr_t root, vaddr_t va, paddr_t pa, unsigned prot)
{
	return arch_mmu_map_pool(root, va, pa, prot, NULL);
}

/* Missing tables on the path of the 2 MiB chunk holding va: bit l-1 set when the table of
 * level l (1 = PT, 2 = PD, 3 = PDPT) is missing. */
static unsigned mmu_chunk_missing(paddr_t root, vaddr_t va)
{
	uint64_t *table = pt_table(root);
	unsigned missing = 0;

	for (int level = PT_LEVELS; level > 1; level--) {
		uint64_t e = table[pt_index(va, level)];
		if (!(e & PTE_P)) {
			for (int l = level - 1; l >= 1; l--)
				missing |= 1u << (l - 1);
			return missing;
		}
		if (e & PTE_PS)
			return 0; /* arch_mmu_map will refuse it; no table is made */
		table = pt_table(e & PTE_ADDR);
	}
	return 0;
}

/* TLB: none (read only). */
uint64_t arch_mmu_tables_needed(paddr_t root, vaddr_t va, uint64_t len)
{
	uint64_t count = 0;
	vaddr_t end = va + len, c = va & ~((1ull << 21) - 1);

	for (; c < end; c += 1ull << 21) {
		unsigned m = mmu_chunk_missing(root, c);
		bool first_gib = c <= va || !(c & ((1ull << 30) - 1));
		bool first_512g = c <= va || !(c & ((1ull << 39) - 1));
		count += (m & 1) + ((m & 2) && first_gib) + ((m & 4) && first_512g);
	}
	return count;
}

/* TLB: none (new PTEs only). Locks: the caller serialises changes to root. */
kerr_t arch_mmu_map_pool(paddr_t root, vaddr_t va, paddr_t pa, unsigned prot,
			 struct frame_list *pool)
{
	paddr_t fresh[PT_LEVELS - 1], table_pa = root;
	int missing, used = 0;
	kerr_t err = mmu_check_va(root, va);

	if (err == KERR_OK && (!IS_PAGE_ALIGNED(pa) || (pa & ~PTE_ADDR) || !prot_valid(va, prot)))
		err = KERR_INVALID_ARG;
	if (err == KERR_OK)
		err = mmu_missing_tables(root, va, &missing);
	if (err != KERR_OK)
		return err;
	/* Allocate every missing table first, so a failure changes nothing. */
	for (int i = 0; i < missing; i++) {
		if (pool) {
			struct frame *f = frame_list_pop(pool);
			KASSERT(f); /* the caller sized the pool with arch_mmu_tables_needed() */
			fresh[i] = frame_paddr(f);
			continue;
		}
		if (frame_alloc(FRAME_OWNER_PAGETABLE, &fresh[i]) != KERR_OK) {
			while (i--)
				frame_free(fresh[i]);
			return KERR_NO_MEMORY;
		}
	}
	for (int level = PT_LEVELS; level > 1; level--) {
		uint64_t *e = &pt_table(table_pa)[pt_index(va, level)];
		if (!(*e & PTE_P)) {
			/* Intermediate entries allow everything; the leaf decides. */
			*e = fresh[used++] | PTE_P | PTE_W | (va_is_user(va) ? PTE_U : 0);
			frame_of(table_pa)->pt_entries++;
		}
		table_pa = *e & PTE_ADDR;
	}
	KASSERT(used == missing);
	pt_table(table_pa)[pt_index(va, 1)] = pa | prot_to_pte(prot);
	frame_of(table_pa)->pt_entries++;
	return KERR_OK;
}

/* Walk to va's leaf, recording each level's table and entry; false if not mapped (4 KiB). */
static bool mmu_walk(paddr_t root, vaddr_t va, paddr_t tables[PT_LEVELS + 1],
		     uint64_t *entries[PT_LEVELS + 1])
{
	paddr_t table_pa = root;

	for (int level = PT_LEVELS; level >= 1; level--) {
		uint64_t *e = &pt_table(table_pa)[pt_index(va, level)];
		tables[level] = table_pa;
		entries[level] = e;
		if (!(*e & PTE_P) || (level > 1 && (*e & PTE_PS)))
			return false;
		table_pa = *e & PTE_ADDR;
	}
	return true;
}

/* A table at `level` (1 = PT .. 3 = PDPT) may be freed once empty, except kernel-half PDPTs. */
static bool mmu_table_freeable(vaddr_t va, int level)
{
	return level < 3 || va_is_user(va);
}

/* TLB: caller (flush va where root is resident before reusing the frame or freeing the
 * tables queued on pt_free). Locks: the caller serialises changes to root. */
kerr_t arch_mmu_unmap(paddr_t root, vaddr_t va, paddr_t *old_pa, struct frame_list *pt_free)
{
	paddr_t tables[PT_LEVELS + 1];
	uint64_t *entries[PT_LEVELS + 1];
	kerr_t err = mmu_check_va(root, va);

	if (err != KERR_OK)
		return err == KERR_INVALID_ARG && IS_PAGE_ALIGNED(va) && va_canonical(va)
			       ? KERR_NOT_FOUND : err;
	if (!mmu_walk(root, va, tables, entries))
		return KERR_NOT_FOUND;
	if (old_pa)
		*old_pa = *entries[1] & PTE_ADDR;
	*entries[1] = 0;
	frame_of(tables[1])->pt_entries--;
	witness_pte_weakened(root, va); /* pending until a round covers it */
	/* Free tables bottom-up while they are empty. TLB: caller flushes va, which also drops
	 * the paging-structure cache entries that point at these tables, before freeing them. */
	for (int level = 1; level < PT_LEVELS; level++) {
		struct frame *t = frame_of(tables[level]);
		if (t->pt_entries != 0 || !mmu_table_freeable(va, level))
			break;
		*entries[level + 1] = 0;
		frame_of(tables[level + 1])->pt_entries--;
		witness_frame_unhooked(t); /* freed only after the round that flushes va */
		frame_list_push(pt_free, t);
	}
	return KERR_OK;
}

/* TLB: caller (a weakened entry must be flushed where root is resident). */
kerr_t arch_mmu_protect(paddr_t root, vaddr_t va, unsigned prot)
{
	paddr_t tables[PT_LEVELS + 1];
	uint64_t *entries[PT_LEVELS + 1];
	kerr_t err = mmu_check_va(root, va);

	if (err == KERR_OK && !prot_valid(va, prot))
		err = KERR_INVALID_ARG;
	if (err != KERR_OK)
		return err;
	if (!mmu_walk(root, va, tables, entries))
		return KERR_NOT_FOUND;
	*entries[1] = (*entries[1] & PTE_ADDR) | prot_to_pte(prot);
	witness_pte_weakened(root, va); /* pending until a round covers it */
	return KERR_OK;
}

/* TLB: none (read only). */
kerr_t arch_mmu_query(paddr_t root, vaddr_t va, paddr_t *pa, unsigned *prot)
{
	uint64_t *table = pt_table(root);

	if (!va_canonical(va))
		return KERR_NOT_FOUND;
	for (int level = PT_LEVELS; level >= 1; level--) {
		uint64_t e = table[pt_index(va, level)];
		if (!(e & PTE_P))
			return KERR_NOT_FOUND;
		if (level == 1 || (e & PTE_PS)) {
			uint64_t span = 1ull << (PAGE_SHIFT + 9 * (level - 1));
			if (pa)
				*pa = (e & PTE_ADDR & ~(span - 1)) | (va & (span - 1));
			if (prot)
				*prot = pte_to_prot(e);
			return KERR_OK;
		}
		table = pt_table(e & PTE_ADDR);
	}
	return KERR_NOT_FOUND;
}
