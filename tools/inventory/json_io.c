/* json_io.c: the JSON helpers of the inventory's edges (see json_io.h). */
#include "json_io.h"
#include "util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *json_text(json_t *j)
{
	char *s = json_dumps(j, JSON_INDENT(2) | JSON_SORT_KEYS | JSON_ENSURE_ASCII);
	if (!s) {
		fputs("inventory: out of memory\n", stderr);
		exit(INV_USAGE);
	}
	char *r = xasprintf("%s\n", s);
	free(s);
	return r;
}

json_t *json_read_file(const char *path, size_t flags, json_error_t *err)
{
	size_t len;
	char *text = read_file(path, &len);
	if (!text) {
		if (err) {
			memset(err, 0, sizeof *err);
			snprintf(err->text, sizeof err->text, "%s", strerror(errno));
		}
		return NULL;
	}
	json_t *j = json_loadb(text, len, flags, err);
	free(text);
	return j;
}

void json_load_error(const char *what, const char *path, const json_error_t *err)
{
	if (err->line > 0)
		fprintf(stderr, "inventory: cannot read %s '%s': line %d: %s\n", what, path, err->line, err->text);
	else
		fprintf(stderr, "inventory: cannot read %s '%s': %s\n", what, path, err->text);
}
