/* proof_io.c: the JSON edge of the proof table and the backlog. Both files are read into typed
 * structs (proof_io.h); every problem is printed before the run stops (exit 2), and a member the
 * tool does not know, or of the wrong type, is a problem (fail closed). */
#include "proof_io.h"
#include "json_io.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const level_names[] = {"site", "static", "function", "design", "run", NULL};

const char *kind_level_name(enum kind_level l)
{
	return level_names[l];
}

static int level_of_name(const char *s)
{
	for (int i = 0; s && level_names[i]; i++)
		if (!strcmp(level_names[i], s))
			return i;
	return -1;
}

/* ---- JSON shape checks (the messages name the file as the config writes it) ---- */

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

/* An optional member: absent, or a list of strings. */
static bool opt_strings_ok(json_t *o, const char *key)
{
	json_t *a = json_object_get(o, key);
	return !a || strings_ok(a);
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

/* A top-level list (kinds, classes, assign, items): absent, or an array. */
static int array_ok(const char *file, json_t *o, const char *key)
{
	json_t *a = json_object_get(o, key);
	if (a && !json_is_array(a)) {
		fprintf(stderr, "%s: %s must be an array\n", file, key);
		return 1;
	}
	return 0;
}

/* ---- JSON -> structs (on checked values only) ---- */

static void strv_of(json_t *a, struct strv *out)
{
	size_t i;
	json_t *e;
	json_array_foreach(a, i, e) strv_push(out, json_string_value(e));
}

static void clauses_of(json_t *req, struct clauses *out)
{
	size_t i;
	json_t *c;
	out->v = xcalloc(json_array_size(req) + 1, sizeof *out->v);
	json_array_foreach(req, i, c) strv_of(c, &out->v[out->n++]);
}

static void clauses_free(struct clauses *c)
{
	for (size_t i = 0; i < c->n; i++)
		strv_free(&c->v[i]);
	free(c->v);
	memset(c, 0, sizeof *c);
}

static char *str_or_null(json_t *o, const char *key)
{
	const char *s = S(o, key);
	return s ? xstrdup(s) : NULL;
}

/* One of the two files: `abs` is its resolved path (relative to the config file, or absolute),
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

/* ---- the proof table ---- */

/* kinds: a string is {id, labels: [id], level: site}; objects are checked. */
static int read_kinds(const char *file, json_t *proof, struct proof_table *pt)
{
	static const char *const kk[] = {"id", "labels", "tests", "level", "description", NULL};
	json_t *kinds = json_object_get(proof, "kinds"), *k;
	size_t i;
	int bad = array_ok(file, proof, "kinds");
	pt->kinds = xcalloc(json_array_size(kinds) + 1, sizeof *pt->kinds);
	json_array_foreach(kinds, i, k) {
		if (json_is_string(k)) {
			struct proof_kind *d = &pt->kinds[pt->n_kinds++];
			d->id = xstrdup(json_string_value(k));
			d->level = LEVEL_SITE;
			strv_push(&d->labels, d->id);
			continue;
		}
		json_t *labels = json_object_get(k, "labels"), *tests = json_object_get(k, "tests");
		if (!json_is_object(k) || keys_ok(file, k, kk) || !S(k, "id") || level_of_name(S(k, "level")) < 0 ||
		    (labels && !strings_ok(labels)) || (tests && !strings_ok(tests))) {
			fprintf(stderr, "%s: kinds[%zu] needs id, level (site, static, function, design or run) and "
				"optional labels and tests (globs)\n", file, i);
			bad++;
			continue;
		}
		struct proof_kind *d = &pt->kinds[pt->n_kinds++];
		d->id = xstrdup(S(k, "id"));
		d->level = (enum kind_level)level_of_name(S(k, "level"));
		strv_of(labels, &d->labels);
		strv_of(tests, &d->tests);
		if (!labels && !tests)
			strv_push(&d->labels, d->id);
	}
	return bad;
}

/* witnessed and witness_summary. */
static int read_witnessing(const char *file, json_t *proof, struct proof_table *pt)
{
	int bad = 0;
	json_t *w = json_object_get(proof, "witnessed");
	if (w && !json_is_boolean(w))
		bad++, fprintf(stderr, "%s: witnessed must be true or false\n", file);
	pt->witnessed = json_is_true(w);
	if (json_object_get(proof, "witness_summary")) {
		const char *ws = S(proof, "witness_summary");
		if (!ws)
			bad++, fprintf(stderr, "%s: witness_summary must be a file name\n", file);
		else
			pt->witness_summary = xstrdup(ws);
	}
	return bad;
}

/* What a class accepts: its `accepts`, or (without one) every kind of its clauses. A model or a
 * check's pass never counts for a C site, and a clause needs a kind the class accepts. */
static int class_kinds_ok(const char *file, const struct proof_table *pt, const struct proof_class *c)
{
	struct strv all = {0};
	int bad = 0;
	if (c->has_accepts)
		strv_copy(&all, &c->accepts);
	for (size_t j = 0; j < c->requires.n; j++) {
		const struct strv *cl = &c->requires.v[j];
		for (size_t m = 0; m < cl->n; m++) {
			if (c->has_accepts && !c->accepts.n)
				break;
			bool in_acc = false;
			for (size_t q = 0; q < c->accepts.n; q++)
				in_acc = in_acc || !strcmp(c->accepts.v[q], cl->v[m]);
			if (c->has_accepts && !in_acc)
				bad++, fprintf(stderr, "%s: class %s requires kind '%s' that it does not accept\n", file, c->id,
					       cl->v[m]);
			if (!c->has_accepts)
				strv_push(&all, cl->v[m]);
		}
	}
	for (size_t j = 0; j < all.n; j++) {
		const struct proof_kind *kd = proof_kind_get(pt, all.v[j]);
		if (!kd)
			bad++, fprintf(stderr, "%s: class %s names kind '%s', which kinds does not define\n", file, c->id,
				       all.v[j]);
		else if (kd->level == LEVEL_DESIGN || kd->level == LEVEL_RUN)
			bad++, fprintf(stderr, "%s: class %s accepts kind '%s' of level %s, which never counts for a C site\n",
				       file, c->id, all.v[j], level_names[kd->level]);
	}
	strv_free(&all);
	return bad;
}

static int read_classes(const char *file, json_t *proof, struct proof_table *pt)
{
	static const char *const pcls[] = {"id", "description", "requires", "accepts", "witnesses", "runs", NULL};
	json_t *classes = json_object_get(proof, "classes"), *e;
	size_t i;
	int bad = array_ok(file, proof, "classes");
	pt->classes = xcalloc(json_array_size(classes) + 1, sizeof *pt->classes);
	json_array_foreach(classes, i, e) {
		json_t *acc = json_object_get(e, "accepts"), *w = json_object_get(e, "witnesses");
		if (keys_ok(file, e, pcls) || !json_is_string(json_object_get(e, "id")) ||
		    !clauses_ok(json_object_get(e, "requires")) || (acc && !strings_ok(acc)) ||
		    (w && (!json_is_integer(w) || json_integer_value(w) < 1)) || !opt_strings_ok(e, "runs")) {
			bad++, fprintf(stderr, "%s: classes[%zu] needs id and requires [[kind...]...]; accepts [kind...], "
				       "witnesses >= 1 and runs [test...] are optional\n", file, i);
			continue;
		}
		struct proof_class *c = &pt->classes[pt->n_classes++];
		c->id = xstrdup(S(e, "id"));
		clauses_of(json_object_get(e, "requires"), &c->requires);
		c->has_accepts = acc != NULL;
		strv_of(acc, &c->accepts);
		c->witnesses = w ? (long long)json_integer_value(w) : 1;
		strv_of(json_object_get(e, "runs"), &c->runs);
		bad += class_kinds_ok(file, pt, c);
	}
	return bad;
}

static long class_index(const struct proof_table *pt, const char *id)
{
	for (size_t i = 0; i < pt->n_classes; i++)
		if (!strcmp(pt->classes[i].id, id))
			return (long)i;
	return -1;
}

static int read_assign(const char *file, json_t *proof, struct proof_table *pt)
{
	static const char *const pas[] = {"class", "when", NULL};
	static const char *const pwhen[] = {"machines", "roles_all", NULL};
	json_t *assign = json_object_get(proof, "assign"), *e;
	size_t i;
	int bad = array_ok(file, proof, "assign");
	pt->assign = xcalloc(json_array_size(assign) + 1, sizeof *pt->assign);
	json_array_foreach(assign, i, e) {
		json_t *when = json_object_get(e, "when");
		if (keys_ok(file, e, pas) || keys_ok(file, when, pwhen) || !json_is_string(json_object_get(e, "class")) ||
		    (when && !json_is_object(when)) || !opt_strings_ok(when, "machines") ||
		    !opt_strings_ok(when, "roles_all")) {
			bad++, fprintf(stderr, "%s: assign[%zu] needs class and an optional when\n", file, i);
			continue;
		}
		struct proof_assign *a = &pt->assign[pt->n_assign++];
		a->class_id = xstrdup(S(e, "class"));
		a->cls = class_index(pt, a->class_id);
		a->has_machines = json_object_get(when, "machines") != NULL;
		strv_of(json_object_get(when, "machines"), &a->machines);
		strv_of(json_object_get(when, "roles_all"), &a->roles_all);
	}
	return bad;
}

static int read_proof_table(const char *file, json_t *proof, struct proof_table *pt)
{
	static const char *const ptop[] = {"schema", "description", "kinds", "classes", "assign", "witnessed",
					   "witness_summary", NULL};
	int bad = keys_ok(file, proof, ptop);
	bad += read_kinds(file, proof, pt);
	bad += read_witnessing(file, proof, pt);
	bad += read_classes(file, proof, pt);
	bad += read_assign(file, proof, pt);
	return bad;
}

/* ---- the backlog ---- */

/* exit: one string (kept when not empty) or a list of strings. */
static bool exit_ok(json_t *ex)
{
	return !ex || json_is_string(ex) || strings_ok(ex);
}

static void read_item(json_t *e, struct backlog_item *it)
{
	json_t *ex = json_object_get(e, "exit");
	it->id = xstrdup(S(e, "id"));
	it->slice = str_or_null(e, "slice");
	it->title = str_or_null(e, "title");
	clauses_of(json_object_get(e, "requires"), &it->requires);
	it->has_transitions = json_object_get(e, "transitions") != NULL;
	strv_of(json_object_get(e, "transitions"), &it->transitions);
	strv_of(json_object_get(e, "inventory"), &it->inventory);
	strv_of(json_object_get(e, "files"), &it->files);
	if (json_is_string(ex) && *json_string_value(ex))
		strv_push(&it->exit, json_string_value(ex));
	else if (json_is_array(ex))
		strv_of(ex, &it->exit);
}

static int read_backlog(const char *file, json_t *backlog, struct backlog *bl)
{
	static const char *const btop[] = {"schema", "description", "items", NULL};
	static const char *const bit[] = {"id", "slice", "title", "text", "requires", "transitions", "inventory",
					  "files", "exit", NULL};
	json_t *items = json_object_get(backlog, "items"), *e;
	size_t i;
	int bad = keys_ok(file, backlog, btop);
	bad += array_ok(file, backlog, "items");
	bl->items = xcalloc(json_array_size(items) + 1, sizeof *bl->items);
	json_array_foreach(items, i, e) {
		if (keys_ok(file, e, bit) || !json_is_string(json_object_get(e, "id")) ||
		    !clauses_ok(json_object_get(e, "requires")) || !opt_strings_ok(e, "files")) {
			bad++, fprintf(stderr, "%s: items[%zu] needs id and requires [[kind...]...]; files [glob...]\n", file, i);
			continue;
		}
		json_t *sl = json_object_get(e, "slice"), *ti = json_object_get(e, "title");
		if ((sl && !json_is_string(sl)) || (ti && !json_is_string(ti)) || !opt_strings_ok(e, "transitions") ||
		    !opt_strings_ok(e, "inventory") || !exit_ok(json_object_get(e, "exit"))) {
			bad++, fprintf(stderr, "%s: items[%zu]: slice and title are strings, transitions and inventory "
				       "[glob...], exit a string or [string...]\n", file, i);
			continue;
		}
		if (backlog_item_get(bl, S(e, "id"))) {
			bad++, fprintf(stderr, "%s: items[%zu]: id '%s' is used by an earlier item\n", file, i, S(e, "id"));
			continue;
		}
		read_item(e, &bl->items[bl->n_items++]);
	}
	return bad;
}

int proof_files_read(const char *pt_path, const char *pt_rel, const char *bl_path, const char *bl_rel,
		     struct proof_table *pt, struct backlog *bl)
{
	memset(pt, 0, sizeof *pt);
	memset(bl, 0, sizeof *bl);
	json_t *proof = load_one(pt_path, pt_rel, "capos-proof-table/1");
	json_t *backlog = load_one(bl_path, bl_rel, "capos-backlog/1");
	int bad = !proof || !backlog;
	if (!bad) {
		bad += read_proof_table(pt_rel, proof, pt);
		bad += read_backlog(bl_rel, backlog, bl);
	}
	json_decref(proof);
	json_decref(backlog);
	if (bad) {
		proof_table_free(pt);
		backlog_free(bl);
		return -1;
	}
	return 0;
}

/* ---- lookups and freeing ---- */

const struct proof_kind *proof_kind_get(const struct proof_table *pt, const char *id)
{
	for (size_t i = 0; id && i < pt->n_kinds; i++)
		if (!strcmp(pt->kinds[i].id, id))
			return &pt->kinds[i];
	return NULL;
}

const struct backlog_item *backlog_item_get(const struct backlog *bl, const char *id)
{
	for (size_t i = 0; id && i < bl->n_items; i++)
		if (!strcmp(bl->items[i].id, id))
			return &bl->items[i];
	return NULL;
}

void proof_table_free(struct proof_table *pt)
{
	for (size_t i = 0; i < pt->n_kinds; i++) {
		free(pt->kinds[i].id);
		strv_free(&pt->kinds[i].labels);
		strv_free(&pt->kinds[i].tests);
	}
	for (size_t i = 0; i < pt->n_classes; i++) {
		free(pt->classes[i].id);
		clauses_free(&pt->classes[i].requires);
		strv_free(&pt->classes[i].accepts);
		strv_free(&pt->classes[i].runs);
	}
	for (size_t i = 0; i < pt->n_assign; i++) {
		strv_free(&pt->assign[i].machines);
		strv_free(&pt->assign[i].roles_all);
		free(pt->assign[i].class_id);
	}
	free(pt->kinds);
	free(pt->classes);
	free(pt->assign);
	free(pt->witness_summary);
	memset(pt, 0, sizeof *pt);
}

void backlog_free(struct backlog *bl)
{
	for (size_t i = 0; i < bl->n_items; i++) {
		struct backlog_item *it = &bl->items[i];
		free(it->id);
		free(it->slice);
		free(it->title);
		clauses_free(&it->requires);
		strv_free(&it->transitions);
		strv_free(&it->inventory);
		strv_free(&it->files);
		strv_free(&it->exit);
	}
	free(bl->items);
	memset(bl, 0, sizeof *bl);
}
