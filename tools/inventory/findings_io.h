/**
 * @file
 * @brief The findings' JSON edge for the other JSON writers (findings_io.c): one finding, and a
 *        site finding's witnesses, as JSON values.
 */
#ifndef INV_FINDINGS_IO_H
#define INV_FINDINGS_IO_H

#include <jansson.h>
#include "findings.h"

/** @brief One finding as the JSON format writes it (only the members it has; see findings.h).
 * @param e Finding. @return New object. */
json_t *finding_to_json(const struct finding *e);

/** @brief A site finding's witnesses as a JSON array of test names. @param e Finding. @return New array. */
json_t *findings_witnesses_json(const struct finding *e);

#endif
