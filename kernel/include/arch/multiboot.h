/**
 * @file
 * @brief The parts of the multiboot1 information structure the kernel reads.
 */
#ifndef CAPOS_ARCH_MULTIBOOT_H
#define CAPOS_ARCH_MULTIBOOT_H

#include <lib/types.h>

#define MULTIBOOT_BOOT_MAGIC 0x2BADB002 /**< Value in %eax when a multiboot loader jumped to us. */
#define MB_INFO_CMDLINE (1u << 2)       /**< flags: cmdline is valid. */
#define MB_INFO_MMAP (1u << 6)          /**< flags: mmap_length/mmap_addr are valid. */
#define MB_MMAP_AVAILABLE 1             /**< Memory map type of usable RAM. */

/** @brief Multiboot1 information (only the fields up to the memory map). */
struct multiboot_info {
	uint32_t flags;       /**< Which fields are valid (MB_INFO_*). */
	uint32_t mem_lower;   /**< KiB of lower memory. */
	uint32_t mem_upper;   /**< KiB of upper memory. */
	uint32_t boot_device; /**< BIOS boot device. */
	uint32_t cmdline;     /**< Physical address of the NUL-terminated command line. */
	uint32_t mods_count;  /**< Number of boot modules. */
	uint32_t mods_addr;   /**< Physical address of the module list. */
	uint32_t syms[4];     /**< Symbol table information (unused). */
	uint32_t mmap_length; /**< Bytes of memory map entries. */
	uint32_t mmap_addr;   /**< Physical address of the first memory map entry. */
};

/** @brief One memory map entry; `size` does not count itself. */
struct multiboot_mmap_entry {
	uint32_t size; /**< Size of the rest of the entry (entries are size + 4 bytes apart). */
	uint64_t addr; /**< First physical address of the range. */
	uint64_t len;  /**< Length in bytes. */
	uint32_t type; /**< MB_MMAP_AVAILABLE or a reserved type. */
} __attribute__((packed));

#endif /* CAPOS_ARCH_MULTIBOOT_H */
