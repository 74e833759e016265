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

/**
 * @brief Fill memory.
 * @param d Destination. @param c Byte value. @param n Byte count.
 * @return @p d.
 */
void *memset(void *d, int c, size_t n);
/**
 * @brief Copy non-overlapping memory.
 * @param d Destination. @param s Source. @param n Byte count.
 * @return @p d.
 */
void *memcpy(void *d, const void *s, size_t n);
/**
 * @brief Copy memory; the ranges may overlap.
 * @param d Destination. @param s Source. @param n Byte count.
 * @return @p d.
 */
void *memmove(void *d, const void *s, size_t n);
/**
 * @brief Compare memory.
 * @param a First buffer. @param b Second buffer. @param n Byte count.
 * @return 0 when equal, <0 or >0 by the first differing byte (unsigned).
 */
int memcmp(const void *a, const void *b, size_t n);
/**
 * @brief Length of a NUL-terminated string.
 * @param s The string.
 * @return Bytes before the NUL.
 */
size_t strlen(const char *s);
/**
 * @brief Compare two NUL-terminated strings.
 * @param a First string. @param b Second string.
 * @return 0 when equal, else the difference of the first differing bytes.
 */
int strcmp(const char *a, const char *b);
/**
 * @brief Compare at most @p n bytes of two strings.
 * @param a First string. @param b Second string. @param n Most bytes compared.
 * @return As strcmp().
 */
int strncmp(const char *a, const char *b, size_t n);

#endif /* CAPOS_KERN_STRING_H */
