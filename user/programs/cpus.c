/*
 * cpus.c - one of several processes that show they run concurrently on different CPUs (issue
 * 3): it maps the MemoryObject it was given (caps[1]) and, until the parent writes the stop
 * word, publishes in its slot (the argument) the CPU it runs on and a heartbeat. The parent
 * (init, scenario procs) publishes in slot 0 and compares snapshots, like threads.c does for
 * threads. Exit 0 after the stop word; 1 when the object cannot be mapped.
 */
#include <caprt.h>

/* Layout of the shared page: slot k at words 2k (CPU) and 2k + 1 (heartbeat); stop at 63. */
#define STOP_WORD 63

int main(const struct capos_start_info *si)
{
	uint64_t base, cpu, slot = rt_strtou64(si->arg, NULL);
	RT_ASSERT(si->ncaps >= 2 && slot >= 1 && slot < 16);
	if (memobj_map(si->caps[1], si->vm, 0, 0, 4096, CAPOS_PROT_READ | CAPOS_PROT_WRITE,
		       &base) != KERR_OK)
		return 1;
	volatile uint64_t *w = (volatile uint64_t *)(uintptr_t)base;
	while (!__atomic_load_n(&w[STOP_WORD], __ATOMIC_ACQUIRE)) {
		RT_EXPECT_ERR(thread_cpu(si->thread, &cpu), KERR_OK);
		__atomic_store_n(&w[2 * slot], cpu, __ATOMIC_RELEASE);
		__atomic_add_fetch(&w[2 * slot + 1], 1, __ATOMIC_RELEASE);
	}
	return 0;
}
