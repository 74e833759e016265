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

/* Roles of the primitives a function calls directly: usr -> {role: true}. */
static json_t *direct_roles(json_t *model)
{
	json_t *out = json_object(), *c;
	size_t i;
	json_array_foreach(json_object_get(model, "primitive_sites"), i, c) {
		const char *u = json_string_value(json_object_get(c, "usr"));
		if (!json_object_get(out, u))
			json_object_set_new(out, u, json_object());
		json_object_set_new(json_object_get(out, u), json_string_value(json_object_get(c, "role")), json_true());
	}
	return out;
}

/* Roles around a transition site: everything its function reaches through its callees, and what
 * its direct callers do themselves (the unhook-flush-free sequence usually spans one call). Not
 * the whole operation: an entry point like boot reaches everything and would say nothing. */
static json_t *roles_around(json_t *model, json_t *droles, json_t *t)
{
	json_t *fns = json_object_get(model, "functions"), *set = json_object(), *seen = json_object();
	json_t *queue = json_array(), *e, *r;
	const char *usr = json_string_value(json_object_get(t, "usr")), *k, *rk;
	size_t qi, i;
	json_array_append_new(queue, json_string(usr));
	json_object_set_new(seen, usr, json_true());
	for (qi = 0; qi < json_array_size(queue); qi++) {
		const char *u = json_string_value(json_array_get(queue, qi));
		json_object_foreach(json_object_get(droles, u), rk, r) json_object_set_new(set, rk, json_true());
		json_array_foreach(json_object_get(json_object_get(fns, u), "callees"), i, e)
			if (!json_object_get(seen, json_string_value(e))) {
				json_object_set_new(seen, json_string_value(e), json_true());
				json_array_append(queue, e);
			}
	}
	json_object_foreach(fns, k, e)
		json_array_foreach(json_object_get(e, "callees"), i, r)
			if (strcmp(json_string_value(r), usr) == 0) {
				const char *rk2;
				json_t *r2;
				json_object_foreach(json_object_get(droles, k), rk2, r2) json_object_set_new(set, rk2, json_true());
			}
	json_t *arr = set_to_array(set);
	json_decref(set);
	json_decref(seen);
	json_decref(queue);
	return arr;
}

static json_t *eval_transitions(json_t *model, const struct evidence_in *in)
{
	json_t *out = json_object(), *sets = json_object(), *t, *r, *set, *droles = direct_roles(model);
	const char *id;
	size_t i, j;
	/* An edge's class comes from the roles around every site of it (the strictest wins). */
	json_array_foreach(json_object_get(model, "transitions"), i, t) {
		id = json_string_value(json_object_get(t, "id"));
		if (!json_object_get(sets, id))
			json_object_set_new(sets, id, json_pack("{s:s,s:{}}", "machine",
					    json_string_value(json_object_get(t, "machine")), "roles"));
		json_t *roles = roles_around(model, droles, t);
		json_array_foreach(roles, j, r)
			json_object_set_new(json_object_get(json_object_get(sets, id), "roles"), json_string_value(r), json_true());
		json_decref(roles);
	}
	json_object_foreach(sets, id, set) {
		json_t *roles = set_to_array(json_object_get(set, "roles"));
		json_t *cls = class_of(in, json_string_value(json_object_get(set, "machine")), roles);
		json_t *cites = citations(in, id), *req = cls ? json_object_get(cls, "requires") : NULL;
		json_t *miss = cls ? missing(req, cites, in->declared) : json_pack("[s]", "a proof-table class");
		json_object_set_new(out, id, json_pack("{s:s?,s:O,s:o,s:o,s:o,s:b}", "class",
				    cls ? json_string_value(json_object_get(cls, "id")) : NULL, "requires",
				    req ? req : json_null(), "roles", roles, "evidence", cites, "missing", miss,
				    "proven", json_array_size(miss) == 0));
	}
	json_decref(sets);
	json_decref(droles);
	return out;
}

static json_t *eval_backlog(json_t *model, const struct evidence_in *in, json_t *trans)
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
	(void)model;
	return out;
}

json_t *proof_eval(const struct config *cfg, json_t *model, const struct evidence_in *in)
{
	json_t *tr = eval_transitions(model, in);
	(void)cfg;
	return json_pack("{s:o,s:o}", "transitions", tr, "backlog", eval_backlog(model, in, tr));
}
