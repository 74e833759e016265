/**
 * @file
 * @brief TLB shootdown of a user address space: one round per batch of removed or weakened
 *        PTEs, IPIs only to the other CPUs on which it is resident, and frames freed only
 *        after every CPU that was resident at unhook time acknowledged the round.
 *
 * Use ("unhook, flush, then free"):
 *
 *     struct tlb_gather tg;
 *     tlb_gather_init(&tg, as);
 *     spin_lock(&as->lock);
 *     for each page: arch_mmu_unmap(as->root, va, &pa, &pt_free);
 *                    frame_transition(frame_of(pa), FRAME_MAPPED, FRAME_UNHOOKED);
 *                    tlb_gather_page(&tg, va); tlb_defer_frame_free(&tg, pa);
 *     tlb_defer_table_free(&tg, &pt_free);
 *     tlb_shootdown(&tg);            // one round, whatever the page count
 *     spin_unlock(&as->lock);
 *     tlb_shootdown_wait(&tg);       // frames scrubbed and freed here
 *
 * For arch_mmu_protect() that weakens a PTE: tlb_gather_page() only, no frames.
 * The bookkeeping (generations, acknowledgements, pending frames, counters) is kernel/lib's
 * tlbgen (lib/tlbgen.h), kept in struct aspace's `tlb` field under this file's lock.
 */
#ifndef CAPOS_MM_SHOOTDOWN_H
#define CAPOS_MM_SHOOTDOWN_H

#include <lib/tlbgen.h>
#include <lib/types.h>
#include <mm/frame.h>

struct aspace;

/**
 * @brief One shootdown round being built, issued and completed (caller storage, e.g. on the
 *        stack of an unmap).
 *
 * Invariants:
 *   I1. g is a tlbgen gather of as->tlb; va[0..min(npages, TLBGEN_FLUSH_ALL_PAGES)) are the
 *       pages recorded (beyond that, targets flush their whole TLB).
 *   I2. Every frame on frames is FRAME_UNHOOKED and owned by this gather until
 *       tlb_shootdown_wait() frees it; tables holds emptied page-table pages (ALLOCATED).
 *   I3. Nothing on frames or tables is freed before the round is complete (tlbgen I1).
 * Locking: the gather belongs to one thread; as->tlb is changed under the shootdown lock.
 * States: g.state, OPEN -> ISSUED -> DONE (an empty gather stays OPEN and needs no round).
 */
struct tlb_gather {
	struct aspace *as;                    /**< The address space. */
	struct tlbgen_gather g;               /**< Bookkeeping of the round. */
	vaddr_t va[TLBGEN_FLUSH_ALL_PAGES];   /**< Pages to invalidate one by one (I1). */
	struct frame_list frames;             /**< Data frames to free after completion (I2). */
	struct frame_list tables;             /**< Page-table pages to free after completion. */
};

/**
 * @brief Start an empty gather on @p as. TLB: none (bookkeeping only).
 * @param tg The gather. @param as The address space whose PTEs will change.
 */
void tlb_gather_init(struct tlb_gather *tg, struct aspace *as);

/**
 * @brief Record that the PTE of @p va was cleared or weakened (after the store).
 *        TLB: shootdown (by the tlb_shootdown() of this gather).
 * @param tg An open gather. @param va The page.
 */
void tlb_gather_page(struct tlb_gather *tg, vaddr_t va);

/**
 * @brief Queue a frame whose last PTE this gather removed; it is scrubbed (poisoned) and
 *        freed by tlb_shootdown_wait() once every CPU resident at unhook time acknowledged.
 *        TLB: shootdown (frees only after completion).
 * @param tg An open gather with the frame's page recorded. @param pa A FRAME_UNHOOKED frame.
 */
void tlb_defer_frame_free(struct tlb_gather *tg, paddr_t pa);

/**
 * @brief Queue page-table pages emptied by arch_mmu_unmap() (its @p pt_free list), freed
 *        with the data frames after completion (paging-structure caches). TLB: shootdown.
 * @param tg An open gather. @param tables The list; left empty.
 */
void tlb_defer_table_free(struct tlb_gather *tg, struct frame_list *tables);

/**
 * @brief Issue the gather's one round: bump the address space's generation, snapshot its
 *        resident mask, flush this CPU if it is resident, send one ipi_call() to the other
 *        resident CPUs (none when there are none), and record every acknowledgement.
 *        TLB: shootdown — local invlpg/full flush here, remote ones in the IPI handler
 *        (per page up to TLBGEN_FLUSH_ALL_PAGES pages, else a full flush).
 *        Call with interrupts enabled, after the PTE stores, holding no lock that is taken
 *        with interrupts disabled (as->lock is fine: the handler takes no lock).
 * @param tg An open gather (an empty one issues nothing).
 */
void tlb_shootdown(struct tlb_gather *tg);

/**
 * @brief Complete the round: assert that every CPU of the snapshot acknowledged (ipi_call()
 *        returns only after every target ran the handler), then move each deferred frame
 *        FRAME_UNHOOKED -> FRAME_FLUSHED -> FRAME_FREE (frame_free() poisons it) and free
 *        the page-table pages. TLB: none (the round already flushed).
 * @param tg A gather after tlb_shootdown().
 */
void tlb_shootdown_wait(struct tlb_gather *tg);

/**
 * @brief Snapshot of one address space's counters (tests). TLB: none.
 * @param as The address space. @param out Receives the counters.
 */
void tlb_shootdown_counters(struct aspace *as, struct tlbgen_counters *out);

/**
 * @brief Snapshot of the counters summed over every address space since boot. TLB: none.
 * @param out Receives the counters.
 */
void tlb_shootdown_counters_global(struct tlbgen_counters *out);

/**
 * @brief Open the witness round (kern/witness.h) of a flush of every CPU's TLB and record that
 *        it covers the frames on @p fl (left on it). Then run
 *        `ipi_call(cpumask_all(), tlb_flush_all_ipi, &round)`. TLB: none (bookkeeping only).
 * @param fl Unhooked frames or emptied page-table pages the round covers.
 * @return The round's witness number (for tlb_flush_all_ipi(), witness_frame_stamp()).
 */
uint32_t tlb_kernel_round_open(const struct frame_list *fl);

/**
 * @brief ipi_call() handler: flush this CPU's whole TLB and acknowledge the witness round
 *        `*(const uint32_t *)arg` (from tlb_kernel_round_open()). TLB: local, on each target.
 * @param arg Pointer to the round number.
 */
void tlb_flush_all_ipi(void *arg);

/**
 * @brief Free frames unhooked from the kernel half (kernel stacks, large kernel allocations)
 *        after flushing every CPU's TLB.
 *
 * The kernel half is loaded on every CPU, so any CPU may hold a translation of a page the caller
 * unhooked; one synchronous ipi_call() flushes them all before any frame is freed. Each frame on
 * @p fl is either an unhooked page (FRAME_UNHOOKED, moved to FRAME_FLUSHED first) or an emptied
 * page-table page (FRAME_ALLOCATED). TLB: shootdown (every CPU, then free).
 * @param fl Frames to free; empty on return.
 */
void tlb_kernel_release_frames(struct frame_list *fl);

#endif /* CAPOS_MM_SHOOTDOWN_H */
