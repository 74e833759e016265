/* Declarations the cocci test inputs use (shapes of the kernel's gather interface). */
#include <stdint.h>
typedef uint64_t vaddr_t;
typedef int kerr_t;
struct aspace { int lock; uint64_t root; };
struct tlb_gather { struct aspace *as; };
enum { KERR_OK, KERR_INVALID_ARG };
enum { PROT_NONE, PROT_READ };
kerr_t arch_mmu_protect(uint64_t root, vaddr_t va, unsigned prot);
kerr_t arch_mmu_unmap(uint64_t root, vaddr_t va);
void tlb_gather_init(struct tlb_gather *tg, struct aspace *as);
void tlb_gather_page(struct tlb_gather *tg, vaddr_t va);
void tlb_shootdown(struct tlb_gather *tg);
void tlb_shootdown_wait(struct tlb_gather *tg);
void spin_lock(int *l);
void spin_unlock(int *l);
