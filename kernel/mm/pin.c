/*
 * pin.c - mapping pins: LEDGER_PIN charge and frame pin counts on pin, release exactly once on
 * unpin, revocation or teardown, and the KERR_PINNED check of unmap and decommit. See
 * mm/pin.h for the rules.
 */
#include <arch/mmu.h>
#include <lib/assert.h>
#include <mm/acct.h>
#include <mm/aspace.h>
#include <mm/frame.h>
#include <mm/memobj.h>
#include <mm/pin.h>
#include <mm/vm.h>

/* Every page of [lo, hi) is committed with a frame (not a never-touched lazy page). */
static bool pin_pages_ok_locked(struct aspace *as, uint64_t lo, uint64_t hi)
{
	struct vm_mapid id;

	for (uint64_t va = lo; va < hi; va += PAGE_SIZE)
		if (aspace_vm_identity_locked(as, va, &id) != KERR_OK || id.zero_pending)
			return false;
	return true;
}

/* Raise (+1) or drop (-1) the pin count of the frame of each page of [lo, hi). */
static void pin_frames_locked(struct aspace *as, uint64_t lo, uint64_t hi, int dir)
{
	paddr_t pa;
	unsigned prot;

	for (uint64_t va = lo; va < hi; va += PAGE_SIZE) {
		KASSERT(arch_mmu_query(as->root, va, &pa, &prot) == KERR_OK);
		if (dir > 0)
			frame_pin(frame_of(pa));
		else
			frame_unpin(frame_of(pa));
	}
}

/* Raise (+1) or drop (-1) the pin count of the object's frames at byte offsets [lo, hi). */
static void pin_object_frames(struct memobj *o, uint64_t lo, uint64_t hi, int dir)
{
	for (uint64_t off = lo; off < hi; off += PAGE_SIZE) {
		if (dir > 0)
			frame_pin(frame_of(o->frames[off / PAGE_SIZE]));
		else
			frame_unpin(frame_of(o->frames[off / PAGE_SIZE]));
	}
}

/* Release record slot: frames, charge, the payer's reference. Exactly once per pin. An object
 * pin's capability reference is returned in *drop, for the caller to drop after unlocking. */
static void pin_release_locked(struct aspace *as, unsigned slot, struct memobj **drop)
{
	struct pin p;

	pinset_release(&as->pins, slot, &p);
	if (p.kind == PIN_OBJECT) {
		pin_object_frames((struct memobj *)p.obj, p.lo, p.hi, -1);
		*drop = (struct memobj *)p.obj;
	} else {
		pin_frames_locked(as, p.lo, p.hi, -1);
		*drop = NULL;
	}
	acct_release((struct acct *)p.payer, LEDGER_PIN, (p.hi - p.lo) / PAGE_SIZE);
	acct_put((struct acct *)p.payer);
}

kerr_t pin_pin(struct aspace *as, struct acct *payer, uint64_t addr, uint64_t len)
{
	unsigned slot;
	kerr_t err;

	spin_lock(&as->lock);
	if (!pin_pages_ok_locked(as, addr, addr + len)) {
		spin_unlock(&as->lock);
		return KERR_NOT_FOUND;
	}
	err = acct_charge(payer, LEDGER_PIN, len / PAGE_SIZE);
	if (err != KERR_OK) {
		spin_unlock(&as->lock);
		return err;
	}
	err = pinset_add(&as->pins, PIN_MAPPING, addr, addr + len, (uintptr_t)payer, 0, &slot);
	if (err != KERR_OK) {
		acct_release(payer, LEDGER_PIN, len / PAGE_SIZE);
		spin_unlock(&as->lock);
		return err;
	}
	acct_get(payer); /* the record's reference */
	pin_frames_locked(as, addr, addr + len, 1);
	spin_unlock(&as->lock);
	return KERR_OK;
}

kerr_t pin_unpin(struct aspace *as, uint64_t addr, uint64_t len)
{
	struct memobj *drop = NULL;
	unsigned slot;
	bool found;

	spin_lock(&as->lock);
	found = pinset_find(&as->pins, PIN_MAPPING, 0, addr, addr + len, &slot);
	if (found)
		pin_release_locked(as, slot, &drop);
	spin_unlock(&as->lock);
	if (!found)
		return KERR_NOT_FOUND;
	return KERR_OK;
}

kerr_t pin_object(struct aspace *as, struct acct *payer, struct memobj *o, uint64_t off,
		  uint64_t len)
{
	unsigned slot;
	kerr_t err;

	spin_lock(&as->lock);
	err = acct_charge(payer, LEDGER_PIN, len / PAGE_SIZE);
	if (err != KERR_OK)
		goto out;
	err = pinset_add(&as->pins, PIN_OBJECT, off, off + len, (uintptr_t)payer, (uintptr_t)o,
			 &slot);
	if (err != KERR_OK) {
		acct_release(payer, LEDGER_PIN, len / PAGE_SIZE); /* the charge of this call */
		goto out;
	}
	acct_get(payer);
	memobj_cap_get(o); /* the pin keeps the object as a capability would */
	pin_object_frames(o, off, off + len, 1);
out:
	spin_unlock(&as->lock);
	return err;
}

kerr_t pin_unpin_object(struct aspace *as, struct memobj *o, uint64_t off, uint64_t len)
{
	struct memobj *drop = NULL;
	unsigned slot;
	bool found;

	spin_lock(&as->lock);
	found = pinset_find(&as->pins, PIN_OBJECT, (uintptr_t)o, off, off + len, &slot);
	if (found)
		pin_release_locked(as, slot, &drop);
	spin_unlock(&as->lock);
	if (!found)
		return KERR_NOT_FOUND;
	memobj_cap_put(drop); /* may release it: takes address-space locks, so not under ours */
	return KERR_OK;
}

bool pin_range_pinned_locked(struct aspace *as, uint64_t addr, uint64_t len)
{
	KASSERT(spin_held(&as->lock));
	return pinset_overlaps(&as->pins, addr, addr + len);
}

unsigned pin_revoke_range_locked(struct aspace *as, uint64_t addr, uint64_t len)
{
	struct memobj *drop;
	unsigned slot = 0, n = 0;

	KASSERT(spin_held(&as->lock));
	while (as->pins.held > 0 && pinset_next_overlap(&as->pins, addr, addr + len, &slot)) {
		pin_release_locked(as, slot, &drop);
		KASSERT(!drop); /* mapping pins only */
		n++;
	}
	return n;
}

void pin_teardown(struct aspace *as)
{
	struct memobj *drop;
	unsigned slot = 0;

	KASSERT(as->refs == 0);
	while (as->pins.held > 0 && pinset_next_held(&as->pins, &slot)) {
		pin_release_locked(as, slot, &drop);
		if (drop)
			memobj_cap_put(drop); /* nothing is locked: nobody else can reach as */
	}
}
