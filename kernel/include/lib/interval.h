/**
 * @file
 * @brief The interval core: overlap, gap fit and split arithmetic on half-open ranges.
 *
 * These few pure functions are all the arithmetic that keeps a reservation map disjoint. The
 * reservation map (resmap.c) calls them for every insert and split, and tests/proofs/ proves
 * their ACSL contracts (in interval.c) with Frama-C WP and z3, so the proven code is the code
 * the kernel runs. Ranges are half-open [base, end) of 64-bit addresses; end > base.
 */
#ifndef CAPOS_LIB_INTERVAL_H
#define CAPOS_LIB_INTERVAL_H

#include <lib/types.h>

/** @brief A half-open address range [base, end). */
struct ival {
	uint64_t base; /**< First address in the range. */
	uint64_t end;  /**< First address after the range. */
};

/**
 * @brief Do [a_base, a_end) and [b_base, b_end) share at least one address?
 * @param a_base Start of the first range.
 * @param a_end End of the first range (>= a_base).
 * @param b_base Start of the second range.
 * @param b_end End of the second range (>= b_base).
 * @return true when the ranges overlap; empty ranges overlap nothing.
 */
bool ival_overlaps(uint64_t a_base, uint64_t a_end, uint64_t b_base, uint64_t b_end);

/**
 * @brief Does the non-empty range [base, end) fit in the gap [gap_lo, gap_hi)?
 *
 * The gap is the space between a range's predecessor (its end, or the map's low bound) and its
 * successor (its base, or the map's high bound). In a sorted, disjoint sequence a range that
 * fits the gap between its two neighbours overlaps no element (lemma in interval.c).
 * @param gap_lo End of the predecessor (or the low bound).
 * @param gap_hi Base of the successor (or the high bound); gap_lo <= gap_hi.
 * @param base Start of the candidate range.
 * @param end End of the candidate range.
 * @return true when base < end and gap_lo <= base and end <= gap_hi.
 */
bool ival_fits_gap(uint64_t gap_lo, uint64_t gap_hi, uint64_t base, uint64_t end);

/**
 * @brief First fit of @p size bytes at or after @p hint inside the gap [gap_lo, gap_hi).
 * @param gap_lo Low end of the gap.
 * @param gap_hi High end of the gap; gap_lo <= gap_hi.
 * @param hint Lowest acceptable start address.
 * @param size Bytes needed (> 0).
 * @param out Receives the lowest start address a >= max(gap_lo, hint) with a + size <= gap_hi.
 * @return true when such an address exists (then *out is set), false otherwise (*out untouched).
 */
bool ival_gap_first_fit(uint64_t gap_lo, uint64_t gap_hi, uint64_t hint, uint64_t size,
			uint64_t *out);

/**
 * @brief Remove [cut_base, cut_end) from [base, end): the parts left below and above the cut.
 *
 * A middle cut leaves two non-empty parts, a head or tail cut one, a full cut none. An empty
 * part is returned as base == end.
 * @param base Start of the range being cut.
 * @param end End of the range being cut (> base).
 * @param cut_base Start of the cut; the cut overlaps [base, end).
 * @param cut_end End of the cut (> cut_base).
 * @param below Receives [base, max(base, cut_base)) clipped to the range.
 * @param above Receives [min(end, cut_end), end) clipped to the range.
 */
void ival_cut(uint64_t base, uint64_t end, uint64_t cut_base, uint64_t cut_end,
	      struct ival *below, struct ival *above);

#endif /* CAPOS_LIB_INTERVAL_H */
