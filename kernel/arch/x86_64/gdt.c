/*
 * gdt.c - per-CPU GDT and TSS, with the IST stacks that #DF, #MC and NMI run on.
 *
 * Layout (sysret needs user data right below user code): null, kernel code 0x08, kernel data
 * 0x10, user data 0x18, user code 0x20, TSS 0x28 (two slots).
 */
#include <arch/trap.h>
#include <kern/compiler.h>
#include <kern/percpu.h>
#include <kern/string.h>

#define IST_STACK_SIZE 8192

struct tss {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base;
} __attribute__((packed));

struct gdt_ptr {
	uint16_t limit;
	uint64_t base;
} __attribute__((packed));

static uint64_t gdt[MAX_CPUS][7];
static struct tss tss[MAX_CPUS];
static uint8_t ist_stacks[MAX_CPUS][2][IST_STACK_SIZE] __aligned(16);

static void gdt_fill(uint64_t *g, const struct tss *t)
{
	uint64_t base = (uint64_t)t, limit = sizeof(*t) - 1;

	g[0] = 0;
	g[1] = 0x00209A0000000000; /* kernel code: present, DPL 0, long mode */
	g[2] = 0x0000920000000000; /* kernel data */
	g[3] = 0x0000F20000000000; /* user data: DPL 3 */
	g[4] = 0x0020FA0000000000; /* user code: DPL 3, long mode */
	g[5] = (limit & 0xffff) | ((base & 0xffffff) << 16) | (0x89ull << 40) |
	       (((limit >> 16) & 0xf) << 48) | (((base >> 24) & 0xff) << 56);
	g[6] = base >> 32;
}

void gdt_init_cpu(unsigned id)
{
	struct tss *t = &tss[id];
	struct gdt_ptr p = { sizeof(gdt[id]) - 1, (uint64_t)gdt[id] };

	memset(t, 0, sizeof(*t));
	t->ist[0] = (uint64_t)&ist_stacks[id][0][IST_STACK_SIZE];
	t->ist[1] = (uint64_t)&ist_stacks[id][1][IST_STACK_SIZE];
	t->iomap_base = sizeof(*t); /* no I/O permission bitmap */
	gdt_fill(gdt[id], t);
	/* Reload CS with a far return, the data segments, then the task register. GS base is
	 * an MSR, so reloading %gs would clear it: it is left alone. */
	__asm__ volatile("lgdt %0\n\t"
			 "pushq %1\n\t"
			 "leaq 1f(%%rip), %%rax\n\t"
			 "pushq %%rax\n\t"
			 "lretq\n"
			 "1:\n\t"
			 "movw %w2, %%ax\n\t"
			 "movw %%ax, %%ds\n\t"
			 "movw %%ax, %%es\n\t"
			 "movw %%ax, %%ss\n\t"
			 "movw %w3, %%ax\n\t"
			 "ltr %%ax"
			 :
			 : "m"(p), "i"(GDT_KCODE), "i"(GDT_KDATA), "i"(GDT_TSS)
			 : "rax", "memory");
}

void tss_set_rsp0(uint64_t rsp0)
{
	tss[cpu_id()].rsp[0] = rsp0;
}
