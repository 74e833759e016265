/* proof.c: the proof table applied to the model, per site. A class's requirement is a list of
 * clauses; each clause lists evidence kinds of which one counting citation must exist. A
 * citation counts for a site only when its kind is accepted by the class and, for kinds
 * measured by a run, the cited test executed that site in a passing run (its witness). The
 * proof table and the backlog come typed from proof_io.c; the result is a struct evaluation. */
#include "proof.h"
#include "model.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int proof_load(const struct config *cfg, struct evidence_in *in)
{
	if (proof_files_read(cfg->proof_table_path, cfg->proof_table, cfg->backlog_path, cfg->backlog, &in->proof,
			     &in->backlog) < 0)
		return -1;
	in->witnessed = in->proof.witnessed;
	const char *ws = in->proof.witness_summary;
	if (ws) {  /* relative to the proof table */
		char *dir = xstrdup(cfg->proof_table_path), *slash = strrchr(dir, '/');
		if (slash)
			*slash = 0;
		in->summary_path = ws[0] == '/' ? xstrdup(ws) : path_join(slash ? dir : ".", ws);
		free(dir);
	}
	if (in->summary_path && witness_summary_load(in->summary_path, &in->sum) < 0)
		return -1;
	return 0;
}

void proof_in_free(struct evidence_in *in)
{
	proof_table_free(&in->proof);
	backlog_free(&in->backlog);
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

/* The kind of a test: the first of the proof table's kinds whose test globs match its name or
 * whose labels it carries (a spin model, label proof, is kind model when that comes first). */
static const struct proof_kind *kind_of(const struct evidence_in *in, const char *test)
{
	const struct strv *labels = test_labels(in, test);
	for (size_t i = 0; i < in->proof.n_kinds; i++) {
		const struct proof_kind *k = &in->proof.kinds[i];
		if (globs_match(&k->tests, test))
			return k;
		for (size_t j = 0; labels && j < labels->n; j++)
			if (globs_match(&k->labels, labels->v[j]))
				return k;
	}
	return NULL;
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

/* Does a list (not a set: unsorted) hold s? */
static bool strv_contains(const struct strv *l, const char *s)
{
	for (size_t i = 0; i < l->n; i++)
		if (!strcmp(l->v[i], s))
			return true;
	return false;
}

/* ---- citations ---- */

/* Citations of one ID, one per test (the first tag of each), in tag order. */
static struct citation *citations(const struct evidence_in *in, const char *id, size_t *n)
{
	struct citation *out = NULL;
	*n = 0;
	for (size_t i = 0; i < in->tags.n; i++) {
		const struct ev_tag *t = &in->tags.v[i];
		for (size_t j = 0; j < t->ids.n; j++) {
			if (strcmp(t->ids.v[j], id) != 0)
				continue;
			bool dup = false;
			for (size_t k = 0; k < *n; k++)  /* one test declared in several tags */
				dup = dup || strcmp(out[k].test, t->test) == 0;
			if (dup)
				continue;
			out = xrealloc(out, sizeof *out * (*n + 1));
			out[(*n)++] = (struct citation){.test = t->test, .file = t->file, .line = t->line,
							.labels = test_labels(in, t->test), .kind = kind_of(in, t->test),
							.status = proof_test_status(in, t->test)};
		}
	}
	return out;
}

static struct citation *citations_copy(const struct citation *c, size_t n)
{
	struct citation *out = xcalloc(n + 1, sizeof *out);
	if (n)
		memcpy(out, c, n * sizeof *out);
	return out;
}

/* Clauses of req not met by the counting citations: "qemu", "fuzz|proof". */
static void missing(const struct clauses *req, const struct citation *cites, size_t nc, struct strv *out)
{
	for (size_t i = 0; req && i < req->n; i++) {
		const struct strv *cl = &req->v[i];
		bool met = false;
		struct sbuf b = {0};
		for (size_t j = 0; j < cl->n; j++) {
			sb_printf(&b, "%s%s", j ? "|" : "", cl->v[j]);
			for (size_t m = 0; m < nc; m++)
				met = met || (cites[m].counts && cites[m].kind && !strcmp(cites[m].kind->id, cl->v[j]));
		}
		if (!met)
			strv_push(out, b.s);
		sb_free(&b);
	}
}

/* ---- the class of an edge ---- */

static bool roles_all(const struct strv *need, const struct strv *have)
{
	for (size_t i = 0; i < need->n; i++) {
		bool any = false;
		char *s = xstrdup(need->v[i]), *save = NULL;
		for (char *tok = strtok_r(s, "|", &save); tok; tok = strtok_r(NULL, "|", &save))
			any = any || strv_contains(have, tok);
		free(s);
		if (!any)
			return false;
	}
	return true;
}

/* The first assign rule that matches (and names a class the table has) gives the class. */
static const struct proof_class *class_of(const struct evidence_in *in, const char *machine, const struct strv *roles)
{
	for (size_t i = 0; i < in->proof.n_assign; i++) {
		const struct proof_assign *a = &in->proof.assign[i];
		if (a->has_machines && !globs_match(&a->machines, machine))
			continue;
		if (!roles_all(&a->roles_all, roles))
			continue;
		if (a->cls >= 0)
			return &in->proof.classes[a->cls];
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

/* Role names of a bit set, sorted by name (the order the class lookup sees). */
static void role_names(uint32_t set, struct strv *names)
{
	for (int r = 0; r < ROLE_COUNT; r++)
		if (set & (1u << r))
			strv_push(names, role_name((enum role)r));
	strv_sort_uniq(names);
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

static bool accepts(const struct proof_class *cls, const struct proof_kind *kind)
{
	if (!cls->has_accepts)
		return kind != NULL;
	return kind && strv_contains(&cls->accepts, kind->id);
}

/* Does a citation count for one site? Sets its accepted, witnessed and counts. */
static bool cite_counts_for_site(const struct evidence_in *in, const struct proof_class *cls, struct citation *c,
				 const struct transition *t, const char *oid)
{
	int lv = citation_level(c);
	c->accepted = cls && accepts(cls, c->kind) && lv != LEVEL_DESIGN && lv != LEVEL_RUN;
	if (lv == LEVEL_FUNCTION)
		c->witnessed = proves_file(in, c->test, t->file);
	else if (lv == LEVEL_SITE || lv == LEVEL_STATIC)
		c->witnessed = !in->witnessed || executed(in, c->test, oid, t->file, t->line);
	else
		c->witnessed = false;
	c->counts = c->accepted && c->witnessed && result_ok(in, c->test);
	return c->counts;
}

/* Tests (passing, in this run or in the summary) that executed an obligation's site. */
static void site_witnesses(const struct evidence_in *in, const char *oid, const char *file, long long line,
			   struct strv *out)
{
	if (in->declared || !in->wit.loaded) {
		const struct sum_entry *e = oid ? witness_summary_get(&in->sum, oid) : NULL;
		for (size_t i = 0; e && i < e->n_tests; i++)
			strv_push(out, e->tests[i]);
		return;
	}
	for (size_t i = 0; i < in->wit.n; i++) {
		const struct wit_test *w = &in->wit.v[i];
		if (w->passed && result_ok(in, w->test) && witness_hit(w, file, line))
			strv_push(out, w->test);
	}
}

/* What a site of class cls still misses: the clauses its counting citations do not meet, the
 * witnessing tests it lacks (nwit of them counted), the whole-kernel runs that did not pass. */
static void site_missing(const struct evidence_in *in, const struct proof_class *cls, struct site_eval *s, long long nwit)
{
	if (!cls) {
		strv_push(&s->missing, "a proof-table class");
		return;
	}
	missing(&cls->requires, s->evidence, s->n_evidence, &s->missing);
	if (in->witnessed && nwit < cls->witnesses && cls->requires.n) {
		char *m = xasprintf("%lld witnessing test(s) of the site (has %lld)", cls->witnesses, nwit);
		strv_push(&s->missing, m);
		free(m);
	}
	for (size_t i = 0; i < cls->runs.n; i++)
		if (!result_ok(in, cls->runs.v[i]) && !(in->declared && proof_test_known(in, cls->runs.v[i]))) {
			char *m = xasprintf("a passing run of %s", cls->runs.v[i]);
			strv_push(&s->missing, m);
			free(m);
		}
}

static void eval_site(const struct model *m, const struct evidence_in *in, const struct proof_class *cls,
		      const struct citation *cites, size_t nc, const struct transition *t, struct site_eval *s)
{
	const struct obligation *o = site_obligation(m, t);
	long long nwit = 0;
	*s = (struct site_eval){.function = t->function, .file = t->file, .line = t->line, .obligation = o ? o->id : NULL};
	s->evidence = citations_copy(cites, nc);
	s->n_evidence = nc;
	for (size_t i = 0; i < nc; i++) {
		bool counts = cite_counts_for_site(in, cls, &s->evidence[i], t, s->obligation);
		int lv = citation_level(&s->evidence[i]);
		if (counts && (lv == LEVEL_SITE || lv == LEVEL_STATIC))
			nwit++;
	}
	site_missing(in, cls, s, nwit);
	s->proven = s->missing.n == 0;
	site_witnesses(in, s->obligation, t->file, t->line, &s->witnesses);
}

/* One edge: its class from the roles around its sites, each site judged, and per citation how
 * many sites it witnessed and whether its kind is accepted (the last site says: acceptance does
 * not vary by site). */
static void eval_edge(const struct model *m, const struct evidence_in *in, const struct transition *first,
		      uint32_t roles, struct edge_eval *e)
{
	struct strv rl = {0};
	role_names(roles, &rl);
	*e = (struct edge_eval){.id = first->id, .cls = class_of(in, first->machine, &rl), .proven = true};
	strv_free(&rl);
	e->evidence = citations(in, e->id, &e->n_evidence);
	e->sites = xcalloc(m->n_transitions + 1, sizeof *e->sites);
	for (size_t i = 0; i < m->n_transitions; i++) {
		const struct transition *t = &m->transitions[i];
		if (strcmp(t->id, e->id))
			continue;
		struct site_eval *s = &e->sites[e->n_sites++];
		eval_site(m, in, e->cls, e->evidence, e->n_evidence, t, s);
		e->proven = e->proven && s->proven;
		for (size_t k = 0; k < s->missing.n; k++)
			if (!strv_contains(&e->missing, s->missing.v[k]))
				strv_push(&e->missing, s->missing.v[k]);
	}
	for (size_t ci = 0; ci < e->n_evidence; ci++) {
		struct citation *c = &e->evidence[ci];
		for (size_t si = 0; si < e->n_sites; si++) {
			c->sites_witnessed += e->sites[si].evidence[ci].witnessed;
			c->accepted = e->sites[si].evidence[ci].accepted;
		}
	}
}

/* Edges in the order of their first site; an edge's class comes from the roles around every
 * site of it (the strictest wins). */
static void eval_edges(const struct model *m, const struct evidence_in *in, struct evaluation *ev)
{
	uint32_t *droles = direct_roles(m);
	size_t n = m->n_transitions, nid = 0;
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
	ev->edges = xcalloc(nid + 1, sizeof *ev->edges);
	for (size_t k = 0; k < nid; k++)
		eval_edge(m, in, first[k], roles[k], &ev->edges[ev->n_edges++]);
	free(first);
	free(roles);
	free(droles);
}

/* ---- backlog items ---- */

/* One site of a backlog item's code (borrowed from the model). */
struct scope_site {
	const char *obligation, *file;
	long long line;
};

/* The code of a backlog item: the sites of its transitions and inventory globs, and every
 * obligation in the files its `files` globs name. */
static struct scope_site *item_scope(const struct model *m, const struct backlog_item *it, size_t *n)
{
	struct scope_site *out = xcalloc(m->n_transitions + m->n_obligations + 1, sizeof *out);
	*n = 0;
	for (size_t i = 0; i < m->n_transitions; i++) {
		const struct transition *t = &m->transitions[i];
		if (globs_match(&it->transitions, t->id) || globs_match(&it->inventory, t->id)) {
			const struct obligation *o = site_obligation(m, t);
			out[(*n)++] = (struct scope_site){o ? o->id : NULL, t->file, t->line};
		}
	}
	for (size_t i = 0; i < m->n_obligations; i++) {
		const struct obligation *o = &m->obligations[i];
		if (globs_match(&it->files, o->file))
			out[(*n)++] = (struct scope_site){o->id, o->file, o->line};
	}
	return out;
}

/* Did test execute any line of a file matching the globs, in a passing run? */
static bool touched_files(const struct evidence_in *in, const char *test, const struct strv *globs)
{
	if (!globs->n)
		return false;
	if (in->declared) {
		for (size_t i = 0; i < in->sum.n_touched; i++)
			if (globs_match(globs, in->sum.touched[i].file) && witness_summary_touched(&in->sum, in->sum.touched[i].file, test))
				return true;
		return false;
	}
	const struct wit_test *w = witness_get(&in->wit, test);
	for (size_t i = 0; w && w->passed && i < w->n_files; i++)
		if (w->files[i].n && globs_match(globs, w->files[i].path))
			return true;
	return false;
}

/* Does a backlog citation count: its kind measured, and (run-measured kinds) the test executed
 * the item's code; a proof proves a file of it. Sets witnessed and counts. */
static bool cite_counts_for_item(const struct evidence_in *in, struct citation *c, const struct scope_site *scope,
				 size_t ns, const struct strv *files, bool has_code)
{
	int lv = citation_level(c);
	bool wit = false;
	if (lv == LEVEL_DESIGN || lv == LEVEL_RUN) {
		wit = true;
	} else if (lv == LEVEL_STATIC && in->witnessed) {
		/* A whole-kernel static run is evidence for an item about all paths, by its result,
		 * once the item's code exists (it checked that code). */
		wit = has_code;
	} else if (lv == LEVEL_FUNCTION) {
		for (size_t i = 0; i < ns; i++)
			wit = wit || proves_file(in, c->test, scope[i].file);
		const struct ctest_test *ct = ctest_find(&in->tests, c->test);
		for (size_t f = 0; ct && f < ct->files.n; f++)
			wit = wit || globs_match(files, ct->files.v[f]);
	} else if (lv == LEVEL_SITE || lv == LEVEL_STATIC) {
		if (!in->witnessed) {
			wit = true;
		} else {
			for (size_t i = 0; i < ns; i++)
				wit = wit || executed(in, c->test, scope[i].obligation, scope[i].file, scope[i].line);
			wit = wit || touched_files(in, c->test, files);
		}
	}
	c->witnessed = wit;
	c->counts = wit && result_ok(in, c->test);
	return c->counts;
}

/* The item's transitions and inventory globs against the evaluated edges. */
static void item_coverage(const struct evaluation *ev, const struct backlog_item *it, struct item_eval *ie)
{
	bool unproven = false;
	for (size_t k = 0; k < ev->n_edges; k++) {
		if (!globs_match(&it->transitions, ev->edges[k].id))
			continue;
		strv_push(&ie->covered, ev->edges[k].id);
		unproven = unproven || !ev->edges[k].proven;
	}
	for (size_t j = 0; j < it->inventory.n; j++) {
		bool found = false;
		for (size_t k = 0; k < ev->n_edges; k++)
			found = found || glob_match(it->inventory.v[j], ev->edges[k].id);
		if (!found) {
			char *m = xasprintf("inventory of %s", it->inventory.v[j]);
			strv_push(&ie->missing, m);
			free(m);
		}
	}
	if (it->has_transitions && ie->covered.n == 0)
		strv_push(&ie->missing, "transitions in the model");
	else if (unproven)
		strv_push(&ie->missing, "proof of every covered transition");
}

/* Does a clause of the item need code: a kind measured at sites, statically or by a proof? */
static bool item_needs_code(const struct evidence_in *in, const struct backlog_item *it)
{
	bool needs = false;
	for (size_t q = 0; q < it->requires.n; q++)
		for (size_t r = 0; r < it->requires.v[q].n; r++) {
			const struct proof_kind *k = proof_kind_get(&in->proof, it->requires.v[q].v[r]);
			needs = needs || (k && (k->level == LEVEL_SITE || k->level == LEVEL_STATIC || k->level == LEVEL_FUNCTION));
		}
	return needs;
}

static void eval_item(const struct model *m, const struct evidence_in *in, const struct evaluation *ev,
		      const struct backlog_item *it, struct item_eval *ie)
{
	size_t ns;
	struct scope_site *scope = item_scope(m, it, &ns);
	bool failing = false, any = false;
	*ie = (struct item_eval){.item = it, .sites = ns};
	for (size_t f = 0; f < m->n_functions; f++)  /* functions in files the item's files globs name */
		ie->code_functions += globs_match(&it->files, m->functions[f].file);
	ie->evidence = citations(in, it->id, &ie->n_evidence);
	for (size_t j = 0; j < ie->n_evidence; j++) {
		struct citation *c = &ie->evidence[j];
		any = cite_counts_for_item(in, c, scope, ns, &it->files, ns > 0 || ie->code_functions > 0) || any;
		failing = failing || strcmp(c->status, "failed") == 0;
	}
	missing(&it->requires, ie->evidence, ie->n_evidence, &ie->missing);
	item_coverage(ev, it, ie);
	/* Code that does not exist is never done by tags: a site-measured clause needs sites. */
	if (in->witnessed && item_needs_code(in, it) && ns == 0 && ie->code_functions == 0)
		strv_push(&ie->missing, "code in the model (its transitions, inventory and files match no site)");
	ie->status = failing ? ITEM_FAILING : ie->missing.n == 0 ? ITEM_DONE : any ? ITEM_PARTIAL : ITEM_OPEN;
	free(scope);
}

/* Each tag: whether its file is one of the cited test's own sources (the CMake files that
 * define it, files its command names, files its witness executed). Unknown when the test has
 * no source information at all (no CTest backtrace and no witness). */
static void eval_tags(const struct evidence_in *in, struct evaluation *ev)
{
	ev->tags = xcalloc(in->tags.n + 1, sizeof *ev->tags);
	for (size_t i = 0; i < in->tags.n; i++) {
		const struct ev_tag *t = &in->tags.v[i];
		const struct ctest_test *ct = ctest_find(&in->tests, t->test);
		const struct wit_test *w = witness_get(&in->wit, t->test);
		bool known = (ct && ct->sources.n > 0) || w, own = false;
		for (size_t j = 0; ct && j < ct->sources.n; j++)
			own = own || !strcmp(ct->sources.v[j], t->file);
		own = own || (w && witness_touches(w, t->file));
		ev->tags[ev->n_tags++] = (struct tag_eval){t->test, t->file, t->line, known, own};
	}
}

void proof_eval(const struct config *cfg, const struct model *model, const struct evidence_in *in,
		struct evaluation *out)
{
	(void)cfg;
	*out = (struct evaluation){0};
	eval_edges(model, in, out);
	out->items = xcalloc(in->backlog.n_items + 1, sizeof *out->items);
	for (size_t i = 0; i < in->backlog.n_items; i++)
		eval_item(model, in, out, &in->backlog.items[i], &out->items[out->n_items++]);
	eval_tags(in, out);
}

static void site_eval_free(struct site_eval *s)
{
	strv_free(&s->witnesses);
	strv_free(&s->missing);
	free(s->evidence);
}

void evaluation_free(struct evaluation *ev)
{
	for (size_t i = 0; i < ev->n_edges; i++) {
		struct edge_eval *e = &ev->edges[i];
		for (size_t s = 0; s < e->n_sites; s++)
			site_eval_free(&e->sites[s]);
		free(e->sites);
		free(e->evidence);
		strv_free(&e->missing);
	}
	for (size_t i = 0; i < ev->n_items; i++) {
		free(ev->items[i].evidence);
		strv_free(&ev->items[i].missing);
		strv_free(&ev->items[i].covered);
	}
	free(ev->edges);
	free(ev->items);
	free(ev->tags);
	memset(ev, 0, sizeof *ev);
}

const struct edge_eval *evaluation_edge(const struct evaluation *ev, const char *id)
{
	for (size_t i = 0; ev && i < ev->n_edges; i++)
		if (!strcmp(ev->edges[i].id, id))
			return &ev->edges[i];
	return NULL;
}

const struct item_eval *evaluation_item(const struct evaluation *ev, const char *id)
{
	for (size_t i = 0; ev && i < ev->n_items; i++)
		if (!strcmp(ev->items[i].item->id, id))
			return &ev->items[i];
	return NULL;
}

const char *item_status_name(enum item_status s)
{
	static const char *const names[] = {"open", "partial", "done", "failing"};
	return names[s];
}

void proof_fill_witnesses(struct model *m, const struct evidence_in *in)
{
	for (size_t i = 0; i < m->n_obligations; i++) {
		struct obligation *o = &m->obligations[i];
		struct strv w = {0};
		site_witnesses(in, o->id, o->file, o->line, &w);
		for (size_t q = 0; q < o->n_witnesses; q++) {
			free(o->witnesses[q].test);
			free(o->witnesses[q].kind);
		}
		free(o->witnesses);
		o->witnesses = xcalloc(w.n + 1, sizeof *o->witnesses);
		o->n_witnesses = 0;
		for (size_t k = 0; k < w.n; k++) {
			const struct proof_kind *kd = kind_of(in, w.v[k]);
			o->witnesses[o->n_witnesses].test = xstrdup(w.v[k]);
			o->witnesses[o->n_witnesses++].kind = kd ? xstrdup(kd->id) : NULL;
		}
		strv_free(&w);
	}
}

/* "test\tctest" when test ran under another CTest test (a kernel test), for the summary. */
static void push_parent(const struct evidence_in *in, const char *test, struct strv *parents)
{
	const char *p = parent_of(in, test);
	if (strcmp(p, test)) {
		char *pair = xasprintf("%s\t%s", test, p);
		strv_push(parents, pair);
		free(pair);
	}
}

/* Per obligation: the tests that witnessed it (sorted). */
static void summary_entries(const struct model *m, const struct evidence_in *in, struct witness_summary *out,
			    struct strv *parents)
{
	out->v = xcalloc(m->n_obligations + 1, sizeof *out->v);
	for (size_t i = 0; i < m->n_obligations; i++) {
		const struct obligation *o = &m->obligations[i];
		struct sum_entry *e = &out->v[out->n++];
		e->id = xstrdup(o->id);
		e->file = xstrdup(o->file);
		e->line = o->line;
		e->tests = xcalloc(o->n_witnesses + 1, sizeof *e->tests);
		for (size_t k = 0; k < o->n_witnesses; k++) {
			e->tests[e->n_tests++] = xstrdup(o->witnesses[k].test);
			push_parent(in, o->witnesses[k].test, parents);
		}
		qsort(e->tests, e->n_tests, sizeof *e->tests, cmp_strp);
	}
}

/* Files the backlog's items name: which passing tests executed any line of each, as sorted
 * "file\ttest" pairs. */
static void summary_touched_pairs(const struct evidence_in *in, struct strv *pairs, struct strv *parents)
{
	for (size_t t = 0; in->wit.loaded && t < in->wit.n; t++) {
		const struct wit_test *w = &in->wit.v[t];
		if (!w->passed || !result_ok(in, w->test))
			continue;
		for (size_t f = 0; f < w->n_files; f++) {
			bool named = false;
			for (size_t bi = 0; bi < in->backlog.n_items; bi++)
				named = named || globs_match(&in->backlog.items[bi].files, w->files[f].path);
			if (named && w->files[f].n) {
				char *pair = xasprintf("%s\t%s", w->files[f].path, w->test);
				strv_push(pairs, pair);
				free(pair);
				push_parent(in, w->test, parents);
			}
		}
	}
	strv_sort_uniq(pairs);
}

void proof_make_summary(const struct model *m, const struct evidence_in *in, struct witness_summary *out)
{
	struct strv parents = {0}, pairs = {0};
	*out = (struct witness_summary){0};
	out->loaded = true;
	summary_entries(m, in, out, &parents);
	summary_touched_pairs(in, &pairs, &parents);
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
