/* model_query.c: small questions asked of the typed model (sets of names, lookups by key). */
#include "model.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

void strv_push(struct strv *l, const char *s)
{
	l->v = xrealloc(l->v, (l->n + 1) * sizeof *l->v);
	l->v[l->n++] = xstrdup(s);
}

void strv_sort_uniq(struct strv *l)
{
	size_t j = 0;
	if (!l->n)
		return;
	qsort(l->v, l->n, sizeof *l->v, cmp_strp);
	for (size_t i = 1; i < l->n; i++) {
		if (!strcmp(l->v[i], l->v[j]))
			free(l->v[i]);
		else
			l->v[++j] = l->v[i];
	}
	l->n = j + 1;
}

bool strv_has(const struct strv *l, const char *s)
{
	return l->n && bsearch(&s, l->v, l->n, sizeof *l->v, cmp_strp) != NULL;
}

void strv_free(struct strv *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

const struct operation *model_operation(const struct model *m, const char *id)
{
	size_t lo = 0, hi = m->n_operations;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(m->operations[mid].id, id);
		if (!c)
			return &m->operations[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

void model_ops_reaching_t(const struct model *m, const char *tid, struct strv *out)
{
	for (size_t i = 0; i < m->n_operations; i++)
		for (size_t j = 0; j < m->operations[i].transitions.n; j++)
			if (!strcmp(m->operations[i].transitions.v[j], tid))
				strv_push(out, m->operations[i].id);
	strv_sort_uniq(out);
}
