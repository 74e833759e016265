/* shard.c: `scan --shard I/N` and `merge`, so a CI job matrix can split a very large tree.
 *
 * A shard scans the TUs whose index in the sorted TU list is I modulo N and writes their facts
 * (schema capos-inventory-shard/1) with the whole TU list and the derived wrappers it scanned
 * with. `merge` checks that the shards are one complete, consistent set, orders the facts as
 * the compile database does and links them exactly as `scan` does. Wrapper derivation needs
 * every TU re-walked with the wrappers found: when the merged facts derive wrappers the shards
 * did not use, merge writes them (--wrappers-out) and exits 2, and the shards are run again
 * with --wrappers; the second merge gives the model an unsharded scan gives. */
#include "shard.h"
#include "config_io.h"
#include "model.h"
#include "model_io.h"
#include "util.h"

#include <stdio.h>
#include <string.h>

#define SHARD_SCHEMA "capos-inventory-shard/1"

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

json_t *shard_scan(const struct config *base, struct tu *tus, int n, int si, int sn, json_t *wrappers,
		   struct scan_opts *so)
{
	struct config cur;
	const struct config *cfg = base;
	if (json_array_size(wrappers)) {
		if (config_with_wrappers(base, wrappers, &cur) < 0)
			return NULL;
		cfg = &cur;
	}
	struct tu *mine = xcalloc((size_t)n, sizeof *mine);
	int nm = 0;
	json_t *all = json_array();
	for (int k = 0; k < n; k++) {
		json_array_append_new(all, json_string(tus[k].rel));
		if (k % sn == si)
			mine[nm++] = tus[k];
	}
	json_t *facts = NULL, *doc = NULL;
	struct model *tf = NULL;
	if (nm == 0 || scan_tus(cfg, mine, nm, so, &tf) == 0) {
		facts = json_array();  /* the shard document: each TU's facts, with its name */
		for (int k = 0; k < nm; k++) {
			json_t *f = model_write_facts(&tf[k]);
			json_object_set_new(f, "tu", json_string(tf[k].tus.n ? tf[k].tus.v[0] : mine[k].rel));
			json_array_append_new(facts, f);
		}
		scan_facts_free(tf, nm);
		doc = json_pack("{s:s,s:s,s:i,s:i,s:o,s:O,s:o}", "schema", SHARD_SCHEMA, "config", base->file_hash,
				"shard", si, "of", sn, "tus", all, "wrappers", wrappers ? wrappers : json_array(),
				"facts", facts);
	} else {
		json_decref(all);
	}
	if (!wrappers && doc)
		json_decref(json_object_get(doc, "wrappers"));  /* the json_array() made above */
	free(mine);
	if (cfg != base)
		config_free(&cur);
	return doc;
}

/* Index of each TU of the whole list, for the order of the merged facts. */
static int tu_index(json_t *all, const char *rel)
{
	size_t i;
	json_t *e;
	json_array_foreach(all, i, e)
		if (!strcmp(json_string_value(e), rel))
			return (int)i;
	return -1;
}

json_t *shard_merge(const struct config *base, json_t **docs, int nd, json_t **more)
{
	*more = NULL;
	if (nd < 1) {
		fprintf(stderr, "inventory merge: no shard given\n");
		return NULL;
	}
	json_t *first = docs[0], *all = json_object_get(first, "tus"), *wr = json_object_get(first, "wrappers");
	int of = (int)I(first, "of");
	char *seen = xcalloc((size_t)(of > 0 ? of : 1), 1);
	int bad = 0;
	for (int d = 0; d < nd; d++) {
		json_t *s = docs[d];
		int si = (int)I(s, "shard");
		if (!S(s, "schema") || strcmp(S(s, "schema"), SHARD_SCHEMA) || !json_is_array(json_object_get(s, "facts")))
			bad++, fprintf(stderr, "inventory merge: shard %d is not a %s document\n", d + 1, SHARD_SCHEMA);
		else if (!S(s, "config") || strcmp(S(s, "config"), base->file_hash))
			bad++, fprintf(stderr, "inventory merge: shard %d was scanned with another config\n", d + 1);
		else if (I(s, "of") != of || of < 1 || si < 0 || si >= of)
			bad++, fprintf(stderr, "inventory merge: shard %d is %d/%lld, not one of %d\n", d + 1, si, I(s, "of"), of);
		else if (seen[si]++)
			bad++, fprintf(stderr, "inventory merge: shard %d/%d given twice\n", si, of);
		else if (!json_equal(json_object_get(s, "tus"), all) || !json_equal(json_object_get(s, "wrappers"), wr))
			bad++, fprintf(stderr, "inventory merge: shard %d/%d saw another TU list or other wrappers; "
				       "scan every shard from the same tree and config\n", si, of);
	}
	for (int k = 0; k < of && !bad; k++)
		if (!seen[k])
			bad++, fprintf(stderr, "inventory merge: shard %d/%d is missing\n", k, of);
	free(seen);
	if (bad)
		return NULL;
	size_t nt = json_array_size(all);
	json_t **slot = xcalloc(nt ? nt : 1, sizeof *slot), *f;
	size_t i;
	for (int d = 0; d < nd && !bad; d++)
		json_array_foreach(json_object_get(docs[d], "facts"), i, f) {
			int k = S(f, "tu") ? tu_index(all, S(f, "tu")) : -1;
			if (k < 0 || slot[k])
				bad++, fprintf(stderr, "inventory merge: facts of '%s' do not belong or appear twice\n",
					       S(f, "tu") ? S(f, "tu") : "?");
			else
				slot[k] = f;
		}
	for (size_t k = 0; k < nt && !bad; k++)
		if (!slot[k])
			bad++, fprintf(stderr, "inventory merge: no shard has the facts of '%s'\n",
				       json_string_value(json_array_get(all, k)));
	struct model *facts = xcalloc(nt ? nt : 1, sizeof *facts);
	json_t *m = NULL;
	for (size_t k = 0; k < nt && !bad; k++) {
		const char *why = model_read_tu_facts(slot[k], &facts[k]);
		if (why)
			bad++, fprintf(stderr, "inventory merge: the facts of '%s' are damaged: %s\n",
				       json_string_value(json_array_get(all, k)), why);
	}
	free(slot);
	if (bad) {
		scan_facts_free(facts, (int)nt);
		return NULL;
	}
	struct config cur;
	const struct config *cfg = base;
	if (json_array_size(wr) && config_with_wrappers(base, wr, &cur) == 0)
		cfg = &cur;
	m = model_build(cfg, facts, (int)nt);
	scan_facts_free(facts, (int)nt);
	json_t *found = model_wrappers(cfg, m);
	if (json_array_size(found)) {
		*more = json_deep_copy(wr);
		json_array_extend(*more, found);
		json_decref(m);
		m = NULL;
	} else if (json_array_size(wr)) {
		json_object_set(m, "derived_wrappers", wr);
	} else {
		json_object_set_new(m, "derived_wrappers", json_array());
	}
	json_decref(found);
	if (cfg != base)
		config_free(&cur);
	return m;
}
