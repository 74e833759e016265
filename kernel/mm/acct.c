/*
 * acct.c - accounts: the lock, reference count and donation tree around kernel/lib's ledger.
 * See mm/acct.h for the invariants. No page table is touched here (TLB: none).
 */
#include <lib/assert.h>
#include <mm/acct.h>
#include <mm/kheap.h>

/* The root account's limits are nominal: the frame pool itself bounds what all processes
 * together commit (KERR_NO_MEMORY, global pressure); children get what their parent donates. */
#define ACCT_ROOT_LIMIT (1ull << 24)
/* Pinned pages of a root account (CAP_VM_PIN): far below the other kinds, since pinned
 * memory cannot be reclaimed. */
#define ACCT_ROOT_PIN_LIMIT 4096u

static unsigned live;

static struct acct *acct_alloc(void)
{
	struct acct *a = kmalloc(sizeof(*a));

	if (!a)
		return NULL;
	spin_init(&a->lock, "acct");
	a->parent = NULL;
	a->refs = 1;
	__atomic_add_fetch(&live, 1, __ATOMIC_RELAXED);
	return a;
}

kerr_t acct_create_root(struct acct **out)
{
	uint64_t lim[LEDGER_KIND_COUNT] = {
		[LEDGER_VIRTUAL] = ACCT_ROOT_LIMIT, [LEDGER_COMMIT] = ACCT_ROOT_LIMIT,
		[LEDGER_OBJECT] = ACCT_ROOT_LIMIT,  [LEDGER_MAPPING] = ACCT_ROOT_LIMIT,
		[LEDGER_PAGETABLE] = ACCT_ROOT_LIMIT, [LEDGER_PIN] = ACCT_ROOT_PIN_LIMIT,
	};
	struct acct *a = acct_alloc();

	if (!a)
		return KERR_NO_MEMORY;
	ledger_init(&a->led, lim);
	*out = a;
	return KERR_OK;
}

kerr_t acct_donate(struct acct *parent, const uint64_t limit[LEDGER_KIND_COUNT],
		   struct acct **out)
{
	struct acct *a = acct_alloc();
	kerr_t err;

	if (!a)
		return KERR_NO_MEMORY;
	spin_lock(&parent->lock);
	err = ledger_donate(&parent->led, &a->led, limit);
	spin_unlock(&parent->lock);
	if (err != KERR_OK) {
		__atomic_sub_fetch(&live, 1, __ATOMIC_RELAXED);
		kfree(a);
		return err;
	}
	acct_get(parent); /* I1 */
	a->parent = parent;
	*out = a;
	return KERR_OK;
}

void acct_get(struct acct *a)
{
	KASSERT(__atomic_add_fetch(&a->refs, 1, __ATOMIC_RELAXED) > 1);
}

void acct_put(struct acct *a)
{
	struct acct *parent = a->parent;

	if (__atomic_sub_fetch(&a->refs, 1, __ATOMIC_ACQ_REL) != 0)
		return;
	if (parent) {
		spin_lock(&parent->lock);
		ledger_reclaim(&a->led); /* I3: asserts every charge was released */
		spin_unlock(&parent->lock);
	} else {
		for (int k = 0; k < LEDGER_KIND_COUNT; k++)
			KASSERT(a->led.used[k] == 0);
	}
	__atomic_sub_fetch(&live, 1, __ATOMIC_RELAXED);
	kfree(a);
	if (parent)
		acct_put(parent);
}

kerr_t acct_charge(struct acct *a, enum ledger_kind kind, uint64_t amount)
{
	kerr_t err;

	spin_lock(&a->lock);
	err = ledger_charge(&a->led, kind, amount);
	spin_unlock(&a->lock);
	return err;
}

void acct_release(struct acct *a, enum ledger_kind kind, uint64_t amount)
{
	spin_lock(&a->lock);
	ledger_release(&a->led, kind, amount);
	spin_unlock(&a->lock);
}

void acct_usage(struct acct *a, enum ledger_kind kind, uint64_t *used, uint64_t *limit)
{
	spin_lock(&a->lock);
	*used = a->led.used[kind];
	*limit = a->led.limit[kind];
	spin_unlock(&a->lock);
}

unsigned acct_live_count(void)
{
	return __atomic_load_n(&live, __ATOMIC_RELAXED);
}
