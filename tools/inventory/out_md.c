/* out_md.c: findings as a Markdown table (for review comments and job summaries). */
#include "emit.h"
#include "util.h"

#include <string.h>

static void esc(struct sbuf *b, const char *s)
{
	for (; s && *s; s++) {
		char c[2] = {*s, 0};
		sb_puts(b, *s == '|' ? "\\|" : *s == '\n' ? " " : c);
	}
}

char *emit_markdown(json_t *f, json_t *settings)
{
	struct sbuf b = {0};
	size_t i;
	json_t *e;
	sb_printf(&b, "### inventory check: %zu finding(s)\n\n", json_array_size(f));
	emit_settings_lines(&b, settings, "- ");
	if (json_array_size(settings))
		sb_puts(&b, "\n");
	if (json_array_size(f) == 0)
		return b.s;
	sb_puts(&b, "| Rule | Location | Message |\n|---|---|---|\n");
	json_array_foreach(f, i, e) {
		sb_printf(&b, "| `%s` | `%s:%lld` | ", json_string_value(json_object_get(e, "rule")),
			  json_string_value(json_object_get(e, "file")),
			  (long long)json_integer_value(json_object_get(e, "line")));
		esc(&b, json_string_value(json_object_get(e, "message")));
		json_t *w = json_object_get(e, "waiver");
		if (w) {
			sb_puts(&b, " (waived by ");
			esc(&b, S(w, "by"));
			sb_printf(&b, " on %s: ", S(w, "on"));
			esc(&b, S(w, "reason"));
			sb_puts(&b, ")");
		}
		sb_puts(&b, " |\n");
	}
	return b.s;
}
