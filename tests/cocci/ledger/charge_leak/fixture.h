/* Declarations the cocci test inputs use (shapes of the kernel's interfaces). */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
typedef uint64_t paddr_t;
typedef uint64_t vaddr_t;
enum kerr { KERR_OK, KERR_INVALID_ARG, KERR_QUOTA_COMMIT, KERR_NO_MEMORY, KERR_PUBLISH_FAILED };
typedef enum kerr kerr_t;
enum ledger_kind { LEDGER_COMMIT, LEDGER_OBJECT };
struct ledger;
struct memobj { struct ledger *owner; size_t pages; };
kerr_t ledger_charge(struct ledger *l, enum ledger_kind k, uint64_t n);
kerr_t ledger_charge_all(struct ledger *l, const uint64_t amount[2]);
void ledger_release(struct ledger *l, enum ledger_kind k, uint64_t n);
void ledger_transfer(struct ledger *from, struct ledger *to, enum ledger_kind k, uint64_t n);
kerr_t frame_alloc(paddr_t *pa);
void frame_free(paddr_t pa);
kerr_t cap_publish(struct memobj *o);
struct memobj *memobj_new(size_t pages);
void memobj_destroy(struct memobj *o);
