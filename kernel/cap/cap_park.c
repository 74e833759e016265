/*
 * cap_park.c - the ParkSpace capability: wait on and wake a 32-bit word of the caller's own
 * memory. decode_* validates the arguments; perform_* hands them to mm/park.c, which derives
 * the key from the caller's mapping (never from the raw address).
 */
#include <cap/invoke.h>
#include <mm/park.h>
#include <proc/process.h>

const int park_object;

/* The word's address: a user address, 4-byte aligned. */
static bool park_addr_ok(uint64_t va)
{
	return (va & 3) == 0 && capos_user_range_ok(va, 4);
}

/* WAIT: a0 address, a1 expected (32 bits), a2 timeout (0 only). */
static kerr_t decode_park_wait(const struct invocation *inv)
{
	if (!park_addr_ok(inv->a[0]) || inv->a[1] > UINT32_MAX || inv->a[2] != 0)
		return KERR_INVALID_ARG;
	return KERR_OK;
}

static kerr_t perform_park_wait(struct invocation *inv)
{
	return park_wait_user(inv->proc->as, inv->a[0], (uint32_t)inv->a[1]);
}

/* WAKE: a0 address, a1 count (saturated at UINT32_MAX: there are fewer threads). */
static kerr_t decode_park_wake(const struct invocation *inv)
{
	return park_addr_ok(inv->a[0]) ? KERR_OK : KERR_INVALID_ARG;
}

static kerr_t perform_park_wake(struct invocation *inv)
{
	unsigned woken = 0;
	unsigned count = inv->a[1] > UINT32_MAX ? UINT32_MAX : (unsigned)inv->a[1];
	kerr_t err = park_wake_user(inv->proc->as, inv->a[0], count, &woken);

	inv->r[0] = woken;
	return err;
}

kerr_t invoke_park(struct invocation *inv)
{
	kerr_t err;

	switch (inv->method) {
	case CAP_PARK_WAIT:
		err = decode_park_wait(inv);
		return err != KERR_OK ? err : perform_park_wait(inv);
	case CAP_PARK_WAKE:
		err = decode_park_wake(inv);
		return err != KERR_OK ? err : perform_park_wake(inv);
	}
	return KERR_UNKNOWN_METHOD; /* rights were checked by the common decode */
}
