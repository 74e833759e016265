/**
 * @file
 * @brief The config's JSON edge that callers holding JSON use: the config with derived wrapper
 *        functions (config_load() itself is declared in config.h).
 */
#ifndef INV_CONFIG_IO_H
#define INV_CONFIG_IO_H

#include <jansson.h>
#include "config.h"

/**
 * @brief A copy of @p base whose pairs also list derived wrapper functions.
 * @param base Loaded config. @param derived [{pair, function, dir (+1/-1), key, key_arg?}] from
 *        model_wrappers(). @param out Out: the new config (file_hash of @p base; a hash of its
 *        own for the per-TU cache).
 * @return 0.
 */
int config_with_wrappers(const struct config *base, json_t *derived, struct config *out);

#endif
