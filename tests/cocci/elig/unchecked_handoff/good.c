/* Every hand-over of a page to a swap or DMA primitive comes after an eligibility query that
 * said yes: tools/cocci/elig/unchecked_handoff.cocci must report nothing. */
#include "fixture.h"

kerr_t evict_checked(paddr_t pa, uint64_t slot)
{
	enum elig_reason r = ELIG_OK;

	r = frame_eligibility(pa, ELIG_FOR_SWAP);
	if (r != ELIG_OK)
		return KERR_PINNED;
	return swap_out_page(pa, slot);
}

kerr_t map_for_device(paddr_t pa, uint64_t *iova)
{
	if (frame_eligibility(pa, ELIG_FOR_DMA) != ELIG_OK)
		return KERR_PINNED;
	return dma_map_page(pa, iova);
}

kerr_t map_for_device_positive(paddr_t pa, uint64_t *iova)
{
	kerr_t err = KERR_PINNED;

	if (frame_eligibility(pa, ELIG_FOR_DMA) == ELIG_OK)
		err = dma_map_page(pa, iova);
	return err;
}

/* A primitive's own definition may use the layer below it. */
kerr_t dma_map_page(paddr_t pa, uint64_t *iova)
{
	*iova = pa;
	return iommu_map(*iova, pa);
}
