/* witness_io.c: the JSON edge of the witness data. Witness files of one run are read into
 * typed structs (fail closed: a damaged file is an error, never a test that ran nothing); the
 * committed summary is read and written here too. */
#include "witness_io.h"
#include "json_io.h"
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;
	return x < y ? -1 : x > y;
}

static int cmp_wfile(const void *a, const void *b)
{
	return strcmp(((const struct wit_file *)a)->path, ((const struct wit_file *)b)->path);
}

static int cmp_wtest(const void *a, const void *b)
{
	return strcmp(((const struct wit_test *)a)->test, ((const struct wit_test *)b)->test);
}

static void wtest_free(struct wit_test *t)
{
	for (size_t i = 0; i < t->n_files; i++) {
		free(t->files[i].path);
		free(t->files[i].lines);
	}
	free(t->files);
	free(t->test);
	free(t->source);
	free(t->ctest);
	*t = (struct wit_test){0};
}

/* One witness document -> t; NULL, or what is wrong (static text). */
static const char *wtest_read(json_t *j, struct wit_test *t)
{
	json_t *files = json_object_get(j, "files"), *lines;
	const char *path;
	*t = (struct wit_test){0};
	if (!json_is_object(j))
		return "not a JSON object";
	if (!S(j, "schema") || strcmp(S(j, "schema"), WITNESS_SCHEMA))
		return "schema must be \"" WITNESS_SCHEMA "\"";
	if (!S(j, "test") || !*S(j, "test") || !S(j, "source") || !json_is_boolean(json_object_get(j, "passed")) ||
	    !json_is_object(files) || (json_object_get(j, "ctest") && !S(j, "ctest")))
		return "needs test, source (strings), passed (boolean) and files (object); ctest a string";
	t->test = xstrdup(S(j, "test"));
	t->source = xstrdup(S(j, "source"));
	t->ctest = xstrdup(S(j, "ctest") ? S(j, "ctest") : S(j, "test"));
	t->passed = json_is_true(json_object_get(j, "passed"));
	t->files = xcalloc(json_object_size(files) + 1, sizeof *t->files);
	json_object_foreach(files, path, lines) {
		struct wit_file *f = &t->files[t->n_files++];
		size_t i;
		json_t *l;
		f->path = xstrdup(path);
		if (!json_is_array(lines))
			return "files: each member must be an array of line numbers";
		f->lines = xcalloc(json_array_size(lines) + 1, sizeof *f->lines);
		json_array_foreach(lines, i, l) {
			if (!json_is_integer(l) || json_integer_value(l) < 1)
				return "files: a line number must be an integer >= 1";
			f->lines[f->n++] = (long long)json_integer_value(l);
		}
		qsort(f->lines, f->n, sizeof *f->lines, cmp_ll);
	}
	qsort(t->files, t->n_files, sizeof *t->files, cmp_wfile);
	return NULL;
}

int witness_load_dir(const char *dir, struct witness_set *out)
{
	struct dirent **ents;
	int n = scandir(dir, &ents, NULL, alphasort), bad = 0;
	*out = (struct witness_set){0};
	if (n < 0) {
		fprintf(stderr, "inventory: cannot read witness directory '%s': %s\n", dir, strerror(errno));
		return -1;
	}
	out->v = xcalloc((size_t)n + 1, sizeof *out->v);
	out->loaded = true;
	for (int i = 0; i < n; i++) {
		const char *nm = ents[i]->d_name;
		size_t l = strlen(nm);
		if (nm[0] != '.' && l > 5 && !strcmp(nm + l - 5, ".json")) {
			char *p = xasprintf("%s/%s", dir, nm);
			json_error_t err;
			json_t *j = json_read_file(p, JSON_REJECT_DUPLICATES, &err);
			const char *why = j ? wtest_read(j, &out->v[out->n]) : NULL;
			if (!j) {
				json_load_error("witness file", p, &err);
				bad++;
			} else if (why) {
				fprintf(stderr, "%s: %s\n", p, why);
				wtest_free(&out->v[out->n]);
				bad++;
			} else {
				out->n++;
			}
			json_decref(j);
			free(p);
		}
		free(ents[i]);
	}
	free(ents);
	qsort(out->v, out->n, sizeof *out->v, cmp_wtest);
	for (size_t i = 1; i < out->n; i++)
		if (!strcmp(out->v[i - 1].test, out->v[i].test)) {
			fprintf(stderr, "%s: two witness files for test '%s'\n", dir, out->v[i].test);
			bad++;
		}
	if (bad) {
		witness_free(out);
		return -1;
	}
	return 0;
}

const struct wit_test *witness_get(const struct witness_set *ws, const char *test)
{
	struct wit_test key = {.test = (char *)test};
	return ws && ws->n ? bsearch(&key, ws->v, ws->n, sizeof *ws->v, cmp_wtest) : NULL;
}

static const struct wit_file *wfile(const struct wit_test *w, const char *file)
{
	struct wit_file key = {.path = (char *)file};
	return w && w->n_files ? bsearch(&key, w->files, w->n_files, sizeof *w->files, cmp_wfile) : NULL;
}

bool witness_hit(const struct wit_test *w, const char *file, long long line)
{
	const struct wit_file *f = wfile(w, file);
	return f && f->n && bsearch(&line, f->lines, f->n, sizeof *f->lines, cmp_ll);
}

bool witness_touches(const struct wit_test *w, const char *file)
{
	const struct wit_file *f = wfile(w, file);
	return f && f->n > 0;
}

void witness_free(struct witness_set *ws)
{
	for (size_t i = 0; i < ws->n; i++)
		wtest_free(&ws->v[i]);
	free(ws->v);
	*ws = (struct witness_set){0};
}

/* ---- the committed summary ---- */

static int cmp_sum(const void *a, const void *b)
{
	return strcmp(((const struct sum_entry *)a)->id, ((const struct sum_entry *)b)->id);
}

int witness_summary_load(const char *path, struct witness_summary *out)
{
	json_error_t err;
	*out = (struct witness_summary){0};
	FILE *probe = fopen(path, "r");
	if (!probe && errno == ENOENT)
		return 0;
	if (probe)
		fclose(probe);
	json_t *j = json_read_file(path, JSON_REJECT_DUPLICATES, &err), *obs = json_object_get(j, "obligations"), *e;
	if (!j) {
		json_load_error("witness summary", path, &err);
		return -1;
	}
	if (!S(j, "schema") || strcmp(S(j, "schema"), WITNESS_SUMMARY_SCHEMA) || !json_is_array(obs)) {
		fprintf(stderr, "%s: a witness summary needs schema \"%s\" and an obligations array\n", path, WITNESS_SUMMARY_SCHEMA);
		json_decref(j);
		return -1;
	}
	size_t i;
	out->v = xcalloc(json_array_size(obs) + 1, sizeof *out->v);
	out->loaded = true;
	json_array_foreach(obs, i, e) {
		json_t *tests = json_object_get(e, "tests"), *t;
		size_t k;
		bool ok = S(e, "id") && S(e, "file") && json_is_integer(json_object_get(e, "line")) && json_is_array(tests);
		json_array_foreach(tests, k, t) ok = ok && json_is_string(t);
		if (!ok) {
			fprintf(stderr, "%s: obligations[%zu] needs id, file, line and tests (strings)\n", path, i);
			json_decref(j);
			witness_summary_free(out);
			return -1;
		}
		struct sum_entry *s = &out->v[out->n++];
		s->id = xstrdup(S(e, "id"));
		s->file = xstrdup(S(e, "file"));
		s->line = I(e, "line");
		s->tests = xcalloc(json_array_size(tests) + 1, sizeof *s->tests);
		json_array_foreach(tests, k, t) s->tests[s->n_tests++] = xstrdup(json_string_value(t));
		qsort(s->tests, s->n_tests, sizeof *s->tests, cmp_strp);
	}
	json_t *tf = json_object_get(j, "files"), *tv;
	const char *tk;
	if (tf && !json_is_object(tf)) {
		fprintf(stderr, "%s: files must be an object (file -> tests)\n", path);
		json_decref(j);
		witness_summary_free(out);
		return -1;
	}
	out->touched = xcalloc(json_object_size(tf) + 1, sizeof *out->touched);
	json_object_foreach(tf, tk, tv) {
		struct sum_touch *t = &out->touched[out->n_touched++];
		size_t k;
		json_t *x;
		t->file = xstrdup(tk);
		t->tests = xcalloc(json_array_size(tv) + 1, sizeof *t->tests);
		json_array_foreach(tv, k, x) {
			if (!json_is_string(x)) {
				fprintf(stderr, "%s: files.%s must list test names\n", path, tk);
				json_decref(j);
				witness_summary_free(out);
				return -1;
			}
			t->tests[t->n_tests++] = xstrdup(json_string_value(x));
		}
	}
	json_t *par = json_object_get(j, "parents"), *pv;
	const char *pk;
	if (par && !json_is_object(par)) {
		fprintf(stderr, "%s: parents must be an object (test -> CTest test)\n", path);
		json_decref(j);
		witness_summary_free(out);
		return -1;
	}
	out->parents = xcalloc(json_object_size(par) + 1, sizeof *out->parents);
	json_object_foreach(par, pk, pv) {
		if (!json_is_string(pv)) {
			fprintf(stderr, "%s: parents.%s must be a string\n", path, pk);
			json_decref(j);
			witness_summary_free(out);
			return -1;
		}
		out->parents[out->n_parents].test = xstrdup(pk);
		out->parents[out->n_parents++].ctest = xstrdup(json_string_value(pv));
	}
	json_decref(j);
	witness_summary_sort(out);
	return 0;
}

static int cmp_parent(const void *a, const void *b)
{
	return strcmp(((const struct sum_parent *)a)->test, ((const struct sum_parent *)b)->test);
}

static int cmp_touch(const void *a, const void *b)
{
	return strcmp(((const struct sum_touch *)a)->file, ((const struct sum_touch *)b)->file);
}

bool witness_summary_touched(const struct witness_summary *s, const char *file, const char *test)
{
	struct sum_touch key = {.file = (char *)file}, *t;
	t = s && s->n_touched ? bsearch(&key, s->touched, s->n_touched, sizeof *s->touched, cmp_touch) : NULL;
	for (size_t i = 0; t && i < t->n_tests; i++)
		if (!strcmp(t->tests[i], test))
			return true;
	return false;
}

void witness_summary_sort(struct witness_summary *s)
{
	if (s->n_touched)
		qsort(s->touched, s->n_touched, sizeof *s->touched, cmp_touch);
	for (size_t i = 0; i < s->n_touched; i++)
		qsort(s->touched[i].tests, s->touched[i].n_tests, sizeof *s->touched[i].tests, cmp_strp);
	qsort(s->v, s->n, sizeof *s->v, cmp_sum);
	if (s->n_parents)
		qsort(s->parents, s->n_parents, sizeof *s->parents, cmp_parent);
}

const char *witness_summary_parent(const struct witness_summary *s, const char *test)
{
	struct sum_parent key = {.test = (char *)test}, *p;
	p = s && s->n_parents ? bsearch(&key, s->parents, s->n_parents, sizeof *s->parents, cmp_parent) : NULL;
	return p ? p->ctest : NULL;
}

int witness_summary_write(const char *path, const struct witness_summary *s)
{
	json_t *obs = json_array();
	for (size_t i = 0; i < s->n; i++) {
		json_t *tests = json_array();
		for (size_t k = 0; k < s->v[i].n_tests; k++)
			json_array_append_new(tests, json_string(s->v[i].tests[k]));
		json_array_append_new(obs, json_pack("{s:s,s:s,s:I,s:o}", "id", s->v[i].id, "file", s->v[i].file,
						     "line", (json_int_t)s->v[i].line, "tests", tests));
	}
	json_t *par = json_object(), *tf = json_object();
	for (size_t i = 0; i < s->n_touched; i++) {
		json_t *a = json_array();
		for (size_t k = 0; k < s->touched[i].n_tests; k++)
			json_array_append_new(a, json_string(s->touched[i].tests[k]));
		json_object_set_new(tf, s->touched[i].file, a);
	}
	for (size_t i = 0; i < s->n_parents; i++)
		json_object_set_new(par, s->parents[i].test, json_string(s->parents[i].ctest));
	json_t *doc = json_pack("{s:s,s:s,s:o,s:o,s:o}", "schema", WITNESS_SUMMARY_SCHEMA, "description",
				"Per obligation (inventory model), the passing tests that executed its site in the run this "
				"file was made from (`inventory tables --witness-dir`); per file a backlog item names, the passing "
				"tests that executed any of its lines; the CTest test each kernel test ran under. The generated pages render from it; "
				"`inventory check` judges the live run's witness files. See docs/audit/witnesses.md.",
				"files", tf, "parents", par, "obligations", obs);
	char *t = json_text(doc);
	int rc = write_file(path, t, strlen(t));
	if (rc < 0)
		fprintf(stderr, "%s: cannot write the witness summary\n", path);
	free(t);
	json_decref(doc);
	return rc < 0 ? -1 : 0;
}

const struct sum_entry *witness_summary_get(const struct witness_summary *s, const char *id)
{
	struct sum_entry key = {.id = (char *)id};
	return s && s->n ? bsearch(&key, s->v, s->n, sizeof *s->v, cmp_sum) : NULL;
}

void witness_summary_free(struct witness_summary *s)
{
	for (size_t i = 0; i < s->n; i++) {
		for (size_t k = 0; k < s->v[i].n_tests; k++)
			free(s->v[i].tests[k]);
		free(s->v[i].tests);
		free(s->v[i].id);
		free(s->v[i].file);
	}
	free(s->v);
	for (size_t i = 0; i < s->n_parents; i++) {
		free(s->parents[i].test);
		free(s->parents[i].ctest);
	}
	free(s->parents);
	for (size_t i = 0; i < s->n_touched; i++) {
		for (size_t k = 0; k < s->touched[i].n_tests; k++)
			free(s->touched[i].tests[k]);
		free(s->touched[i].tests);
		free(s->touched[i].file);
	}
	free(s->touched);
	*s = (struct witness_summary){0};
}
