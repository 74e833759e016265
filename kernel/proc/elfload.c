/*
 * elfload.c - maps an embedded ELF64 program into a fresh address space, page by page,
 * copying file bytes through the direct map.
 */
#include <arch/mmu.h>
#include <kern/printf.h>
#include <kern/string.h>
#include <capos/abi.h>
#include <lib/elf.h>
#include <mm/aspace.h>
#include <mm/phys.h>
#include <proc/elfload.h>

const struct user_image *elfload_find(const char *name, size_t len)
{
	for (size_t i = 0; i < capos_user_image_count; i++) {
		const struct user_image *im = &capos_user_images[i];
		if (strlen(im->name) == len && !memcmp(im->name, name, len))
			return im;
	}
	return NULL;
}

static unsigned elf_to_mmu(uint32_t prot)
{
	unsigned p = MMU_READ;

	if (prot & ELF_PROT_WRITE)
		p |= MMU_WRITE;
	if (prot & ELF_PROT_EXEC)
		p |= MMU_EXEC;
	return p;
}

static kerr_t elfload_segment(struct aspace *as, const struct user_image *img,
			      const struct elf_segment *s)
{
	vaddr_t start = PAGE_ALIGN_DOWN(s->vaddr), end = PAGE_ALIGN_UP(s->vaddr + s->memsz);

	for (vaddr_t va = start; va < end; va += PAGE_SIZE) {
		paddr_t pa;
		kerr_t err = aspace_map_page(as, va, elf_to_mmu(s->prot), &pa);
		if (err != KERR_OK)
			return err;
		/* File bytes that fall into [va, va + PAGE_SIZE). */
		vaddr_t lo = va > s->vaddr ? va : s->vaddr;
		vaddr_t hi = s->vaddr + s->filesz;
		if (hi > va + PAGE_SIZE)
			hi = va + PAGE_SIZE;
		if (lo < hi)
			memcpy((uint8_t *)phys_to_virt(pa) + (lo - va),
			       img->start + s->offset + (lo - s->vaddr), hi - lo);
	}
	return KERR_OK;
}

kerr_t elfload_load(struct aspace *as, const struct user_image *img, vaddr_t *entry)
{
	struct elf_image e;
	enum elf_err ee = elf_parse(img->start, img->size, CAPOS_USER_IMAGE_MIN,
				    CAPOS_USER_IMAGE_END, &e);

	if (ee != ELF_OK) {
		kprintf("elfload: %s: %s\n", img->name, elf_err_name(ee));
		return KERR_INVALID_ARG;
	}
	for (uint32_t i = 0; i < e.nsegs; i++) {
		kerr_t err = elfload_segment(as, img, &e.seg[i]);
		if (err != KERR_OK)
			return err;
	}
	*entry = e.entry;
	return KERR_OK;
}
