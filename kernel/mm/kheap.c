/*
 * kheap.c - the kernel heap: power-of-two size classes, slabs of one frame each with their
 * own free list; a slab whose last object is freed goes back to the frame allocator, so heap
 * usage and the free-frame count both return to their start values. See mm/kheap.h.
 */
#include <kern/panic.h>
#include <kern/printf.h>
#include <kern/spinlock.h>
#include <kern/string.h>
#include <lib/assert.h>
#include <mm/frame.h>
#include <mm/kheap.h>
#include <mm/phys.h>

#define KHEAP_MIN_SHIFT 4 /* 16 bytes */
#define KHEAP_CLASSES (PAGE_SHIFT - KHEAP_MIN_SHIFT + 1)
#define KHEAP_POISON 0x6b

struct kheap_free {
	uint32_t next; /* offset + 1 of the next free object in the same slab, 0 ends */
};

/*
 * Invariants:
 *   I1. partial[c] lists (links: frame index + 1 in struct frame next) exactly the slabs of
 *       class c that have a free object and a live one; a slab is a frame with owner
 *       FRAME_OWNER_HEAP, aux == c, pt_entries == its live objects. A slab whose last object
 *       is freed is returned to the frame allocator at once.
 *   I2. Every free object is on its slab's list (slab_free) and poisoned past its link.
 *   I3. used == sum of the class sizes of live objects; live == their count.
 * Locking: heap_lock (irqsave) protects everything here and the slab fields of heap frames.
 *   Lock order: heap_lock, then the frame allocator's lock.
 */
static uint32_t partial[KHEAP_CLASSES];
static size_t used, live;
static struct spinlock heap_lock = SPINLOCK_INIT("kheap");

static size_t class_size(unsigned c)
{
	return (size_t)1 << (c + KHEAP_MIN_SHIFT);
}

static unsigned kheap_class(size_t size)
{
	unsigned c = 0;

	while (class_size(c) < size)
		c++;
	return c;
}

static struct frame *link_frame(uint32_t link)
{
	return link ? frame_of((paddr_t)(link - 1) << PAGE_SHIFT) : NULL;
}

static uint32_t frame_link(const struct frame *f)
{
	return (uint32_t)(frame_paddr(f) >> PAGE_SHIFT) + 1;
}

static uint8_t *slab_page(const struct frame *f)
{
	return phys_to_virt(frame_paddr(f));
}

static struct frame *kheap_new_slab_locked(unsigned c)
{
	size_t obj = class_size(c);
	struct frame *f;
	uint8_t *page;
	paddr_t pa;

	KASSERT(spin_held(&heap_lock));
	if (frame_alloc(FRAME_OWNER_HEAP, &pa) != KERR_OK)
		return NULL;
	f = frame_of(pa);
	f->aux = (uint8_t)c;
	page = phys_to_virt(pa);
	memset(page, KHEAP_POISON, PAGE_SIZE);
	for (size_t off = 0; off < PAGE_SIZE; off += obj)
		((struct kheap_free *)(page + off))->next =
			off + obj < PAGE_SIZE ? (uint32_t)(off + obj) + 1 : 0;
	f->slab_free = 1;
	f->next = partial[c];
	partial[c] = frame_link(f);
	return f;
}

static void kheap_unlink_locked(struct frame *f, unsigned c)
{
	uint32_t *pp = &partial[c];

	KASSERT(spin_held(&heap_lock));
	while (*pp && link_frame(*pp) != f)
		pp = &link_frame(*pp)->next;
	KASSERT(*pp);
	*pp = f->next;
	f->next = 0;
}

static void kheap_check_poison(const void *p, size_t size)
{
	const uint8_t *b = p;

	for (size_t i = sizeof(struct kheap_free); i < size; i++) {
		if (b[i] != KHEAP_POISON) {
			kprintf("kheap: object %p written after free (offset %zu)\n", p, i);
			KASSERT(!"freed heap object's poison intact");
		}
	}
}

void *kmalloc(size_t size)
{
	struct kheap_free *o;
	struct frame *f;
	unsigned c;
	uint64_t flags;

	if (size == 0 || size > KHEAP_MAX)
		return NULL;
	c = kheap_class(size);
	flags = spin_lock_irqsave(&heap_lock);
	f = link_frame(partial[c]);
	if (!f && !(f = kheap_new_slab_locked(c))) {
		spin_unlock_irqrestore(&heap_lock, flags);
		return NULL;
	}
	o = (struct kheap_free *)(slab_page(f) + f->slab_free - 1);
	f->slab_free = o->next;
	f->pt_entries++;
	if (!f->slab_free)
		kheap_unlink_locked(f, c); /* full: off the partial list */
	used += class_size(c);
	live++;
	spin_unlock_irqrestore(&heap_lock, flags);
	kheap_check_poison(o, class_size(c));
	memset(o, 0, size);
	return o;
}

void kfree(void *p)
{
	struct kheap_free *o = p;
	struct frame *f;
	uint64_t flags;
	size_t obj;
	unsigned c;
	bool was_full;

	if (!p)
		return;
	f = frame_of(virt_to_phys(p));
	KASSERT(f->owner == FRAME_OWNER_HEAP);
	c = f->aux;
	obj = class_size(c);
	KASSERT(((uint64_t)p & (obj - 1)) == 0);
	memset(p, KHEAP_POISON, obj);
	flags = spin_lock_irqsave(&heap_lock);
	KASSERT(used >= obj && live > 0 && f->pt_entries > 0);
	used -= obj;
	live--;
	was_full = f->slab_free == 0;
	o->next = f->slab_free;
	f->slab_free = (uint32_t)((uint64_t)p & PAGE_MASK) + 1;
	if (--f->pt_entries == 0) {
		if (!was_full)
			kheap_unlink_locked(f, c);
		f->slab_free = 0;
		frame_free(frame_paddr(f)); /* the empty slab goes back (it is poisoned there) */
	} else if (was_full) {
		f->next = partial[c];
		partial[c] = frame_link(f);
	}
	spin_unlock_irqrestore(&heap_lock, flags);
}

size_t kheap_used(void)
{
	return __atomic_load_n(&used, __ATOMIC_RELAXED);
}

size_t kheap_live_objects(void)
{
	return __atomic_load_n(&live, __ATOMIC_RELAXED);
}
