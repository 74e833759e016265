/* facts_io.c: the JSON edge of the link step. The typed per-TU facts of a scan are merged,
 * linked, settled and derived on the structs (model.c, order.c, tlbflow.c, model_ops.c), and the
 * model is written out as the document `scan` writes and the cache stores; the derived wrappers
 * are handed to the driver as JSON (they become part of the config and the model file). */
#include "model.h"
#include "model_io.h"
#include "order.h"
#include "tlbflow.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

json_t *model_build(const struct config *cfg, const struct model *facts, int n)
{
	struct model tm;
	model_build_t(cfg, facts, n, &tm);
	json_t *m = model_write(&tm);
	model_free(&tm);
	return m;
}

json_t *model_wrappers(const struct config *cfg, json_t *m)
{
	struct model tm;
	const char *why = model_read(m, &tm);
	json_t *out = json_array();
	if (why) {
		fprintf(stderr, "inventory: internal error: model: %s\n", why);
		abort();
	}
	struct wrapper *w;
	size_t n;
	model_wrappers_t(cfg, &tm, &w, &n);
	for (size_t i = 0; i < n; i++) {
		json_t *d = json_pack("{s:s,s:s,s:I,s:s}", "pair", w[i].pair, "function", w[i].function, "dir",
				      (json_int_t)w[i].dir, "key", w[i].key);
		if (w[i].has_key_arg)
			json_object_set_new(d, "key_arg", json_integer((json_int_t)w[i].key_arg));
		json_array_append_new(out, d);
	}
	wrappers_free(w, n);
	model_free(&tm);
	return out;
}
