/**
 * @file
 * @brief The objects capabilities name: one operations table per capability type (reference
 *        get/put and the type's invocation entry), and the two calls every holder uses.
 *
 * A reference is taken for every holder of a capability's object: each capability in a table
 * (copy, transfer, spawn), and each invocation in progress on it (invoke() takes one under the
 * caller's table lock before it acts and drops it when the call ends). So an object outlives
 * every call on it, including one blocked in it, whatever another thread drops meanwhile
 * (issue 12: Process.wait slept on a freed process; MemoryObject info/map hung on a released
 * object). Singletons (Console, ProcessSpawner, FrameAllocator, Diag) have no references.
 */
#ifndef CAPOS_CAP_CAPOBJ_H
#define CAPOS_CAP_CAPOBJ_H

#include <lib/captable.h>

struct invocation;

/** @brief Operations of one capability type. */
struct cap_obj_ops {
	const char *name;                     /**< Type name (diagnostics). */
	void (*get)(uintptr_t obj);           /**< Take a reference (NULL: singleton). */
	void (*put)(uintptr_t obj);           /**< Drop a reference (NULL: singleton). */
	kerr_t (*invoke)(struct invocation *inv); /**< The type's methods (common decode done). */
};

/**
 * @brief The operations of capability type @p type.
 * @param type A ::cap_type. @return Its table, or NULL for a type never handed out (and for
 *         CAP_TYPE_NULL or out-of-range values).
 */
const struct cap_obj_ops *cap_obj_ops_of(uint32_t type);

/**
 * @brief Take a reference on the object a capability names (after a copy, a transfer, or for
 *        the duration of an invocation). The caller must already hold one (a capability in a
 *        table it has locked, or a reference of its own).
 * @param c The capability.
 */
void cap_obj_get(const struct cap *c);

/**
 * @brief Drop the reference a capability or an invocation held; the last one releases the
 *        object. Needs interrupts enabled (a release may shoot down TLBs).
 * @param c The capability.
 */
void cap_obj_put(const struct cap *c);

#endif /* CAPOS_CAP_CAPOBJ_H */
