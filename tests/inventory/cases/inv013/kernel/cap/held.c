/* Fires INV013: one return path keeps the address-space lock. */
#include "fx.h"

kerr_t perform_held_check(struct aspace *as, vaddr_t va)
{
	spin_lock(&as->lock);
	if (va == 0)
		return KERR_INVALID_ARG;
	spin_unlock(&as->lock);
	return KERR_OK;
}
