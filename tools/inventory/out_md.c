/* out_md.c: findings as a Markdown table (for review comments and job summaries). */
#include "emit.h"

static void esc(struct sbuf *b, const char *s)
{
	for (; s && *s; s++) {
		char c[2] = {*s, 0};
		sb_puts(b, *s == '|' ? "\\|" : *s == '\n' ? " " : c);
	}
}

char *emit_markdown(const struct findings *f, const struct rule_settings *settings)
{
	struct sbuf b = {0};
	sb_printf(&b, "### inventory check: %zu finding(s)\n\n", f->n);
	emit_settings_lines(&b, settings, "- ");
	if (settings->n)
		sb_puts(&b, "\n");
	if (f->n == 0)
		return b.s;
	sb_puts(&b, "| Rule | Location | Message |\n|---|---|---|\n");
	for (size_t i = 0; i < f->n; i++) {
		const struct finding *e = &f->v[i];
		sb_printf(&b, "| `%s` | `%s:%lld` | ", e->rule, e->file, e->line);
		esc(&b, e->message);
		if (e->waived) {
			sb_puts(&b, " (waived by ");
			esc(&b, e->waiver_by);
			sb_printf(&b, " on %s: ", e->waiver_on);
			esc(&b, e->waiver_reason);
			sb_puts(&b, ")");
		}
		sb_puts(&b, " |\n");
	}
	return b.s;
}
