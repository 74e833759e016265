/*
 * capobj.c - the per-type operations table of capability objects: references and invocation
 * entry (cap/capobj.h). This replaces the type switches that were in proc/process.c and
 * cap/invoke.c: a new capability type adds one row here.
 */
#include <cap/capobj.h>
#include <cap/invoke.h>
#include <cap/sharedbuf.h>
#include <lib/assert.h>
#include <mm/acct.h>
#include <mm/aspace.h>
#include <mm/memobj.h>
#include <proc/process.h>
#include <proc/thread.h>

static void process_obj_get(uintptr_t o)
{
	process_get((struct process *)o);
}

static void process_obj_put(uintptr_t o)
{
	process_put((struct process *)o);
}

/* A Thread capability holds its thread and the thread's process (process.h I5). */
static void thread_obj_get(uintptr_t o)
{
	struct thread *t = (struct thread *)o;

	thread_get(t);
	process_get(t->owner);
}

static void thread_obj_put(uintptr_t o)
{
	struct thread *t = (struct thread *)o;
	struct process *owner = t->owner;

	thread_put(t); /* while its process holds it (listed), this is not the last */
	process_put(owner);
}

static void vm_obj_get(uintptr_t o)
{
	aspace_get((struct aspace *)o);
}

static void vm_obj_put(uintptr_t o)
{
	aspace_put((struct aspace *)o);
}

static void ledger_obj_get(uintptr_t o)
{
	acct_get((struct acct *)o);
}

static void ledger_obj_put(uintptr_t o)
{
	acct_put((struct acct *)o);
}

static void memobj_obj_get(uintptr_t o)
{
	memobj_cap_get((struct memobj *)o);
}

static void memobj_obj_put(uintptr_t o)
{
	memobj_cap_put((struct memobj *)o);
}

static void sbuf_obj_get(uintptr_t o)
{
	sbuf_cap_get((struct sbuf_end *)o);
}

static void sbuf_obj_put(uintptr_t o)
{
	sbuf_cap_put((struct sbuf_end *)o);
}

static const struct cap_obj_ops cap_types[CAP_TYPE_COUNT] = {
	[CAP_TYPE_CONSOLE] = { "Console", NULL, NULL, invoke_console },
	[CAP_TYPE_PROCESS_SPAWNER] = { "ProcessSpawner", NULL, NULL, invoke_spawner },
	[CAP_TYPE_PROCESS] = { "Process", process_obj_get, process_obj_put, invoke_process },
	[CAP_TYPE_THREAD] = { "Thread", thread_obj_get, thread_obj_put, invoke_thread },
	[CAP_TYPE_VIRTUAL_MEMORY] = { "VirtualMemory", vm_obj_get, vm_obj_put, invoke_vm },
	[CAP_TYPE_FRAME_ALLOCATOR] = { "FrameAllocator", NULL, NULL, invoke_framealloc },
	[CAP_TYPE_MEMORY_OBJECT] = { "MemoryObject", memobj_obj_get, memobj_obj_put,
				     invoke_memobj },
	[CAP_TYPE_LEDGER] = { "Ledger", ledger_obj_get, ledger_obj_put, invoke_ledger },
	[CAP_TYPE_DIAG] = { "Diag", NULL, NULL, invoke_diag },
	/* One ParkSpace for the whole kernel: keys, not the capability, name what is waited on. */
	[CAP_TYPE_PARK_SPACE] = { "ParkSpace", NULL, NULL, invoke_park },
	[CAP_TYPE_SHARED_BUFFER] = { "SharedBuffer", sbuf_obj_get, sbuf_obj_put, invoke_sbuf },
	/* ParkSpace, SharedBuffer: no capability of these types is handed out yet. */
};

const struct cap_obj_ops *cap_obj_ops_of(uint32_t type)
{
	if (type == CAP_TYPE_NULL || type >= CAP_TYPE_COUNT || !cap_types[type].invoke)
		return NULL;
	return &cap_types[type];
}

void cap_obj_get(const struct cap *c)
{
	const struct cap_obj_ops *ops = cap_obj_ops_of(c->type);

	KASSERT(ops); /* a held capability always has a type that is handed out */
	if (ops->get)
		ops->get(c->obj);
}

void cap_obj_put(const struct cap *c)
{
	const struct cap_obj_ops *ops = cap_obj_ops_of(c->type);

	KASSERT(ops);
	if (ops->put)
		ops->put(c->obj);
}
