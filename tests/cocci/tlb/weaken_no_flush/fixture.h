/* Declarations the cocci test inputs use (shapes of the kernel's interfaces). */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
typedef uint64_t paddr_t;
typedef uint64_t vaddr_t;
typedef int kerr_t;
struct aspace;
#define PAGE_SIZE 4096
#define PROT_NONE 0
#define PROT_READ 1
enum { KERR_OK, KERR_INVALID_ARG };
paddr_t arch_mmu_unmap(struct aspace *as, vaddr_t va);
kerr_t arch_mmu_map(struct aspace *as, vaddr_t va, paddr_t pa, unsigned prot);
void arch_mmu_protect(struct aspace *as, vaddr_t va, unsigned prot);
void tlb_shootdown(struct aspace *as, vaddr_t va, size_t n);
void tlb_shootdown_wait(struct aspace *as);
void tlb_flush_local_page(vaddr_t va);
void tlb_flush_local_all(void);
void tlb_defer_frame_free(struct aspace *as, paddr_t pa);
void frame_free(paddr_t pa);
struct frame_list { void *head; };
void frame_list_free(struct frame_list *l);
struct cpumask { uint64_t bits; };
struct cpumask cpumask_all(void);
struct cpumask cpumask_self(void);
void ipi_call(struct cpumask mask, void (*fn)(void *), void *arg);
void flush_all_cpus(void *arg);
void count_ticks(void *arg);
void tlb_assert_not_resident(struct aspace *as);
