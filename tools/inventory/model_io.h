/**
 * @file
 * @brief The model's JSON edges: model files (model_io.c: read, write, load) and the link step's
 *        input and output (facts_io.c: per-TU facts in, the model document out). Nothing else
 *        in the inventory reads or writes the model as JSON.
 */
#ifndef INV_MODEL_IO_H
#define INV_MODEL_IO_H

#include <jansson.h>
#include "model.h"

/**
 * @brief Link per-TU facts into the model (model_io.c: the facts are read into struct model,
 *        linked, settled and derived on the structs, and written out).
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
 * @brief Read a model document into the typed model (model_io.c, the only JSON edge of the
 *        model). Fails closed: an unknown member, a missing one or one of the wrong type is
 *        refused, never skipped.
 * @param j Parsed document. @param out Model to fill (zeroed first).
 * @return NULL on success, else what is wrong (static text; *out freed).
 */
const char *model_read(json_t *j, struct model *out);

/**
 * @brief Read the per-TU facts of a scan (visit.c's documents, one per TU) into an unlinked
 *        model: tus, functions (the first TU defining a USR wins), decls, enums, tables.
 * @param facts Array of TU fact documents. @param config_hash The config's file hash.
 * @param out Model to fill. @return NULL, or what is wrong (static text; *out freed).
 */
const char *model_read_facts(json_t *facts, const char *config_hash, struct model *out);

/**
 * @brief One TU's facts (visit.c: functions, decls, enums, tables) as the document the per-TU
 *        cache stores and model_read_facts() reads back.
 * @param m Facts of one TU. @return New JSON object.
 */
json_t *model_write_facts(const struct model *m);

/**
 * @brief model_read() of the link step's document (model.c): machines, operations, present and
 *        obligations may be absent (model_ops.c derives them on the structs).
 * @param j Document. @param out Model. @return NULL, or what is wrong.
 */
const char *model_read_linked(json_t *j, struct model *out);

/**
 * @brief The model as a JSON document (model_io.c): the inverse of model_read, so
 *        model_write(model_read(j)) equals j member for member.
 * @param m Model. @return New JSON object.
 */
json_t *model_write(const struct model *m);

#endif
