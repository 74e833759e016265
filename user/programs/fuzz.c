/*
 * fuzz.c - one worker process of the invocation fuzzer (issue 12). init (scenario fuzz*) runs
 * several of these at once for each round and checks afterwards that its ledger, the free
 * frames, the kernel heap and the live process and thread counts came back and that the kernel
 * still answers.
 *
 * Argument: "<seed> <calls> <threads>". The worker runs <threads> threads (its initial one
 * included); thread i makes <calls> invocations drawn from a xorshift generator seeded with
 * seed * 64 + i: a method (every method of capos/abi.h, or a random method number), a handle
 * (one it holds, one it dropped (stale), one a sibling thread may be dropping or using at this
 * moment, or a random, zero or huge value) and boundary or random arguments; before the
 * `syscall` it may set NT, AC and DF and load a hostile RSP (zero, kernel, non-canonical,
 * misaligned). Each thread's sequence follows from its seed; how the threads interleave does not,
 * so a failure reproduces by rerunning its seed until the interleaving recurs.
 *
 * The worker keeps itself alive: address arguments that would be valid are kept inside its
 * arena (never its image, stack, start record or the statistics page), PROCESS_EXIT and
 * THREAD_EXIT are drawn rarely, threads start only at a stub that exits or at invalid entries,
 * blocking waits are used only on what ends by itself (its `exit`/`fault` children; thread waits
 * are NOHANG: a stub whose handle was dropped cannot exit), and its start handles and worker threads are never dropped or moved (their
 * copies, its objects and children are).
 *
 * Statistics: calls[method][error] are added atomically to a page shared by all workers (a
 * MemoryObject from init, mapped at FUZZ_STATS_VA); init prints them.
 *
 * Start capabilities: caps[0] Console, caps[1] ProcessSpawner, caps[2] FrameAllocator,
 * caps[3] Diag, caps[4] the statistics MemoryObject (READ | WRITE | MAP).
 */
#include <caprt.h>

#include "fuzz.h"

#define MAX_THREADS 8
#define STACK_BYTES 16384
#define POOL 48
#define ARENA CAPOS_USER_MMAP_BASE
#define ARENA_PAGES 4096ull
#define ARENA_END (ARENA + ARENA_PAGES * 4096)
#define RARE 20000 /* 1 in RARE: PROCESS_EXIT, THREAD_EXIT, a real console write */

static const struct capos_start_info *si;
static struct fuzz_stats *stats;
static uint64_t ncalls;
static cap_handle_t pool[POOL];         /* handles anyone may use or drop */
static cap_handle_t stub_threads[8];    /* threads started at the stub (they exit at once) */
static cap_handle_t typed[CAP_TYPE_COUNT][8]; /* handles of a known type (maybe dropped since) */
static cap_handle_t protect[MAX_THREADS + 12];
static unsigned nprotect;
static uint8_t stacks[MAX_THREADS][STACK_BYTES] __attribute__((aligned(16)));

/* A thread started by a fuzzed PROCESS_THREAD_START: exits at once (THREAD_EXIT on rdx, its
 * own handle), never touching its stack. A sibling may have dropped that handle already: then
 * it retries until the process ends (the worker's exit ends it). */
extern char fuzz_stub_entry[];
__asm__(".pushsection .text\n"
	".globl fuzz_stub_entry\n"
	"fuzz_stub_entry:\n"
	"	mov %rdx, %rbx\n"
	"1:	mov %rbx, %rdi\n"
	"	mov $" "0x400" ", %eax\n" /* CAP_THREAD_EXIT = CAP_METHOD_BASE(CAP_TYPE_THREAD) */
	"	xor %esi, %esi\n"
	"	syscall\n"
	"	pause\n"
	"	jmp 1b\n"
	".popsection\n");
_Static_assert(CAP_THREAD_EXIT == 0x400, "fuzz_stub_entry's method number");

static uint64_t rnd(uint64_t *s)
{
	uint64_t x = *s;
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return *s = x;
}

static uint64_t pick(uint64_t *s, uint64_t n)
{
	return n ? rnd(s) % n : 0;
}

static bool is_protected(cap_handle_t h)
{
	for (unsigned i = 0; i < nprotect; i++)
		if (CAP_HANDLE_SLOT(protect[i]) == CAP_HANDLE_SLOT(h))
			return true;
	return false;
}

static cap_handle_t any_handle(uint64_t *s);

static void typed_add(uint64_t *s, uint32_t type, cap_handle_t h)
{
	if (type < CAP_TYPE_COUNT && h != CAP_HANDLE_NONE)
		__atomic_store_n(&typed[type][pick(s, 8)], h, __ATOMIC_RELAXED);
}

/* Half the time a handle of the method's own type (so decode goes past the type check). */
static cap_handle_t handle_for(uint64_t *s, capos_method_t m, uint32_t *type)
{
	uint64_t t = CAP_METHOD_TYPE(m);
	*type = CAP_TYPE_NULL;
	if (t == CAP_TYPE_NULL)
		t = 1 + pick(s, CAP_TYPE_COUNT - 1);
	if (t < CAP_TYPE_COUNT && pick(s, 2)) {
		cap_handle_t h = __atomic_load_n(&typed[t][pick(s, 8)], __ATOMIC_RELAXED);
		if (h != CAP_HANDLE_NONE) {
			*type = (uint32_t)t;
			return h;
		}
	}
	return any_handle(s);
}

static cap_handle_t any_handle(uint64_t *s)
{
	unsigned k = (unsigned)pick(s, 20);
	cap_handle_t h = __atomic_load_n(&pool[pick(s, POOL)], __ATOMIC_RELAXED);
	if (k < 13)
		return h;
	if (k < 15) /* stale: same slot, another generation */
		return CAP_HANDLE_MAKE(CAP_HANDLE_SLOT(h), CAP_HANDLE_GEN(h) + 1 + pick(s, 3));
	if (k < 16)
		return CAP_HANDLE_NONE;
	if (k < 17)
		return ~(cap_handle_t)0;
	if (k < 18)
		return __atomic_load_n(&stub_threads[pick(s, 8)], __ATOMIC_RELAXED);
	return rnd(s) & (pick(s, 2) ? 0xffffffffull : ~0ull);
}

static void pool_add(uint64_t *s, cap_handle_t h)
{
	if (h != CAP_HANDLE_NONE)
		__atomic_store_n(&pool[pick(s, POOL)], h, __ATOMIC_RELAXED);
}

/* An address: mostly page-aligned in the arena, else a boundary or random value. */
static uint64_t any_addr(uint64_t *s)
{
	static const uint64_t edge[] = {
		0, 1, 0xfff, CAPOS_USER_VA_END, CAPOS_USER_VA_END + 4096, 0xffff800000000000ull,
		0xffffffff80000000ull, 0x8000000000000000ull, ~0ull, ~0xfffull, ARENA_END,
	};
	unsigned k = (unsigned)pick(s, 16);
	if (k < 10)
		return ARENA + pick(s, ARENA_PAGES) * 4096;
	if (k < 11)
		return ARENA + pick(s, ARENA_PAGES * 4096);
	if (k < 15)
		return edge[pick(s, sizeof(edge) / sizeof(edge[0]))];
	return rnd(s);
}

static uint64_t any_len(uint64_t *s)
{
	static const uint64_t edge[] = { 0, 1, 4095, 4097, 1ull << 47, ~0ull, ~0xfffull,
					 ARENA_PAGES * 4096, 1ull << 32 };
	unsigned k = (unsigned)pick(s, 16);
	if (k < 11)
		return (1 + pick(s, 16)) * 4096;
	if (k < 15)
		return edge[pick(s, sizeof(edge) / sizeof(edge[0]))];
	return rnd(s);
}

/* A valid range outside the arena could hit the worker's own image or stack: move it in. */
static void keep_in_arena(uint64_t *addr, uint64_t *len)
{
	if (!capos_user_range_ok(*addr, *len) || *len == 0)
		return;
	if (*addr >= ARENA && *addr <= ARENA_END && *len <= ARENA_END - *addr)
		return;
	*addr = ARENA + ((*addr % (ARENA_PAGES * 4096)) & ~0xfffull);
	if (*len > ARENA_END - *addr)
		*len = ARENA_END - *addr;
}

static uint64_t any_small(uint64_t *s, uint64_t n)
{
	unsigned k = (unsigned)pick(s, 8);
	if (k < 6)
		return pick(s, n);
	return k == 6 ? ~0ull : rnd(s);
}

static const capos_method_t methods[FUZZ_METHODS - 1] = {
	CAP_INFO, CAP_COPY, CAP_DROP, CAP_CONSOLE_WRITE, CAP_SPAWNER_SPAWN, CAP_PROCESS_WAIT,
	CAP_PROCESS_KILL, CAP_PROCESS_EXIT, CAP_PROCESS_THREAD_START, CAP_PROCESS_STAT,
	CAP_THREAD_EXIT, CAP_THREAD_WAIT, CAP_THREAD_CPU, CAP_VM_RESERVE, CAP_VM_COMMIT,
	CAP_VM_PROTECT, CAP_VM_DECOMMIT, CAP_VM_UNMAP, CAP_VM_QUERY, CAP_FRAMEALLOC_ALLOCATE,
	CAP_MEMOBJ_MAP, CAP_MEMOBJ_UNMAP, CAP_MEMOBJ_PROTECT, CAP_MEMOBJ_INFO, CAP_LEDGER_USAGE,
	CAP_DIAG_READ,
	/* Slice C (issue 13): pins, SharedBuffer, ParkSpace. */
	CAP_VM_PIN, CAP_VM_UNPIN, CAP_MEMOBJ_SHARED_BUFFER, CAP_MEMOBJ_PIN, CAP_MEMOBJ_UNPIN,
	CAP_SBUF_MAP, CAP_SBUF_UNMAP, CAP_SBUF_PRODUCE, CAP_SBUF_CONSUME, CAP_SBUF_INFO,
	CAP_PARK_WAIT, CAP_PARK_WAKE,
	/* Slice F (issue 14): page eligibility. */
	CAP_VM_ELIGIBILITY,
};
_Static_assert(sizeof(methods) / sizeof(methods[0]) == FUZZ_METHODS - 1, "fuzz: method table");

/* Per thread: the spawn request and its capability list live on the thread's own stack. */
struct spawn_buf {
	struct capos_spawn_req req;
	struct capos_spawn_cap caps[4];
	char arg[8];
};

static const char *const images[] = { "exit", "fault", "nosuch", "" };
static const char *const fault_args[] = { "null", "ro", "nx", "x" };

static uint64_t fill_spawn(uint64_t *s, struct spawn_buf *b)
{
	unsigned img = (unsigned)pick(s, 8);
	const char *name = images[img < 5 ? 0 : img < 6 ? 1 : img - 4];
	memset(b, 0, sizeof(*b));
	b->req.image = pick(s, 10) ? (uint64_t)(uintptr_t)name : any_addr(s);
	b->req.image_len = pick(s, 10) ? strlen(name) : any_small(s, 40);
	if (img < 5) {
		b->arg[0] = (char)('0' + pick(s, 10));
	} else {
		const char *fa = fault_args[pick(s, 4)];
		memcpy(b->arg, fa, strlen(fa) + 1);
	}
	b->req.arg = pick(s, 10) ? (uint64_t)(uintptr_t)b->arg : any_addr(s);
	b->req.arg_len = pick(s, 10) ? strlen(b->arg) : any_small(s, 300);
	b->req.ncaps = pick(s, 8) ? pick(s, 5) : any_small(s, 20);
	b->req.caps = pick(s, 10) ? (uint64_t)(uintptr_t)b->caps : any_addr(s);
	for (unsigned i = 0; i < 4; i++) {
		cap_handle_t h = pick(s, 3) ? si->caps[0] : any_handle(s);
		uint32_t fl = pick(s, 6) ? 0 : (uint32_t)any_small(s, 4);
		if ((fl & CAPOS_SPAWN_CAP_MOVE) && is_protected(h))
			fl &= ~CAPOS_SPAWN_CAP_MOVE;
		b->caps[i] = (struct capos_spawn_cap){ h, (uint32_t)any_small(s, 1u << 12), fl };
	}
	for (unsigned k = 0; k < CAPOS_LEDGER_KIND_COUNT; k++)
		b->req.limits[k] = pick(s, 10) ? 4 + pick(s, 24) : any_small(s, 1u << 20);
	return (uint64_t)(uintptr_t)&b->req;
}

/*
 * One `syscall` with hostile state: RFLAGS bits @fl (NT, AC, DF) set before it and cleared
 * after it; RSP = @hrsp across it when nonzero (restored from r12 afterwards). The red zone is
 * stepped over for the flag pushes.
 */
static struct cap_result hostile_invoke(cap_handle_t h, capos_method_t m, const uint64_t a[5],
					uint64_t fl, uint64_t hrsp)
{
	register uint64_t rax __asm__("rax") = m;
	register uint64_t rdi __asm__("rdi") = h;
	register uint64_t rsi __asm__("rsi") = a[0];
	register uint64_t rdx __asm__("rdx") = a[1];
	register uint64_t r10 __asm__("r10") = a[2];
	register uint64_t r8 __asm__("r8") = a[3];
	register uint64_t r9 __asm__("r9") = a[4];
	register uint64_t r13 __asm__("r13") = hrsp;
	register uint64_t r14 __asm__("r14") = fl;
	__asm__ volatile("mov %%rsp, %%r12\n\t"
			 "lea -128(%%rsp), %%rsp\n\t"
			 "pushfq\n\t"
			 "or %%r14, (%%rsp)\n\t"
			 "popfq\n\t"
			 "test %%r13, %%r13\n\t"
			 "jz 1f\n\t"
			 "mov %%r13, %%rsp\n"
			 "1:\n\t"
			 "syscall\n\t"
			 "mov %%r12, %%rsp\n\t"
			 "lea -128(%%rsp), %%rsp\n\t"
			 "pushfq\n\t"
			 "andq $~0x44400, (%%rsp)\n\t" /* NT, AC, DF */
			 "popfq\n\t"
			 "lea 128(%%rsp), %%rsp"
			 : "+r"(rax), "+r"(rdi), "+r"(rsi), "+r"(rdx), "+r"(r13), "+r"(r14)
			 : "r"(r10), "r"(r8), "r"(r9)
			 : "rcx", "r11", "r12", "memory", "cc");
	struct cap_result r = { (kerr_t)rax, rdi, rsi, rdx };
	return r;
}

static void count(unsigned mi, kerr_t e)
{
	unsigned ei = (unsigned)e < FUZZ_ERRS ? (unsigned)e : FUZZ_ERRS - 1;
	__atomic_add_fetch(&stats->calls[mi][ei], 1, __ATOMIC_RELAXED);
}

static void one_call(uint64_t *s, struct spawn_buf *sb)
{
	static const uint64_t hostile_rsp[] = { 0x8, 0xffff800000000000ull, 0x8000000000000000ull,
						0xffffffff80001000ull, ARENA + 3 };
	unsigned mi = (unsigned)pick(s, FUZZ_METHODS);
	capos_method_t m = mi < FUZZ_METHODS - 1 ? methods[mi]
						 : (capos_method_t)any_small(s, 0x1000);
	uint32_t htype;
	cap_handle_t h = handle_for(s, m, &htype);
	uint64_t a[5] = { any_small(s, 64), any_small(s, 64), any_small(s, 64), any_small(s, 64),
			  any_small(s, 64) };
	uint64_t fl = 0, hrsp = 0;

	switch (m) {
	case CAP_COPY:
		a[0] = pick(s, 4) ? pick(s, 1u << 12) : rnd(s);
		break;
	case CAP_DROP:
		if (is_protected(h))
			m = CAP_INFO, mi = 0;
		break;
	case CAP_CONSOLE_WRITE:
		if (pick(s, RARE) == 0) {
			a[0] = (uint64_t)(uintptr_t)"fuzz: console write\n";
			a[1] = 20;
		} else {
			a[0] = any_addr(s);
			a[1] = pick(s, 2) ? 0 : any_len(s);
			if (a[1] && capos_user_range_ok(a[0], a[1]) && a[0] >= ARENA)
				a[1] = pick(s, 64); /* unmapped or zero arena bytes: short */
		}
		break;
	case CAP_SPAWNER_SPAWN:
		a[0] = pick(s, 10) ? fill_spawn(s, sb) : any_addr(s);
		a[1] = pick(s, 10) ? sizeof(struct capos_spawn_req) : any_small(s, 200);
		break;
	case CAP_PROCESS_WAIT:
		a[0] = pick(s, 3) ? 0 : any_small(s, 4);
		break;
	case CAP_PROCESS_EXIT:
	case CAP_THREAD_EXIT:
		if (pick(s, RARE) != 0)
			m = CAP_PROCESS_STAT, mi = 9; /* keep the worker alive (mostly) */
		break;
	case CAP_PROCESS_THREAD_START:
		/* A valid entry other than the stub would run garbage and end the worker. */
		a[0] = pick(s, 2) ? (uint64_t)(uintptr_t)fuzz_stub_entry
				  : (pick(s, 2) ? 0xffff800000000000ull : rnd(s) | (1ull << 63));
		a[1] = pick(s, 2) ? ARENA + 16 * pick(s, 1000) : any_addr(s);
		break;
	case CAP_THREAD_WAIT:
		/* Never blocking: a stub whose handle a sibling dropped cannot exit and spins until
		 * the worker ends, so a blocking wait on it (through a copy) would never return. */
		if (a[0] == 0)
			a[0] = CAPOS_WAIT_NOHANG;
		if (pick(s, 2))
			h = __atomic_load_n(&stub_threads[pick(s, 8)], __ATOMIC_RELAXED);
		break;
	case CAP_VM_RESERVE:
		a[0] = any_len(s);
		a[1] = any_addr(s);
		a[2] = pick(s, 2) ? CAPOS_MAP_FIXED * pick(s, 2) : any_small(s, 1u << 10);
		if (a[2] & CAPOS_MAP_FIXED)
			keep_in_arena(&a[1], &a[0]);
		break;
	case CAP_VM_COMMIT:
	case CAP_VM_PROTECT:
	case CAP_VM_DECOMMIT:
	case CAP_VM_UNMAP:
	case CAP_VM_QUERY:
		a[0] = any_addr(s);
		a[1] = any_len(s);
		keep_in_arena(&a[0], &a[1]);
		a[2] = pick(s, 4) ? pick(s, 8) | (pick(s, 3) ? 0 : CAPOS_COMMIT_LAZY)
				  : any_small(s, 1u << 10);
		break;
	case CAP_VM_ELIGIBILITY: /* any address; a purpose, sometimes none */
		a[0] = any_addr(s);
		a[1] = pick(s, 4) ? pick(s, ELIG_PURPOSE_COUNT) : any_small(s, 1u << 10);
		break;
	case CAP_FRAMEALLOC_ALLOCATE:
		a[0] = pick(s, 4) ? 1 + pick(s, 8) : any_small(s, 1u << 25);
		break;
	case CAP_MEMOBJ_MAP:
		a[0] = pick(s, 2) ? typed[CAP_TYPE_VIRTUAL_MEMORY][pick(s, 8)] : any_handle(s);
		a[1] = any_addr(s);
		a[2] = pick(s, 3) ? 4096 * pick(s, 4) : any_len(s);
		a[3] = any_len(s);
		a[4] = pick(s, 4) ? pick(s, 8) | (pick(s, 2) ? CAPOS_MAP_FIXED : 0)
				  : any_small(s, 1u << 10);
		if (a[4] & CAPOS_MAP_FIXED)
			keep_in_arena(&a[1], &a[3]);
		break;
	case CAP_MEMOBJ_UNMAP:
	case CAP_MEMOBJ_PROTECT:
		a[0] = pick(s, 2) ? typed[CAP_TYPE_VIRTUAL_MEMORY][pick(s, 8)] : any_handle(s);
		a[1] = any_addr(s);
		a[2] = any_len(s);
		keep_in_arena(&a[1], &a[2]);
		a[3] = pick(s, 4) ? pick(s, 8) : rnd(s);
		break;
	case CAP_LEDGER_USAGE:
		a[0] = any_small(s, CAPOS_LEDGER_KIND_COUNT + 2);
		break;
	case CAP_VM_PIN:
	case CAP_VM_UNPIN:
		a[0] = any_addr(s);
		a[1] = any_len(s);
		keep_in_arena(&a[0], &a[1]);
		break;
	case CAP_MEMOBJ_SHARED_BUFFER:
		/* Never on the statistics object (a start handle): the kernel would make its first
		 * page a ring header, and init reads the counts from there. */
		if (is_protected(h))
			m = CAP_INFO, mi = 0;
		a[0] = pick(s, 3) ? 1 + pick(s, 3 * 4096) : any_len(s);
		break;
	case CAP_MEMOBJ_PIN:
	case CAP_MEMOBJ_UNPIN:
		a[0] = pick(s, 2) ? 4096 * pick(s, 4) : any_len(s);
		a[1] = pick(s, 2) ? 4096 * (1 + pick(s, 3)) : any_len(s);
		break;
	case CAP_SBUF_MAP:
	case CAP_SBUF_UNMAP:
		a[0] = pick(s, 2) ? typed[CAP_TYPE_VIRTUAL_MEMORY][pick(s, 8)] : any_handle(s);
		a[1] = any_addr(s);
		a[2] = pick(s, 4) ? pick(s, 8) | (pick(s, 2) ? CAPOS_MAP_FIXED : 0)
				  : any_small(s, 1u << 10);
		if (a[2] & CAPOS_MAP_FIXED) {
			uint64_t len = 4 * 4096;
			keep_in_arena(&a[1], &len);
		}
		break;
	case CAP_SBUF_PRODUCE:
	case CAP_SBUF_CONSUME:
		a[0] = any_small(s, 3 * 4096);
		break;
	case CAP_PARK_WAIT:
		/* A wait that blocks needs a wake no one may send: the expected value has its top
		 * bit set and 31 random bits, so the word (the fuzzer writes none) all but never
		 * equals it and the call returns WOULD_BLOCK; a0 is any address, a2 a timeout. */
		a[0] = pick(s, 2) ? (any_addr(s) & ~3ull) : any_addr(s);
		a[1] = pick(s, 8) ? (0x80000000u | (uint32_t)rnd(s)) : rnd(s) | (1ull << 32);
		a[2] = pick(s, 8) ? 0 : rnd(s);
		break;
	case CAP_PARK_WAKE:
		a[0] = pick(s, 2) ? (any_addr(s) & ~3ull) : any_addr(s);
		a[1] = any_small(s, 8);
		break;
	case CAP_DIAG_READ:
		a[0] = any_small(s, CAPOS_DIAG_COUNT + 2);
		break;
	default:
		break;
	}
	if (pick(s, 4) == 0)
		fl = (pick(s, 2) ? 0x4000 : 0) | (pick(s, 2) ? 0x40000 : 0) | (pick(s, 2) ? 0x400 : 0);
	if (pick(s, 8) == 0)
		hrsp = hostile_rsp[pick(s, sizeof(hostile_rsp) / sizeof(hostile_rsp[0]))];
	struct cap_result r = hostile_invoke(h, m, a, fl, hrsp);
	count(mi, r.err);
	__atomic_add_fetch(&ncalls, 1, __ATOMIC_RELAXED);
	if (r.err != KERR_OK)
		return;
	if (m == CAP_COPY || m == CAP_FRAMEALLOC_ALLOCATE || m == CAP_SPAWNER_SPAWN)
		pool_add(s, r.r0);
	if (m == CAP_COPY)
		typed_add(s, htype, r.r0);
	if (m == CAP_FRAMEALLOC_ALLOCATE)
		typed_add(s, CAP_TYPE_MEMORY_OBJECT, r.r0);
	if (m == CAP_SPAWNER_SPAWN)
		typed_add(s, CAP_TYPE_PROCESS, r.r0);
	if (m == CAP_MEMOBJ_SHARED_BUFFER) {  /* a producer and a consumer end */
		pool_add(s, r.r0);
		pool_add(s, r.r1);
		typed_add(s, CAP_TYPE_SHARED_BUFFER, r.r0);
		typed_add(s, CAP_TYPE_SHARED_BUFFER, r.r1);
	}
	if (m == CAP_PROCESS_THREAD_START && a[0] == (uint64_t)(uintptr_t)fuzz_stub_entry) {
		__atomic_store_n(&stub_threads[pick(s, 8)], r.r0, __ATOMIC_RELAXED);
		pool_add(s, r.r0);
		typed_add(s, CAP_TYPE_THREAD, r.r0);
	}
}

struct worker {
	uint64_t seed, calls;
};
static struct worker workers[MAX_THREADS];

static uint64_t fuzz_thread(void *arg, cap_handle_t self)
{
	struct worker *w = arg;
	struct spawn_buf sb;
	uint64_t s = w->seed * 0x9e3779b97f4a7c15ull + 1;
	(void)self;
	for (uint64_t i = 0; i < w->calls; i++)
		one_call(&s, &sb);
	return 0;
}

int main(const struct capos_start_info *start)
{
	const char *p = start->arg;
	si = start;
	uint64_t seed = rt_strtou64(p, &p);
	while (*p == ' ')
		p++;
	uint64_t calls = rt_strtou64(p, &p);
	while (*p == ' ')
		p++;
	uint64_t nthreads = rt_strtou64(p, &p);
	if (si->ncaps < 5 || nthreads < 1 || nthreads > MAX_THREADS) {
		rt_printf("fuzz: bad start (%u caps, '%s')\n", si->ncaps, si->arg);
		return 2;
	}
	uint64_t base;
	RT_EXPECT_ERR(memobj_map(si->caps[4], si->vm, FUZZ_STATS_VA, 0, FUZZ_STATS_PAGES * 4096,
				 CAPOS_PROT_READ | CAPOS_PROT_WRITE | CAPOS_MAP_FIXED, &base),
		      KERR_OK);
	stats = (struct fuzz_stats *)(uintptr_t)base;
	const cap_handle_t held[] = { si->process, si->thread, si->vm, si->ledger, si->caps[0],
				      si->caps[1], si->caps[2], si->caps[3] };
	for (unsigned i = 0; i < POOL; i++)
		pool[i] = held[i % (sizeof(held) / sizeof(held[0]))];
	const struct { uint32_t type; cap_handle_t h; } known[] = {
		{ CAP_TYPE_PROCESS, si->process }, { CAP_TYPE_THREAD, si->thread },
		{ CAP_TYPE_VIRTUAL_MEMORY, si->vm }, { CAP_TYPE_LEDGER, si->ledger },
		{ CAP_TYPE_CONSOLE, si->caps[0] }, { CAP_TYPE_PROCESS_SPAWNER, si->caps[1] },
		{ CAP_TYPE_FRAME_ALLOCATOR, si->caps[2] }, { CAP_TYPE_DIAG, si->caps[3] },
		{ CAP_TYPE_PARK_SPACE, si->caps[5] },
	};
	for (unsigned i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		for (unsigned j = 0; j < 8; j++)
			typed[known[i].type][j] = known[i].h;
	/* The start handles stay (copies of them, objects and children are dropped at will). */
	for (unsigned i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		protect[nprotect++] = known[i].h;
	protect[nprotect++] = si->caps[4];
	cap_handle_t th[MAX_THREADS];
	for (unsigned i = 0; i < nthreads; i++)
		workers[i] = (struct worker){ seed * 64 + i, calls };
	for (unsigned i = 1; i < nthreads; i++) {
		RT_EXPECT_ERR(thread_start(fuzz_thread, &workers[i], stacks[i] + STACK_BYTES, &th[i]),
			      KERR_OK);
		protect[nprotect++] = th[i];
	}
	fuzz_thread(&workers[0], si->thread);
	for (unsigned i = 1; i < nthreads; i++) {
		uint64_t v;
		RT_EXPECT_ERR(thread_wait(th[i], &v), KERR_OK);
	}
	__atomic_add_fetch(&stats->workers_done, 1, __ATOMIC_RELAXED);
	return 0;
}
