/*
 * fuzz_elf.c - libFuzzer harness for the ELF64 user-image validator (kernel/lib/elf.c,
 * compiled unchanged).
 *
 * Each input is an image, copied into an exactly-sized heap buffer so ASan reports any read
 * outside it. elf_parse() must return a defined code; when it accepts, every invariant of
 * struct elf_image (I1..I5) is re-checked here independently of the parser, against the same
 * user range the kernel uses, and the image cut one byte short of the last file byte a
 * segment needs must be rejected.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <capos/abi.h>
#include <lib/elf.h>

#include "fuzz_support.h"

#define LO CAPOS_USER_IMAGE_MIN
#define HI CAPOS_USER_IMAGE_END

static void check_image(const struct elf_image *im, size_t size)
{
	int entry_found = 0;
	REQUIRE(im->nsegs >= 1 && im->nsegs <= ELF_MAX_SEGMENTS);                 /* I1 */
	for (uint32_t i = 0; i < im->nsegs; i++) {
		const struct elf_segment *s = &im->seg[i];
		REQUIRE(s->memsz > 0 && s->filesz <= s->memsz);                   /* I2 */
		REQUIRE(s->offset <= size && s->filesz <= size - s->offset);
		REQUIRE((s->vaddr & PAGE_MASK) == (s->offset & PAGE_MASK));
		REQUIRE(s->vaddr >= LO && s->vaddr < HI && s->memsz <= HI - s->vaddr); /* I3 */
		REQUIRE(!((s->prot & ELF_PROT_WRITE) && (s->prot & ELF_PROT_EXEC))); /* I4 */
		REQUIRE((s->prot & ~(uint32_t)(ELF_PROT_READ | ELF_PROT_WRITE | ELF_PROT_EXEC)) == 0);
		if (i > 0) {
			const struct elf_segment *p = &im->seg[i - 1];
			REQUIRE(p->vaddr < s->vaddr);                              /* I1 sorted */
			REQUIRE(PAGE_ALIGN_UP(p->vaddr + p->memsz) <= PAGE_ALIGN_DOWN(s->vaddr));
		}
		if ((s->prot & ELF_PROT_EXEC) && im->entry >= s->vaddr &&
		    im->entry - s->vaddr < s->memsz)
			entry_found = 1;                                           /* I5 */
	}
	REQUIRE(entry_found);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *buf = malloc(size ? size : 1);
	struct elf_image im;
	REQUIRE(buf);
	memcpy(buf, data, size);
	enum elf_err e = elf_parse(size ? buf : NULL, size, LO, HI, &im);
	REQUIRE((unsigned)e < ELF_E_COUNT);
	REQUIRE(strncmp(elf_err_name(e), "ELF_", 4) == 0);
	if (e == ELF_OK) {
		check_image(&im, size);
		uint64_t file_end = 0;
		for (uint32_t i = 0; i < im.nsegs; i++)
			if (im.seg[i].offset + im.seg[i].filesz > file_end)
				file_end = im.seg[i].offset + im.seg[i].filesz;
		/* A copy one byte short of the last file byte a segment needs is rejected. */
		if (file_end > 0 && file_end <= size) {
			uint8_t *cut = malloc(file_end - 1 ? file_end - 1 : 1);
			REQUIRE(cut);
			memcpy(cut, data, file_end - 1);
			REQUIRE(elf_parse(cut, file_end - 1, LO, HI, &im) != ELF_OK);
			free(cut);
		}
	}
	free(buf);
	return 0;
}
