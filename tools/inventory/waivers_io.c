/* waivers_io.c: the JSON edge of the waivers file (schema "capos-waivers/1"): read and
 * validated into typed entries (waivers.h); a malformed file fails closed (exit 2) with every
 * problem printed. Applying them to the findings is waivers.c. */
#include "waivers.h"
#include "json_io.h"
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
