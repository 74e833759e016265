/*
 * vmspace_priv.h - helpers shared by the vmspace*.c files only: page byte encoding, record
 * allocation and range validation. Not part of the kernel/lib interface.
 */
#ifndef CAPOS_LIB_VMSPACE_PRIV_H
#define CAPOS_LIB_VMSPACE_PRIV_H

#include <lib/vmspace.h>

#define PG_STATE_MASK 0x03u
#define PG_PROT_SHIFT 2
#define PG_PROT_MASK (VM_PROT_ALL << PG_PROT_SHIFT)
#define PG_ZERO 0x20u
#define PG_VALID_BITS (PG_STATE_MASK | PG_PROT_MASK | PG_ZERO)

static inline enum vpage_state pg_state(uint8_t pg)
{
	return (enum vpage_state)(pg & PG_STATE_MASK);
}

static inline unsigned pg_prot(uint8_t pg)
{
	return (pg & PG_PROT_MASK) >> PG_PROT_SHIFT;
}

static inline void pg_set_prot(uint8_t *pg, unsigned prot)
{
	*pg = (uint8_t)((*pg & ~PG_PROT_MASK) | (prot << PG_PROT_SHIFT));
}

static inline bool pg_committed(uint8_t pg)
{
	return pg_state(pg) != VPAGE_RESERVED;
}

static inline struct vmres *vmres_of(struct resmap_node *n)
{
	return n ? (struct vmres *)((char *)n - __builtin_offsetof(struct vmres, node)) : NULL;
}

static inline uint64_t vmres_npages(const struct vmres *r)
{
	return (r->node.end - r->node.base) >> PAGE_SHIFT;
}

/* Page byte of page index i of r. */
static inline uint8_t vmres_page(const struct vmres *r, uint64_t i)
{
	return r->pages ? r->pages[i] : r->fill;
}

/* KERR_OK when [addr, addr + len) is a non-empty, page-aligned, non-wrapping range. */
kerr_t vm_range_valid(uint64_t addr, uint64_t len);

/* The record holding all of [addr, addr + len), or NULL (KERR_NOT_FOUND). */
struct vmres *vm_single(const struct vmspace *as, uint64_t addr, uint64_t len);

/* Give r a private page array (filled from fill) if it has none: KERR_NO_MEMORY on failure.
 * Invisible to vmspace_digest(): every page keeps its byte. */
kerr_t vmres_materialize(struct vmspace *as, struct vmres *r);

/* Count the committed pages of r in page indices [first, first + n). */
uint64_t vmres_count_committed(const struct vmres *r, uint64_t first, uint64_t n);

#endif /* CAPOS_LIB_VMSPACE_PRIV_H */
