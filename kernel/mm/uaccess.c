/*
 * uaccess.c - user memory access through the page tables and the direct map, under the
 * address space's lock so no page can be unmapped in the middle of a copy.
 */
#include <arch/layout.h>
#include <arch/mmu.h>
#include <kern/string.h>
#include <mm/aspace.h>
#include <mm/phys.h>
#include <mm/uaccess.h>

static bool uaccess_range_ok(vaddr_t va, size_t len)
{
	return va < USER_TOP && len <= USER_TOP - va;
}

/* Physical address of user byte va when its page allows `need` (MMU_*), else false. */
static bool uaccess_page_locked(struct aspace *as, vaddr_t va, unsigned need, paddr_t *pa)
{
	unsigned prot;

	if (arch_mmu_query(as->root, va, pa, &prot) != KERR_OK)
		return false;
	return (prot & (need | MMU_USER)) == (need | MMU_USER);
}

kerr_t copy_from_user(struct aspace *as, void *dst, vaddr_t src, size_t len)
{
	kerr_t err = KERR_OK;
	paddr_t pa;

	if (!uaccess_range_ok(src, len))
		return KERR_BAD_ADDRESS;
	spin_lock(&as->lock);
	while (len > 0) {
		size_t n = PAGE_SIZE - (src & PAGE_MASK);
		if (n > len)
			n = len;
		if (!uaccess_page_locked(as, src, MMU_READ, &pa)) {
			err = KERR_BAD_ADDRESS;
			break;
		}
		memcpy(dst, phys_to_virt(pa), n);
		dst = (uint8_t *)dst + n;
		src += n;
		len -= n;
	}
	spin_unlock(&as->lock);
	return err;
}

kerr_t copy_to_user(struct aspace *as, vaddr_t dst, const void *src, size_t len)
{
	paddr_t pa;

	if (!uaccess_range_ok(dst, len))
		return KERR_BAD_ADDRESS;
	spin_lock(&as->lock);
	/* Check every page first: all or nothing. */
	for (vaddr_t va = PAGE_ALIGN_DOWN(dst); va < dst + len; va += PAGE_SIZE) {
		if (!uaccess_page_locked(as, va, MMU_WRITE, &pa)) {
			spin_unlock(&as->lock);
			return KERR_BAD_ADDRESS;
		}
	}
	while (len > 0) {
		size_t n = PAGE_SIZE - (dst & PAGE_MASK);
		if (n > len)
			n = len;
		uaccess_page_locked(as, dst, MMU_WRITE, &pa);
		memcpy(phys_to_virt(pa), src, n);
		src = (const uint8_t *)src + n;
		dst += n;
		len -= n;
	}
	spin_unlock(&as->lock);
	return KERR_OK;
}
