/*
 * sitecov.c - the witness kernel's hit record (kern/sitecov.h): the freestanding callbacks of
 * clang's -fsanitize-coverage=trace-pc-guard and the per-test record printed over serial.
 * Compiled to nothing unless CAPOS_WITNESS is defined (the witness build only). The callbacks
 * carry no_sanitize("coverage") on their prototypes: they must not call themselves.
 *
 * Guards are identified by their index in the __sancov_guards section (the linker defines
 * __start_/__stop_ for it); the guard words themselves are not used. Each guard's call site
 * (the callback's return address) is stored on its first hit ever; the hit flags are cleared
 * by sitecov_begin(). Stores are plain bytes and words, written by any CPU: two CPUs hitting
 * the same guard write the same values.
 */
#include <arch/layout.h>
#include <kern/printf.h>
#include <kern/sitecov.h>

#ifdef CAPOS_WITNESS

#define SITECOV_MAX_GUARDS (1u << 17)
#define SITECOV_PER_LINE 12

extern uint32_t __start___sancov_guards[], __stop___sancov_guards[];

void __sanitizer_cov_trace_pc_guard(uint32_t *guard) __attribute__((no_sanitize("coverage")));
void __sanitizer_cov_trace_pc_guard_init(uint32_t *start, uint32_t *stop)
	__attribute__((no_sanitize("coverage")));

static volatile bool sitecov_recording;
static uint8_t sitecov_hit[SITECOV_MAX_GUARDS];
static uint32_t sitecov_pc[SITECOV_MAX_GUARDS]; /* call site - KERNEL_VMA; 0: never hit */

void __sanitizer_cov_trace_pc_guard(uint32_t *guard)
{
	size_t i = (size_t)(guard - __start___sancov_guards);

	if (!sitecov_recording || i >= SITECOV_MAX_GUARDS)
		return;
	if (!sitecov_pc[i])
		sitecov_pc[i] = (uint32_t)((uintptr_t)__builtin_return_address(0) - KERNEL_VMA);
	sitecov_hit[i] = 1;
}

/* Called by the module constructors, which this kernel never runs: guards are found by address. */
void __sanitizer_cov_trace_pc_guard_init(uint32_t *start, uint32_t *stop)
{
	(void)start;
	(void)stop;
}

void sitecov_begin(const char *kind, const char *name)
{
	size_t n = (size_t)(__stop___sancov_guards - __start___sancov_guards);

	sitecov_recording = false;
	for (size_t i = 0; i < n && i < SITECOV_MAX_GUARDS; i++)
		sitecov_hit[i] = 0;
	(void)kind;
	(void)name;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	sitecov_recording = true;
}

void sitecov_end(const char *kind, const char *name)
{
	size_t n = (size_t)(__stop___sancov_guards - __start___sancov_guards);
	char line[16 + SITECOV_PER_LINE * 9];
	unsigned hits = 0, on_line = 0;
	int len = 0;

	sitecov_recording = false;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	kprintf("sitecov: begin %s %s guards=%lu\n", kind, name, (unsigned long)n);
	if (n > SITECOV_MAX_GUARDS) {
		/* ci/qemu-evidence rejects a record without its end line. */
		kprintf("sitecov: error %lu guards, the record holds %u\n", (unsigned long)n,
			SITECOV_MAX_GUARDS);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		if (!sitecov_hit[i])
			continue;
		len += ksnprintf(line + len, sizeof(line) - (size_t)len, " %x", sitecov_pc[i]);
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
