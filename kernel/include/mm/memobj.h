/**
 * @file
 * @brief MemoryObjects: physical backing allocated by FrameAllocator, charged to the
 *        allocating process's account, and mapped (borrowed) into address spaces.
 *
 * memobj machine (memobj_transition()):
 *
 *     MEMOBJ_ALLOCATED -> MEMOBJ_PUBLISHED  its capability is in the caller's table
 *     MEMOBJ_ALLOCATED -> MEMOBJ_RELEASED   publication failed: rolled back completely
 *     MEMOBJ_PUBLISHED -> MEMOBJ_MAPPED     first borrowed mapping
 *     MEMOBJ_MAPPED -> MEMOBJ_PUBLISHED     last borrowed mapping unmapped
 *     MEMOBJ_PUBLISHED -> MEMOBJ_RELEASED   last capability dropped
 *     MEMOBJ_MAPPED -> MEMOBJ_RELEASED      last capability dropped: every mapping torn down
 *
 * Frames are freed (and the LEDGER_OBJECT charge released) only when the struct's last
 * reference goes, which is after every mapping's shootdown round completed.
 */
#ifndef CAPOS_MM_MEMOBJ_H
#define CAPOS_MM_MEMOBJ_H

#include <capos/errors.h>
#include <kern/spinlock.h>
#include <lib/kident.h>
#include <lib/types.h>

struct acct;
struct aspace;

/** @brief States of a MemoryObject (see the file comment). */
enum memobj_state {
	MEMOBJ_ALLOCATED = 0, /**< Frames allocated and charged; no capability yet. */
	MEMOBJ_PUBLISHED,     /**< Capabilities exist; no mapping. */
	MEMOBJ_MAPPED,        /**< Capabilities and at least one borrowed mapping. */
	MEMOBJ_RELEASED,      /**< No capability; mappings gone or going. */
	MEMOBJ_STATE_COUNT    /**< Number of states; not a state. */
};

/**
 * @brief The pages one address space maps from an object (one per address space).
 * Invariants: I1. pages > 0 is the number of pages of the object mapped in as; I2. the entry
 * holds one reference on as and one on its object (struct memobj I3). Locking: the object's
 * lock. States: none (an entry exists exactly while pages > 0).
 */
struct memobj_mapping {
	struct aspace *as;       /**< Holds a reference on it (I3). */
	uint64_t pages;          /**< Pages of this object mapped there (> 0). */
	struct memobj_mapping *next; /**< Next address space. */
};

/**
 * @brief A MemoryObject.
 *
 * Invariants:
 *   I1. frames[0..npages) are zeroed-at-allocation FRAME_ALLOCATED frames owned by the object;
 *       they are never FRAME_MAPPED (borrowed PTEs do not own them) and are freed only by the
 *       last memobj_put(), after every round that unhooked them completed.
 *   I2. acct is charged npages of LEDGER_OBJECT from allocation until the frames are freed.
 *   I3. maps lists each address space with a borrowed mapping of this object exactly once;
 *       each entry holds one reference on that address space and one on this object.
 *   I4. state == MEMOBJ_MAPPED iff maps != NULL and caps > 0; MEMOBJ_RELEASED iff caps == 0
 *       after publication (or the rollback).
 *   I5. ident names the object in vmspace records, park keys and waiter records: its id comes
 *       from mm_idents (lib/kident.h), never its address, and no later object gets it, so a
 *       stale record never matches a new object, even one at the same address.
 *   I6. Eligibility (mm/frame.h I7): every frame carries ELIG_OBJECT from allocation until
 *       memobj_free() releases it; ELIG_SHARED_IPC exactly while shared (maps lists two or
 *       more address spaces); ELIG_RING exactly while rings > 0 (SharedBuffers built on it).
 * Locking: lock protects state, maps, caps, shared and rings; it nests inside an address
 *   space's lock.
 *   refs is atomic.
 * States: enum memobj_state, changed only by memobj_transition().
 */
struct memobj {
	struct spinlock lock;    /**< Protects state, maps, caps. */
	uint8_t state;           /**< enum memobj_state. */
	struct kident ident;     /**< I5. */
	uint64_t npages;         /**< Size in pages. */
	paddr_t *frames;         /**< I1. */
	struct acct *acct;       /**< I2 (one reference). */
	struct memobj_mapping *maps; /**< I3. */
	uint32_t caps;           /**< Capabilities naming it. */
	uint32_t refs;           /**< caps > 0 (one), plus one per maps entry. */
	uint32_t rings;          /**< SharedBuffers built on it (I6). */
	bool shared;             /**< maps has two or more entries; frames carry ELIG_SHARED_IPC (I6). */
};

/**
 * @brief The one place an object's state changes; DASSERTs the from-state and the edge.
 * @param o Object. @param from Current state. @param to New state.
 */
void memobj_transition(struct memobj *o, enum memobj_state from, enum memobj_state to);

/**
 * @brief Allocate an object of @p npages zeroed frames charged to @p acct (MEMOBJ_ALLOCATED,
 *        no capability yet: caps == 0, refs == 1).
 * @param acct Account. @param npages Pages (> 0). @param out Receives it.
 * @return KERR_OK; KERR_QUOTA_OBJECT; KERR_NO_MEMORY (nothing changed).
 */
kerr_t memobj_create(struct acct *acct, uint64_t npages, struct memobj **out);

/**
 * @brief Its first capability was published: MEMOBJ_ALLOCATED -> MEMOBJ_PUBLISHED, caps = 1.
 * @param o Object.
 */
void memobj_published(struct memobj *o);

/**
 * @brief Publication failed: MEMOBJ_ALLOCATED -> MEMOBJ_RELEASED, frames freed, charge
 *        released, struct freed (nothing left behind).
 * @param o Object (never published or mapped).
 */
void memobj_rollback(struct memobj *o);

/** @brief A capability was copied or transferred. @param o Object. */
void memobj_cap_get(struct memobj *o);

/**
 * @brief A capability was dropped; the last one tears down every borrowed mapping (one
 *        shootdown round per address space) and drops the capabilities' reference.
 *        TLB: shootdown.
 * @param o Object.
 */
void memobj_cap_put(struct memobj *o);

/**
 * @brief Map [off, off + len) of @p o into @p as. TLB: none (new PTEs only).
 * @param o Object. @param as Address space. @param addr Hint or fixed address.
 * @param off Byte offset (page multiple). @param len Bytes (page multiple, > 0, in range).
 * @param prot Protection. @param max_prot Rights of the mapping. @param flags 0 or VM_FIXED.
 * @param base Receives the address.
 * @return KERR_OK; KERR_CONFLICT; KERR_QUOTA_MAPPING; KERR_QUOTA_PAGETABLE; KERR_NO_MEMORY;
 *         KERR_INVALID_ARG (the object was released meanwhile).
 */
kerr_t memobj_map(struct memobj *o, struct aspace *as, uint64_t addr, uint64_t off,
		  uint64_t len, unsigned prot, unsigned max_prot, unsigned flags, uint64_t *base);

/**
 * @brief Object-specific unmap of [addr, addr + len) in @p as. TLB: shootdown (one round).
 * @param o Object. @param as Address space. @param addr Start. @param len Bytes.
 * @return KERR_OK; KERR_NOT_FOUND; KERR_WRONG_OBJECT; KERR_NO_MEMORY.
 */
kerr_t memobj_unmap(struct memobj *o, struct aspace *as, uint64_t addr, uint64_t len);

/**
 * @brief Protect [addr, addr + len) of @p as, mapped wholly from @p o. TLB: shootdown.
 * @param o Object. @param as Address space. @param addr Start. @param len Bytes.
 * @param prot VM_PROT_*.
 * @return KERR_OK; KERR_NOT_FOUND; KERR_WRONG_OBJECT; KERR_NO_RIGHTS; KERR_NO_MEMORY.
 */
kerr_t memobj_protect(struct memobj *o, struct aspace *as, uint64_t addr, uint64_t len,
		      unsigned prot);

/**
 * @brief Remove every borrowed mapping from @p as (process exit, before its address space is
 *        dropped), so objects held elsewhere do not keep it alive. TLB: shootdown.
 * @param as Address space.
 */
void memobj_detach_all(struct aspace *as);

/**
 * @brief A SharedBuffer was built on @p o: its frames carry ELIG_RING while any is (I6).
 * @param o Object (alive: the caller holds a capability reference).
 */
void memobj_ring_attach(struct memobj *o);

/**
 * @brief A SharedBuffer built on @p o was freed; the last one clears ELIG_RING (I6).
 *        Call before dropping the capability reference the buffer held.
 * @param o Object.
 */
void memobj_ring_detach(struct memobj *o);

/** @brief Objects alive (tests). @return Count. */
unsigned memobj_live_count(void);

#endif /* CAPOS_MM_MEMOBJ_H */
