/**
 * @file
 * @brief Memory and string primitives for the kernel (the kernel has no libc).
 *
 * kernel/lib does not use these: its files are also linked into host programs with libc.
 * The compiler may emit calls to memset/memcpy/memmove/memcmp itself, so the names are the
 * standard ones.
 */
#ifndef CAPOS_KERN_STRING_H
#define CAPOS_KERN_STRING_H

#include <lib/types.h>

/** @brief Fill @p n bytes at @p d with @p c. @return @p d. */
void *memset(void *d, int c, size_t n);
/** @brief Copy @p n bytes from @p s to @p d; the ranges must not overlap. @return @p d. */
void *memcpy(void *d, const void *s, size_t n);
/** @brief Copy @p n bytes from @p s to @p d; the ranges may overlap. @return @p d. */
void *memmove(void *d, const void *s, size_t n);
/**
 * @brief Compare @p n bytes.
 * @return 0 when equal, <0 or >0 by the first differing byte (unsigned).
 */
int memcmp(const void *a, const void *b, size_t n);
/** @brief Length of the NUL-terminated string @p s. @return Bytes before the NUL. */
size_t strlen(const char *s);
/** @brief Compare two NUL-terminated strings. @return 0 when equal, else the byte difference. */
int strcmp(const char *a, const char *b);
/** @brief Compare at most @p n bytes of two strings. @return As strcmp(). */
int strncmp(const char *a, const char *b, size_t n);

#endif /* CAPOS_KERN_STRING_H */
