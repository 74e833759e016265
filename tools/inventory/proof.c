/* proof.c: the proof table applied to the model, per site. A class's requirement is a list of
 * clauses; each clause lists evidence kinds of which one counting citation must exist. A
 * citation counts for a site only when its kind is accepted by the class and, for kinds
 * measured by a run, the cited test executed that site in a passing run (its witness). */
#include "proof.h"
#include "model.h"
#include "util.h"

#include <stdio.h>
#include <string.h>

static int keys_ok(const char *file, json_t *o, const char *const *known)
{
	const char *k;
	json_t *v;
	int bad = 0;
	json_object_foreach(o, k, v) {
		bool ok = false;
		for (const char *const *p = known; *p; p++)
			ok = ok || strcmp(*p, k) == 0;
		if (!ok) {
			fprintf(stderr, "%s: unknown key '%s'\n", file, k);
			bad++;
		}
	}
	return bad;
}

static bool strings_ok(json_t *a)
{
	size_t i;
	json_t *k;
	if (!json_is_array(a))
		return false;
	json_array_foreach(a, i, k) if (!json_is_string(k)) return false;
	return true;
}

static bool clauses_ok(json_t *req)
{
	size_t i;
	json_t *c;
	if (req && !json_is_array(req))
		return false;
	json_array_foreach(req, i, c) if (!strings_ok(c) || json_array_size(c) == 0) return false;
	return true;
}

/* One of the two tables: `abs` is its resolved path (relative to the config file, or absolute),
 * `rel` the path as the config writes it (for messages). */
static json_t *load_one(const char *abs, const char *rel, const char *schema)
{
	json_error_t err;
	json_t *j = json_read_file(abs, JSON_REJECT_DUPLICATES, &err);
	if (!j) {
		json_load_error(schema, rel, &err);
		return NULL;
	}
	const char *s = json_string_value(json_object_get(j, "schema"));
	if (!s || strcmp(s, schema) != 0) {
		fprintf(stderr, "%s: schema must be \"%s\"\n", rel, schema);
		json_decref(j);
		return NULL;
	}
	return j;
}

static const char *const level_names[] = {"site", "static", "function", "design", "run", NULL};

static int level_of_name(const char *s)
{
	for (int i = 0; s && level_names[i]; i++)
		if (!strcmp(level_names[i], s))
			return i;
	return -1;
}

/* kinds: a string is {id, labels: [id], level: site}; objects are checked. */
static int normalise_kinds(const char *file, json_t *proof)
{
	static const char *const kk[] = {"id", "labels", "tests", "level", "description", NULL};
	json_t *kinds = json_object_get(proof, "kinds"), *out = json_array(), *k;
	size_t i;
	int bad = 0;
	json_array_foreach(kinds, i, k) {
		if (json_is_string(k)) {
			json_array_append_new(out, json_pack("{s:O,s:[O],s:s}", "id", k, "labels", k, "level", "site"));
			continue;
		}
		if (!json_is_object(k) || keys_ok(file, k, kk) || !S(k, "id") || level_of_name(S(k, "level")) < 0 ||
		    (json_object_get(k, "labels") && !strings_ok(json_object_get(k, "labels"))) ||
		    (json_object_get(k, "tests") && !strings_ok(json_object_get(k, "tests")))) {
			fprintf(stderr, "%s: kinds[%zu] needs id, level (site, static, function, design or run) and "
				"optional labels and tests (globs)\n", file, i);
			bad++;
			continue;
		}
		json_t *c = json_deep_copy(k);
		if (!json_object_get(c, "labels") && !json_object_get(c, "tests"))
			json_object_set_new(c, "labels", json_pack("[O]", json_object_get(k, "id")));
		json_array_append_new(out, c);
	}
	json_object_set_new(proof, "kinds", out);
	return bad;
}

static json_t *kind_by_id(const struct evidence_in *in, const char *id)
{
	size_t i;
	json_t *k;
	json_array_foreach(json_object_get(in->proof, "kinds"), i, k)
		if (!strcmp(S(k, "id"), id))
			return k;
	return NULL;
}

int proof_load(const struct config *cfg, struct evidence_in *in)
{
	static const char *const ptop[] = {"schema", "description", "kinds", "classes", "assign", "witnessed",
					   "witness_summary", NULL};
	static const char *const pcls[] = {"id", "description", "requires", "accepts", "witnesses", "runs", NULL};
	static const char *const pas[] = {"class", "when", NULL};
	static const char *const pwhen[] = {"machines", "roles_all", NULL};
	static const char *const btop[] = {"schema", "description", "items", NULL};
	static const char *const bit[] = {"id", "slice", "title", "text", "requires", "transitions", "inventory",
					  "files", "exit", NULL};
	size_t i, j;
	json_t *e, *k;
	int bad = 0;
	in->proof = load_one(cfg->proof_table_path, cfg->proof_table, "capos-proof-table/1");
	in->backlog = load_one(cfg->backlog_path, cfg->backlog, "capos-backlog/1");
	if (!in->proof || !in->backlog)
		return -1;
	bad += keys_ok(cfg->proof_table, in->proof, ptop);
	bad += normalise_kinds(cfg->proof_table, in->proof);
	if (json_object_get(in->proof, "witnessed") && !json_is_boolean(json_object_get(in->proof, "witnessed")))
		bad++, fprintf(stderr, "%s: witnessed must be true or false\n", cfg->proof_table);
	in->witnessed = json_is_true(json_object_get(in->proof, "witnessed"));
	if (json_object_get(in->proof, "witness_summary")) {
		const char *ws = S(in->proof, "witness_summary");
		if (!ws) {
			bad++, fprintf(stderr, "%s: witness_summary must be a file name\n", cfg->proof_table);
		} else {
			char *dir = xstrdup(cfg->proof_table_path), *slash = strrchr(dir, '/');
			if (slash)
				*slash = 0;
			in->summary_path = ws[0] == '/' ? xstrdup(ws) : path_join(slash ? dir : ".", ws);
			free(dir);
		}
	}
	json_array_foreach(json_object_get(in->proof, "classes"), i, e) {
		json_t *acc = json_object_get(e, "accepts"), *w = json_object_get(e, "witnesses");
		if (keys_ok(cfg->proof_table, e, pcls) || !json_is_string(json_object_get(e, "id")) ||
		    !clauses_ok(json_object_get(e, "requires")) || (acc && !strings_ok(acc)) ||
		    (w && (!json_is_integer(w) || json_integer_value(w) < 1)) ||
		    (json_object_get(e, "runs") && !strings_ok(json_object_get(e, "runs")))) {
			bad++, fprintf(stderr, "%s: classes[%zu] needs id and requires [[kind...]...]; accepts [kind...], "
				       "witnesses >= 1 and runs [test...] are optional\n", cfg->proof_table, i);
			continue;
		}
		/* What a class accepts: its `accepts`, or (without one) every kind of a site level. A
		 * model or a check's pass never counts for a C site, and a clause needs a kind the
		 * class accepts. */
		json_t *all = json_array(), *c;
		if (acc)
			json_array_extend(all, acc);
		json_array_foreach(json_object_get(e, "requires"), j, c) {
			size_t m;
			json_array_foreach(c, m, k) {
				if (acc && !json_array_size(acc))
					break;
				bool in_acc = false;
				size_t q;
				json_t *a;
				json_array_foreach(acc, q, a) in_acc = in_acc || json_equal(a, k);
				if (acc && !in_acc)
					bad++, fprintf(stderr, "%s: class %s requires kind '%s' that it does not accept\n",
						       cfg->proof_table, S(e, "id"), json_string_value(k));
				if (!acc)
					json_array_append(all, k);
			}
		}
		json_array_foreach(all, j, k) {
			json_t *kd = kind_by_id(in, json_string_value(k));
			int lv = kd ? level_of_name(S(kd, "level")) : -1;
			if (!kd)
				bad++, fprintf(stderr, "%s: class %s names kind '%s', which kinds does not define\n",
					       cfg->proof_table, S(e, "id"), json_string_value(k));
			else if (lv == LEVEL_DESIGN || lv == LEVEL_RUN)
				bad++, fprintf(stderr, "%s: class %s accepts kind '%s' of level %s, which never counts for a C site\n",
					       cfg->proof_table, S(e, "id"), json_string_value(k), level_names[lv]);
		}
		if (acc)
			json_object_set_new(e, "accepts", all);
		else
			json_decref(all);
	}
	json_array_foreach(json_object_get(in->proof, "assign"), i, e)
		if (keys_ok(cfg->proof_table, e, pas) || keys_ok(cfg->proof_table, json_object_get(e, "when"), pwhen) ||
		    !json_is_string(json_object_get(e, "class")))
			bad++, fprintf(stderr, "%s: assign[%zu] needs class and an optional when\n", cfg->proof_table, i);
	bad += keys_ok(cfg->backlog, in->backlog, btop);
	json_array_foreach(json_object_get(in->backlog, "items"), i, e)
		if (keys_ok(cfg->backlog, e, bit) || !json_is_string(json_object_get(e, "id")) ||
		    !clauses_ok(json_object_get(e, "requires")) ||
		    (json_object_get(e, "files") && !strings_ok(json_object_get(e, "files"))))
			bad++, fprintf(stderr, "%s: items[%zu] needs id and requires [[kind...]...]; files [glob...]\n", cfg->backlog, i);
	if (!bad && in->summary_path && witness_summary_load(in->summary_path, &in->sum) < 0)
		bad++;
	return bad ? -1 : 0;
}

void proof_in_free(struct evidence_in *in)
{
	json_decref(in->proof);
	json_decref(in->backlog);
	ev_tags_free(&in->tags);
	ctest_list_free(&in->tests);
	test_results_free(&in->junit);
	witness_free(&in->wit);
	witness_summary_free(&in->sum);
	free(in->summary_path);
	memset(in, 0, sizeof *in);
}

/* ---- tests: known, labels, kind, result ---- */

/* The CTest test a test ran under: itself, or (a kernel test) the witness's or summary's ctest. */
static const char *parent_of(const struct evidence_in *in, const char *test)
{
	const struct wit_test *w = witness_get(&in->wit, test);
	if (w && w->ctest)
		return w->ctest;
	const char *p = witness_summary_parent(&in->sum, test);
	return p ? p : test;
}

bool proof_test_known(const struct evidence_in *in, const char *test)
{
	return !in->have_tests || ctest_find(&in->tests, test) || test_result_name(&in->junit, test) ||
	       witness_get(&in->wit, test) || witness_summary_parent(&in->sum, test);
}

const char *proof_test_status(const struct evidence_in *in, const char *test)
{
	if (in->declared)
		return "declared";
	if (!in->junit.loaded)
		return "unknown";
	const char *s = test_result_name(&in->junit, test);
	return s ? s : "not run";
}

/* CTest labels of a test (a kernel test: of the CTest test it ran under), or NULL. */
static const struct strv *test_labels(const struct evidence_in *in, const char *test)
{
	const struct ctest_test *t = ctest_find(&in->tests, parent_of(in, test));
	return t ? &t->labels : NULL;
}

/* A list as a JSON array of strings (the evaluation result is still JSON, for the pages). */
static json_t *strv_json(const struct strv *l)
{
	json_t *a = json_array();
	for (size_t i = 0; l && i < l->n; i++)
		json_array_append_new(a, json_string(l->v[i]));
	return a;
}

/* The kind of a test: the first of the proof table's kinds whose test globs match its name or
 * whose labels it carries (a spin model, label proof, is kind model when that comes first). */
static json_t *kind_of(const struct evidence_in *in, const char *test)
{
	const struct strv *labels = test_labels(in, test);
	json_t *k;
	size_t i;
	json_array_foreach(json_object_get(in->proof, "kinds"), i, k) {
		if (json_object_get(k, "tests") && json_globs_match(json_object_get(k, "tests"), test))
			return k;
		for (size_t j = 0; labels && j < labels->n; j++)
			if (json_object_get(k, "labels") && json_globs_match(json_object_get(k, "labels"), labels->v[j]))
				return k;
	}
	return NULL;
}

static int level_of(json_t *kind)
{
	return kind ? level_of_name(S(kind, "level")) : -1;
}

/* A test's result counts: declared (pages) or passed in this run's JUnit. */
static bool result_ok(const struct evidence_in *in, const char *test)
{
	const char *st = proof_test_status(in, test);
	return !strcmp(st, in->declared ? "declared" : "passed");
}

/* Did test execute the site (file:line, obligation oid) in a passing run? Declared mode reads
 * the committed summary; otherwise the live witness (which must itself say passed). */
static bool executed(const struct evidence_in *in, const char *test, const char *oid, const char *file, long long line)
{
	if (in->declared) {
		const struct sum_entry *e = oid ? witness_summary_get(&in->sum, oid) : NULL;
		for (size_t i = 0; e && i < e->n_tests; i++)
			if (!strcmp(e->tests[i], test))
				return true;
		return false;
	}
	const struct wit_test *w = witness_get(&in->wit, test);
	return w && w->passed && witness_hit(w, file, line);
}

/* A proof test proves the C files its command names. */
static bool proves_file(const struct evidence_in *in, const char *test, const char *file)
{
	const struct ctest_test *t = ctest_find(&in->tests, test);
	for (size_t i = 0; t && i < t->files.n; i++)
		if (!strcmp(t->files.v[i], file))
			return true;
	return false;
}

/* ---- citations ---- */

/* Citations of one ID, one per test: [{test, labels, kind, level, status, file, line}]. */
static json_t *citations(const struct evidence_in *in, const char *id)
{
	json_t *out = json_array();
	for (size_t i = 0; i < in->tags.n; i++) {
		const struct ev_tag *t = &in->tags.v[i];
		for (size_t j = 0; j < t->ids.n; j++) {
			if (strcmp(t->ids.v[j], id) != 0)
				continue;
			bool dup = false;
			size_t k;
			json_t *c;
			json_array_foreach(out, k, c)  /* one test declared in several tags */
				dup = dup || strcmp(S(c, "test"), t->test) == 0;
			if (dup)
				continue;
			const struct strv *lab = test_labels(in, t->test);
			json_t *kd = kind_of(in, t->test);
			json_array_append_new(out, json_pack("{s:s,s:o,s:s?,s:s?,s:s,s:s,s:I}", "test", t->test, "labels",
					      lab ? strv_json(lab) : json_null(), "kind", kd ? S(kd, "id") : NULL, "level",
					      kd ? S(kd, "level") : NULL, "status", proof_test_status(in, t->test),
					      "file", t->file, "line", (json_int_t)t->line));
		}
	}
	return out;
}

/* Clauses of req not met by the counting citations (each {kind, counts}): ["qemu", "fuzz|proof"]. */
static json_t *missing(json_t *req, json_t *cites)
{
	json_t *out = json_array(), *c, *k, *ct;
	size_t i, j, m;
	json_array_foreach(req, i, c) {
		bool met = false;
		struct sbuf b = {0};
		json_array_foreach(c, j, k) {
			sb_printf(&b, "%s%s", j ? "|" : "", json_string_value(k));
			json_array_foreach(cites, m, ct)
				met = met || (json_is_true(json_object_get(ct, "counts")) && S(ct, "kind") &&
					      !strcmp(S(ct, "kind"), json_string_value(k)));
		}
		if (!met)
			json_array_append_new(out, json_string(b.s));
		sb_free(&b);
	}
	return out;
}

static bool roles_all(json_t *need, json_t *have)
{
	size_t i, j;
	json_t *alt, *r;
	json_array_foreach(need, i, alt) {
		bool any = false;
		char *s = xstrdup(json_string_value(alt)), *save = NULL;
		for (char *tok = strtok_r(s, "|", &save); tok; tok = strtok_r(NULL, "|", &save))
			json_array_foreach(have, j, r) any = any || strcmp(json_string_value(r), tok) == 0;
		free(s);
		if (!any)
			return false;
	}
	return true;
}

static json_t *class_of(const struct evidence_in *in, const char *machine, json_t *roles)
{
	size_t i;
	json_t *a;
	json_array_foreach(json_object_get(in->proof, "assign"), i, a) {
		json_t *w = json_object_get(a, "when"), *ms = json_object_get(w, "machines");
		if (ms && !json_globs_match(ms, machine))
			continue;
		if (!roles_all(json_object_get(w, "roles_all"), roles))
			continue;
		const char *cid = json_string_value(json_object_get(a, "class"));
		size_t j;
		json_t *c;
		json_array_foreach(json_object_get(in->proof, "classes"), j, c)
			if (strcmp(json_string_value(json_object_get(c, "id")), cid) == 0)
				return c;
	}
	return NULL;
}

/* Roles of the primitives each function (by index in m->functions) calls directly, as bits. */
static uint32_t *direct_roles(const struct model *m)
{
	uint32_t *out = xcalloc(m->n_functions ? m->n_functions : 1, sizeof *out);
	for (size_t i = 0; i < m->n_primitive_sites; i++) {
		const struct function *f = model_function(m, m->primitive_sites[i].usr);
		if (f)
			out[f - m->functions] |= 1u << m->primitive_sites[i].role;
	}
	return out;
}

/* Roles around a transition site: everything its function reaches through its callees, and what
 * its direct callers do themselves (the unhook-flush-free sequence usually spans one call). Not
 * the whole operation: an entry point like boot reaches everything and would say nothing. */
static uint32_t roles_around(const struct model *m, const uint32_t *droles, const struct transition *t)
{
	uint32_t set = 0;
	size_t n = m->n_functions, qn = 0;
	bool *seen = xcalloc(n ? n : 1, sizeof *seen);
	size_t *queue = xcalloc(n ? n : 1, sizeof *queue);
	const struct function *start = model_function(m, t->usr);
	if (start) {
		queue[qn++] = (size_t)(start - m->functions);
		seen[queue[0]] = true;
	}
	for (size_t qi = 0; qi < qn; qi++) {
		const struct function *f = &m->functions[queue[qi]];
		set |= droles[queue[qi]];
		for (size_t i = 0; i < f->callees.n; i++) {
			const struct function *c = model_function(m, f->callees.v[i]);
			if (c && !seen[c - m->functions]) {
				seen[c - m->functions] = true;
				queue[qn++] = (size_t)(c - m->functions);
			}
		}
	}
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < m->functions[i].callees.n; j++)
			if (!strcmp(m->functions[i].callees.v[j], t->usr))
				set |= droles[i];
	free(seen);
	free(queue);
	return set;
}

/* Role names of a bit set, sorted by name (the order the pages and the class lookup see). */
static json_t *role_names(uint32_t set)
{
	struct strv names = {0};
	for (int r = 0; r < ROLE_COUNT; r++)
		if (set & (1u << r))
			strv_push(&names, role_name((enum role)r));
	strv_sort_uniq(&names);
	json_t *a = json_array();
	for (size_t i = 0; i < names.n; i++)
		json_array_append_new(a, json_string(names.v[i]));
	strv_free(&names);
	return a;
}

/* The transition obligation of a site (same function, file and line), or NULL. */
static const struct obligation *site_obligation(const struct model *m, const struct transition *t)
{
	for (size_t i = 0; i < m->n_obligations; i++) {
		const struct obligation *o = &m->obligations[i];
		if (!strcmp(o->cls, "transition") && o->line == t->line && !strcmp(o->file, t->file) &&
		    !strcmp(o->function, t->function))
			return o;
	}
	return NULL;
}

static bool accepts(json_t *cls, const char *kind)
{
	size_t i;
	json_t *k;
	if (!json_object_get(cls, "accepts"))
		return kind != NULL;
	json_array_foreach(json_object_get(cls, "accepts"), i, k)
		if (kind && !strcmp(json_string_value(k), kind))
			return true;
	return false;
}

/* Does a citation count for one site? Sets its "accepted" and "witnessed" members. */
static bool cite_counts_for_site(const struct evidence_in *in, json_t *cls, json_t *c, const struct transition *t,
				 const char *oid)
{
	const char *test = S(c, "test");
	int lv = level_of_name(S(c, "level"));
	bool acc = cls && accepts(cls, S(c, "kind")) && lv != LEVEL_DESIGN && lv != LEVEL_RUN;
	bool wit;
	if (lv == LEVEL_FUNCTION)
		wit = proves_file(in, test, t->file);
	else if (lv == LEVEL_SITE || lv == LEVEL_STATIC)
		wit = !in->witnessed || executed(in, test, oid, t->file, t->line);
	else
		wit = false;
	json_object_set_new(c, "accepted", json_boolean(acc));
	json_object_set_new(c, "witnessed", json_boolean(wit));
	bool counts = acc && wit && result_ok(in, test);
	json_object_set_new(c, "counts", json_boolean(counts));
	return counts;
}

/* Tests (passing, in this run or in the summary) that executed an obligation's site. */
static json_t *site_witnesses(const struct evidence_in *in, const char *oid, const char *file, long long line)
{
	json_t *out = json_array();
	if (in->declared || !in->wit.loaded) {
		const struct sum_entry *e = oid ? witness_summary_get(&in->sum, oid) : NULL;
		for (size_t i = 0; e && i < e->n_tests; i++)
			json_array_append_new(out, json_string(e->tests[i]));
		return out;
	}
	for (size_t i = 0; i < in->wit.n; i++) {
		const struct wit_test *w = &in->wit.v[i];
		if (w->passed && result_ok(in, w->test) && witness_hit(w, file, line))
			json_array_append_new(out, json_string(w->test));
	}
	return out;
}

static json_t *eval_site(const struct model *m, const struct evidence_in *in, json_t *cls, json_t *cites,
			 const struct transition *t, bool *proven)
{
	const struct obligation *o = site_obligation(m, t);
	const char *oid = o ? o->id : NULL;
	json_t *sc = json_array(), *c;
	size_t i;
	long long nwit = 0;
	json_array_foreach(cites, i, c) {
		json_t *cc = json_deep_copy(c);
		bool counts = cite_counts_for_site(in, cls, cc, t, oid);
		int lv = level_of_name(S(cc, "level"));
		if (counts && (lv == LEVEL_SITE || lv == LEVEL_STATIC))
			nwit++;
		json_array_append_new(sc, cc);
	}
	json_t *req = cls ? json_object_get(cls, "requires") : NULL;
	json_t *miss = cls ? missing(req, sc) : json_pack("[s]", "a proof-table class");
	json_int_t need = cls && json_is_integer(json_object_get(cls, "witnesses")) ? json_integer_value(json_object_get(cls, "witnesses")) : 1;
	if (cls && in->witnessed && nwit < need && json_array_size(req))
		json_array_append_new(miss, json_sprintf("%lld witnessing test(s) of the site (has %lld)", (long long)need, nwit));
	json_array_foreach(json_object_get(cls, "runs"), i, c)
		if (!result_ok(in, json_string_value(c)) && !(in->declared && proof_test_known(in, json_string_value(c))))
			json_array_append_new(miss, json_sprintf("a passing run of %s", json_string_value(c)));
	*proven = json_array_size(miss) == 0;
	return json_pack("{s:s,s:s,s:I,s:s?,s:o,s:o,s:o,s:b}", "function", t->function, "file", t->file, "line",
			 (json_int_t)t->line, "obligation", oid, "witnesses", site_witnesses(in, oid, t->file, t->line),
			 "evidence", sc, "missing", miss, "proven", *proven);
}

static json_t *eval_transitions(const struct model *m, const struct evidence_in *in)
{
	json_t *out = json_object();
	uint32_t *droles = direct_roles(m);
	size_t n = m->n_transitions, nid = 0;
	/* An edge's class comes from the roles around every site of it (the strictest wins); edges
	 * in the order of their first site. */
	const struct transition **first = xcalloc(n ? n : 1, sizeof *first);
	uint32_t *roles = xcalloc(n ? n : 1, sizeof *roles);
	for (size_t i = 0; i < n; i++) {
		const struct transition *t = &m->transitions[i];
		size_t k = 0;
		while (k < nid && strcmp(first[k]->id, t->id))
			k++;
		if (k == nid)
			first[nid++] = t;
		roles[k] |= roles_around(m, droles, t);
	}
	for (size_t k = 0; k < nid; k++) {
		const char *id = first[k]->id;
		json_t *rl = role_names(roles[k]);
		json_t *cls = class_of(in, first[k]->machine, rl);
		json_t *cites = citations(in, id), *req = cls ? json_object_get(cls, "requires") : NULL;
		json_t *sites = json_array(), *miss = json_array(), *c;
		bool all = true;
		size_t ci;
		for (size_t i = 0; i < n; i++) {
			const struct transition *t = &m->transitions[i];
			if (strcmp(t->id, id))
				continue;
			bool p;
			json_t *s = eval_site(m, in, cls, cites, t, &p);
			all = all && p;
			size_t mi;
			json_t *me;
			json_array_foreach(json_object_get(s, "missing"), mi, me) {
				bool dup = false;
				size_t q;
				json_t *x;
				json_array_foreach(miss, q, x) dup = dup || json_equal(x, me);
				if (!dup)
					json_array_append(miss, me);
			}
			json_array_append_new(sites, s);
		}
		/* Per citation over the edge: how many of its sites it witnessed, and whether its
		 * kind is accepted (the first site says: acceptance does not vary by site). */
		json_array_foreach(cites, ci, c) {
			json_int_t nw = 0;
			bool acc = false;
			size_t si;
			json_t *s;
			json_array_foreach(sites, si, s) {
				json_t *sc = json_array_get(json_object_get(s, "evidence"), ci);
				nw += json_is_true(json_object_get(sc, "witnessed"));
				acc = json_is_true(json_object_get(sc, "accepted"));
			}
			json_object_set_new(c, "sites_witnessed", json_integer(nw));
			json_object_set_new(c, "accepted", json_boolean(acc));
		}
		json_object_set_new(out, id, json_pack("{s:s?,s:O,s:o,s:o,s:o,s:o,s:b}", "class",
				    cls ? S(cls, "id") : NULL, "requires", req ? req : json_null(), "roles", rl,
				    "evidence", cites, "missing", miss, "sites", sites, "proven", all));
	}
	free(first);
	free(roles);
	free(droles);
	return out;
}

/* The code of a backlog item: the sites of its transitions and inventory globs, and every
 * obligation in the files its `files` globs name. [{obligation, file, line}]. */
static json_t *item_scope(const struct model *m, json_t *it)
{
	json_t *out = json_array();
	json_t *tg = json_object_get(it, "transitions"), *ig = json_object_get(it, "inventory"), *fg = json_object_get(it, "files");
	for (size_t i = 0; i < m->n_transitions; i++) {
		const struct transition *t = &m->transitions[i];
		if ((tg && json_globs_match(tg, t->id)) || (ig && json_globs_match(ig, t->id))) {
			const struct obligation *o = site_obligation(m, t);
			json_array_append_new(out, json_pack("{s:s?,s:s,s:I}", "obligation", o ? o->id : NULL, "file", t->file,
							     "line", (json_int_t)t->line));
		}
	}
	for (size_t i = 0; fg && i < m->n_obligations; i++) {
		const struct obligation *o = &m->obligations[i];
		if (json_globs_match(fg, o->file))
			json_array_append_new(out, json_pack("{s:s,s:s,s:I}", "obligation", o->id, "file", o->file,
							     "line", (json_int_t)o->line));
	}
	return out;
}

/* Did test execute any line of a file matching the globs, in a passing run? */
static bool touched_files(const struct evidence_in *in, const char *test, json_t *globs)
{
	if (!globs)
		return false;
	if (in->declared) {
		for (size_t i = 0; i < in->sum.n_touched; i++)
			if (json_globs_match(globs, in->sum.touched[i].file) && witness_summary_touched(&in->sum, in->sum.touched[i].file, test))
				return true;
		return false;
	}
	const struct wit_test *w = witness_get(&in->wit, test);
	for (size_t i = 0; w && w->passed && i < w->n_files; i++)
		if (w->files[i].n && json_globs_match(globs, w->files[i].path))
			return true;
	return false;
}

/* Does a backlog citation count: its kind measured, and (run-measured kinds) the test executed
 * the item's code; a proof proves a file of it. Sets "witnessed" and "counts". */
static bool cite_counts_for_item(const struct evidence_in *in, json_t *c, json_t *scope, json_t *files, bool has_code)
{
	const char *test = S(c, "test");
	int lv = level_of_name(S(c, "level"));
	bool wit = false;
	size_t i;
	json_t *s;
	if (lv == LEVEL_DESIGN || lv == LEVEL_RUN) {
		wit = true;
	} else if (lv == LEVEL_STATIC && in->witnessed) {
		/* A whole-kernel static run is evidence for an item about all paths, by its result,
		 * once the item's code exists (it checked that code). */
		wit = has_code;
	} else if (lv == LEVEL_FUNCTION) {
		json_array_foreach(scope, i, s) wit = wit || proves_file(in, test, S(s, "file"));
		const struct ctest_test *ct = ctest_find(&in->tests, test);
		for (size_t f = 0; ct && f < ct->files.n; f++)
			wit = wit || (files && json_globs_match(files, ct->files.v[f]));
	} else if (lv == LEVEL_SITE || lv == LEVEL_STATIC) {
		if (!in->witnessed) {
			wit = true;
		} else {
			json_array_foreach(scope, i, s) wit = wit || executed(in, test, S(s, "obligation"), S(s, "file"), I(s, "line"));
			wit = wit || touched_files(in, test, files);
		}
	}
	bool counts = wit && result_ok(in, test);
	json_object_set_new(c, "witnessed", json_boolean(wit));
	json_object_set_new(c, "counts", json_boolean(counts));
	return counts;
}

static json_t *eval_backlog(const struct model *m, const struct evidence_in *in, json_t *trans)
{
	json_t *out = json_object(), *it;
	size_t i;
	json_array_foreach(json_object_get(in->backlog, "items"), i, it) {
		const char *id = json_string_value(json_object_get(it, "id"));
		json_t *scope = item_scope(m, it), *files = json_object_get(it, "files");
		json_t *cites = citations(in, id), *c;
		size_t j;
		bool failing = false, any = false, unproven = false;
		size_t code_files = 0;  /* functions of the model in files the item's files globs name */
		for (size_t f = 0; files && f < m->n_functions; f++)
			code_files += json_globs_match(files, m->functions[f].file);
		json_array_foreach(cites, j, c) {
			any = cite_counts_for_item(in, c, scope, files, json_array_size(scope) > 0 || code_files > 0) || any;
			failing = failing || strcmp(S(c, "status"), "failed") == 0;
		}
		json_t *miss = missing(json_object_get(it, "requires"), cites);
		json_t *globs = json_object_get(it, "transitions"), *covered = json_array(), *tv;
		const char *tid;
		json_object_foreach(trans, tid, tv) {
			if (!globs || !json_globs_match(globs, tid))
				continue;
			json_array_append_new(covered, json_string(tid));
			unproven = unproven || !json_is_true(json_object_get(tv, "proven"));
		}
		json_array_foreach(json_object_get(it, "inventory"), j, c) {
			bool found = false;
			json_object_foreach(trans, tid, tv) found = found || glob_match(json_string_value(c), tid);
			if (!found)
				json_array_append_new(miss, json_sprintf("inventory of %s", json_string_value(c)));
		}
		if (globs && json_array_size(covered) == 0)
			json_array_append_new(miss, json_string("transitions in the model"));
		else if (unproven)
			json_array_append_new(miss, json_string("proof of every covered transition"));
		/* Code that does not exist is never done by tags: a site-measured clause needs sites. */
		bool needs_code = false;
		json_t *cl, *k;
		size_t q, r;
		json_array_foreach(json_object_get(it, "requires"), q, cl) json_array_foreach(cl, r, k) {
			int lv = level_of(kind_by_id(in, json_string_value(k)));
			needs_code = needs_code || lv == LEVEL_SITE || lv == LEVEL_STATIC || lv == LEVEL_FUNCTION;
		}
		if (in->witnessed && needs_code && json_array_size(scope) == 0 && code_files == 0)
			json_array_append_new(miss, json_string("code in the model (its transitions, inventory and files match no site)"));
		const char *st = failing ? "failing" : json_array_size(miss) == 0 ? "done" : any ? "partial" : "open";
		json_object_set_new(out, id, json_pack("{s:s,s:o,s:o,s:o,s:I,s:I}", "status", st, "evidence", cites,
				    "missing", miss, "transitions", covered, "sites", (json_int_t)json_array_size(scope),
				    "code_functions", (json_int_t)code_files));
		json_decref(scope);
	}
	return out;
}

/* Each tag: whether its file is one of the cited test's own sources (the CMake files that
 * define it, files its command names, files its witness executed). Unknown when the test has
 * no source information at all (no CTest backtrace and no witness). */
static json_t *eval_tags(const struct evidence_in *in)
{
	json_t *out = json_array();
	for (size_t i = 0; i < in->tags.n; i++) {
		const struct ev_tag *t = &in->tags.v[i];
		const struct ctest_test *ct = ctest_find(&in->tests, t->test);
		const struct wit_test *w = witness_get(&in->wit, t->test);
		bool known = (ct && ct->sources.n > 0) || w, own = false;
		for (size_t j = 0; ct && j < ct->sources.n; j++)
			own = own || !strcmp(ct->sources.v[j], t->file);
		own = own || (w && witness_touches(w, t->file));
		json_array_append_new(out, json_pack("{s:s,s:s,s:I,s:b,s:b}", "test", t->test, "file", t->file, "line",
						     (json_int_t)t->line, "known", known, "own", own));
	}
	return out;
}

json_t *proof_eval(const struct config *cfg, const struct model *model, const struct evidence_in *in)
{
	json_t *tr = eval_transitions(model, in);
	(void)cfg;
	return json_pack("{s:o,s:o,s:o}", "transitions", tr, "backlog", eval_backlog(model, in, tr), "tags", eval_tags(in));
}

void proof_fill_witnesses(struct model *m, const struct evidence_in *in)
{
	for (size_t i = 0; i < m->n_obligations; i++) {
		struct obligation *o = &m->obligations[i];
		json_t *w = site_witnesses(in, o->id, o->file, o->line), *x;
		size_t k;
		for (size_t q = 0; q < o->n_witnesses; q++) {
			free(o->witnesses[q].test);
			free(o->witnesses[q].kind);
		}
		free(o->witnesses);
		o->witnesses = xcalloc(json_array_size(w) + 1, sizeof *o->witnesses);
		o->n_witnesses = 0;
		json_array_foreach(w, k, x) {
			json_t *kd = kind_of(in, json_string_value(x));
			o->witnesses[o->n_witnesses].test = xstrdup(json_string_value(x));
			o->witnesses[o->n_witnesses++].kind = kd ? xstrdup(S(kd, "id")) : NULL;
		}
		json_decref(w);
	}
}

void proof_make_summary(const struct model *m, const struct evidence_in *in, struct witness_summary *out)
{
	*out = (struct witness_summary){0};
	out->v = xcalloc(m->n_obligations + 1, sizeof *out->v);
	out->loaded = true;
	struct strv parents = {0};
	for (size_t i = 0; i < m->n_obligations; i++) {
		const struct obligation *o = &m->obligations[i];
		struct sum_entry *e = &out->v[out->n++];
		e->id = xstrdup(o->id);
		e->file = xstrdup(o->file);
		e->line = o->line;
		e->tests = xcalloc(o->n_witnesses + 1, sizeof *e->tests);
		for (size_t k = 0; k < o->n_witnesses; k++) {
			e->tests[e->n_tests++] = xstrdup(o->witnesses[k].test);
			const char *p = parent_of(in, o->witnesses[k].test);
			if (strcmp(p, o->witnesses[k].test)) {
				char *pair = xasprintf("%s\t%s", o->witnesses[k].test, p);
				strv_push(&parents, pair);
				free(pair);
			}
		}
		qsort(e->tests, e->n_tests, sizeof *e->tests, cmp_strp);
	}
	/* Files the backlog's items name: which passing tests executed any line of each. */
	struct strv pairs = {0};
	size_t bi;
	json_t *it;
	for (size_t t = 0; in->wit.loaded && t < in->wit.n; t++) {
		const struct wit_test *w = &in->wit.v[t];
		if (!w->passed || !result_ok(in, w->test))
			continue;
		for (size_t f = 0; f < w->n_files; f++) {
			bool named = false;
			json_array_foreach(json_object_get(in->backlog, "items"), bi, it)
				named = named || (json_object_get(it, "files") && json_globs_match(json_object_get(it, "files"), w->files[f].path));
			if (named && w->files[f].n) {
				char *pair = xasprintf("%s\t%s", w->files[f].path, w->test);
				strv_push(&pairs, pair);
				free(pair);
				const char *p = parent_of(in, w->test);
				if (strcmp(p, w->test)) {
					char *pp = xasprintf("%s\t%s", w->test, p);
					strv_push(&parents, pp);
					free(pp);
				}
			}
		}
	}
	strv_sort_uniq(&pairs);
	out->touched = xcalloc(pairs.n + 1, sizeof *out->touched);
	for (size_t i = 0; i < pairs.n; i++) {
		char *tab = strchr(pairs.v[i], '\t');
		size_t fl = (size_t)(tab - pairs.v[i]);
		struct sum_touch *last = out->n_touched ? &out->touched[out->n_touched - 1] : NULL;
		if (!last || strlen(last->file) != fl || strncmp(last->file, pairs.v[i], fl)) {
			last = &out->touched[out->n_touched++];
			last->file = xasprintf("%.*s", (int)fl, pairs.v[i]);
			last->tests = xcalloc(pairs.n + 1, sizeof *last->tests);
		}
		last->tests[last->n_tests++] = xstrdup(tab + 1);
	}
	strv_free(&pairs);
	strv_sort_uniq(&parents);
	out->parents = xcalloc(parents.n + 1, sizeof *out->parents);
	for (size_t i = 0; i < parents.n; i++) {
		char *tab = strchr(parents.v[i], '\t');
		out->parents[out->n_parents].test = xasprintf("%.*s", (int)(tab - parents.v[i]), parents.v[i]);
		out->parents[out->n_parents++].ctest = xstrdup(tab + 1);
	}
	strv_free(&parents);
	witness_summary_sort(out);
}
