/* tables.c: the pages reviewers read: one table and one diagram per state machine, the memory-state
 * inventory, the backlog checklist, the check-rule catalog and an index with a MyST toctree. */
#include "tables.h"
#include "check.h"
#include "model.h"
#include "tlbflow.h"
#include "util.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
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

/* The page set: a page replaced when rendered twice under one name, in the order first made. */
static void pages_set(struct pages *p, const char *path, const char *text)
{
	for (size_t i = 0; i < p->n; i++)
		if (!strcmp(p->v[i].path, path)) {
			free(p->v[i].text);
			p->v[i].text = xstrdup(text);
			return;
		}
	p->v = xrealloc(p->v, sizeof *p->v * (p->n + 1));
	p->v[p->n++] = (struct page){xstrdup(path), xstrdup(text)};
}

static const struct page *pages_get(const struct pages *p, const char *path)
{
	for (size_t i = 0; i < p->n; i++)
		if (!strcmp(p->v[i].path, path))
			return &p->v[i];
	return NULL;
}

void pages_free(struct pages *p)
{
	for (size_t i = 0; i < p->n; i++) {
		free(p->v[i].path);
		free(p->v[i].text);
	}
	free(p->v);
	memset(p, 0, sizeof *p);
}

static char *join_strv(const struct strv *l, const char *sep, const char *wrap)
{
	struct sbuf b = {0};
	sb_puts(&b, "");
	for (size_t i = 0; i < l->n; i++)
		sb_printf(&b, "%s%s%s%s", i ? sep : "", wrap, l->v[i], wrap);
	return b.s;
}

/* The operations that reach a transition, as a list of IDs (caller frees with strv_free). */
static void ops_reaching(const struct model *model, const char *tid, struct strv *ops)
{
	model_ops_reaching_t(model, tid, ops);
}

/* Roles and pair keys the function holding a transition uses directly. */
static void fn_effects(const struct model *model, const char *usr, char **tlb, char **ledger)
{
	const struct function *f = model_function(model, usr);
	struct strv tl = {0}, lg = {0};
	char *act = tlbflow_action_text(f);  /* computed from the paths; the comment is checked (INV027) */
	if (*act)
		strv_push(&tl, act);
	free(act);
	for (size_t i = 0; i < model->n_primitive_sites; i++) {
		const struct prim_site *c = &model->primitive_sites[i];
		if (strcmp(c->usr, usr) != 0)
			continue;
		if (role_class_of(c->role) == RC_TLB || c->role == ROLE_FRAME_DEFER_FREE)
			strv_push(&tl, c->name);
		if (role_class_of(c->role) == RC_LEDGER) {
			char *t = xasprintf("%s(%s)", c->name, c->args.n > 1 ? c->args.v[1] : "");
			strv_push(&lg, t);
			free(t);
		}
	}
	strv_sort_uniq(&tl);
	strv_sort_uniq(&lg);
	*tlb = join_strv(&tl, "; ", "");
	*ledger = join_strv(&lg, "; ", "");
	strv_free(&tl);
	strv_free(&lg);
}

/* A citation's kind for the pages: the proof table's kind, else its CTest labels. */
static char *cite_kind(const struct citation *c)
{
	static const struct strv none;
	if (c->kind)
		return xstrdup(c->kind->id);
	char *labs = join_strv(c->labels ? c->labels : &none, ",", "");
	if (!*labs) {
		free(labs);
		return xstrdup("no such test");
	}
	return labs;
}

static char *evidence_text(const struct item_eval *ev)
{
	struct sbuf b = {0};
	sb_puts(&b, "");
	for (size_t i = 0; ev && i < ev->n_evidence; i++) {
		const struct citation *c = &ev->evidence[i];
		char *k = cite_kind(c);
		sb_printf(&b, "%s`%s` (%s%s)", i ? "; " : "", c->test, k, c->counts ? "" : ", not witnessed: does not count");
		free(k);
	}
	return b.s;
}

/* The evaluation of one site of an edge (same file and line), or NULL. */
static const struct site_eval *site_eval(const struct edge_eval *ev, const struct transition *t)
{
	for (size_t i = 0; ev && i < ev->n_sites; i++) {
		const struct site_eval *s = &ev->sites[i];
		if (s->line == t->line && !strcmp(s->file, t->file) && !strcmp(s->function, t->function))
			return s;
	}
	return NULL;
}

/* Up to 6 test names of a list, then "and N more". */
static char *tests_cell(const struct strv *a)
{
	struct sbuf b = {0};
	sb_puts(&b, "");
	for (size_t i = 0; a && i < a->n; i++) {
		if (i == 6) {
			sb_printf(&b, " and %zu more", a->n - 6);
			break;
		}
		sb_printf(&b, "%s`%s`", i ? ", " : "", a->v[i]);
	}
	return b.s;
}

/* Evidence grouped by kind, for a table cell: "qemu: `a`, `b`; cocci: `c`" (kinds in order of
 * first appearance, each test once). */
static char *evidence_by_kind(const struct site_eval *se)
{
	struct strv kinds = {0};
	struct sbuf b = {0};
	size_t n = se ? se->n_evidence : 0;
	const struct citation *tests = se ? se->evidence : NULL;
	for (size_t i = 0; i < n; i++) {
		const struct citation *c = &tests[i];
		char *labs = cite_kind(c);
		if (c->counts && !strv_has(&kinds, labs))
			strv_push(&kinds, labs);
		free(labs);
	}
	sb_puts(&b, "");
	for (size_t k = 0; k < kinds.n; k++) {
		int first = 1;
		sb_printf(&b, "%s%s: ", k ? "; " : "", kinds.v[k]);
		for (size_t i = 0; i < n; i++) {
			const struct citation *c = &tests[i];
			char *labs = cite_kind(c);
			if (c->counts && !strcmp(labs, kinds.v[k]))
				sb_printf(&b, "%s`%s`", first ? "" : ", ", c->test), first = 0;
			free(labs);
		}
	}
	strv_free(&kinds);
	/* Citations that do not count at this site, and why. */
	int first = 1;
	for (size_t i = 0; i < n; i++) {
		const struct citation *c = &tests[i];
		if (c->counts)
			continue;
		const char *why = !c->accepted ? "kind not accepted" : !c->witnessed ? "did not execute this site" : "no result";
		sb_printf(&b, "%s`%s` (%s)", first ? (b.n ? "; cited, not counted: " : "cited, not counted: ") : ", ",
			  c->test, why);
		first = 0;
	}
	return b.s;
}

static char *missing_text(const struct site_eval *se)
{
	if (!se)
		return xstrdup("not evaluated");
	if (se->missing.n == 0)
		return xstrdup("");
	char *j = join_strv(&se->missing, "; needs ", "");
	char *r = xasprintf("needs %s", j);
	free(j);
	return r;
}

/* One transition site of a machine: its table row (b), its operations below the table (o),
 * its diagram edge (d); its states go to entered. i numbers the row's anchor. */
static void machine_row(const struct model *model, const struct evaluation *eval, const char *name, size_t i,
			const struct transition *t, struct sbuf *b, struct sbuf *d, struct sbuf *o, struct strv *entered)
{
	const struct edge_eval *ev = evaluation_edge(eval, t->id);
	const struct site_eval *se = site_eval(ev, t);
	struct strv opv = {0};
	ops_reaching(model, t->id, &opv);
	char *ops = join_strv(&opv, ", ", "`"), *tlb, *lg, *evt = evidence_by_kind(se), *miss = missing_text(se);
	char *wit = tests_cell(se ? &se->witnesses : NULL);
	char *fn = xasprintf("`%s` (`%s:%lld`)", t->function, t->file, t->line);
	char *edge = xasprintf("%s → %s", t->from, t->to);
	char *anchor = xasprintf("%s-t%zu", name, i + 1);
	char *count = opv.n ? xasprintf("<a href=\"#%s\">%zu op%s</a>", anchor, opv.n, opv.n == 1 ? "" : "s")
			    : xstrdup("none");
	fn_effects(model, t->usr, &tlb, &lg);
	sb_printf(o, "- <a id=\"%s\"></a>%s in %s: %s\n", anchor, edge, fn,
		  opv.n ? ops : "not reached from any operation");
	sb_puts(b, "|");
	cell(b, edge);
	cell(b, fn);
	cell(b, count);
	cell(b, tlb);
	cell(b, lg);
	cell(b, evt);
	cell(b, *wit ? wit : "none");
	cell(b, miss);
	sb_puts(b, "\n");
	free(wit);
	sb_printf(d, "  \"%s\" -> \"%s\" [label=\"%s\", %s];\n", t->from, t->to, t->function,
		  ev && ev->proven ? "color=darkgreen" : "color=red, style=dashed");
	strv_push(entered, t->to);
	strv_push(entered, t->from);
	free(ops); free(tlb); free(lg); free(evt); free(miss); free(fn);
	free(edge); free(anchor); free(count);
	strv_free(&opv);
}

static void machine_page(const struct model *model, const struct evaluation *eval, const struct machine *m,
			 struct pages *pages)
{
	struct sbuf b = {0}, d = {0}, o = {0};
	struct strv entered = {0};
	const char *name = m->name;
	sb_printf(&b, "# State machine `%s`\n\n", name);
	if (m->enum_name) {
		char *st = join_strv(&m->states, ", ", "`");
		sb_printf(&b, "States (`enum %s`, `%s:%lld`): %s.\n\n", m->enum_name, m->file, m->line, st);
		free(st);
	} else
		sb_puts(&b, "No state enum found for this machine (configured pattern did not match).\n\n");
	sb_puts(&b, "| Transition | Function | Operations | TLB action | Ledger effect | Evidence | Executed by | Not covered |\n");
	sb_puts(&b, "|---|---|---|---|---|---|---|---|\n");
	/* The operations of each row, listed below the table (the cell links to its entry). */
	sb_printf(&o, "## Operations reaching each `%s` transition\n\n", name);
	sb_printf(&d, "digraph \"%s\" {\n  rankdir=LR;\n  node [shape=box, fontname=\"Helvetica\"];\n", name);
	for (size_t i = 0; i < m->states.n; i++)
		sb_printf(&d, "  \"%s\";\n", m->states.v[i]);
	for (size_t i = 0; i < m->n_transitions; i++)
		machine_row(model, eval, name, i, &m->transitions[i], &b, &d, &o, &entered);
	strv_sort_uniq(&entered);
	if (m->n_transitions == 0)
		sb_puts(&b, "| — | — | — | — | — | — | — | no transition site found |\n");
	sb_puts(&b, "\nStates that no transition site enters or leaves:");
	int none = 1;
	for (size_t i = 0; i < m->states.n; i++)
		if (!strv_has(&entered, m->states.v[i]))
			sb_printf(&b, " `%s`", m->states.v[i]), none = 0;
	sb_printf(&b, "%s\n\nOperations counts the capability operations and entry points whose paths reach "
		  "the transition's site; the list of each row is below the diagram. Each row is one site: evidence "
		  "is per site, not per edge. Evidence lists the tests that declare `@proves` for the edge and "
		  "count at this site (their kind accepted by the class and, for tests measured by a run, the "
		  "site executed in a passing run), grouped by kind, then the citations that do not count here; "
		  "\"Executed by\" lists every test the witness summary records as executing the site; \"Not "
		  "covered\" lists what the proof table still requires for this site. Red dashed edges have a "
		  "site that lacks required evidence.\n\n"
		  "```{graphviz} %s.dot\n```\n\n", none ? " none." : ".", name);
	if (m->n_transitions)
		sb_puts(&b, o.s);
	sb_puts(&d, "}\n");
	char *fmd = xasprintf("machine-%s.md", name), *fdot = xasprintf("%s.dot", name);
	pages_set(pages, fmd, b.s);
	pages_set(pages, fdot, d.s);
	free(fmd); free(fdot);
	sb_free(&b); sb_free(&d); sb_free(&o);
	strv_free(&entered);
}

/* A configured name pattern in words: "perform_{object}_{op}" reads "perform_<object>_<op>". */
static char *pattern_words(const char *pat)
{
	struct sbuf b = {0};
	sb_puts(&b, "");
	for (const char *p = pat; *p; p++) {
		char c[2] = {*p == '{' ? '<' : *p == '}' ? '>' : *p, 0};
		sb_puts(&b, c);
	}
	return b.s;
}

/* Where an operation came from, in words (the model keeps the config text: a pattern, "config",
 * or "table[key]"). */
static char *source_words(const struct operation *op)
{
	const char *br = strchr(op->source, '[');
	if (!strcmp(op->source, "config"))
		return xstrdup("declared entry point");
	if (strchr(op->source, '{')) {
		char *w = pattern_words(op->source), *r = xasprintf("named `%s`", w);
		free(w);
		return r;
	}
	if (br && op->source[strlen(op->source) - 1] == ']')
		return xasprintf("entry `%.*s` of table `%.*s`", (int)(strlen(br) - 2), br + 1,
				 (int)(br - op->source), op->source);
	return xstrdup(op->source);
}

/* How the inventory finds operations, in words, with an example of each kind from the model. */
static void ops_intro(struct sbuf *b, const struct config *cfg, const struct model *model)
{
	sb_puts(b, "The operations are the ways in: every path the inventory follows starts at one of them. "
		"It finds them as follows:\n\n");
	if (cfg->op_tables.n) {
		char *obj = pattern_words(cfg->table_object);
		size_t nt = cfg->op_tables.n, found = 0;
		sb_puts(b, "- every entry of a dispatch table whose name");
		for (size_t i = 0; i < nt; i++) {
			const char *g = cfg->op_tables.v[i];
			const char *sep = i ? (i + 1 == nt ? " or" : ",") : "";
			if (g[0] == '*' && !strpbrk(g + 1, "*?["))
				sb_printf(b, "%s ends in `%s`", sep, g + 1);
			else if (!strpbrk(g, "*?["))
				sb_printf(b, "%s is `%s`", sep, g);
			else
				sb_printf(b, "%s matches the shell pattern `%s`", sep, g);
		}
		sb_printf(b, " (a table named `%s` holds the operations of that object)", obj);
		for (size_t k = 0; k < model->n_operations; k++)
			if (strchr(model->operations[k].source, '['))
				found++;
		for (size_t k = 0; k < model->n_operations; k++)
			if (strchr(model->operations[k].source, '[')) {
				char *w = source_words(&model->operations[k]);
				sb_printf(b, ", e.g. `%s`, %s", model->operations[k].function, w);
				free(w);
				break;
			}
		if (!found)
			sb_puts(b, "; this kernel has none");
		sb_puts(b, ";\n");
		free(obj);
	}
	for (size_t i = 0; i < cfg->op_functions.n; i++) {
		const char *pat = cfg->op_functions.v[i];
		char *w = pattern_words(pat);
		sb_printf(b, "- every function named `%s` that no table lists", w);
		for (size_t k = 0; k < model->n_operations; k++)
			if (!strcmp(model->operations[k].source, pat)) {
				sb_printf(b, ", e.g. `%s` (object `%s`, operation `%s`)", model->operations[k].function,
					  model->operations[k].object, model->operations[k].op);
				break;
			}
		sb_puts(b, ";\n");
		free(w);
	}
	if (cfg->n_entries) {
		sb_puts(b, "- the entry points the configuration declares:");
		for (size_t i = 0; i < cfg->n_entries; i++) {
			const char *nm = cfg->entries[i].name, *fn = cfg->entries[i].function;
			sb_printf(b, "%s `%s` (function `%s`)", i ? "," : "", nm ? nm : fn, fn);
		}
		sb_puts(b, ".\n");
	}
	sb_puts(b, "\nThe Entry column says which of these found each one.\n\n");
}

static void ops_section(struct sbuf *b, const struct config *cfg, const struct model *model)
{
	sb_puts(b, "## Authority objects and operations\n\n");
	ops_intro(b, cfg, model);
	sb_puts(b, "| Object | Operation | Entry | Transitions reached | Primitives reached | Locks | Ledger charges | Ledger releases | Unresolved calls |\n");
	sb_puts(b, "|---|---|---|---|---|---|---|---|---|\n");
	for (size_t i = 0; i < model->n_operations; i++) {
		const struct operation *op = &model->operations[i];
		struct sbuf p = {0};
		sb_puts(&p, "");
		for (size_t j = 0; j < op->n_primitives; j++)
			sb_printf(&p, "%s`%s:%s`", j ? ", " : "", role_name(op->primitives[j].role), op->primitives[j].name);
		char *src = source_words(op);
		char *fn = xasprintf("`%s` (`%s:%lld`, %s)", op->function, op->file, op->line, src);
		free(src);
		char *a = join_strv(&op->transitions, ", ", "`");
		char *l = join_strv(&op->locks, ", ", "`"), *c = join_strv(&op->charges, ", ", "`");
		char *r = join_strv(&op->releases, ", ", "`");
		char *u = xasprintf("%zu", op->n_unresolved);
		sb_puts(b, "|");
		cell(b, op->object); cell(b, op->op); cell(b, fn); cell(b, a); cell(b, p.s);
		cell(b, l); cell(b, c); cell(b, r); cell(b, u);
		sb_puts(b, "\n");
		free(fn); free(a); sb_free(&p); free(l); free(c); free(r); free(u);
	}
	if (model->n_operations == 0)
		sb_puts(b, "| — | — | — | — | — | — | — | — | no operation found |\n");
}

/* Rows of the primitive sites whose role is in one of the classes a..b (RC_NONE ends the list). */
static void sites_section(struct sbuf *b, const struct model *model, const char *title, enum role_class c1,
			  enum role_class c2, enum role_class c3)
{
	int n = 0;
	sb_printf(b, "\n## %s\n\n| Role | Primitive | Function | Location | Arguments |\n|---|---|---|---|---|\n", title);
	for (size_t i = 0; i < model->n_primitive_sites; i++) {
		const struct prim_site *s = &model->primitive_sites[i];
		enum role_class rc = role_class_of(s->role);
		if (rc == RC_NONE || (rc != c1 && rc != c2 && rc != c3))
			continue;
		char *loc = xasprintf("`%s:%lld`", s->file, s->line), *args = join_strv(&s->args, ", ", "");
		char *a2 = xasprintf("`%s`", args);
		sb_puts(b, "|");
		cell(b, role_name(s->role)); cell(b, s->name); cell(b, s->function); cell(b, loc); cell(b, a2);
		sb_puts(b, "\n");
		free(loc); free(args); free(a2);
		n++;
	}
	if (!n)
		sb_puts(b, "| — | — | — | — | none found |\n");
}

/* Does any return path of f hold or release a configured pair, or take a cleanup label? */
static bool pair_activity(const struct function *f)
{
	for (size_t i = 0; i < f->n_returns; i++)
		if (f->returns[i].n_held > 0)
			return true;
	for (size_t i = 0; i < f->n_labels; i++)
		if (f->labels[i].gotos > 0)
			return true;
	return false;
}

enum fn_rows_of { ROWS_LABELS, ROWS_COPIES, ROWS_RETURNS };

static void fn_rows(struct sbuf *b, const struct model *model, enum fn_rows_of what)
{
	int n = 0;
	for (size_t i = 0; i < model->n_functions; i++) {
		const struct function *f = &model->functions[i];
		if (what == ROWS_RETURNS && !pair_activity(f))
			continue;
		size_t rows = what == ROWS_LABELS ? f->n_labels : what == ROWS_COPIES ? f->n_copies : f->n_returns;
		for (size_t j = 0; j < rows; j++) {
			long long line = what == ROWS_LABELS ? f->labels[j].line :
					 what == ROWS_COPIES ? f->copies[j].line : f->returns[j].line;
			char *loc = xasprintf("`%s:%lld`", f->file, line);
			sb_puts(b, "|");
			cell(b, f->name);
			if (what == ROWS_LABELS) {
				char *g = xasprintf("%lld", f->labels[j].gotos);
				cell(b, f->labels[j].name); cell(b, g); cell(b, loc);
				free(g);
			} else if (what == ROWS_COPIES) {
				const struct copy *c = &f->copies[j];
				cell(b, c->name); cell(b, c->stable ? "yes" : "**no**");
				cell(b, c->reason); cell(b, loc);
			} else {
				const struct ret_path *r = &f->returns[j];
				struct sbuf hs = {0};
				sb_puts(&hs, "");
				for (size_t m = 0; m < r->n_held; m++)
					sb_printf(&hs, "%s`%s` %+lld", m ? ", " : "", r->held[m].key, r->held[m].count);
				char *v = xasprintf("`%s`", r->value);
				cell(b, r->kind); cell(b, *r->value ? v : ""); cell(b, hs.s); cell(b, loc);
				free(v);
				sb_free(&hs);
			}
			sb_puts(b, "\n");
			free(loc);
			n++;
		}
	}
	if (!n)
		sb_puts(b, what != ROWS_LABELS ? "| — | — | — | — | none found |\n" : "| — | — | — | none found |\n");
}

/* Functions the scan found acting as a charge or release for their callers. */
static void wrappers_section(struct sbuf *b, const struct model *model)
{
	sb_puts(b, "\n## Derived charge and release wrappers\n\n"
		"Functions that hold a pair's resource on every success return and nothing on error returns "
		"(a charge for their callers), or release one on every return. Callers' return paths count "
		"them like the primitive.\n\n| Function | Pair | Effect | Key |\n|---|---|---|---|\n");
	for (size_t i = 0; i < model->n_derived_wrappers; i++) {
		const struct wrapper *d = &model->derived_wrappers[i];
		char *key = d->has_key_arg ? xasprintf("argument %lld", d->key_arg) : xasprintf("`%s`", d->key);
		sb_puts(b, "|");
		cell(b, d->function); cell(b, d->pair);
		cell(b, d->dir > 0 ? "acquire" : "release"); cell(b, key);
		sb_puts(b, "\n");
		free(key);
	}
	if (model->n_derived_wrappers == 0)
		sb_puts(b, "| — | — | — | none found |\n");
	if (model->n_derivation_pending) {
		sb_printf(b, "\nDerivation stopped after its last round with %zu more wrapper(s) found and **not "
			  "applied** (their callers' paths do not count them):", model->n_derivation_pending);
		for (size_t i = 0; i < model->n_derivation_pending; i++) {
			const struct wrapper *d = &model->derivation_pending[i];
			sb_printf(b, "%s `%s` (%s %s)", i ? "," : "", d->function, d->pair, d->dir > 0 ? "acquire" : "release");
		}
		sb_puts(b, ".\n");
	}
}

/* One row per obligation (issue 11): stable ID, class, site; witnesses and mutant status as the
 * model has them (none are measured yet: the rows say so rather than claim anything). */
static void obligations_section(struct sbuf *b, const struct model *model)
{
	sb_puts(b, "\n## Obligations per site\n\n"
		"One obligation per transition site, page-table removal (with the flush and the free or "
		"deferral that must follow it), ledger charge and lock acquire. The ID is "
		"`function:class:ordinal` (the ordinal counts that function's sites of the class in source "
		"order; never a line number). Witnesses are the tests that executed the site's line in a "
		"passing run, from the committed witness summary (docs/audit/witnesses.md); the mutant is "
		"the site's call removed and the citing tests run (the record `mutants.json` beside the "
		"proof table, written by `tests/mutants/mutate`: killed, survived, stale, ...; not run "
		"when it has no entry).\n\n"
		"| Obligation | Class | Site | Location | Witnesses | Mutant |\n|---|---|---|---|---|---|\n");
	for (size_t i = 0; i < model->n_obligations; i++) {
		const struct obligation *o = &model->obligations[i];
		char *id = xasprintf("`%s`", o->id), *site = xasprintf("`%s`", o->site);
		char *loc = xasprintf("`%s:%lld`", o->file, o->line);
		struct strv wa = {0};
		for (size_t k = 0; k < o->n_witnesses; k++)
			strv_push(&wa, o->witnesses[k].test);
		char *w = o->n_witnesses ? tests_cell(&wa) : xstrdup("none");
		strv_free(&wa);
		const char *mut = o->mutant.status;
		sb_puts(b, "|");
		cell(b, id); cell(b, o->cls); cell(b, site); cell(b, loc); cell(b, w);
		char *mc = o->mutant.justification ? xasprintf("%s (justified)", mut) :
			xstrdup(mut && strcmp(mut, "not-run") ? mut : "not run");
		cell(b, mc);
		free(mc);
		sb_puts(b, "\n");
		free(id); free(site); free(loc); free(w);
	}
	if (model->n_obligations == 0)
		sb_puts(b, "| — | — | — | — | — | none found |\n");
}

static void inventory_page(const struct config *cfg, const struct model *model, struct pages *pages)
{
	struct sbuf b = {0};
	sb_printf(&b, "# %s\n\n", cfg->inventory_title);
	sb_printf(&b, "Generated by `inventory tables` from %zu translation units. Every authority object, "
		  "ledger, lock and cleanup path relevant to user memory that the inventory found.\n\n",
		  model->tus.n);
	sb_puts(&b, "## State machines\n\n| Machine | States | Transition sites |\n|---|---|---|\n");
	for (size_t i = 0; i < model->n_machines; i++) {
		const struct machine *mm = &model->machines[i];
		char *st = xasprintf("%zu", mm->states.n);
		char *tr = xasprintf("%zu", mm->n_transitions);
		char *link = xasprintf("[`%s`](machine-%s.md)", mm->name, mm->name);
		sb_puts(&b, "|"); cell(&b, link); cell(&b, st); cell(&b, tr); sb_puts(&b, "\n");
		free(st); free(tr); free(link);
	}
	if (model->n_machines == 0)
		sb_puts(&b, "| — | — | none found |\n");
	sb_puts(&b, "\n");
	ops_section(&b, cfg, model);
	sites_section(&b, model, "Page-table mutation and TLB", RC_PTE, RC_TLB, RC_IPI);
	sites_section(&b, model, "Frames", RC_FRAME, RC_NONE, RC_NONE);
	sites_section(&b, model, "Ledgers", RC_LEDGER, RC_NONE, RC_NONE);
	sites_section(&b, model, "Locks", RC_LOCK, RC_NONE, RC_NONE);
	wrappers_section(&b, model);
	obligations_section(&b, model);
	sb_puts(&b, "\n## Cleanup and rollback paths\n\n| Function | Label | Gotos | Location |\n|---|---|---|---|\n");
	fn_rows(&b, model, ROWS_LABELS);
	sb_puts(&b, "\n## User copies and the address-space stability guarantee\n\n| Function | Primitive | Stable | Why | Location |\n|---|---|---|---|---|\n");
	fn_rows(&b, model, ROWS_COPIES);
	sb_puts(&b, "\n## Return paths (charge/release pairs outstanding)\n\n"
		"Every return of every function that takes or releases a configured acquire/release pair "
		"(ledger charges, locks) or has a cleanup label, with what each pair still holds on that "
		"path (+1 acquired and not released, −1 released more than acquired here: the caller's).\n\n"
		"| Function | Return kind | Value | Outstanding | Location |\n|---|---|---|---|---|\n");
	fn_rows(&b, model, ROWS_RETURNS);
	pages_set(pages, "inventory.md", b.s);
	sb_free(&b);
}

/* One item's lines of the checklist. */
static void backlog_entry(struct sbuf *b, const struct backlog_item *it, const struct item_eval *ev)
{
	static const struct strv none;
	char *miss = join_strv(ev ? &ev->missing : &none, "; ", "");
	char *evt = evidence_text(ev);
	const char *st = ev ? item_status_name(ev->status) : NULL;
	sb_printf(b, "- [%c] **%s** (%s) %s\n", st && !strcmp(st, "done") ? 'x' : ' ', it->id, st ? st : "(null)",
		  it->title ? it->title : "");
	for (size_t i = 0; i < it->exit.n; i++)
		sb_printf(b, "  - exit: %s\n", it->exit.v[i]);
	if (*evt)
		sb_printf(b, "  - evidence: %s\n", evt);
	if (*miss)
		sb_printf(b, "  - still needs: %s\n", miss);
	free(miss);
	free(evt);
}

static void backlog_page(const struct config *cfg, const struct evidence_in *in, const struct evaluation *eval,
			 struct pages *pages)
{
	struct sbuf b = {0};
	const char *slice = "";
	sb_puts(&b, "# Memory authority backlog: status from evidence\n\n"
		"Status is computed from witnessed evidence only: a citation of a test measured by a run counts "
		"when the committed witness summary shows the test executing the item's code (the sites of its "
		"transitions, inventory and files); a proof when it proves one of the item's files; a model "
		"or a check by its result. **done** (every required kind counts and every covered transition "
		"is proven), **partial** (some evidence counts), **open** (none). An item whose code does not "
		"exist in the model is never done by tags. `inventory check` judges the live run's witnesses "
		"and results (INV001, INV004, INV020).\n");
	for (size_t i = 0; i < in->backlog.n_items; i++) {
		const struct backlog_item *it = &in->backlog.items[i];
		const char *sl = it->slice ? it->slice : "";
		if (strcmp(slice, sl) != 0) {  /* a new group (an item without one: the group "") */
			slice = sl;
			char *h = pattern_fill(cfg->backlog_group, "group", sl);
			sb_printf(&b, "\n## %s\n\n", h);
			free(h);
		}
		backlog_entry(&b, it, evaluation_item(eval, it->id));
	}
	pages_set(pages, "backlog.md", b.s);
	sb_free(&b);
}

static void rules_page(struct pages *pages)
{
	struct sbuf b = {0};
	sb_puts(&b, "# Check rules\n\nEvery finding of `inventory check` carries one of these IDs. Coccinelle "
		"findings merged with `--findings` keep their own rule names (`cocci/...`).\n\n"
		"| ID | Level | Name | Meaning |\n|---|---|---|---|\n");
	for (const struct rule *r = check_rules; r->id; r++) {
		sb_puts(&b, "|"); cell(&b, r->id); cell(&b, r->level); cell(&b, r->title); cell(&b, r->help);
		sb_puts(&b, "\n");
	}
	pages_set(pages, "check-rules.md", b.s);
	sb_free(&b);
}

void tables_render(const struct config *cfg, const struct model *model, const struct evidence_in *in,
		   const struct evaluation *eval, struct pages *pages)
{
	struct sbuf idx = {0};
	*pages = (struct pages){0};
	sb_puts(&idx, "# Generated state tables\n\nGenerated by `inventory tables` (`tools/inventory`); do not "
		"edit. `inventory check` fails when these pages are stale.\n\n```{toctree}\n:maxdepth: 1\n\n"
		"inventory\nbacklog\ncheck-rules\n");
	for (size_t i = 0; i < model->n_machines; i++) {
		machine_page(model, eval, &model->machines[i], pages);
		sb_printf(&idx, "machine-%s\n", model->machines[i].name);
	}
	sb_puts(&idx, "```\n");
	pages_set(pages, "index.md", idx.s);
	inventory_page(cfg, model, pages);
	backlog_page(cfg, in, eval, pages);
	rules_page(pages);
	sb_free(&idx);
}

/* Names only this tool writes (a machine's page and diagram): the only files it ever removes
 * or reports as left over, so pointing --out at a shared directory cannot delete anything else. */
static bool generated_name(const char *n)
{
	size_t l = strlen(n);
	return n[0] != '.' && ((l > 11 && !strncmp(n, "machine-", 8) && !strcmp(n + l - 3, ".md")) ||
			       (l > 4 && !strcmp(n + l - 4, ".dot")));
}

void tables_stale(const struct pages *pages, const char *dir, const char *rel_dir, struct strv *out)
{
	*out = (struct strv){0};
	for (size_t i = 0; i < pages->n; i++) {
		char *p = xasprintf("%s/%s", dir, pages->v[i].path), *cur = read_file(p, NULL);
		if (!cur || strcmp(cur, pages->v[i].text) != 0) {
			char *r = xasprintf("%s/%s", rel_dir, pages->v[i].path);
			strv_push(out, r);
			free(r);
		}
		free(cur);
		free(p);
	}
	DIR *d = opendir(dir);
	struct dirent *e;
	while (d && (e = readdir(d)))
		if (generated_name(e->d_name) && !pages_get(pages, e->d_name)) {
			char *r = xasprintf("%s/%s", rel_dir, e->d_name);
			strv_push(out, r);
			free(r);
		}
	if (d)
		closedir(d);
	strv_sort_uniq(out);
}

int tables_write(const struct pages *pages, const char *dir)
{
	if (mkdir_p(dir) < 0) {
		fprintf(stderr, "inventory: cannot create %s\n", dir);
		return -1;
	}
	DIR *d = opendir(dir);
	struct dirent *e;
	while (d && (e = readdir(d)))
		if (generated_name(e->d_name) && !pages_get(pages, e->d_name)) {
			char *p = xasprintf("%s/%s", dir, e->d_name);
			unlink(p);  /* a machine that no longer exists */
			free(p);
		}
	if (d)
		closedir(d);
	for (size_t i = 0; i < pages->n; i++) {
		char *p = xasprintf("%s/%s", dir, pages->v[i].path);
		const char *s = pages->v[i].text;
		if (write_file(p, s, strlen(s)) < 0) {
			fprintf(stderr, "inventory: cannot write %s\n", p);
			free(p);
			return -1;
		}
		free(p);
	}
	return 0;
}
