/**
 * @file
 * @brief Attribute macros in the spelling Coccinelle parses (it skips raw `__attribute__`
 *        after a declarator).
 */
#ifndef CAPOS_KERN_COMPILER_H
#define CAPOS_KERN_COMPILER_H

/** @brief Align a variable or type to @p n bytes. */
#define __aligned(n) __attribute__((aligned(n)))

#endif /* CAPOS_KERN_COMPILER_H */
