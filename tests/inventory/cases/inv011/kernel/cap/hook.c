/* Fires INV011: an operation calls through a function pointer no static table holds. */
#include "fx.h"

kerr_t perform_hook_run(struct aspace *as, kerr_t (*fn)(struct aspace *))
{
	return fn(as);
}
