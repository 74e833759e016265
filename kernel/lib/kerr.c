/*
 * kerr.c - names of the typed error codes (kernel/include/capos/errors.h).
 * Pure table lookup; shared by the kernel's logs, host tests and user programs' messages.
 */
#include <capos/errors.h>

static const char *const kerr_names[KERR_COUNT] = {
	[KERR_OK] = "KERR_OK",
	[KERR_INVALID_HANDLE] = "KERR_INVALID_HANDLE",
	[KERR_STALE_HANDLE] = "KERR_STALE_HANDLE",
	[KERR_WRONG_TYPE] = "KERR_WRONG_TYPE",
	[KERR_NO_RIGHTS] = "KERR_NO_RIGHTS",
	[KERR_UNKNOWN_METHOD] = "KERR_UNKNOWN_METHOD",
	[KERR_INVALID_ARG] = "KERR_INVALID_ARG",
	[KERR_BAD_ADDRESS] = "KERR_BAD_ADDRESS",
	[KERR_CONFLICT] = "KERR_CONFLICT",
	[KERR_NOT_FOUND] = "KERR_NOT_FOUND",
	[KERR_WRONG_OBJECT] = "KERR_WRONG_OBJECT",
	[KERR_QUOTA_VIRTUAL] = "KERR_QUOTA_VIRTUAL",
	[KERR_QUOTA_COMMIT] = "KERR_QUOTA_COMMIT",
	[KERR_QUOTA_OBJECT] = "KERR_QUOTA_OBJECT",
	[KERR_QUOTA_MAPPING] = "KERR_QUOTA_MAPPING",
	[KERR_QUOTA_PAGETABLE] = "KERR_QUOTA_PAGETABLE",
	[KERR_NO_MEMORY] = "KERR_NO_MEMORY",
	[KERR_PINNED] = "KERR_PINNED",
	[KERR_PUBLISH_FAILED] = "KERR_PUBLISH_FAILED",
	[KERR_NO_SLOTS] = "KERR_NO_SLOTS",
	[KERR_WOULD_BLOCK] = "KERR_WOULD_BLOCK",
	[KERR_QUOTA_PIN] = "KERR_QUOTA_PIN",
};

const char *kerr_name(kerr_t e)
{
	if ((unsigned)e >= KERR_COUNT || !kerr_names[e])
		return "KERR_<invalid>";
	return kerr_names[e];
}
