/*
 * kmain.c - the boot CPU's path from long mode to the test harness: console, memory map,
 * descriptor tables, frames, LAPIC, the other CPUs, then the kernel tests.
 */
#include <arch/cpu.h>
#include <arch/multiboot.h>
#include <arch/apic.h>
#include <arch/mmu.h>
#include <arch/cpuprot.h>
#include <arch/smp.h>
#include <arch/trap.h>
#include <arch/user.h>
#include <kern/cmdline.h>
#include <kern/console.h>
#include <kern/ipi.h>
#include <kern/ktest.h>
#include <kern/panic.h>
#include <kern/percpu.h>
#include <kern/printf.h>
#include <kern/selftest.h>
#include <kern/time.h>
#include <mm/frame.h>
#include <mm/memmap.h>
#include <mm/phys.h>
#include <proc/init.h>
#include <proc/process.h>
#include <proc/thread.h>

void kmain(uint32_t magic, uint32_t mbi_phys);

extern char boot_stack_top[];
static struct thread bsp_main_thread; /* the boot context: runs kmain and the tests */

void kmain(uint32_t magic, uint32_t mbi_phys)
{
	const struct multiboot_info *mbi;
	char glob[64];

	tsc_at_kmain = rdtsc();
	percpu_init(0);
	console_init();
	kprintf("capOS: booting (long mode, higher half)\n");
	if (magic != MULTIBOOT_BOOT_MAGIC)
		panic("not started by a multiboot loader (magic %x)", magic);
	mbi = phys_to_virt(mbi_phys);
	cmdline_init(mbi->flags & MB_INFO_CMDLINE ? mbi->cmdline : 0);
	kprintf("capOS: command line '%s'\n", cmdline_get());
	memmap_init(mbi_phys);
	gdt_init_cpu(0);
	idt_init();
	idt_load();
	cpu_protect_init(); /* SMEP, SMAP, UMIP where the CPU has them */
	frame_init();
	mmu_init();
	lapic_init_boot();
	ipi_init();
	cpus[0].kstack_top = (uint64_t)boot_stack_top;
	sched_init_cpu(&bsp_main_thread, false);
	sched_init_bsp_idle();
	thread_pin_current(); /* kmain and the tests stay on the boot CPU */
	syscall_init_cpu();
	irq_enable();
	smp_start_aps();
	process_init();
	if (cmdline_value("scenario", glob, sizeof(glob)))
		init_run_scenario(glob);
	if (selftest_run(glob, sizeof(glob)))
		ktest_run_all(glob);
	ktest_run_all(NULL);
}
