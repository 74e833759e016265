/*
 * init.c - boot into user space: `scenario=<name>` on the command line spawns the init program
 * with its start capabilities (Console, ProcessSpawner, FrameAllocator, Diag,
 * ParkSpace) and the name as
 * its argument; init's exit ends the run (code 0: success, anything else: failure).
 */
#include <cap/invoke.h>
#include <kern/panic.h>
#include <kern/printf.h>
#include <kern/sitecov.h>
#include <proc/init.h>
#include <proc/process.h>

static const struct cap init_caps[CAPOS_INIT_CAP_COUNT] = {
	[CAPOS_INIT_CAP_CONSOLE] = { CAP_TYPE_CONSOLE,
				     CAP_RIGHT_WRITE | CAP_RIGHT_COPY | CAP_RIGHT_TRANSFER,
				     (uintptr_t)&console_object },
	[CAPOS_INIT_CAP_SPAWNER] = { CAP_TYPE_PROCESS_SPAWNER,
				     CAP_RIGHT_SPAWN | CAP_RIGHT_COPY | CAP_RIGHT_TRANSFER,
				     (uintptr_t)&spawner_object },
	[CAPOS_INIT_CAP_FRAME_ALLOCATOR] = { CAP_TYPE_FRAME_ALLOCATOR,
					     CAP_RIGHT_READ | CAP_RIGHT_WRITE | CAP_RIGHT_ALLOCATE |
						     CAP_RIGHT_COPY | CAP_RIGHT_TRANSFER,
					     (uintptr_t)&framealloc_object },
	[CAPOS_INIT_CAP_DIAG] = { CAP_TYPE_DIAG, CAP_RIGHT_READ | CAP_RIGHT_COPY | CAP_RIGHT_TRANSFER,
				  (uintptr_t)&diag_object },
	[CAPOS_INIT_CAP_PARK_SPACE] = { CAP_TYPE_PARK_SPACE,
					CAP_RIGHT_WAIT | CAP_RIGHT_WRITE | CAP_RIGHT_COPY |
						CAP_RIGHT_TRANSFER,
					(uintptr_t)&park_object },
};

void init_run_scenario(const char *name)
{
	struct capos_exit_status s;
	struct process *p;
	kerr_t err;

	sitecov_begin("scenario", name); /* witness kernel only (kern/sitecov.h) */
	err = process_spawn("init", name, init_caps, CAPOS_INIT_CAP_COUNT, &p);
	if (err != KERR_OK) {
		kprintf("init: cannot spawn init: %s\n", kerr_name(err));
		qemu_exit(QEMU_EXIT_FAILURE);
	}
	process_wait(p, &s);
	kprintf("init: exited reason %u code %lu vector %u address 0x%lx\n", s.reason, s.code,
		s.vector, s.address);
	process_put(p);
	sitecov_end("scenario", name); /* after the last reference: teardown is part of it */
	qemu_exit(s.reason == CAPOS_EXIT_NORMAL && s.code == 0 ? QEMU_EXIT_SUCCESS
								: QEMU_EXIT_FAILURE);
}
