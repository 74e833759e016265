/*
 * tools/cocci/capos.h - the kernel's macros as Coccinelle must see them (spatch --macro-file).
 *
 * Coccinelle does not expand the kernel's headers (the rules run with --no-includes); a macro
 * it does not know in front of a definition makes it skip the whole function without a word.
 * Every macro that decorates a declaration, or that expands to a function head, is declared
 * here with the expansion Coccinelle should parse. tools/cocci/run checks parse coverage with
 * this file and names any function that is still skipped: add its macro here.
 * __user is not here: Coccinelle's standard.h already drops it for parsing, and the
 * uaccess rule matches it with an `attribute name __user;` declaration.
 */

/* Attributes (kernel/include/lib/compiler.h style). */
#define __packed
#define __aligned(x)
#define __section(x)
#define __used
#define __unused
#define __maybe_unused
#define __noreturn
#define __always_inline
#define __noinline
#define __weak
#define __printf(a, b)
#define __must_check
#define __pure
#define __cold
#define __hot
#define __init
#define __nonstring
#define __fallthrough
#define __naked
#define __interrupt
#define __percpu
#define __iomem
#define __force
#define __kernel
#define __locks(l)
#define __requires(l)
#define __releases(l)
#define __acquires(l)
#define __capos_op(x)
#define __capos_transition(x)
#define __annotate(x)
