/**
 * @file
 * @brief Loading an embedded user program (ELF64, validated by kernel/lib/elf.c) into an
 *        address space.
 */
#ifndef CAPOS_PROC_ELFLOAD_H
#define CAPOS_PROC_ELFLOAD_H

#include <capos/errors.h>
#include <capos/images.h>
#include <lib/types.h>

struct aspace;

/**
 * @brief Find an embedded image by name.
 * @param name Name. @param len Its length in bytes.
 * @return The image, or NULL.
 */
const struct user_image *elfload_find(const char *name, size_t len);

/**
 * @brief Validate @p img and map its segments into @p as (zero-filled beyond the file bytes,
 *        protections from the program headers). TLB: none (new PTEs only).
 * @param as Empty user address space. @param img Image. @param entry Receives the entry point.
 * @return KERR_OK; KERR_INVALID_ARG (the ELF is invalid); KERR_NO_MEMORY. On error, pages
 *         already mapped stay in @p as (the caller destroys it).
 */
kerr_t elfload_load(struct aspace *as, const struct user_image *img, vaddr_t *entry);

#endif /* CAPOS_PROC_ELFLOAD_H */
