/*
 * elf.c - validation of untrusted ELF64 user images and enumeration of their loadable segments
 * (kernel/include/lib/elf.h).
 *
 * Every field is read through memcpy from a bounds-checked offset, so unaligned or truncated
 * images are safe; every sum is checked for overflow before use. Both the kernel and the host
 * are little-endian x86_64, so fields are read in native order after ELF_E_DATA confirmed LSB.
 */
#include <lib/assert.h>
#include <lib/elf.h>

/* The on-disk layouts (System V gABI, ELF64). */
struct elf64_ehdr {
	uint8_t ident[16];
	uint16_t type, machine;
	uint32_t version;
	uint64_t entry, phoff, shoff;
	uint32_t flags;
	uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};

struct elf64_phdr {
	uint32_t type, flags;
	uint64_t offset, vaddr, paddr, filesz, memsz, align;
};

_Static_assert(sizeof(struct elf64_ehdr) == 64, "ELF64 header layout");
_Static_assert(sizeof(struct elf64_phdr) == 56, "ELF64 program header layout");

enum {
	EI_CLASS = 4, EI_DATA = 5, EI_VERSION = 6, EI_OSABI = 7,
	ELFCLASS64 = 2, ELFDATA2LSB = 1, EV_CURRENT = 1, ELFOSABI_NONE = 0,
	ET_EXEC = 2, EM_X86_64 = 62,
	PF_X = 1, PF_W = 2, PF_R = 4,
};

enum {
	PT_NULL = 0, PT_LOAD = 1, PT_NOTE = 4, PT_PHDR = 6,
	PT_GNU_EH_FRAME = 0x6474e550, PT_GNU_STACK = 0x6474e551, PT_GNU_RELRO = 0x6474e552,
	PT_GNU_PROPERTY = 0x6474e553,
};

static const char *const elf_err_names[ELF_E_COUNT] = {
	[ELF_OK] = "ELF_OK",
	[ELF_E_TRUNCATED] = "ELF_E_TRUNCATED",
	[ELF_E_MAGIC] = "ELF_E_MAGIC",
	[ELF_E_CLASS] = "ELF_E_CLASS",
	[ELF_E_DATA] = "ELF_E_DATA",
	[ELF_E_VERSION] = "ELF_E_VERSION",
	[ELF_E_OSABI] = "ELF_E_OSABI",
	[ELF_E_TYPE] = "ELF_E_TYPE",
	[ELF_E_MACHINE] = "ELF_E_MACHINE",
	[ELF_E_EHSIZE] = "ELF_E_EHSIZE",
	[ELF_E_PHENTSIZE] = "ELF_E_PHENTSIZE",
	[ELF_E_PHNUM] = "ELF_E_PHNUM",
	[ELF_E_PHDR_BOUNDS] = "ELF_E_PHDR_BOUNDS",
	[ELF_E_SEG_TYPE] = "ELF_E_SEG_TYPE",
	[ELF_E_SEG_FILESZ] = "ELF_E_SEG_FILESZ",
	[ELF_E_SEG_FILE_BOUNDS] = "ELF_E_SEG_FILE_BOUNDS",
	[ELF_E_SEG_RANGE] = "ELF_E_SEG_RANGE",
	[ELF_E_SEG_ALIGN] = "ELF_E_SEG_ALIGN",
	[ELF_E_SEG_WX] = "ELF_E_SEG_WX",
	[ELF_E_SEG_OVERLAP] = "ELF_E_SEG_OVERLAP",
	[ELF_E_TOO_MANY_SEGMENTS] = "ELF_E_TOO_MANY_SEGMENTS",
	[ELF_E_NO_SEGMENTS] = "ELF_E_NO_SEGMENTS",
	[ELF_E_ENTRY] = "ELF_E_ENTRY",
};

const char *elf_err_name(enum elf_err e)
{
	if ((unsigned)e >= ELF_E_COUNT)
		return "ELF_E_<invalid>";
	return elf_err_names[e];
}

/* Byte copy (kernel/lib builds with -fno-builtin and has no libc). */
static void copy_bytes(void *dst, const void *src, size_t n)
{
	uint8_t *d = dst;
	const uint8_t *s = src;
	while (n--)
		*d++ = *s++;
}

static enum elf_err check_ident(const struct elf64_ehdr *eh)
{
	if (eh->ident[0] != 0x7f || eh->ident[1] != 'E' || eh->ident[2] != 'L' ||
	    eh->ident[3] != 'F')
		return ELF_E_MAGIC;
	if (eh->ident[EI_CLASS] != ELFCLASS64)
		return ELF_E_CLASS;
	if (eh->ident[EI_DATA] != ELFDATA2LSB)
		return ELF_E_DATA;
	if (eh->ident[EI_VERSION] != EV_CURRENT || eh->version != EV_CURRENT)
		return ELF_E_VERSION;
	if (eh->ident[EI_OSABI] != ELFOSABI_NONE)
		return ELF_E_OSABI;
	return ELF_OK;
}

static enum elf_err check_header(const struct elf64_ehdr *eh, size_t size)
{
	enum elf_err e = check_ident(eh);

	if (e != ELF_OK)
		return e;
	if (eh->type != ET_EXEC)
		return ELF_E_TYPE;
	if (eh->machine != EM_X86_64)
		return ELF_E_MACHINE;
	if (eh->ehsize != sizeof(struct elf64_ehdr))
		return ELF_E_EHSIZE;
	if (eh->phentsize != sizeof(struct elf64_phdr))
		return ELF_E_PHENTSIZE;
	if (eh->phnum == 0 || eh->phnum > ELF_MAX_PHDRS)
		return ELF_E_PHNUM;
	/* phnum <= ELF_MAX_PHDRS, so the table size cannot overflow. */
	uint64_t table = (uint64_t)eh->phnum * sizeof(struct elf64_phdr);
	if (eh->phoff > size || table > size - eh->phoff)
		return ELF_E_PHDR_BOUNDS;
	return ELF_OK;
}

static bool is_pow2(uint64_t x)
{
	return x && !(x & (x - 1));
}

/* Program headers that carry nothing to load and need no support. */
static bool phdr_ignorable(uint32_t type)
{
	return type == PT_NULL || type == PT_NOTE || type == PT_PHDR || type == PT_GNU_EH_FRAME ||
	       type == PT_GNU_RELRO || type == PT_GNU_PROPERTY;
}

/* Checks of one PT_LOAD against the image and the user range (I2, I3 bounds, I4). */
static enum elf_err check_load(const struct elf64_phdr *ph, size_t size, vaddr_t lo, vaddr_t hi)
{
	if (ph->filesz > ph->memsz)
		return ELF_E_SEG_FILESZ;
	if (ph->offset > size || ph->filesz > size - ph->offset)
		return ELF_E_SEG_FILE_BOUNDS;
	/*
	 * Page span inside [lo, hi): lo <= vaddr < hi and memsz <= hi - vaddr (no overflow). lo
	 * and hi are page-aligned, so the rounded span stays inside too.
	 */
	if (ph->vaddr < lo || ph->vaddr >= hi || ph->memsz > hi - ph->vaddr)
		return ELF_E_SEG_RANGE;
	if ((ph->vaddr & PAGE_MASK) != (ph->offset & PAGE_MASK))
		return ELF_E_SEG_ALIGN;
	if (ph->align > 1 && (!is_pow2(ph->align) || ((ph->vaddr - ph->offset) & (ph->align - 1))))
		return ELF_E_SEG_ALIGN;
	if ((ph->flags & PF_W) && (ph->flags & PF_X))
		return ELF_E_SEG_WX;
	return ELF_OK;
}

static uint32_t prot_of(uint32_t flags)
{
	return ((flags & PF_R) ? ELF_PROT_READ : 0) | ((flags & PF_W) ? ELF_PROT_WRITE : 0) |
	       ((flags & PF_X) ? ELF_PROT_EXEC : 0);
}

/* One program header: reject, skip, or append a segment to out. */
static enum elf_err take_phdr(const struct elf64_phdr *ph, size_t size, vaddr_t lo, vaddr_t hi,
			      struct elf_image *out)
{
	if (ph->type == PT_GNU_STACK)
		return (ph->flags & PF_X) ? ELF_E_SEG_WX : ELF_OK;
	if (phdr_ignorable(ph->type))
		return ELF_OK;
	if (ph->type != PT_LOAD)
		return ELF_E_SEG_TYPE; /* PT_DYNAMIC, PT_INTERP, PT_TLS, PT_SHLIB, unknown */
	enum elf_err e = check_load(ph, size, lo, hi);
	if (e != ELF_OK)
		return e;
	if (ph->memsz == 0)
		return ELF_OK; /* occupies nothing (filesz is 0 too) */
	if (out->nsegs == ELF_MAX_SEGMENTS)
		return ELF_E_TOO_MANY_SEGMENTS;
	struct elf_segment *s = &out->seg[out->nsegs++];
	s->vaddr = ph->vaddr;
	s->memsz = ph->memsz;
	s->offset = ph->offset;
	s->filesz = ph->filesz;
	s->prot = prot_of(ph->flags);
	return ELF_OK;
}

/* Sort by vaddr (insertion sort, at most ELF_MAX_SEGMENTS), then I3 disjointness. */
static enum elf_err sort_and_check_overlap(struct elf_image *img)
{
	for (uint32_t i = 1; i < img->nsegs; i++) {
		struct elf_segment s = img->seg[i];
		uint32_t j = i;
		for (; j > 0 && img->seg[j - 1].vaddr > s.vaddr; j--)
			img->seg[j] = img->seg[j - 1];
		img->seg[j] = s;
	}
	/* Sorted by start: spans are disjoint iff each ends at or before the next one starts. */
	for (uint32_t i = 1; i < img->nsegs; i++) {
		const struct elf_segment *a = &img->seg[i - 1], *b = &img->seg[i];
		if (PAGE_ALIGN_UP(a->vaddr + a->memsz) > PAGE_ALIGN_DOWN(b->vaddr))
			return ELF_E_SEG_OVERLAP;
	}
	return ELF_OK;
}

/* I5: the entry is inside an executable segment. */
static bool entry_ok(const struct elf_image *img)
{
	for (uint32_t i = 0; i < img->nsegs; i++) {
		const struct elf_segment *s = &img->seg[i];
		if ((s->prot & ELF_PROT_EXEC) && img->entry >= s->vaddr &&
		    img->entry - s->vaddr < s->memsz)
			return true;
	}
	return false;
}

enum elf_err elf_parse(const void *image, size_t size, vaddr_t lo, vaddr_t hi,
		       struct elf_image *out)
{
	const uint8_t *bytes = image;
	struct elf64_ehdr eh;

	KASSERT(IS_PAGE_ALIGNED(lo) && IS_PAGE_ALIGNED(hi) && lo < hi);
	if (size < sizeof(eh))
		return ELF_E_TRUNCATED;
	copy_bytes(&eh, bytes, sizeof(eh));
	enum elf_err e = check_header(&eh, size);
	if (e != ELF_OK)
		return e;
	out->entry = eh.entry;
	out->nsegs = 0;
	for (uint16_t i = 0; i < eh.phnum; i++) {
		struct elf64_phdr ph;
		copy_bytes(&ph, bytes + eh.phoff + (uint64_t)i * sizeof(ph), sizeof(ph));
		e = take_phdr(&ph, size, lo, hi, out);
		if (e != ELF_OK)
			return e;
	}
	if (out->nsegs == 0)
		return ELF_E_NO_SEGMENTS;
	e = sort_and_check_overlap(out);
	if (e != ELF_OK)
		return e;
	return entry_ok(out) ? ELF_OK : ELF_E_ENTRY;
}

void elf_segment_span(const struct elf_segment *s, vaddr_t *first, uint64_t *npages)
{
	*first = PAGE_ALIGN_DOWN(s->vaddr);
	*npages = (PAGE_ALIGN_UP(s->vaddr + s->memsz) - *first) >> PAGE_SHIFT;
}

void elf_segment_page(const struct elf_segment *s, vaddr_t page, struct elf_page_fill *out)
{
	vaddr_t first;
	uint64_t npages;

	elf_segment_span(s, &first, &npages);
	KASSERT(IS_PAGE_ALIGNED(page) && page >= first && (page - first) >> PAGE_SHIFT < npages);
	/* The file-backed bytes [vaddr, vaddr + filesz) intersected with this page. */
	vaddr_t lo = s->vaddr > page ? s->vaddr : page;
	vaddr_t file_end = s->vaddr + s->filesz;
	vaddr_t hi = file_end < page + PAGE_SIZE ? file_end : page + PAGE_SIZE;
	if (hi <= lo) {
		out->dst_off = out->file_off = out->len = 0;
		return;
	}
	out->dst_off = lo - page;
	out->file_off = s->offset + (lo - s->vaddr);
	out->len = hi - lo;
}
