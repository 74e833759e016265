/* out_text.c: findings for a terminal or a log, one per line, compiler style. */
#include "emit.h"
#include "util.h"

void emit_settings_lines(struct sbuf *b, json_t *settings, const char *prefix)
{
	size_t i;
	json_t *e;
	json_array_foreach(settings, i, e) {
		if (json_is_false(json_object_get(e, "enabled")))
			sb_printf(b, "%srule %s switched off by the config (%lld finding(s) not reported): %s\n", prefix,
				  S(e, "rule"), I(e, "suppressed"), S(e, "reason"));
		else if (S(e, "severity"))
			sb_printf(b, "%srule %s reported as %s by the config: %s\n", prefix, S(e, "rule"),
				  S(e, "severity"), S(e, "reason"));
		else
			sb_printf(b, "%srule %s configured: %s\n", prefix, S(e, "rule"), S(e, "reason"));
	}
}

char *emit_text(json_t *f, json_t *settings)
{
	struct sbuf b = {0};
	size_t i;
	json_t *e;
	sb_puts(&b, "");
	emit_settings_lines(&b, settings, "inventory: ");
	size_t waived = 0;
	json_array_foreach(f, i, e) {
		json_t *w = json_object_get(e, "waiver");
		sb_printf(&b, "%s:%lld: %s: %s: %s", json_string_value(json_object_get(e, "file")),
			  (long long)json_integer_value(json_object_get(e, "line")),
			  w ? "waived" : json_string_value(json_object_get(e, "severity")),
			  json_string_value(json_object_get(e, "rule")),
			  json_string_value(json_object_get(e, "message")));
		if (w)
			sb_printf(&b, " [waived by %s on %s: %s]", S(w, "by"), S(w, "on"), S(w, "reason"));
		sb_puts(&b, "\n");
		waived += w != NULL;
	}
	if (waived)
		sb_printf(&b, "inventory check: %zu finding(s), %zu waived\n", json_array_size(f) - waived, waived);
	else
		sb_printf(&b, "inventory check: %zu finding(s)\n", json_array_size(f));
	return b.s;
}
