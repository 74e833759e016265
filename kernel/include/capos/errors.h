/**
 * @file
 * @brief The typed error codes of the capOS invocation ABI.
 *
 * One enum, shared by the kernel, kernel/lib and user programs. Every capability method returns
 * one of these; KERR_OK is the only success value. A method that returns anything else has
 * changed nothing observable (the decode/perform split guarantees it). Values are ABI: append
 * new codes before KERR_COUNT, never renumber.
 */
#ifndef CAPOS_ERRORS_H
#define CAPOS_ERRORS_H

/** @brief Typed status of a capability invocation or kernel operation. */
enum kerr {
	KERR_OK = 0,          /**< Success. */
	/* Invocation validation (decode). */
	KERR_INVALID_HANDLE,  /**< Handle names no slot, or an empty slot. */
	KERR_STALE_HANDLE,    /**< Handle's generation does not match the slot's (slot was reused). */
	KERR_WRONG_TYPE,      /**< Capability is not of the type the method needs. */
	KERR_NO_RIGHTS,       /**< Capability lacks a right the method needs. */
	KERR_UNKNOWN_METHOD,  /**< Method number not defined for this capability type. */
	KERR_INVALID_ARG,     /**< An argument is out of range, misaligned, zero-length or malformed. */
	KERR_BAD_ADDRESS,     /**< A user buffer is not mapped, not accessible, or a kernel address. */
	/* Memory model. */
	KERR_CONFLICT,        /**< Range overlaps an existing reservation or mapping (fixed no-replace). */
	KERR_NOT_FOUND,       /**< Range is not (wholly) reserved, committed or mapped as required. */
	KERR_WRONG_OBJECT,    /**< Object-specific unmap of a range mapped from another object. */
	KERR_QUOTA_VIRTUAL,   /**< Ledger: virtual reservation limit reached. */
	KERR_QUOTA_COMMIT,    /**< Ledger: physical commit limit reached. */
	KERR_QUOTA_OBJECT,    /**< Ledger: object backing limit reached. */
	KERR_QUOTA_MAPPING,   /**< Ledger: borrowed mapping limit reached. */
	KERR_QUOTA_PAGETABLE, /**< Ledger: page-table page limit reached. */
	KERR_NO_MEMORY,       /**< Global frame pressure: no physical frame available. */
	KERR_PINNED,          /**< Range holds pinned pages; decommit/unmap/free refused. */
	KERR_PUBLISH_FAILED,  /**< Result capability could not be published (table full); rolled back. */
	/* Processes and threads. */
	KERR_NO_SLOTS,        /**< Capability table or thread table full (not a result publication). */
	KERR_WOULD_BLOCK,     /**< Non-blocking operation could not complete now. */
	KERR_QUOTA_PIN,       /**< Ledger: pin limit reached (KERR_PINNED is about pinned pages). */
	KERR_COUNT            /**< Number of codes; not a valid status. */
};

/** @brief Scalar form of ::kerr used in signatures and the ABI registers. */
typedef enum kerr kerr_t;

/**
 * @brief Stable, human-readable name of an error code ("KERR_CONFLICT").
 * @param e Any value; values outside the enum give "KERR_<invalid>".
 * @return A static string; never NULL.
 */
const char *kerr_name(kerr_t e);

#endif /* CAPOS_ERRORS_H */
