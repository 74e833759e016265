/* check.c: every check rule. Each finding names a rule, a repo-relative file:line, a symbol and
 * (where there is one) a transition; the SARIF fingerprint is built from those, not the line. */
#include "check.h"
#include "model.h"
#include "mutants.h"
#include "order.h"
#include "tlbflow.h"
#include "util.h"

#include <stdio.h>
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
	 "A function frees a frame before its own page-table clear, or after it with no TLB flush between (its own flush, or a callee that flushes, by function summaries) and no `TLB:` comment saying who flushes, in source order; or, on the paths (the function's control-flow graph), a frame is freed (here, or by a callee before it flushes) while a page-table clear or weakening is not yet flushed on that path: a stale mapping or TLB entry can reach the reused frame. Clear, flush (or shoot down and wait), then free; or defer the free."},
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

/* A finding of rule at file:line (file NULL: "(unknown)"); msg is consumed. */
static void add(json_t *out, const char *rule, const char *file, long long line, const char *symbol,
		const char *trans, char *msg)
{
	const struct rule *r = check_rule(rule);
	json_array_append_new(out, json_pack("{s:s,s:s,s:s,s:I,s:s,s:s,s:s?,s:s}", "rule", rule, "severity",
			      r ? r->level : "error", "file", file ? file : "(unknown)", "line", (json_int_t)line,
			      "message", msg, "symbol", symbol ? symbol : "", "transition", trans, "tool", "inventory"));
	free(msg);
}


/* Tests of a JSON array as "`a`, `b`" (or "none"). */
static char *test_list(json_t *a, const char *key)
{
	struct sbuf b = {0};
	size_t i;
	json_t *x;
	sb_puts(&b, "");
	json_array_foreach(a, i, x)
		sb_printf(&b, "%s%s", b.n ? ", " : "", key ? S(x, key) : json_string_value(x));
	if (!b.n)
		sb_puts(&b, "none");
	return b.s;
}

/* One finding per unproven site, naming its obligation and the tests that executed it. */
static void rule_unproven(const struct model *m, json_t *eval, json_t *out)
{
	json_t *tr = json_object_get(eval, "transitions"), *ev, *s;
	const char *id;
	json_object_foreach(tr, id, ev) {
		size_t si;
		json_array_foreach(json_object_get(ev, "sites"), si, s) {
			if (json_is_true(json_object_get(s, "proven")))
				continue;
			struct sbuf mb = {0};
			size_t mi;
			json_t *me, *c;
			sb_puts(&mb, "");
			json_array_foreach(json_object_get(s, "missing"), mi, me)
				sb_printf(&mb, "%s%s", mi ? " and " : "", json_string_value(me));
			struct sbuf nw = {0};  /* citations that do not count here, and why */
			sb_puts(&nw, "");
			json_array_foreach(json_object_get(s, "evidence"), mi, c) {
				if (json_is_true(json_object_get(c, "counts")))
					continue;
				const char *why = !json_is_true(json_object_get(c, "accepted")) ? "kind not accepted" :
						  !json_is_true(json_object_get(c, "witnessed")) ? "did not execute it" : "did not pass";
				sb_printf(&nw, "%s%s (%s)", nw.n ? ", " : "", S(c, "test"), why);
			}
			char *wl = test_list(json_object_get(s, "witnesses"), NULL);
			size_t before = json_array_size(out);
			add(out, "INV001", S(s, "file"), I(s, "line"), S(s, "function"), id,
			    xasprintf("transition %s at this site (obligation %s, class %s) lacks evidence: needs %s; "
				      "executed by: %s%s%s", id, S(s, "obligation") ? S(s, "obligation") : "none",
				      S(ev, "class") ? S(ev, "class") : "none", mb.s, wl, nw.n ? "; cited but not counted: " : "", nw.s));
			json_t *f = json_array_get(out, before);
			if (f && S(s, "obligation")) {
				json_object_set(f, "obligation", json_object_get(s, "obligation"));
				json_object_set(f, "witnesses", json_object_get(s, "witnesses"));
			}
			free(wl);
			sb_free(&nw);
			sb_free(&mb);
		}
	}
	(void)m;
}

/* Citations that the run does not bear out: not witnessed (INV020), of a kind the class does
 * not accept (INV022), in a file that is not the cited test's own (INV021). */
static void rule_citations(const struct evidence_in *in, json_t *eval, json_t *out)
{
	json_t *tr = json_object_get(eval, "transitions"), *ev, *c, *t;
	const char *id;
	size_t i;
	json_object_foreach(tr, id, ev) {
		json_array_foreach(json_object_get(ev, "evidence"), i, c) {
			const char *lvl = S(c, "level");
			bool model = lvl && (!strcmp(lvl, "design") || !strcmp(lvl, "run"));
			if (!json_is_true(json_object_get(c, "accepted")))
				add(out, "INV022", S(c, "file"), I(c, "line"), S(c, "test"), id,
				    xasprintf("'%s' (kind %s%s%s) is cited for transition %s (class %s), which %s", S(c, "test"),
					      S(c, "kind") ? S(c, "kind") : "unknown", lvl ? ", level " : "", lvl ? lvl : "", id,
					      S(ev, "class") ? S(ev, "class") : "none",
					      model ? "is C code: a model or a check's pass never counts for a C site"
						    : "does not accept that kind of evidence (proof table, accepts)"));
			else if (in->witnessed && !in->declared && json_integer_value(json_object_get(c, "sites_witnessed")) == 0)
				add(out, "INV020", S(c, "file"), I(c, "line"), S(c, "test"), id,
				    xasprintf("'%s' is cited for transition %s but %s none of its %zu site(s) in a passing run",
					      S(c, "test"), id, lvl && !strcmp(lvl, "function") ? "proves the file of" : "executed",
					      json_array_size(json_object_get(ev, "sites"))));
		}
	}
	json_t *bl = json_object_get(eval, "backlog");
	json_object_foreach(bl, id, ev) {
		json_array_foreach(json_object_get(ev, "evidence"), i, c)
			if (in->witnessed && !in->declared && !json_is_true(json_object_get(c, "witnessed")))
				add(out, "INV020", S(c, "file"), I(c, "line"), S(c, "test"), id,
				    xasprintf("'%s' is cited for backlog item %s but %s (%lld site(s) in the item's code)", S(c, "test"), id,
					      S(c, "level") && !strcmp(S(c, "level"), "function") ? "proves none of its files"
							     : "executed none of the item's code in a passing run",
					      I(ev, "sites")));
	}
	json_array_foreach(json_object_get(eval, "tags"), i, t)
		if (in->witnessed && !in->declared && !json_is_true(json_object_get(t, "own")))
			add(out, "INV021", S(t, "file"), I(t, "line"), S(t, "test"), NULL,
			    xasprintf("a tag citing '%s' is in %s, which is not one of that test's own sources%s", S(t, "test"),
				      S(t, "file"), json_is_true(json_object_get(t, "known")) ? "" :
				      " (the test has no CTest definition and no witness to place it)"));
}

static bool in_any_op(const struct model *m, const char *usr)
{
	for (size_t i = 0; i < m->n_operations; i++)
		for (size_t j = 0; j < m->operations[i].reach_usrs.n; j++)
			if (!strcmp(m->operations[i].reach_usrs.v[j], usr))
				return true;
	return false;
}

static void rule_outside(const struct model *m, json_t *out)
{
	for (size_t i = 0; i < m->n_primitive_sites; i++) {
		const struct prim_site *s = &m->primitive_sites[i];
		if (role_mutates_pte(s->role) && !in_any_op(m, s->usr))
			add(out, "INV002", s->file, s->line, s->function, s->name,
			    xasprintf("%s (%s) in %s is reachable from no declared operation or entry point",
				      s->name, role_name(s->role), s->function));
	}
}

static bool is_backlog_id(const struct evidence_in *in, const char *id)
{
	size_t i;
	json_t *it;
	json_array_foreach(json_object_get(in->backlog, "items"), i, it)
		if (strcmp(S(it, "id"), id) == 0)
			return true;
	return false;
}

static bool is_model_edge(const struct model *m, const char *id)
{
	for (size_t i = 0; i < m->n_transitions; i++)
		if (!strcmp(m->transitions[i].id, id))
			return true;
	return false;
}

static void rule_evidence(const struct model *m, const struct evidence_in *in, json_t *out)
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
			if ((edge && !is_model_edge(m, s)) || (!edge && !is_backlog_id(in, s)))
				add(out, "INV015", t->file, t->line, t->test, s,
				    xasprintf("'%s' cites %s '%s', which %s", t->test, edge ? "transition" : "backlog item",
					      s, edge ? "no transition site in the model has" : "the backlog does not define"));
		}
	}
}

static void rule_forbidden(const struct config *cfg, const struct model *m, json_t *eval, json_t *out)
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
			const char *st = S(json_object_get(json_object_get(eval, "backlog"), u), "status");
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

static void rule_trans_const(const struct model *m, json_t *out)
{
	for (size_t i = 0; i < m->n_transition_errors; i++) {
		const struct transition_error *t = &m->transition_errors[i];
		struct sbuf a = {0};
		json_t *s;
		sb_puts(&a, "[");
		for (size_t j = 0; j < t->args.n; j++) {  /* the args as JSON text, as the message always showed them */
			s = json_string(t->args.v[j]);
			char *q = json_dumps(s, JSON_ENCODE_ANY);
			sb_printf(&a, "%s%s", j ? "," : "", q);
			free(q);
			json_decref(s);
		}
		sb_puts(&a, "]");
		add(out, "INV010", t->file, t->line, t->function, t->machine,
		    xasprintf("%s transition in %s is called with non-constant states %s", t->machine, t->function, a.s));
		sb_free(&a);
	}
}

static void rule_unresolved(const struct model *m, json_t *out)
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

static void rule_returns(const struct config *cfg, const struct model *m, json_t *out)
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

static void rule_copies(const struct model *m, json_t *out)
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
static void rule_tlb(const struct model *m, json_t *out)
{
	struct tlb_finding *v;
	size_t n = tlbflow_findings(m, &v);
	for (size_t i = 0; i < n; i++)
		add(out, v[i].rule, v[i].f->file, v[i].line, v[i].f->name, NULL, v[i].message);
	free(v);
}

static void rule_order(const struct model *m, json_t *out)
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
static void rule_state_stores(const struct config *cfg, const struct model *m, json_t *out)
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
static void rule_uderefs(const struct model *m, json_t *out)
{
	for (size_t fi = 0; fi < m->n_functions; fi++) {
		const struct function *f = &m->functions[fi];
		for (size_t i = 0; i < f->n_uderefs; i++)
			add(out, "INV028", f->file, f->uderefs[i].line, f->name, NULL,
			    xasprintf("%s uses the user address %s as kernel memory (%s): copy through the user-copy "
				      "helpers instead", f->name, f->uderefs[i].var, f->uderefs[i].text));
	}
}

static void rule_bounds(const struct model *m, json_t *out)
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

json_t *check_run(const struct config *cfg, const struct model *model, const struct evidence_in *in, json_t *eval,
		  json_t *stale)
{
	json_t *out = json_array(), *s;
	size_t i;
	rule_unproven(model, eval, out);
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
		json_decref(out);
		return NULL;
	}
	json_array_foreach(stale, i, s)
		add(out, "INV005", json_string_value(s), 1, json_string_value(s), NULL,
		    xasprintf("%s is stale: run `inventory tables` and commit the result", json_string_value(s)));
	return out;
}

json_t *check_apply_settings(const struct config *cfg, json_t *f)
{
	json_t *settings = json_array(), *kept = json_array(), *e;
	size_t i;
	for (const struct rule *r = check_rules; r->id; r++) {
		bool enabled;
		const char *sev;
		const char *why = config_rule_reason(cfg, r->id, &enabled, &sev);
		if (!why)
			continue;
		json_int_t n = 0;
		json_array_foreach(f, i, e)
			if (!strcmp(S(e, "rule"), r->id))
				n++;
		json_array_append_new(settings, json_pack("{s:s,s:b,s:s?,s:s,s:I}", "rule", r->id, "enabled", enabled,
				      "severity", sev, "reason", why, "suppressed", enabled ? (json_int_t)0 : n));
	}
	json_array_foreach(f, i, e) {
		bool enabled = true;
		const char *sev = NULL;
		config_rule_reason(cfg, S(e, "rule"), &enabled, &sev);
		if (!enabled)
			continue;
		if (sev)
			json_object_set_new(e, "severity", json_string(sev));
		json_array_append(kept, e);
	}
	json_array_clear(f);
	json_array_extend(f, kept);
	json_decref(kept);
	return settings;
}

int check_merge_findings(const char *path, json_t *findings)
{
	json_error_t err;
	json_t *j = json_read_file(path, 0, &err), *f;
	size_t i;
	if (!j) {
		json_load_error("findings file", path, &err);
		return -1;
	}
	if (!S(j, "schema") || strcmp(S(j, "schema"), "capos-findings/1") != 0 || !json_is_array(json_object_get(j, "findings"))) {
		fprintf(stderr, "%s: findings file needs schema \"capos-findings/1\" and a findings array\n", path);
		json_decref(j);
		return -1;
	}
	json_array_foreach(json_object_get(j, "findings"), i, f) {
		const char *sev = S(f, "severity");
		json_t *col = json_object_get(f, "column");
		if (!S(f, "rule") || !S(f, "file") || !json_is_integer(json_object_get(f, "line")) ||
		    json_integer_value(json_object_get(f, "line")) < 1 || !S(f, "message") ||
		    (json_object_get(f, "severity") && (!sev || (strcmp(sev, "error") && strcmp(sev, "warning") && strcmp(sev, "note")))) ||
		    (col && (!json_is_integer(col) || json_integer_value(col) < 1))) {
			fprintf(stderr, "%s: findings[%zu] needs rule, file, line >= 1 and message; severity "
				"error, warning or note; column >= 1\n", path, i);
			json_decref(j);
			return -1;
		}
		json_array_append_new(findings, json_pack("{s:s,s:s,s:s,s:O,s:s,s:s,s:s}", "rule", S(f, "rule"),
				      "severity", S(f, "severity") ? S(f, "severity") : "error", "file", S(f, "file"),
				      "line", json_object_get(f, "line"), "message", S(f, "message"), "symbol",
				      S(f, "symbol") ? S(f, "symbol") : "", "tool", S(j, "tool") ? S(j, "tool") : "external"));
		json_t *added = json_array_get(findings, json_array_size(findings) - 1);
		if (col)
			json_object_set(added, "col", json_object_get(f, "column"));
		if (json_is_string(json_object_get(f, "description")))
			json_object_set(added, "description", json_object_get(f, "description"));
	}
	json_decref(j);
	return 0;
}

static int cmp_finding(const void *a, const void *b)
{
	json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
	int c = strcmp(S(x, "file"), S(y, "file"));
	if (c)
		return c;
	json_int_t d = json_integer_value(json_object_get(x, "line")) - json_integer_value(json_object_get(y, "line"));
	if (d)
		return d < 0 ? -1 : 1;
	d = json_integer_value(json_object_get(x, "col")) - json_integer_value(json_object_get(y, "col"));
	if (d)
		return d < 0 ? -1 : 1;
	if ((c = strcmp(S(x, "rule"), S(y, "rule"))))
		return c;
	if ((c = strcmp(S(x, "message"), S(y, "message"))))
		return c;
	/* A total order (qsort is not stable): the output and the fingerprint ranks never vary. */
	return strcmp(S(x, "symbol") ? S(x, "symbol") : "", S(y, "symbol") ? S(y, "symbol") : "");
}

/* The fingerprint key of finding v: rule, file, symbol and transition (never the line). */
static char *fingerprint_base(json_t *v)
{
	return xasprintf("%s\n%s\n%s\n%s", S(v, "rule"), S(v, "file"), S(v, "symbol") ? S(v, "symbol") : "",
			 S(v, "transition") ? S(v, "transition") : "");
}

/* Sorts the findings and gives each a fingerprint. Findings that share rule, file, symbol and
 * transition (two leaking returns of one function, two Coccinelle reports in one function) also
 * hash their message and their rank among identical ones, in line order: fingerprints stay
 * unique and still do not move when unrelated lines do. */
void check_finish(json_t *f)
{
	size_t n = json_array_size(f);
	json_t **v = xcalloc(n, sizeof *v), *count = json_object(), *rank = json_object();
	for (size_t i = 0; i < n; i++)
		v[i] = json_incref(json_array_get(f, i));
	qsort(v, n, sizeof *v, cmp_finding);
	json_array_clear(f);
	for (size_t i = 0; i < n; i++) {
		char *base = fingerprint_base(v[i]);
		json_object_set_new(count, base, json_integer(json_integer_value(json_object_get(count, base)) + 1));
		free(base);
	}
	for (size_t i = 0; i < n; i++) {
		char h[33], *key = fingerprint_base(v[i]);
		if (json_integer_value(json_object_get(count, key)) > 1) {
			char *k2 = xasprintf("%s\n%s", key, S(v[i], "message"));
			json_int_t r = json_integer_value(json_object_get(rank, k2));
			json_object_set_new(rank, k2, json_integer(r + 1));
			free(key);
			key = xasprintf("%s\n%lld", k2, (long long)r);
			free(k2);
		}
		hash_hex(key, strlen(key), h);
		free(key);
		json_object_set_new(v[i], "fingerprint", json_string(h));
		json_array_append_new(f, v[i]);
	}
	json_decref(count);
	json_decref(rank);
	free(v);
}
