/**
 * @file
 * @brief The model's JSON edge (model_io.c): model files (read, write, load), per-TU facts
 *        documents and derived wrapper lists. Nothing else in the inventory reads or writes the
 *        model as JSON (shard files: shard_io.c, through these).
 */
#ifndef INV_MODEL_IO_H
#define INV_MODEL_IO_H

#include "model.h"

/**
 * @brief Load a model file into the typed model: its schema checked, read fail-closed
 *        (model_read()).
 * @param path File. @param out Model (zeroed first; free with model_free()).
 * @return 0, or -1 after printing why (*out empty).
 */
int model_load(const char *path, struct model *out);

/**
 * @brief A model as the text `inventory scan` writes (model_write(), keys sorted, indented).
 * @param m Model. @return New text.
 */
char *model_text(const struct model *m);

/* The JSON-level entry points below are for the other JSON edges only (shard_io.c, cache_io.c):
 * every file not named *_io.c is compiled with no_json.h, which defines INV_NO_JSON. */
#ifndef INV_NO_JSON
#include <jansson.h>

/**
 * @brief Whether a model has the members check, tables and diff read, with their types. A model
 *        is written by `inventory scan`; one edited by hand, cut short or read back from a
 *        damaged cache is refused, not crashed on later.
 * @param m Parsed model (its schema already checked).
 * @return NULL when sound, else what is wrong (static text).
 */
const char *model_unsound(json_t *m);

/**
 * @brief Read a model document into the typed model (model_io.c, the only JSON edge of the
 *        model). Fails closed: an unknown member, a missing one or one of the wrong type is
 *        refused, never skipped.
 * @param j Parsed document. @param out Model to fill (zeroed first).
 * @return NULL on success, else what is wrong (static text; *out freed).
 */
const char *model_read(json_t *j, struct model *out);

/**
 * @brief Read one TU's facts document (model_write_facts(), with "tu") into a model holding only
 *        tus (the TU), functions, decls, enums and tables, each sorted by key. Thread-safe.
 * @param doc Document. @param out Facts to fill. @return NULL, or what is wrong (*out freed).
 */
const char *model_read_tu_facts(json_t *doc, struct model *out);

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

/**
 * @brief Read derived wrappers ([{pair, function, dir, key, key_arg?}], as a model's
 *        `derived_wrappers` and `merge --wrappers-out` write them). Fails closed like model_read.
 * @param a Array. @param out Out: new array (free with wrappers_free()). @param n Out: count.
 * @return NULL, or what is wrong (static text; nothing returned).
 */
const char *model_read_wrappers(json_t *a, struct wrapper **out, size_t *n);

/** @brief Derived wrappers as JSON (the inverse of model_read_wrappers()). @param w Wrappers.
 *  @param n Count. @return New JSON array. */
json_t *model_write_wrappers(const struct wrapper *w, size_t n);

#endif /* INV_NO_JSON */

#endif
