/*
 * test_park.c - kernel tests of ParkSpace's kernel side (mm/park.c): a wait cannot lose a wake
 * that changes the word between the waiter's read and its queueing.
 */
#include <arch/cpu.h>
#include <arch/mmu.h>
#include <kern/ktest.h>
#include <kern/time.h>
#include <lib/park.h>
#include <mm/aspace.h>
#include <mm/park.h>
#include <mm/phys.h>
#include <mm/vm.h>
#include <proc/thread.h>

/* Hang detector, not a verdict: the waiter queues itself at once; only a hang waits this long. */
#define HANG_MS 60000

static struct aspace *race_as;
static uint64_t race_va;

static void waiter(void *arg)
{
	(void)arg;
	thread_exit((uint64_t)park_wait_user(race_as, race_va, 5));
}

/*
 * The read of the word, the comparison and the queueing are one critical section under the
 * park lock (mm/park.h): a waker that changes the word and wakes at the worst moment (between
 * the waiter's read and its queueing) must find the park lock held and wait, so its wake comes
 * after the queueing and wakes the waiter. When the read was made before the lock, that wake
 * ran at once, woke nobody, and the waiter slept on a word that had already changed (a
 * SharedBuffer consumer hung so in qemu_scenario_park_sbuf). The test's own wake afterwards
 * only ends the wait so that a broken kernel fails the test instead of hanging it.
 */
static void test_park_wait_cannot_lose_a_wake(struct ktest_ctx *t)
{
	const uint64_t at = 0x300000000000ull;
	unsigned waiting0 = park_waiting_count(), woken = 0;
	struct park_test_waker *w;
	volatile uint32_t *word;
	struct thread *th;
	uint64_t base, until;
	paddr_t pa;
	unsigned prot;

	KT_ASSERT_EQ(t, aspace_create(&race_as), KERR_OK);
	KT_ASSERT_EQ(t, aspace_vm_reserve(race_as, PAGE_SIZE, at, VM_FIXED, VM_PROT_ALL, &base), KERR_OK);
	KT_ASSERT_EQ(t, aspace_vm_commit(race_as, at, PAGE_SIZE, VM_PROT_READ | VM_PROT_WRITE), KERR_OK);
	KT_ASSERT_EQ(t, arch_mmu_query(race_as->root, at, &pa, &prot), KERR_OK);
	race_va = at + 64;
	word = (volatile uint32_t *)phys_to_virt(pa + 64);
	*word = 5;
	w = park_test_arm_waker(word, 6); /* the waker at the worst moment: 5 -> 6, then wake */
	KT_ASSERT_EQ(t, thread_create(waiter, NULL, NULL, &th), KERR_OK);
	/* Until the waiter is queued or has returned (HANG_MS only detects a hang). */
	until = rdtsc() + HANG_MS * tsc_per_ms;
	while (park_waiting_count() == waiting0 && __atomic_load_n(&th->state, __ATOMIC_ACQUIRE) != THREAD_EXITED &&
	       rdtsc() < until)
		sched_yield();
	/* Whatever happened, end the wait first (a lost wake-up leaves the waiter queued). */
	kerr_t wake = park_wake_user(race_as, race_va, 1, &woken);
	uint64_t ret = thread_join(th);
	KT_ASSERT_EQ(t, wake, KERR_OK);
	KT_ASSERT_EQ(t, ret, (uint64_t)KERR_OK);
	KT_ASSERT_EQ(t, w->acted, 1);
	KT_ASSERT_EQ(t, *word, 6);
	/* The verdict: the worst-moment waker had to wait for the queueing (and then woke the
	 * waiter); it could not run its wake before it. */
	KT_ASSERT_EQ(t, w->wake_ran, false);
	KT_ASSERT_EQ(t, woken, 1);
	KT_ASSERT_EQ(t, park_waiting_count(), waiting0);
	KT_ASSERT_EQ(t, aspace_vm_unmap(race_as, at, PAGE_SIZE), KERR_OK);
	aspace_put(race_as);
}
KTEST_REGISTER(test_park_wait_cannot_lose_a_wake);
