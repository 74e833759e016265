/*
 * images_none.c - an empty embedded-image table for kernels built without user/ (CAPOS_SKIP).
 * Weak, and in its own file so no caller can fold its values: user/'s table overrides it.
 */
#include <capos/images.h>

const struct user_image capos_user_images[1] __attribute__((weak));
const size_t capos_user_image_count __attribute__((weak));
