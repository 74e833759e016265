/*
 * smp.c - starting the application processors: INIT-SIPI-SIPI through the real-mode
 * trampoline copied to low memory, one CPU at a time, each on its own kernel stack.
 */
#include <arch/apic.h>
#include <arch/cpu.h>
#include <arch/cpuprot.h>
#include <arch/layout.h>
#include <arch/mmu.h>
#include <arch/smp.h>
#include <arch/tlb.h>
#include <arch/trap.h>
#include <arch/user.h>
#include <kern/compiler.h>
#include <kern/ipi.h>
#include <kern/panic.h>
#include <kern/percpu.h>
#include <kern/printf.h>
#include <kern/string.h>
#include <kern/time.h>
#include <mm/phys.h>
#include <proc/thread.h>

#define AP_STACK_SIZE 16384
#define AP_START_TIMEOUT_MS 1000

/* Mirrors the parameter block at the end of trampoline.S. */
struct ap_params {
	uint64_t cr3;
	uint64_t stack;
	uint64_t entry;
	uint64_t id;
};

extern const char ap_trampoline[], ap_trampoline_end[], ap_trampoline_params[];

static struct thread ap_boot_threads[MAX_CPUS];
static uint8_t ap_stacks[MAX_CPUS][AP_STACK_SIZE] __aligned(16);

void smp_ap_main(unsigned id)
{
	percpu_init(id);
	gdt_init_cpu(id);
	idt_load();
	cpu_protect_init();
	lapic_init_cpu();
	syscall_init_cpu();
	sched_init_cpu(&ap_boot_threads[id], true);
	__atomic_store_n(&cpus[id].online, true, __ATOMIC_RELEASE);
	irq_enable();
	sched_idle_loop(); /* this boot context is the CPU's idle thread */
}

static struct ap_params *smp_install_trampoline(void)
{
	size_t len = (size_t)(ap_trampoline_end - ap_trampoline);

	KASSERT(len <= PAGE_SIZE);
	memcpy(phys_to_virt(AP_TRAMPOLINE_PHYS), ap_trampoline, len);
	return phys_to_virt(AP_TRAMPOLINE_PHYS + (size_t)(ap_trampoline_params - ap_trampoline));
}

static void smp_start_one(struct ap_params *p, unsigned id)
{
	uint64_t deadline;

	cpus[id].kstack_top = (uint64_t)&ap_stacks[id][AP_STACK_SIZE];
	p->cr3 = arch_mmu_kernel_root();
	p->stack = cpus[id].kstack_top;
	p->entry = (uint64_t)smp_ap_main;
	p->id = id;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	lapic_send_init(cpus[id].apic_id);
	pit_wait_us(10000);
	for (int sipi = 0; sipi < 2 && !__atomic_load_n(&cpus[id].online, __ATOMIC_ACQUIRE); sipi++) {
		lapic_send_sipi(cpus[id].apic_id, AP_TRAMPOLINE_PHYS >> PAGE_SHIFT);
		pit_wait_us(200);
	}
	deadline = rdtsc() + AP_START_TIMEOUT_MS * tsc_per_ms;
	while (!__atomic_load_n(&cpus[id].online, __ATOMIC_ACQUIRE)) {
		if (rdtsc() > deadline)
			panic("smp: CPU %u (APIC id %u) did not start", id, cpus[id].apic_id);
		cpu_relax();
	}
}

static void smp_flush_all(void *arg)
{
	tlb_flush_local_all();
}

void smp_start_aps(void)
{
	uint32_t ids[MAX_CPUS];
	unsigned n = acpi_find_cpus(ids, MAX_CPUS);
	uint32_t self = lapic_id();
	struct ap_params *p;

	cpus[0].apic_id = self;
	__atomic_store_n(&cpus[0].online, true, __ATOMIC_RELEASE);
	if (n == 0)
		kprintf("smp: no MADT, running on the boot CPU only\n");
	for (unsigned i = 0; i < n; i++) {
		if (ids[i] == self)
			continue;
		cpus[ncpus].apic_id = ids[i];
		ncpus++;
	}
	p = smp_install_trampoline();
	for (unsigned id = 1; id < ncpus; id++)
		smp_start_one(p, id);
	/* Every AP runs on its higher-half stack now: low memory can go. */
	mmu_drop_identity();
	ipi_call(cpumask_all(), smp_flush_all, NULL);
	kprintf("smp: %u CPUs online\n", cpus_online());
}
