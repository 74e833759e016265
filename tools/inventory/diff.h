/**
 * @file
 * @brief `inventory diff OLD NEW`: a Markdown review summary of what changed between two models.
 */
#ifndef INV_DIFF_H
#define INV_DIFF_H

#include "model.h"
#include "proof.h"

/**
 * @brief Render the review summary.
 * @param old_m Old model. @param new_m New model.
 * @param old_eval proof_eval() of the old model, or NULL. @param new_eval Same for the new one.
 * @param changes Out: number of changes found.
 * @return malloc'd Markdown.
 */
char *diff_models(const struct model *old_m, const struct model *new_m, const struct evaluation *old_eval,
		  const struct evaluation *new_eval, int *changes);

#endif
