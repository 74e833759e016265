/**
 * @file
 * @brief ELF64 validation and loadable-segment enumeration for user images (pure logic).
 *
 * elf_parse() reads an untrusted in-memory image and either rejects it with a typed
 * ::elf_err or returns its loadable segments in an ::elf_image that the kernel can map without
 * further checks. It never reads outside [image, image + size), never allocates and never
 * writes anything but its result. Only static, non-PIE x86_64 executables are accepted.
 */
#ifndef CAPOS_LIB_ELF_H
#define CAPOS_LIB_ELF_H

#include <lib/types.h>

/** @brief Why an image was rejected. Checked in the order listed. */
enum elf_err {
	ELF_OK = 0,               /**< Valid. */
	ELF_E_TRUNCATED,          /**< Smaller than the ELF header. */
	ELF_E_MAGIC,              /**< Not "\x7fELF". */
	ELF_E_CLASS,              /**< Not ELFCLASS64. */
	ELF_E_DATA,               /**< Not little-endian. */
	ELF_E_VERSION,            /**< e_ident version or e_version is not EV_CURRENT. */
	ELF_E_OSABI,              /**< OS ABI is not ELFOSABI_NONE (System V). */
	ELF_E_TYPE,               /**< Not ET_EXEC (shared objects and PIE are refused). */
	ELF_E_MACHINE,            /**< Not EM_X86_64. */
	ELF_E_EHSIZE,             /**< e_ehsize is not the ELF64 header size. */
	ELF_E_PHENTSIZE,          /**< e_phentsize is not the ELF64 program-header size. */
	ELF_E_PHNUM,              /**< No program headers, or more than ::ELF_MAX_PHDRS. */
	ELF_E_PHDR_BOUNDS,        /**< Program-header table extends past the image (or overflows). */
	ELF_E_SEG_TYPE,           /**< A program header needs dynamic linking, TLS or is unknown. */
	ELF_E_SEG_FILESZ,         /**< A segment's p_filesz exceeds its p_memsz. */
	ELF_E_SEG_FILE_BOUNDS,    /**< A segment's file bytes extend past the image (or overflow). */
	ELF_E_SEG_RANGE,          /**< A segment lies (partly) outside the allowed user range. */
	ELF_E_SEG_ALIGN,          /**< p_align not a power of two, or vaddr and offset not congruent. */
	ELF_E_SEG_WX,             /**< A segment (or the stack request) is writable and executable. */
	ELF_E_SEG_OVERLAP,        /**< Two segments share a page. */
	ELF_E_TOO_MANY_SEGMENTS,  /**< More than ::ELF_MAX_SEGMENTS loadable segments. */
	ELF_E_NO_SEGMENTS,        /**< No loadable segment with memory. */
	ELF_E_ENTRY,              /**< Entry point not inside an executable segment. */
	ELF_E_COUNT               /**< Number of codes; not a valid code. */
};

/** @brief Most loadable segments an image may have. */
#define ELF_MAX_SEGMENTS 8u
/** @brief Most program headers (of any type) an image may have. */
#define ELF_MAX_PHDRS 32u

/** @brief Segment protection bits (same values as ::capos_prot in capos/abi.h). */
enum elf_prot {
	ELF_PROT_READ = 1u << 0,  /**< PF_R. */
	ELF_PROT_WRITE = 1u << 1, /**< PF_W. */
	ELF_PROT_EXEC = 1u << 2,  /**< PF_X. */
};

/**
 * @brief One loadable segment: map [vaddr, vaddr + memsz) with @ref prot; copy filesz bytes
 * from image offset @ref offset to vaddr; zero the rest.
 */
struct elf_segment {
	vaddr_t vaddr;   /**< First byte (not necessarily page-aligned). */
	uint64_t memsz;  /**< Bytes in memory, > 0. */
	uint64_t offset; /**< File offset of the first byte. */
	uint64_t filesz; /**< Bytes present in the file, <= memsz. */
	uint32_t prot;   /**< ::elf_prot bits. */
};

/**
 * @brief A validated image.
 *
 * Invariants (what elf_parse() guarantees on ELF_OK):
 *   I1. 1 <= nsegs <= ::ELF_MAX_SEGMENTS; seg[0..nsegs) sorted by vaddr.
 *   I2. For each segment: 0 < memsz, filesz <= memsz, offset + filesz <= image size (no
 *       overflow), vaddr % PAGE_SIZE == offset % PAGE_SIZE.
 *   I3. Each segment's page span [PAGE_ALIGN_DOWN(vaddr), PAGE_ALIGN_UP(vaddr + memsz)) lies
 *       within [lo, hi) given to elf_parse(), and no two spans intersect.
 *   I4. No segment is both writable and executable.
 *   I5. entry lies in [vaddr, vaddr + memsz) of an executable segment.
 * Locking: none; a plain value.
 */
struct elf_image {
	vaddr_t entry;                            /**< Entry point. */
	uint32_t nsegs;                           /**< Loadable segments. */
	struct elf_segment seg[ELF_MAX_SEGMENTS]; /**< Sorted by vaddr. */
};

/**
 * @brief Validate an ELF64 user image and list its loadable segments.
 * @param image The image bytes (any alignment). May be NULL only when @p size is 0.
 * @param size Bytes in @p image.
 * @param lo Lowest address a segment page may use (page-aligned; asserted).
 * @param hi End of the allowed range (page-aligned, > lo; asserted).
 * @param out Receives the image on ELF_OK; unspecified contents otherwise.
 * @return ELF_OK, or the first ::elf_err found (order of the enum): ELF_E_TRUNCATED,
 *         ELF_E_MAGIC, ELF_E_CLASS, ELF_E_DATA, ELF_E_VERSION, ELF_E_OSABI, ELF_E_TYPE,
 *         ELF_E_MACHINE, ELF_E_EHSIZE, ELF_E_PHENTSIZE, ELF_E_PHNUM, ELF_E_PHDR_BOUNDS; then
 *         per program header in order ELF_E_SEG_TYPE, ELF_E_SEG_FILESZ, ELF_E_SEG_FILE_BOUNDS,
 *         ELF_E_SEG_RANGE, ELF_E_SEG_ALIGN, ELF_E_SEG_WX, ELF_E_TOO_MANY_SEGMENTS; then
 *         ELF_E_NO_SEGMENTS, ELF_E_SEG_OVERLAP, ELF_E_ENTRY.
 */
enum elf_err elf_parse(const void *image, size_t size, vaddr_t lo, vaddr_t hi,
		       struct elf_image *out);

/**
 * @brief What one page of a segment holds: bytes [dst_off, dst_off + len) of the page are image
 * bytes [file_off, file_off + len); every other byte of the page is zero.
 */
struct elf_page_fill {
	uint64_t dst_off;  /**< Offset in the page of the first file byte (0 when len is 0). */
	uint64_t file_off; /**< Image offset of that byte (0 when len is 0). */
	uint64_t len;      /**< Bytes to copy, 0..PAGE_SIZE. */
};

/**
 * @brief The pages a segment occupies: [PAGE_ALIGN_DOWN(vaddr), PAGE_ALIGN_UP(vaddr + memsz)).
 * @param s A segment of an image elf_parse() accepted.
 * @param first Receives the first page's address.
 * @param npages Receives the number of pages (>= 1).
 */
void elf_segment_span(const struct elf_segment *s, vaddr_t *first, uint64_t *npages);

/**
 * @brief How to fill one page of a segment when loading it into a fresh zeroed frame.
 * @param s A segment of an image elf_parse() accepted.
 * @param page A page-aligned address inside the segment's span (asserted).
 * @param out Receives the copy to make; the rest of the page stays zero (bytes before vaddr,
 *        the bss part after vaddr + filesz, and everything after vaddr + memsz).
 */
void elf_segment_page(const struct elf_segment *s, vaddr_t page, struct elf_page_fill *out);

/**
 * @brief Stable name of an error code ("ELF_E_SEG_WX").
 * @param e Any value; out-of-range values give "ELF_E_<invalid>".
 * @return A static string; never NULL.
 */
const char *elf_err_name(enum elf_err e);

#endif /* CAPOS_LIB_ELF_H */
