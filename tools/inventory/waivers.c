/* waivers.c: reviewed, justified findings. The config's `waivers` key names a file (schema
 * "capos-waivers/1") of entries {rule, file, function, contains?, reason, by, on}. A finding an
 * entry matches stays in every report, marked waived with the justification (SARIF: a
 * suppression), and no longer fails `check`. An entry that matches no finding is itself a
 * finding (INV019): the site it waived is gone or fixed, and the waiver must go with it. The
 * file is read at this one edge into typed entries; a malformed file fails closed (exit 2). */
#include "waivers.h"
#include "util.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const keys[] = {"rule", "file", "function", "contains", "reason", "by", "on", NULL};

static bool is_date(const char *s)
{
	static const char shape[] = "dddd-dd-dd";
	if (strlen(s) != sizeof shape - 1)
		return false;
	for (size_t i = 0; shape[i]; i++)
		if (shape[i] == 'd' ? !isdigit((unsigned char)s[i]) : s[i] != shape[i])
			return false;
	return true;
}

/* Line of the idx-th entry: the line of the idx-th "rule" key in the text (entries are objects
 * with exactly one "rule" each, so this is exact for any layout). 1 when not found. */
static int entry_line(const char *text, size_t idx)
{
	const char *p = text;
	for (size_t k = 0; p && (p = strstr(p, "\"rule\"")); k++, p++)
		if (k == idx) {
			int line = 1;
			for (const char *q = text; q < p; q++)
				line += *q == '\n';
			return line;
		}
	return 1;
}

static int entry_problem(const char *path, size_t i, const char *what)
{
	fprintf(stderr, "%s: waivers[%zu]: %s\n", path, i, what);
	return -1;
}

/* One entry -> w; -1 after printing every problem of it. */
static int read_entry(const char *path, size_t i, json_t *e, struct waiver *w)
{
	int bad = 0;
	const char *k;
	json_t *v;
	if (!json_is_object(e))
		return entry_problem(path, i, "not an object");
	json_object_foreach(e, k, v) {
		bool known = false;
		for (size_t j = 0; keys[j]; j++)
			known |= !strcmp(k, keys[j]);
		if (!known) {
			char *m = xasprintf("unknown key '%s'", k);
			bad |= entry_problem(path, i, m);
			free(m);
		} else if (!json_is_string(v)) {
			char *m = xasprintf("'%s' must be a string", k);
			bad |= entry_problem(path, i, m);
			free(m);
		}
	}
	for (size_t j = 0; keys[j]; j++) {
		const char *s = json_string_value(json_object_get(e, keys[j]));
		bool optional = !strcmp(keys[j], "contains") || !strcmp(keys[j], "function");
		if (!optional && (!s || !*s)) {
			char *m = xasprintf("needs a non-empty '%s'", keys[j]);
			bad |= entry_problem(path, i, m);
			free(m);
		}
	}
	if (!json_object_get(e, "function"))
		bad |= entry_problem(path, i, "needs 'function' (\"\" for a finding outside any function)");
	const char *on = json_string_value(json_object_get(e, "on"));
	if (on && *on && !is_date(on))
		bad |= entry_problem(path, i, "'on' must be a date YYYY-MM-DD");
	if (bad)
		return -1;
	w->rule = xstrdup(S(e, "rule"));
	w->file = xstrdup(S(e, "file"));
	w->function = xstrdup(S(e, "function"));
	w->contains = S(e, "contains") ? xstrdup(S(e, "contains")) : NULL;
	w->reason = xstrdup(S(e, "reason"));
	w->by = xstrdup(S(e, "by"));
	w->on = xstrdup(S(e, "on"));
	w->used = 0;
	return 0;
}

int waivers_load(const char *path, struct waivers *out)
{
	json_error_t err;
	memset(out, 0, sizeof *out);
	char *text = read_file(path, NULL);
	json_t *j = text ? json_loads(text, 0, &err) : NULL;
	if (!text) {
		fprintf(stderr, "inventory: cannot read waivers file '%s'\n", path);
		return -1;
	}
	if (!j) {
		json_load_error("waivers file", path, &err);
		free(text);
		return -1;
	}
	json_t *arr = json_object_get(j, "waivers");
	if (!json_is_object(j) || !S(j, "schema") || strcmp(S(j, "schema"), WAIVERS_SCHEMA) != 0 ||
	    !json_is_array(arr)) {
		fprintf(stderr, "%s: a waivers file is an object with schema \"%s\" and a \"waivers\" array\n",
			path, WAIVERS_SCHEMA);
		json_decref(j);
		free(text);
		return -1;
	}
	const char *k;
	json_t *v;
	int bad = 0;
	json_object_foreach(j, k, v)
		if (strcmp(k, "schema") && strcmp(k, "waivers") && strcmp(k, "description")) {
			fprintf(stderr, "%s: unknown key '%s' (schema, description, waivers)\n", path, k);
			bad = -1;
		}
	out->path = xstrdup(path);
	out->n = json_array_size(arr);
	out->v = xcalloc(out->n ? out->n : 1, sizeof *out->v);
	for (size_t i = 0; i < out->n; i++) {
		if (read_entry(path, i, json_array_get(arr, i), &out->v[i]) < 0)
			bad = -1;
		out->v[i].line = entry_line(text, i);
	}
	json_decref(j);
	free(text);
	if (bad) {
		waivers_free(out);
		return -1;
	}
	return 0;
}

static bool matches(const struct waiver *w, json_t *f)
{
	const char *sym = S(f, "symbol") ? S(f, "symbol") : "";
	return !strcmp(w->rule, S(f, "rule")) && !strcmp(w->file, S(f, "file")) &&
	       !strcmp(w->function, sym) && (!w->contains || strstr(S(f, "message"), w->contains));
}

size_t waivers_apply(struct waivers *ws, json_t *f, const char *rel_path)
{
	size_t waived = 0, i, n = json_array_size(f);
	for (i = 0; i < n; i++) {
		json_t *e = json_array_get(f, i);
		for (size_t k = 0; k < ws->n; k++) {
			struct waiver *w = &ws->v[k];
			if (!matches(w, e))
				continue;
			w->used++;
			json_object_set_new(e, "waiver", json_pack("{s:s,s:s,s:s}", "reason", w->reason, "by", w->by,
								     "on", w->on));
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
		json_array_append_new(f, json_pack("{s:s,s:s,s:s,s:I,s:s,s:s,s:s}", "rule", "INV019", "severity", "error",
						   "file", rel_path, "line", (json_int_t)w->line, "message", msg,
						   "symbol", w->rule, "tool", "inventory"));
		free(msg);
	}
	return waived;
}

size_t waivers_unwaived(json_t *f)
{
	size_t n = 0, i;
	json_t *e;
	json_array_foreach(f, i, e)
		n += !json_object_get(e, "waiver");
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
