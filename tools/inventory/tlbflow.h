/**
 * @file
 * @brief The TLB action of every page-table removal or weakening, computed from the paths of the
 *        function's control-flow graph (the model's `preds` and `joins`) with function summaries
 *        for its callees; the rules that compare it with the code (INV016) and with the `TLB:`
 *        comment (INV027). Typed: works on struct model only.
 */
#ifndef INV_TLBFLOW_H
#define INV_TLBFLOW_H

#include "model.h"

/**
 * @brief Fill every function's tlb_sites: its own clears and weakenings, and those a callee
 *        hands it (`TLB: caller`), each with the action that covers it on every path.
 *        A callee's summary says whether it flushes (shootdown, or any flush) or defers on every
 *        path from its entry to a return, and whether it delegates a site to its callers; a
 *        recursive cycle contributes nothing while it is computed.
 * @param cfg Config (roles). @param m Model with functions linked (replaces any tlb_sites).
 */
void tlbflow_compute(const struct config *cfg, struct model *m);

/** @brief What a `TLB:` comment says the function does (its text after the prefix). */
enum tlb_claim { CLAIM_SHOOTDOWN, CLAIM_LOCAL, CLAIM_DEFER, CLAIM_CALLER, CLAIM_NONE, CLAIM_OTHER };

/**
 * @brief Classify a `TLB:` comment: one naming the caller is CLAIM_CALLER; otherwise by its
 *        first word (shootdown; local or flush; defer...; none).
 * @param t Comment text after the prefix. @return Claim.
 */
enum tlb_claim tlbflow_claim(const char *t);

/** @brief A finding of the TLB rules. */
struct tlb_finding {
	const char *rule;        /**< "INV016" or "INV027". */
	const struct function *f;
	long long line;
	char *message;           /**< Owned. */
};

/**
 * @brief INV016 (a removal some path leaves unflushed, with no comment giving the flush to
 *        another, or a comment claiming a flush the paths do not make) and INV027 (a `TLB:`
 *        comment that disagrees with the computed action).
 * @param m Model with tlb_sites. @param out Out: new array (free each message and the array).
 * @return Number of findings.
 */
size_t tlbflow_findings(const struct model *m, struct tlb_finding **out);

/**
 * @brief The computed action of a function's sites, for the state tables' "TLB action" column:
 *        "shootdown (tlb_shootdown_wait)", "caller", "none (line 12 returns unflushed)", several
 *        joined by "; "; "" when the function removes nothing.
 * @param f Function. @return New string.
 */
char *tlbflow_action_text(const struct function *f);

#endif
