/**
 * @file
 * @brief Renders the generated documentation pages (Markdown for MyST, Graphviz .dot) from the
 *        model and the evidence evaluation. Output is sorted and has no paths or timestamps, so
 *        committed pages can be diffed.
 */
#ifndef INV_TABLES_H
#define INV_TABLES_H

#include <jansson.h>
#include "config.h"
#include "proof.h"

/**
 * @brief Render every page.
 * @param cfg Config. @param model Model. @param in Evidence. @param eval proof_eval() result.
 * @return Object: file name (relative to the output dir) -> contents.
 */
json_t *tables_render(const struct config *cfg, const struct model *model, const struct evidence_in *in, json_t *eval);

/**
 * @brief Compare rendered pages with a directory.
 * @param pages tables_render() result. @param dir Output dir (absolute or cwd-relative).
 * @param rel_dir The same dir relative to the repository, for the finding locations.
 * @return Array of stale repo-relative paths (missing, different, or not generated).
 */
json_t *tables_stale(json_t *pages, const char *dir, const char *rel_dir);

/**
 * @brief Write pages into a directory, removing generated-looking files it no longer makes.
 * @param pages Pages. @param dir Directory. @return 0, or -1 after printing why.
 */
int tables_write(json_t *pages, const char *dir);

#endif
