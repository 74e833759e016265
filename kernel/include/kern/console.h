/**
 * @file
 * @brief The kernel console: the first serial port (COM1, 115200 8N1), polled output.
 */
#ifndef CAPOS_KERN_CONSOLE_H
#define CAPOS_KERN_CONSOLE_H

#include <lib/types.h>

/** @brief Initialise COM1. Called once on the boot CPU before any output. */
void console_init(void);

/**
 * @brief Write @p n bytes to the console ("\n" becomes "\r\n"), atomically with respect to
 *        other CPUs' console_write() calls.
 * @param s Bytes to write. @param n Count.
 */
void console_write(const char *s, size_t n);

/**
 * @brief Let the panicking CPU write even if another CPU holds the console lock forever.
 *        Called once by panic(); later writes from other CPUs may interleave.
 */
void console_break_lock(void);

#endif /* CAPOS_KERN_CONSOLE_H */
