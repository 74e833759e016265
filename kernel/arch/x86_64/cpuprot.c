/*
 * cpuprot.c - SMEP, SMAP and UMIP: CPUID detection, CR4 setup on every CPU, and the decoding of
 * kernel page faults on user addresses (see arch/cpuprot.h).
 */
#include <arch/cpu.h>
#include <arch/cpuprot.h>
#include <arch/layout.h>
#include <kern/percpu.h>
#include <kern/printf.h>

#define CPUID7_EBX_SMEP (1u << 7)
#define CPUID7_EBX_SMAP (1u << 20)
#define CPUID7_ECX_UMIP (1u << 2)

bool cpu_smap_on;

static inline uint64_t read_cr4(void)
{
	uint64_t v;
	__asm__ volatile("mov %%cr4, %0" : "=r"(v));
	return v;
}

static inline void write_cr4(uint64_t v)
{
	__asm__ volatile("mov %0, %%cr4" : : "r"(v) : "memory");
}

static void cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
	__asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
			 : "a"(leaf), "c"(sub));
}

uint64_t cpu_protect_init(void)
{
	uint32_t r[4];
	uint64_t want = 0;

	cpuid(0, 0, r);
	if (r[0] >= 7) {
		cpuid(7, 0, r);
		want |= (r[1] & CPUID7_EBX_SMEP) ? CR4_SMEP : 0;
		want |= (r[1] & CPUID7_EBX_SMAP) ? CR4_SMAP : 0;
		want |= (r[2] & CPUID7_ECX_UMIP) ? CR4_UMIP : 0;
	}
	write_cr4(read_cr4() | want);
	if (cpu_id() == 0)
		cpu_smap_on = (want & CR4_SMAP) != 0;
	if (cpu_id() == 0)
		kprintf("cpu: SMEP %s, SMAP %s, UMIP %s\n", want & CR4_SMEP ? "on" : "off",
			want & CR4_SMAP ? "on" : "off", want & CR4_UMIP ? "on" : "off");
	return want;
}

uint64_t cpu_protect_enabled(void)
{
	return read_cr4() & (CR4_SMEP | CR4_SMAP | CR4_UMIP);
}

const char *cpu_pf_defect(uint64_t err, uint64_t cr2)
{
	if ((err & PF_ERR_U) || cr2 >= USER_TOP)
		return NULL;
	if (!(err & PF_ERR_P))
		return "kernel access to an unmapped user address";
	if (err & PF_ERR_ID)
		return "SMEP violation (kernel executed a user page)";
	return (err & PF_ERR_W) ? "SMAP violation (kernel write to a user page)"
				: "SMAP violation (kernel read of a user page)";
}
