/* order.c: the order of page-table clears, TLB flushes and frame frees in each function, with
 * callees folded in through function summaries (in the manner of Smatch's function database):
 * a call to a function that clears and flushes counts as a clear and a flush at the call.
 *
 * Typed: works on struct model. Each function's sequence is an array of `struct oev`; summaries
 * are computed bottom-up over the call graph (a recursive cycle contributes nothing while in
 * progress). The model gets one `order` list per function; INV018 and `inventory diff` read it. */
#include "order.h"
#include "model.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One event of a sequence being built: a primitive of the function itself, or one reached
 * through a callee. Strings are borrowed from the model until written out. */
struct oev {
	enum order_kind kind;
	int role;
	const char *name;
	const char *via;         /**< Callee it comes through, or NULL for the function's own call. */
	bool delegated;          /**< A clear in a callee whose `TLB: caller` hands its flush to us. */
	long long line;          /**< Line of the function's own call (or of the call to @c via). */
};

/** @brief A function's sequence, compressed (consecutive events of one kind and name merged). */
struct oseq {
	struct oev *ev;
	int n, cap;
	int state;       /**< 0 not computed, 1 in progress, 2 done. */
	bool truncated;  /**< The sequence reached ORDER_MAX (reported as a bound). */
};

#define ORDER_MAX 256  /* events kept per function; reaching it is an INV017 bound */

static int kind_of_role(int r)
{
	if (role_removes_access(r))
		return ORDER_CLEAR;
	if (role_class_of(r) == RC_TLB)
		return ORDER_FLUSH;
	if (r == ROLE_FRAME_FREE)
		return ORDER_FREE;
	if (r == ROLE_FRAME_DEFER_FREE)
		return ORDER_DEFER;
	return -1;
}

static void push(struct oseq *s, struct oev e)
{
	if (s->n > 0 && s->ev[s->n - 1].kind == e.kind && !strcmp(s->ev[s->n - 1].name, e.name) &&
	    s->ev[s->n - 1].via == e.via)
		return;
	if (s->n == ORDER_MAX) {
		s->truncated = true;
		return;
	}
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 8;
		s->ev = xrealloc(s->ev, sizeof *s->ev * (size_t)s->cap);
	}
	s->ev[s->n++] = e;
}

struct octx {
	const struct config *cfg;
	const struct model *m;
	struct oseq *seqs;  /* per function, by index */
};

static int role_of(const struct config *cfg, const struct call *c)
{
	if (c->store)
		return c->role;
	return c->name ? config_call_role_v(cfg, c->name, (const char *const *)c->args.v, c->args.n) : -1;
}

static struct oseq *seq_of(struct octx *o, const char *usr);

static void build(struct octx *o, const struct function *f, struct oseq *s)
{
	for (size_t i = 0; i < f->n_calls; i++) {
		const struct call *c = &f->calls[i];
		int r = role_of(o->cfg, c), k = r >= 0 ? kind_of_role(r) : -1;
		if (k >= 0) {
			push(s, (struct oev){(enum order_kind)k, r, c->name, NULL, false, c->line});
			continue;
		}
		if (r >= 0 || !c->usr || c->indirect)
			continue;
		struct oseq *cs = seq_of(o, c->usr);
		if (!cs)
			continue;
		const struct function *cf = model_function(o->m, c->usr);
		bool hands_over = cf->tlb && strstr(cf->tlb, "caller");
		for (int j = 0; j < cs->n; j++) {
			struct oev e = cs->ev[j];
			e.via = cf->name;  /* the call at this level: the callee reports its own order */
			e.line = c->line;
			e.delegated = e.kind == ORDER_CLEAR && hands_over;
			push(s, e);
		}
		s->truncated = s->truncated || cs->truncated;
	}
}

static struct oseq *seq_of(struct octx *o, const char *usr)
{
	const struct function *f = model_function(o->m, usr);
	if (!f)
		return NULL;
	struct oseq *s = &o->seqs[f - o->m->functions];
	if (s->state == 1)
		return NULL;  /* recursion: the cycle adds nothing while it is being computed */
	if (s->state == 0) {
		s->state = 1;
		build(o, f, s);
		s->state = 2;
	}
	return s;
}

void order_compute(const struct config *cfg, struct model *m)
{
	struct octx o = {cfg, m, xcalloc(m->n_functions ? m->n_functions : 1, sizeof *o.seqs)};
	for (size_t i = 0; i < m->n_functions; i++)
		seq_of(&o, m->functions[i].usr);
	/* Written out only when every sequence is final (events borrow the model's strings). */
	for (size_t i = 0; i < m->n_functions; i++) {
		struct function *f = &m->functions[i];
		struct oseq *s = &o.seqs[i];
		for (size_t j = 0; j < f->n_order; j++) {
			free(f->order[j].name);
			free(f->order[j].via);
		}
		free(f->order);
		f->order = NULL;
		f->n_order = 0;
		f->has_order = s->n > 0;
		if (s->n) {
			f->order = xcalloc((size_t)s->n, sizeof *f->order);
			f->n_order = (size_t)s->n;
		}
		for (int j = 0; j < s->n; j++) {
			const struct oev *e = &s->ev[j];
			f->order[j] = (struct order_ev){e->kind, e->line, xstrdup(e->name), e->role,
							e->via ? xstrdup(e->via) : NULL, e->delegated};
		}
		if (s->truncated)
			strv_push(&f->bounds, "an ordering summary longer than 256 events");
	}
	for (size_t i = 0; i < m->n_functions; i++)
		free(o.seqs[i].ev);
	free(o.seqs);
}

bool order_comment_claims_self(const char *t)
{
	while (*t == ' ')
		t++;
	bool self = !strncmp(t, "shootdown", 9) || !strncmp(t, "local", 5) || !strncmp(t, "flush", 5);
	return self && !strstr(t, "caller");
}

/* ---- Order questions on the typed model (INV018, `inventory diff`). ---- */

/* Own (not through a callee) event of kind k? A clear in a callee that says `TLB: caller`
 * counts as this function's own: the callee handed it the flush. */
static bool own_t(const struct order_ev *e, enum order_kind k)
{
	return (!e->via || e->delegated) && e->kind == k;
}

size_t order_violations_fn(const struct function *f, struct order_violation **out)
{
	size_t n = 0;
	bool commented = f->tlb && !order_comment_claims_self(f->tlb);
	*out = xcalloc(f->n_order ? f->n_order : 1, sizeof **out);
	for (size_t i = 0; i < f->n_order; i++) {
		const struct order_ev *e = &f->order[i], *clear = NULL, *later = NULL;
		bool flushed = false;
		if (!own_t(e, ORDER_FREE))
			continue;
		for (size_t j = 0; j < i; j++) {
			if (own_t(&f->order[j], ORDER_CLEAR))
				clear = &f->order[j], flushed = false;
			else if (f->order[j].kind == ORDER_FLUSH && clear)
				flushed = true;
		}
		/* A free before a clear: only the function's own clears (a callee's clear may be of
		 * another mapping, e.g. the unwind of a failed map after freeing its frame). */
		for (size_t j = i + 1; j < f->n_order && !later && !clear; j++)
			if (!f->order[j].via && f->order[j].kind == ORDER_CLEAR)
				later = &f->order[j];
		char *msg = NULL;
		if (!clear && later)
			msg = xasprintf("frees a frame (%s, line %lld) before the page-table clear %s (line %lld): the "
					"mapping is still live when the frame is reused", e->name, e->line, later->name,
					later->line);
		else if (clear && !flushed && !commented)
			msg = xasprintf("frees a frame (%s, line %lld) after the page-table clear %s%s%s (line %lld) with no TLB "
					"flush between and no `TLB:` comment giving the flush to another: a stale TLB entry can reach the reused frame",
					e->name, e->line, clear->name, clear->via ? " in " : "", clear->via ? clear->via : "",
					clear->line);
		if (msg)
			(*out)[n++] = (struct order_violation){e->line, msg};
	}
	return n;
}

static char *collapsed_t(const struct function *f)
{
	struct sbuf s = {0};
	const char *last = NULL;
	sb_puts(&s, "");
	for (size_t i = 0; i < f->n_order; i++) {
		const struct order_ev *e = &f->order[i];
		const char *t = e->via ? e->via : order_kind_name(e->kind);
		if (last && e->via && !strcmp(last, t))
			continue;
		sb_printf(&s, "%s%s", i ? " " : "", t);
		last = t;
	}
	return s.s;
}

static char *kinds_t(const struct function *f)
{
	struct sbuf s = {0};
	sb_puts(&s, "");
	for (size_t i = 0; i < f->n_order; i++)
		sb_printf(&s, "%s%s", i ? " " : "", order_kind_name(f->order[i].kind));
	return s.s;
}

bool order_changed_fn(const struct function *a, const struct function *b, char **old_s, char **new_s)
{
	char *ca = collapsed_t(a), *cb = collapsed_t(b), *sa = kinds_t(a), *sb = kinds_t(b);
	bool changed = strcmp(ca, cb) != 0 && strcmp(sa, sb) != 0 && (strstr(sa, "free") || strstr(sb, "free"));
	free(ca);
	free(cb);
	if (changed) {
		*old_s = sa;
		*new_s = sb;
	} else {
		free(sa);
		free(sb);
	}
	return changed;
}
