/**
 * @file
 * @brief Page eligibility: the bits a physical frame carries and the typed answer to "may this
 *        page be swapped out / handed to a device?" (ABI: the values are shared with user
 *        programs through the VirtualMemory eligibility query).
 *
 * capOS implements neither swap nor DMA. These values are their preconditions: every frame
 * carries the bits below, set and cleared by the code that creates and releases the page, and
 * lib/elig.h decides from them. docs/architecture/page-eligibility.md has who sets each bit.
 * Values are ABI: append before the _COUNT constants, never renumber.
 */
#ifndef CAPOS_ELIG_H
#define CAPOS_ELIG_H

/** @brief Eligibility bits of one frame (a mask of these is a frame's eligibility word). */
enum elig_bit {
	ELIG_PINNED = 1u << 0,    /**< Held by a pin (derived from the frame's pin count). */
	ELIG_DMA = 1u << 1,       /**< Handed to a device (no code sets it yet: no DMA). */
	ELIG_SECRET = 1u << 2,    /**< Holds kernel secret material (key, seed). */
	ELIG_SHARED_IPC = 1u << 3, /**< Mapped by two or more address spaces (shared IPC). */
	ELIG_OBJECT = 1u << 4,    /**< Backing frame of a MemoryObject. */
	ELIG_RING = 1u << 5,      /**< Page of a MemoryObject carrying a SharedBuffer ring. */
	ELIG_CAPTABLE = 1u << 6,  /**< A process's capability table (CapSet). */
	ELIG_PAGETABLE = 1u << 7, /**< A page-table page (set from FRAME_OWNER_PAGETABLE). */
	ELIG_KERNEL = 1u << 8,    /**< Other kernel memory: heap slab, stack, boot data. */
	ELIG_BITS_ALL = (1u << 9) - 1 /**< Every defined bit. */
};

/** @brief What the page would be used for. */
enum elig_purpose {
	ELIG_FOR_SWAP = 0, /**< Written to swap and its frame reused (phase-1 swap rules). */
	ELIG_FOR_DMA,      /**< Handed to a device for DMA. */
	ELIG_PURPOSE_COUNT /**< Number of purposes; not a purpose. */
};

/**
 * @brief The answer of an eligibility query: ELIG_OK, or the first reason for refusal in the
 *        order listed here (lib/elig.h: elig_refusals() gives every reason at once).
 */
enum elig_reason {
	ELIG_OK = 0,            /**< Eligible for the purpose. */
	ELIG_R_UNMANAGED,       /**< Not allocatable RAM (hole, kernel image, frame metadata). */
	ELIG_R_FREE,            /**< On the free list: nobody owns it. */
	ELIG_R_IN_TRANSIT,      /**< Unhooked or flushed: its release is under way. */
	ELIG_R_KERNEL,          /**< Kernel memory (heap, stacks). */
	ELIG_R_PAGETABLE,       /**< A page-table page. */
	ELIG_R_CAPTABLE,        /**< A capability table (CapSet). */
	ELIG_R_SECRET,          /**< Secret pages never leave RAM nor reach a device. */
	ELIG_R_DMA,             /**< Already handed to a device (resident and unswappable). */
	ELIG_R_PINNED,          /**< Swap: a pin holds it resident. */
	ELIG_R_RING,            /**< A SharedBuffer ring page (phase-1 exclusion). */
	ELIG_R_SHARED_IPC,      /**< Shared between address spaces (phase-1 exclusion). */
	ELIG_R_OBJECT,          /**< Swap: MemoryObject backing (phase-1 exclusion). */
	ELIG_R_NOT_OBJECT,      /**< DMA: only MemoryObject backing may reach a device. */
	ELIG_R_NOT_PINNED,      /**< DMA: the page must be pinned (resident) first. */
	ELIG_REASON_COUNT       /**< Number of values; not a reason. */
};

#endif /* CAPOS_ELIG_H */
