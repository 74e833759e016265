/* Declarations the cocci test inputs use (shapes of the kernel's interfaces). */
#include <stddef.h>
#include <stdint.h>
typedef uint64_t paddr_t;
typedef uint64_t vaddr_t;
typedef int kerr_t;
typedef uint64_t pte_t;
typedef uint64_t *ptable_t;
struct aspace;
struct frame_list { void *head; unsigned count; };
enum { KERR_OK, KERR_INVALID_ARG };
kerr_t arch_mmu_unmap(paddr_t root, vaddr_t va, paddr_t *old_pa, struct frame_list *pt_free);
void tlb_shootdown(struct aspace *as, vaddr_t va, size_t n);
void tlb_shootdown_wait(struct aspace *as);
void tlb_flush_local_all(void);
void tlb_assert_not_resident(struct aspace *as);
void frame_free(paddr_t pa);
void frame_list_free(struct frame_list *l);
