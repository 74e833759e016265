/**
 * @file
 * @brief Mapping pins of an address space: taking and releasing them with their LEDGER_PIN
 *        charge and their frames' pin counts, the check that makes unmap and decommit fail
 *        with KERR_PINNED, and the forced release by revocation and teardown.
 *
 * A pin's record (lib/pinset.h) lives in the pinning address space and holds a reference on
 * the account that paid for it. Every page of a held pin has a frame, and that frame's pin
 * count (mm/frame.h I3) is raised, so frame_free() would catch a pinned frame that some path
 * forgot. Each mapping pin is released exactly once, by whichever comes first: pin_unpin(),
 * pin_revoke_range_locked() (its mapping is torn down by force: the object's last capability
 * dropped, or the process's teardown of its object mappings) or pin_teardown() (the address
 * space is destroyed). An object pin also holds a capability reference on its object (so the
 * object is not released while it is pinned) and is released by pin_unpin_object() or
 * pin_teardown() (its pinner's exit).
 * Locking: as->lock protects the records; the account's lock nests inside it.
 */
#ifndef CAPOS_MM_PIN_H
#define CAPOS_MM_PIN_H

#include <capos/errors.h>
#include <lib/pinset.h>
#include <lib/types.h>

struct acct;
struct aspace;
struct memobj;

/**
 * @brief Pin the committed pages of [addr, addr + len) of @p as, charged to @p payer.
 *        TLB: none (no PTE changes).
 * @param as Address space. @param payer Account charged LEDGER_PIN (a reference is taken).
 * @param addr Start (page-aligned). @param len Bytes (page multiple, > 0).
 * @return KERR_OK; KERR_NOT_FOUND (a page not committed, or without a frame yet);
 *         KERR_QUOTA_PIN; KERR_NO_SLOTS (CAPOS_PIN_MAX held). Nothing changes on error.
 */
kerr_t pin_pin(struct aspace *as, struct acct *payer, uint64_t addr, uint64_t len);

/**
 * @brief Release the pin of exactly [addr, addr + len). TLB: none.
 * @param as Address space. @param addr Start. @param len Bytes.
 * @return KERR_OK; KERR_NOT_FOUND (no such pin).
 */
kerr_t pin_unpin(struct aspace *as, uint64_t addr, uint64_t len);

/**
 * @brief Pin the pages at byte offsets [off, off + len) of @p o (an object pin), charged to
 *        @p payer and recorded in @p as (the pinning process's address space). The pin holds
 *        a capability reference on @p o: dropping the object's last handle does not release
 *        it while pinned. TLB: none.
 * @param as The pinner's address space. @param payer Account charged (a reference is taken).
 * @param o Object. @param off Start (page-aligned, inside o). @param len Bytes (> 0, inside).
 * @return KERR_OK; KERR_QUOTA_PIN; KERR_NO_SLOTS. Nothing changes on error.
 */
kerr_t pin_object(struct aspace *as, struct acct *payer, struct memobj *o, uint64_t off,
		  uint64_t len);

/**
 * @brief Release the object pin of exactly (@p o, [off, off + len)) recorded in @p as; may
 *        release the object if it was its last reference. TLB: shootdown (if released).
 * @param as The pinner's address space. @param o Object. @param off Start. @param len Bytes.
 * @return KERR_OK; KERR_NOT_FOUND (no such pin).
 */
kerr_t pin_unpin_object(struct aspace *as, struct memobj *o, uint64_t off, uint64_t len);

/**
 * @brief Whether a held pin covers any page of [addr, addr + len) (as->lock held).
 * @param as Address space. @param addr Start. @param len Bytes. @return true when pinned.
 */
bool pin_range_pinned_locked(struct aspace *as, uint64_t addr, uint64_t len);

/**
 * @brief Revocation: [addr, addr + len) is being torn down by force; release every pin
 *        overlapping it (whole pins) while the PTEs are still there. as->lock held.
 * @param as Address space. @param addr Start. @param len Bytes. @return Pins released.
 */
unsigned pin_revoke_range_locked(struct aspace *as, uint64_t addr, uint64_t len);

/**
 * @brief Teardown of @p as (refs == 0): release every pin left, before its PTEs go.
 * @param as Address space.
 */
void pin_teardown(struct aspace *as);

#endif /* CAPOS_MM_PIN_H */
