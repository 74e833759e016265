/* out_text.c: findings for a terminal or a log, one per line, compiler style. */
#include "emit.h"

void emit_settings_lines(struct sbuf *b, const struct rule_settings *settings, const char *prefix)
{
	for (size_t i = 0; i < settings->n; i++) {
		const struct rule_setting *e = &settings->v[i];
		if (!e->enabled)
			sb_printf(b, "%srule %s switched off by the config (%lld finding(s) not reported): %s\n", prefix,
				  e->rule, e->suppressed, e->reason);
		else if (e->severity)
			sb_printf(b, "%srule %s reported as %s by the config: %s\n", prefix, e->rule, e->severity, e->reason);
		else
			sb_printf(b, "%srule %s configured: %s\n", prefix, e->rule, e->reason);
	}
}

char *emit_text(const struct findings *f, const struct rule_settings *settings)
{
	struct sbuf b = {0};
	sb_puts(&b, "");
	emit_settings_lines(&b, settings, "inventory: ");
	size_t waived = 0;
	for (size_t i = 0; i < f->n; i++) {
		const struct finding *e = &f->v[i];
		sb_printf(&b, "%s:%lld: %s: %s: %s", e->file, e->line, e->waived ? "waived" : e->severity, e->rule,
			  e->message);
		if (e->waived)
			sb_printf(&b, " [waived by %s on %s: %s]", e->waiver_by, e->waiver_on, e->waiver_reason);
		sb_puts(&b, "\n");
		waived += e->waived;
	}
	if (waived)
		sb_printf(&b, "inventory check: %zu finding(s), %zu waived\n", f->n - waived, waived);
	else
		sb_printf(&b, "inventory check: %zu finding(s)\n", f->n);
	return b.s;
}
