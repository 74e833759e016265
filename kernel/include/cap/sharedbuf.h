/**
 * @file
 * @brief SharedBuffer: a producer/consumer ring on a MemoryObject owned by a service.
 *
 * The object's page 0 is the ::capos_sbuf_header the kernel keeps up to date (mapped
 * read-only into both roles); the data area follows. The kernel's own indices (lib/ring.h)
 * decide every produce and consume, so no user-written value is ever used as an index.
 * Notification goes through ParkSpace: a produce wakes the waiters of the header's
 * `produced` word, a consume those of `consumed`, with the object's shared park keys.
 *
 * Invariants:
 *   I1. Each role's caps counts the capabilities naming ends[role] (lib/ring.h ring_role).
 *   I2. obj holds one capability reference (memobj_cap_get()) while either role is open;
 *       the struct is freed, and that reference dropped, when both roles are closed.
 *   I3. The header page mirrors ring and roles after every change, under lock.
 * Locking: lock protects ring, roles and the header page. States: the two ring_role
 * machines (RING_ROLE_NONE -> RING_ROLE_OPEN -> RING_ROLE_CLOSED).
 */
#ifndef CAPOS_CAP_SHAREDBUF_H
#define CAPOS_CAP_SHAREDBUF_H

#include <kern/spinlock.h>
#include <lib/ring.h>

struct memobj;
struct sbuf;

/** @brief Roles of a SharedBuffer. */
enum sbuf_role {
	SBUF_PRODUCER = 0, /**< Writes data and advances head. */
	SBUF_CONSUMER = 1, /**< Reads data and advances tail. */
};

/** @brief What a SharedBuffer capability names: one role of one buffer. */
struct sbuf_end {
	struct sbuf *sb; /**< The buffer. */
	uint8_t role;    /**< enum sbuf_role. */
};

/** @brief A SharedBuffer (see the file comment for the invariants). */
struct sbuf {
	struct spinlock lock;        /**< Protects ring, roles, the header page. */
	struct ring ring;            /**< The kernel's indices. */
	struct ring_role roles[2];   /**< Producer, consumer (I1). */
	struct sbuf_end ends[2];     /**< What the capabilities name. */
	struct memobj *obj;          /**< I2. */
	uint64_t data_pages;         /**< Pages after the header. */
};

/** @brief A SharedBuffer capability was copied or transferred. @param e Its end. */
void sbuf_cap_get(struct sbuf_end *e);

/**
 * @brief A SharedBuffer capability was dropped; the last of a role closes it, the last of
 *        both frees the buffer (I2).
 * @param e Its end.
 */
void sbuf_cap_put(struct sbuf_end *e);

#endif /* CAPOS_CAP_SHAREDBUF_H */
