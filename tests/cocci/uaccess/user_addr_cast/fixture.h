/* Declarations the cocci test inputs use (shapes of the kernel's interfaces). */
#include <stddef.h>
#include <stdint.h>
typedef uint64_t vaddr_t;
typedef int kerr_t;
enum { KERR_OK, KERR_BAD_ADDRESS };
struct aspace;
struct proc { struct aspace *as; };
struct invocation { struct proc *proc; uint64_t a[6]; };
struct msg { uint64_t len; uint64_t words[4]; };
kerr_t copy_from_user(struct aspace *as, void *dst, vaddr_t src, size_t len);
kerr_t copy_to_user(struct aspace *as, vaddr_t dst, const void *src, size_t len);
void argaddr(int n, uint64_t *out);
