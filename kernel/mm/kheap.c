/*
 * kheap.c - the kernel heap: one free list per power-of-two size class, slabs of one frame.
 * Slab frames are never returned to the frame allocator (the heap's footprint only grows);
 * the usage counter tracks live bytes. See mm/kheap.h.
 */
#include <kern/panic.h>
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
	struct kheap_free *next;
};

/*
 * Invariants:
 *   I1. Every object on free_lists[c] is 1 << (c + KHEAP_MIN_SHIFT) bytes, inside a frame
 *       with owner FRAME_OWNER_HEAP and aux == c, and poisoned except its first 8 bytes.
 *   I2. used == sum of the class sizes of live objects; live == their count.
 * Locking: heap_lock (irqsave) protects the lists and counters.
 */
static struct kheap_free *free_lists[KHEAP_CLASSES];
static size_t used, live;
static struct spinlock heap_lock = SPINLOCK_INIT("kheap");

static unsigned kheap_class(size_t size)
{
	unsigned c = 0;

	while (((size_t)1 << (c + KHEAP_MIN_SHIFT)) < size)
		c++;
	return c;
}

static bool kheap_refill_locked(unsigned c)
{
	size_t obj = (size_t)1 << (c + KHEAP_MIN_SHIFT);
	paddr_t pa;
	uint8_t *page;

	KASSERT(spin_held(&heap_lock));
	if (frame_alloc(FRAME_OWNER_HEAP, &pa) != KERR_OK)
		return false;
	frame_of(pa)->aux = (uint8_t)c;
	page = phys_to_virt(pa);
	memset(page, KHEAP_POISON, PAGE_SIZE);
	for (size_t off = 0; off < PAGE_SIZE; off += obj) {
		struct kheap_free *f = (struct kheap_free *)(page + off);
		f->next = free_lists[c];
		free_lists[c] = f;
	}
	return true;
}

static void kheap_check_poison(const void *p, size_t size)
{
	const uint8_t *b = p;

	for (size_t i = sizeof(struct kheap_free); i < size; i++)
		if (b[i] != KHEAP_POISON)
			panic("kheap: object %p written after free (offset %zu)", p, i);
}

void *kmalloc(size_t size)
{
	unsigned c;
	uint64_t flags;
	struct kheap_free *f;

	if (size == 0 || size > KHEAP_MAX)
		return NULL;
	c = kheap_class(size);
	flags = spin_lock_irqsave(&heap_lock);
	if (!free_lists[c] && !kheap_refill_locked(c)) {
		spin_unlock_irqrestore(&heap_lock, flags);
		return NULL;
	}
	f = free_lists[c];
	free_lists[c] = f->next;
	used += (size_t)1 << (c + KHEAP_MIN_SHIFT);
	live++;
	spin_unlock_irqrestore(&heap_lock, flags);
	kheap_check_poison(f, (size_t)1 << (c + KHEAP_MIN_SHIFT));
	memset(f, 0, size);
	return f;
}

void kfree(void *p)
{
	struct frame *fr;
	size_t obj;
	uint64_t flags;
	struct kheap_free *f = p;

	if (!p)
		return;
	fr = frame_of(virt_to_phys(p));
	KASSERT(fr->owner == FRAME_OWNER_HEAP);
	obj = (size_t)1 << (fr->aux + KHEAP_MIN_SHIFT);
	KASSERT(((uint64_t)p & (obj - 1)) == 0);
	memset(p, KHEAP_POISON, obj);
	flags = spin_lock_irqsave(&heap_lock);
	KASSERT(used >= obj && live > 0);
	used -= obj;
	live--;
	f->next = free_lists[fr->aux];
	free_lists[fr->aux] = f;
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
