/* evidence.c: what tests claim (@proves tags), which tests exist (ctest), and which passed
 * (JUnit). The claim never decides pass/fail: JUnit does. */
#include "evidence.h"
#include "model.h"
#include "util.h"

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

int evidence_parse_text(const char *rel, const char *text, json_t *out)
{
	int bad = 0;
	for (const char *p = strstr(text, "@proves"); p; p = strstr(p + 1, "@proves")) {
		int line = 1;
		for (const char *q = text; q < p; q++)
			line += *q == '\n';
		const char *s = p + 7, *e;
		json_t *ids = json_array();
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
				json_array_append_new(ids, json_string(id));
				free(id);
				s = e;
			}
		}
		if (!test || json_array_size(ids) == 0) {
			fprintf(stderr, "%s:%d: INV009: malformed @proves tag (want '@proves <ctest-test>: <ID> [<ID>...]')\n", rel, line);
			bad++;
		} else {
			json_array_append_new(out, json_pack("{s:s,s:O,s:s,s:i}", "test", test, "ids", ids, "file", rel, "line", line));
		}
		json_decref(ids);
		free(test);
	}
	return bad;
}

static int walk_dir(const struct config *cfg, const char *rel, json_t *out)
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
		if (nm[0] != '.' && !json_globs_match(cfg->ev_exclude, r) && lstat(a, &st) == 0) {  /* no symlink loops */
			const char *dot = strrchr(nm, '.');
			if (S_ISDIR(st.st_mode)) {
				bad += walk_dir(cfg, r, out);
			} else if (dot && json_globs_match(cfg->ev_ext, dot + 1)) {
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

json_t *evidence_tags(const struct config *cfg)
{
	json_t *out = json_array(), *d;
	size_t i;
	int bad = 0;
	json_array_foreach(cfg->ev_dirs, i, d) bad += walk_dir(cfg, json_string_value(d), out);
	if (bad) {
		fprintf(stderr, "inventory: %d malformed evidence declaration(s)\n", bad);
		json_decref(out);
		return NULL;
	}
	return out;
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
static void test_sources(json_t *doc, json_t *t, const char *root, json_t *sources, json_t *files)
{
	json_t *g = json_object_get(doc, "backtraceGraph"), *nodes = json_object_get(g, "nodes");
	json_t *gfiles = json_object_get(g, "files"), *bt = json_object_get(t, "backtrace"), *a;
	size_t i;
	for (int guard = 0; json_is_integer(bt) && guard < 64; guard++) {
		json_t *node = json_array_get(nodes, (size_t)json_integer_value(bt));
		const char *f = json_string_value(json_array_get(gfiles, (size_t)json_integer_value(json_object_get(node, "file"))));
		char *r = f ? under_root(root, f) : NULL;
		if (r)
			json_array_append_new(sources, json_string(r));
		free(r);
		bt = json_object_get(node, "parent");
	}
	json_array_foreach(json_object_get(t, "command"), i, a) {
		const char *s = json_string_value(a);
		char *r = s ? under_root(root, s) : NULL;
		struct stat st;
		if (r && stat(s, &st) == 0 && S_ISREG(st.st_mode)) {
			json_array_append_new(sources, json_string(r));
			size_t l = strlen(r);
			if (l > 2 && !strcmp(r + l - 2, ".c"))
				json_array_append_new(files, json_string(r));
		}
		free(r);
	}
}

json_t *ctest_tests(const char *json_path, const char *build_dir, const char *root)
{
	json_error_t err;
	json_t *j, *t, *out = json_object();
	size_t i;
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
		json_decref(out);
		return NULL;
	}
	if (!j || !json_is_array(json_object_get(j, "tests"))) {
		fprintf(stderr, "inventory: cannot read the CTest test list from %s%s\n",
			json_path ? json_path : "ctest --show-only=json-v1", j ? " (no tests array)" : "");
		json_decref(j);
		json_decref(out);
		return NULL;
	}
	json_array_foreach(json_object_get(j, "tests"), i, t) {
		json_t *labels = json_array(), *p;
		size_t k;
		if (!json_is_string(json_object_get(t, "name"))) {
			fprintf(stderr, "inventory: %s: tests[%zu] has no name\n", json_path ? json_path : "ctest --show-only=json-v1", i);
			json_decref(labels);
			json_decref(j);
			json_decref(out);
			return NULL;
		}
		json_array_foreach(json_object_get(t, "properties"), k, p)
			if (json_is_string(json_object_get(p, "name")) &&
			    strcmp(json_string_value(json_object_get(p, "name")), "LABELS") == 0 &&
			    json_is_array(json_object_get(p, "value")))
				json_array_extend(labels, json_object_get(p, "value"));
		json_t *sources = json_array(), *files = json_array();
		test_sources(j, t, root, sources, files);
		json_object_set_new(out, json_string_value(json_object_get(t, "name")),
				    json_pack("{s:o,s:o,s:o}", "labels", labels, "sources", sources, "files", files));
	}
	json_decref(j);
	return out;
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

int junit_merge(json_t *into, const char *path)
{
	json_t *r = junit_results(path), *v;
	const char *k;
	if (!r)
		return -1;
	json_object_foreach(r, k, v) {
		const char *prev = S(into, k);
		if (!prev || strcmp(prev, "failed") != 0)
			json_object_set(into, k, v);
	}
	json_decref(r);
	return 0;
}

json_t *junit_results(const char *path)
{
	char *x = read_file(path, NULL);
	json_t *out;
	if (!x) {
		fprintf(stderr, "inventory: cannot read JUnit file '%s': %s\n", path, strerror(errno));
		return NULL;
	}
	if (!strstr(x, "<testsuite")) {
		fprintf(stderr, "%s: not a JUnit file (no <testsuite>)\n", path);
		free(x);
		return NULL;
	}
	const char *ts = strstr(x, "<testsuite"), *tse = ts ? strchr(ts, '>') : NULL;
	if (!strstr(x, "</testsuite>") && !(tse && tse[-1] == '/')) {  /* <testsuite .../> has no tests */
		fprintf(stderr, "%s: truncated JUnit file (no </testsuite>)\n", path);
		free(x);
		return NULL;
	}
	out = json_object();
	for (char *p = strstr(x, "<testcase"); p; p = strstr(p + 1, "<testcase")) {
		char *te = strchr(p, '>');
		char *end = !te ? NULL : te[-1] == '/' ? te : strstr(te, "</testcase>");
		char *name = end ? xml_attr(p, te, "name") : NULL, *status;
		if (!name) {  /* a result that cannot be read is never taken as "not run" */
			int line = 1;
			for (const char *q = x; q < p; q++)
				line += *q == '\n';
			fprintf(stderr, "%s:%d: malformed <testcase> (unterminated, or no name)\n", path, line);
			json_decref(out);
			free(x);
			return NULL;
		}
		status = xml_attr(p, te, "status");
		const char *res = "passed";
		size_t blen = (size_t)(end - te);
		char *body = xasprintf("%.*s", (int)blen, te);
		if (strstr(body, "<failure") || strstr(body, "<error") || (status && strcmp(status, "fail") == 0))
			res = "failed";
		else if (strstr(body, "<skipped") || (status && strcmp(status, "run") != 0 && strcmp(status, "") != 0))
			res = "skipped";
		/* A test run twice (phase 1 and 2) counts as failed if either run failed. */
		const char *prev = json_string_value(json_object_get(out, name));
		if (!prev || strcmp(prev, "failed") != 0)
			json_object_set_new(out, name, json_string(res));
		free(body);
		free(name);
		free(status);
	}
	free(x);
	return out;
}
