/**
 * @file
 * @brief A small JSON Schema validator over jansson for the subset of draft 2020-12 that
 *        `config.schema.json` uses: `$ref` to `#/$defs/...`, `type`, `enum`, `properties`,
 *        `required`, `additionalProperties` (false or a schema), `items`, `minimum`,
 *        `minLength`. Annotations (`$schema`, `$id`, `title`, `description`, `$defs`) are
 *        ignored. Every problem is reported, not only the first.
 */
#ifndef INV_JSCHEMA_IO_H
#define INV_JSCHEMA_IO_H

/**
 * @brief Called once per problem.
 * @param ctx Caller's context. @param path Where (`pairs[0].key_args[1]`; "" for the root).
 * @param kind One of "unknown", "missing", "type", "enum", "minimum", "minLength".
 * @param msg Human text (what was expected).
 */
typedef void (*jschema_report)(void *ctx, const char *path, const char *kind, const char *msg);

/* JSON-level entry points: for the config's JSON edge (config_io.c) only; files not named
 * *_io.c are compiled with no_json.h (INV_NO_JSON). */
#ifndef INV_NO_JSON
#include <jansson.h>

/**
 * @brief Validate @p inst against @p schema.
 * @param schema Root schema (for `$ref`). @param inst Instance.
 * @param report Callback per problem. @param ctx Passed to @p report.
 * @return Number of problems (0: valid).
 */
int jschema_validate(json_t *schema, json_t *inst, jschema_report report, void *ctx);

/**
 * @brief Keywords of @p schema (at any depth) this validator does not implement, so a schema
 *        that relies on more than the subset is caught by a test instead of silently accepted.
 * @param schema Root schema. @param report Called with the path and the keyword. @param ctx Context.
 * @return Number of unsupported keywords.
 */
int jschema_unsupported(json_t *schema, jschema_report report, void *ctx);

#endif /* INV_NO_JSON */

/**
 * @brief jschema_unsupported() of a schema file.
 * @param path File. @param report Called per unsupported keyword. @param ctx Context.
 * @return Number of unsupported keywords, or -1 when the file cannot be read as JSON (printed).
 */
int jschema_unsupported_file(const char *path, jschema_report report, void *ctx);

/** @brief The config schema compiled into the tool (tools/inventory/config.schema.json). */
extern const char inv_config_schema[];

#endif
