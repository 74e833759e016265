/**
 * @file
 * @brief Kernel object identities: 64-bit ids that are never kernel pointers and never repeat,
 *        with a generation (pure logic, no locks, no allocation).
 *
 * Every MemoryObject and every address space gets an identity when it is created. Records
 * that outlive an object's pointer (vmspace mapping records, park keys, waiter records) name
 * the object by its identity, so a record made for a freed object can never match the object
 * that reuses its memory: ids come from one monotonic counter and the counter never wraps
 * (an exhausted allocator fails instead). Id 0 is never handed out.
 *
 * The generation is the object's backing epoch (MemoryObject) or incarnation (address space):
 * 1 when created. Nothing in the kernel re-identifies a live object in place today, so no
 * generation ever changes yet; every key and record carries it so that a later change (a
 * resized or re-backed object) only has to bump it to invalidate every record made before.
 */
#ifndef CAPOS_LIB_KIDENT_H
#define CAPOS_LIB_KIDENT_H

#include <capos/errors.h>
#include <lib/types.h>

/** @brief The identity of a kernel object: (id, generation). */
struct kident {
	uint64_t id;  /**< Never 0, never a pointer, never reused. */
	uint64_t gen; /**< Backing epoch / incarnation; 1 at creation. */
};

/**
 * @brief A monotonic id allocator.
 *
 * Invariants: I1. next is the next id to hand out, >= 1; every id below it was handed out
 * at most once. I2. next never decreases; once it is ::KIDENT_EXHAUSTED nothing more is handed
 * out. Locking: none needed (atomic fetch-and-add with a compare loop at the end of the range).
 */
struct kident_alloc {
	uint64_t next; /**< I1, I2. */
};

/** @brief The value of kident_alloc.next after the last id (UINT64_MAX) was handed out. */
#define KIDENT_EXHAUSTED UINT64_MAX

/** @brief A fresh allocator (the first id is 1). */
#define KIDENT_ALLOC_INIT { 1 }

/**
 * @brief Hand out a new identity (id unique for this allocator, generation 1).
 * @param a The allocator (safe to call concurrently).
 * @param out Receives the identity.
 * @return KERR_OK; KERR_NO_SLOTS when every id was handed out (@p out untouched).
 */
kerr_t kident_new(struct kident_alloc *a, struct kident *out);

/**
 * @brief Whether two identities name the same object at the same generation.
 * @param a First. @param b Second.
 * @return true when id and generation are both equal.
 */
bool kident_same(const struct kident *a, const struct kident *b);

#endif /* CAPOS_LIB_KIDENT_H */
