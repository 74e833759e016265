/**
 * @file
 * @brief The architecture page-table interface: map, unmap, protect, query (4-level, 4 KiB).
 *
 * The only code that writes page-table entries. A root is the physical address of a PML4.
 * Callers serialise all changes to one root (the address space lock); queries may run
 * concurrently with nothing but other queries. Intermediate tables are allocated on demand
 * and freed once empty (every table page counts its present entries in its struct frame),
 * except the kernel-half PDPTs, which are created at boot and shared by every root.
 *
 * None of these functions flush a TLB: each one says what its caller must flush.
 */
#ifndef CAPOS_ARCH_MMU_H
#define CAPOS_ARCH_MMU_H

#include <capos/errors.h>
#include <lib/types.h>
#include <mm/frame.h>

#define MMU_READ 0x1  /**< Readable (x86: every present page is readable). */
#define MMU_WRITE 0x2 /**< Writable. */
#define MMU_EXEC 0x4  /**< Executable (else the NX bit is set). */
#define MMU_USER 0x8  /**< Accessible from ring 3 (only below USER_TOP). */
/** A user page kept present but inaccessible to ring 3 (CAPOS_PROT_NONE: the frame and its
 *  data stay, every user access faults with the present bit set). Only together with exactly
 *  MMU_READ | MMU_USER; arch_mmu_query() then reports MMU_READ without MMU_USER. */
#define MMU_GUARD 0x10

/** @brief Set up the kernel root: the boot tables plus the kernel-half PDPTs (boot CPU). */
void mmu_init(void);

/** @brief Physical address of the kernel's root (the boot PML4). @return Root. */
paddr_t arch_mmu_kernel_root(void);

/**
 * @brief Remove the boot identity map of low memory (PML4[0]) from the kernel root, once
 *        every AP has left its trampoline. TLB: caller (flush all on every CPU).
 */
void mmu_drop_identity(void);

/**
 * @brief Create an empty root whose kernel half is the kernel's.
 * @param out Receives the root. @return KERR_OK; KERR_NO_MEMORY (nothing allocated).
 */
kerr_t arch_mmu_root_create(paddr_t *out);

/**
 * @brief Free a root created by arch_mmu_root_create(); its user half must be empty (every
 *        mapping unmapped, so every lower table already freed). TLB: caller (the root must not
 *        be loaded on any CPU).
 * @param root The root to free.
 */
void arch_mmu_root_destroy(paddr_t root);

/**
 * @brief Map the 4 KiB page at @p va to frame @p pa with @p prot, allocating missing tables.
 *        TLB: none (new PTEs only: the entry was not present, so no CPU caches it).
 * @param root Root. @param va Page-aligned canonical address; user addresses need MMU_USER,
 *        kernel addresses must lie in a kernel-half slot made at boot (the vmap area).
 * @param pa Page-aligned physical address. @param prot MMU_* with MMU_READ set.
 * @return KERR_OK; KERR_INVALID_ARG (alignment, non-canonical, prot, user/kernel mismatch);
 *         KERR_CONFLICT (already mapped, or inside a large page); KERR_NO_MEMORY (a table
 *         could not be allocated; tables made by this call are freed, nothing changed).
 */
kerr_t arch_mmu_map(paddr_t root, vaddr_t va, paddr_t pa, unsigned prot);

/**
 * @brief arch_mmu_map() taking missing intermediate tables from @p pool instead of allocating
 *        them, so it cannot fail for lack of memory. TLB: none (new PTEs only).
 * @param root Root. @param va Page-aligned address. @param pa Frame. @param prot MMU_*.
 * @param pool Zeroed FRAME_OWNER_PAGETABLE frames, at least arch_mmu_tables_needed() of them
 *        (asserted); NULL allocates like arch_mmu_map().
 * @return KERR_OK; KERR_INVALID_ARG; KERR_CONFLICT; KERR_NO_MEMORY (only when @p pool is NULL).
 */
kerr_t arch_mmu_map_pool(paddr_t root, vaddr_t va, paddr_t pa, unsigned prot,
			 struct frame_list *pool);
/**
 * @brief How many page-table pages mapping every page of [va, va + len) would create now
 *        (exact while no other change is made to @p root). TLB: none (read only).
 * @param root Root. @param va Page-aligned user address. @param len Bytes, page multiple.
 * @return Number of tables (PDPT, PD and PT pages) missing on the paths of the range.
 */
uint64_t arch_mmu_tables_needed(paddr_t root, vaddr_t va, uint64_t len);
/**
 * @brief Clear the PTE of the page at @p va and free every table that became empty by moving
 *        it to @p pt_free. TLB: caller — before the old frame is reused or the pages on
 *        @p pt_free are freed, @p va must be flushed on every CPU where @p root is resident
 *        (tlb_flush_local_page() when that is only this CPU, else a shootdown).
 * @param root Root. @param va Page-aligned address. @param old_pa Receives the frame that was
 *        mapped (may be NULL). @param pt_free Receives the emptied table pages.
 * @return KERR_OK; KERR_INVALID_ARG (alignment, non-canonical); KERR_NOT_FOUND (not mapped,
 *         or inside a large page).
 */
kerr_t arch_mmu_unmap(paddr_t root, vaddr_t va, paddr_t *old_pa, struct frame_list *pt_free);

/**
 * @brief Change the protection of the mapped page at @p va to @p prot (MMU_USER must not
 *        change; MMU_GUARD may be set or cleared on a user page). TLB: caller — a weakened entry (rights removed) must be flushed on every CPU
 *        where @p root is resident before the weakening is relied on; a strengthened one needs
 *        no flush (a stale entry only causes a spurious fault).
 * @param root Root. @param va Page-aligned address of a mapped page.
 * @param prot New MMU_* protection (MMU_READ set, MMU_USER as before).
 * @return KERR_OK; KERR_INVALID_ARG (alignment, prot, user bit change); KERR_NOT_FOUND.
 */
kerr_t arch_mmu_protect(paddr_t root, vaddr_t va, unsigned prot);

/**
 * @brief Look up @p va. TLB: none (read only).
 * @param root Root. @param va Any address. @param pa Receives the physical address of @p va
 *        (may be NULL). @param prot Receives MMU_* (may be NULL).
 * @return KERR_OK; KERR_NOT_FOUND when not mapped.
 */
kerr_t arch_mmu_query(paddr_t root, vaddr_t va, paddr_t *pa, unsigned *prot);

#endif /* CAPOS_ARCH_MMU_H */
