/*
 * cap_diag.c - the Diag capability: read-only kernel counters for the scenario programs.
 * The shootdown counters are mm/shootdown.c's, summed over every address space since boot.
 */
#include <arch/tlb.h>
#include <cap/invoke.h>
#include <kern/percpu.h>
#include <mm/frame.h>
#include <mm/kheap.h>
#include <mm/park.h>
#include <mm/shootdown.h>
#include <kern/debug_checks.h>
#include <proc/process.h>
#include <proc/thread.h>

const int diag_object;
const int framealloc_object;

static uint64_t diag_counter(uint64_t which)
{
	struct tlbgen_counters tc;

	tlb_shootdown_counters_global(&tc);
	switch (which) {
	case CAPOS_DIAG_FREE_FRAMES:
		return frame_free_count();
	case CAPOS_DIAG_TOTAL_FRAMES:
		return frame_total_count();
	case CAPOS_DIAG_HEAP_BYTES:
		return kheap_used();
	case CAPOS_DIAG_TLB_LOCAL_FLUSHES:
		return tlb_local_flush_count();
	case CAPOS_DIAG_CPUS:
		return cpus_online();
	case CAPOS_DIAG_PARK_WAITERS:
		return park_waiting_count();
	case CAPOS_DIAG_LIVE_PROCESSES:
		return process_live_count();
	case CAPOS_DIAG_LIVE_THREADS:
		return thread_live_count();
	case CAPOS_DIAG_DEBUG_CHECKS:
		return debug_checks_count();
	case CAPOS_DIAG_TLB_IPIS:
		return tc.ipis_sent;
	case CAPOS_DIAG_TLB_ROUNDS:
		return tc.rounds;
	case CAPOS_DIAG_FRAMES_DEFERRED:
		return tc.frames_deferred;
	default: /* CAPOS_DIAG_FRAMES_FREED_EARLY (decode bounded which) */
		return tc.frames_freed_early;
	}
}

kerr_t invoke_diag(struct invocation *inv)
{
	if (inv->method != CAP_DIAG_READ)
		return KERR_UNKNOWN_METHOD;
	if (inv->a[0] >= CAPOS_DIAG_COUNT)
		return KERR_INVALID_ARG;
	inv->r[0] = diag_counter(inv->a[0]);
	return KERR_OK;
}
