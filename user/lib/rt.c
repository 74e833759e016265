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

kerr_t vm_reserve(cap_handle_t vm, uint64_t len, uint64_t hint, uint64_t flags, uint64_t *base)
{
	struct cap_result r = cap_invoke(vm, CAP_VM_RESERVE, len, hint, flags, 0, 0);
	if (r.err == KERR_OK)
		*base = r.r0;
	return r.err;
}

kerr_t vm_commit(cap_handle_t vm, uint64_t addr, uint64_t len, uint64_t prot)
{
	return cap_invoke(vm, CAP_VM_COMMIT, addr, len, prot, 0, 0).err;
}

kerr_t vm_protect(cap_handle_t vm, uint64_t addr, uint64_t len, uint64_t prot)
{
	return cap_invoke(vm, CAP_VM_PROTECT, addr, len, prot, 0, 0).err;
}

kerr_t vm_decommit(cap_handle_t vm, uint64_t addr, uint64_t len)
{
	return cap_invoke(vm, CAP_VM_DECOMMIT, addr, len, 0, 0, 0).err;
}

kerr_t vm_unmap(cap_handle_t vm, uint64_t addr, uint64_t len)
{
	return cap_invoke(vm, CAP_VM_UNMAP, addr, len, 0, 0, 0).err;
}

kerr_t vm_eligibility(cap_handle_t vm, uint64_t addr, unsigned purpose, uint64_t *reason,
		      uint64_t *bits)
{
	struct cap_result r = cap_invoke(vm, CAP_VM_ELIGIBILITY, addr, purpose, 0, 0, 0);
	if (r.err == KERR_OK) {
		*reason = r.r0;
		*bits = r.r1;
	}
	return r.err;
}

kerr_t vm_query(cap_handle_t vm, uint64_t addr, uint64_t *state, uint64_t *prot, uint64_t *max)
{
	struct cap_result r = cap_invoke(vm, CAP_VM_QUERY, addr, 0, 0, 0, 0);
	if (r.err == KERR_OK) {
		*state = r.r0;
		*prot = r.r1;
		*max = r.r2;
	}
	return r.err;
}

kerr_t frame_allocate(cap_handle_t fa, uint64_t pages, cap_handle_t *obj)
{
	struct cap_result r = cap_invoke(fa, CAP_FRAMEALLOC_ALLOCATE, pages, 0, 0, 0, 0);
	if (r.err == KERR_OK)
		*obj = r.r0;
	return r.err;
}

kerr_t memobj_map(cap_handle_t obj, cap_handle_t vm, uint64_t addr, uint64_t off, uint64_t len,
		  uint64_t prot_flags, uint64_t *base)
{
	struct cap_result r = cap_invoke(obj, CAP_MEMOBJ_MAP, vm, addr, off, len, prot_flags);
	if (r.err == KERR_OK)
		*base = r.r0;
	return r.err;
}

kerr_t memobj_unmap(cap_handle_t obj, cap_handle_t vm, uint64_t addr, uint64_t len)
{
	return cap_invoke(obj, CAP_MEMOBJ_UNMAP, vm, addr, len, 0, 0).err;
}

kerr_t memobj_protect(cap_handle_t obj, cap_handle_t vm, uint64_t addr, uint64_t len,
		      uint64_t prot)
{
	return cap_invoke(obj, CAP_MEMOBJ_PROTECT, vm, addr, len, prot, 0).err;
}

kerr_t ledger_usage(cap_handle_t ledger, uint64_t kind, uint64_t *used, uint64_t *limit)
{
	struct cap_result r = cap_invoke(ledger, CAP_LEDGER_USAGE, kind, 0, 0, 0, 0);
	if (r.err == KERR_OK) {
		*used = r.r0;
		*limit = r.r1;
	}
	return r.err;
}

_Noreturn void rt_assert_fail(const char *expr, const char *file, int line)
{
	rt_printf("ASSERT FAILED: %s:%d: %s\n", file, line, expr);
	process_exit(RT_EXIT_ASSERT);
}

kerr_t park_wait(cap_handle_t park, const volatile uint32_t *addr, uint32_t expected)
{
	return cap_invoke(park, CAP_PARK_WAIT, (uint64_t)(uintptr_t)addr, expected, 0, 0, 0).err;
}

kerr_t park_wake(cap_handle_t park, const volatile uint32_t *addr, uint64_t count,
		 uint64_t *woken)
{
	struct cap_result r = cap_invoke(park, CAP_PARK_WAKE, (uint64_t)(uintptr_t)addr, count, 0,
					 0, 0);
	if (woken)
		*woken = r.r0;
	return r.err;
}

kerr_t vm_pin(cap_handle_t vm, uint64_t addr, uint64_t len)
{
	return cap_invoke(vm, CAP_VM_PIN, addr, len, 0, 0, 0).err;
}

kerr_t vm_unpin(cap_handle_t vm, uint64_t addr, uint64_t len)
{
	return cap_invoke(vm, CAP_VM_UNPIN, addr, len, 0, 0, 0).err;
}

kerr_t sbuf_create(cap_handle_t obj, uint64_t size, cap_handle_t *prod, cap_handle_t *cons)
{
	struct cap_result r = cap_invoke(obj, CAP_MEMOBJ_SHARED_BUFFER, size, 0, 0, 0, 0);
	if (r.err == KERR_OK) {
		*prod = r.r0;
		*cons = r.r1;
	}
	return r.err;
}

kerr_t sbuf_map(cap_handle_t sb, cap_handle_t vm, uint64_t addr)
{
	return cap_invoke(sb, CAP_SBUF_MAP, vm, addr, CAPOS_MAP_FIXED, 0, 0).err;
}

kerr_t sbuf_unmap(cap_handle_t sb, cap_handle_t vm, uint64_t addr)
{
	return cap_invoke(sb, CAP_SBUF_UNMAP, vm, addr, 0, 0, 0).err;
}

kerr_t sbuf_move(cap_handle_t sb, uint64_t n, bool produce)
{
	return cap_invoke(sb, produce ? CAP_SBUF_PRODUCE : CAP_SBUF_CONSUME, n, 0, 0, 0, 0).err;
}

kerr_t memobj_pin(cap_handle_t obj, uint64_t off, uint64_t len)
{
	return cap_invoke(obj, CAP_MEMOBJ_PIN, off, len, 0, 0, 0).err;
}

kerr_t memobj_unpin(cap_handle_t obj, uint64_t off, uint64_t len)
{
	return cap_invoke(obj, CAP_MEMOBJ_UNPIN, off, len, 0, 0, 0).err;
}
