/**
 * @file
 * @brief Builds the versioned model (schema "capos-inventory/3") from per-TU facts: symbols by
 *        USR, the call graph with static dispatch tables resolved, transition sites, operations
 *        and what each reaches.
 */
#ifndef INV_MODEL_H
#define INV_MODEL_H

#include "config.h"
#include "util.h"

/** @brief Schema string of the model. */
#define INV_MODEL_SCHEMA "capos-inventory/3"






/* ---- The typed model. JSON appears only in model_io.c (model_read / model_write); every
 * member below is one member of the `capos-inventory/3` file, named as there. Strings are owned
 * by the struct that holds them; NULL is a JSON null (or, for members marked "optional", an
 * absent member). Lines are 1-based source lines. ---- */


/** @brief A list of integers: a CFG node [site, predecessors...] (site: a call's index in
 *         `calls`, -2 for a join (loop head, label), -3 - t for the failure branch of a test of
 *         `fail_vars[t]`; a predecessor is a node's index in `cfg`, or -1 for the function's
 *         entry), or the nodes a return follows. */
struct idxv {
	long long *v;
	size_t n;
};

/**
 * @brief The action that covers a page-table removal or weakening, computed from the paths
 *        (tlbflow.c), never read from a comment.
 */
enum tlb_action {
	TLB_ACT_SHOOTDOWN, /**< A shootdown (or its wait) follows the site on every path to a return. */
	TLB_ACT_LOCAL,     /**< A flush follows on every path, on some only a local one. */
	TLB_ACT_DEFER,     /**< Paths without a flush hand the frames to a deferred free. */
	TLB_ACT_CALLER,    /**< Some path returns unflushed and the function's `TLB:` comment gives
			        the flush to its caller: each caller holds the site (delegated). */
	TLB_ACT_NONE,      /**< Some path returns with the site unflushed and nothing covers it. */
	TLB_ACT_COUNT
};
/** @brief Model spelling of an action ("shootdown"). @param a Action. @return Static string. */
const char *tlb_action_name(enum tlb_action a);

/**
 * @brief A page-table removal or weakening of a function (its own call or store, or one a callee
 *        delegates to it with `TLB: caller`) and the TLB action computed for it.
 * Invariants: I1. open_line is 0 exactly when action is shootdown, local or defer;
 * I2. by lists what covers the site (sorted), empty for caller and none.
 */
struct tlb_site {
	long long line;     /**< Line of the call or store (of the call to `via`). */
	char *name;         /**< The primitive (or store text). */
	char *via;          /**< Callee that delegated it, or NULL for the function's own. */
	enum tlb_action action;
	struct strv by;     /**< Flushes, shootdowns or deferrals that cover it. */
	long long open_line; /**< A return reached with the site unflushed (0: none). */
	long long free_line; /**< A frame free reached while the site is not yet flushed (0: none). */
	char *free_name;     /**< What frees there (the primitive, or the callee), or NULL. */
	bool free_local;     /**< The free at free_line follows only a flush of this CPU (a kernel
				  with shootdown primitives): other CPUs may still cache the entry. */
	bool free_own;       /**< The free at free_line is this function's own: its frame_free call
				  or a helper that only frees (not a callee that unmaps itself). */
	long long unlock_line; /**< A release of a lock taken before the site, reached before the
				    site is flushed on some path (the round runs after the unlock;
				    0: none). Only for a site this function covers. */
};

/** @brief Kind of an ordering event of a function (order.c). */
enum order_kind { ORDER_CLEAR, ORDER_FLUSH, ORDER_FREE, ORDER_DEFER, ORDER_KIND_COUNT };
/** @brief Model spelling of an order kind ("clear"). @param k Kind. @return Static string. */
const char *order_kind_name(enum order_kind k);

/** @brief Something held at +count on a return path (a lock key, a ledger charge). */
struct held { char *key; long long count; };

/** @brief One return path of a function: its value and what it leaves held. */
struct ret_path {
	long long line;
	char *kind;            /**< "void", "success", "error", ... as paths.c classifies it. */
	char *value;           /**< Returned expression text ("" for void). */
	struct held *held; size_t n_held;
	bool has_preds;        /**< preds present (a function's returns; an operation's have none). */
	struct idxv preds;     /**< CFG nodes (indexes into the function's cfg, -1 entry) it follows. */
};

/** @brief A goto label and how many gotos reach it (cleanup code). */
struct label { char *name; long long line, gotos; };

/** @brief A user-copy site and whether the address space is stable across it. */
struct copy {
	char *name; long long line; bool stable;
	char *reason;          /**< Why it is stable, or NULL. */
	char *function, *file; /**< Only in an operation's copies (NULL in a function's). */
};

/** @brief A user address used as kernel memory (INV028): dereferenced, a member or an element
 *         of it read or written, through any cast. */
struct user_deref {
	long long line;
	char *var;   /**< The variable holding the user address (a `__user` parameter, or one a
		          `user_addresses.sources` function filled). */
	char *text;  /**< The expression. */
};

/** @brief (argument position, function USR) passed as a function pointer at a call. */
struct fnref { long long arg; char *usr; };
/** @brief (argument position, parameter index): a parameter handed on at a call. */
struct fwd { long long arg, param; };

/** @brief Optional members of a call that may be absent (bits of call.has). */
enum {
	CALL_HAS_CONSTS = 1u << 0, CALL_HAS_FNREFS = 1u << 1, CALL_HAS_FWD = 1u << 2,
	CALL_HAS_VIA_PARAM = 1u << 3, CALL_HAS_PATTERN = 1u << 4, CALL_HAS_TO = 1u << 5,
	CALL_HAS_INDIRECT = 1u << 6, CALL_HAS_STORE = 1u << 7,
};

/**
 * @brief One call or configured store in a function body, in source order.
 * Invariants: I1. a direct call has name (and usr when declared); I2. an indirect call has
 * indirect and via/via_name or member/type; I3. a store has store, and either role (with
 * pattern) or machine (with to, NULL when not a constant).
 */
struct call {
	unsigned has;            /**< CALL_HAS_* of the optional members present. */
	long long line, col;
	char *name, *usr, *label; /**< Optional: callee name, its USR, enclosing cleanup label. */
	struct strv args;        /**< Argument texts. */
	struct strv consts;      /**< Per argument: the enum constant it names, or NULL. */
	struct fnref *fnrefs; size_t n_fnrefs;
	struct fwd *fwd; size_t n_fwd;
	bool indirect;           /**< Call through a pointer. */
	char *via, *via_name, *member, *type; /**< Optional: how an indirect call is reached. */
	long long via_param;     /**< Parameter called through (CALL_HAS_VIA_PARAM). */
	bool store;              /**< A configured store, not a call. */
	int role;                /**< A store's role (enum role), or -1. */
	long long pattern;       /**< Index of the store pattern (CALL_HAS_PATTERN). */
	char *machine, *to;      /**< A field-state store: machine, state (NULL: not constant). */
	char *ret_var;           /**< Optional: the variable the call's result is assigned to. */
};

/** @brief An indirect call nothing resolved. */
struct unresolved {
	long long line; char *via, *member;
	char *function, *file;   /**< Only in an operation's list. */
};

/** @brief One clear, flush, free or deferred free, in source order; via = callee it came through
 *         (the member `delegated` is written only when true). */
struct order_ev {
	enum order_kind kind; long long line; char *name; int role; char *via;
	bool delegated;  /**< A clear in a callee whose `TLB: caller` hands its flush to this function. */
};

/**
 * @brief A function defined in scope, keyed by the USR of its canonical cursor.
 * Invariants: I1. calls are in source order; I2. callees are sorted USRs.
 */
struct function {
	char *usr, *name, *file; long long line; bool is_static;
	struct strv params, annotations, callees, bounds;
	char *tlb;               /**< Its `TLB:` comment, or NULL. */
	struct call *calls; size_t n_calls;
	struct ret_path *returns; size_t n_returns;
	struct label *labels; size_t n_labels;
	struct copy *copies; size_t n_copies;
	struct user_deref *uderefs; size_t n_uderefs; /**< User addresses used as kernel memory
							   (written only when there are any). */
	struct strv ufields;     /**< `user_addresses.fields` patterns this function reads (sorted;
				      written only when not empty; the config check fails closed on
				      a field no function reads). */
	struct unresolved *unresolved; size_t n_unresolved;
	bool has_order;          /**< Whether order was computed (functions with order events). */
	struct order_ev *order; size_t n_order;
	/** The control-flow graph over calls and stores (paths.c): one node per call or join and
	 *  path state the walker tells apart, each [site, predecessors...]; optional (has_cfg). */
	bool has_cfg;
	struct idxv *cfg; size_t n_cfg;
	/** Variables tested for failure (optional, not empty): a CFG node of site -3 - t is the
	 *  failure branch of a test of fail_vars[t]. */
	struct strv fail_vars;
	struct tlb_site *tlb_sites; size_t n_tlb_sites; /**< Removal sites with computed actions. */
};

/** @brief A function declared, not defined, in scope. */
struct decl { char *usr, *name, *file; long long line; };

/** @brief An enum and its constants. */
struct enum_def { char *name, *file; long long line; struct strv constants; };

/** @brief One entry of a static function-pointer table. */
struct table_entry { char *key, *name, *usr; };
/** @brief A static table of function pointers (a dispatch table). */
struct table { char *usr, *name, *file, *type; long long line; bool is_static;
	       struct table_entry *entries; size_t n_entries; };

/** @brief A transition site: machine:FROM->TO called or stored in a function. */
struct transition { char *id, *machine, *from, *to, *function, *usr, *file; long long line; };

/** @brief A transition call whose states are not constants. */
struct transition_error { char *machine, *function, *usr, *file; long long line; struct strv args; };

/** @brief A state machine: its enum (NULL for a machine known only from transitions). */
struct machine {
	char *name, *enum_name, *file; long long line; bool has_enum;
	struct strv states;
	struct transition *transitions; size_t n_transitions;
};

/** @brief A call site of a primitive, with its role. */
struct prim_site { enum role role; char *name, *function, *usr, *file; long long line, col; struct strv args; };

/** @brief A primitive an operation reaches: role and name ("role:name" in the file). */
struct prim_use { enum role role; char *name; };

/** @brief A cleanup label an operation reaches. */
struct cleanup { char *function, *label, *file; long long line; };

/**
 * @brief An operation (a dispatch-table entry, a function matching an op pattern, a declared
 *        entry point) and everything its paths reach.
 * Invariants: I1. every list is sorted as written (sets sorted by text).
 */
struct operation {
	char *id, *object, *op, *kind, *source, *function, *usr, *file; long long line;
	struct strv reach, reach_usrs, transitions, locks, charges, releases;
	enum role *roles; size_t n_roles;
	struct prim_use *primitives; size_t n_primitives;
	struct unresolved *unresolved; size_t n_unresolved;
	struct cleanup *cleanup; size_t n_cleanup;
	struct copy *copies; size_t n_copies;
	struct ret_path *returns; size_t n_returns;
};

/** @brief A forbidden-role name found in scope (DMA, swap). */
struct presence { char *name, *file, *how; long long line; };
/** @brief All sites of one forbidden role. */
struct present_role { enum role role; struct presence *v; size_t n; };

/**
 * @brief A test that executed an obligation's site in a run (issue 11's witness run fills
 *        these; `scan` writes none).
 */
struct witness {
	char *test;  /**< CTest test (or JUnit case) that executed the site. */
	char *kind;  /**< Optional: how it was measured ("coverage", "kernel-hits", "proof", ...). */
};

/**
 * @brief Mutant of an obligation: the site's call removed and its citing tests run.
 * Invariants: I1. status is "not-run" until the mutation run; then "killed" or "survived";
 * I2. a survivor is accepted only with a written justification.
 */
struct mutant {
	char *status;        /**< "not-run", "killed", "survived". */
	char *key;           /**< Optional: cache key (site and hash of the sources it touches). */
	char *justification; /**< Optional: the reviewed reason a survivor is acceptable. */
};

/**
 * @brief A per-site obligation with a stable ID (function, class, ordinal; never a line).
 * Invariants: I1. id is unique in the model; I2. role is -1 only for transition obligations.
 */
struct obligation {
	char *id, *cls, *function, *file, *site; long long line;
	int role;                /**< enum role of the site, or -1. */
	struct witness *witnesses; size_t n_witnesses;
	struct mutant mutant;
};

/** @brief A function derived to act as an acquire (+1) or release (-1) of a pair. */
struct wrapper { char *pair, *function, *key; long long dir, key_arg; bool has_key_arg; };

/**
 * @brief The whole model. Keyed collections are sorted by key (as the file writes them).
 * Invariants: I1. schema is INV_MODEL_SCHEMA; I2. transitions, transition_errors and
 * primitive_sites are sorted by file, line (and id).
 */
struct model {
	char *schema, *config;
	struct strv tus;
	struct function *functions; size_t n_functions;
	struct decl *decls; size_t n_decls;
	struct enum_def *enums; size_t n_enums;
	struct table *tables; size_t n_tables;
	struct machine *machines; size_t n_machines;
	struct transition *transitions; size_t n_transitions;
	struct transition_error *transition_errors; size_t n_transition_errors;
	struct prim_site *primitive_sites; size_t n_primitive_sites;
	struct operation *operations; size_t n_operations;
	struct present_role *present; size_t n_present;
	struct obligation *obligations; size_t n_obligations;
	bool has_derived_wrappers;
	struct wrapper *derived_wrappers; size_t n_derived_wrappers;
	/** Wrappers found in the last derivation round and not applied (key NULL); optional. */
	bool has_derivation_pending;
	struct wrapper *derivation_pending; size_t n_derivation_pending;
};




/**
 * @brief Link an unlinked model (model.c): per function its callees (indirect calls through
 *        static tables, or through parameters that direct callers pass functions in, resolved),
 *        unresolved indirect calls; the model's transitions, transition errors and primitive sites.
 * @param cfg Config. @param m Model from model_read_facts().
 */
void model_link(const struct config *cfg, struct model *m);

/**
 * @brief The wrappers of a linked model: functions that act as an acquire or release of a pair
 *        with `derive_wrappers` (every return holds exactly one key of it at +1, error returns
 *        nothing; or at -1).
 * @param cfg Config. @param m Model. @param out Out: new array. @param n Out: count.
 */
void model_wrappers_t(const struct config *cfg, const struct model *m, struct wrapper **out, size_t *n);

/**
 * @brief The whole link step on the structs: per-TU facts merged (the first TU that defines a
 *        key wins), linked, ordered, settled, TLB actions computed, derived (model.c).
 * @param cfg Config. @param facts Per-TU facts in TU order. @param n Count. @param out Model.
 */
void model_build_t(const struct config *cfg, const struct model *facts, int n, struct model *out);

/**
 * @brief A copy of @p base whose pairs also list derived wrapper functions (typed).
 * @param base Config. @param w Wrappers (pair, function, dir, key or key_arg). @param n Count.
 * @param out Out: the new config (file_hash of @p base; a hash of its own for the cache).
 */
void config_with_wrappers_t(const struct config *base, const struct wrapper *w, size_t n, struct config *out);

/** @brief Free an array of wrappers. @param w Array. @param n Count. */
void wrappers_free(struct wrapper *w, size_t n);


/**
 * @brief Settle a linked model (model_ops.c): user copies made stable by a self-locking
 *        primitive (`self_locking`), declarations of functions defined in scope dropped, sites
 *        sorted by file and line.
 * @param cfg Config. @param m Linked model.
 */
void model_settle(const struct config *cfg, struct model *m);

/**
 * @brief Derive the state machines, operations (and what each reaches), forbidden-role presence
 *        and per-site obligations of a linked model (model_ops.c).
 * @param cfg Config. @param m Model with functions, decls, enums, tables, transitions and
 *        primitive sites; its machines, operations, present and obligations are replaced.
 */
void model_derive(const struct config *cfg, struct model *m);


/** @brief Deep copy of one TU's facts (tus, functions, decls, enums, tables). @param dst Out. @param src Facts. */
void model_facts_copy(struct model *dst, const struct model *src);
/** @brief Deep copies of single facts. */
void model_function_copy(struct function *dst, const struct function *src);
void model_decl_copy(struct decl *dst, const struct decl *src);
void model_enum_copy(struct enum_def *dst, const struct enum_def *src);
void model_table_copy(struct table *dst, const struct table *src);

/** @brief Free what one function owns (not the struct itself). @param f Function. */
void model_function_free(struct function *f);

/** @brief Free everything a model owns. @param m Model (zeroed after). */
void model_free(struct model *m);

/** @brief Function of a model by USR (binary search), or NULL. */
const struct function *model_function(const struct model *m, const char *usr);

/* ---- Queries on the typed model (model_query.c). ---- */


/** @brief Operation of a model by id (binary search), or NULL. */
const struct operation *model_operation(const struct model *m, const char *id);

/**
 * @brief The operations whose paths reach a transition.
 * @param m Model. @param tid Transition id (`machine:FROM->TO`). @param out Set to fill (sorted).
 */
void model_ops_reaching_t(const struct model *m, const char *tid, struct strv *out);

/**
 * @brief Configuration that matched nothing (fail closed): every primitive name or glob of a
 *        role that is not `forbidden` must match at least one call, unless listed in
 *        `optional_primitives`; every store pattern and state field must match an assignment;
 *        every entry point must name a defined function unless marked `optional`.
 * @param cfg Config. @param m Model built with it.
 * @param out Messages to append, one per unmatched pattern (none when all match).
 */
void model_unmatched(const struct config *cfg, const struct model *m, struct strv *out);

#endif
