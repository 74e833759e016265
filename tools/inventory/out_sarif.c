/* out_sarif.c: findings as SARIF 2.1.0. Locations are repository-relative (uriBaseId SRCROOT);
 * partialFingerprints come from rule + file + symbol + transition, never from line numbers. */
#include "emit.h"
#include "check.h"
#include "util.h"

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

static json_t *rules_array(json_t *f)
{
	json_t *rules = json_array(), *seen = json_object(), *e;
	size_t i;
	for (const struct rule *r = check_rules; r->id; r++) {
		json_array_append_new(rules, json_pack("{s:s,s:s,s:{s:s},s:{s:s},s:{s:s}}", "id", r->id, "name",
				      r->title, "shortDescription", "text", r->title, "fullDescription", "text",
				      r->help, "defaultConfiguration", "level", r->level));
		json_object_set_new(seen, r->id, json_true());
	}
	json_array_foreach(f, i, e)
		if (!json_object_get(seen, S(e, "rule"))) {  /* merged Coccinelle rules */
			const char *d = S(e, "description");
			json_t *r = json_pack("{s:s,s:{s:s}}", "id", S(e, "rule"), "shortDescription", "text",
					      S(e, "rule"));
			if (d && *d)
				json_object_set_new(r, "fullDescription", json_pack("{s:s}", "text", d));
			json_array_append_new(rules, r);
			json_object_set_new(seen, S(e, "rule"), json_true());
		}
	json_decref(seen);
	return rules;
}

/* SARIF 2.1.0 invocation.ruleConfigurationOverrides: what the project changed, and why. */
static json_t *overrides(json_t *settings)
{
	json_t *arr = json_array(), *e;
	size_t i;
	json_array_foreach(settings, i, e) {
		json_t *conf = json_pack("{s:b,s:{s:s,s:I}}", "enabled", !json_is_false(json_object_get(e, "enabled")),
					 "parameters", "reason", S(e, "reason"), "suppressed",
					 (json_int_t)I(e, "suppressed"));
		if (S(e, "severity"))
			json_object_set_new(conf, "level", json_string(level(S(e, "severity"))));
		json_array_append_new(arr, json_pack("{s:{s:s},s:o}", "descriptor", "id", S(e, "rule"),
						     "configuration", conf));
	}
	return arr;
}

char *emit_sarif(json_t *f, json_t *settings, const char *version)
{
	json_t *results = json_array(), *e;
	size_t i;
	json_array_foreach(f, i, e) {
		json_t *region = json_pack("{s:O}", "startLine", json_object_get(e, "line"));
		if (json_object_get(e, "col"))
			json_object_set(region, "startColumn", json_object_get(e, "col"));
		/* A file outside the repository (e.g. --tables elsewhere) keeps its absolute path, as
		 * a file: URI without a base: SARIF forbids uriBaseId beside an absolute uri. */
		const char *file = S(e, "file");
		json_t *art = file[0] == '/' ? json_pack("{s:s+}", "uri", "file://", file)
					     : json_pack("{s:s,s:s}", "uri", file, "uriBaseId", "SRCROOT");
		json_t *r = json_pack(
			"{s:s,s:s,s:{s:s},s:[{s:{s:o,s:o}}],s:{s:s}}", "ruleId", S(e, "rule"), "level",
			level(S(e, "severity")), "message", "text", S(e, "message"), "locations",
			"physicalLocation", "artifactLocation", art,
			"region", region, "partialFingerprints", "capos/v1", S(e, "fingerprint"));
		if (!r) {  /* a finding missing from the log would read as "fixed": never drop one */
			fprintf(stderr, "inventory: internal error: finding %zu cannot be written as SARIF\n", i);
			abort();
		}
		/* The function the finding is in, as a logical location beside the physical one. */
		const char *sym = S(e, "symbol");
		if (sym && *sym && strncmp(S(e, "rule"), "INV019", 6))
			json_object_set_new(json_array_get(json_object_get(r, "locations"), 0), "logicalLocations",
					    json_pack("[{s:s,s:s}]", "name", sym, "kind", "function"));
		/* A site finding names its obligation (stable ID) and the tests that executed it. */
		if (S(e, "obligation"))
			json_object_set_new(r, "properties", json_pack("{s:s,s:O}", "obligation", S(e, "obligation"),
								       "witnesses", json_object_get(e, "witnesses") ?
								       json_object_get(e, "witnesses") : json_null()));
		/* A reviewed waiver: the result stays, with its justification (SARIF suppressions). */
		json_t *w = json_object_get(e, "waiver");
		if (w)
			json_object_set_new(r, "suppressions",
					    json_pack("[{s:s,s:s,s:s+++++}]", "kind", "external", "status", "accepted",
						      "justification", S(w, "reason"), " (", S(w, "by"), ", ",
						      S(w, "on"), ")"));
		json_array_append_new(results, r);
	}
	/* SRCROOT is the checkout; consumers resolve it, the log never records an absolute path. */
	json_t *doc = json_pack("{s:s,s:s,s:[{s:{s:{s:s,s:s,s:o}},s:{s:{s:{s:s}}},s:o}]}",
		"$schema", "https://json.schemastore.org/sarif-2.1.0.json", "version", "2.1.0", "runs",
		"tool", "driver", "name", "capos-inventory", "version", version, "rules", rules_array(f),
		"originalUriBaseIds", "SRCROOT", "description", "text", "The repository root",
		"results", results);
	if (json_array_size(settings))
		json_object_set_new(json_array_get(json_object_get(doc, "runs"), 0), "invocations",
				    json_pack("[{s:b,s:o}]", "executionSuccessful", 1, "ruleConfigurationOverrides",
					      overrides(settings)));
	char *s = json_text(doc);
	json_decref(doc);
	return s;
}
