/*
 * elig.c - page eligibility decisions: which pages may be swapped out or handed to a device,
 * and why not (lib/elig.h). Pure logic: the kernel supplies the snapshot.
 */
#include <lib/elig.h>

#define R(x) (1u << (x))
#define USER_BITS (ELIG_OBJECT | ELIG_RING | ELIG_SHARED_IPC | ELIG_PINNED | ELIG_DMA)
#define KIND_BITS (ELIG_KERNEL | ELIG_PAGETABLE | ELIG_CAPTABLE)

/* Refusals every purpose shares: the page's life and the kernel's own kinds. */
static uint32_t common_refusals(const struct elig_page *p)
{
	uint32_t r = 0;

	switch (p->residency) {
	case ELIG_RES_OWNED:
		break;
	case ELIG_RES_FREE:
		return R(ELIG_R_FREE);
	case ELIG_RES_TRANSIT:
		r |= R(ELIG_R_IN_TRANSIT);
		break;
	default:
		return R(ELIG_R_UNMANAGED);
	}
	if (p->bits & ELIG_KERNEL)
		r |= R(ELIG_R_KERNEL);
	if (p->bits & ELIG_PAGETABLE)
		r |= R(ELIG_R_PAGETABLE);
	if (p->bits & ELIG_CAPTABLE)
		r |= R(ELIG_R_CAPTABLE);
	if (p->bits & ELIG_SECRET)
		r |= R(ELIG_R_SECRET);
	if (p->bits & ELIG_DMA)
		r |= R(ELIG_R_DMA);
	if (p->bits & ELIG_RING)
		r |= R(ELIG_R_RING);
	if (p->bits & ELIG_SHARED_IPC)
		r |= R(ELIG_R_SHARED_IPC);
	return r;
}

uint32_t elig_refusals(const struct elig_page *p, enum elig_purpose purpose)
{
	uint32_t r;

	if ((unsigned)purpose >= ELIG_PURPOSE_COUNT)
		return R(ELIG_R_UNMANAGED);
	r = common_refusals(p);
	if (r & (R(ELIG_R_FREE) | R(ELIG_R_UNMANAGED)))
		return r; /* nobody owns it: nothing else applies */
	if (purpose == ELIG_FOR_SWAP) {
		/* Phase 1: resident pages and every MemoryObject page stay in RAM. */
		if (p->bits & ELIG_PINNED)
			r |= R(ELIG_R_PINNED);
		if (p->bits & ELIG_OBJECT)
			r |= R(ELIG_R_OBJECT);
	} else {
		/* A device gets only pinned MemoryObject backing (resident, unswappable). */
		if (!(p->bits & ELIG_OBJECT))
			r |= R(ELIG_R_NOT_OBJECT);
		if (!(p->bits & ELIG_PINNED))
			r |= R(ELIG_R_NOT_PINNED);
	}
	return r;
}

enum elig_reason elig_query(const struct elig_page *p, enum elig_purpose purpose)
{
	uint32_t r = elig_refusals(p, purpose);

	return r ? (enum elig_reason)__builtin_ctz(r) : ELIG_OK;
}

int elig_page_check(const struct elig_page *p)
{
	unsigned b = p->bits, kinds = b & KIND_BITS;

	if (b & ~(unsigned)ELIG_BITS_ALL)
		return 1;
	if (p->residency != ELIG_RES_OWNED && p->residency != ELIG_RES_TRANSIT && b)
		return 2;
	if ((kinds & (kinds - 1)) || (kinds && (b & USER_BITS)))
		return 3;
	if ((b & (ELIG_RING | ELIG_SHARED_IPC)) && !(b & ELIG_OBJECT))
		return 4;
	if ((b & ELIG_DMA) && !(b & ELIG_PINNED))
		return 5;
	return 0;
}

static const char *const reason_names[ELIG_REASON_COUNT] = {
	[ELIG_OK] = "ELIG_OK",
	[ELIG_R_UNMANAGED] = "ELIG_R_UNMANAGED",
	[ELIG_R_FREE] = "ELIG_R_FREE",
	[ELIG_R_IN_TRANSIT] = "ELIG_R_IN_TRANSIT",
	[ELIG_R_KERNEL] = "ELIG_R_KERNEL",
	[ELIG_R_PAGETABLE] = "ELIG_R_PAGETABLE",
	[ELIG_R_CAPTABLE] = "ELIG_R_CAPTABLE",
	[ELIG_R_SECRET] = "ELIG_R_SECRET",
	[ELIG_R_DMA] = "ELIG_R_DMA",
	[ELIG_R_PINNED] = "ELIG_R_PINNED",
	[ELIG_R_RING] = "ELIG_R_RING",
	[ELIG_R_SHARED_IPC] = "ELIG_R_SHARED_IPC",
	[ELIG_R_OBJECT] = "ELIG_R_OBJECT",
	[ELIG_R_NOT_OBJECT] = "ELIG_R_NOT_OBJECT",
	[ELIG_R_NOT_PINNED] = "ELIG_R_NOT_PINNED",
};

const char *elig_reason_name(enum elig_reason r)
{
	if ((unsigned)r >= ELIG_REASON_COUNT || !reason_names[r])
		return "ELIG_<invalid>";
	return reason_names[r];
}

const char *elig_purpose_name(enum elig_purpose purpose)
{
	switch (purpose) {
	case ELIG_FOR_SWAP:
		return "swap";
	case ELIG_FOR_DMA:
		return "dma";
	default:
		return "<invalid>";
	}
}
