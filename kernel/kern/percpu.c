/*
 * percpu.c - the per-CPU table and the GS base that points at each CPU's entry.
 */
#include <arch/cpu.h>
#include <kern/percpu.h>

_Static_assert(offsetof(struct cpu, kstack_top) == PERCPU_OFF_KSTACK_TOP, "syscall.S offset");
_Static_assert(offsetof(struct cpu, user_rsp) == PERCPU_OFF_USER_RSP, "syscall.S offset");

struct cpu cpus[MAX_CPUS];
unsigned ncpus = 1;

void percpu_init(unsigned id)
{
	struct cpu *c = &cpus[id];

	c->self = c;
	c->id = id;
	wrmsr(MSR_GS_BASE, (uint64_t)c);
	wrmsr(MSR_KERNEL_GS_BASE, 0);
}

unsigned cpus_online(void)
{
	unsigned n = 0;

	for (unsigned i = 0; i < ncpus; i++)
		n += __atomic_load_n(&cpus[i].online, __ATOMIC_ACQUIRE);
	return n;
}
