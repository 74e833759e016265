/* model_rt.c: reads each model file given into the typed model (model_read) and writes it back
 * (model_write); exits 1 naming the first file whose round trip is not member for member the
 * document read (or that model_read refuses), 0 when every file survives unchanged. */
#include "model.h"
#include "json_io.h"
#include "model_io.h"
#include "util.h"

#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
	int rc = 0;
	if (argc < 2) {
		fprintf(stderr, "usage: inventory_model_rt MODEL.json...\n");
		return 2;
	}
	for (int i = 1; i < argc; i++) {
		json_error_t err;
		json_t *j = json_read_file(argv[i], 0, &err);
		if (!j) {
			json_load_error("model", argv[i], &err);
			return 2;
		}
		struct model m;
		const char *why = model_read(j, &m);
		if (why) {
			printf("%s: refused: %s\n", argv[i], why);
			rc = 1;
		} else {
			json_t *back = model_write(&m);
			char *a = json_text(j), *b = json_text(back);
			if (strcmp(a, b) != 0) {
				printf("%s: the round trip differs\n", argv[i]);
				write_file("/dev/stderr", b, strlen(b));
				rc = 1;
			} else {
				printf("%s: %zu functions, %zu operations, %zu obligations: identical\n", argv[i],
				       m.n_functions, m.n_operations, m.n_obligations);
			}
			free(a);
			free(b);
			json_decref(back);
			model_free(&m);
		}
		json_decref(j);
	}
	return rc;
}
