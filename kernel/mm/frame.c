/*
 * frame.c - physical frames: the metadata array, the free list, the frame state machine,
 * poisoning on free and checking on allocation. See mm/frame.h for states and invariants.
 */
#include <kern/panic.h>
#include <kern/printf.h>
#include <kern/spinlock.h>
#include <kern/string.h>
#include <kern/witness.h>
#include <lib/assert.h>
#include <lib/elig.h>
#include <mm/frame.h>
#include <mm/memmap.h>
#include <mm/phys.h>

static struct frame *frames;  /* frames[pa >> PAGE_SHIFT], for pa < frames_end */
static size_t nframes;        /* entries in frames[] */
static size_t total_frames;   /* allocatable frames */
static size_t free_frames;    /* frames on the free list (I1) */
static uint32_t free_head;    /* index + 1 of the first free frame */
static uint32_t fail_countdown; /* failure injection: the countdown-th allocation fails */
static struct spinlock frame_lock = SPINLOCK_INIT("frame");

/* Edges of the frame machine: legal[from] has bit `to` set. */
static const uint8_t legal[FRAME_STATE_COUNT] = {
	[FRAME_FREE] = 1u << FRAME_ALLOCATED,
	[FRAME_ALLOCATED] = (1u << FRAME_FREE) | (1u << FRAME_MAPPED),
	[FRAME_MAPPED] = 1u << FRAME_UNHOOKED,
	[FRAME_UNHOOKED] = 1u << FRAME_FLUSHED,
	[FRAME_FLUSHED] = (1u << FRAME_FREE) | (1u << FRAME_ALLOCATED),
};

bool frame_edge_legal(enum frame_state from, enum frame_state to)
{
	return from < FRAME_STATE_COUNT && to < FRAME_STATE_COUNT && (legal[from] >> to) & 1;
}

void frame_transition(struct frame *f, enum frame_state from, enum frame_state to)
{
	witness_frame_state(f, from); /* nothing else wrote the state byte (I6) */
	DASSERT(f->state == from);
	DASSERT(frame_edge_legal(from, to));
	DASSERT(!(f->flags & FRAME_F_RESERVED));
	if (to == FRAME_FLUSHED)
		witness_frame_release(f, frame_paddr(f)); /* its round completed (I5) */
	f->state = (uint8_t)to;
	witness_frame_shadow(f, to);
	if (to == FRAME_UNHOOKED)
		witness_frame_unhooked(f); /* now waits for a round (I5) */
}

struct frame *frame_of(paddr_t pa)
{
	size_t i = pa >> PAGE_SHIFT;

	KASSERT(i < nframes && !(frames[i].flags & FRAME_F_RESERVED));
	return &frames[i];
}

paddr_t frame_paddr(const struct frame *f)
{
	return (paddr_t)(f - frames) << PAGE_SHIFT;
}

/* I7: the kind bit an owner implies. */
static unsigned owner_kind_bits(unsigned owner)
{
	switch (owner) {
	case FRAME_OWNER_PAGETABLE:
		return ELIG_PAGETABLE;
	case FRAME_OWNER_CAPTABLE:
		return ELIG_CAPTABLE;
	case FRAME_OWNER_HEAP:
	case FRAME_OWNER_KERNEL:
		return ELIG_KERNEL;
	default:
		return 0;
	}
}

static void frame_poison(paddr_t pa)
{
	uint64_t *p = phys_to_virt(pa);

	for (size_t i = 0; i < PAGE_SIZE / 8; i++)
		p[i] = FRAME_POISON;
}

static void frame_check_poison(paddr_t pa)
{
	const uint64_t *p = phys_to_virt(pa);

	for (size_t i = 0; i < PAGE_SIZE / 8; i++) {
		if (p[i] != FRAME_POISON) {
			kprintf("frame: %lx written after free (offset %zu: %lx)\n", pa, i * 8, p[i]);
			KASSERT(!"freed frame's poison intact");
		}
	}
}

/* Take the metadata array out of the first usable range large enough to hold it. */
static void frame_place_array(void)
{
	size_t bytes = PAGE_ALIGN_UP(nframes * sizeof(struct frame));

	for (unsigned r = 0; r < memmap_count(); r++) {
		const struct mem_range *m = memmap_range(r);
		if (m->end - m->base < bytes)
			continue;
		frames = phys_to_virt(m->base);
		memset(frames, 0, bytes);
		for (size_t i = 0; i < nframes; i++)
			frames[i].flags = FRAME_F_RESERVED;
		/* The array's own frames stay reserved: start allocating after it. */
		for (paddr_t pa = m->base + bytes; pa < m->end; pa += PAGE_SIZE)
			frames[pa >> PAGE_SHIFT].flags = 0;
		return;
	}
	panic("frame: no usable range holds the %zu-byte frame array", bytes);
}

void frame_init(void)
{
	nframes = memmap_top() >> PAGE_SHIFT;
	frame_place_array();
	for (unsigned r = 0; r < memmap_count(); r++) {
		const struct mem_range *m = memmap_range(r);
		for (paddr_t pa = m->base; pa < m->end; pa += PAGE_SIZE) {
			struct frame *f = &frames[pa >> PAGE_SHIFT];
			if (f->flags & FRAME_F_RESERVED)
				continue;
			/* Not yet poisoned: frame_alloc zeroes it either way (poisoning 256 MiB
			 * at boot would cost most of the boot time under TCG). */
			f->next = free_head;
			free_head = (uint32_t)(pa >> PAGE_SHIFT) + 1;
			total_frames++;
		}
	}
	free_frames = total_frames;
	kprintf("frame: %zu frames (%zu MiB) free, metadata %zu KiB\n", free_frames,
		free_frames >> 8, (nframes * sizeof(struct frame)) >> 10);
}

kerr_t frame_alloc(enum frame_owner owner, paddr_t *out)
{
	uint64_t flags = spin_lock_irqsave(&frame_lock);
	struct frame *f;
	paddr_t pa;

	if (fail_countdown && --fail_countdown == 0) {
		spin_unlock_irqrestore(&frame_lock, flags);
		return KERR_NO_MEMORY;
	}
	if (!free_head) {
		spin_unlock_irqrestore(&frame_lock, flags);
		return KERR_NO_MEMORY;
	}
	f = &frames[free_head - 1];
	free_head = f->next;
	free_frames--;
	frame_transition(f, FRAME_FREE, FRAME_ALLOCATED);
	f->next = 0;
	f->wseq = 0;
	f->owner = (uint8_t)owner;
	spin_unlock_irqrestore(&frame_lock, flags);

	/* Ours alone from here. I7: no stale bit reaches the next owner (checked outside the
	 * lock, so a test can catch the assertion). */
	DASSERT(f->elig == 0);
	f->elig = (uint16_t)owner_kind_bits(owner);
	pa = frame_paddr(f);
	if (f->flags & FRAME_F_POISONED)
		frame_check_poison(pa);
	f->flags &= ~FRAME_F_POISONED;
	memset(phys_to_virt(pa), 0, PAGE_SIZE);
	*out = pa;
	return KERR_OK;
}

void frame_free(paddr_t pa)
{
	struct frame *f = frame_of(pa);
	uint64_t flags;

	KASSERT(IS_PAGE_ALIGNED(pa));
	KASSERT(f->pins == 0);
	KASSERT(f->pt_entries == 0);
	/* I7: the code that gave the page a role took it away before releasing it. */
	KASSERT((f->elig & ~owner_kind_bits(f->owner)) == 0);
	witness_frame_release(f, pa); /* an unlinked page-table page: its round completed (I5) */
	frame_poison(pa);
	flags = spin_lock_irqsave(&frame_lock);
	if (f->state == FRAME_FLUSHED)
		frame_transition(f, FRAME_FLUSHED, FRAME_FREE);
	else
		frame_transition(f, FRAME_ALLOCATED, FRAME_FREE);
	f->owner = FRAME_OWNER_NONE;
	f->elig = 0; /* the kind bit goes with the owner (I7) */
	f->aux = 0;
	f->flags |= FRAME_F_POISONED;
	f->next = free_head;
	free_head = (uint32_t)(pa >> PAGE_SHIFT) + 1;
	free_frames++;
	spin_unlock_irqrestore(&frame_lock, flags);
}

size_t frame_free_count(void)
{
	return __atomic_load_n(&free_frames, __ATOMIC_RELAXED);
}

size_t frame_total_count(void)
{
	return total_frames;
}

/* Atomic: a MemoryObject's frame is pinned from every address space mapping it, each under
 * its own lock. */
void frame_pin(struct frame *f)
{
	uint16_t pins;

	KASSERT(f->state != FRAME_FREE);
	pins = __atomic_add_fetch(&f->pins, 1, __ATOMIC_RELAXED);
	KASSERT(pins != 0); /* no wrap */
}

void frame_unpin(struct frame *f)
{
	uint16_t was = __atomic_fetch_sub(&f->pins, 1, __ATOMIC_RELAXED);

	KASSERT(was > 0);
}

#define ELIG_ROLE_BITS (ELIG_OBJECT | ELIG_RING | ELIG_SHARED_IPC | ELIG_SECRET | ELIG_DMA)

unsigned frame_elig_bits(const struct frame *f)
{
	unsigned bits = __atomic_load_n(&f->elig, __ATOMIC_RELAXED);

	if (__atomic_load_n(&f->pins, __ATOMIC_RELAXED))
		bits |= ELIG_PINNED;
	return bits;
}

static struct elig_page frame_elig_snapshot(const struct frame *f)
{
	unsigned st = __atomic_load_n(&f->state, __ATOMIC_RELAXED);
	struct elig_page p = { ELIG_RES_OWNED, (uint16_t)frame_elig_bits(f) };

	if (st == FRAME_FREE)
		p.residency = ELIG_RES_FREE;
	else if (st == FRAME_UNHOOKED || st == FRAME_FLUSHED)
		p.residency = ELIG_RES_TRANSIT;
	return p;
}

/* struct elig_page's invariants hold for the frame's snapshot (I7). */
static inline bool frame_elig_ok(const struct frame *f)
{
	struct elig_page p = frame_elig_snapshot(f);

	return elig_page_check(&p) == 0;
}

void frame_elig_set(struct frame *f, unsigned bits)
{
	KASSERT(!(bits & ~ELIG_ROLE_BITS));
	KASSERT(f->state != FRAME_FREE);
	__atomic_fetch_or(&f->elig, (uint16_t)bits, __ATOMIC_RELAXED);
	DASSERT(frame_elig_ok(f));
}

void frame_elig_clear(struct frame *f, unsigned bits)
{
	KASSERT(!(bits & ~ELIG_ROLE_BITS));
	KASSERT(f->state != FRAME_FREE);
	__atomic_fetch_and(&f->elig, (uint16_t)~bits, __ATOMIC_RELAXED);
}

enum elig_reason frame_eligibility(paddr_t pa, enum elig_purpose purpose)
{
	size_t i = pa >> PAGE_SHIFT;
	struct elig_page p = { ELIG_RES_UNMANAGED, 0 };

	if (IS_PAGE_ALIGNED(pa) && i < nframes && !(frames[i].flags & FRAME_F_RESERVED))
		p = frame_elig_snapshot(&frames[i]);
	return elig_query(&p, purpose);
}

void frame_list_push(struct frame_list *l, struct frame *f)
{
	KASSERT(f->next == 0);
	f->next = l->head;
	l->head = (uint32_t)(f - frames) + 1;
	l->count++;
}

struct frame *frame_list_pop(struct frame_list *l)
{
	struct frame *f;

	if (!l->head)
		return NULL;
	f = &frames[l->head - 1];
	l->head = f->next;
	f->next = 0;
	l->count--;
	return f;
}

void frame_list_witness_stamp(const struct frame_list *l, uint32_t seq)
{
	for (uint32_t i = l->head; i; i = frames[i - 1].next)
		witness_frame_stamp(&frames[i - 1], seq);
}

void frame_list_free(struct frame_list *l)
{
	struct frame *f;

	while ((f = frame_list_pop(l)))
		frame_free(frame_paddr(f));
}

void frame_inject_failure(unsigned nth)
{
	uint64_t flags = spin_lock_irqsave(&frame_lock);

	fail_countdown = nth;
	spin_unlock_irqrestore(&frame_lock, flags);
}
