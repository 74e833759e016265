/**
 * @file
 * @brief The physical frame allocator and its per-frame metadata and state machine.
 *
 * Every 4 KiB frame of usable RAM has a struct frame. Its state changes only through
 * frame_transition(), which asserts the from-state and that the edge is legal:
 *
 *     FRAME_FREE -> FRAME_ALLOCATED          frame_alloc
 *     FRAME_ALLOCATED -> FRAME_FREE          frame_free (never mapped, or kept after a flush)
 *     FRAME_ALLOCATED -> FRAME_MAPPED        a PTE now points at it
 *     FRAME_MAPPED -> FRAME_UNHOOKED         its last PTE was cleared; TLBs may still hold it
 *     FRAME_UNHOOKED -> FRAME_FLUSHED        every CPU that could cache it has flushed
 *     FRAME_FLUSHED -> FRAME_FREE            frame_free
 *     FRAME_FLUSHED -> FRAME_ALLOCATED       the owner keeps it for reuse
 *
 * Freed frames are poisoned (FRAME_POISON); frame_alloc checks the poison (a write after free
 * panics) and hands out zeroed frames.
 */
#ifndef CAPOS_MM_FRAME_H
#define CAPOS_MM_FRAME_H

#include <capos/elig.h>
#include <capos/errors.h>
#include <lib/types.h>

/** @brief States of a physical frame (see the file comment for the edges). */
enum frame_state {
	FRAME_FREE = 0,  /**< On the free list, poisoned. */
	FRAME_ALLOCATED, /**< Owned, not mapped by any PTE (or a page-table/heap page). */
	FRAME_MAPPED,    /**< Referenced by a PTE. */
	FRAME_UNHOOKED,  /**< PTE cleared, stale TLB entries may remain. */
	FRAME_FLUSHED,   /**< No CPU can reach it any more; may be freed or reused. */
	FRAME_STATE_COUNT /**< Number of states; not a state. */
};

/** @brief Who allocated a frame (diagnostics and assertions). */
enum frame_owner {
	FRAME_OWNER_NONE = 0,  /**< Free. */
	FRAME_OWNER_PAGETABLE, /**< A page-table page (pt_entries counts its valid entries). */
	FRAME_OWNER_HEAP,      /**< A kernel heap slab (aux is its size class). */
	FRAME_OWNER_KERNEL,    /**< Other kernel use (stacks, boot structures). */
	FRAME_OWNER_TEST,      /**< Allocated by a kernel test. */
	FRAME_OWNER_USER,      /**< Memory of a user process. */
	FRAME_OWNER_CAPTABLE,  /**< A process's capability table (CapSet). */
};

#define FRAME_F_RESERVED 0x1 /**< Not allocatable RAM (hole, kernel image, metadata). */
#define FRAME_F_POISONED 0x2 /**< Filled with FRAME_POISON since its last free. */
/** Unhooked (last PTE removed, or a page-table page unlinked): waits for a shootdown round
 *  before it may be flushed or freed (kern/witness.h, debug kernels). */
#define FRAME_F_WAITFLUSH 0x4
/** Bits 4..6: a shadow of state kept by frame_transition() (debug kernels): a state byte
 *  written anywhere else no longer matches it, and the next transition reports it. */
#define FRAME_F_SHADOW_SHIFT 4
#define FRAME_F_SHADOW_MASK (0x7 << FRAME_F_SHADOW_SHIFT) /**< The shadow's bits. */
#define FRAME_POISON 0xdeadfa11deadfa11ull /**< Pattern written over freed frames. */

/**
 * @brief Metadata of one physical frame.
 *
 * Invariants:
 *   I1. state == FRAME_FREE iff the frame is on the free list; then owner == FRAME_OWNER_NONE,
 *       pins == 0, pt_entries == 0 and FRAME_F_POISONED is set.
 *   I2. FRAME_F_RESERVED frames are never on the free list and never change state.
 *   I3. A frame with pins > 0 is not freed (frame_free asserts).
 *   I4. For page-table pages, pt_entries == number of present entries in the table; for heap
 *       slabs, the number of live objects in it.
 *   I5. (Debug kernels.) FRAME_F_WAITFLUSH is set from the unhook until the frame is declared
 *       flushed or freed; then wseq names a complete shootdown round (kern/witness.h) or this
 *       CPU holds a not-resident certificate. For a page-table root, wseq counts its weakened
 *       or removed user PTEs not yet covered by an issued round.
 *   I6. (Debug kernels.) The FRAME_F_SHADOW bits equal state: only frame_transition() writes
 *       either.
 *   I7. elig holds the page's eligibility bits (capos/elig.h) except ELIG_PINNED, which is
 *       pins > 0. The kind bit (ELIG_PAGETABLE for FRAME_OWNER_PAGETABLE, ELIG_CAPTABLE for
 *       FRAME_OWNER_CAPTABLE, ELIG_KERNEL for FRAME_OWNER_HEAP and FRAME_OWNER_KERNEL) is set by frame_alloc() and cleared by
 *       frame_free(); every other bit is set by the code that gives the page its role
 *       (frame_elig_set()) and cleared by the code that takes it away (frame_elig_clear())
 *       before the frame is released: frame_free() asserts no such bit is left, and
 *       frame_alloc() asserts a frame leaves the free list with elig == 0 (no stale bit is
 *       ever inherited by the frame's next owner). The snapshot of elig, pins and state obeys
 *       struct elig_page's invariants (DASSERTed by frame_elig_set()).
 * Locking: free-list membership and the FREE edges under frame_lock; other fields and edges
 *   belong to the frame's owner (e.g. the page-table lock of the address space mapping it).
 *   elig is changed with atomic OR/AND only (a MemoryObject's bits under the object's lock,
 *   while queries read it without a lock).
 * States: see enum frame_state; changed only by frame_transition().
 */
struct frame {
	uint8_t state;       /**< enum frame_state, written only by frame_transition(). */
	uint8_t flags;       /**< FRAME_F_*. */
	uint16_t pins;       /**< Pin count: blocks free while non-zero (I3). */
	uint16_t pt_entries; /**< Page-table page: present entries (I4); heap slab: live objects. */
	uint8_t owner;       /**< enum frame_owner. */
	uint8_t aux;         /**< Owner-specific (heap size class). */
	uint32_t next;       /**< Free-list / frame_list link: index + 1, 0 ends the list. */
	uint32_t slab_free;  /**< Heap slab: offset + 1 of its first free object, 0 = none. */
	uint32_t wseq;       /**< Witness word (I5): round waited for, or a root's pending flushes. */
	uint16_t elig;       /**< Eligibility bits, enum elig_bit (I7). */
};

/** @brief A caller-owned list of frames (e.g. page-table pages waiting for a TLB flush). */
struct frame_list {
	uint32_t head;  /**< Index + 1 of the first frame, 0 when empty. */
	uint32_t count; /**< Frames on the list. */
};

/** @brief Build the metadata array and free list from the memory map (boot CPU, once). */
void frame_init(void);

/**
 * @brief Allocate one zeroed frame, state FRAME_ALLOCATED.
 * @param owner enum frame_owner recorded in the metadata. @param out Receives its address.
 * @return KERR_OK; KERR_NO_MEMORY when no frame is free (nothing changed).
 */
kerr_t frame_alloc(enum frame_owner owner, paddr_t *out);

/**
 * @brief Return a frame in FRAME_ALLOCATED or FRAME_FLUSHED, with no pins, to the free list
 *        (state FRAME_FREE), poisoning it. Any other state is a kernel bug (asserted).
 * @param pa Frame address (page aligned, allocatable RAM).
 */
void frame_free(paddr_t pa);

/**
 * @brief Failure injection for tests: the @p nth frame_alloc() from now fails once with
 *        KERR_NO_MEMORY (1 = the next one); 0 cancels.
 * @param nth Which allocation fails.
 */
void frame_inject_failure(unsigned nth);

/** @brief Frames currently free. @return Count. */
size_t frame_free_count(void);

/** @brief Frames managed (allocatable RAM). @return Count. */
size_t frame_total_count(void);

/**
 * @brief Metadata of the frame holding a physical address (asserts it is managed RAM).
 * @param pa Physical address.
 * @return The frame's metadata.
 */
struct frame *frame_of(paddr_t pa);

/**
 * @brief Physical address of a frame.
 * @param f The frame's metadata.
 * @return Its physical address.
 */
paddr_t frame_paddr(const struct frame *f);

/**
 * @brief The one place a frame's state changes. DASSERTs that @p f is in @p from and that
 *        @p from -> @p to is an edge of the frame machine. Call with enum constants.
 * @param f The frame. @param from Its current state. @param to The new state.
 */
void frame_transition(struct frame *f, enum frame_state from, enum frame_state to);

/**
 * @brief Whether an edge belongs to the frame machine.
 * @param from Source state. @param to Target state.
 * @return true when @p from -> @p to is an edge.
 */
bool frame_edge_legal(enum frame_state from, enum frame_state to);

/**
 * @brief Pin a frame (blocks frame_free() until unpinned).
 * @param f An allocated frame.
 */
void frame_pin(struct frame *f);

/**
 * @brief Drop one pin (asserts there is one).
 * @param f A pinned frame.
 */
void frame_unpin(struct frame *f);

/**
 * @brief Give a frame one or more roles that restrict its eligibility (I7): ELIG_OBJECT,
 *        ELIG_RING, ELIG_SHARED_IPC, ELIG_SECRET or ELIG_DMA. The kind bits
 *        (ELIG_PAGETABLE, ELIG_CAPTABLE, ELIG_KERNEL) come from the owner given to frame_alloc() and
 *        ELIG_PINNED from the pin count: passing them is a kernel bug (asserted).
 * @param f An allocated frame (not FRAME_FREE). @param bits Mask of enum elig_bit.
 */
void frame_elig_set(struct frame *f, unsigned bits);

/**
 * @brief Take roles away from a frame (the inverse of frame_elig_set(), same bits allowed).
 *        Must happen before the frame is released: frame_free() asserts none is left.
 * @param f An allocated frame. @param bits Mask of enum elig_bit.
 */
void frame_elig_clear(struct frame *f, unsigned bits);

/**
 * @brief A frame's eligibility word: its bits with ELIG_PINNED added while pins > 0.
 * @param f The frame.
 * @return Mask of enum elig_bit.
 */
unsigned frame_elig_bits(const struct frame *f);

/**
 * @brief The one eligibility query: may the page at @p pa be swapped out or handed to a
 *        device? Reads a snapshot of the frame's state, pin count and bits without a lock
 *        (the caller that acts on the answer holds what keeps the page's roles stable, e.g.
 *        the lock of the address space mapping it) and decides with elig_query().
 * @param pa Physical address of the page (any value: not page-aligned or not managed RAM is
 *        refused, never asserted). @param purpose enum elig_purpose.
 * @return ELIG_OK; or the first refusal: ELIG_R_UNMANAGED (not allocatable RAM, unaligned, or
 *         an unknown purpose), ELIG_R_FREE, ELIG_R_IN_TRANSIT, ELIG_R_KERNEL,
 *         ELIG_R_PAGETABLE, ELIG_R_CAPTABLE, ELIG_R_SECRET, ELIG_R_DMA, ELIG_R_PINNED (swap),
 *         ELIG_R_RING, ELIG_R_SHARED_IPC, ELIG_R_OBJECT (swap), ELIG_R_NOT_OBJECT (DMA),
 *         ELIG_R_NOT_PINNED (DMA).
 */
enum elig_reason frame_eligibility(paddr_t pa, enum elig_purpose purpose);

/**
 * @brief Push a frame onto a list (the frame must be on no other list).
 * @param l The list. @param f The frame.
 */
void frame_list_push(struct frame_list *l, struct frame *f);

/**
 * @brief Pop a frame from a list.
 * @param l The list.
 * @return The frame, or NULL when the list is empty.
 */
struct frame *frame_list_pop(struct frame_list *l);

/**
 * @brief Record on every frame of @p l that shootdown round @p seq flushes it (debug kernels,
 *        kern/witness.h; frames not waiting for a round are left as they are).
 * @param l The list. @param seq The round (witness_round_open()).
 */
void frame_list_witness_stamp(const struct frame_list *l, uint32_t seq);

/**
 * @brief frame_free() every frame on a list (after the caller's TLB flush), leaving it empty.
 * @param l The list.
 */
void frame_list_free(struct frame_list *l);

#endif /* CAPOS_MM_FRAME_H */
