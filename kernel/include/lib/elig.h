/**
 * @file
 * @brief Page eligibility decisions (pure logic): from a snapshot of one frame's residency and
 *        eligibility bits (capos/elig.h), whether it may be swapped out or handed to a device,
 *        and the typed reason when it may not.
 *
 * The kernel takes the snapshot (mm/frame.h: frame_eligibility()); this file only decides, so
 * the rules are tested on the host exhaustively against a reference model. The rules:
 *
 *  - Swap (phase 1): only an owned page with no bit at all is eligible. Kernel, page-table,
 *    capability-table and secret pages never are; DMA and pinned pages are resident by
 *    definition; MemoryObject, shared-IPC and ring pages are phase-1 exclusions (a later
 *    proposal may change the model and add proofs).
 *  - DMA: only a pinned MemoryObject page that no device owns yet, not secret, not shared with
 *    another address space and not a ring page. Kernel, page-table and capability-table pages
 *    never reach a device.
 *
 * Reasons are reported in the order of enum elig_reason (the first applicable one).
 */
#ifndef CAPOS_LIB_ELIG_H
#define CAPOS_LIB_ELIG_H

#include <capos/elig.h>
#include <lib/types.h>

/** @brief Where a frame is in its life, as far as eligibility cares. */
enum elig_residency {
	ELIG_RES_UNMANAGED = 0, /**< Not allocatable RAM. */
	ELIG_RES_FREE,          /**< FRAME_FREE. */
	ELIG_RES_OWNED,         /**< FRAME_ALLOCATED or FRAME_MAPPED. */
	ELIG_RES_TRANSIT,       /**< FRAME_UNHOOKED or FRAME_FLUSHED. */
	ELIG_RES_COUNT          /**< Number of values; not a residency. */
};

/**
 * @brief A snapshot of one frame for a decision.
 * Invariants (elig_page_check()):
 *   I1. bits has no bit outside ELIG_BITS_ALL.
 *   I2. A page that is not owned (unmanaged, free) has no bit.
 *   I3. ELIG_KERNEL, ELIG_PAGETABLE and ELIG_CAPTABLE exclude each other and every user bit
 *       (ELIG_OBJECT, ELIG_RING, ELIG_SHARED_IPC, ELIG_PINNED, ELIG_DMA).
 *   I4. ELIG_RING and ELIG_SHARED_IPC imply ELIG_OBJECT (both are about a MemoryObject's pages).
 *   I5. ELIG_DMA implies ELIG_PINNED (a device's page stays resident).
 * Locking: none (a value). States: none.
 */
struct elig_page {
	uint8_t residency; /**< enum elig_residency. */
	uint16_t bits;     /**< Mask of enum elig_bit. */
};

/**
 * @brief Decide whether a page may be used for a purpose.
 * @param p The snapshot. @param purpose enum elig_purpose.
 * @return ELIG_OK, or the first refusal reason in enum order. An out-of-range @p purpose or
 *         residency is refused as ELIG_R_UNMANAGED (never eligible).
 */
enum elig_reason elig_query(const struct elig_page *p, enum elig_purpose purpose);

/**
 * @brief Every reason a page is refused for a purpose.
 * @param p The snapshot. @param purpose enum elig_purpose.
 * @return A mask with bit (1u << reason) set for each applicable enum elig_reason; 0 when
 *         the page is eligible. The lowest set bit is what elig_query() returns.
 */
uint32_t elig_refusals(const struct elig_page *p, enum elig_purpose purpose);

/**
 * @brief Check the invariants of a snapshot (struct elig_page I1..I5).
 * @param p The snapshot.
 * @return 0 when they hold, else the number (1..5) of the first one broken.
 */
int elig_page_check(const struct elig_page *p);

/**
 * @brief Stable name of a reason ("ELIG_R_PINNED").
 * @param r Any value; out of range gives "ELIG_<invalid>".
 * @return A static string, never NULL.
 */
const char *elig_reason_name(enum elig_reason r);

/**
 * @brief Stable name of a purpose ("swap", "dma").
 * @param purpose Any value; out of range gives "<invalid>".
 * @return A static string, never NULL.
 */
const char *elig_purpose_name(enum elig_purpose purpose);

#endif /* CAPOS_LIB_ELIG_H */
