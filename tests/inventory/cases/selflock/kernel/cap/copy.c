/* Does not fire INV014: copy_to_user holds the address-space lock itself (self_locking). */
#include "fx.h"

kerr_t perform_copy_root(struct aspace *as, vaddr_t dst)
{
	return copy_to_user(dst, &as->root, sizeof as->root);
}
