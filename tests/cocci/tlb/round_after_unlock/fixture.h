/* Declarations the cocci test inputs use (shapes of the kernel's gather and lock interfaces). */
#include <stdint.h>
typedef uint64_t vaddr_t;
typedef uint64_t paddr_t;
typedef int kerr_t;
struct acct { int lock; };
struct aspace { int lock; uint64_t root; struct acct *acct; };
struct memobj { int lock; int maps; };
struct tlb_gather { struct aspace *as; };
struct frame_list { void *head; unsigned count; };
enum { KERR_OK, KERR_INVALID_ARG, KERR_PINNED };
enum { PROT_NONE, PROT_READ };
kerr_t arch_mmu_protect(uint64_t root, vaddr_t va, unsigned prot);
kerr_t arch_mmu_unmap(uint64_t root, vaddr_t va, paddr_t *pa, struct frame_list *pt);
uint64_t arch_mmu_kernel_root(void);
void tlb_gather_init(struct tlb_gather *tg, struct aspace *as);
void tlb_gather_page(struct tlb_gather *tg, vaddr_t va);
void tlb_shootdown(struct tlb_gather *tg);
void tlb_shootdown_wait(struct tlb_gather *tg);
void tlb_kernel_release_frames(struct frame_list *fl);
void spin_lock(int *l);
void spin_unlock(int *l);
int range_pinned_locked(struct aspace *as, vaddr_t va, unsigned long n);
kerr_t vmspace_unmap(struct aspace *as, vaddr_t va, unsigned long n);
