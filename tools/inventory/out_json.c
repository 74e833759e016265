/* out_json.c: findings as JSON, in the same schema the Coccinelle runner writes. */
#include "emit.h"
#include "util.h"

char *emit_json(json_t *f, json_t *settings)
{
	json_t *doc = json_pack("{s:s,s:s,s:O}", "schema", "capos-findings/1", "tool", "inventory", "findings", f);
	if (json_array_size(settings))
		json_object_set(doc, "rule_settings", settings);
	char *s = json_text(doc);
	json_decref(doc);
	return s;
}
