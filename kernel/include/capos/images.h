/**
 * @file
 * @brief The user program images embedded in the kernel (built from user/ by CMake).
 *
 * The object library `capos_user_images` (user/CMakeLists.txt) defines both symbols below; a
 * kernel target gets them with `target_link_libraries(<kernel> PRIVATE capos_user_images)`.
 * Each image is a complete ELF64 file, to be checked with elf_parse() (lib/elf.h) over
 * [CAPOS_USER_IMAGE_MIN, CAPOS_USER_IMAGE_END) before it is loaded. Names are the program
 * names ("init", "exit", "fault", "hostile", "spin", "threads"); ::CAP_SPAWNER_SPAWN looks
 * them up by exact byte comparison. The table is sorted by name and immutable.
 */
#ifndef CAPOS_IMAGES_H
#define CAPOS_IMAGES_H

#include <stddef.h>
#include <stdint.h>

/** @brief One embedded user program. */
struct user_image {
	const char *name;     /**< NUL-terminated program name. */
	const uint8_t *start; /**< First byte of the ELF file (16-byte aligned). */
	size_t size;          /**< Bytes in the ELF file. */
};

/** @brief The embedded programs, sorted by name. */
extern const struct user_image capos_user_images[];
/** @brief Number of entries in ::capos_user_images. */
extern const size_t capos_user_image_count;

#endif /* CAPOS_IMAGES_H */
