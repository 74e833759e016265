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
/** @brief Role named @p name in a config or model ("pte_write"), or -1. @param name Key. @return Role. */
int role_from_name(const char *name);

/** @brief Groups of roles the rules and pages reason about (never derived from name prefixes). */
enum role_class {
	RC_NONE, RC_PTE, RC_TLB, RC_IPI, RC_FRAME, RC_LEDGER, RC_LOCK, RC_USER_COPY, RC_FORBIDDEN
};
/** @brief Class of role @p r (RC_NONE for -1). @param r Role or -1. @return Class. */
enum role_class role_class_of(int r);
/** @brief Does role @p r remove or weaken access (pte_clear, pte_weaken)? @param r Role. @return true if so. */
bool role_removes_access(int r);
/** @brief Does role @p r change a PTE (write, clear, weaken)? @param r Role. @return true if so. */
bool role_mutates_pte(int r);

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
	json_t *returns;        /**< The `returns` object (success, families[{functions, success}]). */
	const char *trans_fn;   /**< "{machine}_transition", or NULL with state_fields only. */
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
	const char *proof_table, *backlog; /**< The two tables' paths as written in the config. */
	char *config_dir;       /**< Absolute directory of the config file. */
	char *proof_table_path, *backlog_path; /**< Absolute: relative to config_dir, or as written. */
	const char *waivers;    /**< Waivers file as written in the config, or NULL (none). */
	char *waivers_path;     /**< Absolute waivers path, or NULL. */
	json_t *optional_prims; /**< Primitive names/globs that may match no call. */
	json_t *rules;          /**< Per-rule settings: {ID: {enabled, severity, reason}}. */
	const char *inventory_title; /**< Title of the inventory page. */
	const char *backlog_group;   /**< Heading of a backlog group ("Slice {group}"). */
	json_t *stores;         /**< Store patterns: [{role, lvalue_type?, base_type?, field?, value?}]. */
	json_t *state_fields;   /**< Field state machines: [{machine, field, state_enum}]. */
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

/**
 * @brief Does a primitive pattern match a call? "name-glob" matches by name; "walk(_, _, 1)"
 *        also needs every listed argument (`_` = any) to equal the call's argument text.
 * @param pat Pattern. @param name Callee. @param args Argument texts (JSON strings), or NULL
 *        when unknown (then only patterns without argument conditions match).
 * @return true on a match.
 */
bool prim_pattern_match(const char *pat, const char *name, json_t *args);
/**
 * @brief prim_pattern_match() on argument texts.
 * @param pat Pattern. @param name Callee. @param args Argument texts (an element may be NULL).
 * @param nargs Count. @param known false when the arguments are unknown (then only patterns
 *        without argument conditions match). @return true on a match.
 */
bool prim_pattern_match_v(const char *pat, const char *name, const char *const *args, size_t nargs, bool known);

/**
 * @brief Role of a call, or -1: the first role with a pattern matching name and arguments.
 * @param cfg Config. @param name Callee. @param args Argument texts or NULL. @return Role or -1.
 */
int config_call_role(const struct config *cfg, const char *name, json_t *args);
/** @brief config_call_role() on argument texts (known). @return Role or -1. */
int config_call_role_v(const struct config *cfg, const char *name, const char *const *args, size_t nargs);

/** @brief Does a name match any glob of a JSON string array? @return true on a match. */
bool json_globs_match(json_t *arr, const char *s);

/**
 * @brief A rule's per-project setting from the config's `rules`.
 * @param cfg Config. @param id Rule ID ("INV014").
 * @param enabled Out (may be NULL): false when the config switches the rule off.
 * @param severity Out (may be NULL): the configured severity, or NULL for the rule's own.
 * @return The written reason, or NULL when the config says nothing about the rule.
 */
const char *config_rule_reason(const struct config *cfg, const char *id, bool *enabled, const char **severity);

/**
 * @brief The pair a held key belongs to: "ledger(LEDGER_COMMIT)" -> the pair named ledger.
 * @param cfg Config. @param key Held key. @param inner Out: the text between the parentheses
 *        (malloc'd) when found. @return Pair index, or -1.
 */
int config_pair_of_key(const struct config *cfg, const char *key, char **inner);
/** @brief Name of pair @p i. @param cfg Config. @param i Pair index. @return Name. */
const char *config_pair_name(const struct config *cfg, int i);
/** @brief Does pair @p i derive wrappers (`derive_wrappers`)? @return true if so. */
bool config_pair_derives(const struct config *cfg, int i);
/** @brief Is @p fn one of pair @p i's own acquire or release functions? @return true if so. */
bool config_pair_names(const struct config *cfg, int i, const char *fn);

/** @brief Is @p rel (repo-relative) in the scan scope? @return true when included. */
bool config_in_scope(const struct config *cfg, const char *rel);

#endif
