/**
 * @file
 * @brief Joins the model with evidence: which proof-table class each transition belongs to,
 *        which evidence kinds it still lacks, and the status of every backlog item.
 */
#ifndef INV_PROOF_H
#define INV_PROOF_H

#include "config.h"
#include "evidence.h"
#include "proof_io.h"
#include "witness_io.h"

struct model;

/** @brief Everything the evaluation reads. */
struct evidence_in {
	struct proof_table proof;    /**< proof-table.json (proof_files_read). */
	struct backlog backlog;      /**< backlog.json. */
	struct ev_tags tags;         /**< evidence_tags(). */
	struct ctest_list tests;     /**< ctest_tests(). */
	bool have_tests;             /**< The CTest list was read (else every test counts as known). */
	struct test_results junit;   /**< junit_merge() of every --junit (CTest's and the
					  per-kernel-test file), loaded = false when none was given. */
	bool declared;   /**< Evaluate declarations only: a cited test that exists counts, whatever
			      its result, and witnesses come from the committed summary (the
			      generated pages, so they do not change with a run; `check` judges the
			      live run with INV001/INV004/INV020). */
	bool witnessed;  /**< The proof table's `witnessed`: a citation counts for a site only when
			      the cited test's witness shows the site executed. */
	struct witness_set wit;      /**< The live run's witness files (`--witness-dir`). */
	struct witness_summary sum;  /**< The committed summary the pages render from. */
	char *summary_path;          /**< Absolute path of the summary (proof table's
					  `witness_summary`), or NULL. */
};

/**
 * @brief Load and validate the proof table and the backlog named by the config.
 * @param cfg Config. @param in Out: proof and backlog set.
 * @return 0, or -1 after printing why (unreadable, wrong schema, unknown key, bad class).
 */
int proof_load(const struct config *cfg, struct evidence_in *in);

/** @brief One test's citation of an ID (its `@proves` tags, one per test), as judged. The
 *         strings and pointers are borrowed from the evidence_in the evaluation was made from. */
struct citation {
	const char *test;             /**< Test name. */
	const char *file;             /**< File and line of its first tag. */
	long long line;               /**< Line of that tag. */
	const struct strv *labels;    /**< CTest labels (a kernel test: of the CTest test it ran
					   under), or NULL when CTest does not know the test. */
	const struct proof_kind *kind;/**< Its kind, or NULL when no kind matches. */
	const char *status;           /**< proof_test_status(). */
	bool accepted;       /**< Sites and edges: the class accepts its kind (never design or run). */
	bool witnessed;      /**< Sites and items: it executed the site or the item's code (a proof:
				  proves its file). */
	bool counts;         /**< Sites and items: accepted (sites), witnessed, and its result counts. */
	long long sites_witnessed;  /**< Edges: how many of the edge's sites it witnessed. */
};

/** @brief Level of a citation's kind, or -1 when it has none. */
static inline int citation_level(const struct citation *c) { return c->kind ? (int)c->kind->level : -1; }

/** @brief The evaluation of one transition site (strings borrowed from the model). */
struct site_eval {
	const char *function, *file;  /**< Function holding the site, and its file. */
	long long line;               /**< Line of the site. */
	const char *obligation;       /**< The site's transition obligation, or NULL. */
	struct strv witnesses;        /**< Passing tests that executed the site (proof_fill_witnesses). */
	struct citation *evidence;    /**< The edge's citations as they count at this site. */
	size_t n_evidence;            /**< Count. */
	struct strv missing;          /**< What the class still requires here ("qemu", "fuzz|proof"). */
	bool proven;                  /**< Nothing is missing. */
};

/** @brief The evaluation of one transition edge (`machine:FROM->TO`) over all its sites. */
struct edge_eval {
	const char *id;               /**< Edge ID (borrowed from the model). */
	const struct proof_class *cls;/**< Its class (first matching assign rule), or NULL. */
	struct citation *evidence;    /**< Citations of the edge (accepted, sites_witnessed). */
	size_t n_evidence;            /**< Count. */
	struct site_eval *sites;      /**< One per site, in the model's order. */
	size_t n_sites;               /**< Count. */
	struct strv missing;          /**< Union of the sites' missing, in first-seen order. */
	bool proven;                  /**< Every site is proven. */
};

/** @brief Status of a backlog item. */
enum item_status { ITEM_OPEN, ITEM_PARTIAL, ITEM_DONE, ITEM_FAILING };

/** @brief Name of a status ("open", "partial", "done", "failing"). @param s Status. @return Static string. */
const char *item_status_name(enum item_status s);

/** @brief The evaluation of one backlog item. */
struct item_eval {
	const struct backlog_item *item;  /**< The item (borrowed). */
	enum item_status status;          /**< From the missing list and the citations. */
	struct citation *evidence;        /**< Citations of the item (witnessed, counts). */
	size_t n_evidence;                /**< Count. */
	struct strv missing;              /**< What it still needs. */
	struct strv covered;              /**< Edges its transitions globs cover. */
	size_t sites;                     /**< Sites of its code (transitions, inventory, files). */
	size_t code_functions;            /**< Functions in the files its files globs name. */
};

/** @brief One `@proves` tag: whether its file is one of the cited test's own sources. */
struct tag_eval {
	const char *test, *file;  /**< Test cited and the file of the tag (borrowed). */
	long long line;           /**< Line of the tag. */
	bool known;               /**< The test has source information (CTest backtrace or witness). */
	bool own;                 /**< The file is one of the test's own sources. */
};

/** @brief The evaluation of the evidence against a model. It borrows from the model and the
 *         evidence_in it was made from: free it before them. */
struct evaluation {
	struct edge_eval *edges;  /**< Edges, in the order of their first site. */
	size_t n_edges;           /**< Count. */
	struct item_eval *items;  /**< Backlog items, in the backlog's order. */
	size_t n_items;           /**< Count. */
	struct tag_eval *tags;    /**< Tags, in evidence_tags() order. */
	size_t n_tags;            /**< Count. */
};

/**
 * @brief Evaluate evidence against the model.
 * @param cfg Config. @param model Model. @param in Evidence. @param out Out: the evaluation.
 */
void proof_eval(const struct config *cfg, const struct model *model, const struct evidence_in *in,
		struct evaluation *out);

/** @brief Free an evaluation (zeroed after). @param ev Evaluation. */
void evaluation_free(struct evaluation *ev);

/** @brief The evaluation of an edge, or NULL. @param ev Evaluation. @param id Edge ID. @return Borrowed. */
const struct edge_eval *evaluation_edge(const struct evaluation *ev, const char *id);

/** @brief The evaluation of a backlog item, or NULL. @param ev Evaluation. @param id Item ID. @return Borrowed. */
const struct item_eval *evaluation_item(const struct evaluation *ev, const char *id);

/**
 * @brief Fill every obligation's `witnesses`: the tests that executed its site line and passed
 *        (live run when witnesses were loaded and not declared; else the committed summary).
 * @param m Model. @param in Evidence.
 */
void proof_fill_witnesses(struct model *m, const struct evidence_in *in);

/**
 * @brief The witness summary of a model whose witnesses were filled from a live run.
 * @param m Model. @param in Evidence (for the CTest test each kernel test ran under).
 * @param out Summary to fill (sorted).
 */
void proof_make_summary(const struct model *m, const struct evidence_in *in, struct witness_summary *out);

/** @brief Whether a test is known: a CTest test, a JUnit case, or a witness's test. */
bool proof_test_known(const struct evidence_in *in, const char *test);

/** @brief Free what proof_load and the witness loading filled. @param in Evidence. */
void proof_in_free(struct evidence_in *in);

/**
 * @brief Status of one test as evidence: "passed", "failed", "skipped", "not run",
 *        "unknown" (no JUnit given) or "declared" (declared mode).
 * @param in Evidence. @param test Name. @return Static string.
 */
const char *proof_test_status(const struct evidence_in *in, const char *test);

#endif
