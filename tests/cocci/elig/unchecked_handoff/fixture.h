/* Declarations the cocci test inputs use (shapes of capOS's eligibility query and of swap
 * and DMA primitives a later branch might add). */
#include <stdbool.h>
#include <stdint.h>
typedef uint64_t paddr_t;
typedef int kerr_t;
enum { KERR_OK, KERR_INVALID_ARG, KERR_PINNED };
enum elig_purpose { ELIG_FOR_SWAP, ELIG_FOR_DMA };
enum elig_reason { ELIG_OK, ELIG_R_PINNED };
enum elig_reason frame_eligibility(paddr_t pa, enum elig_purpose purpose);
kerr_t swap_out_page(paddr_t pa, uint64_t slot);
kerr_t dma_map_page(paddr_t pa, uint64_t *iova);
kerr_t iommu_map(uint64_t iova, paddr_t pa);
