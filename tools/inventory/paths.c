/* paths.c: intra-procedural path walk of one function body, in the manner of Smatch's unwind
 * check. Each path carries the acquire/release pairs of the config (ledger charges, locks)
 * still outstanding; at every return the outstanding set is recorded with the return's kind
 * (success, error, unknown, void). Branches fork the set, gotos carry it to their label, loops
 * run zero or one time. A fallible acquire tested for failure is undone on the failure branch.
 * Calls are recorded once each, in source order, with the cleanup label they follow. */
#include "visit.h"
#include "util.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The walker's bounds. Reaching any of them is recorded in the function's "bounds" and
 * reported as INV017 naming the function: nothing past a bound is ever dropped silently. */
#define MAXK 8   /* distinct outstanding keys per path */
#define MAXF 16  /* variables known to hold a failure, per path (a ladder of checks) */
#define MAXS 16  /* distinct path states kept at one point */
#define KEYLEN 80  /* bytes of a pair key, with its NUL */
#define VARLEN 48  /* bytes of a variable name, with its NUL */
#define MAXITER 8  /* walks of one loop body before its path states must be stable */
#define SATURATE 2 /* |count| of one key at which it means "that many or more" */
#define MAXC 8     /* branch facts (`flag` true/false) kept per path; the oldest is forgotten */

struct pheld { char key[KEYLEN]; int n; };
struct pstate {
	int nk, nf;
	struct pheld k[MAXK];
	char fail[MAXF][VARLEN];
	char pvar[VARLEN], pkey[KEYLEN]; /* fallible acquire whose result is in pvar */
	int nc;                          /* branch facts: `if (flag)` taken (1) or not (0) */
	struct { char var[VARLEN]; int val; } cond[MAXC];
	int front;  /* CFG nodes this path came from (interned set, walk.fs); not part of its identity */
};
struct pset { int n; struct pstate s[MAXS]; };
struct lab { char *name; struct pset *ps; int gotos; unsigned line; int join; /* -1 until walked */ };

/* A growable list of CFG node numbers: a call's index (>= 0), the function's entry (-1) or a
 * join node k (-2 - k: a loop head or a label, so back edges need no second walk). */
struct ivec { int *v; int n, cap; };

static bool iv_has(const struct ivec *a, int x)
{
	for (int i = 0; i < a->n; i++)
		if (a->v[i] == x)
			return true;
	return false;
}

static void iv_add(struct ivec *a, int x)
{
	if (iv_has(a, x))
		return;
	if (a->n == a->cap) {
		a->cap = a->cap ? a->cap * 2 : 4;
		a->v = xrealloc(a->v, sizeof *a->v * (size_t)a->cap);
	}
	a->v[a->n++] = x;
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}

/* A node of the CFG: a call or store (site = its index), a join (-2: loop head, label) or the
 * failure branch of a test of fail_vars[t] (-3 - t), reached in one path state (h), with the
 * nodes it follows (-1: the function's entry). */
struct cnode { int site; uint64_t h; struct ivec preds; };

struct walk {
	struct vctx *v;
	CXCursor fn;  /* the function being walked */
	struct function *out;  /* the function's facts: calls, copies (and returns, at the end) */
	struct ret_path *rets; size_t nrets; /* return records, in the order first reached */
	struct smap ret_ix;    /* a return record's content -> its index in rets */
	struct lab *labs;
	int nlabs;
	struct pset *brk, *cont, *sw_entry;
	bool sw_default;
	const char *label;
	bool fn_stable;
	bool noreturn_hit;  /* a call to a noreturn function was just made: the path ends */
	int replay;         /* > 0 while a loop body is walked again for its fixpoint: no new records */
	unsigned pair_events; /* acquires/releases applied so far (does a branch touch a pair?) */
	const char *fname;  /* the function's name (success spellings by function family) */
	const char *stable_reason;
	unsigned bounds;    /* BOUND_* reached in this function */
	/* The control-flow graph over the function's calls and stores (the model's `cfg`): */
	struct ivec *fs; int nfs;        /* interned frontier sets of nodes (pstate.front indexes them) */
	struct cnode *nodes; int nn;     /* nodes: (site, state) with their predecessors */
	struct ivec *cinst; int ncall;   /* per recorded call: its nodes */
	CXCursor *ccur;                  /* per recorded call: its cursor (a loop body walked again) */
	struct ivec *jinst; int nj;      /* per join site: its nodes */
	char **fvars; struct ivec *finst; int nfv; /* variables tested for failure: their nodes */
};

/* Which bound was reached (bits of walk.bounds). */
enum {
	BOUND_STATES = 1, BOUND_KEYS = 2, BOUND_FAILVARS = 4, BOUND_KEYLEN = 8, BOUND_VARLEN = 16,
	BOUND_LOOP = 32,
};
static const char *const bound_text[] = {
	"more than 16 distinct path states at one point",
	"more than 8 outstanding acquire/release keys on one path",
	"more than 16 variables holding a failure on one path",
	"a pair key longer than 79 bytes",
	"a variable name longer than 47 bytes",
	"a loop whose path states were not stable after 8 walks of its body",
};

/* The current walk, for the small state helpers that have no walk argument. */
static _Thread_local struct walk *cur_walk;

static void bound(unsigned b)
{
	if (cur_walk)
		cur_walk->bounds |= b;
}

/* Copy a name into a fixed field, recording the bound when it does not fit. */
static void put_name(char *dst, size_t cap, const char *src, unsigned b)
{
	if (strlen(src) >= cap)
		bound(b);
	strncpy(dst, src, cap - 1);
	dst[cap - 1] = 0;
}

/* Intern a frontier set (sorted, without duplicates): equal sets get one id. */
static int fs_intern(struct walk *w, struct ivec *set)
{
	if (set->n)
		qsort(set->v, (size_t)set->n, sizeof *set->v, cmp_int);
	for (int i = 0; i < w->nfs; i++)
		if (w->fs[i].n == set->n && (!set->n || !memcmp(w->fs[i].v, set->v, sizeof *set->v * (size_t)set->n))) {
			free(set->v);
			return i;
		}
	w->fs = xrealloc(w->fs, sizeof *w->fs * (size_t)(w->nfs + 1));
	w->fs[w->nfs] = *set;
	return w->nfs++;
}

static int fs_single(struct walk *w, int node)
{
	struct ivec v = {0};
	iv_add(&v, node);
	return fs_intern(w, &v);
}

static int fs_union(struct walk *w, int a, int b)
{
	if (a == b)
		return a;
	struct ivec v = {0};
	for (int i = 0; i < w->fs[a].n; i++)
		iv_add(&v, w->fs[a].v[i]);
	for (int i = 0; i < w->fs[b].n; i++)
		iv_add(&v, w->fs[b].v[i]);
	return fs_intern(w, &v);
}

/* Identity of a path state without its frontier (FNV-1a over its bytes): the CFG keeps one node
 * per (call or join, state), so paths the walker tells apart (a failure variable known on one,
 * a branch fact) stay apart in the graph, and a correlated second test does not join them. */
static uint64_t st_hash(const struct pstate *s)
{
	const unsigned char *p = (const unsigned char *)s;
	uint64_t h = 1469598103934665603ull;
	for (size_t i = 0; i < offsetof(struct pstate, front); i++)
		h = (h ^ p[i]) * 1099511628211ull;
	return h;
}

/* The node of site (a call index, or -2 - k for join k) for states of hash h. */
static int cfg_node(struct walk *w, struct ivec *inst, int site, uint64_t h)
{
	for (int i = 0; i < inst->n; i++)
		if (w->nodes[inst->v[i]].h == h)
			return inst->v[i];
	w->nodes = xrealloc(w->nodes, sizeof *w->nodes * (size_t)(w->nn + 1));
	w->nodes[w->nn] = (struct cnode){site, h, {0}};
	inst->v = xrealloc(inst->v, sizeof *inst->v * (size_t)(inst->n + 1));
	inst->v[inst->n++] = w->nn;
	return w->nn++;
}

/* The paths of cur lead into site; with step, they continue from its node. Sites: a call
 * (site = ix >= 0), join ix (site -2 - ix), or "fail_vars[ix] holds a failure" (site -3 - ix,
 * marked with ix as the site's own code by the caller). */
static void cfg_enter(struct walk *w, int ix, int site, struct pset *cur, bool step)
{
	for (int i = 0; i < cur->n; i++) {
		bool join = site < 0 && site == -2 - ix;
		struct ivec *inst = site >= 0 ? &w->cinst[ix] : join ? &w->jinst[ix] : &w->finst[ix];
		int node = cfg_node(w, inst, join ? -2 : site, st_hash(&cur->s[i]));  /* as written */
		const struct ivec *f = &w->fs[cur->s[i].front];
		for (int j = 0; j < f->n; j++)
			iv_add(&w->nodes[node].preds, f->v[j]);
		if (step)
			cur->s[i].front = fs_single(w, node);
	}
}

/* A new join site (loop head, label) that the paths of cur continue from. */
static int cfg_join(struct walk *w, struct pset *cur)
{
	w->jinst = xrealloc(w->jinst, sizeof *w->jinst * (size_t)(w->nj + 1));
	w->jinst[w->nj] = (struct ivec){0};
	int k = w->nj++;
	cfg_enter(w, k, -2 - k, cur, true);
	return k;
}

/* The paths of cur also lead into join k (a back edge). */
static void cfg_into_join(struct walk *w, int k, struct pset *cur)
{
	cfg_enter(w, k, -2 - k, cur, false);
}

/* The failure branch of a test of var: its paths pass a node saying var holds a failure there
 * (a callee's effects that happen only on its success return end on it). */
static void cfg_fail(struct walk *w, const char *var, struct pset *fail)
{
	int t = -1;
	for (int i = 0; i < w->nfv && t < 0; i++)
		if (!strcmp(w->fvars[i], var))
			t = i;
	if (t < 0) {
		w->fvars = xrealloc(w->fvars, sizeof *w->fvars * (size_t)(w->nfv + 1));
		w->finst = xrealloc(w->finst, sizeof *w->finst * (size_t)(w->nfv + 1));
		w->fvars[w->nfv] = xstrdup(var);
		w->finst[w->nfv] = (struct ivec){0};
		t = w->nfv++;
	}
	cfg_enter(w, t, -3 - t, fail, true);
}

/* The recorded call at cursor c, or -1. */
static int cfg_find(struct walk *w, CXCursor c)
{
	for (int i = w->ncall - 1; i >= 0; i--)
		if (clang_equalCursors(w->ccur[i], c))
			return i;
	return -1;
}

/* The call (or store) at cursor c as a CFG site: recorded now (new) or found again (a replay). */
static void cfg_call(struct walk *w, CXCursor c, struct pset *cur, bool record)
{
	int ix = -1;
	if (record) {
		w->cinst = xrealloc(w->cinst, sizeof *w->cinst * (size_t)(w->ncall + 1));
		w->ccur = xrealloc(w->ccur, sizeof *w->ccur * (size_t)(w->ncall + 1));
		w->cinst[w->ncall] = (struct ivec){0};
		w->ccur[w->ncall] = c;
		ix = w->ncall++;
	} else {
		ix = cfg_find(w, c);
		if (ix < 0)
			return;  /* not a recorded call or store */
	}
	cfg_enter(w, ix, ix, cur, true);
}

static struct pset *ps_new(void) { return xcalloc(1, sizeof(struct pset)); }
static struct pset *ps_copy(const struct pset *p)
{
	struct pset *n = ps_new();
	*n = *p;
	return n;
}

static int fs_union(struct walk *w, int a, int b);

static void ps_add(struct walk *w, struct pset *d, const struct pstate *s)
{
	for (int i = 0; i < d->n; i++)
		if (memcmp(&d->s[i], s, offsetof(struct pstate, front)) == 0) {
			d->s[i].front = fs_union(w, d->s[i].front, s->front);
			return;
		}
	if (d->n == MAXS) {
		w->bounds |= BOUND_STATES;  /* a path state is lost: INV017 names the function */
		return;
	}
	d->s[d->n++] = *s;
}

static void ps_union(struct walk *w, struct pset *d, const struct pset *s)
{
	for (int i = 0; s && i < s->n; i++)
		ps_add(w, d, &s->s[i]);
}

static struct lab *lab_get(struct walk *w, const char *name)
{
	for (int i = 0; i < w->nlabs; i++)
		if (strcmp(w->labs[i].name, name) == 0)
			return &w->labs[i];
	w->labs = xrealloc(w->labs, sizeof *w->labs * (size_t)(w->nlabs + 1));
	w->labs[w->nlabs] = (struct lab){xstrdup(name), ps_new(), 0, 0, -1};
	return &w->labs[w->nlabs++];
}

static void st_add(struct pstate *s, const char *key, int d)
{
	if (cur_walk)
		cur_walk->pair_events++;
	for (int i = 0; i < s->nk; i++)
		if (strcmp(s->k[i].key, key) == 0) {
			/* Widening: a count of 2 means "two or more" (-2: released two or more times
			 * more than acquired here), so a loop that acquires or releases on every
			 * iteration reaches a fixpoint. */
			s->k[i].n += d;
			if (s->k[i].n > SATURATE)
				s->k[i].n = SATURATE;
			if (s->k[i].n < -SATURATE)
				s->k[i].n = -SATURATE;
			if (s->k[i].n == 0) {
				s->k[i] = s->k[--s->nk];
				memset(&s->k[s->nk], 0, sizeof s->k[0]);
			}
			return;
		}
	if (s->nk < MAXK) {
		put_name(s->k[s->nk].key, sizeof s->k[0].key, key, BOUND_KEYLEN);
		s->k[s->nk++].n = d;
	} else {
		bound(BOUND_KEYS);
	}
}

static void st_fail(struct pstate *s, const char *var, bool on)
{
	for (int i = 0; i < s->nf; i++)
		if (strcmp(s->fail[i], var) == 0) {
			if (!on) {
				memcpy(s->fail[i], s->fail[--s->nf], sizeof s->fail[0]);
				memset(s->fail[s->nf], 0, sizeof s->fail[0]);
			}
			return;
		}
	if (on && s->nf < MAXF)
		put_name(s->fail[s->nf++], sizeof s->fail[0], var, BOUND_VARLEN);
	else if (on)
		bound(BOUND_FAILVARS);
}

static bool st_failed(const struct pstate *s, const char *var)
{
	for (int i = 0; i < s->nf; i++)
		if (strcmp(s->fail[i], var) == 0)
			return true;
	return false;
}

/* Branch facts: the value a plain `if (flag)` took on this path, so a second `if (flag)` follows
 * the same way (conditional lock pairs). Forgetting a fact only adds paths, never hides one. */
static int cond_get(const struct pstate *s, const char *var)
{
	for (int i = 0; i < s->nc; i++)
		if (!strcmp(s->cond[i].var, var))
			return s->cond[i].val;
	return -1;
}

static void cond_forget(struct pstate *s, const char *var)
{
	for (int i = 0; i < s->nc; i++)
		if (!strcmp(s->cond[i].var, var)) {
			memmove(&s->cond[i], &s->cond[i + 1], sizeof s->cond[0] * (size_t)(s->nc - i - 1));
			s->nc--;
			memset(&s->cond[s->nc], 0, sizeof s->cond[0]);
			return;
		}
}

static void cond_set(struct pstate *s, const char *var, int val)
{
	cond_forget(s, var);
	if (strlen(var) >= VARLEN)
		return;  /* not kept: the fact is forgotten (sound), not cut */
	if (s->nc == MAXC)
		cond_forget(s, s->cond[0].var);
	strcpy(s->cond[s->nc].var, var);
	s->cond[s->nc++].val = val;
}

/* Keep the states of d consistent with var == val, recording the fact. */
static void cond_filter(struct pset *d, const char *var, int val)
{
	int kept = 0;
	for (int i = 0; i < d->n; i++) {
		int v = cond_get(&d->s[i], var);
		if (v >= 0 && v != val)
			continue;
		cond_set(&d->s[i], var, val);
		d->s[kept++] = d->s[i];
	}
	d->n = kept;
}

/* Is `name` an acquire of pair p whose key is its return value (`b = bget(); ... brelse(b)`)? */
static bool key_is_return(const struct pair_cfg *p, const char *name)
{
	return globs_match(&p->key_return, name);
}

/* The pair a direct call acquires (+1) or releases (-1); key into *key. */
static const struct pair_cfg *pair_of(struct walk *w, const char *name, CXCursor call, int *dir, char **key)
{
	const struct config *cfg = w->v->cfg;
	int d = 0, pi = config_pair_of_fn(cfg, name, &d);
	if (pi < 0)
		return NULL;
	const struct pair_cfg *p = &cfg->pairs[pi];
	struct sbuf b = {0};
	sb_printf(&b, "%s(", p->name);
	const char *fixed = NULL;
	const long long *kargs = p->key_args;
	size_t nk = p->n_key_args;
	for (size_t j = 0; j < p->n_fixed; j++)
		if (!strcmp(p->fixed[j].fn, name))
			fixed = p->fixed[j].key;
	for (size_t j = 0; j < p->n_fn_args; j++)
		if (!strcmp(p->fn_args[j].fn, name))
			kargs = p->fn_args[j].v, nk = p->fn_args[j].n;
	if (fixed)
		sb_puts(&b, fixed);
	else
		for (size_t j = 0; j < nk; j++) {
			int ai = (int)kargs[j];
			char *t = ai < clang_Cursor_getNumArguments(call) ?
				vis_arg_text(w->v->tu, call, clang_Cursor_getArgument(call, (unsigned)ai)) : xstrdup("?");
			sb_printf(&b, "%s%s", j ? "," : "", t);
			free(t);
		}
	sb_puts(&b, ")");
	if (b.n >= KEYLEN) {
		bound(BOUND_KEYLEN);
		b.s[KEYLEN - 1] = 0;  /* as stored in a path state */
	}
	*dir = d;
	*key = b.s;
	return p;
}

static bool any_lock_held(struct walk *w, const struct pstate *s)
{
	const struct config *cfg = w->v->cfg;
	for (int i = 0; i < s->nk; i++)
		for (size_t j = 0; j < cfg->n_pairs; j++) {
			const struct pair_cfg *p = &cfg->pairs[j];
			size_t l = strlen(p->name);
			if (p->acquire.n && config_role(cfg, p->acquire.v[0]) == ROLE_LOCK_ACQUIRE &&
			    strncmp(s->k[i].key, p->name, l) == 0 && s->k[i].key[l] == '(' && s->k[i].n > 0)
				return true;
		}
	return false;
}

/* Position of a ParmDecl among fn's parameters, or -1. */
static int param_index(CXCursor fn, CXCursor parm)
{
	for (int i = 0; i < clang_Cursor_getNumArguments(fn); i++)
		if (clang_equalCursors(clang_Cursor_getArgument(fn, (unsigned)i), parm))
			return i;
	return -1;
}

static void indirect_info(CXCursor fn, CXCursor callee, struct call *call)
{
	/* Find the table variable and/or member the pointer is loaded from. */
	CXCursor c = vis_strip(callee);
	for (int depth = 0; depth < 8 && !clang_Cursor_isNull(c); depth++) {
		enum CXCursorKind k = clang_getCursorKind(c);
		if (k == CXCursor_MemberRefExpr && !call->member) {
			CXCursor fld = clang_getCursorReferenced(c);
			CXString u = clang_getCursorUSR(clang_getCanonicalCursor(clang_getCursorSemanticParent(fld)));
			call->member = vis_spell(c);
			call->type = xstrdup(clang_getCString(u));
			clang_disposeString(u);
		} else if (k == CXCursor_DeclRefExpr) {
			CXCursor r = clang_getCursorReferenced(c);
			CXString u = clang_getCursorUSR(clang_getCanonicalCursor(r));
			call->via = xstrdup(clang_getCString(u));
			call->via_name = vis_spell(r);
			if (clang_getCursorKind(r) == CXCursor_ParmDecl && !call->member) {
				int pi = param_index(fn, r);  /* resolved from what callers pass */
				if (pi >= 0)
					call->has |= CALL_HAS_VIA_PARAM, call->via_param = pi;
			}
			clang_disposeString(u);
			return;
		}
		c = vis_strip(vis_child(c, 0));
	}
}

static bool is_fn_pointer(CXType t)
{
	CXType p = clang_getPointeeType(clang_getCanonicalType(t));
	return p.kind == CXType_FunctionProto || p.kind == CXType_FunctionNoProto;
}

/* The arguments of a call: args (text), consts (enum constant or NULL), fnrefs ((position,
 * usr) of functions passed) and fwd ((position, parameter) of the caller's own function-pointer
 * parameters handed on; the two lists present only when not empty). */
static void call_args(struct walk *w, CXCursor call, struct call *j)
{
	j->has |= CALL_HAS_CONSTS;
	for (int i = 0; i < clang_Cursor_getNumArguments(call); i++) {
		CXCursor a = clang_Cursor_getArgument(call, (unsigned)i), s = vis_strip(a);
		CXCursor r = clang_getCursorReferenced(s);
		char *t = vis_arg_text(w->v->tu, call, a);
		strv_push(&j->args, t);
		free(t);
		if (clang_getCursorKind(s) == CXCursor_UnaryOperator)  /* &fn */
			r = clang_getCursorReferenced(vis_strip(vis_child(s, 0)));
		if (clang_getCursorKind(r) == CXCursor_FunctionDecl) {
			CXString u = clang_getCursorUSR(clang_getCanonicalCursor(r));
			j->fnrefs = xrealloc(j->fnrefs, sizeof *j->fnrefs * (j->n_fnrefs + 1));
			j->fnrefs[j->n_fnrefs++] = (struct fnref){i, xstrdup(clang_getCString(u))};
			j->has |= CALL_HAS_FNREFS;
			clang_disposeString(u);
		} else if (clang_getCursorKind(s) == CXCursor_DeclRefExpr && clang_getCursorKind(r) == CXCursor_ParmDecl &&
			   is_fn_pointer(clang_getCursorType(r))) {
			int pi = param_index(w->fn, r);
			if (pi >= 0) {
				j->fwd = xrealloc(j->fwd, sizeof *j->fwd * (j->n_fwd + 1));
				j->fwd[j->n_fwd++] = (struct fwd){i, pi};
				j->has |= CALL_HAS_FWD;
			}
		}
		char *n = NULL;
		if (clang_getCursorKind(s) == CXCursor_DeclRefExpr && clang_getCursorKind(r) == CXCursor_EnumConstantDecl)
			n = vis_spell(r);
		j->consts.v = xrealloc(j->consts.v, sizeof *j->consts.v * (j->consts.n + 1));
		j->consts.v[j->consts.n++] = n;
	}
}

/* A new call record of the function being walked. */
static struct call *new_call(struct walk *w, unsigned line, unsigned col)
{
	struct function *f = w->out;
	f->calls = xrealloc(f->calls, sizeof *f->calls * (f->n_calls + 1));
	struct call *c = &f->calls[f->n_calls++];
	memset(c, 0, sizeof *c);
	c->line = line;
	c->col = col;
	c->role = -1;
	if (w->label)
		c->label = xstrdup(w->label);
	return c;
}

static void on_call(struct walk *w, CXCursor call, struct pset *cur)
{
	CXCursor ref = clang_getCursorReferenced(call);
	if (w->replay) {  /* a loop body walked again: only the path states change */
		if (clang_getCursorKind(ref) == CXCursor_FunctionDecl) {
			char *name = vis_spell(ref), *key;
			int dir;
			const struct pair_cfg *pp = pair_of(w, name, call, &dir, &key);
			if (pp) {
				if (!(dir > 0 && key_is_return(pp, name)))
					for (int i = 0; i < cur->n; i++)
						st_add(&cur->s[i], key, dir);
				free(key);
			}
			CXString ts = clang_getTypeSpelling(clang_getCursorType(ref));
			if (strstr(clang_getCString(ts), "noreturn"))
				w->noreturn_hit = true;
			clang_disposeString(ts);
			free(name);
		}
		cfg_call(w, call, cur, false);
		return;
	}
	unsigned line, col;
	vis_where(w->v, call, &line, &col);
	struct call *j = new_call(w, line, col);
	call_args(w, call, j);
	if (clang_getCursorKind(ref) == CXCursor_FunctionDecl) {
		char *name = vis_spell(ref);
		CXString u = clang_getCursorUSR(clang_getCanonicalCursor(ref));
		j->name = xstrdup(name);
		j->usr = xstrdup(clang_getCString(u));
		clang_disposeString(u);
		int dir;
		char *key;
		const struct pair_cfg *pp = pair_of(w, name, call, &dir, &key);
		if (pp) {
			if (!(dir > 0 && key_is_return(pp, name)))  /* else: taken when assigned */
				for (int i = 0; i < cur->n; i++)
					st_add(&cur->s[i], key, dir);
			free(key);
		}
		CXString ts = clang_getTypeSpelling(clang_getCursorType(ref));
		bool noreturn = strstr(clang_getCString(ts), "noreturn") != NULL;
		clang_disposeString(ts);
		if (config_call_role_v(w->v->cfg, name, (const char *const *)j->args.v, j->args.n) == ROLE_USER_COPY) {
			bool locked = cur->n > 0 && w->v->cfg->stable_lock;
			for (int i = 0; i < cur->n && locked; i++)
				locked = any_lock_held(w, &cur->s[i]);
			const char *why = w->fn_stable ? w->stable_reason : locked ? "lock held" : NULL;
			struct function *f = w->out;
			f->copies = xrealloc(f->copies, sizeof *f->copies * (f->n_copies + 1));
			f->copies[f->n_copies++] = (struct copy){xstrdup(name), line, why != NULL, why ? xstrdup(why) : NULL,
								  NULL, NULL};
		}
		free(name);
		if (noreturn)
			w->noreturn_hit = true;
	} else {
		j->has |= CALL_HAS_INDIRECT;
		j->indirect = true;
		indirect_info(w->fn, vis_child(call, 0), j);
	}
	cfg_call(w, call, cur, true);
}

static char *type_text(CXCursor c)
{
	CXString t = clang_getTypeSpelling(clang_getCursorType(c));
	char *r = xstrdup(clang_getCString(t));
	clang_disposeString(t);
	return r;
}

/* Does a type spelling name the configured type ("pte_t" matches "pte_t", "volatile pte_t",
 * "pte_t *" for a base)? Qualifiers are ignored, pointers are not. */
static bool type_is(const char *spelled, const char *want, bool pointer)
{
	const char *p = spelled;
	for (;;) {
		if (!strncmp(p, "const ", 6)) p += 6;
		else if (!strncmp(p, "volatile ", 9)) p += 9;
		else break;
	}
	size_t l = strlen(want);
	if (strncmp(p, want, l) != 0)
		return false;
	return pointer ? p[l] == 0 || !strcmp(p + l, " *") : p[l] == 0;
}

/* The store pattern of the config an assignment matches (its index), or -1. `value` is checked
 * against the stored expression: "zero" is the literal 0. */
static int store_pattern(struct walk *w, CXCursor lhs, CXCursor rhs, bool compound)
{
	const struct config *cfg = w->v->cfg;
	enum CXCursorKind k = clang_getCursorKind(lhs);
	char *lt = type_text(lhs), *bt = NULL, *field = NULL, *rv = vis_text(w->v->tu, vis_strip(rhs));
	if (k == CXCursor_ArraySubscriptExpr || (k == CXCursor_UnaryOperator && vis_nchildren(lhs) == 1))
		bt = type_text(vis_strip(vis_child(lhs, 0)));
	if (k == CXCursor_MemberRefExpr)
		field = vis_spell(lhs);
	bool zero = !compound && clang_getCursorKind(vis_strip(rhs)) == CXCursor_IntegerLiteral &&
		    (!strcmp(rv, "0") || !strcmp(rv, "0UL") || !strcmp(rv, "0ULL") || !strcmp(rv, "0L"));
	int hit = -1;
	for (size_t i = 0; i < cfg->n_stores && hit < 0; i++) {
		const struct store_cfg *p = &cfg->stores[i];
		const char *v = p->value;
		if ((p->lvalue_type && !type_is(lt, p->lvalue_type, false)) ||
		    (p->base_type && (!bt || !type_is(bt, p->base_type, true))) ||
		    (p->field && (!field || strcmp(field, p->field))) ||
		    (v && !strcmp(v, "zero") && !zero) || (v && !strcmp(v, "nonzero") && zero) ||
		    (p->compound >= 0 && (p->compound == 1) != compound))
			continue;
		hit = (int)i;
	}
	free(lt); free(bt); free(field); free(rv);
	return hit;
}

/* A field state machine this assignment writes (`p->state = RUNNABLE`), or NULL. */
static const struct state_field_cfg *state_field(struct walk *w, CXCursor lhs, CXCursor rhs, char **to)
{
	const struct config *cfg = w->v->cfg;
	if (clang_getCursorKind(lhs) != CXCursor_MemberRefExpr || !cfg->n_state_fields)
		return NULL;
	char *field = vis_spell(lhs);
	CXCursor r = vis_strip(rhs), ref = clang_getCursorReferenced(r);
	const struct state_field_cfg *hit = NULL;
	for (size_t i = 0; i < cfg->n_state_fields; i++)
		if (!strcmp(cfg->state_fields[i].field, field))
			hit = &cfg->state_fields[i];
	free(field);
	if (!hit)
		return NULL;
	*to = clang_getCursorKind(r) == CXCursor_DeclRefExpr && clang_getCursorKind(ref) == CXCursor_EnumConstantDecl ?
		vis_spell(ref) : NULL;
	return hit;
}

/* A constant of a transition-function machine's state enum stored through any lvalue (a member,
 * a pointer, a cast: `*(uint8_t *)&m->pg_state = PGS_WIRED`): the machine, or NULL. Only for
 * kernels whose states change through a transition function (`transitions.function` and
 * `state_enum`); the link step keeps it out of the transitions and INV023 reports it outside the
 * machine's transition function. */
/* Is lhs part of an object held in a local variable (`proto.state`, `buf[i]` of a local array),
 * reached through no pointer? Such an object is under construction, no machine's yet. */
static bool local_object(CXCursor lhs)
{
	CXCursor x = vis_strip(lhs);
	for (int depth = 0; depth < 64; depth++) {
		enum CXCursorKind k = clang_getCursorKind(x);
		if (k == CXCursor_DeclRefExpr) {
			CXCursor d = clang_getCursorReferenced(x);
			enum CXCursorKind pk = clang_getCursorKind(clang_getCursorSemanticParent(d));
			if (clang_getCursorKind(d) == CXCursor_ParmDecl)
				return true;  /* a parameter is the function's own copy */
			return clang_getCursorKind(d) == CXCursor_VarDecl && pk == CXCursor_FunctionDecl &&
			       clang_Cursor_getStorageClass(d) != CX_SC_Static &&
			       clang_Cursor_getStorageClass(d) != CX_SC_Extern;
		}
		if ((k != CXCursor_MemberRefExpr && k != CXCursor_ArraySubscriptExpr) || vis_nchildren(x) < 1)
			return false;  /* a dereference, a call, a cast of an address: through a pointer */
		CXCursor base = vis_strip(vis_child(x, 0));
		if (clang_getCanonicalType(clang_getCursorType(base)).kind == CXType_Pointer)
			return false;  /* p->f, p[i] */
		x = base;
	}
	return false;
}

static char *state_const_store(struct walk *w, CXCursor lhs, CXCursor rhs, char **to)
{
	const struct config *cfg = w->v->cfg;
	if (!cfg->trans_fn || !cfg->state_enum || local_object(lhs))
		return NULL;
	CXCursor r = vis_strip(rhs), ref = clang_getCursorReferenced(r);
	if (clang_getCursorKind(r) != CXCursor_DeclRefExpr || clang_getCursorKind(ref) != CXCursor_EnumConstantDecl)
		return NULL;
	char *en = vis_spell(clang_getCursorSemanticParent(ref));
	char *mach = en && *en ? pattern_get(cfg->state_enum, en, "machine") : NULL;
	free(en);
	for (size_t i = 0; mach && i < cfg->n_state_fields; i++)
		if (!strcmp(cfg->state_fields[i].machine, mach)) {  /* a field machine: state_field() */
			free(mach);
			mach = NULL;
		}
	if (mach)
		*to = vis_spell(ref);
	return mach;
}

/* An assignment through a pointer, an array element or a member: a configured store primitive
 * (recorded like a call, with its role), a field state transition, or a state constant stored
 * around a transition function. */
static void on_store(struct walk *w, CXCursor assign, CXCursor lhs0, CXCursor rhs, bool compound, struct pset *cur)
{
	const struct config *cfg = w->v->cfg;
	if (!cfg->n_stores && !cfg->n_state_fields && !(cfg->trans_fn && cfg->state_enum))
		return;
	if (w->replay) {
		cfg_call(w, assign, cur, false);
		return;
	}
	CXCursor lhs = vis_strip(lhs0);
	char *to = NULL, *bypass = NULL;
	bool var = clang_getCursorKind(lhs) == CXCursor_DeclRefExpr;  /* a global: only a state store */
	const struct state_field_cfg *sf = compound || var ? NULL : state_field(w, lhs, rhs, &to);
	int sp = sf || var ? -1 : store_pattern(w, lhs, rhs, compound);
	if (!sf && sp < 0 && !compound)
		bypass = state_const_store(w, lhs, rhs, &to);
	if (!sf && sp < 0 && !bypass)
		return;
	unsigned line, col;
	vis_where(w->v, assign, &line, &col);
	char *lt = vis_text(w->v->tu, lhs), *rt = vis_text(w->v->tu, vis_strip(rhs));
	struct call *j = new_call(w, line, col);
	j->has |= CALL_HAS_STORE;
	j->store = true;
	j->name = xasprintf("%s%s", lt, compound ? " op=" : " =");
	strv_push(&j->args, rt);
	if (sp >= 0) {
		j->role = cfg->stores[sp].role;
		j->has |= CALL_HAS_PATTERN;
		j->pattern = sp;
	}
	if (sf || bypass) {
		j->machine = xstrdup(sf ? sf->machine : bypass);
		j->has |= CALL_HAS_TO;
		j->to = to ? xstrdup(to) : NULL;
	}
	cfg_call(w, assign, cur, true);
	free(lt); free(rt); free(to); free(bypass);
}

static void walk_stmt(struct walk *w, CXCursor c, struct pset *cur);

struct ectx { struct walk *w; struct pset *cur; };

static bool is_success(struct walk *w, const char *t);

/* Is c a constant that is not a success value (an error code, a negative number)? */
static bool error_const(struct walk *w, CXCursor c)
{
	enum CXCursorKind k = clang_getCursorKind(c);
	CXCursor ref = k == CXCursor_DeclRefExpr ? clang_getCursorReferenced(c) : clang_getNullCursor();
	if (k != CXCursor_IntegerLiteral && k != CXCursor_UnaryOperator &&
	    clang_getCursorKind(ref) != CXCursor_EnumConstantDecl)
		return false;
	char *t = vis_text(w->v->tu, c);
	bool err = !is_success(w, t);
	free(t);
	return err;
}

static void after_assign(struct walk *w, const char *var, CXCursor rhs, struct pset *cur);

/* `var = flag ? x : y`: each path took the arm its branch fact on `flag` says (the ?: was split
 * by branch(), which recorded it); paths without the fact learn nothing about var. */
static bool after_assign_cond(struct walk *w, const char *var, CXCursor s, struct pset *cur)
{
	if (clang_getCursorKind(s) != CXCursor_ConditionalOperator || vis_nchildren(s) != 3)
		return false;
	CXCursor c = vis_strip(vis_child(s, 0));
	if (clang_getCursorKind(c) != CXCursor_DeclRefExpr)
		return false;
	char *flag = vis_spell(c);
	struct pset *arm[2] = {ps_new(), ps_new()}, *none = ps_new();
	for (int i = 0; i < cur->n; i++) {
		int v = cond_get(&cur->s[i], flag);
		struct pset *d = v == 1 ? arm[0] : v == 0 ? arm[1] : none;
		d->s[d->n++] = cur->s[i];
	}
	after_assign(w, var, vis_child(s, 1), arm[0]);
	after_assign(w, var, vis_child(s, 2), arm[1]);
	for (int i = 0; i < none->n; i++) {  /* unknown arm: var holds no known failure or acquire */
		st_fail(&none->s[i], var, false);
		cond_forget(&none->s[i], var);
		if (strcmp(none->s[i].pvar, var) == 0)
			memset(none->s[i].pvar, 0, sizeof none->s[i].pvar + sizeof none->s[i].pkey);
	}
	cur->n = 0;
	ps_union(w, cur, arm[0]);
	ps_union(w, cur, arm[1]);
	ps_union(w, cur, none);
	free(arm[0]);
	free(arm[1]);
	free(none);
	free(flag);
	return true;
}

/* `var = f(...)` (or `var = c ? x : f(...)`): the call's result is in var ("ret_var"). */
static void note_ret_var(struct walk *w, const char *var, CXCursor s)
{
	CXCursor arms[3] = {s, clang_getNullCursor(), clang_getNullCursor()};
	if (w->replay)
		return;
	if (clang_getCursorKind(s) == CXCursor_ConditionalOperator && vis_nchildren(s) == 3)
		arms[0] = vis_strip(vis_child(s, 1)), arms[1] = vis_strip(vis_child(s, 2));
	for (int i = 0; i < 2; i++) {
		if (clang_Cursor_isNull(arms[i]) || clang_getCursorKind(arms[i]) != CXCursor_CallExpr)
			continue;
		int ix = cfg_find(w, arms[i]);
		if (ix >= 0) {
			free(w->out->calls[ix].ret_var);
			w->out->calls[ix].ret_var = xstrdup(var);
		}
	}
}

static void after_assign(struct walk *w, const char *var, CXCursor rhs, struct pset *cur)
{
	CXCursor s = vis_strip(rhs);
	note_ret_var(w, var, s);
	if (after_assign_cond(w, var, s, cur))
		return;
	char *key = NULL;
	int dir = 0;
	const struct pair_cfg *p = NULL;
	bool failed = error_const(w, s);  /* err = KERR_NO_MEMORY; goto unwind; */
	if (clang_getCursorKind(s) == CXCursor_CallExpr) {
		CXCursor ref = clang_getCursorReferenced(s);
		char *n = vis_spell(ref);
		p = pair_of(w, n, s, &dir, &key);
		free(n);
	}
	char *rkey = NULL;
	if (p && dir > 0 && clang_getCursorKind(s) == CXCursor_CallExpr) {
		char *n = vis_spell(clang_getCursorReferenced(s));
		if (key_is_return(p, n))
			rkey = xasprintf("%s(%s)", p->name, var);
		free(n);
	}
	for (int i = 0; i < cur->n; i++) {
		struct pstate *st = &cur->s[i];
		st_fail(st, var, failed);
		cond_forget(st, var);
		if (rkey)
			st_add(st, rkey, 1);
		if (strcmp(st->pvar, var) == 0)
			memset(st->pvar, 0, sizeof st->pvar + sizeof st->pkey);
		if (p && dir > 0 && p->fallible) {
			put_name(st->pvar, sizeof st->pvar, var, BOUND_VARLEN);
			put_name(st->pkey, sizeof st->pkey, rkey ? rkey : key, BOUND_KEYLEN);
		}
	}
	free(key);
	free(rkey);
}

static void branch(struct walk *w, CXCursor cond, struct pset *in, struct pset *t, struct pset *e);
static void walk_expr(struct walk *w, CXCursor c, struct pset *cur);
static int logic_op(struct walk *w, CXCursor s);

static enum CXChildVisitResult expr_cb(CXCursor c, CXCursor parent, CXClientData d)
{
	struct ectx *e = d;
	enum CXCursorKind k = clang_getCursorKind(c);
	(void)parent;
	if (k == CXCursor_CompoundStmt) {  /* GNU statement expression */
		walk_stmt(e->w, c, e->cur);
		return CXChildVisit_Continue;
	}
	if (k == CXCursor_ConditionalOperator && vis_nchildren(c) == 3) {
		/* c ? x : y: x on the states where c holds, y where it does not */
		struct pset *t = ps_new(), *f = ps_new();
		branch(e->w, vis_child(c, 0), e->cur, t, f);
		walk_expr(e->w, vis_child(c, 1), t);
		walk_expr(e->w, vis_child(c, 2), f);
		e->cur->n = 0;
		ps_union(e->w, e->cur, t);
		ps_union(e->w, e->cur, f);
		free(t);
		free(f);
		return CXChildVisit_Continue;
	}
	if (k == CXCursor_BinaryOperator && logic_op(e->w, c)) {
		/* a && b, a || b as a value: b runs only on some paths */
		struct pset *t = ps_new(), *f = ps_new();
		branch(e->w, c, e->cur, t, f);
		e->cur->n = 0;
		ps_union(e->w, e->cur, t);
		ps_union(e->w, e->cur, f);
		free(t);
		free(f);
		return CXChildVisit_Continue;
	}
	clang_visitChildren(c, expr_cb, e);  /* operands are evaluated before the operation */
	if (k == CXCursor_CallExpr) {
		on_call(e->w, c, e->cur);
	} else if (k == CXCursor_BinaryOperator) {
		char *op = vis_binop(e->w->v->tu, c);
		CXCursor lhs = vis_strip(vis_child(c, 0));
		if (strcmp(op, "=") == 0 && clang_getCursorKind(lhs) == CXCursor_DeclRefExpr) {
			char *var = vis_spell(lhs);
			after_assign(e->w, var, vis_child(c, 1), e->cur);
			free(var);
			if (!local_object(lhs))  /* a global variable: a state stored into it (INV023) */
				on_store(e->w, c, vis_child(c, 0), vis_child(c, 1), false, e->cur);
		} else if (strcmp(op, "=") == 0) {
			on_store(e->w, c, vis_child(c, 0), vis_child(c, 1), false, e->cur);
		}
		free(op);
	} else if (k == CXCursor_CompoundAssignOperator) {
		CXCursor lhs = vis_strip(vis_child(c, 0));
		if (clang_getCursorKind(lhs) != CXCursor_DeclRefExpr)
			on_store(e->w, c, vis_child(c, 0), vis_child(c, 1), true, e->cur);
	} else if (k == CXCursor_VarDecl) {
		int n = vis_nchildren(c);
		if (n > 0) {
			char *var = vis_spell(c);
			after_assign(e->w, var, vis_child(c, n - 1), e->cur);
			free(var);
		}
	}
	return CXChildVisit_Continue;
}

static void walk_expr(struct walk *w, CXCursor c, struct pset *cur)
{
	struct ectx e = {w, cur};
	expr_cb(c, clang_getNullCursor(), &e);
	if (w->noreturn_hit) {  /* panic(), a noreturn switch: nothing after it runs */
		cur->n = 0;
		w->noreturn_hit = false;
	}
}

static bool is_success(struct walk *w, const char *t)
{
	const struct config *cfg = w->v->cfg;
	/* A function family with its own success spellings (allocators that return a pointer:
	 * 0 is their failure) uses only those. */
	for (size_t i = 0; i < cfg->n_families; i++)
		if (w->fname && globs_match(&cfg->families[i].functions, w->fname)) {
			for (size_t j = 0; j < cfg->families[i].success.n; j++)
				if (strcmp(cfg->families[i].success.v[j], t) == 0)
					return true;
			return false;
		}
	if (strcmp(t, "0") == 0)
		return true;
	for (size_t i = 0; i < cfg->success.n; i++)
		if (strcmp(cfg->success.v[i], t) == 0)
			return true;
	return false;
}

/* `if (flag)` / `if (!flag)` on a plain variable: its value on each branch (correlation). */
static void split_flag(struct walk *w, CXCursor cond, struct pset *t, struct pset *e, char **flag)
{
	CXCursor s = vis_strip(cond);
	int val = 1;
	*flag = NULL;
	if (clang_getCursorKind(s) == CXCursor_UnaryOperator) {
		char *txt = vis_text(w->v->tu, s);
		if (txt[0] != '!') {
			free(txt);
			return;
		}
		free(txt);
		val = 0;
		s = vis_strip(vis_child(s, 0));
	}
	if (clang_getCursorKind(s) != CXCursor_DeclRefExpr)
		return;
	enum CXCursorKind rk = clang_getCursorKind(clang_getCursorReferenced(s));
	if (rk != CXCursor_VarDecl && rk != CXCursor_ParmDecl)
		return;
	*flag = vis_spell(s);
	cond_filter(t, *flag, val);
	cond_filter(e, *flag, !val);
}

/* The subject a condition tests for failure, and whether the true branch is its success
 * (`!x`, `x == 0`): `x`, `x != OK`, `x < 0`, `(x = f()) != 0`. A null cursor when the
 * condition is not such a test. */
static CXCursor cond_subject(struct walk *w, CXCursor cond, bool *neg)
{
	CXCursor s = vis_strip(cond);
	*neg = false;
	if (clang_getCursorKind(s) == CXCursor_UnaryOperator) {
		char *txt = vis_text(w->v->tu, s);
		*neg = txt[0] == '!';
		free(txt);
		s = vis_strip(vis_child(s, 0));
	} else if (clang_getCursorKind(s) == CXCursor_BinaryOperator) {
		char *op = vis_binop(w->v->tu, s), *rhs = vis_text(w->v->tu, vis_child(s, 1));
		bool eq = strcmp(op, "==") == 0, ne = strcmp(op, "!=") == 0, lt = strcmp(op, "<") == 0;
		bool ok_rhs = is_success(w, rhs);
		free(op);
		free(rhs);
		if (!((eq || ne) && ok_rhs) && !(lt && ok_rhs))
			return clang_getNullCursor();
		*neg = eq;
		s = vis_strip(vis_child(s, 0));
	}
	if (clang_getCursorKind(s) == CXCursor_BinaryOperator) {  /* if ((err = f()) != 0) */
		char *op = vis_binop(w->v->tu, s);
		bool assign = strcmp(op, "=") == 0;
		free(op);
		if (!assign)
			return clang_getNullCursor();
		s = vis_strip(vis_child(s, 0));
	}
	return s;
}

/* A variable tested for failure: on the failure branch it holds one (and a fallible acquire
 * whose result it is holds nothing); on the success branch, paths where it is known to hold a
 * failure are infeasible. */
static void split_failure_var(const char *var, struct pset *fail, struct pset *ok)
{
	for (int i = 0; i < fail->n; i++) {
		struct pstate *st = &fail->s[i];
		st_fail(st, var, true);
		if (strcmp(st->pvar, var) == 0) {
			st_add(st, st->pkey, -1);  /* the acquire failed: nothing is held */
			memset(st->pvar, 0, sizeof st->pvar + sizeof st->pkey);
		}
	}
	int kept = 0;
	for (int i = 0; i < ok->n; i++) {
		if (st_failed(&ok->s[i], var))
			continue;
		if (strcmp(ok->s[i].pvar, var) == 0)
			memset(ok->s[i].pvar, 0, sizeof ok->s[i].pvar + sizeof ok->s[i].pkey);
		ok->s[kept++] = ok->s[i];
	}
	ok->n = kept;
}

/* A fallible acquire called in the condition itself: on its failure branch nothing is held. */
static void split_failure_call(struct walk *w, CXCursor call, struct pset *fail)
{
	char *n = vis_spell(clang_getCursorReferenced(call)), *key = NULL;
	int dir = 0;
	const struct pair_cfg *p = pair_of(w, n, call, &dir, &key);
	if (p && dir > 0 && p->fallible)
		for (int i = 0; i < fail->n; i++)
			st_add(&fail->s[i], key, -1);
	free(n);
	free(key);
}

/* Which branch of `if (cond)` is the failure of a tested variable or fallible call. */
static void split_cond(struct walk *w, CXCursor cond, struct pset *t, struct pset *e)
{
	bool neg;
	CXCursor s = cond_subject(w, cond, &neg);
	struct pset *fail = neg ? e : t, *ok = neg ? t : e;
	enum CXCursorKind k = clang_Cursor_isNull(s) ? CXCursor_NoDeclFound : clang_getCursorKind(s);
	if (k == CXCursor_DeclRefExpr) {
		char *var = vis_spell(s);
		split_failure_var(var, fail, ok);
		cfg_fail(w, var, fail);
		free(var);
	} else if (k == CXCursor_CallExpr) {
		split_failure_call(w, s, fail);
	}
}

/* Put a return record (deduplicated by its content: line, kind, value and what it holds) with
 * the CFG nodes its path came from. Consumes r's strings when it is a duplicate. */
static void ret_put(struct walk *w, struct ret_path *r, int front)
{
	struct sbuf id = {0};
	sb_printf(&id, "%lld\x1f%s\x1f%s", r->line, r->kind, r->value);
	for (size_t i = 0; i < r->n_held; i++)
		sb_printf(&id, "\x1f%s\x1e%lld", r->held[i].key, r->held[i].count);
	long long ix = smap_get(&w->ret_ix, id.s);
	if (ix < 0) {
		ix = (long long)w->nrets;
		smap_put(&w->ret_ix, id.s, ix);
		w->rets = xrealloc(w->rets, sizeof *w->rets * (w->nrets + 1));
		w->rets[w->nrets++] = *r;
		w->rets[ix].has_preds = true;
	} else {
		for (size_t i = 0; i < r->n_held; i++)
			free(r->held[i].key);
		free(r->held);
		free(r->kind);
		free(r->value);
	}
	sb_free(&id);
	struct idxv *preds = &w->rets[ix].preds;
	const struct ivec *f = &w->fs[front];
	for (int j = 0; j < f->n; j++) {
		bool dup = false;
		for (size_t k = 0; k < preds->n && !dup; k++)
			dup = preds->v[k] == f->v[j];
		if (!dup) {
			preds->v = xrealloc(preds->v, sizeof *preds->v * (preds->n + 1));
			preds->v[preds->n++] = f->v[j];
		}
	}
}

static void record_return(struct walk *w, CXCursor c, CXCursor val, struct pset *cur)
{
	unsigned line;
	vis_where(w->v, c, &line, NULL);
	CXCursor s = clang_Cursor_isNull(val) ? val : vis_strip(val);
	char *txt = clang_Cursor_isNull(val) ? xstrdup("") : vis_text(w->v->tu, s);
	enum CXCursorKind k = clang_Cursor_isNull(s) ? CXCursor_NoDeclFound : clang_getCursorKind(s);
	CXCursor ref = k == CXCursor_DeclRefExpr ? clang_getCursorReferenced(s) : clang_getNullCursor();
	bool is_const = k == CXCursor_IntegerLiteral || k == CXCursor_UnaryOperator ||
			clang_getCursorKind(ref) == CXCursor_EnumConstantDecl;
	for (int i = 0; i < cur->n; i++) {
		const struct pstate *st = &cur->s[i];
		const char *kind = !*txt ? "void" : is_success(w, txt) ? "success" :
			is_const ? "error" :
			(k == CXCursor_DeclRefExpr && st_failed(st, txt)) ? "error" : "unknown";
		struct ret_path r = {line, xstrdup(kind), xstrdup(txt), xcalloc((size_t)st->nk + 1, sizeof *r.held), 0, false, {0}};
		char *hk[MAXK];
		for (int j = 0; j < st->nk; j++)
			hk[j] = xasprintf("%s", st->k[j].key);
		qsort(hk, (size_t)st->nk, sizeof hk[0], cmp_strp);
		for (int j = 0; j < st->nk; j++) {
			for (int m = 0; m < st->nk; m++)
				if (strcmp(st->k[m].key, hk[j]) == 0)
					r.held[r.n_held++] = (struct held){xstrdup(hk[j]), st->k[m].n};
			free(hk[j]);
		}
		ret_put(w, &r, st->front);
	}
	free(txt);
	cur->n = 0;
}

static void walk_children(struct walk *w, CXCursor c, struct pset *cur);

/* `a && b`, `a || b` (or 0 when cond is neither). */
static int logic_op(struct walk *w, CXCursor s)
{
	if (clang_getCursorKind(s) != CXCursor_BinaryOperator)
		return 0;
	char *op = vis_binop(w->v->tu, s);
	int r = !strcmp(op, "&&") ? '&' : !strcmp(op, "||") ? '|' : 0;
	free(op);
	return r;
}

/* `!(a && b)`: the operand of a negation that is a logical operator, else a null cursor. */
static CXCursor negated_logic(struct walk *w, CXCursor s)
{
	if (clang_getCursorKind(s) != CXCursor_UnaryOperator)
		return clang_getNullCursor();
	char *txt = vis_text(w->v->tu, s);
	bool neg = txt[0] == '!';
	free(txt);
	CXCursor in = vis_strip(vis_child(s, 0));
	return neg && logic_op(w, in) ? in : clang_getNullCursor();
}

/* Evaluate a condition on the states of in (consumed) and split them into the states where it
 * is true (t) and false (e), with short-circuit evaluation: in `a && b`, b runs only where a
 * held; in `a || b`, only where it did not. Each leaf is a test split_cond and split_flag read. */
static void branch(struct walk *w, CXCursor cond, struct pset *in, struct pset *t, struct pset *e)
{
	CXCursor s = vis_strip(cond), neg = negated_logic(w, s);
	int lop = logic_op(w, s);
	if (!clang_Cursor_isNull(neg)) {
		branch(w, neg, in, e, t);
		return;
	}
	if (lop) {
		struct pset *ta = ps_new(), *ea = ps_new(), *rest = ps_new();
		branch(w, vis_child(s, 0), in, ta, ea);
		if (lop == '&') {
			branch(w, vis_child(s, 1), ta, t, rest);
			ps_union(w, e, ea);
			ps_union(w, e, rest);
		} else {
			branch(w, vis_child(s, 1), ea, rest, e);
			ps_union(w, t, ta);
			ps_union(w, t, rest);
		}
		free(ta);
		free(ea);
		free(rest);
		return;
	}
	walk_expr(w, cond, in);
	ps_union(w, t, in);
	ps_union(w, e, in);
	char *flag;
	split_flag(w, cond, t, e, &flag);
	free(flag);
	split_cond(w, cond, t, e);
}

static void walk_if(struct walk *w, CXCursor c, struct pset *cur)
{
	int n = vis_nchildren(c);
	CXCursor cond = vis_child(c, 0), sc = vis_strip(cond);
	struct pset *t, *e;
	char *flag = NULL;
	if (logic_op(w, sc) || !clang_Cursor_isNull(negated_logic(w, sc))) {
		t = ps_new();
		e = ps_new();
		branch(w, cond, cur, t, e);
	} else {
		walk_expr(w, cond, cur);
		t = ps_copy(cur);
		e = ps_copy(cur);
		split_flag(w, cond, t, e, &flag);
		split_cond(w, cond, t, e);
	}
	unsigned before = w->pair_events;
	walk_stmt(w, vis_child(c, 1), t);
	if (n >= 3)
		walk_stmt(w, vis_child(c, 2), e);
	if (flag && w->pair_events == before)  /* no pair taken or dropped under it: forget it */
		for (int i = 0; i < t->n || i < e->n; i++) {
			if (i < t->n)
				cond_forget(&t->s[i], flag);
			if (i < e->n)
				cond_forget(&e->s[i], flag);
		}
	free(flag);
	cur->n = 0;
	ps_union(w, cur, t);
	ps_union(w, cur, e);
	free(t);
	free(e);
}

/* A loop without a condition (for (;;)) or with a constant non-zero one (while (1)). */
static bool forever(struct walk *w, CXCursor c, int n)
{
	enum CXCursorKind k = clang_getCursorKind(c);
	if (k == CXCursor_ForStmt) {
		/* for (init; cond; inc) lists only the parts present; without a condition nothing
		 * before the body is an expression that could be false. Be exact: look at the text. */
		char *t = vis_text(w->v->tu, c);
		bool inf = strncmp(t, "for(;;)", 7) == 0;
		free(t);
		return inf;
	}
	if (k == CXCursor_WhileStmt && n == 2) {
		CXCursor cond = vis_strip(vis_child(c, 0));
		char *t = vis_text(w->v->tu, cond);
		bool inf = clang_getCursorKind(cond) == CXCursor_IntegerLiteral && strcmp(t, "0") != 0;
		free(t);
		return inf;
	}
	return false;
}

/* Index of the first child a loop evaluates again on every iteration: a for loop's init runs once. */
static int loop_first_repeated(CXCursor c, int n)
{
	if (clang_getCursorKind(c) != CXCursor_ForStmt || n < 2)
		return 0;
	enum CXCursorKind k = clang_getCursorKind(vis_child(c, 0));
	return k == CXCursor_DeclStmt || (n == 4) ? 1 : 0;
}

static void walk_loop(struct walk *w, CXCursor c, struct pset *cur)
{
	int n = vis_nchildren(c);
	bool is_do = clang_getCursorKind(c) == CXCursor_DoStmt;
	struct pset *ob = w->brk, *oc = w->cont, *body = NULL;
	w->brk = ps_new();
	w->cont = ps_new();
	if (is_do) {
		int h = cfg_join(w, cur);  /* the loop head: the condition's true paths come back here */
		walk_stmt(w, vis_child(c, 0), cur);
		ps_union(w, cur, w->cont);
		walk_expr(w, vis_child(c, 1), cur);
		cfg_into_join(w, h, cur);
	} else {
		int first = loop_first_repeated(c, n), h = -1;
		for (int i = 0; i < n - 1; i++) {
			if (i == first)
				h = cfg_join(w, cur);  /* the loop head, before what every iteration evaluates */
			walk_expr(w, vis_child(c, i), cur);
		}
		if (h < 0)
			h = cfg_join(w, cur);
		/* Walk the body until the states at the loop head stop changing (a fixpoint): what one
		 * iteration acquires is seen by the next. Later walks record nothing new. */
		struct pset *head = ps_copy(cur);
		bool stable = false;
		for (int iter = 0; iter < MAXITER && !stable; iter++) {
			body = ps_copy(head);
			w->replay += iter > 0;
			walk_stmt(w, vis_child(c, n - 1), body);
			ps_union(w, body, w->cont);
			w->replay++;  /* the condition (and increment) again, for the next iteration */
			for (int i = loop_first_repeated(c, n); i < n - 1; i++)
				walk_expr(w, vis_child(c, i), body);
			w->replay--;
			w->replay -= iter > 0;
			cfg_into_join(w, h, body);  /* the back edge */
			int before = head->n;
			ps_union(w, head, body);
			stable = head->n == before;
			free(body);
		}
		if (!stable)
			w->bounds |= BOUND_LOOP;
		cur->n = 0;
		ps_union(w, cur, head);
		if (forever(w, c, n))
			cur->n = 0;  /* for (;;) / while (1): left only through break, return or goto */
		free(head);
	}
	ps_union(w, cur, w->brk);
	free(w->brk);
	free(w->cont);
	w->brk = ob;
	w->cont = oc;
}

static void walk_switch(struct walk *w, CXCursor c, struct pset *cur)
{
	struct pset *ob = w->brk, *oe = w->sw_entry;
	bool od = w->sw_default;
	walk_expr(w, vis_child(c, 0), cur);
	w->brk = ps_new();
	w->sw_entry = ps_copy(cur);
	w->sw_default = false;
	cur->n = 0;
	walk_stmt(w, vis_child(c, 1), cur);
	ps_union(w, cur, w->brk);
	if (!w->sw_default)
		ps_union(w, cur, w->sw_entry);
	free(w->brk);
	free(w->sw_entry);
	w->brk = ob;
	w->sw_entry = oe;
	w->sw_default = od;
}

static void walk_stmt(struct walk *w, CXCursor c, struct pset *cur)
{
	enum CXCursorKind k = clang_getCursorKind(c);
	struct lab *l;
	char *name;
	unsigned line;
	switch (k) {
	case CXCursor_CompoundStmt: walk_children(w, c, cur); break;
	case CXCursor_IfStmt: walk_if(w, c, cur); break;
	case CXCursor_WhileStmt: case CXCursor_ForStmt: case CXCursor_DoStmt: walk_loop(w, c, cur); break;
	case CXCursor_SwitchStmt: walk_switch(w, c, cur); break;
	case CXCursor_CaseStmt: case CXCursor_DefaultStmt:
		if (w->sw_entry)
			ps_union(w, cur, w->sw_entry);
		w->sw_default = w->sw_default || k == CXCursor_DefaultStmt;
		walk_stmt(w, vis_child(c, vis_nchildren(c) - 1), cur);
		break;
	case CXCursor_ReturnStmt:
		if (vis_nchildren(c) > 0)
			walk_expr(w, vis_child(c, 0), cur);
		record_return(w, c, vis_nchildren(c) > 0 ? vis_child(c, 0) : clang_getNullCursor(), cur);
		break;
	case CXCursor_GotoStmt:
		name = vis_spell(clang_getCursorReferenced(vis_child(c, 0)));
		l = lab_get(w, name);
		l->gotos += !w->replay;
		ps_union(w, l->ps, cur);
		if (l->join >= 0)  /* a label already walked: a backward goto */
			cfg_into_join(w, l->join, cur);
		cur->n = 0;
		free(name);
		break;
	case CXCursor_LabelStmt:
		name = vis_spell(c);
		l = lab_get(w, name);
		vis_where(w->v, c, &line, NULL);
		l->line = line;
		ps_union(w, cur, l->ps);
		if (l->join < 0)
			l->join = cfg_join(w, cur);
		else
			cfg_enter(w, l->join, -2 - l->join, cur, true);
		w->label = l->name;
		free(name);
		walk_stmt(w, vis_child(c, 0), cur);
		break;
	case CXCursor_BreakStmt: if (w->brk) ps_union(w, w->brk, cur); cur->n = 0; break;
	case CXCursor_ContinueStmt: if (w->cont) ps_union(w, w->cont, cur); cur->n = 0; break;
	case CXCursor_NullStmt: break;
	default: walk_expr(w, c, cur); break;
	}
}

static enum CXChildVisitResult child_cb(CXCursor c, CXCursor p, CXClientData d)
{
	struct ectx *e = d;
	(void)p;
	walk_stmt(e->w, c, e->cur);
	return CXChildVisit_Continue;
}

static void walk_children(struct walk *w, CXCursor c, struct pset *cur)
{
	struct ectx e = {w, cur};
	clang_visitChildren(c, child_cb, &e);
}

static enum CXChildVisitResult body_cb(CXCursor c, CXCursor p, CXClientData d)
{
	(void)p;
	if (clang_getCursorKind(c) == CXCursor_CompoundStmt) {
		*(CXCursor *)d = c;
		return CXChildVisit_Break;
	}
	return CXChildVisit_Continue;
}

static int cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;
	return (x > y) - (x < y);
}

static void stability(struct walk *w, CXCursor fn, const struct function *out)
{
	const struct config *cfg = w->v->cfg;
	char *name = vis_spell(fn);
	for (size_t i = 0; i < out->annotations.n; i++)
		if (globs_match(&cfg->stable_annotations, out->annotations.v[i]))
			w->fn_stable = true, w->stable_reason = "annotation";
	for (size_t i = 0; i < cfg->stable_suffixes.n; i++) {
		const char *s = cfg->stable_suffixes.v[i];
		size_t ln = strlen(name), ls = strlen(s);
		if (!w->fn_stable && ln >= ls && strcmp(name + ln - ls, s) == 0)
			w->fn_stable = true, w->stable_reason = "suffix";
	}
	free(name);
}

void paths_walk(struct vctx *v, CXCursor fn, struct function *out)
{
	struct walk w = {.v = v, .fn = fn, .out = out};
	cur_walk = &w;
	char *fname = vis_spell(fn);
	w.fname = fname;
	CXCursor body = clang_getNullCursor();
	struct pset *cur = ps_new();
	stability(&w, fn, out);
	clang_visitChildren(fn, body_cb, &body);
	cur->n = 1;
	cur->s[0].front = fs_single(&w, -1);  /* the function's entry */
	walk_stmt(&w, body, cur);
	uaccess_scan(v, fn, body, out);
	if (cur->n > 0) {  /* falling off the end: an implicit return at the closing brace */
		CXSourceLocation end = clang_getRangeEnd(clang_getCursorExtent(body));
		unsigned line;
		clang_getSpellingLocation(end, NULL, &line, NULL, NULL);
		for (int i = 0; i < cur->n; i++) {
			const struct pstate *st = &cur->s[i];
			struct ret_path r = {line, xstrdup("void"), xstrdup(""), xcalloc((size_t)st->nk + 1, sizeof *r.held),
					     0, false, {0}};
			for (int j = 0; j < st->nk; j++)
				r.held[r.n_held++] = (struct held){xstrdup(st->k[j].key), st->k[j].n};
			ret_put(&w, &r, st->front);
		}
	}
	for (size_t i = 0; i < w.nrets; i++)
		if (w.rets[i].preds.n)
			qsort(w.rets[i].preds.v, w.rets[i].preds.n, sizeof *w.rets[i].preds.v, cmp_ll);
	out->returns = w.rets;
	out->n_returns = w.nrets;
	smap_free(&w.ret_ix);
	/* The CFG: per node [site, predecessors...] (site: call index, -2 a join, -3 - t a failure). */
	if ((size_t)w.ncall != out->n_calls) {
		fprintf(stderr, "inventory: internal error: %d CFG sites for %zu calls\n", w.ncall, out->n_calls);
		abort();
	}
	out->has_cfg = true;
	out->n_cfg = (size_t)w.nn;
	out->cfg = xcalloc(w.nn ? (size_t)w.nn : 1, sizeof *out->cfg);
	for (int i = 0; i < w.nn; i++) {
		struct ivec *p = &w.nodes[i].preds;
		if (p->n)
			qsort(p->v, (size_t)p->n, sizeof *p->v, cmp_int);
		struct idxv *d = &out->cfg[i];
		d->n = (size_t)p->n + 1;
		d->v = xcalloc(d->n, sizeof *d->v);
		d->v[0] = w.nodes[i].site;
		for (int j = 0; j < p->n; j++)
			d->v[j + 1] = p->v[j];
		free(p->v);
	}
	for (int i = 0; i < w.nfv; i++) {
		strv_push(&out->fail_vars, w.fvars[i]);
		free(w.fvars[i]);
		free(w.finst[i].v);
	}
	free(w.fvars);
	free(w.finst);
	for (int i = 0; i < w.ncall; i++)
		free(w.cinst[i].v);
	for (int i = 0; i < w.nj; i++)
		free(w.jinst[i].v);
	for (int i = 0; i < w.nfs; i++)
		free(w.fs[i].v);
	free(w.fs);
	free(w.nodes);
	free(w.cinst);
	free(w.ccur);
	free(w.jinst);
	out->labels = xcalloc(w.nlabs ? (size_t)w.nlabs : 1, sizeof *out->labels);
	out->n_labels = (size_t)w.nlabs;
	for (int i = 0; i < w.nlabs; i++) {
		out->labels[i] = (struct label){w.labs[i].name, w.labs[i].line, w.labs[i].gotos};
		free(w.labs[i].ps);
	}
	free(w.labs);
	free(cur);
	for (unsigned b = 0; b < sizeof bound_text / sizeof bound_text[0]; b++)
		if (w.bounds & (1u << b))
			strv_push(&out->bounds, bound_text[b]);
	cur_walk = NULL;
	free(fname);
}
