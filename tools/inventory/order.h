/**
 * @file
 * @brief Order of page-table clears, TLB flushes and frame frees per function, across calls
 *        through function summaries; the free-before-flush rule (INV018) and the order part of
 *        `inventory diff` read it.
 */
#ifndef INV_ORDER_H
#define INV_ORDER_H

#include <stdbool.h>
#include "config.h"
#include "model.h"

/**
 * @brief Give every function of @p m its `order`: its clears, flushes, frees and deferred frees
 *        in source order, each callee's own sequence folded in at the call (`via`). A sequence
 *        that reaches its length bound adds to the function's `bounds` (INV017).
 * @param cfg Config (roles). @param m Model (functions linked; any order is replaced).
 */
void order_compute(const struct config *cfg, struct model *m);

/**
 * @brief Does a `TLB:` comment (text after the prefix) say the function flushes itself?
 *        "shootdown ...", "local ...", "flush ..." do, unless they name the caller ("TLB:
 *        shootdown (caller's round)"); "caller", "none", ... hand the flush elsewhere. Such a
 *        comment excuses no missing flush (INV016, INV018).
 * @param t Comment text after the prefix. @return true when it claims a flush here.
 */
bool order_comment_claims_self(const char *t);

/** @brief One free out of order in a function (INV018). */
struct order_violation {
	long long line;  /**< Line of the free. */
	char *message;   /**< What is wrong (owned). */
};

/**
 * @brief Frees of a function that unmaps (its order has a clear) which come before the clear,
 *        or after it with no flush between and no `TLB:` comment giving the flush to another.
 * @param f Function. @param out Out: new array of violations (free each message and the array).
 * @return Number of violations.
 */
size_t order_violations_fn(const struct function *f, struct order_violation **out);

/**
 * @brief Whether the order of frees against clears and flushes differs between two versions of
 *        a function (lines ignored; a change inside a callee is the callee's).
 * @param a Old function. @param b New function.
 * @param old_s Out: old kind sequence, when changed (malloc'd). @param new_s Out: the new one.
 * @return true when the order of frees against clears and flushes changed.
 */
bool order_changed_fn(const struct function *a, const struct function *b, char **old_s, char **new_s);

#endif
