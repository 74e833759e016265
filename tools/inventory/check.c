/* check.c: every check rule. Each finding names a rule, a repo-relative file:line, a symbol and
 * (where there is one) a transition; the SARIF fingerprint is built from those, not the line. */
#include "check.h"
#include "model.h"
#include "mutants.h"
#include "order.h"
#include "tlbflow.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const struct rule check_rules[] = {
	{"INV001", "error", "unproven-transition",
	 "A transition site lacks the evidence its proof-table class requires. Evidence is per site, not per edge: a citation counts for a site only when the cited test executed that site in a passing run (its witness file) and the class accepts the test's kind. Add a test that reaches the site and fails if it is broken, and declare `@proves <test>: <machine>:<FROM>-><TO>` in it."},
	{"INV002", "error", "mutation-outside-operation",
	 "A page-table write, clear or weaken is reachable from no declared operation or entry point. Route it through a capability operation or declare the entry point in the config."},
	{"INV003", "error", "evidence-unknown-test",
	 "An `@proves` tag names a test CTest does not know. Fix the test name or add the test."},
	{"INV004", "error", "evidence-failing-test",
	 "A test cited as evidence failed (or was skipped) in the JUnit results."},
	{"INV005", "error", "stale-tables",
	 "The committed generated tables differ from what `inventory tables` writes now. Regenerate and commit them."},
	{"INV006", "error", "dma-swap-before-prerequisites",
	 "A DMA or swap primitive exists while its prerequisite backlog items are not done."},
	{"INV007", "error", "tu-parse-error",
	 "A translation unit did not parse (errors or a missing file). The run stops with exit 2; nothing is modeled from unreadable input."},
	{"INV008", "error", "config-unknown-key",
	 "The config has a key the tool does not know. The run stops with exit 2."},
	{"INV009", "error", "malformed-evidence",
	 "An `@proves` declaration does not parse. The run stops with exit 2."},
	{"INV010", "error", "transition-not-constant",
	 "A transition function is called with a from or to state that is not an enum constant, so the edge cannot be read."},
	{"INV011", "warning", "unresolved-indirect-call",
	 "An operation path makes an indirect call the inventory could not resolve (through a static function-pointer table, or a function-pointer parameter that direct callers pass functions in); what it reaches is unknown."},
	{"INV012", "error", "unwind-charge-leak",
	 "An error return leaves a charge (or other acquired resource of a configured pair) outstanding: the unwind path misses its release."},
	{"INV013", "error", "lock-held-on-return",
	 "A function returns with a lock it took still held."},
	{"INV014", "error", "user-copy-unstable",
	 "A user copy runs without the address-space stability guarantee (no lock held, function not annotated)."},
	{"INV015", "error", "evidence-unknown-id",
	 "Evidence cites a transition that is not in the model or a backlog item that does not exist."},
	{"INV016", "error", "pte-change-without-tlb",
	 "A function clears or weakens PTEs and some path from the site to a return makes no TLB flush (its own, or a callee that flushes on every path, by function summaries), while no comment says who flushes (`TLB: caller`, ...) or the comment claims the function flushes (`TLB: shootdown`); or it claims `TLB: none (new PTEs only)`."},
	{"INV017", "error", "analysis-bound-reached",
	 "The path walker reached one of its internal bounds in this function (path states at one point, outstanding keys, failure variables, key or name length, loop fixpoint): paths past the bound were not analysed, so no other rule can vouch for them. Split the function, or raise the bound in tools/inventory/paths.c."},
	{"INV018", "error", "free-before-flush",
	 "A function frees a frame before its own page-table clear, or after it with no TLB flush between (its own flush, or a callee that flushes, by function summaries) and no `TLB:` comment saying who flushes, in source order; or, on the paths (the function's control-flow graph), a frame is freed (here, or by a callee before it flushes) while a page-table clear or weakening is not yet flushed on that path, or (in a kernel with shootdown primitives) flushed only on this CPU, or handed to the caller's round while this function frees the frame itself: a stale mapping or TLB entry can reach the reused frame. Clear, flush (or shoot down and wait), then free; or defer the free."},
	{"INV019", "error", "stale-waiver",
	 "A waiver (the config's `waivers` file) matches no finding: the site it justified is gone, fixed or renamed. A waiver that outlives its site would silently excuse the next finding of that shape: remove it, or point it at the finding it means."},
	{"INV020", "error", "citation-not-witnessed",
	 "An `@proves` citation is not witnessed: the cited test executed none of the sites of the transition it cites (or none of the backlog item's code) in a passing run, by its witness file (docs/audit/witness-format.md); a proof does not prove the site's file. A tag is a claim; only the run makes it evidence. Cite a test that reaches the sites, or drop the tag."},
	{"INV021", "error", "tag-outside-test-sources",
	 "An `@proves` tag sits in a file that is not one of the cited test's own sources (the CMake file that defines it, a file its command names, a file its run executed): a tag in a host test citing a kernel test, or a kernel-test tag in another kernel test's file. Put the tag in the cited test's own source."},
	{"INV022", "error", "evidence-kind-not-accepted",
	 "The cited test's evidence kind is not accepted for the obligation: the proof table (`accepts` of the site's class) does not list it, or it is a kind that never counts for a C site (a model of the design, such as spin, counts only for design-level backlog items; a Coccinelle rule counts for a site only where the class accepts it and its match record shows the site)."},
	{"INV023", "error", "state-store-outside-transition",
	 "A state constant of a machine whose states change through a transition function (the config's transitions.function and state_enum) is stored into memory outside that function, through any lvalue (a member, a pointer, a cast of the state field's address): the edge is never checked, counted or proven. Call the transition function; an object under construction in a local variable is not reported."},
	{"INV024", "error", "tlb-round-after-unlock",
	 "A page-table clear or weakening made after the function took a lock is flushed (its shootdown or local flush) only after the function releases that lock on some path: between the unlock and the round another CPU can take the lock, find the range unmapped or downgraded, and map or use it again while other CPUs still hold the old translations. Issue the round (at least the shootdown) before the unlock."},
	{"INV028", "error", "user-address-as-kernel-memory",
	 "A user address (a parameter declared with the config's user_addresses.marker, or a variable a user_addresses.sources function filled) is used as kernel memory: dereferenced, or a member or element of it read or written, through any cast. The kernel then touches whatever the user named (unmapped memory, another mapping, kernel memory). Copy through the user-copy helpers (role user_copy) instead."},
	{"INV025", "error", "surviving-mutant",
	 "With an obligation site's call removed (a transition deleted, a flush or wait skipped, a free or release dropped), every test cited for the site still passed (docs/audit/mutants.json, written by tests/mutants/mutate). Strengthen a test so it fails without the call, or write a reviewed justification in docs/audit/mutant-justifications.json."},
	{"INV026", "error", "stale-mutant-evidence",
	 "A mutation record entry no longer matches its site's source (the SHA-256 of the site's function text differs from the record's source_sha256, or the function is gone): the verdict is of other code. Rerun the site (tests/mutants/mutate --record docs/audit/mutants.json --changed-since BASE, or --only ID). Also: a justification that justifies no surviving mutant."},
	{"INV027", "error", "tlb-comment-disagrees",
	 "A function's `TLB:` comment disagrees with the TLB action computed from its paths for a page-table removal or weakening it holds: it gives the flush to the caller though every path flushes here, says shootdown where some path only flushes locally or only defers, says none where the site is flushed, says deferred where a path neither flushes nor defers, or names no action. Fix the comment (or the code, when the comment states the intent)."},
	{NULL, NULL, NULL, NULL},
};

const struct rule *check_rule(const char *id)
{
	for (const struct rule *r = check_rules; r->id; r++)
		if (strcmp(r->id, id) == 0)
			return r;
	return NULL;
}

/* A finding of rule at file:line (file NULL: "(unknown)") with its transition member (NULL: a
 * JSON null); msg is consumed. */
static struct finding *add(struct findings *out, const char *rule, const char *file, long long line,
			   const char *symbol, const char *trans, char *msg)
{
	struct finding *e = findings_add(out, rule, file, line, symbol, msg);
	finding_set_transition(e, trans);
	return e;
}


/* Tests of a list as "a, b" (or "none"). */
static char *test_list(const struct strv *a)
{
	struct sbuf b = {0};
	sb_puts(&b, "");
	for (size_t i = 0; i < a->n; i++)
		sb_printf(&b, "%s%s", b.n ? ", " : "", a->v[i]);
	if (!b.n)
		sb_puts(&b, "none");
	return b.s;
}

/* The citations that do not count at a site, and why: "t (kind not accepted), u (...)". */
static void not_counted(const struct site_eval *s, struct sbuf *nw)
{
	sb_puts(nw, "");
	for (size_t i = 0; i < s->n_evidence; i++) {
		const struct citation *c = &s->evidence[i];
		if (c->counts)
			continue;
		const char *why = !c->accepted ? "kind not accepted" : !c->witnessed ? "did not execute it" : "did not pass";
		sb_printf(nw, "%s%s (%s)", nw->n ? ", " : "", c->test, why);
	}
}

/* INV001 for one unproven site of edge e. */
static void unproven_site(const struct edge_eval *e, const struct site_eval *s, struct findings *out)
{
	struct sbuf mb = {0}, nw = {0};
	sb_puts(&mb, "");
	for (size_t i = 0; i < s->missing.n; i++)
		sb_printf(&mb, "%s%s", i ? " and " : "", s->missing.v[i]);
	not_counted(s, &nw);
	char *wl = test_list(&s->witnesses);
	struct finding *f = add(out, "INV001", s->file, s->line, s->function, e->id,
	    xasprintf("transition %s at this site (obligation %s, class %s) lacks evidence: needs %s; "
		      "executed by: %s%s%s", e->id, s->obligation ? s->obligation : "none",
		      e->cls ? e->cls->id : "none", mb.s, wl, nw.n ? "; cited but not counted: " : "", nw.s));
	if (s->obligation) {
		f->obligation = xstrdup(s->obligation);
		strv_copy(&f->witnesses, &s->witnesses);
	}
	free(wl);
	sb_free(&nw);
	sb_free(&mb);
}

/* One finding per unproven site, naming its obligation and the tests that executed it. */
static void rule_unproven(const struct evaluation *eval, struct findings *out)
{
	for (size_t i = 0; i < eval->n_edges; i++)
		for (size_t j = 0; j < eval->edges[i].n_sites; j++)
			if (!eval->edges[i].sites[j].proven)
				unproven_site(&eval->edges[i], &eval->edges[i].sites[j], out);
}

/* Citations of edges: of a kind the class does not accept (INV022), or (in a live run with
 * witnesses) that executed none of the edge's sites (INV020). */
static void edge_citations(const struct evidence_in *in, const struct edge_eval *e, struct findings *out)
{
	for (size_t i = 0; i < e->n_evidence; i++) {
		const struct citation *c = &e->evidence[i];
		int lv = citation_level(c);
		const char *lvl = lv < 0 ? NULL : kind_level_name((enum kind_level)lv);
		bool model = lv == LEVEL_DESIGN || lv == LEVEL_RUN;
		if (!c->accepted)
			add(out, "INV022", c->file, c->line, c->test, e->id,
			    xasprintf("'%s' (kind %s%s%s) is cited for transition %s (class %s), which %s", c->test,
				      c->kind ? c->kind->id : "unknown", lvl ? ", level " : "", lvl ? lvl : "", e->id,
				      e->cls ? e->cls->id : "none",
				      model ? "is C code: a model or a check's pass never counts for a C site"
					    : "does not accept that kind of evidence (proof table, accepts)"));
		else if (in->witnessed && !in->declared && c->sites_witnessed == 0)
			add(out, "INV020", c->file, c->line, c->test, e->id,
			    xasprintf("'%s' is cited for transition %s but %s none of its %zu site(s) in a passing run",
				      c->test, e->id, lv == LEVEL_FUNCTION ? "proves the file of" : "executed", e->n_sites));
	}
}

/* Citations that the run does not bear out: not witnessed (INV020), of a kind the class does
 * not accept (INV022), in a file that is not the cited test's own (INV021). */
static void rule_citations(const struct evidence_in *in, const struct evaluation *eval, struct findings *out)
{
	for (size_t i = 0; i < eval->n_edges; i++)
		edge_citations(in, &eval->edges[i], out);
	bool live = in->witnessed && !in->declared;
	for (size_t i = 0; live && i < eval->n_items; i++) {
		const struct item_eval *ie = &eval->items[i];
		for (size_t j = 0; j < ie->n_evidence; j++) {
			const struct citation *c = &ie->evidence[j];
			if (!c->witnessed)
				add(out, "INV020", c->file, c->line, c->test, ie->item->id,
				    xasprintf("'%s' is cited for backlog item %s but %s (%zu site(s) in the item's code)", c->test,
					      ie->item->id, citation_level(c) == LEVEL_FUNCTION ? "proves none of its files"
							     : "executed none of the item's code in a passing run", ie->sites));
		}
	}
	for (size_t i = 0; live && i < eval->n_tags; i++) {
		const struct tag_eval *t = &eval->tags[i];
		if (!t->own)
			add(out, "INV021", t->file, t->line, t->test, NULL,
			    xasprintf("a tag citing '%s' is in %s, which is not one of that test's own sources%s", t->test,
				      t->file, t->known ? "" : " (the test has no CTest definition and no witness to place it)"));
	}
}

static bool in_any_op(const struct model *m, const char *usr)
{
	for (size_t i = 0; i < m->n_operations; i++)
		for (size_t j = 0; j < m->operations[i].reach_usrs.n; j++)
			if (!strcmp(m->operations[i].reach_usrs.v[j], usr))
				return true;
	return false;
}

static void rule_outside(const struct model *m, struct findings *out)
{
	for (size_t i = 0; i < m->n_primitive_sites; i++) {
		const struct prim_site *s = &m->primitive_sites[i];
		if (role_mutates_pte(s->role) && !in_any_op(m, s->usr))
			add(out, "INV002", s->file, s->line, s->function, s->name,
			    xasprintf("%s (%s) in %s is reachable from no declared operation or entry point",
				      s->name, role_name(s->role), s->function));
	}
}

static bool is_model_edge(const struct model *m, const char *id)
{
	for (size_t i = 0; i < m->n_transitions; i++)
		if (!strcmp(m->transitions[i].id, id))
			return true;
	return false;
}

static void rule_evidence(const struct model *m, const struct evidence_in *in, struct findings *out)
{
	for (size_t i = 0; i < in->tags.n; i++) {
		const struct ev_tag *t = &in->tags.v[i];
		if (!proof_test_known(in, t->test))
			add(out, "INV003", t->file, t->line, t->test, NULL,
			    xasprintf("evidence names test '%s', which CTest does not know", t->test));
		const char *st = proof_test_status(in, t->test);
		if (strcmp(st, "failed") == 0 || strcmp(st, "skipped") == 0)
			add(out, "INV004", t->file, t->line, t->test, NULL,
			    xasprintf("test '%s' is cited as evidence but %s", t->test,
				      strcmp(st, "failed") == 0 ? "failed" : "did not run (skipped or not built)"));
		for (size_t j = 0; j < t->ids.n; j++) {
			const char *s = t->ids.v[j];
			bool edge = strstr(s, "->") != NULL;
			if ((edge && !is_model_edge(m, s)) || (!edge && !backlog_item_get(&in->backlog, s)))
				add(out, "INV015", t->file, t->line, t->test, s,
				    xasprintf("'%s' cites %s '%s', which %s", t->test, edge ? "transition" : "backlog item",
					      s, edge ? "no transition site in the model has" : "the backlog does not define"));
		}
	}
}

static void rule_forbidden(const struct config *cfg, const struct model *m, const struct evaluation *eval,
			   struct findings *out)
{
	for (size_t i = 0; i < cfg->n_forbidden; i++) {
		const struct forbidden_cfg *f = &cfg->forbidden[i];
		const char *role = role_name((enum role)f->role);
		const struct present_role *pres = NULL;
		for (size_t p = 0; p < m->n_present; p++)
			if ((int)m->present[p].role == f->role)
				pres = &m->present[p];
		struct sbuf open = {0};
		sb_puts(&open, "");
		for (size_t j = 0; j < f->until.n; j++) {
			const char *u = f->until.v[j];
			const struct item_eval *ie = evaluation_item(eval, u);
			const char *st = ie ? item_status_name(ie->status) : NULL;
			if (!st || strcmp(st, "done") != 0)
				sb_printf(&open, "%s%s (%s)", open.n ? ", " : "", u, st ? st : "unknown");
		}
		for (size_t k = 0; open.n && pres && k < pres->n; k++)
			add(out, "INV006", pres->v[k].file, pres->v[k].line, pres->v[k].name, NULL,
			    xasprintf("%s primitive '%s' is %s before its prerequisites are done: %s", role,
				      pres->v[k].name, pres->v[k].how, open.s));
		sb_free(&open);
	}
}

static void rule_trans_const(const struct model *m, struct findings *out)
{
	for (size_t i = 0; i < m->n_transition_errors; i++) {
		const struct transition_error *t = &m->transition_errors[i];
		struct sbuf a = {0};
		sb_puts(&a, "[");
		for (size_t j = 0; j < t->args.n; j++) {  /* the args as JSON text, as the message always showed them */
			char *q = findings_json_string(t->args.v[j]);
			sb_printf(&a, "%s%s", j ? "," : "", q);
			free(q);
		}
		sb_puts(&a, "]");
		add(out, "INV010", t->file, t->line, t->function, t->machine,
		    xasprintf("%s transition in %s is called with non-constant states %s", t->machine, t->function, a.s));
		sb_free(&a);
	}
}

static void rule_unresolved(const struct model *m, struct findings *out)
{
	struct strv seen = {0};
	for (size_t i = 0; i < m->n_operations; i++)
		for (size_t j = 0; j < m->operations[i].n_unresolved; j++) {
			const struct unresolved *u = &m->operations[i].unresolved[j];
			char *key = xasprintf("%s:%lld", u->file, u->line);
			bool dup = false;
			for (size_t k = 0; k < seen.n && !dup; k++)
				dup = !strcmp(seen.v[k], key);
			if (!dup) {
				add(out, "INV011", u->file, u->line, u->function, NULL,
				    xasprintf("indirect call in %s (on the path of %s) resolves to no function (not a static dispatch table, not a parameter any direct caller passes a function in)",
					      u->function, m->operations[i].id));
				strv_push(&seen, key);
			}
			free(key);
		}
	strv_free(&seen);
}

static bool is_lock_key(const struct config *cfg, const char *key)
{
	for (size_t i = 0; i < cfg->n_pairs; i++) {
		const struct pair_cfg *p = &cfg->pairs[i];
		size_t l = strlen(p->name);
		if (strncmp(key, p->name, l) == 0 && key[l] == '(' && p->acquire.n &&
		    config_role(cfg, p->acquire.v[0]) == ROLE_LOCK_ACQUIRE)
			return true;
	}
	return false;
}

/* The name of the pair fname acquires or releases (NULL when none). */
static const char *pair_of_wrapper(const struct config *cfg, const char *fname)
{
	int dir, p = config_pair_of_fn(cfg, fname, &dir);
	return p < 0 ? NULL : cfg->pairs[p].name;
}

/* Is key ("ledger(x)") a key of pair `name`? */
static bool key_of_pair(const char *key, const char *name)
{
	size_t l = strlen(name);
	return !strncmp(key, name, l) && key[l] == '(';
}

/* `return b` holding `pair(b)`: the resource goes to the caller with the value (a lock handed
 * over through the return value), which is not a leak. */
static bool handed_over(const char *key, const char *value)
{
	const char *open = strchr(key, '(');
	size_t vl = value ? strlen(value) : 0;
	return open && vl && strlen(open + 1) == vl + 1 && !strncmp(open + 1, value, vl) && open[vl + 1] == ')';
}

static void rule_returns(const struct config *cfg, const struct model *m, struct findings *out)
{
	for (size_t fi = 0; fi < m->n_functions; fi++) {
		const struct function *f = &m->functions[fi];
		const char *own = pair_of_wrapper(cfg, f->name);  /* its own pair is held by design */
		struct strv seen = {0};  /* one finding per return, kind and key (not per count) */
		for (size_t i = 0; i < f->n_returns; i++)
			for (size_t j = 0; j < f->returns[i].n_held; j++) {
				const struct ret_path *r = &f->returns[i];
				const char *key = r->held[j].key;
				if (r->held[j].count <= 0 || handed_over(key, r->value) || (own && key_of_pair(key, own)))
					continue;
				char *once = xasprintf("%lld|%s|%s", r->line, r->kind, key);
				bool dup = false;
				for (size_t k = 0; k < seen.n && !dup; k++)
					dup = !strcmp(seen.v[k], once);
				if (!dup)
					strv_push(&seen, once);
				free(once);
				if (dup)
					continue;
				if (is_lock_key(cfg, key))
					add(out, "INV013", f->file, r->line, f->name, key,
					    xasprintf("%s returns (%s) with %s still held", f->name, r->kind, key));
				else if (strcmp(r->kind, "error") == 0)
					add(out, "INV012", f->file, r->line, f->name, key,
					    xasprintf("%s returns error '%s' with %s outstanding (no release on this unwind path)",
						      f->name, r->value, key));
			}
		strv_free(&seen);
	}
}

static void rule_copies(const struct model *m, struct findings *out)
{
	for (size_t fi = 0; fi < m->n_functions; fi++) {
		const struct function *f = &m->functions[fi];
		for (size_t i = 0; i < f->n_copies; i++)
			if (!f->copies[i].stable)
				add(out, "INV014", f->file, f->copies[i].line, f->name, f->copies[i].name,
				    xasprintf("%s in %s runs without the address-space stability guarantee",
					      f->copies[i].name, f->name));
	}
}

/* INV016 and INV027 from the TLB actions computed on the paths (tlbflow.c). */
static void rule_tlb(const struct model *m, struct findings *out)
{
	struct tlb_finding *v;
	size_t n = tlbflow_findings(m, &v);
	for (size_t i = 0; i < n; i++)
		add(out, v[i].rule, v[i].f->file, v[i].line, v[i].f->name, NULL, v[i].message);
	free(v);
}

static void rule_order(const struct model *m, struct findings *out)
{
	for (size_t fi = 0; fi < m->n_functions; fi++) {
		const struct function *f = &m->functions[fi];
		struct order_violation *v;
		size_t n = order_violations_fn(f, &v);
		for (size_t i = 0; i < n; i++) {
			add(out, "INV018", f->file, v[i].line, f->name, NULL, xasprintf("%s %s", f->name, v[i].message));
			free(v[i].message);
		}
		free(v);
	}
}

/* INV023: a transition-function machine's state stored around its transition function (the
 * path walker records such stores with their machine; field machines' stores are transitions). */
static void rule_state_stores(const struct config *cfg, const struct model *m, struct findings *out)
{
	for (size_t fi = 0; fi < m->n_functions; fi++) {
		const struct function *f = &m->functions[fi];
		char *own = cfg->trans_fn ? pattern_get(cfg->trans_fn, f->name, "machine") : NULL;
		for (size_t i = 0; i < f->n_calls; i++) {
			const struct call *c = &f->calls[i];
			if (!c->store || !c->machine || config_field_machine(cfg, c->machine) ||
			    (own && !strcmp(own, c->machine)))
				continue;
			add(out, "INV023", f->file, c->line, f->name, NULL,
			    xasprintf("%s stores the %s state %s (%s %s) outside the machine's transition function: "
				      "the edge is never checked, counted or proven", f->name, c->machine,
				      c->to ? c->to : "?", c->name, c->args.n ? c->args.v[0] : ""));
		}
		free(own);
	}
}

/* INV028: user addresses used as kernel memory (uaccess.c recorded them per function). */
static void rule_uderefs(const struct model *m, struct findings *out)
{
	for (size_t fi = 0; fi < m->n_functions; fi++) {
		const struct function *f = &m->functions[fi];
		for (size_t i = 0; i < f->n_uderefs; i++)
			add(out, "INV028", f->file, f->uderefs[i].line, f->name, NULL,
			    xasprintf("%s uses the user address %s as kernel memory (%s): copy through the user-copy "
				      "helpers instead", f->name, f->uderefs[i].var, f->uderefs[i].text));
	}
}

static void rule_bounds(const struct model *m, struct findings *out)
{
	/* Wrapper derivation stopped at its round bound: each wrapper found and not applied is a
	 * bound reached in its callers' analysis, named (never a silent cut). */
	for (size_t i = 0; i < m->n_derivation_pending; i++) {
		const struct wrapper *w = &m->derivation_pending[i];
		const struct function *f = NULL;
		for (size_t fi = 0; fi < m->n_functions && !f; fi++)
			if (!strcmp(m->functions[fi].name, w->function))
				f = &m->functions[fi];
		add(out, "INV017", f ? f->file : NULL, f ? f->line : 0, w->function, NULL,
		    xasprintf("wrapper derivation stopped at its round bound: %s acts as an %s of pair '%s' but was "
			      "not applied, so its callers' unwind paths are not checked for it", w->function,
			      w->dir > 0 ? "acquire" : "release", w->pair));
	}
	for (size_t fi = 0; fi < m->n_functions; fi++) {
		const struct function *f = &m->functions[fi];
		for (size_t i = 0; i < f->bounds.n; i++)
			add(out, "INV017", f->file, f->line, f->name, NULL,
			    xasprintf("the path walker reached a bound in %s: %s; paths past it are not analysed",
				      f->name, f->bounds.v[i]));
	}
}

int check_run(const struct config *cfg, const struct model *model, const struct evidence_in *in,
	      const struct evaluation *eval, const struct strv *stale, struct findings *out)
{
	memset(out, 0, sizeof *out);
	rule_unproven(eval, out);
	rule_citations(in, eval, out);
	rule_outside(model, out);
	rule_evidence(model, in, out);
	rule_forbidden(cfg, model, eval, out);
	rule_trans_const(model, out);
	rule_unresolved(model, out);
	rule_returns(cfg, model, out);
	rule_copies(model, out);
	rule_tlb(model, out);
	rule_bounds(model, out);
	rule_order(model, out);
	rule_state_stores(cfg, model, out);
	rule_uderefs(model, out);
	if (mutants_rules(cfg, model, out) < 0) {  /* INV025, INV026 (mutants.c) */
		findings_free(out);
		return -1;
	}
	for (size_t i = 0; stale && i < stale->n; i++)
		add(out, "INV005", stale->v[i], 1, stale->v[i], NULL,
		    xasprintf("%s is stale: run `inventory tables` and commit the result", stale->v[i]));
	return 0;
}

void check_apply_settings(const struct config *cfg, struct findings *f, struct rule_settings *settings)
{
	memset(settings, 0, sizeof *settings);
	for (const struct rule *r = check_rules; r->id; r++) {
		bool enabled;
		const char *sev;
		const char *why = config_rule_reason(cfg, r->id, &enabled, &sev);
		if (!why)
			continue;
		long long n = 0;
		for (size_t i = 0; i < f->n; i++)
			n += !strcmp(f->v[i].rule, r->id);
		settings->v = xrealloc(settings->v, (settings->n + 1) * sizeof *settings->v);
		settings->v[settings->n++] = (struct rule_setting){
			.rule = xstrdup(r->id), .enabled = enabled, .severity = sev ? xstrdup(sev) : NULL,
			.reason = xstrdup(why), .suppressed = enabled ? 0 : n};
	}
	size_t kept = 0;
	for (size_t i = 0; i < f->n; i++) {
		struct finding *e = &f->v[i];
		bool enabled = true;
		const char *sev = NULL;
		config_rule_reason(cfg, e->rule, &enabled, &sev);
		if (!enabled) {
			finding_free(e);
			continue;
		}
		if (sev) {
			free(e->severity);
			e->severity = xstrdup(sev);
		}
		f->v[kept++] = *e;
	}
	f->n = kept;
}

static int cmp_finding(const void *a, const void *b)
{
	const struct finding *x = *(const struct finding *const *)a, *y = *(const struct finding *const *)b;
	int c = strcmp(x->file, y->file);
	if (c)
		return c;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	if (x->col != y->col)
		return x->col < y->col ? -1 : 1;
	if ((c = strcmp(x->rule, y->rule)))
		return c;
	if ((c = strcmp(x->message, y->message)))
		return c;
	/* A total order (qsort is not stable): the output and the fingerprint ranks never vary. */
	return strcmp(x->symbol, y->symbol);
}

/* The fingerprint key of finding v: rule, file, symbol and transition (never the line). */
static char *fingerprint_base(const struct finding *v)
{
	return xasprintf("%s\n%s\n%s\n%s", v->rule, v->file, v->symbol, v->transition ? v->transition : "");
}

/* Sorts the findings and gives each a fingerprint. Findings that share rule, file, symbol and
 * transition (two leaking returns of one function, two Coccinelle reports in one function) also
 * hash their message and their rank among identical ones, in line order: fingerprints stay
 * unique and still do not move when unrelated lines do. */
void check_finish(struct findings *f)
{
	size_t n = f->n;
	struct finding **v = xcalloc(n ? n : 1, sizeof *v), *sorted = xcalloc(n ? n : 1, sizeof *sorted);
	struct smap count = {0}, rank = {0};
	for (size_t i = 0; i < n; i++)
		v[i] = &f->v[i];
	qsort(v, n, sizeof *v, cmp_finding);
	for (size_t i = 0; i < n; i++) {
		char *base = fingerprint_base(v[i]);
		long long c = smap_get(&count, base);
		smap_put(&count, base, c < 0 ? 1 : c + 1);
		free(base);
	}
	for (size_t i = 0; i < n; i++) {
		char h[33], *key = fingerprint_base(v[i]);
		if (smap_get(&count, key) > 1) {
			char *k2 = xasprintf("%s\n%s", key, v[i]->message);
			long long r = smap_get(&rank, k2);
			r = r < 0 ? 0 : r;
			smap_put(&rank, k2, r + 1);
			free(key);
			key = xasprintf("%s\n%lld", k2, r);
			free(k2);
		}
		hash_hex(key, strlen(key), h);
		free(key);
		free(v[i]->fingerprint);
		v[i]->fingerprint = xstrdup(h);
		sorted[i] = *v[i];
	}
	if (n)
		memcpy(f->v, sorted, n * sizeof *sorted);
	smap_free(&count);
	smap_free(&rank);
	free(sorted);
	free(v);
}
