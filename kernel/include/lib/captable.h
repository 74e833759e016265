/**
 * @file
 * @brief Capability table: fixed-capacity slots of typed capabilities named by generation-checked
 * handles (pure logic, no locks, no allocation).
 *
 * The table lives in caller-provided storage: the caller gives captable_init() an array of
 * ::cap_slot and keeps it alive as long as the table. Nothing here allocates, so no call fails
 * for lack of memory. The table does not count references to the objects it names: it treats
 * ::cap.obj as an opaque value. Whoever inserts a capability hands the table one reference; the
 * caller takes one more reference after every successful copy (and each non-move transfer
 * item), and releases one for every capability returned by a drop or a teardown take. Taking a
 * reference never fails (a counter), so these calls stay all-or-nothing.
 *
 * Handles are ::cap_handle_t (capos/abi.h): slot index in bits 0..31, generation in 32..63.
 */
#ifndef CAPOS_LIB_CAPTABLE_H
#define CAPOS_LIB_CAPTABLE_H

#include <capos/abi.h>
#include <capos/errors.h>
#include <lib/types.h>

/** @brief A capability: what a slot holds. */
struct cap {
	enum cap_type type; /**< ::cap_type; CAP_TYPE_NULL only in an empty slot. */
	uint32_t rights;    /**< ::cap_right mask, a subset of ::CAP_RIGHTS_ALL. */
	uintptr_t obj;      /**< The object, opaque to the table (the kernel's pointer). */
};

/** @brief States of a slot (the `capslot` state machine). */
enum capslot_state {
	CAPSLOT_FREE = 0, /**< Empty, on the free list; its next occupant gets generation gen + 1. */
	CAPSLOT_USED,     /**< Holds a capability at generation gen. */
	CAPSLOT_RETIRED,  /**< Generation exhausted: empty and never reused (stale handles stay stale). */
};

/**
 * @brief One slot of a capability table.
 *
 * States: FREE -> USED (insert, copy, transfer), USED -> FREE (drop, move, take),
 * USED -> RETIRED (drop when gen == ::CAPTABLE_GEN_MAX). Changed only by the table's
 * transition function. Invariants are those of ::captable (I2, I3, I5 for next_free).
 * Locking: as its table (the owning process's table lock).
 */
struct cap_slot {
	struct cap cap;           /**< The capability (empty cap unless USED). */
	uint32_t gen;             /**< Generation of the current or last occupant; 0 = never used. */
	uint32_t next_free;       /**< Next slot on the free list (FREE only), or ::CAPTABLE_NIL. */
	enum capslot_state state; /**< ::capslot_state. */
};

/** @brief End of the free list. */
#define CAPTABLE_NIL 0xffffffffu
/** @brief Largest generation; a slot dropped at this generation is retired. */
#define CAPTABLE_GEN_MAX 0xffffffffu
/** @brief Largest capacity (slot indices stay below ::CAPTABLE_NIL). */
#define CAPTABLE_MAX_SLOTS 0x7fffffffu

/**
 * @brief A capability table.
 *
 * Invariants (captable_check() returns the number of the first one violated):
 *   I1. slots != NULL and 1 <= capacity <= ::CAPTABLE_MAX_SLOTS.
 *   I2. Every slot is FREE, USED or RETIRED. A USED slot holds a type in
 *       (CAP_TYPE_NULL, CAP_TYPE_COUNT) and rights within ::CAP_RIGHTS_ALL; FREE and RETIRED
 *       slots hold the empty capability (type NULL, rights 0, obj 0).
 *   I3. A USED slot's gen is in [1, ::CAPTABLE_GEN_MAX]; a RETIRED slot's gen is
 *       ::CAPTABLE_GEN_MAX; a FREE slot's gen is below ::CAPTABLE_GEN_MAX.
 *   I4. nused, nfree and nretired equal the numbers of USED, FREE and RETIRED slots, and sum to
 *       capacity.
 *   I5. The free list from free_head visits every FREE slot exactly once and no other slot,
 *       ending with ::CAPTABLE_NIL after nfree steps. Insertion takes the head (LIFO).
 *   I6. A slot's gen never decreases, and grows by one at each new occupant; so a handle is
 *       accepted only while the capability it was issued for is in the slot (tested by the host
 *       tests; not checkable from one snapshot).
 * Locking: none inside. The kernel holds the owning process's table lock across every call;
 * captable_transfer() needs both tables' locks.
 */
struct captable {
	struct cap_slot *slots; /**< Caller-provided storage of capacity slots. */
	uint32_t capacity;      /**< Number of slots. */
	uint32_t nused;         /**< USED slots. */
	uint32_t nfree;         /**< FREE slots. */
	uint32_t nretired;      /**< RETIRED slots. */
	uint32_t free_head;     /**< First FREE slot, or ::CAPTABLE_NIL. */
};

/** @brief One capability to transfer with captable_transfer(). */
struct captable_xfer {
	cap_handle_t handle; /**< Handle in the source table. */
	uint32_t rights;     /**< Rights of the destination's capability (subset of the source's). */
	bool move;           /**< True: remove it from the source; false: the source keeps it. */
};

/**
 * @brief Make an empty table over caller-provided slots.
 * @param t The table.
 * @param slots Storage for @p capacity slots (its contents are overwritten).
 * @param capacity Number of slots, 1..::CAPTABLE_MAX_SLOTS.
 * @return KERR_OK; KERR_INVALID_ARG when @p slots is NULL or @p capacity is out of range (the
 *         table is then left untouched).
 */
kerr_t captable_init(struct captable *t, struct cap_slot *slots, uint32_t capacity);

/**
 * @brief Find the capability a handle names and check its type and rights.
 * @param t The table.
 * @param h The handle.
 * @param type Required type, or CAP_TYPE_NULL for any type.
 * @param rights Rights the capability must all hold (0 for none).
 * @param out Receives a copy of the capability on success (may be NULL).
 * @return KERR_OK; KERR_INVALID_HANDLE (slot index out of range, generation 0, or empty slot);
 *         KERR_STALE_HANDLE (slot holds a capability of another generation);
 *         KERR_WRONG_TYPE; KERR_NO_RIGHTS. Checked in this order.
 */
kerr_t captable_lookup(const struct captable *t, cap_handle_t h, enum cap_type type,
		       uint32_t rights, struct cap *out);

/**
 * @brief Put a capability into a free slot (the table takes the caller's reference).
 * @param t The table.
 * @param c The capability: a valid type and rights within ::CAP_RIGHTS_ALL (kernel invariant,
 *          asserted).
 * @param out Receives its handle.
 * @return KERR_OK; KERR_NO_SLOTS when no slot is free (the kernel reports KERR_PUBLISH_FAILED
 *         when the capability is a method's result). Nothing changes on error.
 */
kerr_t captable_insert(struct captable *t, const struct cap *c, cap_handle_t *out);

/**
 * @brief Duplicate a capability into a new slot of the same table with equal or fewer rights.
 * @param t The table.
 * @param h Handle of the capability to copy; it needs ::CAP_RIGHT_COPY.
 * @param rights Rights of the copy: the method's full 64-bit argument (::CAP_COPY's a0).
 * @param out Receives the new handle.
 * @param copied Receives the new capability (the caller takes a reference on copied->obj);
 *        may be NULL.
 * @return KERR_OK; the lookup errors of @p h (KERR_INVALID_HANDLE, KERR_STALE_HANDLE);
 *         KERR_NO_RIGHTS when the capability lacks ::CAP_RIGHT_COPY; KERR_INVALID_ARG when
 *         @p rights has bits outside ::CAP_RIGHTS_ALL; KERR_NO_RIGHTS when @p rights is not
 *         a subset of its rights; KERR_NO_SLOTS. Checked in this order; nothing changes on
 *         error.
 */
kerr_t captable_copy(struct captable *t, cap_handle_t h, uint64_t rights, cap_handle_t *out,
		     struct cap *copied);

/**
 * @brief Remove a capability; its slot becomes free (or retired at the last generation).
 * @param t The table.
 * @param h The handle.
 * @param dropped Receives the removed capability (the caller releases its reference); may be
 *        NULL only if the caller has no reference to release.
 * @return KERR_OK; KERR_INVALID_HANDLE; KERR_STALE_HANDLE. Nothing changes on error.
 */
kerr_t captable_drop(struct captable *t, cap_handle_t h, struct cap *dropped);

/**
 * @brief Transfer capabilities into another table, all or nothing.
 *
 * Every item is validated before anything changes: each handle must be valid in @p src, hold
 * ::CAP_RIGHT_TRANSFER and all of the item's rights; no slot may be named twice; @p dst must have
 * @p n free slots. Then item i is inserted into @p dst with its rights (handle in out[i]), and
 * moved items are removed from @p src. For each non-move item the caller takes one reference.
 * A caller that must also publish a result into @p src afterwards (spawn: the child's Process
 * capability) checks captable_free_slots(src) first under the same lock, so that nothing after
 * the transfer can fail and no move ever needs undoing.
 *
 * @param src Source table.
 * @param dst Destination table (not @p src: asserted).
 * @param items The capabilities to transfer.
 * @param n Number of items (0 is a successful no-op).
 * @param out Receives n handles in @p dst.
 * @param bad Receives the index of the failing item on a per-item error (may be NULL).
 * @return KERR_OK; the lookup errors (KERR_INVALID_HANDLE, KERR_STALE_HANDLE) of an item;
 *         KERR_INVALID_ARG (rights bits outside ::CAP_RIGHTS_ALL, or a slot named twice);
 *         KERR_NO_RIGHTS (no ::CAP_RIGHT_TRANSFER, or more rights than held); KERR_NO_SLOTS
 *         (@p dst has fewer than @p n free slots). Nothing changes in either table on error.
 */
kerr_t captable_transfer(struct captable *src, struct captable *dst,
			 const struct captable_xfer *items, size_t n, cap_handle_t *out,
			 size_t *bad);

/**
 * @brief The type a method belongs to and the rights it needs (the ABI's method table).
 * @param m Method number.
 * @param type Receives the ::cap_type the method belongs to; CAP_TYPE_NULL for the generic
 *        methods (::CAP_INFO, ::CAP_COPY, ::CAP_DROP) valid on every type.
 * @param rights Receives the rights the method needs (argument-dependent rights, such as the
 *        protection a commit asks for, are the method's own decode).
 * @return true when @p m is a defined method; false otherwise (outputs untouched).
 */
bool cap_method_lookup(capos_method_t m, enum cap_type *type, uint32_t *rights);

/**
 * @brief The common first step of every invocation's decode, in the ABI's order: resolve the
 * handle, check the method is defined, belongs to the capability's type, and that the
 * capability holds the method's rights.
 * @param t The caller's table.
 * @param h The invoked handle.
 * @param m The method number.
 * @param out Receives the capability on success (may be NULL).
 * @return KERR_OK; KERR_INVALID_HANDLE; KERR_STALE_HANDLE; KERR_UNKNOWN_METHOD;
 *         KERR_WRONG_TYPE; KERR_NO_RIGHTS, checked in this order. Changes nothing.
 */
kerr_t captable_decode(const struct captable *t, cap_handle_t h, capos_method_t m,
		       struct cap *out);

/**
 * @brief Read-only iteration over the held capabilities, in slot order.
 * @param t The table.
 * @param cursor Start with 0; advanced past the returned slot.
 * @param h Receives the handle (may be NULL).
 * @param c Receives the capability (may be NULL).
 * @return true when a capability was returned; false at the end.
 */
bool captable_iter(const struct captable *t, uint32_t *cursor, cap_handle_t *h, struct cap *c);

/**
 * @brief Teardown: remove the next held capability (slot order) and return it. Cannot fail;
 * calling it until it returns false empties the table.
 * @param t The table.
 * @param cursor Start with 0; advanced past the removed slot.
 * @param c Receives the removed capability (the caller releases its reference).
 * @return true when a capability was removed; false when none is left at or after @p cursor.
 */
bool captable_take_next(struct captable *t, uint32_t *cursor, struct cap *c);

/**
 * @brief Number of held capabilities.
 * @param t The table.
 * @return nused.
 */
uint32_t captable_used(const struct captable *t);

/**
 * @brief Number of free slots (what an insert or transfer can use).
 * @param t The table.
 * @return nfree.
 */
uint32_t captable_free_slots(const struct captable *t);

/**
 * @brief Validate invariants I1..I5 of ::captable.
 * @param t The table.
 * @return 0 when they all hold; otherwise the number (1..5) of the first violated invariant.
 */
unsigned captable_check(const struct captable *t);

#endif /* CAPOS_LIB_CAPTABLE_H */
