/**
 * @file
 * @brief The command line's own JSON edge (cli_io.c): `inventory rules --format json`.
 */
#ifndef INV_CLI_IO_H
#define INV_CLI_IO_H

/**
 * @brief The rule catalog (check_rules) as a JSON array of {id, level, name, help}, as text.
 * @return New text.
 */
char *rules_catalog_as_json(void);

#endif
