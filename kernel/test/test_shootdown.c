/*
 * test_shootdown.c - kernel tests of the TLB shootdown protocol (mm/shootdown.c) on a test
 * address space made resident on chosen CPUs: IPIs go to the other resident CPUs only, one
 * round per call whatever the page count, a local flush only where the caller is resident,
 * frames freed (scrubbed) only after every acknowledgement, nothing leaked, and no resident
 * CPU reaches an unmapped page or writes a write-protected one afterwards (QEMU's TCG keeps
 * stale translations until invlpg/CR3 reload, so a missing flush shows up as a missing fault).
 */
#include <arch/cpu.h>
#include <arch/cpuprot.h>
#include <arch/mmu.h>
#include <arch/tlb.h>
#include <arch/trap.h>
#include <kern/ipi.h>
#include <kern/kfault.h>
#include <kern/ktest.h>
#include <kern/percpu.h>
#include <kern/printf.h>
#include <mm/aspace.h>
#include <mm/frame.h>
#include <mm/phys.h>
#include <mm/shootdown.h>
#include <proc/thread.h>

#define SD_VA 0x400000ull /* 2 MiB aligned: 512 pages fill exactly one page table */
#define SD_MAX_PAGES 512
#define SD_PROBES 4 /* pages probed per CPU: the first ones and the last */

/*
 * Which CPUs run in the test address space. Only a CPU running its idle thread (or the
 * caller, which is in kernel code) joins: returning from the IPI must not take a user thread
 * back to ring 3 on a foreign root. Any thread switch on such a CPU leaves the test address
 * space again (aspace_switch(next->as)), so residency can change under a test: each round
 * is checked against the snapshot it actually took, and a case is retried until one round
 * ran with exactly the intended residents.
 */
struct sd_ctl {
	struct aspace *as;
	uint32_t npages;
	unsigned caller;                  /* cpu_id() of the test */
	bool write;                       /* probe with a write instead of a read */
	bool join_write;                  /* sd_join writes: the TLB caches writable entries */
	cpumask_t joined;                 /* CPUs that loaded the test address space */
	uint32_t probe_faults[MAX_CPUS];  /* faults seen by sd_probe on each CPU */
	uint32_t probes[MAX_CPUS];
};

static paddr_t sd_pa[SD_MAX_PAGES];

static vaddr_t sd_va(uint32_t i)
{
	return SD_VA + (vaddr_t)i * PAGE_SIZE;
}

/* ipi_call handler: load the test address space and touch its pages so the TLB holds them. */
static void sd_join(void *arg)
{
	struct sd_ctl *ctl = arg;
	struct cpu *c = this_cpu();

	if (c->id != ctl->caller && c->current != c->idle)
		return;
	aspace_switch(ctl->as);
	__atomic_or_fetch(&ctl->joined, (cpumask_t)1 << c->id, __ATOMIC_RELAXED);
	user_access_begin(); /* the test fills this CPU's TLB with user entries on purpose */
	for (uint32_t i = 0; i < ctl->npages; i++) {
		volatile uint64_t *p = (volatile uint64_t *)sd_va(i);
		uint64_t v = *p;

		if (ctl->join_write)
			*p = v; /* sets the dirty bit: the cached entry allows writes */
	}
	user_access_end();
}

/* ipi_call handler: give the running thread its own address space back. */
static void sd_leave(void *arg)
{
	struct sd_ctl *ctl = arg;
	struct cpu *c = this_cpu();

	if (c->aspace == ctl->as)
		aspace_switch(c->current->as);
}

/* Access one page; the access must fault (no stale translation survives the round). */
static void sd_probe_page(struct sd_ctl *ctl, vaddr_t va)
{
	struct kfault_expect fe;
	unsigned me = cpu_id();

	user_access_begin(); /* SMAP would fault every probe, stale entry or not */
	if (kfault_expect_begin(&fe, VEC_PF) == 0) {
		if (ctl->write)
			*(volatile uint64_t *)va = 0xbad;
		else
			(void)*(volatile uint64_t *)va;
		kfault_expect_end(&fe);
	}
	user_access_end(); /* also after the fault: its return kept RFLAGS.AC set */
	ctl->probes[me]++;
	if (fe.hit && fe.cr2 == va)
		ctl->probe_faults[me]++;
}

/* ipi_call handler: probe a few pages on every CPU still in the test address space. */
static void sd_probe(void *arg)
{
	struct sd_ctl *ctl = arg;

	if (this_cpu()->aspace != ctl->as)
		return; /* left since: its root reload dropped every entry */
	for (uint32_t i = 0; i < ctl->npages && i < SD_PROBES - 1; i++)
		sd_probe_page(ctl, sd_va(i));
	sd_probe_page(ctl, sd_va(ctl->npages - 1));
}

/* The caller's CPU (when self) plus the first k other online CPUs. */
static cpumask_t sd_mask(unsigned k, bool self)
{
	cpumask_t m = self ? (cpumask_t)1 << cpu_id() : 0;

	for (unsigned i = 0; i < ncpus && k > 0; i++) {
		if (i != cpu_id()) {
			m |= (cpumask_t)1 << i;
			k--;
		}
	}
	return m;
}

/* Map n test frames read-write at SD_VA. TLB: none (new PTEs only). */
static bool sd_map(struct aspace *as, uint32_t n)
{
	bool ok = true;

	spin_lock(&as->lock);
	for (uint32_t i = 0; i < n && ok; i++) {
		ok = frame_alloc(FRAME_OWNER_TEST, &sd_pa[i]) == KERR_OK;
		if (ok && arch_mmu_map(as->root, sd_va(i), sd_pa[i],
				       MMU_READ | MMU_WRITE | MMU_USER) != KERR_OK) {
			frame_free(sd_pa[i]);
			ok = false;
		}
		if (ok) {
			frame_transition(frame_of(sd_pa[i]), FRAME_ALLOCATED, FRAME_MAPPED);
			*(uint64_t *)phys_to_virt(sd_pa[i]) = 0x5d000000 + i;
		}
	}
	spin_unlock(&as->lock);
	return ok;
}

/* Unmap n pages in ONE gather. TLB: shootdown (one round), frames deferred. */
static tlbgen_mask_t sd_unmap_all(struct aspace *as, uint32_t n)
{
	struct frame_list pt_free = { 0, 0 };
	struct tlb_gather tg;
	paddr_t pa;

	tlb_gather_init(&tg, as);
	spin_lock(&as->lock);
	for (uint32_t i = 0; i < n; i++) {
		KASSERT(arch_mmu_unmap(as->root, sd_va(i), &pa, &pt_free) == KERR_OK);
		frame_transition(frame_of(pa), FRAME_MAPPED, FRAME_UNHOOKED);
		tlb_gather_page(&tg, sd_va(i));
		tlb_defer_frame_free(&tg, pa);
	}
	tlb_defer_table_free(&tg, &pt_free);
	tlb_shootdown(&tg);
	spin_unlock(&as->lock);
	/* Between completion of the round and the release: still unhooked, not free. */
	for (uint32_t i = 0; i < n; i++)
		KASSERT(frame_of(sd_pa[i])->state == FRAME_UNHOOKED);
	tlb_shootdown_wait(&tg);
	return tg.g.batch.mask;
}

static bool sd_scrubbed(paddr_t pa)
{
	const uint64_t *w = phys_to_virt(pa);
	struct frame *f = frame_of(pa);

	return f->state == FRAME_FREE && (f->flags & FRAME_F_POISONED) && w[0] == FRAME_POISON &&
	       w[PAGE_SIZE / sizeof(uint64_t) - 1] == FRAME_POISON;
}

/* Counter deltas of one round. */
struct sd_delta {
	uint64_t rounds, ipis, local, full, deferred, released, early;
};

static struct sd_delta sd_diff(const struct tlbgen_counters *a, const struct tlbgen_counters *b)
{
	return (struct sd_delta){
		.rounds = b->rounds - a->rounds,
		.ipis = b->ipis_sent - a->ipis_sent,
		.local = b->local_flushes - a->local_flushes,
		.full = b->full_flushes - a->full_flushes,
		.deferred = b->frames_deferred - a->frames_deferred,
		.released = b->frames_released - a->frames_released,
		.early = b->frames_freed_early - a->frames_freed_early,
	};
}

#define SD_ATTEMPTS 16

/* Checks of one round against the snapshot it took. */
static void sd_check_round(struct ktest_ctx *t, const struct sd_ctl *ctl, tlbgen_mask_t snap,
			   const struct sd_delta *d, uint32_t n)
{
	tlbgen_mask_t me = (tlbgen_mask_t)1 << ctl->caller;

	KT_ASSERT_EQ(t, d->rounds, 1);
	KT_ASSERT_EQ(t, d->ipis, __builtin_popcountll(snap & ~me));
	KT_ASSERT_EQ(t, d->local, (snap & me) != 0);
	KT_ASSERT_EQ(t, d->full, n > TLBGEN_FLUSH_ALL_PAGES);
	KT_ASSERT_EQ(t, d->deferred, n);
	KT_ASSERT_EQ(t, d->released, n);
	KT_ASSERT_EQ(t, d->early, 0);
	KT_ASSERT_EQ(t, tlbgen_check(&ctl->as->tlb), 0);
	for (unsigned c = 0; c < ncpus; c++) {
		KT_ASSERT_EQ(t, ctl->probe_faults[c], ctl->probes[c]);
		KT_ASSERT(t, !((snap >> c) & 1) || ctl->as->tlb.ack[c] >= ctl->as->tlb.gen);
	}
	for (uint32_t i = 0; i < n; i++)
		KT_ASSERT(t, sd_scrubbed(sd_pa[i]));
}

/*
 * One attempt: resident on the caller (self) and k other CPUs, n pages mapped then unmapped
 * in one call. Returns true when the round's snapshot was exactly the intended residents.
 */
static bool sd_attempt(struct ktest_ctx *t, unsigned k, bool self, uint32_t n)
{
	static struct sd_ctl ctl;
	struct tlbgen_counters c0, c1;
	struct aspace *as;
	cpumask_t mask = sd_mask(k, self);
	size_t free0 = frame_free_count(), free1;
	tlbgen_mask_t snap;
	struct sd_delta d;

	if (aspace_create(&as) != KERR_OK) {
		ktest_fail(t, __FILE__, __LINE__, "aspace_create");
		return false;
	}
	ctl = (struct sd_ctl){ .as = as, .npages = n, .caller = cpu_id() };
	free1 = frame_free_count();
	KASSERT(sd_map(as, n));
	ipi_call(mask, sd_join, &ctl);
	tlb_shootdown_counters(as, &c0);
	snap = sd_unmap_all(as, n);
	tlb_shootdown_counters(as, &c1);
	ipi_call(mask, sd_probe, &ctl);
	ipi_call(mask, sd_leave, &ctl);
	d = sd_diff(&c0, &c1);
	kprintf("ktest:   k=%u self=%d pages=%u snapshot=0x%lx%s: rounds=%lu ipis=%lu local=%lu "
		"full=%lu deferred=%lu released=%lu early=%lu\n", k, self, n, snap,
		snap == mask ? "" : " (residency changed: retry)", d.rounds, d.ipis, d.local,
		d.full, d.deferred, d.released, d.early);
	sd_check_round(t, &ctl, snap, &d, n);
	KASSERT(__atomic_load_n(&as->resident, __ATOMIC_ACQUIRE) == 0);
	if (frame_free_count() != free1)
		ktest_fail(t, __FILE__, __LINE__, "frames leaked by the round");
	aspace_put(as);
	if (frame_free_count() != free0)
		ktest_fail(t, __FILE__, __LINE__, "frames leaked by the address space");
	return snap == mask && ctl.joined == mask;
}

static void sd_case(struct ktest_ctx *t, unsigned k, bool self, uint32_t n)
{
	for (int attempt = 0; attempt < SD_ATTEMPTS && !t->failed; attempt++)
		if (sd_attempt(t, k, self, n))
			return;
	if (!t->failed)
		ktest_fail(t, __FILE__, __LINE__, "no round with exactly %u other residents", k);
}

/* @proves qemu_ktest_shootdown_ipis_to_other_residents_only: frame:FRAME_UNHOOKED->FRAME_FLUSHED frame:FRAME_FLUSHED->FRAME_FREE MAM-D2 */
static void test_shootdown_ipis_to_other_residents_only(struct ktest_ctx *t)
{
	for (unsigned k = 0; k < 4 && k < ncpus; k++) {
		/* The caller resident (as in a process's own unmap) or not (as at exit/reap). */
		for (int self = 1; self >= 0; self--) {
			if (!self && k == 0)
				continue; /* resident nowhere: covered by the host tests */
			sd_case(t, k, self, 1);
			if (t->failed)
				return;
		}
	}
}
KTEST_REGISTER(test_shootdown_ipis_to_other_residents_only);

/* @proves qemu_ktest_shootdown_one_round_whatever_page_count: frame:FRAME_UNHOOKED->FRAME_FLUSHED MAM-D2 */
static void test_shootdown_one_round_whatever_page_count(struct ktest_ctx *t)
{
	static const uint32_t counts[] = { 1, 16, SD_MAX_PAGES };
	unsigned k = ncpus > 3 ? 3 : ncpus - 1;

	for (size_t i = 0; i < ARRAY_SIZE(counts); i++) {
		sd_case(t, k, true, counts[i]);
		if (t->failed)
			return;
		sd_case(t, 0, true, counts[i]);
		if (t->failed)
			return;
	}
}
KTEST_REGISTER(test_shootdown_one_round_whatever_page_count);

/* Write-protect 16 pages while the caller and (normally) three other CPUs hold writable
 * translations: afterwards a write faults on every CPU still in the address space. */
static void test_shootdown_protect_weakening_seen_everywhere(struct ktest_ctx *t)
{
	static struct sd_ctl ctl;
	struct tlbgen_counters c0, c1;
	struct tlb_gather tg;
	struct aspace *as;
	const uint32_t n = 16;
	cpumask_t mask = sd_mask(ncpus > 3 ? 3 : ncpus - 1, true);
	size_t free0 = frame_free_count();

	KT_ASSERT_EQ(t, aspace_create(&as), KERR_OK);
	ctl = (struct sd_ctl){ .as = as, .npages = n, .caller = cpu_id(), .join_write = true };
	KT_ASSERT(t, sd_map(as, n));
	ipi_call(mask, sd_join, &ctl);
	tlb_shootdown_counters(as, &c0);
	tlb_gather_init(&tg, as);
	spin_lock(&as->lock);
	for (uint32_t i = 0; i < n; i++) {
		KASSERT(arch_mmu_protect(as->root, sd_va(i), MMU_READ | MMU_USER) == KERR_OK);
		tlb_gather_page(&tg, sd_va(i));
	}
	tlb_shootdown(&tg);
	spin_unlock(&as->lock);
	tlb_shootdown_wait(&tg);
	tlb_shootdown_counters(as, &c1);
	ctl.write = true;
	ipi_call(mask, sd_probe, &ctl);
	KT_ASSERT_EQ(t, c1.rounds - c0.rounds, 1);
	KT_ASSERT_EQ(t, c1.ipis_sent - c0.ipis_sent,
		     __builtin_popcountll(tg.g.batch.mask & ~((cpumask_t)1 << ctl.caller)));
	KT_ASSERT_EQ(t, c1.local_flushes - c0.local_flushes, 1); /* the caller is resident */
	KT_ASSERT_EQ(t, c1.frames_deferred, c0.frames_deferred);
	for (unsigned c = 0; c < ncpus; c++)
		KT_ASSERT_EQ(t, ctl.probe_faults[c], ctl.probes[c]);
	for (uint32_t i = 0; i < n; i++)
		KT_ASSERT_EQ(t, *(uint64_t *)phys_to_virt(sd_pa[i]), 0x5d000000 + i);
	sd_unmap_all(as, n);
	ipi_call(mask, sd_leave, &ctl);
	aspace_put(as);
	KT_ASSERT_EQ(t, frame_free_count(), free0);
}
KTEST_REGISTER(test_shootdown_protect_weakening_seen_everywhere);

/*
 * Stress: reader threads of the test address space (one per other CPU, normally) read its
 * pages in a loop while the harness maps fresh frames, each marked before it is mapped, and
 * unmaps them again in one round, SD_STRESS_ITERS times. A read that does not fault must see a
 * marker: FRAME_POISON (freed) or zero (reallocated, not yet marked) would mean a stale
 * translation reached a freed or reused frame.
 */
#define SD_STRESS_ITERS 500     /* in every qemu_ktests run (about 6 s under TCG) */
#define SD_STRESS_ITERS_LONG 10000 /* the explicit-only long run (about 2 min under TCG) */
#define SD_STRESS_PAGES 4
#define SD_STRESS_READERS 3
#define SD_MARK 0x5d5d000000000000ull
#define SD_MARK_MASK 0xffff000000000000ull

struct sd_stress {
	struct aspace *as;
	uint32_t stop;                        /* set by the harness when done */
	uint32_t started;                     /* readers running */
	cpumask_t cpus;                       /* CPUs the readers run on */
	uint64_t reads[SD_STRESS_READERS];    /* reads that found a mapping */
	uint64_t faults[SD_STRESS_READERS];   /* reads that faulted (page unmapped) */
	uint64_t bad[SD_STRESS_READERS];      /* reads that saw something else than a marker */
	uint64_t bad_value;
};

static void sd_reader_read(struct sd_stress *s, unsigned idx, vaddr_t va)
{
	struct kfault_expect fe;
	volatile uint64_t v = 0;

	user_access_begin(); /* the reader races the unmap through user translations */
	if (kfault_expect_begin(&fe, VEC_PF) == 0) {
		v = *(volatile uint64_t *)va;
		kfault_expect_end(&fe);
	}
	user_access_end();
	if (fe.hit) {
		s->faults[idx]++;
	} else {
		s->reads[idx]++;
		if ((v & SD_MARK_MASK) != SD_MARK) {
			s->bad[idx]++;
			s->bad_value = v;
		}
	}
}

static void sd_reader(void *arg)
{
	struct sd_stress *s = arg;
	unsigned idx = __atomic_fetch_add(&s->started, 1, __ATOMIC_ACQ_REL);

	thread_pin_current(); /* an armed kfault expectation belongs to one CPU */
	__atomic_or_fetch(&s->cpus, (cpumask_t)1 << cpu_id(), __ATOMIC_RELAXED);
	while (!__atomic_load_n(&s->stop, __ATOMIC_ACQUIRE))
		for (uint32_t p = 0; p < SD_STRESS_PAGES; p++)
			sd_reader_read(s, idx, sd_va(p));
	thread_exit(0);
}

/* Map SD_STRESS_PAGES fresh frames, each marked before its PTE exists. TLB: none (new PTEs). */
static void sd_stress_map(struct aspace *as, uint32_t iter)
{
	spin_lock(&as->lock);
	for (uint32_t p = 0; p < SD_STRESS_PAGES; p++) {
		KASSERT(frame_alloc(FRAME_OWNER_TEST, &sd_pa[p]) == KERR_OK);
		*(volatile uint64_t *)phys_to_virt(sd_pa[p]) = SD_MARK | (uint64_t)iter << 8 | p;
		KASSERT(arch_mmu_map(as->root, sd_va(p), sd_pa[p], MMU_READ | MMU_USER) ==
			KERR_OK);
		frame_transition(frame_of(sd_pa[p]), FRAME_ALLOCATED, FRAME_MAPPED);
	}
	spin_unlock(&as->lock);
}

static void sd_stress(struct ktest_ctx *t, uint32_t iters)
{
	static struct sd_stress s;
	struct thread *th[SD_STRESS_READERS];
	struct tlbgen_counters c0, c1;
	uint64_t reads = 0, faults = 0, bad = 0;
	size_t free0 = frame_free_count();
	struct aspace *as;
	unsigned n;

	KT_ASSERT_EQ(t, aspace_create(&as), KERR_OK);
	s = (struct sd_stress){ .as = as };
	n = ncpus - 1 < SD_STRESS_READERS ? ncpus - 1 : SD_STRESS_READERS;
	for (unsigned i = 0; i < n; i++)
		KT_ASSERT_EQ(t, thread_create(sd_reader, &s, as, &th[i]), KERR_OK);
	for (uint64_t spin = 0; __atomic_load_n(&s.started, __ATOMIC_ACQUIRE) < n &&
				spin < 100000000; spin++)
		cpu_relax();
	tlb_shootdown_counters(as, &c0);
	for (uint32_t it = 0; it < iters; it++) {
		sd_stress_map(as, it);
		for (int d = 0; d < 64; d++)
			cpu_relax(); /* let the readers see the mapping */
		sd_unmap_all(as, SD_STRESS_PAGES);
	}
	tlb_shootdown_counters(as, &c1);
	__atomic_store_n(&s.stop, 1, __ATOMIC_RELEASE);
	for (unsigned i = 0; i < n; i++)
		thread_join(th[i]);
	for (unsigned i = 0; i < n; i++) {
		reads += s.reads[i];
		faults += s.faults[i];
		bad += s.bad[i];
	}
	kprintf("ktest:   %u readers on cpus 0x%lx, %u rounds: ipis=%lu reads=%lu faults=%lu "
		"bad=%lu early=%lu\n", n, s.cpus, iters, c1.ipis_sent - c0.ipis_sent,
		reads, faults, bad, c1.frames_freed_early);
	KT_ASSERT_EQ(t, bad, 0);
	KT_ASSERT_EQ(t, c1.rounds - c0.rounds, iters);
	KT_ASSERT_EQ(t, c1.frames_released - c0.frames_released, (uint64_t)iters * SD_STRESS_PAGES);
	KT_ASSERT_EQ(t, c1.frames_freed_early, 0);
	KT_ASSERT(t, n == 0 || (reads > 0 && faults > 0)); /* the readers raced the unmaps */
	KT_ASSERT(t, n == 0 || c1.ipis_sent > c0.ipis_sent);
	aspace_put(as);
	KT_ASSERT_EQ(t, frame_free_count(), free0);
}
/* @proves qemu_ktest_shootdown_stress_readers_never_see_freed_frames: frame:FRAME_UNHOOKED->FRAME_FLUSHED MAM-D2 */
static void test_shootdown_stress_readers_never_see_freed_frames(struct ktest_ctx *t)
{
	sd_stress(t, SD_STRESS_ITERS);
}
KTEST_REGISTER(test_shootdown_stress_readers_never_see_freed_frames);

/* The same for 10,000 rounds; run by name (ktest=test_shootdown_stress_long). */
static void test_shootdown_stress_long(struct ktest_ctx *t)
{
	sd_stress(t, SD_STRESS_ITERS_LONG);
}
KTEST_REGISTER_EXPLICIT(test_shootdown_stress_long);
