/*
 * test_process.c - kernel tests of user processes: programs embedded from user/ run in ring 3,
 * use the syscall ABI (Console, Process, Thread capabilities), and end with each status
 * reason; faults end only the faulting process; spawn/exit cycles return every frame, heap
 * byte, thread, address space and process.
 */
#include <cap/invoke.h>
#include <arch/cpu.h>
#include <kern/ipi.h>
#include <kern/ktest.h>
#include <kern/time.h>
#include <kern/percpu.h>
#include <kern/printf.h>
#include <mm/aspace.h>
#include <mm/frame.h>
#include <mm/kheap.h>
#include <mm/kstack.h>
#include <proc/elfload.h>
#include <proc/process.h>
#include <proc/thread.h>

#define CYCLES 100

static const struct cap console_cap = {
	CAP_TYPE_CONSOLE, CAP_RIGHT_WRITE | CAP_RIGHT_COPY, (uintptr_t)&console_object
};

/* Spawn, wait, drop: the status of one run of image `name` with `arg`. */
static kerr_t run_one(const char *name, const char *arg, struct capos_exit_status *s)
{
	struct process *p;
	kerr_t err = process_spawn(name, arg, &console_cap, 1, &p);

	if (err != KERR_OK)
		return err;
	process_wait(p, s);
	process_put(p);
	return KERR_OK;
}

static bool have_images(void)
{
	return elfload_find("exit", 4) && elfload_find("fault", 5);
}

/* @proves qemu_ktest_process_exit_normal_codes: process:PROCESS_LIVE->PROCESS_EXITING process:PROCESS_EXITING->PROCESS_EXITED */
static void test_process_exit_normal_codes(struct ktest_ctx *t)
{
	struct capos_exit_status s;

	KT_ASSERT(t, have_images());
	KT_ASSERT_EQ(t, run_one("exit", "7", &s), KERR_OK);
	KT_ASSERT_EQ(t, s.reason, CAPOS_EXIT_NORMAL);
	KT_ASSERT_EQ(t, s.code, 7);
	/* The last thread's CAP_THREAD_EXIT ends the process with its value. */
	KT_ASSERT_EQ(t, run_one("exit", "thread 9", &s), KERR_OK);
	KT_ASSERT_EQ(t, s.reason, CAPOS_EXIT_NORMAL);
	KT_ASSERT_EQ(t, s.code, 9);
}
KTEST_REGISTER(test_process_exit_normal_codes);

static void test_process_fault_status_names_address(struct ktest_ctx *t)
{
	struct capos_exit_status s;

	KT_ASSERT(t, have_images());
	KT_ASSERT_EQ(t, run_one("fault", "null", &s), KERR_OK);
	KT_ASSERT_EQ(t, s.reason, CAPOS_EXIT_FAULT);
	KT_ASSERT_EQ(t, s.vector, 14);
	KT_ASSERT_EQ(t, s.address, 0);
	KT_ASSERT_EQ(t, s.error_code & (CAPOS_PF_PRESENT | CAPOS_PF_USER), CAPOS_PF_USER);
	KT_ASSERT(t, s.code >= CAPOS_USER_IMAGE_MIN && s.code < CAPOS_USER_IMAGE_END);

	KT_ASSERT_EQ(t, run_one("fault", "ro", &s), KERR_OK);
	KT_ASSERT_EQ(t, s.reason, CAPOS_EXIT_FAULT);
	KT_ASSERT_EQ(t, s.address, CAPOS_USER_START_INFO_VA);
	KT_ASSERT_EQ(t, s.error_code & (CAPOS_PF_PRESENT | CAPOS_PF_WRITE | CAPOS_PF_USER),
		     CAPOS_PF_PRESENT | CAPOS_PF_WRITE | CAPOS_PF_USER);

	KT_ASSERT_EQ(t, run_one("fault", "nx", &s), KERR_OK);
	KT_ASSERT_EQ(t, s.reason, CAPOS_EXIT_FAULT);
	KT_ASSERT_EQ(t, s.address, CAPOS_USER_START_INFO_VA);
	KT_ASSERT(t, s.error_code & CAPOS_PF_FETCH);
	KT_ASSERT_EQ(t, s.code, CAPOS_USER_START_INFO_VA);
}
KTEST_REGISTER(test_process_fault_status_names_address);

/* @proves qemu_ktest_process_kill_running_sibling: process:PROCESS_LIVE->PROCESS_EXITING */
static void test_process_kill_running_sibling(struct ktest_ctx *t)
{
	struct capos_exit_status s, s2;
	struct process *spin;

	KT_ASSERT(t, elfload_find("spin", 4));
	KT_ASSERT_EQ(t, process_spawn("spin", "", &console_cap, 1, &spin), KERR_OK);
	/* A faulting process meanwhile ends alone; the spinning one keeps running. */
	KT_ASSERT_EQ(t, run_one("fault", "null", &s2), KERR_OK);
	KT_ASSERT_EQ(t, s2.reason, CAPOS_EXIT_FAULT);
	KT_ASSERT_EQ(t, spin->state, PROCESS_LIVE);
	process_kill(spin);
	/* The kill is decided before process_kill returns: the process left LIVE under its lock
	 * (no new thread, no second exit cause), not when its threads next reach user mode (the
	 * mutation run removed the LIVE -> EXITING of process_kill with this test passing). */
	KT_ASSERT(t, __atomic_load_n(&spin->state, __ATOMIC_ACQUIRE) != PROCESS_LIVE);
	process_wait(spin, &s);
	KT_ASSERT_EQ(t, s.reason, CAPOS_EXIT_KILLED);
	process_put(spin);
}
KTEST_REGISTER(test_process_kill_running_sibling);

/*
 * Every user page goes FREE -> ALLOCATED -> MAPPED and back through UNHOOKED and FLUSHED
 * (teardown with no CPU resident) to FREE, 100 times over.
 * @proves qemu_ktest_process_spawn_exit_cycles_leak_nothing: frame:FRAME_ALLOCATED->FRAME_MAPPED frame:FRAME_MAPPED->FRAME_UNHOOKED
 * @proves qemu_ktest_process_spawn_exit_cycles_leak_nothing: frame:FRAME_UNHOOKED->FRAME_FLUSHED frame:FRAME_FLUSHED->FRAME_FREE
 */
static void test_process_spawn_exit_cycles_leak_nothing(struct ktest_ctx *t)
{
	struct capos_exit_status s;
	size_t free0, heap0;
	unsigned thr0, as0, st0, pr0;

	KT_ASSERT(t, have_images());
	/* One run first: lazily grown heap slabs are not leaks. */
	KT_ASSERT_EQ(t, run_one("exit", "0", &s), KERR_OK);
	free0 = frame_free_count();
	heap0 = kheap_used();
	thr0 = thread_live_count();
	as0 = aspace_live_count();
	st0 = kstack_live_count();
	pr0 = process_live_count();
	for (int i = 0; i < CYCLES; i++) {
		KT_ASSERT_EQ(t, run_one("exit", i & 1 ? "3" : "thread 4", &s), KERR_OK);
		KT_ASSERT_EQ(t, s.reason, CAPOS_EXIT_NORMAL);
	}
	KT_ASSERT_EQ(t, process_live_count(), pr0);
	KT_ASSERT_EQ(t, thread_live_count(), thr0);
	KT_ASSERT_EQ(t, aspace_live_count(), as0);
	KT_ASSERT_EQ(t, kstack_live_count(), st0);
	KT_ASSERT_EQ(t, kheap_used(), heap0);
	KT_ASSERT_EQ(t, frame_free_count(), free0);
}
KTEST_REGISTER(test_process_spawn_exit_cycles_leak_nothing);

static void test_process_spawn_bad_image_changes_nothing(struct ktest_ctx *t)
{
	struct process *p = NULL;
	size_t free0 = frame_free_count(), heap0 = kheap_used();

	KT_ASSERT_EQ(t, process_spawn("no-such-image", "", NULL, 0, &p), KERR_INVALID_ARG);
	KT_ASSERT(t, p == NULL);
	frame_inject_failure(4); /* fail inside loading (1: the capability table, 2: the root) */
	KT_ASSERT_EQ(t, process_spawn("exit", "0", &console_cap, 1, &p), KERR_NO_MEMORY);
	frame_inject_failure(0);
	KT_ASSERT(t, p == NULL);
	KT_ASSERT_EQ(t, kheap_used(), heap0);
	KT_ASSERT_EQ(t, frame_free_count(), free0);
}
KTEST_REGISTER(test_process_spawn_bad_image_changes_nothing);

static void check_residency(void *arg)
{
	uint32_t *bad = arg;

	if (!aspace_residency_exact_local())
		__atomic_add_fetch(bad, 1, __ATOMIC_RELAXED);
}

static bool all_ran(struct process **p, int n)
{
	for (int i = 0; i < n; i++)
		if (!__atomic_load_n(&p[i]->threads->ran_on, __ATOMIC_RELAXED))
			return false;
	return true;
}

/*
 * User processes spinning on every CPU, preempted and migrating: every CPU's residency record
 * stays exact while they run and after they are killed and torn down.
 */
static void test_process_residency_exact_run_and_exit(struct ktest_ctx *t)
{
	struct process *p[6];
	struct capos_exit_status s;
	unsigned as0 = aspace_live_count();
	uint64_t end = rdtsc() + 60000 * tsc_per_ms; /* hang detector only (issue 12) */
	uint32_t bad = 0;
	unsigned rounds = 0;

	KT_ASSERT(t, elfload_find("spin", 4));
	for (int i = 0; i < 6; i++)
		KT_ASSERT_EQ(t, process_spawn("spin", "", NULL, 0, &p[i]), KERR_OK);
	/* At least 20 rounds, and until every process has run. */
	while ((rounds < 20 || !all_ran(p, 6)) && rdtsc() < end) {
		ipi_call(cpumask_all(), check_residency, &bad);
		rounds++;
		sched_yield(); /* kernel code is not preempted: at -smp 1 they run only now */
	}
	KT_ASSERT(t, all_ran(p, 6));
	for (int i = 0; i < 6; i++)
		process_kill(p[i]);
	for (int i = 0; i < 6; i++) {
		process_wait(p[i], &s);
		KT_ASSERT_EQ(t, s.reason, CAPOS_EXIT_KILLED);
		process_put(p[i]);
	}
	ipi_call(cpumask_all(), check_residency, &bad);
	KT_ASSERT_EQ(t, bad, 0);
	KT_ASSERT_EQ(t, aspace_live_count(), as0);
	kprintf("ktest:   %u residency checks on every CPU while 6 processes ran\n", rounds);
}
KTEST_REGISTER(test_process_residency_exact_run_and_exit);
