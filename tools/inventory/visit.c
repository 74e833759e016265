/* visit.c: one TU's AST -> facts: function definitions and declarations, static
 * function-pointer tables (the dispatch tables), state enums. Bodies go to paths.c. */
#include "visit.h"
#include "util.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

const char *vis_where(struct vctx *v, CXCursor c, unsigned *line, unsigned *col)
{
	CXFile f;
	unsigned l, cl;
	clang_getSpellingLocation(clang_getCursorLocation(c), &f, &l, &cl, NULL);
	if (!f)
		return NULL;
	CXString name = clang_getFileName(f);
	const char *fn = clang_getCString(name);
	long long hit = fn ? smap_get(&v->scope, fn) : -2;
	if (fn && hit == -1) {
		char *norm = path_normalize(fn), *rel = relpath_under(v->cfg->root_dir, norm);
		if (rel && config_in_scope(v->cfg, rel)) {
			hit = (long long)v->scope_rel.n;
			strv_push(&v->scope_rel, rel);
		} else {
			hit = -2;
		}
		smap_put(&v->scope, fn, hit);
		free(norm);
		free(rel);
	}
	clang_disposeString(name);
	if (line)
		*line = l;
	if (col)
		*col = cl;
	return hit >= 0 ? v->scope_rel.v[hit] : NULL;
}

/* The cursor's extent as written in the file being read. clang_getFileLocation() maps a macro
 * argument to where it is spelled inside the invocation (KASSERT(f(x)) -> "x") and code from a
 * macro's body to the invocation that names it (RACCT_RSS). At least one token. */
static CXSourceRange written_range(CXTranslationUnit tu, CXCursor c)
{
	CXSourceRange r = clang_getCursorExtent(c);
	CXFile fs, fe;
	unsigned os, oe;
	clang_getFileLocation(clang_getRangeStart(r), &fs, NULL, NULL, &os);
	clang_getFileLocation(clang_getRangeEnd(r), &fe, NULL, NULL, &oe);
	if (!fs || !fe || !clang_File_isEqual(fs, fe))
		return clang_getNullRange();
	if (oe <= os)
		oe = os + 1;
	return clang_getRange(clang_getLocationForOffset(tu, fs, os), clang_getLocationForOffset(tu, fs, oe));
}

char *vis_text(CXTranslationUnit tu, CXCursor c)
{
	CXToken *toks;
	unsigned n;
	struct sbuf b = {0};
	bool prev_word = false;
	sb_puts(&b, "");
	clang_tokenize(tu, written_range(tu, c), &toks, &n);
	for (unsigned i = 0; i < n && b.n < 120; i++) {
		CXString s = clang_getTokenSpelling(tu, toks[i]);
		const char *t = clang_getCString(s);
		bool word = isalnum((unsigned char)t[0]) || t[0] == '_';
		if (word && prev_word)
			sb_puts(&b, " ");
		sb_puts(&b, t);
		prev_word = word;
		clang_disposeString(s);
	}
	clang_disposeTokens(tu, toks, n);
	return b.s;
}

static bool same_range(CXSourceRange a, CXSourceRange b)
{
	unsigned as, ae, bs, be;
	CXFile fa, fb;
	clang_getFileLocation(clang_getRangeStart(a), &fa, NULL, NULL, &as);
	clang_getFileLocation(clang_getRangeEnd(a), NULL, NULL, NULL, &ae);
	clang_getFileLocation(clang_getRangeStart(b), &fb, NULL, NULL, &bs);
	clang_getFileLocation(clang_getRangeEnd(b), NULL, NULL, NULL, &be);
	return fa && fb && clang_File_isEqual(fa, fb) && as == bs && ae == be;
}

static CXCursor strip_implicit(CXCursor c)
{
	while ((clang_getCursorKind(c) == CXCursor_UnexposedExpr || clang_getCursorKind(c) == CXCursor_ParenExpr) &&
	       vis_nchildren(c) == 1)
		c = vis_child(c, 0);
	return c;
}

static CXType ctype(CXCursor c) { return clang_getCanonicalType(clang_getCursorType(c)); }
static CXType ctype_of_pointee(CXType t) { return clang_getCanonicalType(clang_getPointeeType(t)); }

/* Writes expression c as vis_text() would have tokenised it had it been written out: names,
 * `->`/`.` member access, `&`, `*` and `[]`; parentheses dropped. libclang 14 has no expression
 * printer and does not say which unary operator a node is: `&` and `*` are told apart by how
 * the operand's type relates to the result's. False for anything else. */
static bool write_expr(CXCursor c, struct sbuf *b)
{
	c = strip_implicit(c);
	CXString sp = clang_getCursorSpelling(c);
	const char *name = clang_getCString(sp);
	bool ok = true;
	switch (clang_getCursorKind(c)) {
	case CXCursor_DeclRefExpr:
		sb_puts(b, name);
		break;
	case CXCursor_MemberRefExpr:
		ok = vis_nchildren(c) == 1 && write_expr(vis_child(c, 0), b);
		if (ok)
			sb_printf(b, "%s%s", ctype(strip_implicit(vis_child(c, 0))).kind == CXType_Pointer ? "->" : ".", name);
		break;
	case CXCursor_ArraySubscriptExpr:
		ok = vis_nchildren(c) == 2 && write_expr(vis_child(c, 0), b);
		sb_puts(b, "[");
		ok = ok && write_expr(vis_child(c, 1), b);
		sb_puts(b, "]");
		break;
	case CXCursor_UnaryOperator: {
		CXCursor op = vis_nchildren(c) == 1 ? strip_implicit(vis_child(c, 0)) : clang_getNullCursor();
		CXType rt = ctype(c), ot = ctype(op);
		if (rt.kind == CXType_Pointer && clang_equalTypes(ctype_of_pointee(rt), ot))
			sb_puts(b, "&");
		else if (ot.kind == CXType_Pointer && clang_equalTypes(ctype_of_pointee(ot), rt))
			sb_puts(b, "*");
		else
			ok = false;
		ok = ok && write_expr(op, b);
		break;
	}
	default:
		ok = false;
	}
	clang_disposeString(sp);
	return ok;
}

char *vis_arg_text(CXTranslationUnit tu, CXCursor call, CXCursor arg)
{
	CXSourceRange ra = written_range(tu, arg), rc = written_range(tu, call);
	if (!same_range(ra, rc))  /* also when either is the null range */
		return vis_text(tu, arg);
	struct sbuf b = {0};
	sb_puts(&b, "");
	if (write_expr(arg, &b))
		return b.s;
	free(b.s);
	return vis_text(tu, arg);
}

char *vis_binop(CXTranslationUnit tu, CXCursor c)
{
	CXCursor lhs = vis_child(c, 0);
	CXSourceRange lr = clang_getCursorExtent(lhs);
	unsigned lend;
	CXToken *toks;
	unsigned n;
	char *op = NULL;
	clang_getSpellingLocation(clang_getRangeEnd(lr), NULL, NULL, NULL, &lend);
	clang_tokenize(tu, clang_getCursorExtent(c), &toks, &n);
	for (unsigned i = 0; i < n && !op; i++) {
		unsigned off;
		clang_getSpellingLocation(clang_getTokenLocation(tu, toks[i]), NULL, NULL, NULL, &off);
		if (off >= lend && clang_getTokenKind(toks[i]) == CXToken_Punctuation) {
			CXString s = clang_getTokenSpelling(tu, toks[i]);
			op = xstrdup(clang_getCString(s));
			clang_disposeString(s);
		}
	}
	clang_disposeTokens(tu, toks, n);
	return op ? op : xstrdup("");
}

struct nth { int want, at; CXCursor found; };

static enum CXChildVisitResult nth_cb(CXCursor c, CXCursor p, CXClientData d)
{
	struct nth *s = d;
	(void)p;
	if (s->at++ == s->want) {
		s->found = c;
		return CXChildVisit_Break;
	}
	return CXChildVisit_Continue;
}

CXCursor vis_child(CXCursor c, int n)
{
	struct nth s = {n, 0, clang_getNullCursor()};
	clang_visitChildren(c, nth_cb, &s);
	return s.found;
}

int vis_nchildren(CXCursor c)
{
	struct nth s = {-1, 0, clang_getNullCursor()};
	clang_visitChildren(c, nth_cb, &s);
	return s.at;
}

CXCursor vis_strip(CXCursor c)
{
	while (clang_getCursorKind(c) == CXCursor_UnexposedExpr ||
	       clang_getCursorKind(c) == CXCursor_ParenExpr ||
	       clang_getCursorKind(c) == CXCursor_CStyleCastExpr) {
		int n = vis_nchildren(c);
		if (n == 0)
			break;
		c = vis_child(c, n - 1);
	}
	return c;
}

static char *usr_of(CXCursor c)
{
	CXString u = clang_getCursorUSR(clang_getCanonicalCursor(c));
	char *r = xstrdup(clang_getCString(u));
	clang_disposeString(u);
	return r;
}

char *vis_spell(CXCursor c)
{
	CXString s = clang_getCursorSpelling(c);
	char *r = xstrdup(clang_getCString(s));
	clang_disposeString(s);
	return r;
}

static enum CXChildVisitResult annot_cb(CXCursor c, CXCursor p, CXClientData d)
{
	(void)p;
	if (clang_getCursorKind(c) == CXCursor_AnnotateAttr) {
		char *s = vis_spell(c);
		struct strv *arr = d;
		bool dup = false;
		for (size_t i = 0; i < arr->n; i++)
			dup = dup || strcmp(arr->v[i], s) == 0;
		if (!dup)  /* a prototype's annotation is reported again on the definition */
			strv_push(arr, s);
		free(s);
	}
	return CXChildVisit_Continue;
}

/* The text after the config's TLB prefix ("TLB: shootdown." -> "shootdown"), or NULL. */
static char *tlb_after(const struct config *cfg, const char *t, const char *end)
{
	const char *p = t;
	size_t pl = strlen(cfg->tlb_comment);
	for (; p && p + pl <= end; p++)
		if (strncmp(p, cfg->tlb_comment, pl) == 0)
			break;
	if (!p || p + pl > end)
		return NULL;
	p += pl;
	while (p < end && *p == ' ')
		p++;
	size_t n = 0;
	while (p + n < end && p[n] != '\n' && p[n] != '*' &&
	       !(p[n] == '.' && (p + n + 1 >= end || p[n + 1] == ' ' || p[n + 1] == '\n')))
		n++;
	while (n && p[n - 1] == ' ')
		n--;
	return xasprintf("%.*s", (int)n, p);
}

/* Who flushes, as the function says: its comment (or its prototype's), else a comment in its
 * body ("TLB: none needed: ..." beside the unmap). */
static char *tlb_comment(struct vctx *v, CXCursor fn)
{
	CXCursor cands[2] = {fn, clang_getCanonicalCursor(fn)};
	for (int k = 0; k < 2; k++) {
		CXString rc = clang_Cursor_getRawCommentText(cands[k]);
		const char *t = clang_getCString(rc);
		char *r = t ? tlb_after(v->cfg, t, t + strlen(t)) : NULL;
		clang_disposeString(rc);
		if (r)
			return r;
	}
	CXSourceRange ext = clang_getCursorExtent(fn);
	CXFile f;
	unsigned so, eo;
	size_t size;
	clang_getSpellingLocation(clang_getRangeStart(ext), &f, NULL, NULL, &so);
	clang_getSpellingLocation(clang_getRangeEnd(ext), NULL, NULL, NULL, &eo);
	const char *text = f ? clang_getFileContents(v->tu, f, &size) : NULL;
	return text && so < eo && eo <= size ? tlb_after(v->cfg, text + so, text + eo) : NULL;
}

static void visit_function(struct vctx *v, CXCursor c)
{
	unsigned line;
	const char *rel = vis_where(v, c, &line, NULL);
	if (!rel)
		return;
	char *usr = usr_of(c), *name = vis_spell(c);
	struct model *o = v->out;
	if (!clang_isCursorDefinition(c)) {
		if (smap_get(&v->decl_ix, usr) < 0) {
			smap_put(&v->decl_ix, usr, (long long)o->n_decls);
			o->decls = xrealloc(o->decls, sizeof *o->decls * (o->n_decls + 1));
			o->decls[o->n_decls++] = (struct decl){xstrdup(usr), xstrdup(name), xstrdup(rel), line};
		}
	} else {
		long long ix = smap_get(&v->fn_ix, usr);
		if (ix < 0) {
			ix = (long long)o->n_functions;
			smap_put(&v->fn_ix, usr, ix);
			o->functions = xrealloc(o->functions, sizeof *o->functions * (o->n_functions + 1));
			o->n_functions++;
		} else {  /* a second definition in one TU: the later one, as before */
			model_function_free(&o->functions[ix]);
		}
		struct function *f = &o->functions[ix];
		memset(f, 0, sizeof *f);
		f->usr = xstrdup(usr);
		f->name = xstrdup(name);
		f->file = xstrdup(rel);
		f->line = line;
		f->is_static = clang_Cursor_getStorageClass(c) == CX_SC_Static;
		f->tlb = tlb_comment(v, c);
		for (int i = 0; i < clang_Cursor_getNumArguments(c); i++) {
			char *pn = vis_spell(clang_Cursor_getArgument(c, (unsigned)i));
			strv_push(&f->params, pn);
			free(pn);
		}
		clang_visitChildren(c, annot_cb, &f->annotations);
		clang_visitChildren(clang_getCanonicalCursor(c), annot_cb, &f->annotations);
		paths_walk(v, c, f);
	}
	free(usr);
	free(name);
}

/* Designated initializer: UnexposedExpr{designator..., value}. */
/* The entries of a table being read. */
struct tentries { struct table_entry *v; size_t n; };

static void table_entries(struct vctx *v, CXCursor init, const char *prefix, struct tentries *out);

static void table_value(struct vctx *v, CXCursor val, const char *key, struct tentries *out)
{
	val = vis_strip(val);
	enum CXCursorKind k = clang_getCursorKind(val);
	if (k == CXCursor_InitListExpr) {
		table_entries(v, val, key, out);
	} else if (k == CXCursor_DeclRefExpr || k == CXCursor_UnaryOperator) {
		CXCursor ref = clang_getCursorReferenced(k == CXCursor_UnaryOperator ? vis_strip(vis_child(val, 0)) : val);
		if (clang_getCursorKind(ref) == CXCursor_FunctionDecl) {
			out->v = xrealloc(out->v, sizeof *out->v * (out->n + 1));
			out->v[out->n++] = (struct table_entry){xstrdup(key), vis_spell(ref), usr_of(ref)};
		}
	}
}

/*
 * One initializer list being read. fields[] names the members of a struct initializer in
 * declaration order, so a positional entry ({ f, g }) is keyed by its member like a designated
 * one (.alloc = f): calls through that member then resolve to it.
 */
#define TABLE_MAX_FIELDS 64
struct tctx {
	struct vctx *v;
	const char *prefix;
	struct tentries *out;
	int index;
	int nfields;
	char *fields[TABLE_MAX_FIELDS];
};

static enum CXVisitorResult field_cb(CXCursor c, CXClientData d)
{
	struct tctx *t = d;
	if (t->nfields == TABLE_MAX_FIELDS)
		return CXVisit_Break;
	t->fields[t->nfields++] = vis_spell(c);
	return CXVisit_Continue;
}

static enum CXChildVisitResult table_cb(CXCursor c, CXCursor p, CXClientData d)
{
	struct tctx *t = d;
	char *key = NULL;
	CXCursor val = c;
	(void)p;
	if (clang_getCursorKind(c) == CXCursor_UnexposedExpr && vis_nchildren(c) >= 2) {
		CXCursor des = vis_child(c, 0);
		enum CXCursorKind dk = clang_getCursorKind(des);
		if (dk == CXCursor_MemberRef || dk == CXCursor_DeclRefExpr || dk == CXCursor_IntegerLiteral) {
			char *s = dk == CXCursor_IntegerLiteral ? vis_text(t->v->tu, des) : vis_spell(des);
			key = xasprintf("%s%s%s", t->prefix, *t->prefix ? "." : "", s);
			free(s);
			val = vis_child(c, vis_nchildren(c) - 1);
		}
	}
	if (!key && t->index < t->nfields)
		key = xasprintf("%s%s%s", t->prefix, *t->prefix ? "." : "", t->fields[t->index]);
	if (!key)
		key = xasprintf("%s%s%d", t->prefix, *t->prefix ? "." : "", t->index);
	t->index++;
	table_value(t->v, val, key, t->out);
	free(key);
	return CXChildVisit_Continue;
}

static void table_entries(struct vctx *v, CXCursor init, const char *prefix, struct tentries *out)
{
	struct tctx t = {.v = v, .prefix = prefix, .out = out};
	CXType ty = clang_getCanonicalType(clang_getCursorType(init));
	if (ty.kind == CXType_Record)
		clang_Type_visitFields(ty, field_cb, &t);
	clang_visitChildren(init, table_cb, &t);
	for (int i = 0; i < t.nfields; i++)
		free(t.fields[i]);
}

static char *type_key(CXType t)
{
	t = clang_getCanonicalType(t);
	while (t.kind == CXType_ConstantArray || t.kind == CXType_IncompleteArray)
		t = clang_getCanonicalType(clang_getArrayElementType(t));
	CXCursor d = clang_getTypeDeclaration(t);
	if (!clang_Cursor_isNull(d) && clang_getCursorKind(d) != CXCursor_NoDeclFound)
		return usr_of(d);
	CXString s = clang_getTypeSpelling(t);
	char *r = xstrdup(clang_getCString(s));
	clang_disposeString(s);
	return r;
}

static enum CXChildVisitResult find_init(CXCursor c, CXCursor p, CXClientData d)
{
	(void)p;
	if (clang_getCursorKind(c) == CXCursor_InitListExpr) {
		*(CXCursor *)d = c;
		return CXChildVisit_Break;
	}
	return CXChildVisit_Continue;
}

static void visit_var(struct vctx *v, CXCursor c)
{
	unsigned line;
	const char *rel = vis_where(v, c, &line, NULL);
	CXCursor init = clang_getNullCursor();
	if (!rel || !clang_isCursorDefinition(c))
		return;
	clang_visitChildren(c, find_init, &init);
	if (clang_Cursor_isNull(init))
		return;
	struct tentries entries = {0};
	table_entries(v, init, "", &entries);
	if (entries.n == 0) {
		free(entries.v);
		return;
	}
	char *usr = usr_of(c), *name = vis_spell(c), *tk = type_key(clang_getCursorType(c));
	struct model *o = v->out;
	long long ix = smap_get(&v->table_ix, usr);
	if (ix < 0) {
		ix = (long long)o->n_tables;
		smap_put(&v->table_ix, usr, ix);
		o->tables = xrealloc(o->tables, sizeof *o->tables * (o->n_tables + 1));
		o->n_tables++;
	} else {  /* a later definition replaces an earlier one */
		struct table *t = &o->tables[ix];
		for (size_t i = 0; i < t->n_entries; i++)
			free(t->entries[i].key), free(t->entries[i].name), free(t->entries[i].usr);
		free(t->entries), free(t->usr), free(t->name), free(t->file), free(t->type);
	}
	o->tables[ix] = (struct table){usr, name, xstrdup(rel), tk, line, clang_Cursor_getStorageClass(c) == CX_SC_Static,
				       entries.v, entries.n};
}

static enum CXChildVisitResult enum_cb(CXCursor c, CXCursor p, CXClientData d)
{
	(void)p;
	if (clang_getCursorKind(c) == CXCursor_EnumConstantDecl) {
		char *s = vis_spell(c);
		strv_push(d, s);
		free(s);
	}
	return CXChildVisit_Continue;
}

static void visit_enum(struct vctx *v, CXCursor c)
{
	unsigned line;
	const char *rel = vis_where(v, c, &line, NULL);
	char *name = vis_spell(c);
	if (rel && *name && clang_isCursorDefinition(c) && smap_get(&v->enum_ix, name) < 0) {
		struct model *o = v->out;
		smap_put(&v->enum_ix, name, (long long)o->n_enums);
		o->enums = xrealloc(o->enums, sizeof *o->enums * (o->n_enums + 1));
		struct enum_def *e = &o->enums[o->n_enums++];
		*e = (struct enum_def){xstrdup(name), xstrdup(rel), line, {0}};
		clang_visitChildren(c, enum_cb, &e->constants);
	}
	free(name);
}

static enum CXChildVisitResult top_cb(CXCursor c, CXCursor p, CXClientData d)
{
	struct vctx *v = d;
	(void)p;
	switch (clang_getCursorKind(c)) {
	case CXCursor_FunctionDecl: visit_function(v, c); break;
	case CXCursor_VarDecl: visit_var(v, c); break;
	case CXCursor_EnumDecl: visit_enum(v, c); break;
	case CXCursor_TypedefDecl: clang_visitChildren(c, top_cb, v); break;
	default: break;
	}
	return CXChildVisit_Continue;
}

void visit_tu(const struct config *cfg, CXTranslationUnit tu, struct model *out)
{
	struct vctx v = {.cfg = cfg, .tu = tu, .out = out};
	memset(out, 0, sizeof *out);
	clang_visitChildren(clang_getTranslationUnitCursor(tu), top_cb, &v);
	smap_free(&v.fn_ix);
	smap_free(&v.decl_ix);
	smap_free(&v.enum_ix);
	smap_free(&v.table_ix);
	smap_free(&v.scope);
	strv_free(&v.scope_rel);
}
