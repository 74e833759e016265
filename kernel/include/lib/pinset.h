/**
 * @file
 * @brief Pin records of one address space (pure logic, no locks, no allocation).
 *
 * A mapping pin (PIN_MAPPING, [lo, hi) a user range) holds the committed pages of a range in
 * place: while it is held, an unmap or decommit of any of its pages by a capability fails with
 * KERR_PINNED and changes nothing. An object pin (PIN_OBJECT, [lo, hi) byte offsets of the
 * object obj) holds pages of a MemoryObject whatever maps them. Each pin is charged to the
 * pinning process's LEDGER_PIN (one unit per page) and released exactly once (mm/pin.h says
 * by what). The kernel keeps the records in the pinning address space (mm/pin.c); this file
 * only keeps the table.
 *
 * pin machine (pin_transition()):
 *
 *     PIN_FREE -> PIN_HELD     pinset_add(): a pin was taken (and charged)
 *     PIN_HELD -> PIN_FREE     pinset_release(): unpin, revocation or teardown (charge released)
 */
#ifndef CAPOS_LIB_PINSET_H
#define CAPOS_LIB_PINSET_H

#include <capos/errors.h>
#include <lib/types.h>

/** @brief Most pins one address space holds at once (KERR_NO_SLOTS beyond). */
#define PINSET_MAX 16

/** @brief What a pin holds. */
enum pin_kind {
	PIN_MAPPING = 0, /**< Pages of a user range of this address space. */
	PIN_OBJECT = 1,  /**< Pages of a MemoryObject (byte offsets). */
};

/** @brief States of a pin record (see the file comment). */
enum pin_state {
	PIN_FREE = 0,     /**< Unused record. */
	PIN_HELD,         /**< A pin of [lo, hi), charged to payer. */
	PIN_STATE_COUNT   /**< Number of states; not a state. */
};

/**
 * @brief One pin record.
 * Invariants: I1. HELD: lo < hi, both page-aligned, obj != 0 iff kind == PIN_OBJECT; FREE:
 * every other field is 0.
 * Locking: the owning address space's lock. States: enum pin_state (pin_transition()).
 */
struct pin {
	uint8_t state;   /**< enum pin_state. */
	uint8_t kind;    /**< enum pin_kind. */
	uint64_t lo;     /**< First pinned address or object offset. */
	uint64_t hi;     /**< End of the pinned range. */
	uintptr_t payer; /**< The kernel's account charged (opaque here). */
	uintptr_t obj;   /**< PIN_OBJECT: the kernel's object (opaque here); else 0. */
};

/**
 * @brief The pins of one address space.
 * Invariants (pinset_check()): I1 of every record; I2. held is the number of HELD records.
 * Locking: the owning address space's lock. States: none.
 */
struct pinset {
	struct pin pins[PINSET_MAX]; /**< Records. */
	unsigned held;               /**< HELD records (I2). */
};

/**
 * @brief The one place a pin's state changes; DASSERTs the from-state and the edge.
 * @param p Record. @param from Current state. @param to New state.
 */
void pin_transition(struct pin *p, enum pin_state from, enum pin_state to);

/**
 * @brief Record a pin of [lo, hi) paid by @p payer.
 * @param s Set. @param kind ::pin_kind. @param lo Start (page-aligned).
 * @param hi End (page-aligned, > lo). @param payer Account charged (opaque).
 * @param obj PIN_OBJECT: the object (opaque, not 0); PIN_MAPPING: 0.
 * @param slot Receives the record's index.
 * @return KERR_OK; KERR_INVALID_ARG (empty or misaligned range, obj not matching kind);
 *         KERR_NO_SLOTS (set full). Nothing changes on error.
 */
kerr_t pinset_add(struct pinset *s, enum pin_kind kind, uint64_t lo, uint64_t hi,
		  uintptr_t payer, uintptr_t obj, unsigned *slot);

/**
 * @brief Whether any held mapping pin overlaps [lo, hi) (object pins never block an unmap).
 * @param s Set. @param lo Start. @param hi End. @return true when one does.
 */
bool pinset_overlaps(const struct pinset *s, uint64_t lo, uint64_t hi);

/**
 * @brief The held pin of exactly (kind, obj, [lo, hi)) (the lowest slot when several).
 * @param s Set. @param kind ::pin_kind. @param obj Object (0 for mapping pins).
 * @param lo Start. @param hi End. @param slot Receives its index.
 * @return true when found.
 */
bool pinset_find(const struct pinset *s, enum pin_kind kind, uintptr_t obj, uint64_t lo,
		 uint64_t hi, unsigned *slot);

/**
 * @brief The next held mapping pin at or after index @p *slot that overlaps [lo, hi).
 * @param s Set. @param lo Start. @param hi End. @param slot In: first index to look at;
 *        out: the index found. @return true when found.
 */
bool pinset_next_overlap(const struct pinset *s, uint64_t lo, uint64_t hi, unsigned *slot);

/**
 * @brief The next held pin of any kind at or after index @p *slot (teardown).
 * @param s Set. @param slot In: first index; out: the index found. @return true when found.
 */
bool pinset_next_held(const struct pinset *s, unsigned *slot);

/**
 * @brief Release a held pin (PIN_HELD -> PIN_FREE); the caller releases its charge.
 * @param s Set. @param slot A HELD record. @param out Receives the record as it was.
 */
void pinset_release(struct pinset *s, unsigned slot, struct pin *out);

/**
 * @brief Validate I1 and I2.
 * @param s Set. @return 0 when they hold; else the number of the first violated.
 */
unsigned pinset_check(const struct pinset *s);

#endif /* CAPOS_LIB_PINSET_H */
