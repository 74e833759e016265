/*
 * witness.c - the debug kernel's run-time witnesses (see kern/witness.h): shootdown rounds and
 * the frames waiting for them, pending flushes per page-table root, the spinlocks each CPU
 * holds, residency at every switch, and the checks on every return to user space.
 *
 * Invariants:
 *   W1. rounds[seq % WITNESS_ROUNDS] describes round seq from witness_round_open() until a
 *       later round takes the slot, which happens only once seq is complete (else reported).
 *   W2. wcpu[c] is touched only by CPU c (kernel code is never preempted, so a thread stays
 *       on one CPU between a lock and its release, or a PTE change and its round).
 */
#include <stdarg.h>
#include <arch/cpu.h>
#include <arch/layout.h>
#include <arch/mmu.h>
#include <kern/panic.h>
#include <kern/percpu.h>
#include <kern/printf.h>
#include <kern/spinlock.h>
#include <kern/witness.h>
#include <mm/aspace.h>
#include <mm/frame.h>

static const char *const kind_names[WITNESS_KIND_COUNT] = {
	[WITNESS_FRAME_EARLY_FREE] = "frame-freed-before-shootdown",
	[WITNESS_UNFLUSHED] = "pte-weakened-without-shootdown",
	[WITNESS_LOCK_HELD] = "lock-held-on-return-to-user",
	[WITNESS_LOCK_PAIR] = "lock-release-unpaired",
	[WITNESS_RESIDENCY] = "residency-cr3-mismatch",
	[WITNESS_STATE_BYPASS] = "state-written-outside-transition",
};

const char *witness_kind_name(enum witness_kind k)
{
	return k < WITNESS_KIND_COUNT ? kind_names[k] : "unknown";
}

#ifdef CAPOS_DEBUG

#define WITNESS_ROUNDS 1024 /* W1: far more than rounds in flight (one per issuing thread) */
#define WITNESS_MAX_HELD 32 /* deepest lock nesting recorded per CPU */

struct witness_round {
	uint32_t seq;   /* round in this slot (0: none yet) */
	uint64_t mask;  /* CPUs that must acknowledge */
	uint64_t acked; /* CPUs that did */
};

struct witness_cpu {
	struct witness_expect *expect;             /* armed by a kernel test, or NULL */
	const struct spinlock *held[WITNESS_MAX_HELD]; /* locks held, oldest first */
	unsigned nheld;                            /* entries of held (may exceed the array) */
	paddr_t cert_root;                         /* root certified not resident, 0 = none */
	paddr_t pend_root;                         /* root this CPU last weakened a PTE of */
	uint32_t pend;                             /* of those, not yet covered by a round */
};

static struct witness_round rounds[WITNESS_ROUNDS];
static uint32_t next_seq = 1;
static struct witness_cpu wcpu[MAX_CPUS];

static struct witness_cpu *me(void)
{
	return &wcpu[cpu_id()];
}

/* One line per violation; panics unless this CPU's test expects the kind. */
static void witness_report(enum witness_kind k, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void witness_report(enum witness_kind k, const char *fmt, ...)
{
	struct witness_expect *we = me()->expect;
	char buf[200];
	va_list ap;

	va_start(ap, fmt);
	kvsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	kprintf("WITNESS %s: %s (cpu %u)\n", kind_names[k], buf, cpu_id());
	if (we && we->kind == k) {
		we->hits++;
		return;
	}
	panic("witness %s: %s", kind_names[k], buf);
}

void witness_expect_begin(struct witness_expect *we, enum witness_kind kind)
{
	we->kind = kind;
	we->hits = 0;
	me()->expect = we;
}

unsigned witness_expect_end(struct witness_expect *we)
{
	if (me()->expect == we)
		me()->expect = NULL;
	return we->hits;
}

/* -- shootdown rounds and the frames waiting for them ---------------------------------------- */

uint32_t witness_round_open(uint64_t mask)
{
	uint32_t seq = __atomic_fetch_add(&next_seq, 1, __ATOMIC_RELAXED);
	struct witness_round *r;

	if (seq == 0) /* wrapped: 0 means "no round" */
		seq = __atomic_fetch_add(&next_seq, 1, __ATOMIC_RELAXED);
	r = &rounds[seq % WITNESS_ROUNDS];
	if (r->seq && !witness_round_complete(r->seq))
		witness_report(WITNESS_FRAME_EARLY_FREE, "round %u still incomplete when %u reuses its "
			       "slot", r->seq, seq);
	__atomic_store_n(&r->seq, 0, __ATOMIC_RELEASE);
	__atomic_store_n(&r->mask, mask, __ATOMIC_RELAXED);
	__atomic_store_n(&r->acked, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&r->seq, seq, __ATOMIC_RELEASE);
	return seq;
}

void witness_round_ack(uint32_t seq, unsigned cpu)
{
	struct witness_round *r = &rounds[seq % WITNESS_ROUNDS];

	if (__atomic_load_n(&r->seq, __ATOMIC_ACQUIRE) == seq)
		__atomic_or_fetch(&r->acked, (uint64_t)1 << cpu, __ATOMIC_RELEASE);
}

bool witness_round_complete(uint32_t seq)
{
	struct witness_round *r = &rounds[seq % WITNESS_ROUNDS];
	uint32_t s = __atomic_load_n(&r->seq, __ATOMIC_ACQUIRE);
	uint64_t mask, acked;

	if (seq == 0 || s == 0)
		return false;
	if (s != seq)
		return s > seq; /* W1: a later round took the slot, so seq had completed */
	mask = __atomic_load_n(&r->mask, __ATOMIC_RELAXED);
	acked = __atomic_load_n(&r->acked, __ATOMIC_ACQUIRE);
	return (acked & mask) == mask;
}

void witness_frame_unhooked(struct frame *f)
{
	f->flags |= FRAME_F_WAITFLUSH;
	f->wseq = 0;
}

void witness_frame_state(struct frame *f, unsigned from)
{
	unsigned shadow = (f->flags & FRAME_F_SHADOW_MASK) >> FRAME_F_SHADOW_SHIFT;

	if (shadow != f->state)
		witness_report(WITNESS_STATE_BYPASS, "frame %lx has state %u, but its last "
			       "frame_transition() left %u (transition from %u)", frame_paddr(f),
			       f->state, shadow, from);
}

void witness_frame_shadow(struct frame *f, unsigned to)
{
	f->flags = (uint8_t)((f->flags & ~FRAME_F_SHADOW_MASK) | (to << FRAME_F_SHADOW_SHIFT));
}

void witness_frame_stamp(struct frame *f, uint32_t seq)
{
	if (f->flags & FRAME_F_WAITFLUSH)
		f->wseq = seq;
}

void witness_frame_release(struct frame *f, paddr_t pa)
{
	struct witness_cpu *w = me();

	if (pa == w->cert_root)
		w->cert_root = 0; /* the certified root itself is freed: the teardown is over */
	if (pa == w->pend_root)
		w->pend_root = 0, w->pend = 0; /* a root freed holds no pending change */
	if (!(f->flags & FRAME_F_WAITFLUSH))
		return;
	if (f->wseq == 0 && !w->cert_root)
		witness_report(WITNESS_FRAME_EARLY_FREE, "frame %lx unhooked, released with no "
			       "shootdown round and no not-resident certificate", pa);
	else if (f->wseq != 0 && !w->cert_root && !witness_round_complete(f->wseq))
		witness_report(WITNESS_FRAME_EARLY_FREE, "frame %lx released before round %u was "
			       "acknowledged by every CPU", pa, f->wseq);
	f->flags &= (uint8_t)~FRAME_F_WAITFLUSH;
	f->wseq = 0;
}

/* -- pending flushes per page-table root ---------------------------------------------------- */

void witness_pte_weakened(paddr_t root, vaddr_t va)
{
	struct witness_cpu *w = me();

	if (w->cert_root && w->cert_root != root)
		w->cert_root = 0; /* the certificate covers one root only */
	if (va >= USER_TOP || root == arch_mmu_kernel_root())
		return;
	__atomic_add_fetch(&frame_of(root)->wseq, 1, __ATOMIC_RELAXED);
	if (w->pend_root != root) {
		w->pend_root = root;
		w->pend = 0;
	}
	w->pend++;
}

void witness_pte_flushed(paddr_t root, uint32_t npages)
{
	struct witness_cpu *w = me();
	uint32_t *p = &frame_of(root)->wseq;
	uint32_t v = __atomic_load_n(p, __ATOMIC_RELAXED);

	if (w->pend_root == root)
		w->pend = w->pend > npages ? w->pend - npages : 0;

	/* The changes and the round are serialised by the address-space lock. */
	__atomic_store_n(p, v > npages ? v - npages : 0, __ATOMIC_RELAXED);
}

void witness_not_resident(paddr_t root)
{
	struct witness_cpu *w = me();

	__atomic_store_n(&frame_of(root)->wseq, 0, __ATOMIC_RELAXED);
	w->cert_root = root;
	if (w->pend_root == root)
		w->pend = 0;
}

uint32_t witness_pte_pending(paddr_t root)
{
	return __atomic_load_n(&frame_of(root)->wseq, __ATOMIC_RELAXED);
}

/* -- spinlocks held per CPU ----------------------------------------------------------------- */

void witness_lock_acquired(struct spinlock *l)
{
	struct witness_cpu *w = me();

	if (w->nheld < WITNESS_MAX_HELD)
		w->held[w->nheld] = l;
	w->nheld++;
}

void witness_lock_releasing(struct spinlock *l)
{
	struct witness_cpu *w = me();
	unsigned n = w->nheld < WITNESS_MAX_HELD ? w->nheld : WITNESS_MAX_HELD;
	unsigned i;

	if (l->name == aspace_lock_class) {
		const struct aspace *as = (const struct aspace *)((const char *)l -
								  offsetof(struct aspace, lock));
		uint32_t pending = witness_pte_pending(as->root);
		if (pending)
			witness_report(WITNESS_UNFLUSHED, "address-space lock of as %u released with "
				       "%u weakened or removed PTE(s) not covered by a shootdown",
				       as->id, pending);
	}
	for (i = n; i-- > 0;)
		if (w->held[i] == l)
			break;
	if (i == (unsigned)-1 && w->nheld <= WITNESS_MAX_HELD) {
		witness_report(WITNESS_LOCK_PAIR, "release of %s, which this CPU did not acquire",
			       l->name);
		return;
	}
	if (i != (unsigned)-1) {
		for (; i + 1 < n; i++)
			w->held[i] = w->held[i + 1];
	}
	w->nheld--;
}

unsigned witness_locks_held(void)
{
	return me()->nheld;
}

const char *witness_lock_held_name(unsigned i)
{
	struct witness_cpu *w = me();

	return i < w->nheld && i < WITNESS_MAX_HELD ? w->held[i]->name : NULL;
}

/* -- residency and the return to user space -------------------------------------------------- */

void witness_switch(const struct aspace *from, const struct aspace *to, bool after)
{
	unsigned id = cpu_id();
	uint64_t bit = (uint64_t)1 << id;
	const struct aspace *loaded = after ? to : from;
	paddr_t want = loaded ? loaded->root : arch_mmu_kernel_root();
	paddr_t cr3 = read_cr3() & ~(uint64_t)PAGE_MASK;

	me()->cert_root = 0;
	if (cr3 != want)
		witness_report(WITNESS_RESIDENCY, "CR3 %lx, but cpu %u's address space %s has root %lx",
			       cr3, id, after ? "switched to" : "switched from", want);
	if (loaded && !(__atomic_load_n(&loaded->resident, __ATOMIC_ACQUIRE) & bit))
		witness_report(WITNESS_RESIDENCY, "as %u loaded in CR3 but its resident mask %lx "
			       "lacks cpu %u", loaded->id, (uint64_t)loaded->resident, id);
	if (after && from && from != to &&
	    (__atomic_load_n(&from->resident, __ATOMIC_ACQUIRE) & bit))
		witness_report(WITNESS_RESIDENCY, "as %u switched away but still resident on cpu %u",
			       from->id, id);
}

void witness_return_to_user(void)
{
	struct witness_cpu *w = me();

	w->cert_root = 0;
	if (w->nheld) {
		char names[120];
		size_t off = 0;
		names[0] = '\0';
		for (unsigned i = 0; i < w->nheld && i < WITNESS_MAX_HELD && off < sizeof(names); i++)
			off += ksnprintf(names + off, sizeof(names) - off, "%s%s", i ? "," : "",
					 w->held[i]->name);
		witness_report(WITNESS_LOCK_HELD, "%u spinlock(s) held: %s", w->nheld, names);
	}
	/* Only this CPU's own changes: another CPU may be between its PTE stores and its round
	 * under the address-space lock while this one returns to the same address space. */
	if (w->pend)
		witness_report(WITNESS_UNFLUSHED, "returning to user space with %u PTE(s) of root %lx "
			       "weakened or removed by this CPU and not covered by a shootdown",
			       w->pend, w->pend_root);
}

#endif /* CAPOS_DEBUG */
