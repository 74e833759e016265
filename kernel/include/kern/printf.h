/**
 * @file
 * @brief The kernel's formatted output: kprintf to the serial console, ksnprintf to a buffer.
 *
 * Conversions: %d %i %u %x %X %p %s %c %%, length modifiers l, ll, z; flags '-' and '0'; a
 * field width (digits or '*'). %p prints 0x and 16 hex digits. No floating point.
 */
#ifndef CAPOS_KERN_PRINTF_H
#define CAPOS_KERN_PRINTF_H

#include <stdarg.h>
#include <lib/types.h>

/**
 * @brief Format into @p buf (always NUL-terminated when @p size > 0).
 * @param buf Destination. @param size Its size in bytes. @param fmt Format. @param ap Arguments.
 * @return The length the full output would have (like C99 vsnprintf).
 */
int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap);

/**
 * @brief kvsnprintf() with variadic arguments.
 * @param buf Destination. @param size Its size in bytes. @param fmt Format, then arguments.
 * @return The length the full output would have.
 */
int ksnprintf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/**
 * @brief Print to the serial console. One call's output is never interleaved with another
 *        CPU's (it is formatted first, then written under the console lock).
 * @param fmt Format, then arguments.
 * @return Bytes written (output longer than 512 bytes is truncated).
 */
int kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif /* CAPOS_KERN_PRINTF_H */
