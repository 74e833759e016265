/*
 * elfcheck.c - host tool: runs the kernel's ELF validator (kernel/lib/elf.c, the same source
 * the kernel links) over user program files and prints their segments.
 *
 * Usage: elfcheck [--help] FILE...
 * Exit: 0 every file valid; 1 some file rejected; 2 usage error or unreadable file.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <capos/abi.h>
#include <lib/assert.h>
#include <lib/elf.h>

/* kernel/lib's assertion hook: an assertion in the validator is a bug; stop loudly. */
void capos_assert_fail(const char *expr, const char *file, int line)
{
	fprintf(stderr, "elfcheck: assertion failed: %s (%s:%d)\n", expr, file, line);
	abort();
}

static void usage(FILE *f)
{
	fprintf(f, "usage: elfcheck [--help] FILE...\n"
		   "Validate capOS user ELF images with kernel/lib/elf.c over the user image range\n"
		   "[0x%llx, 0x%llx). Exit 0 all valid, 1 some rejected, 2 usage or read error.\n",
		(unsigned long long)CAPOS_USER_IMAGE_MIN, (unsigned long long)CAPOS_USER_IMAGE_END);
}

/* Read a whole file; NULL on error (message printed). */
static unsigned char *slurp(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		perror(path);
		return NULL;
	}
	unsigned char *buf = NULL;
	size_t n = 0, cap = 0;
	for (;;) {
		if (n == cap) {
			cap = cap ? cap * 2 : 65536;
			unsigned char *nb = realloc(buf, cap);
			if (!nb) {
				fprintf(stderr, "%s: out of memory\n", path);
				free(buf);
				fclose(f);
				return NULL;
			}
			buf = nb;
		}
		size_t got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (got == 0)
			break;
	}
	int bad = ferror(f);
	fclose(f);
	if (bad) {
		fprintf(stderr, "%s: read error\n", path);
		free(buf);
		return NULL;
	}
	*size = n;
	return buf;
}

/* 0 valid, 1 rejected, 2 unreadable. */
static int check(const char *path)
{
	size_t size = 0;
	unsigned char *buf = slurp(path, &size);
	if (!buf)
		return 2;
	struct elf_image img;
	enum elf_err e = elf_parse(buf, size, CAPOS_USER_IMAGE_MIN, CAPOS_USER_IMAGE_END, &img);
	free(buf);
	if (e != ELF_OK) {
		printf("%s: REJECTED %s\n", path, elf_err_name(e));
		return 1;
	}
	printf("%s: ok, entry 0x%llx, %u segments\n", path, (unsigned long long)img.entry,
	       img.nsegs);
	for (unsigned i = 0; i < img.nsegs; i++) {
		const struct elf_segment *s = &img.seg[i];
		printf("  0x%08llx +0x%llx file 0x%llx+0x%llx %c%c%c\n",
		       (unsigned long long)s->vaddr, (unsigned long long)s->memsz,
		       (unsigned long long)s->offset, (unsigned long long)s->filesz,
		       (s->prot & ELF_PROT_READ) ? 'r' : '-', (s->prot & ELF_PROT_WRITE) ? 'w' : '-',
		       (s->prot & ELF_PROT_EXEC) ? 'x' : '-');
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			usage(stdout);
			return 0;
		}
		if (argv[i][0] == '-') {
			fprintf(stderr, "elfcheck: unknown option %s\n", argv[i]);
			usage(stderr);
			return 2;
		}
	}
	int worst = 0;
	for (int i = 1; i < argc; i++) {
		int r = check(argv[i]);
		worst = r > worst ? r : worst;
	}
	return worst;
}
