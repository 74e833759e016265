/* Fires INV013 only when loops run to a fixpoint: the early return is reached holding the lock
 * from the second iteration on (a walker that runs a body zero or one time never sees it).
 * perform_fix_release releases in a loop: its count widens to "two or more" and the walk ends. */
#include "fx.h"

kerr_t perform_fix_drain(struct aspace *as, int n)
{
	for (int i = 0; i < n; i++) {
		if (as->root == 0)
			return KERR_INVALID_ARG;
		spin_lock(&as->lock);
	}
	spin_unlock(&as->lock);
	return KERR_OK;
}

void perform_fix_release(struct aspace *as, int n)
{
	for (int i = 0; i < n; i++)
		spin_unlock(&as->lock);
}
