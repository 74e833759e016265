/*
 * bench.c - figures for tests/bench/vm (run by hand, never a pass/fail on timing):
 *   "ipis": with the address space resident on k = 0..CPUs-1 other CPUs (k spinning threads of
 *           this process; at most MAXK), Diag's shootdown IPIs and rounds per
 *           VirtualMemory.unmap of 1, 16 and 512 committed pages (each measured REPS times);
 *   "commit": TSC cycles per committed page for commits of 1, 64 and 4096 pages, measured
 *           around the call in user space (syscall entry/exit included; median of REPS).
 * Prints one "bench:" line per figure and exits 0 when IPIs == k and rounds == 1 every time.
 * Capabilities: caps[0] Console, caps[1] Diag.
 */
#include <caprt.h>

#define MAXK 15 /* spinners: with this thread, the process's 16-thread limit */
#define PG 4096ull
#define REPS 9
#define STACK_BYTES 16384
#define RW (CAPOS_PROT_READ | CAPOS_PROT_WRITE)

static uint8_t stacks[MAXK][STACK_BYTES] __attribute__((aligned(16)));
static uint32_t stop;
static uint64_t spins[MAXK];
static uint64_t spin_cpu[MAXK]; /* CPU each spinner last ran on (Thread.cpu) */
static cap_handle_t vm, diag, self_thread;

static uint64_t spinner(void *arg, cap_handle_t self)
{
	unsigned me = (unsigned)(uintptr_t)arg;
	uint64_t cpu;
	while (!__atomic_load_n(&stop, __ATOMIC_ACQUIRE)) {
		RT_EXPECT_ERR(thread_cpu(self, &cpu), KERR_OK);
		__atomic_store_n(&spin_cpu[me], cpu, __ATOMIC_RELEASE);
		__atomic_add_fetch(&spins[me], 1, __ATOMIC_RELEASE);
	}
	return 0;
}

static uint64_t counter(uint64_t which)
{
	uint64_t v;
	RT_EXPECT_ERR(diag_read(diag, which, &v), KERR_OK);
	return v;
}

/*
 * Where this thread and the k spinners run: *cpus[0] is ours, cpus[1..k] the spinners' (each
 * read after it made progress, so it is running there now).
 */
static void placement(unsigned k, uint64_t cpus[MAXK + 1])
{
	uint64_t before[MAXK];
	for (unsigned i = 0; i < k; i++)
		before[i] = __atomic_load_n(&spins[i], __ATOMIC_ACQUIRE);
	for (unsigned i = 0; i < k; i++)
		while (__atomic_load_n(&spins[i], __ATOMIC_ACQUIRE) == before[i])
			;
	RT_EXPECT_ERR(thread_cpu(self_thread, &cpus[0]), KERR_OK);
	for (unsigned i = 0; i < k; i++)
		cpus[i + 1] = __atomic_load_n(&spin_cpu[i], __ATOMIC_ACQUIRE);
}

/*
 * The precondition of a sample: the same k + 1 distinct CPUs before and after the unmap, so the
 * address space was resident on exactly k CPUs other than ours throughout. Two spinners
 * time-sliced on one CPU both make progress but make it resident on fewer CPUs; such a sample
 * measures a different k and is taken again, never counted.
 */
static bool placed_on_distinct_cpus(unsigned k, const uint64_t a[MAXK + 1],
				    const uint64_t b[MAXK + 1])
{
	for (unsigned i = 0; i <= k; i++) {
		if (a[i] != b[i])
			return false;
		for (unsigned j = 0; j < i; j++)
			if (a[i] == a[j])
				return false;
	}
	return true;
}

static bool bench_ipis(void)
{
	static const uint64_t sizes[] = { 1, 16, 512 };
	cap_handle_t t[MAXK];
	bool ok = true;
	unsigned kmax = (unsigned)counter(CAPOS_DIAG_CPUS) - 1;
	if (kmax > MAXK)
		kmax = MAXK;
	rt_printf("bench: %u CPUs: k = 0..%u\n", kmax + 1, kmax);
	for (unsigned k = 0; k <= kmax; k++) {
		for (unsigned s = 0; s < 3; s++) {
			uint64_t ipis_min = ~0ull, ipis_max = 0, rounds_max = 0, base;
			unsigned retaken = 0;
			for (int r = 0; r < REPS; r++) {
				uint64_t at[MAXK + 1], after[MAXK + 1];
				RT_EXPECT_ERR(vm_reserve(vm, sizes[s] * PG, 0, 0, &base), KERR_OK);
				RT_EXPECT_ERR(vm_commit(vm, base, sizes[s] * PG, RW), KERR_OK);
				placement(k, at);
				uint64_t i0 = counter(CAPOS_DIAG_TLB_IPIS);
				uint64_t r0 = counter(CAPOS_DIAG_TLB_ROUNDS);
				RT_EXPECT_ERR(vm_unmap(vm, base, sizes[s] * PG), KERR_OK);
				uint64_t di = counter(CAPOS_DIAG_TLB_IPIS) - i0;
				uint64_t dr = counter(CAPOS_DIAG_TLB_ROUNDS) - r0;
				placement(k, after);
				if (!placed_on_distinct_cpus(k, at, after)) {
					RT_ASSERT(++retaken < 1000);
					r--;
					continue;
				}
				ipis_min = di < ipis_min ? di : ipis_min;
				ipis_max = di > ipis_max ? di : ipis_max;
				rounds_max = dr > rounds_max ? dr : rounds_max;
			}
			rt_printf("bench: k=%u pages=%lu unmap: IPIs min %lu max %lu, rounds max %lu"
				  " (%u samples retaken: spinners not on k distinct CPUs)\n",
				  k, (unsigned long)sizes[s], (unsigned long)ipis_min,
				  (unsigned long)ipis_max, (unsigned long)rounds_max, retaken);
			ok = ok && ipis_min == k && ipis_max == k && rounds_max == 1;
		}
		if (k < kmax) /* one more CPU holds the address space */
			RT_EXPECT_ERR(thread_start(spinner, (void *)(uintptr_t)k,
						   stacks[k] + STACK_BYTES, &t[k]), KERR_OK);
	}
	__atomic_store_n(&stop, 1, __ATOMIC_RELEASE);
	for (unsigned k = 0; k < kmax; k++) {
		uint64_t v;
		RT_EXPECT_ERR(thread_wait(t[k], &v), KERR_OK);
	}
	return ok;
}

static uint64_t rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

static void bench_commit(void)
{
	static const uint64_t sizes[] = { 1, 64, 4096 };
	for (unsigned s = 0; s < 3; s++) {
		uint64_t c[REPS], base;
		RT_EXPECT_ERR(vm_reserve(vm, sizes[s] * PG, 0, 0, &base), KERR_OK);
		for (int r = 0; r < REPS; r++) {
			uint64_t t0 = rdtsc();
			RT_EXPECT_ERR(vm_commit(vm, base, sizes[s] * PG, RW), KERR_OK);
			c[r] = rdtsc() - t0;
			RT_EXPECT_ERR(vm_decommit(vm, base, sizes[s] * PG), KERR_OK);
		}
		for (int i = 1; i < REPS; i++) /* insertion sort for the median */
			for (int j = i; j > 0 && c[j - 1] > c[j]; j--) {
				uint64_t x = c[j];
				c[j] = c[j - 1];
				c[j - 1] = x;
			}
		rt_printf("bench: commit %lu pages: %lu TSC cycles per page (median of %d)\n",
			  (unsigned long)sizes[s], (unsigned long)(c[REPS / 2] / sizes[s]), REPS);
		RT_EXPECT_ERR(vm_unmap(vm, base, sizes[s] * PG), KERR_OK);
	}
}

int main(const struct capos_start_info *si)
{
	RT_ASSERT(si->ncaps >= 2);
	vm = si->vm;
	diag = si->caps[1];
	self_thread = si->thread;
	if (!strcmp(si->arg, "commit")) {
		bench_commit();
		return 0;
	}
	return bench_ipis() ? 0 : 1;
}
