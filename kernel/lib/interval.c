/*
 * interval.c - the interval core: the only arithmetic that decides whether two reservations
 * overlap, whether a range fits between its neighbours, where a first fit lands, and what a
 * split leaves. resmap.c and vmspace.c call these functions; tests/proofs/ proves the ACSL
 * contracts below with Frama-C WP (z3) on this very file.
 */
#include <lib/interval.h>

/*@ predicate ival_wf{L}(struct ival *a, integer n) =
      \forall integer i; 0 <= i < n ==> a[i].base < a[i].end;

    predicate ival_sorted_disjoint{L}(struct ival *a, integer n) =
      \forall integer i, j; 0 <= i < j < n ==> a[i].end <= a[j].base;

    // Ends and bases both grow along a sorted, disjoint sequence of non-empty ranges.
    lemma ival_sorted_ends_grow{L}:
      \forall struct ival *a, integer n, i, j;
        ival_wf(a, n) && ival_sorted_disjoint(a, n) && 0 <= i <= j < n ==>
        a[i].end <= a[j].end;
    lemma ival_sorted_bases_grow{L}:
      \forall struct ival *a, integer n, i, j;
        ival_wf(a, n) && ival_sorted_disjoint(a, n) && 0 <= i <= j < n ==>
        a[i].base <= a[j].base;

    // Inserting [b, e) into a sorted, disjoint sequence right after element p (p = -1: at
    // the front), where it fits between neighbours p and p + 1, keeps the sequence sorted
    // and disjoint: every element up to p ends at or before b and every element after p
    // starts at or after e. So checking the two neighbours (ival_fits_gap) is enough for the
    // whole map to stay disjoint (below: the elements up to p; above: those from s = p + 1).
    lemma ival_neighbour_fit_below{L}:
      \forall struct ival *a, integer n, p, b, i;
        ival_wf(a, n) && ival_sorted_disjoint(a, n) && 0 <= i <= p < n && a[p].end <= b ==>
        a[i].end <= b;
    lemma ival_neighbour_fit_above{L}:
      \forall struct ival *a, integer n, s, e, j;
        ival_wf(a, n) && ival_sorted_disjoint(a, n) && 0 <= s <= j < n && e <= a[s].base ==>
        e <= a[j].base;
*/

/*@ requires a_base <= a_end && b_base <= b_end;
    assigns \nothing;
    ensures \result != 0 <==> (a_base < b_end && b_base < a_end);
*/
bool ival_overlaps(uint64_t a_base, uint64_t a_end, uint64_t b_base, uint64_t b_end)
{
	return a_base < b_end && b_base < a_end;
}

/*@ requires gap_lo <= gap_hi;
    assigns \nothing;
    ensures \result != 0 <==> (base < end && gap_lo <= base && end <= gap_hi);
    ensures \result != 0 ==> !(gap_lo < end && base < gap_lo) && !(base < gap_hi && gap_hi < end);
*/
bool ival_fits_gap(uint64_t gap_lo, uint64_t gap_hi, uint64_t base, uint64_t end)
{
	return base < end && gap_lo <= base && end <= gap_hi;
}

/*@ requires gap_lo <= gap_hi && size > 0;
    requires \valid(out);
    assigns *out;
    behavior fits:
      assumes \max(gap_lo, hint) + size <= gap_hi;
      ensures \result != 0;
      ensures *out == \max(gap_lo, hint);
      ensures *out + size <= gap_hi;
    behavior none:
      assumes \max(gap_lo, hint) + size > gap_hi;
      assigns \nothing;
      ensures \result == 0;
      ensures \forall integer a; a >= gap_lo && a >= hint ==> a + size > gap_hi;
    complete behaviors;
    disjoint behaviors;
*/
bool ival_gap_first_fit(uint64_t gap_lo, uint64_t gap_hi, uint64_t hint, uint64_t size,
			uint64_t *out)
{
	uint64_t start = hint > gap_lo ? hint : gap_lo;

	/* Written as a subtraction so that start + size cannot wrap around. */
	if (start > gap_hi || gap_hi - start < size)
		return false;
	*out = start;
	return true;
}

/*@ requires base < end && cut_base < cut_end;
    requires cut_base < end && base < cut_end;
    requires \valid(below) && \valid(above) && \separated(below, above);
    assigns *below, *above;
    ensures below->base == base;
    ensures below->end == \max(base, cut_base);
    ensures above->base == \min(end, cut_end);
    ensures above->end == end;
    ensures below->base <= below->end <= above->base <= above->end;
    ensures below->end <= cut_base || below->end == below->base;
    ensures above->base >= cut_end || above->base == above->end;
    ensures (below->end - below->base) + (above->end - above->base)
            + (\min(end, cut_end) - \max(base, cut_base)) == end - base;
*/
void ival_cut(uint64_t base, uint64_t end, uint64_t cut_base, uint64_t cut_end,
	      struct ival *below, struct ival *above)
{
	below->base = base;
	below->end = cut_base > base ? cut_base : base;
	above->base = cut_end < end ? cut_end : end;
	above->end = end;
}
