/*
 * start.c - process and thread entry of the user runtime.
 *
 * _start receives rdi = start record (capos/abi.h, "Entry state") on a 16-byte aligned stack;
 * it calls rt_main, which checks the record, finds a Console, runs main and exits the process.
 * rt_thread_entry is the entry of threads started by thread_start(): rdi = function,
 * rsi = argument, rdx = own Thread handle; it runs the function and exits the thread.
 */
#include <caprt.h>

const struct capos_start_info *rt_start;
cap_handle_t rt_console = CAP_HANDLE_NONE;

_Noreturn void rt_main(const struct capos_start_info *si);
_Noreturn void rt_thread_main(rt_thread_fn fn, void *arg, cap_handle_t self);

/* Entry points: clear the frame pointer (end of backtraces) and call C with rsp = 8 mod 16. */
__asm__(".pushsection .text.entry, \"ax\", @progbits\n"
	".globl _start\n"
	".type _start, @function\n"
	"_start:\n"
	"	xorl %ebp, %ebp\n"
	"	call rt_main\n"
	"	ud2\n"
	".size _start, . - _start\n"
	".globl rt_thread_entry\n"
	".type rt_thread_entry, @function\n"
	"rt_thread_entry:\n"
	"	xorl %ebp, %ebp\n"
	"	call rt_thread_main\n"
	"	ud2\n"
	".size rt_thread_entry, . - rt_thread_entry\n"
	".popsection\n");

/* The first Console among the passed capabilities (type checked with CAP_INFO). */
static cap_handle_t find_console(const struct capos_start_info *si)
{
	for (uint32_t i = 0; i < si->ncaps && i < CAPOS_START_MAX_CAPS; i++) {
		uint32_t type, rights;
		if (cap_info(si->caps[i], &type, &rights) == KERR_OK && type == CAP_TYPE_CONSOLE &&
		    (rights & CAP_RIGHT_WRITE))
			return si->caps[i];
	}
	return CAP_HANDLE_NONE;
}

_Noreturn void rt_main(const struct capos_start_info *si)
{
	rt_start = si;
	/* Without a valid record there is no Process handle to exit with: stop on a fault. */
	if (si->magic != CAPOS_START_INFO_MAGIC || si->abi_version != CAPOS_ABI_VERSION)
		__builtin_trap();
	rt_console = find_console(si);
	process_exit((uint64_t)(int64_t)main(si));
}

_Noreturn void rt_thread_main(rt_thread_fn fn, void *arg, cap_handle_t self)
{
	uint64_t v = fn(arg, self);
	cap_invoke(self, CAP_THREAD_EXIT, v, 0, 0, 0, 0);
	/* THREAD_EXIT returns only if the handle was not ours: a runtime bug. */
	rt_assert_fail("CAP_THREAD_EXIT returned", __FILE__, __LINE__);
}
