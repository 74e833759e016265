/* evidence.c: what tests claim (@proves tags) and which passed (JUnit), as typed lists. The
 * claim never decides pass/fail: JUnit does. Which tests exist (the CTest list, JSON) is read by
 * ctest_io.c. */
#include "evidence.h"
#include "model.h"
#include "util.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
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
