/**
 * @file
 * @brief Turns one parsed translation unit into its facts (functions, calls, return paths,
 *        transition candidates, dispatch tables, enums), typed (struct model's members).
 */
#ifndef INV_VISIT_H
#define INV_VISIT_H

#include "clang_api.h"
#include "config.h"
#include "model.h"

/** @brief State shared by the visitor and the path walker while one TU is visited. */
struct vctx {
	const struct config *cfg; /**< Config. */
	CXTranslationUnit tu;     /**< The TU. */
	struct model *out;        /**< The TU's facts: functions, decls, enums, tables. */
	struct smap fn_ix, decl_ix, enum_ix, table_ix; /**< Key (USR, enum name) -> index in out. */
	struct smap scope;        /**< File path -> index in scope_rel, or -2 (out of scope). */
	struct strv scope_rel;    /**< Repo-relative paths of the files in scope seen so far. */
};

/**
 * @brief Repo-relative file and line of a cursor when the file is in scope.
 * @param v Context. @param c Cursor. @param line Out: line. @param col Out: column (may be NULL).
 * @return Borrowed string, or NULL when the cursor is outside the scan scope.
 */
const char *vis_where(struct vctx *v, CXCursor c, unsigned *line, unsigned *col);

/** @brief Spelling of a cursor (a name). @return malloc'd. */
char *vis_spell(CXCursor c);

/** @brief Token text of a cursor's extent (compact, at most 120 bytes). @return malloc'd. */
char *vis_text(CXTranslationUnit tu, CXCursor c);

/**
 * @brief Text of argument @p arg of @p call. An argument written in the file reads as vis_text();
 * one that exists only inside a macro's body (whose written range is the whole invocation,
 * `LOCK(as)` for `spin_lock(&(as)->lock)`) is written from its AST as vis_text() would have
 * tokenised it (`&as->lock`) when it is made of names, `->`, `.`, `&`, `*` and `[]`, so that a
 * key taken through a macro matches the same key written out; otherwise as vis_text().
 * @return malloc'd.
 */
char *vis_arg_text(CXTranslationUnit tu, CXCursor call, CXCursor arg);

/** @brief Spelling of a binary operator's operator token ("=", "!="). @return malloc'd. */
char *vis_binop(CXTranslationUnit tu, CXCursor c);

/** @brief First child that is not an implicit wrapper (UnexposedExpr, ParenExpr). */
CXCursor vis_strip(CXCursor c);

/** @brief The n-th child of a cursor, or a null cursor. */
CXCursor vis_child(CXCursor c, int n);

/** @brief Number of children of a cursor. */
int vis_nchildren(CXCursor c);

/**
 * @brief User addresses used as kernel memory in one function (uaccess.c, INV028): fills
 *        out->uderefs from the config's `user_addresses` (marker parameters, source functions).
 * @param v Visitor context. @param fn The function's cursor. @param body Its body.
 * @param out The function's facts.
 */
void uaccess_scan(struct vctx *v, CXCursor fn, CXCursor body, struct function *out);

/**
 * @brief Walk a function body: calls in order, return paths with the charge/release pairs
 *        outstanding on each, labels and gotos, user-copy sites and their stability.
 * @param v Context. @param fn FunctionDecl with a body. @param out Function facts to fill
 *        (calls, returns, labels, copies, bounds, cfg, fail_vars; annotations already read).
 */
void paths_walk(struct vctx *v, CXCursor fn, struct function *out);

/**
 * @brief Visit a whole TU into facts (typed; model_write_facts() is their JSON for the cache).
 * @param cfg Config. @param tu Parsed TU. @param out Facts to fill (zeroed first): functions,
 *        decls, enums, tables, each in the order first seen. Free with model_free().
 */
void visit_tu(const struct config *cfg, CXTranslationUnit tu, struct model *out);

#endif
