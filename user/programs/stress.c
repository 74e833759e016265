/*
 * stress.c - SMP stress of TLB shootdown through the VirtualMemory and MemoryObject methods
 * (issue 4): three reader threads read and write a region while the initial thread (the
 * mutator) decommits/recommits, unmaps/re-reserves/recommits, protects it to none and back
 * (argument "anon <iterations>"), or swaps the MemoryObject mapped there between two objects
 * shared with another process ("shared <iterations>", caps[2] and caps[3] are the objects).
 *
 * Readers touch the region only while the mutator is not changing it (a Dekker-style handshake
 * on `phase` and `active`), so no access can fault; but every reader's CPU keeps the TLB
 * entries of its last reads. After each change the region holds new frames (anon) or another
 * object's frames (shared), tagged with the iteration: a reader whose TLB entry survived the
 * change (a missed shootdown) reads the old frame - poisoned (freed), reused, or the other
 * object's tag - and counts a mismatch. Exit 0 when there was none, the readers ran on at
 * least two CPUs, at least 3/4 of the generations were read, IPIs were sent, and the kernel's
 * count of frames freed before their shootdown completed stayed 0. Capabilities: caps[0] Console, caps[1]
 * FrameAllocator, caps[2] Diag (then the two objects in shared mode).
 */
#include <caprt.h>

#define PG 4096ull
#define NPAGES 4u
#define READERS 3u
#define REGION 0x300000000000ull
#define RW (CAPOS_PROT_READ | CAPOS_PROT_WRITE)
#define STACK_BYTES 16384
#define POISON 0xdeadfa11deadfa11ull

static uint8_t stacks[READERS][STACK_BYTES] __attribute__((aligned(16)));
static cap_handle_t vm, diag, objs[2];
static bool shared;

/* Handshake: the mutator sets phase BUSY and waits for active == 0 before changing the region;
 * readers enter (active++) and read only while phase is READY. */
enum { READY = 0, BUSY = 1 };
static uint32_t phase = BUSY, active, done;
static uint64_t gen;
static uint64_t reads[READERS], bad[READERS], bad_value[READERS], cpus[READERS];

static uint64_t tag(uint64_t g, unsigned page)
{
	if (shared) /* the object mapped in generation g: objs[g & 1] */
		return 0x0b1ec70000000000ull | (g & 1) << 8 | page;
	return 0x7a90000000000000ull | g << 8 | page;
}

static volatile uint64_t *word(unsigned page, unsigned w)
{
	return (volatile uint64_t *)(uintptr_t)(REGION + page * PG) + w;
}

static uint64_t reader(void *arg, cap_handle_t self)
{
	unsigned me = (unsigned)(uintptr_t)arg;
	uint64_t cpu;
	while (!__atomic_load_n(&done, __ATOMIC_SEQ_CST)) {
		__atomic_add_fetch(&active, 1, __ATOMIC_SEQ_CST);
		if (__atomic_load_n(&phase, __ATOMIC_SEQ_CST) == READY) {
			uint64_t g = __atomic_load_n(&gen, __ATOMIC_SEQ_CST);
			for (unsigned p = 0; p < NPAGES; p++) {
				uint64_t v = *word(p, 0);
				if (v != tag(g, p)) {
					bad[me]++;
					bad_value[me] = v;
				}
				*word(p, 8 + me) = tag(g, p); /* and write */
			}
			reads[me]++;
		}
		__atomic_sub_fetch(&active, 1, __ATOMIC_SEQ_CST);
		if ((reads[me] & 255) == 0 && thread_cpu(self, &cpu) == KERR_OK)
			cpus[me] |= 1ull << cpu;
	}
	return 0;
}

static void quiesce(void)
{
	__atomic_store_n(&phase, BUSY, __ATOMIC_SEQ_CST);
	while (__atomic_load_n(&active, __ATOMIC_SEQ_CST))
		;
}

static void publish(uint64_t g)
{
	__atomic_store_n(&gen, g, __ATOMIC_SEQ_CST);
	__atomic_store_n(&phase, READY, __ATOMIC_SEQ_CST);
}

static void write_tags(uint64_t g)
{
	for (unsigned p = 0; p < NPAGES; p++)
		*word(p, 0) = tag(g, p);
}

static void expect_zero(void)
{
	for (unsigned p = 0; p < NPAGES; p++)
		for (unsigned w = 0; w < 512; w += 64)
			RT_ASSERT(*word(p, w) == 0); /* fresh frames are zero-filled */
}

/* One anonymous change: new frames (two kinds) or protection to none and back. */
static void anon_step(uint64_t i)
{
	uint64_t base;
	switch (i % 3) {
	case 0:
		RT_EXPECT_ERR(vm_decommit(vm, REGION, NPAGES * PG), KERR_OK);
		RT_EXPECT_ERR(vm_commit(vm, REGION, NPAGES * PG, RW), KERR_OK);
		expect_zero();
		break;
	case 1:
		RT_EXPECT_ERR(vm_unmap(vm, REGION, NPAGES * PG), KERR_OK);
		RT_EXPECT_ERR(vm_reserve(vm, NPAGES * PG, REGION, CAPOS_MAP_FIXED, &base), KERR_OK);
		RT_EXPECT_ERR(vm_commit(vm, REGION, NPAGES * PG, RW), KERR_OK);
		expect_zero();
		break;
	default:
		RT_EXPECT_ERR(vm_protect(vm, REGION, NPAGES * PG, CAPOS_PROT_NONE), KERR_OK);
		RT_EXPECT_ERR(vm_protect(vm, REGION, NPAGES * PG, RW), KERR_OK);
		for (unsigned p = 0; p < NPAGES; p++)
			RT_ASSERT(*word(p, 0) == tag(i - 1, p)); /* data preserved */
	}
	write_tags(i);
}

/* One shared change: swap the object mapped at REGION, or protect it to none and back. */
static void shared_step(uint64_t i)
{
	uint64_t base;
	if (i % 4 == 3) {
		RT_EXPECT_ERR(memobj_protect(objs[(i - 1) & 1], vm, REGION, NPAGES * PG,
					     CAPOS_PROT_NONE), KERR_OK);
		RT_EXPECT_ERR(memobj_protect(objs[(i - 1) & 1], vm, REGION, NPAGES * PG, RW),
			      KERR_OK);
		/* Same object as before in generation i: keep it (tags use i & 1). */
		RT_EXPECT_ERR(memobj_unmap(objs[(i - 1) & 1], vm, REGION, NPAGES * PG), KERR_OK);
	} else {
		RT_EXPECT_ERR(memobj_unmap(objs[(i - 1) & 1], vm, REGION, NPAGES * PG), KERR_OK);
	}
	RT_EXPECT_ERR(memobj_map(objs[i & 1], vm, REGION, 0, NPAGES * PG, RW | CAPOS_MAP_FIXED,
				 &base), KERR_OK);
	for (unsigned p = 0; p < NPAGES; p++)
		RT_ASSERT(*word(p, 0) == tag(i, p));
}

static void setup(void)
{
	uint64_t base;
	if (!shared) {
		RT_EXPECT_ERR(vm_reserve(vm, NPAGES * PG, REGION, CAPOS_MAP_FIXED, &base), KERR_OK);
		RT_EXPECT_ERR(vm_commit(vm, REGION, NPAGES * PG, RW), KERR_OK);
		write_tags(0);
		return;
	}
	for (unsigned k = 0; k < 2; k++) { /* both processes write the same tags: idempotent */
		RT_EXPECT_ERR(memobj_map(objs[k], vm, REGION, 0, NPAGES * PG, RW | CAPOS_MAP_FIXED,
					 &base), KERR_OK);
		write_tags(k);
		if (k == 0)
			RT_EXPECT_ERR(memobj_unmap(objs[0], vm, REGION, NPAGES * PG), KERR_OK);
	}
	/* Generation 1 (objs[1]) is mapped; the loop starts at 2. */
}

int main(const struct capos_start_info *si)
{
	const char *rest;
	cap_handle_t t[READERS];
	uint64_t early0, early1, ipi0, ipi1, rounds0, rounds1, v;
	RT_ASSERT(si->ncaps >= 3);
	vm = si->vm;
	diag = si->caps[2];
	shared = !memcmp(si->arg, "shared ", 7);
	rest = si->arg + (shared ? 7 : 5);
	uint64_t iters = rt_strtou64(rest, NULL), first = shared ? 2 : 1;
	if (shared) {
		RT_ASSERT(si->ncaps >= 5);
		objs[0] = si->caps[3];
		objs[1] = si->caps[4];
	}
	RT_EXPECT_ERR(diag_read(diag, CAPOS_DIAG_FRAMES_FREED_EARLY, &early0), KERR_OK);
	RT_EXPECT_ERR(diag_read(diag, CAPOS_DIAG_TLB_IPIS, &ipi0), KERR_OK);
	RT_EXPECT_ERR(diag_read(diag, CAPOS_DIAG_TLB_ROUNDS, &rounds0), KERR_OK);
	setup();
	publish(first - 1);
	for (unsigned k = 0; k < READERS; k++)
		RT_EXPECT_ERR(thread_start(reader, (void *)(uintptr_t)k, stacks[k] + STACK_BYTES,
					   &t[k]), KERR_OK);
	uint64_t last_reads = 0, idle_gens = 0;
	for (uint64_t i = first; i < first + iters; i++) {
		/* Let the readers observe this generation at least once (bounded: a starved
		 * reader vCPU must not stall the run; unread generations are counted). */
		uint64_t now = 0;
		for (int spin = 0; spin < 5000000; spin++) {
			now = __atomic_load_n(&reads[0], __ATOMIC_RELAXED) +
			      __atomic_load_n(&reads[1], __ATOMIC_RELAXED) +
			      __atomic_load_n(&reads[2], __ATOMIC_RELAXED);
			if (now != last_reads)
				break;
			__asm__ volatile("pause");
		}
		idle_gens += now == last_reads;
		last_reads = now;
		quiesce();
		if (shared)
			shared_step(i);
		else
			anon_step(i);
		publish(i);
		if ((i - first + 1) % 1000 == 0)
			rt_printf("stress: %lu iterations\n", (unsigned long)(i - first + 1));
	}
	quiesce();
	__atomic_store_n(&done, 1, __ATOMIC_SEQ_CST);
	uint64_t total_bad = 0, total_reads = 0, all_cpus = 0;
	for (unsigned k = 0; k < READERS; k++) {
		RT_EXPECT_ERR(thread_wait(t[k], &v), KERR_OK);
		total_bad += bad[k];
		total_reads += reads[k];
		all_cpus |= cpus[k];
		if (bad[k])
			rt_printf("stress: reader %u saw 0x%lx (poison 0x%lx)\n", k,
				  (unsigned long)bad_value[k], (unsigned long)POISON);
	}
	RT_EXPECT_ERR(diag_read(diag, CAPOS_DIAG_FRAMES_FREED_EARLY, &early1), KERR_OK);
	RT_EXPECT_ERR(diag_read(diag, CAPOS_DIAG_TLB_IPIS, &ipi1), KERR_OK);
	RT_EXPECT_ERR(diag_read(diag, CAPOS_DIAG_TLB_ROUNDS, &rounds1), KERR_OK);
	rt_printf("stress: %s %lu iterations, %lu reads, %lu generations unread, %lu mismatches, "
		  "reader CPUs 0x%lx, rounds %lu, IPIs %lu, frames freed early %lu\n",
		  shared ? "shared" : "anon", (unsigned long)iters, (unsigned long)total_reads,
		  (unsigned long)idle_gens, (unsigned long)total_bad, (unsigned long)all_cpus,
		  (unsigned long)(rounds1 - rounds0), (unsigned long)(ipi1 - ipi0),
		  (unsigned long)(early1 - early0));
	if (shared)
		RT_EXPECT_ERR(memobj_unmap(objs[(first + iters - 1) & 1], vm, REGION, NPAGES * PG),
			      KERR_OK);
	else
		RT_EXPECT_ERR(vm_unmap(vm, REGION, NPAGES * PG), KERR_OK);
	RT_ASSERT(total_bad == 0 && early1 == early0);
	/* The check means something only if the readers saw most generations. */
	RT_ASSERT(ipi1 > ipi0 && idle_gens * 4 <= iters);
	RT_ASSERT(__builtin_popcountll(all_cpus) >= 2);
	return 0;
}
