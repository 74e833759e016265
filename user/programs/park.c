/*
 * park.c - Slice C scenarios of ParkSpace (and of pins, when given): wait and wake across
 * processes sharing a MemoryObject, across unmap, decommit, remap, transfer, release and reuse,
 * and process exit with waiters held; and Slice F's page eligibility of every kind of page a
 * process holds (elig).
 *
 * One program, two roles, chosen by the argument:
 *
 *   driver "<scenario>"  spawned by init with Console, ProcessSpawner, FrameAllocator, Diag
 *                        and ParkSpace; runs the scenario, spawning this program in a child
 *                        role, and exits 0 when it passed.
 *   child  "<role> ..."  spawned by the driver with Console, ParkSpace, Diag and (for most
 *                        roles) one MemoryObject or SharedBuffer: waiters N, wake, gone,
 *                        hold N, pins, consume.
 *
 * Every wait is decided by counts: the driver waits until the kernel's count of parked threads
 * (CAPOS_DIAG_PARK_WAITERS) reaches the number it expects, within a bounded number of reads,
 * never by elapsed time.
 */
#include <caprt.h>

#define PG 4096ull
#define RW (CAPOS_PROT_READ | CAPOS_PROT_WRITE)
#define MAX_WAITERS 4
#define STACK_BYTES 16384
#define POLL_READS 20000000ull /* diag reads before a wait for waiters gives up (a hang guard) */

/* Addresses: each role maps at its own, so no two sides share a virtual address. */
#define DRV_VA 0x310000000000ull   /* the driver's mapping of the object */
#define DRV_VA2 0x320000000000ull  /* the driver's second mapping (remap) */
#define CHILD_VA 0x330000000000ull /* a waiter child's mapping */
#define WAKE_VA 0x340000000000ull  /* a waker child's mapping */
#define ANON_VA 0x350000000000ull  /* anonymous memory */

enum { C_CONSOLE = 0, C_PARK = 1, C_DIAG = 2, C_OBJ = 3 };                 /* child caps */
enum { D_CONSOLE = 0, D_SPAWNER = 1, D_FA = 2, D_DIAG = 3, D_PARK = 4 };   /* driver caps */

static cap_handle_t park, diag, vm;
static uint8_t stacks[MAX_WAITERS][STACK_BYTES] __attribute__((aligned(16)));
static volatile uint32_t *wait_word[MAX_WAITERS];
static uint64_t waiter_cpus; /* CPUs the joined waiters last ran on (bit per CPU) */

/* -- shared helpers ------------------------------------------------------------------------ */

static uint64_t waiters_now(void)
{
	uint64_t v = ~0ull;
	if (diag_read(diag, CAPOS_DIAG_PARK_WAITERS, &v) != KERR_OK)
		return ~0ull;
	return v;
}

/* Until the kernel counts exactly n parked threads (bounded reads). */
static bool wait_for_waiters(uint64_t n)
{
	for (uint64_t i = 0; i < POLL_READS; i++)
		if (waiters_now() == n)
			return true;
	rt_printf("park: %lu waiters expected, %lu parked\n", (unsigned long)n,
		  (unsigned long)waiters_now());
	return false;
}

static volatile uint32_t *word_at(uint64_t va)
{
	return (volatile uint32_t *)(uintptr_t)va;
}

static uint64_t waiter(void *arg, cap_handle_t self)
{
	(void)self;
	return (uint64_t)park_wait(park, wait_word[(uintptr_t)arg], 0);
}

/* Start n waiters on word w (each its own stack). */
static bool start_waiters(unsigned n, volatile uint32_t *w, cap_handle_t *t)
{
	for (unsigned i = 0; i < n; i++) {
		wait_word[i] = w;
		if (thread_start(waiter, (void *)(uintptr_t)i, stacks[i] + STACK_BYTES, &t[i]) !=
		    KERR_OK)
			return false;
	}
	return true;
}

/* Join n waiters; how many ended with status want. */
static unsigned join_waiters(unsigned n, const cap_handle_t *t, kerr_t want)
{
	unsigned got = 0;
	for (unsigned i = 0; i < n; i++) {
		uint64_t v = ~0ull, cpu;
		if (thread_wait(t[i], &v) == KERR_OK && thread_cpu(t[i], &cpu) == KERR_OK &&
		    cpu < 8)
			waiter_cpus |= 1ull << cpu;
		if (v == (uint64_t)want)
			got++;
		else
			rt_printf("park: waiter %u ended with %s, expected %s\n", i,
				  kerr_name((kerr_t)v), kerr_name(want));
		cap_drop(t[i]);
	}
	return got;
}

/* -- child roles --------------------------------------------------------------------------- */

/* waiters N [same]: map the object at CHILD_VA (or, with "same", at DRV_VA: the very address
 * the driver later puts other memory at), park N threads on its word 0; exit with how many
 * were woken (KERR_OK) in bits 0..7 and the CPUs they last ran on in bits 8..15. */
static int child_waiters(unsigned n, bool same)
{
	cap_handle_t t[MAX_WAITERS];
	uint64_t base, va = same ? DRV_VA : CHILD_VA;
	if (n == 0 || n > MAX_WAITERS ||
	    memobj_map(rt_start->caps[C_OBJ], vm, va, 0, PG, RW | CAPOS_MAP_FIXED, &base) !=
		    KERR_OK ||
	    !start_waiters(n, word_at(va), t))
		return 100;
	unsigned woken = join_waiters(n, t, KERR_OK);
	return (int)(woken | (waiter_cpus & 0xff) << 8);
}

/* wake: map the object at WAKE_VA and wake its word 0; exit with the number woken. */
static int child_wake(void)
{
	uint64_t base, woken = 0;
	if (memobj_map(rt_start->caps[C_OBJ], vm, WAKE_VA, 0, PG, RW | CAPOS_MAP_FIXED, &base) !=
		    KERR_OK ||
	    park_wake(park, word_at(WAKE_VA), 100, &woken) != KERR_OK)
		return 100;
	return (int)woken;
}

/* One waiter parks on w; when it is parked, remove() takes its mapping away; the waiter
 * must end with KERR_NOT_FOUND and nobody may be left parked. */
static bool gone_case(const char *what, volatile uint32_t *w, kerr_t (*remove)(void))
{
	cap_handle_t t[1];
	if (!start_waiters(1, w, t) || !wait_for_waiters(1))
		return false;
	kerr_t e = remove();
	unsigned ok = join_waiters(1, t, KERR_NOT_FOUND);
	rt_printf("park: gone/%s: remove %s, waiter failed %u/1, parked %lu\n", what, kerr_name(e),
		  ok, (unsigned long)waiters_now());
	return e == KERR_OK && ok == 1 && waiters_now() == 0;
}

static kerr_t remove_unmap(void)
{
	return memobj_unmap(rt_start->caps[C_OBJ], vm, CHILD_VA, PG);
}

static kerr_t remove_decommit(void)
{
	return vm_decommit(vm, ANON_VA, PG);
}

static kerr_t remove_release(void)
{
	return cap_drop(rt_start->caps[C_OBJ]); /* the only capability: the object is released */
}

/* gone: unmap, decommit and release each fail a parked waiter (KERR_NOT_FOUND); a wake through
 * another anonymous word reaches nobody. Exit 0, or the number of the failing step. */
static int child_gone(void)
{
	uint64_t base, woken = 1;
	if (memobj_map(rt_start->caps[C_OBJ], vm, CHILD_VA, 0, PG, RW | CAPOS_MAP_FIXED, &base) !=
		    KERR_OK ||
	    !gone_case("unmap", word_at(CHILD_VA), remove_unmap))
		return 1;
	if (vm_reserve(vm, 2 * PG, ANON_VA, CAPOS_MAP_FIXED, &base) != KERR_OK ||
	    vm_commit(vm, ANON_VA, 2 * PG, RW) != KERR_OK)
		return 2;
	cap_handle_t t[1];
	/* A private key: another word of the same space, and the same word's page elsewhere,
	 * are other keys. */
	if (!start_waiters(1, word_at(ANON_VA), t) || !wait_for_waiters(1) ||
	    park_wake(park, word_at(ANON_VA + PG), 10, &woken) != KERR_OK || woken != 0 ||
	    park_wake(park, word_at(ANON_VA), 10, &woken) != KERR_OK || woken != 1 ||
	    join_waiters(1, t, KERR_OK) != 1)
		return 3;
	if (!gone_case("decommit", word_at(ANON_VA), remove_decommit))
		return 4;
	if (memobj_map(rt_start->caps[C_OBJ], vm, CHILD_VA, 0, PG, RW | CAPOS_MAP_FIXED, &base) !=
		    KERR_OK ||
	    !gone_case("release", word_at(CHILD_VA), remove_release))
		return 5;
	/* The mapping went with the object: the address names nothing now. */
	if (park_wake(park, word_at(CHILD_VA), 1, &woken) != KERR_BAD_ADDRESS)
		return 6;
	return 0;
}

#define CHECK(step, cond)                                                         \
	do {                                                                      \
		if (!(cond)) {                                                    \
			rt_printf("park: step %d failed: %s\n", step, #cond); \
			return step;                                              \
		}                                                                 \
	} while (0)

/* -- SharedBuffer ------------------------------------------------------------------------- */

#define SB_VA 0x360000000000ull /* where each side maps the buffer */
#define SB_SIZE 6000u           /* data bytes: not a page multiple, so wrap-around is odd */
#define SB_TOTAL 300000u        /* bytes streamed through it */

static const volatile struct capos_sbuf_header *sb_hdr(void)
{
	return (const volatile struct capos_sbuf_header *)(uintptr_t)SB_VA;
}

static volatile uint8_t *sb_data(void)
{
	return (volatile uint8_t *)(uintptr_t)(SB_VA + PG);
}

/* Wait until header word w differs from seen (or returns at once if it already does). */
static void sb_wait(const volatile uint32_t *w, uint32_t seen)
{
	kerr_t e = park_wait(park, w, seen);
	if (e != KERR_OK && e != KERR_WOULD_BLOCK)
		rt_printf("park: sbuf wait: %s\n", kerr_name(e));
}

/* consume: map the consumer role, read SB_TOTAL bytes checking the pattern, then wait for the
 * producer to close. Exit 0, or the number of the failing step. */
static int child_consume(void)
{
	cap_handle_t cons = rt_start->caps[C_OBJ];
	const volatile struct capos_sbuf_header *h = sb_hdr();
	uint32_t got = 0;
	CHECK(1, sbuf_map(cons, vm, SB_VA) == KERR_OK && h->size == SB_SIZE);
	CHECK(2, sbuf_move(cons, 1, true) == KERR_NO_RIGHTS); /* the consumer cannot move head */
	while (got < SB_TOTAL) {
		uint32_t seen = h->produced, used = h->used;
		if (used == 0) {
			sb_wait(&h->produced, seen);
			continue;
		}
		uint32_t tail = h->tail;
		CHECK(3, tail < SB_SIZE && used <= SB_SIZE);
		/* Past the ring: refused whatever the producer does meanwhile. (A count past the
		 * producer but within the ring races with it here; host_ring, fuzz_ring and
		 * proof_ring cover that bound.) */
		CHECK(4, sbuf_move(cons, SB_SIZE + 1, false) == KERR_INVALID_ARG);
		for (uint32_t k = 0; k < used; k++)
			CHECK(5, sb_data()[(tail + k) % SB_SIZE] == (uint8_t)((got + k) % 251));
		CHECK(6, sbuf_move(cons, used, false) == KERR_OK);
		got += used;
	}
	for (;;) { /* until the producer closes its role */
		uint32_t seen = h->produced;
		if (h->closed & 1)
			break;
		sb_wait(&h->produced, seen);
	}
	CHECK(7, sbuf_move(cons, 1, false) == KERR_NOT_FOUND);
	CHECK(8, sbuf_unmap(cons, vm, SB_VA) == KERR_OK);
	return 0;
}

/* hold N: pin the object's page (a mapping pin and an object pin) and an anonymous page, park
 * N threads on the object's word, then end the process while they wait and the pins are
 * held. */
static int child_hold(unsigned n)
{
	cap_handle_t t[MAX_WAITERS];
	uint64_t base;
	if (n == 0 || n > MAX_WAITERS ||
	    memobj_map(rt_start->caps[C_OBJ], vm, CHILD_VA, 0, PG, RW | CAPOS_MAP_FIXED, &base) !=
		    KERR_OK ||
	    vm_reserve(vm, PG, ANON_VA, CAPOS_MAP_FIXED, &base) != KERR_OK ||
	    vm_commit(vm, ANON_VA, PG, RW) != KERR_OK || vm_pin(vm, CHILD_VA, PG) != KERR_OK ||
	    vm_pin(vm, ANON_VA, PG) != KERR_OK ||
	    memobj_pin(rt_start->caps[C_OBJ], 0, PG) != KERR_OK ||
	    !start_waiters(n, word_at(CHILD_VA), t) ||
	    !wait_for_waiters(n))
		return 100;
	process_exit(0); /* with the waiters parked and both pins held */
}

static uint64_t pin_used(void)
{
	uint64_t used = ~0ull, lim;
	ledger_usage(rt_start->ledger, CAPOS_LEDGER_PIN, &used, &lim);
	return used;
}


/* pins: a mapping pin blocks decommit and unmap (KERR_PINNED, nothing changes), is charged
 * to LEDGER_PIN and released exactly once by unpin or by revocation (the object's last
 * capability dropped). Exit 0, or the number of the failing step. */
static int child_pins(void)
{
	uint64_t base, st, prot, max;
	volatile uint64_t *p = (volatile uint64_t *)(uintptr_t)ANON_VA;
	CHECK(1, vm_reserve(vm, 4 * PG, ANON_VA, CAPOS_MAP_FIXED, &base) == KERR_OK &&
		     vm_commit(vm, ANON_VA, 4 * PG, RW) == KERR_OK);
	for (unsigned i = 0; i < 4; i++)
		p[i * PG / 8] = 0x5117ed00 + i;
	CHECK(2, vm_pin(vm, ANON_VA + PG, 2 * PG) == KERR_OK && pin_used() == 2);
	CHECK(3, vm_decommit(vm, ANON_VA, 4 * PG) == KERR_PINNED);
	CHECK(4, vm_unmap(vm, ANON_VA + 2 * PG, PG) == KERR_PINNED);
	for (unsigned i = 0; i < 4; i++) /* nothing changed: every page still committed, intact */
		CHECK(5, vm_query(vm, ANON_VA + i * PG, &st, &prot, &max) == KERR_OK &&
			     st == CAPOS_PAGE_COMMITTED && p[i * PG / 8] == 0x5117ed00 + i);
	CHECK(6, vm_decommit(vm, ANON_VA + 3 * PG, PG) == KERR_OK); /* outside the pin */
	CHECK(7, vm_unpin(vm, ANON_VA, 2 * PG) == KERR_NOT_FOUND && pin_used() == 2);
	CHECK(8, vm_unpin(vm, ANON_VA + PG, 2 * PG) == KERR_OK && pin_used() == 0);
	CHECK(9, vm_unpin(vm, ANON_VA + PG, 2 * PG) == KERR_NOT_FOUND); /* released once */
	CHECK(10, vm_decommit(vm, ANON_VA, 4 * PG) == KERR_OK);
	CHECK(11, vm_pin(vm, ANON_VA, PG) == KERR_NOT_FOUND && pin_used() == 0); /* reserved */
	CHECK(12, vm_commit(vm, ANON_VA, 4 * PG, RW) == KERR_OK &&
		      vm_pin(vm, ANON_VA, 4 * PG) == KERR_OK && vm_pin(vm, ANON_VA, 4 * PG) == KERR_OK &&
		      pin_used() == 8);
	CHECK(13, vm_pin(vm, ANON_VA, PG) == KERR_QUOTA_PIN && pin_used() == 8);
	CHECK(14, vm_unpin(vm, ANON_VA, 4 * PG) == KERR_OK && vm_unpin(vm, ANON_VA, 4 * PG) ==
		      KERR_OK && pin_used() == 0 && vm_unmap(vm, ANON_VA, 4 * PG) == KERR_OK);
	/* An object mapping: a pin blocks the object's unmap; revocation releases it. */
	cap_handle_t o = rt_start->caps[C_OBJ];
	CHECK(15, memobj_map(o, vm, CHILD_VA, 0, PG, RW | CAPOS_MAP_FIXED, &base) == KERR_OK &&
		      vm_pin(vm, CHILD_VA, PG) == KERR_OK && pin_used() == 1);
	CHECK(16, memobj_unmap(o, vm, CHILD_VA, PG) == KERR_PINNED &&
		      vm_query(vm, CHILD_VA, &st, &prot, &max) == KERR_OK &&
		      st == CAPOS_PAGE_OBJECT_MAPPED);
	CHECK(17, cap_drop(o) == KERR_OK && pin_used() == 0); /* the only capability: revoked */
	CHECK(18, vm_unpin(vm, CHILD_VA, PG) == KERR_NOT_FOUND &&
		      vm_query(vm, CHILD_VA, &st, &prot, &max) == KERR_OK && st == CAPOS_PAGE_FREE);
	/* Object pins (the second object, 2 pages, also moved here): charged, exact unpin. */
	cap_handle_t o2 = rt_start->caps[C_OBJ + 1];
	CHECK(19, memobj_pin(o2, 0, 3 * PG) == KERR_INVALID_ARG &&
		      memobj_pin(o2, PG, 4096 + 1) == KERR_INVALID_ARG && pin_used() == 0);
	CHECK(20, memobj_pin(o2, 0, 2 * PG) == KERR_OK && pin_used() == 2 &&
		      memobj_unpin(o2, 0, PG) == KERR_NOT_FOUND &&
		      memobj_unpin(o2, 0, 2 * PG) == KERR_OK && pin_used() == 0 &&
		      memobj_unpin(o2, 0, 2 * PG) == KERR_NOT_FOUND);
	/* An object pin keeps the object when its last handle is dropped: its mapping stays,
	 * with its data; the pin (and the object) go when this process exits. */
	CHECK(21, memobj_map(o2, vm, CHILD_VA, 0, 2 * PG, RW | CAPOS_MAP_FIXED, &base) ==
			  KERR_OK &&
		      memobj_pin(o2, PG, PG) == KERR_OK && pin_used() == 1);
	*(volatile uint64_t *)(uintptr_t)(CHILD_VA + PG) = 0x0b1ec7;
	CHECK(22, cap_drop(o2) == KERR_OK && pin_used() == 1 &&
		      vm_query(vm, CHILD_VA + PG, &st, &prot, &max) == KERR_OK &&
		      st == CAPOS_PAGE_OBJECT_MAPPED &&
		      *(volatile uint64_t *)(uintptr_t)(CHILD_VA + PG) == 0x0b1ec7);
	return 0;
}

/* -- driver -------------------------------------------------------------------------------- */

static cap_handle_t spawner, fa;

static const uint64_t kid_limits[CAPOS_LEDGER_KIND_COUNT] = {
	[CAPOS_LEDGER_VIRTUAL] = 512, [CAPOS_LEDGER_COMMIT] = 128, [CAPOS_LEDGER_OBJECT] = 8,
	[CAPOS_LEDGER_MAPPING] = 8, [CAPOS_LEDGER_PAGETABLE] = 24, [CAPOS_LEDGER_PIN] = 8,
};

/* Spawn a child role with Console, ParkSpace, Diag and (obj != NONE) the object (and obj2). */
static bool spawn_role2(const char *arg, cap_handle_t obj, cap_handle_t obj2, bool move,
			cap_handle_t *p)
{
	struct capos_spawn_cap caps[5] = {
		{ rt_console, CAP_RIGHT_WRITE | CAP_RIGHT_COPY, 0 },
		{ park, CAP_RIGHT_WAIT | CAP_RIGHT_WRITE, 0 },
		{ diag, CAP_RIGHT_READ, 0 },
		{ obj, CAP_RIGHT_READ | CAP_RIGHT_WRITE | CAP_RIGHT_MAP | CAP_RIGHT_COPY,
		  move ? CAPOS_SPAWN_CAP_MOVE : 0 },
		{ obj2, CAP_RIGHT_READ | CAP_RIGHT_WRITE | CAP_RIGHT_MAP | CAP_RIGHT_COPY,
		  move ? CAPOS_SPAWN_CAP_MOVE : 0 },
	};
	struct capos_spawn_req req;
	memset(&req, 0, sizeof(req));
	req.image = (uint64_t)(uintptr_t)"park";
	req.image_len = 4;
	req.arg = (uint64_t)(uintptr_t)arg;
	req.arg_len = strlen(arg);
	req.caps = (uint64_t)(uintptr_t)caps;
	req.ncaps = obj == CAP_HANDLE_NONE ? 3 : obj2 == CAP_HANDLE_NONE ? 4 : 5;
	memcpy(req.limits, kid_limits, sizeof(req.limits));
	kerr_t e = process_spawn(spawner, &req, p);
	if (e != KERR_OK)
		rt_printf("park: spawn '%s': %s\n", arg, kerr_name(e));
	return e == KERR_OK;
}

static uint64_t cpus_seen; /* CPUs waiters of children last ran on */

static bool spawn_role(const char *arg, cap_handle_t obj, bool move, cap_handle_t *p)
{
	return spawn_role2(arg, obj, CAP_HANDLE_NONE, move, p);
}

/* Wait for a child; true when it exited normally with code want (bits 0..7; bits 8..15 are
 * a waiter child's CPU mask). */
static bool child_exits(cap_handle_t p, uint64_t want)
{
	struct capos_exit_status st;
	kerr_t e = process_wait(p, 0, &st);
	cap_drop(p);
	cpus_seen |= (st.code >> 8) & 0xff;
	if (e != KERR_OK || st.reason != CAPOS_EXIT_NORMAL || (st.code & 0xff) != want) {
		rt_printf("park: child ended: %s reason %u code %lu (want %lu)\n", kerr_name(e),
			  st.reason, (unsigned long)st.code, (unsigned long)want);
		return false;
	}
	return true;
}

static bool new_object(cap_handle_t *o, uint64_t va)
{
	uint64_t base;
	return frame_allocate(fa, 1, o) == KERR_OK &&
	       (va == 0 || memobj_map(*o, vm, va, 0, PG, RW | CAPOS_MAP_FIXED, &base) == KERR_OK);
}

static bool wake_expect(uint64_t va, uint64_t want)
{
	uint64_t woken = ~0ull;
	kerr_t e = park_wake(park, word_at(va), 100, &woken);
	if (e != KERR_OK || woken != want) {
		rt_printf("park: wake at 0x%lx: %s, woke %lu (want %lu)\n", (unsigned long)va,
			  kerr_name(e), (unsigned long)woken, (unsigned long)want);
		return false;
	}
	return true;
}

/* Two processes share an object, mapped at different addresses: a wake through the driver's
 * mapping reaches the child's waiter; a private word of the driver reaches nobody. */
static bool sc_shared(void)
{
	cap_handle_t o, p;
	uint64_t base;
	if (!new_object(&o, DRV_VA) || !spawn_role("waiters 1", o, false, &p))
		return false;
	bool ok = wait_for_waiters(1);
	ok = ok && vm_reserve(vm, PG, ANON_VA, CAPOS_MAP_FIXED, &base) == KERR_OK &&
	     vm_commit(vm, ANON_VA, PG, RW) == KERR_OK && wake_expect(ANON_VA, 0) &&
	     vm_unmap(vm, ANON_VA, PG) == KERR_OK;
	ok = ok && wake_expect(DRV_VA, 1);
	ok = child_exits(p, 1) && ok;
	return memobj_unmap(o, vm, DRV_VA, PG) == KERR_OK && cap_drop(o) == KERR_OK && ok;
}

/* Unmap, decommit and release while a thread waits (one child; the object is moved to it). */
static bool sc_gone(void)
{
	cap_handle_t o, p;
	if (!new_object(&o, 0) || !spawn_role("gone", o, true, &p))
		return false;
	return child_exits(p, 0);
}

/*
 * A service-owned SharedBuffer: the driver (the service) makes it on its own object, keeps
 * the producer role and moves the consumer role to a child; 300,000 bytes stream through a
 * 6,000-byte ring with ParkSpace notification both ways; every count beyond the ring is
 * refused; the consumer sees the producer close.
 */
static bool sc_sbuf(void)
{
	cap_handle_t o, prod, cons, p;
	const volatile struct capos_sbuf_header *h = sb_hdr();
	uint32_t sent = 0, chunk = 1;
	if (frame_allocate(fa, 3, &o) != KERR_OK ||
	    sbuf_create(o, 4 * PG, &prod, &cons) != KERR_INVALID_ARG || /* no room for it */
	    sbuf_create(o, SB_SIZE, &prod, &cons) != KERR_OK || cap_drop(o) != KERR_OK ||
	    !spawn_role("consume", cons, true, &p))
		return false;
	bool ok = sbuf_map(prod, vm, SB_VA) == KERR_OK &&
		  sbuf_move(prod, SB_SIZE + 1, true) == KERR_INVALID_ARG &&
		  sbuf_move(prod, 1, false) == KERR_NO_RIGHTS; /* the producer cannot move tail */
	while (ok && sent < SB_TOTAL) {
		uint32_t seen = h->consumed, used = h->used, head = h->head;
		if (h->closed & 2) { /* the consumer ended early: fail rather than wait forever */
			ok = false;
			break;
		}
		if (used == SB_SIZE) {
			sb_wait(&h->consumed, seen);
			continue;
		}
		uint32_t n = SB_SIZE - used;
		chunk = chunk * 7 % 977 + 1;
		n = n < chunk ? n : chunk;
		n = n < SB_TOTAL - sent ? n : SB_TOTAL - sent;
		for (uint32_t k = 0; k < n; k++)
			sb_data()[(head + k) % SB_SIZE] = (uint8_t)((sent + k) % 251);
		ok = sbuf_move(prod, n, true) == KERR_OK;
		sent += n;
	}
	ok = ok && sbuf_unmap(prod, vm, SB_VA) == KERR_OK;
	ok = cap_drop(prod) == KERR_OK && ok; /* closes the producer role */
	rt_printf("park: sbuf: %u bytes through a %u-byte ring\n", sent, SB_SIZE);
	return child_exits(p, 0) && ok;
}

/* Pins block decommit and unmap, are charged and released exactly once (one child; the
 * object is moved to it so that dropping it revokes). */
static bool sc_pins(void)
{
	cap_handle_t o, o2, p;
	if (!new_object(&o, 0) || frame_allocate(fa, 2, &o2) != KERR_OK ||
	    !spawn_role2("pins", o, o2, true, &p))
		return false;
	return child_exits(p, 0);
}

/* The driver unmaps its mapping and maps the object at another address: a wake through the
 * new mapping reaches the child's two waiters (the key is the object's, not the address). */
static bool sc_remap(void)
{
	cap_handle_t o, p;
	uint64_t base;
	if (!new_object(&o, DRV_VA) || !spawn_role("waiters 2", o, false, &p))
		return false;
	bool ok = wait_for_waiters(2) && memobj_unmap(o, vm, DRV_VA, PG) == KERR_OK &&
		  memobj_map(o, vm, DRV_VA2, 0, PG, RW | CAPOS_MAP_FIXED, &base) == KERR_OK &&
		  park_wake(park, word_at(DRV_VA), 100, &base) == KERR_BAD_ADDRESS &&
		  waiters_now() == 2 && wake_expect(DRV_VA2, 2);
	ok = child_exits(p, 2) && ok;
	return memobj_unmap(o, vm, DRV_VA2, PG) == KERR_OK && cap_drop(o) == KERR_OK && ok;
}

/* The object is transferred to a third process, which maps it and wakes the waiter. */
static bool sc_transfer(void)
{
	cap_handle_t o, p, w;
	if (!new_object(&o, 0) || !spawn_role("waiters 1", o, false, &p))
		return false;
	bool ok = wait_for_waiters(1) && spawn_role("wake", o, true, &w) && child_exits(w, 1);
	return child_exits(p, 1) && ok;
}

/*
 * 1,000 rounds of unmap/remap/reuse with waiters on 4 CPUs: each round a fresh object (the
 * last round's frame and capability slot freed just before, so they are reused) is shared with
 * a child that parks 3 threads on it, mapped at the same address in both processes. The driver
 * then unmaps its own mapping and puts at that same address, in turn, a new object and
 * anonymous memory, and wakes through it: the stale address must wake nobody (the child's
 * waiters stay parked), although the same address in the child still names the waited word.
 * Only a wake through a mapping of the right object, at another address, wakes all three.
 * Passes only when the waiters, over all rounds, last ran on all 4 CPUs.
 */
#define STALE_ROUNDS 1000u
#define STALE_WAITERS 3u

static bool stale_round(unsigned i, unsigned *slot_reused, cap_handle_t *last)
{
	cap_handle_t o, n, p;
	uint64_t base;
	if (!new_object(&o, DRV_VA) || !spawn_role("waiters 3 same", o, false, &p))
		return false;
	if (CAP_HANDLE_SLOT(o) == CAP_HANDLE_SLOT(*last) && o != *last)
		(*slot_reused)++;
	*last = o;
	bool ok = wait_for_waiters(STALE_WAITERS) && memobj_unmap(o, vm, DRV_VA, PG) == KERR_OK;
	/* A new owner of the address: another object. */
	ok = ok && new_object(&n, DRV_VA) && wake_expect(DRV_VA, 0) &&
	     memobj_unmap(n, vm, DRV_VA, PG) == KERR_OK && cap_drop(n) == KERR_OK;
	/* Then anonymous memory. */
	ok = ok && vm_reserve(vm, PG, DRV_VA, CAPOS_MAP_FIXED, &base) == KERR_OK &&
	     vm_commit(vm, DRV_VA, PG, RW) == KERR_OK && wake_expect(DRV_VA, 0) &&
	     vm_unmap(vm, DRV_VA, PG) == KERR_OK;
	/* Nothing at all. */
	uint64_t woken;
	ok = ok && park_wake(park, word_at(DRV_VA), 100, &woken) == KERR_BAD_ADDRESS;
	ok = ok && waiters_now() == STALE_WAITERS;
	ok = ok && memobj_map(o, vm, DRV_VA2, 0, PG, RW | CAPOS_MAP_FIXED, &base) == KERR_OK &&
	     wake_expect(DRV_VA2, STALE_WAITERS);
	ok = child_exits(p, STALE_WAITERS) && ok;
	ok = memobj_unmap(o, vm, DRV_VA2, PG) == KERR_OK && cap_drop(o) == KERR_OK && ok;
	if (!ok)
		rt_printf("park: stale round %u failed\n", i);
	return ok;
}

static bool sc_stale(void)
{
	unsigned reused = 0;
	cap_handle_t last = CAP_HANDLE_NONE;
	for (unsigned i = 0; i < STALE_ROUNDS; i++)
		if (!stale_round(i, &reused, &last))
			return false;
	unsigned ncpus = 0;
	for (unsigned c = 0; c < 8; c++)
		ncpus += (cpus_seen >> c) & 1;
	rt_printf("park: stale: %u rounds, %u waiters each, object slot reused %u times, waiters "
		  "ran on %u CPUs (mask 0x%lx)\n",
		  STALE_ROUNDS, STALE_WAITERS, reused, ncpus, (unsigned long)cpus_seen);
	return reused >= STALE_ROUNDS - 1 && ncpus == 4;
}

/* What must come back after the exit cycles: free frames, kernel heap, every ledger kind. */
struct snap {
	uint64_t frames, heap, used[CAPOS_LEDGER_KIND_COUNT];
};

static bool take_snap(struct snap *s)
{
	uint64_t lim;
	for (unsigned k = 0; k < CAPOS_LEDGER_KIND_COUNT; k++)
		if (ledger_usage(rt_start->ledger, k, &s->used[k], &lim) != KERR_OK)
			return false;
	return diag_read(diag, CAPOS_DIAG_FREE_FRAMES, &s->frames) == KERR_OK &&
	       diag_read(diag, CAPOS_DIAG_HEAP_BYTES, &s->heap) == KERR_OK;
}

static bool same_snap(const struct snap *a, const struct snap *b)
{
	bool ok = a->frames == b->frames && a->heap == b->heap;
	rt_printf("park: free frames %lu -> %lu, heap bytes %lu -> %lu\n",
		  (unsigned long)a->frames, (unsigned long)b->frames, (unsigned long)a->heap,
		  (unsigned long)b->heap);
	for (unsigned k = 0; k < CAPOS_LEDGER_KIND_COUNT; k++) {
		if (a->used[k] != b->used[k])
			ok = false;
		rt_printf("park: ledger kind %u: %lu -> %lu\n", k, (unsigned long)a->used[k],
			  (unsigned long)b->used[k]);
	}
	return ok;
}

/*
 * 500 spawn/exit cycles, each child ending with 3 threads parked on a shared object and three
 * pins held (a mapping pin and an object pin on the object's page, a mapping pin on an
 * anonymous page): afterwards
 * nobody is parked and free frames, kernel heap and every kind of the driver's ledger are where
 * they started (the first cycle runs before the snapshot, so one-time growth is not counted).
 */
#define EXIT_CYCLES 500u

static bool exit_cycle(cap_handle_t o)
{
	cap_handle_t p;
	return spawn_role("hold 3", o, false, &p) && child_exits(p, 0) && waiters_now() == 0;
}

static bool sc_exit(void)
{
	struct snap a, b;
	cap_handle_t o;
	if (!new_object(&o, 0) || !exit_cycle(o) || !take_snap(&a))
		return false;
	for (unsigned i = 0; i < EXIT_CYCLES; i++) {
		if (!exit_cycle(o)) {
			rt_printf("park: exit cycle %u failed\n", i);
			return false;
		}
	}
	bool ok = take_snap(&b) && same_snap(&a, &b);
	rt_printf("park: exit: %u cycles with %u waiters and 3 pins held at exit\n", EXIT_CYCLES,
		  3u);
	return cap_drop(o) == KERR_OK && ok;
}

/* -- Slice F: page eligibility ---------------------------------------------------------- */

/* The page at va: its answer for swap and for DMA must be want_swap / want_dma and its frame's
 * bits want_bits (capos/elig.h). */
static bool elig_expect(const char *what, uint64_t va, uint64_t want_bits, uint64_t want_swap,
			uint64_t want_dma)
{
	uint64_t swap = ~0ull, dma = ~0ull, bits = ~0ull, bits2 = ~0ull;
	kerr_t e1 = vm_eligibility(vm, va, ELIG_FOR_SWAP, &swap, &bits);
	kerr_t e2 = vm_eligibility(vm, va, ELIG_FOR_DMA, &dma, &bits2);
	bool ok = e1 == KERR_OK && e2 == KERR_OK && bits == want_bits && bits2 == want_bits &&
		  swap == want_swap && dma == want_dma;
	rt_printf("park: elig %s: bits 0x%lx, swap %lu, dma %lu%s\n", what, (unsigned long)bits,
		  (unsigned long)swap, (unsigned long)dma, ok ? "" : " (UNEXPECTED)");
	return ok;
}

/* Bad arguments are typed errors and change nothing. */
static bool elig_bad_args(void)
{
	uint64_t r = 0, b = 0;
	return vm_eligibility(vm, ANON_VA, ELIG_PURPOSE_COUNT, &r, &b) == KERR_INVALID_ARG &&
	       vm_eligibility(vm, ANON_VA, 0xffffffffu, &r, &b) == KERR_INVALID_ARG &&
	       cap_invoke(vm, CAP_VM_ELIGIBILITY, ANON_VA, 1ull << 40, 0, 0, 0).err ==
		       KERR_INVALID_ARG &&
	       vm_eligibility(vm, 0xffff800000000000ull, ELIG_FOR_SWAP, &r, &b) ==
		       KERR_INVALID_ARG &&
	       vm_eligibility(vm, ANON_VA + 8 * PG, ELIG_FOR_SWAP, &r, &b) == KERR_NOT_FOUND;
}

/*
 * Every kind of page a process can hold, queried through CAP_VM_ELIGIBILITY: anonymous,
 * pinned anonymous, lazily committed and never touched (no frame), MemoryObject, pinned
 * MemoryObject (the only kind a device may get), shared with a child, and a SharedBuffer's
 * ring; then the bits go away again when the pin, the child and the buffer do. Kernel pages
 * (page tables, capability tables, heap) are not mapped into a process: the kernel test
 * test_elig_kernel_captable_and_unmanaged checks them.
 */
static bool sc_elig(void)
{
	cap_handle_t o, rb, prod, cons, p;
	uint64_t base;
	bool ok = elig_bad_args();

	ok = ok && vm_reserve(vm, 2 * PG, ANON_VA, CAPOS_MAP_FIXED, &base) == KERR_OK &&
	     vm_commit(vm, ANON_VA, PG, RW) == KERR_OK &&
	     vm_commit(vm, ANON_VA + PG, PG, RW | CAPOS_COMMIT_LAZY) == KERR_OK;
	ok = ok && elig_expect("anonymous", ANON_VA, 0, ELIG_OK, ELIG_R_NOT_OBJECT);
	uint64_t r, b;
	ok = ok && vm_eligibility(vm, ANON_VA + PG, ELIG_FOR_SWAP, &r, &b) == KERR_NOT_FOUND;
	ok = ok && vm_pin(vm, ANON_VA, PG) == KERR_OK &&
	     elig_expect("pinned anonymous", ANON_VA, ELIG_PINNED, ELIG_R_PINNED,
			 ELIG_R_NOT_OBJECT) &&
	     vm_unpin(vm, ANON_VA, PG) == KERR_OK &&
	     elig_expect("unpinned anonymous", ANON_VA, 0, ELIG_OK, ELIG_R_NOT_OBJECT);
	ok = ok && vm_unmap(vm, ANON_VA, 2 * PG) == KERR_OK;

	if (!ok || !new_object(&o, DRV_VA))
		return false;
	ok = elig_expect("object", DRV_VA, ELIG_OBJECT, ELIG_R_OBJECT, ELIG_R_NOT_PINNED);
	ok = ok && memobj_pin(o, 0, PG) == KERR_OK &&
	     elig_expect("pinned object", DRV_VA, ELIG_OBJECT | ELIG_PINNED, ELIG_R_PINNED,
			 ELIG_OK) &&
	     memobj_unpin(o, 0, PG) == KERR_OK;
	/* Shared: a child maps it and parks on it (so it is mapped there while we look). */
	ok = ok && spawn_role("waiters 1", o, false, &p);
	if (ok) {
		ok = wait_for_waiters(1) &&
		     elig_expect("shared object", DRV_VA, ELIG_OBJECT | ELIG_SHARED_IPC,
				 ELIG_R_SHARED_IPC, ELIG_R_SHARED_IPC) &&
		     wake_expect(DRV_VA, 1);
		ok = child_exits(p, 1) && ok;
	}
	/* The child is gone (waited for): its mapping went with it. */
	ok = ok && elig_expect("object again", DRV_VA, ELIG_OBJECT, ELIG_R_OBJECT,
			       ELIG_R_NOT_PINNED);
	ok = memobj_unmap(o, vm, DRV_VA, PG) == KERR_OK && cap_drop(o) == KERR_OK && ok;

	/* Ring: a SharedBuffer built on an object mapped at DRV_VA2. */
	if (!ok || frame_allocate(fa, 2, &rb) != KERR_OK)
		return false;
	ok = memobj_map(rb, vm, DRV_VA2, 0, 2 * PG, RW | CAPOS_MAP_FIXED, &base) == KERR_OK &&
	     sbuf_create(rb, 100, &prod, &cons) == KERR_OK;
	ok = ok && elig_expect("ring header", DRV_VA2, ELIG_OBJECT | ELIG_RING, ELIG_R_RING,
			       ELIG_R_RING) &&
	     elig_expect("ring data", DRV_VA2 + PG, ELIG_OBJECT | ELIG_RING, ELIG_R_RING,
			 ELIG_R_RING);
	ok = ok && cap_drop(prod) == KERR_OK && cap_drop(cons) == KERR_OK &&
	     elig_expect("ring gone", DRV_VA2, ELIG_OBJECT, ELIG_R_OBJECT, ELIG_R_NOT_PINNED);
	ok = memobj_unmap(rb, vm, DRV_VA2, 2 * PG) == KERR_OK && cap_drop(rb) == KERR_OK && ok;
	return ok;
}

struct scenario {
	const char *name;
	bool (*run)(void);
};

static const struct scenario scenarios[] = {
	{ "shared", sc_shared }, { "gone", sc_gone },   { "remap", sc_remap },
	{ "transfer", sc_transfer }, { "stale", sc_stale }, { "exit", sc_exit },
	{ "pins", sc_pins },	     { "sbuf", sc_sbuf },	  { "elig", sc_elig },
};

static int driver(const char *name)
{
	spawner = rt_start->caps[D_SPAWNER];
	fa = rt_start->caps[D_FA];
	diag = rt_start->caps[D_DIAG];
	park = rt_start->caps[D_PARK];
	for (size_t i = 0; i < sizeof(scenarios) / sizeof(scenarios[0]); i++) {
		if (!strcmp(name, scenarios[i].name)) {
			bool ok = scenarios[i].run() && waiters_now() == 0;
			rt_printf("park: %s: %s\n", name, ok ? "ok" : "FAILED");
			return ok ? 0 : 1;
		}
	}
	rt_printf("park: unknown scenario '%s'\n", name);
	return 2;
}

int main(const struct capos_start_info *si)
{
	const char *a = si->arg;
	vm = si->vm;
	if (!memcmp(a, "drv ", 4))
		return driver(a + 4);
	park = si->caps[C_PARK];
	diag = si->caps[C_DIAG];
	if (!memcmp(a, "waiters ", 8)) {
		const char *end;
		unsigned n = (unsigned)rt_strtou64(a + 8, &end);
		return child_waiters(n, !strcmp(end, " same"));
	}
	if (!strcmp(a, "wake"))
		return child_wake();
	if (!strcmp(a, "gone"))
		return child_gone();
	if (!strcmp(a, "pins"))
		return child_pins();
	if (!strcmp(a, "consume"))
		return child_consume();
	if (!memcmp(a, "hold ", 5))
		return child_hold((unsigned)rt_strtou64(a + 5, NULL));
	rt_printf("park: unknown role '%s'\n", a);
	return 2;
}
