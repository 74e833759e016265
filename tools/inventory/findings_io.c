/* findings_io.c: the JSON edge of the findings ("capos-findings/1", the schema the Coccinelle
 * runner writes too): reading a findings file into the typed findings (findings_merge_file) and
 * writing them (emit_json), plus the JSON quoting a rule's message uses. */
#include "findings_io.h"
#include "emit.h"
#include "json_io.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FINDINGS_SCHEMA "capos-findings/1"

/* One entry of a findings file -> a typed finding; false when it is malformed. */
static bool valid_entry(json_t *f)
{
	const char *sev = S(f, "severity");
	json_t *col = json_object_get(f, "column");
	return S(f, "rule") && S(f, "file") && json_is_integer(json_object_get(f, "line")) &&
	       json_integer_value(json_object_get(f, "line")) >= 1 && S(f, "message") &&
	       (!json_object_get(f, "severity") ||
		(sev && (!strcmp(sev, "error") || !strcmp(sev, "warning") || !strcmp(sev, "note")))) &&
	       (!col || (json_is_integer(col) && json_integer_value(col) >= 1));
}

int findings_merge_file(const char *path, struct findings *out)
{
	json_error_t err;
	json_t *j = json_read_file(path, 0, &err), *f;
	size_t i;
	if (!j) {
		json_load_error("findings file", path, &err);
		return -1;
	}
	if (!S(j, "schema") || strcmp(S(j, "schema"), FINDINGS_SCHEMA) != 0 || !json_is_array(json_object_get(j, "findings"))) {
		fprintf(stderr, "%s: findings file needs schema \"" FINDINGS_SCHEMA "\" and a findings array\n", path);
		json_decref(j);
		return -1;
	}
	json_array_foreach(json_object_get(j, "findings"), i, f) {
		if (!valid_entry(f)) {
			fprintf(stderr, "%s: findings[%zu] needs rule, file, line >= 1 and message; severity "
				"error, warning or note; column >= 1\n", path, i);
			json_decref(j);
			return -1;
		}
		struct finding *e = findings_push(out);
		e->rule = xstrdup(S(f, "rule"));
		e->severity = xstrdup(S(f, "severity") ? S(f, "severity") : "error");
		e->file = xstrdup(S(f, "file"));
		e->line = (long long)json_integer_value(json_object_get(f, "line"));
		e->message = xstrdup(S(f, "message"));
		e->symbol = xstrdup(S(f, "symbol") ? S(f, "symbol") : "");
		e->tool = xstrdup(S(j, "tool") ? S(j, "tool") : "external");
		if (json_object_get(f, "column"))
			e->col = (long long)json_integer_value(json_object_get(f, "column"));
		if (json_is_string(json_object_get(f, "description")))
			e->description = xstrdup(S(f, "description"));
	}
	json_decref(j);
	return 0;
}

char *findings_json_string(const char *s)
{
	json_t *j = s ? json_string(s) : NULL;
	char *q = j ? json_dumps(j, JSON_ENCODE_ANY) : NULL;
	json_decref(j);
	return q ? q : xstrdup("(null)");
}

/* A JSON string, aborting on text that is not UTF-8: a finding missing from the report would
 * read as "fixed", so one that cannot be written stops the tool. */
static json_t *str(const char *s)
{
	json_t *j = json_string(s);
	if (!j) {
		fprintf(stderr, "inventory: internal error: '%s' cannot be written as JSON\n", s ? s : "(null)");
		abort();
	}
	return j;
}

json_t *finding_to_json(const struct finding *e)
{
	json_t *o = json_object();
	json_object_set_new(o, "rule", str(e->rule));
	json_object_set_new(o, "severity", str(e->severity));
	json_object_set_new(o, "file", str(e->file));
	json_object_set_new(o, "line", json_integer(e->line));
	json_object_set_new(o, "message", str(e->message));
	json_object_set_new(o, "symbol", str(e->symbol));
	json_object_set_new(o, "tool", str(e->tool));
	if (e->has_transition)
		json_object_set_new(o, "transition", e->transition ? str(e->transition) : json_null());
	if (e->col)
		json_object_set_new(o, "col", json_integer(e->col));
	if (e->description)
		json_object_set_new(o, "description", str(e->description));
	if (e->obligation) {
		json_object_set_new(o, "obligation", str(e->obligation));
		json_object_set_new(o, "witnesses", findings_witnesses_json(e));
	}
	if (e->fingerprint)
		json_object_set_new(o, "fingerprint", str(e->fingerprint));
	if (e->waived)
		json_object_set_new(o, "waiver", json_pack("{s:o,s:o,s:o}", "reason", str(e->waiver_reason), "by",
							   str(e->waiver_by), "on", str(e->waiver_on)));
	return o;
}

json_t *findings_witnesses_json(const struct finding *e)
{
	json_t *a = json_array();
	for (size_t i = 0; i < e->witnesses.n; i++)
		json_array_append_new(a, str(e->witnesses.v[i]));
	return a;
}

char *emit_json(const struct findings *f, const struct rule_settings *settings)
{
	json_t *arr = json_array();
	for (size_t i = 0; i < f->n; i++)
		json_array_append_new(arr, finding_to_json(&f->v[i]));
	json_t *doc = json_pack("{s:s,s:s,s:o}", "schema", FINDINGS_SCHEMA, "tool", "inventory", "findings", arr);
	if (settings->n) {
		json_t *s = json_array();
		for (size_t i = 0; i < settings->n; i++) {
			const struct rule_setting *r = &settings->v[i];
			json_array_append_new(s, json_pack("{s:o,s:b,s:o,s:o,s:I}", "rule", str(r->rule), "enabled", r->enabled,
							   "severity", r->severity ? str(r->severity) : json_null(),
							   "reason", str(r->reason), "suppressed", (json_int_t)r->suppressed));
		}
		json_object_set_new(doc, "rule_settings", s);
	}
	char *s = json_text(doc);
	json_decref(doc);
	return s;
}
