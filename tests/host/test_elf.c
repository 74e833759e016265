/*
 * test_elf.c - the ELF64 user-image validator (kernel/lib/elf.c) against hand-built images:
 * every error code from a minimal change to a valid image, truncation at every length,
 * overflowing sizes, overlapping segments, and seeded random corruption whose accepted results
 * are re-checked against the invariants of struct elf_image. Images live in exactly-sized heap
 * buffers so ASan catches any read past the end.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <elf.h>
#include <cmocka.h>

#include <lib/elf.h>

#define LO 0x400000ull
#define HI 0x40000000ull
#define MAXPH 12

/* A test image: header, program headers, then file contents. */
struct img {
	Elf64_Ehdr eh;
	Elf64_Phdr ph[MAXPH];
	size_t size; /* total file size */
};

static void img_init(struct img *m)
{
	memset(m, 0, sizeof(*m));
	memcpy(m->eh.e_ident, ELFMAG, SELFMAG);
	m->eh.e_ident[EI_CLASS] = ELFCLASS64;
	m->eh.e_ident[EI_DATA] = ELFDATA2LSB;
	m->eh.e_ident[EI_VERSION] = EV_CURRENT;
	m->eh.e_ident[EI_OSABI] = ELFOSABI_NONE;
	m->eh.e_type = ET_EXEC;
	m->eh.e_machine = EM_X86_64;
	m->eh.e_version = EV_CURRENT;
	m->eh.e_ehsize = sizeof(Elf64_Ehdr);
	m->eh.e_phentsize = sizeof(Elf64_Phdr);
	m->eh.e_phoff = sizeof(Elf64_Ehdr);
	m->size = 0x3000;
}

static Elf64_Phdr *img_add(struct img *m, uint32_t type, uint32_t flags, uint64_t off,
			   uint64_t va, uint64_t filesz, uint64_t memsz)
{
	assert_true(m->eh.e_phnum < MAXPH);
	Elf64_Phdr *p = &m->ph[m->eh.e_phnum++];
	p->p_type = type;
	p->p_flags = flags;
	p->p_offset = off;
	p->p_vaddr = va;
	p->p_paddr = va;
	p->p_filesz = filesz;
	p->p_memsz = memsz;
	p->p_align = 0x1000;
	return p;
}

/* The valid reference image: RX text at 0x401000, R rodata, RW data + bss; listed unsorted. */
static void img_valid(struct img *m)
{
	img_init(m);
	img_add(m, PT_LOAD, PF_R | PF_W, 0x2000, 0x403000, 0x100, 0x5000);
	img_add(m, PT_LOAD, PF_R | PF_X, 0x1000, 0x401000, 0x800, 0x800);
	img_add(m, PT_LOAD, PF_R, 0x1800, 0x402800, 0x10, 0x10);
	img_add(m, PT_GNU_STACK, PF_R | PF_W, 0, 0, 0, 0);
	m->eh.e_entry = 0x401010;
}

/* Serialize into an exactly-sized heap buffer (phnum program headers at e_phoff). */
static uint8_t *img_bytes(const struct img *m)
{
	uint8_t *b = malloc(m->size ? m->size : 1);
	assert_non_null(b);
	for (size_t i = 0; i < m->size; i++)
		b[i] = (uint8_t)(i * 7 + 3);
	memcpy(b, &m->eh, m->size < sizeof(m->eh) ? m->size : sizeof(m->eh));
	size_t ph_bytes = m->eh.e_phnum * sizeof(Elf64_Phdr);
	if (m->eh.e_phoff < m->size && m->eh.e_phnum <= MAXPH) {
		size_t room = m->size - m->eh.e_phoff;
		memcpy(b + m->eh.e_phoff, m->ph, ph_bytes < room ? ph_bytes : room);
	}
	return b;
}

static enum elf_err parse_img(const struct img *m, struct elf_image *out)
{
	uint8_t *b = img_bytes(m);
	enum elf_err e = elf_parse(b, m->size, LO, HI, out);
	free(b);
	return e;
}

static void expect_err(const struct img *m, enum elf_err want)
{
	struct elf_image out;
	enum elf_err got = parse_img(m, &out);
	if (got != want)
		fail_msg("expected %s, got %s", elf_err_name(want), elf_err_name(got));
}

/* The invariants I1..I5 of struct elf_image, checked independently of the parser. */
static void assert_image_invariants(const struct elf_image *im, size_t size)
{
	assert_true(im->nsegs >= 1 && im->nsegs <= ELF_MAX_SEGMENTS);
	bool entry_found = false;
	for (uint32_t i = 0; i < im->nsegs; i++) {
		const struct elf_segment *s = &im->seg[i];
		assert_true(s->memsz > 0 && s->filesz <= s->memsz);
		assert_true(s->offset <= size && s->filesz <= size - s->offset);
		assert_int_equal(s->vaddr & 0xfff, s->offset & 0xfff);
		assert_true(s->vaddr >= LO && s->memsz <= HI - s->vaddr);
		assert_false((s->prot & ELF_PROT_WRITE) && (s->prot & ELF_PROT_EXEC));
		if (i > 0) {
			const struct elf_segment *p = &im->seg[i - 1];
			assert_true(p->vaddr < s->vaddr);
			assert_true(((p->vaddr + p->memsz + 0xfff) & ~0xfffull) <= (s->vaddr & ~0xfffull));
		}
		if ((s->prot & ELF_PROT_EXEC) && im->entry >= s->vaddr &&
		    im->entry < s->vaddr + s->memsz)
			entry_found = true;
	}
	assert_true(entry_found);
}

static void test_elf_parse_valid_image_sorted_segments(void **state)
{
	(void)state;
	struct img m;
	struct elf_image out;
	img_valid(&m);
	assert_int_equal(parse_img(&m, &out), ELF_OK);
	assert_image_invariants(&out, m.size);
	assert_int_equal(out.entry, 0x401010);
	assert_int_equal(out.nsegs, 3);
	assert_int_equal(out.seg[0].vaddr, 0x401000);
	assert_int_equal(out.seg[0].prot, ELF_PROT_READ | ELF_PROT_EXEC);
	assert_int_equal(out.seg[0].offset, 0x1000);
	assert_int_equal(out.seg[0].filesz, 0x800);
	assert_int_equal(out.seg[1].vaddr, 0x402800);
	assert_int_equal(out.seg[1].prot, ELF_PROT_READ);
	assert_int_equal(out.seg[2].vaddr, 0x403000);
	assert_int_equal(out.seg[2].prot, ELF_PROT_READ | ELF_PROT_WRITE);
	assert_int_equal(out.seg[2].memsz, 0x5000);
	assert_int_equal(out.seg[2].filesz, 0x100);
}

static void test_elf_parse_ignorable_headers_accepted(void **state)
{
	(void)state;
	struct img m;
	struct elf_image out;
	img_valid(&m);
	img_add(&m, PT_NULL, 0, 0, 0, 0, 0);
	img_add(&m, PT_NOTE, PF_R, 0x1800, 0x402800, 0x10, 0x10);
	img_add(&m, PT_PHDR, PF_R, 0x40, 0x400040, 0x200, 0x200);
	img_add(&m, PT_GNU_RELRO, PF_R, 0x1800, 0x402800, 0x10, 0x10);
	img_add(&m, PT_GNU_EH_FRAME, PF_R, 0x1800, 0x402800, 0x10, 0x10);
	img_add(&m, 0x6474e553 /* PT_GNU_PROPERTY */, PF_R, 0x1800, 0x402800, 0x10, 0x10);
	img_add(&m, PT_LOAD, PF_R, 0, 0x500000, 0, 0); /* empty: occupies nothing */
	assert_int_equal(parse_img(&m, &out), ELF_OK);
	assert_int_equal(out.nsegs, 3);
	assert_image_invariants(&out, m.size);
}

static void test_elf_parse_header_errors(void **state)
{
	(void)state;
	struct img m;
	struct elf_image out;
	assert_int_equal(elf_parse(NULL, 0, LO, HI, &out), ELF_E_TRUNCATED);
	img_valid(&m); m.size = 63; expect_err(&m, ELF_E_TRUNCATED);
	img_valid(&m); m.eh.e_ident[0] = 0x7e; expect_err(&m, ELF_E_MAGIC);
	img_valid(&m); m.eh.e_ident[3] = 'f'; expect_err(&m, ELF_E_MAGIC);
	img_valid(&m); m.eh.e_ident[EI_CLASS] = ELFCLASS32; expect_err(&m, ELF_E_CLASS);
	img_valid(&m); m.eh.e_ident[EI_DATA] = ELFDATA2MSB; expect_err(&m, ELF_E_DATA);
	img_valid(&m); m.eh.e_ident[EI_VERSION] = 2; expect_err(&m, ELF_E_VERSION);
	img_valid(&m); m.eh.e_version = 0; expect_err(&m, ELF_E_VERSION);
	img_valid(&m); m.eh.e_ident[EI_OSABI] = ELFOSABI_LINUX; expect_err(&m, ELF_E_OSABI);
	img_valid(&m); m.eh.e_type = ET_DYN; expect_err(&m, ELF_E_TYPE);
	img_valid(&m); m.eh.e_type = ET_REL; expect_err(&m, ELF_E_TYPE);
	img_valid(&m); m.eh.e_machine = EM_386; expect_err(&m, ELF_E_MACHINE);
	img_valid(&m); m.eh.e_ehsize = 52; expect_err(&m, ELF_E_EHSIZE);
	img_valid(&m); m.eh.e_phentsize = 32; expect_err(&m, ELF_E_PHENTSIZE);
	img_valid(&m); m.eh.e_phnum = 0; expect_err(&m, ELF_E_PHNUM);
	img_valid(&m); m.eh.e_phnum = ELF_MAX_PHDRS + 1; expect_err(&m, ELF_E_PHNUM);
	img_valid(&m); m.eh.e_phnum = 0xffff; expect_err(&m, ELF_E_PHNUM);
}

static void test_elf_parse_phdr_table_out_of_bounds(void **state)
{
	(void)state;
	struct img m;
	img_valid(&m); m.eh.e_phoff = m.size; expect_err(&m, ELF_E_PHDR_BOUNDS);
	img_valid(&m); m.eh.e_phoff = m.size + 1; expect_err(&m, ELF_E_PHDR_BOUNDS);
	/* Table starts inside but its last entry crosses the end. */
	img_valid(&m); m.eh.e_phoff = m.size - 4 * sizeof(Elf64_Phdr) + 1;
	expect_err(&m, ELF_E_PHDR_BOUNDS);
	/* An offset that would wrap when the table size is added. */
	img_valid(&m); m.eh.e_phoff = UINT64_MAX - 8; expect_err(&m, ELF_E_PHDR_BOUNDS);
	/* Table ending exactly at the end of the file is fine. */
	img_valid(&m); m.eh.e_phoff = m.size - 4 * sizeof(Elf64_Phdr);
	struct elf_image out;
	assert_int_equal(parse_img(&m, &out), ELF_OK);
}

static void test_elf_parse_unsupported_segment_types(void **state)
{
	(void)state;
	static const uint32_t bad[] = { PT_DYNAMIC, PT_INTERP, PT_SHLIB, PT_TLS, 0x60000000,
					0x70000001, 99 };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct img m;
		img_valid(&m);
		img_add(&m, bad[i], PF_R, 0x1800, 0x402800, 0x10, 0x10);
		expect_err(&m, ELF_E_SEG_TYPE);
	}
}

static void test_elf_parse_segment_size_errors(void **state)
{
	(void)state;
	struct img m;
	Elf64_Phdr *p;
	img_valid(&m); m.ph[0].p_filesz = m.ph[0].p_memsz + 1; expect_err(&m, ELF_E_SEG_FILESZ);
	img_valid(&m); m.ph[1].p_offset = m.size + 0x1000; expect_err(&m, ELF_E_SEG_FILE_BOUNDS);
	/* File bytes run one past the end. */
	img_valid(&m); m.ph[0].p_filesz = m.size - 0x2000 + 1; expect_err(&m, ELF_E_SEG_FILE_BOUNDS);
	/* offset + filesz wraps. */
	img_valid(&m);
	p = &m.ph[0];
	p->p_offset = 0x2000; p->p_filesz = UINT64_MAX - 0x1000; p->p_memsz = UINT64_MAX;
	expect_err(&m, ELF_E_SEG_FILE_BOUNDS);
	/* vaddr + memsz wraps. */
	img_valid(&m); m.ph[0].p_memsz = UINT64_MAX - 0x402000; expect_err(&m, ELF_E_SEG_RANGE);
	img_valid(&m); m.ph[0].p_memsz = UINT64_MAX; expect_err(&m, ELF_E_SEG_RANGE);
}

static void test_elf_parse_segment_outside_user_range(void **state)
{
	(void)state;
	struct img m;
	/* Below lo (the null page region), at hi, crossing hi, in the kernel half. */
	img_valid(&m); m.ph[1].p_vaddr = 0x1000; expect_err(&m, ELF_E_SEG_RANGE);
	img_valid(&m); m.ph[1].p_vaddr = 0; m.ph[1].p_offset = 0; expect_err(&m, ELF_E_SEG_RANGE);
	img_valid(&m); m.ph[0].p_vaddr = HI; m.ph[0].p_offset = 0; expect_err(&m, ELF_E_SEG_RANGE);
	img_valid(&m); m.ph[0].p_vaddr = HI - 0x1000; m.ph[0].p_offset = 0;
	expect_err(&m, ELF_E_SEG_RANGE);
	img_valid(&m); m.ph[1].p_vaddr = 0xffffffff80001000ull; expect_err(&m, ELF_E_SEG_RANGE);
	/* Ending exactly at hi is fine. */
	img_valid(&m); m.ph[0].p_vaddr = HI - 0x5000; m.ph[0].p_offset = 0x2000;
	struct elf_image out;
	assert_int_equal(parse_img(&m, &out), ELF_OK);
	assert_int_equal(out.seg[2].vaddr + out.seg[2].memsz, HI);
}

static void test_elf_parse_alignment_errors(void **state)
{
	(void)state;
	struct img m;
	struct elf_image out;
	img_valid(&m); m.ph[1].p_offset = 0x1004; expect_err(&m, ELF_E_SEG_ALIGN);
	img_valid(&m); m.ph[1].p_align = 0x3000; expect_err(&m, ELF_E_SEG_ALIGN);
	/* Page-congruent but not congruent modulo a 2 MiB p_align. */
	img_valid(&m); m.ph[1].p_align = 0x200000; m.ph[1].p_vaddr = 0x501000;
	expect_err(&m, ELF_E_SEG_ALIGN);
	/* Congruent modulo 2 MiB: offset 0x1000, vaddr 0x601000. */
	img_valid(&m);
	m.ph[1].p_align = 0x200000; m.ph[1].p_vaddr = 0x601000; m.eh.e_entry = 0x601000;
	assert_int_equal(parse_img(&m, &out), ELF_OK);
	/* p_align 0 and 1 mean no constraint. */
	img_valid(&m); m.ph[1].p_align = 0; assert_int_equal(parse_img(&m, &out), ELF_OK);
	img_valid(&m); m.ph[1].p_align = 1; assert_int_equal(parse_img(&m, &out), ELF_OK);
}

static void test_elf_parse_wx_rejected(void **state)
{
	(void)state;
	struct img m;
	img_valid(&m); m.ph[1].p_flags = PF_R | PF_W | PF_X; expect_err(&m, ELF_E_SEG_WX);
	img_valid(&m); m.ph[0].p_flags = PF_W | PF_X; expect_err(&m, ELF_E_SEG_WX);
	/* An executable-stack request. */
	img_valid(&m); m.ph[3].p_flags = PF_R | PF_W | PF_X; expect_err(&m, ELF_E_SEG_WX);
}

static void test_elf_parse_overlapping_segments(void **state)
{
	(void)state;
	struct img m;
	struct elf_image out;
	/* Rodata moved into text's page (different file page, same virtual page). */
	img_valid(&m); m.ph[2].p_vaddr = 0x401800; expect_err(&m, ELF_E_SEG_OVERLAP);
	/* Data starts in the page where rodata ends. */
	img_valid(&m); m.ph[2].p_vaddr = 0x4037f0; m.ph[2].p_offset = 0x17f0;
	expect_err(&m, ELF_E_SEG_OVERLAP);
	/* One range inside another; identical ranges. */
	img_valid(&m); m.ph[2].p_vaddr = 0x401800; m.ph[2].p_memsz = m.ph[2].p_filesz = 0x800;
	expect_err(&m, ELF_E_SEG_OVERLAP);
	img_valid(&m); m.ph[2] = m.ph[1]; m.ph[2].p_flags = PF_R;
	expect_err(&m, ELF_E_SEG_OVERLAP);
	img_valid(&m); m.ph[0].p_vaddr = 0x401000; m.ph[0].p_offset = 0x2000;
	expect_err(&m, ELF_E_SEG_OVERLAP);
	/* Adjacent pages do not overlap. */
	img_valid(&m); m.ph[2].p_vaddr = 0x402800; assert_int_equal(parse_img(&m, &out), ELF_OK);
}

static void test_elf_parse_segment_count_errors(void **state)
{
	(void)state;
	struct img m;
	img_init(&m);
	img_add(&m, PT_NOTE, PF_R, 0x1000, 0x401000, 0x10, 0x10);
	m.eh.e_entry = 0x401000;
	expect_err(&m, ELF_E_NO_SEGMENTS);
	img_init(&m);
	img_add(&m, PT_LOAD, PF_R | PF_X, 0x1000, 0x401000, 0, 0);
	expect_err(&m, ELF_E_NO_SEGMENTS);
	img_init(&m);
	m.size = 0x20000;
	for (uint64_t i = 0; i <= ELF_MAX_SEGMENTS; i++)
		img_add(&m, PT_LOAD, PF_R | PF_X, 0x1000 * (i + 1), 0x401000 + 0x1000 * i, 0x10,
			0x10);
	m.eh.e_entry = 0x401000;
	expect_err(&m, ELF_E_TOO_MANY_SEGMENTS);
	m.eh.e_phnum--; /* exactly ELF_MAX_SEGMENTS */
	struct elf_image out;
	assert_int_equal(parse_img(&m, &out), ELF_OK);
	assert_int_equal(out.nsegs, ELF_MAX_SEGMENTS);
}

static void test_elf_parse_entry_errors(void **state)
{
	(void)state;
	struct img m;
	struct elf_image out;
	img_valid(&m); m.eh.e_entry = 0; expect_err(&m, ELF_E_ENTRY);
	img_valid(&m); m.eh.e_entry = 0x403000; expect_err(&m, ELF_E_ENTRY); /* RW data */
	img_valid(&m); m.eh.e_entry = 0x402800; expect_err(&m, ELF_E_ENTRY); /* R rodata */
	img_valid(&m); m.eh.e_entry = 0x401800; expect_err(&m, ELF_E_ENTRY); /* one past text */
	img_valid(&m); m.eh.e_entry = 0x4017ff; assert_int_equal(parse_img(&m, &out), ELF_OK);
	img_valid(&m); m.eh.e_entry = 0x401000; assert_int_equal(parse_img(&m, &out), ELF_OK);
}

static void test_elf_parse_every_truncation_rejected(void **state)
{
	(void)state;
	struct img m;
	img_valid(&m);
	/* Put the data segment's file bytes at the very end so every prefix misses something. */
	m.ph[0].p_filesz = m.size - 0x2000;
	uint8_t *full = img_bytes(&m);
	struct elf_image out;
	assert_int_equal(elf_parse(full, m.size, LO, HI, &out), ELF_OK);
	for (size_t len = 0; len < m.size; len++) {
		uint8_t *b = malloc(len ? len : 1);
		assert_non_null(b);
		memcpy(b, full, len);
		enum elf_err e = elf_parse(b, len, LO, HI, &out);
		free(b);
		if (e == ELF_OK)
			fail_msg("prefix of %zu bytes accepted", len);
	}
	free(full);
}

/* Seeded random corruption of the header and program headers; accepted images must satisfy
 * every invariant, and ASan checks no byte outside the buffer is read. */
static void test_elf_parse_random_corruption_safe(void **state)
{
	(void)state;
	unsigned seed = 0x5eed;
	unsigned rs = seed;
	struct img m;
	img_valid(&m);
	uint8_t *ref = img_bytes(&m);
	size_t hdr_bytes = sizeof(Elf64_Ehdr) + 4 * sizeof(Elf64_Phdr);
	int accepted = 0;
	print_message("elf random corruption: seed %u\n", seed);
	for (int iter = 0; iter < 20000; iter++) {
		size_t len = (size_t)rand_r(&rs) % 8 == 0 ? (size_t)rand_r(&rs) % m.size : m.size;
		uint8_t *b = malloc(len ? len : 1);
		assert_non_null(b);
		memcpy(b, ref, len);
		int flips = 1 + rand_r(&rs) % 4;
		for (int k = 0; k < flips && len; k++) {
			size_t at = (size_t)rand_r(&rs) % (hdr_bytes < len ? hdr_bytes : len);
			b[at] = (rand_r(&rs) & 1) ? (uint8_t)rand_r(&rs) : (uint8_t)(b[at] ^ 0x80);
		}
		struct elf_image out;
		if (elf_parse(b, len, LO, HI, &out) == ELF_OK) {
			accepted++;
			assert_image_invariants(&out, len);
		}
		free(b);
	}
	free(ref);
	print_message("elf random corruption: %d of 20000 accepted and re-checked\n", accepted);
}

static void test_elf_parse_bad_range_asserts(void **state)
{
	(void)state;
	struct img m;
	img_valid(&m);
	uint8_t *b = img_bytes(&m);
	struct elf_image out;
	expect_assert_failure(elf_parse(b, m.size, LO + 1, HI, &out));
	expect_assert_failure(elf_parse(b, m.size, HI, LO, &out));
	free(b);
}

/*
 * Load every page of random valid segments with elf_segment_page() into a zeroed page buffer
 * and compare each byte with its definition: file byte offset + (va - vaddr) below filesz,
 * zero elsewhere (before vaddr, bss, after memsz). Seeded; the seed is printed.
 */
static void test_elf_segment_page_fills_reconstruct_segment(void **state)
{
	(void)state;
	unsigned seed = 0xf111;
	unsigned rs = seed;
	enum { FILE_SZ = 5 * 4096 };
	static uint8_t file[FILE_SZ];
	for (size_t i = 0; i < FILE_SZ; i++)
		file[i] = (uint8_t)(i * 13 + 1);
	print_message("elf page fills: seed %u\n", seed);
	for (int iter = 0; iter < 3000; iter++) {
		struct elf_segment s;
		uint64_t in_page = (uint64_t)rand_r(&rs) % 4096;
		s.offset = (uint64_t)rand_r(&rs) % 2 * 4096 + in_page;
		s.vaddr = 0x401000 + (uint64_t)rand_r(&rs) % 4 * 4096 + in_page;
		s.filesz = (uint64_t)rand_r(&rs) % (FILE_SZ - s.offset + 1);
		s.memsz = s.filesz + (uint64_t)rand_r(&rs) % 3 * (uint64_t)rand_r(&rs) % 9000;
		if (s.memsz == 0)
			s.memsz = 1;
		s.prot = ELF_PROT_READ;
		vaddr_t first;
		uint64_t npages;
		elf_segment_span(&s, &first, &npages);
		assert_int_equal(first, s.vaddr & ~0xfffull);
		assert_true(first + npages * 4096 >= s.vaddr + s.memsz);
		assert_true(first + (npages - 1) * 4096 < s.vaddr + s.memsz);
		for (uint64_t p = 0; p < npages; p++) {
			uint8_t page[4096];
			struct elf_page_fill f;
			memset(page, 0, sizeof(page));
			elf_segment_page(&s, first + p * 4096, &f);
			assert_true(f.len <= 4096 && f.dst_off + f.len <= 4096);
			assert_true(f.file_off + f.len <= s.offset + s.filesz);
			memcpy(page + f.dst_off, file + f.file_off, f.len);
			for (uint64_t b = 0; b < 4096; b++) {
				uint64_t va = first + p * 4096 + b;
				uint8_t want = va >= s.vaddr && va - s.vaddr < s.filesz ?
						       file[s.offset + (va - s.vaddr)] : 0;
				if (page[b] != want)
					fail_msg("seed %u iter %d: va 0x%llx is %u, want %u", seed, iter,
						 (unsigned long long)va, page[b], want);
			}
		}
	}
}

static void test_elf_segment_page_outside_span_asserts(void **state)
{
	(void)state;
	struct elf_segment s = { 0x401800, 0x1000, 0x800, 0x10, ELF_PROT_READ };
	struct elf_page_fill f;
	expect_assert_failure(elf_segment_page(&s, 0x400000, &f));
	expect_assert_failure(elf_segment_page(&s, 0x403000, &f));
	expect_assert_failure(elf_segment_page(&s, 0x401800, &f));
	elf_segment_page(&s, 0x402000, &f); /* last page: bss only */
	assert_int_equal(f.len, 0);
	elf_segment_page(&s, 0x401000, &f);
	assert_int_equal(f.dst_off, 0x800);
	assert_int_equal(f.file_off, 0x800);
	assert_int_equal(f.len, 0x10);
}

static void test_elf_err_name_every_code_named_and_distinct(void **state)
{
	(void)state;
	for (int i = 0; i < ELF_E_COUNT; i++) {
		const char *n = elf_err_name((enum elf_err)i);
		assert_non_null(n);
		assert_int_equal(strncmp(n, "ELF_", 4), 0);
		assert_string_not_equal(n, "ELF_E_<invalid>");
		for (int j = 0; j < i; j++)
			assert_string_not_equal(n, elf_err_name((enum elf_err)j));
	}
	assert_string_equal(elf_err_name(ELF_E_COUNT), "ELF_E_<invalid>");
	assert_string_equal(elf_err_name((enum elf_err)-1), "ELF_E_<invalid>");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_elf_parse_valid_image_sorted_segments),
		cmocka_unit_test(test_elf_parse_ignorable_headers_accepted),
		cmocka_unit_test(test_elf_parse_header_errors),
		cmocka_unit_test(test_elf_parse_phdr_table_out_of_bounds),
		cmocka_unit_test(test_elf_parse_unsupported_segment_types),
		cmocka_unit_test(test_elf_parse_segment_size_errors),
		cmocka_unit_test(test_elf_parse_segment_outside_user_range),
		cmocka_unit_test(test_elf_parse_alignment_errors),
		cmocka_unit_test(test_elf_parse_wx_rejected),
		cmocka_unit_test(test_elf_parse_overlapping_segments),
		cmocka_unit_test(test_elf_parse_segment_count_errors),
		cmocka_unit_test(test_elf_parse_entry_errors),
		cmocka_unit_test(test_elf_parse_every_truncation_rejected),
		cmocka_unit_test(test_elf_parse_random_corruption_safe),
		cmocka_unit_test(test_elf_parse_bad_range_asserts),
		cmocka_unit_test(test_elf_segment_page_fills_reconstruct_segment),
		cmocka_unit_test(test_elf_segment_page_outside_span_asserts),
		cmocka_unit_test(test_elf_err_name_every_code_named_and_distinct),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
