/* cli_io.c: the command line's own JSON output (`inventory rules --format json`), so main.c
 * builds no JSON document itself. */
#include "cli_io.h"
#include "check.h"
#include "json_io.h"
#include "util.h"

#include <jansson.h>
#include <stdlib.h>

char *rules_catalog_as_json(void)
{
	json_t *arr = json_array();
	for (const struct rule *r = check_rules; r->id; r++)
		json_array_append_new(arr, json_pack("{s:s,s:s,s:s,s:s}", "id", r->id, "level", r->level, "name",
						     r->title, "help", r->help));
	char *t = json_text(arr);
	json_decref(arr);
	return t;
}
