/* model_io.c: the one JSON edge of the model. model_read turns a `capos-inventory/3` document
 * into struct model and refuses anything it does not know (an unknown member, a missing one, a
 * wrong type); model_write is its inverse, member for member, so a model survives the trip
 * unchanged (tests/inventory/model_roundtrip.sh checks this on every fixture and on the kernel). */
#include "model.h"
#include "model_io.h"
#include "json_io.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const order_kinds[ORDER_KIND_COUNT] = {"clear", "flush", "free", "defer"};

const char *order_kind_name(enum order_kind k)
{
	return order_kinds[k];
}

static const char *const tlb_actions[TLB_ACT_COUNT] = {"shootdown", "local", "defer", "caller", "none"};

const char *tlb_action_name(enum tlb_action a)
{
	return tlb_actions[a];
}

/* ---- reading ---- */

/* The first problem found (static buffer: a model is read on one thread). */
struct rd {
	bool bad;
	bool facts;     /* reading per-TU facts: the link step's members are not there yet */
	char why[200];
};

static void bad(struct rd *r, const char *where, const char *key, const char *what)
{
	if (!r->bad)
		snprintf(r->why, sizeof r->why, "%s: member '%s' %s", where, key, what);
	r->bad = true;
}

/* Every member of o is one of keys (NULL-terminated). */
static void only(struct rd *r, json_t *o, const char *where, const char *const *keys)
{
	const char *k;
	json_t *v;
	if (!json_is_object(o)) {
		bad(r, where, "(entry)", "is not an object");
		return;
	}
	json_object_foreach(o, k, v) {
		const char *const *p = keys;
		while (*p && strcmp(*p, k))
			p++;
		if (!*p)
			bad(r, where, k, "is unknown");
	}
}

enum presence_mode { REQ, NULLABLE, OPT };

static char *rstr(struct rd *r, json_t *o, const char *where, const char *k, enum presence_mode mode)
{
	json_t *v = json_object_get(o, k);
	if (json_is_string(v))
		return xstrdup(json_string_value(v));
	if ((!v && mode == OPT) || (json_is_null(v) && mode == NULLABLE))
		return NULL;
	bad(r, where, k, v ? "is not a string" : "is missing");
	return NULL;
}

static long long rint(struct rd *r, json_t *o, const char *where, const char *k)
{
	json_t *v = json_object_get(o, k);
	if (!json_is_integer(v))
		bad(r, where, k, v ? "is not an integer" : "is missing");
	return (long long)json_integer_value(v);
}

static bool rbool(struct rd *r, json_t *o, const char *where, const char *k)
{
	json_t *v = json_object_get(o, k);
	if (!json_is_boolean(v))
		bad(r, where, k, v ? "is not a boolean" : "is missing");
	return json_is_true(v);
}

static int rrole(struct rd *r, json_t *o, const char *where, const char *k, bool nullable)
{
	json_t *v = json_object_get(o, k);
	if (nullable && json_is_null(v))
		return -1;
	int role = json_is_string(v) ? role_from_name(json_string_value(v)) : -1;
	if (role < 0)
		bad(r, where, k, "is not a role");
	return role;
}

static void rstrv(struct rd *r, json_t *a, const char *where, const char *k, bool nullable, struct strv *out)
{
	if (!json_is_array(a)) {
		bad(r, where, k, a ? "is not an array" : "is missing");
		return;
	}
	out->n = json_array_size(a);
	out->v = xcalloc(out->n ? out->n : 1, sizeof *out->v);
	for (size_t i = 0; i < out->n; i++) {
		json_t *e = json_array_get(a, i);
		if (json_is_string(e))
			out->v[i] = xstrdup(json_string_value(e));
		else if (!(nullable && json_is_null(e)))
			bad(r, where, k, "has an element that is not a string");
	}
}

static void rstrv_m(struct rd *r, json_t *o, const char *where, const char *k, struct strv *out)
{
	rstrv(r, json_object_get(o, k), where, k, false, out);
}

/* An array member of objects, each read by fn into a new array of *n elements. */
#define READ_ARRAY(r, o, where, k, ptr, n, fn)                                               \
	do {                                                                                 \
		json_t *a_ = json_object_get((o), (k));                                      \
		if (!json_is_array(a_)) {                                                    \
			bad((r), (where), (k), a_ ? "is not an array" : "is missing");       \
			break;                                                               \
		}                                                                            \
		(n) = json_array_size(a_);                                                   \
		(ptr) = xcalloc((n) ? (n) : 1, sizeof *(ptr));                               \
		for (size_t i_ = 0; i_ < (n) && !(r)->bad; i_++)                             \
			fn((r), json_array_get(a_, i_), &(ptr)[i_]);                         \
	} while (0)

/* An object member keyed by name/USR, each value read by fn(r, key, value, elem), sorted by key. */
#define READ_KEYED(r, o, k, ptr, n, fn)                                                      \
	do {                                                                                 \
		json_t *ob_ = json_object_get((o), (k));                                     \
		if (!json_is_object(ob_)) {                                                  \
			bad((r), "model", (k), ob_ ? "is not an object" : "is missing");     \
			break;                                                               \
		}                                                                            \
		size_t nk_ = json_object_size(ob_), i_ = 0;                                  \
		const char **keys_ = xcalloc(nk_ ? nk_ : 1, sizeof *keys_);                  \
		const char *kk_;                                                             \
		json_t *vv_;                                                                 \
		json_object_foreach(ob_, kk_, vv_) keys_[i_++] = kk_;                        \
		qsort(keys_, nk_, sizeof *keys_, cmp_strp);                                  \
		(n) = nk_;                                                                   \
		(ptr) = xcalloc(nk_ ? nk_ : 1, sizeof *(ptr));                               \
		for (i_ = 0; i_ < nk_ && !(r)->bad; i_++)                                    \
			fn((r), keys_[i_], json_object_get(ob_, keys_[i_]), &(ptr)[i_]);     \
		free(keys_);                                                                 \
	} while (0)

/* An array of CFG node numbers (each an integer >= -1 - joins; checked by the graph's users). */
static void ridxv(struct rd *r, json_t *a, const char *where, const char *k, struct idxv *out)
{
	if (!json_is_array(a)) {
		bad(r, where, k, a ? "is not an array" : "is missing");
		return;
	}
	out->n = json_array_size(a);
	out->v = xcalloc(out->n ? out->n : 1, sizeof *out->v);
	for (size_t i = 0; i < out->n; i++) {
		json_t *e = json_array_get(a, i);
		if (!json_is_integer(e))
			bad(r, where, k, "has an element that is not an integer");
		out->v[i] = (long long)json_integer_value(e);
	}
}

static void read_cfg_node(struct rd *r, json_t *o, struct idxv *j)
{
	ridxv(r, o, "cfg[]", "(entry)", j);
	if (!r->bad && !j->n)
		bad(r, "cfg[]", "(entry)", "has no site");
}

static void read_tlb_site(struct rd *r, json_t *o, struct tlb_site *t)
{
	static const char *const keys[] = {"line", "name", "via", "action", "by", "open_line", "free_line",
					   "free_name", "free_local", "free_own", "unlock_line", NULL};
	const char *w = "tlb_sites[]";
	only(r, o, w, keys);
	t->line = rint(r, o, w, "line");
	t->name = rstr(r, o, w, "name", REQ);
	t->via = rstr(r, o, w, "via", NULLABLE);
	char *a = rstr(r, o, w, "action", REQ);
	t->action = TLB_ACT_COUNT;
	for (int i = 0; a && i < TLB_ACT_COUNT; i++)
		if (!strcmp(a, tlb_actions[i]))
			t->action = (enum tlb_action)i;
	if (a && t->action == TLB_ACT_COUNT)
		bad(r, w, "action", "is not a TLB action");
	free(a);
	rstrv_m(r, o, w, "by", &t->by);
	t->open_line = rint(r, o, w, "open_line");
	t->free_line = rint(r, o, w, "free_line");
	t->free_name = rstr(r, o, w, "free_name", NULLABLE);
	t->free_local = json_object_get(o, "free_local") && rbool(r, o, w, "free_local");  /* written only when true */
	t->unlock_line = json_object_get(o, "unlock_line") ? rint(r, o, w, "unlock_line") : 0;  /* only when not 0 */
	t->free_own = json_object_get(o, "free_own") && rbool(r, o, w, "free_own");  /* written only when true */
}

static void read_held(struct rd *r, json_t *o, struct held *h)
{
	static const char *const keys[] = {"key", "count", NULL};
	only(r, o, "held[]", keys);
	h->key = rstr(r, o, "held[]", "key", REQ);
	h->count = rint(r, o, "held[]", "count");
}

static void read_ret(struct rd *r, json_t *o, struct ret_path *p)
{
	static const char *const keys[] = {"line", "kind", "value", "held", "preds", NULL};
	only(r, o, "returns[]", keys);
	if (json_object_get(o, "preds")) {
		p->has_preds = true;
		ridxv(r, json_object_get(o, "preds"), "returns[]", "preds", &p->preds);
	}
	p->line = rint(r, o, "returns[]", "line");
	p->kind = rstr(r, o, "returns[]", "kind", REQ);
	p->value = rstr(r, o, "returns[]", "value", REQ);
	READ_ARRAY(r, o, "returns[]", "held", p->held, p->n_held, read_held);
}

static void read_label(struct rd *r, json_t *o, struct label *l)
{
	static const char *const keys[] = {"name", "line", "gotos", NULL};
	only(r, o, "labels[]", keys);
	l->name = rstr(r, o, "labels[]", "name", REQ);
	l->line = rint(r, o, "labels[]", "line");
	l->gotos = rint(r, o, "labels[]", "gotos");
}

static void read_copy(struct rd *r, json_t *o, struct copy *c)
{
	static const char *const keys[] = {"name", "line", "stable", "reason", "function", "file", NULL};
	only(r, o, "copies[]", keys);
	c->name = rstr(r, o, "copies[]", "name", REQ);
	c->line = rint(r, o, "copies[]", "line");
	c->stable = rbool(r, o, "copies[]", "stable");
	c->reason = rstr(r, o, "copies[]", "reason", NULLABLE);
	c->function = rstr(r, o, "copies[]", "function", OPT);
	c->file = rstr(r, o, "copies[]", "file", OPT);
}

static void read_pairs(struct rd *r, json_t *a, const char *k, long long **first, char ***second_s,
		       long long **second_i, size_t *n)
{
	*n = json_array_size(a);
	*first = xcalloc(*n ? *n : 1, sizeof **first);
	if (second_s)
		*second_s = xcalloc(*n ? *n : 1, sizeof **second_s);
	if (second_i)
		*second_i = xcalloc(*n ? *n : 1, sizeof **second_i);
	for (size_t i = 0; i < *n; i++) {
		json_t *p = json_array_get(a, i), *x = json_array_get(p, 0), *y = json_array_get(p, 1);
		if (!json_is_array(p) || json_array_size(p) != 2 || !json_is_integer(x) ||
		    (second_s ? !json_is_string(y) : !json_is_integer(y))) {
			bad(r, "calls[]", k, "has a malformed pair");
			return;
		}
		(*first)[i] = (long long)json_integer_value(x);
		if (second_s)
			(*second_s)[i] = xstrdup(json_string_value(y));
		else
			(*second_i)[i] = (long long)json_integer_value(y);
	}
}

static void read_call(struct rd *r, json_t *o, struct call *c)
{
	static const char *const keys[] = {"line", "col", "name", "usr", "label", "args", "consts", "fnrefs",
					   "fwd", "indirect", "via", "via_name", "via_param", "member", "type",
					   "store", "role", "pattern", "machine", "to", "ret_var", NULL};
	const char *w = "calls[]";
	json_t *v;
	only(r, o, w, keys);
	c->line = rint(r, o, w, "line");
	c->col = rint(r, o, w, "col");
	c->name = rstr(r, o, w, "name", OPT);
	c->usr = rstr(r, o, w, "usr", OPT);
	c->label = rstr(r, o, w, "label", OPT);
	rstrv_m(r, o, w, "args", &c->args);
	if ((v = json_object_get(o, "consts"))) {
		c->has |= CALL_HAS_CONSTS;
		rstrv(r, v, w, "consts", true, &c->consts);
	}
	if ((v = json_object_get(o, "fnrefs"))) {
		long long *pos = NULL;
		char **usrs = NULL;
		size_t n = 0;
		c->has |= CALL_HAS_FNREFS;
		read_pairs(r, v, "fnrefs", &pos, &usrs, NULL, &n);
		c->fnrefs = xcalloc(n ? n : 1, sizeof *c->fnrefs);
		c->n_fnrefs = n;
		for (size_t i = 0; i < n; i++)
			c->fnrefs[i] = (struct fnref){pos[i], usrs[i]};
		free(pos);
		free(usrs);
	}
	if ((v = json_object_get(o, "fwd"))) {
		long long *arg = NULL, *par = NULL;
		size_t n = 0;
		c->has |= CALL_HAS_FWD;
		read_pairs(r, v, "fwd", &arg, NULL, &par, &n);
		c->fwd = xcalloc(n ? n : 1, sizeof *c->fwd);
		c->n_fwd = n;
		for (size_t i = 0; i < n; i++)
			c->fwd[i] = (struct fwd){arg[i], par[i]};
		free(arg);
		free(par);
	}
	if (json_object_get(o, "indirect")) {
		c->has |= CALL_HAS_INDIRECT;
		c->indirect = rbool(r, o, w, "indirect");
	}
	c->via = rstr(r, o, w, "via", OPT);
	c->via_name = rstr(r, o, w, "via_name", OPT);
	c->member = rstr(r, o, w, "member", OPT);
	c->type = rstr(r, o, w, "type", OPT);
	if (json_object_get(o, "via_param")) {
		c->has |= CALL_HAS_VIA_PARAM;
		c->via_param = rint(r, o, w, "via_param");
	}
	if (json_object_get(o, "store")) {
		c->has |= CALL_HAS_STORE;
		c->store = rbool(r, o, w, "store");
	}
	c->role = json_object_get(o, "role") ? rrole(r, o, w, "role", false) : -1;
	if (json_object_get(o, "pattern")) {
		c->has |= CALL_HAS_PATTERN;
		c->pattern = rint(r, o, w, "pattern");
	}
	c->machine = rstr(r, o, w, "machine", OPT);
	c->ret_var = rstr(r, o, w, "ret_var", OPT);
	if (json_object_get(o, "to")) {
		c->has |= CALL_HAS_TO;
		c->to = rstr(r, o, w, "to", NULLABLE);
	}
}

static void read_unresolved(struct rd *r, json_t *o, struct unresolved *u)
{
	static const char *const keys[] = {"line", "via", "member", "function", "file", NULL};
	only(r, o, "unresolved[]", keys);
	u->line = rint(r, o, "unresolved[]", "line");
	u->via = rstr(r, o, "unresolved[]", "via", NULLABLE);
	u->member = rstr(r, o, "unresolved[]", "member", NULLABLE);
	u->function = rstr(r, o, "unresolved[]", "function", OPT);
	u->file = rstr(r, o, "unresolved[]", "file", OPT);
}

static void read_order(struct rd *r, json_t *o, struct order_ev *e)
{
	static const char *const keys[] = {"kind", "line", "name", "role", "via", "delegated", NULL};
	only(r, o, "order[]", keys);
	char *k = rstr(r, o, "order[]", "kind", REQ);
	e->kind = ORDER_KIND_COUNT;
	for (int i = 0; k && i < ORDER_KIND_COUNT; i++)
		if (!strcmp(k, order_kinds[i]))
			e->kind = (enum order_kind)i;
	if (k && e->kind == ORDER_KIND_COUNT)
		bad(r, "order[]", "kind", "is not an order kind");
	free(k);
	e->line = rint(r, o, "order[]", "line");
	e->name = rstr(r, o, "order[]", "name", REQ);
	e->role = rrole(r, o, "order[]", "role", false);
	e->via = rstr(r, o, "order[]", "via", NULLABLE);
	if (json_object_get(o, "delegated") && !(e->delegated = rbool(r, o, "order[]", "delegated")))
		bad(r, "order[]", "delegated", "is written only when true");
}

static void read_uderef(struct rd *r, json_t *o, struct user_deref *u)
{
	static const char *const keys[] = {"line", "var", "text", NULL};
	only(r, o, "user_derefs[]", keys);
	u->line = rint(r, o, "user_derefs[]", "line");
	u->var = rstr(r, o, "user_derefs[]", "var", REQ);
	u->text = rstr(r, o, "user_derefs[]", "text", REQ);
}

static void read_function(struct rd *r, const char *usr, json_t *o, struct function *f)
{
	static const char *const keys[] = {"name", "file", "line", "static", "params", "annotations", "tlb",
					   "calls", "returns", "labels", "copies", "callees", "unresolved",
					   "bounds", "order", "cfg", "fail_vars", "tlb_sites", "user_derefs", "user_fields", NULL};
	const char *w = "functions{}";
	only(r, o, w, keys);
	f->usr = xstrdup(usr);
	f->name = rstr(r, o, w, "name", REQ);
	f->file = rstr(r, o, w, "file", REQ);
	f->line = rint(r, o, w, "line");
	f->is_static = rbool(r, o, w, "static");
	rstrv_m(r, o, w, "params", &f->params);
	rstrv_m(r, o, w, "annotations", &f->annotations);
	f->tlb = rstr(r, o, w, "tlb", NULLABLE);
	READ_ARRAY(r, o, w, "calls", f->calls, f->n_calls, read_call);
	READ_ARRAY(r, o, w, "returns", f->returns, f->n_returns, read_ret);
	READ_ARRAY(r, o, w, "labels", f->labels, f->n_labels, read_label);
	READ_ARRAY(r, o, w, "copies", f->copies, f->n_copies, read_copy);
	if (json_object_get(o, "user_fields")) {  /* written only when there are any */
		rstrv_m(r, o, w, "user_fields", &f->ufields);
		if (!r->bad && !f->ufields.n)
			bad(r, w, "user_fields", "is written only when not empty");
	}
	if (json_object_get(o, "user_derefs")) {  /* written only when there are any */
		READ_ARRAY(r, o, w, "user_derefs", f->uderefs, f->n_uderefs, read_uderef);
		if (!r->bad && !f->n_uderefs)
			bad(r, w, "user_derefs", "is written only when not empty");
	}
	if (!r->facts || json_object_get(o, "callees"))
		rstrv_m(r, o, w, "callees", &f->callees);
	if (!r->facts || json_object_get(o, "unresolved"))
		READ_ARRAY(r, o, w, "unresolved", f->unresolved, f->n_unresolved, read_unresolved);
	rstrv_m(r, o, w, "bounds", &f->bounds);
	if (json_object_get(o, "order")) {
		f->has_order = true;
		READ_ARRAY(r, o, w, "order", f->order, f->n_order, read_order);
	}
	if (json_object_get(o, "cfg")) {
		f->has_cfg = true;
		READ_ARRAY(r, o, w, "cfg", f->cfg, f->n_cfg, read_cfg_node);
	}
	if (json_object_get(o, "fail_vars")) {
		rstrv_m(r, o, w, "fail_vars", &f->fail_vars);
		if (!r->bad && !f->fail_vars.n)
			bad(r, w, "fail_vars", "is written only when not empty");
	}
	if (json_object_get(o, "tlb_sites")) {
		READ_ARRAY(r, o, w, "tlb_sites", f->tlb_sites, f->n_tlb_sites, read_tlb_site);
		if (!r->bad && !f->n_tlb_sites)
			bad(r, w, "tlb_sites", "is written only when not empty");
	}
}

static void read_decl(struct rd *r, const char *usr, json_t *o, struct decl *d)
{
	static const char *const keys[] = {"name", "file", "line", NULL};
	only(r, o, "decls{}", keys);
	d->usr = xstrdup(usr);
	d->name = rstr(r, o, "decls{}", "name", REQ);
	d->file = rstr(r, o, "decls{}", "file", REQ);
	d->line = rint(r, o, "decls{}", "line");
}

static void read_enum(struct rd *r, const char *name, json_t *o, struct enum_def *e)
{
	static const char *const keys[] = {"file", "line", "constants", NULL};
	only(r, o, "enums{}", keys);
	e->name = xstrdup(name);
	e->file = rstr(r, o, "enums{}", "file", REQ);
	e->line = rint(r, o, "enums{}", "line");
	rstrv_m(r, o, "enums{}", "constants", &e->constants);
}

static void read_entry(struct rd *r, json_t *o, struct table_entry *e)
{
	static const char *const keys[] = {"key", "name", "usr", NULL};
	only(r, o, "entries[]", keys);
	e->key = rstr(r, o, "entries[]", "key", REQ);
	e->name = rstr(r, o, "entries[]", "name", REQ);
	e->usr = rstr(r, o, "entries[]", "usr", REQ);
}

static void read_table(struct rd *r, const char *usr, json_t *o, struct table *t)
{
	static const char *const keys[] = {"name", "file", "line", "type", "static", "entries", NULL};
	only(r, o, "tables{}", keys);
	t->usr = xstrdup(usr);
	t->name = rstr(r, o, "tables{}", "name", REQ);
	t->file = rstr(r, o, "tables{}", "file", REQ);
	t->line = rint(r, o, "tables{}", "line");
	t->type = rstr(r, o, "tables{}", "type", REQ);
	t->is_static = rbool(r, o, "tables{}", "static");
	READ_ARRAY(r, o, "tables{}", "entries", t->entries, t->n_entries, read_entry);
}

static void read_transition(struct rd *r, json_t *o, struct transition *t)
{
	static const char *const keys[] = {"id", "machine", "from", "to", "function", "usr", "file", "line", NULL};
	const char *w = "transitions[]";
	only(r, o, w, keys);
	t->id = rstr(r, o, w, "id", REQ);
	t->machine = rstr(r, o, w, "machine", REQ);
	t->from = rstr(r, o, w, "from", REQ);
	t->to = rstr(r, o, w, "to", REQ);
	t->function = rstr(r, o, w, "function", REQ);
	t->usr = rstr(r, o, w, "usr", REQ);
	t->file = rstr(r, o, w, "file", REQ);
	t->line = rint(r, o, w, "line");
}

static void read_terr(struct rd *r, json_t *o, struct transition_error *t)
{
	static const char *const keys[] = {"machine", "function", "usr", "file", "line", "args", NULL};
	const char *w = "transition_errors[]";
	only(r, o, w, keys);
	t->machine = rstr(r, o, w, "machine", REQ);
	t->function = rstr(r, o, w, "function", REQ);
	t->usr = rstr(r, o, w, "usr", REQ);
	t->file = rstr(r, o, w, "file", REQ);
	t->line = rint(r, o, w, "line");
	rstrv_m(r, o, w, "args", &t->args);
}

static void read_machine(struct rd *r, const char *name, json_t *o, struct machine *m)
{
	static const char *const keys[] = {"enum", "file", "line", "states", "transitions", NULL};
	const char *w = "machines{}";
	only(r, o, w, keys);
	m->name = xstrdup(name);
	m->has_enum = !json_is_null(json_object_get(o, "enum"));
	m->enum_name = rstr(r, o, w, "enum", NULLABLE);
	m->file = rstr(r, o, w, "file", NULLABLE);
	if (m->has_enum)
		m->line = rint(r, o, w, "line");
	else if (!json_is_null(json_object_get(o, "line")))
		bad(r, w, "line", "is not null for a machine without an enum");
	rstrv_m(r, o, w, "states", &m->states);
	READ_ARRAY(r, o, w, "transitions", m->transitions, m->n_transitions, read_transition);
}

static void read_site(struct rd *r, json_t *o, struct prim_site *s)
{
	static const char *const keys[] = {"role", "name", "function", "usr", "file", "line", "col", "args", NULL};
	const char *w = "primitive_sites[]";
	only(r, o, w, keys);
	s->role = (enum role)rrole(r, o, w, "role", false);
	s->name = rstr(r, o, w, "name", REQ);
	s->function = rstr(r, o, w, "function", REQ);
	s->usr = rstr(r, o, w, "usr", REQ);
	s->file = rstr(r, o, w, "file", REQ);
	s->line = rint(r, o, w, "line");
	s->col = rint(r, o, w, "col");
	rstrv_m(r, o, w, "args", &s->args);
}

static void read_cleanup(struct rd *r, json_t *o, struct cleanup *c)
{
	static const char *const keys[] = {"function", "label", "file", "line", NULL};
	only(r, o, "cleanup[]", keys);
	c->function = rstr(r, o, "cleanup[]", "function", REQ);
	c->label = rstr(r, o, "cleanup[]", "label", REQ);
	c->file = rstr(r, o, "cleanup[]", "file", REQ);
	c->line = rint(r, o, "cleanup[]", "line");
}

static void read_operation(struct rd *r, const char *id, json_t *o, struct operation *p)
{
	static const char *const keys[] = {"id", "object", "op", "kind", "source", "function", "usr", "file",
					   "line", "reach", "reach_usrs", "transitions", "roles", "primitives",
					   "locks", "ledger", "unresolved", "cleanup", "copies", "returns", NULL};
	static const char *const lkeys[] = {"charges", "releases", NULL};
	const char *w = "operations{}";
	struct strv roles = {0}, prims = {0};
	only(r, o, w, keys);
	p->id = rstr(r, o, w, "id", REQ);
	if (p->id && strcmp(p->id, id))
		bad(r, w, "id", "differs from its key");
	p->object = rstr(r, o, w, "object", REQ);
	p->op = rstr(r, o, w, "op", REQ);
	p->kind = rstr(r, o, w, "kind", REQ);
	p->source = rstr(r, o, w, "source", REQ);
	p->function = rstr(r, o, w, "function", REQ);
	p->usr = rstr(r, o, w, "usr", REQ);
	p->file = rstr(r, o, w, "file", REQ);
	p->line = rint(r, o, w, "line");
	rstrv_m(r, o, w, "reach", &p->reach);
	rstrv_m(r, o, w, "reach_usrs", &p->reach_usrs);
	rstrv_m(r, o, w, "transitions", &p->transitions);
	rstrv_m(r, o, w, "locks", &p->locks);
	json_t *l = json_object_get(o, "ledger");
	only(r, l, "operations{}.ledger", lkeys);
	rstrv_m(r, l, "operations{}.ledger", "charges", &p->charges);
	rstrv_m(r, l, "operations{}.ledger", "releases", &p->releases);
	rstrv_m(r, o, w, "roles", &roles);
	p->roles = xcalloc(roles.n ? roles.n : 1, sizeof *p->roles);
	p->n_roles = roles.n;
	for (size_t i = 0; i < roles.n; i++) {
		int role = role_from_name(roles.v[i]);
		if (role < 0)
			bad(r, w, "roles", "names a role that does not exist");
		p->roles[i] = (enum role)(role < 0 ? 0 : role);
	}
	rstrv_m(r, o, w, "primitives", &prims);
	p->primitives = xcalloc(prims.n ? prims.n : 1, sizeof *p->primitives);
	p->n_primitives = prims.n;
	for (size_t i = 0; i < prims.n; i++) {
		char *colon = strchr(prims.v[i], ':');
		int role = -1;
		if (colon) {
			*colon = 0;
			role = role_from_name(prims.v[i]);
		}
		if (role < 0) {
			bad(r, w, "primitives", "has an entry that is not ROLE:NAME");
			continue;
		}
		p->primitives[i] = (struct prim_use){(enum role)role, xstrdup(colon + 1)};
	}
	for (size_t i = 0; i < roles.n; i++)
		free(roles.v[i]);
	for (size_t i = 0; i < prims.n; i++)
		free(prims.v[i]);
	free(roles.v);
	free(prims.v);
	READ_ARRAY(r, o, w, "unresolved", p->unresolved, p->n_unresolved, read_unresolved);
	READ_ARRAY(r, o, w, "cleanup", p->cleanup, p->n_cleanup, read_cleanup);
	READ_ARRAY(r, o, w, "copies", p->copies, p->n_copies, read_copy);
	READ_ARRAY(r, o, w, "returns", p->returns, p->n_returns, read_ret);
}

static void read_presence(struct rd *r, json_t *o, struct presence *p)
{
	static const char *const keys[] = {"name", "file", "line", "how", NULL};
	only(r, o, "present[]", keys);
	p->name = rstr(r, o, "present[]", "name", REQ);
	p->file = rstr(r, o, "present[]", "file", REQ);
	p->line = rint(r, o, "present[]", "line");
	p->how = rstr(r, o, "present[]", "how", REQ);
}

static void read_present(struct rd *r, const char *role, json_t *a, struct present_role *p)
{
	int rl = role_from_name(role);
	if (rl < 0)
		bad(r, "present{}", role, "is not a role");
	p->role = (enum role)(rl < 0 ? 0 : rl);
	json_t *wrap = json_pack("{s:O}", "v", a);
	READ_ARRAY(r, wrap, "present{}", "v", p->v, p->n, read_presence);
	json_decref(wrap);
}

static void read_witness(struct rd *r, json_t *o, struct witness *w)
{
	static const char *const keys[] = {"test", "kind", NULL};
	only(r, o, "witnesses[]", keys);
	w->test = rstr(r, o, "witnesses[]", "test", REQ);
	w->kind = rstr(r, o, "witnesses[]", "kind", OPT);
}

static void read_obligation(struct rd *r, json_t *o, struct obligation *b)
{
	static const char *const keys[] = {"id", "class", "role", "function", "file", "line", "site",
					   "witnesses", "mutant", NULL};
	static const char *const mkeys[] = {"status", "key", "justification", NULL};
	const char *w = "obligations[]";
	only(r, o, w, keys);
	b->id = rstr(r, o, w, "id", REQ);
	b->cls = rstr(r, o, w, "class", REQ);
	b->role = rrole(r, o, w, "role", true);
	b->function = rstr(r, o, w, "function", REQ);
	b->file = rstr(r, o, w, "file", REQ);
	b->line = rint(r, o, w, "line");
	b->site = rstr(r, o, w, "site", REQ);
	READ_ARRAY(r, o, w, "witnesses", b->witnesses, b->n_witnesses, read_witness);
	only(r, json_object_get(o, "mutant"), "obligations[].mutant", mkeys);
	b->mutant.status = rstr(r, json_object_get(o, "mutant"), "obligations[].mutant", "status", REQ);
	b->mutant.key = rstr(r, json_object_get(o, "mutant"), "obligations[].mutant", "key", OPT);
	b->mutant.justification = rstr(r, json_object_get(o, "mutant"), "obligations[].mutant", "justification", OPT);
}

static void read_wrapper(struct rd *r, json_t *o, struct wrapper *x)
{
	static const char *const keys[] = {"pair", "function", "key", "dir", "key_arg", NULL};
	const char *w = "derived_wrappers[]";
	only(r, o, w, keys);
	x->pair = rstr(r, o, w, "pair", REQ);
	x->function = rstr(r, o, w, "function", REQ);
	x->key = rstr(r, o, w, "key", REQ);
	x->dir = rint(r, o, w, "dir");
	if ((x->has_key_arg = json_object_get(o, "key_arg") != NULL))
		x->key_arg = rint(r, o, w, "key_arg");
}

static void read_pending(struct rd *r, json_t *o, struct wrapper *x)
{
	static const char *const keys[] = {"pair", "function", "dir", NULL};
	const char *w = "derivation_pending[]";
	only(r, o, w, keys);
	x->pair = rstr(r, o, w, "pair", REQ);
	x->function = rstr(r, o, w, "function", REQ);
	x->dir = rint(r, o, w, "dir");
}

static const char *read_model(json_t *j, struct model *m, bool linked_only);

static const char *facts_why(const char *why);

const char *model_read_wrappers(json_t *a, struct wrapper **out, size_t *n)
{
	struct rd r;
	memset(&r, 0, sizeof r);
	*out = NULL;
	*n = 0;
	json_t *doc = json_pack("{s:O}", "derived_wrappers", a);
	READ_ARRAY(&r, doc, "wrappers", "derived_wrappers", *out, *n, read_wrapper);
	json_decref(doc);
	if (r.bad) {
		for (size_t i = 0; i < *n; i++)  /* (wrappers_free() is model.c's; this edge links alone) */
			free((*out)[i].pair), free((*out)[i].function), free((*out)[i].key);
		free(*out);
		*out = NULL;
		*n = 0;
		return facts_why(r.why);
	}
	return NULL;
}


/* A reason that outlives the reader's stack (facts are read on the scan's threads). */
static const char *facts_why(const char *why)
{
	static _Thread_local char buf[200];
	snprintf(buf, sizeof buf, "%s", why);
	return buf;
}

const char *model_read(json_t *j, struct model *m)
{
	return read_model(j, m, false);
}

const char *model_read_linked(json_t *j, struct model *m)
{
	return read_model(j, m, true);
}

/* linked_only: the link step's document (model.c), before machines, operations, present and
 * obligations exist: those four may be absent. */
static const char *read_model(json_t *j, struct model *m, bool linked_only)
{
	static const char *const keys[] = {"schema", "config", "tus", "functions", "decls", "enums", "tables",
					   "machines", "transitions", "transition_errors", "primitive_sites",
					   "operations", "present", "obligations", "derived_wrappers",
					   "derivation_pending", NULL};
	static struct rd r;
	memset(&r, 0, sizeof r);
	memset(m, 0, sizeof *m);
	only(&r, j, "model", keys);
	m->schema = rstr(&r, j, "model", "schema", REQ);
	m->config = rstr(&r, j, "model", "config", REQ);
	rstrv_m(&r, j, "model", "tus", &m->tus);
	READ_KEYED(&r, j, "functions", m->functions, m->n_functions, read_function);
	READ_KEYED(&r, j, "decls", m->decls, m->n_decls, read_decl);
	READ_KEYED(&r, j, "enums", m->enums, m->n_enums, read_enum);
	READ_KEYED(&r, j, "tables", m->tables, m->n_tables, read_table);
	if (!linked_only || json_object_get(j, "machines"))
	READ_KEYED(&r, j, "machines", m->machines, m->n_machines, read_machine);
	READ_ARRAY(&r, j, "model", "transitions", m->transitions, m->n_transitions, read_transition);
	READ_ARRAY(&r, j, "model", "transition_errors", m->transition_errors, m->n_transition_errors, read_terr);
	READ_ARRAY(&r, j, "model", "primitive_sites", m->primitive_sites, m->n_primitive_sites, read_site);
	if (!linked_only || json_object_get(j, "operations"))
	READ_KEYED(&r, j, "operations", m->operations, m->n_operations, read_operation);
	if (!linked_only || json_object_get(j, "present"))
	READ_KEYED(&r, j, "present", m->present, m->n_present, read_present);
	if (!linked_only || json_object_get(j, "obligations"))
	READ_ARRAY(&r, j, "model", "obligations", m->obligations, m->n_obligations, read_obligation);
	if ((m->has_derived_wrappers = json_object_get(j, "derived_wrappers") != NULL))
		READ_ARRAY(&r, j, "model", "derived_wrappers", m->derived_wrappers, m->n_derived_wrappers, read_wrapper);
	if ((m->has_derivation_pending = json_object_get(j, "derivation_pending") != NULL))
		READ_ARRAY(&r, j, "model", "derivation_pending", m->derivation_pending, m->n_derivation_pending,
			   read_pending);
	if (r.bad) {
		model_free(m);
		return r.why;
	}
	return NULL;
}

const char *model_read_tu_facts(json_t *doc, struct model *m)
{
	static const char *const tu_keys[] = {"tu", "functions", "decls", "enums", "tables", NULL};
	struct rd r;
	memset(&r, 0, sizeof r);
	memset(m, 0, sizeof *m);
	r.facts = true;
	only(&r, doc, "facts", tu_keys);
	json_t *tu = json_object_get(doc, "tu");
	if (tu && !json_is_string(tu))
		bad(&r, "facts", "tu", "is not a string");
	else if (tu)
		strv_push(&m->tus, json_string_value(tu));
	READ_KEYED(&r, doc, "functions", m->functions, m->n_functions, read_function);
	READ_KEYED(&r, doc, "decls", m->decls, m->n_decls, read_decl);
	READ_KEYED(&r, doc, "enums", m->enums, m->n_enums, read_enum);
	READ_KEYED(&r, doc, "tables", m->tables, m->n_tables, read_table);
	if (r.bad) {
		model_free(m);
		return facts_why(r.why);
	}
	return NULL;
}

/* ---- writing ---- */

static json_t *wstrv(const struct strv *s)
{
	json_t *a = json_array();
	for (size_t i = 0; i < s->n; i++)
		json_array_append_new(a, s->v[i] ? json_string(s->v[i]) : json_null());
	return a;
}

static json_t *wstr(const char *s)
{
	return s ? json_string(s) : json_null();
}

static void set_opt(json_t *o, const char *k, const char *s)
{
	if (s)
		json_object_set_new(o, k, json_string(s));
}

static json_t *widxv(const struct idxv *v)
{
	json_t *a = json_array();
	for (size_t i = 0; i < v->n; i++)
		json_array_append_new(a, json_integer((json_int_t)v->v[i]));
	return a;
}

static json_t *wrets(const struct ret_path *p, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *held = json_array();
		for (size_t j = 0; j < p[i].n_held; j++)
			json_array_append_new(held, json_pack("{s:s,s:I}", "key", p[i].held[j].key, "count",
							      (json_int_t)p[i].held[j].count));
		json_t *o = json_pack("{s:I,s:s,s:s,s:o}", "line", (json_int_t)p[i].line, "kind", p[i].kind, "value",
				      p[i].value, "held", held);
		if (p[i].has_preds)
			json_object_set_new(o, "preds", widxv(&p[i].preds));
		json_array_append_new(a, o);
	}
	return a;
}

static json_t *wcopies(const struct copy *c, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *o = json_pack("{s:s,s:I,s:b,s:o}", "name", c[i].name, "line", (json_int_t)c[i].line,
				      "stable", c[i].stable, "reason", wstr(c[i].reason));
		set_opt(o, "function", c[i].function);
		set_opt(o, "file", c[i].file);
		json_array_append_new(a, o);
	}
	return a;
}

static json_t *wunres(const struct unresolved *u, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *o = json_pack("{s:I,s:o,s:o}", "line", (json_int_t)u[i].line, "via", wstr(u[i].via),
				      "member", wstr(u[i].member));
		set_opt(o, "function", u[i].function);
		set_opt(o, "file", u[i].file);
		json_array_append_new(a, o);
	}
	return a;
}

static json_t *wcall(const struct call *c)
{
	json_t *o = json_pack("{s:I,s:I,s:o}", "line", (json_int_t)c->line, "col", (json_int_t)c->col, "args",
			      wstrv(&c->args));
	set_opt(o, "name", c->name);
	set_opt(o, "usr", c->usr);
	set_opt(o, "label", c->label);
	if (c->has & CALL_HAS_CONSTS)
		json_object_set_new(o, "consts", wstrv(&c->consts));
	if (c->has & CALL_HAS_FNREFS) {
		json_t *a = json_array();
		for (size_t i = 0; i < c->n_fnrefs; i++)
			json_array_append_new(a, json_pack("[I,s]", (json_int_t)c->fnrefs[i].arg, c->fnrefs[i].usr));
		json_object_set_new(o, "fnrefs", a);
	}
	if (c->has & CALL_HAS_FWD) {
		json_t *a = json_array();
		for (size_t i = 0; i < c->n_fwd; i++)
			json_array_append_new(a, json_pack("[I,I]", (json_int_t)c->fwd[i].arg, (json_int_t)c->fwd[i].param));
		json_object_set_new(o, "fwd", a);
	}
	if (c->has & CALL_HAS_INDIRECT)
		json_object_set_new(o, "indirect", json_boolean(c->indirect));
	set_opt(o, "via", c->via);
	set_opt(o, "via_name", c->via_name);
	set_opt(o, "member", c->member);
	set_opt(o, "type", c->type);
	if (c->has & CALL_HAS_VIA_PARAM)
		json_object_set_new(o, "via_param", json_integer((json_int_t)c->via_param));
	if (c->has & CALL_HAS_STORE)
		json_object_set_new(o, "store", json_boolean(c->store));
	if (c->role >= 0)
		json_object_set_new(o, "role", json_string(role_name((enum role)c->role)));
	if (c->has & CALL_HAS_PATTERN)
		json_object_set_new(o, "pattern", json_integer((json_int_t)c->pattern));
	set_opt(o, "machine", c->machine);
	set_opt(o, "ret_var", c->ret_var);
	if (c->has & CALL_HAS_TO)
		json_object_set_new(o, "to", wstr(c->to));
	return o;
}

static json_t *wfunction(const struct function *f)
{
	json_t *calls = json_array(), *labels = json_array();
	for (size_t i = 0; i < f->n_calls; i++)
		json_array_append_new(calls, wcall(&f->calls[i]));
	for (size_t i = 0; i < f->n_labels; i++)
		json_array_append_new(labels, json_pack("{s:s,s:I,s:I}", "name", f->labels[i].name, "line",
							(json_int_t)f->labels[i].line, "gotos",
							(json_int_t)f->labels[i].gotos));
	json_t *o = json_pack("{s:s,s:s,s:I,s:b,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o}", "name", f->name,
			      "file", f->file, "line", (json_int_t)f->line, "static", f->is_static, "params",
			      wstrv(&f->params), "annotations", wstrv(&f->annotations), "tlb", wstr(f->tlb),
			      "calls", calls, "returns", wrets(f->returns, f->n_returns), "labels", labels,
			      "copies", wcopies(f->copies, f->n_copies), "callees", wstrv(&f->callees),
			      "unresolved", wunres(f->unresolved, f->n_unresolved), "bounds", wstrv(&f->bounds));
	if (f->ufields.n)
		json_object_set_new(o, "user_fields", wstrv(&f->ufields));
	if (f->n_uderefs) {
		json_t *a = json_array();
		for (size_t i = 0; i < f->n_uderefs; i++)
			json_array_append_new(a, json_pack("{s:I,s:s,s:s}", "line", (json_int_t)f->uderefs[i].line, "var",
							   f->uderefs[i].var, "text", f->uderefs[i].text));
		json_object_set_new(o, "user_derefs", a);
	}
	if (f->has_order) {
		json_t *a = json_array();
		for (size_t i = 0; i < f->n_order; i++) {
			const struct order_ev *e = &f->order[i];
			json_array_append_new(a, json_pack("{s:s,s:I,s:s,s:s,s:o}", "kind", order_kinds[e->kind],
							   "line", (json_int_t)e->line, "name", e->name, "role",
							   role_name((enum role)e->role), "via", wstr(e->via)));
			if (e->delegated)
				json_object_set_new(json_array_get(a, i), "delegated", json_true());
		}
		json_object_set_new(o, "order", a);
	}
	if (f->has_cfg) {
		json_t *a = json_array();
		for (size_t i = 0; i < f->n_cfg; i++)
			json_array_append_new(a, widxv(&f->cfg[i]));
		json_object_set_new(o, "cfg", a);
	}
	if (f->fail_vars.n)
		json_object_set_new(o, "fail_vars", wstrv(&f->fail_vars));
	if (f->n_tlb_sites) {
		json_t *a = json_array();
		for (size_t i = 0; i < f->n_tlb_sites; i++) {
			const struct tlb_site *t = &f->tlb_sites[i];
			json_t *ts = json_pack("{s:I,s:s,s:o,s:s,s:o,s:I,s:I,s:o}", "line", (json_int_t)t->line,
					       "name", t->name, "via", wstr(t->via), "action", tlb_actions[t->action],
					       "by", wstrv(&t->by), "open_line", (json_int_t)t->open_line, "free_line",
					       (json_int_t)t->free_line, "free_name", wstr(t->free_name));
			if (t->free_local)
				json_object_set_new(ts, "free_local", json_true());
			if (t->free_own)
				json_object_set_new(ts, "free_own", json_true());
			if (t->unlock_line)
				json_object_set_new(ts, "unlock_line", json_integer((json_int_t)t->unlock_line));
			json_array_append_new(a, ts);
		}
		json_object_set_new(o, "tlb_sites", a);
	}
	return o;
}

static json_t *wtransition(const struct transition *t)
{
	return json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:I}", "id", t->id, "machine", t->machine, "from", t->from,
			 "to", t->to, "function", t->function, "usr", t->usr, "file", t->file, "line",
			 (json_int_t)t->line);
}

static json_t *woperation(const struct operation *p)
{
	json_t *roles = json_array(), *prims = json_array(), *cleanup = json_array();
	for (size_t i = 0; i < p->n_roles; i++)
		json_array_append_new(roles, json_string(role_name(p->roles[i])));
	for (size_t i = 0; i < p->n_primitives; i++) {
		char *s = xasprintf("%s:%s", role_name(p->primitives[i].role), p->primitives[i].name);
		json_array_append_new(prims, json_string(s));
		free(s);
	}
	for (size_t i = 0; i < p->n_cleanup; i++)
		json_array_append_new(cleanup, json_pack("{s:s,s:s,s:s,s:I}", "function", p->cleanup[i].function,
							 "label", p->cleanup[i].label, "file", p->cleanup[i].file,
							 "line", (json_int_t)p->cleanup[i].line));
	return json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:I,s:o,s:o,s:o,s:o,s:o,s:o,s:{s:o,s:o},s:o,s:o,s:o,s:o}",
			 "id", p->id, "object", p->object, "op", p->op, "kind", p->kind, "source", p->source,
			 "function", p->function, "usr", p->usr, "file", p->file, "line", (json_int_t)p->line,
			 "reach", wstrv(&p->reach), "reach_usrs", wstrv(&p->reach_usrs), "transitions",
			 wstrv(&p->transitions), "roles", roles, "primitives", prims, "locks", wstrv(&p->locks),
			 "ledger", "charges", wstrv(&p->charges), "releases", wstrv(&p->releases),
			 "unresolved", wunres(p->unresolved, p->n_unresolved), "cleanup", cleanup,
			 "copies", wcopies(p->copies, p->n_copies), "returns", wrets(p->returns, p->n_returns));
}

static json_t *wtables(const struct model *m)
{
	json_t *tables = json_object();
	for (size_t i = 0; i < m->n_tables; i++) {
		const struct table *t = &m->tables[i];
		json_t *es = json_array();
		for (size_t j = 0; j < t->n_entries; j++)
			json_array_append_new(es, json_pack("{s:s,s:s,s:s}", "key", t->entries[j].key, "name",
							    t->entries[j].name, "usr", t->entries[j].usr));
		json_object_set_new(tables, t->usr, json_pack("{s:s,s:s,s:I,s:s,s:b,s:o}", "name", t->name, "file",
							      t->file, "line", (json_int_t)t->line, "type", t->type,
							      "static", t->is_static, "entries", es));
	}
	return tables;
}

static json_t *wmachines(const struct model *m)
{
	json_t *machines = json_object();
	for (size_t i = 0; i < m->n_machines; i++) {
		const struct machine *mc = &m->machines[i];
		json_t *ts = json_array();
		for (size_t j = 0; j < mc->n_transitions; j++)
			json_array_append_new(ts, wtransition(&mc->transitions[j]));
		json_object_set_new(machines, mc->name, json_pack("{s:o,s:o,s:o,s:o,s:o}", "enum", wstr(mc->enum_name),
								  "file", wstr(mc->file), "line",
								  mc->has_enum ? json_integer((json_int_t)mc->line) : json_null(),
								  "states", wstrv(&mc->states), "transitions", ts));
	}
	return machines;
}

static json_t *wsites(const struct model *m)
{
	json_t *sites = json_array();
	for (size_t i = 0; i < m->n_primitive_sites; i++) {
		const struct prim_site *s = &m->primitive_sites[i];
		json_array_append_new(sites, json_pack("{s:s,s:s,s:s,s:s,s:s,s:I,s:I,s:o}", "role", role_name(s->role),
						       "name", s->name, "function", s->function, "usr", s->usr,
						       "file", s->file, "line", (json_int_t)s->line, "col",
						       (json_int_t)s->col, "args", wstrv(&s->args)));
	}
	return sites;
}

static json_t *wpresent(const struct model *m)
{
	json_t *present = json_object();
	for (size_t i = 0; i < m->n_present; i++) {
		json_t *a = json_array();
		for (size_t j = 0; j < m->present[i].n; j++) {
			const struct presence *p = &m->present[i].v[j];
			json_array_append_new(a, json_pack("{s:s,s:s,s:I,s:s}", "name", p->name, "file", p->file,
							   "line", (json_int_t)p->line, "how", p->how));
		}
		json_object_set_new(present, role_name(m->present[i].role), a);
	}
	return present;
}

static json_t *wobligations(const struct model *m)
{
	json_t *obls = json_array();
	for (size_t i = 0; i < m->n_obligations; i++) {
		const struct obligation *b = &m->obligations[i];
		json_t *ws = json_array();
		for (size_t j = 0; j < b->n_witnesses; j++) {
			json_t *w = json_pack("{s:s}", "test", b->witnesses[j].test);
			set_opt(w, "kind", b->witnesses[j].kind);
			json_array_append_new(ws, w);
		}
		json_t *mut = json_pack("{s:s}", "status", b->mutant.status);
		set_opt(mut, "key", b->mutant.key);
		set_opt(mut, "justification", b->mutant.justification);
		json_array_append_new(obls, json_pack("{s:s,s:s,s:o,s:s,s:s,s:I,s:s,s:o,s:o}", "id", b->id,
						      "class", b->cls, "role",
						      b->role >= 0 ? json_string(role_name((enum role)b->role)) : json_null(),
						      "function", b->function, "file", b->file, "line", (json_int_t)b->line,
						      "site", b->site, "witnesses", ws, "mutant", mut));
	}
	return obls;
}

/* derived_wrappers (with key and key_arg) or derivation_pending (pair, function, dir only). */
static json_t *wwrappers(const struct wrapper *w, size_t n, bool with_key)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *o = json_pack("{s:s,s:s,s:I}", "pair", w[i].pair, "function", w[i].function, "dir",
				      (json_int_t)w[i].dir);
		if (with_key)
			json_object_set_new(o, "key", json_string(w[i].key));
		if (with_key && w[i].has_key_arg)
			json_object_set_new(o, "key_arg", json_integer((json_int_t)w[i].key_arg));
		json_array_append_new(a, o);
	}
	return a;
}

json_t *model_write_wrappers(const struct wrapper *w, size_t n)
{
	return wwrappers(w, n, true);
}

json_t *model_write_facts(const struct model *m)
{
	json_t *fns = json_object(), *decls = json_object(), *enums = json_object();
	for (size_t i = 0; i < m->n_functions; i++)
		json_object_set_new(fns, m->functions[i].usr, wfunction(&m->functions[i]));
	for (size_t i = 0; i < m->n_decls; i++)
		json_object_set_new(decls, m->decls[i].usr, json_pack("{s:s,s:s,s:I}", "name", m->decls[i].name,
								      "file", m->decls[i].file, "line",
								      (json_int_t)m->decls[i].line));
	for (size_t i = 0; i < m->n_enums; i++)
		json_object_set_new(enums, m->enums[i].name, json_pack("{s:s,s:I,s:o}", "file", m->enums[i].file,
								       "line", (json_int_t)m->enums[i].line,
								       "constants", wstrv(&m->enums[i].constants)));
	return json_pack("{s:o,s:o,s:o,s:o}", "functions", fns, "decls", decls, "enums", enums, "tables", wtables(m));
}

json_t *model_write(const struct model *m)
{
	json_t *fns = json_object(), *decls = json_object(), *enums = json_object();
	json_t *trans = json_array(), *terr = json_array(), *ops = json_object();
	for (size_t i = 0; i < m->n_functions; i++)
		json_object_set_new(fns, m->functions[i].usr, wfunction(&m->functions[i]));
	for (size_t i = 0; i < m->n_decls; i++)
		json_object_set_new(decls, m->decls[i].usr, json_pack("{s:s,s:s,s:I}", "name", m->decls[i].name,
								      "file", m->decls[i].file, "line",
								      (json_int_t)m->decls[i].line));
	for (size_t i = 0; i < m->n_enums; i++)
		json_object_set_new(enums, m->enums[i].name, json_pack("{s:s,s:I,s:o}", "file", m->enums[i].file,
								       "line", (json_int_t)m->enums[i].line,
								       "constants", wstrv(&m->enums[i].constants)));
	for (size_t i = 0; i < m->n_transitions; i++)
		json_array_append_new(trans, wtransition(&m->transitions[i]));
	for (size_t i = 0; i < m->n_transition_errors; i++) {
		const struct transition_error *t = &m->transition_errors[i];
		json_array_append_new(terr, json_pack("{s:s,s:s,s:s,s:s,s:I,s:o}", "machine", t->machine, "function",
						      t->function, "usr", t->usr, "file", t->file, "line",
						      (json_int_t)t->line, "args", wstrv(&t->args)));
	}
	for (size_t i = 0; i < m->n_operations; i++)
		json_object_set_new(ops, m->operations[i].id, woperation(&m->operations[i]));
	json_t *j = json_pack("{s:s,s:s,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o}", "schema", m->schema,
			      "config", m->config, "tus", wstrv(&m->tus), "functions", fns, "decls", decls, "enums",
			      enums, "tables", wtables(m), "machines", wmachines(m), "transitions", trans,
			      "transition_errors", terr, "primitive_sites", wsites(m), "operations", ops, "present",
			      wpresent(m), "obligations", wobligations(m));
	if (m->has_derived_wrappers)
		json_object_set_new(j, "derived_wrappers", wwrappers(m->derived_wrappers, m->n_derived_wrappers, true));
	if (m->has_derivation_pending)
		json_object_set_new(j, "derivation_pending", wwrappers(m->derivation_pending, m->n_derivation_pending, false));
	return j;
}

/* ---- freeing and lookup ---- */

static void free_strv(struct strv *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
}

static void free_rets(struct ret_path *p, size_t n)
{
	for (size_t i = 0; p && i < n; i++) {
		for (size_t j = 0; j < p[i].n_held; j++)
			free(p[i].held[j].key);
		free(p[i].held);
		free(p[i].kind);
		free(p[i].value);
		free(p[i].preds.v);
	}
	free(p);
}

static void free_copies(struct copy *c, size_t n)
{
	for (size_t i = 0; c && i < n; i++) {
		free(c[i].name);
		free(c[i].reason);
		free(c[i].function);
		free(c[i].file);
	}
	free(c);
}

static void free_unres(struct unresolved *u, size_t n)
{
	for (size_t i = 0; u && i < n; i++) {
		free(u[i].via);
		free(u[i].member);
		free(u[i].function);
		free(u[i].file);
	}
	free(u);
}

static void free_transitions(struct transition *t, size_t n)
{
	for (size_t i = 0; t && i < n; i++) {
		char *s[] = {t[i].id, t[i].machine, t[i].from, t[i].to, t[i].function, t[i].usr, t[i].file};
		for (size_t k = 0; k < sizeof s / sizeof s[0]; k++)
			free(s[k]);
	}
	free(t);
}

static void free_call(struct call *c)
{
	char *s[] = {c->name, c->usr, c->label, c->via, c->via_name, c->member, c->type, c->machine, c->to, c->ret_var};
	for (size_t k = 0; k < sizeof s / sizeof s[0]; k++)
		free(s[k]);
	free_strv(&c->args);
	free_strv(&c->consts);
	for (size_t i = 0; i < c->n_fnrefs; i++)
		free(c->fnrefs[i].usr);
	free(c->fnrefs);
	free(c->fwd);
}

void model_function_free(struct function *f)
{
	free(f->usr);
	free(f->name);
	free(f->file);
	free(f->tlb);
	free_strv(&f->params);
	free_strv(&f->annotations);
	free_strv(&f->callees);
	free_strv(&f->bounds);
	for (size_t i = 0; f->calls && i < f->n_calls; i++)
		free_call(&f->calls[i]);
	free(f->calls);
	free_rets(f->returns, f->n_returns);
	for (size_t i = 0; f->labels && i < f->n_labels; i++)
		free(f->labels[i].name);
	free(f->labels);
	free_copies(f->copies, f->n_copies);
	for (size_t i = 0; f->uderefs && i < f->n_uderefs; i++) {
		free(f->uderefs[i].var);
		free(f->uderefs[i].text);
	}
	free(f->uderefs);
	strv_free(&f->ufields);
	free_unres(f->unresolved, f->n_unresolved);
	for (size_t i = 0; f->order && i < f->n_order; i++) {
		free(f->order[i].name);
		free(f->order[i].via);
	}
	free(f->order);
	for (size_t i = 0; f->cfg && i < f->n_cfg; i++)
		free(f->cfg[i].v);
	free(f->cfg);
	free_strv(&f->fail_vars);
	for (size_t i = 0; f->tlb_sites && i < f->n_tlb_sites; i++) {
		free(f->tlb_sites[i].name);
		free(f->tlb_sites[i].via);
		free(f->tlb_sites[i].free_name);
		free_strv(&f->tlb_sites[i].by);
	}
	free(f->tlb_sites);
}

static void free_operation(struct operation *p)
{
	char *s[] = {p->id, p->object, p->op, p->kind, p->source, p->function, p->usr, p->file};
	for (size_t k = 0; k < sizeof s / sizeof s[0]; k++)
		free(s[k]);
	struct strv *l[] = {&p->reach, &p->reach_usrs, &p->transitions, &p->locks, &p->charges, &p->releases};
	for (size_t k = 0; k < sizeof l / sizeof l[0]; k++)
		free_strv(l[k]);
	free(p->roles);
	for (size_t i = 0; p->primitives && i < p->n_primitives; i++)
		free(p->primitives[i].name);
	free(p->primitives);
	free_unres(p->unresolved, p->n_unresolved);
	for (size_t i = 0; p->cleanup && i < p->n_cleanup; i++) {
		free(p->cleanup[i].function);
		free(p->cleanup[i].label);
		free(p->cleanup[i].file);
	}
	free(p->cleanup);
	free_copies(p->copies, p->n_copies);
	free_rets(p->returns, p->n_returns);
}

void model_free(struct model *m)
{
	free(m->schema);
	free(m->config);
	free_strv(&m->tus);
	for (size_t i = 0; m->functions && i < m->n_functions; i++)
		model_function_free(&m->functions[i]);
	free(m->functions);
	for (size_t i = 0; m->decls && i < m->n_decls; i++) {
		free(m->decls[i].usr);
		free(m->decls[i].name);
		free(m->decls[i].file);
	}
	free(m->decls);
	for (size_t i = 0; m->enums && i < m->n_enums; i++) {
		free(m->enums[i].name);
		free(m->enums[i].file);
		free_strv(&m->enums[i].constants);
	}
	free(m->enums);
	for (size_t i = 0; m->tables && i < m->n_tables; i++) {
		struct table *t = &m->tables[i];
		for (size_t j = 0; t->entries && j < t->n_entries; j++) {
			free(t->entries[j].key);
			free(t->entries[j].name);
			free(t->entries[j].usr);
		}
		free(t->entries);
		free(t->usr);
		free(t->name);
		free(t->file);
		free(t->type);
	}
	free(m->tables);
	for (size_t i = 0; m->machines && i < m->n_machines; i++) {
		free(m->machines[i].name);
		free(m->machines[i].enum_name);
		free(m->machines[i].file);
		free_strv(&m->machines[i].states);
		free_transitions(m->machines[i].transitions, m->machines[i].n_transitions);
	}
	free(m->machines);
	free_transitions(m->transitions, m->n_transitions);
	for (size_t i = 0; m->transition_errors && i < m->n_transition_errors; i++) {
		struct transition_error *t = &m->transition_errors[i];
		free(t->machine);
		free(t->function);
		free(t->usr);
		free(t->file);
		free_strv(&t->args);
	}
	free(m->transition_errors);
	for (size_t i = 0; m->primitive_sites && i < m->n_primitive_sites; i++) {
		struct prim_site *s = &m->primitive_sites[i];
		free(s->name);
		free(s->function);
		free(s->usr);
		free(s->file);
		free_strv(&s->args);
	}
	free(m->primitive_sites);
	for (size_t i = 0; m->operations && i < m->n_operations; i++)
		free_operation(&m->operations[i]);
	free(m->operations);
	for (size_t i = 0; m->present && i < m->n_present; i++) {
		for (size_t j = 0; j < m->present[i].n; j++) {
			free(m->present[i].v[j].name);
			free(m->present[i].v[j].file);
			free(m->present[i].v[j].how);
		}
		free(m->present[i].v);
	}
	free(m->present);
	for (size_t i = 0; m->obligations && i < m->n_obligations; i++) {
		struct obligation *b = &m->obligations[i];
		char *s[] = {b->id, b->cls, b->function, b->file, b->site, b->mutant.status, b->mutant.key,
			     b->mutant.justification};
		for (size_t k = 0; k < sizeof s / sizeof s[0]; k++)
			free(s[k]);
		for (size_t j = 0; j < b->n_witnesses; j++) {
			free(b->witnesses[j].test);
			free(b->witnesses[j].kind);
		}
		free(b->witnesses);
	}
	free(m->obligations);
	for (size_t i = 0; m->derived_wrappers && i < m->n_derived_wrappers; i++) {
		free(m->derived_wrappers[i].pair);
		free(m->derived_wrappers[i].function);
		free(m->derived_wrappers[i].key);
	}
	free(m->derived_wrappers);
	for (size_t i = 0; m->derivation_pending && i < m->n_derivation_pending; i++) {
		free(m->derivation_pending[i].pair);
		free(m->derivation_pending[i].function);
	}
	free(m->derivation_pending);
	memset(m, 0, sizeof *m);
}

const struct function *model_function(const struct model *m, const char *usr)
{
	size_t lo = 0, hi = m->n_functions;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(m->functions[mid].usr, usr);
		if (!c)
			return &m->functions[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* ---- the JSON edges of the link step and of model files ---- */

/* Every member of obj named in keys ("name:type", type one of s i a o) has that JSON type;
 * a missing one too when required. */
static bool has_members(json_t *obj, const char *const *keys, bool required)
{
	if (!json_is_object(obj))
		return false;
	for (const char *const *k = keys; *k; k++) {
		const char *colon = strchr(*k, ':');
		char *name = xasprintf("%.*s", (int)(colon - *k), *k);
		json_t *v = json_object_get(obj, name);
		free(name);
		if (!v) {
			if (required)
				return false;
			continue;
		}
		char t = colon[1];
		if ((t == 's' && !json_is_string(v)) || (t == 'i' && !json_is_integer(v)) ||
		    (t == 'a' && !json_is_array(v)) || (t == 'o' && !json_is_object(v)))
			return false;
	}
	return true;
}

static bool all_strings(json_t *a)
{
	size_t i;
	json_t *e;
	json_array_foreach(a, i, e) if (!json_is_string(e)) return false;
	return true;
}

const char *model_unsound(json_t *m)
{
	static const char *const top[] = {"config:s", "functions:o", "transitions:a", "operations:o", "machines:o",
					  "enums:o", "tables:o", "transition_errors:a", "primitive_sites:a", "obligations:a", NULL};
	static const char *const tr[] = {"id:s", "machine:s", "from:s", "to:s", "function:s", "file:s", "line:i", NULL};
	static const char *const fn[] = {"name:s", "file:s", "line:i", "calls:a", "returns:a", NULL};
	static const char *const op[] = {"transitions:a", "primitives:a", "locks:a", "ledger:o", "returns:a", NULL};
	static const char *const lists[] = {"transitions", "primitives", "locks", "roles", NULL};
	json_t *v, *x;
	const char *k, *sub;
	size_t i;
	if (!has_members(m, top, true))
		return "a top-level member is missing or of the wrong type";
	json_array_foreach(json_object_get(m, "transitions"), i, v) if (!has_members(v, tr, true)) return "a transitions[] entry is malformed";
	json_object_foreach(json_object_get(m, "functions"), k, v) if (!has_members(v, fn, false)) return "a functions{} entry is malformed";
	json_object_foreach(json_object_get(m, "operations"), k, v) {
		if (!has_members(v, op, false))
			return "an operations{} entry is malformed";
		for (const char *const *l = lists; *l; l++)
			if (!all_strings(json_object_get(v, *l)))
				return "an operation lists something that is not a string";
		json_object_foreach(json_object_get(v, "ledger"), sub, x) if (!json_is_array(x) || !all_strings(x)) return "an operation's ledger effects are malformed";
	}
	return NULL;
}

int model_load(const char *path, struct model *out)
{
	json_error_t err;
	memset(out, 0, sizeof *out);
	json_t *m = json_read_file(path, 0, &err);
	if (!m) {
		json_load_error("model", path, &err);
		return -1;
	}
	const char *s = json_string_value(json_object_get(m, "schema"));
	if (!s || strcmp(s, INV_MODEL_SCHEMA) != 0) {
		fprintf(stderr, "%s: model schema is '%s', this tool reads '%s'\n", path, s ? s : "(none)",
			INV_MODEL_SCHEMA);
		json_decref(m);
		return -1;
	}
	const char *why = model_unsound(m);
	if (why) {
		fprintf(stderr, "%s: not a model `inventory scan` wrote: %s; run `inventory scan` again\n", path, why);
		json_decref(m);
		return -1;
	}
	why = model_read(m, out);
	json_decref(m);
	if (why) {
		fprintf(stderr, "%s: not a model `inventory scan` wrote: %s\n", path, why);
		return -1;
	}
	return 0;
}

char *model_text(const struct model *m)
{
	json_t *j = model_write(m);
	char *t = json_text(j);
	json_decref(j);
	return t;
}
