/* proof.c: the proof table applied to the model. A requirement is a list of clauses; each
 * clause lists evidence kinds (CTest labels) of which one passing test must prove the ID. */
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

static bool clauses_ok(json_t *req)
{
	size_t i, j;
	json_t *c, *k;
	if (req && !json_is_array(req))
		return false;
	json_array_foreach(req, i, c) {
		if (!json_is_array(c) || json_array_size(c) == 0)
			return false;
		json_array_foreach(c, j, k) if (!json_is_string(k)) return false;
	}
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

int proof_load(const struct config *cfg, struct evidence_in *in)
{
	static const char *const ptop[] = {"schema", "description", "kinds", "classes", "assign", NULL};
	static const char *const pcls[] = {"id", "description", "requires", NULL};
	static const char *const pas[] = {"class", "when", NULL};
	static const char *const pwhen[] = {"machines", "roles_all", NULL};
	static const char *const btop[] = {"schema", "description", "items", NULL};
	static const char *const bit[] = {"id", "slice", "title", "text", "requires", "transitions", "inventory", "exit", NULL};
	size_t i;
	json_t *e;
	int bad = 0;
	in->proof = load_one(cfg->proof_table_path, cfg->proof_table, "capos-proof-table/1");
	in->backlog = load_one(cfg->backlog_path, cfg->backlog, "capos-backlog/1");
	if (!in->proof || !in->backlog)
		return -1;
	bad += keys_ok(cfg->proof_table, in->proof, ptop);
	json_array_foreach(json_object_get(in->proof, "classes"), i, e)
		if (keys_ok(cfg->proof_table, e, pcls) || !json_is_string(json_object_get(e, "id")) ||
		    !clauses_ok(json_object_get(e, "requires")))
			bad++, fprintf(stderr, "%s: classes[%zu] needs id and requires [[kind...]...]\n", cfg->proof_table, i);
	json_array_foreach(json_object_get(in->proof, "assign"), i, e)
		if (keys_ok(cfg->proof_table, e, pas) || keys_ok(cfg->proof_table, json_object_get(e, "when"), pwhen) ||
		    !json_is_string(json_object_get(e, "class")))
			bad++, fprintf(stderr, "%s: assign[%zu] needs class and an optional when\n", cfg->proof_table, i);
	bad += keys_ok(cfg->backlog, in->backlog, btop);
	json_array_foreach(json_object_get(in->backlog, "items"), i, e)
		if (keys_ok(cfg->backlog, e, bit) || !json_is_string(json_object_get(e, "id")) ||
		    !clauses_ok(json_object_get(e, "requires")))
			bad++, fprintf(stderr, "%s: items[%zu] needs id and requires [[kind...]...]\n", cfg->backlog, i);
	return bad ? -1 : 0;
}

const char *proof_test_status(const struct evidence_in *in, const char *test)
{
	if (in->declared)
		return "declared";
	if (!in->junit)
		return "unknown";
	const char *s = json_string_value(json_object_get(in->junit, test));
	return s ? s : "not run";
}

static json_t *test_labels(const struct evidence_in *in, const char *test)
{
	return json_object_get(json_object_get(in->tests, test), "labels");
}

/* Citations of one ID: [{test, labels, status, file, line}]. */
static json_t *citations(const struct evidence_in *in, const char *id)
{
	json_t *out = json_array(), *t, *x;
	size_t i, j;
	json_array_foreach(in->tags, i, t)
		json_array_foreach(json_object_get(t, "ids"), j, x)
			if (strcmp(json_string_value(x), id) == 0) {
				const char *test = json_string_value(json_object_get(t, "test"));
				bool dup = false;
				size_t k;
				json_t *c;
				json_array_foreach(out, k, c)  /* one test declared in several tags */
					dup = dup || strcmp(json_string_value(json_object_get(c, "test")), test) == 0;
				if (dup)
					continue;
				json_t *lab = test_labels(in, test);
				json_array_append_new(out, json_pack("{s:s,s:O,s:s,s:O,s:O}", "test", test, "labels",
						      lab ? lab : json_null(), "status", proof_test_status(in, test),
						      "file", json_object_get(t, "file"), "line", json_object_get(t, "line")));
			}
	return out;
}

/* Clauses of req not met by passing cited tests: ["qemu", "fuzz|proof"]. */
static json_t *missing(json_t *req, json_t *cites, bool declared)
{
	json_t *out = json_array(), *c, *k, *ct;
	size_t i, j, m;
	json_array_foreach(req, i, c) {
		bool met = false;
		struct sbuf b = {0};
		json_array_foreach(c, j, k) {
			sb_printf(&b, "%s%s", j ? "|" : "", json_string_value(k));
			json_array_foreach(cites, m, ct) {
				json_t *labs = json_object_get(ct, "labels");
				size_t l;
				json_t *lab;
				const char *st = json_string_value(json_object_get(ct, "status"));
				if (strcmp(st, declared ? "declared" : "passed") != 0)
					continue;
				json_array_foreach(labs, l, lab) met = met || strcmp(json_string_value(lab), json_string_value(k)) == 0;
			}
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
		json_t *miss = cls ? missing(req, cites, in->declared) : json_pack("[s]", "a proof-table class");
		json_object_set_new(out, id, json_pack("{s:s?,s:O,s:o,s:o,s:o,s:b}", "class",
				    cls ? json_string_value(json_object_get(cls, "id")) : NULL, "requires",
				    req ? req : json_null(), "roles", rl, "evidence", cites, "missing", miss,
				    "proven", json_array_size(miss) == 0));
	}
	free(first);
	free(roles);
	free(droles);
	return out;
}

static json_t *eval_backlog(const struct evidence_in *in, json_t *trans)
{
	json_t *out = json_object(), *it;
	size_t i;
	json_array_foreach(json_object_get(in->backlog, "items"), i, it) {
		const char *id = json_string_value(json_object_get(it, "id"));
		json_t *cites = citations(in, id), *miss = missing(json_object_get(it, "requires"), cites, in->declared);
		json_t *globs = json_object_get(it, "transitions"), *covered = json_array(), *tv;
		const char *tid;
		bool failing = false, any = json_array_size(cites) > 0, unproven = false;
		size_t j;
		json_t *c;
		json_array_foreach(cites, j, c) failing = failing || strcmp(json_string_value(json_object_get(c, "status")), "failed") == 0;
		json_object_foreach(trans, tid, tv) {
			if (!globs || !json_globs_match(globs, tid))
				continue;
			json_array_append_new(covered, json_string(tid));
			any = any || json_array_size(json_object_get(tv, "evidence")) > 0;
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
		const char *st = failing ? "failing" : json_array_size(miss) == 0 ? "done" : any ? "partial" : "open";
		json_object_set_new(out, id, json_pack("{s:s,s:o,s:o,s:o}", "status", st, "evidence", cites,
				    "missing", miss, "transitions", covered));
	}
	return out;
}

json_t *proof_eval(const struct config *cfg, const struct model *model, const struct evidence_in *in)
{
	json_t *tr = eval_transitions(model, in);
	(void)cfg;
	return json_pack("{s:o,s:o}", "transitions", tr, "backlog", eval_backlog(in, tr));
}
