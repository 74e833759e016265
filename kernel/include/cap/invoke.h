/**
 * @file
 * @brief Capability invocation: the decode/perform split behind every `syscall`.
 *
 * invoke() decodes the common part (captable_decode(): handle, method, type, rights), then
 * the method's own decode validates its arguments, and its perform changes state. A call that
 * fails has changed nothing observable, and its results are zero. Every call holds a reference
 * on the object it acts on from the common decode to its end (cap/capobj.h).
 */
#ifndef CAPOS_CAP_INVOKE_H
#define CAPOS_CAP_INVOKE_H

#include <capos/abi.h>
#include <lib/captable.h>

struct process;
struct thread;

/** @brief One invocation: the caller, the capability, the arguments and the results. */
struct invocation {
	struct process *proc; /**< Calling process. */
	struct thread *thread; /**< Calling thread. */
	cap_handle_t handle;  /**< Invoked handle. */
	capos_method_t method; /**< Method number. */
	struct cap cap;       /**< The capability (after the common decode). */
	bool held;            /**< invoke() holds a reference on cap's object (cap/capobj.h). */
	uint64_t a[5];        /**< Arguments 0..4. */
	uint64_t r[3];        /**< Results 0..2 (zeroed on error by invoke()). */
};

/**
 * @brief Decode and perform one invocation.
 * @param inv The invocation (proc, thread, handle, method, a filled in).
 * @return KERR_OK or the method's typed error (results zeroed then).
 */
kerr_t invoke(struct invocation *inv);

/**
 * @brief Drop the invocation's reference on its object early: a method that does not return
 *        (PROCESS_EXIT, THREAD_EXIT on the caller itself) calls it first. Idempotent.
 * @param inv The invocation.
 */
void invoke_release(struct invocation *inv);

/**
 * @brief Methods of Console capabilities.
 * @param inv The invocation (common decode done). @return KERR_OK or a typed error.
 */
kerr_t invoke_console(struct invocation *inv);

/**
 * @brief Methods of Process capabilities.
 * @param inv The invocation (common decode done). @return KERR_OK or a typed error.
 */
kerr_t invoke_process(struct invocation *inv);

/**
 * @brief Methods of Thread capabilities.
 * @param inv The invocation (common decode done). @return KERR_OK or a typed error.
 */
kerr_t invoke_thread(struct invocation *inv);

/**
 * @brief Methods of ProcessSpawner capabilities.
 * @param inv The invocation (common decode done). @return KERR_OK or a typed error.
 */
kerr_t invoke_spawner(struct invocation *inv);

/**
 * @brief Methods of Diag capabilities.
 * @param inv The invocation (common decode done). @return KERR_OK or a typed error.
 */
kerr_t invoke_diag(struct invocation *inv);

/**
 * @brief Methods of VirtualMemory capabilities.
 * @param inv The invocation (common decode done). @return KERR_OK or a typed error.
 */
kerr_t invoke_vm(struct invocation *inv);

/**
 * @brief Methods of Ledger capabilities.
 * @param inv The invocation (common decode done). @return KERR_OK or a typed error.
 */
kerr_t invoke_ledger(struct invocation *inv);

/**
 * @brief Methods of FrameAllocator capabilities.
 * @param inv The invocation (common decode done). @return KERR_OK or a typed error.
 */
kerr_t invoke_framealloc(struct invocation *inv);

/**
 * @brief Methods of MemoryObject capabilities.
 * @param inv The invocation (common decode done). @return KERR_OK or a typed error.
 */
kerr_t invoke_memobj(struct invocation *inv);

/**
 * @brief ::CAP_VM_PIN and ::CAP_VM_UNPIN of VirtualMemory capabilities (cap/cap_pin.c).
 * @param inv The invocation (common decode done). @return KERR_OK or a typed error.
 */
kerr_t invoke_vm_pin(struct invocation *inv);

/**
 * @brief ::CAP_MEMOBJ_PIN and ::CAP_MEMOBJ_UNPIN of MemoryObject capabilities (cap/cap_pin.c).
 * @param inv The invocation (common decode done). @return KERR_OK or a typed error.
 */
kerr_t invoke_memobj_pin(struct invocation *inv);

/**
 * @brief ::CAP_MEMOBJ_SHARED_BUFFER of MemoryObject capabilities (cap/cap_sharedbuf.c).
 * @param inv The invocation (common decode done). @return KERR_OK or a typed error.
 */
kerr_t invoke_memobj_sbuf(struct invocation *inv);

/**
 * @brief Methods of SharedBuffer capabilities (cap/cap_sharedbuf.c).
 * @param inv The invocation (common decode done). @return KERR_OK or a typed error.
 */
kerr_t invoke_sbuf(struct invocation *inv);

/**
 * @brief Methods of ParkSpace capabilities (cap/cap_park.c).
 * @param inv The invocation (common decode done). @return KERR_OK or a typed error.
 */
kerr_t invoke_park(struct invocation *inv);

/** @brief The one ParkSpace object (keys come from the caller's mappings, not from it). */
extern const int park_object;

/** @brief The kernel's one Console object (capabilities name it with obj = its address). */
extern const int console_object;
/** @brief The one ProcessSpawner object. */
extern const int spawner_object;
/** @brief The one Diag object. */
extern const int diag_object;
/** @brief The FrameAllocator object given to init (stateless: objects are charged to the
 *  caller's account). */
extern const int framealloc_object;

#endif /* CAPOS_CAP_INVOKE_H */
