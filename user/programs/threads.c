/*
 * threads.c - N threads of one process (N = the argument, the CPU count) run at the same time
 * on N different CPUs.
 *
 * Every thread loops publishing the CPU it runs on (CAP_THREAD_CPU on itself) and a heartbeat.
 * The initial thread takes two snapshots of all threads a short while apart: when in both every
 * thread's CPU is the same, all N CPUs are distinct and every heartbeat advanced in between,
 * the N threads were running concurrently on N CPUs, i.e. this address space was live on all
 * of them at once. Exit 0 on success, 1 when no round succeeds.
 */
#include <caprt.h>

#define MAX_THREADS 16
#define STACK_BYTES 16384
/*
 * Attempts, not a time limit: a success returns at once. Runs on an idle 2-core host needed
 * 428-1269 rounds of 2000 (about 0.2 s), and a loaded host made 2000 fall short, so the budget
 * is 50x that; a run that never sees the N threads at once still ends in seconds.
 */
#define ROUNDS 100000

static uint8_t stacks[MAX_THREADS][STACK_BYTES] __attribute__((aligned(16)));
static uint64_t cur_cpu[MAX_THREADS];
static uint64_t heartbeat[MAX_THREADS];
static uint32_t done;

static void publish(unsigned me, cap_handle_t self)
{
	uint64_t cpu;
	RT_EXPECT_ERR(thread_cpu(self, &cpu), KERR_OK);
	__atomic_store_n(&cur_cpu[me], cpu, __ATOMIC_RELEASE);
	__atomic_add_fetch(&heartbeat[me], 1, __ATOMIC_RELEASE);
}

static uint64_t worker(void *arg, cap_handle_t self)
{
	unsigned me = (unsigned)(uintptr_t)arg;
	while (!__atomic_load_n(&done, __ATOMIC_ACQUIRE))
		publish(me, self);
	return me;
}

struct snap {
	uint64_t cpu[MAX_THREADS];
	uint64_t hb[MAX_THREADS];
};

static void take(struct snap *s, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		s->cpu[i] = __atomic_load_n(&cur_cpu[i], __ATOMIC_ACQUIRE);
		s->hb[i] = __atomic_load_n(&heartbeat[i], __ATOMIC_ACQUIRE);
	}
}

/* Both snapshots agree on each thread's CPU, the CPUs are distinct, every thread advanced. */
static bool concurrent(const struct snap *a, const struct snap *b, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		if (a->cpu[i] != b->cpu[i] || b->hb[i] <= a->hb[i] || a->hb[i] == 0)
			return false;
		for (unsigned j = 0; j < i; j++)
			if (a->cpu[i] == a->cpu[j])
				return false;
	}
	return true;
}

/* Thread 0 (the initial thread) publishes too, between snapshots. */
static bool observe(unsigned n, cap_handle_t self)
{
	for (int round = 0; round < ROUNDS; round++) {
		struct snap a, b;
		publish(0, self);
		take(&a, n);
		for (int k = 0; k < 50; k++)
			publish(0, self);
		take(&b, n);
		if (concurrent(&a, &b, n)) {
			rt_printf("threads: round %d: %u threads concurrently on CPUs", round, n);
			for (unsigned i = 0; i < n; i++)
				rt_printf(" %lu", (unsigned long)a.cpu[i]);
			rt_printf("\n");
			return true;
		}
	}
	return false;
}

int main(const struct capos_start_info *si)
{
	unsigned n = (unsigned)rt_strtou64(si->arg, NULL);
	RT_ASSERT(n >= 1 && n <= MAX_THREADS);
	cap_handle_t t[MAX_THREADS];
	for (unsigned i = 1; i < n; i++)
		RT_EXPECT_ERR(thread_start(worker, (void *)(uintptr_t)i, stacks[i] + STACK_BYTES,
					   &t[i]), KERR_OK);
	bool ok = observe(n, si->thread);
	__atomic_store_n(&done, 1, __ATOMIC_RELEASE);
	for (unsigned i = 1; i < n; i++) {
		uint64_t v;
		RT_EXPECT_ERR(thread_wait(t[i], &v), KERR_OK);
		RT_ASSERT(v == i);
	}
	if (!ok)
		rt_printf("threads: never saw %u threads on %u CPUs at once\n", n, n);
	return ok ? 0 : 1;
}
