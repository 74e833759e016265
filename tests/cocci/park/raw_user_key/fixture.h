/* Declarations the cocci test inputs use (shapes of the kernel's interfaces). */
#include <stdint.h>
typedef uint64_t vaddr_t;
enum kerr { KERR_OK, KERR_INVALID_ARG };
typedef enum kerr kerr_t;
struct aspace { uint64_t id; uint64_t gen; };
struct memobj { uint64_t id; uint64_t gen; };
/* (space id, generation, address or offset); kind says private or shared. */
struct park_key { uint64_t space; uint64_t gen; uint64_t addr; unsigned kind; };
struct parkspace;
struct park_key park_key_private(const struct aspace *as, vaddr_t va);
struct park_key park_key_shared(const struct memobj *obj, uint64_t off);
kerr_t park_wait(struct parkspace *ps, const struct park_key *key, uint32_t expect);
unsigned park_wake(struct parkspace *ps, const struct park_key *key, unsigned n);
