/* waivers.c: reviewed, justified findings. The config's `waivers` key names a file (schema
 * "capos-waivers/1") of entries {rule, file, function, contains?, reason, by, on}, read by
 * waivers_io.c. A finding an entry matches stays in every report, marked waived with the
 * justification (SARIF: a suppression), and no longer fails `check`. An entry that matches no
 * finding is itself a finding (INV019): the site it waived is gone or fixed, and the waiver must
 * go with it. */
#include "waivers.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

static bool matches(const struct waiver *w, const struct finding *f)
{
	return !strcmp(w->rule, f->rule) && !strcmp(w->file, f->file) && !strcmp(w->function, f->symbol) &&
	       (!w->contains || strstr(f->message, w->contains));
}

size_t waivers_apply(struct waivers *ws, struct findings *f, const char *rel_path)
{
	size_t waived = 0, n = f->n;
	for (size_t i = 0; i < n; i++) {
		struct finding *e = &f->v[i];
		for (size_t k = 0; k < ws->n; k++) {
			struct waiver *w = &ws->v[k];
			if (!matches(w, e))
				continue;
			w->used++;
			e->waived = true;
			e->waiver_reason = xstrdup(w->reason);
			e->waiver_by = xstrdup(w->by);
			e->waiver_on = xstrdup(w->on);
			waived++;
			break;
		}
	}
	for (size_t k = 0; k < ws->n; k++) {
		const struct waiver *w = &ws->v[k];
		if (w->used)
			continue;
		char *msg = xasprintf("waiver of %s in %s%s%s matches no finding (the site is gone or fixed): "
				      "remove it", w->rule, w->file, *w->function ? ", function " : "", w->function);
		struct finding *e = findings_push(f);
		e->rule = xstrdup("INV019");
		e->severity = xstrdup("error");
		e->file = xstrdup(rel_path);
		e->line = w->line;
		e->message = msg;
		e->symbol = xstrdup(w->rule);
		e->tool = xstrdup("inventory");
	}
	return waived;
}

size_t waivers_unwaived(const struct findings *f)
{
	size_t n = 0;
	for (size_t i = 0; i < f->n; i++)
		n += !f->v[i].waived;
	return n;
}

void waivers_free(struct waivers *ws)
{
	for (size_t i = 0; ws->v && i < ws->n; i++) {
		struct waiver *w = &ws->v[i];
		free(w->rule);
		free(w->file);
		free(w->function);
		free(w->contains);
		free(w->reason);
		free(w->by);
		free(w->on);
	}
	free(ws->v);
	free(ws->path);
	memset(ws, 0, sizeof *ws);
}
