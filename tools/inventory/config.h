/**
 * @file
 * @brief The inventory's configuration: which functions are primitives of which role, how
 *        transitions and operations are found, what is in scope. Nothing about a particular
 *        kernel is compiled into the tool; it all comes from this file.
 */
#ifndef INV_CONFIG_H
#define INV_CONFIG_H

#include <stdbool.h>
#include "util.h"

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

/** @brief A function's own key of a pair (`fixed_keys`): the key its calls hold. */
struct pair_fixed { char *fn, *key; };
/** @brief A function's own key argument positions of a pair (`fn_key_args`). */
struct pair_fn_args { char *fn; long long *v; size_t n; };

/**
 * @brief An acquire/release pair tracked along paths (`pairs[]`).
 * Invariants: I1. name is unique in the config; I2. acquire and release are name globs.
 */
struct pair_cfg {
	char *name;
	struct strv acquire, release;   /**< Name globs (derived wrappers appended). */
	struct strv key_return;         /**< Acquires whose key is their return value. */
	long long *key_args; size_t n_key_args; /**< Argument positions that identify the resource. */
	struct pair_fixed *fixed; size_t n_fixed;
	struct pair_fn_args *fn_args; size_t n_fn_args;
	bool fallible, derive_wrappers;
};

/** @brief Success spellings of a family of functions (`returns.families[]`). */
struct ret_family { struct strv functions, success; };

/** @brief An assignment that is a primitive (`stores[]`); NULL members are unconstrained. */
struct store_cfg {
	int role;                       /**< enum role. */
	char *lvalue_type, *base_type, *field, *value;
	int compound;                   /**< -1 either, 0 plain `=` only, 1 compound only. */
};

/** @brief A field state machine (`transitions.fields[]`). */
struct state_field_cfg { char *machine, *field, *state_enum; };

/** @brief A declared entry point (`operations.entries[]`). */
struct entry_cfg { char *name, *function; bool optional; };

/** @brief A role that must not exist until backlog items are done (`forbidden[]`). */
struct forbidden_cfg { int role; struct strv until; };

/** @brief A rule's per-project setting (`rules.ID`). */
struct rule_cfg { char *id, *severity, *reason; bool has_enabled, enabled; };

/**
 * @brief A loaded, validated config, typed (JSON is read only in config_io.c).
 * Invariants: I1. every key of the file is known (load fails otherwise);
 * I2. every pattern has the placeholders the tool needs ({machine}).
 */
struct config {
	char hash[33];          /**< Content hash (part of every cache key). */
	char file_hash[33];     /**< Hash of the config file as written (the model records it). */
	char *root_dir;         /**< Repository root (absolute), for relative paths. */
	struct strv include, exclude, require_args; /**< Scope: globs over repo paths; args. */
	struct strv source_ext; /**< Extensions of TUs to parse (default ["c"]: no assembly). */
	struct strv prim[ROLE_COUNT];             /**< Names (globs, patterns) per role. */
	struct pair_cfg *pairs; size_t n_pairs;
	struct strv success;    /**< Return spellings that mean success. */
	struct ret_family *families; size_t n_families; /**< `returns.families`. */
	char *trans_fn;         /**< "{machine}_transition", or NULL with state_fields only. */
	char *state_enum;       /**< "{machine}_state". */
	int from_arg, to_arg;   /**< Argument positions of the from/to constants. */
	struct strv state_ignore; /**< Enum constants that are not states (counts, masks). */
	struct strv op_tables;  /**< Globs over table variable names. */
	char *table_object;     /**< "{object}_methods": object from a table's name. */
	struct strv op_functions; /**< Patterns over function names, with {object} and {op}. */
	struct entry_cfg *entries; size_t n_entries; /**< Other declared entry points. */
	struct strv stable_annotations, stable_suffixes; /**< User-copy stability by function. */
	struct strv user_sources;  /**< `user_addresses.sources`: functions delivering a user address. */
	char *user_marker;         /**< `user_addresses.marker`: token of a user pointer, or NULL. */
	struct strv user_fields;   /**< `user_addresses.fields`: "STRUCT.MEMBER" globs of user addresses. */
	bool stable_lock;       /**< A held lock gives user-copy stability. */
	bool stable_self;       /**< A copy primitive whose own body takes a lock is stable. */
	char *tlb_comment;      /**< Prefix of the comment naming who flushes ("TLB:"). */
	struct forbidden_cfg *forbidden; size_t n_forbidden;
	struct strv ev_dirs, ev_exclude, ev_ext; /**< Where evidence tags are read. */
	char *proof_table, *backlog; /**< The two tables' paths as written in the config. */
	char *config_dir;       /**< Absolute directory of the config file. */
	char *proof_table_path, *backlog_path; /**< Absolute: relative to config_dir, or as written. */
	char *waivers;          /**< Waivers file as written in the config, or NULL (none). */
	char *waivers_path;     /**< Absolute waivers path, or NULL. */
	struct strv optional_prims; /**< Primitive names/globs that may match no call. */
	struct rule_cfg *rules; size_t n_rules; /**< Per-rule settings, in the file's order. */
	char *inventory_title;  /**< Title of the inventory page. */
	char *backlog_group;    /**< Heading of a backlog group ("Slice {group}"). */
	struct store_cfg *stores; size_t n_stores; /**< Store patterns. */
	struct state_field_cfg *state_fields; size_t n_state_fields; /**< Field state machines. */
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

/** @brief Deep copy of a config. @param src Config. @param dst Out. */
void config_copy(const struct config *src, struct config *dst);

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
 * @param pat Pattern. @param name Callee. @param args Argument texts (an element may be NULL).
 * @param nargs Count. @param known false when the arguments are unknown (then only patterns
 *        without argument conditions match). @return true on a match.
 */
bool prim_pattern_match_v(const char *pat, const char *name, const char *const *args, size_t nargs, bool known);

/** @brief Is @p machine a field state machine (`transitions.fields[]`)? @return true if so. */
bool config_field_machine(const struct config *cfg, const char *machine);

/** @brief Role of a call, or -1: the first role with a pattern matching name and argument texts. @return Role or -1. */
int config_call_role_v(const struct config *cfg, const char *name, const char *const *args, size_t nargs);

/** @brief Pair of a function that is one of its acquires (+1) or releases (-1), or -1. @param cfg Config.
 *  @param fn Function name. @param dir Out: +1 or -1. @return Pair index. */
int config_pair_of_fn(const struct config *cfg, const char *fn, int *dir);
/** @brief Setting of rule @p id, or NULL. */
const struct rule_cfg *config_rule(const struct config *cfg, const char *id);

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
