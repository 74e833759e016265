/* Fires INV017 twice: one function holds nine distinct locks at once (more outstanding keys
 * than a path state keeps), another takes a lock whose key text is longer than a key may be.
 * Both are reported naming the function, never cut silently. */
#include "fx.h"

struct nine { struct spinlock l0, l1, l2, l3, l4, l5, l6, l7, l8; };

kerr_t perform_bound_keys(struct nine *n)
{
	spin_lock(&n->l0); spin_lock(&n->l1); spin_lock(&n->l2);
	spin_lock(&n->l3); spin_lock(&n->l4); spin_lock(&n->l5);
	spin_lock(&n->l6); spin_lock(&n->l7); spin_lock(&n->l8);
	spin_unlock(&n->l8); spin_unlock(&n->l7); spin_unlock(&n->l6);
	spin_unlock(&n->l5); spin_unlock(&n->l4); spin_unlock(&n->l3);
	spin_unlock(&n->l2); spin_unlock(&n->l1); spin_unlock(&n->l0);
	return KERR_OK;
}

struct deep { struct aspace *an_address_space_with_a_very_long_member_name_to_overflow_the_key; };

kerr_t perform_bound_keylen(struct deep *d)
{
	spin_lock(&d->an_address_space_with_a_very_long_member_name_to_overflow_the_key->lock);
	spin_unlock(&d->an_address_space_with_a_very_long_member_name_to_overflow_the_key->lock);
	return KERR_OK;
}
