/*
 * shootdown.pml - the capOS TLB shootdown protocol (kernel/mm/shootdown.c over
 * kernel/lib/tlbgen.c) with its stale observers: CPUs whose TLBs cache a translation and use
 * it until they take the shootdown IPI or switch to another root.
 *
 * Safety (assertions, checked in every reachable state):
 *   S1. No CPU reads or writes a frame through a TLB entry after that frame was freed (and
 *       possibly reused): the entry's frame epoch equals the frame's current epoch.
 *   S2. No CPU writes through a cached writable entry once a write-protect round completed.
 *
 * One page of one address space; NFRAME frames, reused by the allocator; CPU 0 is the mapper
 * (maps/commits, unmaps or decommits, write-protects and restores, MAXROUNDS shootdown rounds),
 * CPUs 1..NCPU-1 switch in and out of the address space, fill their TLB from the PTE, use it,
 * and serve IPIs. Compile with -DBROKEN for the defective variant that frees (and declares the
 * protection complete) without waiting for the acknowledgements, and with -DBROKEN_ORDER for
 * the one that reads the resident mask before clearing the PTE (a CPU switching in between
 * fills its TLB from the old PTE and gets no IPI), and with -DBROKEN_PROTECT for the one that
 * declares a write-protect complete without waiting: spin must find S1 (the first two) or S2
 * (the last) violated.
 */
#ifndef NCPU
#define NCPU 3
#endif
#ifndef MAXROUNDS
#define MAXROUNDS 3
#endif
#define NFRAME 2
#ifdef BROKEN
#define UNMAP_NOWAIT 1
#define PROTECT_NOWAIT 1
#else
#define UNMAP_NOWAIT 0
#ifdef BROKEN_PROTECT
#define PROTECT_NOWAIT 1
#else
#define PROTECT_NOWAIT 0
#endif
#endif
#define NONE 255

byte pte = NONE;          /* frame mapped at the page, or NONE */
bool pte_w = true;        /* the PTE allows writes */
byte epoch[NFRAME];       /* bumped when a frame is freed: older TLB entries are stale */
bool ffree[NFRAME];       /* frame on the free list */
bool resident[NCPU];      /* CPU has the root loaded (aspace->resident) */
byte tlb[NCPU];           /* cached frame, or NONE */
byte tlb_ep[NCPU];        /* epoch of the frame when the entry was filled */
bool tlb_w[NCPU];         /* cached entry allows writes */
byte gen;                 /* last generation issued (tlbgen_as.gen) */
byte ipi[NCPU];           /* highest generation sent to each CPU */
byte ack[NCPU];           /* highest generation each CPU acknowledged (tlbgen_as.ack) */
bool ro_final;            /* a write-protect round completed and was not undone */
byte rounds;

/* A CPU uses its cached translation (read, or write when the entry allows it). */
inline tlb_read(c)
{
	atomic { tlb[c] != NONE -> assert(epoch[tlb[c]] == tlb_ep[c]) }  /* S1 */
}

inline tlb_write(c)
{
	atomic { tlb[c] != NONE && tlb_w[c] ->
		assert(epoch[tlb[c]] == tlb_ep[c]);                    /* S1 */
		assert(!ro_final) }                                     /* S2 */
}

/* Page walk: only while resident and with the PTE present (atomic: one PTE read). */
inline tlb_fill(c)
{
	atomic { resident[c] && tlb[c] == NONE && pte != NONE ->
		tlb[c] = pte; tlb_ep[c] = epoch[pte]; tlb_w[c] = pte_w }
}

/*
 * tlb_shootdown + tlb_shootdown_wait: bump the generation and snapshot the resident mask
 * after the PTE store, flush locally when the caller is resident, one IPI per other resident
 * CPU, then wait for every acknowledgement of the snapshot.
 */
inline snapshot()
{
	atomic {
		gen++;
		mygen = gen;
		i = 0;
		do
		:: i < NCPU -> snap[i] = resident[i]; i++
		:: else -> break
		od;
		if
		:: snap[0] -> tlb[0] = NONE; ack[0] = mygen
		:: else -> skip
		fi;
		i = 0
	}
}

inline complete(nowait)
{
	skip;
	d_step {
		i = 1;
		do
		:: i < NCPU -> if :: snap[i] -> ipi[i] = mygen :: else -> skip fi; i++
		:: else -> break
		od;
		i = 0
	};
	if
	:: nowait -> skip                                       /* the broken variants */
	:: else ->
		i = 1;
		do
		:: i < NCPU -> if :: snap[i] -> (ack[i] >= mygen) :: else -> skip fi; i++
		:: else -> break
		od
	fi;
	skip;
	d_step {
		i = 0;
		do
		:: i < NCPU -> snap[i] = false; i++
		:: else -> break
		od;
		i = 0;
		mygen = 0;
		rounds++
	}
}

inline shootdown(nowait)
{
	snapshot();
	complete(nowait)
}

proctype mapper()
{
	byte f, mygen, i;
	bool snap[NCPU];

	do
	:: rounds < MAXROUNDS ->
		if
		:: atomic { !resident[0] -> resident[0] = true }        /* the mapper's thread switches in */
		:: atomic { resident[0] -> resident[0] = false; tlb[0] = NONE }
		:: tlb_fill(0)
		:: tlb_read(0)
		:: tlb_write(0)
		:: atomic { pte == NONE ->                             /* map / commit / recommit */
			if
			:: ffree[0] -> f = 0
			:: ffree[1] -> f = 1
			fi;
			ffree[f] = false; pte = f; pte_w = true; ro_final = false }
		:: pte != NONE ->                                       /* unmap or decommit */
#ifdef BROKEN_ORDER
			snapshot();                                     /* resident read too early */
			atomic { f = pte; pte = NONE };
			complete(UNMAP_NOWAIT);
#else
			atomic { f = pte; pte = NONE };
			shootdown(UNMAP_NOWAIT);
#endif
			atomic { epoch[f]++; ffree[f] = true; f = 0 }               /* tlb_defer_frame_free release */
		:: pte != NONE && pte_w ->                              /* protect: weaken */
			pte_w = false;
			shootdown(PROTECT_NOWAIT);
			ro_final = true
		:: atomic { pte != NONE && !pte_w -> pte_w = true; ro_final = false } /* restore: no flush */
		fi
	:: else -> break
	od
}

proctype cpu(byte c)
{
	do
	:: tlb_fill(c)
	:: tlb_read(c)
	:: tlb_write(c)
	:: atomic { ipi[c] > ack[c] ->                                 /* the IPI handler */
		if
		:: resident[c] -> tlb[c] = NONE
		:: else -> skip                                          /* CR3 reload dropped it */
		fi;
		ack[c] = ipi[c] }
	:: atomic { resident[c] -> resident[c] = false; tlb[c] = NONE } /* switch away */
	:: atomic { !resident[c] -> resident[c] = true }              /* switch in, empty TLB */
	od
}

init
{
	atomic {
		byte k = 0;
		do
		:: k < NFRAME -> ffree[k] = true; k++
		:: else -> break
		od;
		k = 0;
		do
		:: k < NCPU -> tlb[k] = NONE; k++
		:: else -> break
		od;
		k = 1;
		do
		:: k < NCPU -> run cpu(k); k++
		:: else -> break
		od;
		run mapper()
	}
}
