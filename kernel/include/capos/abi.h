/**
 * @file
 * @brief The capOS user ABI: invocation registers, handles, capability types, methods, rights,
 * memory protections, the process start record and the exit-status record.
 *
 * Shared unchanged by the kernel and by user programs (user/). Every value here is ABI: append,
 * never renumber. Only freestanding headers are used.
 *
 * @section abi_invoke The one invocation: the syscall instruction
 *
 * Every capability method is invoked by one `syscall` instruction:
 *
 * | register | in                                   | out                                      |
 * |----------|--------------------------------------|------------------------------------------|
 * | rax      | method number (::capos_method_t)     | status (::kerr_t; KERR_OK = 0 on success)|
 * | rdi      | handle (::cap_handle_t)              | result 0                                 |
 * | rsi      | argument 0                           | result 1                                 |
 * | rdx      | argument 1                           | result 2                                 |
 * | r10      | argument 2                           | preserved                                |
 * | r8       | argument 3                           | preserved                                |
 * | r9       | argument 4                           | preserved                                |
 * | rcx, r11 | (used by the instruction)            | clobbered (user rip and rflags)          |
 *
 * All other general-purpose registers (rbx, rbp, rsp, r12-r15) and rflags' user-visible bits are
 * preserved. r10 carries argument 2 because `syscall` overwrites rcx. Unused arguments should be
 * zero; the kernel ignores argument registers a method does not define. On any status other than
 * KERR_OK the kernel writes 0 into results 0..2 (no kernel value leaks through a failed call)
 * and the call has changed nothing observable (decode/perform split); on KERR_OK, results a
 * method does not define are unspecified. Every invocation is decoded in one order (handle,
 * method, type, rights, then the method's arguments: see ::cap_generic_method). There is exactly
 * one system-call form: process exit, thread start and capability copy are all methods.
 *
 * @section abi_handle Handles
 *
 * A handle is 64 bits: bits 0..31 are the slot index in the caller's capability table, bits
 * 32..63 the slot's generation (CAP_HANDLE_SLOT(), CAP_HANDLE_GEN(), CAP_HANDLE_MAKE()).
 * Generations start at 1 and grow by one each time a slot is reused, so 0 (::CAP_HANDLE_NONE)
 * is never a valid handle; a slot whose generation reaches 2^32 - 1 is retired when its
 * capability is dropped, never reused, so no handle ever becomes valid again. A handle whose slot is empty or out of range gets KERR_INVALID_HANDLE; one
 * whose slot now holds a different capability (generation mismatch) gets KERR_STALE_HANDLE.
 *
 * @section abi_layout User address-space layout
 *
 * User addresses are in [::CAPOS_USER_VA_MIN, ::CAPOS_USER_VA_END). The page at 0 is never
 * mapped. ELF images load inside [::CAPOS_USER_IMAGE_MIN, ::CAPOS_USER_IMAGE_END); the initial
 * thread's stack is the ::CAPOS_USER_STACK_PAGES pages below ::CAPOS_USER_STACK_TOP; the start
 * record (::capos_start_info) is one read-only, non-executable page at
 * ::CAPOS_USER_START_INFO_VA. Each of these is a reservation of the process's VirtualMemory, so
 * a fixed reserve over them fails with KERR_CONFLICT. Non-fixed reservations are placed at or
 * above ::CAPOS_USER_MMAP_BASE.
 *
 * @section abi_entry Entry state
 *
 * The initial thread starts at the ELF entry with rsp = ::CAPOS_USER_STACK_TOP (16-byte aligned),
 * rdi = ::CAPOS_USER_START_INFO_VA, every other general-purpose register 0 and rflags = 0x202
 * (IF). A thread started with ::CAP_PROCESS_THREAD_START begins at its entry with rsp = the
 * given stack top, rdi = argument 0, rsi = argument 1, rdx = its own Thread handle, every other
 * general-purpose register 0 and rflags = 0x202. Returning from an entry function is undefined:
 * the runtime's entry code ends the thread or process with a method call.
 */
#ifndef CAPOS_ABI_H
#define CAPOS_ABI_H

#include <stdint.h>

#include <capos/elig.h>
#include <capos/errors.h>

/** @brief Version of this ABI, reported in ::capos_start_info.abi_version. */
#define CAPOS_ABI_VERSION 1u

/* ---------------------------------------------------------------------------------------------
 * Handles
 * ------------------------------------------------------------------------------------------- */

/** @brief A capability handle: slot index (bits 0..31) and generation (bits 32..63). */
typedef uint64_t cap_handle_t;

/** @brief The handle that names nothing (generation 0 is never valid). */
#define CAP_HANDLE_NONE ((cap_handle_t)0)
/** @brief Slot index of handle @p h. */
#define CAP_HANDLE_SLOT(h) ((uint32_t)((uint64_t)(h) & 0xffffffffu))
/** @brief Generation of handle @p h. */
#define CAP_HANDLE_GEN(h) ((uint32_t)((uint64_t)(h) >> 32))
/** @brief The handle naming slot @p slot at generation @p gen. */
#define CAP_HANDLE_MAKE(slot, gen) ((((cap_handle_t)(uint32_t)(gen)) << 32) | (uint32_t)(slot))

/* ---------------------------------------------------------------------------------------------
 * Capability types
 * ------------------------------------------------------------------------------------------- */

/** @brief The type of the object a capability names. */
enum cap_type {
	CAP_TYPE_NULL = 0,        /**< Empty slot; never the type of a held capability. */
	CAP_TYPE_CONSOLE,         /**< Serial console output (::CAP_CONSOLE_WRITE). */
	CAP_TYPE_PROCESS_SPAWNER, /**< Creates processes from embedded images (::CAP_SPAWNER_SPAWN). */
	CAP_TYPE_PROCESS,         /**< A process: wait, kill, exit, start threads, statistics. */
	CAP_TYPE_THREAD,          /**< A thread of a process: exit, wait, CPU. */
	CAP_TYPE_VIRTUAL_MEMORY,  /**< An address space: reserve, commit, protect, decommit, unmap. */
	CAP_TYPE_FRAME_ALLOCATOR, /**< Creates MemoryObjects (::CAP_FRAMEALLOC_ALLOCATE). */
	CAP_TYPE_MEMORY_OBJECT,   /**< Physical backing that can be mapped into a VirtualMemory. */
	CAP_TYPE_PARK_SPACE,      /**< Futex-like wait/wake on 32-bit words (::CAP_PARK_WAIT). */
	CAP_TYPE_SHARED_BUFFER,   /**< One role of a service-owned ring (::CAP_SBUF_MAP). */
	CAP_TYPE_LEDGER,          /**< A process's resource ledger: read usage and limits. */
	CAP_TYPE_DIAG,            /**< Read-only kernel counters for tests (::CAP_DIAG_READ). */
	CAP_TYPE_COUNT            /**< Number of types; not a valid type. */
};

/* ---------------------------------------------------------------------------------------------
 * Rights
 * ------------------------------------------------------------------------------------------- */

/**
 * @brief Rights bits of a capability (a 32-bit mask). A method names the rights it needs; a
 * capability lacking one gets KERR_NO_RIGHTS. Copies and transfers carry equal or fewer rights.
 */
enum cap_right {
	CAP_RIGHT_READ = 1u << 0,     /**< Read: bounds CAPOS_PROT_READ; read counters and usage. */
	CAP_RIGHT_WRITE = 1u << 1,    /**< Write: bounds CAPOS_PROT_WRITE; console output. */
	CAP_RIGHT_EXEC = 1u << 2,     /**< Execute: bounds CAPOS_PROT_EXEC. */
	CAP_RIGHT_COPY = 1u << 3,     /**< May be duplicated in the same table (::CAP_COPY). */
	CAP_RIGHT_TRANSFER = 1u << 4, /**< May be given to a spawned child (::capos_spawn_cap). */
	CAP_RIGHT_MAP = 1u << 5,      /**< MemoryObject: may be mapped, unmapped and protected. */
	CAP_RIGHT_MODIFY = 1u << 6,   /**< VirtualMemory: may reserve/commit/protect/decommit/unmap. */
	CAP_RIGHT_SPAWN = 1u << 7,    /**< Spawner: spawn; Process: start threads. */
	CAP_RIGHT_WAIT = 1u << 8,     /**< Process/Thread: wait for exit; read statistics. */
	CAP_RIGHT_KILL = 1u << 9,     /**< Process: kill. */
	CAP_RIGHT_EXIT = 1u << 10,    /**< Process/Thread: exit it (held only by the object itself). */
	CAP_RIGHT_ALLOCATE = 1u << 11 /**< FrameAllocator: allocate MemoryObjects. */
};

/** @brief Every defined right; a rights mask with other bits set is KERR_INVALID_ARG. */
#define CAP_RIGHTS_ALL ((uint32_t)((1u << 12) - 1))

/* ---------------------------------------------------------------------------------------------
 * Methods
 * ------------------------------------------------------------------------------------------- */

/** @brief A method number (rax of the invocation). */
typedef uint64_t capos_method_t;

/**
 * @brief Methods valid on a capability of any type (numbers below 0x100).
 *
 * Method numbers are unique across all types: a type-specific method of type T is
 * CAP_METHOD_BASE(T) + k, so the kernel can tell which type a method belongs to. Decode order
 * for every invocation: the handle (KERR_INVALID_HANDLE, KERR_STALE_HANDLE); the method is
 * defined for some type (else KERR_UNKNOWN_METHOD); it belongs to the capability's type (else
 * KERR_WRONG_TYPE); the capability holds the method's rights (else KERR_NO_RIGHTS); then the
 * method's own arguments.
 */
enum cap_generic_method {
	/** Type and rights of the capability. Needs no right. Out: r0 = ::cap_type, r1 = rights. */
	CAP_INFO = 0,
	/**
	 * Duplicate into a new slot of the same table. Needs ::CAP_RIGHT_COPY.
	 * In: a0 = rights of the copy (must be a subset: more rights -> KERR_NO_RIGHTS; undefined
	 * bits -> KERR_INVALID_ARG). Out: r0 = new handle. Table full -> KERR_NO_SLOTS.
	 */
	CAP_COPY = 1,
	/** Drop the capability; its slot becomes free. Needs no right. */
	CAP_DROP = 2,
};

/** @brief First method number of capability type @p type (a ::cap_type). */
#define CAP_METHOD_BASE(type) ((uint32_t)(type) << 8)
/** @brief The ::cap_type a type-specific method number @p m belongs to (0 for generic ones). */
#define CAP_METHOD_TYPE(m) ((uint64_t)(m) >> 8)

/** @brief Console methods (::CAP_TYPE_CONSOLE). */
enum cap_console_method {
	/**
	 * Write bytes to the serial log. Needs ::CAP_RIGHT_WRITE. In: a0 = user buffer, a1 = length
	 * (at most ::CAPOS_CONSOLE_WRITE_MAX, else KERR_INVALID_ARG). A buffer that is not mapped
	 * readable user memory -> KERR_BAD_ADDRESS. Out: r0 = bytes written (= length).
	 */
	CAP_CONSOLE_WRITE = CAP_METHOD_BASE(CAP_TYPE_CONSOLE),
};

/** @brief Largest length accepted by one ::CAP_CONSOLE_WRITE. */
#define CAPOS_CONSOLE_WRITE_MAX 4096u

/** @brief ProcessSpawner methods (::CAP_TYPE_PROCESS_SPAWNER). */
enum cap_spawner_method {
	/**
	 * Spawn a process from an embedded image. Needs ::CAP_RIGHT_SPAWN.
	 * In: a0 = user address of a ::capos_spawn_req, a1 = sizeof(struct capos_spawn_req).
	 * Decoded in this order, each failure changing nothing:
	 *  1. a1 is not the size -> KERR_INVALID_ARG; the request is not readable user memory ->
	 *     KERR_BAD_ADDRESS;
	 *  2. image_len not in 1..::CAPOS_IMAGE_NAME_MAX, arg_len >= ::CAPOS_START_ARG_MAX,
	 *     ncaps > ::CAPOS_START_MAX_CAPS -> KERR_INVALID_ARG (checked before reading them);
	 *  3. name, argument or caps array not readable -> KERR_BAD_ADDRESS;
	 *  4. no embedded image of that name -> KERR_INVALID_ARG;
	 *  5. undefined flags bits in any cap -> KERR_INVALID_ARG; then each cap in order (as
	 *     captable_transfer() decodes it): lookup errors (KERR_INVALID_HANDLE,
	 *     KERR_STALE_HANDLE); no ::CAP_RIGHT_TRANSFER -> KERR_NO_RIGHTS; undefined rights
	 *     bits -> KERR_INVALID_ARG; more rights than held -> KERR_NO_RIGHTS; a slot already
	 *     named -> KERR_INVALID_ARG;
	 *  6. limits above what the parent can donate -> the matching KERR_QUOTA_*;
	 *  7. no memory -> KERR_NO_MEMORY; no slot for the result -> KERR_PUBLISH_FAILED (child
	 *     torn down, donations returned).
	 * Out: r0 = handle of the child's Process capability with rights WAIT | KILL | COPY |
	 * TRANSFER.
	 */
	CAP_SPAWNER_SPAWN = CAP_METHOD_BASE(CAP_TYPE_PROCESS_SPAWNER),
};

/** @brief Process methods (::CAP_TYPE_PROCESS). */
enum cap_process_method {
	/**
	 * Wait until the process has exited and read its status. Needs ::CAP_RIGHT_WAIT.
	 * In: a0 = flags (0 or ::CAPOS_WAIT_NOHANG; others -> KERR_INVALID_ARG). Still running with
	 * NOHANG -> KERR_WOULD_BLOCK. Out: r0, r1, r2 = the ::capos_exit_status record packed as
	 * described there (capos_exit_status_unpack()). A process waits on itself -> KERR_INVALID_ARG.
	 */
	CAP_PROCESS_WAIT = CAP_METHOD_BASE(CAP_TYPE_PROCESS),
	/** Kill the process (status ::CAPOS_EXIT_KILLED); killing an exited process is KERR_OK.
	 *  Needs ::CAP_RIGHT_KILL. */
	CAP_PROCESS_KILL,
	/** End the caller's own process with status ::CAPOS_EXIT_NORMAL and code a0. Needs
	 *  ::CAP_RIGHT_EXIT (only the process's own capability has it). Does not return. */
	CAP_PROCESS_EXIT,
	/**
	 * Start a thread in this process. Needs ::CAP_RIGHT_SPAWN. In: a0 = entry (user address),
	 * a1 = stack top (16-byte aligned user address), a2 = argument 0 (rdi), a3 = argument 1 (rsi).
	 * Kernel addresses or misaligned stack -> KERR_INVALID_ARG; thread limit (16 threads
	 * that have not exited; an exited thread's slot comes back at once) -> KERR_NO_SLOTS;
	 * no memory -> KERR_NO_MEMORY; no slot for the result -> KERR_PUBLISH_FAILED.
	 * Out: r0 = Thread handle (rights WAIT | COPY | TRANSFER | EXIT), also passed to the thread
	 * in rdx.
	 */
	CAP_PROCESS_THREAD_START,
	/** Statistics. Needs ::CAP_RIGHT_WAIT. Out: r0 = used capability slots, r1 = capability
	 *  table capacity, r2 = live threads. */
	CAP_PROCESS_STAT,
};

/** @brief ::CAP_PROCESS_WAIT flag: return KERR_WOULD_BLOCK instead of blocking. */
#define CAPOS_WAIT_NOHANG 1u

/** @brief Thread methods (::CAP_TYPE_THREAD). */
enum cap_thread_method {
	/** End the calling thread with value a0. Needs ::CAP_RIGHT_EXIT; the handle must name the
	 *  calling thread (else KERR_INVALID_ARG). The process ends, with status NORMAL and this
	 *  value as its code, when its last thread exits. Does not return. */
	CAP_THREAD_EXIT = CAP_METHOD_BASE(CAP_TYPE_THREAD),
	/** Wait for the thread to exit. Needs ::CAP_RIGHT_WAIT. In: a0 = 0 or ::CAPOS_WAIT_NOHANG.
	 *  Waiting on oneself -> KERR_INVALID_ARG. Out: r0 = its exit value. */
	CAP_THREAD_WAIT,
	/** CPU the thread runs on now (for the caller: the current CPU) or ran on last. Needs
	 *  ::CAP_RIGHT_WAIT. Out: r0 = CPU index (0-based). */
	CAP_THREAD_CPU,
};

/** @brief VirtualMemory methods (::CAP_TYPE_VIRTUAL_MEMORY). Ranges are page-aligned. */
enum cap_vm_method {
	/**
	 * Reserve a range of address space. Needs ::CAP_RIGHT_MODIFY. In: a0 = length (bytes,
	 * page multiple, > 0), a1 = hint address (0 = anywhere; page-aligned), a2 = flags
	 * (::CAPOS_MAP_FIXED). With ::CAPOS_MAP_FIXED the range is exactly [hint, hint + length) and
	 * any overlap with an existing reservation or mapping over the whole range ->
	 * KERR_CONFLICT (never replaces). The capability's READ/WRITE/EXEC rights at this moment
	 * are recorded as the range's maximum protection and bound every later commit/protect.
	 * Bad alignment/length/flags -> KERR_INVALID_ARG; ledger -> KERR_QUOTA_VIRTUAL;
	 * no room -> KERR_NO_MEMORY. Out: r0 = base address.
	 */
	CAP_VM_RESERVE = CAP_METHOD_BASE(CAP_TYPE_VIRTUAL_MEMORY),
	/** Commit [a0, a0 + a1) (inside one anonymous reservation) with protection a2
	 *  (::capos_prot, not CAPOS_PROT_NONE, optionally | ::CAPOS_COMMIT_LAZY); pages not yet
	 *  committed get zero-filled frames, committed ones are left as they are (an eager commit
	 *  fills their frames now if a lazy commit left them untouched). Without
	 *  ::CAPOS_COMMIT_LAZY frames are allocated here, so a later access never needs memory;
	 *  with it see ::CAPOS_COMMIT_LAZY. Errors: KERR_INVALID_ARG (also CAPOS_PROT_NONE, W|X
	 *  or an unknown flag), KERR_NOT_FOUND (not inside one reservation), KERR_CONFLICT
	 *  (an object mapping), KERR_NO_RIGHTS (prot above the range's maximum),
	 *  KERR_QUOTA_COMMIT, KERR_QUOTA_PAGETABLE, KERR_NO_MEMORY (global frame pressure). */
	CAP_VM_COMMIT,
	/** Change protection of committed pages in [a0, a0 + a1) (inside one reservation) to a2
	 *  (CAPOS_PROT_NONE allowed: the frames and data stay and any user access faults;
	 *  restoring keeps the data). Errors: KERR_INVALID_ARG, KERR_NOT_FOUND (a page is not
	 *  committed, or not inside one reservation), KERR_NO_RIGHTS, KERR_NO_MEMORY. */
	CAP_VM_PROTECT,
	/** Decommit [a0, a0 + a1) (inside one anonymous reservation): frames are freed after TLB
	 *  shootdown; the range stays reserved and a later commit reads zeros. Errors:
	 *  KERR_INVALID_ARG, KERR_NOT_FOUND, KERR_CONFLICT (an object mapping), KERR_PINNED. */
	CAP_VM_DECOMMIT,
	/** Release the reservation [a0, a0 + a1) (splitting partially covered ones; the range
	 *  may span several anonymous reservations). Errors: KERR_INVALID_ARG, KERR_NOT_FOUND (a
	 *  page is not reserved), KERR_CONFLICT (a page is mapped from a MemoryObject: unmap it
	 *  with ::CAP_MEMOBJ_UNMAP), KERR_PINNED, KERR_NO_MEMORY (a middle split). */
	CAP_VM_UNMAP,
	/** Query the page at a0. Needs ::CAP_RIGHT_READ. Out: r0 = ::capos_page_status, r1 = current
	 *  ::capos_prot, r2 = maximum ::capos_prot of its range. */
	CAP_VM_QUERY,
	/**
	 * Pin the committed pages of [a0, a0 + a1) (a mapping pin): until it is released, an
	 * unmap or decommit of any of its pages (::CAP_VM_UNMAP, ::CAP_VM_DECOMMIT,
	 * ::CAP_MEMOBJ_UNMAP) fails with KERR_PINNED and changes nothing. Needs
	 * ::CAP_RIGHT_MODIFY. Charged to the caller's ::CAPOS_LEDGER_PIN, one unit per page.
	 * Released exactly once: by ::CAP_VM_UNPIN of the same range; when the MemoryObject a
	 * pinned page maps loses its last capability (revocation: the mapping is torn down
	 * anyway); or when the address space is torn down (its process exited and nothing else
	 * holds it). Errors: KERR_INVALID_ARG (alignment, empty, outside user space);
	 * KERR_NOT_FOUND (a page is not committed, or lazily committed and never touched);
	 * KERR_QUOTA_PIN; KERR_NO_SLOTS (::CAPOS_PIN_MAX pins already held in this space).
	 */
	CAP_VM_PIN,
	/** Release the mapping pin of exactly [a0, a0 + a1) (::CAP_VM_PIN); its charge goes back
	 *  to the ledger that paid it. Needs ::CAP_RIGHT_MODIFY. No such pin (never taken, already
	 *  released, or revoked) -> KERR_NOT_FOUND. */
	CAP_VM_UNPIN,
	/**
	 * Page eligibility of the page at a0 (any address inside it): may its frame be swapped
	 * out (a1 = ::ELIG_FOR_SWAP) or handed to a device (a1 = ::ELIG_FOR_DMA)? Needs
	 * ::CAP_RIGHT_READ. Changes nothing. capOS has neither swap nor DMA: this reports the
	 * preconditions (capos/elig.h, docs/architecture/page-eligibility.md). Errors:
	 * KERR_INVALID_ARG (a1 is not an ::elig_purpose, or a0 is outside user space);
	 * KERR_NOT_FOUND (no frame behind a0: not reserved, not committed, or lazily committed
	 * and never touched). Out: r0 = ::elig_reason (::ELIG_OK or the first refusal),
	 * r1 = the frame's ::elig_bit mask.
	 */
	CAP_VM_ELIGIBILITY,
};

/** @brief Most pins (mapping and object pins together) an address space holds at once. */
#define CAPOS_PIN_MAX 16u

/** @brief What ::CAP_VM_QUERY reports about a page (a query result, not a state machine). */
enum capos_page_status {
	CAPOS_PAGE_FREE = 0,      /**< Not reserved. */
	CAPOS_PAGE_RESERVED,      /**< Reserved, not committed. */
	CAPOS_PAGE_COMMITTED,     /**< Anonymous, committed (protection may be CAPOS_PROT_NONE). */
	CAPOS_PAGE_OBJECT_MAPPED, /**< Mapped from a MemoryObject. */
};

/** @brief FrameAllocator methods (::CAP_TYPE_FRAME_ALLOCATOR). */
enum cap_framealloc_method {
	/**
	 * Allocate a MemoryObject of a0 pages (> 0) and publish its capability into the caller's
	 * table. Needs ::CAP_RIGHT_ALLOCATE. Errors: KERR_INVALID_ARG, KERR_QUOTA_OBJECT,
	 * KERR_NO_MEMORY, KERR_PUBLISH_FAILED (table full: the object is destroyed and its ledger
	 * charge released). Out: r0 = MemoryObject handle (rights READ | WRITE | MAP | COPY |
	 * TRANSFER, bounded by the allocator's READ/WRITE/EXEC).
	 */
	CAP_FRAMEALLOC_ALLOCATE = CAP_METHOD_BASE(CAP_TYPE_FRAME_ALLOCATOR),
};

/** @brief MemoryObject methods (::CAP_TYPE_MEMORY_OBJECT). */
enum cap_memobj_method {
	/**
	 * Map [a2, a2 + a3) of the object (byte offset and length, page multiples) into the
	 * VirtualMemory named by handle a0 at address a1 (hint, or exact with ::CAPOS_MAP_FIXED).
	 * a4 = protection (::capos_prot, bits 0..2) | flags (::CAPOS_MAP_FIXED). Needs ::CAP_RIGHT_MAP
	 * here, ::CAP_RIGHT_MODIFY on a0, and rights covering the protection on both. Errors:
	 * the lookup errors of a0, KERR_INVALID_ARG, KERR_NO_RIGHTS, KERR_CONFLICT,
	 * KERR_QUOTA_MAPPING, KERR_QUOTA_PAGETABLE, KERR_NO_MEMORY. Out: r0 = mapped address.
	 */
	CAP_MEMOBJ_MAP = CAP_METHOD_BASE(CAP_TYPE_MEMORY_OBJECT),
	/** Unmap [a1, a1 + a2) of VirtualMemory a0, which must be mapped wholly from this object
	 *  (a range mapped from another object or anonymous -> KERR_WRONG_OBJECT; unmapped ->
	 *  KERR_NOT_FOUND). Needs ::CAP_RIGHT_MAP. */
	CAP_MEMOBJ_UNMAP,
	/** Change protection of [a1, a1 + a2) of VirtualMemory a0 (mapped from this object) to
	 *  a3. Needs ::CAP_RIGHT_MAP; protection bounded by this capability's rights. */
	CAP_MEMOBJ_PROTECT,
	/** Size. Needs no right beyond holding it. Out: r0 = pages. */
	CAP_MEMOBJ_INFO,
	/**
	 * Make a SharedBuffer (a producer/consumer ring) on this object, which the caller (the
	 * service) owns. Needs ::CAP_RIGHT_MAP | ::CAP_RIGHT_WRITE. In: a0 = data bytes
	 * (1..::CAPOS_SBUF_MAX, and the object must have 1 + ceil(a0 / 4096) pages: page 0 is the
	 * ::capos_sbuf_header, the data follows). The buffer holds the object (as a capability
	 * would) until both roles are closed. Out: r0 = producer handle, r1 = consumer handle
	 * (each ::CAP_TYPE_SHARED_BUFFER with READ | WRITE | MAP | COPY | TRANSFER; the role is
	 * the handle's, not its rights). Errors: KERR_INVALID_ARG; KERR_NO_MEMORY;
	 * KERR_PUBLISH_FAILED (fewer than two free slots: nothing is created).
	 */
	CAP_MEMOBJ_SHARED_BUFFER,
	/**
	 * Pin the object's pages at byte offsets [a0, a0 + a1) (an object pin: page multiples,
	 * inside the object). Needs ::CAP_RIGHT_MAP. Charged to the caller's
	 * ::CAPOS_LEDGER_PIN, one unit per page, recorded in the caller's address space (counts
	 * toward ::CAPOS_PIN_MAX). The pin keeps the object as a capability would: dropping the
	 * last handle does not release the object (nor tear down its mappings) until every object
	 * pin is gone. Released exactly once: by ::CAP_MEMOBJ_UNPIN, or when the caller's
	 * address space is torn down (exit). Errors: KERR_INVALID_ARG; KERR_QUOTA_PIN;
	 * KERR_NO_SLOTS.
	 */
	CAP_MEMOBJ_PIN,
	/** Release the object pin of exactly [a0, a0 + a1) of this object held by the caller.
	 *  Needs ::CAP_RIGHT_MAP. None -> KERR_NOT_FOUND. */
	CAP_MEMOBJ_UNPIN,
};

/** @brief Largest SharedBuffer data area in bytes. */
#define CAPOS_SBUF_MAX (1u << 24)

/**
 * @brief Page 0 of a SharedBuffer's object: the kernel's copy of the ring indices, mapped
 * read-only into every role. Only the kernel writes it; the indices the kernel uses are its
 * own, never read back from here. Offsets are bytes in the data area (which starts one page
 * after the header in every mapping).
 */
struct capos_sbuf_header {
	uint32_t size;     /**< Data bytes. */
	uint32_t head;     /**< Where the producer writes next (< size). */
	uint32_t tail;     /**< Where the consumer reads next (< size). */
	uint32_t used;     /**< Bytes produced and not yet consumed. */
	uint32_t produced; /**< Bumped at every produce and when a role closes: consumers
	                    *   ::CAP_PARK_WAIT on it. */
	uint32_t consumed; /**< Bumped at every consume and when a role closes: producers wait
	                    *   on it. */
	uint32_t closed;   /**< Bit 0: producer closed; bit 1: consumer closed. */
};

/**
 * @brief SharedBuffer methods (::CAP_TYPE_SHARED_BUFFER). A handle is the producer's or the
 * consumer's role of one ring; the kernel keeps the indices and checks every count against
 * them, so neither side can move an index outside the ring or past the other side's.
 * When every capability of one role is gone, that role is closed for good: the other role's
 * ::CAP_SBUF_PRODUCE and ::CAP_SBUF_CONSUME then fail with KERR_NOT_FOUND.
 */
enum cap_sbuf_method {
	/**
	 * Map the buffer into VirtualMemory a0 at exactly a1 (a2 must be ::CAPOS_MAP_FIXED;
	 * anything else -> KERR_INVALID_ARG): the header page read-only at a1, the data pages
	 * right after it, read-write for the producer and read-only for the consumer. Needs
	 * ::CAP_RIGHT_MAP, and ::CAP_RIGHT_MODIFY and the protections on a0. Errors: as
	 * ::CAP_MEMOBJ_MAP (nothing is left mapped on error). Out: r0 = a1.
	 */
	CAP_SBUF_MAP = CAP_METHOD_BASE(CAP_TYPE_SHARED_BUFFER),
	/** Unmap a mapping made by ::CAP_SBUF_MAP at a1 from VirtualMemory a0. Needs
	 *  ::CAP_RIGHT_MAP. Errors: as ::CAP_MEMOBJ_UNMAP. */
	CAP_SBUF_UNMAP,
	/** Producer only (consumer -> KERR_NO_RIGHTS): a0 bytes were written at head. Needs
	 *  ::CAP_RIGHT_WRITE. More than the free space -> KERR_INVALID_ARG (nothing changes);
	 *  consumer closed -> KERR_NOT_FOUND. Wakes the header's `produced` waiters. Out: r0 =
	 *  head, r1 = used. */
	CAP_SBUF_PRODUCE,
	/** Consumer only (producer -> KERR_NO_RIGHTS): a0 bytes were read at tail. Needs
	 *  ::CAP_RIGHT_READ. More than used -> KERR_INVALID_ARG (nothing changes); producer
	 *  closed and nothing left -> KERR_NOT_FOUND. Wakes the header's `consumed` waiters.
	 *  Out: r0 = tail, r1 = used. */
	CAP_SBUF_CONSUME,
	/** Needs ::CAP_RIGHT_READ. Out: r0 = size, r1 = used, r2 = bit 0: this handle is the
	 *  producer; bit 1: the other role is closed. */
	CAP_SBUF_INFO,
};

/**
 * @brief ParkSpace methods (::CAP_TYPE_PARK_SPACE): wait and wake on a 32-bit word of the
 * caller's own memory.
 *
 * The kernel never uses the address as the key. It derives the key from the mapping at the
 * address at the time of the call: a word in a MemoryObject mapping is named by (object,
 * generation, offset), so every process mapping the object waits and wakes on the same word
 * whatever address it maps it at, and a wake through another or a later mapping of the same
 * object reaches the waiters; a word in anonymous memory is named by (address space,
 * generation, address) and only threads of that address space reach it. A wake through an
 * address that maps something else reaches none of them: no key outlives its object or
 * address space (ids never repeat).
 *
 * Waiting never allocates memory and never pins a page. Unmapping or decommitting the page a
 * thread waits at (including the teardown of a MemoryObject whose last capability was
 * dropped) ends its wait with KERR_NOT_FOUND; a thread whose process is killed or exits stops
 * waiting and ends.
 */
enum cap_park_method {
	/**
	 * Wait while the word at a0 equals a1. Needs ::CAP_RIGHT_WAIT. In: a0 = user address
	 * (4-byte aligned), a1 = expected value (bits 32..63 must be 0), a2 = timeout (must be
	 * 0: no timeout; timeouts are not implemented and any other value is KERR_INVALID_ARG).
	 * The key is derived, the word read and compared, and the waiter queued atomically with
	 * respect to every wake, unmap and decommit. Errors: KERR_INVALID_ARG; KERR_BAD_ADDRESS
	 * (not a committed, readable page); KERR_WOULD_BLOCK (the word differs: did not wait);
	 * KERR_NOT_FOUND (woken because the page was unmapped or decommitted).
	 * Returns KERR_OK when woken by ::CAP_PARK_WAKE.
	 */
	CAP_PARK_WAIT = CAP_METHOD_BASE(CAP_TYPE_PARK_SPACE),
	/**
	 * Wake up to a1 threads waiting on the word at a0 (oldest first). Needs
	 * ::CAP_RIGHT_WRITE. In: a0 = user address (4-byte aligned), a1 = most to wake (0 wakes
	 * none). Errors: KERR_INVALID_ARG; KERR_BAD_ADDRESS (not a committed, readable page).
	 * Out: r0 = threads woken.
	 */
	CAP_PARK_WAKE,
};

/** @brief Ledger methods (::CAP_TYPE_LEDGER). */
enum cap_ledger_method {
	/** Usage of kind a0 (::capos_ledger_kind; others -> KERR_INVALID_ARG). Needs
	 *  ::CAP_RIGHT_READ. Out: r0 = charged, r1 = limit (both in pages). */
	CAP_LEDGER_USAGE = CAP_METHOD_BASE(CAP_TYPE_LEDGER),
};

/** @brief Diagnostics methods (::CAP_TYPE_DIAG), given to init for tests. */
enum cap_diag_method {
	/** Read counter a0 (::capos_diag_counter; others -> KERR_INVALID_ARG). Needs
	 *  ::CAP_RIGHT_READ. Out: r0 = value. */
	CAP_DIAG_READ = CAP_METHOD_BASE(CAP_TYPE_DIAG),
};

/** @brief Kernel counters readable through ::CAP_DIAG_READ. */
enum capos_diag_counter {
	CAPOS_DIAG_FREE_FRAMES = 0,      /**< Frames in the free pool now. */
	CAPOS_DIAG_TOTAL_FRAMES,         /**< Frames managed by the allocator. */
	CAPOS_DIAG_HEAP_BYTES,           /**< Kernel heap bytes in use now. */
	CAPOS_DIAG_TLB_LOCAL_FLUSHES,    /**< Local TLB flushes since boot. */
	CAPOS_DIAG_TLB_IPIS,             /**< Shootdown IPIs sent since boot. */
	CAPOS_DIAG_TLB_ROUNDS,           /**< Shootdown rounds since boot. */
	CAPOS_DIAG_FRAMES_DEFERRED,      /**< Frames that waited on the pending list. */
	CAPOS_DIAG_FRAMES_FREED_EARLY,   /**< Frames freed before shootdown completion (must be 0). */
	CAPOS_DIAG_CPUS,                 /**< CPUs online. */
	CAPOS_DIAG_PARK_WAITERS,         /**< Threads waiting in ParkSpace now (all processes). */
	CAPOS_DIAG_LIVE_PROCESSES,       /**< Processes not yet torn down. */
	CAPOS_DIAG_LIVE_THREADS,         /**< Threads not yet reaped (kernel threads included). */
	CAPOS_DIAG_DEBUG_CHECKS,         /**< Invariant checks run at system-call exit (0 unless
	                                  *   the kernel is built with CAPOS_DEBUG_CHECKS). */
	CAPOS_DIAG_COUNT                 /**< Number of counters; not a valid counter. */
};

/* ---------------------------------------------------------------------------------------------
 * Memory protection and flags
 * ------------------------------------------------------------------------------------------- */

/**
 * @brief Page protection bits (bits 0..2 of a protection argument). The values equal
 * lib/vmspace.h's VM_PROT_* (host test host_abi), so the kernel passes them through.
 */
enum capos_prot {
	CAPOS_PROT_NONE = 0,       /**< No access (page stays committed; data preserved). */
	CAPOS_PROT_READ = 1u << 0,  /**< Readable. */
	CAPOS_PROT_WRITE = 1u << 1, /**< Writable (implies readable on x86). */
	CAPOS_PROT_EXEC = 1u << 2,  /**< Executable. WRITE together with EXEC -> KERR_INVALID_ARG (W^X). */
};

/** @brief Every protection bit. */
#define CAPOS_PROT_MASK 7u

/** @brief Reservation and mapping flags (bits 8.. of a flags or prot|flags argument). */
enum capos_map_flag {
	/** The hint is the exact address; any overlap over the whole range -> KERR_CONFLICT. */
	CAPOS_MAP_FIXED = 1u << 8,
};

/** @brief Every defined flag; other bits -> KERR_INVALID_ARG. */
#define CAPOS_MAP_FLAGS_MASK ((uint64_t)CAPOS_MAP_FIXED)

/**
 * @brief Commit flags (bits 8.. of ::CAP_VM_COMMIT's protection argument a2).
 */
enum capos_commit_flag {
	/**
	 * Lazy commit: the commit quota (::CAPOS_LEDGER_COMMIT) and the page-table pages the
	 * range needs (::CAPOS_LEDGER_PAGETABLE, allocated now as for an eager commit) are charged
	 * at commit time, but no data frame is allocated or mapped. The first user access to each
	 * page takes a frame from the global pool, zero-fills and maps it with the committed
	 * protection, and retries the access. A first touch that finds no free frame cannot
	 * return an error: it ends the process with ::CAPOS_EXIT_OOM (address = the faulting
	 * address), never a panic. Decommit, protect and unmap treat untouched pages as
	 * committed pages without a frame.
	 */
	CAPOS_COMMIT_LAZY = 1u << 9,
};

/** @brief Every defined commit flag; other bits of a commit's a2 -> KERR_INVALID_ARG. */
#define CAPOS_COMMIT_FLAGS_MASK ((uint64_t)CAPOS_COMMIT_LAZY)

/* ---------------------------------------------------------------------------------------------
 * Ledgers
 * ------------------------------------------------------------------------------------------- */

/**
 * @brief Kinds of resource a ledger limits (all counted in pages). The values equal
 * lib/ledger.h's LEDGER_* (host test host_abi), so the kernel passes them through.
 */
enum capos_ledger_kind {
	CAPOS_LEDGER_VIRTUAL = 0, /**< Reserved virtual address space. */
	CAPOS_LEDGER_COMMIT,      /**< Committed anonymous physical pages. */
	CAPOS_LEDGER_OBJECT,      /**< Pages backing MemoryObjects held. */
	CAPOS_LEDGER_MAPPING,     /**< Pages of borrowed (object-backed) mappings. */
	CAPOS_LEDGER_PAGETABLE,   /**< Page-table pages of the address space. */
	CAPOS_LEDGER_PIN,         /**< Pinned pages. */
	CAPOS_LEDGER_KIND_COUNT   /**< Number of kinds; not a valid kind. */
};

/* ---------------------------------------------------------------------------------------------
 * Address-space layout
 * ------------------------------------------------------------------------------------------- */

#define CAPOS_USER_VA_MIN 0x1000ull                /**< Lowest user address (page 0 unmapped). */
#define CAPOS_USER_VA_END 0x0000800000000000ull    /**< End of the canonical lower half. */
#define CAPOS_USER_IMAGE_MIN 0x400000ull           /**< ELF segments start at or above this. */
#define CAPOS_USER_IMAGE_END 0x40000000ull         /**< ELF segments end at or below this. */
#define CAPOS_USER_MMAP_BASE 0x0000100000000000ull /**< Non-fixed reservations start here. */
#define CAPOS_USER_STACK_TOP 0x00007fffffe00000ull /**< Initial rsp (16-byte aligned). */
#define CAPOS_USER_STACK_PAGES 16u                 /**< Initial stack size in pages (64 KiB). */
#define CAPOS_USER_START_INFO_VA 0x00007ffffff00000ull /**< Start record page (read-only, NX). */

/**
 * @brief Whether [addr, addr + len) lies wholly in user address space.
 *
 * Only the address range is checked (no wrap-around, nothing at or above ::CAPOS_USER_VA_END,
 * nothing below ::CAPOS_USER_VA_MIN); whether the pages are mapped is the address space's
 * question. A zero length is in range at any user address.
 * @param addr First byte.
 * @param len Bytes.
 * @return true when in range.
 */
static inline int capos_user_range_ok(uint64_t addr, uint64_t len)
{
	return addr >= CAPOS_USER_VA_MIN && addr <= CAPOS_USER_VA_END &&
	       len <= CAPOS_USER_VA_END - addr;
}

/* ---------------------------------------------------------------------------------------------
 * Start record and spawn request
 * ------------------------------------------------------------------------------------------- */

#define CAPOS_START_INFO_MAGIC 0x314953534f504143ull /**< "CAPOSSI1" in memory (little-endian). */
#define CAPOS_START_MAX_CAPS 16u /**< Most capabilities a parent can pass to a child. */
#define CAPOS_START_ARG_MAX 128u /**< Bytes of the argument string, NUL included. */

/**
 * @brief The start record, one read-only page at ::CAPOS_USER_START_INFO_VA (its address is also
 * in rdi at entry).
 *
 * Every process gets its own Process (rights WAIT | SPAWN | EXIT | COPY), initial Thread
 * (WAIT | EXIT | COPY), VirtualMemory (READ | WRITE | EXEC | MODIFY | COPY | TRANSFER) and
 * Ledger (READ | COPY | TRANSFER) capabilities, then the parent's ::capos_spawn_req.caps in
 * order in @ref caps. init's @ref caps are, in this order: Console, ProcessSpawner,
 * FrameAllocator, Diag, ParkSpace (::capos_init_cap); its @ref arg is the value of `scenario=` on the
 * kernel command line ("" when absent).
 */
struct capos_start_info {
	uint64_t magic;          /**< ::CAPOS_START_INFO_MAGIC. */
	uint32_t abi_version;    /**< ::CAPOS_ABI_VERSION. */
	uint32_t ncaps;          /**< Valid entries in @ref caps. */
	cap_handle_t process;    /**< The process's own Process capability. */
	cap_handle_t thread;     /**< The initial thread's Thread capability. */
	cap_handle_t vm;         /**< The process's VirtualMemory capability. */
	cap_handle_t ledger;     /**< The process's Ledger capability. */
	cap_handle_t caps[CAPOS_START_MAX_CAPS]; /**< Capabilities from the parent, in its order. */
	uint32_t arg_len;        /**< Bytes in @ref arg before the NUL. */
	uint32_t reserved;       /**< 0. */
	char arg[CAPOS_START_ARG_MAX]; /**< NUL-terminated argument string. */
};

/** @brief Indices of init's capabilities in ::capos_start_info.caps. */
enum capos_init_cap {
	CAPOS_INIT_CAP_CONSOLE = 0,     /**< Console (WRITE | COPY | TRANSFER). */
	CAPOS_INIT_CAP_SPAWNER,         /**< ProcessSpawner (SPAWN | COPY | TRANSFER). */
	CAPOS_INIT_CAP_FRAME_ALLOCATOR, /**< FrameAllocator (READ | WRITE | ALLOCATE | COPY | TRANSFER). */
	CAPOS_INIT_CAP_DIAG,            /**< Diag (READ | COPY | TRANSFER). */
	CAPOS_INIT_CAP_PARK_SPACE,      /**< ParkSpace (WAIT | WRITE | COPY | TRANSFER). */
	CAPOS_INIT_CAP_COUNT            /**< Number of init capabilities. */
};

/** @brief One capability a parent passes to a child (::capos_spawn_req.caps). */
struct capos_spawn_cap {
	cap_handle_t handle; /**< Handle in the parent's table; needs ::CAP_RIGHT_TRANSFER. */
	uint32_t rights;     /**< Rights of the child's copy: a subset of the parent's. */
	uint32_t flags;      /**< ::CAPOS_SPAWN_CAP_MOVE or 0 (copy). */
};

/** @brief ::capos_spawn_cap flag: remove the capability from the parent on success. */
#define CAPOS_SPAWN_CAP_MOVE 1u

/**
 * @brief What ::CAP_SPAWNER_SPAWN reads from user memory (all addresses are user addresses).
 *
 * The transfer of @ref caps is all-or-nothing. @ref limits are donated from the parent's own
 * ledger (subtracted from its limits until the child is reaped) and become the child's limits.
 */
struct capos_spawn_req {
	uint64_t image;     /**< Address of the image name (not NUL-terminated). */
	uint64_t image_len; /**< Bytes of the name (1..::CAPOS_IMAGE_NAME_MAX). */
	uint64_t arg;       /**< Address of the argument string (may be 0 when arg_len is 0). */
	uint64_t arg_len;   /**< Bytes of the argument (< ::CAPOS_START_ARG_MAX). */
	uint64_t caps;      /**< Address of an array of ::capos_spawn_cap. */
	uint64_t ncaps;     /**< Entries (<= ::CAPOS_START_MAX_CAPS); no handle twice. */
	uint64_t limits[CAPOS_LEDGER_KIND_COUNT]; /**< Pages donated per ::capos_ledger_kind. */
};

/** @brief Longest image name accepted by ::CAP_SPAWNER_SPAWN. */
#define CAPOS_IMAGE_NAME_MAX 32u

/* ---------------------------------------------------------------------------------------------
 * Exit status
 * ------------------------------------------------------------------------------------------- */

/** @brief Why a process ended. */
enum capos_exit_reason {
	CAPOS_EXIT_NONE = 0,   /**< Not exited (never returned by a successful wait). */
	CAPOS_EXIT_NORMAL,     /**< ::CAP_PROCESS_EXIT or last thread's ::CAP_THREAD_EXIT; code set. */
	CAPOS_EXIT_FAULT,      /**< CPU exception: vector, error code, rip and address set. */
	CAPOS_EXIT_KILLED,     /**< ::CAP_PROCESS_KILL by a holder. */
	CAPOS_EXIT_OOM,        /**< Out of memory where no error could be returned (first touch of a
	                        *   ::CAPOS_COMMIT_LAZY page with no free frame); address set. */
};

/**
 * @brief The exit-status record.
 *
 * ::CAP_PROCESS_WAIT returns it in three registers:
 * r0 = reason | vector << 8 | error_code << 32; r1 = code (NORMAL) or faulting rip (FAULT, OOM);
 * r2 = address (FAULT: CR2 for a page fault, else 0; OOM: the faulting address).
 */
struct capos_exit_status {
	uint32_t reason;     /**< ::capos_exit_reason. */
	uint32_t vector;     /**< FAULT: exception vector (14 = page fault); else 0. */
	uint32_t error_code; /**< FAULT: the exception's error code (page fault: P/W/U/I bits). */
	uint32_t reserved;   /**< 0 (explicit padding). */
	uint64_t code;       /**< NORMAL: exit code. FAULT/OOM: rip of the faulting instruction. */
	uint64_t address;    /**< FAULT (page fault) / OOM: faulting address. */
};

/** @brief Page-fault error-code bits in ::capos_exit_status.error_code (x86 \#PF). */
enum capos_pf_error {
	CAPOS_PF_PRESENT = 1u << 0, /**< The page was present (protection violation). */
	CAPOS_PF_WRITE = 1u << 1,   /**< The access was a write. */
	CAPOS_PF_USER = 1u << 2,    /**< The access came from user mode. */
	CAPOS_PF_FETCH = 1u << 4,   /**< The access was an instruction fetch. */
};

/**
 * @brief Pack an exit status into ::CAP_PROCESS_WAIT's result registers.
 * @param s The status.
 * @param r Receives r0, r1, r2.
 */
static inline void capos_exit_status_pack(const struct capos_exit_status *s, uint64_t r[3])
{
	r[0] = (uint64_t)(s->reason & 0xffu) | (uint64_t)(s->vector & 0xffu) << 8 |
	       (uint64_t)s->error_code << 32;
	r[1] = s->code;
	r[2] = s->address;
}

/**
 * @brief Unpack ::CAP_PROCESS_WAIT's result registers into an exit status.
 * @param r0 Result 0.
 * @param r1 Result 1.
 * @param r2 Result 2.
 * @param s Receives the status.
 */
static inline void capos_exit_status_unpack(uint64_t r0, uint64_t r1, uint64_t r2,
					    struct capos_exit_status *s)
{
	s->reason = (uint32_t)(r0 & 0xffu);
	s->vector = (uint32_t)((r0 >> 8) & 0xffu);
	s->error_code = (uint32_t)(r0 >> 32);
	s->reserved = 0;
	s->code = r1;
	s->address = r2;
}

#endif /* CAPOS_ABI_H */
