/**
 * @file
 * @brief Reads compile_commands.json into the translation units the inventory parses.
 */
#ifndef INV_CDB_H
#define INV_CDB_H

#include "config.h"

/** @brief One translation unit to parse. */
struct tu {
	char *file;   /**< Absolute path. */
	char *rel;    /**< Repository-relative path. */
	char **args;  /**< Compiler arguments for libclang (absolute paths, no -c/-o/file). */
	int nargs;    /**< Count of @ref args. */
};

/**
 * @brief Load the in-scope entries of a compile database.
 * @param path compile_commands.json.
 * @param cfg Config (scope).
 * @param out Out: array of TUs, sorted by @ref tu::rel. @param n Out: count.
 * @return 0, or -1 after printing why (missing or malformed database, or no entry in scope).
 */
int cdb_load(const char *path, const struct config *cfg, struct tu **out, int *n);

/** @brief Free what cdb_load returned. @param tus Array. @param n Count. */
void cdb_free(struct tu *tus, int n);

#endif
