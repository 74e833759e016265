/*
 * imagecheck.c - host test of the embedded image table (capos_user_images, built here from the
 * same generated source as the kernel's copy): the names are sorted and distinct, every image
 * is 16-byte aligned, passes the kernel's ELF validator over the user image range, and enters at
 * the runtime's _start (the first byte of text, 0x401000, placed there by user.ld).
 *
 * Usage: imagecheck [--help] [EXPECTED_COUNT]
 * Exit: 0 all checks hold; 1 a check failed; 2 usage error.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <capos/abi.h>
#include <capos/images.h>
#include <lib/assert.h>
#include <lib/elf.h>

#define USER_TEXT_BASE 0x401000ull /* user.ld: text starts here, _start first */

void capos_assert_fail(const char *expr, const char *file, int line)
{
	fprintf(stderr, "imagecheck: assertion failed: %s (%s:%d)\n", expr, file, line);
	abort();
}

static int check_one(const struct user_image *im, const struct user_image *prev)
{
	struct elf_image img;
	if (!im->name || !im->name[0] || strlen(im->name) > CAPOS_IMAGE_NAME_MAX) {
		printf("image %p: bad name\n", (const void *)im);
		return 1;
	}
	if (prev && strcmp(prev->name, im->name) >= 0) {
		printf("%s: not sorted after %s\n", im->name, prev->name);
		return 1;
	}
	if (((uintptr_t)im->start & 15) != 0 || im->size == 0) {
		printf("%s: misaligned or empty\n", im->name);
		return 1;
	}
	enum elf_err e = elf_parse(im->start, im->size, CAPOS_USER_IMAGE_MIN, CAPOS_USER_IMAGE_END,
				   &img);
	if (e != ELF_OK) {
		printf("%s: REJECTED %s\n", im->name, elf_err_name(e));
		return 1;
	}
	if (img.entry != USER_TEXT_BASE) {
		printf("%s: entry 0x%llx, want 0x%llx\n", im->name, (unsigned long long)img.entry,
		       USER_TEXT_BASE);
		return 1;
	}
	printf("%s: ok, %zu bytes, %u segments\n", im->name, im->size, img.nsegs);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc > 2 || (argc == 2 && argv[1][0] == '-')) {
		bool help = !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h");
		fprintf(help ? stdout : stderr, "usage: imagecheck [--help] [EXPECTED_COUNT]\n");
		return help ? 0 : 2;
	}
	int bad = 0;
	if (argc == 2 && strtoul(argv[1], NULL, 10) != capos_user_image_count) {
		printf("%zu images, expected %s\n", capos_user_image_count, argv[1]);
		bad = 1;
	}
	for (size_t i = 0; i < capos_user_image_count; i++)
		bad |= check_one(&capos_user_images[i], i ? &capos_user_images[i - 1] : NULL);
	return bad;
}
