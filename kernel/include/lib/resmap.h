/**
 * @file
 * @brief Reservation map: an ordered, balanced (AVL) map of the disjoint ranges of one
 * address space, with O(log n) lookup, insert, remove and first-fit search.
 *
 * Nodes are intrusive (embedded in the caller's record, e.g. struct vmres) so the map itself
 * never allocates. Each node is augmented with its subtree's lowest base, highest end and
 * largest gap between consecutive ranges, which makes first fit at or after a hint O(log n).
 * Ranges are half-open [base, end), page-aligned, inside the map's bounds [lo, hi).
 */
#ifndef CAPOS_LIB_RESMAP_H
#define CAPOS_LIB_RESMAP_H

#include <capos/errors.h>
#include <lib/types.h>

/**
 * @brief One range in a reservation map (embed it in the owning record).
 *
 * Invariants (checked by resmap_check()):
 *   I1. lo <= base < end <= hi of the map; base and end are page-aligned.
 *   I2. Every node in left has end <= base; every node in right has base >= end
 *       (the in-order sequence is sorted and disjoint).
 *   I3. height = 1 + max(height(left), height(right)); |height(left) - height(right)| <= 1.
 *   I4. sub_lo / sub_hi are the lowest base / highest end in the subtree; sub_gap is the
 *       largest gap between consecutive ranges of the subtree (0 with one range).
 * Locking: owned by the map's address space lock. States: linked (in a map) or unlinked.
 */
struct resmap_node {
	uint64_t base;              /**< First address of the range. */
	uint64_t end;               /**< First address after the range. */
	struct resmap_node *left;   /**< Ranges below. */
	struct resmap_node *right;  /**< Ranges above. */
	uint64_t sub_lo;            /**< Lowest base in this subtree (I4). */
	uint64_t sub_hi;            /**< Highest end in this subtree (I4). */
	uint64_t sub_gap;           /**< Largest inner gap in this subtree (I4). */
	int height;                 /**< AVL height, 1 for a leaf (I3). */
};

/**
 * @brief A reservation map over the user range [lo, hi).
 *
 * Invariants: I1. lo < hi, both page-aligned. I2. root is a valid AVL tree of count nodes
 * (struct resmap_node I1-I4). Locking: the owning address space's lock.
 */
struct resmap {
	struct resmap_node *root; /**< Tree root, NULL when empty. */
	uint64_t lo;              /**< Lowest address a range may use. */
	uint64_t hi;              /**< First address above the usable range. */
	size_t count;             /**< Number of ranges. */
};

/**
 * @brief Initialise an empty map over [lo, hi).
 * @param m The map.
 * @param lo Low bound, page-aligned.
 * @param hi High bound, page-aligned, > lo.
 * @return KERR_OK, or KERR_INVALID_ARG for misaligned or empty bounds (m untouched).
 */
kerr_t resmap_init(struct resmap *m, uint64_t lo, uint64_t hi);

/**
 * @brief The range containing @p addr.
 * @param m The map.
 * @param addr Any address.
 * @return The node with base <= addr < end, or NULL.
 */
struct resmap_node *resmap_find(const struct resmap *m, uint64_t addr);

/**
 * @brief The lowest range ending after @p addr (the range containing it, or the next one).
 * @param m The map.
 * @param addr Any address.
 * @return The node, or NULL when every range ends at or before addr.
 */
struct resmap_node *resmap_first_after(const struct resmap *m, uint64_t addr);

/**
 * @brief The in-order successor of @p n (O(log n)).
 * @param m The map that holds n.
 * @param n A linked node.
 * @return The next range, or NULL when n is the last.
 */
struct resmap_node *resmap_next(const struct resmap *m, const struct resmap_node *n);

/**
 * @brief Would [base, base + size) fit without overlapping any range, inside the bounds?
 * @param m The map.
 * @param base Start of the range (page-aligned: the caller validates alignment).
 * @param size Length (> 0, page-aligned).
 * @return KERR_OK if it fits; KERR_INVALID_ARG if outside [lo, hi) or wrapping;
 *         KERR_CONFLICT if any address of it is already in a range.
 */
kerr_t resmap_check_fixed(const struct resmap *m, uint64_t base, uint64_t size);

/**
 * @brief Lowest page-aligned address a >= @p hint with [a, a + size) free and inside the
 * bounds.
 * @param m The map.
 * @param hint Lowest acceptable start (values below lo mean lo; a hint inside a page means the
 *        next page).
 * @param size Length (> 0, page-aligned).
 * @param out Receives the address on success.
 * @return KERR_OK, or KERR_CONFLICT when no free range of that size lies at or after hint.
 */
kerr_t resmap_find_fit(const struct resmap *m, uint64_t hint, uint64_t size, uint64_t *out);

/**
 * @brief Link @p n (base and end set) into the map. The caller checked that it fits
 * (resmap_check_fixed() or resmap_find_fit()); overlap here is a kernel bug (KASSERT).
 * @param m The map.
 * @param n An unlinked node with page-aligned base < end inside the bounds (KASSERT).
 */
void resmap_insert(struct resmap *m, struct resmap_node *n);

/**
 * @brief Unlink @p n from the map.
 * @param m The map.
 * @param n A linked node.
 */
void resmap_remove(struct resmap *m, struct resmap_node *n);

/**
 * @brief Shrink a linked node to [base, end), a non-empty sub-range of its current range
 * (a head or tail trim), keeping the augmentation up to date.
 * @param m The map.
 * @param n A linked node.
 * @param base New start, >= n->base.
 * @param end New end, <= n->end, > base.
 */
void resmap_shrink(struct resmap *m, struct resmap_node *n, uint64_t base, uint64_t end);

/**
 * @brief Validate every invariant of the map and its nodes (O(n)).
 * @param m The map.
 * @return true when all invariants hold.
 */
bool resmap_check(const struct resmap *m);

#endif /* CAPOS_LIB_RESMAP_H */
