/* tlbflow.c: the TLB action of each page-table removal or weakening, from the paths.
 *
 * paths.c records a control-flow graph per function: every call and configured store is a node
 * with the nodes it follows (`preds`), -1 is the entry, join nodes (loop heads, labels) have
 * their own predecessor lists, and each return lists the nodes it follows. Here, per function:
 *  - a summary (in the manner of Smatch's function database): does every path from the entry to
 *    a return pass a shootdown, any flush, or a deferred free; does the function hand a site to
 *    its callers (`TLB: caller`);
 *  - per removal site, a may-analysis "still pending" from the site forward: a node that flushes
 *    (its own primitive, or a callee whose summary flushes on every path) ends it; a return
 *    reached with it pending is an open path. Run with shootdowns only, then any flush, then
 *    flushes or deferrals, the first variant that leaves no open path names the action.
 * Typed throughout: struct model in, tlb_sites out. */
#include "tlbflow.h"
#include "order.h"
#include "util.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* What covers a pending removal, per variant (bits of a node's effect). */
enum { EF_SD = 1, EF_LOCAL = 2, EF_DEFER = 4, EF_FREE = 8 /* frees a frame (before any flush of its own) */,
       EF_UNLOCK = 16 /* releases a lock (its own lock_release call) */ };

struct summ {
	int state;            /* 0 not computed, 1 in progress, 2 done */
	unsigned all;         /* EF_* made on every path from entry to a return */
	const struct tlb_site *delegated; /* a site this function hands to its callers, or NULL */
	bool deleg_success_only;          /* ... left pending only at its success returns */
	bool free_unflushed;  /* some path frees a frame before any flush: a caller's pending change
				 is not yet flushed when it does */
};

struct tctx {
	const struct config *cfg;
	struct model *m;
	struct summ *s;       /* per function, by index */
};

static int call_role(const struct config *cfg, const struct call *c)
{
	if (c->store)
		return c->role;
	if (!c->name || c->indirect)
		return -1;
	return config_call_role_v(cfg, c->name, (const char *const *)c->args.v, c->args.n);
}

static void compute(struct tctx *t, size_t fi);

/* The callee of a direct call that is not a primitive, computed (NULL when unknown, indirect,
 * or in progress: a recursive cycle adds nothing). */
static const struct summ *callee(struct tctx *t, const struct call *c, const struct function **g)
{
	if (!c->usr || c->indirect)
		return NULL;
	*g = model_function(t->m, c->usr);
	if (!*g)
		return NULL;
	size_t gi = (size_t)(*g - t->m->functions);
	if (t->s[gi].state == 1)
		return NULL;
	compute(t, gi);
	return &t->s[gi];
}

/* Effect of node i (a call) of f: EF_* it makes on every path through it. */
static unsigned effect(struct tctx *t, const struct function *f, size_t i, const char **name)
{
	const struct call *c = &f->calls[i];
	int r = call_role(t->cfg, c);
	*name = c->name;
	if (r == ROLE_TLB_SHOOTDOWN || r == ROLE_TLB_WAIT)
		return EF_SD | EF_LOCAL;
	if (r == ROLE_TLB_LOCAL)
		return EF_LOCAL;
	if (r == ROLE_FRAME_DEFER_FREE)
		return EF_DEFER;
	if (r == ROLE_FRAME_FREE)
		return EF_FREE;
	if (r == ROLE_LOCK_RELEASE)
		return EF_UNLOCK;
	if (r == ROLE_IPI) {
		/* An IPI that runs a function flushing on every path on its targets is a shootdown. */
		for (size_t k = 0; k < c->n_fnrefs; k++) {
			const struct function *h = model_function(t->m, c->fnrefs[k].usr);
			if (!h || t->s[h - t->m->functions].state == 1)
				continue;
			compute(t, (size_t)(h - t->m->functions));
			if (t->s[h - t->m->functions].all & EF_LOCAL) {
				*name = c->name;
				return EF_SD | EF_LOCAL;
			}
		}
		return 0;
	}
	if (r >= 0)
		return 0;
	const struct function *g = NULL;
	const struct summ *s = callee(t, c, &g);
	if (!s)
		return 0;
	*name = g->name;
	return s->all | (s->free_unflushed ? EF_FREE : 0);
}

/* The graph: node n of f->cfg is [site, preds...]; a pred is a node or -1 (the entry). */
static bool pred_ok(const struct function *f, long long p)
{
	return p >= 0 && (size_t)p < f->n_cfg;
}

/* Effect bits of node n (its call's effect; a join has none). */
static unsigned node_eff(const struct function *f, const unsigned *eff, size_t n)
{
	long long site = f->cfg[n].v[0];
	return site >= 0 && (size_t)site < f->n_calls ? eff[site] : 0;
}

/* Must-analysis: does every path from the entry to a return make effect bit `bit`? */
static bool on_every_path(const struct function *f, const unsigned *eff, unsigned bit)
{
	size_t nn = f->n_cfg;
	bool *out = xcalloc(nn ? nn : 1, sizeof *out), changed = true, any = false, all = true;
	for (size_t i = 0; i < nn; i++)
		out[i] = true;  /* optimistic start: the fixpoint only lowers */
	while (changed) {
		changed = false;
		for (size_t n = 0; n < nn; n++) {
			const struct idxv *p = &f->cfg[n];
			bool in = p->n > 1;
			for (size_t j = 1; j < p->n && in; j++)
				in = pred_ok(f, p->v[j]) && out[p->v[j]];
			bool o = in || (node_eff(f, eff, n) & bit);
			if (o != out[n])
				out[n] = o, changed = true;
		}
	}
	for (size_t r = 0; r < f->n_returns; r++) {
		const struct ret_path *rp = &f->returns[r];
		if (!rp->has_preds || !rp->preds.n)
			continue;
		any = true;
		for (size_t j = 0; j < rp->preds.n; j++)
			all = all && pred_ok(f, rp->preds.v[j]) && out[rp->preds.v[j]];
	}
	free(out);
	return any && all;
}

/* What else a pending run found: the first node with effect `bit` (a frame free, a lock
 * release) reached while pending; `call` is its call index. */
struct pendhit {
	unsigned bit; long long line; const char *name; long long call;
	bool (*want)(const void *ctx, long long call); const void *ctx;  /* optional: which nodes count */
};

/* May-analysis from call s (every node of it): the first return (by line) reached with it
 * pending when only the effect bits in `ends` (and nodes of site `kill`: the failure branch of
 * the call's own result, when the callee leaves the site only on success) end it (0: none);
 * `by` collects what ended it; *success_only is cleared when a pending return is not a success;
 * fh (optional) records the first node of its kind reached while pending. */

static long long open_return(const struct function *f, const unsigned *eff, const char *const *names, size_t s,
			     unsigned ends, long long kill, struct strv *by, bool *success_only, struct pendhit *fh)
{
	bool from_entry = s == (size_t)-1;  /* pending from the function's entry (a summary) */
	size_t nn = f->n_cfg;
	bool *in = xcalloc(nn ? nn : 1, sizeof *in), *out = xcalloc(nn ? nn : 1, sizeof *out), changed = true;
	while (changed) {
		changed = false;
		for (size_t n = 0; n < nn; n++) {
			const struct idxv *p = &f->cfg[n];
			bool i = false;
			for (size_t j = 1; j < p->n && !i; j++)
				i = (from_entry && p->v[j] == -1) || (pred_ok(f, p->v[j]) && out[p->v[j]]);
			bool o = (!from_entry && p->v[0] == (long long)s) || (i && !(node_eff(f, eff, n) & ends) && p->v[0] != kill);
			if (i != in[n] || o != out[n])
				in[n] = i, out[n] = o, changed = true;
		}
	}
	long long open = 0;
	for (size_t r = 0; r < f->n_returns; r++) {
		const struct ret_path *rp = &f->returns[r];
		bool pend = false;
		for (size_t j = 0; rp->has_preds && j < rp->preds.n && !pend; j++)
			pend = pred_ok(f, rp->preds.v[j]) && out[rp->preds.v[j]];
		if (pend && (!open || rp->line < open))
			open = rp->line;
		if (pend && success_only && strcmp(rp->kind, "success") != 0)
			*success_only = false;
	}
	for (size_t n = 0; fh && n < nn; n++) {  /* a free (unlock) while pending (before the ends act) */
		long long site = f->cfg[n].v[0];
		if (in[n] && (node_eff(f, eff, n) & fh->bit) && site >= 0 &&
		    (!fh->line || f->calls[site].line < fh->line) && (!fh->want || fh->want(fh->ctx, site)))
			fh->line = f->calls[site].line, fh->name = names[site], fh->call = site;
	}
	if (by)
		for (size_t n = 0; n < nn; n++) {
			long long site = f->cfg[n].v[0];
			if (in[n] && (node_eff(f, eff, n) & ends) && site >= 0 && names[site])
				strv_push(by, names[site]);
		}
	free(in);
	free(out);
	return open;
}

/* The first identifier of an expression text (`&(pmap)->pm_mtx` -> "pmap"), into buf. */
static const char *base_ident(const char *t, char *buf, size_t n)
{
	while (*t && !(isalpha((unsigned char)*t) || *t == '_'))
		t++;
	size_t k = 0;
	while (k + 1 < n && (isalnum((unsigned char)t[k]) || t[k] == '_'))
		buf[k] = t[k], k++;
	buf[k] = 0;
	return buf;
}

/* A release at call index k of a lock this function took before the site (the same first
 * argument) that guards the object the change is made to: the lock's base object is an argument
 * of the change (`&as->lock` for `unmap(as, ...)`, `&(pmap)->pm_mtx` for
 * `pmap_remove_pte(pmap, ...)`); a global lock around kernel mappings is no address space's. */
struct unlock_q { struct tctx *t; const struct function *f; size_t site; };

static bool guarding_release(const void *ctx, long long k)
{
	const struct unlock_q *q = ctx;
	const struct function *f = q->f;
	const struct call *rel = &f->calls[k], *chg = &f->calls[q->site];
	if (!rel->args.n)
		return false;
	char base[128];
	bool guards = false;
	base_ident(rel->args.v[0], base, sizeof base);
	for (size_t a = 0; *base && a < chg->args.n && !guards; a++)
		guards = has_word(chg->args.v[a], base);
	for (size_t j = 0; guards && j < f->n_calls; j++) {
		const struct call *acq = &f->calls[j];
		if (acq->line < chg->line && acq->args.n && !strcmp(acq->args.v[0], rel->args.v[0]) &&
		    call_role(q->t->cfg, acq) == ROLE_LOCK_ACQUIRE)
			return true;
	}
	return false;
}

/* The first such release reached from removal site i while the change is not yet flushed: the
 * round then runs after the lock that ordered the change is dropped (0: none). */
static long long unlocked_before_round(struct tctx *t, const struct function *f, const unsigned *eff,
				       const char *const *names, size_t i, long long kill)
{
	struct unlock_q q = {t, f, i};
	struct pendhit uh = {EF_UNLOCK, 0, NULL, -1, guarding_release, &q};
	open_return(f, eff, names, i, EF_SD | EF_LOCAL, kill, NULL, NULL, &uh);
	return uh.line;
}

/* Is the free at call c this function's own: its frame_free call, or a call to a helper that
 * only frees (it changes no page table itself: frame_list_free), not to a callee that does its
 * own unmapping (whose frees may be of other frames)? */
static bool own_free(struct tctx *t, const struct call *c)
{
	if (call_role(t->cfg, c) == ROLE_FRAME_FREE)
		return true;
	const struct function *g = NULL;
	const struct summ *gs = callee(t, c, &g);
	return gs && gs->free_unflushed && g->n_tlb_sites == 0;
}

static void compute(struct tctx *t, size_t fi)
{
	struct summ *s = &t->s[fi];
	if (s->state)
		return;
	s->state = 1;
	struct function *f = &t->m->functions[fi];
	size_t nc = f->n_calls;
	unsigned *eff = xcalloc(nc ? nc : 1, sizeof *eff);
	const char **names = xcalloc(nc ? nc : 1, sizeof *names);
	const char **via = xcalloc(nc ? nc : 1, sizeof *via);
	const char **site = xcalloc(nc ? nc : 1, sizeof *site);
	long long *kill = xcalloc(nc ? nc : 1, sizeof *kill);  /* -1: no node has that site */
	for (size_t i = 0; i < nc; i++)
		kill[i] = -1;
	for (size_t i = 0; i < nc; i++) {
		const struct call *c = &f->calls[i];
		int r = call_role(t->cfg, c);
		eff[i] = effect(t, f, i, &names[i]);
		if (role_removes_access(r)) {
			site[i] = c->name;
		} else if (r < 0) {
			const struct function *g = NULL;
			const struct summ *gs = callee(t, c, &g);
			if (gs && gs->delegated && !(gs->all & EF_LOCAL)) {
				site[i] = gs->delegated->name;
				via[i] = g->name;
				/* Handed over only on the callee's success: its failure, tested on the
				 * variable holding its result, ends the site there (on which return values). */
				for (size_t k = 0; gs->deleg_success_only && c->ret_var && k < f->fail_vars.n; k++)
					if (!strcmp(f->fail_vars.v[k], c->ret_var))
						kill[i] = -3 - (long long)k;
			}
		}
	}
	bool hands_over = f->tlb && tlbflow_claim(f->tlb) == CLAIM_CALLER;
	for (size_t i = 0; i < nc; i++) {
		if (!site[i])
			continue;
		struct tlb_site ts = {f->calls[i].line, xstrdup(site[i]), via[i] ? xstrdup(via[i]) : NULL,
				      TLB_ACT_NONE, {0}, 0, 0, NULL, false, false, 0};
		static const struct { unsigned ends; enum tlb_action a; } variants[] = {
			{EF_SD, TLB_ACT_SHOOTDOWN}, {EF_SD | EF_LOCAL, TLB_ACT_LOCAL},
			{EF_SD | EF_LOCAL | EF_DEFER, TLB_ACT_DEFER},
		};
		bool covered = false;
		for (size_t v = 0; v < sizeof variants / sizeof variants[0] && !covered; v++) {
			struct strv by = {0};
			long long open = open_return(f, eff, names, i, variants[v].ends, kill[i], &by, NULL, NULL);
			if (!open) {
				ts.action = variants[v].a;
				strv_sort_uniq(&by);
				ts.by = by;
				covered = true;
			} else {
				strv_free(&by);
				if (v == 0)
					ts.open_line = open;
			}
		}
		if (!covered)
			ts.action = hands_over ? TLB_ACT_CALLER : TLB_ACT_NONE;
		else
			ts.open_line = 0;
		/* A frame freed (here, or by a callee before it flushes) while the change is not yet
		 * flushed on that path: the flush must precede the free on every path. */
		struct pendhit fh = {EF_FREE, 0, NULL, -1, NULL, NULL};
		open_return(f, eff, names, i, EF_SD | EF_LOCAL, kill[i], NULL, NULL, &fh);
		/* In a kernel that has shootdowns, a free that only a flush of this CPU precedes: another
		 * CPU that ran the address space may still cache the entry and reach the reused frame. */
		if (!fh.line && t->cfg->prim[ROLE_TLB_SHOOTDOWN].n) {
			open_return(f, eff, names, i, EF_SD, kill[i], NULL, NULL, &fh);
			ts.free_local = fh.line != 0;
		}
		ts.free_line = fh.line;
		ts.free_name = fh.name ? xstrdup(fh.name) : NULL;
		ts.free_own = fh.call >= 0 && own_free(t, &f->calls[fh.call]);
		ts.unlock_line = covered ? unlocked_before_round(t, f, eff, names, i, kill[i]) : 0;
		f->tlb_sites = xrealloc(f->tlb_sites, sizeof *f->tlb_sites * (f->n_tlb_sites + 1));
		f->tlb_sites[f->n_tlb_sites++] = ts;
	}
	for (size_t i = 0; i < f->n_tlb_sites && !s->delegated; i++)
		if (f->tlb_sites[i].action == TLB_ACT_CALLER) {
			s->delegated = &f->tlb_sites[i];
			s->deleg_success_only = true;
			for (size_t c = 0; c < nc; c++)  /* the node(s) of that site: which returns it reaches */
				if (site[c] && f->calls[c].line == s->delegated->line)
					open_return(f, eff, names, c, EF_SD | EF_LOCAL | EF_DEFER, kill[c], NULL,
						    &s->deleg_success_only, NULL);
		}
	struct pendhit fe = {EF_FREE, 0, NULL, -1, NULL, NULL};
	open_return(f, eff, names, (size_t)-1, EF_SD | EF_LOCAL, -1, NULL, NULL, &fe);
	s->free_unflushed = fe.line != 0;
	unsigned bits[] = {EF_SD, EF_LOCAL, EF_DEFER};
	for (size_t b = 0; b < 3; b++)
		if (on_every_path(f, eff, bits[b]))
			s->all |= bits[b];
	free(eff);
	free(names);
	free(via);
	free(site);
	free(kill);
	s->state = 2;
}

void tlbflow_compute(const struct config *cfg, struct model *m)
{
	struct tctx t = {cfg, m, xcalloc(m->n_functions ? m->n_functions : 1, sizeof *t.s)};
	for (size_t i = 0; i < m->n_functions; i++) {
		struct function *f = &m->functions[i];
		for (size_t j = 0; j < f->n_tlb_sites; j++) {
			free(f->tlb_sites[j].name);
			free(f->tlb_sites[j].via);
			free(f->tlb_sites[j].free_name);
			strv_free(&f->tlb_sites[j].by);
		}
		free(f->tlb_sites);
		f->tlb_sites = NULL;
		f->n_tlb_sites = 0;
	}
	/* Sites are appended while summaries of callees are computed: no pointer into a function's
	 * own tlb_sites is kept across another function's computation except `delegated`, which
	 * points into a finished function (its array no longer grows). */
	for (size_t i = 0; i < m->n_functions; i++)
		compute(&t, i);
	free(t.s);
}

enum tlb_claim tlbflow_claim(const char *t)
{
	while (*t == ' ')
		t++;
	if (strstr(t, "caller"))
		return CLAIM_CALLER;
	if (!strncmp(t, "shootdown", 9))
		return CLAIM_SHOOTDOWN;
	if (!strncmp(t, "local", 5) || !strncmp(t, "flush", 5))
		return CLAIM_LOCAL;
	if (!strncmp(t, "defer", 5))
		return CLAIM_DEFER;
	if (!strncmp(t, "none", 4))
		return CLAIM_NONE;
	return CLAIM_OTHER;
}

static void push(struct tlb_finding **out, size_t *n, const char *rule, const struct function *f, long long line,
		 char *msg)
{
	*out = xrealloc(*out, sizeof **out * (*n + 1));
	(*out)[(*n)++] = (struct tlb_finding){rule, f, line, msg};
}

static char *site_text(const struct tlb_site *s)
{
	return s->via ? xasprintf("%s in %s, line %lld", s->name, s->via, s->line)
		      : xasprintf("%s, line %lld", s->name, s->line);
}

/* INV016 for one function: a site left unflushed with no comment giving the flush away. */
static void inv016(const struct function *f, struct tlb_finding **out, size_t *n)
{
	bool says_new_only = f->tlb && strstr(f->tlb, "new PTEs only");
	bool claims_self = f->tlb && order_comment_claims_self(f->tlb);
	bool excused = f->tlb && !says_new_only && !claims_self;
	const struct tlb_site *open = NULL;
	bool flushes = false;
	for (size_t i = 0; i < f->n_tlb_sites; i++) {
		const struct tlb_site *s = &f->tlb_sites[i];
		if ((s->action == TLB_ACT_NONE || s->action == TLB_ACT_CALLER) && !open)
			open = s;
		flushes = flushes || s->action == TLB_ACT_SHOOTDOWN || s->action == TLB_ACT_LOCAL ||
			  s->action == TLB_ACT_DEFER;
	}
	for (size_t i = 0; i < f->n_order; i++)
		flushes = flushes || f->order[i].kind == ORDER_FLUSH;
	if (!f->n_tlb_sites || (excused && !says_new_only))
		return;
	if (says_new_only) {
		push(out, n, "INV016", f, f->tlb_sites[0].line,
		     xasprintf("%s clears or weakens PTEs but its comment says 'TLB: none (new PTEs only)'", f->name));
		return;
	}
	if (!open)
		return;
	if (!flushes) {
		push(out, n, "INV016", f, open->line,
		     xasprintf("%s clears or weakens PTEs but %s", f->name,
			       claims_self ? "calls no TLB flush, though its comment says it does (TLB: ...)"
					   : "calls no TLB flush and no comment says who flushes (TLB: ...)"));
		return;
	}
	char *st = site_text(open);
	long long ret = open->open_line;
	push(out, n, "INV016", f, open->line,
	     xasprintf("%s clears or weakens PTEs (%s) but a path to the return at line %lld has no TLB flush after it "
		       "(the function flushes only on other paths)%s", f->name, st, ret,
		       claims_self ? ", though its comment says it flushes (TLB: ...)" : " and no comment says who flushes (TLB: ...)"));
	free(st);
}

/* INV027 for one function: its `TLB:` comment against the computed actions of its sites. */
static void inv027(const struct function *f, struct tlb_finding **out, size_t *n)
{
	if (!f->tlb || !f->n_tlb_sites)
		return;
	enum tlb_claim c = tlbflow_claim(f->tlb);
	bool all_flushed = true, mentions_defer = strstr(f->tlb, "defer") != NULL;
	const struct tlb_site *local = NULL, *defer = NULL, *open = NULL, *flushed = NULL;
	for (size_t i = 0; i < f->n_tlb_sites; i++) {
		const struct tlb_site *s = &f->tlb_sites[i];
		all_flushed = all_flushed && (s->action == TLB_ACT_SHOOTDOWN || s->action == TLB_ACT_LOCAL);
		if (s->action == TLB_ACT_LOCAL && !local)
			local = s;
		if (s->action == TLB_ACT_DEFER && !defer)
			defer = s;
		if ((s->action == TLB_ACT_NONE || s->action == TLB_ACT_CALLER) && !open)
			open = s;
		if (s->action != TLB_ACT_NONE && s->action != TLB_ACT_CALLER && !flushed)
			flushed = s;
	}
	const struct tlb_site *at = NULL;
	char *why = NULL;
	if (c == CLAIM_CALLER && all_flushed) {
		at = &f->tlb_sites[0];
		why = xasprintf("gives the flush to the caller, but every path flushes here (%s)", tlb_action_name(at->action));
	} else if (c == CLAIM_SHOOTDOWN && local) {
		at = local;
		why = xstrdup("says shootdown, but some path after the site only flushes this CPU (local)");
	} else if (c == CLAIM_SHOOTDOWN && defer && !mentions_defer) {
		at = defer;
		why = xstrdup("says shootdown, but some path after the site only defers the frame free");
	} else if (c == CLAIM_NONE && flushed && !(f->tlb && strstr(f->tlb, "new PTE"))) {
		at = flushed;
		why = xasprintf("says none, but the site is covered here (%s)", tlb_action_name(at->action));
	} else if (c == CLAIM_DEFER && open) {
		at = open;
		why = xasprintf("says deferred, but a path to the return at line %lld neither flushes nor defers",
				open->open_line);
	} else if (c == CLAIM_OTHER) {
		at = &f->tlb_sites[0];
		why = xstrdup("names no action the paths can be checked against (shootdown, local, defer, caller, none)");
	}
	if (!why)
		return;
	char *st = site_text(at);
	push(out, n, "INV027", f, at->line,
	     xasprintf("%s: its comment 'TLB: %s' %s (site %s)", f->name, f->tlb, why, st));
	free(st);
	free(why);
}

/* INV018 on the paths: a frame freed while a removal is not yet flushed on that path, where the
 * source-order check (order.c) does not already report that free. */
static void inv018(const struct function *f, struct tlb_finding **out, size_t *n)
{
	/* A `TLB:` comment that gives the flush to another excuses the frees here (a `none` is
	 * checked by INV027), except, when it is the caller, a free by this function's own
	 * primitive call: the caller's round comes after this function returns, so that frame is
	 * reused first. A free inside a callee is not judged then (the frame may be another). */
	bool to_caller = f->tlb && tlbflow_claim(f->tlb) == CLAIM_CALLER;
	if (f->tlb && !order_comment_claims_self(f->tlb) && !to_caller)
		return;
	struct order_violation *v;
	size_t nv = order_violations_fn(f, &v);
	for (size_t i = 0; i < f->n_tlb_sites; i++) {
		const struct tlb_site *s = &f->tlb_sites[i];
		bool known = false;
		for (size_t j = 0; j < nv; j++)
			known = known || v[j].line == s->free_line;
		for (size_t j = 0; j < i; j++)
			known = known || f->tlb_sites[j].free_line == s->free_line;
		if (!s->free_line || known || (to_caller && !s->free_own))
			continue;
		char *st = site_text(s);
		if (s->free_local)
			push(out, n, "INV018", f, s->free_line,
			     xasprintf("%s frees a frame (%s, line %lld) on a path where the page-table change (%s) is flushed "
				       "only on this CPU (on the paths, across calls): another CPU may still cache the entry "
				       "and reach the reused frame; a shootdown must complete before the free",
				       f->name, s->free_name ? s->free_name : "?", s->free_line, st));
		else
			push(out, n, "INV018", f, s->free_line,
			     xasprintf("%s frees a frame (%s, line %lld) on a path where the page-table change (%s) is not yet "
				       "flushed (on the paths, across calls): a stale TLB entry can reach the reused frame",
				       f->name, s->free_name ? s->free_name : "?", s->free_line, st));
		free(st);
	}
	for (size_t j = 0; j < nv; j++)
		free(v[j].message);
	free(v);
}

/* INV024: a change made under a lock this function took is flushed only after that lock's
 * release on some path. */
static void inv024(const struct function *f, struct tlb_finding **out, size_t *n)
{
	for (size_t i = 0; i < f->n_tlb_sites; i++) {
		const struct tlb_site *s = &f->tlb_sites[i];
		if (!s->unlock_line)
			continue;
		char *st = site_text(s);
		push(out, n, "INV024", f, s->unlock_line,
		     xasprintf("%s releases the lock it took before the page-table change (%s) at line %lld, before the "
			       "TLB round for it (%s): between the unlock and the round another CPU can take the lock, "
			       "find the range changed and map or use it while stale entries remain",
			       f->name, st, s->unlock_line, tlb_action_name(s->action)));
		free(st);
	}
}

size_t tlbflow_findings(const struct model *m, struct tlb_finding **out)
{
	size_t n = 0;
	*out = NULL;
	for (size_t i = 0; i < m->n_functions; i++) {
		inv016(&m->functions[i], out, &n);
		inv027(&m->functions[i], out, &n);
		inv018(&m->functions[i], out, &n);
		inv024(&m->functions[i], out, &n);
	}
	return n;
}

char *tlbflow_action_text(const struct function *f)
{
	struct strv parts = {0};
	for (size_t i = 0; f && i < f->n_tlb_sites; i++) {
		const struct tlb_site *s = &f->tlb_sites[i];
		char *by = NULL;
		struct sbuf b = {0};
		sb_puts(&b, "");
		for (size_t j = 0; j < s->by.n; j++)
			sb_printf(&b, "%s%s", j ? ", " : "", s->by.v[j]);
		by = b.s;
		char *t = s->action == TLB_ACT_NONE ? xasprintf("none (return at line %lld unflushed)", s->open_line)
			  : *by ? xasprintf("%s (%s)", tlb_action_name(s->action), by)
				: xstrdup(tlb_action_name(s->action));
		strv_push(&parts, t);
		free(t);
		free(by);
	}
	strv_sort_uniq(&parts);
	struct sbuf b = {0};
	sb_puts(&b, "");
	for (size_t i = 0; i < parts.n; i++)
		sb_printf(&b, "%s%s", i ? "; " : "", parts.v[i]);
	strv_free(&parts);
	return b.s;
}
