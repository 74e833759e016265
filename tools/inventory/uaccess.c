/* uaccess.c: user addresses used as kernel memory (INV028), for any kernel.
 *
 * A user address is a value the user chose: a parameter whose declaration carries the config's
 * `user_addresses.marker` token (`struct rusage __user *rup`, though `__user` expands to
 * nothing), a local variable a `user_addresses.sources` function fills (`argaddr(0, &addr)`,
 * `addr = fetch_user_arg(...)`), or a member named by `user_addresses.fields` ("STRUCT.MEMBER":
 * capOS `invocation.a`, whose elements `inv->a[i]` are the caller's argument registers). Such a
 * value may only be handed on (to the copy helpers, role user_copy, or to another function); a
 * dereference of it, a member or an element of it read or written, through any cast
 * (`*(struct pstat *)addr = st`, `rup->ru_maxrss = x`), or an integer one cast to a pointer
 * (`memcpy(buf, (void *)inv->a[0], n)`) lets the kernel touch whatever the user named. Taking
 * an address (`&rup->ru_resident`) touches nothing; the arguments of a user_copy call are not
 * looked into.
 *
 * One flow-insensitive pass over the function body, after the path walker: the variables are
 * collected first, then every use of one as memory is recorded in the function's `uderefs`.
 * Not followed: a user address copied into another variable, or passed to a function that
 * dereferences its parameter (the callee has no marker and no source). */
#include "visit.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

struct uctx {
	struct vctx *v;
	struct function *out;
	struct strv vars;  /* names of the variables holding user addresses */
	char *text;        /* the last field element user_value() named */
};

static bool is_source(const struct config *cfg, CXCursor call)
{
	if (clang_getCursorKind(call) != CXCursor_CallExpr || !cfg->user_sources.n)
		return false;
	char *name = vis_spell(call);
	bool hit = name && *name && globs_match(&cfg->user_sources, name);
	free(name);
	return hit;
}

static void add_var(struct uctx *u, CXCursor declref)
{
	if (clang_getCursorKind(declref) != CXCursor_DeclRefExpr)
		return;
	char *n = vis_spell(declref);
	if (n && *n && !strv_has(&u->vars, n))
		strv_push(&u->vars, n);
	free(n);
}

/* Is member reference m one of user_addresses.fields ("STRUCT.MEMBER")? */
static bool user_field(struct uctx *u, CXCursor m)
{
	const struct config *cfg = u->v->cfg;
	if (clang_getCursorKind(m) != CXCursor_MemberRefExpr || !cfg->user_fields.n)
		return false;
	CXCursor d = clang_getCursorReferenced(m);
	char *mem = vis_spell(d), *st = vis_spell(clang_getCursorSemanticParent(d));
	char *key = xasprintf("%s.%s", st ? st : "", mem ? mem : "");
	bool hit = false;
	for (size_t i = 0; i < cfg->user_fields.n; i++)
		if (glob_match(cfg->user_fields.v[i], key)) {
			hit = true;
			if (!strv_has(&u->out->ufields, cfg->user_fields.v[i])) {  /* seen: the config check */
				strv_push(&u->out->ufields, cfg->user_fields.v[i]);
				strv_sort_uniq(&u->out->ufields);
			}
		}
	free(mem);
	free(st);
	free(key);
	return hit;
}

/* If e (through casts and parentheses) is a user address, its name: the variable, or the
 * field element's text (`inv->a[0]`, into u->text); else NULL. An array field is not itself an
 * address: its elements are. */
static const char *user_value(struct uctx *u, CXCursor e)
{
	CXCursor x = vis_strip(e);
	enum CXCursorKind k = clang_getCursorKind(x);
	if (k == CXCursor_DeclRefExpr) {
		char *n = vis_spell(x);
		const char *hit = NULL;
		for (size_t i = 0; n && i < u->vars.n && !hit; i++)
			if (!strcmp(u->vars.v[i], n))
				hit = u->vars.v[i];
		free(n);
		return hit;
	}
	bool elem = k == CXCursor_ArraySubscriptExpr && vis_nchildren(x) == 2 && user_field(u, vis_strip(vis_child(x, 0)));
	bool scalar = k == CXCursor_MemberRefExpr && user_field(u, x) &&
		      clang_getCanonicalType(clang_getCursorType(x)).kind != CXType_ConstantArray;
	if (!elem && !scalar)
		return NULL;
	free(u->text);
	u->text = vis_text(u->v->tu, x);
	return u->text;
}

static bool is_integer(CXType t)
{
	enum CXTypeKind k = clang_getCanonicalType(t).kind;
	return k >= CXType_Char_U && k <= CXType_LongLong && k != CXType_Bool;
}

static bool is_user_copy(struct uctx *u, CXCursor call)
{
	char *n = vis_spell(call);
	bool hit = n && *n && config_role(u->v->cfg, n) == ROLE_USER_COPY;
	free(n);
	return hit;
}

static enum CXChildVisitResult collect_cb(CXCursor c, CXCursor parent, CXClientData d)
{
	struct uctx *u = d;
	const struct config *cfg = u->v->cfg;
	enum CXCursorKind k = clang_getCursorKind(c);
	(void)parent;
	if (k == CXCursor_CallExpr && is_source(cfg, c)) {  /* src(..., &var, ...) */
		for (int i = 1; i < vis_nchildren(c); i++) {
			CXCursor a = vis_strip(vis_child(c, i));
			if (clang_getCursorKind(a) == CXCursor_UnaryOperator && vis_nchildren(a) == 1) {
				char *t = vis_text(u->v->tu, a);
				if (t[0] == '&')
					add_var(u, vis_strip(vis_child(a, 0)));
				free(t);
			}
		}
	} else if (k == CXCursor_BinaryOperator && vis_nchildren(c) == 2 && is_source(cfg, vis_strip(vis_child(c, 1)))) {
		char *op = vis_binop(u->v->tu, c);
		if (!strcmp(op, "="))  /* var = src(...) */
			add_var(u, vis_strip(vis_child(c, 0)));
		free(op);
	} else if (k == CXCursor_VarDecl && vis_nchildren(c) > 0 &&
		   is_source(cfg, vis_strip(vis_child(c, vis_nchildren(c) - 1)))) {
		char *n = vis_spell(c);  /* T var = src(...) */
		if (n && *n && !strv_has(&u->vars, n))
			strv_push(&u->vars, n);
		free(n);
	}
	return CXChildVisit_Recurse;
}

static void record(struct uctx *u, CXCursor c, const char *var)
{
	unsigned line, col;
	vis_where(u->v, c, &line, &col);
	for (size_t i = 0; i < u->out->n_uderefs; i++)
		if (u->out->uderefs[i].line == line && !strcmp(u->out->uderefs[i].var, var))
			return;  /* one per line and variable */
	u->out->uderefs = xrealloc(u->out->uderefs, sizeof *u->out->uderefs * (u->out->n_uderefs + 1));
	u->out->uderefs[u->out->n_uderefs++] = (struct user_deref){line, xstrdup(var), vis_text(u->v->tu, c)};
}

static enum CXChildVisitResult use_cb(CXCursor c, CXCursor parent, CXClientData d)
{
	struct uctx *u = d;
	enum CXCursorKind k = clang_getCursorKind(c);
	if (k == CXCursor_CallExpr && is_user_copy(u, c))
		return CXChildVisit_Continue;  /* the copy helpers take user addresses */
	if (k == CXCursor_UnaryOperator && vis_nchildren(c) == 1) {
		char *t = vis_text(u->v->tu, c);
		bool addr = t[0] == '&' && t[1] != '&', deref = t[0] == '*';
		free(t);
		if (addr)  /* &x->f, &x[i]: an address computed, nothing touched */
			return CXChildVisit_Continue;
		const char *var = deref ? user_value(u, vis_child(c, 0)) : NULL;
		if (var)
			record(u, c, var);
	} else if ((k == CXCursor_MemberRefExpr || k == CXCursor_ArraySubscriptExpr) && vis_nchildren(c) >= 1) {
		CXCursor base = vis_strip(vis_child(c, 0));
		const char *var = user_value(u, vis_child(c, 0));
		/* x->f (a pointer base: the member lives where x points), x[i]; not inv->a[i] itself */
		bool field_elem = k == CXCursor_ArraySubscriptExpr && user_field(u, base);
		if (var && !field_elem &&
		    (k == CXCursor_ArraySubscriptExpr ||
		     clang_getCanonicalType(clang_getCursorType(base)).kind == CXType_Pointer))
			record(u, c, var);
	} else if (k == CXCursor_CStyleCastExpr && vis_nchildren(c) >= 1 &&
		   clang_getCanonicalType(clang_getCursorType(c)).kind == CXType_Pointer) {
		/* An integer user address made a pointer: (void *)(uintptr_t)inv->a[0] */
		CXCursor x = vis_child(c, vis_nchildren(c) - 1);
		const char *var = user_value(u, x);
		if (var && is_integer(clang_getCursorType(vis_strip(x))))
			record(u, c, var);
	}
	(void)parent;
	return CXChildVisit_Recurse;
}

static enum CXChildVisitResult param_cb(CXCursor c, CXCursor parent, CXClientData d)
{
	struct uctx *u = d;
	(void)parent;
	if (clang_getCursorKind(c) == CXCursor_ParmDecl) {
		char *t = vis_text(u->v->tu, c), *n = vis_spell(c);
		if (n && *n && has_word(t, u->v->cfg->user_marker))
			strv_push(&u->vars, n);
		free(t);
		free(n);
	}
	return CXChildVisit_Continue;
}

void uaccess_scan(struct vctx *v, CXCursor fn, CXCursor body, struct function *out)
{
	const struct config *cfg = v->cfg;
	if (!cfg->user_sources.n && !cfg->user_marker && !cfg->user_fields.n)
		return;
	struct uctx u = {v, out, {0}, NULL};
	if (cfg->user_marker)
		clang_visitChildren(fn, param_cb, &u);
	if (cfg->user_sources.n)
		clang_visitChildren(body, collect_cb, &u);
	if (u.vars.n || cfg->user_fields.n)
		clang_visitChildren(body, use_cb, &u);
	strv_free(&u.vars);
	free(u.text);
}
