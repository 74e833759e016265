/**
 * @file
 * @brief The inventory's configuration: which functions are primitives of which role, how
 *        transitions and operations are found, what is in scope. Nothing about a particular
 *        kernel is compiled into the tool; it all comes from this file.
 */
#ifndef INV_CONFIG_H
#define INV_CONFIG_H

#include <jansson.h>
#include <stdbool.h>

/** @brief Roles a primitive can have (the config's "primitives" keys, in this order). */
enum role {
	ROLE_PTE_WRITE, ROLE_PTE_CLEAR, ROLE_PTE_WEAKEN, ROLE_PTE_QUERY,
	ROLE_TLB_LOCAL, ROLE_TLB_SHOOTDOWN, ROLE_TLB_WAIT,
	ROLE_FRAME_ALLOC, ROLE_FRAME_FREE, ROLE_FRAME_DEFER_FREE,
	ROLE_LEDGER_CHARGE, ROLE_LEDGER_RELEASE, ROLE_LEDGER_TRANSFER,
	ROLE_LOCK_ACQUIRE, ROLE_LOCK_RELEASE, ROLE_USER_COPY, ROLE_IPI,
	ROLE_DMA, ROLE_SWAP,
	ROLE_COUNT
};

/** @brief Config role key of @p r ("pte_write"). @param r Role. @return Static string. */
const char *role_name(enum role r);

/**
 * @brief A loaded, validated config.
 * Invariants: I1. every key of the file is known (load fails otherwise);
 * I2. every pattern has the placeholders the tool needs ({machine}).
 */
struct config {
	json_t *root;           /**< The parsed file (owns every json_t below). */
	char hash[33];          /**< Content hash (part of every cache key). */
	char file_hash[33];     /**< Hash of the config file as written (the model records it). */
	char *root_dir;         /**< Repository root (absolute), for relative paths. */
	json_t *include, *exclude, *require_args; /**< Scope: globs over repo paths; args. */
	json_t *source_ext;     /**< Extensions of TUs to parse (default ["c"]: no assembly). */
	json_t *prim[ROLE_COUNT];                 /**< Names (globs) per role; may be NULL. */
	json_t *pairs;          /**< [{name, acquire[], release[], key_args[], fallible}]. */
	json_t *success;        /**< Return spellings that mean success. */
	const char *trans_fn;   /**< "{machine}_transition". */
	const char *state_enum; /**< "{machine}_state". */
	int from_arg, to_arg;   /**< Argument positions of the from/to constants. */
	json_t *state_ignore;   /**< Enum constants that are not states (counts, masks). */
	json_t *op_tables;      /**< Globs over table variable names. */
	const char *table_object; /**< "{object}_methods": object from a table's name. */
	json_t *op_functions;   /**< Patterns over function names, with {object} and {op}. */
	json_t *entries;        /**< Other declared entry points: [{name, function}]. */
	json_t *stable_annotations, *stable_suffixes; /**< User-copy stability by function. */
	bool stable_lock;       /**< A held lock gives user-copy stability. */
	bool stable_self;       /**< A copy primitive whose own body takes a lock is stable. */
	const char *tlb_comment;  /**< Prefix of the comment naming who flushes ("TLB:"). */
	json_t *forbidden;      /**< [{role, until[]}]. */
	json_t *ev_dirs, *ev_exclude, *ev_ext; /**< Where evidence tags are read. */
	const char *proof_table, *backlog; /**< Repo-relative paths of the two tables. */
};

/**
 * @brief Load and validate a config.
 * @param path Config file.
 * @param root_dir Repository root (absolute).
 * @param cfg Out.
 * @return 0, or -1 after printing the reason (unreadable, bad JSON, unknown key with its name,
 *         wrong type, missing placeholder) to stderr.
 */
int config_load(const char *path, const char *root_dir, struct config *cfg);

/**
 * @brief A copy of @p base whose pairs also list derived wrapper functions.
 * @param base Loaded config. @param derived [{pair, function, dir (+1/-1), key}] from
 *        model_wrappers(). @param out Out: the new config (its own JSON; file_hash of @p base).
 * @return 0, or -1 after printing why (cannot happen for a valid @p base).
 */
int config_with_wrappers(const struct config *base, json_t *derived, struct config *out);

/** @brief Free a config. @param cfg Config. */
void config_free(struct config *cfg);

/**
 * @brief Role of a function name, or -1.
 * @param cfg Config. @param name Function name.
 * @return The first role whose names match, or -1.
 */
int config_role(const struct config *cfg, const char *name);

/** @brief Does a name match any glob of a JSON string array? @return true on a match. */
bool json_globs_match(json_t *arr, const char *s);

/** @brief Is @p rel (repo-relative) in the scan scope? @return true when included. */
bool config_in_scope(const struct config *cfg, const char *rel);

#endif
