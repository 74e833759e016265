/*
 * fuzz.h - what the invocation fuzzer's workers (fuzz.c) and init (scenario fuzz*) share: the
 * statistics page layout and where it is mapped.
 */
#ifndef CAPOS_USER_FUZZ_H
#define CAPOS_USER_FUZZ_H

#include <caprt.h>

#define FUZZ_METHODS 40 /* the 39 methods of capos/abi.h, then "a random method number" */
#define FUZZ_ERRS 32    /* kerr_t values; the last bucket takes anything above */
#define FUZZ_STATS_VA 0x600000000000ull
#define FUZZ_STATS_PAGES 3u

_Static_assert(KERR_COUNT < FUZZ_ERRS, "fuzz: an error bucket per kerr_t");

/* calls[method][error]: invocations by method (index into the table below) and result. */
struct fuzz_stats {
	uint64_t workers_done;
	uint64_t calls[FUZZ_METHODS][FUZZ_ERRS];
};

_Static_assert(sizeof(struct fuzz_stats) <= FUZZ_STATS_PAGES * 4096, "fuzz: stats pages");

static const char *const fuzz_method_names[FUZZ_METHODS] = {
	"CAP_INFO", "CAP_COPY", "CAP_DROP", "CONSOLE_WRITE", "SPAWNER_SPAWN", "PROCESS_WAIT",
	"PROCESS_KILL", "PROCESS_EXIT", "PROCESS_THREAD_START", "PROCESS_STAT", "THREAD_EXIT",
	"THREAD_WAIT", "THREAD_CPU", "VM_RESERVE", "VM_COMMIT", "VM_PROTECT", "VM_DECOMMIT",
	"VM_UNMAP", "VM_QUERY", "FRAMEALLOC_ALLOCATE", "MEMOBJ_MAP", "MEMOBJ_UNMAP",
	"MEMOBJ_PROTECT", "MEMOBJ_INFO", "LEDGER_USAGE", "DIAG_READ", "VM_PIN", "VM_UNPIN",
	"MEMOBJ_SHARED_BUFFER", "MEMOBJ_PIN", "MEMOBJ_UNPIN", "SBUF_MAP", "SBUF_UNMAP",
	"SBUF_PRODUCE", "SBUF_CONSUME", "SBUF_INFO", "PARK_WAIT", "PARK_WAKE", "VM_ELIGIBILITY",
	"(random method)",
};

#endif
