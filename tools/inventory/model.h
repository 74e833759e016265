/**
 * @file
 * @brief Builds the versioned model (schema "capos-inventory/2") from per-TU facts: symbols by
 *        USR, the call graph with static dispatch tables resolved, transition sites, operations
 *        and what each reaches.
 */
#ifndef INV_MODEL_H
#define INV_MODEL_H

#include <jansson.h>
#include "config.h"

/** @brief Schema string of the model. */
#define INV_MODEL_SCHEMA "capos-inventory/2"

/**
 * @brief Link per-TU facts into the model.
 * @param cfg Config. @param facts Array from scan_tus().
 * @return New model object (never NULL).
 */
json_t *model_build(const struct config *cfg, json_t *facts);

/**
 * @brief Load a model file and check its schema.
 * @param path File. @return Model, or NULL after printing why.
 */
json_t *model_load(const char *path);

/**
 * @brief Whether a model has the members check, tables and diff read, with their types. A model
 *        is written by `inventory scan`; one edited by hand, cut short or read back from a
 *        damaged cache is refused, not crashed on later.
 * @param m Parsed model (its schema already checked).
 * @return NULL when sound, else what is wrong (static text).
 */
const char *model_unsound(json_t *m);

/**
 * @brief Functions that act as an acquire or release of a pair with `derive_wrappers`: every
 *        return holds exactly one key of it at +1 (error returns: nothing), or at -1.
 * @param cfg Config the model was built with. @param m Model.
 * @return New array [{pair, function, dir, key, key_arg?}] (empty when there are none).
 */
json_t *model_wrappers(const struct config *cfg, json_t *m);

/**
 * @brief The operations whose paths reach a transition.
 * @param m Model. @param tid Transition id (`machine:FROM->TO`).
 * @return New sorted array of operation ids (empty when none).
 */
json_t *model_ops_reaching(json_t *m, const char *tid);

/**
 * @brief Configuration that matched nothing (fail closed): every primitive name or glob of a
 *        role that is not `forbidden` must match at least one call, unless listed in
 *        `optional_primitives`; every entry point must name a defined function unless marked
 *        `optional`.
 * @param cfg Config. @param m Model built with it.
 * @return New array of messages, one per unmatched pattern (empty when all match).
 */
json_t *model_unmatched(const struct config *cfg, json_t *m);

/** @brief Sorted array of the keys of a JSON object used as a set. @param set Object. @return New array. */
json_t *set_to_array(json_t *set);

#endif
