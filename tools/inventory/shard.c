/* shard.c: `scan --shard I/N` and `merge`, so a CI job matrix can split a very large tree.
 *
 * A shard scans the TUs whose index in the sorted TU list is I modulo N and keeps their facts
 * (struct shard; its file, schema capos-inventory-shard/1, is read and written in shard_io.c)
 * with the whole TU list and the derived wrappers it scanned with. `merge` checks that the
 * shards are one complete, consistent set, orders the facts as the compile database does and
 * links them exactly as `scan` does, on the structs. Wrapper derivation needs every TU re-walked
 * with the wrappers found: when the merged facts derive wrappers the shards did not use, merge
 * writes them (--wrappers-out) and exits 2, and the shards are run again with --wrappers; the
 * second merge gives the model an unsharded scan gives. */
#include "shard.h"
#include "model.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int shard_parse(const char *spec, int *i, int *n)
{
	char *end;
	long a = strtol(spec, &end, 10);
	if (end == spec || *end != '/')
		return -1;
	const char *p = end + 1;
	long b = strtol(p, &end, 10);
	if (end == p || *end || b < 1 || b > 100000 || a < 0 || a >= b)
		return -1;
	*i = (int)a;
	*n = (int)b;
	return 0;
}

/* Append copies of src to *dst. */
static void wrappers_copy(struct wrapper **dst, size_t *nd, const struct wrapper *src, size_t ns)
{
	*dst = xrealloc(*dst, sizeof **dst * (*nd + ns + 1));
	for (size_t i = 0; i < ns; i++)
		(*dst)[(*nd)++] = (struct wrapper){xstrdup(src[i].pair), xstrdup(src[i].function),
						  src[i].key ? xstrdup(src[i].key) : NULL, src[i].dir,
						  src[i].key_arg, src[i].has_key_arg};
}

static bool str_eq(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

static bool wrappers_eq(const struct wrapper *a, size_t na, const struct wrapper *b, size_t nb)
{
	if (na != nb)
		return false;
	for (size_t i = 0; i < na; i++)
		if (!str_eq(a[i].pair, b[i].pair) || !str_eq(a[i].function, b[i].function) ||
		    !str_eq(a[i].key, b[i].key) || a[i].dir != b[i].dir || a[i].has_key_arg != b[i].has_key_arg ||
		    (a[i].has_key_arg && a[i].key_arg != b[i].key_arg))
			return false;
	return true;
}

static bool strv_eq(const struct strv *a, const struct strv *b)
{
	if (a->n != b->n)
		return false;
	for (size_t i = 0; i < a->n; i++)
		if (!str_eq(a->v[i], b->v[i]))
			return false;
	return true;
}

void shard_free(struct shard *s)
{
	free(s->schema);
	free(s->config);
	strv_free(&s->tus);
	wrappers_free(s->wrappers, s->n_wrappers);
	scan_facts_free(s->facts, (int)s->n_facts);
	memset(s, 0, sizeof *s);
}

int shard_scan(const struct config *base, struct tu *tus, int n, int si, int sn, const struct wrapper *w,
	       size_t nw, struct scan_opts *so, struct shard *out)
{
	struct config cur;
	const struct config *cfg = base;
	memset(out, 0, sizeof *out);
	if (nw) {
		config_with_wrappers_t(base, w, nw, &cur);
		cfg = &cur;
	}
	struct tu *mine = xcalloc((size_t)n + 1, sizeof *mine);
	int nm = 0;
	for (int k = 0; k < n; k++)
		if (k % sn == si)
			mine[nm++] = tus[k];
	struct model *tf = NULL;
	int rc = 0;
	if (nm > 0 && scan_tus(cfg, mine, nm, so, &tf) < 0) {
		rc = -1;
	} else {
		out->schema = xstrdup(INV_SHARD_SCHEMA);
		out->config = xstrdup(base->file_hash);
		out->shard = si;
		out->of = sn;
		for (int k = 0; k < n; k++)
			strv_push(&out->tus, tus[k].rel);
		wrappers_copy(&out->wrappers, &out->n_wrappers, w, nw);
		out->facts = tf;  /* each TU's facts, named by their first TU */
		out->n_facts = (size_t)nm;
		for (int k = 0; k < nm; k++)
			if (!tf[k].tus.n)
				strv_push(&tf[k].tus, mine[k].rel);
	}
	free(mine);
	if (cfg != base)
		config_free(&cur);
	return rc;
}

/* Index of each TU of the whole list, for the order of the merged facts. */
static int tu_index(const struct strv *all, const char *rel)
{
	for (size_t i = 0; i < all->n; i++)
		if (!strcmp(all->v[i], rel))
			return (int)i;
	return -1;
}

/* Whether the shards are one complete, consistent set (every problem printed). */
static bool shards_consistent(const struct config *base, const struct shard *docs, int nd)
{
	const struct shard *first = &docs[0];
	long long of = first->of;
	char *seen = xcalloc((size_t)(of > 0 ? of : 1), 1);
	int bad = 0;
	for (int d = 0; d < nd; d++) {
		const struct shard *s = &docs[d];
		int si = (int)s->shard;
		if (!s->schema || strcmp(s->schema, INV_SHARD_SCHEMA))
			bad++, fprintf(stderr, "inventory merge: shard %d is not a %s document\n", d + 1, INV_SHARD_SCHEMA);
		else if (!s->config || strcmp(s->config, base->file_hash))
			bad++, fprintf(stderr, "inventory merge: shard %d was scanned with another config\n", d + 1);
		else if (s->of != of || of < 1 || si < 0 || si >= of)
			bad++, fprintf(stderr, "inventory merge: shard %d is %d/%lld, not one of %lld\n", d + 1, si, s->of, of);
		else if (seen[si]++)
			bad++, fprintf(stderr, "inventory merge: shard %d/%lld given twice\n", si, of);
		else if (!strv_eq(&s->tus, &first->tus) ||
			 !wrappers_eq(s->wrappers, s->n_wrappers, first->wrappers, first->n_wrappers))
			bad++, fprintf(stderr, "inventory merge: shard %d/%lld saw another TU list or other wrappers; "
				       "scan every shard from the same tree and config\n", si, of);
	}
	for (long long k = 0; k < of && !bad; k++)
		if (!seen[k])
			bad++, fprintf(stderr, "inventory merge: shard %lld/%lld is missing\n", k, of);
	free(seen);
	return !bad;
}

int shard_merge(const struct config *base, struct shard *docs, int nd, struct model *out,
		struct wrapper **more, size_t *nmore)
{
	memset(out, 0, sizeof *out);
	*more = NULL;
	*nmore = 0;
	if (nd < 1) {
		fprintf(stderr, "inventory merge: no shard given\n");
		return -1;
	}
	if (!shards_consistent(base, docs, nd))
		return -1;
	const struct strv *all = &docs[0].tus;
	size_t nt = all->n;
	struct model **slot = xcalloc(nt ? nt : 1, sizeof *slot);
	int bad = 0;
	for (int d = 0; d < nd && !bad; d++)
		for (size_t i = 0; i < docs[d].n_facts; i++) {
			struct model *f = &docs[d].facts[i];
			const char *tu = f->tus.n ? f->tus.v[0] : NULL;
			int k = tu ? tu_index(all, tu) : -1;
			if (k < 0 || slot[k])
				bad++, fprintf(stderr, "inventory merge: facts of '%s' do not belong or appear twice\n",
					       tu ? tu : "?");
			else
				slot[k] = f;
		}
	for (size_t k = 0; k < nt && !bad; k++)
		if (!slot[k])
			bad++, fprintf(stderr, "inventory merge: no shard has the facts of '%s'\n", all->v[k]);
	if (bad) {
		free(slot);
		return -1;
	}
	/* The facts in compile-database order, moved out of the shards. */
	struct model *facts = xcalloc(nt ? nt : 1, sizeof *facts);
	for (size_t k = 0; k < nt; k++) {
		facts[k] = *slot[k];
		memset(slot[k], 0, sizeof *slot[k]);
	}
	free(slot);
	const struct wrapper *wr = docs[0].wrappers;
	size_t nwr = docs[0].n_wrappers;
	struct config cur;
	const struct config *cfg = base;
	if (nwr) {
		config_with_wrappers_t(base, wr, nwr, &cur);
		cfg = &cur;
	}
	struct model m;
	model_build_t(cfg, facts, (int)nt, &m);
	scan_facts_free(facts, (int)nt);
	struct wrapper *found;
	size_t nfound;
	model_wrappers_t(cfg, &m, &found, &nfound);
	int rc = 0;
	if (nfound) {
		wrappers_copy(more, nmore, wr, nwr);
		wrappers_copy(more, nmore, found, nfound);
		model_free(&m);
		rc = 1;
	} else {
		m.has_derived_wrappers = true;
		wrappers_copy(&m.derived_wrappers, &m.n_derived_wrappers, wr, nwr);
		*out = m;
	}
	wrappers_free(found, nfound);
	if (cfg != base)
		config_free(&cur);
	return rc;
}
