/* Fires INV012 through a wrapper: vm_charge_pages() charges on success and nothing on failure,
 * so the inventory derives it as a charge; perform_wrap_map leaks it on a later error. */
#include "fx.h"

kerr_t vm_charge_pages(struct aspace *as, enum ledger_kind kind, unsigned long n)
{
	kerr_t err = ledger_charge(as->ledger, kind, n);
	if (err != KERR_OK)
		return err;
	return KERR_OK;
}

kerr_t perform_wrap_map(struct aspace *as, vaddr_t va)
{
	kerr_t err = vm_charge_pages(as, LEDGER_VIRT, 1);
	if (err != KERR_OK)
		return err;              /* fine: nothing was charged */
	if (va & 0xfff)
		return KERR_INVALID_ARG; /* leak: the wrapper's charge is still held */
	return KERR_OK;
}

/* Near miss: releases on its error path. */
kerr_t perform_wrap_ok(struct aspace *as, vaddr_t va)
{
	kerr_t err = vm_charge_pages(as, LEDGER_VIRT, 1);
	if (err != KERR_OK)
		return err;
	if (va & 0xfff) {
		ledger_release(as->ledger, LEDGER_VIRT, 1);
		return KERR_INVALID_ARG;
	}
	return KERR_OK;
}
