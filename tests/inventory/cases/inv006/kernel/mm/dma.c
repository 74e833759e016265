/* Fires INV006: a DMA primitive before MAM-F1 is done. */
#include "fx.h"

void dma_map_page(struct aspace *as, vaddr_t va);

void dma_map_page(struct aspace *as, vaddr_t va)
{
	(void)as;
	(void)va;
}
