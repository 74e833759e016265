/*
 * attack.c - regressions of issue 12's attacks, one case per run (the argument names it). Each
 * case did something to the kernel before its fix (reset the machine, hung a thread, refused a
 * slot, returned the wrong error); now the case exits 0.
 *
 *   rflags       sets NT, AC and DF before system calls that block (spawn and wait of a child)
 *                while `spin` children are preempted in user mode: the kernel must neither leak
 *                NT to another thread's iretq nor reset the machine (it did: triple fault)
 *   rflags_tf    TF (single step) set before a system call: the process may end with a debug
 *                FAULT (vector 1) or go on; the kernel survives (init checks it answers)
 *   wait_drop    a thread blocks in PROCESS_WAIT on a child while another thread drops the
 *                child's only Process capability; the waiter must return the child's status
 *   memobj_drop  a thread maps, queries and unmaps a MemoryObject while another thread drops its
 *                last capability; every call returns, the frames and ledger come back
 *   thread_reuse 40 threads started and joined one after the other (the limit is 16 at once)
 *   spawn_order  invalid transfer lists get the error abi.h documents for CAP_SPAWNER_SPAWN
 *   sleeper N    (a helper child) makes N cheap calls, then exits with code 77
 *
 * Start capabilities from init: caps[0] Console (WRITE | COPY | TRANSFER), caps[1] ProcessSpawner (SPAWN),
 * caps[2] FrameAllocator (READ | WRITE | ALLOCATE).
 */
#include <caprt.h>

#define STACK_BYTES 16384
#define RF_TF 0x100ull
#define RF_DF 0x400ull
#define RF_NT 0x4000ull
#define RF_AC 0x40000ull

static const struct capos_start_info *si;
static cap_handle_t con, spawner, fa;
static uint8_t stacks[4][STACK_BYTES] __attribute__((aligned(16)));

/* Ledger limits donated to this program's children (small: its own are init's child_limits). */
static const uint64_t small_limits[CAPOS_LEDGER_KIND_COUNT] = {
	[CAPOS_LEDGER_VIRTUAL] = 128, [CAPOS_LEDGER_COMMIT] = 40, [CAPOS_LEDGER_OBJECT] = 0,
	[CAPOS_LEDGER_MAPPING] = 0,   [CAPOS_LEDGER_PAGETABLE] = 10,
};

/*
 * cap_invoke() with RFLAGS bits @set ORed in just before `syscall` and cleared again after it
 * returns (sysretq gives them back). The red zone is stepped over for the flag push.
 */
static struct cap_result invoke_flags(uint64_t set, cap_handle_t h, capos_method_t m,
				      uint64_t a0, uint64_t a1, uint64_t a2)
{
	register uint64_t rax __asm__("rax") = m;
	register uint64_t rdi __asm__("rdi") = h;
	register uint64_t rsi __asm__("rsi") = a0;
	register uint64_t rdx __asm__("rdx") = a1;
	register uint64_t r10 __asm__("r10") = a2;
	register uint64_t r8 __asm__("r8") = 0;
	register uint64_t r9 __asm__("r9") = 0;
	register uint64_t fl __asm__("r12") = set;
	__asm__ volatile("lea -128(%%rsp), %%rsp\n\t"
			 "pushfq\n\t"
			 "or %%r12, (%%rsp)\n\t"
			 "popfq\n\t"
			 "syscall\n\t"
			 "pushfq\n\t"
			 "andq $~0x44500, (%%rsp)\n\t" /* NT, AC, DF, TF */
			 "popfq\n\t"
			 "lea 128(%%rsp), %%rsp"
			 : "+r"(rax), "+r"(rdi), "+r"(rsi), "+r"(rdx)
			 : "r"(r10), "r"(r8), "r"(r9), "r"(fl)
			 : "rcx", "r11", "memory", "cc");
	struct cap_result r = { (kerr_t)rax, rdi, rsi, rdx };
	return r;
}

static kerr_t spawn_child(const char *image, const char *arg, cap_handle_t *p)
{
	struct capos_spawn_cap caps[1] = { { con, CAP_RIGHT_WRITE, 0 } };
	struct capos_spawn_req req;
	memset(&req, 0, sizeof(req));
	req.image = (uint64_t)(uintptr_t)image;
	req.image_len = strlen(image);
	req.arg = (uint64_t)(uintptr_t)arg;
	req.arg_len = strlen(arg);
	req.caps = (uint64_t)(uintptr_t)caps;
	req.ncaps = 1;
	memcpy(req.limits, small_limits, sizeof(req.limits));
	return process_spawn(spawner, &req, p);
}

/* -- rflags ---------------------------------------------------------------------------------- */

#define SPINNERS 4
#define RFLAGS_ROUNDS 60

static int case_rflags(void)
{
	cap_handle_t spin[SPINNERS];
	struct capos_spawn_cap caps[1] = { { con, CAP_RIGHT_WRITE, 0 } };
	struct capos_spawn_req req;
	const char *img = "exit", *arg = "3";
	for (int i = 0; i < SPINNERS; i++)
		RT_EXPECT_ERR(spawn_child("spin", "", &spin[i]), KERR_OK);
	memset(&req, 0, sizeof(req));
	req.image = (uint64_t)(uintptr_t)img;
	req.image_len = strlen(img);
	req.arg = (uint64_t)(uintptr_t)arg;
	req.arg_len = strlen(arg);
	req.caps = (uint64_t)(uintptr_t)caps;
	req.ncaps = 1;
	memcpy(req.limits, small_limits, sizeof(req.limits));
	for (int round = 0; round < RFLAGS_ROUNDS; round++) {
		/* Spawn and a blocking wait, both entered with NT, AC and DF set. */
		struct cap_result r = invoke_flags(RF_NT | RF_AC | RF_DF, spawner, CAP_SPAWNER_SPAWN,
						   (uint64_t)(uintptr_t)&req, sizeof(req), 0);
		RT_EXPECT_ERR(r.err, KERR_OK);
		cap_handle_t child = (cap_handle_t)r.r0;
		struct cap_result w = invoke_flags(RF_NT | RF_AC | RF_DF, child, CAP_PROCESS_WAIT, 0,
						   0, 0);
		RT_EXPECT_ERR(w.err, KERR_OK);
		struct capos_exit_status st;
		capos_exit_status_unpack(w.r0, w.r1, w.r2, &st);
		RT_ASSERT(st.reason == CAPOS_EXIT_NORMAL && st.code == 3);
		RT_EXPECT_ERR(cap_drop(child), KERR_OK);
	}
	for (int i = 0; i < SPINNERS; i++) {
		struct capos_exit_status st;
		RT_EXPECT_ERR(process_kill(spin[i]), KERR_OK);
		RT_EXPECT_ERR(process_wait(spin[i], 0, &st), KERR_OK);
		RT_ASSERT(st.reason == CAPOS_EXIT_KILLED);
		cap_drop(spin[i]);
	}
	rt_printf("attack: rflags: %d blocking rounds with NT|AC|DF set\n", RFLAGS_ROUNDS);
	return 0;
}

/* TF before a system call: a debug trap in user mode ends only this process. */
static int case_rflags_tf(void)
{
	for (int i = 0; i < 20; i++) {
		struct cap_result r = invoke_flags(RF_TF, si->process, CAP_PROCESS_STAT, 0, 0, 0);
		RT_EXPECT_ERR(r.err, KERR_OK);
	}
	rt_printf("attack: rflags_tf: 20 calls with TF set returned\n");
	return 0;
}

/* -- wait_drop ------------------------------------------------------------------------------- */

static volatile uint32_t waiting;
static cap_handle_t wait_target;

static uint64_t waiter(void *arg, cap_handle_t self)
{
	struct capos_exit_status st;
	(void)arg;
	(void)self;
	__atomic_store_n(&waiting, 1, __ATOMIC_RELEASE);
	kerr_t e = process_wait(wait_target, 0, &st);
	if (e != KERR_OK) {
		rt_printf("attack: wait_drop: wait: %s\n", kerr_name(e));
		return 1000 + (uint64_t)e;
	}
	return st.reason == CAPOS_EXIT_NORMAL ? st.code : 999;
}

/*
 * The waiter must be asleep in PROCESS_WAIT when the capability goes; a user program cannot see
 * that, so a round where the drop came first (the waiter got KERR_INVALID_HANDLE) is retried
 * with a longer delay. It passes after 3 rounds in which the waiter blocked and returned 77.
 */
static int case_wait_drop(void)
{
	unsigned raced = 0, attempts = 0;
	while (raced < 3) {
		cap_handle_t t;
		uint64_t v, dummy;
		RT_ASSERT(++attempts <= 40);
		RT_EXPECT_ERR(spawn_child("attack", "sleeper 20000", &wait_target), KERR_OK);
		__atomic_store_n(&waiting, 0, __ATOMIC_RELEASE);
		RT_EXPECT_ERR(thread_start(waiter, NULL, stacks[0] + STACK_BYTES, &t), KERR_OK);
		while (!__atomic_load_n(&waiting, __ATOMIC_ACQUIRE))
			thread_cpu(si->thread, &dummy);
		for (unsigned i = 0; i < 200 * attempts; i++) /* let the waiter reach its sleep */
			thread_cpu(si->thread, &dummy);
		RT_EXPECT_ERR(cap_drop(wait_target), KERR_OK); /* the only Process capability */
		RT_EXPECT_ERR(thread_wait(t, &v), KERR_OK);
		RT_EXPECT_ERR(cap_drop(t), KERR_OK);
		rt_printf("attack: wait_drop: attempt %u: the waiter returned %lu\n", attempts,
			  (unsigned long)v);
		if (v == 1000 + (uint64_t)KERR_INVALID_HANDLE)
			continue; /* dropped before the wait began: no race, try again */
		RT_ASSERT(v == 77);
		raced++;
	}
	return 0;
}

static int case_sleeper(const char *n)
{
	uint64_t iters = rt_strtou64(n, NULL), dummy;
	for (uint64_t i = 0; i < iters; i++)
		thread_cpu(si->thread, &dummy);
	return 77;
}

/* -- memobj_drop ----------------------------------------------------------------------------- */

static cap_handle_t race_obj;
static volatile uint32_t race_round, race_done;
static uint64_t race_calls;

/* One worker for every round: waits for round r, races until a call fails, reports done. */
static uint64_t obj_user(void *arg, cap_handle_t self)
{
	uint64_t base, dummy;
	unsigned rounds = (unsigned)(uintptr_t)arg;
	(void)self;
	for (unsigned r = 1; r <= rounds; r++) {
		while (__atomic_load_n(&race_round, __ATOMIC_ACQUIRE) != r)
			thread_cpu(si->thread, &dummy);
		for (;;) {
			struct cap_result q = cap_invoke(race_obj, CAP_MEMOBJ_INFO, 0, 0, 0, 0, 0);
			__atomic_add_fetch(&race_calls, 1, __ATOMIC_RELEASE);
			if (q.err != KERR_OK)
				break;
			kerr_t e = memobj_map(race_obj, si->vm, 0, 0, 2 * 4096,
					      CAPOS_PROT_READ | CAPOS_PROT_WRITE, &base);
			__atomic_add_fetch(&race_calls, 1, __ATOMIC_RELEASE);
			if (e != KERR_OK)
				break;
			e = memobj_unmap(race_obj, si->vm, base, 2 * 4096);
			__atomic_add_fetch(&race_calls, 1, __ATOMIC_RELEASE);
			if (e != KERR_OK)
				break;
		}
		__atomic_store_n(&race_done, r, __ATOMIC_RELEASE);
	}
	return 0;
}

#define OBJ_ROUNDS 40

static int case_memobj_drop(void)
{
	uint64_t used0, used1, lim, v, dummy;
	cap_handle_t t;
	RT_EXPECT_ERR(ledger_usage(si->ledger, CAPOS_LEDGER_OBJECT, &used0, &lim), KERR_OK);
	RT_EXPECT_ERR(thread_start(obj_user, (void *)(uintptr_t)OBJ_ROUNDS,
				   stacks[1] + STACK_BYTES, &t), KERR_OK);
	for (unsigned r = 1; r <= OBJ_ROUNDS; r++) {
		RT_EXPECT_ERR(frame_allocate(fa, 2, &race_obj), KERR_OK);
		uint64_t c0 = __atomic_load_n(&race_calls, __ATOMIC_ACQUIRE);
		__atomic_store_n(&race_round, r, __ATOMIC_RELEASE);
		/* Drop after the worker made r calls of this round (while it makes more). */
		while (__atomic_load_n(&race_calls, __ATOMIC_ACQUIRE) < c0 + r)
			thread_cpu(si->thread, &dummy);
		RT_EXPECT_ERR(cap_drop(race_obj), KERR_OK); /* the last capability */
		while (__atomic_load_n(&race_done, __ATOMIC_ACQUIRE) != r)
			thread_cpu(si->thread, &dummy);
	}
	RT_EXPECT_ERR(thread_wait(t, &v), KERR_OK);
	RT_EXPECT_ERR(cap_drop(t), KERR_OK);
	RT_EXPECT_ERR(ledger_usage(si->ledger, CAPOS_LEDGER_OBJECT, &used1, &lim), KERR_OK);
	rt_printf("attack: memobj_drop: %d rounds, %lu racing calls, object pages %lu -> %lu\n",
		  OBJ_ROUNDS, (unsigned long)race_calls, (unsigned long)used0,
		  (unsigned long)used1);
	RT_ASSERT(used0 == used1);
	return 0;
}

/* -- thread_reuse ---------------------------------------------------------------------------- */

static uint64_t trivial(void *arg, cap_handle_t self)
{
	(void)self;
	return (uint64_t)(uintptr_t)arg;
}

static int case_thread_reuse(void)
{
	for (unsigned i = 0; i < 40; i++) {
		cap_handle_t t;
		uint64_t v;
		kerr_t e = thread_start(trivial, (void *)(uintptr_t)(i + 100), stacks[2] + STACK_BYTES,
					&t);
		if (e != KERR_OK) {
			rt_printf("attack: thread_reuse: thread %u: %s\n", i, kerr_name(e));
			return 1;
		}
		RT_EXPECT_ERR(thread_wait(t, &v), KERR_OK);
		RT_ASSERT(v == i + 100);
		RT_EXPECT_ERR(cap_drop(t), KERR_OK);
	}
	struct cap_result st = cap_invoke(si->process, CAP_PROCESS_STAT, 0, 0, 0, 0, 0);
	RT_ASSERT(st.err == KERR_OK && st.r2 == 1);
	rt_printf("attack: thread_reuse: 40 threads started and joined, %lu live\n",
		  (unsigned long)st.r2);
	return 0;
}

/* -- spawn_order ----------------------------------------------------------------------------- */

static kerr_t spawn_caps(const struct capos_spawn_cap *caps, uint64_t n)
{
	struct capos_spawn_req req;
	cap_handle_t p;
	const char *img = "exit";
	memset(&req, 0, sizeof(req));
	req.image = (uint64_t)(uintptr_t)img;
	req.image_len = 4;
	req.caps = (uint64_t)(uintptr_t)caps;
	req.ncaps = n;
	memcpy(req.limits, small_limits, sizeof(req.limits));
	kerr_t e = process_spawn(spawner, &req, &p);
	if (e == KERR_OK) {
		struct capos_exit_status st;
		process_wait(p, 0, &st);
		cap_drop(p);
	}
	return e;
}

static int case_spawn_order(void)
{
	const cap_handle_t bogus = 0x7fff0000u;
	struct cap_result before = cap_invoke(si->process, CAP_PROCESS_STAT, 0, 0, 0, 0, 0);
	/* 5: undefined flags in any item come before the per-item lookups. */
	struct capos_spawn_cap a[2] = { { bogus, CAP_RIGHT_WRITE, 0 }, { si->vm, CAP_RIGHT_READ, 0x80 } };
	RT_EXPECT_ERR(spawn_caps(a, 2), KERR_INVALID_ARG);
	/* No TRANSFER right comes before undefined rights bits. */
	cap_handle_t no_xfer;
	RT_EXPECT_ERR(cap_copy(con, CAP_RIGHT_WRITE, &no_xfer), KERR_OK);
	struct capos_spawn_cap b[1] = { { no_xfer, CAP_RIGHT_WRITE | 0x80000000u, 0 } };
	RT_EXPECT_ERR(spawn_caps(b, 1), KERR_NO_RIGHTS);
	RT_EXPECT_ERR(cap_drop(no_xfer), KERR_OK);
	/* More rights than held comes before a slot named twice. */
	struct capos_spawn_cap c[2] = { { si->vm, CAP_RIGHT_READ, 0 },
					{ si->vm, CAP_RIGHT_ALLOCATE, 0 } };
	RT_EXPECT_ERR(spawn_caps(c, 2), KERR_NO_RIGHTS);
	/* And each alone still gets its own error. */
	struct capos_spawn_cap d[2] = { { si->vm, CAP_RIGHT_READ, 0 }, { si->vm, CAP_RIGHT_READ, 0 } };
	RT_EXPECT_ERR(spawn_caps(d, 2), KERR_INVALID_ARG);
	struct capos_spawn_cap e[1] = { { bogus, CAP_RIGHT_READ, 0 } };
	kerr_t ee = spawn_caps(e, 1);
	RT_ASSERT(ee == KERR_INVALID_HANDLE || ee == KERR_STALE_HANDLE);
	struct capos_spawn_cap f[1] = { { si->vm, CAP_RIGHT_READ | 0x80000000u, 0 } };
	RT_EXPECT_ERR(spawn_caps(f, 1), KERR_INVALID_ARG);
	struct cap_result after = cap_invoke(si->process, CAP_PROCESS_STAT, 0, 0, 0, 0, 0);
	RT_ASSERT(before.r0 == after.r0);
	rt_printf("attack: spawn_order: every invalid transfer list got abi.h's error\n");
	return 0;
}

int main(const struct capos_start_info *start)
{
	si = start;
	con = rt_console;
	spawner = si->ncaps > 1 ? si->caps[1] : CAP_HANDLE_NONE;
	fa = si->ncaps > 2 ? si->caps[2] : CAP_HANDLE_NONE;
	const char *c = si->arg;
	if (!memcmp(c, "sleeper ", 8))
		return case_sleeper(c + 8);
	if (!strcmp(c, "rflags"))
		return case_rflags();
	if (!strcmp(c, "rflags_tf"))
		return case_rflags_tf();
	if (!strcmp(c, "wait_drop"))
		return case_wait_drop();
	if (!strcmp(c, "memobj_drop"))
		return case_memobj_drop();
	if (!strcmp(c, "thread_reuse"))
		return case_thread_reuse();
	if (!strcmp(c, "spawn_order"))
		return case_spawn_order();
	rt_printf("attack: unknown case '%s'\n", c);
	return 2;
}
