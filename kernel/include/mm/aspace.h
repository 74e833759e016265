/**
 * @file
 * @brief User address spaces: a page-table root, the user pages mapped in it, and the exact
 *        record of the CPUs on which it is loaded (residency), kept at every context switch.
 *
 * The TLB shootdown protocol relies on the residency record: a CPU that may hold TLB entries
 * of an address space is in its `resident` mask, and a CPU in the mask has it loaded. With no
 * PCIDs and no global user pages, loading another root drops every entry of the old one, so
 * "loaded in CR3" and "may cache" coincide outside the switch itself (which runs with
 * interrupts disabled).
 */
#ifndef CAPOS_MM_ASPACE_H
#define CAPOS_MM_ASPACE_H

#include <capos/errors.h>
#include <kern/ipi.h>
#include <kern/spinlock.h>
#include <lib/tlbgen.h>
#include <lib/types.h>

struct aspace_page;

/**
 * @brief A user address space.
 *
 * Invariants:
 *   I1. resident has bit i set iff cpus[i].aspace == this (CPU i has root in CR3), observed on
 *       CPU i with interrupts enabled (aspace_switch() changes both with interrupts disabled).
 *   I2. pages lists every user page mapped through aspace_map_page(); each frame is
 *       FRAME_MAPPED and owned by this address space.
 *   I3. aspace_destroy() only runs with resident == 0 and refs == 0.
 * Locking: lock protects pages and the user half of root; resident is changed with atomic
 *   operations by the switching CPU only (its own bit); refs with atomics.
 * States: live -> destroyed (freed).
 */
struct aspace {
	paddr_t root;               /**< PML4 (kernel half shared). */
	struct spinlock lock;       /**< Protects pages and the user page tables. */
	cpumask_t resident;         /**< CPUs with this root loaded (I1). */
	uint64_t gen;               /**< Bumped when PTEs are weakened or removed. */
	unsigned id;                /**< Unique, never reused. */
	uint32_t refs;              /**< Threads that run in it plus other holders. */
	struct aspace_page *pages;  /**< User pages mapped (I2). */
	size_t npages;              /**< Length of pages. */
	struct aspace *next;        /**< Link in the list of all address spaces. */
	struct tlbgen_as tlb;       /**< Shootdown state (mm/shootdown.c; its lock). */
};

/**
 * @brief Create an empty user address space with one reference.
 * @param out Receives it.
 * @return KERR_OK; KERR_NO_MEMORY (nothing allocated).
 */
kerr_t aspace_create(struct aspace **out);

/** @brief Take a reference. @param as Address space. */
void aspace_get(struct aspace *as);

/**
 * @brief Drop a reference; the last one unmaps every page, frees every frame and table and
 *        the root. It must not be resident anywhere then (asserted): no TLB flush is needed.
 * @param as Address space.
 */
void aspace_put(struct aspace *as);

/**
 * @brief Allocate a zeroed frame and map it at user address @p va.
 *        TLB: none (new PTEs only).
 * @param as Address space. @param va Page-aligned user address. @param prot MMU_* (MMU_USER
 *        is added). @param pa_out Receives the frame (may be NULL).
 * @return KERR_OK; KERR_INVALID_ARG; KERR_CONFLICT (already mapped); KERR_NO_MEMORY (nothing
 *         changed).
 */
kerr_t aspace_map_page(struct aspace *as, vaddr_t va, unsigned prot, paddr_t *pa_out);

/**
 * @brief Completion without a shootdown: assert that no CPU has @p as loaded (resident mask
 *        empty), so no TLB can hold its entries and frames unhooked from it may be freed.
 * @param as Address space.
 */
void tlb_assert_not_resident(const struct aspace *as);

/**
 * @brief Make @p to the loaded address space of this CPU (NULL = kernel only), updating both
 *        residency records. Called by the scheduler with interrupts disabled.
 * @param to Address space of the next thread, or NULL.
 */
void aspace_switch(struct aspace *to);

/**
 * @brief Check I1 for this CPU against every live address space and CR3.
 * @return true when the record is exact for this CPU.
 */
bool aspace_residency_exact_local(void);

/** @brief Live address spaces (tests: teardown returns to the start value). @return Count. */
unsigned aspace_live_count(void);

#endif /* CAPOS_MM_ASPACE_H */
