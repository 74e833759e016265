/* Short-circuit and ?: conditions: the charge is made only where `want` holds, undone on its
 * own failure branch, and released under the same flag. Walked as one expression (the charge on
 * every path, the && untested), this gave an INV012 on the first return; split, nothing. */
#include "fx.h"

kerr_t perform_sc_and(struct aspace *as, int want)
{
	if (want && ledger_charge(as->ledger, LEDGER_COMMIT, 1) != KERR_OK)
		return KERR_NO_MEMORY;
	if (want)
		ledger_release(as->ledger, LEDGER_COMMIT, 1);
	return KERR_OK;
}

kerr_t perform_sc_cond(struct aspace *as, int want)
{
	kerr_t err = want ? ledger_charge(as->ledger, LEDGER_VIRT, 1) : KERR_OK;
	if (err != KERR_OK)
		return err;
	if (want)
		ledger_release(as->ledger, LEDGER_VIRT, 1);
	return KERR_OK;
}

/* A real leak behind ||: the charge made when `quick` is false is not released on this error. */
kerr_t perform_sc_or(struct aspace *as, int quick)
{
	if (quick || ledger_charge(as->ledger, LEDGER_VIRT, 1) == KERR_OK)
		return KERR_INVALID_ARG;
	return KERR_OK;
}
