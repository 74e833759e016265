/*
 * rt.c - typed wrappers over cap_invoke() for the capability methods of capos/abi.h, and the
 * runtime's assertion failure path.
 */
#include <caprt.h>

extern void rt_thread_entry(void);

kerr_t cap_info(cap_handle_t h, uint32_t *type, uint32_t *rights)
{
	struct cap_result r = cap_invoke(h, CAP_INFO, 0, 0, 0, 0, 0);
	if (r.err == KERR_OK) {
		*type = (uint32_t)r.r0;
		*rights = (uint32_t)r.r1;
	}
	return r.err;
}

kerr_t cap_copy(cap_handle_t h, uint32_t rights, cap_handle_t *out)
{
	struct cap_result r = cap_invoke(h, CAP_COPY, rights, 0, 0, 0, 0);
	if (r.err == KERR_OK)
		*out = r.r0;
	return r.err;
}

kerr_t cap_drop(cap_handle_t h)
{
	return cap_invoke(h, CAP_DROP, 0, 0, 0, 0, 0).err;
}

kerr_t console_write(cap_handle_t con, const void *buf, size_t len)
{
	return cap_invoke(con, CAP_CONSOLE_WRITE, (uint64_t)(uintptr_t)buf, len, 0, 0, 0).err;
}

kerr_t process_spawn(cap_handle_t spawner, const struct capos_spawn_req *req, cap_handle_t *proc)
{
	struct cap_result r = cap_invoke(spawner, CAP_SPAWNER_SPAWN, (uint64_t)(uintptr_t)req,
					 sizeof(*req), 0, 0, 0);
	if (r.err == KERR_OK)
		*proc = r.r0;
	return r.err;
}

kerr_t process_wait(cap_handle_t proc, uint64_t flags, struct capos_exit_status *st)
{
	struct cap_result r = cap_invoke(proc, CAP_PROCESS_WAIT, flags, 0, 0, 0, 0);
	if (r.err == KERR_OK)
		capos_exit_status_unpack(r.r0, r.r1, r.r2, st);
	return r.err;
}

kerr_t process_kill(cap_handle_t proc)
{
	return cap_invoke(proc, CAP_PROCESS_KILL, 0, 0, 0, 0, 0).err;
}

_Noreturn void process_exit(uint64_t code)
{
	cap_invoke(rt_start->process, CAP_PROCESS_EXIT, code, 0, 0, 0, 0);
	/* PROCESS_EXIT does not return on the process's own handle: stop on a fault. */
	for (;;)
		__builtin_trap();
}

kerr_t thread_start(rt_thread_fn fn, void *arg, void *stack_top, cap_handle_t *thread)
{
	struct cap_result r = cap_invoke(rt_start->process, CAP_PROCESS_THREAD_START,
					 (uint64_t)(uintptr_t)rt_thread_entry,
					 (uint64_t)(uintptr_t)stack_top, (uint64_t)(uintptr_t)fn,
					 (uint64_t)(uintptr_t)arg, 0);
	if (r.err == KERR_OK)
		*thread = r.r0;
	return r.err;
}

kerr_t thread_wait(cap_handle_t t, uint64_t *value)
{
	struct cap_result r = cap_invoke(t, CAP_THREAD_WAIT, 0, 0, 0, 0, 0);
	if (r.err == KERR_OK)
		*value = r.r0;
	return r.err;
}

kerr_t thread_cpu(cap_handle_t t, uint64_t *cpu)
{
	struct cap_result r = cap_invoke(t, CAP_THREAD_CPU, 0, 0, 0, 0, 0);
	if (r.err == KERR_OK)
		*cpu = r.r0;
	return r.err;
}

kerr_t diag_read(cap_handle_t diag, uint64_t counter, uint64_t *value)
{
	struct cap_result r = cap_invoke(diag, CAP_DIAG_READ, counter, 0, 0, 0, 0);
	if (r.err == KERR_OK)
		*value = r.r0;
	return r.err;
}

_Noreturn void rt_assert_fail(const char *expr, const char *file, int line)
{
	rt_printf("ASSERT FAILED: %s:%d: %s\n", file, line, expr);
	process_exit(RT_EXIT_ASSERT);
}
