/**
 * @file
 * @brief Order of page-table clears, TLB flushes and frame frees per function, across calls
 *        through function summaries; the free-before-flush rule (INV018) and the order part of
 *        `inventory diff` read it.
 */
#ifndef INV_ORDER_H
#define INV_ORDER_H

#include <jansson.h>
#include <stdbool.h>
#include "config.h"

/**
 * @brief Give every function of @p m an "order" array: its clears, flushes, frees and deferred
 *        frees in source order, each callee's own sequence folded in at the call (`via`).
 *        A sequence that reaches its length bound adds to the function's "bounds" (INV017).
 * @param cfg Config (roles). @param m Model (functions already linked).
 */
void order_compute(const struct config *cfg, json_t *m);

/**
 * @brief Frees of a function that unmaps (its order has a clear) which come before the clear,
 *        or after it with no flush between.
 * @param f Model function. @return New array of {line, message}.
 */
json_t *order_violations(json_t *f);

/**
 * @brief Whether the order of frees against clears and flushes differs between two versions of
 *        a function's "order" array (lines ignored).
 * @param a Old order (may be NULL). @param b New order (may be NULL).
 * @return New array: empty, or one {old, new} with the kind sequences ("clear flush free").
 */
json_t *order_changes(json_t *a, json_t *b);

/**
 * @brief Does a `TLB:` comment (text after the prefix) say the function flushes itself?
 *        "shootdown ...", "local ...", "flush ..." do, unless they name the caller ("TLB:
 *        shootdown (caller's round)"); "caller", "none", ... hand the flush elsewhere. Such a
 *        comment excuses no missing flush (INV016, INV018).
 * @param t Comment text after the prefix. @return true when it claims a flush here.
 */
bool order_comment_claims_self(const char *t);

#endif
