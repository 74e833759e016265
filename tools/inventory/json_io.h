/**
 * @file
 * @brief JSON helpers of the inventory's edges (json_io.c): reading a file, deterministic text,
 *        load errors, member access. Only the `*_io.c` files include it (every other source
 *        is compiled with no_json.h, which refuses jansson).
 */
#ifndef INV_JSON_IO_H
#define INV_JSON_IO_H

#include <jansson.h>
#include <stdbool.h>

/**
 * @brief json_load_file without jansson's per-character reads (one read, then parse).
 * @param path File. @param flags jansson flags. @param err Out: error.
 * @return New value, or NULL (err filled).
 */
json_t *json_read_file(const char *path, size_t flags, json_error_t *err);

/** @brief Serialize JSON deterministically (sorted keys, 2-space indent, trailing newline).
 * @param j Value. @return malloc'd text. */
char *json_text(json_t *j);

/** @brief String member @p k of object @p o, or NULL (the one definition; used everywhere).
 * @param o Object (may be NULL). @param k Key. @return Borrowed string or NULL. */
static inline const char *S(json_t *o, const char *k) { return json_string_value(json_object_get(o, k)); }
/** @brief Integer member @p k of @p o, or 0. @param o Object. @param k Key. @return Value. */
static inline long long I(json_t *o, const char *k) { return (long long)json_integer_value(json_object_get(o, k)); }

/**
 * @brief Print why a JSON input could not be read: `inventory: cannot read WHAT 'PATH': line N:
 *        REASON` (the line only when jansson knows one, i.e. not for a missing file).
 * @param what Kind of input ("model", "config", ...). @param path File. @param err From jansson.
 */
void json_load_error(const char *what, const char *path, const json_error_t *err);

#endif
