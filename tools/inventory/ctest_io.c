/* ctest_io.c: the CTest test list's JSON edge. `ctest --show-only=json-v1` (or a file of its
 * output, --ctest-json) becomes the typed `struct ctest_list` of evidence.h: each test's name,
 * LABELS and its own sources (the CMake files on its add_test backtrace, the files under the root
 * its command names). Nothing past this file sees the JSON. */
#include "evidence.h"
#include "json_io.h"
#include "util.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

/* Repository-relative form of an absolute path under root, or NULL. */
static char *under_root(const char *root, const char *path)
{
	size_t l = root ? strlen(root) : 0;
	if (!l || strncmp(path, root, l) != 0 || path[l] != '/')
		return NULL;
	return xstrdup(path + l + 1);
}

/* The test's own sources: every CMake file on the backtrace of its add_test (the CMakeLists that
 * defines it and those that call the function that does), and every file under the root its
 * command names. `files` are the C sources among them (what a proof test proves). */
static void test_sources(json_t *doc, json_t *t, const char *root, struct strv *sources, struct strv *files)
{
	json_t *g = json_object_get(doc, "backtraceGraph"), *nodes = json_object_get(g, "nodes");
	json_t *gfiles = json_object_get(g, "files"), *bt = json_object_get(t, "backtrace"), *a;
	size_t i;
	for (int guard = 0; json_is_integer(bt) && guard < 64; guard++) {
		json_t *node = json_array_get(nodes, (size_t)json_integer_value(bt));
		const char *f = json_string_value(json_array_get(gfiles, (size_t)json_integer_value(json_object_get(node, "file"))));
		char *r = f ? under_root(root, f) : NULL;
		if (r)
			strv_push(sources, r);
		free(r);
		bt = json_object_get(node, "parent");
	}
	json_array_foreach(json_object_get(t, "command"), i, a) {
		const char *s = json_string_value(a);
		char *r = s ? under_root(root, s) : NULL;
		struct stat st;
		if (r && stat(s, &st) == 0 && S_ISREG(st.st_mode)) {
			strv_push(sources, r);
			size_t l = strlen(r);
			if (l > 2 && !strcmp(r + l - 2, ".c"))
				strv_push(files, r);
		}
		free(r);
	}
}

static int cmp_ctest(const void *x, const void *y)
{
	return strcmp(((const struct ctest_test *)x)->name, ((const struct ctest_test *)y)->name);
}

static void ctest_test_free(struct ctest_test *t)
{
	free(t->name);
	strv_free(&t->labels);
	strv_free(&t->sources);
	strv_free(&t->files);
}

void ctest_list_free(struct ctest_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		ctest_test_free(&l->v[i]);
	free(l->v);
	*l = (struct ctest_list){0};
}

const struct ctest_test *ctest_find(const struct ctest_list *l, const char *name)
{
	struct ctest_test key = {.name = (char *)name};
	return l && l->n ? bsearch(&key, l->v, l->n, sizeof *l->v, cmp_ctest) : NULL;
}

int ctest_tests(const char *json_path, const char *build_dir, const char *root, struct ctest_list *out)
{
	json_error_t err;
	json_t *j, *t;
	size_t i;
	*out = (struct ctest_list){0};
	if (json_path) {
		j = json_read_file(json_path, 0, &err);
	} else {
		char *cmd = xasprintf("ctest --test-dir '%s' --show-only=json-v1 2>/dev/null", build_dir);
		FILE *p = popen(cmd, "r");
		free(cmd);
		j = p ? json_loadf(p, 0, &err) : NULL;
		if (p && pclose(p) != 0) {
			json_decref(j);
			j = NULL;
		}
	}
	if (!j && json_path) {
		json_load_error("CTest test list", json_path, &err);
		return -1;
	}
	if (!j || !json_is_array(json_object_get(j, "tests"))) {
		fprintf(stderr, "inventory: cannot read the CTest test list from %s%s\n",
			json_path ? json_path : "ctest --show-only=json-v1", j ? " (no tests array)" : "");
		json_decref(j);
		return -1;
	}
	out->v = xcalloc(json_array_size(json_object_get(j, "tests")) + 1, sizeof *out->v);
	json_array_foreach(json_object_get(j, "tests"), i, t) {
		json_t *p, *l;
		size_t k, m;
		if (!json_is_string(json_object_get(t, "name"))) {
			fprintf(stderr, "inventory: %s: tests[%zu] has no name\n", json_path ? json_path : "ctest --show-only=json-v1", i);
			json_decref(j);
			ctest_list_free(out);
			return -1;
		}
		struct ctest_test ct = {.name = xstrdup(S(t, "name"))};
		json_array_foreach(json_object_get(t, "properties"), k, p)
			if (S(p, "name") && strcmp(S(p, "name"), "LABELS") == 0 && json_is_array(json_object_get(p, "value")))
				json_array_foreach(json_object_get(p, "value"), m, l)
					if (json_is_string(l))
						strv_push(&ct.labels, json_string_value(l));
		test_sources(j, t, root, &ct.sources, &ct.files);
		size_t q = 0;  /* a name listed twice: the later entry wins, as CTest's own list does */
		while (q < out->n && strcmp(out->v[q].name, ct.name))
			q++;
		if (q < out->n)
			ctest_test_free(&out->v[q]);
		else
			out->n++;
		out->v[q] = ct;
	}
	json_decref(j);
	qsort(out->v, out->n, sizeof *out->v, cmp_ctest);
	return 0;
}
