/* Declarations the cocci test inputs use (shapes of the kernel's interfaces). */
#include <stddef.h>
#include <stdint.h>
#define __user
enum kerr { KERR_OK, KERR_BAD_ADDRESS };
typedef enum kerr kerr_t;
struct msg { uint64_t len; uint64_t words[4]; };
kerr_t copy_from_user(void *dst, const void __user *src, size_t n);
kerr_t copy_to_user(void __user *dst, const void *src, size_t n);
void *memcpy(void *d, const void *s, size_t n);
