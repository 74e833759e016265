/*
 * shootdown.c - the kernel side of the TLB shootdown protocol: issues one round per gather
 * (local flush, one ipi_call to the other resident CPUs), records the targets'
 * acknowledgements in kernel/lib's tlbgen, and frees deferred frames only after completion.
 * See mm/shootdown.h for the use and lib/tlbgen.h for the bookkeeping's invariants.
 */
#include <arch/cpu.h>
#include <arch/tlb.h>
#include <kern/ipi.h>
#include <kern/percpu.h>
#include <kern/spinlock.h>
#include <kern/witness.h>
#include <lib/assert.h>
#include <mm/aspace.h>
#include <mm/shootdown.h>

/*
 * tlb_lock protects every address space's `tlb` (struct tlbgen_as) and `totals`.
 * Taken with interrupts disabled, never held across ipi_call() (which needs them enabled),
 * never taken by the IPI handler (targets report through the request instead).
 */
static struct spinlock tlb_lock = SPINLOCK_INIT("tlb_shootdown");
static struct tlbgen_counters totals;

/*
 * What the targets of one round need, on the issuer's stack for the duration of ipi_call().
 * Invariants:
 *   I1. acked[c] == gen iff target c ran tlb_flush_ipi() for this round.
 * Locking: written before the IPIs (issuer), acked[c] only by CPU c, read after ipi_call().
 */
struct tlb_request {
	const struct aspace *as;
	const vaddr_t *va;
	uint32_t npages;
	bool flush_all;
	uint64_t gen;
	uint32_t wseq; /* the witness's number for this round (kern/witness.h) */
	uint64_t acked[MAX_CPUS];
};

_Static_assert(sizeof(struct tlbgen_counters) % sizeof(uint64_t) == 0,
	       "tlbgen_counters must be made of uint64_t fields only");

/* totals += after - before, field by field (counters only grow). */
static void totals_add_locked(const struct tlbgen_counters *before,
			      const struct tlbgen_counters *after)
{
	const uint64_t *b = (const uint64_t *)before, *a = (const uint64_t *)after;
	uint64_t *t = (uint64_t *)&totals;

	KASSERT(spin_held(&tlb_lock));
	for (size_t i = 0; i < sizeof(totals) / sizeof(uint64_t); i++)
		t[i] += a[i] - b[i];
}

/* TLB: local — invalidate the round's pages (or everything) on this CPU. */
static void flush_round_local(const vaddr_t *va, uint32_t npages, bool flush_all)
{
	if (flush_all) {
		tlb_flush_local_all();
		return;
	}
	for (uint32_t i = 0; i < npages; i++)
		tlb_flush_local_page(va[i]);
}

/*
 * The IPI handler (interrupt context). A target that has loaded another root since the
 * snapshot holds no entry of the address space (the CR3 reload dropped them all), so it only
 * acknowledges. TLB: local, on each target.
 */
static void tlb_flush_ipi(void *arg)
{
	struct tlb_request *req = arg;
	struct cpu *c = this_cpu();

	if (c->aspace == req->as)
		flush_round_local(req->va, req->npages, req->flush_all);
	witness_round_ack(req->wseq, c->id);
	__atomic_store_n(&req->acked[c->id], req->gen, __ATOMIC_RELEASE);
}

void tlb_gather_init(struct tlb_gather *tg, struct aspace *as)
{
	tg->as = as;
	tlbgen_gather_init(&tg->g, &as->tlb);
	tg->frames = (struct frame_list){ 0, 0 };
	tg->tables = (struct frame_list){ 0, 0 };
}

void tlb_gather_page(struct tlb_gather *tg, vaddr_t va)
{
	uint32_t n = tg->g.npages;

	KASSERT(IS_PAGE_ALIGNED(va));
	if (n < TLBGEN_FLUSH_ALL_PAGES)
		tg->va[n] = va;
	/* The gather is private to this thread until issued: no lock needed. */
	KASSERT(tlbgen_gather_add_pages(&tg->g, 1) == KERR_OK);
}

void tlb_defer_frame_free(struct tlb_gather *tg, paddr_t pa)
{
	struct frame *f = frame_of(pa);

	KASSERT(f->state == FRAME_UNHOOKED && tg->g.npages > 0);
	KASSERT(tlbgen_gather_add_frames(&tg->g, 1) == KERR_OK);
	frame_list_push(&tg->frames, f);
}

void tlb_defer_table_free(struct tlb_gather *tg, struct frame_list *tables)
{
	struct frame *f;

	KASSERT(tg->g.state == TLBGEN_GATHER_OPEN);
	while ((f = frame_list_pop(tables)))
		frame_list_push(&tg->tables, f);
}

/*
 * Issue under tlb_lock with interrupts disabled, so the resident snapshot, "self" and the
 * local flush all refer to the same CPU. The snapshot is read after a full fence: a CPU
 * missing from it set its resident bit after our PTE stores, so its CR3 load cannot see the
 * old entries (aspace_switch sets the bit before loading CR3).
 */
static void issue_locked(struct tlb_gather *tg, struct tlbgen_round *r, uint32_t *wseq)
{
	struct tlbgen_as *st = &tg->as->tlb;
	struct tlbgen_counters before = st->c;
	unsigned self = cpu_id();
	cpumask_t resident;

	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	resident = __atomic_load_n(&tg->as->resident, __ATOMIC_SEQ_CST);
	KASSERT(tlbgen_gather_issue(&tg->g, resident, self, r) == KERR_OK);
	/* Witness: every frame and table of the round waits for this round's acknowledgements,
	 * and the round covers the gather's pending PTE changes. */
	*wseq = witness_round_open(resident);
	frame_list_witness_stamp(&tg->frames, *wseq);
	frame_list_witness_stamp(&tg->tables, *wseq);
	witness_pte_flushed(tg->as->root, tg->g.npages);
	if (r->local) {
		flush_round_local(tg->va, tg->g.npages, r->flush_all);
		witness_round_ack(*wseq, self);
		KASSERT(tlbgen_ack(st, self, r->gen) == KERR_OK);
	}
	totals_add_locked(&before, &st->c);
}

/* Fold the targets' acknowledgements into the bookkeeping. */
static void record_acks(struct tlb_gather *tg, const struct tlb_request *req, cpumask_t targets)
{
	struct tlbgen_as *st = &tg->as->tlb;
	uint64_t flags = spin_lock_irqsave(&tlb_lock);
	struct tlbgen_counters before = st->c;

	for (unsigned c = 0; c < ncpus; c++)
		if (((targets >> c) & 1) &&
		    __atomic_load_n(&req->acked[c], __ATOMIC_ACQUIRE) == req->gen)
			KASSERT(tlbgen_ack(st, c, req->gen) == KERR_OK);
	totals_add_locked(&before, &st->c);
	spin_unlock_irqrestore(&tlb_lock, flags);
}

void tlb_shootdown(struct tlb_gather *tg)
{
	struct tlb_request req = { .as = tg->as, .va = tg->va };
	struct tlbgen_round r;
	uint64_t flags;

	if (tg->g.npages == 0) {
		/* Nothing unhooked, nothing weakened: no round, and nothing may be queued. */
		KASSERT(tg->frames.count == 0 && tg->tables.count == 0);
		return;
	}
	KASSERT(irq_enabled());
	flags = spin_lock_irqsave(&tlb_lock);
	issue_locked(tg, &r, &req.wseq);
	spin_unlock_irqrestore(&tlb_lock, flags);
	if (r.targets == 0)
		return;
	req.npages = tg->g.npages;
	req.flush_all = r.flush_all;
	req.gen = r.gen;
	/* One call for the whole round; it returns once every target ran tlb_flush_ipi(). If
	 * this thread moved to a target CPU meanwhile, ipi_call runs the handler here too. */
	ipi_call(r.targets, tlb_flush_ipi, &req);
	record_acks(tg, &req, r.targets);
}

/* Scrub and free the deferred frames of a complete round. TLB: none (already flushed). */
static void release_frames(struct tlb_gather *tg)
{
	struct tlbgen_as *st = &tg->as->tlb;
	struct frame *f;

	while ((f = frame_list_pop(&tg->frames))) {
		uint64_t flags = spin_lock_irqsave(&tlb_lock);
		struct tlbgen_counters before = st->c;
		bool ok = tlbgen_count_free(st, tg->g.batch.gen, tg->g.batch.mask, 1);

		totals_add_locked(&before, &st->c);
		spin_unlock_irqrestore(&tlb_lock, flags);
		if (!ok)
			continue; /* counted in frames_freed_early; left unhooked, never reused */
		frame_transition(f, FRAME_UNHOOKED, FRAME_FLUSHED);
		frame_free(frame_paddr(f)); /* FRAME_FLUSHED -> FRAME_FREE, poisoned */
	}
	frame_list_free(&tg->tables);
}

void tlb_shootdown_wait(struct tlb_gather *tg)
{
	struct tlbgen_as *st = &tg->as->tlb;
	struct tlbgen_counters before;
	uint64_t flags;
	kerr_t err;

	if (tg->g.state == TLBGEN_GATHER_OPEN) {
		KASSERT(tg->g.npages == 0 && tg->frames.count == 0 && tg->tables.count == 0);
		return;
	}
	flags = spin_lock_irqsave(&tlb_lock);
	before = st->c;
	err = tlbgen_gather_finish(&tg->g);
	totals_add_locked(&before, &st->c);
	spin_unlock_irqrestore(&tlb_lock, flags);
	/* ipi_call() returned only after every target acknowledged: incomplete is a bug. */
	KASSERT(err == KERR_OK);
	release_frames(tg);
}

void tlb_shootdown_counters(struct aspace *as, struct tlbgen_counters *out)
{
	uint64_t flags = spin_lock_irqsave(&tlb_lock);

	*out = as->tlb.c;
	spin_unlock_irqrestore(&tlb_lock, flags);
}

void tlb_shootdown_counters_global(struct tlbgen_counters *out)
{
	uint64_t flags = spin_lock_irqsave(&tlb_lock);

	*out = totals;
	spin_unlock_irqrestore(&tlb_lock, flags);
}

void tlb_flush_all_ipi(void *arg)
{
	tlb_flush_local_all();
	witness_round_ack(*(const uint32_t *)arg, cpu_id());
}

uint32_t tlb_kernel_round_open(const struct frame_list *fl)
{
	uint32_t wseq = witness_round_open(cpumask_all());

	frame_list_witness_stamp(fl, wseq);
	return wseq;
}

void tlb_kernel_release_frames(struct frame_list *fl)
{
	uint32_t wseq = tlb_kernel_round_open(fl);
	struct frame *f;

	ipi_call(cpumask_all(), tlb_flush_all_ipi, &wseq);
	while ((f = frame_list_pop(fl))) {
		if (f->state == FRAME_UNHOOKED)
			frame_transition(f, FRAME_UNHOOKED, FRAME_FLUSHED);
		frame_free(frame_paddr(f));
	}
}
