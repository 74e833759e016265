/**
 * @file
 * @brief The proof table (schema "capos-proof-table/1") and the backlog (schema
 *        "capos-backlog/1") as typed structs, and their JSON edge (proof_io.c): both files are
 *        read, validated (every problem printed, fail closed on an unknown, missing or mistyped
 *        member) and handed to the evaluation (proof.c) as the structs below.
 */
#ifndef INV_PROOF_IO_H
#define INV_PROOF_IO_H

#include <stdbool.h>
#include <stddef.h>
#include "util.h"

/** @brief How an evidence kind is measured (the proof table's `kinds[].level`). */
enum kind_level {
	LEVEL_SITE,     /**< A test run: counts for a site only if its witness executed the site. */
	LEVEL_STATIC,   /**< A static rule run (Coccinelle): counts for a site only if its match
			     record (a witness file) shows the site; never by its pass alone. */
	LEVEL_FUNCTION, /**< A proof of C code: counts for sites in the files it proves. */
	LEVEL_DESIGN,   /**< A model of a design (spin): counts for backlog items only. */
	LEVEL_RUN,      /**< A check whose pass is the evidence (docs, inventory): backlog items only. */
};

/** @brief Name of a level as the proof table writes it ("site", ...). @param l Level. @return Static string. */
const char *kind_level_name(enum kind_level l);

/**
 * @brief One evidence kind. A test is of the first kind whose `tests` globs match its name or
 *        whose `labels` globs match one of its CTest labels.
 * Invariant: a kind written as a bare string, or without labels and tests, has labels [id].
 */
struct proof_kind {
	char *id;              /**< Kind name ("qemu"). */
	enum kind_level level; /**< How it is measured. */
	struct strv labels;    /**< CTest label globs. */
	struct strv tests;     /**< Test name globs. */
};

/** @brief A requirement: every clause must be met by one counting citation of a kind it lists. */
struct clauses {
	struct strv *v;        /**< Clauses; each a non-empty list of kind IDs. */
	size_t n;              /**< Count. */
};

/**
 * @brief One class of the proof table.
 * Invariants: I1. every kind of accepts (or, without accepts, of requires) is a kind of the
 * table of level site, static or function; I2. with accepts, every kind of requires is in it.
 */
struct proof_class {
	char *id;                /**< Class name. */
	struct clauses requires; /**< What each site of the class needs. */
	bool has_accepts;        /**< accepts was given (else every kind with an ID counts). */
	struct strv accepts;     /**< Kinds whose citations count for the class's sites. */
	long long witnesses;     /**< Distinct witnessing tests each site needs (1 when not given). */
	struct strv runs;        /**< Tests that must pass (whole-kernel checks). */
};

/** @brief One `assign` rule: the first that matches an edge gives it its class. */
struct proof_assign {
	bool has_machines;       /**< when.machines was given (else every machine matches). */
	struct strv machines;    /**< Machine name globs. */
	struct strv roles_all;   /**< Roles that must all be around the edge ("a|b": either). */
	char *class_id;          /**< The class named. */
	long cls;                /**< Index of the first class with that ID, or -1 (the rule never applies). */
};

/** @brief The proof table. */
struct proof_table {
	struct proof_kind *kinds;     size_t n_kinds;    /**< Kinds, in the file's order. */
	struct proof_class *classes;  size_t n_classes;  /**< Classes, in the file's order. */
	struct proof_assign *assign;  size_t n_assign;   /**< Assign rules, in order. */
	bool witnessed;          /**< Citations count for a site only with a witness of it. */
	char *witness_summary;   /**< The summary file as written (relative to the table), or NULL. */
};

/** @brief One backlog item. Invariant: IDs are unique in the backlog. */
struct backlog_item {
	char *id;                /**< Stable ID ("MAM-A1"). */
	char *slice;             /**< Group of the item, or NULL. */
	char *title;             /**< Title, or NULL. */
	struct clauses requires; /**< Evidence clauses. */
	bool has_transitions;    /**< transitions was given (then it must cover a transition). */
	struct strv transitions; /**< Globs over transition IDs that must be proven. */
	struct strv inventory;   /**< Globs that must each match a transition of the model. */
	struct strv files;       /**< Globs over the files of the item's code. */
	struct strv exit;        /**< Exit criteria (a string given alone is one, when not empty). */
};

/** @brief The backlog: items in the file's order. */
struct backlog {
	struct backlog_item *items;  /**< Items. */
	size_t n_items;              /**< Count. */
};

/**
 * @brief Read and validate the proof table and the backlog. Both files are read first (an
 *        unreadable one or a wrong schema is reported for each), then every problem of each is
 *        printed (unknown keys, malformed kinds, classes, assign rules and items).
 * @param pt_path Proof table file. @param pt_rel Its name as the config writes it (messages).
 * @param bl_path Backlog file. @param bl_rel Its name as the config writes it.
 * @param pt Out: the proof table. @param bl Out: the backlog (both zeroed on failure).
 * @return 0, or -1 after printing why.
 */
int proof_files_read(const char *pt_path, const char *pt_rel, const char *bl_path, const char *bl_rel,
		     struct proof_table *pt, struct backlog *bl);

/** @brief A kind by ID, or NULL. @param pt Proof table. @param id Kind ID. @return Borrowed. */
const struct proof_kind *proof_kind_get(const struct proof_table *pt, const char *id);

/** @brief An item by ID, or NULL. @param bl Backlog. @param id Item ID. @return Borrowed. */
const struct backlog_item *backlog_item_get(const struct backlog *bl, const char *id);

/** @brief Free a proof table (zeroed after). @param pt Table. */
void proof_table_free(struct proof_table *pt);

/** @brief Free a backlog (zeroed after). @param bl Backlog. */
void backlog_free(struct backlog *bl);

#endif
