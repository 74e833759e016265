/* Declarations the cocci test inputs use (shapes of the kernel's interfaces). */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
typedef uint64_t vaddr_t;
enum kerr { KERR_OK, KERR_INVALID_ARG, KERR_CONFLICT, KERR_NO_MEMORY };
typedef enum kerr kerr_t;
struct spinlock { volatile int held; };
struct aspace { struct spinlock lock; int gen; };
struct obj { struct spinlock lock; int refs; };
void spin_lock(struct spinlock *l);
void spin_unlock(struct spinlock *l);
uint64_t spin_lock_irqsave(struct spinlock *l);
void spin_unlock_irqrestore(struct spinlock *l, uint64_t flags);
kerr_t vm_insert_locked(struct aspace *as, vaddr_t va);
struct obj *table_lookup(int h);
