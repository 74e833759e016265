/*
 * sitecov.c - the witness kernel's hit record (kern/sitecov.h). The witness build compiles the
 * kernel with clang's -fsanitize-coverage=inline-bool-flag,pc-table,no-prune: every basic block
 * sets its own byte in the __sancov_bools section (no call), and the __sancov_pcs section holds,
 * in the same order, each block's address. sitecov_begin() clears the flags; sitecov_end() prints
 * the addresses of the blocks whose flag is set. This file itself is built without the
 * instrumentation, and compiles to nothing unless CAPOS_WITNESS is defined. Flags are plain
 * bytes set by any CPU: two CPUs running the same block write the same value.
 */
#include <arch/layout.h>
#include <kern/printf.h>
#include <kern/sitecov.h>

#ifdef CAPOS_WITNESS

#define SITECOV_PER_LINE 12

/* One flag per basic block, and its (address, flags) pair in the same order (pc-table). */
extern uint8_t __start___sancov_bools[], __stop___sancov_bools[];
extern const uintptr_t __start___sancov_pcs[], __stop___sancov_pcs[];

void __sanitizer_cov_bool_flag_init(uint8_t *start, uint8_t *stop);
void __sanitizer_cov_pcs_init(const uintptr_t *start, const uintptr_t *stop);

/* Called by the module constructors, which this kernel never runs: the sections are found by
 * their linker-defined bounds instead. */
void __sanitizer_cov_bool_flag_init(uint8_t *start, uint8_t *stop)
{
	(void)start;
	(void)stop;
}

void __sanitizer_cov_pcs_init(const uintptr_t *start, const uintptr_t *stop)
{
	(void)start;
	(void)stop;
}

void sitecov_begin(const char *kind, const char *name)
{
	(void)kind;
	(void)name;
	for (uint8_t *f = __start___sancov_bools; f < __stop___sancov_bools; f++)
		*(volatile uint8_t *)f = 0;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

void sitecov_end(const char *kind, const char *name)
{
	size_t n = (size_t)(__stop___sancov_bools - __start___sancov_bools);
	size_t npc = (size_t)(__stop___sancov_pcs - __start___sancov_pcs);
	char line[16 + SITECOV_PER_LINE * 9];
	unsigned hits = 0, on_line = 0;
	int len = 0;

	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	kprintf("sitecov: begin %s %s blocks=%lu\n", kind, name, (unsigned long)n);
	if (npc != 2 * n) {
		/* ci/qemu-evidence rejects a record without its end line. */
		kprintf("sitecov: error %lu flags but %lu pc-table words\n", (unsigned long)n,
			(unsigned long)npc);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		if (!((volatile uint8_t *)__start___sancov_bools)[i])
			continue;
		len += ksnprintf(line + len, sizeof(line) - (size_t)len, " %lx",
				 (unsigned long)(__start___sancov_pcs[2 * i] - KERNEL_VMA));
		hits++;
		if (++on_line == SITECOV_PER_LINE) {
			kprintf("sitecov: d%s\n", line);
			on_line = 0;
			len = 0;
		}
	}
	if (on_line)
		kprintf("sitecov: d%s\n", line);
	kprintf("sitecov: end %s %s hits=%u\n", kind, name, hits);
}

#endif /* CAPOS_WITNESS */
