/* cdb_io.c: compile database loading; makes every path absolute because libclang does not chdir. */
#include "cdb.h"
#include "json_io.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Split a shell command line (quotes and backslashes) into argv. */
static char **shell_split(const char *s, int *argc)
{
	char **v = NULL;
	int n = 0;
	while (*s) {
		while (*s == ' ' || *s == '\t' || *s == '\n')
			s++;
		if (!*s)
			break;
		struct sbuf w = {0};
		char q = 0;
		sb_puts(&w, "");
		for (; *s && (q || (*s != ' ' && *s != '\t' && *s != '\n')); s++) {
			char c[2] = {*s, 0};
			if (q && *s == q) {
				q = 0;
				continue;
			}
			if (!q && (*s == '"' || *s == '\'')) {
				q = *s;
				continue;
			}
			if (*s == '\\' && s[1] && q != '\'')
				c[0] = *++s;
			sb_puts(&w, c);
		}
		v = xrealloc(v, sizeof *v * (size_t)(n + 1));
		v[n++] = w.s;
	}
	*argc = n;
	return v;
}

/* Options whose (joined or separate) value is a path relative to the entry's directory. */
static const char *const path_opts[] = {"-I", "-isystem", "-iquote", "-idirafter", "-include",
	"-imacros", "--sysroot=", NULL};

static char *absolutize(const char *dir, const char *a, bool *takes_next)
{
	*takes_next = false;
	for (const char *const *o = path_opts; *o; o++) {
		size_t l = strlen(*o);
		if (strncmp(a, *o, l) != 0)
			continue;
		if (a[l] == 0) {
			*takes_next = true;
			return xstrdup(a);
		}
		char *p = path_join(dir, a + l), *r = xasprintf("%s%s", *o, p);
		free(p);
		return r;
	}
	return xstrdup(a);
}

static int tu_from_entry(json_t *e, const struct config *cfg, struct tu *t)
{
	const char *dir = json_string_value(json_object_get(e, "directory"));
	const char *file = json_string_value(json_object_get(e, "file"));
	json_t *arguments = json_object_get(e, "arguments");
	const char *command = json_string_value(json_object_get(e, "command"));
	char **argv = NULL;
	int argc = 0;
	if (!dir || !file || (!command && !json_is_array(arguments)))
		return -1;
	if (command) {
		argv = shell_split(command, &argc);
	} else {
		argc = (int)json_array_size(arguments);
		argv = xcalloc((size_t)argc + 1, sizeof *argv);
		for (int i = 0; i < argc; i++)
			argv[i] = xstrdup(json_string_value(json_array_get(arguments, (size_t)i)));
	}
	t->file = path_join(dir, file);
	t->rel = relpath_under(cfg->root_dir, t->file);
	t->args = xcalloc((size_t)argc + 2, sizeof *t->args);
	t->nargs = 0;
	for (int i = 1; i < argc; i++) {  /* argv[0] is the compiler */
		bool next;
		char *p = path_join(dir, argv[i]);
		bool is_file = strcmp(p, t->file) == 0;
		free(p);
		if (is_file || strcmp(argv[i], "-c") == 0)
			continue;
		if (strcmp(argv[i], "-o") == 0 || strcmp(argv[i], "-MF") == 0 || strcmp(argv[i], "-MT") == 0) {
			i++;
			continue;
		}
		t->args[t->nargs++] = absolutize(dir, argv[i], &next);
		if (next && i + 1 < argc)
			t->args[t->nargs++] = path_join(dir, argv[++i]);
	}
	for (int i = 0; i < argc; i++)
		free(argv[i]);
	free(argv);
	return 0;
}

static bool has_args(const struct strv *need, const struct tu *t)
{
	for (size_t i = 0; i < need->n; i++) {
		bool found = false;
		for (int k = 0; k < t->nargs && !found; k++)
			found = strcmp(t->args[k], need->v[i]) == 0;
		if (!found)
			return false;
	}
	return true;
}

static void tu_free(struct tu *t)
{
	for (int i = 0; i < t->nargs; i++)
		free(t->args[i]);
	free(t->args);
	free(t->file);
	free(t->rel);
}

static int cmp_tu(const void *a, const void *b)
{
	return strcmp(((const struct tu *)a)->rel, ((const struct tu *)b)->rel);
}

int cdb_load(const char *path, const struct config *cfg, struct tu **out, int *n)
{
	json_error_t err;
	json_t *db = json_read_file(path, 0, &err), *e;
	size_t i;
	struct tu *tus = NULL;
	int k = 0;
	if (!db) {
		json_load_error("compile database", path, &err);
		return -1;
	}
	if (!json_is_array(db)) {
		fprintf(stderr, "%s: a compile database is a JSON array\n", path);
		json_decref(db);
		return -1;
	}
	json_array_foreach(db, i, e) {
		struct tu t = {0};
		if (tu_from_entry(e, cfg, &t) < 0) {
			fprintf(stderr, "%s: entry %zu lacks directory, file or command\n", path, i);
			json_decref(db);
			cdb_free(tus, k);
			return -1;
		}
		bool dup = false;
		for (int j = 0; j < k && !dup; j++)
			dup = strcmp(tus[j].file, t.file) == 0;
		const char *dot = t.rel ? strrchr(t.rel, '.') : NULL;
		bool src = dot && globs_match(&cfg->source_ext, dot + 1);  /* not assembly */
		if (!t.rel || dup || !src || !config_in_scope(cfg, t.rel) || !has_args(&cfg->require_args, &t)) {
			tu_free(&t);
			continue;
		}
		tus = xrealloc(tus, sizeof *tus * (size_t)(k + 1));
		tus[k++] = t;
	}
	json_decref(db);
	if (k == 0) {
		fprintf(stderr, "%s: no entry is in the config's scope; nothing to scan\n", path);
		return -1;
	}
	qsort(tus, (size_t)k, sizeof *tus, cmp_tu);
	*out = tus;
	*n = k;
	return 0;
}

void cdb_free(struct tu *tus, int n)
{
	for (int i = 0; i < n; i++)
		tu_free(&tus[i]);
	free(tus);
}
