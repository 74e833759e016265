/* Each function hands a page to a swap or DMA primitive without an eligibility query first,
 * or after a refusal: tools/cocci/elig/unchecked_handoff.cocci must report each one. */
#include "fixture.h"

/* @proves cocci_elig_unchecked_handoff_bad: MAM-F3 */

/* Generic frame ownership only: the page may be pinned, secret or shared. */
kerr_t evict_unchecked(paddr_t pa, uint64_t slot)
{
	return swap_out_page(pa, slot);
}

/* The query is skipped on the fast path. */
kerr_t evict_fast_path(paddr_t pa, uint64_t slot, bool fast)
{
	if (!fast) {
		if (frame_eligibility(pa, ELIG_FOR_SWAP) != ELIG_OK)
			return KERR_PINNED;
	}
	return swap_out_page(pa, slot);
}

/* Asked, refused, handed over anyway. */
kerr_t map_for_device_refused(paddr_t pa, uint64_t *iova)
{
	enum elig_reason r = ELIG_OK;

	r = frame_eligibility(pa, ELIG_FOR_DMA);
	if (r != ELIG_OK) {
		*iova = 0;
		dma_map_page(pa, iova);
		return KERR_PINNED;
	}
	return KERR_OK;
}

/* The refusal branch of a direct comparison. */
kerr_t map_for_device_inverted(paddr_t pa, uint64_t *iova)
{
	if (frame_eligibility(pa, ELIG_FOR_DMA) != ELIG_OK)
		return dma_map_page(pa, iova);
	return KERR_INVALID_ARG;
}
