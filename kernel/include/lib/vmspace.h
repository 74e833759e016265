/**
 * @file
 * @brief Ownership bookkeeping of one user address space: reservations, per-page commit and
 * protection state, mapping provenance, and the ledger charges that go with them.
 *
 * A struct vmspace is the pure-logic half of a VirtualMemory capability: it decides whether an
 * operation is allowed, what it changes, and what it charges, and records the result; the
 * kernel's mm code performs the page-table side (frames, PTEs, TLB) after a call succeeds.
 * Nothing here touches a page table (TLB: none in this file).
 *
 * Ranges are page-aligned. Anonymous ranges (VRES_RESERVED) are charged LEDGER_VIRTUAL per
 * page and LEDGER_COMMIT per committed page; object-backed ranges (VRES_MAPPED, borrowed from a
 * MemoryObject) are charged LEDGER_MAPPING per page. The two kinds never overlap because both
 * live in the same disjoint reservation map. Every call that fails changes nothing: neither
 * the map, nor any page, nor the ledger.
 */
#ifndef CAPOS_LIB_VMSPACE_H
#define CAPOS_LIB_VMSPACE_H

#include <capos/errors.h>
#include <lib/alloc.h>
#include <lib/ledger.h>
#include <lib/resmap.h>
#include <lib/types.h>

#define VM_PROT_NONE 0u  /**< No access. */
#define VM_PROT_READ 1u  /**< Readable. */
#define VM_PROT_WRITE 2u /**< Writable. */
#define VM_PROT_EXEC 4u  /**< Executable. */
#define VM_PROT_ALL 7u   /**< Every protection bit. */

/** Place at exactly the given address; fail on any overlap (no replace). Same value as
 * CAPOS_MAP_FIXED in capos/abi.h, so the kernel passes the ABI flag through. */
#define VM_FIXED (1u << 8)

/** @brief State of one anonymous or object-backed page (the `vpage` machine). */
enum vpage_state {
	VPAGE_RESERVED = 0,  /**< Address reserved, no memory committed (reads fault). */
	VPAGE_COMMITTED = 1, /**< Memory committed, accessible with its protection. */
	VPAGE_PROT_NONE = 2, /**< Committed but protected to none; the prior protection is kept. */
};

/** @brief State of a reservation record (the `vres` machine); also its provenance. */
enum vres_state {
	VRES_FREE = 0,     /**< Not in the map (being created or destroyed). */
	VRES_RESERVED = 1, /**< Anonymous reservation in the map. */
	VRES_MAPPED = 2,   /**< Borrowed mapping of a MemoryObject in the map. */
};

/**
 * @brief Identity of a MemoryObject's backing at a byte offset, and of the mapping that maps it.
 *
 * Together with the owning address space's identity this is the mapping identity record of a
 * MemoryObject-backed user page (mm/vm.h aspace_vm_identity_locked()): object id and
 * generation, page offset, mapping generation. id and mapgen come from lib/kident.h
 * allocators, so they are never kernel pointers and never repeat. owner is the kernel's
 * handle for finding the object again; it is never compared to establish identity.
 */
struct vm_objref {
	uint64_t id;     /**< Object id (lib/kident.h: never reused, never a pointer). */
	uint64_t gen;    /**< Object generation / backing epoch. */
	uint64_t offset; /**< Byte offset into the object, page-aligned. */
	uint64_t mapgen; /**< Generation of the mapping (one per map call; kept by splits). */
	uintptr_t owner; /**< The kernel's object (lookup only; opaque to this library). */
};

/**
 * @brief One reservation: an anonymous range or an object-backed mapping.
 *
 * Page byte encoding (pages[i], or fill for every page while pages is NULL):
 * bits 0-1 enum vpage_state; bits 2-4 protection (the current one when COMMITTED, the one to
 * restore when PROT_NONE, 0 when RESERVED); bit 5 zero-fill pending.
 *
 * Invariants (vmspace_check()):
 *   I1. node is linked in the owner's map iff state != VRES_FREE.
 *   I2. max_prot is a subset of VM_PROT_ALL, fixed at creation; every page's protection is a
 *       non-empty subset of it when the page is committed, and 0 when it is reserved.
 *   I3. VRES_MAPPED pages are never VPAGE_RESERVED and never zero-fill pending.
 *   I4. A zero-fill pending page is committed: it was RESERVED -> COMMITTED since its last
 *       fill, so its frame must be zeroed before user access (recommit reads zeros).
 *   I5. pages is NULL or holds pages_cap >= npages bytes; obj is meaningful only when MAPPED,
 *       and obj.offset is the offset of node.base.
 * Locking: the owning vmspace's lock. States: enum vres_state.
 */
struct vmres {
	struct resmap_node node; /**< Range in the map (intrusive). */
	enum vres_state state;   /**< Provenance and lifecycle (vres machine). */
	uint8_t max_prot;        /**< Rights captured at creation; bound every protect. */
	uint8_t fill;            /**< Page byte of every page while pages is NULL. */
	uint8_t *pages;          /**< Per-page bytes, allocated on first divergence. */
	size_t pages_cap;        /**< Bytes allocated at pages. */
	struct vm_objref obj;    /**< Backing object (VRES_MAPPED only). */
};

/**
 * @brief Ownership state of one address space.
 *
 * Invariants (vmspace_check()):
 *   I1. map is a valid reservation map (resmap I1-I4) of struct vmres records (I1-I5).
 *   I2. virt_pages / commit_pages / map_pages equal the anonymous pages, committed anonymous
 *       pages and object-mapped pages in the map, and are charged to ledger as LEDGER_VIRTUAL,
 *       LEDGER_COMMIT and LEDGER_MAPPING (ledger->used is at least as large: it may be shared).
 *   I3. All memory of the records came from alloc and is returned to it by vmspace_destroy().
 * Locking: one lock per address space (the kernel's aspace lock), held around every call.
 * States: live (after vmspace_init) -> destroyed (after vmspace_destroy).
 */
struct vmspace {
	struct resmap map;      /**< Reservations by address. */
	struct ledger *ledger;  /**< The owning process's ledger. */
	struct lib_alloc alloc; /**< Where records and page arrays come from. */
	uint64_t virt_pages;    /**< Anonymous pages reserved (I2). */
	uint64_t commit_pages;  /**< Anonymous pages committed (I2). */
	uint64_t map_pages;     /**< Object-backed pages mapped (I2). */
};

/** @brief What vmspace_lookup() reports about one page. */
struct vm_info {
	uint64_t base;           /**< Start of the reservation holding the page. */
	uint64_t end;            /**< End of that reservation. */
	enum vres_state kind;    /**< VRES_RESERVED (anonymous) or VRES_MAPPED (object). */
	unsigned max_prot;       /**< The reservation's rights. */
	enum vpage_state state;  /**< The page's state. */
	unsigned prot;           /**< Current protection (saved one when PROT_NONE). */
	bool zero_pending;       /**< The page's frame must be zero-filled before use. */
	struct vm_objref obj;    /**< MAPPED: the object, with the offset of this page. */
};

/**
 * @brief Move a page byte from state @p from to @p to (the only writer of the state bits).
 * DASSERTs that the page is in @p from and that the edge exists.
 * @param pg The page byte.
 * @param from Expected current state.
 * @param to New state.
 */
void vpage_transition(uint8_t *pg, enum vpage_state from, enum vpage_state to);

/**
 * @brief Move a reservation record from @p from to @p to (the only writer of its state).
 * @param res The record.
 * @param from Expected current state.
 * @param to New state.
 */
void vres_transition(struct vmres *res, enum vres_state from, enum vres_state to);

/**
 * @brief Initialise an empty address space over the user range [lo, hi).
 * @param as The address space.
 * @param lo Lowest user address, page-aligned.
 * @param hi End of the user range, page-aligned, > lo.
 * @param ledger The owning process's ledger.
 * @param alloc Allocator for records and page arrays (copied).
 * @return KERR_OK, or KERR_INVALID_ARG for bad bounds or a NULL hook.
 */
kerr_t vmspace_init(struct vmspace *as, uint64_t lo, uint64_t hi, struct ledger *ledger,
		    const struct lib_alloc *alloc);

/**
 * @brief Reserve an anonymous range (no memory committed).
 * @param as The address space.
 * @param addr With VM_FIXED: the exact start. Otherwise a hint: the first fit at or after it.
 * @param size Length, page-aligned, > 0.
 * @param flags 0 or VM_FIXED.
 * @param max_prot Rights every later commit/protect is bounded by (subset of VM_PROT_ALL).
 * @param out Receives the start address.
 * @return KERR_OK; KERR_INVALID_ARG (misaligned, zero size, unknown flags or rights, fixed range
 *         outside the user range); KERR_CONFLICT (fixed range overlaps a reservation or mapping
 *         anywhere, or no free range at or after the hint); KERR_NO_MEMORY (allocator);
 *         KERR_QUOTA_VIRTUAL.
 */
kerr_t vmspace_reserve(struct vmspace *as, uint64_t addr, uint64_t size, unsigned flags,
		       unsigned max_prot, uint64_t *out);

/**
 * @brief Map a range of a MemoryObject (borrowed mapping): every page committed with @p prot.
 * @param as The address space.
 * @param addr Exact start (VM_FIXED) or hint.
 * @param size Length, page-aligned, > 0.
 * @param flags 0 or VM_FIXED.
 * @param obj Object id, generation and page-aligned offset of the first page.
 * @param prot Initial protection: non-empty, subset of @p max_prot.
 * @param max_prot Rights of the mapping (subset of VM_PROT_ALL).
 * @param out Receives the start address.
 * @return KERR_OK; KERR_INVALID_ARG; KERR_CONFLICT; KERR_NO_MEMORY; KERR_QUOTA_MAPPING.
 */
kerr_t vmspace_map_object(struct vmspace *as, uint64_t addr, uint64_t size, unsigned flags,
			  const struct vm_objref *obj, unsigned prot, unsigned max_prot,
			  uint64_t *out);

/**
 * @brief Release anonymous reservations over [addr, addr + len): whole ranges are freed,
 * partly covered ones are trimmed (head, tail) or split in two (middle). Releases the
 * LEDGER_VIRTUAL and LEDGER_COMMIT charges of the released pages.
 * @param as The address space.
 * @param addr Start, page-aligned.
 * @param len Length, page-aligned, > 0.
 * @return KERR_OK; KERR_INVALID_ARG; KERR_NOT_FOUND (a page of the range is not reserved);
 *         KERR_CONFLICT (a page is object-backed: unmap it through its object);
 *         KERR_NO_MEMORY (a middle split could not allocate).
 */
kerr_t vmspace_unmap(struct vmspace *as, uint64_t addr, uint64_t len);

/**
 * @brief Object-specific unmap: release borrowed mappings of object (@p id, @p gen) over
 * [addr, addr + len), trimming or splitting like vmspace_unmap(); releases LEDGER_MAPPING.
 * @param as The address space.
 * @param addr Start, page-aligned.
 * @param len Length, page-aligned, > 0.
 * @param id Object id the caller holds.
 * @param gen That object's generation.
 * @return KERR_OK; KERR_INVALID_ARG; KERR_NOT_FOUND (a page is not mapped at all);
 *         KERR_WRONG_OBJECT (a page is anonymous or backed by another object or generation);
 *         KERR_NO_MEMORY.
 */
kerr_t vmspace_unmap_object(struct vmspace *as, uint64_t addr, uint64_t len, uint64_t id,
			    uint64_t gen);

/**
 * @brief Commit the reserved pages of [addr, addr + len), which lies in one anonymous
 * reservation, with protection @p prot. Already committed pages are left as they are (and not
 * charged again); newly committed pages are marked zero-fill pending.
 * @param as The address space.
 * @param addr Start, page-aligned.
 * @param len Length, page-aligned, > 0.
 * @param prot Non-empty subset of VM_PROT_ALL.
 * @return KERR_OK; KERR_INVALID_ARG; KERR_NOT_FOUND (not inside one reservation);
 *         KERR_CONFLICT (object-backed); KERR_NO_RIGHTS (prot beyond the reservation's
 *         rights); KERR_NO_MEMORY; KERR_QUOTA_COMMIT.
 */
kerr_t vmspace_commit(struct vmspace *as, uint64_t addr, uint64_t len, unsigned prot);

/**
 * @brief Decommit [addr, addr + len) inside one anonymous reservation: committed pages become
 * reserved (their frames are freed by the caller after TLB completion) and their
 * LEDGER_COMMIT charge is released. Reserved pages are left alone.
 * @param as The address space.
 * @param addr Start, page-aligned.
 * @param len Length, page-aligned, > 0.
 * @return KERR_OK; KERR_INVALID_ARG; KERR_NOT_FOUND; KERR_CONFLICT (object-backed).
 */
kerr_t vmspace_decommit(struct vmspace *as, uint64_t addr, uint64_t len);

/**
 * @brief Change the protection of the committed pages [addr, addr + len) inside one
 * reservation. VM_PROT_NONE keeps each page's protection for vmspace_restore().
 * @param as The address space.
 * @param addr Start, page-aligned.
 * @param len Length, page-aligned, > 0.
 * @param prot Subset of VM_PROT_ALL (VM_PROT_NONE allowed).
 * @return KERR_OK; KERR_INVALID_ARG; KERR_NOT_FOUND (not inside one reservation, or a page is
 *         not committed); KERR_NO_RIGHTS (beyond the rights captured at creation);
 *         KERR_NO_MEMORY.
 */
kerr_t vmspace_protect(struct vmspace *as, uint64_t addr, uint64_t len, unsigned prot);

/**
 * @brief Restore the protection each VPAGE_PROT_NONE page of [addr, addr + len) had before it
 * was protected to none. Pages already accessible are left alone.
 * @param as The address space.
 * @param addr Start, page-aligned.
 * @param len Length, page-aligned, > 0.
 * @return KERR_OK; KERR_INVALID_ARG; KERR_NOT_FOUND (not inside one reservation, or a page is
 *         not committed).
 */
kerr_t vmspace_restore(struct vmspace *as, uint64_t addr, uint64_t len);

/**
 * @brief Record that the kernel zero-filled the frame of the committed anonymous page at
 * @p addr (clears zero-fill pending).
 * @param as The address space.
 * @param addr Page address, page-aligned.
 * @return KERR_OK; KERR_INVALID_ARG (misaligned, or no fill pending); KERR_NOT_FOUND (not a
 *         committed page); KERR_CONFLICT (object-backed).
 */
kerr_t vmspace_filled(struct vmspace *as, uint64_t addr);

/**
 * @brief Describe the page at @p addr.
 * @param as The address space.
 * @param addr Any address.
 * @param out Receives the description.
 * @return KERR_OK, or KERR_NOT_FOUND when no reservation holds addr.
 */
kerr_t vmspace_lookup(const struct vmspace *as, uint64_t addr, struct vm_info *out);

/**
 * @brief Tear the address space down at process exit: release every reservation and mapping,
 * every ledger charge they hold (exactly once), and all memory.
 * @param as The address space (empty afterwards; may be reused after vmspace_init()).
 */
void vmspace_destroy(struct vmspace *as);

/**
 * @brief Validate every invariant of the address space and its records (O(pages)).
 * @param as The address space.
 * @return true when all invariants hold.
 */
bool vmspace_check(const struct vmspace *as);

/**
 * @brief A 64-bit digest of the observable state (ranges, provenance, page bytes, counters),
 * for tests and debug checks that a failed call changed nothing.
 * @param as The address space.
 * @return The digest (FNV-1a).
 */
uint64_t vmspace_digest(const struct vmspace *as);

#endif /* CAPOS_LIB_VMSPACE_H */
