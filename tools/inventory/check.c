/* check.c: every check rule. Each finding names a rule, a repo-relative file:line, a symbol and
 * (where there is one) a transition; the SARIF fingerprint is built from those, not the line. */
#include "check.h"
#include "model.h"
#include "order.h"
#include "util.h"

#include <stdio.h>
#include <string.h>

const struct rule check_rules[] = {
	{"INV001", "error", "unproven-transition",
	 "A transition lacks the passing evidence its proof-table class requires. Add a test of the missing kind that declares `@proves <test>: <machine>:<FROM>-><TO>` and passes."},
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
	 "A function clears or weakens PTEs but neither calls a TLB flush (itself or through a callee that flushes) nor says who flushes (`TLB: caller`, `TLB: shootdown`, ...) in a comment; or it claims `TLB: none (new PTEs only)`."},
	{"INV017", "error", "analysis-bound-reached",
	 "The path walker reached one of its internal bounds in this function (path states at one point, outstanding keys, failure variables, key or name length, loop fixpoint): paths past the bound were not analysed, so no other rule can vouch for them. Split the function, or raise the bound in tools/inventory/paths.c."},
	{"INV018", "error", "free-before-flush",
	 "A function frees a frame before its own page-table clear, or after it with no TLB flush between (its own flush, or a callee that flushes, by function summaries) and no `TLB:` comment saying who flushes, in source order: a stale mapping or TLB entry can reach the reused frame. Clear, flush (or shoot down and wait), then free; or defer the free."},
	{NULL, NULL, NULL, NULL},
};

const struct rule *check_rule(const char *id)
{
	for (const struct rule *r = check_rules; r->id; r++)
		if (strcmp(r->id, id) == 0)
			return r;
	return NULL;
}

/* file and line are borrowed JSON values (a string and an integer) or NULL. */
static void add(json_t *out, const char *rule, json_t *file, json_t *line, const char *symbol,
		const char *trans, char *msg)
{
	const struct rule *r = check_rule(rule);
	json_array_append_new(out, json_pack("{s:s,s:s,s:s,s:I,s:s,s:s,s:s?,s:s}", "rule", rule, "severity",
			      r ? r->level : "error", "file", json_is_string(file) ? json_string_value(file) : "(unknown)",
			      "line", line ? json_integer_value(line) : (json_int_t)1, "message", msg, "symbol",
			      symbol ? symbol : "", "transition", trans, "tool", "inventory"));
	free(msg);
}


static void rule_unproven(json_t *model, json_t *eval, json_t *out)
{
	size_t i;
	json_t *t, *seen = json_object();
	json_array_foreach(json_object_get(model, "transitions"), i, t) {
		json_t *ev = json_object_get(json_object_get(eval, "transitions"), S(t, "id"));
		if (json_is_true(json_object_get(ev, "proven")))
			continue;
		struct sbuf mb = {0};
		size_t mi;
		json_t *me;
		sb_puts(&mb, "");
		json_array_foreach(json_object_get(ev, "missing"), mi, me)
			sb_printf(&mb, "%s%s", mi ? " and " : "", json_string_value(me));
		char *miss = mb.s;
		add(out, "INV001", json_object_get(t, "file"), json_object_get(t, "line"), S(t, "function"), S(t, "id"),
		    xasprintf("transition %s (class %s) lacks passing evidence: needs %s", S(t, "id"),
			      S(ev, "class") ? S(ev, "class") : "none", miss));
		free(miss);
	}
	json_decref(seen);
}

static bool in_any_op(json_t *model, const char *usr)
{
	const char *k;
	json_t *op, *u;
	size_t i;
	json_object_foreach(json_object_get(model, "operations"), k, op)
		json_array_foreach(json_object_get(op, "reach_usrs"), i, u)
			if (strcmp(json_string_value(u), usr) == 0)
				return true;
	return false;
}

static void rule_outside(json_t *model, json_t *out)
{
	size_t i;
	json_t *s;
	json_array_foreach(json_object_get(model, "primitive_sites"), i, s) {
		const char *r = S(s, "role");
		if (!role_mutates_pte(role_from_name(r)))
			continue;
		if (!in_any_op(model, S(s, "usr")))
			add(out, "INV002", json_object_get(s, "file"), json_object_get(s, "line"), S(s, "function"), S(s, "name"),
			    xasprintf("%s (%s) in %s is reachable from no declared operation or entry point",
				      S(s, "name"), r, S(s, "function")));
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

static bool is_model_edge(json_t *model, const char *id)
{
	size_t i;
	json_t *t;
	json_array_foreach(json_object_get(model, "transitions"), i, t)
		if (strcmp(S(t, "id"), id) == 0)
			return true;
	return false;
}

static void rule_evidence(json_t *model, const struct evidence_in *in, json_t *out)
{
	size_t i, j;
	json_t *t, *id;
	json_array_foreach(in->tags, i, t) {
		const char *test = S(t, "test");
		if (in->tests && !json_object_get(in->tests, test))
			add(out, "INV003", json_object_get(t, "file"), json_object_get(t, "line"), test, NULL,
			    xasprintf("evidence names test '%s', which CTest does not know", test));
		const char *st = proof_test_status(in, test);
		if (strcmp(st, "failed") == 0 || strcmp(st, "skipped") == 0)
			add(out, "INV004", json_object_get(t, "file"), json_object_get(t, "line"), test, NULL,
			    xasprintf("test '%s' is cited as evidence but %s", test,
				      strcmp(st, "failed") == 0 ? "failed" : "did not run (skipped or not built)"));
		json_array_foreach(json_object_get(t, "ids"), j, id) {
			const char *s = json_string_value(id);
			bool edge = strstr(s, "->") != NULL;
			if ((edge && !is_model_edge(model, s)) || (!edge && !is_backlog_id(in, s)))
				add(out, "INV015", json_object_get(t, "file"), json_object_get(t, "line"), test, s,
				    xasprintf("'%s' cites %s '%s', which %s", test, edge ? "transition" : "backlog item",
					      s, edge ? "no transition site in the model has" : "the backlog does not define"));
		}
	}
}

static void rule_forbidden(const struct config *cfg, json_t *model, json_t *eval, json_t *out)
{
	size_t i, j, k;
	json_t *f, *site, *u;
	json_array_foreach(cfg->forbidden, i, f) {
		json_t *pres = json_object_get(json_object_get(model, "present"), S(f, "role"));
		struct sbuf open = {0};
		sb_puts(&open, "");
		json_array_foreach(json_object_get(f, "until"), j, u) {
			const char *st = S(json_object_get(json_object_get(eval, "backlog"), json_string_value(u)), "status");
			if (!st || strcmp(st, "done") != 0)
				sb_printf(&open, "%s%s (%s)", open.n ? ", " : "", json_string_value(u), st ? st : "unknown");
		}
		if (open.n)
			json_array_foreach(pres, k, site)
				add(out, "INV006", json_object_get(site, "file"), json_object_get(site, "line"), S(site, "name"),
				    NULL, xasprintf("%s primitive '%s' is %s before its prerequisites are done: %s",
						    S(f, "role"), S(site, "name"), S(site, "how"), open.s));
		sb_free(&open);
	}
}

static void rule_trans_const(json_t *model, json_t *out)
{
	size_t i;
	json_t *t;
	json_array_foreach(json_object_get(model, "transition_errors"), i, t) {
		char *a = json_dumps(json_object_get(t, "args"), JSON_COMPACT);
		add(out, "INV010", json_object_get(t, "file"), json_object_get(t, "line"), S(t, "function"), S(t, "machine"),
		    xasprintf("%s transition in %s is called with non-constant states %s", S(t, "machine"), S(t, "function"), a));
		free(a);
	}
}

static void rule_unresolved(json_t *model, json_t *out)
{
	const char *k;
	json_t *op, *u, *seen = json_object();
	size_t i;
	json_object_foreach(json_object_get(model, "operations"), k, op)
		json_array_foreach(json_object_get(op, "unresolved"), i, u) {
			char *key = xasprintf("%s:%lld", S(u, "file"), json_integer_value(json_object_get(u, "line")));
			if (!json_object_get(seen, key))
				add(out, "INV011", json_object_get(u, "file"), json_object_get(u, "line"), S(u, "function"), NULL,
				    xasprintf("indirect call in %s (on the path of %s) resolves to no function (not a static dispatch table, not a parameter any direct caller passes a function in)",
					      S(u, "function"), k));
			json_object_set_new(seen, key, json_true());
			free(key);
		}
	json_decref(seen);
}

static bool is_lock_key(const struct config *cfg, const char *key)
{
	size_t i;
	json_t *p;
	json_array_foreach(cfg->pairs, i, p) {
		const char *n = S(p, "name");
		size_t l = strlen(n);
		json_t *acq = json_array_get(json_object_get(p, "acquire"), 0);
		if (strncmp(key, n, l) == 0 && key[l] == '(' && acq &&
		    config_role(cfg, json_string_value(acq)) == ROLE_LOCK_ACQUIRE)
			return true;
	}
	return false;
}

/* The name of the pair fname acquires or releases (NULL when none). */
static const char *pair_of_wrapper(const struct config *cfg, const char *fname)
{
	size_t i;
	json_t *p;
	json_array_foreach(cfg->pairs, i, p)
		if (json_globs_match(json_object_get(p, "acquire"), fname) || json_globs_match(json_object_get(p, "release"), fname))
			return S(p, "name");
	return NULL;
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

static void rule_returns(const struct config *cfg, json_t *model, json_t *out)
{
	const char *k;
	json_t *f, *r, *h;
	size_t i, j;
	json_object_foreach(json_object_get(model, "functions"), k, f) {
		const char *fn = S(f, "name");
		const char *own = pair_of_wrapper(cfg, fn);  /* its own pair is held by design */
		json_t *seen = json_object();  /* one finding per return, kind and key (not per count) */
		json_array_foreach(json_object_get(f, "returns"), i, r)
			json_array_foreach(json_object_get(r, "held"), j, h) {
				const char *key = S(h, "key");
				json_int_t n = json_integer_value(json_object_get(h, "count"));
				if (n <= 0 || handed_over(key, S(r, "value")) || (own && key_of_pair(key, own)))
					continue;
				char *once = xasprintf("%lld|%s|%s", I(r, "line"), S(r, "kind"), key);
				bool dup = json_object_get(seen, once) != NULL;
				json_object_set_new(seen, once, json_true());
				free(once);
				if (dup)
					continue;
				if (is_lock_key(cfg, key))
					add(out, "INV013", json_object_get(f, "file"), json_object_get(r, "line"), fn, key,
					    xasprintf("%s returns (%s) with %s still held", fn, S(r, "kind"), key));
				else if (strcmp(S(r, "kind"), "error") == 0)
					add(out, "INV012", json_object_get(f, "file"), json_object_get(r, "line"), fn, key,
					    xasprintf("%s returns error '%s' with %s outstanding (no release on this unwind path)",
						      fn, S(r, "value"), key));
			}
		json_decref(seen);
	}
}

static void rule_copies(json_t *model, json_t *out)
{
	const char *k;
	json_t *f, *c;
	size_t i;
	json_object_foreach(json_object_get(model, "functions"), k, f)
		json_array_foreach(json_object_get(f, "copies"), i, c)
			if (!json_is_true(json_object_get(c, "stable")))
				add(out, "INV014", json_object_get(f, "file"), json_object_get(c, "line"), S(f, "name"), S(c, "name"),
				    xasprintf("%s in %s runs without the address-space stability guarantee", S(c, "name"), S(f, "name")));
}

static void rule_tlb(json_t *model, json_t *out)
{
	const char *k;
	json_t *f, *c;
	size_t i;
	json_object_foreach(json_object_get(model, "functions"), k, f) {
		bool weakens = false, flushes = false;
		json_int_t line = 0;
		const char *fn = S(f, "name");
		json_array_foreach(json_object_get(model, "primitive_sites"), i, c) {
			if (strcmp(S(c, "usr"), k) != 0)
				continue;
			int r = role_from_name(S(c, "role"));
			if (role_removes_access(r))
				weakens = true, line = line ? line : json_integer_value(json_object_get(c, "line"));
			if (role_class_of(r) == RC_TLB)
				flushes = true;
		}
		json_array_foreach(json_object_get(f, "order"), i, c)  /* a callee that flushes (summary) */
			flushes = flushes || !strcmp(S(c, "kind"), "flush");
		/* The function must flush or say who does; "none (new PTEs only)" cannot be true of a
		 * function that clears or weakens PTEs. */
		const char *tlb = S(f, "tlb");
		bool says_new_only = tlb && strstr(tlb, "new PTEs only");
		/* A comment that says the function flushes itself ("TLB: shootdown", "TLB: local") is
		 * no excuse when it does not, directly or through a callee. */
		bool claims_self = tlb && order_comment_claims_self(tlb);
		if (!weakens || (flushes && !says_new_only) || (tlb && !says_new_only && !claims_self))
			continue;
		json_t *jl = json_integer(line);
		add(out, "INV016", json_object_get(f, "file"), jl, fn, NULL,
		    xasprintf("%s clears or weakens PTEs but %s", fn, says_new_only ?
			      "its comment says 'TLB: none (new PTEs only)'" : claims_self ?
			      "calls no TLB flush, though its comment says it does (TLB: ...)" :
			      "calls no TLB flush and no comment says who flushes (TLB: ...)"));
		json_decref(jl);
	}
}

static void rule_order(json_t *model, json_t *out)
{
	const char *k;
	json_t *f, *v;
	size_t i;
	json_object_foreach(json_object_get(model, "functions"), k, f) {
		json_t *vs = order_violations(f);
		json_array_foreach(vs, i, v) {
			json_t *line = json_object_get(v, "line");
			add(out, "INV018", json_object_get(f, "file"), line, S(f, "name"), NULL,
			    xasprintf("%s %s", S(f, "name"), S(v, "message")));
		}
		json_decref(vs);
	}
}

static void rule_bounds(json_t *model, json_t *out)
{
	const char *k;
	json_t *f, *b;
	size_t i;
	json_object_foreach(json_object_get(model, "functions"), k, f)
		json_array_foreach(json_object_get(f, "bounds"), i, b)
			add(out, "INV017", json_object_get(f, "file"), json_object_get(f, "line"), S(f, "name"), NULL,
			    xasprintf("the path walker reached a bound in %s: %s; paths past it are not analysed",
				      S(f, "name"), json_string_value(b)));
}

json_t *check_run(const struct config *cfg, json_t *model, const struct evidence_in *in, json_t *eval, json_t *stale)
{
	json_t *out = json_array(), *s;
	size_t i;
	rule_unproven(model, eval, out);
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
	json_array_foreach(stale, i, s)
		add(out, "INV005", s, NULL, json_string_value(s), NULL,
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
		if (col)
			json_object_set(json_array_get(findings, json_array_size(findings) - 1), "col", json_object_get(f, "column"));
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
