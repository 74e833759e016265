/* tables.c: the pages reviewers read: one table and one diagram per state machine, the memory-state
 * inventory, the backlog checklist, the check-rule catalog and an index with a MyST toctree. */
#include "tables.h"
#include "check.h"
#include "model.h"
#include "util.h"

#include <dirent.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>


/* A Markdown table cell: no pipes or newlines. */
static void cell(struct sbuf *b, const char *s)
{
	sb_puts(b, " ");
	if (!s || !*s)
		s = "—";
	for (; *s; s++) {
		if (*s == '|')
			sb_puts(b, "\\|");
		else if (*s == '\n')
			sb_puts(b, " ");
		else {
			char c[2] = {*s, 0};
			sb_puts(b, c);
		}
	}
	sb_puts(b, " |");
}

static char *join(json_t *arr, const char *sep, const char *wrap)
{
	struct sbuf b = {0};
	size_t i;
	json_t *e;
	sb_puts(&b, "");
	json_array_foreach(arr, i, e) sb_printf(&b, "%s%s%s%s", i ? sep : "", wrap, json_string_value(e), wrap);
	return b.s;
}

static json_t *sorted_keys(json_t *obj)
{
	json_t *set = json_object(), *v;
	const char *k;
	json_object_foreach(obj, k, v) json_object_set_new(set, k, json_true());
	json_t *a = set_to_array(set);
	json_decref(set);
	return a;
}

static char *ops_reaching(json_t *model, const char *tid)
{
	json_t *a = model_ops_reaching(model, tid);
	char *s = join(a, ", ", "`");
	json_decref(a);
	return s;
}

/* Roles and pair keys the function holding a transition uses directly. */
static void fn_effects(json_t *model, const char *usr, char **tlb, char **ledger)
{
	json_t *f = NULL, *c, *tl = json_object(), *lg = json_object();
	const char *k;
	size_t i;
	json_object_foreach(json_object_get(model, "functions"), k, c)
		if (strcmp(k, usr) == 0)
			f = c;
	if (S(f, "tlb")) {
		char *t = xasprintf("comment: %s", S(f, "tlb"));
		json_object_set_new(tl, t, json_true());
		free(t);
	}
	json_array_foreach(json_object_get(model, "primitive_sites"), i, c) {
		if (strcmp(S(c, "usr"), usr) != 0)
			continue;
		int r = role_from_name(S(c, "role"));
		if (role_class_of(r) == RC_TLB || r == ROLE_FRAME_DEFER_FREE)
			json_object_set_new(tl, S(c, "name"), json_true());
		if (role_class_of(r) == RC_LEDGER) {
			json_t *a = json_object_get(c, "args");
			char *t = xasprintf("%s(%s)", S(c, "name"), json_array_size(a) > 1 ? json_string_value(json_array_get(a, 1)) : "");
			json_object_set_new(lg, t, json_true());
			free(t);
		}
	}
	json_t *a = set_to_array(tl), *b = set_to_array(lg);
	*tlb = join(a, "; ", "");
	*ledger = join(b, "; ", "");
	json_decref(a);
	json_decref(b);
	json_decref(tl);
	json_decref(lg);
}

static char *evidence_text(json_t *ev)
{
	struct sbuf b = {0};
	size_t i;
	json_t *c;
	sb_puts(&b, "");
	json_array_foreach(json_object_get(ev, "evidence"), i, c) {
		char *labs = join(json_object_get(c, "labels"), ",", "");
		sb_printf(&b, "%s`%s` (%s)", i ? "; " : "", S(c, "test"), *labs ? labs : "no such test");
		free(labs);
	}
	return b.s;
}

static char *missing_text(json_t *ev)
{
	json_t *m = json_object_get(ev, "missing");
	if (!ev)
		return xstrdup("not evaluated");
	if (json_array_size(m) == 0)
		return xstrdup("");
	char *j = join(m, "; needs ", "");
	char *r = xasprintf("needs %s", j);
	free(j);
	return r;
}

static void machine_page(json_t *model, json_t *eval, const char *name, json_t *m, json_t *pages)
{
	struct sbuf b = {0}, d = {0};
	size_t i;
	json_t *t, *s;
	json_t *entered = json_object();
	sb_printf(&b, "# State machine `%s`\n\n", name);
	if (S(m, "enum")) {
		char *st = join(json_object_get(m, "states"), ", ", "`");
		sb_printf(&b, "States (`enum %s`, `%s:%lld`): %s.\n\n", S(m, "enum"), S(m, "file"), I(m, "line"), st);
		free(st);
	} else
		sb_puts(&b, "No state enum found for this machine (configured pattern did not match).\n\n");
	sb_puts(&b, "| From | To | Operation | Function | TLB action | Ledger effect | Evidence | Not covered |\n");
	sb_puts(&b, "|---|---|---|---|---|---|---|---|\n");
	sb_printf(&d, "digraph \"%s\" {\n  rankdir=LR;\n  node [shape=box, fontname=\"Helvetica\"];\n", name);
	json_array_foreach(json_object_get(m, "states"), i, s) sb_printf(&d, "  \"%s\";\n", json_string_value(s));
	json_array_foreach(json_object_get(m, "transitions"), i, t) {
		json_t *ev = json_object_get(json_object_get(eval, "transitions"), S(t, "id"));
		char *ops = ops_reaching(model, S(t, "id")), *tlb, *lg, *evt = evidence_text(ev), *miss = missing_text(ev);
		char *fn = xasprintf("`%s` (`%s:%lld`)", S(t, "function"), S(t, "file"), I(t, "line"));
		fn_effects(model, S(t, "usr"), &tlb, &lg);
		sb_puts(&b, "|");
		cell(&b, S(t, "from"));
		cell(&b, S(t, "to"));
		cell(&b, *ops ? ops : "none (not reached from any operation)");
		cell(&b, fn);
		cell(&b, tlb);
		cell(&b, lg);
		cell(&b, evt);
		cell(&b, miss);
		sb_puts(&b, "\n");
		sb_printf(&d, "  \"%s\" -> \"%s\" [label=\"%s\", %s];\n", S(t, "from"), S(t, "to"), S(t, "function"),
			  json_is_true(json_object_get(ev, "proven")) ? "color=darkgreen" : "color=red, style=dashed");
		json_object_set_new(entered, S(t, "to"), json_true());
		json_object_set_new(entered, S(t, "from"), json_true());
		free(ops); free(tlb); free(lg); free(evt); free(miss); free(fn);
	}
	if (json_array_size(json_object_get(m, "transitions")) == 0)
		sb_puts(&b, "| — | — | — | — | — | — | — | no transition site found |\n");
	sb_puts(&b, "\nStates that no transition site enters or leaves:");
	int none = 1;
	json_array_foreach(json_object_get(m, "states"), i, s)
		if (!json_object_get(entered, json_string_value(s)))
			sb_printf(&b, " `%s`", json_string_value(s)), none = 0;
	sb_printf(&b, "%s\n\nEvidence lists the tests that declare `@proves` for the edge (kind = CTest label); "
		  "\"Not covered\" lists the evidence kinds the proof table still requires. Red dashed edges "
		  "lack required evidence.\n\n```{graphviz} %s.dot\n```\n", none ? " none." : ".", name);
	sb_puts(&d, "}\n");
	char *fmd = xasprintf("machine-%s.md", name), *fdot = xasprintf("%s.dot", name);
	json_object_set_new(pages, fmd, json_string(b.s));
	json_object_set_new(pages, fdot, json_string(d.s));
	free(fmd); free(fdot);
	sb_free(&b); sb_free(&d);
	json_decref(entered);
}

static void ops_section(struct sbuf *b, json_t *model)
{
	json_t *keys = sorted_keys(json_object_get(model, "operations")), *k;
	size_t i;
	sb_puts(b, "## Authority objects and operations\n\n");
	sb_puts(b, "| Object | Operation | Entry | Transitions reached | Primitives reached | Locks | Ledger charges | Ledger releases | Unresolved calls |\n");
	sb_puts(b, "|---|---|---|---|---|---|---|---|---|\n");
	json_array_foreach(keys, i, k) {
		json_t *op = json_object_get(json_object_get(model, "operations"), json_string_value(k));
		json_t *lg = json_object_get(op, "ledger");
		char *fn = xasprintf("`%s` (`%s:%lld`, %s)", S(op, "function"), S(op, "file"), I(op, "line"), S(op, "source"));
		char *a = join(json_object_get(op, "transitions"), ", ", "`"), *p = join(json_object_get(op, "primitives"), ", ", "`");
		char *l = join(json_object_get(op, "locks"), ", ", "`"), *c = join(json_object_get(lg, "charges"), ", ", "`");
		char *r = join(json_object_get(lg, "releases"), ", ", "`");
		char *u = xasprintf("%zu", json_array_size(json_object_get(op, "unresolved")));
		sb_puts(b, "|");
		cell(b, S(op, "object")); cell(b, S(op, "op")); cell(b, fn); cell(b, a); cell(b, p);
		cell(b, l); cell(b, c); cell(b, r); cell(b, u);
		sb_puts(b, "\n");
		free(fn); free(a); free(p); free(l); free(c); free(r); free(u);
	}
	if (json_array_size(keys) == 0)
		sb_puts(b, "| — | — | — | — | — | — | — | — | no operation found |\n");
	json_decref(keys);
}

/* Rows of the primitive sites whose role is in one of the classes a..b (RC_NONE ends the list). */
static void sites_section(struct sbuf *b, json_t *model, const char *title, enum role_class c1,
			  enum role_class c2, enum role_class c3)
{
	size_t i;
	json_t *s;
	int n = 0;
	sb_printf(b, "\n## %s\n\n| Role | Primitive | Function | Location | Arguments |\n|---|---|---|---|---|\n", title);
	json_array_foreach(json_object_get(model, "primitive_sites"), i, s) {
		enum role_class rc = role_class_of(role_from_name(S(s, "role")));
		if (rc == RC_NONE || (rc != c1 && rc != c2 && rc != c3))
			continue;
		char *loc = xasprintf("`%s:%lld`", S(s, "file"), I(s, "line")), *args = join(json_object_get(s, "args"), ", ", "");
		char *a2 = xasprintf("`%s`", args);
		sb_puts(b, "|");
		cell(b, S(s, "role")); cell(b, S(s, "name")); cell(b, S(s, "function")); cell(b, loc); cell(b, a2);
		sb_puts(b, "\n");
		free(loc); free(args); free(a2);
		n++;
	}
	if (!n)
		sb_puts(b, "| — | — | — | — | none found |\n");
}

/* Does any return path of f hold or release a configured pair, or take a cleanup label? */
static bool pair_activity(json_t *f)
{
	size_t i;
	json_t *e;
	json_array_foreach(json_object_get(f, "returns"), i, e)
		if (json_array_size(json_object_get(e, "held")) > 0)
			return true;
	json_array_foreach(json_object_get(f, "labels"), i, e)
		if (json_integer_value(json_object_get(e, "gotos")) > 0)
			return true;
	return false;
}

static void fn_rows(struct sbuf *b, json_t *model, const char *what)
{
	json_t *keys = sorted_keys(json_object_get(model, "functions")), *k, *f, *e, *h;
	size_t i, j, m;
	int n = 0;
	json_array_foreach(keys, i, k) {
		f = json_object_get(json_object_get(model, "functions"), json_string_value(k));
		if (!strcmp(what, "returns") && !pair_activity(f))
			continue;
		json_array_foreach(json_object_get(f, what), j, e) {
			char *loc = xasprintf("`%s:%lld`", S(f, "file"), I(e, "line"));
			sb_puts(b, "|");
			cell(b, S(f, "name"));
			if (!strcmp(what, "labels")) {
				char *g = xasprintf("%lld", I(e, "gotos"));
				cell(b, S(e, "name")); cell(b, g); cell(b, loc);
				free(g);
			} else if (!strcmp(what, "copies")) {
				cell(b, S(e, "name")); cell(b, json_is_true(json_object_get(e, "stable")) ? "yes" : "**no**");
				cell(b, S(e, "reason")); cell(b, loc);
			} else {
				struct sbuf hs = {0};
				sb_puts(&hs, "");
				json_array_foreach(json_object_get(e, "held"), m, h)
					sb_printf(&hs, "%s`%s` %+lld", m ? ", " : "", S(h, "key"), I(h, "count"));
				char *v = xasprintf("`%s`", S(e, "value"));
				cell(b, S(e, "kind")); cell(b, *S(e, "value") ? v : ""); cell(b, hs.s); cell(b, loc);
				free(v);
				sb_free(&hs);
			}
			sb_puts(b, "\n");
			free(loc);
			n++;
		}
	}
	if (!n)
		sb_puts(b, strcmp(what, "labels") ? "| — | — | — | — | none found |\n" : "| — | — | — | none found |\n");
	json_decref(keys);
}

/* Functions the scan found acting as a charge or release for their callers. */
static void wrappers_section(struct sbuf *b, json_t *model)
{
	size_t i;
	json_t *d;
	sb_puts(b, "\n## Derived charge and release wrappers\n\n"
		"Functions that hold a pair's resource on every success return and nothing on error returns "
		"(a charge for their callers), or release one on every return. Callers' return paths count "
		"them like the primitive.\n\n| Function | Pair | Effect | Key |\n|---|---|---|---|\n");
	json_array_foreach(json_object_get(model, "derived_wrappers"), i, d) {
		char *key = json_is_integer(json_object_get(d, "key_arg")) ?
			xasprintf("argument %lld", I(d, "key_arg")) : xasprintf("`%s`", S(d, "key"));
		sb_puts(b, "|");
		cell(b, S(d, "function")); cell(b, S(d, "pair"));
		cell(b, I(d, "dir") > 0 ? "acquire" : "release"); cell(b, key);
		sb_puts(b, "\n");
		free(key);
	}
	if (json_array_size(json_object_get(model, "derived_wrappers")) == 0)
		sb_puts(b, "| — | — | — | none found |\n");
	json_t *pend = json_object_get(model, "derivation_pending");
	if (json_array_size(pend)) {
		sb_printf(b, "\nDerivation stopped after its last round with %zu more wrapper(s) found and **not "
			  "applied** (their callers' paths do not count them):", json_array_size(pend));
		json_array_foreach(pend, i, d)
			sb_printf(b, "%s `%s` (%s %s)", i ? "," : "", S(d, "function"), S(d, "pair"),
				  I(d, "dir") > 0 ? "acquire" : "release");
		sb_puts(b, ".\n");
	}
}

/* One row per obligation (issue 11): stable ID, class, site; witnesses and mutant status as the
 * model has them (none are measured yet: the rows say so rather than claim anything). */
static void obligations_section(struct sbuf *b, json_t *model)
{
	size_t i;
	json_t *o;
	sb_puts(b, "\n## Obligations per site\n\n"
		"One obligation per transition site, page-table removal (with the flush and the free or "
		"deferral that must follow it), ledger charge and lock acquire. The ID is "
		"`function:class:ordinal` (the ordinal counts that function's sites of the class in source "
		"order; never a line number). Witnesses are the tests measured to execute the site, and "
		"the mutant is the site removed and the citing tests run; neither is measured yet.\n\n"
		"| Obligation | Class | Site | Location | Witnesses | Mutant |\n|---|---|---|---|---|---|\n");
	json_array_foreach(json_object_get(model, "obligations"), i, o) {
		char *id = xasprintf("`%s`", S(o, "id")), *site = xasprintf("`%s`", S(o, "site") ? S(o, "site") : "?");
		char *loc = xasprintf("`%s:%lld`", S(o, "file"), I(o, "line"));
		size_t nw = json_array_size(json_object_get(o, "witnesses"));
		char *w = nw ? xasprintf("%zu", nw) : xstrdup("none measured");
		const char *mut = S(json_object_get(o, "mutant"), "status");
		sb_puts(b, "|");
		cell(b, id); cell(b, S(o, "class")); cell(b, site); cell(b, loc); cell(b, w);
		cell(b, mut && strcmp(mut, "not-run") ? mut : "not run");
		sb_puts(b, "\n");
		free(id); free(site); free(loc); free(w);
	}
	if (json_array_size(json_object_get(model, "obligations")) == 0)
		sb_puts(b, "| — | — | — | — | — | none found |\n");
}

static void inventory_page(const struct config *cfg, json_t *model, json_t *pages)
{
	struct sbuf b = {0};
	json_t *ms = sorted_keys(json_object_get(model, "machines")), *m;
	size_t i;
	sb_printf(&b, "# %s\n\n", cfg->inventory_title);
	sb_printf(&b, "Generated by `inventory tables` from %zu translation units. Every authority object, "
		  "ledger, lock and cleanup path relevant to user memory that the inventory found.\n\n",
		  json_array_size(json_object_get(model, "tus")));
	sb_puts(&b, "## State machines\n\n| Machine | States | Transition sites |\n|---|---|---|\n");
	json_array_foreach(ms, i, m) {
		json_t *mm = json_object_get(json_object_get(model, "machines"), json_string_value(m));
		char *st = xasprintf("%zu", json_array_size(json_object_get(mm, "states")));
		char *tr = xasprintf("%zu", json_array_size(json_object_get(mm, "transitions")));
		char *link = xasprintf("[`%s`](machine-%s.md)", json_string_value(m), json_string_value(m));
		sb_puts(&b, "|"); cell(&b, link); cell(&b, st); cell(&b, tr); sb_puts(&b, "\n");
		free(st); free(tr); free(link);
	}
	if (json_array_size(ms) == 0)
		sb_puts(&b, "| — | — | none found |\n");
	sb_puts(&b, "\n");
	ops_section(&b, model);
	sites_section(&b, model, "Page-table mutation and TLB", RC_PTE, RC_TLB, RC_IPI);
	sites_section(&b, model, "Frames", RC_FRAME, RC_NONE, RC_NONE);
	sites_section(&b, model, "Ledgers", RC_LEDGER, RC_NONE, RC_NONE);
	sites_section(&b, model, "Locks", RC_LOCK, RC_NONE, RC_NONE);
	wrappers_section(&b, model);
	obligations_section(&b, model);
	sb_puts(&b, "\n## Cleanup and rollback paths\n\n| Function | Label | Gotos | Location |\n|---|---|---|---|\n");
	fn_rows(&b, model, "labels");
	sb_puts(&b, "\n## User copies and the address-space stability guarantee\n\n| Function | Primitive | Stable | Why | Location |\n|---|---|---|---|---|\n");
	fn_rows(&b, model, "copies");
	sb_puts(&b, "\n## Return paths (charge/release pairs outstanding)\n\n"
		"Every return of every function that takes or releases a configured acquire/release pair "
		"(ledger charges, locks) or has a cleanup label, with what each pair still holds on that "
		"path (+1 acquired and not released, −1 released more than acquired here: the caller's).\n\n"
		"| Function | Return kind | Value | Outstanding | Location |\n|---|---|---|---|---|\n");
	fn_rows(&b, model, "returns");
	json_object_set_new(pages, "inventory.md", json_string(b.s));
	sb_free(&b);
	json_decref(ms);
}

static void backlog_page(const struct config *cfg, const struct evidence_in *in, json_t *eval, json_t *pages)
{
	struct sbuf b = {0};
	size_t i;
	json_t *it;
	const char *slice = "";
	sb_puts(&b, "# Memory authority backlog: status from evidence\n\n"
		"Status is computed from the `@proves` declarations of existing CTest tests: **done** (every "
		"required evidence kind is declared), **partial** (some evidence), **open** (none). That the "
		"cited tests pass is enforced by `inventory check` against CTest's JUnit results (rules "
		"INV001 and INV004), so these pages do not change with test results.\n");
	json_array_foreach(json_object_get(in->backlog, "items"), i, it) {
		json_t *ev = json_object_get(json_object_get(eval, "backlog"), S(it, "id"));
		if (strcmp(slice, S(it, "slice") ? S(it, "slice") : "") != 0) {
			slice = S(it, "slice");
			char *h = pattern_fill(cfg->backlog_group, "group", slice ? slice : "");
			sb_printf(&b, "\n## %s\n\n", h);
			free(h);
		}
		char *miss = join(json_object_get(ev, "missing"), "; ", "");
		char *evt = evidence_text(ev);
		sb_printf(&b, "- [%c] **%s** (%s) %s\n", strcmp(S(ev, "status"), "done") ? ' ' : 'x', S(it, "id"),
			  S(ev, "status"), S(it, "title") ? S(it, "title") : "");
		if (*evt)
			sb_printf(&b, "  - evidence: %s\n", evt);
		if (*miss)
			sb_printf(&b, "  - missing: %s\n", miss);
		free(miss);
		free(evt);
	}
	json_object_set_new(pages, "backlog.md", json_string(b.s));
	sb_free(&b);
}

static void rules_page(json_t *pages)
{
	struct sbuf b = {0};
	sb_puts(&b, "# Check rules\n\nEvery finding of `inventory check` carries one of these IDs. Coccinelle "
		"findings merged with `--findings` keep their own rule names (`cocci/...`).\n\n"
		"| ID | Level | Name | Meaning |\n|---|---|---|---|\n");
	for (const struct rule *r = check_rules; r->id; r++) {
		sb_puts(&b, "|"); cell(&b, r->id); cell(&b, r->level); cell(&b, r->title); cell(&b, r->help);
		sb_puts(&b, "\n");
	}
	json_object_set_new(pages, "check-rules.md", json_string(b.s));
	sb_free(&b);
}

json_t *tables_render(const struct config *cfg, json_t *model, const struct evidence_in *in, json_t *eval)
{
	json_t *pages = json_object(), *ms = sorted_keys(json_object_get(model, "machines")), *m;
	struct sbuf idx = {0};
	size_t i;
	(void)cfg;
	sb_puts(&idx, "# Generated state tables\n\nGenerated by `inventory tables` (`tools/inventory`); do not "
		"edit. `inventory check` fails when these pages are stale.\n\n```{toctree}\n:maxdepth: 1\n\n"
		"inventory\nbacklog\ncheck-rules\n");
	json_array_foreach(ms, i, m) {
		machine_page(model, eval, json_string_value(m), json_object_get(json_object_get(model, "machines"),
			     json_string_value(m)), pages);
		sb_printf(&idx, "machine-%s\n", json_string_value(m));
	}
	sb_puts(&idx, "```\n");
	json_object_set_new(pages, "index.md", json_string(idx.s));
	inventory_page(cfg, model, pages);
	backlog_page(cfg, in, eval, pages);
	rules_page(pages);
	sb_free(&idx);
	json_decref(ms);
	return pages;
}

/* Names only this tool writes (a machine's page and diagram): the only files it ever removes
 * or reports as left over, so pointing --out at a shared directory cannot delete anything else. */
static bool generated_name(const char *n)
{
	size_t l = strlen(n);
	return n[0] != '.' && ((l > 11 && !strncmp(n, "machine-", 8) && !strcmp(n + l - 3, ".md")) ||
			       (l > 4 && !strcmp(n + l - 4, ".dot")));
}

json_t *tables_stale(json_t *pages, const char *dir, const char *rel_dir)
{
	json_t *out = json_array(), *v;
	const char *k;
	json_object_foreach(pages, k, v) {
		char *p = xasprintf("%s/%s", dir, k), *cur = read_file(p, NULL);
		if (!cur || strcmp(cur, json_string_value(v)) != 0)
			json_array_append_new(out, json_sprintf("%s/%s", rel_dir, k));
		free(cur);
		free(p);
	}
	DIR *d = opendir(dir);
	struct dirent *e;
	while (d && (e = readdir(d)))
		if (generated_name(e->d_name) && !json_object_get(pages, e->d_name))
			json_array_append_new(out, json_sprintf("%s/%s", rel_dir, e->d_name));
	if (d)
		closedir(d);
	json_t *set = json_object();
	size_t i;
	json_array_foreach(out, i, v) json_object_set(set, json_string_value(v), json_true());
	json_decref(out);
	out = set_to_array(set);
	json_decref(set);
	return out;
}

int tables_write(json_t *pages, const char *dir)
{
	json_t *v;
	const char *k;
	if (mkdir_p(dir) < 0) {
		fprintf(stderr, "inventory: cannot create %s\n", dir);
		return -1;
	}
	DIR *d = opendir(dir);
	struct dirent *e;
	while (d && (e = readdir(d)))
		if (generated_name(e->d_name) && !json_object_get(pages, e->d_name)) {
			char *p = xasprintf("%s/%s", dir, e->d_name);
			unlink(p);  /* a machine that no longer exists */
			free(p);
		}
	if (d)
		closedir(d);
	json_object_foreach(pages, k, v) {
		char *p = xasprintf("%s/%s", dir, k);
		const char *s = json_string_value(v);
		if (write_file(p, s, strlen(s)) < 0) {
			fprintf(stderr, "inventory: cannot write %s\n", p);
			free(p);
			return -1;
		}
		free(p);
	}
	return 0;
}
