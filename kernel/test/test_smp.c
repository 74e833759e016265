/*
 * test_smp.c - kernel tests that need every CPU: ipi_call reaches and is acknowledged by all
 * CPUs (and only the ones asked), a spinlock contended from all CPUs keeps a shared counter
 * exact, holder checks catch recursive acquire and foreign release, per-CPU data is distinct
 * on each CPU, and every CPU's LAPIC timer ticks.
 */
#include <arch/apic.h>
#include <arch/cpu.h>
#include <kern/ipi.h>
#include <kern/kfault.h>
#include <kern/ktest.h>
#include <kern/percpu.h>
#include <kern/spinlock.h>
#include <kern/printf.h>
#include <kern/time.h>
#include <proc/thread.h>

#define CONTENDED_ROUNDS 20000

static void record_cpu(void *arg)
{
	uint32_t *hits = arg;

	__atomic_add_fetch(&hits[cpu_id()], 1, __ATOMIC_RELAXED);
}

/* Every CPU adopted its boot context as a thread. */
static void test_smp_all_cpus_online(struct ktest_ctx *t)
{
	KT_ASSERT(t, ncpus >= 1);
	KT_ASSERT_EQ(t, cpus_online(), ncpus);
	KT_ASSERT_EQ(t, cpumask_all(), ((cpumask_t)1 << ncpus) - 1);
	for (unsigned i = 0; i < ncpus; i++)
		KT_ASSERT(t, cpus[i].current != NULL && cpus[i].idle != NULL);
}
KTEST_REGISTER(test_smp_all_cpus_online);

static void test_ipi_call_acknowledged_by_all(struct ktest_ctx *t)
{
	uint32_t hits[MAX_CPUS] = { 0 };
	uint64_t before[MAX_CPUS];

	for (unsigned i = 0; i < ncpus; i++)
		before[i] = cpus[i].ipi_calls;
	ipi_call(cpumask_all(), record_cpu, hits);
	/* ipi_call returned: every CPU has run the function exactly once. */
	for (unsigned i = 0; i < ncpus; i++) {
		KT_ASSERT_EQ(t, hits[i], 1);
		KT_ASSERT_EQ(t, cpus[i].ipi_calls, before[i] + 1);
	}
	for (unsigned i = ncpus; i < MAX_CPUS; i++)
		KT_ASSERT_EQ(t, hits[i], 0);
}
KTEST_REGISTER(test_ipi_call_acknowledged_by_all);

static void test_ipi_call_subset_only(struct ktest_ctx *t)
{
	uint32_t hits[MAX_CPUS] = { 0 };
	cpumask_t mask = cpumask_all() & ~(cpumask_t)1 & 0xa; /* CPUs 1 and 3 when present */

	ipi_call(mask, record_cpu, hits);
	for (unsigned i = 0; i < ncpus; i++)
		KT_ASSERT_EQ(t, hits[i], (mask >> i) & 1);
	/* Many calls in a row: the slot is reused only after every acknowledgement. */
	for (int round = 0; round < 50; round++)
		ipi_call(cpumask_all(), record_cpu, hits);
	for (unsigned i = 0; i < ncpus; i++)
		KT_ASSERT_EQ(t, hits[i], 50 + ((mask >> i) & 1));
}
KTEST_REGISTER(test_ipi_call_subset_only);

/*
 * The leader (the CPU that called ipi_call) holds the lock until every other CPU has failed a
 * trylock and is spinning on it, so each one provably contended; then all CPUs hammer the lock.
 */
struct contended {
	struct spinlock lock;
	uint64_t counter;             /* protected by lock, updated non-atomically */
	uint32_t contended[MAX_CPUS]; /* failed trylocks per CPU */
	unsigned leader;              /* cpu_id() of the caller */
	uint32_t held;                /* the leader holds the lock for the opening round */
	uint32_t blocked;             /* non-leaders that failed their first trylock */
};

static void counter_bump(struct contended *c)
{
	/* A deliberately non-atomic read-modify-write: only the lock keeps it exact. */
	uint64_t v = *(volatile uint64_t *)&c->counter;

	*(volatile uint64_t *)&c->counter = v + 1;
}

static void contend_opening(struct contended *c)
{
	spin_lock(&c->lock);
	__atomic_store_n(&c->held, 1, __ATOMIC_RELEASE);
	while (__atomic_load_n(&c->blocked, __ATOMIC_ACQUIRE) < ncpus - 1)
		cpu_relax();
	counter_bump(c);
	spin_unlock(&c->lock);
}

static void contend(void *arg)
{
	struct contended *c = arg;
	unsigned me = cpu_id();
	int i = 0;

	if (me == c->leader) {
		contend_opening(c);
		i = 1;
	} else {
		while (!__atomic_load_n(&c->held, __ATOMIC_ACQUIRE))
			cpu_relax();
	}
	for (; i < CONTENDED_ROUNDS; i++) {
		if (!spin_trylock(&c->lock)) {
			if (c->contended[me]++ == 0 && me != c->leader)
				__atomic_add_fetch(&c->blocked, 1, __ATOMIC_RELEASE);
			spin_lock(&c->lock);
		}
		counter_bump(c);
		spin_unlock(&c->lock);
	}
}

static void test_spinlock_contended_counter_exact(struct ktest_ctx *t)
{
	static struct contended c = { .lock = SPINLOCK_INIT("test_contended") };
	uint64_t contended = 0;

	c.counter = 0;
	c.held = c.blocked = 0;
	c.leader = cpu_id();
	for (unsigned i = 0; i < MAX_CPUS; i++)
		c.contended[i] = 0;
	ipi_call(cpumask_all(), contend, &c);
	KT_ASSERT_EQ(t, c.counter, (uint64_t)CONTENDED_ROUNDS * ncpus);
	KT_ASSERT_EQ(t, c.lock.locked, 0);
	KT_ASSERT_EQ(t, (uint64_t)c.lock.holder, (uint64_t)-1);
	for (unsigned i = 0; i < ncpus; i++) {
		KT_ASSERT(t, i == c.leader || c.contended[i] >= 1);
		contended += c.contended[i];
	}
	kprintf("ktest:   %u CPUs x %d rounds on one lock, %lu contended acquisitions\n", ncpus,
		CONTENDED_ROUNDS, contended);
}
KTEST_REGISTER(test_spinlock_contended_counter_exact);

static struct spinlock foreign_lock = SPINLOCK_INIT("test_foreign");

static void take_foreign(void *arg)
{
	spin_lock(&foreign_lock);
}

static void drop_foreign(void *arg)
{
	spin_unlock(&foreign_lock);
}

static void test_spinlock_holder_checks(struct ktest_ctx *t)
{
	struct spinlock l = SPINLOCK_INIT("test_recursive");
	struct kfault_expect fe;
	unsigned other;

	spin_lock(&l);
	KT_ASSERT(t, spin_held(&l));
	KT_ASSERT_EQ(t, l.holder, cpu_id());
	if (kfault_expect_begin(&fe, KFAULT_ASSERT) == 0) {
		spin_lock(&l); /* would deadlock: caught instead */
		kfault_expect_end(&fe);
	}
	KT_ASSERT(t, fe.hit);
	KT_ASSERT(t, spin_held(&l));
	spin_unlock(&l);
	KT_ASSERT(t, !spin_held(&l));
	if (ncpus < 2)
		return;
	/* Held by another CPU: this one may not release it. */
	other = cpu_id() == 1 ? 0 : 1;
	ipi_call((cpumask_t)1 << other, take_foreign, NULL);
	KT_ASSERT_EQ(t, foreign_lock.holder, other);
	if (kfault_expect_begin(&fe, KFAULT_ASSERT) == 0) {
		spin_unlock(&foreign_lock);
		kfault_expect_end(&fe);
	}
	KT_ASSERT(t, fe.hit);
	KT_ASSERT_EQ(t, foreign_lock.holder, other); /* still held by its owner */
	ipi_call((cpumask_t)1 << other, drop_foreign, NULL);
	KT_ASSERT_EQ(t, foreign_lock.locked, 0);
}
KTEST_REGISTER(test_spinlock_holder_checks);

struct percpu_seen {
	uint64_t self[MAX_CPUS];
	uint64_t gs_base[MAX_CPUS];
	uint32_t apic[MAX_CPUS];
};

static void record_percpu(void *arg)
{
	struct percpu_seen *s = arg;
	unsigned id = cpu_id();

	s->self[id] = (uint64_t)this_cpu();
	s->gs_base[id] = rdmsr(MSR_GS_BASE);
	s->apic[id] = lapic_id();
}

static void test_percpu_distinct_per_cpu(struct ktest_ctx *t)
{
	struct percpu_seen s = { { 0 }, { 0 }, { 0 } };

	ipi_call(cpumask_all(), record_percpu, &s);
	for (unsigned i = 0; i < ncpus; i++) {
		KT_ASSERT_EQ(t, s.self[i], (uint64_t)&cpus[i]);
		KT_ASSERT_EQ(t, s.gs_base[i], (uint64_t)&cpus[i]);
		KT_ASSERT_EQ(t, s.apic[i], cpus[i].apic_id);
		KT_ASSERT_EQ(t, cpus[i].id, i);
		for (unsigned j = 0; j < i; j++)
			KT_ASSERT(t, cpus[j].apic_id != cpus[i].apic_id);
	}
}
KTEST_REGISTER(test_percpu_distinct_per_cpu);

static void test_lapic_timer_ticks_on_every_cpu(struct ktest_ctx *t)
{
	uint64_t before[MAX_CPUS];
	uint64_t end = rdtsc() + 60000 * tsc_per_ms; /* hang detector only (issue 12) */
	bool all;

	for (unsigned i = 0; i < ncpus; i++)
		before[i] = __atomic_load_n(&cpus[i].timer_ticks, __ATOMIC_RELAXED);
	do {
		cpu_relax();
		all = true;
		for (unsigned i = 0; i < ncpus; i++)
			all = all && __atomic_load_n(&cpus[i].timer_ticks, __ATOMIC_RELAXED) >
					     before[i] + 2;
	} while (!all && rdtsc() < end);
	for (unsigned i = 0; i < ncpus; i++)
		KT_ASSERT(t, __atomic_load_n(&cpus[i].timer_ticks, __ATOMIC_RELAXED) > before[i]);
}
KTEST_REGISTER(test_lapic_timer_ticks_on_every_cpu);
