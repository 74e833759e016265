/* config.c: questions asked of the typed config (roles, primitive patterns, pairs, rules, scope)
 * and its copy and release. Loading and validating it is config_io.c (the JSON edge). */
#include "config.h"
#include "model.h"
#include "util.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const roles[ROLE_COUNT + 1] = {
	"pte_write", "pte_clear", "pte_weaken", "pte_query",
	"tlb_local", "tlb_shootdown", "tlb_wait",
	"frame_alloc", "frame_free", "frame_defer_free",
	"ledger_charge", "ledger_release", "ledger_transfer",
	"lock_acquire", "lock_release", "user_copy", "ipi",
	"dma", "swap", NULL,
};

const char *role_name(enum role r)
{
	return (unsigned)r < ROLE_COUNT ? roles[r] : "?";
}

int role_from_name(const char *name)
{
	for (int r = 0; name && r < ROLE_COUNT; r++)
		if (strcmp(roles[r], name) == 0)
			return r;
	return -1;
}

enum role_class role_class_of(int r)
{
	switch (r) {
	case ROLE_PTE_WRITE: case ROLE_PTE_CLEAR: case ROLE_PTE_WEAKEN: case ROLE_PTE_QUERY:
		return RC_PTE;
	case ROLE_TLB_LOCAL: case ROLE_TLB_SHOOTDOWN: case ROLE_TLB_WAIT: return RC_TLB;
	case ROLE_IPI: return RC_IPI;
	case ROLE_FRAME_ALLOC: case ROLE_FRAME_FREE: case ROLE_FRAME_DEFER_FREE: return RC_FRAME;
	case ROLE_LEDGER_CHARGE: case ROLE_LEDGER_RELEASE: case ROLE_LEDGER_TRANSFER: return RC_LEDGER;
	case ROLE_LOCK_ACQUIRE: case ROLE_LOCK_RELEASE: return RC_LOCK;
	case ROLE_USER_COPY: return RC_USER_COPY;
	case ROLE_DMA: case ROLE_SWAP: return RC_FORBIDDEN;
	default: return RC_NONE;
	}
}

bool role_removes_access(int r)
{
	return r == ROLE_PTE_CLEAR || r == ROLE_PTE_WEAKEN;
}

bool role_mutates_pte(int r)
{
	return r == ROLE_PTE_WRITE || role_removes_access(r);
}

/* Trimmed copy of [b, e). */
static char *trimmed(const char *b, const char *e)
{
	while (b < e && (*b == ' ' || *b == '\t'))
		b++;
	while (e > b && (e[-1] == ' ' || e[-1] == '\t'))
		e--;
	return xasprintf("%.*s", (int)(e - b), b);
}

bool prim_pattern_match_v(const char *pat, const char *name, const char *const *args, size_t nargs, bool known)
{
	const char *open = strchr(pat, '(');
	if (!open)
		return glob_match(pat, name);
	char *np = xasprintf("%.*s", (int)(open - pat), pat);
	bool ok = glob_match(np, name) && known;
	free(np);
	/* Argument conditions: "walk(_, _, 1)": `_` is any argument, anything else must equal the
	 * argument as written (macro arguments as the AST spells them). */
	const char *p = open + 1, *end = strrchr(pat, ')');
	size_t i = 0;
	while (ok && end && p <= end) {
		const char *q = p;
		while (q < end && *q != ',')
			q++;
		char *want = trimmed(p, q);
		const char *have = i < nargs ? args[i] : NULL;
		ok = strcmp(want, "_") == 0 ? have != NULL : (have && strcmp(want, have) == 0);
		free(want);
		i++;
		p = q + 1;
	}
	return ok;
}

static int call_role(const struct config *c, const char *name, const char *const *args, size_t nargs, bool known)
{
	for (int r = 0; name && r < ROLE_COUNT; r++)
		for (size_t i = 0; i < c->prim[r].n; i++)
			if (prim_pattern_match_v(c->prim[r].v[i], name, args, nargs, known))
				return r;
	return -1;
}

int config_call_role_v(const struct config *c, const char *name, const char *const *args, size_t nargs)
{
	return call_role(c, name, args, nargs, true);
}

int config_role(const struct config *c, const char *name)
{
	return call_role(c, name, NULL, 0, false);
}

const struct rule_cfg *config_rule(const struct config *c, const char *id)
{
	for (size_t i = 0; i < c->n_rules; i++)
		if (!strcmp(c->rules[i].id, id))
			return &c->rules[i];
	return NULL;
}

const char *config_rule_reason(const struct config *c, const char *id, bool *enabled, const char **severity)
{
	const struct rule_cfg *r = config_rule(c, id);
	if (enabled)
		*enabled = !(r && r->has_enabled && !r->enabled);
	if (severity)
		*severity = r ? r->severity : NULL;
	return r ? r->reason : NULL;
}

bool config_in_scope(const struct config *c, const char *rel)
{
	return globs_match(&c->include, rel) && !globs_match(&c->exclude, rel);
}

int config_pair_of_key(const struct config *cfg, const char *key, char **inner)
{
	for (size_t i = 0; i < cfg->n_pairs; i++) {
		const char *n = cfg->pairs[i].name;
		size_t l = strlen(n), kl = strlen(key);
		if (strncmp(key, n, l) == 0 && key[l] == '(' && key[kl - 1] == ')') {
			*inner = xasprintf("%.*s", (int)(kl - l - 2), key + l + 1);
			return (int)i;
		}
	}
	return -1;
}

const char *config_pair_name(const struct config *cfg, int i)
{
	return cfg->pairs[i].name;
}

bool config_pair_derives(const struct config *cfg, int i)
{
	return cfg->pairs[i].derive_wrappers;
}

bool config_pair_names(const struct config *cfg, int i, const char *fn)
{
	return globs_match(&cfg->pairs[i].acquire, fn) || globs_match(&cfg->pairs[i].release, fn);
}

int config_pair_of_fn(const struct config *cfg, const char *fn, int *dir)
{
	for (size_t i = 0; i < cfg->n_pairs; i++) {
		int d = globs_match(&cfg->pairs[i].acquire, fn) ? 1 : globs_match(&cfg->pairs[i].release, fn) ? -1 : 0;
		if (d) {
			*dir = d;
			return (int)i;
		}
	}
	return -1;
}

/* ---- copy and release ---- */

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

static void pair_copy(struct pair_cfg *d, const struct pair_cfg *s)
{
	d->name = xstrdup(s->name);
	strv_copy(&d->acquire, &s->acquire);
	strv_copy(&d->release, &s->release);
	strv_copy(&d->key_return, &s->key_return);
	d->n_key_args = s->n_key_args;
	d->key_args = xcalloc(s->n_key_args ? s->n_key_args : 1, sizeof *d->key_args);
	memcpy(d->key_args, s->key_args, sizeof *d->key_args * s->n_key_args);
	d->n_fixed = s->n_fixed;
	d->fixed = xcalloc(s->n_fixed ? s->n_fixed : 1, sizeof *d->fixed);
	for (size_t i = 0; i < s->n_fixed; i++)
		d->fixed[i] = (struct pair_fixed){xstrdup(s->fixed[i].fn), xstrdup(s->fixed[i].key)};
	d->n_fn_args = s->n_fn_args;
	d->fn_args = xcalloc(s->n_fn_args ? s->n_fn_args : 1, sizeof *d->fn_args);
	for (size_t i = 0; i < s->n_fn_args; i++) {
		d->fn_args[i] = (struct pair_fn_args){xstrdup(s->fn_args[i].fn),
						      xcalloc(s->fn_args[i].n ? s->fn_args[i].n : 1, sizeof(long long)),
						      s->fn_args[i].n};
		memcpy(d->fn_args[i].v, s->fn_args[i].v, sizeof(long long) * s->fn_args[i].n);
	}
	d->fallible = s->fallible;
	d->derive_wrappers = s->derive_wrappers;
}

void config_copy(const struct config *s, struct config *d)
{
	memset(d, 0, sizeof *d);
	memcpy(d->hash, s->hash, sizeof d->hash);
	memcpy(d->file_hash, s->file_hash, sizeof d->file_hash);
	d->root_dir = dup_or_null(s->root_dir);
	strv_copy(&d->include, &s->include);
	strv_copy(&d->exclude, &s->exclude);
	strv_copy(&d->require_args, &s->require_args);
	strv_copy(&d->source_ext, &s->source_ext);
	for (int r = 0; r < ROLE_COUNT; r++)
		strv_copy(&d->prim[r], &s->prim[r]);
	d->n_pairs = s->n_pairs;
	d->pairs = xcalloc(s->n_pairs ? s->n_pairs : 1, sizeof *d->pairs);
	for (size_t i = 0; i < s->n_pairs; i++)
		pair_copy(&d->pairs[i], &s->pairs[i]);
	strv_copy(&d->success, &s->success);
	d->n_families = s->n_families;
	d->families = xcalloc(s->n_families ? s->n_families : 1, sizeof *d->families);
	for (size_t i = 0; i < s->n_families; i++) {
		strv_copy(&d->families[i].functions, &s->families[i].functions);
		strv_copy(&d->families[i].success, &s->families[i].success);
	}
	d->trans_fn = dup_or_null(s->trans_fn);
	d->state_enum = dup_or_null(s->state_enum);
	d->from_arg = s->from_arg;
	d->to_arg = s->to_arg;
	strv_copy(&d->state_ignore, &s->state_ignore);
	strv_copy(&d->op_tables, &s->op_tables);
	d->table_object = dup_or_null(s->table_object);
	strv_copy(&d->op_functions, &s->op_functions);
	d->n_entries = s->n_entries;
	d->entries = xcalloc(s->n_entries ? s->n_entries : 1, sizeof *d->entries);
	for (size_t i = 0; i < s->n_entries; i++)
		d->entries[i] = (struct entry_cfg){dup_or_null(s->entries[i].name), xstrdup(s->entries[i].function),
						   s->entries[i].optional};
	strv_copy(&d->stable_annotations, &s->stable_annotations);
	strv_copy(&d->stable_suffixes, &s->stable_suffixes);
	strv_copy(&d->user_sources, &s->user_sources);
	strv_copy(&d->user_fields, &s->user_fields);
	d->user_marker = dup_or_null(s->user_marker);
	d->stable_lock = s->stable_lock;
	d->stable_self = s->stable_self;
	d->tlb_comment = dup_or_null(s->tlb_comment);
	d->n_forbidden = s->n_forbidden;
	d->forbidden = xcalloc(s->n_forbidden ? s->n_forbidden : 1, sizeof *d->forbidden);
	for (size_t i = 0; i < s->n_forbidden; i++) {
		d->forbidden[i].role = s->forbidden[i].role;
		strv_copy(&d->forbidden[i].until, &s->forbidden[i].until);
	}
	strv_copy(&d->ev_dirs, &s->ev_dirs);
	strv_copy(&d->ev_exclude, &s->ev_exclude);
	strv_copy(&d->ev_ext, &s->ev_ext);
	d->proof_table = dup_or_null(s->proof_table);
	d->backlog = dup_or_null(s->backlog);
	d->config_dir = dup_or_null(s->config_dir);
	d->proof_table_path = dup_or_null(s->proof_table_path);
	d->backlog_path = dup_or_null(s->backlog_path);
	d->waivers = dup_or_null(s->waivers);
	d->waivers_path = dup_or_null(s->waivers_path);
	strv_copy(&d->optional_prims, &s->optional_prims);
	d->n_rules = s->n_rules;
	d->rules = xcalloc(s->n_rules ? s->n_rules : 1, sizeof *d->rules);
	for (size_t i = 0; i < s->n_rules; i++)
		d->rules[i] = (struct rule_cfg){xstrdup(s->rules[i].id), dup_or_null(s->rules[i].severity),
						dup_or_null(s->rules[i].reason), s->rules[i].has_enabled, s->rules[i].enabled};
	d->inventory_title = dup_or_null(s->inventory_title);
	d->backlog_group = dup_or_null(s->backlog_group);
	d->n_stores = s->n_stores;
	d->stores = xcalloc(s->n_stores ? s->n_stores : 1, sizeof *d->stores);
	for (size_t i = 0; i < s->n_stores; i++)
		d->stores[i] = (struct store_cfg){s->stores[i].role, dup_or_null(s->stores[i].lvalue_type),
						  dup_or_null(s->stores[i].base_type), dup_or_null(s->stores[i].field),
						  dup_or_null(s->stores[i].value), s->stores[i].compound};
	d->n_state_fields = s->n_state_fields;
	d->state_fields = xcalloc(s->n_state_fields ? s->n_state_fields : 1, sizeof *d->state_fields);
	for (size_t i = 0; i < s->n_state_fields; i++)
		d->state_fields[i] = (struct state_field_cfg){xstrdup(s->state_fields[i].machine),
							      xstrdup(s->state_fields[i].field),
							      dup_or_null(s->state_fields[i].state_enum)};
}

void config_free(struct config *c)
{
	free(c->root_dir);
	strv_free(&c->include);
	strv_free(&c->exclude);
	strv_free(&c->require_args);
	strv_free(&c->source_ext);
	for (int r = 0; r < ROLE_COUNT; r++)
		strv_free(&c->prim[r]);
	for (size_t i = 0; c->pairs && i < c->n_pairs; i++) {
		struct pair_cfg *p = &c->pairs[i];
		free(p->name);
		strv_free(&p->acquire);
		strv_free(&p->release);
		strv_free(&p->key_return);
		free(p->key_args);
		for (size_t j = 0; j < p->n_fixed; j++)
			free(p->fixed[j].fn), free(p->fixed[j].key);
		free(p->fixed);
		for (size_t j = 0; j < p->n_fn_args; j++)
			free(p->fn_args[j].fn), free(p->fn_args[j].v);
		free(p->fn_args);
	}
	free(c->pairs);
	strv_free(&c->success);
	for (size_t i = 0; c->families && i < c->n_families; i++)
		strv_free(&c->families[i].functions), strv_free(&c->families[i].success);
	free(c->families);
	free(c->trans_fn);
	free(c->state_enum);
	strv_free(&c->state_ignore);
	strv_free(&c->op_tables);
	free(c->table_object);
	strv_free(&c->op_functions);
	for (size_t i = 0; c->entries && i < c->n_entries; i++)
		free(c->entries[i].name), free(c->entries[i].function);
	free(c->entries);
	strv_free(&c->stable_annotations);
	strv_free(&c->stable_suffixes);
	strv_free(&c->user_sources);
	strv_free(&c->user_fields);
	free(c->user_marker);
	free(c->tlb_comment);
	for (size_t i = 0; c->forbidden && i < c->n_forbidden; i++)
		strv_free(&c->forbidden[i].until);
	free(c->forbidden);
	strv_free(&c->ev_dirs);
	strv_free(&c->ev_exclude);
	strv_free(&c->ev_ext);
	free(c->proof_table);
	free(c->backlog);
	free(c->config_dir);
	free(c->proof_table_path);
	free(c->backlog_path);
	free(c->waivers);
	free(c->waivers_path);
	strv_free(&c->optional_prims);
	for (size_t i = 0; c->rules && i < c->n_rules; i++)
		free(c->rules[i].id), free(c->rules[i].severity), free(c->rules[i].reason);
	free(c->rules);
	free(c->inventory_title);
	free(c->backlog_group);
	for (size_t i = 0; c->stores && i < c->n_stores; i++) {
		free(c->stores[i].lvalue_type);
		free(c->stores[i].base_type);
		free(c->stores[i].field);
		free(c->stores[i].value);
	}
	free(c->stores);
	for (size_t i = 0; c->state_fields && i < c->n_state_fields; i++) {
		free(c->state_fields[i].machine);
		free(c->state_fields[i].field);
		free(c->state_fields[i].state_enum);
	}
	free(c->state_fields);
	memset(c, 0, sizeof *c);
}

void config_with_wrappers_t(const struct config *base, const struct wrapper *w, size_t n, struct config *out)
{
	struct sbuf id = {0};
	config_copy(base, out);
	sb_printf(&id, "%s\n", base->hash);
	for (size_t i = 0; i < n; i++) {
		sb_printf(&id, "%s\x1f%s\x1f%lld\x1f%s\x1f%lld\n", w[i].pair, w[i].function, w[i].dir,
			  w[i].key ? w[i].key : "", w[i].has_key_arg ? w[i].key_arg : -1);
		for (size_t j = 0; j < out->n_pairs; j++) {
			struct pair_cfg *p = &out->pairs[j];
			if (strcmp(p->name, w[i].pair) != 0)
				continue;
			strv_push(w[i].dir > 0 ? &p->acquire : &p->release, w[i].function);
			if (w[i].has_key_arg) {
				p->fn_args = xrealloc(p->fn_args, sizeof *p->fn_args * (p->n_fn_args + 1));
				struct pair_fn_args *x = &p->fn_args[p->n_fn_args++];
				*x = (struct pair_fn_args){xstrdup(w[i].function), xcalloc(1, sizeof(long long)), 1};
				x->v[0] = w[i].key_arg;
			} else if (w[i].key) {
				p->fixed = xrealloc(p->fixed, sizeof *p->fixed * (p->n_fixed + 1));
				p->fixed[p->n_fixed++] = (struct pair_fixed){xstrdup(w[i].function), xstrdup(w[i].key)};
			}
		}
	}
	/* The per-TU cache key changes with the derived wrappers. */
	hash_hex(id.s, id.n, out->hash);
	memcpy(out->file_hash, base->file_hash, sizeof out->file_hash);
	sb_free(&id);
}

bool config_field_machine(const struct config *cfg, const char *machine)
{
	for (size_t i = 0; machine && i < cfg->n_state_fields; i++)
		if (!strcmp(cfg->state_fields[i].machine, machine))
			return true;
	return false;
}
