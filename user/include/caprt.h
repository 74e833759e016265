/**
 * @file
 * @brief capOS user runtime: the invocation stub, typed wrappers for the capability methods,
 * console output, printf-lite, assertions that exit with a failure status, and memory helpers.
 *
 * Programs define `int main(const struct capos_start_info *si)`; the runtime's `_start` checks
 * the start record, finds a Console among the passed capabilities, calls main and exits the
 * process with main's return value (::CAP_PROCESS_EXIT). Everything follows capos/abi.h.
 */
#ifndef CAPOS_CAPRT_H
#define CAPOS_CAPRT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <capos/abi.h>
#include <capos/errors.h>

/** @brief Status and result registers of one invocation. */
struct cap_result {
	kerr_t err;  /**< rax: the typed status. */
	uint64_t r0; /**< rdi: result 0. */
	uint64_t r1; /**< rsi: result 1. */
	uint64_t r2; /**< rdx: result 2. */
};

/**
 * @brief The one invocation stub: `syscall` with the register convention of capos/abi.h.
 * @param h Handle (rdi). @param m Method (rax).
 * @param a0 rsi. @param a1 rdx. @param a2 r10. @param a3 r8. @param a4 r9.
 * @return Status and results. rcx and r11 are clobbered by the instruction.
 */
static inline struct cap_result cap_invoke(cap_handle_t h, capos_method_t m, uint64_t a0,
					   uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4)
{
	register uint64_t rax __asm__("rax") = m;
	register uint64_t rdi __asm__("rdi") = h;
	register uint64_t rsi __asm__("rsi") = a0;
	register uint64_t rdx __asm__("rdx") = a1;
	register uint64_t r10 __asm__("r10") = a2;
	register uint64_t r8 __asm__("r8") = a3;
	register uint64_t r9 __asm__("r9") = a4;
	__asm__ volatile("syscall"
			 : "+r"(rax), "+r"(rdi), "+r"(rsi), "+r"(rdx)
			 : "r"(r10), "r"(r8), "r"(r9)
			 : "rcx", "r11", "memory");
	struct cap_result r = { (kerr_t)rax, rdi, rsi, rdx };
	return r;
}

/** @brief Exit code of a process whose RT_ASSERT failed. */
#define RT_EXIT_ASSERT 250u

/** @brief The start record (set by _start before main). */
extern const struct capos_start_info *rt_start;
/** @brief A Console capability found among the start capabilities, or CAP_HANDLE_NONE. */
extern cap_handle_t rt_console;

/* -- generic methods -------------------------------------------------------------------------- */

/** @brief ::CAP_INFO. @param h Handle. @param type Out: type. @param rights Out: rights.
 *  @return The status (lookup errors). */
kerr_t cap_info(cap_handle_t h, uint32_t *type, uint32_t *rights);
/** @brief ::CAP_COPY. @param h Handle. @param rights Rights of the copy. @param out New handle.
 *  @return The status. */
kerr_t cap_copy(cap_handle_t h, uint32_t rights, cap_handle_t *out);
/** @brief ::CAP_DROP. @param h Handle. @return The status. */
kerr_t cap_drop(cap_handle_t h);

/* -- typed wrappers --------------------------------------------------------------------------- */

/** @brief ::CAP_CONSOLE_WRITE. @param con Console. @param buf Bytes. @param len Length.
 *  @return The status. */
kerr_t console_write(cap_handle_t con, const void *buf, size_t len);
/** @brief ::CAP_SPAWNER_SPAWN. @param spawner Spawner. @param req Request.
 *  @param proc Out: child's Process handle. @return The status. */
kerr_t process_spawn(cap_handle_t spawner, const struct capos_spawn_req *req, cap_handle_t *proc);
/** @brief ::CAP_PROCESS_WAIT. @param proc Process. @param flags 0 or ::CAPOS_WAIT_NOHANG.
 *  @param st Out: exit status. @return The status. */
kerr_t process_wait(cap_handle_t proc, uint64_t flags, struct capos_exit_status *st);
/** @brief ::CAP_PROCESS_KILL. @param proc Process. @return The status. */
kerr_t process_kill(cap_handle_t proc);
/** @brief ::CAP_PROCESS_EXIT on the caller's own process. @param code Exit code. */
_Noreturn void process_exit(uint64_t code);
/** @brief A thread function: gets its argument and its own Thread handle; returns its exit
 *  value. */
typedef uint64_t (*rt_thread_fn)(void *arg, cap_handle_t self);
/**
 * @brief Start a thread running fn(arg, self) on a caller-provided stack; when fn returns, the
 * thread exits (::CAP_THREAD_EXIT) with its return value.
 * @param fn Thread function. @param arg Its argument. @param stack_top 16-byte aligned top.
 * @param thread Out: the Thread handle. @return The status of ::CAP_PROCESS_THREAD_START.
 */
kerr_t thread_start(rt_thread_fn fn, void *arg, void *stack_top, cap_handle_t *thread);
/** @brief ::CAP_THREAD_WAIT. @param t Thread. @param value Out: its exit value.
 *  @return The status. */
kerr_t thread_wait(cap_handle_t t, uint64_t *value);
/** @brief ::CAP_THREAD_CPU on the caller's initial thread handle or any thread.
 *  @param t Thread. @param cpu Out: CPU index. @return The status. */
kerr_t thread_cpu(cap_handle_t t, uint64_t *cpu);
/** @brief ::CAP_DIAG_READ. @param diag Diag. @param counter Counter. @param value Out.
 *  @return The status. */
kerr_t diag_read(cap_handle_t diag, uint64_t counter, uint64_t *value);

/* -- memory (issue 4's VirtualMemory, FrameAllocator, MemoryObject, Ledger) ------------------ */

/** @brief ::CAP_VM_PIN. @param vm VirtualMemory. @param addr Start. @param len Bytes.
 *  @return The status. */
kerr_t vm_pin(cap_handle_t vm, uint64_t addr, uint64_t len);
/** @brief ::CAP_VM_UNPIN. @param vm VirtualMemory. @param addr Start. @param len Bytes.
 *  @return The status. */
kerr_t vm_unpin(cap_handle_t vm, uint64_t addr, uint64_t len);

/** @brief ::CAP_MEMOBJ_SHARED_BUFFER. @param obj MemoryObject. @param size Data bytes.
 *  @param prod Out: producer handle. @param cons Out: consumer handle. @return The status. */
kerr_t sbuf_create(cap_handle_t obj, uint64_t size, cap_handle_t *prod, cap_handle_t *cons);
/** @brief ::CAP_SBUF_MAP at exactly @p addr. @param sb SharedBuffer. @param vm VirtualMemory.
 *  @param addr Address. @return The status. */
kerr_t sbuf_map(cap_handle_t sb, cap_handle_t vm, uint64_t addr);
/** @brief ::CAP_SBUF_UNMAP. @param sb SharedBuffer. @param vm VirtualMemory.
 *  @param addr Address. @return The status. */
kerr_t sbuf_unmap(cap_handle_t sb, cap_handle_t vm, uint64_t addr);
/** @brief ::CAP_SBUF_PRODUCE or ::CAP_SBUF_CONSUME (@p produce). @param sb SharedBuffer.
 *  @param n Bytes. @param produce Which. @return The status. */
kerr_t sbuf_move(cap_handle_t sb, uint64_t n, bool produce);

/** @brief ::CAP_MEMOBJ_PIN. @param obj MemoryObject. @param off Byte offset. @param len Bytes.
 *  @return The status. */
kerr_t memobj_pin(cap_handle_t obj, uint64_t off, uint64_t len);
/** @brief ::CAP_MEMOBJ_UNPIN. @param obj MemoryObject. @param off Byte offset.
 *  @param len Bytes. @return The status. */
kerr_t memobj_unpin(cap_handle_t obj, uint64_t off, uint64_t len);

/* -- ParkSpace (Slice C) ------------------------------------------------------------------- */

/** @brief ::CAP_PARK_WAIT (no timeout). @param park ParkSpace. @param addr Word address.
 *  @param expected Value that keeps it waiting. @return The status (KERR_OK when woken). */
kerr_t park_wait(cap_handle_t park, const volatile uint32_t *addr, uint32_t expected);
/** @brief ::CAP_PARK_WAKE. @param park ParkSpace. @param addr Word address.
 *  @param count Most to wake. @param woken Out: threads woken (may be NULL).
 *  @return The status. */
kerr_t park_wake(cap_handle_t park, const volatile uint32_t *addr, uint64_t count,
		 uint64_t *woken);

/** @brief ::CAP_VM_RESERVE. @param vm VirtualMemory. @param len Bytes. @param hint Address or 0.
 *  @param flags ::capos_map_flag bits. @param base Out: base address. @return The status. */
kerr_t vm_reserve(cap_handle_t vm, uint64_t len, uint64_t hint, uint64_t flags, uint64_t *base);
/** @brief ::CAP_VM_COMMIT. @param vm VirtualMemory. @param addr Start. @param len Bytes.
 *  @param prot ::capos_prot. @return The status. */
kerr_t vm_commit(cap_handle_t vm, uint64_t addr, uint64_t len, uint64_t prot);
/** @brief ::CAP_VM_PROTECT. @param vm VirtualMemory. @param addr Start. @param len Bytes.
 *  @param prot ::capos_prot. @return The status. */
kerr_t vm_protect(cap_handle_t vm, uint64_t addr, uint64_t len, uint64_t prot);
/** @brief ::CAP_VM_DECOMMIT. @param vm VirtualMemory. @param addr Start. @param len Bytes.
 *  @return The status. */
kerr_t vm_decommit(cap_handle_t vm, uint64_t addr, uint64_t len);
/** @brief ::CAP_VM_UNMAP. @param vm VirtualMemory. @param addr Start. @param len Bytes.
 *  @return The status. */
kerr_t vm_unmap(cap_handle_t vm, uint64_t addr, uint64_t len);
/** @brief ::CAP_VM_QUERY. @param vm VirtualMemory. @param addr Page. @param state Out:
 *  ::capos_page_status. @param prot Out: current ::capos_prot. @param max Out: maximum ::capos_prot.
 *  @return The status. */
kerr_t vm_query(cap_handle_t vm, uint64_t addr, uint64_t *state, uint64_t *prot, uint64_t *max);
/** @brief ::CAP_VM_ELIGIBILITY. @param vm VirtualMemory. @param addr Page.
 *  @param purpose ::elig_purpose. @param reason Out: ::elig_reason. @param bits Out:
 *  ::elig_bit mask of its frame. @return The status. */
kerr_t vm_eligibility(cap_handle_t vm, uint64_t addr, unsigned purpose, uint64_t *reason,
		      uint64_t *bits);
/** @brief ::CAP_FRAMEALLOC_ALLOCATE. @param fa FrameAllocator. @param pages Size.
 *  @param obj Out: MemoryObject handle. @return The status. */
kerr_t frame_allocate(cap_handle_t fa, uint64_t pages, cap_handle_t *obj);
/** @brief ::CAP_MEMOBJ_MAP. @param obj MemoryObject. @param vm VirtualMemory. @param addr Hint
 *  or fixed address. @param off Object offset. @param len Bytes. @param prot_flags ::capos_prot |
 *  ::capos_map_flag. @param base Out: mapped address. @return The status. */
kerr_t memobj_map(cap_handle_t obj, cap_handle_t vm, uint64_t addr, uint64_t off, uint64_t len,
		  uint64_t prot_flags, uint64_t *base);
/** @brief ::CAP_MEMOBJ_UNMAP. @param obj MemoryObject. @param vm VirtualMemory.
 *  @param addr Start. @param len Bytes. @return The status. */
kerr_t memobj_unmap(cap_handle_t obj, cap_handle_t vm, uint64_t addr, uint64_t len);
/** @brief ::CAP_MEMOBJ_PROTECT. @param obj MemoryObject. @param vm VirtualMemory.
 *  @param addr Start. @param len Bytes. @param prot ::capos_prot. @return The status. */
kerr_t memobj_protect(cap_handle_t obj, cap_handle_t vm, uint64_t addr, uint64_t len,
		      uint64_t prot);
/** @brief ::CAP_LEDGER_USAGE. @param ledger Ledger. @param kind ::capos_ledger_kind.
 *  @param used Out: charged pages. @param limit Out: limit. @return The status. */
kerr_t ledger_usage(cap_handle_t ledger, uint64_t kind, uint64_t *used, uint64_t *limit);

/* -- output, assertions ----------------------------------------------------------------------- */

/** @brief Write a NUL-terminated string to rt_console (ignored if there is none).
 *  @param s The string. */
void rt_puts(const char *s);
/**
 * @brief Formatted output to rt_console. Conversions: %d %i %u %x %p %s %c %%, with an
 * optional '0' flag, width, and l / ll / z length modifiers. Output over 255 bytes is cut.
 * @param fmt Format. @return Bytes formatted.
 */
int rt_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/** @brief Formatted output into a buffer (conversions as rt_printf). @param buf Output.
 *  @param size Its size (0: nothing is written). @param fmt Format.
 *  @return Bytes written, excluding the NUL. */
int rt_snprintf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/** @brief vsnprintf-lite behind rt_printf. @param buf Output.
 *  @param size Its size (0: nothing is written). @param fmt Format. @param ap Arguments.
 *  @return Bytes written, excluding the NUL. */
int rt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
/** @brief Print the failed expression and exit with ::RT_EXIT_ASSERT.
 *  @param expr Text. @param file File. @param line Line. */
_Noreturn void rt_assert_fail(const char *expr, const char *file, int line);

/** @brief Assert in a user program: on failure print and exit with ::RT_EXIT_ASSERT. */
#define RT_ASSERT(e) ((e) ? (void)0 : rt_assert_fail(#e, __FILE__, __LINE__))

/** @brief Assert that an expression yields the kerr_t @p want; prints both names otherwise. */
#define RT_EXPECT_ERR(expr, want)                                                         \
	do {                                                                              \
		kerr_t got_ = (expr);                                                     \
		if (got_ != (want)) {                                                     \
			rt_printf("expected %s, got %s\n", kerr_name(want), kerr_name(got_)); \
			rt_assert_fail(#expr " == " #want, __FILE__, __LINE__);           \
		}                                                                         \
	} while (0)

/* -- memory and strings ----------------------------------------------------------------------- */

/** @brief Fill. @param d Dest. @param c Byte. @param n Count. @return d. */
void *memset(void *d, int c, size_t n);
/** @brief Copy (non-overlapping). @param d Dest. @param s Source. @param n Count. @return d. */
void *memcpy(void *d, const void *s, size_t n);
/** @brief Compare. @param a First. @param b Second. @param n Count. @return <0, 0, >0. */
int memcmp(const void *a, const void *b, size_t n);
/** @brief Length. @param s String. @return Bytes before the NUL. */
size_t strlen(const char *s);
/** @brief Compare. @param a First. @param b Second. @return <0, 0, >0. */
int strcmp(const char *a, const char *b);
/** @brief Parse a decimal or 0x-prefixed unsigned number. @param s Text. @param end Out: first
 *  unparsed character (may be NULL). @return The value. */
uint64_t rt_strtou64(const char *s, const char **end);

#ifndef CAPOS_HOST /* host tests of the runtime have their own main */
/** @brief The program's entry after _start: defined by every program. @param si Start record.
 *  @return The process's exit code. */
int main(const struct capos_start_info *si);
#endif

#endif /* CAPOS_CAPRT_H */
