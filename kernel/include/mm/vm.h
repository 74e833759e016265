/**
 * @file
 * @brief The page-table half of the VirtualMemory operations on one address space:
 *        lib/vmspace.h decides and records, these functions map, protect and unmap PTEs,
 *        allocate zeroed frames, charge page-table pages, and free frames only after the TLB
 *        shootdown of the call (one round per call, whatever the page count).
 *
 * Every function takes the address space's lock for the whole operation (user copies are
 * serialised against it: see mm/uaccess.h) and the account's lock around each ledger change.
 * Arguments are validated by the caller's decode step (alignment, non-empty length, user
 * range, protection bits, flags); each function still checks everything that depends on the
 * address space's state. A call that fails has changed nothing: no PTE, no page state, no
 * ledger charge, no frame.
 *
 * Per copy path (issue 4, item 6): copy_from_user()/copy_to_user() hold as->lock for the whole
 * copy; every function here that removes or weakens a PTE holds it too, so a copy never sees a
 * page change under it, and a frame unhooked here is freed only after the shootdown.
 */
#ifndef CAPOS_MM_VM_H
#define CAPOS_MM_VM_H

#include <capos/errors.h>
#include <lib/types.h>
#include <lib/vmspace.h>

struct aspace;
struct tlb_gather;

/** @brief What a borrowed mapping maps: an object's frames and the mapping's protection. */
struct vm_objmap {
	struct vm_objref ref;  /**< Object id, generation and byte offset of the first page. */
	const paddr_t *frames; /**< The frames of pages offset/PAGE_SIZE.. of the object. */
	uint64_t npages;       /**< Pages mapped. */
	uint64_t addr;         /**< Hint or (VM_FIXED) exact address. */
	unsigned flags;        /**< 0 or VM_FIXED. */
	unsigned prot;         /**< Initial protection (non-empty subset of max_prot). */
	unsigned max_prot;     /**< Rights of the mapping. */
};

/**
 * @brief Reserve [base, base + len) (VM_FIXED: exactly @p hint, no replace over the whole
 *        range; else the first fit at or after max(@p hint, CAPOS_USER_MMAP_BASE)).
 *        TLB: none (no PTE changes).
 * @param as Address space. @param len Bytes (page multiple, > 0). @param hint Address.
 * @param flags 0 or VM_FIXED. @param max_prot Rights bounding every later commit/protect.
 * @param base Receives the start.
 * @return KERR_OK; KERR_CONFLICT (fixed overlap); KERR_QUOTA_VIRTUAL; KERR_NO_MEMORY (no
 *         room, or no memory for the record).
 */
kerr_t aspace_vm_reserve(struct aspace *as, uint64_t len, uint64_t hint, unsigned flags,
			 unsigned max_prot, uint64_t *base);

/**
 * @brief Commit [addr, addr + len), wholly inside one anonymous reservation, with @p prot:
 *        every reserved page gets a zeroed frame. Frames and page-table pages are allocated
 *        and charged before anything changes. TLB: none (new PTEs only).
 * @param as Address space. @param addr Start. @param len Bytes. @param prot VM_PROT_* (non-empty).
 * @return KERR_OK; KERR_NOT_FOUND (not inside one reservation); KERR_CONFLICT (object-backed);
 *         KERR_NO_RIGHTS (above the reservation's rights); KERR_QUOTA_COMMIT;
 *         KERR_QUOTA_PAGETABLE; KERR_NO_MEMORY (global frame pressure).
 */
kerr_t aspace_vm_commit(struct aspace *as, uint64_t addr, uint64_t len, unsigned prot);

/**
 * @brief Commit [addr, addr + len) lazily (::CAPOS_COMMIT_LAZY): LEDGER_COMMIT is charged and
 *        the page-table pages the range needs are charged and kept on the address space's
 *        lazy_pts, but newly committed pages stay zero-fill pending without a frame or PTE
 *        until aspace_vm_fault() fills them. Nothing changes on error. TLB: none.
 * @param as Address space. @param addr Start. @param len Bytes. @param prot VM_PROT_* (non-empty).
 * @return KERR_OK; KERR_NOT_FOUND; KERR_CONFLICT; KERR_NO_RIGHTS; KERR_QUOTA_COMMIT;
 *         KERR_QUOTA_PAGETABLE; KERR_NO_MEMORY (page-table pages or the page-state array).
 */
kerr_t aspace_vm_commit_lazy(struct aspace *as, uint64_t addr, uint64_t len, unsigned prot);

/**
 * @brief A user not-present fault at @p addr: if it is a committed (not PROT_NONE), zero-fill
 *        pending anonymous page, allocate a zeroed frame and map it with the committed
 *        protection (page-table pages from lazy_pts, or charged and allocated when short).
 *        Checked under the address-space lock, so a second faulting thread finds the page
 *        filled. TLB: none (new PTE only).
 * @param as The faulting thread's address space. @param addr The faulting address (CR2).
 * @return KERR_OK (retry the access); KERR_NOT_FOUND (not a lazy page: a real fault);
 *         KERR_NO_MEMORY (no free frame, or no page-table quota: the caller ends the process
 *         with CAPOS_EXIT_OOM).
 */
kerr_t aspace_vm_fault(struct aspace *as, uint64_t addr);

/**
 * @brief Change the protection of the committed pages of [addr, addr + len) (one
 *        reservation); VM_PROT_NONE keeps the frames and their data (MMU_GUARD entries).
 *        TLB: shootdown (one round).
 * @param as Address space. @param addr Start. @param len Bytes. @param prot VM_PROT_*.
 * @return KERR_OK; KERR_NOT_FOUND; KERR_NO_RIGHTS; KERR_NO_MEMORY (page-state array).
 */
kerr_t aspace_vm_protect(struct aspace *as, uint64_t addr, uint64_t len, unsigned prot);

/**
 * @brief Decommit [addr, addr + len) (one anonymous reservation): PTEs cleared, frames and
 *        emptied tables freed after the shootdown, charges released; a later commit reads
 *        zeros. TLB: shootdown (one round).
 * @param as Address space. @param addr Start. @param len Bytes.
 * @return KERR_OK; KERR_NOT_FOUND; KERR_CONFLICT (object-backed).
 */
kerr_t aspace_vm_decommit(struct aspace *as, uint64_t addr, uint64_t len);

/**
 * @brief Release anonymous reservations over [addr, addr + len), splitting partly covered
 *        ones; committed pages are unhooked and freed after the shootdown. TLB: shootdown.
 * @param as Address space. @param addr Start. @param len Bytes.
 * @return KERR_OK; KERR_NOT_FOUND (a page is not reserved); KERR_CONFLICT (object-backed);
 *         KERR_NO_MEMORY (a middle split could not allocate).
 */
kerr_t aspace_vm_unmap(struct aspace *as, uint64_t addr, uint64_t len);

/**
 * @brief Describe the page at @p addr. TLB: none.
 * @param as Address space. @param addr Any address.
 * @param r Receives ::capos_page_status, current protection (0 when PROT_NONE), maximum.
 */
void aspace_vm_query(struct aspace *as, uint64_t addr, uint64_t r[3]);

/**
 * @brief Eligibility of the frame behind the user page at @p addr (CAP_VM_ELIGIBILITY).
 *        Reads under the address space's lock, which keeps the page's mapping, and so its
 *        object, pin and sharing roles, from changing while the frame is read. Changes nothing.
 * @param as Address space. @param addr Any address inside the page.
 * @param purpose enum elig_purpose (checked here). @param reason Out: enum elig_reason.
 * @param bits Out: the frame's enum elig_bit mask.
 * @return KERR_OK; KERR_INVALID_ARG (unknown purpose, address outside user space);
 *         KERR_NOT_FOUND (no frame: not committed, or a lazy page never touched).
 */
kerr_t aspace_vm_eligibility(struct aspace *as, uint64_t addr, unsigned purpose,
			     uint64_t *reason, uint64_t *bits);

/**
 * @brief Clear every user PTE at teardown (no CPU has @p as loaded: asserted) and free the
 *        anonymous frames and the tables, then release every charge of the address space.
 *        TLB: none (tlb_assert_not_resident()).
 * @param as Address space with refs == 0.
 */
void aspace_vm_teardown(struct aspace *as);

/**
 * @brief Map an object's frames (borrowed mapping): reservation record, LEDGER_MAPPING and
 *        page-table charges, PTEs; nothing changes on error. TLB: none (new PTEs only).
 * @param as Address space (lock held). @param m What to map. @param base Receives the address.
 * @return KERR_OK; KERR_CONFLICT (fixed overlap); KERR_QUOTA_MAPPING; KERR_QUOTA_PAGETABLE;
 *         KERR_NO_MEMORY (no room, or no frame for a table).
 */
kerr_t aspace_vm_map_object_locked(struct aspace *as, const struct vm_objmap *m, uint64_t *base);

/**
 * @brief Object-specific unmap of [addr, addr + len): the range must be mapped wholly from
 *        object (@p id, @p gen). The object's frames are not freed here. TLB: shootdown (the
 *        caller issues @p tg's round before unlocking and waits after).
 * @param as Address space (lock held). @param addr Start. @param len Bytes.
 * @param id Object id. @param gen Object generation. @param tg An open gather on @p as.
 * @return KERR_OK; KERR_NOT_FOUND; KERR_WRONG_OBJECT; KERR_NO_MEMORY (a middle split).
 */
kerr_t aspace_vm_unmap_object_locked(struct aspace *as, uint64_t addr, uint64_t len,
				     uint64_t id, uint64_t gen, struct tlb_gather *tg);

/**
 * @brief Unmap every mapping of object (@p id, @p gen) from @p as (whole records: no split).
 *        TLB: shootdown (caller's round on @p tg).
 * @param as Address space (lock held). @param id Object id. @param gen Generation.
 * @param tg An open gather on @p as.
 * @return Pages unmapped.
 */
uint64_t aspace_vm_unmap_object_all_locked(struct aspace *as, uint64_t id, uint64_t gen,
					   struct tlb_gather *tg);

/**
 * @brief Protect [addr, addr + len), which must be mapped wholly from object (@p id, @p gen).
 *        TLB: shootdown (one round).
 * @param as Address space. @param addr Start. @param len Bytes. @param prot VM_PROT_*.
 * @param id Object id. @param gen Generation.
 * @return KERR_OK; KERR_NOT_FOUND; KERR_WRONG_OBJECT; KERR_NO_RIGHTS; KERR_NO_MEMORY.
 */
kerr_t aspace_vm_protect_object(struct aspace *as, uint64_t addr, uint64_t len, unsigned prot,
				uint64_t id, uint64_t gen);

/**
 * @brief The object of the lowest borrowed mapping of @p as. TLB: none.
 * @param as Address space (lock held). @param ref Receives that mapping's object reference
 *        (identity and the kernel's lookup handle).
 * @return false when @p as maps no object.
 */
bool aspace_vm_first_object_locked(struct aspace *as, struct vm_objref *ref);

/**
 * @brief The mapping identity record of a user page (object id and generation, page offset,
 *        mapping generation, address-space id and generation), or of an anonymous page
 *        (address-space identity only). Valid while @p as's lock is held (the address-space
 *        stability guarantee: every mapping change takes that lock). TLB: none.
 */
struct vm_mapid {
	struct kident as;      /**< The address space's identity. */
	unsigned prot;         /**< Current VM_PROT_* (0 when protected to none). */
	bool zero_pending;     /**< Lazily committed, never touched: no frame yet, reads zero. */
	bool object;           /**< Object-backed page (the fields below are meaningful). */
	struct kident obj;     /**< The object's identity. */
	uint64_t offset;       /**< Byte offset of the page in the object. */
	uint64_t mapgen;       /**< The mapping's generation. */
	uintptr_t owner;       /**< The kernel's object (lookup handle, not identity). */
};

/**
 * @brief Fill in the mapping identity record of the committed page holding @p va.
 * @param as Address space (lock held). @param va Any user address.
 * @param out Receives the record.
 * @return KERR_OK; KERR_NOT_FOUND (not reserved, or reserved but not committed).
 */
kerr_t aspace_vm_identity_locked(struct aspace *as, uint64_t va, struct vm_mapid *out);

#endif /* CAPOS_MM_VM_H */
