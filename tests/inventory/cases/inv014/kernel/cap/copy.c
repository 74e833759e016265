/* Fires INV014: copies to the user without the address-space lock. */
#include "fx.h"

kerr_t perform_copy_root(struct aspace *as, vaddr_t dst)
{
	return copy_to_user(dst, &as->root, sizeof as->root);
}
