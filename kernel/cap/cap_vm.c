/*
 * cap_vm.c - the VirtualMemory capability (an address space) and the Ledger capability (an
 * account): decode validates every argument, perform calls mm/vm.h, which changes nothing on
 * error. The capability's READ/WRITE/EXEC rights at reserve time become the range's maximum
 * protection (lib/vmspace I2), which bounds every later commit and protect.
 */
#include <cap/invoke.h>
#include <lib/vmspace.h>
#include <mm/acct.h>
#include <mm/aspace.h>
#include <mm/vm.h>

/* Validated arguments of a VirtualMemory method. */
struct vm_args {
	uint64_t addr;
	uint64_t len;
	unsigned prot;
	unsigned flags;
};

/* The maximum protection a capability's rights allow. */
static unsigned vm_rights_prot(uint32_t rights)
{
	return ((rights & CAP_RIGHT_READ) ? VM_PROT_READ : 0) |
	       ((rights & CAP_RIGHT_WRITE) ? VM_PROT_WRITE : 0) |
	       ((rights & CAP_RIGHT_EXEC) ? VM_PROT_EXEC : 0);
}

/* A page-aligned, non-empty range of user space. */
static bool vm_range_ok(uint64_t addr, uint64_t len)
{
	return len > 0 && IS_PAGE_ALIGNED(addr) && IS_PAGE_ALIGNED(len) &&
	       capos_user_range_ok(addr, len);
}

/* Protection bits only, and not writable together with executable (W^X). */
static bool vm_prot_ok(uint64_t prot)
{
	return !(prot & ~(uint64_t)CAPOS_PROT_MASK) &&
	       (prot & (CAPOS_PROT_WRITE | CAPOS_PROT_EXEC)) != (CAPOS_PROT_WRITE | CAPOS_PROT_EXEC);
}

static kerr_t decode_vm_reserve(const struct invocation *inv, struct vm_args *a)
{
	a->len = inv->a[0];
	a->addr = inv->a[1];
	if (inv->a[2] & ~CAPOS_MAP_FLAGS_MASK)
		return KERR_INVALID_ARG;
	a->flags = (unsigned)inv->a[2];
	if (a->len == 0 || !IS_PAGE_ALIGNED(a->len) || !IS_PAGE_ALIGNED(a->addr))
		return KERR_INVALID_ARG;
	if ((a->flags & CAPOS_MAP_FIXED) && !vm_range_ok(a->addr, a->len))
		return KERR_INVALID_ARG;
	if (!(a->flags & CAPOS_MAP_FIXED) && !capos_user_range_ok(a->addr, 0))
		return a->addr == 0 ? KERR_OK : KERR_INVALID_ARG;
	return KERR_OK;
}

/* addr = a0, len = a1, prot = a2 (when with_prot). */
static kerr_t decode_vm_range(const struct invocation *inv, bool with_prot, struct vm_args *a)
{
	a->addr = inv->a[0];
	a->len = inv->a[1];
	if (!vm_range_ok(a->addr, a->len))
		return KERR_INVALID_ARG;
	if (with_prot && !vm_prot_ok(inv->a[2]))
		return KERR_INVALID_ARG;
	a->prot = with_prot ? (unsigned)inv->a[2] : 0;
	return KERR_OK;
}

/* addr = a0, len = a1, a2 = prot (not NONE) | commit flags (::CAPOS_COMMIT_FLAGS_MASK). */
static kerr_t decode_vm_commit(const struct invocation *inv, struct vm_args *a)
{
	struct invocation prot_only = *inv;

	if (inv->a[2] & ~((uint64_t)CAPOS_PROT_MASK | CAPOS_COMMIT_FLAGS_MASK))
		return KERR_INVALID_ARG;
	prot_only.a[2] = inv->a[2] & CAPOS_PROT_MASK;
	if (decode_vm_range(&prot_only, true, a) != KERR_OK || a->prot == CAPOS_PROT_NONE)
		return KERR_INVALID_ARG;
	a->flags = (unsigned)(inv->a[2] & CAPOS_COMMIT_FLAGS_MASK);
	return KERR_OK;
}

static kerr_t perform_vm_reserve(struct invocation *inv, const struct vm_args *a)
{
	struct aspace *as = (struct aspace *)inv->cap.obj;

	return aspace_vm_reserve(as, a->len, a->addr, a->flags, vm_rights_prot(inv->cap.rights),
				 &inv->r[0]);
}

static kerr_t perform_vm_commit(struct invocation *inv, const struct vm_args *a)
{
	struct aspace *as = (struct aspace *)inv->cap.obj;

	if (a->flags & CAPOS_COMMIT_LAZY)
		return aspace_vm_commit_lazy(as, a->addr, a->len, a->prot);
	return aspace_vm_commit(as, a->addr, a->len, a->prot);
}

static kerr_t perform_vm_protect(struct invocation *inv, const struct vm_args *a)
{
	return aspace_vm_protect((struct aspace *)inv->cap.obj, a->addr, a->len, a->prot);
}

static kerr_t perform_vm_decommit(struct invocation *inv, const struct vm_args *a)
{
	return aspace_vm_decommit((struct aspace *)inv->cap.obj, a->addr, a->len);
}

static kerr_t perform_vm_unmap(struct invocation *inv, const struct vm_args *a)
{
	return aspace_vm_unmap((struct aspace *)inv->cap.obj, a->addr, a->len);
}

static kerr_t perform_vm_query(struct invocation *inv)
{
	/* Any address; one outside user space is FREE. */
	aspace_vm_query((struct aspace *)inv->cap.obj, inv->a[0], inv->r);
	return KERR_OK;
}

/* a0 any address, a1 the purpose; aspace_vm_eligibility() checks both and changes nothing. */
static kerr_t perform_vm_eligibility(struct invocation *inv)
{
	unsigned purpose = inv->a[1] >= ELIG_PURPOSE_COUNT ? ELIG_PURPOSE_COUNT : (unsigned)inv->a[1];

	return aspace_vm_eligibility((struct aspace *)inv->cap.obj, inv->a[0], purpose, &inv->r[0],
				     &inv->r[1]);
}

kerr_t invoke_vm(struct invocation *inv)
{
	struct vm_args a = { 0 };
	kerr_t err;

	switch (inv->method) { /* rights were checked by the common decode */
	case CAP_VM_RESERVE:
		err = decode_vm_reserve(inv, &a);
		return err != KERR_OK ? err : perform_vm_reserve(inv, &a);
	case CAP_VM_COMMIT:
		err = decode_vm_commit(inv, &a);
		return err != KERR_OK ? err : perform_vm_commit(inv, &a);
	case CAP_VM_PROTECT:
		err = decode_vm_range(inv, true, &a);
		return err != KERR_OK ? err : perform_vm_protect(inv, &a);
	case CAP_VM_DECOMMIT:
		err = decode_vm_range(inv, false, &a);
		return err != KERR_OK ? err : perform_vm_decommit(inv, &a);
	case CAP_VM_UNMAP:
		err = decode_vm_range(inv, false, &a);
		return err != KERR_OK ? err : perform_vm_unmap(inv, &a);
	case CAP_VM_QUERY:
		return perform_vm_query(inv);
	case CAP_VM_ELIGIBILITY:
		return perform_vm_eligibility(inv);
	case CAP_VM_PIN:
	case CAP_VM_UNPIN:
		return invoke_vm_pin(inv); /* cap/cap_pin.c */
	default:
		return KERR_UNKNOWN_METHOD;
	}
}

kerr_t invoke_ledger(struct invocation *inv)
{
	if (inv->method != CAP_LEDGER_USAGE)
		return KERR_UNKNOWN_METHOD; /* rights were checked by the common decode */
	if (inv->a[0] >= CAPOS_LEDGER_KIND_COUNT)
		return KERR_INVALID_ARG;
	acct_usage((struct acct *)inv->cap.obj, (enum ledger_kind)inv->a[0], &inv->r[0],
		   &inv->r[1]);
	return KERR_OK;
}
