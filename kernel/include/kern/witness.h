/**
 * @file
 * @brief Run-time witnesses of the memory model (debug kernel): deterministic checks that
 *        catch a defect at the step that breaks the rule, not when a reader happens to race it.
 *
 * Each witness checks one rule of the model (docs/architecture/witnesses.md):
 *
 *  - ::WITNESS_FRAME_EARLY_FREE: a frame whose last PTE was removed (FRAME_UNHOOKED) or a
 *    page-table page unlinked by arch_mmu_unmap() carries the shootdown round it waits for
 *    (witness_round_open(), stamped by mm/shootdown.c when the round is issued); moving it to
 *    FRAME_FLUSHED or freeing it asserts that every CPU of the round acknowledged. Without a
 *    round, only a not-resident certificate (tlb_assert_not_resident()) lets it go.
 *  - ::WITNESS_UNFLUSHED: a weakened or removed user PTE counts as a pending flush on its
 *    page-table root (and for the CPU that changed it) until a round covering it is issued;
 *    releasing the address-space lock with one pending on its root, or returning to user
 *    space with one this CPU made, is a violation.
 *  - ::WITNESS_LOCK_HELD: each CPU keeps the spinlocks it holds; returning to user space with
 *    one held is a violation naming the lock's class (its name).
 *  - ::WITNESS_LOCK_PAIR: a release of a lock this CPU does not hold (per CPU, per lock).
 *  - ::WITNESS_RESIDENCY: at every address-space switch, CR3 and the residency masks agree.
 *  - ::WITNESS_STATE_BYPASS: frame_transition() keeps a shadow of the frame's state in its
 *    flags; a state written by anything else (a field store, a store through a pointer to the
 *    packed byte, a memset) disagrees with the shadow at the next transition.
 *
 * A violation prints one line `WITNESS <kind>: <details>` and panics, unless a kernel test on
 * this CPU armed an expectation of that kind (witness_expect_begin()): then the report is
 * counted and the kernel goes on, so the test can show the defect is caught.
 *
 * With CAPOS_DEBUG undefined (the release preset) every hook is an empty inline function.
 */
#ifndef CAPOS_KERN_WITNESS_H
#define CAPOS_KERN_WITNESS_H

#include <lib/types.h>

struct spinlock;
struct frame;
struct aspace;

/** @brief The rule a witness report is about. */
enum witness_kind {
	WITNESS_FRAME_EARLY_FREE = 0, /**< Unhooked frame/table freed before its round completed. */
	WITNESS_UNFLUSHED,            /**< Weakened/removed PTE not flushed at unlock or return. */
	WITNESS_LOCK_HELD,            /**< Spinlock held on return to user space. */
	WITNESS_LOCK_PAIR,            /**< Release of a lock this CPU does not hold. */
	WITNESS_RESIDENCY,            /**< Residency mask and CR3 disagree at a switch. */
	WITNESS_STATE_BYPASS,         /**< A state byte written outside its transition function. */
	WITNESS_KIND_COUNT            /**< Number of kinds; not a kind. */
};

/**
 * @brief An armed expectation of witness reports of one kind on this CPU (kernel tests).
 *
 * Invariants:
 *   I1. While armed, the witness's per-CPU record of this CPU points here.
 *   I2. hits counts the reports of kind seen since it was armed.
 * Locking: only the owning CPU touches it.
 * States: armed -> ended (witness_expect_end()).
 */
struct witness_expect {
	enum witness_kind kind; /**< The kind expected (others still panic). */
	unsigned hits;          /**< Reports of that kind counted. */
};

/** @brief Name of a kind, as printed in reports. @param k Kind. @return Its name. */
const char *witness_kind_name(enum witness_kind k);

#ifdef CAPOS_DEBUG

/**
 * @brief Arm @p we on this CPU: reports of @p kind are counted instead of panicking.
 * @param we Expectation (caller storage). @param kind The kind expected.
 */
void witness_expect_begin(struct witness_expect *we, enum witness_kind kind);

/**
 * @brief Disarm @p we. @param we The armed expectation.
 * @return The number of reports counted while it was armed.
 */
unsigned witness_expect_end(struct witness_expect *we);

/**
 * @brief Open a shootdown round covering the CPUs of @p mask (called where the round is
 *        issued, after the resident snapshot). @param mask CPUs that must acknowledge.
 * @return The round's sequence number (never 0).
 */
uint32_t witness_round_open(uint64_t mask);

/** @brief CPU @p cpu flushed for round @p seq. @param seq Round. @param cpu The CPU. */
void witness_round_ack(uint32_t seq, unsigned cpu);

/** @brief Whether every CPU of round @p seq acknowledged. @param seq Round. @return true when. */
bool witness_round_complete(uint32_t seq);

/**
 * @brief A frame left its last PTE (FRAME_MAPPED -> FRAME_UNHOOKED) or a page-table page was
 *        unlinked: from now on it waits for a round (frame_transition(), arch_mmu_unmap()).
 * @param f The frame.
 */
void witness_frame_unhooked(struct frame *f);

/**
 * @brief The state byte of @p f is about to change from @p from (frame_transition()): check
 *        that nothing else wrote it since the last transition (::WITNESS_STATE_BYPASS).
 * @param f The frame. @param from The state the transition expects.
 */
void witness_frame_state(struct frame *f, unsigned from);

/** @brief Record @p to as the shadow of @p f's state. @param f Frame. @param to New state. */
void witness_frame_shadow(struct frame *f, unsigned to);

/** @brief Stamp a waiting frame with the round that flushes it. @param f Frame. @param seq Round. */
void witness_frame_stamp(struct frame *f, uint32_t seq);

/**
 * @brief The frame is about to be declared flushed or freed: it must carry a complete round
 *        or be covered by this CPU's not-resident certificate (::WITNESS_FRAME_EARLY_FREE).
 * @param f The frame. @param pa Its physical address (for the report).
 */
void witness_frame_release(struct frame *f, paddr_t pa);

/**
 * @brief The user PTE of @p va under @p root was weakened or removed: one more pending flush.
 * @param root Page-table root. @param va The user page.
 */
void witness_pte_weakened(paddr_t root, vaddr_t va);

/**
 * @brief A round covering @p npages pages of @p root was issued: that many fewer pending.
 * @param root Page-table root. @param npages Pages the round flushes.
 */
void witness_pte_flushed(paddr_t root, uint32_t npages);

/**
 * @brief @p root is loaded on no CPU (tlb_assert_not_resident()): nothing of it needs a
 *        flush. Clears its pending flushes and gives this CPU a certificate for freeing its
 *        unhooked frames and tables without a round, until this CPU frees that root (the end
 *        of the teardown), changes another root, switches address space or returns to user
 *        space. @param root The root.
 */
void witness_not_resident(paddr_t root);

/** @brief Pending flushes of @p root. @param root Page-table root. @return The count. */
uint32_t witness_pte_pending(paddr_t root);

/** @brief This CPU took @p l (spin_lock(), spin_trylock()). @param l The lock. */
void witness_lock_acquired(struct spinlock *l);

/** @brief This CPU is releasing @p l (spin_unlock()). @param l The lock. */
void witness_lock_releasing(struct spinlock *l);

/** @brief Spinlocks this CPU holds. @return The count. */
unsigned witness_locks_held(void);

/**
 * @brief Name of the @p i-th lock this CPU holds (0 = oldest). @param i Index.
 * @return Its class name, or NULL when out of range.
 */
const char *witness_lock_held_name(unsigned i);

/**
 * @brief Check the switch of this CPU from @p from to @p to (NULL = kernel root) at entry
 *        (@p after false: CR3 holds from's root and from's mask has this CPU) or exit (@p after
 *        true: CR3 holds to's root, to's mask has this CPU, from's does not).
 * @param from Previous address space. @param to Next one. @param after Entry or exit check.
 */
void witness_switch(const struct aspace *from, const struct aspace *to, bool after);

/**
 * @brief The checks on every return to user space (system call and interrupt return): no
 *        spinlock held, no PTE change of this CPU's pending a flush, and the not-resident
 *        certificate ends. One call site per return path.
 */
void witness_return_to_user(void);

#else /* !CAPOS_DEBUG: no witnesses in release kernels. */

static inline void witness_expect_begin(struct witness_expect *we, enum witness_kind kind)
{
	we->kind = kind;
	we->hits = 0;
}
static inline unsigned witness_expect_end(struct witness_expect *we) { return we->hits; }
static inline uint32_t witness_round_open(uint64_t mask) { (void)mask; return 1; }
static inline void witness_round_ack(uint32_t seq, unsigned cpu) { (void)seq; (void)cpu; }
static inline bool witness_round_complete(uint32_t seq) { (void)seq; return true; }
static inline void witness_frame_unhooked(struct frame *f) { (void)f; }
static inline void witness_frame_stamp(struct frame *f, uint32_t seq) { (void)f; (void)seq; }
static inline void witness_frame_state(struct frame *f, unsigned from) { (void)f; (void)from; }
static inline void witness_frame_shadow(struct frame *f, unsigned to) { (void)f; (void)to; }
static inline void witness_frame_release(struct frame *f, paddr_t pa) { (void)f; (void)pa; }
static inline void witness_pte_weakened(paddr_t root, vaddr_t va) { (void)root; (void)va; }
static inline void witness_pte_flushed(paddr_t root, uint32_t n) { (void)root; (void)n; }
static inline void witness_not_resident(paddr_t root) { (void)root; }
static inline uint32_t witness_pte_pending(paddr_t root) { (void)root; return 0; }
static inline void witness_lock_acquired(struct spinlock *l) { (void)l; }
static inline void witness_lock_releasing(struct spinlock *l) { (void)l; }
static inline unsigned witness_locks_held(void) { return 0; }
static inline const char *witness_lock_held_name(unsigned i) { (void)i; return NULL; }
static inline void witness_switch(const struct aspace *from, const struct aspace *to, bool after)
{
	(void)from;
	(void)to;
	(void)after;
}
static inline void witness_return_to_user(void) {}

#endif /* CAPOS_DEBUG */
#endif /* CAPOS_KERN_WITNESS_H */
