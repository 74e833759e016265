/**
 * @file
 * @brief Renders the generated documentation pages (Markdown for MyST, Graphviz .dot) from the
 *        model and the evidence evaluation. Output is sorted and has no paths or timestamps, so
 *        committed pages can be diffed.
 */
#ifndef INV_TABLES_H
#define INV_TABLES_H

#include "config.h"
#include "proof.h"

/** @brief One generated page: its file name (relative to the output dir) and contents. */
struct page {
	char *path;  /**< File name ("machine-vpage.md", "vpage.dot", "index.md", ...). */
	char *text;  /**< Contents. */
};

/** @brief The generated pages, in the order they are rendered. Invariant: paths unique. */
struct pages {
	struct page *v;  /**< Pages. */
	size_t n;        /**< Count. */
};

/**
 * @brief Render every page.
 * @param cfg Config. @param model Model. @param in Evidence. @param eval proof_eval() result.
 * @param pages Out: the pages (pages_free).
 */
void tables_render(const struct config *cfg, const struct model *model, const struct evidence_in *in,
		   const struct evaluation *eval, struct pages *pages);

/** @brief Free a page set (zeroed after). @param pages Pages. */
void pages_free(struct pages *pages);

/**
 * @brief Compare rendered pages with a directory.
 * @param pages tables_render() result. @param dir Output dir (absolute or cwd-relative).
 * @param rel_dir The same dir relative to the repository, for the finding locations.
 * @param out Out: the stale repo-relative paths (missing, different, or not generated), sorted.
 */
void tables_stale(const struct pages *pages, const char *dir, const char *rel_dir, struct strv *out);

/**
 * @brief Write pages into a directory, removing generated-looking files it no longer makes.
 * @param pages Pages. @param dir Directory. @return 0, or -1 after printing why.
 */
int tables_write(const struct pages *pages, const char *dir);

#endif
