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
#include <lib/kident.h>
#include <lib/pinset.h>
#include <lib/tlbgen.h>
#include <lib/types.h>
#include <lib/vmspace.h>
#include <mm/frame.h>

struct acct;

/** @brief Name (lock class) of every address-space lock; the witness checks pending flushes
 *  when a lock of this class is released (kern/witness.h). */
extern const char aspace_lock_class[];

/**
 * @brief A user address space.
 *
 * Invariants:
 *   I1. resident has bit i set iff cpus[i].aspace == this (CPU i has root in CR3), observed on
 *       CPU i with interrupts enabled (aspace_switch() changes both with interrupts disabled).
 *   I2. vm records every user page: a present leaf PTE of the user half exists exactly for the
 *       pages vm reports committed and not zero-fill pending (VPAGE_COMMITTED with its
 *       protection, VPAGE_PROT_NONE as an MMU_GUARD entry) and for object-mapped pages; a
 *       zero-fill pending page (lazy commit, never touched) has no PTE; anonymous frames are
 *       FRAME_MAPPED and owned by this address space, object frames by their MemoryObject.
 *   I3. The teardown only runs with resident == 0 and refs == 0.
 *   I4. acct is charged LEDGER_VIRTUAL/COMMIT/MAPPING by vm (lib/vmspace.h I2) and
 *       LEDGER_PAGETABLE for every intermediate table of the user half (the root is not
 *       charged) and for every page on lazy_pts; every charge is released by unmap/decommit
 *       or the teardown, exactly once.
 * Locking: lock protects vm and the user half of root (acct->lock nests inside it); resident
 *   is changed with atomic operations by the switching CPU only (its own bit); refs with
 *   atomics.
 * States: live -> destroyed (freed).
 */
struct aspace {
	paddr_t root;               /**< PML4 (kernel half shared). */
	struct spinlock lock;       /**< Protects vm and the user page tables. */
	cpumask_t resident;         /**< CPUs with this root loaded (I1). */
	uint64_t gen;               /**< Bumped when PTEs are weakened or removed. */
	unsigned id;                /**< Unique, never reused (diagnostics). */
	struct kident ident;        /**< Identity in park keys and mapping records (mm_idents). */
	uint32_t refs;              /**< Threads that run in it plus other holders. */
	struct vmspace vm;          /**< Reservations and page states (I2). */
	struct acct *acct;          /**< Charged account (I4); one reference. */
	struct aspace *next;        /**< Link in the list of all address spaces. */
	struct tlbgen_as tlb;       /**< Shootdown state (mm/shootdown.c; its lock). */
	struct frame_list lazy_pts; /**< Zeroed page-table pages kept for lazy-commit faults
				     *   (charged to LEDGER_PAGETABLE; under lock). */
	struct pinset pins;         /**< Mapping pins (mm/pin.h; under lock). */
};

/**
 * @brief Create an empty user address space with one reference, charged to a new root
 *        account with the default limits (kernel tests).
 * @param out Receives it.
 * @return KERR_OK; KERR_NO_MEMORY (nothing allocated).
 */
kerr_t aspace_create(struct aspace **out);
/**
 * @brief Create an empty user address space charged to @p acct (takes a reference on it).
 * @param acct The process's account. @param out Receives it.
 * @return KERR_OK; KERR_NO_MEMORY (nothing allocated).
 */
kerr_t aspace_create_acct(struct acct *acct, struct aspace **out);

/** @brief Take a reference. @param as Address space. */
void aspace_get(struct aspace *as);

/**
 * @brief Drop a reference; the last one unmaps every page, frees every frame and table and
 *        the root. It must not be resident anywhere then (asserted): no TLB flush is needed.
 * @param as Address space.
 */
void aspace_put(struct aspace *as);

/**
 * @brief Reserve the page at @p va (fixed, maximum protection = @p prot), commit it with a
 *        zeroed frame and map it: used for ELF segments, stacks and the start record, which
 *        are ordinary reservations of the VirtualMemory. TLB: none (new PTEs only).
 * @param as Address space. @param va Page-aligned user address. @param prot MMU_* (MMU_USER
 *        is added). @param pa_out Receives the frame (may be NULL).
 * @return KERR_OK; KERR_INVALID_ARG; KERR_CONFLICT (already reserved); KERR_QUOTA_VIRTUAL,
 *         KERR_QUOTA_COMMIT, KERR_QUOTA_PAGETABLE; KERR_NO_MEMORY (nothing changed).
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

/**
 * @brief The one allocator of identities for address spaces, MemoryObjects and mapping
 *        generations (lib/kident.h): ids are never pointers and never repeat.
 */
extern struct kident_alloc mm_idents;

/** @brief Live address spaces (tests: teardown returns to the start value). @return Count. */
unsigned aspace_live_count(void);

#endif /* CAPOS_MM_ASPACE_H */
