/**
 * @file
 * @brief TLB shootdown bookkeeping: per-address-space generations, per-CPU acknowledgements,
 *        one gather (batch) per shootdown round, and frames pending until their round is
 *        acknowledged by every CPU that was resident when their PTEs were removed.
 *
 * The protocol ("unhook, flush, then free", like Linux's mmu_gather):
 *
 *  1. The caller clears or weakens PTEs and records them in a ::tlbgen_gather
 *     (tlbgen_gather_add_pages()), together with the frames to free (tlbgen_gather_add_frames()).
 *  2. tlbgen_gather_issue() takes a snapshot of the address space's resident mask (read AFTER
 *     the PTE stores), bumps the generation, and says who flushes: the caller locally when it is
 *     itself resident, and one IPI to each other resident CPU (the targets). One round per
 *     gather, whatever the page count; above ::TLBGEN_FLUSH_ALL_PAGES the flush is a full one.
 *  3. Each CPU that flushed calls tlbgen_ack() with the round's generation. A CPU that loaded
 *     another root since may instead be recorded with tlbgen_cpu_left().
 *  4. tlbgen_gather_finish() releases the gather's frames only when every CPU of the snapshot
 *     acknowledged a generation >= the round's (out-of-order acknowledgements are fine: the
 *     acknowledged value only grows).
 *
 * Pure logic: no locks, no atomics, no allocation. Every structure lives in caller storage; the
 * kernel wrapper (mm/shootdown.c) serialises calls and turns IPIs into tlbgen_ack() calls.
 */
#ifndef CAPOS_LIB_TLBGEN_H
#define CAPOS_LIB_TLBGEN_H

#include <capos/errors.h>
#include <lib/types.h>

/** @brief CPUs the bookkeeping can track (bits of ::tlbgen_mask_t). */
#define TLBGEN_MAX_CPUS 64
/** @brief Rounds covering more pages than this flush the whole TLB instead of page by page. */
#define TLBGEN_FLUSH_ALL_PAGES 32

/** @brief A set of CPUs by dense id (bit i = CPU i); the same encoding as the kernel's masks. */
typedef uint64_t tlbgen_mask_t;

/**
 * @brief Counters readable by tests.
 *
 * Invariants (checked by tlbgen_check() on the owning ::tlbgen_as):
 *   C1. frames_deferred == frames_released + frames pending on the address space.
 *   C2. local_flushes <= rounds and full_flushes <= rounds.
 *   C3. frames_freed_early == 0 (a frame freed before its round completed is a bug).
 * Locking: as the owning ::tlbgen_as.
 * States: none (monotonic counts).
 */
struct tlbgen_counters {
	uint64_t rounds;             /**< Shootdown rounds issued (one per gather). */
	uint64_t local_flushes;      /**< Rounds in which the issuing CPU flushed its own TLB. */
	uint64_t ipis_sent;          /**< Remote CPUs interrupted, summed over rounds. */
	uint64_t pages;              /**< Pages covered by issued rounds. */
	uint64_t full_flushes;       /**< Rounds flushed whole (more than TLBGEN_FLUSH_ALL_PAGES). */
	uint64_t acks;               /**< Acknowledgements recorded (tlbgen_ack, tlbgen_cpu_left). */
	uint64_t frames_deferred;    /**< Frames queued behind a round. */
	uint64_t frames_released;    /**< Frames handed back after their round completed. */
	uint64_t frames_freed_early; /**< Frames freed before completion (tlbgen_count_free). */
};

/**
 * @brief Frames waiting for one round: the generation and resident snapshot they depend on.
 *
 * Invariants:
 *   I1. While queued: 1 <= gen <= the address space's gen, nframes > 0.
 *   I2. It leaves the queue only when complete: every CPU in mask acknowledged >= gen.
 * Locking: the owning ::tlbgen_as's.
 * States: idle (queued == false) -> queued -> idle.
 */
struct tlbgen_pending {
	struct tlbgen_pending *next; /**< Next pending batch of the same address space. */
	uint64_t gen;                /**< Generation of the round that unhooked the frames. */
	tlbgen_mask_t mask;          /**< CPUs resident at unhook time (issue's snapshot). */
	uint32_t nframes;            /**< Frames in the batch (kept by the caller). */
	bool queued;                 /**< On its address space's pending list. */
};

/**
 * @brief The shootdown state of one address space.
 *
 * Invariants (tlbgen_check() returns the number of the first one violated):
 *   I1. No pending batch is released while some CPU in its mask has ack < its gen
 *       (counters.frames_freed_early stays 0).
 *   I2. ack[c] <= gen for every CPU c: nobody acknowledges a round not yet issued.
 *   I3. The pending list is acyclic, holds npending batches, each satisfying
 *       ::tlbgen_pending I1, and their nframes sum to frames_pending.
 *   I4. The counters satisfy ::tlbgen_counters C1 and C2.
 * Locking: none here; the kernel serialises every call on one address space with its lock.
 * States: none (gen and every ack[c] only grow).
 */
struct tlbgen_as {
	uint64_t gen;                        /**< Last generation issued (0: none yet). */
	uint64_t ack[TLBGEN_MAX_CPUS];       /**< Highest generation each CPU acknowledged. */
	struct tlbgen_pending *pending;      /**< Batches waiting for completion (I3). */
	uint32_t npending;                   /**< Length of pending. */
	uint64_t frames_pending;             /**< Frames in all pending batches. */
	struct tlbgen_counters c;            /**< Counters (I4). */
};

/** @brief States of a gather. */
enum tlbgen_gather_state {
	TLBGEN_GATHER_OPEN = 0, /**< Collecting pages and frames. */
	TLBGEN_GATHER_ISSUED,   /**< Round issued; frames (if any) pending. */
	TLBGEN_GATHER_DONE,     /**< Round complete; frames released to the caller. */
};

/** @brief What an issued round asks for (the output of tlbgen_gather_issue()). */
struct tlbgen_round {
	uint64_t gen;          /**< The round's generation: what targets acknowledge. */
	tlbgen_mask_t targets; /**< Remote CPUs to interrupt (resident & ~self). */
	bool local;            /**< The issuing CPU is resident and flushes its own TLB. */
	bool flush_all;        /**< Flush the whole TLB rather than page by page. */
};

/**
 * @brief One shootdown round being assembled: pages unhooked or weakened, frames to free after.
 *
 * Invariants (tlbgen_gather_check()):
 *   G1. OPEN: gen == 0, batch not queued.
 *   G2. ISSUED: 1 <= batch.gen <= as->gen; batch queued iff nframes > 0;
 *       targets == batch.mask & ~(bit of self).
 *   G3. DONE: batch not queued.
 * Locking: as the address space's.
 * States: enum tlbgen_gather_state, OPEN -> ISSUED -> DONE (tlbgen_gather_issue, _finish),
 *   changed only by tlbgen_gather_transition().
 */
struct tlbgen_gather {
	struct tlbgen_as *as;           /**< The address space. */
	enum tlbgen_gather_state state; /**< See the states above. */
	uint32_t npages;                /**< Pages whose PTEs were removed or weakened. */
	unsigned self;                  /**< Issuing CPU (valid once ISSUED). */
	tlbgen_mask_t targets;          /**< Remote CPUs of the round (valid once ISSUED). */
	struct tlbgen_pending batch;    /**< gen, snapshot mask and frames of the round. */
};

/**
 * @brief Whether an edge belongs to the gather machine (OPEN -> ISSUED -> DONE).
 * @param from Source state. @param to Target state.
 * @return true when @p from -> @p to is an edge.
 */
bool tlbgen_gather_edge_legal(enum tlbgen_gather_state from, enum tlbgen_gather_state to);

/**
 * @brief The one place a gather's state changes. DASSERTs that @p g is in @p from and that
 *        @p from -> @p to is an edge. Call with enum constants.
 * @param g The gather. @param from Its current state. @param to The new state.
 */
void tlbgen_gather_transition(struct tlbgen_gather *g, enum tlbgen_gather_state from,
			      enum tlbgen_gather_state to);

/** @brief Initialise an address space's state: generation 0, nothing pending, zero counters.
 *  @param as The state. */
void tlbgen_as_init(struct tlbgen_as *as);

/**
 * @brief Start an empty gather on @p as (state OPEN).
 * @param g The gather (caller storage; must outlive the round until tlbgen_gather_finish()).
 * @param as The address space.
 */
void tlbgen_gather_init(struct tlbgen_gather *g, struct tlbgen_as *as);

/**
 * @brief Record @p n pages whose PTEs were cleared or weakened (after the PTE stores).
 * @param g An OPEN gather. @param n Pages (> 0).
 * @return KERR_OK; KERR_INVALID_ARG (n == 0, count overflow, or not OPEN; nothing changed).
 */
kerr_t tlbgen_gather_add_pages(struct tlbgen_gather *g, uint32_t n);

/**
 * @brief Record @p n frames (unhooked by this gather's pages) to release once it completes.
 * @param g An OPEN gather. @param n Frames (> 0).
 * @return KERR_OK; KERR_INVALID_ARG (n == 0, count overflow, or not OPEN; nothing changed).
 */
kerr_t tlbgen_gather_add_frames(struct tlbgen_gather *g, uint32_t n);

/**
 * @brief Issue the round: bump the generation, snapshot @p resident, queue the frames, count.
 *        The caller must have read @p resident after its PTE stores were globally visible.
 * @param g An OPEN gather with at least one page. @param resident The address space's resident
 *        mask. @param self The issuing CPU. @param out Receives what to flush and whom to ask.
 * @return KERR_OK; KERR_INVALID_ARG (not OPEN, no pages, self >= TLBGEN_MAX_CPUS; nothing
 *         changed).
 */
kerr_t tlbgen_gather_issue(struct tlbgen_gather *g, tlbgen_mask_t resident, unsigned self,
			   struct tlbgen_round *out);

/**
 * @brief CPU @p cpu flushed for generation @p gen (or a later one). Acknowledgements may
 *        arrive in any order: the recorded value only grows.
 * @param as The address space. @param cpu The CPU. @param gen An issued generation (>= 1).
 * @return KERR_OK; KERR_INVALID_ARG (cpu out of range, gen 0 or never issued; nothing changed).
 */
kerr_t tlbgen_ack(struct tlbgen_as *as, unsigned cpu, uint64_t gen);

/**
 * @brief CPU @p cpu has loaded another root since the last issued round: that reload dropped
 *        every entry of this address space, so it acknowledges every generation issued so far.
 * @param as The address space. @param cpu The CPU (must have stopped using @p as already).
 * @return KERR_OK; KERR_INVALID_ARG (cpu out of range; nothing changed).
 */
kerr_t tlbgen_cpu_left(struct tlbgen_as *as, unsigned cpu);

/**
 * @brief Whether every CPU in @p mask acknowledged @p gen or a later generation.
 * @param as The address space. @param gen Generation. @param mask CPUs.
 * @return true when complete (an empty mask is always complete).
 */
bool tlbgen_complete(const struct tlbgen_as *as, uint64_t gen, tlbgen_mask_t mask);

/**
 * @brief Whether an ISSUED gather's round is complete.
 * @param g The gather. @return true when complete; false when not, or not ISSUED.
 */
bool tlbgen_gather_complete(const struct tlbgen_gather *g);

/**
 * @brief Finish an issued round: when complete, take its frames off the pending list (the
 *        caller may now scrub and free them) and move to DONE.
 * @param g An ISSUED gather.
 * @return KERR_OK (the caller may now free g->batch.nframes frames); KERR_WOULD_BLOCK (some CPU of the snapshot has not
 *         acknowledged; nothing changed); KERR_INVALID_ARG (not ISSUED; nothing changed).
 */
kerr_t tlbgen_gather_finish(struct tlbgen_gather *g);

/**
 * @brief Account @p n frames being freed now for the round (@p gen, @p mask): counted in
 *        frames_freed_early when that round is not complete. Called immediately before the
 *        frames go back to the allocator, as an independent check of the release path.
 * @param as The address space. @param gen Round. @param mask Its snapshot. @param n Frames.
 * @return true when the free is legal (complete); false when it is early (counted).
 */
bool tlbgen_count_free(struct tlbgen_as *as, uint64_t gen, tlbgen_mask_t mask, uint32_t n);

/**
 * @brief Validate I1..I4 of ::tlbgen_as.
 * @param as The address space.
 * @return 0 when they all hold; otherwise the number (1..4) of the first violated invariant.
 */
unsigned tlbgen_check(const struct tlbgen_as *as);

/**
 * @brief Validate G1..G3 of ::tlbgen_gather.
 * @param g The gather.
 * @return 0 when they all hold; otherwise the number (1..3) of the first violated invariant.
 */
unsigned tlbgen_gather_check(const struct tlbgen_gather *g);

#endif /* CAPOS_LIB_TLBGEN_H */
