/*
 * vmspace_pages.c - per-page state of the reservations of one address space: commit,
 * decommit, protect (including VM_PROT_NONE and its restore) and the zero-fill bookkeeping,
 * with the LEDGER_COMMIT charges. Each operation works inside one reservation. Validation and
 * the only allocation come first; page transitions (vpage_transition) follow and cannot fail.
 * TLB: none here; the caller changes PTEs after success (decommit and protect weaken or remove
 * PTEs: the caller shoots down before freeing frames).
 */
#include <lib/assert.h>

#include "vmspace_priv.h"

/* The record holding [addr, addr + len) for an anonymous-only operation. */
static kerr_t vm_anon_range(const struct vmspace *as, uint64_t addr, uint64_t len,
			    struct vmres **out)
{
	struct vmres *r;
	kerr_t err = vm_range_valid(addr, len);

	if (err != KERR_OK)
		return err;
	r = vm_single(as, addr, len);
	if (!r)
		return KERR_NOT_FOUND;
	if (r->state != VRES_RESERVED)
		return KERR_CONFLICT;
	*out = r;
	return KERR_OK;
}

kerr_t vmspace_commit(struct vmspace *as, uint64_t addr, uint64_t len, unsigned prot)
{
	struct vmres *r;
	uint64_t first, n, fresh;
	kerr_t err;

	if (prot == 0 || (prot & ~VM_PROT_ALL))
		return KERR_INVALID_ARG;
	err = vm_anon_range(as, addr, len, &r);
	if (err != KERR_OK)
		return err;
	if (prot & ~r->max_prot)
		return KERR_NO_RIGHTS;
	first = (addr - r->node.base) >> PAGE_SHIFT;
	n = len >> PAGE_SHIFT;
	fresh = n - vmres_count_committed(r, first, n);
	if (fresh == 0)
		return KERR_OK;
	/* Charge, then allocate; a failed allocation rolls the charge back, so a refused commit
	 * leaves neither a charge nor a page array behind. */
	err = ledger_charge(as->ledger, LEDGER_COMMIT, fresh);
	if (err != KERR_OK)
		return err;
	err = vmres_materialize(as, r);
	if (err != KERR_OK) {
		ledger_release(as->ledger, LEDGER_COMMIT, fresh);
		return err;
	}
	for (uint64_t i = first; i < first + n; i++) {
		if (pg_committed(r->pages[i]))
			continue;
		vpage_transition(&r->pages[i], VPAGE_RESERVED, VPAGE_COMMITTED);
		pg_set_prot(&r->pages[i], prot);
		r->pages[i] |= PG_ZERO; /* I4: a fresh commit reads zeros */
	}
	as->commit_pages += fresh;
	return KERR_OK;
}

kerr_t vmspace_decommit(struct vmspace *as, uint64_t addr, uint64_t len)
{
	struct vmres *r;
	uint64_t first, n, count;
	kerr_t err = vm_anon_range(as, addr, len, &r);

	if (err != KERR_OK)
		return err;
	first = (addr - r->node.base) >> PAGE_SHIFT;
	n = len >> PAGE_SHIFT;
	count = vmres_count_committed(r, first, n);
	if (count == 0)
		return KERR_OK; /* also covers a record without a page array */
	for (uint64_t i = first; i < first + n; i++) {
		uint8_t *pg = &r->pages[i];

		if (pg_state(*pg) == VPAGE_COMMITTED)
			vpage_transition(pg, VPAGE_COMMITTED, VPAGE_RESERVED);
		else if (pg_state(*pg) == VPAGE_PROT_NONE)
			vpage_transition(pg, VPAGE_PROT_NONE, VPAGE_RESERVED);
		else
			continue;
		pg_set_prot(pg, 0);
		*pg &= (uint8_t)~PG_ZERO;
	}
	ledger_release(as->ledger, LEDGER_COMMIT, count);
	as->commit_pages -= count;
	return KERR_OK;
}

/* The record holding [addr, addr + len), every page of it committed (either provenance). */
static kerr_t vm_committed_range(const struct vmspace *as, uint64_t addr, uint64_t len,
				 struct vmres **out)
{
	struct vmres *r;
	uint64_t first, n;
	kerr_t err = vm_range_valid(addr, len);

	if (err != KERR_OK)
		return err;
	r = vm_single(as, addr, len);
	if (!r)
		return KERR_NOT_FOUND;
	first = (addr - r->node.base) >> PAGE_SHIFT;
	n = len >> PAGE_SHIFT;
	if (vmres_count_committed(r, first, n) != n)
		return KERR_NOT_FOUND;
	*out = r;
	return KERR_OK;
}

/* Apply prot to one committed page (VM_PROT_NONE keeps the old protection for restore). */
static void vm_protect_page(uint8_t *pg, unsigned prot)
{
	if (prot == VM_PROT_NONE) {
		if (pg_state(*pg) == VPAGE_COMMITTED)
			vpage_transition(pg, VPAGE_COMMITTED, VPAGE_PROT_NONE);
		return;
	}
	if (pg_state(*pg) == VPAGE_PROT_NONE)
		vpage_transition(pg, VPAGE_PROT_NONE, VPAGE_COMMITTED);
	pg_set_prot(pg, prot);
}

kerr_t vmspace_protect(struct vmspace *as, uint64_t addr, uint64_t len, unsigned prot)
{
	struct vmres *r;
	uint64_t first, n;
	kerr_t err;

	if (prot & ~VM_PROT_ALL)
		return KERR_INVALID_ARG;
	err = vm_committed_range(as, addr, len, &r);
	if (err != KERR_OK)
		return err;
	if (prot & ~r->max_prot)
		return KERR_NO_RIGHTS; /* I2: rights captured at creation bound every protect */
	err = vmres_materialize(as, r);
	if (err != KERR_OK)
		return err;
	first = (addr - r->node.base) >> PAGE_SHIFT;
	n = len >> PAGE_SHIFT;
	for (uint64_t i = first; i < first + n; i++)
		vm_protect_page(&r->pages[i], prot);
	return KERR_OK;
}

kerr_t vmspace_restore(struct vmspace *as, uint64_t addr, uint64_t len)
{
	struct vmres *r;
	uint64_t first, n;
	kerr_t err = vm_committed_range(as, addr, len, &r);

	if (err != KERR_OK)
		return err;
	if (!r->pages)
		return KERR_OK; /* every page still has its fill byte: nothing is PROT_NONE */
	first = (addr - r->node.base) >> PAGE_SHIFT;
	n = len >> PAGE_SHIFT;
	for (uint64_t i = first; i < first + n; i++)
		if (pg_state(r->pages[i]) == VPAGE_PROT_NONE)
			vpage_transition(&r->pages[i], VPAGE_PROT_NONE, VPAGE_COMMITTED);
	return KERR_OK;
}

kerr_t vmspace_filled(struct vmspace *as, uint64_t addr)
{
	struct vmres *r;
	uint8_t *pg;
	kerr_t err = vm_anon_range(as, addr, PAGE_SIZE, &r);

	if (err != KERR_OK)
		return err;
	if (!r->pages)
		return KERR_NOT_FOUND; /* anonymous fill byte: reserved */
	pg = &r->pages[(addr - r->node.base) >> PAGE_SHIFT];
	if (!pg_committed(*pg))
		return KERR_NOT_FOUND;
	if (!(*pg & PG_ZERO))
		return KERR_INVALID_ARG;
	*pg &= (uint8_t)~PG_ZERO;
	return KERR_OK;
}
