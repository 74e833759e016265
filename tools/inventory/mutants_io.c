/* mutants_io.c: the mutation record and the survivors' justifications read at their JSON edge
 * into typed entries (mutants_io.h); validation and messages as the rules have always given
 * them. Freshness and the rules are mutants.c. */
#include "mutants_io.h"
#include "json_io.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RECORD_SCHEMA "capos-mutant-record/1"
#define JUST_SCHEMA "capos-mutant-justifications/1"

static json_t *read_doc(const char *path, const char *schema, const char *list, bool *bad)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return NULL;  /* no run yet */
	fclose(f);
	json_error_t err;
	json_t *j = json_read_file(path, JSON_REJECT_DUPLICATES, &err);
	if (!j) {
		json_load_error("mutation file", path, &err);
		*bad = true;
	} else if (!S(j, "schema") || strcmp(S(j, "schema"), schema) || !json_is_array(json_object_get(j, list))) {
		fprintf(stderr, "%s: needs schema \"%s\" and a %s array\n", path, schema, list);
		json_decref(j);
		*bad = true;
		j = NULL;
	}
	return j;
}

static const char *STATUSES[] = {"killed", "survived", "invalid", "unmutable", "baseline", "untested", "not-run", NULL};

static bool known_status(const char *s)
{
	for (int i = 0; s && STATUSES[i]; i++)
		if (!strcmp(s, STATUSES[i]))
			return true;
	return false;
}

/* 1-based line of the first occurrence of "site" in text (1 when absent). */
static long long line_of(const char *text, const char *site)
{
	char *q = xasprintf("\"%s\"", site);
	const char *p = text ? strstr(text, q) : NULL;
	long long l = 1;
	for (const char *c = text; p && c < p; c++)
		l += *c == '\n';
	free(q);
	return l;
}

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

/* The justifications; false after printing each malformed one. */
static bool read_just(json_t *doc, const char *path, struct mutant_files *out)
{
	bool ok = true;
	char *text = doc ? read_file(path, NULL) : NULL;
	size_t i;
	json_t *e, *arr = json_object_get(doc, "justifications");
	out->just = xcalloc(json_array_size(arr) + 1, sizeof *out->just);
	json_array_foreach(arr, i, e) {
		const char *site = S(e, "site"), *why = S(e, "reason"), *who = S(e, "reviewer");
		if (!site || !why || !*why || !who || !*who) {
			fprintf(stderr, "%s: justifications[%zu] needs site, and a non-empty reason and reviewer\n", path, i);
			ok = false;
			continue;
		}
		out->just[out->n_just++] = (struct mutant_justification){
			.site = xstrdup(site), .reason = xstrdup(why), .reviewer = xstrdup(who), .line = line_of(text, site)};
	}
	free(text);
	return ok;
}

/* The record's entries; false after printing each malformed one. */
static bool read_sites(json_t *doc, const char *path, struct mutant_files *out)
{
	bool ok = true;
	size_t i, k;
	json_t *e, *t, *arr = json_object_get(doc, "sites");
	out->sites = xcalloc(json_array_size(arr) + 1, sizeof *out->sites);
	json_array_foreach(arr, i, e) {
		const char *id = S(e, "id"), *file = S(e, "file"), *fn = S(e, "function"), *cls = S(e, "class");
		const char *status = S(e, "status"), *key = S(e, "key"), *sha = S(e, "source_sha256");
		if (!id || !file || !fn || !cls || !known_status(status) || !key || !sha ||
		    !json_is_integer(json_object_get(e, "line"))) {
			fprintf(stderr, "%s: sites[%zu] needs id, file, function, line, class, key, source_sha256 and a "
				"status of killed, survived, invalid, unmutable, baseline, untested or not-run\n", path, i);
			ok = false;
			continue;
		}
		struct mutant_site *x = &out->sites[out->n_sites++];
		*x = (struct mutant_site){.id = xstrdup(id), .file = xstrdup(file), .function = xstrdup(fn),
					  .cls = xstrdup(cls), .status = xstrdup(status), .key = xstrdup(key),
					  .source_sha256 = xstrdup(sha), .callee = dup_or_null(S(e, "callee")),
					  .line = I(e, "line")};
		json_t *tests = json_object_get(e, "tests_run");
		x->tests_run.v = xcalloc(json_array_size(tests) + 1, sizeof *x->tests_run.v);
		json_array_foreach(tests, k, t)
			x->tests_run.v[x->tests_run.n++] = dup_or_null(json_string_value(t));
	}
	return ok;
}

int mutants_read(const char *rec_path, const char *just_path, struct mutant_files *out)
{
	memset(out, 0, sizeof *out);
	bool bad = false;
	json_t *rec = read_doc(rec_path, RECORD_SCHEMA, "sites", &bad);
	json_t *just = read_doc(just_path, JUST_SCHEMA, "justifications", &bad);
	bad |= !read_just(just, just_path, out);
	bad |= !read_sites(rec, rec_path, out);
	json_decref(rec);
	json_decref(just);
	if (bad)
		mutants_files_free(out);
	return bad ? -1 : 0;
}

void mutants_files_free(struct mutant_files *f)
{
	for (size_t i = 0; i < f->n_sites; i++) {
		struct mutant_site *x = &f->sites[i];
		free(x->id);
		free(x->file);
		free(x->function);
		free(x->cls);
		free(x->status);
		free(x->key);
		free(x->source_sha256);
		free(x->callee);
		strv_free(&x->tests_run);
	}
	for (size_t i = 0; i < f->n_just; i++) {
		free(f->just[i].site);
		free(f->just[i].reason);
		free(f->just[i].reviewer);
	}
	free(f->sites);
	free(f->just);
	memset(f, 0, sizeof *f);
}
