/* out_text.c: findings for a terminal or a log, one per line, compiler style. */
#include "emit.h"
#include "util.h"

char *emit_text(json_t *f)
{
	struct sbuf b = {0};
	size_t i;
	json_t *e;
	sb_puts(&b, "");
	json_array_foreach(f, i, e)
		sb_printf(&b, "%s:%lld: %s: %s: %s\n", json_string_value(json_object_get(e, "file")),
			  (long long)json_integer_value(json_object_get(e, "line")),
			  json_string_value(json_object_get(e, "severity")),
			  json_string_value(json_object_get(e, "rule")),
			  json_string_value(json_object_get(e, "message")));
	sb_printf(&b, "inventory check: %zu finding(s)\n", json_array_size(f));
	return b.s;
}
