/*
 * Runner case: GNU attributes that make Coccinelle 1.1.1 skip code silently (a second
 * trailing attribute in a file, an attribute in front of a definition). The runner blanks
 * them in its staged copy, so the parse check passes and the rule still sees the bug in the
 * annotated function, at the original line and column.
 */
#include <stdint.h>
typedef uint64_t paddr_t;
typedef uint64_t vaddr_t;
struct aspace;
int kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void panic(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
static uint8_t stacks[4][4096] __attribute__((aligned(16)));
paddr_t arch_mmu_unmap(struct aspace *as, vaddr_t va);
void frame_free(paddr_t pa);

__attribute__((annotate("capos:op:VirtualMemory.unmap"))) void annotated_unmap(struct aspace *as,
									       vaddr_t va)
{
	paddr_t pa = arch_mmu_unmap(as, va);

	stacks[0][0] = 1;
	frame_free(pa);
}
