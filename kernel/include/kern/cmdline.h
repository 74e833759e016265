/**
 * @file
 * @brief The kernel command line (multiboot cmdline, QEMU -append): `key=value` words.
 */
#ifndef CAPOS_KERN_CMDLINE_H
#define CAPOS_KERN_CMDLINE_H

#include <lib/types.h>

/**
 * @brief Copy the command line into kernel memory. Lines longer than 255 bytes are truncated
 *        with a message.
 * @param pa Physical address of the NUL-terminated line, 0 when there is none.
 */
void cmdline_init(paddr_t pa);

/** @brief The whole command line ("" when there was none). @return NUL-terminated string. */
const char *cmdline_get(void);

/**
 * @brief Find the value of `key=value` on the command line.
 * @param key Key without '='. @param buf Receives the value (NUL-terminated, truncated to fit).
 * @param size Size of @p buf (> 0).
 * @return true when the key is present (possibly with an empty value), false otherwise.
 */
bool cmdline_value(const char *key, char *buf, size_t size);

/**
 * @brief Shell-style match with `*` (any run) and `?` (one character).
 * @param pattern The glob. @param s The string.
 * @return true when the whole of @p s matches.
 */
bool glob_match(const char *pattern, const char *s);

#endif /* CAPOS_KERN_CMDLINE_H */
