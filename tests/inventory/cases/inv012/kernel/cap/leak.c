/* Fires INV012: the error return after the charge misses its release. */
#include "fx.h"

kerr_t perform_leak_reserve(struct aspace *as, vaddr_t va)
{
	kerr_t err = ledger_charge(as->ledger, LEDGER_VIRT, 1);
	if (err != KERR_OK)
		return err;           /* fine: the charge failed */
	if (va == 0)
		return KERR_INVALID_ARG;  /* leak: LEDGER_VIRT still charged */
	return KERR_OK;
}
