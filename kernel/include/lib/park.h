/**
 * @file
 * @brief ParkSpace keys and waiter queues (pure logic, no locks, no allocation).
 *
 * A park key names the 32-bit word a thread waits on by identity, never by raw user address:
 *
 *   - private (PARK_KEY_PRIVATE): (address-space id, generation, user address), for a word in
 *     anonymous memory, which only threads of that address space can name;
 *   - shared (PARK_KEY_SHARED): (MemoryObject id, generation, byte offset), for a word in a
 *     MemoryObject, which every address space mapping the object names alike, whatever the
 *     address it is mapped at.
 *
 * Keys are built only by park_key_private() and park_key_shared() (tools/cocci/park checks
 * it); the kernel derives the identity from the mapping at the time of the call, under the
 * address-space lock (see docs/architecture/shared-memory.md). Ids never repeat (lib/kident.h), so a
 * key made for a freed object or address space never matches a later one.
 *
 * A waiter is a node the waiting thread owns (preallocated, one per thread): waiting never
 * allocates. Besides its key, a waiter records the mapping it was derived through
 * (address-space id and user address), so that removing that mapping (unmap, decommit, object
 * release) fails exactly the waiters that came through it.
 *
 * park_waiter machine (park_waiter_transition()):
 *
 *     PARK_IDLE -> PARK_WAITING        park_enqueue(): queued under its key
 *     PARK_WAITING -> PARK_WOKEN       park_wake() matched its key
 *     PARK_WAITING -> PARK_FAILED      park_fail_range(): its mapping went away (result set)
 *     PARK_WAITING -> PARK_CANCELLED   park_cancel(): the thread stopped waiting (exit, kill)
 *     PARK_WOKEN / PARK_FAILED / PARK_CANCELLED -> PARK_IDLE   park_finish() by its thread
 *
 * A waiter is in its queue exactly while it is PARK_WAITING.
 */
#ifndef CAPOS_LIB_PARK_H
#define CAPOS_LIB_PARK_H

#include <capos/errors.h>
#include <lib/kident.h>
#include <lib/types.h>

/** @brief Which identity a key carries. */
enum park_key_kind {
	PARK_KEY_PRIVATE = 0, /**< (address space, generation, address). */
	PARK_KEY_SHARED = 1,  /**< (MemoryObject, generation, offset). */
};

/** @brief A park key; build it only with park_key_private() or park_key_shared(). */
struct park_key {
	uint64_t space; /**< Address-space id (private) or MemoryObject id (shared). */
	uint64_t gen;   /**< Its generation. */
	uint64_t addr;  /**< User address (private) or byte offset in the object (shared). */
	uint32_t kind;  /**< ::park_key_kind. */
};

/**
 * @brief The key of a word in anonymous memory of an address space.
 * @param as The address space's identity. @param va The word's user address.
 * @return The key.
 */
struct park_key park_key_private(const struct kident *as, uint64_t va);

/**
 * @brief The key of a word of a MemoryObject.
 * @param obj The object's identity. @param off The word's byte offset in the object.
 * @return The key.
 */
struct park_key park_key_shared(const struct kident *obj, uint64_t off);

/**
 * @brief Whether two keys name the same word.
 * @param a First. @param b Second. @return true when every field is equal.
 */
bool park_key_equal(const struct park_key *a, const struct park_key *b);

/** @brief States of a waiter (see the file comment). */
enum park_waiter_state {
	PARK_IDLE = 0,       /**< Not waiting (the thread's node at rest). */
	PARK_WAITING,        /**< Queued under its key. */
	PARK_WOKEN,          /**< Dequeued by a wake. */
	PARK_FAILED,         /**< Dequeued because its mapping went away (result says why). */
	PARK_CANCELLED,      /**< Dequeued by its own thread (exit, kill). */
	PARK_WAITER_STATE_COUNT /**< Number of states; not a state. */
};

/**
 * @brief A waiter: one per thread, preallocated.
 *
 * Invariants: I1. state == PARK_WAITING iff the node is linked in a queue. I2. result is
 * KERR_OK unless state is PARK_FAILED. I3. key, via_space and via_addr are set by
 * park_enqueue() and not changed while it waits.
 * Locking: the queue's lock (the kernel's park lock); state is read by its thread without it
 * (an atomic byte) to decide whether to sleep again.
 * States: enum park_waiter_state, changed only by park_waiter_transition().
 */
struct park_waiter {
	struct park_key key;       /**< What it waits for (I3). */
	uint64_t via_space;        /**< Address-space id of the mapping the key came through. */
	uint64_t via_addr;         /**< User address the thread waits at (I3). */
	uint8_t state;             /**< enum park_waiter_state. */
	kerr_t result;             /**< Why it failed (I2). */
	void *owner;               /**< The kernel's thread (opaque here). */
	struct park_waiter *prev;  /**< Queue links (I1). */
	struct park_waiter *next;  /**< Queue links (I1). */
};

/**
 * @brief A queue of waiters in arrival order (FIFO wake-up).
 * Invariants (park_check()): I1. a doubly-linked list from head to tail of count waiters, all
 * PARK_WAITING. Locking: the caller's (one kernel park lock). States: none.
 */
struct park_queue {
	struct park_waiter *head; /**< Oldest waiter. */
	struct park_waiter *tail; /**< Newest waiter. */
	unsigned count;           /**< Waiters queued. */
};

/** @brief Called for each waiter a wake or fail dequeued (the kernel makes its thread runnable). */
typedef void (*park_notify_fn)(struct park_waiter *w, void *ctx);

/**
 * @brief The one place a waiter's state changes; DASSERTs the from-state and the edge.
 * @param w Waiter. @param from Current state. @param to New state.
 */
void park_waiter_transition(struct park_waiter *w, enum park_waiter_state from,
			    enum park_waiter_state to);

/** @brief An empty queue. @param q The queue. */
void park_queue_init(struct park_queue *q);

/** @brief A waiter at rest (PARK_IDLE). @param w The node. @param owner Its thread. */
void park_waiter_init(struct park_waiter *w, void *owner);

/**
 * @brief Queue an idle waiter under @p key (PARK_IDLE -> PARK_WAITING). Never allocates.
 * @param q Queue. @param w The caller's idle node. @param key Key from a constructor.
 * @param via_space Id of the address space the key was derived in.
 * @param via_addr User address the thread waits at.
 */
void park_enqueue(struct park_queue *q, struct park_waiter *w, const struct park_key *key,
		  uint64_t via_space, uint64_t via_addr);

/**
 * @brief Wake up to @p count waiters of @p key, oldest first (PARK_WAITING -> PARK_WOKEN).
 * @param q Queue. @param key The key. @param count Most to wake (0 wakes none).
 * @param fn Called for each woken waiter after it was dequeued (may be NULL). @param ctx For fn.
 * @return Waiters woken.
 */
unsigned park_wake(struct park_queue *q, const struct park_key *key, unsigned count,
		   park_notify_fn fn, void *ctx);

/**
 * @brief Fail every waiter whose mapping was in [lo, hi) of address space @p space
 *        (PARK_WAITING -> PARK_FAILED with @p why).
 * @param q Queue. @param space Address-space id. @param lo First address. @param hi End.
 * @param why Result the waiters get (not KERR_OK). @param fn As park_wake(). @param ctx For fn.
 * @return Waiters failed.
 */
unsigned park_fail_range(struct park_queue *q, uint64_t space, uint64_t lo, uint64_t hi,
			 kerr_t why, park_notify_fn fn, void *ctx);

/**
 * @brief The waiter's thread stops waiting: PARK_WAITING -> PARK_CANCELLED (dequeued);
 *        a waiter already woken or failed is left as it is.
 * @param q Queue. @param w The caller's node (not PARK_IDLE).
 * @return true when it was still waiting.
 */
bool park_cancel(struct park_queue *q, struct park_waiter *w);

/**
 * @brief The waiter's thread collects the outcome and returns its node to rest (-> PARK_IDLE).
 * @param w A node in PARK_WOKEN, PARK_FAILED or PARK_CANCELLED.
 * @return KERR_OK (woken); the failure's result (failed); KERR_WOULD_BLOCK (cancelled).
 */
kerr_t park_finish(struct park_waiter *w);

/**
 * @brief Waiters queued at address-space @p space (for exit and tests).
 * @param q Queue. @param space Address-space id. @return Count.
 */
unsigned park_count_space(const struct park_queue *q, uint64_t space);

/**
 * @brief Validate the queue's invariant I1 and each waiter's I1/I2.
 * @param q Queue. @return 0 when they hold; else the number of the first violated (1 or 2).
 */
unsigned park_check(const struct park_queue *q);

#endif /* CAPOS_LIB_PARK_H */
