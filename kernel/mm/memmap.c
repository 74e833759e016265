/*
 * memmap.c - the boot loader's physical memory map, reduced to the RAM the frame allocator
 * may hand out (page aligned, below the 4 GiB direct map, minus low memory and the kernel).
 */
#include <arch/layout.h>
#include <arch/multiboot.h>
#include <kern/panic.h>
#include <kern/printf.h>
#include <mm/memmap.h>
#include <mm/phys.h>

#define LOW_MEMORY_END 0x100000 /* BIOS, trampoline and multiboot structures live below */

extern char __kernel_phys_start[], __kernel_phys_end[];

static struct mem_range ranges[MEMMAP_MAX];
static unsigned nranges;

static void memmap_add(paddr_t base, paddr_t end)
{
	base = PAGE_ALIGN_UP(base);
	end = PAGE_ALIGN_DOWN(end);
	if (base >= end)
		return;
	if (nranges == MEMMAP_MAX) {
		kprintf("memmap: dropping range %lx-%lx (table full)\n", base, end);
		return;
	}
	ranges[nranges].base = base;
	ranges[nranges].end = end;
	nranges++;
}

/* Add [base, end) without the parts that overlap [hole_base, hole_end). */
static void memmap_add_excluding(paddr_t base, paddr_t end, paddr_t hole_base, paddr_t hole_end)
{
	if (end <= hole_base || base >= hole_end) {
		memmap_add(base, end);
		return;
	}
	if (base < hole_base)
		memmap_add(base, hole_base);
	if (end > hole_end)
		memmap_add(hole_end, end);
}

static void memmap_take(uint64_t addr, uint64_t len)
{
	paddr_t base = addr, end = addr + len;

	if (end > KERNEL_DIRECT_SIZE) {
		/* Only the direct-mapped part is usable: the boot tables map the first 4 GiB. */
		kprintf("memmap: ignoring RAM above 4 GiB (%lx-%lx)\n",
			base > KERNEL_DIRECT_SIZE ? base : KERNEL_DIRECT_SIZE, end);
		end = KERNEL_DIRECT_SIZE;
	}
	if (base < LOW_MEMORY_END)
		base = LOW_MEMORY_END;
	if (base >= end)
		return;
	memmap_add_excluding(base, end, (paddr_t)__kernel_phys_start,
			     PAGE_ALIGN_UP((paddr_t)__kernel_phys_end));
}

void memmap_init(paddr_t mbi_phys)
{
	const struct multiboot_info *mbi = phys_to_virt(mbi_phys);
	uint64_t total = 0;

	if (!(mbi->flags & MB_INFO_MMAP))
		panic("memmap: boot loader gave no memory map (flags %x)", mbi->flags);
	for (uint32_t off = 0; off < mbi->mmap_length;) {
		const struct multiboot_mmap_entry *e = phys_to_virt(mbi->mmap_addr + off);
		kprintf("memmap: %016lx-%016lx %s\n", e->addr, e->addr + e->len,
			e->type == MB_MMAP_AVAILABLE ? "available" : "reserved");
		if (e->type == MB_MMAP_AVAILABLE)
			memmap_take(e->addr, e->len);
		off += e->size + 4;
	}
	for (unsigned i = 0; i < nranges; i++)
		total += ranges[i].end - ranges[i].base;
	kprintf("memmap: %u usable ranges, %lu KiB for the frame allocator\n", nranges, total >> 10);
}

unsigned memmap_count(void)
{
	return nranges;
}

const struct mem_range *memmap_range(unsigned i)
{
	KASSERT(i < nranges);
	return &ranges[i];
}

paddr_t memmap_top(void)
{
	paddr_t top = 0;

	for (unsigned i = 0; i < nranges; i++)
		if (ranges[i].end > top)
			top = ranges[i].end;
	return top;
}
