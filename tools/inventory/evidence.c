/* evidence.c: what tests claim (@proves tags), which tests exist (ctest), and which passed
 * (JUnit), as typed lists. The claim never decides pass/fail: JUnit does. The CTest list is the
 * only JSON read here. */
#include "evidence.h"
#include "model.h"
#include "util.h"

#include <jansson.h>

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

static bool valid_id(const char *s)
{
	const char *colon = strchr(s, ':'), *arrow = strstr(s, "->");
	if (colon && arrow) {  /* machine:FROM->TO */
		for (const char *p = s; p < colon; p++)
			if (!(islower((unsigned char)*p) || isdigit((unsigned char)*p) || *p == '_'))
				return false;
		for (const char *p = colon + 1; *p; p++)
			if (p != arrow && p != arrow + 1 && !(isupper((unsigned char)*p) || isdigit((unsigned char)*p) || *p == '_'))
				return false;
		return colon > s && arrow > colon + 1 && arrow[2] && !strstr(arrow + 2, "->");
	}
	/* backlog item: PREFIX-A1 */
	const char *dash = strrchr(s, '-');
	if (!dash || dash == s || !isupper((unsigned char)dash[1]) || !isdigit((unsigned char)dash[2]))
		return false;
	for (const char *p = s; *p; p++)
		if (!(isupper((unsigned char)*p) || isdigit((unsigned char)*p) || *p == '-'))
			return false;
	return true;
}

static void tags_push(struct ev_tags *out, char *test, const char *rel, long long line, struct strv *ids)
{
	out->v = xrealloc(out->v, (out->n + 1) * sizeof *out->v);
	out->v[out->n++] = (struct ev_tag){test, xstrdup(rel), line, *ids};
	*ids = (struct strv){0};
}

int evidence_parse_text(const char *rel, const char *text, struct ev_tags *out)
{
	int bad = 0;
	for (const char *p = strstr(text, "@proves"); p; p = strstr(p + 1, "@proves")) {
		int line = 1;
		for (const char *q = text; q < p; q++)
			line += *q == '\n';
		const char *s = p + 7, *e;
		struct strv ids = {0};
		char *test = NULL;
		while (*s == ' ' || *s == '\t')
			s++;
		for (e = s; isalnum((unsigned char)*e) || *e == '_' || *e == '-' || *e == '.'; e++)
			;
		if (e > s && *e == ':') {
			test = xasprintf("%.*s", (int)(e - s), s);
			s = e + 1;
			for (;;) {
				while (*s == ' ' || *s == '\t')
					s++;
				if (!*s || *s == '\n' || *s == '\r' || (s[0] == '*' && s[1] == '/'))
					break;
				for (e = s; *e && !isspace((unsigned char)*e) && !(e[0] == '*' && e[1] == '/'); e++)
					;
				char *id = xasprintf("%.*s", (int)(e - s), s);
				if (!valid_id(id)) {
					fprintf(stderr, "%s:%d: INV009: malformed evidence ID '%s' in @proves tag\n", rel, line, id);
					bad++;
				}
				strv_push(&ids, id);
				free(id);
				s = e;
			}
		}
		if (!test || ids.n == 0) {
			fprintf(stderr, "%s:%d: INV009: malformed @proves tag (want '@proves <ctest-test>: <ID> [<ID>...]')\n", rel, line);
			bad++;
			free(test);
			strv_free(&ids);
		} else {
			tags_push(out, test, rel, line, &ids);
		}
	}
	return bad;
}

void ev_tags_free(struct ev_tags *t)
{
	for (size_t i = 0; i < t->n; i++) {
		free(t->v[i].test);
		free(t->v[i].file);
		strv_free(&t->v[i].ids);
	}
	free(t->v);
	*t = (struct ev_tags){0};
}

static int walk_dir(const struct config *cfg, const char *rel, struct ev_tags *out)
{
	char *abs = xasprintf("%s/%s", cfg->root_dir, rel);
	struct dirent **ents;
	int n = scandir(abs, &ents, NULL, alphasort), bad = 0;
	if (n < 0) {
		/* An evidence dir that does not exist yet holds no evidence (every claim it would make
		 * is then missing, which check reports); one that exists and cannot be read is an error. */
		int missing = errno == ENOENT;
		if (!missing)
			fprintf(stderr, "%s: cannot read evidence directory: %s\n", rel, strerror(errno));
		free(abs);
		return missing ? 0 : 1;
	}
	for (int i = 0; i < n; i++) {
		const char *nm = ents[i]->d_name;
		char *r = xasprintf("%s/%s", rel, nm), *a = xasprintf("%s/%s", cfg->root_dir, r);
		struct stat st;
		if (nm[0] != '.' && !globs_match(&cfg->ev_exclude, r) && lstat(a, &st) == 0) {  /* no symlink loops */
			const char *dot = strrchr(nm, '.');
			if (S_ISDIR(st.st_mode)) {
				bad += walk_dir(cfg, r, out);
			} else if (dot && globs_match(&cfg->ev_ext, dot + 1)) {
				char *text = read_file(a, NULL);
				if (!text) {
					fprintf(stderr, "%s: cannot read evidence file\n", r);
					bad++;
				} else {
					bad += evidence_parse_text(r, text, out);
				}
				free(text);
			}
		}
		free(r);
		free(a);
		free(ents[i]);
	}
	free(ents);
	free(abs);
	return bad;
}

int evidence_tags(const struct config *cfg, struct ev_tags *out)
{
	int bad = 0;
	*out = (struct ev_tags){0};
	for (size_t i = 0; i < cfg->ev_dirs.n; i++)
		bad += walk_dir(cfg, cfg->ev_dirs.v[i], out);
	if (bad) {
		fprintf(stderr, "inventory: %d malformed evidence declaration(s)\n", bad);
		ev_tags_free(out);
		return -1;
	}
	return 0;
}

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

/* Value of attribute `name` in the tag text [s, e), entity-decoded. */
static char *xml_attr(const char *s, const char *e, const char *name)
{
	size_t nl = strlen(name);
	for (const char *p = s; p + nl + 2 < e; p++) {
		if ((p == s || isspace((unsigned char)p[-1])) && strncmp(p, name, nl) == 0 && p[nl] == '=' &&
		    (p[nl + 1] == '"' || p[nl + 1] == '\'')) {
			char q = p[nl + 1];
			const char *v = p + nl + 2, *ve = memchr(v, q, (size_t)(e - v));
			if (!ve)
				return NULL;
			struct sbuf b = {0};
			sb_puts(&b, "");
			static const char *const ent[][2] = {{"&amp;", "&"}, {"&lt;", "<"}, {"&gt;", ">"},
							     {"&quot;", "\""}, {"&apos;", "'"}};
			for (const char *c = v; c < ve; c++) {
				bool done = false;
				for (int k = 0; k < 5 && !done; k++)
					if (strncmp(c, ent[k][0], strlen(ent[k][0])) == 0) {
						sb_puts(&b, ent[k][1]);
						c += strlen(ent[k][0]) - 1;
						done = true;
					}
				if (!done) {
					char ch[2] = {*c, 0};
					sb_puts(&b, ch);
				}
			}
			return b.s;
		}
	}
	return NULL;
}

static int cmp_res(const void *x, const void *y)
{
	return strcmp(((const struct test_res *)x)->name, ((const struct test_res *)y)->name);
}

static struct test_res *res_find(const struct test_results *r, const char *name)
{
	struct test_res key = {.name = (char *)name};
	return r && r->n ? bsearch(&key, r->v, r->n, sizeof *r->v, cmp_res) : NULL;
}

const char *test_result_name(const struct test_results *r, const char *name)
{
	static const char *const names[] = {"passed", "failed", "skipped"};
	const struct test_res *e = res_find(r, name);
	return e ? names[e->res] : NULL;
}

void test_results_free(struct test_results *r)
{
	for (size_t i = 0; i < r->n; i++)
		free(r->v[i].name);
	free(r->v);
	*r = (struct test_results){0};
}

/* Record a result; a failure (in this file or an earlier one) wins. */
static void res_set(struct test_results *r, const char *name, enum test_result res)
{
	struct test_res *e = res_find(r, name);
	if (e) {
		if (e->res != TEST_FAILED)
			e->res = res;
		return;
	}
	r->v = xrealloc(r->v, (r->n + 1) * sizeof *r->v);
	r->v[r->n++] = (struct test_res){xstrdup(name), res};
	qsort(r->v, r->n, sizeof *r->v, cmp_res);
}

int junit_merge(struct test_results *into, const char *path)
{
	char *x = read_file(path, NULL);
	if (!x) {
		fprintf(stderr, "inventory: cannot read JUnit file '%s': %s\n", path, strerror(errno));
		return -1;
	}
	if (!strstr(x, "<testsuite")) {
		fprintf(stderr, "%s: not a JUnit file (no <testsuite>)\n", path);
		free(x);
		return -1;
	}
	const char *ts = strstr(x, "<testsuite"), *tse = ts ? strchr(ts, '>') : NULL;
	if (!strstr(x, "</testsuite>") && !(tse && tse[-1] == '/')) {  /* <testsuite .../> has no tests */
		fprintf(stderr, "%s: truncated JUnit file (no </testsuite>)\n", path);
		free(x);
		return -1;
	}
	/* Parsed into a scratch list first: a malformed file changes nothing. */
	struct test_results one = {0};
	for (char *p = strstr(x, "<testcase"); p; p = strstr(p + 1, "<testcase")) {
		char *te = strchr(p, '>');
		char *end = !te ? NULL : te[-1] == '/' ? te : strstr(te, "</testcase>");
		char *name = end ? xml_attr(p, te, "name") : NULL, *status;
		if (!name) {  /* a result that cannot be read is never taken as "not run" */
			int line = 1;
			for (const char *q = x; q < p; q++)
				line += *q == '\n';
			fprintf(stderr, "%s:%d: malformed <testcase> (unterminated, or no name)\n", path, line);
			test_results_free(&one);
			free(x);
			return -1;
		}
		status = xml_attr(p, te, "status");
		enum test_result res = TEST_PASSED;
		size_t blen = (size_t)(end - te);
		char *body = xasprintf("%.*s", (int)blen, te);
		if (strstr(body, "<failure") || strstr(body, "<error") || (status && strcmp(status, "fail") == 0))
			res = TEST_FAILED;
		else if (strstr(body, "<skipped") || (status && strcmp(status, "run") != 0 && strcmp(status, "") != 0))
			res = TEST_SKIPPED;
		/* A test run twice (phase 1 and 2) counts as failed if either run failed. */
		res_set(&one, name, res);
		free(body);
		free(name);
		free(status);
	}
	free(x);
	for (size_t i = 0; i < one.n; i++)
		res_set(into, one.v[i].name, one.v[i].res);
	into->loaded = true;
	test_results_free(&one);
	return 0;
}
