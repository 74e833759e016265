/* sarif_io.c: the typed findings written as SARIF 2.1.0 (a JSON edge). Locations are
 * repository-relative (uriBaseId SRCROOT); partialFingerprints come from rule + file + symbol +
 * transition, never from line numbers. */
#include "emit.h"
#include "check.h"
#include "findings_io.h"
#include "json_io.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>


static const char *level(const char *sev)
{
	if (!sev || !strcmp(sev, "error"))
		return "error";
	if (!strcmp(sev, "warning"))
		return "warning";
	return "note";
}

static json_t *rules_array(const struct findings *f)
{
	json_t *rules = json_array(), *seen = json_object();
	for (const struct rule *r = check_rules; r->id; r++) {
		json_array_append_new(rules, json_pack("{s:s,s:s,s:{s:s},s:{s:s},s:{s:s}}", "id", r->id, "name",
				      r->title, "shortDescription", "text", r->title, "fullDescription", "text",
				      r->help, "defaultConfiguration", "level", r->level));
		json_object_set_new(seen, r->id, json_true());
	}
	for (size_t i = 0; i < f->n; i++) {
		const struct finding *e = &f->v[i];
		if (!json_object_get(seen, e->rule)) {  /* merged Coccinelle rules */
			const char *d = e->description;
			json_t *r = json_pack("{s:s,s:{s:s}}", "id", e->rule, "shortDescription", "text", e->rule);
			if (d && *d)
				json_object_set_new(r, "fullDescription", json_pack("{s:s}", "text", d));
			json_array_append_new(rules, r);
			json_object_set_new(seen, e->rule, json_true());
		}
	}
	json_decref(seen);
	return rules;
}

/* SARIF 2.1.0 invocation.ruleConfigurationOverrides: what the project changed, and why. */
static json_t *overrides(const struct rule_settings *settings)
{
	json_t *arr = json_array();
	for (size_t i = 0; i < settings->n; i++) {
		const struct rule_setting *e = &settings->v[i];
		json_t *conf = json_pack("{s:b,s:{s:s,s:I}}", "enabled", e->enabled, "parameters", "reason", e->reason,
					 "suppressed", (json_int_t)e->suppressed);
		if (e->severity)
			json_object_set_new(conf, "level", json_string(level(e->severity)));
		json_array_append_new(arr, json_pack("{s:{s:s},s:o}", "descriptor", "id", e->rule,
						     "configuration", conf));
	}
	return arr;
}

/* One result; never NULL (a finding missing from the log would read as "fixed"). */
static json_t *result(const struct finding *e, size_t i)
{
	json_t *region = json_pack("{s:I}", "startLine", (json_int_t)e->line);
	if (e->col)
		json_object_set_new(region, "startColumn", json_integer(e->col));
	/* A file outside the repository (e.g. --tables elsewhere) keeps its absolute path, as
	 * a file: URI without a base: SARIF forbids uriBaseId beside an absolute uri. */
	const char *file = e->file;
	json_t *art = file[0] == '/' ? json_pack("{s:s+}", "uri", "file://", file)
				     : json_pack("{s:s,s:s}", "uri", file, "uriBaseId", "SRCROOT");
	json_t *r = json_pack(
		"{s:s,s:s,s:{s:s},s:[{s:{s:o,s:o}}],s:{s:s}}", "ruleId", e->rule, "level",
		level(e->severity), "message", "text", e->message, "locations",
		"physicalLocation", "artifactLocation", art,
		"region", region, "partialFingerprints", "capos/v1", e->fingerprint);
	if (!r) {
		fprintf(stderr, "inventory: internal error: finding %zu cannot be written as SARIF\n", i);
		abort();
	}
	/* The function the finding is in, as a logical location beside the physical one. */
	const char *sym = e->symbol;
	if (sym && *sym && strncmp(e->rule, "INV019", 6))
		json_object_set_new(json_array_get(json_object_get(r, "locations"), 0), "logicalLocations",
				    json_pack("[{s:s,s:s}]", "name", sym, "kind", "function"));
	/* A site finding names its obligation (stable ID) and the tests that executed it. */
	if (e->obligation)
		json_object_set_new(r, "properties", json_pack("{s:s,s:o}", "obligation", e->obligation,
							       "witnesses", findings_witnesses_json(e)));
	/* A reviewed waiver: the result stays, with its justification (SARIF suppressions). */
	if (e->waived)
		json_object_set_new(r, "suppressions",
				    json_pack("[{s:s,s:s,s:s+++++}]", "kind", "external", "status", "accepted",
					      "justification", e->waiver_reason, " (", e->waiver_by, ", ",
					      e->waiver_on, ")"));
	return r;
}

char *emit_sarif(const struct findings *f, const struct rule_settings *settings, const char *version)
{
	json_t *results = json_array();
	for (size_t i = 0; i < f->n; i++)
		json_array_append_new(results, result(&f->v[i], i));
	/* SRCROOT is the checkout; consumers resolve it, the log never records an absolute path. */
	json_t *doc = json_pack("{s:s,s:s,s:[{s:{s:{s:s,s:s,s:o}},s:{s:{s:{s:s}}},s:o}]}",
		"$schema", "https://json.schemastore.org/sarif-2.1.0.json", "version", "2.1.0", "runs",
		"tool", "driver", "name", "capos-inventory", "version", version, "rules", rules_array(f),
		"originalUriBaseIds", "SRCROOT", "description", "text", "The repository root",
		"results", results);
	if (settings->n)
		json_object_set_new(json_array_get(json_object_get(doc, "runs"), 0), "invocations",
				    json_pack("[{s:b,s:o}]", "executionSuccessful", 1, "ruleConfigurationOverrides",
					      overrides(settings)));
	char *s = json_text(doc);
	json_decref(doc);
	return s;
}
