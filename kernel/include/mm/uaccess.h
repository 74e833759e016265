/**
 * @file
 * @brief Copying between kernel memory and a user address space, checked page by page against
 *        the page tables (no fault can happen: unmapped or kernel addresses are refused).
 */
#ifndef CAPOS_MM_UACCESS_H
#define CAPOS_MM_UACCESS_H

#include <capos/errors.h>
#include <lib/types.h>

struct aspace;

/**
 * @brief Copy @p len bytes from user address @p src in @p as to @p dst.
 * @param as Address space. @param dst Kernel buffer. @param src User address. @param len Bytes.
 * @return KERR_OK; KERR_BAD_ADDRESS when any byte is outside user space or not mapped
 *         user-readable (@p dst may then hold a partial copy).
 */
kerr_t copy_from_user(struct aspace *as, void *dst, vaddr_t src, size_t len);

/**
 * @brief Copy @p len bytes from @p src to user address @p dst in @p as, all or nothing.
 * @param as Address space. @param dst User address. @param src Kernel buffer. @param len Bytes.
 * @return KERR_OK; KERR_BAD_ADDRESS when any byte is outside user space or not mapped
 *         user-writable (nothing is written then).
 */
kerr_t copy_to_user(struct aspace *as, vaddr_t dst, const void *src, size_t len);

#endif /* CAPOS_MM_UACCESS_H */
