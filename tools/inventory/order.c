/* order.c: the order of page-table clears, TLB flushes and frame frees in each function, with
 * callees folded in through function summaries (in the manner of Smatch's function database):
 * a call to a function that clears and flushes counts as a clear and a flush at the call.
 *
 * Typed within: each function's sequence is an array of `struct oev`; summaries are computed
 * bottom-up over the call graph (a recursive cycle contributes nothing while in progress). The
 * model gets one "order" array per function; INV018 and `inventory diff` read it. */
#include "order.h"
#include "model.h"
#include "util.h"

#include <stdio.h>
#include <string.h>

/** @brief Kind of one ordering event. */
enum oev_kind { OEV_CLEAR, OEV_FLUSH, OEV_FREE, OEV_DEFER };

/** @brief One event: a primitive of the function itself, or one reached through a callee. */
struct oev {
	enum oev_kind kind;
	const char *role, *name; /**< Borrowed from the model. */
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
		return OEV_CLEAR;
	if (role_class_of(r) == RC_TLB)
		return OEV_FLUSH;
	if (r == ROLE_FRAME_FREE)
		return OEV_FREE;
	if (r == ROLE_FRAME_DEFER_FREE)
		return OEV_DEFER;
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
	json_t *fns;      /* model functions by USR */
	json_t *index;    /* USR -> integer index into seqs */
	struct oseq *seqs;
};

static int role_of(const struct config *cfg, json_t *call)
{
	if (json_is_true(json_object_get(call, "store")))
		return role_from_name(S(call, "role"));
	return S(call, "name") ? config_call_role(cfg, S(call, "name"), json_object_get(call, "args")) : -1;
}

static struct oseq *seq_of(struct octx *o, const char *usr);

static void build(struct octx *o, json_t *f, struct oseq *s)
{
	json_t *c;
	size_t i;
	const char *fname = S(f, "name");
	json_array_foreach(json_object_get(f, "calls"), i, c) {
		int r = role_of(o->cfg, c), k = r >= 0 ? kind_of_role(r) : -1;
		if (k >= 0) {
			push(s, (struct oev){(enum oev_kind)k, role_name(r), S(c, "name"), NULL, false, I(c, "line")});
			continue;
		}
		if (r >= 0 || !S(c, "usr") || json_is_true(json_object_get(c, "indirect")))
			continue;
		struct oseq *cs = seq_of(o, S(c, "usr"));
		if (!cs)
			continue;
		json_t *cf = json_object_get(o->fns, S(c, "usr"));
		const char *ct = S(cf, "tlb");
		bool hands_over = ct && strstr(ct, "caller");
		for (int j = 0; j < cs->n; j++) {
			struct oev e = cs->ev[j];
			e.via = S(cf, "name");  /* the call at this level: the callee reports its own order */
			e.line = I(c, "line");
			e.delegated = e.kind == OEV_CLEAR && hands_over;
			push(s, e);
		}
		s->truncated = s->truncated || cs->truncated;
	}
	(void)fname;
}

static struct oseq *seq_of(struct octx *o, const char *usr)
{
	json_t *ix = json_object_get(o->index, usr), *f = json_object_get(o->fns, usr);
	if (!ix || !f)
		return NULL;
	struct oseq *s = &o->seqs[json_integer_value(ix)];
	if (s->state == 1)
		return NULL;  /* recursion: the cycle adds nothing while it is being computed */
	if (s->state == 0) {
		s->state = 1;
		build(o, f, s);
		s->state = 2;
	}
	return s;
}

static const char *const kind_text[] = {"clear", "flush", "free", "defer"};

void order_compute(const struct config *cfg, json_t *m)
{
	struct octx o = {cfg, json_object_get(m, "functions"), json_object(), NULL};
	size_t n = json_object_size(o.fns), i = 0;
	const char *k;
	json_t *f;
	o.seqs = xcalloc(n ? n : 1, sizeof *o.seqs);
	json_object_foreach(o.fns, k, f) json_object_set_new(o.index, k, json_integer((json_int_t)i++));
	json_object_foreach(o.fns, k, f) {
		struct oseq *s = seq_of(&o, k);
		json_t *arr = json_array();
		for (int j = 0; s && j < s->n; j++)
		{
			json_t *ev = json_pack("{s:s,s:s,s:s,s:I,s:s?}", "kind", kind_text[s->ev[j].kind],
					       "role", s->ev[j].role, "name", s->ev[j].name, "line",
					       (json_int_t)s->ev[j].line, "via", s->ev[j].via);
			if (s->ev[j].delegated)
				json_object_set_new(ev, "delegated", json_true());
			json_array_append_new(arr, ev);
		}
		if (json_array_size(arr))
			json_object_set_new(f, "order", arr);
		else
			json_decref(arr);
		if (s && s->truncated) {
			json_t *b = json_object_get(f, "bounds");
			if (!b)
				json_object_set_new(f, "bounds", b = json_array());
			json_array_append_new(b, json_string("an ordering summary longer than 256 events"));
		}
	}
	for (i = 0; i < n; i++)
		free(o.seqs[i].ev);
	free(o.seqs);
	json_decref(o.index);
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
